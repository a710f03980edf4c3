#!/usr/bin/env bash
# Real data: the concentration measures over the UCI Online Retail transactions
# (../shared/data/online-retail, see its README), checked against an independent computation
# in pandas (tests/real_data.py). Skipped, by name, when the data folder is not there.
# Needs PORTFOLIO_EXT (the built extension without suffix) and Debian's python3-pandas.
set -u
. "$(dirname "$0")/lib.sh"
data=../shared/data/online-retail
need_data "$data" real_data
need_ext
# Debian's python3: the python3 first on PATH may lack enable_load_extension.
exec /usr/bin/python3 tests/real_data.py "$data/online_retail.csv" "$PORTFOLIO_EXT"
