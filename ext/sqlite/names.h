/*
** names.h: the names of constant tables (risk factors, phase signals) as SQL arguments.
** Matching is the core's (pf_name_is in core_text.h); the lists here are in SQLite memory.
**
** Included by: names.c, which implements it, and risk.c, risk_learnt.c, phase.c only.
*/
#ifndef PORTFOLIO_NAMES_H
#define PORTFOLIO_NAMES_H

#include "core_text.h"
#include "portfolio_sqlite.h"

/* "a, b, c" from a table whose rows start with a `const char *name`. sqlite3_mprintf memory. */
char *pf_name_list(const void *rows, size_t row_size, int count, const char *extra);

#endif
