"""A second implementation of risk_fit (spec/sql-api.md, "Learning the risk model from
history"), written independently of ext/core/scorecard_*.c with numpy, for the tests.

    fit(rows, factors, bins=5, min_share=0.05, l2=1.0, monotone=())

rows: (outcome, [value per factor]) with values None (missing), int, float or str.
Returns the model as a Python dict with the keys the spec lists, in its order.

Rules implemented (the same as docs/risk-learning.md describes):
  - numeric factor: every value is a number (or TEXT that reads as one); else categorical,
    and then numbers read as their text (int -> '12', float -> '12.0');
  - numeric bins: cut k (1..bins-1) after the distinct value whose cumulative count c is
    nearest k*n/bins (lowest on a tie); bins holding < min_share * N rows pooled, smallest
    first (leftmost on a tie) into its smaller neighbour (left on a tie);
  - categorical: a bin per text with >= min_share * N rows (byte order), the rest 'other';
    a 'missing' bin last when there are missing values; one bin only: 0 points;
  - fit: log-loss + l2/2 * |bin coefficients|^2 by Newton on the dense one-hot matrix of
    the rows (not of patterns), intercept free; l2 = 0: first bin of each factor dropped;
  - points centred per factor by row-weighted mean; monotone: first violating adjacent
    pair merged per factor per round, direction from the sign of the covariance of bin
    order and outcome (rising when 0), refit until none.
"""
import math
import re

import numpy as np

NUMBER = re.compile(r"^[ \t\n\r]*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[ \t\n\r]*$")


def as_number(v):
    """(is_number, value, is_int) of a value as risk_fit reads it."""
    if isinstance(v, bool):
        raise TypeError(v)
    if isinstance(v, int):
        return True, float(v), True
    if isinstance(v, float):
        return True, v, False
    if NUMBER.match(v):
        d = float(v)
        if math.isfinite(d):
            integral = not re.search(r"[.eE]", v)
            return True, d, integral
    return False, None, False


def number_text(v):
    if isinstance(v, int):
        return str(v)
    s = "%.15g" % v
    if not re.search(r"[.eni]", s):
        s += ".0"
    return s


def fmt(d, is_int=False):
    return str(int(d)) if is_int else number_text(float(d))


def numeric_bins(values, ys, bins, least):
    """values: non-missing numbers (floats) with outcomes. Returns bins as dicts."""
    distinct = sorted(set(values))
    counts = {v: 0 for v in distinct}
    pos = {v: 0 for v in distinct}
    for v, y in zip(values, ys):
        counts[v] += 1
        pos[v] += y
    n = len(values)
    cum, c = [], 0
    for v in distinct[:-1]:
        c += counts[v]
        cum.append(c)
    cuts = []
    for k in range(1, bins):
        if not cum:
            break
        best = min(range(len(cum)), key=lambda j: (abs(cum[j] * bins - k * n), j))
        if not cuts or best + 1 > cuts[-1]:
            cuts.append(best + 1)
    edges = [0] + cuts + [len(distinct)]
    groups = [distinct[edges[i]:edges[i + 1]] for i in range(len(edges) - 1)]
    groups = [g for g in groups if g]
    out = [{"values": g, "rows": sum(counts[v] for v in g),
            "pos": sum(pos[v] for v in g)} for g in groups]
    while len(out) > 1:
        s = min(range(len(out)), key=lambda b: (out[b]["rows"], b))
        if not (out[s]["rows"] < least):
            break
        if s == 0:
            b = 0
        elif s == len(out) - 1:
            b = s - 1
        else:
            b = s if out[s + 1]["rows"] < out[s - 1]["rows"] else s - 1
        merge(out, b)
    return out


def merge(out, b):
    merged = dict(out[b + 1])
    merged.update(values=out[b]["values"] + out[b + 1]["values"],
                  rows=out[b]["rows"] + out[b + 1]["rows"], pos=out[b]["pos"] + out[b + 1]["pos"])
    out[b] = merged
    del out[b + 1]


def factor_bins(column, ys, bins, least):
    present = [(v, y) for v, y in zip(column, ys) if v is not None and v != ""]
    parsed = [as_number(v) for v, _ in present]
    categorical = any(not p[0] for p in parsed)
    missing = [y for v, y in zip(column, ys) if v is None or v == ""]
    if categorical:
        texts = [v if isinstance(v, str) else number_text(v) for v, _ in present]
        cats = sorted(set(texts), key=lambda t: t.encode())
        rows = {t: 0 for t in cats}
        pos = {t: 0 for t in cats}
        for t, (_, y) in zip(texts, present):
            rows[t] += 1
            pos[t] += y
        out = [{"kind": "value", "value": t, "rows": rows[t], "pos": pos[t]}
               for t in cats if rows[t] >= least]
        rare = [t for t in cats if rows[t] < least]
        if rare:
            out.append({"kind": "other", "values": rare, "rows": sum(rows[t] for t in rare),
                        "pos": sum(pos[t] for t in rare)})
        member = lambda b, v: (b["kind"] == "value" and b["value"] == v) or (
            b["kind"] == "other" and v in b["values"])
        keys = texts
    else:
        out = numeric_bins([p[1] for p in parsed], [y for _, y in present], bins, least)
        for b in out:
            b["kind"] = "range"
        member = lambda b, v: b["kind"] == "range" and v in b["values"]
        keys = [p[1] for p in parsed]
        # representative printed value of each distinct number: an integer first
        rep = {}
        for p in parsed:
            if p[1] not in rep or (p[2] and not rep[p[1]][1]):
                rep[p[1]] = (p[1], p[2])
        for b in out:
            b["rep_upper"] = rep[max(b["values"])]
    if missing:
        out.append({"kind": "missing", "rows": len(missing), "pos": sum(missing)})
    index = []
    it = iter(keys)
    for v in column:
        if v is None or v == "":
            index.append(len(out) - 1)
        else:
            k = next(it)
            index.append(next(i for i, b in enumerate(out) if member(b, k)))
    return {"categorical": categorical, "bins": out, "index": index}


def solve(facs, ys, l2):
    n = len(ys)
    cols = []
    for f in facs:
        f["params"] = []
        if len(f["bins"]) < 2:
            continue
        for b in range(len(f["bins"])):
            if l2 == 0 and b == 0:
                f["params"].append(None)
                continue
            f["params"].append(len(cols) + 1)
            cols.append((f, b))
    X = np.zeros((n, len(cols) + 1))
    X[:, 0] = 1
    for j, (f, b) in enumerate(cols):
        X[:, j + 1] = [1.0 if i == b else 0.0 for i in f["index"]]
    y = np.array(ys, dtype=float)
    pen = np.full(len(cols) + 1, l2)
    pen[0] = 0
    beta = np.zeros(len(cols) + 1)
    beta[0] = math.log(y.sum() / (n - y.sum()))
    for _ in range(200):
        eta = X @ beta
        mu = 1 / (1 + np.exp(-eta))
        g = X.T @ (mu - y) + pen * beta
        H = (X * (mu * (1 - mu))[:, None]).T @ X + np.diag(pen)
        step = np.linalg.solve(H, g)
        beta = beta - step
        if np.max(np.abs(step)) < 1e-13:
            break
    intercept = beta[0]
    for f in facs:
        coef = [beta[p] if p is not None else 0.0 for p in f["params"]] or [0.0] * len(f["bins"])
        if len(f["bins"]) < 2:
            coef = [0.0] * len(f["bins"])
        mean = sum(b["rows"] * c for b, c in zip(f["bins"], coef)) / n
        for b, c in zip(f["bins"], coef):
            b["points"] = c - mean if len(f["bins"]) >= 2 else 0.0
        intercept += mean if len(f["bins"]) >= 2 else 0.0
    return intercept


def auc(scores, ys):
    pos = [s for s, y in zip(scores, ys) if y == 1]
    neg = [s for s, y in zip(scores, ys) if y == 0]
    neg_sorted = np.sort(np.array(neg))
    u = 0.0
    for s in pos:
        below = np.searchsorted(neg_sorted, s, side="left")
        equal = np.searchsorted(neg_sorted, s, side="right") - below
        u += below + 0.5 * equal
    return u / (len(pos) * len(neg))


def range_bins(f):
    return [b for b in f["bins"] if b["kind"] == "range"]


def fit(rows, factors, bins=5, min_share=0.05, l2=1.0, monotone=()):
    ys = [int(y) for y, _ in rows]
    n = len(rows)
    least = min_share * n
    facs = []
    for i, name in enumerate(factors):
        f = factor_bins([r[1][i] for r in rows], ys, bins, least)
        f["name"] = name
        f["monotone"] = name.lower() in [m.lower() for m in monotone]
        facs.append(f)
    for f in facs:
        if f["monotone"]:
            rb = range_bins(f)
            nr = sum(b["rows"] for b in rb)
            yr = sum(b["pos"] for b in rb)
            cov = nr * sum(b["pos"] * i for i, b in enumerate(rb)) - yr * sum(
                b["rows"] * i for i, b in enumerate(rb))
            f["rising"] = cov >= 0
    while True:
        intercept = solve(facs, ys, l2)
        merged = False
        for f in facs:
            if not f["monotone"]:
                continue
            rb = range_bins(f)
            for b in range(len(rb) - 1):
                a, c = rb[b]["points"], rb[b + 1]["points"]
                if (c < a) if f["rising"] else (c > a):
                    merge(f["bins"], b)
                    f["index"] = [i - 1 if i > b else i for i in f["index"]]
                    merged = True
                    break
        if not merged:
            break
    return model_dict(facs, rows, ys, intercept, bins, min_share, l2)


def model_dict(facs, rows, ys, intercept, bins, min_share, l2):
    n = len(ys)
    eta = [intercept + sum(f["bins"][f["index"][r]]["points"] for f in facs) for r in range(n)]
    loss = sum(math.log1p(math.exp(e)) - y * e if e < 30 else e - y * e + math.log1p(math.exp(-e))
               for e, y in zip(eta, ys)) / n
    out = {"model": "portfolio-risk-scorecard", "version": 1, "accounts": n,
           "outcomes": sum(ys), "outcome_rate": sum(ys) / n, "intercept": intercept,
           "factors": []}
    for f in facs:
        jb = []
        ranges = range_bins(f)
        for b in f["bins"]:
            d = {}
            if b["kind"] == "range":
                i = ranges.index(b)
                lower = ranges[i - 1]["rep_upper"] if i > 0 else None
                upper = b["rep_upper"] if i < len(ranges) - 1 else None
                lo = fmt(*lower) if lower else None
                up = fmt(*upper) if upper else None
                d["bin"] = (f"{lo} < x <= {up}" if lo and up else f"<= {up}" if up
                            else f"> {lo}" if lo else "all values")
                if lower:
                    d["lower"] = int(lower[0]) if lower[1] else lower[0]
                if upper:
                    d["upper"] = int(upper[0]) if upper[1] else upper[0]
            elif b["kind"] == "value":
                d["bin"] = b["value"]
                d["value"] = b["value"]
            elif b["kind"] == "other":
                d["bin"] = "other"
                d["other"] = True
            else:
                d["bin"] = "missing"
                d["missing"] = True
            d["accounts"] = b["rows"]
            d["outcome_rate"] = b["pos"] / b["rows"]
            d["points"] = b["points"]
            jb.append(d)
        out["factors"].append({"factor": f["name"],
                               "kind": "categorical" if f["categorical"] else "numeric",
                               "bins": jb})
    out["fit"] = {"log_loss": loss, "auc": auc(eta, ys), "bins": bins,
                  "min_share": min_share, "l2": l2}
    return out
