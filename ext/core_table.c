/*
** core_table.c: the per-customer open-addressing hash table behind every keyed form.
**
**   1. Keys are INTEGER, REAL, TEXT or BLOB. A REAL with an integral value that fits in 64
**      bits is the same key as that INTEGER (1 and 1.0 group together, as in GROUP BY);
**      -0.0 is 0. TEXT and BLOB are compared byte for byte (BINARY collation), and TEXT
**      'x' is never the same key as BLOB x'..', nor TEXT '1' as INTEGER 1.
**   2. NULL and '' keys are not read (the row is skipped by the caller).
**   3. Linear probing over a power-of-two array, grown at 3/4 full; removal (a window
**      frame dropping a customer's last row) shifts the following run back, so no
**      tombstones build up. TEXT and BLOB keys are copied into an arena of large chunks:
**      one allocation per chunk, never one per row.
*/
#include "portfolio_core.h"
SQLITE_EXTENSION_INIT3

#include <math.h>
#include <string.h>

#define PF_TABLE_MIN 64
#define PF_ARENA_CHUNK 65536

struct pf_arena_chunk {
  pf_arena_chunk *next;
  size_t used, size;
  /* key bytes follow */
};

int pf_key_read(sqlite3_value *v, pf_key *out) {
  switch (sqlite3_value_type(v)) {
    case SQLITE_NULL:
      return 0;
    case SQLITE_INTEGER:
      out->type = PF_KEY_INT;
      out->as_returned = SQLITE_INTEGER;
      out->i = sqlite3_value_int64(v);
      return 1;
    case SQLITE_FLOAT: {
      double r = sqlite3_value_double(v);
      out->as_returned = SQLITE_FLOAT;
      if (r == floor(r) && r >= -9223372036854775808.0 && r < 9223372036854775808.0) {
        out->type = PF_KEY_INT;
        out->i = (sqlite3_int64)r;
      } else {
        out->type = PF_KEY_REAL;
        out->r = r;
      }
      return 1;
    }
    case SQLITE_TEXT:
      out->p = sqlite3_value_text(v);
      out->n = sqlite3_value_bytes(v);
      if (out->n == 0) return 0;
      out->type = PF_KEY_TEXT;
      out->as_returned = SQLITE_TEXT;
      return out->p != 0 ? 1 : -1;
    default:
      out->p = sqlite3_value_blob(v);
      out->n = sqlite3_value_bytes(v);
      out->type = PF_KEY_BLOB;
      out->as_returned = SQLITE_BLOB;
      if (out->n == 0) out->p = "";
      return out->p != 0 ? 1 : -1;
  }
}

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
  sqlite3_uint64 h;
  if (k->type == PF_KEY_INT) {
    h = mix64((sqlite3_uint64)k->i);
  } else if (k->type == PF_KEY_REAL) {
    sqlite3_uint64 bits;
    memcpy(&bits, &k->r, 8);
    h = mix64(bits ^ 0x5555555555555555ULL);
  } else {
    h = hash_bytes((const unsigned char *)k->p, k->n, (sqlite3_uint64)k->type);
  }
  return h | 1; /* 0 marks an empty slot */
}

static int key_equal(const pf_entry *e, const pf_key *k) {
  if (e->ktype != k->type) return 0;
  switch (k->type) {
    case PF_KEY_INT:
      return e->key.i == k->i;
    case PF_KEY_REAL:
      return e->key.r == k->r;
    default:
      return e->klen == k->n && memcmp(e->key.p, k->p, (size_t)k->n) == 0;
  }
}

static const char *arena_copy(pf_table *t, const void *p, int n) {
  pf_arena_chunk *c = t->arena;
  char *dst;
  if (c == 0 || c->size - c->used < (size_t)n) {
    size_t size = (size_t)n > PF_ARENA_CHUNK ? (size_t)n : PF_ARENA_CHUNK;
    c = sqlite3_malloc64(sizeof(pf_arena_chunk) + size);
    if (c == 0) return 0;
    c->next = t->arena;
    c->used = 0;
    c->size = size;
    t->arena = c;
  }
  dst = (char *)(c + 1) + c->used;
  memcpy(dst, p, (size_t)n);
  c->used += (size_t)n;
  return dst;
}

static int table_grow(pf_table *t) {
  sqlite3_uint64 oldcap = t->slots ? t->mask + 1 : 0;
  sqlite3_uint64 newcap = oldcap ? oldcap * 2 : PF_TABLE_MIN;
  pf_entry *slots = sqlite3_malloc64(newcap * sizeof(pf_entry));
  sqlite3_uint64 i;
  if (slots == 0) return SQLITE_NOMEM;
  memset(slots, 0, newcap * sizeof(pf_entry));
  for (i = 0; i < oldcap; i++) {
    const pf_entry *e = &t->slots[i];
    sqlite3_uint64 j;
    if (e->hash == 0) continue;
    for (j = e->hash & (newcap - 1); slots[j].hash; j = (j + 1) & (newcap - 1)) {
    }
    slots[j] = *e;
  }
  sqlite3_free(t->slots);
  t->slots = slots;
  t->mask = newcap - 1;
  return SQLITE_OK;
}

/* Backward-shift deletion: pull later members of the probe run into the hole. */
static void table_remove_slot(pf_table *t, sqlite3_uint64 hole) {
  sqlite3_uint64 j = hole;
  for (;;) {
    sqlite3_uint64 home;
    j = (j + 1) & t->mask;
    if (t->slots[j].hash == 0) break;
    home = t->slots[j].hash & t->mask;
    /* Move j into the hole unless its home lies cyclically in (hole, j]. */
    if (((j - home) & t->mask) >= ((j - hole) & t->mask)) {
      t->slots[hole] = t->slots[j];
      hole = j;
    }
  }
  memset(&t->slots[hole], 0, sizeof(pf_entry));
  t->count--;
}

static void entry_add(pf_entry *e, const pf_num *x, int sign) {
  if (x->is_int) {
    sqlite3_int64 r;
    sqlite3_int64 v = x->i;
    if (sign < 0) {
      if (v == INT64_MIN) {
        /* -INT64_MIN does not fit: take it in two halves. */
        pf_num half = {1, INT64_MIN / 2, (double)(INT64_MIN / 2)};
        entry_add(e, &half, sign);
        entry_add(e, &half, sign);
        return;
      }
      v = -v;
    }
    if (!__builtin_add_overflow(e->itotal, v, &r)) {
      e->itotal = r;
      return;
    }
    /* The exact part would wrap: carry it into the compensated part and start again. */
    {
      pf_acc a = {0, e->dtotal, e->dcomp, 1};
      pf_acc_add_double(&a, (double)e->itotal);
      e->dtotal = a.d;
      e->dcomp = a.c;
      e->itotal = v;
      e->inexact = 1;
    }
  } else {
    pf_acc a = {0, e->dtotal, e->dcomp, 1};
    pf_acc_add_double(&a, sign < 0 ? -x->d : x->d);
    e->dtotal = a.d;
    e->dcomp = a.c;
    e->inexact = 1;
  }
}

void pf_entry_total(const pf_entry *e, pf_num *out) {
  pf_acc a = {e->itotal, e->dtotal, e->dcomp, e->inexact};
  pf_acc_num(&a, out);
}

int pf_table_add(pf_table *t, const pf_key *k, const pf_num *amount, int sign) {
  sqlite3_uint64 h = key_hash(k), j;
  pf_entry *e;
  if (t->slots == 0) {
    if (sign < 0) return SQLITE_OK;
    if (table_grow(t) != SQLITE_OK) return SQLITE_NOMEM;
  }
  for (j = h & t->mask; t->slots[j].hash; j = (j + 1) & t->mask) {
    e = &t->slots[j];
    if (e->hash == h && key_equal(e, k)) {
      entry_add(e, amount, sign);
      if (sign > 0) {
        e->rows++;
      } else if (--e->rows == 0) {
        table_remove_slot(t, j);
      }
      return SQLITE_OK;
    }
  }
  if (sign < 0) return SQLITE_OK; /* xInverse of a row never stepped: nothing to undo */
  if ((t->count + 1) * 4 > (sqlite3_int64)(t->mask + 1) * 3) {
    if (table_grow(t) != SQLITE_OK) return SQLITE_NOMEM;
    for (j = h & t->mask; t->slots[j].hash; j = (j + 1) & t->mask) {
    }
  }
  e = &t->slots[j];
  memset(e, 0, sizeof(*e));
  e->ktype = (unsigned char)k->type;
  e->as_returned = (unsigned char)k->as_returned;
  if (k->type == PF_KEY_INT) {
    e->key.i = k->i;
  } else if (k->type == PF_KEY_REAL) {
    e->key.r = k->r;
  } else {
    e->key.p = arena_copy(t, k->p, k->n);
    if (e->key.p == 0) return SQLITE_NOMEM;
    e->klen = k->n;
  }
  e->hash = h;
  e->rows = 1;
  entry_add(e, amount, 1);
  t->count++;
  return SQLITE_OK;
}

void pf_table_free(pf_table *t) {
  pf_arena_chunk *c = t->arena;
  while (c) {
    pf_arena_chunk *next = c->next;
    sqlite3_free(c);
    c = next;
  }
  sqlite3_free(t->slots);
  memset(t, 0, sizeof(*t));
}

static int type_rank(int ktype) {
  return ktype == PF_KEY_TEXT ? 1 : ktype == PF_KEY_BLOB ? 2 : 0;
}

static double numeric_key(const pf_entry *e) {
  return e->ktype == PF_KEY_INT ? (double)e->key.i : e->key.r;
}

int pf_key_compare(const pf_entry *a, const pf_entry *b) {
  int ra = type_rank(a->ktype), rb = type_rank(b->ktype);
  if (ra != rb) return ra < rb ? -1 : 1;
  if (ra == 0) {
    if (a->ktype == PF_KEY_INT && b->ktype == PF_KEY_INT)
      return a->key.i < b->key.i ? -1 : a->key.i > b->key.i;
    {
      double x = numeric_key(a), y = numeric_key(b);
      return x < y ? -1 : x > y;
    }
  }
  {
    int n = a->klen < b->klen ? a->klen : b->klen;
    int c = n > 0 ? memcmp(a->key.p, b->key.p, (size_t)n) : 0;
    if (c) return c;
    return a->klen < b->klen ? -1 : a->klen > b->klen;
  }
}

void pf_result_key(sqlite3_context *ctx, const pf_entry *e) {
  switch (e->ktype) {
    case PF_KEY_INT:
      if (e->as_returned == SQLITE_FLOAT)
        sqlite3_result_double(ctx, (double)e->key.i);
      else
        sqlite3_result_int64(ctx, e->key.i);
      break;
    case PF_KEY_REAL:
      sqlite3_result_double(ctx, e->key.r);
      break;
    case PF_KEY_TEXT:
      sqlite3_result_text(ctx, e->key.p, e->klen, SQLITE_TRANSIENT);
      break;
    default:
      sqlite3_result_blob(ctx, e->key.p, e->klen, SQLITE_TRANSIENT);
      break;
  }
}

int pf_keyed_add(sqlite3_context *ctx, const char *fn, pf_table *t, sqlite3_value *key,
                 sqlite3_value *amount, int sign) {
  pf_key k;
  pf_num x;
  int rc = pf_amount_read(ctx, fn, "amount", amount, &x);
  if (rc <= 0) return rc;
  rc = pf_key_read(key, &k);
  if (rc == 0) return 0;
  if (rc < 0 || pf_table_add(t, &k, &x, sign) != SQLITE_OK) {
    sqlite3_result_error_nomem(ctx);
    return -1;
  }
  return 1;
}
