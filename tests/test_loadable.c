/* The built shared library, loaded the way users load it: sqlite3_load_extension() on a
** plain connection. The path comes from env PORTFOLIO_EXT (without the .so suffix, which
** SQLite adds), set by `make test`.
**
** This program is itself linked with the extension (-DSQLITE_CORE) and PF_TEST_MAIN
** registers it as an auto-extension, so each test first resets the auto-extensions: the
** functions it then finds can only have come from the loaded library. */
#include "testing.h"

static const char *extension_path(void) {
  const char *path = getenv("PORTFOLIO_EXT");
  ck_assert_msg(path != 0 && path[0] != 0,
                "PORTFOLIO_EXT is not set: run through `make test`, or set it to the built "
                "library without its suffix (e.g. PORTFOLIO_EXT=$PWD/build/portfolio)");
  return path;
}

/* A connection without the statically linked copy, with extension loading enabled. */
static sqlite3 *open_plain(void) {
  sqlite3 *db;
  sqlite3_reset_auto_extension();
  db = pf_open();
  ck_assert_int_eq(sqlite3_enable_load_extension(db, 1), SQLITE_OK);
  return db;
}

START_TEST(plain_connection_lacks_the_functions) {
  sqlite3 *db = open_plain();
  sqlite3_stmt *stmt = 0;
  ck_assert_int_ne(sqlite3_prepare_v2(db, "SELECT portfolio_version()", -1, &stmt, 0), SQLITE_OK);
  ck_assert_str_eq(sqlite3_errmsg(db), "no such function: portfolio_version");
  sqlite3_close(db);
}
END_TEST

START_TEST(loaded_library_works) {
  const char *path = extension_path();
  sqlite3 *db = open_plain();
  char *err = 0;
  char buf[64];
  int rc = sqlite3_load_extension(db, path, 0, &err);
  ck_assert_msg(rc == SQLITE_OK, "loading %s failed: %s", path, err ? err : "?");
  sqlite3_free(err);
  ck_assert_str_eq(pf_text(db, "SELECT portfolio_version()", buf, sizeof buf), "0.1.0");
  /* 30/30/20/20: 900 + 900 + 400 + 400 */
  pf_assert_near(pf_double(db, "SELECT herfindahl(column1) FROM "
                               "(VALUES (30), (30), (20), (20))"),
                 2600.0, 1e-12);
  ck_assert_int_eq(pf_int(db, "SELECT count(*) FROM concentration("
                              "'SELECT column1, column2 FROM (VALUES (1, 2), (2, 3))')"),
                   2);
  /* errors from the loaded copy carry the same text */
  pf_expect_error(db, "SELECT top_share(column1, 0) FROM (VALUES (1))",
                  "top_share: n must be a positive integer, got 0");
  sqlite3_close(db);
}
END_TEST

START_TEST(loads_with_its_explicit_entry_point_and_suffix) {
  const char *path = extension_path();
  sqlite3 *db = open_plain();
  char *err = 0;
  char *file = sqlite3_mprintf("%s.so", path);
  int rc = sqlite3_load_extension(db, file, "sqlite3_portfolio_init", &err);
  ck_assert_msg(rc == SQLITE_OK, "loading %s failed: %s", file, err ? err : "?");
  sqlite3_free(err);
  sqlite3_free(file);
  pf_assert_near(pf_double(db, "SELECT gini(column1) FROM (VALUES (1), (3))"), 0.25, 1e-12);
  sqlite3_close(db);
}
END_TEST

START_TEST(wrong_path_is_an_error) {
  sqlite3 *db = open_plain();
  char *err = 0;
  int rc = sqlite3_load_extension(db, "/nonexistent/portfolio-missing", 0, &err);
  ck_assert_int_eq(rc, SQLITE_ERROR);
  ck_assert_msg(err != 0 && strstr(err, "/nonexistent/portfolio-missing") != 0,
                "the error should name the path, got: %s", err ? err : "(none)");
  sqlite3_free(err);
  /* nothing was registered */
  ck_assert_int_eq(pf_int(db, "SELECT count(*) FROM pragma_function_list "
                              "WHERE name = 'portfolio_version'"),
                   0);
  sqlite3_close(db);
}
END_TEST

START_TEST(wrong_entry_point_is_an_error) {
  const char *path = extension_path();
  sqlite3 *db = open_plain();
  char *err = 0;
  int rc = sqlite3_load_extension(db, path, "no_such_init", &err);
  ck_assert_int_eq(rc, SQLITE_ERROR);
  ck_assert_msg(err != 0 && strstr(err, "no_such_init") != 0,
                "the error should name the entry point, got: %s", err ? err : "(none)");
  sqlite3_free(err);
  sqlite3_close(db);
}
END_TEST

static Suite *make_suite(void) {
  Suite *s = suite_create("loadable");
  TCase *tc = tcase_create("load");
  tcase_add_test(tc, plain_connection_lacks_the_functions);
  tcase_add_test(tc, loaded_library_works);
  tcase_add_test(tc, loads_with_its_explicit_entry_point_and_suffix);
  tcase_add_test(tc, wrong_path_is_an_error);
  tcase_add_test(tc, wrong_entry_point_is_an_error);
  suite_add_tcase(s, tc);
  return s;
}

PF_TEST_MAIN
