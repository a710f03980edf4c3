/* risk_model, risk_industries and phases: their rows, that risk_score reads the same
** constants risk_model shows, that they are read-only and eponymous, and that a view
** stored in a database may use every account function and table with trusted_schema=OFF. */
#include "testing.h"

#include <unistd.h>

static sqlite3 *db;

static void setup(void) { db = pf_open(); }
static void teardown(void) { sqlite3_close(db); }

START_TEST(risk_model_lists_the_spec_defaults) {
  char buf[512];
  /* the spec's table, in its order */
  ck_assert_str_eq(pf_text(db, "SELECT group_concat(factor || '=' || weight, ' ') FROM "
                               "(SELECT * FROM risk_model ORDER BY rowid)",
                           buf, sizeof buf),
                   "industry=0.15 region=0.05 cash_runway_months=0.15 days_to_renewal=0.1 "
                   "adoption=0.15 deployment=0.1 stakeholders=0.1 days_since_contact=0.05 "
                   "penetration=0.1 contract_year=0.05");
  pf_assert_near(pf_double(db, "SELECT sum(weight) FROM risk_model"), 1.0, 1e-12);
  ck_assert_int_eq(pf_int(db, "SELECT count(*) FROM risk_model "
                              "WHERE length(curve) > 0 AND length(description) > 0"),
                   10);
  ck_assert_str_eq(pf_text(db, "SELECT curve FROM risk_model WHERE factor = 'adoption'", buf,
                           sizeof buf),
                   "1 - adoption");
  ck_assert_str_eq(pf_text(db, "SELECT typeof(factor) || typeof(weight) || typeof(curve) "
                               "|| typeof(description) FROM risk_model LIMIT 1",
                           buf, sizeof buf),
                   "textrealtexttext");
}
END_TEST

START_TEST(risk_score_applies_the_weights_risk_model_shows) {
  /* All ten factors given: the defaults add up to 1, so each applied weight in
  ** risk_explain equals the weight risk_model shows. */
  ck_assert_int_eq(
      pf_int(db, "SELECT count(*) FROM json_each(risk_explain('industry', 'software', "
                 "'region', 0.4, 'cash_runway_months', 12, 'days_to_renewal', 105, 'adoption', "
                 "0.6, 'deployment', 0.9, 'stakeholders', 2, 'days_since_contact', 30, "
                 "'penetration', 0.25, 'contract_year', 3), '$.factors') AS f "
                 "JOIN risk_model m ON m.factor = json_extract(f.value, '$.factor') "
                 "WHERE abs(json_extract(f.value, '$.weight') - m.weight) < 1e-12"),
      10);
  /* and every factor risk_model names is one risk_score accepts */
  ck_assert_int_eq(pf_int(db, "SELECT count(risk_score(factor, 1)) FROM risk_model "
                              "WHERE factor <> 'days_to_renewal'"),
                   9);
}
END_TEST

START_TEST(industries_rate_as_the_spec_says) {
  ck_assert_int_ge(pf_int(db, "SELECT count(*) FROM risk_industries"), 20);
  ck_assert_int_eq(pf_int(db, "SELECT count(*) FROM risk_industries WHERE risk >= 0.7 AND "
                              "industry IN ('travel', 'aviation', 'hospitality', 'events', "
                              "'recruitment', 'in-person retail')"),
                   6);
  ck_assert_int_eq(pf_int(db, "SELECT count(*) FROM risk_industries WHERE risk <= 0.3 AND "
                              "industry IN ('logistics', 'healthcare', 'supply chain', "
                              "'e-commerce', 'software')"),
                   5);
  ck_assert_int_eq(pf_int(db, "SELECT count(*) FROM risk_industries WHERE risk < 0 OR risk > 1 "
                              "OR length(note) < 10 OR typeof(risk) <> 'real'"),
                   0);
  ck_assert_int_eq(pf_int(db, "SELECT count(DISTINCT lower(industry)) = count(*) "
                              "FROM risk_industries"),
                   1);
}
END_TEST

START_TEST(risk_score_looks_up_every_listed_industry) {
  /* one industry alone carries all the weight: score = 100 * its rating, in any case */
  ck_assert_int_eq(pf_int(db, "SELECT count(*) FROM risk_industries WHERE "
                              "abs(risk_score('industry', upper(industry)) - 100 * risk) > 1e-9 "
                              "OR abs(risk_score('industry', industry) - 100 * risk) > 1e-9"),
                   0);
}
END_TEST

START_TEST(phases_lists_the_four_phases) {
  char buf[256];
  ck_assert_str_eq(pf_text(db, "SELECT group_concat(phase || '=' || ordinal, ' ') FROM "
                               "(SELECT * FROM phases ORDER BY ordinal)",
                           buf, sizeof buf),
                   "deployment=1 defense=2 maturation=3 growth=4");
  ck_assert_int_eq(pf_int(db, "SELECT count(*) FROM phases WHERE objective LIKE '%_.' AND "
                              "typeof(ordinal) = 'integer'"),
                   4);
  ck_assert_int_eq(pf_int(db, "SELECT ordinal FROM phases WHERE phase = 'growth'"), 4);
}
END_TEST

START_TEST(tables_are_read_only_and_eponymous) {
  pf_expect_error(db, "INSERT INTO risk_model VALUES ('x', 1, 'c', 'd')",
                  "table risk_model may not be modified");
  pf_expect_error(db, "DELETE FROM risk_industries", "table risk_industries may not be modified");
  pf_expect_error(db, "UPDATE phases SET ordinal = 9", "table phases may not be modified");
  pf_expect_error(db, "CREATE VIRTUAL TABLE m2 USING risk_model",
                  "no such module: risk_model");
  /* a second scan in the same statement starts from the first row again */
  ck_assert_int_eq(pf_int(db, "SELECT count(*) FROM phases a, phases b"), 16);
}
END_TEST

static void not_innocuous(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  (void)argv;
  sqlite3_result_int(ctx, 1);
}

START_TEST(stored_view_works_with_trusted_schema_off) {
  char *path = sqlite3_mprintf("/tmp/pf_risk_tables_%d.db", (int)getpid());
  sqlite3 *file;
  char buf[64];
  unlink(path);
  ck_assert_int_eq(sqlite3_open(path, &file), SQLITE_OK);
  pf_exec(file, "CREATE TABLE acct(id, adoption, industry);"
                "INSERT INTO acct VALUES (1, 0.2, 'Travel'), (2, 0.9, 'software');"
                "CREATE VIEW risky AS SELECT id,"
                " risk_score('adoption', adoption, 'industry', industry,"
                "            'weights', '{\"adoption\": 0.15}') AS score,"
                " risk_explain('adoption', adoption, 'industry', industry) AS why,"
                " phase_of('adoption', adoption, 'risk', risk_score('adoption', adoption,"
                "          'industry', industry)) AS phase,"
                " (SELECT weight FROM risk_model WHERE factor = 'adoption') AS w,"
                " (SELECT risk FROM risk_industries WHERE industry = 'travel') AS travel,"
                " (SELECT ordinal FROM phases p WHERE p.phase = 'defense') AS ord FROM acct;"
                "CREATE VIEW unsafe_fn AS SELECT not_innocuous() AS x;"
                "CREATE VIEW unsafe_table AS SELECT * FROM concentration('SELECT 1, 1');");
  sqlite3_close(file);
  ck_assert_int_eq(sqlite3_open(path, &file), SQLITE_OK);
  sqlite3_create_function(file, "not_innocuous", 0, SQLITE_UTF8, 0, not_innocuous, 0, 0);
  pf_exec(file, "PRAGMA trusted_schema = OFF");
  /* 1: adoption .2 -> .8, Travel .9, equal weights: 85; industry contributes most */
  pf_assert_near(pf_double(file, "SELECT score FROM risky WHERE id = 1"), 85.0, 1e-12);
  /* (json_extract outside the view: SQLite 3.40's JSON functions are not innocuous) */
  ck_assert_str_eq(pf_text(file, "SELECT json_extract(why, '$.factors[0].factor') FROM risky "
                                 "WHERE id = 1",
                           buf, sizeof buf),
                   "industry");
  ck_assert_str_eq(pf_text(file, "SELECT phase FROM risky WHERE id = 1", buf, sizeof buf),
                   "defense");
  /* 2: adoption .9 -> .1, software .2: 15, maturation */
  pf_assert_near(pf_double(file, "SELECT score FROM risky WHERE id = 2"), 15.0, 1e-12);
  ck_assert_str_eq(pf_text(file, "SELECT phase FROM risky WHERE id = 2", buf, sizeof buf),
                   "maturation");
  pf_assert_near(pf_double(file, "SELECT w + travel + ord FROM risky WHERE id = 2"), 3.05,
                 1e-12);
  /* controls: the same setting does stop functions and tables not marked innocuous */
  pf_expect_error(file, "SELECT * FROM unsafe_fn", "unsafe use of not_innocuous()");
  pf_expect_error(file, "SELECT * FROM unsafe_table",
                  "unsafe use of virtual table \"concentration\"");
  sqlite3_close(file);
  unlink(path);
  sqlite3_free(path);
}
END_TEST

static Suite *make_suite(void) {
  Suite *s = suite_create("risk_tables");
  TCase *tc = tcase_create("tables");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, risk_model_lists_the_spec_defaults);
  tcase_add_test(tc, risk_score_applies_the_weights_risk_model_shows);
  tcase_add_test(tc, industries_rate_as_the_spec_says);
  tcase_add_test(tc, risk_score_looks_up_every_listed_industry);
  tcase_add_test(tc, phases_lists_the_four_phases);
  tcase_add_test(tc, tables_are_read_only_and_eponymous);
  tcase_add_test(tc, stored_view_works_with_trusted_schema_off);
  suite_add_tcase(s, tc);
  return s;
}

PF_TEST_MAIN
