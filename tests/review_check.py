#!/usr/bin/python3
"""review_check.py: checks the printed review against a second, plain-Python computation.

    review_check.py concentration REVIEW_OUTPUT DB            (invoices read from DB)
    review_check.py concentration REVIEW_OUTPUT --rows ROWS.json [--as-of D] [--months N]
    review_check.py accounts REVIEW_OUTPUT DB EXT

The review's boxes are parsed from the shell's output; every number is recomputed here from
the data with nothing but Python (the extension is loaded only to read the industry ratings
of risk_industries), from the definitions in the spec, and compared within half a unit of
the last digit printed. Prints what it checked; exits 1 on the first mismatch.
"""
import datetime
import json
import math
import sqlite3
import sys

BOX_CHARS = "│┌├└"


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


# ---- reading the shell's boxes -------------------------------------------------------------

def parse_boxes(text):
    """{title: (columns, rows)} for each box, titled by the line printed before it."""
    boxes, title, columns, rows = {}, None, None, None
    for line in text.splitlines():
        if line.startswith("┌"):
            columns, rows = None, []
        elif line.startswith("│"):
            cells = [c.strip() for c in line.strip().strip("│").split("│")]
            if columns is None:
                columns = cells
            else:
                rows.append(cells)
        elif line.startswith("└"):
            boxes[title] = (columns, rows)
        elif line.startswith("├"):
            continue
        elif line.strip():
            title = line.strip()
    return boxes


def box(boxes, prefix):
    for title, value in boxes.items():
        if title and title.startswith(prefix):
            return value
    fail(f"no box titled '{prefix}...' in the review output")


def number(cell):
    """'1,234.5 %' -> (1234.5, half a unit of its last digit)."""
    text = cell.replace(",", "").replace("%", "").strip()
    decimals = len(text.split(".")[1]) if "." in text else 0
    return float(text), 0.5 * 10 ** -decimals


def expect_number(what, cell, value, scale=1.0):
    got, half = number(cell)
    if abs(got - value * scale) > half + 1e-9 * max(1.0, abs(value * scale)):
        fail(f"{what}: review prints {cell}, expected {value * scale!r}")


def expect_text(what, got, want):
    if got != want:
        fail(f"{what}: review prints '{got}', expected '{want}'")


# ---- the reference computations ----------------------------------------------------------

def add_months(day, months):
    """SQLite's date(day, '+N months'): the day of month is kept and overflow rolls over."""
    y, m = divmod(day.year * 12 + day.month - 1 + months, 12)
    return datetime.date(y, m + 1, 1) + datetime.timedelta(days=day.day - 1)


def hhi_band(h):
    if h < 1000:
        return "unconcentrated"
    return "moderately concentrated" if h <= 1800 else "highly concentrated"


def net_totals(pairs):
    """{customer: net} with exactly rounded sums (math.fsum), so invoices that cancel give
    exactly 0 and the customer holds no share, whatever the order of the rows."""
    lines = {}
    for cust, amount in pairs:
        lines.setdefault(cust, []).append(amount)
    return {c: math.fsum(v) for c, v in lines.items()}


def measures(totals):
    """Concentration of {customer: net}: customers with a positive net only."""
    pos = sorted(((v, k) for k, v in totals.items() if v > 0), key=lambda t: (-t[0], key_order(t[1])))
    total = math.fsum(v for v, _ in pos)
    shares = [v / total for v, _ in pos]
    hhi = sum((100 * s) ** 2 for s in shares)
    asc = sorted(v for v, _ in pos)
    n = len(asc)
    gini = 2 * math.fsum((i + 1) * v for i, v in enumerate(asc)) / (n * total) - (n + 1) / n
    return {"ranked": pos, "total": total, "shares": shares, "hhi": hhi, "gini": gini,
            "top": lambda k: sum(shares[:k])}


def key_order(k):
    return (0, k, "") if isinstance(k, (int, float)) else (1, 0, str(k))


def load_invoices_db(db):
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    rows = con.execute("SELECT customer_id, invoice_date, amount FROM invoices").fetchall()
    as_of, months = con.execute("SELECT as_of, period_months FROM review_settings").fetchone()
    names = dict(con.execute("SELECT customer_id, name FROM accounts"))
    return rows, as_of, months, names


def check_concentration(output, rows, as_of, months, names):
    boxes = parse_boxes(output)
    as_of_d = datetime.date.fromisoformat(as_of)
    first = add_months(as_of_d, -months) + datetime.timedelta(days=1)
    end = (as_of_d + datetime.timedelta(days=1)).isoformat()
    m = measures(net_totals((c, a) for c, d, a in rows if first.isoformat() <= d < end))
    check_headline(box(boxes, "Headline")[1], m, f"{first.isoformat()} to {as_of} ({months} months)")
    check_majors(box(boxes, "Major customers")[1], m, names)
    check_pareto(box(boxes, "Pareto classes")[1], m)
    check_quarters(box(boxes, "Concentration by quarter")[1], rows, as_of)


def check_headline(head, m, period):
    values = {r[0]: r[1] for r in head}
    expect_text("period", values["period"], period)
    expect_number("revenue", values["revenue"], m["total"])
    expect_text("customers", values["customers"], f"{len(m['ranked']):,}")
    expect_number("HHI", values["HHI (0-10,000)"], m["hhi"])
    expect_text("HHI band", values["HHI band"], hhi_band(m["hhi"]))
    for label, k in (("largest customer", 1), ("top 5 customers", 5), ("top 10 customers", 10)):
        expect_number(label, values[label], m["top"](k), 100)
    expect_number("Gini", values["Gini"], m["gini"])
    expect_number("effective customers", values["effective customers (10,000 / HHI)"],
                  10000 / m["hhi"])
    print(f"headline: revenue {m['total']:,.2f}, {len(m['ranked'])} customers, "
          f"HHI {m['hhi']:.2f}, CR1 {m['top'](1):.4f}, Gini {m['gini']:.4f}")


def check_majors(majors, m, names):
    want = [(i, v, k) for i, (v, k) in enumerate(m["ranked"]) if v / m["total"] >= 0.10]
    if not want:
        expect_text("major customers", majors[0][1], "(no customer holds 10 % of revenue)")
    elif len(majors) != len(want):
        fail(f"{len(majors)} major customers printed, expected {len(want)}")
    for row, (i, v, k) in zip(majors if want else [], want):
        name = names.get(k)
        expect_text("major rank", row[0], str(i + 1))
        expect_text("major customer", row[1], f"{name} (#{k})" if name else str(k))
        expect_number("major revenue", row[2], v)
        expect_number("major share", row[3], v / m["total"], 100)
        expect_number("major HHI points", row[4], (100 * v / m["total"]) ** 2)
        rest = m["total"] - v
        without = sum((100 * w / rest) ** 2 for w, kk in m["ranked"] if kk != k)
        expect_number("major HHI without", row[5], without)
        expect_text("major band without", row[6], hhi_band(without))
    print(f"major customers: {len(want)}")


def check_pareto(classes, m):
    count = {"A": 0, "B": 0, "C": 0}
    running = 0.0
    for v, _ in m["ranked"]:
        cls = "A" if running < 0.80 else ("B" if running < 0.95 else "C")
        count[cls] += 1
        running += v / m["total"]
    for row in classes:
        expect_text(f"Pareto class {row[0]} customers", row[1], f"{count[row[0]]:,}")
    print(f"Pareto classes: {count}")


def quarter_coverage(quarter, rows, as_of):
    """'' for a quarter the data covers whole, else 'partial: D of N days': the data runs from
    the first invoice day to the later of the last invoice day and as_of."""
    year, q = int(quarter[:4]), int(quarter[-1])
    start = datetime.date(year, 3 * q - 2, 1)
    end = add_months(start, 3) - datetime.timedelta(days=1)
    days = [datetime.date.fromisoformat(d[:10]) for _, d, _ in rows]
    first, last = min(days), max(max(days), datetime.date.fromisoformat(as_of))
    if first <= start and last >= end:
        return ""
    covered = (min(end, last) - max(start, first)).days + 1
    return f"partial: {covered} of {(end - start).days + 1} days"


def check_quarters(quarters, rows, as_of):
    by_q = {}
    for cust, day, amount in rows:
        q = f"{day[:4]}-Q{(int(day[5:7]) + 2) // 3}"
        by_q.setdefault(q, []).append((cust, amount))
    if [r[0] for r in quarters] != sorted(by_q):
        fail(f"quarters printed {[r[0] for r in quarters]}, expected {sorted(by_q)}")
    for row in quarters:
        lines = by_q[row[0]]
        t = net_totals(lines)
        qm = measures(t)
        expect_number(f"{row[0]} revenue", row[1], math.fsum(a for _, a in lines))
        expect_text(f"{row[0]} customers", row[2], f"{len(t):,}")
        expect_number(f"{row[0]} HHI", row[3], qm["hhi"])
        expect_text(f"{row[0]} band", row[5], hhi_band(qm["hhi"]))
        expect_number(f"{row[0]} largest", row[6], qm["top"](1), 100)
        expect_text(f"{row[0]} coverage", row[7], quarter_coverage(row[0], rows, as_of))
    partial = [r[0] + " " + r[7] for r in quarters if r[7]]
    print(f"quarters: {len(quarters)}; partial: {', '.join(partial) or 'none'}")


# ---- the account part: risk and phase from the spec's curves -----------------------------

WEIGHTS = {"industry": 0.15, "region": 0.05, "cash_runway_months": 0.15, "days_to_renewal": 0.10,
           "adoption": 0.15, "deployment": 0.10, "stakeholders": 0.10,
           "days_since_contact": 0.05, "penetration": 0.10, "contract_year": 0.05}


def sub_risks(a, ratings):
    return {
        "industry": ratings.get(a["industry"].lower(), 0.5),
        "region": a["region_rating"],
        "cash_runway_months": max(0.0, 1 - a["cash_runway_months"] / 24),
        "days_to_renewal": 1.0 if a["days"] <= 30 else max(0.0, 1 - (a["days"] - 30) / 150),
        "adoption": 1 - a["adoption"],
        "deployment": 1 - a["deployment"],
        "stakeholders": 1 - min(a["stakeholders_contacted"], 5) / 5,
        "days_since_contact": min(1.0, a["days_since_contact"] / 90),
        "penetration": 1 - a["penetration"],
        "contract_year": {1: 0.3, 2: 0.6, 3: 1.0}.get(a["contract_year"], 0.6),
    }


def phase(a):
    if a["risk"] >= 70 or (a["deployment"] >= 1 and a["adoption"] < 0.3):
        return "defense"
    if a["deployment"] < 1:
        return "deployment"
    return "growth" if a["open_expansion"] > 0 else "maturation"


def load_accounts(db, ext):
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    con.row_factory = sqlite3.Row
    as_of = datetime.date.fromisoformat(con.execute("SELECT as_of FROM review_settings")
                                        .fetchone()[0])
    accounts = [dict(r) for r in con.execute("SELECT * FROM accounts")]
    con.enable_load_extension(True)
    con.load_extension(ext)
    ratings = {r[0].lower(): r[1] for r in con.execute("SELECT industry, risk FROM risk_industries")}
    for a in accounts:
        a["days"] = (datetime.date.fromisoformat(a["renewal_date"]) - as_of).days
        a["penetration"] = min(1.0, a["current_revenue"] / a["potential_revenue"])
        r = sub_risks(a, ratings)
        a["risk"] = 100 * sum(WEIGHTS[f] * r[f] for f in r) / sum(WEIGHTS.values())
        contrib = {f: WEIGHTS[f] * r[f] for f in r}
        top = max(contrib.values())
        a["top_factors"] = {f for f, c in contrib.items() if abs(c - top) < 1e-12}
        a["phase"] = phase(a)
        a["at_risk"] = a["current_revenue"] * a["risk"] / 100
        a["label"] = f"{a['name']} (#{a['customer_id']})"
    return accounts


def check_accounts(output, db, ext):
    boxes = parse_boxes(output)
    accounts = load_accounts(db, ext)

    check_phases(box(boxes, "Accounts by lifecycle phase")[1], accounts)
    check_top10(box(boxes, "The 10 accounts most at risk"), accounts)
    check_renewals(box(boxes, "Renewals in the next 90 days"), accounts)
    check_small_deals(box(boxes, "Small deals at big accounts")[1], accounts)


def check_phases(phases, accounts):
    grand = sum(a["current_revenue"] for a in accounts)
    for row in phases:
        group = [a for a in accounts if a["phase"] == row[0]]
        expect_text(f"{row[0]} accounts", row[1], f"{len(group):,}")
        revenue = sum(a["current_revenue"] for a in group)
        expect_number(f"{row[0]} revenue", row[2], revenue)
        expect_number(f"{row[0]} share", row[3], revenue / grand, 100)
        if group:
            expect_number(f"{row[0]} average risk", row[4],
                          sum(a["risk"] for a in group) / len(group))
    print("phases: " + ", ".join(f"{r[0]} {r[1]}" for r in phases))


def check_row(what, a, cells):
    """Compares the cells of one printed account row, by column name, with account a."""
    for name, cell in cells.items():
        if name == "account":
            expect_text(f"{what} account", cell, a["label"])
        elif name == "revenue":
            expect_number(f"{what} revenue", cell, a["current_revenue"])
        elif name == "risk":
            expect_number(f"{what} risk", cell, a["risk"])
        elif name == "at risk":
            expect_number(f"{what} at risk", cell, a["at_risk"])
        elif name == "phase":
            expect_text(f"{what} phase", cell, a["phase"])
        elif name == "top reason":
            factor = cell.split(" = ")[0].replace(" ", "_")
            if factor not in a["top_factors"]:
                fail(f"{what}: top reason {cell}, expected one of {a['top_factors']}")


def check_top10(top10_box, accounts):
    cols, top10 = top10_box
    want = sorted(accounts, key=lambda a: (-a["risk"], -a["current_revenue"], a["customer_id"]))
    if len(top10) != min(10, len(want)):
        fail(f"{len(top10)} accounts most at risk printed")
    for row, a in zip(top10, want):
        check_row(f"most at risk #{row[0]}", a, dict(zip(cols, row)))
    print("10 most at risk: " + ", ".join(r[1] for r in top10[:3]) + ", ...")


def check_renewals(renewals_box, accounts):
    cols, renewals = renewals_box
    due = [a for a in accounts if 0 <= a["days"] <= 90]
    want = sorted(due, key=lambda a: (-a["at_risk"], a["customer_id"]))[:15]
    if len(renewals) != len(want) + 1:
        fail(f"{len(renewals)} renewal rows printed, expected {len(want)} and a total")
    for row, a in zip(renewals, want):
        check_row("renewal", a, dict(zip(cols, row)))
        expect_text("renewal date", row[1], a["renewal_date"])
    last = renewals[-1]
    expect_text("renewals total", last[0], f"all {len(due):,} renewals")
    expect_number("renewals revenue", last[3], sum(a["current_revenue"] for a in due))
    expect_number("renewals at risk", last[5], sum(a["at_risk"] for a in due))
    print(f"renewals in 90 days: {len(due)}")


def check_small_deals(small, accounts):
    low = [a for a in accounts if a["penetration"] < 0.10]
    want = sorted(low, key=lambda a: (-(a["potential_revenue"] - a["current_revenue"]),
                                      a["customer_id"]))[:15]
    if len(small) != len(want):
        fail(f"{len(small)} small deals printed, expected {len(want)}")
    for row, a in zip(small, want):
        check_row("small deal", a, {"account": row[0], "revenue": row[2], "phase": row[6]})
        expect_number("small deal penetration", row[4], a["penetration"], 100)
        expect_number("small deal headroom", row[5], a["potential_revenue"] - a["current_revenue"])
    print(f"small deals (penetration < 10 %): {len(low)}, first {small[0][0] if small else '-'}")


def main(argv):
    if len(argv) < 3:
        fail(__doc__)
    output = open(argv[2], encoding="utf-8").read()
    if argv[1] == "concentration" and argv[3] == "--rows":
        rows = [tuple(r) for r in json.load(open(argv[4], encoding="utf-8"))]
        opts = dict(zip(argv[5::2], argv[6::2]))
        as_of = opts.get("--as-of", max(r[1] for r in rows))
        check_concentration(output, rows, as_of, int(opts.get("--months", 12)), {})
    elif argv[1] == "concentration":
        check_concentration(output, *load_invoices_db(argv[3]))
    elif argv[1] == "accounts":
        check_accounts(output, argv[3], argv[4])
    else:
        fail(__doc__)
    print("OK")


if __name__ == "__main__":
    main(sys.argv)
