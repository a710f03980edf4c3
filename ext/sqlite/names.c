/*
** names.c: names of constant tables as SQL arguments (see names.h).
**
**   1. Names are compared ignoring ASCII case only: the constants are ASCII, and a
**      locale's case rules must not change which factor a name means.
**   2. Lists for error messages are built with sqlite3_str, so a failure is a NULL
**      (out of memory) the caller reports.
*/
#include "names.h"
SQLITE_EXTENSION_INIT3

int pf_name_is(const char *name, int n, const char *lower) {
  int i;
  for (i = 0; i < n; i++) {
    unsigned char a = (unsigned char)name[i], b = (unsigned char)lower[i];
    if (b == 0) return 0;
    if (a != b && !((a | 0x20) == b && b >= 'a' && b <= 'z')) return 0;
  }
  return lower[n] == 0;
}

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
