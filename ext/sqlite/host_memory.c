/*
** host_memory.c: the core's allocator (pf_host.h) bound to SQLite's, so that an
** application's SQLITE_CONFIG_MALLOC and sqlite3_soft_heap_limit64 govern the core too.
*/
#include "portfolio_sqlite.h"
#include "pf_host.h"
SQLITE_EXTENSION_INIT3

void *pf_malloc(uint64_t bytes) { return sqlite3_malloc64((sqlite3_uint64)bytes); }

void *pf_realloc(void *p, uint64_t bytes) {
  return sqlite3_realloc64(p, (sqlite3_uint64)bytes);
}

void pf_free(void *p) { sqlite3_free(p); }
