/*
** model_json.c: the strict JSON reader of model_json.h.
**
** Rules:
**   1. Recursive descent over the bytes, depth-limited (PF_MJ_MAX_DEPTH).
**   2. A node's children are one array grown by doubling; a failed allocation frees what
**      was built and reports PF_NOMEM.
**   3. Numbers follow JSON's grammar exactly (no leading +, no leading zeros, digits after
**      '.' and 'e') and are converted with strtod on a NUL-terminated copy; one beyond the
**      double range is an error, not an infinity.
*/
#include "model_json.h"
#include "pf_host.h"
#include "portfolio_core.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct reader {
  const unsigned char *z;
  size_t n, i;
  char *err;
  size_t size;
  int nomem;
} reader;

static int error(reader *r, const char *what) {
  if (!r->nomem) snprintf(r->err, r->size, "%s at byte %zu", what, r->i);
  return 0;
}

static int nomem(reader *r) {
  r->nomem = 1;
  return 0;
}

static void skip_space(reader *r) {
  while (r->i < r->n && (r->z[r->i] == ' ' || r->z[r->i] == '\t' || r->z[r->i] == '\n' ||
                         r->z[r->i] == '\r'))
    r->i++;
}

static void free_node(pf_mj_node *x) {
  size_t k;
  for (k = 0; k < x->count; k++) free_node(&x->children[k]);
  pf_free(x->children);
  pf_free(x->string);
  pf_free(x->key);
}

/* ---- strings ------------------------------------------------------------------------- */

typedef struct buffer {
  char *p;
  size_t n, cap;
} buffer;

static int put(reader *r, buffer *b, const char *z, size_t k) {
  if (b->n + k + 1 > b->cap) {
    size_t cap = b->cap ? b->cap * 2 : 32;
    char *p;
    while (cap < b->n + k + 1) cap *= 2;
    p = pf_realloc(b->p, cap);
    if (p == 0) return nomem(r);
    b->p = p;
    b->cap = cap;
  }
  memcpy(b->p + b->n, z, k);
  b->n += k;
  b->p[b->n] = 0;
  return 1;
}

static int hex4(reader *r, unsigned *out) {
  unsigned v = 0;
  int k;
  if (r->i + 4 > r->n) return error(r, "a \\u escape needs 4 hex digits");
  for (k = 0; k < 4; k++) {
    unsigned char c = r->z[r->i + k];
    v <<= 4;
    if (c >= '0' && c <= '9') v |= c - '0';
    else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f') v |= (c | 0x20) - 'a' + 10;
    else return error(r, "a \\u escape needs 4 hex digits");
  }
  r->i += 4;
  *out = v;
  return 1;
}

static int put_utf8(reader *r, buffer *b, unsigned c) {
  char u[4];
  size_t k;
  if (c < 0x80) { u[0] = (char)c; k = 1; }
  else if (c < 0x800) { u[0] = (char)(0xC0 | c >> 6); u[1] = (char)(0x80 | (c & 63)); k = 2; }
  else if (c < 0x10000) {
    u[0] = (char)(0xE0 | c >> 12); u[1] = (char)(0x80 | (c >> 6 & 63));
    u[2] = (char)(0x80 | (c & 63)); k = 3;
  } else {
    u[0] = (char)(0xF0 | c >> 18); u[1] = (char)(0x80 | (c >> 12 & 63));
    u[2] = (char)(0x80 | (c >> 6 & 63)); u[3] = (char)(0x80 | (c & 63)); k = 4;
  }
  return put(r, b, u, k);
}

/* \uXXXX after the backslash-u, joining a surrogate pair. */
static int unicode_escape(reader *r, buffer *b) {
  unsigned c, low;
  if (!hex4(r, &c)) return 0;
  if (c >= 0xDC00 && c <= 0xDFFF) return error(r, "a lone low surrogate in a \\u escape");
  if (c >= 0xD800 && c <= 0xDBFF) {
    if (r->i + 2 > r->n || r->z[r->i] != '\\' || r->z[r->i + 1] != 'u')
      return error(r, "a high surrogate \\u escape without its low half");
    r->i += 2;
    if (!hex4(r, &low)) return 0;
    if (low < 0xDC00 || low > 0xDFFF)
      return error(r, "a high surrogate \\u escape without its low half");
    c = 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00);
  }
  return put_utf8(r, b, c);
}

/* Length of the valid UTF-8 sequence at z[0..n) (lead byte >= 0x80), or 0. */
static size_t utf8_length(const unsigned char *z, size_t n) {
  size_t k, len;
  unsigned c = z[0], min;
  if (c >= 0xC2 && c <= 0xDF) { len = 2; c &= 0x1F; min = 0x80; }
  else if (c >= 0xE0 && c <= 0xEF) { len = 3; c &= 0x0F; min = 0x800; }
  else if (c >= 0xF0 && c <= 0xF4) { len = 4; c &= 0x07; min = 0x10000; }
  else return 0;
  if (len > n) return 0;
  for (k = 1; k < len; k++) {
    if ((z[k] & 0xC0) != 0x80) return 0;
    c = c << 6 | (z[k] & 0x3F);
  }
  if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return 0;
  return len;
}

/* A string at r->i (the opening quote) into *out (pf_malloc'd) and *len. */
static int read_string(reader *r, char **out, size_t *len) {
  buffer b = {0, 0, 0};
  r->i++;
  if (!put(r, &b, "", 0)) return 0;
  for (;;) {
    unsigned char c;
    if (r->i >= r->n) { pf_free(b.p); return error(r, "a string without its closing quote"); }
    c = r->z[r->i];
    if (c == '"') break;
    if (c < 0x20) { pf_free(b.p); return error(r, "a control character in a string"); }
    if (c == '\\') {
      static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
      const char *e;
      int ok;
      r->i++;
      if (r->i >= r->n) { pf_free(b.p); return error(r, "a string without its closing quote"); }
      e = r->z[r->i] ? strchr(from, r->z[r->i]) : 0;
      if (r->z[r->i] == 'u') {
        r->i++;
        ok = unicode_escape(r, &b);
      } else if (e) {
        r->i++;
        ok = put(r, &b, &to[e - from], 1);
      } else {
        ok = error(r, "an unknown escape in a string");
      }
      if (!ok) { pf_free(b.p); return 0; }
    } else if (c < 0x80) {
      if (!put(r, &b, (const char *)&r->z[r->i++], 1)) { pf_free(b.p); return 0; }
    } else {
      size_t k = utf8_length(r->z + r->i, r->n - r->i);
      if (k == 0) { pf_free(b.p); return error(r, "invalid UTF-8 in a string"); }
      if (!put(r, &b, (const char *)&r->z[r->i], k)) { pf_free(b.p); return 0; }
      r->i += k;
    }
  }
  r->i++;
  *out = b.p;
  *len = b.n;
  return 1;
}

/* ---- numbers and values -------------------------------------------------------------- */

static int digits(reader *r) {
  size_t start = r->i;
  while (r->i < r->n && r->z[r->i] >= '0' && r->z[r->i] <= '9') r->i++;
  return r->i > start;
}

static int read_number(reader *r, pf_mj_node *x) {
  size_t start = r->i;
  char small[64], *copy = small;
  if (r->i < r->n && r->z[r->i] == '-') r->i++;
  if (r->i < r->n && r->z[r->i] == '0') r->i++;
  else if (!digits(r)) return error(r, "not a JSON value");
  if (r->i < r->n && r->z[r->i] == '.') {
    r->i++;
    if (!digits(r)) return error(r, "a number needs digits after '.'");
  }
  if (r->i < r->n && (r->z[r->i] | 0x20) == 'e') {
    r->i++;
    if (r->i < r->n && (r->z[r->i] == '+' || r->z[r->i] == '-')) r->i++;
    if (!digits(r)) return error(r, "a number needs digits in its exponent");
  }
  if (r->i - start >= sizeof(small)) {
    copy = pf_malloc(r->i - start + 1);
    if (copy == 0) return nomem(r);
  }
  memcpy(copy, r->z + start, r->i - start);
  copy[r->i - start] = 0;
  x->kind = PF_MJ_NUMBER;
  x->number = strtod(copy, 0);
  if (copy != small) pf_free(copy);
  if (!isfinite(x->number)) return error(r, "a number beyond the range of a double");
  return 1;
}

static int read_value(reader *r, pf_mj_node *x, int depth);

static int push_child(reader *r, pf_mj_node *x, size_t *cap) {
  if (x->count == *cap) {
    size_t n = *cap ? *cap * 2 : 4;
    pf_mj_node *p = pf_realloc(x->children, n * sizeof(*p));
    if (p == 0) return nomem(r);
    x->children = p;
    *cap = n;
  }
  memset(&x->children[x->count], 0, sizeof(pf_mj_node));
  return 1;
}

static int has_key(const pf_mj_node *x, const char *key, size_t n) {
  size_t k;
  for (k = 0; k + 1 < x->count; k++)
    if (x->children[k].key_length == n && memcmp(x->children[k].key, key, n) == 0) return 1;
  return 0;
}

/* An array or object at r->i; close is ']' or '}'. */
static int read_container(reader *r, pf_mj_node *x, int depth, char close) {
  size_t cap = 0;
  x->kind = close == ']' ? PF_MJ_ARRAY : PF_MJ_OBJECT;
  if (depth >= PF_MJ_MAX_DEPTH) return error(r, "arrays and objects nested too deep");
  r->i++;
  skip_space(r);
  if (r->i < r->n && r->z[r->i] == close) { r->i++; return 1; }
  for (;;) {
    pf_mj_node *child;
    if (!push_child(r, x, &cap)) return 0;
    child = &x->children[x->count++];
    skip_space(r);
    if (close == '}') {
      size_t at = r->i;
      if (r->i >= r->n || r->z[r->i] != '"') return error(r, "an object key must be a string");
      if (!read_string(r, &child->key, &child->key_length)) return 0;
      if (has_key(x, child->key, child->key_length)) {
        r->i = at; /* point at the key, not past it */
        return error(r, "a key given twice");
      }
      skip_space(r);
      if (r->i >= r->n || r->z[r->i] != ':') return error(r, "':' expected after a key");
      r->i++;
    }
    if (!read_value(r, child, depth + 1)) return 0;
    skip_space(r);
    if (r->i < r->n && r->z[r->i] == ',') { r->i++; continue; }
    if (r->i < r->n && r->z[r->i] == close) { r->i++; return 1; }
    return error(r, close == ']' ? "',' or ']' expected" : "',' or '}' expected");
  }
}

static int literal(reader *r, const char *word, int kind, pf_mj_node *x) {
  size_t k = strlen(word);
  if (r->n - r->i < k || memcmp(r->z + r->i, word, k) != 0) return error(r, "not a JSON value");
  r->i += k;
  x->kind = kind;
  return 1;
}

static int read_value(reader *r, pf_mj_node *x, int depth) {
  skip_space(r);
  if (r->i >= r->n) return error(r, "a value expected");
  switch (r->z[r->i]) {
    case '{': return read_container(r, x, depth, '}');
    case '[': return read_container(r, x, depth, ']');
    case '"': x->kind = PF_MJ_STRING; return read_string(r, &x->string, &x->length);
    case 't': return literal(r, "true", PF_MJ_TRUE, x);
    case 'f': return literal(r, "false", PF_MJ_FALSE, x);
    case 'n': return literal(r, "null", PF_MJ_NULL, x);
    default: return read_number(r, x);
  }
}

int pf_mj_parse(const char *text, size_t n, pf_mj_node **root, char *err, size_t size) {
  reader r;
  pf_mj_node *x = pf_malloc(sizeof(*x));
  *root = 0;
  if (x == 0) return PF_NOMEM;
  memset(x, 0, sizeof(*x));
  memset(&r, 0, sizeof(r));
  r.z = (const unsigned char *)text;
  r.n = n;
  r.err = err;
  r.size = size;
  if (read_value(&r, x, 0)) {
    skip_space(&r);
    if (r.i == r.n) {
      *root = x;
      return PF_OK;
    }
    error(&r, "text after the JSON value");
  }
  pf_mj_free(x);
  return r.nomem ? PF_NOMEM : PF_RANGE;
}

void pf_mj_free(pf_mj_node *root) {
  if (root == 0) return;
  free_node(root);
  pf_free(root);
}

const pf_mj_node *pf_mj_get(const pf_mj_node *obj, const char *key) {
  size_t k;
  if (obj == 0 || obj->kind != PF_MJ_OBJECT) return 0;
  for (k = 0; k < obj->count; k++)
    if (strcmp(obj->children[k].key, key) == 0) return &obj->children[k];
  return 0;
}

const pf_mj_node *pf_mj_child(const pf_mj_node *node, size_t i) { return &node->children[i]; }
