#!/usr/bin/env bash
# Bring your own data on a real file: `make review` on the Online Retail CSV (UCI; 541,909
# invoice lines, read from ../shared/data, never copied) with AMOUNT=Quantity*UnitPrice and a
# 13-month period that covers the whole file. The import must report exactly the 135,080
# lines without a CustomerID, and the headline must equal the regression values in
# ../shared/data/online-retail/README.md (computed there independently of this project), and
# every box must equal a plain-Python recomputation.
set -u
. "$(dirname "$0")/lib.sh"
need_ext
: "${BUILD:=build}"
csv=../shared/data/online-retail/online_retail.csv
if [ ! -f "$csv" ]; then
  echo "skipped: review_online_retail needs $csv (the shared data folder is absent)"; exit 77
fi
make_tmp
run_make review BUILD="$BUILD" REVIEW_EXT="$PORTFOLIO_EXT" \
  REVIEW_DB="$tmp/review.db" REVIEW_HTML="$tmp/review.html" CSV="$csv" \
  CUSTOMER=CustomerID DATE=InvoiceDate AMOUNT='Quantity*UnitPrice' MONTHS=13 \
  > "$tmp/out.txt" 2> "$tmp/err.txt" || { tail "$tmp/err.txt"; fail "make review exited"; }
summary="import_csv: $csv: 541,909 records, 406,829 imported, 135,080 malformed skipped (135,080 missing customer)"
grep -qxF "$summary" "$tmp/err.txt" || { tail -n 3 "$tmp/err.txt"; fail "import summary"; }
[ "$(wc -l < "$tmp/review.db-rejected.csv")" -eq 135081 ] || fail "rejected file is not complete"
# Every box recomputed in plain Python from the imported rows (exactly rounded sums)...
/usr/bin/python3 tests/review_check.py concentration "$tmp/out.txt" "$tmp/review.db" || exit 1
# ...and so is every chart of review.html (2010-Q4 and 2011-Q4 are partial quarters).
/usr/bin/python3 tests/review_html_check.py "$tmp/review.html" "$tmp/review.db" "$PORTFOLIO_EXT" \
  --no-accounts || exit 1
# The bridge of the last four quarters and the cohorts, text and charts, from a Python
# computation of the movements over the imported rows.
/usr/bin/python3 tests/review_bridge_check.py "$tmp/out.txt" "$tmp/review.html" "$tmp/review.db" \
  || exit 1
for q in 2010-Q4 2011-Q4; do
  grep -qE "^│ $q .*│ partial: [0-9]+ of 92 days +│$" "$tmp/out.txt" || fail "$q is not marked partial"
done
# ...and the data README's regression values: total 8,313,294.95, HHI 45.00, 1/HHI 222.20,
# CR1 3.362 %, CR10 16.470 %, 1,178 customers make up 80 %, no customer reaches 10 %. Its
# 4,322 customers and Gini 0.70317 count 5 customers whose invoices cancel to exactly 0.00 as
# positive (a residue of a plain float sum, see tests/real_data.py): exact netting gives 4,317.
expect() {  # expect LABEL VALUE: the headline row LABEL must print VALUE
  grep -qE "^│ $1 +│ $2 +│$" "$tmp/out.txt" || { grep -E "^│ $1 " "$tmp/out.txt"; fail "$1 is not $2"; }
  echo "${1//\\/}: ${2//\\/}"
}
expect "period" "2010-11-10 to 2011-12-09 \(13 months\)"
expect "revenue" "8,313,295"
expect "customers" "4,317"
expect "HHI \(0-10,000\)" "45"
expect "largest customer" "3.4 %"
expect "top 10 customers" "16.5 %"
expect "effective customers \(10,000 / HHI\)" "222.2"
grep -qE "^│ A +│ 1,178 +│" "$tmp/out.txt" || fail "Pareto class A is not 1,178 customers"
grep -q "(no customer holds 10 % of revenue)" "$tmp/out.txt" || fail "a major customer appeared"
echo "Pareto A: 1,178 customers; no major customer"
