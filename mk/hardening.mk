# mk/hardening.mk: memory-safety and robustness targets (see SECURITY.md and COVERAGE.md).
#
#   make sanitize      the whole test suite with the extension and the Check programs built
#                      with -fsanitize=address,undefined (private build dir build/asan)
#   make valgrind      the Check programs (CK_FORK=no) and the SQL tests under valgrind
#                      memcheck, leak checking on (build/valgrind)
#   make fuzz          the libFuzzer harness tests/fuzz/fuzz_*.c for FUZZ_SECONDS
#   make fuzz-smoke    CI's fuzzing, which fails only for a regression: every checked-in
#                      input replayed, then FUZZ_SMOKE_RUNS executions explored from them
#                      with the fixed seed FUZZ_SMOKE_SEED (the same inputs on every run)
#   make coverage      line and branch coverage of ext/ by the whole suite (build/coverage)
#
# How the SQL tests run under ASan: they use the system sqlite3 shell, which is not built
# with ASan, so the instrumented portfolio.so can only be loaded with libasan preloaded
# (LD_PRELOAD=$(gcc -print-file-name=libasan.so)). The preload is set for the whole run so
# that any host a test script uses (/usr/bin/python3 too) can load the instrumented library.
# Leak checking is off by default (python3, gcc and others leak on purpose at exit) and
# switched on, through ASan's include_if_exists=.../%b option file per program name, for the
# programs that must not leak: every Check test program and the sqlite3 shell.

ASAN_BUILD     ?= build/asan
VALGRIND_BUILD ?= build/valgrind
COVERAGE_BUILD ?= build/coverage
FUZZ_BUILD     ?= build/fuzz
FUZZ_SECONDS   ?= 600
# fuzz-smoke: a fixed seed and a count of executions (not a time), so that every CI run
# tries the same inputs and a red run means the submission broke one of them.
FUZZ_SMOKE_SEED ?= 20261202
FUZZ_SMOKE_RUNS ?= 50000
FUZZ_SMOKE_DIR  ?= $(FUZZ_BUILD)/smoke-corpus
FUZZ_CC        ?= clang
# test_oom under memcheck tries every k-th allocation only (every one is tried by make test).
VALGRIND_OOM_STRIDE ?= 13
# Check programs run under memcheck this many at a time (CI has 2 cores).
VALGRIND_JOBS ?= 2

SAN_FLAGS  := -fsanitize=address,undefined -fno-sanitize-recover=all
ASAN_CFLAGS := -O1 -g -fno-omit-frame-pointer $(SAN_FLAGS)
LIBASAN     = $(shell $(CC) -print-file-name=libasan.so)
ASAN_ABS    = $(abspath $(ASAN_BUILD))
ASAN_ENV    = LD_PRELOAD=$(LIBASAN) \
  ASAN_OPTIONS=detect_leaks=0:detect_stack_use_after_return=1:strict_string_checks=1:check_initialization_order=1:include_if_exists=$(ASAN_ABS)/asan-options/%b \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

VALGRIND := valgrind -q --error-exitcode=99 --leak-check=full \
  --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect \
  --track-origins=yes

.PHONY: sanitize valgrind hardening-build fuzz fuzz-smoke fuzz-build coverage

# Builds the extension and every Check program into $(BUILD) with the caller's CFLAGS.
hardening-build: $(BUILD)/portfolio.so $(TEST_BIN)

sanitize:
	$(MAKE) --no-print-directory hardening-build BUILD=$(ASAN_BUILD) \
	  CFLAGS="$(ASAN_CFLAGS)" LDFLAGS="$(SAN_FLAGS)"
	@rm -rf $(ASAN_BUILD)/asan-options && mkdir -p $(ASAN_BUILD)/asan-options
	@for p in sqlite3 $(ASAN_BUILD)/test_*; do \
	  echo detect_leaks=1 > $(ASAN_BUILD)/asan-options/$${p##*/}; done
	$(ASAN_ENV) PORTFOLIO_EXT=$(ASAN_ABS)/portfolio BUILD=$(ASAN_BUILD) bash tests/run_all.sh

# Check programs with CK_FORK=no (tests/valgrind_one.sh), VALGRIND_JOBS at a time; SQL tests
# through a sqlite3 wrapper on PATH: valgrind's reports go to stderr, which the SQL test
# runner compares with the expected output, so any report fails that test.
valgrind:
	$(MAKE) --no-print-directory hardening-build BUILD=$(VALGRIND_BUILD) CFLAGS="-O1 -g"
	@mkdir -p $(VALGRIND_BUILD)/bin
	@printf '#!/bin/sh\nexec %s %s "$$@"\n' "$(VALGRIND)" "$$(command -v sqlite3)" \
	  > $(VALGRIND_BUILD)/bin/sqlite3 && chmod +x $(VALGRIND_BUILD)/bin/sqlite3
	@failed=0; ls $(VALGRIND_BUILD)/test_* | grep -v '\.valgrind\.log$$' | \
	  VALGRIND="$(VALGRIND)" PF_OOM_STRIDE=$(VALGRIND_OOM_STRIDE) \
	  PORTFOLIO_EXT=$(abspath $(VALGRIND_BUILD))/portfolio BUILD=$(VALGRIND_BUILD) \
	  xargs -P $(VALGRIND_JOBS) -n 1 bash tests/valgrind_one.sh || failed=1; \
	out=$$(PATH=$(abspath $(VALGRIND_BUILD))/bin:$$PATH \
	  PORTFOLIO_EXT=$(abspath $(VALGRIND_BUILD))/portfolio bash tests/run_sql_tests.sh); \
	printf '%s\n' "$$out" | sed 's/^/valgrind SQL: /'; \
	printf '%s\n' "$$out" | tail -n 1 | grep -q ' 0 failed$$' || failed=$$((failed+1)); \
	echo "valgrind: $$failed failing group(s)"; [ $$failed -eq 0 ]

# libFuzzer: clang with -fsanitize=fuzzer,address,undefined (Debian: clang, libclang-rt-14-dev);
# the extension compiled in with -DSQLITE_CORE against the system libsqlite3. New inputs go
# to $(FUZZ_BUILD)/corpus; the checked-in seeds in tests/fuzz/corpus are only read.
# Crashes are written to $(FUZZ_BUILD)/crash-* (replay: $(FUZZ_BIN) <file>).
FUZZ_BIN   := $(FUZZ_BUILD)/fuzz_portfolio
FUZZ_FLAGS := -g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined \
  -fno-sanitize-recover=all
FUZZ_RUN    = $(FUZZ_BIN) -timeout=20 -rss_limit_mb=2048 -max_len=4096 \
  -dict=tests/fuzz/portfolio.dict -print_final_stats=1 -artifact_prefix=$(FUZZ_BUILD)/ \
  $(FUZZ_BUILD)/corpus tests/fuzz/corpus

fuzz-build: $(FUZZ_BIN)

FUZZ_SRC   := $(wildcard tests/fuzz/*.c)

$(FUZZ_BIN): $(FUZZ_SRC) tests/fuzz/fuzz.h tests/stub_vtab.h $(EXT_SRC) $(EXT_HDR)
	@mkdir -p $(FUZZ_BUILD)/corpus
	$(FUZZ_CC) $(FUZZ_FLAGS) -Wall -DSQLITE_CORE $(SQLITE_CFLAGS) $(EXT_INC) -Itests/fuzz -o $@ \
	  $(FUZZ_SRC) $(EXT_SRC) $(SQLITE_LIBS) -lm

fuzz: $(FUZZ_BIN)
	$(FUZZ_RUN) -max_total_time=$(FUZZ_SECONDS)

# Replay first (-runs=0 runs each input once), then explore into a fresh, empty directory:
# inputs found by earlier runs (in $(FUZZ_BUILD)/corpus) would change what is explored.
# A finding is kept as $(FUZZ_BUILD)/crash-*: fix it and add it to tests/fuzz/corpus.
fuzz-smoke: $(FUZZ_BIN)
	$(FUZZ_BIN) -runs=0 -timeout=20 -rss_limit_mb=2048 tests/fuzz/corpus
	rm -rf $(FUZZ_SMOKE_DIR) && mkdir -p $(FUZZ_SMOKE_DIR)
	$(FUZZ_BIN) -seed=$(FUZZ_SMOKE_SEED) -runs=$(FUZZ_SMOKE_RUNS) -timeout=20 \
	  -rss_limit_mb=2048 -max_len=4096 -dict=tests/fuzz/portfolio.dict -print_final_stats=1 \
	  -artifact_prefix=$(FUZZ_BUILD)/ $(FUZZ_SMOKE_DIR) tests/fuzz/corpus

# Line and branch coverage of ext/ by the whole suite: the Check programs (static copy) and
# the SQL and script tests (the .so in the sqlite3 shell and python) both write .gcda files
# into $(COVERAGE_BUILD); gcovr merges them. Report: $(COVERAGE_BUILD)/coverage.html and
# coverage.txt; the summary is printed. COVERAGE.md lists the branches left uncovered.
coverage:
	rm -rf $(COVERAGE_BUILD)
	$(MAKE) --no-print-directory hardening-build BUILD=$(COVERAGE_BUILD) \
	  CFLAGS="-O0 -g --coverage" LDFLAGS="--coverage"
	-PORTFOLIO_EXT=$(abspath $(COVERAGE_BUILD))/portfolio BUILD=$(COVERAGE_BUILD) \
	  bash tests/run_all.sh > $(COVERAGE_BUILD)/tests.log 2>&1; tail -n 3 $(COVERAGE_BUILD)/tests.log
	gcovr --root . --filter 'ext/' --branches --exclude-unreachable-branches \
	  --exclude-throw-branches --txt $(COVERAGE_BUILD)/coverage.txt \
	  --html-details $(COVERAGE_BUILD)/coverage.html --print-summary $(COVERAGE_BUILD)
