#!/usr/bin/env bash
# The core (ext/core) is host-neutral: it must build and link with no SQLite at all, so a
# second host (PostgreSQL) can compile it unchanged.
#   1. Every ext/core/*.c compiles with only ext/core on the include path and sqlite3.h /
#      sqlite3ext.h replaced by headers that stop the compiler (#error), so even an
#      indirect include of a system SQLite header fails.
#   2. No core source or header names sqlite3_*, SQLITE_* or a SQLite header in its code
#      (comments may explain how a host binds the core).
#   3. The objects' undefined symbols are the host interface of pf_host.h (pf_malloc,
#      pf_realloc, pf_free) and the C library only: a program that links the core with its
#      own pf_host.h and no SQLite library runs, and a table and a measure give the right
#      numbers (worked by hand below).
set -u
. "$(dirname "$0")/lib.sh"
CC=${CC:-cc}
command -v "$CC" >/dev/null 2>&1 || { echo "skipped: no C compiler ($CC)"; exit 77; }
make_tmp

mkdir -p "$tmp/poison"
for h in sqlite3.h sqlite3ext.h; do
  printf '#error "ext/core must not include %s"\n' "$h" > "$tmp/poison/$h"
done

# 2. no SQLite names in the core's code (comments stripped by the preprocessor, which
#    does not expand includes with -fpreprocessed).
for f in ext/core/*.c ext/core/*.h; do
  if "$CC" -fpreprocessed -dD -E -P -x c "$f" 2>/dev/null | grep -nE 'sqlite3|SQLITE_'; then
    fail "$f names SQLite in its code (lines above)"
  fi
done

# 1. compile each file alone.
objs=()
for src in ext/core/*.c; do
  obj="$tmp/$(basename "$src" .c).o"
  "$CC" -std=gnu11 -O1 -Wall -Wextra -Werror -I"$tmp/poison" -Iext/core -c "$src" -o "$obj" \
    || fail "$src does not compile without SQLite"
  objs+=("$obj")
done

# 3. undefined symbols: only pf_host.h's and the C library's (no sqlite3_*).
nm -u "${objs[@]}" | awk 'NF == 2 {print $2}' | sort -u > "$tmp/undefined"
nm --defined-only "${objs[@]}" | awk 'NF == 3 {print $3}' | sort -u > "$tmp/defined"
bad=$(comm -23 "$tmp/undefined" "$tmp/defined" | grep -E '^sqlite3|^pf_' |
      grep -vxE 'pf_malloc|pf_realloc|pf_free')
[ -z "$bad" ] || fail "the core needs symbols it does not define: $bad"

# A host of its own: plain malloc, a table of three customers, HHI and top share.
cat > "$tmp/host.c" <<'C'
#include "portfolio_core.h"
#include "pf_host.h"
#include <stdio.h>
#include <stdlib.h>
void *pf_malloc(uint64_t n) { return malloc(n); }
void *pf_realloc(void *p, uint64_t n) { return realloc(p, n); }
void pf_free(void *p) { free(p); }
int main(void) {
  pf_table t = {0};
  pf_values v = {0, 0, 0};
  const char *names[] = {"a", "b", "c", "a"};
  double amounts[] = {30, 20, 20, 30}; /* a: 60, b: 20, c: 20 */
  double hhi = -1, top1 = -1;
  int64_t customers = 0;
  int i;
  for (i = 0; i < 4; i++) {
    pf_key k = {PF_KEY_TEXT, 0, 0, 0, names[i], 1};
    pf_num x = {0, 0, amounts[i]};
    if (pf_table_add(&t, &k, &x, 1) != PF_OK) return 2;
  }
  if (pf_table_hhi(&t, &hhi, &customers) != PF_OK) return 3;
  if (pf_values_from_table(&v, &t) != PF_OK) return 4;
  if (pf_top_share(v.v, v.n, 1, &top1) != PF_OK) return 5;
  /* 0.6^2 + 0.2^2 + 0.2^2 = 0.44 -> 4400; the largest holds 0.6 */
  printf("%lld %.6f %.6f\n", (long long)customers, hhi, top1);
  pf_values_free(&v);
  pf_table_free(&t);
  return 0;
}
C
"$CC" -std=gnu11 -O1 -Wall -Wextra -Werror -I"$tmp/poison" -Iext/core -o "$tmp/host" \
  "$tmp/host.c" "${objs[@]}" -lm || fail "a host with no SQLite cannot link the core"
out=$("$tmp/host") || fail "the SQLite-free host failed (rc=$?)"
[ "$out" = "3 4400.000000 0.600000" ] || fail "SQLite-free host printed '$out', want '3 4400.000000 0.600000'"
echo "ext/core: ${#objs[@]} files build and link without SQLite"
