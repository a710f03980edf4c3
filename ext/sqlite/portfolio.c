/*
** portfolio.c: the extension's entry point. It only calls each capability's init, in
** the order of PF_CAPABILITIES (portfolio_sqlite.h), and stops at the first failure with a
** message naming it. It is the only symbol the loadable library exports
** (tests/exported_symbols.test.sh).
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

int pf_init_version(sqlite3 *db, char **pzErrMsg) {
  return pf_register(db, version_functions, PF_COUNT(version_functions), pzErrMsg);
}

#define PF_CAPABILITY_ENTRY(n, e) {.name = #n, .init = pf_init_##n, .exports = e},
const pf_capability pf_capabilities[] = {PF_CAPABILITIES(PF_CAPABILITY_ENTRY)};
const int pf_capability_count = PF_COUNT(pf_capabilities);

/* The one exported symbol: every build of the library uses -fvisibility=hidden. */
#ifdef _WIN32
__declspec(dllexport)
#else
__attribute__((visibility("default")))
#endif
int sqlite3_portfolio_init(sqlite3 *db, char **pzErrMsg, const sqlite3_api_routines *pApi) {
  int i;
  SQLITE_EXTENSION_INIT2(pApi);
  for (i = 0; i < pf_capability_count; i++) {
    int rc = pf_capabilities[i].init(db, pzErrMsg);
    if (rc != SQLITE_OK) return rc;
  }
  return SQLITE_OK;
}
