/* herfindahl(amount) and herfindahl(customer, amount): worked examples by hand. */
#include "testing.h"

START_TEST(worked_example_30_30_20_20_is_2600) {
  sqlite3 *db = pf_open();
  pf_exec(db, "CREATE TABLE c(id, amount); INSERT INTO c VALUES (1,30),(2,30),(3,20),(4,20);");
  /* 30^2 + 30^2 + 20^2 + 20^2 = 2600 percentage points squared */
  pf_assert_near(pf_double(db, "SELECT herfindahl(amount) FROM c"), 2600.0, 1e-12);
  pf_assert_near(pf_double(db, "SELECT herfindahl(id, amount) FROM c"), 2600.0, 1e-12);
  sqlite3_close(db);
}
END_TEST

static Suite *make_suite(void) {
  Suite *s = suite_create("herfindahl");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, worked_example_30_30_20_20_is_2600);
  suite_add_tcase(s, tc);
  return s;
}

PF_TEST_MAIN
