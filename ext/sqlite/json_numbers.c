/*
** json_numbers.c: reads a JSON object of name -> number, such as risk_score's `weights`
** ('{"adoption": 0.3}') or phase_of's `thresholds`, with the core's JSON reader.
**
**   1. NULL or '' is an empty object (every default stays).
**   2. The argument must be TEXT holding valid JSON whose top level is an object; a BLOB,
**      a number, malformed JSON or another JSON type is an error naming the argument and
**      quoting the value.
**   3. Keys are matched ignoring ASCII case. An unknown key is an error listing the known
**      ones; a key given twice is an error.
**   4. Values must be JSON numbers the caller accepts (pf_json_keys.check); a string,
**      true/false/null, an array, an object or an out-of-range number is an error naming
**      the key and the value. Infinities (1e999) are out of every range.
**   5. The object is read by the core's strict JSON reader (ext/core/json_reader.c), not
**      through SQL, so no table, view or function of the database can change it. Its
**      problems (duplicate keys, text after the value, 1e999, depth and size limits) are
**      "must be valid JSON (<problem> at byte N)" errors. A constant argument is read once
**      per statement and cached with sqlite3_set_auxdata, so later rows allocate nothing.
*/
#include "json_numbers.h"
#include "json_reader.h"
SQLITE_EXTENSION_INIT3

#include <string.h>

static void error_not_object(sqlite3_context *ctx, const pf_json_keys *keys,
                             sqlite3_value *v) {
  pf_error_bad_value(ctx, keys->fn, keys->arg, "a JSON object", v);
}

/* "<fn>: <arg> must be valid JSON (<problem> at byte N), got '<text>'" */
static void error_invalid(sqlite3_context *ctx, const pf_json_keys *keys, sqlite3_value *v,
                          const pf_json_error *err) {
  char *what = sqlite3_mprintf("valid JSON (%s at byte %llu)", pf_json_problem_text(err->problem),
                               (unsigned long long)err->offset);
  if (what == 0) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  pf_error_bad_value(ctx, keys->fn, keys->arg, what, v);
  sqlite3_free(what);
}

static void error_unknown_key(sqlite3_context *ctx, const pf_json_keys *keys,
                              const char *key) {
  char *known = keys->known();
  if (known == 0) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  pf_result_errorf(ctx, "%s: unknown %s '%q' in %s (known: %s)", keys->fn, keys->noun, key,
                   keys->arg, known);
  sqlite3_free(known);
}

/* "<fn>: <key> in <arg> must be <what>, got <value>": JSON literals as written, strings
** quoted with their decoded text, arrays and objects quoted as written. */
static void error_bad_number(sqlite3_context *ctx, const pf_json_keys *keys,
                             const pf_json_node *m, const char *what) {
  char *shown;
  if (m->kind == PF_JSON_STRING)
    shown = sqlite3_mprintf("'%q'", m->string);
  else if (m->kind == PF_JSON_ARRAY || m->kind == PF_JSON_OBJECT)
    shown = sqlite3_mprintf("'%.*q'", (int)m->source_len, m->source);
  else
    shown = sqlite3_mprintf("%.*s", (int)m->source_len, m->source);
  if (shown == 0) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  pf_result_errorf(ctx, "%s: %s in %s must be %s, got %s", keys->fn, m->key, keys->arg, what,
                   shown);
  sqlite3_free(shown);
}

/* One member of the object. Returns 1, or 0 after setting an error on ctx. */
static int read_member(sqlite3_context *ctx, const pf_json_keys *keys, const pf_json_node *m,
                       pf_json_numbers *out) {
  int i = keys->find(m->key, (int)m->key_len);
  if (i < 0 || strlen(m->key) != m->key_len) {
    error_unknown_key(ctx, keys, m->key);
    return 0;
  }
  if (out->seen & (1u << i)) {
    pf_result_errorf(ctx, "%s: '%q' appears twice in %s", keys->fn, m->key, keys->arg);
    return 0;
  }
  if (m->kind != PF_JSON_NUMBER || !keys->accepts(i, m->number)) {
    error_bad_number(ctx, keys, m, keys->expect(i));
    return 0;
  }
  out->seen |= 1u << i;
  out->value[i] = m->number;
  return 1;
}

/* Parses v into out. Returns 1, or 0 after setting an error on ctx. */
static int parse_object(sqlite3_context *ctx, const pf_json_keys *keys, sqlite3_value *v,
                        pf_json_numbers *out) {
  pf_json_doc *doc = 0;
  pf_json_error err;
  const pf_json_node *m;
  const char *text;
  int rc, ok = 1;
  if (sqlite3_value_type(v) != SQLITE_TEXT) {
    error_not_object(ctx, keys, v);
    return 0;
  }
  text = (const char *)sqlite3_value_text(v);
  if (text == 0) {
    sqlite3_result_error_nomem(ctx);
    return 0;
  }
  rc = pf_json_parse(text, (size_t)sqlite3_value_bytes(v), &doc, &err);
  if (rc == PF_JSON_NOMEM) {
    sqlite3_result_error_nomem(ctx);
    return 0;
  }
  if (rc != PF_JSON_OK) {
    error_invalid(ctx, keys, v, &err);
    return 0;
  }
  if (doc->root->kind != PF_JSON_OBJECT) {
    error_not_object(ctx, keys, v);
    ok = 0;
  }
  for (m = doc->root->first; ok && m; m = m->next) ok = read_member(ctx, keys, m, out);
  pf_json_free(doc);
  return ok;
}

int pf_json_numbers_get(sqlite3_context *ctx, const pf_json_keys *keys, sqlite3_value **argv,
                        int iarg, pf_json_numbers *out, int *fresh) {
  sqlite3_value *v = argv[iarg];
  const pf_json_numbers *cached;
  *fresh = 0;
  memset(out, 0, sizeof(*out));
  if (sqlite3_value_type(v) == SQLITE_NULL) return 1;
  if (sqlite3_value_type(v) == SQLITE_TEXT && sqlite3_value_bytes(v) == 0) return 1;
  cached = sqlite3_get_auxdata(ctx, iarg);
  if (cached) {
    *out = *cached;
    return 1;
  }
  if (!parse_object(ctx, keys, v, out)) return 0;
  *fresh = 1;
  return 1;
}

void pf_json_numbers_cache(sqlite3_context *ctx, int iarg, const pf_json_numbers *parsed) {
  pf_json_numbers *copy = sqlite3_malloc64(sizeof(*copy));
  if (copy == 0) return; /* only a cache: the next row parses again */
  *copy = *parsed;
  /* Last call on purpose: SQLite may free the copy at once (a non-constant argument). */
  sqlite3_set_auxdata(ctx, iarg, copy, sqlite3_free);
}
