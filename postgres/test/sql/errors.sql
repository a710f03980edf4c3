-- Every error names the function, the argument and the bad value.
SELECT top_share(a, 0) FROM (VALUES (1), (2)) v(a);
SELECT top_share(k, a, -2) FROM (VALUES (1, 1)) v(k, a);
SELECT top_share(a, NULL) FROM (VALUES (1)) v(a);
SELECT top_share(a, n) FROM (VALUES (1, 1), (2, 2)) v(a, n);
SELECT herfindahl(a) FROM (VALUES ('NaN'::float8)) v(a);
SELECT gini(k, a) FROM (VALUES (1, 'Infinity'::numeric)) v(k, a);
SELECT herfindahl(k, a) FROM (VALUES (1, 'Infinity'::float8)) v(k, a);
SELECT hhi_band(10001);
SELECT hhi_band(-1);
SELECT hhi_band(1000, 2000);
SELECT hhi_band('NaN');
-- A numeric without a declared scale is counted exactly in units of its finest scale: an
-- amount or a customer's total beyond 64 bits of those units is an error naming the value.
SELECT herfindahl(k, a) FROM (VALUES (1, 12345678901234567890.5)) v(k, a);
SELECT herfindahl(a) FROM (VALUES (12345678901234567890.5)) v(a);
SELECT gini(k, a) FROM (VALUES (1, 9000000000000000000), (1, 0.5)) v(k, a);
SELECT top_share(k, a, 1) FROM (VALUES (1, 9000000000000000000.0), (1, 9000000000000000000)) v(k, a);
-- ... but a total that passes 2^63 units on the way and comes back is exact (serial plan):
SELECT herfindahl(k, a) FROM (VALUES (1, 9000000000000000000.0), (1, 9000000000000000000),
  (1, -9000000000000000000), (2, 9000000000000000000)) v(k, a);
-- More than 18 decimals: rounded to 18 (half away from zero, as round(a, 18)), so
-- 0.0000000000000000005 counts as 0.000000000000000001 (HHI 5000, not 5555.6), and
-- 0.0000000000000000004 as 0 (no share: NULL); the result does not depend on the order.
SELECT herfindahl(k, a ORDER BY o) AS hhi, herfindahl(k, a ORDER BY -o) AS reversed,
       herfindahl(a) AS unkeyed
  FROM (VALUES (1, 1, 0.0000000000000000005), (2, 2, 0.000000000000000001)) v(o, k, a);
SELECT herfindahl(k, a) AS none FROM (VALUES (1, 0.0000000000000000004)) v(k, a);
-- 9e18 and 1e-18: units of 10^-18, in which 9e18 does not fit (in either order)
SELECT herfindahl(k, a) FROM (VALUES ('a', 9000000000000000000), ('b', 0.000000000000000001)) v(k, a);
SELECT herfindahl(k, a) FROM (VALUES ('b', 0.000000000000000001), ('a', 9000000000000000000)) v(k, a);
