/*
** static_host.c: the extension linked into a C program instead of loaded at run time.
**
**   cc -DSQLITE_CORE -Iext/core -Iext/sqlite -o static_host tests/static_host.c \
**     (every .c file of ext/core and ext/sqlite) -lsqlite3 -lm
**
** 1. sqlite3_auto_extension() registers sqlite3_portfolio_init, so every connection the
**    program opens has the functions, with no .load and no load_extension permission.
** 2. It runs one query of each kind and prints one line per result, for
**    tests/static_host.test.sh to compare; any SQLite error is printed and exits 1.
*/
#include <sqlite3.h>
#include <stdio.h>

int sqlite3_portfolio_init(sqlite3 *db, char **pzErrMsg, const sqlite3_api_routines *pApi);

static const char *const queries[] = {
    "SELECT herfindahl(column1) FROM (VALUES (30), (30), (20), (20))",
    "SELECT hhi_band(2600)",
    "SELECT group_concat(customer || ':' || share, ' ') FROM concentration("
    "'SELECT column1, column2 FROM (VALUES (''a'', 30), (''b'', 50), (''a'', 20))')",
    "SELECT risk_score('adoption', 0.25)",
    "SELECT phase_of('deployment', 0.5)",
};

int main(void) {
  sqlite3 *db = NULL;
  size_t i;
  int rc = sqlite3_auto_extension((void (*)(void))sqlite3_portfolio_init);
  if (rc == SQLITE_OK) rc = sqlite3_open(":memory:", &db);
  if (rc != SQLITE_OK) {
    fprintf(stderr, "static_host: cannot open a database: %s\n", sqlite3_errstr(rc));
    return 1;
  }
  for (i = 0; i < sizeof(queries) / sizeof(queries[0]); i++) {
    sqlite3_stmt *stmt = NULL;
    rc = sqlite3_prepare_v2(db, queries[i], -1, &stmt, NULL);
    if (rc == SQLITE_OK && sqlite3_step(stmt) == SQLITE_ROW) {
      printf("%s\n", (const char *)sqlite3_column_text(stmt, 0));
    } else {
      fprintf(stderr, "static_host: %s: %s\n", queries[i], sqlite3_errmsg(db));
      sqlite3_finalize(stmt);
      sqlite3_close(db);
      return 1;
    }
    sqlite3_finalize(stmt);
  }
  sqlite3_close(db);
  return 0;
}
