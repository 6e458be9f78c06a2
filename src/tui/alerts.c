/* alerts.c - alerts grouped by patient, worst first (critical, warning,
 * info; then due date). From the patient list: the clinic's open alerts,
 * each patient a row with its counts (collapsed: Enter or Right opens it);
 * from a chart: that patient's, open. `/` filters by MRN, name or rule as
 * you type, `s` and `r` cycle a severity and a rule filter, Esc clears the
 * filters (an unfiltered list: back). `h` switches to the history (every
 * status). Space or `m` marks alerts of one patient; `A` acknowledges the
 * marked alerts (or the selected one) with one required reason and an
 * optional until date (ackform, app_ack_alerts: all or none). The selected
 * alert's full text and reason are wrapped in the lines at the bottom.
 *
 * The list is read a page at a time (issue 15: 434,675 open alerts at
 * 100,000 patients): the screen holds a window of patients in list order,
 * what it shows plus at least a page either side, read by keyset from the
 * store (store_alert_groups_page, schema 018) and moved as the selection
 * moves; Home and End read from either end. The filters are the store's
 * (its query and the per-alert check); the counts in the title are counted
 * once per open, reload or filter change. */
#include <stdlib.h>
#include <string.h>

#include "engraft/alertstore.h"
#include "filter.h"
#include "tui_int.h"

enum { MODE_NORMAL = 0, MODE_SEARCH = 1 };
#define M_NORMAL (1u << MODE_NORMAL)
#define M_SEARCH (1u << MODE_SEARCH)

/* A listed alert: the columns the list shows. The selected alert is read
 * in full (sel) when the selection moves. */
struct alert_row {
	struct store_alert_item it;
	int marked;
};

/* A patient in the window (a group), with its alerts that pass the
 * filters. */
struct apat {
	struct store_alert_group g;
	struct alert_row *rows; /* read when needed: expanded, selected, marked */
	size_t nrows;
	int loaded;
	int expanded;
	int marked;
};

/* A line of the list: a patient's row (row < 0) or one of its alerts. */
struct aline {
	int pat, row;
};

struct alerts_st {
	struct apat *pats;       /* the window, in list order */
	size_t npat, patcap;
	int more_before, more_after; /* patients may be listed beyond the window */
	struct aline *lines;
	size_t nlines, linecap;
	int64_t *open_ids;       /* patients whose alerts are shown (expanded) */
	size_t nopen, opencap;
	struct alert_row *marks; /* the marked alerts, all of one patient */
	size_t nmarks, markcap;
	char marks_mrn[64];
	struct store_alert sel;  /* the selected alert in full (sel.alert_id 0: none read) */
	int cur, scroll;
	int history;             /* every status, not only open */
	int64_t patient_id;      /* patient scope, 0 = clinic */
	char mrn[64];
	char filter[128];        /* `/`: MRN, name or rule */
	char before_search[128];
	int sev;                 /* -1: every severity */
	char rule[40];           /* "": every rule */
	long total, shown;       /* alerts in the scope, and passing the filters */
	int page;                /* list rows shown (draw) */
	int clear_marks;         /* set by the ack form after it saved */
};

static const struct keybind keys[] = {
	{{'/'}, "/", CMD_SEARCH, "Search", "filter by MRN, name or rule as you type (Enter keeps, Esc clears)", M_NORMAL},
	{{'A'}, "A", CMD_ACK, "Ack",
	 "acknowledge the marked alerts, or the selected one, with one reason (optional until date)", M_NORMAL},
	{{' ', 'm'}, "Space/m", CMD_MARK, "Mark",
	 "mark or unmark the selected alert (on a patient's row: all of them) for one acknowledgement", M_NORMAL},
	{{'s'}, "s", CMD_SEVERITY, "Severity", "show every severity, or only critical, warning or info (in turn)",
	 M_NORMAL},
	{{'r'}, "r", CMD_RULE, "Rule", "show every rule, or only one of the rules listed (in turn)", M_NORMAL},
	{{'h'}, "h", CMD_HISTORY, "History", "show every alert, also acknowledged and resolved (h again: open only)",
	 M_NORMAL},
	{{'\n', '\r', K(KEY_ENTER)}, "Enter", CMD_OPEN, "Open",
	 "on a patient's row: show or hide their alerts; on an alert: open the patient's chart", M_NORMAL},
	{{K(KEY_RIGHT)}, "Right", CMD_EXPAND, NULL, "show the selected patient's alerts", M_NORMAL},
	{{K(KEY_LEFT)}, "Left", CMD_COLLAPSE, NULL, "hide the selected patient's alerts (back to their row)", M_NORMAL},
	{{KEY_ESCAPE}, "Esc", CMD_CLEAR_FILTERS, NULL, "clear the filters; with none, back", M_NORMAL},
	{{'\n', '\r', K(KEY_ENTER)}, "Enter", CMD_SEARCH_KEEP, "Keep", "while typing a search: keep it, back to the list",
	 M_SEARCH},
	{{KEY_ESCAPE}, "Esc", CMD_SEARCH_CLEAR, "Clear", "while typing a search: clear it", M_SEARCH},
	{{K(KEY_UP), 'k'}, "Up/k", CMD_UP, NULL, "previous line", M_NORMAL},
	{{K(KEY_DOWN), 'j'}, "Down/j", CMD_DOWN, NULL, "next line", M_NORMAL},
	{{K(KEY_UP)}, "Up", CMD_UP, NULL, NULL, M_SEARCH},
	{{K(KEY_DOWN)}, "Down", CMD_DOWN, NULL, NULL, M_SEARCH},
	{{K(KEY_PPAGE)}, "PgUp", CMD_PAGE_UP, NULL, "previous page", 0},
	{{K(KEY_NPAGE)}, "PgDn", CMD_PAGE_DOWN, NULL, "next page", 0},
	{{K(KEY_HOME)}, "Home", CMD_HOME, NULL, "first line", M_NORMAL},
	{{K(KEY_END)}, "End", CMD_END, NULL, "last line", M_NORMAL},
	KEYS_END,
};

static int filtered(const struct alerts_st *st)
{
	return st->filter[0] || st->sev >= 0 || st->rule[0];
}

static struct store_alert_filter the_filter(const struct alerts_st *st)
{
	struct store_alert_filter f = {st->history, st->patient_id, st->sev, st->rule, st->filter};
	return f;
}

static int oom(struct app *a)
{
	return ef_errf(&a->err, EF_DB, "out of memory");
}

/* Grow *v (of *cap elements of size sz) to hold n + 1. */
static int grow(void *v, size_t *cap, size_t n, size_t sz)
{
	if (n < *cap)
		return 0;
	size_t c = *cap ? *cap * 2 : 16;
	void *p = realloc(*(void **)v, c * sz);
	if (!p)
		return -1;
	*(void **)v = p;
	*cap = c;
	return 0;
}

/* ---- which patients are expanded, which alerts marked ---- */

static int is_open(const struct alerts_st *st, int64_t patient_id)
{
	for (size_t i = 0; i < st->nopen; i++)
		if (st->open_ids[i] == patient_id)
			return 1;
	return 0;
}

static int set_open(struct alerts_st *st, int64_t patient_id, int open)
{
	for (size_t i = 0; i < st->nopen; i++)
		if (st->open_ids[i] == patient_id) {
			if (!open)
				st->open_ids[i] = st->open_ids[--st->nopen];
			return 0;
		}
	if (!open)
		return 0;
	if (grow(&st->open_ids, &st->opencap, st->nopen, sizeof *st->open_ids))
		return -1;
	st->open_ids[st->nopen++] = patient_id;
	return 0;
}

static int mark_index(const struct alerts_st *st, int64_t alert_id)
{
	for (size_t i = 0; i < st->nmarks; i++)
		if (st->marks[i].it.alert_id == alert_id)
			return (int)i;
	return -1;
}

static int set_mark(struct alerts_st *st, struct apat *p, struct alert_row *r, int on)
{
	int k = mark_index(st, r->it.alert_id);
	if (on && k < 0) {
		if (grow(&st->marks, &st->markcap, st->nmarks, sizeof *st->marks))
			return -1;
		if (!st->nmarks)
			snprintf(st->marks_mrn, sizeof st->marks_mrn, "%s", p->g.mrn);
		st->marks[st->nmarks] = *r;
		st->marks[st->nmarks++].marked = 1;
	} else if (!on && k >= 0) {
		memmove(&st->marks[k], &st->marks[k + 1], (st->nmarks - (size_t)k - 1) * sizeof *st->marks);
		st->nmarks--;
	}
	p->marked += on - r->marked;
	r->marked = on;
	return 0;
}

/* ---- the window ---- */

struct rows_ctx {
	struct apat *p;
	size_t cap;
	const struct alerts_st *st;
};

static int add_row(void *ctx, const struct store_alert_item *it, struct ef_err *err)
{
	struct rows_ctx *c = ctx;
	struct apat *p = c->p;
	if (grow(&p->rows, &c->cap, p->nrows, sizeof *p->rows))
		return ef_errf(err, EF_DB, "out of memory");
	struct alert_row *r = &p->rows[p->nrows++];
	r->it = *it;
	r->marked = mark_index(c->st, it->alert_id) >= 0;
	p->marked += r->marked;
	return EF_OK;
}

/* A patient's alerts that pass the filters, read once (a collapsed row
 * shows the group's counts: most of the window never needs them). */
static int pat_rows(struct app *a, struct alerts_st *st, struct apat *p)
{
	if (p->loaded)
		return EF_OK;
	struct store_alert_filter f = the_filter(st);
	struct rows_ctx c = {p, 0, st};
	p->marked = 0;
	int rc = store_alert_items(a->s, &f, &p->g, add_row, &c, &a->err);
	if (rc) {
		free(p->rows);
		p->rows = NULL;
		p->nrows = 0;
		p->marked = 0;
		for (size_t i = 0; i < st->nmarks; i++)
			p->marked += st->marks[i].it.patient_id == p->g.patient_id;
		return rc;
	}
	p->loaded = 1;
	return EF_OK;
}

/* A group of the store as a patient of the window (its alerts read when
 * it is expanded). */
static int pat_fill(struct app *a, struct alerts_st *st, struct apat *p, const struct store_alert_group *g)
{
	memset(p, 0, sizeof *p);
	p->g = *g;
	p->expanded = is_open(st, g->patient_id);
	for (size_t i = 0; i < st->nmarks; i++)
		p->marked += st->marks[i].it.patient_id == g->patient_id;
	return p->expanded ? pat_rows(a, st, p) : EF_OK;
}

static void pats_free(struct alerts_st *st, size_t from, size_t to)
{
	for (size_t i = from; i < to; i++)
		free(st->pats[i].rows);
}

static int pat_lines(const struct apat *p)
{
	return 1 + (p->expanded ? (int)p->nrows : 0);
}

static int rebuild_lines(struct app *a, struct alerts_st *st)
{
	st->nlines = 0;
	for (size_t p = 0; p < st->npat; p++)
		for (int i = -1; i < (st->pats[p].expanded ? (int)st->pats[p].nrows : 0); i++) {
			if (grow(&st->lines, &st->linecap, st->nlines, sizeof *st->lines))
				return oom(a);
			st->lines[st->nlines].pat = (int)p;
			st->lines[st->nlines++].row = i;
		}
	if (st->cur >= (int)st->nlines)
		st->cur = st->nlines ? (int)st->nlines - 1 : 0;
	if (st->cur < 0)
		st->cur = 0;
	return EF_OK;
}

#define BATCH 24 /* patients read at a time (at least) */

/* Read up to max patients after the window's last (or before its first),
 * appended (prepended). */
static int extend(struct app *a, struct alerts_st *st, int backward, size_t max)
{
	struct store_alert_group *g = malloc(max * sizeof *g);
	if (!g)
		return oom(a);
	struct store_alert_filter f = the_filter(st);
	const struct store_alert_group *from = st->npat ? &st->pats[backward ? 0 : st->npat - 1].g : NULL;
	size_t n = 0;
	int rc = store_alert_groups_page(a->s, &f, from, backward, g, max, &n, &a->err);
	if (backward)
		st->more_before = rc == EF_OK && n == max;
	else
		st->more_after = rc == EF_OK && n == max;
	while (rc == EF_OK && st->npat + n > st->patcap) {
		if (grow(&st->pats, &st->patcap, st->patcap, sizeof *st->pats))
			rc = oom(a);
	}
	if (rc || !n) {
		free(g);
		return rc;
	}
	size_t at = backward ? 0 : st->npat;
	if (backward)
		memmove(&st->pats[n], &st->pats[0], st->npat * sizeof *st->pats);
	int added = 0;
	size_t done = 0;
	for (; done < n && rc == EF_OK; done++) { /* backward: nearest first, so from the end */
		struct apat *p = &st->pats[backward ? n - 1 - done : at + done];
		rc = pat_fill(a, st, p, &g[done]);
		if (rc == EF_OK)
			added += pat_lines(p);
	}
	free(g);
	if (rc) { /* keep the window as it was */
		if (backward) {
			for (size_t k = 0; k + 1 < done; k++)
				free(st->pats[n - 1 - k].rows);
			memmove(&st->pats[0], &st->pats[n], st->npat * sizeof *st->pats);
		} else {
			pats_free(st, at, at + done - 1);
		}
		return rc;
	}
	st->npat += n;
	if (backward) {
		st->cur += added;
		st->scroll += added;
	}
	return rebuild_lines(a, st);
}

/* Lines kept beyond the selection on either side: the screen's page and
 * a page more, and at least the neighbours near_keys looks for. */
static int margin(const struct alerts_st *st)
{
	int m = 2 * (st->page > 0 ? st->page : 20);
	return m < 32 ? 32 : m;
}

static size_t batch(const struct alerts_st *st)
{
	return st->page > BATCH ? (size_t)st->page : BATCH;
}

/* Read more around the selection where the window ends within a margin
 * of it (and the list does not), and drop what lies far beyond. */
static int ensure(struct app *a, struct alerts_st *st)
{
	int m = margin(st), rc = EF_OK;
	while (rc == EF_OK && st->more_before && st->cur < m)
		rc = extend(a, st, 1, batch(st));
	while (rc == EF_OK && st->more_after && (int)st->nlines - 1 - st->cur < m)
		rc = extend(a, st, 0, batch(st));
	if (rc)
		return rc;
	/* drop patients whose lines all lie over two margins away */
	size_t drop = 0;
	int lines = 0;
	while (drop + 1 < st->npat && lines + pat_lines(&st->pats[drop]) < st->cur - 2 * m)
		lines += pat_lines(&st->pats[drop++]);
	if (drop) {
		pats_free(st, 0, drop);
		memmove(&st->pats[0], &st->pats[drop], (st->npat - drop) * sizeof *st->pats);
		st->npat -= drop;
		st->cur -= lines;
		st->scroll = st->scroll > lines ? st->scroll - lines : 0;
		st->more_before = 1;
	}
	size_t keep = st->npat, had = st->npat + drop;
	lines = (int)st->nlines - lines;
	while (keep > 1 && lines - pat_lines(&st->pats[keep - 1]) > st->cur + 2 * m) {
		lines -= pat_lines(&st->pats[keep - 1]);
		keep--;
	}
	if (keep < st->npat) {
		pats_free(st, keep, st->npat);
		st->npat = keep;
		st->more_after = 1;
	}
	return st->npat < had ? rebuild_lines(a, st) : EF_OK;
}

static void window_clear(struct alerts_st *st)
{
	pats_free(st, 0, st->npat);
	st->npat = st->nlines = 0;
	st->cur = st->scroll = 0;
	st->more_before = st->more_after = 0;
}

/* The window from the first patient (end: to the last), the selection on
 * the first line (the last). */
static int window_end(struct app *a, struct alerts_st *st, int end)
{
	window_clear(st);
	int rc = extend(a, st, end, batch(st) + (size_t)margin(st));
	if (rc == EF_OK && end)
		st->cur = st->nlines ? (int)st->nlines - 1 : 0;
	return rc == EF_OK ? ensure(a, st) : rc;
}

/* The window around position g: the patients before it, then it (if it
 * is still listed) and those after; the selection on the first line at or
 * after g. */
static int window_at(struct app *a, struct alerts_st *st, const struct store_alert_group *g)
{
	window_clear(st);
	if (grow(&st->pats, &st->patcap, 0, sizeof *st->pats))
		return oom(a);
	memset(&st->pats[0], 0, sizeof st->pats[0]); /* a position to read from, not a patient */
	st->pats[0].g = *g;
	st->npat = 1;
	int rc = extend(a, st, 1, (size_t)margin(st));
	st->npat--; /* the position, last */
	size_t before = st->npat;
	if (rc == EF_OK)
		rc = extend(a, st, 0, batch(st) + (size_t)margin(st));
	if (rc == EF_OK)
		rc = rebuild_lines(a, st);
	if (rc)
		return rc;
	int line = 0;
	for (size_t p = 0; p < before; p++)
		line += pat_lines(&st->pats[p]);
	st->cur = line < (int)st->nlines ? line : (st->nlines ? (int)st->nlines - 1 : 0);
	return ensure(a, st);
}

static int64_t line_key(const struct alerts_st *st, const struct aline *l)
{
	return l->row >= 0 ? st->pats[l->pat].rows[l->row].it.alert_id : -st->pats[l->pat].g.patient_id;
}

/* The keys of the selected line, then of the lines after it, then of those
 * before it: where the selection goes when its line is no longer listed
 * (after an acknowledgement: the alert's neighbour, not the top). */
#define NEAR 48
static size_t near_keys(const struct alerts_st *st, int64_t *out)
{
	size_t k = 0;
	if (!st->nlines)
		return 0;
	out[k++] = line_key(st, &st->lines[st->cur]);
	for (int i = st->cur + 1; i < (int)st->nlines && k < NEAR / 2; i++)
		out[k++] = line_key(st, &st->lines[i]);
	for (int i = st->cur - 1; i >= 0 && k < NEAR; i--)
		out[k++] = line_key(st, &st->lines[i]);
	return k;
}

static const struct alert_row *cur_row(const struct alerts_st *st)
{
	if (!st->nlines || st->lines[st->cur].row < 0)
		return NULL;
	const struct aline *l = &st->lines[st->cur];
	return &st->pats[l->pat].rows[l->row];
}

/* Read the selected alert in full for the detail lines, if not read yet
 * (a patient's row: their alerts, which the lines list). */
static int read_selected(struct app *a, struct alerts_st *st)
{
	const struct alert_row *r = cur_row(st);
	if (!r) {
		st->sel.alert_id = 0;
		return st->nlines ? pat_rows(a, st, &st->pats[st->lines[st->cur].pat]) : EF_OK;
	}
	if (st->sel.alert_id == r->it.alert_id)
		return EF_OK;
	int found = 0;
	int rc = store_alert_get(a->s, r->it.alert_id, &st->sel, &found, &a->err);
	if (rc == EF_OK && !found)
		rc = ef_errf(&a->err, EF_INVALID, "alert %lld is gone", (long long)r->it.alert_id);
	if (rc)
		st->sel.alert_id = 0;
	return rc;
}

static void set_title(struct screen *s, const struct alerts_st *st)
{
	int n = snprintf(s->title, sizeof s->title, "%s%s, %ld %s", st->mrn[0] ? "MRN " : "clinic", st->mrn, st->total,
			 st->history ? "in the history" : "open");
	if (filtered(st) && n > 0 && (size_t)n < sizeof s->title)
		snprintf(s->title + n, sizeof s->title - (size_t)n, ", %ld shown", st->shown);
}

/* The marks that the filters hide, or that are no longer in the list (or
 * resolved), are dropped. */
static int prune_marks(struct app *a, struct alerts_st *st)
{
	if (!st->nmarks)
		return EF_OK;
	struct store_alert_filter f = the_filter(st);
	struct store_alert_group g;
	struct apat p;
	int found = 0;
	memset(&p, 0, sizeof p);
	int rc = store_alert_group_get(a->s, &f, st->marks[0].it.patient_id, &g, &found, &a->err);
	if (rc == EF_OK && found && (rc = pat_fill(a, st, &p, &g)) == EF_OK)
		rc = pat_rows(a, st, &p);
	if (rc) {
		free(p.rows);
		return rc;
	}
	size_t k = 0;
	for (size_t i = 0; i < st->nmarks; i++) {
		int keep = 0;
		for (size_t j = 0; j < p.nrows && !keep; j++)
			if (p.rows[j].it.alert_id == st->marks[i].it.alert_id && p.rows[j].it.status != EF_ALERT_RESOLVED) {
				keep = 1;
				st->marks[i].it = p.rows[j].it;
			}
		if (keep)
			st->marks[k++] = st->marks[i];
	}
	st->nmarks = k;
	free(p.rows);
	return EF_OK;
}

/* The window as the patients g[0..n), the selection on the row of g[at]
 * (past the end: the last line). */
static int window_set(struct app *a, struct alerts_st *st, const struct store_alert_group *g, size_t n, int more_before,
		      int more_after, size_t at)
{
	window_clear(st);
	while (n > st->patcap)
		if (grow(&st->pats, &st->patcap, st->patcap, sizeof *st->pats))
			return oom(a);
	for (size_t i = 0; i < n; i++) {
		int rc = pat_fill(a, st, &st->pats[i], &g[i]);
		if (rc) {
			window_clear(st);
			return rc;
		}
		st->npat = i + 1;
	}
	st->more_before = more_before;
	st->more_after = more_after;
	int rc = rebuild_lines(a, st);
	if (rc)
		return rc;
	int line = 0;
	for (size_t p = 0; p < at && p < st->npat; p++)
		line += pat_lines(&st->pats[p]);
	st->cur = line < (int)st->nlines ? line : (st->nlines ? (int)st->nlines - 1 : 0);
	return ensure(a, st);
}

/* One walk of a filtered list: the count of its alerts, the patients just
 * before a position and from it on, and the first ones. */
struct walk {
	const struct store_alert_group *at; /* NULL: none */
	size_t cap;
	struct store_alert_group *ring, *after, *first;
	size_t before, nafter, after_all, nfirst;
	long shown;
};

static int group_before(const struct store_alert_group *g, const struct store_alert_group *at)
{
	int c = strcmp(g->key, at->key);
	return c < 0 || (c == 0 && strcmp(g->mrn, at->mrn) < 0);
}

static int walk_one(void *ctx, const struct store_alert_group *g, struct ef_err *err)
{
	(void)err;
	struct walk *w = ctx;
	w->shown += g->n;
	if (w->nfirst < w->cap)
		w->first[w->nfirst++] = *g;
	if (w->at && group_before(g, w->at)) {
		w->ring[w->before++ % w->cap] = *g;
	} else {
		if (w->nafter < w->cap)
			w->after[w->nafter++] = *g;
		w->after_all++;
	}
	return EF_OK;
}

/* A filtered list around position at (NULL: from the first), in one walk;
 * fallback: the first patients instead (*placed 0 when at was given). */
static int window_walk(struct app *a, struct alerts_st *st, const struct store_alert_group *at, struct walk *w)
{
	memset(w, 0, sizeof *w);
	w->at = at;
	w->cap = batch(st) + (size_t)margin(st);
	struct store_alert_group *buf = malloc(4 * w->cap * sizeof *buf);
	if (!buf)
		return oom(a);
	w->ring = buf;
	w->after = buf + w->cap;
	w->first = buf + 2 * w->cap;
	struct store_alert_group *list = buf + 3 * w->cap;
	struct store_alert_filter f = the_filter(st);
	int rc = store_alert_groups_each(a->s, &f, walk_one, w, &a->err);
	if (rc == EF_OK) {
		size_t nb = w->before < w->cap ? w->before : w->cap, n = 0;
		size_t keep_before = nb < (size_t)margin(st) ? nb : (size_t)margin(st);
		for (size_t i = w->before - keep_before; i < w->before; i++)
			list[n++] = w->ring[i % w->cap];
		size_t na = w->nafter < w->cap - n ? w->nafter : w->cap - n;
		memcpy(list + n, w->after, na * sizeof *list);
		rc = window_set(a, st, list, n + na, w->before > keep_before, w->after_all > na, keep_before);
	}
	w->ring = w->after = NULL;
	/* keep the first ones for the fallback: move them to the front */
	if (rc == EF_OK)
		memmove(buf, w->first, w->nfirst * sizeof *buf);
	w->first = buf;
	if (rc) {
		free(buf);
		w->first = NULL;
	}
	return rc;
}

/* The list again (after a filter changed, an acknowledgement, the history
 * key): the window around where the selection was, the selection on the
 * first of its line and its neighbours still listed (else the first line),
 * at the same place on the screen; the counts again. A filtered list is
 * walked once (its count needs every patient); an unfiltered one is read
 * by keyset and counted by the store. */
static int reposition(struct app *a, struct screen *s)
{
	struct alerts_st *st = s->st;
	int64_t want[NEAR];
	size_t nwant = near_keys(st, want);
	int offset = st->cur - st->scroll, old_scroll = st->scroll, at_top = !st->more_before;
	struct store_alert_group at;
	int have_at = st->nlines > 0;
	if (have_at)
		at = st->pats[st->lines[st->cur].pat].g;
	int rc = prune_marks(a, st);
	if (rc)
		return rc;
	struct store_alert_filter f = the_filter(st);
	if (have_at) { /* the selected patient may have moved (its worst alert acknowledged) */
		struct store_alert_group now;
		int found = 0;
		rc = store_alert_group_get(a->s, &f, at.patient_id, &now, &found, &a->err);
		if (rc == EF_OK && found)
			at = now;
	}
	/* words: the count looks at every patient, so the window comes from
	 * the same walk; a severity or a rule is counted by the store */
	int walk = st->filter[0] != '\0' && strspn(st->filter, " ") < strlen(st->filter);
	struct walk w = {0};
	if (rc == EF_OK && walk)
		rc = window_walk(a, st, have_at ? &at : NULL, &w);
	else if (rc == EF_OK)
		rc = have_at ? window_at(a, st, &at) : window_end(a, st, 0);
	int found = -1;
	for (size_t k = 0; rc == EF_OK && k < nwant && found < 0; k++)
		for (size_t i = 0; i < st->nlines && found < 0; i++)
			if (line_key(st, &st->lines[i]) == want[k])
				found = (int)i;
	if (rc == EF_OK && found < 0 && have_at) { /* nothing near is listed: the first line */
		if (walk)
			rc = window_set(a, st, w.first, w.nfirst, 0, w.nfirst < w.before + w.after_all, 0);
		else
			rc = window_end(a, st, 0);
	}
	free(w.first);
	if (rc == EF_OK && found >= 0) {
		st->cur = found;
		rc = ensure(a, st);
		/* the list where it was on the screen: from the top as it was
		 * (lines are numbered from the first), else the selection on its row */
		if (at_top && !st->more_before)
			st->scroll = old_scroll;
		else
			st->scroll = st->cur > offset ? st->cur - offset : 0;
	}
	struct store_alert_filter counted = {st->history, st->patient_id, st->sev, st->rule, NULL};
	if (rc == EF_OK)
		rc = store_alert_groups_count(a->s, &counted, &st->total, &st->shown, &a->err);
	if (walk)
		st->shown = w.shown;
	if (rc) {
		window_clear(st);
		return rc;
	}
	set_title(s, st);
	st->sel.alert_id = 0; /* re-read: it may have been acknowledged */
	return read_selected(a, st);
}

/* After a filter changed. */
static enum action refilter(struct app *a, struct screen *s)
{
	if (reposition(a, s))
		tui_msg_err(a, &a->err);
	return ACTION_REDRAW;
}

static int alerts_load(struct app *a, struct screen *s)
{
	struct alerts_st *st = s->st;
	if (st->clear_marks) /* the ack form saved them */
		st->nmarks = 0;
	st->clear_marks = 0;
	return reposition(a, s);
}

static int alerts_open(struct app *a, struct screen *s, const struct request *rq)
{
	struct alerts_st *st = calloc(1, sizeof *st);
	if (!st)
		return oom(a);
	s->st = st;
	s->patient_id = rq->patient_id;
	st->sev = -1;
	if (rq->patient_id) {
		struct ef_patient p;
		int rc = store_patient_get(a->s, rq->patient_id, &p, &a->err);
		if (rc)
			return rc;
		snprintf(st->mrn, sizeof st->mrn, "%s", p.mrn);
		st->patient_id = rq->patient_id;
		if (set_open(st, rq->patient_id, 1)) /* one patient's list: open */
			return oom(a);
	}
	int rc = alerts_load(a, s);
	if (rc == EF_OK && st->mrn[0] && st->nlines > 1) { /* one patient's: their first alert */
		st->cur = 1;
		rc = read_selected(a, st);
	}
	return rc;
}

static void alerts_close(struct app *a, struct screen *s)
{
	(void)a;
	struct alerts_st *st = s->st;
	if (st) {
		window_clear(st);
		free(st->pats);
		free(st->lines);
		free(st->open_ids);
		free(st->marks);
	}
	free(st);
	s->st = NULL;
}

/* Rows at the bottom for the selected alert's text, and the filter line. */
static int detail_rows(int h)
{
	return h >= 18 ? 6 : 3;
}

static void draw_patient_line(struct app *a, WINDOW *w, int y, int cols, const struct apat *ap, int sel)
{
	attr_t ra = sel ? tui_attr(R_SELECTED) : A_BOLD;
	fill_line(w, y, sel ? ra : A_NORMAL);
	const char *open = a->utf8 ? "\u25be" : "-", *shut = a->utf8 ? "\u25b8" : "+";
	int x = 1;
	x += put_text(w, y, x, 2, ap->expanded ? open : shut, ra, 0) + 1;
	char who[400];
	snprintf(who, sizeof who, "%s  MRN %s  ", ap->g.name, ap->g.mrn);
	x += put_text(w, y, x, cols - x, who, ra, 0);
	char counts[120];
	int k = snprintf(counts, sizeof counts, "%d alert%s", ap->g.n, ap->g.n == 1 ? "" : "s");
	/* "(1 critical, 2 warning)": every severity present */
	for (int v = EF_SEV_CRITICAL, said = 0; v <= EF_SEV_INFO; v++)
		if (ap->g.n_sev[v])
			k += snprintf(counts + k, sizeof counts - (size_t)k, "%s%d %s", said++ ? ", " : " (", ap->g.n_sev[v],
				      ef_severity_str((enum ef_severity)v));
	if (ap->g.n)
		snprintf(counts + k, sizeof counts - (size_t)k, ")");
	char marked[32] = "";
	if (ap->marked)
		snprintf(marked, sizeof marked, "%d marked", ap->marked);
	if (marked[0] && x + text_width(counts) + 2 + text_width(marked) > cols)
		snprintf(counts, sizeof counts, "%d alert%s", ap->g.n, ap->g.n == 1 ? "" : "s"); /* the marks matter more */
	enum ef_severity worst = ap->g.n_sev[EF_SEV_CRITICAL] ? EF_SEV_CRITICAL
				 : ap->g.n_sev[EF_SEV_WARNING] ? EF_SEV_WARNING : EF_SEV_INFO;
	x += put_text(w, y, x, cols - x, counts, sel ? ra : tui_attr(tui_severity_role(worst)), 0);
	if (marked[0] && x + 2 < cols)
		put_text(w, y, x + 2, cols - x - 2, marked, sel ? ra : tui_attr(R_SEARCH), 0);
}

static void alerts_draw(struct app *a, struct screen *s, WINDOW *w)
{
	struct alerts_st *st = s->st;
	int cols = getmaxx(w), h = getmaxy(w);
	const int detail = detail_rows(h);
	int page = h - 2 - detail;       /* column header, filter line */
	if (page < 1)
		page = 1;
	st->page = page;
	if (st->cur < st->scroll)
		st->scroll = st->cur;
	if (st->cur >= st->scroll + page)
		st->scroll = st->cur - page + 1;
	int c_mark = 2, c_sev = 4, c_rule = 13, c_subj = 43, c_due = 55, c_stat = 66;
	if (cols >= 100) {
		c_rule = 14;
		c_subj = 48;
		c_due = 62;
		c_stat = 76;
	}
	attr_t ha = tui_attr(R_HEADER);
	fill_line(w, 0, ha);
	put_text(w, 0, 1, c_rule - 2, "Patient", ha, 0);
	put_text(w, 0, c_rule, c_subj - c_rule - 1, "Rule", ha, 0);
	put_text(w, 0, c_subj, c_due - c_subj - 1, "Subject", ha, 0);
	put_text(w, 0, c_due, c_stat - c_due - 1, "Due", ha, 0);
	put_text(w, 0, c_stat, cols - c_stat, "Status", ha, 0);
	if (st->nlines == 0) {
		const char *none = st->total && filtered(st) ? "No alert matches the filters. Esc clears them."
				   : st->history			     ? "No alerts at all."
									     : "No open alerts. (h shows the history)";
		put_text(w, 2, 2, cols - 2, none, tui_attr(R_DIM), 0);
	}
	for (int i = 0; i < page && st->scroll + i < (int)st->nlines; i++) {
		const struct aline *l = &st->lines[st->scroll + i];
		int y = 1 + i, sel = st->scroll + i == st->cur;
		if (l->row < 0) {
			draw_patient_line(a, w, y, cols, &st->pats[l->pat], sel);
			continue;
		}
		const struct alert_row *ar = &st->pats[l->pat].rows[l->row];
		const struct store_alert_item *al = &ar->it;
		attr_t ra = sel ? tui_attr(R_SELECTED) : A_NORMAL;
		fill_line(w, y, ra);
		if (ar->marked)
			put_text(w, y, c_mark, 1, "*", sel ? ra | A_BOLD : tui_attr(R_SEARCH) | A_BOLD, 0);
		put_text(w, y, c_sev, c_rule - c_sev - 1, ef_severity_str(al->severity),
			 sel ? ra | A_BOLD : tui_attr(tui_severity_role(al->severity)), 0);
		put_text(w, y, c_rule, c_subj - c_rule - 1, al->rule, ra, 0);
		put_text(w, y, c_subj, c_due - c_subj - 1, al->subject, ra, 0);
		put_text(w, y, c_due, c_stat - c_due - 1, al->due_on[0] ? al->due_on : "-", ra, 0);
		put_text(w, y, c_stat, cols - c_stat,
			 al->status == EF_ALERT_ACKNOWLEDGED && cols - c_stat < 12 ? "acked" : ef_alert_status_str(al->status),
			 ra, 0);
	}
	/* the filter line */
	int fy = h - detail - 1;
	if (fy > page) {
		fill_line(w, fy, A_NORMAL);
		if (s->mode == MODE_SEARCH) {
			int x = put_text(w, fy, 0, cols, "Search: ", tui_attr(R_SEARCH), 0);
			x += put_text(w, fy, x, cols - x - 1, st->filter, A_BOLD, 0);
			put_text(w, fy, x, 1, "_", A_BLINK | A_BOLD, 0);
			put_text(w, fy, x + 2, cols - x - 2, "(MRN, name or rule; Enter keeps, Esc clears)", tui_attr(R_DIM),
				 0);
		} else if (filtered(st)) {
			char f[400] = "Filter:";
			size_t k = strlen(f);
			if (st->filter[0])
				k += (size_t)snprintf(f + k, sizeof f - k, " \"%s\"", st->filter);
			if (st->sev >= 0 && k < sizeof f)
				k += (size_t)snprintf(f + k, sizeof f - k, " severity %s", ef_severity_str((enum ef_severity)st->sev));
			if (st->rule[0] && k < sizeof f)
				k += (size_t)snprintf(f + k, sizeof f - k, " rule %s", st->rule);
			if (k < sizeof f)
				snprintf(f + k, sizeof f - k, "   (Esc clears)");
			put_text(w, fy, 0, cols, f, tui_attr(R_SEARCH), 0);
		} else if (st->nlines) {
			put_text(w, fy, 0, cols,
				 st->mrn[0] ? "Space marks alerts, A acknowledges them with one reason"
					    : "Enter shows a patient's alerts; Space marks, A acknowledges",
				 tui_attr(R_DIM), 0);
		}
	}
	/* the selection in full, wrapped (the alert read by read_selected) */
	int y = h - detail;
	if (!st->nlines)
		return;
	const struct aline *l = &st->lines[st->cur];
	const struct apat *ap = &st->pats[l->pat];
	if (l->row < 0) {
		draw_rule(w, y, "Selected patient", a->utf8);
		char text[1200];
		size_t k = (size_t)snprintf(text, sizeof text, "%s, MRN %s:", ap->g.name, ap->g.mrn);
		for (size_t i = 0; i < ap->nrows && k < sizeof text; i++) {
			const struct store_alert_item *r = &ap->rows[i].it;
			k += (size_t)snprintf(text + k, sizeof text - k, " %s %s (%s);", r->rule, r->subject,
					      ef_severity_str(r->severity));
		}
		if (k >= sizeof text) /* never cut without saying so */
			memcpy(text + sizeof text - 5, "...", 4);
		int ty = 0;
		tui_wrap(w, &ty, y + 1, 0, 1, cols - 2, text, A_NORMAL);
		return;
	}
	draw_rule(w, y, "Selected alert", a->utf8);
	const struct store_alert *al = &st->sel;
	if (al->alert_id != ap->rows[l->row].it.alert_id)
		return;
	char text[1400], state[1400];
	snprintf(text, sizeof text, "#%lld %s %s: %s", (long long)al->alert_id, al->mrn, ap->g.name, al->message);
	if (al->acknowledged_on[0])
		snprintf(state, sizeof state, "acknowledged %s by %s%s%s: %s", al->acknowledged_on, al->acknowledged_by,
			 al->until[0] ? " until " : "", al->until, al->reason);
	else if (al->resolved_on[0])
		snprintf(state, sizeof state, "raised %s, resolved %s", al->raised_on, al->resolved_on);
	else
		snprintf(state, sizeof state, "raised %s%s", al->raised_on, tui_may(a, CMD_ACK) ? "; A acknowledges it" : "");
	int ty = 0;
	tui_wrap(w, &ty, y + 1, 0, 1, cols - 2, text, A_NORMAL);
	tui_wrap(w, &ty, y + 1, 0, 1, cols - 2, state, tui_attr(R_DIM));
}

static enum action mark(struct app *a, struct screen *s)
{
	struct alerts_st *st = s->st;
	if (!st->nlines) {
		tui_msg(a, MSG_NO_SELECTION);
		return ACTION_NONE;
	}
	const struct aline *l = &st->lines[st->cur];
	struct apat *p = &st->pats[l->pat];
	if (st->nmarks && st->marks[0].it.patient_id != p->g.patient_id) {
		char m[200];
		snprintf(m, sizeof m, "One reason is for one patient's alerts: MRN %s has alerts marked (Space unmarks them).",
			 st->marks_mrn);
		tui_msg(a, MSG_TRIAGE, m);
		return ACTION_NONE;
	}
	if (l->row >= 0) {
		struct alert_row *r = &p->rows[l->row];
		if (r->it.status == EF_ALERT_RESOLVED) {
			tui_msg(a, MSG_TRIAGE, "This alert is resolved; there is nothing to acknowledge.");
			return ACTION_NONE;
		}
		if (set_mark(st, p, r, !r->marked)) {
			ef_errf(&a->err, EF_DB, "out of memory");
			tui_msg_err(a, &a->err);
			return ACTION_REDRAW;
		}
		if (st->cur + 1 < (int)st->nlines && st->lines[st->cur + 1].pat == l->pat)
			st->cur++; /* Space, Space, Space marks a patient's alerts in turn */
	} else {
		int all = 1, any = 0;
		if (pat_rows(a, st, p)) {
			tui_msg_err(a, &a->err);
			return ACTION_REDRAW;
		}
		for (size_t i = 0; i < p->nrows; i++)
			if (p->rows[i].it.status != EF_ALERT_RESOLVED) {
				any = 1;
				all &= p->rows[i].marked;
			}
		if (!any) {
			tui_msg(a, MSG_TRIAGE, "These alerts are resolved; there is nothing to acknowledge.");
			return ACTION_NONE;
		}
		for (size_t i = 0; i < p->nrows; i++)
			if (p->rows[i].it.status != EF_ALERT_RESOLVED && set_mark(st, p, &p->rows[i], !all)) {
				ef_errf(&a->err, EF_DB, "out of memory");
				tui_msg_err(a, &a->err);
				break;
			}
	}
	if (read_selected(a, st))
		tui_msg_err(a, &a->err);
	return ACTION_REDRAW;
}

/* Show or hide a patient's alerts; the selection on the patient's row
 * when hidden. */
static enum action expand(struct app *a, struct screen *s, int open)
{
	struct alerts_st *st = s->st;
	int pat = st->lines[st->cur].pat;
	struct apat *p = &st->pats[pat];
	if (set_open(st, p->g.patient_id, open)) {
		ef_errf(&a->err, EF_DB, "out of memory");
		tui_msg_err(a, &a->err);
		return ACTION_REDRAW;
	}
	if (open && pat_rows(a, st, p)) {
		tui_msg_err(a, &a->err);
		return ACTION_REDRAW;
	}
	p->expanded = open;
	while (st->cur > 0 && st->lines[st->cur].row >= 0) /* to the patient's row */
		st->cur--;
	if (rebuild_lines(a, st) || ensure(a, st) || read_selected(a, st))
		tui_msg_err(a, &a->err);
	return ACTION_REDRAW;
}

/* Home, End and every move: the window follows the selection. */
static enum action go(struct app *a, struct alerts_st *st, enum cmd cmd)
{
	int rc;
	if (cmd == CMD_HOME || cmd == CMD_END)
		rc = window_end(a, st, cmd == CMD_END);
	else
		rc = ensure(a, st);
	if (rc == EF_OK && cmd != CMD_HOME && cmd != CMD_END) {
		cursor_move(cmd, &st->cur, st->nlines, st->page > 1 ? st->page - 1 : 1);
		rc = ensure(a, st);
	}
	/* the newly selected alert, in full, for the detail lines */
	if (rc == EF_OK)
		rc = read_selected(a, st);
	if (rc)
		tui_msg_err(a, &a->err);
	return ACTION_REDRAW;
}

static enum action alerts_key(struct app *a, struct screen *s, int key, enum cmd cmd)
{
	struct alerts_st *st = s->st;
	switch (cmd) {
	case CMD_UP:
	case CMD_DOWN:
	case CMD_PAGE_UP:
	case CMD_PAGE_DOWN:
	case CMD_HOME:
	case CMD_END:
		return go(a, st, cmd);
	default:
		break;
	}
	const struct aline *l = st->nlines ? &st->lines[st->cur] : NULL;
	switch (cmd) {
	case CMD_SEARCH:
		snprintf(st->before_search, sizeof st->before_search, "%s", st->filter);
		s->mode = MODE_SEARCH;
		s->text_input = 1;
		return ACTION_REDRAW;
	case CMD_SEARCH_KEEP:
		s->mode = MODE_NORMAL;
		s->text_input = 0;
		if (!st->nlines && st->filter[0])
			tui_msg(a, MSG_TRIAGE, "No alert matches the filters. Esc clears them.");
		return ACTION_REDRAW;
	case CMD_SEARCH_CLEAR:
		s->mode = MODE_NORMAL;
		s->text_input = 0;
		st->filter[0] = '\0';
		return refilter(a, s);
	case CMD_CLEAR_FILTERS:
		if (!filtered(st))
			return ACTION_PASS; /* back */
		st->filter[0] = st->rule[0] = '\0';
		st->sev = -1;
		return refilter(a, s);
	case CMD_SEVERITY:
		st->sev = st->sev >= EF_SEV_INFO ? -1 : st->sev + 1;
		return refilter(a, s);
	case CMD_RULE: {
		/* the next rule of those in the list (sorted by name), none after the last */
		struct store_alert_filter f = the_filter(st);
		char next[40];
		if (store_alert_next_rule(a->s, &f, st->rule, next, &a->err)) {
			tui_msg_err(a, &a->err);
			return ACTION_REDRAW;
		}
		snprintf(st->rule, sizeof st->rule, "%s", next);
		return refilter(a, s);
	}
	case CMD_HISTORY:
		st->history = !st->history;
		return ACTION_RELOAD;
	case CMD_EXPAND:
	case CMD_COLLAPSE:
		if (!l)
			return ACTION_NONE;
		if (cmd == CMD_EXPAND && l->row >= 0)
			return ACTION_NONE;
		return expand(a, s, cmd == CMD_EXPAND);
	case CMD_MARK:
		return mark(a, s);
	case CMD_OPEN:
		if (!l)
			return ACTION_NONE;
		if (l->row < 0)
			return expand(a, s, !st->pats[l->pat].expanded);
		if (s->patient_id && st->pats[l->pat].g.patient_id == s->patient_id)
			return ACTION_POP; /* came from this chart */
		memset(&a->req, 0, sizeof a->req);
		a->req.ops = &chart_ops;
		a->req.patient_id = st->pats[l->pat].g.patient_id;
		return ACTION_PUSH;
	case CMD_ACK: {
		if (!l) {
			tui_msg(a, MSG_NO_SELECTION);
			return ACTION_NONE;
		}
		memset(&a->req, 0, sizeof a->req);
		a->req.ops = &ackform_ops;
		if (st->nmarks) {
			a->req.arg = 1; /* the marked alerts */
			a->req.patient_id = st->marks[0].it.patient_id;
			a->req.id = st->marks[0].it.alert_id;
			return ACTION_PUSH;
		}
		if (l->row < 0) {
			tui_msg(a, MSG_TRIAGE, "Select an alert, or mark this patient's alerts with Space, then A.");
			return ACTION_NONE;
		}
		const struct alert_row *r = &st->pats[l->pat].rows[l->row];
		if (r->it.status == EF_ALERT_RESOLVED) {
			tui_msg(a, MSG_TRIAGE, "This alert is resolved; there is nothing to acknowledge.");
			return ACTION_NONE;
		}
		a->req.patient_id = r->it.patient_id;
		a->req.id = r->it.alert_id;
		return ACTION_PUSH;
	}
	default:
		break;
	}
	if (s->mode == MODE_SEARCH) {
		int ch = tui_filter_key(st->filter, sizeof st->filter, key);
		return ch > 0 ? refilter(a, s) : ACTION_NONE; /* other keys are not global while typing */
	}
	return ACTION_PASS;
}

const struct screen_ops alerts_ops = {
	.name = "Alerts",
	.about = "Alerts raised by the rules, grouped by patient, worst first: critical, then warning, "
		 "then info, each by due date. From the patient list you see the whole clinic, one row "
		 "per patient with the counts (Enter or Right shows that patient's alerts, Enter or Left "
		 "hides them); from a chart, that patient's alerts. / filters by MRN, name or rule as you "
		 "type, s shows one severity and r one rule (in turn); Esc clears the filters, and on an "
		 "unfiltered list goes back. Space or m marks alerts of one patient (on the patient's row: "
		 "all of them); A acknowledges the marked alerts, or the selected one: a reason is "
		 "required, and an optional until date snoozes it (it comes back after that date if it "
		 "still holds). h shows the history (acknowledged and resolved alerts too). The lines at "
		 "the bottom show the selected alert in full. Enter on an alert opens the chart.",
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
	struct store_alert al;   /* the (first) alert */
	int64_t *ids;            /* the marked alerts (n > 1: one reason for all) */
	size_t n;
	struct alert_row *what;  /* their rows, as listed */
	struct alerts_st *from;  /* the list they were marked on (under this form) */
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
	/* the list under this form (the top of the stack while it opens) */
	struct screen *below = a->depth ? &a->stack[a->depth - 1] : NULL;
	if (below && below->ops == &alerts_ops)
		st->from = below->st;
	if (rq->arg == 1 && st->from) { /* the marked alerts */
		const struct alerts_st *l = st->from;
		st->n = l->nmarks;
		st->ids = malloc((st->n ? st->n : 1) * sizeof *st->ids);
		st->what = malloc((st->n ? st->n : 1) * sizeof *st->what);
		if (!st->ids || !st->what)
			return ef_errf(&a->err, EF_DB, "out of memory");
		for (size_t i = 0; i < st->n; i++) {
			st->what[i] = l->marks[i];
			st->ids[i] = l->marks[i].it.alert_id;
		}
	}
	char alert[64] = "";
	if (st->n > 1) {
		snprintf(s->title, sizeof s->title, "%zu alerts, MRN %s", st->n, st->al.mrn);
		/* a draft belongs to these alerts: their ids, or when they do not
		 * fit, their number and a 64-bit FNV-1a digest of them */
		size_t k = 0;
		uint64_t h = 0xcbf29ce484222325ull;
		for (size_t i = 0; i < st->n; i++) {
			if (k < sizeof alert)
				k += (size_t)snprintf(alert + k, sizeof alert - k, "%s%lld", i ? "," : "",
						      (long long)st->ids[i]);
			for (int b = 0; b < 8; b++)
				h = (h ^ (uint8_t)((uint64_t)st->ids[i] >> (8 * b))) * 0x100000001b3ull;
		}
		if (k >= sizeof alert)
			snprintf(alert, sizeof alert, "%zu alerts %016llx", st->n, (unsigned long long)h);
		tui_draft_slot(s, "ack", "acknowledgement form", st->al.patient_id, st->al.mrn, alert);
	} else {
		snprintf(s->title, sizeof s->title, "alert #%lld, MRN %s", (long long)st->al.alert_id, st->al.mrn);
		snprintf(alert, sizeof alert, "%lld", (long long)st->al.alert_id);
		tui_draft_slot(s, "ack", "acknowledgement form", st->al.patient_id, st->al.mrn, alert);
	}
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
	if (st->n > 1) {
		put_fmt(w, 0, 1, cols - 1, A_BOLD, "Acknowledge %zu alerts of MRN %s", st->n, st->al.mrn);
		put_text(w, 1, 1, cols - 1, "One reason for all of them: each is acknowledged and signed, all or none.",
			 tui_attr(R_DIM), 0);
		int y = f->y0 + f->n + 1, h = getmaxy(w) - 1; /* the last row: a draft's note */
		for (size_t i = 0; i < st->n && y < h; i++, y++) {
			if (y == h - 1 && i + 1 < st->n) {
				put_fmt(w, y, 3, cols - 3, tui_attr(R_DIM), "and %zu more", st->n - i);
				break;
			}
			const struct alert_row *r = &st->what[i];
			put_text(w, y, 3, 9, ef_severity_str(r->it.severity), tui_attr(tui_severity_role(r->it.severity)), 0);
			put_fmt(w, y, 13, cols - 13, A_NORMAL, "#%lld %s %s", (long long)r->it.alert_id, r->it.rule,
				r->it.subject);
		}
		fform_draw(f, a->utf8);
		return;
	}
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
	int rc = st->n > 1 ? app_ack_alerts(&env, st->ids, st->n, a->today, st->reason, st->until, &a->err)
			   : app_ack_alert(&env, st->al.alert_id, a->today, st->reason, st->until, &a->err);
	if (rc) {
		tui_msg_err(a, &a->err);
		return ACTION_REDRAW;
	}
	char until[32] = "";
	if (st->until != EF_NO_DAY)
		snprintf(until, sizeof until, " until %s", st->until_s);
	if (st->n > 1)
		tui_msg(a, MSG_ACKED_MANY, (int)st->n, st->al.mrn, until);
	else
		tui_msg(a, MSG_ACKED, st->al.rule, st->al.subject, until);
	if (st->from)
		st->from->clear_marks = 1; /* done: the list reloads without them */
	st->f.dirty = 0;
	return ACTION_POP;
}

static enum action ack_key(struct app *a, struct screen *s, int key, enum cmd cmd)
{
	(void)a;
	struct ack_st *st = s->st;
	return fform_screen_key(&st->f, st->shown, key, cmd);
}


static void ack_close(struct app *a, struct screen *s)
{
	struct ack_st *st = s->st;
	if (st) {
		free(st->ids);
		free(st->what);
	}
	fform_screen_close(a, s);
}

const struct screen_ops ackform_ops = {
	.name = "Acknowledge",
	.about = "Acknowledge an alert, or the alerts marked on the list (one patient's, with one "
		 "reason: all are acknowledged or none): say why (required). With an until date the alert stays "
		 "acknowledged through that day and comes back afterwards if it still holds; without "
		 "one it stays acknowledged until it resolves. F2 or Ctrl-S saves; Esc leaves.",
	.open = ack_open,
	.draw = ack_draw,
	.key = ack_key,
	.save = ack_save,
	.dirty = fform_screen_dirty,
	.layout = ack_layout,
	.close = ack_close,
	.help = form_keys,
};
