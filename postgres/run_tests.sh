#!/bin/bash
# postgres/run_tests.sh: builds and installs the extension (root: the server's lib and share
# folders), then runs `make installcheck` in a throw-away cluster made by pg_virtualenv
# (postgresql-common), which drops it again afterwards. Exits 77 when PostgreSQL 15's
# development files are absent, so callers skip it by name.
set -euo pipefail
cd "$(dirname "$0")"
PG_CONFIG=${PG_CONFIG:-/usr/lib/postgresql/15/bin/pg_config}
if [ ! -x "$PG_CONFIG" ] || ! command -v pg_virtualenv >/dev/null; then
  echo "SKIP postgres installcheck: postgresql-server-dev-15 / postgresql-common not installed"
  exit 77
fi
make -s PG_CONFIG="$PG_CONFIG"
make -s PG_CONFIG="$PG_CONFIG" install >/dev/null
mkdir -p test/out && chmod 777 test/out
pg_virtualenv -v 15 make -s PG_CONFIG="$PG_CONFIG" installcheck "$@" || {
  cat test/out/regression.diffs 2>/dev/null | head -100; exit 1; }
