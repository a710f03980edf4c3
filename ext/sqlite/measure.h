/*
** measure.h: a concentration measure, described once; the engine (measure_engine.c,
** measure_sums.c, measure_window.c) makes its SQL functions from the description.
**
** Included by: the measure descriptions (herfindahl.c, top_share.c, gini.c), the list
** (measures.c), the engine (measure_engine.h), and the tests that loop over every measure
** (test_exports.c, test_oom.c, test_window.c, test_sliding.c) only.
**
** What a description gives, and what the engine does with it:
**   1. `name`: the SQL name and the prefix of every error ("<name>: amount must be ...").
**   2. `extra_arg`: NULL, or the name of a trailing argument that must be a positive
**      integer, the same on every row (top_share's n). The engine reads and checks it.
**   3. One finaliser over the positive customer totals, in the form the measure needs:
**      `of_sums` when the measure is a function of their sum and sum of squares (HHI):
**        the engine then keeps running sums, O(1) a row and O(1) memory in the unkeyed form,
**        exact sums (pf_sqsums) in every form and its windows, kept up to date row by
**        row; such a measure takes no extra argument;
**      `of_values` otherwise: the engine hands it every positive total (v may be reordered),
**        and `of_multiset` answers the same over the ordered multiset a keyed window keeps
**        up to date (pf_window.h): O(log K) a row instead of a pass over every customer.
**   4. From these the engine registers name(amount[, extra]) and name(customer, amount
**      [, extra]), both aggregates and window functions, with PF_PURE.
** Adding a measure: a file with its description (see gini.c), one line in measures.c, its
** tests (docs/adding-a-measure.md). The window, OOM and exports tests loop over pf_measures.
*/
#ifndef PORTFOLIO_MEASURE_H
#define PORTFOLIO_MEASURE_H

#include "portfolio_sqlite.h"
#include "pf_window.h"

typedef struct pf_measure {
  const char *name;
  const char *extra_arg;
  double (*of_sums)(double sum, double sum_of_squares); /* each rounded once */
  int (*of_values)(double *v, int64_t count, int64_t extra, double *out); /* PF_OK/NOMEM */
  double (*of_multiset)(const pf_multiset *m, int64_t extra);             /* count >= 1 */
} pf_measure;

extern const pf_measure pf_measure_herfindahl;
extern const pf_measure pf_measure_top_share;
extern const pf_measure pf_measure_gini;

/* Every measure the extension registers (measures.c). */
extern const pf_measure *const pf_measures[];
extern const int pf_measure_count;

/* Registers the unkeyed and keyed forms of each of n measures. */
int pf_register_measures(sqlite3 *db, const pf_measure *const *list, int n, char **pzErrMsg);

#endif
