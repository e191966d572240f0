/* SPDX-License-Identifier: MIT
 * The README's library example: read an export, print x and T per customer.
 * Build: cc summary.c $(pkg-config --cflags --libs rouse)   Run: ./summary orders.csv */
#include <stdio.h>

#include <rouse/rouse.h>

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s FILE\n", argv[0]);
    return 2;
  }
  rouse_ingest_opts o;
  rouse_ingest_opts_init(&o);
  o.n_threads = 0; /* all CPUs; results do not depend on it */
  rouse_ingest *ing;
  int rc = rouse_ingest_new(&o, &ing);
  if (rc == ROUSE_OK) rc = rouse_ingest_file(ing, argv[1]);
  if (rc != ROUSE_OK) {
    fprintf(stderr, "%s\n", ing ? rouse_ingest_errmsg(ing) : rouse_strerror(rc));
    rouse_ingest_free(ing);
    return 1;
  }
  rouse_summary_opts so;
  rouse_summary_opts_init(&so); /* as-of: the day after the last row */
  rouse_summary *s;
  if (rouse_summary_build(ing, &so, 0, &s) == ROUSE_OK) {
    for (size_t i = 0; i < s->n; i++) printf("%s x=%u T=%.0f\n", s->id[i], s->x[i], s->T[i]);
    rouse_summary_free(s);
  }
  rouse_ingest_free(ing);
  return 0;
}
