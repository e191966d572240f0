/* SPDX-License-Identifier: MIT
 * rouse-gen: writes synthetic shop exports of any size from a known purchase process
 * (BG/NBD + Gamma-Gamma), plus the summary rouse must produce, the rows it must reject and
 * the true per-customer parameters. Same options and seed => byte-identical output, whatever
 * the number of threads. */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "gen.h"
#include "text.h"

const char *progname = "rouse-gen";

void die_oom(void) {
  fprintf(stderr, "%s: out of memory\n", progname);
  exit(1);
}

enum {
  O_UNIT = 1000, O_R, O_ALPHA, O_A, O_B, O_P, O_Q, O_GAMMA, O_SCALE, O_DEC, O_START, O_END,
  O_COHORT, O_CANCEL, O_RETURN, O_BAD, O_IDS, O_ENC, O_BOM, O_CRLF, O_DELIM, O_GZIP,
  O_GZLEVEL, O_MALL, O_EXPECTED, O_ASOF, O_EXPUNIT, O_EXPREJ, O_TRUTH, O_THREADS, O_VERSION
};

static const struct option LONG[] = {
    {"customers", required_argument, 0, 'n'},
    {"seed", required_argument, 0, 's'},
    {"format", required_argument, 0, 'f'},
    {"output", required_argument, 0, 'o'},
    {"unit", required_argument, 0, O_UNIT},
    {"r", required_argument, 0, O_R},
    {"alpha", required_argument, 0, O_ALPHA},
    {"a", required_argument, 0, O_A},
    {"b", required_argument, 0, O_B},
    {"p", required_argument, 0, O_P},
    {"q", required_argument, 0, O_Q},
    {"gamma", required_argument, 0, O_GAMMA},
    {"spend-scale", required_argument, 0, O_SCALE},
    {"decimals", required_argument, 0, O_DEC},
    {"start", required_argument, 0, O_START},
    {"end", required_argument, 0, O_END},
    {"cohort-days", required_argument, 0, O_COHORT},
    {"cancel-rate", required_argument, 0, O_CANCEL},
    {"return-rate", required_argument, 0, O_RETURN},
    {"bad-rows", required_argument, 0, O_BAD},
    {"id-style", required_argument, 0, O_IDS},
    {"encoding", required_argument, 0, O_ENC},
    {"bom", no_argument, 0, O_BOM},
    {"crlf", no_argument, 0, O_CRLF},
    {"delimiter", required_argument, 0, O_DELIM},
    {"gzip", no_argument, 0, O_GZIP},
    {"gzip-level", required_argument, 0, O_GZLEVEL},
    {"mall", required_argument, 0, O_MALL},
    {"expected", required_argument, 0, O_EXPECTED},
    {"as-of", required_argument, 0, O_ASOF},
    {"expected-unit", required_argument, 0, O_EXPUNIT},
    {"expected-rejects", required_argument, 0, O_EXPREJ},
    {"truth", required_argument, 0, O_TRUTH},
    {"threads", required_argument, 0, O_THREADS},
    {"quiet", no_argument, 0, 'q'},
    {"help", no_argument, 0, 'h'},
    {"version", no_argument, 0, O_VERSION},
    {0, 0, 0, 0},
};

static void help(void) {
  fputs(
      "Usage: rouse-gen [OPTIONS] [-o FILE]\n"
      "\n"
      "Write a synthetic e-commerce order export drawn from a known purchase process, and\n"
      "optionally what `rouse summary` must make of it. Customers follow BG/NBD (Fader, Hardie\n"
      "& Lee 2005): purchase rate lambda ~ Gamma(r, rate alpha), dropout probability\n"
      "p ~ Beta(a, b); the first purchase is uniform in the cohort window; after each repeat\n"
      "purchase (not the first one, as in the BG/NBD likelihood) the customer drops out with\n"
      "probability p; while alive, the next purchase comes an Exponential(lambda) time later.\n"
      "Spend per order is Gamma-Gamma (Fader & Hardie 2013): nu ~ Gamma(q, rate gamma),\n"
      "spend ~ Gamma(p, rate nu), times --spend-scale, rounded to the currency. Purchases\n"
      "become calendar days and a time of day; several purchases on one day are several rows\n"
      "(rouse merges them into one purchase day). Cancelled orders are extra orders and\n"
      "returns extra negative rows: neither changes the purchase process. Product categories\n"
      "are labels (a customer's favourite is the one whose typical cycle is closest to the\n"
      "customer's 1/lambda). Same options and seed give byte-identical output.\n"
      "\n"
      "Size and process:\n"
      "  -n, --customers N       customers (default 1000)\n"
      "  -s, --seed N            random seed (default 1)\n"
      "      --unit week|day     unit of r/alpha, i.e. lambda is purchases per week (default)\n"
      "                          or per day\n"
      "      --r X               BG/NBD r (default 0.243, CDNOW)\n"
      "      --alpha X           BG/NBD alpha, a rate in the unit (default 4.414 weeks)\n"
      "      --a X, --b X        BG/NBD dropout Beta(a, b) (default 0.793, 2.426)\n"
      "      --p X, --q X        Gamma-Gamma p, q (default 6.25, 3.74)\n"
      "      --gamma X           Gamma-Gamma gamma, in model units (default 15.44)\n"
      "      --spend-scale X     written amount = model spend * X (default 100: CDNOW dollars\n"
      "                          read as yen-sized amounts, mean about 3,500)\n"
      "      --decimals D        decimals of the currency, 0-4 (default 0: yen)\n"
      "      --start DATE        first day of the period, YYYY-MM-DD (default 2023-01-01)\n"
      "      --end DATE          last day of the period (default: start + 594 days: 85 weeks,\n"
      "                          so that 1M customers give about 2.86M purchases); purchases\n"
      "                          after it are not written\n"
      "      --cohort-days N     first purchases uniform in the first N days (default 84)\n"
      "\n"
      "Format:\n"
      "  -f, --format plain|shop plain (default): customer_id,date,amount with ISO dates, one\n"
      "                          row per purchase. shop: a Japanese cart export\n"
      "                          受注番号,受注日時,会員ID,商品コード,商品名,カテゴリ,数量,小計,対応状況\n"
      "                          with 'YYYY/MM/DD HH:MM:SS' times, 1-5 line items per order,\n"
      "                          amounts as 1234, \"1,234\", ¥1,234, 1,234円, full-width digits\n"
      "      --cancel-rate X     shop: per purchase, probability of an extra cancelled order\n"
      "                          (status キャンセル/取消) shortly before it (default 0.03)\n"
      "      --return-rate X     per purchase, probability that one line item is returned 1-30\n"
      "                          days later: a negative row, status 返品 (default: shop 0.02,\n"
      "                          plain 0)\n"
      "      --bad-rows N        insert N rows rouse must reject, in turn: wrong field count,\n"
      "                          empty customer id, impossible date, unparseable amount\n"
      "      --id-style S        num (1, 2, ...; default), padded (00000001) or mixed (numbers,\n"
      "                          numbers with leading zeros, and non-numeric ids)\n"
      "      --encoding E        utf-8 (default) or cp932 (via iconv)\n"
      "      --bom               start with a UTF-8 byte order mark\n"
      "      --crlf              end rows with CRLF (newlines inside quoted fields stay LF)\n"
      "      --delimiter D       comma (default) or tab\n"
      "      --gzip              gzip the output\n"
      "      --gzip-level N      zlib level 1-9 (default 6)\n"
      "      --mall I/N          split orders over N shops (\"malls\") by a hash of the order and\n"
      "                          write shop I only; the N files together hold the whole data\n"
      "                          (--expected, --expected-rejects and the report then describe\n"
      "                          this file only; bad row j goes to shop j mod N + 1)\n"
      "  -o, --output FILE       output file, '-' for standard output (default)\n"
      "\n"
      "Truth:\n"
      "      --expected FILE     write the summary rouse must produce for this file (columns,\n"
      "                          formats and order of docs/summary.md), computed from the\n"
      "                          generator's records, never from the written file\n"
      "      --as-of DATE        as-of date of --expected (default: the day after the last\n"
      "                          accepted row written, i.e. purchase or return row)\n"
      "      --expected-unit U   day (default) or week: unit of t_x, T, mean_interval in\n"
      "                          --expected (as rouse summary --unit)\n"
      "      --expected-rejects FILE\n"
      "                          one line per bad row, no header: LINE,REASON with the 1-based\n"
      "                          physical line where the row starts and rouse's reject name\n"
      "      --truth FILE        per customer: true lambda, p, nu, first purchase time, number\n"
      "                          of purchases, dropped out or not (CSV after '#' lines holding\n"
      "                          the population parameters)\n"
      "\n"
      "Other:\n"
      "      --threads N         threads for generation (default: online CPUs); the output\n"
      "                          does not depend on it\n"
      "  -q, --quiet             no report on standard error\n"
      "  -h, --help              show this help\n"
      "      --version           show the version\n"
      "\n"
      "The report on standard error reads like rouse's closing report:\n"
      "  rouse-gen: rows read N = accepted A + cancelled C + rejected R\n"
      "Exit status: 0 success, 1 runtime error (I/O, memory), 2 usage error.\n",
      stdout);
}

/* phase timing for ROUSE_GEN_TIMING=1 only; never affects the output */
static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "%s: ", progname);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fprintf(stderr, "\nTry '%s --help' for more information.\n", progname);
  return 2;
}

static bool num_arg(const char *s, double lo, double hi, bool lo_open, double *out) {
  char *end;
  errno = 0;
  double v = strtod(s, &end);
  if (errno || end == s || *end || !isfinite(v) || v < lo || v > hi || (lo_open && v == lo))
    return false;
  *out = v;
  return true;
}

static bool u64_arg(const char *s, uint64_t lo, uint64_t hi, uint64_t *out) {
  if (!*s || *s == '-' || *s == '+') return false;
  char *end;
  errno = 0;
  unsigned long long v = strtoull(s, &end, 10);
  if (errno || end == s || *end || v < lo || v > hi) return false;
  *out = v;
  return true;
}

int main(int argc, char **argv) {
  gen_t g;
  memset(&g, 0, sizeof g);
  cfg_t *c = &g.c;
  c->n_customers = 1000;
  c->seed = 1;
  c->format = FMT_PLAIN;
  c->unit_days = 7;
  c->r = 0.243;
  c->alpha = 4.414;
  c->a = 0.793;
  c->b = 2.426;
  c->p = 6.25;
  c->q = 3.74;
  c->gamma = 15.44;
  c->spend_scale = 100;
  c->decimals = 0;
  c->start = days_from_ymd(2023, 1, 1);
  c->cohort_days = 84;
  c->cancel_rate = -1;
  c->return_rate = -1;
  c->encoding = ENC_UTF8;
  c->delim = ',';
  c->gzip_level = 6;
  c->mall = c->nmall = 1;
  c->expected_unit = 1;
  long nproc = sysconf(_SC_NPROCESSORS_ONLN);
  c->threads = nproc > 0 ? (nproc > 64 ? 64 : (int)nproc) : 1;
  bool end_given = false;
  const char *start_s = NULL, *end_s = NULL;

  opterr = 0;
  int ch;
  double v;
  uint64_t u;
  while ((ch = getopt_long(argc, argv, ":n:s:f:o:qh", LONG, NULL)) != -1) {
    switch (ch) {
      case 'n':
        if (!u64_arg(optarg, 1, 100000000, &c->n_customers))
          return usage("invalid --customers '%s': expected 1 to 100000000", optarg);
        break;
      case 's':
        if (!u64_arg(optarg, 0, UINT64_MAX, &c->seed))
          return usage("invalid --seed '%s': expected a non-negative integer", optarg);
        break;
      case 'f':
        if (!strcmp(optarg, "plain")) c->format = FMT_PLAIN;
        else if (!strcmp(optarg, "shop")) c->format = FMT_SHOP;
        else return usage("invalid --format '%s': expected plain or shop", optarg);
        break;
      case 'o': c->out = optarg; break;
      case O_UNIT:
        if (!strcmp(optarg, "week") || !strcmp(optarg, "weeks")) c->unit_days = 7;
        else if (!strcmp(optarg, "day") || !strcmp(optarg, "days")) c->unit_days = 1;
        else return usage("invalid --unit '%s': expected week or day", optarg);
        break;
#define POS(field, name)                                                             \
  if (!num_arg(optarg, 0, 1e12, true, &v))                                           \
    return usage("invalid --" name " '%s': expected a positive number", optarg);     \
  c->field = v;                                                                      \
  break;
      case O_R: POS(r, "r")
      case O_ALPHA: POS(alpha, "alpha")
      case O_A: POS(a, "a")
      case O_B: POS(b, "b")
      case O_P: POS(p, "p")
      case O_Q: POS(q, "q")
      case O_GAMMA: POS(gamma, "gamma")
      case O_SCALE: POS(spend_scale, "spend-scale")
#undef POS
      case O_DEC:
        if (!u64_arg(optarg, 0, 4, &u)) return usage("invalid --decimals '%s': expected 0 to 4", optarg);
        c->decimals = (int)u;
        break;
      case O_START: start_s = optarg; break;
      case O_END: end_s = optarg; break;
      case O_COHORT:
        if (!num_arg(optarg, 0, 30000, true, &v))
          return usage("invalid --cohort-days '%s': expected a positive number of days", optarg);
        c->cohort_days = v;
        break;
      case O_CANCEL:
        if (!num_arg(optarg, 0, 1, false, &v))
          return usage("invalid --cancel-rate '%s': expected a probability 0 to 1", optarg);
        c->cancel_rate = v;
        break;
      case O_RETURN:
        if (!num_arg(optarg, 0, 1, false, &v))
          return usage("invalid --return-rate '%s': expected a probability 0 to 1", optarg);
        c->return_rate = v;
        break;
      case O_BAD:
        if (!u64_arg(optarg, 0, 100000000, &c->bad_rows))
          return usage("invalid --bad-rows '%s': expected 0 to 100000000", optarg);
        break;
      case O_IDS:
        if (!strcmp(optarg, "num")) c->id_style = ID_NUM;
        else if (!strcmp(optarg, "padded")) c->id_style = ID_PADDED;
        else if (!strcmp(optarg, "mixed")) c->id_style = ID_MIXED;
        else return usage("invalid --id-style '%s': expected num, padded or mixed", optarg);
        break;
      case O_ENC:
        if (!strcasecmp(optarg, "utf-8") || !strcasecmp(optarg, "utf8")) c->encoding = ENC_UTF8;
        else if (!strcasecmp(optarg, "cp932") || !strcasecmp(optarg, "sjis") ||
                 !strcasecmp(optarg, "shift_jis"))
          c->encoding = ENC_CP932;
        else return usage("invalid --encoding '%s': expected utf-8 or cp932", optarg);
        break;
      case O_BOM: c->bom = true; break;
      case O_CRLF: c->crlf = true; break;
      case O_DELIM:
        if (!strcmp(optarg, "comma") || !strcmp(optarg, ",")) c->delim = ',';
        else if (!strcmp(optarg, "tab") || !strcmp(optarg, "\t")) c->delim = '\t';
        else return usage("invalid --delimiter '%s': expected comma or tab", optarg);
        break;
      case O_GZIP: c->gzip = true; break;
      case O_GZLEVEL:
        if (!u64_arg(optarg, 1, 9, &u)) return usage("invalid --gzip-level '%s': expected 1 to 9", optarg);
        c->gzip_level = (int)u;
        break;
      case O_MALL: {
        unsigned mi, mn;
        char extra;
        if (sscanf(optarg, "%u/%u%c", &mi, &mn, &extra) != 2 || mn < 1 || mn > 64 || mi < 1 ||
            mi > mn)
          return usage("invalid --mall '%s': expected I/N with 1 <= I <= N <= 64", optarg);
        c->mall = (int)mi;
        c->nmall = (int)mn;
        break;
      }
      case O_EXPECTED: c->expected = optarg; break;
      case O_ASOF:
        if (!parse_iso_date(optarg, &c->as_of))
          return usage("invalid --as-of '%s': expected a date YYYY-MM-DD", optarg);
        c->as_of_given = true;
        break;
      case O_EXPUNIT:
        if (!strcmp(optarg, "day") || !strcmp(optarg, "days")) c->expected_unit = 1;
        else if (!strcmp(optarg, "week") || !strcmp(optarg, "weeks")) c->expected_unit = 7;
        else return usage("invalid --expected-unit '%s': expected day or week", optarg);
        break;
      case O_EXPREJ: c->expected_rejects = optarg; break;
      case O_TRUTH: c->truth = optarg; break;
      case O_THREADS:
        if (!u64_arg(optarg, 1, 64, &u)) return usage("invalid --threads '%s': expected 1 to 64", optarg);
        c->threads = (int)u;
        break;
      case 'q': c->quiet = true; break;
      case 'h': help(); return 0;
      case O_VERSION: printf("rouse-gen %s\n", GEN_VERSION); return 0;
      case ':': {
        char o[64];
        if (optopt && optopt < 256) snprintf(o, sizeof o, "-%c", optopt);
        else snprintf(o, sizeof o, "%s", argv[optind - 1]);
        return usage("option '%s' needs a value", o);
      }
      default: {
        char o[64];
        if (optopt && optopt < 256) snprintf(o, sizeof o, "-%c", optopt);
        else snprintf(o, sizeof o, "%s", argv[optind - 1]);
        return usage("unknown option '%s'", o);
      }
    }
  }
  if (optind < argc) return usage("unexpected argument '%s' (the output is given with -o)", argv[optind]);
  if (start_s && !parse_iso_date(start_s, &c->start))
    return usage("invalid --start '%s': expected a date YYYY-MM-DD", start_s);
  if (end_s) {
    if (!parse_iso_date(end_s, &c->end))
      return usage("invalid --end '%s': expected a date YYYY-MM-DD", end_s);
    end_given = true;
  }
  if (!end_given) c->end = c->start + 594; /* 85 weeks: 1M customers -> ~2.86M rows */
  if (c->end < c->start) return usage("--end %s is before --start", end_s);
  if (c->end - c->start >= 32000) return usage("the period --start..--end is longer than 32000 days");
  if (c->format == FMT_PLAIN) {
    if (c->cancel_rate > 0)
      return usage("--cancel-rate needs --format shop (plain exports have no status column)");
    c->cancel_rate = 0;
    if (c->return_rate < 0) c->return_rate = 0;
  } else {
    if (c->cancel_rate < 0) c->cancel_rate = 0.03;
    if (c->return_rate < 0) c->return_rate = 0.02;
  }
  if (c->bom && c->encoding != ENC_UTF8) return usage("--bom needs --encoding utf-8");
  if (c->as_of_given && !c->expected)
    return usage("--as-of is for --expected");

  bool timing = getenv("ROUSE_GEN_TIMING") != NULL;
  double t0 = now_s();
  if (text_init(c)) return 1;
  if (model_generate(&g)) return 1;
  double t1 = now_s();
  if (model_order(&g)) return 1;
  double t2 = now_s();
  wstats_t st;
  if (write_export(&g, &st)) return 1;
  double t3 = now_s();
  if (timing)
    fprintf(stderr, "%s: timing: generate %.2fs, order %.2fs, write %.2fs (%zu events)\n",
            progname, t1 - t0, t2 - t1, t3 - t2, g.nev);
  int32_t as_of = c->as_of_given ? c->as_of
                  : st.last_accepted != INT32_MIN ? st.last_accepted + 1
                                                  : c->end + 1;
  int rc = 0;
  uint64_t n_cust = 0, without = 0;
  if (c->expected && write_expected(&g, as_of, c->expected, &n_cust, &without)) rc = 1;
  if (c->expected_rejects && write_expected_rejects(&st, c->expected_rejects)) rc = 1;
  if (c->truth && write_truth(&g, c->truth)) rc = 1;
  if (!c->quiet) {
    fprintf(stderr, "%s: rows read %llu = accepted %llu + cancelled %llu + rejected %llu\n",
            progname, (unsigned long long)st.rows, (unsigned long long)st.accepted,
            (unsigned long long)st.cancelled, (unsigned long long)st.rejected);
    if (st.returns)
      fprintf(stderr, "%s:   %llu return rows (negative amounts)\n", progname,
              (unsigned long long)st.returns);
    char a[11], b[11], d[11];
    if (st.last_accepted != INT32_MIN) {
      format_iso_date(st.first_accepted, a);
      format_iso_date(st.last_accepted, b);
      format_iso_date(as_of, d);
      fprintf(stderr, "%s: %llu bytes; %llu customers drawn; dates %s .. %s; as-of %s\n",
              progname, (unsigned long long)st.bytes, (unsigned long long)c->n_customers, a, b,
              d);
    }
    if (c->expected)
      fprintf(stderr,
              "%s: expected summary: %llu customers (%llu only have returns or cancellations)\n",
              progname, (unsigned long long)n_cust, (unsigned long long)without);
  }
  free(st.rej_line);
  free(st.rej_reason);
  free(g.cust);
  free(g.ev_off);
  free(g.ev);
  free(g.perm);
  free(g.orderno);
  return rc;
}
