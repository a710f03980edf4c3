/*
** const_table.h: read-only eponymous tables whose rows are constants (risk_model,
** risk_industries, phases).
**
** Included by: const_table.c, which implements the one module behind them all, and the
** files that describe such a table (risk_tables.c, phase.c) only.
*/
#ifndef PORTFOLIO_CONST_TABLE_H
#define PORTFOLIO_CONST_TABLE_H

#include "portfolio_sqlite.h"

/* A table whose rows come from constants: `schema` declares the columns, `column` gives
** the value of one cell. */
typedef struct pf_const_table {
  const char *name;
  const char *schema; /* "CREATE TABLE x(...)" */
  const int *row_count;
  void (*column)(sqlite3_context *ctx, int row, int col);
} pf_const_table;

int pf_const_table_register(sqlite3 *db, const pf_const_table *table, char **pzErrMsg);

#endif
