/* SPDX-License-Identifier: MIT
 * Fuzz target: encoding detection and CP932 -> UTF-8 conversion.
 *  - rouse__encoding_sniff returns 0 exactly for pure ASCII input, else UTF8 or CP932, for
 *    final and non-final samples; valid UTF-8 (without NUL) is always detected as UTF-8;
 *  - rouse__cp932_to_utf8 writes into a buffer of exactly 3n+4 bytes (ASan catches any
 *    overflow) and returns at most that; the output is valid UTF-8 between 0xFF markers
 *    and NUL bytes; the CSV structure bytes (LF, CR, quote, comma, tab, semicolon) appear
 *    in the output exactly as often as in the input, since the engine finds row
 *    boundaries on the raw bytes and parses the converted ones.
 */
#include <string.h>

#include "fuzz.h"
#include "ingest/ingest.h"

static struct rouse_cp932 *g_cvt;

static size_t count(const char *p, size_t n, char c) {
  size_t k = 0;
  for (size_t i = 0; i < n; i++) k += p[i] == c;
  return k;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  int e1 = rouse__encoding_sniff(data, size, true);
  int e2 = rouse__encoding_sniff(data, size, false);
  bool ascii = true;
  for (size_t i = 0; i < size; i++) ascii &= data[i] < 0x80;
  FUZZ_ASSERT(ascii ? e1 == 0 : (e1 == ROUSE_ENCODING_UTF8 || e1 == ROUSE_ENCODING_CP932));
  FUZZ_ASSERT(ascii ? e2 == 0 : (e2 == ROUSE_ENCODING_UTF8 || e2 == ROUSE_ENCODING_CP932));
  if (!ascii && rouse__utf8_valid(data, size)) FUZZ_ASSERT(e1 == ROUSE_ENCODING_UTF8);
  if (!ascii && rouse__utf8_valid(data, size)) FUZZ_ASSERT(e2 == ROUSE_ENCODING_UTF8);

  if (!g_cvt && rouse__cp932_open(&g_cvt) != ROUSE_OK) abort();
  char *in = fuzz_dup(data, size);
  size_t cap = 3 * size + 4;
  char *out = malloc(cap);
  size_t k = rouse__cp932_to_utf8(g_cvt, in, size, out);
  FUZZ_ASSERT(k <= cap);
  /* segments between markers and NULs are valid UTF-8 */
  size_t st = 0;
  for (size_t i = 0; i <= k; i++)
    if (i == k || out[i] == '\0' || (unsigned char)out[i] == 0xFF) {
      FUZZ_ASSERT(rouse__utf8_valid((const unsigned char *)out + st, i - st));
      st = i + 1;
    }
  static const char structural[] = "\n\r\",\t;";
  for (const char *c = structural; *c; c++)
    FUZZ_ASSERT(count(in, size, *c) == count(out, k, *c));
  /* pure ASCII is copied as is */
  if (ascii) FUZZ_ASSERT(k == size && !memcmp(in, out, size));
  free(out);
  free(in);
  return 0;
}
