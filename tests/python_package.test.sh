#!/usr/bin/env bash
# The Python package as a user gets it: `make python` builds the wheel and the sdist; each is
# installed with `pip install --no-index` into a fresh virtual environment made by Debian's
# /usr/bin/python3 -m venv, and, from outside the source tree, the installed package must:
#   1. report __version__ = portfolio_version() and a loadable_path() without suffix whose
#      library lies inside the environment;
#   2. load(conn) the extension and answer one query of every kind (tests/host_queries.py
#      computes the expected answers);
#   3. leave extension loading disabled afterwards (load_extension then fails).
# The sdist's environment sees Debian's setuptools and wheel (--system-site-packages,
# --no-build-isolation): there is no package index to fetch them from, and the sdist
# compiles ext/ with the system C compiler.
set -u
. "$(dirname "$0")/lib.sh"
: "${BUILD:=build}"
py=/usr/bin/python3
if ! "$py" -c 'import ensurepip, venv, setuptools, wheel' 2>/dev/null; then
  echo "skipped: needs python3-venv, python3-setuptools and python3-wheel (tests/install-deps.sh)"
  exit 77
fi
make_tmp
run_make python BUILD="$BUILD" PKG_DIST="$tmp/dist" >"$tmp/make.log" 2>&1 ||
  { cat "$tmp/make.log"; echo "FAIL: make python"; exit 1; }
wheel=$(ls "$tmp"/dist/sqlite_portfolio-*-py3-none-*.whl 2>/dev/null)
sdist=$(ls "$tmp"/dist/sqlite[-_]portfolio-*.tar.gz 2>/dev/null)
[ -f "$wheel" ] && [ -f "$sdist" ] || { ls "$tmp/dist"; echo "FAIL: no wheel or sdist"; exit 1; }

check_env() { # check_env VENV LABEL
  (cd "$tmp" && "$1/bin/python" - "$OLDPWD/tests" "$1" "$2" <<'PY'
import os, sqlite3, sys
sys.path.append(sys.argv[1])
import host_queries
import sqlite_portfolio
venv, label = os.path.realpath(sys.argv[2]), sys.argv[3]
path = sqlite_portfolio.loadable_path()
problems = []
if not os.path.realpath(sqlite_portfolio.__file__).startswith(venv + os.sep):
    problems.append(f"imported from {sqlite_portfolio.__file__}, not from the environment")
if os.path.splitext(path)[1] or not os.path.exists(path + ".so"):
    problems.append(f"loadable_path() {path!r}: expected a path without suffix next to a .so")
conn = sqlite3.connect(":memory:")
sqlite_portfolio.load(conn)
version = conn.execute("SELECT portfolio_version()").fetchone()[0]
if sqlite_portfolio.__version__ != version:
    problems.append(f"__version__ {sqlite_portfolio.__version__!r} but the library says {version!r}")
failures = host_queries.run(lambda sql: conn.execute(sql).fetchall(), label)
try:
    conn.load_extension(path)
    problems.append("extension loading is still enabled after load(conn)")
except sqlite3.OperationalError as e:
    print(f"{label}: ok   loading disabled after load(): {e}")
for p in problems:
    print(f"{label}: FAIL {p}")
sys.exit(1 if failures or problems else 0)
PY
  )
}

failed=0
env -u LD_PRELOAD "$py" -m venv "$tmp/venv-wheel" &&
  env -u LD_PRELOAD "$tmp/venv-wheel/bin/pip" install -q --no-index "$wheel" ||
  { echo "FAIL: pip install --no-index $(basename "$wheel")"; exit 1; }
check_env "$tmp/venv-wheel" "wheel $(basename "$wheel")" || failed=1
env -u LD_PRELOAD "$py" -m venv --system-site-packages "$tmp/venv-sdist" &&
  env -u LD_PRELOAD "$tmp/venv-sdist/bin/pip" install -q --no-index --no-build-isolation \
    "$sdist" >"$tmp/sdist.log" 2>&1 ||
  { cat "$tmp/sdist.log"; echo "FAIL: pip install --no-index $(basename "$sdist")"; exit 1; }
check_env "$tmp/venv-sdist" "sdist $(basename "$sdist")" || failed=1
exit $failed
