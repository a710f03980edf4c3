-- concentration(query): totals 40/30/20/10 (worked by hand): shares 0.4/0.3/0.2/0.1,
-- running shares before each 0/0.4/0.7/0.9 give classes A, A, A, B; all four are major
-- (share >= 0.10); hhi_points 1600/900/400/100 (HHI 3000); without the largest, totals
-- 30/20/10 of 60 give 10000 * (900+400+100)/3600 = 3888.89.
CREATE TABLE sales (customer text, amount bigint);
INSERT INTO sales VALUES ('b', 20), ('b', 10), ('a', 40), ('c', 25), ('c', -5), ('d', 10),
  ('e', 5), ('e', -5), ('f', -1), (NULL, 99), ('a', NULL);
SELECT rank, customer, amount, round(share::numeric, 6) AS share,
       round(cumulative_share::numeric, 6) AS cumulative, pareto_class, major,
       round(hhi_points::numeric, 6) AS points, round(hhi_without::numeric, 4) AS without
  FROM concentration('SELECT customer, amount FROM sales');
-- Ties ordered by customer key; numeric fractional amounts; one customer: hhi_without NULL.
SELECT rank, customer, amount FROM concentration(
  'SELECT k, a FROM (VALUES (3, 1.5), (1, 2.0), (2, 1.5), (1, -0.5)) v(k, a)');
SELECT rank, customer, share, hhi_without IS NULL AS alone
  FROM concentration('SELECT ''only'', 5');
-- HHI without a customer that dwarfs the others (worked by hand): without 'big' (1e200)
-- two equal totals of 1e30 remain, 10000 * 2e60 / (2e30)^2 = 5000; without either small
-- one, 1e200 and 1e30 remain, 10000 * (1e400 + 1e60) / (1e200 + 1e30)^2 = 10000 to 1e-166.
-- Squaring the totals directly loses the 1e30s beside 1e400 and gave 0 for 'big'.
SELECT rank, customer, round(share::numeric, 6) AS share,
       round(hhi_without::numeric, 6) AS without
  FROM concentration('VALUES (''big'', 1e200), (''small'', 1e30), (''s2'', 1e30)');
-- 1e300 beside 1e-300: without either, one customer is left alone, HHI 10000 (the squares
-- 1e600 and 1e-600 are beyond the double range unless scaled).
SELECT rank, customer, round(hhi_without::numeric, 6) AS without
  FROM concentration('VALUES (''big'', 1e300), (''tiny'', 1e-300)');
SELECT count(*) FROM concentration('SELECT 1, 0 WHERE false');
SELECT count(*) FROM concentration(NULL);
-- Errors name the function and what is wrong.
SELECT * FROM concentration('SELECT 1, 2; SELECT 3, 4');
SELECT * FROM concentration('SELECT 1, 2, 3');
SELECT * FROM concentration('DELETE FROM sales RETURNING customer, amount');
SELECT * FROM concentration('INSERT INTO sales VALUES (''x'', 1)');
SELECT * FROM concentration('SELECT customer, ''abc''::text FROM sales');
SELECT * FROM concentration('SELEC 1');
SELECT count(*) AS untouched FROM sales;
-- A data-modifying CTE inside a SELECT is refused by SPI's read-only mode.
SELECT * FROM concentration('WITH d AS (DELETE FROM sales RETURNING *) SELECT customer, amount FROM d');
SELECT count(*) AS still_untouched FROM sales;
-- Numeric amounts are exact in the largest scale of the query's amounts: a nets
-- 0.1 + 0.25 - 0.35 = 0 and is left out, so b alone (amount 1.50, share 1); as doubles
-- a would keep 2.8e-17 (the exact sum of the doubles nearest 0.1, 0.25 and 0.35) and rank second.
SELECT rank, customer, amount, share FROM concentration(
  'VALUES (''a'', 0.1), (''a'', 0.25), (''b'', 1.5), (''a'', -0.35)');
