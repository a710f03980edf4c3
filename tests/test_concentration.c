/* concentration(query): the table-valued function, checked against results worked out by
** hand (shares chosen to be exact in binary), against herfindahl() for hhi_without, and for
** every error the spec names. */
#include "testing.h"

#define ALL_COLUMNS \
  "rank, customer, amount, share, cumulative_share, pareto_class, major, hhi_points"

/* Every row of `sql` as text: columns joined by '|', rows ended by '\n' (NULL prints as
** "NULL"). Fails the test on any error. The caller frees the result with sqlite3_free. */
static char *rows_text(sqlite3 *db, const char *sql) {
  sqlite3_stmt *stmt = 0;
  sqlite3_str *out = sqlite3_str_new(db);
  int rc = sqlite3_prepare_v2(db, sql, -1, &stmt, 0);
  ck_assert_msg(rc == SQLITE_OK, "prepare failed (%s): %s", sqlite3_errmsg(db), sql);
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    int i;
    for (i = 0; i < sqlite3_column_count(stmt); i++) {
      const unsigned char *z = sqlite3_column_text(stmt, i);
      sqlite3_str_appendf(out, "%s%s", i ? "|" : "", z ? (const char *)z : "NULL");
    }
    sqlite3_str_appendchar(out, 1, '\n');
  }
  ck_assert_msg(rc == SQLITE_DONE, "step failed (%s): %s", sqlite3_errmsg(db), sql);
  sqlite3_finalize(stmt);
  return sqlite3_str_finish(out);
}

static void assert_rows(sqlite3 *db, const char *sql, const char *want) {
  char *got = rows_text(db, sql);
  ck_assert_msg(got != 0 && strcmp(got, want) == 0, "%s\ngot:\n%swant:\n%s", sql,
                got ? got : "(null)", want);
  sqlite3_free(got);
}

/* ---- ranking --------------------------------------------------------------------------- */

START_TEST(ranks_largest_first_with_hand_worked_shares) {
  sqlite3 *db = pf_open();
  pf_exec(db, "CREATE TABLE inv(customer, amount);"
              "INSERT INTO inv VALUES ('d',1),('b',4),('c',1),('a',2);");
  /* total 8: shares 1/2, 1/4, 1/8, 1/8; hhi_points (100*share)^2 = 2500, 625, 156.25 */
  assert_rows(db, "SELECT " ALL_COLUMNS " FROM concentration('SELECT customer, amount FROM inv')",
              "1|b|4|0.5|0.5|A|1|2500.0\n"
              "2|a|2|0.25|0.75|A|1|625.0\n"
              "3|c|1|0.125|0.875|A|1|156.25\n"
              "4|d|1|0.125|1.0|B|1|156.25\n");
  sqlite3_close(db);
}
END_TEST

START_TEST(ties_follow_sqlite_order_numbers_text_blobs) {
  sqlite3 *db = pf_open();
  /* Every customer holds 1; SQLite orders 2.5 < 3 < 10 (numbers) < 'a' < 'b' (text, BINARY,
  ** so 'B' < 'a') < x'00' < x'01' (blobs). */
  pf_exec(db, "CREATE TABLE inv(customer, amount);"
              "INSERT INTO inv VALUES (x'01',1),('b',1),(10,1),('a',1),(3,1),(x'00',1),"
              "(2.5,1),('B',1);");
  assert_rows(db,
              "SELECT rank, quote(customer) FROM "
              "concentration('SELECT customer, amount FROM inv')",
              "1|2.5\n2|3\n3|10\n4|'B'\n5|'a'\n6|'b'\n7|X'00'\n8|X'01'\n");
  /* The same order as SQLite's own ORDER BY over the keys. */
  assert_rows(db, "SELECT group_concat(quote(customer)) FROM (SELECT customer FROM inv "
                  "ORDER BY customer)",
              "2.5,3,10,'B','a','b',X'00',X'01'\n");
  sqlite3_close(db);
}
END_TEST

START_TEST(output_does_not_depend_on_row_order) {
  sqlite3 *db = pf_open();
  char *forward, *backward;
  pf_exec(db, "CREATE TABLE a(customer, amount); CREATE TABLE b(customer, amount);"
              "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300)"
              "  INSERT INTO a SELECT i % 37, (i * 7919 % 101) / 10.0 - 2 FROM n;"
              "INSERT INTO b SELECT * FROM a ORDER BY rowid DESC;");
  forward = rows_text(db, "SELECT * FROM concentration('SELECT customer, amount FROM a')");
  backward = rows_text(db, "SELECT * FROM concentration('SELECT customer, amount FROM b')");
  ck_assert_str_eq(forward, backward);
  sqlite3_free(forward);
  sqlite3_free(backward);
  sqlite3_close(db);
}
END_TEST

START_TEST(cumulative_share_ends_at_exactly_one) {
  sqlite3 *db = pf_open();
  sqlite3_stmt *stmt;
  double previous = 0, share_sum = 0, last = -1;
  pf_exec(db, "CREATE TABLE inv(customer, amount);"
              "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 97)"
              "  INSERT INTO inv SELECT i, 0.1 * i + 1.0 / 3 FROM n;");
  ck_assert_int_eq(sqlite3_prepare_v2(db, "SELECT share, cumulative_share FROM "
                                          "concentration('SELECT customer, amount FROM inv')",
                                      -1, &stmt, 0),
                   SQLITE_OK);
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    share_sum += sqlite3_column_double(stmt, 0);
    last = sqlite3_column_double(stmt, 1);
    ck_assert_msg(last >= previous, "cumulative_share went down: %.17g < %.17g", last, previous);
    pf_assert_near(last, share_sum, 1e-13);
    previous = last;
  }
  sqlite3_finalize(stmt);
  ck_assert_msg(last == 1.0, "last cumulative_share is %.17g, not exactly 1", last);
  sqlite3_close(db);
}
END_TEST

/* ---- pareto classes, major flag, hhi columns -------------------------------------------- */

START_TEST(pareto_classes_at_the_boundaries) {
  sqlite3 *db = pf_open();
  /* total 100; running share before each customer: 0, 0.80, 0.95 -> A, B, C (a boundary
  ** belongs to the next class) */
  assert_rows(db,
              "SELECT customer, pareto_class FROM concentration("
              "'SELECT column1, column2 FROM (VALUES (''x'', 80), (''y'', 15), (''z'', 5))')",
              "x|A\ny|B\nz|C\n");
  /* before: 0, 0.79, 0.94, 0.99 -> A, A, B, C */
  assert_rows(db,
              "SELECT customer, pareto_class FROM concentration('SELECT column1, column2 FROM "
              "(VALUES (''p'', 79), (''q'', 15), (''r'', 5), (''s'', 1))')",
              "p|A\nq|A\nr|B\ns|C\n");
  /* one customer: nothing before it -> A */
  assert_rows(db, "SELECT pareto_class FROM concentration('SELECT 1, 5')", "A\n");
  sqlite3_close(db);
}
END_TEST

START_TEST(major_flag_from_exactly_ten_percent) {
  sqlite3 *db = pf_open();
  /* total 1000: shares 0.5, 0.3, 0.1 (exactly the line: major), 0.099, 0.001 */
  assert_rows(db,
              "SELECT customer, share, major FROM concentration('SELECT column1, column2 FROM "
              "(VALUES (1, 500), (2, 300), (3, 100), (4, 99), (5, 1))')",
              "1|0.5|1\n2|0.3|1\n3|0.1|1\n4|0.099|0\n5|0.001|0\n");
  sqlite3_close(db);
}
END_TEST

START_TEST(hhi_points_sum_to_herfindahl) {
  sqlite3 *db = pf_open();
  pf_exec(db, "CREATE TABLE inv(customer, amount);"
              "INSERT INTO inv VALUES (1,30),(2,30),(3,20),(4,20),(1,0.5),(5,-3);");
  /* shares .305/.3/.2/.2 of 100.5 would not be exact: check against herfindahl instead */
  pf_assert_near(pf_double(db, "SELECT sum(hhi_points) FROM concentration("
                               "'SELECT customer, amount FROM inv')"),
                 pf_double(db, "SELECT herfindahl(customer, amount) FROM inv"), 1e-12);
  /* 30/30/20/20: 900 + 900 + 400 + 400 = 2600 */
  pf_assert_near(pf_double(db, "SELECT sum(hhi_points) FROM concentration("
                               "'SELECT customer, amount FROM inv WHERE amount IN (20, 30)')"),
                 2600.0, 1e-12);
  sqlite3_close(db);
}
END_TEST

START_TEST(hhi_without_equals_herfindahl_of_the_others) {
  sqlite3 *db = pf_open();
  sqlite3_stmt *rows, *check;
  int n = 0;
  pf_exec(db, "CREATE TABLE c(customer, amount);"
              "INSERT INTO c VALUES ('a', 12.5), ('b', 7.25), (3, 3.1), ('d', 0.7),"
              " ('e', 19.9), (6, 1.3), ('g', 19.9), ('h', 4);");
  ck_assert_int_eq(sqlite3_prepare_v2(db, "SELECT customer, hhi_without FROM "
                                          "concentration('SELECT customer, amount FROM c')",
                                      -1, &rows, 0),
                   SQLITE_OK);
  ck_assert_int_eq(sqlite3_prepare_v2(db, "SELECT herfindahl(amount) FROM c WHERE customer <> ?",
                                      -1, &check, 0),
                   SQLITE_OK);
  while (sqlite3_step(rows) == SQLITE_ROW) {
    ck_assert_int_eq(sqlite3_bind_value(check, 1, sqlite3_column_value(rows, 0)), SQLITE_OK);
    ck_assert_int_eq(sqlite3_step(check), SQLITE_ROW);
    pf_assert_near(sqlite3_column_double(rows, 1), sqlite3_column_double(check, 0), 1e-12);
    sqlite3_reset(check);
    n++;
  }
  ck_assert_int_eq(n, 8);
  sqlite3_finalize(rows);
  sqlite3_finalize(check);
  /* by hand: 3, 1 -> without 3 only 1 is left (10000); without 1 only 3 (10000) */
  assert_rows(db, "SELECT customer, hhi_without FROM concentration("
                  "'SELECT column1, column2 FROM (VALUES (1, 1), (2, 3))')",
              "2|10000.0\n1|10000.0\n");
  /* the only customer leaving leaves no portfolio: NULL */
  assert_rows(db, "SELECT hhi_without FROM concentration('SELECT 1, 5')", "NULL\n");
  sqlite3_close(db);
}
END_TEST

/* ---- netting, NULLs and types ------------------------------------------------------------- */

START_TEST(credit_notes_net_out_and_nonpositive_customers_leave) {
  sqlite3 *db = pf_open();
  pf_exec(db, "CREATE TABLE inv(customer, amount);"
              "INSERT INTO inv VALUES ('a', 10), ('a', -4),"  /* 6 */
              " ('b', 5), ('b', -5),"                         /* 0: left out */
              " ('c', 3), ('c', -7),"                         /* -4: left out */
              " ('d', 2);");
  /* total 8 over the two positive customers: 6/8 and 2/8 */
  assert_rows(db, "SELECT rank, customer, amount, share FROM "
                  "concentration('SELECT customer, amount FROM inv')",
              "1|a|6|0.75\n2|d|2|0.25\n");
  /* no positive customer at all: no rows (not an error) */
  assert_rows(db, "SELECT count(*) FROM concentration("
                  "'SELECT customer, amount FROM inv WHERE customer IN (''b'', ''c'')')",
              "0\n");
  sqlite3_close(db);
}
END_TEST

START_TEST(null_and_empty_keys_and_amounts_skip_the_row) {
  sqlite3 *db = pf_open();
  pf_exec(db, "CREATE TABLE inv(customer, amount);"
              "INSERT INTO inv VALUES (NULL, 5), ('', 5), ('e', NULL), ('e', ''),"
              " ('f', 1), ('g', ' 3 '), ('g', '1e0');");
  /* only f (1) and g (' 3 ' + '1e0' read as numbers: 4.0) remain; total 5 */
  assert_rows(db, "SELECT customer, amount, typeof(amount), share FROM "
                  "concentration('SELECT customer, amount FROM inv')",
              "g|4.0|real|0.8\nf|1|integer|0.2\n");
  /* a query with no rows, or only skipped rows, gives no rows */
  assert_rows(db, "SELECT count(*) FROM concentration('SELECT NULL, 1 UNION ALL SELECT 1, NULL')",
              "0\n");
  sqlite3_close(db);
}
END_TEST

START_TEST(keys_come_back_as_the_query_returned_them) {
  sqlite3 *db = pf_open();
  /* 7 and 7.0 are one customer, as in GROUP BY; TEXT '7' is another */
  assert_rows(db, "SELECT quote(customer), amount, typeof(amount) FROM concentration("
                  "'SELECT 7, 2 UNION ALL SELECT 7.0, 3 UNION ALL SELECT ''7'', 1')",
              "7|5|integer\n'7'|1|integer\n");
  assert_rows(db, "SELECT quote(customer) FROM concentration('SELECT x''ab'', 1')", "X'AB'\n");
  sqlite3_close(db);
}
END_TEST

START_TEST(null_argument_gives_no_rows) {
  sqlite3 *db = pf_open();
  assert_rows(db, "SELECT count(*) FROM concentration(NULL)", "0\n");
  sqlite3_close(db);
}
END_TEST

/* ---- errors ---------------------------------------------------------------------------------- */

START_TEST(errors_name_what_is_wrong_with_the_query) {
  sqlite3 *db = pf_open();
  pf_exec(db, "CREATE TABLE inv(customer, amount); INSERT INTO inv VALUES (1, 2);");
  pf_expect_error(db, "SELECT * FROM concentration()", "concentration: a query is required");
  pf_expect_error(db, "SELECT * FROM concentration",
                  "concentration: a query is required");
  pf_expect_error(db, "SELECT * FROM concentration('SELECT 1, 2; SELECT 3, 4')",
                  "concentration: the query must be one statement, found more than one");
  pf_expect_error(db, "SELECT * FROM concentration('')", "concentration: the query is empty");
  pf_expect_error(db, "SELECT * FROM concentration('  -- only a comment')",
                  "concentration: the query is empty");
  pf_expect_error(db, "SELECT * FROM concentration('SELEC 1, 2')",
                  "concentration: near \"SELEC\": syntax error");
  pf_expect_error(db, "SELECT * FROM concentration('SELECT customer, amount FROM nowhere')",
                  "concentration: no such table: nowhere");
  pf_expect_error(db, "SELECT * FROM concentration('SELECT customer FROM inv')",
                  "concentration: the query must return 2 columns (customer, amount), "
                  "it returns 1");
  pf_expect_error(db, "SELECT * FROM concentration('SELECT customer, amount, 3 FROM inv')",
                  "concentration: the query must return 2 columns (customer, amount), "
                  "it returns 3");
  /* a failure while the query runs is passed on */
  pf_expect_error(db, "SELECT * FROM concentration('SELECT 1, abs(-9223372036854775808)')",
                  "concentration: integer overflow");
  /* a trailing semicolon is still one statement */
  ck_assert_int_eq(pf_int(db, "SELECT count(*) FROM concentration('SELECT 1, 2;  ')"), 1);
  sqlite3_close(db);
}
END_TEST

START_TEST(errors_for_statements_that_write_and_nothing_is_written) {
  static const char *const writers[] = {
      "INSERT INTO inv VALUES (5, 5) RETURNING customer, amount",
      "UPDATE inv SET amount = 99 RETURNING customer, amount",
      "DELETE FROM inv RETURNING customer, amount",
      "CREATE TABLE other(customer, amount)",
      "DROP TABLE inv",
  };
  sqlite3 *db = pf_open();
  size_t i;
  pf_exec(db, "CREATE TABLE inv(customer, amount); INSERT INTO inv VALUES (1, 2);");
  for (i = 0; i < sizeof(writers) / sizeof(writers[0]); i++) {
    char *sql = sqlite3_mprintf("SELECT * FROM concentration(%Q)", writers[i]);
    pf_expect_error(db, sql, "concentration: the query must be read-only, "
                             "it writes to the database");
    sqlite3_free(sql);
  }
  assert_rows(db, "SELECT customer, amount FROM inv", "1|2\n");
  assert_rows(db, "SELECT count(*) FROM sqlite_schema WHERE name = 'other'", "0\n");
  sqlite3_close(db);
}
END_TEST

START_TEST(errors_for_amounts_that_are_not_numbers_name_the_customer) {
  sqlite3 *db = pf_open();
  pf_expect_error(db, "SELECT * FROM concentration('SELECT ''k'', ''abc''')",
                  "concentration: amount must be a finite number, got 'abc' (customer 'k')");
  pf_expect_error(db, "SELECT * FROM concentration('SELECT 7, x''0102''')",
                  "concentration: amount must be a finite number, got a BLOB of 2 bytes "
                  "(customer 7)");
  pf_expect_error(db, "SELECT * FROM concentration('SELECT 1.5, -1e999')",
                  "concentration: amount must be a finite number, got -Inf (customer 1.5)");
  /* one bad row among good ones still stops the query */
  pf_expect_error(db, "SELECT * FROM concentration('SELECT 1, 2 UNION ALL SELECT 2, ''12abc''')",
                  "concentration: amount must be a finite number, got '12abc' (customer 2)");
  sqlite3_close(db);
}
END_TEST

/* ---- where it may and may not be used ---------------------------------------------------------- */

START_TEST(a_stored_view_or_trigger_cannot_call_it) {
  sqlite3 *db = pf_open();
  pf_exec(db, "CREATE TABLE inv(customer, amount); INSERT INTO inv VALUES (1, 2), (2, 2);"
              "CREATE TABLE log(x);"
              "CREATE VIEW shares AS "
              "  SELECT * FROM concentration('SELECT customer, amount FROM inv');"
              "CREATE TRIGGER t AFTER INSERT ON log BEGIN"
              "  INSERT INTO log SELECT rank FROM concentration('SELECT customer, amount FROM inv');"
              " END;");
  pf_expect_error(db, "SELECT * FROM shares", "unsafe use of virtual table \"concentration\"");
  pf_expect_error(db, "INSERT INTO log VALUES (0)",
                  "unsafe use of virtual table \"concentration\"");
  /* the same query written directly works */
  ck_assert_int_eq(pf_int(db, "SELECT count(*) FROM "
                              "concentration('SELECT customer, amount FROM inv')"),
                   2);
  sqlite3_close(db);
}
END_TEST

START_TEST(works_in_joins_and_subqueries) {
  sqlite3 *db = pf_open();
  pf_exec(db, "CREATE TABLE inv(customer, amount);"
              "INSERT INTO inv VALUES ('b', 4), ('a', 2), ('c', 1), ('d', 1);"
              "CREATE TABLE names(id, name);"
              "INSERT INTO names VALUES ('a', 'Alpha'), ('b', 'Beta'), ('z', 'Zed');");
  assert_rows(db, "SELECT n.name, c.rank, c.share FROM names n JOIN "
                  "concentration('SELECT customer, amount FROM inv') c ON c.customer = n.id "
                  "ORDER BY n.name",
              "Alpha|2|0.25\nBeta|1|0.5\n");
  assert_rows(db, "SELECT n.id, (SELECT share FROM concentration("
                  "'SELECT customer, amount FROM inv') c WHERE c.customer = n.id) FROM names n "
                  "ORDER BY n.id",
              "a|0.25\nb|0.5\nz|NULL\n");
  assert_rows(db, "SELECT (SELECT count(*) FROM concentration('SELECT customer, amount FROM inv'))",
              "4\n");
  /* the argument may come from another table's column */
  pf_exec(db, "CREATE TABLE q(sql); INSERT INTO q VALUES ('SELECT customer, amount FROM inv'),"
              " ('SELECT customer, amount FROM inv WHERE customer <> ''b''');");
  assert_rows(db, "SELECT q.rowid, c.customer, c.share FROM q, concentration(q.sql) c "
                  "ORDER BY q.rowid, c.rank",
              "1|b|0.5\n1|a|0.25\n1|c|0.125\n1|d|0.125\n2|a|0.5\n2|c|0.25\n2|d|0.25\n");
  sqlite3_close(db);
}
END_TEST

START_TEST(query_bound_as_a_parameter) {
  sqlite3 *db = pf_open();
  sqlite3_stmt *stmt;
  pf_exec(db, "CREATE TABLE inv(customer, amount); INSERT INTO inv VALUES (1, 3), (2, 1);");
  ck_assert_int_eq(sqlite3_prepare_v2(db, "SELECT sum(hhi_points), count(*) FROM concentration(?)",
                                      -1, &stmt, 0),
                   SQLITE_OK);
  sqlite3_bind_text(stmt, 1, "SELECT customer, amount FROM inv", -1, SQLITE_STATIC);
  ck_assert_int_eq(sqlite3_step(stmt), SQLITE_ROW);
  /* 75^2 + 25^2 = 6250 */
  pf_assert_near(sqlite3_column_double(stmt, 0), 6250.0, 1e-12);
  ck_assert_int_eq(sqlite3_column_int(stmt, 1), 2);
  sqlite3_reset(stmt);
  sqlite3_bind_text(stmt, 1, "SELECT customer, amount FROM inv WHERE customer = 1", -1,
                    SQLITE_STATIC);
  ck_assert_int_eq(sqlite3_step(stmt), SQLITE_ROW);
  pf_assert_near(sqlite3_column_double(stmt, 0), 10000.0, 1e-12);
  ck_assert_int_eq(sqlite3_column_int(stmt, 1), 1);
  sqlite3_reset(stmt);
  sqlite3_bind_null(stmt, 1);
  ck_assert_int_eq(sqlite3_step(stmt), SQLITE_ROW);
  ck_assert_int_eq(sqlite3_column_int(stmt, 1), 0);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}
END_TEST

START_TEST(hidden_query_column_reads_back_and_filters) {
  sqlite3 *db = pf_open();
  assert_rows(db, "SELECT query FROM concentration('SELECT 1, 2')", "SELECT 1, 2\n");
  /* a further WHERE query = ... was an "xBestIndex malfunction"; now it filters as SQL */
  assert_rows(db, "SELECT count(*) FROM concentration('SELECT 1, 2') WHERE query = 'SELECT 1, 2'",
              "1\n");
  assert_rows(db, "SELECT count(*) FROM concentration('SELECT 1, 2') WHERE query = 'other'",
              "0\n");
  assert_rows(db, "SELECT count(*) FROM concentration('SELECT 1, 2') WHERE query IS NULL", "0\n");
  sqlite3_close(db);
}
END_TEST

static Suite *make_suite(void) {
  Suite *s = suite_create("concentration");
  TCase *rank = tcase_create("ranking");
  TCase *cols = tcase_create("columns");
  TCase *rows = tcase_create("rows");
  TCase *errs = tcase_create("errors");
  TCase *use = tcase_create("use");
  tcase_add_test(rank, ranks_largest_first_with_hand_worked_shares);
  tcase_add_test(rank, ties_follow_sqlite_order_numbers_text_blobs);
  tcase_add_test(rank, output_does_not_depend_on_row_order);
  tcase_add_test(rank, cumulative_share_ends_at_exactly_one);
  tcase_add_test(cols, pareto_classes_at_the_boundaries);
  tcase_add_test(cols, major_flag_from_exactly_ten_percent);
  tcase_add_test(cols, hhi_points_sum_to_herfindahl);
  tcase_add_test(cols, hhi_without_equals_herfindahl_of_the_others);
  tcase_add_test(rows, credit_notes_net_out_and_nonpositive_customers_leave);
  tcase_add_test(rows, null_and_empty_keys_and_amounts_skip_the_row);
  tcase_add_test(rows, keys_come_back_as_the_query_returned_them);
  tcase_add_test(rows, null_argument_gives_no_rows);
  tcase_add_test(errs, errors_name_what_is_wrong_with_the_query);
  tcase_add_test(errs, errors_for_statements_that_write_and_nothing_is_written);
  tcase_add_test(errs, errors_for_amounts_that_are_not_numbers_name_the_customer);
  tcase_add_test(use, a_stored_view_or_trigger_cannot_call_it);
  tcase_add_test(use, works_in_joins_and_subqueries);
  tcase_add_test(use, query_bound_as_a_parameter);
  tcase_add_test(use, hidden_query_column_reads_back_and_filters);
  suite_add_tcase(s, rank);
  suite_add_tcase(s, cols);
  suite_add_tcase(s, rows);
  suite_add_tcase(s, errs);
  suite_add_tcase(s, use);
  return s;
}

PF_TEST_MAIN
