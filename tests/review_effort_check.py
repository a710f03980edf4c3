#!/usr/bin/python3
"""review_effort_check.py: checks the review's "Cost of dependence" boxes against a second,
plain-Python computation from the database's tables.

    review_effort_check.py REVIEW_OUTPUT DB            the boxes hold figures: check them all
    review_effort_check.py REVIEW_OUTPUT DB --skipped  the database has no effort table: the
                                                       boxes must say so and hold no figure

Revenue comes from invoices (the review period, credit notes netted, customers with a
positive net only: tests/review_check.py's reference), effort from the effort table over the
same period; a row's cost is its cost column when it has a value, else hours x
review_settings.hourly_cost. Every printed number is compared within half a unit of its last
digit. Prints what it checked; exits 1 on the first mismatch.
"""
import datetime
import math
import sqlite3
import sys

from review_check import (add_months, box, expect_number, expect_text, fail, hhi_band,
                          measures, net_totals, parse_boxes)

CUSTOMERS_BOX = "Cost of dependence: the 10 largest"
PORTFOLIO_BOX = "Cost of dependence: HHI of effort"


def columns_of(con, table):
    return [r[1] for r in con.execute(f"PRAGMA table_info({table})")]


def load(db):
    """Period bounds, {customer: revenue}, {customer: [hours, cost or None]}, names."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    as_of, months = con.execute("SELECT as_of, period_months FROM review_settings").fetchone()
    rate = (con.execute("SELECT hourly_cost FROM review_settings").fetchone()[0]
            if "hourly_cost" in columns_of(con, "review_settings") else None)
    as_of_d = datetime.date.fromisoformat(as_of)
    first = (add_months(as_of_d, -months) + datetime.timedelta(days=1)).isoformat()
    end = (as_of_d + datetime.timedelta(days=1)).isoformat()
    revenue = net_totals((c, a) for c, d, a in con.execute(
        "SELECT customer_id, invoice_date, amount FROM invoices") if first <= d < end)
    cost_col = "cost" if "cost" in columns_of(con, "effort") else "NULL"
    effort = {}
    for c, d, h, cost in con.execute(
            f"SELECT customer_id, effort_date, hours, {cost_col} FROM effort"):
        if first <= d < end:
            if cost is None and rate is not None:
                cost = h * rate
            effort.setdefault(c, []).append((h, cost))
    names = dict(con.execute("SELECT customer_id, name FROM accounts"))
    return first, as_of, revenue, effort, names


def cost_sum(costs):
    return None if any(c is None for c in costs) else math.fsum(costs)


def customers(revenue, effort):
    """[(customer, rank or None, revenue, hours, cost or None)]: every customer with a positive
    revenue (ranked as the concentration part ranks them) or with effort in the period."""
    ranked = measures(revenue)["ranked"]
    rank = {k: i + 1 for i, (_, k) in enumerate(ranked)}
    out = []
    for k in list(rank) + [k for k in effort if k not in rank]:
        rows = effort.get(k, [])
        out.append((k, rank.get(k), max(revenue.get(k, 0.0), 0.0) if k in rank else 0.0,
                    math.fsum(h for h, _ in rows), cost_sum([c for _, c in rows])))
    return out


def totals(lines):
    return (math.fsum(l[2] for l in lines), math.fsum(l[3] for l in lines),
            cost_sum([l[4] for l in lines]))


def effort_hhi(lines):
    """herfindahl(customer, hours): only customers with positive hours hold a share."""
    pos = [l[3] for l in lines if l[3] > 0]
    total = math.fsum(pos)
    return sum((100 * h / total) ** 2 for h in pos)


def check_line(what, row, line, t):
    """One row of the customers box: revenue, shares, hours, ratio, cost, margin, margin share."""
    _, _, revenue, hours, cost = line
    R, H, C = t
    expect_number(f"{what} revenue", row[2], revenue)
    expect_number(f"{what} revenue share", row[3], revenue / R, 100)
    expect_number(f"{what} hours", row[4], hours)
    expect_number(f"{what} effort share", row[5], hours / H, 100)
    if revenue > 0:
        expect_number(f"{what} effort / revenue share", row[6], (hours / H) / (revenue / R))
    else:
        expect_text(f"{what} effort / revenue share", row[6], "-")
    if cost is None:
        for i, col in ((7, "cost"), (8, "margin"), (9, "margin share")):
            expect_text(f"{what} {col}", row[i], "-")
        return
    expect_number(f"{what} cost", row[7], cost)
    expect_number(f"{what} margin", row[8], revenue - cost)
    if C is None or R == C:
        expect_text(f"{what} margin share", row[9], "-")
    else:
        expect_number(f"{what} margin share", row[9], (revenue - cost) / (R - C), 100)


def label(names, k):
    return str(k) if names.get(k) is None else f"{names[k]} (#{k})"


def check_customers(rows, lines, names, t):
    top = sorted((l for l in lines if l[1] is not None and l[1] <= 10), key=lambda l: l[1])
    rest = [l for l in lines if l[1] is None or l[1] > 10]
    costly = [l for l in lines if l[4] is not None and l[4] > l[2]]
    want = [(str(l[1]), label(names, l[0]), l) for l in top]
    if rest:
        want.append(("", "the other customer" if len(rest) == 1 else
                     f"the other {len(rest):,} customers", (None, None) + totals(rest)))
    if costly:
        want.append(("", "the customer costing more than it pays" if len(costly) == 1 else
                     f"the {len(costly):,} customers costing more than they pay",
                     (None, None) + totals(costly)))
    want.append(("", "all customers", (None, None) + t))
    if len(rows) != len(want):
        fail(f"customers box: {len(rows)} rows printed, expected {len(want)}")
    for row, (rank, name, line) in zip(rows, want):
        expect_text("customers box rank", row[0], rank)
        expect_text("customers box customer", row[1], name)
        check_line(name, row, line, t)
    return top, costly


def check_portfolio(rows, lines, names, t, hhi_revenue_without):
    R, H, C = t
    top = min((l for l in lines if l[1] is not None), key=lambda l: l[1])
    others = [l for l in lines if l is not top]
    without = totals(others)
    want = [("all customers" if C is not None else
             "all customers (cost unknown: record effort.cost or set review_settings.hourly_cost)",
             t, measures_hhi(lines, top, False), effort_hhi(lines)),
            ("without " + label(names, top[0]), without, hhi_revenue_without, effort_hhi(others))]
    if len(rows) != 2:
        fail(f"portfolio box: {len(rows)} rows printed, expected 2")
    for row, (name, (r, h, c), hhi_r, hhi_e) in zip(rows, want):
        expect_text("portfolio box line", row[0], name)
        expect_number(f"{name} revenue", row[1], r)
        expect_number(f"{name} hours", row[2], h)
        if c is None:
            for i in (3, 4, 5):
                expect_text(f"{name} cost, margin, rate", row[i], "-")
        else:
            expect_number(f"{name} cost", row[3], c)
            expect_number(f"{name} margin", row[4], r - c)
            expect_number(f"{name} margin rate", row[5], (r - c) / r, 100)
        expect_number(f"{name} HHI of revenue", row[6], hhi_r)
        expect_text(f"{name} revenue band", row[7], hhi_band(hhi_r))
        expect_number(f"{name} HHI of effort", row[8], hhi_e)
        expect_text(f"{name} effort band", row[9], hhi_band(hhi_e))
    return top, without


def measures_hhi(lines, top, drop):
    """HHI of revenue over the ranked customers, without the largest when drop is set."""
    revenue = [l[2] for l in lines if l[1] is not None and not (drop and l is top)]
    total = math.fsum(revenue)
    return sum((100 * v / total) ** 2 for v in revenue)


def check_figures(output, db):
    first, as_of, revenue, effort, names = load(db)
    lines = customers(revenue, effort)
    t = totals(lines)
    boxes = parse_boxes(output)
    top10, costly = check_customers(box(boxes, CUSTOMERS_BOX)[1], lines, names, t)
    top = min((l for l in lines if l[1] is not None), key=lambda l: l[1])
    _, without = check_portfolio(box(boxes, PORTFOLIO_BOX)[1], lines, names, t,
                                 measures_hhi(lines, top, True))
    R, H, C = t
    print(f"cost of dependence, {first} to {as_of}: {len(lines):,} customers, revenue {R:,.0f}, "
          f"{H:,.0f} hours, cost {C if C is None else f'{C:,.0f}'}")
    print(f"largest: {label(names, top[0])}: {100 * top[2] / R:.1f} % of revenue, "
          f"{100 * top[3] / H:.1f} % of effort; customers costing more than they pay: {len(costly)}")
    if C is not None:
        print(f"margin rate {100 * (R - C) / R:.1f} % now, "
              f"{100 * (without[0] - without[2]) / without[0]:.1f} % without the largest")


def check_skipped(output):
    boxes = parse_boxes(output)
    rows = box(boxes, CUSTOMERS_BOX)[1]
    message = " ".join(r[1] for r in rows)
    if not message.startswith("skipped: the database has no effort table."):
        fail(f"customers box without an effort table: {rows}")
    for need in ("effort (customer_id, effort_date, hours[, cost])", "hourly_cost",
                 "sql/schema.md", "EFFORT=effort.csv"):
        if need not in message:
            fail(f"the skip message does not say '{need}': {message}")
    if any(r[i] for r in rows for i in (0, 2, 3, 4, 5, 6, 7, 8, 9)):
        fail(f"the skip lines hold figures: {rows}")
    rows = box(boxes, PORTFOLIO_BOX)[1]
    if len(rows) != 1 or rows[0][0] != "skipped (see the box above)" or any(rows[0][1:]):
        fail(f"portfolio box without an effort table: {rows}")
    print(f"skipped: {rows[0][0]}")


def main(argv):
    if len(argv) not in (3, 4) or (len(argv) == 4 and argv[3] != "--skipped"):
        fail(__doc__)
    output = open(argv[1], encoding="utf-8").read()
    if len(argv) == 4:
        check_skipped(output)
    else:
        check_figures(output, argv[2])
    print("OK")


if __name__ == "__main__":
    main(sys.argv)
