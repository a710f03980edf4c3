.mode list
-- gini(amount), population form: G = sum((2i - n - 1) * x_i) / (n * sum x), x sorted ascending
-- everyone equal: 0
SELECT gini(column1) FROM (VALUES (5), (5), (5), (5));
-- one customer: 0
SELECT gini(7);
-- 1, 3: (-1*1 + 1*3) / (2 * 4) = 0.25
SELECT gini(column1) FROM (VALUES (3), (1));
-- 1, 2, 3, 4 in any order: (-3 - 2 + 3 + 12) / (4 * 10) = 0.25
SELECT gini(column1) FROM (VALUES (4), (1), (3), (2));
-- 1, 1, 1, 5: (-3 - 1 + 1 + 15) / (4 * 8) = 0.375
SELECT gini(column1) FROM (VALUES (1), (5), (1), (1));
-- one large customer among small ones: 1, 1, 1, 97: (-3 - 1 + 1 + 291) / (4 * 100) = 0.72
SELECT gini(column1) FROM (VALUES (1), (1), (97), (1));
-- amounts <= 0 are not customers: 0, 0, 0, 4 is one customer, 0
SELECT gini(column1) FROM (VALUES (0), (0), (0), (4));
-- keyed: a 1, b 0.5+0.5, c 3-2, d 5, e -1 (left out): 1, 1, 1, 5 -> 0.375
CREATE TABLE inv(customer, amount);
INSERT INTO inv VALUES ('a', 1), ('b', 0.5), ('c', 3), ('d', 5), ('b', 0.5), ('c', -2), ('e', -1);
SELECT gini(customer, amount) FROM inv;
-- the keyed form equals the unkeyed one over GROUP BY totals
SELECT gini(total) FROM (SELECT sum(amount) AS total FROM inv GROUP BY customer);
-- window over 1, 3, 1, 1
--   running: {1} 0; {1,3} 0.25; {1,1,3} (-2 + 0 + 6) / (3 * 5) = 0.2666...; {1,1,1,3} (-3 - 1 + 1 + 9) / (4 * 6) = 0.25
--   sliding ROWS 1 PRECEDING: {1} 0; {1,3} 0.25; {3,1} 0.25; {1,1} 0
WITH t(id, amount) AS (VALUES (1, 1), (2, 3), (3, 1), (4, 1))
SELECT id, gini(amount) OVER (ORDER BY id), gini(amount) OVER (ORDER BY id ROWS 1 PRECEDING) FROM t;
-- keyed window, running: {a 1} 0; {a 1, b 3} 0.25; {a 3, b 3} 0
WITH t(id, customer, amount) AS (VALUES (1, 'a', 1), (2, 'b', 3), (3, 'a', 2))
SELECT id, gini(customer, amount) OVER (ORDER BY id) FROM t;
