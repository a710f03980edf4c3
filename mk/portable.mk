# portable.mk: the build without the compiler's __int128 (issue 14.3), tested on Linux.
#
#   make test-no-int128   the extension and every Check program built with -DPF_NO_INT128
#                         (ext/core/pf_wide.h then does its 128- and 192-bit arithmetic in
#                         two or three uint64_t), in $(NO_INT128_BUILD); runs the Check
#                         programs and the SQL tests against that library.
#
# Rules:
#   1. First every ext/ source is compiled once more with __int128 defined away, so any use
#      of it outside pf_wide.h's guarded half is a compile error, not a silent native path.
#   2. The Check programs may still use __int128 themselves (test_exact.c checks the
#      fallback against it): only ext/ is the code under test.
#   3. Script tests (hosts, packages) are not rerun: they do not touch the arithmetic.

NO_INT128_BUILD ?= build/no-int128

.PHONY: test-no-int128

test-no-int128:
	@mkdir -p $(NO_INT128_BUILD)
	$(CC) -fsyntax-only -O2 $(WARN) -DPF_NO_INT128 -D__int128=__int128_is_not_available \
	  -DSQLITE_CORE $(SQLITE_CFLAGS) $(EXT_INC) $(EXT_SRC)
	$(MAKE) --no-print-directory BUILD=$(NO_INT128_BUILD) CFLAGS="-O2 -DPF_NO_INT128" \
	  $(NO_INT128_BUILD)/$(LIB) $(patsubst $(BUILD)/%,$(NO_INT128_BUILD)/%,$(TEST_BIN))
	@export PORTFOLIO_EXT=$(abspath $(NO_INT128_BUILD))/portfolio BUILD=$(NO_INT128_BUILD); \
	failed=0; for t in $(NO_INT128_BUILD)/test_*; do \
	  out=$$($$t 2>&1) || { failed=$$((failed+1)); echo "FAIL: $$t"; }; \
	  printf '%s\n' "$$out" | grep -E '^[0-9]+%: Checks' | sed "s|^|$${t##*/}: |"; \
	done; \
	out=$$(bash tests/run_sql_tests.sh); \
	printf '%s\n' "$$out" | tail -n 1 | sed 's/^/SQL tests: /'; \
	printf '%s\n' "$$out" | tail -n 1 | grep -q ' 0 failed$$' || failed=$$((failed+1)); \
	echo "test-no-int128: $$failed failing group(s)"; [ $$failed -eq 0 ]
