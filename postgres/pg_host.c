/*
** pg_host.c: the PostgreSQL side of pf_host.h, and reading PostgreSQL values as the core's
** amounts and keys.
**
**   1. pf_malloc/pf_realloc/pf_free are palloc/repalloc/pfree in the current memory
**      context: callers switch to the aggregate context first, so the per-customer table
**      lives as long as the aggregate state and is freed with it. pf_malloc returns NULL
**      on out-of-memory (MCXT_ALLOC_NO_OOM) and the core reports it; sizes may exceed 1 GB.
**   2. Amounts: smallint/integer/bigint are exact integers; real/double precision are
**      doubles. For the measures (pg_read_numeric_amount), numeric amounts are counted
**      in a unit of 10^-s: for numeric(p, s) the column's scale (numeric(12,2): cents);
**      for a numeric without a declared scale the largest display scale of the values seen
**      so far (pg_state.h rule 4); s at most 18. Exact integers when the amount is a whole
**      number of units within 64 bits, else a double in the same unit (numeric(p, s)) or
**      an error (no declared scale: pg_read_numeric_units). The measures are
**      ratios, so the unit cancels out. Elsewhere
**      (pg_read_amount) a numeric is an exact integer when it has no fractional digits and
**      fits in 64 bits, else a double. NaN and infinities are errors naming the function.
**   3. Keys: integers are integer keys; real/double keys group as in GROUP BY (1.0 with 1);
**      text-like keys are their bytes (an empty string counts as NULL, as in SQLite);
**      integral numeric keys are integers, others their text without trailing zeros; any
**      other type is keyed by its output text (equal values print alike for the usual
**      key types: dates, uuids, enums).
*/
#include "pg_portfolio.h"

#include "pf_host.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/pg_type.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/numeric.h"

void *pf_malloc(uint64_t bytes) {
  return MemoryContextAllocExtended(CurrentMemoryContext, bytes ? bytes : 1,
                                    MCXT_ALLOC_HUGE | MCXT_ALLOC_NO_OOM);
}

void *pf_realloc(void *p, uint64_t bytes) {
  if (p == NULL) return pf_malloc(bytes);
  return repalloc_huge(p, bytes ? bytes : 1);
}

void pf_free(void *p) {
  if (p) pfree(p);
}

void pg_check_core(int rc, const char *fn) {
  if (rc == PF_NOMEM)
    ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("%s: out of memory", fn)));
  if (rc == PF_RANGE)
    ereport(ERROR, (errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
                    errmsg("%s: " PF_TOTAL_RANGE, fn)));
}

static void double_amount(double d, pf_num *out, const char *fn) {
  if (!isfinite(d))
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("%s: amount must be a finite number, got %g", fn, d)));
  out->is_int = 0;
  out->i = 0;
  out->d = d;
}

/* True with *out set when a numeric has no fractional digits and fits in 64 bits. */
static bool numeric_as_int64(Numeric num, int64 *out) {
  int32 scale = DatumGetInt32(DirectFunctionCall1(numeric_scale, NumericGetDatum(num)));
  double d;
  if (scale != 0) return false;
  d = DatumGetFloat8(DirectFunctionCall1(numeric_float8_no_overflow, NumericGetDatum(num)));
  if (!(fabs(d) < 9.2e18)) return false;
  *out = DatumGetInt64(DirectFunctionCall1(numeric_int8, NumericGetDatum(num)));
  return true;
}

void pg_read_amount(Datum v, Oid type, pf_num *out, const char *fn) {
  switch (type) {
    case INT8OID: out->is_int = 1; out->i = DatumGetInt64(v); break;
    case INT4OID: out->is_int = 1; out->i = DatumGetInt32(v); break;
    case INT2OID: out->is_int = 1; out->i = DatumGetInt16(v); break;
    case FLOAT8OID: double_amount(DatumGetFloat8(v), out, fn); return;
    case FLOAT4OID: double_amount(DatumGetFloat4(v), out, fn); return;
    case NUMERICOID: {
      Numeric num = DatumGetNumeric(v);
      if (numeric_is_nan(num) || numeric_is_inf(num))
        ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                        errmsg("%s: amount must be a finite number, got %s", fn,
                               numeric_normalize(num))));
      if (numeric_as_int64(num, &out->i)) {
        out->is_int = 1;
        break;
      }
      double_amount(DatumGetFloat8(DirectFunctionCall1(numeric_float8_no_overflow, v)),
                    out, fn);
      return;
    }
    default:
      ereport(ERROR, (errcode(ERRCODE_DATATYPE_MISMATCH),
                      errmsg("%s: amount must be a number, got type %s", fn,
                             format_type_be(type))));
  }
  out->d = (double)out->i;
}

bool pg_numeric_has_scale(int32 typmod) { return typmod >= (int32)VARHDRSZ; }

int pg_numeric_dscale(Datum v) {
  Numeric num = DatumGetNumeric(v);
  if (numeric_is_nan(num) || numeric_is_inf(num)) return 0;
  return DatumGetInt32(DirectFunctionCall1(numeric_scale, v));
}

int pg_numeric_min_scale(Datum v) {
  Numeric num = DatumGetNumeric(v);
  if (numeric_is_nan(num) || numeric_is_inf(num)) return 0;
  return DatumGetInt32(DirectFunctionCall1(numeric_min_scale, v));
}

int pg_numeric_unit_digits(int32 typmod) {
  int scale;
  if (typmod < (int32)VARHDRSZ) return PG_NUMERIC_DEFAULT_DIGITS;
  scale = ((((typmod - VARHDRSZ) & 0x7ff) ^ 1024) - 1024); /* 11-bit signed, as numeric.c */
  if (scale < 0) return 0; /* numeric(p, -s): whole numbers */
  return scale > PG_NUMERIC_MAX_DIGITS ? PG_NUMERIC_MAX_DIGITS : scale;
}

/* The numeric text t (numeric_out: [-]digits[.digits], no exponent) as a whole number of
** 10^-digits units: true with *out set when it is one and fits in 64 bits. */
static bool text_in_units(const char *t, int digits, int64 *out) {
  uint64 v = 0, limit;
  bool negative = *t == '-';
  int after = -1; /* fractional digits read so far, -1 before the point */
  if (negative || *t == '+') t++;
  limit = negative ? (uint64)PG_INT64_MAX + 1 : (uint64)PG_INT64_MAX;
  for (; *t; t++) {
    if (*t == '.') {
      after = 0;
      continue;
    }
    if (after >= 0 && ++after > digits) {
      if (*t != '0') return false; /* a digit finer than the unit */
      continue;
    }
    if (v > (limit - (uint64)(*t - '0')) / 10) return false;
    v = v * 10 + (uint64)(*t - '0');
  }
  for (int d = after < 0 ? 0 : after; d < digits; d++) {
    if (v > limit / 10) return false;
    v *= 10;
  }
  *out = negative ? (int64)(0 - v) : (int64)v;
  return true;
}

void pg_read_numeric_amount(Datum v, int digits, pf_num *out, const char *fn) {
  Numeric num = DatumGetNumeric(v);
  char *t;
  if (numeric_is_nan(num) || numeric_is_inf(num))
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("%s: amount must be a finite number, got %s", fn,
                           numeric_normalize(num))));
  t = DatumGetCString(DirectFunctionCall1(numeric_out, v));
  if (text_in_units(t, digits, &out->i)) {
    out->is_int = 1;
    out->d = (double)out->i;
  } else {
    double_amount(strtod(t, NULL) * pow(10.0, digits), out, fn);
  }
  pfree(t);
}

void pg_read_numeric_units(Datum v, int digits, pf_num *out, const char *fn) {
  pg_read_numeric_amount(v, digits, out, fn);
  if (!out->is_int)
    ereport(ERROR, (errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
                    errmsg("%s: amount %s does not fit in 64 bits of units of %s (the "
                           "finest scale among the amounts)", fn,
                           numeric_normalize(DatumGetNumeric(v)),
                           digits ? psprintf("10^-%d", digits) : "1"),
                    errhint("Cast the amount to numeric(p, s) with fewer decimals, or to "
                            "double precision.")));
}

void pg_key_reader_init(pg_key_reader *r, Oid type) {
  r->type = type;
  r->scratch = NULL;
  if (type == TEXTOID || type == VARCHAROID || type == BPCHAROID || type == BYTEAOID ||
      type == INT8OID || type == INT4OID || type == INT2OID || type == FLOAT8OID ||
      type == FLOAT4OID)
    return;
  {
    Oid out_fn;
    bool varlena;
    getTypeOutputInfo(type, &out_fn, &varlena);
    fmgr_info_cxt(out_fn, &r->out, CurrentMemoryContext);
  }
}

/* Numeric keys that are not integers: the text without trailing fractional zeros, so
** 1.50 and 1.5 are one customer, as in GROUP BY. */
static void numeric_text_key(pg_key_reader *r, Numeric num, pf_key *k) {
  char *s = numeric_normalize(num);
  if (r->scratch) pfree(r->scratch);
  r->scratch = s;
  k->type = PF_KEY_TEXT;
  k->p = s;
  k->n = (int)strlen(s);
}

/* Returns false when the key counts as NULL (an empty string). */
bool pg_read_key(pg_key_reader *r, Datum v, pf_key *k) {
  memset(k, 0, sizeof *k);
  switch (r->type) {
    case INT8OID: k->type = PF_KEY_INT; k->i = DatumGetInt64(v); return true;
    case INT4OID: k->type = PF_KEY_INT; k->i = DatumGetInt32(v); return true;
    case INT2OID: k->type = PF_KEY_INT; k->i = DatumGetInt16(v); return true;
    case FLOAT8OID: pf_key_from_double(DatumGetFloat8(v), k); return true;
    case FLOAT4OID: pf_key_from_double(DatumGetFloat4(v), k); return true;
    case TEXTOID: case VARCHAROID: case BPCHAROID: case BYTEAOID: {
      struct varlena *t = PG_DETOAST_DATUM_PACKED(v);
      k->type = r->type == BYTEAOID ? PF_KEY_BLOB : PF_KEY_TEXT;
      k->p = VARDATA_ANY(t);
      k->n = (int)VARSIZE_ANY_EXHDR(t);
      return k->n > 0 || r->type == BYTEAOID;
    }
    case NUMERICOID: {
      Numeric num = DatumGetNumeric(v);
      if (!numeric_is_nan(num) && !numeric_is_inf(num) && numeric_as_int64(num, &k->i)) {
        k->type = PF_KEY_INT;
        return true;
      }
      numeric_text_key(r, num, k);
      return true;
    }
    default: {
      char *s = OutputFunctionCall(&r->out, v);
      if (r->scratch) pfree(r->scratch);
      r->scratch = s;
      k->type = PF_KEY_TEXT;
      k->p = s;
      k->n = (int)strlen(s);
      return true;
    }
  }
}
