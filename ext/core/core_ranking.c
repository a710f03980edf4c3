/*
** core_ranking.c: judging a score against 0/1 outcomes, for auc() and lift().
**
**   1. Scores are kept per outcome as 64-bit keys whose unsigned order is the order of the
**      doubles (sign bit flipped for positives, every bit for negatives; -0 read as 0), so
**      equal scores are equal keys and the two lists sort with a byte-wise radix sort.
**   2. AUC is counted exactly in integers: for each distinct score v held by p rows of
**      outcome 1, 2U += p * (2 * (rows of outcome 0 below v) + (rows of outcome 0 at v)),
**      so ties count one half. AUC = 2U / (2 n1 n0), one division at the end. Only sorted
**      counts enter, so the result does not depend on row order.
**   3. Lift takes the T = fraction x n rows (computed in double) with the highest scores:
**      whole groups of equal scores while they fit, then the group at the cut in proportion
**      (p positives of g rows add p x (T - taken) / g). lift = (positives taken / T) /
**      (n1 / n). Again only sorted counts enter.
**   4. No row of either outcome: *defined is 0 (the host's NULL).
*/
#include "portfolio_core.h"
#include "pf_host.h"

#include <stdlib.h>
#include <string.h>

static uint64_t order_key(double x) {
  uint64_t b;
  if (x == 0) x = 0; /* -0 and 0 are the same score */
  memcpy(&b, &x, 8);
  return (b >> 63) ? ~b : b | ((uint64_t)1 << 63);
}

int pf_ranking_add(pf_ranking *r, double score, int outcome) {
  pf_keys *k = &r->by_outcome[outcome != 0];
  if (k->n == k->cap) {
    int64_t cap = k->cap ? k->cap * 2 : 64;
    uint64_t *bigger = pf_realloc(k->v, (uint64_t)cap * sizeof(uint64_t));
    if (bigger == 0) return PF_NOMEM;
    k->v = bigger;
    k->cap = cap;
  }
  k->v[k->n++] = order_key(score);
  return PF_OK;
}

void pf_ranking_free(pf_ranking *r) {
  pf_free(r->by_outcome[0].v);
  pf_free(r->by_outcome[1].v);
  memset(r, 0, sizeof(*r));
}

static int compare_keys(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
  return x < y ? -1 : x > y;
}

/* LSD radix sort, one byte a pass, skipping bytes that are the same in every key. */
static int sort_keys(uint64_t *v, int64_t n) {
  uint64_t count[8][256], *tmp, *src = v, *dst;
  int64_t i;
  int b;
  if (n < 256) {
    qsort(v, (size_t)n, sizeof(uint64_t), compare_keys);
    return PF_OK;
  }
  if ((tmp = pf_malloc((uint64_t)n * sizeof(uint64_t))) == 0) return PF_NOMEM;
  memset(count, 0, sizeof(count));
  for (i = 0; i < n; i++)
    for (b = 0; b < 8; b++) count[b][(v[i] >> (8 * b)) & 0xFF]++;
  dst = tmp;
  for (b = 0; b < 8; b++) {
    uint64_t pos = 0, c;
    int d;
    if (count[b][(v[0] >> (8 * b)) & 0xFF] == (uint64_t)n) continue; /* one value: no-op */
    for (d = 0; d < 256; d++) c = count[b][d], count[b][d] = pos, pos += c;
    for (i = 0; i < n; i++) dst[count[b][(src[i] >> (8 * b)) & 0xFF]++] = src[i];
    { uint64_t *t = src; src = dst; dst = t; }
  }
  if (src != v) memcpy(v, src, (size_t)n * sizeof(uint64_t));
  pf_free(tmp);
  return PF_OK;
}

static int sort_both(pf_ranking *r) {
  int rc = sort_keys(r->by_outcome[0].v, r->by_outcome[0].n);
  if (rc == PF_OK) rc = sort_keys(r->by_outcome[1].v, r->by_outcome[1].n);
  return rc;
}

int pf_ranking_auc(pf_ranking *r, double *auc, int *defined) {
  const uint64_t *pos = r->by_outcome[1].v, *neg = r->by_outcome[0].v;
  int64_t n1 = r->by_outcome[1].n, n0 = r->by_outcome[0].n, i = 0, below = 0;
  pf_i128 twice_u = pf_i128_from_i64(0); /* pf_wide.h: __int128 or its portable fallback */
  long double twice;
  int rc, overflow = 0;
  *defined = 0;
  if (n1 == 0 || n0 == 0) return PF_OK;
  if ((rc = sort_both(r)) != PF_OK) return rc;
  while (i < n1) {
    uint64_t v = pos[i];
    int64_t p = 0, at = 0;
    while (i < n1 && pos[i] == v) i++, p++;
    while (below < n0 && neg[below] < v) below++;
    while (below + at < n0 && neg[below + at] == v) at++;
    /* p * (2 * below + at) < 2^126: the counts are row counts, below 2^62 */
    twice_u = pf_i128_add(twice_u, pf_i128_mul_i64(p, 2 * below + at), &overflow);
  }
  twice = (long double)twice_u.hi * 18446744073709551616.0L + (long double)twice_u.lo;
  *auc = (double)(twice / (2.0L * (long double)n1 * (long double)n0));
  *defined = 1;
  return PF_OK;
}

int pf_ranking_lift(pf_ranking *r, double fraction, double *lift, int *defined) {
  const uint64_t *pos = r->by_outcome[1].v, *neg = r->by_outcome[0].v;
  int64_t n1 = r->by_outcome[1].n, n0 = r->by_outcome[0].n;
  int64_t i = n1, j = n0, taken = 0, pos_taken = 0; /* walking down from the top */
  double target = fraction * (double)(n1 + n0);
  long double partial = 0;
  int rc;
  *defined = 0;
  if (n1 == 0 || n0 == 0) return PF_OK;
  if ((rc = sort_both(r)) != PF_OK) return rc;
  while ((i > 0 || j > 0) && (double)taken < target) {
    uint64_t v = i == 0                  ? neg[j - 1]
                 : j == 0                ? pos[i - 1]
                 : pos[i - 1] > neg[j - 1] ? pos[i - 1]
                                           : neg[j - 1];
    int64_t p = 0, q = 0;
    while (i > 0 && pos[i - 1] == v) i--, p++;
    while (j > 0 && neg[j - 1] == v) j--, q++;
    if ((double)(taken + p + q) <= target) {
      taken += p + q;
      pos_taken += p;
    } else {
      partial = (long double)p * ((long double)target - (long double)taken) / (long double)(p + q);
      break;
    }
  }
  *lift = (double)(((long double)pos_taken + partial) * (long double)(n1 + n0) /
                   ((long double)target * (long double)n1));
  *defined = 1;
  return PF_OK;
}
