-- review.sql: the portfolio review, printed as boxes by the sqlite3 shell.
--
--   sqlite3 -cmd '.load ./portfolio' sample.db < sql/review.sql
--
-- Runs on any database with the tables of sql/schema.md: review_settings (the as-of date and
-- the period), invoices and accounts. It reads no clock: "the period" is the
-- review_settings.period_months months up to and including review_settings.as_of, and "the
-- next 90 days" count from as_of, so a database always gives the same review.
--
-- Two parts, each between marker lines: the concentration part reads only invoices (and
-- accounts.name); `make review CSV=...` runs it alone on an imported CSV, after the source box
-- of sql/review_import.sql. The account part needs every accounts column. sql/review_html.py
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
CREATE TEMP TABLE review_quarters AS
WITH dated AS (
  SELECT customer_id, amount, date(invoice_date) AS day,
         date(invoice_date, 'start of month',
              '-' || ((CAST(strftime('%m', invoice_date) AS INTEGER) - 1) % 3) || ' months')
           AS quarter_start
  FROM invoices
  WHERE strftime('%Y', invoice_date) IS NOT NULL),
span AS (
  SELECT min(day) AS data_from,
         max(max(day), coalesce((SELECT as_of FROM review_settings LIMIT 1), max(day))) AS data_to
  FROM dated),
quarters AS (
  SELECT strftime('%Y', quarter_start) || '-Q'
           || ((CAST(strftime('%m', quarter_start) AS INTEGER) + 2) / 3) AS quarter,
         quarter_start, date(quarter_start, '+3 months', '-1 day') AS quarter_end,
         total(amount) AS revenue,
         count(DISTINCT customer_id) AS customers,
         herfindahl(customer_id, amount) AS hhi,
         top_share(customer_id, amount, 1) AS top1
  FROM dated
  GROUP BY quarter_start)
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
