"""A second implementation of scoring with a learnt risk model, written from the spec
("Learning the risk model from history" in spec/sql-api.md), for the tests and the bench.

- random_model(rng, ...) writes a model in the spec's JSON shape (keys in the spec's order,
  numbers with 15 significant digits): numeric factors with rising edges, categorical ones
  with value bins, some with `other` and `missing` bins, some with a single bin.
- random_value(rng, factor) draws a value a user might pass: inside the bins, exactly on an
  edge, beyond the fitted range, numeric TEXT, an unseen category, NULL or ''.
- score(model, values) is the probability by the spec's rules, in plain Python.
"""
import json
import math

BUILTIN_RANGES = {"adoption": (0, 1), "deployment": (0, 1), "penetration": (0, 1),
                  "region": (0, 1), "cash_runway_months": (0, math.inf),
                  "days_since_contact": (0, math.inf), "stakeholders": (0, math.inf),
                  "days_to_renewal": (-math.inf, math.inf)}
CATEGORIES = ["Month-to-month", "One year", "Two year", "Fiber optic", "DSL", "O'Brien",
              'say "hi"', "Zürich", "日本", "back\\slash", "3", "7", "tab\there", "x" * 40]


def g15(x):
    """A number as risk_fit writes it: 15 significant digits, read back as a float."""
    return float("%.15g" % x)


def _numeric_factor(rng, name):
    lo, hi = BUILTIN_RANGES.get(name, (-50, 500))
    lo, hi = max(lo, -50), min(hi, 500)
    nbins = rng.choice([1, 2, 3, 5, 8])
    edges = sorted({g15(rng.uniform(lo, hi)) if hi - lo <= 1 else
                    g15(round(rng.uniform(lo, hi), rng.choice([0, 2])))
                    for _ in range(nbins - 1)})
    bins = []
    for i in range(len(edges) + 1):
        b = {}
        if i == 0 and edges:
            b["bin"] = "<= %.15g" % edges[0]
        elif i == len(edges) and edges:
            b["bin"] = "> %.15g" % edges[-1]
        elif edges:
            b["bin"] = "%.15g < x <= %.15g" % (edges[i - 1], edges[i])
        else:
            b["bin"] = "all"
        if i > 0:
            b["lower"] = edges[i - 1]
        if i < len(edges):
            b["upper"] = edges[i]
        bins.append(b)
    return {"factor": name, "kind": "numeric", "bins": bins}, edges


def _categorical_factor(rng, name):
    values = rng.sample(CATEGORIES, rng.randint(1, 6))
    bins = [{"bin": v, "value": v} for v in values]
    if rng.random() < 0.6:
        bins.append({"bin": "other", "other": True})
    return {"factor": name, "kind": "categorical", "bins": bins}, values


def random_model(rng, names, kinds):
    """A model over factors `names` (kinds[i]: 'numeric' or 'categorical')."""
    factors = []
    for name, kind in zip(names, kinds):
        f, _ = (_numeric_factor if kind == "numeric" else _categorical_factor)(rng, name)
        if rng.random() < 0.5:
            f["bins"].append({"bin": "missing", "missing": True})
        single = len(f["bins"]) == 1
        for b in f["bins"]:
            b["accounts"] = rng.randint(1, 5000)
            b["outcome_rate"] = g15(rng.random())
            b["points"] = 0.0 if single else g15(rng.gauss(0, 1))
        # keys in the spec's order: bin, lower, upper, value, other, missing, accounts, ...
        order = ["bin", "lower", "upper", "value", "other", "missing", "accounts",
                 "outcome_rate", "points"]
        f["bins"] = [{k: b[k] for k in order if k in b} for b in f["bins"]]
        factors.append(f)
    accounts = rng.randint(100, 10000)
    outcomes = rng.randint(1, accounts - 1)
    return {"model": "portfolio-risk-scorecard", "version": 1, "accounts": accounts,
            "outcomes": outcomes, "outcome_rate": g15(outcomes / accounts),
            "intercept": g15(rng.gauss(-1, 0.5)), "factors": factors,
            "fit": {"iterations": 7, "log_loss": 0.41, "auc": 0.8, "bins": 5,
                    "min_share": 0.05, "l2": 1.0}}


def model_text(model):
    return json.dumps(model, ensure_ascii=False)


def random_value(rng, factor):
    """A value for factor (a model factor dict); None is SQL NULL."""
    r = rng.random()
    if r < 0.08:
        return None
    if r < 0.12:
        return ""
    if factor["kind"] == "categorical":
        known = [b["value"] for b in factor["bins"] if "value" in b]
        r = rng.random()
        if r < 0.6:
            return rng.choice(known)
        if r < 0.7 and "3" in known:
            return 3  # an INTEGER is read as its text '3'
        return rng.choice(["unseen", "month-to-month", "Zurich", " DSL", "4"])
    edges = [b["upper"] for b in factor["bins"] if "upper" in b]
    lo, hi = BUILTIN_RANGES.get(factor["factor"], (-1e6, 1e6))
    r = rng.random()
    if edges and r < 0.3:
        v = rng.choice(edges)  # exactly on an edge: it belongs to the bin below
    elif r < 0.4:
        v = max(lo, min(hi, rng.choice([-1e5, 1e5, -60, 600])))  # beyond the fitted range
    else:
        v = rng.uniform(max(lo, -60), min(hi, 600))
    if factor["factor"] == "stakeholders" or rng.random() < 0.2:
        v = float(max(math.ceil(lo) if lo > -math.inf else -60, round(v)))
        v = int(v) if rng.random() < 0.5 else v
    if rng.random() < 0.15:
        return "%.17g" % v  # numeric TEXT, as a CSV import stores it
    return v


def is_missing(v):
    return v is None or v == ""


def bin_of(factor, v):
    """The index of the bin the value falls in, or None (0 points)."""
    bins = factor["bins"]
    missing = [i for i, b in enumerate(bins) if b.get("missing")]
    if is_missing(v):
        return missing[0] if missing else None
    if factor["kind"] == "categorical":
        text = v if isinstance(v, str) else str(v)
        for i, b in enumerate(bins):
            if b.get("value") == text:
                return i
        other = [i for i, b in enumerate(bins) if b.get("other")]
        return other[0] if other else None
    x = float(v)
    ranges = [i for i, b in enumerate(bins) if not b.get("missing") and not b.get("other")]
    for i in ranges:
        if "upper" not in bins[i] or x <= bins[i]["upper"]:
            return i
    return ranges[-1] if ranges else None


def log_odds(model, values):
    """values: factor name (lower case) -> value; absent factors are missing."""
    z = model["intercept"]
    for f in model["factors"]:
        b = bin_of(f, values.get(f["factor"].lower()))
        if b is not None:
            z += f["bins"][b]["points"]
    return z


def probability(z):
    return 1.0 / (1.0 + math.exp(-z))
