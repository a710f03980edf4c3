#!/usr/bin/python3
"""review_html.py: the portfolio review as one HTML page, with a Pareto chart.

    review_html.py --db sample.db --ext ./portfolio --out review.html [--part NAME ...]
                   [--first sql/review_import.sql] sql/review.sql

Rules:
 1. It runs the statements of the review script itself (or only the parts between the lines
    `-- @begin NAME` and `-- @end NAME`, each --part in turn), so the page shows the same
    tables as the shell.
    `.print TEXT` lines become headings; other dot-commands are shell settings and skipped.
    --first runs another script before it (the source box of a CSV review).
 2. The database is opened read-only: the review's working tables are TEMP.
 3. The Pareto chart is inline SVG drawn from the review's temp.review_concentration table:
    one bar per customer for the largest --bars customers (share of revenue, left axis), one
    more bar for all the other customers together when there are more, the cumulative share
    as a line (right axis) and the 80 % mark. Each bar is a <rect class="bar"> with
    data-rank and data-share; the <svg> carries data-bars, the number of bars drawn.
 4. The cost-of-dependence scatter (sql/review_effort.py) follows the cost-of-dependence
    boxes when the database has effort to draw.
 5. The page depends on nothing outside itself and holds no clock time or path, so the same
    database gives the same page.
"""
import argparse
import html
import math
import re
import sqlite3
import sys

import review_effort

NUMERIC_CELL = re.compile(r"[+-]?[\d,]+(\.\d+)?( %)?")


def parse_args(argv):
    p = argparse.ArgumentParser(prog="review_html", description=__doc__.splitlines()[0])
    p.add_argument("--db", required=True)
    p.add_argument("--ext", required=True, help="the extension, path without suffix")
    p.add_argument("--out", required=True)
    p.add_argument("--part", action="append",
                   help="run only this marked part of the script (repeat for more parts)")
    p.add_argument("--first", help="a script whose boxes come before the review's")
    p.add_argument("--bars", type=int, default=50, help="customers drawn one by one")
    p.add_argument("script")
    return p.parse_args(argv)


def script_lines(path, parts):
    """The lines of the script, or of its marked parts in the order given."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    if parts is None:
        return lines
    return [line for part in parts for line in part_lines(path, lines, part)]


def part_lines(path, lines, part):
    inside, kept = False, []
    for line in lines:
        if line.strip() == f"-- @begin {part}":
            inside = True
        elif line.strip() == f"-- @end {part}":
            inside = False
        elif inside:
            kept.append(line)
    if not kept:
        raise SystemExit(f"review_html: {path} has no part '{part}'")
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


def pareto_rows(con):
    return con.execute(
        "SELECT c.rank, coalesce(a.name, c.customer), c.amount, c.share, c.cumulative_share "
        "FROM temp.review_concentration c LEFT JOIN accounts a ON a.customer_id = c.customer "
        "ORDER BY c.rank").fetchall()


def share_axis(x):
    """Top of the share axis and its number of ticks: at most 5 steps of 1, 2, 5, 10 or 20 %."""
    for step in (0.01, 0.02, 0.05, 0.10, 0.20):
        k = max(1, math.ceil(x / step - 1e-9))
        if k <= 5:
            return step * k, k
    return 1.0, 5


W, H, LEFT, RIGHT, TOP, BOTTOM = 1100, 440, 70, 70, 40, 80
PW, PH = W - LEFT - RIGHT, H - TOP - BOTTOM


def pareto_bars(rows, bars):
    """(label, name, share, cumulative share) per bar: the largest `bars` customers, then one
    bar for all the others."""
    drawn = [(str(r[0]), r[1], r[3], r[4]) for r in rows[:bars]]
    if len(rows) > bars:
        rest = rows[bars:]
        drawn.append((f"others ({len(rest):,})", f"the other {len(rest):,} customers",
                      sum(r[3] for r in rest), rows[-1][4]))
    return drawn


def y_cum(c):
    return TOP + PH * (1 - c)


def axes_svg(ymax, ticks):
    """Grid and labels: share of revenue on the left, cumulative share on the right."""
    parts = []
    for i in range(ticks + 1):
        s = ymax * i / ticks
        y = TOP + PH * (1 - s / ymax)
        parts.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{LEFT + PW}" y2="{y:.1f}" '
                     'stroke="#e3e3e3"/>')
        parts.append(f'<text x="{LEFT - 8}" y="{y + 4:.1f}" text-anchor="end" '
                     f'class="axis">{100 * s:g} %</text>')
    for i in range(6):
        parts.append(f'<text x="{LEFT + PW + 8}" y="{y_cum(i / 5) + 4:.1f}" class="axis">'
                     f'{20 * i} %</text>')
    parts.append(f'<line x1="{LEFT}" y1="{TOP + PH}" x2="{LEFT + PW}" y2="{TOP + PH}" '
                 'stroke="#555"/>')
    parts.append(f'<text x="{LEFT + PW / 2}" y="{H - 40}" text-anchor="middle" class="axis">'
                 'customers ranked by revenue (bars: share of revenue, left axis; line: '
                 'cumulative share, right axis)</text>')
    return parts


def bars_svg(drawn, ymax):
    """One <rect class="bar"> per drawn bar, with a rank label under every fifth."""
    parts, n, step = [], len(drawn), PW / len(drawn)
    has_others = drawn[-1][0].startswith("others")
    for i, (label, name, share, _) in enumerate(drawn):
        x = LEFT + i * step + step * 0.1
        y = TOP + PH * (1 - share / ymax)
        others = has_others and i == n - 1
        title = html.escape(f"{'' if others else '#' + label + ' '}{name}: "
                            f"{100 * share:.1f} % of revenue", quote=True)
        parts.append(f'<rect class="bar" data-rank="{html.escape(label, quote=True)}" '
                     f'data-share="{share:.9f}" x="{x:.2f}" y="{y:.2f}" width="{step * 0.8:.2f}" '
                     f'height="{TOP + PH - y:.2f}" fill="{"#9aa5b1" if others else "#3b6ea8"}">'
                     f'<title>{title}</title></rect>')
        if others or i == 0 or ((i + 1) % 5 == 0 and not (has_others and i + 2 == n)):
            parts.append(f'<text x="{x + step * 0.4:.1f}" y="{TOP + PH + 16}" '
                         f'text-anchor="middle" class="axis">{html.escape(label)}</text>')
    return parts


def pareto_svg(rows, bars):
    """Inline SVG: bars of share, the cumulative-share line and the 80 % mark."""
    drawn = pareto_bars(rows, bars)
    ymax, ticks = share_axis(max(d[2] for d in drawn))
    step = PW / len(drawn)
    centres = [(LEFT + (i + 0.5) * step, y_cum(d[3])) for i, d in enumerate(drawn)]
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" '
             f'viewBox="0 0 {W} {H}" data-bars="{len(drawn)}" role="img" '
             'aria-label="Pareto chart of revenue by customer">',
             '<rect x="0" y="0" width="100%" height="100%" fill="#ffffff"/>']
    parts += axes_svg(ymax, ticks)
    parts += bars_svg(drawn, ymax)
    points = " ".join(f"{x:.1f},{y:.1f}" for x, y in centres)
    parts.append(f'<polyline points="{points}" fill="none" stroke="#d9822b" stroke-width="2.5"/>')
    parts += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.5" fill="#d9822b"/>' for x, y in centres]
    y80 = y_cum(0.8)
    parts.append(f'<line x1="{LEFT}" y1="{y80:.1f}" x2="{LEFT + PW}" y2="{y80:.1f}" '
                 'stroke="#c0392b" stroke-dasharray="6 4" stroke-width="1.5"/>')
    parts.append(f'<text x="{LEFT + 6}" y="{y80 - 6:.1f}" '
                 'fill="#c0392b" class="axis">80 % of revenue</text>')
    parts.append("</svg>")
    return "\n".join(parts)


def pareto_caption(rows):
    reach = next((r[0] for r in rows if r[4] >= 0.8 - 1e-12), len(rows))
    return (f"{reach:,} of {len(rows):,} customers ({100 * reach / len(rows):.1f} %) "
            "make up 80 % of the period's revenue.")


STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em; color: #222; max-width: 1200px; }
h1 { font-size: 1.5em; } h2 { font-size: 1.1em; margin-top: 1.8em; }
table { border-collapse: collapse; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; }
th { background: #f0f3f7; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.axis { font-size: 12px; fill: #444; }
"""


def h_starts(heading, prefix):
    return bool(heading) and heading.startswith(prefix)


def page(title, sections, chart, caption, figures=()):
    """The HTML page; the chart follows the headline box (the first box when none is), each
    (heading prefix, HTML) of figures the box whose heading starts with that prefix."""
    body = [f"<h1>{html.escape(title)}</h1>"]
    headings = [heading or "" for heading, _, _ in sections]
    chart_after = next((i for i, h in enumerate(headings) if h.startswith("Headline")), 0)
    for i, (heading, columns, rows) in enumerate(sections):
        if heading:
            body.append(f"<h2>{html.escape(heading)}</h2>")
        body.append(table_html(columns, rows))
        if i == chart_after and chart:
            body.append("<h2>Pareto chart: revenue by customer, largest first</h2>")
            body.append(chart)
            body.append(f"<p>{html.escape(caption)}</p>")
        body += [figure for prefix, figure in figures if figure and h_starts(heading, prefix)]
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
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
    rows = pareto_rows(con)
    as_of = con.execute("SELECT as_of FROM review_settings LIMIT 1").fetchone()[0]
    chart = pareto_svg(rows, args.bars) if rows else ""
    caption = pareto_caption(rows) if rows else ""
    figures = [(review_effort.AFTER_HEADING, review_effort.figure(con))]
    with open(args.out, "w", encoding="utf-8") as f:
        f.write(page(f"Portfolio review as of {as_of}", sections, chart, caption, figures))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
