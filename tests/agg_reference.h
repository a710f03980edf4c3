/*
** agg_reference.h: a second, deliberately plain implementation of the concentration
** measures, for the Check tests of herfindahl, top_share and gini (and their windows).
**
** Nothing here calls the extension: customer totals come from SQLite's own GROUP BY
** sum(), and the measures are textbook formulas in long double:
**   1. HHI = sum over customers of (100 * x / total)^2.
**   2. top-n share: sort descending, add the first n, divide by the total.
**   3. Gini: the mean absolute difference over all ordered pairs, divided by twice the
**      mean (O(n^2), independent of the sorted-rank formula the extension uses).
** Only positive totals count, as the spec says.
**
** It also has the invoice generator the keyed/shuffle tests share: a fixed LCG, so every
** run sees the same rows, with credit notes that leave some customers at or below zero.
*/
#ifndef PORTFOLIO_AGG_REFERENCE_H
#define PORTFOLIO_AGG_REFERENCE_H

#include "testing.h"

typedef struct ref_vals {
  long double *v;
  int n, cap;
} ref_vals;

static inline void ref_push(ref_vals *r, long double x) {
  if (r->n == r->cap) {
    r->cap = r->cap ? 2 * r->cap : 64;
    r->v = realloc(r->v, (size_t)r->cap * sizeof(long double));
    ck_assert_ptr_nonnull(r->v);
  }
  r->v[r->n++] = x;
}

static inline void ref_free(ref_vals *r) {
  free(r->v);
  memset(r, 0, sizeof(*r));
}

/* Steps a prepared statement (already bound) and keeps column 0 of every row whose value
** is a positive number. Resets the statement afterwards so it can be bound again. */
static inline void ref_collect_stmt(sqlite3_stmt *stmt, ref_vals *out) {
  int rc;
  out->n = 0;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    if (sqlite3_column_type(stmt, 0) == SQLITE_NULL) continue;
    if (sqlite3_column_type(stmt, 0) == SQLITE_INTEGER) {
      sqlite3_int64 i = sqlite3_column_int64(stmt, 0);
      if (i > 0) ref_push(out, (long double)i);
    } else {
      double d = sqlite3_column_double(stmt, 0);
      if (d > 0) ref_push(out, d);
    }
  }
  ck_assert_int_eq(rc, SQLITE_DONE);
  sqlite3_reset(stmt);
}

/* The positive values of column 0 of `sql` (typically SELECT sum(amount) ... GROUP BY). */
static inline void ref_collect(sqlite3 *db, const char *sql, ref_vals *out) {
  sqlite3_stmt *stmt = 0;
  ck_assert_msg(sqlite3_prepare_v2(db, sql, -1, &stmt, 0) == SQLITE_OK, "%s: %s", sql,
                sqlite3_errmsg(db));
  ref_collect_stmt(stmt, out);
  sqlite3_finalize(stmt);
}

static inline long double ref_total(const ref_vals *r) {
  long double t = 0;
  int i;
  for (i = 0; i < r->n; i++) t += r->v[i];
  return t;
}

/* Sum of squared percentage shares. The caller checks r->n > 0 (else the answer is NULL). */
static inline double ref_hhi(const ref_vals *r) {
  long double t = ref_total(r), h = 0;
  int i;
  for (i = 0; i < r->n; i++) {
    long double pct = 100.0L * r->v[i] / t;
    h += pct * pct;
  }
  return (double)h;
}

static inline int ref_desc(const void *a, const void *b) {
  long double x = *(const long double *)a, y = *(const long double *)b;
  return x > y ? -1 : x < y;
}

static inline double ref_top_share(ref_vals *r, sqlite3_int64 n) {
  long double t = ref_total(r), top = 0;
  int i;
  qsort(r->v, (size_t)r->n, sizeof(long double), ref_desc);
  for (i = 0; i < r->n && i < n; i++) top += r->v[i];
  return (double)(top / t);
}

static inline double ref_gini(const ref_vals *r) {
  long double t = ref_total(r), diff = 0, mean;
  int i, j;
  for (i = 0; i < r->n; i++)
    for (j = 0; j < r->n; j++) diff += fabsl(r->v[i] - r->v[j]);
  mean = t / r->n;
  return (double)(diff / ((long double)r->n * r->n * 2 * mean));
}

/* ---- generated invoices ------------------------------------------------------------- */

typedef struct ref_row {
  int cust;
  int is_real;
  sqlite3_int64 cents; /* the amount: an INTEGER, or cents/4 as a REAL (exact in binary) */
} ref_row;

static inline unsigned ref_lcg(unsigned *state) {
  *state = *state * 1103515245u + 12345u;
  return (*state >> 8) & 0xffffff;
}

/* Makes `nrows` invoice rows over `ncust` customers (1..ncust), plus the rows that set
** up the edge customers: every 40th customer gets a credit note larger than its purchases
** (net < 0), every 40th + 20 one that nets it to exactly 0. Returns a malloc'ed array with
** *count rows. Amounts: mostly positive INTEGER, every 7th a REAL in quarters, every 11th
** a credit note (negative). */
static inline ref_row *ref_make_invoices(int nrows, int ncust, unsigned seed, int *count) {
  ref_row *rows = malloc(sizeof(ref_row) * (size_t)(nrows + 2 * ncust));
  sqlite3_int64 *net = calloc((size_t)ncust + 1, sizeof(sqlite3_int64)); /* in quarters */
  int i, n = 0, c;
  ck_assert_ptr_nonnull(rows);
  ck_assert_ptr_nonnull(net);
  for (i = 0; i < nrows; i++) {
    ref_row *r = &rows[n++];
    unsigned x = ref_lcg(&seed);
    r->cust = 1 + (int)(x % (unsigned)ncust);
    /* skewed sizes: a few customers buy far more than the rest */
    r->cents = 1 + (sqlite3_int64)(ref_lcg(&seed) % 1000) * (r->cust % 13 == 0 ? 50 : 1);
    r->is_real = (i % 7 == 3);
    if (i % 11 == 5) r->cents = -r->cents / 2 - 1;
    net[r->cust] += r->is_real ? r->cents : 4 * r->cents;
  }
  for (c = 1; c <= ncust; c++) {
    if (c % 40 == 0) { /* refunds larger than purchases */
      rows[n].cust = c, rows[n].is_real = 1, rows[n].cents = -net[c] - 4 * 17;
      n++;
    } else if (c % 40 == 20) { /* nets to exactly zero */
      rows[n].cust = c, rows[n].is_real = 1, rows[n].cents = -net[c];
      n++;
    }
  }
  free(net);
  *count = n;
  return rows;
}

/* Inserts rows into `table`(cust, amount) in the order perm(i) = (i * stride + offset) mod
** count (a permutation when gcd(stride, count) == 1), so the same rows can be inserted in
** different orders. */
static inline void ref_insert(sqlite3 *db, const char *table, const ref_row *rows, int count,
                              int stride, int offset) {
  sqlite3_stmt *stmt = 0;
  char *sql = sqlite3_mprintf("INSERT INTO %s(cust, amount) VALUES (?1, ?2)", table);
  int i;
  ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &stmt, 0), SQLITE_OK);
  sqlite3_free(sql);
  pf_exec(db, "BEGIN");
  for (i = 0; i < count; i++) {
    const ref_row *r = &rows[((sqlite3_int64)i * stride + offset) % count];
    sqlite3_bind_int(stmt, 1, r->cust);
    if (r->is_real)
      sqlite3_bind_double(stmt, 2, (double)r->cents / 4.0);
    else
      sqlite3_bind_int64(stmt, 2, r->cents);
    ck_assert_int_eq(sqlite3_step(stmt), SQLITE_DONE);
    sqlite3_reset(stmt);
  }
  pf_exec(db, "COMMIT");
  sqlite3_finalize(stmt);
}

/* gcd, to pick strides that make ref_insert a permutation. */
static inline int ref_gcd(int a, int b) {
  while (b) {
    int t = a % b;
    a = b;
    b = t;
  }
  return a;
}

static inline int ref_coprime_stride(int count, int start) {
  while (ref_gcd(start, count) != 1) start++;
  return start;
}

/* Like pf_expect_error, but steps through every row: a window function's error may come
** on a later row than the first. */
static inline void ref_expect_error(sqlite3 *db, const char *sql, const char *want) {
  sqlite3_stmt *stmt = 0;
  int rc = sqlite3_prepare_v2(db, sql, -1, &stmt, 0);
  if (rc == SQLITE_OK)
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    }
  ck_assert_msg(rc != SQLITE_DONE && rc != SQLITE_OK, "expected an error from: %s", sql);
  ck_assert_str_eq(sqlite3_errmsg(db), want);
  sqlite3_finalize(stmt);
}

/* Relative comparison that also accepts both NULL: `got_null` from the extension. */
#define ref_assert_rel(got, want, rel)                                                     \
  do {                                                                                     \
    double g_ = (got), w_ = (want);                                                        \
    ck_assert_msg(fabs(g_ - w_) <= (rel) * fabs(w_) || g_ == w_, "got %.17g, want %.17g", \
                  g_, w_);                                                                 \
  } while (0)

#endif
