.mode list
.headers on
-- invoices: b 3+1 = 4; a 2; c 1.5-0.5 = 1.0; d 1; e 2-2 = 0 and f -1 hold nothing and are left out;
-- rows with a NULL or '' customer or amount are skipped. Total 8.
CREATE TABLE inv(customer, amount);
INSERT INTO inv VALUES ('b', 3), ('a', 2), ('c', 1.5), ('d', 1), ('e', 2), ('b', 1), ('c', -0.5), ('e', -2), ('f', -1), (NULL, 9), ('', 9), ('a', NULL), ('a', '');
-- shares 4/8, 2/8, 1/8, 1/8; c and d tie and go in key order.
-- pareto: running share before is 0, 0.5, 0.75, 0.875 -> A, A, A, B; every share is >= 0.10 -> major.
-- hhi_points (100 * share)^2: 2500, 625, 156.25, 156.25.
-- hhi_without: without b, 2/1/1 of 4 -> 2500 + 625 + 625 = 3750; without a, 4/1/1 of 6 -> 10000 * 18/36 = 5000;
-- without c (or d), 4/2/1 of 7 -> 10000 * 21/49 = 4285.714...
SELECT * FROM concentration('SELECT customer, amount FROM inv');
-- the hhi_points add up to the portfolio's HHI: 3437.5 both ways
SELECT (SELECT sum(hhi_points) FROM concentration('SELECT customer, amount FROM inv')) AS points, (SELECT herfindahl(customer, amount) FROM inv) AS hhi;
-- an 80/15/4/1 portfolio: before each customer 0, 0.80, 0.95, 0.99 -> A, B, C, C (a boundary starts the next class);
-- major from exactly 10 %
SELECT rank, customer, share, pareto_class, major FROM concentration('SELECT column1, column2 FROM (VALUES (''w'', 15), (''x'', 80), (''y'', 1), (''z'', 4))');
-- joined to another table, filtered on the output
CREATE TABLE names(id, name);
INSERT INTO names VALUES ('a', 'Acme'), ('b', 'Bolt'), ('z', 'Zinc');
SELECT n.name, c.rank, c.share FROM names AS n JOIN concentration('SELECT customer, amount FROM inv') AS c ON c.customer = n.id ORDER BY c.rank;
-- a NULL query gives no rows
SELECT count(*) AS n FROM concentration(NULL);
