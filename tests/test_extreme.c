/*
** test_extreme.c: hostile and extreme input (SECURITY.md, "Resource use and limits").
**   1. Many distinct keys in a keyed aggregate: exact results, peak memory within the
**      documented bound per customer, and every byte released afterwards
**      (sqlite3_memory_used() before and after). PF_EXTREME_KEYS sets the count (default
**      1,000,000; 10,000,000 runs in a few seconds on a fast machine but needs ~1 GB).
**   2. TEXT keys of 1 MB, and a 1 MB numeric TEXT amount.
**   3. Amounts at the limits of 64-bit integers: sums that overflow int64 are carried
**      exactly in 128 bits, or become REAL when a customer's total leaves the int64 range;
**      never wrap, and never depend on row order.
**   4. REAL amounts near the limits of doubles (1e300, 1e-300): results as for ordinary
**      amounts, not NULL or 0 from an overflowing or underflowing square; amounts of very
**      different sizes together.
**   5. concentration and concentration_by over millions of rows (PF_EXTREME_ROWS, default
**      2,000,000), over a query that fails half-way, and over one interrupted with
**      sqlite3_interrupt() from a progress handler: the error is reported, nothing leaks.
** Under valgrind (PF_UNDER_VALGRIND set by make valgrind) the sizes are divided by 100.
*/
#include "testing.h"

#include <stdint.h>

static sqlite3_int64 env_size(const char *name, sqlite3_int64 dflt) {
  const char *z = getenv(name);
  sqlite3_int64 n = z ? atoll(z) : dflt;
  if (getenv("PF_UNDER_VALGRIND") && !z) n /= 100;
  return n > 10 ? n : 10;
}

/* Runs each kind of statement once, so that what SQLite keeps for the connection (the
** schema, the eponymous concentration table, the buffer of the last error message) is
** allocated before memory is measured. */
static void warm_up(sqlite3 *db) {
  pf_double(db, "SELECT herfindahl(1, 1) + top_share(1, 1, 1) + gini(1, 1)");
  pf_int(db, "SELECT count(*) FROM concentration('SELECT 1, 1')");
  pf_int(db, "SELECT count(*) FROM concentration_by('SELECT 1, 1, 1')");
  pf_expect_error(db, "SELECT * FROM concentration('SELECT 1')",
                  "concentration: the query must return 2 columns (customer, amount), "
                  "it returns 1");
}

/* ---- 1. many distinct keys ------------------------------------------------------------ */

/* Documented bound (SECURITY.md): a keyed aggregate holds at most 128 bytes per distinct
** numeric customer (hash-table slots at most half full, plus the scratch array of totals
** for top_share and gini), plus a copy of each TEXT or BLOB key. */
#define BYTES_PER_CUSTOMER 128

START_TEST(many_distinct_keys_exact_bounded_and_released) {
  sqlite3_int64 n = env_size("PF_EXTREME_KEYS", 1000000);
  sqlite3_int64 before, after, peak;
  char sql[512];
  sqlite3 *db = pf_open();
  warm_up(db);
  before = sqlite3_memory_used();
  sqlite3_memory_highwater(1);
  /* n customers with 1 each: HHI = 10000/n, top 10 hold 10/n, Gini 0. */
  snprintf(sql, sizeof sql,
           "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < %lld)"
           " SELECT herfindahl(x, 1) FROM c",
           n);
  pf_assert_near(pf_double(db, sql), 10000.0 / (double)n, 1e-12);
  peak = sqlite3_memory_highwater(0) - before;
  ck_assert_msg(peak <= BYTES_PER_CUSTOMER * n + (1 << 20),
                "herfindahl over %lld customers peaked at %lld bytes", n, peak);
  snprintf(sql, sizeof sql,
           "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < %lld)"
           " SELECT top_share(x, 1, 10) FROM c",
           n);
  pf_assert_near(pf_double(db, sql), 10.0 / (double)n, 1e-12);
  snprintf(sql, sizeof sql,
           "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < %lld)"
           " SELECT gini(-x, 7) FROM c",
           n);
  pf_assert_near(pf_double(db, sql), 0.0, 1e-12);
  peak = sqlite3_memory_highwater(0) - before;
  ck_assert_msg(peak <= BYTES_PER_CUSTOMER * n + (1 << 20),
                "top_share/gini over %lld customers peaked at %lld bytes", n, peak);
  after = sqlite3_memory_used();
  ck_assert_msg(after == before, "%lld bytes still held after the queries", after - before);
  sqlite3_close(db);
}
END_TEST

/* ---- 2. 1 MB keys and amounts --------------------------------------------------------- */

START_TEST(one_megabyte_text_keys) {
  sqlite3 *db = pf_open();
  sqlite3_int64 before;
  pf_exec(db,
          "CREATE TABLE k(c, a);"
          /* five keys of 1 MB differing only in their last byte */
          "WITH RECURSIVE i(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM i WHERE x < 7)"
          " INSERT INTO k SELECT printf('%.*c', 1048575, 'k') || char(65 + min(x, 4)), 10 FROM i;");
  warm_up(db);
  before = sqlite3_memory_used();
  /* x = 0..3 give keys ending A..D (10 each), x = 4..7 the key ending E (40): shares
  ** 0.125 four times and 0.5, so HHI = 4 * 12.5^2 + 50^2 = 3125 and the top one holds 0.5 */
  pf_assert_near(pf_double(db, "SELECT herfindahl(c, a) FROM k"), 3125, 1e-12);
  pf_assert_near(pf_double(db, "SELECT top_share(c, a, 1) FROM k"), 0.5, 1e-12);
  ck_assert_int_eq(pf_int(db, "SELECT length(customer) FROM concentration('SELECT c, a FROM k')"
                              " WHERE rank = 1"),
                   1048576);
  ck_assert_int_eq(pf_int(db, "SELECT substr(customer, -1) = 'E' AND amount = 40"
                              " FROM concentration('SELECT c, a FROM k') WHERE rank = 1"),
                   1);
  ck_assert_int_eq(pf_int(db, "SELECT count(*) FROM concentration('SELECT c, a FROM k')"), 5);
  ck_assert_int_eq(sqlite3_memory_used(), before);
  /* A 1 MB amount: a million zeros then 1 is the number 1; a 1 followed by a million
  ** zeros overflows to infinity and is refused, quoted in 40 characters. */
  ck_assert_int_eq(pf_int(db, "SELECT herfindahl(printf('%.*c', 1048576, '0') || '1')"),
                   10000);
  pf_expect_error(db, "SELECT herfindahl('1' || printf('%.*c', 1048576, '0'))",
                  "herfindahl: amount must be a finite number, got "
                  "'1000000000000000000000000000000000000000...'");
  sqlite3_close(db);
}
END_TEST

/* ---- 3. 64-bit integer limits ---------------------------------------------------------- */

START_TEST(int64_limits_never_wrap) {
  sqlite3 *db = pf_open();
  pf_exec(db,
          "CREATE TABLE m(c, a);"
          "INSERT INTO m VALUES (1, 9223372036854775807), (1, 9223372036854775807),"
          " (2, 9223372036854775807), (2, 9223372036854775807);");
  /* unkeyed: four equal customers of INT64_MAX (the sum is 2^65 - 4) */
  pf_assert_near(pf_double(db, "SELECT herfindahl(a) FROM m"), 2500, 1e-12);
  pf_assert_near(pf_double(db, "SELECT top_share(a, 1) FROM m"), 0.25, 1e-12);
  pf_assert_near(pf_double(db, "SELECT gini(a) FROM m"), 0, 1e-12);
  /* keyed: two customers of 2 * INT64_MAX each: their totals leave int64 */
  pf_assert_near(pf_double(db, "SELECT herfindahl(c, a) FROM m"), 5000, 1e-12);
  pf_assert_near(pf_double(db, "SELECT top_share(c, a, 1) FROM m"), 0.5, 1e-12);
  pf_assert_near(pf_double(db, "SELECT gini(c, a) FROM m"), 0, 1e-12);
  /* concentration: the total beyond int64 is REAL, the nearest double to 2^64 - 2 */
  ck_assert_int_eq(pf_type(db, "SELECT amount FROM concentration('SELECT c, a FROM m')"
                               " WHERE rank = 1"),
                   SQLITE_FLOAT);
  pf_assert_near(pf_double(db, "SELECT amount FROM concentration('SELECT c, a FROM m')"
                               " WHERE rank = 1"),
                 18446744073709551614.0, 1e-15);
  pf_assert_near(pf_double(db, "SELECT share FROM concentration('SELECT c, a FROM m')"
                               " WHERE rank = 2"),
                 0.5, 1e-15);
  sqlite3_close(db);
}
END_TEST

/* A customer's net total that passes beyond int64 and comes back is exact whatever the
** order of its rows: MAX + MAX - MAX = MAX in every order. */
START_TEST(int64_overflow_and_back_is_exact_in_any_order) {
  static const char *const orders[] = {
      "(1, 9223372036854775807), (1, 9223372036854775807), (1, -9223372036854775807)",
      "(1, 9223372036854775807), (1, -9223372036854775807), (1, 9223372036854775807)",
      "(1, -9223372036854775807), (1, 9223372036854775807), (1, 9223372036854775807)",
      "(1, -9223372036854775808), (1, -9223372036854775808), (1, 9223372036854775807),"
      " (1, 9223372036854775807), (1, 9223372036854775807), (1, 2)",
  };
  size_t i;
  for (i = 0; i < sizeof(orders) / sizeof(orders[0]); i++) {
    sqlite3 *db = pf_open();
    char sql[512];
    char buf[64];
    snprintf(sql, sizeof sql, "CREATE TABLE o(c, a); INSERT INTO o VALUES %s;", orders[i]);
    pf_exec(db, sql);
    ck_assert_msg(pf_type(db, "SELECT amount FROM concentration('SELECT c, a FROM o')") ==
                      SQLITE_INTEGER,
                  "order %d: the net total is not an exact INTEGER", (int)i);
    ck_assert_str_eq(pf_text(db, "SELECT amount FROM concentration('SELECT c, a FROM o')",
                             buf, sizeof buf),
                     "9223372036854775807");
    sqlite3_close(db);
  }
}
END_TEST

/* ---- 4. REAL amounts near the limits of doubles ---------------------------------------- */

START_TEST(huge_and_tiny_real_amounts) {
  static const char *const scales[] = {"1e300",  "1e200",  "1e160", "1e-160",
                                       "1e-300", "1e-310", "5e-324"}; /* last two: subnormal */
  size_t i;
  for (i = 0; i < sizeof(scales) / sizeof(scales[0]); i++) {
    sqlite3 *db = pf_open();
    char sql[512];
    /* 3:1:1:1 of the same scale -> shares .5, 1/6 x3: HHI 2500 + 3 * 277.78 = 3333.33;
    ** top 1 = 0.5; Gini = sum((2i-n-1) x_i) / (n sum x) = (-3-1+1+9)/(4*6) = 0.25 */
    snprintf(sql, sizeof sql,
             "CREATE TABLE h(c, a);"
             "INSERT INTO h VALUES (1, 3 * %s), (2, %s), (3, %s), (4, %s);",
             scales[i], scales[i], scales[i], scales[i]);
    pf_exec(db, sql);
    pf_assert_near(pf_double(db, "SELECT herfindahl(a) FROM h"), 10000.0 / 3, 1e-12);
    pf_assert_near(pf_double(db, "SELECT herfindahl(c, a) FROM h"), 10000.0 / 3, 1e-12);
    pf_assert_near(pf_double(db, "SELECT top_share(a, 1) FROM h"), 0.5, 1e-12);
    pf_assert_near(pf_double(db, "SELECT top_share(c, a, 1) FROM h"), 0.5, 1e-12);
    pf_assert_near(pf_double(db, "SELECT gini(a) FROM h"), 0.25, 1e-12);
    pf_assert_near(pf_double(db, "SELECT gini(c, a) FROM h"), 0.25, 1e-12);
    pf_assert_near(pf_double(db, "SELECT share FROM concentration('SELECT c, a FROM h')"
                                 " WHERE rank = 1"),
                   0.5, 1e-12);
    pf_assert_near(pf_double(db, "SELECT hhi_without FROM concentration('SELECT c, a FROM h')"
                                 " WHERE rank = 1"),
                   10000.0 / 3, 1e-12);
    pf_assert_near(pf_double(db, "SELECT herfindahl FROM"
                                 " concentration_by('SELECT 1, c, a FROM h')"),
                   10000.0 / 3, 1e-12);
    pf_assert_near(pf_double(db, "SELECT top1_share FROM"
                                 " concentration_by('SELECT 1, c, a FROM h')"),
                   0.5, 1e-12);
    pf_assert_near(pf_double(db, "SELECT gini FROM concentration_by('SELECT 1, c, a FROM h')"),
                   0.25, 1e-12);
    /* sliding frames of two rows: 3:1 gives 6250, 1:1 gives 5000 */
    pf_assert_near(pf_double(db, "SELECT group_concat(h) = '10000.0,6250.0,5000.0,5000.0' FROM"
                                 " (SELECT herfindahl(a) OVER (ORDER BY c ROWS 1 PRECEDING) h"
                                 " FROM h)"),
                   1, 0);
    sqlite3_close(db);
  }
}
END_TEST

/* Amounts of very different sizes in one portfolio: the small ones hold no visible share,
** whichever comes first, and taking the big one out of a window brings the small ones back. */
START_TEST(mixed_scales_in_one_portfolio) {
  static const char *const rows[] = {
      "(1, 1e-300), (2, 1)", "(1, 1), (2, 1e-300)", "(1, 1e300), (2, 1)",
      "(1, 1), (2, 1e300)", "(1, 1e-300), (2, 1e300)", "(1, 1e300), (2, 1e-300)",
  };
  size_t i;
  for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
    sqlite3 *db = pf_open();
    char sql[256];
    snprintf(sql, sizeof sql, "CREATE TABLE m(c, a); INSERT INTO m VALUES %s;", rows[i]);
    pf_exec(db, sql);
    pf_assert_near(pf_double(db, "SELECT herfindahl(a) FROM m"), 10000, 1e-12);
    pf_assert_near(pf_double(db, "SELECT herfindahl(c, a) FROM m"), 10000, 1e-12);
    pf_assert_near(pf_double(db, "SELECT top_share(a, 1) FROM m"), 1, 1e-12);
    pf_assert_near(pf_double(db, "SELECT gini(a) FROM m"), 0.5, 1e-12);
    /* the frame holding only the second row: one customer again */
    pf_assert_near(pf_double(db, "SELECT herfindahl(a) OVER (ORDER BY c ROWS BETWEEN CURRENT"
                                 " ROW AND CURRENT ROW) FROM m ORDER BY c DESC LIMIT 1"),
                   10000, 1e-12);
    pf_assert_near(pf_double(db, "SELECT h FROM (SELECT c, herfindahl(a) OVER (ORDER BY c"
                                 " ROWS BETWEEN 1 PRECEDING AND CURRENT ROW EXCLUDE CURRENT"
                                 " ROW) h FROM m) WHERE c = 2"),
                   10000, 1e-12);
    sqlite3_close(db);
  }
}
END_TEST

/* One customer's REAL rows adding up past the largest double: its total is infinite, so no
** share exists. Every function says so instead of returning NULL shares for everyone. */
START_TEST(customer_total_beyond_double_range) {
  static const char *const calls[][2] = {
      {"SELECT herfindahl(c, a) FROM b", "herfindahl: "},
      {"SELECT top_share(c, a, 1) FROM b", "top_share: "},
      {"SELECT gini(c, a) FROM b", "gini: "},
      {"SELECT * FROM concentration('SELECT c, a FROM b')", "concentration: "},
      {"SELECT * FROM concentration_by('SELECT 1, c, a FROM b')", "concentration_by: "},
  };
  sqlite3 *db = pf_open();
  size_t i;
  pf_exec(db, "CREATE TABLE b(c, a); INSERT INTO b VALUES (1, 1e308), (1, 1e308), (2, 5);");
  for (i = 0; i < sizeof(calls) / sizeof(calls[0]); i++) {
    char want[160];
    snprintf(want, sizeof want, "%s%s", calls[i][1],
             "a customer's total is beyond the range of REAL numbers (about 1.8e308)");
    pf_expect_error(db, calls[i][0], want);
  }
  /* one row of 1e308 per customer is fine: two equal customers */
  pf_assert_near(pf_double(db, "SELECT herfindahl(rowid, a) FROM b WHERE c = 1"), 5000, 1e-12);
  sqlite3_close(db);
}
END_TEST

/* hhi_without of a customer that dwarfs the others: the HHI of the rest, not the rounding
** error left after taking its square out of the sum of squares. */
START_TEST(hhi_without_a_dominant_customer) {
  sqlite3 *db = pf_open();
  /* without the 7.7e31 customer: 1.45e17, 1 and 1 -> shares ~1, ~7e-18, ~7e-18: HHI
  ** 10000 to within 1e-13; with 3e31 and 1e31 left (3:1) it is 6250 */
  pf_assert_near(pf_double(db, "SELECT hhi_without FROM concentration('VALUES (2, 7.7e31),"
                               " (5, 1), (7, 1), (9, 145216907400774146)') WHERE rank = 1"),
                 10000, 1e-12);
  pf_assert_near(pf_double(db, "SELECT hhi_without FROM concentration('VALUES (1, 7.7e31),"
                               " (2, 3e31), (3, 1e31)') WHERE rank = 1"),
                 6250, 1e-12);
  /* integers: exact either way (9e18 is past int64 only as a sum) */
  pf_assert_near(pf_double(db, "SELECT hhi_without FROM concentration('VALUES (1,"
                               " 9000000000000000000), (1, 9000000000000000000), (2, 3),"
                               " (3, 1)') WHERE rank = 1"),
                 6250, 1e-12);
  sqlite3_close(db);
}
END_TEST

/* The unkeyed herfindahl window takes leaving rows out of its sums exactly (pf_sqsums):
** a large REAL amount leaving smaller ones behind leaves nothing of itself (compensated
** running sums gave 10002.7 for 1e31 next to 1e17, and were an error until issue 15.3):
** each frame is the keyed window's value to the bit (every row is its own customer). */
START_TEST(sliding_herfindahl_with_amounts_of_very_different_sizes) {
  sqlite3 *db = pf_open();
  pf_exec(db,
          "CREATE TABLE w(i, a);"
          "INSERT INTO w VALUES (1, 7.7e31), (2, 145216907400774146), (3, 1), (4, 1),"
          " (5, 3.3e15), (6, 2.2e15);"
          "CREATE TABLE v(i, a);"
          "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400)"
          " INSERT INTO v SELECT i, CASE WHEN i % 50 = 1 THEN 1e6 + i * 0.37"
          " ELSE 0.5 * (i % 7 + 1) END FROM n;");
  ck_assert_int_eq(pf_int(db, "SELECT count(*) FROM (SELECT herfindahl(a) OVER f h1,"
                              " herfindahl(i, a) OVER f h2 FROM w WINDOW f AS (ORDER BY i"
                              " ROWS 2 PRECEDING)) WHERE h1 = h2"),
                   6);
  /* the keyed form over the same frames: {1e17, 1, 1} ~ 10000; {1, 3.3e15, 2.2e15} has
  ** shares 0.6 and 0.4 of the two large ones: 3600 + 1600 = 5200 */
  pf_assert_near(pf_double(db, "SELECT h FROM (SELECT i, herfindahl(i, a) OVER (ORDER BY i"
                               " ROWS 2 PRECEDING) h FROM w) WHERE i = 6"),
                 5200, 1e-12);
  /* a million next to 0.5: the unkeyed and keyed windows agree to the bit */
  ck_assert_int_eq(pf_int(db, "SELECT count(*) FROM (SELECT herfindahl(a) OVER f h1,"
                              " herfindahl(i, a) OVER f h2 FROM v WINDOW f AS (ORDER BY i"
                              " ROWS 20 PRECEDING)) WHERE h1 = h2"),
                   400);
  /* one-row frames empty the sums every time: no error, 10000 each */
  ck_assert_int_eq(pf_int(db, "SELECT count(*) FROM (SELECT herfindahl(a) OVER (ORDER BY i ROWS"
                              " BETWEEN CURRENT ROW AND CURRENT ROW) h FROM w) WHERE h = 10000"),
                   6);
  sqlite3_close(db);
}
END_TEST

/* ---- 5. concentration over big, failing and interrupted queries ------------------------- */

START_TEST(concentration_over_millions_of_rows) {
  sqlite3_int64 n = env_size("PF_EXTREME_ROWS", 2000000);
  char sql[512];
  sqlite3 *db = pf_open();
  sqlite3_int64 before;
  warm_up(db);
  before = sqlite3_memory_used();
  /* n rows over 1000 customers, amount 1 each: every share is 1/1000. */
  snprintf(sql, sizeof sql,
           "SELECT count(*), sum(amount), max(share), min(share) FROM concentration("
           "'WITH RECURSIVE c(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM c WHERE x < %lld)"
           " SELECT x %% 1000, 1 FROM c')",
           n - 1);
  {
    sqlite3_stmt *stmt = pf_query(db, sql);
    ck_assert_int_eq(sqlite3_column_int64(stmt, 0), 1000);
    ck_assert_int_eq(sqlite3_column_int64(stmt, 1), n);
    pf_assert_near(sqlite3_column_double(stmt, 2), 0.001, 1e-12);
    pf_assert_near(sqlite3_column_double(stmt, 3), 0.001, 1e-12);
    sqlite3_finalize(stmt);
  }
  /* the same rows in 10 periods of 100 customers each (x % 10 is the period, x % 1000 the
  ** customer): every period has HHI 10000/100 = 100 */
  snprintf(sql, sizeof sql,
           "SELECT count(*), sum(customers), min(herfindahl), max(herfindahl)"
           " FROM concentration_by('WITH RECURSIVE c(x) AS (SELECT 0 UNION ALL SELECT x + 1"
           " FROM c WHERE x < %lld) SELECT x %% 10, x %% 1000, 1 FROM c')",
           n - 1);
  {
    sqlite3_stmt *stmt = pf_query(db, sql);
    ck_assert_int_eq(sqlite3_column_int64(stmt, 0), 10);
    ck_assert_int_eq(sqlite3_column_int64(stmt, 1), 1000);
    pf_assert_near(sqlite3_column_double(stmt, 2), 100, 1e-12);
    pf_assert_near(sqlite3_column_double(stmt, 3), 100, 1e-12);
    sqlite3_finalize(stmt);
  }
  ck_assert_int_eq(sqlite3_memory_used(), before);
  sqlite3_close(db);
}
END_TEST

START_TEST(concentration_query_failing_half_way) {
  sqlite3 *db = pf_open();
  sqlite3_int64 before;
  warm_up(db);
  before = sqlite3_memory_used();
  /* 1000 rows go into the table before the 1001st raises an integer overflow. */
  pf_expect_error(db,
                  "SELECT * FROM concentration('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL"
                  " SELECT x + 1 FROM c WHERE x < 5000) SELECT printf(''customer %d'', x),"
                  " CASE WHEN x > 1000 THEN abs(-9223372036854775808) ELSE x END FROM c')",
                  "concentration: integer overflow");
  ck_assert_int_eq(sqlite3_errcode(db), SQLITE_ERROR);
  ck_assert_int_eq(sqlite3_memory_used(), before);
  pf_expect_error(db,
                  "SELECT * FROM concentration_by('WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL"
                  " SELECT x + 1 FROM c WHERE x < 5000) SELECT x % 7, printf(''c%d'', x),"
                  " CASE WHEN x > 1000 THEN abs(-9223372036854775808) ELSE x END FROM c')",
                  "concentration_by: integer overflow");
  ck_assert_int_eq(sqlite3_memory_used(), before);
  /* The connection is fine afterwards. */
  ck_assert_int_eq(pf_int(db, "SELECT count(*) FROM concentration('SELECT 1, 2')"), 1);
  sqlite3_close(db);
}
END_TEST

static int interrupt_after(void *arg) {
  sqlite3 **db = arg;
  static int calls;
  if (++calls % 50 == 0) sqlite3_interrupt(*db);
  return 0;
}

/* A statement that runs until interrupted: endless rows for concentration or a keyed
** aggregate, stopped from a progress handler. Returns the error code. */
static int run_interrupted(sqlite3 **db, const char *sql) {
  sqlite3_stmt *stmt = 0;
  int rc;
  sqlite3_progress_handler(*db, 1000, interrupt_after, db);
  rc = sqlite3_prepare_v2(*db, sql, -1, &stmt, 0);
  ck_assert_int_eq(rc, SQLITE_OK);
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
  }
  sqlite3_finalize(stmt);
  sqlite3_progress_handler(*db, 0, 0, 0);
  return rc;
}

START_TEST(interrupted_queries_report_and_release) {
  sqlite3 *db = pf_open();
  sqlite3_int64 before;
  static const char endless[] =
      "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c)";
  char sql[512];
  warm_up(db);
  before = sqlite3_memory_used();
  snprintf(sql, sizeof sql,
           "SELECT * FROM concentration('%s SELECT printf(''c%%d'', x %% 50000), x FROM c')",
           endless);
  ck_assert_int_eq(run_interrupted(&db, sql), SQLITE_INTERRUPT);
  ck_assert_str_eq(sqlite3_errmsg(db), "concentration: interrupted");
  ck_assert_int_eq(sqlite3_memory_used(), before);
  snprintf(sql, sizeof sql,
           "SELECT * FROM concentration_by('%s SELECT x %% 12, printf(''c%%d'', x %% 50000), x"
           " FROM c')",
           endless);
  ck_assert_int_eq(run_interrupted(&db, sql), SQLITE_INTERRUPT);
  ck_assert_str_eq(sqlite3_errmsg(db), "concentration_by: interrupted");
  ck_assert_int_eq(sqlite3_memory_used(), before);
  snprintf(sql, sizeof sql, "%s SELECT herfindahl(printf('c%%d', x), x) FROM c", endless);
  ck_assert_int_eq(run_interrupted(&db, sql), SQLITE_INTERRUPT);
  snprintf(sql, sizeof sql,
           "%s SELECT gini(x %% 70000, 1) OVER (ORDER BY x ROWS 1000 PRECEDING) FROM c",
           endless);
  ck_assert_int_eq(run_interrupted(&db, sql), SQLITE_INTERRUPT);
  snprintf(sql, sizeof sql, "%s SELECT top_share(x, 3), top_share(x, x %% 9, 5) FROM c",
           endless);
  ck_assert_int_eq(run_interrupted(&db, sql), SQLITE_INTERRUPT);
  ck_assert_int_eq(sqlite3_memory_used(), before);
  sqlite3_close(db);
}
END_TEST

static Suite *make_suite(void) {
  Suite *s = suite_create("extreme");
  TCase *tc = tcase_create("hostile");
  tcase_set_timeout(tc, 600);
  tcase_add_test(tc, many_distinct_keys_exact_bounded_and_released);
  tcase_add_test(tc, one_megabyte_text_keys);
  tcase_add_test(tc, int64_limits_never_wrap);
  tcase_add_test(tc, int64_overflow_and_back_is_exact_in_any_order);
  tcase_add_test(tc, huge_and_tiny_real_amounts);
  tcase_add_test(tc, mixed_scales_in_one_portfolio);
  tcase_add_test(tc, customer_total_beyond_double_range);
  tcase_add_test(tc, hhi_without_a_dominant_customer);
  tcase_add_test(tc, sliding_herfindahl_with_amounts_of_very_different_sizes);
  tcase_add_test(tc, concentration_over_millions_of_rows);
  tcase_add_test(tc, concentration_query_failing_half_way);
  tcase_add_test(tc, interrupted_queries_report_and_release);
  suite_add_tcase(s, tc);
  return s;
}

PF_TEST_MAIN
