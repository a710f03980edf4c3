/*
** pg_risk_learnt.c: risk_score('model', m, factor, value, ...) and risk_explain('model', m,
** ...) in PostgreSQL: accounts scored with a model learnt by risk_fit, on the core's model
** reader and scoring (risk_model.h, core_risk_learnt.h), as in SQLite.
**
**   1. 'model' first, then m: the model JSON as text, json or jsonb; the rest are (factor,
**      value) pairs naming the model's factors (ASCII case-insensitive). Unknown or
**      repeated factors, 'weights', a second 'model', an odd count or a name that is not
**      text are errors in SQLite's words.
**   2. The model is parsed once per call site while its text stays the same (fn_extra),
**      so a constant model, or a column holding one model, costs a comparison per row.
**   3. Values: NULL or '' is missing. A numeric factor takes what risk_score takes (and a
**      built-in factor's range); a categorical factor reads the value as the text SQLite
**      would (pg_arg_as_text: 3 is '3', 2.5 is '2.5', true is '1').
*/
#include "pg_risk.h"

#include "core_risk.h"
#include "core_risk_learnt.h"
#include "core_text.h"
#include "pf_host.h"

#include <string.h>

#include "utils/builtins.h"

bool pg_risk_is_learnt(FunctionCallInfo fcinfo, risk_site *site) {
  char *z;
  int n;
  if (PG_NARGS() < 1 || PG_ARGISNULL(0) || pg_arg_kind(site->types[0]) != PG_ARG_TEXT)
    return false;
  z = pg_arg_text(fcinfo, 0, site->types[0], &n);
  return pf_name_is(z, n, "model");
}

static void out_of_memory(const char *fn) {
  ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("%s: out of memory", fn)));
}

/* The model at argument 1 (rule 2). */
static const pf_model *get_model(FunctionCallInfo fcinfo, risk_site *site, const char *fn) {
  Oid type = site->types[1];
  char err[PF_MODEL_ERR_SIZE], *z;
  pf_model *m = NULL;
  MemoryContext old;
  int n, rc;
  if (PG_ARGISNULL(1) || (pg_arg_kind(type) != PG_ARG_TEXT && pg_arg_kind(type) != PG_ARG_JSON))
    pg_risk_bad_value(fcinfo, site, fn, "model", "the JSON text of a model from risk_fit", 1);
  z = pg_arg_text(fcinfo, 1, type, &n);
  if (site->model && site->model_n == n && memcmp(site->model_text, z, n) == 0)
    return site->model;
  old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt); /* the model outlives the row */
  rc = pf_model_parse(z, n, &m, err);
  MemoryContextSwitchTo(old);
  if (rc == PF_NOMEM) out_of_memory(fn);
  if (rc != PF_OK) pg_risk_fail(psprintf("%s: model %s", fn, err));
  pf_model_tag_builtins(m);
  pf_model_release(site->model);
  if (site->model_text) pfree(site->model_text);
  site->model = m;
  site->model_text = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, n ? n : 1);
  memcpy(site->model_text, z, n);
  site->model_n = n;
  return m;
}

/* Factor k's value at argument i into the row. */
static void read_value(FunctionCallInfo fcinfo, risk_site *site, const char *fn,
                       pf_model_row *r, int k, int i) {
  const pf_model_factor *x = &r->m->factors[k];
  Oid type = site->types[i];
  pf_num num;
  char *z;
  int n, rc;
  if (PG_ARGISNULL(i)) return;
  if (x->kind == PF_MODEL_CATEGORICAL) {
    z = pg_arg_as_text(fcinfo, i, type, &n);
    if (n > 0 || pg_arg_kind(type) != PG_ARG_TEXT) pf_model_row_text(r, k, z, n);
    return;
  }
  rc = pg_arg_number(fcinfo, i, type, &num);
  if (rc == 0) return;
  if (rc < 0) pg_risk_bad_value(fcinfo, site, fn, x->name, "a number", i);
  if (x->tag >= 0 && !pf_risk_value_in_range(x->tag, num.d))
    pg_risk_bad_value(fcinfo, site, fn, x->name, pf_risk_factors[x->tag].range, i);
  pf_model_row_number(r, k, &num);
}

/* Reads the pairs after the model: names first, then values in model order, as SQLite. */
static void read_row(FunctionCallInfo fcinfo, risk_site *site, const char *fn,
                     pf_model_row *r) {
  const pf_model *m = r->m;
  int nargs = PG_NARGS(), arg[PF_MODEL_MAX_FACTORS];
  if (nargs % 2) pg_risk_fail(psprintf(PF_RISK_ODD_ARGUMENTS, fn, nargs, nargs == 1 ? "" : "s"));
  for (int k = 0; k < m->nfactors; k++) arg[k] = -1;
  for (int i = 2; i < nargs; i += 2) {
    char *name;
    int n, k;
    if (PG_ARGISNULL(i) || pg_arg_kind(site->types[i]) != PG_ARG_TEXT)
      pg_risk_bad_value(fcinfo, site, fn, psprintf("argument %d", i + 1), "a factor name", i);
    name = pg_arg_text(fcinfo, i, site->types[i], &n);
    k = pf_model_factor_find(m, name, n);
    if (k < 0 && (pf_name_is(name, n, "weights") || pf_name_is(name, n, "model")))
      pg_risk_fail(psprintf(PF_MODEL_NOT_WITH, fn,
                            pf_name_is(name, n, "model") ? "model" : "weights"));
    if (k < 0) {
      char *message = pf_model_unknown_factor_message(fn, m, name, n);
      if (message == NULL) out_of_memory(fn);
      pg_risk_fail(message);
    }
    if (!pf_model_row_name(r, k))
      pg_risk_fail(psprintf(PF_RISK_FACTOR_TWICE, fn, m->factors[k].name));
    arg[k] = i + 1;
  }
  for (int k = 0; k < m->nfactors; k++)
    if (arg[k] >= 0) read_value(fcinfo, site, fn, r, k, arg[k]);
  pf_model_row_score(r);
}

Datum pg_risk_learnt(FunctionCallInfo fcinfo, risk_site *site, const char *fn, bool explain) {
  pf_model_row r;
  char *json;
  text *result;
  if (PG_NARGS() < 2) pg_risk_fail(psprintf(PF_MODEL_NEEDS_MODEL, fn, fn));
  pf_model_row_init(&r, get_model(fcinfo, site, fn));
  read_row(fcinfo, site, fn, &r);
  if (!explain) PG_RETURN_FLOAT8(100.0 * pf_model_probability(r.z));
  json = pf_model_row_explain_json(&r);
  if (json == NULL) out_of_memory(fn);
  result = cstring_to_text(json);
  pf_free(json);
  PG_RETURN_TEXT_P(result);
}
