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
#   3. A ```sql sample block runs on the sample database (sql/sample.sql, built once here):
#      the sample blocks of a page run in order on one copy of it, so a table the first
#      one creates is there for the next. One followed by an ```output block must print
#      it; one without must print nothing (it still runs, for the blocks after it).
#   4. Fails on any mismatch, and when docs/ has no example at all (an edit must not silently
#      switch the check off).
set -u
. "$(dirname "$0")/lib.sh"
need_ext
exec /usr/bin/python3 - "$PORTFOLIO_EXT" README.md docs/*.md <<'PY'
import difflib, os, shutil, subprocess, sys, tempfile

ext, pages = sys.argv[1], sys.argv[2:]

LANGS = ("sql sample", "sql", "python")

def block_at(page, lines, i, lang):
    """(content, index after the closing fence) if a ```lang fence opens at line i."""
    if lines[i].strip() != "```" + lang:
        return None
    for j in range(i + 1, len(lines)):
        if lines[j].strip() == "```":
            return "\n".join(lines[i + 1:j]), j + 1
    sys.exit(f"FAIL: {page}:{i + 1}: ```{lang} block is never closed")

def examples_in(page):
    """(line, language, code, expected output) for each code block followed by an output,
    and each sql sample block (expected output "" when none follows)."""
    lines = open(page, encoding="utf-8").read().split("\n")
    found, i = [], 0
    while i < len(lines):
        lang = next((l for l in LANGS if lines[i].strip() == "```" + l), None)
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
            if lang == "sql sample":
                found.append((i + 1, lang, code, ""))
            i = j
    return found

def run_sql(code, db=":memory:"):
    run = subprocess.run(["sqlite3", "-batch", "-cmd", ".load " + ext, "-cmd", ".mode box",
                          db], input=code + "\n", stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True)
    return run.stdout.rstrip("\n")

work = tempfile.TemporaryDirectory()
sample_db = None

def sample_copy(page):
    """A fresh copy of the sample database for the page's sample blocks."""
    global sample_db
    if sample_db is None:
        sample_db = os.path.join(work.name, "sample.db")
        with open("sql/sample.sql", encoding="utf-8") as script:
            built = subprocess.run(["sqlite3", "-bail", sample_db], stdin=script,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        if built.returncode != 0:
            sys.exit("FAIL: sql/sample.sql does not build: " + built.stdout)
    copy = os.path.join(work.name, page.replace("/", "_") + ".db")
    shutil.copyfile(sample_db, copy)
    return copy

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
    page_db = None
    for line, lang, code, want in found:
        total += 1
        if lang == "sql sample":
            page_db = page_db or sample_copy(page)
            got = run_sql(code, page_db)
        else:
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
