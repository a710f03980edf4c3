#!/usr/bin/env bash
# The sample's churn history (account_history in sql/sample.sql, documented in sql/schema.md)
# has something true for a learnt model to find, and a factor with nothing to find:
#   - 3,000 accounts observed on 2024-06-30, churn rate 25-45 %, 5 % of monthly_charge unknown;
#   - scikit-learn's logistic regression on the hidden rule's fields, fitted on the accounts
#     with an odd id and judged on the even ones, reaches a held-out AUC of at least 0.70, with
#     the signs of the hidden rule (adoption lowers churn, the Basic plan and few contacts
#     raise it);
#   - monthly_charge alone ranks churners no better than chance (AUC within 0.45-0.55).
# Independent of the extension: the figures come from scikit-learn (python3-sklearn).
set -u
. "$(dirname "$0")/lib.sh"
if ! /usr/bin/python3 -c "import sklearn, numpy" 2>/dev/null; then
  echo "skipped: needs python3-sklearn and python3-numpy (tests/install-deps.sh installs them)"
  exit 77
fi
make_tmp
sqlite3 -bail "$tmp/sample.db" < sql/sample.sql || { echo "FAIL: sql/sample.sql"; exit 1; }
exec /usr/bin/python3 - "$tmp/sample.db" <<'PY'
import sqlite3, sys
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

con = sqlite3.connect(sys.argv[1])
rows = con.execute("SELECT customer_id, observed_on, industry, plan, adoption,"
                   " stakeholders_contacted, days_since_contact, days_to_renewal,"
                   " support_tickets, monthly_charge, churned FROM account_history").fetchall()
problems = []
def check(ok, what):
    print(("ok:   " if ok else "FAIL: ") + what)
    if not ok:
        problems.append(what)

y = np.array([r[10] for r in rows])
check(len(rows) == 3000, "3,000 accounts in the history (%d)" % len(rows))
check({r[1] for r in rows} == {"2024-06-30"}, "all observed on 2024-06-30")
check(0.25 <= y.mean() <= 0.45, "churn rate %.3f within 25-45 %%" % y.mean())
missing = sum(r[9] is None for r in rows) / len(rows)
check(0.03 <= missing <= 0.07, "monthly_charge unknown for %.1f %% (about 5 %%)" % (100 * missing))

risky = {"travel", "aviation", "hospitality", "events"}
X = np.array([[r[4], r[5] <= 1, r[6], r[7] < 90, r[3] == "Basic", r[3] == "Enterprise", r[8],
               r[2] in risky] for r in rows], dtype=float)
train = np.array([r[0] % 2 == 1 for r in rows])
model = LogisticRegression(max_iter=1000).fit(X[train], y[train])
auc = roc_auc_score(y[~train], model.predict_proba(X[~train])[:, 1])
check(auc >= 0.70, "held-out AUC of the hidden rule's fields %.3f >= 0.70" % auc)
coef = dict(zip(["adoption", "few_contacts", "days_since_contact", "renewal_soon", "basic",
                 "enterprise", "tickets", "risky_industry"], model.coef_[0]))
check(coef["adoption"] < 0 and coef["basic"] > 0 and coef["few_contacts"] > 0 and
      coef["enterprise"] < 0, "signs as in the hidden rule: %s" %
      ", ".join("%s %.2f" % kv for kv in coef.items()))
known = [(r[9], r[10]) for r in rows if r[9] is not None]
charge_auc = roc_auc_score([o for _, o in known], [c for c, _ in known])
check(0.45 <= charge_auc <= 0.55, "monthly_charge alone: AUC %.3f, chance" % charge_auc)
sys.exit(1 if problems else 0)
PY
