/*
** test_oom.c: out-of-memory injection for every function and table of the extension.
**
** An allocator wrapping SQLite's default one (SQLITE_CONFIG_GETMALLOC, then
** SQLITE_CONFIG_MALLOC before sqlite3_initialize; lookaside off so that every allocation
** reaches it) fails the Nth allocation, either once ("transient") or from then on
** ("persistent"). For each query and N = 1, 2, ... until a run hits no failure:
**   1. open a connection and load the data with the failure disarmed;
**   2. arm it, prepare and run the query to the end, disarm;
**   3. the run either succeeds with exactly the rows of an undisturbed run (itself checked
**      against hand-worked values where given), or fails with SQLITE_NOMEM (or with the
**      query's own expected error), never anything else and never a crash;
**   4. after sqlite3_close(), the number of live allocations and sqlite3_memory_used() are
**      back where they were before the connection was opened: nothing leaked.
** PF_OOM_STRIDE=k tries only every k-th N (make valgrind sets it: memcheck is ~50x slower).
** Debugging: PF_OOM_ONLY=<scenario name> runs one scenario, PF_OOM_VERBOSE=1 prints the
** allocation count of each, PF_OOM_TRACE=N prints the call stack of the N-th allocation
** (link with LDFLAGS=-rdynamic for names). The scenarios and the data they read are in
** tests/oom_scenarios.c.
*/
#include "testing.h"
#include "measure.h"
#include "oom_scenarios.h"
#include "pf_host.h"
#include "scorecard.h"

#include <execinfo.h>
#include <stdarg.h>
#include <stdint.h>

/* ---- the failing allocator ------------------------------------------------------------ */

static sqlite3_mem_methods base_mem;
static struct {
  long long calls;    /* allocation attempts since armed */
  long long fail_at;  /* 0: disarmed */
  int persistent;     /* fail every attempt from fail_at on */
  long long injected; /* failures injected since armed */
  long long live;     /* allocations not yet freed */
} oom;

static int oom_should_fail(void) {
  if (oom.fail_at == 0) return 0;
  oom.calls++;
  if (oom.calls == oom.fail_at || (oom.persistent && oom.calls > oom.fail_at)) {
    const char *trace = getenv("PF_OOM_TRACE");
    oom.injected++;
    if (oom.injected == 1 && trace && atoll(trace) == oom.fail_at) {
      void *frames[32];
      backtrace_symbols_fd(frames, backtrace(frames, 32), 2);
    }
    return 1;
  }
  return 0;
}

static void *oom_malloc(int n) {
  void *p;
  if (oom_should_fail()) return 0;
  p = base_mem.xMalloc(n);
  if (p) oom.live++;
  return p;
}

static void oom_free(void *p) {
  if (p) oom.live--;
  base_mem.xFree(p);
}

static void *oom_realloc(void *p, int n) {
  if (oom_should_fail()) return 0;
  return base_mem.xRealloc(p, n);
}

static int oom_size(void *p) { return base_mem.xSize(p); }
static int oom_roundup(int n) { return base_mem.xRoundup(n); }
static int oom_init(void *app) {
  (void)app;
  return base_mem.xInit(base_mem.pAppData);
}
static void oom_shutdown(void *app) {
  (void)app;
  base_mem.xShutdown(base_mem.pAppData);
}

static void oom_arm(long long n, int persistent) {
  oom.calls = 0;
  oom.injected = 0;
  oom.persistent = persistent;
  oom.fail_at = n;
}

static void oom_disarm(void) { oom.fail_at = 0; }

/* ---- running a query without allocating through SQLite ------------------------------- */

/* The rows of a query as text, in memory from libc (never through the failing allocator). */
typedef struct result {
  char *text;
  size_t len, cap;
  int rc;         /* SQLITE_OK, or the error code */
  char err[512];  /* the error message */
} result;

static void result_put(result *r, const void *p, size_t n) {
  if (r->len + n + 1 > r->cap) {
    r->cap = (r->len + n + 1) * 2;
    r->text = realloc(r->text, r->cap);
    ck_assert_ptr_nonnull(r->text);
  }
  memcpy(r->text + r->len, p, n);
  r->len += n;
  r->text[r->len] = 0;
}

static void result_putf(result *r, const char *fmt, ...) {
  char buf[64];
  va_list ap;
  int n;
  va_start(ap, fmt);
  n = vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  result_put(r, buf, (size_t)n);
}

/* Appends one row; reading a column never converts, so it never allocates. */
static void result_row(result *r, sqlite3_stmt *stmt) {
  int i, n = sqlite3_column_count(stmt);
  for (i = 0; i < n; i++) {
    switch (sqlite3_column_type(stmt, i)) {
      case SQLITE_INTEGER:
        result_putf(r, "%lld", sqlite3_column_int64(stmt, i));
        break;
      case SQLITE_FLOAT:
        result_putf(r, "%.17g", sqlite3_column_double(stmt, i));
        break;
      case SQLITE_NULL:
        result_put(r, "NULL", 4);
        break;
      default: { /* TEXT and BLOB: the bytes as stored */
        int blob = sqlite3_column_type(stmt, i) == SQLITE_BLOB;
        const void *p = sqlite3_column_blob(stmt, i);
        result_put(r, blob ? "x:" : "'", blob ? 2 : 1);
        if (p) result_put(r, p, (size_t)sqlite3_column_bytes(stmt, i));
        break;
      }
    }
    result_put(r, i + 1 < n ? "|" : "\n", 1);
  }
}

static void run_query(sqlite3 *db, const char *sql, result *r) {
  sqlite3_stmt *stmt = 0;
  int rc = sqlite3_prepare_v2(db, sql, -1, &stmt, 0);
  r->len = 0;
  if (r->text) r->text[0] = 0;
  if (rc == SQLITE_OK) {
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) result_row(r, stmt);
  }
  oom_disarm(); /* the error message and the finalize below must not fail */
  if (rc == SQLITE_DONE) rc = SQLITE_OK;
  r->rc = rc == SQLITE_OK ? SQLITE_OK : sqlite3_errcode(db);
  snprintf(r->err, sizeof r->err, "%s", rc == SQLITE_OK ? "" : sqlite3_errmsg(db));
  sqlite3_finalize(stmt);
}

static void check_outcome(const scenario *s, const result *want, const result *got,
                          long long n, int persistent) {
  if (got->rc == SQLITE_NOMEM) return;
  ck_assert_msg(got->rc == want->rc, "%s: N=%lld%s: rc %d (%s), want %d (%s)", s->name, n,
                persistent ? " persistent" : "", got->rc, got->err, want->rc, want->err);
  if (want->rc == SQLITE_OK) {
    ck_assert_msg(strcmp(got->text, want->text) == 0, "%s: N=%lld%s: different rows",
                  s->name, n, persistent ? " persistent" : "");
  } else {
    /* When SQLite cannot copy an error message (sqlite3VdbeTransferError runs out of
    ** memory) it keeps the error code and reports its generic text instead. */
    char generic[128];
    const char *colon = strchr(want->err, ':');
    snprintf(generic, sizeof generic, "%.*s: %s", colon ? (int)(colon - want->err) : 0,
             want->err, sqlite3_errstr(want->rc));
    if (strcmp(got->err, sqlite3_errstr(want->rc)) == 0 || strcmp(got->err, generic) == 0)
      return;
    ck_assert_msg(strcmp(got->err, want->err) == 0, "%s: N=%lld%s: error '%s', want '%s'",
                  s->name, n, persistent ? " persistent" : "", got->err, want->err);
  }
}

/* The data, built once and then opened read-only from this image: far cheaper than
** inserting it again before each of the thousands of runs. In libc memory. */
static unsigned char *image;
static sqlite3_int64 image_size;

static sqlite3 *open_loaded(void) {
  sqlite3 *db = 0;
  ck_assert_int_eq(sqlite3_open(":memory:", &db), SQLITE_OK);
  if (image == 0) {
    unsigned char *p;
    pf_exec(db, oom_data_sql);
    p = sqlite3_serialize(db, "main", &image_size, 0);
    ck_assert_ptr_nonnull(p);
    image = malloc((size_t)image_size);
    ck_assert_ptr_nonnull(image);
    memcpy(image, p, (size_t)image_size);
    sqlite3_free(p);
    return db;
  }
  ck_assert_int_eq(sqlite3_deserialize(db, "main", image, image_size, image_size,
                                       SQLITE_DESERIALIZE_READONLY),
                   SQLITE_OK);
  pf_exec(db, "SELECT count(*) FROM sqlite_master"); /* reads the schema */
  return db;
}

/* Runs one scenario for N = 1, 2, ... (every stride-th) until no failure is injected. */
static void run_scenario(const scenario *s, int persistent, int stride) {
  result want = {0}, got = {0};
  sqlite3 *db;
  long long n, live0;
  sqlite3_int64 used0;

  db = open_loaded();
  run_query(db, s->sql, &want);
  sqlite3_close(db);
  if (s->error) {
    ck_assert_msg(want.rc != SQLITE_OK, "%s: expected an error", s->name);
    ck_assert_str_eq(want.err, s->error);
  } else {
    ck_assert_msg(want.rc == SQLITE_OK, "%s: %s", s->name, want.err);
    if (s->want) ck_assert_str_eq(want.text, s->want);
  }

  for (n = 1;; n += stride) {
    live0 = oom.live;
    used0 = sqlite3_memory_used();
    db = open_loaded();
    oom_arm(n, persistent);
    run_query(db, s->sql, &got);
    ck_assert_int_eq(sqlite3_close(db), SQLITE_OK);
    ck_assert_msg(oom.live == live0 && sqlite3_memory_used() == used0,
                  "%s: N=%lld%s: %lld allocations (%lld bytes) leaked", s->name, n,
                  persistent ? " persistent" : "", oom.live - live0,
                  (long long)(sqlite3_memory_used() - used0));
    if (oom.injected == 0) {
      /* Past the last allocation of the query: it must have run undisturbed. */
      ck_assert_int_eq(got.rc, want.rc);
      break;
    }
    check_outcome(s, &want, &got, n, persistent);
    ck_assert_msg(n < 200000, "%s: no end to the allocations", s->name);
  }
  if (getenv("PF_OOM_VERBOSE"))
    fprintf(stderr, "%s%s: %lld allocations\n", s->name, persistent ? " (persistent)" : "", n);
  free(want.text);
  free(got.text);
}

static int stride_from_env(void) {
  const char *z = getenv("PF_OOM_STRIDE");
  int k = z ? atoi(z) : 1;
  return k > 0 ? k : 1;
}

START_TEST(every_allocation_failure_is_nomem_or_the_right_answer) {
  const scenario *s = &oom_scenarios[_i / 2];
  const char *only = getenv("PF_OOM_ONLY"); /* debugging: one scenario by name */
  if (only && strcmp(only, s->name) != 0) return;
  run_scenario(s, _i % 2, stride_from_env());
}
END_TEST

/* Every measure of the engine's list (pf_measures), in each of its forms: a measure added
** to the list is covered here without a line of this file changing. The sliding keyed
** window holds 200 customers, so its ordered multiset and running sums grow, and its rows
** go through pf_table_update. Loop index: measure * 8 + form * 2 + persistent. */
static const char *const measure_forms[] = {
    "SELECT %s(a%s) FROM inv",
    "SELECT %s(c, a%s) FROM inv",
    "SELECT count(v), sum(v) FROM (SELECT %s(x * 1.5%s) OVER (ORDER BY x ROWS 20 PRECEDING)"
    " AS v FROM big WHERE x <= 300)",
    "SELECT count(v), sum(v) FROM (SELECT %s(x %% 251, x %% 7 + 0.5%s) OVER (ORDER BY x"
    " ROWS 200 PRECEDING) AS v FROM big WHERE x <= 600)",
};
#define N_MEASURE_FORMS ((int)(sizeof(measure_forms) / sizeof(measure_forms[0])))

START_TEST(every_measure_form_under_oom) {
  const pf_measure *m = pf_measures[_i / (2 * N_MEASURE_FORMS)];
  int form = (_i / 2) % N_MEASURE_FORMS;
  char sql[300], name[80];
  scenario s = {name, sql, 0, 0};
  const char *only = getenv("PF_OOM_ONLY");
  snprintf(sql, sizeof sql, measure_forms[form], m->name, m->extra_arg ? ", 3" : "");
  snprintf(name, sizeof name, "%s form %d", m->name, form);
  if (only && strcmp(only, name) != 0) return;
  run_scenario(&s, _i % 2, stride_from_env());
}
END_TEST

/* Loading the extension into a plain connection with the Nth allocation failing:
** SQLITE_NOMEM with a message naming what failed (or no message when even that cannot be
** allocated), nothing leaked; loading again afterwards works. The auto-extension is off
** during the test (and restored at its end) so that the connection starts plain. */
START_TEST(registration_out_of_memory) {
  long long n;
  sqlite3_reset_auto_extension();
  for (n = 1;; n++) {
    long long live0 = oom.live;
    sqlite3_int64 used0 = sqlite3_memory_used();
    sqlite3 *db = 0;
    char *err = 0;
    int rc;
    ck_assert_int_eq(sqlite3_open(":memory:", &db), SQLITE_OK);
    oom_arm(n, _i);
    rc = sqlite3_portfolio_init(db, n % 2 ? &err : 0, 0); /* also without a message */
    oom_disarm();
    ck_assert_msg(rc == SQLITE_OK || rc == SQLITE_NOMEM, "N=%lld: rc %d (%s)", n, rc,
                  err ? err : "");
    if (rc == SQLITE_OK) ck_assert_ptr_null(err);
    if (rc != SQLITE_OK && err)
      ck_assert_msg(strncmp(err, "portfolio: cannot register ", 27) == 0, "%s", err);
    sqlite3_free(err);
    if (rc != SQLITE_OK) ck_assert_int_eq(sqlite3_portfolio_init(db, 0, 0), SQLITE_OK);
    pf_assert_near(pf_double(db, "SELECT herfindahl(a) + top_share(a, 1) + gini(a)"
                                 " FROM (SELECT 1 a UNION ALL SELECT 3)"),
                   6250 + 0.75 + 0.25, 1e-12);
    ck_assert_int_eq(pf_int(db, "SELECT count(*) FROM concentration('SELECT 1, 1'),"
                                " risk_model, phases"),
                     40);
    ck_assert_int_eq(sqlite3_close(db), SQLITE_OK);
    ck_assert_msg(oom.live == live0 && sqlite3_memory_used() == used0, "N=%lld: leaked", n);
    if (oom.injected == 0) break;
  }
  sqlite3_auto_extension((void (*)(void))sqlite3_portfolio_init);
}
END_TEST

/* risk_fit's parallel parts in the core (what the PostgreSQL host calls): merging, encoding
** and decoding with the Nth allocation failing return PF_NOMEM and free what they made. */
START_TEST(fit_parts_out_of_memory) {
  pf_fit_value v[2] = {{PF_FIT_NUMBER, {1, 0, 0}, 0, 0}, {PF_FIT_TEXT, {0, 0, 0}, "b", 1}};
  long long n;
  for (n = 1;; n++) {
    long long live0 = oom.live;
    pf_fit *a = pf_fit_new(2), *b = pf_fit_new(2), *c = 0;
    char *bytes = 0;
    uint64_t len;
    int i, rc;
    ck_assert(a && b && pf_fit_name(a, 0, "x", 1) == PF_OK && pf_fit_name(b, 0, "x", 1) == PF_OK);
    ck_assert(pf_fit_name(a, 1, "p", 1) == PF_OK && pf_fit_name(b, 1, "p", 1) == PF_OK);
    for (i = 0; i < 300; i++) {
      v[0].num.i = i % 40;
      v[0].num.d = (double)(i % 40);
      ck_assert_int_eq(pf_fit_row(i % 2 ? a : b, i % 3 == 0, v), PF_OK);
    }
    oom_arm(n, _i);
    rc = pf_fit_merge(a, b);
    if (rc == PF_OK) rc = pf_fit_encode(a, &bytes, &len);
    if (rc == PF_OK) rc = pf_fit_decode(bytes, len, &c);
    oom_disarm();
    ck_assert_msg(rc == PF_OK || rc == PF_NOMEM, "N=%lld: rc %d", n, rc);
    if (rc == PF_OK) ck_assert_int_eq(pf_fit_count(c, 0) + pf_fit_count(c, 1), 300);
    if (rc != PF_OK) ck_assert_ptr_null(c);
    pf_fit_free(c);
    pf_free(bytes);
    pf_fit_free(a);
    pf_fit_free(b);
    ck_assert_msg(oom.live == live0, "N=%lld: leaked", n);
    if (oom.injected == 0) break;
  }
}
END_TEST

static Suite *make_suite(void) {
  Suite *s = suite_create("oom");
  TCase *tc = tcase_create("injection");
  tcase_set_timeout(tc, 600);
  tcase_add_loop_test(tc, every_allocation_failure_is_nomem_or_the_right_answer, 0,
                      2 * oom_scenario_count);
  tcase_add_loop_test(tc, every_measure_form_under_oom, 0,
                      pf_measure_count * N_MEASURE_FORMS * 2);
  tcase_add_loop_test(tc, registration_out_of_memory, 0, 2);
  tcase_add_loop_test(tc, fit_parts_out_of_memory, 0, 2);
  suite_add_tcase(s, tc);
  return s;
}

/* Not PF_TEST_MAIN: the allocator must be installed before SQLite initialises, and
** sqlite3_auto_extension() initialises it. */
int main(void) {
  static sqlite3_mem_methods failing = {oom_malloc, oom_free, oom_realloc, oom_size,
                                        oom_roundup, oom_init, oom_shutdown, 0};
  SRunner *runner;
  int failed;
  if (sqlite3_config(SQLITE_CONFIG_GETMALLOC, &base_mem) != SQLITE_OK ||
      sqlite3_config(SQLITE_CONFIG_MALLOC, &failing) != SQLITE_OK ||
      sqlite3_config(SQLITE_CONFIG_LOOKASIDE, 0, 0) != SQLITE_OK ||
      sqlite3_initialize() != SQLITE_OK) {
    fprintf(stderr, "test_oom: cannot install the failing allocator\n");
    return EXIT_FAILURE;
  }
  sqlite3_auto_extension((void (*)(void))sqlite3_portfolio_init);
  runner = srunner_create(make_suite());
  srunner_run_all(runner, CK_NORMAL);
  failed = srunner_ntests_failed(runner);
  srunner_free(runner);
  sqlite3_reset_auto_extension();
  sqlite3_shutdown();
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
