"""One query of every kind, for every host the extension is loaded in (Python packages,
SQLAlchemy, Node, JDBC), with the expected answers computed here, independently of the
extension, in plain Python.

Rules:
  1. Each host first runs SETUP_SQL (one statement per line), then each query of QUERIES.
  2. A Python host calls run(execute), where execute(sql) returns the rows as a list of
     sequences or raises an exception whose text holds SQLite's message.
  3. Any other host prints one JSON object per line: {"name": ..., "rows": [[...], ...]} or
     {"name": ..., "error": "message"}; `host_queries.py check FILE` compares them.
     `host_queries.py setup` and `host_queries.py queries` print what such a host runs
     (queries as NAME<TAB>SQL, one per line).
  4. A check passes or fails on its own; the run fails when any check fails or is missing.
"""
import json
import math
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

ROWS = [(f"2025-{i % 3 + 1:02d}", f"c{(i * 7) % 13}", round(10 + (i * 37) % 101 * 1.25, 2))
        for i in range(60)]
SETUP_SQL = ["CREATE TABLE inv(id INTEGER PRIMARY KEY, month TEXT, customer TEXT, amount REAL)"] + [
    f"INSERT INTO inv(month, customer, amount) VALUES ('{m}', '{c}', {a!r})" for m, c, a in ROWS]


def source_version():
    """The version the C sources declare (the one #define PORTFOLIO_VERSION in ext/)."""
    for folder, _, files in os.walk(os.path.join(ROOT, "ext")):
        for name in files:
            text = open(os.path.join(folder, name), encoding="utf-8").read()
            found = re.search(r'#define\s+PORTFOLIO_VERSION\s+"([^"]+)"', text)
            if found:
                return found.group(1)
    raise SystemExit("host_queries: no #define PORTFOLIO_VERSION under ext/")


def totals_of(rows):
    totals = {}
    for _, customer, amount in rows:
        totals[customer] = totals.get(customer, 0) + amount
    return {c: t for c, t in totals.items() if t > 0}


def hhi(values):
    total = sum(values)
    return sum((100 * v / total) ** 2 for v in values)


def gini(values):
    xs, n = sorted(values), len(values)
    return sum((2 * i - n - 1) * x for i, x in enumerate(xs, 1)) / (n * sum(xs))


def expected():
    """(name, sql, expected rows or ('error', message)) for every kind of query."""
    totals = totals_of(ROWS)
    ranked = sorted(totals.items(), key=lambda kv: (-kv[1], kv[0]))
    grand = sum(totals.values())
    window = [hhi([a for _, _, a in ROWS[max(0, i - 2):i + 1]]) for i in range(len(ROWS))]
    cumulative, running = [], 0.0
    for _, t in ranked:
        running += t
        cumulative.append(running / grand)
    months = sorted({m for m, _, _ in ROWS})
    by_month = []
    for m in months:
        t = totals_of([r for r in ROWS if r[0] == m])
        by_month.append([m, len(t), hhi(t.values()), max(t.values()) / sum(t.values()),
                         gini(t.values())])
    # risk_score: adoption 0.25 -> risk 0.75 at weight 0.15, deployment 0.5 -> 0.5 at 0.10
    risk = 100 * (0.15 * 0.75 + 0.10 * 0.5) / 0.25
    return [
        ("version", "SELECT portfolio_version()", [[source_version()]]),
        ("aggregate", "SELECT herfindahl(column1) FROM (VALUES (30), (30), (20), (20))",
         [[2600.0]]),
        ("keyed aggregates", "SELECT herfindahl(customer, amount), top_share(customer, amount, 3),"
         " gini(customer, amount) FROM inv",
         [[hhi(totals.values()), sum(t for _, t in ranked[:3]) / grand, gini(totals.values())]]),
        ("window", "SELECT herfindahl(amount) OVER (ORDER BY id ROWS BETWEEN 2 PRECEDING AND "
         "CURRENT ROW) FROM inv ORDER BY id", [[w] for w in window]),
        ("concentration", "SELECT rank, customer, amount, share, cumulative_share FROM "
         "concentration('SELECT customer, amount FROM inv')",
         [[i + 1, c, t, t / grand, cumulative[i]] for i, (c, t) in enumerate(ranked)]),
        ("concentration_by", "SELECT period, customers, herfindahl, top1_share, gini FROM "
         "concentration_by('SELECT month, customer, amount FROM inv')", by_month),
        ("scalar", "SELECT hhi_band(1800), hhi_band(2500, 2010)",
         [["moderately concentrated", "moderately concentrated"]]),
        ("risk_score", "SELECT risk_score('adoption', 0.25, 'deployment', 0.5)", [[risk]]),
        ("risk_explain", "SELECT risk_explain('adoption', 0.25, 'deployment', 0.5)",
         ("json factors", ["adoption", "deployment"])),
        ("risk_model", "SELECT count(*) FROM risk_model", [[10]]),
        ("phase_of", "SELECT phase_of('deployment', 1, 'adoption', 0.8, 'expansion', 5000)",
         [["growth"]]),
        ("phases", "SELECT phase FROM phases ORDER BY ordinal",
         [["deployment"], ["defense"], ["maturation"], ["growth"]]),
        ("error", "SELECT top_share(amount, 0) FROM inv",
         ("error", "top_share: n must be a positive integer, got 0")),
    ]


def same(got, want):
    if isinstance(want, float):
        return isinstance(got, (int, float)) and math.isclose(got, want, rel_tol=1e-9,
                                                              abs_tol=1e-9)
    if isinstance(want, list):
        return (isinstance(got, (list, tuple)) and len(got) == len(want)
                and all(same(g, w) for g, w in zip(got, want)))
    return type(got) is type(want) and got == want


def verdict(want, rows=None, error=None):
    """None when the answer is right, else what is wrong."""
    if isinstance(want, tuple) and want[0] == "error":
        if error is not None and want[1] in error:
            return None
        return f"expected the error '{want[1]}', got " + (
            f"the error '{error}'" if error is not None else f"rows {rows!r}")
    if error is not None:
        return f"error '{error}'"
    if isinstance(want, tuple) and want[0] == "json factors":
        try:
            factors = [f["factor"] for f in json.loads(rows[0][0])["factors"]]
        except (TypeError, ValueError, KeyError, IndexError) as e:
            return f"not the risk_explain JSON ({e}): {rows!r}"
        return None if factors == want[1] else f"factors {factors}, expected {want[1]}"
    return None if same([list(r) for r in rows], want) else f"rows {rows!r}, expected {want!r}"


def report(results, host):
    """results: {name: (rows, error)}; prints one line per check; returns the failure count."""
    failures = 0
    for name, _, want in expected():
        if name not in results:
            problem = "no answer from the host"
        else:
            problem = verdict(want, *results[name])
        failures += problem is not None
        print(f"{host}: {'ok  ' if problem is None else 'FAIL'} {name}"
              + ("" if problem is None else f": {problem}"))
    return failures


def run(execute, host):
    """Runs the set-up and every query through execute(sql); returns the failure count."""
    for statement in SETUP_SQL:
        execute(statement)
    results = {}
    for name, sql, _ in expected():
        try:
            results[name] = ([list(r) for r in execute(sql)], None)
        except Exception as e:  # the host's own error type carries SQLite's message
            results[name] = (None, str(e))
    return report(results, host)


def main(argv):
    if argv[1:2] == ["setup"]:
        print("\n".join(SETUP_SQL))
    elif argv[1:2] == ["queries"]:
        print("\n".join(f"{name}\t{sql}" for name, sql, _ in expected()))
    elif len(argv) == 4 and argv[1] == "check":
        results = {}
        with open(argv[2], encoding="utf-8") as lines:
            for line in lines:
                if line.strip():
                    answer = json.loads(line)
                    results[answer["name"]] = (answer.get("rows"), answer.get("error"))
        return 1 if report(results, argv[3]) else 0
    else:
        sys.exit("usage: host_queries.py setup | queries | check RESULTS.jsonl HOST")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
