#!/usr/bin/env bash
# Bring your own data: `make review CSV=...` on a CSV generated here, with its own column
# names, an extra column, a quoted field spanning two lines, a blank line, and malformed
# records of every kind at known lines. The import must report exactly those lines (and
# nothing else) and skip them; the printed concentration review must equal a plain-Python
# computation over the good records, and review.html's charts must draw the same numbers
# (tests/review_html_check.py). Then the errors: an unreadable file, a missing column, no CSV
# at all, nothing importable, and more than 50 malformed records (listed in full in a
# -rejected.csv file).
set -u
. "$(dirname "$0")/lib.sh"
need_ext
: "${BUILD:=build}"
need_python
make_tmp
review() { run_make review REVIEW_EXT="$PORTFOLIO_EXT" BUILD="$BUILD" \
             REVIEW_DB="$tmp/review.db" REVIEW_HTML="$tmp/review.html" "$@"; }

# The CSV, the good rows (JSON) and the expected report lines, all from one generator.
/usr/bin/python3 - "$tmp" <<'PY' || fail "could not generate the CSV"
import csv, json, sys
tmp = sys.argv[1]
lines, good, bad = ["Region,CustomerID,InvoiceDate,Revenue"], [], []
def row(text, ok=None, reason=None):
    lines.append(text)
    if ok:
        good.append(ok)
    if reason:
        bad.append(f"{tmp}/invoices.csv:{len(lines)}: {reason}; skipped")
# 40 customers over 2024-01 .. 2025-03; C01 is large, C40 nets out negative.
for i in range(1, 41):
    for m in range(15):
        y, mo = 2024 + m // 12, m % 12 + 1
        amount = round((5000 if i == 1 else 100 + 37 * i) * (1 + 0.1 * ((i * 7 + m) % 5)), 2)
        day = f"{y}-{mo:02d}-{1 + (i * 3 + m) % 27:02d}"
        row(f"EU,C{i:02d},{day},{amount}", ok=(f"C{i:02d}", day, amount))
    if i == 40:
        row("EU,C40,2025-03-20,-99999", ok=("C40", "2025-03-20", -99999.0))
    if i == 5:
        row('"North\nEast",C05,2025-02-11 09:30:00,250.5', ok=("C05", "2025-02-11", 250.5))
        lines[-1:] = lines[-1].split("\n")   # the quoted field spans two lines
        row("")                              # a blank line
    if i == 9:
        row("EU,C09,2025-01-02", reason="wrong number of fields: expected 4, got 3")
        row("EU,C09,2025-01-02,10,extra", reason="wrong number of fields: expected 4, got 5")
        row("EU,C09,2025-01-03,abc", reason="amount is not a number: Revenue = 'abc'")
        # a thousands separator, read as such: the column's other values prove '.' decimal
        row('EU,C09,2025-01-03,"1,250.00"', ok=("C09", "2025-01-03", 1250.0))
        row('EU,C09,2025-01-03,"1,25.00"', reason="amount is not a number: Revenue = '1,25.00'")
        row("EU,C09,2025-01-03,nan", reason="amount is not a number: Revenue = 'nan'")
        row("EU,C09,2025-01-03,", reason="missing amount (Revenue is empty)")
        row("EU,,2025-01-03,10", reason="missing customer (CustomerID is empty)")
        row("EU,C09,2024-02-30,10", reason="bad date '2024-02-30' (expected YYYY-MM-DD)")
        row("EU,C09,03/01/2025,10", reason="bad date '03/01/2025' (expected YYYY-MM-DD)")
        row("EU,C09,,10", reason="missing date (InvoiceDate is empty)")
open(f"{tmp}/invoices.csv", "w", newline="").write("\n".join(lines) + "\n")
json.dump(good, open(f"{tmp}/good.json", "w"))
open(f"{tmp}/expected-report.txt", "w").write("\n".join(bad) + "\n")
PY

review CSV="$tmp/invoices.csv" CUSTOMER=CustomerID DATE=InvoiceDate AMOUNT=Revenue \
  > "$tmp/out.txt" 2> "$tmp/err.txt" || { cat "$tmp/err.txt"; fail "make review failed"; }
grep -v '^import_csv: ' "$tmp/err.txt" > "$tmp/report.txt"
diff "$tmp/expected-report.txt" "$tmp/report.txt" || fail "the malformed-record report differs"
grep -q "^import_csv: $tmp/invoices.csv: 613 records, 603 imported, 10 malformed skipped" \
  "$tmp/err.txt" || { cat "$tmp/err.txt"; fail "no summary line with the counts"; }
grep -q "1 blank line" "$tmp/err.txt" || fail "the blank line is not counted"
echo "malformed records reported: $(wc -l < "$tmp/report.txt"), at the expected lines"
/usr/bin/python3 tests/review_check.py concentration "$tmp/out.txt" --rows "$tmp/good.json" \
  || { cat "$tmp/out.txt"; exit 1; }
grep -q "most at risk" "$tmp/out.txt" && fail "the account part ran on a CSV import"
# The charts from the imported rows (39 customers with a positive net: C40 nets negative).
/usr/bin/python3 tests/review_html_check.py "$tmp/review.html" "$tmp/review.db" "$PORTFOLIO_EXT" \
  --no-accounts || fail "the charts of review.html"
grep -q 'data-customers="39"' "$tmp/review.html" || fail "review.html does not chart 39 customers"
/usr/bin/python3 tests/review_bridge_check.py "$tmp/out.txt" "$tmp/review.html" "$tmp/review.db" \
  || fail "the revenue bridge and cohorts"

# A period without invoices: the headline says so with '-' instead of made-up zeros.
review CSV="$tmp/invoices.csv" CUSTOMER=CustomerID DATE=InvoiceDate AMOUNT=Revenue \
  AS_OF=2030-01-01 > "$tmp/empty.txt" 2>/dev/null || fail "make review AS_OF=2030-01-01 failed"
grep -qE '^│ HHI \(0-10,000\) +│ - +│$' "$tmp/empty.txt" && grep -qE '^│ customers +│ 0 +│$' \
  "$tmp/empty.txt" || { cat "$tmp/empty.txt"; fail "empty period: no '-' for the HHI"; }
echo "empty period: customers 0, HHI -"

# One quarter of invoices: the bridge says there is nothing to compare, the cohort table has
# its one cohort, marked partial (the data covers 2025-01-05 to 2025-02-05 of 2025-Q1).
printf 'customer,date,amount\nA,2025-01-05,100\nB,2025-02-05,50\n' > "$tmp/one.csv"
review CSV="$tmp/one.csv" > "$tmp/one.txt" 2>/dev/null || fail "make review of one quarter"
/usr/bin/python3 tests/review_bridge_check.py "$tmp/one.txt" "$tmp/review.html" "$tmp/review.db" \
  || fail "one quarter: the bridge and cohorts"

# Errors: each one a clear message and a failing exit status.
expect_error() {  # expect_error "message part" make-arguments...
  local want=$1; shift
  if review "$@" > "$tmp/e.out" 2>&1; then fail "make review $* succeeded"; fi
  grep -qF "$want" "$tmp/e.out" || { cat "$tmp/e.out"; fail "make review $*: no '$want'"; }
  echo "error as expected: $(grep -F "$want" "$tmp/e.out" | head -n 1)"
}
expect_error "cannot read '$tmp/missing.csv': No such file or directory" CSV="$tmp/missing.csv"
expect_error "no column 'customer' in the header (columns: Region, CustomerID, InvoiceDate, Revenue)" \
  CSV="$tmp/invoices.csv"
expect_error "make review: say what to review" 
printf 'customer,date,amount\n,2025-01-01,5\nx,2025-13-01,5\n' > "$tmp/allbad.csv"
expect_error "no well-formed invoice records" CSV="$tmp/allbad.csv"
expect_error "refusing to replace '$tmp/invoices.csv'" CSV="$tmp/invoices.csv" \
  CUSTOMER=CustomerID DATE=InvoiceDate AMOUNT=Revenue REVIEW_DB="$tmp/invoices.csv"

# Over 50 malformed records: 50 printed, all listed in the rejected file.
{ echo "customer,date,amount"; echo "a,2025-01-01,5"
  for i in $(seq 1 60); do echo ",2025-01-01,$i"; done; } > "$tmp/many.csv"
/usr/bin/python3 sql/import_csv.py "$tmp/many.csv" "$tmp/many.db" 2> "$tmp/many.err" \
  || fail "import of many.csv exited $?"
[ "$(grep -c 'missing customer (customer is empty); skipped' "$tmp/many.err")" -eq 50 ] || fail "not 50 records printed"
grep -q "and 10 more malformed records: all 60 are listed in $tmp/many.db-rejected.csv" \
  "$tmp/many.err" || { cat "$tmp/many.err"; fail "no pointer to the rejected file"; }
[ "$(tail -n 1 "$tmp/many.db-rejected.csv" | cut -d, -f1)" = 62 ] || fail "rejected file"
[ "$(wc -l < "$tmp/many.db-rejected.csv")" -eq 61 ] || fail "rejected file has not 60 records"
echo "more than 50 malformed records: 50 printed, 60 in the rejected file"
