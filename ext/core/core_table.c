/*
** core_table.c: the per-customer open-addressing hash table behind every keyed form.
**
**   1. Keys (pf_key, read by the host; core_key.c orders them) are INTEGER, REAL, TEXT
**      or BLOB. An integral REAL is the same key as that INTEGER (pf_key_from_double).
**      TEXT and BLOB are compared byte for byte (BINARY collation), and TEXT 'x' is never
**      the same key as BLOB x'..', nor TEXT '1' as INTEGER 1.
**   2. NULL and '' keys are not read (the row is skipped by the caller).
**   3. Linear probing over 32-byte slots (one cache line per probe) in an array of any
**      size: a hash picks its slot by multiply-shift, so a big table can grow by 1.2x at
**      80 % full and never hold more than 48 bytes per customer (doubling would leave a
**      table of a million customers under half full); below 2^20 slots it doubles, which
**      moves each entry fewer times. Removal (a window frame dropping
**      a customer's last row) shifts the following run back, so no tombstones build up.
**      TEXT and BLOB keys are copied, with their length, into an arena of large chunks:
**      one allocation per chunk, never one per row.
**   4. Numeric keys go through a short pipeline (PF_PIPELINE rows): the slot's cache line
**      is prefetched when the row is stepped and the row is added a few rows later, so a
**      table larger than the caches does not stall on every row. Readers flush it first.
**   5. A customer's total (core_table_entry.c): an exact int64 while its rows are
**      integers, then an exact Neumaier pair, then, only for a customer whose rows cancel
**      across more than about 2^53 or pass the double range, a superaccumulator of its own.
**      It is the exact sum rounded once, whatever the order of the rows. The usual REAL
**      row's step is inline here (pf_entry_add_double_fast).
**   6. The layout (slots, pipeline, arena) is private to this file and its two helpers
**      (core_table_internal.h): a pf_table is a pointer to it, made on the first row;
**      callers iterate with pf_table_next.
**   7. Row counts are 64-bit (core_table_rows.c): the slot keeps 32 bits, and a customer
**      past 2^32 - 1 rows moves 2^31 of them at a time into a record of its own.
**   8. A dictionary (pf_table_index) mixes its hashes once more (dictionary_hash), so that
**      filling it from another table's iteration, which comes in hash order, does not pack
**      its keys into one cluster.
*/
#include "core_table_internal.h"
#include "pf_host.h"
#include "pf_window.h"

#include <math.h>
#include <string.h>

#define PF_TABLE_MIN 64
#define PF_ARENA_CHUNK 65536
#define PF_SLOT_ALIGN 32
/* No madvise(MADV_HUGEPAGE) on the slot array: the memory comes from the host's allocator
** (sqlite3_malloc64, palloc), which an application may have replaced, so its pages are not
** the library's to advise. Measured when it went (bench/NOTES.md): a keyed herfindahl over
** 4,000,000 rows and 1,000,000 customers took 0.35 s with the advice and 0.42 s without on a
** kernel with transparent huge pages in "madvise" mode; with THP "always" the kernel backs
** large blocks with 2 MB pages without being asked. */
/* Slots (2^20: 32 MB) from which the table grows by 1.2x instead of 2x: below, memory is
** small in absolute terms and every rehash moves every entry again (1.2x steps move each
** entry 5 times over, measured 2.3x slower for 24 tables of 340k customers); above, it is
** the bytes per customer that count, and 1.2x keeps them at or under 48. */
#define PF_SLOW_GROWTH_FROM ((uint64_t)1 << 20)
/* Slots (16384: 512 KB) from which rows go through the prefetch pipeline. */
#define PF_PIPELINE_FROM 16384
static uint64_t mix64(uint64_t x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

static uint64_t hash_bytes(const unsigned char *p, int n, uint64_t seed) {
  uint64_t h = seed ^ ((uint64_t)n * 0x9e3779b97f4a7c15ULL);
  while (n >= 8) {
    uint64_t w;
    memcpy(&w, p, 8);
    h = mix64(h ^ w);
    p += 8;
    n -= 8;
  }
  if (n > 0) {
    uint64_t w = 0;
    memcpy(&w, p, (size_t)n);
    h = mix64(h ^ w ^ 0xff);
  }
  return h;
}

static uint64_t key_hash(const pf_key *k) {
  if (k->type == PF_KEY_INT) return mix64((uint64_t)k->i);
  if (k->type == PF_KEY_REAL) {
    uint64_t bits;
    memcpy(&bits, &k->r, 8);
    return mix64(bits ^ 0x5555555555555555ULL);
  }
  return hash_bytes((const unsigned char *)k->p, k->n, (uint64_t)k->type);
}

static uint64_t entry_hash(const pf_entry *e) {
  pf_key k;
  k.type = PF_ENTRY_KTYPE(e);
  if (k.type == PF_KEY_INT) return mix64((uint64_t)e->key.i);
  if (k.type == PF_KEY_REAL) {
    k.r = e->key.r;
  } else {
    k.p = e->key.p;
    k.n = pf_entry_key_length(e);
  }
  return key_hash(&k);
}

/* A dictionary's hash of a key whose table hash is h. A dictionary is often filled from
** another table's iteration, which comes in hash order: with the same hash, the keys would
** go in by increasing home slot while the table is still small, so they pack into one
** cluster and every insertion walks it (measured: 1,000,000 keys into pf_table_index, 1.3 s
** in random order, 510 s in hash order). A second mix makes the orders unrelated. */
static uint64_t dictionary_hash(uint64_t h) { return mix64(h ^ 0x9e3779b97f4a7c15ULL); }

/* The hash a slot's entry was placed by in table t. */
static uint64_t slot_hash(const pf_table_impl *t, const pf_entry *e) {
  return t->dictionary ? dictionary_hash(entry_hash(e)) : entry_hash(e);
}

/* The slot a hash starts probing at: (h * cap) / 2^64, for any capacity. */
static uint64_t home_of(uint64_t h, uint64_t cap) {
  return pf_mul_high_u64(h, cap);
}

static int key_equal(const pf_entry *e, const pf_key *k, uint64_t h) {
  if (PF_ENTRY_KTYPE(e) != k->type) return 0;
  switch (k->type) {
    case PF_KEY_INT:
      return e->key.i == k->i;
    case PF_KEY_REAL:
      return e->key.r == k->r;
    default:
      return (e->meta >> META_HASH_SHIFT) == (unsigned)(h >> 40) &&
             pf_entry_key_length(e) == k->n && memcmp(e->key.p, k->p, (size_t)k->n) == 0;
  }
}

/* Copies a key into the arena after its 4-byte length; returns the bytes' address. */
static const char *arena_copy(pf_table_impl *t, const void *p, int n) {
  pf_arena_chunk *c = t->arena;
  size_t need = (size_t)n + 4;
  unsigned len = (unsigned)n;
  char *dst;
  if (c == 0 || c->size - c->used < need) {
    size_t size = need > PF_ARENA_CHUNK ? need : PF_ARENA_CHUNK;
    c = pf_malloc(sizeof(pf_arena_chunk) + size);
    if (c == 0) return 0;
    c->next = t->arena;
    c->used = 0;
    c->size = size;
    t->arena = c;
  }
  dst = (char *)(c + 1) + c->used;
  memcpy(dst, &len, 4);
  memcpy(dst + 4, p, (size_t)n);
  c->used += need;
  return dst + 4;
}

/* A zeroed slot array of cap slots, 32-byte aligned, inside a new block. */
static pf_entry *slots_alloc(uint64_t cap, void **block) {
  uint64_t bytes = cap * sizeof(pf_entry);
  pf_entry *slots;
  *block = pf_malloc(bytes + PF_SLOT_ALIGN);
  if (*block == 0) return 0;
  slots = (pf_entry *)(((uintptr_t)*block + PF_SLOT_ALIGN - 1) &
                       ~(uintptr_t)(PF_SLOT_ALIGN - 1));
  memset(slots, 0, bytes);
  return slots;
}

static int table_grow(pf_table_impl *t) {
  uint64_t oldcap = t->cap, i;
  uint64_t newcap = oldcap == 0 ? PF_TABLE_MIN
                          : oldcap < PF_SLOW_GROWTH_FROM ? oldcap * 2
                                                         : oldcap + oldcap / 5;
  pf_entry *old = t->slots, *slots;
  void *block;
  slots = slots_alloc(newcap, &block);
  if (slots == 0) return PF_NOMEM;
  for (i = 0; i < oldcap; i++) {
    uint64_t j;
    if (old[i].rows == 0) continue;
    for (j = home_of(slot_hash(t, &old[i]), newcap); slots[j].rows; j = j + 1 == newcap ? 0 : j + 1) {
    }
    slots[j] = old[i];
  }
  pf_free(t->block);
  t->block = block;
  t->slots = slots;
  t->cap = newcap;
  return PF_OK;
}

/* Backward-shift deletion: pull later members of the probe run into the hole. */
static void table_remove_slot(pf_table_impl *t, uint64_t hole) {
  uint64_t j = hole, cap = t->cap;
  for (;;) {
    uint64_t home, from_home, from_hole;
    j = j + 1 == cap ? 0 : j + 1;
    if (t->slots[j].rows == 0) break;
    home = home_of(slot_hash(t, &t->slots[j]), cap);
    from_home = j >= home ? j - home : j + cap - home;
    from_hole = j >= hole ? j - hole : j + cap - hole;
    /* Move j into the hole unless its home lies cyclically in (hole, j]. */
    if (from_home >= from_hole) {
      t->slots[hole] = t->slots[j];
      hole = j;
    }
  }
  memset(&t->slots[hole], 0, sizeof(pf_entry));
  t->count--;
}

/* Applies one row to the customer in slot j. */
static int entry_apply(pf_table_impl *t, pf_entry *e, uint64_t j, const pf_num *amount,
                       int sign) {
  if (sign > 0) {
    if (e->rows == UINT32_MAX && pf_rows_spill_move(t, e, 1) != PF_OK) return PF_NOMEM;
    if (!amount->is_int && (e->meta & (PF_ENTRY_INEXACT | META_EXACT)) == PF_ENTRY_INEXACT &&
        pf_entry_add_double_fast(e, amount->d)) {
      e->meta &= ~META_INT_OVERFLOW; /* the usual case: a REAL amount, inline */
    } else if (pf_entry_add(t, e, amount, 1) != PF_OK) {
      return PF_NOMEM;
    }
    e->rows++;
  } else {
    if (e->rows == 1 && (e->meta & META_ROWS_SPILLED)) pf_rows_spill_move(t, e, -1);
    if (pf_entry_add(t, e, amount, sign) != PF_OK) return PF_NOMEM;
    if (--e->rows == 0) {
      pf_entry_release(t, e);
      table_remove_slot(t, j);
    }
  }
  return PF_OK;
}

/* Finds (or, for sign > 0, creates) the key's slot and applies the amount. */
static int table_apply(pf_table_impl *t, uint64_t h, const pf_key *k, const pf_num *amount,
                       int sign) {
  uint64_t j;
  pf_entry *e;
  if (t->slots == 0) {
    if (sign < 0) return PF_OK;
    if (table_grow(t) != PF_OK) return PF_NOMEM;
  }
  j = home_of(h, t->cap);
  if (k->type == PF_KEY_INT || k->type == PF_KEY_REAL) {
    /* A numeric key is its type and its 8 bytes (a REAL key is never integral, so -0.0
    ** and 0.0 cannot both occur): one compare per probe, no call. */
    int64_t bits = k->i;
    if (k->type == PF_KEY_REAL) memcpy(&bits, &k->r, 8);
    for (; (e = &t->slots[j])->rows; j = j + 1 == t->cap ? 0 : j + 1) {
      if (e->key.i == bits && PF_ENTRY_KTYPE(e) == k->type)
        return entry_apply(t, e, j, amount, sign);
    }
  } else {
    for (; (e = &t->slots[j])->rows; j = j + 1 == t->cap ? 0 : j + 1) {
      if (key_equal(e, k, h)) return entry_apply(t, e, j, amount, sign);
    }
  }
  if (sign < 0) return PF_OK; /* xInverse of a row never stepped: nothing to undo */
  if ((uint64_t)(t->count + 1) * 5 > t->cap * 4) {
    if (table_grow(t) != PF_OK) return PF_NOMEM;
    for (j = home_of(h, t->cap); t->slots[j].rows; j = j + 1 == t->cap ? 0 : j + 1) {
    }
  }
  e = &t->slots[j];
  memset(e, 0, sizeof(*e));
  e->meta = (unsigned)k->type;
  if (k->was_real && k->type == PF_KEY_INT) e->meta |= PF_ENTRY_REAL_KEY;
  if (k->type == PF_KEY_INT) {
    e->key.i = k->i;
  } else if (k->type == PF_KEY_REAL) {
    e->key.r = k->r;
  } else {
    e->key.p = arena_copy(t, k->p, k->n);
    if (e->key.p == 0) return PF_NOMEM;
    e->meta |= (unsigned)(h >> 40) << META_HASH_SHIFT;
  }
  e->rows = 1;
  t->count++;
  return pf_entry_add(t, e, amount, 1); /* a new customer's first row never needs memory */
}

/* Asks for the cache line a lookup of hash h starts on. (Also asking for the next line,
** which a probe at 80 % load reaches about half the time, measured no faster.) */
static void prefetch_probe(const pf_table_impl *t, uint64_t h) {
  __builtin_prefetch(&t->slots[home_of(h, t->cap)], 1);
}

static int apply_pending(pf_table_impl *t, const pf_pending *p) {
  pf_key k;
  pf_num x;
  if (p->ktype == PF_KEY_INT && p->sign > 0 && !p->amount_is_int && t->slots) {
    /* The usual row (INTEGER key, REAL amount, customer already inexact): what
    ** table_apply and entry_apply would do, without building a key and a number. */
    uint64_t j, cap = t->cap;
    pf_entry *e;
    for (j = home_of(p->hash, cap); (e = &t->slots[j])->rows; j = j + 1 == cap ? 0 : j + 1) {
      if (e->key.i != p->key.i || PF_ENTRY_KTYPE(e) != PF_KEY_INT) continue;
      if ((e->meta & (PF_ENTRY_INEXACT | META_EXACT)) != PF_ENTRY_INEXACT ||
          e->rows == UINT32_MAX || !pf_entry_add_double_fast(e, p->amount.d))
        break;
      e->meta &= ~META_INT_OVERFLOW;
      e->rows++;
      return PF_OK;
    }
  }
  k.type = p->ktype;
  k.was_real = p->was_real;
  if (k.type == PF_KEY_INT)
    k.i = p->key.i;
  else
    k.r = p->key.r;
  x.is_int = p->amount_is_int;
  if (x.is_int) {
    x.i = p->amount.i;
    x.d = (double)x.i;
  } else {
    x.i = 0;
    x.d = p->amount.d;
  }
  return table_apply(t, p->hash, &k, &x, p->sign);
}

static int table_flush(pf_table_impl *t) {
  while (t->npending > 0) {
    int rc = apply_pending(t, &t->pending[t->first]);
    t->first = (t->first + 1) % PF_PIPELINE;
    t->npending--;
    if (rc != PF_OK) return rc;
  }
  return PF_OK;
}

static int table_add(pf_table_impl *t, const pf_key *k, const pf_num *amount, int sign) {
  uint64_t h = key_hash(k);
  pf_pending *p;
  if (k->type == PF_KEY_TEXT || k->type == PF_KEY_BLOB) {
    /* The bytes live only as long as the row: apply now (other keys cannot be equal). */
    return table_apply(t, h, k, amount, sign);
  }
  if (t->cap < PF_PIPELINE_FROM && t->npending == 0) {
    /* The table fits in the caches: nothing to wait for. */
    return table_apply(t, h, k, amount, sign);
  }
  if (t->slots) prefetch_probe(t, h);
  if (t->npending == PF_PIPELINE) {
    int rc = apply_pending(t, &t->pending[t->first]);
    t->first = (t->first + 1) % PF_PIPELINE;
    t->npending--;
    if (rc != PF_OK) return rc;
  }
  p = &t->pending[(t->first + t->npending) % PF_PIPELINE];
  t->npending++;
  p->hash = h;
  p->ktype = (unsigned char)k->type;
  p->was_real = (unsigned char)k->was_real;
  if (k->type == PF_KEY_INT)
    p->key.i = k->i;
  else
    p->key.r = k->r;
  p->amount_is_int = (unsigned char)amount->is_int;
  if (amount->is_int)
    p->amount.i = amount->i;
  else
    p->amount.d = amount->d;
  p->sign = (signed char)sign;
  return PF_OK;
}

/* The slot of key k, or NULL when it is not in the table. */
static pf_entry *table_find(const pf_table_impl *t, const pf_key *k, uint64_t h) {
  uint64_t j;
  if (t->slots == 0) return 0;
  for (j = home_of(h, t->cap); t->slots[j].rows; j = j + 1 == t->cap ? 0 : j + 1)
    if (key_equal(&t->slots[j], k, h)) return &t->slots[j];
  return 0;
}

/* The common row of a table that fits in the caches: an INTEGER key already there, with a
** REAL amount added to an inexact total or an INTEGER one to an exact total that does not
** overflow. 1 when done; 0 sends the row down the general path (same result). */
static inline __attribute__((always_inline)) int add_to_known_int_key(pf_table_impl *t,
                                                                    int64_t k,
                                                                    const pf_num *x) {
  uint64_t j, cap = t->cap;
  pf_entry *e;
  for (j = home_of(mix64((uint64_t)k), cap); (e = &t->slots[j])->rows;
       j = j + 1 == cap ? 0 : j + 1) {
    if (e->key.i != k || PF_ENTRY_KTYPE(e) != PF_KEY_INT) continue;
    if (e->rows == UINT32_MAX) return 0; /* the next row spills (rule 7) */
    if (!x->is_int) {
      if ((e->meta & (PF_ENTRY_INEXACT | META_EXACT)) != PF_ENTRY_INEXACT ||
          !pf_entry_add_double_fast(e, x->d))
        return 0;
      e->meta &= ~META_INT_OVERFLOW;
    } else {
      int64_t r;
      if ((e->meta & PF_ENTRY_INEXACT) || __builtin_add_overflow(e->total.i, x->i, &r))
        return 0;
      e->total.i = r;
    }
    e->rows++;
    return 1;
  }
  return 0;
}

/* The table's private part, made on its first row. NULL when out of memory. */
static pf_table_impl *table_impl(pf_table *h) {
  if (h->impl == 0) {
    h->impl = pf_malloc(sizeof(pf_table_impl));
    if (h->impl) memset(h->impl, 0, sizeof(pf_table_impl));
  }
  return h->impl;
}

int pf_table_add(pf_table *h, const pf_key *k, const pf_num *amount, int sign) {
  pf_table_impl *t = h->impl;
  if (t == 0) {
    if (sign < 0) return PF_OK; /* xInverse of a row never stepped: nothing to undo */
    if ((t = table_impl(h)) == 0) return PF_NOMEM;
  }
  if (sign > 0 && k->type == PF_KEY_INT && t->cap != 0 && t->cap < PF_PIPELINE_FROM &&
      add_to_known_int_key(t, k->i, amount))
    return PF_OK;
  return table_add(t, k, amount, sign);
}

/* pf_table_add_int's rows that are not a known key of a small table. */
static __attribute__((noinline)) int add_int_slow(pf_table *h, int64_t key,
                                                  const pf_num *amount) {
  pf_table_impl *t = h->impl;
  pf_key k;
  if (t == 0 && (t = table_impl(h)) == 0) return PF_NOMEM;
  k.type = PF_KEY_INT;
  k.was_real = 0;
  k.i = key;
  return table_add(t, &k, amount, 1);
}

/* The hot loop of every keyed form: no stack frame on the usual row (the probe inlined,
** everything else in add_int_slow). */
int pf_table_add_int(pf_table *h, int64_t key, const pf_num *amount) {
  pf_table_impl *t = h->impl;
  if (t != 0 && t->cap - 1 < PF_PIPELINE_FROM - 1 && add_to_known_int_key(t, key, amount))
    return PF_OK;
  return add_int_slow(h, key, amount);
}

void pf_table_prefetch(const pf_table *h, const pf_key *k) {
  const pf_table_impl *t = h->impl;
  uint64_t hash;
  if (t == 0 || t->slots == 0) return;
  hash = key_hash(k);
  prefetch_probe(t, t->dictionary ? dictionary_hash(hash) : hash);
}

int pf_table_flush(pf_table *h) { return h->impl ? table_flush(h->impl) : PF_OK; }

int pf_table_index(pf_table *h, const pf_key *k, int64_t next, int64_t *index) {
  pf_table_impl *t = table_impl(h);
  uint64_t hash = dictionary_hash(key_hash(k));
  pf_num first;
  pf_entry *e;
  if (t == 0) return PF_NOMEM;
  t->dictionary = 1;
  if ((e = table_find(t, k, hash)) != 0) {
    *index = e->total.i;
    return PF_OK;
  }
  first.is_int = 1;
  first.i = next;
  first.d = (double)next;
  if (table_apply(t, hash, k, &first, 1) != PF_OK) return PF_NOMEM;
  *index = next;
  return PF_OK;
}

int64_t pf_table_count(const pf_table *h) { return h->impl ? h->impl->count : 0; }

const pf_entry *pf_table_next(const pf_table *h, uint64_t *pos) {
  const pf_table_impl *t = h->impl;
  const pf_entry *slots;
  uint64_t i, cap;
  if (t == 0) return 0;
  /* Locals: *pos could alias the table's fields, which would be reloaded every slot. */
  slots = t->slots;
  cap = t->cap;
  for (i = *pos; i < cap; i++) {
    if (slots[i].rows) {
      *pos = i + 1;
      return &slots[i];
    }
  }
  *pos = cap;
  return 0;
}

int pf_table_set_rows(pf_table *h, const pf_key *k, uint64_t rows) {
  pf_table_impl *t = h->impl;
  pf_entry *e;
  uint64_t units = 0;
  if (t == 0 || rows == 0 || (e = table_find(t, k, key_hash(k))) == 0) return PF_RANGE;
  if (rows > UINT32_MAX) units = (rows - UINT32_MAX + ROWS_SPILL_UNIT - 1) / ROWS_SPILL_UNIT;
  if (pf_rows_spill_set(t, e, units) != PF_OK) return PF_NOMEM;
  e->rows = (unsigned)(rows - units * ROWS_SPILL_UNIT);
  return PF_OK;
}

uint64_t pf_table_bytes(const pf_table *h) {
  const pf_table_impl *t = h->impl;
  const pf_arena_chunk *c;
  uint64_t n;
  if (t == 0) return 0;
  n = sizeof(*t) + (t->block ? t->cap * sizeof(pf_entry) : 0);
  n += (uint64_t)t->exact_count * sizeof(pf_exact);
  for (c = t->arena; c; c = c->next) n += sizeof(*c) + c->size;
  return n + pf_rows_spill_bytes(t);
}

void pf_table_free(pf_table *h) {
  pf_table_impl *t = h->impl;
  pf_arena_chunk *c;
  if (t == 0) return;
  c = t->arena;
  while (c) {
    pf_arena_chunk *next = c->next;
    pf_free(c);
    c = next;
  }
  pf_rows_spill_free(t);
  if (t->exact_count > 0) {
    uint64_t i;
    for (i = 0; i < t->cap; i++)
      if (t->slots[i].rows) pf_entry_release(t, &t->slots[i]);
  }
  pf_free(t->block);
  pf_free(t);
  h->impl = 0;
}

/* pf_window.h: one row applied at once, with the customer's totals around it. */
int pf_table_update(pf_table *h, const pf_key *k, const pf_num *amount, int sign,
                    pf_change *ch) {
  pf_table_impl *t = h->impl;
  uint64_t hash;
  pf_entry *e;
  int rc;
  ch->had = ch->has = 0;
  if (t == 0) {
    if (sign < 0) return PF_OK;
    if ((t = table_impl(h)) == 0) return PF_NOMEM;
  }
  if ((rc = table_flush(t)) != PF_OK) return rc;
  hash = key_hash(k);
  if ((e = table_find(t, k, hash)) != 0) {
    ch->had = 1;
    pf_entry_total(e, &ch->before);
  } else if (sign < 0) {
    return PF_OK; /* xInverse of a row never stepped */
  }
  if ((rc = table_apply(t, hash, k, amount, sign)) != PF_OK) return rc;
  if ((e = table_find(t, k, hash)) != 0) {
    ch->has = 1;
    pf_entry_total(e, &ch->after);
  }
  return PF_OK;
}
