/*
** keyed.c: one row of a keyed aggregate (customer, amount), read from SQLite values into
** the core's per-customer table.
**
**   1. The amount is read first, so a bad amount is an error even on a row whose key is
**      NULL; then a NULL or '' key or amount skips the row.
**   2. The usual row (an INTEGER key with an INTEGER or finite REAL amount) is read with
**      no call beyond SQLite's own accessors: this is the hot loop of every keyed form.
*/
#include "portfolio_sqlite.h"
SQLITE_EXTENSION_INIT3


/* Reads the amount: the common INTEGER and REAL values inline, the rest (TEXT, errors)
** through pf_amount_read. 1, 0 (skip) or -1 (error set on ctx). Inlined: it is half of
** the hot loop. */
static inline __attribute__((always_inline)) int read_amount(sqlite3_context *ctx,
                                                            const char *fn,
                                                            sqlite3_value *v, pf_num *x) {
  if (pf_amount_fast(v, x)) return 1;
  return pf_amount_read(ctx, fn, "amount", v, x);
}

int pf_keyed_add(sqlite3_context *ctx, const char *fn, pf_table *t, sqlite3_value *key,
                 sqlite3_value *amount, int sign) {
  pf_key k;
  pf_num x;
  int rc = read_amount(ctx, fn, amount, &x);
  if (rc <= 0) return rc;
  if (sqlite3_value_type(key) == SQLITE_INTEGER) {
    if (sign > 0) {
      rc = pf_table_add_int(t, sqlite3_value_int64(key), &x);
      if (rc != PF_OK) sqlite3_result_error_nomem(ctx);
      return rc == PF_OK ? 1 : -1;
    }
    k.type = PF_KEY_INT;
    k.was_real = 0;
    k.i = sqlite3_value_int64(key);
  } else if ((rc = pf_key_read(key, &k)) <= 0) {
    if (rc < 0) sqlite3_result_error_nomem(ctx);
    return rc;
  }
  if (pf_table_add(t, &k, &x, sign) != PF_OK) {
    sqlite3_result_error_nomem(ctx);
    return -1;
  }
  return 1;
}

int pf_keyed_read(sqlite3_context *ctx, const char *fn, sqlite3_value *key,
                  sqlite3_value *amount, pf_key *k, pf_num *x) {
  int rc = read_amount(ctx, fn, amount, x);
  if (rc <= 0) return rc;
  if ((rc = pf_key_read(key, k)) < 0) sqlite3_result_error_nomem(ctx);
  return rc;
}

int pf_values_from_table_for(sqlite3_context *ctx, const char *fn, pf_values *out,
                             pf_table *t) {
  int rc = pf_values_from_table(out, t);
  if (rc == PF_RANGE)
    pf_result_errorf(ctx, "%s: " PF_TOTAL_RANGE, fn);
  else if (rc != PF_OK)
    sqlite3_result_error_nomem(ctx);
  return rc == PF_OK;
}
