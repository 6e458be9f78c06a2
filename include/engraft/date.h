/* date.h - calendar dates as day numbers.
 *
 * Inside the core a date is an ef_day: whole days since 1970-01-01
 * (proleptic Gregorian, no time zone). Text is converted only at the
 * edges, with ef_date_parse / ef_date_format. */
#ifndef ENGRAFT_DATE_H
#define ENGRAFT_DATE_H

#include <stddef.h>
#include <stdint.h>

typedef int32_t ef_day;

/* "no date" (ongoing course, not reached, unknown). */
#define EF_NO_DAY INT32_MIN

/* "never": the next_change of an evaluation whose result no day can change
 * (docs/architecture.md, "When findings can change"). */
#define EF_DAY_NEVER INT32_MAX

/* *nc = the earlier of *nc and d when d is after as_of (a day on which an
 * evaluation as of as_of could change); EF_NO_DAY is never after as_of. */
static inline void ef_until(ef_day *nc, ef_day as_of, ef_day d)
{
	if (d > as_of && d < *nc)
		*nc = d;
}

/* Month arithmetic conventions (docs/clinical-rules.md s.1). */
enum ef_month_rule {
	EF_MONTHS_CLAMP = 0,      /* Jan 31 + 1 month = Feb 28/29 (shipped default) */
	EF_MONTHS_NEXT_FIRST = 1, /* CDSi: Aug 31 + 6 months = Mar 1 */
};

int ef_is_leap(int year);
int ef_days_in_month(int year, int month);

/* Day number for a valid y-m-d (caller guarantees validity). */
ef_day ef_day_from_ymd(int y, int m, int d);
void ef_day_to_ymd(ef_day day, int *y, int *m, int *d);

/* Parse exactly "YYYY-MM-DD" (len bytes, no trailing text), years 1..9999,
 * a real calendar date. Returns 0 on success, -1 otherwise. */
int ef_date_parse(const char *s, size_t len, ef_day *out);

/* Parse "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM" or "YYYY-MM-DDTHH:MM:SS".
 * *secs is seconds since midnight, or -1 when no time was given. */
int ef_datetime_parse(const char *s, size_t len, ef_day *day, int *secs);

/* Is an event on `day` at `secs` seconds after midnight (-1: a date with
 * no time) later than now, which is `now_day` at `now_sec` seconds after
 * local midnight? Nothing is ever dated after now. */
int ef_after_now(ef_day day, int secs, ef_day now_day, int now_sec);

/* Write "YYYY-MM-DD" and a NUL into out (11 bytes). EF_NO_DAY gives "". */
void ef_date_format(ef_day day, char out[11]);

/* day + months by the calendar, with the given rule for missing days. */
ef_day ef_add_months(ef_day day, int months, enum ef_month_rule rule);

/* Whole months from a to b (b >= a), the largest n with a + n months <= b
 * under the clamp rule; negative when b < a. Used for ages and intervals. */
int ef_months_between(ef_day a, ef_day b);

/* Age in whole years on day `on` for someone born on `birth`. */
int ef_age_years(ef_day birth, ef_day on);

#endif
