/*
** risk_fit_options.c: risk_fit's ('options', json) pair.
**
** Rules:
**   1. NULL means the defaults (bins 5, min_share 0.05, l2 1.0, no monotone factor).
**      Anything else must be TEXT holding a JSON object, read with the core's strict reader
**      (ext/core/json_reader.h: no SQL, so no table named json_each can change it), once
**      per statement (the first row); every later row must give the same text.
**   2. Keys, each optional and at most once: bins (a whole number 2-20), min_share (a
**      number 0-0.5), l2 (a number >= 0), monotone (an array of factor names of this call,
**      matched ignoring ASCII case). Any other key is an error listing these.
**   3. Errors read "risk_fit: options: <what> must be <rule>, got <value as written>".
*/
#include "json_reader.h"
#include "risk_fit.h"
SQLITE_EXTENSION_INIT3

#include <math.h>
#include <string.h>

static const char fn[] = "risk_fit";

/* "risk_fit: options: <key> must be <rule>, got <the JSON value as written>". */
static void bad_option(sqlite3_context *ctx, const char *key, const char *rule,
                       const pf_json_node *v) {
  pf_result_errorf(ctx, "%s: options: %s must be %s, got %.*s", fn, key, rule,
                   (int)v->source_len, v->source);
}

/* Marks each factor named in the array as monotone. */
static int read_monotone(sqlite3_context *ctx, fit_state *st, const pf_json_node *array) {
  const pf_json_node *c;
  int f, gn;
  if (array->kind != PF_JSON_ARRAY) {
    bad_option(ctx, "monotone", "an array of factor names", array);
    return 0;
  }
  for (c = array->first; c; c = c->next) {
    if (c->kind != PF_JSON_STRING) {
      bad_option(ctx, "monotone", "an array of factor names", c);
      return 0;
    }
    for (f = 0; f < st->nf; f++) {
      const char *z = pf_fit_factor_name(st->fit, f, &gn);
      if ((size_t)gn == c->string_len && sqlite3_strnicmp(z, c->string, gn) == 0) break;
    }
    if (f == st->nf) {
      pf_result_errorf(ctx, "%s: options: monotone names %.*s, which is not a factor of this call",
                       fn, (int)c->source_len, c->source);
      return 0;
    }
    pf_fit_monotone(st->fit, f);
  }
  return 1;
}

/* One member of the object (rule 2). */
static int read_key(sqlite3_context *ctx, fit_state *st, const pf_json_node *m) {
  double d = m->number;
  int number = m->kind == PF_JSON_NUMBER;
  if (strcmp(m->key, "bins") == 0) {
    if (!number || d != floor(d) || d < 2 || d > 20) {
      bad_option(ctx, "bins", "a whole number from 2 to 20", m);
      return 0;
    }
    st->options.bins = (int)d;
  } else if (strcmp(m->key, "min_share") == 0) {
    if (!number || !(d >= 0 && d <= 0.5)) {
      bad_option(ctx, "min_share", "a number from 0 to 0.5", m);
      return 0;
    }
    st->options.min_share = d;
  } else if (strcmp(m->key, "l2") == 0) {
    if (!number || !(d >= 0)) {
      bad_option(ctx, "l2", "a number >= 0", m);
      return 0;
    }
    st->options.l2 = d;
  } else if (strcmp(m->key, "monotone") == 0) {
    return read_monotone(ctx, st, m);
  } else {
    pf_result_errorf(ctx, "%s: options: unknown key '%q' (known: bins, min_share, l2, monotone)",
                     fn, m->key);
    return 0;
  }
  return 1;
}

int pf_fit_read_options(sqlite3_context *ctx, fit_state *st, sqlite3_value *v) {
  pf_json_doc *doc = 0;
  pf_json_error err;
  const pf_json_node *m;
  const char *text;
  int rc, n, ok = 1;
  st->options.bins = PF_FIT_DEFAULT_BINS;
  st->options.min_share = PF_FIT_DEFAULT_MIN_SHARE;
  st->options.l2 = PF_FIT_DEFAULT_L2;
  if (v == 0 || sqlite3_value_type(v) == SQLITE_NULL) return 1;
  if (sqlite3_value_type(v) != SQLITE_TEXT) {
    pf_error_bad_value(ctx, fn, "options", "a JSON object", v);
    return 0;
  }
  text = (const char *)sqlite3_value_text(v);
  n = sqlite3_value_bytes(v);
  st->options_text = sqlite3_malloc64((sqlite3_uint64)n + 1);
  if (text == 0 || st->options_text == 0) {
    sqlite3_result_error_nomem(ctx);
    return 0;
  }
  memcpy(st->options_text, text, (size_t)n);
  st->options_n = n;
  rc = pf_json_parse(text, (size_t)n, &doc, &err);
  if (rc == PF_JSON_NOMEM) {
    sqlite3_result_error_nomem(ctx);
    return 0;
  }
  if (rc != PF_JSON_OK) {
    char *what = sqlite3_mprintf("a JSON object (%s at byte %llu)",
                                 pf_json_problem_text(err.problem), (unsigned long long)err.offset);
    if (what == 0)
      sqlite3_result_error_nomem(ctx);
    else
      pf_error_bad_value(ctx, fn, "options", what, v);
    sqlite3_free(what);
    return 0;
  }
  if (doc->root->kind != PF_JSON_OBJECT) {
    pf_error_bad_value(ctx, fn, "options", "a JSON object", v);
    ok = 0;
  }
  for (m = ok ? doc->root->first : 0; m && ok; m = m->next) ok = read_key(ctx, st, m);
  pf_json_free(doc);
  return ok;
}
int pf_fit_same_options(sqlite3_context *ctx, fit_state *st, sqlite3_value *v) {
  const char *text = (const char *)sqlite3_value_text(v);
  int n = sqlite3_value_bytes(v);
  int was_null = st->options_text == 0, is_null = sqlite3_value_type(v) == SQLITE_NULL;
  if (was_null && is_null) return 1;
  if (!was_null && !is_null && text && n == st->options_n &&
      memcmp(text, st->options_text, (size_t)n) == 0)
    return 1;
  if (!is_null && text == 0) {
    sqlite3_result_error_nomem(ctx);
    return 0;
  }
  pf_result_errorf(ctx, "%s: options must be the same on every row", fn);
  return 0;
}
