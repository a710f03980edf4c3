/*
** core_table_internal.h: the layout of the per-customer table, private to its three files.
**
** Included by: core_table.c (slots, probing, the pipeline, the public table functions),
** core_table_entry.c (a customer's total: exact int64, exact Neumaier pair, or its own
** superaccumulator) and core_table_rows.c (row counts past 2^32) only. Everything else
** reaches the table through portfolio_core.h. The calls go one way: core_table.c calls
** the other two, which call nothing of it.
*/
#ifndef PORTFOLIO_CORE_TABLE_INTERNAL_H
#define PORTFOLIO_CORE_TABLE_INTERNAL_H

#include "portfolio_core.h"

#include <string.h>

/* Inexact only because integer rows left the int64 range (no REAL row yet): the Neumaier
** pair then holds the exact sum, which is given back as an INTEGER once it fits again, so
** MAX + MAX - MAX is MAX in every row order. Any REAL row clears it. */
#define META_INT_OVERFLOW 32u
#define META_HASH_SHIFT 8   /* TEXT/BLOB: the hash's top 24 bits, to skip most memcmp */
/* The customer has rows counted in the table's spill records (core_table_rows.c). */
#define META_ROWS_SPILLED 64u
#define ROWS_SPILL_UNIT ((uint64_t)1 << 31)
/* The customer's REAL sum lives in a superaccumulator of its own (core_table_entry.c). */
#define META_EXACT 128u

/* One customer in the table, 32 bytes, 32-byte aligned: a probe touches one cache line.
** `total` is the net of its rows: an exact int64 while every row was an integer and the sum
** fits, else (PF_ENTRY_INEXACT) a Neumaier double sum `total.d + comp`, entered exactly
** from the integer sum so far. rows counts the rows so that a window frame that drops all
** of a customer's rows removes the customer exactly; 0 marks an empty slot. */
struct pf_entry {
  union {
    int64_t i;
    double r;
    const char *p; /* TEXT/BLOB: bytes in the table's arena, length in the 4 bytes before */
  } key;
  union {
    int64_t i;
    double d;
    pf_exact *exact; /* META_EXACT: the customer's sum, exactly */
  } total;
  double comp;
  unsigned rows;
  unsigned meta; /* key type, key-was-REAL flag, inexact flag; TEXT/BLOB: 24 hash bits */
};

#define PF_ENTRY_KTYPE(e) ((int)((e)->meta & 7u))
#define PF_ENTRY_REAL_KEY 8u /* an INT key first seen as a REAL (1.0): given back as REAL */
#define PF_ENTRY_INEXACT 16u

typedef struct pf_arena_chunk pf_arena_chunk;

/* Rows of the customers past 2^32 - 1 of them, beyond what their slot counts: one record
** per such customer, found by its key's type and 8 bytes (for TEXT and BLOB, the address of
** its copy in the arena, which never moves). Only such customers ever touch it. */
typedef struct pf_rows_record {
  uint64_t key_word;
  uint64_t units; /* rows kept here, in ROWS_SPILL_UNIT */
  unsigned ktype;
} pf_rows_record;
typedef struct pf_rows_spill {
  pf_rows_record *records;
  int64_t n, cap;
} pf_rows_spill;

/* A row waiting for its slot's cache line: numeric keys are hashed and their slot
** prefetched when stepped, and added PF_PIPELINE rows later, so the memory latency of a
** table bigger than the caches overlaps with the host's work on the following rows. */
#define PF_PIPELINE 8
typedef struct pf_pending {
  uint64_t hash;
  union {
    int64_t i;
    double r;
  } key;
  union {
    int64_t i;
    double d;
  } amount;
  unsigned char ktype, was_real, amount_is_int;
  signed char sign;
} pf_pending;

/* What a pf_table points at, made on its first row. */
struct pf_table_impl {
  pf_entry *slots;     /* 32-byte aligned inside `block` */
  void *block;
  uint64_t cap;  /* any size: a hash maps to a slot by multiply-shift, not a mask */
  int64_t count; /* used slots */
  pf_arena_chunk *arena; /* copies of TEXT and BLOB keys */
  pf_rows_spill *spill;  /* customers past 2^32 - 1 rows (core_table_rows.c), or NULL */
  int64_t exact_count;   /* customers with META_EXACT, whose pf_exact is freed with them */
  int npending, first;
  int dictionary; /* made by pf_table_index: its hashes are mixed again (core_table.c) */
  pf_pending pending[PF_PIPELINE];
};

struct pf_arena_chunk {
  pf_arena_chunk *next;
  size_t used, size;
  /* key bytes follow */
};


/* The length of a TEXT/BLOB key, kept in the 4 bytes before its copy. */
static inline int pf_entry_key_length(const pf_entry *e) {
  unsigned n;
  memcpy(&n, e->key.p - 4, 4);
  return (int)n;
}

/* The usual REAL row of an inexact customer (not META_EXACT): the Neumaier step when it is
** provably exact. 1 when done, 0 (nothing changed) when the row needs pf_entry_add. */
static inline int pf_entry_add_double_fast(pf_entry *e, double x) {
  return pf_sum_step(&e->total.d, &e->comp, x);
}

/* ---- core_table_entry.c ---- */
/* Adds sign * x to the customer's total, exactly. PF_OK or PF_NOMEM (its superaccumulator
** could not be had; the total is then unchanged unless an INTEGER row past 2^53 was half
** added). */
int pf_entry_add(pf_table_impl *t, pf_entry *e, const pf_num *x, int sign);
/* Frees the superaccumulator of a customer leaving the table (if it has one). */
void pf_entry_release(pf_table_impl *t, pf_entry *e);

/* ---- core_table_rows.c ---- */
/* Moves ROWS_SPILL_UNIT of the slot's rows into the customer's record (sign > 0: its slot
** is at 2^32 - 1) or back (sign < 0). PF_OK or PF_NOMEM (nothing changed). */
int pf_rows_spill_move(pf_table_impl *t, pf_entry *e, int sign);
/* Sets the customer's record to `units` (0 removes it). PF_OK or PF_NOMEM. */
int pf_rows_spill_set(pf_table_impl *t, pf_entry *e, uint64_t units);
void pf_rows_spill_free(pf_table_impl *t);
uint64_t pf_rows_spill_bytes(const pf_table_impl *t);

#endif
