/*
** model_json.h: a small strict JSON reader into a tree, for reading risk models
** (core_risk_model_json.c).
**
** Included by: model_json.c, which implements it, and core_risk_model_json.c.
** Rules:
**   1. RFC 8259 strictly: one value and nothing after it but white space; no comments, no
**      trailing commas, no NaN/Infinity, numbers in JSON's grammar that fit a double;
**      strings valid UTF-8 with their escapes (\uXXXX surrogate pairs joined, a lone
**      surrogate is an error); a key twice in one object is an error.
**   2. At most PF_MJ_MAX_DEPTH nested arrays/objects, so a hostile text cannot exhaust
**      the stack.
**   3. Memory only through pf_host.h; one pf_mj_free frees the whole tree.
**   4. Errors fill the caller's buffer with what is wrong and where (byte offset).
*/
#ifndef PORTFOLIO_MODEL_JSON_H
#define PORTFOLIO_MODEL_JSON_H

#include <stddef.h>

enum { PF_MJ_NULL, PF_MJ_FALSE, PF_MJ_TRUE, PF_MJ_NUMBER, PF_MJ_STRING, PF_MJ_ARRAY,
       PF_MJ_OBJECT };
#define PF_MJ_MAX_DEPTH 64

typedef struct pf_mj_node {
  int kind;
  char *key;       /* member of an object: its key (NUL-terminated), else NULL */
  size_t key_length;
  double number;   /* PF_MJ_NUMBER */
  char *string;    /* PF_MJ_STRING: the decoded bytes, NUL-terminated */
  size_t length;   /* bytes of string */
  size_t count;    /* PF_MJ_ARRAY / PF_MJ_OBJECT: children, in document order */
  struct pf_mj_node *children;
} pf_mj_node;

/* Parses text[0..n) into *root. PF_OK, PF_NOMEM, or PF_RANGE with err[0..size) set. */
int pf_mj_parse(const char *text, size_t n, pf_mj_node **root, char *err, size_t size);
void pf_mj_free(pf_mj_node *root);
/* The member `key` of an object, or NULL (also when obj is not an object). */
const pf_mj_node *pf_mj_get(const pf_mj_node *obj, const char *key);
/* Child i of an array or object. */
const pf_mj_node *pf_mj_child(const pf_mj_node *node, size_t i);

#endif
