/*
** core_table.c: the per-customer open-addressing hash table behind every keyed form.
**
**   1. Keys (read and ordered by core_key.c) are INTEGER, REAL, TEXT or BLOB. A REAL with
**      an integral value that fits in 64 bits is the same key as that INTEGER (1 and 1.0
**      group together, as in GROUP BY); -0.0 is 0. TEXT and BLOB are compared byte for
**      byte (BINARY collation), and TEXT 'x' is never the same key as BLOB x'..', nor TEXT
**      '1' as INTEGER 1.
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
**   5. A customer's total is an exact int64 while its rows are integers and the sum fits;
**      the first REAL row (or an overflow) turns it, exactly, into a Neumaier pair.
*/
#include "portfolio_core.h"
SQLITE_EXTENSION_INIT3

#include <math.h>
#include <string.h>
#if defined(__linux__)
#include <sys/mman.h>
#endif

#define PF_TABLE_MIN 64
#define PF_ARENA_CHUNK 65536
#define PF_SLOT_ALIGN 32
/* Slot arrays from twice this size on ask for 2 MB pages where they span them:
** a fresh 4 KB page costs a fault on first touch (measured at 3-20 us each here), and a
** table of a million customers spread over 4 KB pages misses the TLB on every row. */
#define PF_HUGE_PAGE ((sqlite3_uint64)2 << 20)
/* Slots (2^20: 32 MB) from which the table grows by 1.2x instead of 2x: below, memory is
** small in absolute terms and every rehash moves every entry again (1.2x steps move each
** entry 5 times over, measured 2.3x slower for 24 tables of 340k customers); above, it is
** the bytes per customer that count, and 1.2x keeps them at or under 48. */
#define PF_SLOW_GROWTH_FROM ((sqlite3_uint64)1 << 20)
/* Slots (16384: 512 KB) from which rows go through the prefetch pipeline. */
#define PF_PIPELINE_FROM 16384
/* Inexact only because integer rows left the int64 range (no REAL row yet): the Neumaier
** pair then holds the exact sum, which is given back as an INTEGER once it fits again, so
** MAX + MAX - MAX is MAX in every row order. Any REAL row clears it. */
#define META_INT_OVERFLOW 32u
#define META_HASH_SHIFT 8   /* TEXT/BLOB: the hash's top 24 bits, to skip most memcmp */

struct pf_arena_chunk {
  pf_arena_chunk *next;
  size_t used, size;
  /* key bytes follow */
};

static sqlite3_uint64 mix64(sqlite3_uint64 x) {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

static sqlite3_uint64 hash_bytes(const unsigned char *p, int n, sqlite3_uint64 seed) {
  sqlite3_uint64 h = seed ^ ((sqlite3_uint64)n * 0x9e3779b97f4a7c15ULL);
  while (n >= 8) {
    sqlite3_uint64 w;
    memcpy(&w, p, 8);
    h = mix64(h ^ w);
    p += 8;
    n -= 8;
  }
  if (n > 0) {
    sqlite3_uint64 w = 0;
    memcpy(&w, p, (size_t)n);
    h = mix64(h ^ w ^ 0xff);
  }
  return h;
}

static sqlite3_uint64 key_hash(const pf_key *k) {
  if (k->type == PF_KEY_INT) return mix64((sqlite3_uint64)k->i);
  if (k->type == PF_KEY_REAL) {
    sqlite3_uint64 bits;
    memcpy(&bits, &k->r, 8);
    return mix64(bits ^ 0x5555555555555555ULL);
  }
  return hash_bytes((const unsigned char *)k->p, k->n, (sqlite3_uint64)k->type);
}

int pf_entry_key_length(const pf_entry *e) {
  unsigned n;
  memcpy(&n, e->key.p - 4, 4);
  return (int)n;
}

static sqlite3_uint64 entry_hash(const pf_entry *e) {
  pf_key k;
  k.type = PF_ENTRY_KTYPE(e);
  if (k.type == PF_KEY_INT) return mix64((sqlite3_uint64)e->key.i);
  if (k.type == PF_KEY_REAL) {
    k.r = e->key.r;
  } else {
    k.p = e->key.p;
    k.n = pf_entry_key_length(e);
  }
  return key_hash(&k);
}

/* The slot a hash starts probing at: (h * cap) / 2^64, for any capacity. */
static sqlite3_uint64 home_of(sqlite3_uint64 h, sqlite3_uint64 cap) {
  return (sqlite3_uint64)(((unsigned __int128)h * cap) >> 64);
}

static int key_equal(const pf_entry *e, const pf_key *k, sqlite3_uint64 h) {
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
static const char *arena_copy(pf_table *t, const void *p, int n) {
  pf_arena_chunk *c = t->arena;
  size_t need = (size_t)n + 4;
  unsigned len = (unsigned)n;
  char *dst;
  if (c == 0 || c->size - c->used < need) {
    size_t size = need > PF_ARENA_CHUNK ? need : PF_ARENA_CHUNK;
    c = sqlite3_malloc64(sizeof(pf_arena_chunk) + size);
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

/* A zeroed slot array of cap slots, 32-byte aligned, inside a new block; its 2 MB-aligned
** interior is asked to be backed by 2 MB pages. */
static pf_entry *slots_alloc(sqlite3_uint64 cap, void **block) {
  sqlite3_uint64 bytes = cap * sizeof(pf_entry);
  pf_entry *slots;
  *block = sqlite3_malloc64(bytes + PF_SLOT_ALIGN);
  if (*block == 0) return 0;
  slots = (pf_entry *)(((uintptr_t)*block + PF_SLOT_ALIGN - 1) &
                       ~(uintptr_t)(PF_SLOT_ALIGN - 1));
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  if (bytes >= 2 * PF_HUGE_PAGE) {
    uintptr_t from = ((uintptr_t)slots + PF_HUGE_PAGE - 1) & ~(uintptr_t)(PF_HUGE_PAGE - 1);
    uintptr_t to = ((uintptr_t)slots + bytes) & ~(uintptr_t)(PF_HUGE_PAGE - 1);
    if (to > from) madvise((void *)from, to - from, MADV_HUGEPAGE);
  }
#endif
  memset(slots, 0, bytes);
  return slots;
}

static int table_grow(pf_table *t) {
  sqlite3_uint64 oldcap = t->cap, i;
  sqlite3_uint64 newcap = oldcap == 0 ? PF_TABLE_MIN
                          : oldcap < PF_SLOW_GROWTH_FROM ? oldcap * 2
                                                         : oldcap + oldcap / 5;
  pf_entry *old = t->slots, *slots;
  void *block;
  slots = slots_alloc(newcap, &block);
  if (slots == 0) return SQLITE_NOMEM;
  for (i = 0; i < oldcap; i++) {
    sqlite3_uint64 j;
    if (old[i].rows == 0) continue;
    for (j = home_of(entry_hash(&old[i]), newcap); slots[j].rows; j = j + 1 == newcap ? 0 : j + 1) {
    }
    slots[j] = old[i];
  }
  sqlite3_free(t->block);
  t->block = block;
  t->slots = slots;
  t->cap = newcap;
  return SQLITE_OK;
}

/* Backward-shift deletion: pull later members of the probe run into the hole. */
static void table_remove_slot(pf_table *t, sqlite3_uint64 hole) {
  sqlite3_uint64 j = hole, cap = t->cap;
  for (;;) {
    sqlite3_uint64 home, from_home, from_hole;
    j = j + 1 == cap ? 0 : j + 1;
    if (t->slots[j].rows == 0) break;
    home = home_of(entry_hash(&t->slots[j]), cap);
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

static void entry_add_double(pf_entry *e, double x) {
  double s = e->total.d, sum = s + x;
  /* Neumaier: keep the low-order bits lost by whichever operand is smaller. */
  if (fabs(s) >= fabs(x))
    e->comp += (s - sum) + x;
  else
    e->comp += (x - sum) + s;
  e->total.d = sum;
}

/* From exact to compensated: the pair (total.d, comp) holds `exact` without rounding. */
static void entry_make_inexact(pf_entry *e, __int128 exact) {
  double hi = (double)exact;
  e->total.d = hi;
  e->comp = (double)(exact - (__int128)hi);
  e->meta |= PF_ENTRY_INEXACT;
}

static void entry_add(pf_entry *e, const pf_num *x, int sign) {
  if (x->is_int) {
    __int128 v = sign < 0 ? -(__int128)x->i : (__int128)x->i;
    sqlite3_int64 r64;
    if (sign > 0 && !(e->meta & PF_ENTRY_INEXACT) &&
        !__builtin_add_overflow(e->total.i, x->i, &r64)) {
      e->total.i = r64;
      return;
    }
    if (!(e->meta & PF_ENTRY_INEXACT)) {
      __int128 r = (__int128)e->total.i + v;
      if (r >= INT64_MIN && r <= INT64_MAX) {
        e->total.i = (sqlite3_int64)r;
      } else {
        entry_make_inexact(e, r);
        e->meta |= META_INT_OVERFLOW;
      }
    } else {
      /* Past 2^53 an integer is not one double: add it as two exact halves. */
      double hi = (double)v, lo = (double)(v - (__int128)hi);
      entry_add_double(e, hi);
      if (lo != 0) entry_add_double(e, lo);
    }
  } else {
    if (!(e->meta & PF_ENTRY_INEXACT)) entry_make_inexact(e, e->total.i);
    e->meta &= ~META_INT_OVERFLOW;
    entry_add_double(e, sign < 0 ? -x->d : x->d);
  }
}

void pf_entry_total(const pf_entry *e, pf_num *out) {
  if (!(e->meta & PF_ENTRY_INEXACT)) {
    out->is_int = 1;
    out->i = e->total.i;
    out->d = (double)out->i;
  } else if ((e->meta & META_INT_OVERFLOW) && fabs(e->total.d) < 0x1p100 &&
             (__int128)e->total.d + (__int128)e->comp >= INT64_MIN &&
             (__int128)e->total.d + (__int128)e->comp <= INT64_MAX) {
    out->is_int = 1;
    out->i = (sqlite3_int64)((__int128)e->total.d + (__int128)e->comp);
    out->d = (double)out->i;
  } else {
    out->is_int = 0;
    out->i = 0;
    out->d = e->total.d + e->comp;
  }
}

/* Applies one row to the customer in slot j. */
static int entry_apply(pf_table *t, pf_entry *e, sqlite3_uint64 j, const pf_num *amount,
                       int sign) {
  if (sign > 0) {
    if (!amount->is_int && (e->meta & PF_ENTRY_INEXACT)) {
      e->meta &= ~META_INT_OVERFLOW;
      entry_add_double(e, amount->d); /* the usual case: a REAL amount */
    } else {
      entry_add(e, amount, 1);
    }
    e->rows++;
  } else {
    entry_add(e, amount, sign);
    if (--e->rows == 0) table_remove_slot(t, j);
  }
  return SQLITE_OK;
}

/* Finds (or, for sign > 0, creates) the key's slot and applies the amount. */
static int table_apply(pf_table *t, sqlite3_uint64 h, const pf_key *k, const pf_num *amount,
                       int sign) {
  sqlite3_uint64 j;
  pf_entry *e;
  if (t->slots == 0) {
    if (sign < 0) return SQLITE_OK;
    if (table_grow(t) != SQLITE_OK) return SQLITE_NOMEM;
  }
  j = home_of(h, t->cap);
  if (k->type == PF_KEY_INT || k->type == PF_KEY_REAL) {
    /* A numeric key is its type and its 8 bytes (a REAL key is never integral, so -0.0
    ** and 0.0 cannot both occur): one compare per probe, no call. */
    sqlite3_int64 bits = k->i;
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
  if (sign < 0) return SQLITE_OK; /* xInverse of a row never stepped: nothing to undo */
  if ((sqlite3_uint64)(t->count + 1) * 5 > t->cap * 4) {
    if (table_grow(t) != SQLITE_OK) return SQLITE_NOMEM;
    for (j = home_of(h, t->cap); t->slots[j].rows; j = j + 1 == t->cap ? 0 : j + 1) {
    }
  }
  e = &t->slots[j];
  memset(e, 0, sizeof(*e));
  e->meta = (unsigned)k->type;
  if (k->as_returned == SQLITE_FLOAT && k->type == PF_KEY_INT) e->meta |= PF_ENTRY_REAL_KEY;
  if (k->type == PF_KEY_INT) {
    e->key.i = k->i;
  } else if (k->type == PF_KEY_REAL) {
    e->key.r = k->r;
  } else {
    e->key.p = arena_copy(t, k->p, k->n);
    if (e->key.p == 0) return SQLITE_NOMEM;
    e->meta |= (unsigned)(h >> 40) << META_HASH_SHIFT;
  }
  e->rows = 1;
  entry_add(e, amount, 1);
  t->count++;
  return SQLITE_OK;
}

/* Asks for the cache line a lookup of hash h starts on. (Also asking for the next line,
** which a probe at 80 % load reaches about half the time, measured no faster.) */
static void prefetch_probe(const pf_table *t, sqlite3_uint64 h) {
  __builtin_prefetch(&t->slots[home_of(h, t->cap)], 1);
}

static int apply_pending(pf_table *t, const pf_pending *p) {
  pf_key k;
  pf_num x;
  if (p->ktype == PF_KEY_INT && p->sign > 0 && !p->amount_is_int && t->slots) {
    /* The usual row (INTEGER key, REAL amount, customer already inexact): what
    ** table_apply and entry_apply would do, without building a key and a number. */
    sqlite3_uint64 j, cap = t->cap;
    pf_entry *e;
    for (j = home_of(p->hash, cap); (e = &t->slots[j])->rows; j = j + 1 == cap ? 0 : j + 1) {
      if (e->key.i != p->key.i || PF_ENTRY_KTYPE(e) != PF_KEY_INT) continue;
      if (!(e->meta & PF_ENTRY_INEXACT)) break;
      e->meta &= ~META_INT_OVERFLOW;
      entry_add_double(e, p->amount.d);
      e->rows++;
      return SQLITE_OK;
    }
  }
  k.type = p->ktype;
  k.as_returned = p->as_returned;
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

int pf_table_flush(pf_table *t) {
  while (t->npending > 0) {
    int rc = apply_pending(t, &t->pending[t->first]);
    t->first = (t->first + 1) % PF_PIPELINE;
    t->npending--;
    if (rc != SQLITE_OK) return rc;
  }
  return SQLITE_OK;
}

int pf_table_add(pf_table *t, const pf_key *k, const pf_num *amount, int sign) {
  sqlite3_uint64 h = key_hash(k);
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
    if (rc != SQLITE_OK) return rc;
  }
  p = &t->pending[(t->first + t->npending) % PF_PIPELINE];
  t->npending++;
  p->hash = h;
  p->ktype = (unsigned char)k->type;
  p->as_returned = (unsigned char)k->as_returned;
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
  return SQLITE_OK;
}

pf_entry *pf_table_lookup(pf_table *t, const pf_key *k, int *created) {
  static const pf_num zero = {1, 0, 0};
  sqlite3_uint64 h = key_hash(k), j;
  int pass;
  *created = 0;
  for (pass = 0; pass < 2; pass++) {
    if (t->slots) {
      for (j = home_of(h, t->cap); t->slots[j].rows; j = j + 1 == t->cap ? 0 : j + 1)
        if (key_equal(&t->slots[j], k, h)) return &t->slots[j];
    }
    if (pass == 0 && table_apply(t, h, k, &zero, 1) != SQLITE_OK) return 0;
    *created = 1;
  }
  return 0; /* not reached: the first pass inserted it */
}

sqlite3_uint64 pf_table_bytes(const pf_table *t) {
  sqlite3_uint64 n = t->block ? t->cap * sizeof(pf_entry) : 0;
  const pf_arena_chunk *c;
  for (c = t->arena; c; c = c->next) n += sizeof(*c) + c->size;
  return n;
}

void pf_table_free(pf_table *t) {
  pf_arena_chunk *c = t->arena;
  while (c) {
    pf_arena_chunk *next = c->next;
    sqlite3_free(c);
    c = next;
  }
  sqlite3_free(t->block);
  memset(t, 0, sizeof(*t));
}

/* keyed_add_fast for a table past the caches: the row joins the pipeline exactly as
** pf_table_add would put it there (hashed, its slot prefetched). 1, 0 for the general
** path (an infinite amount: its error) or -1 when applying the oldest row ran out of
** memory. */
static int keyed_push(pf_table *t, sqlite3_int64 k, sqlite3_value *amount, int type) {
  sqlite3_uint64 h = mix64((sqlite3_uint64)k);
  pf_pending *p;
  double d = 0;
  if (type == SQLITE_FLOAT && !isfinite(d = sqlite3_value_double(amount))) return 0;
  prefetch_probe(t, h);
  if (t->npending == PF_PIPELINE) {
    int rc = apply_pending(t, &t->pending[t->first]);
    t->first = (t->first + 1) % PF_PIPELINE;
    t->npending--;
    if (rc != SQLITE_OK) return -1;
  }
  p = &t->pending[(t->first + t->npending) % PF_PIPELINE];
  t->npending++;
  p->hash = h;
  p->ktype = PF_KEY_INT;
  p->as_returned = SQLITE_INTEGER;
  p->key.i = k;
  p->amount_is_int = type == SQLITE_INTEGER;
  if (type == SQLITE_INTEGER)
    p->amount.i = sqlite3_value_int64(amount);
  else
    p->amount.d = d;
  p->sign = 1;
  return 1;
}

/* The common row: an INTEGER key and a REAL amount (or an INTEGER one while the total is
** exact), without building a pf_key and a pf_num or going through the general path: in a
** table that fits in the caches, added to a customer already there; in a bigger one, put
** in the pipeline. Returns 1 when the row is done, 0 when the general path must take it
** (new customer, other types, errors), -1 when out of memory. */
static int keyed_add_fast(pf_table *t, sqlite3_value *key, sqlite3_value *amount) {
  sqlite3_uint64 j, cap = t->cap;
  sqlite3_int64 k;
  int type;
  pf_entry *e;
  if (cap == 0 || sqlite3_value_type(key) != SQLITE_INTEGER) return 0;
  type = sqlite3_value_type(amount);
  if (type != SQLITE_FLOAT && type != SQLITE_INTEGER) return 0;
  k = sqlite3_value_int64(key);
  if (cap >= PF_PIPELINE_FROM) return keyed_push(t, k, amount, type);
  for (j = home_of(mix64((sqlite3_uint64)k), cap); (e = &t->slots[j])->rows;
       j = j + 1 == cap ? 0 : j + 1) {
    if (e->key.i != k || PF_ENTRY_KTYPE(e) != PF_KEY_INT) continue;
    if (type == SQLITE_FLOAT) {
      double d = sqlite3_value_double(amount);
      if (!isfinite(d) || !(e->meta & PF_ENTRY_INEXACT)) return 0;
      e->meta &= ~META_INT_OVERFLOW;
      entry_add_double(e, d);
    } else {
      sqlite3_int64 r;
      if ((e->meta & PF_ENTRY_INEXACT) ||
          __builtin_add_overflow(e->total.i, sqlite3_value_int64(amount), &r))
        return 0;
      e->total.i = r;
    }
    e->rows++;
    return 1;
  }
  return 0;
}

int pf_keyed_add(sqlite3_context *ctx, const char *fn, pf_table *t, sqlite3_value *key,
                 sqlite3_value *amount, int sign) {
  pf_key k;
  pf_num x;
  int rc = sign > 0 ? keyed_add_fast(t, key, amount) : 0;
  if (rc != 0) {
    if (rc < 0) sqlite3_result_error_nomem(ctx);
    return rc;
  }
  rc = pf_amount_read(ctx, fn, "amount", amount, &x);
  if (rc <= 0) return rc;
  rc = pf_key_read(key, &k);
  if (rc == 0) return 0;
  if (rc < 0 || pf_table_add(t, &k, &x, sign) != SQLITE_OK) {
    sqlite3_result_error_nomem(ctx);
    return -1;
  }
  return 1;
}
