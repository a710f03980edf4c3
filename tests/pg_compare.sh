#!/bin/bash
# tests/pg_compare.sh: runs tests/pg_compare.py (SQLite and PostgreSQL give the same answers)
# tests/pg_numeric_exact.py (numeric amounts of mixed scales summed exactly) and
# tests/pg_real_exact.py (double amounts: the HHI of the exact sums in every order and split)
# in a throw-away cluster (pg_virtualenv drops it afterwards). Needs the extension installed
# (postgres/run_tests.sh does that) and ./portfolio.so; exits 77 without PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v pg_virtualenv >/dev/null || [ ! -f /usr/share/postgresql/15/extension/portfolio.control ]; then
  echo "SKIP pg_compare: PostgreSQL 15 or the installed portfolio extension is missing"
  exit 77
fi
pg_virtualenv -v 15 sh -c "/usr/bin/python3 tests/pg_compare.py && /usr/bin/python3 tests/pg_numeric_exact.py && /usr/bin/python3 tests/pg_real_exact.py"
