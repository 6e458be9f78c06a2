/* store.h - the database: the only module that speaks SQL.
 *
 * One struct store owns one SQLite connection and its prepared statements.
 * Opening creates the directory (0700) and the file (0600) if needed, sets
 * foreign_keys=ON, WAL and busy_timeout, and applies pending migrations
 * (schema/NNN_*.sql compiled in), each in one transaction. A database whose
 * user_version is newer than this program knows is refused (EF_DB) and
 * left untouched. Every function returns an ef_status and fills err. */
#ifndef ENGRAFT_STORE_H
#define ENGRAFT_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "engraft/error.h"
#include "engraft/timeline.h"

struct store;

enum store_flags {
	STORE_READONLY = 1, /* open an existing database read-only (no create, no migrate) */
	STORE_ANY_DIR = 2,  /* the directory may be open to others (backup checking its own 0600 copy) */
};

/* Resolve the database path: explicit (--db) > $ENGRAFT_DB > XDG data dir.
 * Writes into buf; EF_USAGE if it does not fit or HOME is unknown. */
int store_default_path(const char *explicit_path, char *buf, size_t size, struct ef_err *err);

int store_open(const char *path, int flags, struct store **out, struct ef_err *err);
void store_close(struct store *s);

/* The operating system login of the effective uid (getpwuid(geteuid())),
 * recorded in the audit trail; who may do what is the staff list
 * (staff.h). store_user_name: the password file's full name ("" if none).
 * store_set_user is for unit tests that play several logins in one
 * process; engraft itself never calls it (tests/contracts checks). */
const char *store_user(const struct store *s);
const char *store_user_name(const struct store *s);
void store_set_user(struct store *s, const char *user);

/* engraft init --group: make the database's directory setgid 2770 with
 * GROUP (creating it; an existing directory only when it holds nothing but
 * this database), and the database and its -wal, -shm and -journal, when
 * they exist, 0660 with GROUP. New files in such a directory are then made
 * 0660 by every later command, whatever its umask. */
int store_make_shared(const char *path, const char *group, struct ef_err *err);
const char *store_path(const struct store *s);

/* Schema version of the open database and the newest this program knows. */
int store_schema_version(struct store *s);
int store_schema_latest(void);
/* A 16 MiB page cache instead of store_open's 64 MiB (for imports and a
 * whole-cohort check): the terminal's screens read pages of rows, and a
 * session at 100,000 patients stays small. */
int store_small_cache(struct store *s, struct ef_err *err);

/* Transactions: begin is BEGIN IMMEDIATE (lock waits happen here, bounded
 * by busy_timeout; EF_DB "database is busy" after it). */
int store_begin(struct store *s, struct ef_err *err);
int store_commit(struct store *s, struct ef_err *err);
void store_rollback(struct store *s);

/* One write transaction around fn: begin, run fn, then commit if fn
 * returned EF_OK, else roll back. Every path leaves no transaction open
 * (a failed commit rolls back too). Returns fn's status or the begin/commit
 * error. Every write of the CLI and the TUI goes through this (src/app). */
typedef int (*store_tx_fn)(struct store *s, void *ctx, struct ef_err *err);
int store_tx(struct store *s, store_tx_fn fn, void *ctx, struct ef_err *err);

/* ---- patients --------------------------------------------------------- */

/* Look up a patient by MRN. EF_OK with *id = 0 when not found. */
int store_patient_id(struct store *s, const char *mrn, size_t mrn_len, int64_t *id, ef_day *birth,
		     struct ef_err *err);
/* The same and, in the same query, the date of death (the earliest valid
 * deceased status row; EF_NO_DAY: none). */
int store_patient_dates(struct store *s, const char *mrn, size_t mrn_len, int64_t *id, ef_day *birth, ef_day *death,
			struct ef_err *err);
/* The date of death of a patient by id (EF_NO_DAY: none recorded). */
int store_patient_death(struct store *s, int64_t patient_id, ef_day *death, struct ef_err *err);
/* The date of the patient's latest valid record (a result, transplant,
 * transfusion, dose, GVHD assessment, immunosuppression start or stop, IVIG
 * dose, or a status other than deceased) and what it is ("lab result ANC",
 * cut to 31 bytes): a date of death before it would contradict it.
 * EF_NO_DAY: none. */
int store_patient_latest_record(struct store *s, int64_t patient_id, ef_day *on, char what[32], struct ef_err *err);
int store_patient_get(struct store *s, int64_t id, struct ef_patient *p, struct ef_err *err);
int store_patient_count(struct store *s, int64_t *n, struct ef_err *err);

/* ---- writing rows (import, demo, TUI entry) ---------------------------- */

enum store_put {
	STORE_INSERTED = 0,
	STORE_UPDATED,
	STORE_UNCHANGED,
	STORE_CONFLICT, /* same natural key inserted earlier by this same import
			   with other values: the caller reports it */
};

/* Each put inserts a row, or updates the row with the same natural key
 * (docs/formats.md s.4) when its other values differ, or changes nothing.
 * import_id is the current import (0 for single entries). Strings are
 * NUL-terminated; NULL or "" optional strings are stored as NULL.
 *
 * entered_in_error (schema 006): the reason the row was entered in error,
 * NULL or "" = valid. It is the row's value only when eie_given is set (a
 * CSV with the column, empty or not); with eie_given 0 (a CSV without the
 * column, a form) a new row is valid and an existing row keeps its mark. */
struct store_patient_rec {
	const char *mrn, *family_name, *given_name, *birth_date, *sex, *diagnosis;
};
struct store_transplant_rec {
	int64_t patient_id;
	const char *transplant_date, *type, *graft_source, *donor, *conditioning;
};
struct store_lab_rec {
	int64_t patient_id;
	const char *collected_on; /* as given */
	ef_day day;
	const char *test;
	const char *value;        /* as given, with qualifier */
	char qualifier;           /* '=', '<', '>' */
	double canonical;
	const char *unit;         /* as given */
	const char *entered_in_error;
	int eie_given;
};
struct store_transfusion_rec {
	int64_t patient_id;
	const char *given_on, *product;
	const char *entered_in_error;
	int eie_given;
};
/* source: "administered" (given here: lot and site required) or
 * "historical" (NULL: historical); override_reason: why an administered live
 * dose was given while the live-vaccine gate was closed. Both are the row's
 * values only when source_given is set (a CSV with a source column, a form);
 * otherwise a new row is historical and an existing row keeps its own. */
struct store_vaccination_rec {
	int64_t patient_id;
	const char *vaccine, *given_on, *lot, *site, *given_by;
	const char *source, *override_reason;
	int source_given;
	const char *entered_in_error;
	int eie_given;
};
struct store_gvhd_acute_rec {
	int64_t patient_id;
	const char *assessed_on;
	int skin, liver, upper_gi, lower_gi;
	const char *grade;        /* computed by ef_agvhd_grade */
	const char *entered_in_error;
	int eie_given;
};
struct store_gvhd_chronic_rec {
	int64_t patient_id;
	const char *assessed_on;
	int skin, mouth, eyes, gi, liver, lungs, joints, genital;
	const char *severity;     /* computed by ef_cgvhd_severity */
	const char *entered_in_error;
	int eie_given;
};
struct store_is_rec {
	int64_t patient_id;
	const char *drug, *started_on, *stopped_on;
	const char *entered_in_error;
	int eie_given;
};
struct store_ivig_rec {
	int64_t patient_id;
	const char *given_on, *dose_g;
	const char *entered_in_error;
	int eie_given;
};
/* A vital or follow-up status (schema 012): status is a word of
 * EF_V_STATUS (alive, relapse, deceased, transferred, lost_to_followup,
 * returned); note optional free text of at most STORE_STATUS_NOTE_MAX bytes. */
#define STORE_STATUS_NOTE_MAX 500
struct store_status_rec {
	int64_t patient_id;
	const char *recorded_on, *status, *note;
	const char *entered_in_error;
	int eie_given;
};
/* A follow-up time point done (schema 015): item and time_point of the
 * calendar (followup.h), done_on a date, note optional free text of at most
 * STORE_FOLLOWUP_NOTE_MAX bytes. */
#define STORE_FOLLOWUP_NOTE_MAX 500
struct store_followup_rec {
	int64_t patient_id;
	const char *item, *time_point, *done_on, *note;
	const char *entered_in_error;
	int eie_given;
};

/* The id of the row the last store_put_* inserted, updated or found
 * unchanged (for a signature on it). */
int64_t store_last_put_id(const struct store *s);
int store_put_patient(struct store *s, const struct store_patient_rec *r, int64_t import_id,
		      int64_t *id, enum store_put *res, struct ef_err *err);
int store_put_transplant(struct store *s, const struct store_transplant_rec *r, int64_t import_id,
			 enum store_put *res, struct ef_err *err);
int store_put_lab(struct store *s, const struct store_lab_rec *r, int64_t import_id, enum store_put *res,
		  struct ef_err *err);
/* Lab results of an import, STORE_LAB_BATCH at a time: the same outcome
 * per row (res[k], in the order added) as store_put_lab in the same order,
 * in far fewer statements. add copies r (its texts within the sizes below,
 * which import validation guarantees; -1 otherwise) and returns 1 when the
 * batch is full: flush it. flush writes and empties the batch. */
#define STORE_LAB_BATCH 64
#define STORE_EIE_MAX 200 /* bytes of an entered_in_error or override reason */
/* Limits of a lab result's texts in bytes: the CSV kind's description
 * (src/csv/kinds.c) uses these, and the batch below is sized by them. */
#define STORE_LAB_COLLECTED_ON_MAX 19 /* YYYY-MM-DDTHH:MM:SS */
#define STORE_LAB_TEST_MAX 8
#define STORE_LAB_VALUE_MAX 46
#define STORE_LAB_UNIT_MAX 31
struct store_lab_batch {
	int n;
	struct store_lab_batch_row {
		struct store_lab_rec rec; /* its texts point into the arrays below */
		char collected_on[STORE_LAB_COLLECTED_ON_MAX + 1], test[STORE_LAB_TEST_MAX + 1];
		char value[STORE_LAB_VALUE_MAX + 1], unit[STORE_LAB_UNIT_MAX + 1];
		char entered_in_error[STORE_EIE_MAX + 1];
	} row[STORE_LAB_BATCH];
};
int store_lab_batch_add(struct store_lab_batch *b, const struct store_lab_rec *r);
int store_lab_batch_flush(struct store *s, struct store_lab_batch *b, int64_t import_id,
			  enum store_put res[STORE_LAB_BATCH], struct ef_err *err);
int store_put_transfusion(struct store *s, const struct store_transfusion_rec *r, int64_t import_id,
			  enum store_put *res, struct ef_err *err);
int store_put_vaccination(struct store *s, const struct store_vaccination_rec *r, int64_t import_id,
			  enum store_put *res, struct ef_err *err);
int store_put_gvhd_acute(struct store *s, const struct store_gvhd_acute_rec *r, int64_t import_id,
			 enum store_put *res, struct ef_err *err);
int store_put_gvhd_chronic(struct store *s, const struct store_gvhd_chronic_rec *r, int64_t import_id,
			   enum store_put *res, struct ef_err *err);
int store_put_is(struct store *s, const struct store_is_rec *r, int64_t import_id, enum store_put *res,
		 struct ef_err *err);
int store_put_ivig(struct store *s, const struct store_ivig_rec *r, int64_t import_id, enum store_put *res,
		   struct ef_err *err);
int store_put_status(struct store *s, const struct store_status_rec *r, int64_t import_id, enum store_put *res,
		     struct ef_err *err);
int store_put_followup(struct store *s, const struct store_followup_rec *r, int64_t import_id, enum store_put *res,
		       struct ef_err *err);
/* *found: the patient has a transplant dated on or before `on` (YYYY-MM-DD). */
int store_transplant_by(struct store *s, int64_t patient_id, const char *on, int *found, struct ef_err *err);

/* ---- imports ---------------------------------------------------------- */

/* Start an import record (inside the caller's transaction). */
int store_import_begin(struct store *s, const char *kind, const char *file_name, int64_t *import_id,
		       struct ef_err *err);
/* Record the totals (and the file's SHA-256 hex, may be NULL), and write
 * the import's one audit entry (audit.h: store_audit_import). */
int store_import_end(struct store *s, int64_t import_id, const char *file_sha256, long inserted,
		     long updated, long unchanged, struct ef_err *err);

/* Is `code` a known vaccine (a series code or a CVX code in the cvx table)? */
int store_vaccine_known(struct store *s, const char *code, size_t len, int *known, struct ef_err *err);
/* A vaccine series' live flag in engraft's own series table (schema 002):
 * *found 0 when the series is not there. */
int store_series_live(struct store *s, const char *series, int *live, int *found, struct ef_err *err);

/* ---- reading: export of the import kinds ------------------------------- */

/* Row callback: values in the export column order of the kind (NULL = empty). */
typedef int (*store_row_fn)(void *ctx, const char *const *values, size_t n, struct ef_err *err);

enum store_kind {
	STORE_K_PATIENTS = 0,
	STORE_K_TRANSPLANTS,
	STORE_K_LABS,
	STORE_K_TRANSFUSIONS,
	STORE_K_VACCINATIONS,
	STORE_K_GVHD_ACUTE,
	STORE_K_GVHD_CHRONIC,
	STORE_K_IMMUNOSUPPRESSION,
	STORE_K_IVIG,
	STORE_K_STATUS,
	STORE_K_FOLLOWUPS,
	STORE_K_COUNT
};

/* Rows of a kind ordered by natural key; rows dated after as_of
 * (EF_NO_DAY: no limit) are left out; mrn NULL = every patient. */
int store_export_rows(struct store *s, enum store_kind kind, ef_day as_of, const char *mrn, store_row_fn fn,
		      void *ctx, struct ef_err *err);

/* Mark a record of the patient entered in error with `reason` (1 to
 * STORE_EIE_MAX bytes, no control characters: EF_INVALID otherwise): an
 * update of the row, logged by the audit triggers (browse.c). EF_INVALID
 * when the patient has no such record of that kind. Inside the caller's
 * transaction (app_mark_entered_in_error). */
int store_mark_entered_in_error(struct store *s, enum store_kind kind, int64_t id, int64_t patient_id,
				const char *reason, struct ef_err *err);

/* ---- timelines for the rules ------------------------------------------ */

/* Load one patient's timeline as it stood on as_of (rows dated later left out). */
int store_load_timeline(struct store *s, int64_t patient_id, ef_day as_of, struct ef_timeline *tl,
			struct ef_err *err);

/* Call fn for every patient (or the one with `mrn`), in patient id order,
 * streaming each table once. tl is reused between calls. */
typedef int (*store_timeline_fn)(void *ctx, const struct ef_timeline *tl, struct ef_err *err);
int store_each_timeline(struct store *s, ef_day as_of, const char *mrn, store_timeline_fn fn, void *ctx,
			struct ef_err *err);

/* The same, loading only some parts of each timeline (the others are left
 * empty): e.g. the vaccine forecast needs no lab results, which are most of
 * the data. The patient and transplants are always loaded. */
enum store_tl_part {
	STORE_TL_LABS = 1u << 0,
	STORE_TL_TRANSFUSIONS = 1u << 1,
	STORE_TL_DOSES = 1u << 2,
	STORE_TL_GVHD = 1u << 3,
	STORE_TL_IS = 1u << 4,
	STORE_TL_IVIG = 1u << 5,
	STORE_TL_FOLLOWUPS = 1u << 6,
	STORE_TL_ALL = 0x7fu,
	/* what the vaccine forecaster and the live-vaccine gate read */
	STORE_TL_VACCINES = STORE_TL_DOSES | STORE_TL_GVHD | STORE_TL_IS | STORE_TL_IVIG,
};
int store_each_timeline_parts(struct store *s, ef_day as_of, const char *mrn, unsigned parts, store_timeline_fn fn,
			      void *ctx, struct ef_err *err);
int store_load_timeline_parts(struct store *s, int64_t patient_id, ef_day as_of, unsigned parts,
			      struct ef_timeline *tl, struct ef_err *err);

/* ---- drafts (schema 009) ------------------------------------------------
 * What a login had typed into a form of the terminal interface when it was
 * signed off for inactivity (app.h: app_draft_save/take/discard). Not a
 * clinical record (no audit trail, no export). One draft per key, replaced
 * by a later put. Writes run inside the caller's transaction. */
struct store_draft_key {
	const char *login;       /* 1 to 127 bytes */
	const char *form;        /* lab, dose, gvhd-acute, gvhd-chronic, ack, entered-in-error */
	int64_t patient_id;      /* >= 1 */
	const char *context;     /* NULL or "" = none; at most 63 bytes */
};
#define STORE_DRAFT_FIELDS_MAX 65536 /* bytes of a draft's encoded fields */

/* Insert the draft of k with `fields`, or replace it; saved now (UTC). */
int store_draft_put(struct store *s, const struct store_draft_key *k, const char *fields, struct ef_err *err);
/* The draft of k: *found 0 when there is none. Else *fields (malloc'd: the
 * caller frees it), saved_at (UTC, YYYY-MM-DDTHH:MM:SSZ) and
 * *patient_exists (0: its patient is no longer in the database). */
int store_draft_get(struct store *s, const struct store_draft_key *k, char **fields, char saved_at[21],
		    int *patient_exists, int *found, struct ef_err *err);
/* Delete the draft of k (none: nothing happens); *deleted 1 when there was
 * one (deleted may be NULL). */
int store_draft_delete(struct store *s, const struct store_draft_key *k, int *deleted, struct ef_err *err);
/* The login's drafts: *n whose patient exists, *orphans whose patient is
 * gone (a read). */
int store_draft_count(struct store *s, const char *login, int64_t *n, int64_t *orphans, struct ef_err *err);
/* Delete the login's drafts whose patient is gone. */
int store_draft_tidy(struct store *s, const char *login, struct ef_err *err);

#endif
