/* test_tui.c - screen tests: the TUI in-process on a pseudo-terminal
 * (harness.h), scripted keys, assertions on the text read back from the
 * screen and on the database (through the export path). Sizes 80x24 and
 * 132x43 where the layout matters (loop tests over the sizes). */
#include <check.h>
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engraft/alertstore.h"
#include "engraft/app.h"
#include "engraft/staff.h"
#include "engraft/store.h"
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


/* The row of the counts table for a test ("ANC"), -1 if none. */
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

/* ---- patient list ---- */

START_TEST(list_shows_patients_by_name)
{
	struct th *t = start_size(_i);
	ASSERT_SCREEN(t, "Patients: 6");
	int doe = th_find(t, "Doe, Jane"), mul = th_find(t, "Müller, Jürgen"), zh = th_find(t, "Zhang, Wei");
	ck_assert_int_gt(doe, 0);
	ck_assert_int_gt(mul, doe);
	ck_assert_int_gt(zh, mul);
	/* day +N since the transplant (2024-01-10 -> 2024-09-01) and the type */
	const char *smith = th_line(t, th_find(t, "Smith, John"));
	ck_assert_msg(strstr(smith, "+235") != NULL, "day +N wrong: %s", smith);
	ck_assert_msg(strstr(smith, "allo") != NULL, "type missing: %s", smith);
	ck_assert_msg(strstr(th_line(t, zh), "  -") != NULL, "no transplant should show -");
	/* key bar on the last row, generated from the key table */
	const char *bar = th_line(t, sizes[_i][0] - 1);
	ck_assert_msg(strstr(bar, "/ Search") && strstr(bar, "Enter Open") && strstr(bar, "Quit"), "bar: %s", bar);
	th_free(t);
}
END_TEST

START_TEST(search_filters_as_you_type_and_esc_clears)
{
	struct th *t = start_size(0);
	th_type(t, "/smi");
	ASSERT_SCREEN(t, "2 matching \"smi\"");
	ASSERT_SCREEN(t, "Smith, John");
	ASSERT_SCREEN(t, "Smithers, Anna");
	ASSERT_NOT_SCREEN(t, "Doe, Jane");
	th_type(t, "the");
	ASSERT_SCREEN(t, "1 matching \"smithe\"");
	ASSERT_NOT_SCREEN(t, "Smith, John");
	th_key(t, KEY_BACKSPACE);
	ASSERT_SCREEN(t, "Smith, John");
	th_esc(t); /* clears the filter */
	ASSERT_SCREEN(t, "Patients: 6");
	ASSERT_SCREEN(t, "Doe, Jane");
	ck_assert(!th_quit(t));
	th_free(t);
}
END_TEST

START_TEST(search_matches_mrn_and_given_name_and_two_words)
{
	struct th *t = start_size(0);
	th_type(t, "/MRN004");
	ASSERT_SCREEN(t, "Müller, Jürgen");
	ASSERT_NOT_SCREEN(t, "Smith, John");
	th_key(t, KEY_BACKSPACE); /* "MRN00" matches all six */
	ASSERT_SCREEN(t, "6 matching");
	th_esc(t);
	th_type(t, "/anna");
	ASSERT_SCREEN(t, "1 matching");
	ASSERT_SCREEN(t, "Smithers, Anna");
	th_esc(t);
	th_type(t, "/smith j");
	ASSERT_SCREEN(t, "1 matching");
	ASSERT_SCREEN(t, "Smith, John");
	th_esc(t);
	th_type(t, "/zzz");
	ASSERT_SCREEN(t, "No patient matches");
	th_free(t);
}
END_TEST

START_TEST(enter_keeps_filter_then_opens_chart)
{
	struct th *t = start_size(_i);
	th_type(t, "/doe");
	th_enter(t);
	ASSERT_SCREEN(t, "Filter: doe");
	th_enter(t);
	ASSERT_SCREEN(t, "Chart: Doe, Jane");
	ASSERT_SCREEN(t, "Diagnosis: MDS");
	ASSERT_SCREEN(t, "HCT 2023-03-01");
	ASSERT_SCREEN(t, "cord blood");
	th_type(t, "q"); /* back to the list, filter kept */
	ASSERT_SCREEN(t, "Filter: doe");
	th_type(t, "q"); /* quits */
	ck_assert(th_quit(t));
	th_free(t);
}
END_TEST

START_TEST(chart_shows_latest_counts_with_trend)
{
	struct th *t = start_size(_i);
	open_chart(t, "smith j");
	int anc = count_row(t, "ANC");
	ck_assert_int_ge(anc, 0);
	const char *l = th_line(t, anc);
	ck_assert_msg(strstr(l, "1.4") && strstr(l, "2024-01-26") && strstr(l, "+16"), "ANC row: %s", l);
	/* the sparkline's window is the last 60 days: ANC's are older, CD4's is in it */
	ck_assert_msg(strstr(l, "none in 60 d"), "ANC sparkline: %s", l);
	l = th_line(t, count_row(t, "CD4"));
	ck_assert_msg(strstr(l, "\u2588"), "sparkline missing: %s", l);
	ASSERT_SCREEN(t, "acute grade I ");
	ASSERT_SCREEN(t, "tacrolimus since 2024-01-07");
	ASSERT_SCREEN(t, "last 2024-03-01 (25 g)");
	th_free(t);
}
END_TEST

/* Each latest value carries its flag from lab_tests.csv: ANC 1.4 is low
 * (reference 1.8-7.7), IgG 380 critical low (400, [R19]); without colour
 * the critical flag is still set apart (bold, underlined). */
START_TEST(chart_flags_latest_values)
{
	setenv("NO_COLOR", "1", 1);
	struct th *t = start_size(_i);
	unsetenv("NO_COLOR");
	open_chart(t, "smith j");
	ASSERT_SCREEN(t, "Flag");
	int anc = count_row(t, "ANC"), igg = count_row(t, "IGG");
	ck_assert_int_ge(anc, 0);
	ck_assert_int_ge(igg, 0);
	const char *l = th_line(t, anc);
	ck_assert_msg(strncmp(l + 55, "L ", 2) == 0, "ANC flag: %s", l);
	l = th_line(t, igg);
	ck_assert_msg(strncmp(l + 55, "LL ", 3) == 0, "IGG flag: %s", l);
	unsigned long at = th_attr(t, igg, 55);
	ck_assert_msg((at & A_UNDERLINE) && PAIR_NUMBER((attr_t)at) == 0, "critical flag not set apart without colour");
	th_free(t);
}
END_TEST

/* ---- lab entry ---- */

static void open_lab(struct th *t)
{
	open_chart(t, "smith j");
	th_type(t, "l");
	ASSERT_SCREEN(t, "New lab result for Smith, John");
	ASSERT_SCREEN(t, "2024-09-01"); /* date defaults to today */
}

START_TEST(lab_entry_rejects_bad_value_in_place)
{
	struct th *t = start_size(0);
	int before = th_export_count(t, STORE_K_LABS, "MRN001", NULL);
	open_lab(t);
	th_type(t, "\t");
	th_key(t, KEY_RIGHT); /* ALC */
	th_type(t, "\t12,5\t");
	int row = th_find(t, "Value");
	const char *l = th_line(t, row);
	ck_assert_msg(strstr(l, "12,5") && strstr(l, "not a decimal number"), "no in-place error: %s", l);
	ASSERT_SCREEN(t, "Value: not a decimal number"); /* in full under the fields */
	th_key(t, KEY_F(2));
	ASSERT_SCREEN(t, "Not saved: 1 field to correct");
	ASSERT_SCREEN(t, "New lab result"); /* still in the form */
	ck_assert_int_eq(th_export_count(t, STORE_K_LABS, "MRN001", NULL), before);
	th_free(t);
}
END_TEST

/* An impossible value (outside lab_tests.csv's plausible range) is refused
 * as it is typed, with the limits, and F2 saves nothing. */
START_TEST(lab_entry_refuses_implausible_value_with_limits)
{
	struct th *t = start_size(_i);
	int before = th_export_count(t, STORE_K_LABS, "MRN001", NULL);
	open_lab(t);
	th_type(t, "\t");
	th_key(t, KEY_RIGHT); /* ALC */
	th_type(t, "\t99999"); /* still in the field */
	const char *l = th_line(t, th_find(t, "Value"));
	ck_assert_msg(strstr(l, "99999") && strstr(l, "outside the plausible"), "no refusal in place: %s", l);
	ASSERT_SCREEN(t, "(0 to 1000 10*9/L)"); /* the limits, in full under the fields */
	th_key(t, KEY_F(2));
	ASSERT_SCREEN(t, "Not saved: 1 field to correct");
	ASSERT_SCREEN(t, "New lab result");
	ck_assert_int_eq(th_export_count(t, STORE_K_LABS, "MRN001", NULL), before);
	th_free(t);
}
END_TEST

/* "<0" is no result at all. */
START_TEST(lab_entry_refuses_less_than_zero)
{
	struct th *t = start_size(0);
	open_lab(t);
	th_type(t, "\t\t<0");
	ASSERT_SCREEN(t, "<0 cannot be a result (ANC cannot be below 0)");
	th_key(t, KEY_F(2));
	ASSERT_SCREEN(t, "Not saved: 1 field to correct");
	th_free(t);
}
END_TEST

/* The flag the result will carry shows while typing, before saving: low,
 * then critical low once the unit makes it 0.3 10*9/L. */
START_TEST(lab_entry_shows_flag_before_saving)
{
	struct th *t = start_size(_i);
	int before = th_export_count(t, STORE_K_LABS, "MRN001", NULL);
	open_lab(t);
	th_type(t, "\t\t1.2");
	const char *l = th_line(t, th_find(t, "Value"));
	ck_assert_msg(strstr(l, "low (below 1.8 10*9/L)") && !strstr(l, "critical"), "no low flag: %s", l);
	th_type(t, "\b\b\b300\t");
	th_type(t, "/");      /* unit /uL: 300 /uL = 0.3 10*9/L */
	l = th_line(t, th_find(t, "Value"));
	ck_assert_msg(strstr(l, "= 0.3 10*9/L, critical low (below 0.5 10*9/L)"), "no critical flag: %s", l);
	ck_assert_int_eq(th_export_count(t, STORE_K_LABS, "MRN001", NULL), before); /* nothing saved yet */
	th_key(t, KEY_F(2));
	ASSERT_SCREEN(t, "Saved ANC 300 /uL on 2024-09-01");
	l = th_line(t, count_row(t, "ANC"));
	ck_assert_msg(strlen(l) > 57 && strncmp(l + 55, "LL", 2) == 0, "chart flag: %s", l);
	th_free(t);
}
END_TEST

START_TEST(lab_entry_rejects_future_date_and_empty_value)
{
	struct th *t = start_size(0);
	int before = th_export_count(t, STORE_K_LABS, "MRN001", NULL);
	open_lab(t);
	th_type(t, "2024-09-02");
	th_type(t, "\023"); /* Ctrl-S */
	ASSERT_SCREEN(t, "Not saved: 2 fields to correct");
	const char *l = th_line(t, th_find(t, "Collected"));
	ck_assert_msg(strstr(l, "in the future (today is 2024-09-01)"), "date error: %s", l);
	l = th_line(t, th_find(t, "Value"));
	ck_assert_msg(strstr(l, "required"), "value error: %s", l);
	ck_assert_int_eq(th_export_count(t, STORE_K_LABS, "MRN001", NULL), before);
	th_free(t);
}
END_TEST

START_TEST(lab_entry_saves_with_unit_and_qualifier)
{
	struct th *t = start_size(_i);
	open_lab(t);
	th_type(t, "\t\t<800\t"); /* ANC, value, then unit */
	th_key(t, KEY_RIGHT);    /* 10*9/L -> the next accepted unit */
	const char *u = th_line(t, th_find(t, "Unit"));
	ck_assert_msg(strstr(u, "10^9/L"), "unit: %s", u);
	th_type(t, "/");         /* the unit that starts with / */
	u = th_line(t, th_find(t, "Unit"));
	ck_assert_msg(strstr(u, "Unit       /uL "), "unit: %s", u);
	ASSERT_SCREEN(t, "= 0.8 10*9/L"); /* conversion shown before saving */
	th_key(t, KEY_F(2));
	ASSERT_SCREEN(t, "Saved ANC <800 /uL on 2024-09-01");
	ASSERT_SCREEN(t, "Chart: Smith, John"); /* back on the chart, reloaded */
	const char *l = th_line(t, count_row(t, "ANC"));
	ck_assert_msg(strstr(l, "<0.8") && strstr(l, "2024-09-01"), "chart not updated: %s", l);
	ck_assert_int_eq(th_export_count(t, STORE_K_LABS, "MRN001", "MRN001,2024-09-01,ANC,<800,/uL"), 1);
	th_free(t);
}
END_TEST

START_TEST(lab_entry_asks_before_replacing_a_result)
{
	struct th *t = start_size(0);
	open_lab(t);
	th_type(t, "\025"); /* Ctrl-U clears the date */
	th_type(t, "2024-01-26\t\t2.0");
	th_key(t, KEY_F(2));
	ASSERT_SCREEN(t, "already recorded as 1.4 10*9/L. Replace it with 2.0");
	th_type(t, "n");
	ASSERT_SCREEN(t, "Cancelled");
	ck_assert_int_eq(th_export_count(t, STORE_K_LABS, "MRN001", "2024-01-26,ANC,1.4,"), 1);
	th_key(t, KEY_F(2));
	th_type(t, "y");
	ASSERT_SCREEN(t, "Replaced ANC on 2024-01-26 (was 1.4)");
	ck_assert_int_eq(th_export_count(t, STORE_K_LABS, "MRN001", "2024-01-26,ANC,2.0,"), 1);
	ck_assert_int_eq(th_export_count(t, STORE_K_LABS, "MRN001", "2024-01-26,ANC,1.4,"), 0);
	th_free(t);
}
END_TEST

START_TEST(leaving_a_filled_form_asks_first)
{
	struct th *t = start_size(0);
	int before = th_export_count(t, STORE_K_LABS, NULL, NULL);
	open_lab(t);
	th_type(t, "\t\t3.3");
	th_esc(t);
	ASSERT_SCREEN(t, "Discard the unsaved Lab result? (y/n)");
	th_type(t, "n");
	ASSERT_SCREEN(t, "New lab result");
	const char *l = th_line(t, th_find(t, "Value"));
	ck_assert_msg(strstr(l, "3.3"), "typed value lost: %s", l);
	th_type(t, "\003"); /* Ctrl-C: quit engraft, asks too */
	ASSERT_SCREEN(t, "Discard the unsaved Lab result?");
	th_type(t, "y");
	ck_assert(th_quit(t));
	ck_assert_int_eq(th_export_count(t, STORE_K_LABS, NULL, NULL), before);
	th_free(t);
}
END_TEST

START_TEST(leaving_an_untouched_form_does_not_ask)
{
	struct th *t = start_size(0);
	open_lab(t);
	th_esc(t);
	ASSERT_NOT_SCREEN(t, "Discard");
	ASSERT_SCREEN(t, "Chart: Smith, John");
	th_free(t);
}
END_TEST

/* ---- GVHD ---- */

START_TEST(gvhd_grade_updates_live_and_saves)
{
	struct th *t = start_size(_i);
	open_chart(t, "smithers");
	th_type(t, "g");
	ASSERT_SCREEN(t, "Overall grade (MAGIC): 0");
	th_type(t, "\t\t3"); /* skin stage 3 */
	ASSERT_SCREEN(t, "Overall grade (MAGIC): II");
	th_type(t, "\t2"); /* liver 2 (Tab moves on; a digit never does) */
	ASSERT_SCREEN(t, "Overall grade (MAGIC): III");
	th_type(t, "\t7"); /* upper GI 7: out of range */
	ASSERT_SCREEN(t, "'7' is not a stage from 0 to 1");
	ASSERT_SCREEN(t, "Overall grade (MAGIC): ?");
	th_key(t, KEY_F(2));
	ASSERT_SCREEN(t, "Not saved");
	ck_assert_int_eq(th_export_count(t, STORE_K_GVHD_ACUTE, "MRN002", NULL), 0);
	ck_assert_msg(strstr(th_line(t, th_find(t, "Upper GI")), "\u25b8"), "save did not go to the bad field");
	th_type(t, "1");
	ASSERT_SCREEN(t, "Overall grade (MAGIC): III");
	th_key(t, KEY_F(2));
	ASSERT_SCREEN(t, "Saved acute GVHD assessment of 2024-09-01: grade III");
	ck_assert_int_eq(th_export_count(t, STORE_K_GVHD_ACUTE, "MRN002", "MRN002,2024-09-01,3,2,1,0"), 1);
	ASSERT_SCREEN(t, "acute grade III");
	th_free(t);
}
END_TEST

START_TEST(gvhd_chronic_severity_updates_live)
{
	struct th *t = start_size(0);
	open_chart(t, "smithers");
	th_type(t, "g\t");
	th_key(t, KEY_RIGHT); /* chronic */
	ASSERT_SCREEN(t, "Global severity (NIH 2014): none");
	ASSERT_SCREEN(t, "Genital");
	th_type(t, "\t1");
	ASSERT_SCREEN(t, "Global severity (NIH 2014): mild");
	th_type(t, "\t0\t0\t0\t0"); /* mouth eyes gi liver */
	th_type(t, "\t2");             /* lungs 2 */
	ASSERT_SCREEN(t, "Global severity (NIH 2014): severe");
	th_key(t, KEY_F(2));
	ASSERT_SCREEN(t, "Saved chronic GVHD assessment");
	ck_assert_int_eq(th_export_count(t, STORE_K_GVHD_CHRONIC, "MRN002", "MRN002,2024-09-01,1,0,0,0,0,2,0,0"), 1);
	th_free(t);
}
END_TEST

/* ---- vaccinations ---- */

START_TEST(record_dose_from_patient_worklist)
{
	struct th *t = start_size(0);
	open_chart(t, "okafor");
	th_type(t, "v");
	ASSERT_SCREEN(t, "Vaccinations: Okafor, Chidi");
	th_key(t, KEY_END); /* the doses given come last (below the next doses) */
	ASSERT_SCREEN(t, "Given since the transplant (2)");
	th_key(t, KEY_HOME);
	th_type(t, "r");
	ASSERT_SCREEN(t, "Record a vaccine dose given to Okafor, Chidi");
	th_type(t, "h"); /* first vaccine starting with h: HIB */
	ASSERT_SCREEN(t, "Haemophilus");
	th_type(t, "\t\tLOT-77\tright deltoid");
	th_key(t, KEY_F(2));
	ASSERT_SCREEN(t, "Recorded HIB given on 2024-09-01");
	th_key(t, KEY_END);
	ASSERT_SCREEN(t, "Given since the transplant (3)");
	ck_assert_int_eq(th_export_count(t, STORE_K_VACCINATIONS, "MRN005", "MRN005,HIB,2024-09-01,LOT-77,right deltoid"),
			 1);
	th_free(t);
}
END_TEST

START_TEST(clinic_worklist_groups_doses_and_records_the_selected_one)
{
	struct th *t = start_size(_i);
	th_type(t, "v");
	ASSERT_SCREEN(t, "Vaccinations: clinic");
	ASSERT_SCREEN(t, "Overdue (");
	th_key(t, KEY_END);
	ASSERT_SCREEN(t, "Blocked (");
	ASSERT_SCREEN(t, "< 24"); /* the reason a live vaccine is blocked */
	th_key(t, KEY_HOME);
	/* the first row is the most overdue dose: Okafor's COVID19:1 */
	int y = th_find(t, "COVID19:1");
	ck_assert_int_gt(y, 0);
	ck_assert_msg(strstr(th_line(t, y), "MRN005 Okafor, Chidi"), "first overdue row: %s", th_line(t, y));
	th_type(t, "r");
	ASSERT_SCREEN(t, "Record a vaccine dose given to Okafor, Chidi");
	const char *l = th_line(t, th_find(t, "Vaccine"));
	ck_assert_msg(strstr(l, "COVID19"), "vaccine not preselected: %s", l);
	th_key(t, KEY_F(2)); /* a dose given here needs its lot and site */
	ASSERT_SCREEN(t, "Lot: required for a dose given here");
	ck_assert_int_eq(th_export_count(t, STORE_K_VACCINATIONS, "MRN005", "MRN005,COVID19,2024-09-01"), 0);
	th_type(t, "\t\tCV-1\tleft deltoid");
	th_key(t, KEY_F(2));
	ASSERT_SCREEN(t, "Recorded COVID19 given on 2024-09-01");
	ck_assert_int_eq(th_export_count(t, STORE_K_VACCINATIONS, "MRN005", "MRN005,COVID19,2024-09-01"), 1);
	/* back on the worklist, reloaded: COVID19 dose 2 is next for Okafor */
	ASSERT_SCREEN(t, "Vaccinations: clinic");
	y = th_find(t, "COVID19:1");
	ck_assert_msg(y < 0 || !strstr(th_line(t, y), "MRN005"), "recorded dose still listed");
	th_free(t);
}
END_TEST

/* The vaccine list changes only when the user changes it: a date typed
 * while the list is the current field (digits, '-', Backspace to correct
 * it) once stepped through the list and turned COVID19 into FLU. */
START_TEST(typing_a_date_into_the_vaccine_field_keeps_the_vaccine)
{
	struct th *t = start_size(0);
	th_type(t, "v");
	ASSERT_SCREEN(t, "Vaccinations: clinic");
	th_key(t, KEY_HOME);
	ck_assert_int_gt(th_find(t, "COVID19:1"), 0);
	th_type(t, "r");
	ASSERT_SCREEN(t, "Record a vaccine dose given to Okafor, Chidi");
	const char *l = th_line(t, th_find(t, "Vaccine"));
	ck_assert_msg(strstr(l, "COVID19"), "vaccine not preselected: %s", l);
	th_type(t, "2024-08-31");
	th_key(t, KEY_BACKSPACE);
	th_type(t, "-+/");
	l = th_line(t, th_find(t, "Vaccine"));
	ck_assert_msg(strstr(l, "COVID19"), "the vaccine changed by itself: %s", l);
	/* a deliberate choice still works */
	th_key(t, KEY_RIGHT);
	l = th_line(t, th_find(t, "Vaccine"));
	ck_assert_msg(strstr(l, "TDAP"), "Right did not choose the next vaccine: %s", l);
	th_free(t);
}
END_TEST

static int live_alert_cb(void *ctx, const struct store_alert *al, struct ef_err *err)
{
	(void)err;
	if (strcmp(al->rule, "LIVE_VACCINE_CONTRAINDICATED") == 0)
		snprintf(ctx, 1001, "%s", al->message);
	return 0;
}

/* The dose form records an administered dose: lot and site are required
 * (explained in place, nothing saved); a live vaccine the gate blocks shows
 * every failed condition before saving and needs an override reason, which
 * is stored and named by the alert the dose raises. */
START_TEST(record_dose_blocked_live_vaccine_needs_override)
{
	struct th *t = start_size(_i);
	open_chart(t, "smith, j");
	th_type(t, "v");
	ASSERT_SCREEN(t, "Vaccinations: Smith, John");
	th_type(t, "r");
	ASSERT_SCREEN(t, "Record a vaccine dose given to Smith, John");
	ASSERT_NOT_SCREEN(t, "contraindicated on");
	th_type(t, "mmm"); /* MENACWY, MENB, MMR */
	const char *l = th_line(t, th_find(t, "Vaccine"));
	ck_assert_msg(strstr(l, "MMR"), "vaccine: %s", l);
	ASSERT_SCREEN(t, "MMR is a live vaccine, contraindicated on 2024-09-01");
	ASSERT_SCREEN(t, "24 months"); /* since the transplant */
	ASSERT_SCREEN(t, "tacrolimus"); /* ongoing immunosuppression: every condition listed */
	th_key(t, KEY_F(2));
	ASSERT_SCREEN(t, "3 fields");
	ASSERT_SCREEN(t, "required for a dose given here");
	th_type(t, "\t\tMM-7\tright arm");
	th_key(t, KEY_F(2));
	ASSERT_SCREEN(t, "Override: required: live vaccines are contraindicated");
	ck_assert_int_eq(th_export_count(t, STORE_K_VACCINATIONS, "MRN001", "MRN001,MMR,"), 0);
	th_type(t, "\t\tmeasles outbreak exposure");
	th_key(t, KEY_F(2));
	ASSERT_SCREEN(t, "Recorded MMR given on 2024-09-01");
	ck_assert_int_eq(th_export_count(t, STORE_K_VACCINATIONS, "MRN001", "MRN001,MMR,2024-09-01,MM-7,right arm,"), 1);
	ck_assert_int_eq(th_export_count(t, STORE_K_VACCINATIONS, "MRN001", ",administered,measles outbreak exposure,"), 1);
	char msg[1001] = "";
	struct ef_err e = {{0}};
	ck_assert_int_eq(store_alerts_each(th_store(t), EF_NO_DAY, "MRN001", STORE_ALERTS_ALL, live_alert_cb, msg, &e), 0);
	ck_assert_msg(strstr(msg, "given with override: measles outbreak exposure"), "alert: %s", msg);
	th_free(t);
}
END_TEST

/* ---- alerts ---- */

static int find_alert_cb(void *ctx, const struct store_alert *al, struct ef_err *err);
struct find_alert {
	const char *rule;
	struct store_alert a;
	int found;
};
static int find_alert_cb(void *ctx, const struct store_alert *al, struct ef_err *err)
{
	(void)err;
	struct find_alert *f = ctx;
	if (strcmp(al->rule, f->rule) == 0) {
		f->a = *al;
		f->found = 1;
	}
	return 0;
}

static int alert_status(struct th *t, const char *mrn, const char *rule, char *status, char *reason, char *until)
{
	/* find the alert through the store's own listing (what `alerts` uses) */
	struct find_alert f = {rule, {0}, 0};
	struct ef_err e = {{0}};
	int rc = store_alerts_each(th_store(t), EF_NO_DAY, mrn, STORE_ALERTS_ALL, find_alert_cb, &f, &e);
	ck_assert_int_eq(rc, 0);
	if (!f.found)
		return 0;
	strcpy(status, ef_alert_status_str(f.a.status));
	strcpy(reason, f.a.reason);
	strcpy(until, f.a.until);
	return 1;
}

/* x on a record of the chart marks it entered in error: the reason is
 * required (Esc leaves without marking), the row stays on the chart, dimmed,
 * with its reason, and the rules re-run at once (the low IgG it raised
 * resolves). */
START_TEST(chart_x_marks_a_record_entered_in_error)
{
	struct th *t = start_size(_i);
	char status[32], reason[256], until[16];
	ck_assert_int_eq(alert_status(t, "MRN001", "IGG_LOW", status, reason, until), 1);
	ck_assert_str_eq(status, "open");
	open_chart(t, "smith, j");
	th_type(t, "x");
	ASSERT_SCREEN(t, "Nothing selected.");
	th_key(t, KEY_DOWN);
	th_key(t, KEY_DOWN); /* newest first: CD4, then IGG of 2024-07-10 */
	ASSERT_SCREEN(t, "Records ("); /* scrolled into view with the selection */
	int y = th_find(t, "IGG 380 mg/dL");
	ck_assert_int_ge(y, 0);
	th_type(t, "x");
	ASSERT_SCREEN(t, "Mark a record entered in error");
	ASSERT_SCREEN(t, "lab IGG 380 mg/dL 2024-07-10");
	th_key(t, KEY_F(2));
	ASSERT_SCREEN(t, "Reason: required");
	th_esc(t); /* nothing typed: leaves at once, nothing marked */
	ASSERT_SCREEN(t, "Chart: Smith, John");
	ck_assert_int_eq(th_export_count(t, STORE_K_LABS, "MRN001", "IGG,380,mg/dL,sample from another patient"), 0);
	th_type(t, "x");
	th_type(t, "sample from another patient");
	th_key(t, KEY_F(2));
	ASSERT_SCREEN(t, "Marked lab IGG 380 mg/dL 2024-07-10 entered in error.");
	ASSERT_SCREEN(t, "Chart: Smith, John");
	y = th_find(t, "[error: sample from another patient]");
	ck_assert_msg(y >= 0, "marked row not shown");
	ck_assert_msg(strstr(th_line(t, y), "IGG 380 mg/dL"), "row: %s", th_line(t, y));
	th_key(t, KEY_DOWN); /* move off it: its own attributes show */
	y = th_find(t, "[error: sample from another patient]");
	ck_assert_msg(th_attr(t, y, 20) & A_DIM, "marked row not dimmed");
	ck_assert_int_eq(th_export_count(t, STORE_K_LABS, "MRN001", "IGG,380,mg/dL,sample from another patient"), 1);
	ck_assert_int_eq(alert_status(t, "MRN001", "IGG_LOW", status, reason, until), 1);
	ck_assert_str_eq(status, "resolved");
	th_type(t, "?");
	ASSERT_SCREEN(t, "entered in error");
	th_free(t);
}
END_TEST

START_TEST(alerts_worst_first_and_ack_needs_a_reason)
{
	struct th *t = start_size(_i);
	ck_assert_msg(strstr(th_line(t, th_find(t, "Müller")), "crit"), "list lacks the critical count");
	th_type(t, "a");
	ASSERT_SCREEN(t, "Alerts: clinic");
	/* grouped by patient, the worst first (test_triage.c tests the triage) */
	ck_assert_msg(strstr(th_line(t, 2), "Müller, Jürgen  MRN MRN004") && strstr(th_line(t, 2), "1 critical"),
		      "first row: %s", th_line(t, 2));
	th_key(t, KEY_RIGHT);
	ck_assert_msg(strstr(th_line(t, 3), " critical") && strstr(th_line(t, 3), "NEUTROPHIL_ENGRAFTMENT_MISSED"),
		      "first alert: %s", th_line(t, 3));
	th_key(t, KEY_DOWN);
	/* the detail lines follow the selection (the list keeps short rows and
	 * reads the selected alert in full) */
	int d = th_find(t, "Selected alert");
	ck_assert_int_gt(d, 3);
	ck_assert_msg(strstr(th_line(t, d + 1), "MRN004 Müller, Jürgen: no ANC") && strstr(th_line(t, d + 2), "raised "),
		      "detail: %s", th_line(t, d + 1));
	th_key(t, KEY_DOWN);
	ck_assert_msg(strstr(th_line(t, d + 1), "VACCINE_OVERDUE") || strstr(th_line(t, d + 1), "overdue"),
		      "detail after Down: %s", th_line(t, d + 1));
	th_key(t, KEY_UP);
	ck_assert_msg(strstr(th_line(t, d + 1), "MRN004 Müller, Jürgen: no ANC"), "detail after Up: %s", th_line(t, d + 1));
	th_type(t, "A");
	ASSERT_SCREEN(t, "Acknowledge alert #");
	th_key(t, KEY_F(2));
	ASSERT_SCREEN(t, "required: why");
	char status[16], reason[1001], until[11];
	ck_assert(alert_status(t, "MRN004", "NEUTROPHIL_ENGRAFTMENT_MISSED", status, reason, until));
	ck_assert_str_eq(status, "open");
	th_type(t, "biopsy booked, reviewed with Dr Ng\t2024-08-01");
	th_key(t, KEY_F(2));
	ASSERT_SCREEN(t, "before today"); /* the until date */
	th_type(t, "\025"); /* Ctrl-U */
	th_type(t, "2024-10-01");
	th_key(t, KEY_F(2));
	ASSERT_SCREEN(t, "Acknowledged NEUTROPHIL_ENGRAFTMENT_MISSED 2024-02-15 until 2024-10-01");
	ck_assert(alert_status(t, "MRN004", "NEUTROPHIL_ENGRAFTMENT_MISSED", status, reason, until));
	ck_assert_str_eq(status, "acknowledged");
	ck_assert_str_eq(reason, "biopsy booked, reviewed with Dr Ng");
	ck_assert_str_eq(until, "2024-10-01");
	ASSERT_NOT_SCREEN(t, "critical NEUTROPHIL"); /* acknowledged: no longer listed as open */
	th_type(t, "h");
	ASSERT_SCREEN(t, "in the history");
	const char *h = th_line(t, 3);
	ck_assert_msg(strstr(h, "NEUTROPHIL_ENGRAFTMENT_MISSED") && strstr(h, "ack"), "history row: %s", h);
	th_key(t, KEY_HOME);
	th_key(t, KEY_DOWN);
	d = th_find(t, "Selected alert");
	ck_assert_msg(strstr(th_line(t, d + 2), "acknowledged ") && strstr(th_line(t, d + 2), "until 2024-10-01"),
		      "detail of the acknowledged alert: %s", th_line(t, d + 2));
	th_free(t);
}
END_TEST

START_TEST(saving_a_lab_reruns_the_rules)
{
	struct th *t = start_size(0);
	char status[16], reason[1001], until[11];
	ck_assert(alert_status(t, "MRN004", "NEUTROPHIL_ENGRAFTMENT_MISSED", status, reason, until));
	ck_assert_str_eq(status, "open");
	open_chart(t, "mü"); /* non-ASCII search */
	if (th_find(t, "Chart: Müller") < 0) {
		th_dump(t);
		ck_abort_msg("not Müller's chart");
	}
	ASSERT_SCREEN(t, "ANC graft failure");
	const char *days[] = {"2024-02-22", "2024-02-23", "2024-02-24"};
	for (int i = 0; i < 3; i++) {
		th_type(t, "l\025");
		th_type(t, days[i]);
		th_type(t, "\t\t0.7");
		th_key(t, KEY_F(2));
		/* the first value >= 0.5 starts a run before the day +28 deadline:
		 * no longer a graft failure, the alert resolves at once */
		if (i == 0)
			ASSERT_SCREEN(t, "Alerts: 0 opened, 0 reopened, 1 resolved.");
	}
	ASSERT_SCREEN(t, "ANC engrafted day +7 (2024-02-22)");
	ck_assert(alert_status(t, "MRN004", "NEUTROPHIL_ENGRAFTMENT_MISSED", status, reason, until));
	ck_assert_str_eq(status, "resolved");
	th_free(t);
}
END_TEST

/* ---- vital and follow-up status (issue 18) ---- */

/* s on the chart records a death: the chart says so plainly, the patient's
 * alerts resolve, and the list marks the patient and filters by care. */
START_TEST(status_form_records_a_death_and_the_list_filters_by_care)
{
	struct th *t = start_size(_i);
	open_chart(t, "doe");
	th_type(t, "?");
	ASSERT_SCREEN(t, "record a vital or follow-up status");
	th_esc(t);
	th_type(t, "s");
	ASSERT_SCREEN(t, "Vital or follow-up status of Doe, Jane (MRN MRN003)");
	ASSERT_SCREEN(t, "a contact: seen, phoned");
	th_type(t, "\t");
	th_key(t, KEY_RIGHT);
	th_key(t, KEY_RIGHT); /* alive -> relapse -> deceased */
	ASSERT_SCREEN(t, "alerts resolve; nothing may be dated later");
	th_type(t, "\tat home");
	th_key(t, KEY_F(2));
	ASSERT_SCREEN(t, "Saved status deceased on 2024-09-01.");
	ASSERT_SCREEN(t, "DECEASED 2024-09-01");
	ck_assert_int_eq(th_export_count(t, STORE_K_STATUS, "MRN003", "MRN003,2024-09-01,deceased,at home"), 1);
	th_type(t, "q"); /* the list, still searched for doe: clear the search */
	th_type(t, "/");
	th_esc(t);
	int y = th_find(t, "Doe, Jane");
	ck_assert_msg(y >= 0 && strstr(th_line(t, y), "DECEASED"), "the list does not mark the deceased");
	ck_assert_msg(th_find(t, "Smith, John") >= 0, "every patient is listed at first");
	th_type(t, "c"); /* in care */
	ASSERT_NOT_SCREEN(t, "Doe, Jane");
	ASSERT_SCREEN(t, "Smith, John");
	th_type(t, "c"); /* deceased */
	ASSERT_SCREEN(t, "Doe, Jane");
	ASSERT_NOT_SCREEN(t, "Smith, John");
	th_type(t, "c"); /* every patient again */
	ASSERT_SCREEN(t, "Smith, John");
	ASSERT_SCREEN(t, "Doe, Jane");
	th_type(t, "?");
	ASSERT_SCREEN(t, "show every patient, those in");
	th_free(t);
}
END_TEST

/* A transfer and a relapse are said on the chart; a date in the future is
 * refused in place and nothing is saved. */
START_TEST(status_form_transfer_and_relapse_on_the_chart)
{
	struct th *t = start_size(0);
	open_chart(t, "smithers");
	th_type(t, "s\025");
	th_type(t, "2099-01-01");
	th_key(t, KEY_F(2));
	ASSERT_SCREEN(t, "in the future");
	ck_assert_int_eq(th_export_count(t, STORE_K_STATUS, "MRN002", NULL), 0);
	th_type(t, "\025");
	th_type(t, "2024-08-01\t");
	th_key(t, KEY_RIGHT); /* relapse */
	th_key(t, KEY_F(2));
	ASSERT_SCREEN(t, "relapse on 2024-08-01: review the vaccination plan");
	th_type(t, "s\t");
	th_key(t, KEY_LEFT);
	th_key(t, KEY_LEFT);
	th_key(t, KEY_LEFT); /* alive -> returned -> lost_to_followup -> transferred */
	th_key(t, KEY_F(2));
	ASSERT_SCREEN(t, "transferred on 2024-09-01: not in care; relapse 2024-08-01");
	ck_assert_msg(th_find(t, "review the vaccination plan") < 0, "advice shown for a patient not in care");
	th_free(t);
}
END_TEST

/* ---- help, keys, resize, colours ---- */

START_TEST(help_lists_the_keys_of_the_screen)
{
	struct th *t = start_size(_i);
	th_type(t, "?");
	ASSERT_SCREEN(t, "Help: Patients");
	ASSERT_SCREEN(t, "search by MRN or name prefix");
	th_key(t, KEY_NPAGE); /* at 80x24 the global keys are below */
	ASSERT_SCREEN(t, "Keys everywhere");
	ASSERT_SCREEN(t, "vaccination worklist");
	th_type(t, "q");
	open_chart(t, "doe");
	th_type(t, "?");
	ASSERT_SCREEN(t, "Help: Chart");
	ASSERT_SCREEN(t, "enter a lab result for this patient");
	ASSERT_SCREEN(t, "enter a GVHD assessment");
	th_esc(t);
	th_type(t, "l");
	th_key(t, KEY_F(1));
	ASSERT_SCREEN(t, "Help: Lab result");
	ASSERT_SCREEN(t, "F2/^S");
	th_free(t);
}
END_TEST

START_TEST(resize_lays_the_screen_out_again)
{
	struct th *t = start_size(0);
	ASSERT_SCREEN(t, "Doe, Jane");
	ASSERT_NOT_SCREEN(t, "Diagnosis");
	th_resize(t, 43, 132);
	ck_assert_int_eq(th_rows(t), 43);
	ck_assert_int_eq(th_cols(t), 132);
	ck_assert_msg(strstr(th_line(t, 42), "/ Search"), "key bar not on the new last row");
	ASSERT_SCREEN(t, "Diagnosis"); /* the wide layout adds columns */
	ASSERT_SCREEN(t, "Multiple myeloma");
	open_chart(t, "smith j");
	th_type(t, "l\t\t4.5");
	th_resize(t, 24, 80);
	const char *l = th_line(t, th_find(t, "Value"));
	ck_assert_msg(strstr(l, "4.5"), "form lost its input on resize: %s", l);
	ck_assert_msg(strstr(th_line(t, 23), "Save"), "key bar not on row 23");
	th_free(t);
}
END_TEST

START_TEST(too_small_terminal_says_so_and_q_quits)
{
	struct th *t = th_start(10, 40, 0);
	ck_assert(t != NULL);
	ASSERT_SCREEN(t, "Terminal too small");
	th_type(t, "q");
	ck_assert(th_quit(t));
	th_free(t);
}
END_TEST

START_TEST(no_color_falls_back_to_reverse)
{
	setenv("NO_COLOR", "1", 1);
	struct th *t = start_size(0);
	unsetenv("NO_COLOR");
	int y = th_find(t, "Doe, Jane"); /* first row: selected */
	unsigned long at = th_attr(t, y, 2);
	ck_assert_msg(at & A_REVERSE, "selected row not reverse without colour");
	ck_assert_msg(PAIR_NUMBER((attr_t)at) == 0, "colour used despite NO_COLOR");
	th_free(t);
	t = start_size(0);
	y = th_find(t, "Doe, Jane");
	at = th_attr(t, y, 2);
	ck_assert_msg(PAIR_NUMBER((attr_t)at) != 0, "selected row has no colour");
	th_free(t);
}
END_TEST

START_TEST(q_on_the_list_quits)
{
	struct th *t = start_size(0);
	ck_assert(!th_quit(t));
	th_type(t, "q");
	ck_assert(th_quit(t));
	th_free(t);
}
END_TEST

/* ---- paging over many patients (keyset) ---- */

START_TEST(paging_moves_through_every_patient)
{
	struct th *t = th_start(24, 80, 500);
	ck_assert(t != NULL);
	ASSERT_SCREEN(t, "Patients: 506");
	char first[256];
	snprintf(first, sizeof first, "%s", th_line(t, 2));
	th_key(t, KEY_END);
	ASSERT_SCREEN(t, "Zhang, Wei"); /* the last by name */
	th_key(t, KEY_HOME);
	ck_assert_str_eq(th_line(t, 2), first);
	/* Down across the page boundary and back up */
	for (int i = 0; i < 25; i++)
		th_key(t, KEY_DOWN);
	char row[256];
	snprintf(row, sizeof row, "%s", th_line(t, 2));
	ck_assert_str_ne(row, first);
	for (int i = 0; i < 25; i++)
		th_key(t, KEY_UP);
	ck_assert_str_eq(th_line(t, 2), first);
	/* page by page to the end: every page differs, the last shows Zhang */
	int pages = 0;
	for (; pages < 40 && th_find(t, "Zhang, Wei") < 0; pages++)
		th_key(t, KEY_NPAGE);
	ck_assert_int_ge(pages, 500 / 21);
	ck_assert_int_lt(pages, 40);
	th_free(t);
}
END_TEST

/* ---- automatic logoff (idle_logoff_minutes) and its drafts: the idle
 * clock is moved forward through the test hook (th_idle), no real wait ---- */

static int64_t patient(struct th *t, const char *mrn)
{
	int64_t id = 0;
	ef_day birth;
	struct ef_err err;
	ck_assert_int_eq(store_patient_id(th_store(t), mrn, strlen(mrn), &id, &birth, &err), EF_OK);
	ck_assert_int_gt(id, 0);
	return id;
}

/* The store user's draft of a form for the patient: field `field` into
 * out; 0 when there is no draft. */
static int draft_field(struct th *t, const char *form, const char *mrn, const char *context, int field, char *out,
		       size_t size)
{
	struct app_env e = {th_store(t), NULL, th_today()};
	struct app_draft_key k = {form, patient(t, mrn), context};
	struct app_draft d;
	int found = 0;
	struct ef_err err;
	ck_assert_msg(app_draft_take(&e, &k, &d, &found, &err) == EF_OK, "%s", err.msg);
	if (found) {
		ck_assert_int_lt(field, d.n);
		snprintf(out, size, "%s", d.field[field]);
	}
	app_draft_free(&d);
	return found;
}

static int64_t drafts(struct th *t)
{
	struct app_env e = {th_store(t), NULL, th_today()};
	int64_t n = -1;
	struct ef_err err;
	ck_assert_msg(app_draft_count(&e, &n, &err) == EF_OK, "%s", err.msg);
	return n;
}

/* End the session, signing off for inactivity first when idle is set, and
 * start the TUI again on the same database as login (NULL: the same). */
static void restart(struct th *t, int idle, const char *login)
{
	if (idle) {
		th_idle(t, 15);
		ck_assert_msg(th_quit(t), "no sign-off after 15 minutes without a key");
	}
	th_stop(t);
	if (login) { /* a nurse on the staff list (staff.h) */
		struct store_staff st = {.role = EF_ROLE_NURSE, .active = 1};
		snprintf(st.login, sizeof st.login, "%s", login);
		snprintf(st.name, sizeof st.name, "Nurse %s", login);
		struct store_staff cur;
		struct ef_err err;
		int found = 0;
		ck_assert_int_eq(store_staff_get(th_store(t), login, &cur, &found, &err), EF_OK);
		if (!found) {
			ck_assert_int_eq(store_begin(th_store(t), &err), EF_OK);
			ck_assert_msg(store_staff_add(th_store(t), &st, &err) == EF_OK, "%s", err.msg);
			ck_assert_int_eq(store_commit(th_store(t), &err), EF_OK);
		}
		store_set_user(th_store(t), login);
	}
	ck_assert_int_eq(th_restart(t, 24, 80), 0);
}

/* Okafor's dose form, from the patient's vaccination worklist. */
static void open_dose(struct th *t)
{
	open_chart(t, "okafor");
	th_type(t, "v");
	th_type(t, "r");
	ASSERT_SCREEN(t, "Record a vaccine dose given to Okafor, Chidi");
}

/* The lab form's Value line. */
static const char *value_line(struct th *t)
{
	int y = th_find(t, "Value");
	ck_assert_int_ge(y, 0);
	return th_line(t, y);
}

/* A value typed into the lab form survives the sign-off as the login's
 * draft, is offered the next time the same login opens the lab form for
 * the patient, and saving it records the result and deletes the draft. */
START_TEST(idle_logoff_keeps_the_lab_form_as_a_draft_until_saved)
{
	struct th *t = start_size(0);
	int before = th_export_count(t, STORE_K_LABS, "MRN001", NULL);
	open_lab(t);
	th_type(t, "\t\t0.7"); /* ANC 0.7 */
	th_idle(t, 14.5);
	ck_assert_msg(!th_quit(t), "signed off before the idle time");
	th_type(t, "5"); /* a key starts the idle time again */
	th_idle(t, 14.5);
	ck_assert_msg(!th_quit(t), "a key did not start the idle time again");
	th_idle(t, 0.6);
	ck_assert_msg(th_quit(t), "the TUI did not sign off after 15 minutes");
	int status = -1;
	ck_assert_str_eq(th_farewell(t, &status), "signed off after 15 minutes without a key; the unsaved lab form for "
						  "MRN MRN001 was kept as a draft");
	ck_assert_int_eq(status, 0);
	char v[64] = "";
	ck_assert(draft_field(t, "lab", "MRN001", NULL, 2, v, sizeof v));
	ck_assert_str_eq(v, "0.75");
	ck_assert_int_eq(th_export_count(t, STORE_K_LABS, "MRN001", NULL), before); /* nothing saved */

	restart(t, 0, NULL);
	ASSERT_SCREEN(t, "1 draft kept at an automatic sign-off");
	open_lab(t);
	ck_assert_msg(strstr(value_line(t), "0.75"), "the draft's value is not on the form: %s", value_line(t));
	ASSERT_SCREEN(t, "Draft kept at ");
	ASSERT_SCREEN(t, "after automatic sign-off:");
	ASSERT_SCREEN(t, "F2 saves, Ctrl-D discards the draft"); /* wrapped at 80 columns */
	th_key(t, KEY_F(2));
	ASSERT_SCREEN(t, "Saved ANC 0.75 10*9/L on 2024-09-01");
	ck_assert_int_eq(th_export_count(t, STORE_K_LABS, "MRN001", "MRN001,2024-09-01,ANC,0.75,10*9/L"), 1);
	ck_assert(!draft_field(t, "lab", "MRN001", NULL, 2, v, sizeof v));
	ck_assert_int_eq(drafts(t), 0);
	th_free(t);
}
END_TEST

START_TEST(idle_logoff_without_a_form_keeps_no_draft)
{
	struct th *t = start_size(0);
	open_chart(t, "smith j");
	th_idle(t, 15);
	ck_assert(th_quit(t));
	int status = -1;
	ck_assert_str_eq(th_farewell(t, &status), "signed off after 15 minutes without a key; nothing was unsaved");
	ck_assert_int_eq(status, 0);
	ck_assert_int_eq(drafts(t), 0);
	/* an untouched form has nothing unsaved either */
	restart(t, 0, NULL);
	open_lab(t);
	th_idle(t, 15);
	ck_assert_str_eq(th_farewell(t, NULL), "signed off after 15 minutes without a key; nothing was unsaved");
	ck_assert_int_eq(drafts(t), 0);
	th_free(t);
}
END_TEST

/* Another login does not see the draft; Esc keeps it; Ctrl-D discards it
 * and the form is empty again. */
START_TEST(a_draft_is_the_logins_own_and_ctrl_d_discards_it)
{
	struct th *t = start_size(0);
	const char *me = "nurse-a";
	restart(t, 0, me);
	open_lab(t);
	th_type(t, "\t\t1.9");
	restart(t, 1, "nurse-b");
	ASSERT_NOT_SCREEN(t, "draft");
	open_lab(t);
	ASSERT_NOT_SCREEN(t, "Draft kept");
	ck_assert_msg(!strstr(value_line(t), "1.9"), "another login's draft was offered: %s", value_line(t));
	th_esc(t);
	restart(t, 0, me);
	open_lab(t);
	ck_assert_msg(strstr(value_line(t), "1.9"), "draft not offered: %s", value_line(t));
	th_esc(t); /* leaving keeps the draft, without asking */
	ASSERT_NOT_SCREEN(t, "Discard");
	ASSERT_SCREEN(t, "Chart: Smith, John");
	ck_assert_int_eq(drafts(t), 1);
	th_type(t, "l");
	ck_assert_msg(strstr(value_line(t), "1.9"), "draft not offered again: %s", value_line(t));
	th_type(t, "\004"); /* Ctrl-D */
	ASSERT_SCREEN(t, "Discarded the draft");
	ASSERT_SCREEN(t, "New lab result for Smith, John");
	ck_assert_msg(!strstr(value_line(t), "1.9"), "the form still shows the draft: %s", value_line(t));
	ck_assert_int_eq(drafts(t), 0);
	th_free(t);
}
END_TEST

/* The dose form's draft keeps the chosen vaccine (a choice) and the typed
 * lot (a backslash too). */
START_TEST(dose_form_draft_keeps_the_choice_and_the_text)
{
	struct th *t = start_size(0);
	open_dose(t);
	th_type(t, "h"); /* HIB */
	th_type(t, "\t\tLOT-\\77");
	th_idle(t, 15);
	ck_assert_str_eq(th_farewell(t, NULL), "signed off after 15 minutes without a key; the unsaved dose form for "
					       "MRN MRN005 was kept as a draft");
	restart(t, 0, NULL);
	open_dose(t);
	ASSERT_SCREEN(t, "Draft kept at ");
	ASSERT_SCREEN(t, "Haemophilus");
	ck_assert_msg(strstr(th_line(t, th_find(t, "Lot")), "LOT-\\77"), "lot: %s", th_line(t, th_find(t, "Lot")));
	th_type(t, "\t\t\tright deltoid"); /* the form opens on its first field */
	th_key(t, KEY_F(2));
	ASSERT_SCREEN(t, "Recorded HIB given on 2024-09-01");
	ck_assert_int_eq(th_export_count(t, STORE_K_VACCINATIONS, "MRN005", "MRN005,HIB,2024-09-01,LOT-\\77,right deltoid"),
			 1);
	ck_assert_int_eq(drafts(t), 0);
	th_free(t);
}
END_TEST

/* A GVHD form switched to chronic comes back as chronic, with its scores. */
START_TEST(gvhd_draft_comes_back_with_its_kind)
{
	struct th *t = start_size(0);
	open_chart(t, "smith j");
	th_type(t, "g");
	ASSERT_SCREEN(t, "GVHD assessment for Smith, John");
	th_type(t, "\t");
	th_key(t, KEY_RIGHT); /* chronic */
	ASSERT_SCREEN(t, "Global severity");
	th_type(t, "\t2");     /* skin 2 */
	restart(t, 1, NULL);
	open_chart(t, "smith j");
	th_type(t, "g");
	ASSERT_SCREEN(t, "Draft kept at ");
	ASSERT_SCREEN(t, "Global severity");
	ASSERT_SCREEN(t, "Genital");
	ck_assert_msg(strstr(th_line(t, th_find(t, "Skin")), "2"), "skin: %s", th_line(t, th_find(t, "Skin")));
	th_free(t);
}
END_TEST

/* Signed off while it asks whether to discard the input: kept all the same. */
START_TEST(idle_logoff_while_asking_to_discard_keeps_the_draft)
{
	struct th *t = start_size(0);
	open_lab(t);
	th_type(t, "\t\t2.2");
	th_esc(t);
	ASSERT_SCREEN(t, "Discard the unsaved Lab result? (y/n)");
	th_idle(t, 15);
	ck_assert(th_quit(t));
	char v[64] = "";
	ck_assert(draft_field(t, "lab", "MRN001", NULL, 2, v, sizeof v));
	ck_assert_str_eq(v, "2.2");
	th_free(t);
}
END_TEST

/* An acknowledgement's reason is kept for that alert (its context). */
START_TEST(ack_form_draft_belongs_to_its_alert)
{
	struct th *t = start_size(0);
	th_type(t, "a");
	ASSERT_SCREEN(t, "Alerts: clinic");
	th_key(t, KEY_RIGHT);
	th_key(t, KEY_DOWN);
	th_type(t, "A");
	ASSERT_SCREEN(t, "Acknowledge alert #");
	th_type(t, "biopsy booked");
	th_idle(t, 15);
	ck_assert_str_eq(th_farewell(t, NULL), "signed off after 15 minutes without a key; the unsaved acknowledgement "
					       "form for MRN MRN004 was kept as a draft");
	restart(t, 0, NULL);
	th_type(t, "a");
	th_key(t, KEY_RIGHT);
	th_key(t, KEY_DOWN);
	th_key(t, KEY_DOWN); /* another alert: not its draft */
	th_type(t, "A");
	ASSERT_NOT_SCREEN(t, "biopsy booked");
	th_esc(t);
	th_key(t, KEY_UP);
	th_type(t, "A");
	ASSERT_SCREEN(t, "Draft kept at ");
	ASSERT_SCREEN(t, "biopsy booked");
	th_key(t, KEY_F(2));
	ASSERT_SCREEN(t, "Acknowledged NEUTROPHIL_ENGRAFTMENT_MISSED");
	ck_assert_int_eq(drafts(t), 0);
	th_free(t);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("tui");
	TCase *tc = tcase_create("screens");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, list_shows_patients_by_name, 0, N_SIZES);
	tcase_add_test(tc, search_filters_as_you_type_and_esc_clears);
	tcase_add_test(tc, search_matches_mrn_and_given_name_and_two_words);
	tcase_add_loop_test(tc, enter_keeps_filter_then_opens_chart, 0, N_SIZES);
	tcase_add_loop_test(tc, chart_shows_latest_counts_with_trend, 0, N_SIZES);
	tcase_add_loop_test(tc, chart_flags_latest_values, 0, N_SIZES);
	tcase_add_test(tc, lab_entry_rejects_bad_value_in_place);
	tcase_add_loop_test(tc, lab_entry_refuses_implausible_value_with_limits, 0, N_SIZES);
	tcase_add_test(tc, lab_entry_refuses_less_than_zero);
	tcase_add_loop_test(tc, lab_entry_shows_flag_before_saving, 0, N_SIZES);
	tcase_add_test(tc, lab_entry_rejects_future_date_and_empty_value);
	tcase_add_loop_test(tc, lab_entry_saves_with_unit_and_qualifier, 0, N_SIZES);
	tcase_add_test(tc, lab_entry_asks_before_replacing_a_result);
	tcase_add_test(tc, leaving_a_filled_form_asks_first);
	tcase_add_test(tc, leaving_an_untouched_form_does_not_ask);
	tcase_add_loop_test(tc, gvhd_grade_updates_live_and_saves, 0, N_SIZES);
	tcase_add_test(tc, gvhd_chronic_severity_updates_live);
	tcase_add_test(tc, record_dose_from_patient_worklist);
	tcase_add_test(tc, typing_a_date_into_the_vaccine_field_keeps_the_vaccine);
	tcase_add_loop_test(tc, chart_x_marks_a_record_entered_in_error, 0, N_SIZES);
	tcase_add_loop_test(tc, record_dose_blocked_live_vaccine_needs_override, 0, N_SIZES);
	tcase_add_loop_test(tc, clinic_worklist_groups_doses_and_records_the_selected_one, 0, N_SIZES);
	tcase_add_loop_test(tc, alerts_worst_first_and_ack_needs_a_reason, 0, N_SIZES);
	tcase_add_test(tc, saving_a_lab_reruns_the_rules);
	tcase_add_loop_test(tc, status_form_records_a_death_and_the_list_filters_by_care, 0, N_SIZES);
	tcase_add_test(tc, status_form_transfer_and_relapse_on_the_chart);
	tcase_add_loop_test(tc, help_lists_the_keys_of_the_screen, 0, N_SIZES);
	tcase_add_test(tc, resize_lays_the_screen_out_again);
	tcase_add_test(tc, too_small_terminal_says_so_and_q_quits);
	tcase_add_test(tc, no_color_falls_back_to_reverse);
	tcase_add_test(tc, q_on_the_list_quits);
	tcase_add_test(tc, paging_moves_through_every_patient);
	tcase_add_test(tc, idle_logoff_keeps_the_lab_form_as_a_draft_until_saved);
	tcase_add_test(tc, idle_logoff_without_a_form_keeps_no_draft);
	tcase_add_test(tc, a_draft_is_the_logins_own_and_ctrl_d_discards_it);
	tcase_add_test(tc, dose_form_draft_keeps_the_choice_and_the_text);
	tcase_add_test(tc, gvhd_draft_comes_back_with_its_kind);
	tcase_add_test(tc, idle_logoff_while_asking_to_discard_keeps_the_draft);
	tcase_add_test(tc, ack_form_draft_belongs_to_its_alert);
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
