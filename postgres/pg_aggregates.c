/*
** pg_aggregates.c: herfindahl, top_share and gini in PostgreSQL, keyed and unkeyed.
**
**   1. The SQLite host's rules: a NULL amount or key skips the row (transition functions
**      are not strict only because top_share's NULL n is an error); customers whose total
**      is <= 0 hold no share; no positive customer gives NULL; integer amounts are exact.
**   2. The keyed forms net rows per customer in the core's table, then measure the positive
**      totals exactly as the SQLite host does (pf_table_hhi, pf_top_share, pf_gini).
**   3. Every aggregate has COMBINEFUNC, SERIALFUNC and DESERIALFUNC (pg_state.c), so
**      parallel query splits it over workers; the result does not depend on the split.
**   4. Each transition function is bound to its SQL name, so errors name the aggregate.
**   5. Final functions leave the logical state as it was (they only apply pending rows and
**      sort a copy or the unkeyed amounts), so the aggregates also work over windows.
*/
#include "pg_state.h"

#include "catalog/pg_type.h"
#include "nodes/nodeFuncs.h"
#include "nodes/primnodes.h"
#include "utils/lsyscache.h"
#include "utils/builtins.h"

PG_MODULE_MAGIC;

/* The unit of a numeric amount argument: from the column's scale (typmod), which the
** aggregate's own expression still has (the transition call's arguments do not). Every
** worker of a parallel plan reads the same Aggref, so their partial states agree. */
static void numeric_digits_of(FunctionCallInfo fcinfo, int amount_arg, pg_agg_state *s) {
  Aggref *agg = AggGetAggref(fcinfo);
  TargetEntry *arg;
  int32 typmod = -1;
  if (agg != NULL && list_length(agg->args) >= amount_arg) {
    arg = list_nth_node(TargetEntry, agg->args, amount_arg - 1);
    typmod = exprTypmod((Node *)arg->expr);
  }
  s->numeric_dynamic = !pg_numeric_has_scale(typmod);
  s->numeric_digits = s->numeric_dynamic ? 0 : pg_numeric_unit_digits(typmod);
}

/* The state for this call, created in the aggregate context on the first row. */
static pg_agg_state *state_for_row(FunctionCallInfo fcinfo, int form, int key_arg,
                                   int amount_arg, const char *fn, MemoryContext *cx) {
  pg_agg_state *s;
  *cx = pg_agg_context(fcinfo, fn);
  s = PG_ARGISNULL(0) ? NULL : (pg_agg_state *)PG_GETARG_POINTER(0);
  if (s == NULL) s = pg_state_new(*cx, form);
  if (!s->readers_ready) {
    MemoryContext old = MemoryContextSwitchTo(*cx);
    s->amount_type = get_fn_expr_argtype(fcinfo->flinfo, amount_arg);
    if (s->amount_type == NUMERICOID) numeric_digits_of(fcinfo, amount_arg, s);
    if (key_arg > 0) pg_key_reader_init(&s->keys, get_fn_expr_argtype(fcinfo->flinfo, key_arg));
    MemoryContextSwitchTo(old);
    s->readers_ready = true;
  }
  return s;
}

/* A numeric without a declared scale: a finer amount than any before recounts the state
** in its unit first (pg_state.h rule 4), in the aggregate context cx. The scale is that of
** the digits the value needs (12.3750000000000000, as x / 8.0 gives, is 12.375: 3), not
** its display scale, so trailing zeros do not make the unit finer. An amount with more
** than PG_NUMERIC_MAX_DIGITS decimals is rounded to that many (as round(v, 18): half away
** from zero), so every amount is a whole number of units, exactly: one that is not within
** 64 bits is an error (pg_read_numeric_units), never a double that depends on the order. */
static Datum read_amount(pg_agg_state *s, Datum v, pf_num *amount, const char *fn,
                         MemoryContext cx) {
  if (s->amount_type == NUMERICOID && s->numeric_dynamic) {
    int scale = pg_numeric_min_scale(v);
    if (scale > PG_NUMERIC_MAX_DIGITS) {
      v = DirectFunctionCall2(numeric_round, v, Int32GetDatum(PG_NUMERIC_MAX_DIGITS));
      scale = PG_NUMERIC_MAX_DIGITS;
    }
    if (scale > s->numeric_digits) {
      MemoryContext old = MemoryContextSwitchTo(cx);
      pg_state_rescale(s, scale, fn);
      MemoryContextSwitchTo(old);
    }
    pg_read_numeric_units(v, s->numeric_digits, amount, fn);
  } else if (s->amount_type == NUMERICOID) {
    pg_read_numeric_amount(v, s->numeric_digits, amount, fn);
  } else {
    pg_read_amount(v, s->amount_type, amount, fn);
  }
  return v; /* as counted: rounded to PG_NUMERIC_MAX_DIGITS decimals */
}

static void read_n(FunctionCallInfo fcinfo, int arg, pg_agg_state *s) {
  int64 n;
  if (PG_ARGISNULL(arg))
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("top_share: n must be a positive integer, got NULL")));
  n = PG_GETARG_INT64(arg);
  if (n <= 0)
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("top_share: n must be a positive integer, got " INT64_FORMAT, n)));
  if (s->n != 0 && s->n != n)
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("top_share: n must be the same on every row, got " INT64_FORMAT
                           " after " INT64_FORMAT, n, s->n)));
  s->n = n;
}

/* (state, key, amount [, n]): nets the amount into the customer's total. */
static Datum keyed_step(FunctionCallInfo fcinfo, const char *fn, bool with_n) {
  MemoryContext cx, old;
  pg_agg_state *s = state_for_row(fcinfo, PG_KEYED, 1, 2, fn, &cx);
  pf_key k;
  pf_num amount;
  if (with_n) read_n(fcinfo, 3, s);
  if (PG_ARGISNULL(1) || PG_ARGISNULL(2)) PG_RETURN_POINTER(s);
  if (!pg_read_key(&s->keys, PG_GETARG_DATUM(1), &k)) PG_RETURN_POINTER(s);
  read_amount(s, PG_GETARG_DATUM(2), &amount, fn, cx);
  old = MemoryContextSwitchTo(cx);
  pg_check_core(pf_table_add(&s->table, &k, &amount, +1), fn);
  MemoryContextSwitchTo(old);
  PG_RETURN_POINTER(s);
}

/* (state, amount [, n]): one customer per row; amounts <= 0 hold no share. */
static Datum unkeyed_step(FunctionCallInfo fcinfo, const char *fn, bool with_n, bool sums) {
  MemoryContext cx, old;
  pg_agg_state *s = state_for_row(fcinfo, PG_UNKEYED, 0, 1, fn, &cx);
  pf_num amount;
  Datum v;
  if (with_n) read_n(fcinfo, 2, s);
  if (PG_ARGISNULL(1)) PG_RETURN_POINTER(s);
  v = read_amount(s, PG_GETARG_DATUM(1), &amount, fn, cx);
  if (amount.d <= 0) PG_RETURN_POINTER(s);
  /* A numeric without a declared scale: top_share and gini keep the value itself, rounded
  ** once to a double, not its units: those are a double of a 64-bit integer, which a
  ** later recount would round again, so the bits would depend on the order (gini of
  ** 876543210987654321, 0.5 and 3 was ...667 or ...666). Each row is its own customer,
  ** so no sum needs the units, and the values never need a recount. */
  if (!sums && s->amount_type == NUMERICOID && s->numeric_dynamic)
    amount.d = DatumGetFloat8(DirectFunctionCall1(numeric_float8, v));
  if (sums) {
    pf_sqsums_add(&s->sums, &amount, +1); /* exact: no allocation, any order */
    PG_RETURN_POINTER(s);
  }
  old = MemoryContextSwitchTo(cx);
  pg_check_core(pf_values_push(&s->values, amount.d), fn);
  MemoryContextSwitchTo(old);
  PG_RETURN_POINTER(s);
}

#define STEP(name, body)                 \
  PG_FUNCTION_INFO_V1(name);             \
  Datum name(PG_FUNCTION_ARGS) { return body; }

STEP(pf_herfindahl_keyed_step, keyed_step(fcinfo, "herfindahl", false))
STEP(pf_top_share_keyed_step, keyed_step(fcinfo, "top_share", true))
STEP(pf_gini_keyed_step, keyed_step(fcinfo, "gini", false))
STEP(pf_herfindahl_step, unkeyed_step(fcinfo, "herfindahl", false, true))
STEP(pf_top_share_step, unkeyed_step(fcinfo, "top_share", true, false))
STEP(pf_gini_step, unkeyed_step(fcinfo, "gini", false, false))

PG_FUNCTION_INFO_V1(pf_combine);
Datum pf_combine(PG_FUNCTION_ARGS) {
  MemoryContext cx = pg_agg_context(fcinfo, "portfolio"), old;
  pg_agg_state *a = PG_ARGISNULL(0) ? NULL : (pg_agg_state *)PG_GETARG_POINTER(0);
  pg_agg_state *b = PG_ARGISNULL(1) ? NULL : (pg_agg_state *)PG_GETARG_POINTER(1);
  if (b == NULL) {
    if (a == NULL) PG_RETURN_NULL();
    PG_RETURN_POINTER(a);
  }
  /* The result must live in the aggregate context: copy b rather than return it. */
  if (a == NULL) a = pg_state_new(cx, b->form);
  old = MemoryContextSwitchTo(cx);
  pg_state_merge(a, b, "portfolio");
  MemoryContextSwitchTo(old);
  PG_RETURN_POINTER(a);
}

PG_FUNCTION_INFO_V1(pf_serialize);
Datum pf_serialize(PG_FUNCTION_ARGS) {
  MemoryContext cx = pg_agg_context(fcinfo, "portfolio"), old;
  pg_agg_state *s = (pg_agg_state *)PG_GETARG_POINTER(0);
  bytea *out;
  old = MemoryContextSwitchTo(cx);
  pg_check_core(s->form == PG_KEYED ? pf_table_flush(&s->table) : PF_OK, "portfolio");
  MemoryContextSwitchTo(old);
  out = pg_state_serialize(s);
  PG_RETURN_BYTEA_P(out);
}

PG_FUNCTION_INFO_V1(pf_deserialize);
Datum pf_deserialize(PG_FUNCTION_ARGS) {
  MemoryContext cx = pg_agg_context(fcinfo, "portfolio");
  PG_RETURN_POINTER(pg_state_deserialize(cx, PG_GETARG_BYTEA_PP(0)));
}

/* Applies a keyed state's pending rows in the aggregate context (the table may grow), so
** that reading it afterwards allocates nothing that outlives this call. */
static void flush_keyed(FunctionCallInfo fcinfo, pg_agg_state *s, const char *fn) {
  MemoryContext old;
  if (s->form != PG_KEYED) return;
  old = MemoryContextSwitchTo(pg_agg_context(fcinfo, fn));
  pg_check_core(pf_table_flush(&s->table), fn);
  MemoryContextSwitchTo(old);
  if (s->amount_type == NUMERICOID && s->numeric_dynamic) pg_state_check_units(s, fn);
}

/* The positive customer totals of a state. For a keyed state they are a copy in the
** call's memory: a window calls the final function once per row, and the aggregate
** context lives until the last one. */
static pf_values *positive_totals(FunctionCallInfo fcinfo, pg_agg_state *s, const char *fn) {
  pf_values *v;
  if (s->form == PG_UNKEYED) return &s->values;
  flush_keyed(fcinfo, s, fn);
  v = palloc0(sizeof *v);
  pg_check_core(pf_values_from_table(v, &s->table), fn);
  return v;
}

PG_FUNCTION_INFO_V1(pf_herfindahl_final);
Datum pf_herfindahl_final(PG_FUNCTION_ARGS) {
  pg_agg_state *s = PG_ARGISNULL(0) ? NULL : (pg_agg_state *)PG_GETARG_POINTER(0);
  double hhi = 0;
  int64_t customers;
  if (s == NULL) PG_RETURN_NULL();
  if (s->form == PG_UNKEYED) {
    if (s->sums.count == 0) PG_RETURN_NULL();
    /* the SQLite host's read of the same exact sums: the same bits */
    PG_RETURN_FLOAT8(pf_sqsums_of(&s->sums, pf_hhi_of_sums));
  } else {
    flush_keyed(fcinfo, s, "herfindahl");
    pg_check_core(pf_table_hhi(&s->table, &hhi, &customers), "herfindahl");
    if (customers == 0) PG_RETURN_NULL();
  }
  PG_RETURN_FLOAT8(hhi);
}

PG_FUNCTION_INFO_V1(pf_top_share_final);
Datum pf_top_share_final(PG_FUNCTION_ARGS) {
  pg_agg_state *s = PG_ARGISNULL(0) ? NULL : (pg_agg_state *)PG_GETARG_POINTER(0);
  pf_values *v;
  double share = 0;
  if (s == NULL) PG_RETURN_NULL();
  v = positive_totals(fcinfo, s, "top_share");
  if (v->n == 0) PG_RETURN_NULL();
  pg_check_core(pf_top_share(v->v, v->n, s->n, &share), "top_share");
  PG_RETURN_FLOAT8(share);
}

PG_FUNCTION_INFO_V1(pf_gini_final);
Datum pf_gini_final(PG_FUNCTION_ARGS) {
  pg_agg_state *s = PG_ARGISNULL(0) ? NULL : (pg_agg_state *)PG_GETARG_POINTER(0);
  pf_values *v;
  if (s == NULL) PG_RETURN_NULL();
  v = positive_totals(fcinfo, s, "gini");
  if (v->n == 0) PG_RETURN_NULL();
  PG_RETURN_FLOAT8(pf_gini(v->v, v->n));
}
