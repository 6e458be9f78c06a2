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

int store_series_live(struct store *s, const char *series, int *live, int *found, struct ef_err *err)
{
	static const char sql[] = "SELECT live FROM vaccine_series WHERE code = ?1";
	sqlite3_stmt *st = store_stmt(s, sql, err);
	if (!st)
		return EF_DB;
	sqlite3_bind_text(st, 1, series, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	*found = rc == SQLITE_ROW;
	*live = *found ? sqlite3_column_int(st, 0) : 0;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		rc = store_dberr(s, err, "look up vaccine series");
		sqlite3_reset(st);
		return rc;
	}
	sqlite3_reset(st);
	return EF_OK;
}
