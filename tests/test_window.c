/*
** Every measure (the engine's list, pf_measures) as a window function, unkeyed and keyed:
** every row's value must equal the same measure over exactly that row's frame, computed
** independently (the frame's rows picked by row number, GROUP BY sum() per customer,
** agg_reference.h). Sliding frames exercise xInverse: rows leave, and in the keyed form a
** customer whose rows have all left the frame must disappear. A measure added to the list
** without a reference below fails here.
*/
#include "agg_reference.h"
#include "measure.h"

#define UNB 1000000 /* "unbounded" as a row offset */

typedef struct frame {
  const char *over; /* the OVER clause */
  int lo, hi;       /* frame = rows rn+lo .. rn+hi of the partition */
} frame;

static const frame frames[] = {
    {"PARTITION BY grp ORDER BY id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW", -2, 0},
    {"PARTITION BY grp ORDER BY id ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING", -1, 1},
    {"PARTITION BY grp ORDER BY id ROWS BETWEEN 3 PRECEDING AND 1 PRECEDING", -3, -1},
    {"PARTITION BY grp ORDER BY id ROWS BETWEEN 10 PRECEDING AND 5 FOLLOWING", -10, 5},
    {"PARTITION BY grp ORDER BY id ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING", 0, UNB},
    {"PARTITION BY grp ORDER BY id ROWS UNBOUNDED PRECEDING", -UNB, 0},
    {"PARTITION BY grp", -UNB, UNB},
    {"ORDER BY id ROWS BETWEEN 4 PRECEDING AND 2 FOLLOWING", -4, 2}, /* one partition */
};

/* The reference of each measure, by name; `extra` is its extra argument (0 without). */
static double ref_hhi_of(ref_vals *r, int extra) {
  (void)extra;
  return ref_hhi(r);
}
static double ref_top_share_of(ref_vals *r, int extra) { return ref_top_share(r, extra); }
static double ref_gini_of(ref_vals *r, int extra) {
  (void)extra;
  return ref_gini(r);
}

typedef double (*ref_measure)(ref_vals *r, int extra);

static const struct {
  const char *name;
  ref_measure of;
} references[] = {
    {"herfindahl", ref_hhi_of},
    {"top_share", ref_top_share_of},
    {"gini", ref_gini_of},
};

static ref_measure reference_for(const pf_measure *m) {
  size_t i;
  for (i = 0; i < sizeof(references) / sizeof(references[0]); i++)
    if (strcmp(references[i].name, m->name) == 0) return references[i].of;
  ck_abort_msg("measure %s has no reference in tests/test_window.c", m->name);
  return 0;
}

/* The extra arguments a measure is checked with: a few values of n, or none. */
static int extras_of(const pf_measure *m, int *out) {
  if (m->extra_arg == 0) {
    out[0] = 0;
    return 1;
  }
  out[0] = 1;
  out[1] = 2;
  out[2] = 5;
  return 3;
}

/* Generated rows: 3 groups, 8 customers, amounts with credit notes, REAL quarters, NULLs
** and '' keys, so frames hold repeated customers, customers netting to <= 0 and rows to
** skip. */
static void make_rows(sqlite3 *db, int nrows, int ncust, int text_keys) {
  sqlite3_stmt *stmt = 0;
  unsigned seed = 2718u;
  int i;
  pf_exec(db, "CREATE TABLE w(id INTEGER PRIMARY KEY, grp, cust, amount)");
  ck_assert_int_eq(sqlite3_prepare_v2(db, "INSERT INTO w VALUES (?1, ?2, ?3, ?4)", -1, &stmt, 0),
                   SQLITE_OK);
  pf_exec(db, "BEGIN");
  for (i = 1; i <= nrows; i++) {
    unsigned r = ref_lcg(&seed);
    int cust = 1 + (int)(ref_lcg(&seed) % (unsigned)ncust);
    int amount = (int)(ref_lcg(&seed) % 120) - 20; /* -20 .. 99 */
    sqlite3_bind_int(stmt, 1, i * 3); /* ids with gaps */
    sqlite3_bind_int(stmt, 2, 1 + (int)(r % 3));
    if (r % 29 == 0)
      sqlite3_bind_null(stmt, 3);
    else if (r % 31 == 0)
      sqlite3_bind_text(stmt, 3, "", 0, SQLITE_STATIC);
    else if (text_keys) {
      char key[32];
      snprintf(key, sizeof key, "customer-%05d", cust);
      sqlite3_bind_text(stmt, 3, key, -1, SQLITE_TRANSIENT);
    } else
      sqlite3_bind_int(stmt, 3, cust);
    if (r % 23 == 0)
      sqlite3_bind_null(stmt, 4);
    else if (r % 5 == 0)
      sqlite3_bind_double(stmt, 4, amount + 0.25 * (r % 4));
    else
      sqlite3_bind_int(stmt, 4, amount);
    ck_assert_int_eq(sqlite3_step(stmt), SQLITE_DONE);
    sqlite3_reset(stmt);
  }
  pf_exec(db, "COMMIT");
  sqlite3_finalize(stmt);
  /* row numbers within each partition and overall, for picking frames independently */
  pf_exec(db, "CREATE TABLE n AS SELECT *, row_number() OVER (PARTITION BY grp ORDER BY id) "
              "AS rn, row_number() OVER (ORDER BY id) AS rn_all FROM w;"
              "CREATE INDEX n_grp ON n(grp, rn); CREATE INDEX n_all ON n(rn_all);");
}

/* Runs measure m over every frame spec and compares each row with the reference. */
static void check_frames(sqlite3 *db, const pf_measure *m, int keyed, int extra) {
  ref_measure reference = reference_for(m);
  size_t f;
  for (f = 0; f < sizeof(frames) / sizeof(frames[0]); f++) {
    const frame *fr = &frames[f];
    int whole = strncmp(fr->over, "PARTITION", 9) != 0; /* one partition over all rows */
    char call[100], sql[600], ref_sql[400], nbuf[16] = "";
    sqlite3_stmt *stmt = 0, *ref = 0;
    ref_vals vals = {0, 0, 0};
    int rows = 0, nulls = 0, rc;
    if (m->extra_arg) snprintf(nbuf, sizeof nbuf, ", %d", extra);
    snprintf(call, sizeof call, "%s(%s%s)", m->name, keyed ? "cust, amount" : "amount", nbuf);
    snprintf(sql, sizeof sql, "SELECT %s, %s OVER (%s) FROM n ORDER BY id",
             whole ? "rn_all, 0" : "rn, grp", call, fr->over);
    snprintf(ref_sql, sizeof ref_sql,
             keyed ? "SELECT sum(amount) FROM n WHERE (?1 = 0 OR grp = ?1) AND %s BETWEEN ?2 "
                     "AND ?3 AND cust IS NOT NULL AND cust <> '' GROUP BY cust"
                   : "SELECT amount FROM n WHERE (?1 = 0 OR grp = ?1) AND %s BETWEEN ?2 AND ?3",
             whole ? "rn_all" : "rn");
    ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &stmt, 0), SQLITE_OK);
    ck_assert_int_eq(sqlite3_prepare_v2(db, ref_sql, -1, &ref, 0), SQLITE_OK);
    while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
      sqlite3_int64 rn = sqlite3_column_int64(stmt, 0);
      sqlite3_bind_int64(ref, 1, sqlite3_column_int64(stmt, 1));
      sqlite3_bind_int64(ref, 2, rn + fr->lo);
      sqlite3_bind_int64(ref, 3, rn + fr->hi);
      ref_collect_stmt(ref, &vals);
      if (vals.n == 0) {
        ck_assert_msg(sqlite3_column_type(stmt, 2) == SQLITE_NULL, "%s row %lld: want NULL",
                      sql, rn);
        nulls++;
      } else {
        double want = reference(&vals, extra);
        ck_assert_msg(sqlite3_column_type(stmt, 2) == SQLITE_FLOAT, "%s row %lld: got type %d",
                      sql, rn, sqlite3_column_type(stmt, 2));
        ck_assert_msg(fabs(sqlite3_column_double(stmt, 2) - want) <= 1e-12 * fabs(want),
                      "%s, row %lld: got %.17g want %.17g", sql, rn,
                      sqlite3_column_double(stmt, 2), want);
      }
      rows++;
    }
    ck_assert_int_eq(rc, SQLITE_DONE);
    ck_assert_int_gt(rows, 0);
    ck_assert_int_lt(nulls, rows); /* the comparison did not degenerate into NULLs */
    sqlite3_finalize(stmt);
    sqlite3_finalize(ref);
    ref_free(&vals);
  }
}

static void check_all_frames(sqlite3 *db, const pf_measure *m, int keyed) {
  int extras[3], n = extras_of(m, extras), i;
  for (i = 0; i < n; i++) check_frames(db, m, keyed, extras[i]);
}

/* Loop tests: _i is the measure's index in pf_measures. */
START_TEST(unkeyed_frames) {
  sqlite3 *db = pf_open();
  make_rows(db, 400, 8, 0);
  check_all_frames(db, pf_measures[_i], 0);
  sqlite3_close(db);
}
END_TEST

START_TEST(keyed_frames) {
  sqlite3 *db = pf_open();
  make_rows(db, 400, 8, 0);
  check_all_frames(db, pf_measures[_i], 1);
  sqlite3_close(db);
}
END_TEST

/* Many TEXT keys entering and leaving: the hash table's removal must keep every probe
** chain intact (a lost customer or a stale one shows up as a wrong value). */
START_TEST(keyed_frames_many_text_customers) {
  sqlite3 *db = pf_open();
  make_rows(db, 1500, 400, 1);
  check_frames(db, pf_measures[_i], 1, 5);
  sqlite3_close(db);
}
END_TEST

/* By hand: customer A's rows leave the frame, and A must leave with them. */
START_TEST(customer_leaves_the_frame) {
  sqlite3 *db = pf_open();
  sqlite3_stmt *stmt;
  /* frame = 2 preceding .. current row:
  **   id 1: {A100}                 -> one customer: HHI 10000, top1 1, gini 0
  **   id 2: {A100, B10}            -> HHI (100^2+10^2)/110^2*10000 = 1010000/121
  **   id 3: {A100, B10, C10}       -> HHI (10000+100+100)/120^2*10000 = 10200/1.44,
  **                                   gini [10,10,100], mean 40: each 10 is 90 from 100,
  **                                   both ways 360; 360 / (2 * 9 * 40) = 0.5
  **   id 4: {B10, C10, C10}        -> B 10, C 20: HHI (100+400)/900*10000 = 50000/9,
  **                                   top1 20/30, gini: [10,20] -> 2*10/(2*4*15) = 1/6
  **   id 5: {C10, C10, A-5}        -> C 20, A -5 (left out): HHI 10000, gini 0 */
  pf_exec(db, "CREATE TABLE w(id, cust, amount); INSERT INTO w VALUES "
              "(1,'A',100),(2,'B',10),(3,'C',10),(4,'C',10),(5,'A',-5);");
  ck_assert_int_eq(sqlite3_prepare_v2(
                       db,
                       "SELECT herfindahl(cust, amount) OVER win, top_share(cust, amount, 1) "
                       "OVER win, gini(cust, amount) OVER win FROM w WINDOW win AS (ORDER BY id "
                       "ROWS 2 PRECEDING) ORDER BY id",
                       -1, &stmt, 0),
                   SQLITE_OK);
  {
    static const double want[5][3] = {{10000, 1, 0},
                                      {1010000.0 / 121, 100.0 / 110, 90.0 * 2 / (2 * 4 * 55)},
                                      {10200 / 1.44, 100.0 / 120, 0.5},
                                      {50000.0 / 9, 20.0 / 30, 1.0 / 6},
                                      {10000, 1, 0}};
    int row, col;
    for (row = 0; row < 5; row++) {
      ck_assert_int_eq(sqlite3_step(stmt), SQLITE_ROW);
      for (col = 0; col < 3; col++)
        pf_assert_near(sqlite3_column_double(stmt, col), want[row][col], 1e-14);
    }
  }
  ck_assert_int_eq(sqlite3_step(stmt), SQLITE_DONE);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}
END_TEST

/* Unkeyed sliding frames with repeated equal amounts: removing one copy must leave the
** others (top_share and gini keep the values themselves). */
START_TEST(equal_amounts_slide_out_one_at_a_time) {
  sqlite3 *db = pf_open();
  sqlite3_stmt *stmt;
  /* amounts 5,5,5,1 then frame of 2 rows: {5}, {5,5}, {5,5}, {5,1}
  ** top_share n=1: 1, 0.5, 0.5, 5/6; gini: 0, 0, 0, [1,5]: 2*4/(2*4*3) = 1/3 */
  static const double top[] = {1, 0.5, 0.5, 5.0 / 6}, gini[] = {0, 0, 0, 1.0 / 3};
  int row;
  pf_exec(db, "CREATE TABLE w(id, amount); INSERT INTO w VALUES (1,5),(2,5),(3,5),(4,1);");
  ck_assert_int_eq(sqlite3_prepare_v2(db,
                                      "SELECT top_share(amount, 1) OVER win, gini(amount) OVER "
                                      "win FROM w WINDOW win AS (ORDER BY id ROWS 1 PRECEDING) "
                                      "ORDER BY id",
                                      -1, &stmt, 0),
                   SQLITE_OK);
  for (row = 0; row < 4; row++) {
    ck_assert_int_eq(sqlite3_step(stmt), SQLITE_ROW);
    pf_assert_near(sqlite3_column_double(stmt, 0), top[row], 1e-15);
    pf_assert_near(sqlite3_column_double(stmt, 1), gini[row], 1e-15);
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}
END_TEST

START_TEST(top_share_n_error_in_window) {
  sqlite3 *db = pf_open();
  pf_exec(db, "CREATE TABLE w(id, amount); INSERT INTO w VALUES (1,5),(2,5),(3,5);");
  ref_expect_error(db, "SELECT top_share(amount, 0) OVER (ORDER BY id) FROM w",
                   "top_share: n must be a positive integer, got 0");
  ref_expect_error(db, "SELECT top_share(id, amount, id) OVER (ORDER BY id ROWS 1 PRECEDING) "
                       "FROM w",
                   "top_share: n must be the same on every row, got 2 after 1");
  sqlite3_close(db);
}
END_TEST

static Suite *make_suite(void) {
  Suite *s = suite_create("window");
  TCase *tc = tcase_create("core");
  tcase_set_timeout(tc, 120);
  tcase_add_loop_test(tc, unkeyed_frames, 0, pf_measure_count);
  tcase_add_loop_test(tc, keyed_frames, 0, pf_measure_count);
  tcase_add_loop_test(tc, keyed_frames_many_text_customers, 0, pf_measure_count);
  tcase_add_test(tc, customer_leaves_the_frame);
  tcase_add_test(tc, equal_amounts_slide_out_one_at_a_time);
  tcase_add_test(tc, top_share_n_error_in_window);
  suite_add_tcase(s, tc);
  return s;
}

PF_TEST_MAIN
