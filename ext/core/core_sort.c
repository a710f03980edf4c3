/*
** core_sort.c: sorting the positive customer totals that gini (and the concentration
** ranking) needs in order, in linear time.
**
**   1. A positive finite double's bits, read as an unsigned 64-bit integer, sort in the
**      same order as its value. So the totals are sorted as integers by a least-significant
**      digit radix sort: 8 passes of one byte, each a stable counting sort, with every pass
**      whose byte is the same in all values skipped (amounts of similar size share their
**      top bytes). The 8 histograms come from one read of the input.
**   2. The result is exactly qsort's: the same values in ascending order (equal values are
**      equal bits, so stability cannot show).
**   3. Short lists, any value that is not positive and finite, or no memory for the second
**      buffer: qsort with a comparison, the order unchanged.
**   4. pf_rank_desc: the same idea for ranking (the concentration table): the order of
**      positive values from largest to smallest, equal values kept in input order.
*/
#include "portfolio_core.h"
#include "pf_host.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Below this many values a comparison sort is as fast and needs no buffer. */
#define RADIX_MIN 512

static int compare_doubles(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

/* Counts the bytes of every value; 0 when some value is not positive and finite. */
static int histogram(const double *v, int64_t n, uint64_t (*count)[256]) {
  int64_t i;
  int b;
  memset(count, 0, 8 * sizeof(count[0]));
  for (i = 0; i < n; i++) {
    uint64_t bits;
    if (!(v[i] > 0) || !isfinite(v[i])) return 0;
    memcpy(&bits, &v[i], 8);
    for (b = 0; b < 8; b++) count[b][(bits >> (8 * b)) & 0xff]++;
  }
  return 1;
}

/* The bits of v[i] as an integer (memcpy: no type punning through pointers). */
static uint64_t bits_of(const double *v, int64_t i) {
  uint64_t x;
  memcpy(&x, &v[i], 8);
  return x;
}

void pf_sort_positive(double *v, int64_t n) {
  uint64_t count[8][256];
  double *src = v, *dst, *buffer;
  int64_t i;
  int b;
  if (n < RADIX_MIN || !histogram(v, n, count) ||
      (buffer = pf_malloc((uint64_t)n * sizeof(double))) == 0) {
    qsort(v, (size_t)n, sizeof(double), compare_doubles);
    return;
  }
  dst = buffer;
  for (b = 0; b < 8; b++) {
    uint64_t *c = count[b], at = 0;
    int d, shift = 8 * b;
    if (c[(bits_of(src, 0) >> shift) & 0xff] == (uint64_t)n) continue; /* one digit */
    for (d = 0; d < 256; d++) {
      uint64_t k = c[d];
      c[d] = at;
      at += k;
    }
    for (i = 0; i < n; i++) dst[c[(bits_of(src, i) >> shift) & 0xff]++] = src[i];
    src = dst;
    dst = src == v ? buffer : v;
  }
  if (src != v) memcpy(v, src, (size_t)n * sizeof(double));
  pf_free(buffer);
}

typedef struct rank_item {
  uint64_t key; /* ~bits of the value: ascending key = descending value */
  uint64_t index;
} rank_item;

int pf_rank_desc(const double *v, int64_t n, int64_t *order) {
  uint64_t count[8][256];
  rank_item *a, *b, *src, *dst;
  int64_t i;
  int pass;
  if (n == 0) return PF_OK;
  a = pf_malloc((uint64_t)n * 2 * sizeof(rank_item));
  if (a == 0) return PF_NOMEM;
  b = a + n;
  memset(count, 0, sizeof(count));
  for (i = 0; i < n; i++) {
    a[i].key = ~bits_of(v, i);
    a[i].index = (uint64_t)i;
    for (pass = 0; pass < 8; pass++) count[pass][(a[i].key >> (8 * pass)) & 0xff]++;
  }
  src = a;
  dst = b;
  for (pass = 0; pass < 8; pass++) {
    uint64_t *c = count[pass], at = 0;
    int d, shift = 8 * pass;
    if (c[(src[0].key >> shift) & 0xff] == (uint64_t)n) continue;
    for (d = 0; d < 256; d++) {
      uint64_t k = c[d];
      c[d] = at;
      at += k;
    }
    for (i = 0; i < n; i++) dst[c[(src[i].key >> shift) & 0xff]++] = src[i];
    src = dst;
    dst = src == a ? b : a;
  }
  for (i = 0; i < n; i++) order[i] = (int64_t)src[i].index;
  pf_free(a);
  return PF_OK;
}
