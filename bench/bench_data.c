/*
** bench_data.c: the deterministic data behind `make bench`.
**
**   1. inv-N-K.db: invoices(id INTEGER PRIMARY KEY, customer INTEGER, month INTEGER,
**      amount REAL), N rows over K customers drawn uniformly, over 24 months (YYYYMM).
**      Each customer has a Pareto(alpha 1.1) size, so a few customers hold most of the
**      revenue (heavy tail); an invoice is that size times a log-normal factor, in cents;
**      2 % of the rows are credit notes (negative). A covering index on (customer, amount)
**      exists; the queries choose it or not explicitly (INDEXED BY / NOT INDEXED).
**   2. cust-K.db: customers(customer INTEGER PRIMARY KEY, amount REAL), one row per
**      customer with the same heavy tail (1 % at or below zero); accounts(id, region,
**      cash_runway_months, days_to_renewal, adoption, deployment, stakeholders,
**      days_since_contact, risk, expansion) with 3 % NULLs per column, for risk_score and
**      phase_of.
**   3. A CSV export of invoices and customers beside each database, for DuckDB.
** Everything comes from a fixed seed, so every machine benchmarks the same rows. A file is
** written under a temporary name and renamed when complete, so an interrupted run never
** leaves a half-made data set that a later run would trust.
*/
#include "bench.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BENCH_MONTHS 24

uint64_t bench_rng_next(bench_rng *r) {
  uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

double bench_rng_unit(bench_rng *r) {
  return ((double)(bench_rng_next(r) >> 11) + 0.5) / 9007199254740992.0;
}

double bench_rng_normal(bench_rng *r) {
  double u = bench_rng_unit(r), v = bench_rng_unit(r);
  return sqrt(-2.0 * log(u)) * cos(6.283185307179586 * v);
}

double bench_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void bench_inv_path(char *out, size_t n, const char *dir, long long rows, long long k,
                    const char *ext) {
  snprintf(out, n, "%s/inv-%lld-%lld.%s", dir, rows, k, ext);
}

void bench_cust_path(char *out, size_t n, const char *dir, long long k, const char *ext) {
  snprintf(out, n, "%s/cust-%lld.%s", dir, k, ext);
}

static double cents(double x) {
  return round(x * 100.0) / 100.0;
}

/* Pareto(alpha 1.1, minimum 1): about 20 % of the customers hold 80 % of the revenue. */
static double customer_size(bench_rng *r) {
  return pow(bench_rng_unit(r), -1.0 / 1.1);
}

static int exec(sqlite3 *db, const char *sql) {
  char *err = 0;
  if (sqlite3_exec(db, sql, 0, 0, &err) != SQLITE_OK) {
    fprintf(stderr, "bench: %s: %s\n", sql, err ? err : "?");
    sqlite3_free(err);
    return -1;
  }
  return 0;
}

/* 1 when the database exists and holds the stamp of a finished generation. */
static int finished(const char *path) {
  sqlite3 *db = 0;
  sqlite3_stmt *st = 0;
  int ok = 0;
  if (access(path, R_OK) != 0) return 0;
  if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, 0) == SQLITE_OK &&
      sqlite3_prepare_v2(db, "SELECT count(*) FROM bench_stamp", -1, &st, 0) == SQLITE_OK &&
      sqlite3_step(st) == SQLITE_ROW)
    ok = sqlite3_column_int(st, 0) == 1;
  sqlite3_finalize(st);
  sqlite3_close(db);
  return ok;
}

static sqlite3 *open_new(const char *tmp) {
  sqlite3 *db = 0;
  unlink(tmp);
  if (sqlite3_open(tmp, &db) != SQLITE_OK) {
    fprintf(stderr, "bench: cannot create %s\n", tmp);
    sqlite3_close(db);
    return 0;
  }
  if (exec(db, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA page_size=4096;"
               "PRAGMA cache_size=-262144; BEGIN") != 0) {
    sqlite3_close(db);
    return 0;
  }
  return db;
}

static int finish(sqlite3 *db, const char *tmp, const char *path, FILE *csv,
                  const char *csvtmp, const char *csvpath) {
  int rc = exec(db, "CREATE TABLE bench_stamp(v); INSERT INTO bench_stamp VALUES (1); COMMIT");
  if (sqlite3_close(db) != SQLITE_OK) rc = -1;
  if (fclose(csv) != 0) rc = -1;
  if (rc == 0 && (rename(csvtmp, csvpath) != 0 || rename(tmp, path) != 0)) rc = -1;
  if (rc != 0) fprintf(stderr, "bench: could not finish %s\n", path);
  return rc;
}

int bench_make_invoices(const char *dir, long long rows, long long k) {
  char path[512], tmp[520], csvpath[512], csvtmp[520];
  bench_rng r = {0x5eed0000ULL + (uint64_t)k};
  double *size;
  sqlite3 *db;
  sqlite3_stmt *ins = 0;
  FILE *csv;
  long long i;
  double t0 = bench_now();
  bench_inv_path(path, sizeof path, dir, rows, k, "db");
  bench_inv_path(csvpath, sizeof csvpath, dir, rows, k, "csv");
  if (finished(path) && access(csvpath, R_OK) == 0) return 0;
  snprintf(tmp, sizeof tmp, "%s.tmp", path);
  snprintf(csvtmp, sizeof csvtmp, "%s.tmp", csvpath);
  fprintf(stderr, "bench: generating %lld invoices over %lld customers...\n", rows, k);
  size = malloc((size_t)k * sizeof(double));
  csv = fopen(csvtmp, "w");
  db = size && csv ? open_new(tmp) : 0;
  if (db == 0 || exec(db, "CREATE TABLE invoices(id INTEGER PRIMARY KEY, customer INTEGER,"
                          " month INTEGER, amount REAL)") != 0 ||
      sqlite3_prepare_v2(db, "INSERT INTO invoices VALUES (?1, ?2, ?3, ?4)", -1, &ins, 0)) {
    free(size);
    if (csv) fclose(csv);
    sqlite3_close(db);
    return -1;
  }
  for (i = 0; i < k; i++) size[i] = customer_size(&r);
  fputs("id,customer,month,amount\n", csv);
  for (i = 1; i <= rows; i++) {
    long long c = (long long)(bench_rng_next(&r) % (uint64_t)k);
    int m = (int)(bench_rng_next(&r) % BENCH_MONTHS);
    int month = (2024 + m / 12) * 100 + m % 12 + 1;
    double amount = cents(20.0 * size[c] * exp(0.75 * bench_rng_normal(&r)));
    if (bench_rng_unit(&r) < 0.02) amount = -cents(amount * 0.5);
    sqlite3_bind_int64(ins, 1, i);
    sqlite3_bind_int64(ins, 2, c + 1);
    sqlite3_bind_int(ins, 3, month);
    sqlite3_bind_double(ins, 4, amount);
    if (sqlite3_step(ins) != SQLITE_DONE) break;
    sqlite3_reset(ins);
    fprintf(csv, "%lld,%lld,%d,%.2f\n", i, c + 1, month, amount);
  }
  sqlite3_finalize(ins);
  free(size);
  if (i <= rows || exec(db, "CREATE INDEX inv_cust_amount ON invoices(customer, amount);"
                            "ANALYZE") != 0) {
    fprintf(stderr, "bench: insert failed: %s\n", sqlite3_errmsg(db));
    fclose(csv);
    sqlite3_close(db);
    return -1;
  }
  if (finish(db, tmp, path, csv, csvtmp, csvpath) != 0) return -1;
  fprintf(stderr, "bench: %s in %.1f s\n", path, bench_now() - t0);
  return 0;
}

/* A value, or NULL 3 % of the time. */
static void bind_maybe(sqlite3_stmt *st, int col, double v, bench_rng *r) {
  if (bench_rng_unit(r) < 0.03)
    sqlite3_bind_null(st, col);
  else
    sqlite3_bind_double(st, col, v);
}

static int insert_accounts(sqlite3 *db, long long k, bench_rng *r) {
  sqlite3_stmt *st = 0;
  long long i;
  int rc = exec(db, "CREATE TABLE accounts(id INTEGER PRIMARY KEY, region REAL,"
                    " cash_runway_months REAL, days_to_renewal INTEGER, adoption REAL,"
                    " deployment REAL, stakeholders INTEGER, days_since_contact INTEGER,"
                    " risk REAL, expansion REAL)");
  if (rc != 0 || sqlite3_prepare_v2(db, "INSERT INTO accounts VALUES (?1,?2,?3,?4,?5,?6,?7,"
                                        "?8,?9,?10)", -1, &st, 0) != SQLITE_OK)
    return -1;
  for (i = 1; i <= k && rc == 0; i++) {
    double deployment = bench_rng_unit(r) < 0.6 ? 1.0 : cents(bench_rng_unit(r));
    sqlite3_bind_int64(st, 1, i);
    bind_maybe(st, 2, cents(bench_rng_unit(r)), r);
    bind_maybe(st, 3, floor(bench_rng_unit(r) * 36.0), r);
    bind_maybe(st, 4, floor(bench_rng_unit(r) * 400.0) - 30.0, r);
    bind_maybe(st, 5, cents(bench_rng_unit(r)), r);
    bind_maybe(st, 6, deployment, r);
    bind_maybe(st, 7, floor(bench_rng_unit(r) * 6.0), r);
    bind_maybe(st, 8, floor(bench_rng_unit(r) * 200.0), r);
    bind_maybe(st, 9, floor(bench_rng_unit(r) * 100.0), r);
    bind_maybe(st, 10, bench_rng_unit(r) < 0.2 ? cents(bench_rng_unit(r) * 5e4) : 0.0, r);
    if (sqlite3_step(st) != SQLITE_DONE) rc = -1;
    sqlite3_reset(st);
  }
  sqlite3_finalize(st);
  return rc;
}

int bench_make_customers(const char *dir, long long k) {
  char path[512], tmp[520], csvpath[512], csvtmp[520];
  bench_rng r = {0xc0570000ULL + (uint64_t)k};
  sqlite3 *db;
  sqlite3_stmt *ins = 0;
  FILE *csv;
  long long i;
  bench_cust_path(path, sizeof path, dir, k, "db");
  bench_cust_path(csvpath, sizeof csvpath, dir, k, "csv");
  if (finished(path) && access(csvpath, R_OK) == 0) return 0;
  snprintf(tmp, sizeof tmp, "%s.tmp", path);
  snprintf(csvtmp, sizeof csvtmp, "%s.tmp", csvpath);
  fprintf(stderr, "bench: generating %lld customers and accounts...\n", k);
  csv = fopen(csvtmp, "w");
  db = csv ? open_new(tmp) : 0;
  if (db == 0 ||
      exec(db, "CREATE TABLE customers(customer INTEGER PRIMARY KEY, amount REAL)") != 0 ||
      sqlite3_prepare_v2(db, "INSERT INTO customers VALUES (?1, ?2)", -1, &ins, 0)) {
    if (csv) fclose(csv);
    sqlite3_close(db);
    return -1;
  }
  fputs("customer,amount\n", csv);
  for (i = 1; i <= k; i++) {
    double amount = cents(1000.0 * customer_size(&r) * exp(0.3 * bench_rng_normal(&r)));
    if (bench_rng_unit(&r) < 0.01) amount = -cents(amount * bench_rng_unit(&r));
    sqlite3_bind_int64(ins, 1, i);
    sqlite3_bind_double(ins, 2, amount);
    if (sqlite3_step(ins) != SQLITE_DONE) break;
    sqlite3_reset(ins);
    fprintf(csv, "%lld,%.2f\n", i, amount);
  }
  sqlite3_finalize(ins);
  if (i <= k || insert_accounts(db, k, &r) != 0 || exec(db, "ANALYZE") != 0) {
    fprintf(stderr, "bench: insert failed: %s\n", sqlite3_errmsg(db));
    fclose(csv);
    sqlite3_close(db);
    return -1;
  }
  return finish(db, tmp, path, csv, csvtmp, csvpath);
}
