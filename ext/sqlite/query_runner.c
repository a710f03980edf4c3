/*
** query_runner.c: prepares, checks and steps the query argument of the table-valued
** functions that run one (rules in query_runner.h).
*/
#include "query_runner.h"
SQLITE_EXTENSION_INIT3

#include <stdlib.h>
#include <string.h>

/* The table-valued functions that run a query through this runner. An error one of them
** raised inside the query of another reaches the outer one with the inner's prefix, which
** the outer one replaces by its own (rule 8). A new query-running function adds its name. */
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

/* SQLite's current error on db as the function's error (rule 8); returns rc. */
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

/* ---- rule 7: no function with side effects ------------------------------------------ */

#define WHY_DIRECT "it is SQLITE_DIRECTONLY (it may have side effects)"
#define WHY_UNFLAGGED "it is neither deterministic nor innocuous"
#define WHY_UNLISTED "it is not in PRAGMA function_list"

/* The distinct functions of a stretch of the program, judged in one pass over PRAGMA
** function_list (building the list costs far more than reading EXPLAIN, so not once per
** call). Names live in `names`; a full batch is judged and emptied. No allocation. */
enum { BATCH_FUNCTIONS = 32, BATCH_NAME_BYTES = 4096 };
typedef struct function_batch {
  int count;
  size_t used;
  struct {
    size_t name; /* offset in names */
    int narg, found;
    const char *why; /* NULL while nothing refuses it */
  } f[BATCH_FUNCTIONS];
  char names[BATCH_NAME_BYTES];
} function_batch;

/* The opcodes that call an application-defined or built-in SQL function; their P4 reads
** "name(nArg)" in EXPLAIN. */
static int calls_a_function(const char *opcode) {
  static const char *const opcodes[] = {"Function", "PureFunc", "AggStep", "AggStep1",
                                        "AggFinal", "AggValue", "AggInverse"};
  int i;
  for (i = 0; i < PF_COUNT(opcodes); i++)
    if (strcmp(opcode, opcodes[i]) == 0) return 1;
  return 0;
}

/* The error for a function the query may not call. */
static int refuse_function(pf_query *q, const char *name, const char *why) {
  return pf_query_fail(q->vtab, SQLITE_ERROR,
                       pf_query_message(q->function, "the query may not call %s(): %s",
                                        name, why));
}

/* Reads every row of PRAGMA function_list (*list, prepared at the first batch: a query that
** calls no function runs no pragma, so an authorizer denying pragmas is not consulted for
** it) into the batch's verdicts, then refuses the first function, in program order, that
** is DIRECTONLY, unflagged or unlisted. Every registration of a name and argument count
** (one per text encoding) must be safe. */
static int judge_batch(pf_query *q, function_batch *b, sqlite3_stmt **list) {
  int rc, i;
  if (b->count == 0) return SQLITE_OK;
  if (*list == 0 && (rc = sqlite3_prepare_v2(q->db, "PRAGMA function_list", -1, list, 0)))
    return fail_with_sqlite_error(q, rc);
  sqlite3_reset(*list);
  while ((rc = sqlite3_step(*list)) == SQLITE_ROW) {
    const char *listed = (const char *)sqlite3_column_text(*list, 0);
    int narg = sqlite3_column_int(*list, 4), flags = sqlite3_column_int(*list, 5);
    if (listed == 0) return SQLITE_NOMEM; /* a name is never NULL otherwise */
    for (i = 0; i < b->count; i++) {
      if (b->f[i].narg != narg || sqlite3_stricmp(listed, b->names + b->f[i].name)) continue;
      b->f[i].found = 1;
      if (flags & SQLITE_DIRECTONLY)
        b->f[i].why = WHY_DIRECT;
      else if (!(flags & (SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS)) && b->f[i].why == 0)
        b->f[i].why = WHY_UNFLAGGED;
    }
  }
  if (rc != SQLITE_DONE) return fail_with_sqlite_error(q, rc);
  for (i = 0; i < b->count; i++)
    if (!b->f[i].found || b->f[i].why)
      return refuse_function(q, b->names + b->f[i].name,
                             b->f[i].found ? b->f[i].why : WHY_UNLISTED);
  b->count = 0;
  b->used = 0;
  return SQLITE_OK;
}

/* Adds EXPLAIN's P4 "name(nArg)" to the batch unless it is there already; judges a full
** batch first. Returns an error code with the message set, or SQLITE_OK. */
static int add_call(pf_query *q, function_batch *b, const char *p4, sqlite3_stmt **list) {
  const char *open = strrchr(p4, '(');
  size_t len = open ? (size_t)(open - p4) : 0;
  char *end;
  long narg;
  int i, rc;
  if (open == 0 || len >= BATCH_NAME_BYTES / 2)
    return refuse_function(q, p4, "its name cannot be read from EXPLAIN");
  narg = strtol(open + 1, &end, 10);
  if (end == open + 1 || *end != ')' || end[1] != 0)
    return refuse_function(q, p4, "its name cannot be read from EXPLAIN");
  for (i = 0; i < b->count; i++)
    if (b->f[i].narg == narg && strncmp(b->names + b->f[i].name, p4, len) == 0 &&
        b->names[b->f[i].name + len] == 0)
      return SQLITE_OK;
  if (b->count == BATCH_FUNCTIONS || b->used + len + 1 > BATCH_NAME_BYTES) {
    if ((rc = judge_batch(q, b, list)) != SQLITE_OK) return rc;
  }
  memcpy(b->names + b->used, p4, len);
  b->names[b->used + len] = 0;
  b->f[b->count].name = b->used;
  b->f[b->count].narg = (int)narg;
  b->f[b->count].found = 0;
  b->f[b->count].why = 0;
  b->count++;
  b->used += len + 1;
  return SQLITE_OK;
}

/* Rules 7 and 10 on q's prepared statement: walks the program of `EXPLAIN <query>` for
** calls and for the virtual tables it opens (VOpen: query_vtabs.c).
** EXPLAIN of a statement runs nothing, so an EXPLAIN query needs no check. PRAGMA
** function_list, not the table pragma_function_list: a table of that name in the database
** would shadow the latter (as json_each did, issue 15.1). */
static int check_side_effects(pf_query *q) {
  sqlite3_stmt *explain = 0, *list = 0;
  function_batch batch;
  pf_vtab_set vtabs;
  char *text;
  int rc, step;
  if (sqlite3_stmt_isexplain(q->stmt)) return SQLITE_OK;
  text = sqlite3_mprintf("EXPLAIN %s", sqlite3_sql(q->stmt));
  if (text == 0) return SQLITE_NOMEM;
  rc = sqlite3_prepare_v2(q->db, text, -1, &explain, 0);
  sqlite3_free(text);
  if (rc != SQLITE_OK) return fail_with_sqlite_error(q, rc);
  batch.count = 0;
  batch.used = 0;
  vtabs.count = 0;
  while ((step = sqlite3_step(explain)) == SQLITE_ROW) {
    const char *opcode = (const char *)sqlite3_column_text(explain, 1);
    const char *p4;
    if (opcode == 0) { /* never NULL but when out of memory: skipping it could skip a call */
      rc = SQLITE_NOMEM;
      break;
    }
    if (!calls_a_function(opcode) && strcmp(opcode, "VOpen") != 0) continue;
    if ((p4 = (const char *)sqlite3_column_text(explain, 5)) == 0) {
      rc = SQLITE_NOMEM;
      break;
    }
    rc = opcode[0] == 'V' ? pf_query_note_vtab(q, &vtabs, p4) : add_call(q, &batch, p4, &list);
    if (rc != SQLITE_OK) break; /* refused, message set */
  }
  if (rc == SQLITE_OK)
    rc = step == SQLITE_DONE ? judge_batch(q, &batch, &list) : fail_with_sqlite_error(q, step);
  /* rule 10, while `explain` still holds its virtual tables (their addresses stay theirs) */
  if (rc == SQLITE_OK) rc = pf_query_check_vtabs(q, &vtabs);
  sqlite3_finalize(explain);
  sqlite3_finalize(list);
  return rc;
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
  if (rc == SQLITE_OK) rc = check_side_effects(q);
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
