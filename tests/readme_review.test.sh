#!/usr/bin/env bash
# The README's walkthrough of the review stays true: `make demo` (the README's first command,
# with its outputs moved to a temporary folder and the extension under test) must print the
# README's excerpt, between <!-- review-excerpt:begin --> and <!-- review-excerpt:end -->,
# line for line; the excerpt must hold the whole headline box; review.html must be written.
set -u
cd "$(dirname "$0")/.." || exit 1
. tests/make_host.sh
: "${PORTFOLIO_EXT:?PORTFOLIO_EXT must name the built extension (make test sets it)}"
: "${BUILD:=build}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if ! run_make demo BUILD="$BUILD" REVIEW_EXT="$PORTFOLIO_EXT" \
     SAMPLE_DB="$tmp/sample.db" REVIEW_HTML="$tmp/review.html" > "$tmp/demo.txt" 2>&1; then
  cat "$tmp/demo.txt"; echo "FAIL: make demo failed"; exit 1
fi
[ -s "$tmp/review.html" ] && grep -q "<svg" "$tmp/review.html" \
  || { echo "FAIL: make demo wrote no review.html with a chart"; exit 1; }
exec /usr/bin/python3 - README.md "$tmp/demo.txt" <<'PY'
import sys
readme = open(sys.argv[1], encoding="utf-8").read().split("\n")
demo = open(sys.argv[2], encoding="utf-8").read().split("\n")
try:
    start = readme.index("<!-- review-excerpt:begin -->")
    end = readme.index("<!-- review-excerpt:end -->")
except ValueError:
    sys.exit("FAIL: README.md has no <!-- review-excerpt:begin/end --> markers")
block = readme[start + 1:end]
if not block or block[0] != "```text" or block[-1] != "```":
    sys.exit("FAIL: the excerpt must be one ```text block between the markers")
excerpt = block[1:-1]
if not excerpt or not excerpt[0].startswith("Headline:") or \
        not any(l.startswith("│ effective customers") for l in excerpt):
    sys.exit("FAIL: the excerpt must start at the Headline line and hold the whole headline box")
for i in range(len(demo) - len(excerpt) + 1):
    if demo[i:i + len(excerpt)] == excerpt:
        print(f"README excerpt ({len(excerpt)} lines) matches make demo's output")
        sys.exit(0)
at = demo.index(excerpt[0]) if excerpt[0] in demo else None
if at is None:
    sys.exit(f"FAIL: make demo never prints '{excerpt[0]}'")
for want, got in zip(excerpt, demo[at:]):
    if want != got:
        print(f"README says:     {want}\nmake demo says:  {got}")
        break
sys.exit("FAIL: the README excerpt differs from make demo's output; update one of them")
PY
