/*
** pf_window.h: what the core offers a host for keeping a measure up to date row by row in
** a sliding window frame, instead of computing it again over every customer on each row.
**
** Included by: ext/core/core_multiset.c, ext/core/core_table.c, the SQLite host's measure
** header (ext/sqlite/measure.h, so its engine and descriptions) and the unit tests.
** Rules:
**   1. pf_table_update applies one row at once and reports the customer's total before and
**      after it, so a host can take the old total out of its summary and put the new one in.
**   2. pf_multiset: the positive customer totals of a frame, ordered, with the sums the
**      measures need kept in every node (count, sum, rank-weighted sum), so the sum of the n
**      largest and the Gini numerator are read in O(log K). A node's sums are recomputed
**      from its children and its own value whenever it changes, never adjusted by
**      subtraction: a value that left the frame leaves no rounding error behind.
**   3. The shape of the tree (a treap whose priorities are a hash of the value) depends only
**      on the set of values, not on the order they came in, so neither do the results.
**      Sums are double-double (about 106 bits), rounded once when read.
**   4. Memory through pf_host.h: the nodes live in one array that doubles (no allocation
**      per row once it has grown); PF_NOMEM is reported, the multiset stays usable.
*/
#ifndef PORTFOLIO_PF_WINDOW_H
#define PORTFOLIO_PF_WINDOW_H

#include "portfolio_core.h"

/* ---- one row, applied at once (core_table.c) --------------------------------------- */

typedef struct pf_change {
  int had, has;         /* the customer was / is in the table */
  pf_num before, after; /* its total then / now, when had / has */
} pf_change;

/* pf_table_add applied at once (pending rows are flushed first), reporting the customer's
** totals around the row in *ch. PF_OK or PF_NOMEM. */
int pf_table_update(pf_table *t, const pf_key *k, const pf_num *amount, int sign,
                    pf_change *ch);

/* ---- the ordered multiset (core_multiset.c) ---------------------------------------- */

/* A double-double: hi + lo, |lo| at most half an ulp of hi. */
typedef struct pf_dd {
  double hi, lo;
} pf_dd;

typedef struct pf_mnode pf_mnode;

/* Zero-initialised is empty. */
typedef struct pf_multiset {
  pf_mnode *nodes;  /* nodes[0] is unused: index 0 means "no node" */
  uint32_t *path;   /* scratch: the nodes from the root down to the one being changed */
  uint32_t root, free_list, used, cap, path_cap;
} pf_multiset;

/* Adds one copy of x (sign +1) or removes one (sign -1; nothing when absent). x must be a
** positive finite double. PF_OK or PF_NOMEM (the multiset is then unchanged). */
int pf_multiset_add(pf_multiset *m, double x, int sign);
int64_t pf_multiset_count(const pf_multiset *m);
/* The sum of every value. */
pf_dd pf_multiset_sum(const pf_multiset *m);
/* The sum of the k largest values (all of them when k >= count). */
pf_dd pf_multiset_top_sum(const pf_multiset *m, int64_t k);
/* sum over i = 1..count of i * x_i, x sorted ascending (the Gini numerator's part). */
pf_dd pf_multiset_rank_sum(const pf_multiset *m);
/* Every value (each as often as it is held) into out, replacing its contents, in no
** particular order. PF_OK or PF_NOMEM. */
int pf_multiset_values(const pf_multiset *m, pf_values *out);
void pf_multiset_free(pf_multiset *m);

/* Double-double arithmetic the measures combine those sums with. */
pf_dd pf_dd_add(pf_dd a, pf_dd b);
pf_dd pf_dd_scale(pf_dd a, double b); /* a * b */
double pf_dd_value(pf_dd a);

#endif
