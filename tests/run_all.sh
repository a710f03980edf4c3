#!/usr/bin/env bash
# Runs every test of the project and ends with one line: "N passed, N failed, N skipped".
#   1. Check unit-test programs $BUILD/test_* (each assertion group is one Check test).
#   2. SQL tests: sql/tests/*.sql through the sqlite3 shell, each compared with its
#      .expected file (tests/run_sql_tests.sh).
#   3. Script tests: tests/*.test.sh, one test each; exit 0 passes, 77 is skipped (the
#      script prints why), anything else fails.
# Needs PORTFOLIO_EXT (path of the built extension without suffix) and BUILD.
set -u
cd "$(dirname "$0")/.."
: "${BUILD:=build}"
: "${PORTFOLIO_EXT:=$PWD/$BUILD/portfolio}"
# A test checks results, never speed: Check's default 4 s limit per test turns a busy machine
# (parallel make, sanitizers, shared CI runners) into failures, so allow a minute.
: "${CK_DEFAULT_TIMEOUT:=60}"
export PORTFOLIO_EXT BUILD CK_DEFAULT_TIMEOUT
passed=0 failed=0 skipped=0
failures=() skips=()

for bin in "$BUILD"/test_*; do
  [ -x "$bin" ] || continue
  out=$("$bin" 2>&1)
  rc=$?
  printf '%s\n' "$out" | grep -v '^Running suite' | sed "s|^|$(basename "$bin"): |"
  line=$(printf '%s\n' "$out" | grep -E '^[0-9]+%: Checks: ' | tail -n 1)
  if [ -z "$line" ]; then
    failed=$((failed + 1)); failures+=("$(basename "$bin") (crashed, rc=$rc)"); continue
  fi
  checks=$(sed -E 's/.*Checks: ([0-9]+).*/\1/' <<<"$line")
  bad=$(sed -E 's/.*Failures: ([0-9]+), Errors: ([0-9]+).*/\1+\2/' <<<"$line")
  bad=$((bad))
  passed=$((passed + checks - bad)); failed=$((failed + bad))
  [ "$bad" -eq 0 ] && [ "$rc" -ne 0 ] && { failed=$((failed + 1)); failures+=("$(basename "$bin") rc=$rc"); }
  [ "$bad" -gt 0 ] && failures+=("$(basename "$bin"): $bad")
done

sql_out=$(bash tests/run_sql_tests.sh)
printf '%s\n' "$sql_out" | sed '$d'
read -r sp _ sf _ <<<"$(printf '%s\n' "$sql_out" | tail -n 1 | tr -d ',')"
passed=$((passed + ${sp:-0})); failed=$((failed + ${sf:-1}))
[ "${sf:-1}" -gt 0 ] && failures+=("SQL tests: ${sf:-?}")

for script in tests/*.test.sh; do
  [ -f "$script" ] || continue
  name=$(basename "$script" .test.sh)
  out=$(bash "$script" 2>&1)
  rc=$?
  printf '%s\n' "$out" | sed "s|^|$name: |"
  case $rc in
    0) passed=$((passed + 1)); echo "PASS: $name" ;;
    77) skipped=$((skipped + 1)); skips+=("$name"); echo "SKIPPED: $name" ;;
    *) failed=$((failed + 1)); failures+=("$name"); echo "FAIL: $name (rc=$rc)" ;;
  esac
done

for s in "${skips[@]+"${skips[@]}"}"; do echo "skipped: $s"; done
for f in "${failures[@]+"${failures[@]}"}"; do echo "failed: $f"; done
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
