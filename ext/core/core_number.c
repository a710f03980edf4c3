/*
** core_number.c: reading amounts, error messages, exact and compensated sums, and the
** registration of functions. Shared by every capability (see portfolio_core.h).
**
** Rules for an amount (the spec's "common rules"):
**   1. INTEGER and REAL are used as they are; TEXT that SQLite's numeric affinity turns
**      into a number ('12', ' 7 ', '1e2') is that number.
**   2. NULL and '' (what the shell's .import stores for a blank CSV field) skip the row.
**   3. Any other TEXT, a BLOB, or an infinity is an error naming the function, the argument
**      and the value. (SQLite never hands a function a NaN: it stores NaN as NULL.)
*/
#include "portfolio_core.h"
SQLITE_EXTENSION_INIT3

#include <math.h>
#include <stdarg.h>
#include <string.h>

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
  int type = sqlite3_value_type(v);
  if (type == SQLITE_NULL) return 0;
  if (type == SQLITE_TEXT) {
    if (sqlite3_value_bytes(v) == 0) return 0;
    if (text_overflows(v)) return -1;
    type = sqlite3_value_numeric_type(v);
  }
  if (type == SQLITE_INTEGER) {
    out->is_int = 1;
    out->i = sqlite3_value_int64(v);
    out->d = (double)out->i;
    return 1;
  }
  if (type == SQLITE_FLOAT) {
    double d = sqlite3_value_double(v);
    if (isfinite(d)) {
      out->is_int = 0;
      out->i = 0;
      out->d = d;
      return 1;
    }
  }
  return -1;
}

int pf_amount_read(sqlite3_context *ctx, const char *fn, const char *arg, sqlite3_value *v,
                   pf_num *out) {
  int rc = pf_amount_parse(v, out);
  if (rc < 0) pf_error_bad_value(ctx, fn, arg, "a finite number", v);
  return rc;
}

int pf_topn_read(sqlite3_context *ctx, sqlite3_value *v, sqlite3_int64 *n) {
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
  pf_error_bad_value(ctx, "top_share", "n", "a positive integer", v);
  return 0;
}

/* ---- accumulators ------------------------------------------------------------------- */

void pf_acc_add_double(pf_acc *a, double x) {
  double t = a->d + x;
  /* Neumaier: keep the low-order bits lost by whichever operand is smaller. */
  if (fabs(a->d) >= fabs(x))
    a->c += (a->d - t) + x;
  else
    a->c += (x - t) + a->d;
  a->d = t;
  a->inexact = 1;
}

void pf_acc_add_int(pf_acc *a, __int128 x) {
  __int128 r;
  if (__builtin_add_overflow(a->i, x, &r)) {
    /* Past 2^127 the exact part cannot go on: carry it over into the compensated sum. */
    pf_acc_add_double(a, (double)a->i);
    a->i = x;
  } else {
    a->i = r;
  }
}

void pf_acc_add_num(pf_acc *a, const pf_num *x) {
  if (x->is_int)
    pf_acc_add_int(a, x->i);
  else
    pf_acc_add_double(a, x->d);
}

void pf_acc_sub_num(pf_acc *a, const pf_num *x) {
  if (x->is_int)
    pf_acc_add_int(a, -(__int128)x->i);
  else
    pf_acc_add_double(a, -x->d);
}

void pf_acc_add_square(pf_acc *a, const pf_num *x, int sign) {
  if (x->is_int) {
    __int128 sq = (__int128)x->i * x->i; /* |i| <= 2^63, so the square fits in 127 bits */
    pf_acc_add_int(a, sign > 0 ? sq : -sq);
  } else {
    double sq = x->d * x->d;
    /* The rounding error of the product is exact with fma: add it too. */
    double err = fma(x->d, x->d, -sq);
    pf_acc_add_double(a, sign > 0 ? sq : -sq);
    pf_acc_add_double(a, sign > 0 ? err : -err);
  }
}

double pf_acc_value(const pf_acc *a) {
  pf_acc copy = *a;
  if (!copy.inexact) return (double)copy.i;
  pf_acc_add_double(&copy, (double)copy.i);
  return copy.d + copy.c;
}

void pf_acc_num(const pf_acc *a, pf_num *out) {
  if (!a->inexact && a->i >= INT64_MIN && a->i <= INT64_MAX) {
    out->is_int = 1;
    out->i = (sqlite3_int64)a->i;
    out->d = (double)out->i;
  } else {
    out->is_int = 0;
    out->i = 0;
    out->d = pf_acc_value(a);
  }
}

void pf_result_num(sqlite3_context *ctx, const pf_num *x) {
  if (x->is_int)
    sqlite3_result_int64(ctx, x->i);
  else
    sqlite3_result_double(ctx, x->d);
}

/* ---- registration ------------------------------------------------------------------- */

int pf_register(sqlite3 *db, const pf_function *fns, int n, char **pzErrMsg) {
  int i;
  for (i = 0; i < n; i++) {
    const pf_function *f = &fns[i];
    int rc;
    if (f->xStep && f->xValue && f->xInverse) {
      rc = sqlite3_create_window_function(db, f->name, f->nArg, f->flags, 0, f->xStep,
                                          f->xFinal, f->xValue, f->xInverse, 0);
    } else {
      rc = sqlite3_create_function_v2(db, f->name, f->nArg, f->flags, 0, f->xFunc, f->xStep,
                                      f->xFinal, 0);
    }
    if (rc != SQLITE_OK) {
      if (pzErrMsg)
        *pzErrMsg = sqlite3_mprintf("portfolio: cannot register %s/%d: %s", f->name, f->nArg,
                                    sqlite3_errmsg(db));
      return rc;
    }
  }
  return SQLITE_OK;
}
