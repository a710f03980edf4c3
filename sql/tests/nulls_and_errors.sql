.mode list
-- NULL and '' amounts skip the row: what is left is 30/30/20/20
SELECT herfindahl(column1), top_share(column1, 1), gini(column1) FROM (VALUES (NULL), (30), (''), (30), (20), (20));
-- keyed forms: a NULL or '' customer skips the row too (the 9s are not counted)
SELECT herfindahl(column1, column2), top_share(column1, column2, 1), gini(column1, column2) FROM (VALUES ('a', 30), (NULL, 9), ('b', 30), ('', 9), ('c', 20), ('d', 20), ('d', NULL));
-- no rows, only NULLs, nothing positive, or a customer netting to zero: NULL
SELECT quote(herfindahl(x)), quote(top_share(x, 1)), quote(gini(x)) FROM (SELECT 1 AS x WHERE 0);
SELECT quote(herfindahl(column1)), quote(top_share(column1, 1)), quote(gini(column1)) FROM (VALUES (NULL), (''));
SELECT quote(herfindahl(column1)), quote(top_share(column1, 1)), quote(gini(column1)) FROM (VALUES (0), (-5));
SELECT quote(herfindahl(column1, column2)), quote(top_share(column1, column2, 1)), quote(gini(column1, column2)) FROM (VALUES ('a', 5), ('a', -5));
SELECT quote(hhi_band(NULL)), quote(hhi_band(NULL, 2010)), quote(hhi_band(5000, NULL)), quote(hhi_band(''));
SELECT count(*) FROM concentration(NULL);
-- errors name the function, the argument and the value
SELECT herfindahl(column1) FROM (VALUES (1), ('abc'));
SELECT herfindahl('a', x'0102');
SELECT herfindahl('a very long value that goes on and on past forty characters');
SELECT gini(1e999);
SELECT gini('c', '12abc');
SELECT top_share('abc', 1);
SELECT top_share(column1, 0) FROM (VALUES (1));
SELECT top_share(column1, -1) FROM (VALUES (1));
SELECT top_share(column1, 1.5) FROM (VALUES (1));
SELECT top_share(column1, NULL) FROM (VALUES (1));
SELECT top_share(column1, 'two') FROM (VALUES (1));
SELECT top_share('a', column1, 0) FROM (VALUES (1));
SELECT top_share(column1, column2) FROM (VALUES (1, 1), (2, 2));
SELECT hhi_band(-1);
SELECT hhi_band(10000.5);
SELECT hhi_band('high');
SELECT hhi_band(1000, 2011);
SELECT hhi_band(1000, 'latest');
SELECT * FROM concentration();
SELECT * FROM concentration('SELECT 1, 2; SELECT 3, 4');
SELECT * FROM concentration('CREATE TABLE t(customer, amount)');
SELECT * FROM concentration('SELECT 1');
SELECT * FROM concentration('SELECT 1, 2, 3');
SELECT * FROM concentration('');
SELECT * FROM concentration('SELEC 1, 2');
SELECT * FROM concentration('SELECT 1, ''n/a''');
-- the query may not write, so nothing was created above
SELECT count(*) FROM sqlite_schema;
