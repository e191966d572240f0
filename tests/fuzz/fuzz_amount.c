/* SPDX-License-Identifier: MIT
 * Fuzz target: money amounts. If rouse_amount_parse accepts the input, the value is below
 * 10^14 currency units, and rouse_amount_format + rouse_amount_parse gives it back exactly;
 * the formatted text has no trailing zeros after a decimal point. An empty result
 * (ROUSE_EMPTY) only comes from blank input. The input is also read as a little-endian
 * int64 and formatted, which must always parse back when within range.
 */
#include <string.h>

#include "fuzz.h"
#include "rouse/rouse.h"

#define LIMIT_E4 1000000000000000000LL /* 10^14 units */

static void round_trip(int64_t v) {
  char buf[32];
  rouse_amount_format(v, buf);
  size_t l = strlen(buf);
  FUZZ_ASSERT(l > 0 && l < sizeof buf);
  const char *dot = strchr(buf, '.');
  if (dot) FUZZ_ASSERT(buf[l - 1] != '0' && l - (size_t)(dot - buf) - 1 <= 4);
  int64_t back = 0;
  int rc = rouse_amount_parse(buf, l, &back);
  if (v > -LIMIT_E4 && v < LIMIT_E4) {
    FUZZ_ASSERT(rc == ROUSE_OK);
    FUZZ_ASSERT(back == v);
  } else {
    FUZZ_ASSERT(rc == ROUSE_PARSE);
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *s = fuzz_dup(data, size);
  int64_t v = 12345;
  int rc = rouse_amount_parse(s, size, &v);
  FUZZ_ASSERT(rc == ROUSE_OK || rc == ROUSE_PARSE || rc == ROUSE_EMPTY);
  if (rc == ROUSE_OK) {
    FUZZ_ASSERT(v > -LIMIT_E4 && v < LIMIT_E4);
    round_trip(v);
  }
  if (rc == ROUSE_EMPTY) {
    /* only blanks: ASCII space, tab, ideographic space */
    for (size_t i = 0; i < size;) {
      if (s[i] == ' ' || s[i] == '\t') i++;
      else {
        FUZZ_ASSERT(i + 3 <= size && !memcmp(s + i, "\xE3\x80\x80", 3));
        i += 3;
      }
    }
  }
  if (size >= 8) {
    int64_t x;
    memcpy(&x, data, 8);
    round_trip(x);
    round_trip(x % LIMIT_E4);
  }
  free(s);
  return 0;
}
