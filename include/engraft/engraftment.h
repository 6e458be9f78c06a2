/* engraftment.h - neutrophil and platelet engraftment, graft failure
 * (docs/clinical-rules.md s.3-4). Thresholds,
 * run lengths, deadlines and the transfusion washout come from the
 * reference parameters.
 *
 * Counted per transplant: values dated from its day 0 up to the earlier of
 * as_of and the day before the next transplant; values after as_of are
 * ignored (the record as it stood on as_of). Several values on one day
 * count as their minimum: a day is "below" if any value is certainly below
 * the threshold, else "unknown" if any qualified value leaves it undecided
 * (`<1.0` against 0.5), else "at/above". An unknown day breaks a run and is
 * counted in n_unknown / first_unknown so a reviewer can look at it.
 *
 * Neutrophils: the nadir is the first day below the threshold on or after
 * day 0; from the day after it, the first of anc_run_length consecutive
 * at/above days is the engraftment date. Status:
 *   not_applicable  values exist but none fell below the threshold
 *   engrafted       an engraftment date exists (even if after the deadline)
 *   graft_failure   as_of is past day0 + primary_graft_failure_day_<graft>,
 *                   the nadir came on or before that day, no engraftment and
 *                   no pending run that started on or before the deadline
 *                   (a run that started in time and is still unbroken on the
 *                   last measured day is "pending": docs/clinical-rules.md
 *                   s.4.1, s.18 case 6)
 *   pending         anything else, including no ANC value at all
 * A cellular therapy (CAR-T) does not engraft: both statuses are
 * not_applicable and not_engraftable is set (docs/clinical-rules.md s.20).
 * Secondary graft failure: after the engraftment run, the first of
 * secondary_graft_failure_run_length consecutive below days; a later run of
 * anc_run_length at/above days counts as recovery and clears it.
 *
 * Platelets (plt_threshold, and again plt_threshold_high): a day qualifies
 * when it is at/above the threshold and at least plt_transfusion_free_days
 * after the latest platelet transfusion on or before it (any date, also
 * before day 0). Counting starts after the first day below the threshold or
 * the first platelet transfusion on or after day 0, whichever is earlier
 * (the platelet analogue of the nadir: values before it are the recipient's
 * pre-nadir counts). When neither happened, platelet engraftment is not
 * applicable (docs/clinical-rules.md s.3.3, s.18 case 9). Delayed: as for
 * graft failure, with platelet_delayed_day and the plt_threshold run. */
#ifndef ENGRAFT_ENGRAFTMENT_H
#define ENGRAFT_ENGRAFTMENT_H

#include "engraft/date.h"
#include "engraft/error.h"
#include "engraft/reference.h"
#include "engraft/timeline.h"

enum ef_engraft_status {
	EF_ENGRAFT_PENDING = 0,
	EF_ENGRAFT_ENGRAFTED,
	EF_ENGRAFT_GRAFT_FAILURE,
	EF_ENGRAFT_NOT_APPLICABLE,
};

enum ef_plt_status {
	EF_PLT_PENDING = 0,
	EF_PLT_ENGRAFTED,
	EF_PLT_DELAYED,
	EF_PLT_NOT_APPLICABLE,
};

/* One count's recovery against one threshold. Dates are EF_NO_DAY when
 * absent. */
struct ef_recovery {
	double threshold;
	ef_day start;         /* nadir / first below / first transfusion */
	ef_day date;          /* first day of the qualifying run */
	ef_day run_from;      /* open (unfinished) run: its first day */
	int run_len;          /* open run: how many days so far */
	int n_days;           /* days with a value in the window */
	int n_unknown;        /* undecidable days after start */
	ef_day first_unknown;
};

struct ef_engraftment {
	ef_day day0;
	enum ef_engraft_status status;
	struct ef_recovery anc;
	ef_day anc_deadline;          /* day0 + primary graft failure day */
	ef_day secondary_failure;     /* first of an unrecovered below run */
	enum ef_plt_status plt_status;
	struct ef_recovery plt;       /* plt_threshold (20) */
	struct ef_recovery plt_high;  /* plt_threshold_high (50) */
	ef_day plt_deadline;          /* day0 + platelet_delayed_day */
	/* 1 for a transplant type that does not engraft (cellular_therapy,
	 * ef_hct_type_engrafts): both statuses not_applicable, deadlines
	 * EF_NO_DAY, nothing evaluated */
	int not_engraftable;
	/* The earliest day after as_of on which a status could differ with no
	 * record dated after as_of (graft_failure / delayed from the day
	 * after a deadline); EF_DAY_NEVER if none. Records dated after as_of
	 * are the caller's (ef_timeline_next_record). */
	ef_day next_change;
};

/* Evaluate transplant tp (one of tl->transplants) as of as_of. tp may be an
 * earlier transplant: then values on or after the next day 0 are not its.
 * Returns EF_OK, or EF_DB when out of memory. */
int ef_engraftment_eval(const struct ef_timeline *tl, const struct ef_transplant *tp,
			const struct ef_reference *ref, ef_day as_of, struct ef_engraftment *out,
			struct ef_err *err);

/* "engrafted", "pending", "graft_failure", "not_applicable" (docs/formats.md s.8). */
const char *ef_engraft_status_str(enum ef_engraft_status s);
/* "engrafted", "pending", "delayed", "not_applicable". */
const char *ef_plt_status_str(enum ef_plt_status s);

#endif
