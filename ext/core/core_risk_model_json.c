/*
** core_risk_model_json.c: reading risk_fit's model JSON into the scoring structure
** (pf_model_parse in risk_model.h).
**
** Rules (the shape is the "Learning the risk model from history" section of the spec):
**   1. The text must be one JSON object (strict: the core JSON reader's rules, json_reader.h). Required:
**      "model" = "portfolio-risk-scorecard", "version" = 1, "intercept" (a number) and
**      "factors" (an array). Each factor needs "factor" (a name: a letter, then letters,
**      digits or _, at most 64), "kind" ("numeric" or "categorical") and "bins" (an array).
**      Each bin needs "bin" (text), "accounts" (a whole number >= 0), "outcome_rate"
**      (0-1) and "points" (a finite number).
**   2. A bin is the missing bin when "missing" is true, the other bin when "other" is true,
**      a category when it has "value" (text), else a numeric range with optional "lower"
**      and "upper". Keys the scorer does not use ("accounts" at the top, "fit", ...) are
**      not checked, so a model stays readable when risk_fit adds keys.
**   3. Every message says where the problem is: "factor 'tenure' bin 2 has no \"points\"".
*/
#include "json_reader.h"
#include "pf_host.h"
#include "risk_model.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int fail(char *err, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(err, PF_MODEL_ERR_SIZE, fmt, ap);
  va_end(ap);
  return PF_MODEL_BAD;
}

/* The number at key of obj into *out. 1, or 0 when absent or not a number. */
static int number_at(const pf_json_node *obj, const char *key, double *out) {
  const pf_json_node *v = pf_json_get(obj, key);
  if (v == 0 || v->kind != PF_JSON_NUMBER) return 0;
  *out = v->number;
  return 1;
}

static int is_true(const pf_json_node *obj, const char *key) {
  const pf_json_node *v = pf_json_get(obj, key);
  return v && v->kind == PF_JSON_TRUE;
}

static int valid_name(const char *z, int n) {
  int i;
  if (n < 1 || n > 64 || !((z[0] | 0x20) >= 'a' && (z[0] | 0x20) <= 'z')) return 0;
  for (i = 1; i < n; i++) {
    char c = z[i];
    if (!((c | 0x20) >= 'a' && (c | 0x20) <= 'z') && !(c >= '0' && c <= '9') && c != '_')
      return 0;
  }
  return 1;
}

/* Rule 2 and the required keys of rule 1 for bin b (1-based in messages) of factor name. */
static int read_bin(const pf_json_node *j, const char *name, int b, pf_model_bin *bin,
                    char *err) {
  const pf_json_node *label, *value;
  double accounts;
  memset(bin, 0, sizeof(*bin));
  if (j->kind != PF_JSON_OBJECT)
    return fail(err, "factor '%s' bin %d must be a JSON object", name, b);
  label = pf_json_get(j, "bin");
  value = pf_json_get(j, "value");
  if (label == 0 || label->kind != PF_JSON_STRING)
    return fail(err, "factor '%s' bin %d has no \"bin\" %s", name, b, "text");
  if (!number_at(j, "points", &bin->points))
    return fail(err, "factor '%s' bin %d has no \"points\" %s", name, b, "number");
  if (!number_at(j, "outcome_rate", &bin->outcome_rate) || bin->outcome_rate < 0 ||
      bin->outcome_rate > 1)
    return fail(err, "factor '%s' bin %d has no \"outcome_rate\" %s", name, b, "from 0 to 1");
  if (!number_at(j, "accounts", &accounts) || accounts < 0 || accounts != floor(accounts) ||
      accounts > 9e15)
    return fail(err, "factor '%s' bin %d has no \"accounts\" %s", name, b, "count");
  bin->accounts = (int64_t)accounts;
  bin->label = (char *)label->string;
  if (is_true(j, "missing")) {
    bin->kind = PF_BIN_MISSING;
  } else if (is_true(j, "other")) {
    bin->kind = PF_BIN_OTHER;
  } else if (value) {
    if (value->kind != PF_JSON_STRING)
      return fail(err, "factor '%s' bin %d has a \"value\" that is not %s", name, b, "text");
    bin->kind = PF_BIN_VALUE;
    bin->value = (char *)value->string;
    bin->value_n = (int)value->string_len;
  } else {
    bin->kind = PF_BIN_RANGE;
    bin->has_lower = number_at(j, "lower", &bin->lower);
    bin->has_upper = number_at(j, "upper", &bin->upper);
    if ((pf_json_get(j, "lower") && !bin->has_lower) ||
        (pf_json_get(j, "upper") && !bin->has_upper))
      return fail(err, "factor '%s' bin %d has a \"lower\" or \"upper\" that is not %s", name,
                  b, "a number");
  }
  return PF_OK;
}

static int read_factor(pf_model *m, int f, const pf_json_node *j, char *err) {
  const pf_json_node *name, *kind, *bins, *jb;
  int b, k, rc;
  if (j->kind != PF_JSON_OBJECT) return fail(err, "factor %d must be a JSON object", f + 1);
  name = pf_json_get(j, "factor");
  kind = pf_json_get(j, "kind");
  bins = pf_json_get(j, "bins");
  if (name == 0 || name->kind != PF_JSON_STRING || !valid_name(name->string, (int)name->string_len))
    return fail(err, "factor %d has no \"factor\" name (a letter, then letters, digits or _, "
                "at most 64)", f + 1);
  if (kind && kind->kind == PF_JSON_STRING && strcmp(kind->string, "numeric") == 0)
    k = PF_MODEL_NUMERIC;
  else if (kind && kind->kind == PF_JSON_STRING && strcmp(kind->string, "categorical") == 0)
    k = PF_MODEL_CATEGORICAL;
  else
    return fail(err, "factor '%s' has no \"kind\" (\"numeric\" or \"categorical\")",
                name->string);
  if (bins == 0 || bins->kind != PF_JSON_ARRAY)
    return fail(err, "factor '%s' has no \"bins\" array", name->string);
  rc = pf_model_factor_init(m, f, name->string, (int)name->string_len, k, (int)bins->count, err);
  jb = bins->first;
  for (b = 0; rc == PF_OK && b < (int)bins->count; b++, jb = jb->next) {
    pf_model_bin bin;
    rc = read_bin(jb, name->string, b + 1, &bin, err);
    if (rc == PF_OK) rc = pf_model_bin_set(m, f, b, &bin);
  }
  return rc;
}

/* Rule 1 at the top level; *nfactors is the length of "factors". */
static int read_top(const pf_json_node *root, double *intercept, const pf_json_node **factors,
                    char *err) {
  const pf_json_node *name;
  double version;
  if (root->kind != PF_JSON_OBJECT) return fail(err, "must be a JSON object");
  name = pf_json_get(root, "model");
  if (name == 0 || name->kind != PF_JSON_STRING ||
      strcmp(name->string, "portfolio-risk-scorecard") != 0)
    return fail(err, "has no \"model\": \"portfolio-risk-scorecard\" (it is not a risk_fit "
                "model)");
  if (!number_at(root, "version", &version))
    return fail(err, "has no \"version\"");
  if (version != 1)
    return fail(err, "has \"version\" %.15g, but this extension reads version 1", version);
  if (!number_at(root, "intercept", intercept))
    return fail(err, "has no \"intercept\" number");
  *factors = pf_json_get(root, "factors");
  if (*factors == 0 || (*factors)->kind != PF_JSON_ARRAY)
    return fail(err, "has no \"factors\" array");
  if ((*factors)->count > PF_MODEL_MAX_FACTORS)
    return fail(err, "has more than 100 factors");
  return PF_OK;
}

int pf_model_parse(const char *text, int64_t n, pf_model **out, char *err) {
  pf_json_doc *doc = 0;
  pf_json_error why;
  const pf_json_node *factors = 0, *jf;
  pf_model *m = 0;
  double intercept = 0;
  int f, rc;
  *out = 0;
  rc = pf_json_parse(text, (size_t)n, &doc, &why);
  if (rc == PF_JSON_NOMEM) return PF_NOMEM;
  if (rc != PF_JSON_OK)
    return fail(err, "is not valid JSON: %s at byte %zu", pf_json_problem_text(why.problem),
                why.offset);
  rc = read_top(doc->root, &intercept, &factors, err);
  if (rc == PF_OK) {
    m = pf_model_new((int)factors->count);
    rc = m ? PF_OK : PF_NOMEM;
  }
  jf = factors ? factors->first : 0;
  for (f = 0; rc == PF_OK && f < (int)factors->count; f++, jf = jf->next)
    rc = read_factor(m, f, jf, err);
  if (rc == PF_OK) rc = pf_model_finish(m, err);
  pf_json_free(doc);
  if (rc != PF_OK) {
    pf_model_release(m);
    return rc;
  }
  m->intercept = intercept;
  *out = m;
  return PF_OK;
}
