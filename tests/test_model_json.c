/* The strict JSON reader that reads risk models (ext/core/model_json.c): what it accepts,
** decoded as RFC 8259 says, and every refusal with its message. */
#include "testing.h"
#include "model_json.h"
#include "portfolio_core.h"

static pf_mj_node *parse_ok(const char *text) {
  pf_mj_node *root = 0;
  char err[200] = "";
  int rc = pf_mj_parse(text, strlen(text), &root, err, sizeof(err));
  ck_assert_msg(rc == PF_OK, "refused %s: %s", text, err);
  return root;
}

static void refused(const char *text, size_t n, const char *want) {
  pf_mj_node *root = (pf_mj_node *)1;
  char err[200] = "";
  ck_assert_int_eq(pf_mj_parse(text, n, &root, err, sizeof(err)), PF_RANGE);
  ck_assert_ptr_null(root);
  ck_assert_str_eq(err, want);
}

START_TEST(decodes_values) {
  pf_mj_node *root = parse_ok(" {\"a\": [1, -2.5e3, 0.125, true, false, null],"
                              " \"s\": \"q\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\","
                              " \"e\": {}, \"z\": []} ");
  const pf_mj_node *a = pf_mj_get(root, "a"), *s = pf_mj_get(root, "s");
  ck_assert_int_eq(root->kind, PF_MJ_OBJECT);
  ck_assert_int_eq(a->count, 6);
  ck_assert(pf_mj_child(a, 0)->number == 1);
  ck_assert(pf_mj_child(a, 1)->number == -2500);
  ck_assert(pf_mj_child(a, 2)->number == 0.125);
  ck_assert_int_eq(pf_mj_child(a, 3)->kind, PF_MJ_TRUE);
  ck_assert_int_eq(pf_mj_child(a, 4)->kind, PF_MJ_FALSE);
  ck_assert_int_eq(pf_mj_child(a, 5)->kind, PF_MJ_NULL);
  /* U+00E9 is C3 A9 in UTF-8, U+1F600 (the pair D83D DE00) is F0 9F 98 80 */
  ck_assert_int_eq(s->length, 15);
  ck_assert_mem_eq(s->string, "q\"\\/\b\f\n\r\t\xc3\xa9\xf0\x9f\x98\x80", 15);
  ck_assert_int_eq(pf_mj_get(root, "e")->count, 0);
  ck_assert_ptr_null(pf_mj_get(root, "missing"));
  ck_assert_ptr_null(pf_mj_get(a, "a")); /* not an object */
  pf_mj_free(root);
  root = parse_ok("\"Z\xc3\xbcrich \xe6\x97\xa5\"");
  ck_assert_str_eq(root->string, "Z\xc3\xbcrich \xe6\x97\xa5");
  pf_mj_free(root);
}
END_TEST

START_TEST(refuses_what_is_not_json) {
  char deep[200];
  memset(deep, '[', 65);
  memset(deep + 65, ']', 65);
  refused(deep, 130, "arrays and objects nested too deep at byte 64");
  refused("", 0, "a value expected at byte 0");
  refused("{\"a\": 1,}", 9, "an object key must be a string at byte 8");
  refused("[1, 2,]", 7, "not a JSON value at byte 6");
  refused("{\"a\": 1} x", 10, "text after the JSON value at byte 9");
  refused("{\"a\": 1, \"a\": 2}", 16, "a key given twice at byte 9");
  refused("{\"a\" 1}", 7, "':' expected after a key at byte 5");
  refused("NaN", 3, "not a JSON value at byte 0");
  refused("Infinity", 8, "not a JSON value at byte 0");
  refused("1e999", 5, "a number beyond the range of a double at byte 5");
  refused("01", 2, "text after the JSON value at byte 1");
  refused("+1", 2, "not a JSON value at byte 0");
  refused("1.", 2, "a number needs digits after '.' at byte 2");
  refused("1e+", 3, "a number needs digits in its exponent at byte 3");
  refused("tru", 3, "not a JSON value at byte 0");
  refused("\"abc", 4, "a string without its closing quote at byte 4");
  refused("\"a\tb\"", 5, "a control character in a string at byte 2");
  refused("\"\\x\"", 4, "an unknown escape in a string at byte 2");
  refused("\"\\u12\"", 6, "a \\u escape needs 4 hex digits at byte 3");
  refused("\"\\udc00\"", 8, "a lone low surrogate in a \\u escape at byte 7");
  refused("\"\\ud83d\"", 8, "a high surrogate \\u escape without its low half at byte 7");
  refused("\"\\ud83d\\u0041\"", 14, "a high surrogate \\u escape without its low half at byte 13");
  refused("\"\xc3\"", 3, "invalid UTF-8 in a string at byte 1");
  refused("\"\xc0\xaf\"", 4, "invalid UTF-8 in a string at byte 1");     /* overlong */
  refused("\"\xed\xa0\x80\"", 5, "invalid UTF-8 in a string at byte 1"); /* a surrogate */
  refused("\"\xf4\x90\x80\x80\"", 6, "invalid UTF-8 in a string at byte 1"); /* > U+10FFFF */
  refused("\"a\0b\"", 5, "a control character in a string at byte 2");
  refused("[1 2]", 5, "',' or ']' expected at byte 3");
}
END_TEST

START_TEST(long_numbers_and_nesting_at_the_limit) {
  char deep[200], num[400];
  pf_mj_node *root;
  memset(deep, '[', 64);
  memset(deep + 64, ']', 64);
  deep[128] = 0;
  pf_mj_free(parse_ok(deep));
  memset(num, '1', 300); /* 300 digits: longer than the reader's small buffer */
  strcpy(num + 300, "e-250");
  root = parse_ok(num);
  pf_assert_near(root->number, 1.1111111111111111e49, 1e-15);
  pf_mj_free(root);
}
END_TEST

static Suite *make_suite(void) {
  Suite *s = suite_create("model_json");
  TCase *tc = tcase_create("core");
  tcase_add_test(tc, decodes_values);
  tcase_add_test(tc, refuses_what_is_not_json);
  tcase_add_test(tc, long_numbers_and_nesting_at_the_limit);
  suite_add_tcase(s, tc);
  return s;
}

PF_TEST_MAIN
