/* milestones.c - the status of an immune milestone (milestones.h). */
#include "engraft/milestones.h"

#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* Is a qualified value certainly > thr (1), certainly not (0), unknown (-1)? */
static int qual_gt(enum ef_qual q, double v, double thr)
{
	switch (q) {
	case EF_Q_EQ:
		return v > thr;
	case EF_Q_LT:
		return v <= thr ? 0 : -1;
	case EF_Q_GT:
		return v >= thr ? 1 : -1;
	}
	return -1;
}

static int negate(int t)
{
	return t < 0 ? -1 : !t;
}

/* 1 met, 0 not met, -1 undecidable. */
static int milestone_met(const struct ef_milestone *m, enum ef_qual q, double v)
{
	switch (m->cmp) {
	case EF_CMP_GE:
		return ef_qual_ge(q, v, m->threshold);
	case EF_CMP_GT:
		return qual_gt(q, v, m->threshold);
	case EF_CMP_LE:
		return negate(qual_gt(q, v, m->threshold));
	case EF_CMP_LT:
		return negate(ef_qual_ge(q, v, m->threshold));
	}
	return -1;
}

const char *ef_cmp_str(enum ef_cmp c)
{
	static const char *const s[] = {">=", ">", "<=", "<"};
	return (unsigned)c < 4 ? s[c] : "";
}

const char *ef_ms_state_str(enum ef_ms_state s)
{
	static const char *const n[] = {"not applicable", "pending", "met", "missed"};
	return (unsigned)s < 4 ? n[s] : "";
}

int ef_milestone_eval(const struct ef_timeline *tl, const struct ef_transplant *tp, const struct ef_milestone *m,
		      ef_day as_of, struct ef_ms_status *out, struct ef_err *err)
{
	memset(out, 0, sizeof *out);
	out->day = EF_NO_DAY;
	out->next_change = EF_DAY_NEVER;
	out->lo = tp->day0 + m->window_start;
	out->hi = tp->day0 + m->window_end;
	out->open = as_of >= out->lo;
	ef_until(&out->next_change, as_of, out->lo); /* it opens */
	if (!(m->types & (1u << tp->type))) {
		out->state = EF_MS_NOT_APPLICABLE;
		return EF_OK;
	}
	out->state = EF_MS_PENDING;
	if (!out->open)
		return EF_OK;
	struct ef_dayval *v;
	size_t n;
	int rc = ef_day_series(tl, m->test, out->lo, out->hi < as_of ? out->hi : as_of, m->threshold, &v, &n, err);
	if (rc)
		return rc;
	if (n == 0) {
		if (as_of > out->hi)
			out->state = EF_MS_MISSED;
		ef_until(&out->next_change, as_of, out->hi + 1); /* it closes with no result */
		return EF_OK;
	}
	const struct ef_dayval *last = &v[n - 1];
	int met = milestone_met(m, last->qual, last->value);
	out->day = last->day;
	out->qual = last->qual;
	out->value = last->value;
	out->state = met == 1 ? EF_MS_MET : EF_MS_MISSED;
	out->undecidable = met < 0;
	free(v);
	return EF_OK;
}
