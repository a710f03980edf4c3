#!/usr/bin/env bash
# Real data: the concentration measures over the UCI Online Retail transactions
# (../shared/data/online-retail, see its README), checked against an independent computation
# in pandas (tests/real_data.py). Skipped, by name, when the data folder is not there.
# Needs PORTFOLIO_EXT (the built extension without suffix) and Debian's python3-pandas.
set -u
cd "$(dirname "$0")/.."
data=../shared/data/online-retail
if [ ! -d "$data" ]; then
  echo "SKIPPED: real_data (../shared/data/online-retail not present)"
  exit 77
fi
if [ -z "${PORTFOLIO_EXT:-}" ]; then
  echo "FAIL: PORTFOLIO_EXT is not set (the built extension without suffix; make test sets it)"
  exit 1
fi
# Debian's python3: the python3 first on PATH may lack enable_load_extension.
exec /usr/bin/python3 tests/real_data.py "$data/online_retail.csv" "$PORTFOLIO_EXT"
