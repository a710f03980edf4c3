/*
** sqlite_values.c: reading SQLite values into the core's plain values, error messages,
** and results (see portfolio_sqlite.h).
**
** Rules for an amount (the spec's "common rules"):
**   1. INTEGER and REAL are used as they are; TEXT that SQLite's numeric affinity turns
**      into a number ('12', ' 7 ', '1e2') is that number.
**   2. NULL and '' (what the shell's .import stores for a blank CSV field) skip the row.
**   3. Any other TEXT, a BLOB, or an infinity is an error naming the function, the argument
**      and the value. (SQLite never hands a function a NaN: it stores NaN as NULL.)
** Rules for a key:
**   4. INTEGER, REAL (an integral one is that INTEGER: pf_key_from_double), TEXT or BLOB;
**      NULL and '' skip the row.
*/
#include "portfolio_sqlite.h"
SQLITE_EXTENSION_INIT3

#include <math.h>
#include <stdarg.h>
#include <string.h>

int pf_sqlite_rc(int core_rc) {
  return core_rc == PF_OK ? SQLITE_OK : core_rc == PF_RANGE ? SQLITE_RANGE : SQLITE_NOMEM;
}

/* Longest piece of a TEXT value quoted back in an error message. */
#define PF_QUOTE_MAX 40

char *pf_describe_value(sqlite3_value *v) {
  switch (sqlite3_value_type(v)) {
    case SQLITE_NULL:
      return sqlite3_mprintf("NULL");
    case SQLITE_INTEGER:
      return sqlite3_mprintf("%lld", sqlite3_value_int64(v));
    case SQLITE_FLOAT: {
      double d = sqlite3_value_double(v);
      if (isinf(d)) return sqlite3_mprintf(d > 0 ? "Inf" : "-Inf");
      return sqlite3_mprintf("%!.15g", d);
    }
    case SQLITE_BLOB:
      return sqlite3_mprintf("a BLOB of %d byte%s", sqlite3_value_bytes(v),
                             sqlite3_value_bytes(v) == 1 ? "" : "s");
    default: {
      const char *z = (const char *)sqlite3_value_text(v);
      int n = sqlite3_value_bytes(v);
      if (z == 0) return 0;
      if (n > PF_QUOTE_MAX) return sqlite3_mprintf("'%.*q...'", PF_QUOTE_MAX, z);
      return sqlite3_mprintf("'%q'", z);
    }
  }
}

void pf_result_errorf(sqlite3_context *ctx, const char *fmt, ...) {
  va_list ap;
  char *z;
  va_start(ap, fmt);
  z = sqlite3_vmprintf(fmt, ap);
  va_end(ap);
  if (z == 0) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  sqlite3_result_error(ctx, z, -1);
  sqlite3_free(z);
}

void pf_error_bad_value(sqlite3_context *ctx, const char *fn, const char *arg,
                        const char *what, sqlite3_value *v) {
  char *z = pf_describe_value(v);
  if (z == 0) {
    sqlite3_result_error_nomem(ctx);
    return;
  }
  pf_result_errorf(ctx, "%s: %s must be %s, got %s", fn, arg, what, z);
  sqlite3_free(z);
}

/* sqlite3_value_numeric_type() converts TEXT in place, so '1e999' would be quoted back in
** an error as Inf. Catch such TEXT before converting: only an exponent or 300+ digits can
** overflow, and sqlite3_value_double() reads TEXT without changing it. */
static int text_overflows(sqlite3_value *v) {
  const char *z = (const char *)sqlite3_value_text(v);
  int n = sqlite3_value_bytes(v);
  return z && (n > 300 || memchr(z, 'e', (size_t)n) || memchr(z, 'E', (size_t)n)) &&
         !isfinite(sqlite3_value_double(v));
}

int pf_amount_parse(sqlite3_value *v, pf_num *out) {
  int type;
  if (pf_amount_fast(v, out)) return 1;
  type = sqlite3_value_type(v);
  if (type != SQLITE_TEXT) return type == SQLITE_NULL ? 0 : -1;
  if (sqlite3_value_bytes(v) == 0) return 0;
  if (text_overflows(v)) return -1;
  /* numeric affinity, in place: a TEXT that reads as a number becomes an INTEGER or REAL */
  sqlite3_value_numeric_type(v);
  return pf_amount_fast(v, out) ? 1 : -1;
}

int pf_amount_read(sqlite3_context *ctx, const char *fn, const char *arg, sqlite3_value *v,
                   pf_num *out) {
  int rc = pf_amount_parse(v, out);
  if (rc < 0) pf_error_bad_value(ctx, fn, arg, "a finite number", v);
  return rc;
}

int pf_positive_int_read(sqlite3_context *ctx, const char *fn, const char *arg,
                         sqlite3_value *v, sqlite3_int64 *n) {
  int type = sqlite3_value_type(v);
  if (type == SQLITE_TEXT && sqlite3_value_bytes(v) > 0 && !text_overflows(v))
    type = sqlite3_value_numeric_type(v);
  if (type == SQLITE_INTEGER && sqlite3_value_int64(v) > 0) {
    *n = sqlite3_value_int64(v);
    return 1;
  }
  if (type == SQLITE_FLOAT) {
    double d = sqlite3_value_double(v);
    if (d >= 1 && d < 9.2e18 && d == floor(d)) {
      *n = (sqlite3_int64)d;
      return 1;
    }
  }
  pf_error_bad_value(ctx, fn, arg, "a positive integer", v);
  return 0;
}

int pf_key_read(sqlite3_value *v, pf_key *out) {
  switch (sqlite3_value_type(v)) {
    case SQLITE_NULL:
      return 0;
    case SQLITE_INTEGER:
      out->type = PF_KEY_INT;
      out->was_real = 0;
      out->i = sqlite3_value_int64(v);
      return 1;
    case SQLITE_FLOAT:
      pf_key_from_double(sqlite3_value_double(v), out);
      return 1;
    case SQLITE_TEXT:
      out->p = sqlite3_value_text(v);
      out->n = sqlite3_value_bytes(v);
      if (out->n == 0) return 0;
      out->type = PF_KEY_TEXT;
      out->was_real = 0;
      return out->p != 0 ? 1 : -1;
    default:
      out->p = sqlite3_value_blob(v);
      out->n = sqlite3_value_bytes(v);
      out->type = PF_KEY_BLOB;
      out->was_real = 0;
      if (out->n == 0) out->p = "";
      return out->p != 0 ? 1 : -1;
  }
}

void pf_result_key(sqlite3_context *ctx, const pf_key *k) {
  switch (k->type) {
    case PF_KEY_INT:
      if (k->was_real)
        sqlite3_result_double(ctx, (double)k->i);
      else
        sqlite3_result_int64(ctx, k->i);
      break;
    case PF_KEY_REAL:
      sqlite3_result_double(ctx, k->r);
      break;
    case PF_KEY_TEXT:
      sqlite3_result_text(ctx, k->p, k->n, SQLITE_TRANSIENT);
      break;
    default:
      sqlite3_result_blob(ctx, k->p, k->n, SQLITE_TRANSIENT);
      break;
  }
}

void pf_result_num(sqlite3_context *ctx, const pf_num *x) {
  if (x->is_int)
    sqlite3_result_int64(ctx, x->i);
  else
    sqlite3_result_double(ctx, x->d);
}
