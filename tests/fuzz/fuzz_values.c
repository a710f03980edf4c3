/*
** fuzz_values.c: reading the fuzz input: bytes, pieces of text, picks from lists, and a
** value of any type bound to a parameter (NULL, 64-bit extremes, special doubles, numeric
** and long TEXT, BLOBs, factor names, JSON). Part of the harness of fuzz_portfolio.c.
*/

#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

unsigned take(input *in) {
  unsigned b;
  if (in->n == 0) return 0;
  b = *in->p++;
  in->n--;
  return b;
}

uint64_t take64(input *in) {
  uint64_t x = 0;
  int i;
  for (i = 0; i < 8; i++) x = (x << 8) | take(in);
  return x;
}

/* Up to max bytes of the input as a piece of text (not NUL-terminated). */
const char *take_bytes(input *in, size_t max, size_t *len) {
  size_t n = take(in);
  const char *p = (const char *)in->p;
  if (n > max) n = max;
  if (n > in->n) n = in->n;
  in->p += n;
  in->n -= n;
  *len = n;
  return p;
}

const char *pick(input *in, const char *const *list, size_t count) {
  return list[take(in) % count];
}
#define PICK(in, list) pick(in, list, sizeof(list) / sizeof(list[0]))

const char *const factor_names[] = {
    "industry", "region", "cash_runway_months", "days_to_renewal", "adoption", "deployment",
    "stakeholders", "days_since_contact", "penetration", "contract_year", "weights",
    "INDUSTRY", "Adoption", " adoption", "nope", "", "deployment", "risk",
    "stakeholder_change", "competitive_pressure", "technical_issues", "expected_churn",
    "expansion", "thresholds", "Thresholds", "weights",
};

static const char *const industry_names[] = {
    "travel", "Travel", "  software  ", "e-commerce", "unknown industry", "", "in-person retail",
    "0.7", "1e999", "-0", "TRAVEL\xc3\xa9",
};

static const char *const numeric_texts[] = {
    "12", " 7 ", "1e2", "1e999", "-1e999", "-0", "0x10", "1e-400", " ", "", "abc",
    "9223372036854775807", "9223372036854775808", "-9223372036854775808", "0.1", "2010",
    "2023", "1800", "10000", "NaN", "inf", "1.5e308", "4.9e-324", "12abc", "\xff\xfe",
};

static const char *const json_texts[] = {
    "{}", "{\"adoption\": 2}", "{\"adoption\": 0, \"region\": 0}", "{\"risk\": 50}",
    "{\"adoption\": 0.9, \"risk\": 100}", "{\"adoption\": -1}", "{\"adoption\": \"x\"}",
    "{\"adoption\": true}", "{\"adoption\": null}", "{\"adoption\": [1]}",
    "{\"adoption\": {\"a\": 1}}", "{\"adoption\": 1e999}", "{\"adoption\": 1, \"ADOPTION\": 2}",
    "{\"nope\": 1}", "[1, 2]", "1", "\"s\"", "null", "{bad", "{\"a\":", "", " ",
    "{\"industry\": 1e308, \"region\": 1e308}", "{\"industry\": 5e-324}",
    "{\"\\u0000\": 1}", "{\"risk\": 70, \"adoption\": 0.3}",
};

static const double special_doubles[] = {
    0.0, -0.0, 1.0, -1.0, 0.1, 0.3, 0.5, 70, 100, 1800, 2010, 2023, 10000, 1e19, -1e19,
    9.2233720368547758e18, -9.2233720368547758e18, 1e308, -1e308, DBL_MAX, DBL_MIN, 5e-324,
    NAN, INFINITY, -INFINITY, 24, 30, 180, 90, 4.5, 1e-300,
};

static const int64_t special_ints[] = {
    0, 1, -1, 2, 5, 10, 100, 2010, 2023, 10000, INT64_MAX, INT64_MIN, INT64_MAX - 1,
    INT64_MIN + 1, (int64_t)1 << 53, ((int64_t)1 << 53) + 1, (int64_t)1 << 62, 4294967296LL,
};

/* A long TEXT: one repeated byte, or a nested JSON array. Mostly up to 4 KB; one in 16 up
** to 1 MB (more would spend the run copying megabytes). */
static void bind_long_text(sqlite3_stmt *stmt, int i, input *in) {
  size_t n = take(in) % 16 == 0 ? ((size_t)take(in) << 12 | take(in) << 4) % (MAX_TEXT + 1)
                                 : ((size_t)take(in) << 4 | take(in) % 16);
  unsigned kind = take(in) % 3;
  char *z = malloc(n + 1);
  if (z == 0) return;
  if (kind == 2 && n >= 2) { /* [[[[...]]]]: JSON nested n/2 deep */
    memset(z, '[', n / 2);
    memset(z + n / 2, ']', n - n / 2);
  } else {
    memset(z, kind ? '7' : 'x', n);
  }
  z[n] = 0;
  sqlite3_bind_text(stmt, i, z, (int)n, free);
}

/* Binds parameter i to a value chosen by the input. */
void bind_value(sqlite3_stmt *stmt, int i, input *in) {
  size_t len;
  const char *p;
  switch (take(in) % 13) {
    case 0: sqlite3_bind_null(stmt, i); break;
    case 1: sqlite3_bind_int64(stmt, i, (sqlite3_int64)take64(in)); break;
    case 2: sqlite3_bind_int64(stmt, i, special_ints[take(in) % (sizeof(special_ints) / 8)]); break;
    case 3: {
      uint64_t bits = take64(in);
      double d;
      memcpy(&d, &bits, 8);
      sqlite3_bind_double(stmt, i, d);
      break;
    }
    case 4:
      sqlite3_bind_double(stmt, i, special_doubles[take(in) % (sizeof(special_doubles) / 8)]);
      break;
    case 5:
      p = take_bytes(in, 255, &len);
      sqlite3_bind_text(stmt, i, p, (int)len, SQLITE_TRANSIENT);
      break;
    case 6: sqlite3_bind_text(stmt, i, PICK(in, numeric_texts), -1, SQLITE_STATIC); break;
    case 7: bind_long_text(stmt, i, in); break;
    case 8:
      p = take_bytes(in, 255, &len);
      sqlite3_bind_blob(stmt, i, p, (int)len, SQLITE_TRANSIENT);
      break;
    case 9: sqlite3_bind_zeroblob(stmt, i, (int)(take(in) % 3)); break;
    case 10: sqlite3_bind_text(stmt, i, PICK(in, factor_names), -1, SQLITE_STATIC); break;
    case 11: sqlite3_bind_text(stmt, i, PICK(in, json_texts), -1, SQLITE_STATIC); break;
    default: sqlite3_bind_text(stmt, i, PICK(in, industry_names), -1, SQLITE_STATIC); break;
  }
}
