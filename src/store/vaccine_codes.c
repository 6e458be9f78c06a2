/* vaccine_codes.c - which vaccine codes exist (series codes and CVX). */
#include "store_int.h"

int store_vaccine_known(struct store *s, const char *code, size_t len, int *known, struct ef_err *err)
{
	static const char sql[] = "SELECT 1 FROM vaccine_codes WHERE code = ?1 LIMIT 1";
	sqlite3_stmt *st = store_stmt(s, sql, err);
	if (!st)
		return EF_DB;
	sqlite3_bind_text(st, 1, code, (int)len, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	*known = rc == SQLITE_ROW;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		rc = store_dberr(s, err, "look up vaccine");
		sqlite3_reset(st);
		return rc;
	}
	sqlite3_reset(st);
	return EF_OK;
}

int store_cvx_replace_begin(struct store *s, struct ef_err *err)
{
	static const char sql[] = "DELETE FROM cvx_codes";
	sqlite3_stmt *st = store_stmt(s, sql, err);
	if (!st)
		return EF_DB;
	return store_exec_stmt(s, st, err, "replace CVX codes");
}

int store_cvx_add(struct store *s, const char *cvx, const char *series, int live, const char *description,
		  struct ef_err *err)
{
	static const char sql[] = "INSERT INTO cvx_codes (cvx, series, live, description) VALUES (?1, ?2, ?3, ?4)";
	sqlite3_stmt *st = store_stmt(s, sql, err);
	if (!st)
		return EF_DB;
	store_bind_text(st, 1, cvx);
	store_bind_text(st, 2, series);
	sqlite3_bind_int(st, 3, live);
	store_bind_text(st, 4, description);
	return store_exec_stmt(s, st, err, "add CVX code");
}

int store_cvx_count(struct store *s, int64_t *n, struct ef_err *err)
{
	static const char sql[] = "SELECT count(*) FROM cvx_codes";
	sqlite3_stmt *st = store_stmt(s, sql, err);
	if (!st)
		return EF_DB;
	int rc = sqlite3_step(st);
	*n = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	if (rc != SQLITE_ROW) {
		rc = store_dberr(s, err, "count CVX codes");
		sqlite3_reset(st);
		return rc;
	}
	sqlite3_reset(st);
	return EF_OK;
}
