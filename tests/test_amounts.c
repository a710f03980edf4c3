/*
** The spec's common rules, checked on every concentration aggregate form (herfindahl,
** top_share, gini; unkeyed and keyed):
**   - INTEGER, REAL and numeric TEXT ('12', ' 7 ', '1e2') amounts are the same numbers;
**   - '' counts as NULL as an amount and as a key; NULL amount or key skips the row;
**   - empty input and all amounts <= 0 give NULL; customers with total <= 0 are left out;
**   - non-numeric TEXT, BLOBs and infinities are errors naming function and value.
** Expected numbers come from agg_reference.h over the same amounts written as numbers.
*/
#include "agg_reference.h"

typedef struct form {
  const char *fn;
  int keyed;
  const char *extra; /* trailing arguments: top_share's n */
} form;

static const form forms[] = {{"herfindahl", 0, ""}, {"herfindahl", 1, ""},
                             {"top_share", 0, ", 2"}, {"top_share", 1, ", 2"},
                             {"gini", 0, ""},        {"gini", 1, ""}};
#define NFORMS ((int)(sizeof(forms) / sizeof(forms[0])))

/* "SELECT <form>(key, amount) FROM <from>" */
static void form_sql(char *buf, size_t n, const form *f, const char *key, const char *amount,
                     const char *from) {
  if (f->keyed)
    snprintf(buf, n, "SELECT %s(%s, %s%s) FROM %s", f->fn, key, amount, f->extra, from);
  else
    snprintf(buf, n, "SELECT %s(%s%s) FROM %s", f->fn, amount, f->extra, from);
}

/* The reference value of form f over positive customer totals v[0..n). */
static double form_ref(const form *f, const double *v, int n) {
  ref_vals r = {0, 0, 0};
  double out;
  int i;
  for (i = 0; i < n; i++)
    if (v[i] > 0) ref_push(&r, v[i]);
  if (strcmp(f->fn, "herfindahl") == 0)
    out = ref_hhi(&r);
  else if (strcmp(f->fn, "top_share") == 0)
    out = ref_top_share(&r, 2);
  else
    out = ref_gini(&r);
  ref_free(&r);
  return out;
}

/* Asserts every form over table `t`(k, a) gives the reference over totals v[0..n). */
static void expect_all_forms(sqlite3 *db, const char *from, const double *v, int n) {
  int i;
  for (i = 0; i < NFORMS; i++) {
    char sql[300];
    form_sql(sql, sizeof sql, &forms[i], "k", "a", from);
    ref_assert_rel(pf_double(db, sql), form_ref(&forms[i], v, n), 1e-14);
  }
}

static void expect_all_null(sqlite3 *db, const char *from) {
  int i;
  for (i = 0; i < NFORMS; i++) {
    char sql[300];
    form_sql(sql, sizeof sql, &forms[i], "k", "a", from);
    ck_assert_msg(pf_type(db, sql) == SQLITE_NULL, "not NULL: %s", sql);
  }
}

START_TEST(integer_real_and_numeric_text_agree) {
  static const double v[] = {12, 7, 100, 5};
  sqlite3 *db = pf_open();
  pf_exec(db, "CREATE TABLE i(k, a); INSERT INTO i VALUES (1,12),(2,7),(3,100),(4,5);"
              "CREATE TABLE r(k, a); INSERT INTO r VALUES (1,12.0),(2,7.0),(3,100.0),(4,5.0);"
              "CREATE TABLE t(k, a); INSERT INTO t VALUES (1,'12'),(2,' 7 '),(3,'1e2'),(4,'5');"
              "CREATE TABLE m(k, a); INSERT INTO m VALUES (1,'12'),(2,7.0),(3,'100.0'),(4,5);");
  /* the TEXT really is stored as TEXT (no column affinity) */
  ck_assert_int_eq(pf_int(db, "SELECT count(*) FROM t WHERE typeof(a) = 'text'"), 4);
  expect_all_forms(db, "i", v, 4);
  expect_all_forms(db, "r", v, 4);
  expect_all_forms(db, "t", v, 4);
  expect_all_forms(db, "m", v, 4);
  /* keyed, numeric TEXT invoices that net: 1 = '10' + ' 2 ' = 12 ... */
  pf_exec(db, "CREATE TABLE n(k, a); INSERT INTO n VALUES (1,'10'),(2,'7'),(3,'0.5e2'),"
              "(4,'+5'),(1,' 2 '),(3,'5E1'),(5,'3'),(5,'-3.0');");
  {
    int i;
    for (i = 0; i < NFORMS; i++) {
      char sql[300];
      if (!forms[i].keyed) continue;
      form_sql(sql, sizeof sql, &forms[i], "k", "a", "n");
      ref_assert_rel(pf_double(db, sql), form_ref(&forms[i], v, 4), 1e-14);
    }
  }
  sqlite3_close(db);
}
END_TEST

START_TEST(empty_text_and_null_skip_the_row) {
  /* 30/30/20/20 with extra rows that must all be skipped */
  static const double v[] = {30, 30, 20, 20};
  sqlite3 *db = pf_open();
  pf_exec(db, "CREATE TABLE t(k, a); INSERT INTO t VALUES (1,30),(2,30),(3,20),(4,20),"
              "(5,''),(6,NULL),"          /* '' and NULL amounts */
              "('',1000),(NULL,1000);"); /* '' and NULL keys (keyed forms skip them) */
  {
    int i;
    for (i = 0; i < NFORMS; i++) {
      char sql[300];
      form_sql(sql, sizeof sql, &forms[i], "k", "a",
               forms[i].keyed ? "t" : "t WHERE k IS NOT NULL AND k <> ''");
      ref_assert_rel(pf_double(db, sql), form_ref(&forms[i], v, 4), 1e-14);
    }
  }
  /* a key of '' is not a customer named '': with it 1000 would dominate */
  pf_assert_near(pf_double(db, "SELECT herfindahl(k, a) FROM t"), 2600.0, 1e-12);
  sqlite3_close(db);
}
END_TEST

START_TEST(empty_input_is_null) {
  sqlite3 *db = pf_open();
  pf_exec(db, "CREATE TABLE e(k, a);"
              "CREATE TABLE n(k, a); INSERT INTO n VALUES (1,NULL),(2,''),(NULL,5),('',5);");
  expect_all_null(db, "e");
  expect_all_null(db, "(SELECT 1 k, 5 a) WHERE 0");
  /* only NULL and '' amounts (unkeyed), only NULL/'' keys or amounts (keyed) */
  expect_all_null(db, "n WHERE k IN (1, 2)");
  {
    int i;
    for (i = 0; i < NFORMS; i++) {
      char sql[300];
      if (!forms[i].keyed) continue;
      form_sql(sql, sizeof sql, &forms[i], "k", "a", "n");
      ck_assert_msg(pf_type(db, sql) == SQLITE_NULL, "not NULL: %s", sql);
    }
  }
  sqlite3_close(db);
}
END_TEST

START_TEST(all_nonpositive_is_null) {
  sqlite3 *db = pf_open();
  pf_exec(db, "CREATE TABLE z(k, a); INSERT INTO z VALUES (1,0),(2,-1),(3,-2.5),(4,'-7'),(5,0.0);"
              /* keyed: positive rows, but every customer nets to <= 0 */
              "CREATE TABLE c(k, a); INSERT INTO c VALUES (1,5),(1,-5),(2,10),(2,-10.5),"
              "(3,1),(3,-0.5),(3,-0.5);");
  expect_all_null(db, "z");
  {
    int i;
    for (i = 0; i < NFORMS; i++) {
      char sql[300];
      if (!forms[i].keyed) continue;
      form_sql(sql, sizeof sql, &forms[i], "k", "a", "c");
      ck_assert_msg(pf_type(db, sql) == SQLITE_NULL, "not NULL: %s", sql);
    }
  }
  sqlite3_close(db);
}
END_TEST

START_TEST(nonpositive_customers_are_left_out) {
  static const double v[] = {30, 30, 20, 20};
  sqlite3 *db = pf_open();
  /* unkeyed: rows 0 and -50 hold no share (they do not reduce the total either);
  ** keyed: customer 5 nets -50, customer 6 nets 0; neither counts nor reduces the total */
  pf_exec(db, "CREATE TABLE t(k, a); INSERT INTO t VALUES (1,30),(2,30),(3,20),(4,20),"
              "(5,10),(5,-60),(6,7),(6,-7);"
              "CREATE TABLE u(k, a); INSERT INTO u VALUES (1,30),(2,30),(3,20),(4,20),"
              "(5,-50),(6,0);");
  {
    int i;
    for (i = 0; i < NFORMS; i++) {
      char sql[300];
      form_sql(sql, sizeof sql, &forms[i], "k", "a", forms[i].keyed ? "t" : "u");
      ref_assert_rel(pf_double(db, sql), form_ref(&forms[i], v, 4), 1e-14);
    }
  }
  /* by hand: top 2 = 60 / 100 (not 60 / 50 with the -50 netted in) */
  pf_assert_near(pf_double(db, "SELECT top_share(a, 2) FROM u"), 0.6, 1e-15);
  pf_assert_near(pf_double(db, "SELECT top_share(k, a, 2) FROM t"), 0.6, 1e-15);
  sqlite3_close(db);
}
END_TEST

/* Each bad amount, in every form, after a good row: exact message. */
static void expect_amount_errors(sqlite3 *db, const char *const (*cases)[2], int ncases) {
  int c, i;
  for (c = 0; c < ncases; c++) {
    for (i = 0; i < NFORMS; i++) {
      char sql[1200], want[300], from[900];
      snprintf(from, sizeof from, "(SELECT 1 k, 10 a UNION ALL SELECT 2, %s)", cases[c][0]);
      form_sql(sql, sizeof sql, &forms[i], "k", "a", from);
      snprintf(want, sizeof want, "%s: amount must be a finite number, got %s", forms[i].fn,
               cases[c][1]);
      pf_expect_error(db, sql, want);
    }
  }
}

START_TEST(non_numeric_text_is_an_error) {
  static const char *const cases[][2] = {
      {"'abc'", "'abc'"},         {"'12abc'", "'12abc'"}, {"' '", "' '"},
      {"'Infinity'", "'Infinity'"}, {"'NaN'", "'NaN'"},     {"'1,5'", "'1,5'"},
      {"'it''s'", "'it''s'"},
      {"'a text of more than forty characters, quoted shortened'",
       "'a text of more than forty characters, qu...'"}};
  sqlite3 *db = pf_open();
  expect_amount_errors(db, cases, (int)(sizeof(cases) / sizeof(cases[0])));
  sqlite3_close(db);
}
END_TEST

START_TEST(blob_is_an_error) {
  static const char *const cases[][2] = {{"x'01'", "a BLOB of 1 byte"},
                                         {"x'3132'", "a BLOB of 2 bytes"}, /* bytes of '12' */
                                         {"x''", "a BLOB of 0 bytes"},
                                         {"zeroblob(100)", "a BLOB of 100 bytes"}};
  sqlite3 *db = pf_open();
  expect_amount_errors(db, cases, (int)(sizeof(cases) / sizeof(cases[0])));
  sqlite3_close(db);
}
END_TEST

START_TEST(infinity_is_an_error) {
  static const char *const cases[][2] = {{"1e999", "Inf"},
                                         {"-1e999", "-Inf"},
                                         {"9e308 * 10", "Inf"},
                                         {"'1e999'", "'1e999'"},
                                         {"'-1E999'", "'-1E999'"},
                                         {"' 2e400 '", "' 2e400 '"}};
  sqlite3 *db = pf_open();
  char digits[400], quoted[64], literal[480];
  expect_amount_errors(db, cases, (int)(sizeof(cases) / sizeof(cases[0])));
  /* 400 nines as TEXT: a number past the double range without an exponent */
  memset(digits, '9', 399);
  digits[399] = 0;
  snprintf(literal, sizeof literal, "'%s'", digits);
  snprintf(quoted, sizeof quoted, "'%.40s...'", digits);
  {
    const char *const big[][2] = {{literal, quoted}};
    expect_amount_errors(db, big, 1);
  }
  /* ... while 1e308 and 300 nines are finite numbers and fine */
  ck_assert(pf_double(db, "SELECT top_share(a, 1) FROM (SELECT '1e308' a)") == 1.0);
  ck_assert(pf_double(db, "SELECT gini(1, a) FROM (SELECT '9.99e307' a)") == 0.0);
  memset(digits, '9', 300);
  digits[300] = 0;
  snprintf(literal, sizeof literal, "SELECT top_share(a, 1) FROM (SELECT '%s' a)", digits);
  ck_assert(pf_double(db, literal) == 1.0);
  sqlite3_close(db);
}
END_TEST

START_TEST(error_stops_the_statement_not_the_connection) {
  sqlite3 *db = pf_open();
  pf_exec(db, "CREATE TABLE t(k, a); INSERT INTO t VALUES (1, 10), (2, 'oops'), (3, 20);");
  pf_expect_error(db, "SELECT gini(k, a) FROM t", "gini: amount must be a finite number, got 'oops'");
  pf_expect_error(db, "SELECT herfindahl(a) FROM t",
                  "herfindahl: amount must be a finite number, got 'oops'");
  /* the connection is fine afterwards, and the bad row can be filtered out */
  pf_assert_near(pf_double(db, "SELECT herfindahl(a) FROM t WHERE k <> 2"),
                 10000.0 * (100 + 400) / 900, 1e-14);
  /* an error inside a window function too */
  ref_expect_error(db, "SELECT top_share(a, 1) OVER (ORDER BY k ROWS 1 PRECEDING) FROM t",
                  "top_share: amount must be a finite number, got 'oops'");
  sqlite3_close(db);
}
END_TEST

static Suite *make_suite(void) {
  Suite *s = suite_create("amounts");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, integer_real_and_numeric_text_agree);
  tcase_add_test(tc, empty_text_and_null_skip_the_row);
  tcase_add_test(tc, empty_input_is_null);
  tcase_add_test(tc, all_nonpositive_is_null);
  tcase_add_test(tc, nonpositive_customers_are_left_out);
  tcase_add_test(tc, non_numeric_text_is_an_error);
  tcase_add_test(tc, blob_is_an_error);
  tcase_add_test(tc, infinity_is_an_error);
  tcase_add_test(tc, error_stops_the_statement_not_the_connection);
  suite_add_tcase(s, tc);
  return s;
}

PF_TEST_MAIN
