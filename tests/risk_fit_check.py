"""risk_fit against tests/scorecard_reference.py (numpy, written separately), run by
tests/risk_fit.test.sh with Debian's /usr/bin/python3.

  1. hand-made data: the bin edges and the pooling worked by hand in the comments, and the
     reference agreeing with them;
  2. generated data (numeric, categorical, missing, numeric TEXT): every key in the spec's
     order, every count and label equal, points, intercept, log-loss and AUC to 1e-6;
  3. options: bins, min_share 0, l2 0, monotone;
  4. the model does not depend on row order: the rows inserted shuffled give the same
     model to 1e-9 (in fact the same text).
"""
import json
import os
import random
import sqlite3
import sys

sys.path.insert(0, os.path.dirname(__file__))
import scorecard_reference as ref  # noqa: E402

EXT = os.environ["PORTFOLIO_EXT"]
failures = []


def connect():
    db = sqlite3.connect(":memory:")
    db.enable_load_extension(True)
    db.load_extension(EXT)
    return db


def run_fit(rows, factors, options=None, order=None):
    db = connect()
    cols = ", ".join(f"f{i}" for i in range(len(factors)))
    db.execute(f"CREATE TABLE h(y{', ' + cols if cols else ''})")
    marks = ", ".join("?" * (len(factors) + 1))
    seq = order if order is not None else range(len(rows))
    db.executemany(f"INSERT INTO h VALUES ({marks})", [[rows[i][0]] + list(rows[i][1]) for i in seq])
    args = ", ".join(f"'{name}', f{i}" for i, name in enumerate(factors))
    opt = ", 'options', ?" if options is not None else ""
    params = [json.dumps(options)] if options is not None else []
    text = db.execute(f"SELECT risk_fit(y, {args}{opt}) FROM h", params).fetchone()[0]
    return text


def keys_in_order(text):
    """Every object's keys in order, depth first."""
    out = []
    json.loads(text, object_pairs_hook=lambda pairs: out.append([k for k, _ in pairs]) or dict(pairs))
    return out


def close(a, b, tol):
    return abs(a - b) <= tol * max(1.0, abs(b))


def compare(name, got_text, want, tol=1e-6):
    got = json.loads(got_text)
    want_keys = []
    json.loads(json.dumps(want), object_pairs_hook=lambda p: want_keys.append([k for k, _ in p]) or dict(p))
    got_keys = keys_in_order(got_text)
    # "iterations" is the extension's own count; the reference has none to compare
    got_keys = [[k for k in ks if k != "iterations"] for ks in got_keys]
    want_keys = [[k for k in ks if k != "iterations"] for ks in want_keys]
    if got_keys != want_keys:
        failures.append(f"{name}: keys {got_keys} != {want_keys}")
        return
    for k in ("model", "version", "accounts", "outcomes"):
        if got[k] != want[k]:
            failures.append(f"{name}: {k} {got[k]} != {want[k]}")
    for k in ("outcome_rate", "intercept"):
        if not close(got[k], want[k], tol):
            failures.append(f"{name}: {k} {got[k]!r} != {want[k]!r}")
    for k in ("log_loss", "auc", "min_share", "l2"):
        if not close(got["fit"][k], want["fit"][k], tol):
            failures.append(f"{name}: fit.{k} {got['fit'][k]!r} != {want['fit'][k]!r}")
    if got["fit"]["bins"] != want["fit"]["bins"] or not 1 <= got["fit"]["iterations"] <= 100:
        failures.append(f"{name}: fit {got['fit']}")
    for gf, wf in zip(got["factors"], want["factors"]):
        if (gf["factor"], gf["kind"], len(gf["bins"])) != (wf["factor"], wf["kind"], len(wf["bins"])):
            failures.append(f"{name}: factor {gf['factor']} {gf['kind']} {len(gf['bins'])} bins, "
                            f"want {wf['factor']} {wf['kind']} {[b['bin'] for b in wf['bins']]}")
            continue
        for gb, wb in zip(gf["bins"], wf["bins"]):
            for k in wb:
                if k in ("points", "outcome_rate"):
                    ok = close(gb[k], wb[k], tol)
                else:
                    ok = gb[k] == wb[k] and type(gb[k]) is type(wb[k])
                if not ok:
                    failures.append(f"{name}: {gf['factor']} bin {wb['bin']}: {k} {gb[k]!r} != {wb[k]!r}")


def labels(text, factor=0):
    return [b["bin"] for b in json.loads(text)["factors"][factor]["bins"]]


def check_labels(name, text, want):
    got = labels(text)
    if got != want:
        failures.append(f"{name}: bins {got}, want {want}")


def hand_made():
    # 1..10, one row each, bins 3: n = 10; cut 1 nearest 10/3 -> after 3 (|3*3-10| = 1 < |4*3-10|);
    # cut 2 nearest 20/3 -> after 7 (|7*3-20| = 1). min_share 0 keeps every bin.
    rows = [(v % 2, [v]) for v in range(1, 11)]
    text = run_fit(rows, ["tenure"], {"bins": 3, "min_share": 0})
    check_labels("1..10 bins 3", text, ["<= 3", "3 < x <= 7", "> 7"])
    compare("1..10 bins 3", text, ref.fit(rows, ["tenure"], bins=3, min_share=0))
    # Ties never straddle: 0 x 6, 1 x 2, 2 x 2 (n = 10), bins 5: targets 2, 4, 6, 8 -> after 0
    # (c = 6: nearest for targets 4, 6; for 2 too: the only boundaries are c = 6 and 8), after
    # 1 (c = 8, target 8). Bins {0}, {1}, {2}.
    rows = [(i % 2, [0]) for i in range(6)] + [(1, [1]), (0, [1]), (1, [2]), (0, [2])]
    text = run_fit(rows, ["x"], {"min_share": 0})
    check_labels("ties", text, ["<= 0", "0 < x <= 1", "> 1"])
    compare("ties", text, ref.fit(rows, ["x"], min_share=0))
    # Pooling: 20 rows 1..20 with 5 bins of 4; add 1 row of 100 -> n = 21: cuts nearest 21k/5
    # = 4.2, 8.4, 12.6, 16.8 -> after 4, 8, 13, 17: bins of 4, 4, 5, 4, 4 (20 and 100 in the last).
    # min_share 0.2 (4.2 rows): the smallest bin under 4.2 is the first (4 rows, leftmost), merged
    # into its only neighbour -> 8; then bins 5 (8 < x <= 13)... 4, 4 under 4.2: the leftmost of
    # the smallest (13 < x <= 17, 4 rows) merges into its smaller neighbour (the last, 4 < 5).
    rows = [(v % 3 == 0, [v]) for v in range(1, 21)] + [(1, [100])]
    text = run_fit(rows, ["x"], {"min_share": 0.2})
    check_labels("pooling", text, ["<= 8", "8 < x <= 13", "> 13"])
    compare("pooling", text, ref.fit(rows, ["x"], min_share=0.2))
    # Categorical: a x 5, b x 3, c x 1, d x 1, missing x 2 (N = 12), min_share 0.2 (2.4 rows):
    # a, b keep bins; c and d share 'other'; 'missing' last.
    rows = ([(i % 2, ["a"]) for i in range(5)] + [(i % 2, ["b"]) for i in range(3)]
            + [(1, ["c"]), (0, ["d"]), (1, [None]), (0, [""])])
    text = run_fit(rows, ["plan"], {"min_share": 0.2})
    check_labels("categories", text, ["a", "b", "other", "missing"])
    compare("categories", text, ref.fit(rows, ["plan"], min_share=0.2))
    # One factor with one value only: one bin, 0 points; the intercept is the log-odds.
    rows = [(i % 3 == 0, ["same", i]) for i in range(30)]
    text = run_fit(rows, ["tier", "n"])
    model = json.loads(text)
    if model["factors"][0]["bins"][0]["points"] != 0:
        failures.append(f"one bin: {model['factors'][0]}")
    compare("one bin", text, ref.fit(rows, ["tier", "n"]))
    # Numbers in a categorical factor read as their text: 12 and '12' are one category,
    # 12.0 another; numeric TEXT alone keeps a factor numeric.
    rows = [(1, [12, "7"]), (0, ["12", " 8 "]), (1, [12.0, "9.5"]), (0, ["x", "10"]),
            (1, ["x", 11]), (0, [12, 12.5])]
    text = run_fit(rows, ["code", "amount"], {"min_share": 0})
    check_labels("number texts", text, ["12", "12.0", "x"])
    compare("number texts", text, ref.fit(rows, ["code", "amount"], min_share=0))


def generated(seed, n=3000):
    rnd = random.Random(seed)
    rows = []
    plans = ["basic", "plus", "pro", "enterprise", "legacy", "trial"]
    for _ in range(n):
        tenure = rnd.randint(0, 72)
        charge = round(rnd.uniform(18, 120), 2)
        plan = rnd.choices(plans, [40, 30, 15, 10, 3, 2])[0]
        tickets = rnd.choice([None, 0, 0, 1, 2, 3, 5, 8])
        eta = -1.0 - 0.04 * tenure + 0.015 * charge + (0.8 if plan == "basic" else 0) + (
            0.6 if tickets is None else 0.1 * tickets)
        y = 1 if rnd.random() < 1 / (1 + pow(2.718281828459045, -eta)) else 0
        text_charge = f"{charge:.2f}" if rnd.random() < 0.3 else charge
        rows.append((y, [tenure, text_charge, plan, tickets]))
    return rows


def main():
    hand_made()
    names = ["tenure", "monthly_charge", "plan", "support_tickets"]
    rows = generated(1)
    text = run_fit(rows, names)
    compare("generated", text, ref.fit(rows, names))
    for opts in ({"bins": 8, "min_share": 0.02}, {"l2": 0}, {"l2": 25.5, "bins": 3},
                 {"min_share": 0}, {"monotone": ["tenure", "MONTHLY_CHARGE"], "bins": 10}):
        text = run_fit(rows, names, opts)
        kw = dict(opts)
        compare(f"generated {opts}", text, ref.fit(rows, names, **kw))
    # Monotone points really are monotone.
    model = json.loads(run_fit(rows, names, {"monotone": ["tenure"], "bins": 10}))
    pts = [b["points"] for b in model["factors"][0]["bins"] if "missing" not in b]
    if not (all(a >= b for a, b in zip(pts, pts[1:])) or all(a <= b for a, b in zip(pts, pts[1:]))):
        failures.append(f"monotone tenure points {pts}")
    # 45 factors of 3 bins: 3^45 patterns do not fit a 64-bit code, so the patterns are
    # sorted by comparing keys (the other path of scorecard_patterns.c).
    rnd = random.Random(7)
    wide = [(i % 2, [rnd.choice("abc") for _ in range(45)]) for i in range(300)]
    wide_names = [f"w{j}" for j in range(45)]
    compare("45 factors", run_fit(wide, wide_names), ref.fit(wide, wide_names))
    # Row order.
    base = run_fit(rows, names)
    for seed in (2, 3):
        order = list(range(len(rows)))
        random.Random(seed).shuffle(order)
        shuffled = run_fit(rows, names, order=order)
        compare(f"shuffled {seed}", shuffled, json.loads(base), tol=1e-9)
        if shuffled != base:
            failures.append(f"shuffled {seed}: the model text differs")
    for f in failures:
        print("FAIL", f)
    print(f"risk_fit vs numpy reference: {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
