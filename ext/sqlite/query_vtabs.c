/*
** query_vtabs.c: rule 10 of the query runner (query_runner.h): the virtual tables a query
** may read.
**
**   1. The program of `EXPLAIN <query>` opens every virtual table it reads with VOpen,
**      whose P4 reads "vtab:<address>": the address of that table's sqlite3_vtab on this
**      connection. An eponymous table (fsdir, json_each) has one instance per connection,
**      whatever its arguments, and a declared one has one per connection too; while the
**      EXPLAIN statement is alive it holds a reference to each, so no other table can
**      have that address. The address is compared as text, never followed.
**   2. Each address is identified by preparing `EXPLAIN SELECT 1 FROM <candidate>` for the
**      candidates that may be read, and comparing the addresses their VOpen show: the pure
**      eponymous tables (json_each, json_tree, generate_series, every pragma_* table, the
**      extension's own), then every virtual table the schemas declare (CREATE VIRTUAL
**      TABLE in sqlite_schema of each attached database, temp included): those are the
**      schema owner's choice, as PRAGMA trusted_schema governs them elsewhere. Probes stop
**      once every address is identified; a query that reads no virtual table runs none.
**   3. An address left over is refused, named by the module of PRAGMA module_list whose
**      eponymous table has it (fsdir, zipfile, dbstat, sqlite_stmt, an application's), or
**      as unidentified: the check fails closed, also when a probe cannot be prepared (an
**      authorizer denying it) or the P4 does not read as expected.
*/
#include "query_runner.h"
SQLITE_EXTENSION_INIT3

#include <string.h>

/* The FROM items of the pure eponymous tables, with arguments where xBestIndex needs one. */
static const char *const pure_tables[] = {
    "json_each('[]')",         "json_tree('[]')",       "generate_series(0, 0)",
    "concentration('')",       "concentration_by('')",  "revenue_movements('')",
    "customer_movements('')",  "revenue_cohorts('')",   "risk_scorecard('')",
    "risk_model",              "risk_industries",       "phases",
};

int pf_query_note_vtab(pf_query *q, pf_vtab_set *v, const char *p4) {
  size_t n = strlen(p4);
  int i;
  if (strncmp(p4, "vtab:", 5) != 0 || n <= 5 || n >= sizeof(v->t[0].p4))
    return pf_query_fail(q->vtab, SQLITE_ERROR,
                         pf_query_message(q->function, "the query reads a virtual table"
                                                       " that EXPLAIN does not identify"));
  for (i = 0; i < v->count; i++)
    if (strcmp(v->t[i].p4, p4) == 0) return SQLITE_OK;
  if (v->count == PF_QUERY_MAX_VTABS)
    return pf_query_fail(q->vtab, SQLITE_ERROR,
                         pf_query_message(q->function, "the query reads more than %d"
                                                       " virtual tables", PF_QUERY_MAX_VTABS));
  memcpy(v->t[v->count].p4, p4, n + 1);
  v->t[v->count].known = 0;
  v->count++;
  return SQLITE_OK;
}

/* Prepares EXPLAIN SELECT 1 FROM `from` and marks the addresses its VOpen show as known
** (or, when mark is 0, only reports them). Returns 1 when one of v's unknown addresses was
** among them, 0 when none (also when the probe does not prepare: that candidate cannot be
** what the query reads), -1 when out of memory. */
static int probe(pf_query *q, pf_vtab_set *v, const char *from, int mark) {
  sqlite3_stmt *stmt = 0;
  char *sql = sqlite3_mprintf("EXPLAIN SELECT 1 FROM %s", from);
  int rc, i, hit = 0;
  if (sql == 0) return -1;
  rc = sqlite3_prepare_v2(q->db, sql, -1, &stmt, 0);
  sqlite3_free(sql);
  if (rc == SQLITE_NOMEM) return -1;
  while (rc == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW) {
    const char *op = (const char *)sqlite3_column_text(stmt, 1);
    const char *p4 = (const char *)sqlite3_column_text(stmt, 5);
    if (op == 0 || strcmp(op, "VOpen") != 0 || p4 == 0) continue;
    for (i = 0; i < v->count; i++) {
      if (v->t[i].known || strcmp(v->t[i].p4, p4) != 0) continue;
      hit = 1;
      if (mark) v->t[i].known = 1;
    }
  }
  sqlite3_finalize(stmt);
  return hit;
}

static int all_known(const pf_vtab_set *v) {
  int i;
  for (i = 0; i < v->count; i++)
    if (!v->t[i].known) return 0;
  return 1;
}

/* Probes the tables the rows of `list` name in their first column: "schema"."name" when
** schema is set, else "<prefix>name". With mark 0, stops at the first hit and names it in
** *found (from sqlite3_malloc). Finalizes list. 1 (a hit), 0 or -1 (out of memory). */
static int probe_rows(pf_query *q, pf_vtab_set *v, sqlite3_stmt *list, const char *schema,
                      const char *prefix, int mark, char **found) {
  int hit = 0;
  while (hit >= 0 && !all_known(v) && sqlite3_step(list) == SQLITE_ROW) {
    const char *name = (const char *)sqlite3_column_text(list, 0);
    char *from;
    if (name == 0) {
      hit = -1;
      break;
    }
    from = schema ? sqlite3_mprintf("\"%w\".\"%w\"", schema, name)
                  : sqlite3_mprintf("\"%w%w\"", prefix, name);
    hit = from == 0 ? -1 : probe(q, v, from, mark);
    sqlite3_free(from);
    if (hit > 0 && !mark) {
      *found = sqlite3_mprintf("%s", name);
      hit = *found ? 1 : -1;
      break;
    }
    if (hit > 0) hit = 0;
  }
  sqlite3_finalize(list);
  return hit;
}

/* The tables a pragma lists, run as a PRAGMA statement (not as the table pragma_..., which
** a table of that name would shadow): PRAGMA pragma_list's names as "pragma_<name>",
** marked; or PRAGMA module_list's modules as eponymous tables, with mark 0: the first one
** that has one of the unknown addresses, named in *found. */
static int probe_pragma(pf_query *q, pf_vtab_set *v, const char *pragma, const char *prefix,
                        int mark, char **found) {
  sqlite3_stmt *list = 0;
  int rc = sqlite3_prepare_v2(q->db, pragma, -1, &list, 0);
  if (rc != SQLITE_OK) return rc == SQLITE_NOMEM ? -1 : 0;
  return probe_rows(q, v, list, 0, prefix, mark, found);
}

/* Every virtual table the attached schemas declare (temp included), marked. */
static int probe_declared(pf_query *q, pf_vtab_set *v) {
  sqlite3_stmt *dbs = 0;
  int rc = sqlite3_prepare_v2(q->db, "PRAGMA database_list", -1, &dbs, 0), hit = 0;
  if (rc != SQLITE_OK) return rc == SQLITE_NOMEM ? -1 : 0;
  while (hit >= 0 && !all_known(v) && sqlite3_step(dbs) == SQLITE_ROW) {
    const char *schema = (const char *)sqlite3_column_text(dbs, 1);
    sqlite3_stmt *list = 0;
    char *sql = schema ? sqlite3_mprintf("SELECT name FROM \"%w\".sqlite_schema WHERE"
                                         " type = 'table' AND sql LIKE 'CREATE VIRTUAL"
                                         " TABLE%%'", schema) : 0;
    if (sql == 0) {
      hit = -1;
      break;
    }
    rc = sqlite3_prepare_v2(q->db, sql, -1, &list, 0);
    sqlite3_free(sql);
    if (rc == SQLITE_NOMEM) hit = -1;
    if (rc == SQLITE_OK) hit = probe_rows(q, v, list, schema, "", 1, 0);
  }
  sqlite3_finalize(dbs);
  return hit;
}

static int refuse_vtab(pf_query *q, const char *name) {
  return pf_query_fail(
      q->vtab, SQLITE_ERROR,
      pf_query_message(q->function, "the query may not read the virtual table %s (a query"
                                    " may read only json_each, json_tree, generate_series,"
                                    " the pragma_* tables, the extension's own and the"
                                    " virtual tables the database declares)",
                       name ? name : "(unidentified)"));
}

int pf_query_check_vtabs(pf_query *q, pf_vtab_set *v) {
  char *name = 0;
  int i, hit = 0;
  if (v->count == 0) return SQLITE_OK;
  for (i = 0; i < PF_COUNT(pure_tables) && hit >= 0 && !all_known(v); i++)
    hit = probe(q, v, pure_tables[i], 1);
  if (hit >= 0 && !all_known(v)) hit = probe_pragma(q, v, "PRAGMA pragma_list", "pragma_", 1, 0);
  if (hit >= 0 && !all_known(v)) hit = probe_declared(q, v);
  if (hit >= 0 && !all_known(v)) hit = probe_pragma(q, v, "PRAGMA module_list", "", 0, &name);
  if (hit < 0) return SQLITE_NOMEM;
  if (all_known(v)) return SQLITE_OK;
  hit = refuse_vtab(q, name);
  sqlite3_free(name);
  return hit;
}
