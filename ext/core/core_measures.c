/*
** core_measures.c: the concentration measures over a list of positive customer totals.
**
**   1. HHI = 10000 * sum(x^2) / (sum x)^2: the sum of squared percentage shares.
**   2. Top-n share: the n largest are picked with a size-n min-heap (O(count log n)),
**      never a full sort; fewer than n customers give 1.0.
**   3. Gini (population form): with x sorted ascending (pf_sort_positive) and i = 1..n,
**      G = sum((2i - n - 1) * x_i) / (n * sum x). One customer gives 0.
** Every sum is compensated, so the order the customers arrive in does not matter.
*/
#include "portfolio_core.h"
SQLITE_EXTENSION_INIT3

#include <math.h>
#include <stdlib.h>
#include <string.h>

int pf_values_push(pf_values *a, double x) {
  if (a->n == a->cap) {
    sqlite3_int64 cap = a->cap ? a->cap * 2 : 256;
    double *v = sqlite3_realloc64(a->v, (sqlite3_uint64)cap * sizeof(double));
    if (v == 0) return SQLITE_NOMEM;
    a->v = v;
    a->cap = cap;
  }
  a->v[a->n++] = x;
  return SQLITE_OK;
}

void pf_values_remove(pf_values *a, double x) {
  sqlite3_int64 i;
  for (i = a->n - 1; i >= 0; i--) {
    if (a->v[i] == x) {
      a->v[i] = a->v[--a->n];
      return;
    }
  }
}

void pf_values_free(pf_values *a) {
  sqlite3_free(a->v);
  memset(a, 0, sizeof(*a));
}

int pf_values_from_table(pf_values *out, pf_table *t) {
  sqlite3_uint64 i;
  out->n = 0;
  if (pf_table_flush(t) != SQLITE_OK) return SQLITE_NOMEM;
  for (i = 0; i < t->cap; i++) {
    pf_num total;
    if (PF_TABLE_ENTRY(t, i) == 0) continue;
    pf_entry_total(&t->slots[i], &total);
    if (!isfinite(total.d)) return SQLITE_RANGE;
    if (total.d > 0 && pf_values_push(out, total.d) != SQLITE_OK) return SQLITE_NOMEM;
  }
  return SQLITE_OK;
}

int pf_values_from_table_for(sqlite3_context *ctx, const char *fn, pf_values *out,
                             pf_table *t) {
  int rc = pf_values_from_table(out, t);
  if (rc == SQLITE_RANGE)
    pf_result_errorf(ctx, "%s: " PF_TOTAL_RANGE, fn);
  else if (rc != SQLITE_OK)
    sqlite3_result_error_nomem(ctx);
  return rc == SQLITE_OK;
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
static double max_of(const double *v, sqlite3_int64 count) {
  double m = 0;
  sqlite3_int64 i;
  for (i = 0; i < count; i++)
    if (v[i] > m) m = v[i];
  return m;
}

double pf_hhi(const pf_acc *sum, const pf_acc *sumsq) {
  double s = pf_acc_value(sum);
  return 10000.0 * (pf_acc_value(sumsq) / s) / s;
}

static void heap_sift_down(double *h, sqlite3_int64 n, sqlite3_int64 i) {
  for (;;) {
    sqlite3_int64 l = 2 * i + 1, m = i;
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

int pf_top_share(const double *v, sqlite3_int64 count, sqlite3_int64 n, double *share) {
  pf_acc total = {0, 0, 0, 0}, top = {0, 0, 0, 0};
  double *heap, f;
  sqlite3_int64 i, k;
  if (count <= n) {
    *share = 1.0;
    return SQLITE_OK;
  }
  f = pf_scale_for(max_of(v, count)); /* 1e300 + 1e300 must not be infinite */
  heap = sqlite3_malloc64((sqlite3_uint64)n * sizeof(double));
  if (heap == 0) return SQLITE_NOMEM;
  for (i = 0; i < n; i++) heap[i] = v[i];
  for (i = n / 2 - 1; i >= 0; i--) heap_sift_down(heap, n, i);
  for (i = 0; i < count; i++) {
    pf_acc_add_double(&total, v[i] * f);
    if (i >= n && v[i] > heap[0]) {
      heap[0] = v[i];
      heap_sift_down(heap, n, 0);
    }
  }
  for (k = 0; k < n; k++) pf_acc_add_double(&top, heap[k] * f);
  sqlite3_free(heap);
  *share = pf_acc_value(&top) / pf_acc_value(&total);
  if (*share > 1.0) *share = 1.0;
  return SQLITE_OK;
}

double pf_gini(double *v, sqlite3_int64 count) {
  pf_acc weighted = {0, 0, 0, 0}, total = {0, 0, 0, 0};
  sqlite3_int64 i;
  double f;
  pf_sort_positive(v, count); /* radix sort: the same order as qsort, in linear time */
  f = pf_scale_for(v[count - 1]); /* sorted: the last is the largest */
  for (i = 0; i < count; i++) {
    pf_acc_add_double(&weighted, (double)(2 * (i + 1) - count - 1) * (v[i] * f));
    pf_acc_add_double(&total, v[i] * f);
  }
  return pf_acc_value(&weighted) / ((double)count * pf_acc_value(&total));
}
