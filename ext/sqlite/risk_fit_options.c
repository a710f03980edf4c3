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
**   4. The reading and the messages are the core's (pf_fit_parse_options in
**      ext/core/scorecard_args.c), shared with the PostgreSQL host; this file only gets
**      the text out of SQLite and keeps it for the later rows.
*/
#include "pf_host.h"
#include "risk_fit.h"
SQLITE_EXTENSION_INIT3

#include <math.h>
#include <string.h>

static const char fn[] = "risk_fit";

int pf_fit_read_options(sqlite3_context *ctx, fit_state *st, sqlite3_value *v) {
  const char *text;
  char *message = 0;
  int rc, n;
  pf_fit_default_options(&st->options);
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
  rc = pf_fit_parse_options(st->fit, text, (size_t)n, &st->options, &message);
  if (rc == PF_OK) return 1;
  if (message)
    sqlite3_result_error(ctx, message, -1);
  else
    sqlite3_result_error_nomem(ctx);
  pf_free(message);
  return 0;
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
  pf_result_errorf(ctx, PF_FIT_SAME_OPTIONS, fn);
  return 0;
}
