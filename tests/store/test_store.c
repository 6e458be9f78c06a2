/* Store: file creation and modes, migrations on empty/current/newer
 * databases, refusal of non-database files, the put protocol, drafts. */
#include <check.h>
#include <grp.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../testutil.h"
#include "engraft/app.h"
#include "engraft/audit.h"
#include "engraft/staff.h"

static char *dir;

static void setup(void)
{
	umask(077); /* files these tests make are private, as a database must be */
	dir = tu_tmpdir();
}

static void teardown(void)
{
	tu_rmdir(dir);
}

static int user_version(const char *path)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	ck_assert_int_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	int v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

START_TEST(creates_private_directory_and_file)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/a/b/engraft.db", dir);
	struct store *s;
	struct ef_err err;
	ck_assert_int_eq(store_open(path, 0, &s, &err), EF_OK);
	struct stat st;
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	snprintf(path, sizeof path, "%s/a/b", dir);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0700);
	snprintf(path, sizeof path, "%s/a/b/engraft.db-wal", dir);
	if (stat(path, &st) == 0)
		ck_assert_int_eq(st.st_mode & 0077, 0);
	store_close(s);
}
END_TEST

START_TEST(migrates_empty_and_current_database_idempotently)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/x.db", dir);
	FILE *f = fopen(path, "w"); /* an empty file is a new database */
	fclose(f);
	struct store *s;
	struct ef_err err;
	ck_assert_int_eq(store_open(path, 0, &s, &err), EF_OK);
	ck_assert_int_eq(store_schema_version(s), store_schema_latest());
	ck_assert_int_ge(store_schema_latest(), 2);
	store_close(s);
	ck_assert_int_eq(store_open(path, 0, &s, &err), EF_OK); /* second open: nothing to do */
	ck_assert_int_eq(store_schema_version(s), store_schema_latest());
	store_close(s);
	ck_assert_int_eq(user_version(path), store_schema_latest());
}
END_TEST

START_TEST(refuses_newer_schema_without_touching_it)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/new.db", dir);
	sqlite3 *db;
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	char sql[64];
	snprintf(sql, sizeof sql, "PRAGMA user_version = %d", store_schema_latest() + 1);
	ck_assert_int_eq(sqlite3_exec(db, "CREATE TABLE future (x)", NULL, NULL, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	char *before = tu_read_file(path);
	struct stat st;
	stat(path, &st);
	off_t size = st.st_size;
	struct store *s;
	struct ef_err err;
	ck_assert_int_eq(store_open(path, 0, &s, &err), EF_DB);
	ck_assert_ptr_nonnull(strstr(err.msg, "newer than this engraft knows"));
	stat(path, &st);
	ck_assert_int_eq(st.st_size, size);
	char *after = tu_read_file(path);
	ck_assert_int_eq(memcmp(before, after, (size_t)size), 0);
	ck_assert_int_eq(user_version(path), store_schema_latest() + 1);
	free(before);
	free(after);
}
END_TEST

START_TEST(refuses_paths_that_are_not_sqlite_files)
{
	struct store *s;
	struct ef_err err;
	char path[4200];
	ck_assert_int_eq(store_open(dir, 0, &s, &err), EF_DB); /* a directory */
	ck_assert_ptr_nonnull(strstr(err.msg, "not a regular file"));
	snprintf(path, sizeof path, "%s/notes.txt", dir);
	FILE *f = fopen(path, "w");
	fputs("these are not the rows you are looking for\n", f);
	fclose(f);
	ck_assert_int_eq(store_open(path, 0, &s, &err), EF_DB);
	ck_assert_ptr_nonnull(strstr(err.msg, "not an SQLite database"));
	snprintf(path, sizeof path, "%s/missing.db", dir);
	ck_assert_int_eq(store_open(path, STORE_READONLY, &s, &err), EF_DB);
	ck_assert_int_eq(store_open("", 0, &s, &err), EF_USAGE);
}
END_TEST

START_TEST(put_inserts_keeps_updates_and_flags_conflicts)
{
	struct store *s = tu_open(dir, "p.db");
	struct ef_err err;
	int64_t id1, id2;
	enum store_put r;
	struct store_patient_rec p = {"M1", "Fam", "Giv", "1970-01-01", "F", NULL};
	ck_assert_int_eq(store_begin(s, &err), EF_OK);
	ck_assert_int_eq(store_put_patient(s, &p, 0, &id1, &r, &err), EF_OK);
	ck_assert_int_eq(r, STORE_INSERTED);
	ck_assert_int_eq(store_put_patient(s, &p, 0, &id2, &r, &err), EF_OK);
	ck_assert_int_eq(r, STORE_UNCHANGED);
	ck_assert_int_eq(id1, id2);
	p.diagnosis = "AML";
	ck_assert_int_eq(store_put_patient(s, &p, 0, &id2, &r, &err), EF_OK);
	ck_assert_int_eq(r, STORE_UPDATED);
	int64_t imp;
	ck_assert_int_eq(store_import_begin(s, "patients", "f.csv", &imp, &err), EF_OK);
	p.diagnosis = "MDS";
	ck_assert_int_eq(store_put_patient(s, &p, imp, &id2, &r, &err), EF_OK);
	ck_assert_int_eq(r, STORE_UPDATED);
	p.diagnosis = "ALL"; /* the same import giving other values for the same key */
	ck_assert_int_eq(store_put_patient(s, &p, imp, &id2, &r, &err), EF_OK);
	ck_assert_int_eq(r, STORE_CONFLICT);
	ck_assert_int_eq(store_commit(s, &err), EF_OK);
	struct ef_patient got;
	ck_assert_int_eq(store_patient_get(s, id1, &got, &err), EF_OK);
	ck_assert_str_eq(got.diagnosis, "MDS");
	ck_assert_int_eq(got.sex, EF_SEX_F);
	int64_t n;
	ck_assert_int_eq(store_patient_count(s, &n, &err), EF_OK);
	ck_assert_int_eq(n, 1);
	store_close(s);
}
END_TEST

/* ---- lab results in batches ---- */

/* The lab table (and the import's digest entry) as text, to compare two
 * databases; read with a separate read-only connection. */
static char *lab_dump(const char *path)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	ck_assert_int_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(db,
					    "SELECT group_concat(x, char(10)) FROM (SELECT printf('%d|%d|%s|%d|%s|%s|%s|%!.17g|%s|%s', "
					    "id, patient_id, collected_on, collected_day, test, value, qualifier, canonical, "
					    "unit, import_id) AS x FROM lab_results ORDER BY id) UNION ALL SELECT group_concat(json_extract("
					    "after, '$.rows_digest') || ' ' || json_extract(after, '$.rows_covered'), ' ') "
					    "FROM audit_log WHERE action = 'import'",
					    -1, &st, NULL),
			 SQLITE_OK);
	char *out = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&out, &n);
	while (sqlite3_step(st) == SQLITE_ROW)
		fprintf(f, "%s\n", sqlite3_column_text(st, 0) ? (const char *)sqlite3_column_text(st, 0) : "");
	fclose(f);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return out;
}

/* Patients P1..P3 and six lab results, two of them by an earlier import. */
static struct store *lab_db(const char *name)
{
	struct store *s = tu_open(dir, name);
	struct ef_err err;
	enum store_put r;
	int64_t id, imp;
	char mrn[8];
	ck_assert_int_eq(store_begin(s, &err), EF_OK);
	for (int i = 1; i <= 3; i++) {
		snprintf(mrn, sizeof mrn, "P%d", i);
		struct store_patient_rec p = {mrn, "Fam", "Giv", "1970-01-01", NULL, NULL};
		ck_assert_int_eq(store_put_patient(s, &p, 0, &id, &r, &err), EF_OK);
	}
	ck_assert_int_eq(store_import_begin(s, "labs", "old.csv", &imp, &err), EF_OK);
	for (int i = 0; i < 6; i++) {
		struct store_lab_rec l = {1 + i % 3, i < 3 ? "2025-01-01" : "2025-01-02", 20089 + (i >= 3), "ANC", "1",
					  '=', 1.0, "10^9/L"};
		ck_assert_int_eq(store_put_lab(s, &l, i < 2 ? imp : 0, &r, &err), EF_OK);
	}
	ck_assert_int_eq(store_import_end(s, imp, NULL, 2, 0, 0, &err), EF_OK);
	ck_assert_int_eq(store_commit(s, &err), EF_OK);
	return s;
}

/* Row i of the mixed file: 70 new keys first (a full batch of new rows
 * and more), then 230 rows drawn from 3 patients x 4 days x 3 tests with
 * values 1..3, so that rows repeat within a batch and across batches,
 * identically and not, and meet the rows the database already had. */
static void mixed_row(int i, uint32_t *x, struct store_lab_rec *l, char on[11], char val[4])
{
	static const char *const tests[] = {"ANC", "PLT", "ALC"};
	int pat, day, test, v;
	if (i < 70) {
		pat = i % 3, day = 10 + i / 3, test = 0, v = 1 + i % 3;
	} else {
		*x ^= *x << 13, *x ^= *x >> 17, *x ^= *x << 5;
		pat = (int)(*x % 3), day = 1 + (int)(*x / 3 % 4), test = (int)(*x / 12 % 3), v = 1 + (int)(*x / 36 % 3);
	}
	snprintf(on, 11, "2025-01-%02d", day);
	snprintf(val, 4, "%d", v);
	*l = (struct store_lab_rec){1 + pat, on, 20088 + day, tests[test], val, '=', v, "10^9/L"};
}

/* The batch gives every row the outcome one-by-one puts give, and leaves
 * the same rows (same ids) and the same import digest. */
START_TEST(lab_batch_matches_one_by_one)
{
	enum { N = 300 };
	enum store_put one[N], bat[N];
	const char *names[2] = {"one.db", "batch.db"};
	for (int mode = 0; mode < 2; mode++) {
		struct store *s = lab_db(names[mode]);
		struct ef_err err;
		int64_t imp;
		uint32_t x = 88172645u;
		static struct store_lab_batch b; /* 5 KB: not on the stack */
		int first = 0;
		ck_assert_int_eq(store_begin(s, &err), EF_OK);
		ck_assert_int_eq(store_import_begin(s, "labs", "new.csv", &imp, &err), EF_OK);
		for (int i = 0; i < N; i++) {
			struct store_lab_rec l;
			char on[11], val[4];
			mixed_row(i, &x, &l, on, val);
			if (mode == 0) {
				ck_assert_int_eq(store_put_lab(s, &l, imp, &one[i], &err), EF_OK);
				continue;
			}
			if (store_lab_batch_add(&b, &l) == 1) {
				ck_assert_msg(store_lab_batch_flush(s, &b, imp, bat + first, &err) == EF_OK, "%s", err.msg);
				first = i + 1;
			}
		}
		if (mode == 1)
			ck_assert_int_eq(store_lab_batch_flush(s, &b, imp, bat + first, &err), EF_OK);
		ck_assert_int_eq(store_import_end(s, imp, NULL, 0, 0, 0, &err), EF_OK);
		ck_assert_int_eq(store_commit(s, &err), EF_OK);
		struct store_audit_summary sum;
		ck_assert_msg(store_audit_verify(s, NULL, NULL, NULL, &sum, &err) == EF_OK, "%s", err.msg);
		store_close(s);
	}
	int seen[4] = {0};
	for (int i = 0; i < N; i++) {
		ck_assert_msg(one[i] == bat[i], "row %d: one by one %d, batch %d", i, one[i], bat[i]);
		seen[one[i]]++;
	}
	for (int k = 0; k < 4; k++) /* every outcome occurs */
		ck_assert_msg(seen[k] > 0, "outcome %d never occurred", k);
	char a[4200], b2[4200];
	snprintf(a, sizeof a, "%s/%s", dir, names[0]);
	snprintf(b2, sizeof b2, "%s/%s", dir, names[1]);
	char *da = lab_dump(a), *db = lab_dump(b2);
	ck_assert_str_eq(da, db);
	free(da);
	free(db);
}
END_TEST

/* A row the table's CHECK refuses (the importer never passes one) fails
 * the flush with the database's message; the caller rolls back. */
START_TEST(lab_batch_reports_a_refused_row)
{
	struct store *s = lab_db("bad.db");
	struct ef_err err;
	int64_t imp;
	static struct store_lab_batch b;
	enum store_put res[STORE_LAB_BATCH];
	ck_assert_int_eq(store_begin(s, &err), EF_OK);
	ck_assert_int_eq(store_import_begin(s, "labs", "bad.csv", &imp, &err), EF_OK);
	for (int i = 0; i < STORE_LAB_BATCH; i++) {
		char on[11];
		snprintf(on, sizeof on, "2025-02-%02d", 1 + i % 28);
		struct store_lab_rec l = {1 + i / 28, on, 20120 + i % 28, "ANC", "1", '=', i == 20 ? -1.0 : 1.0, "10^9/L"};
		ck_assert_int_eq(store_lab_batch_add(&b, &l), i == STORE_LAB_BATCH - 1);
	}
	ck_assert_int_ne(store_lab_batch_flush(s, &b, imp, res, &err), EF_OK);
	ck_assert_msg(strstr(err.msg, "CHECK constraint failed"), "%s", err.msg);
	ck_assert_int_eq(b.n, 0);
	store_rollback(s);
	/* a text longer than the batch holds is refused, not cut */
	struct store_lab_rec l = {1, "2025-02-01", 20120, "ANC", "1", '=', 1.0,
				  "a unit name far longer than thirty-one bytes"};
	ck_assert_int_eq(store_lab_batch_add(&b, &l), -1);
	ck_assert_int_eq(b.n, 0);
	store_close(s);
}
END_TEST

struct seen {
	int n;
	size_t labs[3];
	char mrn[3][64];
};

static int fn(void *ctx, const struct ef_timeline *tl, struct ef_err *e)
{
	struct seen *seen = ctx;
	(void)e;
	if (seen->n < 3) {
		seen->labs[seen->n] = tl->n_labs;
		memcpy(seen->mrn[seen->n], tl->patient.mrn, sizeof seen->mrn[0]);
	}
	seen->n++;
	return EF_OK;
}

START_TEST(each_timeline_streams_every_patient_once)
{
	struct store *s = tu_open(dir, "e.db");
	struct ef_err err;
	ef_day today;
	ef_date_parse("2026-01-01", 10, &today);
	ck_assert_int_eq(tu_import(s, STORE_K_PATIENTS,
				   "mrn,family_name,given_name,birth_date\nA,a,a,1970-01-01\nB,b,b,1970-01-01\n"
				   "C,c,c,1970-01-01\n",
				   today, NULL, NULL, &err),
			 EF_OK);
	ck_assert_int_eq(tu_import(s, STORE_K_LABS,
				   "mrn,collected_on,test,value,unit\nC,2025-01-01,ANC,1,K/uL\nA,2025-01-01,ANC,2,K/uL\n"
				   "A,2025-01-02,PLT,30,K/uL\nC,2025-12-01,ANC,3,K/uL\n",
				   today, NULL, NULL, &err),
			 EF_OK);
	struct seen seen = {0};
	ck_assert_int_eq(store_each_timeline(s, today, NULL, fn, &seen, &err), EF_OK);
	ck_assert_int_eq(seen.n, 3);
	ck_assert_str_eq(seen.mrn[0], "A");
	ck_assert_int_eq(seen.labs[0], 2);
	ck_assert_int_eq(seen.labs[1], 0);
	ck_assert_int_eq(seen.labs[2], 2);
	memset(&seen, 0, sizeof seen);
	ef_day cut;
	ef_date_parse("2025-06-01", 10, &cut);
	ck_assert_int_eq(store_each_timeline(s, cut, "C", fn, &seen, &err), EF_OK);
	ck_assert_int_eq(seen.n, 1);
	ck_assert_int_eq(seen.labs[0], 1);
	store_close(s);
}
END_TEST

START_TEST(default_path_follows_precedence)
{
	char buf[4096];
	struct ef_err err;
	setenv("ENGRAFT_DB", "/env/e.db", 1);
	ck_assert_int_eq(store_default_path("/x/y.db", buf, sizeof buf, &err), EF_OK);
	ck_assert_str_eq(buf, "/x/y.db");
	ck_assert_int_eq(store_default_path(NULL, buf, sizeof buf, &err), EF_OK);
	ck_assert_str_eq(buf, "/env/e.db");
	unsetenv("ENGRAFT_DB");
	setenv("XDG_DATA_HOME", "/xdg", 1);
	ck_assert_int_eq(store_default_path(NULL, buf, sizeof buf, &err), EF_OK);
	ck_assert_str_eq(buf, "/xdg/engraft/engraft.db");
	unsetenv("XDG_DATA_HOME");
	setenv("HOME", "/home/nurse", 1);
	ck_assert_int_eq(store_default_path(NULL, buf, sizeof buf, &err), EF_OK);
	ck_assert_str_eq(buf, "/home/nurse/.local/share/engraft/engraft.db");
}
END_TEST

/* ---- drafts (schema 011, src/store/drafts.c): what the terminal
 * interface keeps of a form at an automatic sign-off. put inserts or
 * replaces one draft per (login, form, patient, context), get reads it
 * back, delete removes it, tidy drops the drafts whose patient is gone;
 * the use cases of app.c encode the field values. */
static struct store *ddb; /* the drafts tests' database, with one patient */
static int64_t dpid;

static void drafts_setup(void)
{
	setup();
	ddb = tu_open(dir, "d.db");
	struct ef_err err;
	enum store_put r;
	struct store_patient_rec p = {"M1", "Fam", "Giv", "1970-01-01", "F", NULL};
	ck_assert_int_eq(store_begin(ddb, &err), EF_OK);
	ck_assert_int_eq(store_put_patient(ddb, &p, 0, &dpid, &r, &err), EF_OK);
	ck_assert_int_eq(store_commit(ddb, &err), EF_OK);
}

static void drafts_teardown(void)
{
	store_close(ddb);
	teardown();
}

/* The draft of k as text ("" when none); frees what get returned. */
static const char *draft_text(const struct store_draft_key *k, int *exists)
{
	static char out[256];
	char *fields = NULL, at[21];
	int found = -1, ex = -1;
	struct ef_err err;
	ck_assert_msg(store_draft_get(ddb, k, &fields, at, &ex, &found, &err) == EF_OK, "%s", err.msg);
	out[0] = '\0';
	if (found) {
		ck_assert_ptr_nonnull(fields);
		ck_assert_msg(strlen(at) == 20 && at[10] == 'T' && at[19] == 'Z', "saved_at %s", at);
		snprintf(out, sizeof out, "%s", fields);
	} else {
		ck_assert_ptr_null(fields);
	}
	if (exists)
		*exists = ex;
	free(fields);
	return out;
}

static void draft_keep(const struct store_draft_key *k, const char *fields)
{
	struct ef_err err;
	ck_assert_int_eq(store_begin(ddb, &err), EF_OK);
	ck_assert_msg(store_draft_put(ddb, k, fields, &err) == EF_OK, "%s", err.msg);
	ck_assert_int_eq(store_commit(ddb, &err), EF_OK);
}

START_TEST(draft_put_replaces_and_get_reads_it_back)
{
	struct store_draft_key k = {"nurse1", "lab", dpid, NULL};
	ck_assert_str_eq(draft_text(&k, NULL), "");
	draft_keep(&k, "2024-09-01\nANC\n0.3\n10*9/L");
	int exists = 0;
	ck_assert_str_eq(draft_text(&k, &exists), "2024-09-01\nANC\n0.3\n10*9/L");
	ck_assert_int_eq(exists, 1);
	draft_keep(&k, "2024-09-01\nPLT\n12\n10*9/L"); /* a later sign-off replaces it */
	ck_assert_str_eq(draft_text(&k, NULL), "2024-09-01\nPLT\n12\n10*9/L");
	int64_t n, orphans;
	struct ef_err err;
	ck_assert_int_eq(store_draft_count(ddb, "nurse1", &n, &orphans, &err), EF_OK);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(orphans, 0);
}
END_TEST

START_TEST(draft_is_per_login_form_patient_and_context)
{
	struct store_draft_key k = {"nurse1", "dose", dpid, "PCV"};
	draft_keep(&k, "PCV");
	struct store_draft_key other_login = {"nurse2", "dose", dpid, "PCV"};
	struct store_draft_key other_form = {"nurse1", "lab", dpid, "PCV"};
	struct store_draft_key other_context = {"nurse1", "dose", dpid, "FLU"};
	struct store_draft_key no_context = {"nurse1", "dose", dpid, ""};
	ck_assert_str_eq(draft_text(&other_login, NULL), "");
	ck_assert_str_eq(draft_text(&other_form, NULL), "");
	ck_assert_str_eq(draft_text(&other_context, NULL), "");
	ck_assert_str_eq(draft_text(&no_context, NULL), "");
	draft_keep(&other_login, "FLU");
	ck_assert_str_eq(draft_text(&k, NULL), "PCV");
	ck_assert_str_eq(draft_text(&other_login, NULL), "FLU");
}
END_TEST

START_TEST(draft_delete_removes_only_that_draft)
{
	struct store_draft_key k = {"nurse1", "ack", dpid, "7"};
	struct store_draft_key k2 = {"nurse1", "ack", dpid, "8"};
	draft_keep(&k, "reason one");
	draft_keep(&k2, "reason two");
	struct ef_err err;
	int deleted = -1;
	ck_assert_int_eq(store_begin(ddb, &err), EF_OK);
	ck_assert_int_eq(store_draft_delete(ddb, &k, &deleted, &err), EF_OK);
	ck_assert_int_eq(deleted, 1);
	ck_assert_int_eq(store_draft_delete(ddb, &k, &deleted, &err), EF_OK); /* none left: nothing happens */
	ck_assert_int_eq(deleted, 0);
	ck_assert_int_eq(store_commit(ddb, &err), EF_OK);
	ck_assert_str_eq(draft_text(&k, NULL), "");
	ck_assert_str_eq(draft_text(&k2, NULL), "reason two");
}
END_TEST

START_TEST(draft_of_a_missing_patient_is_tidied_away)
{
	struct store_draft_key gone = {"nurse1", "lab", dpid + 1000, NULL};
	struct store_draft_key here = {"nurse1", "lab", dpid, NULL};
	struct store_draft_key theirs = {"nurse2", "lab", dpid + 1000, NULL};
	draft_keep(&gone, "x");
	draft_keep(&here, "y");
	draft_keep(&theirs, "z");
	int exists = -1;
	ck_assert_str_eq(draft_text(&gone, &exists), "x");
	ck_assert_int_eq(exists, 0);
	int64_t n = -1, orphans = -1;
	struct ef_err err;
	ck_assert_int_eq(store_draft_count(ddb, "nurse1", &n, &orphans, &err), EF_OK);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(orphans, 1);
	ck_assert_int_eq(store_begin(ddb, &err), EF_OK);
	ck_assert_int_eq(store_draft_tidy(ddb, "nurse1", &err), EF_OK);
	ck_assert_int_eq(store_commit(ddb, &err), EF_OK);
	ck_assert_int_eq(store_draft_count(ddb, "nurse1", &n, &orphans, &err), EF_OK);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(orphans, 0);
	ck_assert_str_eq(draft_text(&gone, NULL), "");
	ck_assert_str_eq(draft_text(&here, NULL), "y");
	ck_assert_str_eq(draft_text(&theirs, NULL), "z"); /* another login's drafts are theirs to tidy */
}
END_TEST

START_TEST(draft_refuses_a_bad_key_or_form)
{
	struct ef_err err;
	struct store_draft_key no_login = {"", "lab", dpid, NULL};
	struct store_draft_key no_patient = {"nurse1", "lab", 0, NULL};
	struct store_draft_key bad_form = {"nurse1", "chart", dpid, NULL};
	ck_assert_int_eq(store_begin(ddb, &err), EF_OK);
	ck_assert_int_eq(store_draft_put(ddb, &no_login, "x", &err), EF_USAGE);
	ck_assert_int_eq(store_draft_put(ddb, &no_patient, "x", &err), EF_USAGE);
	ck_assert_int_eq(store_draft_put(ddb, &bad_form, "x", &err), EF_INVALID); /* the table's CHECK */
	ck_assert_ptr_nonnull(strstr(err.msg, "keep a draft"));
	store_rollback(ddb);
}
END_TEST

/* The use cases: the values come back as typed (a backslash, a line
 * break, UTF-8), under the store's user only; a draft whose patient is
 * gone is not offered and is deleted. */
START_TEST(app_draft_round_trip_is_the_logins_own)
{
	struct app_env e = {ddb, NULL, 0};
	struct ef_err err;
	const char *vals[] = {"2024-09-01", "a\\b\\n", "", "Müller \\"};
	struct app_draft_key k = {"lab", dpid, NULL};
	store_set_user(ddb, "nurse1");
	ck_assert_msg(app_draft_save(&e, &k, vals, 4, &err) == EF_OK, "%s", err.msg);
	struct app_draft d;
	int found = 0;
	ck_assert_int_eq(app_draft_take(&e, &k, &d, &found, &err), EF_OK);
	ck_assert_int_eq(found, 1);
	ck_assert_int_eq(d.n, 4);
	for (int i = 0; i < 4; i++)
		ck_assert_str_eq(d.field[i], vals[i]);
	ck_assert_int_eq((int)strlen(d.kept_on), 10);
	ck_assert_int_eq((int)strlen(d.kept_at), 5);
	app_draft_free(&d);
	store_set_user(ddb, "nurse2");
	ck_assert_int_eq(app_draft_take(&e, &k, &d, &found, &err), EF_OK);
	ck_assert_int_eq(found, 0);
	const char *bad[] = {"line\nbreak"};
	ck_assert_int_eq(app_draft_save(&e, &k, bad, 1, &err), EF_USAGE);
	store_set_user(ddb, "nurse1");
	ck_assert_int_eq(app_draft_discard(&e, &k, &err), EF_OK);
	ck_assert_int_eq(app_draft_take(&e, &k, &d, &found, &err), EF_OK);
	ck_assert_int_eq(found, 0);
	/* a draft of a patient that is gone */
	struct app_draft_key gone = {"lab", dpid + 1000, NULL};
	ck_assert_int_eq(app_draft_save(&e, &gone, vals, 1, &err), EF_OK);
	ck_assert_int_eq(app_draft_take(&e, &gone, &d, &found, &err), EF_OK);
	ck_assert_int_eq(found, 0);
	struct store_draft_key sk = {"nurse1", "lab", dpid + 1000, NULL};
	ck_assert_str_eq(draft_text(&sk, NULL), "");
	/* app_draft_count tidies such drafts away too */
	ck_assert_int_eq(app_draft_save(&e, &gone, vals, 1, &err), EF_OK);
	ck_assert_int_eq(app_draft_save(&e, &k, vals, 1, &err), EF_OK);
	int64_t n = -1;
	ck_assert_int_eq(app_draft_count(&e, &n, &err), EF_OK);
	ck_assert_int_eq(n, 1);
	ck_assert_str_eq(draft_text(&sk, NULL), "");
}
END_TEST

START_TEST(refuses_a_database_open_to_other_users)
{
	char path[4200], d2[4200];
	struct store *s;
	struct ef_err err;
	snprintf(path, sizeof path, "%s/p.db", dir);
	ck_assert_int_eq(store_open(path, 0, &s, &err), EF_OK);
	store_close(s);
	char *before = tu_read_file(path);
	chmod(path, 0644);
	ck_assert_int_eq(store_open(path, 0, &s, &err), EF_DB);
	ck_assert_msg(strstr(err.msg, "open to other users (mode 0644)") && strstr(err.msg, "chmod o-rwx"), "%s",
		      err.msg);
	ck_assert_int_eq(store_open(path, STORE_READONLY, &s, &err), EF_DB); /* reads too */
	char *after = tu_read_file(path);
	ck_assert_str_eq(before, after);
	free(before);
	free(after);
	chmod(path, 0600);
	chmod(dir, 0755); /* a directory others may list */
	ck_assert_int_eq(store_open(path, 0, &s, &err), EF_DB);
	ck_assert_msg(strstr(err.msg, "the directory") && strstr(err.msg, "(mode 0755)"), "%s", err.msg);
	snprintf(d2, sizeof d2, "%s/new.db", dir); /* and no new database is made there */
	ck_assert_int_eq(store_open(d2, 0, &s, &err), EF_DB);
	struct stat st;
	ck_assert_int_ne(stat(d2, &st), 0);
	chmod(dir, 0711); /* others may pass through, not list: fine */
	ck_assert_int_eq(store_open(path, 0, &s, &err), EF_OK);
	store_close(s);
	chmod(dir, 0700);
}
END_TEST

START_TEST(shared_directory_makes_group_files_whatever_the_umask)
{
	char path[4400], sub[4200];
	struct ef_err err;
	struct group *g = getgrgid(getegid());
	ck_assert_ptr_nonnull(g);
	char group[256];
	snprintf(group, sizeof group, "%s", g->gr_name);
	snprintf(sub, sizeof sub, "%s/clinic", dir);
	snprintf(path, sizeof path, "%s/engraft.db", sub);
	umask(077);
	ck_assert_int_eq(store_make_shared(path, group, &err), EF_OK);
	struct stat st;
	ck_assert_int_eq(stat(sub, &st), 0);
	ck_assert_int_eq(st.st_mode & 07777, 02770);
	struct store *s;
	ck_assert_int_eq(store_open(path, 0, &s, &err), EF_OK);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0660);
	ck_assert_int_eq(st.st_gid, g->gr_gid);
	char wal[4500];
	snprintf(wal, sizeof wal, "%s-wal", path);
	ck_assert_int_eq(stat(wal, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0660);
	store_close(s);
	/* a login whose umask takes the group's write (022) creates the -wal and
	 * -shm group-writable from the start: SQLite corrects their mode only
	 * after creating them, and another login opening the -shm in between got
	 * it read-only for its whole session (trust-multi: "attempt to write a
	 * readonly database") */
	umask(022);
	ck_assert_int_eq(store_open(path, 0, &s, &err), EF_OK);
	mode_t now = umask(077);
	ck_assert_msg((now & 0060) == 0 && (now & 0007) == 0007, "umask after opening a shared database: %04o",
		      (unsigned)now);
	store_close(s);
	/* a private database leaves the umask alone */
	char priv[4400];
	snprintf(priv, sizeof priv, "%s/private.db", dir);
	umask(022);
	ck_assert_int_eq(store_open(priv, 0, &s, &err), EF_OK);
	ck_assert_int_eq(umask(077), 022);
	store_close(s);
	unlink(priv);
	/* idempotent; an unknown group is a usage error */
	ck_assert_int_eq(store_make_shared(path, group, &err), EF_OK);
	ck_assert_int_eq(store_make_shared(path, "no-such-group-ef", &err), EF_USAGE);
	/* a directory holding other files (clinic/) is not made shared */
	snprintf(path, sizeof path, "%s/other.db", dir);
	ck_assert_int_eq(store_make_shared(path, group, &err), EF_USAGE);
	ck_assert_msg(strstr(err.msg, "holds other files"), "%s", err.msg);
	ck_assert_int_eq(stat(dir, &st), 0);
	ck_assert_int_eq(st.st_mode & 07777, 0700);
}
END_TEST

START_TEST(first_login_is_admin_and_staff_changes_are_audited)
{
	char path[4200];
	struct store *s;
	struct ef_err err;
	snprintf(path, sizeof path, "%s/staff.db", dir);
	ck_assert_int_eq(store_open(path, 0, &s, &err), EF_OK);
	struct store_staff me;
	int found;
	ck_assert_int_eq(store_staff_get(s, store_user(s), &me, &found, &err), EF_OK);
	ck_assert_int_eq(found, 1);
	ck_assert_int_eq(me.role, EF_ROLE_ADMIN);
	ck_assert_int_eq(me.active, 1);
	long admins;
	ck_assert_int_eq(store_staff_active_admins(s, &admins, &err), EF_OK);
	ck_assert_int_eq(admins, 1);
	struct store_staff n = {.login = "daemon", .name = "Nora Nurse", .title = "RN", .role = EF_ROLE_NURSE,
				.active = 1};
	ck_assert_int_eq(store_staff_add(s, &n, &err), EF_OK);
	ck_assert_int_eq(store_staff_add(s, &n, &err), EF_INVALID); /* once */
	ck_assert_int_eq(store_staff_set_role(s, "daemon", EF_ROLE_CLERK, &err), EF_OK);
	ck_assert_int_eq(store_staff_set_active(s, "daemon", 0, &err), EF_OK);
	ck_assert_int_eq(store_staff_set_role(s, "nobody-here", EF_ROLE_CLERK, &err), EF_INVALID);
	ck_assert_int_eq(store_staff_get(s, "daemon", &n, &found, &err), EF_OK);
	ck_assert_int_eq(n.role, EF_ROLE_CLERK);
	ck_assert_int_eq(n.active, 0);
	ck_assert_str_eq(n.added_by, store_user(s));
	ck_assert_int_eq(store_sign(s, &me, 0, STORE_SIGN_ALERT, 7, "acknowledged", &err), EF_OK);
	ck_assert_int_eq(store_sign(s, &me, 0, STORE_K_PATIENTS, 7, "assessed", &err), EF_DB); /* not signable */
	store_close(s);
	sqlite3 *db;
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_stmt *st;
	ck_assert_int_eq(sqlite3_prepare_v2(db,
					    "SELECT (SELECT count(*) FROM audit_log WHERE tbl = 'staff'), "
					    "(SELECT count(*) FROM audit_log WHERE tbl = 'signatures' AND after LIKE "
					    "'%\"meaning\":\"acknowledged\"%')",
					    -1, &st, NULL),
			 SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	ck_assert_int_eq(sqlite3_column_int(st, 0), 4); /* first admin, add, role, disable */
	ck_assert_int_eq(sqlite3_column_int(st, 1), 1);
	sqlite3_finalize(st);
	/* a signature is never changed (the shell has no ef_user(): the
	 * guard fires before anything else) */
	ck_assert_int_ne(sqlite3_exec(db, "DELETE FROM signatures", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("store");
	TCase *tc = tcase_create("store");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, creates_private_directory_and_file);
	tcase_add_test(tc, migrates_empty_and_current_database_idempotently);
	tcase_add_test(tc, refuses_newer_schema_without_touching_it);
	tcase_add_test(tc, refuses_paths_that_are_not_sqlite_files);
	tcase_add_test(tc, refuses_a_database_open_to_other_users);
	tcase_add_test(tc, shared_directory_makes_group_files_whatever_the_umask);
	tcase_add_test(tc, first_login_is_admin_and_staff_changes_are_audited);
	tcase_add_test(tc, put_inserts_keeps_updates_and_flags_conflicts);
	tcase_add_test(tc, lab_batch_matches_one_by_one);
	tcase_add_test(tc, lab_batch_reports_a_refused_row);
	tcase_add_test(tc, each_timeline_streams_every_patient_once);
	tcase_add_test(tc, default_path_follows_precedence);
	suite_add_tcase(s, tc);
	TCase *td = tcase_create("drafts");
	tcase_add_checked_fixture(td, drafts_setup, drafts_teardown);
	tcase_add_test(td, draft_put_replaces_and_get_reads_it_back);
	tcase_add_test(td, draft_is_per_login_form_patient_and_context);
	tcase_add_test(td, draft_delete_removes_only_that_draft);
	tcase_add_test(td, draft_of_a_missing_patient_is_tidied_away);
	tcase_add_test(td, draft_refuses_a_bad_key_or_form);
	tcase_add_test(td, app_draft_round_trip_is_the_logins_own);
	suite_add_tcase(s, td);
	return tu_run_suite(s);
}
