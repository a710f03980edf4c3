/*
** core_risk_factors.c: the risk model's constants, in one place.
**
**   1. pf_risk_factors is the one table of factors: name, accepted range, curve, default
**      weight and description. risk_score, risk_explain and risk_model all read it, so a
**      new factor is one new row here (and a test).
**   2. Curves map a range-checked value to a sub-risk in 0-1; each is monotone and
**      continuous except contract_year, which is a step by year.
**   3. pf_industries holds the built-in industry ratings with a one-line reason each:
**      exposure of the customer's own revenue to downturns, shocks and structural change.
**      Lookups ignore ASCII case and surrounding spaces; an unlisted industry rates 0.5.
*/
#include "core_risk.h"
#include "core_text.h"

#include <math.h>
#include <string.h>

static double curve_identity(double v) { return v; }

static double curve_complement(double v) { return 1.0 - v; }

/* 1 with no cash left, 0 from two years of runway on. */
static double curve_cash_runway(double months) {
  return months >= 24 ? 0.0 : 1.0 - months / 24.0;
}

/* Inside 30 days (or overdue) there is no time left to fix anything: full risk. */
static double curve_days_to_renewal(double days) {
  if (days <= 30) return 1.0;
  if (days >= 180) return 0.0;
  return (180.0 - days) / 150.0;
}

static double curve_stakeholders(double n) { return 1.0 - fmin(n, 5.0) / 5.0; }

static double curve_days_since_contact(double days) {
  return days >= 90 ? 1.0 : days / 90.0;
}

/* The first renewal is not yet at stake in year 1; year 3 is the classic churn year. */
static double curve_contract_year(double year) {
  if (year < 2) return 0.3;
  if (year < 3) return 0.6;
  if (year < 4) return 1.0;
  return 0.6;
}

const pf_risk_factor pf_risk_factors[] = {
    {"industry", 0, 1, 0, 1, curve_identity, 0.15, "between 0 and 1",
     "the rating in risk_industries (0.5 when not listed), or the number given",
     "the customer's industry: a name from risk_industries, or a rating 0-1"},
    {"region", 0, 1, 0, 0, curve_identity, 0.05, "between 0 and 1", "the value",
     "0-1, the analyst's rating of the customer's geography"},
    {"cash_runway_months", 0, INFINITY, 0, 0, curve_cash_runway, 0.15, ">= 0",
     "1 at 0 months, falling linearly to 0 at 24 months and after",
     "months of cash the customer has left (>= 0)"},
    {"days_to_renewal", -INFINITY, INFINITY, 0, 0, curve_days_to_renewal, 0.10, "a number",
     "1 up to 30 days, falling linearly to 0 at 180 days and after",
     "days until the next renewal; negative when overdue"},
    {"adoption", 0, 1, 0, 0, curve_complement, 0.15, "between 0 and 1", "1 - adoption",
     "0-1, share of licences or features in active use"},
    {"deployment", 0, 1, 0, 0, curve_complement, 0.10, "between 0 and 1", "1 - deployment",
     "0-1, share of the rollout completed"},
    {"stakeholders", 0, INFINITY, 1, 0, curve_stakeholders, 0.10, "an integer >= 0",
     "1 - min(n, 5) / 5",
     "how many of the account's top 5 stakeholders were spoken to in the last 90 days"},
    {"days_since_contact", 0, INFINITY, 0, 0, curve_days_since_contact, 0.05, ">= 0",
     "0 at 0 days, rising linearly to 1 at 90 days and after",
     "days since the last conversation with the customer (>= 0)"},
    {"penetration", 0, 1, 0, 0, curve_complement, 0.10, "between 0 and 1",
     "1 - penetration", "0-1, current revenue / potential revenue of the account"},
    {"contract_year", 1, INFINITY, 1, 0, curve_contract_year, 0.05, "an integer >= 1",
     "0.3 in year 1, 0.6 in year 2, 1.0 in year 3, 0.6 from year 4 on",
     "which year of the contract the account is in (1 = first year)"},
};

const int pf_risk_factor_count = (int)(sizeof(pf_risk_factors) / sizeof(pf_risk_factors[0]));

int pf_risk_value_in_range(int k, double d) {
  const pf_risk_factor *f = &pf_risk_factors[k];
  return !(d < f->min || d > f->max || (f->whole && d != floor(d)));
}

int pf_risk_factor_find(const char *name, int n) {
  int i;
  /* Runs for every pair of every row: a plain loop, no strlen, no library call. */
  for (i = 0; i < pf_risk_factor_count; i++) {
    const char *z = pf_risk_factors[i].name;
    if (n > 0 && ((unsigned char)name[0] | 0x20) != (unsigned char)z[0]) continue;
    if (pf_name_is(name, n, z)) return i;
  }
  return -1;
}

const pf_industry pf_industries[] = {
    {"travel", 0.90, "trips are the first spending cut, and bans or scares stop demand overnight"},
    {"aviation", 0.90, "high fixed costs and thin margins; a grounded fleet still has to be paid for"},
    {"hospitality", 0.85, "occupancy falls as soon as households and firms cut travel and outings"},
    {"events", 0.90, "revenue stops outright when gatherings are cancelled or postponed"},
    {"recruitment", 0.80, "a hiring freeze ends placement fees within weeks"},
    {"in-person retail", 0.80, "footfall moves online and stores close when demand dips"},
    {"restaurants", 0.75, "thin margins and a high failure rate even in good years"},
    {"fitness", 0.70, "memberships are cancelled early when budgets tighten"},
    {"construction", 0.65, "projects stall when rates rise or financing dries up"},
    {"real estate", 0.60, "deal volume drops sharply with higher interest rates"},
    {"automotive", 0.60, "big-ticket, cyclical demand and fragile parts supply"},
    {"retail", 0.60, "mixed store and online sales; pure in-person retail rates higher"},
    {"media", 0.55, "advertising budgets are among the first marketing cuts"},
    {"manufacturing", 0.50, "cyclical orders, softened by long supply contracts"},
    {"energy", 0.50, "income swings with commodity prices"},
    {"non-profit", 0.50, "donations and grants shrink in downturns"},
    {"financial services", 0.40, "steady fee income, but exposed to credit cycles and consolidation"},
    {"agriculture", 0.40, "food demand is steady; weather and prices are not"},
    {"education", 0.35, "enrolments are stable, budgets are set once a year"},
    {"insurance", 0.30, "recurring premiums and regulated reserves keep spending steady"},
    {"telecommunications", 0.30, "subscription income from services people keep in a downturn"},
    {"government", 0.25, "budgets are steady, though procurement and policy can change slowly"},
    {"pharmaceuticals", 0.25, "demand for medicines does not follow the business cycle"},
    {"logistics", 0.25, "goods keep moving, and the shift to online orders adds parcel volume"},
    {"supply chain", 0.25, "disruptions make firms invest more in planning and visibility"},
    {"healthcare", 0.20, "essential demand that does not depend on the economy"},
    {"utilities", 0.20, "regulated, essential services with predictable income"},
    {"e-commerce", 0.20, "gains share whenever people cannot or will not visit stores"},
    {"software", 0.20, "subscription income, low marginal cost, and work that goes remote easily"},
};

const int pf_industry_count = (int)(sizeof(pf_industries) / sizeof(pf_industries[0]));

double pf_industry_rating(const char *name, int n) {
  int i;
  while (n > 0 && (name[0] == ' ' || name[0] == '\t')) name++, n--;
  while (n > 0 && (name[n - 1] == ' ' || name[n - 1] == '\t')) n--;
  for (i = 0; i < pf_industry_count; i++) {
    if (pf_name_is(name, n, pf_industries[i].name)) return pf_industries[i].risk;
  }
  return PF_INDUSTRY_UNLISTED;
}
