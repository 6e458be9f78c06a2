/* test_trend.c - screen tests of the trend screen (t on the chart), the
 * chart's 60-day sparkline, its milestones panel and treatment sections,
 * and the chart's header after a resize. The TUI in-process on a
 * pseudo-terminal (harness.h), at 80x24 and 132x43. */
#include <check.h>
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "screen_assert.h"

static const int sizes[][2] = {{24, 80}, {43, 132}};
#define N_SIZES ((int)(sizeof sizes / sizeof sizes[0]))

static struct th *start_size(int i)
{
	struct th *t = th_start(sizes[i][0], sizes[i][1], 0);
	ck_assert_msg(t != NULL, "harness did not start");
	return t;
}

/* ---- the chart after a resize ---- */

/* Found by hand: a chart scrolled down lost its header block (name, MRN,
 * diagnosis, day +N) after a resize, until PgUp. */
START_TEST(resized_scrolled_chart_keeps_its_header)
{
	struct th *t = start_size(_i);
	open_chart(t, "smith j");
	ASSERT_SCREEN(t, "Diagnosis: AML");
	th_key(t, KEY_NPAGE);
	th_key(t, KEY_NPAGE);
	ASSERT_SCREEN(t, "Diagnosis: AML"); /* the header stays while scrolled */
	th_resize(t, sizes[1 - _i][0], sizes[1 - _i][1]);
	ASSERT_SCREEN(t, "Smith, John   MRN MRN001");
	ASSERT_SCREEN(t, "Diagnosis: AML");
	ASSERT_SCREEN(t, "Day +235");
	th_resize(t, sizes[_i][0], sizes[_i][1]);
	ASSERT_SCREEN(t, "Diagnosis: AML");
	ASSERT_SCREEN(t, "Day +235");
	th_free(t);
}
END_TEST

/* Scrolled to the oldest record at 80x24, then made 132x43 where the whole
 * chart fits: it shows from the top again (status lines, alerts), not
 * the old scroll position over blank rows until PgUp. */
START_TEST(enlarged_chart_that_fits_is_not_left_scrolled)
{
	struct th *t = start_size(0);
	open_chart(t, "smith j");
	th_key(t, KEY_END);
	ASSERT_NOT_SCREEN(t, "Engraftment");
	th_resize(t, 60, 160);
	ASSERT_SCREEN(t, "Diagnosis: AML");
	ASSERT_SCREEN(t, "Engraftment");
	ASSERT_SCREEN(t, "Open alerts");
	th_free(t);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("trend");
	TCase *tc = tcase_create("screens");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, resized_scrolled_chart_keeps_its_header, 0, N_SIZES);
	tcase_add_test(tc, enlarged_chart_that_fits_is_not_left_scrolled);
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
