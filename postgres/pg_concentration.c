/*
** pg_concentration.c: concentration(query text) in PostgreSQL, a set-returning function.
**
**   1. The argument is one read-only statement returning two columns, customer and amount.
**      It runs through SPI in read-only mode (SPI_execute(..., true, 0): a statement that
**      writes is refused). More than one statement, or a column count other than two, is
**      an error that says which. A NULL argument gives no rows (STRICT).
**   2. Rows are netted per customer in the core's table, with the aggregates' key and
**      amount rules (pg_host.c); customers with a net total <= 0 are left out.
**   2a. Numeric amounts are counted exactly in units of 10^-s, s the largest scale of the
**      query's amounts (at most 18), as the aggregates count a numeric without a declared
**      scale; the amount column shows the total in the amounts' unit with s decimals.
**   3. One row per remaining customer, largest first, ties by customer key (so the output
**      does not depend on the query's row order), with the SQLite host's columns: rank,
**      customer (as text), amount (numeric, exact for integer and numeric totals), share,
**      cumulative_share, pareto_class ('A' while the running share before the customer is
**      below 0.80, 'B' below 0.95, else 'C'), major (share >= 0.10, as 0/1), hhi_points
**      ((100*share)^2) and hhi_without (the HHI without this customer; NULL when alone).
*/
#include "pg_portfolio.h"

#include <math.h>
#include <stdlib.h>

#include "executor/spi.h"
#include "funcapi.h"
#include "tcop/tcopprot.h"
#include "tcop/utility.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/numeric.h"
#include "utils/tuplestore.h"

typedef struct ranked {
  pf_key key;
  pf_num total;
} ranked;

static int compare_ranked(const void *pa, const void *pb) {
  const ranked *a = pa, *b = pb;
  if (a->total.is_int && b->total.is_int) {
    if (a->total.i != b->total.i) return a->total.i > b->total.i ? -1 : 1;
  } else if (a->total.d != b->total.d) {
    return a->total.d > b->total.d ? -1 : 1;
  }
  return pf_key_compare(&a->key, &b->key);
}

/* One statement, and a SELECT (or VALUES): a writing statement is named here rather than
** left to SPI's read-only refusal, whose message does not name the function. */
static void check_query(const char *sql) {
  List *parsed = pg_parse_query(sql);
  int statements = list_length(parsed);
  RawStmt *raw;
  if (statements != 1)
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("concentration: the query must be one statement, got %d",
                           statements)));
  raw = linitial_node(RawStmt, parsed);
  if (!IsA(raw->stmt, SelectStmt))
    ereport(ERROR, (errcode(ERRCODE_READ_ONLY_SQL_TRANSACTION),
                    errmsg("concentration: the query must be a read-only SELECT, got %s",
                           CreateCommandName(raw->stmt))));
}

/* Rule 2a: the unit of numeric amounts, 10^-digits with digits the largest scale of the
** query's amounts (those up to PG_NUMERIC_MAX_DIGITS: a finer amount cannot be exact, and
** does not move the unit); every row is in memory already. */
static int numeric_digits(SPITupleTable *tt) {
  int digits = 0;
  for (uint64 i = 0; i < SPI_processed && digits < PG_NUMERIC_MAX_DIGITS; i++) {
    bool null;
    Datum amount = SPI_getbinval(tt->vals[i], tt->tupdesc, 2, &null);
    int scale = null ? 0 : pg_numeric_dscale(amount);
    if (scale > digits && scale <= PG_NUMERIC_MAX_DIGITS) digits = scale;
  }
  return digits;
}

/* Runs the query and nets its rows into t (in the SPI context); *digits: the unit of
** numeric amounts (0 for other types). */
static void collect(const char *sql, pf_table *t, int *digits) {
  SPITupleTable *tt;
  pg_key_reader keys;
  Oid amount_type;
  int rc = SPI_execute(sql, true, 0);
  if (rc != SPI_OK_SELECT)
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("concentration: the query must be a SELECT returning rows")));
  tt = SPI_tuptable;
  if (tt->tupdesc->natts != 2)
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("concentration: the query must return 2 columns (customer, amount), got %d",
                           tt->tupdesc->natts)));
  pg_key_reader_init(&keys, SPI_gettypeid(tt->tupdesc, 1));
  amount_type = SPI_gettypeid(tt->tupdesc, 2);
  *digits = amount_type == NUMERICOID ? numeric_digits(tt) : 0;
  for (uint64 i = 0; i < SPI_processed; i++) {
    bool key_null, amount_null;
    Datum key = SPI_getbinval(tt->vals[i], tt->tupdesc, 1, &key_null);
    Datum amount = SPI_getbinval(tt->vals[i], tt->tupdesc, 2, &amount_null);
    pf_key k;
    pf_num x;
    if (key_null || amount_null || !pg_read_key(&keys, key, &k)) continue;
    if (amount_type == NUMERICOID)
      pg_read_numeric_amount(amount, *digits, &x, "concentration");
    else
      pg_read_amount(amount, amount_type, &x, "concentration");
    pg_check_core(pf_table_add(t, &k, &x, +1), "concentration");
  }
  pg_check_core(pf_table_flush(t), "concentration");
}

static text *key_text(const pf_key *k) {
  if (k->type == PF_KEY_TEXT || k->type == PF_KEY_BLOB) return cstring_to_text_with_len(k->p, k->n);
  if (k->type == PF_KEY_INT && !k->was_real) return cstring_to_text(psprintf(INT64_FORMAT, k->i));
  return cstring_to_text(float8out_internal(k->type == PF_KEY_INT ? (double)k->i : k->r));
}

/* A total in units of 10^-digits as a numeric in the amounts' own unit. */
static Datum total_numeric(const pf_num *x, int digits) {
  if (x->is_int) return NumericGetDatum(int64_div_fast_to_numeric(x->i, digits));
  return DirectFunctionCall1(float8_numeric, Float8GetDatum(x->d / pow(10.0, digits)));
}

/* The positive customers of t, ranked largest first. */
static ranked *rank_positive(pf_table *t, int64 *count) {
  ranked *r = palloc_extended(sizeof(ranked) * (pf_table_count(t) + 1), MCXT_ALLOC_HUGE);
  uint64_t pos = 0;
  const pf_entry *e;
  int64 n = 0;
  while ((e = pf_table_next(t, &pos)) != NULL) {
    pf_entry_key(e, &r[n].key);
    pf_entry_total(e, &r[n].total);
    if (!isfinite(r[n].total.d)) pg_check_core(PF_RANGE, "concentration");
    if (r[n].total.d <= 0) continue;
    n++;
  }
  qsort(r, n, sizeof(ranked), compare_ranked);
  *count = n;
  return r;
}

/* Shares and the HHI without each customer come from the core's sums (pf_share_sums,
** pf_hhi_without), as in the SQLite host: scaled for extreme REAL totals, and summed
** again without a customer that holds most of the squares. */
static void emit(ReturnSetInfo *rsi, const ranked *r, int64 n, int digits) {
  pf_share_sums sums;
  pf_acc running = {0, 0, 0, 0};
  pf_share_sums_init(&sums, &r[0].total, sizeof(ranked), n);
  for (int64 i = 0; i < n; i++) {
    Datum v[9];
    bool nulls[9] = {false};
    pf_num x;
    double share = r[i].total.d * sums.scale / sums.total;
    double before = pf_acc_value(&running) / sums.total;
    pf_share_scaled(&sums, &r[i].total, &x);
    pf_acc_add_num(&running, &x);
    v[0] = Int64GetDatum(i + 1);
    v[1] = PointerGetDatum(key_text(&r[i].key));
    v[2] = total_numeric(&r[i].total, digits);
    v[3] = Float8GetDatum(share);
    v[4] = Float8GetDatum(i + 1 == n ? 1.0 : pf_acc_value(&running) / sums.total);
    v[5] = PointerGetDatum(cstring_to_text(before < 0.80 ? "A" : before < 0.95 ? "B" : "C"));
    v[6] = Int32GetDatum(share >= 0.10);
    v[7] = Float8GetDatum((100.0 * share) * (100.0 * share));
    nulls[8] = n < 2;
    v[8] = n < 2 ? 0 : Float8GetDatum(pf_hhi_without(&sums, &r[0].total, sizeof(ranked), n, i));
    tuplestore_putvalues(rsi->setResult, rsi->setDesc, v, nulls);
  }
}

PG_FUNCTION_INFO_V1(pf_concentration);
Datum pf_concentration(PG_FUNCTION_ARGS) {
  char *sql = text_to_cstring(PG_GETARG_TEXT_PP(0));
  ReturnSetInfo *rsi = (ReturnSetInfo *)fcinfo->resultinfo;
  pf_table t = {0};
  int64 n;
  int digits;
  ranked *r;
  InitMaterializedSRF(fcinfo, 0);
  check_query(sql);
  if (SPI_connect() != SPI_OK_CONNECT)
    ereport(ERROR, (errmsg("concentration: could not connect to SPI")));
  collect(sql, &t, &digits);
  r = rank_positive(&t, &n);
  if (n > 0) emit(rsi, r, n, digits);
  SPI_finish();
  return (Datum)0;
}
