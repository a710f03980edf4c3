/*
** fuzz_vtabs.c: rule 10 of the query runner (ext/sqlite/query_vtabs.c), the virtual tables
** a query argument may read, as an action of fuzz_portfolio.c.
**
**   1. The harness registers fuzz_leaky, an eponymous-only module standing in for fsdir,
**      whose xFilter aborts: only a concentration query could name it, and the runner must
**      refuse that query before it runs. A TEMP view over it hides it; dbstat and
**      sqlite_stmt (eponymous tables of Debian's libsqlite3) are refused as well. Declared
**      tables may be read: an FTS4 table in main and an FTS5 table in temp.
**   2. The action builds a query from one to three of these tables, each placed in FROM,
**      in a CTE, a derived table, a scalar subquery, an EXISTS, or a nested concentration,
**      and runs it through concentration or concentration_by.
**   3. Oracle: a query naming a refused table fails with an error naming one of the refused
**      tables it reads; one that names none succeeds. An interrupt (the step budget) or
**      out of memory gives no verdict; generate_series, which this libsqlite3 lacks, must
**      then fail as an unknown table.
*/

#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "../stub_vtab.h"

/* fuzz_leaky's scans (tests/stub_vtab.h: one column v, rows 10, 20, 30) abort. */
static void leaky_scan(void) {
  fprintf(stderr, "a query argument scanned a virtual table the runner must refuse\n");
  abort();
}

static int have_generate_series;

void vtabs_init(sqlite3 *db) {
  sqlite3_stmt *stmt = 0;
  if (sqlite3_create_module(db, "fuzz_leaky", &stub_vtab_module, (void *)leaky_scan) !=
          SQLITE_OK ||
      sqlite3_exec(db,
                   "CREATE TEMP VIEW leaky_view AS SELECT v FROM fuzz_leaky;"
                   "CREATE VIRTUAL TABLE ft USING fts4(k, body);"
                   "INSERT INTO ft VALUES ('x', 'a b'), ('y', 'b c'), ('x', 'c');"
                   "CREATE VIRTUAL TABLE temp.ft5 USING fts5(body);"
                   "INSERT INTO ft5 VALUES ('apple'), ('plum');",
                   0, 0, 0) != SQLITE_OK ||
      sqlite3_prepare_v2(db, "SELECT count(*) FROM pragma_module_list"
                             " WHERE name = 'generate_series'", -1, &stmt, 0) != SQLITE_OK ||
      sqlite3_step(stmt) != SQLITE_ROW)
    abort();
  have_generate_series = sqlite3_column_int(stmt, 0);
  sqlite3_finalize(stmt);
}

/* ---- the action ----------------------------------------------------------------------- */

typedef struct vtab_item {
  const char *from;    /* a FROM item */
  const char *column;  /* one of its columns */
  const char *refused; /* the name the refusal gives, 0 when it may be read */
} vtab_item;

static const vtab_item items[] = {
    {"json_each('[1, \"a\", null, 2.5]')", "value", 0},
    {"json_tree('{\"a\": [1, {\"b\": 2}]}')", "fullkey", 0},
    {"generate_series(1, 7)", "value", 0},
    {"pragma_table_info('t')", "name", 0},
    {"pragma_function_list", "name", 0},
    {"pragma_module_list", "name", 0},
    {"pragma_database_list", "name", 0},
    {"pragma_compile_options", "compile_options", 0},
    {"phases", "phase", 0},
    {"risk_industries", "industry", 0},
    {"concentration('SELECT 1, 2')", "customer", 0},
    {"ft", "body", 0},
    {"temp.ft5", "body", 0},
    {"fuzz_leaky", "v", "fuzz_leaky"},
    {"leaky_view", "v", "fuzz_leaky"},
    {"dbstat", "name", "dbstat"},
    {"sqlite_stmt", "sql", "sqlite_stmt"},
};
#define N_ITEMS (sizeof(items) / sizeof(items[0]))

typedef struct text {
  char z[2048];
  size_t n;
} text;

/* Appends printf-style; when `quoted`, with every ' doubled (inside a SQL string). */
static void put(text *t, int quoted, const char *fmt, const char *a, const char *b) {
  char piece[512];
  size_t i;
  snprintf(piece, sizeof piece, fmt, a, b);
  for (i = 0; piece[i] && t->n + 2 < sizeof t->z; i++) {
    if (quoted && piece[i] == '\'') t->z[t->n++] = '\'';
    t->z[t->n++] = piece[i];
  }
  t->z[t->n] = 0;
}

/* The query: SELECT [1,] customer, amount FROM ... WHERE ... LIMIT 40, in three parts. */
typedef struct query {
  text with, from, amount, where;
  const char *customer; /* the column of the first FROM item, */
  int customer_item;    /* and its alias's number */
  int n_from;
} query;

static void place(query *q, const vtab_item *it, unsigned how, int i) {
  char alias[16], cte[16];
  snprintf(alias, sizeof alias, "i%d", i);
  snprintf(cte, sizeof cte, "c%d", i);
  if (how <= 2 && q->n_from++) put(&q->from, 0, ", ", 0, 0);
  switch (how) {
    case 0: put(&q->from, 0, "%s AS %s", it->from, alias); break;
    case 1:
      put(&q->with, 0, q->with.n ? ", %s(x) AS " : "WITH %s(x) AS ", cte, 0);
      put(&q->with, 0, "(SELECT %s FROM %s)", it->column, it->from);
      put(&q->from, 0, "%s AS %s", cte, alias);
      break;
    case 2:
      put(&q->from, 0, "(SELECT %s AS x FROM %s)", it->column, it->from);
      put(&q->from, 0, " AS %s", alias, 0);
      break;
    case 3:
      put(&q->amount, 0, " + coalesce((SELECT length(CAST(max(%s) AS TEXT)) FROM %s), 0)",
          it->column, it->from);
      break;
    case 4: put(&q->where, 0, " AND EXISTS (SELECT 1 FROM %s)", it->from, 0); break;
    default:
      put(&q->amount, 0, " + coalesce((SELECT max(amount) FROM concentration('SELECT %s,",
          it->column, 0);
      put(&q->amount, 1, " 1 FROM %s", it->from, 0);
      put(&q->amount, 0, "')), 0)", 0, 0);
      break;
  }
  if (how <= 2 && q->customer == 0) {
    q->customer = how == 0 ? it->column : "x";
    q->customer_item = i;
  }
}

/* The verdict on the error message of a query that read `refused` (a space-separated list
** of names, empty when none) and, when `unknown`, generate_series of a libsqlite3 lacking
** it: 1 when the message is right. */
static int error_is_right(const char *msg, const char *refused, int unknown) {
  char want[64];
  const char *p = refused;
  if (strstr(msg, "interrupted") || strstr(msg, "out of memory")) return 1;
  if (unknown && strstr(msg, "no such table: generate_series")) return 1;
  while (*p == ' ') p++;
  while (*p) {
    size_t n = strcspn(p, " ");
    snprintf(want, sizeof want, "may not read the virtual table %.*s (", (int)n, p);
    if (strstr(msg, want)) return 1;
    p += n;
    while (*p == ' ') p++;
  }
  return 0;
}

void action_vtabs(sqlite3 *db, input *in) {
  query q;
  char refused[128] = "", sql[64], alias[16];
  text full;
  int count = 1 + (int)(take(in) % 3), by = take(in) % 2, unknown = 0, i, rc;
  sqlite3_stmt *stmt;
  memset(&q, 0, sizeof q);
  full.n = 0;
  for (i = 0; i < count; i++) {
    const vtab_item *it = &items[take(in) % N_ITEMS];
    place(&q, it, take(in) % 6, i);
    if (it->refused) strncat(refused, it->refused, sizeof refused - strlen(refused) - 2);
    if (it->refused) strcat(refused, " ");
    unknown |= !have_generate_series && strncmp(it->from, "generate_series", 15) == 0;
  }
  if (q.n_from == 0) put(&q.from, 0, "(SELECT 'c' AS x) AS i0", 0, 0);
  put(&full, 0, "%s SELECT %s", q.with.z, by ? "1, " : "");
  snprintf(alias, sizeof alias, "i%d", q.customer_item);
  put(&full, 0, "CAST(%s.%s AS TEXT), ", alias, q.customer ? q.customer : "x");
  put(&full, 0, "1%s", q.amount.z, 0);
  put(&full, 0, " FROM %s WHERE 1%s LIMIT 40", q.from.z, q.where.z);
  snprintf(sql, sizeof sql, "SELECT * FROM %s(?)", by ? "concentration_by" : "concentration");
  if ((stmt = prepare(db, sql)) == 0) return;
  sqlite3_bind_text(stmt, 1, full.z, (int)full.n, SQLITE_STATIC);
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) continue;
  if (getenv("FUZZ_VERBOSE"))
    fprintf(stderr, "ran: %s -> %s\n", full.z, sqlite3_errmsg(db));
  if (rc == SQLITE_DONE && (refused[0] || unknown))
    fail("a query reading a refused (or unknown) virtual table ran", full.z);
  if (rc != SQLITE_DONE && !error_is_right(sqlite3_errmsg(db), refused, unknown))
    fail(refused[0] ? "the refusal does not name a refused table the query reads"
                    : "a query reading only allowed virtual tables failed",
         full.z);
  sqlite3_finalize(stmt);
}
