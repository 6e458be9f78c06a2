/* auditlog.c - the audit trail as people read it (include/engraft/audit.h,
 * store_audit_log): who changed what, when, before -> after. */
#include "store_int.h"

#include <string.h>

#include "engraft/audit.h"

/* Each entry with its patient (the row's patient_id, or the row itself for
 * patients) and its change, computed from the before/after JSON. ?1 login,
 * ?2 patient id, ?3 first date, ?4 last date (all NULL: any). Internal ids
 * (id, patient_id, import_id) are left out of the change text. */
static const char log_sql[] =
	"SELECT l.seq, l.at, l.user, coalesce(st.name, ''), l.action, l.tbl, l.row_key, coalesce(p.mrn, ''), "
	"  CASE l.action "
	"  WHEN 'update' THEN (SELECT group_concat(a.key || ': ' || coalesce(json_quote(b.value), 'null') || ' -> ' "
	"      || coalesce(json_quote(a.value), 'null'), '; ') FROM json_each(l.after) a "
	"      LEFT JOIN json_each(l.before) b ON b.key = a.key WHERE b.value IS NOT a.value) "
	"  WHEN 'delete' THEN (SELECT group_concat(b.key || '=' || json_quote(b.value), ', ') FROM json_each(l.before) b "
	"      WHERE b.value IS NOT NULL AND b.key NOT IN ('id', 'patient_id', 'import_id')) "
	"  ELSE (SELECT group_concat(a.key || '=' || json_quote(a.value), ', ') FROM json_each(l.after) a "
	"      WHERE a.value IS NOT NULL AND a.key NOT IN ('id', 'patient_id', 'import_id') "
	"      AND a.key NOT LIKE '%digest%') END "
	"FROM (SELECT *, CASE WHEN tbl = 'patients' THEN row_key "
	"      ELSE json_extract(coalesce(after, before), '$.patient_id') END AS pid FROM audit_log) l "
	"LEFT JOIN patients p ON p.id = l.pid "
	"LEFT JOIN staff st ON st.login = l.user "
	"WHERE (?1 IS NULL OR l.user = ?1) AND (?2 IS NULL OR l.pid = ?2) "
	"AND (?3 IS NULL OR substr(l.at, 1, 10) >= ?3) AND (?4 IS NULL OR substr(l.at, 1, 10) <= ?4) "
	"ORDER BY l.seq";

static const char *col(sqlite3_stmt *st, int i)
{
	const char *v = (const char *)sqlite3_column_text(st, i);
	return v ? v : "";
}

int store_audit_log(struct store *s, const struct store_audit_filter *f, store_audit_event_fn fn, void *ctx,
		    struct ef_err *err)
{
	int64_t pid = 0;
	int rc;
	if (f->mrn) {
		ef_day birth;
		if ((rc = store_patient_id(s, f->mrn, strlen(f->mrn), &pid, &birth, err)))
			return rc;
		if (!pid)
			return ef_errf(err, EF_INVALID, "no patient with MRN '%s'", f->mrn);
	}
	sqlite3_stmt *st = store_stmt(s, log_sql, err);
	if (!st)
		return EF_DB;
	store_bind_opt(st, 1, f->login);
	if (pid)
		sqlite3_bind_int64(st, 2, pid);
	char since[11], until[11];
	if (f->since != EF_NO_DAY) {
		ef_date_format(f->since, since);
		sqlite3_bind_text(st, 3, since, -1, SQLITE_STATIC);
	}
	if (f->until != EF_NO_DAY) {
		ef_date_format(f->until, until);
		sqlite3_bind_text(st, 4, until, -1, SQLITE_STATIC);
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_audit_event e = {
			sqlite3_column_int64(st, 0), col(st, 1), col(st, 2), col(st, 3), col(st, 4), col(st, 5),
			col(st, 7), col(st, 8), sqlite3_column_int64(st, 6),
		};
		if ((rc = fn(ctx, &e, err))) {
			sqlite3_reset(st);
			return rc;
		}
	}
	rc = rc == SQLITE_DONE ? EF_OK : store_dberr(s, err, "audit log");
	sqlite3_reset(st);
	return rc;
}
