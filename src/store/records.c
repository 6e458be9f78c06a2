/* records.c - insert-or-update of clinical rows by natural key.
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

#include "audit_cols.h"
#include "engraft/audit.h"

#include <stdio.h>
#include <string.h>

struct put_sql {
	const char *what;
	const char *table; /* audited table: inserted rows feed the import's digest */
	const char *insert, *probe, *update;
	/* Feed the import's digest from the values just inserted (hot kinds);
	 * NULL: the row is read back by id. */
	int (*digest)(struct store *s, const void *rec, int64_t id, int64_t import_id, struct ef_err *err);
};

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

/* SQL fragments for entered_in_error in the three statements of a kind. */
#define EIE_DIFFERS " OR (?13 AND entered_in_error IS NOT ?12)"
#define EIE_SET "entered_in_error = CASE WHEN ?13 THEN ?12 ELSE entered_in_error END, "

/* An inserted row feeds the import's digest (none outside an import). */
static int digest_inserted(struct store *s, const struct put_sql *q, const void *rec, int64_t id, int64_t import_id,
			   struct ef_err *err)
{
	if (import_id <= 0)
		return EF_OK;
	return q->digest ? q->digest(s, rec, id, import_id, err) : store_audit_digest_row(s, q->table, id, err);
}

/* Step 2: the row with rec's natural key: its id, the import that last
 * wrote it (0: none) and whether any value differs from rec. */
static int probe(struct store *s, const struct put_sql *q, bind_fn bind, const void *rec, int64_t *id,
		 int64_t *prev_import, int *differs, struct ef_err *err)
{
	sqlite3_stmt *st = store_stmt_rebind(s, q->probe, err);
	if (!st)
		return EF_DB;
	bind(st, rec);
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		rc = rc == SQLITE_DONE ? ef_errf(err, EF_DB, "%s: row vanished during insert", q->what)
				       : store_dberr(s, err, q->what);
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
static int settle(struct store *s, const struct put_sql *q, bind_fn bind, const void *rec, int64_t import_id,
		  int64_t id, int64_t prev_import, int differs, enum store_put *res, struct ef_err *err)
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
	int rc = store_exec_stmt(s, st, err, q->what);
	if (rc)
		return rc;
	*res = STORE_UPDATED;
	return EF_OK;
}

static int put(struct store *s, const struct put_sql *q, bind_fn bind, const void *rec, int64_t import_id,
	       int64_t *id_out, enum store_put *res, struct ef_err *err)
{
	int rc;
	sqlite3_stmt *st = store_stmt_rebind(s, q->insert, err);
	if (!st)
		return EF_DB;
	bind(st, rec);
	bind_import(st, 20, import_id);
	if ((rc = store_exec_stmt(s, st, err, q->what)))
		return rc;
	if (sqlite3_changes(s->db) > 0) {
		int64_t id = sqlite3_last_insert_rowid(s->db);
		if (id_out)
			*id_out = id;
		s->last_put_id = id;
		*res = STORE_INSERTED;
		return digest_inserted(s, q, rec, id, import_id, err);
	}
	int64_t id = 0, prev_import = 0;
	int differs = 0;
	if ((rc = probe(s, q, bind, rec, &id, &prev_import, &differs, err)))
		return rc;
	if (id_out)
		*id_out = id;
	s->last_put_id = id;
	return settle(s, q, bind, rec, import_id, id, prev_import, differs, res, err);
}

/* ---- patients ---- */
static const struct put_sql patient_sql = {
	"patient",
	"patients",
	"INSERT INTO patients (mrn, family_name, given_name, birth_date, sex, diagnosis, import_id) "
	"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?20) ON CONFLICT (mrn) DO NOTHING",
	"SELECT id, import_id, (family_name IS NOT ?2 OR given_name IS NOT ?3 OR birth_date IS NOT ?4 "
	"OR sex IS NOT ?5 OR diagnosis IS NOT ?6) FROM patients WHERE mrn = ?1",
	"UPDATE patients SET family_name = ?2, given_name = ?3, birth_date = ?4, sex = ?5, diagnosis = ?6, "
	"import_id = ?20 WHERE id = ?21 AND mrn = ?1",
};

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
	return put(s, &patient_sql, bind_patient, r, import_id, id, res, err);
}

/* ---- transplants ---- */
static const struct put_sql transplant_sql = {
	"transplant",
	"transplants",
	"INSERT INTO transplants (patient_id, transplant_date, type, graft_source, donor, conditioning, import_id) "
	"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?20) ON CONFLICT (patient_id, transplant_date) DO NOTHING",
	"SELECT id, import_id, (type IS NOT ?3 OR graft_source IS NOT ?4 OR donor IS NOT ?5 "
	"OR conditioning IS NOT ?6) FROM transplants WHERE patient_id = ?1 AND transplant_date = ?2",
	"UPDATE transplants SET type = ?3, graft_source = ?4, donor = ?5, conditioning = ?6, import_id = ?20 "
	"WHERE id = ?21 AND patient_id = ?1 AND transplant_date = ?2",
};

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
	return put(s, &transplant_sql, bind_transplant, r, import_id, NULL, res, err);
}

/* ---- labs ---- */
static int digest_lab(struct store *s, const void *p, int64_t id, int64_t import_id, struct ef_err *err);
static const struct put_sql lab_sql = {
	"lab result",
	"lab_results",
	"INSERT INTO lab_results (patient_id, collected_on, collected_day, test, value, qualifier, canonical, "
	"unit, entered_in_error, import_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?12, ?20) "
	"ON CONFLICT (patient_id, collected_on, test) DO NOTHING",
	"SELECT id, import_id, (value IS NOT ?5 OR unit IS NOT ?8" EIE_DIFFERS ") FROM lab_results "
	"WHERE patient_id = ?1 AND collected_on = ?2 AND test = ?4",
	"UPDATE lab_results SET value = ?5, qualifier = ?6, canonical = ?7, unit = ?8, " EIE_SET "import_id = ?20 "
	"WHERE id = ?21 AND patient_id = ?1 AND collected_on = ?2 AND collected_day = ?3 AND test = ?4",
	digest_lab,
};

static const char *qualifier_text(char q)
{
	return q == '<' ? "<" : q == '>' ? ">" : "=";
}

/* A lab result's eight columns as parameters base+1 .. base+8 (base 0 for
 * the one-row statements, 9k for row k of lab_batch_sql). */
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

/* The columns of AUDIT_COLS_LAB_RESULTS as stored (bind_lab binds them). */
static int digest_lab(struct store *s, const void *p, int64_t id, int64_t import_id, struct ef_err *err)
{
	const struct store_lab_rec *r = p;
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
	return put(s, &lab_sql, bind_lab, r, import_id, NULL, res, err);
}

/* ---- lab results in batches (imports) ----
 * One INSERT of STORE_LAB_BATCH rows costs far less than as many one-row
 * statements: each statement execution opens a statement journal and a
 * frame for the audit insert trigger (whose WHEN skips imported rows), and
 * that was a third of a million-row import. The statement is a constant:
 * row k binds parameters 10k+1 .. 10k+10 (bind_lab_at, entered_in_error,
 * import_id). */
#define LAB_ROW "(?,?,?,?,?,?,?,?,?,?)"
#define LAB_ROWS4 LAB_ROW "," LAB_ROW "," LAB_ROW "," LAB_ROW
#define LAB_ROWS16 LAB_ROWS4 "," LAB_ROWS4 "," LAB_ROWS4 "," LAB_ROWS4
static const char lab_batch_sql[] =
	"INSERT INTO lab_results (patient_id, collected_on, collected_day, test, value, qualifier, canonical, unit, "
	"entered_in_error, import_id) VALUES " LAB_ROWS16 "," LAB_ROWS16 "," LAB_ROWS16 "," LAB_ROWS16 " ON CONFLICT (patient_id, collected_on, test) DO NOTHING";
_Static_assert(STORE_LAB_BATCH == 64, "lab_batch_sql has 64 rows of parameters");
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
		rc = store_dberr(s, err, lab_sql.what);
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
	sqlite3_stmt *st = store_stmt_rebind(s, lab_batch_sql, err);
	if (!st)
		return EF_DB;
	for (int k = 0; k < b->n; k++) {
		bind_lab_at(st, 10 * k, &b->row[k].rec);
		store_bind_opt(st, 10 * k + 9, b->row[k].rec.entered_in_error);
		sqlite3_bind_int64(st, 10 * k + 10, import_id);
	}
	rc = sqlite3_step(st);
	if (rc != SQLITE_DONE) {
		rc = (rc & 0xff) == SQLITE_CONSTRAINT ? -1 : store_dberr(s, err, lab_sql.what);
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
	for (int k = 0; k < b->n; k++) {
		const struct store_lab_rec *r = &b->row[k].rec;
		int64_t id = 0, prev_import = 0;
		int differs = 0, rc;
		if ((rc = probe(s, &lab_sql, bind_lab, r, &id, &prev_import, &differs, err)))
			return rc;
		int mine = id > above;
		for (int j = 0; j < n_claimed && mine; j++)
			mine = claimed[j] != id;
		if (mine) {
			claimed[n_claimed++] = id;
			res[k] = STORE_INSERTED;
			rc = digest_lab(s, r, id, import_id, err);
		} else {
			rc = settle(s, &lab_sql, bind_lab, r, import_id, id, prev_import, differs, &res[k], err);
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
	b->n = 0;
	return rc;
}

/* ---- transfusions ---- */
static const struct put_sql transfusion_sql = {
	"transfusion",
	"transfusions",
	"INSERT INTO transfusions (patient_id, given_on, product, entered_in_error, import_id) "
	"VALUES (?1, ?2, ?3, ?12, ?20) ON CONFLICT (patient_id, given_on, product) DO NOTHING",
	"SELECT id, import_id, (0" EIE_DIFFERS ") FROM transfusions WHERE patient_id = ?1 AND given_on = ?2 "
	"AND product = ?3",
	"UPDATE transfusions SET " EIE_SET "import_id = ?20 WHERE id = ?21 AND patient_id = ?1 AND given_on = ?2 "
	"AND product = ?3",
};

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
	return put(s, &transfusion_sql, bind_transfusion, r, import_id, NULL, res, err);
}

/* ---- vaccinations ---- */
static const struct put_sql vaccination_sql = {
	"vaccination",
	"vaccinations",
	"INSERT INTO vaccinations (patient_id, vaccine, given_on, lot, site, given_by, source, override_reason, "
	"entered_in_error, import_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?14, ?15, ?12, ?20) "
	"ON CONFLICT (patient_id, vaccine, given_on) DO NOTHING",
	"SELECT id, import_id, (lot IS NOT ?4 OR site IS NOT ?5 OR given_by IS NOT ?6 "
	"OR (?16 AND (source IS NOT ?14 OR override_reason IS NOT ?15))" EIE_DIFFERS ") FROM vaccinations "
	"WHERE patient_id = ?1 AND vaccine = ?2 AND given_on = ?3",
	"UPDATE vaccinations SET lot = ?4, site = ?5, given_by = ?6, source = CASE WHEN ?16 THEN ?14 ELSE source END, "
	"override_reason = CASE WHEN ?16 THEN ?15 ELSE override_reason END, " EIE_SET "import_id = ?20 "
	"WHERE id = ?21 AND patient_id = ?1 AND vaccine = ?2 AND given_on = ?3",
};

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
	return put(s, &vaccination_sql, bind_vaccination, r, import_id, NULL, res, err);
}

/* ---- acute GVHD ---- */
static const struct put_sql acute_sql = {
	"acute GVHD assessment",
	"gvhd_acute",
	"INSERT INTO gvhd_acute (patient_id, assessed_on, skin, liver, upper_gi, lower_gi, grade, entered_in_error, "
	"import_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?12, ?20) ON CONFLICT (patient_id, assessed_on) DO NOTHING",
	"SELECT id, import_id, (skin IS NOT ?3 OR liver IS NOT ?4 OR upper_gi IS NOT ?5 OR lower_gi IS NOT ?6 "
	"OR grade IS NOT ?7" EIE_DIFFERS ") FROM gvhd_acute WHERE patient_id = ?1 AND assessed_on = ?2",
	"UPDATE gvhd_acute SET skin = ?3, liver = ?4, upper_gi = ?5, lower_gi = ?6, grade = ?7, " EIE_SET
	"import_id = ?20 "
	"WHERE id = ?21 AND patient_id = ?1 AND assessed_on = ?2",
};

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
	return put(s, &acute_sql, bind_acute, r, import_id, NULL, res, err);
}

/* ---- chronic GVHD ---- */
static const struct put_sql chronic_sql = {
	"chronic GVHD assessment",
	"gvhd_chronic",
	"INSERT INTO gvhd_chronic (patient_id, assessed_on, skin, mouth, eyes, gi, liver, lungs, joints, genital, "
	"severity, entered_in_error, import_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?20) "
	"ON CONFLICT (patient_id, assessed_on) DO NOTHING",
	"SELECT id, import_id, (skin IS NOT ?3 OR mouth IS NOT ?4 OR eyes IS NOT ?5 OR gi IS NOT ?6 "
	"OR liver IS NOT ?7 OR lungs IS NOT ?8 OR joints IS NOT ?9 OR genital IS NOT ?10 OR severity IS NOT ?11"
	EIE_DIFFERS ") "
	"FROM gvhd_chronic WHERE patient_id = ?1 AND assessed_on = ?2",
	"UPDATE gvhd_chronic SET skin = ?3, mouth = ?4, eyes = ?5, gi = ?6, liver = ?7, lungs = ?8, joints = ?9, "
	"genital = ?10, severity = ?11, " EIE_SET "import_id = ?20 WHERE id = ?21 AND patient_id = ?1 AND assessed_on = ?2",
};

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
	return put(s, &chronic_sql, bind_chronic, r, import_id, NULL, res, err);
}

/* ---- immunosuppression ---- */
static const struct put_sql is_sql = {
	"immunosuppression course",
	"immunosuppression",
	"INSERT INTO immunosuppression (patient_id, drug, started_on, stopped_on, entered_in_error, import_id) "
	"VALUES (?1, ?2, ?3, ?4, ?12, ?20) ON CONFLICT (patient_id, drug, started_on) DO NOTHING",
	"SELECT id, import_id, (stopped_on IS NOT ?4" EIE_DIFFERS ") FROM immunosuppression "
	"WHERE patient_id = ?1 AND drug = ?2 AND started_on = ?3",
	"UPDATE immunosuppression SET stopped_on = ?4, " EIE_SET "import_id = ?20 "
	"WHERE id = ?21 AND patient_id = ?1 AND drug = ?2 AND started_on = ?3",
};

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
	return put(s, &is_sql, bind_is, r, import_id, NULL, res, err);
}

/* ---- IVIG ---- */
static const struct put_sql ivig_sql = {
	"IVIG dose",
	"ivig",
	"INSERT INTO ivig (patient_id, given_on, dose_g, entered_in_error, import_id) VALUES (?1, ?2, ?3, ?12, ?20) "
	"ON CONFLICT (patient_id, given_on) DO NOTHING",
	"SELECT id, import_id, (dose_g IS NOT ?3" EIE_DIFFERS ") FROM ivig WHERE patient_id = ?1 AND given_on = ?2",
	"UPDATE ivig SET dose_g = ?3, " EIE_SET "import_id = ?20 WHERE id = ?21 AND patient_id = ?1 AND given_on = ?2",
};

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
	return put(s, &ivig_sql, bind_ivig, r, import_id, NULL, res, err);
}

/* ---- lookups and imports ---- */

int store_patient_id(struct store *s, const char *mrn, size_t mrn_len, int64_t *id, ef_day *birth,
		     struct ef_err *err)
{
	static const char sql[] = "SELECT id, birth_date FROM patients WHERE mrn = ?1";
	sqlite3_stmt *st = store_stmt(s, sql, err);
	if (!st)
		return EF_DB;
	sqlite3_bind_text(st, 1, mrn, (int)mrn_len, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	*id = 0;
	if (rc == SQLITE_ROW) {
		*id = sqlite3_column_int64(st, 0);
		if (birth) {
			const char *b = (const char *)sqlite3_column_text(st, 1);
			if (!b || ef_date_parse(b, strlen(b), birth))
				*birth = EF_NO_DAY;
		}
	} else if (rc != SQLITE_DONE) {
		rc = store_dberr(s, err, "look up patient");
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
