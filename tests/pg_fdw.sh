#!/bin/bash
# tests/pg_fdw.sh: the measures across servers, on one machine.
#   1. Three throw-away clusters (initdb as the postgres user in a temporary folder, trust
#      authentication, distinct localhost ports): a coordinator and two data servers.
#   2. On the coordinator, invoices is hash-partitioned by customer; each partition is a
#      postgres_fdw foreign table on one data server. Rows are inserted through the
#      coordinator (postgres_fdw routes them), and also into one local table.
#   3. With enable_partitionwise_aggregate, EXPLAIN VERBOSE must show the per-customer
#      GROUP BY in the remote SQL sent to each data server.
#   4. The two-level HHI, top-n share and Gini over the partitioned table equal the keyed
#      answers over the local (single-server) table: exactly, amounts being integers.
#   5. The clusters are stopped and removed at the end, also on failure (trap).
# Needs the portfolio extension installed (postgres/run_tests.sh); exits 77 without PG 15.
set -euo pipefail
BIN=/usr/lib/postgresql/15/bin
if [ ! -x $BIN/initdb ] || [ ! -f /usr/share/postgresql/15/extension/portfolio.control ] ||
   [ ! -f /usr/share/postgresql/15/extension/postgres_fdw.control ]; then
  echo "SKIP pg_fdw: PostgreSQL 15, postgres_fdw or the installed portfolio extension missing"
  exit 77
fi
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
WORK=$(mktemp -d /tmp/pg_fdw.XXXXXX)
chmod 755 "$WORK"
[ "$(id -u)" -eq 0 ] && chown postgres "$WORK"
BASE=$(( 20000 + RANDOM % 20000 ))
PORTS=($BASE $((BASE + 1)) $((BASE + 2)))
cleanup() {
  for i in 0 1 2; do
    [ -f "$WORK/c$i/postmaster.pid" ] && as_pg $BIN/pg_ctl -D "$WORK/c$i" -m immediate stop >/dev/null 2>&1 || true
  done
  rm -rf "$WORK"
}
trap cleanup EXIT
for i in 0 1 2; do
  as_pg $BIN/initdb -D "$WORK/c$i" -A trust -U postgres >/dev/null
  as_pg $BIN/pg_ctl -D "$WORK/c$i" -l "$WORK/c$i.log" -w \
    -o "-p ${PORTS[$i]} -k $WORK -c listen_addresses=127.0.0.1" start >/dev/null
done
q() { local i=$1; shift; as_pg psql -X -q -At -v ON_ERROR_STOP=1 -h "$WORK" -p "${PORTS[$i]}" -U postgres -d postgres "$@"; }

for i in 1 2; do q $i -c "CREATE TABLE invoices_p$((i - 1)) (customer integer, amount bigint)"; done
q 0 <<SQL
CREATE EXTENSION portfolio;
CREATE EXTENSION postgres_fdw;
CREATE SERVER data1 FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host '127.0.0.1', port '${PORTS[1]}', dbname 'postgres');
CREATE SERVER data2 FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host '127.0.0.1', port '${PORTS[2]}', dbname 'postgres');
CREATE USER MAPPING FOR postgres SERVER data1 OPTIONS (user 'postgres');
CREATE USER MAPPING FOR postgres SERVER data2 OPTIONS (user 'postgres');
CREATE TABLE invoices (customer integer, amount bigint) PARTITION BY HASH (customer);
CREATE FOREIGN TABLE invoices_p0 PARTITION OF invoices FOR VALUES WITH (MODULUS 2, REMAINDER 0)
  SERVER data1 OPTIONS (table_name 'invoices_p0');
CREATE FOREIGN TABLE invoices_p1 PARTITION OF invoices FOR VALUES WITH (MODULUS 2, REMAINDER 1)
  SERVER data2 OPTIONS (table_name 'invoices_p1');
CREATE TABLE invoices_local AS
  SELECT (i * 7919 % 3001) AS customer, ((i::bigint * 104729) % 50000 - 4000)::bigint AS amount
  FROM generate_series(1, 60000) i;
INSERT INTO invoices SELECT * FROM invoices_local;
SQL
rows1=$(q 1 -c "SELECT count(*) FROM invoices_p0"); rows2=$(q 2 -c "SELECT count(*) FROM invoices_p1")
echo "rows on data server 1: $rows1, on data server 2: $rows2"
[ "$rows1" -gt 0 ] && [ "$rows2" -gt 0 ] && [ $((rows1 + rows2)) -eq 60000 ]

TWO_LEVEL="FROM (SELECT customer, sum(amount) AS total FROM invoices GROUP BY customer) t"
plan=$(q 0 -c "SET enable_partitionwise_aggregate = on" \
  -c "EXPLAIN (VERBOSE, COSTS OFF) SELECT herfindahl(total) $TWO_LEVEL")
echo "$plan"
pushed=$(grep -c 'Remote SQL: SELECT customer, sum(amount) FROM public.invoices_p[01] GROUP BY 1' <<<"$plan" || true)
if [ "$pushed" -ne 2 ]; then echo "FAIL: the GROUP BY was not sent to both data servers"; exit 1; fi

distributed=$(q 0 -c "SET enable_partitionwise_aggregate = on" -c \
  "SELECT herfindahl(total), top_share(total, 10), gini(total) $TWO_LEVEL")
single=$(q 0 -c "SELECT herfindahl(customer, amount), top_share(customer, amount, 10),
  gini(customer, amount) FROM invoices_local")
plain=$(q 0 -c "SELECT 10000 * sum(total::numeric * total) / (sum(total::numeric) * sum(total))
  FROM (SELECT customer, sum(amount) AS total FROM invoices GROUP BY customer HAVING sum(amount) > 0) t")
echo "two-level over 2 servers: $distributed"
echo "keyed on one server:      $single"
echo "plain SQL HHI:            $plain"
[ "$distributed" = "$single" ] || { echo "FAIL: two-level answers differ from one server"; exit 1; }
python3 -c "import sys; a=float('$distributed'.split('|')[0]); b=float('$plain'); sys.exit(abs(a-b) > 1e-9*b)" ||
  { echo "FAIL: HHI differs from the plain-SQL form"; exit 1; }
echo "PASS: pg_fdw"
