/* app.h - the use cases: one function per thing a user does.
 *
 * The CLI and the TUI parse input, call one of these, and present the
 * result; neither begins or commits a transaction itself. Each function
 * validates, writes through one store transaction (store_tx: begin, run,
 * commit or roll back on every path) and re-runs the rules of the patient
 * it changed inside that same transaction, so a save and the alerts it
 * causes land together or not at all. docs/architecture.md has the layers. */
#ifndef ENGRAFT_APP_H
#define ENGRAFT_APP_H

#include <stdio.h>

#include "engraft/alertstore.h"
#include "engraft/csvio.h"
#include "engraft/date.h"
#include "engraft/demo.h"
#include "engraft/error.h"
#include "engraft/keptstore.h"
#include "engraft/reference.h"
#include "engraft/staff.h"
#include "engraft/store.h"

/* What every use case needs: the open store, the reference data loaded
 * from it, today's date (the rules run as of today), and who is acting
 * (app_sign_on). Every use case first checks that `me` may do it
 * (access.h): EF_DENIED, nothing written, otherwise; a NULL `me` may do
 * nothing. */
struct app_env {
	struct store *s;
	const struct ef_reference *ref;
	ef_day today;
	const struct store_staff *me;
};

/* Sign on: the store's user (the OS login) must be on the staff list and
 * active; `me` receives its row. EF_DENIED with a message saying who can
 * add it otherwise. */
int app_sign_on(struct store *s, struct store_staff *me, struct ef_err *err);

/* EF_OK when `me` may do a, else EF_DENIED: "not permitted: ROLE LOGIN may
 * not ACTION (ROLES may)". */
int app_permit(const struct store_staff *me, enum ef_action a, struct ef_err *err);

/* The action that writing a record kind needs. */
enum ef_action app_kind_action(enum store_kind kind);

/* Fill the synthetic demo cohort (admin; demo.h ef_demo_generate). */
int app_demo(const struct app_env *e, const struct ef_demo_opts *o, struct ef_demo_counts *out, struct ef_err *err);

/* Load a site's reference files from dir (admin; csvio.h ef_load_assets:
 * every row checked, all or nothing). */
int app_load_assets(const struct app_env *e, const char *dir, struct ef_err *err);

/* Staff management (admin): add a login of this machine with a role, a
 * printed name (1 to 127 bytes of text) and an optional title (up to 63);
 * change a role; disable or enable. The last active admin can be neither
 * disabled nor given another role (EF_INVALID). */
int app_staff_add(const struct app_env *e, const char *login, enum ef_role role, const char *name,
		  const char *title, struct ef_err *err);
int app_staff_set_role(const struct app_env *e, const char *login, enum ef_role role, struct ef_err *err);
int app_staff_set_active(const struct app_env *e, const char *login, int active, struct ef_err *err);

/* The local clock: today's date and seconds since local midnight. */
void app_local_now(ef_day *day, int *sec);

/* The outcome of a save: what the put did, and how the patient's alerts
 * changed when the rules re-ran (all zero when the row was unchanged). */
struct app_saved {
	enum store_put put;
	struct ef_check_counts alerts;
};

/* Signatures: recording an administered dose, saving a GVHD assessment,
 * acknowledging an alert and marking a row entered in error also store
 * e->me's signature (login, printed name and title, meaning, UTC time) in
 * the same transaction. A dose's given_by defaults to e->me's login.
 *
 * A record saved through these is valid: over a row of the same key that
 * was marked entered in error, the save clears the mark (an update, with
 * the rules re-run), unless the record sets entered_in_error (eie_given). */
int app_save_lab(const struct app_env *e, const struct store_lab_rec *r, struct app_saved *out,
		 struct ef_err *err);
int app_record_dose(const struct app_env *e, const struct store_vaccination_rec *r, struct app_saved *out,
		    struct ef_err *err);
int app_assess_gvhd_acute(const struct app_env *e, const struct store_gvhd_acute_rec *r, struct app_saved *out,
			  struct ef_err *err);
int app_assess_gvhd_chronic(const struct app_env *e, const struct store_gvhd_chronic_rec *r,
			    struct app_saved *out, struct ef_err *err);
/* A vital or follow-up status (the CSV kind status; the chart's `s`):
 * recorded_on a date not after today nor the date of death, status a word
 * of EF_V_STATUS, note optional free text (at most STORE_STATUS_NOTE_MAX
 * bytes, lines allowed); EF_INVALID otherwise. The patient's rules run
 * again: a deceased, transferred or lost patient's alerts resolve. */
int app_record_status(const struct app_env *e, const struct store_status_rec *r, struct app_saved *out,
		      struct ef_err *err);

/* Acknowledge an alert on day `on` (not after today) with a reason (1 to
 * 1000 bytes of UTF-8 text without control characters; EF_USAGE
 * otherwise), until a date or EF_NO_DAY (not before `on`). Recorded as the
 * store's user. EF_INVALID: no such alert, or it is resolved. */
#define APP_REASON_MAX 1000
int app_ack_alert(const struct app_env *e, int64_t alert_id, ef_day on, const char *reason, ef_day until,
		  struct ef_err *err);

/* Acknowledge n alerts (n >= 1, all of one patient) with one reason and
 * until date, in one transaction: all or none. Each is checked as by
 * app_ack_alert (the login may acknowledge its rule, it is not resolved)
 * and signed; EF_INVALID when they are not all the same patient's. */
int app_ack_alerts(const struct app_env *e, const int64_t *alert_ids, size_t n, ef_day on, const char *reason,
		   ef_day until, struct ef_err *err);

/* NULL when `reason` may be stored as a reason (above), else why not. */
const char *app_reason_problem(const char *reason);

/* Mark a record of the patient entered in error (schema 006: a lab
 * result, transfusion, dose, GVHD assessment, immunosuppression course or
 * IVIG dose, by kind and row id) with a reason (1 to STORE_EIE_MAX bytes of
 * UTF-8 text without control characters; EF_USAGE otherwise), and re-run
 * the patient's rules, in one transaction: the row stays, every
 * computation ignores it from then on. EF_INVALID: the patient has no
 * such record. */
int app_mark_entered_in_error(const struct app_env *e, int64_t patient_id, enum store_kind kind, int64_t id,
			      const char *reason, struct app_saved *out, struct ef_err *err);

/* EF_OK when a file's name may be kept in the import record and the audit
 * trail (text without control characters, at most 1000 bytes), else
 * EF_USAGE saying so. */
int app_file_name_ok(const char *name, struct ef_err *err);

/* Import one CSV stream of a kind: every row validated (nothing dated
 * after now: e->today and now_sec, seconds since local midnight), all rows
 * or none, in one transaction (csvio.h ef_import). The alerts change at the
 * next `check`. diag receives one message per bad row. */
int app_import_file(const struct app_env *e, int now_sec, enum store_kind kind, FILE *in, const char *name,
		    ef_diag_fn diag, void *diag_ctx, struct ef_import_result *res, struct ef_err *err);

/* Enter one record of any CSV kind, as a form does: cells in the kind's
 * column order (csvio.h ef_kind_columns; NULL or "" is empty), n of them,
 * validated by the importer's own checks (ef_enter_row: nothing dated
 * after now, e->today and now_sec), each problem to diag as "COLUMN:
 * reason". One transaction: the permission of the kind (app_kind_action),
 * the checks, the put by natural key, and the patient's rules re-run (not
 * when the row was unchanged); any problem rolls it all back (EF_INVALID,
 * nothing saved). A record without its entered_in_error cell (n one short
 * of the kind's columns) is valid: over a row of the same key marked
 * entered in error it clears the mark, as the other single entries do.
 * flags: APP_ENTER_NEW refuses a record whose natural key is already
 * recorded with other values (a new patient's MRN; no silent overwrite),
 * APP_ENTER_EXISTING one whose key is not recorded yet (stopping a course
 * updates that course's row); the refusal names the key's first column
 * after the MRN to diag. *patient_id (may be NULL) receives the record's
 * patient, a new patient's id. */
#define APP_ENTER_NEW 1u
#define APP_ENTER_EXISTING 2u
int app_enter_record(const struct app_env *e, int now_sec, enum store_kind kind, unsigned flags,
		     const char *const *cells, size_t n, ef_diag_fn diag, void *diag_ctx, struct app_saved *out,
		     int64_t *patient_id, struct ef_err *err);

/* Re-run one patient's rules as of e->today in one transaction. */
int app_check_patient(const struct app_env *e, int64_t patient_id, struct ef_check_counts *counts,
		      struct ef_err *err);

/* `check` as of as_of, in one transaction: the rules of every patient
 * whose kept findings do not hold on as_of (new records since, or a day
 * on which they may change: keptstore.h), applied to its alerts, and the
 * forecasts that do not hold refreshed; `all`: every patient. With `mrn`
 * (which must exist: EF_INVALID otherwise) that patient alone, always.
 * counts->kept counts every alert left open or acknowledged that was
 * neither opened nor reopened (also those of patients not looked at);
 * counts->evaluated and ->patients say how many were looked at, of how
 * many. The alert state written is dated as_of, so as_of after e->today
 * is refused (EF_USAGE): nothing is ever dated in the future. */
int app_check_clinic(const struct app_env *e, ef_day as_of, const char *mrn, int all, struct ef_check_counts *counts,
		     struct ef_err *err);

/* Refresh, in one transaction, every kept forecast (vaccines, follow-up
 * calendar) that does not hold on e->today, so that the worklists read
 * them (keptstore.h store_each_kept_due, ...). Derived data only: any
 * signed-on staff member may. */
int app_forecasts_refresh(const struct app_env *e, struct ef_err *err);

/* Every patient's (or the one with mrn's) vaccine forecast as of as_of
 * (any day), in MRN order, one call of fn per entry: the kept one where it
 * holds on as_of, else computed from the records (e->ref). Reads only. */
typedef int (*app_due_fn)(void *ctx, const struct store_kept_patient *p, const struct ef_due *d, struct ef_err *err);
int app_each_due(const struct app_env *e, ef_day as_of, const char *mrn, app_due_fn fn, void *ctx,
		 struct ef_err *err);
/* The same for the follow-up calendar (every entry, done ones too). */
typedef int (*app_fu_fn)(void *ctx, const struct store_kept_patient *p, const struct ef_fu_entry *f,
			 struct ef_err *err);
int app_each_followup(const struct app_env *e, ef_day as_of, const char *mrn, app_fu_fn fn, void *ctx,
		      struct ef_err *err);

/* Inside a transaction the caller already holds (the use cases above):
 * evaluate one patient's rules as of as_of (e->today) and apply the
 * findings to its alerts; keep them, and its forecasts. */
int app_rules_apply(struct store *s, const struct ef_reference *ref, int64_t patient_id, ef_day as_of,
		    struct ef_check_counts *counts, struct ef_err *err);

/* ---- drafts: what the terminal interface keeps at an automatic sign-off
 * A form's field values, kept as the store user's (the login's) draft when
 * the session is signed off for inactivity, and offered when the same
 * login opens the same form for the same patient and context again. Not a
 * clinical record: no rules, no audit trail. Each write is one
 * transaction; the store holds the fields in one escaped text (one value
 * per line, a backslash as \\ and a line break as \n). */
#define APP_DRAFT_MAX_FIELDS 16
struct app_draft_key {
	const char *form;        /* lab, dose, gvhd-acute, gvhd-chronic, ack, entered-in-error,
				    transplant, immunosuppression, ivig, transfusion, followup */
	int64_t patient_id;
	const char *context;     /* what else the form is for (vaccine, alert id); NULL: none */
};
struct app_draft {
	int n;                              /* field values */
	char *field[APP_DRAFT_MAX_FIELDS];  /* NUL-terminated, into buf */
	char saved_at[21];                  /* UTC, YYYY-MM-DDTHH:MM:SSZ */
	char kept_on[11], kept_at[6];       /* the same as the local date and HH:MM */
	char *buf;
};
/* Keep n (1 to APP_DRAFT_MAX_FIELDS) field values as the login's draft of
 * k, replacing an earlier one. EF_USAGE: a value is not storable text. */
int app_draft_save(const struct app_env *e, const struct app_draft_key *k, const char *const *fields, int n,
		   struct ef_err *err);
/* The login's draft of k into *out (free it with app_draft_free): *found
 * 0 when there is none. A draft whose patient is gone is deleted quietly
 * (not found). The draft stays until saved over or discarded. */
int app_draft_take(const struct app_env *e, const struct app_draft_key *k, struct app_draft *out, int *found,
		   struct ef_err *err);
void app_draft_free(struct app_draft *d);
/* Delete the login's draft of k (none: nothing happens). */
int app_draft_discard(const struct app_env *e, const struct app_draft_key *k, struct ef_err *err);
/* The login's drafts, after deleting those whose patient is gone. */
int app_draft_count(const struct app_env *e, int64_t *n, struct ef_err *err);

/* ---- interchange formats (interop.h; src/app/interop.c) ---- */

/* `import hl7`: read the whole stream (at most EF_INTEROP_MAX_FILE bytes),
 * check that e->me may write every kind its messages hold (ORU^R01: labs,
 * VXU^V04: vaccinations; app_kind_action), then import it in one
 * transaction (ef_hl7_import: every record checked, one import record and
 * audit entry with the file's SHA-256, all or nothing). diag receives
 * "NAME:LINE: SEG-N: reason" per problem. The alerts change at the next
 * `check`, as after a CSV import. */
struct ef_hl7_result;
int app_import_hl7(const struct app_env *e, int now_sec, FILE *in, const char *name, ef_diag_fn diag,
		   void *diag_ctx, struct ef_hl7_result *res, struct ef_err *err);
/* `import fhir`: the same for a FHIR R4 Bundle (fhir.h ef_fhir_import):
 * Observations need the permission of labs, Immunizations of
 * vaccinations. */
struct ef_fhir_result;
int app_import_fhir(const struct app_env *e, int now_sec, FILE *in, const char *name, ef_diag_fn diag,
		    void *diag_ctx, struct ef_fhir_result *res, struct ef_err *err);

#endif
