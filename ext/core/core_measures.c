/*
** core_measures.c: the concentration measures over a list of positive customer totals.
**
**   1. HHI = 10000 * sum(x^2) / (sum x)^2: the sum of squared percentage shares.
**   2. Top-n share: the n largest are picked with a size-n min-heap (O(count log n)),
**      never a full sort; fewer than n customers give 1.0.
**   3. Gini (population form): with x sorted ascending (pf_sort_positive) and i = 1..n,
**      G = sum((2i - n - 1) * x_i) / (n * sum x). One customer gives 0.
** Every sum is exact (pf_xacc) and rounded once, so the order the customers arrive in
** does not change a bit of the result.
*/
#include "portfolio_core.h"
#include "pf_host.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int pf_values_push(pf_values *a, double x) {
  if (a->n == a->cap) {
    int64_t cap = a->cap ? a->cap * 2 : 256;
    double *v = pf_realloc(a->v, (uint64_t)cap * sizeof(double));
    if (v == 0) return PF_NOMEM;
    a->v = v;
    a->cap = cap;
  }
  a->v[a->n++] = x;
  return PF_OK;
}

void pf_values_remove(pf_values *a, double x) {
  int64_t i;
  for (i = a->n - 1; i >= 0; i--) {
    if (a->v[i] == x) {
      a->v[i] = a->v[--a->n];
      return;
    }
  }
}

void pf_values_free(pf_values *a) {
  pf_free(a->v);
  memset(a, 0, sizeof(*a));
}

int pf_values_from_table(pf_values *out, pf_table *t) {
  const pf_entry *e;
  uint64_t pos = 0;
  out->n = 0;
  if (pf_table_flush(t) != PF_OK) return PF_NOMEM;
  while ((e = pf_table_next(t, &pos)) != 0) {
    pf_num total;
    pf_entry_total(e, &total);
    if (!isfinite(total.d)) return PF_RANGE;
    if (total.d > 0 && pf_values_push(out, total.d) != PF_OK) return PF_NOMEM;
  }
  return PF_OK;
}

int pf_table_sqsums(pf_table *t, pf_sqsums *out) {
  const pf_entry *e;
  uint64_t pos = 0;
  pf_sqsums_clear(out);
  if (pf_table_flush(t) != PF_OK) return PF_NOMEM;
  while ((e = pf_table_next(t, &pos)) != 0) {
    pf_num total;
    pf_entry_total(e, &total);
    if (!isfinite(total.d)) return PF_RANGE;
    if (total.d > 0) pf_sqsums_add(out, &total, 1);
  }
  return PF_OK;
}

int pf_table_hhi(pf_table *t, double *hhi, int64_t *customers) {
  pf_sqsums sums;
  int rc = pf_table_sqsums(t, &sums);
  *customers = rc == PF_OK ? sums.count : 0;
  if (*customers > 0) *hhi = pf_sqsums_of(&sums, pf_hhi_of_sums);
  return rc;
}

int pf_scale_exponent(double x) {
  int e;
  if (!(x > 0) || !isfinite(x)) return 0;
  frexp(x, &e);
  if (e >= -400 && e <= 400) return 0;
  /* Subnormal x has e down to -1073, and 2^1073 is not a double: within +-1020 the factor
  ** stays finite and x * 2^-e is still at least 2^-54. */
  return e < -1020 ? -1020 : e > 1020 ? 1020 : e;
}

double pf_scale_for(double maxabs) { return ldexp(1.0, -pf_scale_exponent(maxabs)); }

/* Largest of v[0..count): the scale of a list of positive totals. */
static double max_of(const double *v, int64_t count) {
  double m = 0;
  int64_t i;
  for (i = 0; i < count; i++)
    if (v[i] > m) m = v[i];
  return m;
}

double pf_hhi_of_sums(double sum, double sumsq) {
  /* Exactly, sumsq <= sum^2 for positive totals: only rounding can pass 10000. */
  return fmin(10000.0, 10000.0 * (sumsq / sum) / sum);
}

double pf_hhi(const pf_acc *sum, const pf_acc *sumsq) {
  return pf_hhi_of_sums(pf_acc_value(sum), pf_acc_value(sumsq));
}

double pf_hhi_exact(const pf_xacc *sum, const pf_xacc *sumsq) {
  return pf_hhi_of_sums(pf_xacc_value(sum), pf_xacc_value(sumsq));
}

static const pf_num *total_at(const pf_num *totals, size_t stride, int64_t i) {
  return (const pf_num *)((const char *)totals + (size_t)i * stride);
}

void pf_share_scaled(const pf_share_sums *s, const pf_num *total, pf_num *out) {
  *out = *total;
  if (s->scale != 1.0) {
    out->is_int = 0;
    out->d = total->d * s->scale;
  }
}

void pf_share_sums_init(pf_share_sums *s, const pf_num *totals, size_t stride, int64_t count) {
  pf_xacc sum, sumsq;
  double largest = 0;
  int64_t i;
  pf_num x;
  for (i = 0; i < count; i++)
    if (total_at(totals, stride, i)->d > largest) largest = total_at(totals, stride, i)->d;
  s->scale = pf_scale_for(largest);
  pf_xacc_clear(&sum);
  pf_xacc_clear(&sumsq);
  for (i = 0; i < count; i++) {
    pf_share_scaled(s, total_at(totals, stride, i), &x);
    pf_xacc_add_num(&sum, &x, 1);
    pf_xacc_add_square(&sumsq, &x, 1);
  }
  pf_xacc_split(&sum, &s->total, &s->sum_lo);
  pf_xacc_split(&sumsq, &s->sumsq_hi, &s->sumsq_lo);
}

/* The HHI of the totals other than totals[skip], summed again exactly at their own scale
** (the largest of them sets it). */
static double hhi_of_others(const pf_num *totals, size_t stride, int64_t count, int64_t skip) {
  pf_xacc sum, sumsq;
  double scale = pf_scale_for(total_at(totals, stride, skip == 0 ? 1 : 0)->d);
  int64_t i;
  pf_xacc_clear(&sum);
  pf_xacc_clear(&sumsq);
  for (i = 0; i < count; i++) {
    pf_num x = *total_at(totals, stride, i);
    if (i == skip) continue;
    if (scale != 1.0) {
      x.is_int = 0;
      x.d *= scale;
    }
    pf_xacc_add_num(&sum, &x, 1);
    pf_xacc_add_square(&sumsq, &x, 1);
  }
  return pf_hhi_exact(&sum, &sumsq);
}

/* Two ways, by how much of the sum of squares totals[i] holds:
**   1. Usually at most half: then the others hold at least half of it and 29 % of the sum,
**      and its share comes off the exact sums, held as two doubles each (to 2^-106), with
**      no cancellation to speak of. O(1) a row, and the same bits in every row order.
**   2. More (at most one total can): the others may be a rounding error of the sums (1e31
**      beside 1e17), or even vanish at its scale (1e200 beside 1e30, 1e300 beside
**      1e-300), so they are summed again, exactly, at the scale of the largest of them. */
double pf_hhi_without(const pf_share_sums *s, const pf_num *totals, size_t stride,
                      int64_t count, int64_t i) {
  pf_num x;
  double sq, err, rest, rest_sq;
  pf_share_scaled(s, total_at(totals, stride, i), &x);
  sq = x.d * x.d;
  if (sq > 0.5 * s->sumsq_hi) return hhi_of_others(totals, stride, count, i);
  err = fma(x.d, x.d, -sq); /* x^2 = sq + err exactly */
  rest = (s->total - x.d) + s->sum_lo;
  rest_sq = ((s->sumsq_hi - sq) - err) + s->sumsq_lo;
  return fmin(10000.0, 10000.0 * (rest_sq / rest) / rest);
}

static void heap_sift_down(double *h, int64_t n, int64_t i) {
  for (;;) {
    int64_t l = 2 * i + 1, m = i;
    double t;
    if (l < n && h[l] < h[m]) m = l;
    if (l + 1 < n && h[l + 1] < h[m]) m = l + 1;
    if (m == i) return;
    t = h[i];
    h[i] = h[m];
    h[m] = t;
    i = m;
  }
}

int pf_top_share(const double *v, int64_t count, int64_t n, double *share) {
  pf_xacc total, top;
  double *heap, f;
  int64_t i, k;
  if (count <= n) {
    *share = 1.0;
    return PF_OK;
  }
  f = pf_scale_for(max_of(v, count)); /* 1e300 + 1e300 must not be infinite */
  heap = pf_malloc((uint64_t)n * sizeof(double));
  if (heap == 0) return PF_NOMEM;
  for (i = 0; i < n; i++) heap[i] = v[i];
  for (i = n / 2 - 1; i >= 0; i--) heap_sift_down(heap, n, i);
  pf_xacc_clear(&total);
  pf_xacc_clear(&top);
  for (i = 0; i < count; i++) {
    pf_xacc_add_double(&total, v[i] * f);
    if (i >= n && v[i] > heap[0]) {
      heap[0] = v[i];
      heap_sift_down(heap, n, 0);
    }
  }
  for (k = 0; k < n; k++) pf_xacc_add_double(&top, heap[k] * f);
  pf_free(heap);
  *share = pf_xacc_value(&top) / pf_xacc_value(&total);
  if (*share > 1.0) *share = 1.0;
  return PF_OK;
}

/* The weighted sum runs over the sorted values, an order that does not depend on the order
** of the rows (equal values are interchangeable), so a compensated sum gives the same bits
** for every row order without the cost of an exact one. */
double pf_gini(double *v, int64_t count) {
  pf_acc weighted = PF_ACC_ZERO, total = PF_ACC_ZERO;
  int64_t i;
  double f;
  pf_sort_positive(v, count); /* radix sort: the same order as qsort, in linear time */
  f = pf_scale_for(v[count - 1]); /* sorted: the last is the largest */
  for (i = 0; i < count; i++) {
    pf_acc_add_double(&weighted, (double)(2 * (i + 1) - count - 1) * (v[i] * f));
    pf_acc_add_double(&total, v[i] * f);
  }
  return pf_acc_value(&weighted) / ((double)count * pf_acc_value(&total));
}
