#!/usr/bin/python3
"""review_effort_html.py: checks review.html's cost-of-dependence scatter (sql/review_effort.py).

    review_effort_html.py REVIEW_HTML DB          the scatter must be there and right
    review_effort_html.py REVIEW_HTML DB --none   there must be no scatter

The SVG is parsed as XML (xml.etree): one <circle class="point"> per customer with a positive
share of both revenue and hours, each share equal to tests/review_effort_check.py's
computation from DB; every dot inside the plot, coloured by its side of the diagonal; the
diagonal from the lower-left to the upper-right corner; the largest customer named; no
script anywhere on the page. Exits 1 on the first mismatch.
"""
import re
import sys
import xml.etree.ElementTree as ET

from review_check import fail
from review_effort_check import customers, load, totals

NS = "{http://www.w3.org/2000/svg}"
LABEL = "Scatter of each customer"


def scatters(page):
    return [s for s in re.findall(r"<svg\b.*?</svg>", page, re.S) if LABEL in s]


def check(page, db):
    found = scatters(page)
    if len(found) != 1:
        fail(f"{len(found)} cost-of-dependence scatters in review.html, expected 1")
    try:
        svg = ET.fromstring(found[0])
    except ET.ParseError as e:
        fail(f"the scatter is not well-formed XML: {e}")
    _, _, revenue, effort, names = load(db)
    lines = customers(revenue, effort)
    R, H, _ = totals(lines)
    want = {str(names.get(l[0]) or l[0]): (l[2] / R, l[3] / H) for l in lines
            if l[2] > 0 and l[3] > 0}
    dots = [c for c in svg.iter(NS + "circle") if c.get("class") == "point"]
    if len(dots) != len(want) or svg.get("data-points") != str(len(want)):
        fail(f"{len(dots)} dots (data-points={svg.get('data-points')}), expected {len(want)}")
    frame = next(r for r in svg.iter(NS + "rect") if r.get("fill") == "none")
    x0, y0 = float(frame.get("x")), float(frame.get("y"))
    x1, y1 = x0 + float(frame.get("width")), y0 + float(frame.get("height"))
    for dot in dots:
        name = dot.get("data-customer")
        r, e = float(dot.get("data-revenue-share")), float(dot.get("data-effort-share"))
        if name not in want or abs(r - want[name][0]) > 1e-8 * r or \
                abs(e - want[name][1]) > 1e-8 * e:
            fail(f"dot {name}: shares {r}, {e}, expected {want.get(name)}")
        cx, cy = float(dot.get("cx")), float(dot.get("cy"))
        if not (x0 <= cx <= x1 and y0 <= cy <= y1):
            fail(f"dot {name} at ({cx}, {cy}) is outside the plot")
        # above the diagonal (y grows downwards) when the effort share is larger, below when
        # it is smaller (dots within a hair of it are on it)
        height, across = (cy - y1) / (y0 - y1), (cx - x0) / (x1 - x0)
        if (height > across + 1e-6 and e <= r) or (height < across - 1e-6 and e >= r):
            fail(f"dot {name} is on the wrong side of the diagonal")
    diagonal = [l for l in svg.iter(NS + "line") if l.get("class") == "diagonal"]
    if len(diagonal) != 1 or [float(diagonal[0].get(k)) for k in ("x1", "y1", "x2", "y2")] \
            != [x0, y1, x1, y0]:
        fail("no diagonal from the lower-left to the upper-right corner")
    largest = next(l for l in lines if l[1] == 1)
    named = [t.text for t in svg.iter(NS + "text") if t.get("class") == "name"]
    if str(names.get(largest[0]) or largest[0]) not in named:
        fail(f"the largest customer is not named on the scatter (names: {named})")
    if "<script" in page.lower():
        fail("review.html has a script")
    above = sum(1 for r, e in want.values() if e > r)
    print(f"scatter: {len(dots)} dots, {above} above the diagonal, named {named}")


def main(argv):
    page = open(argv[1], encoding="utf-8").read()
    if len(argv) == 4 and argv[3] == "--none":
        if scatters(page):
            fail("review.html has a scatter though there is no effort to draw")
        print("no scatter, as expected")
    elif len(argv) == 3:
        check(page, argv[2])
    else:
        fail(__doc__)
    print("OK")


if __name__ == "__main__":
    main(sys.argv)
