/* Engraftment: docs/clinical-rules.md s.18 cases 1-12 (ANC, platelets,
 * graft failure) with their expected answers, plus edge cases.
 * Day 0 is 2025-01-15 unless a row says otherwise; timelines are written as
 * "DAY:VALUE ..." with DAY the day after day 0 (negative before it). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engraft/engraftment.h"
#include "helpers.h"

#define NONE (-999)

static void add_points(struct ef_timeline *tl, ef_day day0, enum ef_test test, const char *spec)
{
	char buf[512];
	snprintf(buf, sizeof buf, "%s", spec ? spec : "");
	for (char *tok = strtok(buf, " "); tok; tok = strtok(NULL, " ")) {
		char *colon = strchr(tok, ':');
		ck_assert_ptr_nonnull(colon);
		*colon = '\0';
		tl_lab(tl, day0 + atoi(tok), test, colon + 1);
	}
}

static void add_transfusions(struct ef_timeline *tl, ef_day day0, const char *spec)
{
	char buf[256];
	snprintf(buf, sizeof buf, "%s", spec ? spec : "");
	for (char *tok = strtok(buf, " "); tok; tok = strtok(NULL, " "))
		tl_transfusion(tl, day0 + atoi(tok), EF_PROD_PLATELETS);
}

static int offset(ef_day d, ef_day day0)
{
	return d == EF_NO_DAY ? NONE : (int)(d - day0);
}

static const struct ecase {
	const char *name;
	enum ef_graft graft;
	const char *anc, *plt, *tx;
	int as_of;
	const char *status;
	int anc_day, sgf_day, n_unknown;
	const char *plt_status;
	int plt_day, plt50_day;
} cases[] = {
	/* s.18 case 1: the D+12 run is broken by D+13 */
	{"case1", EF_GRAFT_PERIPHERAL_BLOOD, "5:0.02 12:0.6 13:0.4 14:0.7 15:0.9 16:1.2", NULL, NULL, 20,
	 "engrafted", 14, NONE, 0, "pending", NONE, NONE},
	/* same values, unsorted */
	{"case1_unsorted", EF_GRAFT_PERIPHERAL_BLOOD, "16:1.2 14:0.7 5:0.02 13:0.4 15:0.9 12:0.6", NULL, NULL, 20,
	 "engrafted", 14, NONE, 0, "pending", NONE, NONE},
	/* same values, evaluated on D+15: values after as_of do not exist yet */
	{"case1_as_of_d15", EF_GRAFT_PERIPHERAL_BLOOD, "5:0.02 12:0.6 13:0.4 14:0.7 15:0.9 16:1.2", NULL, NULL, 15,
	 "pending", NONE, NONE, 0, "pending", NONE, NONE},
	/* case 2: non-daily values */
	{"case2", EF_GRAFT_PERIPHERAL_BLOOD, "3:0.05 11:0.6 14:0.8 18:1.1", NULL, NULL, 20, "engrafted", 11, NONE, 0,
	 "pending", NONE, NONE},
	/* case 3: two values on D+12 are one day */
	{"case3", EF_GRAFT_PERIPHERAL_BLOOD, "4:0.03 12:0.6 12:0.7 13:0.8", NULL, NULL, 13, "pending", NONE, NONE, 0,
	 "pending", NONE, NONE},
	{"case3_plus_d14", EF_GRAFT_PERIPHERAL_BLOOD, "4:0.03 12:0.6 12:0.7 13:0.8 14:0.9", NULL, NULL, 14,
	 "engrafted", 12, NONE, 0, "pending", NONE, NONE},
	/* case 4: pre-nadir values (D0-D+2) ignored, D-1 before day 0 */
	{"case4", EF_GRAFT_PERIPHERAL_BLOOD, "-1:1.5 0:0.9 1:0.7 2:0.6 4:0.2 6:0.01 13:0.55 14:0.6 15:0.9", NULL, NULL,
	 16, "engrafted", 13, NONE, 0, "pending", NONE, NONE},
	/* case 5: PBSC, never >= 0.5 through D+28, evaluated D+29 */
	{"case5_pbsc_d29", EF_GRAFT_PERIPHERAL_BLOOD, "2:0.1 7:0.05 14:0.1 21:0.2 25:0.3 28:0.3", NULL, NULL, 29,
	 "graft_failure", NONE, NONE, 0, "pending", NONE, NONE},
	{"case5_pbsc_d28", EF_GRAFT_PERIPHERAL_BLOOD, "2:0.1 7:0.05 14:0.1 21:0.2 25:0.3 28:0.3", NULL, NULL, 28,
	 "pending", NONE, NONE, 0, "pending", NONE, NONE},
	{"case5_marrow_d29", EF_GRAFT_BONE_MARROW, "2:0.1 7:0.05 14:0.1 21:0.2 25:0.3 28:0.3", NULL, NULL, 29,
	 "graft_failure", NONE, NONE, 0, "pending", NONE, NONE},
	/* same data with a cord-blood graft: no alert until D+42 passes */
	{"case5_cord_d29", EF_GRAFT_CORD_BLOOD, "2:0.1 7:0.05 14:0.1 21:0.2 25:0.3 28:0.3", NULL, NULL, 29, "pending",
	 NONE, NONE, 0, "pending", NONE, NONE},
	{"case5_cord_d42", EF_GRAFT_CORD_BLOOD, "2:0.1 7:0.05 14:0.1 21:0.2 25:0.3 28:0.3", NULL, NULL, 42, "pending",
	 NONE, NONE, 0, "pending", NONE, NONE},
	{"case5_cord_d43", EF_GRAFT_CORD_BLOOD, "2:0.1 7:0.05 14:0.1 21:0.2 25:0.3 28:0.3", NULL, NULL, 43,
	 "graft_failure", NONE, NONE, 0, "pending", NONE, NONE},
	/* case 6: pending run at the deadline */
	{"case6_end_of_d28", EF_GRAFT_PERIPHERAL_BLOOD, "24:0.2 27:0.6 28:0.7", NULL, NULL, 28, "pending", NONE, NONE,
	 0, "pending", NONE, NONE},
	{"case6_d29_no_value_yet", EF_GRAFT_PERIPHERAL_BLOOD, "24:0.2 27:0.6 28:0.7", NULL, NULL, 29, "pending",
	 NONE, NONE, 0, "pending", NONE, NONE},
	{"case6_d29_0.9", EF_GRAFT_PERIPHERAL_BLOOD, "24:0.2 27:0.6 28:0.7 29:0.9", NULL, NULL, 29, "engrafted", 27,
	 NONE, 0, "pending", NONE, NONE},
	{"case6_d29_0.3", EF_GRAFT_PERIPHERAL_BLOOD, "24:0.2 27:0.6 28:0.7 29:0.3", NULL, NULL, 29, "graft_failure",
	 NONE, NONE, 0, "pending", NONE, NONE},
	/* a run that starts after the deadline does not hold the alert back */
	{"run_after_deadline", EF_GRAFT_PERIPHERAL_BLOOD, "5:0.1 29:0.6 30:0.7", NULL, NULL, 30, "graft_failure",
	 NONE, NONE, 0, "pending", NONE, NONE},
	/* late engraftment is engraftment (the alert resolves) */
	{"late_engraftment", EF_GRAFT_PERIPHERAL_BLOOD, "5:0.1 30:0.6 31:0.7 32:0.8", NULL, NULL, 33, "engrafted",
	 30, NONE, 0, "pending", NONE, NONE},
	/* case 7: secondary graft failure dated D+60 */
	{"case7", EF_GRAFT_PERIPHERAL_BLOOD, "5:0.1 14:0.6 15:0.7 16:0.8 30:1.5 60:0.4 61:0.3 62:0.2", NULL, NULL, 62,
	 "engrafted", 14, 60, 0, "pending", NONE, NONE},
	{"case7_d61", EF_GRAFT_PERIPHERAL_BLOOD, "5:0.1 14:0.6 15:0.7 16:0.8 30:1.5 60:0.4 61:0.3 62:0.2", NULL, NULL,
	 61, "engrafted", 14, NONE, 0, "pending", NONE, NONE},
	{"case7_recovered", EF_GRAFT_PERIPHERAL_BLOOD,
	 "5:0.1 14:0.6 15:0.7 16:0.8 60:0.4 61:0.3 62:0.2 70:0.8 71:0.9 72:1.0", NULL, NULL, 72, "engrafted", 14,
	 NONE, 0, "pending", NONE, NONE},
	{"sgf_broken_by_unknown", EF_GRAFT_PERIPHERAL_BLOOD, "5:0.1 14:0.6 15:0.7 16:0.8 60:0.4 61:<1.0 62:0.2 63:0.3",
	 NULL, NULL, 63, "engrafted", 14, NONE, 0, "pending", NONE, NONE},
	{"sgf_after_unknown", EF_GRAFT_PERIPHERAL_BLOOD,
	 "5:0.1 14:0.6 15:0.7 16:0.8 60:0.4 61:<1.0 62:0.2 63:0.3 64:<0.1", NULL, NULL, 64, "engrafted", 14, 62, 0,
	 "pending", NONE, NONE},
	/* case 11: "<0.1" is below 0.5 and breaks the run */
	{"case11", EF_GRAFT_PERIPHERAL_BLOOD, "5:0.05 12:0.6 13:0.7 14:<0.1 15:0.8", NULL, NULL, 15, "pending", NONE,
	 NONE, 0, "pending", NONE, NONE},
	/* case 12: "<1.0" is undecidable: breaks the run and is flagged */
	{"case12", EF_GRAFT_PERIPHERAL_BLOOD, "5:0.05 12:0.6 13:0.7 14:<1.0 15:0.8", NULL, NULL, 15, "pending", NONE,
	 NONE, 1, "pending", NONE, NONE},
	{"case12_later", EF_GRAFT_PERIPHERAL_BLOOD, "5:0.05 12:0.6 13:0.7 14:<1.0 15:0.8 16:0.9 17:1.1", NULL, NULL, 17,
	 "engrafted", 15, NONE, 1, "pending", NONE, NONE},
	/* ">0.5" settles >= 0.5; ">0.4" does not */
	{"qualified_gt", EF_GRAFT_PERIPHERAL_BLOOD, "5:0.05 12:>0.5 13:0.7 14:0.8", NULL, NULL, 15, "engrafted", 12,
	 NONE, 0, "pending", NONE, NONE},
	{"qualified_gt_unknown", EF_GRAFT_PERIPHERAL_BLOOD, "5:0.05 12:>0.4 13:0.7 14:0.8", NULL, NULL, 15, "pending",
	 NONE, NONE, 1, "pending", NONE, NONE},
	/* an undecidable first value does not make a nadir */
	{"unknown_not_nadir", EF_GRAFT_PERIPHERAL_BLOOD, "3:<1.0 5:0.8 6:0.9", NULL, NULL, 7, "not_applicable", NONE,
	 NONE, 0, "pending", NONE, NONE},
	/* exactly the threshold counts (>=) */
	{"exactly_threshold", EF_GRAFT_PERIPHERAL_BLOOD, "5:0.1 10:0.5 11:0.5 12:0.5", NULL, NULL, 12, "engrafted",
	 10, NONE, 0, "pending", NONE, NONE},
	/* same-day values count as their minimum: D+13 0.4 breaks the run */
	{"same_day_minimum", EF_GRAFT_PERIPHERAL_BLOOD, "5:0.1 12:0.6 13:0.7 13:0.4 14:0.8 15:0.9 16:1.0", NULL, NULL,
	 16, "engrafted", 14, NONE, 0, "pending", NONE, NONE},
	{"same_day_unknown", EF_GRAFT_PERIPHERAL_BLOOD, "5:0.1 12:0.6 13:0.7 13:<1.0 14:0.8 15:0.9 16:1.0", NULL, NULL,
	 16, "engrafted", 14, NONE, 1, "pending", NONE, NONE},
	/* never below the threshold after day 0: not applicable */
	{"never_below", EF_GRAFT_PERIPHERAL_BLOOD, "-3:0.2 1:0.8 3:0.9 7:1.5", NULL, NULL, 40, "not_applicable", NONE,
	 NONE, 0, "pending", NONE, NONE},
	/* no ANC at all: pending, never graft failure */
	{"no_values", EF_GRAFT_PERIPHERAL_BLOOD, "", NULL, NULL, 40, "pending", NONE, NONE, 0, "pending", NONE, NONE},
	/* nadir after the deadline: not a primary graft failure */
	{"nadir_after_deadline", EF_GRAFT_PERIPHERAL_BLOOD, "1:0.8 2:0.9 30:0.3", NULL, NULL, 35, "pending", NONE, NONE,
	 0, "pending", NONE, NONE},
	/* case 8: platelets with a transfusion on D+14 */
	{"case8", EF_GRAFT_PERIPHERAL_BLOOD, NULL, "16:30 18:35 21:40 22:45 23:50 24:60 25:70", "14", 25, "pending",
	 NONE, NONE, 0, "engrafted", 21, 23},
	/* case 9: never < 20, no platelet transfusion */
	{"case9", EF_GRAFT_PERIPHERAL_BLOOD, NULL, "1:150 5:120 10:90 20:60", NULL, 30, "pending", NONE, NONE, 0,
	 "not_applicable", NONE, NONE},
	/* transfusion 6 days before (inside the window) vs 7 days (outside) */
	{"washout_day6", EF_GRAFT_PERIPHERAL_BLOOD, NULL, "5:10 16:25 17:25 18:25 19:25", "10", 19, "pending", NONE,
	 NONE, 0, "engrafted", 17, NONE},
	{"washout_day7", EF_GRAFT_PERIPHERAL_BLOOD, NULL, "5:10 17:25 18:25 19:25", "10", 19, "pending", NONE, NONE, 0,
	 "engrafted", 17, NONE},
	/* a transfusion before day 0 still counts for the look-back */
	{"transfusion_before_day0", EF_GRAFT_PERIPHERAL_BLOOD, NULL, "1:10 2:30 3:30 4:30 5:30 6:30 7:30", "-2", 7,
	 "pending", NONE, NONE, 0, "engrafted", 5, NONE},
	/* delayed platelet engraftment: past day +60 */
	{"plt_delayed", EF_GRAFT_PERIPHERAL_BLOOD, NULL, "5:10 30:15 61:25", "5 30", 61, "pending", NONE, NONE, 0,
	 "delayed", NONE, NONE},
	{"plt_d60", EF_GRAFT_PERIPHERAL_BLOOD, NULL, "5:10 30:15", "5 30", 60, "pending", NONE, NONE, 0, "pending",
	 NONE, NONE},
	{"plt_pending_run_at_d60", EF_GRAFT_PERIPHERAL_BLOOD, NULL, "5:10 59:25 60:25", "40", 61, "pending", NONE,
	 NONE, 0, "pending", NONE, NONE},
	{"plt_pending_run_done", EF_GRAFT_PERIPHERAL_BLOOD, NULL, "5:10 59:25 60:25 61:30", "40", 61, "pending", NONE,
	 NONE, 0, "engrafted", 59, NONE},
	/* transfusion-dependent, no counts recorded: delayed after day +60 */
	{"plt_transfusions_only", EF_GRAFT_PERIPHERAL_BLOOD, NULL, NULL, "3 10", 61, "pending", NONE, NONE, 0,
	 "delayed", NONE, NONE},
	/* red cell transfusions do not count */
	{"red_cells_ignored", EF_GRAFT_PERIPHERAL_BLOOD, NULL, "5:10 10:25 11:25 12:25", NULL, 12, "pending", NONE,
	 NONE, 0, "engrafted", 10, NONE},
};

START_TEST(engraftment_table)
{
	const struct ecase *c = &cases[_i];
	struct ef_reference ref;
	struct ef_timeline tl;
	struct ef_engraftment e;
	struct ef_err err;
	test_reference(&ref);
	ef_timeline_init(&tl);
	tl_patient(&tl, "1980-05-05");
	tl_transplant(&tl, "2025-01-15", EF_HCT_ALLOGENEIC, c->graft);
	ef_day day0 = D("2025-01-15");
	add_points(&tl, day0, EF_T_ANC, c->anc);
	add_points(&tl, day0, EF_T_PLT, c->plt);
	add_transfusions(&tl, day0, c->tx);
	if (strcmp(c->name, "red_cells_ignored") == 0)
		tl_transfusion(&tl, day0 + 8, EF_PROD_RED_CELLS);
	ck_assert_int_eq(ef_engraftment_eval(&tl, &tl.transplants[0], &ref, day0 + c->as_of, &e, &err), EF_OK);
	ck_assert_msg(strcmp(ef_engraft_status_str(e.status), c->status) == 0, "%s: status %s, want %s", c->name,
		      ef_engraft_status_str(e.status), c->status);
	ck_assert_msg(offset(e.anc.date, day0) == c->anc_day, "%s: anc day %d, want %d", c->name,
		      offset(e.anc.date, day0), c->anc_day);
	ck_assert_msg(offset(e.secondary_failure, day0) == c->sgf_day, "%s: sgf %d, want %d", c->name,
		      offset(e.secondary_failure, day0), c->sgf_day);
	ck_assert_msg(e.anc.n_unknown == c->n_unknown, "%s: unknown %d, want %d", c->name, e.anc.n_unknown,
		      c->n_unknown);
	ck_assert_msg(strcmp(ef_plt_status_str(e.plt_status), c->plt_status) == 0, "%s: plt %s, want %s", c->name,
		      ef_plt_status_str(e.plt_status), c->plt_status);
	ck_assert_msg(offset(e.plt.date, day0) == c->plt_day, "%s: plt day %d, want %d", c->name,
		      offset(e.plt.date, day0), c->plt_day);
	ck_assert_msg(offset(e.plt_high.date, day0) == c->plt50_day, "%s: plt50 day %d, want %d", c->name,
		      offset(e.plt_high.date, day0), c->plt50_day);
	ef_timeline_free(&tl);
	ef_reference_free(&ref);
}
END_TEST

/* The dates of case 1 and case 8 (s.18), as calendar dates. */
START_TEST(calendar_dates)
{
	struct ef_reference ref;
	struct ef_timeline tl;
	struct ef_engraftment e;
	struct ef_err err;
	char d[11];
	test_reference(&ref);
	ef_timeline_init(&tl);
	tl_transplant(&tl, "2025-01-15", EF_HCT_ALLOGENEIC, EF_GRAFT_PERIPHERAL_BLOOD);
	add_points(&tl, D("2025-01-15"), EF_T_ANC, "5:0.02 12:0.6 13:0.4 14:0.7 15:0.9 16:1.2");
	add_points(&tl, D("2025-01-15"), EF_T_PLT, "16:30 18:35 21:40 22:45 23:50 24:60 25:70");
	add_transfusions(&tl, D("2025-01-15"), "14");
	ck_assert_int_eq(ef_engraftment_eval(&tl, &tl.transplants[0], &ref, D("2025-03-01"), &e, &err), EF_OK);
	ef_date_format(e.anc.date, d);
	ck_assert_str_eq(d, "2025-01-29");
	ef_date_format(e.plt.date, d);
	ck_assert_str_eq(d, "2025-02-05");
	ef_date_format(e.plt_high.date, d);
	ck_assert_str_eq(d, "2025-02-07");
	ef_date_format(e.anc_deadline, d);
	ck_assert_str_eq(d, "2025-02-12");
	ef_date_format(e.plt_deadline, d);
	ck_assert_str_eq(d, "2025-03-16");
	ef_timeline_free(&tl);
	ef_reference_free(&ref);
}
END_TEST

/* Case 10: 600 cells/uL, 0.6 x10^3/uL and WBC 1.0 x 60 % all give 0.6
 * x10^9/L, and three such values engraft. (The WBC x differential product
 * is computed by whoever enters the ANC: the contract has no %seg test.) */
START_TEST(case10_units_feed_a_run)
{
	struct ef_reference ref;
	struct ef_timeline tl;
	struct ef_engraftment e;
	struct ef_err err;
	double v[3];
	test_reference(&ref);
	ck_assert_int_eq(ef_unit_convert(EF_T_ANC, "cells/uL", 8, 600, &v[0]), 0);
	ck_assert_int_eq(ef_unit_convert(EF_T_ANC, "10*3/uL", 7, 0.6, &v[1]), 0);
	ck_assert_int_eq(ef_unit_convert(EF_T_ANC, "10*9/L", 6, 1.0 * (55 + 5) / 100, &v[2]), 0);
	ef_timeline_init(&tl);
	tl_transplant(&tl, "2025-01-15", EF_HCT_ALLOGENEIC, EF_GRAFT_PERIPHERAL_BLOOD);
	ef_day day0 = D("2025-01-15");
	tl_lab(&tl, day0 + 5, EF_T_ANC, "0.1");
	for (int i = 0; i < 3; i++) {
		ck_assert(v[i] == 0.6);
		struct ef_lab l = {.day = day0 + 12 + i, .secs = -1, .test = EF_T_ANC, .qual = EF_Q_EQ, .value = v[i]};
		tl.labs = realloc(tl.labs, (tl.n_labs + 1) * sizeof *tl.labs);
		tl.labs[tl.n_labs++] = l;
	}
	ck_assert_int_eq(ef_engraftment_eval(&tl, &tl.transplants[0], &ref, day0 + 20, &e, &err), EF_OK);
	ck_assert_int_eq(e.status, EF_ENGRAFT_ENGRAFTED);
	ck_assert_int_eq(e.anc.date - day0, 12);
	ef_timeline_free(&tl);
	ef_reference_free(&ref);
}
END_TEST

/* Two transplants: each counts only its own values; the first stops the
 * day before the second's day 0. */
START_TEST(two_transplants)
{
	struct ef_reference ref;
	struct ef_timeline tl;
	struct ef_engraftment e;
	struct ef_err err;
	test_reference(&ref);
	ef_timeline_init(&tl);
	/* the second transplant listed first: order must not matter */
	tl_transplant(&tl, "2025-03-01", EF_HCT_ALLOGENEIC, EF_GRAFT_CORD_BLOOD);
	tl_transplant(&tl, "2025-01-15", EF_HCT_ALLOGENEIC, EF_GRAFT_PERIPHERAL_BLOOD);
	ef_day t1 = D("2025-01-15"), t2 = D("2025-03-01");
	add_points(&tl, t1, EF_T_ANC, "5:0.1 10:0.2 20:0.3 30:0.2 40:0.1");
	add_points(&tl, t2, EF_T_ANC, "0:0.6 1:0.6 2:0.6 5:0.1 12:0.7 13:0.8 14:0.9");
	/* first transplant: graft failure; the second's values are not its */
	ck_assert_int_eq(ef_engraftment_eval(&tl, &tl.transplants[1], &ref, t2 + 20, &e, &err), EF_OK);
	ck_assert_int_eq(e.status, EF_ENGRAFT_GRAFT_FAILURE);
	ck_assert_int_eq(e.anc.n_days, 5);
	/* second: day 0 2025-03-01; earlier values do not make its nadir */
	const struct ef_transplant *cur = ef_current_transplant(&tl, t2 + 20);
	ck_assert_int_eq(cur->day0, t2);
	ck_assert_int_eq(ef_engraftment_eval(&tl, cur, &ref, t2 + 20, &e, &err), EF_OK);
	ck_assert_int_eq(e.status, EF_ENGRAFT_ENGRAFTED);
	ck_assert_int_eq(e.anc.date - t2, 12);
	ck_assert_int_eq(e.anc.start - t2, 5);
	ef_timeline_free(&tl);
	ef_reference_free(&ref);
}
END_TEST

/* A cellular therapy (CAR-T) infuses no stem cells: engraftment is not
 * applicable however low the counts (docs/clinical-rules.md s.20). The same
 * values after an autologous HCT are a graft failure and a platelet delay. */
START_TEST(cellular_therapy_not_applicable)
{
	static const enum ef_hct_type types[] = {EF_HCT_AUTOLOGOUS, EF_HCT_CELLULAR_THERAPY};
	struct ef_reference ref;
	struct ef_err err;
	test_reference(&ref);
	for (size_t k = 0; k < 2; k++) {
		struct ef_timeline tl;
		struct ef_engraftment e;
		ef_timeline_init(&tl);
		tl_transplant(&tl, "2025-01-15", types[k], EF_GRAFT_PERIPHERAL_BLOOD);
		ef_day t = D("2025-01-15");
		add_points(&tl, t, EF_T_ANC, "3:0.2 10:0.1 20:0.3 30:0.2 50:0.1 70:0.2");
		add_points(&tl, t, EF_T_PLT, "3:10 10:8 20:12 30:9 50:11 70:12");
		ck_assert_int_eq(ef_engraftment_eval(&tl, &tl.transplants[0], &ref, t + 75, &e, &err), EF_OK);
		if (types[k] == EF_HCT_AUTOLOGOUS) {
			ck_assert_int_eq(e.status, EF_ENGRAFT_GRAFT_FAILURE);
			ck_assert_int_eq(e.plt_status, EF_PLT_DELAYED);
			ck_assert_int_eq(e.not_engraftable, 0);
		} else {
			ck_assert_int_eq(e.status, EF_ENGRAFT_NOT_APPLICABLE);
			ck_assert_int_eq(e.plt_status, EF_PLT_NOT_APPLICABLE);
			ck_assert_int_eq(e.not_engraftable, 1);
			ck_assert_int_eq(e.secondary_failure, EF_NO_DAY);
			ck_assert_int_eq(e.anc_deadline, EF_NO_DAY);
			ck_assert_int_eq(e.plt_deadline, EF_NO_DAY);
			ck_assert_str_eq(ef_engraft_status_str(e.status), "not_applicable");
		}
		ef_timeline_free(&tl);
	}
	ck_assert_int_eq(ef_hct_type_engrafts(EF_HCT_ALLOGENEIC), 1);
	ck_assert_int_eq(ef_hct_type_engrafts(EF_HCT_CELLULAR_THERAPY), 0);
	ef_reference_free(&ref);
}
END_TEST

/* Leap day and month-end day 0: day arithmetic crosses Feb 29. */
START_TEST(leap_day_deadline)
{
	struct ef_reference ref;
	struct ef_timeline tl;
	struct ef_engraftment e;
	struct ef_err err;
	char d[11];
	test_reference(&ref);
	ef_timeline_init(&tl);
	tl_transplant(&tl, "2024-02-01", EF_HCT_ALLOGENEIC, EF_GRAFT_BONE_MARROW);
	add_points(&tl, D("2024-02-01"), EF_T_ANC, "3:0.1 28:0.6 29:0.7 30:0.8");
	ck_assert_int_eq(ef_engraftment_eval(&tl, &tl.transplants[0], &ref, D("2024-03-05"), &e, &err), EF_OK);
	ef_date_format(e.anc_deadline, d);
	ck_assert_str_eq(d, "2024-02-29");
	ef_date_format(e.anc.date, d);
	ck_assert_str_eq(d, "2024-02-29");
	ck_assert_int_eq(e.status, EF_ENGRAFT_ENGRAFTED);
	ef_timeline_free(&tl);
	ef_reference_free(&ref);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("engraftment");
	TCase *tc = tcase_create("engraftment");
	tcase_add_loop_test(tc, engraftment_table, 0, sizeof cases / sizeof cases[0]);
	tcase_add_test(tc, calendar_dates);
	tcase_add_test(tc, case10_units_feed_a_run);
	tcase_add_test(tc, two_transplants);
	tcase_add_test(tc, leap_day_deadline);
	tcase_add_test(tc, cellular_therapy_not_applicable);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
