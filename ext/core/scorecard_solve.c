/*
** scorecard_solve.c: the penalised logistic regression on the bins, by Newton's method.
**
**   1. Coefficients: an intercept (index 0, not penalised) and one per bin of every
**      informative factor. With l2 = 0 the one-hot design is collinear with the intercept,
**      so the first bin of each factor is then the reference (coefficient 0); the centred
**      points (rule 5) are the same whichever bin is the reference.
**   2. Minimised: sum over rows of log(1 + exp(eta)) - y * eta, plus l2/2 times the sum
**      of squared bin coefficients, summed over the bin patterns (scorecard_patterns.c) in
**      their sorted order. Loss and gradient use compensated sums (they fix the solution);
**      the Hessian only steers the step and is summed plainly.
**   3. Each step solves H d = g by Cholesky (H is positive definite with l2 > 0; with l2 = 0
**      a zero pivot means factors that duplicate each other: PF_FIT_SINGULAR). The full
**      step is taken when the loss still falls at its end (the loss is convex, so it is then
**      lower than at the start: no loss needs computing); otherwise the step is halved until
**      the loss does not rise. The fit has converged when a step moves no coefficient by
**      more than 1e-10 (a full step that small is taken without a pass over the patterns:
**      it is the last); after PF_FIT_MAX_ITERATIONS steps it has not (l2 = 0 with bins that
**      separate the outcomes: PF_FIT_NO_CONVERGENCE). Near the solution the Hessian's
**      factor is kept and the steps need the gradient alone (chord steps: iterate).
**   4. It starts from the intercept at the log-odds of the outcome rate, all bins at 0.
**   5. Points: a factor's coefficients minus their row-weighted mean, which moves into the
**      intercept, so predictions are unchanged and an average account has 0 points.
**   6. Training AUC over the patterns ordered by their log-odds, equal ones tied (counted
**      one half), in exact integers; the log-loss is the mean over the rows.
*/
#include "scorecard_patterns.h"

#include <math.h>
#include <string.h>

typedef struct solver {
  const pf_fit *fit;
  const fit_patterns *p;
  int32_t *params; /* np x ni: the coefficient of each pattern's bins, -1 for none */
  int P;           /* coefficients */
  double l2;
  double *beta, *trial, *step, *grad, *hess;
  fit_sum *gsum;
} solver;

static double softplus(double eta) { return eta > 0 ? eta + log1p(exp(-eta)) : log1p(exp(eta)); }

static double pattern_eta(const solver *s, const double *beta, uint32_t k) {
  const int32_t *a = s->params + (uint64_t)k * (uint64_t)s->p->ni;
  double eta = beta[0];
  int i, ni = s->p->ni;
  if (s->l2 > 0) /* every bin has a coefficient (add_derivs) */
    for (i = 0; i < ni; i++) eta += beta[a[i]];
  else
    for (i = 0; i < ni; i++)
      if (a[i] >= 0) eta += beta[a[i]];
  return eta;
}

static double penalty(const solver *s, const double *beta) {
  fit_sum sum = {0, 0};
  int j;
  for (j = 1; j < s->P; j++) fit_sum_add(&sum, beta[j] * beta[j]);
  return 0.5 * s->l2 * fit_sum_value(&sum);
}

/* Adds pattern k's weight w and residual r to the gradient and (the upper triangle of) the
** Hessian. One-hot bins: the pattern has one bin per informative factor, so a factor's own
** block is diagonal, and the intercept's row equals the diagonal (both sum w over the
** patterns in each bin): only the diagonal and the pairs of different factors are summed
** here, the intercept's row is copied from the diagonal afterwards (fill_derivs). The same
** numbers are added in the same order as summing every pair, so the sums are the same. */
static void add_derivs(solver *s, const int32_t *a, double w, double r) {
  int32_t copy[PF_FIT_MAX_FACTORS];
  const int32_t *active = a; /* with l2 > 0 every bin has a coefficient: a as it is */
  int i, j, m = s->p->ni;
  size_t P = (size_t)s->P;
  if (!(s->l2 > 0)) { /* the reference bins (-1) left out */
    active = copy;
    for (i = j = 0; i < m; i++)
      if (a[i] >= 0) copy[j++] = a[i];
    m = j;
  }
  fit_sum_add(&s->gsum[0], r);
  s->hess[0] += w;
  for (i = 0; i < m; i++) {
    double *row = s->hess + (size_t)active[i] * P;
    fit_sum_add(&s->gsum[active[i]], r);
    row[active[i]] += w;
    for (j = i + 1; j < m; j++) row[active[j]] += w;
  }
}

/* The gradient and Hessian from the sums of add_derivs, with the penalty. */
static void fill_derivs(solver *s, const double *beta) {
  int j, P = s->P;
  s->grad[0] = fit_sum_value(&s->gsum[0]);
  for (j = 1; j < P; j++) {
    double *diag = &s->hess[(size_t)j * (size_t)P + (size_t)j];
    s->hess[j] = *diag; /* the intercept's row (add_derivs) */
    s->grad[j] = fit_sum_value(&s->gsum[j]) + s->l2 * beta[j];
    *diag += s->l2;
  }
}

/* The gradient alone (the Hessian's Cholesky factor is kept from an earlier step). */
static void add_gradient(solver *s, const int32_t *a, double r) {
  int i, ni = s->p->ni;
  fit_sum_add(&s->gsum[0], r);
  if (s->l2 > 0) /* every bin has a coefficient (add_derivs) */
    for (i = 0; i < ni; i++) fit_sum_add(&s->gsum[a[i]], r);
  else
    for (i = 0; i < ni; i++)
      if (a[i] >= 0) fit_sum_add(&s->gsum[a[i]], r);
}

/* The loss at beta (one exp and one log1p per pattern: what FIT_LOSS), or the gradient and
** the Hessian (FIT_DERIVS), or the gradient alone (FIT_GRADIENT), one exp per pattern, in
** one pass over the patterns; returns the loss, or 0 for derivatives. */
enum { FIT_LOSS, FIT_DERIVS, FIT_GRADIENT };
static double evaluate(solver *s, const double *beta, int what) {
  fit_sum loss = {0, 0};
  uint32_t k;
  int P = s->P, ni = s->p->ni, j, flat = 1;
  double flat_e = exp(-fabs(beta[0]));
  /* at the start only the intercept is set: every pattern's eta is beta[0] (adding zeros
  ** changes no bit), and so is its exp, computed once */
  for (j = 1; j < P; j++)
    if (beta[j] != 0) flat = 0;
  if (what != FIT_LOSS) memset(s->gsum, 0, sizeof(fit_sum) * (size_t)P);
  if (what == FIT_DERIVS) memset(s->hess, 0, sizeof(double) * (size_t)P * (size_t)P);
  for (k = 0; k < s->p->np; k++) {
    double eta = flat ? beta[0] : pattern_eta(s, beta, k), e = flat ? flat_e : exp(-fabs(eta));
    double n = (double)s->p->n[k], pos = (double)s->p->pos[k], mu;
    const int32_t *a = s->params + (uint64_t)k * (uint64_t)ni;
    if (what == FIT_LOSS) {
      fit_sum_add(&loss, n * ((eta > 0 ? eta : 0) + log1p(e)) - pos * eta);
      continue;
    }
    mu = eta >= 0 ? 1 / (1 + e) : e / (1 + e);
    if (what == FIT_DERIVS)
      add_derivs(s, a, n * mu * (1 - mu), n * mu - pos);
    else
      add_gradient(s, a, n * mu - pos);
  }
  if (what == FIT_LOSS) return fit_sum_value(&loss) + penalty(s, beta);
  if (what == FIT_DERIVS) {
    fill_derivs(s, beta);
    return 0;
  }
  s->grad[0] = fit_sum_value(&s->gsum[0]);
  for (j = 1; j < P; j++) s->grad[j] = fit_sum_value(&s->gsum[j]) + s->l2 * beta[j];
  return 0;
}

/* Cholesky factorisation of hess in place (its upper triangle). 0 when singular. */
static int factorise(solver *s) {
  int P = s->P, i, j, k;
  double *h = s->hess;
  for (j = 0; j < P; j++) {
    double d = h[(size_t)j * P + j], scale = d;
    for (k = 0; k < j; k++) d -= h[(size_t)k * P + j] * h[(size_t)k * P + j];
    if (!(d > 1e-12 * scale) || !(scale > 0)) return 0;
    d = sqrt(d);
    h[(size_t)j * P + j] = d;
    for (i = j + 1; i < P; i++) {
      double v = h[(size_t)j * P + i];
      for (k = 0; k < j; k++) v -= h[(size_t)k * P + j] * h[(size_t)k * P + i];
      h[(size_t)j * P + i] = v / d;
    }
  }
  return 1;
}

/* step = hess^-1 grad, with hess holding its Cholesky factor U (hess = U^T U). */
static void solve_step(solver *s) {
  int P = s->P, i, k;
  const double *h = s->hess;
  double *x = s->step;
  for (i = 0; i < P; i++) { /* U^T y = g */
    double v = s->grad[i];
    for (k = 0; k < i; k++) v -= h[(size_t)k * P + i] * x[k];
    x[i] = v / h[(size_t)i * P + i];
  }
  for (i = P - 1; i >= 0; i--) { /* U x = y */
    double v = x[i];
    for (k = i + 1; k < P; k++) v -= h[(size_t)i * P + k] * x[k];
    x[i] = v / h[(size_t)i * P + i];
  }
}

/* The largest change of a coefficient from beta to trial. */
static double max_move(const solver *s) {
  double moved = 0;
  int j;
  for (j = 0; j < s->P; j++) {
    double d = fabs(s->trial[j] - s->beta[j]);
    if (d > moved) moved = d;
  }
  return moved;
}

/* 1 when the loss still falls at the end of the full step from beta to trial, the
** derivatives being at trial: the loss is convex, so it is then lower at trial than at beta,
** and the step is accepted without computing either loss. */
static int falls_at_trial(const solver *s) {
  double slope = 0; /* of the loss along the step, at its end: -grad(trial) . step */
  int j;
  for (j = 0; j < s->P; j++) slope -= s->grad[j] * s->step[j];
  return slope <= 0;
}

/* Rule 3, the step from beta to trial (derivatives at trial) when falls_at_trial cannot tell:
** halved until the loss does not rise. *loss (at beta) is computed when not yet known (NaN).
** Returns the fraction of the step taken. */
static double line_search(solver *s, double *loss) {
  double t = 1, trial_loss;
  int j;
  if (isnan(*loss)) *loss = evaluate(s, s->beta, FIT_LOSS);
  trial_loss = evaluate(s, s->trial, FIT_LOSS);
  while (!(trial_loss <= *loss + 1e-12 * fabs(*loss)) && t >= 1e-9) {
    t *= 0.5;
    for (j = 0; j < s->P; j++) s->trial[j] = s->beta[j] - t * s->step[j];
    trial_loss = evaluate(s, s->trial, FIT_LOSS);
  }
  *loss = trial_loss;
  return t;
}

/* Rule 3: Newton steps until converged. The full step's point is evaluated with its
** derivatives, which serve the next step when it is accepted (nearly always), so a step
** costs one pass over the patterns; the loss only when the slope cannot accept the step.
** Once a step from a fresh Hessian moves no coefficient by more than FIT_FREEZE, the
** Hessian hardly changes any more: its Cholesky factor is kept and the next passes compute
** the gradient alone (a chord step: about a third of a full pass), each step shrinking by
** a factor of about the distance moved. A step that shrinks by less than FIT_CONTRACT, or
** needs shortening, gets a fresh Hessian. Converged, as before, when a step moves nothing
** by more than 1e-10: the chord steps there shrink by 1e-3 or more, so the distance left
** is far below that. */
#define FIT_FREEZE 1e-3
#define FIT_CONTRACT 0.1
static int iterate(solver *s, int *iterations) {
  double loss = NAN, last = INFINITY; /* at beta, when known; the last step's move */
  int it, j, frozen = 0; /* hess holds the Cholesky factor of an earlier point's Hessian */
  evaluate(s, s->beta, FIT_DERIVS);
  for (it = 1; it <= PF_FIT_MAX_ITERATIONS; it++) {
    double t = 1, moved, *swap;
    /* Singular at the start: factors that duplicate each other. Later: the weights of
    ** separating bins have vanished on the way to infinite coefficients. */
    if (!frozen && !factorise(s)) return it == 1 ? PF_FIT_SINGULAR : PF_FIT_NO_CONVERGENCE;
    solve_step(s);
    for (j = 0; j < s->P; j++) s->trial[j] = s->beta[j] - s->step[j];
    moved = max_move(s);
    if (moved <= 1e-10) { /* converged: this last step needs no pass to judge it */
      memcpy(s->beta, s->trial, sizeof(double) * (size_t)s->P);
      *iterations = it;
      return PF_OK;
    }
    /* keep this Hessian for the next steps, or not (a chord step that shrank too little) */
    frozen = frozen ? moved <= FIT_CONTRACT * last : moved <= FIT_FREEZE;
    evaluate(s, s->trial, frozen ? FIT_GRADIENT : FIT_DERIVS); /* for the next step */
    if (falls_at_trial(s))
      loss = NAN;
    else
      t = line_search(s, &loss);
    moved = max_move(s);
    swap = s->beta;
    s->beta = s->trial;
    s->trial = swap;
    if (moved <= 1e-10) {
      *iterations = it;
      return PF_OK;
    }
    if (t < 1) { /* a shortened step: derivatives afresh at it */
      frozen = 0;
      evaluate(s, s->beta, FIT_DERIVS);
    }
    last = moved;
  }
  return PF_FIT_NO_CONVERGENCE;
}

/* Rule 1: coefficient indexes of the bins and of each pattern. */
static int number_params(solver *s, const pf_fit_options *o) {
  pf_fit *fit = (pf_fit *)s->fit;
  const fit_patterns *p = s->p;
  uint32_t k;
  int i, b, P = 1;
  for (i = 0; i < fit->nf; i++)
    for (b = 0; b < fit->f[i].nbins; b++)
      fit->f[i].bins[b].param = fit->f[i].nbins >= 2 && (o->l2 > 0 || b > 0) ? P++ : -1;
  s->P = P;
  s->params = pf_malloc(sizeof(int32_t) * ((uint64_t)p->np * (uint64_t)p->ni + 1));
  if (s->params == 0) return PF_NOMEM;
  for (k = 0; k < p->np; k++)
    for (i = 0; i < p->ni; i++)
      s->params[(uint64_t)k * (uint64_t)p->ni + (uint64_t)i] =
          fit->f[p->inf[i]].bins[p->keys[(uint64_t)k * (uint64_t)p->ni + (uint64_t)i]].param;
  return PF_OK;
}

/* Rule 5. */
static double centre_points(pf_fit *fit, const double *beta) {
  fit_sum intercept = {0, 0};
  int i, b;
  fit_sum_add(&intercept, beta[0]);
  for (i = 0; i < fit->nf; i++) {
    fit_factor *f = &fit->f[i];
    fit_sum mean = {0, 0};
    double m;
    for (b = 0; b < f->nbins; b++) {
      f->bins[b].coef = f->bins[b].param >= 0 ? beta[f->bins[b].param] : 0;
      fit_sum_add(&mean, (double)f->bins[b].rows * f->bins[b].coef);
    }
    m = f->nbins >= 2 ? fit_sum_value(&mean) / (double)fit->nrows : 0;
    for (b = 0; b < f->nbins; b++) f->bins[b].points = f->nbins >= 2 ? f->bins[b].coef - m : 0;
    fit_sum_add(&intercept, m);
  }
  return fit_sum_value(&intercept);
}

/* Rule 6, with the centred points in the bins. */
static int training_measures(const pf_fit *fit, const fit_patterns *p, fit_result *r) {
  double *eta = pf_malloc(sizeof(double) * ((uint64_t)p->np + 1));
  uint64_t *key = pf_malloc(sizeof(uint64_t) * ((uint64_t)p->np + 1));
  uint32_t *order = pf_malloc(sizeof(uint32_t) * ((uint64_t)p->np + 1)), k, g;
  fit_sum loss = {0, 0};
  pf_i128 u2 = pf_i128_from_i64(0);
  int64_t neg_below = 0;
  int overflow = 0;
  int rc = PF_NOMEM, i;
  if (eta && order && key) {
    for (k = 0; k < p->np; k++) {
      eta[k] = r->intercept;
      for (i = 0; i < p->ni; i++)
        eta[k] += fit->f[p->inf[i]].bins[p->keys[(uint64_t)k * (uint64_t)p->ni + (uint64_t)i]].points;
      fit_sum_add(&loss, (double)p->n[k] * softplus(eta[k]) - (double)p->pos[k] * eta[k]);
      order[k] = k;
      key[k] = fit_radix_double_key(eta[k]);
    }
    rc = fit_radix_sort(key, order, p->np);
  }
  if (rc == PF_OK) {
    for (k = 0; k < p->np; k = g) {
      int64_t pos = 0, neg = 0;
      for (g = k; g < p->np && eta[order[g]] == eta[order[k]]; g++) {
        pos += p->pos[order[g]];
        neg += p->n[order[g]] - p->pos[order[g]];
      }
      u2 = pf_i128_add(u2, pf_i128_mul_i64(pos, 2 * neg_below + neg), &overflow);
      neg_below += neg;
    }
    r->auc = pf_i128_to_double(u2) / (2.0 * (double)fit->count[1] * (double)fit->count[0]);
    r->log_loss = fit_sum_value(&loss) / (double)fit->nrows;
  }
  pf_free(eta);
  pf_free(key);
  pf_free(order);
  return rc;
}

static int alloc_solver(solver *s) {
  uint64_t P = (uint64_t)s->P;
  s->beta = pf_malloc(sizeof(double) * P);
  s->trial = pf_malloc(sizeof(double) * P);
  s->step = pf_malloc(sizeof(double) * P);
  s->grad = pf_malloc(sizeof(double) * P);
  s->hess = pf_malloc(sizeof(double) * P * P);
  s->gsum = pf_malloc(sizeof(fit_sum) * P);
  return s->beta && s->trial && s->step && s->grad && s->hess && s->gsum ? PF_OK : PF_NOMEM;
}

int fit_solve(pf_fit *fit, const pf_fit_options *o, fit_result *r) {
  fit_patterns p;
  solver s;
  int rc;
  memset(&s, 0, sizeof(s));
  s.fit = fit;
  s.p = &p;
  s.l2 = o->l2;
  rc = fit_patterns_make(fit, &p);
  if (rc == PF_OK) rc = number_params(&s, o);
  if (rc == PF_OK) rc = alloc_solver(&s);
  if (rc == PF_OK) {
    memset(s.beta, 0, sizeof(double) * (size_t)s.P);
    s.beta[0] = log((double)fit->count[1] / (double)fit->count[0]);
    rc = iterate(&s, &r->iterations);
  }
  if (rc == PF_OK) {
    r->intercept = centre_points(fit, s.beta);
    rc = training_measures(fit, &p, r);
  }
  fit_patterns_free(&p);
  pf_free(s.params);
  pf_free(s.beta);
  pf_free(s.trial);
  pf_free(s.step);
  pf_free(s.grad);
  pf_free(s.hess);
  pf_free(s.gsum);
  return rc;
}
