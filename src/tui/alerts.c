/* alerts.c - alerts grouped by patient, worst first (critical, warning,
 * info; then due date). From the patient list: the clinic's open alerts,
 * each patient a row with its counts (collapsed: Enter or Right opens it);
 * from a chart: that patient's, open. `/` filters by MRN, name or rule as
 * you type, `s` and `r` cycle a severity and a rule filter, Esc clears the
 * filters (an unfiltered list: back). `h` switches to the history (every
 * status). Space or `m` marks alerts of one patient; `A` acknowledges the
 * marked alerts (or the selected one) with one required reason and an
 * optional until date (ackform, app_ack_alerts: all or none). The selected
 * alert's full text and reason are wrapped in the lines at the bottom. */
#include <stdlib.h>
#include <string.h>

#include "engraft/alertstore.h"
#include "filter.h"
#include "tui_int.h"

enum { MODE_NORMAL = 0, MODE_SEARCH = 1 };
#define M_NORMAL (1u << MODE_NORMAL)
#define M_SEARCH (1u << MODE_SEARCH)

/* A list row: what the list shows (44,000 open alerts in a 10,000-patient
 * clinic: a full store_alert each, 2 KB of message and reason, was 120 MB).
 * The selected alert is read in full (sel) when the selection moves. */
struct alert_row {
	int64_t alert_id, patient_id;
	int pat;                 /* index into alerts_st.pats */
	char rule[40];
	char subject[32];
	enum ef_severity severity;
	enum ef_alert_status status;
	char due_on[11];
	int marked;
	int shown;               /* passes the filters */
};

/* A patient with alerts in the list (a group). */
struct apat {
	int64_t patient_id;
	char mrn[64];
	char name[260];          /* "Family, Given" */
	int expanded;
	int n, n_sev[3];         /* alerts that pass the filters, by severity */
	int marked;
};

/* A line of the list: a patient's row (row < 0) or one of its alerts. */
struct aline {
	int pat, row;
};

struct alerts_st {
	struct alert_row *rows;
	size_t n, cap;
	struct apat *pats;
	size_t npat, patcap;
	struct aline *lines;
	size_t nlines, linecap;
	struct store_alert sel;  /* the selected alert in full (sel.alert_id 0: none read) */
	int cur, scroll;
	int history;             /* every status, not only open */
	char mrn[64];            /* patient scope, "" = clinic */
	char filter[128];        /* `/`: MRN, name or rule */
	char before_search[128];
	int sev;                 /* -1: every severity */
	char rule[40];           /* "": every rule */
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

#define COPY(dst, src) snprintf((dst), sizeof(dst), "%s", (src))

static int filtered(const struct alerts_st *st)
{
	return st->filter[0] || st->sev >= 0 || st->rule[0];
}

/* ---- the patients of the rows: an open-addressing table by id ---- */
struct pat_index {
	int *slot;               /* pats index + 1, 0: empty */
	size_t size;             /* a power of two */
};

static int pat_find(const struct apat *pats, const struct pat_index *ix, int64_t id, size_t *at)
{
	size_t h = (size_t)((uint64_t)id * 0x9E3779B97F4A7C15ull) & (ix->size - 1);
	while (ix->slot[h]) {
		if (pats[ix->slot[h] - 1].patient_id == id) {
			*at = h;
			return ix->slot[h] - 1;
		}
		h = (h + 1) & (ix->size - 1);
	}
	*at = h;
	return -1;
}

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
	memset(r, 0, sizeof *r);
	r->alert_id = al->alert_id;
	r->patient_id = al->patient_id;
	r->pat = -1;
	COPY(r->rule, al->rule);
	COPY(r->subject, al->subject);
	r->severity = al->severity;
	r->status = al->status;
	COPY(r->due_on, al->due_on);
	return EF_OK;
}

/* The patients of the rows, in the order of their worst alert (the rows
 * come worst first), with their names; expanded and marks kept from the
 * old lists by id. */
static int group(struct app *a, struct alerts_st *st, struct apat *old, size_t nold, const int64_t *marks,
		 size_t nmarks)
{
	struct pat_index ix = {NULL, 16}, ox = {NULL, 16};
	while (ix.size < 2 * st->n + 16)
		ix.size *= 2;
	while (ox.size < 2 * nold + 16)
		ox.size *= 2;
	ix.slot = calloc(ix.size, sizeof *ix.slot);
	ox.slot = calloc(ox.size, sizeof *ox.slot);
	if (!ix.slot || !ox.slot) {
		free(ix.slot);
		free(ox.slot);
		return ef_errf(&a->err, EF_DB, "out of memory");
	}
	for (size_t k = 0; k < nold; k++) {
		size_t at;
		if (pat_find(old, &ox, old[k].patient_id, &at) < 0)
			ox.slot[at] = (int)k + 1;
	}
	int rc = EF_OK;
	st->npat = 0;
	for (size_t i = 0; i < st->n && rc == EF_OK; i++) {
		struct alert_row *r = &st->rows[i];
		size_t at;
		int p = pat_find(st->pats, &ix, r->patient_id, &at);
		if (p < 0) {
			if (st->npat == st->patcap) {
				size_t cap = st->patcap ? st->patcap * 2 : 32;
				struct apat *np = realloc(st->pats, cap * sizeof *np);
				if (!np) {
					rc = ef_errf(&a->err, EF_DB, "out of memory");
					break;
				}
				st->pats = np;
				st->patcap = cap;
			}
			struct apat *ap = &st->pats[st->npat];
			memset(ap, 0, sizeof *ap);
			ap->patient_id = r->patient_id;
			struct ef_patient pt;
			if ((rc = store_patient_get(a->s, r->patient_id, &pt, &a->err)))
				break;
			COPY(ap->mrn, pt.mrn);
			snprintf(ap->name, sizeof ap->name, "%s, %s", pt.family_name, pt.given_name);
			size_t oat;
			int o = pat_find(old, &ox, r->patient_id, &oat);
			ap->expanded = o >= 0 ? old[o].expanded : st->mrn[0] != 0; /* one patient's list: open */
			p = (int)st->npat++;
			ix.slot[at] = p + 1;
		}
		r->pat = p;
		for (size_t k = 0; k < nmarks; k++)
			if (marks[k] == r->alert_id && r->status != EF_ALERT_RESOLVED)
				r->marked = 1;
	}
	free(ix.slot);
	free(ox.slot);
	return rc;
}

static int line_key_eq(const struct alerts_st *st, const struct aline *l, int64_t key)
{
	return l->row >= 0 ? st->rows[l->row].alert_id == key : -st->pats[l->pat].patient_id == key;
}

static int64_t line_key(const struct alerts_st *st, const struct aline *l)
{
	return l->row >= 0 ? st->rows[l->row].alert_id : -st->pats[l->pat].patient_id;
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

static int push_line(struct alerts_st *st, int pat, int row)
{
	if (st->nlines == st->linecap) {
		size_t cap = st->linecap ? st->linecap * 2 : 64;
		struct aline *l = realloc(st->lines, cap * sizeof *l);
		if (!l)
			return -1;
		st->lines = l;
		st->linecap = cap;
	}
	st->lines[st->nlines].pat = pat;
	st->lines[st->nlines].row = row;
	st->nlines++;
	return 0;
}

/* Which rows pass the filters, the patients' counts, the lines (each
 * patient's row, then its alerts when expanded, in the order of the
 * patients' worst alerts); the selection on the first of `want` still
 * listed. A mark on a row the filters hide is dropped. */
static int rebuild(struct app *a, struct alerts_st *st, const int64_t *want, size_t nwant)
{
	for (size_t p = 0; p < st->npat; p++) {
		struct apat *ap = &st->pats[p];
		ap->n = ap->marked = 0;
		memset(ap->n_sev, 0, sizeof ap->n_sev);
	}
	for (size_t i = 0; i < st->n; i++) {
		struct alert_row *r = &st->rows[i];
		struct apat *ap = &st->pats[r->pat];
		const char *texts[] = {ap->mrn, ap->name, r->rule};
		r->shown = (st->sev < 0 || (int)r->severity == st->sev) && (!st->rule[0] || strcmp(r->rule, st->rule) == 0) &&
			   tui_filter_match(st->filter, texts, NELEM(texts));
		if (!r->shown) {
			r->marked = 0;
			continue;
		}
		ap->n++;
		if ((unsigned)r->severity < 3)
			ap->n_sev[r->severity]++;
		ap->marked += r->marked;
	}
	/* rows are worst first: each patient's alerts in that order */
	int *next = malloc((st->n ? st->n : 1) * sizeof *next), *first = malloc((st->npat ? st->npat : 1) * sizeof *first),
	    *last = malloc((st->npat ? st->npat : 1) * sizeof *last);
	if (!next || !first || !last) {
		free(next);
		free(first);
		free(last);
		return ef_errf(&a->err, EF_DB, "out of memory");
	}
	for (size_t p = 0; p < st->npat; p++)
		first[p] = last[p] = -1;
	for (size_t i = 0; i < st->n; i++) {
		next[i] = -1;
		if (!st->rows[i].shown)
			continue;
		int p = st->rows[i].pat;
		if (last[p] < 0)
			first[p] = (int)i;
		else
			next[last[p]] = (int)i;
		last[p] = (int)i;
	}
	st->nlines = 0;
	int rc = EF_OK;
	for (size_t p = 0; p < st->npat && rc == EF_OK; p++) { /* pats are in the order of their worst alert */
		if (first[p] < 0)
			continue;
		if (push_line(st, (int)p, -1))
			rc = ef_errf(&a->err, EF_DB, "out of memory");
		for (int i = first[p]; rc == EF_OK && st->pats[p].expanded && i >= 0; i = next[i])
			if (push_line(st, (int)p, i))
				rc = ef_errf(&a->err, EF_DB, "out of memory");
	}
	free(next);
	free(first);
	free(last);
	if (rc)
		return rc;
	st->cur = 0;
	for (size_t k = 0; k < nwant; k++) {
		int found = -1;
		for (size_t i = 0; i < st->nlines && found < 0; i++)
			if (line_key_eq(st, &st->lines[i], want[k]))
				found = (int)i;
		if (found >= 0) {
			st->cur = found;
			break;
		}
	}
	return EF_OK;
}

static const struct alert_row *cur_row(const struct alerts_st *st)
{
	if (!st->nlines || st->lines[st->cur].row < 0)
		return NULL;
	return &st->rows[st->lines[st->cur].row];
}

/* Read the selected alert in full for the detail lines, if not read yet. */
static int read_selected(struct app *a, struct alerts_st *st)
{
	const struct alert_row *r = cur_row(st);
	if (!r) {
		st->sel.alert_id = 0;
		return EF_OK;
	}
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

static void set_title(struct screen *s, const struct alerts_st *st)
{
	size_t shown = 0;
	for (size_t i = 0; i < st->n; i++)
		shown += st->rows[i].shown;
	int n = snprintf(s->title, sizeof s->title, "%s%s, %zu %s", st->mrn[0] ? "MRN " : "clinic", st->mrn, st->n,
			 st->history ? "in the history" : "open");
	if (filtered(st) && n > 0 && (size_t)n < sizeof s->title)
		snprintf(s->title + n, sizeof s->title - (size_t)n, ", %zu shown", shown);
}

/* The lines again after a filter changed (no database). */
static enum action refilter(struct app *a, struct screen *s)
{
	struct alerts_st *st = s->st;
	int64_t want[NEAR];
	size_t nwant = near_keys(st, want);
	if (rebuild(a, st, want, nwant) || read_selected(a, st))
		tui_msg_err(a, &a->err);
	set_title(s, st);
	return ACTION_REDRAW;
}

static int alerts_load(struct app *a, struct screen *s)
{
	struct alerts_st *st = s->st;
	int64_t want[NEAR];
	size_t nwant = near_keys(st, want);
	/* the marks, by alert id (the ack form clears them once it saved) */
	int64_t *marks = NULL;
	size_t nmarks = 0;
	if (!st->clear_marks) {
		for (size_t i = 0; i < st->n; i++)
			nmarks += st->rows[i].marked != 0;
		if (nmarks && !(marks = malloc(nmarks * sizeof *marks)))
			return ef_errf(&a->err, EF_DB, "out of memory");
		nmarks = 0;
		for (size_t i = 0; i < st->n; i++)
			if (st->rows[i].marked)
				marks[nmarks++] = st->rows[i].alert_id;
	}
	st->clear_marks = 0;
	struct apat *old = st->pats;
	size_t nold = st->npat;
	st->pats = NULL;
	st->npat = st->patcap = 0;
	st->n = 0;
	st->nlines = 0;
	st->cur = 0;
	int rc = store_alerts_each(a->s, a->today, st->mrn[0] ? st->mrn : NULL,
				   STORE_ALERTS_BY_SEVERITY | (st->history ? STORE_ALERTS_ALL : 0), add, st, &a->err);
	if (rc == EF_OK)
		rc = group(a, st, old, nold, marks, nmarks);
	free(old);
	free(marks);
	if (rc == EF_OK)
		rc = rebuild(a, st, want, nwant);
	if (rc) {
		st->n = st->npat = st->nlines = 0;
		return rc;
	}
	st->sel.alert_id = 0; /* re-read: it may have been acknowledged */
	if ((rc = read_selected(a, st)))
		return rc;
	set_title(s, st);
	return EF_OK;
}

static int alerts_open(struct app *a, struct screen *s, const struct request *rq)
{
	struct alerts_st *st = calloc(1, sizeof *st);
	if (!st)
		return ef_errf(&a->err, EF_DB, "out of memory");
	s->st = st;
	s->patient_id = rq->patient_id;
	st->sev = -1;
	if (rq->patient_id) {
		struct ef_patient p;
		int rc = store_patient_get(a->s, rq->patient_id, &p, &a->err);
		if (rc)
			return rc;
		snprintf(st->mrn, sizeof st->mrn, "%s", p.mrn);
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
		free(st->rows);
		free(st->pats);
		free(st->lines);
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
	snprintf(who, sizeof who, "%s  MRN %s  ", ap->name, ap->mrn);
	x += put_text(w, y, x, cols - x, who, ra, 0);
	char counts[120];
	int k = snprintf(counts, sizeof counts, "%d alert%s", ap->n, ap->n == 1 ? "" : "s");
	/* "(1 critical, 2 warning)": every severity present */
	for (int v = EF_SEV_CRITICAL, said = 0; v <= EF_SEV_INFO; v++)
		if (ap->n_sev[v])
			k += snprintf(counts + k, sizeof counts - (size_t)k, "%s%d %s", said++ ? ", " : " (", ap->n_sev[v],
				      ef_severity_str((enum ef_severity)v));
	if (ap->n)
		snprintf(counts + k, sizeof counts - (size_t)k, ")");
	char marked[32] = "";
	if (ap->marked)
		snprintf(marked, sizeof marked, "%d marked", ap->marked);
	if (marked[0] && x + text_width(counts) + 2 + text_width(marked) > cols)
		snprintf(counts, sizeof counts, "%d alert%s", ap->n, ap->n == 1 ? "" : "s"); /* the marks matter more */
	enum ef_severity worst = ap->n_sev[EF_SEV_CRITICAL] ? EF_SEV_CRITICAL
				 : ap->n_sev[EF_SEV_WARNING] ? EF_SEV_WARNING : EF_SEV_INFO;
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
		const char *none = st->n && filtered(st) ? "No alert matches the filters. Esc clears them."
				   : st->history			 ? "No alerts at all."
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
		const struct alert_row *al = &st->rows[l->row];
		attr_t ra = sel ? tui_attr(R_SELECTED) : A_NORMAL;
		fill_line(w, y, ra);
		if (al->marked)
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
	if (l->row < 0) {
		const struct apat *ap = &st->pats[l->pat];
		draw_rule(w, y, "Selected patient", a->utf8);
		char text[1200];
		size_t k = (size_t)snprintf(text, sizeof text, "%s, MRN %s:", ap->name, ap->mrn);
		for (size_t i = 0; i < st->n && k < sizeof text; i++) {
			const struct alert_row *r = &st->rows[i];
			if (r->pat == l->pat && r->shown)
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
	if (al->alert_id != st->rows[l->row].alert_id)
		return;
	char text[1400], state[1400];
	snprintf(text, sizeof text, "#%lld %s %s: %s", (long long)al->alert_id, al->mrn, st->pats[l->pat].name,
		 al->message);
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

/* The index of the first marked row of another patient than pat, or -1. */
static int marked_elsewhere(const struct alerts_st *st, int pat)
{
	for (size_t i = 0; i < st->n; i++)
		if (st->rows[i].marked && st->rows[i].pat != pat)
			return (int)i;
	return -1;
}

static enum action mark(struct app *a, struct screen *s)
{
	struct alerts_st *st = s->st;
	if (!st->nlines) {
		tui_msg(a, MSG_NO_SELECTION);
		return ACTION_NONE;
	}
	const struct aline *l = &st->lines[st->cur];
	int other = marked_elsewhere(st, l->pat);
	if (other >= 0) {
		char m[200];
		snprintf(m, sizeof m, "One reason is for one patient's alerts: MRN %s has alerts marked (Space unmarks them).",
			 st->pats[st->rows[other].pat].mrn);
		tui_msg(a, MSG_TRIAGE, m);
		return ACTION_NONE;
	}
	if (l->row >= 0) {
		struct alert_row *r = &st->rows[l->row];
		if (r->status == EF_ALERT_RESOLVED) {
			tui_msg(a, MSG_TRIAGE, "This alert is resolved; there is nothing to acknowledge.");
			return ACTION_NONE;
		}
		r->marked = !r->marked;
		if (st->cur + 1 < (int)st->nlines && st->lines[st->cur + 1].pat == l->pat)
			st->cur++; /* Space, Space, Space marks a patient's alerts in turn */
	} else {
		int all = 1, any = 0;
		for (size_t i = 0; i < st->n; i++) {
			const struct alert_row *r = &st->rows[i];
			if (r->pat == l->pat && r->shown && r->status != EF_ALERT_RESOLVED) {
				any = 1;
				all &= r->marked;
			}
		}
		if (!any) {
			tui_msg(a, MSG_TRIAGE, "These alerts are resolved; there is nothing to acknowledge.");
			return ACTION_NONE;
		}
		for (size_t i = 0; i < st->n; i++) {
			struct alert_row *r = &st->rows[i];
			if (r->pat == l->pat && r->shown && r->status != EF_ALERT_RESOLVED)
				r->marked = !all;
		}
	}
	return refilter(a, s);
}

/* The next rule of those in the list (sorted by name), "" after the last. */
static void next_rule(struct alerts_st *st)
{
	const char *best = NULL;
	for (size_t i = 0; i < st->n; i++) {
		const char *r = st->rows[i].rule;
		if (strcmp(r, st->rule) > 0 && (!best || strcmp(r, best) < 0))
			best = r;
	}
	snprintf(st->rule, sizeof st->rule, "%s", best ? best : "");
}

static enum action alerts_key(struct app *a, struct screen *s, int key, enum cmd cmd)
{
	struct alerts_st *st = s->st;
	if (cursor_move(cmd, &st->cur, st->nlines, st->page > 1 ? st->page - 1 : 1)) {
		/* the newly selected alert, in full, for the detail lines */
		if (read_selected(a, st))
			tui_msg_err(a, &a->err);
		return ACTION_REDRAW;
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
	case CMD_RULE:
		next_rule(st);
		return refilter(a, s);
	case CMD_HISTORY:
		st->history = !st->history;
		return ACTION_RELOAD;
	case CMD_EXPAND:
	case CMD_COLLAPSE:
		if (!l)
			return ACTION_NONE;
		if (cmd == CMD_EXPAND && l->row >= 0)
			return ACTION_NONE;
		st->pats[l->pat].expanded = cmd == CMD_EXPAND;
		if (cmd == CMD_COLLAPSE) { /* to the patient's row */
			while (st->cur > 0 && st->lines[st->cur].row >= 0)
				st->cur--;
		}
		return refilter(a, s);
	case CMD_MARK:
		return mark(a, s);
	case CMD_OPEN:
		if (!l)
			return ACTION_NONE;
		if (l->row < 0) {
			st->pats[l->pat].expanded = !st->pats[l->pat].expanded;
			return refilter(a, s);
		}
		if (s->patient_id && st->rows[l->row].patient_id == s->patient_id)
			return ACTION_POP; /* came from this chart */
		memset(&a->req, 0, sizeof a->req);
		a->req.ops = &chart_ops;
		a->req.patient_id = st->rows[l->row].patient_id;
		return ACTION_PUSH;
	case CMD_ACK: {
		if (!l) {
			tui_msg(a, MSG_NO_SELECTION);
			return ACTION_NONE;
		}
		int first = marked_elsewhere(st, -1);
		memset(&a->req, 0, sizeof a->req);
		a->req.ops = &ackform_ops;
		if (first >= 0) {
			a->req.arg = 1; /* the marked alerts */
			a->req.patient_id = st->rows[first].patient_id;
			a->req.id = st->rows[first].alert_id;
			return ACTION_PUSH;
		}
		if (l->row < 0) {
			tui_msg(a, MSG_TRIAGE, "Select an alert, or mark this patient's alerts with Space, then A.");
			return ACTION_NONE;
		}
		if (st->rows[l->row].status == EF_ALERT_RESOLVED) {
			tui_msg(a, MSG_TRIAGE, "This alert is resolved; there is nothing to acknowledge.");
			return ACTION_NONE;
		}
		a->req.patient_id = st->rows[l->row].patient_id;
		a->req.id = st->rows[l->row].alert_id;
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
		for (size_t i = 0; i < l->n; i++)
			st->n += l->rows[i].marked != 0;
		st->ids = malloc((st->n ? st->n : 1) * sizeof *st->ids);
		st->what = malloc((st->n ? st->n : 1) * sizeof *st->what);
		if (!st->ids || !st->what)
			return ef_errf(&a->err, EF_DB, "out of memory");
		st->n = 0;
		for (size_t i = 0; i < l->n; i++)
			if (l->rows[i].marked) {
				st->what[st->n] = l->rows[i];
				st->ids[st->n++] = l->rows[i].alert_id;
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
			put_text(w, y, 3, 9, ef_severity_str(r->severity), tui_attr(tui_severity_role(r->severity)), 0);
			put_fmt(w, y, 13, cols - 13, A_NORMAL, "#%lld %s %s", (long long)r->alert_id, r->rule, r->subject);
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
