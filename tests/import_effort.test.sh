#!/usr/bin/env bash
# Effort from your own files: `make review CSV=invoices.csv EFFORT=effort.csv`. The effort file
# is made here with its own column names, a cost column mostly empty, an extra column with a
# quoted field over two lines, a blank line and malformed records of every kind at known
# lines: the import must report exactly those lines and skip them, the review's cost of
# dependence must equal tests/review_effort_check.py's computation from the imported
# database (whose good records are checked against the file's), the Source box must name the
# effort file and its counts, and review.html must draw the scatter. Then: a CSV review
# without EFFORT= prints the skip message; more than 50 malformed records are listed in
# DB-effort-rejected.csv; whole-file refusals (missing column, ambiguous decimals, an open
# quote, no good record, a bad HOURLY_COST, a database import_csv did not make) stop with a
# message and leave the database as it was.
set -u
. "$(dirname "$0")/lib.sh"
need_ext
: "${BUILD:=build}"
need_python
make_tmp
review() { run_make review REVIEW_EXT="$PORTFOLIO_EXT" BUILD="$BUILD" \
             REVIEW_DB="$tmp/review.db" REVIEW_HTML="$tmp/review.html" "$@"; }
columns=(EFFORT_CUSTOMER=Client EFFORT_DATE=Day HOURS=Time COST=Expense HOURLY_COST=50)

/usr/bin/python3 - "$tmp" <<'PY' || fail "could not generate the CSV files"
import json, sys
tmp = sys.argv[1]
inv = ["customer,date,amount"]
for i in range(1, 6):
    for m in range(1, 13):
        inv.append(f"K{i},2024-{m:02d}-15,{(6000 if i == 1 else 500 * i)}")
inv.append("7,2024-03-01,900")
open(f"{tmp}/invoices.csv", "w").write("\n".join(inv) + "\n")
lines, good, bad = ["Client,Day,Time,Expense,Note"], [], []
def row(text, ok=None, reason=None):
    lines.append(text)
    if ok:
        good.append(ok)
    if reason:
        bad.append(f"{tmp}/effort.csv:{len(lines)}: {reason}; skipped")
for i in range(1, 6):
    for m in range(1, 13):
        hours = 30 if i == 1 else 2 + i
        row(f"K{i},2024-{m:02d}-03,{hours},,", ok=[f"K{i}", f"2024-{m:02d}-03", hours, None])
row("K6,2024-05-05,12.5,,pilot", ok=["K6", "2024-05-05", 12.5, None])  # effort, no invoices
row("K2,2024-06-01,4,380.25,contractor", ok=["K2", "2024-06-01", 4.0, 380.25])
row('K3,2024-06-02 10:00,1.5,,"two\nlines"', ok=["K3", "2024-06-02", 1.5, None])
lines[-1:] = lines[-1].split("\n")
row("")
row("K3,2024-06-03,1", reason="wrong number of fields: expected 5, got 3")
row(",2024-06-03,1,,", reason="missing customer (Client is empty)")
row("K3,,1,,", reason="missing date (Day is empty)")
row("K3,2024-02-30,1,,", reason="bad date '2024-02-30' (expected YYYY-MM-DD)")
row("K3,2024-06-03,,,", reason="missing hours (Time is empty)")
row("K3,2024-06-03,abc,,", reason="hours is not a number: Time = 'abc'")
row("K3,2024-06-03,1e400,,", reason="hours is out of range: Time = '1e400'")
row("K3,2024-06-03,-2,,", reason="hours must be 0 or more: Time = '-2'")
row("K3,2024-06-03,1,x,", reason="cost is not a number: Expense = 'x'")
row("K3,2024-06-03,1,-5,", reason="cost must be 0 or more: Expense = '-5'")
row("7.0,2024-06-04,2,,", ok=["7", "2024-06-04", 2.0, None])  # meets invoice customer 7
open(f"{tmp}/effort.csv", "w", newline="").write("\n".join(lines) + "\n")
json.dump(good, open(f"{tmp}/good.json", "w"))
open(f"{tmp}/expected-report.txt", "w").write("\n".join(bad) + "\n")
PY

review CSV="$tmp/invoices.csv" EFFORT="$tmp/effort.csv" "${columns[@]}" \
  > "$tmp/out.txt" 2> "$tmp/err.txt" || { cat "$tmp/err.txt"; fail "make review EFFORT= failed"; }
grep -v '^import_csv: \|^import_effort: ' "$tmp/err.txt" > "$tmp/report.txt"
diff "$tmp/expected-report.txt" "$tmp/report.txt" || fail "the malformed-record report differs"
grep -q "^import_effort: $tmp/effort.csv: 74 records, 64 imported, 10 malformed skipped" \
  "$tmp/err.txt" || { cat "$tmp/err.txt"; fail "no summary line with the counts"; }
grep -q "^import_effort: $tmp/effort.csv: .*, 1 blank line ignored" "$tmp/err.txt" ||
  fail "the blank line is not counted"
echo "malformed effort records reported: $(wc -l < "$tmp/report.txt"), at the expected lines"
/usr/bin/python3 - "$tmp/review.db" "$tmp/good.json" <<'PY' || exit 1
import json, sqlite3, sys
con = sqlite3.connect(sys.argv[1])
got = [list(r) for r in con.execute("SELECT customer_id, effort_date, hours, cost FROM effort")]
want = json.load(open(sys.argv[2]))
if got != want:
    sys.exit(f"FAIL: imported effort rows differ:\n{got}\nexpected\n{want}")
if con.execute("SELECT hourly_cost FROM review_settings").fetchone()[0] != 50:
    sys.exit("FAIL: HOURLY_COST=50 is not in review_settings")
print(f"effort rows imported as in the file: {len(got)}")
PY
/usr/bin/python3 tests/review_effort_check.py "$tmp/out.txt" "$tmp/review.db" ||
  { cat "$tmp/out.txt"; exit 1; }
grep -qE '^│ effort file +│ effort.csv +│$' "$tmp/out.txt" &&
  grep -qE '^│ effort skipped \(malformed\) +│ 10 +│$' "$tmp/out.txt" &&
  grep -qE '^│ hourly cost +│ 50 +│$' "$tmp/out.txt" ||
  { cat "$tmp/out.txt"; fail "the Source box does not name the effort file and its counts"; }
grep -q 'class="point"' "$tmp/review.html" || fail "review.html has no scatter"
grep -q 'effort skipped (malformed)' "$tmp/review.html" || fail "review.html has no effort source"

# Without EFFORT= the box says what it needs (and the old effort is not kept).
review CSV="$tmp/invoices.csv" > "$tmp/plain.txt" 2>/dev/null || fail "make review CSV= failed"
/usr/bin/python3 tests/review_effort_check.py "$tmp/plain.txt" "$tmp/review.db" --skipped ||
  { cat "$tmp/plain.txt"; exit 1; }
grep -q 'class="point"' "$tmp/review.html" && fail "review.html has a scatter without effort"

# Over 50 malformed records: 50 printed, all listed in DB-effort-rejected.csv.
{ echo "customer,date,hours"; echo "K1,2024-03-01,5"
  for i in $(seq 1 60); do echo "K1,2024-03-01,-$i"; done; } > "$tmp/many.csv"
/usr/bin/python3 sql/import_effort.py "$tmp/many.csv" "$tmp/review.db" 2> "$tmp/many.err" ||
  fail "import of many.csv exited $?"
[ "$(grep -c 'hours must be 0 or more: hours = .*; skipped' "$tmp/many.err")" -eq 50 ] ||
  fail "not 50 records printed"
grep -q "and 10 more malformed records: all 60 are listed in $tmp/review.db-effort-rejected.csv" \
  "$tmp/many.err" || { cat "$tmp/many.err"; fail "no pointer to the rejected file"; }
[ "$(tail -n 1 "$tmp/review.db-effort-rejected.csv" | cut -d, -f1)" = 62 ] || fail "rejected file"
[ "$(wc -l < "$tmp/review.db-effort-rejected.csv")" -eq 61 ] || fail "rejected file length"
echo "more than 50 malformed records: 50 printed, 60 in the rejected file"

# Refusals: a message naming the problem, exit status 2 (1: nothing importable), and the
# database as it was.
before=$(sqlite3 "$tmp/review.db" "SELECT count(*), total(hours) FROM effort")
refuse() {  # refuse STATUS "message part" FILE-CONTENT [options]
  local status=$1 want=$2 content=$3; shift 3
  printf '%b' "$content" > "$tmp/bad.csv"
  /usr/bin/python3 sql/import_effort.py "$@" "$tmp/bad.csv" "$tmp/review.db" 2> "$tmp/bad.err"
  local rc=$?
  [ "$rc" -eq "$status" ] || { cat "$tmp/bad.err"; fail "exit $rc, expected $status: $want"; }
  grep -qF -- "$want" "$tmp/bad.err" || { cat "$tmp/bad.err"; fail "no '$want'"; }
  [ "$(sqlite3 "$tmp/review.db" "SELECT count(*), total(hours) FROM effort")" = "$before" ] ||
    fail "the refused file changed the database: $want"
  echo "refused as expected: $(grep -F -- "$want" "$tmp/bad.err" | head -n 1)"
}
refuse 2 "no column 'hours' in the header (columns: customer, date, time)" \
  'customer,date,time\nK1,2024-01-01,1\n'
refuse 2 "no value in the column tells which; give the decimal separator with EFFORT_DECIMAL=. or EFFORT_DECIMAL=," \
  'customer,date,hours\nK1,2024-01-01,"1.250"\n'
refuse 2 "bad.csv:2: a quote opened on this line is never closed" \
  'customer,date,hours\nK1,2024-01-01,"1\nK2,2024-01-01,2\n'
refuse 2 "no column 'Expense' in the header" 'customer,date,hours\nK1,2024-01-01,1\n' --cost Expense
refuse 1 "no well-formed effort records to import" 'customer,date,hours\nK1,2024-01-01,-1\n'
refuse 2 "--hourly-cost must be a number 0 or more, got 'ten'" 'customer,date,hours\n' \
  --hourly-cost ten
printf 'customer,date,hours\nK1,2024-01-01,1\n' > "$tmp/ok.csv"
sqlite3 "$tmp/other.db" "CREATE TABLE t (x)"
/usr/bin/python3 sql/import_effort.py "$tmp/ok.csv" "$tmp/other.db" 2> "$tmp/bad.err" &&
  fail "import_effort wrote into a database import_csv did not make"
grep -q "is not a database made by import_csv" "$tmp/bad.err" || { cat "$tmp/bad.err"; fail "no message"; }
[ "$(sqlite3 "$tmp/other.db" "SELECT group_concat(name) FROM sqlite_schema")" = t ] ||
  fail "the other database was changed"
if review CSV="$tmp/invoices.csv" EFFORT="$tmp/missing.csv" > "$tmp/e.out" 2>&1; then
  fail "make review with a missing EFFORT file succeeded"
fi
grep -qF "cannot read '$tmp/missing.csv'" "$tmp/e.out" || { cat "$tmp/e.out"; fail "no message"; }
echo OK
