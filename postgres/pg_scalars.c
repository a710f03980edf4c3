/*
** pg_scalars.c: hhi_band(hhi) and hhi_band(hhi, edition) in PostgreSQL.
**   1. The SQLite host's bands: edition 2023 (default, as the US 1992 guidelines): below
**      1000 'unconcentrated', 1000-1800 'moderately concentrated', above 'highly
**      concentrated'; edition 2010: 1500 and 2500. Boundaries belong to the middle band.
**   2. NULL gives NULL (the functions are STRICT); an hhi outside 0-10000 (or NaN) or
**      another edition is an error naming the argument and the value.
*/
#include "pg_portfolio.h"

#include "utils/builtins.h"

static text *band_of(double hhi, int64 edition) {
  double low = 1000, high = 1800;
  if (edition != 2010 && edition != 2023)
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("hhi_band: edition must be 2010 or 2023, got " INT64_FORMAT,
                           edition)));
  if (!(hhi >= 0 && hhi <= 10000))
    ereport(ERROR, (errcode(ERRCODE_INVALID_PARAMETER_VALUE),
                    errmsg("hhi_band: hhi must be a number from 0 to 10000, got %g", hhi)));
  if (edition == 2010) {
    low = 1500;
    high = 2500;
  }
  if (hhi < low) return cstring_to_text("unconcentrated");
  if (hhi <= high) return cstring_to_text("moderately concentrated");
  return cstring_to_text("highly concentrated");
}

PG_FUNCTION_INFO_V1(pf_hhi_band);
Datum pf_hhi_band(PG_FUNCTION_ARGS) {
  int64 edition = PG_NARGS() > 1 ? PG_GETARG_INT64(1) : 2023;
  PG_RETURN_TEXT_P(band_of(PG_GETARG_FLOAT8(0), edition));
}

PG_FUNCTION_INFO_V1(pf_version);
Datum pf_version(PG_FUNCTION_ARGS) {
  (void)fcinfo;
  PG_RETURN_TEXT_P(cstring_to_text("0.2.0"));
}
