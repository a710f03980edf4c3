#!/usr/bin/env bash
# auc and lift against second implementations: scikit-learn's roc_auc_score (Debian's
# python3-sklearn) and a lift written from the spec with exact fractions, on 60 random data
# sets (seeded): scores with many ties (rounded to 1 decimal), some integer, some numeric
# TEXT, NULLs skipped, sizes 2 to 5,000, fractions 0.05 to 1. AUC within 1e-12, lift 1e-12.
# Needs PORTFOLIO_EXT (the built extension without suffix); uses Debian's /usr/bin/python3.
set -u
. "$(dirname "$0")/lib.sh"
need_ext
exec /usr/bin/python3 - "$PORTFOLIO_EXT" <<'PY'
import random, sys
from fractions import Fraction as F
from sklearn.metrics import roc_auc_score

sys.path.insert(0, "tests")
from checklib import connect

con = connect(sys.argv[1])
con.execute("CREATE TABLE r(s, o)")

def lift_reference(rows, fraction):
    """Outcome rate among the top fraction x n rows (ties at the cut in proportion)."""
    n, n1 = len(rows), sum(o for _, o in rows)
    target = F(fraction * n)  # the spec's cut, fraction x n in double
    groups = {}
    for s, o in rows:
        g = groups.setdefault(F(s), [0, 0])
        g[0] += 1
        g[1] += o
    taken, positives = F(0), F(0)
    for s in sorted(groups, reverse=True):
        size, pos = groups[s]
        if taken + size <= target:
            taken += size
            positives += pos
        else:
            positives += F(pos) * (target - taken) / size
            break
        if taken >= target:
            break
    return float((positives / target) / F(n1, n))

rng = random.Random(20261202)
failures, checked = 0, 0
for case in range(60):
    n = rng.choice([2, 3, 10, 57, 400, 5000])
    rows = []
    while True:
        rows = [(round(rng.gauss(0, 1), 1) if case % 3 else rng.randint(-5, 5),
                 1 if rng.random() < 0.3 else 0) for _ in range(n)]
        if 0 < sum(o for _, o in rows) < n:
            break
    fraction = rng.choice([0.05, 0.1, 0.25, 0.3, 0.5, 0.77, 1.0])
    con.execute("DELETE FROM r")
    stored = [(str(s) if i % 5 == 0 else s, o) for i, (s, o) in enumerate(rows)]
    con.executemany("INSERT INTO r VALUES (?, ?)", stored + [(None, 1), (0.3, None)])
    got_auc, got_lift = con.execute("SELECT auc(s, o), lift(s, o, ?) FROM r",
                                    (fraction,)).fetchone()
    want_auc = roc_auc_score([o for _, o in rows], [s for s, _ in rows])
    want_lift = lift_reference(rows, fraction)
    checked += 1
    for name, got, want in (("auc", got_auc, want_auc), ("lift", got_lift, want_lift)):
        if abs(got - want) > 1e-12 * max(1, abs(want)):
            failures += 1
            print(f"FAIL: case {case} (n={n}, fraction={fraction}): {name} {got!r}, want {want!r}")
print(f"ranking_reference: {checked} data sets, auc against sklearn, lift against Fractions")
sys.exit(1 if failures else 0)
PY
