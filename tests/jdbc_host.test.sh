#!/usr/bin/env bash
# JDBC as a host: tests/jdbc/HostQueries.java, compiled with javac against Debian's xerial
# sqlite-jdbc driver (libxerial-sqlite-jdbc-java, what DBeaver, DataGrip and Metabase use),
# enables extension loading (SQLiteConfig.enableLoadExtension), loads the extension with
# SELECT load_extension(?) and runs one query of every kind, concentration(...) included;
# tests/host_queries.py computes the expected answers and compares.
set -u
. "$(dirname "$0")/lib.sh"
need_ext
jar=/usr/share/java/xerial-sqlite-jdbc.jar
command -v javac >/dev/null && command -v java >/dev/null ||
  { echo "skipped: needs a JDK (default-jdk-headless; tests/install-deps.sh installs it)"; exit 77; }
[ -f "$jar" ] ||
  { echo "skipped: needs $jar (libxerial-sqlite-jdbc-java; tests/install-deps.sh)"; exit 77; }
make_tmp
javac -d "$tmp" -cp "$jar" tests/jdbc/HostQueries.java || { echo "FAIL: javac"; exit 1; }
/usr/bin/python3 tests/host_queries.py setup > "$tmp/setup.sql"
/usr/bin/python3 tests/host_queries.py queries > "$tmp/queries.tsv"
java -cp "$jar:$tmp" HostQueries "$PORTFOLIO_EXT" "$tmp/setup.sql" "$tmp/queries.tsv" \
  > "$tmp/answers.jsonl" || { echo "FAIL: java HostQueries"; exit 1; }
exec /usr/bin/python3 tests/host_queries.py check "$tmp/answers.jsonl" jdbc
