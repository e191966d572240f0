/* SPDX-License-Identifier: MIT
 * A tiny TAP test harness (libuv task.h style): checks print both values and the source
 * line on failure; done_testing() prints the plan and the closing "N passed, N failed" line
 * and returns the exit code. One test program per file: t_<module>_<topic>.c. */
#ifndef ROUSE_TEST_HARNESS_H
#define ROUSE_TEST_HARNESS_H

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static int t_n, t_fail;

#define CHECK(cond)                                                                  \
  do {                                                                               \
    t_n++;                                                                           \
    if (cond) printf("ok %d - %s\n", t_n, #cond);                                    \
    else {                                                                           \
      t_fail++;                                                                      \
      printf("not ok %d - %s (%s:%d)\n", t_n, #cond, __FILE__, __LINE__);            \
    }                                                                                \
  } while (0)

#define CHECK_EQ_INT(a, b)                                                           \
  do {                                                                               \
    long long a_ = (long long)(a), b_ = (long long)(b);                              \
    t_n++;                                                                           \
    if (a_ == b_) printf("ok %d - %s == %s\n", t_n, #a, #b);                         \
    else {                                                                           \
      t_fail++;                                                                      \
      printf("not ok %d - %s == %s: %lld != %lld (%s:%d)\n", t_n, #a, #b, a_, b_,    \
             __FILE__, __LINE__);                                                    \
    }                                                                                \
  } while (0)

/* a string on one TAP line: CR, LF and other control bytes as \r, \n, \xNN */
static inline void t_put_esc(const char *s) {
  if (!s) {
    fputs("(null)", stdout);
    return;
  }
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '\n') fputs("\\n", stdout);
    else if (c == '\r') fputs("\\r", stdout);
    else if (c < 0x20) printf("\\x%02x", c);
    else putchar(c);
  }
}

#define CHECK_EQ_STR(a, b)                                                           \
  do {                                                                               \
    const char *a_ = (a), *b_ = (b);                                                 \
    t_n++;                                                                           \
    if (a_ && b_ && !strcmp(a_, b_)) {                                               \
      printf("ok %d - %s == \"", t_n, #a);                                           \
      t_put_esc(b_);                                                                 \
      puts("\"");                                                                    \
    } else {                                                                         \
      t_fail++;                                                                      \
      printf("not ok %d - %s: \"", t_n, #a);                                         \
      t_put_esc(a_);                                                                 \
      fputs("\" != \"", stdout);                                                     \
      t_put_esc(b_);                                                                 \
      printf("\" (%s:%d)\n", __FILE__, __LINE__);                                    \
    }                                                                                \
  } while (0)

/* |a-b| <= tol * max(1, |b|) */
#define CHECK_NEAR(a, b, tol)                                                        \
  do {                                                                               \
    double a_ = (double)(a), b_ = (double)(b), s_ = fabs(b_) > 1 ? fabs(b_) : 1;     \
    t_n++;                                                                           \
    if (fabs(a_ - b_) <= (tol) * s_) printf("ok %d - %s ~ %.10g\n", t_n, #a, b_);    \
    else {                                                                           \
      t_fail++;                                                                      \
      printf("not ok %d - %s: %.17g !~ %.17g (tol %g) (%s:%d)\n", t_n, #a, a_, b_,   \
             (double)(tol), __FILE__, __LINE__);                                     \
    }                                                                                \
  } while (0)

static inline int done_testing(void) {
  printf("1..%d\n", t_n);
  printf("# %d passed, %d failed\n", t_n - t_fail, t_fail); /* a TAP comment */
  return t_fail ? 1 : 0;
}

#endif
