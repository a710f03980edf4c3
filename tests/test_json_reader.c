/*
** The core JSON reader (ext/core/json_reader.c) on its own: the tree it builds, every
** problem it reports with its byte offset and message, escapes and surrogate pairs,
** UTF-8 validation, numbers as strtod reads them, and the depth and size limits.
** Expected values are worked by hand from RFC 8259 (byte offsets counted from 0).
*/
#include "json_reader.h"
#include "testing.h"

static pf_json_doc *parse_ok(const char *text) {
  pf_json_doc *doc = 0;
  pf_json_error err;
  int rc = pf_json_parse(text, strlen(text), &doc, &err);
  ck_assert_msg(rc == PF_JSON_OK, "refused %s: %s at %zu", text,
                pf_json_problem_text(err.problem), err.offset);
  return doc;
}

/* text is refused with this problem at this byte, and nothing is returned. */
static void expect_problem(const char *text, size_t n, pf_json_problem want, size_t at) {
  pf_json_doc *doc = (pf_json_doc *)1;
  pf_json_error err;
  int rc = pf_json_parse(text, n, &doc, &err);
  ck_assert_msg(rc == PF_JSON_INVALID, "accepted %s", text);
  ck_assert_ptr_null(doc);
  ck_assert_msg(err.problem == want, "%s: %s, want %s", text, pf_json_problem_text(err.problem),
                pf_json_problem_text(want));
  ck_assert_msg(err.offset == at, "%s: offset %zu, want %zu", text, err.offset, at);
}

#define REFUSED(text, problem, at) expect_problem(text, sizeof(text) - 1, problem, at)

START_TEST(tree_in_document_order) {
  pf_json_doc *doc = parse_ok(" {\"b\": [1, -2.5e1, \"x\"], \"a\": {\"t\": true, \"f\": false,"
                              " \"n\": null}, \"e\": {}} ");
  const pf_json_node *root = doc->root, *b, *a;
  ck_assert_int_eq(root->kind, PF_JSON_OBJECT);
  ck_assert_int_eq(root->count, 3);
  ck_assert_str_eq(root->first->key, "b");
  ck_assert_str_eq(root->first->next->key, "a");
  ck_assert_str_eq(pf_json_at(root, 2)->key, "e");
  ck_assert_ptr_null(pf_json_at(root, 3));
  b = pf_json_get(root, "b");
  ck_assert_int_eq(b->kind, PF_JSON_ARRAY);
  ck_assert_int_eq(b->count, 3);
  ck_assert(pf_json_at(b, 0)->number == 1 && pf_json_at(b, 0)->is_integer);
  ck_assert(pf_json_at(b, 1)->number == -25 && !pf_json_at(b, 1)->is_integer);
  ck_assert_str_eq(pf_json_at(b, 2)->string, "x");
  ck_assert_ptr_null(pf_json_at(b, 0)->key);
  ck_assert_int_eq(b->source_len, 16); /* [1, -2.5e1, "x"] */
  ck_assert(memcmp(b->source, "[1, -2.5e1, \"x\"]", 16) == 0);
  a = pf_json_get(root, "a");
  ck_assert_int_eq(pf_json_get(a, "t")->kind, PF_JSON_TRUE);
  ck_assert_int_eq(pf_json_get(a, "f")->kind, PF_JSON_FALSE);
  ck_assert_int_eq(pf_json_get(a, "n")->kind, PF_JSON_NULL);
  ck_assert_ptr_null(pf_json_get(a, "T")); /* keys are exact */
  ck_assert_ptr_null(pf_json_get(b, "x"));  /* not an object */
  ck_assert_int_eq(pf_json_get(root, "e")->count, 0);
  ck_assert_ptr_null(pf_json_get(root, "e")->first);
  ck_assert_str_eq(pf_json_kind_name(pf_json_get(root, "e")->kind), "object");
  pf_json_free(doc);
  doc = parse_ok("42");
  ck_assert(doc->root->kind == PF_JSON_NUMBER && doc->root->number == 42);
  pf_json_free(doc);
  pf_json_free(0);
}
END_TEST

/* The document owns its memory: the input can go away. */
START_TEST(document_outlives_its_input) {
  char *text = strdup("{\"k\": \"v\"}");
  pf_json_doc *doc = parse_ok(text);
  memset(text, 'x', strlen(text));
  free(text);
  ck_assert_str_eq(pf_json_get(doc->root, "k")->string, "v");
  ck_assert(memcmp(pf_json_get(doc->root, "k")->source, "\"v\"", 3) == 0);
  pf_json_free(doc);
}
END_TEST

START_TEST(escapes_and_surrogate_pairs) {
  pf_json_doc *doc =
      parse_ok("[\"\\\"\\\\\\/\\b\\f\\n\\r\\t\", \"\\u00e9\\u20AC\", \"\\ud83d\\ude00\", "
               "\"a\\u0000b\", \"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"]");
  const pf_json_node *r = doc->root;
  ck_assert_str_eq(pf_json_at(r, 0)->string, "\"\\/\b\f\n\r\t");
  ck_assert_str_eq(pf_json_at(r, 1)->string, "\xc3\xa9\xe2\x82\xac"); /* é € */
  ck_assert_str_eq(pf_json_at(r, 2)->string, "\xf0\x9f\x98\x80");     /* U+1F600 */
  ck_assert_int_eq(pf_json_at(r, 3)->string_len, 3);
  ck_assert(memcmp(pf_json_at(r, 3)->string, "a\0b", 3) == 0);
  ck_assert_str_eq(pf_json_at(r, 4)->string, "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
  pf_json_free(doc);
}
END_TEST

START_TEST(bad_strings) {
  REFUSED("\"abc", PF_JSON_BAD_STRING, 0);
  REFUSED("[\"a\tb\"]", PF_JSON_BAD_STRING, 3);
  REFUSED("\"\\x\"", PF_JSON_BAD_ESCAPE, 1);
  REFUSED("\"\\u12g4\"", PF_JSON_BAD_ESCAPE, 1);
  REFUSED("\"\\u12\"", PF_JSON_BAD_ESCAPE, 1);
  REFUSED("\"\\ud83d\"", PF_JSON_BAD_SURROGATE, 1);        /* high alone */
  REFUSED("\"\\ud83dx\"", PF_JSON_BAD_SURROGATE, 1);       /* high then text */
  REFUSED("\"\\ud83d\\u0041\"", PF_JSON_BAD_SURROGATE, 1); /* high then not a low */
  REFUSED("\"\\ude00\"", PF_JSON_BAD_SURROGATE, 1);        /* low alone */
  REFUSED("\"\\ud83d\\uZZ00\"", PF_JSON_BAD_ESCAPE, 7);
  REFUSED("\"\xc3\"", PF_JSON_BAD_UTF8, 1);             /* truncated */
  REFUSED("\"\xc0\xaf\"", PF_JSON_BAD_UTF8, 1);         /* overlong '/' */
  REFUSED("\"\xe0\x80\xaf\"", PF_JSON_BAD_UTF8, 1);     /* overlong, 3 bytes */
  REFUSED("\"\xed\xa0\x80\"", PF_JSON_BAD_UTF8, 1);     /* encoded surrogate */
  REFUSED("\"\xf4\x90\x80\x80\"", PF_JSON_BAD_UTF8, 1); /* above U+10FFFF */
  REFUSED("\"\x80\"", PF_JSON_BAD_UTF8, 1);             /* lone continuation */
  REFUSED("\"ab\xff\"", PF_JSON_BAD_UTF8, 3);
  expect_problem("\"a\0b\"", 5, PF_JSON_BAD_STRING, 2); /* raw NUL */
}
END_TEST

START_TEST(numbers_as_strtod_reads_them) {
  /* the last is 1e100 written out: 101 digits, longer than the reader's stack buffer */
  pf_json_doc *doc = parse_ok("[0, -0, 0.1, 1e2, 1E+2, 1e-2, -12.5e-1, 1e-400, "
                              "1000000000000000000000000000000000000000000000000000000000000000"
                              "0000000000000000000000000000000000000, 1.7976931348623157e308]");
  const pf_json_node *r = doc->root;
  ck_assert(pf_json_at(r, 0)->number == 0);
  ck_assert(pf_json_at(r, 1)->number == 0 && signbit(pf_json_at(r, 1)->number));
  ck_assert(pf_json_at(r, 2)->number == 0.1);
  ck_assert(pf_json_at(r, 3)->number == 100 && !pf_json_at(r, 3)->is_integer);
  ck_assert(pf_json_at(r, 4)->number == 100);
  ck_assert(pf_json_at(r, 5)->number == 0.01);
  ck_assert(pf_json_at(r, 6)->number == -1.25);
  ck_assert(pf_json_at(r, 7)->number == 0); /* underflow reads as 0 */
  ck_assert(pf_json_at(r, 8)->number == 1e100);
  ck_assert(pf_json_at(r, 8)->is_integer);
  ck_assert(pf_json_at(r, 9)->number == 1.7976931348623157e308);
  pf_json_free(doc);
}
END_TEST

START_TEST(bad_numbers) {
  REFUSED("1e999", PF_JSON_NUMBER_RANGE, 0);
  REFUSED("1.8e308", PF_JSON_NUMBER_RANGE, 0);
  REFUSED("[1, -1e999]", PF_JSON_NUMBER_RANGE, 4);
  REFUSED("01", PF_JSON_BAD_NUMBER, 0);
  REFUSED("-01", PF_JSON_BAD_NUMBER, 0);
  REFUSED("1.", PF_JSON_BAD_NUMBER, 0);
  REFUSED("1.e5", PF_JSON_BAD_NUMBER, 0);
  REFUSED("1e", PF_JSON_BAD_NUMBER, 0);
  REFUSED("1e+", PF_JSON_BAD_NUMBER, 0);
  REFUSED("-", PF_JSON_BAD_NUMBER, 0);
  REFUSED("-x", PF_JSON_BAD_NUMBER, 0);
  REFUSED(".5", PF_JSON_UNEXPECTED, 0);
  REFUSED("+1", PF_JSON_UNEXPECTED, 0);
  REFUSED("NaN", PF_JSON_UNEXPECTED, 0);
  REFUSED("Infinity", PF_JSON_UNEXPECTED, 0);
  REFUSED("-Infinity", PF_JSON_BAD_NUMBER, 0);
  REFUSED("0x10", PF_JSON_TRAILING, 1);
  REFUSED("1 2", PF_JSON_TRAILING, 2);
}
END_TEST

START_TEST(bad_structure) {
  REFUSED("", PF_JSON_EMPTY, 0);
  REFUSED(" \n\t\r", PF_JSON_EMPTY, 4);
  REFUSED("{", PF_JSON_UNEXPECTED, 1);
  REFUSED("[", PF_JSON_UNEXPECTED, 1);
  REFUSED("[1,]", PF_JSON_UNEXPECTED, 3);
  REFUSED("[1 2]", PF_JSON_UNEXPECTED, 3);
  REFUSED("{\"a\" 1}", PF_JSON_UNEXPECTED, 5);
  REFUSED("{\"a\": 1,}", PF_JSON_UNEXPECTED, 8);
  REFUSED("{a: 1}", PF_JSON_UNEXPECTED, 1);
  REFUSED("{\"a\": 1]", PF_JSON_UNEXPECTED, 7);
  REFUSED("tru", PF_JSON_UNEXPECTED, 0);
  REFUSED("nul", PF_JSON_UNEXPECTED, 0);
  REFUSED("True", PF_JSON_UNEXPECTED, 0);
  REFUSED("{} x", PF_JSON_TRAILING, 3);
  REFUSED("{}}", PF_JSON_TRAILING, 2);
  expect_problem("{}\0", 3, PF_JSON_TRAILING, 2);
  REFUSED("\xef\xbb\xbf{}", PF_JSON_UNEXPECTED, 0); /* a byte-order mark is not JSON */
}
END_TEST

START_TEST(duplicate_keys) {
  char big[4096];
  size_t n = 0;
  int i;
  pf_json_doc *doc;
  REFUSED("{\"a\": 1, \"a\": 2}", PF_JSON_DUPLICATE_KEY, 9);
  REFUSED("{\"a\": 1, \"b\": {\"c\": 1, \"c\": 1}}", PF_JSON_DUPLICATE_KEY, 23);
  REFUSED("{\"\\u0061\": 1, \"a\": 2}", PF_JSON_DUPLICATE_KEY, 14); /* same once decoded */
  doc = parse_ok("{\"a\": 1, \"A\": 2, \"a \": 3, \"b\": {\"a\": 4}}");  /* all distinct */
  ck_assert_int_eq(doc->root->count, 4);
  pf_json_free(doc);
  /* 300 keys (the sorting check): distinct, then with k150 again at the end */
  n += (size_t)sprintf(big + n, "{");
  for (i = 0; i < 300; i++) n += (size_t)sprintf(big + n, "%s\"k%d\": %d", i ? ", " : "", i, i);
  doc = parse_ok(strcat(big, "}"));
  ck_assert_int_eq(doc->root->count, 300);
  ck_assert(pf_json_get(doc->root, "k299")->number == 299);
  pf_json_free(doc);
  sprintf(big + n, ", \"k150\": 0}");
  expect_problem(big, strlen(big), PF_JSON_DUPLICATE_KEY, n + 2);
}
END_TEST

/* 64 levels are read; the 65th is refused where it opens. */
START_TEST(depth_limit) {
  char text[2 * (PF_JSON_MAX_DEPTH + 1) + 1];
  pf_json_doc *doc;
  int d;
  for (d = 0; d < PF_JSON_MAX_DEPTH; d++) text[d] = '[', text[2 * PF_JSON_MAX_DEPTH - 1 - d] = ']';
  text[2 * PF_JSON_MAX_DEPTH] = 0;
  doc = parse_ok(text);
  pf_json_free(doc);
  for (d = 0; d <= PF_JSON_MAX_DEPTH; d++) text[d] = '[', text[2 * PF_JSON_MAX_DEPTH + 1 - d] = ']';
  text[2 * (PF_JSON_MAX_DEPTH + 1)] = 0;
  expect_problem(text, strlen(text), PF_JSON_TOO_DEEP, PF_JSON_MAX_DEPTH);
  expect_problem("[{\"a\": [[[", 10, PF_JSON_UNEXPECTED, 10);
}
END_TEST

START_TEST(size_limit) {
  size_t n = PF_JSON_MAX_BYTES;
  char *text = malloc(n + 2);
  pf_json_doc *doc;
  ck_assert_ptr_nonnull(text);
  memset(text, ' ', n + 1);
  text[0] = '0';
  text[n] = 0;
  doc = parse_ok(text); /* "0" and spaces: exactly the limit */
  pf_json_free(doc);
  text[n] = ' ';
  text[n + 1] = 0;
  expect_problem(text, n + 1, PF_JSON_TOO_LONG, PF_JSON_MAX_BYTES);
  free(text);
}
END_TEST

START_TEST(every_problem_has_words) {
  int p;
  for (p = PF_JSON_NO_PROBLEM; p <= PF_JSON_DUPLICATE_KEY; p++)
    ck_assert_str_ne(pf_json_problem_text((pf_json_problem)p), "?");
  ck_assert_str_eq(pf_json_problem_text(PF_JSON_DUPLICATE_KEY), "duplicate key");
  ck_assert_str_eq(pf_json_problem_text(PF_JSON_TOO_DEEP), "nested deeper than 64 levels");
  ck_assert_str_eq(pf_json_problem_text(PF_JSON_TOO_LONG), "longer than 1000000 bytes");
  ck_assert_str_eq(pf_json_kind_name((pf_json_kind)99), "?");
}
END_TEST

static Suite *make_suite(void) {
  Suite *s = suite_create("json_reader");
  TCase *tc = tcase_create("reader");
  tcase_add_test(tc, tree_in_document_order);
  tcase_add_test(tc, document_outlives_its_input);
  tcase_add_test(tc, escapes_and_surrogate_pairs);
  tcase_add_test(tc, bad_strings);
  tcase_add_test(tc, numbers_as_strtod_reads_them);
  tcase_add_test(tc, bad_numbers);
  tcase_add_test(tc, bad_structure);
  tcase_add_test(tc, duplicate_keys);
  tcase_add_test(tc, depth_limit);
  tcase_add_test(tc, size_limit);
  tcase_add_test(tc, every_problem_has_words);
  suite_add_tcase(s, tc);
  return s;
}

PF_TEST_MAIN
