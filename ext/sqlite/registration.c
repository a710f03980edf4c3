/*
** registration.c: registering the extension's SQL functions from tables of pf_function.
**
**   1. An aggregate with xValue and xInverse becomes a window function (only
**      sqlite3_create_window_function makes one usable with OVER).
**   2. The first failure stops the registration, with *pzErrMsg naming the function.
*/
#include "portfolio_sqlite.h"
SQLITE_EXTENSION_INIT3

int pf_register(sqlite3 *db, const pf_function *fns, int n, char **pzErrMsg) {
  int i;
  for (i = 0; i < n; i++) {
    const pf_function *f = &fns[i];
    int rc;
    if (f->xStep && f->xValue && f->xInverse) {
      rc = sqlite3_create_window_function(db, f->name, f->nArg, f->flags, f->user_data,
                                          f->xStep, f->xFinal, f->xValue, f->xInverse, 0);
    } else {
      rc = sqlite3_create_function_v2(db, f->name, f->nArg, f->flags, f->user_data, f->xFunc,
                                      f->xStep, f->xFinal, 0);
    }
    if (rc != SQLITE_OK) {
      if (pzErrMsg)
        *pzErrMsg = sqlite3_mprintf("portfolio: cannot register %s/%d: %s", f->name, f->nArg,
                                    sqlite3_errmsg(db));
      return rc;
    }
  }
  return SQLITE_OK;
}
