#!/usr/bin/env bash
# risk_fit on real churn data: the Telco accounts of ../shared/data/telco-customer-churn/.
#   1. A fixed 70 % of the accounts (md5 of customerID, first 4 bytes mod 100 < 70: the same on
#      every machine) train a model with every Telco field as a factor; the other 30 % are
#      scored from the model JSON (bins looked up in Python as the spec says) and judged by
#      ROC AUC (Mann-Whitney, ties one half); the same AUC must come out of SQL, as
#      auc(risk_score('model', m, ...), y) over the held-out rows.
#   2. The reference: scikit-learn's LogisticRegression on the same fields (one-hot
#      categories, standardised numbers) fitted on the same 70 %. The learnt model must reach
#      an AUC of 0.84 and be within 0.01 of scikit-learn's.
#   3. Beside them, the default risk_score model with the factors mapped as a user would
#      (days_to_renewal from the contract, adoption from the six add-on services,
#      contract_year from tenure): printed, not judged, to show the gain.
# Skipped (exit 77) when the data folder is absent. Needs python3-sklearn and python3-pandas.
set -u
. "$(dirname "$0")/lib.sh"
data=../shared/data/telco-customer-churn/WA_Fn-UseC_-Telco-Customer-Churn.csv
if [ ! -f "$data" ]; then
  echo "SKIP telco: $data is absent"
  exit 77
fi
need_ext
exec /usr/bin/python3 - "$PORTFOLIO_EXT" "$data" <<'PY'
import csv, hashlib, json, sqlite3, sys
import numpy as np, pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

ext, path = sys.argv[1], sys.argv[2]
rows = list(csv.DictReader(open(path, newline="", encoding="utf-8")))
FIELDS = [f for f in rows[0] if f not in ("customerID", "Churn")]
NUMERIC = ["tenure", "MonthlyCharges", "TotalCharges"]
for r in rows:
    r["TotalCharges"] = r["TotalCharges"].strip()  # 11 accounts have ' ' (tenure 0)
    r["y"] = 1 if r["Churn"] == "Yes" else 0
    r["train"] = int.from_bytes(hashlib.md5(r["customerID"].encode()).digest()[:4], "big") % 100 < 70
train = [r for r in rows if r["train"]]
test = [r for r in rows if not r["train"]]

def auc(scores, ys):
    s = np.asarray(scores, float); y = np.asarray(ys)
    order = np.argsort(s, kind="mergesort")
    ranks = np.empty(len(s)); sorted_s = s[order]
    i = 0
    while i < len(s):
        j = i
        while j + 1 < len(s) and sorted_s[j + 1] == sorted_s[i]:
            j += 1
        ranks[order[i:j + 1]] = (i + j) / 2 + 1
        i = j + 1
    n1 = y.sum(); n0 = len(y) - n1
    return (ranks[y == 1].sum() - n1 * (n1 + 1) / 2) / (n1 * n0)

db = sqlite3.connect(":memory:")
db.enable_load_extension(True)
db.load_extension(ext)
cols = ", ".join(f'"{f}"' for f in FIELDS)
db.execute(f"CREATE TABLE telco(y, train, {cols})")
db.executemany(f"INSERT INTO telco VALUES ({', '.join('?' * (len(FIELDS) + 2))})",
               [[r["y"], r["train"]] + [r[f] for f in FIELDS] for r in rows])
args = ", ".join(f"'{f}', \"{f}\"" for f in FIELDS)
model_text = db.execute(f"SELECT risk_fit(y, {args}) FROM telco WHERE train").fetchone()[0]
model = json.loads(model_text)

def points(factor, value):
    bins = factor["bins"]
    if value is None or value == "":
        b = [b for b in bins if b.get("missing")]
        return b[0]["points"] if b else 0.0
    if factor["kind"] == "numeric":
        v = float(value)
        ranges = [b for b in bins if not b.get("missing")]
        for b in ranges:
            if ("lower" not in b or v > b["lower"]) and ("upper" not in b or v <= b["upper"]):
                return b["points"]
        return ranges[0]["points"] if v <= ranges[0].get("upper", v) else ranges[-1]["points"]
    for b in bins:
        if b.get("value") == value:
            return b["points"]
    b = [b for b in bins if b.get("other")]
    return b[0]["points"] if b else 0.0

by_name = {f["factor"]: f for f in model["factors"]}
learnt = [model["intercept"] + sum(points(by_name[f], r[f]) for f in FIELDS) for r in test]
ys = [r["y"] for r in test]
learnt_auc = auc(learnt, ys)
# The same judgement in SQL, as a user makes it: score the held-out rows with the model, auc().
sql_auc = db.execute(f"SELECT auc(risk_score('model', ?, {args}), y) FROM telco WHERE NOT train",
                     (model_text,)).fetchone()[0]

frame = pd.DataFrame(rows)
for f in NUMERIC:
    frame[f] = pd.to_numeric(frame[f], errors="coerce").fillna(0.0)
X = pd.get_dummies(frame[FIELDS], columns=[f for f in FIELDS if f not in NUMERIC]).astype(float)
is_train = frame["train"].to_numpy()
scaler = StandardScaler().fit(X[is_train])
lr = LogisticRegression(max_iter=5000).fit(scaler.transform(X[is_train]), frame["y"][is_train])
sk_auc = auc(lr.decision_function(scaler.transform(X[~is_train])), frame["y"][~is_train].to_numpy())

ADDONS = ["OnlineSecurity", "OnlineBackup", "DeviceProtection", "TechSupport", "StreamingTV",
          "StreamingMovies"]
RENEWAL = {"Month-to-month": 30, "One year": 180, "Two year": 365}
default = [db.execute("SELECT risk_score('days_to_renewal', ?, 'adoption', ?, 'contract_year', ?)",
                      (RENEWAL[r["Contract"]], sum(r[a] == "Yes" for a in ADDONS) / 6,
                       int(r["tenure"]) // 12 + 1)).fetchone()[0] for r in test]
default_auc = auc(default, ys)
print(f"telco: {len(train)} training accounts, {len(test)} held out; held-out ROC AUC: "
      f"risk_fit {learnt_auc:.4f}, scikit-learn {sk_auc:.4f}, default model {default_auc:.4f} "
      f"(fit: {model['fit']['iterations']} iterations, training AUC {model['fit']['auc']:.4f}); "
      f"in SQL, auc(risk_score('model', ...), y) = {sql_auc:.4f}")
ok = learnt_auc >= 0.84 and learnt_auc >= sk_auc - 0.01
if abs(sql_auc - learnt_auc) > 1e-9:
    ok = False
    print("FAIL telco: SQL auc() of risk_score('model', ...) differs from the Python scoring's AUC")
if not ok:
    print("FAIL telco: the learnt model's AUC must be >= 0.84 and within 0.01 of scikit-learn's")
sys.exit(0 if ok else 1)
PY
