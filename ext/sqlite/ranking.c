/*
** ranking.c: auc(score, outcome) and lift(score, outcome, fraction), aggregates that judge
** any score against what happened (the counting is in ext/core/core_ranking.c).
**
**   1. score: a finite number (INTEGER, REAL or numeric TEXT, as amounts are read);
**      outcome: 0 or 1 (INTEGER, integral REAL or numeric TEXT). A NULL or '' score or
**      outcome skips the row; any other value is an error naming the function, the
**      argument and the value.
**   2. lift's fraction: a number with 0 < fraction <= 1, the same on every row (it is
**      checked on every row, skipped ones included); otherwise an error.
**   3. No rows, or no row of one of the outcomes: NULL.
**   4. Exact and independent of row order: the core counts ties in integers from sorted
**      scores (AUC: ties one half; lift: the group at the cut in proportion).
**   5. Memory: 8 bytes a row, through pf_realloc (sqlite3_realloc64); freed in xFinal,
**      also after an error. Out of memory is SQLITE_NOMEM.
*/
#include "portfolio_sqlite.h"
SQLITE_EXTENSION_INIT3

typedef struct ranking_state {
  pf_ranking rows;
  int has_fraction;
  double fraction;
} ranking_state;

/* Reads score and outcome: 1 to add the row, 0 to skip it, -1 after an error. */
static int read_row(sqlite3_context *ctx, const char *fn, sqlite3_value **argv, double *score,
                    int *outcome) {
  pf_num s, o;
  int rs = pf_amount_read(ctx, fn, "score", argv[0], &s), ro;
  if (rs < 0) return -1;
  ro = pf_amount_parse(argv[1], &o);
  if (ro < 0 || (ro > 0 && o.d != 0 && o.d != 1)) {
    pf_error_bad_value(ctx, fn, "outcome", "0 or 1", argv[1]);
    return -1;
  }
  if (rs == 0 || ro == 0) return 0;
  *score = s.d;
  *outcome = o.d == 1;
  return 1;
}

static void add_row(sqlite3_context *ctx, ranking_state *st, const char *fn,
                    sqlite3_value **argv) {
  double score;
  int outcome, rc = read_row(ctx, fn, argv, &score, &outcome);
  if (rc > 0 && pf_ranking_add(&st->rows, score, outcome) != PF_OK)
    sqlite3_result_error_nomem(ctx);
}

static void auc_step(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  ranking_state *st = sqlite3_aggregate_context(ctx, sizeof(*st));
  (void)argc;
  if (st == 0) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  add_row(ctx, st, "auc", argv);
}

/* fraction: 0 < f <= 1 and the same as on the first row. 1, or 0 after an error. */
static int check_fraction(sqlite3_context *ctx, ranking_state *st, sqlite3_value *v) {
  pf_num f;
  int rc = pf_amount_parse(v, &f);
  if (rc <= 0 || !(f.d > 0 && f.d <= 1)) {
    pf_error_bad_value(ctx, "lift", "fraction", "a number > 0 and <= 1", v);
    return 0;
  }
  if (!st->has_fraction) {
    st->has_fraction = 1;
    st->fraction = f.d;
  } else if (f.d != st->fraction) {
    pf_result_errorf(ctx, "lift: fraction must be the same on every row, got %!.15g then %!.15g",
                     st->fraction, f.d);
    return 0;
  }
  return 1;
}

static void lift_step(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  ranking_state *st = sqlite3_aggregate_context(ctx, sizeof(*st));
  (void)argc;
  if (st == 0) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  if (check_fraction(ctx, st, argv[2])) add_row(ctx, st, "lift", argv);
}

static void ranking_final(sqlite3_context *ctx, int is_lift) {
  ranking_state *st = sqlite3_aggregate_context(ctx, 0);
  double result = 0;
  int defined = 0, rc;
  if (st == 0) return; /* no rows: NULL */
  rc = is_lift ? pf_ranking_lift(&st->rows, st->fraction, &result, &defined)
               : pf_ranking_auc(&st->rows, &result, &defined);
  if (rc != PF_OK) sqlite3_result_error_nomem(ctx);
  else if (defined) sqlite3_result_double(ctx, result);
  pf_ranking_free(&st->rows);
}

static void auc_final(sqlite3_context *ctx) { ranking_final(ctx, 0); }
static void lift_final(sqlite3_context *ctx) { ranking_final(ctx, 1); }

static const pf_function ranking_functions[] = {
    {.name = "auc", .nArg = 2, .flags = PF_PURE, .xStep = auc_step, .xFinal = auc_final},
    {.name = "lift", .nArg = 3, .flags = PF_PURE, .xStep = lift_step, .xFinal = lift_final},
};

int pf_init_ranking(sqlite3 *db, char **pzErrMsg) {
  return pf_register(db, ranking_functions, PF_COUNT(ranking_functions), pzErrMsg);
}
