/*
** test_coverage_api.c: branches the capability tests do not reach (see COVERAGE.md).
**   1. Registration failing: sqlite3_portfolio_init() on a connection whose functions
**      cannot be replaced (a statement is running) reports which function failed, with
**      and without an error-message pointer, and leaves the loaded functions working.
**   2. JSON arguments: literals false and null as values, out-of-range thresholds, a
**      database with its own table named json_each.
**   3. Names: factor and industry names with odd case, blanks, tabs and near misses.
**   4. risk_explain ties: equal contributions are listed in risk_model order.
**   5. Amount text that overflows: upper-case exponent, more than 300 digits.
** Every expected value is worked out by hand in the comment next to it.
*/
#include "testing.h"

/* ---- 1. registration failing ----------------------------------------------------------- */

START_TEST(init_fails_cleanly_while_a_statement_runs) {
  sqlite3 *db = pf_open();
  sqlite3_stmt *busy = 0;
  char *err = 0;
  int rc;
  ck_assert_int_eq(sqlite3_prepare_v2(db, "SELECT portfolio_version() FROM"
                                          " (SELECT 1 UNION ALL SELECT 2)",
                                      -1, &busy, 0),
                   SQLITE_OK);
  ck_assert_int_eq(sqlite3_step(busy), SQLITE_ROW); /* the statement stays active */
  rc = sqlite3_portfolio_init(db, &err, 0);
  ck_assert_int_eq(rc, SQLITE_BUSY);
  ck_assert_ptr_nonnull(err);
  ck_assert_str_eq(err, "portfolio: cannot register portfolio_version/0: unable to delete/"
                        "modify user-function due to active statements");
  sqlite3_free(err);
  ck_assert_int_eq(sqlite3_portfolio_init(db, 0, 0), SQLITE_BUSY); /* no message wanted */
  ck_assert_int_eq(sqlite3_step(busy), SQLITE_ROW);
  sqlite3_finalize(busy);
  /* Once nothing runs, loading again replaces every function and table cleanly. */
  err = 0;
  ck_assert_int_eq(sqlite3_portfolio_init(db, &err, 0), SQLITE_OK);
  ck_assert_ptr_null(err);
  pf_assert_near(pf_double(db, "SELECT herfindahl(a) FROM (SELECT 1 a UNION ALL SELECT 1)"),
                 5000, 1e-12);
  ck_assert_int_eq(pf_int(db, "SELECT count(*) FROM phases"), 4);
  sqlite3_close(db);
}
END_TEST

/* ---- 2. JSON arguments ------------------------------------------------------------------ */

START_TEST(json_literals_and_ranges) {
  sqlite3 *db = pf_open();
  pf_expect_error(db, "SELECT risk_score('adoption', 0.5, 'weights', '{\"adoption\": false}')",
                  "risk_score: adoption in weights must be a number >= 0, got false");
  pf_expect_error(db, "SELECT risk_score('adoption', 0.5, 'weights', '{\"adoption\": null}')",
                  "risk_score: adoption in weights must be a number >= 0, got null");
  pf_expect_error(db, "SELECT risk_explain('adoption', 0.5, 'weights', '{\"region\": -1}')",
                  "risk_explain: region in weights must be a number >= 0, got -1");
  pf_expect_error(db, "SELECT phase_of('risk', 50, 'thresholds', '{\"risk\": 100.5}')",
                  "phase_of: risk in thresholds must be a number between 0 and 100, got 100.5");
  pf_expect_error(db, "SELECT phase_of('risk', 50, 'thresholds', '{\"adoption\": -0.1}')",
                  "phase_of: adoption in thresholds must be a number between 0 and 1, got -0.1");
  pf_expect_error(db, "SELECT phase_of('risk', 50, 'thresholds', '[70]')",
                  "phase_of: thresholds must be a JSON object, got '[70]'");
  /* thresholds at their limits are accepted: risk 100 is never reached by 50, adoption 0
  ** is never undercut by 0.2: deployment 1 with nothing else is maturation */
  {
    char buf[32];
    ck_assert_str_eq(pf_text(db,
                             "SELECT phase_of('risk', 50, 'adoption', 0.2, 'deployment', 1,"
                             " 'thresholds', '{\"risk\": 100, \"adoption\": 0}')",
                             buf, sizeof buf),
                     "maturation");
  }
  sqlite3_close(db);
}
END_TEST

START_TEST(database_with_its_own_json_each_table) {
  sqlite3 *db = pf_open();
  pf_exec(db, "CREATE TABLE json_each(key, value, type)");
  /* the JSON is read in C, so the table changes nothing: (1 - 0.5) * 100 */
  pf_assert_near(pf_double(db, "SELECT risk_score('adoption', 0.5, 'weights', "
                               "'{\"adoption\": 1}')"),
                 50, 1e-12);
  pf_assert_near(pf_double(db, "SELECT risk_score('adoption', 0.5)"), 50, 1e-12);
  sqlite3_close(db);
}
END_TEST

/* ---- 3. names --------------------------------------------------------------------------- */

START_TEST(factor_and_industry_names) {
  sqlite3 *db = pf_open();
  /* industry ratings (core_risk_factors.c): travel 0.90, software 0.20, unlisted 0.5 */
  pf_assert_near(pf_double(db, "SELECT risk_score('INDUSTRY', ' \tTravel\t ')"), 90, 1e-12);
  pf_assert_near(pf_double(db, "SELECT risk_score('Industry', 'SOFTWARE')"), 20, 1e-12);
  pf_assert_near(pf_double(db, "SELECT risk_score('industry', 'softwares')"), 50, 1e-12);
  pf_assert_near(pf_double(db, "SELECT risk_score('industry', 'soft')"), 50, 1e-12);
  pf_assert_near(pf_double(db, "SELECT risk_score('industry', ' \t ')"), 50, 1e-12);
  pf_assert_near(pf_double(db, "SELECT risk_score('industry', 'so_tware')"), 50, 1e-12);
  /* 'e-commerce' has a '-': a name with '-' where a letter is expected is unlisted */
  pf_assert_near(pf_double(db, "SELECT risk_score('industry', 'E-Commerce')"), 20, 1e-12);
  pf_assert_near(pf_double(db, "SELECT risk_score('industry', 'e-commercE')"), 20, 1e-12);
  pf_assert_near(pf_double(db, "SELECT risk_score('industry', 'e_commerce')"), 50, 1e-12);
  /* factor names: case-insensitive, nothing else */
  pf_assert_near(pf_double(db, "SELECT risk_score('ADOPTION', 0.25)"), 75, 1e-12);
  pf_expect_error(db, "SELECT risk_score('adoptio', 0.25)",
                  "risk_score: unknown factor 'adoptio' (known: industry, region,"
                  " cash_runway_months, days_to_renewal, adoption, deployment, stakeholders,"
                  " days_since_contact, penetration, contract_year, weights)");
  pf_expect_error(db, "SELECT risk_score('adoptions', 0.25)",
                  "risk_score: unknown factor 'adoptions' (known: industry, region,"
                  " cash_runway_months, days_to_renewal, adoption, deployment, stakeholders,"
                  " days_since_contact, penetration, contract_year, weights)");
  pf_expect_error(db, "SELECT risk_score('', 0.25)",
                  "risk_score: unknown factor '' (known: industry, region,"
                  " cash_runway_months, days_to_renewal, adoption, deployment, stakeholders,"
                  " days_since_contact, penetration, contract_year, weights)");
  pf_expect_error(db, "SELECT phase_of('Risk!', 1)",
                  "phase_of: unknown signal 'Risk!' (known: deployment, adoption, risk,"
                  " stakeholder_change, competitive_pressure, technical_issues,"
                  " expected_churn, expansion, thresholds)");
  sqlite3_close(db);
}
END_TEST

/* ---- 4. risk_explain ties --------------------------------------------------------------- */

START_TEST(risk_explain_ties_in_model_order) {
  sqlite3 *db = pf_open();
  char buf[512];
  /* Equal weights 1, 1, 1 and risks 0.5 (region 0.5), 0.5 (adoption 0.5), 1 (penetration
  ** 0): contributions 16.67, 16.67, 33.33; the tie keeps risk_model order, region first,
  ** whatever order the arguments come in. */
  ck_assert_str_eq(
      pf_text(db,
              "SELECT group_concat(json_extract(value, '$.factor'), ',') FROM json_each("
              "risk_explain('adoption', 0.5, 'penetration', 0, 'region', 0.5,"
              " 'weights', '{\"region\": 1, \"adoption\": 1, \"penetration\": 1}'), '$.factors')",
              buf, sizeof buf),
      "penetration,region,adoption");
  ck_assert_str_eq(
      pf_text(db,
              "SELECT group_concat(json_extract(value, '$.factor'), ',') FROM json_each("
              "risk_explain('region', 0.5, 'penetration', 0, 'adoption', 0.5,"
              " 'weights', '{\"region\": 1, \"adoption\": 1, \"penetration\": 1}'), '$.factors')",
              buf, sizeof buf),
      "penetration,region,adoption");
  /* four ties, given in reverse model order */
  ck_assert_str_eq(
      pf_text(db,
              "SELECT group_concat(json_extract(value, '$.factor'), ',') FROM json_each("
              "risk_explain('penetration', 0.5, 'adoption', 0.5, 'region', 0.5,"
              " 'industry', 0.5, 'weights',"
              " '{\"industry\": 1, \"region\": 1, \"adoption\": 1, \"penetration\": 1}'),"
              " '$.factors')",
              buf, sizeof buf),
      "industry,region,adoption,penetration");
  sqlite3_close(db);
}
END_TEST

/* ---- 5. amount text that overflows ------------------------------------------------------ */

START_TEST(amount_text_that_overflows) {
  sqlite3 *db = pf_open();
  pf_expect_error(db, "SELECT herfindahl('1E999')",
                  "herfindahl: amount must be a finite number, got '1E999'");
  /* 400 nines: more than 300 digits and no exponent, still beyond the largest double */
  pf_expect_error(db, "SELECT gini(printf('%.*c', 400, '9'))",
                  "gini: amount must be a finite number, got "
                  "'9999999999999999999999999999999999999999...'");
  /* 301 digits that fit: 1 followed by 300 zeros is 1e300, a valid amount */
  pf_assert_near(pf_double(db, "SELECT top_share('1' || printf('%.*c', 300, '0'), 1)"), 1,
                 1e-12);
  pf_expect_error(db, "SELECT top_share(1, '1e999')",
                  "top_share: n must be a positive integer, got '1e999'");
  sqlite3_close(db);
}
END_TEST

static Suite *make_suite(void) {
  Suite *s = suite_create("coverage_api");
  TCase *tc = tcase_create("branches");
  tcase_add_test(tc, init_fails_cleanly_while_a_statement_runs);
  tcase_add_test(tc, json_literals_and_ranges);
  tcase_add_test(tc, database_with_its_own_json_each_table);
  tcase_add_test(tc, factor_and_industry_names);
  tcase_add_test(tc, risk_explain_ties_in_model_order);
  tcase_add_test(tc, amount_text_that_overflows);
  suite_add_tcase(s, tc);
  return s;
}

PF_TEST_MAIN
