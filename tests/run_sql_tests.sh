#!/usr/bin/env bash
# SQL-level tests: each sql/tests/NAME.sql runs in a fresh in-memory database in the sqlite3
# shell with the extension loaded, and its output (stdout and stderr together) must equal
# sql/tests/NAME.expected exactly. Errors are not fatal in the shell here on purpose: an
# error message is part of the output, so a test that throws unexpectedly shows up as a
# difference instead of vanishing. The last line is "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
: "${PORTFOLIO_EXT:=$PWD/build/portfolio}"
passed=0 failed=0
for sql in sql/tests/*.sql; do
  [ -f "$sql" ] || continue
  name=$(basename "$sql" .sql)
  expected="sql/tests/$name.expected"
  got=$( { printf '.load %s\n' "$PORTFOLIO_EXT"; cat "$sql"; } | sqlite3 -batch :memory: 2>&1)
  if [ -f "$expected" ] && [ "$got" == "$(cat "$expected")" ]; then
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
    echo "FAIL: sql/tests/$name.sql"
    diff <(printf '%s\n' "$got") "$expected" | head -n 40
  fi
done
echo "$passed passed, $failed failed"
