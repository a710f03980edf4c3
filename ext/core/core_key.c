/*
** core_key.c: customer keys as SQL sees them, for every keyed form (see core_table.c for
** the table that holds them).
**
**   1. pf_key_read: INTEGER, REAL, TEXT or BLOB. A REAL with an integral value that fits
**      in 64 bits is the same key as that INTEGER (1 and 1.0 group together, as in GROUP
**      BY; -0.0 is 0). NULL and '' are not keys: the row is skipped.
**   2. pf_key_compare: SQLite's order of keys (numbers, then TEXT by BINARY collation,
**      then BLOBs), so that ranks and periods come out in the order ORDER BY would give.
**   3. pf_result_key: the key given back as the query returned it (an INTEGER key first
**      seen as 1.0 comes back as REAL).
*/
#include "portfolio_core.h"
SQLITE_EXTENSION_INIT3

#include <math.h>
#include <string.h>

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

static int type_rank(int ktype) {
  return ktype == PF_KEY_TEXT ? 1 : ktype == PF_KEY_BLOB ? 2 : 0;
}

static double numeric_key(const pf_entry *e) {
  return PF_ENTRY_KTYPE(e) == PF_KEY_INT ? (double)e->key.i : e->key.r;
}

int pf_key_compare(const pf_entry *a, const pf_entry *b) {
  int ra = type_rank(PF_ENTRY_KTYPE(a)), rb = type_rank(PF_ENTRY_KTYPE(b));
  if (ra != rb) return ra < rb ? -1 : 1;
  if (ra == 0) {
    if (PF_ENTRY_KTYPE(a) == PF_KEY_INT && PF_ENTRY_KTYPE(b) == PF_KEY_INT)
      return a->key.i < b->key.i ? -1 : a->key.i > b->key.i;
    {
      double x = numeric_key(a), y = numeric_key(b);
      return x < y ? -1 : x > y;
    }
  }
  {
    int na = pf_entry_key_length(a), nb = pf_entry_key_length(b);
    int c = memcmp(a->key.p, b->key.p, (size_t)(na < nb ? na : nb));
    if (c) return c;
    return na < nb ? -1 : na > nb;
  }
}

void pf_result_key(sqlite3_context *ctx, const pf_entry *e) {
  switch (PF_ENTRY_KTYPE(e)) {
    case PF_KEY_INT:
      if (e->meta & PF_ENTRY_REAL_KEY)
        sqlite3_result_double(ctx, (double)e->key.i);
      else
        sqlite3_result_int64(ctx, e->key.i);
      break;
    case PF_KEY_REAL:
      sqlite3_result_double(ctx, e->key.r);
      break;
    case PF_KEY_TEXT:
      sqlite3_result_text(ctx, e->key.p, pf_entry_key_length(e), SQLITE_TRANSIENT);
      break;
    default:
      sqlite3_result_blob(ctx, e->key.p, pf_entry_key_length(e), SQLITE_TRANSIENT);
      break;
  }
}
