# mk/postgres.mk: the PostgreSQL host (postgres/, PGXS). Kept out of `make test`: it needs
# postgresql-15 and postgresql-server-dev-15 (tests/install-deps.sh --postgres) and root for
# `make install` into the server's folders. Each step skips by name (exit 77) without them.
#   make pg-test      installcheck in a throw-away cluster, then the SQLite/PostgreSQL comparison
#   make pg-cluster   three local clusters, postgres_fdw partitions, partitionwise GROUP BY
.PHONY: pg-test pg-cluster pg-installcheck pg-compare

pg-installcheck:
	bash postgres/run_tests.sh

pg-compare: $(LIB)
	bash tests/pg_compare.sh

pg-test: pg-installcheck pg-compare

pg-cluster: pg-installcheck
	bash tests/pg_fdw.sh

# make bench-pg: keyed HHI over 10,000,000 rows, PostgreSQL 2/1/0 workers, the GROUP BY
# form and SQLite (bench/pg_bench.py; section of bench/RESULTS.md). PG_BENCH_ROWS=... to shrink.
.PHONY: bench-pg
bench-pg: $(LIB) pg-installcheck
	pg_virtualenv -v 15 /usr/bin/python3 bench/pg_bench.py
