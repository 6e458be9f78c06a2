/* reference.c - parse and check the asset rows (see reference.h).
 * This file holds names, units and validity ranges of the asset columns;
 * the clinical values themselves are in assets/ *.csv. */
#include "engraft/reference.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ---- kinds and columns ------------------------------------------------ */

static const struct ef_ref_column param_cols[] = {
	{"key", 1}, {"value", 1}, {"unit", 1}, {"source", 1},
};
enum { PC_KEY, PC_VALUE, PC_UNIT, PC_SOURCE };

static const struct ef_ref_column vx_cols[] = {
	{"series", 1},          {"dose", 1},          {"transplant_types", 0},
	{"start_months", 0},    {"min_interval_days", 0}, {"min_interval_months", 0},
	{"after_series", 0},    {"after_dose", 0},    {"after_days", 0},
	{"min_age_years", 0},   {"max_age_years", 0}, {"live", 1},
	{"condition", 0},       {"repeat", 0},        {"source", 1},
};
enum {
	VC_SERIES, VC_DOSE, VC_TYPES, VC_START, VC_INT_DAYS, VC_INT_MONTHS, VC_AFTER_SERIES,
	VC_AFTER_DOSE, VC_AFTER_DAYS, VC_MIN_AGE, VC_MAX_AGE, VC_LIVE, VC_CONDITION, VC_REPEAT,
	VC_SOURCE
};

static const struct ef_ref_column ms_cols[] = {
	{"id", 1},        {"test", 1},           {"comparator", 1},
	{"threshold", 1}, {"window_start_day", 1}, {"window_end_day", 1},
	{"transplant_types", 0}, {"description", 1}, {"source", 1},
};
enum { MC_ID, MC_TEST, MC_CMP, MC_THR, MC_START, MC_END, MC_TYPES, MC_DESC, MC_SOURCE };

static const struct ef_ref_column mon_cols[] = {
	{"test", 1}, {"from_day", 1}, {"to_day", 0}, {"max_interval_days", 1},
	{"transplant_types", 0}, {"source", 1},
};
enum { OC_TEST, OC_FROM, OC_TO, OC_INTERVAL, OC_TYPES, OC_SOURCE };

static const struct ef_ref_column cvx_cols[] = {
	{"cvx", 1}, {"series", 1}, {"live", 1}, {"description", 0},
};
enum { XC_CVX, XC_SERIES, XC_LIVE, XC_DESC };

/* Columns 1..6 in the order of enum ef_lab_limit. */
static const struct ef_ref_column lab_cols[] = {
	{"test", 1},      {"plausible_min", 0}, {"plausible_max", 0}, {"ref_low", 0},
	{"ref_high", 0},  {"critical_low", 0},  {"critical_high", 0}, {"source", 1},
};
enum { LC_TEST, LC_LIMIT0, LC_SOURCE = LC_LIMIT0 + EF_LIM_COUNT };

static const struct ef_ref_column loinc_cols[] = {
	{"loinc", 1}, {"test", 1}, {"note", 0},
};
enum { NC_LOINC, NC_TEST, NC_NOTE };
static const struct ef_ref_column scr_cols[] = {
	{"item", 1}, {"name", 1}, {"first_due_months", 1}, {"interval_months", 0},
	{"applies_to", 1}, {"min_age_years", 0}, {"source", 1},
};
enum { SR_ITEM, SR_NAME, SR_FIRST, SR_INTERVAL, SR_APPLIES, SR_MIN_AGE, SR_SOURCE };

static const struct ef_ref_column reg_cols[] = {
	{"item", 1}, {"track", 1}, {"transplant_types", 0}, {"time_point", 1},
	{"offset_days", 0}, {"offset_months", 0}, {"repeat_months", 0}, {"source", 1},
};
enum { RC_ITEM, RC_TRACK, RC_TYPES, RC_POINT, RC_DAYS, RC_MONTHS, RC_REPEAT, RC_SOURCE };

static const struct ef_ref_kind_info kinds[EF_REF_KIND_COUNT] = {
	[EF_REF_PARAMETERS] = {"parameters", "parameters.csv", param_cols, NELEM(param_cols)},
	[EF_REF_VACCINE_SCHEDULE] = {"vaccine_schedule", "vaccine_schedule.csv", vx_cols, NELEM(vx_cols)},
	[EF_REF_MILESTONES] = {"milestones", "milestones.csv", ms_cols, NELEM(ms_cols)},
	[EF_REF_MONITORING] = {"monitoring", "monitoring.csv", mon_cols, NELEM(mon_cols)},
	[EF_REF_CVX] = {"cvx", "cvx.csv", cvx_cols, NELEM(cvx_cols)},
	[EF_REF_LAB_TESTS] = {"lab_tests", "lab_tests.csv", lab_cols, NELEM(lab_cols)},
	[EF_REF_LOINC] = {"loinc", "loinc.csv", loinc_cols, NELEM(loinc_cols)},
	[EF_REF_SCREENING] = {"screening", "screening.csv", scr_cols, NELEM(scr_cols)},
	[EF_REF_REGISTRY_FORMS] = {"registry_forms", "registry_forms.csv", reg_cols, NELEM(reg_cols)},
};

const struct ef_ref_kind_info *ef_reference_kind(enum ef_ref_kind kind)
{
	return (unsigned)kind < EF_REF_KIND_COUNT ? &kinds[kind] : NULL;
}

int ef_reference_kind_parse(const char *s, enum ef_ref_kind *out)
{
	for (int k = 0; k < EF_REF_KIND_COUNT; k++) {
		if (strcmp(s, kinds[k].name) == 0 || strcmp(s, kinds[k].file) == 0) {
			*out = (enum ef_ref_kind)k;
			return 0;
		}
	}
	return -1;
}

/* ---- parameters ------------------------------------------------------- */

enum pkind { PK_POS, PK_COUNT, PK_DAY, PK_DAYS, PK_MONTHS, PK_GRADE, PK_SEVERITY, PK_RULE, PK_MINUTES, PK_TRACK };

static const struct {
	const char *key, *unit;
	enum pkind kind;
} params[EF_P_COUNT] = {
	[EF_P_ANC_THRESHOLD] = {"anc_threshold", "10*9/L", PK_POS},
	[EF_P_ANC_RUN] = {"anc_run_length", "values", PK_COUNT},
	[EF_P_PLT_THRESHOLD] = {"plt_threshold", "10*9/L", PK_POS},
	[EF_P_PLT_THRESHOLD_HIGH] = {"plt_threshold_high", "10*9/L", PK_POS},
	[EF_P_PLT_RUN] = {"plt_run_length", "values", PK_COUNT},
	[EF_P_PLT_TRANSFUSION_FREE] = {"plt_transfusion_free_days", "days", PK_DAYS},
	[EF_P_GF_DAY_BONE_MARROW] = {"primary_graft_failure_day_bone_marrow", "day", PK_DAY},
	[EF_P_GF_DAY_PERIPHERAL_BLOOD] = {"primary_graft_failure_day_peripheral_blood", "day", PK_DAY},
	[EF_P_GF_DAY_CORD_BLOOD] = {"primary_graft_failure_day_cord_blood", "day", PK_DAY},
	[EF_P_SGF_RUN] = {"secondary_graft_failure_run_length", "values", PK_COUNT},
	[EF_P_PLT_DELAYED_DAY] = {"platelet_delayed_day", "day", PK_DAY},
	[EF_P_IGG_LOW] = {"igg_low", "mg/dL", PK_POS},
	[EF_P_IVIG_CONFOUND_DAYS] = {"ivig_confounding_days", "days", PK_DAYS},
	[EF_P_LIVE_MIN_MONTHS] = {"live_min_months_after_hct", "months", PK_MONTHS},
	[EF_P_LIVE_IS_OFF_MONTHS] = {"live_months_off_immunosuppression", "months", PK_MONTHS},
	[EF_P_LIVE_IVIG_MONTHS] = {"live_months_after_ivig", "months", PK_MONTHS},
	[EF_P_ACUTE_ACTIVE_DAYS] = {"acute_gvhd_active_days", "days", PK_DAYS},
	[EF_P_ACUTE_ACTIVE_GRADE] = {"acute_gvhd_active_min_grade", "grade", PK_GRADE},
	[EF_P_CHRONIC_ACTIVE_SEVERITY] = {"chronic_gvhd_active_min_severity", "severity", PK_SEVERITY},
	[EF_P_CHRONIC_GVHD_SEVERITY] = {"chronic_gvhd_min_severity", "severity", PK_SEVERITY},
	[EF_P_SEVERE_ACUTE_GRADE] = {"gvhd_severe_acute_min_grade", "grade", PK_GRADE},
	[EF_P_SEVERE_CHRONIC_SEVERITY] = {"gvhd_severe_chronic_min_severity", "severity", PK_SEVERITY},
	[EF_P_OVERDUE_GRACE_DAYS] = {"vaccine_overdue_grace_days", "days", PK_DAYS},
	[EF_P_MONTH_RULE] = {"month_rule", "rule", PK_RULE},
	[EF_P_IDLE_LOGOFF_MINUTES] = {"idle_logoff_minutes", "minutes", PK_MINUTES},
	[EF_P_FOLLOWUP_GRACE_DAYS] = {"followup_grace_days", "days", PK_DAYS},
	[EF_P_REGISTRY_TRACK] = {"registry_track", "track", PK_TRACK},
	[EF_P_LIVE_MIN_MONTHS_CT] = {"live_min_months_after_cellular_therapy", "months", PK_MONTHS},
};

static const char *const track_s[EF_TRACK_COUNT] = {"crf", "ted"};

const char *ef_track_str(enum ef_track t)
{
	return (unsigned)t < EF_TRACK_COUNT ? track_s[t] : "";
}

static int parse_track(const char *s, enum ef_track *out)
{
	for (int t = 0; t < EF_TRACK_COUNT; t++) {
		if (strcmp(s, track_s[t]) == 0) {
			*out = (enum ef_track)t;
			return 0;
		}
	}
	return -1;
}

const char *ef_param_key(enum ef_param p)
{
	return (unsigned)p < EF_P_COUNT ? params[p].key : "";
}

const char *ef_param_unit(enum ef_param p)
{
	return (unsigned)p < EF_P_COUNT ? params[p].unit : "";
}

/* Validity ranges (sanity limits on what a site may write, not defaults). */
#define MAX_RUN 30
#define MAX_DAYS 36525
#define MAX_MONTHS 1200
#define MAX_IDLE_MINUTES 480 /* 8 hours: a longer idle time is no automatic logoff */
#define MAX_AGE 150

/* ---- cell parsers ----------------------------------------------------- */

static const char *cell(const char *const *v, int i)
{
	return v[i] ? v[i] : "";
}

static int empty(const char *s)
{
	return s[0] == '\0';
}

/* Non-negative integer in [lo, hi], digits only. */
static int parse_int(const char *s, int lo, int hi, int *out)
{
	long v = 0;
	if (empty(s) || strlen(s) > 9)
		return -1;
	for (const char *p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		v = v * 10 + (*p - '0');
	}
	if (v < lo || v > hi)
		return -1;
	*out = (int)v;
	return 0;
}

/* Optional integer: empty gives -1. */
static int parse_opt_int(const char *s, int lo, int hi, int *out)
{
	if (empty(s)) {
		*out = -1;
		return 0;
	}
	return parse_int(s, lo, hi, out);
}

static int parse_flag(const char *s, int *out)
{
	return parse_int(s, 0, 1, out);
}

static int parse_positive(const char *s, double *out)
{
	double v;
	if (ef_decimal_parse(s, strlen(s), &v) || !(v > 0) || !isfinite(v))
		return -1;
	*out = v;
	return 0;
}

/* ';'-separated transplant types; empty = all. */
static int parse_types(const char *s, unsigned *out)
{
	unsigned m = 0;
	if (empty(s)) {
		*out = EF_TYPES_ALL;
		return 0;
	}
	while (*s) {
		const char *e = strchr(s, ';');
		size_t n = e ? (size_t)(e - s) : strlen(s);
		enum ef_hct_type t;
		if (ef_hct_type_parse(s, n, &t))
			return -1;
		m |= 1u << t;
		s += n;
		if (*s == ';') {
			s++;
			if (!*s)
				return -1;
		}
	}
	*out = m;
	return 0;
}

static const char *const series_codes[] = {
	"FLU", "PCV", "PPSV23", "TDAP", "HIB", "HEPB", "HEPA", "VAR",
	"IPV", "MENACWY", "MENB", "HPV", "RZV", "COVID19", "MMR",
};

int ef_series_known(const char *s, size_t len)
{
	for (size_t i = 0; i < NELEM(series_codes); i++)
		if (strlen(series_codes[i]) == len && memcmp(series_codes[i], s, len) == 0)
			return 1;
	return 0;
}

static int parse_series(const char *s, char out[EF_SERIES_LEN])
{
	if (!ef_series_known(s, strlen(s)))
		return -1;
	strcpy(out, s);
	return 0;
}

static int parse_test(const char *s, enum ef_test *out)
{
	return ef_test_parse(s, strlen(s), out);
}

#define BAD(col, ...) ef_errf(err, EF_INVALID, col ": " __VA_ARGS__)

/* ---- growable arrays -------------------------------------------------- */

static int grow(void **arr, size_t *cap, size_t n, size_t size, struct ef_err *err)
{
	if (n < *cap)
		return EF_OK;
	size_t nc = *cap ? *cap * 2 : 16;
	void *p = realloc(*arr, nc * size);
	if (!p)
		return ef_errf(err, EF_DB, "out of memory");
	*arr = p;
	*cap = nc;
	return EF_OK;
}

/* ---- rows -------------------------------------------------------------- */

static int add_param(struct ef_reference *ref, const char *const *v, struct ef_err *err)
{
	const char *key = cell(v, PC_KEY), *val = cell(v, PC_VALUE), *unit = cell(v, PC_UNIT);
	int p = -1;
	for (int i = 0; i < EF_P_COUNT; i++)
		if (strcmp(key, params[i].key) == 0)
			p = i;
	if (p < 0)
		return BAD("key", "unknown parameter '%s'", key);
	if (ref->have[p])
		return BAD("key", "parameter '%s' given twice", key);
	if (strcmp(unit, params[p].unit) != 0)
		return BAD("unit", "%s is in '%s', not '%s'", key, params[p].unit, unit);
	if (empty(cell(v, PC_SOURCE)))
		return BAD("source", "%s needs a source", key);
	double d = 0;
	int i = 0;
	switch (params[p].kind) {
	case PK_POS:
		if (parse_positive(val, &d))
			return BAD("value", "%s must be a number > 0, not '%s'", key, val);
		break;
	case PK_COUNT:
		if (parse_int(val, 1, MAX_RUN, &i))
			return BAD("value", "%s must be a whole number 1-%d, not '%s'", key, MAX_RUN, val);
		d = i;
		break;
	case PK_DAY:
	case PK_DAYS:
		if (parse_int(val, 0, MAX_DAYS, &i))
			return BAD("value", "%s must be a whole number of days 0-%d, not '%s'", key, MAX_DAYS, val);
		d = i;
		break;
	case PK_MONTHS:
		if (parse_int(val, 0, MAX_MONTHS, &i))
			return BAD("value", "%s must be a whole number of months 0-%d, not '%s'", key, MAX_MONTHS, val);
		d = i;
		break;
	case PK_MINUTES:
		if (parse_int(val, 1, MAX_IDLE_MINUTES, &i))
			return BAD("value", "%s must be a whole number of minutes 1-%d, not '%s'", key, MAX_IDLE_MINUTES,
				   val);
		d = i;
		break;
	case PK_GRADE: {
		enum ef_agvhd_grade g;
		if (ef_agvhd_grade_parse(val, &g) || g == EF_AGVHD_0)
			return BAD("value", "%s must be a grade I-IV, not '%s'", key, val);
		d = g;
		break;
	}
	case PK_SEVERITY: {
		enum ef_cgvhd_severity s;
		if (ef_cgvhd_severity_parse(val, &s) || s == EF_CGVHD_NONE)
			return BAD("value", "%s must be mild, moderate or severe, not '%s'", key, val);
		d = s;
		break;
	}
	case PK_RULE:
		if (strcmp(val, "clamp") == 0)
			ref->month_rule = EF_MONTHS_CLAMP;
		else if (strcmp(val, "next_first") == 0)
			ref->month_rule = EF_MONTHS_NEXT_FIRST;
		else
			return BAD("value", "%s must be clamp or next_first, not '%s'", key, val);
		d = ref->month_rule;
		break;
	case PK_TRACK: {
		enum ef_track t;
		if (parse_track(val, &t))
			return BAD("value", "%s must be crf or ted, not '%s'", key, val);
		d = t;
		break;
	}
	}
	ref->param[p] = d;
	ref->have[p] = 1;
	return EF_OK;
}

static int add_vaccine_rule(struct ef_reference *ref, const char *const *v, struct ef_err *err)
{
	struct ef_vaccine_rule r;
	memset(&r, 0, sizeof r);
	const char *cond = cell(v, VC_CONDITION);
	if (parse_series(cell(v, VC_SERIES), r.series))
		return BAD("series", "unknown series '%s'", cell(v, VC_SERIES));
	if (parse_int(cell(v, VC_DOSE), 1, 99, &r.dose))
		return BAD("dose", "must be a dose number 1-99, not '%s'", cell(v, VC_DOSE));
	if (parse_types(cell(v, VC_TYPES), &r.types))
		return BAD("transplant_types", "'%s' is not a ';'-list of autologous, allogeneic, syngeneic, cellular_therapy",
			   cell(v, VC_TYPES));
	if (parse_opt_int(cell(v, VC_START), 0, MAX_MONTHS, &r.start_months))
		return BAD("start_months", "must be a whole number of months, not '%s'", cell(v, VC_START));
	if (parse_opt_int(cell(v, VC_INT_DAYS), 1, MAX_DAYS, &r.min_interval_days))
		return BAD("min_interval_days", "must be a whole number of days >= 1, not '%s'", cell(v, VC_INT_DAYS));
	if (parse_opt_int(cell(v, VC_INT_MONTHS), 1, MAX_MONTHS, &r.min_interval_months))
		return BAD("min_interval_months", "must be a whole number of months >= 1, not '%s'",
			   cell(v, VC_INT_MONTHS));
	if (!empty(cell(v, VC_AFTER_SERIES)) && parse_series(cell(v, VC_AFTER_SERIES), r.after_series))
		return BAD("after_series", "unknown series '%s'", cell(v, VC_AFTER_SERIES));
	if (parse_opt_int(cell(v, VC_AFTER_DOSE), 0, 99, &r.after_dose))
		return BAD("after_dose", "must be a dose count, not '%s'", cell(v, VC_AFTER_DOSE));
	if (r.after_dose < 0)
		r.after_dose = 0;
	if (parse_opt_int(cell(v, VC_AFTER_DAYS), 0, MAX_DAYS, &r.after_days))
		return BAD("after_days", "must be a whole number of days, not '%s'", cell(v, VC_AFTER_DAYS));
	if (!r.after_series[0] && (r.after_dose > 0 || r.after_days >= 0))
		return BAD("after_series", "after_dose/after_days need after_series");
	if (r.after_series[0] && strcmp(r.after_series, r.series) == 0)
		return BAD("after_series", "a series cannot come after itself (use min_interval)");
	if (parse_opt_int(cell(v, VC_MIN_AGE), 0, MAX_AGE, &r.min_age_years))
		return BAD("min_age_years", "must be whole years, not '%s'", cell(v, VC_MIN_AGE));
	if (parse_opt_int(cell(v, VC_MAX_AGE), 0, MAX_AGE, &r.max_age_years))
		return BAD("max_age_years", "must be whole years, not '%s'", cell(v, VC_MAX_AGE));
	if (r.min_age_years >= 0 && r.max_age_years >= 0 && r.max_age_years < r.min_age_years)
		return BAD("max_age_years", "is below min_age_years");
	if (parse_flag(cell(v, VC_LIVE), &r.live))
		return BAD("live", "must be 0 or 1, not '%s'", cell(v, VC_LIVE));
	if (empty(cond))
		r.condition = EF_VXC_NONE;
	else if (strcmp(cond, "chronic_gvhd") == 0)
		r.condition = EF_VXC_CHRONIC_GVHD;
	else if (strcmp(cond, "no_chronic_gvhd") == 0)
		r.condition = EF_VXC_NO_CHRONIC_GVHD;
	else
		return BAD("condition", "must be empty, chronic_gvhd or no_chronic_gvhd, not '%s'", cond);
	if (empty(cell(v, VC_REPEAT)))
		r.repeat = 0;
	else if (parse_flag(cell(v, VC_REPEAT), &r.repeat))
		return BAD("repeat", "must be 0 or 1, not '%s'", cell(v, VC_REPEAT));
	if (r.dose == 1 && r.start_months < 0)
		return BAD("start_months", "dose 1 of %s needs start_months", r.series);
	if (r.dose > 1 && r.start_months < 0 && r.min_interval_days < 0 && r.min_interval_months < 0 &&
	    !r.after_series[0])
		return BAD("min_interval_days", "%s dose %d needs an interval or a start", r.series, r.dose);
	if (empty(cell(v, VC_SOURCE)))
		return BAD("source", "%s dose %d needs a source", r.series, r.dose);
	for (size_t i = 0; i < ref->n_rules; i++) {
		const struct ef_vaccine_rule *o = &ref->rules[i];
		if (strcmp(o->series, r.series) == 0 && o->dose == r.dose && (o->types & r.types))
			return BAD("dose", "%s dose %d given twice for the same transplant type", r.series,
				   r.dose);
	}
	int rc = grow((void **)&ref->rules, &ref->cap_rules, ref->n_rules, sizeof r, err);
	if (rc)
		return rc;
	ref->rules[ref->n_rules++] = r;
	return EF_OK;
}

static int parse_cmp(const char *s, enum ef_cmp *out)
{
	static const char *const names[] = {">=", ">", "<=", "<"};
	for (int i = 0; i < 4; i++) {
		if (strcmp(s, names[i]) == 0) {
			*out = (enum ef_cmp)i;
			return 0;
		}
	}
	return -1;
}

static int valid_id(const char *s, size_t max)
{
	size_t n = strlen(s);
	if (n == 0 || n >= max)
		return 0;
	for (; *s; s++) {
		char c = *s;
		if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return 0;
	}
	return 1;
}

static int add_milestone(struct ef_reference *ref, const char *const *v, struct ef_err *err)
{
	struct ef_milestone m;
	memset(&m, 0, sizeof m);
	const char *id = cell(v, MC_ID), *desc = cell(v, MC_DESC);
	if (!valid_id(id, sizeof m.id))
		return BAD("id", "'%s' must be 1-31 of A-Z, 0-9, '-', '_'", id);
	strcpy(m.id, id);
	if (parse_test(cell(v, MC_TEST), &m.test))
		return BAD("test", "unknown test '%s'", cell(v, MC_TEST));
	if (parse_cmp(cell(v, MC_CMP), &m.cmp))
		return BAD("comparator", "must be >=, >, <= or <, not '%s'", cell(v, MC_CMP));
	if (parse_positive(cell(v, MC_THR), &m.threshold))
		return BAD("threshold", "must be a number > 0, not '%s'", cell(v, MC_THR));
	if (parse_int(cell(v, MC_START), 0, MAX_DAYS, &m.window_start))
		return BAD("window_start_day", "must be a day number, not '%s'", cell(v, MC_START));
	if (parse_int(cell(v, MC_END), 0, MAX_DAYS, &m.window_end))
		return BAD("window_end_day", "must be a day number, not '%s'", cell(v, MC_END));
	if (m.window_end < m.window_start)
		return BAD("window_end_day", "%s window ends before it starts", id);
	if (parse_types(cell(v, MC_TYPES), &m.types))
		return BAD("transplant_types", "'%s' is not a ';'-list of autologous, allogeneic, syngeneic, cellular_therapy",
			   cell(v, MC_TYPES));
	if (empty(desc) || strlen(desc) >= sizeof m.description)
		return BAD("description", "%s needs a description of 1-%zu bytes", id, sizeof m.description - 1);
	strcpy(m.description, desc);
	if (empty(cell(v, MC_SOURCE)))
		return BAD("source", "%s needs a source", id);
	for (size_t i = 0; i < ref->n_milestones; i++)
		if (strcmp(ref->milestones[i].id, m.id) == 0)
			return BAD("id", "milestone '%s' given twice", id);
	int rc = grow((void **)&ref->milestones, &ref->cap_milestones, ref->n_milestones, sizeof m, err);
	if (rc)
		return rc;
	ref->milestones[ref->n_milestones++] = m;
	return EF_OK;
}

static int add_monitor(struct ef_reference *ref, const char *const *v, struct ef_err *err)
{
	struct ef_monitor m;
	memset(&m, 0, sizeof m);
	if (parse_test(cell(v, OC_TEST), &m.test))
		return BAD("test", "unknown test '%s'", cell(v, OC_TEST));
	if (parse_int(cell(v, OC_FROM), 0, MAX_DAYS, &m.from_day))
		return BAD("from_day", "must be a day number, not '%s'", cell(v, OC_FROM));
	if (parse_opt_int(cell(v, OC_TO), 0, MAX_DAYS, &m.to_day))
		return BAD("to_day", "must be a day number or empty, not '%s'", cell(v, OC_TO));
	if (m.to_day >= 0 && m.to_day < m.from_day)
		return BAD("to_day", "is before from_day");
	if (parse_int(cell(v, OC_INTERVAL), 1, MAX_DAYS, &m.max_interval_days))
		return BAD("max_interval_days", "must be a whole number of days >= 1, not '%s'",
			   cell(v, OC_INTERVAL));
	if (parse_types(cell(v, OC_TYPES), &m.types))
		return BAD("transplant_types", "'%s' is not a ';'-list of autologous, allogeneic, syngeneic, cellular_therapy",
			   cell(v, OC_TYPES));
	if (empty(cell(v, OC_SOURCE)))
		return BAD("source", "%s row needs a source", ef_test_code(m.test));
	int rc = grow((void **)&ref->monitors, &ref->cap_monitors, ref->n_monitors, sizeof m, err);
	if (rc)
		return rc;
	ref->monitors[ref->n_monitors++] = m;
	return EF_OK;
}

static int add_cvx(struct ef_reference *ref, const char *const *v, struct ef_err *err)
{
	struct ef_cvx x;
	memset(&x, 0, sizeof x);
	const char *code = cell(v, XC_CVX);
	size_t n = strlen(code);
	if (n == 0 || n >= sizeof x.cvx || strspn(code, "0123456789") != n)
		return BAD("cvx", "'%s' is not a CVX code (1-7 digits)", code);
	strcpy(x.cvx, code);
	if (parse_series(cell(v, XC_SERIES), x.series))
		return BAD("series", "unknown series '%s'", cell(v, XC_SERIES));
	if (parse_flag(cell(v, XC_LIVE), &x.live))
		return BAD("live", "must be 0 or 1, not '%s'", cell(v, XC_LIVE));
	for (size_t i = 0; i < ref->n_cvx; i++)
		if (strcmp(ref->cvx[i].cvx, x.cvx) == 0 && strcmp(ref->cvx[i].series, x.series) == 0)
			return BAD("cvx", "%s -> %s given twice", x.cvx, x.series);
	int rc = grow((void **)&ref->cvx, &ref->cap_cvx, ref->n_cvx, sizeof x, err);
	if (rc)
		return rc;
	ref->cvx[ref->n_cvx++] = x;
	return EF_OK;
}

/* Limits in the order they must keep where present (low to high). */
static const enum ef_lab_limit lim_order[EF_LIM_COUNT] = {
	EF_LIM_PLAUSIBLE_MIN, EF_LIM_CRITICAL_LOW, EF_LIM_REF_LOW,
	EF_LIM_REF_HIGH,      EF_LIM_CRITICAL_HIGH, EF_LIM_PLAUSIBLE_MAX,
};

static int add_lab_test(struct ef_reference *ref, const char *const *v, struct ef_err *err)
{
	enum ef_test t;
	const char *code = cell(v, LC_TEST);
	if (parse_test(code, &t))
		return BAD("test", "unknown test '%s' (ANC, ALC, WBC, HGB, PLT, CD3, CD4, CD8, CD19, NK, IGG, IGA, "
				   "IGM, BILI, CREAT)", code);
	if (ref->lab[t].present)
		return BAD("test", "%s given twice", code);
	struct ef_lab_limits l;
	memset(&l, 0, sizeof l);
	for (int i = 0; i < EF_LIM_COUNT; i++) {
		const char *s = cell(v, LC_LIMIT0 + i);
		if (empty(s))
			continue;
		if (ef_decimal_parse(s, strlen(s), &l.v[i]))
			return ef_errf(err, EF_INVALID, "%s: %s must be a plain decimal >= 0 in %s or empty, not '%s'",
				       lab_cols[LC_LIMIT0 + i].name, code, ef_test_canonical_unit(t), s);
		l.have[i] = 1;
	}
	/* present limits keep their order: each one against the next present */
	for (int i = 0; i < EF_LIM_COUNT; i++) {
		enum ef_lab_limit a = lim_order[i];
		if (!l.have[a])
			continue;
		for (int j = i + 1; j < EF_LIM_COUNT; j++) {
			enum ef_lab_limit b = lim_order[j];
			if (l.have[b] && l.v[b] < l.v[a])
				return ef_errf(err, EF_INVALID, "%s: %s %s is above %s %s (%s)",
					       lab_cols[LC_LIMIT0 + a].name, code, cell(v, LC_LIMIT0 + a),
					       lab_cols[LC_LIMIT0 + b].name, cell(v, LC_LIMIT0 + b),
					       ef_test_canonical_unit(t));
		}
	}
	if (l.have[EF_LIM_PLAUSIBLE_MIN] && l.have[EF_LIM_PLAUSIBLE_MAX] &&
	    !(l.v[EF_LIM_PLAUSIBLE_MIN] < l.v[EF_LIM_PLAUSIBLE_MAX]))
		return BAD("plausible_max", "%s must be above plausible_min", code);
	if (empty(cell(v, LC_SOURCE)))
		return BAD("source", "%s needs a source", code);
	l.present = 1;
	ref->lab[t] = l;
	ref->n_lab_tests++;
	return EF_OK;
}

int ef_loinc_valid(const char *code)
{
	size_t n = strspn(code, "0123456789");
	if (n < 1 || n > 7 || code[n] != '-' || !(code[n + 1] >= '0' && code[n + 1] <= '9') || code[n + 2])
		return 0;
	/* mod 10: from the right, every other digit doubled (starting with the
	 * rightmost), the digits of the products and the others summed */
	int sum = 0;
	for (size_t i = 0; i < n; i++) {
		int d = code[n - 1 - i] - '0';
		if (i % 2 == 0)
			d *= 2;
		sum += d / 10 + d % 10;
	}
	return (10 - sum % 10) % 10 == code[n + 1] - '0';
}

static int add_loinc(struct ef_reference *ref, const char *const *v, struct ef_err *err)
{
	struct ef_loinc x;
	const char *code = cell(v, NC_LOINC);
	if (empty(code) || !ef_loinc_valid(code))
		return BAD("loinc", "'%s' is not a LOINC code (digits, '-', the right check digit: 751-8)", code);
	strcpy(x.loinc, code);
	const char *test = cell(v, NC_TEST);
	if (parse_test(test, &x.test))
		return BAD("test", "unknown test '%s' (ANC, ALC, WBC, HGB, PLT, CD3, CD4, CD8, CD19, NK, IGG, IGA, "
				   "IGM, BILI, CREAT)", test);
	for (size_t i = 0; i < ref->n_loinc; i++)
		if (strcmp(ref->loinc[i].loinc, x.loinc) == 0)
			return BAD("loinc", "%s given twice", x.loinc);
	int rc = grow((void **)&ref->loinc, &ref->cap_loinc, ref->n_loinc, sizeof x, err);
	if (rc)
		return rc;
	ref->loinc[ref->n_loinc++] = x;
	return EF_OK;
}

int ef_reference_loinc_test(const struct ef_reference *ref, const char *code, enum ef_test *t)
{
	for (size_t i = 0; i < ref->n_loinc; i++)
		if (strcmp(ref->loinc[i].loinc, code) == 0) {
			*t = ref->loinc[i].test;
			return 0;
		}
	return -1;
}

static int in_screening(const struct ef_reference *ref, const char *item)
{
	for (size_t i = 0; i < ref->n_screening; i++)
		if (strcmp(ref->screening[i].item, item) == 0)
			return 1;
	return 0;
}

static int in_registry(const struct ef_reference *ref, const char *item)
{
	for (size_t i = 0; i < ref->n_registry; i++)
		if (strcmp(ref->registry[i].item, item) == 0)
			return 1;
	return 0;
}

static int add_screening(struct ef_reference *ref, const char *const *v, struct ef_err *err)
{
	struct ef_screening r;
	memset(&r, 0, sizeof r);
	const char *item = cell(v, SR_ITEM), *name = cell(v, SR_NAME), *applies = cell(v, SR_APPLIES);
	if (!valid_id(item, sizeof r.item))
		return BAD("item", "'%s' must be 1-%zu of A-Z, 0-9, '-', '_'", item, sizeof r.item - 1);
	strcpy(r.item, item);
	if (empty(name) || strlen(name) >= sizeof r.name)
		return BAD("name", "%s needs a name of 1-%zu bytes", item, sizeof r.name - 1);
	strcpy(r.name, name);
	if (parse_int(cell(v, SR_FIRST), 1, MAX_MONTHS, &r.first_due_months))
		return BAD("first_due_months", "must be a whole number of months >= 1, not '%s'", cell(v, SR_FIRST));
	if (parse_opt_int(cell(v, SR_INTERVAL), 1, MAX_MONTHS, &r.interval_months))
		return BAD("interval_months", "must be a whole number of months >= 1 or empty (once), not '%s'",
			   cell(v, SR_INTERVAL));
	if (strcmp(applies, "all") == 0)
		r.types = EF_TYPES_ALL;
	else if (empty(applies) || parse_types(applies, &r.types))
		return BAD("applies_to", "'%s' is not all or a ';'-list of allogeneic, autologous, syngeneic, cellular_therapy", applies);
	if (parse_opt_int(cell(v, SR_MIN_AGE), 0, MAX_AGE, &r.min_age_years))
		return BAD("min_age_years", "must be whole years, not '%s'", cell(v, SR_MIN_AGE));
	if (empty(cell(v, SR_SOURCE)))
		return BAD("source", "%s needs a source", item);
	if (in_screening(ref, item))
		return BAD("item", "'%s' given twice", item);
	if (in_registry(ref, item))
		return BAD("item", "'%s' is already a registry item", item);
	int rc = grow((void **)&ref->screening, &ref->cap_screening, ref->n_screening, sizeof r, err);
	if (rc)
		return rc;
	ref->screening[ref->n_screening++] = r;
	return EF_OK;
}

/* The name a time point at this offset has: D<days>, Y<years> or M<months>. */
void ef_time_point_name(int days, int months, char *out, size_t size)
{
	if (days >= 0)
		snprintf(out, size, "D%d", days);
	else if (months % 12 == 0)
		snprintf(out, size, "Y%d", months / 12);
	else
		snprintf(out, size, "M%d", months);
}

static int add_registry(struct ef_reference *ref, const char *const *v, struct ef_err *err)
{
	struct ef_registry_point r;
	memset(&r, 0, sizeof r);
	const char *item = cell(v, RC_ITEM), *tp = cell(v, RC_POINT);
	if (!valid_id(item, sizeof r.item))
		return BAD("item", "'%s' must be 1-%zu of A-Z, 0-9, '-', '_'", item, sizeof r.item - 1);
	strcpy(r.item, item);
	if (parse_track(cell(v, RC_TRACK), &r.track))
		return BAD("track", "must be crf or ted, not '%s'", cell(v, RC_TRACK));
	if (parse_types(cell(v, RC_TYPES), &r.types))
		return BAD("transplant_types", "'%s' is not a ';'-list of autologous, allogeneic, syngeneic, cellular_therapy",
			   cell(v, RC_TYPES));
	if (parse_opt_int(cell(v, RC_DAYS), 1, MAX_DAYS, &r.offset_days))
		return BAD("offset_days", "must be a whole number of days >= 1, not '%s'", cell(v, RC_DAYS));
	if (parse_opt_int(cell(v, RC_MONTHS), 1, MAX_MONTHS, &r.offset_months))
		return BAD("offset_months", "must be a whole number of months >= 1, not '%s'", cell(v, RC_MONTHS));
	if ((r.offset_days < 0) == (r.offset_months < 0))
		return BAD("offset_days", "%s %s needs exactly one of offset_days and offset_months", item, tp);
	char want[sizeof r.time_point];
	ef_time_point_name(r.offset_days, r.offset_months, want, sizeof want);
	if (strcmp(tp, want) != 0)
		return BAD("time_point", "'%s' does not name its offset (%s)", tp, want);
	strcpy(r.time_point, want);
	if (parse_opt_int(cell(v, RC_REPEAT), 1, MAX_MONTHS, &r.repeat_months))
		return BAD("repeat_months", "must be a whole number of months >= 1, not '%s'", cell(v, RC_REPEAT));
	if (r.repeat_months > 0 && r.offset_months < 0)
		return BAD("repeat_months", "%s %s repeats, so it needs offset_months", item, tp);
	if (empty(cell(v, RC_SOURCE)))
		return BAD("source", "%s %s needs a source", item, tp);
	if (in_screening(ref, item))
		return BAD("item", "'%s' is already a screening item", item);
	for (size_t i = 0; i < ref->n_registry; i++) {
		const struct ef_registry_point *o = &ref->registry[i];
		if (strcmp(o->item, r.item) || o->track != r.track || !(o->types & r.types))
			continue;
		if (strcmp(o->time_point, r.time_point) == 0)
			return BAD("time_point", "%s %s given twice for the same track and transplant type", item, tp);
		if (o->repeat_months > 0)
			return BAD("repeat_months", "%s: only the last time point of a track may repeat", item);
		long a = o->offset_days >= 0 ? o->offset_days : o->offset_months * 31L;
		long b = r.offset_days >= 0 ? r.offset_days : r.offset_months * 31L;
		if (b <= a || (o->offset_months >= 0 && r.offset_months >= 0 && r.offset_months <= o->offset_months))
			return BAD("time_point", "%s %s must come after %s", item, tp, o->time_point);
	}
	int rc = grow((void **)&ref->registry, &ref->cap_registry, ref->n_registry, sizeof r, err);
	if (rc)
		return rc;
	ref->registry[ref->n_registry++] = r;
	return EF_OK;
}

int ef_reference_add_row(struct ef_reference *ref, enum ef_ref_kind kind, const char *const *values,
			 struct ef_err *err)
{
	switch (kind) {
	case EF_REF_PARAMETERS:
		return add_param(ref, values, err);
	case EF_REF_VACCINE_SCHEDULE:
		return add_vaccine_rule(ref, values, err);
	case EF_REF_MILESTONES:
		return add_milestone(ref, values, err);
	case EF_REF_MONITORING:
		return add_monitor(ref, values, err);
	case EF_REF_CVX:
		return add_cvx(ref, values, err);
	case EF_REF_LAB_TESTS:
		return add_lab_test(ref, values, err);
	case EF_REF_LOINC:
		return add_loinc(ref, values, err);
	case EF_REF_SCREENING:
		return add_screening(ref, values, err);
	case EF_REF_REGISTRY_FORMS:
		return add_registry(ref, values, err);
	case EF_REF_KIND_COUNT:
		break;
	}
	return ef_errf(err, EF_INVALID, "unknown reference kind %d", (int)kind);
}

/* ---- whole-set checks ------------------------------------------------- */

static int check_series(const struct ef_reference *ref, const char *series, struct ef_err *err)
{
	for (int t = 0; t < EF_HCT_COUNT; t++) {
		int maxdose = 0, repeat_dose = 0;
		for (size_t i = 0; i < ref->n_rules; i++) {
			const struct ef_vaccine_rule *r = &ref->rules[i];
			if (strcmp(r->series, series) != 0 || !(r->types & (1u << t)))
				continue;
			if (r->dose > maxdose)
				maxdose = r->dose;
			if (r->repeat && (repeat_dose == 0 || r->dose < repeat_dose))
				repeat_dose = r->dose;
		}
		const char *tn = ef_hct_type_str((enum ef_hct_type)t);
		if (maxdose == 0)
			return ef_errf(err, EF_INVALID, "vaccine_schedule: %s has no row for %s transplants",
				       series, tn);
		for (int d = 1; d <= maxdose; d++) {
			int found = 0;
			for (size_t i = 0; i < ref->n_rules; i++)
				if (strcmp(ref->rules[i].series, series) == 0 && ref->rules[i].dose == d &&
				    (ref->rules[i].types & (1u << t)))
					found = 1;
			if (!found)
				return ef_errf(err, EF_INVALID,
					       "vaccine_schedule: %s dose %d missing for %s transplants", series, d, tn);
		}
		if (repeat_dose && repeat_dose != maxdose)
			return ef_errf(err, EF_INVALID,
				       "vaccine_schedule: %s repeat is allowed only on its last dose (%d)", series,
				       maxdose);
	}
	return EF_OK;
}

static int series_in_schedule(const struct ef_reference *ref, const char *series)
{
	for (size_t i = 0; i < ref->n_rules; i++)
		if (strcmp(ref->rules[i].series, series) == 0)
			return 1;
	return 0;
}

static int check_monitors(const struct ef_reference *ref, struct ef_err *err)
{
	for (size_t i = 0; i < ref->n_monitors; i++) {
		for (size_t j = i + 1; j < ref->n_monitors; j++) {
			const struct ef_monitor *a = &ref->monitors[i], *b = &ref->monitors[j];
			if (a->test != b->test || !(a->types & b->types))
				continue;
			long aend = a->to_day < 0 ? MAX_DAYS : a->to_day;
			long bend = b->to_day < 0 ? MAX_DAYS : b->to_day;
			if (a->from_day <= bend && b->from_day <= aend)
				return ef_errf(err, EF_INVALID, "monitoring: %s rows from day %d and %d overlap",
					       ef_test_code(a->test), a->from_day, b->from_day);
		}
	}
	return EF_OK;
}

/* Whether a vaccine is live decides the live-vaccine gate and the
 * LIVE_VACCINE_CONTRAINDICATED rule, so the flags must agree: every row of
 * a series says the same, and every CVX code counted toward a live series
 * is live (a live product may count toward a series that is not, such as
 * LAIV toward FLU). */
static int check_live(const struct ef_reference *ref, struct ef_err *err)
{
	for (size_t i = 0; i < ref->n_rules; i++) {
		const struct ef_vaccine_rule *a = &ref->rules[i];
		for (size_t j = 0; j < i; j++) {
			const struct ef_vaccine_rule *b = &ref->rules[j];
			if (strcmp(a->series, b->series) == 0 && a->live != b->live)
				return ef_errf(err, EF_INVALID,
					       "vaccine_schedule: %s dose %d has live %d but dose %d has live %d: a "
					       "series is live or not",
					       a->series, a->dose, a->live, b->dose, b->live);
		}
	}
	for (size_t i = 0; i < ref->n_cvx; i++) {
		const struct ef_cvx *x = &ref->cvx[i];
		if (!x->live && ef_reference_series_live(ref, x->series))
			return ef_errf(err, EF_INVALID,
				       "cvx: %s counts toward %s, a live series, so it must be live (1), not 0", x->cvx,
				       x->series);
	}
	return EF_OK;
}

int ef_reference_finish(struct ef_reference *ref, struct ef_err *err)
{
	for (int p = 0; p < EF_P_COUNT; p++)
		if (!ref->have[p])
			return ef_errf(err, EF_INVALID, "parameters: missing key '%s'", params[p].key);
	if (ref->n_rules == 0)
		return ef_errf(err, EF_INVALID, "vaccine_schedule: no rows");
	for (size_t i = 0; i < ref->n_rules; i++) {
		int rc = check_series(ref, ref->rules[i].series, err);
		if (rc)
			return rc;
		const char *after = ref->rules[i].after_series;
		if (after[0] && !series_in_schedule(ref, after))
			return ef_errf(err, EF_INVALID, "vaccine_schedule: %s comes after %s, which has no rows",
				       ref->rules[i].series, after);
	}
	if (ref->n_lab_tests == 0)
		return ef_errf(err, EF_INVALID,
			       "lab_tests: no rows (list at least one test; a test whose limits are all empty has none)");
	if (ref->n_loinc == 0)
		return ef_errf(err, EF_INVALID, "loinc: no rows (list at least one LOINC code)");
	if (ref->n_screening == 0)
		return ef_errf(err, EF_INVALID, "screening: no rows (list at least one screening item)");
	if (ref->n_registry == 0)
		return ef_errf(err, EF_INVALID, "registry_forms: no rows (list at least one time point)");
	/* every registry item has time points on the site's track: a track
	 * without rows would silently schedule nothing */
	const enum ef_track track = (enum ef_track)lround(ref->param[EF_P_REGISTRY_TRACK]);
	for (size_t i = 0; i < ref->n_registry; i++) {
		int found = 0;
		for (size_t j = 0; j < ref->n_registry && !found; j++)
			found = strcmp(ref->registry[j].item, ref->registry[i].item) == 0 && ref->registry[j].track == track;
		if (!found)
			return ef_errf(err, EF_INVALID,
				       "registry_forms: %s has no time points on the track %s (parameter registry_track)",
				       ref->registry[i].item, ef_track_str(track));
	}
	int rc = check_live(ref, err);
	return rc ? rc : check_monitors(ref, err);
}

/* ---- lifecycle and lookups -------------------------------------------- */

void ef_reference_init(struct ef_reference *ref)
{
	memset(ref, 0, sizeof *ref);
}

void ef_reference_free(struct ef_reference *ref)
{
	free(ref->rules);
	free(ref->milestones);
	free(ref->monitors);
	free(ref->cvx);
	free(ref->loinc);
	free(ref->screening);
	free(ref->registry);
	ef_reference_init(ref);
}

int ef_reference_series_live(const struct ef_reference *ref, const char *series)
{
	for (size_t i = 0; i < ref->n_rules; i++)
		if (ref->rules[i].live && strcmp(ref->rules[i].series, series) == 0)
			return 1;
	return 0;
}

size_t ef_reference_vaccine_series(const struct ef_reference *ref, const char *vaccine,
				   const char **series, int *live, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < NELEM(series_codes); i++) {
		if (strcmp(series_codes[i], vaccine) == 0) {
			if (max > 0) {
				series[0] = series_codes[i];
				live[0] = ef_reference_series_live(ref, vaccine);
			}
			return 1;
		}
	}
	/* CVX codes compare without leading zeros ("03" == "3"). */
	while (vaccine[0] == '0' && vaccine[1])
		vaccine++;
	for (size_t i = 0; i < ref->n_cvx; i++) {
		const char *c = ref->cvx[i].cvx;
		while (c[0] == '0' && c[1])
			c++;
		if (strcmp(c, vaccine) != 0)
			continue;
		if (n < max) {
			series[n] = ref->cvx[i].series;
			live[n] = ref->cvx[i].live;
		}
		n++;
	}
	return n < max ? n : max;
}

double ef_ref_num(const struct ef_reference *ref, enum ef_param p)
{
	return ref->param[p];
}

int ef_ref_int(const struct ef_reference *ref, enum ef_param p)
{
	return (int)lround(ref->param[p]);
}

ef_day ef_ref_add_months(const struct ef_reference *ref, ef_day day, int months)
{
	return ef_add_months(day, months, ref->month_rule);
}
