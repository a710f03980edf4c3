# portfolio: a SQLite loadable extension for customer-portfolio measures.
#   make            build ./portfolio.so
#   make test       build and run every test (Check unit tests, SQL tests, host tests)
#   make demo       build, create the sample portfolio and print the review

CC      ?= cc
CFLAGS  ?= -O2
WARN    := -Wall -Wextra -Werror
SQLITE_CFLAGS := $(shell pkg-config --cflags sqlite3 2>/dev/null)
SQLITE_LIBS   := $(shell pkg-config --libs sqlite3 2>/dev/null || echo -lsqlite3)
CHECK_CFLAGS  := $(shell pkg-config --cflags check 2>/dev/null)
CHECK_LIBS    := $(shell pkg-config --libs check 2>/dev/null || echo -lcheck)

# ext/core: the host-neutral numbers, table and measures; ext/sqlite: the SQLite layer.
EXT_DIRS := ext/core ext/sqlite
EXT_SRC  := $(foreach d,$(EXT_DIRS),$(wildcard $(d)/*.c))
EXT_HDR  := $(foreach d,$(EXT_DIRS),$(wildcard $(d)/*.h))
EXT_INC  := $(addprefix -I,$(EXT_DIRS))
TEST_SRC := $(wildcard tests/test_*.c)
# The loadable library exports its entry point only (it is marked visible in portfolio.c):
# SQLite loads extensions with RTLD_GLOBAL, so any other global name could clash with the
# host's, and hidden calls between the library's own files skip the PLT.
SO_FLAGS := -fPIC -shared -fvisibility=hidden
BUILD    ?= build
TEST_BIN := $(patsubst tests/%.c,$(BUILD)/%,$(TEST_SRC))
CORE_OBJ := $(patsubst ext/%.c,$(BUILD)/obj/%.o,$(EXT_SRC))

.PHONY: all test clean
.SECONDARY:

all: portfolio.so

portfolio.so: $(EXT_SRC) $(EXT_HDR)
	$(CC) $(CFLAGS) $(WARN) $(SO_FLAGS) $(SQLITE_CFLAGS) $(EXT_INC) -o $@ $(EXT_SRC) $(LDFLAGS) -lm

# The same sources compiled into the test programs, registered with sqlite3_auto_extension.
$(BUILD)/obj/%.o: ext/%.c $(EXT_HDR)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(WARN) -DSQLITE_CORE $(SQLITE_CFLAGS) $(EXT_INC) -c -o $@ $<

$(BUILD)/test_%: tests/test_%.c tests/testing.h $(CORE_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(WARN) -DSQLITE_CORE $(SQLITE_CFLAGS) $(CHECK_CFLAGS) $(EXT_INC) -o $@ $< \
	  $(CORE_OBJ) $(LDFLAGS) $(SQLITE_LIBS) $(CHECK_LIBS) -lm

# Tests load the extension built inside $(BUILD), so that parallel builds in different
# BUILD folders never read a half-written library.
$(BUILD)/portfolio.so: $(EXT_SRC) $(EXT_HDR)
	@mkdir -p $(BUILD)
	$(CC) $(CFLAGS) $(WARN) $(SO_FLAGS) $(SQLITE_CFLAGS) $(EXT_INC) -o $@ $(EXT_SRC) $(LDFLAGS) -lm

test: portfolio.so $(BUILD)/portfolio.so $(TEST_BIN)
	PORTFOLIO_EXT=$(abspath $(BUILD))/portfolio BUILD=$(BUILD) bash tests/run_all.sh

clean:
	rm -rf build portfolio.so

# Further targets (demo, review, bench, sanitize, valgrind, fuzz, coverage) live in mk/*.mk.
include $(sort $(wildcard mk/*.mk))
