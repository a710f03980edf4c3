/*
** bench_queries.c: what `make bench` measures, as data.
**
** Each query has an id within its data set, the id of the floor it is compared with
** (SQLite's own sum() over the same rows), the id of the pure-SQL query computing the same
** thing, and the id of the DuckDB query (bench/duckdb.mjs) computing the same thing.
** Pure-SQL forms are written the way an analyst would without the extension: GROUP BY then
** an outer aggregate, ORDER BY ... LIMIT for the top n, window functions for Gini and for
** the concentration table. Every form leaves out customers whose total is <= 0, as the
** extension does, so both sides return the same numbers (the runner checks that).
*/
#include "bench_run.h"

#include <stddef.h>

#define INV_NOIDX "invoices NOT INDEXED"
#define INV_IDX "invoices INDEXED BY inv_cust_amount"

#define HHI_SQL(FROM)                                                                     \
  "SELECT 10000.0 * sum(t * t) / (sum(t) * sum(t)) FROM (SELECT sum(amount) AS t FROM " FROM \
  " GROUP BY customer) WHERE t > 0"
#define TOP_SQL(FROM)                                                                     \
  "WITH g AS MATERIALIZED (SELECT sum(amount) AS t FROM " FROM " GROUP BY customer) "       \
  "SELECT (SELECT sum(t) FROM (SELECT t FROM g WHERE t > 0 ORDER BY t DESC LIMIT 10)) / "   \
  "(SELECT sum(t) FROM g WHERE t > 0)"

/* The revenue bridge in plain SQL, the way an analyst writes it with window functions: each
** customer's net per month (GROUP BY), the months numbered, then per customer the previous
** and next active month (lag/lead) and its first (min), one row per active (month, customer)
** with its previous revenue and one per churn (active, not in the next month), summed by
** month. Same columns as revenue_movements' first eight. */
#define PERIODS_CTE(FROM)                                                                     \
  "WITH pc AS MATERIALIZED (SELECT month AS period, customer, sum(amount) AS rev FROM " FROM    \
  " GROUP BY month, customer), "                                                               \
  "ranked AS MATERIALIZED (SELECT period, row_number() OVER (ORDER BY period) AS r"           \
  " FROM (SELECT DISTINCT period FROM pc)), "
#define MOVES_SQL(FROM)                                                                       \
  PERIODS_CTE(FROM)                                                                            \
  "a AS MATERIALIZED (SELECT r, rev, lag(r) OVER w AS pr, lag(rev) OVER w AS prev_rev,"        \
  " lead(r) OVER w AS nr, min(r) OVER (PARTITION BY customer) AS first"                        \
  " FROM pc JOIN ranked USING (period) WHERE rev > 0"                                          \
  " WINDOW w AS (PARTITION BY customer ORDER BY r)), "                                         \
  "moves(r, cur, prev, first) AS (SELECT r, rev, CASE WHEN pr = r - 1 THEN prev_rev ELSE 0 END," \
  " first FROM a UNION ALL SELECT r + 1, 0, rev, first FROM a"                                 \
  " WHERE (nr IS NULL OR nr > r + 1) AND r < (SELECT max(r) FROM ranked)) "                    \
  "SELECT period, sum(prev), sum(CASE WHEN prev = 0 AND first = r THEN cur ELSE 0 END),"       \
  " sum(CASE WHEN prev = 0 AND first < r THEN cur ELSE 0 END),"                                \
  " sum(CASE WHEN prev > 0 AND cur > prev THEN cur - prev ELSE 0 END),"                        \
  " sum(CASE WHEN prev > 0 AND cur > 0 AND cur < prev THEN prev - cur ELSE 0 END),"            \
  " sum(CASE WHEN prev > 0 AND cur = 0 THEN prev ELSE 0 END), sum(cur)"                        \
  " FROM moves JOIN ranked USING (r) GROUP BY r ORDER BY r"

/* customer_movements in plain SQL: the same per-customer rows as the bridge above (one per
** active (month, customer) and one per churn), not summed, each named by its movement, in
** the extension's order (period, then customer). */
#define CUSTOMER_MOVES_SQL(FROM)                                                              \
  PERIODS_CTE(FROM)                                                                            \
  "a AS MATERIALIZED (SELECT r, customer, rev, lag(r) OVER w AS pr, lag(rev) OVER w AS"        \
  " prev_rev, lead(r) OVER w AS nr, min(r) OVER (PARTITION BY customer) AS first"              \
  " FROM pc JOIN ranked USING (period) WHERE rev > 0"                                          \
  " WINDOW w AS (PARTITION BY customer ORDER BY r)), "                                         \
  "m(r, customer, cur, prev, first) AS (SELECT r, customer, rev,"                              \
  " CASE WHEN pr = r - 1 THEN prev_rev ELSE 0 END, first FROM a"                               \
  " UNION ALL SELECT r + 1, customer, 0, rev, first FROM a"                                    \
  " WHERE (nr IS NULL OR nr > r + 1) AND r < (SELECT max(r) FROM ranked)) "                    \
  "SELECT period, customer, prev, cur, cur - prev, CASE WHEN prev = 0 AND first = r THEN 'new'" \
  " WHEN prev = 0 THEN 'reactivation' WHEN cur = 0 THEN 'churn' WHEN cur > prev THEN"          \
  " 'expansion' WHEN cur < prev THEN 'contraction' ELSE 'flat' END"                            \
  " FROM m JOIN ranked USING (r) ORDER BY r, customer"

/* revenue_cohorts in plain SQL: each customer's first active month (its cohort), the
** cohort's active customers and revenue per month, and one row per cohort and month from
** the cohort's first on (0 where none of it was active), over the cohort's first month. */
#define COHORTS_SQL(FROM)                                                                     \
  PERIODS_CTE(FROM)                                                                            \
  "f AS MATERIALIZED (SELECT customer, min(period) AS cohort FROM pc WHERE rev > 0"            \
  " GROUP BY customer), "                                                                      \
  "cells AS MATERIALIZED (SELECT cohort, period, count(*) AS n, sum(rev) AS rev"              \
  " FROM pc JOIN f USING (customer) WHERE rev > 0 GROUP BY cohort, period) "                   \
  "SELECT c.period, p.period, p.r - c.r, coalesce(x.n, 0), coalesce(x.rev, 0),"               \
  " coalesce(x.n, 0) * 1.0 / s.n, coalesce(x.rev, 0) / s.rev"                                  \
  " FROM cells s JOIN ranked c ON c.period = s.cohort AND s.period = s.cohort"                 \
  " JOIN ranked p ON p.r >= c.r LEFT JOIN cells x ON x.cohort = s.cohort AND x.period = p.period" \
  " ORDER BY c.r, p.r"

const bench_query bench_invoice_queries[] = {
    {"floor", "SELECT sum(amount) (floor, table scan)",
     "SELECT sum(amount) FROM " INV_NOIDX, 0, 0, "floor"},
    {"floor_idx", "SELECT sum(amount) (covering-index scan)",
     "SELECT sum(amount) FROM " INV_IDX, "floor", 0, 0},
    {"hhi_keyed", "herfindahl(customer, amount)",
     "SELECT herfindahl(customer, amount) FROM " INV_NOIDX, "floor", "hhi_sql", "hhi_keyed"},
    {"hhi_sql", "pure SQL HHI: GROUP BY customer", HHI_SQL(INV_NOIDX), "floor", 0, 0},
    {"hhi_keyed_idx", "herfindahl(customer, amount), covering index",
     "SELECT herfindahl(customer, amount) FROM " INV_IDX, "floor", "hhi_sql_idx", 0},
    {"hhi_sql_idx", "pure SQL HHI: GROUP BY customer, covering index", HHI_SQL(INV_IDX),
     "floor", 0, 0},
    {"top_keyed", "top_share(customer, amount, 10)",
     "SELECT top_share(customer, amount, 10) FROM " INV_NOIDX, "floor", "top_sql",
     "top_keyed"},
    {"top_sql", "pure SQL top-10 share: GROUP BY + ORDER BY LIMIT", TOP_SQL(INV_NOIDX), "floor",
     0, 0},
    {"top_keyed_idx", "top_share(customer, amount, 10), covering index",
     "SELECT top_share(customer, amount, 10) FROM " INV_IDX, "floor", "top_sql_idx", 0},
    {"top_sql_idx", "pure SQL top-10 share, covering index", TOP_SQL(INV_IDX), "floor", 0, 0},
    {"gini_keyed", "gini(customer, amount)",
     "SELECT gini(customer, amount) FROM " INV_NOIDX, "floor", 0, 0},
    {"month_keyed", "HHI per month: herfindahl(customer, amount) GROUP BY month",
     "SELECT month, herfindahl(customer, amount) FROM " INV_NOIDX " GROUP BY month", "floor",
     "month_sql", 0},
    {"month_by", "HHI per month: concentration_by(...)",
     "SELECT period, herfindahl FROM concentration_by('SELECT month, customer, amount FROM "
     INV_NOIDX "')", "floor", "month_sql", "month"},
    {"month_sql", "pure SQL HHI per month: GROUP BY month, customer",
     "SELECT month, 10000.0 * sum(t * t) / (sum(t) * sum(t)) FROM (SELECT month, sum(amount) "
     "AS t FROM " INV_NOIDX " GROUP BY month, customer) WHERE t > 0 GROUP BY month",
     "floor", 0, 0},
    {"moves", "revenue bridge per month: revenue_movements(...)",
     "SELECT period, start_revenue, new, reactivation, expansion, contraction, churn,"
     " end_revenue FROM revenue_movements('SELECT month, customer, amount FROM " INV_NOIDX "')",
     "floor", "moves_sql", "moves"},
    {"moves_sql", "pure SQL revenue bridge: GROUP BY month, customer + lag/lead",
     MOVES_SQL(INV_NOIDX), "floor", 0, 0},
    {"cmoves", "movement per customer and month: customer_movements(...)",
     "SELECT * FROM customer_movements('SELECT month, customer, amount FROM " INV_NOIDX "')",
     "floor", "cmoves_sql", 0},
    {"cmoves_sql", "pure SQL customer movements: lag/lead per customer, CASE",
     CUSTOMER_MOVES_SQL(INV_NOIDX), "floor", 0, 0},
    {"cohorts", "revenue cohorts by first month: revenue_cohorts(...)",
     "SELECT * FROM revenue_cohorts('SELECT month, customer, amount FROM " INV_NOIDX "')",
     "floor", "cohorts_sql", 0},
    {"cohorts_sql", "pure SQL cohorts: first month per customer, GROUP BY cohort, month",
     COHORTS_SQL(INV_NOIDX), "floor", 0, 0},
    {0, 0, 0, 0, 0, 0},
};

/* The concentration table's columns in pure SQL: totals, ranks and running shares by
** window functions. */
#define CONC_SQL                                                                            \
  "WITH t AS (SELECT customer, sum(amount) AS amount FROM customers GROUP BY customer "    \
  "HAVING sum(amount) > 0), "                                                               \
  "tot AS (SELECT sum(amount) AS total, sum(amount * amount) AS sq, count(*) AS n FROM t), " \
  "r AS (SELECT customer, amount, total, sq, n, amount / total AS share, "                   \
  "row_number() OVER w AS rank, sum(amount) OVER (w ROWS UNBOUNDED PRECEDING) AS running "   \
  "FROM t, tot WINDOW w AS (ORDER BY amount DESC, customer)) "                               \
  "SELECT rank, customer, amount, share, running / total AS cumulative_share, "              \
  "CASE WHEN (running - amount) / total < 0.80 THEN 'A' WHEN (running - amount) / total < "  \
  "0.95 THEN 'B' ELSE 'C' END AS pareto_class, share >= 0.10 AS major, "                     \
  "(100.0 * share) * (100.0 * share) AS hhi_points, CASE WHEN n > 1 THEN 10000.0 * "         \
  "(sq - amount * amount) / ((total - amount) * (total - amount)) END AS hhi_without "       \
  "FROM r ORDER BY rank"

/* The first 200,000 customers in both modes, so the full run does not spend minutes here. */
#define SLIDE_ROWS "customers WHERE customer <= 200000"
#define SLIDE_SQL(CALL)                                                                   \
  "SELECT count(v), sum(v) FROM (SELECT " CALL " OVER (ORDER BY customer ROWS 99999 "     \
  "PRECEDING) AS v FROM " SLIDE_ROWS ")"
#define SLIDE_LABEL(CALL) CALL " OVER (ROWS 99999 PRECEDING), 200k rows, x floor = x one pass"
#define SLIDE_ONE_PASS(CALL) "SELECT " CALL " FROM " SLIDE_ROWS

const bench_query bench_customer_queries[] = {
    {"floor", "SELECT sum(amount) (floor)", "SELECT sum(amount) FROM customers", 0, 0, "floor"},
    {"plain", "an extension aggregate that only sums (the cost of the call)",
     "SELECT bench_plain_sum(amount) FROM customers", "floor", 0, 0},
    {"hhi", "herfindahl(amount)", "SELECT herfindahl(amount) FROM customers", "floor",
     "hhi_sql", "hhi"},
    {"hhi_sql", "pure SQL HHI: shares, then sum of squares",
     "SELECT sum(s * s) FROM (SELECT 100.0 * amount / (SELECT sum(amount) FROM customers "
     "WHERE amount > 0) AS s FROM customers WHERE amount > 0)", "floor", 0, 0},
    {"top", "top_share(amount, 10)", "SELECT top_share(amount, 10) FROM customers", "floor",
     "top_sql", "top"},
    {"top_sql", "pure SQL top-10 share: ORDER BY ... LIMIT 10",
     "SELECT (SELECT sum(amount) FROM (SELECT amount FROM customers WHERE amount > 0 ORDER BY "
     "amount DESC LIMIT 10)) / (SELECT sum(amount) FROM customers WHERE amount > 0)", "floor",
     0, 0},
    {"gini", "gini(amount)", "SELECT gini(amount) FROM customers", "floor", "gini_sql",
     "gini"},
    {"gini_sql", "pure SQL Gini: row_number() window",
     "SELECT sum((2.0 * rn - n - 1) * amount) / (max(n) * sum(amount)) FROM (SELECT amount, "
     "row_number() OVER (ORDER BY amount) AS rn, count(*) OVER () AS n FROM customers WHERE "
     "amount > 0)", "floor", 0, 0},
    {"auc", "auc(amount, customer % 4 = 0): sorts 1M scores, ties counted exactly",
     "SELECT auc(amount, customer % 4 = 0) FROM customers", "floor", 0, 0},
    {"lift", "lift(amount, customer % 4 = 0, 0.1)",
     "SELECT lift(amount, customer % 4 = 0, 0.1) FROM customers", "floor", 0, 0},
    /* Sliding keyed windows: once full, every frame holds 100,000 customers (one row each),
    ** so each row takes one customer out and puts one in. "x floor" here is the ratio to
    ** one pass over the same rows (the *_keyed1 rows), which the pass-per-row form this
    ** replaced paid on every row: 1.76 ms a row at this frame size. */
    {"hhi_keyed1", "herfindahl(customer, amount), one pass over the same 200k rows",
     SLIDE_ONE_PASS("herfindahl(customer, amount)"), "floor", 0, 0},
    {"hhi_slide", SLIDE_LABEL("herfindahl(customer, amount)"),
     SLIDE_SQL("herfindahl(customer, amount)"), "hhi_keyed1", 0, 0},
    {"top_keyed1", "top_share(customer, amount, 10), one pass over the same 200k rows",
     SLIDE_ONE_PASS("top_share(customer, amount, 10)"), "floor", 0, 0},
    {"top_slide", SLIDE_LABEL("top_share(customer, amount, 10)"),
     SLIDE_SQL("top_share(customer, amount, 10)"), "top_keyed1", 0, 0},
    {"gini_keyed1", "gini(customer, amount), one pass over the same 200k rows",
     SLIDE_ONE_PASS("gini(customer, amount)"), "floor", 0, 0},
    {"gini_slide", SLIDE_LABEL("gini(customer, amount)"), SLIDE_SQL("gini(customer, amount)"),
     "gini_keyed1", 0, 0},
    {"conc", "SELECT * FROM concentration(...)",
     "SELECT * FROM concentration('SELECT customer, amount FROM customers')", "floor",
     "conc_sql", "conc"},
    {"conc_sql", "pure SQL concentration: window functions", CONC_SQL, "floor", 0, 0},
    {0, 0, 0, 0, 0, 0},
};

#define RISK_ARGS                                                                         \
  "'region', region, 'cash_runway_months', cash_runway_months, 'days_to_renewal', "      \
  "days_to_renewal, 'adoption', adoption, 'stakeholders', stakeholders, "                 \
  "'days_since_contact', days_since_contact"

/* A learnt model over the same six factors: 5 bins and a missing bin each (what risk_fit
** makes with its defaults), for scoring with a model against the default model. */
#define LEARNT_MODEL \
  "{\"model\":\"portfolio-risk-scorecard\",\"version\":1,\"accounts\":1000000,\"outcomes\":20" \
  "0000,\"outcome_rate\":0.2,\"intercept\":-1.4,\"factors\":[{\"factor\":\"region\",\"kind\":\"n" \
  "umeric\",\"bins\":[{\"bin\":\"<= 0.2\",\"upper\":0.2,\"accounts\":1000,\"outcome_rate\":0.2,\"" \
  "points\":-0.4},{\"bin\":\"0.2 < x <= 0.4\",\"lower\":0.2,\"upper\":0.4,\"accounts\":1000,\"o" \
  "utcome_rate\":0.2,\"points\":-0.2},{\"bin\":\"0.4 < x <= 0.6\",\"lower\":0.4,\"upper\":0.6," \
  "\"accounts\":1000,\"outcome_rate\":0.2,\"points\":0},{\"bin\":\"0.6 < x <= 0.8\",\"lower\":0" \
  ".6,\"upper\":0.8,\"accounts\":1000,\"outcome_rate\":0.2,\"points\":0.2},{\"bin\":\"> 0.8\",\"" \
  "lower\":0.8,\"accounts\":1000,\"outcome_rate\":0.2,\"points\":0.4},{\"bin\":\"missing\",\"mi" \
  "ssing\":true,\"accounts\":30,\"outcome_rate\":0.25,\"points\":0.05}]},{\"factor\":\"cash_r" \
  "unway_months\",\"kind\":\"numeric\",\"bins\":[{\"bin\":\"<= 7\",\"upper\":7,\"accounts\":1000,\"" \
  "outcome_rate\":0.2,\"points\":0.9},{\"bin\":\"7 < x <= 14\",\"lower\":7,\"upper\":14,\"accou" \
  "nts\":1000,\"outcome_rate\":0.2,\"points\":0.4},{\"bin\":\"14 < x <= 21\",\"lower\":14,\"upp" \
  "er\":21,\"accounts\":1000,\"outcome_rate\":0.2,\"points\":0},{\"bin\":\"21 < x <= 28\",\"low" \
  "er\":21,\"upper\":28,\"accounts\":1000,\"outcome_rate\":0.2,\"points\":-0.3},{\"bin\":\"> 28" \
  "\",\"lower\":28,\"accounts\":1000,\"outcome_rate\":0.2,\"points\":-0.6},{\"bin\":\"missing\"," \
  "\"missing\":true,\"accounts\":30,\"outcome_rate\":0.25,\"points\":0.1}]},{\"factor\":\"days" \
  "_to_renewal\",\"kind\":\"numeric\",\"bins\":[{\"bin\":\"<= 50\",\"upper\":50,\"accounts\":1000," \
  "\"outcome_rate\":0.2,\"points\":0.8},{\"bin\":\"50 < x <= 130\",\"lower\":50,\"upper\":130,\"" \
  "accounts\":1000,\"outcome_rate\":0.2,\"points\":0.3},{\"bin\":\"130 < x <= 210\",\"lower\":" \
  "130,\"upper\":210,\"accounts\":1000,\"outcome_rate\":0.2,\"points\":0},{\"bin\":\"210 < x <" \
  "= 290\",\"lower\":210,\"upper\":290,\"accounts\":1000,\"outcome_rate\":0.2,\"points\":-0.2}" \
  ",{\"bin\":\"> 290\",\"lower\":290,\"accounts\":1000,\"outcome_rate\":0.2,\"points\":-0.5},{\"" \
  "bin\":\"missing\",\"missing\":true,\"accounts\":30,\"outcome_rate\":0.25,\"points\":0.0}]}," \
  "{\"factor\":\"adoption\",\"kind\":\"numeric\",\"bins\":[{\"bin\":\"<= 0.2\",\"upper\":0.2,\"accou" \
  "nts\":1000,\"outcome_rate\":0.2,\"points\":1.1},{\"bin\":\"0.2 < x <= 0.4\",\"lower\":0.2,\"" \
  "upper\":0.4,\"accounts\":1000,\"outcome_rate\":0.2,\"points\":0.5},{\"bin\":\"0.4 < x <= 0" \
  ".6\",\"lower\":0.4,\"upper\":0.6,\"accounts\":1000,\"outcome_rate\":0.2,\"points\":0},{\"bin" \
  "\":\"0.6 < x <= 0.8\",\"lower\":0.6,\"upper\":0.8,\"accounts\":1000,\"outcome_rate\":0.2,\"p" \
  "oints\":-0.4},{\"bin\":\"> 0.8\",\"lower\":0.8,\"accounts\":1000,\"outcome_rate\":0.2,\"poin" \
  "ts\":-0.9},{\"bin\":\"missing\",\"missing\":true,\"accounts\":30,\"outcome_rate\":0.25,\"poi" \
  "nts\":0.2}]},{\"factor\":\"stakeholders\",\"kind\":\"numeric\",\"bins\":[{\"bin\":\"<= 0\",\"upp" \
  "er\":0,\"accounts\":1000,\"outcome_rate\":0.2,\"points\":0.7},{\"bin\":\"0 < x <= 1\",\"lowe" \
  "r\":0,\"upper\":1,\"accounts\":1000,\"outcome_rate\":0.2,\"points\":0.3},{\"bin\":\"1 < x <=" \
  " 2\",\"lower\":1,\"upper\":2,\"accounts\":1000,\"outcome_rate\":0.2,\"points\":0},{\"bin\":\"2" \
  " < x <= 3\",\"lower\":2,\"upper\":3,\"accounts\":1000,\"outcome_rate\":0.2,\"points\":-0.2}" \
  ",{\"bin\":\"> 3\",\"lower\":3,\"accounts\":1000,\"outcome_rate\":0.2,\"points\":-0.4},{\"bin\"" \
  ":\"missing\",\"missing\":true,\"accounts\":30,\"outcome_rate\":0.25,\"points\":0.1}]},{\"fa" \
  "ctor\":\"days_since_contact\",\"kind\":\"numeric\",\"bins\":[{\"bin\":\"<= 40\",\"upper\":40,\"a" \
  "ccounts\":1000,\"outcome_rate\":0.2,\"points\":-0.3},{\"bin\":\"40 < x <= 80\",\"lower\":40" \
  ",\"upper\":80,\"accounts\":1000,\"outcome_rate\":0.2,\"points\":-0.1},{\"bin\":\"80 < x <= " \
  "120\",\"lower\":80,\"upper\":120,\"accounts\":1000,\"outcome_rate\":0.2,\"points\":0},{\"bin" \
  "\":\"120 < x <= 160\",\"lower\":120,\"upper\":160,\"accounts\":1000,\"outcome_rate\":0.2,\"p" \
  "oints\":0.2},{\"bin\":\"> 160\",\"lower\":160,\"accounts\":1000,\"outcome_rate\":0.2,\"point" \
  "s\":0.4},{\"bin\":\"missing\",\"missing\":true,\"accounts\":30,\"outcome_rate\":0.25,\"point" \
  "s\":0.0}]}]}"

/* The six sub-risks of the spec's curves, each NULL when its input is NULL. */
#define R_REGION "region"
#define R_RUNWAY "max(0.0, 1.0 - cash_runway_months / 24.0)"
#define R_RENEWAL                                                                          \
  "CASE WHEN days_to_renewal <= 30 THEN 1.0 WHEN days_to_renewal >= 180 THEN 0.0 "        \
  "ELSE (180.0 - days_to_renewal) / 150.0 END"
#define R_ADOPTION "(1.0 - adoption)"
#define R_STAKE "(1.0 - min(stakeholders, 5) / 5.0)"
#define R_CONTACT "min(1.0, days_since_contact / 90.0)"
#define W(w, r) "coalesce(" w " * " r ", 0)"
#define WN(w, c) "(CASE WHEN " c " IS NULL THEN 0 ELSE " w " END)"

const bench_query bench_account_queries[] = {
    {"floor", "SELECT sum(adoption) (floor)", "SELECT sum(adoption) FROM accounts", 0, 0, 0},
    {"risk", "risk_score, 6 factors",
     "SELECT sum(risk_score(" RISK_ARGS ")) FROM accounts", "floor", "risk_sql", 0},
    {"risk_sql", "pure SQL risk: CASE per factor, weights re-spread over non-NULL",
     "SELECT sum(100.0 * (" W("0.05", R_REGION) " + " W("0.15", R_RUNWAY) " + "
     W("0.10", R_RENEWAL) " + " W("0.15", R_ADOPTION) " + " W("0.10", R_STAKE) " + "
     W("0.05", R_CONTACT) ") / nullif(" WN("0.05", "region") " + "
     WN("0.15", "cash_runway_months") " + " WN("0.10", "days_to_renewal") " + "
     WN("0.15", "adoption") " + " WN("0.10", "stakeholders") " + "
     WN("0.05", "days_since_contact") ", 0)) FROM accounts", "floor", 0, 0},
    {"risk_learnt", "risk_score('model', m, ...), 6 factors, constant model",
     "SELECT sum(risk_score('model', '" LEARNT_MODEL "', " RISK_ARGS ")) FROM accounts", "floor",
     0, 0},
    {"risk_learnt_col", "risk_score('model', m, ...), 6 factors, model from a column",
     "SELECT sum(risk_score('model', m, " RISK_ARGS ")) FROM (SELECT '" LEARNT_MODEL
     "' AS m) CROSS JOIN accounts", "floor", 0, 0},
    {"phase", "phase_of, 4 signals",
     "SELECT sum(length(phase_of('deployment', deployment, 'adoption', adoption, 'risk', "
     "risk, 'expansion', expansion))) FROM accounts", "floor", "phase_sql", 0},
    {"phase_sql", "pure SQL phase: CASE",
     "SELECT sum(length(CASE WHEN deployment IS NULL AND adoption IS NULL AND risk IS NULL AND "
     "expansion IS NULL THEN NULL WHEN risk >= 70 OR (coalesce(deployment, 1) >= 1 AND "
     "adoption < 0.3) THEN 'defense' WHEN deployment < 1 THEN 'deployment' WHEN expansion > 0 "
     "THEN 'growth' ELSE 'maturation' END)) FROM accounts", "floor", 0, 0},
    {0, 0, 0, 0, 0, 0},
};
