#!/usr/bin/env bash
# README examples: every ```sql block in README.md that is immediately followed (blank lines
# allowed) by an ```output block is run in the sqlite3 shell with the extension loaded, in a
# fresh in-memory database, in `.mode box` unless the block sets its own mode; stdout and
# stderr together must equal the output block exactly. Error lines count from the block's
# first line ("Runtime error near line 1: ..."). Fails on any mismatch, and when it finds no
# example at all (a README edit must not silently switch the check off).
set -u
cd "$(dirname "$0")/.."
if [ -z "${PORTFOLIO_EXT:-}" ]; then
  echo "FAIL: PORTFOLIO_EXT is not set (the built extension without suffix; make test sets it)"
  exit 1
fi
exec /usr/bin/python3 - README.md "$PORTFOLIO_EXT" <<'PY'
import difflib, re, subprocess, sys

readme, ext = sys.argv[1], sys.argv[2]
lines = open(readme, encoding="utf-8").read().split("\n")

def block_at(i, lang):
    """(content, index after the closing fence) if a ```lang fence opens at line i."""
    if lines[i].strip() != "```" + lang:
        return None
    for j in range(i + 1, len(lines)):
        if lines[j].strip() == "```":
            return "\n".join(lines[i + 1:j]), j + 1
    sys.exit(f"FAIL: {readme}:{i + 1}: ```{lang} block is never closed")

examples, i = [], 0
while i < len(lines):
    sql = block_at(i, "sql")
    if sql is None:
        i += 1
        continue
    j = sql[1]
    while j < len(lines) and lines[j].strip() == "":
        j += 1
    out = block_at(j, "output") if j < len(lines) else None
    if out is not None:
        examples.append((i + 1, sql[0], out[0]))
        i = out[1]
    else:
        i = sql[1]

failed = 0
for line, sql, want in examples:
    run = subprocess.run(["sqlite3", "-batch", "-cmd", ".load " + ext, "-cmd", ".mode box",
                          ":memory:"], input=sql + "\n", capture_output=False,
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    got = run.stdout.rstrip("\n")
    if got == want.rstrip("\n"):
        print(f"PASS: {readme}:{line}")
    else:
        failed += 1
        print(f"FAIL: {readme}:{line}")
        sys.stdout.writelines(difflib.unified_diff(
            (want.rstrip("\n") + "\n").splitlines(True), (got + "\n").splitlines(True),
            "README says", "the shell prints"))
if not examples:
    sys.exit(f"FAIL: no ```sql block followed by an ```output block in {readme}")
print(f"{len(examples) - failed} of {len(examples)} README examples match")
sys.exit(1 if failed else 0)
PY
