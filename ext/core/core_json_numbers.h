/*
** core_json_numbers.h: reading a JSON object of name -> number (risk_score's weights,
** phase_of's thresholds) with the core's strict JSON reader, messages included, so every
** host accepts and refuses the same objects with the same words.
**
** Included by: core_json_numbers.c, which implements it, core_risk.h, and the host code that
** takes such an argument (ext/sqlite/json_numbers.h, postgres/pg_risk.c).
** Rules:
**   1. The text must be valid JSON (json_reader.c) whose top level is an object; else
**      "<fn>: <arg> must be valid JSON (<problem> at byte N), got '<text>'" or
**      "<fn>: <arg> must be a JSON object, got '<text>'" (the text quoted as SQL, cut at
**      PF_QUOTE_MAX bytes). NULL, '' and non-text values are the host's to handle.
**   2. Keys are matched ignoring ASCII case; an unknown key is an error listing the known
**      ones, a key given twice is an error.
**   3. Values must be JSON numbers the caller accepts; a string, true/false/null, an
**      array, an object or an out-of-range number is an error naming the key and the value.
*/
#ifndef PORTFOLIO_CORE_JSON_NUMBERS_H
#define PORTFOLIO_CORE_JSON_NUMBERS_H

#include <stddef.h>

#include "core_text.h"

/* The most keys one object may name: one bit each in an unsigned mask. */
#define PF_JSON_MAX_KEYS 32
/* Return code of pf_json_numbers_parse besides PF_OK and PF_NOMEM: the object is refused. */
enum { PF_JSON_NUMBERS_BAD = 30 };

/* How one function reads its JSON argument. */
typedef struct pf_json_keys {
  const char *fn;   /* function name, first word of every message */
  const char *arg;  /* argument name: "weights" */
  const char *noun; /* what a key is, for "unknown <noun> 'x' in <arg>" */
  int (*find)(const char *name, int n); /* key -> index (< PF_JSON_MAX_KEYS) or -1 */
  int (*accepts)(int i, double value); /* 1 when key i may have this (finite) value */
  const char *(*expect)(int i);         /* what key i must be: "a number >= 0" */
  void (*known)(pf_text *t);            /* appends the known keys: "a, b, c" */
} pf_json_keys;

/* The numbers of one JSON object: seen has bit i set when key i was given. */
typedef struct pf_json_numbers {
  unsigned seen;
  double value[PF_JSON_MAX_KEYS];
} pf_json_numbers;

/* Reads text[0..n) into *out (cleared first). PF_OK; PF_NOMEM; or PF_JSON_NUMBERS_BAD with
** *message set to the whole error message (pf_malloc memory the caller frees with pf_free;
** NULL if even that could not be had: report out of memory). */
int pf_json_numbers_parse(const pf_json_keys *keys, const char *text, size_t n,
                          pf_json_numbers *out, char **message);

#endif
