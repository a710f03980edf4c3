/* The extension's exports, exactly: every SQL function (name and number of arguments) and
** every module it registers, and the flags each function carries.
**
** How "exactly" is checked: the functions and modules a connection WITH the extension has,
** minus those of a connection WITHOUT it (auto-extension reset), must equal the list below.
** So nothing can be registered, or dropped, without this file being changed with it.
**
** Where each export comes from: the capability table (PF_CAPABILITIES in portfolio_sqlite.h)
** names what each capability's init registers; each init alone must register exactly those
** names, and the names of all capabilities must be exactly those of `expected_exports`. So
** an export cannot be registered by a capability that does not declare it, nor a
** capability be left out of the table (the extension registers only through the table).
**
** Adding an export: add one line to `expected_exports`, and its name to its capability's
** line in PF_CAPABILITIES. */
#include "testing.h"
#include "measure.h"

#ifndef SQLITE_DETERMINISTIC
#define SQLITE_DETERMINISTIC 0x000000800
#endif
#ifndef SQLITE_DIRECTONLY
#define SQLITE_DIRECTONLY 0x000080000
#endif
#ifndef SQLITE_INNOCUOUS
#define SQLITE_INNOCUOUS 0x000200000
#endif

/* The flag bits this test looks at; any other bit in pragma_function_list.flags is ignored. */
#define FLAG_BITS (SQLITE_DETERMINISTIC | SQLITE_DIRECTONLY | SQLITE_INNOCUOUS)
/* Pure functions: usable in views, generated columns and triggers under trusted_schema=OFF. */
#define PURE (SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS)

enum export_kind { FUNCTION, MODULE };

typedef struct export_spec {
  enum export_kind kind;
  const char *name;
  int narg;       /* functions: number of arguments, -1 for variadic */
  char type;      /* functions: 's' scalar, 'w' aggregate usable as a window function, 'a'
                  ** plain aggregate (as pragma_function_list.type shows it) */
  unsigned flags; /* functions: the FLAG_BITS expected set (the others expected clear) */
} export_spec;

static const export_spec expected_exports[] = {
    /* kind    name                 narg type flags */
    {FUNCTION, "portfolio_version", 0, 's', PURE},
    {FUNCTION, "herfindahl", 1, 'w', PURE},
    {FUNCTION, "herfindahl", 2, 'w', PURE},
    {FUNCTION, "top_share", 2, 'w', PURE},
    {FUNCTION, "top_share", 3, 'w', PURE},
    {FUNCTION, "gini", 1, 'w', PURE},
    {FUNCTION, "gini", 2, 'w', PURE},
    {FUNCTION, "hhi_band", 1, 's', PURE},
    {FUNCTION, "hhi_band", 2, 's', PURE},
    {MODULE, "concentration", 0, 0, 0},
    {MODULE, "concentration_by", 0, 0, 0},
    {MODULE, "revenue_movements", 0, 0, 0},
    {MODULE, "customer_movements", 0, 0, 0},
    {MODULE, "revenue_cohorts", 0, 0, 0},
    {FUNCTION, "risk_score", -1, 's', PURE},
    {FUNCTION, "risk_explain", -1, 's', PURE},
    {FUNCTION, "phase_of", -1, 's', PURE},
    {FUNCTION, "auc", 2, 'a', PURE},
    {FUNCTION, "lift", 3, 'a', PURE},
    {FUNCTION, "risk_fit", -1, 'a', PURE},
    {MODULE, "risk_model", 0, 0, 0},
    {MODULE, "risk_industries", 0, 0, 0},
    {MODULE, "phases", 0, 0, 0},
    {MODULE, "risk_scorecard", 0, 0, 0},
};

#define N_EXPORTS ((int)(sizeof(expected_exports) / sizeof(expected_exports[0])))

/* One line per function: name/narg/builtin (builtin is 0 for anything an extension adds,
** so overriding a built-in function would show up as a new line too). */
#define FUNCTION_KEYS \
  "SELECT DISTINCT name || '/' || narg || '/' || builtin FROM pragma_function_list"
#define MODULE_KEYS "SELECT DISTINCT name FROM pragma_module_list"

/* A connection that does not have the extension, whatever auto-extensions are set. */
static sqlite3 *open_without_extension(void) {
  sqlite3 *db;
  sqlite3_reset_auto_extension();
  db = pf_open();
  ck_assert_int_eq(sqlite3_auto_extension((void (*)(void))sqlite3_portfolio_init), SQLITE_OK);
  return db;
}

/* Copies the single-column result of `sql` on `from` into table `dest` of `to`. */
static void copy_rows(sqlite3 *from, const char *sql, sqlite3 *to, const char *dest) {
  sqlite3_stmt *read = 0, *write = 0;
  char *insert = sqlite3_mprintf("INSERT INTO %s VALUES (?)", dest);
  ck_assert_int_eq(sqlite3_prepare_v2(from, sql, -1, &read, 0), SQLITE_OK);
  ck_assert_int_eq(sqlite3_prepare_v2(to, insert, -1, &write, 0), SQLITE_OK);
  while (sqlite3_step(read) == SQLITE_ROW) {
    sqlite3_bind_value(write, 1, sqlite3_column_value(read, 0));
    ck_assert_int_eq(sqlite3_step(write), SQLITE_DONE);
    sqlite3_reset(write);
  }
  sqlite3_finalize(read);
  sqlite3_finalize(write);
  sqlite3_free(insert);
}

/* The keys of `sql` as one comma-separated, sorted string (empty when none). */
static char *keys_of(sqlite3 *db, const char *sql) {
  sqlite3_stmt *stmt = 0;
  char *all = sqlite3_mprintf("WITH t(k) AS (%s) "
                              "SELECT ifnull(group_concat(k, ', '), '') FROM "
                              "(SELECT k FROM t ORDER BY k)",
                              sql);
  char *out;
  ck_assert_msg(sqlite3_prepare_v2(db, all, -1, &stmt, 0) == SQLITE_OK, "%s: %s",
                sqlite3_errmsg(db), all);
  ck_assert_int_eq(sqlite3_step(stmt), SQLITE_ROW);
  out = sqlite3_mprintf("%s", sqlite3_column_text(stmt, 0));
  sqlite3_finalize(stmt);
  sqlite3_free(all);
  return out;
}

/* Asserts that what `keys` lists on a connection with the extension, minus what it lists
** without, is exactly the expected exports of `kind`. */
static void assert_exact_exports(enum export_kind kind, const char *keys) {
  sqlite3 *with = pf_open(), *without = open_without_extension();
  char *added, *missing;
  int i;
  pf_exec(with, "CREATE TEMP TABLE base(k); CREATE TEMP TABLE want(k);");
  copy_rows(without, keys, with, "temp.base");
  for (i = 0; i < N_EXPORTS; i++) {
    const export_spec *e = &expected_exports[i];
    char *sql;
    if (e->kind != kind) continue;
    sql = kind == FUNCTION ? sqlite3_mprintf("INSERT INTO want VALUES ('%q/%d/0')", e->name,
                                             e->narg)
                           : sqlite3_mprintf("INSERT INTO want VALUES (%Q)", e->name);
    pf_exec(with, sql);
    sqlite3_free(sql);
  }
  {
    char *sql_added = sqlite3_mprintf("%s EXCEPT SELECT k FROM base EXCEPT SELECT k FROM want",
                                      keys);
    char *sql_missing =
        sqlite3_mprintf("SELECT k FROM want EXCEPT SELECT * FROM (%s EXCEPT SELECT k FROM base)",
                        keys);
    added = keys_of(with, sql_added);
    missing = keys_of(with, sql_missing);
    sqlite3_free(sql_added);
    sqlite3_free(sql_missing);
  }
  ck_assert_msg(added[0] == 0 && missing[0] == 0,
                "%s exports differ from expected_exports: registered but not listed: [%s]; "
                "listed but not registered: [%s]",
                kind == FUNCTION ? "function" : "module", added, missing);
  sqlite3_free(added);
  sqlite3_free(missing);
  sqlite3_close(with);
  sqlite3_close(without);
}

START_TEST(functions_are_exactly_the_list) {
  assert_exact_exports(FUNCTION, FUNCTION_KEYS);
}
END_TEST

START_TEST(modules_are_exactly_the_list) {
  assert_exact_exports(MODULE, MODULE_KEYS);
}
END_TEST

START_TEST(the_connection_without_really_lacks_them) {
  /* Guards the subtraction above: if the "without" connection had the extension too, the
  ** difference would be empty and the list check would only ever find missing names. */
  sqlite3 *without = open_without_extension();
  ck_assert_int_eq(pf_int(without, "SELECT count(*) FROM pragma_function_list "
                                   "WHERE name IN ('portfolio_version', 'herfindahl')"),
                   0);
  ck_assert_int_eq(
      pf_int(without, "SELECT count(*) FROM pragma_module_list WHERE name = 'concentration'"),
      0);
  sqlite3_close(without);
}
END_TEST

/* One check per line of expected_exports (a Check loop test: _i is the index). */
START_TEST(each_export_has_its_type_and_flags) {
  const export_spec *e = &expected_exports[_i];
  sqlite3 *db = pf_open();
  sqlite3_stmt *stmt = 0;
  if (e->kind == MODULE) {
    ck_assert_int_eq(sqlite3_prepare_v2(db, "SELECT count(*) FROM pragma_module_list "
                                            "WHERE name = ?1",
                                        -1, &stmt, 0),
                     SQLITE_OK);
    sqlite3_bind_text(stmt, 1, e->name, -1, SQLITE_STATIC);
    ck_assert_int_eq(sqlite3_step(stmt), SQLITE_ROW);
    ck_assert_msg(sqlite3_column_int(stmt, 0) == 1, "module %s is not registered", e->name);
  } else {
    int rows = 0;
    ck_assert_int_eq(sqlite3_prepare_v2(db, "SELECT type, enc, flags FROM pragma_function_list "
                                            "WHERE name = ?1 AND narg = ?2 AND builtin = 0",
                                        -1, &stmt, 0),
                     SQLITE_OK);
    sqlite3_bind_text(stmt, 1, e->name, -1, SQLITE_STATIC);
    sqlite3_bind_int(stmt, 2, e->narg);
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      const char *type = (const char *)sqlite3_column_text(stmt, 0);
      const char *enc = (const char *)sqlite3_column_text(stmt, 1);
      unsigned flags = (unsigned)sqlite3_column_int64(stmt, 2) & FLAG_BITS;
      rows++;
      ck_assert_msg(type && type[0] == e->type && type[1] == 0, "%s/%d: type %s, want %c",
                    e->name, e->narg, type ? type : "NULL", e->type);
      ck_assert_msg(enc && strcmp(enc, "utf8") == 0, "%s/%d: encoding %s, want utf8", e->name,
                    e->narg, enc ? enc : "NULL");
      ck_assert_msg(flags == e->flags,
                    "%s/%d: flags 0x%x (deterministic %d, innocuous %d, directonly %d), "
                    "want 0x%x",
                    e->name, e->narg, flags, !!(flags & SQLITE_DETERMINISTIC),
                    !!(flags & SQLITE_INNOCUOUS), !!(flags & SQLITE_DIRECTONLY), e->flags);
    }
    ck_assert_msg(rows == 1, "%s/%d: %d registrations, want exactly 1", e->name, e->narg, rows);
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
}
END_TEST

/* Every measure of the engine's list (pf_measures) has its unkeyed and keyed forms in
** expected_exports, as window functions and pure: a measure added to the list but not
** here fails (and the exact-list tests above then check it is really registered). */
START_TEST(every_measure_has_both_forms_listed) {
  const pf_measure *m = pf_measures[_i];
  int extra = m->extra_arg != 0, form;
  for (form = 0; form < 2; form++) {
    int narg = 1 + form + extra, i, found = 0;
    for (i = 0; i < N_EXPORTS; i++) {
      const export_spec *e = &expected_exports[i];
      if (e->kind == FUNCTION && strcmp(e->name, m->name) == 0 && e->narg == narg) {
        ck_assert_msg(e->type == 'w' && e->flags == PURE,
                      "%s/%d: listed as type %c flags 0x%x, want a pure window function",
                      m->name, narg, e->type, e->flags);
        found = 1;
      }
    }
    ck_assert_msg(found, "measure %s/%d is not in expected_exports", m->name, narg);
  }
}
END_TEST

/* Calls f(name, n, arg) for every space-separated word of `words`. */
static void each_word(const char *words, void (*f)(const char *, int, void *), void *arg) {
  while (*words) {
    int n = 0;
    while (*words == ' ') words++;
    while (words[n] && words[n] != ' ') n++;
    if (n) f(words, n, arg);
    words += n;
  }
}

static void want_word(const char *w, int n, void *db) {
  char *sql = sqlite3_mprintf("INSERT INTO want VALUES (%.*Q)", n, w);
  pf_exec(db, sql);
  sqlite3_free(sql);
}

#define NAMES_REGISTERED \
  "SELECT name FROM pragma_function_list UNION SELECT name FROM pragma_module_list"

/* One check per capability: on a connection without the extension, its init alone adds
** exactly the functions and modules its line of PF_CAPABILITIES names. */
START_TEST(each_capability_registers_exactly_its_exports) {
  const pf_capability *c = &pf_capabilities[_i];
  sqlite3 *db = open_without_extension();
  char *err = 0, *added, *missing;
  pf_exec(db, "CREATE TEMP TABLE base(k); CREATE TEMP TABLE want(k);"
              "INSERT INTO base " NAMES_REGISTERED ";");
  ck_assert_msg(c->init(db, &err) == SQLITE_OK, "pf_init_%s: %s", c->name, err ? err : "");
  each_word(c->exports, want_word, db);
  added = keys_of(db, NAMES_REGISTERED " EXCEPT SELECT k FROM base EXCEPT SELECT k FROM want");
  missing = keys_of(db, "SELECT k FROM want EXCEPT SELECT * FROM (" NAMES_REGISTERED
                        " EXCEPT SELECT k FROM base)");
  ck_assert_msg(added[0] == 0 && missing[0] == 0,
                "capability %s: registered but not in its exports: [%s]; in its exports but "
                "not registered: [%s]",
                c->name, added, missing);
  sqlite3_free(added);
  sqlite3_free(missing);
  sqlite3_close(db);
}
END_TEST

typedef struct word_count {
  const char *name;
  int count;
} word_count;

static void count_word(const char *w, int n, void *arg) {
  word_count *wc = arg;
  if ((int)strlen(wc->name) == n && memcmp(wc->name, w, (size_t)n) == 0) wc->count++;
}

/* The table and expected_exports name the same exports: each line of expected_exports
** belongs to exactly one capability, and each name a capability gives is listed. */
START_TEST(every_export_belongs_to_one_capability) {
  const export_spec *e = &expected_exports[_i];
  word_count wc = {e->name, 0};
  int i;
  for (i = 0; i < pf_capability_count; i++) each_word(pf_capabilities[i].exports, count_word, &wc);
  ck_assert_msg(wc.count == 1, "%s is in %d capabilities' exports (PF_CAPABILITIES), want 1",
                e->name, wc.count);
}
END_TEST

static void listed_word(const char *w, int n, void *capability) {
  int i, found = 0;
  for (i = 0; i < N_EXPORTS; i++)
    if ((int)strlen(expected_exports[i].name) == n &&
        memcmp(expected_exports[i].name, w, (size_t)n) == 0)
      found = 1;
  ck_assert_msg(found, "capability %s exports %.*s, which expected_exports does not list",
                (const char *)capability, n, w);
}

START_TEST(every_capability_export_is_listed) {
  each_word(pf_capabilities[_i].exports, listed_word, (void *)pf_capabilities[_i].name);
}
END_TEST

START_TEST(pure_functions_work_in_a_view_with_trusted_schema_off) {
  /* What the INNOCUOUS flag is for: a view stored in a database may call the function even
  ** when the schema is not trusted. */
  sqlite3 *db = pf_open();
  char buf[64];
  pf_exec(db, "PRAGMA trusted_schema = OFF;"
              "CREATE TABLE c(id, amount); INSERT INTO c VALUES (1, 30), (2, 30), (3, 20), (4, 20);"
              "CREATE VIEW v AS SELECT portfolio_version() AS version, herfindahl(amount) AS hhi,"
              "  herfindahl(id, amount) AS hhi_keyed, top_share(amount, 2) AS cr2,"
              "  top_share(id, amount, 2) AS cr2_keyed, gini(amount) AS g, gini(id, amount) AS gk,"
              "  hhi_band(herfindahl(amount)) AS band, hhi_band(herfindahl(amount), 2010) AS band10"
              "  FROM c;");
  /* 30/30/20/20: HHI 2600; top two hold 60 %; Gini = (|diffs| 8 * 10) / (2 * 16 * 25) = 0.1 */
  pf_assert_near(pf_double(db, "SELECT hhi FROM v"), 2600.0, 1e-12);
  pf_assert_near(pf_double(db, "SELECT hhi_keyed FROM v"), 2600.0, 1e-12);
  pf_assert_near(pf_double(db, "SELECT cr2 FROM v"), 0.6, 1e-12);
  pf_assert_near(pf_double(db, "SELECT cr2_keyed FROM v"), 0.6, 1e-12);
  pf_assert_near(pf_double(db, "SELECT g FROM v"), 0.1, 1e-12);
  pf_assert_near(pf_double(db, "SELECT gk FROM v"), 0.1, 1e-12);
  ck_assert_str_eq(pf_text(db, "SELECT band FROM v", buf, sizeof buf), "highly concentrated");
  ck_assert_str_eq(pf_text(db, "SELECT band10 FROM v", buf, sizeof buf),
                   "highly concentrated");
  ck_assert_str_eq(pf_text(db, "SELECT version FROM v", buf, sizeof buf), "0.1.0");
  sqlite3_close(db);
}
END_TEST

START_TEST(deterministic_scalars_work_in_generated_columns) {
  /* SQLite refuses a non-deterministic function in a generated column. */
  sqlite3 *db = pf_open();
  char buf[64];
  pf_exec(db, "CREATE TABLE m(hhi REAL, band TEXT AS (hhi_band(hhi)),"
              " band10 TEXT AS (hhi_band(hhi, 2010)), v TEXT AS (portfolio_version()));"
              "INSERT INTO m(hhi) VALUES (1500);");
  ck_assert_str_eq(pf_text(db, "SELECT band FROM m", buf, sizeof buf), "moderately concentrated");
  ck_assert_str_eq(pf_text(db, "SELECT band10 FROM m", buf, sizeof buf),
                   "moderately concentrated");
  ck_assert_str_eq(pf_text(db, "SELECT v FROM m", buf, sizeof buf), "0.1.0");
  sqlite3_close(db);
}
END_TEST

static Suite *make_suite(void) {
  Suite *s = suite_create("exports");
  TCase *list = tcase_create("list");
  TCase *each = tcase_create("each");
  TCase *use = tcase_create("use");
  tcase_add_test(list, functions_are_exactly_the_list);
  tcase_add_test(list, modules_are_exactly_the_list);
  tcase_add_test(list, the_connection_without_really_lacks_them);
  tcase_add_loop_test(each, each_export_has_its_type_and_flags, 0, N_EXPORTS);
  tcase_add_loop_test(each, every_measure_has_both_forms_listed, 0, pf_measure_count);
  tcase_add_loop_test(each, each_capability_registers_exactly_its_exports, 0,
                      pf_capability_count);
  tcase_add_loop_test(each, every_export_belongs_to_one_capability, 0, N_EXPORTS);
  tcase_add_loop_test(each, every_capability_export_is_listed, 0, pf_capability_count);
  tcase_add_test(use, pure_functions_work_in_a_view_with_trusted_schema_off);
  tcase_add_test(use, deterministic_scalars_work_in_generated_columns);
  suite_add_tcase(s, list);
  suite_add_tcase(s, each);
  suite_add_tcase(s, use);
  return s;
}

PF_TEST_MAIN
