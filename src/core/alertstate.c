/* alertstate.c - alert transitions (table in alertstate.h). */
#include "engraft/alertstate.h"

#include <string.h>

static enum ef_alert_event set(struct ef_alert_state *next, enum ef_alert_status s, ef_day until,
			       enum ef_alert_event ev)
{
	next->status = s;
	next->until = until;
	return ev;
}

enum ef_alert_event ef_alert_transition(const struct ef_alert_state *cur, int holds, ef_day as_of,
					struct ef_alert_state *next)
{
	enum ef_alert_status s = cur ? cur->status : EF_ALERT_NONE;
	ef_day until = cur ? cur->until : EF_NO_DAY;
	switch (s) {
	case EF_ALERT_OPEN:
		return holds ? set(next, EF_ALERT_OPEN, EF_NO_DAY, EF_EV_KEPT)
			     : set(next, EF_ALERT_RESOLVED, EF_NO_DAY, EF_EV_RESOLVED);
	case EF_ALERT_ACKNOWLEDGED:
		if (!holds)
			return set(next, EF_ALERT_RESOLVED, EF_NO_DAY, EF_EV_RESOLVED);
		if (until == EF_NO_DAY || as_of <= until)
			return set(next, EF_ALERT_ACKNOWLEDGED, until, EF_EV_KEPT);
		return set(next, EF_ALERT_OPEN, EF_NO_DAY, EF_EV_REOPENED);
	case EF_ALERT_RESOLVED:
		return holds ? set(next, EF_ALERT_OPEN, EF_NO_DAY, EF_EV_REOPENED)
			     : set(next, EF_ALERT_RESOLVED, EF_NO_DAY, EF_EV_UNCHANGED);
	case EF_ALERT_NONE:
		break;
	}
	return holds ? set(next, EF_ALERT_OPEN, EF_NO_DAY, EF_EV_OPENED)
		     : set(next, EF_ALERT_NONE, EF_NO_DAY, EF_EV_UNCHANGED);
}

static const char *const status_s[] = {"", "open", "acknowledged", "resolved"};
static const char *const event_s[] = {"unchanged", "opened", "kept", "reopened", "resolved"};

const char *ef_alert_status_str(enum ef_alert_status s)
{
	return (unsigned)s < 4 ? status_s[s] : "";
}

int ef_alert_status_parse(const char *s, enum ef_alert_status *out)
{
	for (int i = 1; i < 4; i++) {
		if (strcmp(s, status_s[i]) == 0) {
			*out = (enum ef_alert_status)i;
			return 0;
		}
	}
	return -1;
}

const char *ef_alert_event_str(enum ef_alert_event e)
{
	return (unsigned)e < 5 ? event_s[e] : "";
}
