/*
** pg_phase.c: phase_of(signal, value, ...) in PostgreSQL (VARIADIC "any").
**
**   1. The signals, thresholds and rules are the core's (core_phase.h), as in SQLite, and so
**      are the messages: values are read and quoted back as SQLite reads and shows them
**      (pg_values.h), and ('thresholds', json) is read by the core's JSON reader
**      (core_json_numbers.h).
**   2. Arguments come in (name, value) pairs; names are text, matched ignoring ASCII case;
**      an odd count, a non-text, unknown or repeated name is an error naming it.
**   3. Values: any number type, boolean (flags), or text reading as a number; NULL or ''
**      is unknown; a value out of range is an error naming the signal and the value.
**   4. thresholds: json, jsonb or text; NULL or '' keeps {"risk": 70, "adoption": 0.3}.
**   5. No known signal gives NULL.
*/
#include "pg_values.h"

#include "core_phase.h"
#include "core_text.h"
#include "pf_host.h"

#include <string.h>

#include "catalog/pg_type.h"
#include "funcapi.h"
#include "utils/builtins.h"
#include "utils/tuplestore.h"

typedef struct phase_args {
  unsigned named, known;
  double value[PF_SIG_COUNT];
  pf_json_numbers thresholds;
  bool thresholds_given;
} phase_args;

static void fail(const char *message) {
  ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("%s", message)));
}

static void bad_value(FunctionCallInfo fcinfo, int i, Oid type, const char *what,
                      const char *must) {
  fail(psprintf("phase_of: %s must be %s, got %s", what, must,
                pg_describe_arg(fcinfo, i, type)));
}

static char *finished(pf_text *t) {
  char *z = pf_text_finish(t);
  if (z == NULL) ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("phase_of: out of memory")));
  return z;
}

static void read_thresholds(FunctionCallInfo fcinfo, int i, phase_args *a) {
  Oid type = get_fn_expr_argtype(fcinfo->flinfo, i);
  char *z, *message;
  int n, rc;
  if (a->thresholds_given) fail("phase_of: 'thresholds' given twice");
  a->thresholds_given = true;
  if (PG_ARGISNULL(i)) return;
  if (pg_arg_kind(type) != PG_ARG_TEXT && pg_arg_kind(type) != PG_ARG_JSON)
    bad_value(fcinfo, i, type, "thresholds", "a JSON object");
  z = pg_arg_text(fcinfo, i, type, &n);
  if (n == 0) return;
  rc = pf_json_numbers_parse(&pf_phase_threshold_keys, z, (size_t)n, &a->thresholds, &message);
  if (rc == PF_NOMEM || (rc != PF_OK && message == NULL))
    ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("phase_of: out of memory")));
  if (rc != PF_OK) fail(message);
}

static void read_pair(FunctionCallInfo fcinfo, int i, phase_args *a) {
  Oid type = get_fn_expr_argtype(fcinfo->flinfo, i), vtype;
  char *name;
  int n, s = -1, rc;
  pf_num x;
  if (PG_ARGISNULL(i) || pg_arg_kind(type) != PG_ARG_TEXT)
    bad_value(fcinfo, i, type, psprintf("argument %d", i + 1), "a signal name");
  name = pg_arg_text(fcinfo, i, type, &n);
  if (pf_name_is(name, n, "thresholds")) {
    read_thresholds(fcinfo, i + 1, a);
    return;
  }
  for (int k = 0; k < PF_SIG_COUNT && s < 0; k++)
    if (pf_name_is(name, n, pf_phase_signals[k].name)) s = k;
  if (s < 0) {
    pf_text t = PF_TEXT_INIT;
    pf_text_cstr(&t, "phase_of: unknown signal ");
    pf_text_sql_quote(&t, name, strnlen(name, (size_t)n), (size_t)-1);
    pf_text_cstr(&t, " (known: ");
    pf_text_names(&t, pf_phase_signals, sizeof(pf_phase_signals[0]), PF_SIG_COUNT, "thresholds");
    pf_text_char(&t, ')');
    fail(finished(&t));
  }
  if (a->named & (1u << s))
    fail(psprintf("phase_of: signal '%s' given twice", pf_phase_signals[s].name));
  a->named |= 1u << s;
  vtype = get_fn_expr_argtype(fcinfo->flinfo, i + 1);
  rc = pg_arg_number(fcinfo, i + 1, vtype, &x);
  if (rc == 0) return;
  if (rc < 0) bad_value(fcinfo, i + 1, vtype, pf_phase_signals[s].name, "a number");
  if (!pf_phase_signal_accepts(s, x.d))
    bad_value(fcinfo, i + 1, vtype, pf_phase_signals[s].name, pf_phase_signals[s].range);
  a->known |= 1u << s;
  a->value[s] = x.d;
}

PG_FUNCTION_INFO_V1(pf_phase_of);
Datum pf_phase_of(PG_FUNCTION_ARGS) {
  phase_args a;
  double threshold[PF_THR_COUNT];
  int n = PG_NARGS();
  memset(&a, 0, sizeof a);
  if (get_fn_expr_variadic(fcinfo->flinfo))
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("phase_of: give the signals as arguments, not as a VARIADIC array")));
  if (n % 2)
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("phase_of: arguments come in signal, value pairs, got %d argument%s",
                           n, n == 1 ? "" : "s")));
  for (int i = 0; i < n; i += 2) read_pair(fcinfo, i, &a);
  if (a.known == 0) PG_RETURN_NULL();
  for (int t = 0; t < PF_THR_COUNT; t++)
    threshold[t] = (a.thresholds.seen & (1u << t)) ? a.thresholds.value[t]
                                                    : pf_phase_threshold_defaults[t];
  PG_RETURN_TEXT_P(cstring_to_text(pf_phases[pf_phase_classify(a.known, a.value, threshold)].name));
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
