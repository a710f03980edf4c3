/*
** test_scorecard_patterns.c: risk_fit's rows grouped by bin pattern
** (ext/core/scorecard_patterns.c) both ways of its rule 3, the radix sort of
** code * 2 + outcome and the hash table, against a third grouping written here (each row's
** bins read from the collector, the rows sorted with qsort, runs counted). Generated rows:
**   1. six factors (integers, REALs, TEXT categories, missing values): the codes fit, both
**      ways give the reference's patterns, counts and order;
**   2. 28 factors of 5 bins (5^28 * 2 > 2^64): sorting refuses (PF_RANGE), the hash table
**      and fit_patterns_make give the reference's;
**   3. every value the same (no informative factor): one pattern holding every row.
*/
#include "testing.h"

#include "scorecard_patterns.h"

static uint64_t rng_state;
static uint32_t next_random(void) {
  rng_state = rng_state * 6364136223846793005ull + 1442695040888963407ull;
  return (uint32_t)(rng_state >> 33);
}

/* Fills fit with `rows` generated rows of `nf` factors of kind (i % 4): an integer in
** [0, 100), a REAL with two decimals, one of five TEXT categories, an integer missing one
** time in ten; `constant` makes every value 7. Then counts levels and makes the bins. */
static pf_fit *generated_fit(int nf, int rows, int constant) {
  static const char *const categories[] = {"basic", "plus", "pro", "team", "trial"};
  pf_fit *fit = pf_fit_new(nf);
  pf_fit_options o = {PF_FIT_DEFAULT_BINS, PF_FIT_DEFAULT_MIN_SHARE, PF_FIT_DEFAULT_L2};
  pf_fit_value v[32];
  char name[16];
  int f, r;
  ck_assert_ptr_nonnull(fit);
  for (f = 0; f < nf; f++) {
    snprintf(name, sizeof name, "f%d", f);
    ck_assert_int_eq(pf_fit_name(fit, f, name, (int)strlen(name)), PF_OK);
  }
  for (r = 0; r < rows; r++) {
    for (f = 0; f < nf; f++) {
      uint32_t x = next_random();
      memset(&v[f], 0, sizeof(v[f]));
      v[f].kind = PF_FIT_NUMBER;
      v[f].num.is_int = 1;
      v[f].num.i = constant ? 7 : x % 100;
      v[f].num.d = (double)v[f].num.i;
      if (constant) continue;
      if (f % 4 == 1) {
        v[f].num.is_int = 0;
        v[f].num.d = (double)(x % 10000) / 100.0;
      } else if (f % 4 == 2) {
        v[f].kind = PF_FIT_TEXT;
        v[f].text = categories[x % 5];
        v[f].n = (int)strlen(v[f].text);
      } else if (f % 4 == 3 && x % 10 == 0) {
        v[f].kind = PF_FIT_MISSING;
      }
    }
    ck_assert_int_eq(pf_fit_row(fit, (int)(next_random() % 2), v), PF_OK);
  }
  ck_assert_int_eq(fit_count_levels(fit), PF_OK);
  ck_assert_int_eq(fit_make_bins(fit, &o), PF_OK);
  return fit;
}

/* The reference grouping: row r's bins of the informative factors, then its outcome. */
static int ref_width;
static int compare_rows(const void *a, const void *b) {
  const uint16_t *x = a, *y = b;
  int i;
  for (i = 0; i < ref_width; i++)
    if (x[i] != y[i]) return x[i] < y[i] ? -1 : 1;
  return 0;
}

static void expect_reference(const pf_fit *fit, const fit_patterns *p) {
  int ni = 0, inf[64], i, w;
  int64_t r, k = -1;
  uint16_t *rows;
  for (i = 0; i < fit->nf; i++)
    if (fit->f[i].nbins >= 2) inf[ni++] = i;
  ck_assert_int_eq(p->ni, ni);
  w = ni + 1;
  rows = malloc(sizeof(uint16_t) * (size_t)(fit->nrows * w) + 1);
  ck_assert_ptr_nonnull(rows);
  for (r = 0; r < fit->nrows; r++) {
    const uint32_t *row = fit->rows + r * (fit->nf + 1);
    for (i = 0; i < ni; i++) {
      const fit_factor *f = &fit->f[inf[i]];
      uint32_t level = row[inf[i]];
      rows[r * w + i] =
          (uint16_t)(level == FIT_MISSING_LEVEL ? f->missing_bin : (int)f->level_bin[level]);
    }
    rows[r * w + ni] = (uint16_t)row[fit->nf];
  }
  ref_width = ni; /* sort by the bins only: runs of a pattern, outcomes mixed */
  qsort(rows, (size_t)fit->nrows, sizeof(uint16_t) * (size_t)w, compare_rows);
  for (r = 0; r < fit->nrows; r++) {
    if (r == 0 || compare_rows(rows + r * w, rows + (r - 1) * w) != 0) {
      k++;
      ck_assert_int_lt(k, p->np);
      ck_assert_int_eq(memcmp(p->keys + k * ni, rows + r * w, sizeof(uint16_t) * ni), 0);
      ck_assert_int_gt(p->n[k], 0);
    }
  }
  ck_assert_int_eq(k + 1, p->np);
  /* counts: walk again, summing per pattern */
  for (k = 0, r = 0; k < p->np; k++) {
    int64_t n = 0, pos = 0;
    while (r < fit->nrows && memcmp(rows + r * w, p->keys + k * ni, sizeof(uint16_t) * ni) == 0) {
      n++;
      pos += rows[r * w + ni];
      r++;
    }
    ck_assert_int_eq(p->n[k], n);
    ck_assert_int_eq(p->pos[k], pos);
  }
  ck_assert_int_eq(r, fit->nrows);
  free(rows);
}

START_TEST(sorting_and_hashing_give_the_reference_patterns) {
  pf_fit *fit;
  fit_patterns a, b;
  rng_state = 20261203;
  fit = generated_fit(6, 3000, 0);
  ck_assert_int_eq(fit_patterns_make_by(fit, &a, FIT_GROUP_BY_SORTING), PF_OK);
  ck_assert_int_eq(fit_patterns_make_by(fit, &b, FIT_GROUP_BY_HASHING), PF_OK);
  ck_assert_int_eq(a.ni, 6);
  ck_assert_int_gt(a.np, 1000); /* 5^4 * 6 * 6 possible: most rows distinct */
  expect_reference(fit, &a);
  expect_reference(fit, &b);
  fit_patterns_free(&a);
  fit_patterns_free(&b);
  pf_fit_free(fit);
}
END_TEST

START_TEST(codes_too_wide_for_sorting_use_the_hash_table) {
  pf_fit *fit;
  fit_patterns a, b;
  int f;
  rng_state = 7;
  fit = generated_fit(28, 2000, 0);
  for (f = 0; f < 28; f++) ck_assert_int_ge(fit->f[f].nbins, 5);
  ck_assert_int_eq(fit_patterns_make_by(fit, &a, FIT_GROUP_BY_SORTING), PF_RANGE);
  fit_patterns_free(&a);
  ck_assert_int_eq(fit_patterns_make(fit, &a), PF_OK);
  ck_assert_int_eq(fit_patterns_make_by(fit, &b, FIT_GROUP_BY_HASHING), PF_OK);
  expect_reference(fit, &a);
  expect_reference(fit, &b);
  fit_patterns_free(&a);
  fit_patterns_free(&b);
  pf_fit_free(fit);
}
END_TEST

START_TEST(no_informative_factor_is_one_pattern) {
  pf_fit *fit;
  fit_patterns a, b;
  rng_state = 1;
  fit = generated_fit(3, 500, 1);
  ck_assert_int_eq(fit_patterns_make_by(fit, &a, FIT_GROUP_BY_SORTING), PF_OK);
  ck_assert_int_eq(fit_patterns_make_by(fit, &b, FIT_GROUP_BY_HASHING), PF_OK);
  ck_assert_int_eq(a.ni, 0);
  ck_assert_int_eq(a.np, 1);
  ck_assert_int_eq(a.n[0], 500);
  ck_assert_int_eq(a.pos[0], pf_fit_count(fit, 1));
  expect_reference(fit, &a);
  expect_reference(fit, &b);
  fit_patterns_free(&a);
  fit_patterns_free(&b);
  pf_fit_free(fit);
}
END_TEST

static Suite *make_suite(void) {
  Suite *s = suite_create("scorecard_patterns");
  TCase *tc = tcase_create("core");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, sorting_and_hashing_give_the_reference_patterns);
  tcase_add_test(tc, codes_too_wide_for_sorting_use_the_hash_table);
  tcase_add_test(tc, no_informative_factor_is_one_pattern);
  suite_add_tcase(s, tc);
  return s;
}

PF_TEST_MAIN
