/* Reference data: the shipped asset files load and are complete; every
 * kind rejects bad rows with a message naming the column; lookups. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "engraft/reference.h"
#include "helpers.h"

START_TEST(shipped_assets_load)
{
	struct ef_reference ref;
	test_reference(&ref);
	ck_assert(ef_ref_num(&ref, EF_P_ANC_THRESHOLD) == 0.5);
	ck_assert_int_eq(ef_ref_int(&ref, EF_P_ANC_RUN), 3);
	ck_assert(ef_ref_num(&ref, EF_P_PLT_THRESHOLD) == 20);
	ck_assert(ef_ref_num(&ref, EF_P_PLT_THRESHOLD_HIGH) == 50);
	ck_assert_int_eq(ef_ref_int(&ref, EF_P_PLT_TRANSFUSION_FREE), 7);
	ck_assert_int_eq(ef_ref_int(&ref, EF_P_GF_DAY_BONE_MARROW), 28);
	ck_assert_int_eq(ef_ref_int(&ref, EF_P_GF_DAY_PERIPHERAL_BLOOD), 28);
	ck_assert_int_eq(ef_ref_int(&ref, EF_P_GF_DAY_CORD_BLOOD), 42);
	ck_assert_int_eq(ef_ref_int(&ref, EF_P_PLT_DELAYED_DAY), 60);
	ck_assert(ef_ref_num(&ref, EF_P_IGG_LOW) == 400);
	ck_assert_int_eq(ef_ref_int(&ref, EF_P_IVIG_CONFOUND_DAYS), 30);
	ck_assert_int_eq(ef_ref_int(&ref, EF_P_LIVE_MIN_MONTHS), 24);
	ck_assert_int_eq(ef_ref_int(&ref, EF_P_LIVE_IS_OFF_MONTHS), 12);
	ck_assert_int_eq(ef_ref_int(&ref, EF_P_LIVE_IVIG_MONTHS), 8);
	ck_assert_int_eq(ef_ref_int(&ref, EF_P_ACUTE_ACTIVE_DAYS), 100);
	ck_assert_int_eq(ef_ref_int(&ref, EF_P_ACUTE_ACTIVE_GRADE), EF_AGVHD_I);
	ck_assert_int_eq(ef_ref_int(&ref, EF_P_SEVERE_ACUTE_GRADE), EF_AGVHD_III);
	ck_assert_int_eq(ef_ref_int(&ref, EF_P_SEVERE_CHRONIC_SEVERITY), EF_CGVHD_SEVERE);
	ck_assert_int_eq(ef_ref_int(&ref, EF_P_OVERDUE_GRACE_DAYS), 28);
	ck_assert_int_eq(ref.month_rule, EF_MONTHS_CLAMP);
	ck_assert_uint_eq(ref.n_milestones, 2);
	ck_assert_str_eq(ref.milestones[0].id, "IR-CD4-180");
	ck_assert_int_eq(ref.milestones[0].window_start, 150);
	ck_assert_int_eq(ref.milestones[0].window_end, 210);
	ck_assert_int_eq(ref.milestones[1].window_start, 335);
	ck_assert_int_eq(ref.milestones[1].window_end, 395);
	ck_assert(ref.n_rules > 30);
	ck_assert(ref.n_monitors > 0);
	ck_assert(ref.n_cvx > 90);
	/* one lab_tests row per test engraft knows, each with a plausible range */
	ck_assert_uint_eq(ref.n_lab_tests, EF_T_COUNT);
	for (int t = 0; t < EF_T_COUNT; t++) {
		ck_assert_msg(ref.lab[t].present, "%s", ef_test_code((enum ef_test)t));
		ck_assert(ref.lab[t].have[EF_LIM_PLAUSIBLE_MIN] && ref.lab[t].have[EF_LIM_PLAUSIBLE_MAX]);
		ck_assert(ref.lab[t].v[EF_LIM_PLAUSIBLE_MIN] == 0);
	}
	ck_assert(ref.lab[EF_T_ANC].v[EF_LIM_CRITICAL_LOW] == 0.5);
	ck_assert(ref.lab[EF_T_PLT].v[EF_LIM_CRITICAL_LOW] == 20);
	ck_assert(ref.lab[EF_T_IGG].v[EF_LIM_CRITICAL_LOW] == 400);
	ck_assert(!ref.lab[EF_T_CD4].have[EF_LIM_CRITICAL_HIGH]);
	/* the follow-up calendar (issue 16) */
	ck_assert_int_eq(ef_ref_int(&ref, EF_P_FOLLOWUP_GRACE_DAYS), 30);
	ck_assert_int_eq(ef_ref_int(&ref, EF_P_REGISTRY_TRACK), EF_TRACK_CRF);
	ck_assert_uint_eq(ref.n_screening, 7);
	ck_assert_str_eq(ref.screening[0].item, "EYE");
	ck_assert_int_eq(ref.screening[0].interval_months, -1);
	ck_assert_uint_eq(ref.n_registry, 46); /* CIBMTR 12, CIBMTR-CT 34 */
	ck_assert_str_eq(ref.registry[0].time_point, "D100");
	ck_assert_int_eq(ref.registry[8].repeat_months, 24);
	ef_reference_free(&ref);
}
END_TEST

/* The registry track the site chooses must have time points: a ted track
 * without ted rows would schedule no CIBMTR form at all. */
START_TEST(registry_track_needs_rows)
{
	struct ef_reference ref;
	struct ef_err err;
	ck_assert_int_eq(test_reference_load(&ref, NULL, 0, &err), EF_OK);
	ck_assert_int_eq(ref.registry[9].track, EF_TRACK_TED);
	ref.n_registry = 9; /* the crf rows only */
	ck_assert_int_eq(ef_reference_finish(&ref, &err), EF_OK);
	ref.param[EF_P_REGISTRY_TRACK] = EF_TRACK_TED;
	ck_assert_int_eq(ef_reference_finish(&ref, &err), EF_INVALID);
	ck_assert_str_eq(err.msg, "registry_forms: CIBMTR has no time points on the track ted (parameter registry_track)");
	ef_reference_free(&ref);
}
END_TEST

/* A site file may omit tests (they have no limits) but not every row. */
START_TEST(lab_tests_need_one_row)
{
	struct ef_reference ref;
	struct ef_err err;
	ck_assert_int_eq(test_reference_load(&ref, NULL, 0, &err), EF_OK);
	memset(ref.lab, 0, sizeof ref.lab);
	ref.n_lab_tests = 0;
	ck_assert_int_eq(ef_reference_finish(&ref, &err), EF_INVALID);
	ck_assert_str_eq(err.msg,
			 "lab_tests: no rows (list at least one test; a test whose limits are all empty has none)");
	const char *row[] = {"CD4", "", "", "", "", "", "", "site: no limits for CD4"};
	ck_assert_int_eq(ef_reference_add_row(&ref, EF_REF_LAB_TESTS, row, &err), EF_OK);
	ck_assert_int_eq(ef_reference_finish(&ref, &err), EF_OK);
	ck_assert(ref.lab[EF_T_CD4].present && !ref.lab[EF_T_ANC].present);
	ef_reference_free(&ref);
}
END_TEST

/* One bad cell per row; the message must name the column. */
static const struct {
	enum ef_ref_kind kind;
	const char *v[15];
	const char *want; /* substring of the error */
} bad_rows[] = {
	{EF_REF_PARAMETERS, {"anc_treshold", "0.5", "10*9/L", "x"}, "key: unknown parameter"},
	{EF_REF_PARAMETERS, {"anc_threshold", "0", "10*9/L", "x"}, "value: anc_threshold must be a number > 0"},
	{EF_REF_PARAMETERS, {"anc_threshold", "-1", "10*9/L", "x"}, "value:"},
	{EF_REF_PARAMETERS, {"anc_threshold", "0.5", "cells/uL", "x"}, "unit: anc_threshold is in '10*9/L'"},
	{EF_REF_PARAMETERS, {"anc_threshold", "0.5", "10*9/L", ""}, "source:"},
	{EF_REF_PARAMETERS, {"anc_run_length", "2.5", "values", "x"}, "value: anc_run_length must be a whole"},
	{EF_REF_PARAMETERS, {"anc_run_length", "0", "values", "x"}, "value:"},
	{EF_REF_PARAMETERS, {"live_months_after_ivig", "eight", "months", "x"}, "value:"},
	{EF_REF_PARAMETERS, {"acute_gvhd_active_min_grade", "V", "grade", "x"}, "value:"},
	{EF_REF_PARAMETERS, {"acute_gvhd_active_min_grade", "0", "grade", "x"}, "value:"},
	{EF_REF_PARAMETERS, {"chronic_gvhd_min_severity", "none", "severity", "x"}, "value:"},
	{EF_REF_PARAMETERS, {"month_rule", "cdsi", "rule", "x"}, "value: month_rule must be clamp or next_first"},
	{EF_REF_VACCINE_SCHEDULE, {"PCV13", "1", "", "3", "", "", "", "", "", "", "", "0", "", "0", "x"},
	 "series: unknown series"},
	{EF_REF_VACCINE_SCHEDULE, {"PCV", "0", "", "3", "", "", "", "", "", "", "", "0", "", "0", "x"}, "dose:"},
	{EF_REF_VACCINE_SCHEDULE, {"PCV", "1", "allo", "3", "", "", "", "", "", "", "", "0", "", "0", "x"},
	 "transplant_types:"},
	{EF_REF_VACCINE_SCHEDULE, {"PCV", "1", "allogeneic;", "3", "", "", "", "", "", "", "", "0", "", "0", "x"},
	 "transplant_types:"},
	{EF_REF_VACCINE_SCHEDULE, {"PCV", "1", "", "", "", "", "", "", "", "", "", "0", "", "0", "x"},
	 "start_months: dose 1 of PCV needs start_months"},
	{EF_REF_VACCINE_SCHEDULE, {"PCV", "2", "", "", "", "", "", "", "", "", "", "0", "", "0", "x"},
	 "needs an interval or a start"},
	{EF_REF_VACCINE_SCHEDULE, {"PCV", "2", "", "", "4w", "", "", "", "", "", "", "0", "", "0", "x"},
	 "min_interval_days:"},
	{EF_REF_VACCINE_SCHEDULE, {"PCV", "2", "", "", "0", "", "", "", "", "", "", "0", "", "0", "x"},
	 "min_interval_days:"},
	{EF_REF_VACCINE_SCHEDULE, {"PPSV23", "1", "", "12", "", "", "PPV", "3", "56", "", "", "0", "", "0", "x"},
	 "after_series: unknown series"},
	{EF_REF_VACCINE_SCHEDULE, {"PPSV23", "1", "", "12", "", "", "", "3", "56", "", "", "0", "", "0", "x"},
	 "after_series: after_dose/after_days need after_series"},
	{EF_REF_VACCINE_SCHEDULE, {"PCV", "2", "", "", "", "", "PCV", "1", "28", "", "", "0", "", "0", "x"},
	 "after_series: a series cannot come after itself"},
	{EF_REF_VACCINE_SCHEDULE, {"HPV", "1", "", "6", "", "", "", "", "", "27", "26", "0", "", "0", "x"},
	 "max_age_years:"},
	{EF_REF_VACCINE_SCHEDULE, {"MMR", "1", "", "24", "", "", "", "", "", "", "", "yes", "", "0", "x"}, "live:"},
	{EF_REF_VACCINE_SCHEDULE, {"MMR", "1", "", "24", "", "", "", "", "", "", "", "", "", "0", "x"}, "live:"},
	{EF_REF_VACCINE_SCHEDULE, {"PCV", "4", "", "12", "28", "", "", "", "", "", "", "0", "cgvhd", "0", "x"},
	 "condition:"},
	{EF_REF_VACCINE_SCHEDULE, {"FLU", "2", "", "", "", "12", "", "", "", "", "", "0", "", "2", "x"}, "repeat:"},
	{EF_REF_VACCINE_SCHEDULE, {"FLU", "1", "", "6", "", "", "", "", "", "", "", "0", "", "0", ""}, "source:"},
	{EF_REF_MILESTONES, {"ir cd4", "CD4", ">=", "200", "150", "210", "", "d", "s"}, "id:"},
	{EF_REF_MILESTONES, {"IR-CD4-180", "CD45", ">=", "200", "150", "210", "", "d", "s"}, "test: unknown test"},
	{EF_REF_MILESTONES, {"IR-CD4-180", "CD4", "=>", "200", "150", "210", "", "d", "s"}, "comparator:"},
	{EF_REF_MILESTONES, {"IR-CD4-180", "CD4", ">=", "two hundred", "150", "210", "", "d", "s"}, "threshold:"},
	{EF_REF_MILESTONES, {"IR-CD4-180", "CD4", ">=", "200", "-150", "210", "", "d", "s"}, "window_start_day:"},
	{EF_REF_MILESTONES, {"IR-CD4-180", "CD4", ">=", "200", "210", "150", "", "d", "s"}, "window_end_day:"},
	{EF_REF_MILESTONES, {"IR-CD4-180", "CD4", ">=", "200", "150", "210", "", "", "s"}, "description:"},
	{EF_REF_MONITORING, {"ANC", "x", "100", "7", "", "s"}, "from_day:"},
	{EF_REF_MONITORING, {"ANC", "100", "10", "7", "", "s"}, "to_day: is before from_day"},
	{EF_REF_MONITORING, {"ANC", "0", "100", "0", "", "s"}, "max_interval_days:"},
	{EF_REF_MONITORING, {"CMV", "0", "100", "7", "", "s"}, "test: unknown test"},
	{EF_REF_CVX, {"MMR", "MMR", "1", ""}, "cvx:"},
	{EF_REF_CVX, {"03", "MEASLES", "1", ""}, "series: unknown series"},
	{EF_REF_CVX, {"03", "MMR", "2", ""}, "live:"},
	/* screening: item, name, first_due_months, interval_months, applies_to, min_age_years, source */
	{EF_REF_SCREENING, {"dental", "dental", "12", "12", "all", "", "s"}, "item: 'dental' must be"},
	{EF_REF_SCREENING, {"DENTAL", "", "12", "12", "all", "", "s"}, "name: DENTAL needs a name"},
	{EF_REF_SCREENING, {"DENTAL", "dental", "0", "12", "all", "", "s"}, "first_due_months:"},
	{EF_REF_SCREENING, {"DENTAL", "dental", "12", "0", "all", "", "s"}, "interval_months:"},
	{EF_REF_SCREENING, {"DENTAL", "dental", "12", "12", "everyone", "", "s"}, "applies_to: 'everyone'"},
	{EF_REF_SCREENING, {"DENTAL", "dental", "12", "12", "", "", "s"}, "applies_to:"},
	{EF_REF_SCREENING, {"DENTAL", "dental", "12", "12", "all", "adult", "s"}, "min_age_years:"},
	{EF_REF_SCREENING, {"DENTAL", "dental", "12", "12", "all", "", ""}, "source: DENTAL needs a source"},
	/* registry_forms: item, track, transplant_types, time_point, offset_days, offset_months, repeat_months, source */
	{EF_REF_REGISTRY_FORMS, {"CIBMTR", "full", "", "D100", "100", "", "", "s"}, "track: must be crf or ted"},
	{EF_REF_REGISTRY_FORMS, {"CIBMTR", "crf", "", "D100", "100", "3", "", "s"}, "offset_days: CIBMTR D100 needs exactly one"},
	{EF_REF_REGISTRY_FORMS, {"CIBMTR", "crf", "", "D100", "", "", "", "s"}, "needs exactly one"},
	{EF_REF_REGISTRY_FORMS, {"CIBMTR", "crf", "", "D90", "100", "", "", "s"}, "time_point: 'D90' does not name its offset (D100)"},
	{EF_REF_REGISTRY_FORMS, {"CIBMTR", "crf", "", "M12", "", "12", "", "s"}, "time_point: 'M12' does not name its offset (Y1)"},
	{EF_REF_REGISTRY_FORMS, {"CIBMTR", "crf", "", "D100", "100", "", "12", "s"}, "repeat_months: CIBMTR D100 repeats"},
	{EF_REF_REGISTRY_FORMS, {"CIBMTR", "crf", "", "Y1", "", "12", "", ""}, "source: CIBMTR Y1 needs a source"},
	/* lab_tests: test, plausible_min, plausible_max, ref_low, ref_high, critical_low, critical_high, source */
	{EF_REF_LAB_TESTS, {"CMV", "0", "10", "1", "2", "", "", "s"}, "test: unknown test 'CMV'"},
	{EF_REF_LAB_TESTS, {"HGB", "0", "30", "17.5", "12", "", "", "s"},
	 "ref_low: HGB 17.5 is above ref_high 12 (g/dL)"},
	{EF_REF_LAB_TESTS, {"PLT", "0", "5000", "150", "400", "200", "", "s"},
	 "critical_low: PLT 200 is above ref_low 150 (10*9/L)"},
	{EF_REF_LAB_TESTS, {"PLT", "0", "5000", "150", "400", "", "300", "s"},
	 "ref_high: PLT 400 is above critical_high 300 (10*9/L)"},
	{EF_REF_LAB_TESTS, {"ALC", "0", "3", "1", "4.8", "", "", "s"}, "ref_high: ALC 4.8 is above plausible_max 3"},
	{EF_REF_LAB_TESTS, {"ALC", "2", "1000", "1", "4.8", "", "", "s"}, "plausible_min: ALC 2 is above ref_low 1"},
	{EF_REF_LAB_TESTS, {"ALC", "5", "5", "", "", "", "", "s"}, "plausible_max: ALC must be above plausible_min"},
	{EF_REF_LAB_TESTS, {"ANC", "0", "1000", "1.8", "7.7", "-0.5", "", "s"},
	 "critical_low: ANC must be a plain decimal >= 0 in 10*9/L or empty, not '-0.5'"},
	{EF_REF_LAB_TESTS, {"ANC", "0", "1e3", "", "", "", "", "s"}, "plausible_max: ANC must be a plain decimal"},
	{EF_REF_LAB_TESTS, {"ANC", "0", "1000", "1,8", "", "", "", "s"}, "ref_low: ANC must be a plain decimal"},
	{EF_REF_LAB_TESTS, {"ANC", "0", "1000", "1.8", "7.7", "0.5", "", ""}, "source: ANC needs a source"},
};

START_TEST(bad_row_rejected)
{
	struct ef_reference ref;
	struct ef_err err = {""};
	ef_reference_init(&ref);
	int rc = ef_reference_add_row(&ref, bad_rows[_i].kind, bad_rows[_i].v, &err);
	ck_assert_int_eq(rc, EF_INVALID);
	ck_assert_msg(strstr(err.msg, bad_rows[_i].want) != NULL, "row %d: '%s' lacks '%s'", _i, err.msg,
		      bad_rows[_i].want);
	ef_reference_free(&ref);
}
END_TEST

/* Whole-file problems found by loading edited copies of the assets. */
static const struct {
	struct ref_override ov;
	const char *want;
} bad_sets[] = {
	{{"parameters.csv", "key", "igg_low", NULL, NULL, "key", "anc_threshold"}, "given twice"},
	{{"vaccine_schedule.csv", "series", "PCV", "dose", "2", "dose", "5"}, "PCV dose 2 missing"},
	{{"vaccine_schedule.csv", "series", "FLU", "dose", "1", "repeat", "1"}, "repeat is allowed only on its last"},
	{{"vaccine_schedule.csv", "transplant_types", "allogeneic;syngeneic", "series", "RZV", "transplant_types",
	  "allogeneic"},
	 "RZV dose 1 missing for syngeneic"},
	{{"vaccine_schedule.csv", "series", "RZV", "dose", "1", "transplant_types", ""}, "given twice"},
	{{"vaccine_schedule.csv", "series", "PPSV23", NULL, NULL, "after_series", "MENB"}, "MENB, which has no rows"},
	{{"monitoring.csv", "test", "ANC", "from_day", "101", "from_day", "90"}, "ANC rows from day 0 and 90 overlap"},
	{{"milestones.csv", "id", "IR-CD4-365", NULL, NULL, "id", "IR-CD4-180"}, "given twice"},
	{{"cvx.csv", "cvx", "141", NULL, NULL, "cvx", "140"}, "140 -> FLU given twice"},
	/* the live flags, which the live-vaccine gate depends on, agree */
	{{"vaccine_schedule.csv", "series", "MMR", "dose", "2", "live", "0"},
	 "MMR dose 2 has live 0 but dose 1 has live 1: a series is live or not"},
	{{"vaccine_schedule.csv", "series", "PCV", "dose", "3", "live", "1"}, "PCV dose 3 has live 1 but dose 1 has live 0"},
	{{"cvx.csv", "cvx", "03", NULL, NULL, "live", "0"}, "cvx: 03 counts toward MMR, a live series, so it must be live"},
	{{"cvx.csv", "cvx", "94", "series", "VAR", "live", "0"}, "cvx: 94 counts toward VAR, a live series"},
	{{"lab_tests.csv", "test", "ALC", NULL, NULL, "test", "ANC"}, "lab_tests.csv:3: test: ANC given twice"},
	{{"screening.csv", "item", "SKIN", NULL, NULL, "item", "DENTAL"}, "item: 'DENTAL' given twice"},
	{{"screening.csv", "item", "SKIN", NULL, NULL, "item", "CIBMTR"}, "item: 'CIBMTR' is already a screening item"},
	{{"registry_forms.csv", "time_point", "Y3", "track", "crf", "time_point", "Y2"}, "does not name its offset"},
	{{"registry_forms.csv", "time_point", "Y3", "track", "crf", "offset_months", "18"}, "does not name its offset"},
	{{"registry_forms.csv", "time_point", "Y2", "track", "crf", "repeat_months", "12"},
	 "CIBMTR: only the last time point of a track may repeat"},
	{{"parameters.csv", "key", "registry_track", NULL, NULL, "value", "full"}, "registry_track must be crf or ted"},
	{{"registry_forms.csv", "track", "ted", NULL, NULL, "track", "crf"}, "given twice for the same track"},
	{{"parameters.csv", "key", "followup_grace_days", NULL, NULL, "value", "-1"}, "followup_grace_days must be"},
};

START_TEST(bad_set_rejected)
{
	struct ef_reference ref;
	struct ef_err err = {""};
	int rc = test_reference_load(&ref, &bad_sets[_i].ov, 1, &err);
	ck_assert_int_eq(rc, EF_INVALID);
	ck_assert_msg(strstr(err.msg, bad_sets[_i].want) != NULL, "set %d: '%s' lacks '%s'", _i, err.msg,
		      bad_sets[_i].want);
	ef_reference_free(&ref);
}
END_TEST

START_TEST(missing_parameter)
{
	struct ef_reference ref;
	struct ef_err err;
	ef_reference_init(&ref);
	const char *row[] = {"anc_threshold", "0.5", "10*9/L", "[R1]"};
	ck_assert_int_eq(ef_reference_add_row(&ref, EF_REF_PARAMETERS, row, &err), EF_OK);
	ck_assert_int_eq(ef_reference_finish(&ref, &err), EF_INVALID);
	ck_assert_str_eq(err.msg, "parameters: missing key 'anc_run_length'");
	ef_reference_free(&ref);
}
END_TEST

START_TEST(error_names_file_and_line)
{
	struct ef_reference ref;
	struct ef_err err;
	struct ref_override ov = {"parameters.csv", "key", "anc_threshold", NULL, NULL, "value", "half"};
	ck_assert_int_eq(test_reference_load(&ref, &ov, 1, &err), EF_INVALID);
	ck_assert_str_eq(err.msg, "parameters.csv:2: value: anc_threshold must be a number > 0, not 'half'");
	ef_reference_free(&ref);
}
END_TEST

START_TEST(month_rule_alternative)
{
	struct ef_reference ref;
	struct ef_err err;
	struct ref_override ov = {"parameters.csv", "key", "month_rule", NULL, NULL, "value", "next_first"};
	ck_assert_int_eq(test_reference_load(&ref, &ov, 1, &err), EF_OK);
	ck_assert_int_eq(ref.month_rule, EF_MONTHS_NEXT_FIRST);
	ef_reference_free(&ref);
}
END_TEST

START_TEST(kinds_and_columns)
{
	enum ef_ref_kind k;
	ck_assert_int_eq(ef_reference_kind_parse("vaccine_schedule.csv", &k), 0);
	ck_assert_int_eq(k, EF_REF_VACCINE_SCHEDULE);
	ck_assert_int_eq(ef_reference_kind_parse("milestones", &k), 0);
	ck_assert_int_eq(k, EF_REF_MILESTONES);
	ck_assert_int_eq(ef_reference_kind_parse("labs", &k), -1);
	const struct ef_ref_kind_info *info = ef_reference_kind(EF_REF_MONITORING);
	ck_assert_str_eq(info->file, "monitoring.csv");
	ck_assert_uint_eq(info->ncolumns, 6);
	ck_assert_str_eq(info->columns[2].name, "to_day");
	ck_assert_int_eq(info->columns[2].required, 0);
	ck_assert_ptr_null(ef_reference_kind(EF_REF_KIND_COUNT));
	for (int p = 0; p < EF_P_COUNT; p++) {
		ck_assert(ef_param_key((enum ef_param)p)[0] != '\0');
		ck_assert(ef_param_unit((enum ef_param)p)[0] != '\0');
	}
}
END_TEST

/* CVX and series codes -> series (combination vaccines count for each). */
START_TEST(vaccine_series_lookup)
{
	struct ef_reference ref;
	const char *s[4];
	int live[4];
	test_reference(&ref);
	ck_assert_uint_eq(ef_reference_vaccine_series(&ref, "110", s, live, 4), 3);
	ck_assert_str_eq(s[0], "TDAP");
	ck_assert_str_eq(s[1], "HEPB");
	ck_assert_str_eq(s[2], "IPV");
	ck_assert_uint_eq(ef_reference_vaccine_series(&ref, "03", s, live, 4), 1);
	ck_assert_str_eq(s[0], "MMR");
	ck_assert_int_eq(live[0], 1);
	ck_assert_uint_eq(ef_reference_vaccine_series(&ref, "3", s, live, 4), 1);
	ck_assert_uint_eq(ef_reference_vaccine_series(&ref, "8", s, live, 4), 1);
	ck_assert_str_eq(s[0], "HEPB");
	ck_assert_uint_eq(ef_reference_vaccine_series(&ref, "PCV", s, live, 4), 1);
	ck_assert_str_eq(s[0], "PCV");
	ck_assert_int_eq(live[0], 0);
	ck_assert_uint_eq(ef_reference_vaccine_series(&ref, "VAR", s, live, 4), 1);
	ck_assert_int_eq(live[0], 1);
	ck_assert_uint_eq(ef_reference_vaccine_series(&ref, "111", s, live, 4), 1);
	ck_assert_str_eq(s[0], "FLU");
	ck_assert_int_eq(live[0], 1);
	ck_assert_uint_eq(ef_reference_vaccine_series(&ref, "999", s, live, 4), 0);
	ck_assert_uint_eq(ef_reference_vaccine_series(&ref, "94", s, live, 1), 1);
	ef_reference_free(&ref);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("reference");
	TCase *tc = tcase_create("reference");
	tcase_add_test(tc, shipped_assets_load);
	tcase_add_loop_test(tc, bad_row_rejected, 0, sizeof bad_rows / sizeof bad_rows[0]);
	tcase_add_loop_test(tc, bad_set_rejected, 0, sizeof bad_sets / sizeof bad_sets[0]);
	tcase_add_test(tc, missing_parameter);
	tcase_add_test(tc, lab_tests_need_one_row);
	tcase_add_test(tc, registry_track_needs_rows);
	tcase_add_test(tc, error_names_file_and_line);
	tcase_add_test(tc, month_rule_alternative);
	tcase_add_test(tc, kinds_and_columns);
	tcase_add_test(tc, vaccine_series_lookup);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
