/*
** bench_run.c: the benchmark runner behind `make bench`.
**
**   bench/portfolio-bench [--quick] [--reps N] [--data DIR] [--out FILE]
**                         [--duckdb SCRIPT|none] [--inv-rows A,B] [--inv-customers A,B]
**                         [--customers N] [--only ROLE/ID[,ROLE/ID...]]
**
**   1. Makes the data sets when missing (bench_data.c), then times every query of
**      bench_queries.c on each, in this one process: prepare, step every row reading every
**      column, finalize; in `reps` rounds of every query of the data set (3 for a query
**      slower than 4 s), keeping the minimum and the median. Ratios compare minima taken
**      in the same run.
**   2. Peak memory of the keyed forms: each runs once in a fresh process (this program
**      with --probe-memory) that resets its RSS high-water mark first
**      (/proc/self/clear_refs), so the growth of VmHWM is what that query needed; SQLite's
**      own allocator high-water mark is reported beside it.
**   3. DuckDB runs the same computations through bench/duckdb.mjs (node), when available.
**   4. The report (bench_report.c) goes to stdout and to --out (bench/RESULTS.md).
*/
#include "bench_run.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int sqlite3_portfolio_init(sqlite3 *db, char **pzErrMsg, const sqlite3_api_routines *pApi);

#define SLOW_QUERY_SECONDS 4.0

/* bench_plain_sum(x): an aggregate registered the way the extension registers its own,
** doing no more than a plain double sum. Its time over sum()'s is what calling any
** extension aggregate costs before it does any work: the floor under the 1.1x targets. */
static void plain_sum_step(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  double *sum = sqlite3_aggregate_context(ctx, sizeof(double));
  (void)argc;
  if (sum && sqlite3_value_type(argv[0]) == SQLITE_FLOAT) *sum += sqlite3_value_double(argv[0]);
}

static void plain_sum_final(sqlite3_context *ctx) {
  double *sum = sqlite3_aggregate_context(ctx, 0);
  if (sum) sqlite3_result_double(ctx, *sum);
}

static int register_plain_sum(sqlite3 *db, char **err, const sqlite3_api_routines *api) {
  (void)err;
  (void)api;
  return sqlite3_create_window_function(db, "bench_plain_sum", 1, SQLITE_UTF8, 0,
                                        plain_sum_step, plain_sum_final, 0, 0, 0);
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

/* Runs sql to the end once. Returns 0, or -1 with the error in err. */
static int run_once(sqlite3 *db, const char *sql, double *secs, bench_result *r) {
  sqlite3_stmt *st = 0;
  double t0 = bench_now(), check = 0;
  long long rows = 0;
  int rc = sqlite3_prepare_v2(db, sql, -1, &st, 0);
  if (rc == SQLITE_OK) {
    int ncol = sqlite3_column_count(st);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
      int c;
      rows++;
      for (c = 0; c < ncol; c++) {
        int type = sqlite3_column_type(st, c);
        if (type == SQLITE_INTEGER || type == SQLITE_FLOAT)
          check += sqlite3_column_double(st, c);
        else if (type == SQLITE_TEXT)
          check += sqlite3_column_bytes(st, c);
      }
    }
    if (rc == SQLITE_DONE) rc = SQLITE_OK;
  }
  if (rc != SQLITE_OK) snprintf(r->note, sizeof r->note, "%s", sqlite3_errmsg(db));
  sqlite3_finalize(st);
  *secs = bench_now() - t0;
  r->check = check;
  r->out_rows = rows;
  return rc == SQLITE_OK ? 0 : -1;
}

static int selected(const bench_dataset *ds, const bench_query *q);

/* Keeps the minimum and the median of a result's times. */
static void summarize(bench_result *r, double *t, int n) {
  if (n == 0) {
    fprintf(stderr, "  %-58s n/a: %s\n", r->q->label, r->note);
    return;
  }
  qsort(t, (size_t)n, sizeof(double), cmp_double);
  r->ok = 1;
  r->min = t[0];
  r->median = n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
  snprintf(r->note, sizeof r->note, "%d reps", n);
  fprintf(stderr, "  %-58s min %8.4f s  median %8.4f s\n", r->q->label, r->min, r->median);
}

/* Runs the selected queries of a data set in rounds: each round runs every query once, so
** a burst of other work on the machine hits a query and the floor it is divided by alike,
** instead of all the repetitions of one of them. A query that failed stops; one slower
** than SLOW_QUERY_SECONDS stops after 3 rounds. */
static void measure_rounds(bench_run *run, sqlite3 *db, const bench_dataset *ds) {
  bench_result *first = &run->results[run->nresults];
  static double times[64][32];
  int count[64], done[64], nq = 0, i, round;
  const bench_query *q;
  for (q = ds->queries; q->id && nq < 64; q++) {
    bench_result *r;
    if (!selected(ds, q)) continue;
    r = &run->results[run->nresults++];
    memset(r, 0, sizeof *r);
    r->ds = ds;
    r->q = q;
    count[nq] = done[nq] = 0;
    nq++;
  }
  for (round = 0; round < run->reps && round < 32; round++) {
    for (i = 0; i < nq; i++) {
      bench_result *r = &first[i];
      if (done[i]) continue;
      if (run_once(db, r->q->sql, &times[i][count[i]], r) != 0) {
        done[i] = 1;
        continue;
      }
      count[i]++;
      if (times[i][0] > SLOW_QUERY_SECONDS && count[i] >= 3) done[i] = 1;
    }
  }
  for (i = 0; i < nq; i++) summarize(&first[i], times[i], count[i]);
}

static long long query_int(sqlite3 *db, const char *sql) {
  sqlite3_stmt *st = 0;
  long long v = -1;
  if (sqlite3_prepare_v2(db, sql, -1, &st, 0) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
    v = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  return v;
}

/* Reads "Name:   123 kB" from /proc/self/status, in bytes. */
static double proc_status_bytes(const char *name) {
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  double v = -1;
  size_t n = strlen(name);
  if (f == 0) return -1;
  while (fgets(line, sizeof line, f))
    if (strncmp(line, name, n) == 0 && line[n] == ':') v = atof(line + n + 1) * 1024.0;
  fclose(f);
  return v;
}

/* `--probe-memory DB SQL`: run in a fresh process (so no page the runner touched before
** is reused), reset the RSS high-water mark, run sql once, print the growth of VmHWM, of
** SQLite's allocator high-water mark, and the largest single allocation (for a keyed
** aggregate: its final slot array, the customer table itself). */
static int probe_memory(const char *dbpath, const char *sql) {
  sqlite3 *db = 0;
  sqlite3_int64 cur = 0, hi = 0, cur2 = 0, hi2 = 0, big = 0, bighi = 0;
  double base, secs;
  bench_result r;
  FILE *f = fopen("/proc/self/clear_refs", "w");
  if (f == 0 || sqlite3_open_v2(dbpath, &db, SQLITE_OPEN_READONLY, 0) != SQLITE_OK) return 1;
  fputs("5", f);
  if (fclose(f) != 0) return 1;
  base = proc_status_bytes("VmRSS");
  sqlite3_status64(SQLITE_STATUS_MEMORY_USED, &cur, &hi, 1);
  sqlite3_status64(SQLITE_STATUS_MALLOC_SIZE, &big, &bighi, 1);
  if (run_once(db, sql, &secs, &r) != 0) return 1;
  sqlite3_status64(SQLITE_STATUS_MEMORY_USED, &cur2, &hi2, 0);
  sqlite3_status64(SQLITE_STATUS_MALLOC_SIZE, &big, &bighi, 0);
  printf("%.0f %.0f %.0f\n", proc_status_bytes("VmHWM") - base, (double)(hi2 - cur),
         (double)bighi);
  sqlite3_close(db);
  return 0;
}

static void measure_memory(bench_run *run, const bench_dataset *ds, const char *label,
                           const char *sql, long long distinct) {
  bench_memory *m = &run->mem[run->nmem++];
  char cmd[2048], exe[1024];
  ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
  FILE *p;
  memset(m, 0, sizeof *m);
  m->ds = ds;
  m->label = label;
  m->distinct = distinct;
  if (n <= 0) return;
  exe[n] = 0;
  snprintf(cmd, sizeof cmd, "'%s' --probe-memory '%s' \"%s\"", exe, ds->db, sql);
  fflush(0);
  p = popen(cmd, "r");
  if (p && fscanf(p, "%lf %lf %lf", &m->peak_bytes, &m->alloc_bytes, &m->table_bytes) == 3)
    m->ok = 1;
  if (p && pclose(p) != 0) m->ok = 0;
  fprintf(stderr, "  memory %-40s %s %.1f MB peak RSS; largest allocation %.1f bytes/customer\n",
          label, m->ok ? "" : "(failed)", m->peak_bytes / 1e6, m->table_bytes / (double)distinct);
}

/* --only ROLE/ID or ROLE/, or several of them separated by commas: run only those queries
** or data sets (and no memory or DuckDB runs), for comparing two builds quickly while
** working on one function, or taking the ratios of a few queries in one run. */
static const char *only;

static int selected(const bench_dataset *ds, const bench_query *q) {
  char name[64];
  const char *p = only;
  snprintf(name, sizeof name, "%s/%s", ds->role, q->id);
  if (only == 0) return 1;
  while (*p) {
    size_t n = strcspn(p, ",");
    if ((n == strlen(name) && strncmp(name, p, n) == 0) ||
        (n > 0 && p[n - 1] == '/' && strncmp(name, p, n) == 0)) /* "invD/": all of it */
      return 1;
    p += n + (p[n] == ',');
  }
  return 0;
}

static void run_dataset(bench_run *run, bench_dataset *ds) {
  sqlite3 *db = 0;
  const bench_query *q;
  for (q = ds->queries; q->id && !selected(ds, q); q++) {
  }
  if (q->id == 0) return;
  fprintf(stderr, "%s\n", ds->title);
  /* One thread per connection: no mutex around every sqlite3_column_*() call. */
  if (sqlite3_open_v2(ds->db, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, 0) != SQLITE_OK) {
    fprintf(stderr, "bench: cannot open %s\n", ds->db);
    sqlite3_close(db);
    return;
  }
  if (strcmp(ds->kind, "inv") == 0)
    ds->customers = query_int(db, "SELECT count(*) FROM (SELECT DISTINCT customer FROM "
                                  "invoices INDEXED BY inv_cust_amount)");
  measure_rounds(run, db, ds);
  sqlite3_close(db);
}

static void parse_pair(const char *s, long long v[2]) {
  char *end;
  v[0] = strtoll(s, &end, 10);
  v[1] = *end == ',' ? strtoll(end + 1, 0, 10) : v[0];
}

static void add_sets(bench_run *run, const char *dir, const bench_sizes *z) {
  static const char *roles[4] = {"invA", "invB", "invC", "invD"};
  int i;
  for (i = 0; i < 4; i++) {
    bench_dataset *ds = &run->sets[run->nsets++];
    long long n = z->inv_rows[i / 2], k = z->inv_customers[i % 2];
    snprintf(ds->role, sizeof ds->role, "%s", roles[i]);
    snprintf(ds->title, sizeof ds->title, "invoices: N = %lld rows over K = %lld customers", n,
             k);
    bench_inv_path(ds->db, sizeof ds->db, dir, n, k, "db");
    bench_inv_path(ds->csv, sizeof ds->csv, dir, n, k, "csv");
    snprintf(ds->kind, sizeof ds->kind, "inv");
    ds->rows = n;
    ds->customers = k;
    ds->queries = bench_invoice_queries;
  }
  for (i = 0; i < 2; i++) {
    bench_dataset *ds = &run->sets[run->nsets++];
    snprintf(ds->role, sizeof ds->role, i ? "acct" : "cust");
    snprintf(ds->title, sizeof ds->title, i ? "accounts: %lld rows" :
             "customers: one row per customer, %lld rows", z->customers);
    bench_cust_path(ds->db, sizeof ds->db, dir, z->customers, "db");
    if (i == 0) bench_cust_path(ds->csv, sizeof ds->csv, dir, z->customers, "csv");
    snprintf(ds->kind, sizeof ds->kind, i ? "acct" : "cust");
    ds->rows = ds->customers = z->customers;
    ds->queries = i ? bench_account_queries : bench_customer_queries;
  }
}

typedef struct bench_options {
  bench_sizes sizes;
  const char *dir, *out, *duck;
} bench_options;

/* Reads the command line into run and o. Returns 0, or 2 after printing the usage. */
static int parse_options(int argc, char **argv, bench_run *run, bench_options *o) {
  int i, explicit_reps = 0;
  for (i = 1; i < argc; i++) {
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : "";
    if (strcmp(a, "--quick") == 0) {
      run->quick = 1;
      continue;
    }
    i++;
    if (strcmp(a, "--reps") == 0) run->reps = atoi(v), explicit_reps = 1;
    else if (strcmp(a, "--data") == 0) o->dir = v;
    else if (strcmp(a, "--out") == 0) o->out = v;
    else if (strcmp(a, "--only") == 0) only = v;
    else if (strcmp(a, "--duckdb") == 0) o->duck = v;
    else if (strcmp(a, "--inv-rows") == 0) parse_pair(v, o->sizes.inv_rows);
    else if (strcmp(a, "--inv-customers") == 0) parse_pair(v, o->sizes.inv_customers);
    else if (strcmp(a, "--customers") == 0) o->sizes.customers = atoll(v);
    else {
      fprintf(stderr, "usage: %s [--quick] [--reps N] [--data DIR] [--out FILE] [--only "
                      "ROLE/ID[,...]] [--duckdb SCRIPT|none] [--inv-rows A,B] [--inv-customers A,B] "
                      "[--customers N]\n", argv[0]);
      return 2;
    }
  }
  if (run->quick) {
    o->sizes = (bench_sizes){{100000, 400000}, {1000, 100000}, 200000};
    if (!explicit_reps) run->reps = 3;
  }
  if (run->reps <= 0) run->reps = 5;
  return 0;
}

/* Peak memory of the keyed forms on the data set with the most customers. */
static void measure_keyed_memory(bench_run *run) {
  static const char *keyed[][2] = {
      {"herfindahl(customer, amount)", "SELECT herfindahl(customer, amount) FROM invoices"
                                       " NOT INDEXED"},
      {"top_share(customer, amount, 10)", "SELECT top_share(customer, amount, 10) FROM "
                                          "invoices NOT INDEXED"},
      {"gini(customer, amount)", "SELECT gini(customer, amount) FROM invoices NOT INDEXED"},
      {"pure SQL HHI: GROUP BY customer",
       "SELECT 10000.0 * sum(t * t) / (sum(t) * sum(t)) FROM (SELECT sum(amount) AS t FROM "
       "invoices NOT INDEXED GROUP BY customer) WHERE t > 0"},
  };
  bench_dataset *big = &run->sets[3];
  int i;
  fprintf(stderr, "memory at %lld distinct customers\n", big->customers);
  for (i = 0; i < 4; i++) measure_memory(run, big, keyed[i][0], keyed[i][1], big->customers);
}

int main(int argc, char **argv) {
  static bench_run run;
  bench_options o = {{{1000000, 10000000}, {10000, 1000000}, 1000000},
                     "bench/data", "bench/RESULTS.md", "bench/duckdb.mjs"};
  int i;
  FILE *f;
  sqlite3_auto_extension((void (*)(void))sqlite3_portfolio_init);
  sqlite3_auto_extension((void (*)(void))register_plain_sum);
  if (argc == 4 && strcmp(argv[1], "--probe-memory") == 0) return probe_memory(argv[2], argv[3]);
  if (parse_options(argc, argv, &run, &o) != 0) return 2;
  run.started = bench_now();
  add_sets(&run, o.dir, &o.sizes);
  for (i = 0; i < run.nsets; i++) {
    bench_dataset *ds = &run.sets[i];
    int rc = strcmp(ds->kind, "inv") == 0 ? bench_make_invoices(o.dir, ds->rows, ds->customers)
                                          : bench_make_customers(o.dir, o.sizes.customers);
    if (rc != 0) return 1;
  }
  for (i = 0; i < run.nsets; i++) run_dataset(&run, &run.sets[i]);
  if (only == 0) measure_keyed_memory(&run);
  if (strcmp(o.duck, "none") != 0 && only == 0) bench_run_duckdb(&run, o.duck);
  else snprintf(run.duck_status, sizeof run.duck_status, "not run (--duckdb none)");
  run.elapsed = bench_now() - run.started;
  if (only == 0) bench_report(&run, stdout);
  f = fopen(o.out, "w");
  if (f == 0) {
    fprintf(stderr, "bench: cannot write %s\n", o.out);
    return 1;
  }
  bench_report(&run, f);
  fclose(f);
  fprintf(stderr, "bench: wrote %s (%.0f s in all)\n", o.out, run.elapsed);
  return 0;
}
