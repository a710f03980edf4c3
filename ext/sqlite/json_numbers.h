/*
** json_numbers.h: a JSON object of name -> number as an SQLite argument (risk_score's
** weights, phase_of's thresholds): the core reads it (core_json_numbers.h, the same rules
** and messages in every host); this layer adds NULL/'' and type checks and the per-statement
** cache.
**
** Included by: json_numbers.c, which implements it, and the functions that take such an
** argument (risk.c, phase.c) only.
*/
#ifndef PORTFOLIO_JSON_NUMBERS_H
#define PORTFOLIO_JSON_NUMBERS_H

#include "core_json_numbers.h"
#include "portfolio_sqlite.h"

/* Reads argv[iarg] as a JSON object of key -> number. A constant argument is parsed once
** per statement: the result is cached with sqlite3_set_auxdata, so later rows read it
** without allocating. NULL or '' gives an empty object. Returns 1 with *out set, or 0 after
** setting an error on ctx. When *fresh is set, call pf_json_numbers_cache() after the
** result is set. */
int pf_json_numbers_get(sqlite3_context *ctx, const pf_json_keys *keys, sqlite3_value **argv,
                        int iarg, pf_json_numbers *out, int *fresh);
void pf_json_numbers_cache(sqlite3_context *ctx, int iarg, const pf_json_numbers *parsed);

#endif
