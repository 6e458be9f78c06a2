/* refstore.h - the reference data (assets/) in the database.
 *
 * Tables of schema/003_reference.sql (parameters, vaccine_schedule,
 * milestones, monitoring) and cvx_codes of 002, one per enum ef_ref_kind,
 * typed, with the CSV header names as column names. Values travel as text
 * in the column order of ef_reference_kind(kind) (reference.h), so the core
 * validates them with ef_reference_add_row() on the way in and builds its
 * struct ef_reference from them on the way out; the core never sees SQL.
 *
 * store_*: src/store/reference.c (SQL, prepared statements only).
 * ef_load_reference / ef_ensure_reference: src/csv/reference.c (reads the
 * CSV files, embedded defaults or a site's directory). */
#ifndef ENGRAFT_REFSTORE_H
#define ENGRAFT_REFSTORE_H

#include <stdint.h>

#include "engraft/error.h"
#include "engraft/reference.h"
#include "engraft/store.h"
#include "engraft/vaccines.h"

/* Delete every row of a kind (inside the caller's transaction). */
/* The reference tables in the audit trail: record each table whose rows
 * differ from the last state the trail holds for it, as one entry with the
 * rows before and after (action 'insert' for its first rows, 'update'
 * later; 'baseline' when `baseline` is set: migration 010), by the store's
 * user, inside the caller's transaction. Loading site files calls it. */
int store_reference_log(struct store *s, int baseline, struct ef_err *err);

int store_reference_clear(struct store *s, enum ef_ref_kind kind, struct ef_err *err);

/* Insert one row; values[i] is column i of ef_reference_kind(kind), NULL or
 * "" = NULL. The caller has validated it (ef_reference_add_row). */
int store_reference_add(struct store *s, enum ef_ref_kind kind, const char *const *values, struct ef_err *err);

int store_reference_count(struct store *s, enum ef_ref_kind kind, int64_t *n, struct ef_err *err);

/* Rows of a kind in file order (cvx: by code), values as text in column
 * order (NULL = empty). */
int store_reference_rows(struct store *s, enum ef_ref_kind kind, store_row_fn fn, void *ctx,
			 struct ef_err *err);

/* Build the core's reference from every table (init'ed here, finished;
 * free with ef_reference_free). A bad row in the database is EF_DB. */
int store_reference_load(struct store *s, struct ef_reference *ref, struct ef_err *err);

/* The live-vaccine gate for a dose of vaccine `code` (a series or CVX code)
 * about to be recorded for a patient on `on`: *live is set when any series
 * the code counts toward is live (the vaccine_codes table or the reference
 * schedule); then *gate is ef_live_gate_eval on `on` for the patient's
 * latest transplant on or before it, over the patient's valid rows as of
 * `on` (no transplant: the gate is open, no rule applies). */
int store_live_gate(struct store *s, const struct ef_reference *ref, int64_t patient_id, const char *code,
		    ef_day on, int *live, struct ef_live_gate *gate, struct ef_err *err);

/* The recorded source ("administered", "historical") of the vaccination
 * with this natural key: *found 0 when there is none. */
int store_vaccination_source(struct store *s, int64_t patient_id, const char *vaccine, const char *given_on,
			     int *found, int *administered, struct ef_err *err);

/* Only the rows of one kind into ref (init'ed here, not finished; free with
 * ef_reference_free): the importer reads lab_tests so, once per file. */
int store_reference_load_kind(struct store *s, enum ef_ref_kind kind, struct ef_reference *ref,
			      struct ef_err *err);

/* Replace parameters, vaccine_schedule, milestones, monitoring, cvx and
 * lab_tests with the
 * files in dir (NULL: the embedded defaults), all validated first; inside the
 * caller's transaction. Errors are "FILE:LINE: column: reason" (EF_INVALID). */
int ef_load_reference(struct store *s, const char *dir, struct ef_err *err);

/* Load the defaults if the parameters table is empty (first use after the
 * migration), or only lab_tests' if that table alone is empty (a database
 * from before schema 007); its own transaction. */
int ef_ensure_reference(struct store *s, struct ef_err *err);

#endif
