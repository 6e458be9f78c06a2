/* vaccines.h - vaccination forecast and the live-vaccine gate
 * (docs/clinical-rules.md s.11-13). The schedule is
 * data: vaccine_schedule.csv rows in struct ef_reference (reference.h).
 *
 * Forecast, for the current transplant (latest day 0 <= as_of):
 *   - Doses count when dated day0..as_of; each ef_dose counts toward its
 *     series (the store expands a CVX code into one ef_dose per series it
 *     maps to). Two doses of one series on one day count once.
 *   - The next dose is N = doses counted + 1; its schedule row is the row of
 *     (series, N) matching the transplant type, or the series' repeat row.
 *     No row, a failed condition (chronic_gvhd / no_chronic_gvhd) or the
 *     next dose past max_age_years means the series is complete: not listed.
 *   - due_on = the latest of: day0 + start_months; previous dose +
 *     min_interval_days / + min_interval_months; latest after_series dose +
 *     after_days; birth + min_age_years. Months add by the month_rule.
 *   - Status: upcoming when due_on > as_of; overdue when as_of > due_on +
 *     vaccine_overdue_grace_days; due otherwise.
 *   - blocked, with `reason` listing every failed condition ("; "-joined):
 *     a live dose whose gate fails on as_of (due_on = the latest of the
 *     schedule date and the dates the date-based gate conditions allow, or
 *     EF_NO_DAY when a non-date condition fails: ongoing immunosuppression,
 *     active GVHD); or a dose whose after_series prerequisite has fewer than
 *     after_dose doses (reason "needs PCV:3 first", due_on = the earliest date
 *     it could follow if the prerequisite were given on max(its due date,
 *     as_of)). A live dose whose gate is open is due from the later of its
 *     schedule date and the date the gate opened.
 *   - For statuses other than blocked, `reason` says what set due_on
 *     ("3 months after transplant", "28 days after dose 1 on 2025-04-15").
 *
 * Live-vaccine gate on a date `on` (records dated after `on` are ignored):
 *   - on >= day0 + live_min_months_after_hct (24 months)
 *   - no immunosuppression ongoing on `on` (started <= on, not stopped or
 *     stopped after on) and on >= last stop + live_months_off_immunosuppression
 *   - on >= last IVIG + live_months_after_ivig (8 months)
 *   - no active GVHD: latest acute assessment grade >= acute_gvhd_active_min_grade
 *     and on - its date <= acute_gvhd_active_days; or latest chronic
 *     assessment >= chronic_gvhd_active_min_severity. All assessments count,
 *     also those before day 0 (fail closed).
 *   No immunosuppression or IVIG rows mean none was given (a deliberate
 *   choice over "unknown = needs review": docs/clinical-rules.md s.13 and
 *   s.18 case 28). */
#ifndef ENGRAFT_VACCINES_H
#define ENGRAFT_VACCINES_H

#include <stddef.h>

#include "engraft/date.h"
#include "engraft/error.h"
#include "engraft/reference.h"
#include "engraft/timeline.h"

enum ef_due_status { EF_DUE_DUE = 0, EF_DUE_OVERDUE, EF_DUE_UPCOMING, EF_DUE_BLOCKED };

#define EF_REASON_LEN 320

struct ef_due {
	char series[EF_SERIES_LEN];
	int dose;                  /* N, counted from 1 after day 0 */
	int live;
	enum ef_due_status status;
	ef_day due_on;             /* EF_NO_DAY: blocked with no date */
	char reason[EF_REASON_LEN];
};

struct ef_due_list {
	struct ef_due *v;
	size_t n, cap;
	/* The earliest day after as_of on which evaluating the same timeline
	 * could give a different result (any entry added or removed, any
	 * field: status, due_on, dose, live, reason); EF_DAY_NEVER if none.
	 * Never later than the true next change, as_of + 1 only when the
	 * result moves daily (docs/architecture.md, "When findings can
	 * change"). */
	ef_day next_change;
};

struct ef_live_gate {
	int open;
	/* open: the date the gate opened (the latest date a condition became
	 * true; EF_NO_DAY never happens since the 24 months always apply).
	 * closed: the earliest date the date-based conditions allow, or
	 * EF_NO_DAY when a non-date condition fails. */
	ef_day date;
	char reason[EF_REASON_LEN]; /* closed: every failed condition */
	/* The earliest day after `on` on which the gate (open, date, reason)
	 * could differ with the same records (a date-based condition ends:
	 * months after a transplant, an immunosuppression stop or an IVIG,
	 * active acute GVHD's window); EF_DAY_NEVER if none. Records dated
	 * after `on` are the caller's (ef_timeline_next_record). */
	ef_day next_change;
};

/* The gate for transplant tp on date `on`. Pure; never fails. */
void ef_live_gate_eval(const struct ef_timeline *tl, const struct ef_transplant *tp,
		       const struct ef_reference *ref, ef_day on, struct ef_live_gate *out);

/* "With chronic GVHD": any chronic assessment dated day0..on with severity
 * >= chronic_gvhd_min_severity. */
int ef_with_chronic_gvhd(const struct ef_timeline *tl, const struct ef_transplant *tp,
			 const struct ef_reference *ref, ef_day on);

/* Next dose of every incomplete series, in schedule order, appended to out
 * (cleared first). Empty without a transplant on or before as_of, and for a
 * patient not in this clinic's care as of it (engraft/vital.h): no
 * worklist lists a deceased, transferred or lost patient.
 * EF_DB only when out of memory. */
int ef_vaccines_forecast(const struct ef_timeline *tl, const struct ef_reference *ref, ef_day as_of,
			 struct ef_due_list *out, struct ef_err *err);

void ef_due_list_init(struct ef_due_list *l);
void ef_due_list_free(struct ef_due_list *l);

/* "due", "overdue", "upcoming", "blocked" (docs/formats.md s.8, due). */
const char *ef_due_status_str(enum ef_due_status s);

/* Days of the doses of one series counted for tp as of as_of (day0..as_of),
 * ascending, same-day duplicates dropped. *days is malloc'ed (NULL when
 * *n == 0). EF_DB only when out of memory. */
int ef_series_doses(const struct ef_timeline *tl, const struct ef_transplant *tp, const char *series,
		    ef_day as_of, ef_day **days, size_t *n, struct ef_err *err);

#endif
