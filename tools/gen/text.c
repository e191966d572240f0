/* SPDX-License-Identifier: MIT
 * rouse-gen: every piece of text of the shop format, converted once to the output encoding
 * (UTF-8 as written here, or CP932 through glibc's iconv) and pre-quoted for the delimiter
 * (RFC 4180: a field holding the delimiter, a quote or a newline is quoted, quotes doubled).
 * The catalogue deliberately holds a product name with a comma, one with doubled quotes,
 * ones with an embedded newline, and a category with a comma. */
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"
#include "text.h"

struct product {
  const char *code, *name;
};
struct category {
  const char *name;
  double cycle_days; /* typical repurchase cycle: used to pick a customer's favourite */
  int n;
  struct product items[4];
};

static const struct category CATS[] = {
    {"サプリメント", 30, 4,
     {{"SP-0001", "マルチビタミン 90粒"},
      {"SP-0002", "プロテイン 1kg, チョコ味"},
      {"SP-0003", "DHA・EPA 120粒"},
      {"SP-0004", "乳酸菌サプリ 30日分"}}},
    {"化粧品", 60, 4,
     {{"CO-0101", "化粧水 しっとり 200ml"},
      {"CO-0102", "美容液 \"プレミアム\" 30ml"},
      {"CO-0103", "洗顔フォーム\n(詰め替え用)"},
      {"CO-0104", "日焼け止め SPF50+"}}},
    {"食品・飲料", 45, 4,
     {{"FD-0201", "有機緑茶 ティーバッグ 50袋"},
      {"FD-0202", "ドリップコーヒー 20杯分"},
      {"FD-0203", "玄米 5kg"},
      {"FD-0204", "ミネラルウォーター 2L×6本"}}},
    {"インテリア, 雑貨", 180, 3,
     {{"IN-0301", "アロマディフューザー"},
      {"IN-0302", "クッションカバー 45×45cm"},
      {"IN-0303", "壁掛け時計\n(木製, 静音)"}}},
    {"家具", 720, 3,
     {{"FN-0401", "ソファ 3人掛け"},
      {"FN-0402", "ダイニングテーブル 幅140cm"},
      {"FN-0403", "本棚 5段"}}},
};
#define NCAT ((int)(sizeof CATS / sizeof CATS[0]))

static const char *const HEADER_SHOP[] = {"受注番号", "受注日時", "会員ID", "商品コード", "商品名",
                                          "カテゴリ", "数量", "小計", "対応状況"};
static const char *const HEADER_PLAIN[] = {"customer_id", "date", "amount"};

static const char *const STATUS[ST_N] = {"発送済み", "入金済み", "発送準備中", "新規受付", "入金待ち",
                                         "キャンセル", "キャンセル済み", "取消", "返品"};

static const char *const PIECES[P_N] = {
    [P_YEN] = "¥", [P_FWYEN] = "￥", [P_EN] = "円", [P_TRI] = "▲", [P_FWMINUS] = "－",
    [P_FWCOMMA] = "，", [P_FWDOT] = "．", [P_D0] = "０", [P_D0 + 1] = "１", [P_D0 + 2] = "２",
    [P_D0 + 3] = "３", [P_D0 + 4] = "４", [P_D0 + 5] = "５", [P_D0 + 6] = "６", [P_D0 + 7] = "７",
    [P_D0 + 8] = "８", [P_D0 + 9] = "９", [P_MEMO] = "備考"};

static tstr_t cat_t[NCAT], prod_t[NCAT][4], status_t[ST_N], piece_t[P_N], header_t;
static char delim = ',';

int text_ncat(void) { return NCAT; }
int text_nprod(int cat) { return CATS[cat].n; }
double text_cycle(int cat) { return CATS[cat].cycle_days; }
const char *text_prod_code(int cat, int k) { return CATS[cat].items[k].code; }
const tstr_t *text_cat(int cat) { return &cat_t[cat]; }
const tstr_t *text_prod(int cat, int k) { return &prod_t[cat][k]; }
const tstr_t *text_status(int s) { return &status_t[s]; }
const tstr_t *text_piece(int p) { return &piece_t[p]; }
const tstr_t *text_header(void) { return &header_t; }

static iconv_t cd = (iconv_t)-1;

/* UTF-8 -> output encoding; exits on a character the encoding cannot hold (a bug here) */
static char *encode(const char *s, size_t *outlen) {
  size_t n = strlen(s);
  char *out = malloc(n * 2 + 8);
  if (!out) die_oom();
  if (cd == (iconv_t)-1) {
    memcpy(out, s, n + 1);
    *outlen = n;
    return out;
  }
  char *in = (char *)s, *o = out;
  size_t il = n, ol = n * 2 + 8;
  iconv(cd, NULL, NULL, NULL, NULL);
  if (iconv(cd, &in, &il, &o, &ol) == (size_t)-1) {
    fprintf(stderr, "%s: internal: cannot encode '%s' in CP932: %s\n", progname, s,
            strerror(errno));
    exit(1);
  }
  *o = '\0';
  *outlen = (size_t)(o - out);
  return out;
}

/* encoded, and quoted if it holds the delimiter, a quote, CR or LF */
static void make(tstr_t *t, const char *utf8, bool quote_if_needed) {
  size_t n;
  char *e = encode(utf8, &n);
  bool q = false;
  uint32_t nl = 0;
  for (size_t i = 0; i < n; i++) {
    if (e[i] == delim || e[i] == '"' || e[i] == '\n' || e[i] == '\r') q = true;
    nl += e[i] == '\n';
  }
  if (q && quote_if_needed) {
    char *qb = malloc(2 * n + 3);
    if (!qb) die_oom();
    size_t o = 0;
    qb[o++] = '"';
    for (size_t i = 0; i < n; i++) {
      if (e[i] == '"') qb[o++] = '"';
      qb[o++] = e[i];
    }
    qb[o++] = '"';
    free(e);
    e = qb;
    n = o;
  }
  t->s = e;
  t->n = (uint32_t)n;
  t->nl = nl;
}

int text_init(const cfg_t *c) {
  delim = c->delim;
  if (c->encoding == ENC_CP932) {
    cd = iconv_open("CP932", "UTF-8");
    if (cd == (iconv_t)-1) {
      fprintf(stderr, "%s: cannot open the UTF-8 -> CP932 converter (iconv): %s\n", progname,
              strerror(errno));
      return 1;
    }
  }
  for (int k = 0; k < NCAT; k++) {
    make(&cat_t[k], CATS[k].name, true);
    for (int j = 0; j < CATS[k].n; j++) make(&prod_t[k][j], CATS[k].items[j].name, true);
  }
  for (int s = 0; s < ST_N; s++) make(&status_t[s], STATUS[s], true);
  for (int p = 0; p < P_N; p++) make(&piece_t[p], PIECES[p], false);
  /* header row */
  const char *const *h = c->format == FMT_SHOP ? HEADER_SHOP : HEADER_PLAIN;
  int nh = c->format == FMT_SHOP ? 9 : 3;
  char buf[512];
  size_t o = 0;
  for (int i = 0; i < nh; i++) {
    if (i) buf[o++] = c->delim;
    size_t l = strlen(h[i]);
    memcpy(buf + o, h[i], l);
    o += l;
  }
  buf[o] = '\0';
  make(&header_t, buf, false);
  if (cd != (iconv_t)-1) iconv_close(cd);
  cd = (iconv_t)-1;
  return 0;
}

/*=====================================================================
 * Numbers
 *====================================================================*/
static inline char *put_piece(char *o, int p) {
  memcpy(o, piece_t[p].s, piece_t[p].n);
  return o + piece_t[p].n;
}

/* integer part with optional grouping, digits ASCII or full-width */
static char *put_int(char *o, uint64_t v, bool group, bool fw) {
  char t[24];
  int n = 0;
  do {
    t[n++] = (char)(v % 10);
    v /= 10;
  } while (v);
  for (int i = n - 1; i >= 0; i--) {
    if (fw) o = put_piece(o, P_D0 + t[i]);
    else *o++ = (char)('0' + t[i]);
    if (group && i > 0 && i % 3 == 0) {
      if (fw) o = put_piece(o, P_FWCOMMA);
      else *o++ = ',';
    }
  }
  return o;
}

static char *put_frac(char *o, uint64_t frac, int dec, bool fw) {
  if (!dec) return o;
  o = fw ? put_piece(o, P_FWDOT) : (*o++ = '.', o);
  char t[8];
  for (int i = dec - 1; i >= 0; i--) {
    t[i] = (char)(frac % 10);
    frac /= 10;
  }
  for (int i = 0; i < dec; i++) {
    if (fw) o = put_piece(o, P_D0 + t[i]);
    else *o++ = (char)('0' + t[i]);
  }
  return o;
}

char *text_amount(char *out, int64_t minor, int dec, int form, bool neg) {
  char tmp[160];
  char *o = tmp;
  uint64_t m = (uint64_t)(minor < 0 ? -minor : minor);
  uint64_t div = (uint64_t)pow10i(dec), ip = m / div, fp = m % div;
  if (!neg) {
    switch (form) {
      case A_PLAIN: o = put_int(o, ip, false, false); o = put_frac(o, fp, dec, false); break;
      case A_GROUP: o = put_int(o, ip, true, false); o = put_frac(o, fp, dec, false); break;
      case A_YEN:
      case A_FWYEN:
        o = put_piece(o, form == A_YEN ? P_YEN : P_FWYEN);
        o = put_int(o, ip, true, false);
        o = put_frac(o, fp, dec, false);
        break;
      case A_EN:
      case A_EN_PLAIN:
        o = put_int(o, ip, form == A_EN, false);
        o = put_frac(o, fp, dec, false);
        o = put_piece(o, P_EN);
        break;
      case A_FW:
      case A_FW_GROUP:
        o = put_int(o, ip, form == A_FW_GROUP, true);
        o = put_frac(o, fp, dec, true);
        break;
    }
  } else {
    switch (form) {
      case N_MINUS: *o++ = '-'; o = put_int(o, ip, false, false); o = put_frac(o, fp, dec, false); break;
      case N_MINUS_GROUP: *o++ = '-'; o = put_int(o, ip, true, false); o = put_frac(o, fp, dec, false); break;
      case N_TRI:
      case N_TRI_EN:
        o = put_piece(o, P_TRI);
        o = put_int(o, ip, true, false);
        o = put_frac(o, fp, dec, false);
        if (form == N_TRI_EN) o = put_piece(o, P_EN);
        break;
      case N_PAREN:
        *o++ = '(';
        o = put_int(o, ip, true, false);
        o = put_frac(o, fp, dec, false);
        *o++ = ')';
        break;
      case N_FW:
        o = put_piece(o, P_FWMINUS);
        o = put_int(o, ip, true, true);
        o = put_frac(o, fp, dec, true);
        break;
      case N_YEN:
        *o++ = '-';
        o = put_piece(o, P_YEN);
        o = put_int(o, ip, true, false);
        o = put_frac(o, fp, dec, false);
        break;
    }
  }
  size_t n = (size_t)(o - tmp);
  bool q = memchr(tmp, delim, n) != NULL;
  if (q) *out++ = '"';
  memcpy(out, tmp, n);
  out += n;
  if (q) *out++ = '"';
  return out;
}
