/* SPDX-License-Identifier: MIT
 * Customer master reader (rouse_master_parse): id and status/flag column recognition in
 * English and Japanese, status words and flag values, withdrawal dates, several status
 * columns, CP932 and
 * BOM input, delimiters, rejects with line/column and the count identity rows = accepted +
 * rejected, duplicate ids, and the errors (no id column, no status column, empty input,
 * bad header encoding) with file and line in the message. */
#include <stdlib.h>

#include "harness.h"
#include "rouse/rouse_master.h"

struct rej {
  int n;
  uint64_t line[16];
  uint32_t column[16];
  int reason[16];
  char text[16][64];
};

static void on_rej(void *ctx, const rouse_diag *d) {
  struct rej *r = ctx;
  if (r->n < 16) {
    r->line[r->n] = d->line;
    r->column[r->n] = d->column;
    r->reason[r->n] = d->reason;
    snprintf(r->text[r->n], sizeof r->text[r->n], "%.*s", (int)d->text_len, d->text);
    printf("# reject line %llu column %u %s: %s\n", (unsigned long long)d->line, d->column,
           rouse_master_reject_name(d->reason), d->detail);
  }
  r->n++;
}

/* counting allocator that fails the Nth call (0: never) and tracks live blocks */
static long g_calls, g_fail_at, g_live;
static void *f_malloc(void *ctx, size_t n) {
  (void)ctx;
  if (g_fail_at && ++g_calls == g_fail_at) return NULL;
  void *p = malloc(n);
  if (p) g_live++;
  return p;
}
static void *f_realloc(void *ctx, void *p, size_t n) {
  (void)ctx;
  if (g_fail_at && ++g_calls == g_fail_at) return NULL;
  void *q = realloc(p, n);
  if (q && !p) g_live++;
  return q;
}
static void f_free(void *ctx, void *p) {
  (void)ctx;
  if (p) g_live--;
  free(p);
}

static char g_err[600];
static struct rej g_rej;

static rouse_master *parse(const char *csv, size_t len, int *rc) {
  rouse_master_opts o;
  rouse_master_opts_init(&o);
  memset(&g_rej, 0, sizeof g_rej);
  o.on_reject = on_rej;
  o.reject_ctx = &g_rej;
  rouse_master *m = NULL;
  *rc = rouse_master_parse("m.csv", csv, len, &o, &m, g_err, sizeof g_err);
  if (*rc) printf("# error: %s\n", g_err);
  return m;
}

static rouse_master *ok(const char *csv) {
  int rc;
  rouse_master *m = parse(csv, strlen(csv), &rc);
  CHECK_EQ_INT(rc, ROUSE_OK);
  if (m) CHECK_EQ_INT(m->rows, m->accepted + m->rejected);
  return m;
}

static int has(const rouse_master *m, const char *id) {
  for (size_t i = 0; m && i < m->n_withdrawn; i++)
    if (!strcmp(m->withdrawn[i], id)) return 1;
  return 0;
}

static int fails(const char *csv, size_t len, int want, const char *needle) {
  int rc;
  rouse_master *m = parse(csv, len, &rc);
  rouse_master_free(m);
  return rc == want && m == NULL && strstr(g_err, "m.csv: ") == g_err &&
         (!needle || strstr(g_err, needle));
}

int main(void) {
  rouse_master *m;

  /* English status column, words case-insensitive and trimmed */
  m = ok("customer_id,name,status\n"
         "c1,A,active\n"
         "c2,B, Withdrawn \n"
         "c3,C,UNSUBSCRIBED\n"
         "c4,D,deleted\n"
         "c5,E,closed\n"
         "c6,F,\n"
         "c7,G,suspended\n");
  CHECK_EQ_INT(m->rows, 7);
  CHECK_EQ_INT(m->accepted, 7);
  CHECK_EQ_INT(m->rejected, 0);
  CHECK_EQ_INT(m->n_withdrawn, 4);
  CHECK_EQ_INT(m->withdrawn_rows, 4);
  CHECK_EQ_STR(m->withdrawn[0], "c2");
  CHECK_EQ_STR(m->withdrawn[3], "c5");
  CHECK(!has(m, "c1") && !has(m, "c6") && !has(m, "c7"));
  CHECK_EQ_INT(m->id.column, 0);
  CHECK_EQ_STR(m->id.header, "customer_id");
  CHECK_EQ_INT(m->n_status, 1);
  CHECK_EQ_INT(m->status[0].column, 2);
  CHECK_EQ_INT(m->status[0].is_flag, 0);
  CHECK_EQ_INT(m->delimiter, ',');
  CHECK_EQ_INT(m->encoding, ROUSE_ENCODING_UTF8);
  CHECK_EQ_INT(m->bom, 0);
  rouse_master_free(m);

  /* Japanese names and words; header name variants (full-width, spaces, case) */
  m = ok("会員ID,氏名,会員状態\n"
         "1001,山田,有効\n"
         "1002,佐藤,退会\n"
         "1003,鈴木,退会済み\n"
         "1004,高橋,配信停止\n"
         "1005,田中,削除\n");
  CHECK_EQ_INT(m->n_withdrawn, 4);
  CHECK(!has(m, "1001") && has(m, "1002") && has(m, "1005"));
  CHECK_EQ_STR(m->status[0].header, "会員状態");
  rouse_master_free(m);
  m = ok("Customer ID\tＳＴＡＴＵＳ\nx\twithdrawn\ny\tactive\n");
  CHECK_EQ_INT(m->delimiter, '\t');
  CHECK_EQ_INT(m->n_withdrawn, 1);
  CHECK(has(m, "x"));
  rouse_master_free(m);
  m = ok("顧客番号;ステータス\n7;退会\n8;通常\n");
  CHECK_EQ_INT(m->delimiter, ';');
  CHECK(has(m, "7") && !has(m, "8"));
  rouse_master_free(m);
  m = ok("member_id,State\nm1,closed\n");
  CHECK(has(m, "m1"));
  rouse_master_free(m);

  /* flag columns: 1/true/yes/y/○/済 mean withdrawn, 0/false/no/empty mean not */
  m = ok("会員ID,退会フラグ\n"
         "a,1\nb,true\nc,YES\nd,y\ne,○\nf,済\n"
         "g,0\nh,false\ni,no\nj,\nk, \n");
  CHECK_EQ_INT(m->accepted, 11);
  CHECK_EQ_INT(m->n_withdrawn, 6);
  CHECK(has(m, "a") && has(m, "f") && !has(m, "g") && !has(m, "j") && !has(m, "k"));
  CHECK_EQ_INT(m->status[0].is_flag, 1);
  rouse_master_free(m);
  m = ok("user_id,unsubscribed,opt_out\nu1,0,0\nu2,1,0\nu3,0,1\n");
  CHECK_EQ_INT(m->n_status, 2);
  CHECK(!has(m, "u1") && has(m, "u2") && has(m, "u3"));
  rouse_master_free(m);

  /* several columns, status and flag mixed: any one marks withdrawn */
  m = ok("会員ID,会員状態,配信停止フラグ,退会\n"
         "p,有効,0,0\n"
         "q,有効,1,0\n"
         "r,退会,0,\n"
         "s,有効,0,1\n");
  CHECK_EQ_INT(m->n_status, 3);
  CHECK_EQ_INT(m->status[1].is_flag, 1);
  CHECK_EQ_INT(m->n_withdrawn, 3);
  CHECK(!has(m, "p") && has(m, "q") && has(m, "r") && has(m, "s"));
  rouse_master_free(m);

  /* duplicate ids: withdrawn if any row says so; counted once */
  m = ok("customer_id,withdrawn\nd1,0\nd1,1\nd2,1\nd2,1\nd1,0\n");
  CHECK_EQ_INT(m->rows, 5);
  CHECK_EQ_INT(m->withdrawn_rows, 3);
  CHECK_EQ_INT(m->n_withdrawn, 2);
  CHECK_EQ_STR(m->withdrawn[0], "d1");
  CHECK_EQ_STR(m->withdrawn[1], "d2");
  rouse_master_free(m);

  /* ids are trimmed like the transaction ingest's; quoted fields, CRLF, blank lines */
  m = ok("\"customer_id\",\"status\"\r\n\" 42 \",\"withdrawn\"\r\n\r\n\"a,b\",\"deleted\"\r\n");
  CHECK_EQ_INT(m->rows, 2);
  CHECK_EQ_INT(m->blank_lines, 1);
  CHECK(has(m, "42") && has(m, "a,b"));
  rouse_master_free(m);

  /* BOM */
  m = ok("\xEF\xBB\xBF会員ID,退会フラグ\n1,1\n");
  CHECK_EQ_INT(m->bom, 1);
  CHECK_EQ_STR(m->id.header, "会員ID");
  CHECK(has(m, "1"));
  rouse_master_free(m);

  /* CP932: 会員ID,会員状態 / 10,退会 / 11,有効 / 12,配信停止 */
  m = ok("\x89\xEF\x88\xF5" "ID,\x89\xEF\x88\xF5\x8F\xF3\x91\xD4\r\n"
         "10,\x91\xDE\x89\xEF\r\n"
         "11,\x97\x4C\x8C\xF8\r\n"
         "12,\x94\x7A\x90\x4D\x92\xE2\x8E\x7E\r\n");
  CHECK_EQ_INT(m->encoding, ROUSE_ENCODING_CP932);
  CHECK_EQ_STR(m->id.header, "会員ID");
  CHECK_EQ_STR(m->status[0].header, "会員状態");
  CHECK_EQ_INT(m->n_withdrawn, 2);
  CHECK(has(m, "10") && !has(m, "11") && has(m, "12"));
  rouse_master_free(m);
  /* CP932 flag column with a bad byte in one row: that row is rejected as encoding */
  m = ok("\x89\xEF\x88\xF5" "ID,\x91\xDE\x89\xEF\x83\x74\x83\x89\x83\x4F\n"
         "20,1\n"
         "2\xFF" "1,1\n"
         "22,0\n");
  CHECK_EQ_INT(m->encoding, ROUSE_ENCODING_CP932);
  CHECK_EQ_INT(m->rows, 3);
  CHECK_EQ_INT(m->rejected, 1);
  CHECK_EQ_INT(m->rejected_by[ROUSE_MASTER_REJECT_ENCODING], 1);
  CHECK_EQ_INT(g_rej.line[0], 3);
  CHECK_EQ_INT(g_rej.column[0], 1);
  CHECK(has(m, "20") && m->n_withdrawn == 1);
  rouse_master_free(m);

  /* rejects: empty id, too few fields, invalid UTF-8, unknown flag value, unclosed quote;
   * line numbers count physical lines (a quoted newline included) */
  m = ok("id_x,customer_id,name,withdrawn\n"    /* line 1 */
         "1,c1,\"two\nlines\",1\n"               /* 2-3: ok, withdrawn */
         "2, ,A,1\n"                            /* 4: empty id, column 2 */
         "3,c3,B\n"                             /* 5: 3 fields, need 4 */
         "4,c4,\xFF,0\n"                        /* 6: invalid UTF-8, column 3 */
         "5,c5,C,maybe\n"                       /* 7: unknown flag, column 4 */
         "6,c6,D,0,extra\n"                     /* 8: more fields: fine */
         "7,c7,\"open,1\n");                    /* 9: unterminated quote */
  CHECK_EQ_INT(m->rows, 7);
  CHECK_EQ_INT(m->accepted, 2);
  CHECK_EQ_INT(m->rejected, 5);
  CHECK_EQ_INT(m->rows, m->accepted + m->rejected);
  uint64_t sum = 0;
  for (int r = 0; r < ROUSE_MASTER_REJECT_COUNT; r++) sum += m->rejected_by[r];
  CHECK_EQ_INT(sum, m->rejected);
  CHECK_EQ_INT(m->rejected_by[ROUSE_MASTER_REJECT_NO_CUSTOMER], 1);
  CHECK_EQ_INT(m->rejected_by[ROUSE_MASTER_REJECT_FIELD_COUNT], 1);
  CHECK_EQ_INT(m->rejected_by[ROUSE_MASTER_REJECT_ENCODING], 1);
  CHECK_EQ_INT(m->rejected_by[ROUSE_MASTER_REJECT_BAD_FLAG], 1);
  CHECK_EQ_INT(m->rejected_by[ROUSE_MASTER_REJECT_QUOTE], 1);
  CHECK_EQ_INT(g_rej.n, 5);
  CHECK_EQ_INT(g_rej.line[0], 4);
  CHECK_EQ_INT(g_rej.column[0], 2);
  CHECK_EQ_INT(g_rej.reason[0], ROUSE_MASTER_REJECT_NO_CUSTOMER);
  CHECK_EQ_STR(g_rej.text[0], "2, ,A,1");
  CHECK_EQ_INT(g_rej.line[1], 5);
  CHECK_EQ_INT(g_rej.column[1], 0);
  CHECK_EQ_INT(g_rej.line[2], 6);
  CHECK_EQ_INT(g_rej.column[2], 3);
  CHECK_EQ_INT(g_rej.line[3], 7);
  CHECK_EQ_INT(g_rej.column[3], 4);
  CHECK_EQ_INT(g_rej.reason[3], ROUSE_MASTER_REJECT_BAD_FLAG);
  CHECK_EQ_INT(g_rej.line[4], 9);
  CHECK_EQ_INT(g_rej.reason[4], ROUSE_MASTER_REJECT_QUOTE);
  CHECK_EQ_INT(m->id.column, 1); /* "id_x" is not an id name; customer_id is */
  CHECK_EQ_INT(m->n_withdrawn, 1);
  CHECK(has(m, "c1"));
  rouse_master_free(m);

  /* withdrawal date columns: a date marks the row withdrawn on that day, empty does not; the
   * earliest date per id, undated when a status or flag marks it without a date; a value
   * that is not a date rejects the row */
  m = ok("会員ID,退会日,会員状態\n"
         "d1,2024-03-05,\n"
         "d2,,有効\n"
         "d3,2024/1/7,退会\n"
         "d4,,退会\n"
         "d1,2024-02-01,\n"
         "d4,2023-12-31,\n"
         "d5,soon,\n"
         "d6,20240615 10:30,\n");
  CHECK_EQ_INT(m->rows, 8);
  CHECK_EQ_INT(m->rejected, 1);
  CHECK_EQ_INT(m->rejected_by[ROUSE_MASTER_REJECT_BAD_DATE], 1);
  CHECK(g_rej.n == 1 && g_rej.line[0] == 8 && g_rej.column[0] == 2);
  CHECK_EQ_INT(m->n_status, 2);
  CHECK(m->status[0].is_date && !m->status[0].is_flag && !m->status[1].is_date);
  CHECK_EQ_INT(m->n_withdrawn, 4); /* d1, d3, d4, d6 */
  CHECK_EQ_INT(m->n_dated, 3);
  {
    int32_t want[4];
    CHECK_EQ_INT(rouse_date_parse("2024-02-01", 10, &want[0]), ROUSE_OK);
    CHECK_EQ_INT(rouse_date_parse("2024-01-07", 10, &want[1]), ROUSE_OK);
    want[2] = INT32_MIN; /* d4: 退会 without a date in one row */
    CHECK_EQ_INT(rouse_date_parse("2024-06-15", 10, &want[3]), ROUSE_OK);
    static const char *const ids[4] = {"d1", "d3", "d4", "d6"};
    for (int k = 0; k < 4 && m->n_withdrawn == 4; k++) {
      CHECK_EQ_STR(m->withdrawn[k], ids[k]);
      CHECK_EQ_INT(m->withdrawn_day[k], want[k]);
    }
  }
  rouse_master_free(m);

  /* no rows, no withdrawn: fine */
  m = ok("customer_id,status\n");
  CHECK_EQ_INT(m->rows, 0);
  CHECK_EQ_INT(m->n_withdrawn, 0);
  rouse_master_free(m);

  /* errors */
  const char *e1 = "name,status\nA,withdrawn\n";
  CHECK(fails(e1, strlen(e1), ROUSE_PARSE, "line 1: no customer id column"));
  CHECK(strstr(g_err, "'name', 'status'") != NULL);
  const char *e2 = "会員ID,氏名,メール\n1,A,a@example.com\n";
  CHECK(fails(e2, strlen(e2), ROUSE_PARSE, "no withdrawn/unsubscribed column"));
  CHECK(strstr(g_err, "'会員ID', '氏名', 'メール'") != NULL);
  CHECK(fails("", 0, ROUSE_PARSE, "empty"));
  CHECK(fails("\xEF\xBB\xBF", 3, ROUSE_PARSE, "empty"));
  const char *e4 = "\"customer_id,status\n1,x\n";
  CHECK(fails(e4, strlen(e4), ROUSE_PARSE, "line 1: the header row has a quoted field"));
  const char *e3 = "customer_id,\xC3\x28status\n1,x\n";
  {
    rouse_master_opts o;
    rouse_master_opts_init(&o);
    o.encoding = ROUSE_ENCODING_UTF8;
    rouse_master *mm = (rouse_master *)1;
    int rc = rouse_master_parse("m.csv", e3, strlen(e3), &o, &mm, g_err, sizeof g_err);
    printf("# error: %s\n", g_err);
    CHECK_EQ_INT(rc, ROUSE_ENCODING);
    CHECK(mm == NULL);
    CHECK(strstr(g_err, "m.csv: line 1, column 2") == g_err);
  }
  /* misuse */
  {
    rouse_master *mm;
    CHECK_EQ_INT(rouse_master_parse("m.csv", NULL, 5, NULL, &mm, NULL, 0), ROUSE_MISUSE);
    CHECK_EQ_INT(rouse_master_parse("m.csv", "a", 1, NULL, NULL, NULL, 0), ROUSE_MISUSE);
    rouse_master_opts o;
    rouse_master_opts_init(&o);
    o.delimiter = '|';
    CHECK_EQ_INT(rouse_master_parse(NULL, "a", 1, &o, &mm, g_err, sizeof g_err), ROUSE_MISUSE);
    CHECK(strstr(g_err, "master: ") == g_err);
  }
  /* NULL options, NULL name */
  {
    rouse_master *mm = NULL;
    const char *s = "customer_id,status\nz,withdrawn\n";
    CHECK_EQ_INT(rouse_master_parse(NULL, s, strlen(s), NULL, &mm, NULL, 0), ROUSE_OK);
    CHECK(mm && mm->n_withdrawn == 1);
    rouse_master_free(mm);
  }
  /* every allocation failing in turn: ROUSE_NOMEM, nothing returned, nothing leaked; the
   * CP932 path (conversion buffer) and a growing id list included */
  {
    static const char *const inputs[] = {
        "\x89\xEF\x88\xF5" "ID,\x89\xEF\x88\xF5\x8F\xF3\x91\xD4\n10,\x91\xDE\x89\xEF\n",
        "customer_id,status,withdrawn\n"
        "a,withdrawn,0\nb,x,1\nc,y,0\nb,closed,1\n,x,1\nd,e,maybe\n"};
    rouse_alloc fa = {f_malloc, f_realloc, f_free, NULL};
    rouse_set_allocator(&fa);
    for (size_t k = 0; k < 2; k++) {
      int nomem = 0, okays = 0, leaks = 0;
      for (long at = 1; at < 200; at++) {
        g_calls = 0;
        g_fail_at = at;
        g_live = 0;
        rouse_master *mm = (rouse_master *)1;
        int rc = rouse_master_parse("m.csv", inputs[k], strlen(inputs[k]), NULL, &mm, g_err,
                                    sizeof g_err);
        if (rc == ROUSE_NOMEM) nomem += mm == NULL;
        else if (rc == ROUSE_OK) okays++;
        rouse_master_free(rc == ROUSE_OK ? mm : NULL);
        leaks += g_live != 0;
        if (rc == ROUSE_OK) break; /* past the last allocation */
      }
      printf("# input %zu: %d allocation failures handled\n", k, nomem);
      CHECK(nomem >= 4);
      CHECK_EQ_INT(okays, 1);
      CHECK_EQ_INT(leaks, 0);
    }
    g_fail_at = 0;
    rouse_set_allocator(NULL);
  }
  rouse_master_free(NULL);
  CHECK_EQ_STR(rouse_master_reject_name(ROUSE_MASTER_REJECT_BAD_FLAG), "bad_flag");
  CHECK_EQ_STR(rouse_master_reject_name(ROUSE_MASTER_REJECT_NO_CUSTOMER), "no_customer_id");
  CHECK(rouse_master_reject_name(ROUSE_MASTER_REJECT_COUNT) == NULL);
  CHECK(rouse_master_reject_name(-1) == NULL);
  return done_testing();
}
