/*
** scorecard_internal.h: the collector's layout, shared by the scorecard_*.c files only.
**
** Included by: scorecard_bins.c, scorecard_collect.c, scorecard_encode.c, scorecard_json.c,
** scorecard_radix.c, scorecard_run.c and scorecard_patterns.h only.
**
**   1. scorecard_collect.c  rows and per-factor dictionaries of distinct values
**   2. scorecard_bins.c     sorted levels -> bins (equal counts, pooling, categories, missing)
**   3. scorecard_solve.c    bin patterns, the penalised Newton fit, centring, training AUC
**   4. scorecard_json.c     the model JSON
**   5. scorecard_run.c      pf_fit_run: the steps above in order, and the monotone pooling
**   6. scorecard_patterns.c rows grouped by bin pattern; scorecard_radix.c the big sorts
*/
#ifndef PORTFOLIO_SCORECARD_INTERNAL_H
#define PORTFOLIO_SCORECARD_INTERNAL_H

#include "pf_host.h"
#include "scorecard.h"

/* A row's value index for "missing" (NULL or ''). */
#define FIT_MISSING_LEVEL 0xffffffffu

/* One distinct value a factor has seen (a dictionary entry). */
typedef struct fit_level {
  int is_number; /* an INTEGER, a REAL or numeric TEXT */
  int is_int;    /* the number is the integer `ivalue` */
  int64_t ivalue;
  double value;
  char *text; /* the TEXT as written (numbers: only when given as TEXT; categorical
              ** factors get every number's text in scorecard_bins.c), NUL-terminated */
  int text_n;
  int64_t rows, outcomes; /* counted by fit_count_levels */
} fit_level;

enum { BIN_RANGE = 1, BIN_VALUE, BIN_OTHER, BIN_MISSING, BIN_ALL };

/* One bin of a factor. A range holds the sorted distinct numbers first..last (indexes into
** the factor's `sorted` groups); a value bin holds the category `first`. */
typedef struct fit_bin {
  int kind;
  uint32_t first, last;
  const fit_level *lower, *upper; /* BIN_RANGE: the numbers bounding it (NULL: open end) */
  const fit_level *category;      /* BIN_VALUE: a level carrying the category's text */
  int64_t rows, outcomes;
  double coef, points;
  int param; /* index of its coefficient in the fit, -1 when it has none */
} fit_bin;

/* INTEGER values below this (ages, counts, months) find their level by direct index. */
#define FIT_SMALL_INTS 1024

/* A slot of a factor's dictionary of values (scorecard_collect.c, rule 1). */
typedef struct fit_value_slot {
  uint64_t bits;  /* the int64, the double's bits (-0.0 read as 0.0), or the TEXT's hash */
  uint32_t level; /* its level index */
  uint32_t kind;  /* FIT_SLOT_*: 12, 12.0 and '12' are three levels */
} fit_value_slot;
enum { FIT_SLOT_EMPTY = 0, FIT_SLOT_INTEGER, FIT_SLOT_REAL, FIT_SLOT_TEXT };

typedef struct fit_factor {
  char *name;
  int name_n;
  int monotone;
  int categorical; /* some value is non-numeric TEXT */
  fit_value_slot *slots; /* value -> level index, open addressing, a power of two */
  uint64_t slots_cap, slots_count;
  uint32_t *small_ints; /* INTEGER 0..FIT_SMALL_INTS-1 -> level index + 1 (0: not seen) */
  fit_level *levels;
  uint32_t nlevels, cap;
  int64_t missing_rows, missing_outcomes;
  /* Made by scorecard_bins.c: */
  uint32_t *sorted;      /* level indexes in value (or text) order */
  uint32_t *group_start; /* groups of equal values (or texts) in `sorted`: ngroups + 1 */
  uint32_t ngroups;
  int64_t *group_rows, *group_outcomes;
  uint32_t *level_bin; /* level -> bin */
  fit_bin *bins;
  int nbins;
  int missing_bin; /* index of the missing bin, or -1 */
  int rising;      /* monotone: 1 when the data favour points rising with the value */
} fit_factor;

struct pf_fit {
  int nf;
  fit_factor *f;
  uint32_t *rows; /* nrows rows of nf level indexes, then the outcome */
  int64_t nrows, cap;
  int64_t count[2];
};

/* The fit's result beside the bins' points. */
typedef struct fit_result {
  double intercept;
  int iterations;
  double log_loss; /* mean over the rows */
  double auc;      /* on the training rows */
} fit_result;

/* scorecard_collect.c */
int fit_count_levels(pf_fit *fit);
/* Level l as the value that made it (its text points into the level). */
void fit_level_value(const fit_level *l, pf_fit_value *v);
/* Adds nrows rows (nf level indexes into values[f][0..counts[f]), then the outcome) to dst,
** looking each level up in dst's dictionaries once. PF_OK or PF_NOMEM. */
int fit_add_rows(pf_fit *dst, const pf_fit_value *const *values, const uint32_t *counts,
                 const uint32_t *rows, int64_t nrows);

/* scorecard_bins.c: a stable merge sort of indexes by cmp (PF_OK or PF_NOMEM). */
typedef int (*fit_compare)(const void *ctx, uint32_t a, uint32_t b);
int fit_sort(uint32_t *v, uint32_t n, fit_compare cmp, const void *ctx);
/* scorecard_radix.c: order[0..n) (indexes into keys) sorted stably by keys[]; and the
** key of a double in the order of the doubles. PF_OK or PF_NOMEM. */
int fit_radix_sort(const uint64_t *keys, uint32_t *order, uint32_t n);
uint64_t fit_radix_double_key(double d);
/* scorecard_radix.c: v[0..n) sorted in place, ascending; PF_OK or PF_NOMEM (v unchanged). */
int fit_radix_sort_values(uint64_t *v, uint64_t n);
/* scorecard_bins.c: every factor's bins. PF_OK, PF_NOMEM or PF_FIT_TOO_MANY_BINS. */
int fit_make_bins(pf_fit *fit, const pf_fit_options *o);
void fit_free_bins(fit_factor *f);
/* Merges bins b and b+1 of a numeric factor (monotone pooling). */
void fit_merge_bins(fit_factor *f, int b);

/* scorecard_solve.c: fits the coefficients of every bin and centres them into points.
** PF_OK, PF_NOMEM, PF_FIT_NO_CONVERGENCE or PF_FIT_SINGULAR. */
int fit_solve(pf_fit *fit, const pf_fit_options *o, fit_result *r);

/* scorecard_json.c: the model, into *json. PF_OK or PF_NOMEM. */
/* A number as the model prints it: an integer as such, a REAL with 15 significant digits
** and always a '.' or an exponent (12.0), as SQLite prints REALs. Returns the length. */
int fit_format_number(char buf[40], int is_int, int64_t i, double d);
int fit_write_json(const pf_fit *fit, const pf_fit_options *o, const fit_result *r,
                   char **json);

/* Neumaier-compensated running sum (the fit's gradient, loss and centring). The rounding
** error of each s + x is found by Knuth's TwoSum, which needs no comparison of |s| and |x|
** (no branch in the fit's hot loops) and gives the same exact error as Neumaier's two
** branches, so the same sums, bit for bit (finite values; no FMA contraction can change
** it: only additions). */
typedef struct fit_sum {
  double s, c;
} fit_sum;
static inline void fit_sum_add(fit_sum *a, double x) {
  double t = a->s + x, z = t - a->s;
  a->c += (a->s - (t - z)) + (x - z);
  a->s = t;
}
static inline double fit_sum_value(const fit_sum *a) { return a->s + a->c; }

#endif
