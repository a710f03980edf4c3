#!/usr/bin/env bash
# The core's files call each other in one direction only, and each header says who may
# include it (issue 10 point 4):
#   1. No ring: the graph "file A calls a function defined in file B", read from the
#      objects' symbols (nm), has no cycle of any length among ext/core's files (so
#      core_table.c, core_table_entry.c and core_table_rows.c, say, cannot call round).
#   2. Every ext/core header has an "Included by:" line, and a header that names the files
#      allowed ("... only") is included by no other ext/core, ext/sqlite, postgres, tests
#      or bench file.
set -u
. "$(dirname "$0")/lib.sh"
CC=${CC:-cc}
command -v "$CC" >/dev/null 2>&1 || { echo "skipped: no C compiler ($CC)"; exit 77; }
command -v nm >/dev/null 2>&1 || { echo "skipped: no nm"; exit 77; }
make_tmp

for src in ext/core/*.c; do
  "$CC" -std=gnu11 -O1 -Iext/core -c "$src" -o "$tmp/$(basename "$src" .c).o" ||
    fail "$src does not compile"
done

# 1. the call graph between files, then a depth-first search for a cycle
for obj in "$tmp"/*.o; do
  f=$(basename "$obj" .o)
  nm --defined-only "$obj" | awk -v f="$f" 'NF == 3 && $2 ~ /[TDBR]/ {print $3, f}'
done | sort > "$tmp/defined"
for obj in "$tmp"/*.o; do
  f=$(basename "$obj" .o)
  nm -u "$obj" | awk -v f="$f" 'NF == 2 {print $2, f}'
done | sort > "$tmp/used"
join "$tmp/used" "$tmp/defined" | awk '$2 != $3 {print $2, $3, $1}' | sort -u > "$tmp/calls"
ring=$(awk '
  { edge[$1] = edge[$1] " " $2; why[$1 " " $2] = $3 }
  function visit(n, path,    i, k, next_) {
    state[n] = 1
    k = split(edge[n], next_, " ")
    for (i = 1; i <= k; i++) {
      if (state[next_[i]] == 1) { print path " -> " next_[i] " (" why[n " " next_[i]] ")"; exit }
      if (state[next_[i]] == 0) visit(next_[i], path " -> " next_[i])
    }
    state[n] = 2
  }
  END { for (n in edge) if (state[n] == 0) visit(n, n) }' "$tmp/calls")
[ -z "$ring" ] || fail "ext/core files call each other in a ring: $ring"

# 2. headers
for h in ext/core/*.h; do
  grep -q 'Included by:' "$h" || fail "$h does not say who may include it (an 'Included by:' line)"
  # the rule: from "Included by:" to the line that ends it ("only" or a full stop)
  rule=$(awk '/Included by:/ {on = 1} on {print} on && /(\.|only)( |$)/ {exit}' "$h" |
         tr -d '*' | tr '\n' ' ')
  case "$rule" in
    *" only"*) ;;
    *) continue ;;
  esac
  name=$(basename "$h")
  for f in ext/core/*.[ch] ext/sqlite/*.[ch] postgres/*.[ch] tests/*.c tests/fuzz/*.c bench/*.[ch]; do
    [ -f "$f" ] || continue
    grep -q "#include \"$name\"" "$f" || continue
    base=$(basename "$f")
    case "$rule" in
      *"$base"*) ;;
      *) fail "$f includes $name, which says: $rule" ;;
    esac
  done
done
echo "ext/core: $(wc -l < "$tmp/calls") calls between files, no ring; every header says who includes it"
