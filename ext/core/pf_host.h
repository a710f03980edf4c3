/*
** pf_host.h: what the host-neutral core (ext/core) asks of the host that embeds it.
**
** Included by: every file in ext/core, and each host's implementation of it
** (ext/sqlite/host_memory.c for SQLite; the PostgreSQL host has its own).
**
**   1. Memory. The core allocates only through these three functions, which each host
**      binds at link time to its own allocator (sqlite3_malloc64 / sqlite3_realloc64 /
**      sqlite3_free in SQLite, so SQLITE_CONFIG_MALLOC and the OOM tests see every
**      allocation; palloc in PostgreSQL). A NULL from pf_malloc or pf_realloc is "out of
**      memory" and the core reports it to its caller; it never aborts.
**   2. Nothing else: no I/O, no SQL, no host types. Keys and amounts reach the core as
**      plain C values.
*/
#ifndef PORTFOLIO_PF_HOST_H
#define PORTFOLIO_PF_HOST_H

#include <stdint.h>

void *pf_malloc(uint64_t bytes);
void *pf_realloc(void *p, uint64_t bytes); /* like realloc; p may be NULL */
void pf_free(void *p);                     /* p may be NULL */

#endif
