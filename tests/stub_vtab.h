/*
** stub_vtab.h: a virtual-table module for the tests of rule 10 of the query runner (which
** virtual tables a query may read): one column v, rows 10, 20 and 30, and a hook that
** xFilter calls on every scan, so that a test can count scans (or the fuzz harness abort).
** The hook is the module's client data (sqlite3_create_module's pAux).
**   stub_vtab_module: eponymous only (no xCreate), like the shell's fsdir;
**   stub_vtab_declarable(): the same with xCreate, so CREATE VIRTUAL TABLE can use it too.
**
** Included by: tests/test_query_vtabs.c and tests/fuzz/fuzz_vtabs.c only.
*/
#ifndef PORTFOLIO_STUB_VTAB_H
#define PORTFOLIO_STUB_VTAB_H

#include <sqlite3.h>
#include <string.h>

typedef void (*stub_vtab_hook)(void);

typedef struct stub_vtab {
  sqlite3_vtab base;
  stub_vtab_hook on_scan;
} stub_vtab;

typedef struct stub_vtab_cursor {
  sqlite3_vtab_cursor base;
  int row;
} stub_vtab_cursor;

static int stub_vtab_connect(sqlite3 *db, void *aux, int argc, const char *const *argv,
                             sqlite3_vtab **out, char **err) {
  stub_vtab *v;
  int rc = sqlite3_declare_vtab(db, "CREATE TABLE x(v)");
  (void)argc, (void)argv, (void)err;
  if (rc != SQLITE_OK) return rc;
  if ((v = sqlite3_malloc(sizeof(*v))) == 0) return SQLITE_NOMEM;
  memset(v, 0, sizeof(*v));
  v->on_scan = (stub_vtab_hook)aux;
  *out = &v->base;
  return SQLITE_OK;
}
static int stub_vtab_disconnect(sqlite3_vtab *v) {
  sqlite3_free(v);
  return SQLITE_OK;
}
static int stub_vtab_best_index(sqlite3_vtab *v, sqlite3_index_info *info) {
  (void)v;
  info->estimatedCost = 10;
  return SQLITE_OK;
}
static int stub_vtab_open(sqlite3_vtab *v, sqlite3_vtab_cursor **out) {
  stub_vtab_cursor *c = sqlite3_malloc(sizeof(*c));
  (void)v;
  if (c == 0) return SQLITE_NOMEM;
  memset(c, 0, sizeof(*c));
  *out = &c->base;
  return SQLITE_OK;
}
static int stub_vtab_close(sqlite3_vtab_cursor *c) {
  sqlite3_free(c);
  return SQLITE_OK;
}
static int stub_vtab_filter(sqlite3_vtab_cursor *c, int idx, const char *s, int argc,
                            sqlite3_value **argv) {
  stub_vtab *v = (stub_vtab *)c->pVtab;
  (void)idx, (void)s, (void)argc, (void)argv;
  if (v->on_scan) v->on_scan();
  ((stub_vtab_cursor *)c)->row = 0;
  return SQLITE_OK;
}
static int stub_vtab_next(sqlite3_vtab_cursor *c) {
  ((stub_vtab_cursor *)c)->row++;
  return SQLITE_OK;
}
static int stub_vtab_eof(sqlite3_vtab_cursor *c) { return ((stub_vtab_cursor *)c)->row >= 3; }
static int stub_vtab_column(sqlite3_vtab_cursor *c, sqlite3_context *ctx, int i) {
  (void)i;
  sqlite3_result_int(ctx, 10 * (((stub_vtab_cursor *)c)->row + 1)); /* 10, 20, 30 */
  return SQLITE_OK;
}
static int stub_vtab_rowid(sqlite3_vtab_cursor *c, sqlite3_int64 *r) {
  *r = ((stub_vtab_cursor *)c)->row;
  return SQLITE_OK;
}

static const sqlite3_module stub_vtab_module = {
    0, 0, stub_vtab_connect, stub_vtab_best_index, stub_vtab_disconnect, 0, stub_vtab_open,
    stub_vtab_close, stub_vtab_filter, stub_vtab_next, stub_vtab_eof, stub_vtab_column,
    stub_vtab_rowid, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};

/* The module with xCreate and xDestroy (a table that can also be declared). */
static inline sqlite3_module stub_vtab_declarable(void) {
  sqlite3_module m = stub_vtab_module;
  m.xCreate = stub_vtab_connect;
  m.xDestroy = stub_vtab_disconnect;
  return m;
}

#endif
