-- auc(score, outcome) and lift(score, outcome, fraction): the SQLite extension's rules.
-- positives score 2 and 3, negatives 1 and 2: pairs won 1 + 1 + 1 + 0.5 (the tie) of 4
SELECT auc(s, y) FROM (VALUES (1, 0), (2, 1), (2, 0), (3, 1)) t(s, y);
-- perfect, reversed and all-tied rankings: 1, 0, 0.5; boolean, numeric and text arguments
SELECT auc(s, y) AS perfect, auc(-s, y) AS reversed, auc(1, y) AS tied,
       auc(s::numeric / 3, y = 1) AS numeric_bool, auc(s::text, y::text) AS text_args
  FROM (VALUES (1, 0), (2, 0), (3, 1), (4, 1)) t(s, y);
-- NULL or '' skips the row; no rows, or one outcome only: NULL
SELECT auc(s, y) FROM (VALUES (1, 0), (NULL, 1), (3, NULL), (4, 1)) t(s, y);
SELECT auc(s, y) IS NULL AS one_outcome FROM (VALUES (1, 1), (2, 1)) t(s, y);
SELECT auc(s, y) IS NULL AS no_rows, lift(s, y, 0.5) IS NULL AS no_rows_lift
  FROM (VALUES (1, 1)) t(s, y) WHERE false;
-- lift: 10 rows, 3 positive (rate .3); the top 20% are both positive: 1 / .3 = 3.33...
CREATE TABLE ten AS SELECT i AS s, (i >= 9 OR i = 1)::int AS y FROM generate_series(1, 10) i;
SELECT round(lift(s, y, 0.2)::numeric, 12) AS top20, lift(s, y, 1) AS everything,
       round(lift(s, y, 0.5)::numeric, 12) AS top_half FROM ten;
-- ties at the cut count in proportion: 4 rows score 5 (2 positive), 6 score 1 (none);
-- the top 2 take half the tied group: 1 positive of 2 rows over a rate of .2 -> 2.5
SELECT lift(s, y, 0.2) FROM (VALUES (5, 1), (5, 1), (5, 0), (5, 0), (1, 0), (1, 0), (1, 0),
  (1, 0), (1, 0), (1, 0)) t(s, y);
-- A forced parallel plan: Partial and Finalize Aggregate, and the serial answer to the bit.
CREATE TABLE scored AS
  SELECT ((i * 7919) % 1000) / 10.0 AS score, ((i::bigint * 104729) % 7 < 3)::int AS y
  FROM generate_series(1, 100000) i;
ANALYZE scored;
CREATE TABLE serial_ranking AS SELECT auc(score, y) AS a, lift(score, y, 0.1) AS l FROM scored;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET force_parallel_mode = on;
EXPLAIN (COSTS OFF) SELECT auc(score, y), lift(score, y, 0.1) FROM scored;
SELECT s.a = p.a AS auc_equal, s.l = p.l AS lift_equal
  FROM serial_ranking s, (SELECT auc(score, y) AS a, lift(score, y, 0.1) AS l FROM scored) p;
RESET force_parallel_mode;
RESET max_parallel_workers_per_gather;
-- Errors name the function, the argument and the value, as in SQLite.
SELECT auc(s, y) FROM (VALUES (1, 2)) t(s, y);
SELECT auc(s, y) FROM (VALUES (1, 0.5)) t(s, y);
SELECT auc(s, y) FROM (VALUES ('high', 1)) t(s, y);
SELECT auc(s, 1) FROM (VALUES ('NaN'::float8)) t(s);
SELECT auc(s, 1) FROM (VALUES ('2024-01-31'::date)) t(s);
SELECT lift(1, 1, 0);
SELECT lift(1, 1, NULL);
SELECT lift(1, 1, 1.5);
SELECT lift(s, 1, f) FROM (VALUES (1, 0.1), (2, 0.2)) t(s, f);
