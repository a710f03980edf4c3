/*
** scorecard_encode.c: a collector as bytes and back (pf_fit_encode, pf_fit_decode), so a
** host can move parallel parts between processes (PostgreSQL's SERIALFUNC/DESERIALFUNC).
**
**   1. Layout, in the machine's byte order (the parts run the same binary): the factor
**      count; per factor its name, monotone mark and levels (kind, integer, double, text
**      or -1 for none); then the row count and the rows (level indexes and outcome).
**   2. Decoding rebuilds the dictionaries through the collector's own lookup
**      (fit_add_rows), so a decoded collector is the same as the one encoded; bytes that
**      do not follow the layout (a level index out of range, a short buffer) are PF_RANGE.
*/
#include "core_text.h"
#include "scorecard_internal.h"

#include <string.h>

static void put(pf_text *t, const void *p, size_t n) { pf_text_append(t, (const char *)p, n); }
static void put_i32(pf_text *t, int32_t x) { put(t, &x, sizeof x); }

static void put_factor(pf_text *t, const fit_factor *f) {
  uint32_t l;
  put_i32(t, f->name_n);
  if (f->name_n > 0) put(t, f->name, (size_t)f->name_n);
  put_i32(t, f->monotone);
  put(t, &f->nlevels, sizeof f->nlevels);
  for (l = 0; l < f->nlevels; l++) {
    const fit_level *v = &f->levels[l];
    put_i32(t, v->is_number);
    put_i32(t, v->is_int);
    put(t, &v->ivalue, sizeof v->ivalue);
    put(t, &v->value, sizeof v->value);
    put_i32(t, v->text ? v->text_n : -1);
    if (v->text) put(t, v->text, (size_t)v->text_n);
  }
}

int pf_fit_encode(const pf_fit *fit, char **out, uint64_t *n) {
  pf_text t = PF_TEXT_INIT;
  int i;
  put_i32(&t, fit->nf);
  for (i = 0; i < fit->nf; i++) put_factor(&t, &fit->f[i]);
  put(&t, &fit->nrows, sizeof fit->nrows);
  if (fit->nrows > 0)
    put(&t, fit->rows, sizeof(uint32_t) * (size_t)fit->nrows * (size_t)(fit->nf + 1));
  *n = t.n;
  *out = pf_text_finish(&t);
  return *out ? PF_OK : PF_NOMEM;
}

typedef struct reader {
  const char *p, *end;
  int bad;
} reader;

static const char *take(reader *r, uint64_t n) {
  const char *p = r->p;
  if (r->bad || (uint64_t)(r->end - r->p) < n) {
    r->bad = 1;
    return 0;
  }
  r->p += n;
  return p;
}

static int32_t take_i32(reader *r) {
  int32_t x = 0;
  const char *p = take(r, sizeof x);
  if (p) memcpy(&x, p, sizeof x);
  return x;
}

/* Factor f's name, mark and levels into fit and values[f] (texts point into the bytes). */
static int read_factor(reader *r, pf_fit *fit, int f, pf_fit_value **values, uint32_t *count) {
  int32_t name_n = take_i32(r);
  const char *name = name_n >= 0 ? take(r, (uint64_t)name_n) : 0;
  uint32_t l, nlevels = 0;
  const char *p;
  if (name == 0) return PF_RANGE;
  if (pf_fit_name(fit, f, name, name_n) != PF_OK) return PF_NOMEM;
  if (take_i32(r)) pf_fit_monotone(fit, f);
  if ((p = take(r, sizeof nlevels)) == 0) return PF_RANGE;
  memcpy(&nlevels, p, sizeof nlevels);
  if (nlevels > (uint64_t)(r->end - r->p) / 28) return PF_RANGE; /* 28: a level's least bytes */
  *count = nlevels;
  *values = pf_malloc(sizeof(pf_fit_value) * (uint64_t)(nlevels ? nlevels : 1));
  if (*values == 0) return PF_NOMEM;
  for (l = 0; l < nlevels; l++) {
    pf_fit_value *v = &(*values)[l];
    int32_t text_n;
    v->kind = take_i32(r) ? PF_FIT_NUMBER : PF_FIT_TEXT;
    v->num.is_int = take_i32(r) != 0;
    if ((p = take(r, sizeof v->num.i + sizeof v->num.d)) == 0) return PF_RANGE;
    memcpy(&v->num.i, p, sizeof v->num.i);
    memcpy(&v->num.d, p + sizeof v->num.i, sizeof v->num.d);
    text_n = take_i32(r);
    v->n = text_n < 0 ? 0 : text_n;
    v->text = text_n < 0 ? 0 : take(r, (uint64_t)text_n);
    if (r->bad || (v->kind == PF_FIT_TEXT && v->text == 0)) return PF_RANGE;
  }
  return PF_OK;
}

/* Every level index of the rows is one of its factor's, or missing; outcomes are 0 or 1. */
static int rows_valid(const uint32_t *rows, int64_t nrows, int nf, const uint32_t *counts) {
  uint64_t i, n = (uint64_t)nrows * (uint64_t)(nf + 1);
  for (i = 0; i < n; i++) {
    uint32_t f = (uint32_t)(i % (uint64_t)(nf + 1)), x = rows[i];
    if ((int)f == nf ? x > 1 : x != FIT_MISSING_LEVEL && x >= counts[f]) return 0;
  }
  return 1;
}

static int decode_into(reader *r, pf_fit *fit, pf_fit_value **values, uint32_t *counts) {
  int64_t nrows = 0;
  const char *p;
  uint32_t *rows;
  int f, rc;
  for (f = 0; f < fit->nf; f++)
    if ((rc = read_factor(r, fit, f, &values[f], &counts[f])) != PF_OK) return rc;
  if ((p = take(r, sizeof nrows)) == 0) return PF_RANGE;
  memcpy(&nrows, p, sizeof nrows);
  if (nrows < 0 || (uint64_t)(r->end - r->p) != (uint64_t)nrows * 4u * (uint64_t)(fit->nf + 1))
    return PF_RANGE;
  rows = pf_malloc((uint64_t)(r->end - r->p) + 1); /* aligned copy of the rows */
  if (rows == 0) return PF_NOMEM;
  memcpy(rows, r->p, (size_t)(r->end - r->p));
  rc = rows_valid(rows, nrows, fit->nf, counts) ? PF_OK : PF_RANGE;
  if (rc == PF_OK)
    rc = fit_add_rows(fit, (const pf_fit_value *const *)values, counts, rows, nrows);
  pf_free(rows);
  return rc;
}

int pf_fit_decode(const char *p, uint64_t n, pf_fit **out) {
  reader r = {p, p + n, 0};
  pf_fit_value *values[PF_FIT_MAX_FACTORS] = {0};
  uint32_t counts[PF_FIT_MAX_FACTORS] = {0};
  int32_t nf = take_i32(&r);
  int f, rc;
  *out = 0;
  if (r.bad || nf < 1 || nf > PF_FIT_MAX_FACTORS) return PF_RANGE;
  if ((*out = pf_fit_new(nf)) == 0) return PF_NOMEM;
  rc = decode_into(&r, *out, values, counts);
  for (f = 0; f < nf; f++) pf_free(values[f]);
  if (rc != PF_OK) {
    pf_fit_free(*out);
    *out = 0;
  }
  return rc;
}
