-- review_import.sql: the box a review of an imported CSV starts with, so that the review says
-- which file it was made from and how much of it was used.
--
--   make review CSV=invoices.csv runs it before the concentration part of sql/review.sql.
--
-- Reads import_log, which sql/import_csv.py writes at import time (a database that was not
-- imported from a CSV has no such table, which is why this is not part of sql/review.sql).
.mode box --wrap 0
.print
.print "Source: the CSV file this review was imported from"
SELECT item, value FROM (
  SELECT 1 AS ord, 'file' AS item, file AS value FROM import_log
  UNION ALL SELECT 2, 'records read', printf('%,d', records) FROM import_log
  UNION ALL SELECT 3, 'imported', printf('%,d', imported) FROM import_log
  UNION ALL SELECT 4, 'skipped (malformed)', printf('%,d', skipped)
  FROM import_log
  UNION ALL SELECT 5, 'read with', read_with FROM import_log)
ORDER BY ord;
.mode box
