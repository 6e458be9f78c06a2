/* test_trend.c - screen tests of the trend screen (t on the chart), the
 * chart's 60-day sparkline, its milestones panel and treatment sections,
 * and the chart's header after a resize. The TUI in-process on a
 * pseudo-terminal (harness.h), at 80x24 and 132x43. */
#include <check.h>
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engraft/csvio.h"
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


/* Add rows of a CSV kind to the fixture (as `engraft import` would). */
static void import_csv(struct th *t, const char *kind, const char *csv)
{
	enum store_kind k;
	ck_assert_int_eq(ef_kind_parse(kind, &k), 0);
	FILE *f = fmemopen((void *)csv, strlen(csv), "r");
	ck_assert(f != NULL);
	struct ef_import_opts o = {.today = th_today(), .max_errors = 5};
	struct ef_import_result r;
	struct ef_err e = {{0}};
	int rc = ef_import(th_store(t), k, f, kind, &o, &r, &e);
	fclose(f);
	ck_assert_msg(rc == EF_OK, "import %s: %s", kind, e.msg);
}

/* Page down the chart until text shows (at most 8 pages); its row. */
static int chart_find(struct th *t, const char *text)
{
	for (int i = 0; i < 8; i++) {
		int y = th_find(t, text);
		if (y >= 0)
			return y;
		th_key(t, KEY_NPAGE);
	}
	th_dump(t);
	ck_abort_msg("chart does not show \"%s\"", text);
	return -1;
}

/* From a chart back to the list, its filter cleared, and another chart. */
static void reopen_chart(struct th *t, const char *search)
{
	th_type(t, "q");
	ASSERT_SCREEN(t, "Patients");
	th_type(t, "/");
	th_esc(t); /* clears the filter */
	open_chart(t, search);
}

/* The row of the chart's counts table for a test ("ANC"), -1 if none. */
static int count_row(struct th *t, const char *test)
{
	char prefix[16];
	snprintf(prefix, sizeof prefix, " %s ", test);
	for (int y = 0; y < th_rows(t); y++) {
		const char *l = th_line(t, y);
		if (strncmp(l, prefix, strlen(prefix)) == 0 && strstr(l, "/"))
			return y;
	}
	return -1;
}

static void open_trend(struct th *t)
{
	open_chart(t, "smith j");
	th_type(t, "t");
	ASSERT_SCREEN(t, "Trend: ANC  Smith, John  MRN MRN001");
}

/* ---- the trend screen ---- */

/* t on the chart: ANC since day 0 (2024-01-10), the engraftment threshold
 * from parameters.csv drawn and named, the engraftment day (+14) and the
 * IVIG dose under the axis, the y axis in 10*9/L, the x axis in days. */
START_TEST(trend_opens_with_t_on_anc)
{
	struct th *t = start_size(_i);
	import_csv(t, "transfusions", "mrn,given_on,product\nMRN001,2024-01-13,platelets\n");
	open_trend(t);
	ASSERT_SCREEN(t, "in 10*9/L: 6 results since day 0 (2024-01-10)");
	ASSERT_SCREEN(t, "0.5 engraftment");
	int y = th_find(t, "0.5 engraftment");
	ck_assert_msg(strstr(th_line(t, y), "\u2500\u2500\u2500"), "no threshold line: %s", th_line(t, y));
	ASSERT_SCREEN(t, "E engrafted +14");
	ASSERT_SCREEN(t, "T transfusions 1  I IVIG 1");
	ASSERT_SCREEN(t, "day +N");
	int lab = th_find(t, "+0 ");
	ck_assert_msg(lab >= 0 && strstr(th_line(t, lab), "+100"), "x labels: %s", lab >= 0 ? th_line(t, lab) : "");
	/* the events row under the labels: T (day +3) and I (day +51) */
	const char *ev = th_line(t, lab + 1);
	ck_assert_msg(strchr(ev, 'T') && strchr(ev, 'I') && strchr(ev, 'T') < strchr(ev, 'I'), "events: %s", ev);
	/* the braille plot: a point, and the '<0.1' drawn as a down triangle */
	ASSERT_SCREEN(t, "\u2022");
	ASSERT_SCREEN(t, "\u25bc");
	/* the table: newest first, as entered, with its flag */
	y = th_find(t, "2024-01-26");
	ck_assert_int_ge(y, 0);
	ck_assert_msg(strstr(th_line(t, y), "+16") && strstr(th_line(t, y), "1.4 10*9/L") &&
			      strstr(th_line(t, y), " L"),
		      "row: %s", th_line(t, y));
	ASSERT_SCREEN(t, "Right/Tab Next test");
	th_type(t, "q");
	ASSERT_SCREEN(t, "Chart: Smith, John");
	th_free(t);
}
END_TEST

/* Right/Left and Tab/Shift-Tab cycle ANC, PLT, ALC, WBC, HGB, CD4, IGG
 * (then the patient's other tests), each with its own thresholds. */
/* L switches the y axis to powers of ten and back: the <0.1 and the 0.5
 * threshold get rows of their own instead of sharing the bottom. */
START_TEST(trend_log_scale_toggles)
{
	struct th *t = start_size(_i);
	open_trend(t);
	ASSERT_SCREEN(t, "L Log");
	ASSERT_NOT_SCREEN(t, "(log)");
	ck_assert_int_lt(th_find(t, "0.1 \u2524"), 0);
	th_type(t, "L");
	ASSERT_SCREEN(t, "in 10*9/L (log): 6 results");
	int y1 = th_find(t, "0.1 \u2524"), y2 = th_find(t, " 1 \u2524");
	ck_assert_msg(y1 > 0 && y2 > 0 && y2 < y1, "log ticks 0.1 at %d, 1 at %d", y1, y2);
	int thr = th_find(t, "0.5 engraftment");
	ck_assert_msg(thr > y2 && thr < y1, "0.5 threshold at row %d, not between 1 and 0.1", thr);
	th_type(t, "L");
	ASSERT_NOT_SCREEN(t, "(log)");
	ck_assert_int_lt(th_find(t, "0.1 \u2524"), 0);
	th_free(t);
}
END_TEST

START_TEST(trend_cycles_the_tests_with_their_thresholds)
{
	struct th *t = start_size(_i);
	open_trend(t);
	th_key(t, KEY_RIGHT);
	ASSERT_SCREEN(t, "Trend: PLT  Smith, John");
	ASSERT_SCREEN(t, "20 engraftment");
	ASSERT_SCREEN(t, "45 10*9/L");
	th_type(t, "\t");
	ASSERT_SCREEN(t, "Trend: ALC  Smith, John");
	ASSERT_SCREEN(t, "No ALC results since day 0");
	th_type(t, "\t\t\t"); /* WBC, HGB, CD4 */
	ASSERT_SCREEN(t, "Trend: CD4  Smith, John");
	ASSERT_SCREEN(t, "in cells/uL: 1 result since day 0");
	/* both CD4 milestones at 200: one line, named in full where it fits */
	ASSERT_SCREEN(t, _i ? "200 IR-CD4-180, IR-CD4-365" : "200 milestone");
	int y = th_find(t, "150 cells/uL");
	ck_assert_int_ge(y, 0);
	ck_assert_msg(strstr(th_line(t, y), "below"), "no threshold flag: %s", th_line(t, y));
	th_key(t, KEY_RIGHT);
	ASSERT_SCREEN(t, "Trend: IGG  Smith, John");
	ASSERT_SCREEN(t, "400 IgG low");
	y = th_find(t, "380 mg/dL");
	ck_assert_msg(y >= 0 && strstr(th_line(t, y), "LL") && strstr(th_line(t, y), "below IgG low 400"), "IgG row");
	th_key(t, KEY_BTAB);
	ASSERT_SCREEN(t, "Trend: CD4  Smith, John");
	th_key(t, KEY_RIGHT); /* IGG, then back to ANC: Smith has no other test */
	th_key(t, KEY_RIGHT);
	ASSERT_SCREEN(t, "Trend: ANC  Smith, John");
	th_key(t, KEY_LEFT);
	ASSERT_SCREEN(t, "Trend: IGG  Smith, John");
	th_free(t);
}
END_TEST

/* Up/Down/PgUp/PgDn/End/Home scroll the values; at 80x24 the plot keeps
 * about 10 rows and the table shows a few values at a time. */
START_TEST(trend_table_scrolls)
{
	struct th *t = start_size(0);
	open_trend(t);
	ASSERT_SCREEN(t, "1-4 of 6, newest first");
	ASSERT_NOT_SCREEN(t, "2024-01-12");
	th_key(t, KEY_DOWN);
	ASSERT_SCREEN(t, "2-5 of 6");
	th_key(t, KEY_END);
	ASSERT_SCREEN(t, "3-6 of 6");
	int y = th_find(t, "2024-01-12");
	ck_assert_msg(y >= 0 && strstr(th_line(t, y), "0.3 10*9/L") && strstr(th_line(t, y), "below engraftment 0.5"),
		      "oldest row");
	y = th_find(t, "<0.1 10*9/L");
	ck_assert_msg(y >= 0 && strstr(th_line(t, y), "+5") && strstr(th_line(t, y), "LL"), "<0.1 row");
	th_key(t, KEY_HOME);
	ASSERT_SCREEN(t, "1-4 of 6");
	th_key(t, KEY_NPAGE);
	ASSERT_SCREEN(t, "3-6 of 6");
	th_key(t, KEY_PPAGE);
	ASSERT_SCREEN(t, "1-4 of 6");
	/* the plot: rows 3 to 12 between the heading and the axis */
	int axis = th_find(t, "day +N");
	ck_assert_int_ge(axis, 12);
	th_free(t);
}
END_TEST

/* 132x43 uses the room: a taller plot and the whole table at once. */
START_TEST(trend_uses_a_large_terminal)
{
	struct th *t = start_size(1);
	open_trend(t);
	int axis = th_find(t, "day +N");
	ck_assert_msg(axis >= 3 + 15, "plot only %d rows", axis - 3);
	ASSERT_SCREEN(t, "2024-01-12");
	ASSERT_SCREEN(t, "2024-01-26");
	ASSERT_NOT_SCREEN(t, "of 6, newest first"); /* all fit: no range */
	th_resize(t, 24, 80);
	ASSERT_SCREEN(t, "Trend: ANC");
	ASSERT_SCREEN(t, "1-4 of 6");
	th_free(t);
}
END_TEST

/* A terminal that is not UTF-8: plain ASCII, same content. */
START_TEST(trend_falls_back_to_ascii)
{
	setenv("TH_LOCALE", "C", 1);
	struct th *t = start_size(_i);
	unsetenv("TH_LOCALE");
	open_trend(t);
	int y = th_find(t, "0.5 engraftment");
	ck_assert_int_ge(y, 0);
	ck_assert_msg(strstr(th_line(t, y), "-----"), "ASCII threshold: %s", th_line(t, y));
	ASSERT_SCREEN(t, "o result  v <value  - threshold");
	for (int r = 0; r < th_rows(t); r++)
		for (const unsigned char *p = (const unsigned char *)th_line(t, r); *p; p++)
			ck_assert_msg(*p < 0x80, "row %d not ASCII: %s", r, th_line(t, r));
	th_free(t);
}
END_TEST

/* A result marked entered in error (x on the chart) is not plotted and
 * not in the table. */
START_TEST(trend_leaves_out_results_entered_in_error)
{
	struct th *t = start_size(_i);
	open_chart(t, "smith j");
	th_key(t, KEY_END); /* the oldest record: tacrolimus from 2024-01-07 */
	th_key(t, KEY_UP);  /* then ANC 0.3 of 2024-01-12 */
	ASSERT_SCREEN(t, "ANC 0.3 10*9/L");
	th_type(t, "x");
	ASSERT_SCREEN(t, "lab ANC 0.3 10*9/L 2024-01-12");
	th_type(t, "wrong patient");
	th_key(t, KEY_F(2));
	ASSERT_SCREEN(t, "Marked lab ANC 0.3 10*9/L 2024-01-12 entered in error.");
	th_type(t, "t");
	ASSERT_SCREEN(t, "Trend: ANC");
	ASSERT_SCREEN(t, "5 results since day 0");
	th_key(t, KEY_END);
	ASSERT_SCREEN(t, "<0.1 10*9/L");
	ASSERT_NOT_SCREEN(t, "0.3 10*9/L");
	th_free(t);
}
END_TEST

/* ---- the chart: 60-day sparkline, milestones, treatments ---- */

START_TEST(chart_sparkline_covers_the_last_60_days)
{
	struct th *t = start_size(_i);
	open_chart(t, "smith j");
	ASSERT_SCREEN(t, "Trend 60 d (t)");
	int y = count_row(t, "ANC");
	ck_assert_int_ge(y, 0);
	ck_assert_msg(strstr(th_line(t, y), "none in 60 d"), "ANC: %s", th_line(t, y)); /* January */
	/* two CD4 values in the window: the older one lower, both drawn, at
	 * their days' places (2024-07-10 and 2024-08-30: 51 days apart) */
	import_csv(t, "labs", "mrn,collected_on,test,value,unit\nMRN001,2024-08-30,CD4,300,cells/uL\n");
	reopen_chart(t, "smith j");
	y = count_row(t, "CD4");
	ck_assert_int_ge(y, 0);
	const char *l = th_line(t, y);
	const char *lo = strstr(l, "\u2585"), *hi = strstr(l, "\u2588"); /* 150 of 300 is level 4 of 8 */
	ck_assert_msg(lo && hi && lo < hi, "CD4 sparkline: %s", l);
	th_free(t);
}
END_TEST

/* Each immune milestone met, pending or missed, as the rule decides. */
START_TEST(chart_milestones_panel_states)
{
	struct th *t = start_size(_i);
	open_chart(t, "smith j");
	/* CD4 150 on day +182: IR-CD4-180 missed; IR-CD4-365 not yet open */
	int y = chart_find(t, "IR-CD4-180");
	ck_assert_msg(strstr(th_line(t, y), "missed since day +182: last 150 (2024-07-10)"), "%s", th_line(t, y));
	y = chart_find(t, "IR-CD4-365");
	ck_assert_msg(strstr(th_line(t, y), "pending: due by day +395"), "%s", th_line(t, y));
	/* a later CD4 in the window meets it */
	import_csv(t, "labs", "mrn,collected_on,test,value,unit\nMRN001,2024-07-20,CD4,250,cells/uL\n");
	reopen_chart(t, "smith j");
	y = chart_find(t, "IR-CD4-180");
	ck_assert_msg(strstr(th_line(t, y), "met: 250 on day +192 (2024-07-20)"), "%s", th_line(t, y));
	/* Okafor (day 0 2022-05-10): no CD4 at all, both windows closed */
	reopen_chart(t, "okafor");
	y = chart_find(t, "IR-CD4-180");
	ck_assert_msg(strstr(th_line(t, y), "missed: no result in day +150..+210"), "%s",
		      th_line(t, y));
	th_free(t);
}
END_TEST

/* Immunosuppression courses, IVIG doses and transfusions on the chart; the
 * records under them stay selectable. */
START_TEST(chart_shows_treatments)
{
	struct th *t = start_size(_i);
	import_csv(t, "transfusions", "mrn,given_on,product\nMRN001,2024-01-13,platelets\nMRN001,2024-01-18,red_cells\n");
	open_chart(t, "smith j");
	chart_find(t, "Immunosuppression (1)");
	int y = chart_find(t, "started 2024-01-07 (day -3), ongoing");
	ck_assert_msg(strstr(th_line(t, y), " tacrolimus "), "%s", th_line(t, y));
	chart_find(t, "IVIG (1)");
	y = chart_find(t, "2024-03-01  day +51");
	ck_assert_msg(strstr(th_line(t, y), "25 g"), "%s", th_line(t, y));
	chart_find(t, "Transfusions (2)");
	y = chart_find(t, "2024-01-18  day +8");
	ck_assert_msg(strstr(th_line(t, y), "red cells"), "%s", th_line(t, y));
	ck_assert_int_gt(chart_find(t, "2024-01-13  day +3"), y); /* newest first */
	/* selecting a record still works below the new sections; the oldest is
	 * the course, a record of its own (x can mark it) */
	th_key(t, KEY_END);
	y = th_find(t, "IS   tacrolimus started");
	ck_assert_msg(y >= 0 && (th_attr(t, y, 20) & A_REVERSE || PAIR_NUMBER((attr_t)th_attr(t, y, 20)) != 0),
		      "oldest record (the course) not selected");
	th_key(t, KEY_UP);
	y = th_find(t, "ANC 0.3 10*9/L");
	ck_assert_msg(y >= 0 && (th_attr(t, y, 20) & A_REVERSE || PAIR_NUMBER((attr_t)th_attr(t, y, 20)) != 0),
		      "oldest record not selected");
	th_type(t, "x");
	ASSERT_SCREEN(t, "lab ANC 0.3 10*9/L 2024-01-12");
	th_free(t);
}
END_TEST

/* A dose saved with I on the chart shows in its IVIG section and on the
 * trend's time axis at once. */
START_TEST(treatment_entered_on_the_chart_shows_on_chart_and_trend)
{
	struct th *t = start_size(_i);
	open_chart(t, "smith j");
	th_type(t, "I\t30");
	th_key(t, KEY_F(2));
	ASSERT_SCREEN(t, "Saved IVIG 30 g on 2024-09-01.");
	chart_find(t, "IVIG (2)");
	int y = chart_find(t, "2024-09-01  day +235");
	ck_assert_msg(strstr(th_line(t, y), "30 g"), "%s", th_line(t, y));
	th_key(t, KEY_HOME);
	th_type(t, "t");
	ASSERT_SCREEN(t, "T transfusions 0  I IVIG 2");
	th_free(t);
}
END_TEST

/* ---- the chart after a resize ---- */

/* Found by hand: a chart scrolled down lost its header block (name, MRN,
 * diagnosis, day +N) after a resize, until PgUp. */
/* A result collected at a time with seconds (HL7 and FHIR send them) is
 * listed among the records with its whole time, not cut at the minute. */
START_TEST(chart_records_show_a_time_with_seconds_whole)
{
	struct th *t = start_size(_i);
	import_csv(t, "labs", "mrn,collected_on,test,value,unit\nMRN001,2024-08-30T08:15:07,WBC,4.1,10^9/L\n");
	open_chart(t, "smith j");
	th_key(t, KEY_DOWN); /* the newest record: this result */
	int y = chart_find(t, "2024-08-30T08:15:07");
	ck_assert_msg(strstr(th_line(t, y), "lab  WBC 4.1"), "row: %s", th_line(t, y));
	th_free(t);
}
END_TEST

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
	tcase_add_loop_test(tc, trend_opens_with_t_on_anc, 0, N_SIZES);
	tcase_add_loop_test(tc, trend_cycles_the_tests_with_their_thresholds, 0, N_SIZES);
	tcase_add_loop_test(tc, trend_log_scale_toggles, 0, N_SIZES);
	tcase_add_test(tc, trend_table_scrolls);
	tcase_add_test(tc, trend_uses_a_large_terminal);
	tcase_add_loop_test(tc, trend_falls_back_to_ascii, 0, N_SIZES);
	tcase_add_loop_test(tc, trend_leaves_out_results_entered_in_error, 0, N_SIZES);
	tcase_add_loop_test(tc, chart_sparkline_covers_the_last_60_days, 0, N_SIZES);
	tcase_add_loop_test(tc, chart_milestones_panel_states, 0, N_SIZES);
	tcase_add_loop_test(tc, chart_shows_treatments, 0, N_SIZES);
	tcase_add_loop_test(tc, treatment_entered_on_the_chart_shows_on_chart_and_trend, 0, N_SIZES);
	tcase_add_loop_test(tc, chart_records_show_a_time_with_seconds_whole, 0, N_SIZES);
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
