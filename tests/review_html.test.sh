#!/usr/bin/env bash
# review.html from the sample portfolio: the Pareto chart is well-formed SVG (parsed as XML),
# it draws one bar per customer for the 50 largest plus one for all the others, each bar's
# share equals a plain-Python computation from the invoices, the line ends at 100 %, and the
# page has one table per box of the shell's review.
set -u
cd "$(dirname "$0")/.." || exit 1
: "${PORTFOLIO_EXT:?PORTFOLIO_EXT must name the built extension (make test sets it)}"
if [ ! -x /usr/bin/python3 ]; then
  echo "skipped: needs Debian's /usr/bin/python3 (tests/install-deps.sh installs it)"; exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sqlite3 -bail "$tmp/sample.db" < sql/sample.sql || { echo "FAIL: sql/sample.sql"; exit 1; }
/usr/bin/python3 sql/review_html.py --db "$tmp/sample.db" --ext "$PORTFOLIO_EXT" \
  --out "$tmp/review.html" sql/review.sql || { echo "FAIL: review_html.py exited $?"; exit 1; }
sqlite3 -bail -cmd ".load $PORTFOLIO_EXT" "$tmp/sample.db" < sql/review.sql > "$tmp/review.txt" \
  || { echo "FAIL: sql/review.sql"; exit 1; }
exec /usr/bin/python3 - "$tmp/review.html" "$tmp/sample.db" "$tmp/review.txt" <<'PY'
import re, sqlite3, sys
import xml.etree.ElementTree as ET
page, db, text = sys.argv[1], sys.argv[2], sys.argv[3]
html = open(page, encoding="utf-8").read()
svgs = [s for s in re.findall(r"<svg\b.*?</svg>", html, re.S) if 'aria-label="Pareto chart' in s]
if len(svgs) != 1:
    sys.exit(f"FAIL: {len(svgs)} Pareto charts in review.html, expected 1")
try:
    svg = ET.fromstring(svgs[0])
except ET.ParseError as e:
    sys.exit(f"FAIL: the SVG is not well-formed XML: {e}")
ns = "{http://www.w3.org/2000/svg}"
bars = [r for r in svg.iter(ns + "rect") if r.get("class") == "bar"]

con = sqlite3.connect(db)
totals = {}
for c, a in con.execute("SELECT customer_id, amount FROM invoices, review_settings "
                        "WHERE invoice_date > date(as_of, '-12 months') AND invoice_date <= as_of"):
    totals[c] = totals.get(c, 0.0) + a
pos = sorted((v for v in totals.values() if v > 0), reverse=True)
total = sum(pos)
want = [v / total for v in pos[:50]] + ([sum(pos[50:]) / total] if len(pos) > 50 else [])
print(f"{len(pos)} customers: expecting {len(want)} bars, the SVG has {len(bars)} "
      f"(data-bars={svg.get('data-bars')})")
if len(bars) != len(want) or svg.get("data-bars") != str(len(bars)):
    sys.exit("FAIL: bar count")
for i, (bar, share) in enumerate(zip(bars, want)):
    if abs(float(bar.get("data-share")) - share) > 1e-8:
        sys.exit(f"FAIL: bar {i + 1} has share {bar.get('data-share')}, expected {share}")
    if float(bar.get("height")) < 0:
        sys.exit(f"FAIL: bar {i + 1} has a negative height")
heights = [float(b.get("height")) for b in bars[:50]]
if heights != sorted(heights, reverse=True):
    sys.exit("FAIL: the customer bars are not largest first")
if bars[-1].get("data-rank") != f"others ({len(pos) - 50:,})":
    sys.exit(f"FAIL: last bar is {bars[-1].get('data-rank')}, expected the other customers")
line = [l for l in svg.iter(ns + "polyline")]
if len(line) != 1 or len(line[0].get("points").split()) != len(bars):
    sys.exit("FAIL: the cumulative line has not one point per bar")
if "80 % of revenue" not in "".join(svg.itertext()):
    sys.exit("FAIL: no 80 % mark")
boxes = sum(1 for l in open(text, encoding="utf-8") if l.startswith("┌"))
tables = html.count("<table>")
print(f"{tables} tables in review.html, {boxes} boxes in the shell's review")
if tables != boxes or boxes < 8:
    sys.exit("FAIL: table count")
print("OK")
PY
