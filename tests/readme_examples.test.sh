#!/usr/bin/env bash
# Documentation examples: README.md and every docs/*.md (a new page is checked without editing
# this script).
#   1. Every ```sql block immediately followed (blank lines allowed) by an ```output block is
#      run in the sqlite3 shell with the extension loaded, in a fresh in-memory database, in
#      `.mode box` unless the block sets its own mode; stdout and stderr together must equal the
#      output block exactly. Error lines count from the block's first line ("Runtime error near
#      line 1: ...").
#   2. Every ```python block followed by an ```output block is run by Debian's /usr/bin/python3
#      in an empty temporary folder holding only a link ./portfolio.so to the extension under
#      test; its output must match, and it must leave no file behind (an example that creates
#      an empty database in the reader's working tree is a bug).
#   3. Fails on any mismatch, and when docs/ has no example at all (an edit must not silently
#      switch the check off).
set -u
cd "$(dirname "$0")/.."
if [ -z "${PORTFOLIO_EXT:-}" ]; then
  echo "FAIL: PORTFOLIO_EXT is not set (the built extension without suffix; make test sets it)"
  exit 1
fi
exec /usr/bin/python3 - "$PORTFOLIO_EXT" README.md docs/*.md <<'PY'
import difflib, os, subprocess, sys, tempfile

ext, pages = sys.argv[1], sys.argv[2:]

def block_at(page, lines, i, lang):
    """(content, index after the closing fence) if a ```lang fence opens at line i."""
    if lines[i].strip() != "```" + lang:
        return None
    for j in range(i + 1, len(lines)):
        if lines[j].strip() == "```":
            return "\n".join(lines[i + 1:j]), j + 1
    sys.exit(f"FAIL: {page}:{i + 1}: ```{lang} block is never closed")

def examples_in(page):
    """(line, language, code, expected output) for each code block followed by an output."""
    lines = open(page, encoding="utf-8").read().split("\n")
    found, i = [], 0
    while i < len(lines):
        lang = next((l for l in ("sql", "python") if lines[i].strip() == "```" + l), None)
        if lang is None:
            i += 1
            continue
        code, j = block_at(page, lines, i, lang)
        while j < len(lines) and lines[j].strip() == "":
            j += 1
        out = block_at(page, lines, j, "output") if j < len(lines) else None
        if out is not None:
            found.append((i + 1, lang, code, out[0]))
            i = out[1]
        else:
            i = j
    return found

def run_sql(code):
    run = subprocess.run(["sqlite3", "-batch", "-cmd", ".load " + ext, "-cmd", ".mode box",
                          ":memory:"], input=code + "\n", stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True)
    return run.stdout.rstrip("\n")

def run_python(code):
    with tempfile.TemporaryDirectory() as folder:
        os.symlink(os.path.abspath(ext + ".so"), os.path.join(folder, "portfolio.so"))
        run = subprocess.run(["/usr/bin/python3", "-c", code], cwd=folder,
                             stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        left = sorted(set(os.listdir(folder)) - {"portfolio.so"})
    got = run.stdout.rstrip("\n")
    if left:
        got += "\n(the example left files behind: " + ", ".join(left) + ")"
    return got

failed = total = in_docs = 0
for page in pages:
    found = examples_in(page)
    in_docs += len(found) if page.startswith("docs/") else 0
    for line, lang, code, want in found:
        total += 1
        got = run_sql(code) if lang == "sql" else run_python(code)
        if got == want.rstrip("\n"):
            print(f"PASS: {page}:{line}")
            continue
        failed += 1
        print(f"FAIL: {page}:{line}")
        sys.stdout.writelines(difflib.unified_diff(
            (want.rstrip("\n") + "\n").splitlines(True), (got + "\n").splitlines(True),
            f"{page} says", "the host prints"))
if total == 0 or in_docs == 0:
    print("FAIL: no ```sql or ```python block followed by an ```output block in "
          + ("docs/*.md" if total else "README.md or docs/*.md"))
    failed += 1
print(f"{total - failed} of {total} documentation examples match ({len(pages)} pages)")
sys.exit(1 if failed else 0)
PY
