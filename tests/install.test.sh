#!/usr/bin/env bash
# make install and make uninstall into a temporary PREFIX (and a DESTDIR, as a packager runs it):
#   1. install puts the library in PREFIX/lib and README.md, LICENSE, CHANGELOG.md in
#      PREFIX/share/doc/portfolio, and nothing else;
#   2. the installed library loads from there in the sqlite3 shell and answers a query;
#   3. uninstall removes every file install wrote and the doc folder, and leaves PREFIX/lib
#      (which may hold other libraries) in place.
set -u
. "$(dirname "$0")/lib.sh"
: "${BUILD:=build}"
make_tmp
fail=0
check() { if eval "$2"; then echo "ok   $1"; else echo "FAIL $1"; fail=1; fi; }

prefix="$tmp/usr"
run_make install PREFIX="$prefix" >"$tmp/install.log" 2>&1 ||
  { cat "$tmp/install.log"; echo "FAIL: make install"; exit 1; }
lib=$(ls "$prefix"/lib/portfolio.* 2>/dev/null)
check "install: the library in PREFIX/lib" '[ -f "$lib" ]'
for f in README.md LICENSE CHANGELOG.md; do
  check "install: $f in share/doc/portfolio" 'cmp -s "$f" "$prefix/share/doc/portfolio/$f"'
done
check "install: four files and nothing else" \
  '[ "$(find "$prefix" -type f | wc -l)" -eq 4 ]'
answer=$(sqlite3 :memory: -cmd ".load ${lib%.*}" \
  "SELECT herfindahl(column1) FROM (VALUES (30), (30), (20), (20))" 2>&1)
check "installed library loads and answers 2600.0 (got '$answer')" '[ "$answer" = "2600.0" ]'

run_make uninstall PREFIX="$prefix" >"$tmp/uninstall.log" 2>&1 ||
  { cat "$tmp/uninstall.log"; echo "FAIL: make uninstall"; exit 1; }
check "uninstall: no file left" '[ "$(find "$prefix" -type f | wc -l)" -eq 0 ]'
check "uninstall: doc folder removed" '[ ! -d "$prefix/share/doc/portfolio" ]'
check "uninstall: PREFIX/lib kept" '[ -d "$prefix/lib" ]'

run_make install PREFIX=/usr DESTDIR="$tmp/stage" >"$tmp/destdir.log" 2>&1 ||
  { cat "$tmp/destdir.log"; echo "FAIL: make install DESTDIR="; exit 1; }
check "DESTDIR: the library under DESTDIR/usr/lib" '[ -n "$(ls "$tmp"/stage/usr/lib/portfolio.* 2>/dev/null)" ]'
exit $fail
