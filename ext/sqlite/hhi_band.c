/*
** hhi_band.c: hhi_band(hhi) and hhi_band(hhi, edition).
**
** Names the concentration band of an HHI value:
**   1. Default (edition 2023, same bands as the US 1992 guidelines): 'unconcentrated'
**      below 1000, 'moderately concentrated' from 1000 to 1800, 'highly concentrated'
**      above 1800.
**   2. Edition 2010 (Horizontal Merger Guidelines): below 1500, 1500 to 2500, above 2500.
**   3. Boundaries belong to the middle band.
**   4. A NULL (or '') hhi or edition gives NULL.
**   5. An hhi that is not a number in 0-10000, or an edition other than 2010 or 2023, is an
**      error naming the argument and the value.
*/
#include "portfolio_sqlite.h"
SQLITE_EXTENSION_INIT3

static void hhi_band(sqlite3_context *ctx, int argc, sqlite3_value **argv) {
  double low = 1000, high = 1800;
  pf_num hhi;
  int rc;
  if (argc == 2) {
    pf_num edition;
    rc = pf_amount_parse(argv[1], &edition);
    if (rc == 0) return; /* NULL or '' gives NULL */
    if (rc < 0 || (edition.d != 2010 && edition.d != 2023)) {
      pf_error_bad_value(ctx, "hhi_band", "edition", "2010 or 2023", argv[1]);
      return;
    }
    if (edition.d == 2010) {
      low = 1500;
      high = 2500;
    }
  }
  rc = pf_amount_parse(argv[0], &hhi);
  if (rc == 0) return; /* NULL or '' gives NULL */
  if (rc < 0 || hhi.d < 0 || hhi.d > 10000) {
    pf_error_bad_value(ctx, "hhi_band", "hhi", "a number from 0 to 10000", argv[0]);
    return;
  }
  if (hhi.d < low)
    sqlite3_result_text(ctx, "unconcentrated", -1, SQLITE_STATIC);
  else if (hhi.d <= high)
    sqlite3_result_text(ctx, "moderately concentrated", -1, SQLITE_STATIC);
  else
    sqlite3_result_text(ctx, "highly concentrated", -1, SQLITE_STATIC);
}

static const pf_function hhi_band_functions[] = {
    {.name = "hhi_band", .nArg = 1, .flags = PF_PURE, .xFunc = hhi_band},
    {.name = "hhi_band", .nArg = 2, .flags = PF_PURE, .xFunc = hhi_band},
};

int pf_init_hhi_band(sqlite3 *db, char **pzErrMsg) {
  return pf_register(db, hhi_band_functions, PF_COUNT(hhi_band_functions), pzErrMsg);
}
