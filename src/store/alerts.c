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

/* A text column into dst, cut to its size (the schema's limits keep it
 * within): the walk's hot path, without snprintf. */
static void col_copy(char *dst, size_t size, sqlite3_stmt *st, int col)
{
	const unsigned char *v = sqlite3_column_text(st, col);
	size_t n = v ? (size_t)sqlite3_column_bytes(st, col) : 0;
	if (n >= size)
		n = size - 1;
	if (n)
		memcpy(dst, v, n);
	dst[n] = '\0';
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
		e->state.until = store_col_day(st, 4);
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
	store_bind_day(st, 2, on);
	store_bind_text(st, 3, store_user(s));
	store_bind_text(st, 4, event);
	store_bind_text(st, 5, status);
	store_bind_opt(st, 6, message);
	store_bind_opt(st, 7, reason);
	store_bind_day(st, 8, until);
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
	store_bind_day(st, 5, as_of);
	store_bind_day(st, 6, f->due_on);
	store_bind_text(st, 7, f->message);
	int rc = store_exec_stmt(s, st, err, "open alert");
	if (rc)
		return rc;
	return history(s, sqlite3_last_insert_rowid(s->db), as_of, "opened", "open", f->message, NULL, EF_NO_DAY,
		       err);
}

static int kept(struct store *s, int64_t id, const struct ef_finding *f, int *changed, struct ef_err *err)
{
	static const char sql[] = "UPDATE alerts SET severity = ?2, due_on = ?3, message = ?4 WHERE alert_id = ?1 "
				  "AND (severity IS NOT ?2 OR due_on IS NOT ?3 OR message IS NOT ?4)";
	sqlite3_stmt *st = store_stmt(s, sql, err);
	if (!st)
		return EF_DB;
	sqlite3_bind_int64(st, 1, id);
	store_bind_text(st, 2, ef_severity_str(f->severity));
	store_bind_day(st, 3, f->due_on);
	store_bind_text(st, 4, f->message);
	int rc = store_exec_stmt(s, st, err, "keep alert");
	if (rc == EF_OK && sqlite3_changes(s->db) > 0)
		*changed = 1;
	return rc;
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
	store_bind_day(st, 2, as_of);
	store_bind_text(st, 3, ef_severity_str(f->severity));
	store_bind_day(st, 4, f->due_on);
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
	store_bind_day(st, 2, as_of);
	int rc = store_exec_stmt(s, st, err, "resolve alert");
	if (rc)
		return rc;
	return history(s, id, as_of, "resolved", "resolved", NULL, reason, EF_NO_DAY, err);
}

/* The patient's row of alert_groups (schema 018) from their alerts, after
 * any change to them, in the same transaction. */
#define SEV_RANK(a) "CASE " a "severity WHEN 'critical' THEN '0' WHEN 'warning' THEN '1' ELSE '2' END"
static int refresh_group(struct store *s, int64_t patient_id, struct ef_err *err)
{
	static const char sql[] =
		"INSERT OR REPLACE INTO alert_groups (patient_id, mrn, name, open_key, all_key, open_alerts, all_alerts) "
		"SELECT p.id, p.mrn, p.family_name || ', ' || p.given_name, min(CASE WHEN a.status = 'open' THEN a.k END), min(a.k), "
		"coalesce(group_concat(CASE WHEN a.status = 'open' THEN a.t END, ','), ''), group_concat(a.t, ',') "
		"FROM (SELECT patient_id, status, " SEV_RANK("") " || coalesce('0' || due_on, '1') AS k, "
		"rule || ':' || substr(severity, 1, 1) AS t FROM alerts WHERE patient_id = ?1) a "
		"JOIN patients p ON p.id = a.patient_id GROUP BY p.id";
	sqlite3_stmt *st = store_stmt(s, sql, err);
	if (!st)
		return EF_DB;
	sqlite3_bind_int64(st, 1, patient_id);
	return store_exec_stmt(s, st, err, "alert list");
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
			 struct existing *v, size_t n, struct ef_check_counts *counts, int *changed, struct ef_err *err)
{
	struct existing *e = match(v, n, f);
	struct ef_alert_state next;
	enum ef_alert_event ev = ef_alert_transition(e ? &e->state : NULL, 1, as_of, &next);
	if (e)
		e->matched = 1;
	count(counts, ev);
	switch (ev) {
	case EF_EV_OPENED:
		*changed = 1;
		return opened(s, patient_id, as_of, f, err);
	case EF_EV_KEPT:
		return kept(s, e->id, f, changed, err);
	case EF_EV_REOPENED:
		*changed = 1;
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
	int changed = 0;
	int rc = load_existing(s, patient_id, &v, &n, err);
	for (size_t i = 0; rc == EF_OK && i < f->n; i++)
		rc = apply_finding(s, patient_id, as_of, &f->v[i], v, n, counts, &changed, err);
	for (size_t i = 0; rc == EF_OK && i < n; i++) {
		if (v[i].matched)
			continue;
		struct ef_alert_state next;
		enum ef_alert_event ev = ef_alert_transition(&v[i].state, 0, as_of, &next);
		count(counts, ev);
		if (ev == EF_EV_RESOLVED) {
			changed = 1;
			rc = resolved(s, v[i].id, as_of, f->resolve_reason[0] ? f->resolve_reason : NULL, err);
		}
	}
	free(v);
	if (rc == EF_OK && changed)
		rc = refresh_group(s, patient_id, err);
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
	/* every field is written (no memset of the whole record: `alerts`
	 * and `export alerts` fill one per row, 400,000 at a registry) */
	a->alert_id = sqlite3_column_int64(st, 0);
	a->patient_id = sqlite3_column_int64(st, 1);
	col_copy(a->mrn, sizeof a->mrn, st, 2);
	col_copy(a->rule, sizeof a->rule, st, 3);
	col_copy(a->subject, sizeof a->subject, st, 4);
	const char *sev = (const char *)sqlite3_column_text(st, 5);
	const char *status = (const char *)sqlite3_column_text(st, 6);
	col_copy(a->raised_on, sizeof a->raised_on, st, 7);
	col_copy(a->due_on, sizeof a->due_on, st, 8);
	col_copy(a->resolved_on, sizeof a->resolved_on, st, 9);
	col_copy(a->acknowledged_by, sizeof a->acknowledged_by, st, 10);
	col_copy(a->acknowledged_on, sizeof a->acknowledged_on, st, 11);
	col_copy(a->reason, sizeof a->reason, st, 12);
	col_copy(a->until, sizeof a->until, st, 13);
	col_copy(a->message, sizeof a->message, st, 14);
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
	store_bind_day(st, 3, k->on);
	store_bind_text(st, 4, k->reason);
	store_bind_day(st, 5, k->until);
	if ((rc = store_exec_stmt(s, st, err, "acknowledge alert")))
		return rc;
	if ((rc = refresh_group(s, a.patient_id, err)))
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
	/* one patient's (a chart): found by its MRN's index, not by reading
	 * every alert of the clinic */
#define ONE_PATIENT(order) "SELECT " ALERT_COLS "WHERE p.mrn = ?2 AND (?1 IS NULL OR a.raised_on <= ?1) " \
			   "AND (?3 OR a.status = 'open') ORDER BY " order
	static const char one_by_mrn[] = ONE_PATIENT("a.alert_id");
	static const char one_by_sev[] = ONE_PATIENT("CASE a.severity WHEN 'critical' THEN 0 WHEN 'warning' THEN 1 "
						     "ELSE 2 END, a.due_on IS NULL, a.due_on, a.alert_id");
#undef ONE_PATIENT
	const int sev = (flags & STORE_ALERTS_BY_SEVERITY) != 0;
	sqlite3_stmt *st = store_stmt(s, mrn ? (sev ? one_by_sev : one_by_mrn) : (sev ? by_sev : by_mrn), err);
	if (!st)
		return EF_DB;
	store_bind_day(st, 1, as_of);
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

/* ---- the alert list, a page at a time (alertstore.h, schema 018) ---- */

#define MAX_WORDS 128 /* words of a filter looked at (a typed filter has at most 64) */
#define SQL_WORDS 4   /* of which the query itself narrows by the first ASCII ones */

struct gfilter {
	const struct store_alert_filter *f;
	const char *w[MAX_WORDS];
	size_t wl[MAX_WORDS], nw;
	char needle[64];             /* ",RULE:s", ",RULE:" or ":s" in ',' || alerts; "" none */
	char sqlw[SQL_WORDS][128];   /* ASCII words, lower case, for instr() */
	int nsql;
};

static int lower_ascii(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* Whether the wl bytes of w occur in the tl bytes of t, ASCII case ignored
 * (the semantics of the TUI's typed filters, src/tui/filter.c). */
static int has_word(const char *t, size_t tl, const char *w, size_t wl)
{
	for (size_t i = 0; i + wl <= tl; i++) {
		size_t k = 0;
		while (k < wl && lower_ascii((unsigned char)t[i + k]) == lower_ascii((unsigned char)w[k]))
			k++;
		if (k == wl)
			return 1;
	}
	return 0;
}

static const char sev_letter[] = "cwi";

static void gfilter_init(struct gfilter *g, const struct store_alert_filter *f)
{
	memset(g, 0, sizeof *g);
	g->f = f;
	for (const char *p = f->text ? f->text : ""; g->nw < MAX_WORDS;) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		size_t len = strcspn(p, " ");
		g->w[g->nw] = p;
		g->wl[g->nw++] = len;
		int ascii = len < sizeof g->sqlw[0];
		for (size_t i = 0; ascii && i < len; i++)
			ascii = (unsigned char)p[i] < 0x80;
		if (ascii && g->nsql < SQL_WORDS) {
			for (size_t i = 0; i < len; i++)
				g->sqlw[g->nsql][i] = (char)lower_ascii((unsigned char)p[i]);
			g->sqlw[g->nsql++][len] = '\0';
		}
		p += len;
	}
	int sev = f->severity >= 0 && f->severity <= EF_SEV_INFO ? f->severity : -1;
	const char *rule = f->rule && *f->rule ? f->rule : NULL;
	if (rule && sev >= 0)
		snprintf(g->needle, sizeof g->needle, ",%s:%c", rule, sev_letter[sev]);
	else if (rule)
		snprintf(g->needle, sizeof g->needle, ",%s:", rule);
	else if (sev >= 0)
		snprintf(g->needle, sizeof g->needle, ":%c", sev_letter[sev]);
}

/* ?3 the needle, ?4..?7 the words: a superset of the groups that pass
 * (eval_group decides alert by alert). */
static void bind_prefilter(sqlite3_stmt *st, const struct gfilter *g)
{
	store_bind_opt(st, 3, g->needle);
	for (int i = 0; i < SQL_WORDS; i++)
		store_bind_opt(st, 4 + i, i < g->nsql ? g->sqlw[i] : NULL);
}

/* Which words occur in the MRN or the name (bit i: word i). */
static void who_words(const struct gfilter *g, const char *mrn, const char *name, unsigned char *in_who)
{
	for (size_t i = 0; i < g->nw; i++)
		in_who[i] = has_word(mrn, strlen(mrn), g->w[i], g->wl[i]) ||
			    has_word(name, strlen(name), g->w[i], g->wl[i]);
}

static int rule_passes(const struct gfilter *g, const unsigned char *in_who, const char *rule, size_t rl)
{
	const char *want = g->f->rule && *g->f->rule ? g->f->rule : NULL;
	if (want && (strlen(want) != rl || memcmp(want, rule, rl) != 0))
		return 0;
	for (size_t i = 0; i < g->nw; i++)
		if (!in_who[i] && !has_word(rule, rl, g->w[i], g->wl[i]))
			return 0;
	return 1;
}

/* The alerts of a group that pass the filter, from its "RULE:s,..." list. */
static void eval_group(const struct gfilter *g, const char *alerts, struct store_alert_group *out)
{
	unsigned char in_who[MAX_WORDS];
	who_words(g, out->mrn, out->name, in_who);
	out->n = out->n_sev[0] = out->n_sev[1] = out->n_sev[2] = 0;
	for (const char *p = alerts; *p;) {
		size_t len = strcspn(p, ","), rl = 0;
		while (rl < len && p[rl] != ':')
			rl++;
		const char *sl = rl + 1 < len ? strchr(sev_letter, p[rl + 1]) : NULL;
		int sev = sl && *sl ? (int)(sl - sev_letter) : EF_SEV_INFO;
		if ((g->f->severity < 0 || g->f->severity == sev) && rule_passes(g, in_who, p, rl)) {
			out->n++;
			out->n_sev[sev]++;
		}
		p += len;
		if (*p == ',')
			p++;
	}
}

/* Columns: patient_id, key, mrn, name, alerts. */
static void group_row(sqlite3_stmt *st, const struct gfilter *g, struct store_alert_group *out)
{
	out->patient_id = sqlite3_column_int64(st, 0);
	col_copy(out->key, sizeof out->key, st, 1);
	col_copy(out->mrn, sizeof out->mrn, st, 2);
	col_copy(out->name, sizeof out->name, st, 3);
	const char *alerts = (const char *)sqlite3_column_text(st, 4);
	eval_group(g, alerts ? alerts : "", out);
}

/* a word (bound in lower case): in the MRN, the name, or a rule (rules are
 * upper case, so the word in upper case against the kept list) */
#define G_WORD(A, N)                                                                                       \
	"AND (?" N " IS NULL OR instr(lower(mrn), ?" N ") OR instr(lower(name), ?" N ") OR instr(" A ", upper(?" N "))) "
#define G_SELECT(K, A)                                                                                     \
	"SELECT patient_id, " K ", mrn, name, " A " FROM alert_groups WHERE " K " IS NOT NULL "                \
	"AND (?3 IS NULL OR instr(',' || " A ", ?3)) " G_WORD(A, "4") G_WORD(A, "5") G_WORD(A, "6") G_WORD(A, "7")
#define G_PAGES(K, A)                                                                                      \
	G_SELECT(K, A) "ORDER BY " K ", mrn",                                                                \
	G_SELECT(K, A) "ORDER BY " K " DESC, mrn DESC",                                                      \
	G_SELECT(K, A) "AND (" K ", mrn) > (?1, ?2) ORDER BY " K ", mrn",                                     \
	G_SELECT(K, A) "AND (" K ", mrn) < (?1, ?2) ORDER BY " K " DESC, mrn DESC"

static const char *const group_pages[8] = {G_PAGES("open_key", "open_alerts"), G_PAGES("all_key", "all_alerts")};
static const char group_one_open[] = G_SELECT("open_key", "open_alerts") "AND patient_id = ?1";
static const char group_one_all[] = G_SELECT("all_key", "all_alerts") "AND patient_id = ?1";
static const char group_scan_open[] = G_SELECT("open_key", "open_alerts");
static const char group_scan_all[] = G_SELECT("all_key", "all_alerts");

static int group_one(struct store *s, const struct gfilter *g, int64_t patient_id, struct store_alert_group *out,
		     int *found, struct ef_err *err)
{
	sqlite3_stmt *st = store_stmt(s, g->f->history ? group_one_all : group_one_open, err);
	if (!st)
		return EF_DB;
	sqlite3_bind_int64(st, 1, patient_id);
	bind_prefilter(st, g);
	int rc = sqlite3_step(st);
	*found = 0;
	if (rc == SQLITE_ROW) {
		group_row(st, g, out);
		*found = out->n > 0;
		rc = EF_OK;
	} else {
		rc = rc == SQLITE_DONE ? EF_OK : store_dberr(s, err, "read the alert list");
	}
	sqlite3_reset(st);
	return rc;
}

int store_alert_group_get(struct store *s, const struct store_alert_filter *f, int64_t patient_id,
			  struct store_alert_group *g, int *found, struct ef_err *err)
{
	struct gfilter gf;
	gfilter_init(&gf, f);
	return group_one(s, &gf, patient_id, g, found, err);
}

/* Where group a is against position b: <0 before, 0 same, >0 after. */
static int group_cmp(const struct store_alert_group *a, const struct store_alert_group *b)
{
	int c = strcmp(a->key, b->key);
	return c ? c : strcmp(a->mrn, b->mrn);
}

int store_alert_groups_page(struct store *s, const struct store_alert_filter *f, const struct store_alert_group *from,
			    int backward, struct store_alert_group *out, size_t max, size_t *n, struct ef_err *err)
{
	struct gfilter gf;
	gfilter_init(&gf, f);
	*n = 0;
	if (!max)
		return EF_OK;
	if (f->patient_id) { /* one patient: one group at most */
		int found, rc = group_one(s, &gf, f->patient_id, out, &found, err);
		if (rc == EF_OK && found && (!from || (backward ? group_cmp(out, from) < 0 : group_cmp(out, from) > 0)))
			*n = 1;
		return rc;
	}
	sqlite3_stmt *st = store_stmt(s, group_pages[(f->history ? 4 : 0) + (from ? 2 : 0) + (backward ? 1 : 0)], err);
	if (!st)
		return EF_DB;
	if (from) {
		store_bind_text(st, 1, from->key);
		store_bind_text(st, 2, from->mrn);
	}
	bind_prefilter(st, &gf);
	int rc;
	while (*n < max && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		group_row(st, &gf, &out[*n]);
		if (out[*n].n > 0)
			(*n)++;
	}
	rc = *n == max || rc == SQLITE_DONE ? EF_OK : store_dberr(s, err, "read the alert list");
	sqlite3_reset(st);
	return rc;
}

int store_alert_groups_each(struct store *s, const struct store_alert_filter *f, store_alert_group_fn fn, void *ctx,
			    struct ef_err *err)
{
	struct gfilter gf;
	gfilter_init(&gf, f);
	struct store_alert_group g;
	if (f->patient_id) {
		int found, rc = group_one(s, &gf, f->patient_id, &g, &found, err);
		return rc == EF_OK && found ? fn(ctx, &g, err) : rc;
	}
	sqlite3_stmt *st = store_stmt(s, group_pages[f->history ? 4 : 0], err);
	if (!st)
		return EF_DB;
	bind_prefilter(st, &gf);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		group_row(st, &gf, &g);
		if (g.n > 0 && (rc = fn(ctx, &g, err))) {
			sqlite3_reset(st);
			return rc;
		}
	}
	rc = rc == SQLITE_DONE ? EF_OK : store_dberr(s, err, "read the alert list");
	sqlite3_reset(st);
	return rc;
}

int store_alert_groups_count(struct store *s, const struct store_alert_filter *f, long *total, long *shown,
			     struct ef_err *err)
{
	/* alert_counts (schema 018): the clinic's, by status, severity and rule */
	static const char clinic_sql[] = "SELECT coalesce(sum(n), 0), coalesce(sum(CASE WHEN (?2 IS NULL OR severity = ?2) "
					 "AND (?3 IS NULL OR rule = ?3) THEN n END), 0) FROM alert_counts "
					 "WHERE (?1 OR status = 'open')";
	static const char one_sql[] = "SELECT count(*), count(CASE WHEN (?2 IS NULL OR severity = ?2) "
				      "AND (?3 IS NULL OR rule = ?3) THEN 1 END) FROM alerts "
				      "WHERE patient_id = ?4 AND (?1 OR status = 'open')";
	struct gfilter gf;
	gfilter_init(&gf, f);
	sqlite3_stmt *st = store_stmt(s, f->patient_id ? one_sql : clinic_sql, err);
	if (!st)
		return EF_DB;
	sqlite3_bind_int(st, 1, f->history != 0);
	store_bind_opt(st, 2, f->severity >= 0 && f->severity <= EF_SEV_INFO ? ef_severity_str(f->severity) : NULL);
	store_bind_opt(st, 3, f->rule);
	if (f->patient_id)
		sqlite3_bind_int64(st, 4, f->patient_id);
	int rc = sqlite3_step(st);
	*total = rc == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : 0;
	*shown = rc == SQLITE_ROW ? (long)sqlite3_column_int64(st, 1) : 0;
	rc = rc == SQLITE_ROW ? EF_OK : store_dberr(s, err, "count alerts");
	sqlite3_reset(st);
	if (rc || !gf.nw)
		return rc;
	/* words: alert by alert, every group */
	*shown = 0;
	struct store_alert_group g;
	if (f->patient_id) {
		int found;
		rc = group_one(s, &gf, f->patient_id, &g, &found, err);
		*shown = found ? g.n : 0;
		return rc;
	}
	if (!(st = store_stmt(s, f->history ? group_scan_all : group_scan_open, err)))
		return EF_DB;
	bind_prefilter(st, &gf);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		group_row(st, &gf, &g);
		*shown += g.n;
	}
	rc = rc == SQLITE_DONE ? EF_OK : store_dberr(s, err, "count alerts");
	sqlite3_reset(st);
	return rc;
}

int store_alert_items(struct store *s, const struct store_alert_filter *f, const struct store_alert_group *g,
		      store_alert_item_fn fn, void *ctx, struct ef_err *err)
{
	static const char sql[] = "SELECT alert_id, rule, subject, severity, status, due_on FROM alerts "
				  "WHERE patient_id = ?1 AND (?2 OR status = 'open') AND (?3 IS NULL OR severity = ?3) "
				  "AND (?4 IS NULL OR rule = ?4) "
				  "ORDER BY " SEV_RANK("") ", due_on IS NULL, due_on, alert_id";
	struct gfilter gf;
	gfilter_init(&gf, f);
	unsigned char in_who[MAX_WORDS];
	who_words(&gf, g->mrn, g->name, in_who);
	sqlite3_stmt *st = store_stmt(s, sql, err);
	if (!st)
		return EF_DB;
	sqlite3_bind_int64(st, 1, g->patient_id);
	sqlite3_bind_int(st, 2, f->history != 0);
	store_bind_opt(st, 3, f->severity >= 0 && f->severity <= EF_SEV_INFO ? ef_severity_str(f->severity) : NULL);
	store_bind_opt(st, 4, f->rule);
	struct store_alert_item it;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		memset(&it, 0, sizeof it);
		it.alert_id = sqlite3_column_int64(st, 0);
		it.patient_id = g->patient_id;
		col_text(it.rule, sizeof it.rule, st, 1);
		col_text(it.subject, sizeof it.subject, st, 2);
		const char *sev = (const char *)sqlite3_column_text(st, 3);
		const char *status = (const char *)sqlite3_column_text(st, 4);
		col_text(it.due_on, sizeof it.due_on, st, 5);
		int r = EF_OK;
		if (!sev || ef_severity_parse(sev, &it.severity))
			r = ef_errf(err, EF_DB, "alert %lld has an unknown severity", (long long)it.alert_id);
		else if (!status || ef_alert_status_parse(status, &it.status))
			r = ef_errf(err, EF_DB, "alert %lld has an unknown status", (long long)it.alert_id);
		else if (!rule_passes(&gf, in_who, it.rule, strlen(it.rule)))
			continue;
		if (r == EF_OK)
			r = fn(ctx, &it, err);
		if (r) {
			sqlite3_reset(st);
			return r;
		}
	}
	rc = rc == SQLITE_DONE ? EF_OK : store_dberr(s, err, "list alerts");
	sqlite3_reset(st);
	return rc;
}

int store_alert_next_rule(struct store *s, const struct store_alert_filter *f, const char *after, char out[40],
			  struct ef_err *err)
{
	static const char open_sql[] = "SELECT min(rule) FROM alert_counts WHERE status = 'open' AND n > 0 AND rule > ?1";
	static const char all_sql[] = "SELECT min(rule) FROM alert_counts WHERE n > 0 AND rule > ?1";
	static const char one_sql[] =
		"SELECT min(rule) FROM alerts WHERE patient_id = ?2 AND rule > ?1 AND (?3 OR status = 'open')";
	sqlite3_stmt *st = store_stmt(s, f->patient_id ? one_sql : f->history ? all_sql : open_sql, err);
	if (!st)
		return EF_DB;
	store_bind_text(st, 1, after ? after : "");
	if (f->patient_id) {
		sqlite3_bind_int64(st, 2, f->patient_id);
		sqlite3_bind_int(st, 3, f->history != 0);
	}
	int rc = sqlite3_step(st);
	out[0] = '\0';
	if (rc == SQLITE_ROW) {
		col_text(out, 40, st, 0);
		rc = EF_OK;
	} else {
		rc = store_dberr(s, err, "list rules");
	}
	sqlite3_reset(st);
	return rc;
}
