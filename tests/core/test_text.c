/* test_text.c - text that users type (text.h), numbers under any locale
 * (units.h), and "nothing after now" (date.h): pure functions, table-driven. */
#include <check.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engraft/date.h"
#include "engraft/timeline.h"
#include "engraft/text.h"
#include "engraft/units.h"

static const struct {
	const char *in;
	int newlines;
	const char *problem; /* substring, NULL: accepted */
} problems[] = {
	{"Müller", 0, NULL},
	{"plain text, with 'quotes'", 0, NULL},
	{"seen\033[2J", 0, "control character"},
	{"bell\007", 0, "control character"},
	{"del\177", 0, "control character"},
	{"c1 \xc2\x9b" "31m", 0, "control character"},
	{"two\nlines", 0, "control character"},
	{"two\nlines", 1, NULL},
	{"tab\there", 1, NULL},
	{"bad \xff utf-8", 0, "not valid UTF-8"},
	{"overlong \xc0\xaf", 0, "not valid UTF-8"},
	{"surrogate \xed\xa0\x80", 0, "not valid UTF-8"},
	{"cut \xe2\x82", 0, "not valid UTF-8"},
};

START_TEST(text_problem_table)
{
	const char *got = ef_text_problem(problems[_i].in, strlen(problems[_i].in), problems[_i].newlines);
	if (!problems[_i].problem)
		ck_assert_msg(got == NULL, "case %d: refused: %s", _i, got);
	else
		ck_assert_msg(got && strstr(got, problems[_i].problem), "case %d: got %s", _i, got ? got : "NULL");
}
END_TEST

static const struct {
	const char *in, *out;
} escapes[] = {
	{"Müller", "Müller"},
	{"seen\033[2J", "seen\\x1b[2J"},
	{"a\\b", "a\\\\b"},
	{"nl\nx", "nl\\x0ax"},
	{"bad \xff", "bad \\xff"},
	{"c1 \xc2\x9b", "c1 \\xc2\\x9b"},
	{"", ""},
};

START_TEST(escape_table)
{
	char out[64];
	ck_assert_str_eq(ef_text_escape(escapes[_i].in, out, sizeof out), escapes[_i].out);
}
END_TEST

START_TEST(escape_never_cuts_silently)
{
	char out[12];
	ef_text_escape("abcdefghijklmnopqrstuvwxyz", out, sizeof out);
	ck_assert_uint_lt(strlen(out), sizeof out);
	ck_assert_msg(strcmp(out + strlen(out) - 3, "...") == 0, "cut without a mark: %s", out);
	ef_text_escape("\033\033\033\033\033\033", out, sizeof out); /* never half an escape */
	ck_assert_msg(strncmp(out, "\\x1b\\x1b", 8) == 0 && strstr(out, "..."), "%s", out);
	ck_assert_str_eq(ef_text_escape("short", out, sizeof out), "short");
}
END_TEST

/* Under a decimal-comma locale strtod("0.45") stops at the '.'. */
START_TEST(decimal_parse_ignores_the_locale)
{
	if (!setlocale(LC_ALL, "de_DE.UTF-8")) {
		ck_assert_msg(!getenv("CI"), "CI has no de_DE.UTF-8 locale (.ci/deps makes it)");
		fprintf(stderr, "SKIP: no de_DE.UTF-8 locale here\n");
		return;
	}
	double v = 0;
	enum ef_qual q;
	ck_assert_int_eq(ef_decimal_parse("0.45", 4, &v), 0);
	ck_assert(v == 0.45);
	ck_assert_int_eq(ef_value_parse("<1.5", 4, &q, &v, NULL), 0);
	ck_assert(v == 1.5 && q == EF_Q_LT);
	ck_assert_int_eq(ef_decimal_parse("0,45", 4, &v), -1); /* the comma is never a decimal point */
	setlocale(LC_ALL, "C");
}
END_TEST

static const struct {
	int day, secs, now_day, now_sec, after;
} nows[] = {
	{100, -1, 100, 0, 0},        /* today, no time */
	{101, -1, 100, 86399, 1},    /* tomorrow */
	{100, 82800, 100, 4500, 1},  /* 23:00 at 01:15 */
	{100, 4500, 100, 4500, 0},   /* this very minute */
	{100, 4501, 100, 4500, 1},
	{99, 86399, 100, 0, 0},      /* yesterday night */
};

START_TEST(after_now_table)
{
	ck_assert_int_eq(ef_after_now(nows[_i].day, nows[_i].secs, nows[_i].now_day, nows[_i].now_sec), nows[_i].after);
}
END_TEST

/* Vocabularies live in core only: their words (for messages) and their
 * parse agree, and an empty word is never one. */
START_TEST(vocabularies_parse_their_own_words)
{
	static const struct {
		enum ef_vocab v;
		const char *words;
	} vs[] = {
		{EF_V_SEX, "F, M, X"},
		{EF_V_HCT_TYPE, "autologous, allogeneic, syngeneic, cellular_therapy"},
		{EF_V_GRAFT, "bone_marrow, peripheral_blood, cord_blood"},
		{EF_V_DONOR, "self, related, unrelated, haploidentical"},
		{EF_V_CONDITIONING, "myeloablative, reduced_intensity, nonmyeloablative"},
		{EF_V_PRODUCT, "platelets, red_cells, plasma, granulocytes"},
	};
	for (size_t i = 0; i < sizeof vs / sizeof vs[0]; i++) {
		ck_assert_str_eq(ef_vocab_words(vs[i].v), vs[i].words);
		char w[128];
		snprintf(w, sizeof w, "%s", vs[i].words);
		int last = -1;
		for (char *t = strtok(w, ", "); t; t = strtok(NULL, ", ")) {
			int out;
			ck_assert_int_eq(ef_vocab_parse(vs[i].v, t, strlen(t), &out), 0);
			ck_assert_int_gt(out, last); /* in the enum's order */
			last = out;
		}
		int out;
		ck_assert_int_eq(ef_vocab_parse(vs[i].v, "", 0, &out), -1);
		ck_assert_int_eq(ef_vocab_parse(vs[i].v, "Allogeneic", 10, &out), -1);
	}
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("text");
	TCase *tc = tcase_create("text");
	tcase_add_loop_test(tc, text_problem_table, 0, (int)(sizeof problems / sizeof problems[0]));
	tcase_add_loop_test(tc, escape_table, 0, (int)(sizeof escapes / sizeof escapes[0]));
	tcase_add_test(tc, escape_never_cuts_silently);
	tcase_add_test(tc, decimal_parse_ignores_the_locale);
	tcase_add_test(tc, vocabularies_parse_their_own_words);
	tcase_add_loop_test(tc, after_now_table, 0, (int)(sizeof nows / sizeof nows[0]));
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
