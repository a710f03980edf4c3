# portfolio: a SQLite loadable extension for customer-portfolio measures.
#   make            build ./portfolio.so
#   make test       build and run every test (Check unit tests, SQL tests, host tests)
#   make demo       build, create the sample portfolio and print the review
#   make install PREFIX=/usr/local   (and make uninstall): the library into $(PREFIX)/lib
# The compiler decides the platform: make CC=aarch64-linux-gnu-gcc builds an arm64 portfolio.so,
# make CC=x86_64-w64-mingw32-gcc a Windows portfolio.dll (mk/platforms.mk: cross builds, tests).

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

# The target platform, read from the compiler, gives the library's suffix and link flags:
# SQLite's load_extension() adds the same suffix, so '.load ./portfolio' works everywhere.
# -static-libgcc: the DLL must not need MinGW's libgcc_s_seh-1.dll next to it.
TARGET_MACHINE := $(shell $(CC) -dumpmachine 2>/dev/null)
ifneq ($(findstring mingw,$(TARGET_MACHINE))$(findstring windows,$(TARGET_MACHINE)),)
  LIB_EXT := dll
  LIB_LDFLAGS := -shared -static-libgcc
else ifneq ($(findstring darwin,$(TARGET_MACHINE)),)
  LIB_EXT := dylib
  LIB_LDFLAGS := -fPIC -dynamiclib
else
  LIB_EXT := so
  LIB_LDFLAGS := -fPIC -shared
endif
# The loadable library exports its entry point only (it is marked visible in portfolio.c):
# SQLite loads extensions with RTLD_GLOBAL, so any other global name could clash with the
# host's, and hidden calls between the library's own files skip the PLT.
LIB_LDFLAGS += -fvisibility=hidden
LIB := portfolio.$(LIB_EXT)
# A cross compiler has no sqlite3.h in its sysroot; it gets the build machine's two headers
# (they are plain C declarations, the same on every platform) and nothing else from /usr/include.
NATIVE_MACHINE := $(shell cc -dumpmachine 2>/dev/null)
SQLITE_HEADER_DIR ?= /usr/include
ifneq ($(TARGET_MACHINE),$(NATIVE_MACHINE))
  SQLITE_CFLAGS := -isystem $(BUILD)/sqlite-headers
  CROSS_HEADERS := $(BUILD)/sqlite-headers/sqlite3ext.h
endif
BUILD    ?= build
TEST_BIN := $(patsubst tests/%.c,$(BUILD)/%,$(TEST_SRC))
CORE_OBJ := $(patsubst ext/%.c,$(BUILD)/obj/%.o,$(EXT_SRC))

.PHONY: all test clean
.SECONDARY:

all: $(LIB)

$(LIB): $(EXT_SRC) $(EXT_HDR) $(CROSS_HEADERS)
	$(CC) $(CFLAGS) $(WARN) $(LIB_LDFLAGS) $(SQLITE_CFLAGS) $(EXT_INC) -o $@ $(EXT_SRC) $(LDFLAGS) -lm

$(BUILD)/sqlite-headers/sqlite3ext.h: $(SQLITE_HEADER_DIR)/sqlite3.h $(SQLITE_HEADER_DIR)/sqlite3ext.h
	@mkdir -p $(dir $@)
	cp $^ $(dir $@)

# The same sources compiled into the test programs, registered with sqlite3_auto_extension.
$(BUILD)/obj/%.o: ext/%.c $(EXT_HDR)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(WARN) -DSQLITE_CORE $(SQLITE_CFLAGS) $(EXT_INC) -c -o $@ $<

# A test's further sources are listed as prerequisites of its own (below); all its .c go in.
$(BUILD)/test_%: tests/test_%.c tests/testing.h $(CORE_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(WARN) -DSQLITE_CORE $(SQLITE_CFLAGS) $(CHECK_CFLAGS) $(EXT_INC) -o $@ \
	  $(filter %.c,$^) $(CORE_OBJ) $(LDFLAGS) $(SQLITE_LIBS) $(CHECK_LIBS) -lm
$(BUILD)/test_oom: tests/oom_scenarios.c tests/oom_scenarios.h
$(BUILD)/test_query_vtabs: tests/stub_vtab.h
$(BUILD)/test_exact $(BUILD)/test_exact_sums: tests/core_testing.h

# Tests load the extension built inside $(BUILD), so that parallel builds in different
# BUILD folders never read a half-written library.
$(BUILD)/$(LIB): $(EXT_SRC) $(EXT_HDR) $(CROSS_HEADERS)
	@mkdir -p $(BUILD)
	$(CC) $(CFLAGS) $(WARN) $(LIB_LDFLAGS) $(SQLITE_CFLAGS) $(EXT_INC) -o $@ $(EXT_SRC) $(LDFLAGS) -lm

test: $(LIB) $(BUILD)/$(LIB) $(TEST_BIN)
	PORTFOLIO_EXT=$(abspath $(BUILD))/portfolio BUILD=$(BUILD) bash tests/run_all.sh

clean:
	rm -rf build portfolio.so portfolio.dylib portfolio.dll

# Further targets (demo, review, bench, sanitize, valgrind, fuzz, coverage) live in mk/*.mk.
include $(sort $(wildcard mk/*.mk))
