/*
** test_query_vtabs.c: the virtual tables the query argument may read (rule 10 of
** ext/sqlite/query_runner.h; the shell's fsdir and zipfile: tests/query_side_effects.test.sh).
**   1. An eponymous module this test registers (a stand-in for fsdir: it counts its scans)
**      is refused, named, before anything runs: directly, aliased as json_each, in a
**      subquery, a CTE, a TEMP view, a join with json_each, and inside a nested
**      concentration.
**   2. A module that can also be declared: the table a CREATE VIRTUAL TABLE makes with it
**      may be read (the schema's choice), its eponymous table still may not.
**   3. What stays allowed: json_each, json_tree, pragma_* tables, the extension's own
**      (phases, a nested concentration), FTS4 and FTS5 tables in main, temp and an
**      attached database, and an FTS4 table named json_each; results worked by hand.
**   4. The application's authorizer is not replaced: it still sees the query's reads; one
**      that denies reading sqlite_schema makes a query over a declared table fail closed.
*/
#include "testing.h"
#include "stub_vtab.h"

static int scans; /* xFilter calls of the test modules */
static void count_scan(void) { scans++; }

#define REFUSED(name)                                                                      \
  "concentration: the query may not read the virtual table " name " (a query may read"   \
  " only json_each, json_tree, generate_series, the pragma_* tables, the extension's own"  \
  " and the virtual tables the database declares)"

/* leaky: eponymous only, like fsdir; both: eponymous and declarable. */
static sqlite3 *open_with_modules(void) {
  static sqlite3_module both_module;
  sqlite3 *db = pf_open();
  both_module = stub_vtab_declarable();
  ck_assert_int_eq(sqlite3_create_module(db, "leaky", &stub_vtab_module, (void *)count_scan),
                   SQLITE_OK);
  ck_assert_int_eq(sqlite3_create_module(db, "both", &both_module, (void *)count_scan),
                   SQLITE_OK);
  scans = 0;
  return db;
}

START_TEST(an_eponymous_table_is_refused_wherever_it_hides) {
  static const char *const queries[] = {
      "SELECT * FROM concentration('SELECT v, 1 FROM leaky')",
      "SELECT * FROM concentration('SELECT v, 1 FROM leaky AS json_each')",
      "SELECT * FROM concentration('SELECT v, 1 FROM (SELECT v FROM leaky)')",
      "SELECT * FROM concentration('WITH c AS (SELECT v FROM leaky) SELECT v, 1 FROM c')",
      "SELECT * FROM concentration('SELECT v, 1 FROM lv')",
      "SELECT * FROM concentration('SELECT j.value, l.v FROM json_each(''[1]'') j, leaky l')",
      "SELECT * FROM concentration('SELECT customer, amount FROM concentration("
      "''SELECT v, 1 FROM leaky'')')",
      "SELECT * FROM concentration('SELECT 1, (SELECT max(v) FROM leaky)')",
  };
  sqlite3 *db = open_with_modules();
  int i;
  pf_exec(db, "CREATE TEMP VIEW lv AS SELECT v FROM leaky");
  for (i = 0; i < (int)(sizeof(queries) / sizeof(queries[0])); i++) pf_expect_error(db, queries[i], REFUSED("leaky"));
  ck_assert_int_eq(scans, 0);
  /* the module works: read directly, it scans */
  ck_assert_int_eq(pf_int(db, "SELECT sum(v) FROM leaky"), 60);
  ck_assert_int_eq(scans, 1);
  sqlite3_close(db);
}
END_TEST

START_TEST(a_declared_table_may_be_read_its_module_eponymous_may_not) {
  sqlite3 *db = open_with_modules();
  pf_exec(db, "CREATE VIRTUAL TABLE declared USING both");
  /* three customers of 10, 20, 30: 100 + 400 + 900 over 3600 of 10000 */
  pf_assert_near(pf_double(db, "SELECT sum(hhi_points) FROM concentration('SELECT v, v FROM"
                               " declared')"),
                 10000.0 * 1400 / 3600, 1e-12);
  ck_assert_int_eq(scans, 1);
  pf_expect_error(db, "SELECT * FROM concentration('SELECT v, 1 FROM both')", REFUSED("both"));
  ck_assert_int_eq(scans, 1);
  sqlite3_close(db);
}
END_TEST

START_TEST(pure_and_declared_tables_keep_working) {
  sqlite3 *db = pf_open();
  pf_exec(db, "ATTACH ':memory:' AS other;"
              "CREATE VIRTUAL TABLE f5 USING fts5(body);"
              "INSERT INTO f5 VALUES ('apple pie'), ('apple tart'), ('plum');"
              "CREATE VIRTUAL TABLE temp.f4 USING fts4(body);"
              "INSERT INTO f4 VALUES ('x'), ('y');"
              "CREATE VIRTUAL TABLE other.o5 USING fts5(body);"
              "INSERT INTO o5 VALUES ('q');"
              "CREATE VIRTUAL TABLE json_each USING fts4(key, value, type);"
              "INSERT INTO main.json_each VALUES ('k', 5, 't');"
              "CREATE TABLE t(a);");
  /* json_each('[...]') the function, three customers 1, 2, 3 of total 6 */
  ck_assert_int_eq(pf_int(db, "SELECT count(*) FROM concentration('SELECT key, value FROM"
                              " json_tree(''[1, 2, 3]'') WHERE type = ''integer''')"),
                   3);
  ck_assert_int_eq(pf_int(db, "SELECT count(*) FROM concentration('SELECT rowid, 1 FROM f5"
                              " WHERE f5 MATCH ''apple''')"),
                   2);
  ck_assert_int_eq(pf_int(db, "SELECT count(*) FROM concentration('SELECT body, 1 FROM f4')"),
                   2);
  ck_assert_int_eq(pf_int(db, "SELECT count(*) FROM concentration('SELECT body, 1 FROM o5')"),
                   1);
  /* the table named json_each (the schema's FTS4 table) */
  ck_assert_int_eq(pf_int(db, "SELECT sum(amount) FROM concentration('SELECT key, value"
                              " FROM main.json_each')"),
                   5);
  ck_assert_int_eq(pf_int(db, "SELECT count(*) FROM concentration('SELECT name, 1 FROM"
                              " pragma_table_info(''t'')')"),
                   1);
  ck_assert_int_eq(pf_int(db, "SELECT count(*) FROM concentration('SELECT phase, 1 FROM"
                              " phases')"),
                   pf_int(db, "SELECT count(*) FROM phases"));
  ck_assert_int_eq(pf_int(db, "SELECT count(*) FROM concentration('SELECT customer, amount"
                              " FROM concentration(''SELECT 1, 2 UNION ALL SELECT 2, 3'')')"),
                   2);
  sqlite3_close(db);
}
END_TEST

static int reads_of_schema, deny_schema;
static int authorizer(void *aux, int action, const char *a, const char *b, const char *c,
                      const char *d) {
  (void)aux, (void)b, (void)c, (void)d;
  if (action == SQLITE_READ && a && strcmp(a, "sqlite_master") == 0) {
    reads_of_schema++;
    if (deny_schema) return SQLITE_DENY;
  }
  return SQLITE_OK;
}

START_TEST(the_applications_authorizer_stays_and_fails_closed) {
  sqlite3 *db = open_with_modules();
  pf_exec(db, "CREATE VIRTUAL TABLE declared USING both");
  ck_assert_int_eq(sqlite3_set_authorizer(db, authorizer, 0), SQLITE_OK);
  ck_assert_int_eq(pf_int(db, "SELECT count(*) FROM concentration('SELECT v, 1 FROM"
                              " declared')"),
                   3);
  ck_assert_int_gt(reads_of_schema, 0); /* the runner's look-up went through it */
  deny_schema = 1;
  pf_expect_error(db, "SELECT * FROM concentration('SELECT v, 1 FROM declared')",
                  REFUSED("(unidentified)"));
  deny_schema = 0;
  sqlite3_close(db);
}
END_TEST

static Suite *make_suite(void) {
  Suite *s = suite_create("query_vtabs");
  TCase *tc = tcase_create("query_vtabs");
  tcase_add_test(tc, an_eponymous_table_is_refused_wherever_it_hides);
  tcase_add_test(tc, a_declared_table_may_be_read_its_module_eponymous_may_not);
  tcase_add_test(tc, pure_and_declared_tables_keep_working);
  tcase_add_test(tc, the_applications_authorizer_stays_and_fails_closed);
  suite_add_tcase(s, tc);
  return s;
}

PF_TEST_MAIN
