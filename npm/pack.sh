#!/usr/bin/env bash
# npm/pack.sh VERSION STAGE DIST PLATFORM=LIBRARY...: the npm tarballs of `make npm`.
#   1. One package per PLATFORM (e.g. linux-x64=build/portfolio.so): sqlite-portfolio-PLATFORM,
#      holding only that library, with "os" and "cpu" set so npm installs it only there.
#   2. The main package sqlite-portfolio lists exactly the platform packages packed here as
#      optionalDependencies at the same VERSION.
#   3. Everything is staged under STAGE (wiped first); the tarballs go to DIST.
set -eu
[ $# -ge 4 ] || { echo "usage: npm/pack.sh VERSION STAGE DIST PLATFORM=LIBRARY..." >&2; exit 2; }
version=$1 stage=$2 dist=$3
shift 3
cd "$(dirname "$0")/.."
rm -rf "$stage"
mkdir -p "$stage" "$dist"
dist=$(cd "$dist" && pwd)
optional=
for spec in "$@"; do
  platform=${spec%%=*} library=${spec#*=}
  os=${platform%-*} cpu=${platform#*-}
  name=sqlite-portfolio-$platform
  [ -f "$library" ] || { echo "npm/pack.sh: $platform: no library $library" >&2; exit 1; }
  mkdir -p "$stage/$name"
  cp "$library" LICENSE "$stage/$name/"
  sed -e "s/@OS@/$os/g" -e "s/@CPU@/$cpu/g" -e "s/@VERSION@/$version/g" \
      -e "s/@LIB@/$(basename "$library")/g" npm/platform/package.json.in > "$stage/$name/package.json"
  (cd "$stage/$name" && npm pack --silent --pack-destination "$dist" >/dev/null)
  optional="$optional${optional:+, }\"$name\": \"$version\""
  echo "$dist/$name-$version.tgz"
done
main=$stage/sqlite-portfolio
mkdir -p "$main"
cp npm/sqlite-portfolio/index.cjs npm/sqlite-portfolio/index.mjs npm/sqlite-portfolio/index.d.ts \
   npm/sqlite-portfolio/index.d.mts npm/sqlite-portfolio/README.md LICENSE "$main/"
sed -e "s/@VERSION@/$version/g" -e "s/@OPTIONAL@/{ $optional }/" \
    npm/sqlite-portfolio/package.json.in > "$main/package.json"
(cd "$main" && npm pack --silent --pack-destination "$dist" >/dev/null)
echo "$dist/sqlite-portfolio-$version.tgz"
