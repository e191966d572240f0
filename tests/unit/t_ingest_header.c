/* SPDX-License-Identifier: MIT
 * Header recognition (rouse__header_field) for the Japanese and English column names
 * carts write, after normalisation (case, full-width letters, spaces, '_', '-', '.',
 * brackets), the cancel-flag columns, name priorities; and rouse__status_cancelled for
 * status words and for flag values. */
#include "harness.h"
#include "ingest/ingest.h"

static int g_flag, g_pri;

static int hf(const char *s) {
  g_flag = -7;
  g_pri = -7;
  return rouse__header_field(s, strlen(s), &g_flag, &g_pri);
}

#define FIELD(name, field)               \
  do {                                   \
    printf("# header '%s'\n", name);     \
    CHECK_EQ_INT(hf(name), field);       \
  } while (0)

static bool canc(const char *s, bool flag) { return rouse__status_cancelled(s, strlen(s), flag); }

int main(void) {
  /* Japanese names */
  FIELD("会員ID", ROUSE_FIELD_CUSTOMER_ID);
  CHECK_EQ_INT(g_flag, 0);
  CHECK_EQ_INT(g_pri, 0);
  FIELD("顧客ID", ROUSE_FIELD_CUSTOMER_ID);
  FIELD("顧客番号", ROUSE_FIELD_CUSTOMER_ID);
  FIELD("受注日", ROUSE_FIELD_DATE);
  int pri_juchu = g_pri;
  FIELD("注文日時", ROUSE_FIELD_DATE);
  CHECK(g_pri > pri_juchu);
  FIELD("購入日", ROUSE_FIELD_DATE);
  FIELD("合計金額", ROUSE_FIELD_AMOUNT);
  int pri_gokei = g_pri;
  FIELD("小計", ROUSE_FIELD_AMOUNT);
  CHECK(g_pri > pri_gokei);
  FIELD("受注番号", ROUSE_FIELD_ORDER_ID);
  FIELD("注文番号", ROUSE_FIELD_ORDER_ID);
  FIELD("数量", ROUSE_FIELD_QUANTITY);
  FIELD("商品コード", ROUSE_FIELD_PRODUCT_ID);
  FIELD("カテゴリ", ROUSE_FIELD_CATEGORY);
  FIELD("カテゴリー", ROUSE_FIELD_CATEGORY);
  FIELD("対応状況", ROUSE_FIELD_STATUS);
  CHECK_EQ_INT(g_flag, 0);
  int pri_status = g_pri;
  FIELD("キャンセル", ROUSE_FIELD_STATUS);
  CHECK_EQ_INT(g_flag, 1);
  CHECK(g_pri > pri_status); /* a status column beats a flag column */
  FIELD("キャンセルフラグ", ROUSE_FIELD_STATUS);
  CHECK_EQ_INT(g_flag, 1);
  FIELD("取消フラグ", ROUSE_FIELD_STATUS);
  CHECK_EQ_INT(g_flag, 1);

  /* English names, any case and separator */
  FIELD("Customer ID", ROUSE_FIELD_CUSTOMER_ID);
  CHECK_EQ_INT(g_flag, 0);
  FIELD("customer_id", ROUSE_FIELD_CUSTOMER_ID);
  FIELD("CustomerID", ROUSE_FIELD_CUSTOMER_ID);
  FIELD("CUSTOMER-ID", ROUSE_FIELD_CUSTOMER_ID);
  FIELD("customer.id", ROUSE_FIELD_CUSTOMER_ID);
  FIELD("  Customer ID  ", ROUSE_FIELD_CUSTOMER_ID);
  FIELD("InvoiceDate", ROUSE_FIELD_DATE);
  FIELD("Invoice Date", ROUSE_FIELD_DATE);
  FIELD("order_date", ROUSE_FIELD_DATE);
  int pri_od = g_pri;
  FIELD("Date", ROUSE_FIELD_DATE);
  CHECK(g_pri > pri_od);
  FIELD("InvoiceNo", ROUSE_FIELD_ORDER_ID);
  FIELD("Quantity", ROUSE_FIELD_QUANTITY);
  FIELD("StockCode", ROUSE_FIELD_PRODUCT_ID);
  FIELD("SKU", ROUSE_FIELD_PRODUCT_ID);
  FIELD("Total", ROUSE_FIELD_AMOUNT);
  FIELD("Order Status", ROUSE_FIELD_STATUS);
  FIELD("is_cancelled", ROUSE_FIELD_STATUS);
  CHECK_EQ_INT(g_flag, 1);
  FIELD("Cancelled", ROUSE_FIELD_STATUS);
  CHECK_EQ_INT(g_flag, 1);

  /* full-width letters and spaces, brackets and quotes */
  FIELD("会員ＩＤ", ROUSE_FIELD_CUSTOMER_ID);
  FIELD("ｃｕｓｔｏｍｅｒ＿ｉｄ", ROUSE_FIELD_CUSTOMER_ID);
  FIELD("Ｃｕｓｔｏｍｅｒ　ＩＤ", ROUSE_FIELD_CUSTOMER_ID); /* ideographic space */
  FIELD("ＩｎｖｏｉｃｅＤａｔｅ", ROUSE_FIELD_DATE);
  FIELD("(会員ID)", ROUSE_FIELD_CUSTOMER_ID);
  FIELD("[date]", ROUSE_FIELD_DATE);
  FIELD("\"date\"", ROUSE_FIELD_DATE);
  FIELD("会員 ID", ROUSE_FIELD_CUSTOMER_ID);

  /* not recognised */
  FIELD("foo", -1);
  FIELD("", -1);
  FIELD("   ", -1);
  FIELD("___", -1);
  FIELD("id", -1);
  FIELD("UnitPrice", -1);
  FIELD("会員", -1);
  FIELD("customer_id2", -1);
  FIELD("datee", -1);
  {
    char longname[1000];
    memset(longname, 'a', sizeof longname);
    memcpy(longname, "customer_id", 11);
    int f = 0, p = 0;
    CHECK_EQ_INT(rouse__header_field(longname, sizeof longname, &f, &p), -1);
    /* invalid UTF-8 and cut full-width sequences do not crash and do not match */
    CHECK_EQ_INT(rouse__header_field("\xEF\xBC", 2, &f, &p), -1);
    CHECK_EQ_INT(rouse__header_field("date\xFF", 5, &f, &p), -1);
    /* length honoured */
    CHECK_EQ_INT(rouse__header_field("datexyz", 4, &f, &p), ROUSE_FIELD_DATE);
  }

  /* status words */
  CHECK(canc("キャンセル", false));
  CHECK(canc("キャンセル済み", false));
  CHECK(canc("お客様都合キャンセル", false));
  CHECK(canc("取消", false));
  CHECK(canc("取り消し", false));
  CHECK(canc("Cancelled", false));
  CHECK(canc("CANCELED", false));
  CHECK(canc("cancel", false));
  CHECK(canc("ｃａｎｃｅｌｌｅｄ", false));
  CHECK(!canc("発送済み", false));
  CHECK(!canc("新規受付", false));
  CHECK(!canc("shipped", false));
  CHECK(!canc("returned", false));
  CHECK(!canc("", false));
  CHECK(!canc("1", false)); /* a flag value in a status-word column means nothing */
  CHECK(!canc("true", false));
  /* flags */
  CHECK(canc("1", true));
  CHECK(canc(" 1 ", true));
  CHECK(canc("１", true));
  CHECK(canc("true", true));
  CHECK(canc("TRUE", true));
  CHECK(canc("yes", true));
  CHECK(canc("Y", true));
  CHECK(canc("はい", true));
  CHECK(canc("○", true));
  CHECK(canc("〇", true));
  CHECK(canc("済", true));
  CHECK(canc("キャンセル", true));
  CHECK(canc("取消", true));
  CHECK(canc("cancelled", true));
  CHECK(!canc("0", true));
  CHECK(!canc("", true));
  CHECK(!canc("false", true));
  CHECK(!canc("FALSE", true));
  CHECK(!canc("no", true));
  CHECK(!canc("N", true));
  CHECK(!canc("いいえ", true));
  CHECK(!canc("-", true));
  CHECK(!canc("×", true));
  CHECK(!canc("10", true));
  CHECK(!canc("2", true));
  CHECK(!canc("1.0x", true));
  {
    char big[500];
    memset(big, 'x', sizeof big);
    memcpy(big + 400, "cancel", 6); /* past the 120-byte look-at window */
    CHECK(!rouse__status_cancelled(big, sizeof big, false));
    memcpy(big + 10, "cancel", 6);
    CHECK(rouse__status_cancelled(big, sizeof big, false));
  }
  return done_testing();
}
