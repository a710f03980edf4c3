"""tests/pg_numeric_exact.py: numeric amounts without a declared scale are summed exactly.

Each numeric value carries its own scale; the aggregates count in units of 10^-s, s the
largest scale seen so far, recounting the state when a finer amount arrives (postgres/
pg_state.h rule 4). Generated values mix scales 0, 2 and 4 with rare amounts of scale 7,
and amounts of scale 9 only at the end of the table; some customers' rows cancel to exactly 0, which
compensated doubles would leave as a tiny positive total (a customer with a share). The
expected answers are computed here with Python's Fraction from the decimal texts; every
measure, keyed and unkeyed, must agree to 1e-15 relative, and a parallel plan must give the
serial answer to the bit. A second set has values of 19 to 21 decimals, which count as
rounded to 18 (half away from zero): Fraction over the rounded values, and the serial,
reversed and parallel plans the same bits. Run inside a throw-away cluster
(tests/pg_compare.sh).
"""
import random
import sys
from fractions import Fraction

from checklib import psql



def generate(rows=20000, customers=400, seed=7):
    rng = random.Random(seed)
    data = []
    for r in range(rows):
        c = int(rng.paretovariate(1.1) * 2) % customers
        u = rng.random()
        scale = 0 if u < 0.2 else 2 if u < 0.9 else 4 if u < 0.995 else 7
        units = rng.randint(-2 * 10 ** (scale + 2), 9 * 10 ** (scale + 3))
        data.append((c, fmt(units, scale)))
    rng.shuffle(data)
    # then rows of a finer scale than any before, last in the table (a parallel scan gives
    # them to one part, so the parts are combined from different units), and customers
    # whose rows cancel to exactly 0 in mixed scales: no share
    for c, parts in ((customers + 1, ["0.1", "0.2", "-0.3"]),
                     (customers + 2, ["1.000000001", "-0.5", "-0.500000001"]),
                     (customers + 3, ["3", "-2.99", "-0.0100"])):
        data += [(c, p) for p in parts]
    data += [(rng.randrange(customers), fmt(rng.randint(1, 10 ** 12), 9)) for _ in range(50)]
    return data


def fmt(units, scale):
    sign = "-" if units < 0 else ""
    digits = str(abs(units)).rjust(scale + 1, "0")
    return sign + (digits[:-scale] + "." + digits[-scale:] if scale else digits)


def expected(data):
    totals = {}
    for c, a in data:
        totals[c] = totals.get(c, 0) + Fraction(a)
    keyed = sorted(t for t in totals.values() if t > 0)
    rows = sorted(Fraction(a) for _, a in data if Fraction(a) > 0)
    out = {}
    for label, x in (("keyed", keyed), ("unkeyed", rows)):
        s, n = sum(x), len(x)
        out[f"herfindahl {label}"] = float(10000 * sum(v * v for v in x) / (s * s))
        out[f"gini {label}"] = float(sum((2 * i - n - 1) * v for i, v in enumerate(x, 1)) / (n * s))
        for k in (1, 7, 50):
            out[f"top_share {label} {k}"] = float(sum(x[::-1][:k]) / s)
    return out


QUERIES = {
    "herfindahl keyed": "herfindahl(k, a)", "gini keyed": "gini(k, a)",
    "herfindahl unkeyed": "herfindahl(a)", "gini unkeyed": "gini(a)",
}
for _k in (1, 7, 50):
    QUERIES[f"top_share keyed {_k}"] = f"top_share(k, a, {_k})"
    QUERIES[f"top_share unkeyed {_k}"] = f"top_share(a, {_k})"

PARALLEL = ("SET force_parallel_mode = on; SET parallel_setup_cost = 0; "
            "SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0; "
            "SET max_parallel_workers_per_gather = 2; ")
SERIAL = "SET max_parallel_workers_per_gather = 0; "


def main():
    data = generate()
    want = expected(data)
    psql("CREATE EXTENSION IF NOT EXISTS portfolio; DROP TABLE IF EXISTS nx; "
         "CREATE TABLE nx (k integer, a numeric)")
    psql("COPY nx FROM STDIN WITH (FORMAT csv)", stdin="".join(f"{c},{a}\n" for c, a in data))
    psql("ANALYZE nx")
    plan = psql(PARALLEL + "EXPLAIN (COSTS OFF) SELECT herfindahl(k, a) FROM nx")
    failures = 0 if "Partial Aggregate" in plan else 1
    print(f"{'ok  ' if not failures else 'FAIL'} the parallel plan has a Partial Aggregate")
    cols = ", ".join(f"({q})::float8" for q in QUERIES.values())
    serial = [float(v) for v in psql(SERIAL + f"SELECT {cols} FROM nx").split("|")]
    parallel = [float(v) for v in psql(PARALLEL + f"SELECT {cols} FROM nx").split("|")]
    doubles = [float(v) for v in psql(SERIAL + f"SELECT {cols.replace(', a', ', a::float8').replace('(a', '(a::float8')} FROM nx").split("|")]
    for (label, q), s, p, d in zip(QUERIES.items(), serial, parallel, doubles):
        w = want[label]
        ok = abs(s - w) <= 1e-15 * abs(w) and s == p
        print(f"{'ok  ' if ok else 'FAIL'} {q}: serial {s!r} parallel {p!r} Fraction {w!r}"
              f"{'' if d == s else f' (as doubles: {d!r})'}")
        failures += not ok
    failures += check_concentration(data)
    failures += check_fine_decimals()
    sys.exit(1 if failures else 0)


def round18(text):
    """The decimal text rounded to 18 decimals, half away from zero (round(a, 18))."""
    x = Fraction(text) * 10 ** 18
    units = (abs(x.numerator) * 2 + x.denominator) // (2 * x.denominator)
    return Fraction(units if x >= 0 else -units, 10 ** 18)


def check_fine_decimals(rows=60000, customers=50, seed=5):
    """Amounts with 19 to 21 decimals count as rounded to 18 (postgres/pg_aggregates.c
    read_amount), so the answers are the Fraction answers over the rounded values, and the
    serial, reversed and parallel plans (both workers scanning) give the same bits. Values
    below 0.001: every customer's total fits 64 bits of units of 10^-18."""
    rng = random.Random(seed)
    data = []
    for _ in range(rows):
        scale = rng.choice((19, 20, 21, 6))
        data.append((rng.randrange(customers), fmt(rng.randint(-10 ** (scale - 4), 9 * 10 ** (scale - 4)), scale)))
    data.append((customers, "0.0000000000000000005"))  # a tie: rounds up, a share of its own
    want = expected([(c, str(round18(a))) for c, a in data])
    psql("DROP TABLE IF EXISTS fine; CREATE TABLE fine (o integer, k integer, a numeric)")
    psql("COPY fine FROM STDIN WITH (FORMAT csv)",
         stdin="".join(f"{i},{c},{a}\n" for i, (c, a) in enumerate(data)))
    psql("ANALYZE fine")
    failures = 0
    plans = {"serial": SERIAL, "parallel": PARALLEL + "SET parallel_leader_participation = off; "}
    for label, q in QUERIES.items():
        got = {name: float(psql(prefix + f"SELECT ({q})::float8 FROM fine"))
               for name, prefix in plans.items()}
        ordered = q.replace("a)", "a ORDER BY o DESC)") if "top_share" not in q else None
        if ordered:
            got["reversed"] = float(psql(SERIAL + f"SELECT ({ordered})::float8 FROM fine"))
        w = want[label]
        ok = abs(got["serial"] - w) <= 1e-15 * abs(w) and len(set(got.values())) == 1
        print(f"{'ok  ' if ok else 'FAIL'} more than 18 decimals, {q}: {got} Fraction {w!r}")
        failures += not ok
    return failures


def check_concentration(data):
    """concentration(query) over the same rows: one row per customer whose exact total is
    positive, the amount column equal to the Fraction total, shares to 1e-15."""
    totals = {}
    for c, a in data:
        totals[c] = totals.get(c, 0) + Fraction(a)
    positive = {str(c): t for c, t in totals.items() if t > 0}
    whole = sum(positive.values())
    rows = [line.split("|") for line in
            psql("SELECT customer, amount, share FROM concentration('SELECT k, a FROM nx')").splitlines()]
    bad = len(rows) != len(positive)
    for customer, amount, share in rows:
        t = positive.get(customer)
        bad = bad or t is None or Fraction(amount) != t or \
            abs(float(share) - float(t / whole)) > 1e-15 * float(t / whole)
    print(f"{'FAIL' if bad else 'ok  '} concentration over mixed scales: {len(rows)} customers"
          f" (of {len(totals)}; {len(totals) - len(positive)} net <= 0), amounts exact")
    return bad


if __name__ == "__main__":
    main()
