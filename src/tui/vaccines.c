/* vaccines.c - the vaccination worklist and the "record a dose" form.
 *
 * Clinic-wide (from the patient list): every patient's next doses grouped as
 * overdue, due today, due this week and blocked (with the reason), read by
 * pages from the kept forecasts (wlpage.c over engraft/worklist.h: the
 * screen holds a page either side of what it shows; opening it and coming
 * back after a record bring the kept forecasts up to today with
 * app_forecasts_refresh first). From a chart (computed for the patient): that patient's next doses (also
 * the upcoming ones) and the doses already given. `r` records the selected
 * dose as given (vaccine, date, lot, site) with store_put_vaccination.
 * `/` filters by MRN, name or vaccine as you type, `d` shows every dose,
 * those due within 7 days, the overdue or the blocked (in turn); Esc
 * clears the filters (an unfiltered list: back). The selected row's full
 * reason is wrapped in the lines at the bottom. */
#include <stdlib.h>
#include <string.h>

#include "engraft/browse.h"
#include "engraft/refstore.h"
#include "engraft/timeline.h"
#include "engraft/vaccines.h"
#include "filter.h"
#include "tui_int.h"
#include "wlpage.h"

enum { MODE_NORMAL = 0, MODE_SEARCH = 1 };
#define M_NORMAL (1u << MODE_NORMAL)
#define M_SEARCH (1u << MODE_SEARCH)

/* d: which doses the list shows */
enum vshow { SHOW_ALL = 0, SHOW_WEEK, SHOW_OVERDUE, SHOW_BLOCKED, SHOW_COUNT };
static const char *const show_names[SHOW_COUNT] = {"", "due within 7 days", "overdue", "blocked"};

enum vstatus { VS_OVERDUE = 0, VS_DUE, VS_WEEK, VS_BLOCKED, VS_UPCOMING, VS_GIVEN, VS_COUNT };
static const char *const section_names[VS_COUNT] = {"Overdue", "Due now", "Due this week", "Blocked",
						    "Upcoming", "Given since the transplant"};
static const char *const status_words[VS_COUNT] = {"overdue", "due now", "due this week", "blocked", "upcoming",
						   "given"};
static const enum role section_roles[VS_COUNT] = {R_OVERDUE, R_DUE, R_DUE, R_BLOCKED, R_UPCOMING, R_DIM};

/* A row keeps its texts (MRN, name, reason) in the screen's text arena, by
 * offset: the clinic list of a 10,000-patient cohort has 100,000 rows, and
 * fixed arrays for them were 75 MB. */
struct vrow {
	enum vstatus status;
	int64_t patient_id;
	uint32_t mrn, name, reason; /* offsets into vac_st.text */
	char series[128];        /* as kept (worklist.h) */
	int dose;
	ef_day due_on;           /* given: the day given */
	char vaccine[16];        /* given: as recorded */
};

struct vac_st {
	struct vrow *rows;
	size_t n, cap;
	char *text;              /* NUL-terminated texts of the rows */
	size_t text_n, text_cap;
	size_t *vis;             /* the rows the filters let through, in order */
	size_t nvis;
	int cur;                 /* index into vis */
	int scroll;
	char filter[128];        /* `/`: MRN, name or vaccine */
	enum vshow show;
	int forecast;            /* the forecaster is available */
	int loaded;
	int64_t touched;         /* clinic list: the patient a dose was recorded for */
	char touched_series[128]; /* and the series of the row selected then */
	/* the clinic list: a window of the kept forecasts read by pages
	 * (wlpage.h); rows and vis above are a copy of the window */
	struct wlpage pg;
	int paged;
};

/* The sections of the clinic list (worklist.h) each `d` shows. */
static const unsigned show_sections[SHOW_COUNT] = {
	(1u << STORE_WL_OVERDUE) | (1u << STORE_WL_DUE) | (1u << STORE_WL_SOON) | (1u << STORE_WL_BLOCKED),
	(1u << STORE_WL_DUE) | (1u << STORE_WL_SOON), 1u << STORE_WL_OVERDUE, 1u << STORE_WL_BLOCKED};
static const enum vstatus section_status[STORE_WL_SECTIONS] = {VS_OVERDUE, VS_DUE, VS_WEEK, VS_BLOCKED};

static const struct keybind keys[] = {
	{{'r'}, "r", CMD_RECORD, "Record", "record the selected dose as given (vaccine, date, lot, site)", M_NORMAL},
	{{'\n', '\r', K(KEY_ENTER)}, "Enter", CMD_OPEN, "Chart", "open the selected patient's chart (clinic list)",
	 M_NORMAL},
	{{'/'}, "/", CMD_SEARCH, "Search", "filter by MRN, name or vaccine as you type (Enter keeps, Esc clears)",
	 M_NORMAL},
	{{'d'}, "d", CMD_FILTER, "Due", "show every dose, those due within 7 days, the overdue or the blocked (in turn)",
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

static int vfiltered(const struct vac_st *st)
{
	return st->filter[0] || st->show != SHOW_ALL;
}

static int shows(const struct vac_st *st, const struct vrow *r)
{
	switch (st->show) {
	case SHOW_WEEK:
		if (r->status != VS_DUE && r->status != VS_WEEK)
			return 0;
		break;
	case SHOW_OVERDUE:
		if (r->status != VS_OVERDUE)
			return 0;
		break;
	case SHOW_BLOCKED:
		if (r->status != VS_BLOCKED)
			return 0;
		break;
	default:
		break;
	}
	const char *texts[] = {st->text + r->mrn, st->text + r->name, r->series, r->vaccine};
	return tui_filter_match(st->filter, texts, NELEM(texts));
}

/* The rows the filters let through; the selection stays on row `keep` (an
 * index into rows), or (`exact` 0) the first listed after it, or the last,
 * or (`exact` 1: another set of rows, d) the first row. */
static int revis_ex(struct app *a, struct vac_st *st, size_t keep, int exact)
{
	size_t *v = realloc(st->vis, (st->n ? st->n : 1) * sizeof *v);
	if (!v)
		return ef_errf(&a->err, EF_DB, "out of memory");
	st->vis = v;
	st->nvis = 0;
	st->cur = -1;
	for (size_t i = 0; i < st->n; i++) {
		if (!shows(st, &st->rows[i]))
			continue;
		if (st->cur < 0 && (exact ? i == keep : i >= keep))
			st->cur = (int)st->nvis;
		st->vis[st->nvis++] = i;
	}
	if (st->cur < 0)
		st->cur = exact || !st->nvis ? 0 : (int)st->nvis - 1;
	return EF_OK;
}

static int revis(struct app *a, struct vac_st *st, size_t keep)
{
	return revis_ex(a, st, keep, 0);
}

/* The row index under the selection (st->n when none). */
static size_t sel_row(const struct vac_st *st)
{
	return st->nvis ? st->vis[st->cur] : st->n;
}

static struct vrow *add_row(struct vac_st *st)
{
	if (st->n == st->cap) {
		size_t cap = st->cap ? st->cap * 2 : 64;
		struct vrow *r = realloc(st->rows, cap * sizeof *r);
		if (!r)
			return NULL;
		st->rows = r;
		st->cap = cap;
	}
	struct vrow *r = &st->rows[st->n++];
	memset(r, 0, sizeof *r);
	return r;
}

/* A copy of s in the arena; *off its offset. */
static int intern(struct vac_st *st, const char *str, uint32_t *off)
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

static const char *txt(const struct vac_st *st, uint32_t off)
{
	return st->text + off;
}

/* A new row for patient p with reason `reason`; the patient's MRN and
 * name are shared with the row before when it is the same patient's. */
static struct vrow *add_row_for(struct vac_st *st, const struct ef_patient *p, const char *reason)
{
	uint32_t mrn, name, why;
	if (st->n && st->rows[st->n - 1].patient_id == p->id) {
		mrn = st->rows[st->n - 1].mrn;
		name = st->rows[st->n - 1].name;
	} else {
		char full[300];
		snprintf(full, sizeof full, "%s, %s", p->family_name, p->given_name);
		if (intern(st, p->mrn, &mrn) || intern(st, full, &name))
			return NULL;
	}
	if (intern(st, reason, &why))
		return NULL;
	struct vrow *r = add_row(st);
	if (!r)
		return NULL;
	r->patient_id = p->id;
	r->mrn = mrn;
	r->name = name;
	r->reason = why;
	return r;
}

/* qsort has no context argument: the arena of the rows being sorted. */
static const char *sort_text;

static int cmp_rows(const void *x, const void *y)
{
	const struct vrow *a = x, *b = y;
	if (a->status != b->status)
		return (int)a->status - (int)b->status;
	if (a->status == VS_GIVEN && a->due_on != b->due_on)
		return a->due_on > b->due_on ? -1 : 1; /* newest first */
	if (a->due_on != b->due_on)
		return a->due_on < b->due_on ? -1 : 1;
	int c = strcmp(sort_text + a->name, sort_text + b->name);
	if (c)
		return c;
	return strcmp(a->series, b->series);
}

static void sort_rows(struct vac_st *st)
{
	if (!st->n)
		return;
	sort_text = st->text;
	qsort(st->rows, st->n, sizeof st->rows[0], cmp_rows);
	sort_text = NULL;
}

/* The doses already given, for a chart's worklist: one row per
 * vaccination (a combination vaccine counts toward several series: the
 * reason lists them, "HEPA+HEPB"). */
static int add_given(struct app *a, struct vac_st *st, const struct ef_timeline *tl)
{
	const struct ef_transplant *tp = ef_current_transplant(tl, a->today);
	for (size_t i = 0; i < tl->n_doses;) {
		const struct ef_dose *d = &tl->doses[i];
		size_t j = i + 1;
		while (j < tl->n_doses && tl->doses[j].vaccination_id == d->vaccination_id)
			j++;
		if (tp && d->day < tp->day0) {
			i = j;
			continue;
		}
		char reason[320] = "";
		if (strcmp(d->vaccine, d->series) != 0 || j - i > 1)
			for (size_t k = i; k < j; k++) {
				size_t l = strlen(reason);
				snprintf(reason + l, sizeof reason - l, "%s%s", l ? "+" : "", tl->doses[k].series);
			}
		struct vrow *r = add_row_for(st, &tl->patient, reason);
		if (!r)
			return ef_errf(&a->err, EF_DB, "out of memory");
		r->status = VS_GIVEN;
		snprintf(r->series, sizeof r->series, "%s", d->series);
		snprintf(r->vaccine, sizeof r->vaccine, "%s", d->vaccine);
		r->due_on = d->day;
		i = j;
	}
	return EF_OK;
}

struct fc_ctx {
	struct app *a;
	struct vac_st *st;
	const struct ef_reference *ref;
	struct ef_due_list l;
	int all;                 /* a chart's list: also the upcoming doses */
};

/* The next doses of one patient from the forecaster (vaccines.h). */
static int add_forecast(void *ctx, const struct ef_timeline *tl, struct ef_err *err)
{
	struct fc_ctx *c = ctx;
	ef_day today = c->a->today;
	int rc = ef_vaccines_forecast(tl, c->ref, today, &c->l, err);
	if (rc)
		return rc;
	for (size_t i = 0; i < c->l.n; i++) {
		const struct ef_due *d = &c->l.v[i];
		enum vstatus vs;
		switch (d->status) {
		case EF_DUE_OVERDUE:
			vs = VS_OVERDUE;
			break;
		case EF_DUE_DUE:
			vs = VS_DUE;
			break;
		case EF_DUE_BLOCKED:
			vs = VS_BLOCKED;
			break;
		default:
			if (d->due_on != EF_NO_DAY && d->due_on <= today + 7)
				vs = VS_WEEK;
			else if (c->all)
				vs = VS_UPCOMING;
			else
				continue;
		}
		struct vrow *r = add_row_for(c->st, &tl->patient, d->reason);
		if (!r)
			return ef_errf(err, EF_DB, "out of memory");
		r->status = vs;
		snprintf(r->series, sizeof r->series, "%s", d->series);
		r->dose = d->dose;
		r->due_on = d->due_on;
	}
	return EF_OK;
}

/* After a load: the selection on the row of the same patient and series
 * as before (was), or at the same place. */
static int reselect(struct app *a, struct vac_st *st, const struct vrow *was, size_t at)
{
	size_t keep = at;
	if (was)
		for (size_t i = 0; i < st->n; i++)
			if (st->rows[i].patient_id == was->patient_id && strcmp(st->rows[i].series, was->series) == 0 &&
			    (st->rows[i].status == VS_GIVEN) == (was->status == VS_GIVEN)) {
				keep = i;
				break;
			}
	return revis(a, st, keep);
}

/* ---- the clinic list: pages of the kept forecasts ---- */

/* The window's rows as the screen's rows (the drawing reads those). */
static int from_page(struct app *a, struct vac_st *st)
{
	st->n = 0;
	st->text_n = 0;
	size_t *v = realloc(st->vis, (st->pg.n ? st->pg.n : 1) * sizeof *v);
	if (!v)
		return ef_errf(&a->err, EF_DB, "out of memory");
	st->vis = v;
	for (size_t i = 0; i < st->pg.n; i++) {
		const struct store_wl_row *w = &st->pg.rows[i];
		struct vrow *r = add_row(st);
		if (!r || intern(st, w->mrn, &r->mrn) || intern(st, w->name, &r->name) || intern(st, w->reason, &r->reason))
			return ef_errf(&a->err, EF_DB, "out of memory");
		r->status = section_status[w->key.sec];
		r->patient_id = w->key.patient_id;
		snprintf(r->series, sizeof r->series, "%s", w->code);
		r->dose = w->dose;
		r->due_on = w->due_on;
		st->vis[i] = i;
	}
	st->nvis = st->pg.n;
	st->cur = st->pg.cur;
	return EF_OK;
}

/* The filters again (the typed words and d), the selection on row `at`
 * (NULL: the first row) or the first shown after it. */
static int clinic_refilter(struct app *a, struct vac_st *st, const struct store_wl_key *at)
{
	struct store_wl_key k;
	if (at)
		k = *at;
	int rc = wlpage_set(&st->pg, a->s, st->filter, show_sections[st->show], 0, &a->err);
	if (rc == EF_OK)
		rc = wlpage_around(&st->pg, a->s, at ? &k : NULL, &a->err);
	return rc ? rc : from_page(a, st);
}

/* Open, or back from a chart or the dose form: the kept forecasts brought
 * up to today (app_forecasts_refresh: only those that do not hold), the
 * counts again, and the window at the same patient and series if still
 * listed, else where the selection was. */
static int clinic_load(struct app *a, struct screen *s)
{
	struct vac_st *st = s->st;
	snprintf(s->title, sizeof s->title, "clinic");
	if (st->paged && !st->touched)
		return EF_OK; /* nothing changed since: keep the clinic list */
	/* without the reference data: the kept rows as they are, and the
	 * warning line says why they may be stale */
	struct app_env env;
	int rc = EF_OK;
	st->forecast = tui_env(a, &env) == EF_OK;
	if (st->forecast && (rc = app_forecasts_refresh(&env, &a->err)))
		return rc;
	if (!st->paged) {
		int page = a->body ? getmaxy(a->body) : 24;
		if ((rc = wlpage_init(&st->pg, STORE_WL_VACCINES, a->today, show_sections[st->show],
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
	if (st->touched && st->touched_series[0] &&
	    (rc = store_wl_find(a->s, &st->pg.q, st->touched, st->touched_series, &same, &found, &a->err)))
		return rc;
	st->touched = 0;
	st->touched_series[0] = '\0';
	rc = wlpage_around(&st->pg, a->s, found ? &same : had ? &at : NULL, &a->err);
	return rc ? rc : from_page(a, st);
}

static int vac_load(struct app *a, struct screen *s)
{
	struct vac_st *st = s->st;
	if (!s->patient_id)
		return clinic_load(a, s);
	struct vrow was_row, *was = NULL;
	size_t at = sel_row(st);
	if (st->nvis && at < st->n) {
		was_row = st->rows[at];
		was = &was_row;
	}
	st->nvis = 0;
	st->n = 0;
	st->text_n = 0;
	st->loaded = 1;
	struct fc_ctx fc = {a, st, tui_reference(a), {0}, s->patient_id != 0};
	st->forecast = fc.ref != NULL;
	ef_due_list_init(&fc.l);
	{
		struct ef_timeline tl;
		ef_timeline_init(&tl);
		int rc = store_load_timeline(a->s, s->patient_id, a->today, &tl, &a->err);
		if (rc == EF_OK && fc.ref)
			rc = add_forecast(&fc, &tl, &a->err);
		ef_due_list_free(&fc.l);
		if (rc == EF_OK)
			rc = add_given(a, st, &tl);
		fmt_patient(&tl.patient, s->title, sizeof s->title);
		ef_timeline_free(&tl);
		if (rc)
			return rc;
	}
	sort_rows(st);
	return reselect(a, st, was, at);
}

static int vac_open(struct app *a, struct screen *s, const struct request *rq)
{
	struct vac_st *st = calloc(1, sizeof *st);
	if (!st)
		return ef_errf(&a->err, EF_DB, "out of memory");
	s->st = st;
	s->patient_id = rq->patient_id;
	return vac_load(a, s);
}

static void vac_close(struct app *a, struct screen *s)
{
	(void)a;
	struct vac_st *st = s->st;
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

/* Rows at the bottom for the selected row's full text (and the filter line). */
static int vdetail_rows(int h)
{
	return h >= 18 ? 5 : 2;
}

/* A row of the worklist's list (draw_sections). */
struct vac_lines {
	const struct vac_st *st;
	WINDOW *w;
	int cols, clinic, c_name, w_name, c_vx, c_date, c_reason;
};

static int vac_section(const void *ctx, size_t v)
{
	const struct vac_st *st = ((const struct vac_lines *)ctx)->st;
	return (int)st->rows[st->vis[v]].status;
}

static void vac_row(void *ctx, size_t v, int ry, int sel)
{
	const struct vac_lines *l = ctx;
	const struct vac_st *st = l->st;
	WINDOW *w = l->w;
	const int cols = l->cols, clinic = l->clinic, c_name = l->c_name, w_name = l->w_name, c_vx = l->c_vx,
		  c_date = l->c_date, c_reason = l->c_reason;
	const struct vrow *r = &st->rows[st->vis[v]];
	attr_t ra = sel ? tui_attr(R_SELECTED) : A_NORMAL;
	fill_line(w, ry, ra);
	if (clinic)
		put_fmt(w, ry, c_name, w_name, ra, "%s %s", txt(st, r->mrn), txt(st, r->name));
	char d[11];
	ef_date_format(r->due_on, d);
	if (r->status == VS_GIVEN) {
		put_text(w, ry, c_vx, 11, r->vaccine, ra | A_BOLD, 0);
		put_text(w, ry, c_date, 11, d, ra, 0);
		if (txt(st, r->reason)[0])
			put_fmt(w, ry, c_reason, cols - c_reason, ra, "counts toward %s", txt(st, r->reason));
	} else {
		put_fmt(w, ry, c_vx, 11, ra | A_BOLD, "%s:%d", r->series, r->dose);
		put_text(w, ry, c_date, 11, r->due_on == EF_NO_DAY ? "-" : d, sel ? ra : tui_attr(section_roles[r->status]), 0);
		put_text(w, ry, c_reason, cols - c_reason, txt(st, r->reason), sel ? ra : tui_attr(R_DIM), 0);
	}
}

/* The worklist: its rows in sections (draw_sections); the
 * column headers on the first line; at the bottom the filter line and the
 * selected row in full, wrapped. */
static void vac_draw(struct app *a, struct screen *s, WINDOW *w)
{
	struct vac_st *st = s->st;
	int cols = getmaxx(w), h = getmaxy(w);
	int clinic = s->patient_id == 0;
	int detail = vdetail_rows(h);
	int bottom = h - detail - 1; /* the filter line */
	int c_name = 1, w_name = clinic ? 28 : 0;
	int c_vx = c_name + (clinic ? w_name + 1 : 0);
	int c_date = c_vx + 12, c_reason = c_date + 12;
	attr_t ha = tui_attr(R_HEADER);
	fill_line(w, 0, ha);
	if (clinic)
		put_text(w, 0, c_name, w_name, "MRN and name", ha, 0);
	put_text(w, 0, c_vx, 11, "Dose", ha, 0);
	put_text(w, 0, c_date, 11, "Due/given", ha, 0);
	put_text(w, 0, c_reason, cols - c_reason, "Why (full text below)", ha, 0);
	int y = 1;
	if (!st->forecast)
		put_text(w, y++, 1, cols - 1, "No forecast: the reference data could not be loaded (engraft init).",
			 tui_attr(R_WARNING), 0);
	/* the filter line */
	if (bottom > y) {
		fill_line(w, bottom, A_NORMAL);
		if (s->mode == MODE_SEARCH) {
			int x = put_text(w, bottom, 0, cols, "Search: ", tui_attr(R_SEARCH), 0);
			x += put_text(w, bottom, x, cols - x - 1, st->filter, A_BOLD, 0);
			put_text(w, bottom, x, 1, "_", A_BLINK | A_BOLD, 0);
			put_text(w, bottom, x + 2, cols - x - 2, "(MRN, name or vaccine; Enter keeps, Esc clears)",
				 tui_attr(R_DIM), 0);
		} else if (vfiltered(st)) {
			put_fmt(w, bottom, 0, cols, tui_attr(R_SEARCH), "Filter:%s%s%s%s%s   (Esc clears)",
				st->filter[0] ? " \"" : "", st->filter, st->filter[0] ? "\"" : "",
				st->show != SHOW_ALL ? " " : "", show_names[st->show]);
		} else {
			put_text(w, bottom, 0, cols, "/ searches, d shows due within 7 days, overdue or blocked",
				 tui_attr(R_DIM), 0);
		}
	} else {
		bottom = h;
	}
	if (st->nvis == 0) {
		const char *none = (clinic || st->n) && vfiltered(st) ? "No dose matches the filters. Esc clears them."
				   : clinic ? "Nothing due, overdue or blocked this week."
					    : "No dose due or recorded since the transplant. Press r to record one.";
		put_text(w, y + 1, 2, cols - 2, none, tui_attr(R_DIM), 0);
		return;
	}
	struct vac_lines l = {st, w, cols, clinic, c_name, w_name, c_vx, c_date, c_reason};
	if (clinic && st->paged)
		draw_sections_ex(w, y, bottom, st->nvis, st->cur, &st->pg.scroll, section_names, a->utf8, vac_section, vac_row,
				 &l, st->pg.prev_sec, st->pg.counts);
	else
		draw_sections(w, y, bottom, st->nvis, st->cur, &st->scroll, section_names, a->utf8, vac_section, vac_row,
			      &l);
	/* the selected row in full */
	if (bottom >= h)
		return;
	const struct vrow *r = &st->rows[st->vis[st->cur]];
	draw_rule(w, bottom + 1, "Selected", a->utf8);
	char d[11], text[6000];
	ef_date_format(r->due_on, d);
	if (r->status == VS_GIVEN)
		snprintf(text, sizeof text, "%s %s: %s given on %s%s%s", txt(st, r->mrn), txt(st, r->name), r->vaccine, d,
			 txt(st, r->reason)[0] ? "; counts toward " : "", txt(st, r->reason));
	else
		snprintf(text, sizeof text, "%s %s: %s dose %d, %s%s%s: %s", txt(st, r->mrn), txt(st, r->name), r->series,
			 r->dose, status_words[r->status], r->due_on == EF_NO_DAY ? "" : r->status == VS_BLOCKED ? ", not before " : ", due ",
			 r->due_on == EF_NO_DAY ? "" : d, txt(st, r->reason));
	int ty = 0;
	tui_wrap(w, &ty, bottom + 2, 0, 1, cols - 2, text, r->status == VS_BLOCKED ? tui_attr(R_BLOCKED) : A_NORMAL);
}

/* The filters changed: the rows again, the selection on row `at` (an
 * index into rows) or the first shown after it; `exact`: on row at if it
 * is still shown, else the first row. */
static int vrefilter(struct app *a, struct screen *s, size_t at, int exact)
{
	struct vac_st *st = s->st;
	if (s->patient_id || !st->paged)
		return revis_ex(a, st, at, exact);
	const struct store_wl_row *sel = wlpage_sel(&st->pg);
	if (!sel || (exact && !(show_sections[st->show] & (1u << sel->key.sec))))
		return clinic_refilter(a, st, NULL);
	return clinic_refilter(a, st, &sel->key);
}

static enum action vac_key(struct app *a, struct screen *s, int key, enum cmd cmd)
{
	struct vac_st *st = s->st;
	int screen = getmaxy(a->body) - 3 - vdetail_rows(getmaxy(a->body));
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
	const struct vrow *r = at < st->n ? &st->rows[at] : NULL;
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
		s->mode = MODE_NORMAL;
		s->text_input = 0;
		st->filter[0] = '\0';
		if (vrefilter(a, s, at, 0))
			tui_msg_err(a, &a->err);
		return ACTION_REDRAW;
	case CMD_CLEAR_FILTERS:
		if (!vfiltered(st))
			return ACTION_PASS; /* back */
		st->filter[0] = '\0';
		st->show = SHOW_ALL;
		if (vrefilter(a, s, at, 0))
			tui_msg_err(a, &a->err);
		return ACTION_REDRAW;
	case CMD_FILTER:
		st->show = (enum vshow)((st->show + 1) % SHOW_COUNT);
		if (vrefilter(a, s, at, 1))
			tui_msg_err(a, &a->err);
		return ACTION_REDRAW;
	case CMD_OPEN:
		if (s->patient_id || !r)
			return ACTION_NONE;
		memset(&a->req, 0, sizeof a->req);
		a->req.ops = &chart_ops;
		a->req.patient_id = r->patient_id;
		st->touched = a->req.patient_id; /* whatever is entered there, read it again */
		snprintf(st->touched_series, sizeof st->touched_series, "%s", r->series);
		return ACTION_PUSH;
	case CMD_RECORD: {
		int64_t pid = r ? r->patient_id : s->patient_id;
		if (!pid) {
			tui_msg(a, MSG_NO_SELECTION);
			return ACTION_NONE;
		}
		memset(&a->req, 0, sizeof a->req);
		a->req.ops = &doseform_ops;
		a->req.patient_id = pid;
		st->touched = pid;
		snprintf(st->touched_series, sizeof st->touched_series, "%s", r && r->status != VS_GIVEN ? r->series : "");
		/* the form's choice: a series code (dose_open picks it among its own) */
		if (r && r->status != VS_GIVEN && strlen(r->series) < sizeof a->req.text)
			memcpy(a->req.text, r->series, strlen(r->series) + 1);
		return ACTION_PUSH;
	}
	default:
		break;
	}
	if (s->mode == MODE_SEARCH) {
		if (tui_filter_key(st->filter, sizeof st->filter, key) > 0 && vrefilter(a, s, at, 0))
			tui_msg_err(a, &a->err);
		return ACTION_REDRAW; /* other keys are not global while typing */
	}
	return ACTION_PASS;
}

const struct screen_ops vaccines_ops = {
	.name = "Vaccinations",
	.about = "The vaccination worklist. From the patient list: every patient's next doses, "
		 "grouped as overdue, due today, due this week, and blocked (with the reason, e.g. a "
		 "live vaccine too soon after the transplant). From a chart: that patient's next "
		 "doses and the doses given since the transplant. r records the selected dose as "
		 "given; Enter opens the patient's chart. / filters by MRN, name or vaccine as you type; "
		 "d shows every dose, those due within 7 days (due now or in the next 7 days), the overdue "
		 "or the blocked, in turn; Esc clears the filters, and on an unfiltered list goes back. "
		 "The lines at the bottom show the selected row in full (a blocked dose: every reason).",
	.open = vac_open,
	.load = vac_load,
	.draw = vac_draw,
	.key = vac_key,
	.close = vac_close,
	.help = keys,
};

/* ---- record a dose ----
 * The form records a dose given here: an administered dose (schema 006),
 * which needs its lot and site. When the vaccine is live and the
 * live-vaccine gate is closed on the day given, the form shows every failed
 * condition before saving, and saves only with an override reason (the
 * Override field, required only then). */

enum { D_VACCINE = 0, D_DATE, D_LOT, D_SITE, D_BY, D_OVERRIDE, D_N };

static const struct fspec dose_spec[D_N] = {
	[D_VACCINE] = {"Vaccine", 8, F_CHOICE, "Left/Right or the first letter"},
	[D_DATE] = {"Given on", 10, F_TEXT, "YYYY-MM-DD"},
	[D_LOT] = {"Lot", 20, F_TEXT, "required", 63},
	[D_SITE] = {"Site", 20, F_TEXT, "required, e.g. left deltoid", 63},
	[D_BY] = {"Given by", 24, F_TEXT, "optional", 127},
	[D_OVERRIDE] = {"Override", 30, F_TEXT, "only to give a live vaccine the gate blocks", STORE_EIE_MAX},
};

static const char *const series_codes[] = {"PCV", "PPSV23", "FLU", "COVID19", "TDAP", "HIB", "IPV", "HEPB",
					   "HEPA", "MENACWY", "MENB", "HPV", "RZV", "MMR", "VAR", NULL};
static const char *const series_names[] = {"pneumococcal conjugate", "pneumococcal polysaccharide",
					   "influenza, inactivated", "COVID-19", "tetanus, diphtheria, pertussis",
					   "Haemophilus influenzae type b", "polio, inactivated", "hepatitis B",
					   "hepatitis A", "meningococcal ACWY", "meningococcal B",
					   "human papillomavirus", "recombinant zoster", "measles, mumps, rubella (live)",
					   "varicella (live)"};

struct dose_st {
	struct fform f;
	struct ef_patient pat;
	int shown[D_N];
	char vaccine[16], on[16], lot[64], site[64], by[128], override[4 * STORE_EIE_MAX + 1];
	ef_day day;
	/* the live-vaccine gate for gate_vaccine on gate_day (dose_gate) */
	char gate_vaccine[16];
	ef_day gate_day;
	int gate_blocked;        /* a live vaccine and the gate closed */
	char gate_reason[EF_REASON_LEN];
};

static int dose_validate(struct app *a, struct dose_st *st)
{
	struct fform *f = &st->f;
	int bad = 0;
	for (int i = 0; i < D_N; i++)
		f->err[i][0] = '\0';
	fform_get(f, D_VACCINE, st->vaccine, sizeof st->vaccine);
	fform_get(f, D_DATE, st->on, sizeof st->on);
	fform_get(f, D_LOT, st->lot, sizeof st->lot);
	fform_get(f, D_SITE, st->site, sizeof st->site);
	fform_get(f, D_BY, st->by, sizeof st->by);
	fform_get(f, D_OVERRIDE, st->override, sizeof st->override);
	if (!st->lot[0])
		snprintf(f->err[D_LOT], sizeof f->err[0], "required for a dose given here");
	if (!st->site[0])
		snprintf(f->err[D_SITE], sizeof f->err[0], "required for a dose given here");
	if (st->gate_blocked && !st->override[0])
		snprintf(f->err[D_OVERRIDE], sizeof f->err[0], "required: live vaccines are contraindicated (below)");
	else if (!st->gate_blocked && st->override[0])
		snprintf(f->err[D_OVERRIDE], sizeof f->err[0], "not needed: nothing contraindicates it (leave empty)");
	else if (strlen(st->override) > STORE_EIE_MAX)
		snprintf(f->err[D_OVERRIDE], sizeof f->err[0], "too long (%zu bytes, at most %d)", strlen(st->override),
			 STORE_EIE_MAX);
	if (!st->vaccine[0])
		snprintf(f->err[D_VACCINE], sizeof f->err[0], "choose a vaccine");
	if (!st->on[0])
		snprintf(f->err[D_DATE], sizeof f->err[0], "required: the day it was given");
	else if (ef_date_parse(st->on, strlen(st->on), &st->day))
		snprintf(f->err[D_DATE], sizeof f->err[0], "not a real date (YYYY-MM-DD)");
	else if (st->day > a->today)
		snprintf(f->err[D_DATE], sizeof f->err[0], "in the future");
	else if (st->pat.birth != EF_NO_DAY && st->day < st->pat.birth)
		snprintf(f->err[D_DATE], sizeof f->err[0], "before the birth date");
	for (int i = 0; i < D_N; i++)
		if (f->err[i][0]) {
			bad++;
			if (!st->shown[i])
				f->err[i][0] = '\0';
		}
	int c = f->choice[D_VACCINE];
	snprintf(f->note[D_VACCINE], sizeof f->note[0], "%s", c >= 0 && c < (int)NELEM(series_names) ? series_names[c] : "");
	return bad;
}

/* The live-vaccine gate for the vaccine and day in the form (the loop calls
 * this as the screen's load: it reads the database). */
static int dose_gate(struct app *a, struct screen *s)
{
	struct dose_st *st = s->st;
	struct fform *f = &st->f;
	char on[16];
	ef_day day;
	fform_get(f, D_VACCINE, st->gate_vaccine, sizeof st->gate_vaccine);
	fform_get(f, D_DATE, on, sizeof on);
	st->gate_blocked = 0;
	st->gate_reason[0] = '\0';
	st->gate_day = ef_date_parse(on, strlen(on), &day) ? EF_NO_DAY : day;
	if (st->gate_day == EF_NO_DAY || !st->gate_vaccine[0])
		return EF_OK;
	const struct ef_reference *ref = tui_reference(a);
	if (!ref)
		return EF_DB;
	int live = 0;
	struct ef_live_gate g;
	int rc = store_live_gate(a->s, ref, s->patient_id, st->gate_vaccine, st->gate_day, &live, &g, &a->err);
	if (rc)
		return rc;
	if (live && !g.open) {
		st->gate_blocked = 1;
		snprintf(st->gate_reason, sizeof st->gate_reason, "%s", g.reason);
	}
	return EF_OK;
}

/* Has the vaccine or the day changed since dose_gate looked? */
static int dose_gate_stale(struct dose_st *st)
{
	char v[16], on[16];
	ef_day day;
	fform_get(&st->f, D_VACCINE, v, sizeof v);
	fform_get(&st->f, D_DATE, on, sizeof on);
	if (ef_date_parse(on, strlen(on), &day))
		day = EF_NO_DAY;
	return strcmp(v, st->gate_vaccine) != 0 || day != st->gate_day;
}

static int dose_open(struct app *a, struct screen *s, const struct request *rq)
{
	struct dose_st *st = fform_screen_open(a, s, rq, sizeof *st);
	if (!st)
		return EF_DB;
	int rc = store_patient_get(a->s, rq->patient_id, &st->pat, &a->err);
	if (rc)
		return rc;
	if (fform_init(&st->f, dose_spec, D_N))
		return ef_errf(&a->err, EF_DB, "cannot build the form");
	int sel = 0;
	for (int i = 0; series_codes[i]; i++)
		if (strcmp(series_codes[i], rq->text) == 0)
			sel = i;
	fform_set_choices(&st->f, D_VACCINE, series_codes, sel);
	char today[11];
	ef_date_format(a->today, today);
	fform_set(&st->f, D_DATE, today);
	fform_set(&st->f, D_BY, store_user(a->s));
	st->f.dirty = 0;
	fmt_patient(&st->pat, s->title, sizeof s->title);
	/* one dose draft per patient: its vaccine is one of its fields, so it
	 * comes back whichever worklist row the form is opened from (a row's
	 * series is no longer listed once a dose of it is given) */
	tui_draft_slot(s, "dose", "dose form", rq->patient_id, st->pat.mrn, NULL);
	return dose_gate(a, s);
}


static void dose_draw(struct app *a, struct screen *s, WINDOW *body)
{
	struct dose_st *st = s->st;
	struct fform *f = &st->f;
	if (fform_too_small(f, body, "this form"))
		return;
	dose_validate(a, st);
	put_fmt(f->win, 0, 1, getmaxx(f->win) - 1, A_BOLD, "Record a vaccine dose given to %s, %s (MRN %s)",
		st->pat.family_name, st->pat.given_name, st->pat.mrn);
	if (st->gate_blocked) {
		/* every failed condition, wrapped under the form */
		int w = getmaxx(f->win) - 2, y = f->y0 + f->n + 2, h = getmaxy(f->win);
		char on[11];
		ef_date_format(st->gate_day, on);
		char text[EF_REASON_LEN + 200];
		snprintf(text, sizeof text,
			 "%s is a live vaccine, contraindicated on %s: %s. To give it anyway, enter an override reason.",
			 st->gate_vaccine, on, st->gate_reason);
		const char *p = text;
		while (*p && y < h && w > 10) {
			size_t n = strlen(p);
			if ((int)n > w) {
				n = (size_t)w;
				while (n > 0 && p[n] != ' ')
					n--;
				if (n == 0)
					n = (size_t)w;
			}
			put_fmt(f->win, y++, 1, w, tui_attr(R_BLOCKED), "%.*s", (int)n, p);
			p += n;
			while (*p == ' ')
				p++;
		}
	}
	fform_draw(f, a->utf8);
}

static enum action dose_save(struct app *a, struct screen *s)
{
	struct dose_st *st = s->st;
	for (int i = 0; i < D_N; i++)
		st->shown[i] = 1;
	int bad = dose_validate(a, st);
	if (bad) {
		tui_msg(a, MSG_FORM_INVALID, bad, bad == 1 ? "" : "s");
		return ACTION_REDRAW;
	}
	int known = 0;
	if (store_vaccine_known(a->s, st->vaccine, strlen(st->vaccine), &known, &a->err)) {
		tui_msg_err(a, &a->err);
		return ACTION_REDRAW;
	}
	if (!known) {
		snprintf(st->f.err[D_VACCINE], sizeof st->f.err[0], "not a known vaccine code");
		tui_msg(a, MSG_FORM_INVALID, 1, "");
		return ACTION_REDRAW;
	}
	/* the gate as of this vaccine and day, whatever was typed last */
	if (dose_gate(a, s)) {
		tui_msg_err(a, &a->err);
		return ACTION_REDRAW;
	}
	if ((bad = dose_validate(a, st))) {
		tui_msg(a, MSG_FORM_INVALID, bad, bad == 1 ? "" : "s");
		return ACTION_REDRAW;
	}
	struct store_vaccination_rec r = {s->patient_id, st->vaccine, st->on, st->lot, st->site, st->by};
	r.source = "administered";
	r.source_given = 1;
	r.override_reason = st->gate_blocked ? st->override : NULL;
	struct app_env env;
	struct app_saved saved;
	if (tui_env(a, &env) || app_record_dose(&env, &r, &saved, &a->err)) {
		tui_msg_err(a, &a->err);
		return ACTION_REDRAW;
	}
	st->f.dirty = 0;
	if (saved.put == STORE_UNCHANGED) {
		tui_msg(a, MSG_DOSE_UNCHANGED, st->vaccine, st->on);
		return ACTION_POP;
	}
	char rules[200];
	tui_alerts_summary(&saved, rules, sizeof rules);
	tui_msg(a, MSG_DOSE_SAVED, st->vaccine, st->on, rules);
	return ACTION_POP;
}

static enum action dose_key(struct app *a, struct screen *s, int key, enum cmd cmd)
{
	(void)a;
	struct dose_st *st = s->st;
	enum action act = fform_screen_key(&st->f, st->shown, key, cmd);
	if ((act == ACTION_NONE || act == ACTION_REDRAW) && dose_gate_stale(st))
		return ACTION_RELOAD; /* the loop re-reads the gate (dose_gate) */
	return act;
}


const struct screen_ops doseform_ops = {
	.name = "Record dose",
	.about = "Record a vaccine dose given here (administered): the vaccine series, the day "
		 "(today unless you change it), the lot and the injection site (both required), and "
		 "who gave it. A live vaccine while live vaccines are contraindicated (the live-vaccine "
		 "gate) shows every failed condition and is saved only with an override reason, which "
		 "the LIVE_VACCINE_CONTRAINDICATED alert then names. F2 or Ctrl-S saves; Esc leaves "
		 "(asks first if you typed anything).",
	.open = dose_open,
	.load = dose_gate,
	.draw = dose_draw,
	.key = dose_key,
	.save = dose_save,
	.dirty = fform_screen_dirty,
	.layout = fform_screen_layout,
	.close = fform_screen_close,
	.help = form_keys,
};
