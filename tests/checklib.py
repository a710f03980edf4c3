"""What the Python checks of tests/ share: counting checks, loading the extension, and
reading the UCI Online Retail CSV (../shared/data/online-retail) into SQLite.

Imported by tests/movements_online_retail.py, tests/movements_reference.py, tests/real_data.py
and the Python of exact_oracle, ranking_reference, risk_learnt and risk_reference.test.sh (run
with Debian's /usr/bin/python3 from the top of the tree); psql() by the PostgreSQL comparisons
(pg_compare.py, pg_numeric_exact.py, pg_real_exact.py).
"""
import csv
import sqlite3
import subprocess
import sys
from decimal import Decimal

failures = []
passes = 0


def check(name, ok, detail=""):
    global passes
    if ok:
        passes += 1
    else:
        failures.append(name)
        print(f"FAIL: {name} {detail}")


def summary(prefix=""):
    """Prints how many checks passed and failed; the exit status: 1 if any failed."""
    print(f"{prefix}{passes} checks passed, {len(failures)} failed")
    return 1 if failures else 0


def connect(ext):
    """An in-memory connection with the extension at ext (no suffix) loaded."""
    if not hasattr(sqlite3.Connection, "enable_load_extension"):
        raise SystemExit("FAIL: this python3 cannot load extensions; run it with /usr/bin/python3")
    db = sqlite3.connect(":memory:")
    db.enable_load_extension(True)
    db.load_extension(ext)
    db.enable_load_extension(False)
    return db


def milli(prices):
    """'2.55' -> 2550, '-11062.06' -> -11062060: exact thousandths of a pound. Parsed once
    per distinct price (a few thousand), then mapped."""
    exact = {}
    for text in prices.unique():
        value = Decimal(text) * 1000
        if value != value.to_integral_value():
            raise SystemExit(f"FAIL: price {text!r} has more than 3 decimals")
        exact[text] = int(value)
    return prices.map(exact).astype("int64")


def load_csv(db, path, table, columns):
    """The CSV at path into a new table, with Python's csv module: columns are (header in the
    file, column declaration, conversion of the field) in the table's order."""
    db.execute(f"CREATE TABLE {table}({', '.join(decl for _, decl, _ in columns)})")
    with open(path, newline="", encoding="utf-8") as f:
        reader = csv.reader(f)
        header = next(reader)
        fields = [(header.index(name), convert) for name, _, convert in columns]
        db.executemany(f"INSERT INTO {table} VALUES ({', '.join('?' * len(columns))})",
                       (tuple(convert(r[i]) for i, convert in fields) for r in reader))
    return db


def psql(sql, stdin=None):
    """Runs sql in psql on the server of the environment (PGHOST, PGPORT...); its rows as text
    ("|" between columns), or exits with psql's error."""
    out = subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-At", "-F", "|",
                          "-c", sql], input=stdin, capture_output=True, text=True)
    if out.returncode != 0:
        sys.exit("psql failed: " + out.stderr)
    return out.stdout.strip()
