#!/usr/bin/env bash
# revenue_movements, customer_movements and revenue_cohorts against a second implementation
# written from the spec in plain Python with exact fractions (tests/movements_reference.py):
# generated data with gaps, credit notes netting a period to zero or below, 400 periods,
# NULL and '' values, integers near 2^56, REAL and numeric TEXT amounts, every period type,
# each also in a random row order; and the two worked examples of issue 11 by hand.
# Needs PORTFOLIO_EXT (the built extension without suffix); uses Debian's /usr/bin/python3.
set -u
cd "$(dirname "$0")/.."
if [ -z "${PORTFOLIO_EXT:-}" ]; then
  echo "FAIL: PORTFOLIO_EXT is not set (the built extension without suffix; make test sets it)"
  exit 1
fi
exec /usr/bin/python3 tests/movements_reference.py "$PORTFOLIO_EXT"
