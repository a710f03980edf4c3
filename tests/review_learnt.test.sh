#!/usr/bin/env bash
# The review's learnt-risk part (sql/review.sql, between "-- @begin learnt-risk" and
# "-- @end learnt-risk") on the sample, its figures recomputed here independently:
#   - the model is risk_fit on the 70 % of account_history with customer_id % 10 < 7; this
#     test scores the other 30 % with the Python scorer of tests/risk_model_reference.py and
#     computes both AUCs with scikit-learn's roc_auc_score: the review's must match to 0.0005;
#     the top-10 % lifts are recomputed here (ties at the cut counted in proportion) to 0.005;
#   - the scorecard box lists every factor of the model with every bin's points;
#   - the expected loss over all accounts is revenue x the Python probability, summed;
#   - without an account_history table the review says so, shows no learnt figure, and
#     fails nowhere (and leaves no table behind).
set -u
. "$(dirname "$0")/lib.sh"
need_ext
if ! /usr/bin/python3 -c "import sklearn" 2>/dev/null; then
  echo "skipped: needs python3-sklearn (tests/install-deps.sh installs it)"; exit 77
fi
make_tmp
sqlite3 -bail "$tmp/sample.db" < sql/sample.sql || { echo "FAIL: sql/sample.sql"; exit 1; }
cp "$tmp/sample.db" "$tmp/nohistory.db"
sqlite3 "$tmp/nohistory.db" "DROP TABLE account_history" || exit 1
for db in sample nohistory; do
  sqlite3 -bail -cmd ".load $PORTFOLIO_EXT" "$tmp/$db.db" < sql/review.sql \
    > "$tmp/$db.txt" 2>&1 || { tail -5 "$tmp/$db.txt"; echo "FAIL: the review on $db"; exit 1; }
done
exec /usr/bin/python3 - "$tmp" "$PORTFOLIO_EXT" <<'PY'
import json, sqlite3, sys
sys.path.insert(0, "tests")
import risk_model_reference as ref
from sklearn.metrics import roc_auc_score

tmp, ext = sys.argv[1], sys.argv[2]
problems = []
def check(ok, what):
    print(("ok:   " if ok else "FAIL: ") + what)
    if not ok:
        problems.append(what)

def top_lift(scores, outcomes, fraction):
    """Churn rate among the fraction scored highest over the overall rate; the accounts tied
    at the cut count in proportion to the places left."""
    groups = {}
    for s, y in zip(scores, outcomes):
        groups.setdefault(s, []).append(y)
    places, caught = fraction * len(scores), 0.0
    for s in sorted(groups, reverse=True):
        take = min(places, len(groups[s]))
        caught += take * sum(groups[s]) / len(groups[s])
        places -= take
        if places <= 0:
            break
    return (caught / (fraction * len(scores))) / (sum(outcomes) / len(outcomes))

def box(text, title):
    """The rows of the box printed after the line starting with title: lists of cells. When a
    cell wraps, the shell draws a line between all rows and a row spans several lines."""
    part = text.split("\n" + title, 1)[1].split("\n\n", 1)[0]
    lines = part.split("\n")
    body = lines[lines.index(next(l for l in lines if l.startswith("├"))) + 1:]
    spans = any(l.startswith("├") for l in body)
    rows, cur = [], None
    for line in body:
        if line.startswith("│"):
            cells = [c.strip() for c in line.strip("│").split("│")]
            cur = cells if cur is None else [a + (" " if a and b else "") + b
                                              for a, b in zip(cur, cells)]
            if not spans:
                rows.append(cur)
                cur = None
        elif cur is not None:
            rows.append(cur)
            cur = None
    return rows

review = open(tmp + "/sample.txt", encoding="utf-8").read()
con = sqlite3.connect(tmp + "/sample.db")
con.enable_load_extension(True)
con.load_extension(ext)
FIT = ("'adoption', adoption, 'stakeholders', stakeholders_contacted, 'days_since_contact', "
       "days_since_contact, 'days_to_renewal', days_to_renewal, 'industry', industry, 'plan', "
       "plan, 'support_tickets', support_tickets, 'monthly_charge', monthly_charge")
model = json.loads(con.execute("SELECT risk_fit(churned, %s) FROM account_history"
                               " WHERE customer_id %% 10 < 7" % FIT).fetchone()[0])
held = con.execute("SELECT adoption, stakeholders_contacted, days_since_contact, days_to_renewal,"
                   " industry, plan, support_tickets, monthly_charge, churned,"
                   " risk_score('adoption', adoption, 'stakeholders', stakeholders_contacted,"
                   " 'days_since_contact', days_since_contact, 'days_to_renewal',"
                   " days_to_renewal, 'industry', industry)"
                   " FROM account_history WHERE customer_id % 10 >= 7").fetchall()
names = ["adoption", "stakeholders", "days_since_contact", "days_to_renewal", "industry", "plan",
         "support_tickets", "monthly_charge"]
learnt = [ref.probability(ref.log_odds(model, dict(zip(names, h[:8])))) for h in held]
y = [h[8] for h in held]
auc_learnt, auc_default = roc_auc_score(y, learnt), roc_auc_score(y, [h[9] for h in held])
(row,) = box(review, "Learnt risk:")
check(row[0] == "2,100 accounts fitted, 900 held out", "history line: %s" % row[0])
check(abs(float(row[1]) - auc_learnt) < 0.0005, "AUC learnt %s (scikit-learn %.4f)" %
      (row[1], auc_learnt))
check(abs(float(row[2]) - auc_default) < 0.0005, "AUC default %s (scikit-learn %.4f)" %
      (row[2], auc_default))
lift_learnt, lift_default = top_lift(learnt, y, 0.1), top_lift([h[9] for h in held], y, 0.1)
check(abs(float(row[3]) - lift_learnt) < 0.005, "top-10 %% lift learnt %s (Python %.4f)" %
      (row[3], lift_learnt))
check(abs(float(row[4]) - lift_default) < 0.005, "top-10 %% lift default %s (Python %.4f)" %
      (row[4], lift_default))
check(auc_learnt > auc_default, "the learnt model ranks churners better than the default")

card = {r[0]: r[1] for r in box(review, "Learnt scorecard:")}
check(sorted(card) == sorted(f["factor"] for f in model["factors"]), "one row per factor")
for f in model["factors"]:
    want = "; ".join("%s %+.2f" % (b["bin"], b["points"]) for b in f["bins"])
    check(card.get(f["factor"], "").replace(" ", "") == want.replace(" ", ""),
          "scorecard of %s" % f["factor"])

accounts = con.execute("SELECT adoption, stakeholders_contacted, days_since_contact,"
                       " CAST(julianday(renewal_date) - julianday('2025-06-30') AS INTEGER),"
                       " industry, current_revenue FROM accounts").fetchall()
loss = sum(a[5] * ref.probability(ref.log_odds(model, dict(zip(names, a[:5]))))
           for a in accounts)
rows = box(review, "Revenue at risk from the learnt probabilities")
total = rows[-1]
check(total[0] == "all 2,000 accounts", "the total row covers every account")
check(abs(int(total[3].replace(",", "")) - loss) <= 1, "expected loss %s (Python %.0f)" %
      (total[3], loss))

bare = open(tmp + "/nohistory.txt", encoding="utf-8").read()
said = box(bare, "Learnt risk:")
check(said == [["no account_history table: default risk model kept", "", "", "", ""]],
      "without history the review says so: %r" % said)
check("Error" not in bare and "error" not in bare, "without history nothing fails")
tables = {r[0] for r in sqlite3.connect(tmp + "/nohistory.db").execute(
    "SELECT name FROM sqlite_schema WHERE type = 'table'")}
check("account_history" not in tables, "the review created no account_history table")
sys.exit(1 if problems else 0)
PY
