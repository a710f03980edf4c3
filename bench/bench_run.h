/*
** bench_run.h: the runner's queries, results and report (bench_run.c, bench_report.c).
*/
#ifndef PORTFOLIO_BENCH_RUN_H
#define PORTFOLIO_BENCH_RUN_H

#include "bench.h"

typedef struct bench_query {
  const char *id;       /* unique within its data set */
  const char *label;    /* what the table shows */
  const char *sql;
  const char *floor_id; /* the sum() it is divided by, or 0 */
  const char *sql_id;   /* the pure-SQL query computing the same, or 0 */
  const char *duck_id;  /* the DuckDB query computing the same (bench/duckdb.mjs), or 0 */
} bench_query;

extern const bench_query bench_invoice_queries[];
extern const bench_query bench_customer_queries[];
extern const bench_query bench_account_queries[];

/* One data set: a database file and the queries run on it. */
typedef struct bench_dataset {
  char role[16];    /* "inv-small-fewK" ... names used by targets */
  char title[96];
  char db[512];
  char csv[512];    /* for DuckDB; "" when DuckDB does not run on it */
  char kind[8];     /* "inv" or "cust" (what bench/duckdb.mjs loads it as) */
  long long rows, customers;
  const bench_query *queries;
} bench_dataset;

#define BENCH_MAX_RESULTS 256

typedef struct bench_result {
  const bench_dataset *ds;
  const bench_query *q;
  int ok;
  char note[200];
  double min, median;
  double check; /* sum of every numeric output value: both sides of a comparison agree */
  long long out_rows;
} bench_result;

typedef struct bench_duck {
  char dataset[16], id[24];
  int threads;
  double min, median;
} bench_duck;

typedef struct bench_memory {
  const bench_dataset *ds;
  const char *label;
  long long distinct;
  double peak_bytes;  /* VmHWM growth during the query */
  double alloc_bytes; /* growth of SQLite's allocator high-water mark */
  double table_bytes; /* the largest single allocation: a keyed form's slot array */
  int ok;
} bench_memory;

typedef struct bench_run {
  int quick, reps;
  bench_dataset sets[8];
  int nsets;
  bench_result results[BENCH_MAX_RESULTS];
  int nresults;
  bench_duck duck[BENCH_MAX_RESULTS];
  int nduck;
  char duck_status[200], duck_version[40];
  bench_memory mem[8];
  int nmem;
  double started, elapsed;
} bench_run;

const bench_result *bench_find(const bench_run *run, const char *role, const char *id);
const bench_duck *bench_find_duck(const bench_run *run, const char *role, const char *id,
                                  int threads);
void bench_run_duckdb(bench_run *run, const char *script);
/* Prints the report to f (Markdown). */
void bench_report(const bench_run *run, FILE *f);

#endif
