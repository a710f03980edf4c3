#!/usr/bin/env bash
# The documentation's walkthrough of the review stays true: `make demo` (the README's first
# command, with its outputs moved to a temporary folder and the extension under test) must
# print every excerpt in README.md and docs/*.md, each between <!-- review-excerpt:begin -->
# and <!-- review-excerpt:end -->, line for line. Each excerpt starts at the Headline line and
# holds the whole headline box; README.md and docs/review.md must each have one; review.html
# must be written.
set -u
. "$(dirname "$0")/lib.sh"
need_ext
: "${BUILD:=build}"
make_tmp
if ! run_make demo BUILD="$BUILD" REVIEW_EXT="$PORTFOLIO_EXT" \
     SAMPLE_DB="$tmp/sample.db" REVIEW_HTML="$tmp/review.html" > "$tmp/demo.txt" 2>&1; then
  cat "$tmp/demo.txt"; echo "FAIL: make demo failed"; exit 1
fi
[ -s "$tmp/review.html" ] && grep -q "<svg" "$tmp/review.html" \
  || { echo "FAIL: make demo wrote no review.html with a chart"; exit 1; }
exec /usr/bin/python3 - "$tmp/demo.txt" README.md docs/*.md <<'PY'
import sys
demo = open(sys.argv[1], encoding="utf-8").read().split("\n")
BEGIN, END = "<!-- review-excerpt:begin -->", "<!-- review-excerpt:end -->"

def excerpts(page):
    """(line, excerpt) for each ```text block between the markers of one page."""
    lines = open(page, encoding="utf-8").read().split("\n")
    found = []
    for start, line in enumerate(lines):
        if line != BEGIN:
            continue
        if END not in lines[start:]:
            sys.exit(f"FAIL: {page}:{start + 1}: {BEGIN} without {END}")
        block = lines[start + 1:lines.index(END, start)]
        if not block or block[0] != "```text" or block[-1] != "```":
            sys.exit(f"FAIL: {page}:{start + 1}: the excerpt must be one ```text block")
        found.append((start + 1, block[1:-1]))
    return found

def mismatch(page, line, excerpt):
    """None when make demo prints the excerpt line for line, else what is wrong."""
    where = f"{page}:{line}"
    if not excerpt or not excerpt[0].startswith("Headline:") or \
            not any(l.startswith("│ effective customers") for l in excerpt):
        return f"{where}: the excerpt must start at the Headline line and hold the whole box"
    for i in range(len(demo) - len(excerpt) + 1):
        if demo[i:i + len(excerpt)] == excerpt:
            print(f"{where}: excerpt ({len(excerpt)} lines) matches make demo's output")
            return None
    if excerpt[0] not in demo:
        return f"{where}: make demo never prints '{excerpt[0]}'"
    for want, got in zip(excerpt, demo[demo.index(excerpt[0]):]):
        if want != got:
            print(f"{page} says:     {want}\nmake demo says:  {got}")
            break
    return f"{where}: the excerpt differs from make demo's output; update one of them"

failures = []
for page in sys.argv[2:]:
    found = excerpts(page)
    if not found and page in ("README.md", "docs/review.md"):
        failures.append(f"{page} has no {BEGIN} ... {END} excerpt")
    failures += [m for m in (mismatch(page, line, e) for line, e in found) if m]
for m in failures:
    print("FAIL: " + m)
sys.exit(1 if failures else 0)
PY
