#!/usr/bin/env bash
# The review of the sample portfolio, checked number by number: sql/review.sql runs in the
# sqlite3 shell on a fresh sample.db, and tests/review_check.py recomputes every box in plain
# Python from the tables (headline, major customers, Pareto classes, quarterly HHI) and from
# the spec's risk curves and phase rules (phases, 10 most at risk, renewals, small deals).
set -u
. "$(dirname "$0")/lib.sh"
need_ext
need_python
make_tmp
sqlite3 -bail "$tmp/sample.db" < sql/sample.sql || { echo "FAIL: sql/sample.sql"; exit 1; }
if ! sqlite3 -bail -cmd ".load $PORTFOLIO_EXT" "$tmp/sample.db" < sql/review.sql \
     > "$tmp/review.txt" 2>&1; then
  cat "$tmp/review.txt"; echo "FAIL: sql/review.sql stopped with an error"; exit 1
fi
/usr/bin/python3 tests/review_check.py concentration "$tmp/review.txt" "$tmp/sample.db" || exit 1
/usr/bin/python3 tests/review_check.py accounts "$tmp/review.txt" "$tmp/sample.db" \
  "$PORTFOLIO_EXT" || exit 1
# The review must leave the database as it was: its working tables are TEMP.
tables=$(sqlite3 "$tmp/sample.db" "SELECT group_concat(name, ' ') FROM
  (SELECT name FROM sqlite_schema WHERE type IN ('table', 'view') ORDER BY name)")
[ "$tables" = "account_history accounts effort invoices review_settings sqlite_stat1" ] || {
  echo "FAIL: the review left tables behind: $tables"; exit 1; }
