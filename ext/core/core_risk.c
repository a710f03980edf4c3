/*
** core_risk.c: risk_score's arithmetic and risk_explain's JSON for every host (rules in
** core_risk.h; the factors and curves are in core_risk_factors.c).
**
**   1. Terms are inserted in risk_model order as they are read, so the sums below do not
**      depend on the argument order; arguments already in that order move nothing.
**   2. The score adds each product's rounding error back (exact by fma): fewer roundings
**      than adding up the contributions, so round inputs give round scores (65 for
**      0.15 * 0.75 + 0.10 * 0.5 over 0.25, not 64.99999999999999).
**   3. With constant weights a score allocates nothing; only the explanation allocates.
*/
#include "core_risk.h"

#include "core_text.h"

#include <math.h>
#include <string.h>

/* ---- the weights argument ------------------------------------------------------------ */

static int weight_accepts(int i, double w) {
  (void)i;
  return w >= 0 && isfinite(w);
}

static const char *weight_expect(int i) {
  (void)i;
  return "a number >= 0";
}

static void factor_names(pf_text *t) {
  pf_text_names(t, pf_risk_factors, sizeof(pf_risk_factors[0]), pf_risk_factor_count, 0);
}

const pf_json_keys pf_risk_score_weights = {"risk_score", "weights", "factor",
                                            pf_risk_factor_find, weight_accepts,
                                            weight_expect, factor_names};
const pf_json_keys pf_risk_explain_weights = {"risk_explain", "weights", "factor",
                                              pf_risk_factor_find, weight_accepts,
                                              weight_expect, factor_names};

char *pf_risk_unknown_factor_message(const char *fn, const char *name, int n) {
  pf_text t = PF_TEXT_INIT;
  pf_text_cstr(&t, fn);
  pf_text_cstr(&t, ": unknown factor ");
  pf_text_sql_quote(&t, name, strnlen(name, (size_t)n), (size_t)-1);
  pf_text_cstr(&t, " (known: ");
  pf_text_names(&t, pf_risk_factors, sizeof(pf_risk_factors[0]), pf_risk_factor_count,
                "weights");
  pf_text_char(&t, ')');
  return pf_text_finish(&t);
}

/* ---- the terms ----------------------------------------------------------------------- */

void pf_risk_input_init(pf_risk_input *in) {
  in->n = 0;
  in->named = 0;
  in->weights.seen = 0;
  in->score = 0;
}

int pf_risk_name(pf_risk_input *in, int k) {
  if (in->named & (1u << k)) return 0;
  in->named |= 1u << k;
  return 1;
}

/* Moves the term just filled at in->term[in->n] to its place in risk_model order. */
static void commit(pf_risk_input *in, int k) {
  int j;
  in->term[in->n].factor = k;
  for (j = in->n++; j > 0 && in->term[j - 1].factor > k; j--) {
    pf_risk_term swap = in->term[j];
    in->term[j] = in->term[j - 1];
    in->term[j - 1] = swap;
  }
}

int pf_risk_add_number(pf_risk_input *in, int k, const pf_num *value) {
  pf_risk_term *t = &in->term[in->n];
  if (!pf_risk_value_in_range(k, value->d)) return 0;
  t->num = *value;
  t->name = 0;
  t->name_n = 0;
  t->risk = pf_risk_factors[k].curve(value->d);
  commit(in, k);
  return 1;
}

void pf_risk_add_industry_name(pf_risk_input *in, int k, const char *z, int n) {
  pf_risk_term *t = &in->term[in->n];
  memset(&t->num, 0, sizeof(t->num));
  t->name = z;
  t->name_n = n;
  t->risk = pf_industry_rating(z, n);
  commit(in, k);
}

/* ---- the score ----------------------------------------------------------------------- */

int pf_risk_compute(pf_risk_input *in) {
  pf_acc score;
  double wmax = 0, sum = 0, scale = 1, product_errors = 0;
  int i;
  for (i = 0; i < in->n; i++) {
    int k = in->term[i].factor;
    double w = (in->weights.seen & (1u << k)) ? in->weights.value[k] : pf_risk_factors[k].weight;
    in->term[i].weight = w;
    if (w > wmax) wmax = w;
  }
  if (wmax == 0) return 0;
  /* The terms are >= 0 and at most 32: a plain sum is within 32 ulp, no cancellation.
  ** Only weights near DBL_MAX overflow it; those are scaled down first. */
  for (i = 0; i < in->n; i++) sum += in->term[i].weight;
  if (!isfinite(sum)) {
    scale = wmax;
    for (sum = 0, i = 0; i < in->n; i++) sum += in->term[i].weight / scale;
  }
  memset(&score, 0, sizeof(score));
  for (i = 0; i < in->n; i++) {
    pf_risk_term *t = &in->term[i];
    double w = t->weight / scale, product = w * t->risk;
    t->applied = w / sum;
    t->contribution = 100.0 * t->applied * t->risk;
    pf_acc_add_double(&score, product);
    product_errors += fma(w, t->risk, -product);
  }
  pf_acc_add_double(&score, product_errors);
  in->score = fmin(100.0, fmax(0.0, 100.0 * pf_acc_value(&score) / sum));
  return 1;
}

/* ---- the explanation ----------------------------------------------------------------- */

static void json_term(pf_text *s, const pf_risk_term *t, int scored) {
  pf_text_cstr(s, "{\"factor\":\"");
  pf_text_cstr(s, pf_risk_factors[t->factor].name);
  pf_text_cstr(s, "\",\"value\":");
  if (t->name)
    pf_text_json_string(s, t->name, (size_t)t->name_n);
  else if (t->num.is_int)
    pf_text_int(s, t->num.i);
  else
    pf_text_real(s, t->num.d);
  pf_text_cstr(s, ",\"risk\":");
  pf_text_real(s, t->risk);
  if (!scored) {
    pf_text_cstr(s, ",\"weight\":null,\"contribution\":null}");
    return;
  }
  pf_text_cstr(s, ",\"weight\":");
  pf_text_real(s, t->applied);
  pf_text_cstr(s, ",\"contribution\":");
  pf_text_real(s, t->contribution);
  pf_text_char(s, '}');
}

/* Largest contribution first; equal ones in risk_model order. Insertion sort: n <= 32. */
static void sort_terms(pf_risk_input *in) {
  int i, j;
  for (i = 1; i < in->n; i++) {
    pf_risk_term t = in->term[i];
    for (j = i; j > 0; j--) {
      const pf_risk_term *p = &in->term[j - 1];
      if (p->contribution > t.contribution ||
          (p->contribution == t.contribution && p->factor < t.factor))
        break;
      in->term[j] = in->term[j - 1];
    }
    in->term[j] = t;
  }
}

char *pf_risk_explain_json(pf_risk_input *in, int scored) {
  pf_text s = PF_TEXT_INIT;
  unsigned given = 0;
  int i, first = 1;
  if (scored) sort_terms(in);
  pf_text_cstr(&s, "{\"score\":");
  if (scored)
    pf_text_real(&s, in->score);
  else
    pf_text_cstr(&s, "null");
  pf_text_cstr(&s, ",\"factors\":[");
  for (i = 0; i < in->n; i++) {
    if (i) pf_text_char(&s, ',');
    json_term(&s, &in->term[i], scored);
    given |= 1u << in->term[i].factor;
  }
  pf_text_cstr(&s, "],\"missing\":[");
  for (i = 0; i < pf_risk_factor_count; i++) {
    if (given & (1u << i)) continue;
    if (!first) pf_text_char(&s, ',');
    pf_text_char(&s, '"');
    pf_text_cstr(&s, pf_risk_factors[i].name);
    pf_text_char(&s, '"');
    first = 0;
  }
  pf_text_cstr(&s, "]}");
  return pf_text_finish(&s);
}
