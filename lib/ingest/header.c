/* SPDX-License-Identifier: MIT
 * Header recognition: which column of an export holds which field, from Japanese and English
 * names as carts write them (EC-CUBE, futureshop, MakeShop, カラーミーショップ, Shopify, 楽天,
 * Yahoo!, UCI/CDNOW research files), and what a cancelled status looks like. Names are
 * compared after normalisation: ASCII lower-cased, full-width ASCII folded to half-width,
 * spaces, '_', '-', '.' and brackets dropped. docs/input.md lists every name. */
#include "ingest.h"

struct names {
  int field;
  int is_flag;
  const char *const *list;
};

static const char *const N_CUSTOMER[] = {
    "会員ID", "顧客ID", "顧客番号", "会員番号", "顧客コード", "会員コード", "お客様番号",
    "購入者ID", "ユーザーID", "customer_id", "customer id", "customer", "customer_no",
    "customer_number", "customer_code", "cust_id", "member_id", "user_id", "client_id",
    "household_id", "buyer_id", NULL};
static const char *const N_DATE[] = {
    "受注日", "注文日", "注文日時", "受注日時", "購入日", "購入日時", "売上日", "取引日",
    "order_date", "date", "invoicedate", "invoice_date", "purchase_date", "transaction_date",
    "order_datetime", "created_at", "ordered_at", "day", NULL};
static const char *const N_AMOUNT[] = {
    "合計金額", "お支払い金額", "支払金額", "お支払金額", "小計", "金額", "売上金額", "購入金額",
    "税込金額", "請求金額", "受注金額", "amount", "total", "sales", "sales_value", "revenue",
    "total_price", "order_total", "dollars", "monetary", "value", NULL};
static const char *const N_ORDER[] = {
    "受注番号", "注文番号", "注文ID", "受注ID", "伝票番号", "order_id", "order_no",
    "order_number", "invoice", "invoice_no", "invoiceno", "basket_id", "transaction_id", NULL};
static const char *const N_QUANTITY[] = {"数量", "個数", "購入数", "quantity", "qty", NULL};
static const char *const N_PRODUCT[] = {"商品コード", "商品番号", "商品ID", "品番", "product_id",
                                        "product_code", "sku", "stockcode", "stock_code",
                                        "item_id", NULL};
static const char *const N_CATEGORY[] = {"カテゴリ", "カテゴリー", "商品カテゴリ",
                                         "商品カテゴリー", "商品分類", "分類", "category",
                                         "product_category", NULL};
static const char *const N_STATUS[] = {"対応状況", "ステータス", "注文ステータス",
                                       "受注ステータス", "注文状況", "status", "order_status",
                                       NULL};
static const char *const N_CANCEL_FLAG[] = {"キャンセル", "キャンセルフラグ", "取消フラグ",
                                            "取消", "cancelled", "canceled", "cancel",
                                            "is_cancelled", "cancel_flag", NULL};

static const struct names TABLE[] = {
    {ROUSE_FIELD_CUSTOMER_ID, 0, N_CUSTOMER}, {ROUSE_FIELD_DATE, 0, N_DATE},
    {ROUSE_FIELD_AMOUNT, 0, N_AMOUNT},        {ROUSE_FIELD_ORDER_ID, 0, N_ORDER},
    {ROUSE_FIELD_QUANTITY, 0, N_QUANTITY},    {ROUSE_FIELD_PRODUCT_ID, 0, N_PRODUCT},
    {ROUSE_FIELD_CATEGORY, 0, N_CATEGORY},    {ROUSE_FIELD_STATUS, 0, N_STATUS},
    {ROUSE_FIELD_STATUS, 1, N_CANCEL_FLAG},
};

/* normalise into out (capacity cap); returns length */
size_t rouse__header_norm(const char *s, size_t n, char *out, size_t cap) {
  const unsigned char *p = (const unsigned char *)s;
  size_t o = 0;
  for (size_t i = 0; i < n && o + 4 < cap;) {
    unsigned c = p[i];
    /* full-width ASCII U+FF01..U+FF5E = EF BC 81..EF BD 9E */
    if (c == 0xEF && i + 2 < n && (p[i + 1] == 0xBC || p[i + 1] == 0xBD)) {
      unsigned cp = 0xFF00 + ((p[i + 1] & 0x03u) << 6) + (p[i + 2] & 0x3Fu);
      if (cp >= 0xFF01 && cp <= 0xFF5E) {
        c = cp - 0xFF01 + 0x21;
        i += 3;
        goto ascii;
      }
    }
    if (c == 0xE3 && i + 2 < n && p[i + 1] == 0x80 && p[i + 2] == 0x80) { /* ideographic sp */
      i += 3;
      continue;
    }
    if (c >= 0x80) {
      out[o++] = (char)c;
      i++;
      continue;
    }
    i++;
  ascii:
    if (c == ' ' || c == '_' || c == '-' || c == '.' || c == '\t' || c == '(' || c == ')' ||
        c == '[' || c == ']' || c == '"')
      continue;
    if (c >= 'A' && c <= 'Z') c += 32;
    out[o++] = (char)c;
  }
  out[o] = '\0';
  return o;
}

int rouse__header_field(const char *name, size_t n, int *is_flag, int *priority) {
  char a[256], b[256];
  size_t la = rouse__header_norm(name, n, a, sizeof a);
  if (la == 0) return -1;
  for (size_t t = 0; t < ROUSE_ARRAY_SIZE(TABLE); t++) {
    for (int k = 0; TABLE[t].list[k]; k++) {
      const char *nm = TABLE[t].list[k];
      size_t lb = rouse__header_norm(nm, strlen(nm), b, sizeof b);
      if (la == lb && !memcmp(a, b, la)) {
        *is_flag = TABLE[t].is_flag;
        *priority = k + (TABLE[t].is_flag ? 100 : 0);
        return TABLE[t].field;
      }
    }
  }
  return -1;
}

static bool contains(const char *s, size_t n, const char *k) {
  size_t m = strlen(k);
  for (size_t i = 0; i + m <= n; i++)
    if (!memcmp(s + i, k, m)) return true;
  return false;
}

bool rouse__status_cancelled(const char *s, size_t n, bool is_flag) {
  char v[128];
  size_t l = rouse__header_norm(s, n > 120 ? 120 : n, v, sizeof v);
  if (is_flag) {
    static const char *const yes[] = {"1", "true", "yes", "y", "t", "はい", "○", "〇", "済",
                                      "キャンセル", "取消", "cancelled", "canceled", NULL};
    for (int k = 0; yes[k]; k++)
      if (l == strlen(yes[k]) && !memcmp(v, yes[k], l)) return true;
    return false;
  }
  return contains(v, l, "キャンセル") || contains(v, l, "取消") || contains(v, l, "取り消し") ||
         contains(v, l, "cancel");
}
