/* vaccine_codes.c - which vaccine codes exist (series codes and CVX). */
#include "store_int.h"

#include <string.h>

#include "engraft/refstore.h"

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

int store_live_gate(struct store *s, const struct ef_reference *ref, int64_t patient_id, const char *code,
		    ef_day on, int *live, struct ef_live_gate *gate, struct ef_err *err)
{
	static const char sql[] = "SELECT series, live FROM vaccine_codes WHERE code = ?1";
	memset(gate, 0, sizeof *gate);
	gate->open = 1;
	gate->date = EF_NO_DAY;
	*live = 0;
	sqlite3_stmt *st = store_stmt(s, sql, err);
	if (!st)
		return EF_DB;
	store_bind_text(st, 1, code);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *series = (const char *)sqlite3_column_text(st, 0);
		if (sqlite3_column_int(st, 1) || (series && ef_reference_series_live(ref, series)))
			*live = 1;
	}
	if (rc != SQLITE_DONE) {
		rc = store_dberr(s, err, "look up vaccine");
		sqlite3_reset(st);
		return rc;
	}
	sqlite3_reset(st);
	if (!*live)
		return EF_OK;
	struct ef_timeline tl;
	ef_timeline_init(&tl);
	rc = store_load_timeline_parts(s, patient_id, on, STORE_TL_VACCINES, &tl, err);
	if (rc == EF_OK) {
		const struct ef_transplant *tp = ef_current_transplant(&tl, on);
		if (tp)
			ef_live_gate_eval(&tl, tp, ref, on, gate);
	}
	ef_timeline_free(&tl);
	return rc;
}

int store_vaccination_source(struct store *s, int64_t patient_id, const char *vaccine, const char *given_on,
			     int *found, int *administered, struct ef_err *err)
{
	static const char sql[] =
		"SELECT source = 'administered' FROM vaccinations WHERE patient_id = ?1 AND vaccine = ?2 AND given_on = ?3";
	sqlite3_stmt *st = store_stmt(s, sql, err);
	if (!st)
		return EF_DB;
	sqlite3_bind_int64(st, 1, patient_id);
	store_bind_text(st, 2, vaccine);
	store_bind_text(st, 3, given_on);
	int rc = sqlite3_step(st);
	*found = rc == SQLITE_ROW;
	*administered = *found && sqlite3_column_int(st, 0);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		rc = store_dberr(s, err, "look up vaccination");
		sqlite3_reset(st);
		return rc;
	}
	sqlite3_reset(st);
	return EF_OK;
}
