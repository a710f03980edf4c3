"""risk_fit speed (issue 9 point 7): risk_fit over 1,000,000 accounts with 8 factors, against
scikit-learn's LogisticRegression fitted on the same one-hot bins (its fit time alone, the
design already in memory as a sparse matrix), in the same run. Also SQLite's sum() over one
column of the same table, as the floor. Each is timed as wall time and as the process's CPU
time (time.process_time), minimum of 3 runs: on a shared machine the CPU time does not count
the waits for a core, so its ratio holds where the wall-time ratio swings with the load (both
fits run on one thread). Run by `make bench-risk-fit`; prints a Markdown section for
bench/RESULTS.md.

    /usr/bin/python3 bench/risk_fit_bench.py <extension without suffix> [accounts]
"""
import json
import sys
import time

import numpy as np
import scipy.sparse as sp
import sqlite3
from sklearn.linear_model import LogisticRegression

ext = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
rng = np.random.default_rng(20261202)
tenure = rng.integers(0, 73, n)
charge = np.round(rng.uniform(18, 120, n), 2)
plan = rng.choice(["basic", "plus", "pro", "enterprise", "legacy", "trial"], n,
                  p=[.4, .3, .15, .1, .03, .02])
tickets = rng.integers(0, 11, n).astype(object)
tickets[rng.random(n) < 0.1] = None
seats = rng.integers(1, 501, n)
area = rng.choice([f"r{i}" for i in range(10)], n)
usage = np.round(rng.random(n), 3)
contract = rng.choice(["monthly", "annual", "two-year"], n, p=[.5, .3, .2])
eta = (-1 - 0.03 * tenure + 0.012 * charge + 0.6 * (plan == "basic") - 1.2 * usage
       + 0.8 * (contract == "monthly") + 0.1 * np.where(tickets == None, 3, tickets).astype(float))
y = (rng.random(n) < 1 / (1 + np.exp(-eta))).astype(int)

db = sqlite3.connect(":memory:")
db.enable_load_extension(True)
db.load_extension(ext)
db.execute("CREATE TABLE h(y, tenure, charge, plan, tickets, seats, area, usage, contract)")
db.executemany("INSERT INTO h VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
               zip(y.tolist(), tenure.tolist(), charge.tolist(), plan.tolist(), tickets.tolist(),
                   seats.tolist(), area.tolist(), usage.tolist(), contract.tolist()))
names = ["tenure", "charge", "plan", "tickets", "seats", "area", "usage", "contract"]
query = "SELECT risk_fit(y, " + ", ".join(f"'{c}', {c}" for c in names) + ") FROM h"


def best(f, reps=3):
    walls, cpus, out = [], [], None
    for _ in range(reps):
        t, c = time.perf_counter(), time.process_time()
        out = f()
        walls.append(time.perf_counter() - t)
        cpus.append(time.process_time() - c)
    return min(walls), min(cpus), out


floor, floor_cpu, _ = best(lambda: db.execute("SELECT sum(charge) FROM h").fetchone())
fit_s, fit_cpu, text = best(lambda: db.execute(query).fetchone()[0])
model = json.loads(text)

# The same one-hot bins as columns of a sparse matrix (looked up from the model's bins).
columns = {"tenure": tenure, "charge": charge, "plan": plan, "tickets": tickets, "seats": seats,
           "area": area, "usage": usage, "contract": contract}
blocks, indexes = [], []
for f in model["factors"]:
    v = columns[f["factor"]]
    bins = f["bins"]
    idx = np.zeros(n, dtype=int)
    if f["kind"] == "numeric":
        missing = np.array([x is None for x in v]) if v.dtype == object else np.zeros(n, bool)
        num = np.where(missing, 0, v).astype(float)
        ranges = [b for b in bins if not b.get("missing")]
        uppers = [b["upper"] for b in ranges if "upper" in b]
        idx = np.searchsorted(np.array(uppers, float), num, side="left")
        idx[missing] = len(bins) - 1
    else:
        where = {b["value"]: k for k, b in enumerate(bins) if "value" in b}
        other = next((k for k, b in enumerate(bins) if b.get("other")), 0)
        idx = np.array([where.get(x, other) for x in v])
    indexes.append(idx)
    blocks.append(sp.csr_matrix((np.ones(n), (np.arange(n), idx)), shape=(n, len(bins))))
X = sp.hstack(blocks).tocsr()
patterns = len(np.unique(np.stack(indexes, axis=1), axis=0))
lr = LogisticRegression(C=1.0 / model["fit"]["l2"], max_iter=1000, tol=1e-8)
sk_s, sk_cpu, _ = best(lambda: lr.fit(X, y))

print(f"## risk_fit (bench/risk_fit_bench.py, `make bench-risk-fit`)\n")
print(f"{n:,} accounts x 8 factors (4 numeric, one with NULLs; 4 categorical), "
      f"{X.shape[1]} bins, {patterns:,} distinct bin patterns; minimum of 3 runs each "
      f"(scikit-learn: lbfgs, tol 1e-8).\n")
print("| query | wall s | CPU s | x sum() (CPU) | scikit-learn / risk_fit (wall, CPU) |")
print("|---|---:|---:|---:|---:|")
print(f"| SELECT sum(charge) (floor) | {floor:.3f} | {floor_cpu:.3f} | 1.00 | |")
print(f"| risk_fit, 8 factors ({model['fit']['iterations']} Newton steps) | {fit_s:.3f} | "
      f"{fit_cpu:.3f} | {fit_cpu / floor_cpu:.1f} | |")
print(f"| scikit-learn LogisticRegression.fit on the same one-hot bins | {sk_s:.3f} | "
      f"{sk_cpu:.3f} | {sk_cpu / floor_cpu:.1f} | {sk_s / fit_s:.2f}x, {sk_cpu / fit_cpu:.2f}x |")
print(f"\nTarget: risk_fit no slower than scikit-learn's fit: "
      f"{'holds' if fit_cpu <= sk_cpu else 'missed'} in CPU time ({sk_cpu / fit_cpu:.2f}x), "
      f"{'holds' if fit_s <= sk_s else 'missed'} in wall time ({sk_s / fit_s:.2f}x).")
