/*
** test_security_json.c: SECURITY.md's claim that no table, view or function of the
** database changes what risk_score, risk_explain and phase_of read from their JSON
** arguments (issue 15, point 1). The JSON is read by the core reader in C, so:
**   1. A plain table, an FTS4 table, an FTS5 table and a TEMP view named json_each, even
**      holding rows that would override the weights, leave every result as without them.
**   2. An expression index on risk_score(... 'weights' ...) built before such a table
**      appears still passes PRAGMA integrity_check after it appears.
** Expected values by hand: adoption 0.2 has risk 0.8; with region's weight 0 only adoption
** counts, so the score is 80.0. Risk 50 against a risk threshold of 40 is 'defense'.
*/
#include "testing.h"

static const char *const shadows[] = {
    "CREATE TABLE json_each(key, value, type);"
    "INSERT INTO json_each VALUES ('region', 1, 'integer'), ('adoption', 0, 'integer'),"
    " ('risk', 99, 'integer')",
    "CREATE VIRTUAL TABLE json_each USING fts4(key, value, type);"
    "INSERT INTO json_each VALUES ('region', 1, 'integer'), ('risk', 99, 'integer')",
    "CREATE VIRTUAL TABLE json_each USING fts5(key, value, type);"
    "INSERT INTO json_each VALUES ('region', 1, 'integer'), ('risk', 99, 'integer')",
    "CREATE TEMP VIEW json_each AS SELECT 'region' AS key, 1 AS value, 'integer' AS type"};

static void expect_unchanged_results(sqlite3 *db) {
  char buf[64];
  pf_assert_near(pf_double(db, "SELECT risk_score('adoption', 0.2, 'region', 1.0, 'weights',"
                               " '{\"region\": 0}')"),
                 80.0, 1e-12);
  ck_assert_str_eq(pf_text(db, "SELECT phase_of('risk', 50, 'thresholds', '{\"risk\": 40}')",
                           buf, sizeof buf),
                   "defense");
  /* risk_explain reads the same weights: region's weight is 0 in its output */
  pf_assert_near(pf_double(db, "SELECT value FROM json_tree(risk_explain('adoption', 0.2, "
                               "'region', 1.0, 'weights', '{\"region\": 0}')) "
                               "WHERE key = 'score'"),
                 80.0, 1e-12);
  /* and its errors stay the reader's */
  pf_expect_error(db, "SELECT risk_score('adoption', 0.2, 'weights', '{\"region\": 0, \"region\": 1}')",
                  "risk_score: weights must be valid JSON (duplicate key at byte 14), got "
                  "'{\"region\": 0, \"region\": 1}'");
}

START_TEST(no_json_each_changes_results) {
  size_t i;
  for (i = 0; i < sizeof(shadows) / sizeof(shadows[0]); i++) {
    sqlite3 *db = pf_open();
    expect_unchanged_results(db);
    pf_exec(db, shadows[i]);
    expect_unchanged_results(db);
    sqlite3_close(db);
  }
}
END_TEST

START_TEST(expression_index_stays_consistent) {
  size_t i;
  for (i = 0; i < sizeof(shadows) / sizeof(shadows[0]); i++) {
    sqlite3 *db = pf_open();
    char buf[64];
    pf_exec(db, "CREATE TABLE acct(adoption, region);"
                "INSERT INTO acct VALUES (0.2, 1.0), (0.5, 0.0), (0.9, 0.5);"
                "CREATE INDEX acct_score ON acct(risk_score('adoption', adoption, 'region',"
                " region, 'weights', '{\"region\": 0}'));");
    pf_exec(db, shadows[i]);
    ck_assert_str_eq(pf_text(db, "PRAGMA integrity_check", buf, sizeof buf), "ok");
    /* the index answers as the table does: 80 for adoption 0.2 */
    ck_assert_int_eq(pf_int(db, "SELECT count(*) FROM acct WHERE risk_score('adoption', "
                                "adoption, 'region', region, 'weights', '{\"region\": 0}')"
                                " = 80.0"),
                     1);
    pf_exec(db, "INSERT INTO acct VALUES (0.2, 0.7)");
    ck_assert_str_eq(pf_text(db, "PRAGMA integrity_check", buf, sizeof buf), "ok");
    sqlite3_close(db);
  }
}
END_TEST

static Suite *make_suite(void) {
  Suite *s = suite_create("security_json");
  TCase *tc = tcase_create("json_each");
  tcase_add_test(tc, no_json_each_changes_results);
  tcase_add_test(tc, expression_index_stays_consistent);
  suite_add_tcase(s, tc);
  return s;
}

PF_TEST_MAIN
