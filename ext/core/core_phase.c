/*
** core_phase.c: the phases, signals and rules of phase_of (core_phase.h), one copy for
** every host.
**   1. Tables are constant data; the rules are a pure function of the known signals.
*/
#include "core_phase.h"

#include "core_text.h"

#include <math.h>

const pf_phase pf_phases[PF_PHASE_COUNT] = {
    {"deployment", 1,
     "Finish the rollout: get every planned user live and to a first result quickly."},
    {"defense", 2,
     "Save the account: find what is wrong, bring in a senior sponsor and agree a recovery "
     "plan well before the renewal."},
    {"maturation", 3,
     "Deepen use: spread adoption to more teams and features, meet more stakeholders and "
     "show the value delivered so far."},
    {"growth", 4,
     "Expand the account: work the open upsell or cross-sell while the customer is healthy."},
};

const pf_phase_signal pf_phase_signals[PF_SIG_COUNT] = {
    {"deployment", 0, 1, 0, "between 0 and 1"},
    {"adoption", 0, 1, 0, "between 0 and 1"},
    {"risk", 0, 100, 0, "between 0 and 100"},
    {"stakeholder_change", 0, 1, 1, "0 or 1"},
    {"competitive_pressure", 0, 1, 1, "0 or 1"},
    {"technical_issues", 0, 1, 1, "0 or 1"},
    {"expected_churn", 0, 1, 1, "0 or 1"},
    {"expansion", 0, INFINITY, 0, ">= 0"},
};

const pf_phase_signal pf_phase_thresholds[PF_THR_COUNT] = {
    {"risk", 0, 100, 0, "a number between 0 and 100"},
    {"adoption", 0, 1, 0, "a number between 0 and 1"},
};
const double pf_phase_threshold_defaults[PF_THR_COUNT] = {70, 0.3};

int pf_phase_signal_accepts(int s, double x) {
  const pf_phase_signal *sig = &pf_phase_signals[s];
  return !(x < sig->min || x > sig->max || (sig->flag && x != 0 && x != 1));
}

int pf_phase_classify(unsigned known, const double *value, const double *threshold) {
  int s;
#define HAS(s) ((known >> (s)) & 1u)
  for (s = PF_SIG_STAKEHOLDER_CHANGE; s <= PF_SIG_EXPECTED_CHURN; s++)
    if (HAS(s) && value[s] == 1) return PF_PHASE_DEFENSE;
  if (HAS(PF_SIG_RISK) && value[PF_SIG_RISK] >= threshold[PF_THR_RISK]) return PF_PHASE_DEFENSE;
  if (HAS(PF_SIG_ADOPTION) && value[PF_SIG_ADOPTION] < threshold[PF_THR_ADOPTION] &&
      (!HAS(PF_SIG_DEPLOYMENT) || value[PF_SIG_DEPLOYMENT] >= 1))
    return PF_PHASE_DEFENSE;
  if (HAS(PF_SIG_DEPLOYMENT) && value[PF_SIG_DEPLOYMENT] < 1) return PF_PHASE_DEPLOYMENT;
  if (HAS(PF_SIG_EXPANSION) && value[PF_SIG_EXPANSION] > 0) return PF_PHASE_GROWTH;
  return PF_PHASE_MATURATION;
#undef HAS
}

/* ---- the thresholds argument (core_json_numbers.h) ------------------------------------- */

static int threshold_find(const char *name, int n) {
  int t;
  for (t = 0; t < PF_THR_COUNT; t++)
    if (pf_name_is(name, n, pf_phase_thresholds[t].name)) return t;
  return -1;
}

static int threshold_accepts(int t, double x) {
  return x >= pf_phase_thresholds[t].min && x <= pf_phase_thresholds[t].max;
}

static const char *threshold_expect(int t) { return pf_phase_thresholds[t].range; }

static void threshold_names(pf_text *out) {
  pf_text_names(out, pf_phase_thresholds, sizeof(pf_phase_thresholds[0]), PF_THR_COUNT, 0);
}

const pf_json_keys pf_phase_threshold_keys = {"phase_of",       "thresholds",     "key",
                                              threshold_find,   threshold_accepts,
                                              threshold_expect, threshold_names};
