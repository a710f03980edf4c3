#!/usr/bin/env bash
# Real data: the monthly revenue movements of the UCI Online Retail transactions
# (../shared/data/online-retail) against a pandas computation (tests/movements_online_retail.py):
# the bridge's identity for every month, every sum, count, ratio, customer row and cohort cell.
# Skipped, by name, when the data folder is not there.
# Needs PORTFOLIO_EXT (the built extension without suffix) and Debian's python3-pandas.
set -u
cd "$(dirname "$0")/.."
data=../shared/data/online-retail
if [ ! -d "$data" ]; then
  echo "SKIPPED: movements_online_retail (../shared/data/online-retail not present)"
  exit 77
fi
if [ -z "${PORTFOLIO_EXT:-}" ]; then
  echo "FAIL: PORTFOLIO_EXT is not set (the built extension without suffix; make test sets it)"
  exit 1
fi
exec /usr/bin/python3 tests/movements_online_retail.py "$data/online_retail.csv" "$PORTFOLIO_EXT"
