/*
** risk.h: the risk factors and industry ratings, shared by the account-risk files only.
**
** Included by:
**   risk_factors.c  the one table of risk factors and the built-in industry ratings
**   risk.c          risk_score() and risk_explain()
**   risk_tables.c   the risk_model and risk_industries tables
*/
#ifndef PORTFOLIO_RISK_H
#define PORTFOLIO_RISK_H

#include "json_numbers.h"

/* ---- risk factors --------------------------------------------------------------------- */

/* The most factors risk_score handles: one bit each in the JSON weights' mask.
** pf_init_risk checks the factor table against it. */
#define PF_RISK_MAX_FACTORS PF_JSON_MAX_KEYS

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

/* The value rules of risk.c, shared with the learnt models (risk_learnt.c): a value as a
** number (1, 0 for NULL or '', -1 when not a number), and 1 when it is in factor k's range. */
int pf_risk_value_number(sqlite3_value *v, pf_num *out);
int pf_risk_value_in_range(int k, double d);
/* Appends z[0..n) as a JSON string. */
void pf_json_string(sqlite3_str *s, const unsigned char *z, int n);

/* ---- learnt models (risk_learnt.c, risk_scorecard.c) ------------------------------------ */

/* The last model parsed from a non-constant argument, per function and connection. */
typedef struct pf_model_cache pf_model_cache;
pf_model_cache *pf_model_cache_new(void);
void pf_model_cache_free(void *cache);
/* 1 when argv[0] is 'model' (remembered per statement). */
int pf_risk_is_learnt(sqlite3_context *ctx, int argc, sqlite3_value **argv);
void pf_risk_learnt_score(sqlite3_context *ctx, int argc, sqlite3_value **argv);
void pf_risk_learnt_explain(sqlite3_context *ctx, int argc, sqlite3_value **argv);
/* Registers the risk_scorecard(m) table-valued function. */
int pf_risk_scorecard_register(sqlite3 *db, char **pzErrMsg);

/* Registers the risk_model and risk_industries tables (risk_tables.c). */
int pf_risk_tables_register(sqlite3 *db, char **pzErrMsg);

#endif
