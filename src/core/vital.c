/* vital.c - vital and follow-up status from a timeline (vital.h). */
#include "engraft/vital.h"

#include <stdio.h>

static void latest(ef_day *best, ef_day d, ef_day as_of)
{
	if (d != EF_NO_DAY && d <= as_of && (*best == EF_NO_DAY || d > *best))
		*best = d;
}

void ef_vital_status(const struct ef_timeline *tl, ef_day as_of, struct ef_vital *out)
{
	*out = (struct ef_vital){0, EF_NO_DAY, EF_NO_DAY, EF_NO_DAY, 1, EF_ST_COUNT, EF_NO_DAY};
	ef_day move_day = EF_NO_DAY;         /* the latest transferred/lost/returned */
	enum ef_status_kind move = EF_ST_COUNT;
	for (size_t i = 0; i < tl->n_status; i++) {
		const struct ef_status_row *r = &tl->status[i];
		if (r->day == EF_NO_DAY || r->day > as_of)
			continue;
		latest(&out->last_contact, r->day, as_of);
		switch (r->kind) {
		case EF_ST_DECEASED:
			if (out->deceased_on == EF_NO_DAY || r->day < out->deceased_on)
				out->deceased_on = r->day;
			break;
		case EF_ST_RELAPSE:
			latest(&out->relapse_on, r->day, as_of);
			break;
		case EF_ST_TRANSFERRED:
		case EF_ST_LOST:
		case EF_ST_RETURNED:
			if (move_day == EF_NO_DAY || r->day > move_day ||
			    (r->day == move_day && r->kind == EF_ST_RETURNED)) {
				move_day = r->day;
				move = r->kind;
			}
			break;
		default:
			break;
		}
	}
	for (size_t i = 0; i < tl->n_labs; i++)
		latest(&out->last_contact, tl->labs[i].day, as_of);
	for (size_t i = 0; i < tl->n_doses; i++)
		latest(&out->last_contact, tl->doses[i].day, as_of);
	for (size_t i = 0; i < tl->n_acute; i++)
		latest(&out->last_contact, tl->acute[i].day, as_of);
	for (size_t i = 0; i < tl->n_chronic; i++)
		latest(&out->last_contact, tl->chronic[i].day, as_of);
	for (size_t i = 0; i < tl->n_transfusions; i++)
		latest(&out->last_contact, tl->transfusions[i].day, as_of);
	for (size_t i = 0; i < tl->n_ivig; i++)
		latest(&out->last_contact, tl->ivig[i].day, as_of);
	out->deceased = out->deceased_on != EF_NO_DAY;
	if (out->deceased) {
		out->in_care = 0;
		out->out_why = EF_ST_DECEASED;
		out->out_since = out->deceased_on;
	} else if (move == EF_ST_TRANSFERRED || move == EF_ST_LOST) {
		out->in_care = 0;
		out->out_why = move;
		out->out_since = move_day;
	}
}

const char *ef_vital_reason(const struct ef_vital *v, char *out, size_t size)
{
	char d[11];
	if (!size)
		return out;
	out[0] = '\0';
	if (v->in_care)
		return out;
	ef_date_format(v->out_since, d);
	const char *what = v->out_why == EF_ST_DECEASED	   ? "deceased"
			   : v->out_why == EF_ST_TRANSFERRED ? "transferred"
							     : "lost to follow-up";
	snprintf(out, size, "%s on %s", what, d);
	return out;
}
