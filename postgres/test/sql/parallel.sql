-- A forced parallel plan (PostgreSQL 15 names) gives Partial and Finalize Aggregate and the
-- same answers as the serial plan: the states travel through serialize/deserialize/combine.
CREATE TABLE big AS
  SELECT (i % 997) AS customer, ((i * 7919) % 1000 - 100)::bigint AS amount_i,
         ((i * 7919) % 1000 - 100) / 8.0 AS amount_n,
         (((i * 7919) % 1000 - 100) / 8.0)::float8 AS amount_d,
         'c' || (i % 501) AS tkey
  FROM generate_series(1, 200000) i;
ANALYZE big;
CREATE TABLE serial_answers AS
  SELECT herfindahl(customer, amount_i) AS h_i, herfindahl(tkey, amount_n) AS h_n,
         herfindahl(customer, amount_d) AS h_d, top_share(tkey, amount_i, 10) AS t10,
         gini(customer, amount_n) AS g_n, herfindahl(amount_i) AS hu, gini(amount_d) AS gu,
         top_share(amount_i, 5) AS tu, herfindahl(tkey, amount_n::numeric(12,3)) AS h_x,
         gini(amount_n::numeric(12,3)) AS g_x, herfindahl(amount_d) AS hu_d
  FROM big;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET force_parallel_mode = on;
EXPLAIN (COSTS OFF) SELECT herfindahl(customer, amount_i), top_share(tkey, amount_i, 10),
  gini(customer, amount_n), herfindahl(amount_i) FROM big;
CREATE TABLE parallel_answers AS
  SELECT herfindahl(customer, amount_i) AS h_i, herfindahl(tkey, amount_n) AS h_n,
         herfindahl(customer, amount_d) AS h_d, top_share(tkey, amount_i, 10) AS t10,
         gini(customer, amount_n) AS g_n, herfindahl(amount_i) AS hu, gini(amount_d) AS gu,
         top_share(amount_i, 5) AS tu, herfindahl(tkey, amount_n::numeric(12,3)) AS h_x,
         gini(amount_n::numeric(12,3)) AS g_x, herfindahl(amount_d) AS hu_d
  FROM big;
-- Integer amounts: equal to the last bit, and so are the HHIs of doubles (exact sums,
-- combined exactly; a customer's REAL total travels as exact pieces); others: to 1e-12
-- relative (their sums are compensated).
SELECT s.h_i = p.h_i AS hhi_int_equal, s.tu = p.tu AS top_unkeyed_equal,
       s.hu = p.hu AS hhi_unkeyed_equal, s.hu_d = p.hu_d AS hhi_unkeyed_double_equal,
       s.h_d = p.h_d AS hhi_keyed_double_equal,
       abs(s.h_n - p.h_n) <= 1e-12 * s.h_n AS hhi_numeric_close,
       abs(s.h_d - p.h_d) <= 1e-12 * s.h_d AS hhi_double_close,
       abs(s.t10 - p.t10) <= 1e-12 * s.t10 AS top_close,
       abs(s.g_n - p.g_n) <= 1e-12 * s.g_n AS gini_close,
       abs(s.gu - p.gu) <= 1e-12 * s.gu AS gini_unkeyed_close
  FROM serial_answers s, parallel_answers p;
-- numeric(12,3) amounts are counted exactly in thousandths: equal to the last bit, and the
-- keyed HHI equals the one worked in numeric arithmetic by plain SQL (to 1e-14).
SELECT s.h_x = p.h_x AS hhi_exact_numeric_equal, s.g_x = p.g_x AS gini_exact_numeric_equal,
       abs(p.h_x - (SELECT 10000 * sum(t * t) / (sum(t) * sum(t)) FROM (SELECT sum(amount_n) AS t
         FROM big GROUP BY tkey HAVING sum(amount_n) > 0) g)) <= 1e-14 * p.h_x AS hhi_exact_numeric_right
  FROM serial_answers s, parallel_answers p;
-- The parallel answer also equals the plain-SQL form.
SELECT abs(p.h_i - (SELECT 10000 * sum(t * t) / (sum(t) * sum(t))
  FROM (SELECT sum(amount_i)::numeric AS t FROM big GROUP BY customer HAVING sum(amount_i) > 0) g))
  <= 1e-9 AS matches_plain_sql FROM parallel_answers p;
