/*
** core_text.c: the core's text builder and name matching (see core_text.h).
**
**   1. Growth doubles the buffer, so a text of n bytes costs O(log n) allocations.
**   2. pf_text_real reads the double's exact decimal expansion (40 significant digits from
**      the C library, which prints doubles exactly) and rounds it to 15 digits half away
**      from zero, as SQLite does, rather than the C library's half-to-even: a tie such as
**      106920555197850.5 then prints as in SQLite (...851.0).
*/
#include "core_text.h"

#include "pf_host.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int reserve(pf_text *t, size_t more) {
  size_t need = t->n + more + 1, cap;
  char *z;
  if (t->failed) return 0;
  if (need <= t->cap) return 1;
  cap = t->cap ? t->cap : 64;
  while (cap < need) cap *= 2;
  z = pf_realloc(t->z, cap);
  if (z == 0) {
    t->failed = 1;
    return 0;
  }
  t->z = z;
  t->cap = cap;
  return 1;
}

void pf_text_append(pf_text *t, const char *z, size_t n) {
  if (!reserve(t, n)) return;
  memcpy(t->z + t->n, z, n);
  t->n += n;
  t->z[t->n] = 0;
}

void pf_text_cstr(pf_text *t, const char *z) { pf_text_append(t, z, strlen(z)); }

void pf_text_char(pf_text *t, char c) { pf_text_append(t, &c, 1); }

void pf_text_int(pf_text *t, int64_t i) {
  char buf[24];
  int n = snprintf(buf, sizeof buf, "%lld", (long long)i);
  pf_text_append(t, buf, (size_t)n);
}

/* The 15 significant digits of |x| (x finite, not 0) rounded half away from zero, and the
** decimal exponent of the first one. */
static void digits15(double x, char digits[15], int *exponent) {
  char buf[64];
  const char *p;
  int i, sign, e = 0;
  /* "d.ddd...e+XX": 40 significant digits, exact enough to see a tie at the 16th */
  snprintf(buf, sizeof buf, "%.39e", fabs(x));
  digits[0] = buf[0];
  for (i = 1; i < 15; i++) digits[i] = buf[i + 1];
  p = strchr(buf, 'e') + 1;
  sign = *p == '-' ? -1 : 1;
  for (p++; *p; p++) e = e * 10 + (*p - '0');
  *exponent = sign * e;
  if (buf[16] < '5') return;
  /* the 16th digit is 5 or more: round up, carrying */
  for (i = 14; i >= 0 && digits[i] == '9'; i--) digits[i] = '0';
  if (i >= 0) {
    digits[i]++;
  } else {
    digits[0] = '1';
    *exponent += 1;
  }
}

void pf_text_real(pf_text *t, double x) {
  char digits[15], out[40];
  int e, last, n = 0, i;
  if (isinf(x)) {
    pf_text_cstr(t, x > 0 ? "Inf" : "-Inf");
    return;
  }
  if (x == 0 || isnan(x)) { /* SQLite prints -0.0 as 0.0 and never holds a NaN */
    pf_text_cstr(t, "0.0");
    return;
  }
  digits15(x, digits, &e);
  for (last = 14; last > 0 && digits[last] == '0'; last--) {}
  if (x < 0) out[n++] = '-';
  if (e < -4 || e >= 15) {
    out[n++] = digits[0];
    out[n++] = '.';
    if (last == 0) out[n++] = '0';
    for (i = 1; i <= last; i++) out[n++] = digits[i];
    n += snprintf(out + n, sizeof out - (size_t)n, "e%c%02d", e < 0 ? '-' : '+', e < 0 ? -e : e);
  } else if (e >= 0) {
    for (i = 0; i <= e; i++) out[n++] = digits[i];
    out[n++] = '.';
    if (last <= e) out[n++] = '0';
    for (i = e + 1; i <= last; i++) out[n++] = digits[i];
  } else {
    out[n++] = '0';
    out[n++] = '.';
    for (i = -1; i > e; i--) out[n++] = '0';
    for (i = 0; i <= last; i++) out[n++] = digits[i];
  }
  pf_text_append(t, out, (size_t)n);
}

void pf_text_json_string(pf_text *t, const char *z, size_t n) {
  size_t i, start = 0;
  pf_text_char(t, '"');
  for (i = 0; i < n; i++) {
    unsigned char c = (unsigned char)z[i];
    char esc[8];
    if (c != '"' && c != '\\' && c >= 0x20) continue;
    pf_text_append(t, z + start, i - start);
    if (c == '"' || c == '\\') {
      esc[0] = '\\';
      esc[1] = (char)c;
      pf_text_append(t, esc, 2);
    } else {
      snprintf(esc, sizeof esc, "\\u%04x", c);
      pf_text_append(t, esc, 6);
    }
    start = i + 1;
  }
  pf_text_append(t, z + start, n - start);
  pf_text_char(t, '"');
}

void pf_text_sql_quote(pf_text *t, const char *z, size_t n, size_t max) {
  size_t i, shown = n > max ? max : n, start = 0;
  pf_text_char(t, '\'');
  for (i = 0; i < shown; i++) {
    if (z[i] != '\'') continue;
    pf_text_append(t, z + start, i + 1 - start); /* the quote, then its double */
    start = i;
  }
  pf_text_append(t, z + start, shown - start);
  if (n > max) pf_text_cstr(t, "...");
  pf_text_char(t, '\'');
}

char *pf_text_finish(pf_text *t) {
  char *z;
  if (!t->failed) reserve(t, 0);
  if (t->failed) {
    pf_text_reset(t);
    return 0;
  }
  z = t->z;
  t->z = 0;
  t->n = t->cap = 0;
  return z;
}

void pf_text_reset(pf_text *t) {
  pf_free(t->z);
  t->z = 0;
  t->n = t->cap = 0;
  t->failed = 0;
}

int pf_name_is(const char *name, int n, const char *lower) {
  int i;
  for (i = 0; i < n; i++) {
    unsigned char a = (unsigned char)name[i], b = (unsigned char)lower[i];
    if (b == 0) return 0;
    if (a != b && !((a | 0x20) == b && b >= 'a' && b <= 'z')) return 0;
  }
  return lower[n] == 0;
}

void pf_text_names(pf_text *t, const void *rows, size_t row_size, int count,
                   const char *extra) {
  int i;
  for (i = 0; i < count; i++) {
    const char *name = *(const char *const *)((const char *)rows + (size_t)i * row_size);
    if (i) pf_text_cstr(t, ", ");
    pf_text_cstr(t, name);
  }
  if (extra) {
    if (count) pf_text_cstr(t, ", ");
    pf_text_cstr(t, extra);
  }
}

static int is_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == '\v';
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }

/* z[0..n) (spaces trimmed) as digits with an optional sign only: 1 with *out set when it
** fits in 64 bits. */
static int read_int64(const char *z, size_t n, int64_t *out) {
  uint64_t v = 0, limit;
  size_t i = 0;
  int negative = 0;
  if (i < n && (z[i] == '-' || z[i] == '+')) negative = z[i++] == '-';
  if (i == n) return 0;
  limit = negative ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
  for (; i < n; i++) {
    if (!is_digit(z[i])) return 0;
    if (v > (limit - (uint64_t)(z[i] - '0')) / 10) return 0;
    v = v * 10 + (uint64_t)(z[i] - '0');
  }
  *out = negative ? (int64_t)(0 - v) : (int64_t)v;
  return 1;
}

/* 1 when z[0..n) is [sign] digits [. digits] [e [sign] digits] with a digit in the
** mantissa and, after an e, in the exponent. */
static int real_syntax(const char *z, size_t n) {
  size_t i = 0;
  int digits = 0;
  if (i < n && (z[i] == '-' || z[i] == '+')) i++;
  for (; i < n && is_digit(z[i]); i++) digits++;
  if (i < n && z[i] == '.')
    for (i++; i < n && is_digit(z[i]); i++) digits++;
  if (!digits) return 0;
  if (i < n && (z[i] == 'e' || z[i] == 'E')) {
    int exponent_digits = 0;
    i++;
    if (i < n && (z[i] == '-' || z[i] == '+')) i++;
    for (; i < n && is_digit(z[i]); i++) exponent_digits++;
    if (!exponent_digits) return 0;
  }
  return i == n;
}

int pf_text_to_number(const char *z, size_t n, pf_num *out) {
  char small[64], *buf = small;
  double d;
  if (n == 0) return 0;
  while (n > 0 && is_space(z[0])) z++, n--;
  while (n > 0 && is_space(z[n - 1])) n--;
  if (n == 0 || !real_syntax(z, n)) return -1;
  if (read_int64(z, n, &out->i)) {
    out->is_int = 1;
    out->d = (double)out->i;
    return 1;
  }
  if (n >= sizeof small && (buf = pf_malloc(n + 1)) == 0) return -2;
  memcpy(buf, z, n);
  buf[n] = 0; /* strtod needs a terminated string */
  d = strtod(buf, 0);
  if (buf != small) pf_free(buf);
  if (!isfinite(d)) return -1;
  out->is_int = 0;
  out->i = 0;
  out->d = d;
  return 1;
}
