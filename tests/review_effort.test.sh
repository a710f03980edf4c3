#!/usr/bin/env bash
# The review's "Cost of dependence" boxes (sql/review.sql, part cost-of-dependence):
#   1. on the sample portfolio, every figure against tests/review_effort_check.py's plain-Python
#      computation, and the story the sample is made for: the whale takes a larger share of
#      the effort than of revenue, a few customers cost more than they pay, and the margin
#      rate without the whale is higher;
#   2. on a two-customer database worked out by hand (below), every cell as written here,
#      and docs/review.md's worked example (the same case) as the review prints it;
#   3. the same database without hourly_cost: costs and margins are unknown ('-');
#   4. without an effort table: the boxes say what they need and hold no figure; with an
#      effort table that has no hours in the period: they say so;
#   5. review.html: the scatter of revenue share against effort share, parsed as XML and
#      checked dot by dot (tests/review_effort_html.py) on the sample and the hand-made case,
#      and absent without effort.
set -u
. "$(dirname "$0")/lib.sh"
need_ext
need_python
make_tmp
part() { sed -n "/^-- @begin $1/,/^-- @end $1/p" sql/review.sql; }
review() {  # review DB OUT: the concentration and cost-of-dependence parts
  { part concentration; part cost-of-dependence; } |
    sqlite3 -bail -cmd ".load $PORTFOLIO_EXT" "$1" > "$2" 2>&1 || {
      cat "$2"; echo "FAIL: sql/review.sql stopped with an error on $1"; exit 1; }
}

# 1. The sample portfolio.
sqlite3 -bail "$tmp/sample.db" < sql/sample.sql || { echo "FAIL: sql/sample.sql"; exit 1; }
review "$tmp/sample.db" "$tmp/sample.txt"
/usr/bin/python3 tests/review_effort_check.py "$tmp/sample.txt" "$tmp/sample.db" \
  > "$tmp/check.txt" || { cat "$tmp/check.txt"; exit 1; }
cat "$tmp/check.txt"
/usr/bin/python3 - "$tmp/sample.txt" <<'PY' || exit 1
import sys
sys.path.insert(0, "tests")
from review_check import box, parse_boxes
boxes = parse_boxes(open(sys.argv[1], encoding="utf-8").read())
rows = box(boxes, "Cost of dependence: the 10 largest")[1]
whale = rows[0]
pct = lambda cell: float(cell.rstrip(" %"))
if not whale[1].startswith("Meridian Airways") or pct(whale[5]) < pct(whale[3]) + 15:
    sys.exit(f"FAIL: the whale's effort share is not well above its revenue share: {whale}")
costly = [r for r in rows if "costing more than they pay" in r[1]]
if not costly or not 3 <= int(costly[0][1].split()[1]) <= 20:
    sys.exit(f"FAIL: the sample should have a few customers costing more than they pay: {costly}")
now, without = box(boxes, "Cost of dependence: HHI of effort")[1]
if without[0] != "without Meridian Airways (#1287)" or pct(without[5]) <= pct(now[5]):
    sys.exit(f"FAIL: the what-if line should show a higher margin rate without the whale: {without}")
print(f"sample: whale {whale[3]} of revenue, {whale[5]} of effort; margin rate {now[5]} -> {without[5]}")
PY
html() {  # html DB OUT [parts]: review.html of DB
  local db=$1 out=$2; shift 2
  /usr/bin/python3 sql/review_html.py --db "$db" --ext "$PORTFOLIO_EXT" --out "$out" "$@" \
    sql/review.sql || { echo "FAIL: review_html.py on $db"; exit 1; }
}
html "$tmp/sample.db" "$tmp/sample.html"
(cd tests && /usr/bin/python3 review_effort_html.py "$tmp/sample.html" "$tmp/sample.db") || exit 1

# 2. Two customers, worked by hand. Period 2024-07-01 to 2025-06-30, hourly cost 10.
#    Alder (#1): invoices 500 + 200 - 100 = 600 (the 999 of 2024-06-30 is before the period);
#      effort 20 h by a contractor costing 550 on the first day + 20 h on the last day at
#      10 = 200 (the 100 h of 2024-06-30 are outside): 40 h, cost 750, margin -150.
#    Birch (#2): invoice 400; effort 6 h + 4 h at 10 (the 100 h of 2025-07-01 are outside):
#      10 h, cost 100, margin 300.
#    Revenue 1,000: Alder 60 %, Birch 40 %. Hours 50: Alder 80 %, Birch 20 %.
#    Effort share / revenue share: Alder 0.8 / 0.6 = 1.33, Birch 0.2 / 0.4 = 0.50.
#    Cost 850, margin 150 (rate 15 %): margin shares -150 / 150 = -100 %, 300 / 150 = 200 %.
#    HHI of revenue 60² + 40² = 5,200; of effort 80² + 20² = 6,800; both highly concentrated.
#    Without Alder: revenue 400, 10 h, cost 100, margin 300, rate 75 %, both HHIs 10,000.
sqlite3 -bail "$tmp/hand.db" <<'SQL' || { echo "FAIL: hand-made database"; exit 1; }
CREATE TABLE review_settings (as_of TEXT, period_months INTEGER, hourly_cost REAL);
INSERT INTO review_settings VALUES ('2025-06-30', 12, 10);
CREATE TABLE accounts (customer_id INTEGER, name TEXT);
INSERT INTO accounts VALUES (1, 'Alder'), (2, 'Birch');
CREATE TABLE invoices (invoice_id INTEGER, customer_id INTEGER, invoice_date TEXT, amount REAL);
INSERT INTO invoices VALUES (1, 1, '2024-06-30', 999), (2, 1, '2024-09-10', 500),
  (3, 1, '2025-02-01', 200), (4, 1, '2025-02-11', -100), (5, 2, '2025-03-05', 400);
CREATE TABLE effort (customer_id INTEGER, effort_date TEXT, hours REAL, cost REAL);
INSERT INTO effort VALUES (1, '2024-06-30', 100, NULL), (1, '2024-07-01', 20, 550),
  (1, '2025-06-30', 20, NULL), (2, '2025-01-15', 6, NULL), (2, '2025-03-01', 4, NULL),
  (2, '2025-07-01', 100, NULL);
SQL
review "$tmp/hand.db" "$tmp/hand.txt"
expect_boxes() {  # expect_boxes OUT: the two boxes' rows, one per line, cells joined by '|'
  /usr/bin/python3 - "$1" <<'PY'
import sys
sys.path.insert(0, "tests")
from review_check import box, parse_boxes
boxes = parse_boxes(open(sys.argv[1], encoding="utf-8").read())
for prefix in ("Cost of dependence: the 10 largest", "Cost of dependence: HHI of effort"):
    for row in box(boxes, prefix)[1]:
        print("|".join(row))
PY
}
want='1|Alder (#1)|600|60.0 %|40|80.0 %|1.33|750|-150|-100.0 %
2|Birch (#2)|400|40.0 %|10|20.0 %|0.50|100|300|200.0 %
|the customer costing more than it pays|600|60.0 %|40|80.0 %|1.33|750|-150|-100.0 %
|all customers|1,000|100.0 %|50|100.0 %|1.00|850|150|100.0 %
all customers|1,000|50|850|150|15.0 %|5,200|highly concentrated|6,800|highly concentrated
without Alder (#1)|400|10|100|300|75.0 %|10,000|highly concentrated|10,000|highly concentrated'
got=$(expect_boxes "$tmp/hand.txt")
if [ "$got" != "$want" ]; then
  cat "$tmp/hand.txt"; printf 'FAIL: hand-made case, got:\n%s\nexpected:\n%s\n' "$got" "$want"; exit 1
fi
/usr/bin/python3 tests/review_effort_check.py "$tmp/hand.txt" "$tmp/hand.db" > /dev/null ||
  { echo "FAIL: the checker disagrees on the hand-made case"; exit 1; }
echo "hand-made case: every cell as worked by hand"
# docs/review.md's worked example is this case: its boxes must be what the review prints.
sed -n '/^<!-- effort-example:begin -->$/,/^<!-- effort-example:end -->$/p' docs/review.md |
  sed '1,2d' | head -n -2 > "$tmp/doc.txt"
sed -n '/^Cost of dependence/,$p' "$tmp/hand.txt" | diff "$tmp/doc.txt" - ||
  { echo "FAIL: docs/review.md's worked example differs from the review (diff above)"; exit 1; }
[ -s "$tmp/doc.txt" ] || { echo "FAIL: no worked example in docs/review.md"; exit 1; }
html "$tmp/hand.db" "$tmp/hand.html" --part concentration --part cost-of-dependence
(cd tests && /usr/bin/python3 review_effort_html.py "$tmp/hand.html" "$tmp/hand.db") || exit 1
grep -q 'data-customer="Alder" data-revenue-share="0.6" data-effort-share="0.8"' \
  "$tmp/hand.html" || { echo "FAIL: Alder's dot is not at (60 %, 80 %)"; exit 1; }

# 3. No hourly cost, and a database whose review_settings has no hourly_cost column at all:
#    Birch's cost and every total are unknown; Alder's contractor cost is not the whole cost.
for settings in "UPDATE review_settings SET hourly_cost = NULL" \
  "ALTER TABLE review_settings DROP COLUMN hourly_cost"; do
  cp "$tmp/hand.db" "$tmp/nocost.db"
  sqlite3 -bail "$tmp/nocost.db" "$settings" || exit 1
  review "$tmp/nocost.db" "$tmp/nocost.txt"
  got=$(expect_boxes "$tmp/nocost.txt" | cut -d'|' -f1-2,8-10 | head -n 3)
  want='1|Alder (#1)|-|-|-
2|Birch (#2)|-|-|-
|all customers|-|-|-'
  [ "$got" = "$want" ] || { cat "$tmp/nocost.txt"; echo "FAIL: unknown costs ($settings): $got"; exit 1; }
  /usr/bin/python3 tests/review_effort_check.py "$tmp/nocost.txt" "$tmp/nocost.db" > /dev/null ||
    { echo "FAIL: the checker disagrees without an hourly cost ($settings)"; exit 1; }
done
echo "unknown costs: '-' for cost, margin and margin share"

# 4. No effort table; an effort table without cost column and with no hours in the period.
sqlite3 -bail "$tmp/hand.db" "DROP TABLE effort" || exit 1
review "$tmp/hand.db" "$tmp/skip.txt"
/usr/bin/python3 tests/review_effort_check.py "$tmp/skip.txt" "$tmp/hand.db" --skipped || exit 1
html "$tmp/hand.db" "$tmp/skip.html" --part concentration --part cost-of-dependence
(cd tests && /usr/bin/python3 review_effort_html.py "$tmp/skip.html" "$tmp/hand.db" --none) || exit 1
sqlite3 -bail "$tmp/hand.db" "CREATE TABLE effort (customer_id, effort_date, hours);
  INSERT INTO effort VALUES (1, '2023-01-01', 5)" || exit 1
review "$tmp/hand.db" "$tmp/empty.txt"
grep -q 'skipped: no effort hours or no revenue in the period 2024-07-01 to 2025-06-30' \
  "$tmp/empty.txt" || { cat "$tmp/empty.txt"; echo "FAIL: no message for an empty period"; exit 1; }
echo "skip messages: no effort table, no hours in the period"
# The review leaves the database as it was (working tables are TEMP, the stand-in detached).
tables=$(sqlite3 "$tmp/hand.db" "SELECT group_concat(name, ' ') FROM
  (SELECT name FROM sqlite_schema WHERE type IN ('table', 'view') ORDER BY name)")
[ "$tables" = "accounts effort invoices review_settings" ] || {
  echo "FAIL: the review left tables behind: $tables"; exit 1; }
echo OK
