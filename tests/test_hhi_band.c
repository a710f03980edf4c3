/*
** hhi_band(hhi) and hhi_band(hhi, edition): the bands of the 1992/2023 guidelines (default)
** and of 2010, boundaries in the middle band, NULL handling, every error with its message,
** and use from views and generated columns (DETERMINISTIC, INNOCUOUS).
*/
#include "testing.h"

#define UNC "unconcentrated"
#define MOD "moderately concentrated"
#define HIGH "highly concentrated"

static void expect_band(sqlite3 *db, const char *args, const char *want) {
  char sql[200], buf[64];
  snprintf(sql, sizeof sql, "SELECT hhi_band(%s)", args);
  ck_assert_msg(strcmp(pf_text(db, sql, buf, sizeof buf), want) == 0, "%s gave %s, want %s",
                sql, buf, want);
  ck_assert_int_eq(pf_type(db, sql), SQLITE_TEXT);
}

START_TEST(default_bands_and_boundaries) {
  sqlite3 *db = pf_open();
  /* below 1000 | 1000 ..= 1800 | above 1800; both boundaries belong to the middle band */
  expect_band(db, "0", UNC);
  expect_band(db, "0.0", UNC);
  expect_band(db, "999", UNC);
  expect_band(db, "999.9999", UNC);
  expect_band(db, "1000", MOD);
  expect_band(db, "1000.0", MOD);
  expect_band(db, "1400", MOD);
  expect_band(db, "1800", MOD);
  expect_band(db, "1800.0", MOD);
  expect_band(db, "1800.0001", HIGH);
  expect_band(db, "2600", HIGH);
  expect_band(db, "10000", HIGH);
  sqlite3_close(db);
}
END_TEST

START_TEST(edition_2023_is_the_default) {
  static const char *values[] = {"0", "999.5", "1000", "1800", "1801", "10000"};
  sqlite3 *db = pf_open();
  size_t i;
  for (i = 0; i < sizeof(values) / sizeof(values[0]); i++) {
    char sql[200];
    snprintf(sql, sizeof sql, "SELECT hhi_band(%s) = hhi_band(%s, 2023)", values[i], values[i]);
    ck_assert_int_eq(pf_int(db, sql), 1);
  }
  expect_band(db, "1000, 2023", MOD);
  expect_band(db, "1800, 2023.0", MOD);
  sqlite3_close(db);
}
END_TEST

START_TEST(edition_2010_bands_and_boundaries) {
  sqlite3 *db = pf_open();
  /* below 1500 | 1500 ..= 2500 | above 2500 */
  expect_band(db, "0, 2010", UNC);
  expect_band(db, "1000, 2010", UNC); /* moderate by default, not in 2010 */
  expect_band(db, "1499.99, 2010", UNC);
  expect_band(db, "1500, 2010", MOD);
  expect_band(db, "1800, 2010", MOD);
  expect_band(db, "2000, 2010", MOD); /* highly by default */
  expect_band(db, "2500, 2010", MOD);
  expect_band(db, "2500.01, 2010", HIGH);
  expect_band(db, "10000, 2010", HIGH);
  /* the edition may come as REAL or numeric TEXT (a CSV import) */
  expect_band(db, "2000, 2010.0", MOD);
  expect_band(db, "2000, '2010'", MOD);
  sqlite3_close(db);
}
END_TEST

START_TEST(numeric_text_hhi) {
  sqlite3 *db = pf_open();
  expect_band(db, "'1800'", MOD);
  expect_band(db, "' 1000 '", MOD);
  expect_band(db, "'999.5'", UNC);
  expect_band(db, "'1.9e3'", HIGH);
  expect_band(db, "'2500', '2010'", MOD);
  sqlite3_close(db);
}
END_TEST

START_TEST(null_gives_null) {
  sqlite3 *db = pf_open();
  ck_assert_int_eq(pf_type(db, "SELECT hhi_band(NULL)"), SQLITE_NULL);
  ck_assert_int_eq(pf_type(db, "SELECT hhi_band(NULL, 2010)"), SQLITE_NULL);
  ck_assert_int_eq(pf_type(db, "SELECT hhi_band(NULL, 2023)"), SQLITE_NULL);
  ck_assert_int_eq(pf_type(db, "SELECT hhi_band(1200, NULL)"), SQLITE_NULL);
  /* '' is NULL for every amount-like argument (a blank CSV field) */
  ck_assert_int_eq(pf_type(db, "SELECT hhi_band('')"), SQLITE_NULL);
  ck_assert_int_eq(pf_type(db, "SELECT hhi_band('', 2010)"), SQLITE_NULL);
  /* an empty portfolio's herfindahl is NULL, and so is its band */
  ck_assert_int_eq(pf_type(db, "SELECT hhi_band(herfindahl(x)) FROM (SELECT 1 x) WHERE 0"),
                   SQLITE_NULL);
  sqlite3_close(db);
}
END_TEST

START_TEST(hhi_out_of_range_or_not_a_number_is_an_error) {
  static const struct {
    const char *arg, *got;
  } cases[] = {{"-1", "-1"},
               {"-0.0001", "-0.0001"},
               {"10000.5", "10000.5"},
               {"10001", "10001"},
               {"'abc'", "'abc'"},
               {"'12abc'", "'12abc'"},
               {"x'00'", "a BLOB of 1 byte"},
               {"x'0102'", "a BLOB of 2 bytes"},
               {"1e999", "Inf"},
               {"-1e999", "-Inf"},
               {"'1e999'", "'1e999'"}};
  sqlite3 *db = pf_open();
  size_t i;
  for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    char sql[200], want[200];
    snprintf(want, sizeof want, "hhi_band: hhi must be a number from 0 to 10000, got %s",
             cases[i].got);
    snprintf(sql, sizeof sql, "SELECT hhi_band(%s)", cases[i].arg);
    pf_expect_error(db, sql, want);
    snprintf(sql, sizeof sql, "SELECT hhi_band(%s, 2010)", cases[i].arg);
    pf_expect_error(db, sql, want);
  }
  sqlite3_close(db);
}
END_TEST

START_TEST(bad_edition_is_an_error) {
  static const struct {
    const char *arg, *got;
  } cases[] = {{"1999", "1999"},   {"1992", "1992"},       {"2011", "2011"},
               {"2010.5", "2010.5"}, {"0", "0"},           {"-2010", "-2010"},
               {"'abc'", "'abc'"}, {"'2010x'", "'2010x'"}, {"x'07da'", "a BLOB of 2 bytes"},
               {"1e999", "Inf"}};
  sqlite3 *db = pf_open();
  size_t i;
  for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
    char sql[200], want[200];
    snprintf(want, sizeof want, "hhi_band: edition must be 2010 or 2023, got %s", cases[i].got);
    snprintf(sql, sizeof sql, "SELECT hhi_band(1200, %s)", cases[i].arg);
    pf_expect_error(db, sql, want);
  }
  sqlite3_close(db);
}
END_TEST

START_TEST(bands_of_computed_hhi) {
  sqlite3 *db = pf_open();
  char buf[64];
  /* 30/30/20/20 -> 2600: highly concentrated under both editions */
  pf_exec(db, "CREATE TABLE c(id, amount); INSERT INTO c VALUES (1,30),(2,30),(3,20),(4,20);");
  ck_assert_str_eq(pf_text(db, "SELECT hhi_band(herfindahl(amount)) FROM c", buf, sizeof buf),
                   HIGH);
  ck_assert_str_eq(
      pf_text(db, "SELECT hhi_band(herfindahl(id, amount), 2010) FROM c", buf, sizeof buf), HIGH);
  /* ten equal customers -> 1000: moderately (default), unconcentrated (2010) */
  pf_exec(db, "DELETE FROM c; WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM s "
              "WHERE i < 10) INSERT INTO c SELECT i, 5 FROM s;");
  ck_assert_str_eq(pf_text(db, "SELECT hhi_band(herfindahl(amount)) FROM c", buf, sizeof buf),
                   MOD);
  ck_assert_str_eq(
      pf_text(db, "SELECT hhi_band(herfindahl(amount), 2010) FROM c", buf, sizeof buf), UNC);
  sqlite3_close(db);
}
END_TEST

START_TEST(usable_in_views_and_generated_columns) {
  sqlite3 *db = pf_open();
  char buf[64];
  /* INNOCUOUS: allowed in a view under trusted_schema=OFF; DETERMINISTIC: allowed in a
  ** generated column and an index on an expression. */
  pf_exec(db, "PRAGMA trusted_schema=OFF;"
              "CREATE TABLE m(hhi REAL, band TEXT GENERATED ALWAYS AS (hhi_band(hhi)));"
              "CREATE INDEX m_band2010 ON m(hhi_band(hhi, 2010));"
              "CREATE VIEW v AS SELECT hhi, hhi_band(hhi, 2010) AS b2010 FROM m;"
              "INSERT INTO m(hhi) VALUES (1000), (2600), (NULL);");
  ck_assert_str_eq(pf_text(db, "SELECT band FROM m WHERE hhi = 1000", buf, sizeof buf), MOD);
  ck_assert_str_eq(pf_text(db, "SELECT b2010 FROM v WHERE hhi = 1000", buf, sizeof buf), UNC);
  ck_assert_int_eq(pf_type(db, "SELECT band FROM m WHERE hhi IS NULL"), SQLITE_NULL);
  ck_assert_int_eq(pf_int(db, "SELECT count(*) FROM m WHERE hhi_band(hhi, 2010) = "
                              "'highly concentrated'"),
                   1);
  /* an out-of-range value cannot be stored through the generated column */
  pf_expect_error(db, "INSERT INTO m(hhi) VALUES (-5)",
                  "hhi_band: hhi must be a number from 0 to 10000, got -5.0");
  sqlite3_close(db);
}
END_TEST

static Suite *make_suite(void) {
  Suite *s = suite_create("hhi_band");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, default_bands_and_boundaries);
  tcase_add_test(tc, edition_2023_is_the_default);
  tcase_add_test(tc, edition_2010_bands_and_boundaries);
  tcase_add_test(tc, numeric_text_hhi);
  tcase_add_test(tc, null_gives_null);
  tcase_add_test(tc, hhi_out_of_range_or_not_a_number_is_an_error);
  tcase_add_test(tc, bad_edition_is_an_error);
  tcase_add_test(tc, bands_of_computed_hhi);
  tcase_add_test(tc, usable_in_views_and_generated_columns);
  suite_add_tcase(s, tc);
  return s;
}

PF_TEST_MAIN
