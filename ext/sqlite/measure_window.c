/*
** measure_window.c: window frames kept up to date row by row.
**
** A sliding frame (ROWS n PRECEDING) asks for a value on every row after one row came in
** and one went out. A pass over every customer on each row cost 1.76 ms a row with
** 100,000 customers in the frame; instead, from the first value asked (or the first row
** taken out) on, each row changes a summary of the frame's positive totals. In the keyed
** form the row is applied at once to the table (pf_table_update), which reports the
** customer's total before and after, and the summary swaps the one for the other; in the
** unkeyed form of an of_values measure the row's amount is the total that comes or goes.
**   1. of_sums measures (HHI), keyed form: running sums (measure_sums.c), O(1) a row.
**      Integer totals are exact. When taking REAL totals out has left the sums less
**      accurate than 1e-12 (their `lost` flag), the value is the pass over every customer
**      instead, and the sums are rebuilt from it, so they are exact again from there on.
**      (Their unkeyed form is running sums already, without a window.)
**   2. of_values measures (top_share, gini), both forms: the ordered multiset
**      (pf_window.h), O(log K) a row and a value.
**   3. Totals whose sums the summary cannot form exactly enough are counted apart
**      (`unheld`): a REAL total beyond the range of doubles (the measure's error), and for
**      the multiset one beyond about 1e120 or below 1e-120 (which the list form scales
**      first; the multiset holds it, but its sums are not used). While any is in the frame,
**      the value is computed as without a window, from the table (keyed) or from the
**      multiset's values (unkeyed): correct, at O(K) a row.
*/
#include "measure_engine.h"
SQLITE_EXTENSION_INIT3

#include <math.h>
#include <string.h>

struct measure_window {
  int64_t unheld;       /* totals whose sums the summary cannot use (rule 3) */
  pf_running_sums sums; /* of_sums measures */
  pf_multiset ordered;  /* of_values measures */
};

/* Puts a total into the window's summary (sign +1) or takes it out (-1). */
static int window_total(const pf_measure *m, measure_window *w, const pf_num *t, int sign) {
  if (!isfinite(t->d)) {
    w->unheld += sign;
    return PF_OK;
  }
  if (t->d <= 0) return PF_OK; /* holds no share */
  if (m->of_sums) {
    pf_sums_update(&w->sums, t, sign);
    return PF_OK;
  }
  if (pf_scale_exponent(t->d) != 0) w->unheld += sign;
  return pf_multiset_add(&w->ordered, t->d, sign);
}

/* Fills the summary from every customer of the table: the keyed window's start (the
** multiset is empty then), and the running sums' new start after `lost` (emptied here). */
static int fill_from_table(const pf_measure *m, measure_window *w, pf_table *t) {
  const pf_entry *e;
  uint64_t pos = 0;
  memset(&w->sums, 0, sizeof(w->sums));
  w->unheld = 0;
  if (pf_table_flush(t) != PF_OK) return PF_NOMEM;
  while ((e = pf_table_next(t, &pos)) != 0) {
    pf_num total;
    pf_entry_total(e, &total);
    if (window_total(m, w, &total, 1) != PF_OK) return PF_NOMEM;
  }
  return PF_OK;
}

/* The first summary: from the table (keyed) or from the amounts kept so far (unkeyed). */
static int window_fill(const pf_measure *m, measure_window *w, measure_state *s, int keyed) {
  int64_t i;
  if (keyed) return fill_from_table(m, w, &s->customers);
  for (i = 0; i < s->values.n; i++) {
    pf_num x = {0, 0, s->values.v[i]};
    if (window_total(m, w, &x, 1) != PF_OK) return PF_NOMEM;
  }
  s->values.n = 0; /* from now on the multiset holds them; the list is scratch */
  return PF_OK;
}

int pf_window_start(sqlite3_context *ctx, const pf_measure *m, measure_state *s, int keyed) {
  measure_window *w = sqlite3_malloc64(sizeof(*w));
  if (w == 0) {
    sqlite3_result_error_nomem(ctx);
    return 0;
  }
  memset(w, 0, sizeof(*w));
  s->window = w;
  s->fast_rows = 0; /* every row changes the summary from now on */
  if (window_fill(m, w, s, keyed) != PF_OK) {
    pf_window_free(s);
    sqlite3_result_error_nomem(ctx);
    return 0;
  }
  return 1;
}

void pf_window_row(sqlite3_context *ctx, const pf_measure *m, measure_state *s,
                   sqlite3_value *key, sqlite3_value *amount, int sign) {
  measure_window *w = s->window;
  pf_key k;
  pf_num x;
  pf_change ch;
  if (pf_keyed_read(ctx, m->name, key, amount, &k, &x) <= 0) return;
  if (pf_table_update(&s->customers, &k, &x, sign, &ch) != PF_OK ||
      (ch.had && window_total(m, w, &ch.before, -1) != PF_OK) ||
      (ch.has && window_total(m, w, &ch.after, 1) != PF_OK))
    sqlite3_result_error_nomem(ctx);
}

void pf_window_amount(sqlite3_context *ctx, const pf_measure *m, measure_state *s,
                      const pf_num *x, int sign) {
  if (window_total(m, s->window, x, sign) != PF_OK) sqlite3_result_error_nomem(ctx);
}

/* Rule 3: the measure as without a window. */
static void result_without_summary(sqlite3_context *ctx, const pf_measure *m,
                                   measure_state *s, int keyed) {
  if (!keyed) {
    if (pf_multiset_values(&s->window->ordered, &s->values) != PF_OK)
      sqlite3_result_error_nomem(ctx);
    else
      pf_result_of_values(ctx, m, &s->values, s->extra);
  } else if (m->of_sums) {
    pf_result_of_table_sums(ctx, m, &s->customers);
  } else if (pf_values_from_table_for(ctx, m->name, &s->values, &s->customers)) {
    pf_result_of_values(ctx, m, &s->values, s->extra);
  }
}

void pf_window_result(sqlite3_context *ctx, const pf_measure *m, measure_state *s, int keyed) {
  measure_window *w = s->window;
  if (w->unheld > 0) {
    result_without_summary(ctx, m, s, keyed);
    return;
  }
  if (m->of_sums) {
    if (w->sums.lost) {
      /* rule 1: the exact pass, and sums that start again from it */
      pf_result_of_table_sums(ctx, m, &s->customers);
      if (fill_from_table(m, w, &s->customers) != PF_OK) sqlite3_result_error_nomem(ctx);
    } else if (w->sums.count > 0) {
      sqlite3_result_double(ctx, m->of_sums(&w->sums.sum, &w->sums.sumsq));
    }
    return;
  }
  if (pf_multiset_count(&w->ordered) > 0)
    sqlite3_result_double(ctx, m->of_multiset(&w->ordered, s->extra));
}

void pf_window_free(measure_state *s) {
  if (s->window == 0) return;
  pf_multiset_free(&s->window->ordered);
  sqlite3_free(s->window);
  s->window = 0;
}
