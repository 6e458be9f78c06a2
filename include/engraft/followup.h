/* followup.h - the survivorship follow-up calendar (issue 16;
 * docs/clinical-rules.md s.19): late-effects screening items
 * (screening.csv) and a registry's follow-up forms (registry_forms.csv,
 * the track the parameter registry_track picks), scheduled from day 0.
 * Pure: computed from a timeline as of a date.
 *
 * Day 0 is the latest transplant on or before as_of that restarts the
 * sequence: the first transplant does, and so does every later one except
 * an autologous transplant after an allogeneic one (an autologous rescue
 * for graft failure, CIBMTR FIM Form 2100 [R30]). A cellular therapy
 * (CAR-T) never starts or restarts it: CIBMTR reports cellular therapy on
 * its own form (4100 [R34]). Its type decides which items and registry rows
 * apply. Registry rows for cellular_therapy (CIBMTR-CT) count instead from
 * the latest cellular therapy on or before as_of (ef_followup_ct_day0);
 * screening items follow the HCT sequence only. An item's rows are meant
 * for HCT types or for cellular_therapy, not both (both would list its time
 * points twice, once from each day 0).
 *
 * Each item gives time points (screening: M<months>, first_due_months then
 * every interval_months; registry: the rows of its track and type, the last
 * one repeating every repeat_months). Months add by the site's month_rule
 * (clamp: Jan 31 + 1 month = Feb 28/29). A time point counts as done when
 * the timeline has a followups row of the same item and time point dated
 * on or after day 0 and on or before as_of. The entries, per item in file
 * order (screening items first, then registry items) and by date:
 *   - every time point due on or before as_of: done (done_on set), else
 *     due, or overdue when as_of > due_on + followup_grace_days;
 *   - the item's next time point after as_of: upcoming (not when the item
 *     has no later time point).
 * A time point due before the patient reaches the item's min_age_years is
 * not listed. A patient without a transplant, or not in this clinic's
 * care (vital.h), has no entries. */
#ifndef ENGRAFT_FOLLOWUP_H
#define ENGRAFT_FOLLOWUP_H

#include <stddef.h>

#include "engraft/date.h"
#include "engraft/error.h"
#include "engraft/reference.h"
#include "engraft/timeline.h"

enum ef_fu_status { EF_FU_DUE = 0, EF_FU_OVERDUE, EF_FU_UPCOMING, EF_FU_DONE, EF_FU_COUNT };

struct ef_fu_entry {
	char item[EF_ITEM_LEN];
	char time_point[12];
	ef_day due_on;
	enum ef_fu_status status;
	ef_day done_on;        /* done: the followups row's date; else EF_NO_DAY */
	int registry;          /* a registry form (1) or a screening item (0) */
	char reason[128];      /* "screening: dental assessment", "CIBMTR crf form" */
};

struct ef_fu_list {
	struct ef_fu_entry *v;
	size_t n, cap;
	ef_day day0;           /* the HCT sequence's day 0 (else the cellular
				* therapy's); EF_NO_DAY when there is none */
	/* The earliest day after as_of on which evaluating the same timeline
	 * could give a different result (any entry added or removed, any
	 * field: status, due_on, done_on, time point, reason); EF_DAY_NEVER if none.
	 * Never later than the true next change, as_of + 1 only when the
	 * result moves daily (docs/architecture.md, "When findings can
	 * change"). */
	ef_day next_change;
};

void ef_fu_list_init(struct ef_fu_list *l);
void ef_fu_list_free(struct ef_fu_list *l);

/* The transplant that is day 0 of the follow-up sequence on as_of (see
 * above), or NULL if none. */
const struct ef_transplant *ef_followup_day0(const struct ef_timeline *tl, ef_day as_of);
/* The latest cellular therapy on or before as_of, or NULL: day 0 of the
 * registry rows for cellular_therapy (each infusion starts them again). */
const struct ef_transplant *ef_followup_ct_day0(const struct ef_timeline *tl, ef_day as_of);

/* Fill out (emptied first) with the calendar; EF_DB only when out of memory. */
int ef_followup_calendar(const struct ef_timeline *tl, const struct ef_reference *ref, ef_day as_of,
			 struct ef_fu_list *out, struct ef_err *err);

/* "due", "overdue", "upcoming", "done". */
const char *ef_fu_status_str(enum ef_fu_status s);

/* Whether `time_point` is a time point of `item` in the reference (any
 * track and transplant type; a screening item's M<months>): 1 yes, 0 the
 * item is known but the time point is not one of it, -1 unknown item. */
int ef_followup_point_known(const struct ef_reference *ref, const char *item, const char *time_point);

/* Is `item` a screening or registry item of the reference? */
int ef_item_known(const struct ef_reference *ref, const char *item);

#endif
