/* reference.c - reference rows (assets/) in typed tables; see refstore.h. */
#include "store_int.h"

#include "engraft/keptstore.h"

#include "engraft/units.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engraft/refstore.h"

/* Per kind: statements and the SQL type of each column, in the column order
 * of ef_reference_kind() ('T' text, 'I' integer, 'R' real). */
struct ref_sql {
	const char *types;
	const char *insert, *select, *clear, *count;
	const char *table, *order; /* for the state the audit trail keeps (ref_state_sql) */
};

static const struct ref_sql ref_sql[EF_REF_KIND_COUNT] = {
	[EF_REF_PARAMETERS] = {"TTTT",
		"INSERT INTO parameters (key, value, unit, source) VALUES (?1, ?2, ?3, ?4)",
		"SELECT key, value, unit, source FROM parameters ORDER BY rowid",
		"DELETE FROM parameters", "SELECT count(*) FROM parameters", "parameters", "rowid"},
	[EF_REF_VACCINE_SCHEDULE] = {"TITIIITIIIIITIT",
		"INSERT INTO vaccine_schedule (series, dose, transplant_types, start_months, min_interval_days, "
		"min_interval_months, after_series, after_dose, after_days, min_age_years, max_age_years, live, "
		"condition, repeat, source) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
		"SELECT series, dose, transplant_types, start_months, min_interval_days, min_interval_months, "
		"after_series, after_dose, after_days, min_age_years, max_age_years, live, condition, repeat, source "
		"FROM vaccine_schedule ORDER BY id",
		"DELETE FROM vaccine_schedule", "SELECT count(*) FROM vaccine_schedule", "vaccine_schedule", "id"},
	[EF_REF_MILESTONES] = {"TTTRIITTT",
		"INSERT INTO milestones (id, test, comparator, threshold, window_start_day, window_end_day, "
		"transplant_types, description, source) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
		"SELECT id, test, comparator, threshold, window_start_day, window_end_day, transplant_types, "
		"description, source FROM milestones ORDER BY rowid",
		"DELETE FROM milestones", "SELECT count(*) FROM milestones", "milestones", "rowid"},
	[EF_REF_MONITORING] = {"TIIITT",
		"INSERT INTO monitoring (test, from_day, to_day, max_interval_days, transplant_types, source) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
		"SELECT test, from_day, to_day, max_interval_days, transplant_types, source FROM monitoring "
		"ORDER BY id",
		"DELETE FROM monitoring", "SELECT count(*) FROM monitoring", "monitoring", "id"},
	[EF_REF_CVX] = {"TTIT",
		"INSERT INTO cvx_codes (cvx, series, live, description) VALUES (?1, ?2, ?3, ?4)",
		"SELECT cvx, series, live, description FROM cvx_codes ORDER BY cvx, series",
		"DELETE FROM cvx_codes", "SELECT count(*) FROM cvx_codes", "cvx_codes", "cvx, series"},
	/* limits stay decimal text: the core parses them (no locale) */
	[EF_REF_LAB_TESTS] = {"TTTTTTTT",
		"INSERT INTO lab_tests (test, plausible_min, plausible_max, ref_low, ref_high, critical_low, "
		"critical_high, source) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
		"SELECT test, plausible_min, plausible_max, ref_low, ref_high, critical_low, critical_high, source "
		"FROM lab_tests ORDER BY rowid",
		"DELETE FROM lab_tests", "SELECT count(*) FROM lab_tests", "lab_tests", "rowid"},
	[EF_REF_LOINC] = {"TTT",
		"INSERT INTO loinc_codes (loinc, test, note) VALUES (?1, ?2, ?3)",
		"SELECT loinc, test, note FROM loinc_codes ORDER BY rowid",
		"DELETE FROM loinc_codes", "SELECT count(*) FROM loinc_codes", "loinc_codes", "rowid"},
	[EF_REF_SCREENING] = {"TTIITIT",
		"INSERT INTO screening (item, name, first_due_months, interval_months, applies_to, min_age_years, "
		"source) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
		"SELECT item, name, first_due_months, interval_months, applies_to, min_age_years, source "
		"FROM screening ORDER BY rowid",
		"DELETE FROM screening", "SELECT count(*) FROM screening", "screening", "rowid"},
	[EF_REF_REGISTRY_FORMS] = {"TTTTIIIT",
		"INSERT INTO registry_forms (item, track, transplant_types, time_point, offset_days, offset_months, "
		"repeat_months, source) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
		"SELECT item, track, transplant_types, time_point, offset_days, offset_months, repeat_months, source "
		"FROM registry_forms ORDER BY id",
		"DELETE FROM registry_forms", "SELECT count(*) FROM registry_forms", "registry_forms", "id"},
};

static const struct ref_sql *sql_of(enum ef_ref_kind kind, struct ef_err *err)
{
	if ((unsigned)kind >= EF_REF_KIND_COUNT) {
		ef_errf(err, EF_USAGE, "unknown reference kind %d", (int)kind);
		return NULL;
	}
	return &ref_sql[kind];
}

int store_reference_clear(struct store *s, enum ef_ref_kind kind, struct ef_err *err)
{
	const struct ref_sql *q = sql_of(kind, err);
	if (!q)
		return EF_USAGE;
	sqlite3_stmt *st = store_stmt(s, q->clear, err);
	if (!st)
		return EF_DB;
	int rc = store_exec_stmt(s, st, err, ef_reference_kind(kind)->name);
	/* every kept finding and forecast was computed from the old rows */
	return rc ? rc : store_kept_invalidate(s, err);
}

int store_reference_add(struct store *s, enum ef_ref_kind kind, const char *const *values, struct ef_err *err)
{
	const struct ref_sql *q = sql_of(kind, err);
	if (!q)
		return EF_USAGE;
	sqlite3_stmt *st = store_stmt(s, q->insert, err);
	if (!st)
		return EF_DB;
	for (int i = 0; q->types[i]; i++) {
		const char *v = values[i];
		if (!v || !*v)
			sqlite3_bind_null(st, i + 1);
		else if (q->types[i] == 'I')
			sqlite3_bind_int64(st, i + 1, strtoll(v, NULL, 10));
		else if (q->types[i] == 'R') {
			/* validated by the core's loader; parsed the same way,
			 * whatever the locale's decimal point */
			double d;
			if (ef_decimal_parse(v, strlen(v), &d))
				return ef_errf(err, EF_INVALID, "%s: '%s' is not a decimal number",
					       ef_reference_kind(kind)->name, v);
			sqlite3_bind_double(st, i + 1, d);
		}
		else
			sqlite3_bind_text(st, i + 1, v, -1, SQLITE_STATIC);
	}
	return store_exec_stmt(s, st, err, ef_reference_kind(kind)->name);
}

/* ---- the reference tables in the audit trail ----
 *
 * A reference table's state is the JSON array of its rows (objects keyed by
 * the CSV column names) in file order. The trail keeps one entry per change
 * of a table: action 'insert' (its first rows), 'update' (before -> after,
 * whoever loaded site files), or 'baseline' (the state found by migration
 * 010), with row_key 0. audit verify compares each table with its last entry,
 * so a threshold changed outside engraft (the sqlite3 shell) shows. */

static const char *ref_state_sql(enum ef_ref_kind kind, struct ef_err *err)
{
	static char sql[EF_REF_KIND_COUNT][1024];
	if (sql[kind][0])
		return sql[kind];
	const struct ef_ref_kind_info *info = ef_reference_kind(kind);
	char obj[768] = "";
	size_t o = 0;
	for (size_t i = 0; i < info->ncolumns; i++) {
		int w = snprintf(obj + o, sizeof obj - o, "%s'%s', %s", i ? ", " : "", info->columns[i].name,
				 info->columns[i].name);
		if (w < 0 || (size_t)w >= sizeof obj - o) {
			ef_errf(err, EF_DB, "reference %s: too many columns for its audit state", info->name);
			return NULL;
		}
		o += (size_t)w;
	}
	int w = snprintf(sql[kind], sizeof sql[kind],
			 "SELECT json_group_array(json_object(%s)) FROM (SELECT * FROM %s ORDER BY %s)", obj,
			 ref_sql[kind].table, ref_sql[kind].order);
	if (w < 0 || (size_t)w >= sizeof sql[kind]) {
		sql[kind][0] = '\0';
		ef_errf(err, EF_DB, "reference %s: audit state statement too long", info->name);
		return NULL;
	}
	return sql[kind];
}

/* Whether `kind`'s table equals the last state the trail recorded for it:
 * *state 0 equal (or empty and never recorded), 1 differs, 2 never recorded
 * but has rows. When log is set and it is not equal, records the current
 * state as an entry of `action` ("insert"/"update" chosen by whether one
 * existed, or "baseline"). */
static int ref_audit(struct store *s, enum ef_ref_kind kind, const char *baseline, int *state, struct ef_err *err)
{
	static const char last_sql[] =
		"SELECT after FROM audit_log WHERE tbl = ?1 AND row_key = 0 ORDER BY seq DESC LIMIT 1";
	static const char log_sql[] =
		"INSERT INTO audit_log (at, user, action, tbl, row_key, before, after) "
		"VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), ?1, ?2, 0, ?3, ?4)";
	const char *q = ref_state_sql(kind, err);
	if (!q)
		return EF_DB;
	sqlite3_stmt *cur = store_stmt(s, q, err), *last = cur ? store_stmt(s, last_sql, err) : NULL;
	if (!last)
		return EF_DB;
	int rc = EF_OK;
	store_bind_text(last, 1, ref_sql[kind].table);
	if (sqlite3_step(cur) != SQLITE_ROW)
		rc = store_dberr(s, err, "reference audit state");
	int r = rc ? SQLITE_ERROR : sqlite3_step(last);
	if (!rc && r != SQLITE_ROW && r != SQLITE_DONE)
		rc = store_dberr(s, err, "reference audit state");
	if (!rc) {
		const char *now = (const char *)sqlite3_column_text(cur, 0);
		const char *was = r == SQLITE_ROW ? (const char *)sqlite3_column_text(last, 0) : NULL;
		const int empty = !now || strcmp(now, "[]") == 0;
		*state = was ? strcmp(was, now ? now : "[]") != 0 : !empty ? 2 : 0;
		if (*state && baseline) {
			sqlite3_stmt *ins = store_stmt(s, log_sql, err);
			if (!ins) {
				rc = EF_DB;
			} else {
				store_bind_text(ins, 1, baseline[0] ? baseline : was ? "update" : "insert");
				store_bind_text(ins, 2, ref_sql[kind].table);
				store_bind_opt(ins, 3, was);
				store_bind_text(ins, 4, now ? now : "[]");
				rc = store_exec_stmt(s, ins, err, "record reference data in the audit trail");
			}
		}
	}
	sqlite3_reset(cur);
	sqlite3_reset(last);
	return rc;
}

int store_reference_log(struct store *s, int baseline, struct ef_err *err)
{
	int state, rc = EF_OK;
	for (int k = 0; k < EF_REF_KIND_COUNT && !rc; k++)
		rc = ref_audit(s, (enum ef_ref_kind)k, baseline ? "baseline" : "", &state, err);
	return rc;
}

int store_reference_verify(struct store *s, void (*problem)(void *ctx, const char *msg), void *ctx,
			   struct ef_err *err)
{
	for (int k = 0; k < EF_REF_KIND_COUNT; k++) {
		int state = 0;
		int rc = ref_audit(s, (enum ef_ref_kind)k, NULL, &state, err);
		if (rc)
			return rc;
		char msg[256];
		if (state == 1)
			snprintf(msg, sizeof msg,
				 "reference table %s differs from the last state the trail recorded (changed outside "
				 "engraft; reload the site's files with engraft init --assets DIR)",
				 ref_sql[k].table);
		else if (state == 2)
			snprintf(msg, sizeof msg, "reference table %s has rows the trail never recorded", ref_sql[k].table);
		if (state)
			problem(ctx, msg);
	}
	return EF_OK;
}

int store_reference_count(struct store *s, enum ef_ref_kind kind, int64_t *n, struct ef_err *err)
{
	const struct ref_sql *q = sql_of(kind, err);
	if (!q)
		return EF_USAGE;
	sqlite3_stmt *st = store_stmt(s, q->count, err);
	if (!st)
		return EF_DB;
	int rc = sqlite3_step(st);
	*n = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	if (rc != SQLITE_ROW) {
		rc = store_dberr(s, err, ef_reference_kind(kind)->name);
		sqlite3_reset(st);
		return rc;
	}
	sqlite3_reset(st);
	return EF_OK;
}

int store_reference_rows(struct store *s, enum ef_ref_kind kind, store_row_fn fn, void *ctx, struct ef_err *err)
{
	const struct ref_sql *q = sql_of(kind, err);
	if (!q)
		return EF_USAGE;
	sqlite3_stmt *st = store_stmt(s, q->select, err);
	if (!st)
		return EF_DB;
	const size_t n = strlen(q->types);
	const char *vals[16];
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (size_t i = 0; i < n; i++)
			vals[i] = (const char *)sqlite3_column_text(st, (int)i);
		int r = fn(ctx, vals, n, err);
		if (r) {
			sqlite3_reset(st);
			return r;
		}
	}
	if (rc != SQLITE_DONE) {
		rc = store_dberr(s, err, ef_reference_kind(kind)->name);
		sqlite3_reset(st);
		return rc;
	}
	sqlite3_reset(st);
	return EF_OK;
}

struct load_ctx {
	struct ef_reference *ref;
	enum ef_ref_kind kind;
};

static int load_row(void *ctx, const char *const *values, size_t n, struct ef_err *err)
{
	struct load_ctx *c = ctx;
	(void)n;
	int rc = ef_reference_add_row(c->ref, c->kind, values, err);
	if (rc == EF_INVALID) {
		char msg[sizeof err->msg];
		snprintf(msg, sizeof msg, "%s", err->msg);
		return ef_errf(err, EF_DB, "reference table %s: %s (reload with engraft init --assets DIR)",
			       ef_reference_kind(c->kind)->name, msg);
	}
	return rc;
}

int store_reference_load_kind(struct store *s, enum ef_ref_kind kind, struct ef_reference *ref,
			      struct ef_err *err)
{
	ef_reference_init(ref);
	struct load_ctx c = {ref, kind};
	int rc = store_reference_rows(s, kind, load_row, &c, err);
	if (rc)
		ef_reference_free(ref);
	return rc;
}

int store_reference_load(struct store *s, struct ef_reference *ref, struct ef_err *err)
{
	ef_reference_init(ref);
	for (int k = 0; k < EF_REF_KIND_COUNT; k++) {
		struct load_ctx c = {ref, (enum ef_ref_kind)k};
		int rc = store_reference_rows(s, (enum ef_ref_kind)k, load_row, &c, err);
		if (rc) {
			ef_reference_free(ref);
			return rc;
		}
	}
	int rc = ef_reference_finish(ref, err);
	if (rc) {
		char msg[sizeof err->msg];
		snprintf(msg, sizeof msg, "%s", err->msg);
		ef_reference_free(ref);
		return ef_errf(err, EF_DB, "reference data in the database: %s", msg);
	}
	return EF_OK;
}
