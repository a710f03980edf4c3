/*
** portfolio_core.h: the small shared core of the portfolio extension.
**
** Every SQL capability lives in its own ext/<capability>.c file and uses only what is
** declared here:
**   1. pf_amount_read(): the one reading of an "amount" argument (INTEGER, REAL, numeric
**      TEXT; '' and NULL mean "skip the row"; anything else is an error naming the function).
**   2. pf_acc: an accumulator that is exact for integers (128-bit) and compensated
**      (Neumaier) for doubles, so results do not depend on row order.
**   3. pf_table: an open-addressing hash table from customer key to net total, used by
**      every keyed aggregate and by the concentration table.
**   4. the measures themselves (HHI, top-n share with a heap, Gini) over customer totals.
**   5. registration of functions from one table of {name, nArg, flags, callbacks}.
*/
#ifndef PORTFOLIO_CORE_H
#define PORTFOLIO_CORE_H

#include "sqlite3ext.h"
#include <stddef.h>
#include <stdint.h>

#ifndef SQLITE_CORE
extern const sqlite3_api_routines *sqlite3_api;
#endif

#define PORTFOLIO_VERSION "0.1.0"

/* Flags every pure function is registered with: usable from views and triggers under
** PRAGMA trusted_schema=OFF. */
#define PF_PURE (SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS)

/* ---- numbers ---------------------------------------------------------------------- */

/* A number read from SQL: exact integer when the input was an integer. */
typedef struct pf_num {
  int is_int;
  sqlite3_int64 i;
  double d; /* always set, also for integers */
} pf_num;

/* The rules of pf_amount_read without the error message: 1, 0 (skip) or -1 (not an amount). */
int pf_amount_parse(sqlite3_value *v, pf_num *out);

/* Reads argument `v` of function `fn` as an amount. Returns 1 with *out set, 0 when the
** value is NULL or '' (the row is skipped), or -1 after setting an error on ctx that names
** the function, the argument and the value. */
int pf_amount_read(sqlite3_context *ctx, const char *fn, const char *arg, sqlite3_value *v,
                   pf_num *out);

/* Sets an error on ctx: "<fn>: <arg> must be <what>, got <value as the user wrote it>". */
void pf_error_bad_value(sqlite3_context *ctx, const char *fn, const char *arg,
                        const char *what, sqlite3_value *v);

/* Like sqlite3_result_error with printf formatting; reports NOMEM if formatting fails. */
void pf_result_errorf(sqlite3_context *ctx, const char *fmt, ...);

/* Describes a value for an error message, e.g. 'abc', 12, 1.5, NULL, a BLOB of 3 bytes.
** Returns memory from sqlite3_mprintf (caller frees) or NULL when out of memory. */
char *pf_describe_value(sqlite3_value *v);

/* A 128-bit integer that needs only 8-byte alignment: sqlite3_aggregate_context() and
** sqlite3_malloc() promise 8 bytes, and a 16-byte-aligned __int128 there faults at -O2. */
typedef __int128 pf_int128 __attribute__((aligned(8)));

/* Exact-for-integers, compensated-for-doubles accumulator. Zero-initialise to start. */
typedef struct pf_acc {
  pf_int128 i;  /* exact part: integer inputs, and integer squares */
  double d, c; /* Neumaier sum and its running compensation: double inputs */
  int inexact; /* 1 once any double was added (or the integer part overflowed) */
} pf_acc;

void pf_acc_add_double(pf_acc *a, double x);
void pf_acc_add_int(pf_acc *a, __int128 x);
void pf_acc_add_num(pf_acc *a, const pf_num *x);        /* +x */
void pf_acc_sub_num(pf_acc *a, const pf_num *x);        /* -x */
void pf_acc_add_square(pf_acc *a, const pf_num *x, int sign); /* sign * x*x */
double pf_acc_value(const pf_acc *a);
/* Reads the accumulator as a pf_num: exact integer when it fits in 64 bits. */
void pf_acc_num(const pf_acc *a, pf_num *out);
void pf_result_num(sqlite3_context *ctx, const pf_num *x);

/* ---- the per-customer hash table ---------------------------------------------------- */

enum { PF_KEY_INT = 1, PF_KEY_REAL = 2, PF_KEY_TEXT = 3, PF_KEY_BLOB = 4 };

/* A customer key as read from a value; p points into the value (not copied). */
typedef struct pf_key {
  int type;
  int as_returned; /* SQLITE_INTEGER or SQLITE_FLOAT for numeric keys, else the type */
  sqlite3_int64 i;
  double r;
  const void *p;
  int n;
} pf_key;

/* Reads a customer key. Returns 1, or 0 for NULL and '' (the row is skipped). 1 and 1.0
** give the same key, as in GROUP BY. */
int pf_key_read(sqlite3_value *v, pf_key *out);

/* One customer in the table, 32 bytes, 32-byte aligned: a probe touches one cache line.
** `total` is the net of its rows: an exact int64 while every row was an integer and the sum
** fits, else (PF_ENTRY_INEXACT) a Neumaier double sum `total.d + comp`, entered exactly
** from the integer sum so far. rows counts the rows so that a window frame that drops all
** of a customer's rows removes the customer exactly; 0 marks an empty slot. */
typedef struct pf_entry {
  union {
    sqlite3_int64 i;
    double r;
    const char *p; /* TEXT/BLOB: bytes in the table's arena, length in the 4 bytes before */
  } key;
  union {
    sqlite3_int64 i;
    double d;
  } total;
  double comp;
  unsigned rows;
  unsigned meta; /* key type, key-was-REAL flag, inexact flag; TEXT/BLOB: 24 hash bits */
} pf_entry;

#define PF_ENTRY_KTYPE(e) ((int)((e)->meta & 7u))
#define PF_ENTRY_REAL_KEY 8u /* an INT key first seen as a REAL (1.0): given back as REAL */
#define PF_ENTRY_INEXACT 16u
/* The length of a TEXT or BLOB key (stored in the arena just before its bytes). */
int pf_entry_key_length(const pf_entry *e);

typedef struct pf_arena_chunk pf_arena_chunk;

/* A row waiting for its slot's cache line: numeric keys are hashed and their slot
** prefetched when stepped, and added PF_PIPELINE rows later, so the memory latency of a
** table bigger than the caches overlaps with SQLite's work on the following rows. */
#define PF_PIPELINE 8
typedef struct pf_pending {
  sqlite3_uint64 hash;
  union {
    sqlite3_int64 i;
    double r;
  } key;
  union {
    sqlite3_int64 i;
    double d;
  } amount;
  unsigned char ktype, as_returned, amount_is_int;
  signed char sign;
} pf_pending;

/* Zero-initialised is an empty table. Reading entries needs pf_table_flush() first. */
typedef struct pf_table {
  pf_entry *slots;     /* 32-byte aligned inside `block` */
  void *block;
  sqlite3_uint64 cap;  /* any size: a hash maps to a slot by multiply-shift, not a mask */
  sqlite3_int64 count; /* used slots */
  pf_arena_chunk *arena; /* copies of TEXT and BLOB keys */
  int npending, first;
  pf_pending pending[PF_PIPELINE];
} pf_table;

/* Adds (sign = +1) or removes (sign = -1, window xInverse) one row's amount for a key.
** Numeric keys may be applied later (see PF_PIPELINE). Returns SQLITE_OK or SQLITE_NOMEM. */
int pf_table_add(pf_table *t, const pf_key *k, const pf_num *amount, int sign);
/* Applies every pending row. Returns SQLITE_OK or SQLITE_NOMEM. */
int pf_table_flush(pf_table *t);
/* The entry for key k, created with a zero total when missing (*created = 1); NULL when
** out of memory. Valid until the table next changes. Only for tables that never get rows
** through pf_table_add (nothing pending), e.g. a table of periods. */
pf_entry *pf_table_lookup(pf_table *t, const pf_key *k, int *created);
/* Slot i (0 <= i < t->cap) when it holds a customer, else NULL. Flush first. */
#define PF_TABLE_ENTRY(t, i) ((t)->slots[i].rows ? &(t)->slots[i] : (pf_entry *)0)
/* Bytes the table holds (slots and key copies), for the benchmark's memory figures. */
sqlite3_uint64 pf_table_bytes(const pf_table *t);
void pf_table_free(pf_table *t);
/* One row of a keyed aggregate: reads key and amount of function fn and adds (sign +1) or
** removes (sign -1) it. Returns 1, 0 when the row is skipped (a NULL or '' key or amount),
** or -1 after setting an error or NOMEM on ctx. */
int pf_keyed_add(sqlite3_context *ctx, const char *fn, pf_table *t, sqlite3_value *key,
                 sqlite3_value *amount, int sign);
/* The customer's net total as a number (exact integer when all its rows were integers). */
void pf_entry_total(const pf_entry *e, pf_num *out);
/* SQLite's ordering of two keys (numbers < text < blobs; text by BINARY). */
int pf_key_compare(const pf_entry *a, const pf_entry *b);
void pf_result_key(sqlite3_context *ctx, const pf_entry *e);

/* ---- the measures ------------------------------------------------------------------- */

/* A growable array of positive customer totals (doubles). */
typedef struct pf_values {
  double *v;
  sqlite3_int64 n, cap;
} pf_values;

int pf_values_push(pf_values *a, double x); /* SQLITE_OK or SQLITE_NOMEM */
void pf_values_remove(pf_values *a, double x); /* removes one copy, if present */
void pf_values_free(pf_values *a);
/* The error of a customer whose REAL rows add up beyond the largest double: its total is
** infinite (or NaN), so no share can be computed. Used as "<fn>: " PF_TOTAL_RANGE. */
#define PF_TOTAL_RANGE "a customer's total is beyond the range of REAL numbers (about 1.8e308)"
/* Collects the positive totals of a table into `out` (reusing its memory); flushes t.
** Returns SQLITE_OK, SQLITE_NOMEM, or SQLITE_RANGE for a total beyond the double range. */
int pf_values_from_table(pf_values *out, pf_table *t);
/* pf_values_from_table for an aggregate's xValue: returns 1, or 0 after setting the error
** ("<fn>: " PF_TOTAL_RANGE, or NOMEM) on ctx. */
int pf_values_from_table_for(sqlite3_context *ctx, const char *fn, pf_values *out,
                             pf_table *t);

/* HHI (0-10000) from the sum and the sum of squares of positive totals. */
double pf_hhi(const pf_acc *sum, const pf_acc *sumsq);
/* The factor (a power of two) by which amounts up to maxabs are multiplied before they are
** squared or summed: 1 for ordinary amounts; for REAL amounts beyond 2^400 (~1e120) or
** below 2^-400 it brings the largest near 1, so squares neither overflow nor vanish. The
** measures are ratios, so the factor cancels out exactly. */
double pf_scale_for(double maxabs);
int pf_scale_exponent(double x); /* e with x = m * 2^e, 0.5 <= m < 1; 0 in the safe range */
/* Share of the total held by the n largest of v[0..count). Uses a size-n heap. Returns
** SQLITE_OK or SQLITE_NOMEM; *share is 1.0 when count <= n. */
int pf_top_share(const double *v, sqlite3_int64 count, sqlite3_int64 n, double *share);
/* Population Gini of v[0..count) (sorts v in place). count must be >= 1. */
double pf_gini(double *v, sqlite3_int64 count);
/* Sorts v[0..n) ascending: a radix sort for positive finite values (linear time, one
** buffer of n doubles), qsort otherwise or when the buffer cannot be had. */
void pf_sort_positive(double *v, sqlite3_int64 n);
/* order[] = the indexes of v[0..n) (positive finite values) from largest to smallest,
** equal values in index order; a radix sort. SQLITE_OK or SQLITE_NOMEM. */
int pf_rank_desc(const double *v, sqlite3_int64 n, sqlite3_int64 *order);

/* Reads the `n` argument of top_share: a positive integer. Returns 1 with *n set, or 0
** after setting the error "top_share: n must be a positive integer, got X". */
int pf_topn_read(sqlite3_context *ctx, sqlite3_value *v, sqlite3_int64 *n);

/* ---- registration ------------------------------------------------------------------- */

typedef struct pf_function {
  const char *name;
  int nArg;
  int flags;
  void (*xFunc)(sqlite3_context *, int, sqlite3_value **);
  void (*xStep)(sqlite3_context *, int, sqlite3_value **);
  void (*xFinal)(sqlite3_context *);
  void (*xValue)(sqlite3_context *);
  void (*xInverse)(sqlite3_context *, int, sqlite3_value **);
} pf_function;

/* Registers n functions; aggregates with xValue/xInverse become window functions.
** Returns the first failing return code, with *pzErrMsg naming the function. */
int pf_register(sqlite3 *db, const pf_function *fns, int n, char **pzErrMsg);

/* Each capability's init, called from sqlite3_portfolio_init in portfolio.c. */
int pf_init_herfindahl(sqlite3 *db, char **pzErrMsg);
int pf_init_top_share(sqlite3 *db, char **pzErrMsg);
int pf_init_gini(sqlite3 *db, char **pzErrMsg);
int pf_init_hhi_band(sqlite3 *db, char **pzErrMsg);
int pf_init_concentration(sqlite3 *db, char **pzErrMsg);
int pf_init_concentration_by(sqlite3 *db, char **pzErrMsg);
int pf_init_risk(sqlite3 *db, char **pzErrMsg);
int pf_init_phase(sqlite3 *db, char **pzErrMsg);

#endif
