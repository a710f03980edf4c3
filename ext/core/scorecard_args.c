/*
** scorecard_args.c: risk_fit's argument rules and messages, shared by the SQLite host
** (ext/sqlite/risk_fit*.c) and the PostgreSQL host (postgres/pg_risk_fit.c), so both refuse
** the same calls in the same words (spec/sql-api.md, "Learning the risk model from history").
**
**   1. A factor name is letters, digits and '_', starting with a letter, at most 64
**      characters; not 'weights' or 'model' (risk_score's arguments) nor 'options' (which
**      must be the last pair); no name twice. Names compare ignoring ASCII case only.
**   2. (TEXT as a number: pf_fit_text_value, in scorecard_collect.c, which tests it.)
**   3. Options: a JSON object read by the core's strict reader, keys bins (a whole number
**      2-20), min_share (0-0.5), l2 (>= 0), monotone (an array of this call's factor
**      names); errors read "risk_fit: options: <key> must be <rule>, got <as written>".
*/
#include "core_risk.h"
#include "core_text.h"
#include "json_reader.h"
#include "pf_host.h"
#include "scorecard.h"

#include <math.h>
#include <string.h>

/* "risk_fit: " a z[0..n) b, or NULL when out of memory. */
static char *say(const char *a, const char *z, size_t n, const char *b) {
  pf_text t = PF_TEXT_INIT;
  pf_text_cstr(&t, PF_FIT_FN ": ");
  pf_text_cstr(&t, a);
  pf_text_append(&t, z, n);
  pf_text_cstr(&t, b);
  return pf_text_finish(&t);
}

static int fail(char **message, char *z) {
  *message = z;
  return z ? PF_FIT_ERROR : PF_NOMEM;
}

static int is_factor_name(const char *z, int n) {
  int i;
  if (n < 1 || n > 64) return 0;
  if (!((z[0] | 0x20) >= 'a' && (z[0] | 0x20) <= 'z')) return 0;
  for (i = 1; i < n; i++) {
    unsigned char c = (unsigned char)z[i];
    if (!(((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || (c >= '0' && c <= '9') || c == '_'))
      return 0;
  }
  return 1;
}

int pf_fit_is_options(const char *z, int n) { return z && pf_name_is(z, n, "options"); }

int pf_fit_same_name(const pf_fit *fit, int f, const char *z, int n) {
  int gn, i;
  const char *name = pf_fit_factor_name(fit, f, &gn);
  if (z == 0 || n != gn) return 0;
  if (memcmp(z, name, (size_t)n) == 0) return 1; /* the usual case: the same bytes */
  for (i = 0; i < n; i++) {
    unsigned char a = (unsigned char)z[i], b = (unsigned char)name[i];
    if (a >= 'A' && a <= 'Z') a |= 0x20;
    if (b >= 'A' && b <= 'Z') b |= 0x20;
    if (a != b) return 0;
  }
  return 1;
}

int pf_fit_first_name(pf_fit *fit, int f, const char *z, int n, char **message) {
  int g;
  *message = 0;
  if (z == 0 || !is_factor_name(z, n)) return PF_FIT_BAD_NAME;
  if (pf_fit_is_options(z, n))
    return fail(message, say("'options' must be the last pair of arguments", "", 0, ""));
  if (pf_name_is(z, n, "weights") || pf_name_is(z, n, "model"))
    return fail(message, say("'", z, (size_t)n,
                             "' cannot be a factor name (it is an argument of risk_score)"));
  for (g = 0; g < f; g++)
    if (pf_fit_same_name(fit, g, z, n))
      return fail(message, say("factor '", z, (size_t)n, "' is named twice"));
  return pf_fit_name(fit, f, z, n);
}

int pf_fit_builtin_ok(int k, const pf_fit_value *v, const char **must) {
  const pf_risk_factor *f = &pf_risk_factors[k];
  if (v->kind == PF_FIT_TEXT) {
    *must = "a number";
    return f->industry_names;
  }
  *must = f->range;
  return !(v->num.d < f->min || v->num.d > f->max || (f->whole && v->num.d != floor(v->num.d)));
}

void pf_fit_default_options(pf_fit_options *o) {
  o->bins = PF_FIT_DEFAULT_BINS;
  o->min_share = PF_FIT_DEFAULT_MIN_SHARE;
  o->l2 = PF_FIT_DEFAULT_L2;
}

/* "risk_fit: options: <key> must be <rule>, got <the JSON value as written>". */
static int bad_option(char **message, const char *key, const char *rule, const pf_json_node *v) {
  pf_text t = PF_TEXT_INIT;
  pf_text_cstr(&t, PF_FIT_FN ": options: ");
  pf_text_cstr(&t, key);
  pf_text_cstr(&t, " must be ");
  pf_text_cstr(&t, rule);
  pf_text_cstr(&t, ", got ");
  pf_text_append(&t, v->source, v->source_len);
  return fail(message, pf_text_finish(&t));
}

static int read_monotone(pf_fit *fit, const pf_json_node *array, char **message) {
  const pf_json_node *c;
  int f, nf = pf_fit_factors(fit);
  if (array->kind != PF_JSON_ARRAY)
    return bad_option(message, "monotone", "an array of factor names", array);
  for (c = array->first; c; c = c->next) {
    if (c->kind != PF_JSON_STRING)
      return bad_option(message, "monotone", "an array of factor names", c);
    for (f = 0; f < nf; f++)
      if (c->string_len < 65 && pf_fit_same_name(fit, f, c->string, (int)c->string_len)) break;
    if (f == nf)
      return fail(message, say("options: monotone names ", c->source, c->source_len,
                               ", which is not a factor of this call"));
    pf_fit_monotone(fit, f);
  }
  return PF_OK;
}

static int read_key(pf_fit *fit, const pf_json_node *m, pf_fit_options *o, char **message) {
  double d = m->number;
  int number = m->kind == PF_JSON_NUMBER;
  if (strcmp(m->key, "bins") == 0) {
    if (!number || d != floor(d) || d < 2 || d > 20)
      return bad_option(message, "bins", "a whole number from 2 to 20", m);
    o->bins = (int)d;
  } else if (strcmp(m->key, "min_share") == 0) {
    if (!number || !(d >= 0 && d <= 0.5))
      return bad_option(message, "min_share", "a number from 0 to 0.5", m);
    o->min_share = d;
  } else if (strcmp(m->key, "l2") == 0) {
    if (!number || !(d >= 0)) return bad_option(message, "l2", "a number >= 0", m);
    o->l2 = d;
  } else if (strcmp(m->key, "monotone") == 0) {
    return read_monotone(fit, m, message);
  } else {
    pf_text t = PF_TEXT_INIT;
    pf_text_cstr(&t, PF_FIT_FN ": options: unknown key ");
    pf_text_sql_quote(&t, m->key, strlen(m->key), (size_t)-1);
    pf_text_cstr(&t, " (known: bins, min_share, l2, monotone)");
    return fail(message, pf_text_finish(&t));
  }
  return PF_OK;
}

/* "risk_fit: options must be a JSON object<why>, got '<text>'". */
static int not_an_object(char **message, const char *why, const char *text, size_t n) {
  pf_text t = PF_TEXT_INIT;
  pf_text_cstr(&t, PF_FIT_FN ": options must be a JSON object");
  pf_text_cstr(&t, why);
  pf_text_cstr(&t, ", got ");
  pf_text_sql_quote(&t, text, n, PF_QUOTE_MAX);
  return fail(message, pf_text_finish(&t));
}

int pf_fit_parse_options(pf_fit *fit, const char *text, size_t n, pf_fit_options *o,
                         char **message) {
  pf_json_doc *doc = 0;
  pf_json_error err;
  const pf_json_node *m;
  int rc;
  *message = 0;
  pf_fit_default_options(o);
  rc = pf_json_parse(text, n, &doc, &err);
  if (rc == PF_JSON_NOMEM) return PF_NOMEM;
  if (rc != PF_JSON_OK) {
    pf_text why = PF_TEXT_INIT;
    char *z;
    pf_text_cstr(&why, " (");
    pf_text_cstr(&why, pf_json_problem_text(err.problem));
    pf_text_cstr(&why, " at byte ");
    pf_text_int(&why, (int64_t)err.offset);
    pf_text_cstr(&why, ")");
    z = pf_text_finish(&why);
    if (z == 0) return PF_NOMEM;
    rc = not_an_object(message, z, text, n);
    pf_free(z);
    return rc;
  }
  rc = doc->root->kind == PF_JSON_OBJECT ? PF_OK : not_an_object(message, "", text, n);
  for (m = rc == PF_OK ? doc->root->first : 0; m && rc == PF_OK; m = m->next)
    rc = read_key(fit, m, o, message);
  pf_json_free(doc);
  return rc;
}

char *pf_fit_run_message(const pf_fit *fit, int rc, int detail) {
  pf_text t = PF_TEXT_INIT;
  int n;
  const char *name;
  switch (rc) {
    case PF_FIT_TOO_MANY_BINS:
      pf_text_cstr(&t, PF_FIT_FN ": the model would have ");
      pf_text_int(&t, detail);
      pf_text_cstr(&t, " bins, more than ");
      pf_text_int(&t, PF_FIT_MAX_TOTAL_BINS);
      pf_text_cstr(&t, "; raise min_share or group rare categories");
      return pf_text_finish(&t);
    case PF_FIT_NO_CONVERGENCE:
      return say("the fit does not converge with l2 = 0 (some bins separate the outcomes "
                 "completely); use an l2 above 0", "", 0, "");
    case PF_FIT_SINGULAR:
      return say("with l2 = 0 some factors' bins duplicate each other, so the fit has no "
                 "single answer; use an l2 above 0", "", 0, "");
    case PF_FIT_MONOTONE_CATEGORICAL:
      name = pf_fit_factor_name(fit, detail, &n);
      return say("monotone factor '", name, (size_t)n,
                 "' is categorical (it has TEXT values), so its bins have no order");
    default:
      return 0;
  }
}
