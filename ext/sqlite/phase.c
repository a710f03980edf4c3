/*
** phase.c: phase_of(signal, value, ...) and the phases it can return.
**
** Rules:
**   1. Arguments come in (signal, value) pairs; an odd count is an error. Signal names are
**      TEXT matched ignoring ASCII case; an unknown one is an error listing the known ones,
**      and one given twice is an error.
**   2. A NULL or '' value means the signal is unknown. Values are INTEGER, REAL or numeric
**      TEXT: deployment and adoption 0-1, risk 0-100, the four flags (stakeholder_change,
**      competitive_pressure, technical_issues, expected_churn) 0 or 1 (TRUE/FALSE work),
**      expansion >= 0. Anything else is an error naming the signal and the value.
**   3. ('thresholds', json) overrides {"risk": 70, "adoption": 0.3} (keys risk 0-100 and
**      adoption 0-1 only; NULL keeps both). It is read once per statement when constant.
**   4. The first rule that holds wins:
**        defense     a flag is 1, or risk >= the risk threshold, or adoption is below the
**                    adoption threshold while the rollout is complete or unknown;
**        deployment  the rollout is below 1;
**        growth      expansion > 0;
**        maturation  otherwise.
**      A rule about an unknown signal does not hold. No known signal at all gives NULL.
*/
#include "const_table.h"
#include "json_numbers.h"
#include "names.h"
#include "core_phase.h"
SQLITE_EXTENSION_INIT3

#include <math.h>
#include <string.h>

static const int pf_phase_count = PF_PHASE_COUNT;

static void text(sqlite3_context *ctx, const char *z) {
  sqlite3_result_text(ctx, z, -1, SQLITE_STATIC);
}

/* The phases table: SELECT * FROM phases. */
static void phases_column(sqlite3_context *ctx, int row, int col) {
  const pf_phase *p = &pf_phases[row];
  switch (col) {
    case 0: text(ctx, p->name); break;
    case 1: sqlite3_result_int(ctx, p->ordinal); break;
    default: text(ctx, p->objective); break;
  }
}

static const pf_const_table phases_table = {
    "phases", "CREATE TABLE x(phase TEXT, ordinal INTEGER, objective TEXT)", &pf_phase_count,
    phases_column};

/* The signals, thresholds and rules live in the core (core_phase.h), shared with the
** PostgreSQL host. */
typedef pf_phase_signal phase_signal;
enum { SIG_COUNT = PF_SIG_COUNT };
static const phase_signal *const signals = pf_phase_signals;

static int find_name(const phase_signal *list, int count, const char *name, int n) {
  int i;
  for (i = 0; i < count; i++)
    if (pf_name_is(name, n, list[i].name)) return i;
  return -1;
}

/* ---- reading the arguments ----------------------------------------------------------- */

typedef struct phase_input {
  unsigned named, known; /* bit per signal: named in the arguments / with a value */
  double value[SIG_COUNT];
  int thresholds_arg, thresholds_fresh;
  pf_json_numbers thresholds;
} phase_input;

static int read_signal(sqlite3_context *ctx, int s, sqlite3_value *v, phase_input *in) {
  const phase_signal *sig = &signals[s];
  pf_num num;
  int rc = pf_amount_parse(v, &num);
  if (rc == 0) return 1;
  if (rc < 0) {
    pf_error_bad_value(ctx, "phase_of", sig->name, "a number", v);
    return 0;
  }
  if (!pf_phase_signal_accepts(s, num.d)) {
    pf_error_bad_value(ctx, "phase_of", sig->name, sig->range, v);
    return 0;
  }
  in->known |= 1u << s;
  in->value[s] = num.d;
  return 1;
}

/* What a constant name argument was found to be, kept on it with sqlite3_set_auxdata:
** &signals[s], or this marker for 'thresholds'. Signal names are constants in practice,
** so the rows after the first skip comparing them. */
static const char thresholds_name = 0;

/* The name at argv[i]: the signal index, SIG_COUNT for 'thresholds', or -1 after an
** error. */
static int read_name(sqlite3_context *ctx, sqlite3_value **argv, int i) {
  const void *known = sqlite3_get_auxdata(ctx, i);
  const char *name;
  int s;
  if (known == &thresholds_name) return SIG_COUNT;
  if (known) return (int)((const phase_signal *)known - signals);
  if (sqlite3_value_type(argv[i]) != SQLITE_TEXT) {
    char what[40];
    sqlite3_snprintf(sizeof(what), what, "argument %d", i + 1);
    pf_error_bad_value(ctx, "phase_of", what, "a signal name", argv[i]);
    return -1;
  }
  name = (const char *)sqlite3_value_text(argv[i]);
  if (name == 0) {
    sqlite3_result_error_nomem(ctx);
    return -1;
  }
  s = find_name(signals, SIG_COUNT, name, sqlite3_value_bytes(argv[i]));
  if (s < 0 && sqlite3_stricmp(name, "thresholds") == 0) {
    sqlite3_set_auxdata(ctx, i, (void *)&thresholds_name, 0);
    return SIG_COUNT;
  }
  if (s < 0) {
    char *list = pf_name_list(signals, sizeof(signals[0]), SIG_COUNT, "thresholds");
    if (list == 0) {
      sqlite3_result_error_nomem(ctx);
      return -1;
    }
    pf_result_errorf(ctx, "phase_of: unknown signal '%q' (known: %s)", name, list);
    sqlite3_free(list);
    return -1;
  }
  sqlite3_set_auxdata(ctx, i, (void *)&signals[s], 0);
  return s;
}

static int read_pair(sqlite3_context *ctx, sqlite3_value **argv, int i, phase_input *in) {
  int s = read_name(ctx, argv, i);
  if (s < 0) return 0;
  if (s == SIG_COUNT) {
    if (in->thresholds_arg >= 0) {
      pf_result_errorf(ctx, "phase_of: 'thresholds' given twice");
      return 0;
    }
    in->thresholds_arg = i + 1;
    return 1;
  }
  if (in->named & (1u << s)) {
    pf_result_errorf(ctx, "phase_of: signal '%s' given twice", signals[s].name);
    return 0;
  }
  in->named |= 1u << s;
  return read_signal(ctx, s, argv[i + 1], in);
}

static int read_arguments(sqlite3_context *ctx, int argc, sqlite3_value **argv,
                          phase_input *in) {
  int i;
  memset(in, 0, offsetof(phase_input, thresholds));
  in->thresholds_arg = -1;
  if (argc % 2) {
    pf_result_errorf(ctx, "phase_of: arguments come in signal, value pairs, got %d argument%s",
                     argc, argc == 1 ? "" : "s");
    return 0;
  }
  for (i = 0; i < argc; i += 2)
    if (!read_pair(ctx, argv, i, in)) return 0;
  if (in->thresholds_arg < 0) {
    in->thresholds.seen = 0;
    return 1;
  }
  return pf_json_numbers_get(ctx, &pf_phase_threshold_keys, /* the core's rules and words */
                             argv, in->thresholds_arg, &in->thresholds,
                             &in->thresholds_fresh);
}

/* ---- the rules ----------------------------------------------------------------------- */

static int classify(const phase_input *in) {
  double threshold[PF_THR_COUNT];
  int t;
  for (t = 0; t < PF_THR_COUNT; t++)
    threshold[t] = (in->thresholds.seen & (1u << t)) ? in->thresholds.value[t]
                                                     : pf_phase_threshold_defaults[t];
  return pf_phase_classify(in->known, in->value, threshold);
}

static void phase_of(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  phase_input in;
  if (!read_arguments(ctx, argc, argv, &in)) return;
  if (in.known) {
    sqlite3_result_text(ctx, pf_phases[classify(&in)].name, -1, SQLITE_STATIC);
  }
  if (in.thresholds_fresh) pf_json_numbers_cache(ctx, in.thresholds_arg, &in.thresholds);
}

static const pf_function phase_functions[] = {
    {.name = "phase_of", .nArg = -1, .flags = PF_PURE, .xFunc = phase_of},
};

int pf_init_phase(sqlite3 *db, char **pzErrMsg) {
  int rc = pf_register(db, phase_functions, PF_COUNT(phase_functions), pzErrMsg);
  if (rc == SQLITE_OK) rc = pf_const_table_register(db, &phases_table, pzErrMsg);
  return rc;
}
