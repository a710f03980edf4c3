/*
** query_errors.c: the messages and failures of the query runner (rules in query_runner.h),
** in a file of their own so that query_runner.c and query_vtabs.c both call down into it
** and never round into each other (tests/core_layers.test.sh).
*/
#include "query_runner.h"
SQLITE_EXTENSION_INIT3

#include <stdarg.h>

char *pf_query_message(const char *function, const char *fmt, ...) {
  va_list ap;
  char *rest, *msg;
  va_start(ap, fmt);
  rest = sqlite3_vmprintf(fmt, ap);
  va_end(ap);
  if (rest == 0) return 0;
  msg = sqlite3_mprintf("%s: %s", function, rest);
  sqlite3_free(rest);
  return msg;
}

int pf_query_fail(sqlite3_vtab *vtab, int rc, char *msg) {
  sqlite3_free(vtab->zErrMsg);
  vtab->zErrMsg = msg;
  return msg == 0 && rc != SQLITE_OK ? SQLITE_NOMEM : rc;
}
