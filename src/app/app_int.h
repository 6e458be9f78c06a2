/* app_int.h - what the files of src/app share (not for cli or tui). */
#ifndef ENGRAFT_APP_INT_H
#define ENGRAFT_APP_INT_H

#include "engraft/alertstore.h"
#include "engraft/app.h"
#include "engraft/reference.h"
#include "engraft/rules.h"
#include "engraft/timeline.h"

/* Inside the caller's transaction (kept.c): */

/* Evaluate the patient's rules as of as_of (today: e->today) over tl,
 * apply the findings to its alerts and keep until when they hold. f is
 * scratch space, reused across patients. */
int app_rules_keep(struct store *s, const struct ef_reference *ref, const struct ef_timeline *tl, ef_day as_of,
		   ef_day today, struct ef_findings *f, struct ef_check_counts *counts, struct ef_err *err);

/* Compute and keep the patient's vaccine forecast and follow-up calendar
 * as of as_of over tl (which holds at least its doses, GVHD,
 * immunosuppression, IVIG and follow-ups). */
int app_keep_forecasts(struct store *s, const struct ef_reference *ref, const struct ef_timeline *tl, ef_day as_of,
		       ef_day today, struct ef_err *err);

/* Refresh every kept forecast that does not hold on `on` (ref NULL: the
 * store's reference data). */
int app_forecasts_refresh_in(struct store *s, const struct ef_reference *ref, ef_day on, ef_day today,
			     struct ef_err *err);

/* The same as an import's last step (ef_import_opts.before_commit; ctx: the
 * const struct app_env *): the forecasts its records made stale, as of
 * e->today. */
int app_refresh_hook(struct store *s, void *ctx, struct ef_err *err);

#endif
