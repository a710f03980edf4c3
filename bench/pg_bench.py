"""bench/pg_bench.py (make bench-pg): keyed HHI over ROWS rows in PostgreSQL and SQLite.

Run inside a throw-away cluster (pg_virtualenv sets PGHOST/PGPORT). One data set, made by
the same formula in both hosts (customer = i*7919 mod 100003, amount = i*104729 mod 10000 -
500, integers). Times are minima of REPS runs in one session each (client wall clock; the
round trip is milliseconds against seconds), the configurations interleaved round by
round; ratios compare figures of this one run.
  1. herfindahl(customer, amount) with 2 parallel workers, with 1, and with none (leader
     only), the leader taking part in the scan (PostgreSQL's default); and with
     parallel_leader_participation = off, 2 workers against 1: on 2 cores the leader plus
     one worker already use both, so the clean speed-up of a second worker is this one.
  2. the pure-SQL GROUP BY form in the same server with 2 workers.
  3. the SQLite extension over the same rows (one core: SQLite has no parallel query).
Writes the section between <!-- pg:begin --> and <!-- pg:end --> of bench/RESULTS.md.
"""
import os
import platform
import re
import sqlite3
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROWS = int(os.environ.get("PG_BENCH_ROWS", "10000000"))
REPS = int(os.environ.get("PG_BENCH_REPS", "5"))
GEN = "(i * 7919) % 100003", "(i * 104729) % 10000 - 500"
KEYED = "SELECT herfindahl(customer, amount) FROM inv"
PURE = ("SELECT 10000 * sum(t * t) / (sum(t) * sum(t)) FROM (SELECT customer, "
        "sum(amount)::float8 AS t FROM inv GROUP BY customer HAVING sum(amount) > 0) g")


def psql(sql):
    out = subprocess.run(["psql", "-X", "-q", "-At", "-v", "ON_ERROR_STOP=1", "-c", sql],
                         capture_output=True, text=True)
    if out.returncode:
        sys.exit("psql: " + out.stderr)
    return out.stdout.strip()


def pg_once(sql, workers, leader=True):
    settings = (f"SET max_parallel_workers_per_gather = {workers}; "
                "SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; "
                f"SET parallel_leader_participation = {'on' if leader else 'off'}; ")
    t = time.perf_counter()
    value = psql(settings + sql).splitlines()[-1]
    return time.perf_counter() - t, float(value)


def pg_times(configs):
    """Minimum time of each (sql, workers, leader) over REPS rounds. The rounds interleave
    the configurations, so load from other work on a shared machine falls on all of them
    alike instead of on whichever ran during a busy spell."""
    best = {name: (None, None) for name in configs}
    for _ in range(REPS):
        for name, args in configs.items():
            t, value = pg_once(*args)
            b = best[name][0]
            best[name] = (t if b is None else min(b, t), value)
    return best


def sqlite_time():
    db = sqlite3.connect(":memory:")
    db.enable_load_extension(True)
    db.load_extension(os.path.join(ROOT, "portfolio"))
    db.execute("CREATE TABLE inv (customer INTEGER, amount INTEGER)")
    db.execute(f"WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < {ROWS}) "
               f"INSERT INTO inv SELECT {GEN[0]}, {GEN[1]} FROM s")
    best, value = None, None
    for _ in range(REPS):
        t = time.perf_counter()
        value = db.execute(KEYED).fetchone()[0]
        t = time.perf_counter() - t
        best = t if best is None else min(best, t)
    return best, value


def loadavg():
    return open("/proc/loadavg").read().strip() if os.path.exists("/proc/loadavg") else "?"


def main():
    load0 = loadavg()
    psql("CREATE EXTENSION IF NOT EXISTS portfolio; DROP TABLE IF EXISTS inv; "
         f"CREATE TABLE inv AS SELECT {GEN[0]} AS customer, ({GEN[1]})::bigint AS amount "
         f"FROM generate_series(1::bigint, {ROWS}) i")
    psql("VACUUM ANALYZE inv")
    plan = psql("SET max_parallel_workers_per_gather = 2; SET parallel_setup_cost = 0; "
                "EXPLAIN " + KEYED)
    assert "Partial Aggregate" in plan, plan
    best = pg_times({"keyed2": (KEYED, 2), "keyed1": (KEYED, 1), "keyed0": (KEYED, 0),
                     "off2": (KEYED, 2, False), "off1": (KEYED, 1, False),
                     "off0": (KEYED, 0, False), "pure2": (PURE, 2)})
    (keyed2, v2), (keyed1, v1), (keyed0, v0) = best["keyed2"], best["keyed1"], best["keyed0"]
    (off2, w2), (off1, w1), (off0, w0) = best["off2"], best["off1"], best["off0"]
    pure2, vp = best["pure2"]
    lite, vl = sqlite_time()
    assert v2 == v1 == v0 == vl == w2 == w1 == w0 and abs(vp - v2) <= 1e-9 * v2, (v2, v1, v0, vl, vp)
    load = loadavg()
    version = psql("SHOW server_version")
    lines = [
        "<!-- pg:begin -->",
        "## PostgreSQL (make bench-pg)",
        "",
        f"Written by `make bench-pg` (bench/pg_bench.py) on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: "
        f"keyed HHI over {ROWS:,} integer rows, 100,003 customers, PostgreSQL {version} "
        f"(throw-away cluster, default settings but parallel costs 0), SQLite {sqlite3.sqlite_version} "
        f"in-memory; minima of {REPS} interleaved rounds; {os.cpu_count()} CPUs ({platform.machine()}), "
        f"load average at the start {load0}, at the end {load}. All eight answers equal ({v2!r}).",
        "",
        "| query | seconds | ratio |",
        "|---|---:|---:|",
        f"| PostgreSQL `herfindahl(customer, amount)`, 2 workers | {keyed2:.3f} | 1.00 |",
        f"| PostgreSQL `herfindahl(customer, amount)`, 1 worker | {keyed1:.3f} | {keyed1 / keyed2:.2f} |",
        f"| PostgreSQL `herfindahl(customer, amount)`, no worker (leader only) | {keyed0:.3f} | {keyed0 / keyed2:.2f} |",
        f"| same, `parallel_leader_participation = off`, 2 workers | {off2:.3f} | {off2 / keyed2:.2f} |",
        f"| same, `parallel_leader_participation = off`, 1 worker | {off1:.3f} | {off1 / keyed2:.2f} |",
        f"| same, `parallel_leader_participation = off`, no worker (serial plan) | {off0:.3f} | {off0 / keyed2:.2f} |",
        f"| PostgreSQL pure-SQL GROUP BY form, 2 workers | {pure2:.3f} | {pure2 / keyed2:.2f} |",
        f"| SQLite extension `herfindahl(customer, amount)` (one core) | {lite:.3f} | {lite / keyed2:.2f} |",
        "",
        f"Parallel speed-up of 2 workers over 1 with the leader off: {off1 / off2:.2f}x (the "
        "clean figure: the leader only gathers and combines). With the leader taking part (the "
        f"default): 2 workers over 1 {keyed1 / keyed2:.2f}x, over the leader alone "
        f"{keyed0 / keyed2:.2f}x; on 2 cores the leader and one worker already fill both. The keyed aggregate is {pure2 / keyed2:.2f}x faster than the "
        "GROUP BY form in the same server. The machine is shared: other work runs in parallel.",
        "<!-- pg:end -->",
    ]
    path = os.path.join(ROOT, "bench", "RESULTS.md")
    text = open(path).read() if os.path.exists(path) else "# Benchmark results\n"
    section = "\n".join(lines)
    if "<!-- pg:begin -->" in text:
        text = re.sub(r"<!-- pg:begin -->.*<!-- pg:end -->", lambda m: section, text, flags=re.S)
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    open(path, "w").write(text)
    print(section)


if __name__ == "__main__":
    main()
