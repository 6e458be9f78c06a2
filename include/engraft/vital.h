/* vital.h - what follows from a patient's status rows (CSV kind status):
 * vital status, date of death, last contact, relapse, and whether this
 * clinic follows the patient now (docs/formats.md, "status" and
 * "followup-status"). Pure: computed from a timeline as of a date. */
#ifndef ENGRAFT_VITAL_H
#define ENGRAFT_VITAL_H

#include <stddef.h>

#include "engraft/timeline.h"

struct ef_vital {
	int deceased;          /* a deceased row on or before as_of */
	ef_day deceased_on;    /* the earliest deceased row; EF_NO_DAY if none */
	ef_day last_contact;   /* the latest day of any status row, lab, dose, GVHD
				  assessment, transfusion or IVIG; EF_NO_DAY if none */
	ef_day relapse_on;     /* the latest relapse row; EF_NO_DAY if none */
	int in_care;           /* not deceased, and the latest of transferred,
				  lost_to_followup and returned is returned (or none) */
	/* When not in care: why (EF_ST_DECEASED, EF_ST_TRANSFERRED or
	 * EF_ST_LOST) and since when; EF_ST_COUNT / EF_NO_DAY in care. */
	enum ef_status_kind out_why;
	ef_day out_since;
};

/* Rows dated after as_of are ignored; so is a timeline's order. On one day,
 * returned wins over transferred and lost_to_followup (recorded to undo
 * them). */
void ef_vital_status(const struct ef_timeline *tl, ef_day as_of, struct ef_vital *out);

/* Why the patient is not in care, for alert history and screens:
 * "deceased on 2026-05-01", "transferred on 2026-03-02", "lost to
 * follow-up on 2026-01-10"; "" in care. Returns out. */
const char *ef_vital_reason(const struct ef_vital *v, char *out, size_t size);

#endif
