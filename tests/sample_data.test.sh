#!/usr/bin/env bash
# The sample portfolio (sql/sample.sql): plain SQL that needs no extension, the same database
# on every run, and the shape the review is meant to show: about 2,000 accounts and 100,000
# invoice lines over 24 months with a few credit notes, heavy-tailed revenue, one whale with
# 30-40 % of revenue, industries the risk model knows, renewals around the as-of date.
set -u
. "$(dirname "$0")/lib.sh"
need_ext
need_python
make_tmp
for run in 1 2; do
  sqlite3 -bail "$tmp/sample$run.db" < sql/sample.sql > "$tmp/out$run.txt" 2>&1 || {
    cat "$tmp/out$run.txt"; echo "FAIL: sql/sample.sql (run $run)"; exit 1; }
done
[ -s "$tmp/out1.txt" ] && { echo "FAIL: sql/sample.sql printed:"; cat "$tmp/out1.txt"; exit 1; }
if ! cmp -s <(sqlite3 "$tmp/sample1.db" .dump) <(sqlite3 "$tmp/sample2.db" .dump); then
  echo "FAIL: two runs of sql/sample.sql gave different databases"; exit 1
fi
exec /usr/bin/python3 - "$tmp/sample1.db" "$PORTFOLIO_EXT" <<'PY'
import datetime, sqlite3, sys
db, ext = sys.argv[1], sys.argv[2]
con = sqlite3.connect(db)
q = lambda sql: con.execute(sql).fetchall()
problems = []
def check(ok, what):
    print(("ok:   " if ok else "FAIL: ") + what)
    if not ok:
        problems.append(what)

as_of, months = q("SELECT as_of, period_months FROM review_settings")[0]
check((as_of, months) == ("2025-06-30", 12), f"as-of date {as_of}, period {months} months")
accounts = q("SELECT customer_id, industry, current_revenue, potential_revenue, renewal_date,"
             " customer_since FROM accounts")
invoices = q("SELECT customer_id, invoice_date, amount FROM invoices")
check(len(accounts) == 2000, f"{len(accounts)} accounts")
check(90_000 <= len(invoices) <= 115_000, f"{len(invoices):,} invoice lines")
credits = [r for r in invoices if r[2] < 0]
check(100 <= len(credits) <= 2000, f"{len(credits)} credit notes")
days = sorted(r[1] for r in invoices)
check(days[0] >= "2023-07-01" and days[-1] <= as_of, f"invoices from {days[0]} to {days[-1]}")
check({r[0] for r in invoices} == {a[0] for a in accounts}, "every account has invoices")

revenue = sorted((a[2] for a in accounts), reverse=True)
total = sum(revenue)
check(0.30 <= revenue[0] / total <= 0.40, f"whale: {revenue[0] / total:.1%} of current revenue")
first = "2024-07-01"
t12 = {}
for c, d, a in invoices:
    if first <= d <= as_of:
        t12[c] = t12.get(c, 0) + a
t12s = sorted(t12.values(), reverse=True)
check(0.30 <= t12s[0] / sum(t12s) <= 0.40,
      f"whale: {t12s[0] / sum(t12s):.1%} of the last 12 months' invoices")
rest = revenue[1:]
top_decile = sum(rest[:len(rest) // 10]) / sum(rest)
check(top_decile >= 0.4, f"heavy tail: the top 10 % of the other accounts hold {top_decile:.0%}")
check(rest[0] / rest[len(rest) // 2] >= 20, f"largest non-whale / median = "
      f"{rest[0] / rest[len(rest) // 2]:.0f}")
check(all(a[3] >= a[2] for a in accounts), "potential revenue >= current revenue")
low = sum(1 for a in accounts if a[2] / a[3] < 0.10)
check(20 <= low <= 300, f"{low} accounts with penetration below 10 %")
d0 = datetime.date.fromisoformat(as_of)
gaps = [(datetime.date.fromisoformat(a[4]) - d0).days for a in accounts]
check(min(gaps) >= -31 and max(gaps) <= 366, f"renewals {min(gaps)} to {max(gaps)} days away")
due = sum(1 for g in gaps if 0 <= g <= 90)
check(200 <= due <= 800, f"{due} renewals in the next 90 days")

con.enable_load_extension(True)
con.load_extension(ext)
known = {r[0].lower() for r in q("SELECT industry FROM risk_industries")}
used = {a[1] for a in accounts}
check(used <= known, f"{len(used)} industries, all in risk_industries"
      + ("" if used <= known else f" (unknown: {sorted(used - known)})"))
sys.exit(1 if problems else 0)
PY
