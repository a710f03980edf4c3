/*
** bench.h: shared declarations of the benchmark program (bench/bench_*.c).
**
** The program links the extension statically (every ext/ source compiled with -DSQLITE_CORE), so
** every timing is taken inside one process with no shell in between: a query is prepared,
** stepped to the end (every column of every row read) and finalized, several times, and the
** minimum and the median are kept.
*/
#ifndef PORTFOLIO_BENCH_H
#define PORTFOLIO_BENCH_H

#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>

/* The data sets: invoices (N rows over K customers), one row per customer, accounts. */
typedef struct bench_sizes {
  long long inv_rows[2];      /* N: small and large */
  long long inv_customers[2]; /* K: few and many */
  long long customers;        /* rows of the one-row-per-customer table and of accounts */
} bench_sizes;

/* Deterministic random numbers (splitmix64): the same seed gives the same data anywhere. */
typedef struct bench_rng {
  uint64_t s;
} bench_rng;

uint64_t bench_rng_next(bench_rng *r);
double bench_rng_unit(bench_rng *r); /* in (0, 1) */
double bench_rng_normal(bench_rng *r);

/* Path of a data file in dir: "inv-N-K.db", "inv-N-K.csv", "cust-K.db", "cust-K.csv". */
void bench_inv_path(char *out, size_t n, const char *dir, long long rows, long long k,
                    const char *ext);
void bench_cust_path(char *out, size_t n, const char *dir, long long k, const char *ext);

/* Creates the data files when missing (a stamp table inside each database marks a finished
** file). Returns 0 or prints why it failed and returns -1. */
int bench_make_invoices(const char *dir, long long rows, long long k);
int bench_make_customers(const char *dir, long long k);

/* Seconds on the monotonic clock. */
double bench_now(void);

#endif
