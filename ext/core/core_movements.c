/*
** core_movements.c: the revenue bridge, customer movements and cohorts (core_movements.h):
** collecting the rows, ordering periods and customers, and the results. The walk over the
** periods, where the movements are worked out, is core_movements_walk.c.
**
**   1. Collecting: each row goes to its period's pf_table (customer -> net total), found
**      through a dictionary of periods (pf_table_index); a run of rows of one period looks
**      the period up once. This is concentration_by's pass: no per-row allocation beyond
**      the tables' own growth, no sort.
**   2. Finishing: the distinct periods are sorted (pf_key_compare: SQL's order) and walked
**      in that order (core_movements_walk.c).
**   3. customer_movements: the walk keeps rows as found (period by period) and, at the end,
**      each customer number is replaced by its rank in SQL's order of the keys, then the
**      rows are sorted by (period, rank): a sort of (period, customer) pairs, not of the
**      input.
**   4. revenue_cohorts: a triangle of cells (cohort k <= period r), cell(k, r) at
**      r * (r + 1) / 2 + k, each a customer count and a pf_acc of revenue; the walk fills
**      them, and every cohort with customers gives a row per period from its first on.
*/
#include "core_movements_internal.h"

#include <stdlib.h>

const char *pf_movement_name(int movement) {
  static const char *const names[] = {"",      "new",   "reactivation", "expansion",
                                      "contraction", "churn", "flat"};
  return movement >= PF_MOVE_NEW && movement <= PF_MOVE_FLAT ? names[movement] : "";
}

pf_movements *pf_movements_new(int want) {
  pf_movements *m = pf_malloc(sizeof(*m));
  if (m) {
    memset(m, 0, sizeof(*m));
    m->want = want | PF_MV_BRIDGE;
  }
  return m;
}

/* ---- collecting ------------------------------------------------------------------- */

static int same_key(const pf_key *a, const pf_key *b) {
  if (a->type != b->type) return 0;
  if (a->type == PF_KEY_INT) return a->i == b->i;
  if (a->type == PF_KEY_REAL) return a->r == b->r;
  return a->n == b->n && (a->n == 0 || memcmp(a->p, b->p, (size_t)a->n) == 0);
}

/* Remembers k as the last row's period (its bytes copied: the caller's are the row's). */
static int remember_period(pf_movements *m, const pf_key *k, int64_t number) {
  m->have_last = 0;
  m->last = *k;
  if (k->type == PF_KEY_TEXT || k->type == PF_KEY_BLOB) {
    if (k->n > m->last_cap) {
      char *b = pf_realloc(m->last_bytes, (uint64_t)k->n);
      if (b == 0) return PF_NOMEM;
      m->last_bytes = b;
      m->last_cap = k->n;
    }
    if (k->n > 0) memcpy(m->last_bytes, k->p, (size_t)k->n);
    m->last.p = m->last_bytes;
  }
  m->last_number = number;
  m->have_last = 1;
  return PF_OK;
}

/* The customer table of a period, made on its first row. NULL when out of memory. */
static pf_table *period_table(pf_movements *m, const pf_key *period) {
  int64_t number;
  if (m->have_last && same_key(&m->last, period)) return &m->tables[m->last_number];
  if (pf_table_index(&m->period_numbers, period, m->ntables, &number) != PF_OK) return 0;
  if (number == m->ntables) {
    if (grow((void **)&m->tables, &m->tables_cap, m->ntables + 1, sizeof(pf_table)) != PF_OK)
      return 0;
    memset(&m->tables[m->ntables], 0, sizeof(pf_table));
    m->ntables++;
  }
  if (remember_period(m, period, number) != PF_OK) return 0;
  return &m->tables[number];
}

int pf_movements_add(pf_movements *m, const pf_key *period, const pf_key *customer,
                     const pf_num *amount) {
  pf_table *t = period_table(m, period);
  if (t == 0) return PF_NOMEM;
  if (customer == 0 || amount == 0) return PF_OK;
  return pf_table_add(t, customer, amount, 1);
}

/* ---- finishing -------------------------------------------------------------------- */

typedef struct mv_ranked {
  pf_key key;
  int64_t number;
} mv_ranked;

static int compare_ranked(const void *a, const void *b) {
  return pf_key_compare(&((const mv_ranked *)a)->key, &((const mv_ranked *)b)->key);
}

/* The keys of a numbering dictionary (pf_table_index), sorted in SQL's order. */
static mv_ranked *sorted_keys(pf_table *numbers, int64_t count) {
  mv_ranked *v = pf_malloc((uint64_t)(count ? count : 1) * sizeof(mv_ranked));
  const pf_entry *e;
  uint64_t pos = 0;
  int64_t n = 0;
  if (v == 0) return 0;
  while ((e = pf_table_next(numbers, &pos)) != 0 && n < count) {
    pf_num number;
    pf_entry_key(e, &v[n].key);
    pf_entry_total(e, &number);
    v[n++].number = number.i;
  }
  qsort(v, (size_t)n, sizeof(mv_ranked), compare_ranked);
  return v;
}

/* The periods in SQL's order: period_keys by rank, and order[rank] = period number. */
static int rank_periods(pf_movements *m, int64_t **order) {
  mv_ranked *v;
  int64_t r, n = m->ntables;
  if (pf_table_flush(&m->period_numbers) != PF_OK) return PF_NOMEM;
  v = sorted_keys(&m->period_numbers, n);
  m->period_keys = pf_malloc((uint64_t)(n ? n : 1) * sizeof(pf_key));
  m->bridge = pf_malloc((uint64_t)(n ? n : 1) * sizeof(pf_mv_period));
  *order = pf_malloc((uint64_t)(n ? n : 1) * sizeof(int64_t));
  if (v == 0 || m->period_keys == 0 || m->bridge == 0 || *order == 0) {
    pf_free(v);
    return PF_NOMEM;
  }
  for (r = 0; r < n; r++) {
    m->period_keys[r] = v[r].key;
    (*order)[r] = v[r].number;
  }
  pf_free(v);
  m->nperiods = n;
  return PF_OK;
}

/* The triangle of cohort cells, zeroed. */
static int make_cells(pf_movements *m) {
  uint64_t n = (uint64_t)m->nperiods, cells;
  if (n > ((uint64_t)1 << 28)) return PF_NOMEM; /* 2^55 cells: more than any memory */
  cells = n * (n + 1) / 2;
  m->cells = pf_malloc((cells ? cells : 1) * sizeof(mv_cell));
  if (m->cells == 0) return PF_NOMEM;
  memset(m->cells, 0, (size_t)((cells ? cells : 1) * sizeof(mv_cell)));
  return PF_OK;
}

/* The (cohort, period) pairs revenue_cohorts gives: every cohort with customers, from its
** first period on. */
static int list_cohort_rows(pf_movements *m) {
  int64_t k, r, n = 0, P = m->nperiods;
  for (k = 0; k < P; k++)
    if (cell(m, k, k)->customers > 0) n += P - k;
  m->cohort_rows = pf_malloc((uint64_t)(n ? n : 1) * sizeof(*m->cohort_rows));
  if (m->cohort_rows == 0) return PF_NOMEM;
  for (k = 0; k < P; k++) {
    if (cell(m, k, k)->customers == 0) continue;
    for (r = k; r < P; r++) {
      m->cohort_rows[m->ncohort_rows][0] = k;
      m->cohort_rows[m->ncohort_rows++][1] = r;
    }
  }
  return PF_OK;
}

static int compare_rows(const void *pa, const void *pb) {
  const mv_row *a = pa, *b = pb;
  if (a->period != b->period) return a->period < b->period ? -1 : 1;
  return a->customer < b->customer ? -1 : a->customer > b->customer;
}

/* customer_movements' order: customer numbers become ranks of their keys, rows sorted. */
static int order_customer_rows(pf_movements *m) {
  mv_ranked *v;
  int64_t *rank, j, n = m->ncustomers;
  if (pf_table_flush(&m->customer_numbers) != PF_OK) return PF_NOMEM;
  v = sorted_keys(&m->customer_numbers, n);
  rank = pf_malloc((uint64_t)(n ? n : 1) * sizeof(int64_t));
  m->customer_keys = pf_malloc((uint64_t)(n ? n : 1) * sizeof(pf_key));
  if (v == 0 || rank == 0 || m->customer_keys == 0) {
    pf_free(v);
    pf_free(rank);
    return PF_NOMEM;
  }
  for (j = 0; j < n; j++) {
    rank[v[j].number] = j;
    m->customer_keys[j] = v[j].key;
  }
  for (j = 0; j < m->nrows; j++) m->rows[j].customer = rank[m->rows[j].customer];
  pf_free(v);
  pf_free(rank);
  if (m->nrows > 1) qsort(m->rows, (size_t)m->nrows, sizeof(mv_row), compare_rows);
  return PF_OK;
}

int pf_movements_finish(pf_movements *m) {
  int64_t *order = 0;
  int rc = rank_periods(m, &order);
  if (rc == PF_OK && (m->want & PF_MV_COHORTS)) rc = make_cells(m);
  if (rc == PF_OK) rc = pf_movements_walk(m, order);
  pf_free(order);
  if (rc == PF_OK && (m->want & PF_MV_COHORTS)) rc = list_cohort_rows(m);
  if (rc == PF_OK && (m->want & PF_MV_CUSTOMERS)) rc = order_customer_rows(m);
  return rc;
}

/* ---- results ---------------------------------------------------------------------- */

const char *pf_movements_range_message(const pf_movements *m) {
  return m->range_message ? m->range_message : PF_TOTAL_RANGE;
}

int64_t pf_movements_period_count(const pf_movements *m) { return m->nperiods; }

const pf_mv_period *pf_movements_period(const pf_movements *m, int64_t i) {
  return &m->bridge[i];
}

int64_t pf_movements_customer_count(const pf_movements *m) { return m->nrows; }

void pf_movements_customer(const pf_movements *m, int64_t i, pf_mv_customer *out) {
  const mv_row *row = &m->rows[i];
  pf_acc change = PF_ACC_ZERO;
  out->period = m->period_keys[row->period];
  out->customer = m->customer_keys[row->customer];
  out->previous = value_num(row->previous, row->previous_is_int);
  out->revenue = value_num(row->revenue, row->revenue_is_int);
  pf_acc_add_num(&change, &out->revenue);
  pf_acc_sub_num(&change, &out->previous);
  pf_acc_num(&change, &out->change);
  out->movement = row->movement;
}

int64_t pf_movements_cohort_count(const pf_movements *m) { return m->ncohort_rows; }

void pf_movements_cohort(const pf_movements *m, int64_t i, pf_mv_cohort *out) {
  int64_t k = m->cohort_rows[i][0], r = m->cohort_rows[i][1];
  const mv_cell *first = &m->cells[k * (k + 1) / 2 + k], *c = &m->cells[r * (r + 1) / 2 + k];
  out->cohort = m->period_keys[k];
  out->period = m->period_keys[r];
  out->age = r - k;
  out->customers = c->customers;
  pf_acc_num(&c->revenue, &out->revenue);
  out->customer_retention = (double)c->customers / (double)first->customers;
  out->revenue_retention = pf_acc_value(&c->revenue) / pf_acc_value(&first->revenue);
}

void pf_movements_free(pf_movements *m) {
  int64_t j;
  if (m == 0) return;
  for (j = 0; j < m->ntables; j++) pf_table_free(&m->tables[j]);
  pf_free(m->tables);
  pf_table_free(&m->period_numbers);
  pf_free(m->last_bytes);
  pf_table_free(&m->customer_numbers);
  pf_free(m->state);
  pf_free(m->active[0].v);
  pf_free(m->active[1].v);
  pf_free(m->period_keys);
  pf_free(m->bridge);
  pf_free(m->rows);
  pf_free(m->customer_keys);
  pf_free(m->cells);
  pf_free(m->cohort_rows);
  pf_free(m);
}
