#!/usr/bin/python3
"""review_html.py: the portfolio review as one HTML page, with its charts.

    review_html.py --db sample.db --ext ./portfolio --out review.html [--part NAME ...]
                   [--first sql/review_import.sql] sql/review.sql

Rules:
 1. It runs the statements of the review script itself (or only the parts between the lines
    `-- @begin NAME` and `-- @end NAME`, one --part each), so the page shows the same tables
    as the shell.
    `.print TEXT` lines become headings; other dot-commands are shell settings and skipped.
    --first runs another script before it (the source box of a CSV review).
 2. The database is opened read-only: the review's working tables are TEMP.
 3. The charts are inline SVG (sql/review_charts.py and sql/review_movement_charts.py say
    what each one draws), made from the TEMP tables the script leaves: review_concentration
    (Pareto chart naming the largest --bars customers, Lorenz curve with the Gini of
    review_headline), review_quarters (HHI by quarter, partial quarters marked),
    review_accounts (the spread of risk scores), review_bridge (waterfall of the latest
    quarter's revenue bridge), review_cohorts (heat map of revenue retention). Each follows
    the box it illustrates; a chart whose table the script did not make is left out.
    The cost-of-dependence scatter (sql/review_effort.py) follows the cost-of-dependence
    boxes, from their temp.review_dependence table, when there is effort to draw.
 4. The page depends on nothing outside itself and holds no clock time or path, so the same
    database gives the same page.
"""
import argparse
import html
import os
import re
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import review_charts as charts  # noqa: E402  (next to this file)
import review_movement_charts as movement_charts  # noqa: E402
import review_effort  # noqa: E402

NUMERIC_CELL = re.compile(r"[+-]?[\d,]+(\.\d+)?( %)?")


def parse_args(argv):
    p = argparse.ArgumentParser(prog="review_html", description=__doc__.splitlines()[0])
    p.add_argument("--db", required=True)
    p.add_argument("--ext", required=True, help="the extension, path without suffix")
    p.add_argument("--out", required=True)
    p.add_argument("--part", action="append",
                   help="run only this marked part of the script (repeatable)")
    p.add_argument("--first", help="a script whose boxes come before the review's")
    p.add_argument("--bars", type=int, default=15, help="customers named in the Pareto chart")
    p.add_argument("script")
    return p.parse_args(argv)


def script_lines(path, parts):
    """The lines of the script, or of the marked parts named (in the script's order)."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    if not parts:
        return lines
    inside, kept, found = None, [], set()
    for line in lines:
        marker = line.strip()
        if marker.startswith("-- @begin ") and marker[len("-- @begin "):] in parts:
            inside = marker[len("-- @begin "):]
            found.add(inside)
        elif inside and marker == f"-- @end {inside}":
            inside = None
        elif inside:
            kept.append(line)
    missing = [p for p in parts if p not in found]
    if missing:
        raise SystemExit(f"review_html: {path} has no part '{missing[0]}'")
    return kept


def print_text(line):
    """The text of a `.print` line, without the shell's quotes."""
    text = line[len(".print"):].strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        text = text[1:-1]
    return text


def only_comments(sql):
    return all(not l.strip() or l.strip().startswith("--") for l in sql.splitlines())


def run_script(con, lines):
    """Runs the statements; returns [(heading, columns, rows)] for those that return rows."""
    sections, heading, buf = [], None, ""
    for line in lines:
        if line.startswith(".") and only_comments(buf):
            if line.split()[0] == ".print" and print_text(line):
                heading = print_text(line)
            continue
        buf += line + "\n"
        if sqlite3.complete_statement(buf):
            cur = con.execute(buf)
            if cur.description:
                columns = [d[0] for d in cur.description]
                sections.append((heading, columns, cur.fetchall()))
                heading = None
            buf = ""
    if not only_comments(buf):
        raise SystemExit("review_html: the script ends inside a statement")
    return sections


def table_html(columns, rows):
    out = ["<table>", "<tr>" + "".join(f"<th>{html.escape(c)}</th>" for c in columns) + "</tr>"]
    for row in rows:
        cells = []
        for v in row:
            text = "" if v is None else str(v)
            cls = ' class="num"' if NUMERIC_CELL.fullmatch(text) else ""
            cells.append(f"<td{cls}>{html.escape(text)}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</table>")
    return "\n".join(out)


def temp_table(con, name):
    return con.execute("SELECT 1 FROM temp.sqlite_schema WHERE type = 'table' AND name = ?",
                       (name,)).fetchone() is not None


def pareto_rows(con):
    return con.execute(
        "SELECT c.rank, CASE WHEN a.name IS NULL THEN c.customer "
        "ELSE a.name || ' (#' || c.customer || ')' END, c.amount, c.share, c.cumulative_share "
        "FROM temp.review_concentration c LEFT JOIN accounts a ON a.customer_id = c.customer "
        "ORDER BY c.rank").fetchall()


def figures(con, bars):
    """[(heading prefix of the box it follows, title, svg, caption)] for the charts whose
    data the script left in its TEMP tables."""
    out = []
    if temp_table(con, "review_concentration"):
        rows = pareto_rows(con)
        if rows:
            out.append(("Pareto classes", "Pareto chart: the largest customers, and how many "
                        "make 80 % of revenue", *charts.pareto_svg(rows, bars)))
            gini = con.execute("SELECT gini FROM temp.review_headline").fetchone()[0]
            out.append(("Pareto classes", "Lorenz curve: how unequal revenue is across "
                        "customers", *charts.lorenz_svg([r[2] for r in rows], gini)))
    if temp_table(con, "review_quarters"):
        quarters = con.execute("SELECT quarter, hhi, partial, days_covered, days "
                               "FROM temp.review_quarters WHERE hhi IS NOT NULL "
                               "ORDER BY quarter").fetchall()
        if quarters:
            out.append(("Concentration by quarter", "HHI by quarter",
                        *charts.hhi_svg(quarters)))
    if temp_table(con, "review_accounts"):
        risks = [r[0] for r in con.execute("SELECT risk FROM temp.review_accounts "
                                           "WHERE risk IS NOT NULL")]
        if risks:
            out.append(("The 10 accounts most at risk", "How risk is spread across the "
                        "accounts", *charts.risk_svg(risks)))
    scatter = review_effort.figure(con)
    return out + movement_charts.movement_figures(con, temp_table) + ([scatter] if scatter else [])


STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em; color: #222; max-width: 1200px; }
h1 { font-size: 1.5em; } h2 { font-size: 1.1em; margin-top: 1.8em; }
table { border-collapse: collapse; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; }
th { background: #f0f3f7; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
figure { margin: 0; } figcaption { margin: 0.4em 0 0; color: #444; }
svg.chart { display: block; max-width: 100%; height: auto; }
svg .axis, svg .note { font-size: 12px; fill: #444; }
svg .name { font-size: 12px; fill: #222; } svg .value { font-size: 11px; fill: #333; }
svg .title { font-size: 14px; font-weight: 600; fill: #222; }
svg .big { font-size: 20px; font-weight: 600; fill: #222; }
svg .mark { font-size: 12px; fill: #c0392b; font-weight: 600; }
svg .partial { font-size: 11px; fill: #a0522d; font-style: italic; }
@media print {
  @page { size: A4; margin: 12mm 10mm; }
  body { margin: 0; max-width: none; font-size: 9pt; }
  h1 { font-size: 14pt; } h2 { font-size: 10.5pt; margin-top: 1.2em; break-after: avoid; }
  table { font-size: 7.5pt; break-inside: avoid; } th, td { padding: 0.15em 0.35em; }
  td.num, td:first-child { white-space: nowrap; }
  tr, figure, svg.chart { break-inside: avoid; }
  th { background: #f0f3f7; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  svg.chart[data-chart="lorenz"] { width: 55%; }
}
"""


def figure_html(title, svg, caption):
    return (f"<figure>\n<h2>{html.escape(title)}</h2>\n{svg}\n"
            f"<figcaption>{html.escape(caption)}</figcaption>\n</figure>")


def page(title, sections, figs):
    """The HTML page: each box, then the figures drawn from it (those whose box is missing
    at the end)."""
    body = [f"<h1>{html.escape(title)}</h1>"]
    placed = set()
    for heading, columns, rows in sections:
        if heading:
            body.append(f"<h2>{html.escape(heading)}</h2>")
        body.append(table_html(columns, rows))
        for i, (after, fig_title, svg, caption) in enumerate(figs):
            if heading and heading.startswith(after) and i not in placed:
                body.append(figure_html(fig_title, svg, caption))
                placed.add(i)
    body += [figure_html(t, svg, c) for i, (_, t, svg, c) in enumerate(figs) if i not in placed]
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{html.escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
            + "\n".join(body) + "\n</body>\n</html>\n")


def main(argv):
    args = parse_args(argv)
    con = sqlite3.connect(f"file:{args.db}?mode=ro", uri=True)
    con.enable_load_extension(True)
    con.load_extension(args.ext)
    con.enable_load_extension(False)
    try:
        first = run_script(con, script_lines(args.first, None)) if args.first else []
        sections = first + run_script(con, script_lines(args.script, args.part))
    except sqlite3.Error as e:
        print(f"review_html: {args.first or args.script}: {e}", file=sys.stderr)
        return 1
    as_of = con.execute("SELECT as_of FROM review_settings LIMIT 1").fetchone()[0]
    with open(args.out, "w", encoding="utf-8") as f:
        f.write(page(f"Portfolio review as of {as_of}", sections, figures(con, args.bars)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
