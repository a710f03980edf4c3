/*
** top_share.c: top_share(amount, n) and top_share(customer, amount, n), described for the
** measure engine (measure.h).
**
** The share (0-1) of the portfolio held by its n largest customers (concentration ratio
** CR_n).
**   1. n must be a positive integer (INTEGER, an integral REAL, or TEXT reading as one), the
**      same on every row; otherwise "top_share: n must be a positive integer, got X". A NULL
**      n is that error too: a missing n is a mistake, not an unknown.
**   2. Fewer than n customers gives 1.0.
**   3. Over a list of totals, the n largest are found with a size-n heap (pf_top_share);
**      over a keyed window's ordered multiset, the sum of the n largest is read from the
**      nodes' sums, O(log K).
*/
#include "measure.h"

static int top_share_of_values(double *v, int64_t count, int64_t n, double *out) {
  return pf_top_share(v, count, n, out);
}

static double top_share_of_multiset(const pf_multiset *m, int64_t n) {
  double share;
  if (pf_multiset_count(m) <= n) return 1.0;
  share = pf_dd_value(pf_multiset_top_sum(m, n)) / pf_dd_value(pf_multiset_sum(m));
  return share > 1.0 ? 1.0 : share;
}

const pf_measure pf_measure_top_share = {
    .name = "top_share",
    .extra_arg = "n",
    .of_values = top_share_of_values,
    .of_multiset = top_share_of_multiset,
};
