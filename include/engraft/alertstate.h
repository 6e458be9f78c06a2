/* alertstate.h - the alert life cycle as a pure transition function
 * (docs/clinical-rules.md s.14.2). The store keeps one alert per (patient,
 * rule, subject) with a stable alert_id; on every `check` it calls
 * ef_alert_transition() with the alert's current state (or none) and
 * whether the rule's finding holds on as_of, then writes the new state.
 *
 *   current        finding holds                   finding does not hold
 *   none           -> open          OPENED          -> none      UNCHANGED
 *   open           -> open          KEPT            -> resolved  RESOLVED
 *   acknowledged   as_of <= until or no until:      -> resolved  RESOLVED
 *                  -> acknowledged  KEPT
 *                  as_of > until:
 *                  -> open          REOPENED
 *   resolved       -> open          REOPENED        -> resolved  UNCHANGED
 *
 * A reopened alert keeps its alert_id; REOPENED and RESOLVED clear the
 * acknowledgement's `until` in the new state (the store may keep the
 * acknowledgement fields for history). `check` prints the counts of
 * OPENED, KEPT, REOPENED and RESOLVED. */
#ifndef ENGRAFT_ALERTSTATE_H
#define ENGRAFT_ALERTSTATE_H

#include "engraft/date.h"

enum ef_alert_status {
	EF_ALERT_NONE = 0,     /* no alert yet for (patient, rule, subject) */
	EF_ALERT_OPEN,
	EF_ALERT_ACKNOWLEDGED,
	EF_ALERT_RESOLVED,
};

enum ef_alert_event {
	EF_EV_UNCHANGED = 0,
	EF_EV_OPENED,
	EF_EV_KEPT,
	EF_EV_REOPENED,
	EF_EV_RESOLVED,
};

struct ef_alert_state {
	enum ef_alert_status status;
	ef_day until;          /* acknowledged: last day it stays so; EF_NO_DAY = no limit */
};

/* cur NULL or status EF_ALERT_NONE: no alert exists. Fills next and returns
 * what happened. */
enum ef_alert_event ef_alert_transition(const struct ef_alert_state *cur, int holds, ef_day as_of,
					struct ef_alert_state *next);

/* "open", "acknowledged", "resolved" ("" for none) and back (0 / -1). */
const char *ef_alert_status_str(enum ef_alert_status s);
int ef_alert_status_parse(const char *s, enum ef_alert_status *out);
/* "unchanged", "opened", "kept", "reopened", "resolved". */
const char *ef_alert_event_str(enum ef_alert_event e);

#endif
