/* The audit trail: what it records, and every kind of tampering that
 * `audit verify` must catch (and the one it cannot without a recorded head). */
#include <check.h>
#include <pwd.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engraft/embedded.h"
#include "engraft/sha256.h"
#include "helpers.h"
#include "store_int.h"

/* Changes to every kind: each updates one row the fixture inserted. */
static const char *const updates[][2] = {
	{"patients", "mrn,family_name,given_name,birth_date,sex,diagnosis\nP1,Doe,Janet,1980-01-02,F,AML\n"},
	{"transplants", "mrn,transplant_date,type,graft_source,donor,conditioning\n"
			"P1,2025-01-10,allogeneic,peripheral_blood,unrelated,reduced_intensity\n"},
	{"labs", "mrn,collected_on,test,value,unit\nP1,2025-01-12,ANC,0.2,10^9/L\n"},
	{"vaccinations", "mrn,vaccine,given_on,lot,site,given_by\nP1,PCV,2025-05-01,L2,left deltoid,Nurse A\n"},
	{"gvhd-acute", "mrn,assessed_on,skin,liver,upper_gi,lower_gi\nP1,2025-02-01,3,0,1,0\n"},
	{"gvhd-chronic", "mrn,assessed_on,skin,mouth,eyes,gi,liver,lungs,joints,genital\nP1,2025-08-01,2,1,0,0,0,0,0,0\n"},
	{"immunosuppression", "mrn,drug,started_on,stopped_on\nP1,tacrolimus,2025-01-08,2025-06-01\n"},
	{"ivig", "mrn,given_on,dose_g\nP1,2025-03-01,25\n"},
};
#define N_UPDATES (sizeof updates / sizeof updates[0])

static int64_t q_int(struct store *s, const char *sql)
{
	sqlite3_stmt *st;
	ck_assert_int_eq(sqlite3_prepare_v2(s->db, sql, -1, &st, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	int64_t v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static void q_text(struct store *s, const char *sql, char *out, size_t n)
{
	sqlite3_stmt *st;
	ck_assert_int_eq(sqlite3_prepare_v2(s->db, sql, -1, &st, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	const char *v = (const char *)sqlite3_column_text(st, 0);
	snprintf(out, n, "%s", v ? v : "(null)");
	sqlite3_finalize(st);
}

/* A database with the fixture and one update of every kind. */
static const char *history(const char *name)
{
	const char *path = th_path(name);
	struct store *s = th_open(path);
	th_load_fixture(s);
	for (size_t i = 0; i < N_UPDATES; i++) {
		struct ef_import_result r;
		ck_assert_int_eq(th_import(s, updates[i][0], updates[i][1], &r), 0);
		ck_assert_int_eq(r.updated, 1);
	}
	store_close(s);
	return path;
}

/* The entries of a new database before anything is entered: its first
 * admin (schema 008) and the first rows of the nine reference tables (010;
 * loinc_codes since 014, screening and registry_forms since 015). */
#define NEW_DB_ENTRIES 10

START_TEST(history_of_every_table_verifies)
{
	const char *path = history("hist.db");
	struct store *s = th_open(path);
	struct store_audit_summary sum;
	ck_assert_msg(th_verify(s, NULL, &sum) == 0, "%s", th_msgs);
	/* a new database's entries, 9 fixture imports, then per update kind: one update + one import entry */
	ck_assert_int_eq(sum.entries, NEW_DB_ENTRIES + 9 + 2 * (int64_t)N_UPDATES);
	ck_assert_int_eq(sum.imports, 9 + N_UPDATES);
	ck_assert_int_eq(sum.rows, q_int(s, "SELECT (SELECT count(*) FROM patients) + (SELECT count(*) FROM transplants)"
				       " + (SELECT count(*) FROM lab_results) + (SELECT count(*) FROM transfusions)"
				       " + (SELECT count(*) FROM vaccinations) + (SELECT count(*) FROM gvhd_acute)"
				       " + (SELECT count(*) FROM gvhd_chronic) + (SELECT count(*) FROM immunosuppression)"
				       " + (SELECT count(*) FROM ivig) + (SELECT count(*) FROM staff)"));
	/* Imported rows are not logged one by one; updates are, with before/after. */
	ck_assert_int_eq(q_int(s, "SELECT count(*) FROM audit_log WHERE action = 'insert' AND tbl <> 'staff' AND row_key <> 0"), 0);
	char before[512], after[512];
	q_text(s, "SELECT before FROM audit_log WHERE action = 'update' AND tbl = 'patients'", before, sizeof before);
	q_text(s, "SELECT after FROM audit_log WHERE action = 'update' AND tbl = 'patients'", after, sizeof after);
	ck_assert_str_eq(before, "{\"id\":1,\"mrn\":\"P1\",\"family_name\":\"Doe\",\"given_name\":\"Jane\","
				 "\"birth_date\":\"1980-01-02\",\"sex\":\"F\",\"diagnosis\":\"AML\",\"import_id\":1}");
	ck_assert_str_eq(after, "{\"id\":1,\"mrn\":\"P1\",\"family_name\":\"Doe\",\"given_name\":\"Janet\","
				"\"birth_date\":\"1980-01-02\",\"sex\":\"F\",\"diagnosis\":\"AML\",\"import_id\":10}");
	/* The import entry: file hash, counts, digest of its rows. */
	char imp[1024];
	q_text(s, "SELECT after FROM audit_log WHERE action = 'import' ORDER BY seq LIMIT 1", imp, sizeof imp);
	char fh[65];
	ef_sha256_hex_of(th_fixture[0][1], strlen(th_fixture[0][1]), fh);
	ck_assert_ptr_nonnull(strstr(imp, fh));
	ck_assert_ptr_nonnull(strstr(imp, "\"rows_inserted\":3"));
	ck_assert_ptr_nonnull(strstr(imp, "\"rows_covered\":3"));
	store_close(s);
}
END_TEST

START_TEST(user_and_time_are_recorded)
{
	const char *path = th_path("user.db");
	struct store *s = th_open(path);
	store_set_user(s, "dr.who");
	ck_assert_int_eq(th_import(s, "patients", th_fixture[0][1], NULL), 0);
	char u[64], at[64];
	q_text(s, "SELECT user FROM audit_log WHERE action = 'import'", u, sizeof u);
	q_text(s, "SELECT at FROM audit_log WHERE action = 'import'", at, sizeof at);
	ck_assert_str_eq(u, "dr.who");
	ck_assert_int_eq((int)strlen(at), 24); /* 2026-01-02T03:04:05.678Z */
	ck_assert_int_eq(at[23], 'Z');
	store_close(s);
}
END_TEST

/* A row entered on its own (not by an import) is logged as an insert. */
START_TEST(single_entry_is_logged_row_by_row)
{
	const char *path = th_path("single.db");
	struct store *s = th_open(path);
	struct ef_err e;
	struct store_patient_rec p = {"S1", "Solo", "Han", "1970-07-07", "M", NULL};
	int64_t id;
	enum store_put res;
	ck_assert_int_eq(store_put_patient(s, &p, 0, &id, &res, &e), 0);
	ck_assert_int_eq(res, STORE_INSERTED);
	char after[512];
	q_text(s, "SELECT action || ' ' || tbl || ' ' || row_key || ' ' || after FROM audit_log WHERE tbl = 'patients'",
	       after, sizeof after);
	ck_assert_str_eq(after, "insert patients 1 {\"id\":1,\"mrn\":\"S1\",\"family_name\":\"Solo\",\"given_name\":"
				"\"Han\",\"birth_date\":\"1970-07-07\",\"sex\":\"M\",\"diagnosis\":null,\"import_id\":null}");
	ck_assert_msg(th_verify(s, NULL, NULL) == 0, "%s", th_msgs);
	store_close(s);
}
END_TEST

/* A deleted row's id may be used again by a later import: that row is then
 * logged on its own (the insert trigger's EXISTS clause), or verify would
 * take it for the deleted row put back. */
START_TEST(reused_row_id_after_delete_verifies)
{
	const char *path = th_path("reuse.db");
	struct store *s = th_open(path);
	th_load_fixture(s);
	ck_assert_int_eq(sqlite3_exec(s->db, "DELETE FROM ivig WHERE id = 2", NULL, NULL, NULL), SQLITE_OK);
	ck_assert_msg(th_verify(s, NULL, NULL) == 0, "%s", th_msgs);
	ck_assert_int_eq(th_import(s, "ivig", "mrn,given_on,dose_g\nP3,2025-04-04,10\n", NULL), 0);
	ck_assert_int_eq(q_int(s, "SELECT id FROM ivig WHERE patient_id = 3"), 2);
	ck_assert_int_eq(q_int(s, "SELECT count(*) FROM audit_log WHERE tbl = 'ivig' AND row_key = 2"), 2);
	ck_assert_msg(th_verify(s, NULL, NULL) == 0, "%s", th_msgs);
	store_close(s);
}
END_TEST

START_TEST(rejected_import_leaves_no_trace)
{
	const char *path = th_path("reject.db");
	struct store *s = th_open(path);
	th_load_fixture(s);
	int64_t n = q_int(s, "SELECT count(*) FROM audit_log");
	ck_assert_int_eq(th_import(s, "labs", "mrn,collected_on,test,value,unit\nP1,2025-01-30,ANC,1,10^9/L\n"
					      "P1,2025-01-31,ANC,abc,10^9/L\n", NULL), EF_INVALID);
	ck_assert_int_eq(q_int(s, "SELECT count(*) FROM audit_log"), n);
	ck_assert_int_eq(q_int(s, "SELECT count(*) FROM imports"), 9);
	ck_assert_msg(th_verify(s, NULL, NULL) == 0, "%s", th_msgs);
	store_close(s);
}
END_TEST

/* The sqlite3 shell cannot write clinical rows while the triggers exist:
 * they call functions only engraft has. */
START_TEST(shell_cannot_write_while_triggers_exist)
{
	const char *path = history("shell.db");
	ck_assert_int_ne(th_raw(path, "UPDATE patients SET given_name = 'X' WHERE id = 2"), SQLITE_OK);
	ck_assert_int_ne(th_raw(path, "DELETE FROM ivig WHERE id = 2"), SQLITE_OK);
	ck_assert_int_ne(th_raw(path, "UPDATE audit_log SET user = 'x' WHERE seq = 1"), SQLITE_OK);
	ck_assert_int_ne(th_raw(path, "DELETE FROM audit_log WHERE seq = 1"), SQLITE_OK);
	struct store *s = th_open(path);
	ck_assert_msg(th_verify(s, NULL, NULL) == 0, "%s", th_msgs);
	store_close(s);
}
END_TEST

/* Tampering as someone with the sqlite3 shell would do it (dropping the
 * guard triggers first), and the problem verify must report. Entries of the
 * history: 1-8 those of a new database (NEW_DB_ENTRIES), 9-17 fixture
 * imports (patients = import 1, labs = import 3), 18-33 an update + an
 * import entry per kind. */
static const struct {
	const char *name, *sql, *want;
} tampers[] = {
	{"edit an entry", "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET user = 'mallory' WHERE seq = 3;",
	 "entry 3 does not match its hash"},
	{"edit an entry's JSON", "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET after = "
				 "replace(after, 'Janet', 'Jane') WHERE seq = 20;",
	 "entry 20 does not match its hash"},
	{"delete an entry", "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq = 5;",
	 "entries 5 to 5 are missing"},
	{"reorder entries", "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET seq = -1 WHERE seq = 4; "
			    "UPDATE audit_log SET seq = 4 WHERE seq = 5; UPDATE audit_log SET seq = 5 WHERE seq = -1;",
	 "entry 4 does not match its hash"},
	{"cut the tail", "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq > 26;",
	 "cut from the end"},
	{"cut the tail and move the head", "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq > 26; "
					   "UPDATE audit_head SET seq = 26, hash = (SELECT hash FROM audit_log WHERE seq = 26);",
	 "not in the audit log"},
	{"change an imported row", "DROP TRIGGER audit_lab_results_update; UPDATE lab_results SET value = '9.9', "
				   "canonical = 9.9 WHERE id = 2;",
	 "import 3 (test.csv): the 5 rows it inserted no longer match"},
	{"change a logged row", "DROP TRIGGER audit_lab_results_update; UPDATE lab_results SET value = '7' WHERE id = 1;",
	 "lab_results row 1: differs from the last state"},
	{"delete an imported row", "DROP TRIGGER audit_patients_delete; PRAGMA foreign_keys = OFF; "
				   "DELETE FROM patients WHERE id = 3;",
	 "import 1 (test.csv): the 3 rows it inserted no longer match"},
	{"delete a logged row", "DROP TRIGGER audit_patients_delete; PRAGMA foreign_keys = OFF; "
				"DELETE FROM patients WHERE id = 1;",
	 "patients row 1: in the audit log but missing"},
	{"add a row", "DROP TRIGGER audit_patients_insert; INSERT INTO patients (mrn, family_name, given_name, "
		      "birth_date) VALUES ('X9', 'Evil', 'Eve', '1990-01-01');",
	 "patients row 4: not in the audit log"},
	{"add a row to an import", "DROP TRIGGER audit_patients_insert; INSERT INTO patients (mrn, family_name, "
				   "given_name, birth_date, import_id) VALUES ('X9', 'Evil', 'Eve', '1990-01-01', 1);",
	 "import 1 (test.csv): the 3 rows it inserted no longer match its digest (4 found)"},
	{"re-insert a deleted row", "DROP TRIGGER audit_lab_results_delete; DROP TRIGGER audit_lab_results_insert;"
				    "DELETE FROM lab_results WHERE id = 1; INSERT INTO lab_results (id, patient_id, "
				    "collected_on, collected_day, test, value, qualifier, canonical, unit) VALUES "
				    "(1, 1, '2025-01-12', 20100, 'ANC', '0.2', '=', 0.2, '10^9/L');",
	 "lab_results row 1: differs from the last state"},
	{"change an import record", "UPDATE imports SET file_name = 'other.csv' WHERE id = 2;",
	 "import 2: its record differs from its audit entry"},
	{"drop a trigger", "DROP TRIGGER audit_ivig_update;", "trigger audit_ivig_update is missing"},
	{"replace a trigger", "DROP TRIGGER audit_ivig_update; CREATE TRIGGER audit_ivig_update AFTER UPDATE ON ivig "
			      "BEGIN SELECT 1; END;",
	 "trigger audit_ivig_update is not one engraft created"},
	{"add a trigger", "CREATE TRIGGER sneaky AFTER INSERT ON patients BEGIN SELECT 1; END;",
	 "trigger sneaky is not one engraft created"},
	{"delete the head", "DELETE FROM audit_head;", "its head is missing"},
};

START_TEST(tampering_is_detected)
{
	char name[64];
	snprintf(name, sizeof name, "tamper%d.db", _i);
	const char *path = history(name);
	ck_assert_msg(th_raw(path, tampers[_i].sql) == SQLITE_OK, "%s: sql failed", tampers[_i].name);
	struct store *s = th_open(path);
	int rc = th_verify(s, NULL, NULL);
	ck_assert_msg(rc == EF_AUDIT, "%s: verify gave %d", tampers[_i].name, rc);
	ck_assert_msg(strstr(th_msgs, tampers[_i].want), "%s: want '%s' in:\n%s", tampers[_i].name, tampers[_i].want,
		      th_msgs);
	store_close(s);
}
END_TEST

/* The documented hash: SHA-256 of "engraft-audit-v1;" and each field as
 * "<len>:<bytes>;" ("-;" for NULL), recomputed here from the exported values. */
static void doc_hash(const char *prev, sqlite3_stmt *st, char out[65])
{
	struct ef_sha256 h;
	unsigned char d[32];
	ef_sha256_init(&h);
	ef_sha256_update(&h, "engraft-audit-v1;", 17);
	char len[32];
	int k = snprintf(len, sizeof len, "64:");
	ef_sha256_update(&h, len, (size_t)k);
	ef_sha256_update(&h, prev, 64);
	ef_sha256_update(&h, ";", 1);
	for (int i = 0; i < 8; i++) {
		if (sqlite3_column_type(st, i) == SQLITE_NULL) {
			ef_sha256_update(&h, "-;", 2);
			continue;
		}
		const unsigned char *v = sqlite3_column_text(st, i);
		int n = sqlite3_column_bytes(st, i);
		k = snprintf(len, sizeof len, "%d:", n);
		ef_sha256_update(&h, len, (size_t)k);
		ef_sha256_update(&h, v, (size_t)n);
		ef_sha256_update(&h, ";", 1);
	}
	ef_sha256_final(&h, d);
	ef_sha256_hex(d, out);
}

/* Rewrite the whole chain from entry `from` on, as an attacker who knows the
 * (public) algorithm can; returns nothing, asserts. */
static void rewrite_chain(const char *path)
{
	sqlite3 *db;
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, "DROP TRIGGER IF EXISTS audit_log_no_update; BEGIN", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_stmt *st, *up;
	ck_assert_int_eq(sqlite3_prepare_v2(db, "SELECT seq, at, user, action, tbl, row_key, before, after FROM "
						"audit_log ORDER BY seq", -1, &st, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(db, "UPDATE audit_log SET hash = ?2 WHERE seq = ?1", -1, &up, NULL),
			 SQLITE_OK);
	char prev[65] = "0000000000000000000000000000000000000000000000000000000000000000", h[65];
	int64_t last = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		doc_hash(prev, st, h);
		last = sqlite3_column_int64(st, 0);
		sqlite3_bind_int64(up, 1, last);
		sqlite3_bind_text(up, 2, h, 64, SQLITE_TRANSIENT);
		ck_assert_int_eq(sqlite3_step(up), SQLITE_DONE);
		sqlite3_reset(up);
		memcpy(prev, h, sizeof prev);
	}
	sqlite3_finalize(st);
	sqlite3_finalize(up);
	char q[256];
	snprintf(q, sizeof q, "UPDATE audit_head SET seq = %lld, hash = '%s'; COMMIT", (long long)last, prev);
	ck_assert_int_eq(sqlite3_exec(db, q, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

START_TEST(documented_hash_matches)
{
	const char *path = history("doc.db");
	struct store *s = th_open(path);
	sqlite3_stmt *st;
	ck_assert_int_eq(sqlite3_prepare_v2(s->db, "SELECT seq, at, user, action, tbl, row_key, before, after, hash "
						   "FROM audit_log ORDER BY seq", -1, &st, NULL), SQLITE_OK);
	char prev[65] = "0000000000000000000000000000000000000000000000000000000000000000", h[65];
	int n = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		doc_hash(prev, st, h);
		ck_assert_str_eq(h, (const char *)sqlite3_column_text(st, 8));
		memcpy(prev, h, sizeof prev);
		n++;
	}
	sqlite3_finalize(st);
	ck_assert_int_eq(n, NEW_DB_ENTRIES + 25);
	store_close(s);
}
END_TEST

/* Put the log's update guard (dropped to forge entries) back as engraft
 * made it. */
static void restore_guard(const char *path)
{
	const char *m = NULL;
	for (const struct ef_blob *b = ef_migrations; b->name; b++)
		if (strncmp(b->name, "005_", 4) == 0)
			m = b->data;
	ck_assert_ptr_nonnull(m);
	const char *a = strstr(m, "CREATE TRIGGER audit_log_no_update");
	ck_assert_ptr_nonnull(a);
	const char *b = strstr(a, "END;");
	char trig[512];
	snprintf(trig, sizeof trig, "%.*s", (int)(b + 4 - a), a);
	ck_assert_int_eq(th_raw(path, trig), SQLITE_OK);
}

/* The digest of an import's rows, recomputed here from the documented
 * encoding (src/store/audit.c): per table, SHA-256 over its rows by id, each
 * column as "<len>:<bytes>;" ("-;" for NULL), integers and whole REALs as
 * decimal text, other REALs as "%!.15g" text (version 2) or their 8 IEEE
 * bytes big-endian (versions 3, 4); version 4 adds entered_in_error after
 * import_id (schema 006); then SHA-256 of "engraft-import-vN;" and,
 * per table, its name, row count and that hex digest, each fed alike. Only
 * lab_results here: the import below inserts nothing else. */
static void feed_doc(struct ef_sha256 *h, const void *v, size_t n)
{
	char len[32];
	int k = snprintf(len, sizeof len, "%zu:", n);
	ef_sha256_update(h, len, (size_t)k);
	ef_sha256_update(h, v, n);
	ef_sha256_update(h, ";", 1);
}

static void doc_lab_digest(struct store *s, int64_t import_id, int version, char out[65])
{
	struct ef_sha256 t, all;
	unsigned char d[32];
	char hex[65], num[64];
	sqlite3_stmt *st;
	ck_assert_int_eq(sqlite3_prepare_v2(s->db, "SELECT id, patient_id, collected_on, collected_day, test, value, "
						   "qualifier, canonical, unit, import_id, entered_in_error FROM lab_results "
						   "WHERE import_id = ?1 ORDER BY id", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_int64(st, 1, import_id);
	ef_sha256_init(&t);
	int rows = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		for (int i = 0; i < (version >= 4 ? 11 : 10); i++) {
			int type = sqlite3_column_type(st, i);
			double x = sqlite3_column_double(st, i);
			if (type == SQLITE_NULL) {
				ef_sha256_update(&t, "-;", 2);
			} else if (type == SQLITE_INTEGER || (type == SQLITE_FLOAT && x == (double)(long long)x)) {
				int k = snprintf(num, sizeof num, "%lld", (long long)x);
				if (type == SQLITE_INTEGER)
					k = snprintf(num, sizeof num, "%lld", (long long)sqlite3_column_int64(st, i));
				feed_doc(&t, num, (size_t)k);
			} else if (type == SQLITE_FLOAT && version == 2) {
				sqlite3_snprintf(sizeof num, num, "%!.15g", x);
				feed_doc(&t, num, strlen(num));
			} else if (type == SQLITE_FLOAT) {
				unsigned char be[8];
				uint64_t bits;
				memcpy(&bits, &x, 8);
				for (int k = 0; k < 8; k++)
					be[k] = (unsigned char)(bits >> (56 - 8 * k));
				feed_doc(&t, be, 8);
			} else {
				feed_doc(&t, sqlite3_column_text(st, i), (size_t)sqlite3_column_bytes(st, i));
			}
		}
		rows++;
	}
	sqlite3_finalize(st);
	ef_sha256_final(&t, d);
	ef_sha256_hex(d, hex);
	ef_sha256_init(&all);
	snprintf(num, sizeof num, "engraft-import-v%d;", version);
	ef_sha256_update(&all, num, strlen(num));
	feed_doc(&all, "lab_results", 11);
	int k = snprintf(num, sizeof num, "%d", rows);
	feed_doc(&all, num, (size_t)k);
	feed_doc(&all, hex, 64);
	ef_sha256_final(&all, d);
	ef_sha256_hex(d, out);
}

/* Imports record version 4 of the row digest, exactly as documented; an
 * import recorded with version 3 (before schema 006) or 2 (engraft before
 * 2026-11-25) still verifies,
 * and a changed value under it is still caught; a version engraft does not
 * know is reported, not guessed. */
#define V1_PATIENT "mrn,family_name,given_name,birth_date,sex,diagnosis\nV1,Vee,Ann,1970-03-04,F,AML\n"

START_TEST(row_digest_versions)
{
	const char *path = th_path("digestv.db");
	struct store *s = th_open(path);
	struct ef_import_result r;
	ck_assert_int_eq(th_import(s, "patients", V1_PATIENT, &r), 0);
	ck_assert_int_eq(th_import(s, "labs", "mrn,collected_on,test,value,unit\n"
					      "V1,2025-02-01,ANC,1.23,10^9/L\n"
					      "V1,2025-02-01,ALC,2,10^9/L\n"
					      "V1,2025-02-02,IGG,<3.3,g/L\n"
					      "V1,2025-02-03,PLT,0.1,10^9/L\n", &r), 0);
	ck_assert_int_eq(r.inserted, 4);
	int64_t imp = r.import_id;
	char v4[65], v3[65], v2[65], rec[65];
	char q[256];
	snprintf(q, sizeof q, "SELECT json_extract(after, '$.rows_digest') || ':' || json_extract(after, "
			      "'$.rows_digest_v') FROM audit_log WHERE action = 'import' AND row_key = %lld", (long long)imp);
	char both[128];
	q_text(s, q, both, sizeof both);
	doc_lab_digest(s, imp, 4, v4);
	doc_lab_digest(s, imp, 3, v3);
	doc_lab_digest(s, imp, 2, v2);
	snprintf(rec, sizeof rec, "%.64s", both);
	ck_assert_str_eq(rec, v4);
	ck_assert_str_eq(both + 64, ":4");
	ck_assert_str_ne(v2, v3);
	ck_assert_str_ne(v3, v4);
	store_close(s);

	/* the entry as engraft before schema 006 wrote it */
	char sql[512];
	snprintf(sql, sizeof sql, "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET after = "
				  "json_set(after, '$.rows_digest', '%s', '$.rows_digest_v', 3) "
				  "WHERE action = 'import' AND row_key = %lld;", v3, (long long)imp);
	ck_assert_int_eq(th_raw(path, sql), SQLITE_OK);
	rewrite_chain(path);
	restore_guard(path);
	s = th_open(path);
	ck_assert_msg(th_verify(s, NULL, NULL) == 0, "%s", th_msgs);
	store_close(s);

	/* the entry as engraft before version 3 wrote it */
	snprintf(sql, sizeof sql, "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET after = "
				  "json_remove(json_set(after, '$.rows_digest', '%s'), '$.rows_digest_v') "
				  "WHERE action = 'import' AND row_key = %lld;", v2, (long long)imp);
	ck_assert_int_eq(th_raw(path, sql), SQLITE_OK);
	rewrite_chain(path);
	restore_guard(path);
	s = th_open(path);
	ck_assert_msg(th_verify(s, NULL, NULL) == 0, "%s", th_msgs);
	store_close(s);
	ck_assert_int_eq(th_raw(path, "DROP TRIGGER audit_lab_results_update; UPDATE lab_results SET canonical = "
				      "1.5 WHERE test = 'ANC';"), SQLITE_OK);
	s = th_open(path);
	ck_assert_int_eq(th_verify(s, NULL, NULL), EF_AUDIT);
	ck_assert_msg(strstr(th_msgs, "rows it inserted no longer match its digest"), "%s", th_msgs);
	store_close(s);

	/* version 3 sees a change in the last bit, which 15 digits of text hid */
	path = th_path("digestv3.db");
	s = th_open(path);
	ck_assert_int_eq(th_import(s, "patients", V1_PATIENT, &r), 0);
	ck_assert_int_eq(th_import(s, "labs", "mrn,collected_on,test,value,unit\nV1,2025-02-01,ANC,1.23,10^9/L\n", &r),
			 0);
	store_close(s);
	ck_assert_int_eq(th_raw(path, "DROP TRIGGER audit_lab_results_update; UPDATE lab_results SET canonical = "
				      "1.2300000000000002 WHERE test = 'ANC';"), SQLITE_OK);
	s = th_open(path);
	ck_assert_int_eq(th_verify(s, NULL, NULL), EF_AUDIT);
	ck_assert_msg(strstr(th_msgs, "rows it inserted no longer match its digest"), "%s", th_msgs);
	store_close(s);

	/* a version from the future */
	path = th_path("digestv9.db");
	s = th_open(path);
	ck_assert_int_eq(th_import(s, "patients", V1_PATIENT, &r), 0);
	store_close(s);
	ck_assert_int_eq(th_raw(path, "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET after = "
				      "json_set(after, '$.rows_digest_v', 9) WHERE action = 'import';"), SQLITE_OK);
	rewrite_chain(path);
	restore_guard(path);
	s = th_open(path);
	ck_assert_int_eq(th_verify(s, NULL, NULL), EF_AUDIT);
	ck_assert_msg(strstr(th_msgs, "its digest is of an unknown version 9"), "%s", th_msgs);
	store_close(s);
}
END_TEST

/* The honest limit: someone who rewrites the log and recomputes every hash
 * and the head with the shell is not caught by the database alone; the head
 * recorded outside (audit verify --head) catches it. */
START_TEST(rewritten_chain_needs_recorded_head)
{
	const char *path = history("rewrite.db");
	struct store *s = th_open(path);
	struct store_audit_summary sum;
	ck_assert_int_eq(th_verify(s, NULL, &sum), 0);
	char head[128];
	snprintf(head, sizeof head, "%lld:%s", (long long)sum.head_seq, sum.head_hash);
	store_close(s);
	ck_assert_int_eq(th_raw(path, "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET user = 'mallory' "
				      "WHERE seq = 12;"), SQLITE_OK);
	rewrite_chain(path);
	restore_guard(path);
	s = th_open(path);
	ck_assert_msg(th_verify(s, NULL, NULL) == 0, "%s", th_msgs); /* the limit */
	ck_assert_int_eq(th_verify(s, head, NULL), EF_AUDIT);
	ck_assert_ptr_nonnull(strstr(th_msgs, "the log was rewritten"));
	store_close(s);
}
END_TEST

START_TEST(recorded_head_catches_a_cut_log)
{
	const char *path = history("cuthead.db");
	struct store *s = th_open(path);
	ck_assert_int_eq(th_verify(s, "35:0000000000000000000000000000000000000000000000000000000000000000", NULL),
			 EF_AUDIT);
	ck_assert_ptr_nonnull(strstr(th_msgs, "not the 0000"));
	ck_assert_int_eq(th_verify(s, "36:0000000000000000000000000000000000000000000000000000000000000000", NULL),
			 EF_AUDIT);
	ck_assert_ptr_nonnull(strstr(th_msgs, "has no entry 36"));
	struct store_audit_summary sum;
	ck_assert_int_eq(th_verify(s, "nonsense", &sum), EF_USAGE);
	store_close(s);
}
END_TEST

/* A database made before the trail (schema 2, with rows) gets baseline
 * entries when it is migrated, and verifies. */
START_TEST(migration_baselines_existing_rows)
{
	const char *path = th_path("old.db");
	sqlite3 *db;
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	for (int i = 0; i < 2; i++)
		ck_assert_int_eq(sqlite3_exec(db, ef_migrations[i].data, NULL, NULL, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db,
				      "INSERT INTO imports (at, user, kind, file_name) VALUES ('2025-01-01T00:00:00Z', "
				      "'old', 'patients', 'old.csv');"
				      "INSERT INTO patients (mrn, family_name, given_name, birth_date, import_id) VALUES "
				      "('O1', 'Old', 'One', '1950-01-01', 1), ('O2', 'Old', 'Two', '1951-01-01', NULL);"
				      "INSERT INTO ivig (patient_id, given_on, dose_g) VALUES (2, '2024-01-01', '10');",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(db);
	struct store *s = th_open(path);
	ck_assert_int_eq(store_schema_version(s), store_schema_latest());
	struct store_audit_summary sum;
	ck_assert_msg(th_verify(s, NULL, &sum) == 0, "%s", th_msgs);
	/* 4 baselines of rows, the first admin (schema 008), the reference tables' baselines (010) */
	ck_assert_int_eq(sum.entries, 5 + q_int(s, "SELECT count(*) FROM audit_log WHERE row_key = 0"));
	ck_assert_int_eq(q_int(s, "SELECT count(*) FROM audit_log WHERE action = 'baseline' AND row_key <> 0"), 4);
	store_close(s);
}
END_TEST

/* Stand-ins for engraft's SQL functions in a bare sqlite3 connection (the
 * hashes are rewritten afterwards by rewrite_chain, as the documented
 * algorithm computes them). */
static void fake_user(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	(void)argc;
	(void)argv;
	sqlite3_result_text(cx, "old", -1, SQLITE_STATIC);
}

static void fake_hash(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	(void)argc;
	(void)argv;
	sqlite3_result_text(cx, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 64, SQLITE_STATIC);
}

/* A database of schema 5 with rows logged by the 005 triggers and its
 * baseline (labs with non-whole values, vaccinations, GVHD, an update)
 * verifies once migrated to 006 without new entries; a mark set through
 * engraft is logged and verifies; a mark set or cleared outside engraft on
 * a row logged before 006 is caught. */
START_TEST(migration_006_keeps_existing_rows_verifying)
{
	const char *path = th_path("v5.db");
	sqlite3 *db;
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_create_function(db, "ef_user", 0, SQLITE_UTF8, NULL, fake_user, NULL, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_create_function(db, "ef_audit_hash", 9, SQLITE_UTF8, NULL, fake_hash, NULL, NULL),
			 SQLITE_OK);
	int i = 0;
	for (; strncmp(ef_migrations[i].name, "005_", 4) != 0; i++)
		ck_assert_int_eq(sqlite3_exec(db, ef_migrations[i].data, NULL, NULL, NULL), SQLITE_OK);
	/* before the trail: baseline entries */
	ck_assert_int_eq(sqlite3_exec(db,
				      "INSERT INTO patients (mrn, family_name, given_name, birth_date) VALUES "
				      "('M1', 'Mig', 'One', '1960-01-01');"
				      "INSERT INTO transplants (patient_id, transplant_date, type, graft_source) VALUES "
				      "(1, '2025-01-15', 'allogeneic', 'peripheral_blood');"
				      "INSERT INTO lab_results (patient_id, collected_on, collected_day, test, value, qualifier, "
				      "canonical, unit) VALUES (1, '2025-02-01', 20120, 'ANC', '0.1', '=', 0.1, '10^9/L');",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, ef_migrations[i].data, NULL, NULL, NULL), SQLITE_OK);
	ck_assert_int_eq(store_schema_latest() > 5, 1);
	/* under the 005 triggers: insert and update entries of the old shape */
	ck_assert_int_eq(sqlite3_exec(db,
				      "INSERT INTO lab_results (patient_id, collected_on, collected_day, test, value, qualifier, "
				      "canonical, unit) VALUES (1, '2025-02-02T08:30', 20121, 'IGG', '<3.3', '<', 330.0, 'g/L'),"
				      "(1, '2025-02-03', 20122, 'PLT', '1.2300000000000002', '=', 1.2300000000000002, '10^9/L');"
				      "UPDATE lab_results SET value = '0.2', canonical = 0.2 WHERE test = 'ANC';"
				      "INSERT INTO vaccinations (patient_id, vaccine, given_on, lot) VALUES "
				      "(1, 'PCV', '2025-04-15', 'L1');"
				      "INSERT INTO gvhd_acute (patient_id, assessed_on, skin, liver, upper_gi, lower_gi, grade) "
				      "VALUES (1, '2025-02-10', 2, 1, 0, 2, 'III');"
				      "INSERT INTO ivig (patient_id, given_on, dose_g) VALUES (1, '2025-03-01', '30');"
				      "PRAGMA user_version = 5;",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(db);
	rewrite_chain(path);
	restore_guard(path);

	struct store *s = th_open(path);
	ck_assert_int_eq(store_schema_version(s), store_schema_latest());
	int64_t entries = q_int(s, "SELECT count(*) FROM audit_log");
	struct store_audit_summary sum;
	ck_assert_msg(th_verify(s, NULL, &sum) == 0, "%s", th_msgs);
	ck_assert_int_eq(sum.entries, entries);
	ck_assert_int_eq(q_int(s, "SELECT count(*) FROM vaccinations WHERE source = 'historical'"), 1);
	/* marked through engraft: an update entry with the new columns */
	struct ef_import_result r;
	ck_assert_int_eq(th_import(s, "gvhd-acute", "mrn,assessed_on,skin,liver,upper_gi,lower_gi,entered_in_error\n"
						    "M1,2025-02-10,2,1,0,2,wrong patient\n", &r), 0);
	ck_assert_int_eq(r.updated, 1);
	ck_assert_int_eq(q_int(s, "SELECT count(*) FROM audit_log WHERE tbl = 'gvhd_acute' AND action = 'update' "
				  "AND json_extract(after, '$.entered_in_error') = 'wrong patient' "
				  "AND json_extract(before, '$.entered_in_error') IS NULL"), 1);
	ck_assert_msg(th_verify(s, NULL, NULL) == 0, "%s", th_msgs);
	store_close(s);
	/* outside engraft: a mark on a row logged before 006, and a mark cleared */
	ck_assert_int_eq(th_raw(path, "DROP TRIGGER audit_lab_results_update; DROP TRIGGER audit_gvhd_acute_update;"
				      "UPDATE lab_results SET entered_in_error = 'x' WHERE test = 'PLT';"
				      "UPDATE gvhd_acute SET entered_in_error = NULL;"), SQLITE_OK);
	s = th_open(path);
	ck_assert_int_eq(th_verify(s, NULL, NULL), EF_AUDIT);
	ck_assert_msg(strstr(th_msgs, "lab_results row 3: differs from the last state"), "%s", th_msgs);
	ck_assert_msg(strstr(th_msgs, "gvhd_acute row 1: differs from the last state"), "%s", th_msgs);
	store_close(s);
}
END_TEST

/* Schema 016 rebuilds transplants for the type cellular_therapy: a
 * database of schema 15 (the CHECK without it, the reference rows without
 * the CAR-T ones) migrates with its transplants' ids and rows, their index
 * and audit triggers intact, verifies, then accepts a CAR-T infusion. The
 * reference rows it adds are an update entry of the migrating login. */
START_TEST(migration_016_keeps_transplants_and_verifies)
{
	static const char rows_q[] =
		"SELECT group_concat(r, ';') FROM (SELECT id || '|' || patient_id || '|' || transplant_date || '|' || "
		"type || '|' || graft_source || '|' || ifnull(donor, '') || '|' || ifnull(conditioning, '') || '|' || "
		"ifnull(import_id, '') AS r FROM transplants ORDER BY id)";
	const char *path = th_path("v15.db");
	struct store *s = th_open(path);
	ck_assert_int_eq(th_import(s, "patients", "mrn,family_name,given_name,birth_date\n"
						  "C1,Car,One,1960-01-01\nC2,Car,Two,1970-02-02\n", NULL), 0);
	ck_assert_int_eq(th_import(s, "transplants", "mrn,transplant_date,type,graft_source,donor,conditioning\n"
						     "C1,2023-03-01,allogeneic,peripheral_blood,unrelated,myeloablative\n"
						     "C2,2024-05-05,autologous,peripheral_blood,self,\n", NULL), 0);
	/* an update entry too: the conditioning recorded later */
	ck_assert_int_eq(th_import(s, "transplants", "mrn,transplant_date,type,graft_source,donor,conditioning\n"
						     "C2,2024-05-05,autologous,peripheral_blood,self,myeloablative\n", NULL), 0);
	char before[1024], after[1024];
	q_text(s, rows_q, before, sizeof before);
	store_close(s);
	/* back to schema 15 as 015 left it */
	ck_assert_int_eq(th_raw(path, "PRAGMA writable_schema = ON;"
				      "UPDATE sqlite_schema SET sql = replace(sql, ', ''cellular_therapy''', '') "
				      "WHERE type = 'table' AND name = 'transplants';"
				      "PRAGMA writable_schema = OFF;"
				      "DELETE FROM parameters WHERE key = 'live_min_months_after_cellular_therapy';"
				      "DELETE FROM vaccine_schedule WHERE transplant_types = 'cellular_therapy';"
				      "UPDATE vaccine_schedule SET transplant_types = NULL "
				      "WHERE transplant_types = 'autologous;allogeneic;syngeneic';"
				      "UPDATE milestones SET transplant_types = NULL;"
				      "DELETE FROM registry_forms WHERE item = 'CIBMTR-CT';"
				      "UPDATE registry_forms SET transplant_types = NULL;"
				      "PRAGMA user_version = 15;"),
			 SQLITE_OK);
	sqlite3 *raw; /* schema 15 refuses the type (stand-ins for the triggers' functions) */
	ck_assert_int_eq(sqlite3_open(path, &raw), SQLITE_OK);
	ck_assert_int_eq(sqlite3_create_function(raw, "ef_user", 0, SQLITE_UTF8, NULL, fake_user, NULL, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_create_function(raw, "ef_audit_hash", 9, SQLITE_UTF8, NULL, fake_hash, NULL, NULL),
			 SQLITE_OK);
	int rc = sqlite3_exec(raw, "INSERT INTO transplants (patient_id, transplant_date, type, graft_source) "
				   "VALUES (2, '2025-01-15', 'cellular_therapy', 'peripheral_blood')",
			      NULL, NULL, NULL);
	ck_assert_msg(rc == SQLITE_CONSTRAINT, "%d %s", rc, sqlite3_errmsg(raw));
	sqlite3_close(raw);
	s = th_open(path);
	ck_assert_int_eq(store_schema_version(s), store_schema_latest());
	q_text(s, rows_q, after, sizeof after);
	ck_assert_str_eq(after, before);
	ck_assert_int_eq(q_int(s, "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = "
				  "'transplants' AND name IN ('audit_transplants_insert', 'audit_transplants_update', "
				  "'audit_transplants_delete')"),
			 3);
	ck_assert_int_eq(q_int(s, "SELECT count(*) FROM pragma_index_list('transplants') WHERE \"unique\" = 1"), 1);
	ck_assert_int_eq(q_int(s, "SELECT count(*) FROM sqlite_schema WHERE name = 'transplants_new'"), 0);
	ck_assert_msg(th_verify(s, NULL, NULL) == 0, "%s", th_msgs);
	/* the schedule's rows come back in another order than the file's (the
	 * CAR-T rows appended): an update entry of the migrating login */
	ck_assert_int_eq(q_int(s, "SELECT count(*) FROM audit_log WHERE tbl = 'vaccine_schedule' AND action = 'update'"),
			 1);
	ck_assert_int_eq(q_int(s, "SELECT count(*) FROM vaccine_schedule WHERE transplant_types = 'cellular_therapy'"),
			 12);
	ck_assert_int_eq(q_int(s, "SELECT count(*) FROM milestones WHERE transplant_types IS NULL"), 0);
	ck_assert_int_eq(q_int(s, "SELECT count(*) FROM registry_forms WHERE item = 'CIBMTR-CT' "
				  "AND transplant_types = 'cellular_therapy'"),
			 34);
	ck_assert_int_eq(q_int(s, "SELECT count(*) FROM registry_forms WHERE transplant_types IS NULL"), 0);
	/* the new type, imported and through the trail */
	struct ef_import_result r;
	ck_assert_int_eq(th_import(s, "transplants", "mrn,transplant_date,type,graft_source,donor\n"
						     "C2,2025-01-15,cellular_therapy,peripheral_blood,self\n", &r), 0);
	ck_assert_int_eq(r.inserted, 1);
	ck_assert_int_eq(q_int(s, "SELECT count(*) FROM transplants WHERE type = 'cellular_therapy'"), 1);
	ck_assert_msg(th_verify(s, NULL, NULL) == 0, "%s", th_msgs);
	store_close(s);
}
END_TEST

/* Alerts (migration 004) and the demo cohort go through the trail too:
 * every alert state change is an entry; a status changed in the shell is
 * caught. Through the binary. */
START_TEST(alerts_and_demo_are_audited)
{
	const char *db = th_path("alerts.db");
	ck_assert_int_eq(th_run(db, (const char *[]){"demo", "--patients", "30", "--seed", "5", NULL}), 0);
	ck_assert_int_eq(th_run(db, (const char *[]){"check", "--as-of", "2026-06-01", NULL}), 0);
	ck_assert_int_eq(th_run(db, (const char *[]){"audit", "verify", NULL}), 0);
	ck_assert_int_eq(th_run(db, (const char *[]){"export", "audit", NULL}), 0);
	ck_assert_str_eq(th_first_line(th_path("run.out")), "seq,at,user,action,table,row_key,before,after,hash\n");
	struct store *s = th_open(db);
	int64_t alerts = q_int(s, "SELECT count(*) FROM alerts");
	ck_assert_int_gt(alerts, 0);
	ck_assert_int_eq(q_int(s, "SELECT count(*) FROM audit_log WHERE tbl = 'alerts' AND action = 'insert'"), alerts);
	int64_t id = q_int(s, "SELECT min(alert_id) FROM alerts");
	store_close(s);
	char ids[32];
	snprintf(ids, sizeof ids, "%lld", (long long)id);
	ck_assert_int_eq(th_run(db, (const char *[]){"ack", ids, "--reason", "seen by dr. x", "--as-of", "2026-06-01",
						NULL}), 0);
	s = th_open(db);
	char after[2048];
	q_text(s, "SELECT after FROM audit_log WHERE tbl = 'alerts' AND action = 'update' ORDER BY seq DESC LIMIT 1",
	       after, sizeof after);
	ck_assert_ptr_nonnull(strstr(after, "\"status\":\"acknowledged\""));
	char by[128];
	snprintf(by, sizeof by, "\"acknowledged_by\":\"%s\"", getpwuid(geteuid())->pw_name);
	ck_assert_ptr_nonnull(strstr(after, by));
	ck_assert_msg(th_verify(s, NULL, NULL) == 0, "%s", th_msgs);
	store_close(s);
	char sql[256];
	snprintf(sql, sizeof sql, "DROP TRIGGER audit_alerts_update; UPDATE alerts SET status = 'resolved', "
				  "resolved_on = '2026-06-01' WHERE alert_id = %lld;", (long long)id);
	ck_assert_int_eq(th_raw(db, sql), SQLITE_OK);
	ck_assert_int_eq(th_run(db, (const char *[]){"audit", "verify", NULL}), 5);
	char want[128];
	snprintf(want, sizeof want, "alerts row %lld: differs from the last state", (long long)id);
	s = th_open(db);
	ck_assert_int_eq(th_verify(s, NULL, NULL), EF_AUDIT);
	ck_assert_msg(strstr(th_msgs, want), "%s", th_msgs);
	store_close(s);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("audit");
	TCase *tc = tcase_create("audit");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, history_of_every_table_verifies);
	tcase_add_test(tc, user_and_time_are_recorded);
	tcase_add_test(tc, single_entry_is_logged_row_by_row);
	tcase_add_test(tc, reused_row_id_after_delete_verifies);
	tcase_add_test(tc, rejected_import_leaves_no_trace);
	tcase_add_test(tc, shell_cannot_write_while_triggers_exist);
	tcase_add_loop_test(tc, tampering_is_detected, 0, sizeof tampers / sizeof tampers[0]);
	tcase_add_test(tc, documented_hash_matches);
	tcase_add_test(tc, row_digest_versions);
	tcase_add_test(tc, rewritten_chain_needs_recorded_head);
	tcase_add_test(tc, recorded_head_catches_a_cut_log);
	tcase_add_test(tc, migration_baselines_existing_rows);
	tcase_add_test(tc, migration_006_keeps_existing_rows_verifying);
	tcase_add_test(tc, alerts_and_demo_are_audited);
	tcase_add_test(tc, migration_016_keeps_transplants_and_verifies);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
