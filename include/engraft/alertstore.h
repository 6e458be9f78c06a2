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

#endif
