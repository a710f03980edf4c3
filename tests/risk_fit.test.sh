#!/usr/bin/env bash
# risk_fit against a second implementation in numpy (tests/scorecard_reference.py), driven by
# tests/risk_fit_check.py: bin edges and pooling on hand-made data (worked by hand in its
# comments), points, intercept, log-loss and AUC to 1e-6 on generated data with every kind
# of factor and option, the spec's key order, and the same model after shuffling the rows.
# Needs PORTFOLIO_EXT (the built extension without suffix); Debian's /usr/bin/python3 with
# python3-numpy (tests/install-deps.sh).
set -u
. "$(dirname "$0")/lib.sh"
need_ext
export PORTFOLIO_EXT
exec /usr/bin/python3 tests/risk_fit_check.py
