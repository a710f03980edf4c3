#!/usr/bin/env bash
# SQLAlchemy as a host (what Superset and pandas.read_sql use), with Debian's
# python3-sqlalchemy: a "connect" event listener loads the extension into every new DBAPI
# connection of the engine's pool. Checked:
#   1. one query of every kind through the engine, concentration(...) included
#      (tests/host_queries.py computes the expected answers);
#   2. pandas.read_sql of concentration(...) gives the same table;
#   3. two connections open at once, and a connection made after engine.dispose(), all have
#      the functions (the listener runs per connection, not once).
set -u
. "$(dirname "$0")/lib.sh"
need_ext
/usr/bin/python3 -c 'import sqlalchemy, pandas' 2>/dev/null ||
  { echo "skipped: needs python3-sqlalchemy and python3-pandas (tests/install-deps.sh)"; exit 77; }
make_tmp
exec /usr/bin/python3 - "$PORTFOLIO_EXT" "$tmp/portfolio.db" <<'PY'
import sys
sys.path.insert(0, "tests")
import pandas
import sqlalchemy
from sqlalchemy import create_engine, event, text
import host_queries

extension, database = sys.argv[1], sys.argv[2]
engine = create_engine(f"sqlite:///{database}")

@event.listens_for(engine, "connect")
def load_portfolio(dbapi_connection, connection_record):
    dbapi_connection.enable_load_extension(True)
    dbapi_connection.load_extension(extension)
    dbapi_connection.enable_load_extension(False)

def execute(sql):
    with engine.begin() as conn:
        result = conn.execute(text(sql))
        return result.fetchall() if result.returns_rows else []

label = f"SQLAlchemy {sqlalchemy.__version__}"
failures = host_queries.run(execute, label)

want = next(w for name, _, w in host_queries.expected() if name == "concentration")
frame = pandas.read_sql("SELECT rank, customer, amount, share, cumulative_share FROM "
                        "concentration('SELECT customer, amount FROM inv')", engine)
got = [[int(r[0]), r[1], float(r[2]), float(r[3]), float(r[4])] for r in frame.itertuples(index=False)]
ok = list(frame.columns) == ["rank", "customer", "amount", "share", "cumulative_share"] and \
    host_queries.same(got, want)
print(f"{label}: {'ok  ' if ok else 'FAIL'} pandas {pandas.__version__} read_sql(concentration)"
      + ("" if ok else f": {frame}"))
failures += not ok

hhi = "SELECT herfindahl(column1) FROM (VALUES (30), (30), (20), (20))"
with engine.connect() as first, engine.connect() as second:
    both = [first.execute(text(hhi)).scalar(), second.execute(text(hhi)).scalar()]
engine.dispose()
with engine.connect() as fresh:
    both.append(fresh.execute(text(hhi)).scalar())
ok = both == [2600.0, 2600.0, 2600.0]
print(f"{label}: {'ok  ' if ok else 'FAIL'} two pooled connections and one after dispose(): {both}")
failures += not ok
sys.exit(1 if failures else 0)
PY
