/*
** query_table.c: the virtual table around a query-running function (query_runner.h): every
** module callback but xColumn, from the function's description (pf_query_table).
**
**   1. xConnect declares the table and makes it SQLITE_VTAB_DIRECTONLY: it runs SQL, so a
**      view or trigger stored in a database may not call it.
**   2. xFilter: a NULL argument, or arguments that disagree, give no rows; otherwise the
**      argument is kept for the hidden column, the query is opened by the runner, read by
**      the function's `collect`, closed, and the rows made by its `finish`. After an
**      error the cursor holds nothing (and has no rows).
**   3. Rows are numbered from 1 (xRowid) in the order `finish` made them.
*/
#include "query_runner.h"
SQLITE_EXTENSION_INIT3

#include <string.h>

static int declare(sqlite3 *db, const char *function, const char *create_table,
                   char **pzErr) {
  int rc = sqlite3_declare_vtab(db, create_table);
  if (rc == SQLITE_OK) rc = sqlite3_vtab_config(db, SQLITE_VTAB_DIRECTONLY);
  if (rc != SQLITE_OK) *pzErr = sqlite3_mprintf("%s: %s", function, sqlite3_errmsg(db));
  return rc;
}

/* Every usable `query = ?` becomes an argument of xFilter (the argument itself and any
** WHERE query = '...' the user added; two constraints may not share one argvIndex); none
** at all is the error "<function>: a query is required". */
int pf_query_best_index(sqlite3_vtab *vtab, sqlite3_index_info *info) {
  const pf_query_table *t = ((pf_query_vtab *)vtab)->table;
  int i, found = 0, unusable = 0;
  for (i = 0; i < info->nConstraint; i++) {
    const struct sqlite3_index_constraint *c = &info->aConstraint[i];
    if (c->iColumn != t->query_column || c->op != SQLITE_INDEX_CONSTRAINT_EQ) continue;
    if (!c->usable) {
      unusable = 1;
    } else {
      info->aConstraintUsage[i].argvIndex = ++found;
      info->aConstraintUsage[i].omit = 1;
    }
  }
  if (!found && unusable) return SQLITE_CONSTRAINT;
  if (!found)
    return pf_query_fail(vtab, SQLITE_ERROR, pf_query_message(t->name, "a query is required"));
  info->estimatedCost = 1000000;
  info->estimatedRows = (sqlite3_int64)t->estimated_rows;
  return SQLITE_OK;
}

/* 1 with *sql the query text when the arguments all agree and are not NULL (`query =
** NULL` is never true), 0 when the function gives no rows. *sql is NULL after 1 when out
** of memory. */
static int query_argument(int argc, sqlite3_value **argv, const char **sql) {
  int i, n;
  *sql = 0;
  if (argc < 1 || sqlite3_value_type(argv[0]) == SQLITE_NULL) return 0;
  n = sqlite3_value_bytes(argv[0]);
  for (i = 1; i < argc; i++) {
    if (sqlite3_value_type(argv[i]) != sqlite3_value_type(argv[0])) return 0;
    if (sqlite3_value_bytes(argv[i]) != n) return 0;
    if (n > 0 && memcmp(sqlite3_value_blob(argv[i]), sqlite3_value_blob(argv[0]), n) != 0)
      return 0;
  }
  *sql = (const char *)sqlite3_value_text(argv[0]);
  return 1;
}

int pf_query_connect(sqlite3 *db, void *aux, int argc, const char *const *argv,
                     sqlite3_vtab **ppVtab, char **pzErr) {
  const pf_query_table *t = aux;
  pf_query_vtab *vtab;
  int rc;
  (void)argc;
  (void)argv;
  rc = declare(db, t->name, t->create_table, pzErr);
  if (rc != SQLITE_OK) return rc;
  vtab = sqlite3_malloc64(sizeof(*vtab));
  if (vtab == 0) return SQLITE_NOMEM;
  memset(vtab, 0, sizeof(*vtab));
  vtab->db = db;
  vtab->table = t;
  *ppVtab = &vtab->base;
  return SQLITE_OK;
}

int pf_query_disconnect(sqlite3_vtab *vtab) {
  sqlite3_free(vtab);
  return SQLITE_OK;
}

int pf_row_open(sqlite3_vtab *vtab, sqlite3_vtab_cursor **ppCursor) {
  const pf_query_table *t = ((pf_query_vtab *)vtab)->table;
  pf_row_cursor *cur = sqlite3_malloc64(t->cursor_size);
  if (cur == 0) return SQLITE_NOMEM;
  memset(cur, 0, t->cursor_size);
  cur->table = t;
  *ppCursor = &cur->base;
  return SQLITE_OK;
}

/* Frees what the cursor holds: no rows, no argument. */
static void row_clear(pf_row_cursor *cur) {
  cur->table->clear(cur);
  sqlite3_free(cur->query);
  cur->query = 0;
  cur->count = cur->at = 0;
}

int pf_row_close(sqlite3_vtab_cursor *base) {
  row_clear((pf_row_cursor *)base);
  sqlite3_free(base);
  return SQLITE_OK;
}

/* Opens the query, hands it to collect, closes it, then finish. */
static int run(pf_row_cursor *cur, const char *sql) {
  pf_query_vtab *vtab = (pf_query_vtab *)cur->base.pVtab;
  const pf_query_table *t = cur->table;
  pf_query q;
  int rc = pf_query_open(&q, vtab->db, &vtab->guard, t->name, sql, t->columns,
                         t->column_names, &vtab->base);
  if (rc != SQLITE_OK) return rc;
  rc = t->collect(cur, &q);
  pf_query_close(&q);
  return rc == SQLITE_OK ? t->finish(cur) : rc;
}

int pf_row_filter(sqlite3_vtab_cursor *base, int idxNum, const char *idxStr, int argc,
                  sqlite3_value **argv) {
  pf_row_cursor *cur = (pf_row_cursor *)base;
  const char *sql;
  int rc;
  (void)idxNum;
  (void)idxStr;
  row_clear(cur);
  if (!query_argument(argc, argv, &sql)) return SQLITE_OK; /* no rows */
  if (sql == 0) return SQLITE_NOMEM;
  cur->query = sqlite3_mprintf("%s", sql);
  if (cur->query == 0) return SQLITE_NOMEM;
  rc = run(cur, sql);
  if (rc != SQLITE_OK) row_clear(cur);
  return rc;
}

int pf_row_next(sqlite3_vtab_cursor *base) {
  ((pf_row_cursor *)base)->at++;
  return SQLITE_OK;
}

int pf_row_eof(sqlite3_vtab_cursor *base) {
  const pf_row_cursor *cur = (const pf_row_cursor *)base;
  return cur->at >= cur->count;
}

int pf_row_rowid(sqlite3_vtab_cursor *base, sqlite3_int64 *rowid) {
  *rowid = ((pf_row_cursor *)base)->at + 1;
  return SQLITE_OK;
}

void pf_row_result_query(sqlite3_context *ctx, const pf_row_cursor *cur) {
  sqlite3_result_text(ctx, cur->query, -1, SQLITE_TRANSIENT);
}

int pf_query_table_register(sqlite3 *db, const pf_query_table *t, const sqlite3_module *m,
                            char **pzErrMsg) {
  int rc = sqlite3_create_module(db, t->name, m, (void *)t);
  if (rc != SQLITE_OK && pzErrMsg)
    *pzErrMsg = sqlite3_mprintf("portfolio: cannot register %s: %s", t->name,
                                sqlite3_errmsg(db));
  return rc;
}

char *pf_query_bad_amount(const char *function, sqlite3_value *period,
                          sqlite3_value *customer, sqlite3_value *amount) {
  char *p = period ? pf_describe_value(period) : 0, *k = pf_describe_value(customer);
  char *v = pf_describe_value(amount);
  char *msg = 0;
  if (k && v && period == 0)
    msg = pf_query_message(function, "amount must be a finite number, got %s (customer %s)",
                           v, k);
  else if (k && v && p)
    msg = pf_query_message(function,
                           "amount must be a finite number, got %s (period %s, customer %s)",
                           v, p, k);
  sqlite3_free(p);
  sqlite3_free(k);
  sqlite3_free(v);
  return msg;
}
