/*
** portfolio_core.h: the host-neutral core of the portfolio extension: numbers, customer
** keys, the per-customer table and the measures.
**
** Included by: the files of ext/core, every host layer (ext/sqlite/, postgres/) and the unit tests.
** Rules:
**   1. No host header and no host type: the core compiles without sqlite3.h (checked by
**      tests/core_without_sqlite.test.sh). Keys and amounts arrive as plain C values
**      (pf_key, pf_num), already read by the host from its own values.
**   2. Memory only through pf_host.h (pf_malloc, pf_realloc, pf_free).
**   3. Errors are return codes (PF_OK, PF_NOMEM, PF_RANGE), never messages: the host turns
**      them into its own errors with the function's name.
**   4. pf_acc: exact for integers (a 192-bit sum: pf_wide.h, with or without __int128)
**      and compensated (Neumaier) for doubles, so results do not depend on row order.
**   5. pf_table: customer key -> net total. Its layout is private to core_table.c; callers
**      add rows, flush, and iterate entries (pf_table_next).
**   6. The measures (HHI, top-n share with a heap, Gini) over positive customer totals.
*/
#ifndef PORTFOLIO_CORE_H
#define PORTFOLIO_CORE_H

#include <stddef.h>
#include <stdint.h>

#include "pf_wide.h" /* first: pf_exact.h uses it */
#include "pf_exact.h"

#define PORTFOLIO_VERSION "0.1.0"

/* Return codes of the core. A host maps them to its own (see pf_sqlite_rc). */
enum { PF_OK = 0, PF_NOMEM = 1, PF_RANGE = 2 };

/* ---- numbers ---------------------------------------------------------------------- */

/* An amount: exact integer when the input was an integer. */
typedef struct pf_num {
  int is_int;
  int64_t i;
  double d; /* always set, also for integers */
} pf_num;

/* Exact-for-integers, compensated-for-doubles accumulator. Zero-initialise to start
** (PF_ACC_ZERO, memset or zeroed host memory). Its parts need only 8-byte alignment, which
** is all host allocators (sqlite3_malloc, aggregate contexts) promise. */
typedef struct pf_acc {
  pf_wide192 i; /* exact part: integer inputs and their squares (2^64 squares fit) */
  double d, c; /* Neumaier sum and its running compensation: double inputs */
  int inexact; /* 1 once any double was added */
} pf_acc;
#define PF_ACC_ZERO {{{0, 0, 0}}, 0, 0, 0}

void pf_acc_add_double(pf_acc *a, double x);
void pf_acc_add_int(pf_acc *a, int64_t x);
void pf_acc_add_i128(pf_acc *a, pf_i128 x);
void pf_acc_add_num(pf_acc *a, const pf_num *x);        /* +x */
void pf_acc_sub_num(pf_acc *a, const pf_num *x);        /* -x */
void pf_acc_add_acc(pf_acc *a, const pf_acc *b);        /* +b, exactly as b holds it */
void pf_acc_add_square(pf_acc *a, const pf_num *x, int sign); /* sign * x*x */
double pf_acc_value(const pf_acc *a);
/* Reads the accumulator as a pf_num: exact integer when it fits in 64 bits. */
void pf_acc_num(const pf_acc *a, pf_num *out);

/* -1, 0 or 1 as a < b, a = b, a > b, exactly (an INTEGER against a REAL is not rounded). */
int pf_num_compare(const pf_num *a, const pf_num *b);

/* An exact accumulator (pf_exact.h, rule 3): integers into a 192-bit part, doubles into a
** Neumaier pair while every step is provably exact, then into its superaccumulator. Its
** value is the exact sum rounded once, so it does not depend on the order of the inputs.
** pf_xacc_clear to start (it does not zero the superaccumulator until it is needed). */
typedef struct pf_xacc {
  pf_wide192 i; /* integer inputs and their squares */
  double s, c;  /* doubles: s + c is their exact sum while !spilled */
  int doubles;  /* 1 once any double was added */
  int spilled;  /* 1 once the doubles live in `big` */
  double special; /* the sum of non-finite inputs (an overflowed square): 0 when none */
  pf_exact big;
} pf_xacc;
void pf_xacc_clear(pf_xacc *a);
/* pf_xacc_add_double when the Neumaier step cannot be proven exact, or the doubles have
** moved to the superaccumulator already. */
void pf_xacc_add_double_slow(pf_xacc *a, double x);
/* Adds a double: the provably exact Neumaier step inline (the usual case), else the
** superaccumulator. */
static inline void pf_xacc_add_double(pf_xacc *a, double x) {
  a->doubles = 1;
  if (a->spilled || !pf_sum_step(&a->s, &a->c, x)) pf_xacc_add_double_slow(a, x);
}
void pf_xacc_add_num(pf_xacc *a, const pf_num *x, int sign);    /* sign * x */
void pf_xacc_add_square(pf_xacc *a, const pf_num *x, int sign); /* sign * x*x */
/* The exact sum rounded once to a double (+-inf beyond the range). */
double pf_xacc_value(const pf_xacc *a);
/* The exact sum as hi + lo: hi = pf_xacc_value, lo = what is left, rounded once. */
void pf_xacc_split(const pf_xacc *a, double *hi, double *lo);
/* The exact sum rounded once as f * 2^*e (pf_exact_frexp), also beyond the double range;
** a non-finite input's sum as it is, *e = 0. */
double pf_xacc_frexp(const pf_xacc *a, int *e);
/* a += b, exactly (the parts of a parallel aggregate). */
void pf_xacc_merge(pf_xacc *a, const pf_xacc *b);
/* The sum times 10^k (k >= 0), exactly (a recount in a finer decimal unit): it moves into
** the superaccumulator, which must hold the result (below about 2^1100). */
void pf_xacc_scale10(pf_xacc *a, int k);

/* The count, sum and sum of squares of positive totals, all exact for any finite REAL or
** INTEGER totals, in any order, with totals taken back out (core_sqsums.c): what an HHI is
** computed from. No scale is needed: the squares' superaccumulator holds any square. About
** 1.7 KB, no allocation; pf_sqsums_clear to start (or zeroed memory). */
typedef struct pf_sqsums {
  pf_xacc sum;
  pf_squares sumsq;
  int64_t count;
} pf_sqsums;
void pf_sqsums_clear(pf_sqsums *s);
/* Adds (sign +1) or takes out (-1) one finite total. */
void pf_sqsums_add(pf_sqsums *s, const pf_num *x, int sign);
/* f(sum, sumsq) of the exact sums each rounded once, both scaled (sum by 2^-e, sumsq by
** 2^-2e) so that the sum is in [0.5, 1): the same bits as f of the unscaled sums for a
** function of degree 0 (sumsq / sum^2) when those are in the double range, and no overflow
** when they are not. s->count > 0 and the sum positive. */
double pf_sqsums_of(pf_sqsums *s, double (*f)(double sum, double sumsq));
/* a += b, exactly: a parallel plan's parts give what one pass over all rows gives. */
void pf_sqsums_merge(pf_sqsums *a, const pf_sqsums *b);
/* Every total times 10^k (k >= 0), exactly: the sum by 10^k, the squares by 10^2k. */
void pf_sqsums_scale10(pf_sqsums *s, int k);

/* ---- customer keys ---------------------------------------------------------------- */

enum { PF_KEY_INT = 1, PF_KEY_REAL = 2, PF_KEY_TEXT = 3, PF_KEY_BLOB = 4 };

/* A customer key. For TEXT and BLOB, p points at n bytes owned by the caller (the table
** copies them). An integral REAL (1.0) is the key PF_KEY_INT 1 with was_real set: it groups
** with INTEGER 1, as in GROUP BY, and is given back as the REAL 1.0. */
typedef struct pf_key {
  int type;
  int was_real;
  int64_t i;
  double r;
  const void *p;
  int n;
} pf_key;

/* Sets *out to the key of a REAL value r (PF_KEY_INT when r is integral and fits in 64
** bits, -0.0 being 0; else PF_KEY_REAL). */
void pf_key_from_double(double r, pf_key *out);
/* SQL's ordering of two keys (numbers < text < blobs; text and blobs byte by byte). */
int pf_key_compare(const pf_key *a, const pf_key *b);

/* ---- the per-customer hash table -------------------------------------------------- */

/* Zero-initialised is an empty table (so it can live in zeroed host memory, such as an
** aggregate context, without an allocation of its own). Everything behind `impl` is
** private to core_table.c. */
typedef struct pf_table_impl pf_table_impl;
typedef struct pf_table {
  pf_table_impl *impl;
} pf_table;

/* One customer of a table, read through the functions below. */
typedef struct pf_entry pf_entry;

/* Adds (sign = +1) or removes (sign = -1, window xInverse) one row's amount for a key.
** Numeric keys may be applied later (a prefetch pipeline). PF_OK or PF_NOMEM. */
int pf_table_add(pf_table *t, const pf_key *k, const pf_num *amount, int sign);
/* pf_table_add(t, INTEGER key, amount, +1): the usual row of every keyed form, with no
** key to build. */
int pf_table_add_int(pf_table *t, int64_t key, const pf_num *amount);
/* Asks the memory for the slot a lookup of key k starts at, so that a lookup a little later
** (pf_table_index) does not wait for it. No effect on the table. */
void pf_table_prefetch(const pf_table *t, const pf_key *k);
/* Applies every pending row; needed before reading entries. PF_OK or PF_NOMEM. */
int pf_table_flush(pf_table *t);
/* A table used as a dictionary (e.g. of periods): *index is the number stored for key k,
** or `next` stored for it now when k is new. Only for tables that never get rows through
** pf_table_add. PF_OK or PF_NOMEM. */
int pf_table_index(pf_table *t, const pf_key *k, int64_t next, int64_t *index);
/* Customers now in the table (flush first). */
int64_t pf_table_count(const pf_table *t);
/* Iteration (flush first): start with *pos = 0; returns each customer once, in no
** particular order, then NULL. Entries stay valid until the table next changes. */
const pf_entry *pf_table_next(const pf_table *t, uint64_t *pos);
/* The customer's net total (exact integer when all its rows were integers and it fits;
** for a pf_table_index dictionary, the stored index). */
void pf_entry_total(const pf_entry *e, pf_num *out);
/* A customer's net total of REAL rows as doubles whose exact sum it is (what adding them to
** another table carries over without rounding, for a parallel plan's parts): their number,
** at most max (PF_TOTAL_PIECES is enough for any finite sum), or 0 when the total is an
** integer sum (pf_entry_total gives it). */
#define PF_TOTAL_PIECES 48
int pf_entry_total_pieces(const pf_entry *e, double *piece, int max);
/* The customer's key; TEXT and BLOB bytes point into the table. */
void pf_entry_key(const pf_entry *e, pf_key *out);
/* Rows now counted for the customer of table t (added minus removed): 64-bit. */
uint64_t pf_entry_rows(const pf_table *t, const pf_entry *e);
/* Sets the row count of customer k (flush first), as if that many rows had been added:
** lets tests reach 2^32 rows without adding them. PF_OK, PF_NOMEM, PF_RANGE (k absent,
** or rows 0). */
int pf_table_set_rows(pf_table *t, const pf_key *k, uint64_t rows);
/* Bytes the table holds (slots and key copies), for the benchmark's memory figures. */
uint64_t pf_table_bytes(const pf_table *t);
void pf_table_free(pf_table *t);

/* ---- the measures ----------------------------------------------------------------- */

/* A growable array of positive customer totals (doubles). */
typedef struct pf_values {
  double *v;
  int64_t n, cap;
} pf_values;

int pf_values_push(pf_values *a, double x); /* PF_OK or PF_NOMEM */
void pf_values_remove(pf_values *a, double x); /* removes one copy, if present */
void pf_values_free(pf_values *a);
/* The message (after "<fn>: ") for PF_RANGE: a customer whose REAL rows add up beyond the
** largest double, so no share can be computed. */
#define PF_TOTAL_RANGE "a customer's total is beyond the range of REAL numbers (about 1.8e308)"
/* Collects the positive totals of a table into `out` (reusing its memory); flushes t.
** PF_OK, PF_NOMEM, or PF_RANGE for a total beyond the double range. */
int pf_values_from_table(pf_values *out, pf_table *t);
/* The exact count, sum and sum of squares of the positive totals of a table (flushes it)
** into *out (cleared first): the sums a sliding window keeps too, so both give the same
** bits. PF_OK, PF_NOMEM or PF_RANGE (a total beyond the double range). What pf_table_hhi
** computes the HHI from. */
int pf_table_sqsums(pf_table *t, pf_sqsums *out);
/* HHI of the positive totals of a table (flushes it): *customers of them, *hhi set when
** *customers > 0. Every total enters exactly (pf_sqsums). PF_OK, PF_NOMEM or PF_RANGE. */
int pf_table_hhi(pf_table *t, double *hhi, int64_t *customers);

/* HHI (0-10000) from the sum and the sum of squares of positive totals. */
double pf_hhi_of_sums(double sum, double sumsq); /* the two sums rounded, sum > 0 */
double pf_hhi(const pf_acc *sum, const pf_acc *sumsq);
double pf_hhi_exact(const pf_xacc *sum, const pf_xacc *sumsq);
/* The sums of a list of positive totals that concentration (both hosts) reads its shares
** and its HHI without each customer from. The totals are pf_num fields `stride` bytes
** apart (a field of the host's ranked rows), all > 0 and finite. */
typedef struct pf_share_sums {
  double scale;              /* pf_scale_for() the largest total: 1 unless REAL is extreme */
  double total, sum_lo;      /* the exact sum of the scaled totals as total + sum_lo */
  double sumsq_hi, sumsq_lo; /* the same for their squares */
} pf_share_sums;
void pf_share_sums_init(pf_share_sums *s, const pf_num *totals, size_t stride, int64_t count);
/* totals[i] times s->scale, as it enters the sums. */
void pf_share_scaled(const pf_share_sums *s, const pf_num *total, pf_num *out);
/* The HHI of the totals other than totals[i]: count >= 2, ranked largest first (the
** largest of the others is totals[0] or totals[1]). */
double pf_hhi_without(const pf_share_sums *s, const pf_num *totals, size_t stride,
                      int64_t count, int64_t i);
/* The factor (a power of two) by which amounts up to maxabs are multiplied before they are
** squared or summed: 1 for ordinary amounts; for REAL amounts beyond 2^400 (~1e120) or
** below 2^-400 it brings the largest near 1, so squares neither overflow nor vanish. The
** measures are ratios, so the factor cancels out exactly. */
double pf_scale_for(double maxabs);
int pf_scale_exponent(double x); /* e with x = m * 2^e, 0.5 <= m < 1; 0 in the safe range */
/* Share of the total held by the n largest of v[0..count). Uses a size-n heap. PF_OK or
** PF_NOMEM; *share is 1.0 when count <= n. */
int pf_top_share(const double *v, int64_t count, int64_t n, double *share);
/* Population Gini of v[0..count) (sorts v in place). count must be >= 1. */
double pf_gini(double *v, int64_t count);
/* Sorts v[0..n) ascending: a radix sort for positive finite values (linear time, one
** buffer of n doubles), qsort otherwise or when the buffer cannot be had. */
void pf_sort_positive(double *v, int64_t n);
/* order[] = the indexes of v[0..n) (positive finite values) from largest to smallest,
** equal values in index order; a radix sort. PF_OK or PF_NOMEM. */
int pf_rank_desc(const double *v, int64_t n, int64_t *order);

/* ---- ranking a score against 0/1 outcomes (core_ranking.c) ---------------------------- */

typedef struct pf_keys {
  uint64_t *v;
  int64_t n, cap;
} pf_keys;
/* The scores seen, per outcome (by_outcome[0], by_outcome[1]); zero-initialise. */
typedef struct pf_ranking {
  pf_keys by_outcome[2];
} pf_ranking;
int pf_ranking_add(pf_ranking *r, double score, int outcome); /* PF_OK or PF_NOMEM */
/* ROC AUC, ties one half, exact in integers. Sorts r. *defined 0 without both outcomes. */
int pf_ranking_auc(pf_ranking *r, double *auc, int *defined);
/* Outcome rate among the fraction (0, 1] of rows with the highest scores (ties at the cut
** in proportion) over the overall rate. Sorts r. *defined 0 without both outcomes. */
int pf_ranking_lift(pf_ranking *r, double fraction, double *lift, int *defined);
void pf_ranking_free(pf_ranking *r);

#endif
