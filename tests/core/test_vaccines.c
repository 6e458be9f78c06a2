/* Vaccination forecast and live-vaccine gate: docs/clinical-rules.md s.18
 * cases 24-30 with their expected dates, the shipped schedule (s.11)
 * and edge cases (month ends, leap day, age limits, status boundaries). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engraft/vaccines.h"
#include "helpers.h"

static const int MILD[8] = {1, 0, 0, 0, 0, 0, 0, 0};
static const int NONE8[8] = {0};

/* ---- timelines ---------------------------------------------------------- */

/* s.18 D0 2025-01-15, allogeneic, adult */
static void allo(struct ef_timeline *tl)
{
	tl_patient(tl, "1980-05-05");
	tl_transplant(tl, "2025-01-15", EF_HCT_ALLOGENEIC, EF_GRAFT_PERIPHERAL_BLOOD);
}

static void case24_dose1(struct ef_timeline *tl)
{
	allo(tl);
	tl_dose(tl, D("2025-04-15"), "PCV", 0);
}

static void case24_dose2(struct ef_timeline *tl)
{
	case24_dose1(tl);
	tl_dose(tl, D("2025-05-13"), "PCV", 0);
}

static void case24_dose3(struct ef_timeline *tl)
{
	case24_dose2(tl);
	tl_dose(tl, D("2025-06-10"), "PCV", 0);
}

static void case24_dose3_cgvhd(struct ef_timeline *tl)
{
	case24_dose3(tl);
	tl_chronic(tl, D("2025-09-01"), MILD);
	tl_chronic(tl, D("2025-11-01"), NONE8); /* resolved: still "with chronic GVHD" */
}

/* chronic GVHD before day 0 does not make "with chronic GVHD" */
static void case24_dose3_cgvhd_before(struct ef_timeline *tl)
{
	case24_dose3(tl);
	tl_chronic(tl, D("2024-12-01"), MILD);
}

/* s.18 case 26: D0 2023-01-10; IS stopped 2024-05-01; IVIG 2024-06-15 */
static void case26(struct ef_timeline *tl)
{
	tl_patient(tl, "1980-05-05");
	tl_transplant(tl, "2023-01-10", EF_HCT_ALLOGENEIC, EF_GRAFT_BONE_MARROW);
	tl_is(tl, "tacrolimus", D("2023-01-07"), D("2024-05-01"));
	tl_ivig(tl, D("2024-06-15"));
}

static void case27(struct ef_timeline *tl)
{
	case26(tl);
	tl_chronic(tl, D("2025-06-01"), MILD);
}

/* case 28 as engraft does it: no IVIG rows means none was given */
static void case28(struct ef_timeline *tl)
{
	tl_patient(tl, "1980-05-05");
	tl_transplant(tl, "2023-01-10", EF_HCT_ALLOGENEIC, EF_GRAFT_BONE_MARROW);
	tl_is(tl, "tacrolimus", D("2023-01-07"), D("2024-01-01"));
}

/* the reason texts of docs/clinical-rules.md s.13 */
static void ongoing_is(struct ef_timeline *tl)
{
	tl_patient(tl, "1980-05-05");
	tl_transplant(tl, "2024-01-10", EF_HCT_ALLOGENEIC, EF_GRAFT_BONE_MARROW);
	tl_is(tl, "tacrolimus", D("2026-03-02"), EF_NO_DAY);
	tl_ivig(tl, D("2026-08-01"));
}

/* everything fails at once, listed in order */
static void all_fail(struct ef_timeline *tl)
{
	tl_patient(tl, "1980-05-05");
	tl_transplant(tl, "2025-01-15", EF_HCT_ALLOGENEIC, EF_GRAFT_BONE_MARROW);
	tl_is(tl, "ciclosporin", D("2025-01-12"), EF_NO_DAY);
	tl_is(tl, "prednisone", D("2025-03-01"), EF_NO_DAY);
	tl_ivig(tl, D("2025-05-01"));
	tl_acute(tl, D("2025-04-01"), 3, 0, 0, 0);
	tl_chronic(tl, D("2025-05-20"), MILD);
}

static void date_only_fail(struct ef_timeline *tl)
{
	tl_patient(tl, "1980-05-05");
	tl_transplant(tl, "2025-01-15", EF_HCT_ALLOGENEIC, EF_GRAFT_BONE_MARROW);
	tl_is(tl, "tacrolimus", D("2025-01-12"), D("2025-08-01"));
	tl_ivig(tl, D("2026-05-20"));
	tl_ivig(tl, D("2026-07-01")); /* after as_of: not yet given */
}

/* IVIG exactly 8 months before the evaluation date */
static void ivig_8m(struct ef_timeline *tl)
{
	tl_patient(tl, "1980-05-05");
	tl_transplant(tl, "2023-01-10", EF_HCT_ALLOGENEIC, EF_GRAFT_BONE_MARROW);
	tl_ivig(tl, D("2025-01-01"));
}

/* acute GVHD grade II 2025-06-01: active through day 100 (2025-09-09) */
static void acute_gvhd(struct ef_timeline *tl)
{
	tl_patient(tl, "1980-05-05");
	tl_transplant(tl, "2023-01-10", EF_HCT_ALLOGENEIC, EF_GRAFT_BONE_MARROW);
	tl_acute(tl, D("2025-06-01"), 0, 1, 0, 0);
}

static void acute_gvhd_reassessed(struct ef_timeline *tl)
{
	acute_gvhd(tl);
	tl_acute(tl, D("2025-07-01"), 0, 0, 0, 0);
}

static void chronic_resolved(struct ef_timeline *tl)
{
	tl_patient(tl, "1980-05-05");
	tl_transplant(tl, "2023-01-10", EF_HCT_ALLOGENEIC, EF_GRAFT_BONE_MARROW);
	tl_chronic(tl, D("2025-01-01"), MILD);
	tl_chronic(tl, D("2025-03-01"), NONE8);
	tl_chronic(tl, D("2025-04-01"), NONE8);
}

static void mmr_dose1(struct ef_timeline *tl)
{
	case28(tl);
	tl_dose(tl, D("2025-02-01"), "MMR", 1);
}

/* s.18 case 29: 1st HCT 2024-01-10, PCV 2024-05-01, 2nd HCT 2024-09-01 */
static void case29(struct ef_timeline *tl)
{
	tl_patient(tl, "1980-05-05");
	tl_transplant(tl, "2024-09-01", EF_HCT_ALLOGENEIC, EF_GRAFT_BONE_MARROW);
	tl_transplant(tl, "2024-01-10", EF_HCT_ALLOGENEIC, EF_GRAFT_BONE_MARROW);
	tl_dose(tl, D("2024-05-01"), "PCV", 0);
}

/* s.18 case 30: D0 2024-08-31 */
static void case30(struct ef_timeline *tl)
{
	tl_patient(tl, "1980-05-05");
	tl_transplant(tl, "2024-08-31", EF_HCT_ALLOGENEIC, EF_GRAFT_BONE_MARROW);
}

static void month_end(struct ef_timeline *tl)
{
	tl_patient(tl, "1980-05-05");
	tl_transplant(tl, "2025-01-31", EF_HCT_ALLOGENEIC, EF_GRAFT_BONE_MARROW);
}

static void leap_day(struct ef_timeline *tl)
{
	tl_patient(tl, "1980-05-05");
	tl_transplant(tl, "2024-02-29", EF_HCT_ALLOGENEIC, EF_GRAFT_BONE_MARROW);
}

static void auto_adult(struct ef_timeline *tl)
{
	tl_patient(tl, "1980-05-05");
	tl_transplant(tl, "2025-01-15", EF_HCT_AUTOLOGOUS, EF_GRAFT_PERIPHERAL_BLOOD);
}

static void syngeneic(struct ef_timeline *tl)
{
	tl_patient(tl, "1980-05-05");
	tl_transplant(tl, "2025-01-15", EF_HCT_SYNGENEIC, EF_GRAFT_PERIPHERAL_BLOOD);
}

static void teen(struct ef_timeline *tl) /* 18 at day 0 */
{
	tl_patient(tl, "2006-10-01");
	tl_transplant(tl, "2025-01-15", EF_HCT_ALLOGENEIC, EF_GRAFT_BONE_MARROW);
}

static void child(struct ef_timeline *tl) /* 8 at day 0 */
{
	tl_patient(tl, "2016-09-01");
	tl_transplant(tl, "2025-01-15", EF_HCT_ALLOGENEIC, EF_GRAFT_BONE_MARROW);
}

static void age26(struct ef_timeline *tl) /* 27th birthday the day after M6 */
{
	tl_patient(tl, "1998-07-16");
	tl_transplant(tl, "2025-01-15", EF_HCT_ALLOGENEIC, EF_GRAFT_BONE_MARROW);
}

static void age27_at_m6(struct ef_timeline *tl) /* 27th birthday on M6 */
{
	tl_patient(tl, "1998-07-15");
	tl_transplant(tl, "2025-01-15", EF_HCT_ALLOGENEIC, EF_GRAFT_BONE_MARROW);
}

static void hpv_started_at_26(struct ef_timeline *tl)
{
	age26(tl);
	tl_dose(tl, D("2025-07-15"), "HPV", 0);
}

static void hpv_two(struct ef_timeline *tl)
{
	hpv_started_at_26(tl);
	tl_dose(tl, D("2025-08-12"), "HPV", 0);
}

static void hepb_two(struct ef_timeline *tl)
{
	allo(tl);
	tl_dose(tl, D("2025-07-15"), "HEPB", 0);
	tl_dose(tl, D("2025-08-12"), "HEPB", 0);
}

static void hepa_month_end(struct ef_timeline *tl)
{
	allo(tl);
	tl_dose(tl, D("2025-08-31"), "HEPA", 0);
}

static void flu_two(struct ef_timeline *tl)
{
	allo(tl);
	tl_dose(tl, D("2025-07-15"), "FLU", 0);
	tl_dose(tl, D("2026-07-20"), "FLU", 0);
}

static void tdap_complete(struct ef_timeline *tl)
{
	allo(tl);
	/* unsorted on purpose */
	tl_dose(tl, D("2025-09-10"), "TDAP", 0);
	tl_dose(tl, D("2025-07-15"), "TDAP", 0);
	tl_dose(tl, D("2025-08-12"), "TDAP", 0);
}

static void dose_before_day0(struct ef_timeline *tl)
{
	allo(tl);
	tl_dose(tl, D("2025-01-05"), "PCV", 0);
}

static void same_day_twice(struct ef_timeline *tl)
{
	allo(tl);
	tl_dose(tl, D("2025-04-15"), "PCV", 0);
	tl_dose(tl, D("2025-04-15"), "PCV", 0); /* "PCV" and CVX 133 the same day */
}

/* CVX 110 (DTaP-HepB-IPV), expanded as the store does */
static void combination(struct ef_timeline *tl)
{
	struct ef_reference ref;
	const char *s[4];
	int live[4];
	allo(tl);
	test_reference(&ref);
	size_t n = ef_reference_vaccine_series(&ref, "110", s, live, 4);
	ck_assert_uint_eq(n, 3);
	for (size_t i = 0; i < n; i++)
		tl_dose(tl, D("2025-07-15"), s[i], live[i]);
	ef_reference_free(&ref);
}

/* ---- cellular therapy (CAR-T), docs/clinical-rules.md s.20 ---------------
 * Walti, Hill et al. 2023 (PMC10909447) table 3: inactivated vaccines from
 * 3 months after the infusion, live vaccines from 12 months with no
 * ongoing immunosuppression, none in the prior 12 months (expert centres)
 * and no IVIG in the prior 8 months; no HCT <= 2 years before. */
static void car_t(struct ef_timeline *tl)
{
	tl_patient(tl, "1980-05-05");
	tl_transplant(tl, "2025-01-15", EF_HCT_CELLULAR_THERAPY, EF_GRAFT_PERIPHERAL_BLOOD);
}

/* IVIG for hypogammaglobulinaemia after CAR-T, last 2025-09-01 */
static void car_t_ivig(struct ef_timeline *tl)
{
	car_t(tl);
	tl_ivig(tl, D("2025-06-01"));
	tl_ivig(tl, D("2025-09-01"));
}

/* steroids for CRS/ICANS, stopped 2025-06-01 */
static void car_t_is_stopped(struct ef_timeline *tl)
{
	car_t(tl);
	tl_is(tl, "dexamethasone", D("2025-01-18"), D("2025-06-01"));
}

static void car_t_is_ongoing(struct ef_timeline *tl)
{
	car_t(tl);
	tl_is(tl, "prednisone", D("2025-11-01"), EF_NO_DAY);
}

/* an allogeneic HCT 2024-03-01, relapse, CAR-T 2025-01-15 */
static void hct_then_car_t(struct ef_timeline *tl)
{
	tl_patient(tl, "1980-05-05");
	tl_transplant(tl, "2024-03-01", EF_HCT_ALLOGENEIC, EF_GRAFT_PERIPHERAL_BLOOD);
	tl_transplant(tl, "2025-01-15", EF_HCT_CELLULAR_THERAPY, EF_GRAFT_PERIPHERAL_BLOOD);
	tl_dose(tl, D("2024-06-03"), "PCV", 0);
	tl_dose(tl, D("2024-07-01"), "PCV", 0);
	tl_dose(tl, D("2024-09-02"), "FLU", 0);
}

/* ---- the table ------------------------------------------------------------ */

static const struct vcase {
	const char *name;
	void (*setup)(struct ef_timeline *);
	const char *as_of;
	const char *series;
	int dose;            /* 0: series not listed */
	const char *status;
	const char *due_on;  /* "" for none */
	const char *reason;  /* exact, or NULL to skip */
} cases[] = {
	/* case 24 */
	{"c24 PCV2", case24_dose1, "2025-04-20", "PCV", 2, "upcoming", "2025-05-13", "28 days after dose 1 on 2025-04-15"},
	{"c24 PCV3", case24_dose2, "2025-05-20", "PCV", 3, "upcoming", "2025-06-10", NULL},
	{"c24 PCV1 from M3", allo, "2025-04-15", "PCV", 1, "due", "2025-04-15", "3 months after transplant"},
	{"c24 PPSV23 no cGVHD", case24_dose3, "2025-07-01", "PPSV23", 1, "upcoming", "2026-01-15",
	 "12 months after transplant"},
	{"c24 PCV complete no cGVHD", case24_dose3, "2025-07-01", "PCV", 0, NULL, NULL, NULL},
	{"c24 PCV4 with cGVHD", case24_dose3_cgvhd, "2025-12-01", "PCV", 4, "upcoming", "2026-01-15", NULL},
	{"c24 no PPSV23 with cGVHD", case24_dose3_cgvhd, "2025-12-01", "PPSV23", 0, NULL, NULL, NULL},
	{"c24 cGVHD before day 0 ignored", case24_dose3_cgvhd_before, "2025-12-01", "PPSV23", 1, "upcoming",
	 "2026-01-15", NULL},
	/* PPSV23 waits for PCV dose 3 */
	{"PPSV23 needs PCV3", case24_dose2, "2025-05-20", "PPSV23", 1, "blocked", "2026-01-15", "needs PCV:3 first"},
	{"PPSV23 needs PCV3 late", case24_dose2, "2026-02-01", "PPSV23", 1, "blocked", "2026-03-29",
	 "needs PCV:3 first"},
	/* case 25 */
	{"c25 FLU M6", allo, "2025-05-01", "FLU", 1, "upcoming", "2025-07-15", "6 months after transplant"},
	/* FLU yearly: dose 3 twelve months after dose 2 (repeat row) */
	{"FLU yearly", flu_two, "2026-08-01", "FLU", 3, "upcoming", "2027-07-20", "12 months after dose 2 on 2026-07-20"},
	/* case 26 */
	{"c26 blocked", case26, "2025-03-01", "MMR", 1, "blocked", "2025-05-01",
	 "immunosuppression stopped 2024-05-01 < 12 months"},
	{"c26 open", case26, "2025-05-01", "MMR", 1, "due", "2025-05-01", "live-vaccine gate open since 2025-05-01"},
	{"c26 VAR too", case26, "2025-03-01", "VAR", 1, "blocked", "2025-05-01", NULL},
	/* case 27: active chronic GVHD, no date */
	{"c27", case27, "2025-06-01", "MMR", 1, "blocked", "", "active chronic GVHD (mild on 2025-06-01)"},
	/* case 28 (engraft differs): no IVIG rows = none given */
	{"c28", case28, "2025-02-01", "MMR", 1, "due", "2025-01-10", "24 months after transplant"},
	{"design example", ongoing_is, "2026-09-01", "MMR", 1, "blocked", "",
	 "on immunosuppression (tacrolimus since 2026-03-02); IVIG 2026-08-01 < 8 months"},
	{"every condition", all_fail, "2025-06-01", "MMR", 1, "blocked", "",
	 "transplant 2025-01-15 < 24 months; on immunosuppression (ciclosporin since 2025-01-12, prednisone since "
	 "2025-03-01); IVIG 2025-05-01 < 8 months; active acute GVHD (grade II on 2025-04-01); active chronic GVHD "
	 "(mild on 2025-05-20)"},
	{"date conditions only", date_only_fail, "2026-06-01", "MMR", 1, "blocked", "2027-01-20",
	 "transplant 2025-01-15 < 24 months; immunosuppression stopped 2025-08-01 < 12 months; IVIG 2026-05-20 < 8 "
	 "months"},
	{"IVIG 8 months ago to the day", ivig_8m, "2025-09-01", "MMR", 1, "due", "2025-09-01", NULL},
	{"IVIG a day short of 8 months", ivig_8m, "2025-08-31", "MMR", 1, "blocked", "2025-09-01",
	 "IVIG 2025-01-01 < 8 months"},
	{"acute GVHD day 100", acute_gvhd, "2025-09-09", "MMR", 1, "blocked", "",
	 "active acute GVHD (grade II on 2025-06-01)"},
	{"acute GVHD day 101", acute_gvhd, "2025-09-10", "MMR", 1, "due", "2025-09-10",
	 "live-vaccine gate open since 2025-09-10"},
	{"acute GVHD reassessed", acute_gvhd_reassessed, "2025-07-15", "MMR", 1, "due", "2025-07-01", NULL},
	{"chronic GVHD resolved", chronic_resolved, "2025-03-20", "MMR", 1, "due", "2025-03-01",
	 "live-vaccine gate open since 2025-03-01"},
	{"MMR dose 2", mmr_dose1, "2025-02-10", "MMR", 2, "upcoming", "2025-03-01", "28 days after dose 1 on 2025-02-01"},
	/* case 29 */
	{"c29 PCV1 after 2nd HCT", case29, "2024-10-01", "PCV", 1, "upcoming", "2024-12-01", NULL},
	{"c29 as of the 1st HCT", case29, "2024-06-01", "PCV", 2, "due", "2024-05-29", NULL},
	/* case 30 (clamp default; next_first in month_rule_cdsi) */
	{"c30 clamp", case30, "2024-09-01", "FLU", 1, "upcoming", "2025-02-28", NULL},
	{"month-end day 0 +3", month_end, "2025-02-01", "PCV", 1, "upcoming", "2025-04-30", NULL},
	{"leap day 0 +12", leap_day, "2024-03-01", "PPSV23", 1, "blocked", "2025-02-28", NULL},
	{"leap day 0 +24", leap_day, "2024-03-01", "MMR", 1, "blocked", "2026-02-28", "transplant 2024-02-29 < 24 months"},
	/* RZV: autologous 3 months, allogeneic/syngeneic 6, age >= 19 */
	{"RZV allo", allo, "2025-02-01", "RZV", 1, "upcoming", "2025-07-15", NULL},
	{"RZV auto", auto_adult, "2025-02-01", "RZV", 1, "upcoming", "2025-04-15", NULL},
	{"RZV syngeneic", syngeneic, "2025-02-01", "RZV", 1, "upcoming", "2025-07-15", NULL},
	{"RZV at 19", teen, "2025-02-01", "RZV", 1, "upcoming", "2025-10-01", "age 19 on 2025-10-01"},
	/* HPV: 9-26 at dose 1, then 28 and 84 days */
	{"HPV adult 44", allo, "2025-02-01", "HPV", 0, NULL, NULL, NULL},
	{"HPV child waits for 9", child, "2025-02-01", "HPV", 1, "upcoming", "2025-09-01", "age 9 on 2025-09-01"},
	{"HPV at 26", age26, "2025-02-01", "HPV", 1, "upcoming", "2025-07-15", NULL},
	{"HPV past 26 by as_of", age26, "2025-07-16", "HPV", 0, NULL, NULL, NULL},
	{"HPV 27 on due day", age27_at_m6, "2025-02-01", "HPV", 0, NULL, NULL, NULL},
	{"HPV dose 2 after 27", hpv_started_at_26, "2025-08-01", "HPV", 2, "upcoming", "2025-08-12", NULL},
	{"HPV dose 3 84 days", hpv_two, "2025-09-01", "HPV", 3, "upcoming", "2025-11-04", NULL},
	{"HEPB dose 3 56 days", hepb_two, "2025-08-20", "HEPB", 3, "upcoming", "2025-10-07", NULL},
	{"HEPA 6 months clamp", hepa_month_end, "2025-09-01", "HEPA", 2, "upcoming", "2026-02-28",
	 "6 months after dose 1 on 2025-08-31"},
	{"series complete", tdap_complete, "2025-10-01", "TDAP", 0, NULL, NULL, NULL},
	{"dose before day 0 ignored", dose_before_day0, "2025-02-01", "PCV", 1, "upcoming", "2025-04-15", NULL},
	{"same-day doses count once", same_day_twice, "2025-04-20", "PCV", 2, "upcoming", "2025-05-13", NULL},
	{"CVX 110 counts for TDAP", combination, "2025-07-20", "TDAP", 2, "upcoming", "2025-08-12", NULL},
	{"CVX 110 counts for HEPB", combination, "2025-07-20", "HEPB", 2, "upcoming", "2025-08-12", NULL},
	{"CVX 110 counts for IPV", combination, "2025-07-20", "IPV", 2, "upcoming", "2025-08-12", NULL},
	{"MENB not in the profile", allo, "2025-07-20", "MENB", 0, NULL, NULL, NULL},
	/* cellular therapy (CAR-T) day 0 2025-01-15: at 2, 3, 11 and 12 months */
	{"CAR-T 2 months FLU", car_t, "2025-03-15", "FLU", 1, "upcoming", "2025-04-15", "3 months after transplant"},
	{"CAR-T 2 months MMR", car_t, "2025-03-15", "MMR", 1, "blocked", "2026-01-15", "transplant 2025-01-15 < 12 months"},
	{"CAR-T 3 months FLU", car_t, "2025-04-15", "FLU", 1, "due", "2025-04-15", "3 months after transplant"},
	{"CAR-T 3 months TDAP", car_t, "2025-04-15", "TDAP", 1, "due", "2025-04-15", NULL},
	{"CAR-T 3 months HIB", car_t, "2025-04-15", "HIB", 1, "due", "2025-04-15", NULL},
	{"CAR-T 3 months IPV", car_t, "2025-04-15", "IPV", 1, "due", "2025-04-15", NULL},
	{"CAR-T 3 months HEPB", car_t, "2025-04-15", "HEPB", 1, "due", "2025-04-15", NULL},
	{"CAR-T 3 months HEPA", car_t, "2025-04-15", "HEPA", 1, "due", "2025-04-15", NULL},
	{"CAR-T 3 months MENACWY", car_t, "2025-04-15", "MENACWY", 1, "due", "2025-04-15", NULL},
	{"CAR-T 3 months RZV", car_t, "2025-04-15", "RZV", 1, "due", "2025-04-15", NULL},
	{"CAR-T 3 months PCV", car_t, "2025-04-15", "PCV", 1, "due", "2025-04-15", NULL},
	{"CAR-T 3 months COVID19", car_t, "2025-04-15", "COVID19", 1, "due", "2025-04-15", NULL},
	{"CAR-T 3 months MMR", car_t, "2025-04-15", "MMR", 1, "blocked", "2026-01-15", "transplant 2025-01-15 < 12 months"},
	{"CAR-T 11 months MMR", car_t, "2025-12-15", "MMR", 1, "blocked", "2026-01-15", "transplant 2025-01-15 < 12 months"},
	{"CAR-T 11 months VAR", car_t, "2025-12-15", "VAR", 1, "blocked", "2026-01-15", NULL},
	{"CAR-T 12 months MMR", car_t, "2026-01-15", "MMR", 1, "due", "2026-01-15", "12 months after transplant"},
	{"CAR-T 12 months VAR", car_t, "2026-01-15", "VAR", 1, "due", "2026-01-15", NULL},
	/* with IVIG: inactivated vaccines are not gated (the expert centres' "no IVIG in the prior 2
	 * months" is not modelled), live ones wait 8 months after the last IVIG */
	{"CAR-T IVIG FLU", car_t_ivig, "2025-04-15", "FLU", 1, "due", "2025-04-15", NULL},
	{"CAR-T IVIG 11 months", car_t_ivig, "2025-12-15", "MMR", 1, "blocked", "2026-05-01",
	 "transplant 2025-01-15 < 12 months; IVIG 2025-09-01 < 8 months"},
	{"CAR-T IVIG 12 months", car_t_ivig, "2026-01-15", "MMR", 1, "blocked", "2026-05-01", "IVIG 2025-09-01 < 8 months"},
	{"CAR-T IVIG gate opens", car_t_ivig, "2026-05-01", "MMR", 1, "due", "2026-05-01",
	 "live-vaccine gate open since 2026-05-01"},
	/* with immunosuppression: 12 months off it */
	{"CAR-T IS stopped 11 months", car_t_is_stopped, "2025-12-15", "MMR", 1, "blocked", "2026-06-01",
	 "transplant 2025-01-15 < 12 months; immunosuppression stopped 2025-06-01 < 12 months"},
	{"CAR-T IS stopped 12 months", car_t_is_stopped, "2026-01-15", "MMR", 1, "blocked", "2026-06-01",
	 "immunosuppression stopped 2025-06-01 < 12 months"},
	{"CAR-T IS stopped gate opens", car_t_is_stopped, "2026-06-01", "MMR", 1, "due", "2026-06-01", NULL},
	{"CAR-T IS ongoing 12 months", car_t_is_ongoing, "2026-01-15", "MMR", 1, "blocked", "",
	 "on immunosuppression (prednisone since 2025-11-01)"},
	{"CAR-T IS ongoing FLU", car_t_is_ongoing, "2025-12-15", "FLU", 1, "overdue", "2025-04-15", NULL},
	/* CAR-T after an HCT: the series restart from the infusion, and the live gate keeps the
	 * HCT's 24 months (no HCT <= 2 years before) */
	{"HCT then CAR-T PCV restarts", hct_then_car_t, "2025-03-01", "PCV", 1, "upcoming", "2025-04-15",
	 "3 months after transplant"},
	{"HCT then CAR-T FLU restarts", hct_then_car_t, "2025-03-01", "FLU", 1, "upcoming", "2025-04-15", NULL},
	{"HCT then CAR-T MMR at 12", hct_then_car_t, "2026-01-15", "MMR", 1, "blocked", "2026-03-01",
	 "transplant 2024-03-01 < 24 months"},
	{"HCT then CAR-T MMR at 24 after HCT", hct_then_car_t, "2026-03-01", "MMR", 1, "due", "2026-03-01", NULL},
	{"HCT before CAR-T MMR", hct_then_car_t, "2025-01-14", "MMR", 1, "blocked", "2026-03-01",
	 "transplant 2024-03-01 < 24 months"},
	/* status boundaries around due 2025-04-15, grace 28 days */
	{"day before due", allo, "2025-04-14", "PCV", 1, "upcoming", "2025-04-15", NULL},
	{"last day of grace", allo, "2025-05-13", "PCV", 1, "due", "2025-04-15", NULL},
	{"first overdue day", allo, "2025-05-14", "PCV", 1, "overdue", "2025-04-15", NULL},
};

static const struct ef_due *find(const struct ef_due_list *l, const char *series)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].series, series) == 0)
			return &l->v[i];
	return NULL;
}

START_TEST(forecast_table)
{
	const struct vcase *c = &cases[_i];
	struct ef_reference ref;
	struct ef_timeline tl;
	struct ef_due_list l;
	struct ef_err err;
	char d[11];
	test_reference(&ref);
	ef_timeline_init(&tl);
	ef_due_list_init(&l);
	c->setup(&tl);
	ck_assert_int_eq(ef_vaccines_forecast(&tl, &ref, D(c->as_of), &l, &err), EF_OK);
	const struct ef_due *e = find(&l, c->series);
	if (c->dose == 0) {
		ck_assert_msg(e == NULL, "%s: %s listed (dose %d)", c->name, c->series, e ? e->dose : 0);
	} else {
		ck_assert_msg(e != NULL, "%s: %s not listed", c->name, c->series);
		ef_date_format(e->due_on, d);
		ck_assert_msg(e->dose == c->dose, "%s: dose %d, want %d", c->name, e->dose, c->dose);
		ck_assert_msg(strcmp(ef_due_status_str(e->status), c->status) == 0, "%s: status %s, want %s",
			      c->name, ef_due_status_str(e->status), c->status);
		ck_assert_msg(strcmp(d, c->due_on) == 0, "%s: due %s, want %s", c->name, d, c->due_on);
		if (c->reason)
			ck_assert_msg(strcmp(e->reason, c->reason) == 0, "%s: reason '%s', want '%s'", c->name,
				      e->reason, c->reason);
	}
	ef_due_list_free(&l);
	ef_timeline_free(&tl);
	ef_reference_free(&ref);
}
END_TEST

/* Case 26 through the gate itself: earliest eligible 2025-05-01. */
START_TEST(gate_case26)
{
	struct ef_reference ref;
	struct ef_timeline tl;
	struct ef_live_gate g;
	char d[11];
	test_reference(&ref);
	ef_timeline_init(&tl);
	case26(&tl);
	ef_live_gate_eval(&tl, &tl.transplants[0], &ref, D("2025-03-01"), &g);
	ck_assert_int_eq(g.open, 0);
	ef_date_format(g.date, d);
	ck_assert_str_eq(d, "2025-05-01");
	ef_live_gate_eval(&tl, &tl.transplants[0], &ref, D("2025-04-30"), &g);
	ck_assert_int_eq(g.open, 0);
	ef_live_gate_eval(&tl, &tl.transplants[0], &ref, D("2025-05-01"), &g);
	ck_assert_int_eq(g.open, 1);
	ck_assert_str_eq(g.reason, "");
	/* at a past date, records after it do not exist yet */
	ef_live_gate_eval(&tl, &tl.transplants[0], &ref, D("2024-03-01"), &g);
	ck_assert_int_eq(g.open, 0);
	ck_assert_str_eq(g.reason, "transplant 2023-01-10 < 24 months; on immunosuppression (tacrolimus since "
				   "2023-01-07)");
	ck_assert_int_eq(g.date, EF_NO_DAY);
	ef_timeline_free(&tl);
	ef_reference_free(&ref);
}
END_TEST

/* Case 27: active chronic GVHD: not eligible regardless of dates. */
START_TEST(gate_case27)
{
	struct ef_reference ref;
	struct ef_timeline tl;
	struct ef_live_gate g;
	test_reference(&ref);
	ef_timeline_init(&tl);
	case27(&tl);
	ef_live_gate_eval(&tl, &tl.transplants[0], &ref, D("2026-06-01"), &g);
	ck_assert_int_eq(g.open, 0);
	ck_assert_int_eq(g.date, EF_NO_DAY);
	ck_assert_str_eq(g.reason, "active chronic GVHD (mild on 2025-06-01)");
	ef_timeline_free(&tl);
	ef_reference_free(&ref);
}
END_TEST

/* Case 30 with the CDSi rule selected: 2025-03-01. */
START_TEST(month_rule_cdsi)
{
	struct ef_reference ref;
	struct ef_timeline tl;
	struct ef_due_list l;
	struct ef_err err;
	char d[11];
	struct ref_override ov = {"parameters.csv", "key", "month_rule", NULL, NULL, "value", "next_first"};
	ck_assert_int_eq(test_reference_load(&ref, &ov, 1, &err), EF_OK);
	ef_timeline_init(&tl);
	ef_due_list_init(&l);
	case30(&tl);
	ck_assert_int_eq(ef_vaccines_forecast(&tl, &ref, D("2024-09-01"), &l, &err), EF_OK);
	const struct ef_due *e = find(&l, "FLU");
	ck_assert_ptr_nonnull(e);
	ef_date_format(e->due_on, d);
	ck_assert_str_eq(d, "2025-03-01");
	ef_due_list_free(&l);
	ef_timeline_free(&tl);
	ef_reference_free(&ref);
}
END_TEST

/* Case 25: the ECIL-7 profile (influenza from month 3) and the outbreak
 * start (month 4) are a row edit away. Editing a row changes the result. */
START_TEST(case25_profile_edit)
{
	static const struct {
		const char *months, *want;
	} edits[] = {{"3", "2025-04-15"}, {"4", "2025-05-15"}, {"6", "2025-07-15"}};
	for (size_t i = 0; i < sizeof edits / sizeof edits[0]; i++) {
		struct ef_reference ref;
		struct ef_timeline tl;
		struct ef_due_list l;
		struct ef_err err;
		char d[11];
		struct ref_override ov = {"vaccine_schedule.csv", "series", "FLU", "dose", "1", "start_months",
					  edits[i].months};
		ck_assert_int_eq(test_reference_load(&ref, &ov, 1, &err), EF_OK);
		ef_timeline_init(&tl);
		ef_due_list_init(&l);
		allo(&tl);
		ck_assert_int_eq(ef_vaccines_forecast(&tl, &ref, D("2025-02-01"), &l, &err), EF_OK);
		const struct ef_due *e = find(&l, "FLU");
		ck_assert_ptr_nonnull(e);
		ef_date_format(e->due_on, d);
		ck_assert_str_eq(d, edits[i].want);
		ef_due_list_free(&l);
		ef_timeline_free(&tl);
		ef_reference_free(&ref);
	}
}
END_TEST

/* The whole list for a fresh allogeneic adult: every series of the profile
 * but the ones that do not apply, in schedule order, dose 1. */
START_TEST(whole_list)
{
	struct ef_reference ref;
	struct ef_timeline tl;
	struct ef_due_list l;
	struct ef_err err;
	char line[2048] = "";
	test_reference(&ref);
	ef_timeline_init(&tl);
	ef_due_list_init(&l);
	allo(&tl);
	ck_assert_int_eq(ef_vaccines_forecast(&tl, &ref, D("2025-02-01"), &l, &err), EF_OK);
	for (size_t i = 0; i < l.n; i++) {
		char d[11];
		ef_date_format(l.v[i].due_on, d);
		snprintf(line + strlen(line), sizeof line - strlen(line), "%s:%d %s %s\n", l.v[i].series, l.v[i].dose,
			 ef_due_status_str(l.v[i].status), d);
	}
	ck_assert_str_eq(line, "PCV:1 upcoming 2025-04-15\n"
			       "PPSV23:1 blocked 2026-01-15\n"
			       "FLU:1 upcoming 2025-07-15\n"
			       "COVID19:1 upcoming 2025-04-15\n"
			       "TDAP:1 upcoming 2025-07-15\n"
			       "HIB:1 upcoming 2025-07-15\n"
			       "IPV:1 upcoming 2025-07-15\n"
			       "HEPB:1 upcoming 2025-07-15\n"
			       "MENACWY:1 upcoming 2025-07-15\n"
			       "RZV:1 upcoming 2025-07-15\n"
			       "HEPA:1 upcoming 2025-07-15\n"
			       "MMR:1 blocked 2027-01-15\n"
			       "VAR:1 blocked 2027-01-15\n");
	ef_due_list_free(&l);
	ef_timeline_free(&tl);
	ef_reference_free(&ref);
}
END_TEST

START_TEST(no_transplant_no_list)
{
	struct ef_reference ref;
	struct ef_timeline tl;
	struct ef_due_list l;
	struct ef_err err;
	test_reference(&ref);
	ef_timeline_init(&tl);
	ef_due_list_init(&l);
	allo(&tl);
	ck_assert_int_eq(ef_vaccines_forecast(&tl, &ref, D("2025-01-14"), &l, &err), EF_OK);
	ck_assert_uint_eq(l.n, 0);
	ef_due_list_free(&l);
	ef_timeline_free(&tl);
	ef_reference_free(&ref);
}
END_TEST

/* Issue 16 item 7: a second transplant restarts every series from its
 * day 0 - doses of every series given between the two count no longer:
 * the next dose of each is dose 1 again, due from the new day 0. */
/* _i: the second transplant's type - an allogeneic HCT, or a CAR-T
 * infusion (Walti, Hill et al. 2023, PMC10909447: revaccination after
 * cellular therapy, whatever was given before it). */
static const enum ef_hct_type second_types[] = {EF_HCT_ALLOGENEIC, EF_HCT_CELLULAR_THERAPY};

START_TEST(second_transplant_restarts_every_series)
{
	static const char *const series[] = {"FLU",  "PCV",  "PPSV23",  "TDAP", "HIB", "HEPB", "HEPA",
					     "IPV",  "MENACWY", "MENB", "RZV",  "COVID19", "MMR", "VAR"};
	struct ef_reference ref;
	struct ef_err err;
	test_reference(&ref);
	struct ef_timeline tl;
	ef_timeline_init(&tl);
	tl_patient(&tl, "1980-05-05");
	tl_transplant(&tl, "2022-01-10", EF_HCT_ALLOGENEIC, EF_GRAFT_BONE_MARROW);
	tl_transplant(&tl, "2024-09-01", second_types[_i], EF_GRAFT_BONE_MARROW);
	for (size_t i = 0; i < sizeof series / sizeof series[0]; i++)
		for (int k = 0; k < 3; k++) /* three doses of each, 2023 to 2024 */
			tl_dose(&tl, D("2023-02-01") + 90 * k + (ef_day)i, series[i],
				strcmp(series[i], "MMR") == 0 || strcmp(series[i], "VAR") == 0);
	struct ef_due_list l;
	ef_due_list_init(&l);
	/* before the second transplant the doses count */
	ck_assert_int_eq(ef_vaccines_forecast(&tl, &ref, D("2024-08-31"), &l, &err), EF_OK);
	int later = 0;
	for (size_t i = 0; i < l.n; i++)
		later += l.v[i].dose > 1;
	ck_assert_int_gt(later, 0);
	/* after it, every listed series starts again at dose 1, from the new day 0 */
	ck_assert_int_eq(ef_vaccines_forecast(&tl, &ref, D("2024-10-01"), &l, &err), EF_OK);
	ck_assert_uint_ge(l.n, 12);
	for (size_t i = 0; i < l.n; i++) {
		ck_assert_msg(l.v[i].dose == 1, "%s dose %d after the second transplant", l.v[i].series, l.v[i].dose);
		ck_assert_msg(l.v[i].due_on == EF_NO_DAY || l.v[i].due_on > D("2024-09-01"), "%s due before day 0",
			      l.v[i].series);
	}
	ef_due_list_free(&l);
	ef_timeline_free(&tl);
	ef_reference_free(&ref);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("vaccines");
	TCase *tc = tcase_create("vaccines");
	tcase_add_loop_test(tc, forecast_table, 0, sizeof cases / sizeof cases[0]);
	tcase_add_test(tc, gate_case26);
	tcase_add_test(tc, gate_case27);
	tcase_add_test(tc, month_rule_cdsi);
	tcase_add_test(tc, case25_profile_edit);
	tcase_add_test(tc, whole_list);
	tcase_add_test(tc, no_transplant_no_list);
	tcase_add_loop_test(tc, second_transplant_restarts_every_series, 0,
			    sizeof second_types / sizeof second_types[0]);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
