-- risk_fit(outcome, factor, value, ... [, 'options', json]): the SQLite extension's rules
-- and messages (the expected messages are those of tests/test_risk_fit.c for SQLite; the
-- models themselves are compared with SQLite's byte for byte by tests/pg_compare.py).
-- 12 rows: y = 1 for i in 1..4 and 9, 10 (6 of each outcome).
SET extra_float_digits = 0;
CREATE TABLE h AS
  SELECT i, (i <= 4 OR i IN (9, 10))::int AS y, i * 10 AS x,
         CASE i % 3 WHEN 0 THEN 'a' WHEN 1 THEN 'b' ELSE 'c' END AS plan
  FROM generate_series(1, 12) AS i;
-- the arguments
SELECT risk_fit(y) FROM h;
SELECT risk_fit(y, 'x') FROM h;
SELECT risk_fit(y, 'x', x, 'options') FROM h;
SELECT risk_fit(y, 'options', '{}', 'x', x) FROM h;
SELECT risk_fit(y, 'weights', x) FROM h;
SELECT risk_fit(y, 'Model', x) FROM h;
SELECT risk_fit(y, '2x', x) FROM h;
SELECT risk_fit(y, 7, x) FROM h;
SELECT risk_fit(y, 'x', x, 'X', plan) FROM h;
SELECT risk_fit(y, CASE WHEN i < 5 THEN 'x' ELSE 'z' END, x) FROM h;
SELECT risk_fit(y, 'x', x, 'options', CASE WHEN i < 5 THEN '{}' ELSE '{"l2": 2}' END) FROM h;
SELECT risk_fit(VARIADIC ARRAY[1, 2, 3]) FROM h;
-- the values
SELECT risk_fit(i % 3, 'x', x) FROM h;
SELECT risk_fit(CASE WHEN i = 5 THEN 'yes' ELSE '1' END, 'x', x) FROM h;
SELECT risk_fit(y, 'x', '\x00'::bytea) FROM h;
SELECT risk_fit(y, 'x', 'Infinity'::float8) FROM h;
SELECT risk_fit(y, 'x', 'NaN'::numeric) FROM h;
SELECT risk_fit(y, 'adoption', x) FROM h;
SELECT risk_fit(y, 'adoption', plan) FROM h;
SELECT risk_fit(y, 'contract_year', 1.5) FROM h;
SELECT risk_fit((i = 1)::int, 'x', x) FROM h;
SELECT risk_fit(1, 'x', x) FROM h;
-- the options
SELECT risk_fit(y, 'x', x, 'options', '{bad') FROM h;
SELECT risk_fit(y, 'x', x, 'options', '[1]') FROM h;
SELECT risk_fit(y, 'x', x, 'options', 5) FROM h;
SELECT risk_fit(y, 'x', x, 'options', '{"bin": 3}') FROM h;
SELECT risk_fit(y, 'x', x, 'options', '{"bins": 3, "bins": 4}') FROM h;
SELECT risk_fit(y, 'x', x, 'options', '{"bins": 21}') FROM h;
SELECT risk_fit(y, 'x', x, 'options', '{"bins": 2.5}') FROM h;
SELECT risk_fit(y, 'x', x, 'options', '{"min_share": 0.6}') FROM h;
SELECT risk_fit(y, 'x', x, 'options', '{"l2": -1}') FROM h;
SELECT risk_fit(y, 'x', x, 'options', '{"l2": "1"}') FROM h;
SELECT risk_fit(y, 'x', x, 'options', '{"monotone": "x"}') FROM h;
SELECT risk_fit(y, 'x', x, 'options', '{"monotone": [1]}') FROM h;
SELECT risk_fit(y, 'x', x, 'options', '{"monotone": ["z"]}') FROM h;
SELECT risk_fit(y, 'plan', plan, 'options', '{"monotone": ["PLAN"]}') FROM h;
-- the fit failing: x <= 40 all outcome 1 bar none after (bins separate); a factor twice
SELECT risk_fit(y, 'x', x, 'options', '{"l2": 0, "bins": 12, "min_share": 0}') FROM h;
SELECT risk_fit(y, 'p', plan, 'q', plan, 'options', '{"l2": 0}') FROM h;
SELECT risk_fit(k % 2, 'id', 'v' || k, 'options', '{"min_share": 0}')
  FROM generate_series(1, 1080) AS k;
-- NULLs and results: no rows, or only NULL (or '') outcomes: NULL
SELECT risk_fit(y, 'x', x) IS NULL AS no_rows FROM h WHERE false;
SELECT risk_fit(NULL::int, 'x', x) IS NULL AS null_outcomes FROM h;
SELECT risk_fit('', 'x', x) IS NULL AS empty_outcomes FROM h;
-- 12 accounts, 6 outcomes; a NULL outcome row is not counted (5)
SELECT risk_fit(y, 'x', x) ->> 'accounts' AS accounts FROM h;
SELECT risk_fit(CASE WHEN i = 1 THEN NULL ELSE y END, 'x', x) ->> 'outcomes' AS outcomes FROM h;
-- outcomes as boolean, numeric 1.0 / 0.0 and text '1': all read as 0 and 1
SELECT risk_fit(y = 1, 'x', x) ->> 'outcomes' AS bools,
       risk_fit(y::numeric(3, 1), 'x', x) ->> 'outcomes' AS numerics,
       risk_fit(y::text, 'x', x) ->> 'outcomes' AS texts FROM h;
-- a text needing escapes comes back as the same string; the name kept as written
SELECT risk_fit(y, 'plan', CASE WHEN i < 7 THEN E'a"b\\\t' ELSE 'c' END)
         -> 'factors' -> 0 -> 'bins' -> 0 -> 'value' AS escaped FROM h;
SELECT risk_fit(y, 'Adoption', x / 200.0) -> 'factors' -> 0 -> 'factor' AS name FROM h;
-- options as text, json or jsonb; industry takes names (categorical)
SELECT risk_fit(y, 'x', x, 'options', '{"bins": 2}') -> 'fit' -> 'bins' AS text_options,
       risk_fit(y, 'x', x, 'options', '{"bins": 3}'::json) -> 'fit' -> 'bins' AS json_options,
       risk_fit(y, 'x', x, 'options', '{"bins": 4}'::jsonb) -> 'fit' -> 'bins' AS jsonb_options
  FROM h;
SELECT risk_fit(y, 'industry', plan) -> 'factors' -> 0 ->> 'kind' AS kind FROM h;
-- numeric text stays numeric; a date is read by its text, as SQLite would store it
SELECT risk_fit(y, 'x', x::text) -> 'factors' -> 0 ->> 'kind' AS numeric_text,
       risk_fit(y, 'd', date '2024-01-01' + (i % 2)) -> 'factors' -> 0 ->> 'kind' AS dates
  FROM h;
-- the same rows in any order, or under a parallel plan, give the same model
CREATE TABLE hist AS
  SELECT k, (k * 7919 % 13 < 4)::int AS churned, (k * 31 % 97)::float8 / 4 AS tenure,
         CASE k % 4 WHEN 0 THEN 'monthly' WHEN 1 THEN 'yearly' WHEN 2 THEN NULL ELSE '' END AS plan
  FROM generate_series(1, 20000) AS k;
ANALYZE hist;
CREATE TABLE serial_fit AS
  SELECT risk_fit(churned, 'tenure', tenure, 'plan', plan)::text AS m FROM hist;
SELECT (SELECT risk_fit(churned, 'tenure', tenure, 'plan', plan)::text
          FROM (SELECT * FROM hist ORDER BY k DESC) r) = m AS reversed_same FROM serial_fit;
SET force_parallel_mode = on;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
-- each worker collects its rows; the parts are merged by the core (Partial / Finalize)
EXPLAIN (COSTS OFF) SELECT risk_fit(churned, 'tenure', tenure, 'plan', plan) FROM hist;
SELECT risk_fit(churned, 'tenure', tenure, 'plan', plan)::text = (SELECT m FROM serial_fit)
  AS parallel_same FROM hist;
-- the leader only gathering: every row comes from a worker's part
SET parallel_leader_participation = off;
SELECT risk_fit(churned, 'tenure', tenure, 'plan', plan, 'options', '{"monotone": ["tenure"]}')::text
       = (SELECT risk_fit(churned, 'tenure', tenure, 'plan', plan, 'options',
                          '{"monotone": ["tenure"]}')::text FROM (SELECT * FROM hist LIMIT 100000) s)
  AS parallel_same_options FROM hist;
-- parts that named other factors fail as a later row would (whichever part came first)
DO $$
BEGIN
  PERFORM risk_fit(churned, CASE WHEN k <= 10000 THEN 'a' ELSE 'b' END, tenure) FROM hist;
EXCEPTION WHEN OTHERS THEN
  RAISE NOTICE 'same message: %', SQLERRM ~ '^risk_fit: factor 1 is ''[ab]'' in this row but ''[ab]'' in the first row$';
END $$;
RESET parallel_leader_participation;
RESET force_parallel_mode;
RESET parallel_setup_cost;
RESET parallel_tuple_cost;
RESET min_parallel_table_scan_size;
RESET max_parallel_workers_per_gather;
-- the model scores accounts in risk_score('model', ...): a 0-100 score for each
SELECT count(*) AS scored, bool_and(s > 0 AND s < 100) AS in_range
  FROM (SELECT risk_score('model', m, 'tenure', tenure, 'plan', plan) AS s
          FROM hist, serial_fit) t;
-- the final function fits in place (FINALFUNC_MODIFY = READ_WRITE): PostgreSQL refuses it
-- as a window function, and two equal calls in one query each get their own state
SELECT risk_fit(y, 'x', x) OVER (ORDER BY i) FROM h;
SELECT a::text = b::text AS same_twice
  FROM (SELECT risk_fit(y, 'x', x) AS a, risk_fit(y, 'x', x) AS b FROM h) t;
DROP TABLE h, hist, serial_fit;
