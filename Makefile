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

EXT_SRC  := $(wildcard ext/*.c)
EXT_HDR  := $(wildcard ext/*.h)
TEST_SRC := $(wildcard tests/test_*.c)
TEST_BIN := $(patsubst tests/%.c,build/%,$(TEST_SRC))
BUILD    ?= build
CORE_OBJ := $(patsubst ext/%.c,$(BUILD)/core/%.o,$(EXT_SRC))

.PHONY: all test clean

all: portfolio.so

portfolio.so: $(EXT_SRC) $(EXT_HDR)
	$(CC) $(CFLAGS) $(WARN) -fPIC -shared $(SQLITE_CFLAGS) -o $@ $(EXT_SRC) -lm

# The same sources compiled into the test programs, registered with sqlite3_auto_extension.
$(BUILD)/core/%.o: ext/%.c $(EXT_HDR)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(WARN) -DSQLITE_CORE $(SQLITE_CFLAGS) -c -o $@ $<

$(BUILD)/test_%: tests/test_%.c tests/testing.h $(CORE_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(WARN) -DSQLITE_CORE $(SQLITE_CFLAGS) $(CHECK_CFLAGS) -Iext -o $@ $< \
	  $(CORE_OBJ) $(SQLITE_LIBS) $(CHECK_LIBS) -lm

test: portfolio.so $(TEST_BIN)
	bash tests/run_all.sh

clean:
	rm -rf build portfolio.so
