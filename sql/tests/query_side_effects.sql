.mode list
-- The query argument may not call functions with side effects (issue 15.2): the shell's
-- writefile, readfile and edit, and load_extension (which the shell enables) are refused
-- before anything runs, in concentration and concentration_by alike.
SELECT * FROM concentration('SELECT 1, writefile(''query_side_effects_pwned.txt'', ''x'')');
SELECT * FROM concentration_by('SELECT 1, 1, length(writefile(''query_side_effects_pwned.txt'', ''x''))');
SELECT * FROM concentration('SELECT c, a FROM (SELECT 1 AS c, 2 AS a) WHERE (SELECT count(*) FROM (SELECT writefile(''query_side_effects_pwned.txt'', ''x''))) > 0');
SELECT * FROM concentration('SELECT 1, length(readfile(''/etc/hostname''))');
SELECT * FROM concentration('SELECT 1, length(edit(''x'', ''true''))');
SELECT * FROM concentration('SELECT 1, load_extension(''./nowhere'')');
SELECT * FROM concentration('SELECT 1, fts3_tokenizer(''simple'')');
-- the file was not written: readfile (called directly, as the user may) finds nothing
SELECT readfile('query_side_effects_pwned.txt') IS NULL;
-- a stored query gets the same check: FROM q, concentration(q.sql)
CREATE TABLE q(sql); INSERT INTO q VALUES ('SELECT 1, writefile(''query_side_effects_pwned.txt'', ''y'')');
SELECT q.rowid, c.* FROM q, concentration(q.sql) AS c;
SELECT readfile('query_side_effects_pwned.txt') IS NULL;
-- JSON, date and the extension's own functions keep working (values by hand)
SELECT customer, amount FROM concentration('SELECT json_extract(''{"c":"k"}'', ''$.c''), ''{"a":5}'' ->> ''a''');
SELECT customer, amount FROM concentration('SELECT date(''2024-02-28'', ''+1 day''), 3');
SELECT customer, amount FROM concentration('SELECT hhi_band(herfindahl(column1)), herfindahl(column1) FROM (VALUES (30), (30), (20), (20))');
