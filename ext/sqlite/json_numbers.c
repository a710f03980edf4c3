/*
** json_numbers.c: reads a JSON object of name -> number, such as risk_score's `weights`
** ('{"adoption": 0.3}') or phase_of's `thresholds`, with SQLite's own JSON support.
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
**   5. The object is read with `json_each` prepared on the calling connection (it only
**      reads its argument). A constant argument is read once per statement and cached
**      with sqlite3_set_auxdata, so the rows after the first allocate nothing.
*/
#include "json_numbers.h"
SQLITE_EXTENSION_INIT3

#include <string.h>

/* Row 1 gives the top-level type ('malformed' for invalid JSON); the object's members
** follow, and only when it is an object (json_each(NULL) yields nothing). Rows after the
** first are only read when the JSON is valid, so they need no json_valid(): it answers 0
** when it runs out of memory, which would drop every member silently. */
static const char json_object_sql[] =
    "SELECT NULL, NULL, CASE WHEN json_valid(?1) THEN json_type(?1) ELSE 'malformed' END "
    "UNION ALL "
    "SELECT key, value, type FROM json_each(CASE WHEN json_type(?1) = 'object' THEN ?1 END)";

/* json_valid() also answers 0 when it runs out of memory. json_type() tells the two apart:
** an error for malformed JSON, SQLITE_NOMEM for memory. 1: malformed, 0: out of memory. */
static int confirm_malformed(sqlite3 *db, sqlite3_value *v) {
  sqlite3_stmt *stmt = 0;
  int rc = sqlite3_prepare_v2(db, "SELECT json_type(?1)", -1, &stmt, 0);
  if (rc == SQLITE_OK) rc = sqlite3_bind_value(stmt, 1, v);
  if (rc == SQLITE_OK) rc = sqlite3_step(stmt);
  sqlite3_finalize(stmt);
  return rc == SQLITE_ERROR;
}

static void error_not_object(sqlite3_context *ctx, const pf_json_keys *keys,
                             sqlite3_value *v, const char *top_type) {
  int malformed = top_type && strcmp(top_type, "malformed") == 0;
  pf_error_bad_value(ctx, keys->fn, keys->arg, malformed ? "valid JSON" : "a JSON object", v);
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

/* "<fn>: <key> in <arg> must be <what>, got <value>"; JSON literals are shown as written. */
static void error_bad_number(sqlite3_context *ctx, const pf_json_keys *keys, const char *key,
                             const char *what, sqlite3_value *value, const char *type) {
  char *shown;
  if (strcmp(type, "true") == 0 || strcmp(type, "false") == 0 || strcmp(type, "null") == 0)
    shown = sqlite3_mprintf("%s", type);
  else
    shown = pf_describe_value(value);
  if (shown == 0) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  pf_result_errorf(ctx, "%s: %s in %s must be %s, got %s", keys->fn, key, keys->arg, what,
                   shown);
  sqlite3_free(shown);
}

/* One member of the object. Returns 1, or 0 after setting an error on ctx. */
static int read_member(sqlite3_context *ctx, const pf_json_keys *keys, sqlite3_stmt *stmt,
                       pf_json_numbers *out) {
  const char *key = (const char *)sqlite3_column_text(stmt, 0);
  const char *type = (const char *)sqlite3_column_text(stmt, 2);
  sqlite3_value *value = sqlite3_column_value(stmt, 1);
  double x;
  int i;
  if (key == 0 || type == 0) {
    sqlite3_result_error_nomem(ctx);
    return 0;
  }
  i = keys->find(key, sqlite3_column_bytes(stmt, 0));
  if (i < 0) {
    error_unknown_key(ctx, keys, key);
    return 0;
  }
  if (out->seen & (1u << i)) {
    pf_result_errorf(ctx, "%s: '%q' appears twice in %s", keys->fn, key, keys->arg);
    return 0;
  }
  x = sqlite3_value_double(value);
  if ((strcmp(type, "integer") != 0 && strcmp(type, "real") != 0) || !keys->accepts(i, x)) {
    error_bad_number(ctx, keys, key, keys->expect(i), value, type);
    return 0;
  }
  out->seen |= 1u << i;
  out->value[i] = x;
  return 1;
}

/* Parses v into out. Returns 1, or 0 after setting an error on ctx. */
static int parse_object(sqlite3_context *ctx, const pf_json_keys *keys, sqlite3_value *v,
                        pf_json_numbers *out) {
  sqlite3 *db = sqlite3_context_db_handle(ctx);
  sqlite3_stmt *stmt = 0;
  int rc, ok = 1;
  if (sqlite3_value_type(v) != SQLITE_TEXT) {
    error_not_object(ctx, keys, v, 0);
    return 0;
  }
  rc = sqlite3_prepare_v2(db, json_object_sql, -1, &stmt, 0);
  if (rc == SQLITE_OK) rc = sqlite3_bind_value(stmt, 1, v);
  if (rc == SQLITE_OK && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    const char *top = (const char *)sqlite3_column_text(stmt, 2);
    if (top == 0 || strcmp(top, "object") != 0) {
      if (top == 0 || (strcmp(top, "malformed") == 0 && !confirm_malformed(db, v))) {
        sqlite3_result_error_nomem(ctx);
      } else {
        error_not_object(ctx, keys, v, top);
      }
      ok = 0;
    }
    while (ok && (rc = sqlite3_step(stmt)) == SQLITE_ROW) ok = read_member(ctx, keys, stmt, out);
  }
  if (ok && rc != SQLITE_DONE) {
    if (rc == SQLITE_NOMEM)
      sqlite3_result_error_nomem(ctx);
    else
      pf_result_errorf(ctx, "%s: cannot read %s: %s", keys->fn, keys->arg, sqlite3_errmsg(db));
    ok = 0;
  }
  sqlite3_finalize(stmt);
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
