/* The follow-up calendar (followup.h; docs/clinical-rules.md s.19 and the
 * its worked examples): one row per situation of issue 16 - day 100
 * and month-end arithmetic, leap days, a second HCT, autologous rescue vs
 * a new transplant, autologous vs allogeneic items, age limits, done and
 * not done, the grace period, the registry track - with the shipped
 * reference files (and one cell changed where a case says so). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engraft/followup.h"
#include "engraft/rules.h"
#include "helpers.h"

#define MAXW 8

static const struct {
	const char *name;
	const char *birth;
	const char *tx[3];   /* "YYYY-MM-DD type" */
	const char *done[3]; /* "ITEM TIME_POINT YYYY-MM-DD" */
	const char *as_of;
	struct ref_override ov; /* .file NULL: the shipped files */
	const char *want[MAXW];   /* "ITEM TIME_POINT DUE_ON STATUS" */
	const char *absent[MAXW]; /* "ITEM TIME_POINT" */
} cases[] = {
	{"day 100 is day 0 + 100 days", "1970-05-05", {"2025-01-01 allogeneic"}, {0}, "2025-04-11", {0},
	 {"CIBMTR D100 2025-04-11 due", "CIBMTR M6 2025-07-01 upcoming", "EYE M12 2026-01-01 upcoming",
	  "DENTAL M12 2026-01-01 upcoming"},
	 {"CIBMTR Y1", "DENTAL M24"}},
	{"before day 100 only the next time point", "1970-05-05", {"2025-01-01 allogeneic"}, {0}, "2025-04-10", {0},
	 {"CIBMTR D100 2025-04-11 upcoming"},
	 {"CIBMTR M6"}},
	{"month end: Aug 31 + 6 months is Feb 28", "1970-05-05", {"2024-08-31 allogeneic"}, {0}, "2025-03-01", {0},
	 {"CIBMTR D100 2024-12-09 overdue", "CIBMTR M6 2025-02-28 due", "CIBMTR Y1 2025-08-31 upcoming"}, {0}},
	{"month end: Jan 31 + 6 months is Jul 31", "1970-05-05", {"2025-01-31 autologous"}, {0}, "2025-08-01", {0},
	 {"CIBMTR M6 2025-07-31 due", "THYROID M12 2026-01-31 upcoming"}, {0}},
	{"leap day 0: a year later is Feb 28", "1970-05-05", {"2024-02-29 allogeneic"}, {0}, "2025-03-01", {0},
	 {"CIBMTR Y1 2025-02-28 due", "EYE M12 2025-02-28 due", "CIBMTR Y2 2026-02-28 upcoming"}, {0}},
	{"leap day 0: four years later is Feb 29", "1970-05-05", {"2024-02-29 allogeneic"}, {0}, "2028-03-01", {0},
	 {"CIBMTR Y4 2028-02-29 due", "DENTAL M48 2028-02-29 due", "CIBMTR Y3 2027-02-28 overdue"}, {0}},
	{"yearly to 6 years, then every 2 years", "1970-05-05", {"2015-01-01 allogeneic"}, {0}, "2023-02-01", {0},
	 {"CIBMTR Y6 2021-01-01 overdue", "CIBMTR Y8 2023-01-01 overdue", "CIBMTR Y10 2025-01-01 upcoming"},
	 {"CIBMTR Y7", "CIBMTR Y9"}},
	{"the ted track is yearly for ever", "1970-05-05", {"2015-01-01 allogeneic"}, {0}, "2023-02-01",
	 {"parameters.csv", "key", "registry_track", NULL, NULL, "value", "ted"},
	 {"CIBMTR Y7 2022-01-01 overdue", "CIBMTR Y8 2023-01-01 overdue", "CIBMTR Y9 2024-01-01 upcoming"},
	 {"CIBMTR Y10"}},
	{"a second allogeneic HCT restarts the sequence", "1970-05-05",
	 {"2023-01-10 allogeneic", "2024-03-01 allogeneic"}, {"CIBMTR D100 2023-04-20"}, "2024-06-15", {0},
	 {"CIBMTR D100 2024-06-09 due", "CIBMTR M6 2024-09-01 upcoming", "EYE M12 2025-03-01 upcoming"},
	 {"CIBMTR Y1", "EYE M24"}},
	{"before the second HCT the first one counts", "1970-05-05",
	 {"2023-01-10 allogeneic", "2024-03-01 allogeneic"}, {"CIBMTR D100 2023-04-20"}, "2024-02-01", {0},
	 {"CIBMTR D100 2023-04-20 done", "CIBMTR Y1 2024-01-10 due", "CIBMTR Y2 2025-01-10 upcoming"}, {0}},
	{"an autologous rescue after an allogeneic HCT does not restart", "1970-05-05",
	 {"2024-01-10 allogeneic", "2024-02-20 autologous"}, {0}, "2024-04-20", {0},
	 {"CIBMTR D100 2024-04-19 due", "CIBMTR M6 2024-07-10 upcoming"}, {0}},
	{"a second autologous HCT (tandem) restarts", "1970-05-05",
	 {"2024-01-10 autologous", "2024-03-01 autologous"}, {0}, "2024-06-10", {0},
	 {"CIBMTR D100 2024-06-09 due", "CIBMTR M6 2024-09-01 upcoming"}, {0}},
	{"an item for allogeneic transplants only", "1970-05-05", {"2025-01-01 autologous"}, {0}, "2026-01-02",
	 {"screening.csv", "item", "DENTAL", NULL, NULL, "applies_to", "allogeneic"},
	 {"THYROID M12 2026-01-01 due"}, {"DENTAL M12"}},
	{"the same item after an allogeneic HCT", "1970-05-05", {"2025-01-01 allogeneic"}, {0}, "2026-01-02",
	 {"screening.csv", "item", "DENTAL", NULL, NULL, "applies_to", "allogeneic"},
	 {"DENTAL M12 2026-01-01 due"}, {0}},
	{"bone density: a child of 17 on the due date has none", "2009-01-02", {"2025-01-01 allogeneic"}, {0},
	 "2026-01-02", {0}, {"EYE M12 2026-01-01 due"}, {"BONE_DENSITY M12"}},
	{"bone density: 18 on the due date", "2008-01-01", {"2025-01-01 allogeneic"}, {0}, "2026-01-02", {0},
	 {"BONE_DENSITY M12 2026-01-01 due"}, {0}},
	{"done and not done", "1970-05-05", {"2025-01-01 allogeneic"}, {"DENTAL M12 2026-01-10"}, "2026-02-01", {0},
	 {"DENTAL M12 2026-01-01 done", "DENTAL M24 2027-01-01 upcoming", "THYROID M12 2026-01-01 overdue"}, {0}},
	{"done after as-of does not count", "1970-05-05", {"2025-01-01 allogeneic"}, {"DENTAL M12 2026-01-10"},
	 "2026-01-09", {0}, {"DENTAL M12 2026-01-01 due"}, {0}},
	{"done early: the next one is upcoming", "1970-05-05", {"2025-01-01 allogeneic"}, {"DENTAL M24 2026-06-01"},
	 "2026-07-01", {0}, {"DENTAL M12 2026-01-01 overdue", "DENTAL M24 2027-01-01 done",
			     "DENTAL M36 2028-01-01 upcoming"}, {0}},
	{"a once-only item done is not listed again", "1970-05-05", {"2025-01-01 allogeneic"},
	 {"EYE M12 2026-01-05"}, "2027-06-01", {0}, {"EYE M12 2026-01-01 done"}, {"EYE M24"}},
	{"grace: 30 days past is still due", "1970-05-05", {"2025-01-01 allogeneic"}, {0}, "2025-05-11", {0},
	 {"CIBMTR D100 2025-04-11 due"}, {0}},
	{"grace: 31 days past is overdue", "1970-05-05", {"2025-01-01 allogeneic"}, {0}, "2025-05-12", {0},
	 {"CIBMTR D100 2025-04-11 overdue"}, {0}},
	{"grace is a site parameter", "1970-05-05", {"2025-01-01 allogeneic"}, {0}, "2025-05-12",
	 {"parameters.csv", "key", "followup_grace_days", NULL, NULL, "value", "60"},
	 {"CIBMTR D100 2025-04-11 due"}, {0}},
	/* a cellular therapy (CAR-T) neither restarts nor starts the HCT sequence;
	 * its own form (CIBMTR-CT, Form 4100) counts from the infusion
	 * (docs/clinical-rules.md s.20) */
	{"a CAR-T infusion after an allogeneic HCT does not restart", "1970-05-05",
	 {"2024-01-10 allogeneic", "2024-09-01 cellular_therapy"}, {0}, "2024-12-20", {0},
	 {"CIBMTR D100 2024-04-19 overdue", "CIBMTR M6 2024-07-10 overdue", "CIBMTR Y1 2025-01-10 upcoming",
	  "EYE M12 2025-01-10 upcoming", "CIBMTR-CT D100 2024-12-10 due", "CIBMTR-CT M6 2025-03-01 upcoming"},
	 {"CIBMTR M12", "EYE M24"}},
	{"a CAR-T infusion alone: only its own form", "1970-05-05", {"2025-01-01 cellular_therapy"},
	 {"CIBMTR-CT D100 2025-04-12"}, "2026-01-31", {0},
	 {"CIBMTR-CT D100 2025-04-11 done", "CIBMTR-CT M6 2025-07-01 overdue", "CIBMTR-CT Y1 2026-01-01 due",
	  "CIBMTR-CT Y2 2027-01-01 upcoming"},
	 {"CIBMTR D100", "CIBMTR Y1", "EYE M12", "DENTAL M12"}},
	{"Form 4100 ends at 15 years", "1970-05-05", {"2010-03-01 cellular_therapy"}, {0}, "2026-02-01", {0},
	 {"CIBMTR-CT Y15 2025-03-01 overdue", "CIBMTR-CT Y14 2024-03-01 overdue"}, {"CIBMTR-CT Y16", "CIBMTR-CT Y17"}},
	{"a second CAR-T infusion starts Form 4100 again", "1970-05-05",
	 {"2024-01-10 cellular_therapy", "2024-09-01 cellular_therapy"}, {0}, "2024-12-10", {0},
	 {"CIBMTR-CT D100 2024-12-10 due", "CIBMTR-CT M6 2025-03-01 upcoming"}, {"CIBMTR-CT Y1"}},
	{"an HCT after a CAR-T infusion starts the HCT sequence", "1970-05-05",
	 {"2024-01-10 cellular_therapy", "2024-06-01 allogeneic"}, {0}, "2024-09-10", {0},
	 {"CIBMTR D100 2024-09-09 due", "CIBMTR M6 2024-12-01 upcoming", "CIBMTR-CT M6 2024-07-10 overdue",
	  "CIBMTR-CT Y1 2025-01-10 upcoming"}, {0}},
	{"no transplant: nothing", "1970-05-05", {0}, {0}, "2025-05-12", {0}, {0}, {"CIBMTR D100", "EYE M12"}},
	{"a transplant after as-of: nothing yet", "1970-05-05", {"2025-06-01 allogeneic"}, {0}, "2025-05-12", {0},
	 {0}, {"CIBMTR D100"}},
};

static void add_done(struct ef_timeline *tl, const char *spec)
{
	struct ef_followup_done d = {0};
	char day[11];
	ck_assert_int_eq(sscanf(spec, "%23s %11s %10s", d.item, d.time_point, day), 3);
	d.day = D(day);
	void *p = realloc(tl->followups, (tl->n_followups + 1) * sizeof d);
	ck_assert_ptr_nonnull(p);
	tl->followups = p;
	tl->followups[tl->n_followups++] = d;
}

static void build(struct ef_timeline *tl, int i)
{
	ef_timeline_init(tl);
	tl_patient(tl, cases[i].birth);
	for (int k = 0; k < 3 && cases[i].tx[k]; k++) {
		char day[11], type[24];
		enum ef_hct_type t;
		ck_assert_int_eq(sscanf(cases[i].tx[k], "%10s %23s", day, type), 2);
		ck_assert_int_eq(ef_hct_type_parse(type, strlen(type), &t), 0);
		tl_transplant(tl, day, t, EF_GRAFT_PERIPHERAL_BLOOD);
	}
	for (int k = 0; k < 3 && cases[i].done[k]; k++)
		add_done(tl, cases[i].done[k]);
}

static const struct ef_fu_entry *find(const struct ef_fu_list *l, const char *item, const char *tp)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].item, item) == 0 && strcmp(l->v[i].time_point, tp) == 0)
			return &l->v[i];
	return NULL;
}

START_TEST(calendar_case)
{
	struct ef_reference ref;
	struct ef_err err;
	if (cases[_i].ov.file)
		ck_assert_msg(test_reference_load(&ref, &cases[_i].ov, 1, &err) == EF_OK, "%s", err.msg);
	else
		test_reference(&ref);
	struct ef_timeline tl;
	build(&tl, _i);
	struct ef_fu_list l;
	ef_fu_list_init(&l);
	ck_assert_int_eq(ef_followup_calendar(&tl, &ref, D(cases[_i].as_of), &l, &err), EF_OK);
	for (int k = 0; k < MAXW && cases[_i].want[k]; k++) {
		char item[24], tp[12], due[11], status[12], got[11];
		ck_assert_int_eq(sscanf(cases[_i].want[k], "%23s %11s %10s %11s", item, tp, due, status), 4);
		const struct ef_fu_entry *e = find(&l, item, tp);
		ck_assert_msg(e != NULL, "%s: %s %s not listed", cases[_i].name, item, tp);
		ef_date_format(e->due_on, got);
		ck_assert_msg(strcmp(got, due) == 0, "%s: %s %s due %s, want %s", cases[_i].name, item, tp, got, due);
		ck_assert_msg(strcmp(ef_fu_status_str(e->status), status) == 0, "%s: %s %s is %s, want %s",
			      cases[_i].name, item, tp, ef_fu_status_str(e->status), status);
		ck_assert_int_eq(e->done_on != EF_NO_DAY, e->status == EF_FU_DONE);
	}
	for (int k = 0; k < MAXW && cases[_i].absent[k]; k++) {
		char item[24], tp[12];
		ck_assert_int_eq(sscanf(cases[_i].absent[k], "%23s %11s", item, tp), 2);
		ck_assert_msg(find(&l, item, tp) == NULL, "%s: %s %s listed", cases[_i].name, item, tp);
	}
	/* every item has at most one upcoming time point */
	for (size_t a = 0; a < l.n; a++)
		for (size_t b = a + 1; b < l.n; b++)
			ck_assert(!(strcmp(l.v[a].item, l.v[b].item) == 0 && l.v[a].status == EF_FU_UPCOMING &&
				    l.v[b].status == EF_FU_UPCOMING));
	ef_fu_list_free(&l);
	ef_timeline_free(&tl);
	ef_reference_free(&ref);
}
END_TEST

/* A patient out of this clinic's care (deceased, transferred, lost) has no
 * follow-up calendar; back in care, it returns. */
START_TEST(out_of_care_has_none)
{
	struct ef_reference ref;
	struct ef_err err;
	test_reference(&ref);
	struct ef_timeline tl;
	ef_timeline_init(&tl);
	tl_patient(&tl, "1970-05-05");
	tl_transplant(&tl, "2025-01-01", EF_HCT_ALLOGENEIC, EF_GRAFT_PERIPHERAL_BLOOD);
	struct ef_status_row rows[2] = {{1, D("2025-03-01"), EF_ST_TRANSFERRED}, {2, D("2025-06-01"), EF_ST_RETURNED}};
	tl.status = rows;
	tl.n_status = 1;
	struct ef_fu_list l;
	ef_fu_list_init(&l);
	ck_assert_int_eq(ef_followup_calendar(&tl, &ref, D("2025-05-01"), &l, &err), EF_OK);
	ck_assert_uint_eq(l.n, 0);
	tl.n_status = 2;
	ck_assert_int_eq(ef_followup_calendar(&tl, &ref, D("2025-07-01"), &l, &err), EF_OK);
	ck_assert(find(&l, "CIBMTR", "D100") != NULL);
	tl.status = NULL;
	tl.n_status = 0;
	ef_fu_list_free(&l);
	ef_timeline_free(&tl);
	ef_reference_free(&ref);
}
END_TEST

/* The rule FOLLOWUP_OVERDUE: one warning per overdue time point, subject
 * ITEM:TIME_POINT, due_on its due date; none while due, none once done. */
static const struct ef_finding *finding(const struct ef_findings *f, const char *subject)
{
	for (size_t i = 0; i < f->n; i++)
		if (f->v[i].rule == EF_RULE_FOLLOWUP_OVERDUE && strcmp(f->v[i].subject, subject) == 0)
			return &f->v[i];
	return NULL;
}

START_TEST(rule_followup_overdue)
{
	struct ef_reference ref;
	struct ef_err err;
	test_reference(&ref);
	struct ef_timeline tl;
	ef_timeline_init(&tl);
	tl_patient(&tl, "1970-05-05");
	tl_transplant(&tl, "2025-01-01", EF_HCT_ALLOGENEIC, EF_GRAFT_PERIPHERAL_BLOOD);
	struct ef_findings f;
	ef_findings_init(&f);
	ck_assert_int_eq(ef_rules_evaluate(&tl, &ref, D("2025-05-11"), &f, &err), EF_OK);
	ck_assert_ptr_null(finding(&f, "CIBMTR:D100")); /* due, not overdue */
	ck_assert_int_eq(ef_rules_evaluate(&tl, &ref, D("2025-05-12"), &f, &err), EF_OK);
	const struct ef_finding *x = finding(&f, "CIBMTR:D100");
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->severity, EF_SEV_WARNING);
	ck_assert_int_eq(x->due_on, D("2025-04-11"));
	ck_assert_str_eq(x->message, "CIBMTR D100 overdue: due since 2025-04-11 (CIBMTR follow-up form (crf track))");
	ck_assert_str_eq(ef_rule_id(EF_RULE_FOLLOWUP_OVERDUE), "FOLLOWUP_OVERDUE");
	add_done(&tl, "CIBMTR D100 2025-05-12");
	ck_assert_int_eq(ef_rules_evaluate(&tl, &ref, D("2025-05-12"), &f, &err), EF_OK);
	ck_assert_ptr_null(finding(&f, "CIBMTR:D100"));
	/* a year on: M6 is overdue; Y1 and the screening items of M12 (due
	 * 2026-01-01) only after 30 days */
	ck_assert_int_eq(ef_rules_evaluate(&tl, &ref, D("2026-01-25"), &f, &err), EF_OK);
	ck_assert_ptr_nonnull(finding(&f, "CIBMTR:M6"));
	ck_assert_ptr_null(finding(&f, "CIBMTR:Y1"));
	ck_assert_ptr_null(finding(&f, "DENTAL:M12"));
	ck_assert_int_eq(ef_rules_evaluate(&tl, &ref, D("2026-02-15"), &f, &err), EF_OK);
	ck_assert_ptr_nonnull(finding(&f, "CIBMTR:Y1"));
	ck_assert_ptr_nonnull(finding(&f, "DENTAL:M12"));
	ef_findings_free(&f);
	ef_timeline_free(&tl);
	ef_reference_free(&ref);
}
END_TEST

static const struct {
	const char *item, *tp;
	int want;
} points[] = {
	{"CIBMTR", "D100", 1}, {"CIBMTR", "M6", 1},   {"CIBMTR", "Y6", 1},   {"CIBMTR", "Y8", 1},
	{"CIBMTR", "Y10", 1},  {"CIBMTR", "Y7", 1},   /* a ted time point */
	{"CIBMTR", "M18", 0},  {"CIBMTR", "D99", 0},  {"CIBMTR", "Y01", 0},  {"CIBMTR", "y1", 0},
	{"DENTAL", "M12", 1},  {"DENTAL", "M36", 1},  {"DENTAL", "M18", 0},  {"DENTAL", "Y1", 0},
	{"EYE", "M12", 1},     {"EYE", "M24", 0},     {"PODIATRY", "M12", -1}, {"", "M12", -1},
};

START_TEST(time_point_known)
{
	struct ef_reference ref;
	test_reference(&ref);
	ck_assert_msg(ef_followup_point_known(&ref, points[_i].item, points[_i].tp) == points[_i].want, "%s %s",
		      points[_i].item, points[_i].tp);
	ef_reference_free(&ref);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("followup");
	TCase *tc = tcase_create("calendar");
	tcase_add_loop_test(tc, calendar_case, 0, sizeof cases / sizeof cases[0]);
	tcase_add_test(tc, out_of_care_has_none);
	tcase_add_test(tc, rule_followup_overdue);
	tcase_add_loop_test(tc, time_point_known, 0, sizeof points / sizeof points[0]);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
