/* drafts.c - the drafts the terminal interface keeps at an automatic
 * sign-off (schema 011, store.h). The fields are an opaque text here (the
 * app layer encodes them); every SQLite return code is checked. */
#include "store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char sql_put[] =
	"INSERT INTO drafts (login, form, patient_id, context, fields, saved_at) "
	"VALUES (?1, ?2, ?3, ?4, ?5, strftime('%Y-%m-%dT%H:%M:%SZ', 'now')) "
	"ON CONFLICT (login, form, patient_id, context) DO UPDATE SET fields = excluded.fields, "
	"saved_at = excluded.saved_at";
static const char sql_get[] =
	"SELECT d.fields, d.saved_at, EXISTS (SELECT 1 FROM patients p WHERE p.id = d.patient_id) "
	"FROM drafts d WHERE d.login = ?1 AND d.form = ?2 AND d.patient_id = ?3 AND d.context = ?4";
static const char sql_delete[] =
	"DELETE FROM drafts WHERE login = ?1 AND form = ?2 AND patient_id = ?3 AND context = ?4";
static const char sql_tidy[] =
	"DELETE FROM drafts WHERE login = ?1 AND NOT EXISTS (SELECT 1 FROM patients p WHERE p.id = drafts.patient_id)";
static const char sql_count[] =
	"SELECT count(p.id), count(*) - count(p.id) FROM drafts d LEFT JOIN patients p ON p.id = d.patient_id "
	"WHERE d.login = ?1";

/* *out: the statement for sql with the key bound as ?1..?4. */
static int keyed(struct store *s, const char *sql, const struct store_draft_key *k, const char *what,
		 sqlite3_stmt **out, struct ef_err *err)
{
	*out = NULL;
	if (!k->login || !*k->login || !k->form || !*k->form || k->patient_id < 1)
		return ef_errf(err, EF_USAGE, "%s: a draft needs a login, a form and a patient", what);
	sqlite3_stmt *st = store_stmt(s, sql, err);
	if (!st)
		return EF_DB;
	if (store_bind_text(st, 1, k->login) != SQLITE_OK || store_bind_text(st, 2, k->form) != SQLITE_OK ||
	    sqlite3_bind_int64(st, 3, k->patient_id) != SQLITE_OK ||
	    store_bind_text(st, 4, k->context ? k->context : "") != SQLITE_OK) {
		int r = store_dberr(s, err, what);
		sqlite3_reset(st);
		return r;
	}
	*out = st;
	return EF_OK;
}

int store_draft_put(struct store *s, const struct store_draft_key *k, const char *fields, struct ef_err *err)
{
	if (!fields || strlen(fields) > STORE_DRAFT_FIELDS_MAX)
		return ef_errf(err, EF_USAGE, "keep a draft: its fields are missing or over %d bytes",
			       STORE_DRAFT_FIELDS_MAX);
	sqlite3_stmt *st;
	int krc = keyed(s, sql_put, k, "keep a draft", &st, err);
	if (krc)
		return krc;
	if (store_bind_text(st, 5, fields) != SQLITE_OK) {
		sqlite3_reset(st);
		return store_dberr(s, err, "keep a draft");
	}
	return store_exec_stmt(s, st, err, "keep a draft");
}

int store_draft_get(struct store *s, const struct store_draft_key *k, char **fields, char saved_at[21],
		    int *patient_exists, int *found, struct ef_err *err)
{
	*fields = NULL;
	*found = *patient_exists = 0;
	saved_at[0] = '\0';
	sqlite3_stmt *st;
	int krc = keyed(s, sql_get, k, "read a draft", &st, err);
	if (krc)
		return krc;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		return EF_OK;
	}
	if (rc != SQLITE_ROW) {
		int r = store_dberr(s, err, "read a draft");
		sqlite3_reset(st);
		return r;
	}
	const unsigned char *f = sqlite3_column_text(st, 0);
	const unsigned char *at = sqlite3_column_text(st, 1);
	if (!f || !at) { /* out of memory, or a row the CHECKs would refuse */
		int r = sqlite3_errcode(s->db) == SQLITE_NOMEM ? store_dberr(s, err, "read a draft")
							       : ef_errf(err, EF_DB, "read a draft: empty row");
		sqlite3_reset(st);
		return r;
	}
	size_t n = (size_t)sqlite3_column_bytes(st, 0);
	*fields = malloc(n + 1);
	if (!*fields) {
		sqlite3_reset(st);
		return ef_errf(err, EF_DB, "read a draft: out of memory");
	}
	memcpy(*fields, f, n);
	(*fields)[n] = '\0';
	snprintf(saved_at, 21, "%s", (const char *)at);
	*patient_exists = sqlite3_column_int(st, 2) != 0;
	*found = 1;
	sqlite3_reset(st);
	return EF_OK;
}

int store_draft_delete(struct store *s, const struct store_draft_key *k, int *deleted, struct ef_err *err)
{
	if (deleted)
		*deleted = 0;
	sqlite3_stmt *st;
	int krc = keyed(s, sql_delete, k, "discard a draft", &st, err);
	if (krc)
		return krc;
	int rc = store_exec_stmt(s, st, err, "discard a draft");
	if (rc == EF_OK && deleted)
		*deleted = sqlite3_changes(s->db) > 0;
	return rc;
}

/* *out: the statement for sql with the login bound as ?1. */
static int by_login(struct store *s, const char *sql, const char *login, const char *what, sqlite3_stmt **out,
		    struct ef_err *err)
{
	*out = NULL;
	if (!login || !*login)
		return ef_errf(err, EF_USAGE, "%s: no login", what);
	sqlite3_stmt *st = store_stmt(s, sql, err);
	if (!st)
		return EF_DB;
	if (store_bind_text(st, 1, login) != SQLITE_OK) {
		int r = store_dberr(s, err, what);
		sqlite3_reset(st);
		return r;
	}
	*out = st;
	return EF_OK;
}

int store_draft_count(struct store *s, const char *login, int64_t *n, int64_t *orphans, struct ef_err *err)
{
	*n = *orphans = 0;
	sqlite3_stmt *st;
	int rc = by_login(s, sql_count, login, "count the drafts", &st, err);
	if (rc)
		return rc;
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		int r = store_dberr(s, err, "count the drafts");
		sqlite3_reset(st);
		return r;
	}
	*n = sqlite3_column_int64(st, 0);
	*orphans = sqlite3_column_int64(st, 1);
	sqlite3_reset(st);
	return EF_OK;
}

int store_draft_tidy(struct store *s, const char *login, struct ef_err *err)
{
	sqlite3_stmt *st;
	int rc = by_login(s, sql_tidy, login, "tidy the drafts", &st, err);
	return rc ? rc : store_exec_stmt(s, st, err, "tidy the drafts");
}
