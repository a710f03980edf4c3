/*
** risk_fit_options.c: risk_fit's ('options', json) pair.
**
** Rules:
**   1. NULL means the defaults (bins 5, min_share 0.05, l2 1.0, no monotone factor).
**      Anything else must be TEXT holding a JSON object (SQLite's json_type: strict RFC
**      8259 JSON), read with json_each on the calling connection, once per statement (the
**      first row); every later row must give the same text.
**   2. Keys, each optional and at most once: bins (a whole number 2-20), min_share (a
**      number 0-0.5), l2 (a finite number >= 0), monotone (an array of factor names of
**      this call, matched ignoring ASCII case). Any other key is an error listing these.
**   3. Errors read "risk_fit: options: <what> must be <rule>, got <value>".
*/
#include "risk_fit.h"
SQLITE_EXTENSION_INIT3

#include <math.h>
#include <string.h>

static const char fn[] = "risk_fit";

/* Runs sql with ?1 = text; the caller steps it. NULL after setting NOMEM or an error. */
static sqlite3_stmt *json_query(sqlite3_context *ctx, const char *sql, const char *text, int n) {
  sqlite3_stmt *stmt = 0;
  sqlite3 *db = sqlite3_context_db_handle(ctx);
  int rc = sqlite3_prepare_v2(db, sql, -1, &stmt, 0);
  if (rc == SQLITE_OK) rc = sqlite3_bind_text(stmt, 1, text, n, SQLITE_STATIC);
  if (rc != SQLITE_OK) {
    sqlite3_finalize(stmt);
    if (rc == SQLITE_NOMEM)
      sqlite3_result_error_nomem(ctx);
    else
      pf_result_errorf(ctx, "%s: options cannot be read: %s", fn, sqlite3_errmsg(db));
    return 0;
  }
  return stmt;
}

/* The end of a json_each loop: 1 when it ran to the end, else 0 after an error. */
static int query_done(sqlite3_context *ctx, sqlite3_stmt *stmt, int rc) {
  sqlite3_finalize(stmt);
  if (rc == SQLITE_DONE) return 1;
  if (rc == SQLITE_NOMEM)
    sqlite3_result_error_nomem(ctx);
  else
    pf_result_errorf(ctx, "%s: options cannot be read: %s", fn,
                     sqlite3_errmsg(sqlite3_context_db_handle(ctx)));
  return 0;
}

static void bad_option(sqlite3_context *ctx, const char *key, const char *rule,
                       sqlite3_value *v) {
  char what[80];
  sqlite3_snprintf(sizeof(what), what, "options: %s", key);
  pf_error_bad_value(ctx, fn, what, rule, v);
}

static int is_number(const char *type) {
  return strcmp(type, "integer") == 0 || strcmp(type, "real") == 0;
}

/* Marks each factor named in the JSON array `array` as monotone. */
static int read_monotone(sqlite3_context *ctx, fit_state *st, const char *array, int n) {
  sqlite3_stmt *stmt = json_query(ctx, "SELECT type, value FROM json_each(?1)", array, n);
  int rc, f;
  if (stmt == 0) return 0;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    const char *type = (const char *)sqlite3_column_text(stmt, 0);
    const char *name = (const char *)sqlite3_column_text(stmt, 1);
    int nn = sqlite3_column_bytes(stmt, 1), gn;
    if (type == 0 || strcmp(type, "text") != 0) {
      bad_option(ctx, "monotone", "an array of factor names", sqlite3_column_value(stmt, 1));
      break;
    }
    for (f = 0; f < st->nf; f++) {
      const char *z = pf_fit_factor_name(st->fit, f, &gn);
      if (gn == nn && sqlite3_strnicmp(z, name, nn) == 0) break;
    }
    if (f == st->nf) {
      pf_result_errorf(ctx, "%s: options: monotone names '%s', which is not a factor of this call",
                       fn, name);
      break;
    }
    pf_fit_monotone(st->fit, f);
  }
  if (rc == SQLITE_ROW) {
    sqlite3_finalize(stmt);
    return 0;
  }
  return query_done(ctx, stmt, rc);
}

/* One key of the object (rule 2); `seen` has a bit per key already given. */
static int read_key(sqlite3_context *ctx, fit_state *st, sqlite3_stmt *stmt, unsigned *seen) {
  static const char *const keys[] = {"bins", "min_share", "l2", "monotone"};
  const char *key = (const char *)sqlite3_column_text(stmt, 0);
  const char *type = (const char *)sqlite3_column_text(stmt, 1);
  sqlite3_value *v = sqlite3_column_value(stmt, 2);
  double d = sqlite3_column_double(stmt, 2);
  int k;
  if (key == 0 || type == 0) {
    sqlite3_result_error_nomem(ctx);
    return 0;
  }
  for (k = 0; k < 4 && strcmp(key, keys[k]) != 0; k++) {
  }
  if (k == 4) {
    pf_result_errorf(ctx, "%s: options: unknown key '%s' (known: bins, min_share, l2, monotone)",
                     fn, key);
    return 0;
  }
  if (*seen & (1u << k)) {
    pf_result_errorf(ctx, "%s: options: '%s' given twice", fn, key);
    return 0;
  }
  *seen |= 1u << k;
  if (k == 0) {
    if (!is_number(type) || d != floor(d) || d < 2 || d > 20) {
      bad_option(ctx, "bins", "a whole number from 2 to 20", v);
      return 0;
    }
    st->options.bins = (int)d;
  } else if (k == 1) {
    if (!is_number(type) || !(d >= 0 && d <= 0.5)) {
      bad_option(ctx, "min_share", "a number from 0 to 0.5", v);
      return 0;
    }
    st->options.min_share = d;
  } else if (k == 2) {
    if (!is_number(type) || !(d >= 0) || !isfinite(d)) {
      bad_option(ctx, "l2", "a number >= 0", v);
      return 0;
    }
    st->options.l2 = d;
  } else {
    if (strcmp(type, "array") != 0) {
      bad_option(ctx, "monotone", "an array of factor names", v);
      return 0;
    }
    return read_monotone(ctx, st, (const char *)sqlite3_column_text(stmt, 2),
                         sqlite3_column_bytes(stmt, 2));
  }
  return 1;
}

int pf_fit_read_options(sqlite3_context *ctx, fit_state *st, sqlite3_value *v) {
  sqlite3_stmt *stmt;
  const char *text;
  unsigned seen = 0;
  int rc, n;
  st->options.bins = PF_FIT_DEFAULT_BINS;
  st->options.min_share = PF_FIT_DEFAULT_MIN_SHARE;
  st->options.l2 = PF_FIT_DEFAULT_L2;
  if (v == 0 || sqlite3_value_type(v) == SQLITE_NULL) return 1;
  text = (const char *)sqlite3_value_text(v);
  n = sqlite3_value_bytes(v);
  if (sqlite3_value_type(v) != SQLITE_TEXT) {
    pf_error_bad_value(ctx, fn, "options", "a JSON object", v);
    return 0;
  }
  st->options_text = sqlite3_malloc64((sqlite3_uint64)n + 1);
  if (text == 0 || st->options_text == 0) {
    sqlite3_result_error_nomem(ctx);
    return 0;
  }
  memcpy(st->options_text, text, (size_t)n);
  st->options_n = n;
  stmt = json_query(ctx, "SELECT json_type(?1)", text, n);
  if (stmt == 0) return 0;
  rc = sqlite3_step(stmt);
  if (rc == SQLITE_NOMEM || (rc == SQLITE_ROW && sqlite3_column_type(stmt, 0) == SQLITE_NULL &&
                             sqlite3_errcode(sqlite3_context_db_handle(ctx)) == SQLITE_NOMEM)) {
    sqlite3_finalize(stmt);
    sqlite3_result_error_nomem(ctx);
    return 0;
  }
  if (rc != SQLITE_ROW || sqlite3_column_text(stmt, 0) == 0 ||
      strcmp((const char *)sqlite3_column_text(stmt, 0), "object") != 0) {
    sqlite3_finalize(stmt);
    pf_error_bad_value(ctx, fn, "options", "a JSON object", v);
    return 0;
  }
  sqlite3_finalize(stmt);
  stmt = json_query(ctx, "SELECT key, type, value FROM json_each(?1)", text, n);
  if (stmt == 0) return 0;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
    if (!read_key(ctx, st, stmt, &seen)) {
      sqlite3_finalize(stmt);
      return 0;
    }
  return query_done(ctx, stmt, rc);
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
