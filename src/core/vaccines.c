/* vaccines.c - vaccination forecast and live-vaccine gate (see vaccines.h). */
#include "engraft/vaccines.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engraft/gvhd.h"
#include "engraft/vital.h"
#include "internal.h"

/* EF_NO_DAY is INT32_MIN, so it loses every max(). */
static ef_day later(ef_day a, ef_day b)
{
	return a > b ? a : b;
}

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static void append(char *buf, size_t size, const char *fmt, ...)
{
	size_t len = strlen(buf);
	if (len && len + 2 < size) {
		memcpy(buf + len, "; ", 3);
		len += 2;
	}
	if (len + 1 >= size)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf + len, size - len, fmt, ap);
	va_end(ap);
}

/* ---- live-vaccine gate ------------------------------------------------- */

/* The gate's months after each transplant type's day 0 (parameters.csv). */
static const enum ef_param live_min_param[EF_HCT_COUNT] = {
	[EF_HCT_AUTOLOGOUS] = EF_P_LIVE_MIN_MONTHS,
	[EF_HCT_ALLOGENEIC] = EF_P_LIVE_MIN_MONTHS,
	[EF_HCT_SYNGENEIC] = EF_P_LIVE_MIN_MONTHS,
	[EF_HCT_CELLULAR_THERAPY] = EF_P_LIVE_MIN_MONTHS_CT,
};

/* Returns the day the transplant's condition opens; it counts only when
 * that is after `floor` (EF_NO_DAY: always). */
static ef_day gate_one(const struct ef_transplant *t, const struct ef_reference *ref, ef_day on, ef_day floor,
		       struct ef_live_gate *g, ef_day *dates)
{
	enum ef_hct_type ty = (unsigned)t->type < EF_HCT_COUNT ? t->type : EF_HCT_ALLOGENEIC;
	int months = ef_ref_int(ref, live_min_param[ty]);
	ef_day ok = ef_ref_add_months(ref, t->day0, months);
	if (floor != EF_NO_DAY && ok <= floor)
		return ok;
	*dates = later(*dates, ok);
	ef_until(&g->next_change, on, ok);
	if (on < ok) {
		char d[11];
		ef_date_format(t->day0, d);
		g->open = 0;
		append(g->reason, sizeof g->reason, "transplant %s < %d months", d, months);
	}
	return ok;
}

/* Every transplant up to `on` keeps its own months: a CAR-T infusion (12
 * months) does not shorten the 24 months after an HCT before it (Walti et
 * al. 2023, PMC10909447 table 3: no live vaccine with an HCT <= 2 years
 * prior). With HCTs only the latest one decides, as before. */
static void gate_transplant(const struct ef_timeline *tl, const struct ef_transplant *tp,
			    const struct ef_reference *ref, ef_day on, struct ef_live_gate *g, ef_day *dates)
{
	const ef_day floor = gate_one(tp, ref, on, EF_NO_DAY, g, dates);
	for (size_t i = 0; tl && i < tl->n_transplants; i++) {
		const struct ef_transplant *t = &tl->transplants[i];
		if (t != tp && t->day0 < tp->day0 && t->day0 <= on)
			gate_one(t, ref, on, floor, g, dates);
	}
}

/* Returns 1 when immunosuppression is ongoing on `on`. */
static int gate_is(const struct ef_timeline *tl, const struct ef_reference *ref, ef_day on,
		   struct ef_live_gate *g, ef_day *dates)
{
	char list[EF_REASON_LEN] = "";
	ef_day last_stop = EF_NO_DAY;
	for (size_t i = 0; i < tl->n_is; i++) {
		const struct ef_immunosuppression *s = &tl->is[i];
		if (s->start > on)
			continue;
		if (s->stop == EF_NO_DAY || s->stop > on) {
			char d[11];
			ef_date_format(s->start, d);
			size_t len = strlen(list);
			snprintf(list + len, sizeof list - len, "%s%s since %s", len ? ", " : "", s->drug, d);
		} else {
			last_stop = later(last_stop, s->stop);
		}
	}
	if (list[0]) {
		g->open = 0;
		append(g->reason, sizeof g->reason, "on immunosuppression (%s)", list);
		return 1;
	}
	if (last_stop == EF_NO_DAY)
		return 0;
	int months = ef_ref_int(ref, EF_P_LIVE_IS_OFF_MONTHS);
	ef_day ok = ef_ref_add_months(ref, last_stop, months);
	*dates = later(*dates, ok);
	ef_until(&g->next_change, on, ok);
	if (on < ok) {
		char d[11];
		ef_date_format(last_stop, d);
		g->open = 0;
		append(g->reason, sizeof g->reason, "immunosuppression stopped %s < %d months", d, months);
	}
	return 0;
}

static void gate_ivig(const struct ef_timeline *tl, const struct ef_reference *ref, ef_day on,
		      struct ef_live_gate *g, ef_day *dates)
{
	ef_day last = EF_NO_DAY;
	for (size_t i = 0; i < tl->n_ivig; i++)
		if (tl->ivig[i].day <= on)
			last = later(last, tl->ivig[i].day);
	if (last == EF_NO_DAY)
		return;
	int months = ef_ref_int(ref, EF_P_LIVE_IVIG_MONTHS);
	ef_day ok = ef_ref_add_months(ref, last, months);
	*dates = later(*dates, ok);
	ef_until(&g->next_change, on, ok);
	if (on < ok) {
		char d[11];
		ef_date_format(last, d);
		g->open = 0;
		append(g->reason, sizeof g->reason, "IVIG %s < %d months", d, months);
	}
}

/* Acute GVHD: returns 1 when active on `on`; else *since = the day it
 * stopped being active (EF_NO_DAY if it never was). */
static int acute_active(const struct ef_timeline *tl, const struct ef_reference *ref, ef_day on,
			const struct ef_gvhd_acute **latest, ef_day *since)
{
	int min_grade = ef_ref_int(ref, EF_P_ACUTE_ACTIVE_GRADE);
	int days = ef_ref_int(ref, EF_P_ACUTE_ACTIVE_DAYS);
	const struct ef_gvhd_acute *lat = NULL, *act = NULL;
	for (size_t i = 0; i < tl->n_acute; i++) {
		const struct ef_gvhd_acute *a = &tl->acute[i];
		if (a->day > on)
			continue;
		if (!lat || a->day > lat->day)
			lat = a;
		if ((int)ef_agvhd_grade_of(a) >= min_grade && (!act || a->day > act->day))
			act = a;
	}
	*latest = lat;
	*since = EF_NO_DAY;
	if (!act)
		return 0;
	if (lat == act && on - act->day <= days)
		return 1;
	/* Inactive since the next assessment or the end of the window. */
	ef_day end = act->day + days + 1;
	for (size_t i = 0; i < tl->n_acute; i++) {
		const struct ef_gvhd_acute *a = &tl->acute[i];
		if (a->day > act->day && a->day <= on && a->day < end)
			end = a->day;
	}
	*since = end;
	return 0;
}

static int chronic_active(const struct ef_timeline *tl, const struct ef_reference *ref, ef_day on,
			  const struct ef_gvhd_chronic **latest, ef_day *since)
{
	int min_sev = ef_ref_int(ref, EF_P_CHRONIC_ACTIVE_SEVERITY);
	const struct ef_gvhd_chronic *lat = NULL, *act = NULL;
	for (size_t i = 0; i < tl->n_chronic; i++) {
		const struct ef_gvhd_chronic *c = &tl->chronic[i];
		if (c->day > on)
			continue;
		if (!lat || c->day > lat->day)
			lat = c;
		if ((int)ef_cgvhd_severity_of(c) >= min_sev && (!act || c->day > act->day))
			act = c;
	}
	*latest = lat;
	*since = EF_NO_DAY;
	if (!act)
		return 0;
	if (lat == act)
		return 1;
	ef_day end = lat->day;
	for (size_t i = 0; i < tl->n_chronic; i++) {
		const struct ef_gvhd_chronic *c = &tl->chronic[i];
		if (c->day > act->day && c->day <= on && c->day < end)
			end = c->day;
	}
	*since = end;
	return 0;
}

static int gate_gvhd(const struct ef_timeline *tl, const struct ef_reference *ref, ef_day on,
		     struct ef_live_gate *g, ef_day *dates)
{
	const struct ef_gvhd_acute *a;
	const struct ef_gvhd_chronic *c;
	ef_day since;
	char d[11];
	int active = 0;
	if (acute_active(tl, ref, on, &a, &since)) {
		ef_date_format(a->day, d);
		append(g->reason, sizeof g->reason, "active acute GVHD (grade %s on %s)",
		       ef_agvhd_grade_str(ef_agvhd_grade_of(a)), d);
		active = 1;
		/* inactive once its window ends */
		ef_until(&g->next_change, on, a->day + ef_ref_int(ref, EF_P_ACUTE_ACTIVE_DAYS) + 1);
	} else {
		*dates = later(*dates, since);
	}
	if (chronic_active(tl, ref, on, &c, &since)) {
		ef_date_format(c->day, d);
		append(g->reason, sizeof g->reason, "active chronic GVHD (%s on %s)",
		       ef_cgvhd_severity_str(ef_cgvhd_severity_of(c)), d);
		active = 1;
	} else {
		*dates = later(*dates, since);
	}
	if (active)
		g->open = 0;
	return active;
}

void ef_live_gate_eval(const struct ef_timeline *tl, const struct ef_transplant *tp,
		       const struct ef_reference *ref, ef_day on, struct ef_live_gate *out)
{
	/* Date-based conditions first; their dates bound a closed gate. The
	 * GVHD "since" dates only matter for an open gate. */
	ef_day date_based = EF_NO_DAY, gvhd = EF_NO_DAY;
	memset(out, 0, sizeof *out);
	out->open = 1;
	out->next_change = EF_DAY_NEVER;
	gate_transplant(tl, tp, ref, on, out, &date_based);
	int nodate = gate_is(tl, ref, on, out, &date_based);
	gate_ivig(tl, ref, on, out, &date_based);
	nodate |= gate_gvhd(tl, ref, on, out, &gvhd);
	if (out->open)
		out->date = later(date_based, gvhd);
	else
		out->date = nodate ? EF_NO_DAY : date_based;
}

int ef_with_chronic_gvhd(const struct ef_timeline *tl, const struct ef_transplant *tp,
			 const struct ef_reference *ref, ef_day on)
{
	int min_sev = ef_ref_int(ref, EF_P_CHRONIC_GVHD_SEVERITY);
	for (size_t i = 0; i < tl->n_chronic; i++) {
		const struct ef_gvhd_chronic *c = &tl->chronic[i];
		if (c->day >= tp->day0 && c->day <= on && (int)ef_cgvhd_severity_of(c) >= min_sev)
			return 1;
	}
	return 0;
}

/* ---- doses ------------------------------------------------------------- */

static int cmp_day(const void *a, const void *b)
{
	ef_day x = *(const ef_day *)a, y = *(const ef_day *)b;
	return x < y ? -1 : x > y;
}

int ef_series_doses(const struct ef_timeline *tl, const struct ef_transplant *tp, const char *series,
		    ef_day as_of, ef_day **days, size_t *n, struct ef_err *err)
{
	size_t cnt = 0;
	*days = NULL;
	*n = 0;
	for (size_t i = 0; i < tl->n_doses; i++) {
		const struct ef_dose *d = &tl->doses[i];
		if (d->day >= tp->day0 && d->day <= as_of && strcmp(d->series, series) == 0)
			cnt++;
	}
	if (cnt == 0)
		return EF_OK;
	ef_day *v = malloc(cnt * sizeof *v);
	if (!v)
		return ef_errf(err, EF_DB, "out of memory");
	size_t k = 0;
	for (size_t i = 0; i < tl->n_doses; i++) {
		const struct ef_dose *d = &tl->doses[i];
		if (d->day >= tp->day0 && d->day <= as_of && strcmp(d->series, series) == 0)
			v[k++] = d->day;
	}
	qsort(v, cnt, sizeof *v, cmp_day);
	size_t m = 0;
	for (size_t i = 0; i < cnt; i++)
		if (m == 0 || v[m - 1] != v[i])
			v[m++] = v[i];
	*days = v;
	*n = m;
	return EF_OK;
}

/* ---- schedule ----------------------------------------------------------- */

/* The row for dose N of a series for a transplant type: exact, else the
 * repeat row below N. NULL: the series is complete. */
static const struct ef_vaccine_rule *row_for(const struct ef_reference *ref, const char *series, int dose,
					     enum ef_hct_type type)
{
	const struct ef_vaccine_rule *rep = NULL;
	for (size_t i = 0; i < ref->n_rules; i++) {
		const struct ef_vaccine_rule *r = &ref->rules[i];
		if (strcmp(r->series, series) != 0 || !(r->types & (1u << type)))
			continue;
		if (r->dose == dose)
			return r;
		if (r->repeat && r->dose < dose)
			rep = r;
	}
	return rep;
}

/* The latest candidate date and what set it. */
struct cand {
	ef_day day;
	char basis[128];
};

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static void consider(struct cand *c, ef_day day, const char *fmt, ...)
{
	if (day == EF_NO_DAY || (c->day != EF_NO_DAY && day <= c->day))
		return;
	c->day = day;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->basis, sizeof c->basis, fmt, ap);
	va_end(ap);
}

/* Start, interval from the previous dose (number prev_no on prev), age. */
static void schedule_date(const struct ef_reference *ref, const struct ef_timeline *tl,
			  const struct ef_transplant *tp, const struct ef_vaccine_rule *r, ef_day prev,
			  int prev_no, struct cand *c)
{
	char d[11];
	if (r->start_months >= 0)
		consider(c, ef_ref_add_months(ref, tp->day0, r->start_months), "%d months after transplant",
			 r->start_months);
	ef_date_format(prev, d);
	if (prev != EF_NO_DAY && r->min_interval_days >= 0)
		consider(c, prev + r->min_interval_days, "%d days after dose %d on %s", r->min_interval_days,
			 prev_no, d);
	if (prev != EF_NO_DAY && r->min_interval_months >= 0)
		consider(c, ef_ref_add_months(ref, prev, r->min_interval_months), "%d months after dose %d on %s",
			 r->min_interval_months, prev_no, d);
	if (r->min_age_years >= 0 && tl->patient.birth != EF_NO_DAY) {
		ef_day at = ef_ref_add_months(ref, tl->patient.birth, 12 * r->min_age_years);
		ef_date_format(at, d);
		consider(c, at, "age %d on %s", r->min_age_years, d);
	}
}

/* The prerequisite of r (after_series). Returns 1 when it is met: then
 * c has its date. Returns 0 when fewer than after_dose doses were given:
 * *earliest is the earliest date r could follow (EF_NO_DAY if unknown),
 * the first missing dose given on max(its due date, from): from is as_of,
 * or a later day to ask when *earliest would move (forecast_series). */
static int prerequisite(const struct ef_timeline *tl, const struct ef_transplant *tp,
			const struct ef_reference *ref, ef_day as_of, ef_day from, const struct ef_vaccine_rule *r,
			struct cand *c, ef_day *earliest, struct ef_err *err, int *rc)
{
	ef_day *days;
	size_t n;
	*earliest = EF_NO_DAY;
	*rc = ef_series_doses(tl, tp, r->after_series, as_of, &days, &n, err);
	if (*rc)
		return 0;
	ef_day last = n ? days[n - 1] : EF_NO_DAY;
	free(days);
	int after_days = r->after_days > 0 ? r->after_days : 0;
	if ((int)n >= r->after_dose) {
		char d[11];
		ef_date_format(last, d);
		if (last != EF_NO_DAY)
			consider(c, last + after_days, "%d days after %s:%zu on %s", after_days, r->after_series, n,
				 d);
		return 1;
	}
	/* Give the missing doses on their earliest dates, from as_of on. */
	ef_day prev = last;
	for (int k = (int)n + 1; k <= r->after_dose; k++) {
		const struct ef_vaccine_rule *pr = row_for(ref, r->after_series, k, tp->type);
		if (!pr)
			return 0;
		struct cand pc = {EF_NO_DAY, ""};
		schedule_date(ref, tl, tp, pr, prev, k - 1, &pc);
		prev = k == (int)n + 1 ? later(pc.day, from) : pc.day;
	}
	*earliest = prev + after_days;
	return 0;
}

static int list_push(struct ef_due_list *l, const struct ef_due *d, struct ef_err *err)
{
	if (l->n == l->cap) {
		size_t nc = l->cap ? l->cap * 2 : 16;
		struct ef_due *p = realloc(l->v, nc * sizeof *p);
		if (!p)
			return ef_errf(err, EF_DB, "out of memory");
		l->v = p;
		l->cap = nc;
	}
	l->v[l->n++] = *d;
	return EF_OK;
}

/* Past the max age for this dose on the later of due day and as_of? */
static int too_old(const struct ef_reference *ref, const struct ef_timeline *tl,
		   const struct ef_vaccine_rule *r, ef_day due, ef_day as_of)
{
	if (r->max_age_years < 0 || tl->patient.birth == EF_NO_DAY)
		return 0;
	ef_day limit = ef_ref_add_months(ref, tl->patient.birth, 12 * (r->max_age_years + 1));
	return later(due, as_of) >= limit;
}

struct forecast_ctx {
	const struct ef_timeline *tl;
	const struct ef_transplant *tp;
	const struct ef_reference *ref;
	ef_day as_of;
	int chronic;
	struct ef_live_gate gate;
	ef_day *shown; /* the next change of the due and overdue entries (internal.h) */
};

/* The due date of a dose blocked by its prerequisite (r) were the first
 * missing prerequisite dose given on max(its due date, from): the latest of
 * floor and the prerequisite's earliest. */
static ef_day due_from(const struct forecast_ctx *fc, const struct ef_vaccine_rule *r, ef_day floor, ef_day from,
		       struct ef_err *err, int *rc)
{
	struct cand c = {EF_NO_DAY, ""};
	ef_day earliest;
	prerequisite(fc->tl, fc->tp, fc->ref, fc->as_of, from, r, &c, &earliest, err, rc);
	return later(floor, earliest);
}

/* The first day after as_of on which that due date (due_on as of as_of)
 * moves: it never gets earlier for a later `from`, so bisect. Not moved
 * within two centuries: that day, which is early enough. */
static ef_day prerequisite_moves(const struct forecast_ctx *fc, const struct ef_vaccine_rule *r, ef_day floor,
				 ef_day due_on, struct ef_err *err, int *rc)
{
	ef_day lo = fc->as_of, hi = fc->as_of + 2 * 36525; /* not moved on lo */
	if (due_from(fc, r, floor, hi, err, rc) == due_on)
		return hi;
	while (!*rc && hi - lo > 1) {
		ef_day mid = lo + (hi - lo) / 2;
		if (due_from(fc, r, floor, mid, err, rc) != due_on)
			hi = mid;
		else
			lo = mid;
	}
	return hi;
}

/* The due date's status, and the days it changes: due on due_on, overdue
 * after the grace days. */
static void set_status(const struct forecast_ctx *fc, struct ef_due *e, ef_day *nc)
{
	int grace = ef_ref_int(fc->ref, EF_P_OVERDUE_GRACE_DAYS);
	if (e->due_on != EF_NO_DAY) {
		ef_until(nc, fc->as_of, e->due_on);
		ef_until(nc, fc->as_of, e->due_on + grace + 1);
	}
	if (e->due_on > fc->as_of)
		e->status = EF_DUE_UPCOMING;
	else if (fc->as_of > e->due_on + grace)
		e->status = EF_DUE_OVERDUE;
	else
		e->status = EF_DUE_DUE;
}

static int forecast_series(const struct forecast_ctx *fc, const char *series, struct ef_due_list *out,
			   struct ef_err *err)
{
	ef_day *days;
	size_t n;
	int rc = ef_series_doses(fc->tl, fc->tp, series, fc->as_of, &days, &n, err);
	if (rc)
		return rc;
	ef_day prev = n ? days[n - 1] : EF_NO_DAY;
	free(days);
	const struct ef_vaccine_rule *r = row_for(fc->ref, series, (int)n + 1, fc->tp->type);
	if (!r || (r->condition == EF_VXC_CHRONIC_GVHD && !fc->chronic) ||
	    (r->condition == EF_VXC_NO_CHRONIC_GVHD && fc->chronic))
		return EF_OK; /* complete */
	struct ef_due e;
	memset(&e, 0, sizeof e);
	snprintf(e.series, sizeof e.series, "%s", series);
	e.dose = (int)n + 1;
	e.live = r->live;
	struct cand c = {EF_NO_DAY, ""};
	schedule_date(fc->ref, fc->tl, fc->tp, r, prev, (int)n, &c);
	int blocked = 0, nodate = 0;
	/* blocked: due on the latest of bound and the prerequisite's earliest */
	ef_day bound = c.day, earliest = EF_NO_DAY, nc = EF_DAY_NEVER;
	if (r->after_series[0]) {
		if (!prerequisite(fc->tl, fc->tp, fc->ref, fc->as_of, fc->as_of, r, &c, &earliest, err, &rc)) {
			if (rc)
				return rc;
			blocked = 1;
			nodate |= earliest == EF_NO_DAY;
			append(e.reason, sizeof e.reason, "needs %s:%d first", r->after_series, r->after_dose);
		}
	}
	if (r->live) /* the gate decides blocked, the reason or the date */
		ef_until(&nc, fc->as_of, fc->gate.next_change);
	ef_day shown = nc; /* what changes due and overdue entries */
	if (r->live && !fc->gate.open) {
		blocked = 1;
		nodate |= fc->gate.date == EF_NO_DAY;
		bound = later(bound, fc->gate.date);
		append(e.reason, sizeof e.reason, "%s", fc->gate.reason);
	} else if (r->live) {
		char d[11];
		ef_date_format(fc->gate.date, d);
		consider(&c, fc->gate.date, "live-vaccine gate open since %s", d);
	}
	if (blocked) {
		e.status = EF_DUE_BLOCKED;
		bound = later(bound, c.day);
		e.due_on = nodate ? EF_NO_DAY : later(bound, earliest);
	} else {
		e.due_on = c.day;
		snprintf(e.reason, sizeof e.reason, "%s", c.basis);
		set_status(fc, &e, &nc);
		shown = nc;
	}
	ef_day age_on = e.due_on == EF_NO_DAY ? c.day : e.due_on;
	if (too_old(fc->ref, fc->tl, r, age_on, fc->as_of))
		return EF_OK; /* and stays so: neither the date nor as_of goes back */
	if (r->max_age_years >= 0 && fc->tl->patient.birth != EF_NO_DAY) { /* too old from then */
		ef_day limit = ef_ref_add_months(fc->ref, fc->tl->patient.birth, 12 * (r->max_age_years + 1));
		ef_until(&nc, fc->as_of, limit);
		if (!blocked)
			ef_until(&shown, fc->as_of, limit);
	}
	if (blocked && !nodate && earliest != EF_NO_DAY) { /* the prerequisite's date may move */
		ef_until(&nc, fc->as_of, prerequisite_moves(fc, r, bound, e.due_on, err, &rc));
		if (rc)
			return rc;
	}
	ef_until(&out->next_change, fc->as_of, nc);
	ef_until(fc->shown, fc->as_of, shown);
	return list_push(out, &e, err);
}

int ef_vaccines_forecast(const struct ef_timeline *tl, const struct ef_reference *ref, ef_day as_of,
			 struct ef_due_list *out, struct ef_err *err)
{
	ef_day shown;
	return ef_vaccines_forecast_shown(tl, ref, as_of, out, &shown, err);
}

int ef_vaccines_forecast_shown(const struct ef_timeline *tl, const struct ef_reference *ref, ef_day as_of,
			       struct ef_due_list *out, ef_day *shown, struct ef_err *err)
{
	out->n = 0;
	out->next_change = ef_timeline_next_record(tl, as_of); /* what is dated later counts then */
	*shown = out->next_change;
	const struct ef_transplant *tp = ef_current_transplant(tl, as_of);
	struct ef_vital v;
	ef_vital_status(tl, as_of, &v);
	if (!tp || !v.in_care) /* a patient out of care is on no worklist */
		return EF_OK;
	struct forecast_ctx fc = {tl, tp, ref, as_of, ef_with_chronic_gvhd(tl, tp, ref, as_of), {0}, shown};
	ef_live_gate_eval(tl, tp, ref, as_of, &fc.gate);
	for (size_t i = 0; i < ref->n_rules; i++) {
		const char *series = ref->rules[i].series;
		int seen = 0;
		for (size_t j = 0; j < i && !seen; j++)
			seen = strcmp(ref->rules[j].series, series) == 0;
		if (seen)
			continue;
		int rc = forecast_series(&fc, series, out, err);
		if (rc)
			return rc;
	}
	return EF_OK;
}

void ef_due_list_init(struct ef_due_list *l)
{
	memset(l, 0, sizeof *l);
	l->next_change = EF_DAY_NEVER;
}

void ef_due_list_free(struct ef_due_list *l)
{
	free(l->v);
	ef_due_list_init(l);
}

const char *ef_due_status_str(enum ef_due_status s)
{
	switch (s) {
	case EF_DUE_DUE:
		return "due";
	case EF_DUE_OVERDUE:
		return "overdue";
	case EF_DUE_UPCOMING:
		return "upcoming";
	case EF_DUE_BLOCKED:
		return "blocked";
	}
	return "";
}
