#!/usr/bin/env bash
# The concentration measures against exact rational arithmetic (Python's fractions.Fraction),
# on generated data sets (fixed seed) built to break inexact sums (issue 15, points 5 and 6):
#   - spans: amounts from 5e-324 to 1e300 in one portfolio, customers 1e170 and 1e600 times
#     smaller than the largest;
#   - cancellation inside a customer: x, -x pairs across 2^53 and more (1e32 beside 1e16 and
#     0.5), sums that pass 1.8e308 half-way and come back, INTEGER rows past 2^63 half-way;
#   - ties: customers with the same rows, so equal totals;
#   - ordinary amounts (two decimals) and integers, for the usual path.
# Each data set is loaded in several row orders (reversed, largest first, shuffled). For
# every order the keyed herfindahl, top_share and gini, the unkeyed top_share and gini, and
# every column of concentration must agree with the exact values from the exact customer
# totals (relative 1e-12; hhi_without for every customer), and all of them must be the same
# bits in every order, the unkeyed herfindahl(amount) included (its running sums are exact).
# Windows (issue 15.3): in two row orders, herfindahl(a) over growing and sliding frames and
# herfindahl(k, a) over sliding frames are, in every frame, the same bits as the aggregate
# over that frame's rows taken in the reverse order, and agree with the exact value.
# Needs PORTFOLIO_EXT (the built extension without suffix); uses Debian's /usr/bin/python3.
set -u
. "$(dirname "$0")/lib.sh"
need_ext
exec /usr/bin/python3 - "$PORTFOLIO_EXT" <<'PY'
import math, random, sqlite3, sys
from fractions import Fraction as F

sys.path.insert(0, "tests")
from checklib import connect

con = connect(sys.argv[1])
rng = random.Random(20261203)
failures = []
checked = 0


def fail(msg):
    failures.append(msg)


def close(got, want, what, tol=1e-12):
    global checked
    checked += 1
    if want is None or got is None:
        if want is not got:
            fail(f"{what}: got {got!r}, want {want!r}")
        return
    want = float(want)
    if not (abs(got - want) <= tol * abs(want) or abs(got - want) <= 1e-300):
        fail(f"{what}: got {got!r}, want {want!r}")


# ---- the exact measures, from the spec -----------------------------------------------------

def hhi(totals):
    s = sum(totals)
    return F(10000) * sum(t * t for t in totals) / (s * s) if totals else None


def top_share(totals, n):
    if not totals:
        return None
    if len(totals) <= n:
        return F(1)
    return sum(sorted(totals, reverse=True)[:n]) / sum(totals)


def gini(totals):
    if not totals:
        return None
    x = sorted(totals)
    n = len(x)
    return sum((2 * (i + 1) - n - 1) * v for i, v in enumerate(x)) / (n * sum(x))


# ---- data ---------------------------------------------------------------------------------

def ordinary():
    return round(rng.uniform(-50, 2000), 2)


def extreme():
    e = rng.choice([-320, -300, -200, -120, -30, 0, 30, 120, 200, 290, 300])
    return rng.choice([1.0, 3.7, 9.99, 5.0]) * 10.0 ** e if e > -310 else 5e-324 * rng.randint(1, 9)


def cancelling_rows(key):
    """Rows that net to a small positive total only when summed exactly."""
    big = [10.0 ** rng.choice([16, 20, 32, 60, 150, 300]) * rng.choice([1, 3.3]) for _ in range(2)]
    rest = rng.choice([0.5, 0.1, 1e-10, 7.0, 1e-300])
    rows = [(key, big[0]), (key, -big[0]), (key, big[1]), (key, -big[1]), (key, rest)]
    if rng.random() < 0.3:  # past the double range half-way, then back
        rows += [(key, 1e308), (key, 1e308), (key, -1e308), (key, -1e308)]
    if rng.random() < 0.3:  # INTEGER rows past 2^63 half-way, with a REAL among them
        rows += [(key, 2**63 - 1), (key, 2**63 - 1), (key, -(2**63 - 1)), (key, -(2**63 - 1))]
    return rows


def data_set(kind):
    rows = []
    customers = rng.randint(2, 40)
    for c in range(customers):
        key = rng.choice([c, f"c{c}", float(c) + 0.5])
        mode = kind if kind != "mixed" else rng.choice(["ordinary", "extreme", "cancel", "int"])
        if mode == "cancel" and rng.random() < 0.7:
            rows += cancelling_rows(key)
        elif mode == "extreme":
            rows += [(key, extreme()) for _ in range(rng.randint(1, 4))]
        elif mode == "int":
            rows += [(key, rng.randint(-10**6, 10**12)) for _ in range(rng.randint(1, 5))]
        else:
            rows += [(key, ordinary()) for _ in range(rng.randint(1, 6))]
    if rng.random() < 0.4:  # ties: copies of a customer's rows under new keys
        src = rows[rng.randrange(len(rows))][0]
        same = [a for k, a in rows if k == src]
        for j in range(rng.randint(1, 3)):
            rows += [(f"tie{j}", a) for a in same]
    return rows


def exact_totals(rows):
    totals = {}
    for k, a in rows:
        totals[k] = totals.get(k, F(0)) + F(a)
    return totals


def orders(rows):
    yield list(rows)
    yield list(reversed(rows))
    yield sorted(rows, key=lambda r: -abs(r[1]))
    for _ in range(2):
        shuffled = list(rows)
        rng.shuffle(shuffled)
        yield shuffled


QUERY = ("SELECT herfindahl(k, a), top_share(k, a, 1), top_share(k, a, 3), gini(k, a),"
         " herfindahl(a), top_share(a, 2), gini(a) FROM t")
CONC = ("SELECT rank, customer, amount, share, cumulative_share, pareto_class, major,"
        " hhi_points, hhi_without FROM concentration('SELECT k, a FROM t')")


def check(rows, name):
    totals = exact_totals(rows)
    positive = sorted(((t, k) for k, t in totals.items() if t > 0), key=lambda p: -p[0])
    ptotals = [t for t, _ in positive]
    amounts = [F(a) for _, a in rows if a > 0]
    want = [hhi(ptotals), top_share(ptotals, 1), top_share(ptotals, 3), gini(ptotals),
            hhi(amounts), top_share(amounts, 2), gini(amounts)]
    first = None
    for o, ordered in enumerate(orders(rows)):
        con.execute("DELETE FROM t")
        con.executemany("INSERT INTO t VALUES (?, ?)", ordered)
        try:
            got = list(con.execute(QUERY).fetchone())
            conc = con.execute(CONC).fetchall()
        except sqlite3.Error as e:
            fail(f"{name} order {o}: {e}")
            continue
        for i, (g, w) in enumerate(zip(got, want)):
            # gini near 0 (ties): absolute 1e-12
            close(g, w, f"{name} order {o}: column {i} of {QUERY}",
                  tol=1e-12 if i not in (3, 6) or w is None or w > 1e-3 else 1e-9)
        check_concentration(conc, positive, name, o)
        result = (got, conc)
        if first is None:
            first = result
        elif result != first:
            fail(f"{name}: order {o} gives {result!r}, order 0 {first!r}")
        if o in (0, 3):
            check_windows(ordered, name, o)


WINDOWS = [("herfindahl(a)", "ROWS UNBOUNDED PRECEDING", None),
           ("herfindahl(a)", "ROWS 4 PRECEDING", 4),
           ("herfindahl(k, a)", "ROWS 6 PRECEDING", 6)]


def check_windows(ordered, name, o):
    con.execute("DELETE FROM tw")
    con.executemany("INSERT INTO tw VALUES (?, ?, ?)",
                    [(i, k, a) for i, (k, a) in enumerate(ordered)])
    for call, frame, preceding in WINDOWS:
        try:
            got = con.execute(f"SELECT i, {call} OVER (ORDER BY i {frame}) FROM tw"
                              " ORDER BY i").fetchall()
            error = None
        except sqlite3.Error as e:  # a frame whose customer total is beyond the double range
            got, error = [(i, None) for i in range(len(ordered))], str(e)
        errors = set()
        for i, g in got:
            lo = 0 if preceding is None else max(0, i - preceding)
            try:
                one_pass = con.execute(f"SELECT {call} FROM (SELECT k, a FROM tw WHERE i BETWEEN"
                                       " ? AND ? ORDER BY i DESC)", (lo, i)).fetchone()[0]
            except sqlite3.Error as e:
                errors.add(str(e))
                continue
            if error:
                continue
            what = f"{name} order {o}: {call} OVER ({frame}) at row {i}"
            if g != one_pass:
                fail(f"{what}: {g!r}, the aggregate over the frame gives {one_pass!r}")
            rows = ordered[lo:i + 1]
            if call == "herfindahl(a)":
                want = hhi([F(a) for _, a in rows if a > 0])
            else:
                want = hhi([t for t in exact_totals(rows).values() if t > 0])
            close(g, want, what)
        if error and error not in errors:
            fail(f"{name} order {o}: {call} OVER ({frame}) fails with {error!r}, no frame does")


def check_concentration(conc, positive, name, o):
    global checked
    if len(conc) != len(positive):
        fail(f"{name} order {o}: concentration has {len(conc)} rows, want {len(positive)}")
        return
    total = sum(t for t, _ in positive)
    squares = sum(t * t for t, _ in positive)
    running = F(0)
    for i, (row, (t, k)) in enumerate(zip(conc, positive)):
        rank, customer, amount, share, cumulative, pareto, major, points, without = row
        what = f"{name} order {o}: concentration rank {rank}"
        checked += 1
        if rank != i + 1:
            fail(f"{what}: rank {rank}, want {i + 1}")
        close(amount, t, f"{what} amount")
        close(share, t / total, f"{what} share")
        before, running = running / total, running + t
        close(cumulative, running / total, f"{what} cumulative_share")
        close(points, (100 * t / total) ** 2, f"{what} hhi_points")
        rest = total - t
        close(without, F(10000) * (squares - t * t) / (rest * rest) if rest else None,
              f"{what} hhi_without")
        if abs(before - F(8, 10)) > F(1, 10**9) and abs(before - F(95, 100)) > F(1, 10**9):
            want_class = "A" if before < F(8, 10) else "B" if before < F(95, 100) else "C"
            if pareto != want_class:
                fail(f"{what}: pareto_class {pareto}, want {want_class}")
        if abs(t / total - F(1, 10)) > F(1, 10**9) and major != (t / total >= F(1, 10)):
            fail(f"{what}: major {major}")


con.execute("CREATE TABLE t(k, a)")
con.execute("CREATE TABLE tw(i INTEGER PRIMARY KEY, k, a)")
# the reproducers of the issue first, then the generated data sets
check([("A", 1e32), ("A", -1e32), ("A", 1e16), ("A", -1e16), ("A", 0.5), ("B", 0.5)],
      "issue 15.5")
check([("big", 1e200), ("small", 1e30), ("s2", 1e30)], "issue 15.6 (1e200)")
check([("big", 1e300), ("tiny", 1e-300)], "issue 15.6 (1e300)")
check([("1e-400", 1800), (-math.inf, 1e-300)], "issue 15.8")
for n in range(150):
    kind = ["ordinary", "int", "extreme", "cancel", "mixed"][n % 5]
    check(data_set(kind), f"data set {n} ({kind})")

for f in failures[:20]:
    print("FAIL:", f)
print(f"{checked} values checked against fractions.Fraction, {len(failures)} wrong")
sys.exit(1 if failures else 0)
PY
