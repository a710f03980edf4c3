/*
** The customer table (core_table.c) past its cache-sized fast paths: tables of tens of
** thousands of customers go through the prefetch pipeline, grow by 1.2x past 2^20 slots and
** remove customers by backward shift in an array of any size. Checked against a plain
** reference (totals per key in an array, amounts in quarters so every sum is exact):
** random adds and window-style removals through pf_table_add, and the keyed aggregates over
** 120k customers against GROUP BY. A customer's REAL total given as exact pieces
** (pf_entry_total_pieces, how the PostgreSQL host hands a part's totals over) carries over
** without rounding: hand-worked, where the rounded total would not.
*/
#include "agg_reference.h"
#include "portfolio_core.h"

#define NKEYS 60000

typedef struct ref_key {
  double total;
  long rows;
} ref_key;

typedef struct added {
  int key;
  double amount;
  int is_int;
} added;

/* Every key of the reference with rows has an entry with that total and row count, and
** nothing else is in the table. */
static void check_against_reference(pf_table *t, const ref_key *ref) {
  const pf_entry *e;
  uint64_t pos = 0;
  sqlite3_int64 live = 0, found = 0;
  int k;
  ck_assert_int_eq(pf_table_flush(t), PF_OK);
  for (k = 0; k < NKEYS; k++) live += ref[k].rows > 0;
  while ((e = pf_table_next(t, &pos)) != 0) {
    pf_num total;
    pf_key ek;
    sqlite3_int64 key;
    found++;
    pf_entry_key(e, &ek);
    ck_assert_int_eq(ek.type, PF_KEY_INT);
    key = ek.i;
    ck_assert(key >= 0 && key < NKEYS);
    ck_assert_int_eq((long)pf_entry_rows(t, e), ref[key].rows);
    pf_entry_total(e, &total);
    ck_assert_msg(total.d == ref[key].total, "key %lld: %.17g, want %.17g", key, total.d,
                  ref[key].total);
  }
  ck_assert_int_eq(found, live);
  ck_assert_int_eq(pf_table_count(t), live);
}

START_TEST(pipeline_adds_and_removals_match_reference) {
  pf_table t;
  ref_key *ref = calloc(NKEYS, sizeof(ref_key));
  added *rows = malloc(sizeof(added) * 400000);
  unsigned seed = 99;
  int n = 0, op;
  memset(&t, 0, sizeof t);
  ck_assert_ptr_nonnull(ref);
  ck_assert_ptr_nonnull(rows);
  for (op = 0; op < 400000; op++) {
    unsigned x = ref_lcg(&seed);
    pf_key k;
    pf_num a;
    int sign = 1;
    added r;
    if (n > 0 && x % 5 == 0) {
      /* a window frame dropping an earlier row: the same key and amount, sign -1 */
      int at = (int)(ref_lcg(&seed) % (unsigned)n);
      r = rows[at];
      rows[at] = rows[--n];
      sign = -1;
    } else {
      r.key = (int)(ref_lcg(&seed) % NKEYS);
      r.is_int = x % 3 == 0;
      r.amount = (double)((int)(ref_lcg(&seed) % 4000) - 500) / (r.is_int ? 1.0 : 4.0);
      if (r.is_int) r.amount = (double)(long)r.amount;
      rows[n++] = r;
    }
    memset(&k, 0, sizeof k);
    k.type = PF_KEY_INT;
    k.i = r.key;
    a.is_int = r.is_int;
    a.i = r.is_int ? (sqlite3_int64)r.amount : 0;
    a.d = r.amount;
    ck_assert_int_eq(pf_table_add(&t, &k, &a, sign), PF_OK);
    ref[r.key].total += sign * r.amount;
    ref[r.key].rows += sign;
    if (op % 100000 == 99999) check_against_reference(&t, ref);
  }
  /* drop every remaining row: the table ends empty */
  while (n > 0) {
    added r = rows[--n];
    pf_key k;
    pf_num a;
    memset(&k, 0, sizeof k);
    k.type = PF_KEY_INT;
    k.i = r.key;
    a.is_int = r.is_int;
    a.i = r.is_int ? (sqlite3_int64)r.amount : 0;
    a.d = r.amount;
    ck_assert_int_eq(pf_table_add(&t, &k, &a, -1), PF_OK);
    ref[r.key].total -= r.amount;
    ref[r.key].rows--;
  }
  check_against_reference(&t, ref);
  ck_assert_int_eq(pf_table_count(&t), 0);
  /* it did grow past the pipeline threshold (16384 slots of 32 bytes) */
  ck_assert_uint_gt(pf_table_bytes(&t), 16384 * 32);
  pf_table_free(&t);
  free(rows);
  free(ref);
}
END_TEST

START_TEST(keyed_aggregates_over_120k_customers_equal_group_by) {
  sqlite3 *db = pf_open();
  char sql[400];
  double keyed, grouped;
  pf_exec(db, "CREATE TABLE inv(cust INTEGER, amount);"
              "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 400000)"
              " INSERT INTO inv SELECT (i * 7919) % 120001, CASE WHEN i % 3 = 0 THEN i % 997 -"
              " 100 ELSE ((i * 31) % 4001) / 4.0 END FROM s;");
  keyed = pf_double(db, "SELECT herfindahl(cust, amount) FROM inv");
  grouped = pf_double(db, "SELECT herfindahl(t) FROM (SELECT sum(amount) t FROM inv GROUP BY "
                          "cust)");
  ref_assert_rel(keyed, grouped, 1e-12);
  keyed = pf_double(db, "SELECT top_share(cust, amount, 10) FROM inv");
  grouped = pf_double(db, "SELECT top_share(t, 10) FROM (SELECT sum(amount) t FROM inv GROUP "
                          "BY cust)");
  ref_assert_rel(keyed, grouped, 1e-12);
  keyed = pf_double(db, "SELECT gini(cust, amount) FROM inv");
  grouped = pf_double(db, "SELECT gini(t) FROM (SELECT sum(amount) t FROM inv GROUP BY cust)");
  ref_assert_rel(keyed, grouped, 1e-12);
  /* the concentration table sees every positive customer once */
  snprintf(sql, sizeof sql, "SELECT count(*) = (SELECT count(*) FROM (SELECT sum(amount) t FROM"
                            " inv GROUP BY cust HAVING t > 0)) FROM concentration('SELECT cust,"
                            " amount FROM inv')");
  ck_assert_int_eq(pf_int(db, sql), 1);
  sqlite3_close(db);
}
END_TEST

/* The total of key 1 in a table whose rows were added from src's entries: as pieces, or as
** the rounded total when pieces is 0. */
static double carried_over(pf_table *src, pf_table *dst, int use_pieces) {
  const pf_entry *e;
  uint64_t pos = 0;
  pf_num total;
  ck_assert_int_eq(pf_table_flush(src), PF_OK);
  while ((e = pf_table_next(src, &pos)) != NULL) {
    double piece[PF_TOTAL_PIECES];
    int n = use_pieces ? pf_entry_total_pieces(e, piece, PF_TOTAL_PIECES) : 0, i;
    pf_key k;
    pf_entry_key(e, &k);
    pf_entry_total(e, &total);
    if (n == 0) ck_assert_int_eq(pf_table_add(dst, &k, &total, +1), PF_OK);
    for (i = 0; i < n; i++) {
      pf_num x = {0, 0, piece[i]};
      ck_assert_int_eq(pf_table_add(dst, &k, &x, +1), PF_OK);
    }
  }
  ck_assert_int_eq(pf_table_flush(dst), PF_OK);
  pos = 0;
  e = pf_table_next(dst, &pos);
  ck_assert_ptr_nonnull(e);
  pf_entry_total(e, &total);
  return total.d;
}

/* Part a: 1e17 + 8.5 (rounds to 1e17 + 16: the ulp there is 16); part b: -0.6. The exact
** total 1e17 + 7.9 rounds to 1e17; a's rounded total + b rounds to 1e17 + 16. With 1e300
** and -1e300 (a superaccumulator of its own) the same, through many pieces' worth. */
START_TEST(total_pieces_carry_the_exact_sum) {
  int big, pieces;
  for (big = 0; big < 2; big++) {
    for (pieces = 0; pieces < 2; pieces++) {
      pf_table a = {0}, b = {0};
      pf_key k = {PF_KEY_INT, 0, 1, 0, 0, 0};
      pf_num x = {0, 0, 1e17}, y = {0, 0, 8.5}, z = {0, 0, -0.6};
      pf_num hi = {0, 0, 1e300}, lo = {0, 0, -1e300};
      double got;
      ck_assert_int_eq(pf_table_add(&a, &k, &x, +1), PF_OK);
      if (big) ck_assert_int_eq(pf_table_add(&a, &k, &hi, +1), PF_OK);
      ck_assert_int_eq(pf_table_add(&a, &k, &y, +1), PF_OK);
      if (big) ck_assert_int_eq(pf_table_add(&a, &k, &lo, +1), PF_OK);
      ck_assert_int_eq(pf_table_add(&b, &k, &z, +1), PF_OK);
      got = carried_over(&a, &b, pieces);
      ck_assert_msg(got == (pieces ? 1e17 : 1e17 + 16), "big %d pieces %d: %.17g", big,
                    pieces, got);
      pf_table_free(&a);
      pf_table_free(&b);
    }
  }
}
END_TEST

static Suite *make_suite(void) {
  Suite *s = suite_create("table");
  TCase *tc = tcase_create("core");
  tcase_set_timeout(tc, 120);
  tcase_add_test(tc, pipeline_adds_and_removals_match_reference);
  tcase_add_test(tc, keyed_aggregates_over_120k_customers_equal_group_by);
  tcase_add_test(tc, total_pieces_carry_the_exact_sum);
  suite_add_tcase(s, tc);
  return s;
}

PF_TEST_MAIN
