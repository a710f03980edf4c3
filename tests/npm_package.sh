#!/usr/bin/env bash
# make npm-test (not part of make test: it needs the npm registry and builds better-sqlite3).
# The npm packages as a user gets them: `make npm` packs sqlite-portfolio and the platform
# package(s); they are installed from their tarballs into a project next to
# better-sqlite3@12.11.1 (and typescript, for the declarations) from the npm registry. Then:
#   1. tests/npm/host.cjs (require) and tests/npm/host.mjs (import) each load(db) and run one
#      query of every kind; tests/host_queries.py computes the expected answers;
#   2. tsc --noEmit compiles tests/npm/types.mts and types.cts against the declarations;
#   3. with the platform package removed, getLoadablePath() and load() throw an error naming
#      it (tests/npm/missing_platform.cjs), and load({}) is a TypeError.
# The project lives in $BUILD/npm-host: empty in a fresh build folder (CI), where installing
# better-sqlite3 takes about 2 minutes (no prebuilt binary can be downloaded here, so
# node-gyp compiles it); later runs reuse it and reinstall only the tarballs. No lock file.
set -u
cd "$(dirname "$0")/.." || exit 1
source tests/make_host.sh
: "${BUILD:=build}"
for tool in node npm; do
  command -v "$tool" >/dev/null || { echo "skipped: needs $tool (Node 20) on PATH"; exit 77; }
done
BETTER_SQLITE3=better-sqlite3@12.11.1 TYPESCRIPT=typescript@5.9.3
tmp=$(mktemp -d) || exit 1
project=$PWD/$BUILD/npm-host
restore=
trap '[ -n "$restore" ] && mv "$restore" "$project/node_modules/"; rm -rf "$tmp"' EXIT
run_make npm BUILD="$BUILD" PKG_DIST="$tmp/dist" >"$tmp/make.log" 2>&1 ||
  { cat "$tmp/make.log"; echo "FAIL: make npm"; exit 1; }
platform=$(node -p 'process.platform + "-" + process.arch')
main=$(ls "$tmp"/dist/sqlite-portfolio-[0-9]*.tgz) && native=$(ls "$tmp"/dist/sqlite-portfolio-$platform-*.tgz) ||
  { ls "$tmp/dist"; echo "FAIL: no main or $platform tarball"; exit 1; }
mkdir -p "$project"
# better-sqlite3 and typescript are the project's own dependencies, so that later runs keep
# the compiled better-sqlite3; the tarballs are installed without saving.
printf '{ "name": "portfolio-npm-host", "private": true,\n  "dependencies": { %s, %s } }\n' \
  "\"${BETTER_SQLITE3%@*}\": \"${BETTER_SQLITE3#*@}\"" "\"${TYPESCRIPT%@*}\": \"${TYPESCRIPT#*@}\"" \
  > "$project/package.json"
rm -rf "$project"/node_modules/sqlite-portfolio*
started=$(date +%s)
(cd "$project" && env -u LD_PRELOAD npm install --no-audit --no-fund --no-package-lock --no-save \
   --loglevel=error "$main" "$native") > "$tmp/npm.log" 2>&1 ||
  { cat "$tmp/npm.log"; echo "FAIL: npm install of the tarballs and $BETTER_SQLITE3"; exit 1; }
echo "npm install: $(( $(date +%s) - started )) s"
cp tests/npm/*.cjs tests/npm/*.mjs tests/npm/*.mts tests/npm/*.cts tests/npm/tsconfig.json "$project/"
/usr/bin/python3 tests/host_queries.py setup > "$tmp/setup.sql"
/usr/bin/python3 tests/host_queries.py queries > "$tmp/queries.tsv"
failed=0
for entry in host.cjs host.mjs; do
  (cd "$project" && node "$entry" "$tmp/setup.sql" "$tmp/queries.tsv") > "$tmp/$entry.jsonl" ||
    { echo "FAIL: node $entry"; failed=1; continue; }
  /usr/bin/python3 tests/host_queries.py check "$tmp/$entry.jsonl" "node $entry" || failed=1
done
# The README's host table, Node row: its load line as written, on a new database.
readme_line=$(sed -n '/<!-- hosts:begin -->/,/<!-- hosts:end -->/p' README.md | grep -F '| Node' |
  awk -F' [|] ' '{print $3}' | sed -E 's/^[^`]*`([^`]*)`.*/\1/')
got=$(cd "$project" && node -e "const Database = require('better-sqlite3'); const db = new Database(':memory:');
$readme_line;
console.log(db.prepare('SELECT herfindahl(column1) AS h FROM (VALUES (30), (30), (20), (20))').get().h)" 2>&1)
[ "$got" = 2600 ] && echo "ok   README Node line: $readme_line" ||
  { echo "FAIL: README Node line '$readme_line' gave '$got'"; failed=1; }
(cd "$project" && node_modules/.bin/tsc -p tsconfig.json) && echo "ok   tsc: types.mts and types.cts compile" ||
  { echo "FAIL: tsc on the declarations"; failed=1; }
(cd "$project" && node missing_platform.cjs present) || failed=1
restore=$tmp/sqlite-portfolio-$platform
mv "$project/node_modules/sqlite-portfolio-$platform" "$restore"
(cd "$project" && node missing_platform.cjs missing) || failed=1
exit $failed
