#!/usr/bin/env bash
# sqlite_portfolio.load(conn) on a Python whose sqlite3 module cannot load extensions must raise
# sqlite_portfolio.ExtensionLoadingUnavailable (a RuntimeError) that says so and names what to
# use instead, never an AttributeError. Two such Pythons:
#   1. simulated: Debian's /usr/bin/python3 with a Connection subclass that hides
#      enable_load_extension and load_extension, as a build without them has neither;
#   2. real: every other python3 on PATH whose sqlite3 lacks enable_load_extension (pyenv
#      builds often do); none found is not an error, the simulation stands for it.
# The package comes from the wheel `make python` builds, unpacked onto PYTHONPATH.
set -u
. "$(dirname "$0")/lib.sh"
: "${BUILD:=build}"
make_tmp
run_make python BUILD="$BUILD" PKG_DIST="$tmp/dist" >"$tmp/make.log" 2>&1 ||
  { cat "$tmp/make.log"; echo "FAIL: make python"; exit 1; }
/usr/bin/python3 -m zipfile -e "$tmp"/dist/sqlite_portfolio-*.whl "$tmp/site" || exit 1

check() { # check PYTHON LABEL SIMULATE
  PYTHONPATH="$tmp/site" "$1" - "$2" "$3" <<'PY'
import sqlite3, sys
import sqlite_portfolio
label, simulate = sys.argv[1], sys.argv[2] == "1"

class NoLoadingConnection(sqlite3.Connection):
    def __getattribute__(self, name):
        if name in ("enable_load_extension", "load_extension"):
            raise AttributeError(name)
        return super().__getattribute__(name)

conn = sqlite3.connect(":memory:", factory=NoLoadingConnection if simulate else sqlite3.Connection)
try:
    sqlite_portfolio.load(conn)
except sqlite_portfolio.ExtensionLoadingUnavailable as e:
    message = str(e)
    wanted = ["sqlite_portfolio.load", "cannot load SQLite extensions", "/usr/bin/python3",
              "--enable-loadable-sqlite-extensions", "apsw"]
    missing = [w for w in wanted if w not in message]
    if missing or not isinstance(e, RuntimeError):
        print(f"{label}: FAIL the message lacks {missing}: {message}")
        sys.exit(1)
    print(f"{label}: ok   {message}")
    sys.exit(0)
except Exception as e:
    print(f"{label}: FAIL {type(e).__name__}: {e}")
    sys.exit(1)
print(f"{label}: FAIL load() raised nothing")
sys.exit(1)
PY
}

failed=0
check /usr/bin/python3 "simulated (Debian python3, loading hidden)" 1 || failed=1
IFS=: read -r -a dirs <<<"$PATH"
for dir in "${dirs[@]}"; do
  py="$dir/python3"
  [ -x "$py" ] || continue
  [ "$(readlink -f "$py")" = "$(readlink -f /usr/bin/python3)" ] && continue
  "$py" -c 'import sqlite3, sys
sys.exit(hasattr(sqlite3.connect(":memory:"), "enable_load_extension"))' 2>/dev/null || continue
  check "$py" "$py ($("$py" -c 'import sys; print(sys.version.split()[0])'))" 0 || failed=1
done
exit $failed
