/* reference.h - clinical reference data (thresholds, schedules) as data.
 *
 * No clinical number lives in C code. Every threshold, deadline, interval
 * and month count comes from the asset files in assets/ (compiled into the
 * binary as ef_assets[], loaded into typed tables by the store, and edited by
 * a site). Each row carries its source: a guideline tag of
 * docs/clinical-rules.md s.17 ([R1], ...) or SITE DEFAULT with its reason.
 * The store feeds rows, one at a time and with values in the column order of
 * ef_reference_kind(), through ef_reference_add_row(); the core never sees
 * SQL or CSV. Then ef_reference_finish() checks the whole set.
 *
 *   struct ef_reference ref;
 *   ef_reference_init(&ref);
 *   for each row: ef_reference_add_row(&ref, kind, values, &err);  (values[i]
 *       NUL-terminated, NULL or "" = empty cell)
 *   ef_reference_finish(&ref, &err);
 *   ... ef_engraftment_eval / ef_vaccines_forecast / ef_rules_evaluate ...
 *   ef_reference_free(&ref);
 *
 * Asset files (plain RFC 4180 CSV with a header row; columns are matched by
 * name in any order; required columns marked *; numbers are plain decimals):
 *
 * parameters.csv - key*, value*, unit*, source*
 *   One row per key of enum ef_param (every key must be present, once).
 *   `unit` must equal the key's unit (ef_param_unit()) so that an edit cannot
 *   silently change the meaning: 10*9/L, mg/dL, values, day, days, months,
 *   grade, severity, rule, minutes. Values: counts and thresholds are decimals > 0;
 *   "day" is a day number after day 0 (day +28); grade is 0/I/II/III/IV;
 *   severity is none/mild/moderate/severe; month_rule is "clamp"
 *   (Jan 31 + 1 month = Feb 28/29, shipped default) or "next_first"
 *   (CDSi: Aug 31 + 6 months = Mar 1); "minutes" (idle_logoff_minutes, the
 *   terminal interface's automatic logoff) is a whole number 1-480.
 *
 * vaccine_schedule.csv - one row per (series, dose[, transplant types]):
 *   series*        series code (docs/clinical-rules.md s.11.2: FLU, PCV,
 *                  PPSV23, TDAP, HIB, HEPB, HEPA, VAR, IPV, MENACWY, MENB,
 *                  HPV, RZV, COVID19, MMR)
 *   dose*          1, 2, ... (N counted from 1 after the current transplant)
 *   transplant_types  empty = all; else ';'-separated list of autologous,
 *                  allogeneic, syngeneic, cellular_therapy. For a given series, dose and
 *                  transplant type exactly one row must match.
 *   start_months   earliest month after day 0 (required for dose 1)
 *   min_interval_days, min_interval_months
 *                  minimum interval from the previous dose of the series
 *                  (either, both or none; the later date wins)
 *   after_series, after_dose, after_days
 *                  cross-series rule: at least after_dose doses of
 *                  after_series must have been given since day 0 (empty/0 =
 *                  none needed) and this dose comes >= after_days days after
 *                  the latest of them (PPSV23: PCV, 3, 56)
 *   min_age_years  earliest age for this dose (RZV 19, HPV 9)
 *   max_age_years  the dose is no longer indicated from the birthday that
 *                  follows this age (HPV 26: up to the 27th birthday); a
 *                  series whose next dose is past its age limit is not listed
 *   live*          0/1; 1 puts the dose behind the live-vaccine gate
 *   condition      empty, chronic_gvhd (only with chronic GVHD since day 0)
 *                  or no_chronic_gvhd (only without). A dose whose condition
 *                  fails ends the series (it is complete, not listed).
 *   repeat         0/1; 1 on the last dose row: that row also applies to
 *                  every later dose (FLU: one dose a year for ever)
 *   source*        citation / justification
 *
 * milestones.csv - immune-reconstitution milestones (docs/clinical-rules.md s.5)
 *   id*            rule subject, e.g. IR-CD4-180
 *   test*          lab test code (CD4, CD19, IGG, ...)
 *   comparator*    >=, >, <=, <: the milestone is met when value OP threshold
 *   threshold*     in the test's canonical unit (CD4: cells/uL)
 *   window_start_day*, window_end_day*   days after day 0, inclusive
 *   transplant_types  as above
 *   description*, source*
 *   Evaluation: the latest result in the window dated <= as-of decides
 *   (several on one day count as their minimum). Missed when it does not
 *   meet the milestone (an undecidable qualified value counts as not met).
 *   When the window has closed without any result, the same milestone is
 *   reported missed with a "no result" message (the separate "no CD4 result"
 *   rule of the literature is folded into the milestone it belongs to,
 *   docs/clinical-rules.md s.5). Before the window closes with
 *   no result, the milestone is pending (no finding).
 *
 * monitoring.csv - lab cadence (docs/clinical-rules.md s.7, SITE DEFAULTS)
 *   test*, from_day*, to_day (empty = no end), max_interval_days*,
 *   transplant_types, source*
 *   While as-of is in [day0 + from_day, day0 + to_day], a result of `test`
 *   is expected within max_interval_days of the later of the period start
 *   and the latest result since day 0; after that it is overdue. Rows of one
 *   test must not overlap for any transplant type.
 *
 * cvx.csv - cvx*, series*, live*, description
 *   CDC CVX code -> series; a code may map to several series (combination
 *   vaccines count toward each); live marks live products.
 *
 * screening.csv - late-effects screening of survivors (followup.h,
 *   docs/clinical-rules.md s.19)
 *   item*          code, 1-23 of A-Z, 0-9, '-', '_' (alert subject ITEM:M12)
 *   name*          what it is, 1-63 bytes
 *   first_due_months*  months after day 0 of the first time point (>= 1)
 *   interval_months    then every N months; empty = once
 *   applies_to*    all, or a ';'-list of allogeneic, autologous, syngeneic,
 *                  cellular_therapy
 *   min_age_years  a time point is listed only when the patient is at least
 *                  this old on its due date
 *   source*
 *   Time points are named M<months after day 0> (M12, M24, ...).
 *
 * registry_forms.csv - a registry's follow-up forms (CIBMTR 2100 / 2450)
 *   item*          registry code (CIBMTR); not also a screening item
 *   track*         crf (comprehensive report forms, Form 2100) or ted
 *                  (Form 2450); the parameter registry_track picks one
 *   transplant_types  as above (empty = all)
 *   time_point*    D<days>, M<months> or Y<years>, agreeing with the offset
 *   offset_days, offset_months   exactly one: the time point's distance
 *                  from day 0
 *   repeat_months  only on the last row of an item, track and type: then
 *                  every N months for ever (named Y<n> when a whole number
 *                  of years, else M<n>)
 *   source*
 *   Rows of one item, track and transplant type must grow strictly later.
 *
 * lab_tests.csv - limits of each lab test (labref.h uses them)
 *   test*          lab test code, at most one row per test; a test without
 *                  a row has no limits (at least one row is required)
 *   plausible_min, plausible_max   physiologic bounds: a result outside is
 *                  refused as an entry error (exit 3 / in the form)
 *   ref_low, ref_high              reference interval: beyond it the result
 *                  is flagged low / high
 *   critical_low, critical_high    critical (panic) limits: below
 *                  critical_low / above critical_high it is flagged critical
 *   source*        citation / justification
 *   All limits in the test's canonical unit (units.h), plain decimals >= 0;
 *   empty = no such limit. Where present they must be ordered
 *   plausible_min <= critical_low <= ref_low <= ref_high <= critical_high
 *   <= plausible_max, and plausible_min < plausible_max.
 *
 * loinc.csv - LOINC codes of results that HL7 v2 and FHIR files carry, and
 *   the engraft test each reports (import hl7, import fhir, export fhir)
 *   loinc*         LOINC code NNNNN-C (its check digit must be right), at
 *                  most one row per code; a code without a row is refused
 *                  by the imports, never guessed (at least one row)
 *   test*          engraft test code (ANC, ALC, ... CREAT); several codes
 *                  may report one test (ANC: 751-8 and 26499-4); export
 *                  fhir codes a test with the first of its rows
 *   note           what the code is (its LOINC name), free text
 */
#ifndef ENGRAFT_REFERENCE_H
#define ENGRAFT_REFERENCE_H

#include <stddef.h>

#include "engraft/date.h"
#include "engraft/error.h"
#include "engraft/gvhd.h"
#include "engraft/timeline.h"
#include "engraft/units.h"

enum ef_ref_kind {
	EF_REF_PARAMETERS = 0,
	EF_REF_VACCINE_SCHEDULE,
	EF_REF_MILESTONES,
	EF_REF_MONITORING,
	EF_REF_CVX,
	EF_REF_LAB_TESTS,
	EF_REF_LOINC,
	EF_REF_SCREENING,      /* screening.csv (schema 015) */
	EF_REF_REGISTRY_FORMS, /* registry_forms.csv (schema 015) */
	EF_REF_KIND_COUNT
};

struct ef_ref_column {
	const char *name;
	int required;
};

struct ef_ref_kind_info {
	const char *name;   /* "vaccine_schedule" (also the store's table name) */
	const char *file;   /* "vaccine_schedule.csv" */
	const struct ef_ref_column *columns;
	size_t ncolumns;
};

const struct ef_ref_kind_info *ef_reference_kind(enum ef_ref_kind kind);
/* Accepts the kind name or its file name. Returns 0 or -1. */
int ef_reference_kind_parse(const char *s, enum ef_ref_kind *out);

/* Keys of parameters.csv; ef_param_key() gives the CSV spelling. */
enum ef_param {
	EF_P_ANC_THRESHOLD = 0,        /* anc_threshold, 10*9/L */
	EF_P_ANC_RUN,                  /* anc_run_length, values */
	EF_P_PLT_THRESHOLD,            /* plt_threshold, 10*9/L */
	EF_P_PLT_THRESHOLD_HIGH,       /* plt_threshold_high, 10*9/L */
	EF_P_PLT_RUN,                  /* plt_run_length, values */
	EF_P_PLT_TRANSFUSION_FREE,     /* plt_transfusion_free_days, days */
	EF_P_GF_DAY_BONE_MARROW,       /* primary_graft_failure_day_bone_marrow, day */
	EF_P_GF_DAY_PERIPHERAL_BLOOD,  /* primary_graft_failure_day_peripheral_blood, day */
	EF_P_GF_DAY_CORD_BLOOD,        /* primary_graft_failure_day_cord_blood, day */
	EF_P_SGF_RUN,                  /* secondary_graft_failure_run_length, values */
	EF_P_PLT_DELAYED_DAY,          /* platelet_delayed_day, day */
	EF_P_IGG_LOW,                  /* igg_low, mg/dL */
	EF_P_IVIG_CONFOUND_DAYS,       /* ivig_confounding_days, days */
	EF_P_LIVE_MIN_MONTHS,          /* live_min_months_after_hct, months */
	EF_P_LIVE_IS_OFF_MONTHS,       /* live_months_off_immunosuppression, months */
	EF_P_LIVE_IVIG_MONTHS,         /* live_months_after_ivig, months */
	EF_P_ACUTE_ACTIVE_DAYS,        /* acute_gvhd_active_days, days */
	EF_P_ACUTE_ACTIVE_GRADE,       /* acute_gvhd_active_min_grade, grade */
	EF_P_CHRONIC_ACTIVE_SEVERITY,  /* chronic_gvhd_active_min_severity, severity */
	EF_P_CHRONIC_GVHD_SEVERITY,    /* chronic_gvhd_min_severity ("with chronic GVHD"), severity */
	EF_P_SEVERE_ACUTE_GRADE,       /* gvhd_severe_acute_min_grade, grade */
	EF_P_SEVERE_CHRONIC_SEVERITY,  /* gvhd_severe_chronic_min_severity, severity */
	EF_P_OVERDUE_GRACE_DAYS,       /* vaccine_overdue_grace_days, days */
	EF_P_MONTH_RULE,               /* month_rule, rule: clamp | next_first */
	EF_P_IDLE_LOGOFF_MINUTES,      /* idle_logoff_minutes, minutes (1-480): TUI automatic logoff */
	EF_P_FOLLOWUP_GRACE_DAYS,      /* followup_grace_days, days: a follow-up time point is overdue after */
	EF_P_REGISTRY_TRACK,           /* registry_track, track: crf | ted (registry_forms.csv rows used) */
	EF_P_LIVE_MIN_MONTHS_CT,       /* live_min_months_after_cellular_therapy, months (live gate after CAR-T) */
	EF_P_COUNT
};

const char *ef_param_key(enum ef_param p);
const char *ef_param_unit(enum ef_param p);

/* Conditions of vaccine_schedule.csv. */
enum ef_vx_condition { EF_VXC_NONE = 0, EF_VXC_CHRONIC_GVHD, EF_VXC_NO_CHRONIC_GVHD };

/* Bit (1u << enum ef_hct_type); EF_TYPES_ALL when the cell is empty. */
#define EF_TYPES_ALL ((1u << EF_HCT_COUNT) - 1u)

#define EF_SERIES_LEN 16

struct ef_vaccine_rule {
	char series[EF_SERIES_LEN];
	int dose;
	unsigned types;          /* transplant-type bit mask */
	int start_months;        /* -1: none */
	int min_interval_days;   /* -1: none */
	int min_interval_months; /* -1: none */
	char after_series[EF_SERIES_LEN]; /* "" : none */
	int after_dose;          /* 0: none */
	int after_days;          /* -1: none */
	int min_age_years;       /* -1: none */
	int max_age_years;       /* -1: none */
	int live;
	enum ef_vx_condition condition;
	int repeat;
};

enum ef_cmp { EF_CMP_GE = 0, EF_CMP_GT, EF_CMP_LE, EF_CMP_LT };

struct ef_milestone {
	char id[32];
	enum ef_test test;
	enum ef_cmp cmp;
	double threshold;
	int window_start, window_end; /* days after day 0, inclusive */
	unsigned types;
	char description[128];
};

struct ef_monitor {
	enum ef_test test;
	int from_day, to_day;    /* to_day -1: no end */
	int max_interval_days;
	unsigned types;
};

struct ef_cvx {
	char cvx[8];
	char series[EF_SERIES_LEN];
	int live;
};

/* One row of lab_tests.csv; have_* says whether the limit is set. */
enum ef_lab_limit {
	EF_LIM_PLAUSIBLE_MIN = 0, EF_LIM_PLAUSIBLE_MAX, EF_LIM_REF_LOW, EF_LIM_REF_HIGH,
	EF_LIM_CRITICAL_LOW, EF_LIM_CRITICAL_HIGH, EF_LIM_COUNT
};

struct ef_lab_limits {
	int present;                        /* the test has a row */
	double v[EF_LIM_COUNT];
	unsigned char have[EF_LIM_COUNT];
};

/* One row of loinc.csv: a LOINC code and the engraft test it reports. */
struct ef_loinc {
	char loinc[11];               /* NNNNN-C, check digit verified */
	enum ef_test test;
};

/* screening.csv: one late-effects screening item (followup.h). */
#define EF_ITEM_LEN 24
struct ef_screening {
	char item[EF_ITEM_LEN];  /* DENTAL, THYROID, ... (A-Z, 0-9, '-', '_') */
	char name[64];
	int first_due_months;    /* months after day 0 */
	int interval_months;     /* -1: once */
	unsigned types;          /* transplant types it applies to */
	int min_age_years;       /* -1: none; age on the due date */
};

/* Registry reporting tracks (registry_forms.csv `track`, parameter registry_track). */
enum ef_track { EF_TRACK_CRF = 0, EF_TRACK_TED, EF_TRACK_COUNT };
const char *ef_track_str(enum ef_track t); /* "crf", "ted" */

/* The name of the time point at `days` (>= 0) or else `months` after day 0:
 * D100, Y2 (a whole number of years), M6. */
void ef_time_point_name(int days, int months, char *out, size_t size);

/* registry_forms.csv: one time point of a registry's follow-up form. */
struct ef_registry_point {
	char item[EF_ITEM_LEN];  /* CIBMTR */
	enum ef_track track;
	unsigned types;
	char time_point[12];     /* D100, M6, Y1 ...: agrees with the offset */
	int offset_days;         /* -1: offset_months instead */
	int offset_months;       /* -1: offset_days instead */
	int repeat_months;       /* -1: none; on the last row: then every N months */
};

struct ef_reference {
	double param[EF_P_COUNT];     /* numbers; grades/severities as their enum value */
	unsigned char have[EF_P_COUNT];
	enum ef_month_rule month_rule;
	struct ef_vaccine_rule *rules; size_t n_rules, cap_rules;
	struct ef_milestone *milestones; size_t n_milestones, cap_milestones;
	struct ef_monitor *monitors; size_t n_monitors, cap_monitors;
	struct ef_cvx *cvx; size_t n_cvx, cap_cvx;
	struct ef_lab_limits lab[EF_T_COUNT]; /* by enum ef_test */
	size_t n_lab_tests;
	struct ef_loinc *loinc; size_t n_loinc, cap_loinc;
	struct ef_screening *screening; size_t n_screening, cap_screening;
	struct ef_registry_point *registry; size_t n_registry, cap_registry;
};

void ef_reference_init(struct ef_reference *ref);
void ef_reference_free(struct ef_reference *ref);

/* Validate one row (values[i] for column i of ef_reference_kind(kind);
 * NULL or "" = empty) and add it. Errors (EF_INVALID) name the column, e.g.
 * "value: anc_threshold must be a number > 0"; the caller adds FILE:LINE.
 * A duplicate key (parameter key, milestone id, cvx+series, schedule
 * series+dose+type) is an error. EF_DB only when out of memory. */
int ef_reference_add_row(struct ef_reference *ref, enum ef_ref_kind kind,
			 const char *const *values, struct ef_err *err);

/* Check the set is complete and consistent: every parameter present; for
 * every schedule series and transplant type, doses 1..n each matched by
 * exactly one row, dose 1 with start_months, repeat only on the last dose;
 * after_series names a series of the schedule; monitoring rows of one test
 * do not overlap; lab_tests has at least one row. EF_INVALID with a message naming the problem. */
int ef_reference_finish(struct ef_reference *ref, struct ef_err *err);

/* The engraft test that LOINC code `code` reports (loinc.csv): 0 with *t
 * set, -1 when the code has no row. */
int ef_reference_loinc_test(const struct ef_reference *ref, const char *code, enum ef_test *t);

/* Is `code` a well-formed LOINC code: 1 to 7 digits, '-', and the check
 * digit of LOINC's mod 10 algorithm? */
int ef_loinc_valid(const char *code);

/* Is `s` (len bytes) a known series code (docs/clinical-rules.md s.11.2)? */
int ef_series_known(const char *s, size_t len);

/* Series a recorded vaccine counts toward: a series code maps to itself
 * (live from the schedule), a CVX code to every series cvx.csv lists.
 * Fills up to max entries of series[] / live[] and returns how many it found
 * (0: unknown vaccine). The store uses this to build ef_dose rows. */
size_t ef_reference_vaccine_series(const struct ef_reference *ref, const char *vaccine,
				   const char **series, int *live, size_t max);

/* Is any schedule row of this series a live vaccine? */
int ef_reference_series_live(const struct ef_reference *ref, const char *series);

/* Parameter helpers used by the rule modules. */
double ef_ref_num(const struct ef_reference *ref, enum ef_param p);
int ef_ref_int(const struct ef_reference *ref, enum ef_param p);
ef_day ef_ref_add_months(const struct ef_reference *ref, ef_day day, int months);

#endif
