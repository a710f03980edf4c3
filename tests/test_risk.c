/* risk_score and risk_explain: every factor's curve at its boundaries and in between,
** re-spreading of weights, weights JSON, NULLs, every error with its exact message, the
** JSON of risk_explain, and the per-statement caching of constant weights.
** Expected values are worked out by hand in the comments. A single factor gets all the
** weight, so risk_score(f, v) = 100 * sub-risk(v): that is how each curve is checked. */
#include "testing.h"

static sqlite3 *db;

static void setup(void) { db = pf_open(); }
static void teardown(void) { sqlite3_close(db); }

/* risk_score(<args>) as a double; fails when NULL. */
static double score(const char *args) {
  char *sql = sqlite3_mprintf("SELECT risk_score(%s)", args);
  double d = pf_double(db, sql);
  sqlite3_free(sql);
  return d;
}

static void expect_score(const char *args, double want) {
  char *sql = sqlite3_mprintf("SELECT risk_score(%s)", args);
  double got = pf_double(db, sql);
  ck_assert_msg(fabs(got - want) <= 1e-9, "risk_score(%s) = %.17g, want %.17g", args, got, want);
  sqlite3_free(sql);
}

static void expect_null(const char *args) {
  char *sql = sqlite3_mprintf("SELECT risk_score(%s)", args);
  ck_assert_msg(pf_type(db, sql) == SQLITE_NULL, "not NULL: %s", sql);
  sqlite3_free(sql);
}

/* Both functions fail with the same message after their own name. */
static void expect_error(const char *args, const char *message) {
  char *sql = sqlite3_mprintf("SELECT risk_score(%s)", args);
  char *want = sqlite3_mprintf("risk_score: %s", message);
  pf_expect_error(db, sql, want);
  sqlite3_free(sql);
  sqlite3_free(want);
  sql = sqlite3_mprintf("SELECT risk_explain(%s)", args);
  want = sqlite3_mprintf("risk_explain: %s", message);
  pf_expect_error(db, sql, want);
  sqlite3_free(sql);
  sqlite3_free(want);
}

/* ---- curves --------------------------------------------------------------------------- */

START_TEST(industry_names_and_numbers) {
  expect_score("'industry', 0", 0);
  expect_score("'industry', 0.35", 35);
  expect_score("'industry', 1", 100);
  expect_score("'industry', 'Travel'", 90);     /* rated 0.90 */
  expect_score("'industry', ' SOFTWARE '", 20); /* case and spaces ignored: 0.20 */
  expect_score("'industry', 'in-person retail'", 80);
  expect_score("'industry', 'Logistics'", 25);
  expect_score("'industry', 'basket weaving'", 50); /* not listed: 0.5 */
  expect_score("'industry', '0.7'", 70);            /* numeric TEXT is a rating */
  expect_error("'industry', 1.01", "industry must be between 0 and 1, got 1.01");
  expect_error("'industry', -0.2", "industry must be between 0 and 1, got -0.2");
  expect_error("'industry', x'0102'",
               "industry must be an industry name or a number, got a BLOB of 2 bytes");
}
END_TEST

START_TEST(region_is_the_value) {
  expect_score("'region', 0", 0);
  expect_score("'region', 0.25", 25);
  expect_score("'region', 1", 100);
  expect_error("'region', 1.5", "region must be between 0 and 1, got 1.5");
  expect_error("'region', -1", "region must be between 0 and 1, got -1");
}
END_TEST

START_TEST(cash_runway_falls_to_zero_at_24_months) {
  expect_score("'cash_runway_months', 0", 100);
  expect_score("'cash_runway_months', 6", 75);  /* 1 - 6/24 */
  expect_score("'cash_runway_months', 12", 50); /* 1 - 12/24 */
  expect_score("'cash_runway_months', 23", 100.0 / 24); /* 1 - 23/24 = 1/24 */
  expect_score("'cash_runway_months', 24", 0);
  expect_score("'cash_runway_months', 60", 0);
  expect_error("'cash_runway_months', -1", "cash_runway_months must be >= 0, got -1");
}
END_TEST

START_TEST(days_to_renewal_full_until_30_then_down_to_180) {
  expect_score("'days_to_renewal', -10", 100); /* overdue */
  expect_score("'days_to_renewal', 0", 100);
  expect_score("'days_to_renewal', 30", 100);
  expect_score("'days_to_renewal', 31", 100.0 * 149 / 150); /* (180-31)/150 */
  expect_score("'days_to_renewal', 105", 50);               /* (180-105)/150 = 0.5 */
  expect_score("'days_to_renewal', 179", 100.0 / 150);
  expect_score("'days_to_renewal', 180", 0);
  expect_score("'days_to_renewal', 365", 0);
  expect_error("'days_to_renewal', 'soon'", "days_to_renewal must be a number, got 'soon'");
}
END_TEST

START_TEST(adoption_deployment_penetration_are_complements) {
  expect_score("'adoption', 0", 100);
  expect_score("'adoption', 0.25", 75);
  expect_score("'adoption', 1", 0);
  expect_score("'deployment', 0", 100);
  expect_score("'deployment', 0.9", 10);
  expect_score("'deployment', 1", 0);
  expect_score("'penetration', 0", 100);
  expect_score("'penetration', 0.6", 40);
  expect_score("'penetration', 1", 0);
  expect_error("'adoption', 1.5", "adoption must be between 0 and 1, got 1.5");
  expect_error("'deployment', -0.1", "deployment must be between 0 and 1, got -0.1");
  expect_error("'penetration', 2", "penetration must be between 0 and 1, got 2");
}
END_TEST

START_TEST(stakeholders_count_up_to_five) {
  expect_score("'stakeholders', 0", 100);
  expect_score("'stakeholders', 1", 80); /* 1 - 1/5 */
  expect_score("'stakeholders', 4", 20);
  expect_score("'stakeholders', 5", 0);
  expect_score("'stakeholders', 7", 0); /* min(7, 5) */
  expect_score("'stakeholders', 2.0", 60);
  expect_error("'stakeholders', 2.5", "stakeholders must be an integer >= 0, got 2.5");
  expect_error("'stakeholders', -1", "stakeholders must be an integer >= 0, got -1");
}
END_TEST

START_TEST(days_since_contact_rises_to_one_at_90) {
  expect_score("'days_since_contact', 0", 0);
  expect_score("'days_since_contact', 45", 50);
  expect_score("'days_since_contact', 89", 100.0 * 89 / 90);
  expect_score("'days_since_contact', 90", 100);
  expect_score("'days_since_contact', 400", 100);
  expect_error("'days_since_contact', -3", "days_since_contact must be >= 0, got -3");
}
END_TEST

START_TEST(contract_year_steps) {
  expect_score("'contract_year', 1", 30);
  expect_score("'contract_year', 2", 60);
  expect_score("'contract_year', 3", 100);
  expect_score("'contract_year', 4", 60);
  expect_score("'contract_year', 12", 60);
  expect_score("'contract_year', '3'", 100); /* numeric TEXT */
  expect_score("'contract_year', 3.0", 100);
  expect_error("'contract_year', 0", "contract_year must be an integer >= 1, got 0");
  expect_error("'contract_year', 2.5", "contract_year must be an integer >= 1, got 2.5");
  expect_error("'contract_year', 'third'", "contract_year must be a number, got 'third'");
}
END_TEST

/* ---- weights ---------------------------------------------------------------------------- */

/* The ten factors with default weights (they add up to 1):
**   industry software 0.20 * .15 = .030     region 0.4 * .05 = .020
**   runway 12 -> 0.5 * .15 = .075          renewal 105 -> 0.5 * .10 = .050
**   adoption .6 -> 0.4 * .15 = .060         deployment .9 -> 0.1 * .10 = .010
**   stakeholders 2 -> 0.6 * .10 = .060      contact 30 -> 1/3 * .05 = .016667
**   penetration .25 -> 0.75 * .10 = .075    contract_year 3 -> 1.0 * .05 = .050
** sum = .446667 -> 44.6667 (= 134/3) */
#define ALL_TEN                                                                             \
  "'industry', 'software', 'region', 0.4, 'cash_runway_months', 12, 'days_to_renewal', 105, " \
  "'adoption', 0.6, 'deployment', 0.9, 'stakeholders', 2, 'days_since_contact', 30, "         \
  "'penetration', 0.25, 'contract_year', 3"

START_TEST(all_ten_factors_with_default_weights) {
  expect_score(ALL_TEN, 134.0 / 3);
}
END_TEST

START_TEST(missing_weight_is_spread_over_the_rest) {
  /* Without region (.020 of .05) and contract_year (.050 of .05): .376667 / .90 = 113/270 */
  expect_score("'industry', 'software', 'region', NULL, 'cash_runway_months', 12, "
               "'days_to_renewal', 105, 'adoption', 0.6, 'deployment', 0.9, "
               "'stakeholders', 2, 'days_since_contact', 30, 'penetration', 0.25",
               100.0 * 113 / 270);
  /* adoption .2 (risk .8) and Travel (.9), both weight .15: (.12 + .135) / .30 = 0.85 */
  expect_score("'adoption', 0.2, 'industry', 'Travel'", 85);
  /* adoption .2 (.8, w .15) and region .5 (.5, w .05): (.12 + .025) / .20 = 0.725 */
  expect_score("'adoption', 0.2, 'region', 0.5", 72.5);
  /* '' counts as NULL */
  expect_score("'adoption', 0.2, 'region', ''", 80);
}
END_TEST

START_TEST(argument_order_and_case_do_not_matter) {
  double a = score(ALL_TEN);
  double b = score("'CONTRACT_YEAR', 3, 'penetration', 0.25, 'Days_Since_Contact', 30, "
                   "'stakeholders', 2, 'deployment', 0.9, 'adoption', 0.6, "
                   "'days_to_renewal', 105, 'cash_runway_months', 12, 'region', 0.4, "
                   "'Industry', 'software'");
  ck_assert_msg(a == b, "%.17g != %.17g", a, b); /* summed in risk_model order: same bits */
}
END_TEST

START_TEST(weights_json_overrides_defaults) {
  /* adoption .6 (risk .4) weight .45; software (.2) keeps .15: (.18 + .03) / .60 = 0.35 */
  expect_score("'adoption', 0.6, 'industry', 'software', 'weights', '{\"adoption\": 0.45}'", 35);
  /* weights need not add up to 1: 3 and 1 -> (3 * .4 + 1 * .2) / 4 = 0.35 */
  expect_score("'adoption', 0.6, 'industry', 'software', "
               "'weights', '{\"Adoption\": 3, \"industry\": 1}'",
               35);
  /* a zero weight drops the factor: only Travel counts */
  expect_score("'adoption', 0.6, 'industry', 'travel', 'weights', '{\"adoption\": 0}'", 90);
  /* weights of factors not given change nothing */
  expect_score("'adoption', 0.6, 'weights', '{\"region\": 5}'", 40);
  /* huge weights do not overflow: equal weights -> (.4 + .2) / 2 = 0.3 */
  expect_score("'adoption', 0.6, 'industry', 'software', "
               "'weights', '{\"adoption\": 1e308, \"industry\": 1e308}'",
               30);
  /* NULL, '' and {} mean the defaults: (.06 + .03) / .30 = 0.3 */
  expect_score("'adoption', 0.6, 'industry', 'software', 'weights', NULL", 30);
  expect_score("'adoption', 0.6, 'industry', 'software', 'weights', ''", 30);
  expect_score("'weights', '{}', 'adoption', 0.6, 'industry', 'software'", 30);
}
END_TEST

START_TEST(no_factor_or_zero_weights_give_null) {
  expect_null("");
  expect_null("'adoption', NULL");
  expect_null("'adoption', NULL, 'industry', NULL, 'weights', '{\"adoption\": 2}'");
  expect_null("'weights', '{\"adoption\": 2}'");
  expect_null("'adoption', 0.5, 'weights', '{\"adoption\": 0}'");
}
END_TEST

START_TEST(weights_errors) {
  expect_error("'adoption', 0.5, 'weights', '{\"adoption\": -1}'",
               "adoption in weights must be a number >= 0, got -1");
  expect_error("'adoption', 0.5, 'weights', '{\"adoption\": \"high\"}'",
               "adoption in weights must be a number >= 0, got 'high'");
  expect_error("'adoption', 0.5, 'weights', '{\"adoption\": true}'",
               "adoption in weights must be a number >= 0, got true");
  expect_error("'adoption', 0.5, 'weights', '{\"adoption\": null}'",
               "adoption in weights must be a number >= 0, got null");
  expect_error("'adoption', 0.5, 'weights', '{\"adoption\": [1]}'",
               "adoption in weights must be a number >= 0, got '[1]'");
  expect_error("'adoption', 0.5, 'weights', '{\"adoption\": 1e999}'",
               "weights must be valid JSON (number out of range at byte 13), got "
               "'{\"adoption\": 1e999}'");
  expect_error("'adoption', 0.5, 'weights', '{\"adoption\": 1'",
               "weights must be valid JSON (unexpected character at byte 14), got "
               "'{\"adoption\": 1'");
  expect_error("'adoption', 0.5, 'weights', '[0.5]'",
               "weights must be a JSON object, got '[0.5]'");
  expect_error("'adoption', 0.5, 'weights', 7", "weights must be a JSON object, got 7");
  expect_error("'adoption', 0.5, 'weights', x'7b7d'",
               "weights must be a JSON object, got a BLOB of 2 bytes");
  expect_error("'adoption', 0.5, 'weights', '{\"adoptoin\": 1}'",
               "unknown factor 'adoptoin' in weights (known: industry, region, "
               "cash_runway_months, days_to_renewal, adoption, deployment, stakeholders, "
               "days_since_contact, penetration, contract_year)");
  expect_error("'adoption', 0.5, 'weights', '{\"adoption\": 1, \"ADOPTION\": 2}'",
               "'ADOPTION' appears twice in weights");
  expect_error("'adoption', 0.5, 'weights', '{}', 'weights', '{}'", "'weights' given twice");
}
END_TEST

/* ---- argument errors ------------------------------------------------------------------ */

START_TEST(argument_errors) {
  expect_error("'adoption'", "arguments come in factor, value pairs, got 1 argument");
  expect_error("'adoption', 0.5, 'region'",
               "arguments come in factor, value pairs, got 3 arguments");
  expect_error("'foo', 1",
               "unknown factor 'foo' (known: industry, region, cash_runway_months, "
               "days_to_renewal, adoption, deployment, stakeholders, days_since_contact, "
               "penetration, contract_year, weights)");
  expect_error("'adoption', 0.5, 7, 1", "argument 3 must be a factor name, got 7");
  expect_error("NULL, 1", "argument 1 must be a factor name, got NULL");
  expect_error("'adoption', 0.5, 'Adoption', 0.7", "factor 'adoption' given twice");
  expect_error("'adoption', NULL, 'adoption', 0.7", "factor 'adoption' given twice");
  expect_error("'adoption', 'most'", "adoption must be a number, got 'most'");
  expect_error("'adoption', x'00'", "adoption must be a number, got a BLOB of 1 byte");
  expect_error("'cash_runway_months', '1e999'",
               "cash_runway_months must be a number, got '1e999'");
}
END_TEST

/* ---- risk_explain ----------------------------------------------------------------------- */

START_TEST(explain_exact_text) {
  char buf[1024];
  /* Travel .9 and adoption .2 -> .8, weights .15 each -> applied 0.5 each:
  ** contributions 45 and 40, score 85; largest first. */
  ck_assert_str_eq(
      pf_text(db, "SELECT risk_explain('adoption', 0.2, 'industry', 'Travel', 'region', NULL)",
              buf, sizeof buf),
      "{\"score\":85.0,\"factors\":["
      "{\"factor\":\"industry\",\"value\":\"Travel\",\"risk\":0.9,\"weight\":0.5,"
      "\"contribution\":45.0},"
      "{\"factor\":\"adoption\",\"value\":0.2,\"risk\":0.8,\"weight\":0.5,"
      "\"contribution\":40.0}],"
      "\"missing\":[\"region\",\"cash_runway_months\",\"days_to_renewal\",\"deployment\","
      "\"stakeholders\",\"days_since_contact\",\"penetration\",\"contract_year\"]}");
  /* no factor: score null, everything missing */
  ck_assert_str_eq(pf_text(db, "SELECT risk_explain()", buf, sizeof buf),
                   "{\"score\":null,\"factors\":[],\"missing\":[\"industry\",\"region\","
                   "\"cash_runway_months\",\"days_to_renewal\",\"adoption\",\"deployment\","
                   "\"stakeholders\",\"days_since_contact\",\"penetration\",\"contract_year\"]}");
  /* all weights zero: the factor is listed, with null weight and contribution */
  ck_assert_str_eq(
      pf_text(db, "SELECT json_extract(risk_explain('contract_year', 2, 'weights', "
                  "'{\"contract_year\": 0}'), '$.factors')",
              buf, sizeof buf),
      "[{\"factor\":\"contract_year\",\"value\":2,\"risk\":0.6,\"weight\":null,"
      "\"contribution\":null}]");
}
END_TEST

START_TEST(explain_adds_up_and_is_sorted) {
  const char *sql =
      "WITH e(j) AS (SELECT risk_explain(" ALL_TEN ")), "
      "f AS (SELECT value AS v, key AS k FROM e, json_each(j, '$.factors')) "
      "SELECT (SELECT json_valid(j) FROM e), "
      "       (SELECT json_extract(j, '$.score') FROM e), "
      "       (SELECT sum(json_extract(v, '$.contribution')) FROM f), "
      "       (SELECT sum(json_extract(v, '$.weight')) FROM f), "
      "       (SELECT count(*) FROM f a JOIN f b ON b.k = a.k + 1 "
      "         WHERE json_extract(b.v, '$.contribution') > json_extract(a.v, '$.contribution')),"
      "       (SELECT json_array_length(j, '$.missing') FROM e), "
      "       (SELECT json_extract(v, '$.factor') FROM f WHERE k = 0)";
  sqlite3_stmt *stmt = pf_query(db, sql);
  ck_assert_int_eq(sqlite3_column_int(stmt, 0), 1);
  pf_assert_near(sqlite3_column_double(stmt, 1), 134.0 / 3, 1e-13);
  pf_assert_near(sqlite3_column_double(stmt, 2), 134.0 / 3, 1e-13);
  pf_assert_near(sqlite3_column_double(stmt, 3), 1.0, 1e-13);
  ck_assert_int_eq(sqlite3_column_int(stmt, 4), 0); /* never rising */
  ck_assert_int_eq(sqlite3_column_int(stmt, 5), 0);
  /* largest: runway and penetration both .075; ties keep risk_model order */
  ck_assert_str_eq((const char *)sqlite3_column_text(stmt, 6), "cash_runway_months");
  sqlite3_finalize(stmt);
  /* the score in the JSON is risk_score's */
  pf_assert_near(pf_double(db, "SELECT json_extract(risk_explain(" ALL_TEN "), '$.score') - "
                               "risk_score(" ALL_TEN ")"),
                 0, 1e-12);
}
END_TEST

START_TEST(explain_quotes_names_as_json) {
  /* quotes, backslashes and control characters survive the round trip through JSON */
  pf_exec(db, "CREATE TABLE t(name); INSERT INTO t VALUES ('a\"b\\c' || char(10, 9, 1) || 'é');");
  ck_assert_int_eq(pf_int(db, "SELECT json_valid(risk_explain('industry', name)) FROM t"), 1);
  ck_assert_int_eq(pf_int(db, "SELECT json_extract(risk_explain('industry', name), "
                              "'$.factors[0].value') = name FROM t"),
                   1);
  /* numeric TEXT is shown as a number, integers without a decimal point */
  ck_assert_int_eq(pf_int(db, "SELECT json_type(risk_explain('industry', '0.7'), "
                              "'$.factors[0].value') = 'real'"),
                   1);
  ck_assert_int_eq(pf_int(db, "SELECT json_type(risk_explain('stakeholders', 3), "
                              "'$.factors[0].value') = 'integer'"),
                   1);
}
END_TEST

/* ---- caching and allocations ---------------------------------------------------------- */

/* Statements run while the weights are read: none, as the core reads the JSON itself (the
** rows after the first allocating nothing is checked by rows_after_the_first_allocate_nothing). */
static int json_reads;

static int count_json_reads(unsigned type, void *ctx, void *p, void *x) {
  (void)type;
  (void)ctx;
  if (strstr(sqlite3_sql((sqlite3_stmt *)p), "json")) json_reads++;
  (void)x;
  return 0;
}

START_TEST(weights_are_read_without_sql) {
  pf_exec(db, "CREATE TABLE a(adoption, w); "
              "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 999) "
              "INSERT INTO a SELECT i / 1000.0, '{\"adoption\": 2}' FROM n;");
  sqlite3_trace_v2(db, SQLITE_TRACE_STMT, count_json_reads, 0);
  json_reads = 0;
  /* mean of 1 - v over v = 0, .001, ..., .999: 1 - .4995 = .5005 */
  pf_assert_near(pf_double(db, "SELECT avg(risk_score('adoption', adoption, "
                               "'weights', '{\"adoption\": 2}')) FROM a"),
                 50.05, 1e-12);
  ck_assert_int_eq(json_reads, 0);
  json_reads = 0;
  pf_assert_near(pf_double(db, "SELECT avg(risk_score('adoption', adoption, 'weights', w)) "
                               "FROM a"),
                 50.05, 1e-12);
  ck_assert_int_eq(json_reads, 0); /* a column: parsed on every row, still right */
  sqlite3_trace_v2(db, 0, 0, 0);
}
END_TEST

static sqlite3_mem_methods real_memory;
static long allocations;

static void *counting_malloc(int n) {
  allocations++;
  return real_memory.xMalloc(n);
}

static void *counting_realloc(void *p, int n) {
  allocations++;
  return real_memory.xRealloc(p, n);
}

/* Reconfigures SQLite's allocator (only possible while it is shut down). */
static void use_allocator(const sqlite3_mem_methods *m) {
  sqlite3_shutdown(); /* also clears the auto-extension list: register again */
  ck_assert_int_eq(sqlite3_config(SQLITE_CONFIG_MALLOC, m), SQLITE_OK);
  ck_assert_int_eq(sqlite3_initialize(), SQLITE_OK);
  sqlite3_auto_extension((void (*)(void))sqlite3_portfolio_init);
}

START_TEST(rows_after_the_first_allocate_nothing) {
  sqlite3 *mdb;
  sqlite3_stmt *stmt = 0;
  sqlite3_mem_methods counting;
  long after_first;
  int rows = 1;
  sqlite3_close(db);
  db = 0;
  sqlite3_shutdown(); /* sqlite3_config works only while SQLite is shut down */
  ck_assert_int_eq(sqlite3_config(SQLITE_CONFIG_GETMALLOC, &real_memory), SQLITE_OK);
  counting = real_memory;
  counting.xMalloc = counting_malloc;
  counting.xRealloc = counting_realloc;
  use_allocator(&counting);
  mdb = pf_open();
  pf_exec(mdb, "CREATE TABLE a(adoption, industry); "
               "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 999) "
               "INSERT INTO a SELECT i / 1000.0, "
               "CASE i % 3 WHEN 0 THEN 'travel' WHEN 1 THEN 0.4 END FROM n;");
  ck_assert_int_eq(sqlite3_prepare_v2(mdb, "SELECT risk_score('adoption', adoption, 'industry',"
                                           " industry, 'weights', '{\"industry\": 0.3}') FROM a",
                                      -1, &stmt, 0),
                   SQLITE_OK);
  ck_assert_int_eq(sqlite3_step(stmt), SQLITE_ROW); /* reads and caches the weights */
  after_first = allocations;
  while (sqlite3_step(stmt) == SQLITE_ROW) rows++;
  ck_assert_int_eq(rows, 1000);
  ck_assert_int_eq(allocations - after_first, 0);
  sqlite3_finalize(stmt);
  sqlite3_close(mdb);
  use_allocator(&real_memory);
  db = pf_open();
}
END_TEST

static Suite *make_suite(void) {
  Suite *s = suite_create("risk");
  TCase *curves = tcase_create("curves"), *weights = tcase_create("weights");
  TCase *errors = tcase_create("errors"), *explain = tcase_create("explain");
  TCase *speed = tcase_create("caching");
  TCase *all[] = {curves, weights, errors, explain, speed};
  size_t i;
  tcase_add_test(curves, industry_names_and_numbers);
  tcase_add_test(curves, region_is_the_value);
  tcase_add_test(curves, cash_runway_falls_to_zero_at_24_months);
  tcase_add_test(curves, days_to_renewal_full_until_30_then_down_to_180);
  tcase_add_test(curves, adoption_deployment_penetration_are_complements);
  tcase_add_test(curves, stakeholders_count_up_to_five);
  tcase_add_test(curves, days_since_contact_rises_to_one_at_90);
  tcase_add_test(curves, contract_year_steps);
  tcase_add_test(weights, all_ten_factors_with_default_weights);
  tcase_add_test(weights, missing_weight_is_spread_over_the_rest);
  tcase_add_test(weights, argument_order_and_case_do_not_matter);
  tcase_add_test(weights, weights_json_overrides_defaults);
  tcase_add_test(weights, no_factor_or_zero_weights_give_null);
  tcase_add_test(errors, weights_errors);
  tcase_add_test(errors, argument_errors);
  tcase_add_test(explain, explain_exact_text);
  tcase_add_test(explain, explain_adds_up_and_is_sorted);
  tcase_add_test(explain, explain_quotes_names_as_json);
  tcase_add_test(speed, weights_are_read_without_sql);
  tcase_add_test(speed, rows_after_the_first_allocate_nothing);
  for (i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
    tcase_add_checked_fixture(all[i], setup, teardown);
    suite_add_tcase(s, all[i]);
  }
  return s;
}

PF_TEST_MAIN
