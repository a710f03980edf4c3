#!/usr/bin/env bash
# The documentation holds together:
#   1. Every relative link in the project's Markdown files (README.md, docs/*.md and the other
#      *.md files git tracks) leads to a file that exists, and a #fragment to a heading of that
#      file (GitHub's anchor rule: lower case, punctuation dropped, spaces to hyphens).
#   2. Every SQL function and table-valued function the extension registers (what
#      pragma_function_list and pragma_module_list list with it loaded and not without) has a
#      row in README.md's "## Functions" tables, and that row links to a page under docs/.
#   3. Every page in docs/ is listed in docs/README.md, the index.
# So a new function or page cannot be left out of the README's table or the index.
set -u
. "$(dirname "$0")/lib.sh"
need_ext
exec /usr/bin/python3 - "$PORTFOLIO_EXT" <<'PY'
import os, re, sqlite3, subprocess, sys

ext = sys.argv[1]
failures = []
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
FENCE = re.compile(r"^\s*```")

def prose(path):
    """(line number, text) of the lines outside fenced code blocks."""
    inside = False
    for n, line in enumerate(open(path, encoding="utf-8").read().split("\n"), 1):
        if FENCE.match(line):
            inside = not inside
        elif not inside:
            yield n, line

def anchors(path):
    """The fragments GitHub gives the headings of a Markdown file."""
    seen, found = {}, set()
    for _, line in prose(path):
        m = re.match(r"#{1,6}\s+(.*?)\s*#*\s*$", line)
        if not m:
            continue
        slug = re.sub(r"[^\w\- ]", "", m.group(1).lower()).replace(" ", "-")
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        found.add(slug if count == 0 else f"{slug}-{count}")
    return found

tracked = subprocess.run(["git", "ls-files", "*.md"], capture_output=True, text=True).stdout
pages = sorted(set(tracked.split()) | {"README.md"} |
               {os.path.join("docs", f) for f in os.listdir("docs") if f.endswith(".md")})
links = 0
for page in pages:
    for n, line in prose(page):
        for target in LINK.findall(line):
            if re.match(r"[a-z]+:", target):
                continue  # http:, https:, mailto: are not checked offline
            links += 1
            file, _, fragment = target.partition("#")
            path = os.path.normpath(os.path.join(os.path.dirname(page), file)) if file else page
            if not os.path.exists(path):
                failures.append(f"{page}:{n}: link to {target}: {path} does not exist")
            elif fragment and (not path.endswith(".md") or fragment not in anchors(path)):
                failures.append(f"{page}:{n}: link to {target}: {path} has no heading "
                                f"#{fragment}")
print(f"{links} relative links in {len(pages)} Markdown files checked")

def registered(load):
    con = sqlite3.connect(":memory:")
    if load:
        con.enable_load_extension(True)
        con.load_extension(ext)
    names = {r[0] for r in con.execute("SELECT name FROM pragma_function_list")}
    return names | {r[0] for r in con.execute("SELECT name FROM pragma_module_list")}

ours = sorted(registered(True) - registered(False))
readme = open("README.md", encoding="utf-8").read()
section = readme.split("\n## Functions\n", 1)
if len(section) < 2:
    failures.append("README.md has no '## Functions' section")
    section.append("")
rows = [l for l in re.split(r"\n## ", section[1])[0].split("\n") if l.startswith("| [")]
for name in ours:
    row = next((r for r in rows if re.search(r"`" + re.escape(name) + r"[`(\[]", r)), None)
    if row is None:
        failures.append(f"README.md: '## Functions' has no row for {name}: add "
                        f"'| [`{name}(...)`](docs/PAGE.md#{name}) | what it gives |'")
    elif not re.search(r"\]\(docs/[^)]+\.md(#[^)]*)?\)", row):
        failures.append(f"README.md: the row for {name} does not link to a page in docs/")
print(f"{len(ours)} registered functions and tables: {', '.join(ours)}")

index = open("docs/README.md", encoding="utf-8").read()
for page in sorted(os.listdir("docs")):
    if page.endswith(".md") and page != "README.md" and f"]({page})" not in index:
        failures.append(f"docs/README.md does not list docs/{page}")

for f in failures:
    print("FAIL: " + f)
sys.exit(1 if failures else 0)
PY
