/*
** query_runner.c: prepares, checks and steps the query argument of the table-valued
** functions that run one (rules in query_runner.h).
*/
#include "query_runner.h"
SQLITE_EXTENSION_INIT3

#include <stdarg.h>
#include <string.h>

/* The table-valued functions that run a query through this runner. An error one of them
** raised inside the query of another reaches the outer one with the inner's prefix, which
** the outer one replaces by its own (rule 7). A new query-running function adds its name. */
static const char *const query_functions[] = {
    "concentration", "concentration_by", "revenue_movements", "customer_movements",
    "revenue_cohorts",
};

/* The length of the "<name>: " that starts m when name is a query-running function, else 0. */
static size_t nested_prefix_length(const char *m) {
  int i;
  for (i = 0; i < PF_COUNT(query_functions); i++) {
    size_t n = strlen(query_functions[i]);
    if (strncmp(m, query_functions[i], n) == 0 && m[n] == ':' && m[n + 1] == ' ') return n + 2;
  }
  return 0;
}

char *pf_query_message(const char *function, const char *fmt, ...) {
  va_list ap;
  char *rest, *msg;
  va_start(ap, fmt);
  rest = sqlite3_vmprintf(fmt, ap);
  va_end(ap);
  if (rest == 0) return 0;
  msg = sqlite3_mprintf("%s: %s", function, rest);
  sqlite3_free(rest);
  return msg;
}

int pf_query_fail(sqlite3_vtab *vtab, int rc, char *msg) {
  sqlite3_free(vtab->zErrMsg);
  vtab->zErrMsg = msg;
  return msg == 0 && rc != SQLITE_OK ? SQLITE_NOMEM : rc;
}

/* SQLite's current error on db as the function's error (rule 7); returns rc. */
static int fail_with_sqlite_error(const pf_query *q, int rc) {
  const char *m = sqlite3_errmsg(q->db);
  return pf_query_fail(q->vtab, rc, pf_query_message(q->function, "%s",
                                                     m + nested_prefix_length(m)));
}

/* Rules 3 to 6 on a prepared statement; `tail` is what follows it in the text. */
static int check_statement(pf_query *q, const char *tail, int columns, const char *names) {
  sqlite3_stmt *extra = 0;
  int n;
  if (q->stmt == 0)
    return pf_query_fail(q->vtab, SQLITE_ERROR, pf_query_message(q->function,
                                                                 "the query is empty"));
  if (tail && *tail) {
    /* only spaces and comments may follow: they prepare to no statement at all */
    int rc = sqlite3_prepare_v2(q->db, tail, -1, &extra, 0);
    sqlite3_finalize(extra);
    if (rc != SQLITE_OK || extra != 0)
      return pf_query_fail(q->vtab, SQLITE_ERROR,
                           pf_query_message(q->function, "the query must be one statement, "
                                                         "found more than one"));
  }
  if (!sqlite3_stmt_readonly(q->stmt))
    return pf_query_fail(q->vtab, SQLITE_ERROR,
                         pf_query_message(q->function, "the query must be read-only, "
                                                       "it writes to the database"));
  n = sqlite3_column_count(q->stmt);
  if (n != columns)
    return pf_query_fail(q->vtab, SQLITE_ERROR,
                         pf_query_message(q->function, "the query must return %d columns "
                                                       "(%s), it returns %d",
                                          columns, names, n));
  return SQLITE_OK;
}

int pf_query_open(pf_query *q, sqlite3 *db, pf_query_guard *guard, const char *function,
                  const char *sql, int columns, const char *column_names, sqlite3_vtab *vtab) {
  const char *tail = 0;
  int rc;
  q->db = db;
  q->stmt = 0;
  q->function = function;
  q->guard = 0; /* entered only once every check passed */
  q->vtab = vtab;
  if (guard->depth >= PF_QUERY_MAX_DEPTH)
    return pf_query_fail(vtab, SQLITE_ERROR,
                         pf_query_message(function, "queries nested more than %d deep (does "
                                                    "the query call %s on itself?)",
                                          PF_QUERY_MAX_DEPTH, function));
  rc = sqlite3_prepare_v2(db, sql, -1, &q->stmt, &tail);
  if (rc != SQLITE_OK) rc = fail_with_sqlite_error(q, rc);
  if (rc == SQLITE_OK) rc = check_statement(q, tail, columns, column_names);
  if (rc != SQLITE_OK) {
    pf_query_close(q);
    return rc;
  }
  q->guard = guard;
  guard->depth++;
  return SQLITE_OK;
}

int pf_query_step(pf_query *q) {
  int rc = sqlite3_step(q->stmt);
  if (rc == SQLITE_ROW || rc == SQLITE_DONE) return rc;
  return fail_with_sqlite_error(q, rc);
}

sqlite3_value *pf_query_value(const pf_query *q, int i) {
  return sqlite3_column_value(q->stmt, i);
}

void pf_query_close(pf_query *q) {
  sqlite3_finalize(q->stmt);
  q->stmt = 0;
  if (q->guard) q->guard->depth--;
  q->guard = 0;
}

int pf_query_declare(sqlite3 *db, const char *function, const char *create_table,
                     char **pzErr) {
  int rc = sqlite3_declare_vtab(db, create_table);
  if (rc == SQLITE_OK) rc = sqlite3_vtab_config(db, SQLITE_VTAB_DIRECTONLY);
  if (rc != SQLITE_OK) *pzErr = sqlite3_mprintf("%s: %s", function, sqlite3_errmsg(db));
  return rc;
}

int pf_query_best_index(sqlite3_vtab *vtab, sqlite3_index_info *info, const char *function,
                        int query_column, double estimated_rows) {
  int i, found = 0, unusable = 0;
  for (i = 0; i < info->nConstraint; i++) {
    const struct sqlite3_index_constraint *c = &info->aConstraint[i];
    if (c->iColumn != query_column || c->op != SQLITE_INDEX_CONSTRAINT_EQ) continue;
    if (!c->usable) {
      unusable = 1;
    } else {
      info->aConstraintUsage[i].argvIndex = ++found;
      info->aConstraintUsage[i].omit = 1;
    }
  }
  if (!found && unusable) return SQLITE_CONSTRAINT;
  if (!found)
    return pf_query_fail(vtab, SQLITE_ERROR, pf_query_message(function, "a query is required"));
  info->estimatedCost = 1000000;
  info->estimatedRows = (sqlite3_int64)estimated_rows;
  return SQLITE_OK;
}

int pf_query_argument(int argc, sqlite3_value **argv, const char **sql) {
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
