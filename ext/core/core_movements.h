/*
** core_movements.h: revenue movements between periods (the revenue bridge), per customer
** and by cohort, host-neutral.
**
** Included by: ext/core/core_movements.c, the SQLite layer's movements table functions
** (ext/sqlite/movements.c) and the unit tests.
** Rules:
**   1. Rows arrive one at a time as (period, customer, amount) plain C values, read by the
**      host with the rules of every keyed form; a row whose customer or amount was NULL
**      still makes its period exist (pass NULL for both).
**   2. One pass over the rows, no sort of them: each period nets its customers in its own
**      pf_table, as concentration_by does. pf_movements_finish then sorts the distinct
**      periods (SQL's order, pf_key_compare) and walks them in order, carrying each
**      customer's last active period and revenue in an array indexed through a customer
**      dictionary. Memory: the distinct (period, customer) pairs; customer_movements' rows
**      and revenue_cohorts' periods x periods cells only when asked for.
**   3. A customer's revenue in a period is its net total when positive, else 0 (inactive).
**      The movement from prev to cur revenue is new / reactivation (prev 0, cur > 0, never
**      / once active before), expansion (cur > prev > 0), contraction (prev > cur > 0),
**      churn (prev > 0, cur 0) or flat (cur = prev > 0).
**   4. Sums are pf_acc: exact for integer amounts (so start + new + reactivation +
**      expansion - contraction - churn = end exactly), compensated for REAL ones. Retained
**      revenue (sum of min(prev, cur) and of cur over customers active before) is summed
**      directly, never as a difference of rounded sums.
**   5. Errors are return codes: PF_NOMEM, or PF_RANGE when a customer's total in a period
**      (PF_TOTAL_RANGE) or a period's total (PF_MV_PERIOD_RANGE) is beyond the range of
**      REAL numbers; pf_movements_range_message says which.
*/
#ifndef PORTFOLIO_CORE_MOVEMENTS_H
#define PORTFOLIO_CORE_MOVEMENTS_H

#include "portfolio_core.h"

/* What pf_movements_finish computes (or-ed): the bridge is always made. */
enum { PF_MV_BRIDGE = 1, PF_MV_CUSTOMERS = 2, PF_MV_COHORTS = 4 };

enum {
  PF_MOVE_NEW = 1,
  PF_MOVE_REACTIVATION,
  PF_MOVE_EXPANSION,
  PF_MOVE_CONTRACTION,
  PF_MOVE_CHURN,
  PF_MOVE_FLAT
};

/* 'new', 'reactivation', ... for a PF_MOVE_* value. */
const char *pf_movement_name(int movement);

/* One period of the bridge. Ratios whose divisor is 0 have their has_* flag 0. */
typedef struct pf_mv_period {
  pf_key period, previous; /* previous.type 0 for the first period */
  pf_num start, new_revenue, reactivation, expansion, contraction, churn, end;
  int64_t start_customers, new_customers, reactivated_customers, churned_customers,
      end_customers;
  double gross_retention, net_retention, quick_ratio;
  int has_gross, has_net, has_quick;
} pf_mv_period;

/* One customer in one period where it was active then or in the period before. */
typedef struct pf_mv_customer {
  pf_key period, customer;
  pf_num previous, revenue, change;
  int movement;
} pf_mv_customer;

/* One cohort (customers first active in `cohort`) in one period from its first on. */
typedef struct pf_mv_cohort {
  pf_key cohort, period;
  int64_t age, customers;
  pf_num revenue;
  double customer_retention, revenue_retention;
} pf_mv_cohort;

typedef struct pf_movements pf_movements;

/* A new, empty engine computing `want` (PF_MV_*); NULL when out of memory. */
pf_movements *pf_movements_new(int want);
/* One row. customer and amount NULL: the row only makes its period exist. Keys' bytes
** belong to the caller and are copied. PF_OK or PF_NOMEM. */
int pf_movements_add(pf_movements *m, const pf_key *period, const pf_key *customer,
                     const pf_num *amount);
/* After the last row: computes everything asked for. PF_OK, PF_NOMEM or PF_RANGE. */
int pf_movements_finish(pf_movements *m);

#define PF_MV_PERIOD_RANGE \
  "a period's total revenue is beyond the range of REAL numbers (about 1.8e308)"
/* After PF_RANGE from pf_movements_finish: the message (after "<fn>: "). */
const char *pf_movements_range_message(const pf_movements *m);

/* Results (after pf_movements_finish); keys point into the engine. */
int64_t pf_movements_period_count(const pf_movements *m);
const pf_mv_period *pf_movements_period(const pf_movements *m, int64_t i);
/* Ordered by period, then customer in SQL's order. */
int64_t pf_movements_customer_count(const pf_movements *m);
void pf_movements_customer(const pf_movements *m, int64_t i, pf_mv_customer *out);
/* Ordered by cohort, then period. */
int64_t pf_movements_cohort_count(const pf_movements *m);
void pf_movements_cohort(const pf_movements *m, int64_t i, pf_mv_cohort *out);

void pf_movements_free(pf_movements *m);

#endif
