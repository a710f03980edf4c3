/*
** scorecard_bins.c: turning each factor's distinct values into bins.
**
** Rules (N = every row of the fit, missing values included):
**   1. A factor is numeric when all its values are numbers, else categorical, and then a
**      number reads as its text (an INTEGER as 12, a REAL as 12.0, TEXT as written).
**   2. Numeric: the distinct values, ascending, form groups of equal numbers (12, 12.0 and
**      '12' are one group). With n non-missing rows and B = bins, cut k (k = 1..B-1) goes
**      after the group whose cumulative count c is nearest to k*n/B (|c*B - k*n| smallest,
**      in exact integers; the lower group on a tie); cuts at the same place count once. So
**      bins hold about equal counts and are cut between distinct values only.
**   3. Pooling: while some numeric bin holds fewer than min_share * N rows and there are two
**      or more, the smallest (the leftmost of equal ones) is merged into its smaller
**      neighbour (the left one on a tie).
**   4. Categorical: one bin per distinct text holding at least min_share * N rows, in byte
**      order of the text; every rarer text goes into one `other` bin, after them.
**   5. A factor with missing rows gets a `missing` bin last, however few they are.
**   6. A factor left with one bin carries no information: scorecard_solve.c gives it no
**      coefficient and 0 points.
**   7. Sorting is a stable merge sort on level indexes with a comparison that orders
**      every pair of distinct values, so the bins do not depend on arrival order.
*/
#include "scorecard_internal.h"

#include <stdio.h>
#include <string.h>

/* ---- a stable merge sort of indexes ----------------------------------------------- */

static void merge_pass(uint32_t *v, uint32_t *tmp, uint32_t n, uint32_t width, fit_compare cmp,
                       const void *ctx) {
  uint32_t lo;
  for (lo = 0; lo < n; lo += 2 * width) {
    uint32_t mid = lo + width < n ? lo + width : n;
    uint32_t hi = lo + 2 * width < n ? lo + 2 * width : n;
    uint32_t i = lo, j = mid, k = lo;
    while (i < mid && j < hi) tmp[k++] = cmp(ctx, v[j], v[i]) < 0 ? v[j++] : v[i++];
    while (i < mid) tmp[k++] = v[i++];
    while (j < hi) tmp[k++] = v[j++];
  }
}

int fit_sort(uint32_t *v, uint32_t n, fit_compare cmp, const void *ctx) {
  uint32_t width, *tmp, *a = v, *b;
  if (n < 2) return PF_OK;
  tmp = pf_malloc(sizeof(uint32_t) * (uint64_t)n);
  if (tmp == 0) return PF_NOMEM;
  b = tmp;
  for (width = 1; width < n; width *= 2) {
    uint32_t *t;
    merge_pass(a, b, n, width, cmp, ctx);
    t = a;
    a = b;
    b = t;
  }
  if (a != v) memcpy(v, a, sizeof(uint32_t) * (size_t)n);
  pf_free(tmp);
  return PF_OK;
}

static int by_number(const void *ctx, uint32_t a, uint32_t b) {
  const fit_level *x = &((const fit_level *)ctx)[a], *y = &((const fit_level *)ctx)[b];
  if (x->value != y->value) return x->value < y->value ? -1 : 1;
  return y->is_int - x->is_int; /* an integer first: it is the one printed for the group */
}

static int by_text(const void *ctx, uint32_t a, uint32_t b) {
  const fit_level *x = &((const fit_level *)ctx)[a], *y = &((const fit_level *)ctx)[b];
  int n = x->text_n < y->text_n ? x->text_n : y->text_n;
  int c = memcmp(x->text, y->text, (size_t)n);
  if (c != 0) return c;
  return (x->text_n > y->text_n) - (x->text_n < y->text_n);
}

/* ---- groups of equal values ---------------------------------------------------------- */

void fit_free_bins(fit_factor *f) {
  pf_free(f->sorted);
  pf_free(f->group_start);
  pf_free(f->group_rows);
  pf_free(f->group_outcomes);
  pf_free(f->level_bin);
  pf_free(f->bins);
  f->sorted = f->group_start = f->level_bin = 0;
  f->group_rows = f->group_outcomes = 0;
  f->bins = 0;
  f->nbins = f->ngroups = 0;
}

/* Gives every number of a categorical factor its text (rule 1). */
static int number_texts(fit_factor *f) {
  uint32_t l;
  for (l = 0; l < f->nlevels; l++) {
    fit_level *v = &f->levels[l];
    char buf[40];
    int n;
    if (v->text || !v->is_number) continue;
    n = fit_format_number(buf, v->is_int, v->ivalue, v->value);
    v->text = pf_malloc((uint64_t)n + 1);
    if (v->text == 0) return PF_NOMEM;
    memcpy(v->text, buf, (size_t)n + 1);
    v->text_n = n;
  }
  return PF_OK;
}

/* Two sorted levels are in one group: the same number, or the same text. */
static int same_group(const fit_factor *f, uint32_t a, uint32_t b) {
  if (f->categorical) return by_text(f->levels, a, b) == 0;
  return f->levels[a].value == f->levels[b].value;
}

/* Sorts the levels that have rows and groups equal ones (by number or by text). */
static int make_groups(fit_factor *f) {
  uint32_t l, n = 0, g = 0;
  uint64_t size = (uint64_t)f->nlevels + 1;
  f->sorted = pf_malloc(sizeof(uint32_t) * size);
  f->group_start = pf_malloc(sizeof(uint32_t) * (size + 1));
  f->group_rows = pf_malloc(sizeof(int64_t) * size);
  f->group_outcomes = pf_malloc(sizeof(int64_t) * size);
  f->level_bin = pf_malloc(sizeof(uint32_t) * size);
  if (!f->sorted || !f->group_start || !f->group_rows || !f->group_outcomes || !f->level_bin)
    return PF_NOMEM;
  for (l = 0; l < f->nlevels; l++) {
    f->level_bin[l] = 0;
    if (f->levels[l].rows > 0) f->sorted[n++] = l;
  }
  if (fit_sort(f->sorted, n, f->categorical ? by_text : by_number, f->levels) != PF_OK)
    return PF_NOMEM;
  for (l = 0; l < n; l++) {
    const fit_level *v = &f->levels[f->sorted[l]];
    if (l == 0 || !same_group(f, f->sorted[l - 1], f->sorted[l])) {
      f->group_start[g] = l;
      f->group_rows[g] = f->group_outcomes[g] = 0;
      g++;
    }
    f->group_rows[g - 1] += v->rows;
    f->group_outcomes[g - 1] += v->outcomes;
  }
  f->group_start[g] = n;
  f->ngroups = g;
  return PF_OK;
}

static void map_group(fit_factor *f, uint32_t g, int b) {
  uint32_t i;
  for (i = f->group_start[g]; i < f->group_start[g + 1]; i++) f->level_bin[f->sorted[i]] = (uint32_t)b;
}

static void map_ranges(fit_factor *f);

/* ---- bins ---------------------------------------------------------------------------- */

static fit_bin *new_bin(fit_factor *f, int kind, uint32_t first, uint32_t last) {
  fit_bin *b = &f->bins[f->nbins++];
  memset(b, 0, sizeof(*b));
  b->kind = kind;
  b->first = first;
  b->last = last;
  b->param = -1;
  return b;
}

/* Rule 2: the first bins, by equal counts. */
static void cut_numeric(fit_factor *f, int bins) {
  int64_t n = 0, k;
  uint32_t g, start = 0; /* start: the first group of the bin being cut */
  for (g = 0; g < f->ngroups; g++) n += f->group_rows[g];
  for (k = 1; k < bins && f->ngroups > 1; k++) {
    int64_t best = -1, c = 0;
    uint32_t cut = 0; /* the cut goes before group `cut` */
    for (g = 0; g + 1 < f->ngroups; g++) {
      int64_t d;
      c += f->group_rows[g];
      d = c * bins - k * n;
      if (d < 0) d = -d;
      if (best < 0 || d < best) best = d, cut = g + 1;
    }
    if (cut > start) {
      new_bin(f, BIN_RANGE, start, cut - 1);
      start = cut;
    }
  }
  if (f->ngroups > 0) new_bin(f, BIN_RANGE, start, f->ngroups - 1);
}

static void count_range(const fit_factor *f, fit_bin *b) {
  uint32_t g;
  b->rows = b->outcomes = 0;
  for (g = b->first; g <= b->last; g++) {
    b->rows += f->group_rows[g];
    b->outcomes += f->group_outcomes[g];
  }
}

void fit_merge_bins(fit_factor *f, int b) {
  f->bins[b].last = f->bins[b + 1].last;
  f->bins[b].rows += f->bins[b + 1].rows;
  f->bins[b].outcomes += f->bins[b + 1].outcomes;
  memmove(&f->bins[b + 1], &f->bins[b + 2], sizeof(fit_bin) * (size_t)(f->nbins - b - 2));
  f->nbins--;
  if (f->missing_bin > b) f->missing_bin--;
  map_ranges(f);
}

/* Rule 3, over the range bins 0..ranges-1. Returns how many are left. */
static int pool_numeric(fit_factor *f, int ranges, double least) {
  while (ranges > 1) {
    int b, smallest = 0;
    for (b = 1; b < ranges; b++)
      if (f->bins[b].rows < f->bins[smallest].rows) smallest = b;
    if (!((double)f->bins[smallest].rows < least)) break;
    if (smallest == 0)
      b = 0;
    else if (smallest == ranges - 1)
      b = smallest - 1;
    else
      b = f->bins[smallest + 1].rows < f->bins[smallest - 1].rows ? smallest : smallest - 1;
    fit_merge_bins(f, b);
    ranges--;
  }
  return ranges;
}

/* Rule 4. */
static void bin_categories(fit_factor *f, double least) {
  uint32_t g;
  int other = -1;
  for (g = 0; g < f->ngroups; g++) {
    if ((double)f->group_rows[g] >= least) {
      fit_bin *b = new_bin(f, BIN_VALUE, g, g);
      b->category = &f->levels[f->sorted[f->group_start[g]]];
      b->rows = f->group_rows[g];
      b->outcomes = f->group_outcomes[g];
      map_group(f, g, f->nbins - 1);
    }
  }
  for (g = 0; g < f->ngroups; g++) {
    if ((double)f->group_rows[g] < least) {
      if (other < 0) {
        new_bin(f, BIN_OTHER, g, g);
        other = f->nbins - 1;
      }
      f->bins[other].rows += f->group_rows[g];
      f->bins[other].outcomes += f->group_outcomes[g];
      map_group(f, g, other);
    }
  }
}

/* The level -> bin map of the range bins, and their bounds. */
static void map_ranges(fit_factor *f) {
  int b;
  uint32_t g;
  for (b = 0; b < f->nbins; b++) {
    fit_bin *bin = &f->bins[b];
    if (bin->kind != BIN_RANGE) continue;
    bin->lower = b > 0 ? &f->levels[f->sorted[f->group_start[f->bins[b - 1].last]]] : 0;
    bin->upper =
        bin->last + 1 < f->ngroups ? &f->levels[f->sorted[f->group_start[bin->last]]] : 0;
    for (g = bin->first; g <= bin->last; g++) map_group(f, g, b);
  }
}

static int bin_factor(fit_factor *f, const pf_fit_options *o, int64_t rows) {
  double least = o->min_share * (double)rows;
  int b;
  fit_free_bins(f);
  if (f->categorical && number_texts(f) != PF_OK) return PF_NOMEM;
  if (make_groups(f) != PF_OK) return PF_NOMEM;
  f->bins = pf_malloc(sizeof(fit_bin) * ((uint64_t)f->ngroups + (uint64_t)o->bins + 2));
  if (f->bins == 0) return PF_NOMEM;
  f->missing_bin = -1;
  if (f->categorical) {
    bin_categories(f, least);
  } else {
    cut_numeric(f, o->bins);
    for (b = 0; b < f->nbins; b++) count_range(f, &f->bins[b]);
    f->nbins = pool_numeric(f, f->nbins, least);
  }
  if (f->missing_rows > 0) {
    fit_bin *m = new_bin(f, BIN_MISSING, 0, 0);
    m->rows = f->missing_rows;
    m->outcomes = f->missing_outcomes;
    f->missing_bin = f->nbins - 1;
  }
  map_ranges(f);
  return PF_OK;
}

int fit_make_bins(pf_fit *fit, const pf_fit_options *o) {
  int i, total = 0;
  for (i = 0; i < fit->nf; i++) {
    if (bin_factor(&fit->f[i], o, fit->nrows) != PF_OK) return PF_NOMEM;
    total += fit->f[i].nbins;
  }
  return total > PF_FIT_MAX_TOTAL_BINS ? PF_FIT_TOO_MANY_BINS : PF_OK;
}
