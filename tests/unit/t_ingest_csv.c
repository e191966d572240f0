/* SPDX-License-Identifier: MIT
 * CSV tokenizer (rouse__csv_row) on RFC 4180 cases and the documented relaxations: quotes,
 * doubled quotes, newlines inside quotes (line counting), CRLF, empty fields, a trailing
 * delimiter, a quote in mid-field kept literal (12" TV), text after a closing quote,
 * INCOMPLETE (end of buffer, more input to come) vs UNTERMINATED (end of input), fields
 * beyond maxf; and delimiter sniffing. Every span must lie in the input or the scratch. */
#include <stdlib.h>

#include "harness.h"
#include "ingest/ingest.h"

#define MAXF 16

struct res {
  int st;
  size_t consumed;
  uint32_t nf, lines, longest;
  size_t scratch_len;
  int spans_ok;   /* every stored span inside input or scratch */
  char joined[512]; /* stored fields joined with '|' */
};

static char g_scratch[4096];

static struct res tok_ex(const char *in, size_t n, char delim, bool eof, uint32_t maxf,
                         bool use_scratch) {
  struct res r;
  memset(&r, 0, sizeof r);
  struct rouse_span f[MAXF];
  memset(f, 0, sizeof f);
  memset(g_scratch, '#', sizeof g_scratch);
  struct rouse_row row = {.f = f, .maxf = maxf, .scratch = use_scratch ? g_scratch : NULL};
  /* poison the outputs so that a missing write shows */
  row.nf = 999;
  row.lines = 999;
  row.longest = 999;
  const char *e = rouse__csv_row(in, in + n, delim, eof, &row, &r.st);
  r.consumed = (size_t)(e - in);
  r.nf = row.nf;
  r.lines = row.lines;
  r.longest = row.longest;
  r.scratch_len = row.scratch_len;
  r.spans_ok = e >= in && e <= in + n;
  size_t o = 0;
  if (r.st == ROUSE_ROW_OK) {
    uint32_t k = row.nf < maxf ? row.nf : maxf;
    for (uint32_t i = 0; i < k; i++) {
      const char *p = f[i].p;
      bool in_input = p >= in && p + f[i].n <= in + n;
      bool in_scr = use_scratch && p >= g_scratch && p + f[i].n <= g_scratch + row.scratch_len;
      if (!in_input && !in_scr) r.spans_ok = 0;
      if (i) r.joined[o++] = '|';
      if (o + f[i].n < sizeof r.joined - 2) {
        memcpy(r.joined + o, p, f[i].n);
        o += f[i].n;
      }
    }
  }
  r.joined[o] = '\0';
  return r;
}

static struct res tok(const char *in, char delim, bool eof) {
  return tok_ex(in, strlen(in), delim, eof, MAXF, true);
}

#define ROW_OK(in, delim, expect_joined, expect_nf, expect_lines, expect_consumed)      \
  do {                                                                                 \
    struct res r_ = tok(in, delim, true);                                              \
    printf("# row \"%s\"\n", #in);                                                     \
    CHECK_EQ_INT(r_.st, ROUSE_ROW_OK);                                                 \
    CHECK_EQ_STR(r_.joined, expect_joined);                                            \
    CHECK_EQ_INT(r_.nf, expect_nf);                                                    \
    CHECK_EQ_INT(r_.lines, expect_lines);                                              \
    CHECK_EQ_INT(r_.consumed, expect_consumed);                                        \
    CHECK(r_.spans_ok);                                                                \
  } while (0)

int main(void) {
  /* plain rows */
  ROW_OK("a,b,c\n", ',', "a|b|c", 3, 1, 6);
  ROW_OK("a,b,c", ',', "a|b|c", 3, 0, 5);
  ROW_OK("a,b,c\nd,e\n", ',', "a|b|c", 3, 1, 6);
  ROW_OK("abc\n", ',', "abc", 1, 1, 4);
  /* CRLF: the CR is not part of the last field */
  ROW_OK("a,b\r\n", ',', "a|b", 2, 1, 5);
  ROW_OK("a,b\r\nc\r\n", ',', "a|b", 2, 1, 5);
  /* a CR at the very end of the input is a line end cut short, not data */
  ROW_OK("a,b\r", ',', "a|b", 2, 0, 4);
  ROW_OK("\"a\"\r", ',', "a", 1, 0, 4);
  ROW_OK("\"a\"\"\"\r", ',', "a\"", 1, 0, 6);
  ROW_OK("a,\r", ',', "a|", 2, 0, 3);
  ROW_OK("a\r\r", ',', "a\r", 1, 0, 3);
  /* a CR inside a field stays */
  ROW_OK("a\rb,c\n", ',', "a\rb|c", 2, 1, 6);
  /* empty fields and a trailing delimiter */
  ROW_OK(",,\n", ',', "||", 3, 1, 3);
  ROW_OK("a,b,\n", ',', "a|b|", 3, 1, 5);
  ROW_OK("a,b,\r\n", ',', "a|b|", 3, 1, 6);
  ROW_OK("a,", ',', "a|", 2, 0, 2);
  ROW_OK("\n", ',', "", 1, 1, 1);
  ROW_OK("\r\n", ',', "", 1, 1, 2);
  /* quoted fields */
  ROW_OK("\"a,b\",c\n", ',', "a,b|c", 2, 1, 8);
  ROW_OK("\"\",x\n", ',', "|x", 2, 1, 5);
  ROW_OK("\"a\"\r\n", ',', "a", 1, 1, 5);
  ROW_OK("x,\"a\"", ',', "x|a", 2, 0, 5);
  /* doubled quotes are unescaped (into scratch) */
  ROW_OK("\"say \"\"hi\"\"\",x\n", ',', "say \"hi\"|x", 2, 1, 15);
  ROW_OK("\"\"\"\"\n", ',', "\"", 1, 1, 5);
  ROW_OK("\"a\"\"\"\n", ',', "a\"", 1, 1, 6);
  /* newlines inside quotes belong to the field and are counted */
  ROW_OK("\"line1\nline2\",z\n", ',', "line1\nline2|z", 2, 2, 16);
  ROW_OK("\"1\n2\n3\",\"4\r\n5\"\n", ',', "1\n2\n3|4\r\n5", 2, 4, 15);
  ROW_OK("\"a\"\"\nb\"\n", ',', "a\"\nb", 1, 2, 8);
  /* a quote in mid-field is literal */
  ROW_OK("12\" TV,5\n", ',', "12\" TV|5", 2, 1, 9);
  ROW_OK("a,b\"c,d\n", ',', "a|b\"c|d", 3, 1, 8);
  ROW_OK("a,b\"\"c\n", ',', "a|b\"\"c", 2, 1, 7);
  ROW_OK("x \"y\",z\n", ',', "x \"y\"|z", 2, 1, 8);
  /* text after the closing quote is kept (up to the delimiter) */
  ROW_OK("\"ab\"cd,e\n", ',', "abcd|e", 2, 1, 9);
  ROW_OK("\"a\"\"b\"tail,e\n", ',', "a\"btail|e", 2, 1, 13);
  ROW_OK("\"a\" ,b\n", ',', "a |b", 2, 1, 7);
  ROW_OK("\"a\"x\r\n", ',', "ax", 1, 1, 6);
  ROW_OK("\"a\"\"\"x\n", ',', "a\"x", 1, 1, 7);
  /* other delimiters */
  ROW_OK("a\tb,c\t\"d\te\"\n", '\t', "a|b,c|d\te", 3, 1, 12);
  ROW_OK("a;b,c;\"d;e\"\n", ';', "a|b,c|d;e", 3, 1, 12);
  ROW_OK("a,b\n", ';', "a,b", 1, 1, 4);

  /* a quoted field with only a quoted newline */
  ROW_OK("\"\n\"\n", ',', "\n", 1, 2, 4);

  /* longest: over stored fields */
  {
    struct res r = tok("abc,de,\"fghij\"\n", ',', true);
    CHECK_EQ_INT(r.longest, 5);
    r = tok("\"x\"\"y\",z\n", ',', true);
    CHECK_EQ_INT(r.longest, 3); /* unescaped length x"y */
  }

  /* scratch: used only for unescaped fields, and accumulates within a row */
  {
    struct res r = tok("\"a\",\"b\"\n", ',', true);
    CHECK_EQ_INT(r.scratch_len, 0);
    r = tok("\"a\"\"\",\"b\"\"c\"\n", ',', true);
    CHECK_EQ_STR(r.joined, "a\"|b\"c");
    CHECK_EQ_INT(r.scratch_len, 5);
    CHECK(r.spans_ok);
    /* without scratch, doubled quotes stay escaped in the span */
    r = tok_ex("\"a\"\"b\",c\n", 9, ',', true, MAXF, false);
    CHECK_EQ_INT(r.st, ROUSE_ROW_OK);
    CHECK_EQ_STR(r.joined, "a\"\"b|c");
    CHECK_EQ_INT(r.consumed, 9);
    CHECK(r.spans_ok);
  }

  /* fields beyond maxf are counted, not stored */
  {
    struct res r = tok_ex("a,b,c,d\n", 8, ',', true, 2, true);
    CHECK_EQ_INT(r.st, ROUSE_ROW_OK);
    CHECK_EQ_INT(r.nf, 4);
    CHECK_EQ_STR(r.joined, "a|b");
    CHECK_EQ_INT(r.consumed, 8);
    CHECK_EQ_INT(r.lines, 1);
    r = tok_ex("a,\"b\"\"x\",\"c\"\"\",dddddddd\n", 24, ',', true, 1, true);
    CHECK_EQ_INT(r.nf, 4);
    CHECK_EQ_STR(r.joined, "a");
    CHECK_EQ_INT(r.scratch_len, 0); /* nothing beyond maxf was copied */
    CHECK_EQ_INT(r.longest, 1);
    CHECK_EQ_INT(r.consumed, 24);
    r = tok_ex("a,b\n", 4, ',', true, 0, false); /* boundary scan mode */
    CHECK_EQ_INT(r.nf, 2);
    CHECK_EQ_INT(r.consumed, 4);
  }

  /* INCOMPLETE: the buffer ends before the row, more input will come */
  {
    struct res r;
    r = tok("a,b,c", ',', false);
    CHECK_EQ_INT(r.st, ROUSE_ROW_INCOMPLETE);
    r = tok("a,", ',', false);
    CHECK_EQ_INT(r.st, ROUSE_ROW_INCOMPLETE);
    r = tok("\"abc", ',', false);
    CHECK_EQ_INT(r.st, ROUSE_ROW_INCOMPLETE);
    r = tok("\"ab\nc", ',', false);
    CHECK_EQ_INT(r.st, ROUSE_ROW_INCOMPLETE);
    /* a closing quote as the last byte might be the first half of "" */
    r = tok("\"abc\"", ',', false);
    CHECK_EQ_INT(r.st, ROUSE_ROW_INCOMPLETE);
    r = tok("\"a\"\"", ',', false);
    CHECK_EQ_INT(r.st, ROUSE_ROW_INCOMPLETE);
    r = tok("\"abc\"x", ',', false);
    CHECK_EQ_INT(r.st, ROUSE_ROW_INCOMPLETE);
    r = tok("a,b\r", ',', false);
    CHECK_EQ_INT(r.st, ROUSE_ROW_INCOMPLETE);
    /* a whole row is complete even when nothing follows it */
    r = tok("a,b\n", ',', false);
    CHECK_EQ_INT(r.st, ROUSE_ROW_OK);
    CHECK_EQ_INT(r.consumed, 4);
    r = tok("\"a\nb\",c\n", ',', false);
    CHECK_EQ_INT(r.st, ROUSE_ROW_OK);
    CHECK_EQ_STR(r.joined, "a\nb|c");
    CHECK_EQ_INT(r.lines, 2);
    r = tok("a,b\nc", ',', false); /* first row complete, second not looked at */
    CHECK_EQ_INT(r.st, ROUSE_ROW_OK);
    CHECK_EQ_INT(r.consumed, 4);
  }

  /* at EOF the same inputs end the row, or are UNTERMINATED inside quotes */
  {
    struct res r;
    r = tok("\"abc\"", ',', true);
    CHECK_EQ_INT(r.st, ROUSE_ROW_OK);
    CHECK_EQ_STR(r.joined, "abc");
    r = tok("\"abc", ',', true);
    CHECK_EQ_INT(r.st, ROUSE_ROW_UNTERMINATED);
    CHECK_EQ_INT(r.consumed, 4);
    CHECK_EQ_INT(r.nf, 1);
    CHECK_EQ_INT(r.lines, 0);
    r = tok("x,\"a\nb\nc", ',', true);
    CHECK_EQ_INT(r.st, ROUSE_ROW_UNTERMINATED);
    CHECK_EQ_INT(r.nf, 2);
    CHECK_EQ_INT(r.lines, 2);
    CHECK_EQ_INT(r.consumed, 8);
    r = tok("\"a\nb\"\"\nc", ',', true); /* doubled quote inside, still open */
    CHECK_EQ_INT(r.st, ROUSE_ROW_UNTERMINATED);
    CHECK_EQ_INT(r.lines, 2);
    r = tok("\"a\"\"", ',', true);
    CHECK_EQ_INT(r.st, ROUSE_ROW_UNTERMINATED);
  }

  /* rows in sequence: consumed offsets chain, lines add up */
  {
    const char *in = "h1,h2\r\n\"x\ny\",1\n\n3,\"4\"\"\"\nlast,row";
    size_t n = strlen(in), off = 0;
    uint32_t lines = 0, rows = 0;
    int st = 0;
    char all[256];
    size_t o = 0;
    while (off < n) {
      struct res r = tok_ex(in + off, n - off, ',', true, MAXF, true);
      st |= r.st;
      off += r.consumed;
      lines += r.lines;
      rows++;
      o += (size_t)snprintf(all + o, sizeof all - o, "[%s]", r.joined);
    }
    CHECK_EQ_INT(st, ROUSE_ROW_OK);
    CHECK_EQ_INT(off, n);
    CHECK_EQ_INT(rows, 5);
    CHECK_EQ_INT(lines, 5);
    CHECK_EQ_STR(all, "[h1|h2][x\ny|1][][3|4\"][last|row]");
  }

  /* delimiter sniffing: most frequent of , TAB ; outside quotes, first line only */
  CHECK_EQ_INT(rouse__csv_sniff_delim("a,b,c", strlen("a,b,c")), ',');
  CHECK_EQ_INT(rouse__csv_sniff_delim("a\tb\tc,d", strlen("a\tb\tc,d")), '\t');
  CHECK_EQ_INT(rouse__csv_sniff_delim("a;b;c", strlen("a;b;c")), ';');
  CHECK_EQ_INT(rouse__csv_sniff_delim("abc", strlen("abc")), '\0');
  CHECK_EQ_INT(rouse__csv_sniff_delim("", strlen("")), '\0');
  CHECK_EQ_INT(rouse__csv_sniff_delim("\"a,b,c\";d", strlen("\"a,b,c\";d")), ';');
  CHECK_EQ_INT(rouse__csv_sniff_delim("\"a\"\",\"\"b\";c", strlen("\"a\"\",\"\"b\";c")), ';');
  CHECK_EQ_INT(rouse__csv_sniff_delim("a;\"b,c,d\";e", strlen("a;\"b,c,d\";e")), ';');
  CHECK_EQ_INT(rouse__csv_sniff_delim("x\"a,b,c\";d", strlen("x\"a,b,c\";d")), ','); /* mid-field quote literal */
  CHECK_EQ_INT(rouse__csv_sniff_delim("a,b\nc;d;e;f", strlen("a,b\nc;d;e;f")), ',');
  CHECK_EQ_INT(rouse__csv_sniff_delim("a;b,c,d,e", 3), ';'); /* length honoured */
  {
    /* Japanese header, tab separated */
    const char *h = "\xE4\xBC\x9A\xE5\x93\xA1ID\t\xE5\x8F\x97\xE6\xB3\xA8\xE6\x97\xA5\t"
                    "\xE5\x90\x88\xE8\xA8\x88";
    CHECK_EQ_INT(rouse__csv_sniff_delim(h, strlen(h)), '\t');
  }
  return done_testing();
}
