#!/usr/bin/python3
"""The monthly revenue movements of the UCI Online Retail data, against pandas.

usage: /usr/bin/python3 tests/movements_online_retail.py ONLINE_RETAIL_CSV PORTFOLIO_EXT

The extension side: the CSV imported with Python's csv module into SQLite (Quantity INTEGER,
UnitPrice REAL, a blank CustomerID kept as '' as the shell's .import stores it), the month
substr(InvoiceDate, 1, 7), and revenue_movements, customer_movements and revenue_cohorts over
it twice: with amounts in exact integer thousandths of a pound (quantity * round(price * 1000))
and with the REAL amounts quantity * price.

The independent side: pandas reads the file on its own, prices parsed as exact thousandths,
nets each customer's month with an integer groupby, pivots customers x months, and classifies
every cell with vectorised comparisons against the month before (shift) and against "active
in any earlier month" (a cumulative max): new, reactivation, expansion, contraction, churn,
flat. Sums, counts, retention, every customer row and every cohort cell must equal the
integer run exactly (ratios to 1e-15); the bridge identity start + new + reactivation +
expansion - contraction - churn = end must hold exactly there and to rounding in the REAL run,
whose sums must agree with the exact ones to a thousandth of a penny.
Exit status 0 when every check passes, 1 otherwise.
"""
import math
import sys
from fractions import Fraction

import numpy as np
import pandas as pd

sys.path.insert(0, "tests")
from checklib import check, connect, load_csv, milli, summary  # noqa: E402

MOVES = ("new", "reactivation", "expansion", "contraction", "churn", "flat")


def movements_of(net, months):
    """The bridge, the customer rows and the cohort cells of a customers x months table of
    net totals (exact integers, or doubles)."""
    cur = net.reindex(columns=months, fill_value=0).clip(lower=0).sort_index()
    prev = cur.shift(1, axis=1, fill_value=0)
    active = cur > 0
    before = active.shift(1, axis=1, fill_value=False).astype(int).cummax(axis=1) > 0
    moved = (prev > 0) | (cur > 0)
    kind = pd.DataFrame(np.select(
        [(prev == 0) & ~before, prev == 0, cur > prev, cur == 0, cur < prev],
        ["new", "reactivation", "expansion", "churn", "contraction"], "flat"),
        index=cur.index, columns=months).where(moved)
    bridge = []
    for m in months:
        k, p, c = kind[m], prev[m], cur[m]
        amount = {"new": c, "reactivation": c, "expansion": c - p, "contraction": p - c,
                  "churn": p}
        row = {mv: amount[mv][k == mv].sum() for mv in amount}
        row.update(period=m, start=p.sum(), end=c.sum(),
                   start_customers=int((p > 0).sum()), end_customers=int((c > 0).sum()),
                   new_customers=int((k == "new").sum()),
                   reactivated_customers=int((k == "reactivation").sum()),
                   churned_customers=int((k == "churn").sum()))
        bridge.append(row)
    rows = [(m, cust, prev.at[cust, m], cur.at[cust, m], kind.at[cust, m])
            for m in months for cust in kind.index[kind[m].notna()]]
    first = active.idxmax(axis=1)[active.any(axis=1)]
    cohorts = []
    for i, k in enumerate(months):
        members = first.index[first == k]
        if len(members) == 0:
            continue
        size, base = len(members), cur.loc[members, k].sum()
        for m in months[i:]:
            alive = cur.loc[members, m]
            cohorts.append((k, m, months.index(m) - i, int((alive > 0).sum()), alive.sum(),
                            size, base))
    return bridge, rows, cohorts


def pandas_side(path):
    """Months, then the movements of the exact (thousandths) and of the REAL amounts. A
    REAL total is the correctly rounded sum (math.fsum) of the rows' double products, as
    SQLite's quantity * price gives them: a month whose invoices cancel can keep a residue
    of about 1e-13 there (3 x 0.85 - 0.85 - 1.7 is not 0 in doubles), and that customer is
    then active, as the spec says."""
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    df["month"] = df.InvoiceDate.str[:7]
    months = sorted(df.month.unique())
    df = df[df.CustomerID != ""].copy()
    df["amount"] = df.Quantity.astype("int64") * milli(df.UnitPrice)
    df["real"] = df.Quantity.astype("int64") * df.UnitPrice.astype("float64")
    groups = df.groupby(["CustomerID", "month"])
    exact = groups.amount.sum().unstack(fill_value=0)
    real = groups.real.agg(math.fsum).unstack(fill_value=0.0)
    bridge, rows, cohorts = movements_of(exact, months)
    bridge = [{k: int(v) if isinstance(v, (np.integer, int)) else v for k, v in r.items()}
              for r in bridge]
    rows = [(m, c, int(p), int(v), k) for m, c, p, v, k in rows]
    cohorts = [(k, m, a, n, int(r), s, int(b)) for k, m, a, n, r, s, b in cohorts]
    real_bridge, real_rows, _ = movements_of(real, months)
    return months, bridge, rows, cohorts, real_bridge, real_rows


def sqlite_side(path, ext):
    return load_csv(connect(ext), path, "retail", [
        ("InvoiceDate", "month TEXT", lambda v: v[:7]), ("CustomerID", "customer TEXT", str),
        ("Quantity", "quantity INTEGER", int), ("UnitPrice", "price REAL", float)])


EXACT = "'SELECT month, customer, quantity * CAST(round(price * 1000) AS INTEGER) FROM retail'"
REAL = "'SELECT month, customer, quantity * price FROM retail'"
SUMS = ("start_revenue", "new", "reactivation", "expansion", "contraction", "churn", "end_revenue")
KEYS = ("start", "new", "reactivation", "expansion", "contraction", "churn", "end")
COUNTS = ("start_customers", "new_customers", "reactivated_customers", "churned_customers",
          "end_customers")


def near(a, b, rel=1e-15):
    return a is not None and abs(a - b) <= rel * abs(b)


def compare_bridge(db, months, bridge, real_bridge):
    got = db.execute(f"SELECT period, {', '.join(SUMS + COUNTS)}, gross_retention,"
                     f" net_retention, quick_ratio FROM revenue_movements({EXACT})").fetchall()
    check("bridge: one row per month", [g[0] for g in got] == months, repr([g[0] for g in got]))
    for g, w in zip(got, bridge):
        want = tuple(w[k] for k in KEYS) + tuple(w[k] for k in COUNTS)
        check(f"bridge {w['period']}: sums and counts", tuple(g[1:13]) == want,
              f"got {g[1:13]}, want {want}")
        s, lost = w["start"], w["contraction"] + w["churn"]
        check(f"bridge {w['period']}: identity exact",
              g[1] + g[2] + g[3] + g[4] - g[5] - g[6] == g[7])
        if s:
            check(f"bridge {w['period']}: gross retention",
                  near(g[13], float(Fraction(s - lost, s))), f"{g[13]}")
            check(f"bridge {w['period']}: net retention",
                  near(g[14], float(Fraction(s + w["expansion"] - lost, s))), f"{g[14]}")
        else:
            check(f"bridge {w['period']}: no retention without a start", g[13] is None and g[14] is None)
        gained = w["new"] + w["reactivation"] + w["expansion"]
        check(f"bridge {w['period']}: quick ratio",
              (g[15] is None) if lost == 0 else near(g[15], float(Fraction(gained, lost))))
    real = db.execute(f"SELECT period, {', '.join(SUMS + COUNTS)} FROM revenue_movements({REAL})"
                      ).fetchall()
    check("REAL bridge: one row per month", [r[0] for r in real] == months)
    for r, w in zip(real, real_bridge):
        v = r[1:8]
        check(f"REAL bridge {w['period']}: identity to rounding",
              abs(v[0] + v[1] + v[2] + v[3] - v[4] - v[5] - v[6]) <= 1e-9 * max(v[0], v[6], 1))
        check(f"REAL bridge {w['period']}: sums agree with pandas' (fsum) to 1e-9",
              all(abs(x - w[k]) <= 1e-9 * max(abs(w[k]), 1) for x, k in zip(v, KEYS)),
              f"got {v}, want {[w[k] for k in KEYS]}")
        check(f"REAL bridge {w['period']}: counts agree with pandas'",
              tuple(r[8:13]) == tuple(w[k] for k in COUNTS),
              f"got {r[8:13]}, want {[w[k] for k in COUNTS]}")
    print("month    start        new     react    expand    shrink     churn       end   GRR    NRR")
    for g in got:
        print(f"{g[0]} {g[1] / 1000:>10.0f} {g[2] / 1000:>9.0f} {g[3] / 1000:>9.0f} "
              f"{g[4] / 1000:>9.0f} {g[5] / 1000:>9.0f} {g[6] / 1000:>9.0f} {g[7] / 1000:>9.0f}"
              f" {g[13] or 0:5.3f} {g[14] or 0:6.3f}")


def main():
    path, ext = sys.argv[1], sys.argv[2]
    months, bridge, rows, cohorts, real_bridge, real_rows = pandas_side(path)
    db = sqlite_side(path, ext)
    compare_bridge(db, months, bridge, real_bridge)
    got = db.execute(f"SELECT movement FROM customer_movements({REAL})").fetchall()
    check("REAL customer rows: the movements pandas finds", [g[0] for g in got]
          == [w[4] for w in real_rows], f"{len(got)} rows, pandas {len(real_rows)}")
    tiny = sum(1 for w in real_rows if 0 < w[2] < 1e-6 or 0 < w[3] < 1e-6)
    print(f"REAL amounts: {len(real_rows)} customer rows ({len(rows)} exact), {tiny} with a"
          " cancellation residue below 1e-6 as a revenue")
    got = db.execute("SELECT period, customer, previous_revenue, revenue, movement"
                     f" FROM customer_movements({EXACT})").fetchall()
    check("customer rows: as many as pandas", len(got) == len(rows), f"{len(got)} != {len(rows)}")
    bad = [(g, w) for g, w in zip(got, rows) if tuple(g) != w]
    check("customer rows: every one equal, in order", not bad, repr(bad[:3]))
    got = db.execute(f"SELECT * FROM revenue_cohorts({EXACT})").fetchall()
    check("cohort rows: as many as pandas", len(got) == len(cohorts))
    bad = [(g, w) for g, w in zip(got, cohorts)
           if tuple(g[:5]) != w[:5] or not near(g[5], w[3] / w[5]) or not near(g[6], w[4] / w[6])]
    check("cohort rows: every one equal", not bad, repr(bad[:3]))
    return summary(f"{len(months)} months, {len(rows)} customer rows, {len(cohorts)} cohort"
                   " cells: ")


if __name__ == "__main__":
    sys.exit(main())
