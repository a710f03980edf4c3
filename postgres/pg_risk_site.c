/*
** pg_risk_site.c: what risk_score and risk_explain share in PostgreSQL, whichever model
** they score with: the call site's record (fn_extra) and the errors. Its own file so that
** pg_risk.c calls pg_risk_learnt.c and both call down into this one, never round
** (tests/core_layers.test.sh).
*/
#include "pg_risk.h"

#include "funcapi.h"
#include "utils/builtins.h"

void pg_risk_fail(const char *message) {
  ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("%s", message)));
}

risk_site *pg_risk_site(FunctionCallInfo fcinfo, const char *fn) {
  risk_site *site = fcinfo->flinfo->fn_extra;
  int n = PG_NARGS();
  if (site && site->nargs == n) return site;
  if (get_fn_expr_variadic(fcinfo->flinfo))
    pg_risk_fail(psprintf("%s: give the factors as arguments, not as a VARIADIC array", fn));
  site = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof *site);
  site->nargs = n;
  site->types = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, sizeof(Oid) * (n ? n : 1));
  for (int i = 0; i < n; i++) site->types[i] = get_fn_expr_argtype(fcinfo->flinfo, i);
  fcinfo->flinfo->fn_extra = site;
  return site;
}

void pg_risk_bad_value(FunctionCallInfo fcinfo, risk_site *site, const char *fn,
                       const char *what, const char *must, int i) {
  pg_risk_fail(psprintf("%s: %s must be %s, got %s", fn, what, must,
                        pg_describe_arg(fcinfo, i, site->types[i])));
}
