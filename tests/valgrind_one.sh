#!/usr/bin/env bash
# Runs one Check program under valgrind memcheck for `make valgrind` (mk/hardening.mk),
# which starts VALGRIND_JOBS of these at a time. CK_FORK=no so that valgrind follows the
# tests themselves; the log goes next to the program. Prints PASS or FAIL (with the log's
# end) and exits non-zero on any memcheck error, leak or failed test.
# Usage: tests/valgrind_one.sh PROGRAM   (env VALGRIND: the valgrind command line)
set -u
prog=$1
log=$prog.valgrind.log
start=$SECONDS
# shellcheck disable=SC2086
if CK_FORK=no PF_UNDER_VALGRIND=1 $VALGRIND "$prog" > "$log" 2>&1; then
  echo "valgrind PASS: $prog ($((SECONDS - start)) s)"
else
  echo "valgrind FAIL: $prog ($((SECONDS - start)) s)"
  tail -n 60 "$log"
  exit 1
fi
