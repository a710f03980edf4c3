-- review.sql: the portfolio review, printed as boxes by the sqlite3 shell.
--
--   sqlite3 -cmd '.load ./portfolio' sample.db < sql/review.sql
--
-- Runs on any database with the tables of sql/schema.md: review_settings (the as-of date and
-- the period), invoices and accounts. It reads no clock: "the period" is the
-- review_settings.period_months months up to and including review_settings.as_of, and "the
-- next 90 days" count from as_of, so a database always gives the same review.
--
-- Parts, each between marker lines: the concentration part reads only invoices (and
-- accounts.name); the cost-of-dependence part adds the optional effort table (and says so
-- when there is none); `make review CSV=...` runs these two on an imported CSV, after the
-- source box of sql/review_import.sql. The account part needs every accounts column; the
-- learnt-risk part the optional account_history table. sql/review_html.py
-- runs the same statements into review.html.
-- Working tables are TEMP, so the database itself is not changed.
-- @begin concentration
.mode box
DROP VIEW IF EXISTS temp.review_period;
DROP VIEW IF EXISTS temp.review_revenue;
DROP TABLE IF EXISTS temp.review_concentration;
DROP TABLE IF EXISTS temp.review_headline;

-- The period: [first_day, as_of]. end_before is the day after as_of, so that dates with a
-- time of day on as_of still count.
CREATE TEMP VIEW review_period AS
SELECT as_of, period_months,
       date(as_of, '-' || period_months || ' months', '+1 day') AS first_day,
       date(as_of, '+1 day') AS end_before
FROM review_settings LIMIT 1;

CREATE TEMP VIEW review_revenue AS
SELECT i.customer_id, i.amount
FROM invoices i, review_period p
WHERE i.invoice_date >= p.first_day AND i.invoice_date < p.end_before;

-- One row per customer with a positive net revenue in the period, largest first.
CREATE TEMP TABLE review_concentration AS
SELECT * FROM concentration('SELECT customer_id, amount FROM temp.review_revenue');

CREATE TEMP TABLE review_headline AS
SELECT p.first_day, p.as_of, p.period_months,
       (SELECT total(amount) FROM review_concentration) AS revenue,
       (SELECT count(*) FROM review_concentration) AS customers,
       (SELECT herfindahl(customer_id, amount) FROM review_revenue) AS hhi,
       (SELECT top_share(customer_id, amount, 1) FROM review_revenue) AS top1,
       (SELECT top_share(customer_id, amount, 5) FROM review_revenue) AS top5,
       (SELECT top_share(customer_id, amount, 10) FROM review_revenue) AS top10,
       (SELECT gini(customer_id, amount) FROM review_revenue) AS gini
FROM review_period p;

.print
.print "Headline: how dependent is revenue on the largest customers?"
SELECT measure, value FROM (
  SELECT 1 AS ord, 'period' AS measure,
         first_day || ' to ' || as_of || ' (' || period_months || ' months)' AS value
  FROM review_headline
  UNION ALL SELECT 2, 'revenue', iif(customers = 0, '-', printf('%,d', CAST(round(revenue) AS INTEGER)))
  FROM review_headline
  UNION ALL SELECT 3, 'customers', printf('%,d', customers) FROM review_headline
  UNION ALL SELECT 4, 'HHI (0-10,000)', iif(hhi IS NULL, '-', printf('%,d', CAST(round(hhi) AS INTEGER)))
  FROM review_headline
  UNION ALL SELECT 5, 'HHI band', coalesce(hhi_band(hhi), '-') FROM review_headline
  UNION ALL SELECT 6, 'largest customer', iif(top1 IS NULL, '-', printf('%.1f %%', 100 * top1))
  FROM review_headline
  UNION ALL SELECT 7, 'top 5 customers', iif(top5 IS NULL, '-', printf('%.1f %%', 100 * top5))
  FROM review_headline
  UNION ALL SELECT 8, 'top 10 customers', iif(top10 IS NULL, '-', printf('%.1f %%', 100 * top10))
  FROM review_headline
  UNION ALL SELECT 9, 'Gini', iif(gini IS NULL, '-', printf('%.3f', gini)) FROM review_headline
  UNION ALL SELECT 10, 'effective customers (10,000 / HHI)',
    iif(hhi > 0, printf('%.1f', 10000.0 / hhi), '-')
  FROM review_headline)
ORDER BY ord;

.print
.print "Major customers: 10 % of revenue or more, and the HHI if each one left"
SELECT rank, customer, revenue, share, "HHI points", "HHI without it", "band without it" FROM (
  SELECT c.rank,
         CASE WHEN a.name IS NULL THEN c.customer ELSE a.name || ' (#' || c.customer || ')' END
           AS customer,
         printf('%,d', CAST(round(c.amount) AS INTEGER)) AS revenue,
         printf('%.1f %%', 100 * c.share) AS share,
         printf('%,d', CAST(round(c.hhi_points) AS INTEGER)) AS "HHI points",
         printf('%,d', CAST(round(c.hhi_without) AS INTEGER)) AS "HHI without it",
         hhi_band(c.hhi_without) AS "band without it"
  FROM review_concentration c LEFT JOIN accounts a ON a.customer_id = c.customer
  WHERE c.major = 1
  UNION ALL
  SELECT NULL, '(no customer holds 10 % of revenue)', NULL, NULL, NULL, NULL, NULL
  WHERE NOT EXISTS (SELECT 1 FROM review_concentration WHERE major = 1))
ORDER BY rank IS NULL, rank;

.print
.print "Pareto classes: A = the customers making up the first 80 % of revenue, B the next 15 %, C the rest"
SELECT pareto_class AS class,
       printf('%,d', count(*)) AS customers,
       printf('%.1f %%', 100.0 * count(*) / (SELECT count(*) FROM review_concentration))
         AS "of customers",
       printf('%,d', CAST(round(total(amount)) AS INTEGER)) AS revenue,
       printf('%.1f %%', 100 * total(share)) AS "of revenue"
FROM review_concentration
GROUP BY pareto_class
ORDER BY pareto_class;

-- Each calendar quarter of the invoices, and how much of it the data covers: from the first
-- invoice date to the later of the last invoice date and as_of (the review's "data up to").
-- A quarter not covered from its first day to its last is partial: its totals are not
-- comparable with a whole quarter's.
DROP TABLE IF EXISTS temp.review_quarters;
DROP VIEW IF EXISTS temp.review_invoice_quarters;
CREATE TEMP VIEW review_invoice_quarters AS
SELECT strftime('%Y', quarter_start) || '-Q'
         || ((CAST(strftime('%m', quarter_start) AS INTEGER) + 2) / 3) AS quarter,
       quarter_start, day, customer_id, amount
FROM (SELECT customer_id, amount, date(invoice_date) AS day,
             date(invoice_date, 'start of month',
                  '-' || ((CAST(strftime('%m', invoice_date) AS INTEGER) - 1) % 3) || ' months')
               AS quarter_start
      FROM invoices
      WHERE strftime('%Y', invoice_date) IS NOT NULL);
CREATE TEMP TABLE review_quarters AS
WITH dated AS (SELECT * FROM review_invoice_quarters),
span AS (
  SELECT min(day) AS data_from,
         max(max(day), coalesce((SELECT as_of FROM review_settings LIMIT 1), max(day))) AS data_to
  FROM dated),
quarters AS (
  SELECT quarter, quarter_start, date(quarter_start, '+3 months', '-1 day') AS quarter_end,
         total(amount) AS revenue,
         count(DISTINCT customer_id) AS customers,
         herfindahl(customer_id, amount) AS hhi,
         top_share(customer_id, amount, 1) AS top1
  FROM dated
  GROUP BY quarter)
SELECT q.*,
       CAST(julianday(q.quarter_end) - julianday(q.quarter_start) AS INTEGER) + 1 AS days,
       CAST(julianday(min(q.quarter_end, s.data_to))
            - julianday(max(q.quarter_start, s.data_from)) AS INTEGER) + 1 AS days_covered,
       (s.data_from > q.quarter_start OR s.data_to < q.quarter_end) AS partial
FROM quarters q, span s;

.print
.print "Concentration by quarter (every invoice, credit notes netted per customer; partial: the data does not cover the whole quarter)"
SELECT quarter,
       printf('%,d', CAST(round(revenue) AS INTEGER)) AS revenue,
       printf('%,d', customers) AS customers,
       printf('%,d', CAST(round(hhi) AS INTEGER)) AS HHI,
       CASE WHEN lag(hhi) OVER (ORDER BY quarter) IS NULL THEN ''
            ELSE printf('%+d', CAST(round(hhi) AS INTEGER)
                               - CAST(round(lag(hhi) OVER (ORDER BY quarter)) AS INTEGER)) END
         AS change,
       hhi_band(hhi) AS band,
       printf('%.1f %%', 100 * top1) AS "largest customer",
       iif(partial, printf('partial: %d of %d days', days_covered, days), '') AS coverage
FROM review_quarters
ORDER BY quarter;
-- @end concentration

-- @begin movements
-- How revenue moved between quarters (revenue_movements) and what each cohort of customers,
-- by quarter of first purchase, still brings (revenue_cohorts), over every dated invoice.
-- Partial quarters (review_quarters, above) are marked: a partial last quarter counts as
-- churn the customers who have not bought in it yet.
DROP TABLE IF EXISTS temp.review_bridge;
DROP TABLE IF EXISTS temp.review_cohorts;
CREATE TEMP TABLE review_bridge AS
SELECT m.*, coalesce(q.partial, 0) AS partial, q.days_covered, q.days
FROM revenue_movements('SELECT quarter, customer_id, amount FROM temp.review_invoice_quarters') m
LEFT JOIN review_quarters q ON q.quarter = m.period;
CREATE TEMP TABLE review_cohorts AS
SELECT c.*, coalesce(q.partial, 0) AS partial
FROM revenue_cohorts('SELECT quarter, customer_id, amount FROM temp.review_invoice_quarters') c
LEFT JOIN review_quarters q ON q.quarter = c.period;

.print
.print "Revenue bridge of the last four quarters (net and gross retention: of the quarter's start)"
SELECT period AS quarter,
       printf('%,d', CAST(round(start_revenue) AS INTEGER)) AS start,
       printf('%,d', CAST(round(new) AS INTEGER)) AS new,
       printf('%,d', CAST(round(expansion) AS INTEGER)) AS expansion,
       printf('%,d', CAST(round(contraction) AS INTEGER)) AS contraction,
       printf('%,d', CAST(round(churn) AS INTEGER)) AS churn,
       printf('%,d', CAST(round(reactivation) AS INTEGER)) AS reactivation,
       printf('%,d', CAST(round(end_revenue) AS INTEGER)) AS "end",
       iif(net_retention IS NULL, '-', printf('%.1f %%', 100 * net_retention)) AS "net retention",
       iif(gross_retention IS NULL, '-', printf('%.1f %%', 100 * gross_retention))
         AS "gross retention",
       iif(partial, printf('partial: %d of %d days', days_covered, days), '') AS coverage
FROM (SELECT * FROM review_bridge WHERE previous_period IS NOT NULL
      ORDER BY period DESC LIMIT 4)
UNION ALL
SELECT '(one quarter of invoices: nothing to compare it with)', NULL, NULL, NULL, NULL, NULL,
       NULL, NULL, NULL, NULL, NULL
WHERE NOT EXISTS (SELECT 1 FROM review_bridge WHERE previous_period IS NOT NULL)
ORDER BY 1;

.print
.print "Revenue retention by quarter of first purchase (revenue / the first quarter's; * partial quarter)"
-- The latest 8 cohorts, their first 8 quarters; a cell is '' past the end of the data.
WITH cells AS (
  SELECT cohort, age, customers, revenue, partial,
         printf('%.1f %%', 100 * revenue_retention) || iif(partial, '*', '') AS cell
  FROM review_cohorts
  WHERE cohort IN (SELECT DISTINCT cohort FROM review_cohorts ORDER BY cohort DESC LIMIT 8))
SELECT cohort || iif(max(partial * (age = 0)), ' (partial)', '') AS cohort,
       printf('%,d', max(iif(age = 0, customers, 0))) AS customers,
       printf('%,d', CAST(round(total(iif(age = 0, revenue, 0))) AS INTEGER)) AS "first quarter",
       coalesce(max(iif(age = 1, cell, NULL)), '') AS "+1",
       coalesce(max(iif(age = 2, cell, NULL)), '') AS "+2",
       coalesce(max(iif(age = 3, cell, NULL)), '') AS "+3",
       coalesce(max(iif(age = 4, cell, NULL)), '') AS "+4",
       coalesce(max(iif(age = 5, cell, NULL)), '') AS "+5",
       coalesce(max(iif(age = 6, cell, NULL)), '') AS "+6",
       coalesce(max(iif(age = 7, cell, NULL)), '') AS "+7"
FROM cells
GROUP BY cohort
ORDER BY cohort;
-- @end movements

-- @begin cost-of-dependence
-- What the largest customers take beside what they pay: each one's share of the team's
-- effort (hours, from the optional effort table of sql/schema.md) beside its share of the
-- period's revenue, its margin (revenue - cost), the HHI of effort beside the HHI of revenue,
-- and the portfolio without its largest customer. Reads temp.review_period and
-- temp.review_concentration, so it runs after the concentration part.
-- A row's cost is effort.cost when the table has that column and the row a value, else
-- hours x review_settings.hourly_cost; a customer with a row of unknown cost has no margin.
-- Customers with effort but no positive revenue in the period count in the effort (revenue
-- 0). A database without an effort table gets one line saying what the box needs.
-- Optional parts of the schema are found by name resolution: the unqualified name effort
-- finds the database's table when it has one, else the empty stand-in attached here (SQLite
-- looks in temp, main, then attached databases); cost and hourly_cost are NULL columns of an
-- outer query, which a subquery's own table hides when it has a column of that name.
-- Wide cells are not wrapped (the skip message is one line); .mode box restores the default.
.mode box --wrap 0
ATTACH ':memory:' AS review_no_effort;
CREATE TABLE review_no_effort.effort (customer_id, effort_date, hours, cost);
DROP TABLE IF EXISTS temp.review_effort_rows;
DROP TABLE IF EXISTS temp.review_dependence;

CREATE TEMP TABLE review_effort_rows AS
SELECT e.value ->> 0 AS customer_id, e.value ->> 1 AS hours,
       coalesce(e.value ->> 2, (e.value ->> 1) * s.hourly_cost) AS cost
FROM (SELECT (SELECT hourly_cost FROM review_settings LIMIT 1) AS hourly_cost
      FROM (SELECT NULL AS hourly_cost)) s,
     json_each((SELECT (SELECT json_group_array(json_array(customer_id, hours, cost))
                        FROM effort, review_period p
                        WHERE effort_date >= p.first_day AND effort_date < p.end_before)
                FROM (SELECT NULL AS cost))) e;
DETACH review_no_effort;

-- One row per customer with revenue or effort in the period: revenue (0 without a positive
-- net revenue), hours, and cost (NULL when a row's cost is unknown).
CREATE TEMP TABLE review_dependence AS
WITH effort_by_customer AS (
  SELECT customer_id, total(hours) AS hours,
         CASE WHEN count(cost) = count(*) THEN total(cost) END AS cost
  FROM review_effort_rows GROUP BY customer_id)
SELECT c.customer AS customer_id, c.rank, c.major, c.amount AS revenue,
       coalesce(e.hours, 0) AS hours, CASE WHEN e.customer_id IS NULL THEN 0 ELSE e.cost END AS cost
FROM review_concentration c LEFT JOIN effort_by_customer e ON e.customer_id = c.customer
UNION ALL
SELECT e.customer_id, NULL, 0, 0, e.hours, e.cost
FROM effort_by_customer e
WHERE e.customer_id NOT IN (SELECT customer FROM review_concentration);

.print
.print "Cost of dependence: the 10 largest customers' share of revenue beside their share of the team's effort (hours), and their margin (revenue - cost)"
WITH t AS (
  SELECT total(revenue) AS revenue, total(hours) AS hours,
         CASE WHEN count(cost) = count(*) THEN total(cost) END AS cost,
         EXISTS (SELECT 1 FROM sqlite_schema WHERE name = 'effort' COLLATE NOCASE)
           OR EXISTS (SELECT 1 FROM temp.sqlite_schema WHERE name = 'effort' COLLATE NOCASE)
           AS has_effort
  FROM review_dependence),
lines AS (
  SELECT 0 AS part, d.rank,
         CASE WHEN a.name IS NULL THEN d.customer_id ELSE a.name || ' (#' || d.customer_id || ')' END
           AS customer, d.revenue, d.hours, d.cost
  FROM review_dependence d LEFT JOIN accounts a ON a.customer_id = d.customer_id
  WHERE d.rank <= 10 OR d.major = 1
  UNION ALL
  SELECT 1, NULL, iif(count(*) = 1, 'the other customer', printf('the other %,d customers', count(*))),
         total(revenue), total(hours),
         CASE WHEN count(cost) = count(*) THEN total(cost) END
  FROM review_dependence WHERE rank IS NULL OR (rank > 10 AND major = 0) HAVING count(*) > 0
  UNION ALL
  SELECT 2, NULL, iif(count(*) = 1, 'the customer costing more than it pays',
                      printf('the %,d customers costing more than they pay', count(*))),
         total(revenue), total(hours), total(cost)
  FROM review_dependence WHERE cost > revenue HAVING count(*) > 0
  UNION ALL
  SELECT 3, NULL, 'all customers', revenue, hours, cost FROM t)
SELECT rank, customer, revenue, "revenue share", hours, "effort share", "effort / revenue share",
       cost, margin, "margin share" FROM (
  SELECT l.part, l.rank AS sort, l.rank, l.customer,
         printf('%,d', CAST(round(l.revenue) AS INTEGER)) AS revenue,
         printf('%.1f %%', 100 * l.revenue / t.revenue) AS "revenue share",
         printf('%,d', CAST(round(l.hours) AS INTEGER)) AS hours,
         printf('%.1f %%', 100 * l.hours / t.hours) AS "effort share",
         CASE WHEN l.revenue > 0 THEN printf('%.2f', (l.hours / t.hours) / (l.revenue / t.revenue))
              ELSE '-' END AS "effort / revenue share",
         CASE WHEN l.cost IS NULL THEN '-' ELSE printf('%,d', CAST(round(l.cost) AS INTEGER)) END
           AS cost,
         CASE WHEN l.cost IS NULL THEN '-'
              ELSE printf('%,d', CAST(round(l.revenue - l.cost) AS INTEGER)) END AS margin,
         CASE WHEN l.cost IS NULL OR t.cost IS NULL OR t.revenue = t.cost THEN '-'
              ELSE printf('%.1f %%', 100 * (l.revenue - l.cost) / (t.revenue - t.cost)) END
           AS "margin share"
  FROM lines l, t WHERE t.hours > 0 AND t.revenue > 0
  UNION ALL
  SELECT 4, m.line, NULL, m.text, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
  FROM t, review_period p, (
    SELECT 1 AS line, 'skipped: the database has no effort table. The box needs' AS text
    UNION ALL SELECT 2, 'effort (customer_id, effort_date, hours[, cost]): the hours spent'
    UNION ALL SELECT 3, 'on each customer, costed by cost or by review_settings.hourly_cost'
    UNION ALL SELECT 4, '(sql/schema.md); make review CSV=... EFFORT=effort.csv imports it') m
  WHERE NOT t.has_effort
  UNION ALL
  SELECT 5, NULL, NULL, 'skipped: no effort hours or no revenue in the period ' || p.first_day
         || ' to ' || p.as_of, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
  FROM t, review_period p WHERE t.has_effort AND NOT (t.hours > 0 AND t.revenue > 0))
ORDER BY part, sort;

.print
.print "Cost of dependence: HHI of effort beside HHI of revenue, and the portfolio without its largest customer"
WITH t AS (
  SELECT total(revenue) AS revenue, total(hours) AS hours,
         CASE WHEN count(cost) = count(*) THEN total(cost) END AS cost
  FROM review_dependence),
top AS (SELECT * FROM review_concentration WHERE rank = 1),
top_effort AS (
  SELECT d.revenue, d.hours, d.cost,
         CASE WHEN a.name IS NULL THEN d.customer_id ELSE a.name || ' (#' || d.customer_id || ')' END
           AS customer
  FROM review_dependence d JOIN top ON d.customer_id = top.customer
  LEFT JOIN accounts a ON a.customer_id = d.customer_id),
lines AS (
  SELECT 0 AS part, CASE WHEN t.cost IS NULL
           THEN 'all customers (cost unknown: record effort.cost or set review_settings.hourly_cost)'
           ELSE 'all customers' END AS portfolio,
         t.revenue, t.hours, t.cost, h.hhi AS hhi_revenue,
         (SELECT herfindahl(customer_id, hours) FROM review_effort_rows) AS hhi_effort
  FROM t, review_headline h
  UNION ALL
  SELECT 1, 'without ' || e.customer, t.revenue - e.revenue, t.hours - e.hours, t.cost - e.cost,
         top.hhi_without,
         (SELECT herfindahl(customer_id, hours) FROM review_effort_rows
          WHERE customer_id IS NOT top.customer)
  FROM t, top, top_effort e)
SELECT portfolio, revenue, hours, cost, margin, "margin rate", "HHI of revenue", "revenue band",
       "HHI of effort", "effort band" FROM (
  SELECT l.part, l.portfolio,
         printf('%,d', CAST(round(l.revenue) AS INTEGER)) AS revenue,
         printf('%,d', CAST(round(l.hours) AS INTEGER)) AS hours,
         CASE WHEN l.cost IS NULL THEN '-' ELSE printf('%,d', CAST(round(l.cost) AS INTEGER)) END
           AS cost,
         CASE WHEN l.cost IS NULL THEN '-'
              ELSE printf('%,d', CAST(round(l.revenue - l.cost) AS INTEGER)) END AS margin,
         CASE WHEN l.cost IS NULL OR l.revenue <= 0 THEN '-'
              ELSE printf('%.1f %%', 100 * (l.revenue - l.cost) / l.revenue) END AS "margin rate",
         coalesce(printf('%,d', CAST(round(l.hhi_revenue) AS INTEGER)), '-') AS "HHI of revenue",
         coalesce(hhi_band(l.hhi_revenue), '-') AS "revenue band",
         coalesce(printf('%,d', CAST(round(l.hhi_effort) AS INTEGER)), '-') AS "HHI of effort",
         coalesce(hhi_band(l.hhi_effort), '-') AS "effort band"
  FROM lines l, t WHERE t.hours > 0 AND t.revenue > 0
  UNION ALL
  SELECT 2, 'skipped (see the box above)', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
  FROM t WHERE NOT (t.hours > 0 AND t.revenue > 0))
ORDER BY part;
.mode box
-- @end cost-of-dependence

-- @begin accounts
DROP TABLE IF EXISTS temp.review_accounts;

-- Each account's risk (risk_score) and its reasons (risk_explain, same arguments), then its
-- lifecycle phase from the rollout, adoption, risk and open expansion.
CREATE TEMP TABLE review_accounts AS
WITH facts AS (
  SELECT a.*,
         CAST(julianday(a.renewal_date) - julianday(s.as_of) AS INTEGER) AS days_to_renewal,
         CASE WHEN a.potential_revenue > 0
              THEN min(1.0, a.current_revenue / a.potential_revenue) END AS penetration
  FROM accounts a, (SELECT as_of FROM review_settings LIMIT 1) s),
scored AS (
  SELECT f.*,
         risk_score('industry', industry, 'region', region_rating,
                    'cash_runway_months', cash_runway_months, 'days_to_renewal', days_to_renewal,
                    'adoption', adoption, 'deployment', deployment,
                    'stakeholders', stakeholders_contacted, 'days_since_contact', days_since_contact,
                    'penetration', penetration, 'contract_year', contract_year) AS risk,
         risk_explain('industry', industry, 'region', region_rating,
                      'cash_runway_months', cash_runway_months, 'days_to_renewal', days_to_renewal,
                      'adoption', adoption, 'deployment', deployment,
                      'stakeholders', stakeholders_contacted, 'days_since_contact', days_since_contact,
                      'penetration', penetration, 'contract_year', contract_year) AS why
  FROM facts f)
SELECT customer_id, name, industry, current_revenue AS revenue, potential_revenue,
       open_expansion, renewal_date, days_to_renewal, penetration, risk,
       current_revenue * risk / 100.0 AS revenue_at_risk,
       phase_of('deployment', deployment, 'adoption', adoption, 'risk', risk,
                'expansion', open_expansion) AS phase,
       json_extract(why, '$.factors[0].factor') AS top_factor,
       json_extract(why, '$.factors[0].value') AS top_value
FROM scored;

.print
.print "Accounts by lifecycle phase (revenue: current annual revenue)"
SELECT p.phase,
       printf('%,d', count(a.customer_id)) AS accounts,
       printf('%,d', CAST(round(total(a.revenue)) AS INTEGER)) AS revenue,
       printf('%.1f %%', 100 * total(a.revenue) / (SELECT total(revenue) FROM review_accounts))
         AS "of revenue",
       coalesce(printf('%.1f', avg(a.risk)), '') AS "average risk",
       CASE WHEN instr(p.objective, ':') > 0
            THEN substr(p.objective, 1, instr(p.objective, ':') - 1) ELSE p.objective END AS focus
FROM phases p LEFT JOIN review_accounts a ON a.phase = p.phase
GROUP BY p.phase
ORDER BY p.ordinal;

.print
.print "The 10 accounts most at risk (risk 0-100; revenue at risk = revenue x risk / 100)"
SELECT row_number() OVER (ORDER BY risk DESC, revenue DESC, customer_id) AS "#",
       name || ' (#' || customer_id || ')' AS account,
       industry,
       printf('%,d', CAST(round(revenue) AS INTEGER)) AS revenue,
       printf('%.1f', risk) AS risk,
       printf('%,d', CAST(round(revenue_at_risk) AS INTEGER)) AS "at risk",
       phase,
       replace(top_factor, '_', ' ') || ' = ' || top_value AS "top reason"
FROM review_accounts
WHERE risk IS NOT NULL
ORDER BY risk DESC, revenue DESC, customer_id
LIMIT 10;

.print
.print "Renewals in the next 90 days, by revenue at risk (the 15 largest, then all of them)"
WITH due AS (SELECT * FROM review_accounts WHERE days_to_renewal BETWEEN 0 AND 90)
SELECT account, renewal, "days left", revenue, risk, "at risk", phase, "top reason" FROM (
  SELECT * FROM (
    SELECT 0 AS part, revenue_at_risk AS sort_key, customer_id,
           name || ' (#' || customer_id || ')' AS account,
           renewal_date AS renewal,
           days_to_renewal AS "days left",
           printf('%,d', CAST(round(revenue) AS INTEGER)) AS revenue,
           printf('%.1f', risk) AS risk,
           printf('%,d', CAST(round(revenue_at_risk) AS INTEGER)) AS "at risk",
           phase,
           replace(top_factor, '_', ' ') || ' = ' || top_value AS "top reason"
    FROM due
    ORDER BY revenue_at_risk DESC, customer_id
    LIMIT 15)
  UNION ALL
  SELECT 1, NULL, NULL, printf('all %,d renewals', count(*)), NULL, NULL,
         printf('%,d', CAST(round(total(revenue)) AS INTEGER)),
         printf('%.1f', avg(risk)),
         printf('%,d', CAST(round(total(revenue_at_risk)) AS INTEGER)), NULL, NULL
  FROM due)
ORDER BY part, sort_key DESC, customer_id;

.print
.print "Small deals at big accounts: penetration (current / potential revenue) below 10 %, by headroom"
SELECT name || ' (#' || customer_id || ')' AS account,
       industry,
       printf('%,d', CAST(round(revenue) AS INTEGER)) AS revenue,
       printf('%,d', CAST(round(potential_revenue) AS INTEGER)) AS potential,
       printf('%.1f %%', 100 * penetration) AS penetration,
       printf('%,d', CAST(round(potential_revenue - revenue) AS INTEGER)) AS headroom,
       phase,
       CASE WHEN open_expansion > 0
            THEN printf('%,d', CAST(round(open_expansion) AS INTEGER)) ELSE '' END
         AS "open expansion"
FROM review_accounts
WHERE penetration < 0.10
ORDER BY potential_revenue - revenue DESC, customer_id
LIMIT 15;
-- @end accounts
-- @begin learnt-risk
-- A risk model learnt from what happened to past accounts (risk_fit on account_history,
-- sql/schema.md), judged on accounts it did not see, and used for revenue at risk as an
-- expected loss. The fit uses 70 % of the history (customer_id % 10 < 7, so every run is the
-- same); the AUC is over the other 30 %. A database without account_history gets one line
-- saying so, and the default model stays the review's (the boxes above).
-- The unqualified name account_history finds the database's table when it has one, else the
-- empty stand-in attached here (SQLite looks in temp, main, then attached databases).
ATTACH ':memory:' AS review_no_history;
CREATE TABLE review_no_history.account_history (customer_id, observed_on, industry, plan,
  adoption, stakeholders_contacted, days_since_contact, days_to_renewal, support_tickets,
  monthly_charge, churned);
DROP TABLE IF EXISTS temp.review_learnt;
DROP TABLE IF EXISTS temp.review_learnt_held;
CREATE TEMP TABLE review_learnt AS
SELECT n, CASE WHEN n > 0 THEN (
         SELECT risk_fit(churned, 'adoption', adoption, 'stakeholders', stakeholders_contacted,
                         'days_since_contact', days_since_contact,
                         'days_to_renewal', days_to_renewal, 'industry', industry, 'plan', plan,
                         'support_tickets', support_tickets, 'monthly_charge', monthly_charge)
         FROM account_history WHERE customer_id % 10 < 7) END AS model
FROM (SELECT count(*) AS n FROM account_history);
-- The held-out accounts, scored by the learnt model and by the default one on the same facts.
CREATE TEMP TABLE review_learnt_held AS
SELECT h.churned,
       risk_score('model', l.model, 'adoption', adoption, 'stakeholders', stakeholders_contacted,
                  'days_since_contact', days_since_contact, 'days_to_renewal', days_to_renewal,
                  'industry', industry, 'plan', plan, 'support_tickets', support_tickets,
                  'monthly_charge', monthly_charge) AS learnt,
       risk_score('adoption', adoption, 'stakeholders', stakeholders_contacted,
                  'days_since_contact', days_since_contact, 'days_to_renewal', days_to_renewal,
                  'industry', industry) AS default_risk
FROM account_history h, review_learnt l
WHERE l.model IS NOT NULL AND h.customer_id % 10 >= 7;
DETACH review_no_history;

.print
.print "Learnt risk: a model fitted on 70 % of account_history, judged on the other 30 % beside the default model"
-- AUC: the chance that a churned account scores above one that stayed (auc(), ties count
-- half). Lift: the churn rate among the 10 % scored highest over the overall rate (lift()).
WITH judged AS (
  SELECT auc(learnt, churned) AS auc_learnt, auc(default_risk, churned) AS auc_default,
         lift(learnt, churned, 0.1) AS lift_learnt, lift(default_risk, churned, 0.1) AS lift_default,
         count(*) AS held
  FROM review_learnt_held)
SELECT CASE WHEN l.model IS NULL
            THEN 'no account_history table: default risk model kept'
            ELSE printf('%,d accounts fitted, %,d held out', l.n - j.held, j.held) END AS history,
       iif(j.auc_learnt IS NULL, '', printf('%.3f', j.auc_learnt)) AS "AUC learnt",
       iif(j.auc_default IS NULL, '', printf('%.3f', j.auc_default)) AS "AUC default",
       iif(j.lift_learnt IS NULL, '', printf('%.2f', j.lift_learnt)) AS "top-10 % lift learnt",
       iif(j.lift_default IS NULL, '', printf('%.2f', j.lift_default)) AS "top-10 % lift default"
FROM review_learnt l, judged j;

.print
.print "Learnt scorecard: each factor's bins and points (log-odds; + raises churn, - lowers it)"
SELECT factor,
       group_concat(bin || ' ' || printf('%+.2f', points), '; ') AS "bins and points"
-- (no history: a model with no factors, so no rows)
FROM risk_scorecard(coalesce((SELECT model FROM review_learnt),
       '{"model": "portfolio-risk-scorecard", "version": 1, "intercept": 0, "factors": []}'))
GROUP BY factor
ORDER BY max(points) - min(points) DESC, factor;

.print
.print "Revenue at risk from the learnt probabilities (expected loss = revenue x probability)"
WITH learnt AS (
  SELECT r.customer_id, r.name, r.revenue, r.risk,
         risk_score('model', l.model, 'adoption', a.adoption,
                    'stakeholders', a.stakeholders_contacted,
                    'days_since_contact', a.days_since_contact,
                    'days_to_renewal', r.days_to_renewal, 'industry', a.industry) AS p
  FROM review_accounts r JOIN accounts a USING (customer_id), review_learnt l
  WHERE l.model IS NOT NULL)
SELECT * FROM (
  SELECT name || ' (#' || customer_id || ')' AS account,
         printf('%,d', CAST(round(revenue) AS INTEGER)) AS revenue,
         printf('%.1f %%', p) AS "churn probability",
         printf('%,d', CAST(round(revenue * p / 100) AS INTEGER)) AS "expected loss",
         printf('%,d', CAST(round(revenue * risk / 100) AS INTEGER)) AS "default at risk"
  FROM learnt ORDER BY revenue * p DESC, customer_id LIMIT 10)
UNION ALL
SELECT printf('all %,d accounts', count(*)), printf('%,d', CAST(round(total(revenue)) AS INTEGER)),
       printf('%.1f %%', 100 * total(revenue * p / 100) / total(revenue)),
       printf('%,d', CAST(round(total(revenue * p / 100)) AS INTEGER)),
       printf('%,d', CAST(round(total(revenue * risk / 100)) AS INTEGER))
FROM learnt HAVING count(*) > 0;
-- @end learnt-risk
