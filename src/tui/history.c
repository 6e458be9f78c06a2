/* history.c - `H` on the chart: the audit trail of one patient's record
 * (store_audit_log, the same entries as `engraft audit log --mrn`), newest
 * first: when, who (login and printed name), what, and before -> after. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engraft/audit.h"
#include "tui_int.h"

struct entry {
	char *head;   /* "2026-12-02 06:02  bobn (Bob Nurse)  update lab_results 12" */
	char *change; /* may be "" */
};

struct history_st {
	struct entry *e;
	size_t n, cap;
	int scroll, lines;
	char mrn[64];
};

static const struct keybind keys[] = {
	{{K(KEY_UP), 'k'}, "Up", CMD_UP, NULL, "scroll up", 0},
	{{K(KEY_DOWN), 'j'}, "Down", CMD_DOWN, NULL, "scroll down", 0},
	{{K(KEY_NPAGE), ' '}, "PgDn", CMD_PAGE_DOWN, NULL, "scroll a page down (older entries)", 0},
	{{K(KEY_PPAGE)}, "PgUp", CMD_PAGE_UP, NULL, "scroll a page up (newer entries)", 0},
	{{K(KEY_HOME)}, "Home", CMD_HOME, NULL, "the newest entry", 0},
	{{K(KEY_END)}, "End", CMD_END, NULL, "the oldest entry", 0},
	KEYS_END,
};

static void free_entries(struct history_st *st)
{
	for (size_t i = 0; i < st->n; i++) {
		free(st->e[i].head);
		free(st->e[i].change);
	}
	st->n = 0;
}

static int add(void *ctx, const struct store_audit_event *ev, struct ef_err *err)
{
	struct history_st *st = ctx;
	if (st->n == st->cap) {
		size_t cap = st->cap ? st->cap * 2 : 64;
		struct entry *e = realloc(st->e, cap * sizeof *e);
		if (!e)
			return ef_errf(err, EF_DB, "out of memory");
		st->e = e;
		st->cap = cap;
	}
	char head[512];
	snprintf(head, sizeof head, "%.10s %.5s  %s%s%s%s  %s %s %lld", ev->at, strlen(ev->at) > 11 ? ev->at + 11 : "",
		 ev->login, ev->name[0] ? " (" : "", ev->name, ev->name[0] ? ")" : "", ev->action, ev->table,
		 (long long)ev->row_key);
	char *h = strdup(head), *c = strdup(ev->change);
	if (!h || !c) {
		free(h);
		free(c);
		return ef_errf(err, EF_DB, "out of memory");
	}
	st->e[st->n].head = h;
	st->e[st->n].change = c;
	st->n++;
	return EF_OK;
}

static int history_load(struct app *a, struct screen *s)
{
	struct history_st *st = s->st;
	free_entries(st);
	struct store_audit_filter f = {NULL, st->mrn, EF_NO_DAY, EF_NO_DAY};
	return store_audit_log(a->s, &f, add, st, &a->err);
}

static int history_open(struct app *a, struct screen *s, const struct request *rq)
{
	struct history_st *st = calloc(1, sizeof *st);
	if (!st)
		return ef_errf(&a->err, EF_DB, "out of memory");
	s->st = st;
	s->patient_id = rq->patient_id;
	struct ef_patient p;
	int rc = store_patient_get(a->s, rq->patient_id, &p, &a->err);
	if (rc)
		return rc;
	snprintf(st->mrn, sizeof st->mrn, "%s", p.mrn);
	fmt_patient(&p, s->title, sizeof s->title);
	return history_load(a, s);
}

static void history_close(struct app *a, struct screen *s)
{
	(void)a;
	struct history_st *st = s->st;
	if (!st)
		return;
	free_entries(st);
	free(st->e);
	free(st);
	s->st = NULL;
}

static void history_draw(struct app *a, struct screen *s, WINDOW *w)
{
	struct history_st *st = s->st;
	int cols = getmaxx(w), y = 0;
	const int top = 2;
	put_fmt(w, 0, 1, cols - 1, A_BOLD, "Audit trail of this record: %zu entr%s, newest first (times in UTC)", st->n,
		st->n == 1 ? "y" : "ies");
	if (!st->n)
		tui_wrap(w, &y, top, st->scroll, 2, cols - 4,
			 "No entries: rows that came in by CSV import are in their file's entry (engraft audit log).",
			 A_NORMAL);
	for (size_t i = st->n; i-- > 0;) {
		tui_wrap(w, &y, top, st->scroll, 1, cols - 2, st->e[i].head, A_BOLD);
		if (st->e[i].change[0])
			tui_wrap(w, &y, top, st->scroll, 4, cols - 5, st->e[i].change, A_NORMAL);
	}
	st->lines = y;
	int h = getmaxy(w);
	if (top + y - st->scroll > h)
		put_text(w, h - 1, cols - 24, 24, a->utf8 ? "  \u2193 more (Down, PgDn)" : "  more below (Down)",
			 tui_attr(R_SEARCH), 1);
}

static enum action history_key(struct app *a, struct screen *s, int key, enum cmd cmd)
{
	(void)key;
	struct history_st *st = s->st;
	return tui_scroll_key(a, &st->scroll, st->lines, cmd);
}

const struct screen_ops history_ops = {
	.name = "History",
	.about = "Every change to this patient's record that the audit trail holds, newest first: when (UTC), "
		 "who (login and printed name), what was done to which record, and the fields before -> after. "
		 "Signatures (acknowledged, administered, assessed, entered in error) are entries too. Rows that "
		 "came in by CSV import are covered by their file's entry (engraft audit log).",
	.open = history_open,
	.load = history_load,
	.draw = history_draw,
	.key = history_key,
	.close = history_close,
	.help = keys,
};
