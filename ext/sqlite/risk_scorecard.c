/*
** risk_scorecard.c: risk_scorecard(m), the bins of a learnt model as a table:
**   SELECT * FROM risk_scorecard((SELECT model FROM models WHERE name = 'churn'))
**
** Rules:
**   1. One row per bin, in model order (factors as in the model, bins as in each factor):
**      factor, kind ('numeric' or 'categorical'), bin (its label), lower, upper (NULL when
**      open), value (the category of a value bin, else NULL), accounts, outcome_rate,
**      points. The rowid is the 1-based row number.
**   2. m is the hidden argument column; without it, or with a malformed model, the scan is
**      an error that says so (the same messages as risk_score's, named risk_scorecard).
**   3. Eponymous only and read-only. It reads nothing but its argument, so it is
**      SQLITE_VTAB_INNOCUOUS (usable in views under trusted_schema=OFF).
*/
#include "risk_sqlite.h"
#include "risk_model.h"
SQLITE_EXTENSION_INIT3

#include <string.h>

enum { COL_FACTOR, COL_KIND, COL_BIN, COL_LOWER, COL_UPPER, COL_VALUE, COL_ACCOUNTS,
       COL_RATE, COL_POINTS, COL_MODEL };

typedef struct card_cursor {
  sqlite3_vtab_cursor base;
  pf_model *model;
  int factor, bin;   /* the current row */
  sqlite3_int64 row; /* 1-based */
} card_cursor;

static int card_connect(sqlite3 *db, void *aux, int argc, const char *const *argv,
                        sqlite3_vtab **ppVtab, char **pzErr) {
  sqlite3_vtab *vtab;
  int rc;
  (void)aux;
  (void)argc;
  (void)argv;
  rc = sqlite3_declare_vtab(db, "CREATE TABLE x(factor TEXT, kind TEXT, bin TEXT, lower REAL,"
                                " upper REAL, value TEXT, accounts INTEGER, outcome_rate REAL,"
                                " points REAL, model HIDDEN)");
  if (rc == SQLITE_OK) rc = sqlite3_vtab_config(db, SQLITE_VTAB_INNOCUOUS);
  if (rc != SQLITE_OK) {
    *pzErr = sqlite3_mprintf("risk_scorecard: %s", sqlite3_errmsg(db));
    return rc;
  }
  vtab = sqlite3_malloc64(sizeof(*vtab));
  if (vtab == 0) return SQLITE_NOMEM;
  memset(vtab, 0, sizeof(*vtab));
  *ppVtab = vtab;
  return SQLITE_OK;
}

static int card_disconnect(sqlite3_vtab *vtab) {
  sqlite3_free(vtab);
  return SQLITE_OK;
}

/* idxNum 1: the model is given (argv[0] of xFilter); 0: it is not, and xFilter says so. */
static int card_best_index(sqlite3_vtab *vtab, sqlite3_index_info *info) {
  int i;
  (void)vtab;
  info->idxNum = 0;
  for (i = 0; i < info->nConstraint; i++) {
    const struct sqlite3_index_constraint *c = &info->aConstraint[i];
    if (c->iColumn != COL_MODEL || c->op != SQLITE_INDEX_CONSTRAINT_EQ) continue;
    if (!c->usable) return SQLITE_CONSTRAINT; /* a plan that has the model is better */
    info->aConstraintUsage[i].argvIndex = 1;
    info->aConstraintUsage[i].omit = 1;
    info->idxNum = 1;
    break;
  }
  info->estimatedCost = info->idxNum ? 100 : 1e12;
  info->estimatedRows = 100;
  return SQLITE_OK;
}

static int card_open(sqlite3_vtab *vtab, sqlite3_vtab_cursor **ppCursor) {
  card_cursor *cur = sqlite3_malloc64(sizeof(*cur));
  (void)vtab;
  if (cur == 0) return SQLITE_NOMEM;
  memset(cur, 0, sizeof(*cur));
  *ppCursor = &cur->base;
  return SQLITE_OK;
}

static int card_close(sqlite3_vtab_cursor *cur) {
  pf_model_release(((card_cursor *)cur)->model);
  sqlite3_free(cur);
  return SQLITE_OK;
}

/* Moves to the first bin at or after (factor, bin), skipping factors with no bins. */
static void settle(card_cursor *c) {
  while (c->factor < c->model->nfactors && c->bin >= c->model->factors[c->factor].nbins) {
    c->factor++;
    c->bin = 0;
  }
}

static int card_error(card_cursor *c, char *msg) {
  sqlite3_free(c->base.pVtab->zErrMsg);
  c->base.pVtab->zErrMsg = msg;
  return msg ? SQLITE_ERROR : SQLITE_NOMEM;
}

static int card_filter(sqlite3_vtab_cursor *cur, int idxNum, const char *idxStr, int argc,
                       sqlite3_value **argv) {
  card_cursor *c = (card_cursor *)cur;
  char err[PF_MODEL_ERR_SIZE];
  int rc;
  (void)idxStr;
  pf_model_release(c->model);
  c->model = 0;
  if (idxNum == 0 || argc < 1)
    return card_error(c, sqlite3_mprintf("risk_scorecard: needs a model: "
                                         "SELECT * FROM risk_scorecard(m)"));
  if (sqlite3_value_type(argv[0]) != SQLITE_TEXT) {
    char *what = pf_describe_value(argv[0]);
    if (what == 0) return SQLITE_NOMEM;
    rc = card_error(c, sqlite3_mprintf("risk_scorecard: model must be the JSON text of a "
                                       "model from risk_fit, got %s", what));
    sqlite3_free(what);
    return rc;
  }
  if (sqlite3_value_text(argv[0]) == 0) return SQLITE_NOMEM;
  rc = pf_model_parse((const char *)sqlite3_value_text(argv[0]), sqlite3_value_bytes(argv[0]),
                      &c->model, err);
  if (rc == PF_NOMEM) return SQLITE_NOMEM;
  if (rc != PF_OK) return card_error(c, sqlite3_mprintf("risk_scorecard: model %s", err));
  c->factor = c->bin = 0;
  c->row = 1;
  settle(c);
  return SQLITE_OK;
}

static int card_next(sqlite3_vtab_cursor *cur) {
  card_cursor *c = (card_cursor *)cur;
  c->bin++;
  c->row++;
  settle(c);
  return SQLITE_OK;
}

static int card_eof(sqlite3_vtab_cursor *cur) {
  card_cursor *c = (card_cursor *)cur;
  return c->model == 0 || c->factor >= c->model->nfactors;
}

static void text(sqlite3_context *ctx, const char *z) {
  sqlite3_result_text(ctx, z, -1, SQLITE_TRANSIENT);
}

static int card_column(sqlite3_vtab_cursor *cur, sqlite3_context *ctx, int col) {
  card_cursor *c = (card_cursor *)cur;
  const pf_model_factor *f = &c->model->factors[c->factor];
  const pf_model_bin *b = &f->bins[c->bin];
  switch (col) {
    case COL_FACTOR: text(ctx, f->name); break;
    case COL_KIND: text(ctx, f->kind == PF_MODEL_NUMERIC ? "numeric" : "categorical"); break;
    case COL_BIN: text(ctx, b->label); break;
    case COL_LOWER:
      if (b->kind == PF_BIN_RANGE && b->has_lower) sqlite3_result_double(ctx, b->lower);
      break;
    case COL_UPPER:
      if (b->kind == PF_BIN_RANGE && b->has_upper) sqlite3_result_double(ctx, b->upper);
      break;
    case COL_VALUE:
      if (b->kind == PF_BIN_VALUE)
        sqlite3_result_text(ctx, b->value, b->value_n, SQLITE_TRANSIENT);
      break;
    case COL_ACCOUNTS: sqlite3_result_int64(ctx, b->accounts); break;
    case COL_RATE: sqlite3_result_double(ctx, b->outcome_rate); break;
    case COL_POINTS: sqlite3_result_double(ctx, b->points); break;
    default: break; /* the hidden model column reads as NULL */
  }
  return SQLITE_OK;
}

static int card_rowid(sqlite3_vtab_cursor *cur, sqlite_int64 *rowid) {
  *rowid = ((card_cursor *)cur)->row;
  return SQLITE_OK;
}

static sqlite3_module card_module = {
    .iVersion = 0,
    .xCreate = 0, /* eponymous only */
    .xConnect = card_connect,
    .xBestIndex = card_best_index,
    .xDisconnect = card_disconnect,
    .xDestroy = card_disconnect,
    .xOpen = card_open,
    .xClose = card_close,
    .xFilter = card_filter,
    .xNext = card_next,
    .xEof = card_eof,
    .xColumn = card_column,
    .xRowid = card_rowid,
};

int pf_risk_scorecard_register(sqlite3 *db, char **pzErrMsg) {
  int rc = sqlite3_create_module_v2(db, "risk_scorecard", &card_module, 0, 0);
  if (rc != SQLITE_OK && pzErrMsg)
    *pzErrMsg = sqlite3_mprintf("portfolio: cannot register risk_scorecard: %s",
                                sqlite3_errmsg(db));
  return rc;
}
