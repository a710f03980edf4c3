/*
** measure_engine.c: the SQL functions of every measure, made from its description
** (measure.h): reading the rows, the extra argument, the keyed and unkeyed forms, the
** results and the registration.
**
**   1. name(amount[, extra]): one row per customer. of_sums measures keep running sums
**      (measure_sums.c); of_values measures keep the positive amounts (8 bytes a row) and
**      hand them to of_values at the end, or, in a window, from its first value on, an
**      ordered multiset of them (measure_window.c).
**   2. name(customer, amount[, extra]): rows are netted per customer in the core's table
**      first (keyed.c reads them), then customers with a net total <= 0 are left out.
**   3. A NULL or '' amount or customer skips the row; a non-numeric amount is an error
**      naming the function, the argument and the value; no positive customer gives NULL.
**   4. The extra argument is read on every row and must not change within one aggregate
**      ("<name>: <arg> must be the same on every row, got X after Y").
**   5. Every form is also a window function. In a window, the keyed forms and the unkeyed
**      form of an of_values measure switch, on their first value or first row taken out,
**      to a summary kept up to date row by row (measure_window.c); a plain aggregate never
**      pays for it.
*/
#include "measure_engine.h"
SQLITE_EXTENSION_INIT3

#include <float.h>

static measure_state *state_get(sqlite3_context *ctx) {
  measure_state *s = sqlite3_aggregate_context(ctx, sizeof(*s));
  if (s == 0) sqlite3_result_error_nomem(ctx);
  return s;
}

int pf_measure_extra_read(sqlite3_context *ctx, const pf_measure *m, measure_state *s,
                          sqlite3_value *v) {
  sqlite3_int64 n;
  if (m->extra_arg == 0) return 1;
  if (!pf_positive_int_read(ctx, m->name, m->extra_arg, v, &n)) return 0;
  if (s->extra != 0 && s->extra != n) {
    pf_result_errorf(ctx, "%s: %s must be the same on every row, got %lld after %lld",
                     m->name, m->extra_arg, n, (long long)s->extra);
    return 0;
  }
  s->extra = n;
  return 1;
}

/* ---- unkeyed form of an of_values measure --------------------------------------------- */

static __attribute__((noinline)) void values_row(sqlite3_context *ctx, int argc,
                                                 sqlite3_value **argv, int sign) {
  const pf_measure *m = pf_measure_of(ctx);
  measure_state *s = state_get(ctx);
  pf_num x;
  if (s == 0 || !pf_measure_extra_read(ctx, m, s, argv[argc - 1])) return;
  if (pf_amount_read(ctx, m->name, "amount", argv[0], &x) <= 0 || x.d <= 0) return;
  if (sign < 0 && s->window == 0 && !pf_window_start(ctx, m, s, 0)) return;
  if (s->window)
    pf_window_amount(ctx, m, s, &x, sign);
  else if (pf_values_push(&s->values, x.d) != PF_OK)
    sqlite3_result_error_nomem(ctx);
}

/* The usual row of an aggregate, a positive REAL with room in the list, is one store;
** anything else takes values_row. A tracking window has no list (pf_window_start frees it),
** so all its rows take values_row. Two entry points, so the usual row of each tests only
** what it must: without the extra argument, and with it the same INTEGER as before. */
static void values_step(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  measure_state *s = sqlite3_aggregate_context(ctx, sizeof(*s));
  if (s && s->values.n < s->values.cap && sqlite3_value_type(argv[0]) == SQLITE_FLOAT) {
    double x = sqlite3_value_double(argv[0]);
    if (x > 0 && x <= DBL_MAX) {
      s->values.v[s->values.n++] = x;
      return;
    }
  }
  values_row(ctx, argc, argv, 1);
}

static void values_step_extra(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  measure_state *s = sqlite3_aggregate_context(ctx, sizeof(*s));
  if (s && s->values.n < s->values.cap && s->extra > 0 &&
      sqlite3_value_type(argv[0]) == SQLITE_FLOAT &&
      sqlite3_value_type(argv[1]) == SQLITE_INTEGER && sqlite3_value_int64(argv[1]) == s->extra) {
    double x = sqlite3_value_double(argv[0]);
    if (x > 0 && x <= DBL_MAX) {
      s->values.v[s->values.n++] = x;
      return;
    }
  }
  values_row(ctx, argc, argv, 1);
}

static void values_inverse(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  values_row(ctx, argc, argv, -1);
}

static void values_value(sqlite3_context *ctx) {
  const pf_measure *m = pf_measure_of(ctx);
  measure_state *s = sqlite3_aggregate_context(ctx, 0);
  if (s == 0) return;
  if (s->window == 0 && !pf_window_start(ctx, m, s, 0)) return;
  pf_window_result(ctx, m, s, 0);
}

static void values_final(sqlite3_context *ctx) {
  const pf_measure *m = pf_measure_of(ctx);
  measure_state *s = sqlite3_aggregate_context(ctx, 0);
  if (s == 0) return;
  if (s->window)
    pf_window_result(ctx, m, s, 0);
  else
    pf_result_of_values(ctx, m, &s->values, s->extra);
  pf_window_free(s);
  pf_values_free(&s->values);
}

/* ---- keyed form ------------------------------------------------------------------------ */

static __attribute__((noinline)) void keyed_row(sqlite3_context *ctx, int argc,
                                                sqlite3_value **argv, int sign) {
  const pf_measure *m = pf_measure_of(ctx);
  measure_state *s = state_get(ctx);
  if (s == 0 || !pf_measure_extra_read(ctx, m, s, argv[argc - 1])) return;
  s->measure = m;
  if (sign < 0 && s->window == 0 && !pf_window_start(ctx, m, s, 1)) return;
  s->fast_rows = s->window == 0;
  if (s->window)
    pf_window_row(ctx, m, s, argv[0], argv[1], sign);
  else
    pf_keyed_add(ctx, m->name, &s->customers, argv[0], argv[1], sign);
}

/* The usual row of an aggregate, straight into the table: the hot loop of every keyed
** form. The first row and windows take keyed_row, and so does, with the extra argument, a
** row whose extra is not the INTEGER of the rows before (to be read or refused there). */
static void keyed_step(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  measure_state *s = sqlite3_aggregate_context(ctx, sizeof(*s));
  (void)argc;
  if (s && s->fast_rows) {
    pf_keyed_add(ctx, s->measure->name, &s->customers, argv[0], argv[1], 1);
    return;
  }
  keyed_row(ctx, 2, argv, 1);
}

static void keyed_step_extra(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  measure_state *s = sqlite3_aggregate_context(ctx, sizeof(*s));
  if (s && s->fast_rows && sqlite3_value_type(argv[2]) == SQLITE_INTEGER &&
      sqlite3_value_int64(argv[2]) == s->extra) {
    pf_keyed_add(ctx, s->measure->name, &s->customers, argv[0], argv[1], 1);
    return;
  }
  keyed_row(ctx, argc, argv, 1);
}

static void keyed_inverse(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  keyed_row(ctx, argc, argv, -1);
}

/* The measure over every customer, by a pass over the table. */
static void keyed_result(sqlite3_context *ctx, const pf_measure *m, measure_state *s) {
  if (m->of_sums) {
    pf_result_of_table_sums(ctx, m, &s->customers);
  } else if (pf_values_from_table_for(ctx, m->name, &s->values, &s->customers)) {
    pf_result_of_values(ctx, m, &s->values, s->extra);
  }
}

static void keyed_value(sqlite3_context *ctx) {
  const pf_measure *m = pf_measure_of(ctx);
  measure_state *s = sqlite3_aggregate_context(ctx, 0);
  if (s == 0) return;
  if (s->window == 0 && !pf_window_start(ctx, m, s, 1)) return;
  pf_window_result(ctx, m, s, 1);
}

static void keyed_final(sqlite3_context *ctx) {
  const pf_measure *m = pf_measure_of(ctx);
  measure_state *s = sqlite3_aggregate_context(ctx, 0);
  if (s == 0) return;
  if (s->window)
    pf_window_result(ctx, m, s, 1);
  else
    keyed_result(ctx, m, s);
  pf_window_free(s);
  pf_values_free(&s->values);
  pf_table_free(&s->customers);
}

/* ---- registration ---------------------------------------------------------------------- */

int pf_register_measures(sqlite3 *db, const pf_measure *const *list, int n, char **pzErrMsg) {
  int i, rc = SQLITE_OK;
  for (i = 0; i < n && rc == SQLITE_OK; i++) {
    const pf_measure *m = list[i];
    if ((m->of_sums == 0) == (m->of_values == 0) || (m->of_sums && m->extra_arg) ||
        (m->of_values && m->of_multiset == 0)) {
      /* a description the engine cannot serve (measure.h): a mistake in the code */
      if (pzErrMsg) *pzErrMsg = sqlite3_mprintf("portfolio: measure %s is ill-described", m->name);
      return SQLITE_MISUSE;
    }
    int extra = m->extra_arg != 0;
    pf_function forms[2];
    pf_function unkeyed = {.name = m->name, .nArg = 1 + extra, .flags = PF_PURE,
                           .user_data = (void *)m};
    pf_function keyed = {.name = m->name, .nArg = 2 + extra, .flags = PF_PURE,
                         .user_data = (void *)m, .xStep = extra ? keyed_step_extra : keyed_step,
                         .xFinal = keyed_final,
                         .xValue = keyed_value, .xInverse = keyed_inverse};
    if (m->of_sums) {
      unkeyed.xStep = pf_sums_step;
      unkeyed.xFinal = unkeyed.xValue = pf_sums_value;
      unkeyed.xInverse = pf_sums_inverse;
    } else {
      unkeyed.xStep = extra ? values_step_extra : values_step;
      unkeyed.xFinal = values_final;
      unkeyed.xValue = values_value;
      unkeyed.xInverse = values_inverse;
    }
    forms[0] = unkeyed;
    forms[1] = keyed;
    rc = pf_register(db, forms, PF_COUNT(forms), pzErrMsg);
  }
  return rc;
}
