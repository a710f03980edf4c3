/*
** core_table_rows.c: row counts past 2^32 in the per-customer table (the layout is in
** core_table_internal.h).
**
**   1. A slot counts 32 bits of rows (1 to 2^32 - 1 while the customer is in the table, so 0
**      still marks an empty slot). A customer reaching 2^32 - 1 moves 2^31 of them at a
**      time into a record of its own (META_ROWS_SPILLED), and back when a window frame
**      takes them out, so its count is 64-bit and it is never seen as empty.
**   2. The records are a small array searched by key: a customer needs 4e9 rows to get one,
**      and touches it once every 2^31 rows. An entry moves between slots (growth, removal)
**      but its key does not, and a TEXT/BLOB key's copy in the arena never moves, so the key
**      type and 8 bytes find it.
**   3. Nothing here calls core_table.c: the table calls in.
*/
#include "core_table_internal.h"
#include "pf_host.h"

static uint64_t key_word(const pf_entry *e) {
  uint64_t w;
  memcpy(&w, &e->key, sizeof w); /* the int64, the double's bits, or the arena address */
  return w;
}

static pf_rows_record *find_record(const pf_table_impl *t, const pf_entry *e) {
  int64_t i;
  uint64_t w = key_word(e);
  if (t->spill == 0) return 0;
  for (i = 0; i < t->spill->n; i++) {
    pf_rows_record *r = &t->spill->records[i];
    if (r->key_word == w && r->ktype == (unsigned)PF_ENTRY_KTYPE(e)) return r;
  }
  return 0;
}

/* The customer's record, made (units 0) when absent; NULL when out of memory. */
static pf_rows_record *record_for(pf_table_impl *t, const pf_entry *e) {
  pf_rows_record *r = find_record(t, e);
  pf_rows_spill *s = t->spill;
  if (r) return r;
  if (s == 0) {
    if ((s = pf_malloc(sizeof(*s))) == 0) return 0;
    memset(s, 0, sizeof(*s));
    t->spill = s;
  }
  if (s->n == s->cap) {
    int64_t cap = s->cap ? s->cap * 2 : 4;
    pf_rows_record *grown = pf_realloc(s->records, (uint64_t)cap * sizeof(*grown));
    if (grown == 0) return 0;
    s->records = grown;
    s->cap = cap;
  }
  r = &s->records[s->n++];
  r->key_word = key_word(e);
  r->ktype = (unsigned)PF_ENTRY_KTYPE(e);
  r->units = 0;
  return r;
}

static void remove_record(pf_table_impl *t, pf_rows_record *r) {
  *r = t->spill->records[--t->spill->n];
}

int pf_rows_spill_set(pf_table_impl *t, pf_entry *e, uint64_t units) {
  pf_rows_record *r = units ? record_for(t, e) : find_record(t, e);
  if (units == 0) {
    if (r) remove_record(t, r);
    e->meta &= ~META_ROWS_SPILLED;
    return PF_OK;
  }
  if (r == 0) return PF_NOMEM;
  r->units = units;
  e->meta |= META_ROWS_SPILLED;
  return PF_OK;
}

int pf_rows_spill_move(pf_table_impl *t, pf_entry *e, int sign) {
  pf_rows_record *r = sign > 0 ? record_for(t, e) : find_record(t, e);
  if (r == 0) return PF_NOMEM; /* (sign < 0 always finds it: the flag says it is there) */
  if (sign > 0) {
    r->units++;
    e->rows -= (unsigned)ROWS_SPILL_UNIT;
    e->meta |= META_ROWS_SPILLED;
  } else {
    if (--r->units == 0) {
      remove_record(t, r);
      e->meta &= ~META_ROWS_SPILLED;
    }
    e->rows += (unsigned)ROWS_SPILL_UNIT;
  }
  return PF_OK;
}

uint64_t pf_entry_rows(const pf_table *h, const pf_entry *e) {
  const pf_rows_record *r;
  if (!(e->meta & META_ROWS_SPILLED)) return e->rows;
  r = find_record(h->impl, e);
  return e->rows + (r ? r->units * ROWS_SPILL_UNIT : 0);
}

void pf_rows_spill_free(pf_table_impl *t) {
  if (t->spill == 0) return;
  pf_free(t->spill->records);
  pf_free(t->spill);
  t->spill = 0;
}

uint64_t pf_rows_spill_bytes(const pf_table_impl *t) {
  if (t->spill == 0) return 0;
  return sizeof(*t->spill) + (uint64_t)t->spill->cap * sizeof(pf_rows_record);
}
