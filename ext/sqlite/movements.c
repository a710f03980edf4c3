/*
** movements.c: the revenue_movements, customer_movements and revenue_cohorts table-valued
** functions.
**
**   SELECT * FROM revenue_movements('SELECT month, customer_id, amount FROM invoices');
**
** Rules:
**   1. The three share one module body and differ by a kind (mv_kind: name, columns, what
**      the engine computes, how a row is read). The numbers are the core's
**      (core_movements.h): one pass over the query's rows into per-period customer tables,
**      then a walk over the periods in SQL's order.
**   2. The query runner (query_runner.h) prepares, checks and steps the argument: one
**      read-only statement of three columns (period, customer, amount); the functions are
**      SQLITE_VTAB_DIRECTONLY. A NULL argument gives no rows.
**   3. Values are read as concentration_by reads them: a NULL or '' period skips the row; a
**      NULL or '' customer or amount skips it too, but its period still exists; any other
**      non-numeric amount is an error naming the value, the period and the customer.
**   4. Ratios whose divisor is 0 are NULL, as is previous_period in the first period.
*/
#include <math.h>
#include "query_runner.h"
SQLITE_EXTENSION_INIT3

#include "core_movements.h"

#include <string.h>

typedef struct mv_kind {
  pf_query_table table; /* first: the runner's description (name, columns, callbacks) */
  int want;             /* PF_MV_* */
  sqlite3_int64 (*count)(const pf_movements *);
  void (*column)(const pf_movements *, sqlite3_int64 row, sqlite3_context *, int col);
} mv_kind;

typedef struct mv_cursor {
  pf_row_cursor base; /* first: count and at are the kind's rows */
  pf_movements *engine;
} mv_cursor;

static int mv_collect(pf_row_cursor *base, pf_query *q);
static int mv_finish(pf_row_cursor *base);
static void mv_clear(pf_row_cursor *base);

/* The runner's description of a kind: the query is (period, customer, amount). */
#define MV_TABLE(name_, create_table_, query_column_, estimated_rows_)                  \
  {                                                                                     \
    .name = name_, .create_table = create_table_, .query_column = query_column_,        \
    .estimated_rows = estimated_rows_, .columns = 3,                                    \
    .column_names = "period, customer, amount", .cursor_size = sizeof(mv_cursor),       \
    .collect = mv_collect, .finish = mv_finish, .clear = mv_clear                       \
  }

/* ---- the three kinds: columns ----------------------------------------------------- */

enum {
  RM_PERIOD, RM_PREVIOUS, RM_START, RM_NEW, RM_REACTIVATION, RM_EXPANSION, RM_CONTRACTION,
  RM_CHURN, RM_END, RM_START_CUSTOMERS, RM_NEW_CUSTOMERS, RM_REACTIVATED_CUSTOMERS,
  RM_CHURNED_CUSTOMERS, RM_END_CUSTOMERS, RM_GROSS, RM_NET, RM_QUICK, RM_QUERY
};

static void result_ratio(sqlite3_context *ctx, int defined, double value) {
  if (defined) sqlite3_result_double(ctx, value); /* else NULL */
}

static sqlite3_int64 bridge_count(const pf_movements *m) { return pf_movements_period_count(m); }

static void bridge_column(const pf_movements *m, sqlite3_int64 row, sqlite3_context *ctx,
                          int col) {
  const pf_mv_period *p = pf_movements_period(m, row);
  const pf_num *sums[] = {&p->start,       &p->new_revenue, &p->reactivation, &p->expansion,
                          &p->contraction, &p->churn,       &p->end};
  const int64_t counts[] = {p->start_customers, p->new_customers, p->reactivated_customers,
                            p->churned_customers, p->end_customers};
  if (col == RM_PERIOD) {
    pf_result_key(ctx, &p->period);
  } else if (col == RM_PREVIOUS) {
    if (p->previous.type) pf_result_key(ctx, &p->previous);
  } else if (col >= RM_START && col <= RM_END) {
    pf_result_num(ctx, sums[col - RM_START]);
  } else if (col >= RM_START_CUSTOMERS && col <= RM_END_CUSTOMERS) {
    sqlite3_result_int64(ctx, counts[col - RM_START_CUSTOMERS]);
  } else if (col == RM_GROSS) {
    result_ratio(ctx, p->has_gross, p->gross_retention);
  } else if (col == RM_NET) {
    result_ratio(ctx, p->has_net, p->net_retention);
  } else if (col == RM_QUICK) {
    result_ratio(ctx, p->has_quick, p->quick_ratio);
  }
}

enum { CM_PERIOD, CM_CUSTOMER, CM_PREVIOUS, CM_REVENUE, CM_CHANGE, CM_MOVEMENT, CM_QUERY };

static sqlite3_int64 customer_count(const pf_movements *m) {
  return pf_movements_customer_count(m);
}

static void customer_column(const pf_movements *m, sqlite3_int64 row, sqlite3_context *ctx,
                            int col) {
  pf_mv_customer c;
  pf_movements_customer(m, row, &c);
  switch (col) {
    case CM_PERIOD: pf_result_key(ctx, &c.period); break;
    case CM_CUSTOMER: pf_result_key(ctx, &c.customer); break;
    case CM_PREVIOUS: pf_result_num(ctx, &c.previous); break;
    case CM_REVENUE: pf_result_num(ctx, &c.revenue); break;
    case CM_CHANGE: pf_result_num(ctx, &c.change); break;
    case CM_MOVEMENT:
      sqlite3_result_text(ctx, pf_movement_name(c.movement), -1, SQLITE_STATIC);
      break;
  }
}

enum { RC_COHORT, RC_PERIOD, RC_AGE, RC_CUSTOMERS, RC_REVENUE, RC_CUSTOMER_RET, RC_REVENUE_RET,
       RC_QUERY };

static sqlite3_int64 cohort_count(const pf_movements *m) { return pf_movements_cohort_count(m); }

static void cohort_column(const pf_movements *m, sqlite3_int64 row, sqlite3_context *ctx,
                          int col) {
  pf_mv_cohort c;
  pf_movements_cohort(m, row, &c);
  switch (col) {
    case RC_COHORT: pf_result_key(ctx, &c.cohort); break;
    case RC_PERIOD: pf_result_key(ctx, &c.period); break;
    case RC_AGE: sqlite3_result_int64(ctx, c.age); break;
    case RC_CUSTOMERS: sqlite3_result_int64(ctx, c.customers); break;
    case RC_REVENUE: pf_result_num(ctx, &c.revenue); break;
    case RC_CUSTOMER_RET: sqlite3_result_double(ctx, c.customer_retention); break;
    case RC_REVENUE_RET: /* NULL past the double range, as the bridge's ratios */
      if (isfinite(c.revenue_retention)) sqlite3_result_double(ctx, c.revenue_retention);
      else sqlite3_result_null(ctx);
      break;
  }
}

static const mv_kind revenue_movements_kind = {
    MV_TABLE("revenue_movements",
             "CREATE TABLE x(period, previous_period, start_revenue, new, reactivation,"
             " expansion, contraction, churn, end_revenue, start_customers INTEGER,"
             " new_customers INTEGER, reactivated_customers INTEGER,"
             " churned_customers INTEGER, end_customers INTEGER, gross_retention REAL,"
             " net_retention REAL, quick_ratio REAL, query HIDDEN)",
             RM_QUERY, 24),
    PF_MV_BRIDGE, bridge_count, bridge_column};

static const mv_kind customer_movements_kind = {
    MV_TABLE("customer_movements",
             "CREATE TABLE x(period, customer, previous_revenue, revenue, change,"
             " movement TEXT, query HIDDEN)",
             CM_QUERY, 100000),
    PF_MV_CUSTOMERS, customer_count, customer_column};

static const mv_kind revenue_cohorts_kind = {
    MV_TABLE("revenue_cohorts",
             "CREATE TABLE x(cohort, period, age INTEGER, customers INTEGER, revenue,"
             " customer_retention REAL, revenue_retention REAL, query HIDDEN)",
             RC_QUERY, 300),
    PF_MV_COHORTS, cohort_count, cohort_column};

/* ---- the module ------------------------------------------------------------------- */

static const mv_kind *kind_of(const pf_row_cursor *cur) {
  return (const mv_kind *)cur->table;
}

static void mv_clear(pf_row_cursor *base) {
  mv_cursor *cur = (mv_cursor *)base;
  pf_movements_free(cur->engine);
  cur->engine = 0;
}

/* One row of the query into the engine (rule 3). SQLITE_OK or an error code. */
static int mv_add_row(mv_cursor *cur, pf_query *q) {
  sqlite3_value *pv = pf_query_value(q, 0), *kv = pf_query_value(q, 1);
  sqlite3_value *av = pf_query_value(q, 2);
  pf_key period, customer;
  pf_num amount;
  int got = pf_key_read(pv, &period), has_customer, has_amount;
  if (got == 0) return SQLITE_OK;
  if (got < 0) return SQLITE_NOMEM;
  has_amount = pf_amount_parse(av, &amount);
  if (has_amount < 0)
    return pf_query_fail(cur->base.base.pVtab, SQLITE_ERROR,
                         pf_query_bad_amount(cur->base.table->name, pv, kv, av));
  has_customer = pf_key_read(kv, &customer);
  if (has_customer < 0) return SQLITE_NOMEM;
  if (pf_movements_add(cur->engine, &period, has_customer && has_amount ? &customer : 0,
                       has_customer && has_amount ? &amount : 0) != PF_OK)
    return SQLITE_NOMEM;
  return SQLITE_OK;
}

/* Runs the query into a new engine. */
static int mv_collect(pf_row_cursor *base, pf_query *q) {
  mv_cursor *cur = (mv_cursor *)base;
  int rc;
  cur->engine = pf_movements_new(kind_of(base)->want);
  if (cur->engine == 0) return SQLITE_NOMEM;
  while ((rc = pf_query_step(q)) == SQLITE_ROW && (rc = mv_add_row(cur, q)) == SQLITE_OK) {
  }
  return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Finishes the engine: the kind's rows. */
static int mv_finish(pf_row_cursor *base) {
  mv_cursor *cur = (mv_cursor *)base;
  int rc = pf_movements_finish(cur->engine);
  if (rc == PF_RANGE)
    return pf_query_fail(base->base.pVtab, SQLITE_ERROR,
                         pf_query_message(base->table->name, "%s",
                                          pf_movements_range_message(cur->engine)));
  if (rc != PF_OK) return pf_sqlite_rc(rc);
  base->count = kind_of(base)->count(cur->engine);
  return SQLITE_OK;
}

static int mv_column(sqlite3_vtab_cursor *base, sqlite3_context *ctx, int col) {
  mv_cursor *cur = (mv_cursor *)base;
  const mv_kind *kind = kind_of(&cur->base);
  if (col == kind->table.query_column)
    pf_row_result_query(ctx, &cur->base);
  else
    kind->column(cur->engine, cur->base.at, ctx, col);
  return SQLITE_OK;
}

static const sqlite3_module movements_module = PF_QUERY_MODULE(mv_column);

int pf_init_movements(sqlite3 *db, char **pzErrMsg) {
  static const mv_kind *const kinds[] = {&revenue_movements_kind, &customer_movements_kind,
                                         &revenue_cohorts_kind};
  int i, rc = SQLITE_OK;
  for (i = 0; rc == SQLITE_OK && i < PF_COUNT(kinds); i++)
    rc = pf_query_table_register(db, &kinds[i]->table, &movements_module, pzErrMsg);
  return rc;
}
