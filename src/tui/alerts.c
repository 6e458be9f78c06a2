/* alerts.c - alerts, worst first (critical, warning, info; then due date).
 * From the patient list: the clinic's open alerts; from a chart: that
 * patient's. `h` switches to the history (every status, acknowledged and
 * resolved too); `k` acknowledges the selected alert with a required reason
 * and an optional until date (ackform, app_ack_alert). */
#include <stdlib.h>
#include <string.h>

#include "engraft/alertstore.h"
#include "tui_int.h"

/* A list row: what the list shows (44,000 open alerts in a 10,000-patient
 * clinic: a full store_alert each, 2 KB of message and reason, was 120 MB).
 * The selected alert is read in full (sel) when the selection moves. */
struct alert_row {
	int64_t alert_id, patient_id;
	char mrn[64];
	char rule[40];
	char subject[32];
	enum ef_severity severity;
	enum ef_alert_status status;
	char due_on[11];
};

struct alerts_st {
	struct alert_row *rows;
	size_t n, cap;
	struct store_alert sel;  /* rows[cur] in full (sel.alert_id 0: none read) */
	int cur, scroll;
	int history;             /* every status, not only open */
	char mrn[64];            /* patient scope, "" = clinic */
};

static const struct keybind keys[] = {
	{{'k'}, "k", CMD_ACK, "Ack", "acknowledge the selected alert (reason required, optional until date)", 0},
	{{'h'}, "h", CMD_HISTORY, "History", "show every alert, also acknowledged and resolved (h again: open only)", 0},
	{{'\n', '\r', K(KEY_ENTER)}, "Enter", CMD_OPEN, "Chart", "open the patient's chart", 0},
	{{K(KEY_UP)}, "Up", CMD_UP, NULL, "previous alert", 0},
	{{K(KEY_DOWN), 'j'}, "Down/j", CMD_DOWN, NULL, "next alert", 0},
	{{K(KEY_PPAGE)}, "PgUp", CMD_PAGE_UP, NULL, "previous page", 0},
	{{K(KEY_NPAGE), ' '}, "PgDn", CMD_PAGE_DOWN, NULL, "next page", 0},
	{{K(KEY_HOME)}, "Home", CMD_HOME, NULL, "first alert", 0},
	{{K(KEY_END)}, "End", CMD_END, NULL, "last alert", 0},
	KEYS_END,
};

#define COPY(dst, src) snprintf((dst), sizeof(dst), "%s", (src))

static int add(void *ctx, const struct store_alert *al, struct ef_err *err)
{
	struct alerts_st *st = ctx;
	if (st->n == st->cap) {
		size_t cap = st->cap ? st->cap * 2 : 64;
		struct alert_row *p = realloc(st->rows, cap * sizeof *p);
		if (!p)
			return ef_errf(err, EF_DB, "out of memory");
		st->rows = p;
		st->cap = cap;
	}
	struct alert_row *r = &st->rows[st->n++];
	r->alert_id = al->alert_id;
	r->patient_id = al->patient_id;
	COPY(r->mrn, al->mrn);
	COPY(r->rule, al->rule);
	COPY(r->subject, al->subject);
	r->severity = al->severity;
	r->status = al->status;
	COPY(r->due_on, al->due_on);
	return EF_OK;
}

/* Read the selected alert in full for the detail lines, if not read yet. */
static int read_selected(struct app *a, struct alerts_st *st)
{
	if (!st->n) {
		st->sel.alert_id = 0;
		return EF_OK;
	}
	const struct alert_row *r = &st->rows[st->cur];
	if (st->sel.alert_id == r->alert_id)
		return EF_OK;
	int found = 0;
	int rc = store_alert_get(a->s, r->alert_id, &st->sel, &found, &a->err);
	if (rc == EF_OK && !found)
		rc = ef_errf(&a->err, EF_INVALID, "alert %lld is gone", (long long)r->alert_id);
	if (rc)
		st->sel.alert_id = 0;
	return rc;
}

static int alerts_load(struct app *a, struct screen *s)
{
	struct alerts_st *st = s->st;
	int64_t keep = st->n && st->cur < (int)st->n ? st->rows[st->cur].alert_id : 0;
	st->n = 0;
	int rc = store_alerts_each(a->s, a->today, st->mrn[0] ? st->mrn : NULL,
				   STORE_ALERTS_BY_SEVERITY | (st->history ? STORE_ALERTS_ALL : 0), add, st, &a->err);
	if (rc)
		return rc;
	st->cur = 0;
	for (size_t i = 0; i < st->n; i++)
		if (st->rows[i].alert_id == keep)
			st->cur = (int)i;
	st->sel.alert_id = 0; /* re-read: it may have been acknowledged */
	if ((rc = read_selected(a, st)))
		return rc;
	snprintf(s->title, sizeof s->title, "%s%s, %zu %s", st->mrn[0] ? "MRN " : "clinic", st->mrn, st->n,
		 st->history ? "in the history" : "open");
	return EF_OK;
}

static int alerts_open(struct app *a, struct screen *s, const struct request *rq)
{
	struct alerts_st *st = calloc(1, sizeof *st);
	if (!st)
		return ef_errf(&a->err, EF_DB, "out of memory");
	s->st = st;
	s->patient_id = rq->patient_id;
	if (rq->patient_id) {
		struct ef_patient p;
		int rc = store_patient_get(a->s, rq->patient_id, &p, &a->err);
		if (rc)
			return rc;
		snprintf(st->mrn, sizeof st->mrn, "%s", p.mrn);
	}
	return alerts_load(a, s);
}

static void alerts_close(struct app *a, struct screen *s)
{
	(void)a;
	struct alerts_st *st = s->st;
	if (st)
		free(st->rows);
	free(st);
	s->st = NULL;
}



static void alerts_draw(struct app *a, struct screen *s, WINDOW *w)
{
	(void)a;
	struct alerts_st *st = s->st;
	int cols = getmaxx(w), h = getmaxy(w);
	const int detail = 3;            /* rows at the bottom for the selected alert */
	int page = h - 1 - detail;
	if (page < 1)
		page = 1;
	if (st->cur < st->scroll)
		st->scroll = st->cur;
	if (st->cur >= st->scroll + page)
		st->scroll = st->cur - page + 1;
	int c_sev = 1, c_mrn = 10, c_rule = 21, c_subj = 51, c_due = 63, c_stat = 74;
	if (cols < 100) { /* narrow: drop the severity word to a colour + 4 letters */
		c_mrn = 6;
		c_rule = 17;
		c_subj = 47;
		c_due = 59;
		c_stat = 70;
	}
	attr_t ha = tui_attr(R_HEADER);
	fill_line(w, 0, ha);
	put_text(w, 0, c_sev, c_mrn - c_sev - 1, "Severity", ha, 0);
	put_text(w, 0, c_mrn, 10, "MRN", ha, 0);
	put_text(w, 0, c_rule, 29, "Rule", ha, 0);
	put_text(w, 0, c_subj, 11, "Subject", ha, 0);
	put_text(w, 0, c_due, 10, "Due", ha, 0);
	put_text(w, 0, c_stat, cols - c_stat, "Status", ha, 0);
	if (st->n == 0) {
		put_text(w, 2, 2, cols - 2, st->history ? "No alerts at all." : "No open alerts. (h shows the history)",
			 tui_attr(R_DIM), 0);
		return;
	}
	for (int i = 0; i < page && st->scroll + i < (int)st->n; i++) {
		const struct alert_row *al = &st->rows[st->scroll + i];
		int y = 1 + i, sel = st->scroll + i == st->cur;
		attr_t ra = sel ? tui_attr(R_SELECTED) : A_NORMAL;
		fill_line(w, y, ra);
		put_text(w, y, c_sev, c_mrn - c_sev - 1, ef_severity_str(al->severity),
			 sel ? ra | A_BOLD : tui_attr(tui_severity_role(al->severity)), 0);
		put_text(w, y, c_mrn, 10, al->mrn, ra, 0);
		put_text(w, y, c_rule, 29, al->rule, ra, 0);
		put_text(w, y, c_subj, 11, al->subject, ra, 0);
		put_text(w, y, c_due, 10, al->due_on[0] ? al->due_on : "-", ra, 0);
		put_text(w, y, c_stat, cols - c_stat,
			 al->status == EF_ALERT_ACKNOWLEDGED && cols - c_stat < 12 ? "acked" : ef_alert_status_str(al->status),
			 ra, 0);
	}
	/* the selected alert in full (read by read_selected) */
	const struct store_alert *al = &st->sel;
	int y = h - detail;
	draw_rule(w, y, "Selected alert", a->utf8);
	if (al->alert_id != st->rows[st->cur].alert_id)
		return;
	put_fmt(w, y + 1, 1, cols - 1, A_NORMAL, "#%lld %s: %s", (long long)al->alert_id, al->mrn, al->message);
	if (al->acknowledged_on[0])
		put_fmt(w, y + 2, 1, cols - 1, tui_attr(R_DIM), "acknowledged %s by %s%s%s: %s", al->acknowledged_on,
			al->acknowledged_by, al->until[0] ? " until " : "", al->until, al->reason);
	else if (al->resolved_on[0])
		put_fmt(w, y + 2, 1, cols - 1, tui_attr(R_DIM), "raised %s, resolved %s", al->raised_on, al->resolved_on);
	else
		put_fmt(w, y + 2, 1, cols - 1, tui_attr(R_DIM), "raised %s; k acknowledges it", al->raised_on);
}

static enum action alerts_key(struct app *a, struct screen *s, int key, enum cmd cmd)
{
	(void)key;
	struct alerts_st *st = s->st;
	if (cursor_move(cmd, &st->cur, st->n, getmaxy(a->body) - 4)) {
		/* the newly selected alert, in full, for the detail lines */
		if (read_selected(a, st))
			tui_msg_err(a, &a->err);
		return ACTION_REDRAW;
	}
	switch (cmd) {
	case CMD_HISTORY:
		st->history = !st->history;
		return ACTION_RELOAD;
	case CMD_OPEN:
		if (!st->n)
			return ACTION_NONE;
		if (s->patient_id && st->rows[st->cur].patient_id == s->patient_id)
			return ACTION_POP; /* came from this chart */
		memset(&a->req, 0, sizeof a->req);
		a->req.ops = &chart_ops;
		a->req.patient_id = st->rows[st->cur].patient_id;
		return ACTION_PUSH;
	case CMD_ACK:
		if (!st->n) {
			tui_msg(a, MSG_NO_SELECTION);
			return ACTION_NONE;
		}
		if (st->rows[st->cur].status == EF_ALERT_RESOLVED) {
			tui_msg(a, MSG_DB_ERROR, "This alert is resolved; there is nothing to acknowledge.");
			return ACTION_NONE;
		}
		memset(&a->req, 0, sizeof a->req);
		a->req.ops = &ackform_ops;
		a->req.patient_id = st->rows[st->cur].patient_id;
		a->req.id = st->rows[st->cur].alert_id;
		return ACTION_PUSH;
	default:
		return ACTION_PASS;
	}
}

const struct screen_ops alerts_ops = {
	.name = "Alerts",
	.about = "Alerts raised by the rules, worst first: critical, then warning, then info, each "
		 "by due date. From the patient list you see the whole clinic, from a chart that "
		 "patient. k acknowledges the selected alert: a reason is required, and an optional "
		 "until date snoozes it (it comes back after that date if it still holds). h shows "
		 "the history (acknowledged and resolved alerts too). Enter opens the chart.",
	.open = alerts_open,
	.load = alerts_load,
	.draw = alerts_draw,
	.key = alerts_key,
	.close = alerts_close,
	.help = keys,
};

/* ---- acknowledge ---- */

enum { A_REASON = 0, A_UNTIL, A_N };

static const struct fspec ack_spec[A_N] = {
	[A_REASON] = {"Reason", 50, F_TEXT, NULL, 1000},
	[A_UNTIL] = {"Until", 10, F_TEXT, "optional YYYY-MM-DD: it comes back after"},
};

struct ack_st {
	struct fform f;
	struct store_alert al;
	int shown[A_N];
	char reason[1004], until_s[16];
	ef_day until;
};

static int ack_validate(struct app *a, struct ack_st *st)
{
	struct fform *f = &st->f;
	int bad = 0;
	f->err[A_REASON][0] = f->err[A_UNTIL][0] = '\0';
	fform_get(f, A_REASON, st->reason, sizeof st->reason);
	fform_get(f, A_UNTIL, st->until_s, sizeof st->until_s);
	if (!st->reason[0])
		snprintf(f->err[A_REASON], sizeof f->err[0], "required: why");
	st->until = EF_NO_DAY;
	if (st->until_s[0]) {
		if (ef_date_parse(st->until_s, strlen(st->until_s), &st->until))
			snprintf(f->err[A_UNTIL], sizeof f->err[0], "not a real date (YYYY-MM-DD)");
		else if (st->until < a->today)
			snprintf(f->err[A_UNTIL], sizeof f->err[0], "before today");
	}
	for (int i = 0; i < A_N; i++)
		if (f->err[i][0]) {
			bad++;
			if (!st->shown[i])
				f->err[i][0] = '\0';
		}
	return bad;
}

static int ack_open(struct app *a, struct screen *s, const struct request *rq)
{
	struct ack_st *st = fform_screen_open(a, s, rq, sizeof *st);
	if (!st)
		return EF_DB;
	int found = 0;
	int rc = store_alert_get(a->s, rq->id, &st->al, &found, &a->err);
	if (rc)
		return rc;
	if (!found)
		return ef_errf(&a->err, EF_INVALID, "no alert %lld", (long long)rq->id);
	if (fform_init(&st->f, ack_spec, A_N))
		return ef_errf(&a->err, EF_DB, "cannot build the form");
	snprintf(s->title, sizeof s->title, "alert #%lld, MRN %s", (long long)st->al.alert_id, st->al.mrn);
	char alert[24];
	snprintf(alert, sizeof alert, "%lld", (long long)st->al.alert_id);
	tui_draft_slot(s, "ack", "acknowledgement form", st->al.patient_id, st->al.mrn, alert);
	return EF_OK;
}

static void ack_layout(struct app *a, struct screen *s, WINDOW *w)
{
	(void)a;
	fform_screen_layout_at(s, w, 5);
}


static void ack_draw(struct app *a, struct screen *s, WINDOW *body)
{
	struct ack_st *st = s->st;
	struct fform *f = &st->f;
	if (fform_too_small(f, body, "this form"))
		return;
	WINDOW *w = f->win;
	int cols = getmaxx(w);
	ack_validate(a, st);
	put_fmt(w, 0, 1, cols - 1, A_BOLD, "Acknowledge alert #%lld (MRN %s)", (long long)st->al.alert_id, st->al.mrn);
	put_text(w, 1, 1, 9, ef_severity_str(st->al.severity), tui_attr(tui_severity_role(st->al.severity)), 0);
	put_fmt(w, 1, 10, cols - 10, A_BOLD, "%s %s", st->al.rule, st->al.subject);
	put_text(w, 2, 1, cols - 1, st->al.message, A_NORMAL, 0);
	if (st->al.acknowledged_on[0])
		put_fmt(w, 3, 1, cols - 1, tui_attr(R_DIM), "already acknowledged %s by %s: %s", st->al.acknowledged_on,
			st->al.acknowledged_by, st->al.reason);
	fform_draw(f, a->utf8);
}

static enum action ack_save(struct app *a, struct screen *s)
{
	struct ack_st *st = s->st;
	st->shown[A_REASON] = st->shown[A_UNTIL] = 1;
	int bad = ack_validate(a, st);
	if (bad) {
		tui_msg(a, MSG_FORM_INVALID, bad, bad == 1 ? "" : "s");
		fform_focus(&st->f, st->f.err[A_REASON][0] ? A_REASON : A_UNTIL);
		return ACTION_REDRAW;
	}
	struct app_env env = {a->s, NULL, a->today, &a->me};
	if (app_ack_alert(&env, st->al.alert_id, a->today, st->reason, st->until, &a->err)) {
		tui_msg_err(a, &a->err);
		return ACTION_REDRAW;
	}
	char until[32] = "";
	if (st->until != EF_NO_DAY)
		snprintf(until, sizeof until, " until %s", st->until_s);
	tui_msg(a, MSG_ACKED, st->al.rule, st->al.subject, until);
	st->f.dirty = 0;
	return ACTION_POP;
}

static enum action ack_key(struct app *a, struct screen *s, int key, enum cmd cmd)
{
	(void)a;
	struct ack_st *st = s->st;
	return fform_screen_key(&st->f, st->shown, key, cmd);
}


const struct screen_ops ackform_ops = {
	.name = "Acknowledge",
	.about = "Acknowledge an alert: say why (required). With an until date the alert stays "
		 "acknowledged through that day and comes back afterwards if it still holds; without "
		 "one it stays acknowledged until it resolves. F2 or Ctrl-S saves; Esc leaves.",
	.open = ack_open,
	.draw = ack_draw,
	.key = ack_key,
	.save = ack_save,
	.dirty = fform_screen_dirty,
	.layout = ack_layout,
	.close = fform_screen_close,
	.help = form_keys,
};
