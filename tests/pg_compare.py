"""tests/pg_compare.py: the same answers in both hosts.

Generates one data set (fixed seed), loads it into SQLite (with ./portfolio.so) and into the
PostgreSQL server named by PGHOST/PGPORT (through psql, with CREATE EXTENSION portfolio),
and compares every measure, keyed and unkeyed, over integer and real amounts and text and
integer keys:
  1. integer amounts: the two hosts run the same core, so results must be equal to the bit;
  2. real (double / numeric) amounts: within 1e-12 relative;
  3. a third, independent answer from numpy over the per-customer totals, within 1e-9.
Run by tests/pg_compare.sh inside a throw-away cluster.
"""
import os
import random
import sqlite3
import subprocess
import sys

import numpy as np

LITE = None
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def generate(rows=30000, customers=2000, seed=12):
    rng = random.Random(seed)
    data = []
    for _ in range(rows):
        c = int(rng.paretovariate(1.2) * 3) % customers
        cents = rng.randint(-5000, 200000)
        data.append((c, "cust%05d" % c, cents // 100, cents / 100.0))
    return data


def psql(sql, stdin=None):
    out = subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-At", "-F", "|",
                          "-c", sql], input=stdin, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit("psql failed: " + out.stderr)
    return out.stdout.strip()


def queries():
    """(label, SQL over table inv, exact?) for every measure and form."""
    qs = []
    for amount, exact in (("amount_i", True), ("amount_r", False)):
        for key in ("ckey", "tkey"):
            qs.append((f"herfindahl({key},{amount})", f"herfindahl({key}, {amount})", exact))
            qs.append((f"gini({key},{amount})", f"gini({key}, {amount})", exact))
            for n in (1, 5, 10, 5000):
                qs.append((f"top_share({key},{amount},{n})", f"top_share({key}, {amount}, {n})",
                           exact))
        qs.append((f"herfindahl({amount})", f"herfindahl({amount})", exact))
        qs.append((f"gini({amount})", f"gini({amount})", exact))
        qs.append((f"top_share({amount},7)", f"top_share({amount}, 7)", exact))
    return qs


def numpy_answer(data, label):
    """Independent answer: per-customer totals with numpy, then the measure."""
    real = "amount_r" in label
    keyed = label.count(",") >= 1 and not label.startswith("top_share(amount")
    vals = np.array([r[3] if real else r[2] for r in data], dtype=np.float64)
    if keyed:
        keys = np.array([r[0] for r in data])
        totals = np.bincount(keys, weights=vals)
        present = np.bincount(keys) > 0
        x = totals[present]
    else:
        x = vals
    x = np.sort(x[x > 0])
    if label.startswith("herfindahl"):
        return 10000 * np.sum((x / x.sum()) ** 2)
    if label.startswith("gini"):
        n = len(x)
        i = np.arange(1, n + 1)
        return float(np.sum((2 * i - n - 1) * x) / (n * x.sum()))
    n = int(label.rstrip(")").split(",")[-1])
    return float(x[::-1][:n].sum() / x.sum())


def main():
    data = generate()
    global LITE
    lite = LITE = sqlite3.connect(":memory:")
    lite.enable_load_extension(True)
    lite.load_extension(os.path.join(ROOT, "portfolio"))
    lite.execute("CREATE TABLE inv (ckey INTEGER, tkey TEXT, amount_i INTEGER, amount_r REAL)")
    lite.executemany("INSERT INTO inv VALUES (?, ?, ?, ?)", data)
    psql("DROP TABLE IF EXISTS inv; CREATE EXTENSION IF NOT EXISTS portfolio; "
         "CREATE TABLE inv (ckey integer, tkey text, amount_i bigint, amount_r double precision,"
         " amount_n numeric)")
    csv = "".join(f"{c},{t},{i},{r!r},{r!r}\n" for c, t, i, r in data)
    psql("COPY inv FROM STDIN WITH (FORMAT csv)", stdin=csv)
    failures = 0
    for label, expr, exact in queries():
        want = lite.execute(f"SELECT {expr} FROM inv").fetchone()[0]
        forms = [expr] + ([expr.replace("amount_r", "amount_n")] if "amount_r" in expr else [])
        indep = numpy_answer(data, label)
        for form in forms:
            got = float(psql(f"SELECT {form} FROM inv"))
            ok = got == want if exact else abs(got - want) <= 1e-12 * abs(want)
            ok = ok and abs(got - indep) <= 1e-9 * abs(indep)
            print(f"{'ok  ' if ok else 'FAIL'} {form}: postgres {got!r} sqlite {want!r} "
                  f"numpy {indep!r}")
            failures += not ok
    failures += compare_concentration()
    failures += compare_phase()
    sys.exit(1 if failures else 0)


def compare_phase():
    """phase_of over a grid of signals (known and unknown), the same SQL in both hosts."""
    import itertools
    grid = itertools.product((0, 50, 70, 90), (None, 0.2, 0.5), (None, 0.5, 1), (None, 0, 3),
                             (None, 0, 1))
    rows = ", ".join("(%d, %s)" % (i, ", ".join("NULL" if x is None else repr(x) for x in g))
                     for i, g in enumerate(grid))
    sql = (f"WITH v(id, r, a, d, e, t) AS (VALUES {rows}) SELECT coalesce(phase_of('risk', r, "
           "'adoption', a, 'deployment', d, 'expansion', e, 'technical_issues', t, "
           "'thresholds', '{\"risk\": 60}'), 'none') FROM v ORDER BY id")
    lite = [r[0] for r in LITE.execute(sql).fetchall()]
    pg = psql(sql).splitlines()
    bad = lite != pg
    print(f"{'FAIL' if bad else 'ok  '} phase_of over {len(pg)} signal combinations "
          f"({len(set(pg))} phases)")
    return bad


def compare_concentration():
    """concentration(query): every row and column, same order, in both hosts."""
    failures = 0
    cols = "rank, customer, amount, share, cumulative_share, pareto_class, major, hhi_points, hhi_without"
    for amount, exact in (("amount_i", True), ("amount_r", False)):
        lite = LITE.execute(f"SELECT {cols} FROM concentration('SELECT tkey, {amount} FROM inv')").fetchall()
        pg = [line.split("|") for line in
              psql(f"SELECT {cols} FROM concentration('SELECT tkey, {amount} FROM inv')").splitlines()]
        bad = len(lite) != len(pg)
        for a, b in zip(lite, pg):
            if [str(a[0]), a[1], a[5], str(a[6])] != [b[0], b[1], b[5], b[6]]:
                bad = True
            for x, y in zip((a[2], a[3], a[4], a[7], a[8]), (b[2], b[3], b[4], b[7], b[8])):
                if x is None or y == "":
                    bad |= not (x is None and y == "")
                elif exact and isinstance(x, int):
                    bad |= int(y) != x
                else:
                    bad |= abs(float(y) - x) > 1e-12 * abs(x) + (0 if exact else 1e-300)
        print(f"{'FAIL' if bad else 'ok  '} concentration over {amount}: {len(pg)} rows")
        failures += bad
    return failures


if __name__ == "__main__":
    main()
