/*
** gini.c: gini(amount) and gini(customer, amount), described for the measure engine
** (measure.h).
**
** The Gini coefficient of the customers' totals, population form: 0 when every customer
** holds the same, approaching 1 when one holds everything. One customer gives 0.
**   1. With the n positive totals x sorted ascending and ranks i = 1..n,
**      G = sum((2i - n - 1) * x_i) / (n * sum x) = (2 * sum(i * x_i) - (n + 1) * sum x)
**      / (n * sum x).
**   2. Over a list of totals: sorted (a radix sort) and summed, pf_gini. Over a keyed
**      window's ordered multiset: sum(i * x_i) and sum x are kept in its nodes as
**      double-doubles, so the difference above keeps about 106 bits before it is rounded.
*/
#include "measure.h"

static int gini_of_values(double *v, int64_t count, int64_t extra, double *out) {
  (void)extra;
  *out = pf_gini(v, count);
  return PF_OK;
}

static double gini_of_multiset(const pf_multiset *m, int64_t extra) {
  int64_t n = pf_multiset_count(m);
  pf_dd sum = pf_multiset_sum(m);
  pf_dd numerator = pf_dd_add(pf_dd_scale(pf_multiset_rank_sum(m), 2.0),
                              pf_dd_scale(sum, -(double)(n + 1)));
  (void)extra;
  return pf_dd_value(numerator) / ((double)n * pf_dd_value(sum));
}

const pf_measure pf_measure_gini = {
    .name = "gini",
    .of_values = gini_of_values,
    .of_multiset = gini_of_multiset,
};
