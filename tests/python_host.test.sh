#!/usr/bin/env bash
# Python as a host: Debian's /usr/bin/python3 sqlite3 module loads the built extension and
# runs a query of each kind (aggregate, keyed aggregate, window, table-valued, scalar, risk,
# phase, an error), each compared with a value computed here in Python or by hand.
set -u
. "$(dirname "$0")/lib.sh"
need_ext
need_python
exec /usr/bin/python3 - "$PORTFOLIO_EXT" <<'PY'
import json, sqlite3, sys
con = sqlite3.connect(":memory:")
if not hasattr(con, "enable_load_extension"):
    print("skipped: this Python's sqlite3 module cannot load extensions")
    sys.exit(77)
con.enable_load_extension(True)
con.load_extension(sys.argv[1])
con.enable_load_extension(False)
print(f"Python {sys.version.split()[0]}, SQLite {sqlite3.sqlite_version}")
failures = 0
def check(what, got, want, tol=1e-9):
    global failures
    ok = (abs(got - want) <= tol * max(1, abs(want)) if isinstance(want, float)
          else got == want)
    print(("ok:   " if ok else "FAIL: ") + f"{what}: {got!r}" + ("" if ok else f", expected {want!r}"))
    failures += not ok

rows = [(f"c{(i * 7) % 13}", round(10 + (i * 37) % 101 * 1.25, 2)) for i in range(60)]
con.execute("CREATE TABLE inv(id INTEGER PRIMARY KEY, customer TEXT, amount REAL)")
con.executemany("INSERT INTO inv(customer, amount) VALUES (?, ?)", rows)
def hhi(values):
    t = sum(values)
    return sum((100 * v / t) ** 2 for v in values)
totals = {}
for c, a in rows:
    totals[c] = totals.get(c, 0) + a

check("aggregate herfindahl 30/30/20/20",
      con.execute("SELECT herfindahl(column1) FROM (VALUES (30),(30),(20),(20))").fetchone()[0],
      2600.0)
check("keyed herfindahl(customer, amount)",
      con.execute("SELECT herfindahl(customer, amount) FROM inv").fetchone()[0],
      hhi(totals.values()))
ranked = sorted(totals.values(), reverse=True)
check("keyed top_share(customer, amount, 3)",
      con.execute("SELECT top_share(customer, amount, 3) FROM inv").fetchone()[0],
      sum(ranked[:3]) / sum(ranked))
got = [r[0] for r in con.execute(
    "SELECT herfindahl(amount) OVER (ORDER BY id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) "
    "FROM inv ORDER BY id")]
want = [hhi([a for _, a in rows[max(0, i - 2):i + 1]]) for i in range(len(rows))]
check("window herfindahl over a sliding 3-row frame (max error)",
      max(abs(g - w) for g, w in zip(got, want)), 0.0, tol=1e-9)
conc = con.execute("SELECT rank, customer, amount, share, cumulative_share "
                   "FROM concentration('SELECT customer, amount FROM inv')").fetchall()
order = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))
check("table-valued concentration: customers in order", [r[1] for r in conc],
      [k for k, _ in order])
check("table-valued concentration: last cumulative share", conc[-1][4], 1.0)
check("table-valued concentration: top share", conc[0][3], order[0][1] / sum(totals.values()))
check("scalar hhi_band(1800)", con.execute("SELECT hhi_band(1800)").fetchone()[0],
      "moderately concentrated")
check("scalar hhi_band(2500, 2010)", con.execute("SELECT hhi_band(2500, 2010)").fetchone()[0],
      "moderately concentrated")
# adoption 0.25 -> risk 0.75, weight 0.15; deployment 0.5 -> 0.5, weight 0.10
check("risk_score(adoption 0.25, deployment 0.5)",
      con.execute("SELECT risk_score('adoption', 0.25, 'deployment', 0.5)").fetchone()[0],
      100 * (0.15 * 0.75 + 0.10 * 0.5) / 0.25)
explain = json.loads(con.execute(
    "SELECT risk_explain('adoption', 0.25, 'deployment', 0.5)").fetchone()[0])
check("risk_explain: factors by contribution", [f["factor"] for f in explain["factors"]],
      ["adoption", "deployment"])
check("risk_model rows", con.execute("SELECT count(*) FROM risk_model").fetchone()[0], 10)
check("phase_of(deployment 1, adoption 0.8, expansion 5000)", con.execute(
    "SELECT phase_of('deployment', 1, 'adoption', 0.8, 'expansion', 5000)").fetchone()[0],
    "growth")
check("phases in order", [r[0] for r in con.execute("SELECT phase FROM phases ORDER BY ordinal")],
      ["deployment", "defense", "maturation", "growth"])
try:
    con.execute("SELECT top_share(amount, 0) FROM inv").fetchone()
    check("top_share(amount, 0) raises", None, "an error")
except sqlite3.OperationalError as e:
    check("top_share(amount, 0) raises", str(e), "top_share: n must be a positive integer, got 0")
sys.exit(1 if failures else 0)
PY
