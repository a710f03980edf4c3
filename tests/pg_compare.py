"""tests/pg_compare.py: the same answers in both hosts.

Generates one data set (fixed seed), loads it into SQLite (with ./portfolio.so) and into the
PostgreSQL server named by PGHOST/PGPORT (through psql, with CREATE EXTENSION portfolio),
and compares every measure, keyed and unkeyed, over integer and real amounts and text and
integer keys:
  1. integer amounts: the two hosts run the same core, so results must be equal to the bit;
  2. real (double / numeric) amounts: within 1e-12 relative;
  3. a third, independent answer from numpy over the per-customer totals, within 1e-9;
  4. risk_fit: the model text identical, scores equal (pg_compare_fit.py).
Run by tests/pg_compare.sh inside a throw-away cluster.
"""
import os
import random
import sqlite3
import subprocess
import sys

import numpy as np

import pg_compare_fit

from checklib import psql

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
    lite.execute("ALTER TABLE inv ADD COLUMN cents INTEGER")
    lite.execute("UPDATE inv SET cents = CAST(round(amount_r * 100) AS INTEGER)")
    psql("DROP TABLE IF EXISTS inv; CREATE EXTENSION IF NOT EXISTS portfolio; "
         "CREATE TABLE inv (ckey integer, tkey text, amount_i bigint, amount_r double precision,"
         " amount_n numeric, amount_x numeric(14,2))")
    csv = "".join(f"{c},{t},{i},{r!r},{r!r},{r!r}\n" for c, t, i, r in data)
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
        if "amount_r" in expr:
            # numeric(14,2) is counted exactly in cents: the same bits as SQLite over the
            # integer cents (the measures are ratios, the unit cancels out)
            form = expr.replace("amount_r", "amount_x")
            cents = lite.execute(f"SELECT {expr.replace('amount_r', 'cents')} FROM inv").fetchone()[0]
            got = float(psql(f"SELECT {form} FROM inv"))
            ok = got == cents and abs(got - indep) <= 1e-9 * abs(indep)
            print(f"{'ok  ' if ok else 'FAIL'} {form}: postgres {got!r} sqlite over cents "
                  f"{cents!r}")
            failures += not ok
    failures += compare_concentration()
    failures += compare_phase()
    failures += compare_risk()
    failures += compare_errors()
    failures += compare_ranking(data)
    failures += compare_learnt()
    failures += pg_compare_fit.compare_fit(LITE, psql)
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


RISK_WEIGHTS = {"industry": "0.15", "region": "0.05", "cash_runway_months": "0.15",
                "days_to_renewal": "0.10", "adoption": "0.15", "deployment": "0.10",
                "stakeholders": "0.10", "days_since_contact": "0.05", "penetration": "0.10",
                "contract_year": "0.05"}


def risk_draw(rng, f):
    """A random value of factor f, sometimes as numeric text or NULL."""
    if rng.random() < 0.08:
        return None
    if f == "industry":
        return rng.choice(["Travel", "software", " Logistics ", "basket weaving",
                           round(rng.random(), 3), "'0.35'"])
    if f in ("region", "adoption", "deployment", "penetration"):
        v = rng.choice([0, 1, round(rng.random(), 4)])
        return f"'{v}'" if rng.random() < 0.1 else v
    if f == "cash_runway_months":
        return rng.choice([0, 24, 30, round(rng.uniform(0, 36), 2)])
    if f == "days_to_renewal":
        return rng.choice([-20, 30, 31, 180, rng.randint(-60, 400), 45.5, "' 45 '", "'1e2'",
                           "'-.5'", "'5.'", "'+3'", "'99999999999999999999'"])
    if f == "stakeholders":
        return rng.randint(0, 8)
    if f == "days_since_contact":
        return rng.choice([0, 90, rng.randint(0, 200)])
    return rng.choice([rng.randint(1, 6), 2.0])


def risk_reference(args, weights):
    """The score from the spec, in exact fractions (None without a score)."""
    from fractions import Fraction as F
    rating = {"travel": F("0.9"), "software": F("0.2"), "logistics": F("0.25")}
    num = den = F(0)
    for f, v in args:
        if v is None:
            continue
        if isinstance(v, str) and v.startswith("'"):
            v = F(v.strip("'"))
        elif isinstance(v, str):
            v = rating.get(v.strip().lower(), F("0.5"))
        v = F(v)
        r = {"cash_runway_months": max(F(0), 1 - v / 24),
             "days_to_renewal": F(1) if v <= 30 else F(0) if v >= 180 else (180 - v) / 150,
             "stakeholders": 1 - min(v, 5) / F(5), "days_since_contact": min(F(1), v / 90),
             "contract_year": {1: F("0.3"), 2: F("0.6"), 3: F(1)}.get(int(v), F("0.6"))
             }.get(f, 1 - v if f in ("adoption", "deployment", "penetration") else v)
        w = F(weights.get(f, RISK_WEIGHTS[f]))
        num += w * r
        den += w
    return None if den == 0 else float(100 * num / den)


def compare_risk(cases=600):
    """risk_score and risk_explain over random accounts: the scores equal to the bit, the
    explanations byte for byte, the scores also against exact fractions (1e-9)."""
    import json
    rng = random.Random(77)
    calls = []
    for case in range(cases):
        factors = rng.sample(sorted(RISK_WEIGHTS), rng.randint(0, len(RISK_WEIGHTS)))
        args = [(f, risk_draw(rng, f)) for f in factors]
        weights = {}
        if rng.random() < 0.3:
            weights = {f: rng.choice([0, 1, 2, round(rng.uniform(0, 3), 3)])
                       for f in rng.sample(sorted(RISK_WEIGHTS), rng.randint(1, 3))}
        sql = []
        for f, v in args:
            lit = "NULL" if v is None else v if isinstance(v, str) and v.startswith("'") \
                else f"'{v}'" if isinstance(v, str) else repr(v)
            sql += [f"'{f}'", lit]
        if weights:
            sql += ["'weights'", "'" + json.dumps(weights) + "'"]
        calls.append((", ".join(sql), risk_reference(args, weights)))
    failures = 0
    for fn in ("risk_score", "risk_explain"):
        lite, pg = {}, {}
        for start in range(0, len(calls), 200):  # SQLite's limit of 500 compound terms
            sql = " UNION ALL ".join(f"SELECT {i}, {fn}({a})" for i, (a, _) in
                                     enumerate(calls) if start <= i < start + 200)
            lite.update(LITE.execute(sql).fetchall())
            pg.update(line.split("|", 1) for line in psql(sql).splitlines())
        bad = 0
        for i, (_, want) in enumerate(calls):
            a, b = lite[i], pg[str(i)]
            if fn == "risk_score":
                same = (a is None and b == "") or (a is not None and b != "" and float(b) == a)
                same = same and (want is None) == (a is None)
                same = same and (want is None or abs(a - want) <= 1e-9)
            else:
                same = a == b and (json.loads(b)["score"] is None) == (want is None)
            if not same and bad < 3:
                print(f"     {fn}({calls[i][0]}): sqlite {a!r} postgres {b!r} exact {want!r}")
            bad += not same
        print(f"{'FAIL' if bad else 'ok  '} {fn} over {cases} accounts "
              f"({sum(w is None for _, w in calls)} without a score)")
        failures += bad > 0
    return failures


BAD_CALLS = [
    "risk_score('adoption', 1.5)", "risk_score('adoption', 0.5, 'region')",
    "risk_explain('adoption')", "risk_score('churn', 1)", "risk_score('it''s', 1)",
    "risk_score('adoption', 0.5, 'Adoption', 0.2)", "risk_score('contract_year', 0)",
    "risk_score('stakeholders', 2.5)", "risk_score('adoption', 'high')",
    "risk_score('adoption', 'a very long text that goes on and on and on past forty bytes')",
    "risk_score('industry', 2)", "risk_score(1, 0.5)", "risk_score(NULL, 0.5)",
    "risk_score('days_to_renewal', 1e308 * 10)",
    "risk_explain('adoption', 0.5, 'weights', '{\"adoption\": -2}')",
    "risk_score('adoption', 0.5, 'weights', '{adoption: 2}')",
    "risk_score('adoption', 0.5, 'weights', '{\"adoption\": 1, \"ADOPTION\": 2}')",
    "risk_score('adoption', 0.5, 'weights', '{\"speed\": 1}')",
    "risk_score('adoption', 0.5, 'weights', '{\"adoption\": \"x\"}')",
    "risk_score('adoption', 0.5, 'weights', '{\"adoption\": [1, 2]}')",
    "risk_score('adoption', 0.5, 'weights', '[1, 2]')",
    "risk_score('adoption', 0.5, 'weights', 12)",
    "risk_score('adoption', 0.5, 'weights', '{}', 'weights', '{}')",
    "risk_score('adoption', 0.5, 'model', 'x')",
    "auc(1, 2)", "auc(1, 0.5)", "auc('high', 1)", "auc(1e308 * 10, 1)", "lift(1, 1, 0)",
    "lift(1, 1, NULL)", "lift(1, 1, 1.5)", "lift(1, 1, 'x')",
    "phase_of('risk')", "phase_of('mood', 1)", "phase_of('risk', 10, 'Risk', 20)",
    "phase_of('risk', 101)", "phase_of('risk', 100.5)", "phase_of('expected_churn', 0.5)",
    "phase_of('risk', 'high')", "phase_of('risk', 1, 'thresholds', '{\"mood\": 1}')",
    "phase_of('risk', 1, 'thresholds', '{\"risk\": 200}')",
    "phase_of('risk', 1, 'thresholds', '{\"risk\": \"x\"}')",
    "phase_of('risk', 1, 'thresholds', '[1]')", "phase_of('risk', 1, 'thresholds', '{bad')",
    "phase_of('risk', 1, 'thresholds', '{}', 'thresholds', '{}')", "phase_of(1, 1)",
    "risk_fit(1)", "risk_fit(1, 'x', 1, 'options')", "risk_fit(1, 'x', 1)", "risk_fit(2, 'x', 1)",
    "risk_fit('yes', 'x', 1)", "risk_fit(1, 'weights', 1)", "risk_fit(1, 'X_1', 1, 'x_1', 2)",
    "risk_fit(1, 'adoption', 2)", "risk_fit(1, 'tenure_months', 'long')",
    "risk_fit(1, 'x', 1, 'options', '{\"bins\": 1}')",
    "risk_fit(1, 'x', 1, 'options', '{\"bins\": 2, \"monotone\": [\"y\"]}')",
    "risk_fit(1, 'x', 1, 'options', 'a very long text that goes on and on and on past forty')",
]


def compare_ranking(data):
    """auc and lift over the data set (score: the real amount; outcome: every third
    customer), in a forced parallel plan in PostgreSQL: equal to SQLite's to the bit, and
    to scikit-learn's AUC and a numpy lift (ties at the cut in proportion) within 1e-12."""
    from sklearn.metrics import roc_auc_score
    y_sql = "CASE WHEN ckey % 3 = 0 THEN 1 ELSE 0 END"
    scores = np.array([r[3] for r in data])
    ys = np.array([1 if r[0] % 3 == 0 else 0 for r in data])
    order = -np.sort(-scores)
    failures = 0
    for fraction in (None, 0.1, 0.37, 1):
        expr = f"auc(amount_r, {y_sql})" if fraction is None else \
            f"lift(amount_r, {y_sql}, {fraction})"
        want = LITE.execute(f"SELECT {expr} FROM inv").fetchone()[0]
        got = float(psql("SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; "
                         "SET min_parallel_table_scan_size = 0; SET force_parallel_mode = on; "
                         f"SELECT {expr} FROM inv"))
        if fraction is None:
            indep = roc_auc_score(ys, scores)
        else:
            t = fraction * len(scores)
            cut = order[int(np.ceil(t)) - 1]  # the score of the group at the cut
            above = scores > cut
            at = scores == cut
            taken = ys[above].sum() + ys[at].sum() * (t - above.sum()) / at.sum()
            indep = (taken / t) / ys.mean()
        ok = got == want and abs(got - indep) <= 1e-12 * abs(indep)
        print(f"{'ok  ' if ok else 'FAIL'} {expr}: postgres {got!r} sqlite {want!r} "
              f"independent {indep!r}")
        failures += not ok
    return failures


def compare_learnt(accounts=3000):
    """A model fitted by SQLite's risk_fit, then risk_score('model', ...) and
    risk_explain('model', ...) for every account in both hosts: scores equal to the bit,
    explanations byte for byte, and the scores equal to 100 / (1 + exp(-z)) with z summed in
    Python from the model's own bins (1e-9)."""
    import json
    import math
    rng = random.Random(5)
    rows = []
    for i in range(accounts):
        tenure = None if rng.random() < 0.05 else round(rng.uniform(0, 72), 1)
        plan = rng.choice(["monthly", "yearly", "two-year", None, ""])
        usage = rng.randint(0, 50)
        logit = -1 + (0.03 * (36 - (tenure or 36))) + (plan == "monthly") - 0.02 * usage
        rows.append((i, tenure, plan, usage, int(rng.random() < 1 / (1 + math.exp(-logit)))))
    LITE.execute("CREATE TABLE accts (id INTEGER, tenure REAL, plan TEXT, usage INTEGER, churn INTEGER)")
    LITE.executemany("INSERT INTO accts VALUES (?, ?, ?, ?, ?)", rows)
    model = LITE.execute("SELECT risk_fit(churn, 'tenure', tenure, 'plan', plan, 'usage', usage)"
                         " FROM accts").fetchone()[0]
    psql("DROP TABLE IF EXISTS accts, mdl; CREATE TABLE accts (id integer, tenure double precision,"
         " plan text, usage integer, churn integer); CREATE TABLE mdl (m text)")
    csv = "".join(f"{i},{'' if t is None else t},{'' if p is None else p},{u},{c}\n"
                  for i, t, p, u, c in rows)
    psql("COPY accts FROM STDIN WITH (FORMAT csv, FORCE_NOT_NULL (plan))", stdin=csv)
    psql("COPY mdl FROM STDIN WITH (FORMAT text)",
         stdin=model.replace("\\", "\\\\").replace("\n", "\\n") + "\n")
    m = json.loads(model)
    failures = 0
    for fn in ("risk_score", "risk_explain"):
        sql = (f"SELECT id, {fn}('model', m, 'tenure', tenure, 'plan', plan, 'usage', usage)"
               " FROM accts, mdl ORDER BY id")
        lite = LITE.execute(sql.replace("accts, mdl", f"accts, (SELECT '{model.replace(chr(39), chr(39) * 2)}' AS m)")).fetchall()
        pg = [line.split("|", 1) for line in psql(sql).splitlines()]
        bad = len(lite) != len(pg)
        for (i, a), (j, b) in zip(lite, pg):
            if fn == "risk_score":
                want = 100 / (1 + math.exp(-learnt_log_odds(m, rows[i])))
                same = float(b) == a and abs(a - want) <= 1e-9
            else:
                same = a == b
            if not same and bad < 3:
                print(f"     {fn} account {i}: sqlite {a!r} postgres {b!r}")
            bad += not same
        print(f"{'FAIL' if bad else 'ok  '} {fn}('model', ...) over {len(pg)} accounts, "
              f"model of {len(m['factors'])} factors fitted by SQLite's risk_fit")
        failures += bad > 0
    return failures


def learnt_log_odds(m, row):
    """The model's log-odds for one account, read from its JSON bins."""
    _, tenure, plan, usage, _ = row
    values = {"tenure": tenure, "plan": plan or None, "usage": usage}
    z = m["intercept"]
    for f in m["factors"]:
        v, bins = values[f["factor"]], f["bins"]
        if v is None:
            pick = [b for b in bins if b.get("missing")]
        elif f["kind"] == "categorical":
            pick = [b for b in bins if b.get("value") == v] or [b for b in bins if b.get("other")]
        else:
            ranges = [b for b in bins if not b.get("missing")]
            pick = [b for b in ranges if "upper" not in b or v <= b["upper"]][:1] or ranges[-1:]
        z += pick[0]["points"] if pick else 0
    return z


def compare_errors():
    """Every bad call fails in both hosts with the same message."""
    bad = 0
    for call in BAD_CALLS:
        try:
            LITE.execute(f"SELECT {call}").fetchall()
            lite = "(no error)"
        except sqlite3.Error as e:
            lite = str(e)
        out = subprocess.run(["psql", "-X", "-q", "-At", "-c", f"SELECT {call}"],
                             capture_output=True, text=True)
        pg = out.stderr.strip().split("\n")[0].removeprefix("ERROR:  ")
        if lite != pg:
            print(f"FAIL {call}: sqlite {lite!r} postgres {pg!r}")
            bad += 1
    print(f"{'FAIL' if bad else 'ok  '} the same error messages for {len(BAD_CALLS)} bad calls")
    return (bad > 0) + compare_numeric_text()


NUMERIC_TEXTS = ["7", " 7 ", "\t7\n", "+3", "-3", "1e2", "1E+2", "-.5", "5.", ".", "1e", "e5",
                 "0x10", "12abc", "1e999", "-1e999", "99999999999999999999", "9223372036854775807",
                 "9223372036854775808", "-9223372036854775808", "0.1", "00012", "1_000", "Inf",
                 "NaN", "1.5e-3", " ", "1 2"]


def compare_numeric_text():
    """Text read as a number (SQLite's numeric affinity; core_text.c in PostgreSQL): the
    value risk_explain echoes back, or the error, must be the same in both hosts."""
    bad = 0
    for text in NUMERIC_TEXTS:
        call = f"risk_explain('days_to_renewal', '{text}')"
        try:
            lite = LITE.execute(f"SELECT {call}").fetchone()[0]
        except sqlite3.Error as e:
            lite = str(e)
        out = subprocess.run(["psql", "-X", "-q", "-At", "-c", f"SELECT {call}"],
                             capture_output=True, text=True)
        pg = out.stdout.strip() or out.stderr.strip().split("\n")[0].removeprefix("ERROR:  ")
        if lite != pg:
            print(f"FAIL text {text!r}: sqlite {lite!r} postgres {pg!r}")
            bad += 1
    print(f"{'FAIL' if bad else 'ok  '} {len(NUMERIC_TEXTS)} texts read as numbers alike")
    return bad > 0


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
    # Totals far apart (worked by hand): without 1e200 two equal 1e30 leave HHI 5000; any
    # other customer taken out leaves the largest with the whole share, 10000.
    for values, want in (("(''big'', 1e200), (''small'', 1e30), (''s2'', 1e30)",
                          {"big": 5000.0, "s2": 10000.0, "small": 10000.0}),
                         ("(''big'', 1e300), (''tiny'', 1e-300)",
                          {"big": 10000.0, "tiny": 10000.0})):
        sql = f"SELECT customer, hhi_without FROM concentration('VALUES {values}')"
        lite = dict(LITE.execute(sql).fetchall())
        pg = {k: float(v) for k, v in (line.split("|") for line in psql(sql).splitlines())}
        bad = set(lite) != set(want) or set(pg) != set(want)
        bad = bad or any(abs(h[k] - w) > 1e-9 * w for h in (lite, pg) for k, w in want.items())
        print(f"{'FAIL' if bad else 'ok  '} concentration hhi_without, totals far apart: {want}")
        failures += bad
    return failures


if __name__ == "__main__":
    main()
