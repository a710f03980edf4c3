/*
** core_phase.h: the lifecycle phases and the rules of phase_of, shared by every host.
**
** Included by: ext/core/core_phase.c, ext/sqlite/phase.c, postgres/pg_phase.c.
** Rules:
**   1. Signals (deployment and adoption 0-1, risk 0-100, four 0/1 flags, expansion >= 0)
**      with their ranges and the text of the range for error messages; hosts read values.
**   2. Thresholds risk (default 70, 0-100) and adoption (default 0.3, 0-1).
**   3. The first rule that holds wins: defense (a flag is 1, or risk >= the risk
**      threshold, or adoption below the adoption threshold while the rollout is complete or
**      unknown); deployment (rollout below 1); growth (expansion > 0); maturation. A rule
**      about an unknown signal does not hold.
*/
#ifndef PORTFOLIO_CORE_PHASE_H
#define PORTFOLIO_CORE_PHASE_H

#include "core_json_numbers.h"

enum { PF_PHASE_DEPLOYMENT, PF_PHASE_DEFENSE, PF_PHASE_MATURATION, PF_PHASE_GROWTH,
       PF_PHASE_COUNT };

typedef struct pf_phase {
  const char *name;
  int ordinal;
  const char *objective;
} pf_phase;

extern const pf_phase pf_phases[PF_PHASE_COUNT];

typedef struct pf_phase_signal {
  const char *name;
  double min, max;
  int flag;          /* only 0 or 1 */
  const char *range; /* for "<name> must be <range>, got ..." */
} pf_phase_signal;

enum {
  PF_SIG_DEPLOYMENT, PF_SIG_ADOPTION, PF_SIG_RISK, PF_SIG_STAKEHOLDER_CHANGE,
  PF_SIG_COMPETITIVE_PRESSURE, PF_SIG_TECHNICAL_ISSUES, PF_SIG_EXPECTED_CHURN,
  PF_SIG_EXPANSION, PF_SIG_COUNT
};
extern const pf_phase_signal pf_phase_signals[PF_SIG_COUNT];

enum { PF_THR_RISK, PF_THR_ADOPTION, PF_THR_COUNT };
extern const pf_phase_signal pf_phase_thresholds[PF_THR_COUNT];
extern const double pf_phase_threshold_defaults[PF_THR_COUNT];

/* How every host reads ('thresholds', json): keys risk and adoption, their ranges and the
** messages (core_json_numbers.h). */
extern const pf_json_keys pf_phase_threshold_keys;

/* 1 when x is an allowed value of signal s (range, and 0/1 for flags). */
int pf_phase_signal_accepts(int s, double x);
/* The phase (PF_PHASE_*) of the signals whose bit is set in `known` (bit s: value[s]),
** with threshold[PF_THR_*]. */
int pf_phase_classify(unsigned known, const double *value, const double *threshold);

#endif
