-- Worked by hand: customer totals 30/30/20/20 give HHI 900+900+400+400 = 2600, the two
-- largest hold 60/100 = 0.6, and Gini = (8 ordered pairs x 10) / (2 * 4^2 * 25) = 0.1.
CREATE EXTENSION portfolio;
SELECT portfolio_version();
CREATE TABLE inv (customer text, amount_i bigint, amount_n numeric, amount_d double precision);
INSERT INTO inv VALUES ('a', 10, 10.00, 10), ('a', 20, 20, 20), ('b', 30, 30, 30),
  ('c', 20, 20, 20), ('d', 25, 25.5, 25.5), ('d', -5, -5.5, -5.5),
  ('e', 7, 7, 7), ('e', -7, -7, -7),           -- nets to zero: no share, not counted
  ('f', -3, -3, -3),                           -- negative: no share
  (NULL, 100, 100, 100), ('', 100, 100, 100),  -- NULL and '' keys skip the row
  ('b', NULL, NULL, NULL);                     -- NULL amount skips the row
SELECT herfindahl(customer, amount_i) AS hhi_i, herfindahl(customer, amount_n) AS hhi_n,
       herfindahl(customer, amount_d) AS hhi_d FROM inv;
SELECT top_share(customer, amount_i, 2) AS top2_i, top_share(customer, amount_n, 2) AS top2_n,
       top_share(customer, amount_d, 2) AS top2_d, top_share(customer, amount_i, 10) AS top10
  FROM inv;
SELECT gini(customer, amount_i) AS gini_i, gini(customer, amount_n) AS gini_n,
       gini(customer, amount_d) AS gini_d FROM inv;
-- The keyed form equals the unkeyed one over the same rows grouped by customer.
SELECT herfindahl(t) AS hhi, top_share(t, 2) AS top2, gini(t) AS gini
  FROM (SELECT customer, sum(amount_i) AS t FROM inv WHERE customer <> '' GROUP BY customer) g;
SELECT herfindahl(t::double precision) AS hhi, herfindahl(t::numeric) AS hhi_n,
       herfindahl(t::integer) AS hhi_int
  FROM (SELECT customer, sum(amount_i) AS t FROM inv WHERE customer <> '' GROUP BY customer) g;
-- Keys of other types: integers, doubles (2.0 groups with 2), numerics (1.50 with 1.5), dates.
SELECT herfindahl(k, a) FROM (VALUES (1, 10), (1, 20), (2, 30), (3, 20), (4, 20)) v(k, a);
SELECT herfindahl(k, a) FROM (VALUES (1.0::float8, 15), (1, 15), (2.5, 30), (3, 20), (4, 20)) v(k, a);
SELECT herfindahl(k, a) FROM (VALUES (1.50, 15), (1.5, 15), (2, 30), (3, 20), (4, 20)) v(k, a);
SELECT herfindahl(k, a) FROM (VALUES ('2025-01-01'::date, 30), ('2025-01-02', 30),
  ('2025-01-03', 10), ('2025-01-03', 10), ('2025-01-04', 20)) v(k, a);
-- One customer: HHI 10000, Gini 0, top-1 share 1.
SELECT herfindahl(1, 5), gini('x'::text, 5), top_share('x'::text, 5::bigint, 1);
-- Empty input, only NULLs, only non-positive customers: NULL.
SELECT herfindahl(customer, amount_i) IS NULL AS empty_null FROM inv WHERE false;
SELECT herfindahl(amount_i) IS NULL, top_share(amount_i, 1) IS NULL, gini(amount_i) IS NULL
  FROM inv WHERE amount_i IS NULL;
SELECT herfindahl(customer, amount_i) IS NULL, gini(customer, amount_d) IS NULL
  FROM inv WHERE customer IN ('e', 'f');
-- Exact for integers: a nets 2^53+1 - 2^53 = 1, b has 1, so HHI 5000 (bigint, numeric);
-- as doubles 2^53+1 rounds to 2^53 on input, a nets 0 and b alone gives 10000.
SELECT herfindahl(k, a) AS exact_bigint, herfindahl(k, a::numeric) AS exact_numeric,
       herfindahl(k, a::float8) AS rounded_double
  FROM (VALUES ('a', 9007199254740993::bigint), ('a', -9007199254740992), ('b', 1)) v(k, a);
-- numeric(p, s) amounts are exact decimals (counted in units of 10^-s): a nets
-- 0.1 + 0.2 - 0.3 = 0 and holds no share, so b alone: Gini 0, HHI 10000. As doubles a keeps
-- 2.8e-17 (the doubles nearest 0.1, 0.2 and 0.3 do not cancel): a positive customer, Gini 0.5.
CREATE TABLE cents (k text, a numeric(12,2));
INSERT INTO cents VALUES ('a', 0.1), ('a', 0.2), ('a', -0.3), ('b', 1);
SELECT gini(k, a) AS exact_numeric, gini(k, a::float8) AS doubles,
       herfindahl(k, a) AS hhi_numeric, gini(k, a::numeric(20,6)) AS cast_numeric,
       top_share(k, a, 1) AS top1
  FROM cents;
-- a numeric without a scale is counted in the largest scale its values carry: exact
-- again (Gini 0), also when the scales differ and the finest comes last (0.1 + 0.25 -
-- 0.35 - 0.0001 + 0.0001 = 0, counted in units of 10^-1, then 10^-2, then 10^-4).
SELECT gini(k, a::numeric) AS unscaled_numeric FROM cents;
SELECT gini(k, a) AS mixed_scales, gini(k, a::float8) AS mixed_doubles
  FROM (VALUES (1, 'a', 0.1), (2, 'a', 0.25), (3, 'b', 1), (4, 'a', -0.35), (5, 'a', -0.0001),
               (6, 'a', 0.0001)) v(i, k, a);
-- 9e18 and 1e-18 need units of 10^-18, in which 9e18 is beyond 64 bits: an error (errors.sql)
-- rather than a double; cast to double precision they give HHI 10000.
SELECT herfindahl(a::float8) AS unkeyed_doubles, herfindahl(k, a::float8) AS keyed_doubles
  FROM (VALUES ('a', 9000000000000000000), ('b', 0.000000000000000001)) v(k, a);
-- trailing zeros do not make the unit finer: x / 8.0 has 16 decimals, of which 3 count
-- (99 / 8.0 = 12.375, 0.5 / 8.0 = 0.0625: units of 10^-4, in which 1e12 / 8.0 fits 64 bits)
SELECT herfindahl(k, a / 8.0) = herfindahl(k, (a / 8.0)::numeric(30, 4)) AS min_scale_unit,
       gini(k, a / 8.0) = gini(k, (a / 8.0)::numeric(30, 4)) AS min_scale_gini
  FROM (VALUES (1, 99.0), (2, 1e12), (1, 0.5), (3, 7)) v(k, a);
-- unkeyed top_share and gini of such numerics keep each value rounded once to a double,
-- not its units, which a recount (0.5 arriving after 876543210987654321) rounded again:
-- the same bits in both orders, and as the values cast to double precision
SELECT gini(a ORDER BY o) = gini(a ORDER BY o DESC) AS gini_order_free,
       gini(a ORDER BY o) = gini(a::float8) AS gini_as_doubles,
       top_share(a, 2 ORDER BY o) = top_share(a::float8, 2 ORDER BY o DESC) AS top_order_free
  FROM (VALUES (1, 876543210987654321), (2, 0.5), (3, 3)) v(o, a);
-- Grouped use.
SELECT customer < 'c' AS first_half, herfindahl(customer, amount_i)
  FROM inv WHERE customer <> '' GROUP BY 1 ORDER BY 1;
-- Over windows (the final function runs once per row): running totals 10 | 10,10 |
-- 10,10,20 give HHI 10000, 5000, 625+625+2500 = 3750; the moving 2-row top-1 share
-- 1, 0.5, 20/30; Gini over the whole frame of 10,10,20: (4 pairs x 10) / (2 * 9 * 40/3).
SELECT k, herfindahl(a) OVER w AS hhi, herfindahl(k, a) OVER w AS hhi_keyed,
       round(top_share(a, 1) OVER (ORDER BY k ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)::numeric, 6) AS top1,
       round(gini(k, a) OVER ()::numeric, 6) AS gini
  FROM (VALUES (1, 10), (2, 10), (3, 20)) v(k, a) WINDOW w AS (ORDER BY k) ORDER BY k;
