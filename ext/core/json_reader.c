/*
** json_reader.c: the strict JSON reader of json_reader.h (RFC 8259, nothing more).
**
**   1. Grammar: objects, arrays, strings, numbers, true, false, null, with white space
**      (space, tab, CR, LF) between tokens. Anything else, or anything after the top-level
**      value, is an error giving the problem and its byte offset.
**   2. Strings: raw bytes must be valid UTF-8 (no overlong forms, no encoded surrogates,
**      nothing above U+10FFFF) and not control characters; escapes are \" \\ \/ \b \f \n
**      \r \t and \uXXXX, where a high surrogate must be followed by a low one (a pair
**      gives one code point) and a lone surrogate is an error. Strings are stored decoded.
**   3. Numbers: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?, converted with strtod on
**      exactly that token. A result beyond the double range (1e999) is an error, so every
**      number is finite; an underflow (1e-400) reads as strtod gives it (0 or subnormal).
**      NaN, Infinity, hex, leading '+' or '0' are not JSON and are errors.
**   4. Objects: a key given twice (the same decoded bytes) is an error. Objects of more
**      than a few members are checked by sorting their keys, so a hostile input costs
**      O(k log k), not O(k^2).
**   5. Limits: at most PF_JSON_MAX_BYTES of input and PF_JSON_MAX_DEPTH levels of
**      nesting (the reader recurses once per level, so the stack is bounded).
**   6. Memory: pf_malloc only. While parsing, nodes and decoded strings grow in two
**      arrays addressed by index; at the end they are moved into one block (document,
**      nodes, a copy of the input, strings) that pf_json_free releases at once.
*/
#include "json_reader.h"
#include "pf_host.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define NONE ((size_t)-1)

/* A node while parsing: positions instead of pointers, as the arrays move when they grow. */
typedef struct raw_node {
  pf_json_kind kind;
  int is_integer;
  double number;
  size_t key_off, key_len; /* in bytes; key_off NONE: not a member */
  size_t key_at;           /* the key's offset in the input */
  size_t str_off, str_len; /* in bytes */
  size_t src_off, src_len; /* in the input */
  size_t count;
  size_t first, next; /* node indexes, NONE for none */
} raw_node;

typedef struct parser {
  const unsigned char *in;
  size_t n, pos;
  raw_node *nodes;
  size_t n_nodes, cap_nodes;
  char *bytes;
  size_t n_bytes, cap_bytes;
  pf_json_error *err;
  int nomem;
} parser;

static int fail(parser *p, pf_json_problem problem, size_t offset) {
  if (p->err->problem == PF_JSON_NO_PROBLEM) {
    p->err->problem = problem;
    p->err->offset = offset;
  }
  return 0;
}

static int grow(void **array, size_t *cap, size_t need, size_t size, parser *p) {
  size_t want;
  void *bigger;
  if (need <= *cap) return 1;
  want = *cap ? *cap * 2 : 16;
  while (want < need) want *= 2;
  bigger = pf_realloc(*array, (uint64_t)want * size);
  if (bigger == 0) {
    p->nomem = 1;
    return 0;
  }
  *array = bigger;
  *cap = want;
  return 1;
}

static size_t new_node(parser *p, pf_json_kind kind) {
  raw_node *nd;
  if (!grow((void **)&p->nodes, &p->cap_nodes, p->n_nodes + 1, sizeof(raw_node), p)) return NONE;
  nd = &p->nodes[p->n_nodes];
  memset(nd, 0, sizeof(*nd));
  nd->kind = kind;
  nd->key_off = NONE;
  nd->first = nd->next = NONE;
  nd->src_off = p->pos;
  return p->n_nodes++;
}

static int put_bytes(parser *p, const void *z, size_t len) {
  if (!grow((void **)&p->bytes, &p->cap_bytes, p->n_bytes + len, 1, p)) return 0;
  memcpy(p->bytes + p->n_bytes, z, len);
  p->n_bytes += len;
  return 1;
}

static void skip_space(parser *p) {
  while (p->pos < p->n) {
    unsigned char c = p->in[p->pos];
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') break;
    p->pos++;
  }
}

/* Length of the valid UTF-8 sequence at s (avail bytes left), or 0. */
static size_t utf8_length(const unsigned char *s, size_t avail) {
  unsigned c = s[0], need, cp, i;
  if (c < 0x80) return 1;
  if (c >= 0xC2 && c <= 0xDF) need = 1, cp = c & 0x1F;
  else if (c >= 0xE0 && c <= 0xEF) need = 2, cp = c & 0x0F;
  else if (c >= 0xF0 && c <= 0xF4) need = 3, cp = c & 0x07;
  else return 0; /* continuation byte, overlong lead (C0, C1) or beyond F4 */
  if (avail < need + 1) return 0;
  for (i = 1; i <= need; i++) {
    if ((s[i] & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (s[i] & 0x3F);
  }
  if ((need == 2 && cp < 0x800) || (need == 3 && cp < 0x10000)) return 0; /* overlong */
  if (cp >= 0xD800 && cp <= 0xDFFF) return 0;                           /* surrogate */
  if (cp > 0x10FFFF) return 0;
  return need + 1;
}

static int put_code_point(parser *p, unsigned cp) {
  unsigned char b[4];
  size_t len;
  if (cp < 0x80) b[0] = (unsigned char)cp, len = 1;
  else if (cp < 0x800) {
    b[0] = (unsigned char)(0xC0 | (cp >> 6));
    b[1] = (unsigned char)(0x80 | (cp & 0x3F));
    len = 2;
  } else if (cp < 0x10000) {
    b[0] = (unsigned char)(0xE0 | (cp >> 12));
    b[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    b[2] = (unsigned char)(0x80 | (cp & 0x3F));
    len = 3;
  } else {
    b[0] = (unsigned char)(0xF0 | (cp >> 18));
    b[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    b[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    b[3] = (unsigned char)(0x80 | (cp & 0x3F));
    len = 4;
  }
  return put_bytes(p, b, len);
}

/* The 4 hex digits after "\u" at p->pos (which points at 'u'); -1 when they are not. */
static long hex4(parser *p) {
  long v = 0;
  size_t i;
  if (p->pos + 5 > p->n) return -1;
  for (i = 1; i <= 4; i++) {
    unsigned char c = p->in[p->pos + i];
    int d = c >= '0' && c <= '9' ? c - '0'
            : c >= 'a' && c <= 'f' ? c - 'a' + 10
            : c >= 'A' && c <= 'F' ? c - 'A' + 10
                                   : -1;
    if (d < 0) return -1;
    v = v * 16 + d;
  }
  return v;
}

/* A \u escape (p->pos at 'u'), with its low surrogate when it is a high one. */
static int read_unicode_escape(parser *p, size_t at) {
  long hi = hex4(p), lo;
  if (hi < 0) return fail(p, PF_JSON_BAD_ESCAPE, at);
  p->pos += 5;
  if (hi >= 0xDC00 && hi <= 0xDFFF) return fail(p, PF_JSON_BAD_SURROGATE, at);
  if (hi < 0xD800 || hi > 0xDBFF) return put_code_point(p, (unsigned)hi);
  if (p->pos + 1 >= p->n || p->in[p->pos] != '\\' || p->in[p->pos + 1] != 'u')
    return fail(p, PF_JSON_BAD_SURROGATE, at);
  p->pos++;
  lo = hex4(p);
  if (lo < 0) return fail(p, PF_JSON_BAD_ESCAPE, p->pos - 1);
  if (lo < 0xDC00 || lo > 0xDFFF) return fail(p, PF_JSON_BAD_SURROGATE, at);
  p->pos += 5;
  return put_code_point(p, 0x10000 + (((unsigned)hi - 0xD800) << 10) + ((unsigned)lo - 0xDC00));
}

static int read_escape(parser *p) {
  static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
  size_t at = p->pos; /* the backslash */
  const char *hit;
  unsigned char c;
  p->pos++;
  if (p->pos >= p->n) return fail(p, PF_JSON_BAD_STRING, at);
  c = p->in[p->pos];
  if (c == 'u') return read_unicode_escape(p, at);
  hit = c ? strchr(from, c) : 0;
  if (hit == 0) return fail(p, PF_JSON_BAD_ESCAPE, at);
  p->pos++;
  return put_bytes(p, &to[hit - from], 1);
}

/* A string at p->pos (the opening quote); its decoded bytes go to p->bytes at *off. */
static int read_string(parser *p, size_t *off, size_t *len) {
  size_t start = p->pos;
  *off = p->n_bytes;
  p->pos++;
  for (;;) {
    size_t run = p->pos, k;
    while (p->pos < p->n && p->in[p->pos] >= 0x20 && p->in[p->pos] < 0x80 &&
           p->in[p->pos] != '"' && p->in[p->pos] != '\\')
      p->pos++;
    if (p->pos > run && !put_bytes(p, p->in + run, p->pos - run)) return 0;
    if (p->pos >= p->n) return fail(p, PF_JSON_BAD_STRING, start);
    if (p->in[p->pos] == '"') break;
    if (p->in[p->pos] == '\\') {
      if (!read_escape(p)) return 0;
      continue;
    }
    if (p->in[p->pos] < 0x20) return fail(p, PF_JSON_BAD_STRING, p->pos);
    k = utf8_length(p->in + p->pos, p->n - p->pos);
    if (k == 0) return fail(p, PF_JSON_BAD_UTF8, p->pos);
    if (!put_bytes(p, p->in + p->pos, k)) return 0;
    p->pos += k;
  }
  p->pos++;
  *len = p->n_bytes - *off;
  return put_bytes(p, "", 1); /* NUL-terminated for the caller's convenience */
}

static size_t digits(parser *p) {
  size_t start = p->pos;
  while (p->pos < p->n && p->in[p->pos] >= '0' && p->in[p->pos] <= '9') p->pos++;
  return p->pos - start;
}

/* A number at p->pos; its token is checked against the grammar, then given to strtod. */
static int read_number(parser *p, raw_node *nd) {
  size_t start = p->pos, len;
  char small[64], *token = small, *end;
  int integer = 1;
  if (p->in[p->pos] == '-') p->pos++;
  if (p->pos < p->n && p->in[p->pos] == '0') p->pos++;
  else if (digits(p) == 0) return fail(p, PF_JSON_BAD_NUMBER, start);
  if (p->pos < p->n && p->in[p->pos] >= '0' && p->in[p->pos] <= '9')
    return fail(p, PF_JSON_BAD_NUMBER, start); /* leading zero */
  if (p->pos < p->n && p->in[p->pos] == '.') {
    p->pos++, integer = 0;
    if (digits(p) == 0) return fail(p, PF_JSON_BAD_NUMBER, start);
  }
  if (p->pos < p->n && (p->in[p->pos] == 'e' || p->in[p->pos] == 'E')) {
    p->pos++, integer = 0;
    if (p->pos < p->n && (p->in[p->pos] == '+' || p->in[p->pos] == '-')) p->pos++;
    if (digits(p) == 0) return fail(p, PF_JSON_BAD_NUMBER, start);
  }
  len = p->pos - start;
  if (len >= sizeof(small) && (token = pf_malloc(len + 1)) == 0) {
    p->nomem = 1;
    return 0;
  }
  memcpy(token, p->in + start, len);
  token[len] = 0;
  errno = 0;
  nd->number = strtod(token, &end);
  if (errno == ERANGE && (nd->number > 1 || nd->number < -1)) {
    if (token != small) pf_free(token);
    return fail(p, PF_JSON_NUMBER_RANGE, start);
  }
  if (token != small) pf_free(token);
  nd->is_integer = integer;
  return 1;
}

static int literal(parser *p, const char *word, size_t len) {
  if (p->n - p->pos < len || memcmp(p->in + p->pos, word, len) != 0)
    return fail(p, PF_JSON_UNEXPECTED, p->pos);
  p->pos += len;
  return 1;
}

static size_t read_value(parser *p, int depth);

/* Appends child to parent's children (last is the previous child or NONE). */
static void link_child(parser *p, size_t parent, size_t *last, size_t child) {
  if (*last == NONE) p->nodes[parent].first = child;
  else p->nodes[*last].next = child;
  *last = child;
  p->nodes[parent].count++;
}

static int read_array(parser *p, size_t self, int depth) {
  size_t last = NONE, child;
  p->pos++;
  skip_space(p);
  if (p->pos < p->n && p->in[p->pos] == ']') return p->pos++, 1;
  for (;;) {
    if ((child = read_value(p, depth)) == NONE) return 0;
    link_child(p, self, &last, child);
    skip_space(p);
    if (p->pos < p->n && p->in[p->pos] == ',') {
      p->pos++;
      continue;
    }
    if (p->pos < p->n && p->in[p->pos] == ']') return p->pos++, 1;
    return fail(p, PF_JSON_UNEXPECTED, p->pos);
  }
}

typedef struct key_ref {
  const char *z;
  size_t len, offset;
} key_ref;

static int compare_keys(const void *a, const void *b) {
  const key_ref *x = a, *y = b;
  size_t n = x->len < y->len ? x->len : y->len;
  int c = memcmp(x->z, y->z, n);
  if (c) return c;
  if (x->len != y->len) return x->len < y->len ? -1 : 1;
  return x->offset < y->offset ? -1 : x->offset > y->offset; /* first written comes first */
}

/* A key given twice in object self: small objects pairwise, larger ones by sorting. */
static int check_duplicates(parser *p, size_t self) {
  size_t count = p->nodes[self].count, i, c;
  key_ref *keys;
  if (count < 2) return 1;
  keys = pf_malloc((uint64_t)count * sizeof(key_ref));
  if (keys == 0) {
    p->nomem = 1;
    return 0;
  }
  for (i = 0, c = p->nodes[self].first; c != NONE; c = p->nodes[c].next, i++) {
    keys[i].z = p->bytes + p->nodes[c].key_off;
    keys[i].len = p->nodes[c].key_len;
    keys[i].offset = p->nodes[c].key_at;
  }
  qsort(keys, count, sizeof(key_ref), compare_keys);
  for (i = 1; i < count; i++) {
    if (keys[i].len == keys[i - 1].len && memcmp(keys[i].z, keys[i - 1].z, keys[i].len) == 0) {
      size_t at = keys[i].offset;
      pf_free(keys);
      return fail(p, PF_JSON_DUPLICATE_KEY, at);
    }
  }
  pf_free(keys);
  return 1;
}

/* One "key": value member of object self. */
static int read_member(parser *p, size_t self, size_t *last, int depth) {
  size_t key_off, key_len, key_at, child;
  skip_space(p);
  if (p->pos >= p->n || p->in[p->pos] != '"') return fail(p, PF_JSON_UNEXPECTED, p->pos);
  key_at = p->pos;
  if (!read_string(p, &key_off, &key_len)) return 0;
  skip_space(p);
  if (p->pos >= p->n || p->in[p->pos] != ':') return fail(p, PF_JSON_UNEXPECTED, p->pos);
  p->pos++;
  if ((child = read_value(p, depth)) == NONE) return 0;
  p->nodes[child].key_off = key_off;
  p->nodes[child].key_len = key_len;
  p->nodes[child].key_at = key_at;
  link_child(p, self, last, child);
  return 1;
}

static int read_object(parser *p, size_t self, int depth);

static size_t read_value(parser *p, int depth) {
  size_t self;
  unsigned char c;
  int ok;
  skip_space(p);
  if (p->pos >= p->n) return fail(p, p->n_nodes ? PF_JSON_UNEXPECTED : PF_JSON_EMPTY, p->pos), NONE;
  c = p->in[p->pos];
  if ((c == '[' || c == '{') && depth >= PF_JSON_MAX_DEPTH)
    return fail(p, PF_JSON_TOO_DEEP, p->pos), NONE;
  self = new_node(p, c == '{'   ? PF_JSON_OBJECT
                     : c == '[' ? PF_JSON_ARRAY
                     : c == '"' ? PF_JSON_STRING
                     : c == 't' ? PF_JSON_TRUE
                     : c == 'f' ? PF_JSON_FALSE
                     : c == 'n' ? PF_JSON_NULL
                                : PF_JSON_NUMBER);
  if (self == NONE) return NONE;
  if (c == '{') ok = read_object(p, self, depth + 1);
  else if (c == '[') ok = read_array(p, self, depth + 1);
  else if (c == '"') {
    size_t off, len;
    ok = read_string(p, &off, &len);
    p->nodes[self].str_off = off;
    p->nodes[self].str_len = len;
  } else if (c == 't') ok = literal(p, "true", 4);
  else if (c == 'f') ok = literal(p, "false", 5);
  else if (c == 'n') ok = literal(p, "null", 4);
  else if (c == '-' || (c >= '0' && c <= '9')) ok = read_number(p, &p->nodes[self]);
  else ok = fail(p, PF_JSON_UNEXPECTED, p->pos);
  if (!ok) return NONE;
  p->nodes[self].src_len = p->pos - p->nodes[self].src_off;
  return self;
}

static int read_object(parser *p, size_t self, int depth) {
  size_t last = NONE;
  p->pos++;
  skip_space(p);
  if (p->pos < p->n && p->in[p->pos] == '}') return p->pos++, 1;
  for (;;) {
    if (!read_member(p, self, &last, depth)) return 0;
    skip_space(p);
    if (p->pos < p->n && p->in[p->pos] == ',') {
      p->pos++;
      continue;
    }
    if (p->pos < p->n && p->in[p->pos] == '}') {
      p->pos++;
      return check_duplicates(p, self);
    }
    return fail(p, PF_JSON_UNEXPECTED, p->pos);
  }
}

/* Moves the parsed nodes into one block: document, nodes, input copy, strings. */
static pf_json_doc *build_document(parser *p) {
  size_t head = sizeof(pf_json_doc) + p->n_nodes * sizeof(pf_json_node), i;
  char *block = pf_malloc((uint64_t)head + p->n + p->n_bytes + 1);
  pf_json_doc *doc = (pf_json_doc *)block;
  pf_json_node *nodes = (pf_json_node *)(block + sizeof(pf_json_doc));
  char *input = block + head, *bytes = input + p->n;
  if (block == 0) return 0;
  memcpy(input, p->in, p->n);
  if (p->n_bytes) memcpy(bytes, p->bytes, p->n_bytes);
  bytes[p->n_bytes] = 0;
  for (i = 0; i < p->n_nodes; i++) {
    const raw_node *r = &p->nodes[i];
    pf_json_node *nd = &nodes[i];
    memset(nd, 0, sizeof(*nd));
    nd->kind = r->kind;
    nd->is_integer = r->is_integer;
    nd->number = r->number;
    if (r->key_off != NONE) nd->key = bytes + r->key_off, nd->key_len = r->key_len;
    if (r->kind == PF_JSON_STRING) nd->string = bytes + r->str_off, nd->string_len = r->str_len;
    nd->source = input + r->src_off;
    nd->source_len = r->src_len;
    nd->count = r->count;
    nd->first = r->first == NONE ? 0 : &nodes[r->first];
    nd->next = r->next == NONE ? 0 : &nodes[r->next];
  }
  doc->root = &nodes[0];
  return doc;
}

int pf_json_parse(const char *text, size_t n, pf_json_doc **out, pf_json_error *err) {
  parser p;
  pf_json_error ignored;
  size_t root;
  int rc = PF_JSON_INVALID;
  memset(&p, 0, sizeof(p));
  p.in = (const unsigned char *)text;
  p.n = n;
  p.err = err ? err : &ignored;
  p.err->problem = PF_JSON_NO_PROBLEM;
  p.err->offset = 0;
  *out = 0;
  if (n > PF_JSON_MAX_BYTES) {
    fail(&p, PF_JSON_TOO_LONG, PF_JSON_MAX_BYTES);
    return PF_JSON_INVALID;
  }
  root = read_value(&p, 0);
  if (root != NONE) {
    skip_space(&p);
    if (p.pos < p.n) fail(&p, PF_JSON_TRAILING, p.pos);
    else if ((*out = build_document(&p)) != 0) rc = PF_JSON_OK;
    else p.nomem = 1;
  }
  if (p.nomem) {
    rc = PF_JSON_NOMEM;
    p.err->problem = PF_JSON_NO_PROBLEM;
  }
  pf_free(p.nodes);
  pf_free(p.bytes);
  return rc;
}

void pf_json_free(pf_json_doc *doc) { pf_free(doc); }

const pf_json_node *pf_json_get(const pf_json_node *object, const char *key) {
  const pf_json_node *c;
  size_t len = strlen(key);
  if (object == 0 || object->kind != PF_JSON_OBJECT) return 0;
  for (c = object->first; c; c = c->next)
    if (c->key_len == len && memcmp(c->key, key, len) == 0) return c;
  return 0;
}

const pf_json_node *pf_json_at(const pf_json_node *container, size_t i) {
  const pf_json_node *c;
  if (container == 0 || (container->kind != PF_JSON_ARRAY && container->kind != PF_JSON_OBJECT))
    return 0;
  for (c = container->first; c && i > 0; c = c->next) i--;
  return c;
}

const char *pf_json_kind_name(pf_json_kind kind) {
  static const char *const names[] = {"null",   "false", "true",  "number",
                                      "string", "array", "object"};
  return (unsigned)kind < sizeof(names) / sizeof(names[0]) ? names[kind] : "?";
}

const char *pf_json_problem_text(pf_json_problem problem) {
  switch (problem) {
  case PF_JSON_NO_PROBLEM: return "no problem";
  case PF_JSON_TOO_LONG: return "longer than 1000000 bytes";
  case PF_JSON_TOO_DEEP: return "nested deeper than 64 levels";
  case PF_JSON_EMPTY: return "empty";
  case PF_JSON_UNEXPECTED: return "unexpected character";
  case PF_JSON_TRAILING: return "text after the value";
  case PF_JSON_BAD_NUMBER: return "malformed number";
  case PF_JSON_NUMBER_RANGE: return "number out of range";
  case PF_JSON_BAD_STRING: return "unterminated string or control character in a string";
  case PF_JSON_BAD_ESCAPE: return "invalid escape";
  case PF_JSON_BAD_SURROGATE: return "lone UTF-16 surrogate";
  case PF_JSON_BAD_UTF8: return "invalid UTF-8";
  case PF_JSON_DUPLICATE_KEY: return "duplicate key";
  }
  return "?";
}
