/*
** json_numbers.c: reads a JSON object of name -> number, such as risk_score's `weights`
** ('{"adoption": 0.3}') or phase_of's `thresholds`, through the core (core_json_numbers.c).
**
**   1. NULL or '' is an empty object (every default stays).
**   2. The argument must be TEXT; a BLOB or a number is an error naming the argument and
**      the value. The text's rules and messages are the core's: valid JSON (the core's
**      strict reader, not SQL, so no table, view or function can change it), an object,
**      known keys once each, numbers the function accepts.
**   3. A constant argument is read once per statement and cached with
**      sqlite3_set_auxdata, so later rows allocate nothing.
*/
#include "json_numbers.h"
#include "pf_host.h"
SQLITE_EXTENSION_INIT3

#include <string.h>

/* Parses v into out. Returns 1, or 0 after setting an error on ctx. */
static int parse_object(sqlite3_context *ctx, const pf_json_keys *keys, sqlite3_value *v,
                        pf_json_numbers *out) {
  const char *text;
  char *message;
  int rc;
  if (sqlite3_value_type(v) != SQLITE_TEXT) {
    pf_error_bad_value(ctx, keys->fn, keys->arg, "a JSON object", v);
    return 0;
  }
  text = (const char *)sqlite3_value_text(v);
  if (text == 0) {
    sqlite3_result_error_nomem(ctx);
    return 0;
  }
  rc = pf_json_numbers_parse(keys, text, (size_t)sqlite3_value_bytes(v), out, &message);
  if (rc == PF_OK) return 1;
  if (rc == PF_NOMEM || message == 0) {
    sqlite3_result_error_nomem(ctx);
    return 0;
  }
  sqlite3_result_error(ctx, message, -1);
  pf_free(message);
  return 0;
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
