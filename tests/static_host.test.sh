#!/usr/bin/env bash
# Static linking: tests/static_host.c compiled together with ext/core/*.c and ext/sqlite/*.c (-DSQLITE_CORE, as an
# application embeds the extension), registered with sqlite3_auto_extension; one query of
# each kind must give the values worked out by hand from the spec.
set -u
. "$(dirname "$0")/lib.sh"
: "${BUILD:=build}"
CC=${CC:-cc}
mkdir -p "$BUILD"
# shellcheck disable=SC2046
if ! $CC -O1 -Wall -Wextra -Werror -DSQLITE_CORE $(pkg-config --cflags sqlite3 2>/dev/null) \
     -Iext/core -Iext/sqlite -o "$BUILD/static_host" tests/static_host.c ext/core/*.c ext/sqlite/*.c \
     $(pkg-config --libs sqlite3 2>/dev/null || echo -lsqlite3) -lm; then
  echo "FAIL: tests/static_host.c does not build with ext/core/*.c ext/sqlite/*.c"; exit 1
fi
got=$("$BUILD/static_host" 2>&1)
rc=$?
[ "$rc" -eq 0 ] || { echo "$got"; echo "FAIL: static_host exited $rc"; exit 1; }
# 30/30/20/20 -> 900+900+400+400 = 2600 (the spec's example), above 1800 -> highly
# concentrated; a nets 30+20 = 50 of 100; adoption 0.25 alone -> 100 * (1 - 0.25) = 75;
# a rollout below 1 -> deployment.
want='2600.0
highly concentrated
a:0.5 b:0.5
75.0
deployment'
if [ "$got" != "$want" ]; then
  diff <(echo "$want") <(echo "$got"); echo "FAIL: static_host printed other values"; exit 1
fi
echo "$got" | sed 's/^/static_host: /'
