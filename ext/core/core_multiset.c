/*
** core_multiset.c: the ordered multiset of positive totals a sliding window keeps (see
** pf_window.h), a treap of distinct values with their multiplicity.
**
**   1. Priorities are a hash of the value's bits (a bijection, so distinct values never
**      tie): the tree's shape is a function of the set of values alone, so are the sums.
**   2. Every node keeps its subtree's count, sum and rank-weighted sum (ranks ascending,
**      from 1), recomputed from its children on every change along the path: O(depth) a
**      row, expected O(log K); the depth is not bounded against values chosen to defeat
**      the hash, so the walk is iterative (a path array as long as the node array), never
**      recursive: a deep tree is slow, never a stack overflow.
**   3. Nodes live in one array (index 0 is an all-zero sentinel, so a missing child reads
**      as count 0 and sums 0); freed nodes go on a free list. The array doubles; a failed
**      growth leaves the multiset as it was.
*/
#include "pf_window.h"
#include "pf_host.h"

#include <math.h>
#include <string.h>

struct pf_mnode {
  double x;
  uint64_t prio;
  uint32_t left, right; /* left: next free node while on the free list */
  int64_t mult, count;
  pf_dd sum, rank_sum;
};

#define MULTISET_MIN 64
#define MULTISET_MAX ((uint32_t)1 << 31)

/* ---- double-double ------------------------------------------------------------------- */

static pf_dd two_sum(double a, double b) {
  double s = a + b, bb = s - a;
  pf_dd r;
  r.hi = s;
  r.lo = (a - (s - bb)) + (b - bb);
  return r;
}

pf_dd pf_dd_add(pf_dd a, pf_dd b) {
  pf_dd s = two_sum(a.hi, b.hi);
  return two_sum(s.hi, s.lo + (a.lo + b.lo));
}

pf_dd pf_dd_scale(pf_dd a, double b) {
  double p = a.hi * b;
  return two_sum(p, fma(a.hi, b, -p) + a.lo * b);
}

double pf_dd_value(pf_dd a) { return a.hi + a.lo; }

/* An integer below 2^62 as a double-double, exactly. */
static pf_dd dd_of_int(int64_t c) {
  pf_dd r;
  r.hi = (double)c;
  r.lo = (double)(c - (int64_t)r.hi);
  return r;
}

/* ---- the tree ------------------------------------------------------------------------ */

static uint64_t priority_of(double x) {
  uint64_t h;
  memcpy(&h, &x, 8);
  h ^= h >> 30;
  h *= 0xbf58476d1ce4e5b9ULL;
  h ^= h >> 27;
  h *= 0x94d049bb133111ebULL;
  h ^= h >> 31;
  return h;
}

/* Recomputes node i's subtree sums from its children (themselves up to date). */
static void node_update(pf_mnode *nodes, uint32_t i) {
  pf_mnode *n = &nodes[i];
  const pf_mnode *l = &nodes[n->left], *r = &nodes[n->right];
  /* ranks of this node's copies: l->count + 1 .. l->count + mult */
  int64_t own_ranks = n->mult * l->count + n->mult * (n->mult + 1) / 2;
  n->count = l->count + n->mult + r->count;
  n->sum = pf_dd_add(pf_dd_add(l->sum, pf_dd_scale(dd_of_int(n->mult), n->x)), r->sum);
  n->rank_sum = pf_dd_add(pf_dd_add(l->rank_sum, pf_dd_scale(dd_of_int(own_ranks), n->x)),
                          pf_dd_add(r->rank_sum,
                                    pf_dd_scale(r->sum, (double)(l->count + n->mult))));
}

/* Room for one more node (and a path as long as the tree can be). PF_OK or PF_NOMEM. */
static int reserve_node(pf_multiset *m) {
  uint32_t cap;
  pf_mnode *nodes;
  uint32_t *path;
  if (m->free_list != 0 || (m->used < m->cap && m->used != 0)) return PF_OK;
  if (m->cap >= MULTISET_MAX) return PF_NOMEM;
  cap = m->cap ? m->cap * 2 : MULTISET_MIN;
  nodes = pf_realloc(m->nodes, (uint64_t)cap * sizeof(pf_mnode));
  if (nodes == 0) return PF_NOMEM;
  m->nodes = nodes;
  if (m->cap == 0) {
    memset(&nodes[0], 0, sizeof(pf_mnode)); /* the sentinel */
    m->used = 1;
  }
  path = pf_realloc(m->path, (uint64_t)cap * sizeof(uint32_t));
  if (path == 0) return PF_NOMEM; /* the larger node array is kept, unused */
  m->path = path;
  m->cap = cap;
  return PF_OK;
}

/* Makes `to` the child of `parent` (0: the root) where `from` was. */
static void relink(pf_multiset *m, uint32_t parent, uint32_t from, uint32_t to) {
  if (parent == 0)
    m->root = to;
  else if (m->nodes[parent].left == from)
    m->nodes[parent].left = to;
  else
    m->nodes[parent].right = to;
}

/* Turns child c of p into p's parent (a rotation); the caller relinks c. */
static void rotate_up(pf_mnode *nodes, uint32_t p, uint32_t c) {
  if (nodes[p].left == c) {
    nodes[p].left = nodes[c].right;
    nodes[c].right = p;
  } else {
    nodes[p].right = nodes[c].left;
    nodes[c].left = p;
  }
}

static void update_path(pf_multiset *m, uint32_t depth) {
  while (depth-- > 0) node_update(m->nodes, m->path[depth]);
}

/* A new node for x below path[depth - 1], then rotated up while its priority is higher. */
static void insert_new(pf_multiset *m, double x, uint32_t depth) {
  pf_mnode *nodes = m->nodes;
  uint32_t i = m->free_list ? m->free_list : m->used++;
  if (m->free_list) m->free_list = nodes[i].left;
  memset(&nodes[i], 0, sizeof(pf_mnode));
  nodes[i].x = x;
  nodes[i].prio = priority_of(x);
  nodes[i].mult = 1;
  node_update(nodes, i);
  if (depth == 0)
    m->root = i;
  else if (x < nodes[m->path[depth - 1]].x)
    nodes[m->path[depth - 1]].left = i;
  else
    nodes[m->path[depth - 1]].right = i;
  while (depth > 0 && nodes[m->path[depth - 1]].prio < nodes[i].prio) {
    uint32_t p = m->path[--depth];
    rotate_up(nodes, p, i);
    node_update(nodes, p);
    node_update(nodes, i);
    relink(m, depth ? m->path[depth - 1] : 0, p, i);
  }
  update_path(m, depth);
}

/* Removes node i (below path[0..depth)): rotated down until it has one child at most. */
static void remove_node(pf_multiset *m, uint32_t i, uint32_t depth) {
  pf_mnode *nodes = m->nodes;
  uint32_t child;
  while (nodes[i].left && nodes[i].right) {
    uint32_t c = nodes[nodes[i].left].prio > nodes[nodes[i].right].prio ? nodes[i].left
                                                                          : nodes[i].right;
    rotate_up(nodes, i, c);
    relink(m, depth ? m->path[depth - 1] : 0, i, c);
    m->path[depth++] = c;
  }
  child = nodes[i].left ? nodes[i].left : nodes[i].right;
  relink(m, depth ? m->path[depth - 1] : 0, i, child);
  memset(&nodes[i], 0, sizeof(pf_mnode));
  nodes[i].left = m->free_list;
  m->free_list = i;
  update_path(m, depth);
}

int pf_multiset_add(pf_multiset *m, double x, int sign) {
  uint32_t i = m->root, depth = 0;
  if (sign > 0 && reserve_node(m) != PF_OK) return PF_NOMEM;
  if (m->nodes == 0) return PF_OK; /* removing from an empty multiset */
  while (i != 0 && m->nodes[i].x != x) {
    m->path[depth++] = i;
    i = x < m->nodes[i].x ? m->nodes[i].left : m->nodes[i].right;
  }
  if (i == 0) {
    if (sign > 0) insert_new(m, x, depth);
    return PF_OK;
  }
  if (sign < 0 && m->nodes[i].mult == 1) {
    remove_node(m, i, depth);
    return PF_OK;
  }
  m->nodes[i].mult += sign > 0 ? 1 : -1;
  node_update(m->nodes, i);
  update_path(m, depth);
  return PF_OK;
}

int64_t pf_multiset_count(const pf_multiset *m) {
  return m->root ? m->nodes[m->root].count : 0;
}

pf_dd pf_multiset_sum(const pf_multiset *m) {
  pf_dd zero = {0, 0};
  return m->root ? m->nodes[m->root].sum : zero;
}

pf_dd pf_multiset_rank_sum(const pf_multiset *m) {
  pf_dd zero = {0, 0};
  return m->root ? m->nodes[m->root].rank_sum : zero;
}

pf_dd pf_multiset_top_sum(const pf_multiset *m, int64_t k) {
  pf_dd acc = {0, 0};
  uint32_t i = m->root;
  while (i != 0 && k > 0) {
    const pf_mnode *n = &m->nodes[i];
    const pf_mnode *r = &m->nodes[n->right];
    int64_t take;
    if (r->count >= k) {
      i = n->right;
      continue;
    }
    acc = pf_dd_add(acc, r->sum);
    k -= r->count;
    take = k < n->mult ? k : n->mult;
    acc = pf_dd_add(acc, pf_dd_scale(dd_of_int(take), n->x));
    k -= take;
    i = n->left;
  }
  return acc;
}

int pf_multiset_values(const pf_multiset *m, pf_values *out) {
  uint32_t i;
  out->n = 0;
  for (i = 1; i < m->used; i++) { /* freed nodes have mult 0 */
    int64_t k;
    for (k = 0; k < m->nodes[i].mult; k++)
      if (pf_values_push(out, m->nodes[i].x) != PF_OK) return PF_NOMEM;
  }
  return PF_OK;
}

void pf_multiset_free(pf_multiset *m) {
  pf_free(m->nodes);
  pf_free(m->path);
  memset(m, 0, sizeof(*m));
}
