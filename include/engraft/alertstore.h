/* alertstore.h - alerts in the database (schema/004_alerts.sql).
 *
 * One alert per (patient, rule, subject) with a stable alert_id. `check`
 * evaluates the rules (rules.h) for a patient and hands the findings to
 * store_alerts_apply(), which runs every existing alert of that patient and
 * every finding through ef_alert_transition() (alertstate.h) and writes the
 * result: opened (new row), kept (severity, due_on and message refreshed),
 * reopened (same alert_id; raised_on = as_of; acknowledgement cleared),
 * resolved (resolved_on = as_of). Opened, reopened, resolved and
 * acknowledged are also written to alert_history with the user and time. */
#ifndef ENGRAFT_ALERTSTORE_H
#define ENGRAFT_ALERTSTORE_H

#include <stdint.h>

#include "engraft/alertstate.h"
#include "engraft/date.h"
#include "engraft/error.h"
#include "engraft/rules.h"
#include "engraft/store.h"

struct store_alert {
	int64_t alert_id, patient_id;
	char mrn[64];
	char rule[40];
	char subject[32];
	enum ef_severity severity;
	enum ef_alert_status status;
	char raised_on[11], due_on[11], resolved_on[11]; /* "" when NULL */
	char acknowledged_by[128], acknowledged_on[11];
	char reason[1001];
	char until[11];
	char message[1001];
};

struct ef_check_counts {
	long opened, kept, reopened, resolved;
	long evaluated, patients; /* `check`: patients looked at, of how many */
};

/* Apply one patient's findings as of as_of (inside the caller's
 * transaction); adds to counts. */
int store_alerts_apply(struct store *s, int64_t patient_id, ef_day as_of, const struct ef_findings *f,
		       struct ef_check_counts *counts, struct ef_err *err);

/* Acknowledge an open or acknowledged alert: by the store's user on `on`,
 * with a reason (required), until a date (EF_NO_DAY: no limit). Inside the
 * caller's transaction when one is open (app_ack_alert signs in it), else
 * in its own. EF_INVALID: no such alert, or it is resolved. */
int store_alert_ack(struct store *s, int64_t alert_id, ef_day on, const char *reason, ef_day until,
		    struct ef_err *err);

int store_alert_get(struct store *s, int64_t alert_id, struct store_alert *a, int *found, struct ef_err *err);

enum store_alerts_flags {
	STORE_ALERTS_ALL = 1,         /* every status (default: open only) */
	STORE_ALERTS_BY_SEVERITY = 2, /* critical first, then due_on (default: mrn, alert_id) */
};

/* Alerts raised on or before as_of (EF_NO_DAY: all), of one patient (mrn)
 * or all (NULL). */
typedef int (*store_alert_fn)(void *ctx, const struct store_alert *a, struct ef_err *err);
int store_alerts_each(struct store *s, ef_day as_of, const char *mrn, int flags, store_alert_fn fn, void *ctx,
		      struct ef_err *err);

/* ---- the alert list, a page at a time (schema/018_alert_groups.sql) ----
 *
 * The TUI's alert list groups alerts by patient, worst first: a patient's
 * place is their worst alert's (critical, warning, info; then the earliest
 * due date, none last), then their MRN. Each patient with alerts has one
 * row of alert_groups, rewritten by store_alerts_apply and store_alert_ack
 * in the same transaction as the alerts; the list reads it by keyset (a
 * page after or before a position), never every alert. The as-of date of
 * store_alerts_each plays no part: alerts are never raised after today. */

struct store_alert_filter {
	int history;        /* every status (default: open only) */
	int64_t patient_id; /* one patient's (0: every patient) */
	int severity;       /* -1: every severity, else an enum ef_severity */
	const char *rule;   /* NULL or "": every rule */
	const char *text;   /* NULL or "": no words; else each blank-separated word
			       occurs in the MRN, the "Family, Given" name or the
			       rule of the alert (ASCII letters without regard to case) */
};

/* A patient in the list: where (key, mrn), who, and how many of their
 * alerts pass the filter. */
struct store_alert_group {
	int64_t patient_id;
	char key[16];  /* the order: see schema 018 */
	char mrn[64];
	char name[260]; /* "Family, Given" */
	int n, n_sev[3];
};

/* Up to max groups that have alerts passing f, in list order after
 * `from` (NULL: from the first), or with backward before it, nearest
 * first (NULL: from the last). *n: how many were written. */
int store_alert_groups_page(struct store *s, const struct store_alert_filter *f, const struct store_alert_group *from,
			    int backward, struct store_alert_group *out, size_t max, size_t *n, struct ef_err *err);

/* One patient's group (*found 0: none of their alerts passes f). */
int store_alert_group_get(struct store *s, const struct store_alert_filter *f, int64_t patient_id,
			  struct store_alert_group *g, int *found, struct ef_err *err);

/* Every group that has alerts passing f, in list order (one walk of the
 * list: for a filter, its count and its window at once). */
typedef int (*store_alert_group_fn)(void *ctx, const struct store_alert_group *g, struct ef_err *err);
int store_alert_groups_each(struct store *s, const struct store_alert_filter *f, store_alert_group_fn fn, void *ctx,
			    struct ef_err *err);

/* The alerts in the filter's scope (open or every status; one patient or
 * all) and those of them that pass its severity, rule and words (from
 * schema 018's alert_counts; words: every group is looked at). */
int store_alert_groups_count(struct store *s, const struct store_alert_filter *f, long *total, long *shown,
			     struct ef_err *err);

/* A listed alert: the columns the list shows (message and reason: read
 * the selected one with store_alert_get). */
struct store_alert_item {
	int64_t alert_id, patient_id;
	char rule[40];
	char subject[32];
	enum ef_severity severity;
	enum ef_alert_status status;
	char due_on[11];
};

/* The alerts of group g that pass f, worst first (severity, due date,
 * none last, alert id). */
typedef int (*store_alert_item_fn)(void *ctx, const struct store_alert_item *it, struct ef_err *err);
int store_alert_items(struct store *s, const struct store_alert_filter *f, const struct store_alert_group *g,
		      store_alert_item_fn fn, void *ctx, struct ef_err *err);

/* The first rule after `after` ("": the first) by name among the alerts in
 * the filter's scope (its severity, rule and words play no part); "" after
 * the last. */
int store_alert_next_rule(struct store *s, const struct store_alert_filter *f, const char *after, char out[40],
			  struct ef_err *err);

#endif
