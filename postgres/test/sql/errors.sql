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
