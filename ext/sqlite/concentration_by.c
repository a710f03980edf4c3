/*
** concentration_by.c: the concentration_by(query) table-valued function.
**
**   SELECT * FROM concentration_by('SELECT month, customer_id, amount FROM invoices');
**
** The concentration measures of every period in one pass over the rows, with no GROUP BY:
** SQLite sorts the rows of `... GROUP BY month` before an aggregate sees them, which costs
** several times the scan itself on millions of invoices.
** Rules:
**   1. The argument is one read-only statement returning three columns: period, customer,
**      amount. More than one statement, a statement that writes, or a column count other
**      than three is an error that says which. A NULL argument gives no rows; no argument
**      is the error "concentration_by: a query is required".
**   2. A period is any value, grouped as GROUP BY groups it (1 and 1.0 are one period); a
**      row whose period is NULL or '' is skipped. Within a period, rows are netted per
**      customer with the keyed aggregates' rules: a NULL or '' customer or amount skips the
**      row; a non-numeric amount is an error naming the value, the period and the customer.
**   3. One output row per period that has any row, in SQLite's order of the period values
**      (numbers, then text, then blobs). Columns: period; customers, the number of
**      customers with a positive net total; herfindahl, top1_share and gini over those
**      customers, equal to herfindahl(customer, amount), top_share(customer, amount, 1) and
**      gini(customer, amount) under GROUP BY period; the three are NULL when customers is 0.
**      The hidden column `query` reads back the argument.
**   4. The query is prepared, checked and run by the query runner (query_runner.h), as for
**      concentration; errors carry the prefix "concentration_by: " once.
*/
#include "query_runner.h"
SQLITE_EXTENSION_INIT3

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { COL_PERIOD, COL_CUSTOMERS, COL_HHI, COL_TOP1, COL_GINI, COL_QUERY };

#define BY_NAME "concentration_by"

typedef struct period_row {
  pf_key period; /* its bytes, for TEXT and BLOB, live in the cursor's table of periods */
  sqlite3_int64 customers;
  double hhi, top1, gini;
} period_row;

typedef struct by_cursor {
  pf_row_cursor base;  /* first: count and at are the rows' */
  pf_table periods;    /* period -> its index in `tables` (pf_table_index) */
  pf_table *tables;    /* customers of each period */
  sqlite3_int64 ntables, cap;
  period_row *rows;
} by_cursor;

static void by_clear(pf_row_cursor *base) {
  by_cursor *cur = (by_cursor *)base;
  sqlite3_int64 i;
  for (i = 0; i < cur->ntables; i++) pf_table_free(&cur->tables[i]);
  sqlite3_free(cur->tables);
  pf_table_free(&cur->periods);
  sqlite3_free(cur->rows);
  cur->tables = 0;
  cur->rows = 0;
  cur->ntables = cur->cap = 0;
}

/* The customer table of a period, made on its first row. NULL when out of memory. */
static pf_table *period_table(by_cursor *cur, const pf_key *period) {
  int64_t index;
  if (pf_table_index(&cur->periods, period, cur->ntables, &index) != PF_OK) return 0;
  if (index == cur->ntables) {
    if (cur->ntables == cur->cap) {
      sqlite3_int64 cap = cur->cap ? cur->cap * 2 : 16;
      pf_table *t = sqlite3_realloc64(cur->tables, (sqlite3_uint64)cap * sizeof(pf_table));
      if (t == 0) return 0;
      cur->tables = t;
      cur->cap = cap;
    }
    memset(&cur->tables[cur->ntables], 0, sizeof(pf_table));
    cur->ntables++;
  }
  return &cur->tables[index];
}

/* Runs the query and nets its rows per period and customer. */
static int by_collect(pf_row_cursor *base, pf_query *q) {
  by_cursor *cur = (by_cursor *)base;
  int rc;
  while ((rc = pf_query_step(q)) == SQLITE_ROW) {
    sqlite3_value *pv = pf_query_value(q, 0), *kv = pf_query_value(q, 1);
    sqlite3_value *av = pf_query_value(q, 2);
    pf_key period, key;
    pf_num amount;
    pf_table *t;
    int got = pf_key_read(pv, &period);
    if (got == 0) continue;
    if (got < 0 || (t = period_table(cur, &period)) == 0) return SQLITE_NOMEM;
    got = pf_amount_parse(av, &amount);
    if (got < 0)
      return pf_query_fail(base->base.pVtab, SQLITE_ERROR,
                           pf_query_bad_amount(BY_NAME, pv, kv, av));
    if (got == 0) continue;
    got = pf_key_read(kv, &key);
    if (got == 0) continue;
    if (got < 0 || pf_table_add(t, &key, &amount, 1) != PF_OK) return SQLITE_NOMEM;
  }
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* The measures of one period, exactly as the keyed aggregates compute them (the same core
** functions: exact sums, scaled for extreme totals); frees its table. `scratch` is reused
** from period to period. */
static int measure_period(pf_table *t, pf_values *scratch, period_row *row) {
  int64_t customers = 0;
  int rc = pf_table_hhi(t, &row->hhi, &customers); /* PF_RANGE: by_summarize reports it */
  if (rc == PF_OK) rc = pf_values_from_table(scratch, t);
  pf_table_free(t);
  if (rc != PF_OK) return rc;
  row->customers = scratch->n;
  if (scratch->n == 0) return PF_OK;
  if (pf_top_share(scratch->v, scratch->n, 1, &row->top1) != PF_OK) return PF_NOMEM;
  row->gini = pf_gini(scratch->v, scratch->n);
  return PF_OK;
}

static int compare_rows(const void *pa, const void *pb) {
  return pf_key_compare(&((const period_row *)pa)->period, &((const period_row *)pb)->period);
}

static int by_summarize(pf_row_cursor *base) {
  by_cursor *cur = (by_cursor *)base;
  pf_values scratch = {0, 0, 0};
  const pf_entry *e;
  uint64_t pos = 0;
  int rc = PF_OK;
  if (cur->ntables == 0) return SQLITE_OK;
  cur->rows = sqlite3_malloc64((sqlite3_uint64)cur->ntables * sizeof(period_row));
  if (cur->rows == 0) return SQLITE_NOMEM;
  memset(cur->rows, 0, (size_t)cur->ntables * sizeof(period_row));
  while (rc == PF_OK && (e = pf_table_next(&cur->periods, &pos)) != 0) {
    pf_num index;
    period_row *row;
    pf_entry_total(e, &index);
    row = &cur->rows[index.i];
    pf_entry_key(e, &row->period);
    rc = measure_period(&cur->tables[index.i], &scratch, row);
  }
  pf_values_free(&scratch);
  if (rc == PF_RANGE)
    return pf_query_fail(base->base.pVtab, SQLITE_ERROR,
                         pf_query_message(BY_NAME, "%s", PF_TOTAL_RANGE));
  if (rc != PF_OK) return pf_sqlite_rc(rc);
  base->count = cur->ntables;
  qsort(cur->rows, (size_t)base->count, sizeof(period_row), compare_rows);
  return SQLITE_OK;
}

static int by_column(sqlite3_vtab_cursor *base, sqlite3_context *ctx, int col) {
  by_cursor *cur = (by_cursor *)base;
  const period_row *r = &cur->rows[cur->base.at];
  switch (col) {
    case COL_PERIOD:
      pf_result_key(ctx, &r->period);
      break;
    case COL_CUSTOMERS:
      sqlite3_result_int64(ctx, r->customers);
      break;
    case COL_QUERY:
      pf_row_result_query(ctx, &cur->base);
      break;
    default:
      if (r->customers > 0)
        sqlite3_result_double(ctx, col == COL_HHI ? r->hhi : col == COL_TOP1 ? r->top1 : r->gini);
      break; /* else NULL */
  }
  return SQLITE_OK;
}

static const pf_query_table concentration_by_table = {
    .name = BY_NAME,
    .create_table = "CREATE TABLE x(period, customers INTEGER, herfindahl REAL,"
                    " top1_share REAL, gini REAL, query HIDDEN)",
    .query_column = COL_QUERY,
    .estimated_rows = 100,
    .columns = 3,
    .column_names = "period, customer, amount",
    .cursor_size = sizeof(by_cursor),
    .collect = by_collect,
    .finish = by_summarize,
    .clear = by_clear,
};

static const sqlite3_module concentration_by_module = PF_QUERY_MODULE(by_column);

int pf_init_concentration_by(sqlite3 *db, char **pzErrMsg) {
  return pf_query_table_register(db, &concentration_by_table, &concentration_by_module,
                                 pzErrMsg);
}
