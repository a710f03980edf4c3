/*
** core_movements_walk.c: the walk over the periods of the movements engine
** (core_movements_internal.h), in SQL's order of the periods.
**
**   1. Each period's customers are read from its table (then freed) and looked up in a
**      customer dictionary, which numbers them; per customer number an mv_state keeps the
**      last period it was active in and its revenue there, so the previous revenue of a
**      customer is that revenue when it was active in the period just before, else 0. The
**      customers active in the period before but absent from this one's table are found
**      from the list of the period before's active customers: they churned. The
**      dictionary slots and states are prefetched a few customers ahead.
**   2. The movement rules and the sums are in account(): integer amounts into pf_acc's
**      exact part, REAL into its compensated part; start is the previous period's end sum
**      itself.
**   3. Each period closes into its bridge row; a ratio is NULL when its divisor is 0 or the
**      quotient leaves the double range.
*/
#include "core_movements_internal.h"

#include <math.h>

/* The sums of the period being walked. */
typedef struct mv_sums {
  pf_acc start, new_revenue, reactivation, expansion, contraction, churn, end;
  pf_acc kept_gross, kept_net; /* sum of min(prev, cur), and of cur, where prev > 0 */
  int64_t start_customers, new_customers, reactivated_customers, churned_customers,
      end_customers;
} mv_sums;

static const pf_num ZERO = {1, 0, 0.0};

static int positive(const pf_num *x) { return x->is_int ? x->i > 0 : x->d > 0; }

static mv_value num_value(const pf_num *x) {
  mv_value v;
  if (x->is_int)
    v.i = x->i;
  else
    v.d = x->d;
  return v;
}

static int list_push(mv_list *l, int64_t x) {
  if (grow((void **)&l->v, &l->cap, l->n + 1, sizeof(int64_t)) != PF_OK) return PF_NOMEM;
  l->v[l->n++] = x;
  return PF_OK;
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

int pf_movements_walk(pf_movements *m, const int64_t *order) {
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

