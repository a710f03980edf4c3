/*
** scorecard_collect.c: collecting risk_fit's rows.
**
**   1. Each factor has a dictionary (a pf_table used through pf_table_index) from the value
**      as it was given to a level index: an INTEGER, a REAL and a TEXT are different
**      entries even when they read as the same number (12, 12.0, '12'), so that a factor
**      that turns out categorical reads each as its own text, whatever came first.
**   2. A row is stored as one uint32 level index per factor (FIT_MISSING_LEVEL for a missing
**      value) followed by its outcome: the rows grow by doubling, so a row costs one
**      dictionary lookup per factor and no allocation of its own once the capacity is there.
**   3. Counts per level are taken only when the fit runs (fit_count_levels), in one pass.
*/
#include "scorecard_internal.h"

#include <string.h>

pf_fit *pf_fit_new(int factors) {
  pf_fit *fit = pf_malloc(sizeof(*fit));
  if (fit == 0) return 0;
  memset(fit, 0, sizeof(*fit));
  fit->f = pf_malloc(sizeof(fit->f[0]) * (uint64_t)(factors > 0 ? factors : 1));
  if (fit->f == 0) {
    pf_free(fit);
    return 0;
  }
  memset(fit->f, 0, sizeof(fit->f[0]) * (uint64_t)(factors > 0 ? factors : 1));
  fit->nf = factors;
  return fit;
}

void pf_fit_free(pf_fit *fit) {
  int i;
  uint32_t l;
  if (fit == 0) return;
  for (i = 0; i < fit->nf; i++) {
    fit_factor *f = &fit->f[i];
    fit_free_bins(f);
    for (l = 0; l < f->nlevels; l++) pf_free(f->levels[l].text);
    pf_free(f->levels);
    pf_free(f->name);
    pf_table_free(&f->dict);
  }
  pf_free(fit->f);
  pf_free(fit->rows);
  pf_free(fit);
}

static char *copy_text(const char *p, int n) {
  char *s = pf_malloc((uint64_t)n + 1);
  if (s == 0) return 0;
  if (n > 0) memcpy(s, p, (size_t)n);
  s[n] = 0;
  return s;
}

int pf_fit_name(pf_fit *fit, int f, const char *name, int n) {
  char *s = copy_text(name, n);
  if (s == 0) return PF_NOMEM;
  pf_free(fit->f[f].name);
  fit->f[f].name = s;
  fit->f[f].name_n = n;
  return PF_OK;
}

const char *pf_fit_factor_name(const pf_fit *fit, int f, int *n) {
  *n = fit->f[f].name_n;
  return fit->f[f].name;
}

void pf_fit_monotone(pf_fit *fit, int f) { fit->f[f].monotone = 1; }

int64_t pf_fit_count(const pf_fit *fit, int outcome) { return fit->count[outcome ? 1 : 0]; }

int pf_fit_categorical(const pf_fit *fit, int f) { return fit->f[f].categorical; }

/* The dictionary key of a value (rule 1). -0.0 is 0.0, so both are one entry. */
static void value_key(const pf_fit_value *v, pf_key *k) {
  memset(k, 0, sizeof(*k));
  if (v->text) {
    k->type = PF_KEY_TEXT;
    k->p = v->text;
    k->n = v->n;
  } else if (v->num.is_int) {
    k->type = PF_KEY_INT;
    k->i = v->num.i;
  } else {
    k->type = PF_KEY_REAL;
    k->r = v->num.d == 0 ? 0.0 : v->num.d;
  }
}

/* Appends a new level for value v; its index is f->nlevels - 1. */
static int add_level(fit_factor *f, const pf_fit_value *v) {
  fit_level *l;
  if (f->nlevels == f->cap) {
    uint32_t cap = f->cap ? f->cap * 2 : 16;
    fit_level *grown = pf_realloc(f->levels, sizeof(*grown) * (uint64_t)cap);
    if (grown == 0) return PF_NOMEM;
    f->levels = grown;
    f->cap = cap;
  }
  l = &f->levels[f->nlevels];
  memset(l, 0, sizeof(*l));
  if (v->text) {
    l->text = copy_text(v->text, v->n);
    if (l->text == 0) return PF_NOMEM;
    l->text_n = v->n;
  }
  if (v->kind == PF_FIT_NUMBER) {
    l->is_number = 1;
    l->is_int = v->num.is_int;
    l->ivalue = v->num.i;
    l->value = v->num.d == 0 ? 0.0 : v->num.d;
  } else {
    f->categorical = 1;
  }
  f->nlevels++;
  return PF_OK;
}

/* The level index of value v in factor f, adding it when new. */
static int level_of(fit_factor *f, const pf_fit_value *v, uint32_t *index) {
  pf_key k;
  int64_t got;
  if (v->kind == PF_FIT_MISSING) {
    *index = FIT_MISSING_LEVEL;
    return PF_OK;
  }
  value_key(v, &k);
  if (pf_table_index(&f->dict, &k, (int64_t)f->nlevels, &got) != PF_OK) return PF_NOMEM;
  if ((uint32_t)got == f->nlevels && add_level(f, v) != PF_OK) return PF_NOMEM;
  *index = (uint32_t)got;
  return PF_OK;
}

static int reserve_row(pf_fit *fit) {
  int64_t cap;
  uint32_t *grown;
  if (fit->nrows < fit->cap) return PF_OK;
  cap = fit->cap ? fit->cap * 2 : 256;
  grown = pf_realloc(fit->rows, sizeof(uint32_t) * (uint64_t)cap * (uint64_t)(fit->nf + 1));
  if (grown == 0) return PF_NOMEM;
  fit->rows = grown;
  fit->cap = cap;
  return PF_OK;
}

int pf_fit_row(pf_fit *fit, int outcome, const pf_fit_value *values) {
  uint32_t *row;
  int i;
  if (reserve_row(fit) != PF_OK) return PF_NOMEM;
  row = fit->rows + (uint64_t)fit->nrows * (uint64_t)(fit->nf + 1);
  /* A level added for a row that then fails stays in the dictionary with no rows: it is
  ** dropped when the levels are counted, so a failed row leaves no trace in the model. */
  for (i = 0; i < fit->nf; i++)
    if (level_of(&fit->f[i], &values[i], &row[i]) != PF_OK) return PF_NOMEM;
  row[fit->nf] = outcome ? 1u : 0u;
  fit->nrows++;
  fit->count[outcome ? 1 : 0]++;
  return PF_OK;
}

int fit_count_levels(pf_fit *fit) {
  int64_t r;
  int i;
  for (i = 0; i < fit->nf; i++) {
    fit_factor *f = &fit->f[i];
    uint32_t l;
    for (l = 0; l < f->nlevels; l++) f->levels[l].rows = f->levels[l].outcomes = 0;
    f->missing_rows = f->missing_outcomes = 0;
  }
  for (r = 0; r < fit->nrows; r++) {
    const uint32_t *row = fit->rows + (uint64_t)r * (uint64_t)(fit->nf + 1);
    uint32_t y = row[fit->nf];
    for (i = 0; i < fit->nf; i++) {
      fit_factor *f = &fit->f[i];
      if (row[i] == FIT_MISSING_LEVEL) {
        f->missing_rows++;
        f->missing_outcomes += y;
      } else {
        f->levels[row[i]].rows++;
        f->levels[row[i]].outcomes += y;
      }
    }
  }
  return PF_OK;
}
