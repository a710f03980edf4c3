/*
** pg_risk.h: what risk_score / risk_explain keep per call site in PostgreSQL, shared by the
** built-in model (pg_risk.c) and learnt models (pg_risk_learnt.c).
**
** Included by: pg_risk.c, pg_risk_learnt.c and pg_risk_site.c only.
*/
#ifndef PG_RISK_H
#define PG_RISK_H

#include "pg_values.h"

#include "core_json_numbers.h"
#include "risk_model.h"

/* Kept in fn_extra (fn_mcxt memory) for the life of the query. */
typedef struct risk_site {
  int nargs;
  Oid *types;
  char *weights_text; /* the last weights text parsed, and its numbers */
  int weights_n;
  pf_json_numbers weights;
  char *model_text;   /* the last model text parsed, and the model */
  int model_n;
  pf_model *model;
} risk_site;

/* The call site's record (argument types read on the first call). */
risk_site *pg_risk_site(FunctionCallInfo fcinfo, const char *fn);
/* ERROR "<fn>: <what> must be <must>, got <argument i as SQLite shows values>". */
void pg_risk_bad_value(FunctionCallInfo fcinfo, risk_site *site, const char *fn,
                       const char *what, const char *must, int i);
void pg_risk_fail(const char *message);

/* True when the first argument is the word 'model' (ASCII case-insensitive). */
bool pg_risk_is_learnt(FunctionCallInfo fcinfo, risk_site *site);
/* risk_score / risk_explain with a learnt model: the score, or the explanation as text. */
Datum pg_risk_learnt(FunctionCallInfo fcinfo, risk_site *site, const char *fn, bool explain);

#endif
