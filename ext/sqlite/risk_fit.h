/*
** risk_fit.h: the state of one risk_fit aggregate, shared by risk_fit.c (the rows) and
** risk_fit_options.c (the 'options' JSON).
**
** Included by: risk_fit.c and risk_fit_options.c only.
*/
#ifndef PORTFOLIO_RISK_FIT_H
#define PORTFOLIO_RISK_FIT_H

#include "portfolio_sqlite.h"
#include "scorecard.h"

typedef struct fit_state {
  pf_fit *fit; /* NULL until the first row */
  int failed;  /* a row was refused: the statement is failing, xFinal only frees */
  int argc;    /* arguments of the first row */
  int nf;      /* factors */
  int has_options;
  pf_fit_options options;
  char *options_text; /* the options as given in the first row (sqlite3_malloc) */
  int options_n;
  int builtin[PF_FIT_MAX_FACTORS]; /* index in pf_risk_factors, or -1 for the team's own */
  const char *name[PF_FIT_MAX_FACTORS]; /* the factor names (the fit's copies), for the */
  int name_n[PF_FIT_MAX_FACTORS];       /* check of every row without a call per name */
} fit_state;

/* Reads the options (v NULL or SQL NULL: the defaults) into st->options, marks the
** monotone factors, and keeps the text for pf_fit_same_options. 1, or 0 after an error. */
int pf_fit_read_options(sqlite3_context *ctx, fit_state *st, sqlite3_value *v);
/* 1 when a later row's options are the first row's; else 0 after an error. */
int pf_fit_same_options(sqlite3_context *ctx, fit_state *st, sqlite3_value *v);

#endif
