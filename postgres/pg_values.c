/*
** pg_values.c: PostgreSQL arguments read as the SQLite host reads values (see pg_values.h).
*/
#include "pg_values.h"

#include "core_text.h"

#include <math.h>
#include <string.h>

#include "catalog/pg_type.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/numeric.h"

int pg_arg_kind(Oid type) {
  switch (type) {
    case INT2OID: case INT4OID: case INT8OID: case FLOAT4OID: case FLOAT8OID: case NUMERICOID:
      return PG_ARG_NUMBER;
    case TEXTOID: case VARCHAROID: case BPCHAROID: case NAMEOID: case UNKNOWNOID:
    case CSTRINGOID:
      return PG_ARG_TEXT;
    case BOOLOID: return PG_ARG_BOOL;
    case BYTEAOID: return PG_ARG_BYTES;
    case JSONOID: case JSONBOID: return PG_ARG_JSON;
    default: return PG_ARG_OTHER;
  }
}

char *pg_arg_text(FunctionCallInfo fcinfo, int i, Oid type, int *n) {
  char *s;
  if (type == UNKNOWNOID || type == CSTRINGOID)
    s = DatumGetCString(PG_GETARG_DATUM(i));
  else if (type == NAMEOID)
    s = NameStr(*PG_GETARG_NAME(i));
  else if (type == JSONBOID)
    s = JsonbToCString(NULL, &PG_GETARG_JSONB_P(i)->root, 0);
  else {
    text *t = PG_GETARG_TEXT_PP(i);
    *n = (int)VARSIZE_ANY_EXHDR(t);
    return VARDATA_ANY(t);
  }
  *n = (int)strlen(s);
  return s;
}

static int finite_double(double d, pf_num *out) {
  if (!isfinite(d)) return -1;
  out->is_int = 0;
  out->i = 0;
  out->d = d;
  return 1;
}

static int numeric_number(Numeric num, pf_num *out) {
  if (numeric_is_nan(num) || numeric_is_inf(num)) return -1;
  double d = DatumGetFloat8(DirectFunctionCall1(numeric_float8_no_overflow, NumericGetDatum(num)));
  /* integral and well inside 64 bits: exact (the bound leaves numeric_int8 no overflow) */
  if (fabs(d) < 9.2e18 &&
      DatumGetInt32(DirectFunctionCall1(numeric_scale, NumericGetDatum(num))) == 0) {
    out->is_int = 1;
    out->i = DatumGetInt64(DirectFunctionCall1(numeric_int8, NumericGetDatum(num)));
    out->d = (double)out->i;
    return 1;
  }
  return finite_double(d, out);
}

int pg_arg_number(FunctionCallInfo fcinfo, int i, Oid type, pf_num *out) {
  int n, rc;
  char *z;
  if (PG_ARGISNULL(i)) return 0;
  switch (type) {
    case INT2OID: case INT4OID: case INT8OID:
      out->is_int = 1;
      out->i = type == INT8OID ? PG_GETARG_INT64(i)
               : type == INT4OID ? PG_GETARG_INT32(i) : PG_GETARG_INT16(i);
      out->d = (double)out->i;
      return 1;
    case BOOLOID:
      out->is_int = 1;
      out->i = PG_GETARG_BOOL(i) ? 1 : 0;
      out->d = (double)out->i;
      return 1;
    case FLOAT4OID: return finite_double(PG_GETARG_FLOAT4(i), out);
    case FLOAT8OID: return finite_double(PG_GETARG_FLOAT8(i), out);
    case NUMERICOID: return numeric_number(PG_GETARG_NUMERIC(i), out);
    default: break;
  }
  if (pg_arg_kind(type) != PG_ARG_TEXT) return -1;
  z = pg_arg_text(fcinfo, i, type, &n);
  rc = pf_text_to_number(z, (size_t)n, out);
  if (rc == -2) ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
  return rc;
}

static void describe_double(pf_text *t, double d) {
  if (isnan(d))
    pf_text_cstr(t, "NaN");
  else
    pf_text_real(t, d);
}

char *pg_describe_arg(FunctionCallInfo fcinfo, int i, Oid type) {
  pf_text t = PF_TEXT_INIT;
  pf_num x;
  char *z;
  int n;
  if (PG_ARGISNULL(i)) return pstrdup("NULL");
  switch (pg_arg_kind(type)) {
    case PG_ARG_NUMBER:
      if (type == FLOAT4OID || type == FLOAT8OID) {
        describe_double(&t, type == FLOAT4OID ? PG_GETARG_FLOAT4(i) : PG_GETARG_FLOAT8(i));
      } else if (type == NUMERICOID && numeric_is_nan(PG_GETARG_NUMERIC(i))) {
        pf_text_cstr(&t, "NaN");
      } else if (type == NUMERICOID && numeric_number(PG_GETARG_NUMERIC(i), &x) < 0) {
        /* beyond the double range (or infinite): Inf, as SQLite shows such a REAL */
        describe_double(&t, DatumGetFloat8(DirectFunctionCall1(numeric_float8_no_overflow,
                                                               PG_GETARG_DATUM(i))));
      } else {
        pg_arg_number(fcinfo, i, type, &x);
        if (x.is_int)
          pf_text_int(&t, x.i);
        else
          pf_text_real(&t, x.d);
      }
      break;
    case PG_ARG_BOOL: pf_text_cstr(&t, PG_GETARG_BOOL(i) ? "1" : "0"); break;
    case PG_ARG_BYTES: {
      int bytes = (int)VARSIZE_ANY_EXHDR(PG_GETARG_BYTEA_PP(i));
      return psprintf("a BLOB of %d byte%s", bytes, bytes == 1 ? "" : "s");
    }
    case PG_ARG_TEXT: case PG_ARG_JSON:
      z = pg_arg_text(fcinfo, i, type, &n);
      pf_text_sql_quote(&t, z, (size_t)n, PF_QUOTE_MAX);
      break;
    default: {
      Oid out_fn;
      bool varlena;
      getTypeOutputInfo(type, &out_fn, &varlena);
      z = OidOutputFunctionCall(out_fn, PG_GETARG_DATUM(i));
      pf_text_sql_quote(&t, z, strlen(z), PF_QUOTE_MAX);
    }
  }
  z = pf_text_finish(&t);
  if (z == NULL) ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
  return z;
}

char *pg_arg_as_text(FunctionCallInfo fcinfo, int i, Oid type, int *n) {
  pf_text t = PF_TEXT_INIT;
  pf_num x;
  char *z;
  switch (pg_arg_kind(type)) {
    case PG_ARG_TEXT: case PG_ARG_JSON: return pg_arg_text(fcinfo, i, type, n);
    case PG_ARG_BYTES: {
      bytea *b = PG_GETARG_BYTEA_PP(i);
      *n = (int)VARSIZE_ANY_EXHDR(b);
      return VARDATA_ANY(b);
    }
    case PG_ARG_BOOL:
      *n = 1;
      return PG_GETARG_BOOL(i) ? "1" : "0";
    case PG_ARG_NUMBER:
      if (pg_arg_number(fcinfo, i, type, &x) > 0) {
        if (x.is_int)
          pf_text_int(&t, x.i);
        else
          pf_text_real(&t, x.d);
        break;
      }
      /* NaN, infinities: as described in messages */
      z = pg_describe_arg(fcinfo, i, type);
      *n = (int)strlen(z);
      return z;
    default: {
      Oid out_fn;
      bool varlena;
      getTypeOutputInfo(type, &out_fn, &varlena);
      z = OidOutputFunctionCall(out_fn, PG_GETARG_DATUM(i));
      *n = (int)strlen(z);
      return z;
    }
  }
  z = pf_text_finish(&t);
  if (z == NULL) ereport(ERROR, (errcode(ERRCODE_OUT_OF_MEMORY), errmsg("out of memory")));
  *n = (int)strlen(z);
  return z;
}
