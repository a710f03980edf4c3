#!/usr/bin/env bash
# Real data: the monthly revenue movements of the UCI Online Retail transactions
# (../shared/data/online-retail) against a pandas computation (tests/movements_online_retail.py):
# the bridge's identity for every month, every sum, count, ratio, customer row and cohort cell.
# Skipped, by name, when the data folder is not there.
# Needs PORTFOLIO_EXT (the built extension without suffix) and Debian's python3-pandas.
set -u
. "$(dirname "$0")/lib.sh"
data=../shared/data/online-retail
need_data "$data" movements_online_retail
need_ext
exec /usr/bin/python3 tests/movements_online_retail.py "$data/online_retail.csv" "$PORTFOLIO_EXT"
