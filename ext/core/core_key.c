/*
** core_key.c: customer keys as SQL sees them, for every keyed form (core_table.c holds
** them; the host reads them from its values into a pf_key).
**
**   1. pf_key_from_double: a REAL with an integral value that fits in 64 bits is the same
**      key as that INTEGER (1 and 1.0 group together, as in GROUP BY; -0.0 is 0); it keeps
**      was_real so that it is given back as the REAL it came as.
**   2. pf_key_compare: SQL's order of keys (numbers, then TEXT byte by byte as the BINARY
**      collation does, then BLOBs), so that ranks and periods come out in the order ORDER
**      BY would give. INTEGER against REAL is compared exactly, not through a double.
*/
#include "portfolio_core.h"

#include <math.h>
#include <string.h>

void pf_key_from_double(double r, pf_key *out) {
  out->was_real = 1;
  if (r == floor(r) && r >= -9223372036854775808.0 && r < 9223372036854775808.0) {
    out->type = PF_KEY_INT;
    out->i = (int64_t)r;
  } else {
    out->type = PF_KEY_REAL;
    out->r = r;
  }
}

static int type_rank(int ktype) {
  return ktype == PF_KEY_TEXT ? 1 : ktype == PF_KEY_BLOB ? 2 : 0;
}

/* INTEGER i against REAL r, exactly (as SQLite compares them): a REAL key is never an
** integral value inside the int64 range (pf_key_from_double), so there are no ties, and
** comparing i with floor(r) needs no rounding. Converting i to a double instead made
** 9223372036854775807 equal to 9223372036854775808.0. */
static int compare_int_real(int64_t i, double r) {
  if (r >= 9223372036854775808.0) return -1;
  if (r < -9223372036854775808.0) return 1;
  return i <= (int64_t)floor(r) ? -1 : 1;
}

int pf_key_compare(const pf_key *a, const pf_key *b) {
  int ra = type_rank(a->type), rb = type_rank(b->type);
  if (ra != rb) return ra < rb ? -1 : 1;
  if (ra == 0) {
    if (a->type == PF_KEY_INT && b->type == PF_KEY_INT) return a->i < b->i ? -1 : a->i > b->i;
    if (a->type == PF_KEY_INT) return compare_int_real(a->i, b->r);
    if (b->type == PF_KEY_INT) return -compare_int_real(b->i, a->r);
    return a->r < b->r ? -1 : a->r > b->r;
  }
  {
    int c = memcmp(a->p, b->p, (size_t)(a->n < b->n ? a->n : b->n));
    if (c) return c;
    return a->n < b->n ? -1 : a->n > b->n;
  }
}
