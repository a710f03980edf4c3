-- review_import.sql: the box a review of an imported CSV starts with, so that the review says
-- which files it was made from and how much of them was used.
--
--   make review CSV=invoices.csv [EFFORT=effort.csv] runs it before the concentration and
--   cost-of-dependence parts of sql/review.sql.
--
-- Reads import_log, which sql/import_csv.py (the invoices) and sql/import_effort.py (the
-- effort, when there is a file of it) write at import time (a database that was not imported
-- from a CSV has no such table, which is why this is not part of sql/review.sql).
.mode box --wrap 0
.print
.print "Source: the CSV file this review was imported from"
SELECT item, value FROM (
  SELECT 1 AS ord, 'file' AS item, file AS value FROM import_log WHERE content = 'invoices'
  UNION ALL SELECT 2, 'records read', printf('%,d', records) FROM import_log
  WHERE content = 'invoices'
  UNION ALL SELECT 3, 'imported', printf('%,d', imported) FROM import_log
  WHERE content = 'invoices'
  UNION ALL SELECT 4, 'skipped (malformed)', printf('%,d', skipped) FROM import_log
  WHERE content = 'invoices'
  UNION ALL SELECT 5, 'read with', read_with FROM import_log WHERE content = 'invoices'
  UNION ALL SELECT 6, 'effort file', file FROM import_log WHERE content = 'effort'
  UNION ALL SELECT 7, 'effort records read', printf('%,d', records) FROM import_log
  WHERE content = 'effort'
  UNION ALL SELECT 8, 'effort imported', printf('%,d', imported) FROM import_log
  WHERE content = 'effort'
  UNION ALL SELECT 9, 'effort skipped (malformed)', printf('%,d', skipped) FROM import_log
  WHERE content = 'effort'
  UNION ALL SELECT 10, 'effort read with', read_with FROM import_log WHERE content = 'effort'
  UNION ALL SELECT 11, 'hourly cost', printf('%g', hourly_cost) FROM review_settings
  WHERE hourly_cost IS NOT NULL)
ORDER BY ord;
.mode box
