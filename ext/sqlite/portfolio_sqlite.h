/*
** portfolio_sqlite.h: the SQLite layer of the portfolio extension, on top of the
** host-neutral core (portfolio_core.h).
**
** Included by: the files of ext/sqlite only (the core must never include it: it compiles
** without SQLite, tests/core_without_sqlite.test.sh).
** Rules:
**   1. Values are read here, once, into the core's plain C values: amounts with SQLite's
**      numeric affinity (pf_amount_read), keys as GROUP BY groups them (pf_key_read).
**   2. Errors name the function, the argument and the value as the user wrote it
**      ("<fn>: <arg> must be <what>, got <value>"); the core's return codes become SQLite's
**      through pf_sqlite_rc.
**   3. Functions are registered from tables of pf_function with named fields; the count is
**      computed from the array (PF_COUNT).
*/
#ifndef PORTFOLIO_SQLITE_H
#define PORTFOLIO_SQLITE_H

#include "portfolio_core.h"
#include "sqlite3ext.h"

#include <math.h>

#ifndef SQLITE_CORE
extern const sqlite3_api_routines *sqlite3_api;
#endif

/* Flags every pure function is registered with: usable from views and triggers under
** PRAGMA trusted_schema=OFF. */
#define PF_PURE (SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS)

/* Elements of a static array. */
#define PF_COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* The SQLite result code of a core return code (PF_OK, PF_NOMEM, PF_RANGE). */
int pf_sqlite_rc(int core_rc);

/* ---- reading values --------------------------------------------------------------- */

/* The rules of pf_amount_read without the error message: 1, 0 (skip) or -1 (not an amount). */
int pf_amount_parse(sqlite3_value *v, pf_num *out);

/* The usual amounts, INTEGER and finite REAL, read inline with no call beyond SQLite's
** accessors: 1 with *out set, or 0 for any other value (*out unspecified: read it with
** pf_amount_parse or pf_amount_read). The first step of the hot loops (keyed.c,
** risk_sqlite.h) and of pf_amount_parse. */
static inline __attribute__((always_inline)) int pf_amount_fast(sqlite3_value *v,
                                                               pf_num *out) {
  int type = sqlite3_value_type(v);
  if (type == SQLITE_FLOAT) {
    out->d = sqlite3_value_double(v); /* stored first: one move less in the hot loops */
    if (isfinite(out->d)) {
      out->is_int = 0;
      out->i = 0;
      return 1;
    }
  } else if (type == SQLITE_INTEGER) {
    out->is_int = 1;
    out->i = sqlite3_value_int64(v);
    out->d = (double)out->i;
    return 1;
  }
  return 0;
}

/* Reads argument `v` of function `fn` as an amount. Returns 1 with *out set, 0 when the
** value is NULL or '' (the row is skipped), or -1 after setting an error on ctx that names
** the function, the argument and the value. */
int pf_amount_read(sqlite3_context *ctx, const char *fn, const char *arg, sqlite3_value *v,
                   pf_num *out);

/* Reads a customer key. Returns 1, 0 for NULL and '' (the row is skipped), or -1 when out
** of memory. The key's bytes belong to the value. 1 and 1.0 give the same key. */
int pf_key_read(sqlite3_value *v, pf_key *out);

/* Reads argument `arg` of function `fn` as a positive integer (INTEGER, an integral REAL,
** or TEXT reading as one). Returns 1 with *n set, or 0 after setting the error
** "<fn>: <arg> must be a positive integer, got X" (top_share's n). */
int pf_positive_int_read(sqlite3_context *ctx, const char *fn, const char *arg,
                         sqlite3_value *v, sqlite3_int64 *n);

/* ---- errors and results ----------------------------------------------------------- */

/* Sets an error on ctx: "<fn>: <arg> must be <what>, got <value as the user wrote it>". */
void pf_error_bad_value(sqlite3_context *ctx, const char *fn, const char *arg,
                        const char *what, sqlite3_value *v);

/* Like sqlite3_result_error with printf formatting; reports NOMEM if formatting fails. */
void pf_result_errorf(sqlite3_context *ctx, const char *fmt, ...);

/* Describes a value for an error message, e.g. 'abc', 12, 1.5, NULL, a BLOB of 3 bytes.
** Returns memory from sqlite3_mprintf (caller frees) or NULL when out of memory. */
char *pf_describe_value(sqlite3_value *v);

void pf_result_num(sqlite3_context *ctx, const pf_num *x);
/* The key given back as the query returned it (an INTEGER key first seen as 1.0 comes
** back as REAL). */
void pf_result_key(sqlite3_context *ctx, const pf_key *k);

/* ---- keyed aggregates ------------------------------------------------------------- */

/* One row of a keyed aggregate: reads key and amount of function fn and adds (sign +1) or
** removes (sign -1) it. Returns 1, 0 when the row is skipped (a NULL or '' key or amount),
** or -1 after setting an error or NOMEM on ctx. */
int pf_keyed_add(sqlite3_context *ctx, const char *fn, pf_table *t, sqlite3_value *key,
                 sqlite3_value *amount, int sign);
/* The rules of pf_keyed_add, reading only: 1 with *k and *x set, 0 when the row is
** skipped, or -1 after setting an error or NOMEM on ctx. */
int pf_keyed_read(sqlite3_context *ctx, const char *fn, sqlite3_value *key,
                  sqlite3_value *amount, pf_key *k, pf_num *x);
/* pf_values_from_table for an aggregate's xValue: returns 1, or 0 after setting the error
** ("<fn>: " PF_TOTAL_RANGE, or NOMEM) on ctx. */
int pf_values_from_table_for(sqlite3_context *ctx, const char *fn, pf_values *out,
                             pf_table *t);

/* ---- registration ----------------------------------------------------------------- */

/* Written with designated initialisers ({.name = ..., .nArg = ...}): unset callbacks are 0. */
typedef struct pf_function {
  const char *name;
  int nArg;
  int flags;
  void *user_data; /* given back by sqlite3_user_data (the measure engine's description) */
  void (*xFunc)(sqlite3_context *, int, sqlite3_value **);
  void (*xStep)(sqlite3_context *, int, sqlite3_value **);
  void (*xFinal)(sqlite3_context *);
  void (*xValue)(sqlite3_context *);
  void (*xInverse)(sqlite3_context *, int, sqlite3_value **);
} pf_function;

/* Registers n functions; aggregates with xValue/xInverse become window functions.
** Returns the first failing return code, with *pzErrMsg naming the function. */
int pf_register(sqlite3 *db, const pf_function *fns, int n, char **pzErrMsg);

/* ---- capabilities ----------------------------------------------------------------- */

/* Every capability of the extension, one line each, in the order sqlite3_portfolio_init
** registers them: X(name, exports) declares pf_init_<name> (defined in the capability's
** file, which sees this declaration) and puts it in pf_capabilities (portfolio.c) with the
** SQL functions and modules it registers, space-separated. Adding a capability is its
** pf_init_<name> and one line here; tests/test_exports.c checks that each init registers
** exactly its exports, and that they are the extension's expected exports. */
#define PF_CAPABILITIES(X)                                                    \
  X(version, "portfolio_version")                                             \
  X(measures, "herfindahl top_share gini") /* measures.c: every pf_measure */  \
  X(hhi_band, "hhi_band")                                                     \
  X(concentration, "concentration")                                           \
  X(concentration_by, "concentration_by")                                     \
  X(movements, "revenue_movements customer_movements revenue_cohorts")        \
  X(risk, "risk_score risk_explain risk_model risk_industries risk_scorecard") \
  X(phase, "phase_of phases")                                                 \
  X(ranking, "auc lift")                                                      \
  X(risk_fit, "risk_fit")

#define PF_CAPABILITY_INIT(name, exports) int pf_init_##name(sqlite3 *db, char **pzErrMsg);
PF_CAPABILITIES(PF_CAPABILITY_INIT)
#undef PF_CAPABILITY_INIT

typedef struct pf_capability {
  const char *name; /* "risk": pf_init_risk */
  int (*init)(sqlite3 *db, char **pzErrMsg);
  const char *exports; /* the SQL names it registers, space-separated */
} pf_capability;

/* The capabilities of PF_CAPABILITIES, in its order (portfolio.c). */
extern const pf_capability pf_capabilities[];
extern const int pf_capability_count;

#endif
