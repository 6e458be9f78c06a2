/* milestones.h - one immune-reconstitution milestone of milestones.csv
 * (reference.h) for one transplant as of a date: met, pending or missed,
 * and the result that decides it (docs/clinical-rules.md s.5).
 *
 * The rule IMMUNE_MILESTONE_MISSED (rules.c) and the chart's milestones
 * panel both ask this function, so the alert and the panel always agree:
 *   not applicable  the milestone is not for this transplant type
 *   pending         no result in the window yet and the window has not
 *                   closed (open says whether it has opened); due by the
 *                   window's last day
 *   met             the latest result in the window dated <= as_of meets
 *                   it (several on one day count as their minimum)
 *   missed          that result does not meet it (undecidable when its
 *                   qualifier leaves the comparison open: counts as not
 *                   met), or the window closed without a result (day is
 *                   then EF_NO_DAY)
 * A missed milestone whose window is still open can still be met by a
 * later result. Pure: no I/O. */
#ifndef ENGRAFT_MILESTONES_H
#define ENGRAFT_MILESTONES_H

#include "engraft/date.h"
#include "engraft/error.h"
#include "engraft/reference.h"
#include "engraft/timeline.h"
#include "engraft/units.h"

enum ef_ms_state { EF_MS_NOT_APPLICABLE = 0, EF_MS_PENDING, EF_MS_MET, EF_MS_MISSED };

struct ef_ms_status {
	enum ef_ms_state state;
	ef_day lo, hi;        /* the window: day0 + window_start .. day0 + window_end */
	int open;             /* as_of >= lo */
	ef_day day;           /* the deciding result's day; EF_NO_DAY: none */
	enum ef_qual qual;    /* and its value (canonical unit) */
	double value;
	int undecidable;      /* missed because the qualifier leaves it open */
	/* The earliest day after as_of on which this status could differ with
	 * no record dated after as_of: the window opens (lo), or closes without
	 * a result (hi + 1); EF_DAY_NEVER if none. Records dated after as_of
	 * are the caller's (ef_timeline_next_record). */
	ef_day next_change;
};

/* Evaluate milestone m for transplant tp (day 0) as of as_of.
 * EF_DB only when out of memory. */
int ef_milestone_eval(const struct ef_timeline *tl, const struct ef_transplant *tp, const struct ef_milestone *m,
		      ef_day as_of, struct ef_ms_status *out, struct ef_err *err);

/* "not applicable", "pending", "met", "missed". */
const char *ef_ms_state_str(enum ef_ms_state s);
/* ">=", ">", "<=", "<". */
const char *ef_cmp_str(enum ef_cmp c);

#endif
