/*
** risk.h: what the account-risk and lifecycle-phase files share (private to them).
**
**   risk_factors.c  the one table of risk factors and the built-in industry ratings
**   json_numbers.c  reading a JSON object of name -> number (weights, thresholds)
**   risk.c          risk_score() and risk_explain()
**   risk_tables.c   one generic read-only eponymous table, and risk_model,
**                   risk_industries and phases built on it
**   phase.c         phase_of() and the list of phases
*/
#ifndef PORTFOLIO_RISK_H
#define PORTFOLIO_RISK_H

#include "portfolio_core.h"

/* ---- risk factors --------------------------------------------------------------------- */

/* The most factors (and JSON keys) any of these functions handles: one bit each in an
** unsigned mask. pf_init_risk checks the factor table against it. */
#define PF_RISK_MAX_FACTORS 32

/* One factor of risk_score. Adding a factor means adding one row to pf_risk_factors. */
typedef struct pf_risk_factor {
  const char *name;
  double min, max;      /* accepted values, inclusive (+-INFINITY for an open end) */
  int whole;            /* 1: only whole numbers are accepted */
  int industry_names;   /* 1: TEXT is an industry name rated by pf_industry_rating */
  double (*curve)(double value); /* the value (already range-checked) -> sub-risk 0-1 */
  double weight;        /* default weight */
  const char *range;    /* for messages: "<name> must be <range>, got ..." */
  const char *curve_text;  /* the curve in words, shown by risk_model */
  const char *description; /* what the value means, shown by risk_model */
} pf_risk_factor;

extern const pf_risk_factor pf_risk_factors[];
extern const int pf_risk_factor_count;

/* 1 when name[0..n) equals `lower` (all lower case) ignoring ASCII case. */
int pf_name_is(const char *name, int n, const char *lower);

/* Index of the factor called name[0..n) (ASCII case-insensitive), or -1. */
int pf_risk_factor_find(const char *name, int n);

/* One built-in industry rating. */
typedef struct pf_industry {
  const char *name;
  double risk;
  const char *note;
} pf_industry;

extern const pf_industry pf_industries[];
extern const int pf_industry_count;

/* Rating of the industry called name[0..n) (case-insensitive, surrounding spaces ignored);
** PF_INDUSTRY_UNLISTED when it is not in the table. */
#define PF_INDUSTRY_UNLISTED 0.5
double pf_industry_rating(const char *name, int n);

/* ---- JSON objects of numbers ---------------------------------------------------------- */

/* How one function reads its JSON argument (risk_score's weights, phase_of's thresholds). */
typedef struct pf_json_keys {
  const char *fn;   /* function name, first word of every message */
  const char *arg;  /* argument name: "weights" */
  const char *noun; /* what a key is, for "unknown <noun> 'x' in <arg>" */
  int (*find)(const char *name, int n); /* key -> index (< PF_RISK_MAX_FACTORS) or -1 */
  int (*accepts)(int i, double value); /* 1 when key i may have this (finite) value */
  const char *(*expect)(int i);         /* what key i must be: "a number >= 0" */
  /* the known keys as "a, b, c" from sqlite3_mprintf, for the unknown-key message */
  char *(*known)(void);
} pf_json_keys;

/* The numbers of one JSON object: seen has bit i set when key i was given. */
typedef struct pf_json_numbers {
  unsigned seen;
  double value[PF_RISK_MAX_FACTORS];
} pf_json_numbers;

/* Reads argv[iarg] as a JSON object of key -> number, using SQLite's json_each on the
** calling connection. A constant argument is parsed once per statement: the result is
** cached with sqlite3_set_auxdata, so later rows read it without allocating. NULL or ''
** gives an empty object. Returns 1 with *out set, or 0 after setting an error on ctx.
** When *fresh is set, call pf_json_numbers_cache() after the result is set. */
int pf_json_numbers_get(sqlite3_context *ctx, const pf_json_keys *keys, sqlite3_value **argv,
                        int iarg, pf_json_numbers *out, int *fresh);
void pf_json_numbers_cache(sqlite3_context *ctx, int iarg, const pf_json_numbers *parsed);

/* "a, b, c" from a table whose rows start with a `const char *name`. sqlite3_mprintf memory. */
char *pf_name_list(const void *rows, size_t row_size, int count, const char *extra);

/* ---- read-only eponymous tables ------------------------------------------------------- */

/* A table whose rows come from constants: `schema` declares the columns, `column` gives
** the value of one cell. */
typedef struct pf_const_table {
  const char *name;
  const char *schema; /* "CREATE TABLE x(...)" */
  const int *row_count;
  void (*column)(sqlite3_context *ctx, int row, int col);
} pf_const_table;

int pf_const_table_register(sqlite3 *db, const pf_const_table *table, char **pzErrMsg);

extern const pf_const_table pf_risk_model_table;
extern const pf_const_table pf_risk_industries_table;
extern const pf_const_table pf_phases_table;

/* ---- lifecycle phases ----------------------------------------------------------------- */

typedef struct pf_phase {
  const char *name;
  int ordinal;
  const char *objective;
} pf_phase;

extern const pf_phase pf_phases[];
extern const int pf_phase_count;

#endif
