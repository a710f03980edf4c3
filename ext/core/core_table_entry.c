/*
** core_table_entry.c: one customer's net total in the per-customer table (the layout is in
** core_table_internal.h; core_table.c finds the customer and calls in here).
**
**   1. An exact int64 while every row is an INTEGER and the sum fits.
**   2. Then (the first REAL row, or an INTEGER sum leaving the int64 range) a Neumaier pair
**      (total.d, comp), entered exactly from the integer sum, which holds the exact sum as
**      long as every step is provably exact (pf_sum_step). core_table.c does the usual
**      such step inline (pf_entry_add_double_fast).
**   3. The first step that is not (cancellation across a span of more than about 2^53, or
**      a sum past the double range half-way) moves the customer into a superaccumulator of
**      its own (pf_exact, 552 bytes from pf_malloc, flag META_EXACT, freed when the customer
**      leaves the table or the table is freed). Its total is then the exact sum rounded
**      once, the same in every row order. Ordinary customers never get one: 32 bytes each.
**   4. Integer sums beyond the int64 range (META_INT_OVERFLOW, no REAL row) come back as an
**      INTEGER once they fit again, so MAX + MAX - MAX is MAX in every order.
*/
#include "core_table_internal.h"
#include "pf_host.h"

#include <math.h>

/* From the exact pair (total.d, comp) to a superaccumulator holding the same sum. */
static int entry_make_exact(pf_table_impl *t, pf_entry *e) {
  pf_exact *x = pf_malloc(sizeof(pf_exact));
  if (x == 0) return PF_NOMEM;
  pf_exact_clear(x);
  pf_exact_add(x, e->total.d);
  pf_exact_add(x, e->comp);
  e->total.exact = x;
  e->comp = 0;
  e->meta |= META_EXACT;
  t->exact_count++;
  return PF_OK;
}

void pf_entry_release(pf_table_impl *t, pf_entry *e) {
  if (!(e->meta & META_EXACT)) return;
  pf_free(e->total.exact);
  e->meta &= ~META_EXACT;
  t->exact_count--;
}

/* Adds x to an inexact customer's sum, exactly. PF_OK or PF_NOMEM (nothing changed). */
static int entry_add_double(pf_table_impl *t, pf_entry *e, double x) {
  if (!(e->meta & META_EXACT)) {
    if (pf_entry_add_double_fast(e, x)) return PF_OK;
    if (entry_make_exact(t, e) != PF_OK) return PF_NOMEM;
  }
  pf_exact_add(e->total.exact, x);
  return PF_OK;
}

/* From exact to compensated: the pair (total.d, comp) holds `exact` without rounding. */
static void entry_make_inexact(pf_entry *e, pf_i128 exact) {
  double hi = pf_i128_to_double(exact);
  int overflow;
  e->total.d = hi;
  e->comp = pf_i128_to_double(pf_i128_add(exact, pf_i128_neg(pf_i128_from_double(hi)), &overflow));
  e->meta |= PF_ENTRY_INEXACT;
}

int pf_entry_add(pf_table_impl *t, pf_entry *e, const pf_num *x, int sign) {
  if (x->is_int) {
    pf_i128 v = pf_i128_from_i64(x->i);
    int64_t r64;
    int overflow;
    if (sign > 0 && !(e->meta & PF_ENTRY_INEXACT) &&
        !__builtin_add_overflow(e->total.i, x->i, &r64)) {
      e->total.i = r64;
      return PF_OK;
    }
    if (sign < 0) v = pf_i128_neg(v);
    if (!(e->meta & PF_ENTRY_INEXACT)) {
      pf_i128 r = pf_i128_add(pf_i128_from_i64(e->total.i), v, &overflow); /* < 2^65 */
      if (pf_i128_fits_i64(r)) {
        e->total.i = (int64_t)r.lo;
      } else {
        entry_make_inexact(e, r);
        e->meta |= META_INT_OVERFLOW;
      }
    } else {
      /* Past 2^53 an integer is not one double: add it as two exact halves. */
      double hi = pf_i128_to_double(v);
      double lo = pf_i128_to_double(pf_i128_add(v, pf_i128_neg(pf_i128_from_double(hi)), &overflow));
      if (entry_add_double(t, e, hi) != PF_OK) return PF_NOMEM;
      if (lo != 0 && entry_add_double(t, e, lo) != PF_OK) return PF_NOMEM;
    }
  } else {
    if (!(e->meta & PF_ENTRY_INEXACT)) entry_make_inexact(e, pf_i128_from_i64(e->total.i));
    if (entry_add_double(t, e, sign < 0 ? -x->d : x->d) != PF_OK) return PF_NOMEM;
    e->meta &= ~META_INT_OVERFLOW;
  }
  return PF_OK;
}

void pf_entry_total(const pf_entry *e, pf_num *out) {
  pf_i128 sum;
  int overflow = 1;
  if (!(e->meta & PF_ENTRY_INEXACT)) {
    out->is_int = 1;
    out->i = e->total.i;
    out->d = (double)out->i;
    return;
  }
  if (e->meta & META_EXACT) {
    out->is_int = (e->meta & META_INT_OVERFLOW) && pf_exact_int64(e->total.exact, &out->i);
    if (out->is_int)
      out->d = (double)out->i;
    else
      out->i = 0, out->d = pf_exact_value(e->total.exact);
    return;
  }
  if ((e->meta & META_INT_OVERFLOW) && fabs(e->total.d) < 0x1p100)
    sum = pf_i128_add(pf_i128_from_double(e->total.d), pf_i128_from_double(e->comp), &overflow);
  if (!overflow && pf_i128_fits_i64(sum)) {
    out->is_int = 1;
    out->i = (int64_t)sum.lo;
    out->d = (double)out->i;
  } else {
    out->is_int = 0;
    out->i = 0;
    out->d = e->total.d + e->comp;
  }
}


int pf_entry_total_pieces(const pf_entry *e, double *piece, int max) {
  pf_exact rest;
  int n = 0;
  if (!(e->meta & PF_ENTRY_INEXACT) || (e->meta & META_INT_OVERFLOW)) return 0;
  if (!(e->meta & META_EXACT)) {
    /* the pair holds the exact sum (every step was proven exact) */
    piece[n++] = e->total.d;
    if (e->comp != 0) piece[n++] = e->comp;
    return n;
  }
  /* the superaccumulator's sum, its top 53 bits at a time: each piece is the rest rounded
  ** once, and taking it out is exact, so the pieces add up to the sum exactly */
  rest = *e->total.exact;
  while (n < max) {
    double v = pf_exact_value(&rest);
    if (v == 0) break;
    piece[n++] = v;
    if (!isfinite(v)) break;
    pf_exact_add(&rest, -v);
  }
  return n;
}

void pf_entry_key(const pf_entry *e, pf_key *out) {
  out->type = PF_ENTRY_KTYPE(e);
  out->was_real = (e->meta & PF_ENTRY_REAL_KEY) != 0;
  out->i = 0;
  out->r = 0;
  out->p = 0;
  out->n = 0;
  switch (out->type) {
    case PF_KEY_INT:
      out->i = e->key.i;
      break;
    case PF_KEY_REAL:
      out->r = e->key.r;
      break;
    default:
      out->p = e->key.p;
      out->n = pf_entry_key_length(e);
      break;
  }
}
