#!/usr/bin/env bash
# The layers' files call each other in one direction only, and each header says who may
# include it (issue 10 point 4):
#   1. No ring: the graph "file A calls a function defined in file B", read from the
#      objects' symbols (nm), has no cycle of any length among ext/core's files (so
#      core_table.c, core_table_entry.c and core_table_rows.c, say, cannot call round),
#      nor among ext/core and ext/sqlite (compiled as the Makefile compiles the library),
#      nor among ext/core and postgres (compiled against the server's headers; skipped by
#      name when pg_config or the headers are absent).
#   2. Every ext/core, ext/sqlite and postgres header has an "Included by:" line, and a
#      header that names the files allowed ("... only") is included by no other ext/core,
#      ext/sqlite, postgres, tests or bench file; "the files of <folder> only" allows the
#      files of that folder.
set -u
. "$(dirname "$0")/lib.sh"
CC=${CC:-cc}
command -v "$CC" >/dev/null 2>&1 || { echo "skipped: no C compiler ($CC)"; exit 77; }
command -v nm >/dev/null 2>&1 || { echo "skipped: no nm"; exit 77; }
make_tmp

# compile <folder of objects> <flags...> -- <sources...>
compile() {
  local out=$1 flags=() src
  shift
  while [ "$1" != "--" ]; do flags+=("$1"); shift; done
  shift
  mkdir -p "$out"
  for src in "$@"; do
    "$CC" -std=gnu11 -O1 "${flags[@]}" -c "$src" -o "$out/$(basename "$src" .c).o" ||
      fail "$src does not compile"
  done
}

# ring <name> <folders of objects...>: the call graph between their files, then a
# depth-first search for a cycle; sets $calls to the number of calls between files.
# sqlite3_api is no call: it is the pointer SQLite's extension macros read in every file
# (defined by SQLITE_EXTENSION_INIT1 in portfolio.c).
ring() {
  local name=$1 obj f
  shift
  for obj in $(for d in "$@"; do echo "$d"/*.o; done); do
    f=$(basename "$obj" .o)
    nm --defined-only "$obj" | awk -v f="$f" 'NF == 3 && $2 ~ /[TDBR]/ {print $3, f}'
  done | sort > "$tmp/defined"
  for obj in $(for d in "$@"; do echo "$d"/*.o; done); do
    f=$(basename "$obj" .o)
    nm -u "$obj" | awk -v f="$f" 'NF == 2 {print $2, f}'
  done | sort > "$tmp/used"
  join "$tmp/used" "$tmp/defined" |
    awk '$2 != $3 && $1 != "sqlite3_api" {print $2, $3, $1}' | sort -u > "$tmp/calls"
  cycle=$(awk '
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
  [ -z "$cycle" ] || fail "$name files call each other in a ring: $cycle"
  calls=$(wc -l < "$tmp/calls")
}

# 1. rings: the core alone, the core with the SQLite layer, the core with PostgreSQL's
compile "$tmp/core" -Iext/core -- ext/core/*.c
ring ext/core "$tmp/core"
summary="ext/core: $calls calls between files"
# shellcheck disable=SC2046 # pkg-config prints flags to split
compile "$tmp/sqlite" $(pkg-config --cflags sqlite3 2>/dev/null) -Iext/core -Iext/sqlite \
  -- ext/sqlite/*.c
ring "ext/core and ext/sqlite" "$tmp/core" "$tmp/sqlite"
summary="$summary; with ext/sqlite: $calls"
pg_include=$(pg_config --includedir-server 2>/dev/null)
if [ -n "$pg_include" ] && [ -f "$pg_include/postgres.h" ]; then
  compile "$tmp/pg" -fPIC -Iext/core -Ipostgres -I"$pg_include" -- postgres/*.c
  ring "ext/core and postgres" "$tmp/core" "$tmp/pg"
  summary="$summary; with postgres: $calls"
else
  summary="$summary; postgres skipped (no pg_config or server headers)"
fi

# 2. headers
for h in ext/core/*.h ext/sqlite/*.h postgres/*.h; do
  grep -q 'Included by:' "$h" || fail "$h does not say who may include it (an 'Included by:' line)"
  # the rule: from "Included by:" to the line that ends it ("only" or a full stop)
  rule=$(awk '/Included by:/ {on = 1} on {print} on && /(\.|only)( |$)/ {exit}' "$h" |
         tr -d '*' | tr '\n' ' ')
  case "$rule" in
    *" only"*) ;;
    *) continue ;;
  esac
  folder=$(printf '%s\n' "$rule" | sed -n 's/.*the files of \([^ ]*\) only.*/\1/p')
  name=$(basename "$h")
  for f in ext/core/*.[ch] ext/sqlite/*.[ch] postgres/*.[ch] tests/*.c tests/fuzz/*.c \
           bench/*.[ch]; do
    [ -f "$f" ] || continue
    grep -q "#include \"$name\"" "$f" || continue
    if [ -n "$folder" ]; then
      [ "$(dirname "$f")" = "$folder" ] || fail "$f includes $name, which says: $rule"
      continue
    fi
    case "$rule" in
      *"$(basename "$f")"*) ;;
      *) fail "$f includes $name, which says: $rule" ;;
    esac
  done
done
echo "$summary, no ring; every header says who includes it"
