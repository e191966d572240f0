/* SPDX-License-Identifier: MIT
 * rouse-gen: text of the shop format in the output encoding (text.c). */
#ifndef ROUSE_GEN_TEXT_H
#define ROUSE_GEN_TEXT_H

#include <stdbool.h>
#include <stdint.h>

/* an encoded, pre-quoted field: bytes, length, number of '\n' inside */
typedef struct {
  const char *s;
  uint32_t n;
  uint32_t nl;
} tstr_t;

/* statuses */
enum {
  ST_SHIPPED = 0, ST_PAID, ST_PREPARING, ST_NEW, ST_AWAITING, /* purchases */
  ST_CANCEL, ST_CANCELLED, ST_TORIKESHI,                      /* cancelled orders */
  ST_RETURN,                                                   /* returns */
  ST_N
};

/* pieces of amounts */
enum { P_YEN = 0, P_FWYEN, P_EN, P_TRI, P_FWMINUS, P_FWCOMMA, P_FWDOT, P_D0, P_MEMO = P_D0 + 10, P_N };

/* amount forms of purchase lines (detail_t.form) and of returns */
enum { A_PLAIN = 0, A_GROUP, A_YEN, A_FWYEN, A_EN, A_EN_PLAIN, A_FW, A_FW_GROUP, A_N };
enum { N_MINUS = 0, N_MINUS_GROUP, N_TRI, N_TRI_EN, N_PAREN, N_FW, N_YEN, N_N };

int text_ncat(void);
int text_nprod(int cat);
double text_cycle(int cat);
const char *text_prod_code(int cat, int k);
const tstr_t *text_cat(int cat);
const tstr_t *text_prod(int cat, int k);
const tstr_t *text_status(int s);
const tstr_t *text_piece(int p);
const tstr_t *text_header(void);
/* writes an amount (quoted if it holds the delimiter); returns the end */
char *text_amount(char *out, int64_t minor, int decimals, int form, bool neg);

#endif
