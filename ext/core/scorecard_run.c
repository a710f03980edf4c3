/*
** scorecard_run.c: pf_fit_run, the steps of learning a scorecard in order.
**
**   1. Count the rows of every distinct value, bin every factor (scorecard_bins.c), fit
**      (scorecard_solve.c), write the model (scorecard_json.c).
**   2. monotone: the direction of a factor is the one its bins' outcome rates favour, the
**      sign of the row-weighted covariance between bin order and outcome (rising when it
**      is 0), taken once from the bins before any pooling for monotony. After each fit,
**      in every monotone factor the first pair of adjacent range bins whose points go the
**      other way is merged; then the model is fitted again, until no pair is left. Each
**      round removes a bin, so this ends; the missing bin is not part of the order.
**   3. A monotone factor that is categorical is an error (it has no order).
*/
#include "scorecard_internal.h"

/* Range bins come first in a numeric factor; the missing bin, if any, is last. */
static int range_bins(const fit_factor *f) { return f->missing_bin >= 0 ? f->nbins - 1 : f->nbins; }

static int favours_rising(const fit_factor *f) {
  /* The sign of n * sum(outcomes * b) - y * sum(rows * b), in exact 128-bit products; the
     sums fit 64 bits (rows * bin index stays far below 2^63 for any table SQLite can hold). */
  int64_t n = 0, y = 0, ni = 0, yi = 0;
  int b;
  for (b = 0; b < range_bins(f); b++) {
    n += (int64_t)f->bins[b].rows;
    y += (int64_t)f->bins[b].outcomes;
    ni += (int64_t)f->bins[b].rows * b;
    yi += (int64_t)f->bins[b].outcomes * b;
  }
  return pf_i128_cmp(pf_i128_mul_i64(n, yi), pf_i128_mul_i64(y, ni)) >= 0;
}

/* Merges the first pair that breaks the factor's order; 1 when one was merged. */
static int pool_against_order(fit_factor *f) {
  int b;
  for (b = 0; b + 1 < range_bins(f); b++) {
    double now = f->bins[b].points, next = f->bins[b + 1].points;
    if (f->rising ? next < now : next > now) {
      fit_merge_bins(f, b);
      return 1;
    }
  }
  return 0;
}

int pf_fit_run(pf_fit *fit, const pf_fit_options *o, char **json, int *factor) {
  fit_result r;
  int i, rc, merged;
  *json = 0;
  for (i = 0; i < fit->nf; i++) {
    if (fit->f[i].monotone && fit->f[i].categorical) {
      *factor = i;
      return PF_FIT_MONOTONE_CATEGORICAL;
    }
  }
  fit_count_levels(fit);
  rc = fit_make_bins(fit, o);
  if (rc == PF_FIT_TOO_MANY_BINS) {
    *factor = 0;
    for (i = 0; i < fit->nf; i++) *factor += fit->f[i].nbins;
  }
  if (rc != PF_OK) return rc;
  for (i = 0; i < fit->nf; i++)
    if (fit->f[i].monotone) fit->f[i].rising = favours_rising(&fit->f[i]);
  do {
    rc = fit_solve(fit, o, &r);
    if (rc != PF_OK) return rc;
    merged = 0;
    for (i = 0; i < fit->nf; i++)
      if (fit->f[i].monotone && pool_against_order(&fit->f[i])) merged = 1;
  } while (merged);
  return fit_write_json(fit, o, &r, json);
}
