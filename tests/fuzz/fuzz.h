/*
** fuzz.h: what the parts of the libFuzzer harness share (tests/fuzz/fuzz_*.c): the input
** read as a little program, the values bound from it, the oracles every statement is
** run through, and the actions LLVMFuzzerTestOneInput chooses between.
**
** Included by: tests/fuzz/fuzz_portfolio.c, fuzz_values.c, fuzz_oracles.c, fuzz_actions.c,
** fuzz_models.c, fuzz_vtabs.c.
*/
#ifndef PORTFOLIO_FUZZ_H
#define PORTFOLIO_FUZZ_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define MAX_ROWS 64
#define MAX_ARGS 9
#define MAX_TEXT (1 << 20)
#define STEP_BUDGET 5000 /* progress-handler calls (every 100 VM ops) before interrupt */

typedef struct input {
  const uint8_t *p;
  size_t n;
} input;

/* fuzz_values.c: the next byte (0 past the end), 8 bytes, up to max bytes as text (not
** NUL-terminated), one entry of a list; a value of any type bound to parameter i. */
unsigned take(input *in);
uint64_t take64(input *in);
const char *take_bytes(input *in, size_t max, size_t *len);
const char *pick(input *in, const char *const *list, size_t count);
#define PICK(in, list) pick(in, list, sizeof(list) / sizeof(list[0]))
void bind_value(sqlite3_stmt *stmt, int i, input *in);
extern const char *const factor_names[26];

/* fuzz_portfolio.c: progress-handler calls left to the statement now running (reset
** before each action). */
extern int budget;

/* fuzz_oracles.c: abort with what was wrong and the statement; run a prepared statement to
** the end, checking column col of each row as function fn (0: no range to check), and
** finalize it; prepare one (0 when it does not compile), or a call of fn with argc
** parameters followed by tail. */
void fail(const char *what, const char *sql);
void run(sqlite3 *db, sqlite3_stmt *stmt, const char *fn, int col);
sqlite3_stmt *prepare(sqlite3 *db, const char *sql);
sqlite3_stmt *prepare_call(sqlite3 *db, const char *fn, int argc, const char *tail);

/* fuzz_actions.c and fuzz_models.c: one action each, reading what it needs from in. */
void action_scalar(sqlite3 *db, input *in);
void fill_rows(sqlite3 *db, input *in);
void action_aggregate(sqlite3 *db, input *in);
void action_concentration(sqlite3 *db, input *in, int by);
void action_risk(sqlite3 *db, input *in);
void action_learnt(sqlite3 *db, input *in);
void action_tables(sqlite3 *db, input *in);
/* fuzz_vtabs.c: the module, view and declared tables the action reads (once, at start). */
void vtabs_init(sqlite3 *db);
void action_vtabs(sqlite3 *db, input *in);

#endif
