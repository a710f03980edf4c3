#!/usr/bin/python3
"""revenue_movements, customer_movements and revenue_cohorts against a second implementation.

usage: /usr/bin/python3 tests/movements_reference.py PORTFOLIO_EXT

The second implementation (`reference` below) is written from the spec in plain Python with
exact fractions: a customer's revenue in a period is the exact sum of its rows (a REAL total
then rounded once to a double, as SQLite holds it), clipped at 0; the movements, sums, counts,
ratios and cohorts follow the spec's table. It shares no code with the extension.

Generated data sets (seeded): customers absent for some periods and back, credit notes that
net a customer's period to exactly zero or below, 400 sparse numeric periods, integer amounts
near 2^56 (sums beyond 2^53, where a double sum would lose cents), REAL and numeric TEXT
amounts, NULL and '' periods, customers and amounts, INTEGER and TEXT customers with 1.0
grouping with 1, periods of every type (numbers, text, blobs). Integer data must match
exactly (every sum and count; ratios to 1e-15), REAL data to 1e-12. Every data set is also run
with its rows in a random order: the results must not change. The two worked examples of
issue 11 are checked by hand. Exit status 0 when every check passes.
"""
import random
import sys
from fractions import Fraction

sys.path.insert(0, "tests")
from checklib import check, connect, summary  # noqa: E402

# ---- the second implementation ---------------------------------------------------------------

def blank(v):
    return v is None or v == ""


def sql_order(v):
    """SQLite's ORDER BY of values: numbers, then TEXT by its UTF-8 bytes, then BLOBs."""
    if isinstance(v, (int, float)):
        return (0, v, b"")
    if isinstance(v, str):
        return (1, 0, v.encode())
    return (2, 0, bytes(v))


def amount_value(a):
    """(exact value, is REAL) of an amount as SQLite's numeric affinity reads it."""
    if isinstance(a, str):
        a = float(a) if any(ch in a for ch in ".eE") else int(a)
    return Fraction(a), isinstance(a, float)


def key_of(v):
    """Keys as GROUP BY groups them: 1.0 is 1 (Python's dict does that), bytes hashable."""
    return bytes(v) if isinstance(v, (bytes, bytearray, memoryview)) else v


def reference(rows):
    periods, totals, real = {}, {}, set()
    for p, c, a in rows:
        if blank(p):
            continue
        periods.setdefault(key_of(p), p)
        if blank(c) or blank(a):
            continue
        value, is_real = amount_value(a)
        k = (key_of(p), key_of(c))
        totals[k] = totals.get(k, 0) + value
        if is_real:
            real.add(k)
    revenue = {}
    for k, t in totals.items():
        if k in real:
            t = Fraction(float(t))  # a REAL total is a double
        revenue.setdefault(k[0], {})[k[1]] = t if t > 0 else Fraction(0)
    order = sorted(periods, key=sql_order)
    bridge, moves, cohorts = [], [], []
    first, prev = {}, {}
    cohort_first = {}
    for r, p in enumerate(order):
        cur = {c: v for c, v in revenue.get(p, {}).items() if v > 0}
        row = dict(period=p, previous=order[r - 1] if r else None, start=sum(prev.values(), Fraction(0)),
                   new=Fraction(0), reactivation=Fraction(0), expansion=Fraction(0),
                   contraction=Fraction(0), churn=Fraction(0), end=sum(cur.values(), Fraction(0)),
                   start_customers=len(prev), new_customers=0, reactivated_customers=0,
                   churned_customers=0, end_customers=len(cur))
        for c in sorted(set(prev) | set(cur), key=sql_order):
            a, b = prev.get(c, Fraction(0)), cur.get(c, Fraction(0))
            if a == 0:
                m = "reactivation" if c in first else "new"
                row[m] += b
                row["new_customers" if m == "new" else "reactivated_customers"] += 1
            elif b == 0:
                m = "churn"
                row["churn"] += a
                row["churned_customers"] += 1
            elif b > a:
                m = "expansion"
                row["expansion"] += b - a
            elif b < a:
                m = "contraction"
                row["contraction"] += a - b
            else:
                m = "flat"
            moves.append((p, c, a, b, b - a, m))
        kept_gross = row["start"] - row["contraction"] - row["churn"]
        kept_net = kept_gross + row["expansion"]
        lost = row["contraction"] + row["churn"]
        row["gross"] = kept_gross / row["start"] if row["start"] else None
        row["net"] = kept_net / row["start"] if row["start"] else None
        row["quick"] = (row["new"] + row["reactivation"] + row["expansion"]) / lost if lost else None
        bridge.append(row)
        for c in cur:
            first.setdefault(c, r)
        prev = cur
        cohort_first[r] = {c: v for c, v in cur.items() if first[c] == r}
        for k in range(r + 1):
            if not cohort_first[k]:
                continue
            members = [c for c in cur if first[c] == k]
            size, start = len(cohort_first[k]), sum(cohort_first[k].values())
            revenue_k = sum((cur[c] for c in members), Fraction(0))
            cohorts.append((order[k], p, r - k, len(members), revenue_k,
                            Fraction(len(members), size), revenue_k / start))
    cohorts.sort(key=lambda t: (sql_order(t[0]), sql_order(t[1])))
    return bridge, moves, cohorts


# ---- the comparison --------------------------------------------------------------------------

BRIDGE_COLUMNS = ("period, previous_period, start_revenue, new, reactivation, expansion, "
                  "contraction, churn, end_revenue, start_customers, new_customers, "
                  "reactivated_customers, churned_customers, end_customers, gross_retention, "
                  "net_retention, quick_ratio")
BRIDGE_KEYS = ("period", "previous", "start", "new", "reactivation", "expansion", "contraction",
               "churn", "end", "start_customers", "new_customers", "reactivated_customers",
               "churned_customers", "end_customers", "gross", "net", "quick")


def same(got, want, exact, rel=1e-12):
    """got (from SQLite) against want (a Fraction, a key or None)."""
    if want is None or got is None:
        return got is None and want is None
    if isinstance(want, Fraction):
        if exact:
            return isinstance(got, int) and got == want
        return abs(Fraction(got) - want) <= rel * max(abs(want), 1)
    return key_of(got) == want


def ratio_same(got, want):
    if want is None or got is None:
        return got is None and want is None
    return isinstance(got, float) and abs(got - float(want)) <= 1e-15 * abs(float(want))


def compare(db, name, rows, exact):
    """Loads rows into table t and compares the three functions with the reference, once in
    insertion order and once with the rows in a random order."""
    db.execute("DROP TABLE IF EXISTS t")
    db.execute("CREATE TABLE t(p, c, a)")
    db.executemany("INSERT INTO t VALUES (?, ?, ?)", rows)
    bridge, moves, cohorts = reference(rows)
    results = []
    for order in ("rowid", "random()"):
        q = f"SELECT p, c, a FROM t ORDER BY {order}"
        label = f"{name} ({'shuffled' if order != 'rowid' else 'in order'})"
        got = db.execute(f"SELECT {BRIDGE_COLUMNS} FROM revenue_movements(?)", (q,)).fetchall()
        check(f"{label}: bridge periods", len(got) == len(bridge), f"{len(got)} != {len(bridge)}")
        for g, w in zip(got, bridge):
            for col, key, value in zip(BRIDGE_COLUMNS.split(", "), BRIDGE_KEYS, g):
                ok = (ratio_same(value, w[key]) if exact and key in ("gross", "net", "quick")
                      else same(value, w[key], exact and key not in ("gross", "net", "quick")))
                check(f"{label}: {w['period']!r} {col}", ok, f"got {value!r}, want {w[key]!r}")
        got_moves = db.execute("SELECT period, customer, previous_revenue, revenue, change, movement"
                               " FROM customer_movements(?)", (q,)).fetchall()
        check(f"{label}: customer rows", len(got_moves) == len(moves),
              f"{len(got_moves)} != {len(moves)}")
        for g, w in zip(got_moves, moves):
            ok = (same(g[0], key_of(w[0]), exact) and same(g[1], key_of(w[1]), exact)
                  and all(same(x, y, exact) for x, y in zip(g[2:5], w[2:5])) and g[5] == w[5])
            check(f"{label}: movement {w[0]!r} {w[1]!r}", ok, f"got {g!r}, want {w!r}")
        got_cohorts = db.execute("SELECT * FROM revenue_cohorts(?)", (q,)).fetchall()
        check(f"{label}: cohort rows", len(got_cohorts) == len(cohorts),
              f"{len(got_cohorts)} != {len(cohorts)}")
        for g, w in zip(got_cohorts, cohorts):
            ok = (same(g[0], key_of(w[0]), exact) and same(g[1], key_of(w[1]), exact)
                  and g[2] == w[2] and g[3] == w[3] and same(g[4], w[4], exact)
                  and ratio_same(g[5], w[5]) and abs(g[6] - float(w[6])) <= 1e-12 * float(w[6]))
            check(f"{label}: cohort {w[0]!r} {w[1]!r}", ok, f"got {g!r}, want {w!r}")
        results.append((got, got_moves, got_cohorts))
    if exact:
        check(f"{name}: row order changes nothing", results[0] == results[1])
        bad = db.execute("SELECT count(*) FROM revenue_movements('SELECT p, c, a FROM t') WHERE "
                         "start_revenue + new + reactivation + expansion - contraction - churn"
                         " <> end_revenue").fetchone()[0]
        check(f"{name}: bridge identity holds exactly in SQL", bad == 0, f"{bad} periods")
    print(f"{name}: {len(rows)} rows, {len(bridge)} periods, {len(moves)} customer rows,"
          f" {len(cohorts)} cohort rows")


# ---- generated data ----------------------------------------------------------------------------

def history(rng, periods, customers, amount, noise=True):
    """Rows of customers who start, grow, shrink, leave and come back, with credit notes."""
    rows = []
    for c in customers:
        active = rng.random() < 0.5
        level = amount(rng)
        for p in periods:
            if rng.random() < (0.2 if active else 0.25):
                active = not active
            if not active:
                if rng.random() < 0.1:  # a credit note alone: the period nets below zero
                    rows.append((p, c, -amount(rng)))
                continue
            kind = rng.random()
            if kind < 0.1:  # a credit note cancelling the period exactly: net zero
                x = amount(rng)
                rows += [(p, c, x), (p, c, -x)]
            elif kind < 0.2:  # flat: the same rows as last time
                rows.append((p, c, level))
            else:
                level = amount(rng)
                for _ in range(rng.randint(1, 3)):
                    rows.append((p, c, level if rng.random() < 0.5 else amount(rng)))
                if rng.random() < 0.15:
                    rows.append((p, c, -amount(rng)))  # a partial credit note
    if noise:
        some = rng.sample(periods, min(3, len(periods)))
        rows += [(None, customers[0], 5), ("", customers[0], 5), (some[0], None, 7),
                 (some[1], "", 7), (some[2], customers[0], None), (some[0], customers[0], ""),
                 ("9999-only-null-rows", None, 3)]  # a period with no customer at all
    rng.shuffle(rows)
    return rows


def months(n, start=2019):
    return [f"{start + i // 12}-{i % 12 + 1:02d}" for i in range(n)]


def datasets(rng):
    small = lambda r: r.randint(1, 500)
    cents = lambda r: round(r.uniform(0.5, 900.0), 2)
    yield "integers, 30 months, 150 customers", history(
        rng, months(30), list(range(1, 101)) + [f"c{i:03d}" for i in range(50)], small), True
    yield "REAL amounts (2 decimals), 24 months", history(rng, months(24), list(range(80)), cents), False
    rows = history(rng, months(18), list(range(40)), small)
    rows = [(p, c, str(a) if i % 3 == 0 and not blank(a) else a) for i, (p, c, a) in enumerate(rows)]
    rows = [(p, float(c) if isinstance(c, int) and i % 4 == 0 else c, a)
            for i, (p, c, a) in enumerate(rows)]  # 3.0 groups with 3
    yield "numeric TEXT amounts, REAL-typed customer keys", rows, True
    sparse = sorted(rng.sample(range(-50, 5000), 400))
    yield "400 sparse numeric periods", history(rng, sparse, list(range(30)), small), True
    big = lambda r: r.randint(2**55, 2**56)
    yield "integers near 2^56", history(rng, months(12), list(range(60)), big), True
    mixed = [3, 7.5, 10, "2024-01", "2024-02", "a", b"\x01", b"\x02\x00"]
    yield "periods of every type", history(rng, mixed, list(range(25)), small, noise=False), True


def worked_examples(db):
    # issue 11, by hand. Example 1: start 100 over A 50, B 30, C 10, D 10; A grows by 10,
    # B shrinks by 10, C leaves (churn 10), D stays flat.
    # gross = (100 - 10 - 10) / 100 = 0.80, net = (100 + 10 - 10 - 10) / 100 = 0.90.
    db.execute("DROP TABLE IF EXISTS ex")
    db.execute("CREATE TABLE ex(p, c, a)")
    db.executemany("INSERT INTO ex VALUES (?, ?, ?)",
                   [("q1", "A", 50), ("q1", "B", 30), ("q1", "C", 10), ("q1", "D", 10),
                    ("q2", "A", 60), ("q2", "B", 20), ("q2", "D", 10)])
    r = db.execute("SELECT start_revenue, expansion, contraction, churn, end_revenue,"
                   " gross_retention, net_retention FROM revenue_movements('SELECT * FROM ex')"
                   " WHERE period = 'q2'").fetchone()
    check("example 1 bridge", r == (100, 10, 10, 10, 90, 0.8, 0.9), repr(r))
    # Example 2: start 10.0M, contraction 0.6M, churn 0.9M, expansion 1.8M:
    # gross = 8.5 / 10 = 0.85, net = 10.3 / 10 = 1.03. W 2.5M grows by 1.8M, X 3.0M shrinks
    # by 0.6M, Y 0.9M leaves, Z 3.6M stays flat.
    db.execute("DELETE FROM ex")
    db.executemany("INSERT INTO ex VALUES (?, ?, ?)",
                   [(1, "W", 2500000), (1, "X", 3000000), (1, "Y", 900000), (1, "Z", 3600000),
                    (2, "W", 4300000), (2, "X", 2400000), (2, "Z", 3600000)])
    r = db.execute("SELECT start_revenue, expansion, contraction, churn, gross_retention,"
                   " net_retention FROM revenue_movements('SELECT * FROM ex') WHERE period = 2"
                   ).fetchone()
    check("example 2 bridge", r == (10000000, 1800000, 600000, 900000, 0.85, 1.03), repr(r))


def main():
    db = connect(sys.argv[1])
    worked_examples(db)
    rng = random.Random(20261203)
    for name, rows, exact in datasets(rng):
        compare(db, name, rows, exact)
    return summary()


if __name__ == "__main__":
    sys.exit(main())
