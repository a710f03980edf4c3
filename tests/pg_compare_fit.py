"""tests/pg_compare_fit.py: risk_fit in both hosts (called by tests/pg_compare.py).

The accounts table of compare_learnt (loaded into both hosts) is fitted by SQLite's and by
PostgreSQL's risk_fit with several option sets and value kinds (REAL, INTEGER, categories,
numeric text, a built-in factor, a categorical factor mixing numbers and names, missing
values, monotone). The model JSON must be the same text, and the accounts scored with the
PostgreSQL model in PostgreSQL must get SQLite's scores from SQLite's model, to the bit.
"""
import sqlite3
import subprocess

FACTORS = [
    "'tenure', tenure, 'plan', plan, 'usage', usage",
    "'tenure', tenure, 'usage_text', CAST(usage AS TEXT), 'adoption', usage / 50.0",
    "'bucket', CASE WHEN usage % 7 = 0 THEN 'none' ELSE CAST(usage % 4 AS TEXT) END,"
    " 'Plan', plan",
]
OPTIONS = [None, '{"bins": 8, "min_share": 0.02}', '{"monotone": ["tenure"], "l2": 0.5}',
           '{"l2": 0, "bins": 3}']


def calls():
    for factors in FACTORS:
        for options in OPTIONS:
            if options and "tenure" in options and "tenure" not in factors:
                continue
            yield factors + (f", 'options', '{options}'" if options else "")


def pg_error(sql):
    out = subprocess.run(["psql", "-X", "-q", "-At", "-c", sql], capture_output=True, text=True)
    return out.stderr.strip().split("\n")[0].removeprefix("ERROR:  ")


def compare_fit(lite, psql):
    """Returns the number of failures. A fit that fails (l2 = 0 over two factors that
    duplicate each other) must fail with the same message in both hosts."""
    failures = 0
    for args in calls():
        sql = f"SELECT risk_fit(churn, {args}) FROM accts"
        try:
            want = lite.execute(sql).fetchone()[0]
        except sqlite3.Error as e:
            got = pg_error(sql)
            ok = got == str(e)
            print(f"{'ok  ' if ok else 'FAIL'} risk_fit(churn, {args[:60]}...) fails alike:"
                  f" sqlite {str(e)[:60]!r} postgres {got[:60]!r}")
            failures += not ok
            continue
        got = psql(f"SELECT risk_fit(churn, {args}) FROM accts")
        same = got == want
        scores_same = True
        if same:
            names = [a.strip() for a in args.split(", 'options'")[0].split(",")]
            pairs = ", ".join(names)
            quoted = want.replace("'", "''")
            lite_scores = lite.execute(
                f"SELECT id, risk_score('model', '{quoted}', {pairs}) FROM accts ORDER BY id"
            ).fetchall()
            psql(f"DROP TABLE IF EXISTS pgfit; CREATE TABLE pgfit AS"
                 f" SELECT risk_fit(churn, {args}) AS m FROM accts")
            pg_scores = [line.split("|") for line in psql(
                f"SET extra_float_digits = 3; SELECT id, risk_score('model', m, {pairs})"
                " FROM accts, pgfit ORDER BY id").splitlines()]
            scores_same = len(pg_scores) == len(lite_scores) and all(
                int(i) == j and float(s) == t for (i, s), (j, t) in zip(pg_scores, lite_scores))
        ok = same and scores_same
        if not same:
            print(f"     sqlite   {want[:300]}\n     postgres {got[:300]}")
        print(f"{'ok  ' if ok else 'FAIL'} risk_fit(churn, {args[:70]}...): model "
              f"{'identical' if same else 'DIFFERENT'} ({len(want)} bytes), scores "
              f"{'equal' if scores_same else 'DIFFERENT'}")
        failures += not ok
    return failures
