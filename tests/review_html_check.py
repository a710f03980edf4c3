#!/usr/bin/python3
"""review_html_check.py: the charts of review.html against a second, plain-Python computation.

    review_html_check.py PAGE DB EXT [--no-accounts]

Every <svg> of the page must parse as XML (xml.etree). The numbers each chart draws are turned
back from pixels into data through its <rect class="plot"> (which states the data range it
maps) and compared with a recomputation here from the invoices (tests/review_check.py's
exactly rounded netting) and, for the risk chart, from the spec's risk curves:
 - Pareto: the largest customers named and their shares, no bar longer than the largest
   customer's, no bar for "the others", the 80 % point at the first rank that reaches 80 %;
 - Lorenz: every point of the curve on the Python curve, the Gini named on the chart equal to
   the Python Gini, to the extension's gini() and to twice the area between the lines;
 - HHI by quarter: one point per quarter at its HHI, partial quarters marked as such;
 - risk: the count of accounts in each 5-point bin.
--no-accounts: a review without the account part (make review CSV=...): no risk chart.
"""
import math
import re
import sqlite3
import sys
import xml.etree.ElementTree as ET

sys.path.insert(0, "tests")
import review_check as rc  # noqa: E402

NS = "{http://www.w3.org/2000/svg}"
PIXEL = 0.011  # coordinates are written with 2 decimals


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def close(a, b, tol, what):
    if abs(a - b) > tol:
        fail(f"{what}: chart has {a!r}, expected {b!r}")


class Mapping:
    """Pixels back to data, from a <rect class="plot">."""

    def __init__(self, rect):
        self.x, self.y = float(rect.get("x")), float(rect.get("y"))
        self.w, self.h = float(rect.get("width")), float(rect.get("height"))
        self.x0, self.x1 = float(rect.get("data-x-min")), float(rect.get("data-x-max"))
        self.y0, self.y1 = float(rect.get("data-y-min")), float(rect.get("data-y-max"))

    def data(self, px, py):
        return (self.x0 + (px - self.x) / self.w * (self.x1 - self.x0),
                self.y0 + (1 - (py - self.y) / self.h) * (self.y1 - self.y0))

    def tol_x(self):
        return PIXEL / self.w * (self.x1 - self.x0)

    def tol_y(self):
        return PIXEL / self.h * (self.y1 - self.y0)


def charts(page):
    out = {}
    for chunk in re.findall(r"<svg\b.*?</svg>", page, re.S):
        try:
            svg = ET.fromstring(chunk)
        except ET.ParseError as e:
            fail(f"an <svg> is not well-formed XML: {e}")
        out[svg.get("data-chart")] = svg
    return out


def plot(svg, panel):
    rects = [r for r in svg.iter(NS + "rect") if r.get("class") == "plot"
             and r.get("data-panel") == panel]
    if len(rects) != 1:
        fail(f"{svg.get('data-chart')}: {len(rects)} plot areas named {panel}")
    return Mapping(rects[0])


def points(el):
    return [tuple(map(float, p.split(","))) for p in el.get("points").split()]


def by_class(svg, tag, cls):
    return [e for e in svg.iter(NS + tag) if e.get("class") == cls]


def check_pareto(svg, m, names):
    ranked, total = m["ranked"], m["total"]
    bars = by_class(svg, "rect", "bar")
    shown = min(15, len(ranked))
    if len(bars) != shown or svg.get("data-bars") != str(shown):
        fail(f"Pareto: {len(bars)} bars, expected {shown}")
    labels = [t.text for t in by_class(svg, "text", "name")]
    widths = [float(b.get("width")) for b in bars]
    for i, (bar, (v, k)) in enumerate(zip(bars, ranked)):
        close(float(bar.get("data-share")), v / total, 1e-8, f"Pareto bar {i + 1} share")
        name = names.get(k)
        want = f"{i + 1}. {name} (#{k})" if name else f"{i + 1}. {k}"
        if labels[i] != want:
            fail(f"Pareto bar {i + 1} is labelled '{labels[i]}', expected '{want}'")
    if max(widths) != widths[0]:
        fail("Pareto: a bar is longer than the largest customer's")
    bars_map = plot(svg, "bars")
    close(bars_map.data(float(bars[0].get("x")) + widths[0], 0)[0], ranked[0][0] / total,
          bars_map.tol_x(), "Pareto: the largest bar's length")
    others = [t for t in svg.iter(NS + "text") if t.get("data-others")]
    if len(ranked) > shown and (len(others) != 1 or
                                others[0].get("data-others") != str(len(ranked) - shown)):
        fail("Pareto: the other customers are not counted in words")
    running, reach = 0.0, len(ranked)
    for i, (v, _) in enumerate(ranked):
        running += v / total
        if running >= 0.8 - 1e-12:
            reach = i + 1
            break
    (mark,) = by_class(svg, "circle", "reach80")
    if mark.get("data-rank") != str(reach):
        fail(f"Pareto: 80 % reached at rank {mark.get('data-rank')}, expected {reach}")
    curve = plot(svg, "cumulative")
    x, y = curve.data(float(mark.get("cx")), float(mark.get("cy")))
    close(x, reach, curve.tol_x(), "Pareto: the 80 % point's rank")
    close(y, math.fsum(v for v, _ in ranked[:reach]) / total, curve.tol_y(),
          "Pareto: the 80 % point's cumulative share")
    if f"the largest {reach:,} of {len(ranked):,} customers" not in "".join(svg.itertext()):
        fail("Pareto: the 80 % point is not labelled with its count")
    print(f"Pareto: {shown} customers named, 80 % reached at {reach} of {len(ranked)}")


def check_lorenz(svg, m, ext_gini):
    asc = sorted(v for v, _ in m["ranked"])
    n, total = len(asc), m["total"]
    cum = [0.0]
    for v in asc:
        cum.append(cum[-1] + v / total)
    (line,) = by_class(svg, "polyline", "lorenz")
    area = plot(svg, "lorenz")
    drawn = [area.data(px, py) for px, py in points(line)]
    for x, y in drawn:
        k = round(x * n)
        if abs(k - x * n) > area.tol_x() * n + 1e-6:
            fail(f"Lorenz: a point at x = {x} is not at a whole customer")
        close(y, cum[k], area.tol_y(), f"Lorenz point of the {k} smallest customers")
    if drawn[0] != (0.0, 0.0) and max(abs(drawn[0][0]), abs(drawn[0][1])) > 1e-6:
        fail("Lorenz: the curve does not start at (0, 0)")
    close(drawn[-1][0], 1.0, 1e-6, "Lorenz: last point's x")
    close(drawn[-1][1], 1.0, 1e-6, "Lorenz: last point's y")
    gini = float(svg.get("data-gini"))
    close(gini, m["gini"], 1e-9, "Lorenz: Gini (Python)")
    close(gini, ext_gini, 1e-12, "Lorenz: Gini (the extension's gini())")
    trapezoids = math.fsum((x1 - x0) * (y0 + y1) for (x0, y0), (x1, y1) in zip(drawn, drawn[1:]))
    # The drawn curve may be thinned to 1,000 chords, which lie a little above the curve.
    close(1 - trapezoids, m["gini"], 2e-3, "Lorenz: twice the area between the lines")
    if f"Gini {m['gini']:.3f}" not in "".join(svg.itertext()):
        fail(f"Lorenz: the chart does not name the Gini {m['gini']:.3f}")
    if not by_class(svg, "line", "equality"):
        fail("Lorenz: no equality line")
    print(f"Lorenz: {len(drawn)} points on the curve of {n} customers, Gini {gini:.6f}")


def check_hhi(svg, rows, as_of):
    by_q = {}
    for cust, day, amount in rows:
        by_q.setdefault(f"{day[:4]}-Q{(int(day[5:7]) + 2) // 3}", []).append((cust, amount))
    dots = by_class(svg, "circle", "quarter")
    if [d.get("data-quarter") for d in dots] != sorted(by_q):
        fail(f"HHI chart: quarters {[d.get('data-quarter') for d in dots]}")
    area = plot(svg, "hhi")
    labels = "".join(svg.itertext())
    for i, d in enumerate(dots):
        q = d.get("data-quarter")
        hhi = rc.measures(rc.net_totals(by_q[q]))["hhi"]
        close(float(d.get("data-hhi")), hhi, 1e-6, f"HHI chart {q}")
        x, y = area.data(float(d.get("cx")), float(d.get("cy")))
        close(y, hhi, area.tol_y(), f"HHI chart {q}: the point's height")
        close(x, i, area.tol_x(), f"HHI chart {q}: the point's place")
        coverage = rc.quarter_coverage(q, rows, as_of)
        if d.get("data-partial") != ("1" if coverage else "0"):
            fail(f"HHI chart {q}: partial is {d.get('data-partial')}, coverage '{coverage}'")
        if coverage:
            covered, days = re.fullmatch(r"partial: (\d+) of (\d+) days", coverage).groups()
            if f"partial ({covered}/{days} d)" not in labels or d.get("fill") != "#ffffff":
                fail(f"HHI chart {q}: the partial quarter is not marked")
    partial = [d.get("data-quarter") for d in dots if d.get("data-partial") == "1"]
    print(f"HHI chart: {len(dots)} quarters, partial: {', '.join(partial) or 'none'}")


def check_risk(svg, db, ext):
    risks = [a["risk"] for a in rc.load_accounts(db, ext)]
    bins = by_class(svg, "rect", "bin")
    if len(bins) != 20:
        fail(f"risk chart: {len(bins)} bins, expected 20")
    area = plot(svg, "risk")
    for b in bins:
        lo, hi, count = int(b.get("data-from")), int(b.get("data-to")), int(b.get("data-count"))
        inside = [r for r in risks if lo <= r < hi or (hi == 100 and r == 100)]
        # a score within 1e-9 of an edge may fall either side of it in the extension
        edge = [r for r in risks if abs(r - lo) < 1e-9 or abs(r - hi) < 1e-9]
        if abs(count - len(inside)) > len(edge):
            fail(f"risk chart: {count} accounts in [{lo}, {hi}), expected {len(inside)}")
        _, top = area.data(0, float(b.get("y")))
        close(top, count, area.tol_y(), f"risk chart: the height of bin {lo}-{hi}")
    if sum(int(b.get("data-count")) for b in bins) != len(risks):
        fail("risk chart: the bins do not hold every account")
    print(f"risk chart: {len(risks)} accounts in 20 bins")


def main(argv):
    page_path, db, ext = argv[1:4]
    accounts = "--no-accounts" not in argv[4:]
    page = open(page_path, encoding="utf-8").read()
    found = charts(page)
    want = {"pareto", "lorenz", "hhi-by-quarter"} | ({"risk"} if accounts else set())
    if not want <= set(found):
        fail(f"charts in the page: {sorted(found)}, expected at least {sorted(want)}")
    rows, as_of, months, names = rc.load_invoices_db(db)
    first = rc.add_months(rc.datetime.date.fromisoformat(as_of), -months) + \
        rc.datetime.timedelta(days=1)
    end = (rc.datetime.date.fromisoformat(as_of) + rc.datetime.timedelta(days=1)).isoformat()
    m = rc.measures(rc.net_totals((c, a) for c, d, a in rows if first.isoformat() <= d < end))
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    con.enable_load_extension(True)
    con.load_extension(ext)
    ext_gini = con.execute("SELECT gini(customer_id, amount) FROM invoices WHERE invoice_date "
                           ">= ? AND invoice_date < ?", (first.isoformat(), end)).fetchone()[0]
    check_pareto(found["pareto"], m, names)
    check_lorenz(found["lorenz"], m, ext_gini)
    check_hhi(found["hhi-by-quarter"], rows, as_of)
    if accounts:
        check_risk(found["risk"], db, ext)
    print(f"{len(found)} charts well formed: {', '.join(sorted(found))}")
    print("OK")


if __name__ == "__main__":
    main(sys.argv)
