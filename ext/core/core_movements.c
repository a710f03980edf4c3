/*
** core_movements.c: the revenue bridge, customer movements and cohorts (core_movements.h).
**
**   1. Collecting: each row goes to its period's pf_table (customer -> net total), found
**      through a dictionary of periods (pf_table_index); a run of rows of one period looks
**      the period up once. This is concentration_by's pass: no per-row allocation beyond
**      the tables' own growth, no sort.
**   2. Finishing: the distinct periods are sorted (pf_key_compare: SQL's order) and walked
**      in that order. Each period's customers are read from its table (then freed) and
**      looked up in a customer dictionary, which numbers them; per customer number an
**      mv_state keeps the last period it was active in and its revenue there, so the
**      previous revenue of a customer is that revenue when it was active in the period just
**      before, else 0. The customers active in the period before but absent from this one's
**      table are found from the list of the period before's active customers: they churned.
**      The dictionary slots and states are prefetched a few customers ahead.
**   3. The movement rules and the sums are in account(): integer amounts into pf_acc's exact
**      part, REAL into its compensated part; start is the previous period's end sum itself.
**   4. customer_movements: rows are kept as found (period by period) and, at the end, each
**      customer number is replaced by its rank in SQL's order of the keys, then the rows
**      are sorted by (period, rank): a sort of (period, customer) pairs, not of the input.
**   5. revenue_cohorts: a triangle of cells (cohort k <= period r), cell(k, r) at
**      r * (r + 1) / 2 + k, each a customer count and a pf_acc of revenue.
*/
#include "core_movements.h"
#include "pf_host.h"

#include <math.h>
#include <stdlib.h>
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

/* The sums of the period being walked. */
typedef struct mv_sums {
  pf_acc start, new_revenue, reactivation, expansion, contraction, churn, end;
  pf_acc kept_gross, kept_net; /* sum of min(prev, cur), and of cur, where prev > 0 */
  int64_t start_customers, new_customers, reactivated_customers, churned_customers,
      end_customers;
} mv_sums;

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

static const pf_num ZERO = {1, 0, 0.0};

const char *pf_movement_name(int movement) {
  static const char *const names[] = {"",      "new",   "reactivation", "expansion",
                                      "contraction", "churn", "flat"};
  return movement >= PF_MOVE_NEW && movement <= PF_MOVE_FLAT ? names[movement] : "";
}

/* Grows *p (elements of `size` bytes, *cap of them) to hold at least need. PF_OK/NOMEM. */
static int grow(void **p, int64_t *cap, int64_t need, size_t size) {
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

static int list_push(mv_list *l, int64_t x) {
  if (grow((void **)&l->v, &l->cap, l->n + 1, sizeof(int64_t)) != PF_OK) return PF_NOMEM;
  l->v[l->n++] = x;
  return PF_OK;
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

/* ---- numbers ---------------------------------------------------------------------- */

static int positive(const pf_num *x) { return x->is_int ? x->i > 0 : x->d > 0; }

static pf_num value_num(mv_value v, int is_int) {
  pf_num x;
  x.is_int = is_int;
  x.i = is_int ? v.i : 0;
  x.d = is_int ? (double)v.i : v.d;
  return x;
}

static mv_value num_value(const pf_num *x) {
  mv_value v;
  if (x->is_int)
    v.i = x->i;
  else
    v.d = x->d;
  return v;
}

/* ---- the walk --------------------------------------------------------------------- */

static int classify(const pf_num *prev, const pf_num *cur, int ever_active) {
  int c;
  if (!positive(prev)) return ever_active ? PF_MOVE_REACTIVATION : PF_MOVE_NEW;
  if (!positive(cur)) return PF_MOVE_CHURN;
  c = pf_num_compare(cur, prev);
  return c > 0 ? PF_MOVE_EXPANSION : c < 0 ? PF_MOVE_CONTRACTION : PF_MOVE_FLAT;
}

/* One customer between the period before (prev) and period r (cur), not both 0: its
** movement into the sums and, when asked for, a customer_movements row. */
static int account(pf_movements *m, mv_sums *s, int64_t r, int64_t customer,
                   const pf_num *prev, const pf_num *cur, int ever_active) {
  int movement = classify(prev, cur, ever_active);
  switch (movement) {
    case PF_MOVE_NEW:
      pf_acc_add_num(&s->new_revenue, cur);
      s->new_customers++;
      break;
    case PF_MOVE_REACTIVATION:
      pf_acc_add_num(&s->reactivation, cur);
      s->reactivated_customers++;
      break;
    case PF_MOVE_EXPANSION:
      pf_acc_add_num(&s->expansion, cur);
      pf_acc_sub_num(&s->expansion, prev);
      break;
    case PF_MOVE_CONTRACTION:
      pf_acc_add_num(&s->contraction, prev);
      pf_acc_sub_num(&s->contraction, cur);
      break;
    case PF_MOVE_CHURN:
      pf_acc_add_num(&s->churn, prev);
      s->churned_customers++;
      break;
  }
  if (positive(prev)) {
    pf_acc_add_num(&s->kept_gross, movement == PF_MOVE_EXPANSION ? prev : cur);
    pf_acc_add_num(&s->kept_net, cur);
  }
  if (positive(cur)) {
    pf_acc_add_num(&s->end, cur);
    s->end_customers++;
  }
  if (m->want & PF_MV_CUSTOMERS) {
    mv_row *row;
    if (grow((void **)&m->rows, &m->rows_cap, m->nrows + 1, sizeof(mv_row)) != PF_OK)
      return PF_NOMEM;
    row = &m->rows[m->nrows++];
    row->previous = num_value(prev);
    row->previous_is_int = (unsigned char)prev->is_int;
    row->revenue = num_value(cur);
    row->revenue_is_int = (unsigned char)cur->is_int;
    row->customer = customer;
    row->period = r;
    row->movement = (unsigned char)movement;
  }
  return PF_OK;
}

/* The number of customer k (a new one gets the next number and a fresh state). */
static int customer_number(pf_movements *m, const pf_key *k, int64_t *number) {
  if (pf_table_index(&m->customer_numbers, k, m->ncustomers, number) != PF_OK) return PF_NOMEM;
  if (*number == m->ncustomers) {
    mv_state *st;
    if (grow((void **)&m->state, &m->state_cap, m->ncustomers + 1, sizeof(mv_state)) != PF_OK)
      return PF_NOMEM;
    st = &m->state[m->ncustomers++];
    memset(st, 0, sizeof(*st));
    st->last_active = st->seen = st->cohort = -1;
  }
  return PF_OK;
}

static mv_cell *cell(pf_movements *m, int64_t cohort, int64_t r) {
  return &m->cells[r * (r + 1) / 2 + cohort];
}

/* Customer `number`, whose revenue in period r is cur (prev from its state). */
static int walk_customer(pf_movements *m, mv_sums *s, int64_t r, int64_t number,
                         const pf_num *cur) {
  mv_state *st = &m->state[number];
  pf_num prev = r > 0 && st->last_active == r - 1 ? value_num(st->revenue, st->revenue_is_int)
                                                   : ZERO;
  int rc = PF_OK;
  st->seen = r;
  if (positive(&prev) || positive(cur)) rc = account(m, s, r, number, &prev, cur, st->cohort >= 0);
  if (rc != PF_OK || !positive(cur)) return rc;
  st->last_active = r;
  st->revenue = num_value(cur);
  st->revenue_is_int = cur->is_int;
  if (st->cohort < 0) st->cohort = r;
  if (m->want & PF_MV_COHORTS) {
    mv_cell *c = cell(m, st->cohort, r);
    pf_acc_add_num(&c->revenue, cur);
    c->customers++;
  }
  return list_push(&m->active[1], number);
}

/* One customer of period r's table, whose number is known. */
static int walk_entry(pf_movements *m, mv_sums *s, int64_t r, const pf_entry *e,
                      int64_t number) {
  pf_num total;
  pf_entry_total(e, &total);
  if (!isfinite(total.d)) {
    m->range_message = PF_TOTAL_RANGE;
    return PF_RANGE;
  }
  return walk_customer(m, s, r, number, positive(&total) ? &total : &ZERO);
}

/* Asks for the customer dictionary's slot of the entry at *ahead (then moves it on). */
static void prefetch_number(pf_movements *m, const pf_table *t, uint64_t *ahead) {
  const pf_entry *e = pf_table_next(t, ahead);
  pf_key k;
  if (e == 0) return;
  pf_entry_key(e, &k);
  pf_table_prefetch(&m->customer_numbers, &k);
}

/* Period r: its table's customers, then those active before and absent now (churn). The
** customers' dictionary slots and states are fetched MV_AHEAD entries ahead (rule 2): with a
** million customers each is a cache miss, which otherwise costs more than the rows' pass. */
#define MV_AHEAD 8
static int walk_period(pf_movements *m, int64_t r, pf_table *t, mv_sums *s) {
  const pf_entry *e, *queue[MV_AHEAD];
  int64_t numbers[MV_AHEAD], j;
  uint64_t pos = 0, ahead = 0;
  int rc = pf_table_flush(t), head = 0, waiting = 0;
  m->active[1].n = 0;
  for (j = 0; j < MV_AHEAD; j++) prefetch_number(m, t, &ahead);
  while (rc == PF_OK && (e = pf_table_next(t, &pos)) != 0) {
    pf_key k;
    int64_t number;
    prefetch_number(m, t, &ahead);
    pf_entry_key(e, &k);
    if ((rc = customer_number(m, &k, &number)) != PF_OK) break;
    __builtin_prefetch(&m->state[number], 1);
    if (waiting == MV_AHEAD) {
      rc = walk_entry(m, s, r, queue[head], numbers[head]);
      head = (head + 1) % MV_AHEAD;
      waiting--;
    }
    queue[(head + waiting) % MV_AHEAD] = e;
    numbers[(head + waiting++) % MV_AHEAD] = number;
  }
  for (; rc == PF_OK && waiting > 0; waiting--, head = (head + 1) % MV_AHEAD)
    rc = walk_entry(m, s, r, queue[head], numbers[head]);
  for (j = 0; rc == PF_OK && j < m->active[0].n; j++) {
    mv_state *st = &m->state[m->active[0].v[j]];
    if (st->seen != r) {
      pf_num prev = value_num(st->revenue, st->revenue_is_int);
      rc = account(m, s, r, m->active[0].v[j], &prev, &ZERO, 1);
    }
  }
  return rc;
}

/* NULL (not defined) when the divisor is 0, and when the quotient is past the double range
** (a start of 1e-308 that grew by 10): an infinite retention would read as a number. */
static double ratio(const pf_acc *num, const pf_acc *den, int *defined) {
  double d = pf_acc_value(den), q = d != 0 ? pf_acc_value(num) / d : 0;
  *defined = d != 0 && isfinite(q);
  return *defined ? q : 0;
}

/* The bridge row of period r from its sums. PF_RANGE when its total is not finite. */
static int close_period(pf_movements *m, int64_t r, const mv_sums *s) {
  pf_mv_period *p = &m->bridge[r];
  pf_acc gained = s->new_revenue, lost = s->contraction;
  memset(p, 0, sizeof(*p));
  p->period = m->period_keys[r];
  if (r > 0) p->previous = m->period_keys[r - 1];
  pf_acc_num(&s->start, &p->start);
  pf_acc_num(&s->new_revenue, &p->new_revenue);
  pf_acc_num(&s->reactivation, &p->reactivation);
  pf_acc_num(&s->expansion, &p->expansion);
  pf_acc_num(&s->contraction, &p->contraction);
  pf_acc_num(&s->churn, &p->churn);
  pf_acc_num(&s->end, &p->end);
  if (!isfinite(p->end.d)) {
    m->range_message = PF_MV_PERIOD_RANGE;
    return PF_RANGE;
  }
  p->start_customers = s->start_customers;
  p->new_customers = s->new_customers;
  p->reactivated_customers = s->reactivated_customers;
  p->churned_customers = s->churned_customers;
  p->end_customers = s->end_customers;
  p->gross_retention = ratio(&s->kept_gross, &s->start, &p->has_gross);
  p->net_retention = ratio(&s->kept_net, &s->start, &p->has_net);
  /* new + reactivation + expansion over contraction + churn, each summed exactly first */
  pf_acc_add_acc(&gained, &s->reactivation);
  pf_acc_add_acc(&gained, &s->expansion);
  pf_acc_add_acc(&lost, &s->churn);
  p->quick_ratio = ratio(&gained, &lost, &p->has_quick);
  return PF_OK;
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

/* Walks the periods in order, each table freed once read. */
static int walk(pf_movements *m, const int64_t *order) {
  pf_acc previous_end = PF_ACC_ZERO;
  int64_t r, previous_customers = 0;
  int rc = PF_OK;
  for (r = 0; rc == PF_OK && r < m->nperiods; r++) {
    pf_table *t = &m->tables[order[r]];
    mv_sums s;
    mv_list swap;
    memset(&s, 0, sizeof(s));
    s.start = previous_end;
    s.start_customers = previous_customers;
    rc = walk_period(m, r, t, &s);
    pf_table_free(t);
    if (rc == PF_OK) rc = close_period(m, r, &s);
    previous_end = s.end;
    previous_customers = s.end_customers;
    swap = m->active[0];
    m->active[0] = m->active[1];
    m->active[1] = swap;
  }
  return rc;
}

int pf_movements_finish(pf_movements *m) {
  int64_t *order = 0;
  int rc = rank_periods(m, &order);
  if (rc == PF_OK && (m->want & PF_MV_COHORTS)) rc = make_cells(m);
  if (rc == PF_OK) rc = walk(m, order);
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
