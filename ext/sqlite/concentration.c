/*
** concentration.c: the concentration(query) table-valued function.
**
**   SELECT * FROM concentration('SELECT customer_id, amount FROM invoices');
**
** Rules:
**   1. The argument is one read-only statement returning two columns, customer and amount.
**      More than one statement, a statement that writes, or a column count other than two
**      is an error that says which. A NULL argument gives no rows; no argument at all is
**      the error "concentration: a query is required".
**   2. Rows are netted per customer (the same keys and amount rules as the keyed
**      aggregates: NULL or '' key or amount skips the row; a non-numeric amount is an
**      error naming the value and the customer). Customers with a net total <= 0 are
**      left out.
**   3. One output row per remaining customer, largest first; ties ordered by the customer
**      key in SQLite's order, so the output is the same whatever order the query returns.
**   4. Columns: rank, customer, amount, share, cumulative_share, pareto_class ('A' while
**      the running share before the customer is below 0.80, 'B' below 0.95, else 'C'),
**      major (share >= 0.10), hhi_points ((100*share)^2), hhi_without (the HHI if this
**      customer left; NULL when it is the only one). The hidden column `query` reads
**      back the argument, so a further WHERE query = '...' filters as in SQL.
**   5. The query is prepared, checked and run by the query runner (query_runner.h): one
**      read-only statement, DIRECTONLY, nesting at most PF_QUERY_MAX_DEPTH deep, errors
**      with the prefix "concentration: " once.
*/
#include "query_runner.h"
SQLITE_EXTENSION_INIT3

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum {
  COL_RANK, COL_CUSTOMER, COL_AMOUNT, COL_SHARE, COL_CUMULATIVE, COL_PARETO, COL_MAJOR,
  COL_HHI_POINTS, COL_HHI_WITHOUT, COL_QUERY
};

typedef struct ranked_customer {
  pf_key key; /* its bytes, for TEXT and BLOB, live in the cursor's table */
  pf_num total;
  double cumulative; /* running share including this customer */
  double before;     /* running share before it */
} ranked_customer;

#define CONC_NAME "concentration"

typedef struct conc_cursor {
  pf_row_cursor rows; /* first: count and at are the ranked customers' */
  pf_table customers;
  ranked_customer *ranked;
  pf_share_sums sums; /* the scale, the sum and the sum of squares (core) */
} conc_cursor;

/* Customer r's total as it enters the sums: times the scale. */
static void scaled_total(const conc_cursor *cur, const ranked_customer *r, pf_num *out) {
  pf_share_scaled(&cur->sums, &r->total, out);
}

static void conc_clear(pf_row_cursor *rows) {
  conc_cursor *cur = (conc_cursor *)rows;
  pf_table_free(&cur->customers);
  sqlite3_free(cur->ranked);
  cur->ranked = 0;
  memset(&cur->sums, 0, sizeof cur->sums);
  cur->sums.scale = 1.0;
}

/* Runs the query and nets its rows per customer. */
static int conc_collect(pf_row_cursor *rows, pf_query *q) {
  conc_cursor *cur = (conc_cursor *)rows;
  int rc;
  while ((rc = pf_query_step(q)) == SQLITE_ROW) {
    sqlite3_value *keyv = pf_query_value(q, 0);
    sqlite3_value *amountv = pf_query_value(q, 1);
    pf_key key;
    pf_num amount;
    int got = pf_amount_parse(amountv, &amount);
    if (got < 0)
      return pf_query_fail(rows->base.pVtab, SQLITE_ERROR,
                           pf_query_bad_amount(CONC_NAME, 0, keyv, amountv));
    if (got == 0) continue;
    got = pf_key_read(keyv, &key);
    if (got == 0) continue;
    if (got < 0 || pf_table_add(&cur->customers, &key, &amount, 1) != PF_OK)
      return SQLITE_NOMEM;
  }
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static int num_compare(const pf_num *a, const pf_num *b) {
  if (a->is_int && b->is_int) return a->i < b->i ? -1 : a->i > b->i;
  return a->d < b->d ? -1 : a->d > b->d;
}

static int compare_ranked(const void *pa, const void *pb) {
  const ranked_customer *a = pa, *b = pb;
  int c = num_compare(&b->total, &a->total); /* largest first */
  return c ? c : pf_key_compare(&a->key, &b->key);
}

/* Puts r[0..n) in compare_ranked's order without a comparison sort over all of them: a
** radix ranking on the totals as doubles (pf_rank_desc), then compare_ranked within each
** run of equal doubles (ties by key; exact integers that round to the same double). The
** same order as qsort; qsort itself when the buffers cannot be had. */
static void rank_customers(ranked_customer *r, sqlite3_int64 n) {
  double *v = sqlite3_malloc64((sqlite3_uint64)n * sizeof(double));
  int64_t *order = sqlite3_malloc64((sqlite3_uint64)n * sizeof(int64_t));
  ranked_customer *sorted = sqlite3_malloc64((sqlite3_uint64)n * sizeof(ranked_customer));
  sqlite3_int64 i, j;
  int ok = v && order && sorted;
  for (i = 0; ok && i < n; i++) v[i] = r[i].total.d;
  if (ok && pf_rank_desc(v, n, order) == PF_OK) {
    for (i = 0; i < n; i++) sorted[i] = r[order[i]];
    memcpy(r, sorted, (size_t)n * sizeof(ranked_customer));
    for (i = 0; i < n; i = j) {
      for (j = i + 1; j < n && r[j].total.d == r[i].total.d; j++) {
      }
      if (j - i > 1) qsort(r + i, (size_t)(j - i), sizeof(ranked_customer), compare_ranked);
    }
  } else {
    qsort(r, (size_t)n, sizeof(ranked_customer), compare_ranked);
  }
  sqlite3_free(v);
  sqlite3_free(order);
  sqlite3_free(sorted);
}

/* Keeps the customers with a positive total, ranks them and works out running shares. */
static int conc_rank(pf_row_cursor *rows) {
  conc_cursor *cur = (conc_cursor *)rows;
  pf_table *t = &cur->customers;
  pf_acc running = PF_ACC_ZERO;
  const pf_entry *e;
  uint64_t pos = 0;
  sqlite3_uint64 i;
  sqlite3_int64 n = 0;
  pf_num x;
  if (pf_table_flush(t) != PF_OK) return SQLITE_NOMEM;
  if (pf_table_count(t) == 0) return SQLITE_OK;
  cur->ranked = sqlite3_malloc64((sqlite3_uint64)pf_table_count(t) * sizeof(ranked_customer));
  if (cur->ranked == 0) return SQLITE_NOMEM;
  while ((e = pf_table_next(t, &pos)) != 0) {
    ranked_customer *r = &cur->ranked[n];
    pf_entry_key(e, &r->key);
    pf_entry_total(e, &r->total);
    if (!isfinite(r->total.d))
      return pf_query_fail(rows->base.pVtab, SQLITE_ERROR,
                           pf_query_message(CONC_NAME, "%s", PF_TOTAL_RANGE));
    if (r->total.d <= 0) continue;
    n++;
  }
  pf_share_sums_init(&cur->sums, &cur->ranked[0].total, sizeof(ranked_customer), n);
  rows->count = n;
  rank_customers(cur->ranked, n);
  for (i = 0; i < (sqlite3_uint64)n; i++) {
    ranked_customer *r = &cur->ranked[i];
    r->before = pf_acc_value(&running) / cur->sums.total;
    scaled_total(cur, r, &x);
    pf_acc_add_num(&running, &x);
    r->cumulative = i + 1 == (sqlite3_uint64)n ? 1.0 : pf_acc_value(&running) / cur->sums.total;
  }
  return SQLITE_OK;
}

/* The portfolio's HHI with customer r taken out (the core's pf_hhi_without); NULL when r
** is the only customer. */
static void result_hhi_without(sqlite3_context *ctx, const conc_cursor *cur,
                               const ranked_customer *r) {
  if (cur->rows.count < 2) return;
  sqlite3_result_double(ctx, pf_hhi_without(&cur->sums, &cur->ranked[0].total,
                                            sizeof(ranked_customer), cur->rows.count,
                                            r - cur->ranked));
}

static int conc_column(sqlite3_vtab_cursor *base, sqlite3_context *ctx, int col) {
  conc_cursor *cur = (conc_cursor *)base;
  const ranked_customer *r = &cur->ranked[cur->rows.at];
  double share = r->total.d * cur->sums.scale / cur->sums.total;
  switch (col) {
    case COL_RANK:
      sqlite3_result_int64(ctx, cur->rows.at + 1);
      break;
    case COL_CUSTOMER:
      pf_result_key(ctx, &r->key);
      break;
    case COL_AMOUNT:
      pf_result_num(ctx, &r->total);
      break;
    case COL_SHARE:
      sqlite3_result_double(ctx, share);
      break;
    case COL_CUMULATIVE:
      sqlite3_result_double(ctx, r->cumulative);
      break;
    case COL_PARETO:
      sqlite3_result_text(ctx, r->before < 0.80 ? "A" : r->before < 0.95 ? "B" : "C", 1,
                          SQLITE_STATIC);
      break;
    case COL_MAJOR:
      sqlite3_result_int(ctx, share >= 0.10);
      break;
    case COL_HHI_POINTS:
      sqlite3_result_double(ctx, (100.0 * share) * (100.0 * share));
      break;
    case COL_HHI_WITHOUT:
      result_hhi_without(ctx, cur, r);
      break;
    default: /* the hidden query column, so that WHERE query = '...' can be checked */
      pf_row_result_query(ctx, &cur->rows);
      break;
  }
  return SQLITE_OK;
}

static const pf_query_table concentration_table = {
    .name = CONC_NAME,
    .create_table = "CREATE TABLE x(rank INTEGER, customer, amount, share REAL,"
                    " cumulative_share REAL, pareto_class TEXT, major INTEGER,"
                    " hhi_points REAL, hhi_without REAL, query HIDDEN)",
    .query_column = COL_QUERY,
    .estimated_rows = 1000,
    .columns = 2,
    .column_names = "customer, amount",
    .cursor_size = sizeof(conc_cursor),
    .collect = conc_collect,
    .finish = conc_rank,
    .clear = conc_clear,
};

static const sqlite3_module concentration_module = PF_QUERY_MODULE(conc_column);

int pf_init_concentration(sqlite3 *db, char **pzErrMsg) {
  return pf_query_table_register(db, &concentration_table, &concentration_module, pzErrMsg);
}
