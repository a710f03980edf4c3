/*
** query_runner.h: the one runner for the table-valued functions that run a query given as
** their argument (concentration, concentration_by, and the movements and cohort functions
** to come). The function keeps its numbers; the runner owns everything about the query.
**
** Included by: query_runner.c, query_errors.c, query_vtabs.c and query_table.c, which
** implement it, and the files that define such a table-valued function (concentration.c,
** concentration_by.c, movements.c) only. Never by
** the core (ext/core knows nothing of SQLite).
**
** Rules the runner applies to every query, in this order, each failure an error
** "<function>: <what is wrong>" set on the virtual table:
**   1. Nesting: a query may call a query-running function itself, at most
**      PF_QUERY_MAX_DEPTH deep per function; deeper is the error "queries nested more than
**      10 deep (does the query call <function> on itself?)". A query stored in a table
**      that calls the function on itself would otherwise recurse until the C stack
**      overflows.
**   2. It prepares: SQLite's own error (syntax, no such table, not authorized) is kept
**      with the function's prefix.
**   3. It is not empty ("the query is empty": only spaces or comments).
**   4. It is one statement: anything but spaces and comments after the first one is "the
**      query must be one statement, found more than one".
**   5. It is read-only (sqlite3_stmt_readonly): "the query must be read-only, it writes to
**      the database".
**   6. It returns the expected number of columns: "the query must return 3 columns
**      (period, customer, amount), it returns 2".
**   7. It calls no function with side effects: a call of a function flagged
**      SQLITE_DIRECTONLY (writefile, readfile, load_extension, fts3_tokenizer: those SQLite
**      keeps out of views and triggers) or neither SQLITE_DETERMINISTIC nor
**      SQLITE_INNOCUOUS (the shell's edit, most application callbacks, FTS's bm25 and
**      snippet) anywhere in the statement is "the query may not call writefile(): it is
**      SQLITE_DIRECTONLY (it may have side effects)" or "... edit(): it is neither
**      deterministic nor innocuous", before anything runs. Deterministic functions (JSON
**      in 3.40, date with a fixed time, the extension's own) and innocuous ones (random,
**      date('now')) keep working. The flags come from PRAGMA function_list, so a function
**      the application registers is judged by the flags it gave.
**      How: the runner prepares `EXPLAIN <query>` and reads every function-calling opcode
**      (Function, PureFunc, AggStep, AggFinal, AggValue, AggInverse) of the program, whose
**      P4 names the function and its argument count; views, subqueries and CTEs are
**      compiled into the same program, so none hides a call. Not an authorizer:
**      sqlite3_set_authorizer replaces the application's own authorizer, and SQLite has
**      no getter to chain or restore it (the application's authorizer still sees the
**      query, its EXPLAIN and the pragma). An authorizer that denies PRAGMA
**      function_list makes every query that calls a function fail "not authorized": the
**      check fails closed. A function PRAGMA function_list does not list is refused.
**   8. While it runs, an error of SQLite or of a function inside it (interrupt, bad
**      value) stops the function with that message and the function's prefix, once: an
**      error already prefixed by a query-running function nested in this one (listed in
**      query_runner.c) loses that prefix, so concentration_by over a concentration with a
**      bad amount says "concentration_by: amount must be ...", not
**      "concentration_by: concentration: amount must be ...".
**   9. The function itself is SQLITE_VTAB_DIRECTONLY (its xConnect): it runs SQL, so a
**      view or trigger stored in a database may not call it.
**  10. It reads no virtual table but the pure eponymous ones (json_each, json_tree,
**      generate_series, pragma_*, the extension's own) and those a schema declares (CREATE
**      VIRTUAL TABLE: the schema owner's choice, under PRAGMA trusted_schema): any other
**      (the shell's fsdir and zipfile, dbstat, an application's eponymous module) anywhere
**      in the statement is "the query may not read the virtual table fsdir (a query may
**      read only ...)", before anything runs. How (query_vtabs.c): each VOpen of the
**      EXPLAIN program shows the address of the table's instance on the connection, which
**      is compared, as text, with what EXPLAIN SELECT 1 FROM <allowed table> shows; no
**      authorizer. Checked after rule 7, in the same walk of the program.
**
** Use: describe the function once (pf_query_table: its name, columns, what its query
** returns, how it reads the rows and makes its own), write its xColumn, and register
**     static const sqlite3_module module = PF_QUERY_MODULE(my_column);
**     pf_query_table_register(db, &my_table, &module, pzErrMsg);
** query_table.c then gives every other callback of the module: xConnect declares the
** table (rule 9), xBestIndex asks for the query argument, xFilter copies the argument,
** opens the query (rules 1-7 and 10), hands it to `collect` (which steps it, rule 8),
** closes it and calls `finish`; xNext, xEof and xRowid walk cur->count rows.
*/
#ifndef PF_QUERY_RUNNER_H
#define PF_QUERY_RUNNER_H

#include "portfolio_sqlite.h"

/* How deep one query-running function may nest inside its own queries (rule 1). */
#define PF_QUERY_MAX_DEPTH 10

/* The nesting count of one function on one connection: a field of its virtual table,
** zeroed when the table is made. */
typedef struct pf_query_guard {
  int depth;
} pf_query_guard;

/* ---- the runner's own (query_runner.c, query_vtabs.c) --------------------------------- */

/* The distinct virtual tables a query's program opens (rule 10): VOpen's P4 text. */
#define PF_QUERY_MAX_VTABS 16
typedef struct pf_vtab_set {
  int count;
  struct {
    char p4[48]; /* "vtab:<address>" */
    int known;
  } t[PF_QUERY_MAX_VTABS];
} pf_vtab_set;
struct pf_query;
/* Adds one VOpen's P4 to v (once). SQLITE_OK, or an error with the message set. */
int pf_query_note_vtab(struct pf_query *q, pf_vtab_set *v, const char *p4);
/* Identifies every table of v while the EXPLAIN that listed them is still prepared;
** SQLITE_OK, or an error with the message set (SQLITE_NOMEM without one). */
int pf_query_check_vtabs(struct pf_query *q, pf_vtab_set *v);

/* An open query: its fields are the runner's; read rows through pf_query_value. */
typedef struct pf_query {
  sqlite3 *db;
  sqlite3_stmt *stmt;
  const char *function;
  pf_query_guard *guard;
  sqlite3_vtab *vtab;
} pf_query;

/* Prepares `sql` on db for `function` and checks rules 1-7 and 10; `columns` is the expected
** column count and `column_names` how the error names them ("customer, amount").
** Returns SQLITE_OK with q open (close it with pf_query_close), or an error code after
** setting vtab->zErrMsg to the prefixed message (SQLITE_NOMEM when that failed); then q is
** closed already. */
int pf_query_open(pf_query *q, sqlite3 *db, pf_query_guard *guard, const char *function,
                  const char *sql, int columns, const char *column_names, sqlite3_vtab *vtab);

/* Steps the query: SQLITE_ROW, SQLITE_DONE, or an error code after setting the vtab's
** message (rule 8). */
int pf_query_step(pf_query *q);

/* Column i (0-based) of the current row; valid until the next step. */
sqlite3_value *pf_query_value(const pf_query *q, int i);

/* Finalizes the query and leaves its nesting level. Safe on a closed query. */
void pf_query_close(pf_query *q);

/* ---- the table-valued function around the query (query_table.c) ------------------- */

typedef struct pf_row_cursor pf_row_cursor;

/* A query-running table-valued function, described once. Given to SQLite as the module's
** client data (pf_query_table_register); a function may embed it as the first member of a
** larger description (movements' kinds). */
typedef struct pf_query_table {
  const char *name;         /* the SQL name and the prefix of every error */
  const char *create_table; /* "CREATE TABLE x(..., query HIDDEN)" */
  int query_column;         /* the index of the hidden `query` column */
  double estimated_rows;    /* what the planner is told */
  int columns;              /* how many columns the query must return (rule 6), */
  const char *column_names; /* named in the error: "period, customer, amount" */
  size_t cursor_size;       /* sizeof the function's cursor (a pf_row_cursor first) */
  /* Reads the open query's rows into the cursor, stepping it with pf_query_step:
  ** SQLITE_OK, or an error code after setting the message (pf_query_fail). */
  int (*collect)(pf_row_cursor *cur, pf_query *q);
  /* After the query is closed: makes the rows and sets cur->count. Same returns. */
  int (*finish)(pf_row_cursor *cur);
  /* Frees what the cursor holds besides pf_row_cursor's fields; called before every
  ** xFilter, after a failed one and by xClose, so again on a cleared cursor. */
  void (*clear)(pf_row_cursor *cur);
} pf_query_table;

/* The first member of each such function's cursor. */
struct pf_row_cursor {
  sqlite3_vtab_cursor base;
  const pf_query_table *table;
  sqlite3_int64 count, at; /* the rows made, and the current one (0-based) */
  char *query;             /* the argument, read back by the hidden column */
};

/* The virtual table of every such function. */
typedef struct pf_query_vtab {
  sqlite3_vtab base;
  sqlite3 *db;                 /* the connection the user's query runs on */
  const pf_query_table *table; /* the module's client data */
  pf_query_guard guard;        /* how deep its queries run inside one another (rule 1) */
} pf_query_vtab;

/* The module callbacks query_table.c gives; PF_QUERY_MODULE puts them in a module. */
int pf_query_connect(sqlite3 *db, void *aux, int argc, const char *const *argv,
                     sqlite3_vtab **ppVtab, char **pzErr);
int pf_query_disconnect(sqlite3_vtab *vtab);
int pf_query_best_index(sqlite3_vtab *vtab, sqlite3_index_info *info);
int pf_row_open(sqlite3_vtab *vtab, sqlite3_vtab_cursor **ppCursor);
int pf_row_close(sqlite3_vtab_cursor *base);
int pf_row_filter(sqlite3_vtab_cursor *base, int idxNum, const char *idxStr, int argc,
                  sqlite3_value **argv);
int pf_row_next(sqlite3_vtab_cursor *base);
int pf_row_eof(sqlite3_vtab_cursor *base);
int pf_row_rowid(sqlite3_vtab_cursor *base, sqlite3_int64 *rowid);

/* An eponymous-only module (used as name('...'), never CREATE VIRTUAL TABLE) whose
** callbacks are the runner's but xColumn. */
#define PF_QUERY_MODULE(column_fn)                                                        \
  {                                                                                       \
    .iVersion = 0, .xCreate = 0, .xConnect = pf_query_connect,                            \
    .xBestIndex = pf_query_best_index, .xDisconnect = pf_query_disconnect,                \
    .xDestroy = pf_query_disconnect, .xOpen = pf_row_open, .xClose = pf_row_close,        \
    .xFilter = pf_row_filter, .xNext = pf_row_next, .xEof = pf_row_eof,                   \
    .xColumn = column_fn, .xRowid = pf_row_rowid                                          \
  }

/* Registers module m for t under t->name. On failure *pzErrMsg is "portfolio: cannot
** register <name>: <SQLite's message>". */
int pf_query_table_register(sqlite3 *db, const pf_query_table *t, const sqlite3_module *m,
                            char **pzErrMsg);

/* The hidden column's value: the argument as given. For xColumn. */
void pf_row_result_query(sqlite3_context *ctx, const pf_row_cursor *cur);

/* "<function>: amount must be a finite number, got 'x' (period 3, customer 7)", or
** "(customer 7)" when period is NULL: the values tell the analyst which row of a large
** query to look at. From sqlite3_malloc; NULL when out of memory. */
char *pf_query_bad_amount(const char *function, sqlite3_value *period,
                          sqlite3_value *customer, sqlite3_value *amount);

/* "<function>: " and the printf-formatted rest, from sqlite3_malloc; NULL when out of
** memory. */
char *pf_query_message(const char *function, const char *fmt, ...);

/* Sets vtab->zErrMsg to msg (freeing any old one) and returns rc, or SQLITE_NOMEM when msg
** is NULL (its formatting ran out of memory). */
int pf_query_fail(sqlite3_vtab *vtab, int rc, char *msg);

#endif
