/*
** json_numbers.h: reading a JSON object of name -> number (risk_score's weights,
** phase_of's thresholds).
**
** Included by: json_numbers.c, which implements it, and the functions that take such an
** argument (risk.c, phase.c).
*/
#ifndef PORTFOLIO_JSON_NUMBERS_H
#define PORTFOLIO_JSON_NUMBERS_H

#include "portfolio_sqlite.h"

/* The most keys one object may name: one bit each in an unsigned mask. */
#define PF_JSON_MAX_KEYS 32

/* How one function reads its JSON argument (risk_score's weights, phase_of's thresholds). */
typedef struct pf_json_keys {
  const char *fn;   /* function name, first word of every message */
  const char *arg;  /* argument name: "weights" */
  const char *noun; /* what a key is, for "unknown <noun> 'x' in <arg>" */
  int (*find)(const char *name, int n); /* key -> index (< PF_JSON_MAX_KEYS) or -1 */
  int (*accepts)(int i, double value); /* 1 when key i may have this (finite) value */
  const char *(*expect)(int i);         /* what key i must be: "a number >= 0" */
  /* the known keys as "a, b, c" from sqlite3_mprintf, for the unknown-key message */
  char *(*known)(void);
} pf_json_keys;

/* The numbers of one JSON object: seen has bit i set when key i was given. */
typedef struct pf_json_numbers {
  unsigned seen;
  double value[PF_JSON_MAX_KEYS];
} pf_json_numbers;

/* Reads argv[iarg] as a JSON object of key -> number with the core JSON reader (not SQL,
** so no table can change it). A constant argument is parsed once per statement: the result is
** cached with sqlite3_set_auxdata, so later rows read it without allocating. NULL or ''
** gives an empty object. Returns 1 with *out set, or 0 after setting an error on ctx.
** When *fresh is set, call pf_json_numbers_cache() after the result is set. */
int pf_json_numbers_get(sqlite3_context *ctx, const pf_json_keys *keys, sqlite3_value **argv,
                        int iarg, pf_json_numbers *out, int *fresh);
void pf_json_numbers_cache(sqlite3_context *ctx, int iarg, const pf_json_numbers *parsed);

#endif
