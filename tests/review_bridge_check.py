#!/usr/bin/python3
"""review_bridge_check.py: the review's revenue bridge and cohort table, text and charts,
against a second computation in plain Python.

    review_bridge_check.py REVIEW_OUTPUT PAGE DB

From the invoices of DB (every dated invoice, by calendar quarter, credit notes netted per
customer and quarter with exactly rounded sums), this recomputes the movements of the spec's
"Revenue movements and retention" (new, reactivation, expansion, contraction, churn) and the
revenue retention of each cohort (quarter of first purchase), then checks:
 - the bridge box: the last four quarters, every figure to the last digit printed, the bridge
   identity start + new + reactivation + expansion - contraction - churn = end, and the
   partial quarters marked;
 - the cohort box: every cohort's size, first revenue and retention at each age;
 - the waterfall of review.html: each step's amount and levels, and its bars' heights;
 - the heat map: each cell's retention and its partial mark.
"""
import math
import re
import sys

sys.path.insert(0, "tests")
import review_check as rc  # noqa: E402
from review_html_check import NS, Mapping, by_class, charts, close, fail  # noqa: E402

MOVES = ("new", "reactivation", "expansion", "contraction", "churn")


def quarter_of(day):
    return f"{day[:4]}-Q{(int(day[5:7]) + 2) // 3}"


def quarterly_revenue(rows):
    """{quarter: {customer: revenue}}, revenue the positive net of the quarter (else absent)."""
    lines = {}
    for cust, day, amount in rows:
        lines.setdefault(quarter_of(day), {}).setdefault(cust, []).append(amount)
    return {q: {c: t for c, t in ((c, math.fsum(v)) for c, v in by_c.items()) if t > 0}
            for q, by_c in lines.items()}


def bridges(revenue):
    """[{period, previous_period, start, new, ..., end, customers...}] for every quarter."""
    out, seen, prev, prev_q = [], set(), {}, None
    for q in sorted(revenue):
        cur, parts = revenue[q], {m: [] for m in MOVES}
        counts = {m: 0 for m in MOVES}
        for c in set(prev) | set(cur):
            p, v = prev.get(c, 0.0), cur.get(c, 0.0)
            if p == 0:
                move, amount = ("reactivation" if c in seen else "new"), v
            elif v > p:
                move, amount = "expansion", v - p
            elif v == 0:
                move, amount = "churn", p
            elif v < p:
                move, amount = "contraction", p - v
            else:
                continue
            parts[move].append(amount)
            counts[move] += 1
        b = {m: math.fsum(parts[m]) for m in MOVES}
        b.update(period=q, previous_period=prev_q, start=math.fsum(prev.values()),
                 end=math.fsum(cur.values()), end_customers=len(cur),
                 start_customers=len(prev), counts=counts)
        b["gross_retention"] = ((b["start"] - b["contraction"] - b["churn"]) / b["start"]
                                if b["start"] else None)
        b["net_retention"] = ((b["start"] + b["expansion"] - b["contraction"] - b["churn"])
                              / b["start"] if b["start"] else None)
        out.append(b)
        seen |= set(cur)
        prev, prev_q = cur, q
    return out


def cohorts(revenue):
    """[(cohort, size, first revenue, [(age, period, retention)])], oldest first."""
    first = {}
    for q in sorted(revenue):
        for c in revenue[q]:
            first.setdefault(c, q)
    quarters = sorted(revenue)
    out = []
    for i, q in enumerate(quarters):
        members = [c for c, f in first.items() if f == q]
        if not members:
            continue
        base = math.fsum(revenue[q][c] for c in members)
        cells = [(age, p, math.fsum(revenue[p].get(c, 0.0) for c in members) / base)
                 for age, p in enumerate(quarters[i:])]
        out.append((q, len(members), base, cells))
    return out


def check_bridge_box(rows_printed, all_bridges, coverage):
    want = all_bridges[-4:] if len(all_bridges) > 4 else all_bridges[1:]
    if not want:
        rc.expect_text("bridge of one quarter", " ".join(rows_printed[0]).strip(),
                       "(one quarter of invoices: nothing to compare it with)")
        print("bridge: one quarter only, nothing to compare")
        return want
    if [r[0] for r in rows_printed] != [b["period"] for b in want]:
        fail(f"bridge quarters {[r[0] for r in rows_printed]}, expected "
             f"{[b['period'] for b in want]}")
    for row, b in zip(rows_printed, want):
        q = b["period"]
        for cell, key in zip(row[1:8], ("start", "new", "expansion", "contraction", "churn",
                                        "reactivation", "end")):
            rc.expect_number(f"bridge {q} {key}", cell, b[key])
        identity = b["start"] + b["new"] + b["reactivation"] + b["expansion"] \
            - b["contraction"] - b["churn"]
        close(identity, b["end"], 1e-6 * max(1.0, b["end"]), f"bridge identity {q}")
        rc.expect_number(f"bridge {q} net retention", row[8], b["net_retention"], 100)
        rc.expect_number(f"bridge {q} gross retention", row[9], b["gross_retention"], 100)
        rc.expect_text(f"bridge {q} coverage", row[10], coverage(q))
    last = want[-1]
    print(f"bridge: {len(want)} quarters, latest {last['period']}: start {last['start']:,.2f}, "
          f"end {last['end']:,.2f}, NRR {last['net_retention']:.4f}, "
          f"GRR {last['gross_retention']:.4f}")
    return want


def check_cohort_box(rows_printed, all_cohorts, partial):
    want = all_cohorts[-8:]
    if [r[0].rstrip("*").replace(" (partial)", "") for r in rows_printed] != \
            [c[0] for c in want]:
        fail(f"cohorts printed {[r[0] for r in rows_printed]}")
    for row, (q, size, base, cells) in zip(rows_printed, want):
        rc.expect_text(f"cohort {q}", row[0], q + (" (partial)" if q in partial else ""))
        rc.expect_text(f"cohort {q} customers", row[1], f"{size:,}")
        rc.expect_number(f"cohort {q} first revenue", row[2], base)
        for age in range(1, 8):
            cell = row[2 + age]
            if age >= len(cells):
                rc.expect_text(f"cohort {q} +{age}", cell, "")
                continue
            _, period, retention = cells[age]
            if cell.endswith("*") != (period in partial):
                fail(f"cohort {q} +{age}: '{cell}', {period} is "
                     f"{'partial' if period in partial else 'whole'}")
            rc.expect_number(f"cohort {q} +{age}", cell.rstrip("*"), retention, 100)
    print(f"cohorts: {len(want)}, oldest {want[0][0]} keeps "
          f"{100 * want[0][3][-1][2]:.1f} % after {len(want[0][3]) - 1} quarters")


def check_waterfall(svg, b, partial):
    steps = {r.get("data-step"): r for r in by_class(svg, "rect", "step")}
    if list(steps) != ["start", "new", "reactivation", "expansion", "contraction", "churn",
                       "end"]:
        fail(f"waterfall steps {list(steps)}")
    if svg.get("data-period") != b["period"] or \
            svg.get("data-partial") != ("1" if b["period"] in partial else "0"):
        fail("waterfall: not the latest quarter, or its partial mark is wrong")
    plot = Mapping(next(r for r in svg.iter(NS + "rect") if r.get("class") == "plot"))
    level = b["start"]
    for name, r in steps.items():
        amount = b[name]
        close(float(r.get("data-amount")), amount, 1e-6 * max(1.0, b["start"]),
              f"waterfall {name}")
        if name in ("start", "end"):
            lo, hi = 0.0, amount
        else:
            after = level + (amount if name in ("new", "reactivation", "expansion") else -amount)
            lo, hi = sorted((level, after))
            level = after
        y_top = float(r.get("y"))
        _, top = plot.data(0, y_top)
        _, bottom = plot.data(0, y_top + float(r.get("height")))
        close(top, hi, plot.tol_y() * 2, f"waterfall {name}: top of the bar")
        close(bottom, max(lo, plot.y0), plot.tol_y() * 2, f"waterfall {name}: bottom")
    close(level, b["end"], 1e-6 * max(1.0, b["end"]), "waterfall: the steps end at the end")
    print(f"waterfall: {b['previous_period']} -> {b['period']}, 7 bars at their levels")


def check_heatmap(svg, all_cohorts, partial):
    cells = {(r.get("data-cohort"), int(r.get("data-age"))): r
             for r in by_class(svg, "rect", "cell")}
    want = {(q, age): (period, ret) for q, _, _, cs in all_cohorts[-8:]
            for age, period, ret in cs if age < 8}
    if set(cells) != set(want):
        fail(f"heat map: {len(cells)} cells, expected {len(want)}")
    for key, (period, ret) in want.items():
        r = cells[key]
        close(float(r.get("data-retention")), ret, 1e-9, f"heat map {key}")
        if r.get("data-partial") != ("1" if period in partial else "0"):
            fail(f"heat map {key}: partial mark")
    print(f"heat map: {len(cells)} cells")


def main(argv):
    output, page_path, db = argv[1:4]
    rows, as_of, _months, _names = rc.load_invoices_db(db)
    rows = [r for r in rows if r[1] and re.match(r"\d{4}-\d\d", r[1])]
    revenue = quarterly_revenue(rows)
    coverage = {q: rc.quarter_coverage(q, rows, as_of) for q in revenue}
    partial = {q for q, c in coverage.items() if c}
    boxes = rc.parse_boxes(open(output, encoding="utf-8").read())
    all_bridges, all_cohorts = bridges(revenue), cohorts(revenue)
    shown = check_bridge_box(rc.box(boxes, "Revenue bridge")[1], all_bridges, coverage.get)
    check_cohort_box(rc.box(boxes, "Revenue retention by quarter of first purchase")[1],
                     all_cohorts, partial)
    found = charts(open(page_path, encoding="utf-8").read())
    if not shown:
        if "bridge" in found:
            fail("a waterfall drawn for a single quarter")
    else:
        check_waterfall(found["bridge"], shown[-1], partial)
    check_heatmap(found["cohorts"], all_cohorts, partial)
    print("OK")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        fail(__doc__)
    main(sys.argv)
