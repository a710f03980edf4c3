/*
** bench_report.c: the DuckDB side (through bench/duckdb.mjs) and the Markdown report.
**
**   1. DuckDB: node runs the same computations on the CSV exports, with 1 and with 2
**      threads, and prints tab-separated lines ("result", "load", "version", "error").
**      No node, no package or a failing script leaves the report saying DuckDB was
**      unavailable and why; the SQLite side is reported all the same.
**   2. Report: the targets of the benchmark issue, each with its measured ratio and
**      whether it holds; one table per data set (min, median, rows per second, ratio to the
**      floor and to the pure-SQL equivalent, and whether both returned the same numbers);
**      peak memory; DuckDB side by side.
*/
#include "bench_run.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>

const bench_result *bench_find(const bench_run *run, const char *role, const char *id) {
  int i;
  if (id == 0) return 0;
  for (i = 0; i < run->nresults; i++) {
    const bench_result *r = &run->results[i];
    if (r->ok && strcmp(r->ds->role, role) == 0 && strcmp(r->q->id, id) == 0) return r;
  }
  return 0;
}

const bench_duck *bench_find_duck(const bench_run *run, const char *role, const char *id,
                                  int threads) {
  int i;
  if (id == 0) return 0;
  for (i = 0; i < run->nduck; i++) {
    const bench_duck *d = &run->duck[i];
    if (d->threads == threads && strcmp(d->dataset, role) == 0 && strcmp(d->id, id) == 0)
      return d;
  }
  return 0;
}

void bench_run_duckdb(bench_run *run, const char *script) {
  char cmd[4096], line[512];
  size_t used;
  FILE *p;
  int i;
  used = (size_t)snprintf(cmd, sizeof cmd, "node '%s' --reps %d", script, run->reps);
  for (i = 0; i < run->nsets; i++) {
    const bench_dataset *ds = &run->sets[i];
    if (ds->csv[0] && used < sizeof cmd)
      used += (size_t)snprintf(cmd + used, sizeof cmd - used, " '%s:%s:%s'", ds->role, ds->kind,
                               ds->csv);
  }
  if (used < sizeof cmd) snprintf(cmd + used, sizeof cmd - used, " 2>&1");
  fprintf(stderr, "DuckDB: %s\n", cmd);
  snprintf(run->duck_status, sizeof run->duck_status, "unavailable: node could not be run");
  p = popen(cmd, "r");
  if (p == 0) return;
  while (fgets(line, sizeof line, p)) {
    char *f[6] = {0};
    char *s = line;
    int n = 0;
    line[strcspn(line, "\n")] = 0;
    while (n < 6 && (f[n] = strsep(&s, "\t")) != 0) n++;
    if (n == 6 && strcmp(f[0], "result") == 0 && run->nduck < BENCH_MAX_RESULTS) {
      bench_duck *d = &run->duck[run->nduck++];
      snprintf(d->dataset, sizeof d->dataset, "%s", f[1]);
      snprintf(d->id, sizeof d->id, "%s", f[2]);
      d->threads = atoi(f[3]);
      d->min = atof(f[4]);
      d->median = atof(f[5]);
      fprintf(stderr, "  duckdb %-6s %-12s %d thread(s) min %8.4f s\n", d->dataset, d->id,
              d->threads, d->min);
    } else if (n >= 2 && strcmp(f[0], "version") == 0) {
      snprintf(run->duck_version, sizeof run->duck_version, "%s", f[1]);
    } else if (line[0]) {
      fprintf(stderr, "  duckdb: %s\n", line);
      if (run->nduck == 0)
        snprintf(run->duck_status, sizeof run->duck_status, "unavailable: %.180s", line);
    }
  }
  if (pclose(p) == 0 && run->nduck > 0)
    snprintf(run->duck_status, sizeof run->duck_status, "DuckDB %s (@duckdb/node-api)",
             run->duck_version);
}

/* ---- report ------------------------------------------------------------------------- */

static void machine(FILE *f, const bench_run *run) {
  char line[256], model[160] = "unknown CPU";
  int cpus = 0;
  double mem = 0;
  struct utsname u;
  FILE *c = fopen("/proc/cpuinfo", "r");
  while (c && fgets(line, sizeof line, c)) {
    if (strncmp(line, "model name", 10) == 0) {
      char *v = strchr(line, ':');
      if (v && cpus == 0) snprintf(model, sizeof model, "%s", v + 2);
      cpus++;
    }
  }
  if (c) fclose(c);
  model[strcspn(model, "\n")] = 0;
  c = fopen("/proc/meminfo", "r");
  if (c && fgets(line, sizeof line, c)) mem = atof(line + 9) / 1048576.0;
  if (c) fclose(c);
  uname(&u);
  fprintf(f, "- Machine: %s, %d CPUs, %.0f GiB RAM, %s %s %s\n", model, cpus, mem, u.sysname,
          u.release, u.machine);
  fprintf(f, "- SQLite %s (the system library); extension and runner built with gcc %s -O2\n",
          sqlite3_libversion(), __VERSION__);
  fprintf(f, "- DuckDB: %s\n", run->duck_status);
  c = fopen("/proc/loadavg", "r");
  if (c && fgets(line, sizeof line, c)) {
    line[strcspn(line, "\n")] = 0;
    fprintf(f, "- Load average at the end (other work on the machine): %s\n", line);
  }
  if (c) fclose(c);
  fprintf(f, "- Mode: %s, %d repetitions per query (3 for queries over %.0f s); whole run "
             "%.0f s\n",
          run->quick ? "quick (make bench QUICK=1)" : "full", run->reps, 4.0, run->elapsed);
}

typedef struct target {
  const char *text;
  const char *role, *id, *vs_role, *vs_id;
  int duck_threads; /* vs is DuckDB with this many threads */
  int at_least;     /* 1: vs / id must reach limit (speed-up); 0: id / vs at most limit */
  double limit;
} target;

static const target targets[] = {
    {"herfindahl(amount) <= 1.1x sum(amount)", "cust", "hhi", "cust", "floor", 0, 0, 1.1},
    {"top_share(amount, 10) <= 1.1x sum(amount)", "cust", "top", "cust", "floor", 0, 0, 1.1},
    {"gini(amount) <= 3x sum(amount)", "cust", "gini", "cust", "floor", 0, 0, 3},
    {"auc(score, outcome) <= 3x sum(amount)", "cust", "auc", "cust", "floor", 0, 0, 3},
    {"herfindahl(customer, amount), big N, few K: <= 1.5x sum", "invC", "hhi_keyed", "invC",
     "floor", 0, 0, 1.5},
    {"herfindahl(customer, amount), big N, many K: >= 3x faster than GROUP BY", "invD",
     "hhi_keyed", "invD", "hhi_sql", 0, 1, 3},
    {"herfindahl(customer, amount), big N, many K: <= 3x sum", "invD", "hhi_keyed", "invD",
     "floor", 0, 0, 3},
    {"keyed HHI with covering index <= 1.3x pure SQL with it (few K)", "invC", "hhi_keyed_idx",
     "invC", "hhi_sql_idx", 0, 0, 1.3},
    {"keyed HHI with covering index <= 1.3x pure SQL with it (many K)", "invD",
     "hhi_keyed_idx", "invD", "hhi_sql_idx", 0, 0, 1.3},
    {"HHI per month, concentration_by: >= 3x faster than pure SQL (few K)", "invC", "month_by",
     "invC", "month_sql", 0, 1, 3},
    {"HHI per month, concentration_by: >= 3x faster than pure SQL (many K)", "invD",
     "month_by", "invD", "month_sql", 0, 1, 3},
    {"revenue bridge, revenue_movements: >= 3x faster than pure SQL (many K)", "invD", "moves",
     "invD", "moves_sql", 0, 1, 3},
    {"revenue bridge, revenue_movements: <= 1.5x concentration_by (many K)", "invD", "moves",
     "invD", "month_by", 0, 0, 1.5},
    {"concentration(...): >= 2x faster than the window query", "cust", "conc", "cust",
     "conc_sql", 0, 1, 2},
    {"risk_score, 6 factors: faster than pure SQL", "acct", "risk", "acct", "risk_sql", 0, 1,
     1},
    {"risk_score, 6 factors: <= 4x sum() of one column", "acct", "risk", "acct", "floor", 0, 0,
     4},
    {"risk_score with a learnt model: <= 1.5x the default model", "acct", "risk_learnt", "acct",
     "risk", 0, 0, 1.5},
    {"risk_score, model from a column: <= 1.5x the default model", "acct", "risk_learnt_col",
     "acct", "risk", 0, 0, 1.5},
    {"keyed HHI, big N, many K: <= 3x DuckDB single-threaded (query only)", "invD",
     "hhi_keyed", "invD", "hhi_keyed", 1, 0, 3},
};

static void report_targets(FILE *f, const bench_run *run) {
  size_t i;
  int m;
  fprintf(f, "\n## Targets\n\n| target | measured | holds |\n|---|---:|:---:|\n");
  for (i = 0; i < sizeof targets / sizeof targets[0]; i++) {
    const target *t = &targets[i];
    const bench_result *a = bench_find(run, t->role, t->id);
    double vs = -1;
    if (t->duck_threads) {
      const bench_duck *d = bench_find_duck(run, t->vs_role, t->vs_id, t->duck_threads);
      if (d) vs = d->min;
    } else {
      const bench_result *b = bench_find(run, t->vs_role, t->vs_id);
      if (b) vs = b->min;
    }
    if (a == 0 || vs <= 0) {
      fprintf(f, "| %s | n/a | - |\n", t->text);
    } else if (t->at_least) {
      double x = vs / a->min;
      fprintf(f, "| %s | %.2fx faster | %s |\n", t->text, x, x >= t->limit ? "yes" : "**no**");
    } else {
      double x = a->min / vs;
      fprintf(f, "| %s | %.2fx | %s |\n", t->text, x, x <= t->limit ? "yes" : "**no**");
    }
  }
  for (m = 0; m < run->nmem; m++) {
    const bench_memory *mm = &run->mem[m];
    double per = mm->table_bytes / (double)mm->distinct;
    if (strncmp(mm->label, "pure", 4) == 0) continue;
    fprintf(f, "| %s: customer table <= 48 bytes per distinct customer | %.1f bytes | %s |\n",
            mm->label, per, mm->ok && per <= 48 ? "yes" : "**no**");
  }
}

static const char *same_numbers(const bench_result *r, const bench_result *s) {
  if (s == 0) return "";
  if (fabs(r->check - s->check) <= 1e-6 * fmax(1.0, fabs(s->check))) return "same";
  return "**differs**";
}

static void report_dataset(FILE *f, const bench_run *run, const bench_dataset *ds) {
  int i;
  fprintf(f, "\n### %s", ds->title);
  if (strcmp(ds->kind, "inv") == 0) fprintf(f, " (%lld distinct)", ds->customers);
  fprintf(f, "\n\n| query | min s | median s | M rows/s | x floor | x pure SQL | result vs "
             "pure SQL |\n|---|---:|---:|---:|---:|---:|---|\n");
  for (i = 0; i < run->nresults; i++) {
    const bench_result *r = &run->results[i];
    const bench_result *fl, *sq;
    if (r->ds != ds) continue;
    if (!r->ok) {
      fprintf(f, "| %s | n/a | | | | | %s |\n", r->q->label, r->note);
      continue;
    }
    fl = bench_find(run, ds->role, r->q->floor_id);
    sq = bench_find(run, ds->role, r->q->sql_id);
    fprintf(f, "| %s | %.4f | %.4f | %.1f | ", r->q->label, r->min, r->median,
            (double)ds->rows / r->min / 1e6);
    if (fl) fprintf(f, "%.2f", r->min / fl->min);
    fprintf(f, " | ");
    if (sq)
      fprintf(f, "%.2f (%.1fx %s)", r->min / sq->min,
              sq->min >= r->min ? sq->min / r->min : r->min / sq->min,
              sq->min >= r->min ? "faster" : "slower");
    fprintf(f, " | %s |\n", same_numbers(r, sq));
  }
}

static void report_memory(FILE *f, const bench_run *run) {
  int i;
  if (run->nmem == 0) return;
  fprintf(f, "\n## Memory at %lld distinct customers (%s)\n\nEach query once in a fresh "
             "process. The customer table is the largest single allocation (a keyed form's "
             "slot array); peak RSS also counts SQLite's page cache, the old and new arrays "
             "while the table grows, and the list of totals that top_share and gini sort at "
             "the end.\n\n| query | customer table | per customer | peak RSS growth | per "
             "customer | SQLite allocator high-water |\n|---|---:|---:|---:|---:|---:|\n",
          run->mem[0].distinct, run->mem[0].ds->title);
  for (i = 0; i < run->nmem; i++) {
    const bench_memory *m = &run->mem[i];
    double k = (double)m->distinct;
    if (!m->ok) {
      fprintf(f, "| %s | n/a | | | | |\n", m->label);
      continue;
    }
    fprintf(f, "| %s | %.1f MB | %.1f bytes | %.1f MB | %.1f bytes | %.1f MB |\n", m->label,
            m->table_bytes / 1e6, m->table_bytes / k, m->peak_bytes / 1e6, m->peak_bytes / k,
            m->alloc_bytes / 1e6);
  }
}

static void report_duckdb(FILE *f, const bench_run *run) {
  int i;
  fprintf(f, "\n## DuckDB side by side\n\n%s. Same data, loaded from the CSV export; "
             "query time only, load time separately.\n",
          run->duck_status);
  if (run->nduck == 0) return;
  fprintf(f, "\n| data set | computation | SQLite + extension min s | DuckDB 1 thread | DuckDB "
             "2 threads | SQLite / DuckDB 1 thread |\n|---|---|---:|---:|---:|---:|\n");
  for (i = 0; i < run->nresults; i++) {
    const bench_result *r = &run->results[i];
    const bench_duck *d1, *d2;
    if (!r->ok || r->q->duck_id == 0) continue;
    d1 = bench_find_duck(run, r->ds->role, r->q->duck_id, 1);
    d2 = bench_find_duck(run, r->ds->role, r->q->duck_id, 2);
    if (d1 == 0) continue;
    fprintf(f, "| %s | %s | %.4f | %.4f | %s%.4f | %.2f |\n", r->ds->title, r->q->label, r->min,
            d1->min, d2 ? "" : "n/a ", d2 ? d2->min : 0.0, r->min / d1->min);
  }
  fprintf(f, "\n| data set | DuckDB CSV load, 1 thread s | 2 threads s |\n|---|---:|---:|\n");
  for (i = 0; i < run->nsets; i++) {
    const bench_duck *l1 = bench_find_duck(run, run->sets[i].role, "load", 1);
    const bench_duck *l2 = bench_find_duck(run, run->sets[i].role, "load", 2);
    if (l1)
      fprintf(f, "| %s | %.2f | %.2f |\n", run->sets[i].title, l1->min, l2 ? l2->min : 0.0);
  }
}

void bench_report(const bench_run *run, FILE *f) {
  int i;
  time_t now = time(0);
  char when[64];
  strftime(when, sizeof when, "%Y-%m-%d %H:%M UTC", gmtime(&now));
  fprintf(f, "# Benchmark results\n\nWritten by `make bench` (bench/bench_run.c) on %s. "
             "Times are wall-clock seconds inside one process; ratios compare minima of the "
             "same run. \"x floor\" is the time over SQLite's own `sum(amount)` over the same "
             "rows; \"x pure SQL\" the time over the pure-SQL query computing the same numbers "
             "(below 1 is faster). See bench/NOTES.md for profiles and the targets missed.\n\n",
          when);
  machine(f, run);
  report_targets(f, run);
  fprintf(f, "\n## Times\n");
  for (i = 0; i < run->nsets; i++) report_dataset(f, run, &run->sets[i]);
  report_memory(f, run);
  report_duckdb(f, run);
}
