/*
** scorecard_collect.c: collecting risk_fit's rows.
**
**   1. Each factor has a dictionary from the value as it was given to a level index: an
**      INTEGER, a REAL and a TEXT are different entries even when they read as the same
**      number (12, 12.0, '12'), so that a factor that turns out categorical reads each as
**      its own text, whatever came first. One open-addressing table of 16-byte slots per
**      factor holds them (a number's bits, or a TEXT's hash whose level's text is then
**      compared), which stays in the caches: the lookup per row and factor was a fifth of
**      risk_fit's time over a million rows through the general pf_table, whose larger
**      entries did not. INTEGERs from 0 to FIT_SMALL_INTS - 1 go by direct index into a
**      small array.
**   2. A row is stored as one uint32 level index per factor (FIT_MISSING_LEVEL for a missing
**      value) followed by its outcome: the rows grow by doubling, so a row costs one
**      dictionary lookup per factor and no allocation of its own once the capacity is there.
**   3. Counts per level are taken only when the fit runs (fit_count_levels), in one pass.
**   4. Rows move between collectors (a host's parallel parts) by their levels: each level
**      of the source is looked up (or added) once in the destination's dictionary, then
**      the rows are copied with their indexes mapped, so merging costs a lookup per
**      distinct value, not per row. The model depends only on the rows (rule 2 of
**      scorecard.h), so it does not matter which part a row came from.
**   5. TEXT that reads as a number in full (core_text.h rule 4) is that number, kept with
**      its text; an integral text of 9.2e18 or more is a double, like a REAL. The test
**      (pf_fit_text_value) runs when a TEXT is first seen (add_level), so a host may pass
**      TEXT untested; the hosts also call it for built-in factors, whose range they check.
*/
#include "core_text.h"
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
    pf_free(f->slots);
    pf_free(f->small_ints);
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

int pf_fit_factors(const pf_fit *fit) { return fit->nf; }

int64_t pf_fit_count(const pf_fit *fit, int outcome) { return fit->count[outcome ? 1 : 0]; }

int pf_fit_categorical(const pf_fit *fit, int f) { return fit->f[f].categorical; }

/* Appends a new level for value v; its index is f->nlevels - 1. */
/* Rule 5. */
int pf_fit_text_value(const char *z, int n, pf_fit_value *out) {
  int rc = pf_text_to_number(z, (size_t)n, &out->num);
  out->text = z;
  out->n = n;
  out->kind = PF_FIT_TEXT;
  if (rc == -2) return PF_NOMEM;
  if (rc != 1) return PF_OK; /* not a number, or beyond the double range: a category */
  out->kind = PF_FIT_NUMBER;
  if (out->num.is_int && !(out->num.i > -9.2e18 && out->num.i < 9.2e18)) {
    out->num.is_int = 0;
    out->num.i = 0;
  }
  return PF_OK;
}

static int add_level(fit_factor *f, const pf_fit_value *v) {
  fit_level *l;
  pf_fit_value parsed;
  if (v->kind == PF_FIT_TEXT) { /* maybe not tested as a number yet (scorecard.h) */
    if (pf_fit_text_value(v->text, v->n, &parsed) != PF_OK) return PF_NOMEM;
    v = &parsed;
  }
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

static uint64_t mix_bits(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ull;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

/* A TEXT's hash, eight bytes at a time (only the slot it goes in depends on it). The last
** word overlaps the one before; under 8 bytes, two overlapping 4-byte words, or bytes 0,
** n / 2 and n - 1: with n in the hash, the words still determine the text. */
static uint64_t text_hash(const char *z, int n) {
  uint64_t h = 0x9e3779b97f4a7c15ull ^ (uint64_t)n, w;
  uint32_t lo, hi;
  int i;
  if (n >= 8) {
    for (i = 0; i + 8 < n; i += 8) {
      memcpy(&w, z + i, 8);
      h = mix_bits(h ^ w);
    }
    memcpy(&w, z + n - 8, 8);
  } else if (n >= 4) {
    memcpy(&lo, z, 4);
    memcpy(&hi, z + n - 4, 4);
    w = lo | (uint64_t)hi << 32;
  } else {
    w = n == 0 ? 0 : (unsigned char)z[0] | (uint64_t)(unsigned char)z[n / 2] << 8 |
                          (uint64_t)(unsigned char)z[n - 1] << 16;
  }
  return mix_bits(h ^ w);
}

/* Doubles the table of values (64 slots at first). */
static int grow_slots(fit_factor *f) {
  uint64_t cap = f->slots_cap ? f->slots_cap * 2 : 64, i, j;
  fit_value_slot *slots = pf_malloc(sizeof(*slots) * cap);
  if (slots == 0) return PF_NOMEM;
  memset(slots, 0, sizeof(*slots) * cap);
  for (i = 0; i < f->slots_cap; i++) {
    const fit_value_slot *s = &f->slots[i];
    if (s->kind == FIT_SLOT_EMPTY) continue;
    for (j = mix_bits(s->bits ^ s->kind) & (cap - 1); slots[j].kind; j = (j + 1) & (cap - 1)) {
    }
    slots[j] = *s;
  }
  pf_free(f->slots);
  f->slots = slots;
  f->slots_cap = cap;
  return PF_OK;
}

/* level_of for an INTEGER in [0, FIT_SMALL_INTS): a direct index, no hashing. */
static int small_int_level(fit_factor *f, const pf_fit_value *v, uint32_t *index) {
  uint32_t *slot;
  if (f->small_ints == 0) {
    f->small_ints = pf_malloc(sizeof(uint32_t) * FIT_SMALL_INTS);
    if (f->small_ints == 0) return PF_NOMEM;
    memset(f->small_ints, 0, sizeof(uint32_t) * FIT_SMALL_INTS);
  }
  slot = &f->small_ints[v->num.i];
  if (*slot == 0) {
    if (add_level(f, v) != PF_OK) return PF_NOMEM;
    *slot = f->nlevels; /* the new level's index + 1 */
  }
  *index = *slot - 1;
  return PF_OK;
}

/* 1 when slot s holds value v (bits and kind as level_of made them). */
static int slot_holds(const fit_factor *f, const fit_value_slot *s, uint64_t bits, uint32_t kind,
                      const pf_fit_value *v) {
  const fit_level *l;
  if (s->bits != bits || s->kind != kind) return 0;
  if (kind != FIT_SLOT_TEXT) return 1;
  l = &f->levels[s->level];
  return l->text_n == v->n && pf_fit_same_bytes(l->text, v->text, v->n);
}

/* The level index of value v in factor f, adding it when new (rule 1). Inlined into the
** per-row loop of pf_fit_row: 8 calls a row for 8 factors were 1 % of the bench's run. */
static inline __attribute__((always_inline)) int level_of(fit_factor *f, const pf_fit_value *v,
                                                         uint32_t *index) {
  uint32_t kind;
  uint64_t bits, j, mask;
  fit_value_slot *s;
  if (v->kind == PF_FIT_MISSING) {
    *index = FIT_MISSING_LEVEL;
    return PF_OK;
  }
  if (v->text) {
    kind = FIT_SLOT_TEXT;
    bits = text_hash(v->text, v->n);
  } else if (v->num.is_int) {
    if (v->num.i >= 0 && v->num.i < FIT_SMALL_INTS) return small_int_level(f, v, index);
    kind = FIT_SLOT_INTEGER;
    bits = (uint64_t)v->num.i;
  } else {
    double d = v->num.d == 0 ? 0.0 : v->num.d;
    kind = FIT_SLOT_REAL;
    memcpy(&bits, &d, sizeof(bits));
  }
  if (f->slots_count * 2 >= f->slots_cap && grow_slots(f) != PF_OK) return PF_NOMEM;
  mask = f->slots_cap - 1;
  for (j = mix_bits(bits ^ kind) & mask; (s = &f->slots[j])->kind; j = (j + 1) & mask) {
    if (slot_holds(f, s, bits, kind, v)) {
      *index = s->level;
      return PF_OK;
    }
  }
  if (add_level(f, v) != PF_OK) return PF_NOMEM;
  s->bits = bits;
  s->kind = kind;
  s->level = f->nlevels - 1;
  f->slots_count++;
  *index = s->level;
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

/* ---- moving rows between collectors (pf_fit_merge, pf_fit_encode, pf_fit_decode) ------ */

/* Level l of f as the value that made it. */
void fit_level_value(const fit_level *l, pf_fit_value *v) {
  v->kind = l->is_number ? PF_FIT_NUMBER : PF_FIT_TEXT;
  v->num.is_int = l->is_int;
  v->num.i = l->ivalue;
  v->num.d = l->value;
  v->text = l->text;
  v->n = l->text_n;
}

/* Appends nrows rows of src's shape (nf level indexes and the outcome each), whose level
** indexes are mapped to dst's by map[f][index]. */
static int append_rows(pf_fit *dst, uint32_t *const *map, const uint32_t *rows, int64_t nrows) {
  int64_t r;
  int i, nf = dst->nf;
  for (r = 0; r < nrows; r++) {
    const uint32_t *from = rows + (uint64_t)r * (uint64_t)(nf + 1);
    uint32_t *to;
    if (reserve_row(dst) != PF_OK) return PF_NOMEM;
    to = dst->rows + (uint64_t)dst->nrows * (uint64_t)(nf + 1);
    for (i = 0; i < nf; i++) to[i] = from[i] == FIT_MISSING_LEVEL ? FIT_MISSING_LEVEL : map[i][from[i]];
    to[nf] = from[nf] ? 1u : 0u;
    dst->nrows++;
    dst->count[to[nf]]++;
  }
  return PF_OK;
}

/* map[f][l]: dst's level for level l of values[f][0..counts[f]), adding missing ones. */
static int map_levels(pf_fit *dst, const pf_fit_value *const *values, const uint32_t *counts,
                      uint32_t **map) {
  int i;
  uint32_t l;
  for (i = 0; i < dst->nf; i++) {
    map[i] = pf_malloc(sizeof(uint32_t) * (uint64_t)(counts[i] ? counts[i] : 1));
    if (map[i] == 0) return PF_NOMEM;
    for (l = 0; l < counts[i]; l++)
      if (level_of(&dst->f[i], &values[i][l], &map[i][l]) != PF_OK) return PF_NOMEM;
  }
  return PF_OK;
}

static void free_maps(uint32_t **map, int nf) {
  int i;
  for (i = 0; i < nf; i++) pf_free(map[i]);
}

int fit_add_rows(pf_fit *dst, const pf_fit_value *const *values, const uint32_t *counts,
                 const uint32_t *rows, int64_t nrows) {
  uint32_t *map[PF_FIT_MAX_FACTORS] = {0};
  int rc = map_levels(dst, values, counts, map);
  if (rc == PF_OK) rc = append_rows(dst, map, rows, nrows);
  free_maps(map, dst->nf);
  return rc;
}

int pf_fit_merge(pf_fit *dst, const pf_fit *src) {
  uint32_t counts[PF_FIT_MAX_FACTORS];
  pf_fit_value *values[PF_FIT_MAX_FACTORS] = {0};
  int i, rc = PF_OK;
  uint32_t l;
  for (i = 0; i < src->nf && rc == PF_OK; i++) {
    counts[i] = src->f[i].nlevels;
    values[i] = pf_malloc(sizeof(pf_fit_value) * (uint64_t)(counts[i] ? counts[i] : 1));
    if (values[i] == 0) rc = PF_NOMEM;
    for (l = 0; rc == PF_OK && l < counts[i]; l++) fit_level_value(&src->f[i].levels[l], &values[i][l]);
  }
  if (rc == PF_OK)
    rc = fit_add_rows(dst, (const pf_fit_value *const *)values, counts, src->rows, src->nrows);
  for (i = 0; i < src->nf; i++) pf_free(values[i]);
  return rc;
}
