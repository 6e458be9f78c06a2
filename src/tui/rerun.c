/* rerun.c - after the TUI writes a row, re-run that patient's rules so the
 * alerts change at once (what `engraft check --mrn MRN` does, for one
 * patient, as of today), in its own transaction after the save. */
#include <stdio.h>

#include "engraft/alertstore.h"
#include "engraft/browse.h"
#include "engraft/refstore.h"
#include "engraft/rules.h"
#include "engraft/timeline.h"
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

/* The rules of one patient, optionally after marking one of its records
 * entered in error (kind, id, reason; reason NULL: no mark), in one
 * transaction. */
static int rerun(struct app *a, int64_t patient_id, enum store_kind kind, int64_t id, const char *reason,
		 char *summary, size_t size)
{
	summary[0] = '\0';
	const struct ef_reference *ref = tui_reference(a);
	if (!ref)
		return EF_DB;
	struct ef_timeline tl;
	struct ef_findings f;
	struct ef_check_counts counts = {0};
	ef_timeline_init(&tl);
	ef_findings_init(&f);
	int rc = store_begin(a->s, &a->err);
	if (rc == EF_OK) {
		if (reason)
			rc = store_mark_entered_in_error(a->s, kind, id, patient_id, reason, &a->err);
		if (rc == EF_OK)
			rc = store_load_timeline(a->s, patient_id, a->today, &tl, &a->err);
		if (rc == EF_OK)
			rc = ef_rules_evaluate(&tl, ref, a->today, &f, &a->err);
		if (rc == EF_OK)
			rc = store_alerts_apply(a->s, patient_id, a->today, &f, &counts, &a->err);
		if (rc == EF_OK)
			rc = store_commit(a->s, &a->err);
		else
			store_rollback(a->s);
	}
	ef_findings_free(&f);
	ef_timeline_free(&tl);
	if (rc)
		return rc;
	if (counts.opened || counts.reopened || counts.resolved)
		snprintf(summary, size, " Alerts: %ld opened, %ld reopened, %ld resolved.", counts.opened,
			 counts.reopened, counts.resolved);
	else
		snprintf(summary, size, " Alerts unchanged.");
	return EF_OK;
}

int tui_rerun_rules(struct app *a, int64_t patient_id, char *summary, size_t size)
{
	return rerun(a, patient_id, STORE_K_LABS, 0, NULL, summary, size);
}

int tui_mark_entered_in_error(struct app *a, int64_t patient_id, enum store_kind kind, int64_t id,
			      const char *reason, char *summary, size_t size)
{
	return rerun(a, patient_id, kind, id, reason, summary, size);
}
