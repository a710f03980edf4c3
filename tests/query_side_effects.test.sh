#!/usr/bin/env bash
# The query argument may not call functions with side effects (issue 15.2), seen from the
# file system: in the sqlite3 shell, writefile, edit (its editor a script that leaves a
# marker) and load_extension (of a library that would leave a marker when loaded) called
# from the query of concentration and concentration_by leave no file behind, while the
# same calls made directly do (so the test can see a call that got through). And the shell's
# fsdir and zipfile virtual tables are refused inside the query (rule 10).
set -u
. "$(dirname "$0")/lib.sh"
need_ext
command -v sqlite3 >/dev/null || { echo "skipped: needs the sqlite3 shell"; exit 77; }
make_tmp
printf '#!/bin/sh\ntouch "%s/edited"\n' "$tmp" > "$tmp/editor" && chmod +x "$tmp/editor"
shell() { (cd "$tmp" && { printf '.load %s\n' "$PORTFOLIO_EXT"; cat; } | sqlite3 -batch :memory: 2>&1); }

out=$(shell <<SQL
SELECT * FROM concentration('SELECT 1, writefile(''written'', ''x'')');
SELECT * FROM concentration_by('SELECT 1, 1, writefile(''written'', ''x'')');
SELECT * FROM concentration('SELECT 1, length(edit(''x'', ''$tmp/editor''))');
SELECT * FROM concentration_by('SELECT 1, 1, length(edit(''x'', ''$tmp/editor''))');
SQL
)
[ -e "$tmp/written" ] && fail "writefile inside the query wrote the file"
[ -e "$tmp/edited" ] && fail "edit inside the query ran the editor"
n=$(grep -c 'the query may not call \(writefile\|edit\)()' <<<"$out")
[ "$n" -eq 4 ] || fail "want 4 refusals, got: $out"

# load_extension: a library whose constructor leaves a marker, if a C compiler is here
if command -v cc >/dev/null; then
  printf '#include <stdio.h>\n__attribute__((constructor)) static void mark(void) {\n'\
'  FILE *f = fopen("%s/loaded", "w"); if (f) fclose(f); }\n' "$tmp" > "$tmp/marker.c"
  cc -shared -fPIC -o "$tmp/marker.so" "$tmp/marker.c" || fail "cannot build the marker library"
  out=$(shell <<SQL
SELECT * FROM concentration('SELECT 1, load_extension(''$tmp/marker.so'')');
SQL
)
  [ -e "$tmp/loaded" ] && fail "load_extension inside the query loaded the library"
  grep -q 'concentration: the query may not call load_extension(): it is SQLITE_DIRECTONLY' \
    <<<"$out" || fail "load_extension not refused: $out"
fi

# file-reading virtual tables of the shell (rule 10): fsdir lists and reads files, zipfile
# reads an archive; both refused by name, directly and behind an alias or a TEMP view, while
# json_each, generate_series and a declared FTS5 table keep working
echo secret > "$tmp/secret.txt"
out=$(shell <<'SQL'
SELECT * FROM concentration('SELECT name, length(data) FROM fsdir(''secret.txt'')');
SELECT * FROM concentration('SELECT name, 1 FROM fsdir(''.'') AS json_each');
CREATE TEMP VIEW files AS SELECT name FROM fsdir('.');
SELECT * FROM concentration_by('SELECT 1, name, 1 FROM files');
SELECT * FROM concentration('SELECT name, 1 FROM zipfile(''none.zip'')');
SELECT 'sum', sum(amount) FROM concentration('SELECT value, value FROM json_each(''[1, 2]'')');
SELECT 'series', sum(amount) FROM concentration('SELECT value, value FROM generate_series(1, 4)');
CREATE VIRTUAL TABLE docs USING fts5(body);
INSERT INTO docs VALUES ('a b'), ('c d');
SELECT 'fts', count(*) FROM concentration('SELECT body, 1 FROM docs WHERE docs MATCH ''a''');
SQL
)
grep -q secret <<<"$out" && fail "fsdir read the file through the query: $out"
n=$(grep -c 'may not read the virtual table fsdir (' <<<"$out")
[ "$n" -eq 3 ] || fail "want 3 fsdir refusals, got: $out"
grep -q 'concentration: the query may not read the virtual table zipfile (' <<<"$out" ||
  fail "zipfile not refused: $out"
for want in 'sum|3' 'series|10' 'fts|1'; do
  grep -qx "$want" <<<"$out" || fail "want $want: $out"
done
# read directly, fsdir does read the file (the refusals above could fail)
echo "SELECT data FROM fsdir('secret.txt');" | shell | grep -q secret ||
  fail "fsdir read directly did not read the file"

# the same calls made directly do leave their files: the checks above could fail
shell >/dev/null <<SQL
SELECT writefile('written', 'x');
SELECT edit('x', '$tmp/editor');
SQL
[ -e "$tmp/written" ] && [ -e "$tmp/edited" ] || fail "the direct calls left no file"
if [ -e "$tmp/marker.so" ]; then
  echo "SELECT load_extension('$tmp/marker.so');" | shell >/dev/null
  [ -e "$tmp/loaded" ] || fail "the direct load_extension left no marker"
fi
echo "query_side_effects: writefile, edit, load_extension, fsdir and zipfile refused inside queries"
