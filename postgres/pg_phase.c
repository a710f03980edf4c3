/*
** pg_phase.c: phase_of(signal, value, ...) in PostgreSQL (VARIADIC "any").
**
**   1. The signals, thresholds and rules are the core's (core_phase.h), as in SQLite.
**   2. Arguments come in (name, value) pairs; names are text, matched ignoring case; an
**      odd count, an unknown or repeated name is an error naming it.
**   3. Values: any number type, boolean (flags), or text reading as a number; NULL or ''
**      is unknown; a value out of range is an error naming the signal and the value.
**   4. ('thresholds', json) overrides {"risk": 70, "adoption": 0.3}: json, jsonb or text;
**      NULL keeps the defaults; another key or a value out of range is an error.
**   5. No known signal gives NULL.
*/
#include "pg_portfolio.h"
#include "core_phase.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/pg_type.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "funcapi.h"
#include "utils/lsyscache.h"
#include "utils/tuplestore.h"

typedef struct phase_args {
  unsigned named, known;
  double value[PF_SIG_COUNT];
  double threshold[PF_THR_COUNT];
  bool thresholds_given;
} phase_args;

/* The argument as text (for names, text values and thresholds); NULL for other types. */
static char *arg_text(FunctionCallInfo fcinfo, int i) {
  Oid type = get_fn_expr_argtype(fcinfo->flinfo, i);
  if (type == UNKNOWNOID || type == CSTRINGOID) return pstrdup(DatumGetCString(PG_GETARG_DATUM(i)));
  if (type == TEXTOID || type == VARCHAROID || type == BPCHAROID || type == JSONOID)
    return text_to_cstring(PG_GETARG_TEXT_PP(i));
  if (type == JSONBOID) return JsonbToCString(NULL, &PG_GETARG_JSONB_P(i)->root, 0);
  return NULL;
}

static void bad_value(const char *what, const char *range, const char *got) {
  ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                  errmsg("phase_of: %s must be %s, got %s", what, range, got)));
}

/* Reads argument i as a number: false for NULL or ''. */
static bool arg_number(FunctionCallInfo fcinfo, int i, const char *name, double *out) {
  Oid type = get_fn_expr_argtype(fcinfo->flinfo, i);
  char *s, *end;
  pf_num x;
  if (PG_ARGISNULL(i)) return false;
  if (type == BOOLOID) {
    *out = PG_GETARG_BOOL(i) ? 1 : 0;
    return true;
  }
  s = arg_text(fcinfo, i);
  if (s == NULL) {
    pg_read_amount(PG_GETARG_DATUM(i), type, &x, "phase_of");
    *out = x.d;
    return true;
  }
  if (*s == '\0') return false;
  *out = strtod(s, &end);
  while (*end == ' ') end++;
  if (end == s || *end != '\0' || !isfinite(*out)) bad_value(name, "a number", s);
  return true;
}

static int find_signal(const pf_phase_signal *list, int count, const char *name) {
  for (int i = 0; i < count; i++)
    if (pg_strcasecmp(name, list[i].name) == 0) return i;
  return -1;
}

static void read_thresholds(const char *json, phase_args *a) {
  Jsonb *jb = DatumGetJsonbP(DirectFunctionCall1(jsonb_in, CStringGetDatum(json)));
  JsonbIterator *it;
  JsonbValue v;
  JsonbIteratorToken tok;
  if (!JB_ROOT_IS_OBJECT(jb)) bad_value("thresholds", "a JSON object", json);
  it = JsonbIteratorInit(&jb->root);
  while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE) {
    char *key;
    int t;
    if (tok != WJB_KEY) continue;
    key = pnstrdup(v.val.string.val, v.val.string.len);
    t = find_signal(pf_phase_thresholds, PF_THR_COUNT, key);
    if (t < 0)
      ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                      errmsg("phase_of: unknown key '%s' in thresholds (known: risk, adoption)",
                             key)));
    tok = JsonbIteratorNext(&it, &v, true);
    if (v.type == jbvNull) continue;
    if (v.type != jbvNumeric)
      bad_value(psprintf("%s in thresholds", key), pf_phase_thresholds[t].range, "a non-number");
    {
      double x = DatumGetFloat8(DirectFunctionCall1(numeric_float8, NumericGetDatum(v.val.numeric)));
      if (!(x >= pf_phase_thresholds[t].min && x <= pf_phase_thresholds[t].max))
        bad_value(psprintf("%s in thresholds", key), pf_phase_thresholds[t].range,
                  psprintf("%g", x));
      a->threshold[t] = x;
    }
  }
}

static void read_pair(FunctionCallInfo fcinfo, int i, phase_args *a) {
  char *name = PG_ARGISNULL(i) ? NULL : arg_text(fcinfo, i);
  int s;
  double x;
  if (name == NULL)
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("phase_of: argument %d must be a signal name", i + 1)));
  if (pg_strcasecmp(name, "thresholds") == 0) {
    char *json;
    if (a->thresholds_given)
      ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                      errmsg("phase_of: 'thresholds' given twice")));
    a->thresholds_given = true;
    if (PG_ARGISNULL(i + 1)) return;
    json = arg_text(fcinfo, i + 1);
    if (json == NULL) bad_value("thresholds", "a JSON object", "a non-text value");
    read_thresholds(json, a);
    return;
  }
  s = find_signal(pf_phase_signals, PF_SIG_COUNT, name);
  if (s < 0)
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("phase_of: unknown signal '%s' (known: deployment, adoption, risk, "
                           "stakeholder_change, competitive_pressure, technical_issues, "
                           "expected_churn, expansion, thresholds)", name)));
  if (a->named & (1u << s))
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("phase_of: signal '%s' given twice", pf_phase_signals[s].name)));
  a->named |= 1u << s;
  if (!arg_number(fcinfo, i + 1, pf_phase_signals[s].name, &x)) return;
  if (!pf_phase_signal_accepts(s, x))
    bad_value(pf_phase_signals[s].name, pf_phase_signals[s].range, psprintf("%g", x));
  a->known |= 1u << s;
  a->value[s] = x;
}

PG_FUNCTION_INFO_V1(pf_phase_of);
Datum pf_phase_of(PG_FUNCTION_ARGS) {
  phase_args a;
  int n = PG_NARGS();
  memset(&a, 0, sizeof a);
  memcpy(a.threshold, pf_phase_threshold_defaults, sizeof a.threshold);
  if (get_fn_expr_variadic(fcinfo->flinfo))
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("phase_of: give the signals as arguments, not as a VARIADIC array")));
  if (n % 2)
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("phase_of: arguments come in signal, value pairs, got %d argument%s",
                           n, n == 1 ? "" : "s")));
  for (int i = 0; i < n; i += 2) read_pair(fcinfo, i, &a);
  if (a.known == 0) PG_RETURN_NULL();
  PG_RETURN_TEXT_P(cstring_to_text(pf_phases[pf_phase_classify(a.known, a.value, a.threshold)].name));
}

/* The phases view's rows, from the core's table. */
PG_FUNCTION_INFO_V1(pf_phases_rows);
Datum pf_phases_rows(PG_FUNCTION_ARGS) {
  ReturnSetInfo *rsi = (ReturnSetInfo *)fcinfo->resultinfo;
  InitMaterializedSRF(fcinfo, 0);
  for (int i = 0; i < PF_PHASE_COUNT; i++) {
    Datum v[3];
    bool nulls[3] = {false, false, false};
    v[0] = PointerGetDatum(cstring_to_text(pf_phases[i].name));
    v[1] = Int32GetDatum(pf_phases[i].ordinal);
    v[2] = PointerGetDatum(cstring_to_text(pf_phases[i].objective));
    tuplestore_putvalues(rsi->setResult, rsi->setDesc, v, nulls);
  }
  return (Datum)0;
}
