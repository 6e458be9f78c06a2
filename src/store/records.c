/* records.c - insert-or-update of clinical rows by natural key.
 *
 * The three statements of a kind follow from its description
 * (engraft/columns.h, built by kinds.c); what is written here per kind is
 * the binding of its record's fields to the description's parameters, and
 * for lab results the hot paths (the batch INSERT, digest_lab).
 *
 * Protocol for every kind (one round trip in the common case):
 *   1. INSERT ... ON CONFLICT DO NOTHING    -> inserted if a row changed
 *   2. probe by natural key: id, import_id, and whether any value differs
 *   3. same values -> unchanged; inserted earlier by this same import with
 *      other values -> conflict (the caller reports both lines); otherwise
 *      UPDATE by id -> updated (the audit triggers record before/after).
 * Parameters are numbered identically in the three statements of a kind:
 * the kind's values from ?1, ?12 entered_in_error and ?13 whether it is
 * given (0 keeps an existing row's mark: bind_eie), ?14..?16 a vaccination's
 * source, override_reason and whether they are given, ?20 the import, ?21
 * the row id. */
#include "store_int.h"

#include "engraft/audit.h"
#include "engraft/columns.h"

#include <stdio.h>
#include <string.h>

typedef int (*bind_fn)(sqlite3_stmt *, const void *);

static void bind_import(sqlite3_stmt *st, int i, int64_t import_id)
{
	if (import_id > 0)
		sqlite3_bind_int64(st, i, import_id);
	else
		sqlite3_bind_null(st, i);
}

/* entered_in_error as ?12 and whether it applies as ?13 (records.c top). */
static void bind_eie(sqlite3_stmt *st, const char *eie, int given)
{
	store_bind_opt(st, 12, eie);
	sqlite3_bind_int(st, 13, given != 0);
}

static int digest_lab(struct store *s, const struct store_lab_rec *r, int64_t id, int64_t import_id,
		      struct ef_err *err);

/* An inserted row feeds the import's digest (none outside an import): a lab
 * result from the values just inserted (the hot kind), others read back. */
static int digest_inserted(struct store *s, enum store_kind k, const void *rec, int64_t id, int64_t import_id,
			   struct ef_err *err)
{
	if (import_id <= 0)
		return EF_OK;
	return k == STORE_K_LABS ? digest_lab(s, rec, id, import_id, err)
				 : store_audit_digest_row(s, store_kinds[k].table, id, err);
}

/* Step 2: the row with rec's natural key: its id, the import that last
 * wrote it (0: none) and whether any value differs from rec. */
static int probe(struct store *s, enum store_kind k, const struct store_kind_sql *q, bind_fn bind, const void *rec,
		 int64_t *id, int64_t *prev_import, int *differs, struct ef_err *err)
{
	sqlite3_stmt *st = store_stmt_rebind(s, q->probe, err);
	if (!st)
		return EF_DB;
	bind(st, rec);
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		rc = rc == SQLITE_DONE ? ef_errf(err, EF_DB, "%s: row vanished during insert", store_kinds[k].what)
				       : store_dberr(s, err, store_kinds[k].what);
		sqlite3_reset(st);
		return rc;
	}
	*id = sqlite3_column_int64(st, 0);
	*prev_import = sqlite3_column_type(st, 1) == SQLITE_NULL ? 0 : sqlite3_column_int64(st, 1);
	*differs = sqlite3_column_int(st, 2);
	sqlite3_reset(st);
	return EF_OK;
}

/* Step 3, for a row whose key was already there (row id, as probed). */
static int settle(struct store *s, enum store_kind k, const struct store_kind_sql *q, bind_fn bind, const void *rec,
		  int64_t import_id, int64_t id, int64_t prev_import, int differs, enum store_put *res,
		  struct ef_err *err)
{
	if (!differs) {
		*res = STORE_UNCHANGED;
		return EF_OK;
	}
	if (import_id > 0 && prev_import == import_id) {
		*res = STORE_CONFLICT;
		return EF_OK;
	}
	sqlite3_stmt *st = store_stmt_rebind(s, q->update, err);
	if (!st)
		return EF_DB;
	bind(st, rec);
	sqlite3_bind_int64(st, 21, id);
	bind_import(st, 20, import_id);
	int rc = store_exec_stmt(s, st, err, store_kinds[k].what);
	if (rc)
		return rc;
	*res = STORE_UPDATED;
	return EF_OK;
}

static int put(struct store *s, enum store_kind k, bind_fn bind, const void *rec, int64_t import_id,
	       int64_t *id_out, enum store_put *res, struct ef_err *err)
{
	int rc;
	const struct store_kind_sql *q = store_kind_sql(k, err);
	if (!q)
		return EF_DB;
	sqlite3_stmt *st = store_stmt_rebind(s, q->insert, err);
	if (!st)
		return EF_DB;
	bind(st, rec);
	bind_import(st, 20, import_id);
	if ((rc = store_exec_stmt(s, st, err, store_kinds[k].what)))
		return rc;
	if (sqlite3_changes(s->db) > 0) {
		int64_t id = sqlite3_last_insert_rowid(s->db);
		if (id_out)
			*id_out = id;
		s->last_put_id = id;
		*res = STORE_INSERTED;
		return digest_inserted(s, k, rec, id, import_id, err);
	}
	int64_t id = 0, prev_import = 0;
	int differs = 0;
	if ((rc = probe(s, k, q, bind, rec, &id, &prev_import, &differs, err)))
		return rc;
	if (id_out)
		*id_out = id;
	s->last_put_id = id;
	return settle(s, k, q, bind, rec, import_id, id, prev_import, differs, res, err);
}

/* ---- patients ---- */
static int bind_patient(sqlite3_stmt *st, const void *p)
{
	const struct store_patient_rec *r = p;
	store_bind_text(st, 1, r->mrn);
	store_bind_text(st, 2, r->family_name);
	store_bind_text(st, 3, r->given_name);
	store_bind_text(st, 4, r->birth_date);
	store_bind_opt(st, 5, r->sex);
	store_bind_opt(st, 6, r->diagnosis);
	return 0;
}

int store_put_patient(struct store *s, const struct store_patient_rec *r, int64_t import_id, int64_t *id,
		      enum store_put *res, struct ef_err *err)
{
	return put(s, STORE_K_PATIENTS, bind_patient, r, import_id, id, res, err);
}

/* ---- transplants ---- */
static int bind_transplant(sqlite3_stmt *st, const void *p)
{
	const struct store_transplant_rec *r = p;
	sqlite3_bind_int64(st, 1, r->patient_id);
	store_bind_text(st, 2, r->transplant_date);
	store_bind_text(st, 3, r->type);
	store_bind_text(st, 4, r->graft_source);
	store_bind_opt(st, 5, r->donor);
	store_bind_opt(st, 6, r->conditioning);
	return 0;
}

int store_put_transplant(struct store *s, const struct store_transplant_rec *r, int64_t import_id,
			 enum store_put *res, struct ef_err *err)
{
	return put(s, STORE_K_TRANSPLANTS, bind_transplant, r, import_id, NULL, res, err);
}

/* ---- labs ---- */
static const char *qualifier_text(char q)
{
	return q == '<' ? "<" : q == '>' ? ">" : "=";
}

/* A lab result's eight columns as parameters base+1 .. base+8 (base 0 for
 * the one-row statements, LAB_WIDTH k for row k of the batch). */
static void bind_lab_at(sqlite3_stmt *st, int base, const struct store_lab_rec *r)
{
	sqlite3_bind_int64(st, base + 1, r->patient_id);
	store_bind_text(st, base + 2, r->collected_on);
	sqlite3_bind_int(st, base + 3, r->day);
	store_bind_text(st, base + 4, r->test);
	store_bind_text(st, base + 5, r->value);
	sqlite3_bind_text(st, base + 6, qualifier_text(r->qualifier), 1, SQLITE_STATIC);
	sqlite3_bind_double(st, base + 7, r->canonical);
	store_bind_text(st, base + 8, r->unit);
}

static int bind_lab(sqlite3_stmt *st, const void *p)
{
	const struct store_lab_rec *r = p;
	bind_lab_at(st, 0, r);
	bind_eie(st, r->entered_in_error, r->eie_given);
	return 0;
}

/* The digest columns of lab_results as stored (bind_lab binds them), in the
 * order of STORE_COLUMNS_LABS (engraft/columns.h). */
static int digest_lab(struct store *s, const struct store_lab_rec *r, int64_t id, int64_t import_id,
		      struct ef_err *err)
{
	const char *q = qualifier_text(r->qualifier);
#define T(str) {SQLITE_TEXT, 0, 0, (str), strlen(str)}
	const struct audit_val v[] = {
		{SQLITE_INTEGER, id, 0, NULL, 0},
		{SQLITE_INTEGER, r->patient_id, 0, NULL, 0},
		T(r->collected_on),
		{SQLITE_INTEGER, r->day, 0, NULL, 0},
		T(r->test),
		T(r->value),
		T(q),
		{SQLITE_FLOAT, 0, r->canonical, NULL, 0},
		T(r->unit),
		{SQLITE_INTEGER, import_id, 0, NULL, 0},
		r->entered_in_error && r->entered_in_error[0] ? (struct audit_val)T(r->entered_in_error)
							       : (struct audit_val){SQLITE_NULL, 0, 0, NULL, 0},
	};
#undef T
	return store_audit_digest_vals(s, "lab_results", v, (int)(sizeof v / sizeof v[0]), err);
}

int store_put_lab(struct store *s, const struct store_lab_rec *r, int64_t import_id, enum store_put *res,
		  struct ef_err *err)
{
	int rc = put(s, STORE_K_LABS, bind_lab, r, import_id, NULL, res, err);
	return rc || *res == STORE_UNCHANGED ? rc : store_kept_mark_rules(s, r->patient_id, err);
}

/* ---- lab results in batches (imports) ----
 * One INSERT of STORE_LAB_BATCH rows costs far less than as many one-row
 * statements: each statement execution opens a statement journal and a
 * frame for the audit insert trigger (whose WHEN skips imported rows), and
 * that was a third of a million-row import. The statement (kinds.c) takes
 * row k's columns in parameter order, ?1..?8 (bind_lab_at),
 * entered_in_error (?12) and import_id (?20), as parameters
 * LAB_WIDTH k + 1 .. LAB_WIDTH k + LAB_WIDTH. */
#define LAB_WIDTH 10
static const char lab_max_id_sql[] = "SELECT max(id) FROM lab_results";

static int copy_text(char *dst, size_t size, const char *src)
{
	size_t n = strlen(src);
	if (n >= size)
		return -1;
	memcpy(dst, src, n + 1);
	return 0;
}

int store_lab_batch_add(struct store_lab_batch *b, const struct store_lab_rec *r)
{
	if (b->n >= STORE_LAB_BATCH)
		return -1;
	struct store_lab_batch_row *row = &b->row[b->n];
	if (copy_text(row->collected_on, sizeof row->collected_on, r->collected_on) ||
	    copy_text(row->test, sizeof row->test, r->test) || copy_text(row->value, sizeof row->value, r->value) ||
	    copy_text(row->unit, sizeof row->unit, r->unit) ||
	    copy_text(row->entered_in_error, sizeof row->entered_in_error, r->entered_in_error ? r->entered_in_error : ""))
		return -1;
	row->rec = *r;
	row->rec.collected_on = row->collected_on;
	row->rec.test = row->test;
	row->rec.value = row->value;
	row->rec.unit = row->unit;
	row->rec.entered_in_error = row->entered_in_error;
	b->n++;
	return b->n == STORE_LAB_BATCH;
}

static int lab_max_id(struct store *s, int64_t *max, struct ef_err *err)
{
	sqlite3_stmt *st = store_stmt(s, lab_max_id_sql, err);
	if (!st)
		return EF_DB;
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		rc = store_dberr(s, err, store_kinds[STORE_K_LABS].what);
		sqlite3_reset(st);
		return rc;
	}
	*max = sqlite3_column_int64(st, 0); /* 0 for an empty table (NULL) */
	sqlite3_reset(st);
	return EF_OK;
}

/* A full batch in one statement. *all: every row was new and took the ids
 * max+1 .. max+n in order (SQLite gives a new row the largest id plus one
 * while that is below 2^63-1); otherwise *above = the largest id before the
 * statement, for settle_batch. */
static int insert_batch(struct store *s, const struct store_lab_batch *b, int64_t import_id, int *all,
			int64_t *above, struct ef_err *err)
{
	int rc = lab_max_id(s, above, err);
	if (rc)
		return rc;
	const struct store_kind_sql *q = store_kind_sql(STORE_K_LABS, err);
	if (!q)
		return EF_DB;
	sqlite3_stmt *st = store_stmt_rebind(s, q->batch, err);
	if (!st)
		return EF_DB;
	if (sqlite3_bind_parameter_count(st) != LAB_WIDTH * STORE_LAB_BATCH)
		return ef_errf(err, EF_DB, "internal: the lab batch has %d parameters, not %d",
			       sqlite3_bind_parameter_count(st), LAB_WIDTH * STORE_LAB_BATCH);
	for (int k = 0; k < b->n; k++) {
		bind_lab_at(st, LAB_WIDTH * k, &b->row[k].rec);
		store_bind_opt(st, LAB_WIDTH * k + 9, b->row[k].rec.entered_in_error);
		sqlite3_bind_int64(st, LAB_WIDTH * k + 10, import_id);
	}
	rc = sqlite3_step(st);
	if (rc != SQLITE_DONE) {
		rc = (rc & 0xff) == SQLITE_CONSTRAINT ? -1 : store_dberr(s, err, store_kinds[STORE_K_LABS].what);
		sqlite3_reset(st);
		return rc;
	}
	sqlite3_reset(st);
	int64_t changes = sqlite3_changes64(s->db);
	*all = changes == b->n && sqlite3_last_insert_rowid(s->db) - *above == b->n;
	return EF_OK;
}

/* After a batch statement that did not insert every row: each row by its
 * key. A row with an id above `above` was inserted by the statement, by the
 * first row of the batch with that key; any later one with the same key is
 * settled as store_put_lab would have settled it after the first. */
static int settle_batch(struct store *s, const struct store_lab_batch *b, int64_t import_id, int64_t above,
			enum store_put res[], struct ef_err *err)
{
	int64_t claimed[STORE_LAB_BATCH];
	int n_claimed = 0;
	const struct store_kind_sql *q = store_kind_sql(STORE_K_LABS, err);
	if (!q)
		return EF_DB;
	for (int k = 0; k < b->n; k++) {
		const struct store_lab_rec *r = &b->row[k].rec;
		int64_t id = 0, prev_import = 0;
		int differs = 0, rc;
		if ((rc = probe(s, STORE_K_LABS, q, bind_lab, r, &id, &prev_import, &differs, err)))
			return rc;
		int mine = id > above;
		for (int j = 0; j < n_claimed && mine; j++)
			mine = claimed[j] != id;
		if (mine) {
			claimed[n_claimed++] = id;
			res[k] = STORE_INSERTED;
			rc = digest_lab(s, r, id, import_id, err);
		} else {
			rc = settle(s, STORE_K_LABS, q, bind_lab, r, import_id, id, prev_import, differs, &res[k], err);
		}
		if (rc)
			return rc;
	}
	return EF_OK;
}

int store_lab_batch_flush(struct store *s, struct store_lab_batch *b, int64_t import_id,
			  enum store_put res[STORE_LAB_BATCH], struct ef_err *err)
{
	int rc = EF_OK, all = 0;
	int64_t above = 0;
	if (b->n == 0)
		return EF_OK;
	if (import_id <= 0)
		return ef_errf(err, EF_DB, "lab batch: only for imports");
	if (b->n == STORE_LAB_BATCH) {
		rc = insert_batch(s, b, import_id, &all, &above, err);
		if (rc == EF_OK && all) {
			for (int k = 0; k < b->n && !rc; k++) {
				res[k] = STORE_INSERTED;
				rc = digest_lab(s, &b->row[k].rec, above + 1 + k, import_id, err);
			}
		} else if (rc == EF_OK) {
			rc = settle_batch(s, b, import_id, above, res, err);
		}
	}
	/* A short batch (the file's last rows), or a constraint the statement
	 * broke (it changed nothing): row by row, which names the row's error. */
	if (b->n < STORE_LAB_BATCH || rc < 0) {
		rc = EF_OK;
		for (int k = 0; k < b->n && !rc; k++)
			rc = store_put_lab(s, &b->row[k].rec, import_id, &res[k], err);
	}
	for (int k = 0; k < b->n && !rc; k++)
		if (res[k] != STORE_UNCHANGED)
			rc = store_kept_mark_rules(s, b->row[k].rec.patient_id, err);
	b->n = 0;
	return rc;
}

/* ---- transfusions ---- */
static int bind_transfusion(sqlite3_stmt *st, const void *p)
{
	const struct store_transfusion_rec *r = p;
	sqlite3_bind_int64(st, 1, r->patient_id);
	store_bind_text(st, 2, r->given_on);
	store_bind_text(st, 3, r->product);
	bind_eie(st, r->entered_in_error, r->eie_given);
	return 0;
}

int store_put_transfusion(struct store *s, const struct store_transfusion_rec *r, int64_t import_id,
			  enum store_put *res, struct ef_err *err)
{
	return put(s, STORE_K_TRANSFUSIONS, bind_transfusion, r, import_id, NULL, res, err);
}

/* ---- vaccinations ---- */
static int bind_vaccination(sqlite3_stmt *st, const void *p)
{
	const struct store_vaccination_rec *r = p;
	sqlite3_bind_int64(st, 1, r->patient_id);
	store_bind_text(st, 2, r->vaccine);
	store_bind_text(st, 3, r->given_on);
	store_bind_opt(st, 4, r->lot);
	store_bind_opt(st, 5, r->site);
	store_bind_opt(st, 6, r->given_by);
	store_bind_text(st, 14, r->source && r->source[0] ? r->source : "historical");
	store_bind_opt(st, 15, r->override_reason);
	sqlite3_bind_int(st, 16, r->source_given != 0);
	bind_eie(st, r->entered_in_error, r->eie_given);
	return 0;
}

int store_put_vaccination(struct store *s, const struct store_vaccination_rec *r, int64_t import_id,
			  enum store_put *res, struct ef_err *err)
{
	return put(s, STORE_K_VACCINATIONS, bind_vaccination, r, import_id, NULL, res, err);
}

/* ---- acute GVHD ---- */
static int bind_acute(sqlite3_stmt *st, const void *p)
{
	const struct store_gvhd_acute_rec *r = p;
	sqlite3_bind_int64(st, 1, r->patient_id);
	store_bind_text(st, 2, r->assessed_on);
	sqlite3_bind_int(st, 3, r->skin);
	sqlite3_bind_int(st, 4, r->liver);
	sqlite3_bind_int(st, 5, r->upper_gi);
	sqlite3_bind_int(st, 6, r->lower_gi);
	store_bind_text(st, 7, r->grade);
	bind_eie(st, r->entered_in_error, r->eie_given);
	return 0;
}

int store_put_gvhd_acute(struct store *s, const struct store_gvhd_acute_rec *r, int64_t import_id,
			 enum store_put *res, struct ef_err *err)
{
	return put(s, STORE_K_GVHD_ACUTE, bind_acute, r, import_id, NULL, res, err);
}

/* ---- chronic GVHD ---- */
static int bind_chronic(sqlite3_stmt *st, const void *p)
{
	const struct store_gvhd_chronic_rec *r = p;
	sqlite3_bind_int64(st, 1, r->patient_id);
	store_bind_text(st, 2, r->assessed_on);
	const int v[8] = {r->skin, r->mouth, r->eyes, r->gi, r->liver, r->lungs, r->joints, r->genital};
	for (int i = 0; i < 8; i++)
		sqlite3_bind_int(st, 3 + i, v[i]);
	store_bind_text(st, 11, r->severity);
	bind_eie(st, r->entered_in_error, r->eie_given);
	return 0;
}

int store_put_gvhd_chronic(struct store *s, const struct store_gvhd_chronic_rec *r, int64_t import_id,
			   enum store_put *res, struct ef_err *err)
{
	return put(s, STORE_K_GVHD_CHRONIC, bind_chronic, r, import_id, NULL, res, err);
}

/* ---- immunosuppression ---- */
static int bind_is(sqlite3_stmt *st, const void *p)
{
	const struct store_is_rec *r = p;
	sqlite3_bind_int64(st, 1, r->patient_id);
	store_bind_text(st, 2, r->drug);
	store_bind_text(st, 3, r->started_on);
	store_bind_opt(st, 4, r->stopped_on);
	bind_eie(st, r->entered_in_error, r->eie_given);
	return 0;
}

int store_put_is(struct store *s, const struct store_is_rec *r, int64_t import_id, enum store_put *res,
		 struct ef_err *err)
{
	return put(s, STORE_K_IMMUNOSUPPRESSION, bind_is, r, import_id, NULL, res, err);
}

/* ---- IVIG ---- */
static int bind_ivig(sqlite3_stmt *st, const void *p)
{
	const struct store_ivig_rec *r = p;
	sqlite3_bind_int64(st, 1, r->patient_id);
	store_bind_text(st, 2, r->given_on);
	store_bind_opt(st, 3, r->dose_g);
	bind_eie(st, r->entered_in_error, r->eie_given);
	return 0;
}

int store_put_ivig(struct store *s, const struct store_ivig_rec *r, int64_t import_id, enum store_put *res,
		   struct ef_err *err)
{
	return put(s, STORE_K_IVIG, bind_ivig, r, import_id, NULL, res, err);
}

/* ---- vital and follow-up status ---- */
static int bind_status(sqlite3_stmt *st, const void *p)
{
	const struct store_status_rec *r = p;
	sqlite3_bind_int64(st, 1, r->patient_id);
	store_bind_text(st, 2, r->recorded_on);
	store_bind_text(st, 3, r->status);
	store_bind_opt(st, 4, r->note);
	bind_eie(st, r->entered_in_error, r->eie_given);
	return 0;
}

int store_put_status(struct store *s, const struct store_status_rec *r, int64_t import_id, enum store_put *res,
		     struct ef_err *err)
{
	return put(s, STORE_K_STATUS, bind_status, r, import_id, NULL, res, err);
}

/* ---- follow-up time points done ---- */
static int bind_followup(sqlite3_stmt *st, const void *p)
{
	const struct store_followup_rec *r = p;
	sqlite3_bind_int64(st, 1, r->patient_id);
	store_bind_text(st, 2, r->item);
	store_bind_text(st, 3, r->time_point);
	store_bind_text(st, 4, r->done_on);
	store_bind_opt(st, 5, r->note);
	bind_eie(st, r->entered_in_error, r->eie_given);
	return 0;
}

int store_put_followup(struct store *s, const struct store_followup_rec *r, int64_t import_id, enum store_put *res,
		       struct ef_err *err)
{
	return put(s, STORE_K_FOLLOWUPS, bind_followup, r, import_id, NULL, res, err);
}

int store_transplant_by(struct store *s, int64_t patient_id, const char *on, int *found, struct ef_err *err)
{
	static const char sql[] =
		"SELECT EXISTS (SELECT 1 FROM transplants WHERE patient_id = ?1 AND transplant_date <= ?2)";
	sqlite3_stmt *st = store_stmt(s, sql, err);
	if (!st)
		return EF_DB;
	sqlite3_bind_int64(st, 1, patient_id);
	store_bind_text(st, 2, on);
	int rc = sqlite3_step(st);
	*found = rc == SQLITE_ROW && sqlite3_column_int(st, 0);
	if (rc != SQLITE_ROW) {
		rc = store_dberr(s, err, "look up the patient's transplants");
		sqlite3_reset(st);
		return rc;
	}
	sqlite3_reset(st);
	return EF_OK;
}

/* ---- lookups and imports ---- */

/* The date of death: the earliest valid deceased row (engraft/vital.h). */
#define DEATH_OF(pid) \
	"(SELECT min(recorded_on) FROM status WHERE patient_id = " pid " AND status = 'deceased' " \
	"AND entered_in_error IS NULL)"

int store_patient_dates(struct store *s, const char *mrn, size_t mrn_len, int64_t *id, ef_day *birth, ef_day *death,
			struct ef_err *err)
{
	static const char sql[] = "SELECT p.id, p.birth_date, " DEATH_OF("p.id") " FROM patients p WHERE p.mrn = ?1";
	sqlite3_stmt *st = store_stmt(s, sql, err);
	if (!st)
		return EF_DB;
	sqlite3_bind_text(st, 1, mrn, (int)mrn_len, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	*id = 0;
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		if (birth)
			*birth = store_col_day(st, 1);
		if (death)
			*death = store_col_day(st, 2);
	} else if (rc != SQLITE_DONE) {
		rc = store_dberr(s, err, "look up patient");
		sqlite3_reset(st);
		return rc;
	}
	sqlite3_reset(st);
	return EF_OK;
}

int store_patient_id(struct store *s, const char *mrn, size_t mrn_len, int64_t *id, ef_day *birth,
		     struct ef_err *err)
{
	return store_patient_dates(s, mrn, mrn_len, id, birth, NULL, err);
}

int store_patient_death(struct store *s, int64_t patient_id, ef_day *death, struct ef_err *err)
{
	static const char sql[] = "SELECT " DEATH_OF("?1");
	sqlite3_stmt *st = store_stmt(s, sql, err);
	if (!st)
		return EF_DB;
	sqlite3_bind_int64(st, 1, patient_id);
	int rc = sqlite3_step(st);
	*death = EF_NO_DAY;
	if (rc != SQLITE_ROW) {
		rc = store_dberr(s, err, "look up the date of death");
		sqlite3_reset(st);
		return rc;
	}
	*death = store_col_day(st, 0);
	sqlite3_reset(st);
	return EF_OK;
}

int store_patient_latest_record(struct store *s, int64_t patient_id, ef_day *on, char what[32], struct ef_err *err)
{
	/* substr: a lab's collected_on may carry a time */
	static const char sql[] =
		"SELECT d, what FROM ("
		"SELECT substr(collected_on, 1, 10) AS d, 'lab result ' || test AS what FROM lab_results "
		"WHERE patient_id = ?1 AND entered_in_error IS NULL "
		"UNION ALL SELECT transplant_date, 'transplant' FROM transplants WHERE patient_id = ?1 "
		"UNION ALL SELECT given_on, 'transfusion' FROM transfusions WHERE patient_id = ?1 "
		"AND entered_in_error IS NULL "
		"UNION ALL SELECT given_on, 'dose of ' || vaccine FROM vaccinations WHERE patient_id = ?1 "
		"AND entered_in_error IS NULL "
		"UNION ALL SELECT assessed_on, 'GVHD assessment' FROM gvhd_acute WHERE patient_id = ?1 "
		"AND entered_in_error IS NULL "
		"UNION ALL SELECT assessed_on, 'GVHD assessment' FROM gvhd_chronic WHERE patient_id = ?1 "
		"AND entered_in_error IS NULL "
		"UNION ALL SELECT max(started_on, coalesce(stopped_on, '')), drug FROM immunosuppression "
		"WHERE patient_id = ?1 AND entered_in_error IS NULL "
		"UNION ALL SELECT given_on, 'IVIG dose' FROM ivig WHERE patient_id = ?1 AND entered_in_error IS NULL "
		"UNION ALL SELECT recorded_on, 'status ' || status FROM status WHERE patient_id = ?1 "
		"AND entered_in_error IS NULL AND status <> 'deceased') ORDER BY d DESC LIMIT 1";
	sqlite3_stmt *st = store_stmt(s, sql, err);
	if (!st)
		return EF_DB;
	sqlite3_bind_int64(st, 1, patient_id);
	int rc = sqlite3_step(st);
	*on = EF_NO_DAY;
	what[0] = '\0';
	if (rc == SQLITE_ROW) {
		*on = store_col_day(st, 0);
		const unsigned char *w = sqlite3_column_text(st, 1);
		snprintf(what, 32, "%.31s", w ? (const char *)w : "");
	} else if (rc != SQLITE_DONE) {
		rc = store_dberr(s, err, "look up the patient's latest record");
		sqlite3_reset(st);
		return rc;
	}
	sqlite3_reset(st);
	return EF_OK;
}

int store_patient_get(struct store *s, int64_t id, struct ef_patient *p, struct ef_err *err)
{
	static const char sql[] =
		"SELECT mrn, family_name, given_name, birth_date, sex, diagnosis FROM patients WHERE id = ?1";
	sqlite3_stmt *st = store_stmt(s, sql, err);
	if (!st)
		return EF_DB;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		rc = rc == SQLITE_DONE ? ef_errf(err, EF_INVALID, "no patient with id %lld", (long long)id)
				       : store_dberr(s, err, "read patient");
		sqlite3_reset(st);
		return rc;
	}
	memset(p, 0, sizeof *p);
	p->id = id;
#define COPY(dst, col)                                                                  \
	do {                                                                                \
		const char *v_ = (const char *)sqlite3_column_text(st, col);                    \
		snprintf(dst, sizeof dst, "%s", v_ ? v_ : "");                                  \
	} while (0)
	COPY(p->mrn, 0);
	COPY(p->family_name, 1);
	COPY(p->given_name, 2);
	COPY(p->diagnosis, 5);
#undef COPY
	const char *b = (const char *)sqlite3_column_text(st, 3);
	if (!b || ef_date_parse(b, strlen(b), &p->birth))
		p->birth = EF_NO_DAY;
	const char *sx = (const char *)sqlite3_column_text(st, 4);
	if (!sx || ef_sex_parse(sx, strlen(sx), &p->sex))
		p->sex = EF_SEX_UNKNOWN;
	sqlite3_reset(st);
	return EF_OK;
}

int store_patient_count(struct store *s, int64_t *n, struct ef_err *err)
{
	static const char sql[] = "SELECT count(*) FROM patients";
	sqlite3_stmt *st = store_stmt(s, sql, err);
	if (!st)
		return EF_DB;
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		rc = store_dberr(s, err, "count patients");
		sqlite3_reset(st);
		return rc;
	}
	*n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return EF_OK;
}

int store_import_begin(struct store *s, const char *kind, const char *file_name, int64_t *import_id,
		       struct ef_err *err)
{
	static const char sql[] = "INSERT INTO imports (at, user, kind, file_name) "
				  "VALUES (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?1, ?2, ?3)";
	sqlite3_stmt *st = store_stmt(s, sql, err);
	if (!st)
		return EF_DB;
	store_bind_text(st, 1, s->user);
	store_bind_text(st, 2, kind);
	store_bind_text(st, 3, file_name);
	int rc = store_exec_stmt(s, st, err, "record import");
	if (rc || (rc = store_audit_import_begin(s, err)))
		return rc;
	*import_id = sqlite3_last_insert_rowid(s->db);
	return EF_OK;
}

int store_import_end(struct store *s, int64_t import_id, const char *file_sha256, long inserted, long updated,
		     long unchanged, struct ef_err *err)
{
	static const char sql[] = "UPDATE imports SET file_sha256 = ?2, rows_inserted = ?3, rows_updated = ?4, "
				  "rows_unchanged = ?5 WHERE id = ?1";
	sqlite3_stmt *st = store_stmt(s, sql, err);
	if (!st)
		return EF_DB;
	sqlite3_bind_int64(st, 1, import_id);
	store_bind_opt(st, 2, file_sha256);
	sqlite3_bind_int64(st, 3, inserted);
	sqlite3_bind_int64(st, 4, updated);
	sqlite3_bind_int64(st, 5, unchanged);
	int rc = store_exec_stmt(s, st, err, "record import");
	/* Every import is one audit entry (a digest of the rows it inserted). */
	return rc ? rc : store_audit_import(s, import_id, err);
}
