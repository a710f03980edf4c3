#!/usr/bin/env bash
# revenue_movements, customer_movements and revenue_cohorts against a second implementation
# written from the spec in plain Python with exact fractions (tests/movements_reference.py):
# generated data with gaps, credit notes netting a period to zero or below, 400 periods,
# NULL and '' values, integers near 2^56, REAL and numeric TEXT amounts, every period type,
# each also in a random row order; and the two worked examples of issue 11 by hand.
# Needs PORTFOLIO_EXT (the built extension without suffix); uses Debian's /usr/bin/python3.
set -u
. "$(dirname "$0")/lib.sh"
need_ext
exec /usr/bin/python3 tests/movements_reference.py "$PORTFOLIO_EXT"
