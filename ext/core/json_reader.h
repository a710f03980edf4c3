/*
** json_reader.h: a strict JSON reader for the core (no host calls), so that every host
** reads `weights`, `thresholds`, options and learnt models the same way, without asking
** the database (a table named json_each can then change nothing).
**
** Included by: json_reader.c, which implements it, and the host code that reads JSON
** arguments (ext/sqlite/json_numbers.c, the model and options readers).
**
** Use:
**     pf_json_doc *doc; pf_json_error err;
**     int rc = pf_json_parse(text, n, &doc, &err);   // PF_JSON_OK / _INVALID / _NOMEM
**     const pf_json_node *w = pf_json_get(doc->root, "weights");
**     for (c = doc->root->first; c; c = c->next) ... c->key, c->kind, c->number ...
**     pf_json_free(doc);
** The document owns all its memory (one pf_malloc block): it stays valid after the input
** text is freed, and one pf_json_free releases it.
*/
#ifndef PORTFOLIO_JSON_READER_H
#define PORTFOLIO_JSON_READER_H

#include <stddef.h>

/* Deeper nesting is an error (the reader recurses once per level). */
#define PF_JSON_MAX_DEPTH 64
/* A longer input is an error: arguments are small, and this bounds the work per call. */
#define PF_JSON_MAX_BYTES 1000000

enum { PF_JSON_OK = 0, PF_JSON_INVALID = 1, PF_JSON_NOMEM = 2 };

typedef enum pf_json_kind {
  PF_JSON_NULL,
  PF_JSON_FALSE,
  PF_JSON_TRUE,
  PF_JSON_NUMBER,
  PF_JSON_STRING,
  PF_JSON_ARRAY,
  PF_JSON_OBJECT
} pf_json_kind;

typedef struct pf_json_node pf_json_node;
struct pf_json_node {
  pf_json_kind kind;
  const char *key;     /* a member of an object: its decoded key (NUL-terminated); else 0 */
  size_t key_len;      /* bytes of key (a key may hold \u0000) */
  double number;       /* PF_JSON_NUMBER: the value as strtod reads it (always finite) */
  int is_integer;      /* PF_JSON_NUMBER written without fraction or exponent */
  const char *string;  /* PF_JSON_STRING: decoded UTF-8, NUL-terminated */
  size_t string_len;   /* bytes of string */
  const char *source;  /* the value as written in the input (not NUL-terminated) */
  size_t source_len;
  size_t count;        /* PF_JSON_ARRAY / PF_JSON_OBJECT: number of children */
  pf_json_node *first; /* first child, in document order */
  pf_json_node *next;  /* next sibling */
};

typedef struct pf_json_doc {
  pf_json_node *root;
} pf_json_doc;

/* Why an input was refused. */
typedef enum pf_json_problem {
  PF_JSON_NO_PROBLEM,
  PF_JSON_TOO_LONG,      /* more than PF_JSON_MAX_BYTES */
  PF_JSON_TOO_DEEP,      /* nesting deeper than PF_JSON_MAX_DEPTH */
  PF_JSON_EMPTY,         /* nothing but white space */
  PF_JSON_UNEXPECTED,    /* a character that cannot start or continue a value here */
  PF_JSON_TRAILING,      /* something after the top-level value */
  PF_JSON_BAD_NUMBER,    /* not the JSON number grammar (leading 0, 1., .5, +1, NaN...) */
  PF_JSON_NUMBER_RANGE,  /* a number beyond the double range (1e999) */
  PF_JSON_BAD_STRING,    /* unterminated string or a raw control character in it */
  PF_JSON_BAD_ESCAPE,    /* an unknown escape or a \u without 4 hex digits */
  PF_JSON_BAD_SURROGATE, /* a lone or misordered UTF-16 surrogate in \u escapes */
  PF_JSON_BAD_UTF8,      /* bytes that are not valid UTF-8 */
  PF_JSON_DUPLICATE_KEY  /* an object naming one key twice (exact bytes) */
} pf_json_problem;

typedef struct pf_json_error {
  pf_json_problem problem;
  size_t offset; /* byte of the input where it was found */
} pf_json_error;

/* Parses text[0..n) (need not be NUL-terminated). PF_JSON_OK with *out set (free it with
** pf_json_free); PF_JSON_INVALID with *err set; PF_JSON_NOMEM. *out is 0 on failure. */
int pf_json_parse(const char *text, size_t n, pf_json_doc **out, pf_json_error *err);
void pf_json_free(pf_json_doc *doc); /* doc may be 0 */

/* The member of object with this key (exact bytes), or 0 (also when not an object). */
const pf_json_node *pf_json_get(const pf_json_node *object, const char *key);
/* Child i of an array or object in document order, or 0. O(i). */
const pf_json_node *pf_json_at(const pf_json_node *container, size_t i);
/* "null", "false", "true", "number", "string", "array", "object". */
const char *pf_json_kind_name(pf_json_kind kind);
/* What the problem is, in words, for the host's message: "duplicate key". */
const char *pf_json_problem_text(pf_json_problem problem);

#endif
