/*
** core_risk_learnt.c: one account scored and explained with a learnt model (rules in
** core_risk_learnt.h); the model's structure and lookups are core_risk_model.c's.
**
**   1. A row lives on the host's stack and allocates nothing until the explanation.
**   2. Points are added in model order whatever the argument order, so the score does not
**      depend on it.
*/
#include "core_risk_learnt.h"

#include "core_risk.h"
#include "core_text.h"

#include <string.h>

void pf_model_tag_builtins(pf_model *m) {
  int f;
  for (f = 0; f < m->nfactors; f++) {
    pf_model_factor *x = &m->factors[f];
    x->tag = x->kind == PF_MODEL_NUMERIC ? pf_risk_factor_find(x->name, (int)strlen(x->name))
                                         : -1;
  }
}

void pf_model_row_init(pf_model_row *r, const pf_model *m) {
  int n = m->nfactors;
  r->m = m;
  memset(r->named, 0, (size_t)n);
  memset(r->given, 0, (size_t)n);
  r->z = 0;
}

int pf_model_row_name(pf_model_row *r, int k) {
  if (r->named[k]) return 0;
  r->named[k] = 1;
  return 1;
}

void pf_model_row_number(pf_model_row *r, int k, const pf_num *value) {
  r->given[k] = 1;
  r->num[k] = *value;
}

void pf_model_row_text(pf_model_row *r, int k, const char *z, int n) {
  r->given[k] = 1;
  r->text[k] = z;
  r->text_n[k] = n;
}

void pf_model_row_score(pf_model_row *r) {
  const pf_model *m = r->m;
  int k;
  r->z = m->intercept;
  for (k = 0; k < m->nfactors; k++) {
    const pf_model_factor *x = &m->factors[k];
    if (!r->given[k])
      r->bin[k] = x->missing_bin;
    else if (x->kind == PF_MODEL_CATEGORICAL)
      r->bin[k] = pf_model_bin_of_text(x, r->text[k], r->text_n[k]);
    else
      r->bin[k] = pf_model_bin_of_number(x, r->num[k].d);
    if (r->bin[k] >= 0) r->z += x->bins[r->bin[k]].points;
  }
}

static double points_of(const pf_model_row *r, int k) {
  return r->bin[k] >= 0 ? r->m->factors[k].bins[r->bin[k]].points : 0.0;
}

static void json_name(pf_text *s, const char *z) { pf_text_json_string(s, z, strlen(z)); }

static void json_factor(pf_text *s, const pf_model_row *r, int k) {
  const pf_model_factor *x = &r->m->factors[k];
  const pf_model_bin *b = r->bin[k] >= 0 ? &x->bins[r->bin[k]] : 0;
  pf_text_cstr(s, "{\"factor\":");
  json_name(s, x->name);
  pf_text_cstr(s, ",\"value\":");
  if (!r->given[k])
    pf_text_cstr(s, "null");
  else if (x->kind == PF_MODEL_CATEGORICAL)
    pf_text_json_string(s, r->text[k], (size_t)r->text_n[k]);
  else if (r->num[k].is_int)
    pf_text_int(s, r->num[k].i);
  else
    pf_text_real(s, r->num[k].d);
  pf_text_cstr(s, ",\"bin\":");
  if (b)
    json_name(s, b->label);
  else
    pf_text_cstr(s, "null");
  pf_text_cstr(s, ",\"points\":");
  pf_text_real(s, points_of(r, k));
  pf_text_cstr(s, ",\"outcome_rate\":");
  if (b)
    pf_text_real(s, b->outcome_rate);
  else
    pf_text_cstr(s, "null");
  pf_text_char(s, '}');
}

char *pf_model_row_explain_json(const pf_model_row *r) {
  pf_text s = PF_TEXT_INIT;
  int order[PF_MODEL_MAX_FACTORS];
  int i, j, first = 1, n = r->m->nfactors;
  double p = pf_model_probability(r->z);
  /* Largest points first, equal points in model order (insertion sort: a few factors). */
  for (i = 0; i < n; i++) {
    for (j = i; j > 0 && points_of(r, order[j - 1]) < points_of(r, i); j--)
      order[j] = order[j - 1];
    order[j] = i;
  }
  pf_text_cstr(&s, "{\"score\":");
  pf_text_real(&s, 100.0 * p);
  pf_text_cstr(&s, ",\"probability\":");
  pf_text_real(&s, p);
  pf_text_cstr(&s, ",\"intercept\":");
  pf_text_real(&s, r->m->intercept);
  pf_text_cstr(&s, ",\"factors\":[");
  for (i = 0; i < n; i++) {
    if (i) pf_text_char(&s, ',');
    json_factor(&s, r, order[i]);
  }
  pf_text_cstr(&s, "],\"missing\":[");
  for (i = 0; i < n; i++) {
    if (r->given[i]) continue;
    if (!first) pf_text_char(&s, ',');
    json_name(&s, r->m->factors[i].name);
    first = 0;
  }
  pf_text_cstr(&s, "]}");
  return pf_text_finish(&s);
}

char *pf_model_unknown_factor_message(const char *fn, const pf_model *m, const char *name,
                                      int n) {
  pf_text t = PF_TEXT_INIT;
  int f;
  pf_text_cstr(&t, fn);
  pf_text_cstr(&t, ": unknown factor ");
  pf_text_sql_quote(&t, name, strnlen(name, (size_t)n), (size_t)-1);
  pf_text_cstr(&t, " (the model's factors: ");
  for (f = 0; f < m->nfactors; f++) {
    if (f) pf_text_cstr(&t, ", ");
    pf_text_cstr(&t, m->factors[f].name);
  }
  pf_text_char(&t, ')');
  return pf_text_finish(&t);
}
