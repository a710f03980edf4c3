# make bench [QUICK=1]: times every function against SQLite's own floor (sum() over the same
# rows), the pure-SQL way and DuckDB; writes bench/RESULTS.md (QUICK=1: small data, fewer
# repetitions, report in bench/data/RESULTS-quick.md). Not part of make test: no timing is
# ever asserted there. bench/NOTES.md explains the numbers.
BENCH_CFLAGS ?= -O2
BENCH_BIN    := $(BUILD)/bench/portfolio-bench
BENCH_SRC    := $(wildcard bench/*.c)
BENCH_OUT    := $(if $(QUICK),bench/data/RESULTS-quick.md,bench/RESULTS.md)

.PHONY: bench bench-duckdb

$(BENCH_BIN): $(BENCH_SRC) $(wildcard bench/*.h) $(EXT_SRC) $(EXT_HDR)
	@mkdir -p $(dir $@)
	$(CC) $(BENCH_CFLAGS) $(WARN) -DSQLITE_CORE $(SQLITE_CFLAGS) $(EXT_INC) -Ibench -o $@ \
	  $(BENCH_SRC) $(EXT_SRC) $(SQLITE_LIBS) -lm

# DuckDB for the side-by-side numbers, from the npm registry into bench/node_modules. A
# failure here is reported and the benchmark runs without DuckDB.
bench-duckdb:
	@if [ -f bench/node_modules/@duckdb/node-api/package.json ]; then :; \
	elif command -v npm >/dev/null 2>&1; then \
	  (cd bench && npm install --no-audit --no-fund --no-package-lock --loglevel=error) || \
	    echo "bench: npm install of @duckdb/node-api failed; DuckDB will be reported unavailable"; \
	else echo "bench: npm not found; DuckDB will be reported unavailable"; fi

bench: $(BENCH_BIN) bench-duckdb
	@mkdir -p bench/data
	$(BENCH_BIN) $(if $(QUICK),--quick) --data bench/data --out $(BENCH_OUT) \
	  --duckdb $(if $(shell command -v node 2>/dev/null),bench/duckdb.mjs,none)

# make bench-risk-fit: risk_fit over 1,000,000 accounts x 8 factors against scikit-learn's
# LogisticRegression on the same one-hot bins (issue 9 point 7); prints the Markdown section
# kept at the end of bench/RESULTS.md. Needs python3-numpy, python3-sklearn.
.PHONY: bench-risk-fit
bench-risk-fit: $(BUILD)/$(LIB)
	/usr/bin/python3 bench/risk_fit_bench.py $(abspath $(BUILD))/portfolio
