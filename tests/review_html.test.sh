#!/usr/bin/env bash
# review.html from the sample portfolio: every chart is well-formed SVG (parsed as XML) and
# draws the numbers a plain-Python computation gives (tests/review_html_check.py: the Pareto
# chart's named customers and its 80 % point, the Lorenz curve and its Gini, the HHI of each
# quarter with partial quarters marked, the spread of risk scores), and the revenue bridge
# and cohorts, text and charts, equal a Python computation of the movements
# (tests/review_bridge_check.py); the page has one table per box of the shell's review, no
# script and nothing fetched from outside.
set -u
. "$(dirname "$0")/lib.sh"
need_ext
need_python
make_tmp
sqlite3 -bail "$tmp/sample.db" < sql/sample.sql || { echo "FAIL: sql/sample.sql"; exit 1; }
/usr/bin/python3 sql/review_html.py --db "$tmp/sample.db" --ext "$PORTFOLIO_EXT" \
  --out "$tmp/review.html" sql/review.sql || { echo "FAIL: review_html.py exited $?"; exit 1; }
sqlite3 -bail -cmd ".load $PORTFOLIO_EXT" "$tmp/sample.db" < sql/review.sql > "$tmp/review.txt" \
  || { echo "FAIL: sql/review.sql"; exit 1; }
/usr/bin/python3 tests/review_html_check.py "$tmp/review.html" "$tmp/sample.db" "$PORTFOLIO_EXT" \
  || exit 1
# The revenue bridge and cohort boxes, the waterfall and the heat map, recomputed in Python.
/usr/bin/python3 tests/review_bridge_check.py "$tmp/review.txt" "$tmp/review.html" \
  "$tmp/sample.db" || exit 1
exec /usr/bin/python3 - "$tmp/review.html" "$tmp/review.txt" <<'PY'
import re, sys
html = open(sys.argv[1], encoding="utf-8").read()
boxes = sum(1 for l in open(sys.argv[2], encoding="utf-8") if l.startswith("┌"))
tables = html.count("<table>")
print(f"{tables} tables in review.html, {boxes} boxes in the shell's review")
if tables != boxes or boxes < 8:
    sys.exit("FAIL: table count")
outside = re.findall(r"<script|\b(?:src|href)=\"(?!#)|url\(|@import", html)
if outside:
    sys.exit(f"FAIL: the page loads something: {outside[:3]}")
print("OK")
PY
