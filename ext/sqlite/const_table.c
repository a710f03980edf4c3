/*
** const_table.c: read-only eponymous tables over constants: risk_model, risk_industries
** and phases (SELECT * FROM risk_model).
**
**   1. One generic module serves all three: a pf_const_table gives the declared columns,
**      the number of rows and a function returning one cell.
**   2. The tables are eponymous only (no CREATE VIRTUAL TABLE) and read-only; every scan
**      is a full scan in the constants' order; the rowid is the 1-based row number.
**   3. They read nothing but constants, so they are SQLITE_VTAB_INNOCUOUS: views and
**      triggers may use them under PRAGMA trusted_schema=OFF.
*/
#include "const_table.h"
SQLITE_EXTENSION_INIT3

#include <string.h>

typedef struct const_vtab {
  sqlite3_vtab base;
  const pf_const_table *table;
} const_vtab;

typedef struct const_cursor {
  sqlite3_vtab_cursor base;
  int row;
} const_cursor;

static int const_connect(sqlite3 *db, void *aux, int argc, const char *const *argv,
                         sqlite3_vtab **ppVtab, char **pzErr) {
  const pf_const_table *table = aux;
  const_vtab *vtab;
  int rc;
  (void)argc;
  (void)argv;
  rc = sqlite3_declare_vtab(db, table->schema);
  if (rc == SQLITE_OK) rc = sqlite3_vtab_config(db, SQLITE_VTAB_INNOCUOUS);
  if (rc != SQLITE_OK) {
    *pzErr = sqlite3_mprintf("%s: %s", table->name, sqlite3_errmsg(db));
    return rc;
  }
  vtab = sqlite3_malloc64(sizeof(*vtab));
  if (vtab == 0) return SQLITE_NOMEM;
  memset(vtab, 0, sizeof(*vtab));
  vtab->table = table;
  *ppVtab = &vtab->base;
  return SQLITE_OK;
}

static int const_disconnect(sqlite3_vtab *vtab) {
  sqlite3_free(vtab);
  return SQLITE_OK;
}

static int const_best_index(sqlite3_vtab *vtab, sqlite3_index_info *info) {
  int rows = *((const_vtab *)vtab)->table->row_count;
  info->estimatedCost = rows;
  info->estimatedRows = rows;
  return SQLITE_OK;
}

static int const_open(sqlite3_vtab *vtab, sqlite3_vtab_cursor **ppCursor) {
  const_cursor *cur = sqlite3_malloc64(sizeof(*cur));
  (void)vtab;
  if (cur == 0) return SQLITE_NOMEM;
  memset(cur, 0, sizeof(*cur));
  *ppCursor = &cur->base;
  return SQLITE_OK;
}

static int const_close(sqlite3_vtab_cursor *cur) {
  sqlite3_free(cur);
  return SQLITE_OK;
}

static int const_filter(sqlite3_vtab_cursor *cur, int idxNum, const char *idxStr, int argc,
                        sqlite3_value **argv) {
  (void)idxNum;
  (void)idxStr;
  (void)argc;
  (void)argv;
  ((const_cursor *)cur)->row = 0;
  return SQLITE_OK;
}

static int const_next(sqlite3_vtab_cursor *cur) {
  ((const_cursor *)cur)->row++;
  return SQLITE_OK;
}

static int const_eof(sqlite3_vtab_cursor *cur) {
  const_cursor *c = (const_cursor *)cur;
  return c->row >= *((const_vtab *)cur->pVtab)->table->row_count;
}

static int const_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col) {
  ((const_vtab *)cur->pVtab)->table->column(ctx, ((const_cursor *)cur)->row, col);
  return SQLITE_OK;
}

static int const_rowid(sqlite3_vtab_cursor *cur, sqlite_int64 *rowid) {
  *rowid = ((const_cursor *)cur)->row + 1;
  return SQLITE_OK;
}

static sqlite3_module const_module = {
    .iVersion = 0,
    .xCreate = 0, /* eponymous only */
    .xConnect = const_connect,
    .xBestIndex = const_best_index,
    .xDisconnect = const_disconnect,
    .xDestroy = const_disconnect,
    .xOpen = const_open,
    .xClose = const_close,
    .xFilter = const_filter,
    .xNext = const_next,
    .xEof = const_eof,
    .xColumn = const_column,
    .xRowid = const_rowid,
};

int pf_const_table_register(sqlite3 *db, const pf_const_table *table, char **pzErrMsg) {
  int rc = sqlite3_create_module_v2(db, table->name, &const_module, (void *)table, 0);
  if (rc != SQLITE_OK && pzErrMsg)
    *pzErrMsg = sqlite3_mprintf("portfolio: cannot register %s: %s", table->name,
                                sqlite3_errmsg(db));
  return rc;
}
