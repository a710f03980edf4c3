"""tests/pg_real_exact.py: herfindahl over double precision amounts is the exact HHI's sums
rounded once, in PostgreSQL as in SQLite, whatever the row order or the parallel split.

The unkeyed herfindahl(amount) keeps the core's exact sums (pf_sqsums: the sum and the sum
of squares without rounding), combined exactly between parallel workers, so its answer is
10000 * (Q / S) / S with S and Q the exact sums, each rounded once to a double. The data
mixes sizes from 1e-9 to 1e17, where a compensated sum can lose its last bits and depends on
the order: 1e17 + 3 + 0.1 ... The expected value is worked here with Fraction (float() of a
Fraction rounds once, to nearest). The same rows must give those bits in PostgreSQL in
several orders (an ordered aggregate feeds them in that order), in a forced parallel plan,
and in the SQLite extension. The keyed form gets customers whose rows cancel (1e17 - 1e17 +
0.1): the core's table nets them exactly. A second, tiny set puts the exact sum just past a
tie: 2^53 + 1 + 2^-60 rounds to 2^53 + 2, but a compensated sum keeps 1 + 2^-60 as 1 and
then rounds the tie 2^53 + 1 to even, 2^53 (HHI 10000 instead of 9999.999999999996).
Run in a throw-away cluster (tests/pg_compare.sh).
"""
import os
import random
import re
import sqlite3
import sys
from fractions import Fraction

from checklib import psql

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))



def generate(rows=200000, customers=300, seed=11):
    rng = random.Random(seed)
    data = []
    for _ in range(rows):
        exponent = rng.choice((-9, -3, -1, 0, 2, 5, 9, 13, 17))
        a = rng.random() * 10.0 ** exponent
        if rng.random() < 0.05:
            a = -a  # no share, and in the keyed form it cancels against the others
        data.append((rng.randrange(customers), a))
    # customers whose rows cancel to a small exact total, in mixed sizes
    for c, parts in ((customers + 1, [1e17, 0.1, -1e17]),
                     (customers + 2, [3.0, 1e16, -1e16, 0.25]),
                     (customers + 3, [1e-9, 1e9, -1e9])):
        data += [(c, p) for p in parts]
    return data


def hhi(values):
    """10000 * (Q / S) / S of the positive values, S and Q exact, each rounded once, in
    doubles as pf_hhi_of_sums computes it."""
    x = [Fraction(v) for v in values if v > 0]
    s, q = float(sum(x)), float(sum(v * v for v in x))
    return min(10000.0, 10000.0 * (q / s) / s)


def expected(data):
    totals = {}
    for c, a in data:
        totals[c] = totals.get(c, 0) + Fraction(a)
    keyed = hhi(float(t) for t in totals.values())  # each total rounded once, as the table
    return hhi(a for _, a in data), keyed


PARALLEL = ("SET force_parallel_mode = on; SET parallel_setup_cost = 0; "
            "SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0; "
            "SET max_parallel_workers_per_gather = 2; ")
SERIAL = "SET max_parallel_workers_per_gather = 0; "


def sqlite_answers(data):
    lite = sqlite3.connect(":memory:")
    lite.enable_load_extension(True)
    lite.load_extension(os.path.join(ROOT, "portfolio"))
    lite.execute("CREATE TABLE r (k INTEGER, a REAL)")
    lite.executemany("INSERT INTO r VALUES (?, ?)", data)
    return lite.execute("SELECT herfindahl(a), herfindahl(k, a) FROM r").fetchone()


def check_tie():
    tie = [(1, 2.0 ** 53), (2, 1.0), (3, 2.0 ** -60)]
    want, _ = expected(tie)
    psql("DROP TABLE IF EXISTS tie; CREATE TABLE tie (k integer, a double precision)")
    psql("COPY tie FROM STDIN WITH (FORMAT csv)", stdin="".join(f"{c},{a!r}\n" for c, a in tie))
    got = [float(v) for v in psql("SELECT herfindahl(a), herfindahl(a ORDER BY a), "
                                  "herfindahl(k, a) FROM tie").split("|")]
    lite = sqlite_answers(tie)
    ok = want == 10000 * (2.0 ** 106 / (2.0 ** 53 + 2)) / (2.0 ** 53 + 2) and \
        all(g == want for g in got) and all(g == want for g in lite)
    print(f"{'ok  ' if ok else 'FAIL'} a sum just past a tie: PostgreSQL {got!r}, SQLite "
          f"{list(lite)!r}, Fraction {want!r}")
    return not ok


def main():
    data = generate()
    want_unkeyed, want_keyed = expected(data)
    shuffled = list(range(len(data)))
    random.Random(3).shuffle(shuffled)
    psql("CREATE EXTENSION IF NOT EXISTS portfolio; DROP TABLE IF EXISTS rx; "
         "CREATE TABLE rx (o integer, p integer, k integer, a double precision)")
    # repr() gives the shortest text that reads back as the same double
    psql("COPY rx FROM STDIN WITH (FORMAT csv)",
         stdin="".join(f"{i},{shuffled[i]},{c},{a!r}\n" for i, (c, a) in enumerate(data)))
    psql("ANALYZE rx")
    failures = 0
    plan = psql(PARALLEL + "SET parallel_leader_participation = off; EXPLAIN (ANALYZE, "
                "VERBOSE, COSTS OFF, TIMING OFF) SELECT herfindahl(a), herfindahl(k, a) FROM rx")
    # both workers scanned rows (a part with one row or none would not test the combine)
    split = re.findall(r"Worker \d+:  actual rows=(\d+)", plan.split("Parallel Seq Scan")[-1])
    ok = "Partial Aggregate" in plan and len(split) == 2 and min(int(r) for r in split) > 1000
    print(f"{'ok  ' if ok else 'FAIL'} the parallel plan has a Partial Aggregate, workers' rows {split}")
    failures += not ok
    runs = {
        "serial, table order": SERIAL + "SELECT herfindahl(a), herfindahl(k, a) FROM rx",
        "ordered by o": SERIAL + "SELECT herfindahl(a ORDER BY o), herfindahl(k, a ORDER BY o) FROM rx",
        "ordered by -o": SERIAL + "SELECT herfindahl(a ORDER BY o DESC), "
                                  "herfindahl(k, a ORDER BY o DESC) FROM rx",
        "shuffled": SERIAL + "SELECT herfindahl(a ORDER BY p), herfindahl(k, a ORDER BY p) FROM rx",
        "by size": SERIAL + "SELECT herfindahl(a ORDER BY a), herfindahl(k, a ORDER BY a DESC) FROM rx",
        "parallel": PARALLEL + "SELECT herfindahl(a), herfindahl(k, a) FROM rx",
        "parallel, the leader out": PARALLEL + "SET parallel_leader_participation = off; "
                                    "SELECT herfindahl(a), herfindahl(k, a) FROM rx",
    }
    for label, sql in runs.items():
        u, k = (float(v) for v in psql(sql).split("|"))
        ok = u == want_unkeyed and k == want_keyed
        print(f"{'ok  ' if ok else 'FAIL'} {label}: unkeyed {u!r} keyed {k!r}")
        failures += not ok
    u, k = sqlite_answers(data)
    ok = u == want_unkeyed and k == want_keyed
    print(f"{'ok  ' if ok else 'FAIL'} SQLite: unkeyed {u!r} keyed {k!r} "
          f"(Fraction: {want_unkeyed!r}, {want_keyed!r})")
    failures += not ok
    failures += check_tie()
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
