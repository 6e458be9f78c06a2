/* followups.c - the follow-up worklist (issue 16; docs/clinical-rules.md
 * s.19): late-effects screening items and registry forms, from the core's
 * calendar (followup.h).
 *
 * Clinic-wide (f from the patient list): every patient's time points
 * overdue, due now and coming due within 31 days ("this month": what a
 * data manager submits), read by pages from the kept calendars (wlpage.c,
 * as the vaccination worklist). From a chart: that patient's plan - also every
 * later next time point and those done since day 0. `r` records the
 * selected time point done (the followups form: date and note, through
 * app_enter_record like every record form); Enter opens the chart (clinic
 * list); `/` filters by MRN, name, item or time point as you type, `d`
 * shows every row, the overdue, those due now or those coming due (in
 * turn), as on the vaccination worklist; Esc clears the filters (an
 * unfiltered list: back). The selected row in full
 * is at the bottom. */
#include <stdlib.h>
#include <string.h>

#include "engraft/followup.h"
#include "engraft/timeline.h"
#include "filter.h"
#include "tui_int.h"
#include "wlpage.h"

enum { MODE_NORMAL = 0, MODE_SEARCH = 1 };
#define M_NORMAL (1u << MODE_NORMAL)
#define M_SEARCH (1u << MODE_SEARCH)

#define SOON_DAYS 31 /* the clinic list's "coming due": this month */

enum fstatus { FS_OVERDUE = 0, FS_DUE, FS_SOON, FS_UPCOMING, FS_DONE, FS_COUNT };
static const char *const section_names[FS_COUNT] = {"Overdue", "Due now", "Coming due within 31 days", "Later",
						    "Done since the transplant"};
static const char *const status_words[FS_COUNT] = {"overdue", "due", "coming due", "upcoming", "done"};
static const enum role section_roles[FS_COUNT] = {R_OVERDUE, R_DUE, R_DUE, R_UPCOMING, R_DIM};

/* d: which rows the list shows */
enum fshow { SHOW_ALL = 0, SHOW_OVERDUE, SHOW_DUE, SHOW_SOON, SHOW_COUNT };
static const char *const show_names[SHOW_COUNT] = {"", "overdue", "due now", "coming due within 31 days"};

/* MRN and name are kept once per patient in the text arena (offsets): a
 * large clinic has many rows per patient. */
struct frow {
	enum fstatus status;
	int64_t patient_id;
	uint32_t mrn, name;      /* offsets into fu_st.text */
	char item[EF_ITEM_LEN];
	char tp[12];
	ef_day due_on, done_on;
	char reason[804];        /* kept: at most 200 characters */
};

struct fu_st {
	struct frow *rows;
	size_t n, cap;
	char *text;
	size_t text_n, text_cap;
	size_t *vis;
	size_t nvis;
	int cur, scroll;
	char filter[128];
	enum fshow show;
	int calendar;            /* the reference data is available */
	int loaded;
	int touched;             /* something may have changed: load again */
	int64_t touched_patient; /* clinic list: the row's patient and item then */
	char touched_item[EF_ITEM_LEN];
	/* the clinic list: a window of the kept calendars read by pages
	 * (wlpage.h); rows and vis above are a copy of the window */
	struct wlpage pg;
	int paged;
};

/* The sections of the clinic list (worklist.h) each `d` shows. */
static const unsigned show_sections[SHOW_COUNT] = {
	(1u << STORE_WL_OVERDUE) | (1u << STORE_WL_DUE) | (1u << STORE_WL_SOON), 1u << STORE_WL_OVERDUE,
	1u << STORE_WL_DUE, 1u << STORE_WL_SOON};
static const enum fstatus section_status[STORE_WL_SECTIONS] = {FS_OVERDUE, FS_DUE, FS_SOON, FS_UPCOMING};

static const struct keybind keys[] = {
	{{'r'}, "r", CMD_DONE, "Done", "record the selected time point done (date, note)", M_NORMAL},
	{{'\n', '\r', K(KEY_ENTER)}, "Enter", CMD_OPEN, "Chart", "open the selected patient's chart (clinic list)",
	 M_NORMAL},
	{{'/'}, "/", CMD_SEARCH, "Search",
	 "filter by MRN, name, item or time point as you type (Enter keeps, Esc clears)", M_NORMAL},
	{{'d'}, "d", CMD_FILTER, "Due", "show every row, the overdue, those due now or those coming due (in turn)",
	 M_NORMAL},
	{{KEY_ESCAPE}, "Esc", CMD_CLEAR_FILTERS, NULL, "clear the filters; with none, back", M_NORMAL},
	{{'\n', '\r', K(KEY_ENTER)}, "Enter", CMD_SEARCH_KEEP, "Keep", "while typing a search: keep it, back to the list",
	 M_SEARCH},
	{{KEY_ESCAPE}, "Esc", CMD_SEARCH_CLEAR, "Clear", "while typing a search: clear it", M_SEARCH},
	{{K(KEY_UP), 'k'}, "Up/k", CMD_UP, NULL, "previous row", M_NORMAL},
	{{K(KEY_DOWN), 'j'}, "Down/j", CMD_DOWN, NULL, "next row", M_NORMAL},
	{{K(KEY_UP)}, "Up", CMD_UP, NULL, NULL, M_SEARCH},
	{{K(KEY_DOWN)}, "Down", CMD_DOWN, NULL, NULL, M_SEARCH},
	{{K(KEY_PPAGE)}, "PgUp", CMD_PAGE_UP, NULL, "previous page", 0},
	{{K(KEY_NPAGE), ' '}, "PgDn", CMD_PAGE_DOWN, NULL, "next page (also Space)", M_NORMAL},
	{{K(KEY_NPAGE)}, "PgDn", CMD_PAGE_DOWN, NULL, NULL, M_SEARCH},
	{{K(KEY_HOME)}, "Home", CMD_HOME, NULL, "first row", M_NORMAL},
	{{K(KEY_END)}, "End", CMD_END, NULL, "last row", M_NORMAL},
	KEYS_END,
};

static const char *txt(const struct fu_st *st, uint32_t off)
{
	return st->text + off;
}

static int revis(struct app *a, struct fu_st *st, size_t keep)
{
	size_t *v = realloc(st->vis, (st->n ? st->n : 1) * sizeof *v);
	if (!v)
		return ef_errf(&a->err, EF_DB, "out of memory");
	st->vis = v;
	st->nvis = 0;
	st->cur = -1;
	for (size_t i = 0; i < st->n; i++) {
		const struct frow *r = &st->rows[i];
		const char *texts[] = {txt(st, r->mrn), txt(st, r->name), r->item, r->tp};
		if ((st->show == SHOW_OVERDUE && r->status != FS_OVERDUE) || (st->show == SHOW_DUE && r->status != FS_DUE) ||
		    (st->show == SHOW_SOON && r->status != FS_SOON))
			continue;
		if (!tui_filter_match(st->filter, texts, NELEM(texts)))
			continue;
		if (st->cur < 0 && i >= keep)
			st->cur = (int)st->nvis;
		st->vis[st->nvis++] = i;
	}
	if (st->cur < 0)
		st->cur = st->nvis ? (int)st->nvis - 1 : 0;
	return EF_OK;
}

static size_t sel_row(const struct fu_st *st)
{
	return st->nvis ? st->vis[st->cur] : st->n;
}

static int intern(struct fu_st *st, const char *str, uint32_t *off)
{
	size_t n = strlen(str) + 1;
	if (st->text_n + n > st->text_cap) {
		size_t cap = st->text_cap ? st->text_cap * 2 : 4096;
		while (cap < st->text_n + n)
			cap *= 2;
		if (cap > UINT32_MAX)
			return -1;
		char *t = realloc(st->text, cap);
		if (!t)
			return -1;
		st->text = t;
		st->text_cap = cap;
	}
	memcpy(st->text + st->text_n, str, n);
	*off = (uint32_t)st->text_n;
	st->text_n += n;
	return 0;
}

struct fc_ctx {
	struct app *a;
	struct fu_st *st;
	const struct ef_reference *ref;
	struct ef_fu_list l;
	int plan;                /* a chart's plan: also later and done time points */
};

static int add_calendar(void *ctx, const struct ef_timeline *tl, struct ef_err *err)
{
	struct fc_ctx *c = ctx;
	struct fu_st *st = c->st;
	ef_day today = c->a->today;
	int rc = ef_followup_calendar(tl, c->ref, today, &c->l, err);
	if (rc)
		return rc;
	uint32_t mrn = 0, name = 0;
	int named = 0;
	for (size_t i = 0; i < c->l.n; i++) {
		const struct ef_fu_entry *e = &c->l.v[i];
		enum fstatus fs;
		switch (e->status) {
		case EF_FU_OVERDUE:
			fs = FS_OVERDUE;
			break;
		case EF_FU_DUE:
			fs = FS_DUE;
			break;
		case EF_FU_DONE:
			if (!c->plan)
				continue;
			fs = FS_DONE;
			break;
		default:
			if (e->due_on <= today + SOON_DAYS)
				fs = FS_SOON;
			else if (c->plan)
				fs = FS_UPCOMING;
			else
				continue;
		}
		if (!named) {
			char full[300];
			snprintf(full, sizeof full, "%s, %s", tl->patient.family_name, tl->patient.given_name);
			if (intern(st, tl->patient.mrn, &mrn) || intern(st, full, &name))
				return ef_errf(err, EF_DB, "out of memory");
			named = 1;
		}
		if (st->n == st->cap) {
			size_t cap = st->cap ? st->cap * 2 : 64;
			struct frow *r = realloc(st->rows, cap * sizeof *r);
			if (!r)
				return ef_errf(err, EF_DB, "out of memory");
			st->rows = r;
			st->cap = cap;
		}
		struct frow *r = &st->rows[st->n++];
		memset(r, 0, sizeof *r);
		r->status = fs;
		r->patient_id = tl->patient.id;
		r->mrn = mrn;
		r->name = name;
		snprintf(r->item, sizeof r->item, "%s", e->item);
		snprintf(r->tp, sizeof r->tp, "%s", e->time_point);
		snprintf(r->reason, sizeof r->reason, "%s", e->reason);
		r->due_on = e->due_on;
		r->done_on = e->done_on;
	}
	return EF_OK;
}

static const char *sort_text;

static int cmp_rows(const void *x, const void *y)
{
	const struct frow *a = x, *b = y;
	if (a->status != b->status)
		return (int)a->status - (int)b->status;
	if (a->due_on != b->due_on)
		return a->due_on < b->due_on ? -1 : 1;
	int c = strcmp(sort_text + a->name, sort_text + b->name);
	if (c)
		return c;
	if (a->patient_id != b->patient_id)
		return a->patient_id < b->patient_id ? -1 : 1;
	c = strcmp(a->item, b->item);
	return c ? c : strcmp(a->tp, b->tp);
}

/* ---- the clinic list: pages of the kept calendars ---- */

static int fit(char *dst, size_t size, const char *src, struct ef_err *err)
{
	size_t n = strlen(src);
	if (n >= size)
		return ef_errf(err, EF_DB, "a kept follow-up value is longer than %zu bytes", size - 1);
	memcpy(dst, src, n + 1);
	return EF_OK;
}

/* The window's rows as the screen's rows (the drawing reads those). */
static int from_page(struct app *a, struct fu_st *st)
{
	st->n = 0;
	st->text_n = 0;
	size_t need = st->pg.n ? st->pg.n : 1;
	if (need > st->cap) {
		struct frow *r = realloc(st->rows, need * sizeof *r);
		if (!r)
			return ef_errf(&a->err, EF_DB, "out of memory");
		st->rows = r;
		st->cap = need;
	}
	size_t *v = realloc(st->vis, need * sizeof *v);
	if (!v)
		return ef_errf(&a->err, EF_DB, "out of memory");
	st->vis = v;
	for (size_t i = 0; i < st->pg.n; i++) {
		const struct store_wl_row *w = &st->pg.rows[i];
		struct frow *r = &st->rows[st->n++];
		memset(r, 0, sizeof *r);
		if (intern(st, w->mrn, &r->mrn) || intern(st, w->name, &r->name))
			return ef_errf(&a->err, EF_DB, "out of memory");
		int rc = fit(r->item, sizeof r->item, w->code, &a->err);
		if (rc == EF_OK)
			rc = fit(r->tp, sizeof r->tp, w->time_point, &a->err);
		if (rc == EF_OK)
			rc = fit(r->reason, sizeof r->reason, w->reason, &a->err);
		if (rc)
			return rc;
		r->status = section_status[w->key.sec];
		r->patient_id = w->key.patient_id;
		r->due_on = w->due_on;
		r->done_on = w->done_on;
		st->vis[i] = i;
	}
	st->nvis = st->pg.n;
	st->cur = st->pg.cur;
	return EF_OK;
}

/* The filters again (the typed words and d), the selection on row `at`
 * (NULL: the first row) or the first shown after it. */
static int clinic_refilter(struct app *a, struct fu_st *st, const struct store_wl_key *at)
{
	struct store_wl_key k;
	if (at)
		k = *at;
	int rc = wlpage_set(&st->pg, a->s, st->filter, show_sections[st->show], 0, &a->err);
	if (rc == EF_OK)
		rc = wlpage_around(&st->pg, a->s, at ? &k : NULL, &a->err);
	return rc ? rc : from_page(a, st);
}

/* Open, or back from a chart or the form: the kept calendars brought up to
 * today (app_forecasts_refresh), the counts again, and the window at the
 * same patient's next row of the same item if listed, else where the
 * selection was. */
static int clinic_load(struct app *a, struct screen *s)
{
	struct fu_st *st = s->st;
	snprintf(s->title, sizeof s->title, "clinic");
	if (st->paged && !st->touched)
		return EF_OK;
	/* without the reference data: the kept rows as they are, and the
	 * warning line says why they may be stale */
	struct app_env env;
	int rc = EF_OK;
	st->calendar = tui_env(a, &env) == EF_OK;
	if (st->calendar && (rc = app_forecasts_refresh(&env, &a->err)))
		return rc;
	st->touched = 0;
	if (!st->paged) {
		int page = a->body ? getmaxy(a->body) : 24;
		if ((rc = wlpage_init(&st->pg, STORE_WL_FOLLOWUPS, a->today, show_sections[st->show],
				      (size_t)(page > 0 ? page : 24), &a->err)))
			return rc;
		st->paged = 1;
		st->loaded = 1;
		return clinic_refilter(a, st, NULL);
	}
	const struct store_wl_row *sel = wlpage_sel(&st->pg);
	struct store_wl_key at, same;
	int had = sel != NULL, found = 0;
	if (had)
		at = sel->key;
	if ((rc = wlpage_set(&st->pg, a->s, st->filter, show_sections[st->show], 1, &a->err)))
		return rc;
	if (st->touched_patient && st->touched_item[0] &&
	    (rc = store_wl_find(a->s, &st->pg.q, st->touched_patient, st->touched_item, &same, &found, &a->err)))
		return rc;
	st->touched_patient = 0;
	st->touched_item[0] = '\0';
	rc = wlpage_around(&st->pg, a->s, found ? &same : had ? &at : NULL, &a->err);
	return rc ? rc : from_page(a, st);
}

static int fu_load(struct app *a, struct screen *s)
{
	struct fu_st *st = s->st;
	if (!s->patient_id)
		return clinic_load(a, s);
	if (st->loaded && !st->touched)
		return EF_OK;
	size_t at = sel_row(st);
	struct frow was;
	int had = st->nvis && at < st->n;
	if (had)
		was = st->rows[at];
	st->n = st->text_n = st->nvis = 0;
	st->loaded = 1;
	st->touched = 0;
	struct fc_ctx fc = {a, st, tui_reference(a), {0}, s->patient_id != 0};
	st->calendar = fc.ref != NULL;
	ef_fu_list_init(&fc.l);
	int rc = EF_OK;
	{
		struct ef_timeline tl;
		ef_timeline_init(&tl);
		rc = store_load_timeline_parts(a->s, s->patient_id, a->today, STORE_TL_FOLLOWUPS, &tl, &a->err);
		if (rc == EF_OK && fc.ref)
			rc = add_calendar(&fc, &tl, &a->err);
		fmt_patient(&tl.patient, s->title, sizeof s->title);
		ef_timeline_free(&tl);
	}
	ef_fu_list_free(&fc.l);
	if (rc)
		return rc;
	if (st->n) {
		sort_text = st->text;
		qsort(st->rows, st->n, sizeof st->rows[0], cmp_rows);
		sort_text = NULL;
	}
	size_t keep = had ? st->n : 0;
	if (had) /* the same patient's next row of the same item, or the place */
		for (size_t i = 0; i < st->n && keep == st->n; i++)
			if (st->rows[i].patient_id == was.patient_id && strcmp(st->rows[i].item, was.item) == 0 &&
			    st->rows[i].status != FS_DONE)
				keep = i;
	if (keep == st->n)
		keep = at < st->n ? at : 0;
	return revis(a, st, keep);
}

static int fu_open(struct app *a, struct screen *s, const struct request *rq)
{
	struct fu_st *st = calloc(1, sizeof *st);
	if (!st)
		return ef_errf(&a->err, EF_DB, "out of memory");
	s->st = st;
	s->patient_id = rq->patient_id;
	return fu_load(a, s);
}

static void fu_close(struct app *a, struct screen *s)
{
	(void)a;
	struct fu_st *st = s->st;
	if (st) {
		free(st->rows);
		free(st->text);
		free(st->vis);
		if (st->paged)
			wlpage_free(&st->pg);
	}
	free(st);
	s->st = NULL;
}

static int detail_rows(int h)
{
	return h >= 18 ? 4 : 2;
}

/* A row of the follow-up list (draw_sections). */
struct fu_lines {
	const struct fu_st *st;
	WINDOW *w;
	int cols, clinic, c_name, w_name, c_item, c_tp, c_date, c_reason;
};

static int fu_section(const void *ctx, size_t v)
{
	const struct fu_st *st = ((const struct fu_lines *)ctx)->st;
	return (int)st->rows[st->vis[v]].status;
}

static void fu_row(void *ctx, size_t v, int ry, int sel)
{
	const struct fu_lines *l = ctx;
	const struct fu_st *st = l->st;
	WINDOW *w = l->w;
	const int cols = l->cols, clinic = l->clinic, c_name = l->c_name, w_name = l->w_name, c_item = l->c_item,
		  c_tp = l->c_tp, c_date = l->c_date, c_reason = l->c_reason;
	const struct frow *r = &st->rows[st->vis[v]];
	attr_t ra = sel ? tui_attr(R_SELECTED) : A_NORMAL;
	fill_line(w, ry, ra);
	if (clinic)
		put_fmt(w, ry, c_name, w_name, ra, "%s %s", txt(st, r->mrn), txt(st, r->name));
	char d[11];
	ef_date_format(r->status == FS_DONE ? r->done_on : r->due_on, d);
	put_text(w, ry, c_item, 12, r->item, ra | A_BOLD, 0);
	put_text(w, ry, c_tp, 5, r->tp, ra | A_BOLD, 0);
	put_text(w, ry, c_date, 11, d, sel ? ra : tui_attr(section_roles[r->status]), 0);
	put_text(w, ry, c_reason, cols - c_reason, r->reason, sel ? ra : tui_attr(R_DIM), 0);
}

static void fu_draw(struct app *a, struct screen *s, WINDOW *w)
{
	struct fu_st *st = s->st;
	int cols = getmaxx(w), h = getmaxy(w);
	int clinic = s->patient_id == 0;
	int bottom = h - detail_rows(h) - 1;
	int w_name = clinic ? (cols >= 100 ? 34 : 24) : 0;
	int c_name = 1, c_item = c_name + (clinic ? w_name + 1 : 0);
	int c_tp = c_item + 13, c_date = c_tp + 6, c_reason = c_date + 12;
	attr_t ha = tui_attr(R_HEADER);
	fill_line(w, 0, ha);
	if (clinic)
		put_text(w, 0, c_name, w_name, "MRN and name", ha, 0);
	put_text(w, 0, c_item, 12, "Item", ha, 0);
	put_text(w, 0, c_tp, 5, "Point", ha, 0);
	put_text(w, 0, c_date, 11, "Due/done", ha, 0);
	put_text(w, 0, c_reason, cols - c_reason, "What", ha, 0);
	int y = 1;
	if (!st->calendar)
		put_text(w, y++, 1, cols - 1, "No calendar: the reference data could not be loaded (engraft init).",
			 tui_attr(R_WARNING), 0);
	if (bottom > y) {
		fill_line(w, bottom, A_NORMAL);
		if (s->mode == MODE_SEARCH) {
			int x = put_text(w, bottom, 0, cols, "Search: ", tui_attr(R_SEARCH), 0);
			x += put_text(w, bottom, x, cols - x - 1, st->filter, A_BOLD, 0);
			put_text(w, bottom, x, 1, "_", A_BLINK | A_BOLD, 0);
			put_text(w, bottom, x + 2, cols - x - 2, "(MRN, name, item or point; Enter keeps, Esc clears)",
				 tui_attr(R_DIM), 0);
		} else if (st->filter[0] || st->show != SHOW_ALL) {
			put_fmt(w, bottom, 0, cols, tui_attr(R_SEARCH), "Filter:%s%s%s%s%s   (Esc clears)",
				st->filter[0] ? " \"" : "", st->filter, st->filter[0] ? "\"" : "",
				st->show != SHOW_ALL ? " " : "", show_names[st->show]);
		} else {
			put_text(w, bottom, 0, cols, "/ searches (cibmtr: the registry forms), d shows due, r records done",
				 tui_attr(R_DIM), 0);
		}
	} else {
		bottom = h;
	}
	if (st->nvis == 0) {
		const char *none = (clinic || st->n) && (st->filter[0] || st->show != SHOW_ALL)
					   ? "Nothing matches the filters. Esc clears them."
				   : clinic ? "No follow-up overdue, due or coming due within 31 days."
					    : "No follow-up plan: no transplant, or not in this clinic's care.";
		put_text(w, y + 1, 2, cols - 2, none, tui_attr(R_DIM), 0);
		return;
	}
	struct fu_lines l = {st, w, cols, clinic, c_name, w_name, c_item, c_tp, c_date, c_reason};
	if (clinic && st->paged)
		draw_sections_ex(w, y, bottom, st->nvis, st->cur, &st->pg.scroll, section_names, a->utf8, fu_section, fu_row,
				 &l, st->pg.prev_sec, st->pg.counts);
	else
		draw_sections(w, y, bottom, st->nvis, st->cur, &st->scroll, section_names, a->utf8, fu_section, fu_row, &l);
	if (bottom >= h)
		return;
	const struct frow *r = &st->rows[st->vis[st->cur]];
	draw_rule(w, bottom + 1, "Selected", a->utf8);
	char due[11], done[11], text[3000];
	ef_date_format(r->due_on, due);
	ef_date_format(r->done_on, done);
	if (r->status == FS_DONE)
		snprintf(text, sizeof text, "%s %s: %s %s (due %s) done on %s; %s", txt(st, r->mrn), txt(st, r->name),
			 r->item, r->tp, due, done, r->reason);
	else
		snprintf(text, sizeof text, "%s %s: %s %s %s, due %s; %s. r records it done.", txt(st, r->mrn),
			 txt(st, r->name), r->item, r->tp, status_words[r->status], due, r->reason);
	int ty = 0;
	tui_wrap(w, &ty, bottom + 2, 0, 1, cols - 2, text, A_NORMAL);
}

/* The filters changed: the rows again, the selection on row `at` (an
 * index into rows) or the first shown after it; `first`: the first row. */
static int frefilter(struct app *a, struct screen *s, size_t at, int first)
{
	struct fu_st *st = s->st;
	if (s->patient_id || !st->paged)
		return revis(a, st, first ? 0 : at);
	const struct store_wl_row *sel = wlpage_sel(&st->pg);
	return clinic_refilter(a, st, first || !sel ? NULL : &sel->key);
}

static enum action fu_key(struct app *a, struct screen *s, int key, enum cmd cmd)
{
	struct fu_st *st = s->st;
	int screen = getmaxy(a->body) - 3 - detail_rows(getmaxy(a->body));
	if (!s->patient_id && st->paged) {
		int m = wlpage_move(&st->pg, a->s, cmd, screen, &a->err);
		if (m < 0 || (m > 0 && from_page(a, st))) {
			tui_msg_err(a, &a->err);
			return ACTION_REDRAW;
		}
		if (m > 0)
			return ACTION_REDRAW;
	} else if (cursor_move(cmd, &st->cur, st->nvis, screen)) {
		return ACTION_REDRAW;
	}
	size_t at = sel_row(st);
	const struct frow *r = at < st->n ? &st->rows[at] : NULL;
	switch (cmd) {
	case CMD_SEARCH:
		s->mode = MODE_SEARCH;
		s->text_input = 1;
		return ACTION_REDRAW;
	case CMD_SEARCH_KEEP:
		s->mode = MODE_NORMAL;
		s->text_input = 0;
		return ACTION_REDRAW;
	case CMD_SEARCH_CLEAR:
	case CMD_CLEAR_FILTERS:
		if (cmd == CMD_CLEAR_FILTERS && !st->filter[0] && st->show == SHOW_ALL)
			return ACTION_PASS; /* back */
		s->mode = MODE_NORMAL;
		s->text_input = 0;
		st->filter[0] = '\0';
		if (cmd == CMD_CLEAR_FILTERS)
			st->show = SHOW_ALL;
		if (frefilter(a, s, at, 0))
			tui_msg_err(a, &a->err);
		return ACTION_REDRAW;
	case CMD_FILTER:
		st->show = (enum fshow)((st->show + 1) % SHOW_COUNT);
		if (frefilter(a, s, at, 1))
			tui_msg_err(a, &a->err);
		return ACTION_REDRAW;
	case CMD_OPEN:
		if (s->patient_id || !r)
			return ACTION_NONE;
		memset(&a->req, 0, sizeof a->req);
		a->req.ops = &chart_ops;
		a->req.patient_id = r->patient_id;
		st->touched = 1; /* whatever is entered there, load again */
		st->touched_patient = r->patient_id;
		snprintf(st->touched_item, sizeof st->touched_item, "%s", r->item);
		return ACTION_PUSH;
	case CMD_DONE:
		if (!r || r->status == FS_DONE) {
			tui_msg(a, MSG_NO_SELECTION);
			return ACTION_NONE;
		}
		memset(&a->req, 0, sizeof a->req);
		a->req.ops = &followupform_ops;
		a->req.patient_id = r->patient_id;
		snprintf(a->req.text, sizeof a->req.text, "%s %s", r->item, r->tp);
		st->touched = 1;
		st->touched_patient = r->patient_id;
		snprintf(st->touched_item, sizeof st->touched_item, "%s", r->item);
		return ACTION_PUSH;
	default:
		break;
	}
	if (s->mode == MODE_SEARCH) {
		if (tui_filter_key(st->filter, sizeof st->filter, key) > 0 && frefilter(a, s, at, 0))
			tui_msg_err(a, &a->err);
		return ACTION_REDRAW;
	}
	return ACTION_PASS;
}

const struct screen_ops followups_ops = {
	.name = "Follow-up",
	.about = "The follow-up worklist: late-effects screening (screening.csv) and the registry's "
		 "forms (registry_forms.csv, CIBMTR: day 100, 6 months, yearly...). From the patient "
		 "list: every patient's time points overdue, due now and coming due within 31 days "
		 "(the CIBMTR forms of this month: type /cibmtr). From a chart: that patient's plan, "
		 "with every item's next time point and those done since the transplant. r records the "
		 "selected time point done (the date and a note); Enter opens the patient's chart. "
		 "Overdue is more than the site's followup_grace_days past due; the check raises "
		 "FOLLOWUP_OVERDUE for it. / filters as you type; d shows every row, the overdue, those "
		 "due now or those coming due, in turn; Esc clears the filters, and on an unfiltered "
		 "list goes back.",
	.open = fu_open,
	.load = fu_load,
	.draw = fu_draw,
	.key = fu_key,
	.close = fu_close,
	.help = keys,
};
