#!/usr/bin/env bash
# bench/callgrind_compare.sh BASE_EXT NEW_EXT [ROWS]: instruction counts (valgrind
# callgrind) of one small query per measure, for two builds of the extension (paths
# without the .so suffix), as a load-independent check that a refactor costs nothing.
#   1. The data (ROWS invoice rows, default 100000, 2000 INTEGER customers, REAL amounts,
#      and a TEXT copy of the customer) is made once, outside valgrind.
#   2. Each query's count is its whole process minus a floor (sum(x) over the same rows
#      in the same process shape), so only the extension's work is compared.
#   3. Prints: query, instructions per row for BASE and NEW, and NEW/BASE. ONLY=regex
#      keeps the queries whose name matches.
# Used for bench/NOTES.md ("Instruction counts"); not part of make test.
set -eu
base=$1 new=$2 rows=${3:-100000}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
sqlite3 "$tmp/d.db" "CREATE TABLE inv(k INTEGER, t TEXT, x REAL, p INTEGER);
  INSERT INTO inv SELECT value % 2000, 'c' || (value % 2000), (value * 7919 % 1000) + 0.25,
    value % 12 FROM generate_series(1, $rows);"
count() { # ext sql -> instructions
  valgrind --tool=callgrind --callgrind-out-file=/dev/null sqlite3 "$tmp/d.db" \
    ".load $1" "$2" 2>&1 >/dev/null | sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
}
floor_sql="SELECT sum(x) FROM inv"
queries=(
  "herfindahl(x)|SELECT herfindahl(x) FROM inv"
  "herfindahl(k,x)|SELECT herfindahl(k, x) FROM inv"
  "herfindahl(t,x)|SELECT herfindahl(t, x) FROM inv"
  "top_share(x,3)|SELECT top_share(x, 3) FROM inv"
  "top_share(k,x,3)|SELECT top_share(k, x, 3) FROM inv"
  "gini(x)|SELECT gini(x) FROM inv"
  "gini(k,x)|SELECT gini(k, x) FROM inv"
  "herfindahl(k,x) GROUP BY|SELECT p, herfindahl(k, x) FROM inv GROUP BY p"
  "herfindahl(k,x) window|SELECT count(h) FROM (SELECT herfindahl(k, x) OVER (ORDER BY rowid ROWS 200 PRECEDING) h FROM inv WHERE rowid <= 20000)"
  "concentration|SELECT count(*) FROM concentration('SELECT k, x FROM inv')"
  "concentration_by|SELECT count(*) FROM concentration_by('SELECT p, k, x FROM inv')"
  "revenue_movements|SELECT count(*) FROM revenue_movements('SELECT p, k, x FROM inv')"
  "hhi_band|SELECT count(hhi_band(x * 10)) FROM inv"
  "risk_score|SELECT sum(risk_score('adoption', x / 1000.0, 'region', 0.5)) FROM inv"
  "phase_of|SELECT count(phase_of('risk', x / 10.0)) FROM inv"
)
fb=$(count "$base" "$floor_sql"); fn=$(count "$new" "$floor_sql")
printf '%-28s %12s %12s %8s\n' query base/row new/row new/base
for q in "${queries[@]}"; do
  name=${q%%|*} sql=${q#*|}
  [[ -z "${ONLY:-}" || "$name" =~ $ONLY ]] || continue
  b=$(count "$base" "$sql"); n=$(count "$new" "$sql")
  awk -v name="$name" -v b="$b" -v n="$n" -v fb="$fb" -v fn="$fn" -v rows="$rows" \
    'BEGIN { printf "%-28s %12.1f %12.1f %8.3f\n", name, (b-fb)/rows, (n-fn)/rows, (n-fn)/(b-fb) }'
done
