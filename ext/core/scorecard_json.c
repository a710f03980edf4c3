/*
** scorecard_json.c: the model as JSON text, keys in the spec's order.
**
**   1. {"model", "version", "accounts", "outcomes", "outcome_rate", "intercept",
**      "factors": [{"factor", "kind", "bins": [{"bin", lower/upper | value | other |
**      missing, "accounts", "outcome_rate", "points"}]}], "fit": {"iterations",
**      "log_loss", "auc", "bins", "min_share", "l2"}}.
**   2. Counts are integers; other numbers have 15 significant digits and a REAL always
**      shows a '.' or an exponent (1.0), as SQLite prints REALs. A bin's bounds are values
**      of the data, printed as they came (6 for an INTEGER, 6.0 for a REAL).
**   3. Bin labels: "<= u", "l < x <= u", "> l" for numeric ranges, "all values" for the one
**      range of a factor whose numbers were not cut, the text for a category, "other",
**      "missing". Text is escaped as JSON requires (quote, backslash, control characters).
*/
#include "scorecard_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

typedef struct json_out {
  char *p;
  uint64_t n, cap;
  int failed;
} json_out;

static void put(json_out *o, const char *s, uint64_t n) {
  if (o->failed) return;
  if (o->n + n + 1 > o->cap) {
    uint64_t cap = o->cap ? o->cap : 1024;
    char *grown;
    while (o->n + n + 1 > cap) cap *= 2;
    grown = pf_realloc(o->p, cap);
    if (grown == 0) {
      o->failed = 1;
      return;
    }
    o->p = grown;
    o->cap = cap;
  }
  memcpy(o->p + o->n, s, (size_t)n);
  o->n += n;
  o->p[o->n] = 0;
}

static void puts_(json_out *o, const char *s) { put(o, s, strlen(s)); }

int fit_format_number(char buf[40], int is_int, int64_t i, double d) {
  int n;
  if (is_int) return snprintf(buf, 40, "%lld", (long long)i);
  if (d == 0) d = 0; /* -0.0 prints as 0.0 */
  n = snprintf(buf, 40, "%.15g", d);
  if (strpbrk(buf, ".eni") == 0) {
    memcpy(buf + n, ".0", 3);
    n += 2;
  }
  return n;
}

static void put_real(json_out *o, double d) {
  char buf[40];
  put(o, buf, (uint64_t)fit_format_number(buf, 0, 0, d));
}

static void put_int(json_out *o, int64_t i) {
  char buf[40];
  put(o, buf, (uint64_t)fit_format_number(buf, 1, i, 0));
}

static void put_level(json_out *o, const fit_level *l) {
  char buf[40];
  put(o, buf, (uint64_t)fit_format_number(buf, l->is_int, l->ivalue, l->value));
}

static void put_string(json_out *o, const char *s, int n) {
  int i, start = 0;
  put(o, "\"", 1);
  for (i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c == '"' || c == '\\' || c < 0x20) {
      char esc[8];
      put(o, s + start, (uint64_t)(i - start));
      if (c == '"' || c == '\\')
        snprintf(esc, sizeof(esc), "\\%c", c);
      else
        snprintf(esc, sizeof(esc), "\\u%04x", c);
      puts_(o, esc);
      start = i + 1;
    }
  }
  put(o, s + start, (uint64_t)(n - start));
  put(o, "\"", 1);
}

/* The label of a range bin, as a JSON string (numbers carry no characters to escape). */
static void put_range_label(json_out *o, const fit_bin *b) {
  puts_(o, "\"");
  if (b->lower && b->upper) {
    put_level(o, b->lower);
    puts_(o, " < x <= ");
    put_level(o, b->upper);
  } else if (b->upper) {
    puts_(o, "<= ");
    put_level(o, b->upper);
  } else if (b->lower) {
    puts_(o, "> ");
    put_level(o, b->lower);
  } else {
    puts_(o, "all values");
  }
  puts_(o, "\"");
}

static void put_bin(json_out *o, const fit_bin *b) {
  puts_(o, "{\"bin\": ");
  switch (b->kind) {
    case BIN_RANGE:
      put_range_label(o, b);
      if (b->lower) puts_(o, ", \"lower\": "), put_level(o, b->lower);
      if (b->upper) puts_(o, ", \"upper\": "), put_level(o, b->upper);
      break;
    case BIN_VALUE:
      put_string(o, b->category->text, b->category->text_n);
      puts_(o, ", \"value\": ");
      put_string(o, b->category->text, b->category->text_n);
      break;
    case BIN_OTHER:
      puts_(o, "\"other\", \"other\": true");
      break;
    default:
      puts_(o, "\"missing\", \"missing\": true");
      break;
  }
  puts_(o, ", \"accounts\": ");
  put_int(o, b->rows);
  puts_(o, ", \"outcome_rate\": ");
  put_real(o, (double)b->outcomes / (double)b->rows);
  puts_(o, ", \"points\": ");
  put_real(o, b->points);
  puts_(o, "}");
}

static void put_factor(json_out *o, const fit_factor *f) {
  int b;
  puts_(o, "{\"factor\": ");
  put_string(o, f->name, f->name_n);
  puts_(o, f->categorical ? ", \"kind\": \"categorical\"" : ", \"kind\": \"numeric\"");
  puts_(o, ", \"bins\": [");
  for (b = 0; b < f->nbins; b++) {
    if (b > 0) puts_(o, ", ");
    put_bin(o, &f->bins[b]);
  }
  puts_(o, "]}");
}

int fit_write_json(const pf_fit *fit, const pf_fit_options *opt, const fit_result *r,
                   char **json) {
  json_out o = {0, 0, 0, 0};
  int i;
  puts_(&o, "{\"model\": \"portfolio-risk-scorecard\", \"version\": 1, \"accounts\": ");
  put_int(&o, fit->nrows);
  puts_(&o, ", \"outcomes\": ");
  put_int(&o, fit->count[1]);
  puts_(&o, ", \"outcome_rate\": ");
  put_real(&o, (double)fit->count[1] / (double)fit->nrows);
  puts_(&o, ", \"intercept\": ");
  put_real(&o, r->intercept);
  puts_(&o, ", \"factors\": [");
  for (i = 0; i < fit->nf; i++) {
    if (i > 0) puts_(&o, ", ");
    put_factor(&o, &fit->f[i]);
  }
  puts_(&o, "], \"fit\": {\"iterations\": ");
  put_int(&o, r->iterations);
  puts_(&o, ", \"log_loss\": ");
  put_real(&o, r->log_loss);
  puts_(&o, ", \"auc\": ");
  put_real(&o, r->auc);
  puts_(&o, ", \"bins\": ");
  put_int(&o, opt->bins);
  puts_(&o, ", \"min_share\": ");
  put_real(&o, opt->min_share);
  puts_(&o, ", \"l2\": ");
  put_real(&o, opt->l2);
  puts_(&o, "}}");
  if (o.failed) {
    pf_free(o.p);
    return PF_NOMEM;
  }
  *json = o.p;
  return PF_OK;
}
