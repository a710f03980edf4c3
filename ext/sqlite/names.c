/*
** names.c: lists of names of constant tables for error messages (see names.h), built with
** sqlite3_str so a failure is a NULL (out of memory) the caller reports.
*/
#include "names.h"
SQLITE_EXTENSION_INIT3

char *pf_name_list(const void *rows, size_t row_size, int count, const char *extra) {
  sqlite3_str *s = sqlite3_str_new(0);
  int i;
  for (i = 0; i < count; i++) {
    const char *name = *(const char *const *)((const char *)rows + (size_t)i * row_size);
    sqlite3_str_appendf(s, "%s%s", i ? ", " : "", name);
  }
  if (extra) sqlite3_str_appendf(s, "%s%s", count ? ", " : "", extra);
  return sqlite3_str_finish(s);
}
