/* Rules -> findings: docs/clinical-rules.md s.18 cases 5-7, 31, 32 and
 * every rule of docs/clinical-rules.md s.14.1, with subjects, severities, due dates
 * and messages; plus a proof that editing a reference row changes them. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engraft/rules.h"
#include "helpers.h"

static const int SEVERE_LUNG[8] = {0, 0, 0, 0, 0, 2, 0, 0};
static const int MILD[8] = {1, 0, 0, 0, 0, 0, 0, 0};

static ef_day DAY0;

static void points(struct ef_timeline *tl, enum ef_test t, const char *spec)
{
	char buf[512];
	snprintf(buf, sizeof buf, "%s", spec);
	for (char *tok = strtok(buf, " "); tok; tok = strtok(NULL, " ")) {
		char *colon = strchr(tok, ':');
		*colon = '\0';
		tl_lab(tl, DAY0 + atoi(tok), t, colon + 1);
	}
}

static void base(struct ef_timeline *tl, enum ef_graft graft)
{
	DAY0 = D("2025-01-15");
	tl_patient(tl, "1980-05-05");
	tl_transplant(tl, "2025-01-15", EF_HCT_ALLOGENEIC, graft);
}

/* ---- timelines ---------------------------------------------------------- */

static void case5(struct ef_timeline *tl)
{
	base(tl, EF_GRAFT_PERIPHERAL_BLOOD);
	points(tl, EF_T_ANC, "2:0.1 7:0.05 14:0.1 21:0.2 25:0.3 28:0.3");
}

static void case5_cord(struct ef_timeline *tl)
{
	base(tl, EF_GRAFT_CORD_BLOOD);
	points(tl, EF_T_ANC, "2:0.1 7:0.05 14:0.1 21:0.2 25:0.3 28:0.3");
}

static void case6(struct ef_timeline *tl)
{
	base(tl, EF_GRAFT_PERIPHERAL_BLOOD);
	points(tl, EF_T_ANC, "24:0.2 27:0.6 28:0.7");
}

static void case6_breaks(struct ef_timeline *tl)
{
	case6(tl);
	points(tl, EF_T_ANC, "29:0.3");
}

static void case6_completes(struct ef_timeline *tl)
{
	case6(tl);
	points(tl, EF_T_ANC, "29:0.9");
}

static void case7(struct ef_timeline *tl)
{
	base(tl, EF_GRAFT_PERIPHERAL_BLOOD);
	points(tl, EF_T_ANC, "5:0.1 14:0.6 15:0.7 16:0.8 60:0.4 61:0.3 62:0.2");
}

static void plt_delayed(struct ef_timeline *tl)
{
	base(tl, EF_GRAFT_PERIPHERAL_BLOOD);
	points(tl, EF_T_PLT, "5:10 30:15 55:18");
	tl_transfusion(tl, DAY0 + 5, EF_PROD_PLATELETS);
}

/* case 31 */
static void case31_confounded(struct ef_timeline *tl)
{
	base(tl, EF_GRAFT_PERIPHERAL_BLOOD);
	tl_ivig(tl, D("2025-04-20"));
	tl_lab(tl, D("2025-05-01"), EF_T_IGG, "350");
}

static void case31_later(struct ef_timeline *tl)
{
	case31_confounded(tl);
	tl_lab(tl, D("2025-06-15"), EF_T_IGG, "350");
}

static void igg_30_days(struct ef_timeline *tl)
{
	base(tl, EF_GRAFT_PERIPHERAL_BLOOD);
	tl_ivig(tl, D("2025-04-01"));
	tl_lab(tl, D("2025-05-01"), EF_T_IGG, "350");
}

static void igg_31_days(struct ef_timeline *tl)
{
	base(tl, EF_GRAFT_PERIPHERAL_BLOOD);
	tl_ivig(tl, D("2025-03-31"));
	tl_lab(tl, D("2025-05-01"), EF_T_IGG, "350");
}

static void igg_ok(struct ef_timeline *tl)
{
	base(tl, EF_GRAFT_PERIPHERAL_BLOOD);
	tl_lab(tl, D("2025-05-01"), EF_T_IGG, "350");
	tl_lab(tl, D("2025-06-01"), EF_T_IGG, "450");
}

static void igg_qualified(struct ef_timeline *tl)
{
	base(tl, EF_GRAFT_PERIPHERAL_BLOOD);
	tl_lab(tl, D("2025-05-01"), EF_T_IGG, "<300");
}

static void igg_before_day0(struct ef_timeline *tl)
{
	base(tl, EF_GRAFT_PERIPHERAL_BLOOD);
	tl_lab(tl, D("2025-01-01"), EF_T_IGG, "300");
}

/* case 32: CD4 150 on D+190, no later value */
static void case32(struct ef_timeline *tl)
{
	base(tl, EF_GRAFT_PERIPHERAL_BLOOD);
	points(tl, EF_T_CD4, "100:80 190:150");
}

static void case32_recovers(struct ef_timeline *tl)
{
	case32(tl);
	points(tl, EF_T_CD4, "205:250");
}

static void cd4_none(struct ef_timeline *tl)
{
	base(tl, EF_GRAFT_PERIPHERAL_BLOOD);
	points(tl, EF_T_CD4, "100:80");
}

static void anc_weekly(struct ef_timeline *tl)
{
	base(tl, EF_GRAFT_PERIPHERAL_BLOOD);
	points(tl, EF_T_ANC, "3:0.1 10:0.2");
}

static void mmr_too_early(struct ef_timeline *tl)
{
	base(tl, EF_GRAFT_PERIPHERAL_BLOOD);
	tl_dose(tl, D("2025-03-01"), "MMR", 1);
	tl_dose(tl, D("2024-12-01"), "MMR", 1); /* before day 0: not this transplant's */
}

/* An administered MMR given with an override (schema 006): still a finding,
 * and its message says why it was given. */
static void mmr_override(struct ef_timeline *tl)
{
	mmr_too_early(tl);
	snprintf(tl->doses[0].override_reason, sizeof tl->doses[0].override_reason, "measles exposure");
}

static void mmr_ok(struct ef_timeline *tl)
{
	base(tl, EF_GRAFT_PERIPHERAL_BLOOD);
	tl_dose(tl, D("2027-02-01"), "MMR", 1);
}

static void mmr_second_bad(struct ef_timeline *tl)
{
	mmr_ok(tl);
	tl_ivig(tl, D("2027-02-10"));
	tl_dose(tl, D("2027-03-05"), "MMR", 1);
}

static void laiv(struct ef_timeline *tl) /* CVX 111 (live) counted as FLU */
{
	base(tl, EF_GRAFT_PERIPHERAL_BLOOD);
	tl_dose(tl, D("2025-08-01"), "FLU", 1);
}

static void gvhd_acute_severe(struct ef_timeline *tl)
{
	base(tl, EF_GRAFT_PERIPHERAL_BLOOD);
	tl_acute(tl, D("2025-02-10"), 1, 2, 0, 0);
}

static void gvhd_acute_better(struct ef_timeline *tl)
{
	gvhd_acute_severe(tl);
	tl_acute(tl, D("2025-02-20"), 1, 0, 0, 0);
}

static void gvhd_both_same_day(struct ef_timeline *tl)
{
	base(tl, EF_GRAFT_PERIPHERAL_BLOOD);
	tl_acute(tl, D("2025-06-01"), 0, 0, 0, 4);
	tl_chronic(tl, D("2025-06-01"), SEVERE_LUNG);
}

static void gvhd_chronic_severe(struct ef_timeline *tl)
{
	base(tl, EF_GRAFT_PERIPHERAL_BLOOD);
	tl_acute(tl, D("2025-02-01"), 0, 3, 0, 0);
	tl_chronic(tl, D("2025-07-01"), MILD);
	tl_chronic(tl, D("2025-09-01"), SEVERE_LUNG);
}

static void no_transplant(struct ef_timeline *tl)
{
	DAY0 = D("2025-01-15");
	tl_patient(tl, "1980-05-05");
	tl_acute(tl, D("2025-02-10"), 4, 0, 0, 0);
	points(tl, EF_T_IGG, "30:100");
}

/* two transplants: the first failed; the current one is pending */
static void two_transplants(struct ef_timeline *tl)
{
	case5(tl);
	tl_transplant(tl, "2025-03-01", EF_HCT_ALLOGENEIC, EF_GRAFT_CORD_BLOOD);
	tl_lab(tl, D("2025-03-05"), EF_T_ANC, "0.1");
}

/* ---- the table ------------------------------------------------------------ */

static const struct rcase {
	const char *name;
	void (*setup)(struct ef_timeline *);
	int as_of;              /* day after 2025-01-15 */
	const char *rule;
	const char *subject;
	int present;
	const char *severity;   /* checked when present */
	const char *due_on;     /* checked when present */
	const char *message;    /* exact when present and not NULL */
} cases[] = {
	{"c5 PBSC D+29", case5, 29, "NEUTROPHIL_ENGRAFTMENT_MISSED", "2025-01-15", 1, "critical", "2025-02-12",
	 "no ANC >= 0.5 x10^9/L by day +28 (2025-02-12)"},
	{"c5 PBSC D+28", case5, 28, "NEUTROPHIL_ENGRAFTMENT_MISSED", "2025-01-15", 0, NULL, NULL, NULL},
	{"c5 UCB D+29", case5_cord, 29, "NEUTROPHIL_ENGRAFTMENT_MISSED", "2025-01-15", 0, NULL, NULL, NULL},
	{"c5 UCB D+43", case5_cord, 43, "NEUTROPHIL_ENGRAFTMENT_MISSED", "2025-01-15", 1, "critical", "2025-02-26",
	 "no ANC >= 0.5 x10^9/L by day +42 (2025-02-26)"},
	{"c6 pending", case6, 28, "NEUTROPHIL_ENGRAFTMENT_MISSED", "2025-01-15", 0, NULL, NULL, NULL},
	{"c6 completes", case6_completes, 29, "NEUTROPHIL_ENGRAFTMENT_MISSED", "2025-01-15", 0, NULL, NULL, NULL},
	{"c6 breaks", case6_breaks, 29, "NEUTROPHIL_ENGRAFTMENT_MISSED", "2025-01-15", 1, "critical", "2025-02-12",
	 NULL},
	{"c7", case7, 62, "SECONDARY_GRAFT_FAILURE", "2025-01-15", 1, "critical", "2025-03-16",
	 "3 consecutive ANC < 0.5 x10^9/L after engraftment from day +60 (2025-03-16): possible secondary graft "
	 "failure, review"},
	{"c7 D+61", case7, 61, "SECONDARY_GRAFT_FAILURE", "2025-01-15", 0, NULL, NULL, NULL},
	{"platelets D+61", plt_delayed, 61, "PLATELET_ENGRAFTMENT_DELAYED", "2025-01-15", 1, "warning", "2025-03-16",
	 "no platelet engraftment (PLT >= 20 x10^9/L) by day +60 (2025-03-16)"},
	{"platelets D+60", plt_delayed, 60, "PLATELET_ENGRAFTMENT_DELAYED", "2025-01-15", 0, NULL, NULL, NULL},
	/* case 31 (as_of 2025-07-01 = day 167) */
	{"c31 confounded", case31_confounded, 167, "IGG_LOW", "IGG", 0, NULL, NULL, NULL},
	{"c31 later draw", case31_later, 167, "IGG_LOW", "IGG", 1, "warning", "2025-06-15",
	 "IgG 350 mg/dL on 2025-06-15 < 400"},
	{"IgG 30 days after IVIG", igg_30_days, 167, "IGG_LOW", "IGG", 0, NULL, NULL, NULL},
	{"IgG 31 days after IVIG", igg_31_days, 167, "IGG_LOW", "IGG", 1, "warning", "2025-05-01", NULL},
	{"latest IgG fine", igg_ok, 167, "IGG_LOW", "IGG", 0, NULL, NULL, NULL},
	{"IgG <300", igg_qualified, 167, "IGG_LOW", "IGG", 1, "warning", "2025-05-01",
	 "IgG <300 mg/dL on 2025-05-01 < 400"},
	{"IgG before day 0", igg_before_day0, 167, "IGG_LOW", "IGG", 0, NULL, NULL, NULL},
	/* case 32 */
	{"c32 IR-CD4-180", case32, 200, "IMMUNE_MILESTONE_MISSED", "IR-CD4-180", 1, "warning", "2025-07-24",
	 "CD4 150 cells/uL on day +190 (2025-07-24); expected >= 200 in day +150..+210"},
	{"c32 IR-CD4-365 pending", case32, 200, "IMMUNE_MILESTONE_MISSED", "IR-CD4-365", 0, NULL, NULL, NULL},
	{"c32 later value meets it", case32_recovers, 206, "IMMUNE_MILESTONE_MISSED", "IR-CD4-180", 0, NULL, NULL,
	 NULL},
	{"c32 still raised later", case32, 300, "IMMUNE_MILESTONE_MISSED", "IR-CD4-180", 1, "warning", "2025-07-24",
	 NULL},
	{"c32 IR-CD4-365 no result", case32, 396, "IMMUNE_MILESTONE_MISSED", "IR-CD4-365", 1, "warning", "2026-02-14",
	 "no CD4 result in day +335..+395 (2025-12-16..2026-02-14); CD4 >= 200 cells/uL around day +365"},
	{"IR-CD4-180 window open", cd4_none, 210, "IMMUNE_MILESTONE_MISSED", "IR-CD4-180", 0, NULL, NULL, NULL},
	{"IR-CD4-180 window closed", cd4_none, 211, "IMMUNE_MILESTONE_MISSED", "IR-CD4-180", 1, "warning",
	 "2025-08-13", NULL},
	/* lab monitoring: ANC every 7 days to day +100 */
	{"ANC on time", anc_weekly, 17, "LAB_MONITORING_OVERDUE", "ANC", 0, NULL, NULL, NULL},
	{"ANC overdue", anc_weekly, 18, "LAB_MONITORING_OVERDUE", "ANC", 1, "warning", "2025-02-01",
	 "ANC due 2025-02-01: last result 2025-01-25 (every 7 days, day +0..+100)"},
	{"PLT never drawn", anc_weekly, 8, "LAB_MONITORING_OVERDUE", "PLT", 1, "warning", "2025-01-22",
	 "PLT due 2025-01-22: no result since day 0 (every 7 days, day +0..+100)"},
	{"CD4 not yet due", anc_weekly, 185, "LAB_MONITORING_OVERDUE", "CD4", 0, NULL, NULL, NULL},
	{"CD4 due by 185", anc_weekly, 186, "LAB_MONITORING_OVERDUE", "CD4", 1, "warning", "2025-07-19", NULL},
	/* vaccines (PCV dose 1 due 2025-04-15 = day 90) */
	{"PCV due", anc_weekly, 90, "VACCINE_DUE", "PCV:1", 1, "info", "2025-04-15",
	 "PCV dose 1 due since 2025-04-15 (3 months after transplant)"},
	{"PCV not yet", anc_weekly, 89, "VACCINE_DUE", "PCV:1", 0, NULL, NULL, NULL},
	{"PCV overdue", anc_weekly, 119, "VACCINE_OVERDUE", "PCV:1", 1, "warning", "2025-04-15",
	 "PCV dose 1 overdue: due since 2025-04-15 (3 months after transplant)"},
	{"PCV overdue is not due", anc_weekly, 119, "VACCINE_DUE", "PCV:1", 0, NULL, NULL, NULL},
	{"blocked MMR is no finding", anc_weekly, 119, "VACCINE_DUE", "MMR:1", 0, NULL, NULL, NULL},
	/* live vaccines */
	{"MMR too early", mmr_too_early, 60, "LIVE_VACCINE_CONTRAINDICATED", "MMR:1", 1, "critical", "2025-03-01",
	 "MMR dose 1 (live) given 2025-03-01 while live vaccines were contraindicated: transplant 2025-01-15 < 24 "
	 "months"},
	{"MMR with override", mmr_override, 60, "LIVE_VACCINE_CONTRAINDICATED", "MMR:1", 1, "critical", "2025-03-01",
	 "MMR dose 1 (live) given 2025-03-01 while live vaccines were contraindicated: transplant 2025-01-15 < 24 "
	 "months (given with override: measles exposure)"},
	{"MMR in time", mmr_ok, 800, "LIVE_VACCINE_CONTRAINDICATED", "MMR:1", 0, NULL, NULL, NULL},
	{"MMR 2 after IVIG", mmr_second_bad, 800, "LIVE_VACCINE_CONTRAINDICATED", "MMR:2", 1, "critical", "2027-03-05",
	 NULL},
	{"MMR 1 still fine", mmr_second_bad, 800, "LIVE_VACCINE_CONTRAINDICATED", "MMR:1", 0, NULL, NULL, NULL},
	{"live influenza", laiv, 300, "LIVE_VACCINE_CONTRAINDICATED", "FLU:1", 1, "critical", "2025-08-01", NULL},
	/* GVHD */
	{"acute III", gvhd_acute_severe, 30, "GVHD_SEVERE", "2025-02-10", 1, "critical", "2025-02-10",
	 "acute GVHD grade III on 2025-02-10"},
	{"acute III then I", gvhd_acute_better, 40, "GVHD_SEVERE", "2025-02-10", 0, NULL, NULL, NULL},
	{"acute III, as of before I", gvhd_acute_better, 35, "GVHD_SEVERE", "2025-02-10", 1, "critical", NULL, NULL},
	{"both on one day", gvhd_both_same_day, 200, "GVHD_SEVERE", "2025-06-01", 1, "critical", "2025-06-01",
	 "acute GVHD grade IV and chronic GVHD severe on 2025-06-01"},
	{"chronic severe", gvhd_chronic_severe, 300, "GVHD_SEVERE", "2025-09-01", 1, "critical", "2025-09-01",
	 "chronic GVHD severe on 2025-09-01"},
	{"acute III stays the latest acute", gvhd_chronic_severe, 300, "GVHD_SEVERE", "2025-02-01", 1, "critical",
	 "2025-02-01", "acute GVHD grade III on 2025-02-01"},
	{"no transplant: GVHD", no_transplant, 30, "GVHD_SEVERE", "2025-02-10", 1, "critical", NULL, NULL},
	{"no transplant: no IgG rule", no_transplant, 30, "IGG_LOW", "IGG", 0, NULL, NULL, NULL},
	/* two transplants: the first one's failure is not the current one's */
	{"2nd HCT subject", two_transplants, 60, "NEUTROPHIL_ENGRAFTMENT_MISSED", "2025-01-15", 0, NULL, NULL, NULL},
	{"2nd HCT pending", two_transplants, 60, "NEUTROPHIL_ENGRAFTMENT_MISSED", "2025-03-01", 0, NULL, NULL, NULL},
	{"2nd HCT missed", two_transplants, 88, "NEUTROPHIL_ENGRAFTMENT_MISSED", "2025-03-01", 1, "critical",
	 "2025-04-12", "no ANC >= 0.5 x10^9/L by day +42 (2025-04-12)"},
};

static const struct ef_finding *find(const struct ef_findings *f, const char *rule, const char *subject)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(ef_rule_id(f->v[i].rule), rule) == 0 && strcmp(f->v[i].subject, subject) == 0)
			return &f->v[i];
	return NULL;
}

static void evaluate(const struct ef_reference *ref, void (*setup)(struct ef_timeline *), int as_of,
		     struct ef_findings *f)
{
	struct ef_timeline tl;
	struct ef_err err;
	ef_timeline_init(&tl);
	setup(&tl);
	ck_assert_int_eq(ef_rules_evaluate(&tl, ref, DAY0 + as_of, f, &err), EF_OK);
	ef_timeline_free(&tl);
}

/* A CAR-T patient whose counts stay low for 90 days and who has no CD4
 * result: no engraftment finding and no immune milestone (none is defined
 * after a cellular therapy: milestones.csv names the HCT types); the same
 * record after an autologous HCT raises both (docs/clinical-rules.md s.20). */
static void low_counts(struct ef_timeline *tl, enum ef_hct_type type)
{
	tl_patient(tl, "1970-05-05");
	tl_transplant(tl, "2025-01-15", type, EF_GRAFT_PERIPHERAL_BLOOD);
	for (int d = 2; d <= 380; d += 7) {
		tl_lab(tl, DAY0 + d, EF_T_ANC, "0.2");
		tl_lab(tl, DAY0 + d, EF_T_PLT, "9");
	}
}

START_TEST(cellular_therapy_has_no_engraftment_or_milestone_findings)
{
	static const char *const rules[] = {"NEUTROPHIL_ENGRAFTMENT_MISSED", "PLATELET_ENGRAFTMENT_DELAYED",
					    "IMMUNE_MILESTONE_MISSED"};
	static const enum ef_hct_type types[] = {EF_HCT_AUTOLOGOUS, EF_HCT_CELLULAR_THERAPY};
	struct ef_reference ref;
	struct ef_err err;
	DAY0 = D("2025-01-15");
	test_reference(&ref);
	for (size_t k = 0; k < 2; k++) {
		struct ef_timeline tl;
		struct ef_findings f;
		ef_timeline_init(&tl);
		ef_findings_init(&f);
		low_counts(&tl, types[k]);
		ck_assert_int_eq(ef_rules_evaluate(&tl, &ref, DAY0 + 400, &f, &err), EF_OK);
		for (size_t r = 0; r < 3; r++) {
			int n = 0;
			for (size_t i = 0; i < f.n; i++)
				n += strcmp(ef_rule_id(f.v[i].rule), rules[r]) == 0;
			if (types[k] == EF_HCT_CELLULAR_THERAPY)
				ck_assert_msg(n == 0, "CAR-T: %s raised %d times", rules[r], n);
			else
				ck_assert_msg(n > 0, "autologous: %s not raised", rules[r]);
		}
		ef_findings_free(&f);
		ef_timeline_free(&tl);
	}
	ef_reference_free(&ref);
}
END_TEST

START_TEST(rule_table)
{
	const struct rcase *c = &cases[_i];
	struct ef_reference ref;
	struct ef_findings f;
	test_reference(&ref);
	ef_findings_init(&f);
	evaluate(&ref, c->setup, c->as_of, &f);
	const struct ef_finding *x = find(&f, c->rule, c->subject);
	if (!c->present) {
		ck_assert_msg(x == NULL, "%s: unexpected %s %s: %s", c->name, c->rule, c->subject, x ? x->message : "");
	} else {
		char d[11];
		ck_assert_msg(x != NULL, "%s: no %s %s", c->name, c->rule, c->subject);
		ck_assert_str_eq(ef_severity_str(x->severity), c->severity);
		ef_date_format(x->due_on, d);
		if (c->due_on)
			ck_assert_msg(strcmp(d, c->due_on) == 0, "%s: due %s, want %s", c->name, d, c->due_on);
		if (c->message)
			ck_assert_msg(strcmp(x->message, c->message) == 0, "%s: message '%s', want '%s'", c->name,
				      x->message, c->message);
	}
	/* sorted by rule then subject, never two per (rule, subject) */
	for (size_t i = 1; i < f.n; i++) {
		int order = f.v[i - 1].rule != f.v[i].rule ? (f.v[i - 1].rule < f.v[i].rule ? -1 : 1)
							    : strcmp(f.v[i - 1].subject, f.v[i].subject);
		ck_assert_msg(order < 0, "%s: findings %zu and %zu out of order or duplicate", c->name, i - 1, i);
	}
	ef_findings_free(&f);
	ef_reference_free(&ref);
}
END_TEST

/* Editing one row of the shipped reference changes the findings. */
static const struct {
	const char *name;
	struct ref_override ov;
	void (*setup)(struct ef_timeline *);
	int as_of;
	const char *rule, *subject;
	int before, after; /* present with the shipped / edited reference */
} edits[] = {
	/* case 6 engrafts at 0.5; at 1.0 it never does */
	{"ANC threshold 1.0", {"parameters.csv", "key", "anc_threshold", NULL, NULL, "value", "1.0"}, case6_completes,
	 29, "NEUTROPHIL_ENGRAFTMENT_MISSED", "2025-01-15", 0, 1},
	/* ASTCT day +30 for PBSC */
	{"graft failure day 30", {"parameters.csv", "key", "primary_graft_failure_day_peripheral_blood", NULL, NULL,
				  "value", "30"},
	 case5, 29, "NEUTROPHIL_ENGRAFTMENT_MISSED", "2025-01-15", 1, 0},
	/* PCV from month 6 instead of 3 */
	{"PCV start 6 months", {"vaccine_schedule.csv", "series", "PCV", "dose", "1", "start_months", "6"},
	 anc_weekly, 90, "VACCINE_DUE", "PCV:1", 1, 0},
	/* IgG threshold 300 */
	{"IgG low 300", {"parameters.csv", "key", "igg_low", NULL, NULL, "value", "300"}, case31_later, 167, "IGG_LOW",
	 "IGG", 1, 0},
	/* IR-CD4-180 at 100 cells/uL */
	{"CD4 milestone 100", {"milestones.csv", "id", "IR-CD4-180", NULL, NULL, "threshold", "100"}, case32, 200,
	 "IMMUNE_MILESTONE_MISSED", "IR-CD4-180", 1, 0},
	/* CBC every 14 days */
	{"ANC every 14 days", {"monitoring.csv", "test", "ANC", "from_day", "0", "max_interval_days", "14"},
	 anc_weekly, 18, "LAB_MONITORING_OVERDUE", "ANC", 1, 0},
	/* live gate 1 month after transplant */
	{"live gate 1 month", {"parameters.csv", "key", "live_min_months_after_hct", NULL, NULL, "value", "1"},
	 mmr_too_early, 60, "LIVE_VACCINE_CONTRAINDICATED", "MMR:1", 1, 0},
	/* GVHD_SEVERE from grade IV only */
	{"severe from IV", {"parameters.csv", "key", "gvhd_severe_acute_min_grade", NULL, NULL, "value", "IV"},
	 gvhd_acute_severe, 30, "GVHD_SEVERE", "2025-02-10", 1, 0},
};

START_TEST(edited_row_changes_result)
{
	struct ef_reference ref;
	struct ef_findings f;
	struct ef_err err;
	ef_findings_init(&f);
	test_reference(&ref);
	evaluate(&ref, edits[_i].setup, edits[_i].as_of, &f);
	ck_assert_msg((find(&f, edits[_i].rule, edits[_i].subject) != NULL) == edits[_i].before, "%s: shipped",
		      edits[_i].name);
	ef_reference_free(&ref);
	ck_assert_int_eq(test_reference_load(&ref, &edits[_i].ov, 1, &err), EF_OK);
	evaluate(&ref, edits[_i].setup, edits[_i].as_of, &f);
	ck_assert_msg((find(&f, edits[_i].rule, edits[_i].subject) != NULL) == edits[_i].after, "%s: edited",
		      edits[_i].name);
	ef_reference_free(&ref);
	ef_findings_free(&f);
}
END_TEST

START_TEST(names)
{
	enum ef_rule r;
	enum ef_severity s;
	ck_assert_int_eq(ef_rule_parse("IGG_LOW", &r), 0);
	ck_assert_int_eq(r, EF_RULE_IGG_LOW);
	ck_assert_int_eq(ef_rule_parse("IGG", &r), -1);
	ck_assert_int_eq(ef_rule_severity(EF_RULE_VACCINE_DUE), EF_SEV_INFO);
	ck_assert_int_eq(ef_rule_severity(EF_RULE_LIVE_VACCINE_CONTRAINDICATED), EF_SEV_CRITICAL);
	ck_assert_int_eq(ef_severity_parse("warning", &s), 0);
	ck_assert_int_eq(s, EF_SEV_WARNING);
	for (int i = 0; i < EF_RULE_COUNT; i++) {
		ck_assert_int_eq(ef_rule_parse(ef_rule_id((enum ef_rule)i), &r), 0);
		ck_assert_int_eq(r, i);
	}
}
END_TEST

/* The screens colour GVHD by the same site parameters GVHD_SEVERE uses
 * (they coloured III+ and severe as critical whatever the site said). */
static const struct {
	const char *acute_min, *chronic_min;
	enum ef_agvhd_grade g;
	enum ef_cgvhd_severity sv;
	enum ef_gvhd_class want_acute, want_chronic;
} classes[] = {
	{"III", "severe", EF_AGVHD_0, EF_CGVHD_NONE, EF_GVHD_NONE, EF_GVHD_NONE},
	{"III", "severe", EF_AGVHD_II, EF_CGVHD_MODERATE, EF_GVHD_PRESENT, EF_GVHD_PRESENT},
	{"III", "severe", EF_AGVHD_III, EF_CGVHD_SEVERE, EF_GVHD_SEVERE, EF_GVHD_SEVERE},
	{"II", "moderate", EF_AGVHD_II, EF_CGVHD_MODERATE, EF_GVHD_SEVERE, EF_GVHD_SEVERE},
	{"IV", "severe", EF_AGVHD_III, EF_CGVHD_MILD, EF_GVHD_PRESENT, EF_GVHD_PRESENT},
};

START_TEST(gvhd_class_follows_site_parameters)
{
	struct ref_override ov[] = {
		{"parameters.csv", "key", "gvhd_severe_acute_min_grade", NULL, NULL, "value", classes[_i].acute_min},
		{"parameters.csv", "key", "gvhd_severe_chronic_min_severity", NULL, NULL, "value", classes[_i].chronic_min},
	};
	struct ef_reference ref;
	struct ef_err e = {{0}};
	ck_assert_msg(test_reference_load(&ref, ov, 2, &e) == EF_OK, "%s", e.msg);
	ck_assert_int_eq(ef_agvhd_class(&ref, classes[_i].g), classes[_i].want_acute);
	ck_assert_int_eq(ef_cgvhd_class(&ref, classes[_i].sv), classes[_i].want_chronic);
	ef_reference_free(&ref);
}
END_TEST

/* "Latest" is one thing for the rules and the screens: on or before as_of. */
START_TEST(latest_assessment_on_or_before_as_of)
{
	struct ef_timeline tl;
	ef_timeline_init(&tl);
	tl_patient(&tl, "1970-01-01");
	tl_acute(&tl, D("2025-02-01"), 3, 0, 0, 0);
	tl_acute(&tl, D("2025-01-01"), 1, 0, 0, 0);
	tl_acute(&tl, D("2025-03-01"), 0, 0, 0, 0);
	ck_assert_int_eq(ef_latest_acute(&tl, EF_NO_DAY)->day, D("2025-03-01"));
	ck_assert_int_eq(ef_latest_acute(&tl, D("2025-02-15"))->day, D("2025-02-01"));
	ck_assert_ptr_null(ef_latest_acute(&tl, D("2024-12-31")));
	ck_assert_ptr_null(ef_latest_chronic(&tl, EF_NO_DAY));
	ef_timeline_free(&tl);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("rules");
	TCase *tc = tcase_create("rules");
	tcase_add_loop_test(tc, rule_table, 0, sizeof cases / sizeof cases[0]);
	tcase_add_loop_test(tc, edited_row_changes_result, 0, sizeof edits / sizeof edits[0]);
	tcase_add_test(tc, names);
	tcase_add_test(tc, cellular_therapy_has_no_engraftment_or_milestone_findings);
	tcase_add_loop_test(tc, gvhd_class_follows_site_parameters, 0, sizeof classes / sizeof classes[0]);
	tcase_add_test(tc, latest_assessment_on_or_before_as_of);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
