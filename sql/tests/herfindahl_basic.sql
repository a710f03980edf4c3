.mode list
-- herfindahl(amount): one row per customer. 30/30/20/20: 900 + 900 + 400 + 400 = 2600
SELECT herfindahl(column1) FROM (VALUES (30), (30), (20), (20));
-- one customer holds everything: 100^2
SELECT herfindahl(5);
-- two equal customers (REAL): 50^2 + 50^2
SELECT herfindahl(column1) FROM (VALUES (1.5), (1.5));
-- amounts <= 0 hold no share: only 3 and 1 count, 75^2 + 25^2 = 5625 + 625
SELECT herfindahl(column1) FROM (VALUES (3), (0), (-2), (1));
-- numeric TEXT, as CSV imports store it: still 30/30/20/20
SELECT herfindahl(column1) FROM (VALUES ('30'), (' 30 '), ('2e1'), ('20.0'));
-- keyed form: a 10+20 = 30, b 30, c 25-5 = 20, d 20; e nets to 0 and f to -7: left out
CREATE TABLE inv(customer, amount);
INSERT INTO inv VALUES ('a', 10), ('a', 20), ('b', 30), ('c', 25), ('c', -5), ('d', 20), ('e', 5), ('e', -5), ('f', -7);
SELECT herfindahl(customer, amount) FROM inv;
-- the keyed form equals the unkeyed one over GROUP BY totals
SELECT herfindahl(total) FROM (SELECT sum(amount) AS total FROM inv GROUP BY customer);
-- 1 and 1.0 are one customer (as in GROUP BY), '1' is another: 1+1 = 2 and 2: 5000
SELECT herfindahl(column1, column2) FROM (VALUES (1, 1), (1.0, 1), ('1', 2));
-- per group
WITH t(region, amount) AS (VALUES ('N', 1), ('N', 1), ('S', 4)) SELECT region, herfindahl(amount) FROM t GROUP BY region;
-- window, running and sliding (ROWS 1 PRECEDING) over amounts 1, 1, 3:
--   running: {1} 10000; {1,1} 5000; {1,1,3} total 5: 20^2 + 20^2 + 60^2 = 4400
--   sliding: {1} 10000; {1,1} 5000; {1,3}: 25^2 + 75^2 = 6250
WITH t(id, amount) AS (VALUES (1, 1), (2, 1), (3, 3))
SELECT id, herfindahl(amount) OVER (ORDER BY id), herfindahl(amount) OVER (ORDER BY id ROWS 1 PRECEDING) FROM t;
-- keyed window: rows a 2, a 2, b 4, a -4
--   running: {a 2} 10000; {a 4} 10000; {a 4, b 4} 5000; {a 0, b 4} 10000 (a holds nothing)
--   sliding: {a 2} 10000; {a 4} 10000; {a 2, b 4}: 10000 * 20/36 = 5555.555...; {b 4, a -4} 10000
WITH t(id, customer, amount) AS (VALUES (1, 'a', 2), (2, 'a', 2), (3, 'b', 4), (4, 'a', -4))
SELECT id, herfindahl(customer, amount) OVER (ORDER BY id), herfindahl(customer, amount) OVER (ORDER BY id ROWS 1 PRECEDING) FROM t;
