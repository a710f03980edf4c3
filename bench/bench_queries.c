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
