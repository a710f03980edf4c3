/*
** pg_risk.c: risk_score(factor, value, ...) and risk_explain(factor, value, ...) in
** PostgreSQL (VARIADIC "any"), on the core's model (core_risk.h), as in SQLite.
**
**   1. Arguments come in (name, value) pairs; names are text matched ignoring ASCII case;
**      an odd count, a non-text, unknown or repeated name is an error in SQLite's words.
**   2. Values are read as SQLite reads them (pg_values.h): NULL or '' drops the factor;
**      numbers, booleans and numeric text within the factor's range; industry also takes
**      an industry name. Anything else is an error naming the function, factor and value.
**   3. ('weights', json) overrides default weights: json, jsonb or text, read by the core
**      (core_json_numbers.h) with the same messages; NULL or '' keeps the defaults. jsonb
**      has merged a key given twice before the function sees it.
**   4. The weights are parsed once per call site while their text stays the same (kept in
**      fn_extra), so constant weights cost a comparison per row, not a parse.
**   5. risk_score returns double precision (NULL without a score); risk_explain returns
**      the core's JSON as json, byte for byte what SQLite returns.
*/
#include "pg_risk.h"

#include "core_risk.h"
#include "core_text.h"
#include "pf_host.h"

#include <string.h>

#include "catalog/pg_type.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/tuplestore.h"

static void read_weights(FunctionCallInfo fcinfo, risk_site *site, const pf_json_keys *keys,
                         int i, pf_risk_input *in) {
  Oid type = site->types[i];
  char *z, *message;
  int n, rc;
  if (PG_ARGISNULL(i)) return;
  if (pg_arg_kind(type) != PG_ARG_TEXT && pg_arg_kind(type) != PG_ARG_JSON)
    pg_risk_bad_value(fcinfo, site, keys->fn, keys->arg, "a JSON object", i);
  z = pg_arg_text(fcinfo, i, type, &n);
  if (n == 0) return;
  if (site->weights_text && site->weights_n == n && memcmp(site->weights_text, z, n) == 0) {
    in->weights = site->weights;
    return;
  }
  rc = pf_json_numbers_parse(keys, z, (size_t)n, &in->weights, &message);
  if (rc == PF_NOMEM || (rc != PF_OK && message == NULL))
    ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("%s: out of memory", keys->fn)));
  if (rc != PF_OK) pg_risk_fail(message);
  if (site->weights_text) pfree(site->weights_text);
  site->weights_text = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, n ? n : 1);
  memcpy(site->weights_text, z, n);
  site->weights_n = n;
  site->weights = in->weights;
}

/* Factor k's value at argument i. */
static void read_value(FunctionCallInfo fcinfo, risk_site *site, const char *fn, int k, int i,
                       pf_risk_input *in) {
  const pf_risk_factor *f = &pf_risk_factors[k];
  pf_num num;
  int rc = pg_arg_number(fcinfo, i, site->types[i], &num);
  if (rc == 0) return;
  if (rc < 0 && f->industry_names && pg_arg_kind(site->types[i]) == PG_ARG_TEXT) {
    int n;
    char *z = pg_arg_text(fcinfo, i, site->types[i], &n);
    pf_risk_add_industry_name(in, k, z, n);
    return;
  }
  if (rc < 0)
    pg_risk_bad_value(fcinfo, site, fn, f->name,
                      f->industry_names ? "an industry name or a number" : "a number", i);
  if (!pf_risk_add_number(in, k, &num)) pg_risk_bad_value(fcinfo, site, fn, f->name, f->range, i);
}

/* Reads every pair into in; returns the index of the weights value, or -1. */
static void read_arguments(FunctionCallInfo fcinfo, const pf_json_keys *keys,
                           pf_risk_input *in) {
  const char *fn = keys->fn;
  risk_site *site = pg_risk_site(fcinfo, fn);
  int nargs = PG_NARGS(), weights_arg = -1;
  pf_risk_input_init(in);
  if (nargs % 2) pg_risk_fail(psprintf(PF_RISK_ODD_ARGUMENTS, fn, nargs, nargs == 1 ? "" : "s"));
  for (int i = 0; i < nargs; i += 2) {
    char *name;
    int n, k;
    if (PG_ARGISNULL(i) || pg_arg_kind(site->types[i]) != PG_ARG_TEXT)
      pg_risk_bad_value(fcinfo, site, fn, psprintf("argument %d", i + 1), "a factor name", i);
    name = pg_arg_text(fcinfo, i, site->types[i], &n);
    k = pf_risk_factor_find(name, n);
    if (k < 0 && pf_name_is(name, n, "weights")) {
      if (weights_arg >= 0) pg_risk_fail(psprintf(PF_RISK_WEIGHTS_TWICE, fn));
      weights_arg = i + 1;
      continue;
    }
    if (k < 0 && pf_name_is(name, n, "model")) pg_risk_fail(psprintf(PF_RISK_MODEL_FIRST, fn, fn));
    if (k < 0) {
      char *message = pf_risk_unknown_factor_message(fn, name, n);
      if (message == NULL) ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
      pg_risk_fail(message);
    }
    if (!pf_risk_name(in, k)) pg_risk_fail(psprintf(PF_RISK_FACTOR_TWICE, fn, pf_risk_factors[k].name));
    read_value(fcinfo, site, fn, k, i + 1, in);
  }
  if (weights_arg >= 0) read_weights(fcinfo, site, keys, weights_arg, in);
}

PG_FUNCTION_INFO_V1(pf_risk_score);
Datum pf_risk_score(PG_FUNCTION_ARGS) {
  pf_risk_input in;
  risk_site *site = pg_risk_site(fcinfo, "risk_score");
  if (pg_risk_is_learnt(fcinfo, site)) return pg_risk_learnt(fcinfo, site, "risk_score", false);
  read_arguments(fcinfo, &pf_risk_score_weights, &in);
  if (!pf_risk_compute(&in)) PG_RETURN_NULL();
  PG_RETURN_FLOAT8(in.score);
}

PG_FUNCTION_INFO_V1(pf_risk_explain);
Datum pf_risk_explain(PG_FUNCTION_ARGS) {
  pf_risk_input in;
  char *json;
  text *result;
  risk_site *site = pg_risk_site(fcinfo, "risk_explain");
  if (pg_risk_is_learnt(fcinfo, site)) return pg_risk_learnt(fcinfo, site, "risk_explain", true);
  read_arguments(fcinfo, &pf_risk_explain_weights, &in);
  json = pf_risk_explain_json(&in, pf_risk_compute(&in));
  if (json == NULL)
    ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("risk_explain: out of memory")));
  result = cstring_to_text(json);
  pf_free(json);
  PG_RETURN_TEXT_P(result);
}

/* The risk_model and risk_industries views' rows, from the core's tables. */
PG_FUNCTION_INFO_V1(pf_risk_model_rows);
Datum pf_risk_model_rows(PG_FUNCTION_ARGS) {
  ReturnSetInfo *rsi = (ReturnSetInfo *)fcinfo->resultinfo;
  InitMaterializedSRF(fcinfo, 0);
  for (int i = 0; i < pf_risk_factor_count; i++) {
    const pf_risk_factor *f = &pf_risk_factors[i];
    Datum v[4];
    bool nulls[4] = {false, false, false, false};
    v[0] = PointerGetDatum(cstring_to_text(f->name));
    v[1] = Float8GetDatum(f->weight);
    v[2] = PointerGetDatum(cstring_to_text(f->curve_text));
    v[3] = PointerGetDatum(cstring_to_text(f->description));
    tuplestore_putvalues(rsi->setResult, rsi->setDesc, v, nulls);
  }
  return (Datum)0;
}

PG_FUNCTION_INFO_V1(pf_risk_industries_rows);
Datum pf_risk_industries_rows(PG_FUNCTION_ARGS) {
  ReturnSetInfo *rsi = (ReturnSetInfo *)fcinfo->resultinfo;
  InitMaterializedSRF(fcinfo, 0);
  for (int i = 0; i < pf_industry_count; i++) {
    Datum v[3];
    bool nulls[3] = {false, false, false};
    v[0] = PointerGetDatum(cstring_to_text(pf_industries[i].name));
    v[1] = Float8GetDatum(pf_industries[i].risk);
    v[2] = PointerGetDatum(cstring_to_text(pf_industries[i].note));
    tuplestore_putvalues(rsi->setResult, rsi->setDesc, v, nulls);
  }
  return (Datum)0;
}
