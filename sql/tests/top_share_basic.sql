.mode list
-- top_share(amount, n): customers 50, 30, 20 (total 100)
--   n = 1: 50/100; n = 2: 80/100; n = 3: all of it; n = 5: fewer than n customers, 1.0
SELECT top_share(column1, 1), top_share(column1, 2), top_share(column1, 3), top_share(column1, 5) FROM (VALUES (20), (50), (30));
-- ties: four customers of 25, the top two hold half whichever two they are
SELECT top_share(column1, 2) FROM (VALUES (25), (25), (25), (25));
-- n may be written as TEXT or as an integral REAL
SELECT top_share(column1, '2'), top_share(column1, 2.0) FROM (VALUES (20), (50), (30));
-- amounts <= 0 hold no share: 6 and 2 remain, the top one holds 6/8
SELECT top_share(column1, 1) FROM (VALUES (6), (0), (-4), (2));
-- keyed: a 40+10 = 50, b 30, c 25-5 = 20, d -3 (left out): n = 1 -> 0.5, n = 2 -> 0.8
CREATE TABLE inv(customer, amount);
INSERT INTO inv VALUES ('a', 40), ('b', 30), ('a', 10), ('c', 25), ('c', -5), ('d', -3);
SELECT top_share(customer, amount, 1), top_share(customer, amount, 2) FROM inv;
-- the keyed form equals the unkeyed one over GROUP BY totals
SELECT top_share(total, 1), top_share(total, 2) FROM (SELECT sum(amount) AS total FROM inv GROUP BY customer);
-- window, running: {1} 1.0; {1, 3} 3/4; {1, 3, 4} 4/8
--         sliding ROWS 1 PRECEDING: {1} 1.0; {1, 3} 3/4; {3, 4} 4/7 = 0.571428571428571...
WITH t(id, amount) AS (VALUES (1, 1), (2, 3), (3, 4))
SELECT id, top_share(amount, 1) OVER (ORDER BY id), top_share(amount, 1) OVER (ORDER BY id ROWS 1 PRECEDING) FROM t;
-- keyed window, running: {a 1} 1.0; {a 1, b 3} 3/4; {a 5, b 3} 5/8
WITH t(id, customer, amount) AS (VALUES (1, 'a', 1), (2, 'b', 3), (3, 'a', 4))
SELECT id, top_share(customer, amount, 1) OVER (ORDER BY id) FROM t;
