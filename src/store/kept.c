/* kept.c - the kept state of schema 017 (see keptstore.h). Days are
 * stored as ISO date text like every other date column; "never" is NULL. */
#include "store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engraft/keptstore.h"

static int exec_id(struct store *s, const char *sql, int64_t id, struct ef_err *err, const char *what);

static int cmp_id(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

/* The ids a "stale" query returns (?1 the day), ascending, each once, and
 * how many patients there are. */
static int stale_ids(struct store *s, const char *sql, ef_day on, int64_t **ids, size_t *n, int64_t *total,
		     struct ef_err *err)
{
	static const char count_sql[] = "SELECT count(*) FROM patients";
	*ids = NULL;
	*n = 0;
	*total = 0;
	sqlite3_stmt *st = store_stmt(s, count_sql, err);
	if (!st)
		return EF_DB;
	if (sqlite3_step(st) != SQLITE_ROW) {
		int rc = store_dberr(s, err, "count patients");
		sqlite3_reset(st);
		return rc;
	}
	*total = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (!(st = store_stmt(s, sql, err)))
		return EF_DB;
	store_bind_day(st, 1, on);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			size_t nc = cap ? cap * 2 : 256;
			int64_t *p = realloc(*ids, nc * sizeof *p);
			if (!p) {
				sqlite3_reset(st);
				free(*ids);
				*ids = NULL;
				*n = 0;
				return ef_errf(err, EF_DB, "out of memory");
			}
			*ids = p;
			cap = nc;
		}
		(*ids)[(*n)++] = sqlite3_column_int64(st, 0);
	}
	rc = rc == SQLITE_DONE ? EF_OK : store_dberr(s, err, "read the kept state");
	sqlite3_reset(st);
	if (rc == EF_OK && *n > 1) { /* ascending, each once */
		qsort(*ids, *n, sizeof **ids, cmp_id);
		size_t k = 1;
		for (size_t i = 1; i < *n; i++)
			if ((*ids)[i] != (*ids)[k - 1])
				(*ids)[k++] = (*ids)[i];
		*n = k;
	}
	if (rc) {
		free(*ids);
		*ids = NULL;
		*n = 0;
	}
	return rc;
}

/* Every patient has its row (schema 017's trigger): three index ranges
 * (schema 021) each, sorted and made distinct by stale_ids. */
int store_rules_stale(struct store *s, ef_day as_of, int64_t **ids, size_t *n, int64_t *total, struct ef_err *err)
{
	static const char sql[] =
		"SELECT patient_id FROM patient_checks WHERE rules_on IS NULL "
		"UNION ALL SELECT patient_id FROM patient_checks WHERE rules_on > ?1 "
		"UNION ALL SELECT patient_id FROM patient_checks WHERE rules_until <= ?1";
	return stale_ids(s, sql, as_of, ids, n, total, err);
}

int store_forecasts_stale(struct store *s, ef_day on, int64_t **ids, size_t *n, int64_t *total, struct ef_err *err)
{
	static const char sql[] =
		"SELECT patient_id FROM patient_checks WHERE forecast_on IS NULL "
		"UNION ALL SELECT patient_id FROM patient_checks WHERE forecast_on > ?1 "
		"UNION ALL SELECT patient_id FROM patient_checks WHERE forecast_until <= ?1";
	return stale_ids(s, sql, on, ids, n, total, err);
}

int store_rules_kept(struct store *s, int64_t patient_id, ef_day as_of, ef_day until, struct ef_err *err)
{
	/* An acknowledgement through day U lapses on U + 1: the alert reopens
	 * then (alertstate.c), so the kept findings cannot be trusted past it. */
	static const char sql[] =
		"INSERT INTO patient_checks (patient_id, rules_on, rules_until) VALUES (?1, ?2, "
		"(SELECT min(x) FROM (SELECT ?3 AS x UNION ALL SELECT date(until, '+1 day') FROM alerts "
		"WHERE patient_id = ?1 AND status = 'acknowledged' AND until IS NOT NULL AND until >= ?2))) "
		"ON CONFLICT (patient_id) DO UPDATE SET rules_on = excluded.rules_on, rules_until = excluded.rules_until";
	sqlite3_stmt *st = store_stmt(s, sql, err);
	if (!st)
		return EF_DB;
	sqlite3_bind_int64(st, 1, patient_id);
	store_bind_day(st, 2, as_of);
	store_bind_day(st, 3, until);
	return store_exec_stmt(s, st, err, "keep the check state");
}

int store_kept_mark_rules(struct store *s, int64_t patient_id, struct ef_err *err)
{
	static const char sql[] =
		"UPDATE patient_checks SET rules_on = NULL WHERE patient_id = ?1 AND rules_on IS NOT NULL";
	if (s->in_tx && patient_id == s->kept_marked)
		return EF_OK; /* marked by this transaction, which no check can see */
	int rc = exec_id(s, sql, patient_id, err, "mark the kept state stale");
	if (rc == EF_OK && s->in_tx)
		s->kept_marked = patient_id;
	return rc;
}

int store_kept_invalidate_rules(struct store *s, struct ef_err *err)
{
	static const char sql[] = "UPDATE patient_checks SET rules_on = NULL WHERE rules_on IS NOT NULL";
	sqlite3_stmt *st = store_stmt(s, sql, err);
	return st ? store_exec_stmt(s, st, err, "mark the kept findings stale") : EF_DB;
}

int store_kept_invalidate(struct store *s, struct ef_err *err)
{
	static const char sql[] = "UPDATE patient_checks SET rules_on = NULL, forecast_on = NULL "
				  "WHERE rules_on IS NOT NULL OR forecast_on IS NOT NULL";
	sqlite3_stmt *st = store_stmt(s, sql, err);
	return st ? store_exec_stmt(s, st, err, "mark the kept state stale") : EF_DB;
}

int store_alerts_live(struct store *s, const char *mrn, int64_t *n, struct ef_err *err)
{
	static const char all_sql[] = "SELECT (SELECT count(*) FROM alerts WHERE status = 'open') + "
				      "(SELECT count(*) FROM alerts WHERE status = 'acknowledged')";
	static const char one_sql[] = "SELECT count(*) FROM alerts a JOIN patients p ON p.id = a.patient_id "
				      "WHERE p.mrn = ?1 AND a.status IN ('open', 'acknowledged')";
	sqlite3_stmt *st = store_stmt(s, mrn ? one_sql : all_sql, err);
	if (!st)
		return EF_DB;
	if (mrn)
		store_bind_text(st, 1, mrn);
	int rc = sqlite3_step(st) == SQLITE_ROW ? EF_OK : store_dberr(s, err, "count the alerts");
	*n = rc ? 0 : sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc;
}

static ef_day earlier(ef_day a, ef_day b)
{
	return a < b ? a : b;
}

static int put_due(struct store *s, int64_t patient_id, const struct ef_due_list *due, struct ef_err *err)
{
	static const char sql[] = "INSERT INTO vaccine_forecasts (patient_id, ord, series, dose, live, status, due_on, "
				  "reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
	for (size_t i = 0; i < due->n; i++) {
		const struct ef_due *d = &due->v[i];
		sqlite3_stmt *st = store_stmt_rebind(s, sql, err);
		if (!st)
			return EF_DB;
		sqlite3_bind_int64(st, 1, patient_id);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
		store_bind_text(st, 3, d->series);
		sqlite3_bind_int(st, 4, d->dose);
		sqlite3_bind_int(st, 5, d->live != 0);
		store_bind_text(st, 6, ef_due_status_str(d->status));
		store_bind_day(st, 7, d->due_on);
		store_bind_text(st, 8, d->reason);
		int rc = store_exec_stmt(s, st, err, "keep the vaccine forecast");
		if (rc)
			return rc;
	}
	return EF_OK;
}

static int put_fu(struct store *s, int64_t patient_id, const struct ef_fu_list *fu, struct ef_err *err)
{
	static const char sql[] = "INSERT INTO followup_forecasts (patient_id, ord, item, time_point, status, due_on, "
				  "done_on, registry, reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
	for (size_t i = 0; i < fu->n; i++) {
		const struct ef_fu_entry *e = &fu->v[i];
		sqlite3_stmt *st = store_stmt_rebind(s, sql, err);
		if (!st)
			return EF_DB;
		sqlite3_bind_int64(st, 1, patient_id);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)i);
		store_bind_text(st, 3, e->item);
		store_bind_text(st, 4, e->time_point);
		store_bind_text(st, 5, ef_fu_status_str(e->status));
		store_bind_day(st, 6, e->due_on);
		store_bind_day(st, 7, e->done_on);
		sqlite3_bind_int(st, 8, e->registry != 0);
		store_bind_text(st, 9, e->reason);
		int rc = store_exec_stmt(s, st, err, "keep the follow-up calendar");
		if (rc)
			return rc;
	}
	return EF_OK;
}

static int exec_id(struct store *s, const char *sql, int64_t id, struct ef_err *err, const char *what)
{
	sqlite3_stmt *st = store_stmt(s, sql, err);
	if (!st)
		return EF_DB;
	sqlite3_bind_int64(st, 1, id);
	return store_exec_stmt(s, st, err, what);
}

int store_forecasts_put(struct store *s, int64_t patient_id, ef_day as_of, const struct ef_due_list *due,
			const struct ef_fu_list *fu, struct ef_err *err)
{
	static const char state_sql[] =
		"INSERT INTO patient_checks (patient_id, forecast_on, forecast_until) VALUES (?1, ?2, ?3) "
		"ON CONFLICT (patient_id) DO UPDATE SET forecast_on = excluded.forecast_on, "
		"forecast_until = excluded.forecast_until";
	int rc = exec_id(s, "DELETE FROM vaccine_forecasts WHERE patient_id = ?1", patient_id, err,
			 "replace the vaccine forecast");
	if (rc == EF_OK)
		rc = exec_id(s, "DELETE FROM followup_forecasts WHERE patient_id = ?1", patient_id, err,
			     "replace the follow-up calendar");
	if (rc == EF_OK)
		rc = put_due(s, patient_id, due, err);
	if (rc == EF_OK)
		rc = put_fu(s, patient_id, fu, err);
	if (rc)
		return rc;
	sqlite3_stmt *st = store_stmt(s, state_sql, err);
	if (!st)
		return EF_DB;
	sqlite3_bind_int64(st, 1, patient_id);
	store_bind_day(st, 2, as_of);
	store_bind_day(st, 3, earlier(due->next_change, fu->next_change));
	return store_exec_stmt(s, st, err, "keep the forecast state");
}

/* ---- reading ---------------------------------------------------------------- */

static int parse_word(const char *v, const char *(*str)(int), int n)
{
	for (int i = 0; v && i < n; i++)
		if (strcmp(v, str(i)) == 0)
			return i;
	return -1;
}

static const char *due_word(int i)
{
	return ef_due_status_str((enum ef_due_status)i);
}

static const char *fu_word(int i)
{
	return ef_fu_status_str((enum ef_fu_status)i);
}

static void col_copy(char *dst, size_t size, sqlite3_stmt *st, int col)
{
	const char *v = (const char *)sqlite3_column_text(st, col);
	snprintf(dst, size, "%s", v ? v : "");
}

/* Columns 0-4 of both queries: patient id, MRN, family and given name,
 * whether the kept list holds on ?1; column 5 is NULL when the patient has
 * no kept entry that holds. */
#define KEPT_FIRST 5
typedef int (*kept_row_fn)(void *ctx, sqlite3_stmt *st, const struct store_kept_patient *p, struct ef_err *err);

static const char *col_str(sqlite3_stmt *st, int col)
{
	const char *v = (const char *)sqlite3_column_text(st, col);
	return v ? v : "";
}

static int each_kept(struct store *s, const char *sql, ef_day on, const char *mrn, kept_row_fn row, void *ctx,
		     struct ef_err *err)
{
	sqlite3_stmt *st = store_stmt(s, sql, err);
	if (!st)
		return EF_DB;
	store_bind_day(st, 1, on);
	store_bind_opt(st, 2, mrn);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_kept_patient p = {sqlite3_column_int64(st, 0), col_str(st, 1), col_str(st, 2),
					       col_str(st, 3), sqlite3_column_int(st, 4)};
		int r = row(ctx, st, &p, err);
		if (r) {
			sqlite3_reset(st);
			return r;
		}
	}
	rc = rc == SQLITE_DONE ? EF_OK : store_dberr(s, err, "read the kept forecasts");
	sqlite3_reset(st);
	return rc;
}

#define KEPT_HOLDS "(c.forecast_on IS NOT NULL AND c.forecast_on <= ?1 AND (c.forecast_until IS NULL OR c.forecast_until > ?1))"
#define KEPT_PATIENT "SELECT p.id, p.mrn, p.family_name, p.given_name, " KEPT_HOLDS ", "

struct due_ctx {
	store_kept_due_fn fn;
	void *ctx;
};

static int due_row(void *ctx, sqlite3_stmt *st, const struct store_kept_patient *p, struct ef_err *err)
{
	struct due_ctx *c = ctx;
	const int k = KEPT_FIRST;
	if (sqlite3_column_type(st, k) == SQLITE_NULL)
		return c->fn(c->ctx, p, NULL, err);
	struct ef_due d;
	memset(&d, 0, sizeof d);
	col_copy(d.series, sizeof d.series, st, k);
	d.dose = sqlite3_column_int(st, k + 1);
	d.live = sqlite3_column_int(st, k + 2);
	int status = parse_word((const char *)sqlite3_column_text(st, k + 3), due_word, 4);
	if (status < 0)
		return ef_errf(err, EF_DB, "kept forecast of patient %lld: unknown status", (long long)p->id);
	d.status = (enum ef_due_status)status;
	d.due_on = store_col_day(st, k + 4);
	col_copy(d.reason, sizeof d.reason, st, k + 5);
	return c->fn(c->ctx, p, &d, err);
}

int store_each_kept_due(struct store *s, ef_day on, const char *mrn, store_kept_due_fn fn, void *ctx,
			struct ef_err *err)
{
	static const char sql[] =
		KEPT_PATIENT "f.series, f.dose, f.live, f.status, f.due_on, f.reason "
		"FROM patients p LEFT JOIN patient_checks c ON c.patient_id = p.id "
		"LEFT JOIN vaccine_forecasts f ON f.patient_id = p.id AND " KEPT_HOLDS " "
		"WHERE ?2 IS NULL OR p.mrn = ?2 ORDER BY p.mrn, f.ord";
	struct due_ctx c = {fn, ctx};
	return each_kept(s, sql, on, mrn, due_row, &c, err);
}

struct fu_ctx {
	store_kept_fu_fn fn;
	void *ctx;
};

static int fu_row(void *ctx, sqlite3_stmt *st, const struct store_kept_patient *p, struct ef_err *err)
{
	struct fu_ctx *c = ctx;
	const int k = KEPT_FIRST;
	if (sqlite3_column_type(st, k) == SQLITE_NULL)
		return c->fn(c->ctx, p, NULL, err);
	struct ef_fu_entry e;
	memset(&e, 0, sizeof e);
	col_copy(e.item, sizeof e.item, st, k);
	col_copy(e.time_point, sizeof e.time_point, st, k + 1);
	int status = parse_word((const char *)sqlite3_column_text(st, k + 2), fu_word, EF_FU_COUNT);
	if (status < 0)
		return ef_errf(err, EF_DB, "kept follow-up calendar of patient %lld: unknown status", (long long)p->id);
	e.status = (enum ef_fu_status)status;
	e.due_on = store_col_day(st, k + 3);
	e.done_on = store_col_day(st, k + 4);
	e.registry = sqlite3_column_int(st, k + 5);
	col_copy(e.reason, sizeof e.reason, st, k + 6);
	return c->fn(c->ctx, p, &e, err);
}

int store_each_kept_followup(struct store *s, ef_day on, const char *mrn, store_kept_fu_fn fn, void *ctx,
			     struct ef_err *err)
{
	static const char sql[] =
		KEPT_PATIENT "f.item, f.time_point, f.status, f.due_on, f.done_on, f.registry, f.reason "
		"FROM patients p LEFT JOIN patient_checks c ON c.patient_id = p.id "
		"LEFT JOIN followup_forecasts f ON f.patient_id = p.id AND " KEPT_HOLDS " "
		"WHERE ?2 IS NULL OR p.mrn = ?2 ORDER BY p.mrn, f.ord";
	struct fu_ctx c = {fn, ctx};
	return each_kept(s, sql, on, mrn, fu_row, &c, err);
}
