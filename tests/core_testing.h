/*
** core_testing.h: helpers of the Check tests that call ext/core directly (after
** testing.h): SQLite's allocator wrapped so that a test can fail every allocation from a
** point on (core allocations go through it, ext/sqlite/host_memory.c), and an INTEGER key.
**
** Included by: tests/test_exact.c, tests/test_exact_sums.c only.
*/
#ifndef PORTFOLIO_CORE_TESTING_H
#define PORTFOLIO_CORE_TESTING_H

#include "portfolio_core.h"

#include <stdint.h>

static sqlite3_mem_methods base_mem;
static int fail_allocations; /* while set, every allocation fails */

static inline void *failing_malloc(int n) { return fail_allocations ? 0 : base_mem.xMalloc(n); }
static inline void *failing_realloc(void *p, int n) {
  return fail_allocations ? 0 : base_mem.xRealloc(p, n);
}

/* Restarts SQLite with the wrapped allocator, once per process. */
static inline void install_failing_allocator(void) {
  static int done;
  sqlite3_mem_methods m;
  if (done) return;
  done = 1;
  sqlite3_shutdown(); /* PF_TEST_MAIN's sqlite3_auto_extension initialised it */
  ck_assert_int_eq(sqlite3_config(SQLITE_CONFIG_GETMALLOC, &base_mem), SQLITE_OK);
  m = base_mem;
  m.xMalloc = failing_malloc;
  m.xRealloc = failing_realloc;
  ck_assert_int_eq(sqlite3_config(SQLITE_CONFIG_MALLOC, &m), SQLITE_OK);
  ck_assert_int_eq(sqlite3_initialize(), SQLITE_OK);
  /* sqlite3_shutdown() forgot the auto extension: without a fork per test (CK_FORK=no, as
  ** under valgrind) the later SQL tests of this process need it again */
  ck_assert_int_eq(sqlite3_auto_extension((void (*)(void))sqlite3_portfolio_init), SQLITE_OK);
}

static inline pf_key int_key(int64_t i) {
  pf_key k;
  memset(&k, 0, sizeof k);
  k.type = PF_KEY_INT;
  k.i = i;
  return k;
}

#endif
