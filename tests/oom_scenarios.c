/*
** oom_scenarios.c: the scenarios of tests/test_oom.c, one query each (the measures, the
** concentration and movements tables, the risk functions and models, risk_fit, phase_of,
** and their errors), with the rows worked out by hand where given, and the data they read.
*/
#include "oom_scenarios.h"

#include <stddef.h>

/* 400 invoices of 150 customers with 600-byte TEXT keys (so the key arena needs several
** chunks and the hash table grows twice), integer and REAL amounts, refunds, NULLs; and
** 14,000 integer keys in `big`: the keyed table goes through its prefetch pipeline from
** 6,554 customers on and grows again, inside the pipeline, at 13,108. An FTS4 table, memo:
** a virtual table the schema declares, which a concentration query may read (rule 10). */
/* A learnt model (risk_score('model', ...)): a numeric factor with a missing bin and a
** categorical one with an other bin; z = -1 + 1 + 0.9 for (3, 'a'): 71.0949502625004. */
#define OOM_MODEL                                                                            \
  "{\"model\": \"portfolio-risk-scorecard\", \"version\": 1, \"intercept\": -1, \"factors\": ["  \
  "{\"factor\": \"tenure\", \"kind\": \"numeric\", \"bins\": ["                          \
  "{\"bin\": \"<= 6\", \"upper\": 6, \"accounts\": 2, \"outcome_rate\": 0.5, \"points\": 1},"  \
  "{\"bin\": \"> 6\", \"lower\": 6, \"accounts\": 2, \"outcome_rate\": 0.1, \"points\": -1},"  \
  "{\"bin\": \"missing\", \"missing\": true, \"accounts\": 1, \"outcome_rate\": 0.2,"    \
  " \"points\": 0.5}]},"                                                                  \
  "{\"factor\": \"plan\", \"kind\": \"categorical\", \"bins\": ["                         \
  "{\"bin\": \"a\", \"value\": \"a\", \"accounts\": 2, \"outcome_rate\": 0.5, \"points\": 0.9}," \
  "{\"bin\": \"other\", \"other\": true, \"accounts\": 2, \"outcome_rate\": 0.1,"        \
  " \"points\": -0.9}]}]}"

const char *const oom_data_sql =
    "CREATE TABLE inv(c, a);"
    "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 400)"
    " INSERT INTO inv SELECT printf('%0600d', x % 150),"
    "  CASE WHEN x % 50 = 0 THEN NULL WHEN x % 7 = 0 THEN (x % 13) - 9.5"
    "       ELSE (x * 37) % 101 - 5 END FROM n;"
    "CREATE TABLE small(c, a);"
    "INSERT INTO small VALUES (1, 30), (2, 30), (3, 20), (4, 20);"
    "CREATE TABLE big(x INTEGER PRIMARY KEY);"
    "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 14000)"
    " INSERT INTO big SELECT x FROM n;"
    "CREATE TABLE q(s);"
    "INSERT INTO q VALUES ('SELECT customer, amount FROM concentration((SELECT s FROM q))');"
    "CREATE VIRTUAL TABLE memo USING fts4(who, body);"
    "INSERT INTO memo VALUES ('ann', 'a b c'), ('bob', 'a b'), ('ann', 'a');"
    "CREATE TABLE mdl(id, m);"
    "INSERT INTO mdl VALUES (1, '" OOM_MODEL "'), (2, replace('" OOM_MODEL "', '-1', '0'));"
    "SELECT count(*) FROM sqlite_master;";

const scenario oom_scenarios[] = {
    /* 30/30/20/20: HHI 2600, CR2 0.6, Gini 0.1 (hand-worked in test_security.c) */
    {"herfindahl", "SELECT herfindahl(a) FROM small", "2600\n", 0},
    {"herfindahl keyed", "SELECT herfindahl(c, a) FROM inv", 0, 0},
    {"top_share", "SELECT top_share(a, 2) FROM small", "0.59999999999999998\n", 0},
    {"top_share many", "SELECT top_share(a, 3) FROM inv", 0, 0},
    {"top_share keyed", "SELECT top_share(c, a, 5) FROM inv", 0, 0},
    {"gini", "SELECT gini(a) FROM small", "0.10000000000000001\n", 0},
    {"gini many", "SELECT gini(a) FROM inv", 0, 0},
    {"gini keyed", "SELECT gini(c, a) FROM inv", 0, 0},
    {"hhi_band", "SELECT hhi_band(2600), hhi_band(1600, 2010), portfolio_version()",
     "'highly concentrated|'moderately concentrated|'0.1.0\n", 0},
    {"windows",
     "SELECT herfindahl(c, a) OVER w, top_share(c, a, 2) OVER w, gini(c, a) OVER w,"
     " herfindahl(a) OVER w, top_share(a, 2) OVER w, gini(a) OVER w"
     " FROM (SELECT rowid r, * FROM inv WHERE rowid <= 60)"
     " WINDOW w AS (ORDER BY r ROWS BETWEEN 20 PRECEDING AND CURRENT ROW)",
     0, 0},
    {"concentration",
     "SELECT rank, length(customer), amount, share, cumulative_share, pareto_class, major,"
     " hhi_points, hhi_without FROM concentration('SELECT c, a FROM inv')",
     0, 0},
    {"concentration small",
     "SELECT rank, customer, amount FROM concentration('SELECT c, a FROM small')",
     "1|1|30\n2|2|30\n3|3|20\n4|4|20\n", 0},
    {"concentration nested",
     "SELECT count(*) FROM concentration('SELECT customer, amount"
     " FROM concentration(''SELECT c, a FROM small'')')",
     "4\n", 0},
    /* 400 rows (past the radix sort's 256) and 14,000: the key arrays grow and sort */
    {"auc", "SELECT auc(a, rowid % 3 = 0) FROM inv", 0, 0},
    {"lift", "SELECT lift(x % 97, x % 5 = 0, 0.1) FROM big", 0, 0},
    /* positives 2, 3 and negatives 1, 2: (2 + 1 + 0.5) / 4 */
    {"auc small", "SELECT auc(column1, column2) FROM (VALUES (1, 0), (2, 1), (2, 0), (3, 1))",
     "0.875\n", 0},
    /* a number of 72 characters: the JSON reader copies it to the heap for strtod;
    ** adoption 0.25 with weight 2 alone: 75 */
    {"risk_score long number", "SELECT risk_score('adoption', 0.25, 'weights', '{\"adoption\": "
     "2.0000000000000000000000000000000000000000000000000000000000000000000000}')", "75\n", 0},
    /* (3 * (1 - 0.25) + 1 * 1) / 4 = 0.8125 */
    {"risk_score", "SELECT risk_score('adoption', 0.25, 'region', 1,"
     " 'weights', '{\"adoption\": 3, \"region\": 1}')", "81.25\n", 0},
    {"risk_score per row",
     "SELECT sum(risk_score('industry', 'travel', 'adoption', (rowid % 10) / 10.0,"
     " 'weights', '{\"adoption\": 2, \"Industry\": 1}')) FROM inv", 0, 0},
    {"risk_explain",
     "SELECT risk_explain('industry', 'Travel', 'stakeholders', 2, 'contract_year', NULL,"
     " 'weights', '{\"industry\": 1}')", 0, 0},
    {"risk_explain per row",
     "SELECT max(risk_explain('days_to_renewal', rowid - 50, 'penetration', 0.5)) FROM inv",
     0, 0},
    {"risk_score model", "SELECT risk_score('model', '" OOM_MODEL "', 'tenure', 3, 'plan', 'a')",
     "71.09495026250039\n", 0},
    {"risk_score model per row",
     "SELECT sum(risk_score('model', (SELECT m FROM mdl WHERE id = 1), 'tenure', rowid % 9,"
     " 'plan', c)) FROM inv", 0, 0},
    {"risk_score model column",
     "SELECT sum(risk_score('model', m, 'Tenure', inv.rowid % 9, 'plan', substr(c, 600)))"
     " FROM inv JOIN mdl ON mdl.id = 1 + (inv.rowid > 390)", 0, 0},
    {"risk_explain model",
     "SELECT risk_explain('model', m, 'tenure', NULL, 'plan', 'b') FROM mdl", 0, 0},
    {"risk_scorecard", "SELECT * FROM risk_scorecard((SELECT m FROM mdl WHERE id = 2))", 0, 0},
    {"risk_score bad model", "SELECT risk_score('model', '{\"model\": \"x\"}')", 0,
     "risk_score: model has no \"model\": \"portfolio-risk-scorecard\" (it is not a risk_fit"
     " model)"},
    {"risk_score model unknown factor", "SELECT risk_score('model', m, 'x', 1) FROM mdl", 0,
     "risk_score: unknown factor 'x' (the model's factors: tenure, plan)"},
    /* every allocation of risk_fit: the row store and dictionaries growing (400 rows,
    ** 97 numbers, 7 texts, missing values), bins, patterns, the solver, monotone refits,
    ** the options read through json_each, and the JSON written */
    {"risk_fit",
     "SELECT length(risk_fit(x % 3 = 0, 'n', x % 97, 'plan', char(65 + x % 7),"
     " 'tickets', CASE WHEN x % 11 = 0 THEN NULL ELSE x % 5 END,"
     " 'options', '{\"monotone\": [\"n\"], \"bins\": 6}')) FROM (SELECT rowid x FROM inv)",
     0, 0},
    {"risk_fit text", "SELECT risk_fit(x % 2, 'c', c, 'a', a) FROM"
     " (SELECT rowid x, * FROM inv)", 0, 0},
    /* rollout complete and adoption 0.5 below the 0.6 threshold: defense */
    {"phase_of", "SELECT phase_of('deployment', 1, 'adoption', 0.5,"
     " 'thresholds', '{\"adoption\": 0.6}'), phase_of('deployment', 0.5)",
     "'defense|'deployment\n", 0},
    {"phase_of per row",
     "SELECT group_concat(phase_of('expansion', rowid % 2, 'risk', rowid % 100,"
     " 'thresholds', '{\"risk\": 90}')) FROM inv", 0, 0},
    {"risk tables",
     "SELECT * FROM risk_model, (SELECT count(*) FROM risk_industries),"
     " (SELECT group_concat(phase || ordinal || objective) FROM phases)", 0, 0},
    {"concentration_by",
     "SELECT * FROM concentration_by('SELECT rowid % 4, c, a FROM inv')", 0, 0},
    /* periods {2: 30, 4: 20} and {1: 30, 3: 20}: shares 0.6 and 0.4, HHI 3600 + 1600 */
    {"concentration_by small",
     "SELECT period, customers, herfindahl"
     " FROM concentration_by('SELECT c % 2, c, a FROM small')",
     "0|2|5200\n1|2|5200\n", 0},
    /* 40 periods of 150 customers with 600-byte keys: the tables of periods and the customer
    ** states, rows and cohort cells grow; customers sorted by key */
    {"revenue_movements",
     "SELECT * FROM revenue_movements('SELECT printf(''%0700d'', rowid % 40), c, a FROM inv')",
     0, 0},
    {"customer_movements",
     "SELECT * FROM customer_movements('SELECT rowid % 40, c, a FROM inv')", 0, 0},
    {"revenue_cohorts", "SELECT * FROM revenue_cohorts('SELECT rowid % 40, c, a FROM inv')", 0,
     0},
    /* periods {1: 30, 2: 30} and {0: 20, 1: 20}: new 60; then 1 shrinks by 10, 2 churns 30,
    ** 0 is new (20): start 60, end 40, quick 20 / 40 */
    {"revenue_movements small",
     "SELECT period, start_revenue, new, contraction, churn, end_revenue, quick_ratio"
     " FROM revenue_movements('SELECT c > 2, c % 3, a FROM small')",
     "0|0|60|0|0|60|NULL\n1|60|20|10|30|40|0.5\n", 0},
    /* 7,000 customers a period: the period tables use the prefetch pipeline */
    {"customer_movements pipeline",
     "SELECT count(*), sum(change) FROM customer_movements('SELECT x % 2, x, x FROM big')",
     0, 0},
    /* the same through functions the runner checks in PRAGMA function_list (issue 15.2) */
    {"concentration_by functions",
     "SELECT period, customers, herfindahl"
     " FROM concentration_by('SELECT c % 2, c, abs(json_extract(json_array(a), ''$[0]''))"
     " FROM small')",
     "0|2|5200\n1|2|5200\n", 0},
    /* 14,000 customers: the table grows while rows wait in the prefetch pipeline */
    {"herfindahl keyed pipeline",
     "SELECT herfindahl(x, 1.5), top_share(x, 2, 3), gini(x, x) FROM big", 0, 0},
    {"concentration pipeline",
     "SELECT count(*), sum(amount), max(hhi_without) FROM concentration('SELECT x, x FROM big')",
     0, 0},
    /* customer 1's rows cancel across 2^53: its sum moves into a superaccumulator (one
    ** allocation) and nets to 0.5 beside customer 2's 0.5: HHI 5000, CR1 0.5, Gini 0 */
    {"exact customer sums",
     "WITH t(k, x) AS (VALUES (1, 1e32), (1, 1e16), (1, 0.5), (2, 0.5), (1, -1e32), (1, -1e16))"
     " SELECT herfindahl(k, x), top_share(k, x, 1), gini(k, x) FROM t", "5000|0.5|0\n", 0},
    /* the same in a sliding frame: customers in superaccumulators leave the frame */
    {"exact customer sums window",
     "WITH t(r, k, x) AS (VALUES (1, 1, 1e32), (2, 1, 1e16), (3, 1, 0.5), (4, 2, 0.5),"
     " (5, 1, -1e32), (6, 1, -1e16), (7, 3, 2.0), (8, 3, 1e300), (9, 3, -1e300))"
     " SELECT group_concat(h, ' ') FROM (SELECT herfindahl(k, x) OVER"
     " (ORDER BY r ROWS BETWEEN 3 PRECEDING AND CURRENT ROW) h FROM t)", 0, 0},
    /* hhi_without of the largest beside customers 1e170 times smaller: summed again */
    {"concentration hhi_without rescaled",
     "SELECT group_concat(hhi_without, ' ') FROM concentration('VALUES (1, 1e200),"
     " (2, 1e30), (3, 1e30)')", 0, 0},
    /* herfindahl over REAL amounts (exact squares, pf_sqsums): 1.5, 0.5, 2: total 4,
    ** squares 2.25 + 0.25 + 4 = 6.5, 6.5 / 16 = 0.40625 */
    {"herfindahl real", "SELECT herfindahl(x) FROM (SELECT 1.5 x UNION ALL SELECT 0.5"
     " UNION ALL SELECT 2.0)", "4062.5\n", 0},
    /* a 2.5, b 0.5, c 1: total 4, (6.25 + 0.25 + 1) / 16 = 0.46875 */
    {"herfindahl real keyed",
     "SELECT herfindahl(column1, column2) FROM (VALUES ('a', 1.5), ('b', 0.5), ('a', 1.0),"
     " ('c', 0.25), ('c', 0.75))", "4687.5\n", 0},
    /* frames of 2: {1.5} 10000; {1.5, 0.5} 2.5 / 4; {0.5, 1.5} the same; {1.5, 2.5}
    ** (2.25 + 6.25) / 16 = 0.53125 */
    {"herfindahl real window",
     "SELECT group_concat(h, ' ') FROM (SELECT herfindahl(column2) OVER (ORDER BY column1"
     " ROWS 1 PRECEDING) h FROM (VALUES (1, 1.5), (2, 0.5), (3, 1.5), (4, 2.5)))",
     "'10000.0 6250.0 6250.0 5312.5\n", 0},
    /* frames of 3: {a 1.5} 10000; {a 1.5, b 0.5} (2.25 + 0.25) / 4; {a 3.5, b 0.5}
    ** (12.25 + 0.25) / 16; {b 0.5, a 2, c 1.5} (0.25 + 4 + 2.25) / 16; {a 2, c 1.5, b 0.5}
    ** the same */
    {"herfindahl real keyed window",
     "SELECT group_concat(h, ' ') FROM (SELECT herfindahl(column2, column3) OVER (ORDER BY"
     " column1 ROWS 2 PRECEDING) h FROM (VALUES (1, 'a', 1.5), (2, 'b', 0.5), (3, 'a', 2.0),"
     " (4, 'c', 1.5), (5, 'b', 0.5)))",
     "'10000.0 6250.0 7812.5 4062.5 4062.5\n", 0},
    /* rule 10 of the query runner (query_vtabs.c): the virtual tables a query may read,
    ** identified by its EXPLAIN probes. a: 3, b: 1 */
    {"concentration json_each",
     "SELECT customer, amount FROM concentration('SELECT key, value"
     " FROM json_each(''{\"b\": 1, \"a\": 3}'')')", "'a|3\n'b|1\n", 0},
    /* a declared FTS4 table beside json_each and a pragma table (the probes of every
    ** pragma_* table, then of the declared tables; FTS5 is the same path, in
    ** test_query_vtabs.c): ann 3 + 1 words, bob 2; small's 2 columns times json_each's one
    ** element 5 */
    {"concentration fts4 json_each pragma",
     "SELECT customer, amount FROM concentration('SELECT who, length(body) - length("
     "replace(body, '' '', '''')) + 1 FROM memo UNION ALL SELECT p.name, j.value"
     " FROM pragma_table_info(''small'') p, json_each(''[5]'') j')",
     "'a|5\n'c|5\n'ann|4\n'bob|2\n", 0},
    /* errors: the run gives exactly this message, or runs out of memory */
    {"top_share bad n", "SELECT top_share(a, 0) FROM inv", 0,
     "top_share: n must be a positive integer, got 0"},
    {"herfindahl bad amount", "SELECT herfindahl(c, 'abc') FROM small", 0,
     "herfindahl: amount must be a finite number, got 'abc'"},
    {"hhi_band bad edition", "SELECT hhi_band(100, 1999)", 0,
     "hhi_band: edition must be 2010 or 2023, got 1999"},
    {"concentration columns", "SELECT * FROM concentration('SELECT c FROM inv')", 0,
     "concentration: the query must return 2 columns (customer, amount), it returns 1"},
    {"concentration fails half-way",
     "SELECT * FROM concentration('SELECT c, CASE WHEN rowid > 200"
     " THEN abs(-9223372036854775808) ELSE a END FROM inv')",
     0, "concentration: integer overflow"},
    {"concentration side effects",
     "SELECT * FROM concentration('SELECT c, abs(a) + load_extension(''x'') FROM small')", 0,
     "concentration: the query may not call load_extension(): it is SQLITE_DIRECTONLY (it may"
     " have side effects)"},
    /* dbstat: an eponymous table of the library that rule 10 refuses, named through
    ** PRAGMA module_list */
    {"concentration dbstat", "SELECT * FROM concentration('SELECT name, pgsize FROM dbstat')",
     0, "concentration: the query may not read the virtual table dbstat (a query may read"
     " only json_each, json_tree, generate_series, the pragma_* tables, the extension's own"
     " and the virtual tables the database declares)"},
    {"concentration self-calling", "SELECT * FROM concentration((SELECT s FROM q))", 0,
     "concentration: queries nested more than 10 deep "
     "(does the query call concentration on itself?)"},
    {"concentration no query", "SELECT * FROM concentration", 0,
     "concentration: a query is required"},
    {"concentration bad amount", "SELECT * FROM concentration('SELECT c, ''abc'' FROM small')",
     0, "concentration: amount must be a finite number, got 'abc' (customer 1)"},
    {"concentration_by bad amount",
     "SELECT * FROM concentration_by('SELECT 1, c, ''abc'' FROM small')", 0,
     "concentration_by: amount must be a finite number, got 'abc' (period 1, customer 1)"},
    {"concentration number argument", "SELECT * FROM concentration(12345)", 0,
     "concentration: near \"12345\": syntax error"},
    {"concentration_by number argument", "SELECT * FROM concentration_by(12345)", 0,
     "concentration_by: near \"12345\": syntax error"},
    {"concentration_by columns", "SELECT * FROM concentration_by('SELECT c, a FROM inv')", 0,
     "concentration_by: the query must return 3 columns (period, customer, amount),"
     " it returns 2"},
    {"concentration_by fails half-way",
     "SELECT * FROM concentration_by('SELECT 1, c, CASE WHEN rowid > 200"
     " THEN abs(-9223372036854775808) ELSE a END FROM inv')",
     0, "concentration_by: integer overflow"},
    {"revenue_movements bad amount",
     "SELECT * FROM revenue_movements('SELECT 1, c, ''abc'' FROM small')", 0,
     "revenue_movements: amount must be a finite number, got 'abc' (period 1, customer 1)"},
    {"customer_movements columns", "SELECT * FROM customer_movements('SELECT c, a FROM inv')",
     0, "customer_movements: the query must return 3 columns (period, customer, amount),"
     " it returns 2"},
    {"revenue_cohorts fails half-way",
     "SELECT * FROM revenue_cohorts('SELECT rowid % 3, c, CASE WHEN rowid > 200"
     " THEN abs(-9223372036854775808) ELSE a END FROM inv')",
     0, "revenue_cohorts: integer overflow"},
    {"risk_score bad weights", "SELECT risk_score('adoption', 0.5, 'weights', '{bad')", 0,
     "risk_score: weights must be valid JSON (unexpected character at byte 1), got '{bad'"},
    {"risk_score unknown factor", "SELECT risk_score('nope', 1)", 0,
     "risk_score: unknown factor 'nope' (known: industry, region, cash_runway_months,"
     " days_to_renewal, adoption, deployment, stakeholders, days_since_contact, penetration,"
     " contract_year, weights)"},
    {"risk_explain odd", "SELECT risk_explain('adoption')", 0,
     "risk_explain: arguments come in factor, value pairs, got 1 argument"},
    {"risk_fit bad options", "SELECT risk_fit(rowid % 2, 'n', a, 'options', '{\"bins\": 1}')"
     " FROM inv", 0, "risk_fit: options: bins must be a whole number from 2 to 20, got 1"},
    /* the core's messages (scorecard_args.c) are allocated too: names, options, the fit */
    {"risk_fit reserved name", "SELECT risk_fit(rowid % 2, 'weights', a) FROM inv", 0,
     "risk_fit: 'weights' cannot be a factor name (it is an argument of risk_score)"},
    {"risk_fit not an object", "SELECT risk_fit(rowid % 2, 'n', a, 'options', '{bad') FROM inv",
     0, "risk_fit: options must be a JSON object (unexpected character at byte 1), got '{bad'"},
    {"risk_fit unknown key", "SELECT risk_fit(rowid % 2, 'n', a, 'options', '{\"bin\": 3}')"
     " FROM inv", 0, "risk_fit: options: unknown key 'bin' (known: bins, min_share, l2, monotone)"},
    {"risk_fit monotone text", "SELECT risk_fit(rowid % 2, 'c', 'x' || (rowid % 3), 'options',"
     " '{\"monotone\": [\"c\"]}') FROM inv", 0,
     "risk_fit: monotone factor 'c' is categorical (it has TEXT values), so its bins have no order"},
    {"phase_of bad threshold", "SELECT phase_of('risk', 50, 'thresholds', '{\"risk\": \"x\"}')",
     0, "phase_of: risk in thresholds must be a number between 0 and 100, got 'x'"},
    {"phase_of unknown signal", "SELECT phase_of('speed', 1)", 0,
     "phase_of: unknown signal 'speed' (known: deployment, adoption, risk, stakeholder_change,"
     " competitive_pressure, technical_issues, expected_churn, expansion, thresholds)"},
    {"phase_of unknown key", "SELECT phase_of('risk', 50, 'thresholds', '{\"speed\": 1}')",
     0, "phase_of: unknown key 'speed' in thresholds (known: risk, adoption)"},
};

const int oom_scenario_count = (int)(sizeof(oom_scenarios) / sizeof(oom_scenarios[0]));
