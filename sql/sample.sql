-- sample.sql: a deterministic sample customer portfolio, in plain SQL (no extension needed).
--
--   sqlite3 sample.db < sql/sample.sql
--
-- It (re)creates the three tables that sql/review.sql reads (documented in sql/schema.md):
--   review_settings  one row: the as-of date of the review and the length of its period
--   accounts         2,000 customer accounts: revenue, potential, industry, region rating,
--                    cash runway, renewal, adoption, deployment, contacts, open expansion
--   invoices         about 100,000 invoice lines over the 24 months up to the as-of date,
--                    with a few hundred credit notes (negative amounts)
--   account_history  3,000 accounts as they stood a year before the as-of date, and whether
--                    each churned in the year after (for risk_fit; sql/schema.md)
--   effort           a year of the team's time (support and delivery hours) per account and
--                    month, for the cost of dependence (sql/schema.md)
--
-- Every "random" draw is a hash of a row number (below), so every run builds the same
-- database on every machine. The revenue of the accounts is heavy-tailed (a truncated Pareto
-- draw), and one whale, Meridian Airways, an airline renewing in 50 days, holds about 35 % of
-- revenue: the situation a concentration review exists for.

PRAGMA synchronous = OFF;
PRAGMA temp_store = MEMORY;
BEGIN;
DROP TABLE IF EXISTS effort;
DROP TABLE IF EXISTS invoices;
DROP TABLE IF EXISTS account_history;
DROP TABLE IF EXISTS accounts;
DROP TABLE IF EXISTS review_settings;

CREATE TABLE review_settings (
  as_of         TEXT NOT NULL CHECK (date(as_of) = as_of),
  period_months INTEGER NOT NULL DEFAULT 12 CHECK (period_months >= 1),
  hourly_cost   REAL CHECK (hourly_cost >= 0)
);
INSERT INTO review_settings VALUES ('2025-06-30', 12, 85);

CREATE TABLE accounts (
  customer_id            INTEGER PRIMARY KEY,
  name                   TEXT NOT NULL UNIQUE,
  industry               TEXT NOT NULL,
  region                 TEXT NOT NULL,
  region_rating          REAL NOT NULL CHECK (region_rating BETWEEN 0 AND 1),
  customer_since         TEXT NOT NULL,
  contract_year          INTEGER NOT NULL CHECK (contract_year >= 1),
  renewal_date           TEXT NOT NULL,
  cash_runway_months     REAL NOT NULL CHECK (cash_runway_months >= 0),
  adoption               REAL NOT NULL CHECK (adoption BETWEEN 0 AND 1),
  deployment             REAL NOT NULL CHECK (deployment BETWEEN 0 AND 1),
  stakeholders_contacted INTEGER NOT NULL CHECK (stakeholders_contacted BETWEEN 0 AND 5),
  days_since_contact     INTEGER NOT NULL CHECK (days_since_contact >= 0),
  current_revenue        REAL NOT NULL CHECK (current_revenue > 0),
  potential_revenue      REAL NOT NULL CHECK (potential_revenue >= current_revenue),
  open_expansion         REAL NOT NULL DEFAULT 0 CHECK (open_expansion >= 0)
);

CREATE TABLE invoices (
  invoice_id   INTEGER PRIMARY KEY,
  customer_id  INTEGER NOT NULL REFERENCES accounts(customer_id),
  invoice_date TEXT NOT NULL,
  amount       REAL NOT NULL
);

-- noise(k) = a uniform draw in [0, 1) for each k: Knuth's multiplicative step then a 32-bit
-- integer finalizer (xor-shift, multiply, xor-shift, multiply, xor-shift). SQLite has no XOR
-- operator, so a ^ b is written (a | b) - (a & b); every product stays below 2^63.
-- Keys 32..64,031 serve the accounts (32 draws each), keys 100,000..676,295 the invoice lines,
-- keys 680,000..709,999 the account history (10 draws per past account), keys
-- 710,012..734,011 the effort (one draw per account and month).
CREATE TEMP TABLE noise (k INTEGER PRIMARY KEY, u REAL NOT NULL);
WITH RECURSIVE
  n(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM n WHERE k < 734100),
  step0 AS (SELECT k, (k * 2654435761 + 1013904223) % 4294967296 AS x FROM n),
  step1 AS (SELECT k, (((x >> 16) | x) - ((x >> 16) & x)) * 73244475 % 4294967296 AS x FROM step0),
  step2 AS (SELECT k, (((x >> 16) | x) - ((x >> 16) & x)) * 73244475 % 4294967296 AS x FROM step1),
  step3 AS (SELECT k, ((x >> 16) | x) - ((x >> 16) & x) AS x FROM step2)
INSERT INTO noise SELECT k, x / 4294967296.0 FROM step3;

-- Industries (names as in the extension's risk_industries table) with the share of accounts
-- in each: [lo, hi) is the industry's slice of [0, 1).
CREATE TEMP TABLE industry_mix (industry TEXT PRIMARY KEY, lo REAL, hi REAL);
WITH weights(industry, w) AS (VALUES
  ('software', 14), ('e-commerce', 8), ('logistics', 7), ('healthcare', 7), ('supply chain', 4),
  ('manufacturing', 9), ('financial services', 7), ('insurance', 3), ('pharmaceuticals', 3),
  ('education', 4), ('media', 4), ('telecommunications', 3), ('energy', 3), ('construction', 3),
  ('real estate', 3), ('retail', 2), ('in-person retail', 3), ('travel', 4), ('hospitality', 4),
  ('events', 2), ('recruitment', 2), ('aviation', 1)),
running AS (SELECT industry, w, sum(w) OVER (ORDER BY w DESC, industry) AS upto,
                   sum(w) OVER () AS total FROM weights)
INSERT INTO industry_mix SELECT industry, (upto - w) * 1.0 / total, upto * 1.0 / total FROM running;

-- Regions with the analyst's rating of each (0 = no concern, 1 = severe).
CREATE TEMP TABLE region_mix (idx INTEGER PRIMARY KEY, region TEXT, rating REAL);
INSERT INTO region_mix VALUES
  (0, 'UK & Ireland', 0.20), (1, 'DACH', 0.15), (2, 'Nordics', 0.10), (3, 'Benelux', 0.15),
  (4, 'France', 0.20), (5, 'Iberia', 0.30), (6, 'Italy', 0.35), (7, 'Central Europe', 0.40),
  (8, 'North America', 0.15), (9, 'Latin America', 0.55), (10, 'Asia Pacific', 0.30),
  (11, 'Middle East', 0.50);

-- The 32 draws of each account as columns u0..u12 (the rest are spare).
CREATE TEMP TABLE draws AS
SELECT k / 32 AS id,
  max(CASE k % 32 WHEN 0 THEN u END) AS u0,  max(CASE k % 32 WHEN 1 THEN u END) AS u1,
  max(CASE k % 32 WHEN 2 THEN u END) AS u2,  max(CASE k % 32 WHEN 3 THEN u END) AS u3,
  max(CASE k % 32 WHEN 4 THEN u END) AS u4,  max(CASE k % 32 WHEN 5 THEN u END) AS u5,
  max(CASE k % 32 WHEN 6 THEN u END) AS u6,  max(CASE k % 32 WHEN 7 THEN u END) AS u7,
  max(CASE k % 32 WHEN 8 THEN u END) AS u8,  max(CASE k % 32 WHEN 9 THEN u END) AS u9,
  max(CASE k % 32 WHEN 10 THEN u END) AS u10, max(CASE k % 32 WHEN 11 THEN u END) AS u11,
  max(CASE k % 32 WHEN 12 THEN u END) AS u12
FROM noise WHERE k BETWEEN 32 AND 2000 * 32 + 31 GROUP BY k / 32;

-- Names: 50 first words x 40 second words, chosen so that ids 1..2000 never repeat a name.
CREATE TEMP TABLE name_words (first TEXT, second TEXT);
INSERT INTO name_words VALUES (
  '["Arden","Bexley","Calder","Dunmore","Elstree","Fenwick","Garland","Harrow","Ingram","Jarvis",
    "Kestrel","Larkin","Marlow","Norcott","Oakley","Penrose","Quarry","Radley","Selby","Thorne",
    "Upton","Varley","Wexford","Yardley","Ashby","Bramley","Cobalt","Delta","Ember","Falcon",
    "Granite","Harbor","Iris","Juniper","Keystone","Lumen","Maple","Nimbus","Orchid","Pioneer",
    "Quill","Ridge","Summit","Tidal","Union","Vertex","Willow","Zephyr","Atlas","Beacon"]',
  '["Bay","Bridge","Brook","Crest","Dale","Field","Ford","Gate","Grove","Hall",
    "Haven","Hill","Holm","Lake","Lane","Mead","Mill","Moor","Park","Point",
    "Port","Rise","Row","Stone","Vale","View","Wood","Yard","Works","Labs",
    "Group","Partners","Holdings","Trading","Ventures","Systems","Networks","& Co","Collective","Union"]');

-- One row per account with every drawn attribute; the whale (id 1287) is set apart below.
CREATE TEMP TABLE account_draft AS
WITH base AS (
  SELECT d.*,
    json_extract(w.first, '$[' || ((d.id * 7) % 50) || ']') || ' ' ||
      json_extract(w.second, '$[' || ((d.id / 50) % 40) || ']') AS name,
    -- truncated Pareto (alpha = 1) between 4,000 and 1,000,000 a year, in hundreds
    round(4000.0 / (1.0 - 0.996 * d.u0) / 100) * 100 AS revenue,
    -- 8 % of accounts joined inside the 24 months of invoices, the rest between 2016 and mid-2023
    CASE WHEN d.u1 < 0.08
      THEN date('2023-07-01', '+' || CAST(d.u2 * 640 AS INTEGER) || ' days')
      ELSE date('2016-01-01', '+' || CAST(d.u2 * 2738 AS INTEGER) || ' days') END AS since
  FROM draws d, name_words w)
SELECT b.id, b.name, i.industry, r.region, r.rating AS region_rating, b.since, b.revenue,
  b.u3, b.u4, b.u5, b.u6, b.u7, b.u8, b.u9, b.u10, b.u11, b.u12
FROM base b
JOIN industry_mix i ON b.u3 >= i.lo AND b.u3 < i.hi
JOIN region_mix r ON r.idx = CAST(b.u4 * 12 AS INTEGER);

INSERT INTO accounts
SELECT id, name, industry, region, region_rating, since,
  contract_year,
  date(since, '+' || contract_year || ' years') AS renewal_date,
  round(1 + 47 * u5 * u5, 1) AS cash_runway_months,
  round(0.12 + 0.85 * (u6 + u7) / 2, 2) AS adoption,
  CASE WHEN since >= '2023-07-01' OR u8 < 0.2 THEN round(0.2 + 0.75 * u9, 2) ELSE 1.0 END
    AS deployment,
  CAST(u10 * 6 AS INTEGER) AS stakeholders_contacted,
  CAST(u11 * u11 * 150 AS INTEGER) AS days_since_contact,
  revenue AS current_revenue,
  -- penetration = current / potential, uniform in [0.04, 1): about 6 % of accounts below 10 %
  max(revenue, ceil(revenue / (0.04 + 0.96 * u12) / 100) * 100) AS potential_revenue,
  CASE WHEN (u9 * 10) - CAST(u9 * 10 AS INTEGER) < 0.3
    THEN round(revenue * (0.1 + 0.4 * u8) / 100) * 100 ELSE 0 END AS open_expansion
FROM (SELECT *,
        -- the contract year the account is in: its renewal is the next anniversary of
        -- customer_since, at most 30 days overdue
        CAST((julianday('2025-06-30') - julianday(since) - 30) / 365.25 AS INTEGER) + 1
          AS contract_year
      FROM account_draft)
WHERE id <> 1287;

-- The whale: an airline in its third contract year, renewing on 2025-08-19, whose revenue is
-- 0.58 times that of all other accounts together (about 37 % of current revenue, about 35 %
-- of the last twelve months' invoices, since it grew fast).
INSERT INTO accounts
SELECT 1287, 'Meridian Airways', 'aviation', 'UK & Ireland', 0.20, '2022-08-19', 3, '2025-08-19',
  9.0, 0.46, 1.0, 2, 41,
  round(0.58 * (SELECT sum(current_revenue) FROM accounts) / 1000) * 1000 AS revenue,
  round(0.58 * (SELECT sum(current_revenue) FROM accounts) / 1000 / 0.8) * 1000,
  0;

-- Invoices: each account is billed n lines a month (more for larger accounts) from the
-- month after it joined. Monthly revenue grows linearly to today's rate from (1 - growth)
-- of it 23 months ago; each line is its share of the month +-30 %. About 0.5 % of lines
-- get a credit note 3-12 days later (a refund of 20-100 % of the line).
CREATE TEMP TABLE billing AS
SELECT customer_id AS id, current_revenue AS revenue, customer_since,
  CASE WHEN customer_id = 1287 THEN 0.45
       ELSE -0.1 + 0.5 * (SELECT u FROM noise WHERE k = customer_id * 32 + 13) END AS growth,
  CASE WHEN customer_since < '2023-07-01' THEN 0
       ELSE (CAST(strftime('%Y', customer_since) AS INTEGER) - 2023) * 12
            + CAST(strftime('%m', customer_since) AS INTEGER) - 7 + 1 END AS first_month,
  CASE WHEN customer_id = 1287 THEN 6
       ELSE 1 + CAST((SELECT u FROM noise WHERE k = customer_id * 32 + 14) * 3 AS INTEGER)
            + (current_revenue >= 25000) + (current_revenue >= 100000) END AS lines_per_month
FROM accounts;

CREATE TEMP TABLE invoice_draft AS
WITH RECURSIVE
  months(m) AS (SELECT 0 UNION ALL SELECT m + 1 FROM months WHERE m < 23),
  line_no(j) AS (SELECT 1 UNION ALL SELECT j + 1 FROM line_no WHERE j < 6),
  slots AS (
    SELECT b.id, m.m, l.j, b.revenue, b.growth, b.lines_per_month,
      100000 + ((b.id * 24 + m.m) * 6 + l.j - 1) * 2 AS key
    FROM billing b
    JOIN months m ON m.m >= b.first_month AND m.m <= 23
    JOIN line_no l ON l.j <= b.lines_per_month),
  drawn AS (
    SELECT s.*, n0.u AS u0, n1.u AS u1
    FROM slots s JOIN noise n0 ON n0.k = s.key JOIN noise n1 ON n1.k = s.key + 1)
SELECT id, m, j,
  date('2023-07-01', '+' || m || ' months', '+' || CAST(u0 * 28 AS INTEGER) || ' days') AS day,
  round(revenue / 12.0 * (1 - growth * (23 - m) / 23.0) / lines_per_month * (0.7 + 0.6 * u1), 2)
    AS amount,
  -- the fractional digits of the draws left after the day and the amount are two more draws
  u0 * 28 - CAST(u0 * 28 AS INTEGER) AS u_credit,
  u1 * 10 - CAST(u1 * 10 AS INTEGER) AS u_refund
FROM drawn;

INSERT INTO invoices (customer_id, invoice_date, amount)
SELECT id, day, amount FROM (
  SELECT id, day, amount, m, j, 0 AS kind FROM invoice_draft
  UNION ALL
  SELECT id, min(date(day, '+' || (3 + CAST(u_refund * 10 AS INTEGER)) || ' days'), '2025-06-30'),
         -round(amount * (0.2 + 0.8 * u_refund), 2), m, j, 1
  FROM invoice_draft WHERE u_credit < 0.005)
ORDER BY day, id, m, j, kind;

-- @begin account-history
-- The history a learnt risk model is fitted on: 3,000 accounts observed on 2024-06-30 (a year
-- before the as-of date; many have left since, so they are not in `accounts`) and whether
-- each churned within the year after. The outcome follows a hidden rule, so a fitted model
-- has something true to find: log-odds of churn =
--   -1.6 + 3 * (0.45 - adoption) + 0.9 when at most one stakeholder was contacted
--   + 0.012 * (days_since_contact - 45) + 0.9 when the renewal was under 90 days away
--   + 0.6 on the Basic plan - 0.7 on Enterprise + 0.12 * (support_tickets - 3)
--   + 0.6 in travel, aviation, hospitality or events;
-- monthly_charge plays no part (a factor with nothing to find), and is unknown for 5 %.
CREATE TABLE account_history (
  customer_id            INTEGER PRIMARY KEY,
  observed_on            TEXT NOT NULL,
  industry               TEXT NOT NULL,
  plan                   TEXT NOT NULL,
  adoption               REAL NOT NULL CHECK (adoption BETWEEN 0 AND 1),
  stakeholders_contacted INTEGER NOT NULL CHECK (stakeholders_contacted BETWEEN 0 AND 5),
  days_since_contact     INTEGER NOT NULL CHECK (days_since_contact >= 0),
  days_to_renewal        INTEGER NOT NULL,
  support_tickets        INTEGER NOT NULL CHECK (support_tickets >= 0),
  monthly_charge         REAL,
  churned                INTEGER NOT NULL CHECK (churned IN (0, 1))
);
INSERT INTO account_history
WITH d AS (
  SELECT (k - 680000) / 10 + 10001 AS id,
    max(CASE k % 10 WHEN 0 THEN u END) AS u0, max(CASE k % 10 WHEN 1 THEN u END) AS u1,
    max(CASE k % 10 WHEN 2 THEN u END) AS u2, max(CASE k % 10 WHEN 3 THEN u END) AS u3,
    max(CASE k % 10 WHEN 4 THEN u END) AS u4, max(CASE k % 10 WHEN 5 THEN u END) AS u5,
    max(CASE k % 10 WHEN 6 THEN u END) AS u6, max(CASE k % 10 WHEN 7 THEN u END) AS u7,
    max(CASE k % 10 WHEN 8 THEN u END) AS u8, max(CASE k % 10 WHEN 9 THEN u END) AS u9
  FROM noise WHERE k BETWEEN 680000 AND 709999 GROUP BY (k - 680000) / 10),
facts AS (
  SELECT d.id, i.industry,
    CASE WHEN d.u1 < 0.45 THEN 'Basic' WHEN d.u1 < 0.85 THEN 'Pro' ELSE 'Enterprise' END AS plan,
    round(0.05 + 0.9 * (d.u2 + d.u3) / 2, 2) AS adoption,
    CAST(d.u4 * 6 AS INTEGER) AS stakeholders,
    CAST(d.u5 * d.u5 * 150 AS INTEGER) AS days_since_contact,
    CAST(d.u6 * 395 AS INTEGER) - 30 AS days_to_renewal,
    CAST(d.u7 * d.u7 * 12 AS INTEGER) AS tickets,
    CASE WHEN d.u8 < 0.05 THEN NULL ELSE round(50 + 950 * d.u8 * d.u8, 2) END AS charge,
    d.u9 AS u_outcome
  FROM d JOIN industry_mix i ON d.u0 >= i.lo AND d.u0 < i.hi)
SELECT id, '2024-06-30', industry, plan, adoption, stakeholders, days_since_contact,
  days_to_renewal, tickets, charge,
  u_outcome < 1 / (1 + exp(-(-1.6 + 3 * (0.45 - adoption) + 0.9 * (stakeholders <= 1)
    + 0.012 * (days_since_contact - 45) + 0.9 * (days_to_renewal < 90)
    + 0.6 * (plan = 'Basic') - 0.7 * (plan = 'Enterprise') + 0.12 * (tickets - 3)
    + 0.6 * (industry IN ('travel', 'aviation', 'hospitality', 'events')))))
FROM facts;
-- @end account-history

-- @begin effort
-- A year of effort (the review period, 2024-07-01 to 2025-06-30): one row per account and
-- month it was a customer, the hours the team spent on it. Effort grows slower than revenue
-- (a full year's hours are proportional to revenue^0.9, +-40 %; a month gets a twelfth of
-- them, +-30 %), so small accounts cost more per unit of revenue; a full year of the other
-- accounts adds up to 133,000 hours (11.3 M at the hourly cost of 85). Then three departures from that rule, the ones the cost of
-- dependence box exists for:
--   the whale takes 1.35 times the hours of all the other accounts together (57 % of the
--     team's time for about 34 % of the period's revenue);
--   the small accounts (under 12,000 a year) whose draw id*32+16 is below 0.03 cost 1.6 to
--     2.6 times their revenue to serve;
--   customer 2001, a pilot with no invoices yet, took 400 hours.
-- About 5 % of the rows were worked by contractors and carry their own cost (120 an hour);
-- the others are costed at review_settings.hourly_cost.
CREATE TABLE effort (
  effort_id   INTEGER PRIMARY KEY,
  customer_id INTEGER NOT NULL,
  effort_date TEXT NOT NULL CHECK (date(effort_date) = effort_date),
  hours       REAL NOT NULL CHECK (hours >= 0),
  cost        REAL CHECK (cost >= 0)
);
CREATE TEMP TABLE effort_year AS
WITH weights AS (
  SELECT customer_id AS id, current_revenue AS revenue,
    pow(current_revenue, 0.9) * (0.6 + 0.8 * (SELECT u FROM noise WHERE k = customer_id * 32 + 15))
      AS w,
    (SELECT u FROM noise WHERE k = customer_id * 32 + 16) AS u_costly,
    max(0, (CAST(strftime('%Y', customer_since) AS INTEGER) - 2024) * 12
           + CAST(strftime('%m', customer_since) AS INTEGER) - 7 + 1) AS first_month
  FROM accounts WHERE customer_id <> 1287),
others AS (
  SELECT id, first_month,
    CASE WHEN revenue < 12000 AND u_costly < 0.005
         THEN revenue / 85.0 * (1.6 + 200 * u_costly)
         ELSE 133000 * w / (SELECT sum(w) FROM weights) END AS hours
  FROM weights)
SELECT * FROM others
UNION ALL SELECT 1287, 0, 1.35 * (SELECT sum(hours) FROM others)
UNION ALL SELECT 2001, 8, 1200;

INSERT INTO effort (customer_id, effort_date, hours, cost)
WITH RECURSIVE months(m) AS (SELECT 0 UNION ALL SELECT m + 1 FROM months WHERE m < 11),
drawn AS (
  SELECT y.id, m.m, y.hours / 12 AS monthly, n.u
  FROM effort_year y JOIN months m ON m.m >= y.first_month
  JOIN noise n ON n.k = 710000 + y.id * 12 + m.m)
SELECT id,
  date('2024-07-01', '+' || m || ' months', '+' || CAST(u * 28 AS INTEGER) || ' days'),
  max(0.25, round(monthly * (0.7 + 0.6 * u) * 4) / 4) AS hours,
  CASE WHEN u * 100 - CAST(u * 100 AS INTEGER) < 0.05
       THEN round(max(0.25, round(monthly * (0.7 + 0.6 * u) * 4) / 4) * 120, 2) END
FROM drawn
ORDER BY 2, 1;
DROP TABLE effort_year;
-- @end effort

DROP TABLE noise;
DROP TABLE industry_mix;
DROP TABLE region_mix;
DROP TABLE draws;
DROP TABLE name_words;
DROP TABLE account_draft;
DROP TABLE billing;
DROP TABLE invoice_draft;

CREATE INDEX invoices_by_date ON invoices(invoice_date);
CREATE INDEX invoices_by_customer ON invoices(customer_id);
CREATE INDEX effort_by_date ON effort(effort_date);
COMMIT;
ANALYZE;
