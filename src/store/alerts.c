/* alerts.c - alerts and their history (see alertstore.h). */
#include "store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engraft/alertstate.h"
#include "engraft/alertstore.h"

struct existing {
	int64_t id;
	char rule[40], subject[32];
	struct ef_alert_state state;
	int matched;
};

static void col_text(char *dst, size_t size, sqlite3_stmt *st, int col)
{
	const char *v = (const char *)sqlite3_column_text(st, col);
	snprintf(dst, size, "%s", v ? v : "");
}

static ef_day col_day(sqlite3_stmt *st, int col)
{
	const char *v = (const char *)sqlite3_column_text(st, col);
	ef_day d;
	return v && ef_date_parse(v, strlen(v), &d) == 0 ? d : EF_NO_DAY;
}

static void bind_day(sqlite3_stmt *st, int i, ef_day d)
{
	char buf[11];
	if (d == EF_NO_DAY) {
		sqlite3_bind_null(st, i);
		return;
	}
	ef_date_format(d, buf);
	sqlite3_bind_text(st, i, buf, -1, SQLITE_TRANSIENT);
}

static int load_existing(struct store *s, int64_t patient_id, struct existing **out, size_t *n, struct ef_err *err)
{
	static const char sql[] = "SELECT alert_id, rule, subject, status, until FROM alerts WHERE patient_id = ?1";
	sqlite3_stmt *st = store_stmt(s, sql, err);
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	if (!st)
		return EF_DB;
	sqlite3_bind_int64(st, 1, patient_id);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			struct existing *p = realloc(*out, cap * sizeof *p);
			if (!p) {
				sqlite3_reset(st);
				return ef_errf(err, EF_DB, "out of memory");
			}
			*out = p;
		}
		struct existing *e = &(*out)[(*n)++];
		memset(e, 0, sizeof *e);
		e->id = sqlite3_column_int64(st, 0);
		col_text(e->rule, sizeof e->rule, st, 1);
		col_text(e->subject, sizeof e->subject, st, 2);
		const char *status = (const char *)sqlite3_column_text(st, 3);
		if (!status || ef_alert_status_parse(status, &e->state.status))
			e->state.status = EF_ALERT_OPEN;
		e->state.until = col_day(st, 4);
	}
	if (rc != SQLITE_DONE)
		rc = store_dberr(s, err, "read alerts");
	else
		rc = EF_OK;
	sqlite3_reset(st);
	return rc;
}

static int history(struct store *s, int64_t alert_id, ef_day on, const char *event, const char *status,
		   const char *message, const char *reason, ef_day until, struct ef_err *err)
{
	static const char sql[] =
		"INSERT INTO alert_history (alert_id, on_day, at, user, event, status, message, reason, until) "
		"VALUES (?1, ?2, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?3, ?4, ?5, ?6, ?7, ?8)";
	sqlite3_stmt *st = store_stmt(s, sql, err);
	if (!st)
		return EF_DB;
	sqlite3_bind_int64(st, 1, alert_id);
	bind_day(st, 2, on);
	store_bind_text(st, 3, store_user(s));
	store_bind_text(st, 4, event);
	store_bind_text(st, 5, status);
	store_bind_opt(st, 6, message);
	store_bind_opt(st, 7, reason);
	bind_day(st, 8, until);
	return store_exec_stmt(s, st, err, "alert history");
}

static int opened(struct store *s, int64_t patient_id, ef_day as_of, const struct ef_finding *f,
		  struct ef_err *err)
{
	static const char sql[] =
		"INSERT INTO alerts (patient_id, rule, subject, severity, status, raised_on, due_on, message) "
		"VALUES (?1, ?2, ?3, ?4, 'open', ?5, ?6, ?7)";
	sqlite3_stmt *st = store_stmt(s, sql, err);
	if (!st)
		return EF_DB;
	sqlite3_bind_int64(st, 1, patient_id);
	store_bind_text(st, 2, ef_rule_id(f->rule));
	store_bind_text(st, 3, f->subject);
	store_bind_text(st, 4, ef_severity_str(f->severity));
	bind_day(st, 5, as_of);
	bind_day(st, 6, f->due_on);
	store_bind_text(st, 7, f->message);
	int rc = store_exec_stmt(s, st, err, "open alert");
	if (rc)
		return rc;
	return history(s, sqlite3_last_insert_rowid(s->db), as_of, "opened", "open", f->message, NULL, EF_NO_DAY,
		       err);
}

static int kept(struct store *s, int64_t id, const struct ef_finding *f, struct ef_err *err)
{
	static const char sql[] = "UPDATE alerts SET severity = ?2, due_on = ?3, message = ?4 WHERE alert_id = ?1 "
				  "AND (severity IS NOT ?2 OR due_on IS NOT ?3 OR message IS NOT ?4)";
	sqlite3_stmt *st = store_stmt(s, sql, err);
	if (!st)
		return EF_DB;
	sqlite3_bind_int64(st, 1, id);
	store_bind_text(st, 2, ef_severity_str(f->severity));
	bind_day(st, 3, f->due_on);
	store_bind_text(st, 4, f->message);
	return store_exec_stmt(s, st, err, "keep alert");
}

static int reopened(struct store *s, int64_t id, ef_day as_of, const struct ef_finding *f, struct ef_err *err)
{
	static const char sql[] =
		"UPDATE alerts SET status = 'open', raised_on = ?2, resolved_on = NULL, acknowledged_by = NULL, "
		"acknowledged_on = NULL, reason = NULL, until = NULL, severity = ?3, due_on = ?4, message = ?5 "
		"WHERE alert_id = ?1";
	sqlite3_stmt *st = store_stmt(s, sql, err);
	if (!st)
		return EF_DB;
	sqlite3_bind_int64(st, 1, id);
	bind_day(st, 2, as_of);
	store_bind_text(st, 3, ef_severity_str(f->severity));
	bind_day(st, 4, f->due_on);
	store_bind_text(st, 5, f->message);
	int rc = store_exec_stmt(s, st, err, "reopen alert");
	if (rc)
		return rc;
	return history(s, id, as_of, "reopened", "open", f->message, NULL, EF_NO_DAY, err);
}

static int resolved(struct store *s, int64_t id, ef_day as_of, const char *reason, struct ef_err *err)
{
	static const char sql[] = "UPDATE alerts SET status = 'resolved', resolved_on = ?2 WHERE alert_id = ?1";
	sqlite3_stmt *st = store_stmt(s, sql, err);
	if (!st)
		return EF_DB;
	sqlite3_bind_int64(st, 1, id);
	bind_day(st, 2, as_of);
	int rc = store_exec_stmt(s, st, err, "resolve alert");
	if (rc)
		return rc;
	return history(s, id, as_of, "resolved", "resolved", NULL, reason, EF_NO_DAY, err);
}

static struct existing *match(struct existing *v, size_t n, const struct ef_finding *f)
{
	const char *rule = ef_rule_id(f->rule);
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].rule, rule) == 0 && strcmp(v[i].subject, f->subject) == 0)
			return &v[i];
	return NULL;
}

static void count(struct ef_check_counts *c, enum ef_alert_event ev)
{
	switch (ev) {
	case EF_EV_OPENED:
		c->opened++;
		break;
	case EF_EV_KEPT:
		c->kept++;
		break;
	case EF_EV_REOPENED:
		c->reopened++;
		break;
	case EF_EV_RESOLVED:
		c->resolved++;
		break;
	case EF_EV_UNCHANGED:
		break;
	}
}

static int apply_finding(struct store *s, int64_t patient_id, ef_day as_of, const struct ef_finding *f,
			 struct existing *v, size_t n, struct ef_check_counts *counts, struct ef_err *err)
{
	struct existing *e = match(v, n, f);
	struct ef_alert_state next;
	enum ef_alert_event ev = ef_alert_transition(e ? &e->state : NULL, 1, as_of, &next);
	if (e)
		e->matched = 1;
	count(counts, ev);
	switch (ev) {
	case EF_EV_OPENED:
		return opened(s, patient_id, as_of, f, err);
	case EF_EV_KEPT:
		return kept(s, e->id, f, err);
	case EF_EV_REOPENED:
		return reopened(s, e->id, as_of, f, err);
	case EF_EV_RESOLVED:
	case EF_EV_UNCHANGED:
		break;
	}
	return EF_OK;
}

int store_alerts_apply(struct store *s, int64_t patient_id, ef_day as_of, const struct ef_findings *f,
		       struct ef_check_counts *counts, struct ef_err *err)
{
	struct existing *v;
	size_t n;
	int rc = load_existing(s, patient_id, &v, &n, err);
	for (size_t i = 0; rc == EF_OK && i < f->n; i++)
		rc = apply_finding(s, patient_id, as_of, &f->v[i], v, n, counts, err);
	for (size_t i = 0; rc == EF_OK && i < n; i++) {
		if (v[i].matched)
			continue;
		struct ef_alert_state next;
		enum ef_alert_event ev = ef_alert_transition(&v[i].state, 0, as_of, &next);
		count(counts, ev);
		if (ev == EF_EV_RESOLVED)
			rc = resolved(s, v[i].id, as_of, f->resolve_reason[0] ? f->resolve_reason : NULL, err);
	}
	free(v);
	return rc;
}

#define ALERT_COLS                                                                                        \
	"a.alert_id, a.patient_id, p.mrn, a.rule, a.subject, a.severity, a.status, a.raised_on, a.due_on, "  \
	"a.resolved_on, a.acknowledged_by, a.acknowledged_on, a.reason, a.until, a.message "                 \
	"FROM alerts a JOIN patients p ON p.id = a.patient_id "

/* One row; the severity and status columns are CHECKed in the schema, so
 * a value that does not parse means the database was changed outside
 * engraft: an error, never a guess. */
static int fill(struct store_alert *a, sqlite3_stmt *st, struct ef_err *err)
{
	memset(a, 0, sizeof *a);
	a->alert_id = sqlite3_column_int64(st, 0);
	a->patient_id = sqlite3_column_int64(st, 1);
	col_text(a->mrn, sizeof a->mrn, st, 2);
	col_text(a->rule, sizeof a->rule, st, 3);
	col_text(a->subject, sizeof a->subject, st, 4);
	const char *sev = (const char *)sqlite3_column_text(st, 5);
	const char *status = (const char *)sqlite3_column_text(st, 6);
	col_text(a->raised_on, sizeof a->raised_on, st, 7);
	col_text(a->due_on, sizeof a->due_on, st, 8);
	col_text(a->resolved_on, sizeof a->resolved_on, st, 9);
	col_text(a->acknowledged_by, sizeof a->acknowledged_by, st, 10);
	col_text(a->acknowledged_on, sizeof a->acknowledged_on, st, 11);
	col_text(a->reason, sizeof a->reason, st, 12);
	col_text(a->until, sizeof a->until, st, 13);
	col_text(a->message, sizeof a->message, st, 14);
	if (!sev || ef_severity_parse(sev, &a->severity))
		return ef_errf(err, EF_DB, "alert %lld has an unknown severity '%s'", (long long)a->alert_id,
			       sev ? sev : "");
	if (!status || ef_alert_status_parse(status, &a->status))
		return ef_errf(err, EF_DB, "alert %lld has an unknown status '%s'", (long long)a->alert_id,
			       status ? status : "");
	return EF_OK;
}

int store_alert_get(struct store *s, int64_t alert_id, struct store_alert *a, int *found, struct ef_err *err)
{
	static const char sql[] = "SELECT " ALERT_COLS "WHERE a.alert_id = ?1";
	sqlite3_stmt *st = store_stmt(s, sql, err);
	if (!st)
		return EF_DB;
	sqlite3_bind_int64(st, 1, alert_id);
	int rc = sqlite3_step(st);
	*found = rc == SQLITE_ROW;
	if (*found)
		rc = fill(a, st, err);
	else
		rc = rc == SQLITE_DONE ? EF_OK : store_dberr(s, err, "read alert");
	sqlite3_reset(st);
	return rc;
}

struct ack_args {
	int64_t alert_id;
	ef_day on, until;
	const char *reason;
};

static int ack_body(struct store *s, void *ctx, struct ef_err *err)
{
	static const char sql[] =
		"UPDATE alerts SET status = 'acknowledged', acknowledged_by = ?2, acknowledged_on = ?3, reason = ?4, "
		"until = ?5 WHERE alert_id = ?1";
	const struct ack_args *k = ctx;
	struct store_alert a;
	int found, rc;
	if ((rc = store_alert_get(s, k->alert_id, &a, &found, err)))
		return rc;
	if (!found)
		return ef_errf(err, EF_INVALID, "no alert %lld", (long long)k->alert_id);
	if (a.status == EF_ALERT_RESOLVED)
		return ef_errf(err, EF_INVALID, "alert %lld is resolved (its finding no longer holds)",
			       (long long)k->alert_id);
	sqlite3_stmt *st = store_stmt(s, sql, err);
	if (!st)
		return EF_DB;
	sqlite3_bind_int64(st, 1, k->alert_id);
	store_bind_text(st, 2, store_user(s));
	bind_day(st, 3, k->on);
	store_bind_text(st, 4, k->reason);
	bind_day(st, 5, k->until);
	if ((rc = store_exec_stmt(s, st, err, "acknowledge alert")))
		return rc;
	return history(s, k->alert_id, k->on, "acknowledged", "acknowledged", NULL, k->reason, k->until, err);
}

int store_alert_ack(struct store *s, int64_t alert_id, ef_day on, const char *reason, ef_day until,
		    struct ef_err *err)
{
	if (!reason || !*reason)
		return ef_errf(err, EF_USAGE, "an acknowledgement needs a reason");
	struct ack_args k = {alert_id, on, until, reason};
	return s->in_tx ? ack_body(s, &k, err) : store_tx(s, ack_body, &k, err);
}

int store_alerts_each(struct store *s, ef_day as_of, const char *mrn, int flags, store_alert_fn fn, void *ctx,
		      struct ef_err *err)
{
	static const char by_mrn[] = "SELECT " ALERT_COLS
				     "WHERE (?1 IS NULL OR a.raised_on <= ?1) AND (?2 IS NULL OR p.mrn = ?2) "
				     "AND (?3 OR a.status = 'open') ORDER BY p.mrn, a.alert_id";
	static const char by_sev[] = "SELECT " ALERT_COLS
				     "WHERE (?1 IS NULL OR a.raised_on <= ?1) AND (?2 IS NULL OR p.mrn = ?2) "
				     "AND (?3 OR a.status = 'open') ORDER BY CASE a.severity WHEN 'critical' THEN 0 "
				     "WHEN 'warning' THEN 1 ELSE 2 END, a.due_on IS NULL, a.due_on, p.mrn, a.alert_id";
	sqlite3_stmt *st = store_stmt(s, flags & STORE_ALERTS_BY_SEVERITY ? by_sev : by_mrn, err);
	if (!st)
		return EF_DB;
	bind_day(st, 1, as_of);
	store_bind_opt(st, 2, mrn);
	sqlite3_bind_int(st, 3, flags & STORE_ALERTS_ALL ? 1 : 0);
	struct store_alert *a = malloc(sizeof *a);
	if (!a) {
		sqlite3_reset(st);
		return ef_errf(err, EF_DB, "out of memory");
	}
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int r = fill(a, st, err);
		if (r == EF_OK)
			r = fn(ctx, a, err);
		if (r) {
			free(a);
			sqlite3_reset(st);
			return r;
		}
	}
	rc = rc == SQLITE_DONE ? EF_OK : store_dberr(s, err, "list alerts");
	free(a);
	sqlite3_reset(st);
	return rc;
}
