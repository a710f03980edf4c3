/*
** pg_ranking.c: auc(score, outcome) and lift(score, outcome, fraction) in PostgreSQL, on the
** core's counting (core_ranking.c), with the SQLite extension's rules and messages.
**
**   1. Arguments are "any" and read as SQLite reads them (pg_values.h): a score is a finite
**      number (numeric text too), an outcome 0 or 1 (boolean, integer, integral numeric or
**      text); a NULL or '' score or outcome skips the row; anything else is an error naming
**      the function, the argument and the value.
**   2. lift's fraction: 0 < fraction <= 1, the same on every row (checked on every row,
**      skipped ones included) and between the parts of a parallel plan.
**   3. No rows, or no row of one of the outcomes: NULL.
**   4. PARALLEL SAFE: the state is the two lists of scores (per outcome); combining appends
**      them, and the core's answer depends only on the sorted lists, so any split of the
**      rows between workers gives the same result, to the bit.
**   5. Memory: 8 bytes a row in the aggregate context (the core allocates through
**      pf_realloc = palloc there); serialised as the two counts and the raw keys.
*/
#include "pg_values.h"

#include "core_text.h"
#include "pf_host.h"
#include "pg_state.h"

#include <string.h>

#include "utils/memutils.h"

typedef struct ranking_state {
  pf_ranking rows;
  bool has_fraction;
  double fraction;
  Oid types[3]; /* score, outcome, fraction; 0 until the first row */
} ranking_state;

static ranking_state *state_of(FunctionCallInfo fcinfo, MemoryContext cx, int nargs) {
  ranking_state *st = PG_ARGISNULL(0) ? NULL : (ranking_state *)PG_GETARG_POINTER(0);
  if (st == NULL) st = MemoryContextAllocZero(cx, sizeof *st);
  if (st->types[0] == InvalidOid)
    for (int i = 0; i < nargs; i++) st->types[i] = get_fn_expr_argtype(fcinfo->flinfo, i + 1);
  return st;
}

static void bad_value(FunctionCallInfo fcinfo, ranking_state *st, const char *fn,
                      const char *arg, const char *must, int i) {
  ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                  errmsg("%s: %s must be %s, got %s", fn, arg, must,
                         pg_describe_arg(fcinfo, i, st->types[i - 1]))));
}

static void add_row(FunctionCallInfo fcinfo, ranking_state *st, const char *fn,
                    MemoryContext cx) {
  pf_num score, outcome;
  int rs = pg_arg_number(fcinfo, 1, st->types[0], &score), ro;
  MemoryContext old;
  int rc;
  if (rs < 0) bad_value(fcinfo, st, fn, "score", "a finite number", 1);
  ro = pg_arg_number(fcinfo, 2, st->types[1], &outcome);
  if (ro < 0 || (ro > 0 && outcome.d != 0 && outcome.d != 1))
    bad_value(fcinfo, st, fn, "outcome", "0 or 1", 2);
  if (rs == 0 || ro == 0) return;
  old = MemoryContextSwitchTo(cx);
  rc = pf_ranking_add(&st->rows, score.d, outcome.d == 1);
  MemoryContextSwitchTo(old);
  pg_check_core(rc, fn);
}

PG_FUNCTION_INFO_V1(pf_auc_step);
Datum pf_auc_step(PG_FUNCTION_ARGS) {
  MemoryContext cx = pg_agg_context(fcinfo, "auc");
  ranking_state *st = state_of(fcinfo, cx, 2);
  add_row(fcinfo, st, "auc", cx);
  PG_RETURN_POINTER(st);
}

static char *real_text(double x) {
  pf_text t = PF_TEXT_INIT;
  char *z;
  pf_text_real(&t, x);
  z = pf_text_finish(&t);
  if (z == NULL) ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("lift: out of memory")));
  return z;
}

static void same_fraction(ranking_state *st, double f) {
  if (!st->has_fraction) {
    st->has_fraction = true;
    st->fraction = f;
  } else if (f != st->fraction) {
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("lift: fraction must be the same on every row, got %s then %s",
                           real_text(st->fraction), real_text(f))));
  }
}

PG_FUNCTION_INFO_V1(pf_lift_step);
Datum pf_lift_step(PG_FUNCTION_ARGS) {
  MemoryContext cx = pg_agg_context(fcinfo, "lift");
  ranking_state *st = state_of(fcinfo, cx, 3);
  pf_num f;
  int rc = pg_arg_number(fcinfo, 3, st->types[2], &f);
  if (rc <= 0 || !(f.d > 0 && f.d <= 1))
    bad_value(fcinfo, st, "lift", "fraction", "a number > 0 and <= 1", 3);
  same_fraction(st, f.d);
  add_row(fcinfo, st, "lift", cx);
  PG_RETURN_POINTER(st);
}

static Datum ranking_final(FunctionCallInfo fcinfo, int is_lift) {
  ranking_state *st = PG_ARGISNULL(0) ? NULL : (ranking_state *)PG_GETARG_POINTER(0);
  double result = 0;
  int defined = 0, rc;
  if (st == NULL) PG_RETURN_NULL();
  /* the core sorts the lists in place: the same multiset, so a re-run (a window) agrees */
  rc = is_lift ? pf_ranking_lift(&st->rows, st->fraction, &result, &defined)
               : pf_ranking_auc(&st->rows, &result, &defined);
  pg_check_core(rc, is_lift ? "lift" : "auc");
  if (!defined) PG_RETURN_NULL();
  PG_RETURN_FLOAT8(result);
}

PG_FUNCTION_INFO_V1(pf_auc_final);
Datum pf_auc_final(PG_FUNCTION_ARGS) { return ranking_final(fcinfo, 0); }

PG_FUNCTION_INFO_V1(pf_lift_final);
Datum pf_lift_final(PG_FUNCTION_ARGS) { return ranking_final(fcinfo, 1); }

/* Appends n keys to list k (in the aggregate context). */
static void append_keys(pf_keys *k, const uint64_t *v, int64 n, const char *fn) {
  if (n == 0) return;
  if (k->n + n > k->cap) {
    int64 cap = k->cap ? k->cap : 64;
    uint64_t *bigger;
    while (cap < k->n + n) cap *= 2;
    bigger = pf_realloc(k->v, (uint64_t)cap * sizeof(uint64_t));
    if (bigger == NULL) pg_check_core(PF_NOMEM, fn);
    k->v = bigger;
    k->cap = cap;
  }
  memcpy(k->v + k->n, v, (size_t)n * sizeof(uint64_t));
  k->n += n;
}

PG_FUNCTION_INFO_V1(pf_ranking_combine);
Datum pf_ranking_combine(PG_FUNCTION_ARGS) {
  MemoryContext cx = pg_agg_context(fcinfo, "auc/lift"), old;
  ranking_state *a = PG_ARGISNULL(0) ? NULL : (ranking_state *)PG_GETARG_POINTER(0);
  ranking_state *b = PG_ARGISNULL(1) ? NULL : (ranking_state *)PG_GETARG_POINTER(1);
  if (b == NULL) PG_RETURN_POINTER(a);
  if (a == NULL) {
    a = MemoryContextAllocZero(cx, sizeof *a);
    memcpy(a->types, b->types, sizeof a->types);
  }
  if (b->has_fraction) same_fraction(a, b->fraction);
  old = MemoryContextSwitchTo(cx);
  for (int o = 0; o < 2; o++)
    append_keys(&a->rows.by_outcome[o], b->rows.by_outcome[o].v, b->rows.by_outcome[o].n,
                "auc/lift");
  MemoryContextSwitchTo(old);
  PG_RETURN_POINTER(a);
}

typedef struct ranking_header {
  int64 n[2];
  int32 has_fraction, pad;
  double fraction;
} ranking_header;

PG_FUNCTION_INFO_V1(pf_ranking_serialize);
Datum pf_ranking_serialize(PG_FUNCTION_ARGS) {
  ranking_state *st = (ranking_state *)PG_GETARG_POINTER(0);
  ranking_header h;
  Size bytes;
  bytea *out;
  char *p;
  memset(&h, 0, sizeof h);
  h.n[0] = st->rows.by_outcome[0].n;
  h.n[1] = st->rows.by_outcome[1].n;
  h.has_fraction = st->has_fraction;
  h.fraction = st->fraction;
  bytes = sizeof h + (Size)(h.n[0] + h.n[1]) * sizeof(uint64_t);
  out = palloc_extended(VARHDRSZ + bytes, MCXT_ALLOC_HUGE);
  SET_VARSIZE(out, VARHDRSZ + bytes);
  p = VARDATA(out);
  memcpy(p, &h, sizeof h);
  p += sizeof h;
  for (int o = 0; o < 2; o++) {
    if (h.n[o]) memcpy(p, st->rows.by_outcome[o].v, (size_t)h.n[o] * sizeof(uint64_t));
    p += h.n[o] * sizeof(uint64_t);
  }
  PG_RETURN_BYTEA_P(out);
}

PG_FUNCTION_INFO_V1(pf_ranking_deserialize);
Datum pf_ranking_deserialize(PG_FUNCTION_ARGS) {
  MemoryContext cx = pg_agg_context(fcinfo, "auc/lift"), old;
  bytea *b = PG_GETARG_BYTEA_PP(0);
  const char *p = VARDATA_ANY(b);
  ranking_state *st = MemoryContextAllocZero(cx, sizeof *st);
  ranking_header h;
  if (VARSIZE_ANY_EXHDR(b) < sizeof h)
    ereport(ERROR, (errcode(ERRCODE_DATA_CORRUPTED), errmsg("auc/lift: bad partial state")));
  memcpy(&h, p, sizeof h);
  p += sizeof h;
  if (VARSIZE_ANY_EXHDR(b) != sizeof h + (Size)(h.n[0] + h.n[1]) * sizeof(uint64_t))
    ereport(ERROR, (errcode(ERRCODE_DATA_CORRUPTED), errmsg("auc/lift: bad partial state")));
  st->has_fraction = h.has_fraction != 0;
  st->fraction = h.fraction;
  old = MemoryContextSwitchTo(cx);
  for (int o = 0; o < 2; o++) {
    if (h.n[o]) { /* copied, not pointed at: the bytes may be unaligned in the bytea */
      uint64_t *v = pf_malloc((uint64_t)h.n[o] * sizeof(uint64_t));
      if (v == NULL) pg_check_core(PF_NOMEM, "auc/lift");
      memcpy(v, p, (size_t)h.n[o] * sizeof(uint64_t));
      st->rows.by_outcome[o].v = v;
      st->rows.by_outcome[o].n = st->rows.by_outcome[o].cap = h.n[o];
    }
    p += h.n[o] * sizeof(uint64_t);
  }
  MemoryContextSwitchTo(old);
  PG_RETURN_POINTER(st);
}
