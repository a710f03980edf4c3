#!/usr/bin/env bash
# The README's table of hosts, row by row: each "Load it" line (and the Python "Get it" line)
# is taken from README.md as written and run in its host, which must then answer
# herfindahl over (30, 30, 20, 20) = 2600.
#   1. sqlite3 shell: the .load line, with ./portfolio pointing at the built library.
#   2. Python: the "Get it" line in a fresh venv (make python, pip install the wheel), then
#      the load line on a sqlite3 connection.
#   3. SQLAlchemy: the listener line on an engine; two pooled connections both answer.
#   4. DB Browser for SQLite: the -O line saves the setting; a second database opened later
#      without options runs a script using the extension (Qt's offscreen platform, no display).
#   5. C: the line compiled into a program linked with the extension's objects.
#   6. JDBC: its line is the call tests/jdbc/HostQueries.java makes (jdbc_host.test.sh runs it);
#      Node: tests/npm_package.sh (make npm-test, in CI) runs the README's line itself.
set -u
. "$(dirname "$0")/lib.sh"
: "${BUILD:=build}"
need_ext
make_tmp
fail=0
query="SELECT herfindahl(column1) FROM (VALUES (30), (30), (20), (20))"
result() { if [ "$2" = "$3" ]; then echo "ok   $1"; else echo "FAIL $1: got '$2', want '$3'"; fail=1; fi; }
cell() { # cell HOST-PREFIX COLUMN: the first code span of that column in the host's row
  sed -n '/<!-- hosts:begin -->/,/<!-- hosts:end -->/p' README.md | grep -F "| $1" |
    awk -F' [|] ' -v c="$2" '{print $c}' | sed -E 's/^[^`]*`([^`]*)`.*/\1/'
}

line=$(cell '`sqlite3` shell' 3)
result "shell: $line" "$(sqlite3 :memory: -cmd "${line/.\/portfolio/$PORTFOLIO_EXT}" "$query" 2>&1)" 2600.0

get=$(cell 'Python' 2) line=$(cell 'Python' 3)
if /usr/bin/python3 -c 'import ensurepip, venv, setuptools, wheel' 2>/dev/null; then
  run_make python BUILD="$BUILD" PKG_DIST="$tmp/build/dist" >"$tmp/make.log" 2>&1 || cat "$tmp/make.log"
  /usr/bin/python3 -m venv "$tmp/venv"
  pip_line=${get#*&& }
  (cd "$tmp" && PATH="$tmp/venv/bin:$PATH" eval "$pip_line" >"$tmp/pip.log" 2>&1) || cat "$tmp/pip.log"
  got=$(cd "$tmp" && venv/bin/python -c "import sqlite3, sqlite_portfolio
conn = sqlite3.connect(':memory:')
$line
print(conn.execute('$query').fetchone()[0])" 2>&1)
  result "Python: $get; $line" "$got" 2600.0
else
  echo "FAIL Python: needs python3-venv, python3-setuptools, python3-wheel (tests/install-deps.sh)"; fail=1
fi

line=$(cell 'SQLAlchemy' 3)
got=$(/usr/bin/python3 - "$PORTFOLIO_EXT" "$line" "$query" <<'PY' 2>&1
import sys, types
from sqlalchemy import create_engine, event, text
path, line, query = sys.argv[1:]
def load(conn):  # what sqlite_portfolio.load does, with the library just built
    conn.enable_load_extension(True); conn.load_extension(path); conn.enable_load_extension(False)
sqlite_portfolio = types.SimpleNamespace(load=load)
engine = create_engine("sqlite://", pool_size=2)
exec(line)
with engine.connect() as a, engine.connect() as b:
    print(a.execute(text(query)).scalar(), b.execute(text(query)).scalar())
PY
)
result "SQLAlchemy: $line" "$got" "2600.0 2600.0"

line=$(cell 'DB Browser' 3)
if command -v sqlitebrowser >/dev/null; then
  mkdir -p "$tmp/home" "$tmp/run" && chmod 700 "$tmp/run"
  sqlite3 "$tmp/first.db" "CREATE TABLE t(x)" && sqlite3 "$tmp/second.db" "CREATE TABLE t(x)"
  echo "CREATE TABLE answer AS $query;" >"$tmp/script.sql"
  dbb() { # dbb ARGS...: DB Browser without a display, stopped once the answer table exists
    local db=${*: -1} i
    HOME="$tmp/home" XDG_RUNTIME_DIR="$tmp/run" QT_QPA_PLATFORM=offscreen sqlitebrowser "$@" \
      >/dev/null 2>&1 & local pid=$!
    for i in $(seq 1 60); do
      [ -n "$(sqlite3 "$db" "SELECT name FROM sqlite_schema WHERE name = 'answer'" 2>/dev/null)" ] && break
      sleep 0.5
    done
    sleep 0.5; kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
    sqlite3 "$db" "SELECT * FROM answer" 2>&1
  }
  # shellcheck disable=SC2086
  option=$(PWD=$(dirname "$PORTFOLIO_EXT") eval echo ${line#sqlitebrowser })
  result "DB Browser: $line (first database)" "$(dbb $option -s "$tmp/script.sql" "$tmp/first.db")" 2600.0
  result "DB Browser: a later database with no option" "$(dbb -s "$tmp/script.sql" "$tmp/second.db")" 2600.0
else
  echo "FAIL DB Browser: needs sqlitebrowser (tests/install-deps.sh)"; fail=1
fi

line=$(cell 'C program' 3)
cat >"$tmp/host.c" <<C
#include <stdio.h>
#include <sqlite3.h>
int sqlite3_portfolio_init(sqlite3 *, char **, const sqlite3_api_routines *);
static int print(void *u, int n, char **v, char **c) { (void)u; (void)n; (void)c; puts(v[0]); return 0; }
int main(void) {
  sqlite3 *db;
  $line
  if (sqlite3_open(":memory:", &db) != SQLITE_OK) return 1;
  return sqlite3_exec(db, "$query", print, 0, 0) != SQLITE_OK;
}
C
# As the README's "Get it" cell says: the sources compiled with -DSQLITE_CORE into the program.
# shellcheck disable=SC2086
if cc -DSQLITE_CORE -Iext/core -Iext/sqlite -o "$tmp/host" "$tmp/host.c" ext/core/*.c \
     ext/sqlite/*.c -lsqlite3 -lm 2>"$tmp/cc.log"; then
  result "C: $line" "$("$tmp/host" 2>&1)" 2600.0
else
  cat "$tmp/cc.log"; echo "FAIL C: the program does not build"; fail=1
fi

line=$(cell 'JDBC' 3)
grep -qF 'SELECT load_extension(?)' tests/jdbc/HostQueries.java &&
  [ "${line%(*}" = "SELECT load_extension" ] &&
  result "JDBC: $line is what tests/jdbc/HostQueries.java runs" ok ok ||
  { echo "FAIL JDBC: '$line' is not what tests/jdbc/HostQueries.java runs"; fail=1; }
line=$(cell 'Node' 3)
grep -qF "grep -F '| Node'" tests/npm_package.sh &&
  result "Node: $line is run by tests/npm_package.sh (make npm-test)" ok ok ||
  { echo "FAIL Node: tests/npm_package.sh does not run the README's Node line"; fail=1; }
exit $fail
