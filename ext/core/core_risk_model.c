/*
** core_risk_model.c: the scoring structure of a learnt risk model (risk_model.h).
**
** Rules:
**   1. Built in two steps: the factors and their bins are copied in (pf_model_factor_init,
**      pf_model_bin_set), then pf_model_finish checks them and builds the lookups (sorted
**      edges, sorted categories), so scoring one value is a binary search.
**   2. Numeric range bins must come in value order, each one starting where the one before
**      ended (lower = the previous upper, upper > lower); only the first may lack a lower
**      and only the last an upper. Values beyond the ends fall in the first or last bin.
**   3. A factor has at most one missing bin and one other bin; a numeric factor has no
**      other bin and no value bin, a categorical one no range bin and no category twice.
**   4. Every allocation is checked; a half-built model is freed by pf_model_release.
*/
#include "pf_host.h"
#include "risk_model.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static char *copy_bytes(const char *z, int n) {
  char *p = pf_malloc((uint64_t)n + 1);
  if (p) {
    if (n) memcpy(p, z, (size_t)n);
    p[n] = 0;
  }
  return p;
}

static int ascii_lower(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

static int same_name(const char *a, const char *b, int n) {
  int i;
  for (i = 0; i < n; i++)
    if (ascii_lower((unsigned char)a[i]) != ascii_lower((unsigned char)b[i])) return 0;
  return a[n] == 0;
}

pf_model *pf_model_new(int nfactors) {
  pf_model *m = pf_malloc(sizeof(*m));
  if (m == 0) return 0;
  memset(m, 0, sizeof(*m));
  m->refs = 1;
  if (nfactors > 0) {
    m->factors = pf_malloc(sizeof(pf_model_factor) * (uint64_t)nfactors);
    if (m->factors == 0) {
      pf_free(m);
      return 0;
    }
    memset(m->factors, 0, sizeof(pf_model_factor) * (size_t)nfactors);
  }
  m->nfactors = nfactors;
  return m;
}

int pf_model_factor_find(const pf_model *m, const char *name, int n) {
  int f;
  for (f = 0; f < m->nfactors; f++)
    if (m->factors[f].name && same_name(m->factors[f].name, name, n)) return f;
  return -1;
}

int pf_model_factor_init(pf_model *m, int f, const char *name, int name_n, int kind,
                         int nbins, char *err) {
  pf_model_factor *x = &m->factors[f];
  if (pf_model_factor_find(m, name, name_n) >= 0) {
    snprintf(err, PF_MODEL_ERR_SIZE, "names factor '%.64s' twice", name);
    return PF_MODEL_BAD;
  }
  x->name = copy_bytes(name, name_n);
  if (x->name == 0) return PF_NOMEM;
  x->kind = kind;
  x->missing_bin = x->other_bin = -1;
  if (nbins > 0) {
    x->bins = pf_malloc(sizeof(pf_model_bin) * (uint64_t)nbins);
    if (x->bins == 0) return PF_NOMEM;
    memset(x->bins, 0, sizeof(pf_model_bin) * (size_t)nbins);
  }
  x->nbins = nbins;
  return PF_OK;
}

int pf_model_bin_set(pf_model *m, int f, int b, const pf_model_bin *bin) {
  pf_model_bin *x = &m->factors[f].bins[b];
  *x = *bin;
  x->label = x->value = 0;
  x->label = copy_bytes(bin->label ? bin->label : "", bin->label ? (int)strlen(bin->label) : 0);
  if (x->label == 0) return PF_NOMEM;
  if (bin->kind == PF_BIN_VALUE) {
    x->value = copy_bytes(bin->value, bin->value_n);
    if (x->value == 0) return PF_NOMEM;
  }
  return PF_OK;
}

/* ---- checking and the lookups -------------------------------------------------------- */

static int bad(char *err, const pf_model_factor *x, const char *what) {
  snprintf(err, PF_MODEL_ERR_SIZE, "factor '%.64s' %s", x->name, what);
  return PF_MODEL_BAD;
}

/* Rule 2 for the range bins of x, in model order; fills uppers and range_bin. */
static int check_ranges(pf_model_factor *x, char *err) {
  int b, r = 0;
  for (b = 0; b < x->nbins; b++) {
    const pf_model_bin *bin = &x->bins[b];
    if (bin->kind != PF_BIN_RANGE) continue;
    if (r > 0) {
      const pf_model_bin *prev = &x->bins[x->range_bin[r - 1]];
      if (!prev->has_upper || !bin->has_lower || bin->lower != prev->upper)
        return bad(err, x, "has numeric bins that do not follow each other "
                           "(each lower must be the upper of the bin before)");
    }
    if (bin->has_lower && bin->has_upper && !(bin->upper > bin->lower))
      return bad(err, x, "has a bin whose upper is not above its lower");
    if (r > 0) x->uppers[r - 1] = x->bins[x->range_bin[r - 1]].upper;
    x->range_bin[r++] = b;
  }
  return PF_OK;
}

static int compare_values(const pf_model_bin *a, const pf_model_bin *b) {
  int n = a->value_n < b->value_n ? a->value_n : b->value_n;
  int c = memcmp(a->value, b->value, (size_t)n);
  return c ? c : (a->value_n > b->value_n) - (a->value_n < b->value_n);
}

/* Rule 3 for the value bins: sorted by bytes (insertion sort: a handful of categories). */
static int check_values(pf_model_factor *x, char *err) {
  int b, j;
  for (b = 0; b < x->nbins; b++) {
    if (x->bins[b].kind != PF_BIN_VALUE) continue;
    for (j = x->nvalues++; j > 0; j--) {
      int c = compare_values(&x->bins[x->value_bin[j - 1]], &x->bins[b]);
      if (c == 0) return bad(err, x, "has the same category in two bins");
      if (c < 0) break;
      x->value_bin[j] = x->value_bin[j - 1];
    }
    x->value_bin[j] = b;
  }
  return PF_OK;
}

static int finish_factor(pf_model_factor *x, char *err) {
  int b, ranges = 0, values = 0;
  for (b = 0; b < x->nbins; b++) {
    int k = x->bins[b].kind;
    if (k == PF_BIN_MISSING || k == PF_BIN_OTHER) {
      int *slot = k == PF_BIN_MISSING ? &x->missing_bin : &x->other_bin;
      if (*slot >= 0)
        return bad(err, x, k == PF_BIN_MISSING ? "has two missing bins" : "has two other bins");
      if (k == PF_BIN_OTHER && x->kind == PF_MODEL_NUMERIC)
        return bad(err, x, "is numeric but has an \"other\" bin");
      *slot = b;
    } else if (k == PF_BIN_RANGE) {
      if (x->kind != PF_MODEL_NUMERIC) return bad(err, x, "is categorical but has a numeric bin");
      ranges++;
    } else {
      if (x->kind != PF_MODEL_CATEGORICAL) return bad(err, x, "is numeric but has a \"value\" bin");
      values++;
    }
  }
  x->range_bin = pf_malloc(sizeof(int) * (uint64_t)(ranges + 1));
  x->uppers = pf_malloc(sizeof(double) * (uint64_t)(ranges + 1));
  x->value_bin = pf_malloc(sizeof(int) * (uint64_t)(values + 1));
  if (x->range_bin == 0 || x->uppers == 0 || x->value_bin == 0) return PF_NOMEM;
  x->nranges = ranges;
  if (check_ranges(x, err) != PF_OK) return PF_MODEL_BAD;
  return check_values(x, err);
}

int pf_model_finish(pf_model *m, char *err) {
  int f;
  for (f = 0; f < m->nfactors; f++) {
    int rc = finish_factor(&m->factors[f], err);
    if (rc != PF_OK) return rc;
  }
  return PF_OK;
}

/* ---- references ---------------------------------------------------------------------- */

void pf_model_retain(pf_model *m) { m->refs++; }

static void free_factor(pf_model_factor *x) {
  int b;
  for (b = 0; b < x->nbins && x->bins; b++) {
    pf_free(x->bins[b].label);
    pf_free(x->bins[b].value);
  }
  pf_free(x->bins);
  pf_free(x->name);
  pf_free(x->uppers);
  pf_free(x->range_bin);
  pf_free(x->value_bin);
}

void pf_model_release(pf_model *m) {
  int f;
  if (m == 0 || --m->refs > 0) return;
  for (f = 0; f < m->nfactors; f++) free_factor(&m->factors[f]);
  pf_free(m->factors);
  pf_free(m);
}

/* ---- scoring ------------------------------------------------------------------------- */

int pf_model_bin_of_number(const pf_model_factor *f, double v) {
  int lo = 0, hi = f->nranges - 1; /* the answer is in [lo, hi]; the last range is open */
  if (f->nranges == 0) return -1;
  while (lo < hi) {
    int mid = (lo + hi) / 2;
    if (v <= f->uppers[mid])
      hi = mid;
    else
      lo = mid + 1;
  }
  return f->range_bin[lo];
}

int pf_model_bin_of_text(const pf_model_factor *f, const char *z, int n) {
  int lo = 0, hi = f->nvalues;
  while (lo < hi) {
    int mid = (lo + hi) / 2;
    const pf_model_bin *b = &f->bins[f->value_bin[mid]];
    int len = b->value_n < n ? b->value_n : n;
    int c = memcmp(b->value, z, (size_t)len);
    if (c == 0) c = (b->value_n > n) - (b->value_n < n);
    if (c == 0) return f->value_bin[mid];
    if (c < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return f->other_bin;
}

double pf_model_probability(double z) {
  /* The spec's formula as written; for z below about -709 exp overflows to inf and the
  ** probability is 0, as it should be. */
  return 1.0 / (1.0 + exp(-z));
}
