/*
** core_json_numbers.c: a JSON object of name -> number, read with json_reader.c, and the
** messages for what it refuses (see core_json_numbers.h).
*/
#include "core_json_numbers.h"

#include "json_reader.h"
#include "portfolio_core.h"

#include <string.h>

/* ", got '<text>'", the text cut as hosts quote values back. */
static void got_text(pf_text *t, const char *text, size_t n) {
  pf_text_cstr(t, ", got ");
  pf_text_sql_quote(t, text, n, PF_QUOTE_MAX);
}

static void start(pf_text *t, const pf_json_keys *keys) {
  pf_text_cstr(t, keys->fn);
  pf_text_cstr(t, ": ");
}

static void invalid(pf_text *t, const pf_json_keys *keys, const char *text, size_t n,
                    const pf_json_error *err) {
  start(t, keys);
  pf_text_cstr(t, keys->arg);
  pf_text_cstr(t, " must be valid JSON (");
  pf_text_cstr(t, pf_json_problem_text(err->problem));
  pf_text_cstr(t, " at byte ");
  pf_text_int(t, (int64_t)err->offset);
  pf_text_char(t, ')');
  got_text(t, text, n);
}

static void not_object(pf_text *t, const pf_json_keys *keys, const char *text, size_t n) {
  start(t, keys);
  pf_text_cstr(t, keys->arg);
  pf_text_cstr(t, " must be a JSON object");
  got_text(t, text, n);
}

/* "<fn>: <key> in <arg> must be <what>, got <value>": JSON literals as written, strings
** quoted with their decoded text, arrays and objects quoted as written. */
static void bad_number(pf_text *t, const pf_json_keys *keys, const pf_json_node *m,
                       const char *what) {
  start(t, keys);
  pf_text_cstr(t, m->key);
  pf_text_cstr(t, " in ");
  pf_text_cstr(t, keys->arg);
  pf_text_cstr(t, " must be ");
  pf_text_cstr(t, what);
  pf_text_cstr(t, ", got ");
  if (m->kind == PF_JSON_STRING)
    pf_text_sql_quote(t, m->string, strlen(m->string), (size_t)-1);
  else if (m->kind == PF_JSON_ARRAY || m->kind == PF_JSON_OBJECT)
    pf_text_sql_quote(t, m->source, m->source_len, (size_t)-1);
  else
    pf_text_append(t, m->source, m->source_len);
}

/* One member of the object. Returns 1, or 0 with the message written to t. */
static int read_member(pf_text *t, const pf_json_keys *keys, const pf_json_node *m,
                       pf_json_numbers *out) {
  int i = keys->find(m->key, (int)m->key_len);
  if (i < 0 || strlen(m->key) != m->key_len) {
    start(t, keys);
    pf_text_cstr(t, "unknown ");
    pf_text_cstr(t, keys->noun);
    pf_text_char(t, ' ');
    pf_text_sql_quote(t, m->key, strlen(m->key), (size_t)-1);
    pf_text_cstr(t, " in ");
    pf_text_cstr(t, keys->arg);
    pf_text_cstr(t, " (known: ");
    keys->known(t);
    pf_text_char(t, ')');
    return 0;
  }
  if (out->seen & (1u << i)) {
    start(t, keys);
    pf_text_sql_quote(t, m->key, strlen(m->key), (size_t)-1);
    pf_text_cstr(t, " appears twice in ");
    pf_text_cstr(t, keys->arg);
    return 0;
  }
  if (m->kind != PF_JSON_NUMBER || !keys->accepts(i, m->number)) {
    bad_number(t, keys, m, keys->expect(i));
    return 0;
  }
  out->seen |= 1u << i;
  out->value[i] = m->number;
  return 1;
}

int pf_json_numbers_parse(const pf_json_keys *keys, const char *text, size_t n,
                          pf_json_numbers *out, char **message) {
  pf_json_doc *doc = 0;
  pf_json_error err;
  pf_text t = PF_TEXT_INIT;
  const pf_json_node *m;
  int rc, ok = 1;
  memset(out, 0, sizeof(*out));
  *message = 0;
  rc = pf_json_parse(text, n, &doc, &err);
  if (rc == PF_JSON_NOMEM) return PF_NOMEM;
  if (rc != PF_JSON_OK) {
    invalid(&t, keys, text, n, &err);
    ok = 0;
  } else if (doc->root->kind != PF_JSON_OBJECT) {
    not_object(&t, keys, text, n);
    ok = 0;
  }
  for (m = ok ? doc->root->first : 0; ok && m; m = m->next) ok = read_member(&t, keys, m, out);
  pf_json_free(doc);
  if (ok) return PF_OK;
  *message = pf_text_finish(&t);
  return PF_JSON_NUMBERS_BAD;
}
