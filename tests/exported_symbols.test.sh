#!/usr/bin/env bash
# The loadable library exports exactly one symbol, its entry point sqlite3_portfolio_init:
# SQLite loads extensions with RTLD_GLOBAL, so any other exported name could clash with a
# host's own. Checked on the library the tests load ($PORTFOLIO_EXT.so) and on ./portfolio.so
# when it is there (both come from the Makefile's LIB_LDFLAGS).
set -u
. "$(dirname "$0")/lib.sh"
need_ext
command -v nm >/dev/null 2>&1 || { echo "skipped: nm (binutils) is not installed"; exit 77; }
status=0
for lib in "$PORTFOLIO_EXT.so" portfolio.so; do
  [ -f "$lib" ] || continue
  # Defined dynamic symbols: "address type name"; the name is the last field.
  exported=$(nm -D --defined-only "$lib" | awk '{print $NF}' | sort -u)
  if [ "$exported" != "sqlite3_portfolio_init" ]; then
    echo "FAIL: $lib exports $(printf '%s\n' "$exported" | wc -l) symbols, want only" \
         "sqlite3_portfolio_init:"
    printf '%s\n' "$exported" | sed 's/^/  /' | head -20
    status=1
  else
    echo "$lib exports only sqlite3_portfolio_init"
  fi
done
exit $status
