/*
** scorecard_patterns.c: the rows of a fit grouped by bin pattern.
**
**   1. A row's pattern is the bin it falls in for every informative factor (one with two
**      bins or more). Rows with the same pattern have the same prediction, so the fit sums
**      over patterns, each with its count of rows and of outcomes: a million accounts with
**      8 factors of 5 bins become at most 5^8 (and usually far fewer) patterns.
**   2. Patterns are in the order of their bins (the first informative factor first), so
**      every sum of the fit runs in the same order whatever the order of the rows.
**   3. A pattern's bins read as a mixed-radix number (its code) sort as the bins do. When
**      twice the largest code fits in 64 bits (the usual case), the rows are grouped by
**      sorting the numbers code * 2 + outcome (a radix sort streaming through memory) and
**      counting runs: the patterns come out in order, with their counts. Otherwise they
**      are found with an open-addressing hash table, then sorted by their bins. Both give
**      the same patterns and counts; the first is about four times faster over a million
**      rows, whose patterns are mostly distinct (a hash probe per row missed the caches).
*/
#include "scorecard_patterns.h"

#include <string.h>

void fit_patterns_free(fit_patterns *p) {
  pf_free(p->inf);
  pf_free(p->keys);
  pf_free(p->n);
  pf_free(p->pos);
  memset(p, 0, sizeof(*p));
}

static uint64_t key_hash(const uint16_t *key, int ni) {
  uint64_t h = 0x9e3779b97f4a7c15ull;
  int i;
  for (i = 0; i < ni; i++) h = (h ^ key[i]) * 0x100000001b3ull;
  return h ^ (h >> 29);
}

typedef struct pattern_table {
  uint32_t *slot; /* pattern index + 1; 0 is empty */
  uint64_t cap;   /* a power of two */
} pattern_table;

static int grow_arrays(fit_patterns *p, uint32_t cap) {
  uint16_t *keys = pf_realloc(p->keys, sizeof(uint16_t) * (uint64_t)cap * (uint64_t)(p->ni + 1));
  int64_t *n, *pos;
  if (keys == 0) return PF_NOMEM;
  p->keys = keys;
  if ((n = pf_realloc(p->n, sizeof(int64_t) * (uint64_t)cap)) == 0) return PF_NOMEM;
  p->n = n;
  if ((pos = pf_realloc(p->pos, sizeof(int64_t) * (uint64_t)cap)) == 0) return PF_NOMEM;
  p->pos = pos;
  p->cap = cap;
  return PF_OK;
}

static uint32_t *find_slot(const pattern_table *t, const fit_patterns *p, const uint16_t *key) {
  uint64_t i = key_hash(key, p->ni) & (t->cap - 1);
  for (;;) {
    uint32_t s = t->slot[i];
    if (s == 0 || memcmp(p->keys + (uint64_t)(s - 1) * (uint64_t)p->ni, key,
                         sizeof(uint16_t) * (size_t)p->ni) == 0)
      return &t->slot[i];
    i = (i + 1) & (t->cap - 1);
  }
}

static int grow_table(pattern_table *t, const fit_patterns *p) {
  pattern_table bigger;
  uint32_t k;
  bigger.cap = t->cap ? t->cap * 2 : 1024;
  bigger.slot = pf_malloc(sizeof(uint32_t) * bigger.cap);
  if (bigger.slot == 0) return PF_NOMEM;
  memset(bigger.slot, 0, sizeof(uint32_t) * bigger.cap);
  for (k = 0; k < p->np; k++)
    *find_slot(&bigger, p, p->keys + (uint64_t)k * (uint64_t)p->ni) = k + 1;
  pf_free(t->slot);
  *t = bigger;
  return PF_OK;
}

/* The pattern of row r in p->keys[np] (the scratch place after the last pattern). */
static uint16_t *row_key(const pf_fit *fit, fit_patterns *p, int64_t r) {
  const uint32_t *row = fit->rows + (uint64_t)r * (uint64_t)(fit->nf + 1);
  uint16_t *key = p->keys + (uint64_t)p->np * (uint64_t)p->ni;
  int i;
  for (i = 0; i < p->ni; i++) {
    const fit_factor *f = &fit->f[p->inf[i]];
    uint32_t level = row[p->inf[i]];
    key[i] = (uint16_t)(level == FIT_MISSING_LEVEL ? (uint32_t)f->missing_bin : f->level_bin[level]);
  }
  return key;
}

static int collect(const pf_fit *fit, fit_patterns *p, pattern_table *t) {
  int64_t r;
  for (r = 0; r < fit->nrows; r++) {
    uint32_t *slot, y = fit->rows[(uint64_t)r * (uint64_t)(fit->nf + 1) + (uint64_t)fit->nf];
    uint16_t *key;
    if (p->np + 1 >= p->cap && grow_arrays(p, p->cap ? p->cap * 2 : 256) != PF_OK) return PF_NOMEM;
    if ((uint64_t)(p->np + 1) * 2 > t->cap && grow_table(t, p) != PF_OK) return PF_NOMEM;
    key = row_key(fit, p, r);
    slot = find_slot(t, p, key);
    if (*slot == 0) {
      *slot = ++p->np;
      p->n[p->np - 1] = p->pos[p->np - 1] = 0;
    }
    p->n[*slot - 1]++;
    p->pos[*slot - 1] += y;
  }
  return PF_OK;
}

static int by_key(const void *ctx, uint32_t a, uint32_t b) {
  const fit_patterns *p = ctx;
  const uint16_t *x = p->keys + (uint64_t)a * (uint64_t)p->ni, *y = p->keys + (uint64_t)b * (uint64_t)p->ni;
  int i;
  for (i = 0; i < p->ni; i++)
    if (x[i] != y[i]) return x[i] < y[i] ? -1 : 1;
  return 0;
}

/* The patterns' keys as mixed-radix numbers (the first factor most significant, so the
** numbers sort as the keys do), into code[]; 0 when they do not fit in 64 bits. */
static int pattern_codes(const pf_fit *fit, const fit_patterns *p, uint64_t *code) {
  uint64_t span = 1;
  uint32_t k;
  int i;
  for (i = 0; i < p->ni; i++) {
    uint64_t nb = (uint64_t)fit->f[p->inf[i]].nbins;
    if (span > UINT64_MAX / nb) return 0;
    span *= nb;
  }
  for (k = 0; k < p->np; k++) {
    const uint16_t *key = p->keys + (uint64_t)k * (uint64_t)p->ni;
    uint64_t c = 0;
    for (i = 0; i < p->ni; i++) c = c * (uint64_t)fit->f[p->inf[i]].nbins + key[i];
    code[k] = c;
  }
  return 1;
}

/* Puts the patterns in key order (rule 2): by a radix sort of their codes, or by
** comparing keys when the codes would not fit. */
static int sort_patterns(const pf_fit *fit, fit_patterns *p) {
  uint32_t *order = pf_malloc(sizeof(uint32_t) * ((uint64_t)p->np + 1)), k;
  uint16_t *keys = pf_malloc(sizeof(uint16_t) * ((uint64_t)p->np * (uint64_t)p->ni + 1));
  int64_t *n = pf_malloc(sizeof(int64_t) * ((uint64_t)p->np + 1));
  int64_t *pos = pf_malloc(sizeof(int64_t) * ((uint64_t)p->np + 1));
  uint64_t *code = pf_malloc(sizeof(uint64_t) * ((uint64_t)p->np + 1));
  int rc = PF_NOMEM;
  if (order && keys && n && pos && code) {
    for (k = 0; k < p->np; k++) order[k] = k;
    rc = pattern_codes(fit, p, code) ? fit_radix_sort(code, order, p->np)
                                     : fit_sort(order, p->np, by_key, p);
  }
  pf_free(code);
  if (rc == PF_OK) {
    for (k = 0; k < p->np; k++) {
      memcpy(keys + (uint64_t)k * (uint64_t)p->ni, p->keys + (uint64_t)order[k] * (uint64_t)p->ni,
             sizeof(uint16_t) * (size_t)p->ni);
      n[k] = p->n[order[k]];
      pos[k] = p->pos[order[k]];
    }
    pf_free(p->keys);
    pf_free(p->n);
    pf_free(p->pos);
    p->keys = keys;
    p->n = n;
    p->pos = pos;
    keys = 0;
    n = pos = 0;
  }
  pf_free(order);
  pf_free(keys);
  pf_free(n);
  pf_free(pos);
  return rc;
}

/* 1 when code * 2 + 1 fits in 64 bits for every pattern (rule 3). */
static int codes_fit(const pf_fit *fit, const fit_patterns *p) {
  uint64_t span = 2;
  int i;
  for (i = 0; i < p->ni; i++) {
    uint64_t nb = (uint64_t)fit->f[p->inf[i]].nbins;
    if (span > UINT64_MAX / nb) return 0;
    span *= nb;
  }
  return fit->nrows < (int64_t)UINT32_MAX; /* np is 32-bit, as for the hash table */
}

/* Row r's code * 2 + outcome (rule 3). */
static uint64_t row_code(const pf_fit *fit, const fit_patterns *p, int64_t r) {
  const uint32_t *row = fit->rows + (uint64_t)r * (uint64_t)(fit->nf + 1);
  uint64_t c = 0;
  int i;
  for (i = 0; i < p->ni; i++) {
    const fit_factor *f = &fit->f[p->inf[i]];
    uint32_t level = row[p->inf[i]];
    c = c * (uint64_t)f->nbins +
        (level == FIT_MISSING_LEVEL ? (uint32_t)f->missing_bin : f->level_bin[level]);
  }
  return c * 2 + row[fit->nf];
}

/* The patterns from the sorted codes v[0..n): one per run of equal code, its bins decoded
** from the code, the last factor least significant. */
static int patterns_from_runs(const pf_fit *fit, fit_patterns *p, const uint64_t *v, int64_t n) {
  uint32_t np = 0;
  int64_t r;
  int i;
  for (r = 0; r < n; r++) np += r == 0 || (v[r] >> 1) != (v[r - 1] >> 1);
  if (grow_arrays(p, np + 1) != PF_OK) return PF_NOMEM;
  for (r = 0; r < n; r++) {
    if (r == 0 || (v[r] >> 1) != (v[r - 1] >> 1)) {
      uint16_t *key = p->keys + (uint64_t)p->np * (uint64_t)p->ni;
      uint64_t c = v[r] >> 1;
      for (i = p->ni - 1; i >= 0; i--) {
        uint64_t nb = (uint64_t)fit->f[p->inf[i]].nbins;
        key[i] = (uint16_t)(c % nb);
        c /= nb;
      }
      p->n[p->np] = p->pos[p->np] = 0;
      p->np++;
    }
    p->n[p->np - 1]++;
    p->pos[p->np - 1] += (int64_t)(v[r] & 1);
  }
  return PF_OK;
}

/* Rule 3's first way. */
static int collect_by_sorting(const pf_fit *fit, fit_patterns *p) {
  uint64_t *v = pf_malloc(sizeof(uint64_t) * ((uint64_t)fit->nrows + 1));
  int64_t r;
  int rc;
  if (v == 0) return PF_NOMEM;
  for (r = 0; r < fit->nrows; r++) v[r] = row_code(fit, p, r);
  rc = fit_radix_sort_values(v, (uint64_t)fit->nrows);
  if (rc == PF_OK) rc = patterns_from_runs(fit, p, v, fit->nrows);
  pf_free(v);
  return rc;
}

int fit_patterns_make_by(const pf_fit *fit, fit_patterns *p, int way) {
  pattern_table t = {0, 0};
  int i, rc;
  memset(p, 0, sizeof(*p));
  p->inf = pf_malloc(sizeof(int) * (uint64_t)(fit->nf + 1));
  if (p->inf == 0) return PF_NOMEM;
  for (i = 0; i < fit->nf; i++)
    if (fit->f[i].nbins >= 2) p->inf[p->ni++] = i;
  if (way == FIT_GROUP_BY_SORTING) return codes_fit(fit, p) ? collect_by_sorting(fit, p) : PF_RANGE;
  rc = collect(fit, p, &t);
  pf_free(t.slot);
  if (rc == PF_OK) rc = sort_patterns(fit, p);
  return rc;
}

int fit_patterns_make(const pf_fit *fit, fit_patterns *p) {
  int rc = fit_patterns_make_by(fit, p, FIT_GROUP_BY_SORTING);
  if (rc != PF_RANGE) return rc;
  fit_patterns_free(p);
  return fit_patterns_make_by(fit, p, FIT_GROUP_BY_HASHING);
}
