/* worklist.h - the clinic worklists read by pages from the kept forecasts
 * (schema 017: vaccine_forecasts, followup_forecasts; schema 019: their
 * worklist indexes), by keyset over an index, never every row (issue 15).
 *
 * A worklist is a sequence of sections (overdue, due now, due soon,
 * blocked), each ordered by (due_on, patient_id, ord): a section's rows
 * without a date first, then by date. A row's key (struct store_wl_key)
 * says where it is; a page is read after (forward) or before (backward) a
 * key, in the sections asked for, through the typed filter (MRN, name or
 * code, every word somewhere, ASCII case ignored, as tui_filter_match).
 * The caller keeps the kept forecasts current first
 * (app_forecasts_refresh): the rows read are those kept. */
#ifndef ENGRAFT_WORKLIST_H
#define ENGRAFT_WORKLIST_H

#include <stddef.h>
#include <stdint.h>

#include "engraft/date.h"
#include "engraft/error.h"
#include "engraft/store.h"

enum store_wl_kind {
	STORE_WL_VACCINES = 0,   /* sections: overdue, due, due within 7 days (upcoming), blocked */
	STORE_WL_FOLLOWUPS = 1,  /* sections: overdue, due, coming due within 31 days (upcoming) */
};

/* Sections, in list order. */
enum { STORE_WL_OVERDUE = 0, STORE_WL_DUE = 1, STORE_WL_SOON = 2, STORE_WL_BLOCKED = 3, STORE_WL_SECTIONS = 4 };
#define STORE_WL_VACCINE_SOON_DAYS 7
#define STORE_WL_FOLLOWUP_SOON_DAYS 31

/* Where a row is: its section, segment (0: no date, 1: dated), date
 * ("" when none), patient and place in the patient's list. */
struct store_wl_key {
	int sec, seg;
	char due[11];
	int64_t patient_id, ord;
};

/* One row of a page. */
struct store_wl_row {
	struct store_wl_key key;
	char mrn[256];
	char name[1024];         /* "Family, Given" */
	char code[128];          /* the vaccine series, or the follow-up item */
	char time_point[48];     /* follow-up: its time point */
	int dose;                /* vaccine: the dose number */
	ef_day due_on;           /* EF_NO_DAY when none */
	ef_day done_on;          /* follow-up */
	char reason[4004];
};

/* The typed filter of a worklist on a day, compiled against the patients
 * (every patient's words found once; when a word no code can hold leaves
 * few patients, the keys of every row that passes, read through those
 * patients' rows): NULL when the text has no word. A query uses it with
 * the same kind and day; made again after the kept rows change. prev (or
 * NULL): the filter of the text before, on the same rows; when the new
 * text only narrows it (typing on), only its rows are looked at again. */
struct store_wl_filter;
int store_wl_filter_new(struct store *s, enum store_wl_kind kind, ef_day today, const char *text,
			const struct store_wl_filter *prev, struct store_wl_filter **f, struct ef_err *err);
void store_wl_filter_free(struct store_wl_filter *f);
/* Whether the filter holds the keys of its rows (list mode) or pages read
 * the sections' indexes through it (for the tests). */
int store_wl_filter_listed(const struct store_wl_filter *f);

/* What a worklist shows: sections is a bit mask (1u << STORE_WL_*) of the
 * sections shown; filter NULL: every row of those. */
struct store_wl_query {
	enum store_wl_kind kind;
	ef_day today;
	unsigned sections;
	const struct store_wl_filter *filter;
	int64_t count_cap;       /* > 0: a filter read through the indexes counts a section up to this */
};

/* How many rows each section shows (0 for a section not shown); -N when a
 * filtered section was counted only up to count_cap = N (it has at least
 * N rows). */
int store_wl_counts(struct store *s, const struct store_wl_query *q, int64_t counts[STORE_WL_SECTIONS],
		    struct ef_err *err);

/* Up to max rows after key `from` (forward) or before it (backward,
 * nearest first), in list order for forward; from NULL: from the first
 * (forward) or the last (backward) row. *n receives how many. */
int store_wl_page(struct store *s, const struct store_wl_query *q, const struct store_wl_key *from, int backward,
		  struct store_wl_row *out, size_t max, size_t *n, struct ef_err *err);

/* The key just before k (a row read forward from it is k itself first). */
void store_wl_key_before(struct store_wl_key *k);

/* The key of the patient's kept row of code (series or item) that the
 * worklist shows, earliest first: *found 0 when none. */
int store_wl_find(struct store *s, const struct store_wl_query *q, int64_t patient_id, const char *code,
		  struct store_wl_key *k, int *found, struct ef_err *err);

/* Register the SQL function the page queries call (store_open). */
int store_wl_register(struct store *s, struct ef_err *err);

#endif
