/*
** names.h: the names of constant tables (risk factors, phase signals) as SQL arguments.
**
** Included by: names.c, which implements it, and risk_factors.c, risk.c, phase.c.
*/
#ifndef PORTFOLIO_NAMES_H
#define PORTFOLIO_NAMES_H

#include "portfolio_sqlite.h"

/* 1 when name[0..n) equals `lower` (all lower case) ignoring ASCII case. */
int pf_name_is(const char *name, int n, const char *lower);

/* "a, b, c" from a table whose rows start with a `const char *name`. sqlite3_mprintf memory. */
char *pf_name_list(const void *rows, size_t row_size, int count, const char *extra);

#endif
