/*
** scorecard_patterns.h: rows grouped by bin pattern (scorecard_patterns.c), for the fit
** (scorecard_solve.c).
**
** Included by: scorecard_patterns.c, scorecard_solve.c and tests/test_scorecard_patterns.c only.
*/
#ifndef PORTFOLIO_SCORECARD_PATTERNS_H
#define PORTFOLIO_SCORECARD_PATTERNS_H

#include "scorecard_internal.h"

typedef struct fit_patterns {
  int ni;         /* informative factors (two bins or more) */
  int *inf;       /* their factor indexes, in factor order */
  uint32_t np;    /* distinct patterns */
  uint32_t cap;
  uint16_t *keys; /* np x ni: the bin of each informative factor, patterns in key order */
  int64_t *n;     /* rows of each pattern */
  int64_t *pos;   /* of them with outcome 1 */
} fit_patterns;

/* Groups the rows of fit (bins made) by pattern. PF_OK or PF_NOMEM (then free p too). */
int fit_patterns_make(const pf_fit *fit, fit_patterns *p);
/* The same by one way of scorecard_patterns.c's rule 3, for the test that both agree:
** FIT_GROUP_BY_SORTING (PF_RANGE when the codes do not fit) or FIT_GROUP_BY_HASHING. */
enum { FIT_GROUP_BY_SORTING = 1, FIT_GROUP_BY_HASHING = 2 };
int fit_patterns_make_by(const pf_fit *fit, fit_patterns *p, int way);
void fit_patterns_free(fit_patterns *p);

#endif
