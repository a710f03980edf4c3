/*
** oom_scenarios.h: the queries tests/test_oom.c runs under allocation failure, and the data
** they read (tests/oom_scenarios.c).
**
** Included by: tests/test_oom.c, tests/oom_scenarios.c only.
*/
#ifndef PORTFOLIO_OOM_SCENARIOS_H
#define PORTFOLIO_OOM_SCENARIOS_H

typedef struct scenario {
  const char *name;
  const char *sql;
  const char *want;  /* rows of the undisturbed run worked out by hand, or 0 */
  const char *error; /* the query's own error message, or 0 when it succeeds */
} scenario;

/* The tables every scenario reads (inv, small, big, q, mdl), built once. */
extern const char *const oom_data_sql;
extern const scenario oom_scenarios[];
extern const int oom_scenario_count;

#endif
