/*
** pg_risk_fit.c: risk_fit(outcome, factor, value, ... [, 'options', json]) in PostgreSQL,
** the aggregate that learns a risk scorecard from history (VARIADIC "any"), on the core's
** collector and fit (ext/core/scorecard_*.c) with the core's argument rules and messages
** (scorecard_args.c), so the model is the SQLite extension's, byte for byte.
**
**   1. The first row fixes the factors (names as in SQLite: letters, digits and '_', not
**      'weights', 'model' or 'options' except as the last pair, none twice); every later
**      row must name the same factors (ASCII case ignored) and give the same options.
**      The argument types are fixed by the call, so only names and options can change.
**   2. outcome: 0 or 1 (integer, boolean, integral numeric or text reading as one); NULL or
**      '' skips the row; anything else is an error.
**   3. Values as SQLite reads them (pg_values.h): NULL or '' is missing; integers, booleans
**      and integral numerics are INTEGERs, other numerics and floats REALs (NaN and the
**      infinities are errors); text (and any other type, by its output text, as
**      risk_score('model', ...) reads a categorical value) is a number when it reads as
**      one in full, else a category; bytea is an error (SQLite's BLOB). A built-in factor
**      keeps risk_score's ranges.
**   4. Options: text, json or jsonb holding the JSON object, parsed once (first row); NULL
**      is the defaults.
**   5. No row, or only NULL outcomes: NULL. Fewer than 2 rows of either outcome: an error
**      naming both counts. The result is json (the model text, as SQLite returns it).
**   6. Memory: the collector lives in the aggregate context (pf_malloc = palloc there);
**      a row allocates nothing once the row store has grown. The final function fits in
**      place (FINALFUNC_MODIFY = READ_WRITE).
**   7. PARALLEL SAFE with COMBINEFUNC, SERIALFUNC and DESERIALFUNC: each worker collects
**      its rows; parts travel as the core's bytes (pf_fit_encode) after a header with the
**      call's options, and are merged by the core (pf_fit_merge: a dictionary lookup per
**      distinct value, then a copy of the rows). The model depends only on the set of rows,
**      so any split gives the serial model. Parts whose first rows named other factors or
**      gave other options fail as a later row would.
*/
#include "pg_values.h"

#include "core_risk.h"
#include "pf_host.h"
#include "scorecard.h"

#include <string.h>

#include "utils/builtins.h"

static const char fn[] = PF_FIT_FN;

typedef struct fit_pg {
  pf_fit *fit;
  int argc; /* the call's arguments (without the state) */
  int nf;
  bool has_options;
  bool options_null;
  pf_fit_options options;
  char *options_text;
  int options_n;
  Oid *types; /* of fcinfo's arguments 1..argc */
  int builtin[PF_FIT_MAX_FACTORS];
} fit_pg;

static void fail(const char *message) {
  ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE), errmsg("%s", message)));
}

static void no_memory(void) {
  ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("%s: out of memory", fn)));
}

/* Turns a core code (with its message, pf_malloc'd) into an ERROR; PF_OK returns. */
static void check(int rc, char *message) {
  if (rc == PF_OK) return;
  if (message == NULL) no_memory();
  fail(message);
}

static void bad_value(FunctionCallInfo fcinfo, fit_pg *st, const char *what, const char *must,
                      int i) {
  fail(psprintf("%s: %s must be %s, got %s", fn, what, must,
                pg_describe_arg(fcinfo, i, st->types[i - 1])));
}

/* Argument i as a name: its text, or NULL when it is not a text-like non-NULL value. */
static const char *name_arg(FunctionCallInfo fcinfo, fit_pg *st, int i, int *n) {
  *n = 0;
  if (PG_ARGISNULL(i) || pg_arg_kind(st->types[i - 1]) != PG_ARG_TEXT) return NULL;
  return pg_arg_text(fcinfo, i, st->types[i - 1], n);
}

/* Rule 4 for the first row: argument i (or none) into st->options. */
static void read_options(FunctionCallInfo fcinfo, fit_pg *st, int i) {
  char *message = NULL, *z;
  int n, kind, rc;
  pf_fit_default_options(&st->options);
  st->options_null = i < 0 || PG_ARGISNULL(i);
  if (st->options_null) return;
  kind = pg_arg_kind(st->types[i - 1]);
  if (kind != PG_ARG_TEXT && kind != PG_ARG_JSON)
    bad_value(fcinfo, st, "options", "a JSON object", i);
  z = pg_arg_text(fcinfo, i, st->types[i - 1], &n);
  st->options_text = palloc(n ? n : 1);
  memcpy(st->options_text, z, n);
  st->options_n = n;
  rc = pf_fit_parse_options(st->fit, z, (size_t)n, &st->options, &message);
  check(rc, message); /* not in one call: the message is set by the parse */
}

/* Rule 1 for the first row (called in the aggregate context). */
static void first_row(FunctionCallInfo fcinfo, fit_pg *st) {
  int argc = PG_NARGS() - 1, n;
  if (get_fn_expr_variadic(fcinfo->flinfo))
    fail(psprintf("%s: give the factors as arguments, not as a VARIADIC array", fn));
  if (argc < 3 || argc % 2 == 0) fail(psprintf(PF_FIT_ARGUMENTS, fn, argc, argc == 1 ? "" : "s"));
  st->argc = argc;
  st->types = palloc(sizeof(Oid) * argc);
  for (int i = 0; i < argc; i++) st->types[i] = get_fn_expr_argtype(fcinfo->flinfo, i + 1);
  if (argc >= 5) {
    const char *z = name_arg(fcinfo, st, argc - 1, &n);
    st->has_options = pf_fit_is_options(z, n);
  }
  st->nf = (argc - 1) / 2 - st->has_options;
  if (st->nf > PF_FIT_MAX_FACTORS) fail(psprintf(PF_FIT_TOO_MANY, fn, PF_FIT_MAX_FACTORS, st->nf));
  st->fit = pf_fit_new(st->nf);
  if (st->fit == NULL) no_memory();
  for (int f = 0; f < st->nf; f++) {
    int i = 2 + 2 * f, rc;
    char *message = NULL;
    const char *z = name_arg(fcinfo, st, i, &n);
    rc = pf_fit_first_name(st->fit, f, z, n, &message);
    if (rc == PF_FIT_BAD_NAME) bad_value(fcinfo, st, "a factor name", PF_FIT_NAME_RULE, i);
    check(rc, message);
    st->builtin[f] = pf_risk_factor_find(z, n);
  }
  read_options(fcinfo, st, st->has_options ? argc : -1);
}

/* Rule 1 for a later row: the names, and the options text. */
static void same_row_shape(FunctionCallInfo fcinfo, fit_pg *st) {
  int n, gn;
  for (int f = 0; f < st->nf; f++) {
    const char *z = name_arg(fcinfo, st, 2 + 2 * f, &n);
    if (!pf_fit_same_name(st->fit, f, z, n))
      fail(psprintf(PF_FIT_ROW_NAME, fn, f + 1, pg_describe_arg(fcinfo, 2 + 2 * f, st->types[1 + 2 * f]),
                    pf_fit_factor_name(st->fit, f, &gn)));
  }
  if (st->has_options) {
    int i = st->argc;
    bool is_null = PG_ARGISNULL(i);
    char *z = is_null ? NULL : pg_arg_text(fcinfo, i, st->types[i - 1], &n);
    if (is_null != st->options_null ||
        (!is_null && (n != st->options_n || memcmp(z, st->options_text, n) != 0)))
      fail(psprintf(PF_FIT_SAME_OPTIONS, fn));
  }
}

/* Rule 2: true with *y set, false to skip the row. */
static bool read_outcome(FunctionCallInfo fcinfo, fit_pg *st, int *y) {
  pf_num x;
  int rc = pg_arg_number(fcinfo, 1, st->types[0], &x);
  if (rc == 0) return false;
  if (rc < 0 || (x.d != 0 && x.d != 1)) bad_value(fcinfo, st, "outcome", "0 or 1", 1);
  *y = x.d == 1;
  return true;
}

/* Rule 3: factor f's value at argument i. */
static void read_value(FunctionCallInfo fcinfo, fit_pg *st, int f, int i, pf_fit_value *out) {
  Oid type = st->types[i - 1];
  int kind = pg_arg_kind(type), n;
  const char *must, *name = pf_fit_factor_name(st->fit, f, &n);
  char *z;
  out->kind = PF_FIT_MISSING;
  out->text = NULL;
  out->n = 0;
  if (PG_ARGISNULL(i)) return;
  if (kind == PG_ARG_NUMBER || kind == PG_ARG_BOOL) {
    if (pg_arg_number(fcinfo, i, type, &out->num) < 0)
      bad_value(fcinfo, st, name, st->builtin[f] >= 0 ? "a number" : "a finite number or TEXT", i);
    out->kind = PF_FIT_NUMBER;
  } else if (kind == PG_ARG_BYTES) {
    bad_value(fcinfo, st, name, st->builtin[f] >= 0 ? "a number" : "a finite number or TEXT", i);
  } else {
    z = pg_arg_as_text(fcinfo, i, type, &n);
    if (n == 0) return;
    if (pf_fit_text_value(z, n, out) != PF_OK) no_memory();
  }
  if (st->builtin[f] >= 0 && !pf_fit_builtin_ok(st->builtin[f], out, &must))
    bad_value(fcinfo, st, pf_risk_factors[st->builtin[f]].name, must, i);
}

static void add_row(FunctionCallInfo fcinfo, fit_pg *st, MemoryContext cx) {
  pf_fit_value values[PF_FIT_MAX_FACTORS];
  MemoryContext old;
  int y, rc;
  if (st->fit == NULL) {
    old = MemoryContextSwitchTo(cx);
    first_row(fcinfo, st);
    MemoryContextSwitchTo(old);
  } else {
    same_row_shape(fcinfo, st);
  }
  if (!read_outcome(fcinfo, st, &y)) return;
  for (int f = 0; f < st->nf; f++) read_value(fcinfo, st, f, 3 + 2 * f, &values[f]);
  old = MemoryContextSwitchTo(cx);
  rc = pf_fit_row(st->fit, y, values);
  MemoryContextSwitchTo(old);
  if (rc != PF_OK) no_memory();
}

PG_FUNCTION_INFO_V1(pf_risk_fit_step);
Datum pf_risk_fit_step(PG_FUNCTION_ARGS) {
  MemoryContext cx;
  fit_pg *st;
  if (!AggCheckCallContext(fcinfo, &cx))
    ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                    errmsg("%s: called outside an aggregate", fn)));
  st = PG_ARGISNULL(0) ? MemoryContextAllocZero(cx, sizeof *st) : (fit_pg *)PG_GETARG_POINTER(0);
  add_row(fcinfo, st, cx);
  PG_RETURN_POINTER(st);
}

/* ---- parallel parts (rule 7) ----------------------------------------------------------- */

typedef struct ser_fit {
  int32 argc, nf, has_options, options_null, options_n, bins;
  double min_share, l2;
  int32 builtin[PF_FIT_MAX_FACTORS];
} ser_fit;

static MemoryContext agg_context(FunctionCallInfo fcinfo) {
  MemoryContext cx;
  if (!AggCheckCallContext(fcinfo, &cx))
    ereport(ERROR, (errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
                    errmsg("%s: called outside an aggregate", fn)));
  return cx;
}

/* A state of the same call as b with no rows yet (in the current context). */
static fit_pg *empty_like(const fit_pg *b) {
  fit_pg *a = palloc0(sizeof *a);
  char *message = NULL;
  int n, rc;
  *a = *b;
  a->types = NULL;
  a->fit = pf_fit_new(b->nf);
  if (a->fit == NULL) no_memory();
  for (int f = 0; f < b->nf; f++) {
    const char *name = pf_fit_factor_name(b->fit, f, &n);
    if (pf_fit_name(a->fit, f, name, n) != PF_OK) no_memory();
  }
  if (!b->options_null) {
    a->options_text = palloc(b->options_n ? b->options_n : 1);
    memcpy(a->options_text, b->options_text, b->options_n);
    rc = pf_fit_parse_options(a->fit, a->options_text, (size_t)a->options_n, &a->options, &message);
    check(rc, message); /* marks the monotone factors again */
  }
  return a;
}

/* Rule 1 between parts: the same factors and options. */
static void same_call(const fit_pg *a, const fit_pg *b) {
  int n, gn;
  for (int f = 0; f < a->nf; f++) {
    const char *name = pf_fit_factor_name(b->fit, f, &n);
    if (!pf_fit_same_name(a->fit, f, name, n))
      fail(psprintf(PF_FIT_ROW_NAME, fn, f + 1, psprintf("'%.*s'", n, name),
                    pf_fit_factor_name(a->fit, f, &gn)));
  }
  if (a->options_null != b->options_null ||
      (!a->options_null && (a->options_n != b->options_n ||
                            memcmp(a->options_text, b->options_text, a->options_n) != 0)))
    fail(psprintf(PF_FIT_SAME_OPTIONS, fn));
}

PG_FUNCTION_INFO_V1(pf_risk_fit_combine);
Datum pf_risk_fit_combine(PG_FUNCTION_ARGS) {
  MemoryContext cx = agg_context(fcinfo), old;
  fit_pg *a = PG_ARGISNULL(0) ? NULL : (fit_pg *)PG_GETARG_POINTER(0);
  fit_pg *b = PG_ARGISNULL(1) ? NULL : (fit_pg *)PG_GETARG_POINTER(1);
  int rc;
  if (b == NULL || b->fit == NULL) {
    if (a == NULL) PG_RETURN_NULL();
    PG_RETURN_POINTER(a);
  }
  old = MemoryContextSwitchTo(cx); /* the result lives in the aggregate context */
  if (a == NULL || a->fit == NULL) a = empty_like(b);
  same_call(a, b);
  rc = pf_fit_merge(a->fit, b->fit);
  MemoryContextSwitchTo(old);
  if (rc != PF_OK) no_memory();
  PG_RETURN_POINTER(a);
}

PG_FUNCTION_INFO_V1(pf_risk_fit_serialize);
Datum pf_risk_fit_serialize(PG_FUNCTION_ARGS) {
  fit_pg *st = (fit_pg *)PG_GETARG_POINTER(0);
  ser_fit h;
  char *bytes;
  uint64 n;
  bytea *out;
  agg_context(fcinfo);
  memset(&h, 0, sizeof h);
  h.argc = st->argc;
  h.nf = st->nf;
  h.has_options = st->has_options;
  h.options_null = st->options_null;
  h.options_n = st->options_null ? 0 : st->options_n;
  h.bins = st->options.bins;
  h.min_share = st->options.min_share;
  h.l2 = st->options.l2;
  memcpy(h.builtin, st->builtin, sizeof h.builtin);
  if (pf_fit_encode(st->fit, &bytes, &n) != PF_OK) no_memory();
  out = palloc_extended(VARHDRSZ + sizeof h + h.options_n + n, MCXT_ALLOC_HUGE);
  SET_VARSIZE(out, VARHDRSZ + sizeof h + h.options_n + n);
  memcpy(VARDATA(out), &h, sizeof h);
  if (h.options_n) memcpy(VARDATA(out) + sizeof h, st->options_text, h.options_n);
  memcpy(VARDATA(out) + sizeof h + h.options_n, bytes, n);
  pf_free(bytes);
  PG_RETURN_BYTEA_P(out);
}

static void bad_state(void) {
  ereport(ERROR, (errcode(ERRCODE_DATA_CORRUPTED),
                  errmsg("%s: malformed serialised aggregate state", fn)));
}

PG_FUNCTION_INFO_V1(pf_risk_fit_deserialize);
Datum pf_risk_fit_deserialize(PG_FUNCTION_ARGS) {
  MemoryContext cx = agg_context(fcinfo), old;
  bytea *b = PG_GETARG_BYTEA_PP(0);
  const char *p = VARDATA_ANY(b);
  uint64 n = VARSIZE_ANY_EXHDR(b);
  fit_pg *st;
  ser_fit h;
  int rc;
  if (n < sizeof h) bad_state();
  memcpy(&h, p, sizeof h);
  if (h.nf < 1 || h.nf > PF_FIT_MAX_FACTORS || h.options_n < 0 || n - sizeof h < (uint64)h.options_n)
    bad_state();
  old = MemoryContextSwitchTo(cx);
  st = palloc0(sizeof *st);
  st->argc = h.argc;
  st->nf = h.nf;
  st->has_options = h.has_options;
  st->options_null = h.options_null;
  st->options_n = h.options_n;
  st->options.bins = h.bins;
  st->options.min_share = h.min_share;
  st->options.l2 = h.l2;
  memcpy(st->builtin, h.builtin, sizeof h.builtin);
  st->options_text = palloc(h.options_n ? h.options_n : 1);
  memcpy(st->options_text, p + sizeof h, h.options_n);
  rc = pf_fit_decode(p + sizeof h + h.options_n, n - sizeof h - h.options_n, &st->fit);
  MemoryContextSwitchTo(old);
  if (rc == PF_NOMEM) no_memory();
  if (rc != PF_OK || pf_fit_factors(st->fit) != st->nf) bad_state();
  PG_RETURN_POINTER(st);
}

PG_FUNCTION_INFO_V1(pf_risk_fit_final);
Datum pf_risk_fit_final(PG_FUNCTION_ARGS) {
  fit_pg *st = PG_ARGISNULL(0) ? NULL : (fit_pg *)PG_GETARG_POINTER(0);
  MemoryContext cx, old;
  int64 ones, zeros;
  char *json = NULL;
  int rc, detail = 0;
  text *result;
  if (st == NULL || st->fit == NULL || !AggCheckCallContext(fcinfo, &cx)) PG_RETURN_NULL();
  ones = pf_fit_count(st->fit, 1);
  zeros = pf_fit_count(st->fit, 0);
  if (ones + zeros == 0) PG_RETURN_NULL();
  if (ones < 2 || zeros < 2) fail(psprintf(PF_FIT_NEEDS_ROWS, fn, (long long)ones, (long long)zeros));
  old = MemoryContextSwitchTo(cx);
  rc = pf_fit_run(st->fit, &st->options, &json, &detail);
  MemoryContextSwitchTo(old);
  if (rc == PF_NOMEM) no_memory();
  if (rc != PF_OK) check(rc, pf_fit_run_message(st->fit, rc, detail));
  result = cstring_to_text(json);
  pf_free(json);
  PG_RETURN_TEXT_P(result);
}
