#!/usr/bin/env bash
# risk_score('model', m, ...), risk_explain('model', m, ...) and risk_scorecard(m) against the
# second implementation in tests/risk_model_reference.py: 40 random models (seeded), each
# scored on 150 random accounts (values on the edges, beyond the fitted range, unseen
# categories, NULL, '', numeric TEXT, factors left out, names in any case and order).
#   - scores agree with Python's to 1e-12, with the model constant and from a column
#     (several models interleaved, so the connection's model cache is exercised);
#   - risk_explain names each factor's bin, points and outcome rate, sorted by points, and
#     its intercept plus points is the log-odds of its score;
#   - risk_scorecard returns every bin of the model, in order.
# Needs PORTFOLIO_EXT (the built extension without suffix); uses Debian's /usr/bin/python3.
set -u
. "$(dirname "$0")/lib.sh"
need_ext
exec /usr/bin/python3 - "$PORTFOLIO_EXT" <<'PY'
import json, math, random, sys
sys.path.insert(0, "tests")
import risk_model_reference as ref
from checklib import connect

con = connect(sys.argv[1])
rng = random.Random(20261202)
failures = 0
checked = 0

def fail(msg):
    global failures
    failures += 1
    if failures <= 20:
        print("FAIL:", msg)

NAMES = ["tenure", "adoption", "plan", "monthly_charge", "region", "contract", "stakeholders",
         "Support_Tickets"]

def check_explain(model, values, given, got):
    e = json.loads(got)
    z = ref.log_odds(model, values)
    p = ref.probability(z)
    if abs(e["probability"] - p) > 1e-12 or abs(e["score"] - 100 * p) > 1e-10:
        fail("explain score %r vs %r" % (e["score"], 100 * p))
    if e["intercept"] != model["intercept"]:
        fail("explain intercept")
    total = e["intercept"] + sum(f["points"] for f in e["factors"])
    if abs(ref.probability(total) - p) > 1e-12:
        fail("explain: intercept + points is not the log-odds")
    want = []
    for i, f in enumerate(model["factors"]):
        v = values.get(f["factor"].lower())
        b = ref.bin_of(f, v)
        pts = f["bins"][b]["points"] if b is not None else 0.0
        want.append((-pts, i, f, v, b))
    want.sort(key=lambda t: (t[0], t[1]))
    if len(e["factors"]) != len(want):
        fail("explain factor count")
        return
    for got_f, (negp, i, f, v, b) in zip(e["factors"], want):
        if got_f["factor"] != f["factor"] or got_f["points"] != -negp:
            fail("explain order/points %r vs %s" % (got_f, f["factor"]))
        label = f["bins"][b]["bin"] if b is not None else None
        rate = f["bins"][b]["outcome_rate"] if b is not None else None
        if got_f["bin"] != label or got_f["outcome_rate"] != rate:
            fail("explain bin %r vs %r" % (got_f, label))
        if ref.is_missing(v):
            if got_f["value"] is not None:
                fail("explain value of a missing factor")
        elif f["kind"] == "categorical":
            if got_f["value"] != (v if isinstance(v, str) else str(v)):
                fail("explain category %r vs %r" % (got_f["value"], v))
        elif abs(float(got_f["value"]) - float(v)) > 1e-12 * max(1, abs(float(v))):
            fail("explain number %r vs %r" % (got_f["value"], v))
    missing = [f["factor"] for f in model["factors"]
               if ref.is_missing(values.get(f["factor"].lower()))]
    if e["missing"] != missing:
        fail("explain missing %r vs %r" % (e["missing"], missing))

def check_scorecard(model, text):
    rows = con.execute("SELECT factor, kind, bin, lower, upper, value, accounts, outcome_rate,"
                       " points FROM risk_scorecard(?)", (text,)).fetchall()
    want = [(f["factor"], f["kind"], b["bin"], b.get("lower"), b.get("upper"), b.get("value"),
             b["accounts"], b["outcome_rate"], b["points"])
            for f in model["factors"] for b in f["bins"]]
    if rows != want:
        fail("scorecard rows differ:\n%r\n%r" % (rows[:3], want[:3]))

models = []
for m in range(40):
    k = rng.randint(1, len(NAMES))
    names = rng.sample(NAMES, k)
    kinds = ["categorical" if n in ("plan", "contract") or rng.random() < 0.25 and
             n not in ref.BUILTIN_RANGES else "numeric" for n in names]
    model = ref.random_model(rng, names, kinds)
    text = ref.model_text(model)
    models.append((model, text))
    check_scorecard(model, text)
    accounts = []
    for a in range(150):
        values = {}
        for f in model["factors"]:
            if rng.random() < 0.85:
                values[f["factor"].lower()] = ref.random_value(rng, f)
        accounts.append(values)
    # One statement per account: the arguments in random order and case, some left out.
    for values in accounts[:60]:
        names_given = list(values)
        rng.shuffle(names_given)
        args, params = [], [text]
        for n in names_given:
            args.append("?, ?")
            params += [rng.choice([n, n.upper(), n.title()]), values[n]]
        sql = "SELECT risk_score('model', ?%s), risk_explain('MODEL', ?%s)" % (
            "".join(", " + a for a in args), "".join(", " + a for a in args))
        got, explained = con.execute(sql, params + params).fetchone()
        want = 100 * ref.probability(ref.log_odds(model, values))
        checked += 1
        if got is None or abs(got - want) > 1e-10:
            fail("model %d score %r, want %r for %r" % (m, got, want, values))
        check_explain(model, values, names_given, explained)
    # All accounts in one statement: the model is a constant, parsed once.
    con.execute("DROP TABLE IF EXISTS acc")
    cols = [f["factor"].lower() for f in model["factors"]]
    con.execute("CREATE TABLE acc(id, %s)" % ", ".join('"%s"' % c for c in cols))
    con.executemany("INSERT INTO acc VALUES (?%s)" % (", ?" * len(cols)),
                    [(i,) + tuple(v.get(c) for c in cols) for i, v in enumerate(accounts)])
    pairs = "".join(", '%s', \"%s\"" % (c, c) for c in cols)
    got = con.execute("SELECT risk_score('model', ?%s) FROM acc ORDER BY id" % pairs,
                      (text,)).fetchall()
    for (g,), values in zip(got, accounts):
        want = 100 * ref.probability(ref.log_odds(model, values))
        checked += 1
        if abs(g - want) > 1e-10:
            fail("constant model %d: %r vs %r" % (m, g, want))

# The model from a column: models sharing factor names, rows interleaving them.
con.execute("CREATE TABLE models(id INTEGER PRIMARY KEY, m TEXT)")
shared = ["tenure", "plan", "adoption"]
pool = [ref.random_model(rng, shared, ["numeric", "categorical", "numeric"]) for _ in range(4)]
con.executemany("INSERT INTO models VALUES (?, ?)",
                [(i, ref.model_text(p)) for i, p in enumerate(pool)])
rows = []
for i in range(2000):
    mid = rng.choice([0, 0, 0, 1, 2, 3]) if i % 50 else rng.randrange(4)
    vals = {f["factor"]: ref.random_value(rng, f) for f in pool[mid]["factors"]}
    rows.append((i, mid, vals["tenure"], vals["plan"], vals["adoption"]))
con.execute("CREATE TABLE acc2(id, mid, tenure, plan, adoption)")
con.executemany("INSERT INTO acc2 VALUES (?, ?, ?, ?, ?)", rows)
got = con.execute("SELECT risk_score('model', m, 'tenure', tenure, 'plan', plan, 'adoption', "
                  "adoption) FROM acc2 JOIN models ON models.id = acc2.mid ORDER BY acc2.id"
                  ).fetchall()
for (g,), (i, mid, t, p, a) in zip(got, rows):
    want = 100 * ref.probability(ref.log_odds(pool[mid], {"tenure": t, "plan": p,
                                                          "adoption": a}))
    checked += 1
    if abs(g - want) > 1e-10:
        fail("model column row %d: %r vs %r" % (i, g, want))

print("%d scores checked against the Python implementation, %d failures" % (checked, failures))
sys.exit(1 if failures else 0)
PY
