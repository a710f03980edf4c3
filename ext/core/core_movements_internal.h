/*
** core_movements_internal.h: the movements engine's state, private to its two files.
**
** Included by: core_movements.c (collecting the rows, ranking periods and customers, the
** results) and core_movements_walk.c (the walk over the periods: movements, sums, cohort
** cells) only. Everything else reaches the engine through core_movements.h. The calls go
** one way: core_movements.c calls pf_movements_walk, which calls nothing of it.
*/
#ifndef PORTFOLIO_CORE_MOVEMENTS_INTERNAL_H
#define PORTFOLIO_CORE_MOVEMENTS_INTERNAL_H

#include "core_movements.h"
#include "pf_host.h"

#include <string.h>

/* A revenue (>= 0) in 8 bytes; whether it is an integer is kept beside it. */
typedef union mv_value {
  int64_t i;
  double d;
} mv_value;

/* What the walk knows of one customer (by customer number). Ranks are period positions in
** SQL's order; -1 is "never". */
typedef struct mv_state {
  int64_t last_active, seen, cohort;
  mv_value revenue; /* in period last_active */
  int revenue_is_int;
} mv_state;

/* A customer_movements row while the walk runs (customer: number, then rank). */
typedef struct mv_row {
  mv_value previous, revenue;
  int64_t customer, period;
  unsigned char movement, previous_is_int, revenue_is_int;
} mv_row;

typedef struct mv_cell {
  pf_acc revenue;
  int64_t customers;
} mv_cell;

typedef struct mv_list {
  int64_t *v;
  int64_t n, cap;
} mv_list;

struct pf_movements {
  int want;
  pf_table period_numbers; /* period -> its number, in order of first appearance */
  pf_table *tables;        /* customers of each period, by number */
  int64_t ntables, tables_cap;
  /* the period of the previous row: a run of rows of one period is looked up once */
  pf_key last;
  int64_t last_number;
  char *last_bytes;
  int last_cap, have_last;
  /* the walk */
  pf_table customer_numbers;
  mv_state *state;
  int64_t ncustomers, state_cap;
  mv_list active[2]; /* customers active in the period before / in this one */
  /* results */
  pf_key *period_keys; /* by rank */
  pf_mv_period *bridge;
  int64_t nperiods;
  mv_row *rows;
  int64_t nrows, rows_cap;
  pf_key *customer_keys; /* by rank */
  mv_cell *cells;
  int64_t (*cohort_rows)[2]; /* (cohort rank, period rank) */
  int64_t ncohort_rows;
  const char *range_message; /* why pf_movements_finish gave PF_RANGE */
};

/* Grows *p (elements of `size` bytes, *cap of them) to hold at least need. PF_OK/NOMEM. */
static inline int grow(void **p, int64_t *cap, int64_t need, size_t size) {
  int64_t n = *cap ? *cap : 16;
  void *q;
  if (need <= *cap) return PF_OK;
  while (n < need) n *= 2;
  q = pf_realloc(*p, (uint64_t)n * size);
  if (q == 0) return PF_NOMEM;
  *p = q;
  *cap = n;
  return PF_OK;
}

static inline pf_num value_num(mv_value v, int is_int) {
  pf_num x;
  x.is_int = is_int;
  x.i = is_int ? v.i : 0;
  x.d = is_int ? (double)v.i : v.d;
  return x;
}

/* Cohort cell (cohort k, period r) of the triangle: r * (r + 1) / 2 + k. */
static inline mv_cell *cell(pf_movements *m, int64_t cohort, int64_t r) {
  return &m->cells[r * (r + 1) / 2 + cohort];
}

/* Walks the periods in SQL's order (order[rank] = period number), each period's table
** freed once read: the bridge rows, the customer rows (customers by number) and the cohort
** cells (core_movements_walk.c). PF_OK, PF_NOMEM or PF_RANGE (m->range_message set). */
int pf_movements_walk(pf_movements *m, const int64_t *order);

#endif
