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
**   1. of_sums measures (HHI), keyed form: exact sums (pf_sqsums: the square of any finite
**      total is held exactly, so no scale and no size limit), O(1) a row; taking a total
**      out leaves exactly what remains, so the value is the exact sums rounded once: the
**      one-pass form's to the last bit. (Their unkeyed form keeps the same exact sums
**      already, without a window: measure_sums.c.)
**   2. of_values measures (top_share, gini), both forms: the ordered multiset
**      (pf_window.h), O(log K) a row and a value.
**   3. Totals the summary cannot use are counted apart (`unheld`): a REAL total beyond the
**      range of doubles (the measure's error, every measure), and, for the multiset of
**      top_share and gini only, one of 2^400 (about 2.6e120) or more, or below 2^-401 (about
**      1.9e-121), which the one-pass forms scale by a power of two first: the multiset
**      holds it, but its double-double sums would overflow or lose it. While any is in the
**      frame, the value is computed as without a window, from the table (keyed) or from the
**      multiset's values (unkeyed): correct, at O(K) a row. HHI has no such bound.
*/
#include "measure_engine.h"
SQLITE_EXTENSION_INIT3

#include <math.h>
#include <string.h>

struct measure_window {
  int64_t unheld;      /* totals whose sums the summary cannot use (rule 3) */
  pf_sqsums sums;      /* of_sums measures: the positive totals, exactly */
  pf_multiset ordered; /* of_values measures */
};

/* Puts a total into the window's summary (sign +1) or takes it out (-1). */
static int window_total(const pf_measure *m, measure_window *w, const pf_num *t, int sign) {
  if (!isfinite(t->d)) {
    w->unheld += sign;
    return PF_OK;
  }
  if (t->d <= 0) return PF_OK; /* holds no share */
  if (m->of_sums) {
    pf_sqsums_add(&w->sums, t, sign);
    return PF_OK;
  }
  if (pf_scale_exponent(t->d) != 0) w->unheld += sign;
  return pf_multiset_add(&w->ordered, t->d, sign);
}

/* The keyed window's first summary: every customer of the table. */
static int fill_from_table(const pf_measure *m, measure_window *w, pf_table *t) {
  const pf_entry *e;
  uint64_t pos = 0;
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
  /* From now on the multiset holds them; the list is scratch for rule 3, empty with no
  ** room, so values_step's one-store path never takes a window's row. */
  pf_values_free(&s->values);
  return PF_OK;
}

int pf_window_start(sqlite3_context *ctx, const pf_measure *m, measure_state *s, int keyed) {
  measure_window *w = sqlite3_malloc64(sizeof(*w));
  if (w == 0) {
    sqlite3_result_error_nomem(ctx);
    return 0;
  }
  memset(w, 0, sizeof(*w));
  pf_sqsums_clear(&w->sums);
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
    pf_values_free(&s->values); /* no room left: see window_fill */
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
    if (w->sums.count > 0) sqlite3_result_double(ctx, pf_sqsums_of(&w->sums, m->of_sums));
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
