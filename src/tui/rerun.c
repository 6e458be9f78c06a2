/* rerun.c - the TUI's way into the use cases (src/app): the environment
 * they need, and the one-line summary of how a save changed the alerts
 * (a save re-runs that patient's rules in its own transaction, as
 * `engraft check --mrn MRN` would, as of today). */
#include <stdio.h>

#include "engraft/refstore.h"
#include "tui_int.h"

const struct ef_reference *tui_reference(struct app *a)
{
	if (!a->have_ref) {
		if (store_reference_load(a->s, &a->ref, &a->err))
			return NULL;
		a->have_ref = 1;
	}
	return &a->ref;
}

int tui_env(struct app *a, struct app_env *e)
{
	const struct ef_reference *ref = tui_reference(a);
	if (!ref)
		return EF_DB;
	*e = (struct app_env){a->s, ref, a->today, &a->me};
	return EF_OK;
}

void tui_alerts_summary(const struct app_saved *saved, char *summary, size_t size)
{
	const struct ef_check_counts *c = &saved->alerts;
	if (c->opened || c->reopened || c->resolved)
		snprintf(summary, size, " Alerts: %ld opened, %ld reopened, %ld resolved.", c->opened, c->reopened,
			 c->resolved);
	else
		snprintf(summary, size, " Alerts unchanged.");
}

int tui_now_sec(const struct app *a)
{
	ef_day day;
	int sec;
	app_local_now(&day, &sec);
	if (a->today < day)
		return 86400; /* the session's today is over (or a replayed day): all of it is past */
	return a->today == day ? sec : 0;
}
