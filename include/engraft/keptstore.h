/* keptstore.h - what `check` and the worklists keep between runs (schema
 * 017, docs/architecture.md "Kept state"): per patient, the day its rules
 * were last applied and until when their findings hold; its vaccine
 * forecast and follow-up calendar as of a day, and until when they hold.
 * The triggers of schema 017 mark a patient's kept state stale when any of
 * its records changes; the reference data's loader marks every patient
 * stale. All of it is derived from the records: recomputed at any time,
 * never audited or exported. Writes run inside the caller's transaction. */
#ifndef ENGRAFT_KEPTSTORE_H
#define ENGRAFT_KEPTSTORE_H

#include <stddef.h>
#include <stdint.h>

#include "engraft/date.h"
#include "engraft/error.h"
#include "engraft/followup.h"
#include "engraft/store.h"
#include "engraft/vaccines.h"

/* The patients (ascending id) a check as of as_of must evaluate: never
 * evaluated, changed since, evaluated as of a later day, or whose findings
 * may have changed by as_of. *ids is malloc'ed (NULL when *n is 0);
 * *total receives the number of patients. */
int store_rules_stale(struct store *s, ef_day as_of, int64_t **ids, size_t *n, int64_t *total, struct ef_err *err);

/* The patient's rules were applied to its alerts as of as_of, and its
 * findings hold until `until` (EF_DAY_NEVER: for ever); kept until the day
 * after the earliest acknowledgement "until" among its alerts, when the
 * acknowledgement lapses and the alert reopens. */
int store_rules_kept(struct store *s, int64_t patient_id, ef_day as_of, ef_day until, struct ef_err *err);

/* How many alerts are open or acknowledged (of the patient with mrn, or
 * of every patient). */
int store_alerts_live(struct store *s, const char *mrn, int64_t *n, struct ef_err *err);

/* Every patient's kept state stale: the reference data changed, or a full
 * re-evaluation was asked for (check --all). */
int store_kept_invalidate(struct store *s, struct ef_err *err);
/* Every patient's kept findings stale, the forecasts left as they are
 * (check --all of a day whose forecasts it does not keep). */
int store_kept_invalidate_rules(struct store *s, struct ef_err *err);

/* The patients (ascending id) whose kept forecasts do not hold on day
 * `on`. Same conventions as store_rules_stale. */
int store_forecasts_stale(struct store *s, ef_day on, int64_t **ids, size_t *n, int64_t *total, struct ef_err *err);

/* Replace the patient's kept forecasts with those computed as of as_of
 * (due: ef_vaccines_forecast, fu: ef_followup_calendar); they hold until
 * the earlier of the two lists' next_change. */
int store_forecasts_put(struct store *s, int64_t patient_id, ef_day as_of, const struct ef_due_list *due,
			const struct ef_fu_list *fu, struct ef_err *err);

/* A patient as the kept lists are read: `kept` says whether its kept
 * list holds on the day asked for (1) or is missing or stale (0: the
 * caller computes it afresh). */
struct store_kept_patient {
	int64_t id;
	const char *mrn, *family_name, *given_name;
	int kept;
};

/* Every patient (or the one with mrn) in MRN order, with its kept vaccine
 * forecast if that holds on `on`: fn once per kept entry (d), or once with
 * d NULL when the patient has none that holds (an empty list, or p->kept
 * 0). */
typedef int (*store_kept_due_fn)(void *ctx, const struct store_kept_patient *p, const struct ef_due *d,
				 struct ef_err *err);
int store_each_kept_due(struct store *s, ef_day on, const char *mrn, store_kept_due_fn fn, void *ctx,
			struct ef_err *err);

/* The same for the follow-up calendar. */
typedef int (*store_kept_fu_fn)(void *ctx, const struct store_kept_patient *p, const struct ef_fu_entry *e,
				struct ef_err *err);
int store_each_kept_followup(struct store *s, ef_day on, const char *mrn, store_kept_fu_fn fn, void *ctx,
			     struct ef_err *err);

#endif
