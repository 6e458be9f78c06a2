/* rules.c - every rule of docs/clinical-rules.md s.14.1 as a pure function of the
 * timeline (see rules.h for subjects and conditions). */
#include "engraft/rules.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engraft/engraftment.h"
#include "engraft/followup.h"
#include "engraft/gvhd.h"
#include "engraft/milestones.h"
#include "engraft/vaccines.h"
#include "engraft/vital.h"
#include "internal.h"

static const struct {
	const char *id;
	enum ef_severity severity;
} rules[EF_RULE_COUNT] = {
	[EF_RULE_NEUTROPHIL_ENGRAFTMENT_MISSED] = {"NEUTROPHIL_ENGRAFTMENT_MISSED", EF_SEV_CRITICAL},
	[EF_RULE_PLATELET_ENGRAFTMENT_DELAYED] = {"PLATELET_ENGRAFTMENT_DELAYED", EF_SEV_WARNING},
	[EF_RULE_SECONDARY_GRAFT_FAILURE] = {"SECONDARY_GRAFT_FAILURE", EF_SEV_CRITICAL},
	[EF_RULE_IMMUNE_MILESTONE_MISSED] = {"IMMUNE_MILESTONE_MISSED", EF_SEV_WARNING},
	[EF_RULE_IGG_LOW] = {"IGG_LOW", EF_SEV_WARNING},
	[EF_RULE_LAB_MONITORING_OVERDUE] = {"LAB_MONITORING_OVERDUE", EF_SEV_WARNING},
	[EF_RULE_VACCINE_DUE] = {"VACCINE_DUE", EF_SEV_INFO},
	[EF_RULE_VACCINE_OVERDUE] = {"VACCINE_OVERDUE", EF_SEV_WARNING},
	[EF_RULE_LIVE_VACCINE_CONTRAINDICATED] = {"LIVE_VACCINE_CONTRAINDICATED", EF_SEV_CRITICAL},
	[EF_RULE_GVHD_SEVERE] = {"GVHD_SEVERE", EF_SEV_CRITICAL},
	[EF_RULE_FOLLOWUP_OVERDUE] = {"FOLLOWUP_OVERDUE", EF_SEV_WARNING},
};

static const char *const severities[] = {"critical", "warning", "info"};

const char *ef_rule_id(enum ef_rule r)
{
	return (unsigned)r < EF_RULE_COUNT ? rules[r].id : "";
}

int ef_rule_parse(const char *s, enum ef_rule *out)
{
	for (int i = 0; i < EF_RULE_COUNT; i++) {
		if (strcmp(s, rules[i].id) == 0) {
			*out = (enum ef_rule)i;
			return 0;
		}
	}
	return -1;
}

enum ef_severity ef_rule_severity(enum ef_rule r)
{
	return (unsigned)r < EF_RULE_COUNT ? rules[r].severity : EF_SEV_INFO;
}

const char *ef_severity_str(enum ef_severity s)
{
	return (unsigned)s < 3 ? severities[s] : "";
}

int ef_severity_parse(const char *s, enum ef_severity *out)
{
	for (int i = 0; i < 3; i++) {
		if (strcmp(s, severities[i]) == 0) {
			*out = (enum ef_severity)i;
			return 0;
		}
	}
	return -1;
}

void ef_findings_init(struct ef_findings *f)
{
	memset(f, 0, sizeof *f);
	f->next_change = EF_DAY_NEVER;
}

void ef_findings_free(struct ef_findings *f)
{
	free(f->v);
	ef_findings_init(f);
}

/* ---- output helpers ------------------------------------------------------ */

struct ctx {
	const struct ef_timeline *tl;
	const struct ef_reference *ref;
	const struct ef_transplant *tp; /* NULL: no transplant on or before as_of */
	ef_day as_of;
	struct ef_findings *out;
	struct ef_err *err;
};

#if defined(__GNUC__)
__attribute__((format(printf, 5, 6)))
#endif
static int emit(struct ctx *c, enum ef_rule rule, const char *subject, ef_day due_on, const char *fmt, ...)
{
	struct ef_findings *f = c->out;
	if (f->n == f->cap) {
		size_t nc = f->cap ? f->cap * 2 : 16;
		struct ef_finding *p = realloc(f->v, nc * sizeof *p);
		if (!p)
			return ef_errf(c->err, EF_DB, "out of memory");
		f->v = p;
		f->cap = nc;
	}
	struct ef_finding *x = &f->v[f->n++];
	memset(x, 0, sizeof *x);
	x->rule = rule;
	x->severity = rules[rule].severity;
	snprintf(x->subject, sizeof x->subject, "%s", subject);
	x->due_on = due_on;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(x->message, sizeof x->message, fmt, ap);
	va_end(ap);
	return EF_OK;
}

/* Unit as people write it: "x10^9/L" for counts. */
static const char *shown_unit(enum ef_test t)
{
	const char *u = ef_test_canonical_unit(t);
	return strcmp(u, "10*9/L") == 0 ? "x10^9/L" : u;
}

/* ---- engraftment rules --------------------------------------------------- */

static int engraftment_rules(struct ctx *c)
{
	struct ef_engraftment e;
	int rc = ef_engraftment_eval(c->tl, c->tp, c->ref, c->as_of, &e, c->err);
	if (rc)
		return rc;
	char subj[11], d[11];
	ef_date_format(c->tp->day0, subj);
	ef_until(&c->out->next_change, c->as_of, e.next_change); /* a deadline passes */
	if (e.status == EF_ENGRAFT_GRAFT_FAILURE) {
		ef_date_format(e.anc_deadline, d);
		rc = emit(c, EF_RULE_NEUTROPHIL_ENGRAFTMENT_MISSED, subj, e.anc_deadline,
			  "no ANC >= %g %s by day +%d (%s)", e.anc.threshold, shown_unit(EF_T_ANC),
			  (int)(e.anc_deadline - e.day0), d);
		if (rc)
			return rc;
	}
	if (e.plt_status == EF_PLT_DELAYED) {
		ef_date_format(e.plt_deadline, d);
		rc = emit(c, EF_RULE_PLATELET_ENGRAFTMENT_DELAYED, subj, e.plt_deadline,
			  "no platelet engraftment (PLT >= %g %s) by day +%d (%s)", e.plt.threshold,
			  shown_unit(EF_T_PLT), (int)(e.plt_deadline - e.day0), d);
		if (rc)
			return rc;
	}
	if (e.secondary_failure != EF_NO_DAY) {
		ef_date_format(e.secondary_failure, d);
		rc = emit(c, EF_RULE_SECONDARY_GRAFT_FAILURE, subj, e.secondary_failure,
			  "%d consecutive ANC < %g %s after engraftment from day +%d (%s): possible secondary "
			  "graft failure, review",
			  ef_ref_int(c->ref, EF_P_SGF_RUN), e.anc.threshold, shown_unit(EF_T_ANC),
			  (int)(e.secondary_failure - e.day0), d);
	}
	return rc;
}

/* ---- immune milestones ----------------------------------------------------- */

static int milestone(struct ctx *c, const struct ef_milestone *m)
{
	struct ef_ms_status ms;
	int rc = ef_milestone_eval(c->tl, c->tp, m, c->as_of, &ms, c->err);
	if (rc == EF_OK && ms.state == EF_MS_PENDING) /* missed once the window closes */
		ef_until(&c->out->next_change, c->as_of, ms.hi + 1);
	if (rc || ms.state != EF_MS_MISSED)
		return rc;
	char d1[11], d2[11], val[32];
	const char *code = ef_test_code(m->test);
	if (ms.day == EF_NO_DAY) {
		ef_date_format(ms.lo, d1);
		ef_date_format(ms.hi, d2);
		return emit(c, EF_RULE_IMMUNE_MILESTONE_MISSED, m->id, ms.hi, "no %s result in day +%d..+%d (%s..%s); %s",
			    code, m->window_start, m->window_end, d1, d2, m->description);
	}
	ef_date_format(ms.day, d1);
	ef_format_value(val, sizeof val, ms.qual, ms.value);
	return emit(c, EF_RULE_IMMUNE_MILESTONE_MISSED, m->id, ms.day,
		    "%s %s %s on day +%d (%s)%s; expected %s %g in day +%d..+%d", code, val,
		    ef_test_canonical_unit(m->test), (int)(ms.day - c->tp->day0), d1,
		    ms.undecidable ? ", undecidable" : "", ef_cmp_str(m->cmp), m->threshold, m->window_start,
		    m->window_end);
}

/* ---- IgG -------------------------------------------------------------------- */

static int igg_low(struct ctx *c)
{
	double thr = ef_ref_num(c->ref, EF_P_IGG_LOW);
	struct ef_dayval *v;
	size_t n;
	int rc = ef_day_series(c->tl, EF_T_IGG, c->tp->day0, c->as_of, thr, &v, &n, c->err);
	if (rc || n == 0)
		return rc;
	struct ef_dayval last = v[n - 1];
	free(v);
	if (last.ge == 1)
		return EF_OK;
	int window = ef_ref_int(c->ref, EF_P_IVIG_CONFOUND_DAYS);
	for (size_t i = 0; i < c->tl->n_ivig; i++) {
		ef_day gap = last.day - c->tl->ivig[i].day;
		if (gap >= 0 && gap <= window)
			return EF_OK; /* IVIG-confounded */
	}
	char d[11], val[32];
	ef_date_format(last.day, d);
	ef_format_value(val, sizeof val, last.qual, last.value);
	return emit(c, EF_RULE_IGG_LOW, "IGG", last.day, "IgG %s %s on %s %s %g%s", val,
		    ef_test_canonical_unit(EF_T_IGG), d, last.ge == 0 ? "<" : "may be <", thr,
		    last.ge == 0 ? "" : " (undecidable)");
}

/* ---- lab monitoring -------------------------------------------------------------- */

static ef_day latest_lab(const struct ef_timeline *tl, enum ef_test t, ef_day lo, ef_day hi)
{
	ef_day best = EF_NO_DAY;
	for (size_t i = 0; i < tl->n_labs; i++)
		if (tl->labs[i].test == t && tl->labs[i].day >= lo && tl->labs[i].day <= hi &&
		    tl->labs[i].day > best)
			best = tl->labs[i].day;
	return best;
}

static int monitoring(struct ctx *c, const struct ef_monitor *m)
{
	ef_day day0 = c->tp->day0, from = day0 + m->from_day;
	if (!(m->types & (1u << c->tp->type)))
		return EF_OK;
	ef_day last = latest_lab(c->tl, m->test, day0, c->as_of);
	ef_day anchor = last > from ? last : from;
	ef_day due = anchor + m->max_interval_days;
	/* overdue from due + 1 (due >= from) to the window's last day */
	if (m->to_day < 0 || due < day0 + m->to_day) {
		ef_until(&c->out->next_change, c->as_of, due + 1);
		if (m->to_day >= 0)
			ef_until(&c->out->next_change, c->as_of, day0 + m->to_day + 1);
	}
	if (c->as_of < from || (m->to_day >= 0 && c->as_of > day0 + m->to_day) || c->as_of <= due)
		return EF_OK;
	char d[11], l[11], span[40];
	ef_date_format(due, d);
	ef_date_format(last, l);
	if (m->to_day >= 0)
		snprintf(span, sizeof span, "day +%d..+%d", m->from_day, m->to_day);
	else
		snprintf(span, sizeof span, "from day +%d", m->from_day);
	const char *code = ef_test_code(m->test);
	if (last == EF_NO_DAY)
		return emit(c, EF_RULE_LAB_MONITORING_OVERDUE, code, due,
			    "%s due %s: no result since day 0 (every %d days, %s)", code, d,
			    m->max_interval_days, span);
	return emit(c, EF_RULE_LAB_MONITORING_OVERDUE, code, due, "%s due %s: last result %s (every %d days, %s)",
		    code, d, l, m->max_interval_days, span);
}

/* ---- vaccines --------------------------------------------------------------------- */

static int vaccine_due(struct ctx *c)
{
	struct ef_due_list l;
	ef_due_list_init(&l);
	ef_day shown;
	int rc = ef_vaccines_forecast_shown(c->tl, c->ref, c->as_of, &l, &shown, c->err);
	ef_until(&c->out->next_change, c->as_of, shown);
	for (size_t i = 0; rc == EF_OK && i < l.n; i++) {
		const struct ef_due *e = &l.v[i];
		char subj[EF_SUBJECT_LEN], d[11];
		snprintf(subj, sizeof subj, "%s:%d", e->series, e->dose);
		ef_date_format(e->due_on, d);
		if (e->status == EF_DUE_DUE)
			rc = emit(c, EF_RULE_VACCINE_DUE, subj, e->due_on, "%s dose %d due since %s (%s)", e->series,
				  e->dose, d, e->reason);
		else if (e->status == EF_DUE_OVERDUE)
			rc = emit(c, EF_RULE_VACCINE_OVERDUE, subj, e->due_on,
				  "%s dose %d overdue: due since %s (%s)", e->series, e->dose, d, e->reason);
	}
	ef_due_list_free(&l);
	return rc;
}

/* ---- the follow-up calendar ------------------------------------------------------- */

static int followup_overdue(struct ctx *c)
{
	struct ef_fu_list l;
	ef_fu_list_init(&l);
	ef_day shown;
	int rc = ef_followup_calendar_shown(c->tl, c->ref, c->as_of, &l, &shown, c->err);
	ef_until(&c->out->next_change, c->as_of, shown);
	for (size_t i = 0; rc == EF_OK && i < l.n; i++) {
		const struct ef_fu_entry *e = &l.v[i];
		if (e->status != EF_FU_OVERDUE)
			continue;
		char subj[EF_ITEM_LEN + 16], d[11];
		/* item <= 23 bytes, a time point <= 6 (D36525): it fits, never cut */
		if ((size_t)snprintf(subj, sizeof subj, "%s:%s", e->item, e->time_point) >= EF_SUBJECT_LEN) {
			rc = ef_errf(c->err, EF_DB, "follow-up subject %s too long", subj);
			break;
		}
		ef_date_format(e->due_on, d);
		rc = emit(c, EF_RULE_FOLLOWUP_OVERDUE, subj, e->due_on, "%s %s overdue: due since %s (%s)", e->item,
			  e->time_point, d, e->reason);
	}
	ef_fu_list_free(&l);
	return rc;
}

/* The override reason recorded with a dose of `series` on `day` ("" if none). */
static const char *override_on(const struct ctx *c, const char *series, ef_day day)
{
	for (size_t i = 0; i < c->tl->n_doses; i++) {
		const struct ef_dose *d = &c->tl->doses[i];
		if (d->day == day && d->override_reason[0] && strcmp(d->series, series) == 0)
			return d->override_reason;
	}
	return "";
}

/* Was any dose of `series` on `day` a live product? */
static int live_on(const struct ctx *c, const char *series, ef_day day)
{
	if (ef_reference_series_live(c->ref, series))
		return 1;
	for (size_t i = 0; i < c->tl->n_doses; i++) {
		const struct ef_dose *d = &c->tl->doses[i];
		if (d->live && d->day == day && strcmp(d->series, series) == 0)
			return 1;
	}
	return 0;
}

static int live_series(struct ctx *c, const char *series)
{
	ef_day *days;
	size_t n;
	int rc = ef_series_doses(c->tl, c->tp, series, c->as_of, &days, &n, c->err);
	for (size_t i = 0; rc == EF_OK && i < n; i++) {
		if (!live_on(c, series, days[i]))
			continue;
		struct ef_live_gate g;
		ef_live_gate_eval(c->tl, c->tp, c->ref, days[i], &g);
		if (g.open)
			continue;
		char subj[EF_SUBJECT_LEN], d[11];
		snprintf(subj, sizeof subj, "%s:%d", series, (int)(i + 1));
		ef_date_format(days[i], d);
		const char *why = override_on(c, series, days[i]);
		rc = emit(c, EF_RULE_LIVE_VACCINE_CONTRAINDICATED, subj, days[i],
			  "%s dose %zu (live) given %s while live vaccines were contraindicated: %s%s%s%s", series,
			  i + 1, d, g.reason, why[0] ? " (given with override: " : "", why, why[0] ? ")" : "");
	}
	free(days);
	return rc;
}

static int live_contraindicated(struct ctx *c)
{
	/* Every distinct series among the recorded doses. */
	for (size_t i = 0; i < c->tl->n_doses; i++) {
		const char *s = c->tl->doses[i].series;
		int seen = 0;
		for (size_t j = 0; j < i && !seen; j++)
			seen = strcmp(c->tl->doses[j].series, s) == 0;
		if (seen)
			continue;
		int rc = live_series(c, s);
		if (rc)
			return rc;
	}
	return EF_OK;
}

/* ---- GVHD ---------------------------------------------------------------------------- */

const struct ef_gvhd_acute *ef_latest_acute(const struct ef_timeline *tl, ef_day as_of)
{
	const struct ef_gvhd_acute *a = NULL;
	for (size_t i = 0; i < tl->n_acute; i++)
		if ((as_of == EF_NO_DAY || tl->acute[i].day <= as_of) && (!a || tl->acute[i].day > a->day))
			a = &tl->acute[i];
	return a;
}

const struct ef_gvhd_chronic *ef_latest_chronic(const struct ef_timeline *tl, ef_day as_of)
{
	const struct ef_gvhd_chronic *ch = NULL;
	for (size_t i = 0; i < tl->n_chronic; i++)
		if ((as_of == EF_NO_DAY || tl->chronic[i].day <= as_of) && (!ch || tl->chronic[i].day > ch->day))
			ch = &tl->chronic[i];
	return ch;
}

enum ef_gvhd_class ef_agvhd_class(const struct ef_reference *ref, enum ef_agvhd_grade g)
{
	if ((int)g >= ef_ref_int(ref, EF_P_SEVERE_ACUTE_GRADE))
		return EF_GVHD_SEVERE;
	return g >= EF_AGVHD_I ? EF_GVHD_PRESENT : EF_GVHD_NONE;
}

enum ef_gvhd_class ef_cgvhd_class(const struct ef_reference *ref, enum ef_cgvhd_severity s)
{
	if ((int)s >= ef_ref_int(ref, EF_P_SEVERE_CHRONIC_SEVERITY))
		return EF_GVHD_SEVERE;
	return s >= EF_CGVHD_MILD ? EF_GVHD_PRESENT : EF_GVHD_NONE;
}

static int gvhd_severe(struct ctx *c)
{
	const struct ef_gvhd_acute *a = ef_latest_acute(c->tl, c->as_of);
	const struct ef_gvhd_chronic *ch = ef_latest_chronic(c->tl, c->as_of);
	if (a && ef_agvhd_class(c->ref, ef_agvhd_grade_of(a)) != EF_GVHD_SEVERE)
		a = NULL;
	if (ch && ef_cgvhd_class(c->ref, ef_cgvhd_severity_of(ch)) != EF_GVHD_SEVERE)
		ch = NULL;
	char da[11], dc[11];
	int rc = EF_OK;
	if (a)
		ef_date_format(a->day, da);
	if (ch)
		ef_date_format(ch->day, dc);
	if (a && ch && a->day == ch->day)
		return emit(c, EF_RULE_GVHD_SEVERE, da, a->day, "acute GVHD grade %s and chronic GVHD %s on %s",
			    ef_agvhd_grade_str(ef_agvhd_grade_of(a)), ef_cgvhd_severity_str(ef_cgvhd_severity_of(ch)),
			    da);
	if (a)
		rc = emit(c, EF_RULE_GVHD_SEVERE, da, a->day, "acute GVHD grade %s on %s",
			  ef_agvhd_grade_str(ef_agvhd_grade_of(a)), da);
	if (ch && rc == EF_OK)
		rc = emit(c, EF_RULE_GVHD_SEVERE, dc, ch->day, "chronic GVHD %s on %s",
			  ef_cgvhd_severity_str(ef_cgvhd_severity_of(ch)), dc);
	return rc;
}

/* ---- entry point ------------------------------------------------------------------------ */

static int cmp_finding(const void *a, const void *b)
{
	const struct ef_finding *x = a, *y = b;
	if (x->rule != y->rule)
		return x->rule < y->rule ? -1 : 1;
	return strcmp(x->subject, y->subject);
}

static int transplant_rules(struct ctx *c)
{
	int rc = engraftment_rules(c);
	for (size_t i = 0; rc == EF_OK && i < c->ref->n_milestones; i++)
		rc = milestone(c, &c->ref->milestones[i]);
	if (rc == EF_OK)
		rc = igg_low(c);
	for (size_t i = 0; rc == EF_OK && i < c->ref->n_monitors; i++)
		rc = monitoring(c, &c->ref->monitors[i]);
	if (rc == EF_OK)
		rc = vaccine_due(c);
	if (rc == EF_OK)
		rc = live_contraindicated(c);
	if (rc == EF_OK)
		rc = followup_overdue(c);
	return rc;
}

int ef_rules_evaluate(const struct ef_timeline *tl, const struct ef_reference *ref, ef_day as_of,
		      struct ef_findings *out, struct ef_err *err)
{
	struct ctx c = {tl, ref, ef_current_transplant(tl, as_of), as_of, out, err};
	out->n = 0;
	out->next_change = ef_timeline_next_record(tl, as_of); /* what is dated later counts then */
	struct ef_vital v;
	ef_vital_status(tl, as_of, &v);
	ef_vital_reason(&v, out->resolve_reason, sizeof out->resolve_reason);
	if (!v.in_care)
		return EF_OK;
	int rc = c.tp ? transplant_rules(&c) : EF_OK;
	if (rc == EF_OK)
		rc = gvhd_severe(&c);
	if (rc)
		return rc;
	if (out->n > 1)
		qsort(out->v, out->n, sizeof *out->v, cmp_finding);
	return EF_OK;
}
