/*
** risk_tables.c: the risk_model and risk_industries tables (SELECT * FROM risk_model),
** rows of the constants in risk_factors.c served by the generic module of const_table.c.
*/
#include "const_table.h"
#include "risk_sqlite.h"
SQLITE_EXTENSION_INIT3

static void text(sqlite3_context *ctx, const char *z) {
  sqlite3_result_text(ctx, z, -1, SQLITE_STATIC);
}

static void risk_model_column(sqlite3_context *ctx, int row, int col) {
  const pf_risk_factor *f = &pf_risk_factors[row];
  switch (col) {
    case 0: text(ctx, f->name); break;
    case 1: sqlite3_result_double(ctx, f->weight); break;
    case 2: text(ctx, f->curve_text); break;
    default: text(ctx, f->description); break;
  }
}

static const pf_const_table risk_model_table = {
    "risk_model", "CREATE TABLE x(factor TEXT, weight REAL, curve TEXT, description TEXT)",
    &pf_risk_factor_count, risk_model_column};

static void risk_industries_column(sqlite3_context *ctx, int row, int col) {
  const pf_industry *ind = &pf_industries[row];
  switch (col) {
    case 0: text(ctx, ind->name); break;
    case 1: sqlite3_result_double(ctx, ind->risk); break;
    default: text(ctx, ind->note); break;
  }
}

static const pf_const_table risk_industries_table = {
    "risk_industries", "CREATE TABLE x(industry TEXT, risk REAL, note TEXT)",
    &pf_industry_count, risk_industries_column};

int pf_risk_tables_register(sqlite3 *db, char **pzErrMsg) {
  int rc = pf_const_table_register(db, &risk_model_table, pzErrMsg);
  if (rc == SQLITE_OK) rc = pf_const_table_register(db, &risk_industries_table, pzErrMsg);
  return rc;
}
