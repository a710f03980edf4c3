/* phase_of: each rule, their order of precedence, NULL signals, thresholds JSON and every
** error with its exact message. Rules (first that holds wins):
**   defense     a flag is 1, or risk >= 70, or adoption < 0.3 with the rollout complete or
**               unknown;
**   deployment  rollout below 1;
**   growth      expansion > 0;
**   maturation  otherwise; no known signal gives NULL. */
#include "testing.h"

static sqlite3 *db;

static void setup(void) { db = pf_open(); }
static void teardown(void) { sqlite3_close(db); }

static void expect_phase(const char *args, const char *want) {
  char *sql = sqlite3_mprintf("SELECT phase_of(%s)", args);
  char buf[64];
  const char *got = pf_text(db, sql, buf, sizeof buf);
  ck_assert_msg(strcmp(got, want) == 0, "phase_of(%s) = %s, want %s", args, got, want);
  sqlite3_free(sql);
}

static void expect_null(const char *args) {
  char *sql = sqlite3_mprintf("SELECT phase_of(%s)", args);
  ck_assert_msg(pf_type(db, sql) == SQLITE_NULL, "not NULL: %s", sql);
  sqlite3_free(sql);
}

static void expect_error(const char *args, const char *message) {
  char *sql = sqlite3_mprintf("SELECT phase_of(%s)", args);
  char *want = sqlite3_mprintf("phase_of: %s", message);
  pf_expect_error(db, sql, want);
  sqlite3_free(sql);
  sqlite3_free(want);
}

START_TEST(each_flag_means_defense) {
  expect_phase("'stakeholder_change', 1", "defense");
  expect_phase("'competitive_pressure', 1", "defense");
  expect_phase("'technical_issues', 1", "defense");
  expect_phase("'expected_churn', 1", "defense");
  expect_phase("'expected_churn', TRUE", "defense");
  expect_phase("'expected_churn', '1'", "defense");
  expect_phase("'expected_churn', 1.0", "defense");
  /* a flag at 0 is a known signal that does not hold */
  expect_phase("'expected_churn', 0", "maturation");
  expect_phase("'stakeholder_change', FALSE, 'technical_issues', 0", "maturation");
}
END_TEST

START_TEST(risk_threshold_is_inclusive) {
  expect_phase("'risk', 70", "defense");
  expect_phase("'risk', 100", "defense");
  expect_phase("'risk', 69.99", "maturation");
  expect_phase("'risk', 0", "maturation");
}
END_TEST

START_TEST(low_adoption_is_defense_only_after_rollout) {
  expect_phase("'adoption', 0.29", "defense");                   /* rollout unknown */
  expect_phase("'adoption', 0.29, 'deployment', NULL", "defense");
  expect_phase("'adoption', 0.1, 'deployment', 1", "defense");   /* rollout complete */
  expect_phase("'adoption', 0.1, 'deployment', 0.99", "deployment"); /* still rolling out */
  expect_phase("'adoption', 0.3", "maturation");                 /* 0.3 is not below 0.3 */
  expect_phase("'adoption', 0.9, 'deployment', 1", "maturation");
}
END_TEST

START_TEST(rollout_below_one_is_deployment) {
  expect_phase("'deployment', 0", "deployment");
  expect_phase("'deployment', 0.5", "deployment");
  expect_phase("'deployment', 0.999", "deployment");
  expect_phase("'deployment', 1", "maturation");
}
END_TEST

START_TEST(open_expansion_is_growth) {
  expect_phase("'expansion', 1", "growth");
  expect_phase("'expansion', 25000", "growth"); /* an amount */
  expect_phase("'expansion', 0.01", "growth");
  expect_phase("'expansion', 0", "maturation");
  expect_phase("'deployment', 1, 'adoption', 0.8, 'risk', 40, 'expansion', 5", "growth");
}
END_TEST

START_TEST(precedence) {
  /* defense beats deployment and growth */
  expect_phase("'deployment', 0.5, 'expansion', 1, 'competitive_pressure', 1", "defense");
  expect_phase("'deployment', 0.5, 'risk', 75", "defense");
  /* deployment beats growth */
  expect_phase("'deployment', 0.5, 'expansion', 1", "deployment");
  /* growth beats maturation */
  expect_phase("'deployment', 1, 'adoption', 0.5, 'risk', 69, 'expansion', 2", "growth");
  /* everything calm, no expansion */
  expect_phase("'deployment', 1, 'adoption', 0.5, 'risk', 69, 'expansion', 0, "
               "'stakeholder_change', 0, 'competitive_pressure', 0, 'technical_issues', 0, "
               "'expected_churn', 0",
               "maturation");
}
END_TEST

START_TEST(null_signals) {
  expect_null("");
  expect_null("'risk', NULL");
  expect_null("'risk', NULL, 'adoption', '', 'expected_churn', NULL");
  expect_null("'thresholds', '{\"risk\": 50}'");
  /* NULLs drop out: only the known signals decide */
  expect_phase("'risk', NULL, 'deployment', 0.4", "deployment");
  expect_phase("'risk', NULL, 'expansion', NULL, 'adoption', 0.7", "maturation");
}
END_TEST

START_TEST(thresholds_override) {
  expect_phase("'risk', 75, 'thresholds', '{\"risk\": 80}'", "maturation");
  expect_phase("'risk', 80, 'thresholds', '{\"risk\": 80}'", "defense");
  expect_phase("'adoption', 0.4, 'thresholds', '{\"adoption\": 0.5}'", "defense");
  expect_phase("'adoption', 0.5, 'thresholds', '{\"ADOPTION\": 0.5}'", "maturation");
  /* the other threshold keeps its default */
  expect_phase("'risk', 70, 'thresholds', '{\"adoption\": 0.5}'", "defense");
  expect_phase("'thresholds', NULL, 'risk', 70", "defense");
  expect_phase("'thresholds', '{}', 'adoption', 0.2", "defense");
  expect_phase("'thresholds', '{\"risk\": 0}', 'risk', 0", "defense");
}
END_TEST

START_TEST(argument_errors) {
  expect_error("'risk'", "arguments come in signal, value pairs, got 1 argument");
  expect_error("'risk', 1, 'adoption'", "arguments come in signal, value pairs, got 3 arguments");
  expect_error("'churn', 1",
               "unknown signal 'churn' (known: deployment, adoption, risk, stakeholder_change, "
               "competitive_pressure, technical_issues, expected_churn, expansion, thresholds)");
  expect_error("1, 1", "argument 1 must be a signal name, got 1");
  expect_error("'risk', 1, 'RISK', 2", "signal 'risk' given twice");
  expect_error("'thresholds', '{}', 'thresholds', NULL", "'thresholds' given twice");
}
END_TEST

START_TEST(value_errors) {
  expect_error("'deployment', 1.2", "deployment must be between 0 and 1, got 1.2");
  expect_error("'adoption', -0.5", "adoption must be between 0 and 1, got -0.5");
  expect_error("'risk', 101", "risk must be between 0 and 100, got 101");
  expect_error("'risk', -1", "risk must be between 0 and 100, got -1");
  expect_error("'stakeholder_change', 2", "stakeholder_change must be 0 or 1, got 2");
  expect_error("'competitive_pressure', 0.5", "competitive_pressure must be 0 or 1, got 0.5");
  expect_error("'technical_issues', -1", "technical_issues must be 0 or 1, got -1");
  expect_error("'expected_churn', 'yes'", "expected_churn must be a number, got 'yes'");
  expect_error("'expansion', -100", "expansion must be >= 0, got -100");
  expect_error("'risk', x'01'", "risk must be a number, got a BLOB of 1 byte");
}
END_TEST

START_TEST(threshold_errors) {
  expect_error("'risk', 1, 'thresholds', '{\"churn\": 1}'",
               "unknown key 'churn' in thresholds (known: risk, adoption)");
  expect_error("'risk', 1, 'thresholds', '{\"risk\": 101}'",
               "risk in thresholds must be a number between 0 and 100, got 101");
  expect_error("'risk', 1, 'thresholds', '{\"adoption\": 2}'",
               "adoption in thresholds must be a number between 0 and 1, got 2");
  expect_error("'risk', 1, 'thresholds', '{\"risk\": \"70\"}'",
               "risk in thresholds must be a number between 0 and 100, got '70'");
  expect_error("'risk', 1, 'thresholds', '{\"risk\": 70'",
               "thresholds must be valid JSON (unexpected character at byte 11), got "
               "'{\"risk\": 70'");
  expect_error("'risk', 1, 'thresholds', '70'", "thresholds must be a JSON object, got '70'");
  expect_error("'risk', 1, 'thresholds', '{\"risk\": 60, \"risk\": 80}'",
               "thresholds must be valid JSON (duplicate key at byte 13), got "
               "'{\"risk\": 60, \"risk\": 80}'");
  expect_error("'risk', 1, 'thresholds', '{\"risk\": 60, \"RISK\": 80}'",
               "'RISK' appears twice in thresholds");
}
END_TEST

START_TEST(every_result_is_listed_in_phases) {
  pf_exec(db, "CREATE TABLE a(d, ad, r, x);"
              "INSERT INTO a VALUES (0.5, 0.9, 10, 0), (1, 0.1, 10, 0), (1, 0.9, 10, 3),"
              " (1, 0.9, 10, 0);");
  ck_assert_int_eq(pf_int(db, "SELECT count(DISTINCT phase) FROM a JOIN phases "
                              "ON phase = phase_of('deployment', d, 'adoption', ad, 'risk', r,"
                              " 'expansion', x)"),
                   4);
}
END_TEST

static Suite *make_suite(void) {
  Suite *s = suite_create("phase");
  TCase *rules = tcase_create("rules"), *errors = tcase_create("errors");
  tcase_add_checked_fixture(rules, setup, teardown);
  tcase_add_checked_fixture(errors, setup, teardown);
  tcase_add_test(rules, each_flag_means_defense);
  tcase_add_test(rules, risk_threshold_is_inclusive);
  tcase_add_test(rules, low_adoption_is_defense_only_after_rollout);
  tcase_add_test(rules, rollout_below_one_is_deployment);
  tcase_add_test(rules, open_expansion_is_growth);
  tcase_add_test(rules, precedence);
  tcase_add_test(rules, null_signals);
  tcase_add_test(rules, thresholds_override);
  tcase_add_test(rules, every_result_is_listed_in_phases);
  tcase_add_test(errors, argument_errors);
  tcase_add_test(errors, value_errors);
  tcase_add_test(errors, threshold_errors);
  suite_add_tcase(s, rules);
  suite_add_tcase(s, errors);
  return s;
}

PF_TEST_MAIN
