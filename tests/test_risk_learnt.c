/* risk_score('model', m, ...), risk_explain('model', m, ...) and risk_scorecard(m): scores
** worked out by hand on a small model, and every error with its message. The random
** comparison with a second implementation is tests/risk_learnt.test.sh. */
#include "testing.h"

/* tenure: <= 6 (+1), 6 < x <= 20 (+0.2), > 20 (-0.5), missing (+0.3);
** contract: Month-to-month (+0.9), One year (-0.1), other (-0.4), no missing bin. */
#define MODEL                                                                               \
  "{\"model\": \"portfolio-risk-scorecard\", \"version\": 1, \"accounts\": 100,"           \
  " \"outcomes\": 30, \"outcome_rate\": 0.3, \"intercept\": -1,"                           \
  " \"factors\": ["                                                                        \
  "  {\"factor\": \"tenure\", \"kind\": \"numeric\", \"bins\": ["                           \
  "    {\"bin\": \"<= 6\", \"upper\": 6, \"accounts\": 20, \"outcome_rate\": 0.6, \"points\": 1},"  \
  "    {\"bin\": \"6 < x <= 20\", \"lower\": 6, \"upper\": 20, \"accounts\": 30,"           \
  "     \"outcome_rate\": 0.3, \"points\": 0.2},"                                          \
  "    {\"bin\": \"> 20\", \"lower\": 20, \"accounts\": 40, \"outcome_rate\": 0.1, \"points\": -0.5}," \
  "    {\"bin\": \"missing\", \"missing\": true, \"accounts\": 10, \"outcome_rate\": 0.4,"  \
  "     \"points\": 0.3}]},"                                                               \
  "  {\"factor\": \"contract\", \"kind\": \"categorical\", \"bins\": ["                     \
  "    {\"bin\": \"Month-to-month\", \"value\": \"Month-to-month\", \"accounts\": 50,"      \
  "     \"outcome_rate\": 0.5, \"points\": 0.9},"                                          \
  "    {\"bin\": \"One year\", \"value\": \"One year\", \"accounts\": 30,"                  \
  "     \"outcome_rate\": 0.2, \"points\": -0.1},"                                         \
  "    {\"bin\": \"other\", \"other\": true, \"accounts\": 20, \"outcome_rate\": 0.05,"     \
  "     \"points\": -0.4}]}],"                                                             \
  " \"fit\": {\"iterations\": 5}}"

static double score_of(double z) { return 100.0 / (1.0 + exp(-z)); }

static void score_is(sqlite3 *db, const char *args, double z) {
  char sql[4000];
  snprintf(sql, sizeof(sql), "SELECT risk_score('model', '%s'%s)", MODEL, args);
  pf_assert_near(pf_double(db, sql), score_of(z), 1e-15);
}

START_TEST(scores_by_hand) {
  sqlite3 *db = pf_open();
  score_is(db, ", 'tenure', 6, 'contract', 'Month-to-month'", -1 + 1 + 0.9);
  score_is(db, ", 'tenure', 6.0000001, 'contract', 'One year'", -1 + 0.2 - 0.1);
  score_is(db, ", 'tenure', 20, 'contract', 'month-to-month'", -1 + 0.2 - 0.4); /* unseen */
  score_is(db, ", 'tenure', 21, 'contract', 'Two year'", -1 - 0.5 - 0.4);
  score_is(db, ", 'tenure', -1000", -1 + 1 + 0);        /* below the range; contract: 0 */
  score_is(db, ", 'tenure', 1e9", -1 - 0.5);            /* beyond the range */
  score_is(db, ", 'TENURE', '12.5'", -1 + 0.2);         /* numeric TEXT, any case */
  score_is(db, ", 'tenure', NULL, 'contract', ''", -1 + 0.3); /* missing bin; no bin */
  score_is(db, "", -1 + 0.3);
  score_is(db, ", 'contract', 'One year', 'tenure', 30", -1 - 0.5 - 0.1); /* any order */
  sqlite3_close(db);
}
END_TEST

START_TEST(explain_by_hand) {
  sqlite3 *db = pf_open();
  char sql[4000], got[2000], want[2000];
  snprintf(sql, sizeof(sql),
           "SELECT risk_explain('model', '%s', 'contract', 'Month-to-month', 'tenure', NULL)",
           MODEL);
  pf_text(db, sql, got, sizeof(got));
  snprintf(want, sizeof(want),
           "{\"score\":%.15g,\"probability\":%.15g,\"intercept\":-1.0,\"factors\":["
           "{\"factor\":\"contract\",\"value\":\"Month-to-month\",\"bin\":\"Month-to-month\","
           "\"points\":0.9,\"outcome_rate\":0.5},"
           "{\"factor\":\"tenure\",\"value\":null,\"bin\":\"missing\",\"points\":0.3,"
           "\"outcome_rate\":0.4}],\"missing\":[\"tenure\"]}",
           score_of(0.2), score_of(0.2) / 100);
  ck_assert_str_eq(got, want);
  /* an unseen category of a model with an other bin, and a factor with no bin at all */
  snprintf(sql, sizeof(sql),
           "SELECT json_extract(risk_explain('model', '%s', 'tenure', 3), '$.factors')",
           MODEL);
  pf_text(db, sql, got, sizeof(got));
  ck_assert_str_eq(got, "[{\"factor\":\"tenure\",\"value\":3,\"bin\":\"<= 6\",\"points\":1.0,"
                        "\"outcome_rate\":0.6},{\"factor\":\"contract\",\"value\":null,"
                        "\"bin\":null,\"points\":0.0,\"outcome_rate\":null}]");
  sqlite3_close(db);
}
END_TEST

START_TEST(scorecard_rows) {
  sqlite3 *db = pf_open();
  char sql[4000], got[2000];
  snprintf(sql, sizeof(sql),
           "SELECT group_concat(concat_ws('|', factor, kind, bin, lower, upper, value, accounts,"
           " outcome_rate, points), ';') FROM risk_scorecard('%s')", MODEL);
  pf_exec(db, "SELECT 1");
  if (sqlite3_libversion_number() < 3044000) /* concat_ws came in 3.44 */
    snprintf(sql, sizeof(sql),
             "SELECT group_concat(factor || '|' || kind || '|' || bin || '|' ||"
             " ifnull(lower, '') || '|' || ifnull(upper, '') || '|' || ifnull(value, '') ||"
             " '|' || accounts || '|' || outcome_rate || '|' || points, ';')"
             " FROM risk_scorecard('%s')", MODEL);
  pf_text(db, sql, got, sizeof(got));
  ck_assert_str_eq(got, "tenure|numeric|<= 6||6.0||20|0.6|1.0;"
                        "tenure|numeric|6 < x <= 20|6.0|20.0||30|0.3|0.2;"
                        "tenure|numeric|> 20|20.0|||40|0.1|-0.5;"
                        "tenure|numeric|missing||||10|0.4|0.3;"
                        "contract|categorical|Month-to-month|||Month-to-month|50|0.5|0.9;"
                        "contract|categorical|One year|||One year|30|0.2|-0.1;"
                        "contract|categorical|other||||20|0.05|-0.4");
  sqlite3_close(db);
}
END_TEST

START_TEST(model_from_a_column) {
  sqlite3 *db = pf_open();
  char sql[4000];
  /* two models (the second has intercept 0) interleaved row by row */
  snprintf(sql, sizeof(sql),
           "CREATE TABLE m(id, model); INSERT INTO m VALUES (1, '%s'),"
           " (2, replace('%s', '\"intercept\": -1', '\"intercept\": 0'));"
           "CREATE TABLE a(id, mid, tenure); INSERT INTO a VALUES (1, 1, 3), (2, 2, 3),"
           " (3, 1, 30), (4, 2, 30), (5, 2, NULL);", MODEL, MODEL);
  pf_exec(db, sql);
  pf_assert_near(pf_double(db, "SELECT sum(risk_score('model', model, 'tenure', tenure))"
                               " FROM a JOIN m ON m.id = a.mid"),
                 score_of(0) + score_of(1) + score_of(-1.5) + score_of(-0.5) + score_of(0.3),
                 1e-14);
  sqlite3_close(db);
}
END_TEST

typedef struct bad_case {
  const char *sql;
  const char *message;
} bad_case;

static const bad_case bad_calls[] = {
    {"SELECT risk_score('model', '" MODEL "', 'plan', 'x')",
     "risk_score: unknown factor 'plan' (the model's factors: tenure, contract)"},
    {"SELECT risk_score('model', '" MODEL "', 'weights', '{}')",
     "risk_score: 'weights' cannot be given with 'model' (a learnt model has no weights, and "
     "one model per call)"},
    {"SELECT risk_explain('model', '" MODEL "', 'model', 'x')",
     "risk_explain: 'model' cannot be given with 'model' (a learnt model has no weights, and "
     "one model per call)"},
    {"SELECT risk_score('model', '" MODEL "', 'tenure', 1, 'Tenure', 2)",
     "risk_score: factor 'tenure' given twice"},
    {"SELECT risk_score('model', '" MODEL "', 'tenure')",
     "risk_score: arguments come in factor, value pairs, got 3 arguments"},
    {"SELECT risk_score('model', '" MODEL "', 7, 1)",
     "risk_score: argument 3 must be a factor name, got 7"},
    {"SELECT risk_score('model', '" MODEL "', 'tenure', 'long')",
     "risk_score: tenure must be a number, got 'long'"},
    {"SELECT risk_score('model')",
     "risk_score: 'model' needs the model: risk_score('model', m, factor, value, ...)"},
    {"SELECT risk_explain('model')",
     "risk_explain: 'model' needs the model: risk_explain('model', m, factor, value, ...)"},
    {"SELECT risk_score('adoption', 1, 'model', '{}')",
     "risk_score: 'model' must be the first argument: risk_score('model', m, factor, value, "
     "...)"},
    {"SELECT risk_score('model', 12)",
     "risk_score: model must be the JSON text of a model from risk_fit, got 12"},
    {"SELECT risk_score('model', NULL)",
     "risk_score: model must be the JSON text of a model from risk_fit, got NULL"},
    {"SELECT risk_score('model', '{\"model\": 1')",
     "risk_score: model is not valid JSON: unexpected character at byte 11"},
    {"SELECT risk_explain('model', '[]')", "risk_explain: model must be a JSON object"},
    {"SELECT risk_score('model', '{\"model\": \"other\"}')",
     "risk_score: model has no \"model\": \"portfolio-risk-scorecard\" (it is not a risk_fit "
     "model)"},
    {"SELECT risk_score('model', '{\"model\": \"portfolio-risk-scorecard\"}')",
     "risk_score: model has no \"version\""},
    {"SELECT risk_score('model', '{\"model\": \"portfolio-risk-scorecard\", \"version\": 2}')",
     "risk_score: model has \"version\" 2, but this extension reads version 1"},
    {"SELECT risk_score('model', '{\"model\": \"portfolio-risk-scorecard\", \"version\": 1}')",
     "risk_score: model has no \"intercept\" number"},
    {"SELECT risk_score('model', '{\"model\": \"portfolio-risk-scorecard\", \"version\": 1,"
     " \"intercept\": 0}')",
     "risk_score: model has no \"factors\" array"},
};

START_TEST(every_error_has_its_message) {
  sqlite3 *db = pf_open();
  size_t i;
  for (i = 0; i < sizeof(bad_calls) / sizeof(bad_calls[0]); i++)
    pf_expect_error(db, bad_calls[i].sql, bad_calls[i].message);
  sqlite3_close(db);
}
END_TEST

/* Models broken one key at a time, from the good one (replace() in SQL). */
static const bad_case bad_models[] = {
    {"'\"factors\": [', '\"factors\": [1, '", "model factor 1 must be a JSON object"},
    {"'\"factor\": \"tenure\"', '\"factor\": \"1x\"'",
     "model factor 1 has no \"factor\" name (a letter, then letters, digits or _, at most 64)"},
    {"'\"factor\": \"contract\"', '\"factor\": \"TENURE\"'", "model names factor 'TENURE' twice"},
    {"'\"kind\": \"numeric\"', '\"kind\": \"number\"'",
     "model factor 'tenure' has no \"kind\" (\"numeric\" or \"categorical\")"},
    {"'\"kind\": \"numeric\", \"bins\"', '\"kind\": \"numeric\", \"bin\"'",
     "model factor 'tenure' has no \"bins\" array"},
    {"'\"points\": 1}', '\"pts\": 1}'", "model factor 'tenure' bin 1 has no \"points\" number"},
    {"'\"outcome_rate\": 0.6', '\"outcome_rate\": 1.6'",
     "model factor 'tenure' bin 1 has no \"outcome_rate\" from 0 to 1"},
    {"'\"accounts\": 20', '\"accounts\": 2.5'",
     "model factor 'tenure' bin 1 has no \"accounts\" count"},
    {"'{\"bin\": \"<= 6\"', '{\"bim\": \"<= 6\"'", "model factor 'tenure' bin 1 has no \"bin\" text"},
    {"'\"bins\": [    {\"bin\": \"<= 6\"', '\"bins\": [7, {\"bin\": \"<= 6\"'",
     "model factor 'tenure' bin 1 must be a JSON object"},
    {"'\"lower\": 6, \"upper\": 20', '\"lower\": 5, \"upper\": 20'",
     "model factor 'tenure' has numeric bins that do not follow each other (each lower must be "
     "the upper of the bin before)"},
    {"'\"lower\": 6, \"upper\": 20', '\"lower\": \"6\", \"upper\": 20'",
     "model factor 'tenure' bin 2 has a \"lower\" or \"upper\" that is not a number"},
    {"'\"value\": \"One year\"', '\"value\": \"Month-to-month\"'",
     "model factor 'contract' has the same category in two bins"},
    {"'\"value\": \"One year\"', '\"value\": 1'",
     "model factor 'contract' bin 2 has a \"value\" that is not text"},
    {"'\"other\": true', '\"missing\": true, \"accounts\": 1, \"outcome_rate\": 0, \"points\": 0},"
     " {\"bin\": \"m\", \"missing\": true'",
     "model factor 'contract' has two missing bins"},
    {"'\"upper\": 6,', '\"value\": \"6\",'", "model factor 'tenure' is numeric but has a \"value\" bin"},
    {"'\"value\": \"One year\",', ''",
     "model factor 'contract' is categorical but has a numeric bin"},
    {"'\"missing\": true', '\"other\": true'", "model factor 'tenure' is numeric but has an \"other\" bin"},
    {"'\"lower\": 6, \"upper\": 20', '\"lower\": 6, \"upper\": 6'",
     "model factor 'tenure' has a bin whose upper is not above its lower"},
    {"'\"bin\": \"One year\", \"value\": \"One year\"', '\"bin\": \"o\", \"other\": true'",
     "model factor 'contract' has two other bins"},
    {"'\"factors\": [', '\"factors\": ' || '[' || replace(hex(zeroblob(101)), '00', '{},')",
     "model has more than 100 factors"},
    {"'\"version\": 1', '\"version\": 1, \"version\": 1'",
     "model is not valid JSON: duplicate key at byte 52"},
    {"'\"fit\": {', '\"fit\": NaN, \"x\": {'", "model is not valid JSON: unexpected character at byte 937"},
};

START_TEST(every_malformed_model_says_what_is_wrong) {
  sqlite3 *db = pf_open();
  size_t i;
  char sql[5000], want[400];
  for (i = 0; i < sizeof(bad_models) / sizeof(bad_models[0]); i++) {
    sqlite3_stmt *stmt;
    int rc;
    snprintf(sql, sizeof(sql), "SELECT risk_score('model', replace('%s', %s))", MODEL,
             bad_models[i].sql);
    ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &stmt, 0), SQLITE_OK);
    rc = sqlite3_step(stmt);
    ck_assert_msg(rc == SQLITE_ERROR, "no error for %s", bad_models[i].sql);
    snprintf(want, sizeof(want), "risk_score: %s", bad_models[i].message);
    ck_assert_msg(strncmp(sqlite3_errmsg(db), want, strlen(want)) == 0, "got '%s', want '%s'",
                  sqlite3_errmsg(db), want);
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db);
}
END_TEST

/* A built-in factor keeps its range in a learnt model, as in version 0.1. */
START_TEST(builtin_factor_ranges_still_apply) {
  sqlite3 *db = pf_open();
  char sql[5000];
  snprintf(sql, sizeof(sql), "SELECT risk_score('model', replace('%s', '\"tenure\"',"
           " '\"adoption\"'), 'adoption', 1.5)", MODEL);
  pf_expect_error(db, sql, "risk_score: adoption must be between 0 and 1, got 1.5");
  snprintf(sql, sizeof(sql), "SELECT risk_score('model', replace('%s', '\"tenure\"',"
           " '\"adoption\"'), 'adoption', 1)", MODEL);
  pf_assert_near(pf_double(db, sql), score_of(-1 + 1), 1e-15); /* 1 is in the bin <= 6 */
  sqlite3_close(db);
}
END_TEST

START_TEST(scorecard_errors) {
  sqlite3 *db = pf_open();
  pf_expect_error(db, "SELECT * FROM risk_scorecard",
                  "risk_scorecard: needs a model: SELECT * FROM risk_scorecard(m)");
  pf_expect_error(db, "SELECT * FROM risk_scorecard(5)",
                  "risk_scorecard: model must be the JSON text of a model from risk_fit, got 5");
  pf_expect_error(db, "SELECT * FROM risk_scorecard('{\"model\": \"x\"}')",
                  "risk_scorecard: model has no \"model\": \"portfolio-risk-scorecard\" (it is "
                  "not a risk_fit model)");
  sqlite3_close(db);
}
END_TEST

static Suite *make_suite(void) {
  Suite *s = suite_create("risk_learnt");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, scores_by_hand);
  tcase_add_test(tc, explain_by_hand);
  tcase_add_test(tc, scorecard_rows);
  tcase_add_test(tc, model_from_a_column);
  tcase_add_test(tc, every_error_has_its_message);
  tcase_add_test(tc, every_malformed_model_says_what_is_wrong);
  tcase_add_test(tc, builtin_factor_ranges_still_apply);
  tcase_add_test(tc, scorecard_errors);
  suite_add_tcase(s, tc);
  return s;
}

PF_TEST_MAIN
