/* test_fixes.c - screen tests for the general fixes of issue 14 (item 6):
 * the help over a screen names that screen, a terminal too small for the
 * screen (forms included) ignores every key but quit and resize, a y/n
 * question always shows its (y/n), messages name no colour under NO_COLOR,
 * and in the GVHD form a digit never moves the cursor on. */
#include <check.h>
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engraft/store.h"
#include "harness.h"
#include "screen_assert.h"

static struct th *start(int rows, int cols, int mono)
{
	if (mono)
		setenv("NO_COLOR", "1", 1);
	struct th *t = th_start(rows, cols, 0);
	unsetenv("NO_COLOR");
	ck_assert_msg(t != NULL, "harness did not start");
	return t;
}

/* The line of the form's field `label` (its row: "  Skin  3"). */
static const char *field_line(struct th *t, const char *label)
{
	int y = th_find(t, label);
	ck_assert_msg(y >= 0, "no field %s", label);
	return th_line(t, y);
}

/* The field `label` is the current one (its row has the marker). */
static int is_current(struct th *t, const char *label)
{
	return strstr(field_line(t, label), "\u25b8") != NULL;
}

/* ---- 1. help over a screen is that screen's help ---- */

static const int sizes[][2] = {{24, 80}, {43, 132}};

START_TEST(help_over_alerts_opened_from_a_chart_is_the_alerts_help)
{
	struct th *t = start(sizes[_i][0], sizes[_i][1], 0);
	open_chart(t, "smith j");
	th_type(t, "a");
	ASSERT_SCREEN(t, "Alerts");
	th_type(t, "?");
	/* the title bar and the heading both name the screen under the help */
	ck_assert_msg(strstr(th_line(t, 0), "Help: Alerts"), "title bar: %s", th_line(t, 0));
	ASSERT_SCREEN(t, "Help: Alerts");
	ASSERT_NOT_SCREEN(t, "Help: Chart");
	th_type(t, "q"); /* back to the alerts, then the chart's own help */
	th_type(t, "q");
	ASSERT_SCREEN(t, "Chart: Smith, John");
	th_type(t, "?");
	ck_assert_msg(strstr(th_line(t, 0), "Help: Chart"), "title bar: %s", th_line(t, 0));
	th_free(t);
}
END_TEST

/* ---- 2. too small: every screen says so; only quit and resize ---- */

/* The chronic GVHD form needs 15 rows: at 13x60 the terminal is large
 * enough for the lists but not for this form. Keys typed there (p would
 * leave for the patient list, a open the alerts, 1 a score) do nothing;
 * back at 80x24 the form is as it was. */
START_TEST(form_too_small_ignores_keys_and_keeps_its_content)
{
	struct th *t = start(24, 80, 0);
	open_chart(t, "smithers");
	th_type(t, "g\t");
	th_key(t, KEY_RIGHT); /* chronic */
	th_type(t, "\t1");    /* skin 1 */
	ASSERT_SCREEN(t, "Global severity (NIH 2014): mild");
	th_resize(t, 13, 60);
	ASSERT_SCREEN(t, "Terminal too small");
	th_type(t, "pa1v");
	th_key(t, KEY_F(2));
	ASSERT_SCREEN(t, "Terminal too small");
	ASSERT_NOT_SCREEN(t, "Discard");
	th_resize(t, 24, 80);
	ASSERT_NOT_SCREEN(t, "Terminal too small");
	ck_assert_msg(strstr(th_line(t, 0), "GVHD assessment"), "title: %s", th_line(t, 0));
	ASSERT_SCREEN(t, "Global severity (NIH 2014): mild");
	ck_assert_msg(strstr(field_line(t, "Skin"), "1"), "skin: %s", field_line(t, "Skin"));
	ck_assert_int_eq(th_export_count(t, STORE_K_GVHD_CHRONIC, "MRN002", NULL), 0);
	ck_assert(!th_quit(t));
	th_free(t);
}
END_TEST

/* Below the program's minimum a form says the same; q still quits (asking
 * first about the typed value), n keeps the form. */
START_TEST(terminal_too_small_over_a_form_keeps_it_and_q_asks)
{
	struct th *t = start(24, 80, 0);
	open_chart(t, "smith j");
	th_type(t, "l\t\t4.5");
	th_resize(t, 10, 40);
	ASSERT_SCREEN(t, "Terminal too small");
	th_type(t, "xyz");
	th_type(t, "q");
	ASSERT_SCREEN(t, "Discard the unsaved");
	th_type(t, "n");
	ck_assert(!th_quit(t));
	th_resize(t, 24, 80);
	const char *l = field_line(t, "Value");
	ck_assert_msg(strstr(l, "4.5") && !strstr(l, "xyz"), "value: %s", l);
	ASSERT_SCREEN(t, "New lab result for Smith, John");
	th_free(t);
}
END_TEST

/* ---- 3. a y/n question always shows its (y/n) ---- */

START_TEST(long_question_keeps_its_choice_at_80_columns)
{
	struct th *t = start(24, 80, 0);
	open_chart(t, "smith j");
	th_type(t, "l");
	th_type(t, "\025"); /* Ctrl-U clears the date */
	th_type(t, "2024-01-26\t\t2.0000000000");
	th_key(t, KEY_F(2));
	ASSERT_SCREEN(t, "(y/n)");
	/* the whole question is on the screen, on the bottom two rows */
	char both[200];
	snprintf(both, sizeof both, "%s", th_line(t, 22));
	size_t n = strlen(both);
	snprintf(both + n, sizeof both - n, " %s", th_line(t, 23));
	ck_assert_msg(strstr(both, "ANC on 2024-01-26 is already recorded as 1.4 10*9/L.") &&
			      strstr(both, "Replace it with 2.0000000000 10*9/L? (y/n)"),
		      "question: %s", both);
	th_type(t, "y");
	ASSERT_SCREEN(t, "Replaced ANC on 2024-01-26 (was 1.4)");
	ck_assert_int_eq(th_export_count(t, STORE_K_LABS, "MRN001", "2024-01-26,ANC,2.0000000000,"), 1);
	/* the key bar is back once the question is answered */
	ck_assert_msg(strstr(th_line(t, 23), "Lab") || strstr(th_line(t, 23), "Help"), "bar: %s", th_line(t, 23));
	th_free(t);
}
END_TEST

/* A message longer than the status line continues on the key bar's row
 * until the next key: a refusal's reason and "(nothing saved)" are never
 * cut at 80 columns (a date of death before the patient's records). */
START_TEST(long_message_takes_two_rows_until_the_next_key)
{
	struct th *t = start(24, 80, 0);
	open_chart(t, "smith j");
	th_type(t, "s");
	th_type(t, "\025" "2024-01-05\t");
	th_key(t, KEY_RIGHT);
	th_key(t, KEY_RIGHT); /* alive -> relapse -> deceased */
	th_key(t, KEY_F(2));
	char both[300];
	snprintf(both, sizeof both, "%s", th_line(t, 22));
	size_t n = strlen(both);
	snprintf(both + n, sizeof both - n, " %s", th_line(t, 23));
	ck_assert_msg(strstr(both, "death on 2024-01-05 is before the patient's") && strstr(both, "CD4 of 2024-07-10") &&
			      strstr(both, "(nothing saved)") && !strstr(both, "\u2026"),
		      "message: %s", both);
	ck_assert_int_eq(th_export_count(t, STORE_K_STATUS, "MRN001", "deceased"), 0);
	th_type(t, "\t"); /* the next key: the bar is back */
	ck_assert_msg(strstr(th_line(t, 23), "Save"), "bar: %s", th_line(t, 23));
	th_free(t);
}
END_TEST

/* At 50 columns the same kind of question needs more than two rows: its
 * middle gives way (an ellipsis), never its end. */
START_TEST(question_longer_than_two_rows_loses_its_middle_not_its_choice)
{
	struct th *t = start(24, 50, 0);
	open_chart(t, "smith j");
	th_type(t, "l");
	th_type(t, "\025");
	th_type(t, "2024-01-26\t\t2000.0000000\tc"); /* unit cells/uL */
	th_key(t, KEY_F(2));
	char first[200], second[200]; /* th_line's text lasts until the next call */
	snprintf(first, sizeof first, "%s", th_line(t, 22));
	snprintf(second, sizeof second, "%s", th_line(t, 23));
	ck_assert_msg(strncmp(first, "ANC on 2024-01-26 is already recorded as", 40) == 0, "first row: %s", first);
	ck_assert_msg(strstr(second, "\u2026") && strstr(second, "2000.0000000 cells/uL? (y/n)"), "second row: %s", second);
	th_type(t, "n");
	ASSERT_SCREEN(t, "Cancelled");
	ck_assert_int_eq(th_export_count(t, STORE_K_LABS, "MRN001", "2024-01-26,ANC,1.4,"), 1);
	th_free(t);
}
END_TEST

/* ---- 4. colour words only where there is colour ---- */

static void colour_words(int mono)
{
	struct th *t = start(24, 80, mono);
	open_chart(t, "smith j");
	th_type(t, "l");
	th_key(t, KEY_F(2)); /* the value is empty */
	ASSERT_SCREEN(t, "Not saved: 1 field to correct");
	if (mono) {
		ASSERT_SCREEN(t, "highlighted");
		ASSERT_NOT_SCREEN(t, "in red");
	} else {
		ASSERT_SCREEN(t, "(explained in red)");
	}
	th_key(t, KEY_F(1)); /* the form's help says the same */
	ASSERT_SCREEN(t, "Help: Lab result");
	if (mono) {
		ASSERT_SCREEN(t, "highlighted");
		ASSERT_NOT_SCREEN(t, "in red");
	} else {
		ASSERT_SCREEN(t, "in red");
	}
	th_esc(t);
	th_esc(t); /* leave the form (nothing typed) */
	ASSERT_SCREEN(t, "Chart: Smith, John");
	th_type(t, "g\t\t7"); /* skin 7: out of range */
	ASSERT_SCREEN(t, "Overall grade (MAGIC): ?");
	if (mono) {
		ASSERT_SCREEN(t, "(fix the stages highlighted)");
		ASSERT_NOT_SCREEN(t, "in red");
	} else {
		ASSERT_SCREEN(t, "(fix the stages marked in red)");
	}
	th_free(t);
}

START_TEST(no_color_messages_say_highlighted)
{
	colour_words(1);
}
END_TEST

START_TEST(colour_messages_say_red)
{
	colour_words(0);
}
END_TEST

/* ---- 5. the GVHD form: one key does one thing ---- */

START_TEST(gvhd_digit_stays_in_its_field_and_tab_moves)
{
	struct th *t = start(24, 80, 0);
	open_chart(t, "smithers");
	th_type(t, "g\t\t");
	ck_assert(is_current(t, "Skin"));
	th_type(t, "3");
	ASSERT_SCREEN(t, "Overall grade (MAGIC): II");
	ck_assert_msg(is_current(t, "Skin"), "the cursor left Skin after a digit");
	th_type(t, "2"); /* a second digit replaces the stage */
	ck_assert_msg(is_current(t, "Skin"), "the cursor left Skin after a second digit");
	ck_assert_msg(strstr(field_line(t, "Skin"), "2"), "skin: %s", field_line(t, "Skin"));
	ck_assert_msg(strstr(field_line(t, "Liver"), "0"), "liver changed: %s", field_line(t, "Liver"));
	ASSERT_SCREEN(t, "Overall grade (MAGIC): I");
	th_type(t, "\t");
	ck_assert(is_current(t, "Liver"));
	th_type(t, "3");
	ck_assert(is_current(t, "Liver"));
	ASSERT_SCREEN(t, "Overall grade (MAGIC): III");
	th_key(t, KEY_F(2));
	ASSERT_SCREEN(t, "Saved acute GVHD assessment of 2024-09-01: grade III");
	ck_assert_int_eq(th_export_count(t, STORE_K_GVHD_ACUTE, "MRN002", "MRN002,2024-09-01,2,3,0,0"), 1);
	th_free(t);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("tui-fixes");
	TCase *tc = tcase_create("fixes");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, help_over_alerts_opened_from_a_chart_is_the_alerts_help, 0, 2);
	tcase_add_test(tc, form_too_small_ignores_keys_and_keeps_its_content);
	tcase_add_test(tc, terminal_too_small_over_a_form_keeps_it_and_q_asks);
	tcase_add_test(tc, long_question_keeps_its_choice_at_80_columns);
	tcase_add_test(tc, long_message_takes_two_rows_until_the_next_key);
	tcase_add_test(tc, question_longer_than_two_rows_loses_its_middle_not_its_choice);
	tcase_add_test(tc, no_color_messages_say_highlighted);
	tcase_add_test(tc, colour_messages_say_red);
	tcase_add_test(tc, gvhd_digit_stays_in_its_field_and_tab_moves);
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
