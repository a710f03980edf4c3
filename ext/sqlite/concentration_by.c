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

typedef struct by_vtab {
  sqlite3_vtab base;
  sqlite3 *db;
  pf_query_guard guard;
} by_vtab;

typedef struct by_cursor {
  sqlite3_vtab_cursor base;
  pf_table periods;    /* period -> its index in `tables` (pf_table_index) */
  pf_table *tables;    /* customers of each period */
  sqlite3_int64 ntables, cap;
  period_row *rows;
  sqlite3_int64 count, at;
  char *query;
} by_cursor;

static int by_connect(sqlite3 *db, void *aux, int argc, const char *const *argv,
                      sqlite3_vtab **ppVtab, char **pzErr) {
  by_vtab *vtab;
  int rc;
  (void)aux;
  (void)argc;
  (void)argv;
  rc = pf_query_declare(db, BY_NAME,
                        "CREATE TABLE x(period, customers INTEGER, herfindahl REAL,"
                        " top1_share REAL, gini REAL, query HIDDEN)",
                        pzErr);
  if (rc != SQLITE_OK) return rc;
  vtab = sqlite3_malloc64(sizeof(*vtab));
  if (vtab == 0) return SQLITE_NOMEM;
  memset(vtab, 0, sizeof(*vtab));
  vtab->db = db;
  *ppVtab = &vtab->base;
  return SQLITE_OK;
}

static int by_disconnect(sqlite3_vtab *vtab) {
  sqlite3_free(vtab);
  return SQLITE_OK;
}

static int by_best_index(sqlite3_vtab *vtab, sqlite3_index_info *info) {
  return pf_query_best_index(vtab, info, BY_NAME, COL_QUERY, 100);
}

static int by_open(sqlite3_vtab *vtab, sqlite3_vtab_cursor **ppCursor) {
  by_cursor *cur = sqlite3_malloc64(sizeof(*cur));
  (void)vtab;
  if (cur == 0) return SQLITE_NOMEM;
  memset(cur, 0, sizeof(*cur));
  *ppCursor = &cur->base;
  return SQLITE_OK;
}

static void by_reset(by_cursor *cur) {
  sqlite3_int64 i;
  for (i = 0; i < cur->ntables; i++) pf_table_free(&cur->tables[i]);
  sqlite3_free(cur->tables);
  pf_table_free(&cur->periods);
  sqlite3_free(cur->rows);
  sqlite3_free(cur->query);
  cur->tables = 0;
  cur->rows = 0;
  cur->query = 0;
  cur->ntables = cur->cap = cur->count = cur->at = 0;
}

static int by_close(sqlite3_vtab_cursor *base) {
  by_cursor *cur = (by_cursor *)base;
  by_reset(cur);
  sqlite3_free(cur);
  return SQLITE_OK;
}

/* "concentration_by: amount must be a finite number, got 'x' (period 3, customer 7)". */
static char *bad_amount_message(sqlite3_value *period, sqlite3_value *key, sqlite3_value *amount) {
  char *p = pf_describe_value(period), *k = pf_describe_value(key);
  char *v = pf_describe_value(amount);
  char *msg = p && k && v ? pf_query_message(BY_NAME, "amount must be a finite number, got %s "
                                                      "(period %s, customer %s)", v, p, k)
                          : 0;
  sqlite3_free(p);
  sqlite3_free(k);
  sqlite3_free(v);
  return msg;
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
static int by_collect(by_cursor *cur, pf_query *q) {
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
      return pf_query_fail(cur->base.pVtab, SQLITE_ERROR, bad_amount_message(pv, kv, av));
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

static int by_summarize(by_cursor *cur) {
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
    return pf_query_fail(cur->base.pVtab, SQLITE_ERROR,
                         pf_query_message(BY_NAME, "%s", PF_TOTAL_RANGE));
  if (rc != PF_OK) return pf_sqlite_rc(rc);
  cur->count = cur->ntables;
  qsort(cur->rows, (size_t)cur->count, sizeof(period_row), compare_rows);
  return SQLITE_OK;
}

static int by_filter(sqlite3_vtab_cursor *base, int idxNum, const char *idxStr, int argc,
                     sqlite3_value **argv) {
  by_cursor *cur = (by_cursor *)base;
  by_vtab *vtab = (by_vtab *)cur->base.pVtab;
  pf_query q;
  const char *sql;
  int rc;
  (void)idxNum;
  (void)idxStr;
  by_reset(cur);
  if (!pf_query_argument(argc, argv, &sql)) return SQLITE_OK; /* no rows */
  if (sql == 0) return SQLITE_NOMEM;
  cur->query = sqlite3_mprintf("%s", sql);
  if (cur->query == 0) return SQLITE_NOMEM;
  rc = pf_query_open(&q, vtab->db, &vtab->guard, BY_NAME, sql, 3, "period, customer, amount",
                     &vtab->base);
  if (rc != SQLITE_OK) return rc;
  rc = by_collect(cur, &q);
  pf_query_close(&q);
  if (rc == SQLITE_OK) rc = by_summarize(cur);
  if (rc != SQLITE_OK) by_reset(cur);
  return rc;
}

static int by_next(sqlite3_vtab_cursor *base) {
  ((by_cursor *)base)->at++;
  return SQLITE_OK;
}

static int by_eof(sqlite3_vtab_cursor *base) {
  by_cursor *cur = (by_cursor *)base;
  return cur->at >= cur->count;
}

static int by_column(sqlite3_vtab_cursor *base, sqlite3_context *ctx, int col) {
  by_cursor *cur = (by_cursor *)base;
  const period_row *r = &cur->rows[cur->at];
  switch (col) {
    case COL_PERIOD:
      pf_result_key(ctx, &r->period);
      break;
    case COL_CUSTOMERS:
      sqlite3_result_int64(ctx, r->customers);
      break;
    case COL_QUERY:
      sqlite3_result_text(ctx, cur->query, -1, SQLITE_TRANSIENT);
      break;
    default:
      if (r->customers > 0)
        sqlite3_result_double(ctx, col == COL_HHI ? r->hhi : col == COL_TOP1 ? r->top1 : r->gini);
      break; /* else NULL */
  }
  return SQLITE_OK;
}

static int by_rowid(sqlite3_vtab_cursor *base, sqlite3_int64 *rowid) {
  *rowid = ((by_cursor *)base)->at + 1;
  return SQLITE_OK;
}

static sqlite3_module concentration_by_module = {
    .iVersion = 0,
    .xCreate = 0, /* eponymous only: used as concentration_by('...') */
    .xConnect = by_connect,
    .xBestIndex = by_best_index,
    .xDisconnect = by_disconnect,
    .xDestroy = by_disconnect,
    .xOpen = by_open,
    .xClose = by_close,
    .xFilter = by_filter,
    .xNext = by_next,
    .xEof = by_eof,
    .xColumn = by_column,
    .xRowid = by_rowid,
};

int pf_init_concentration_by(sqlite3 *db, char **pzErrMsg) {
  int rc = sqlite3_create_module(db, "concentration_by", &concentration_by_module, 0);
  if (rc != SQLITE_OK && pzErrMsg)
    *pzErrMsg = sqlite3_mprintf("portfolio: cannot register concentration_by: %s",
                                sqlite3_errmsg(db));
  return rc;
}
