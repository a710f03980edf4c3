/*
** portfolio.c: the extension's entry point. It only calls each capability's init, in
** the order below, and stops at the first failure with a message naming it. It is the
** only symbol the loadable library exports (tests/exported_symbols.test.sh).
*/
#include "portfolio_sqlite.h"
SQLITE_EXTENSION_INIT1

static void portfolio_version(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  (void)argc;
  (void)argv;
  sqlite3_result_text(ctx, PORTFOLIO_VERSION, -1, SQLITE_STATIC);
}

static const pf_function version_functions[] = {
    {.name = "portfolio_version", .nArg = 0, .flags = PF_PURE, .xFunc = portfolio_version},
};

static int init_version(sqlite3 *db, char **pzErrMsg) {
  return pf_register(db, version_functions, PF_COUNT(version_functions), pzErrMsg);
}

typedef int (*pf_init_fn)(sqlite3 *, char **);

static const pf_init_fn capability_inits[] = {
    init_version,
    pf_init_measures,
    pf_init_hhi_band,
    pf_init_concentration,
    pf_init_concentration_by,
    pf_init_movements,
    pf_init_risk,
    pf_init_phase,
    pf_init_ranking,
    pf_init_risk_fit,
};

/* The one exported symbol: every build of the library uses -fvisibility=hidden. */
#ifdef _WIN32
__declspec(dllexport)
#else
__attribute__((visibility("default")))
#endif
int sqlite3_portfolio_init(sqlite3 *db, char **pzErrMsg, const sqlite3_api_routines *pApi) {
  size_t i;
  SQLITE_EXTENSION_INIT2(pApi);
  for (i = 0; i < sizeof(capability_inits) / sizeof(capability_inits[0]); i++) {
    int rc = capability_inits[i](db, pzErrMsg);
    if (rc != SQLITE_OK) return rc;
  }
  return SQLITE_OK;
}
