/* SPDX-License-Identifier: MIT
 * rouse_buf: the strbuf invariants (buf[len] == '\0', len < cap once allocated, an empty
 * buffer owns nothing), the `toobig` cap (ROUSE_LIMIT, contents kept), printf on both the
 * small and the large path, and allocation failure through the allocator seam; the CSV
 * number formatter against printf. */
#include <math.h>
#include <stdlib.h>

#include "base/base.h"
#include "base/fmt.h"
#include "harness.h"

static int invariants(const struct rouse_buf *b) {
  if (!b->buf) return 0;
  if (b->buf[b->len] != '\0') return 0;
  if (b->cap == 0) return b->len == 0;
  return b->len < b->cap && b->cap <= b->toobig;
}

/* an allocator that fails every call once armed */
static int fail_armed;
static void *f_malloc(void *ctx, size_t n) {
  (void)ctx;
  return fail_armed ? NULL : malloc(n);
}
static void *f_realloc(void *ctx, void *p, size_t n) {
  (void)ctx;
  return fail_armed ? NULL : realloc(p, n);
}
static void f_free(void *ctx, void *p) {
  (void)ctx;
  free(p);
}

/* rouse__wb_csv against the rule written out byte by byte: quoted (inner quotes doubled) when
 * the field holds a comma, quote, CR or LF, at any position and length (the scan reads eight
 * bytes at a time, so every alignment and tail is covered) */
static void check_csv_quoting(void) {
  static const char specials[] = {',', '"', '\n', '\r'};
  char field[40], want[100];
  int bad = 0, cases = 0;
  for (size_t len = 0; len <= 33; len++) {
    for (int sp = -1; sp < 4; sp++) {
      for (size_t at = 0; at < (sp < 0 ? 1 : len); at++) {
        for (size_t i = 0; i < len; i++) field[i] = (char)(i % 3 ? 'a' + i % 26 : 0xE3); /* UTF-8 lead bytes too */
        if (sp >= 0) field[at] = specials[sp];
        int q = 0;
        for (size_t i = 0; i < len; i++)
          q |= field[i] == ',' || field[i] == '"' || field[i] == '\n' || field[i] == '\r';
        size_t wl = 0;
        if (q) want[wl++] = '"';
        for (size_t i = 0; i < len; i++) {
          if (q && field[i] == '"') want[wl++] = '"';
          want[wl++] = field[i];
        }
        if (q) want[wl++] = '"';
        struct rouse_wbuf w;
        rouse__wb_init(&w);
        rouse__wb_csv(&w, field, len);
        if (w.len != wl || (wl && memcmp(w.b, want, wl))) bad++;
        rouse__wb_free(&w);
        cases++;
      }
    }
  }
  CHECK(cases > 1000);
  CHECK_EQ_INT(bad, 0);
}

/* the bytes a number writer appends to an empty buffer, as a string */
static void written(void (*put)(struct rouse_wbuf *, double, int), double v, int dec, char *got,
                    size_t cap) {
  struct rouse_wbuf w;
  rouse__wb_init(&w);
  put(&w, v, dec);
  snprintf(got, cap, "%.*s", (int)w.len, w.b);
  rouse__wb_free(&w);
}

/* rouse__wb_printf_fixed: the bytes of printf's "%.*f" for random values at 0..6 decimals,
 * near the rounding ties too, small and large, negative and -0.0 (its slow path); and
 * rouse__wb_fixed against llround */
static void test_printf_fixed(void) {
  uint64_t z = 99;
  size_t bad = 0, n = 0;
  for (int k = 0; k < 300000; k++) {
    z = z * 6364136223846793005ull + 1442695040888963407ull;
    int dec = (int)(z >> 60) % 7;
    double u = (double)(z >> 11) / 9007199254740992.0; /* [0, 1) */
    double v;
    switch (k % 5) {
      case 0: v = u; break;
      case 1: v = u * 1e6; break;
      case 2: v = (floor(u * 1e5) + 0.5) / pow(10, dec); break; /* near a tie */
      case 3: v = -u * 100; break;
      default: v = u * 2e9; break;
    }
    char want[400], got[400];
    snprintf(want, sizeof want, "%.*f", dec, v);
    written(rouse__wb_printf_fixed, v, dec, got, sizeof got);
    if (strcmp(want, got) && bad++ < 5) printf("# %.17g at %d: printf %s, ours %s\n", v, dec, want, got);
    n++;
  }
  printf("# printf_fixed: %zu of %zu differ\n", bad, n);
  CHECK_EQ_INT(bad, 0);
  /* rouse__wb_fixed: half away from zero of |v| x 10^dec (llround), written out */
  static const double p10[] = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6};
  size_t bad2 = 0;
  for (int k = 0; k < 100000; k++) {
    z = z * 6364136223846793005ull + 1442695040888963407ull;
    int dec = (int)(z >> 60) % 7;
    double v = ((double)(z >> 11) / 9007199254740992.0 - 0.3) * (k % 2 ? 1e3 : 1e9);
    if (k % 7 == 0) v = (floor(v) + 0.5) / p10[dec]; /* exact halves */
    unsigned long long u = (unsigned long long)llround(fabs(v) * p10[dec]);
    unsigned long long m = 1;
    for (int i = 0; i < dec; i++) m *= 10;
    char want[64], got[64];
    if (dec) snprintf(want, sizeof want, "%s%llu.%0*llu", v < 0 && u ? "-" : "", u / m, dec, u % m);
    else snprintf(want, sizeof want, "%s%llu", v < 0 && u ? "-" : "", u);
    written(rouse__wb_fixed, v, dec, got, sizeof got);
    if (strcmp(want, got) && bad2++ < 5) printf("# fixed %.17g at %d: want %s, ours %s\n", v, dec, want, got);
  }
  CHECK_EQ_INT(bad2, 0);
}

int main(void) {
  test_printf_fixed();
  check_csv_quoting();
  struct rouse_buf b;

  /* empty buffer */
  rouse__buf_init(&b, 0);
  CHECK(invariants(&b));
  CHECK_EQ_INT(b.len, 0);
  CHECK_EQ_INT(b.cap, 0);
  CHECK_EQ_STR(b.buf, "");
  CHECK(b.toobig == SIZE_MAX);
  rouse__buf_reset(&b); /* must not write to the shared empty string */
  CHECK_EQ_STR(b.buf, "");
  rouse__buf_release(&b);
  CHECK_EQ_INT(b.cap, 0);

  /* appends */
  rouse__buf_init(&b, 0);
  CHECK_EQ_INT(rouse__buf_add(&b, "abc", 3), ROUSE_OK);
  CHECK(invariants(&b));
  CHECK_EQ_INT(rouse__buf_addc(&b, 'd'), ROUSE_OK);
  CHECK_EQ_INT(rouse__buf_adds(&b, "ef"), ROUSE_OK);
  CHECK_EQ_INT(rouse__buf_add(&b, "", 0), ROUSE_OK);
  CHECK_EQ_STR(b.buf, "abcdef");
  CHECK_EQ_INT(b.len, 6);
  CHECK(invariants(&b));
  /* bytes with NUL inside are kept, length says so */
  CHECK_EQ_INT(rouse__buf_add(&b, "x\0y", 3), ROUSE_OK);
  CHECK_EQ_INT(b.len, 9);
  CHECK(b.buf[7] == '\0' && b.buf[8] == 'y' && b.buf[9] == '\0');
  rouse__buf_reset(&b);
  CHECK_EQ_INT(b.len, 0);
  CHECK_EQ_STR(b.buf, "");
  CHECK(invariants(&b));

  /* growth across many sizes keeps the invariants */
  int ok = 1;
  for (int i = 0; i < 5000; i++) {
    if (rouse__buf_addc(&b, (char)('a' + i % 26)) != ROUSE_OK || !invariants(&b)) ok = 0;
  }
  CHECK(ok);
  CHECK_EQ_INT(b.len, 5000);
  ok = 1;
  for (int i = 0; i < 5000; i++) ok &= b.buf[i] == (char)('a' + i % 26);
  CHECK(ok);
  rouse__buf_release(&b);
  CHECK(invariants(&b));
  CHECK_EQ_STR(b.buf, "");

  /* printf: small path and the > 256 byte path */
  rouse__buf_init(&b, 0);
  CHECK_EQ_INT(rouse__buf_printf(&b, "%d-%s", 42, "x"), ROUSE_OK);
  CHECK_EQ_STR(b.buf, "42-x");
  char big[1001];
  memset(big, 'q', 1000);
  big[1000] = '\0';
  CHECK_EQ_INT(rouse__buf_printf(&b, "[%s]", big), ROUSE_OK);
  CHECK_EQ_INT(b.len, 4 + 1002);
  CHECK(b.buf[4] == '[' && b.buf[5] == 'q' && b.buf[1004] == 'q' && b.buf[1005] == ']');
  CHECK(invariants(&b));
  CHECK_EQ_INT(strlen(b.buf), b.len);
  rouse__buf_release(&b);

  /* toobig: len may reach toobig - 1, never toobig */
  rouse__buf_init(&b, 16);
  CHECK_EQ_INT(rouse__buf_add(&b, "0123456789abcde", 15), ROUSE_OK); /* len 15 */
  CHECK(invariants(&b));
  CHECK(b.cap <= 16);
  CHECK_EQ_INT(rouse__buf_addc(&b, 'X'), ROUSE_LIMIT); /* would make len 16 */
  CHECK_EQ_INT(b.len, 15);                              /* contents kept */
  CHECK_EQ_STR(b.buf, "0123456789abcde");
  CHECK(invariants(&b));
  CHECK_EQ_INT(rouse__buf_adds(&b, ""), ROUSE_OK); /* nothing added: fine */
  rouse__buf_reset(&b);
  CHECK_EQ_INT(rouse__buf_add(&b, "0123456789abcdef", 16), ROUSE_LIMIT);
  CHECK_EQ_INT(b.len, 0);
  CHECK_EQ_STR(b.buf, "");
  CHECK_EQ_INT(rouse__buf_printf(&b, "%s", "0123456789"), ROUSE_OK);
  CHECK_EQ_INT(rouse__buf_printf(&b, "%s", "0123456789"), ROUSE_LIMIT);
  CHECK_EQ_STR(b.buf, "0123456789");
  rouse__buf_reset(&b);
  CHECK_EQ_INT(rouse__buf_printf(&b, "%0300d", 7), ROUSE_LIMIT); /* large path */
  CHECK_EQ_INT(b.len, 0);
  CHECK(invariants(&b));
  rouse__buf_release(&b);

  /* toobig on a fresh buffer: the first allocation is capped too */
  rouse__buf_init(&b, 3);
  CHECK_EQ_INT(rouse__buf_add(&b, "ab", 2), ROUSE_OK);
  CHECK(b.cap <= 3);
  CHECK_EQ_INT(rouse__buf_addc(&b, 'c'), ROUSE_LIMIT);
  CHECK_EQ_STR(b.buf, "ab");
  rouse__buf_release(&b);

  /* size overflow is a limit, not a wrap-around */
  rouse__buf_init(&b, 0);
  CHECK_EQ_INT(rouse__buf_add(&b, "z", 1), ROUSE_OK);
  CHECK_EQ_INT(rouse__buf_grow(&b, SIZE_MAX), ROUSE_LIMIT);
  CHECK_EQ_INT(rouse__buf_grow(&b, SIZE_MAX - 1), ROUSE_LIMIT);
  CHECK_EQ_STR(b.buf, "z");
  CHECK_EQ_INT(rouse__buf_grow(&b, 0), ROUSE_OK);
  rouse__buf_release(&b);

  /* allocation failure: NOMEM, buffer unchanged and still valid */
  rouse_alloc fa = {f_malloc, f_realloc, f_free, NULL};
  rouse_set_allocator(&fa);
  rouse__buf_init(&b, 0);
  fail_armed = 1;
  CHECK_EQ_INT(rouse__buf_add(&b, "abc", 3), ROUSE_NOMEM);
  CHECK(invariants(&b));
  CHECK_EQ_INT(b.cap, 0);
  fail_armed = 0;
  CHECK_EQ_INT(rouse__buf_add(&b, "abc", 3), ROUSE_OK);
  size_t cap = b.cap;
  fail_armed = 1;
  char blob[200];
  memset(blob, 'w', sizeof blob);
  CHECK_EQ_INT(rouse__buf_add(&b, blob, sizeof blob), ROUSE_NOMEM);
  CHECK_EQ_STR(b.buf, "abc");
  CHECK_EQ_INT(b.cap, cap);
  CHECK_EQ_INT(rouse__buf_printf(&b, "%0400d", 1), ROUSE_NOMEM);
  CHECK_EQ_STR(b.buf, "abc");
  fail_armed = 0;
  rouse__buf_release(&b);
  rouse_set_allocator(NULL);

  return done_testing();
}
