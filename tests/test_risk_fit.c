/* risk_fit: every error with its exact message, the NULL rules, and the cases the numpy
** reference (tests/risk_fit.test.sh) does not reach: options read once and compared on
** every row, built-in factors' value rules, the l2 = 0 failures, JSON escaping.
** Expected values are worked by hand in the comments. */
#include "testing.h"

#include "pf_host.h"
#include "scorecard.h"

#include <string.h>

static sqlite3 *db;

static void setup(void) {
  db = pf_open();
  /* 12 rows: y = 1 for i in 1..4 and 9, 10 (6 of each outcome) */
  pf_exec(db, "CREATE TABLE h(i, y, x, plan);"
              "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 12)"
              " INSERT INTO h SELECT i, i <= 4 OR i IN (9, 10), i * 10,"
              " CASE i % 3 WHEN 0 THEN 'a' WHEN 1 THEN 'b' ELSE 'c' END FROM n;");
}
static void teardown(void) { sqlite3_close(db); }

static void fit_error(const char *args, const char *want) {
  char *sql = sqlite3_mprintf("SELECT risk_fit(%s) FROM h", args);
  pf_expect_error(db, sql, want);
  sqlite3_free(sql);
}

START_TEST(argument_errors) {
  fit_error("y", "risk_fit: takes the outcome and then (factor, value) pairs, got 1 argument");
  fit_error("y, 'x'", "risk_fit: takes the outcome and then (factor, value) pairs, got 2 arguments");
  fit_error("y, 'x', x, 'options'",
            "risk_fit: takes the outcome and then (factor, value) pairs, got 4 arguments");
  fit_error("y, 'options', '{}', 'x', x", "risk_fit: 'options' must be the last pair of arguments");
  fit_error("y, 'weights', x",
            "risk_fit: 'weights' cannot be a factor name (it is an argument of risk_score)");
  fit_error("y, 'Model', x",
            "risk_fit: 'Model' cannot be a factor name (it is an argument of risk_score)");
  fit_error("y, '2x', x", "risk_fit: a factor name must be letters, digits and _, starting with "
                          "a letter, at most 64 characters, got '2x'");
  fit_error("y, 7, x", "risk_fit: a factor name must be letters, digits and _, starting with a "
                       "letter, at most 64 characters, got 7");
  fit_error("y, 'x', x, 'X', plan", "risk_fit: factor 'X' is named twice");
  fit_error("y, CASE WHEN i < 5 THEN 'x' ELSE 'z' END, x",
            "risk_fit: factor 1 is 'z' in this row but 'x' in the first row");
  fit_error("y, 'x', x, 'options', CASE WHEN i < 5 THEN '{}' ELSE '{\"l2\": 2}' END",
            "risk_fit: options must be the same on every row");
}
END_TEST

/* A later row's name is compared byte by byte with the first row's (risk_fit.c: words of 4
** or 8 bytes, overlapping at the end): a name of every length from 1 to 20 bytes that
** changes in any one byte on row 5 is an error; unchanged, it fits. */
START_TEST(changed_name_every_byte) {
  char first[24], later[24], want[160];
  int n, p;
  for (n = 1; n <= 20; n++) {
    char *args, got[32];
    memset(first, 'q', (size_t)n);
    first[n] = 0;
    args = sqlite3_mprintf("SELECT json_extract(risk_fit(y, '%s', x), '$.factors[0].factor')"
                           " FROM h", first);
    ck_assert_str_eq(pf_text(db, args, got, sizeof(got)), first);
    sqlite3_free(args);
    for (p = 0; p < n; p++) {
      memcpy(later, first, (size_t)n + 1);
      later[p] = 'z';
      args = sqlite3_mprintf("y, CASE WHEN i < 5 THEN '%s' ELSE '%s' END, x", first, later);
      snprintf(want, sizeof(want), "risk_fit: factor 1 is '%s' in this row but '%s' in the first row",
               later, first);
      fit_error(args, want);
      sqlite3_free(args);
    }
  }
}
END_TEST

START_TEST(value_errors) {
  fit_error("i % 3, 'x', x", "risk_fit: outcome must be 0 or 1, got 2");
  fit_error("CASE WHEN i = 5 THEN 'yes' ELSE 1 END, 'x', x",
            "risk_fit: outcome must be 0 or 1, got 'yes'");
  fit_error("y, 'x', x'00'", "risk_fit: x must be a finite number or TEXT, got a BLOB of 1 byte");
  fit_error("y, 'x', 1e999", "risk_fit: x must be a finite number or TEXT, got Inf");
  fit_error("y, 'adoption', x", "risk_fit: adoption must be between 0 and 1, got 10");
  fit_error("y, 'adoption', plan", "risk_fit: adoption must be a number, got 'b'");
  fit_error("y, 'contract_year', 1.5", "risk_fit: contract_year must be an integer >= 1, got 1.5");
  fit_error("i = 1, 'x', x", "risk_fit: needs at least 2 rows of each outcome, got 1 with outcome "
                            "1 and 11 with outcome 0");
  fit_error("1, 'x', x", "risk_fit: needs at least 2 rows of each outcome, got 12 with outcome "
                         "1 and 0 with outcome 0");
}
END_TEST

START_TEST(option_errors) {
  fit_error("y, 'x', x, 'options', '{bad'", "risk_fit: options must be a JSON object (unexpected character at byte 1), got '{bad'");
  fit_error("y, 'x', x, 'options', '[1]'", "risk_fit: options must be a JSON object, got '[1]'");
  fit_error("y, 'x', x, 'options', 5", "risk_fit: options must be a JSON object, got 5");
  fit_error("y, 'x', x, 'options', '{\"bin\": 3}'",
            "risk_fit: options: unknown key 'bin' (known: bins, min_share, l2, monotone)");
  fit_error("y, 'x', x, 'options', '{\"bins\": 3, \"bins\": 4}'", "risk_fit: options must be a JSON object (duplicate key at byte 12), got "
            "'{\"bins\": 3, \"bins\": 4}'");
  fit_error("y, 'x', x, 'options', '{\"bins\": 21}'",
            "risk_fit: options: bins must be a whole number from 2 to 20, got 21");
  fit_error("y, 'x', x, 'options', '{\"bins\": 2.5}'",
            "risk_fit: options: bins must be a whole number from 2 to 20, got 2.5");
  fit_error("y, 'x', x, 'options', '{\"min_share\": 0.6}'",
            "risk_fit: options: min_share must be a number from 0 to 0.5, got 0.6");
  fit_error("y, 'x', x, 'options', '{\"l2\": -1}'", "risk_fit: options: l2 must be a number >= 0, got -1");
  fit_error("y, 'x', x, 'options', '{\"l2\": \"1\"}'", "risk_fit: options: l2 must be a number >= 0, got \"1\"");
  fit_error("y, 'x', x, 'options', '{\"monotone\": \"x\"}'",
            "risk_fit: options: monotone must be an array of factor names, got \"x\"");
  fit_error("y, 'x', x, 'options', '{\"monotone\": [1]}'",
            "risk_fit: options: monotone must be an array of factor names, got 1");
  fit_error("y, 'x', x, 'options', '{\"monotone\": [\"z\"]}'",
            "risk_fit: options: monotone names \"z\", which is not a factor of this call");
  fit_error("y, 'plan', plan, 'options', '{\"monotone\": [\"PLAN\"]}'",
            "risk_fit: monotone factor 'plan' is categorical (it has TEXT values), so its bins have no order");
}
END_TEST

START_TEST(fit_failures) {
  /* x <= 40 are all outcome 1 bar none after: with min_share 0 and 12 bins, bins separate. */
  fit_error("y, 'x', x, 'options', '{\"l2\": 0, \"bins\": 12, \"min_share\": 0}'",
            "risk_fit: the fit does not converge with l2 = 0 (some bins separate the outcomes "
            "completely); use an l2 above 0");
  /* the same factor twice under two names: with l2 = 0 no single answer */
  fit_error("y, 'p', plan, 'q', plan, 'options', '{\"l2\": 0}'",
            "risk_fit: with l2 = 0 some factors' bins duplicate each other, so the fit has no "
            "single answer; use an l2 above 0");
  /* 1080 distinct ids, each its own bin with min_share 0 */
  pf_expect_error(db,
                  "WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < 1080)"
                  " SELECT risk_fit(k % 2, 'id', 'v' || k, 'options', '{\"min_share\": 0}') FROM n",
                  "risk_fit: the model would have 1080 bins, more than 1000; raise min_share or "
                  "group rare categories");
}
END_TEST

START_TEST(nulls_and_results) {
  char buf[4096];
  /* no rows, or only NULL outcomes: NULL */
  ck_assert_int_eq(pf_type(db, "SELECT risk_fit(y, 'x', x) FROM h WHERE 0"), SQLITE_NULL);
  ck_assert_int_eq(pf_type(db, "SELECT risk_fit(NULL, 'x', x) FROM h"), SQLITE_NULL);
  ck_assert_int_eq(pf_type(db, "SELECT risk_fit('', 'x', x) FROM h"), SQLITE_NULL);
  /* 12 accounts, 6 outcomes; NULL outcome rows are not counted */
  ck_assert_int_eq(pf_int(db, "SELECT risk_fit(y, 'x', x) ->> 'accounts' FROM h"), 12);
  ck_assert_int_eq(pf_int(db, "SELECT risk_fit(CASE WHEN i = 1 THEN NULL ELSE y END, 'x', x)"
                              " ->> 'outcomes' FROM h"), 5);
  /* outcome as '1', 1.0, TRUE: all read as 1 */
  ck_assert_int_eq(pf_int(db, "SELECT risk_fit(CASE WHEN y THEN '1' ELSE 0.0 END, 'x', x)"
                              " ->> 'outcomes' FROM h"), 6);
  /* a text needing escapes comes back as the same string */
  pf_text(db, "SELECT risk_fit(y, 'plan', CASE WHEN i < 7 THEN 'a\"b\\' || char(9) ELSE 'c' END)"
              " -> '$.factors[0].bins[0].value' FROM h", buf, sizeof(buf));
  ck_assert_str_eq(buf, "\"a\\\"b\\\\\\u0009\"");
  /* risk_fit with a built-in factor in range; 12 rows, one bin of each... plus the name
  ** kept as written */
  pf_text(db, "SELECT risk_fit(y, 'Adoption', x / 200.0) -> '$.factors[0].factor' FROM h", buf,
          sizeof(buf));
  ck_assert_str_eq(buf, "\"Adoption\"");
  /* the options are read without SQL: a table named json_each changes nothing */
  pf_exec(db, "CREATE TABLE json_each(key, type, value, atom);"
              "INSERT INTO json_each VALUES ('bins', 'integer', 9, 9)");
  ck_assert_int_eq(pf_int(db, "SELECT risk_fit(y, 'x', x, 'options', '{\"bins\": 2}')"
                              " -> '$.fit.bins' FROM h"), 2);
  /* industry takes names: categorical */
  pf_text(db, "SELECT risk_fit(y, 'industry', plan) ->> '$.factors[0].kind' FROM h", buf,
          sizeof(buf));
  ck_assert_str_eq(buf, "categorical");
}
END_TEST

/* Row i of a small history: a number, a category (or missing) and numeric text. */
static void history_row(int i, pf_fit_value *v, char *text, int *y) {
  static const char *plans[] = {"monthly", "yearly", "two-year"};
  v[0].kind = PF_FIT_NUMBER;
  v[0].num.is_int = i % 5 != 0;
  v[0].num.i = v[0].num.is_int ? i % 37 : 0;
  v[0].num.d = v[0].num.is_int ? (double)(i % 37) : (i % 37) + 0.5;
  v[0].text = 0;
  v[1].kind = i % 11 == 0 ? PF_FIT_MISSING : PF_FIT_TEXT;
  v[1].text = plans[i % 3];
  v[1].n = (int)strlen(plans[i % 3]);
  snprintf(text, 16, "%d.50", i % 13);
  ck_assert_int_eq(pf_fit_text_value(text, (int)strlen(text), &v[2]), PF_OK);
  *y = (i * 7919) % 5 < 2;
}

static pf_fit *history_fit(int from, int step, int to) {
  pf_fit *fit = pf_fit_new(3);
  pf_fit_value v[3];
  char text[16];
  int i, y;
  ck_assert_ptr_nonnull(fit);
  ck_assert_int_eq(pf_fit_name(fit, 0, "tenure", 6), PF_OK);
  ck_assert_int_eq(pf_fit_name(fit, 1, "plan", 4), PF_OK);
  ck_assert_int_eq(pf_fit_name(fit, 2, "usage", 5), PF_OK);
  pf_fit_monotone(fit, 0);
  for (i = from; i < to; i += step) {
    history_row(i, v, text, &y);
    ck_assert_int_eq(pf_fit_row(fit, y, v), PF_OK);
  }
  return fit;
}

static char *model_of(pf_fit *fit) {
  pf_fit_options o;
  char *json = 0;
  int detail;
  pf_fit_default_options(&o);
  ck_assert_int_eq(pf_fit_run(fit, &o, &json, &detail), PF_OK);
  return json;
}

/* The parts a host moves between processes: merged (in either order) or encoded and
** decoded, they give the model of all the rows at once, byte for byte. */
START_TEST(parts_merge_and_encode) {
  pf_fit *whole = history_fit(0, 1, 3000), *even = history_fit(0, 2, 3000);
  pf_fit *odd = history_fit(1, 2, 3000), *other = history_fit(1, 2, 3000), *decoded = 0;
  pf_fit *evens_again = history_fit(0, 2, 3000);
  char *want = model_of(whole), *got, *bytes = 0;
  uint64_t n;
  ck_assert_int_eq(pf_fit_merge(even, odd), PF_OK);
  got = model_of(even);
  ck_assert_str_eq(got, want);
  pf_free(got);
  /* the other order, through the bytes */
  ck_assert_int_eq(pf_fit_encode(evens_again, &bytes, &n), PF_OK);
  ck_assert_int_eq(pf_fit_decode(bytes, n, &decoded), PF_OK);
  ck_assert_int_eq(pf_fit_merge(other, decoded), PF_OK);
  got = model_of(other);
  ck_assert_str_eq(got, want);
  pf_free(got);
  /* malformed bytes: short, cut, or a level index past the factor's levels */
  pf_fit_free(decoded);
  ck_assert_int_eq(pf_fit_decode(bytes, 3, &decoded), PF_RANGE);
  ck_assert_ptr_null(decoded);
  ck_assert_int_eq(pf_fit_decode(bytes, n - 1, &decoded), PF_RANGE);
  memset(bytes + n - 8, 0x7f, 4); /* the last row's usage: an index no level has */
  ck_assert_int_eq(pf_fit_decode(bytes, n, &decoded), PF_RANGE);
  pf_free(bytes);
  pf_free(want);
  pf_fit_free(whole);
  pf_fit_free(even);
  pf_fit_free(odd);
  pf_fit_free(other);
  pf_fit_free(evens_again);
}
END_TEST

static Suite *make_suite(void) {
  Suite *s = suite_create("risk_fit");
  TCase *tc = tcase_create("risk_fit");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, argument_errors);
  tcase_add_test(tc, changed_name_every_byte);
  tcase_add_test(tc, value_errors);
  tcase_add_test(tc, option_errors);
  tcase_add_test(tc, fit_failures);
  tcase_add_test(tc, nulls_and_results);
  tcase_add_test(tc, parts_merge_and_encode);
  suite_add_tcase(s, tc);
  return s;
}

PF_TEST_MAIN
