/*
** test_query_side_effects.c: the query argument of concentration and concentration_by may
** not call functions with side effects (issue 15.2; rule 7 of ext/sqlite/query_runner.h).
**   1. Functions this test registers: one SQLITE_DIRECTONLY, one with no flags (neither
**      deterministic nor innocuous), an aggregate with no flags. Each counts its calls: a
**      refused query must leave the count at 0, wherever the call hides (result column,
**      WHERE, subquery, CTE, TEMP view, nested concentration).
**   2. Deterministic-only and innocuous-only functions run, with results worked by hand.
**   3. JSON, date and the extension's own functions keep working.
**   4. Every function PRAGMA function_list lists is judged by its flags: refused exactly
**      when DIRECTONLY or neither deterministic nor innocuous (the expectation is worked
**      from the flags column here, the runner reads EXPLAIN).
**   5. More distinct functions than one batch of the runner (32): a refused one is still
**      found. load_extension is refused even when loading is enabled.
**   6. The application's authorizer is neither replaced nor bypassed; one that denies
**      pragmas makes a function-calling query fail closed.
**   7. A table or TEMP view named pragma_function_list changes no verdict.
*/
#include "testing.h"

static int calls; /* calls of the counting functions below */

static void counting_scalar(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  calls++;
  if (argc > 0) sqlite3_result_value(ctx, argv[0]);
}

static void counting_step(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)ctx, (void)argc, (void)argv;
  calls++;
}

static void counting_final(sqlite3_context *ctx) {
  sqlite3_result_int(ctx, 1);
}

static void twice(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  calls++;
  sqlite3_result_double(ctx, 2 * sqlite3_value_double(argv[0]));
}

static sqlite3 *open_with_functions(void) {
  sqlite3 *db = pf_open();
  ck_assert_int_eq(sqlite3_create_function(db, "leak_direct", 1,
                                           SQLITE_UTF8 | SQLITE_DIRECTONLY, 0,
                                           counting_scalar, 0, 0),
                   SQLITE_OK);
  ck_assert_int_eq(sqlite3_create_function(db, "leak_plain", 1, SQLITE_UTF8, 0,
                                           counting_scalar, 0, 0),
                   SQLITE_OK);
  ck_assert_int_eq(sqlite3_create_function(db, "leak_sum", 1, SQLITE_UTF8, 0, 0,
                                           counting_step, counting_final),
                   SQLITE_OK);
  ck_assert_int_eq(sqlite3_create_function(db, "twice_det", 1,
                                           SQLITE_UTF8 | SQLITE_DETERMINISTIC, 0, twice, 0, 0),
                   SQLITE_OK);
  ck_assert_int_eq(sqlite3_create_function(db, "twice_innocuous", 1,
                                           SQLITE_UTF8 | SQLITE_INNOCUOUS, 0, twice, 0, 0),
                   SQLITE_OK);
  pf_exec(db, "CREATE TABLE t(c, a); INSERT INTO t VALUES (1, 30), (2, 30), (3, 20), (4, 20);");
  calls = 0;
  return db;
}

#define DIRECT_WHY "it is SQLITE_DIRECTONLY (it may have side effects)"
#define PLAIN_WHY "it is neither deterministic nor innocuous"

START_TEST(refused_wherever_the_call_hides) {
  static const struct {
    const char *sql, *error;
  } cases[] = {
      {"SELECT * FROM concentration('SELECT c, leak_direct(a) FROM t')",
       "concentration: the query may not call leak_direct(): " DIRECT_WHY},
      {"SELECT * FROM concentration('SELECT c, leak_plain(a) FROM t')",
       "concentration: the query may not call leak_plain(): " PLAIN_WHY},
      {"SELECT * FROM concentration('SELECT c, a FROM t WHERE leak_plain(c) > 0')",
       "concentration: the query may not call leak_plain(): " PLAIN_WHY},
      {"SELECT * FROM concentration('SELECT c, (SELECT leak_sum(a) FROM t) FROM t')",
       "concentration: the query may not call leak_sum(): " PLAIN_WHY},
      {"SELECT * FROM concentration('WITH w AS (SELECT c, leak_direct(a) AS a FROM t)"
       " SELECT c, a FROM w')",
       "concentration: the query may not call leak_direct(): " DIRECT_WHY},
      {"SELECT * FROM concentration('SELECT c, a FROM leaky')",
       "concentration: the query may not call leak_plain(): " PLAIN_WHY},
      {"SELECT * FROM concentration_by('SELECT 1, c, leak_direct(a) FROM t')",
       "concentration_by: the query may not call leak_direct(): " DIRECT_WHY},
      {"SELECT * FROM concentration_by('SELECT 1, c, a FROM t GROUP BY c"
       " HAVING leak_sum(a) > 0')",
       "concentration_by: the query may not call leak_sum(): " PLAIN_WHY},
      /* inside a nested concentration: the inner runner refuses, one prefix remains */
      {"SELECT * FROM concentration_by('SELECT 1, customer, amount FROM"
       " concentration(''SELECT c, LEAK_PLAIN(a) FROM t'')')",
       "concentration_by: the query may not call leak_plain(): " PLAIN_WHY},
  };
  sqlite3 *db = open_with_functions();
  size_t i;
  /* a TEMP view may call anything (SQLite checks DIRECTONLY in stored views only) */
  pf_exec(db, "CREATE TEMP VIEW leaky AS SELECT c, leak_plain(a) AS a FROM t");
  for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
    pf_expect_error(db, cases[i].sql, cases[i].error);
  ck_assert_int_eq(calls, 0);
  /* the functions themselves work in direct SQL: the test would see their calls */
  ck_assert_int_eq(pf_int(db, "SELECT leak_plain(5) + leak_direct(1)"), 6);
  ck_assert_int_eq(calls, 2);
  sqlite3_close(db);
}
END_TEST

START_TEST(deterministic_or_innocuous_functions_run) {
  sqlite3 *db = open_with_functions();
  /* amounts doubled: 60, 60, 40, 40 of 200 -> HHI (.09 + .09 + .04 + .04) * 10000 = 2600 */
  pf_assert_near(pf_double(db, "SELECT sum(hhi_points) FROM concentration("
                               "'SELECT c, twice_det(a) FROM t')"),
                 2600, 1e-12);
  ck_assert_int_eq(calls, 4);
  ck_assert_int_eq(pf_int(db, "SELECT amount FROM concentration('SELECT c, twice_innocuous(a)"
                              " FROM t') WHERE customer = 3"),
                   40);
  ck_assert_int_eq(calls, 8);
  ck_assert_int_eq(pf_int(db, "SELECT customers FROM concentration_by('SELECT 1, c,"
                              " twice_innocuous(a) FROM t')"),
                   4);
  ck_assert_int_eq(calls, 12);
  sqlite3_close(db);
}
END_TEST

START_TEST(json_date_and_own_functions_keep_working) {
  sqlite3 *db = open_with_functions();
  char buf[64];
  /* JSON: deterministic, not innocuous in SQLite 3.40 */
  ck_assert_int_eq(pf_int(db, "SELECT amount FROM concentration('SELECT json_extract(j,"
                              " ''$.c''), j ->> ''a''"
                              " FROM (SELECT ''{\"c\":\"x\",\"a\":7}'' AS j)')"),
                   7);
  ck_assert_int_eq(pf_int(db, "SELECT count(*) FROM concentration('SELECT key, value FROM"
                              " json_each(''[3, 4, 5]'')')"),
                   3);
  ck_assert_str_eq(pf_text(db, "SELECT customer FROM concentration('SELECT json_group_array(c),"
                               " 1 FROM t')",
                           buf, sizeof buf),
                   "[1,2,3,4]");
  /* dates: deterministic with a fixed time, innocuous with 'now' */
  ck_assert_str_eq(pf_text(db, "SELECT customer FROM concentration('SELECT date(''2024-01-31'',"
                               " ''+1 day''), 1')",
                           buf, sizeof buf),
                   "2024-02-01");
  ck_assert_int_eq(pf_int(db, "SELECT count(*) FROM concentration('SELECT"
                              " strftime(''%Y'', ''now'') > ''2000'', 1')"),
                   1);
  /* the extension's own: herfindahl of 30, 30, 20, 20 is 2600 (worked in the header) */
  ck_assert_str_eq(pf_text(db, "SELECT customer || ' ' || amount FROM concentration("
                               "'SELECT hhi_band(herfindahl(c, a)), herfindahl(c, a) FROM t')",
                           buf, sizeof buf),
                   "highly concentrated 2600.0");
  ck_assert_int_eq(pf_int(db, "SELECT count(*) FROM concentration('SELECT phase_of(''risk'', 50),"
                              " gini(c, a) + top_share(c, a, 1) + risk_score(''adoption'', 0.5)"
                              " FROM t')"),
                   1);
  ck_assert_int_eq(pf_int(db, "SELECT count(*) FROM concentration_by('SELECT 1, customer,"
                              " amount FROM concentration(''SELECT c, a FROM t'')')"),
                   1);
  ck_assert_int_eq(calls, 0);
  sqlite3_close(db);
}
END_TEST

/* A call of function `name` with `narg` arguments (NULLs; two for a variadic one), in a
** query that prepares but never runs it. */
static void call_of(char *buf, size_t size, const char *name, const char *type, int narg) {
  char args[64] = "";
  int i, n = narg < 0 ? 2 : narg;
  for (i = 0; i < n && i < 8; i++) strcat(args, i ? ", NULL" : "NULL");
  if (strcmp(name, "likelihood") == 0) snprintf(args, sizeof args, "NULL, 0.5");
  if (strcmp(name, "->") == 0 || strcmp(name, "->>") == 0)
    snprintf(buf, size, "SELECT 1, NULL %s NULL WHERE 0", name);
  else
    snprintf(buf, size, "SELECT 1, \"%s\"(%s)%s WHERE 0", name, args,
             strcmp(type, "w") == 0 ? " OVER ()" : "");
}

START_TEST(every_listed_function_is_judged_by_its_flags) {
  sqlite3 *db = open_with_functions();
  sqlite3_stmt *list = 0, *run = 0;
  int checked = 0, refused = 0;
  ck_assert_int_eq(sqlite3_prepare_v2(db, "SELECT name, type, narg, flags FROM"
                                          " pragma_function_list", -1, &list, 0),
                   SQLITE_OK);
  ck_assert_int_eq(sqlite3_prepare_v2(db, "SELECT count(*) FROM concentration(?1)", -1, &run, 0),
                   SQLITE_OK);
  while (sqlite3_step(list) == SQLITE_ROW) {
    const char *name = (const char *)sqlite3_column_text(list, 0);
    const char *type = (const char *)sqlite3_column_text(list, 1);
    int narg = sqlite3_column_int(list, 2), flags = sqlite3_column_int(list, 3);
    int want_refused = (flags & SQLITE_DIRECTONLY) ||
                       !(flags & (SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS));
    char sql[512], want[512];
    sqlite3_stmt *direct = 0;
    int rc;
    call_of(sql, sizeof sql, name, type, narg);
    ck_assert_msg(sqlite3_prepare_v2(db, sql, -1, &direct, 0) == SQLITE_OK, "%s: %s", sql,
                  sqlite3_errmsg(db));
    sqlite3_finalize(direct);
    sqlite3_bind_text(run, 1, sql, -1, SQLITE_TRANSIENT);
    rc = sqlite3_step(run);
    snprintf(want, sizeof want, "concentration: the query may not call %s(): ", name);
    if (want_refused) {
      ck_assert_msg(rc == SQLITE_ERROR && strncmp(sqlite3_errmsg(db), want, strlen(want)) == 0,
                    "%s (flags %x) should be refused: %s", name, flags, sqlite3_errmsg(db));
      refused++;
    } else {
      ck_assert_msg(rc == SQLITE_ROW, "%s (flags %x) should run: %s", name, flags,
                    sqlite3_errmsg(db));
    }
    sqlite3_reset(run);
    checked++;
  }
  sqlite3_finalize(list);
  sqlite3_finalize(run);
  /* SQLite's own functions, the extension's and this test's: well over a hundred, and at
  ** least this test's three refused ones among them */
  ck_assert_int_gt(checked, 100);
  ck_assert_int_ge(refused, 3);
  ck_assert_int_eq(calls, 0);
  sqlite3_close(db);
}
END_TEST

/* More distinct functions than the runner judges in one pass over PRAGMA function_list
** (32): a refused one after them, or among them, is still found. */
START_TEST(many_distinct_functions_are_all_judged) {
  sqlite3 *db = open_with_functions();
  sqlite3_stmt *list = 0;
  char sql[8192], query[4000] = "SELECT 1, 0";
  int n = 0;
  ck_assert_int_eq(sqlite3_prepare_v2(db, "SELECT DISTINCT name FROM pragma_function_list"
                                          " WHERE type = 's' AND narg = 1 AND flags & 2048"
                                          " AND NOT flags & 524288 AND name GLOB '[a-z]*'"
                                          " AND name NOT IN ('likely', 'unlikely') ORDER BY name",
                                      -1, &list, 0),
                   SQLITE_OK);
  while (n < 70 && sqlite3_step(list) == SQLITE_ROW) {
    size_t at = strlen(query);
    snprintf(query + at, sizeof query - at, " + length(%s(NULL))",
             (const char *)sqlite3_column_text(list, 0));
    n++;
  }
  sqlite3_finalize(list);
  ck_assert_int_ge(n, 40);
  snprintf(sql, sizeof sql, "SELECT count(*) FROM concentration('%s WHERE 0')", query);
  ck_assert_int_eq(pf_int(db, sql), 0);
  snprintf(sql, sizeof sql, "SELECT count(*) FROM concentration('%s + leak_plain(1) WHERE 0')",
           query);
  pf_expect_error(db, sql, "concentration: the query may not call leak_plain(): " PLAIN_WHY);
  snprintf(sql, sizeof sql, "SELECT count(*) FROM concentration('SELECT 1, leak_direct(1)"
                            " + %s WHERE 0')",
           query + strlen("SELECT 1, "));
  pf_expect_error(db, sql, "concentration: the query may not call leak_direct(): " DIRECT_WHY);
  ck_assert_int_eq(calls, 0);
  sqlite3_close(db);
}
END_TEST

START_TEST(load_extension_is_refused_even_when_enabled) {
  sqlite3 *db = open_with_functions();
  ck_assert_int_eq(sqlite3_enable_load_extension(db, 1), SQLITE_OK);
  pf_expect_error(db, "SELECT * FROM concentration('SELECT 1, load_extension(''./nowhere'')')",
                  "concentration: the query may not call load_extension(): " DIRECT_WHY);
  pf_expect_error(db, "SELECT * FROM concentration('SELECT 1, load_extension(''./nowhere'',"
                      " ''init'')')",
                  "concentration: the query may not call load_extension(): " DIRECT_WHY);
  sqlite3_close(db);
}
END_TEST

/* Denies reading table `secret` and, when *arg is set, every pragma; counts its calls. */
static int authorizer_calls;
static int guard_secret(void *arg, int action, const char *a, const char *b, const char *c,
                        const char *d) {
  (void)c, (void)d;
  authorizer_calls++;
  if (action == SQLITE_READ && a && strcmp(a, "secret") == 0) return SQLITE_DENY;
  if (action == SQLITE_PRAGMA && *(int *)arg) return SQLITE_DENY;
  (void)b;
  return SQLITE_OK;
}

START_TEST(the_applications_authorizer_stays_in_place) {
  sqlite3 *db = open_with_functions();
  int deny_pragmas = 0;
  pf_exec(db, "CREATE TABLE secret(c, a); INSERT INTO secret VALUES (1, 1);"
              "SELECT count(*) FROM concentration('SELECT c, a FROM t')");
  sqlite3_set_authorizer(db, guard_secret, &deny_pragmas);
  ck_assert_int_eq(pf_int(db, "SELECT count(*) FROM concentration('SELECT c, abs(a) FROM t')"),
                   4);
  ck_assert_int_gt(authorizer_calls, 0);
  /* still the application's authorizer, inside the query and after it */
  pf_expect_error(db, "SELECT * FROM concentration('SELECT c, abs(a) FROM secret')",
                  "concentration: access to secret.c is prohibited");
  pf_expect_error(db, "SELECT * FROM secret", "access to secret.c is prohibited");
  /* denying pragmas: a query calling a function cannot be checked and is refused; one
  ** calling none needs no pragma */
  deny_pragmas = 1;
  pf_expect_error(db, "SELECT * FROM concentration('SELECT c, abs(a) FROM t')",
                  "concentration: not authorized");
  ck_assert_int_eq(pf_int(db, "SELECT count(*) FROM concentration('SELECT c, a FROM t')"), 4);
  ck_assert_int_eq(calls, 0);
  sqlite3_close(db);
}
END_TEST

START_TEST(a_table_named_pragma_function_list_changes_nothing) {
  sqlite3 *db = open_with_functions();
  /* rows claiming the leaking functions are deterministic and innocuous (0x200800) */
  pf_exec(db, "CREATE TABLE pragma_function_list(name, builtin, type, enc, narg, flags);"
              "INSERT INTO pragma_function_list VALUES"
              " ('leak_direct', 0, 's', 'utf8', 1, 2099200),"
              " ('leak_plain', 0, 's', 'utf8', 1, 2099200);");
  pf_expect_error(db, "SELECT * FROM concentration('SELECT c, leak_direct(a) FROM t')",
                  "concentration: the query may not call leak_direct(): " DIRECT_WHY);
  pf_exec(db, "CREATE TEMP VIEW pragma_function_list AS SELECT 'leak_plain' AS name, 0 AS"
              " builtin, 's' AS type, 'utf8' AS enc, 1 AS narg, 2099200 AS flags");
  pf_expect_error(db, "SELECT * FROM concentration('SELECT c, leak_plain(a) FROM t')",
                  "concentration: the query may not call leak_plain(): " PLAIN_WHY);
  ck_assert_int_eq(pf_int(db, "SELECT count(*) FROM concentration('SELECT c, abs(a) FROM t')"),
                   4);
  ck_assert_int_eq(calls, 0);
  sqlite3_close(db);
}
END_TEST

static Suite *make_suite(void) {
  Suite *s = suite_create("query_side_effects");
  TCase *tc = tcase_create("core");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, refused_wherever_the_call_hides);
  tcase_add_test(tc, deterministic_or_innocuous_functions_run);
  tcase_add_test(tc, json_date_and_own_functions_keep_working);
  tcase_add_test(tc, every_listed_function_is_judged_by_its_flags);
  tcase_add_test(tc, many_distinct_functions_are_all_judged);
  tcase_add_test(tc, load_extension_is_refused_even_when_enabled);
  tcase_add_test(tc, the_applications_authorizer_stays_in_place);
  tcase_add_test(tc, a_table_named_pragma_function_list_changes_nothing);
  suite_add_tcase(s, tc);
  return s;
}

PF_TEST_MAIN
