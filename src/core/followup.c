/* followup.c - the survivorship follow-up calendar (see followup.h). */
#include "engraft/followup.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engraft/vital.h"
#include "internal.h"

#define MAX_MONTHS_AHEAD (12 * 150) /* no time point beyond a lifetime */

static const char *const status_s[EF_FU_COUNT] = {"due", "overdue", "upcoming", "done"};

const char *ef_fu_status_str(enum ef_fu_status s)
{
	return (unsigned)s < EF_FU_COUNT ? status_s[s] : "";
}

void ef_fu_list_init(struct ef_fu_list *l)
{
	memset(l, 0, sizeof *l);
	l->day0 = EF_NO_DAY;
	l->next_change = EF_DAY_NEVER;
}

void ef_fu_list_free(struct ef_fu_list *l)
{
	free(l->v);
	ef_fu_list_init(l);
}

const struct ef_transplant *ef_followup_day0(const struct ef_timeline *tl, ef_day as_of)
{
	const struct ef_transplant *cur = NULL;
	ef_day after = EF_NO_DAY; /* walk the transplants in date order */
	int seen_allo = 0;
	for (;;) {
		const struct ef_transplant *next = NULL;
		for (size_t i = 0; i < tl->n_transplants; i++) {
			const struct ef_transplant *t = &tl->transplants[i];
			if (t->day0 > as_of || (after != EF_NO_DAY && t->day0 <= after))
				continue;
			if (!next || t->day0 < next->day0)
				next = t;
		}
		if (!next)
			break;
		/* several on one day: an allogeneic one decides, any HCT before a
		 * cellular therapy */
		for (size_t i = 0; i < tl->n_transplants; i++)
			if (tl->transplants[i].day0 == next->day0 &&
			    (tl->transplants[i].type == EF_HCT_ALLOGENEIC || next->type == EF_HCT_CELLULAR_THERAPY))
				next = &tl->transplants[i];
		if (next->type == EF_HCT_CELLULAR_THERAPY) {
			/* a cellular therapy (CAR-T) neither starts nor restarts the
			 * HCT follow-up sequence: CIBMTR reports it on its own forms
			 * (docs/clinical-rules.md s.20) */
			after = next->day0;
			continue;
		}
		if (!cur || !(next->type == EF_HCT_AUTOLOGOUS && seen_allo))
			cur = next; /* an autologous rescue after an allogeneic HCT does not restart */
		if (next->type == EF_HCT_ALLOGENEIC)
			seen_allo = 1;
		after = next->day0;
	}
	return cur;
}

const struct ef_transplant *ef_followup_ct_day0(const struct ef_timeline *tl, ef_day as_of)
{
	const struct ef_transplant *best = NULL;
	for (size_t i = 0; i < tl->n_transplants; i++) {
		const struct ef_transplant *t = &tl->transplants[i];
		if (t->type == EF_HCT_CELLULAR_THERAPY && t->day0 <= as_of && (!best || t->day0 > best->day0))
			best = t;
	}
	return best;
}

struct cal {
	const struct ef_timeline *tl;
	const struct ef_reference *ref;
	ef_day as_of, day0;
	int grace;
	struct ef_fu_list *out;
	ef_day *shown; /* overdue entries' next change (internal.h) */
	struct ef_err *err;
};

static ef_day done_on(const struct cal *c, const char *item, const char *tp)
{
	for (size_t i = 0; i < c->tl->n_followups; i++) {
		const struct ef_followup_done *d = &c->tl->followups[i];
		if (d->day >= c->day0 && d->day <= c->as_of && strcmp(d->item, item) == 0 &&
		    strcmp(d->time_point, tp) == 0)
			return d->day;
	}
	return EF_NO_DAY;
}

/* Add the time point; returns 1 when the item's listing is complete (its
 * upcoming point was added), 0 to go on, -1 out of memory. */
static int point(struct cal *c, const char *item, const char *tp, ef_day due, int registry, const char *reason)
{
	ef_day done = done_on(c, item, tp);
	struct ef_fu_entry e;
	memset(&e, 0, sizeof e);
	snprintf(e.item, sizeof e.item, "%s", item);
	snprintf(e.time_point, sizeof e.time_point, "%s", tp);
	snprintf(e.reason, sizeof e.reason, "%s", reason);
	e.due_on = due;
	e.done_on = done;
	e.registry = registry;
	if (done == EF_NO_DAY) { /* due on its date, overdue after the grace days */
		ef_until(&c->out->next_change, c->as_of, due);
		ef_until(&c->out->next_change, c->as_of, due + c->grace + 1);
		ef_until(c->shown, c->as_of, due + c->grace + 1);
	}
	if (done != EF_NO_DAY)
		e.status = EF_FU_DONE;
	else if (due > c->as_of)
		e.status = EF_FU_UPCOMING;
	else if (c->as_of - due > c->grace)
		e.status = EF_FU_OVERDUE;
	else
		e.status = EF_FU_DUE;
	struct ef_fu_list *l = c->out;
	if (l->n == l->cap) {
		size_t nc = l->cap ? l->cap * 2 : 32;
		void *p = realloc(l->v, nc * sizeof *l->v);
		if (!p) {
			ef_errf(c->err, EF_DB, "out of memory");
			return -1;
		}
		l->v = p;
		l->cap = nc;
	}
	l->v[l->n++] = e;
	return e.status == EF_FU_UPCOMING;
}

static int old_enough(const struct cal *c, int min_age, ef_day due)
{
	if (min_age < 0)
		return 1;
	if (c->tl->patient.birth == EF_NO_DAY)
		return 0; /* refuse rather than guess */
	return ef_age_years(c->tl->patient.birth, due) >= min_age;
}

static int screening(struct cal *c, const struct ef_screening *s)
{
	char reason[128], tp[16];
	snprintf(reason, sizeof reason, "screening: %s", s->name);
	for (int m = s->first_due_months; m <= MAX_MONTHS_AHEAD;) {
		ef_day due = ef_ref_add_months(c->ref, c->day0, m);
		snprintf(tp, sizeof tp, "M%d", m);
		if (old_enough(c, s->min_age_years, due)) {
			int r = point(c, s->item, tp, due, 0, reason);
			if (r)
				return r < 0 ? EF_DB : EF_OK;
		}
		if (s->interval_months < 0)
			break;
		m += s->interval_months;
	}
	return EF_OK;
}

static int registry(struct cal *c, const char *item, enum ef_track track, enum ef_hct_type type)
{
	char reason[128], tp[16];
	snprintf(reason, sizeof reason, "%s follow-up form (%s track)", item, ef_track_str(track));
	const struct ef_registry_point *last = NULL;
	for (size_t i = 0; i < c->ref->n_registry; i++) {
		const struct ef_registry_point *p = &c->ref->registry[i];
		if (strcmp(p->item, item) != 0 || p->track != track || !(p->types & (1u << type)))
			continue;
		last = p;
		ef_day due = p->offset_days >= 0 ? c->day0 + p->offset_days
						 : ef_ref_add_months(c->ref, c->day0, p->offset_months);
		int r = point(c, item, p->time_point, due, 1, reason);
		if (r)
			return r < 0 ? EF_DB : EF_OK;
	}
	if (!last || last->repeat_months <= 0)
		return EF_OK;
	for (int m = last->offset_months + last->repeat_months; m <= MAX_MONTHS_AHEAD; m += last->repeat_months) {
		ef_time_point_name(-1, m, tp, sizeof tp);
		int r = point(c, item, tp, ef_ref_add_months(c->ref, c->day0, m), 1, reason);
		if (r)
			return r < 0 ? EF_DB : EF_OK;
	}
	return EF_OK;
}

/* Each registry item once, in file order, with the rows of `type`. */
static int registry_items(struct cal *c, enum ef_track track, enum ef_hct_type type)
{
	for (size_t i = 0; i < c->ref->n_registry; i++) {
		const char *item = c->ref->registry[i].item;
		size_t j = 0;
		while (j < i && strcmp(c->ref->registry[j].item, item) != 0)
			j++;
		if (j < i)
			continue;
		int rc = registry(c, item, track, type);
		if (rc)
			return rc;
	}
	return EF_OK;
}

int ef_followup_calendar(const struct ef_timeline *tl, const struct ef_reference *ref, ef_day as_of,
			 struct ef_fu_list *out, struct ef_err *err)
{
	ef_day shown;
	return ef_followup_calendar_shown(tl, ref, as_of, out, &shown, err);
}

int ef_followup_calendar_shown(const struct ef_timeline *tl, const struct ef_reference *ref, ef_day as_of,
			       struct ef_fu_list *out, ef_day *shown, struct ef_err *err)
{
	out->n = 0;
	out->day0 = EF_NO_DAY;
	out->next_change = ef_timeline_next_record(tl, as_of); /* what is dated later counts then */
	*shown = out->next_change;
	const struct ef_transplant *tp = ef_followup_day0(tl, as_of), *ct = ef_followup_ct_day0(tl, as_of);
	struct ef_vital v;
	ef_vital_status(tl, as_of, &v);
	if ((!tp && !ct) || !v.in_care) /* a patient out of care is on no worklist */
		return EF_OK;
	const int grace = ef_ref_int(ref, EF_P_FOLLOWUP_GRACE_DAYS);
	const enum ef_track track = (enum ef_track)ef_ref_int(ref, EF_P_REGISTRY_TRACK);
	out->day0 = tp ? tp->day0 : ct ? ct->day0 : EF_NO_DAY;
	if (tp) {
		struct cal c = {tl, ref, as_of, tp->day0, grace, out, shown, err};
		for (size_t i = 0; i < ref->n_screening; i++) {
			if (!(ref->screening[i].types & (1u << tp->type)))
				continue;
			int rc = screening(&c, &ref->screening[i]);
			if (rc)
				return rc;
		}
		int rc = registry_items(&c, track, tp->type);
		if (rc)
			return rc;
	}
	if (ct) { /* the cellular therapy's own forms (CIBMTR Form 4100) */
		struct cal c = {tl, ref, as_of, ct->day0, grace, out, shown, err};
		return registry_items(&c, track, EF_HCT_CELLULAR_THERAPY);
	}
	return EF_OK;
}

/* "M24" -> 24 (letter L, digits without a leading zero); -1 if not so. */
static int point_number(const char *tp, char letter)
{
	if (tp[0] != letter || tp[1] < '1' || tp[1] > '9' || strlen(tp) > 6)
		return -1;
	int n = 0;
	for (const char *p = tp + 1; *p; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		n = n * 10 + (*p - '0');
	}
	return n;
}

int ef_followup_point_known(const struct ef_reference *ref, const char *item, const char *time_point)
{
	int known = -1;
	for (size_t i = 0; i < ref->n_screening; i++) {
		const struct ef_screening *s = &ref->screening[i];
		if (strcmp(s->item, item) != 0)
			continue;
		int m = point_number(time_point, 'M');
		if (m < s->first_due_months)
			return 0;
		if (s->interval_months <= 0) /* once */
			return m == s->first_due_months;
		return (m - s->first_due_months) % s->interval_months == 0;
	}
	for (size_t i = 0; i < ref->n_registry; i++) {
		const struct ef_registry_point *p = &ref->registry[i];
		if (strcmp(p->item, item) != 0)
			continue;
		known = 0;
		if (strcmp(p->time_point, time_point) == 0)
			return 1;
		if (p->repeat_months > 0) {
			int y = point_number(time_point, 'Y'), m = y > 0 ? y * 12 : point_number(time_point, 'M');
			char name[12];
			if (m > p->offset_months && (m - p->offset_months) % p->repeat_months == 0) {
				ef_time_point_name(-1, m, name, sizeof name);
				if (strcmp(name, time_point) == 0)
					return 1;
			}
		}
	}
	return known;
}

int ef_item_known(const struct ef_reference *ref, const char *item)
{
	for (size_t i = 0; i < ref->n_screening; i++)
		if (strcmp(ref->screening[i].item, item) == 0)
			return 1;
	for (size_t i = 0; i < ref->n_registry; i++)
		if (strcmp(ref->registry[i].item, item) == 0)
			return 1;
	return 0;
}
