/* internal.h - helpers shared by the core's rule modules (not installed). */
#ifndef ENGRAFT_CORE_INTERNAL_H
#define ENGRAFT_CORE_INTERNAL_H

#include <stddef.h>

#include "engraft/date.h"
#include "engraft/error.h"
#include "engraft/timeline.h"
#include "engraft/units.h"

/* One calendar day of one test, collapsed to its minimum against a
 * threshold: ge is ef_qual_ge() of the representative value (1 at/above,
 * 0 below, -1 undecidable). The representative is the value with the
 * lowest rank (below < undecidable < at/above), then the lowest number. */
struct ef_dayval {
	ef_day day;
	int ge;
	enum ef_qual qual;
	double value;
};

/* Values of `test` dated lo..hi (inclusive), one per day, ascending.
 * *out is malloc'ed (NULL when *n == 0); EF_DB when out of memory. */
int ef_day_series(const struct ef_timeline *tl, enum ef_test test, ef_day lo, ef_day hi,
		  double threshold, struct ef_dayval **out, size_t *n, struct ef_err *err);

/* Last day a transplant's own data may have: the day before the next
 * transplant, or as_of if earlier. */
ef_day ef_transplant_last_day(const struct ef_timeline *tl, const struct ef_transplant *tp,
			      ef_day as_of);

/* ef_vaccines_forecast and ef_followup_calendar for the rules, which see
 * only some entries (due and overdue doses, overdue time points): *shown is
 * the earliest day after as_of on which those could change (never later
 * than out->next_change; a blocked dose's moving date is not one). */
struct ef_due_list;
struct ef_fu_list;
struct ef_reference;
int ef_vaccines_forecast_shown(const struct ef_timeline *tl, const struct ef_reference *ref, ef_day as_of,
			       struct ef_due_list *out, ef_day *shown, struct ef_err *err);
int ef_followup_calendar_shown(const struct ef_timeline *tl, const struct ef_reference *ref, ef_day as_of,
			       struct ef_fu_list *out, ef_day *shown, struct ef_err *err);

/* "<0.1", "0.6", ">1000" with %g. */
void ef_format_value(char *buf, size_t size, enum ef_qual q, double v);

#endif
