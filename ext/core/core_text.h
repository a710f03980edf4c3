/*
** core_text.h: text the core writes for every host (risk_explain's JSON, error messages),
** and the names of constant tables as SQL arguments.
**
** Included by: core_text.c, which implements it, the core files that write text
** (core_risk.c, core_json_numbers.c), the hosts' name lookups (ext/sqlite/names.h,
** postgres/pg_values.c, pg_risk.c) and the tests.
** Rules:
**   1. pf_text grows in pf_malloc memory. A failed allocation makes it sticky-failed:
**      later appends do nothing and pf_text_finish returns NULL (the caller reports "out of
**      memory"), so a writer checks once, at the end.
**   2. Numbers print as SQLite prints REALs in `printf('%!.15g', x)`: 15 significant
**      digits rounded half away from zero, trailing zeros dropped but one digit kept after
**      the point (65.0, 0.25, 1.5e-07), so both hosts give the same text.
**   3. Names are compared ignoring ASCII case only: a locale must not change which factor a
**      name means.
**   4. Text read as a number follows SQLite's numeric affinity, so a host without it (a
**      text argument in PostgreSQL) accepts the same texts: optional spaces around an
**      optional sign, digits with an optional point and exponent (' 7 ', '1e2', '.5',
**      '5.'); an integer that fits in 64 bits is exact, anything else a finite double.
*/
#ifndef PORTFOLIO_CORE_TEXT_H
#define PORTFOLIO_CORE_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "portfolio_core.h"

typedef struct pf_text {
  char *z;
  size_t n, cap;
  int failed; /* 1 after an allocation failed */
} pf_text;
#define PF_TEXT_INIT {0, 0, 0, 0}

void pf_text_append(pf_text *t, const char *z, size_t n);
void pf_text_cstr(pf_text *t, const char *z);
void pf_text_char(pf_text *t, char c);
void pf_text_int(pf_text *t, int64_t i);
/* x as SQLite's %!.15g (rule 2); Inf and -Inf as SQLite writes them. */
void pf_text_real(pf_text *t, double x);
/* z[0..n) as a JSON string: quotes, backslashes and control characters escaped. */
void pf_text_json_string(pf_text *t, const char *z, size_t n);
/* z[0..n) quoted as SQL ('it''s'): at most `max` bytes of it, then "..." inside the quotes,
** as error messages quote a value back. */
void pf_text_sql_quote(pf_text *t, const char *z, size_t n, size_t max);
/* The NUL-terminated text (pf_malloc memory the caller frees with pf_free), or NULL when
** an allocation failed (everything is freed then). */
char *pf_text_finish(pf_text *t);
void pf_text_reset(pf_text *t); /* frees the text */

/* Reads z[0..n) as a number (rule 4): 1 with *out set, 0 when it is empty, -1 when it is
** not a number (or beyond the double range), -2 when out of memory (a long number). */
int pf_text_to_number(const char *z, size_t n, pf_num *out);

/* Longest piece of a text value quoted back in an error message (both hosts). */
#define PF_QUOTE_MAX 40

/* 1 when name[0..n) equals `lower` (all lower case) ignoring ASCII case. */
int pf_name_is(const char *name, int n, const char *lower);
/* Appends "a, b, c" from a table whose rows start with a `const char *name`, then
** ", <extra>" when extra is not NULL. */
void pf_text_names(pf_text *t, const void *rows, size_t row_size, int count,
                   const char *extra);

#endif
