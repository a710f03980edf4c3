/*
** measures.c: the list of measures the extension registers. Adding a measure: its
** description in a file of its own (see gini.c), one line here, and its tests
** (docs/adding-a-measure.md); the window, OOM and exports tests read this list.
*/
#include "measure.h"
SQLITE_EXTENSION_INIT3

const pf_measure *const pf_measures[] = {
    &pf_measure_herfindahl,
    &pf_measure_top_share,
    &pf_measure_gini,
};

const int pf_measure_count = PF_COUNT(pf_measures);

int pf_init_measures(sqlite3 *db, char **pzErrMsg) {
  return pf_register_measures(db, pf_measures, pf_measure_count, pzErrMsg);
}
