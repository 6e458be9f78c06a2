/* list.c - the patient list: MRN, name, day +N, transplant type, open
 * alerts. Incremental search (`/`) by MRN or name prefix. Pages come from
 * keyset queries (browse.h): the screen keeps only the visible rows and the
 * key of the first one, so 10,000 patients open as fast as 10. */
#include <stdlib.h>
#include <string.h>

#include "engraft/browse.h"
#include "filter.h"
#include "tui_int.h"

enum { MODE_NORMAL = 0, MODE_SEARCH = 1 };
#define M_NORMAL (1u << MODE_NORMAL)
#define M_SEARCH (1u << MODE_SEARCH)
#define MAX_ROWS 256

enum nav { NAV_STAY = 0, NAV_FIRST, NAV_LAST, NAV_NEXT_ROW, NAV_PREV_ROW, NAV_NEXT_PAGE, NAV_PREV_PAGE };

struct list_st {
	char filter[128];
	enum browse_care care;   /* c: every patient, in care, deceased */
	char before_search[128];
	struct browse_key top;   /* first visible row */
	int have_top;
	struct browse_patient rows[MAX_ROWS + 1];
	int n;                   /* rows loaded (visible, at most page) */
	int more;                /* a row follows the last visible one */
	struct browse_key next;  /* its key */
	int cur;
	int page;                /* visible rows */
	int64_t total;
	enum nav nav;
};

static const struct keybind keys[] = {
	{{'/'}, "/", CMD_SEARCH, "Search", "search by MRN or name prefix (incremental)", M_NORMAL},
	{{'\n', '\r', K(KEY_ENTER)}, "Enter", CMD_OPEN, "Open", "open the selected patient's chart", M_NORMAL},
	{{'c'}, "c", CMD_FILTER, "Care", "show every patient, those in this clinic's care, or the deceased (in turn)",
	 M_NORMAL},
	{{'\n', '\r', K(KEY_ENTER)}, "Enter", CMD_SEARCH_KEEP, "Keep", "keep the filter and go back to the list",
	 M_SEARCH},
	{{KEY_ESCAPE}, "Esc", CMD_SEARCH_CLEAR, "Clear", "clear the filter", M_SEARCH},
	{{KEY_ESCAPE}, "Esc", CMD_CLEAR_FILTERS, NULL, "clear the search and the c filter; with neither, quit", M_NORMAL},
	{{K(KEY_UP), 'k'}, "Up/k", CMD_UP, NULL, "previous patient", M_NORMAL},
	{{K(KEY_DOWN), 'j'}, "Down/j", CMD_DOWN, NULL, "next patient", M_NORMAL},
	{{K(KEY_UP)}, "Up", CMD_UP, NULL, NULL, M_SEARCH},
	{{K(KEY_DOWN)}, "Down", CMD_DOWN, NULL, NULL, M_SEARCH},
	{{K(KEY_PPAGE)}, "PgUp", CMD_PAGE_UP, NULL, "previous page", 0},
	{{K(KEY_NPAGE), ' '}, "PgDn", CMD_PAGE_DOWN, NULL, "next page (also Space)", M_NORMAL},
	{{K(KEY_NPAGE)}, "PgDn", CMD_PAGE_DOWN, NULL, NULL, M_SEARCH},
	{{K(KEY_HOME)}, "Home", CMD_HOME, NULL, "first patient", 0},
	{{K(KEY_END)}, "End", CMD_END, NULL, "last patient", 0},
	{{'n'}, "n", CMD_NEW_PATIENT, "New", "register a new patient (MRN, names, birth date, sex, diagnosis)", M_NORMAL},
	KEYS_END,
};

static int page_rows(WINDOW *w, const struct list_st *st)
{
	(void)st;
	int h = getmaxy(w) - 2; /* column header, search line */
	if (h < 1)
		h = 1;
	if (h > MAX_ROWS)
		h = MAX_ROWS;
	return h;
}

static int fetch(struct app *a, struct list_st *st, enum browse_dir dir, const struct browse_key *k, int max,
		 struct browse_patient *out, int *n)
{
	return browse_patients(a->s, st->filter, st->care, a->today, dir, k, out, max, n, &a->err);
}

/* Load the page that starts at st->top (or the first page), page+1 rows to
 * know whether more follow; when it comes back short, slide back so the
 * last page is full. */
static int load_from_top(struct app *a, struct list_st *st)
{
	int n = 0, rc;
	rc = fetch(a, st, BROWSE_FROM, st->have_top ? &st->top : NULL, st->page + 1, st->rows, &n);
	if (rc)
		return rc;
	if (n < st->page + 1 && st->have_top) {
		/* short: fill from before */
		struct browse_patient prev[MAX_ROWS];
		int m = 0;
		int want = st->page - n;
		if (want > 0) {
			rc = fetch(a, st, BROWSE_BEFORE, &st->top, want, prev, &m);
			if (rc)
				return rc;
			if (m > 0) {
				memmove(st->rows + m, st->rows, (size_t)n * sizeof st->rows[0]);
				memcpy(st->rows, prev, (size_t)m * sizeof prev[0]);
				st->cur += m;
				n += m;
			}
		}
	}
	st->more = n > st->page;
	if (st->more)
		browse_key_of(&st->rows[st->page], &st->next);
	st->n = st->more ? st->page : n;
	if (st->n > 0) {
		browse_key_of(&st->rows[0], &st->top);
		st->have_top = 1;
	} else {
		st->have_top = 0;
	}
	if (st->cur >= st->n)
		st->cur = st->n ? st->n - 1 : 0;
	if (st->cur < 0)
		st->cur = 0;
	return EF_OK;
}

static int list_load(struct app *a, struct screen *s)
{
	struct list_st *st = s->st;
	st->page = page_rows(a->body, st);
	int rc;
	struct browse_patient tmp[MAX_ROWS];
	int m = 0;
	enum nav nav = st->nav;
	st->nav = NAV_STAY;
	switch (nav) {
	case NAV_FIRST:
		st->have_top = 0;
		st->cur = 0;
		break;
	case NAV_LAST:
		if ((rc = fetch(a, st, BROWSE_BEFORE, NULL, st->page, tmp, &m)))
			return rc;
		st->have_top = m > 0;
		if (m > 0)
			browse_key_of(&tmp[0], &st->top);
		st->cur = m - 1;
		break;
	case NAV_NEXT_ROW:
		if (st->n > 1) {
			browse_key_of(&st->rows[1], &st->top);
			st->have_top = 1;
		} else if (st->more) {
			st->top = st->next;
		}
		break;
	case NAV_PREV_ROW:
		if (st->have_top) {
			if ((rc = fetch(a, st, BROWSE_BEFORE, &st->top, 1, tmp, &m)))
				return rc;
			if (m == 1)
				browse_key_of(&tmp[0], &st->top);
		}
		break;
	case NAV_NEXT_PAGE:
		if (st->more) {
			st->top = st->next;
			st->have_top = 1;
		} else {
			st->cur = st->n - 1;
		}
		break;
	case NAV_PREV_PAGE:
		if (st->have_top) {
			if ((rc = fetch(a, st, BROWSE_BEFORE, &st->top, st->page, tmp, &m)))
				return rc;
			if (m > 0)
				browse_key_of(&tmp[0], &st->top);
			else
				st->cur = 0;
		}
		break;
	case NAV_STAY:
		break;
	}
	if ((rc = load_from_top(a, st)))
		return rc;
	if ((rc = browse_patient_count(a->s, st->filter, st->care, a->today, &st->total, &a->err)))
		return rc;
	static const char *const shown[] = {"", " in care", " deceased"};
	const char *sh = (unsigned)st->care < 3 ? shown[st->care] : "";
	if (st->filter[0])
		snprintf(s->title, sizeof s->title, "%lld%s matching \"%s\"", (long long)st->total, sh, st->filter);
	else
		snprintf(s->title, sizeof s->title, "%lld%s", (long long)st->total, sh);
	return EF_OK;
}

static int list_open(struct app *a, struct screen *s, const struct request *rq)
{
	(void)rq;
	struct list_st *st = calloc(1, sizeof *st);
	if (!st)
		return ef_errf(&a->err, EF_DB, "out of memory");
	s->st = st;
	st->nav = NAV_FIRST;
	int rc = list_load(a, s);
	if (rc == EF_OK)
		tui_msg(a, MSG_HELLO, (long long)st->total);
	return rc;
}

static void list_close(struct app *a, struct screen *s)
{
	(void)a;
	free(s->st);
	s->st = NULL;
}

static const char *short_type(const char *t)
{
	if (strcmp(t, "allogeneic") == 0)
		return "allo";
	if (strcmp(t, "autologous") == 0)
		return "auto";
	if (strcmp(t, "syngeneic") == 0)
		return "syn";
	if (strcmp(t, "cellular_therapy") == 0)
		return "CAR-T";
	return t;
}

static void list_draw(struct app *a, struct screen *s, WINDOW *w)
{
	struct list_st *st = s->st;
	int cols = getmaxx(w), h = getmaxy(w);
	int wide = cols >= 110;
	/* columns: MRN name day type [age diagnosis] alerts */
	int c_mrn = 1, w_mrn = 12;
	int c_name = c_mrn + w_mrn + 1;
	int w_alert = 10, w_day = 7, w_type = wide ? 11 : 5, w_age = wide ? 5 : 0;
	int w_diag = wide ? 24 : 0;
	int w_name = cols - c_name - w_day - w_type - w_alert - w_age - w_diag - 6;
	if (w_name < 12)
		w_name = 12;
	int c_day = c_name + w_name + 1, c_type = c_day + w_day + 1, c_age = c_type + w_type + 1;
	int c_diag = c_age + (wide ? w_age + 1 : 0), c_alert = c_diag + (wide ? w_diag + 1 : 0);
	attr_t ha = tui_attr(R_HEADER);
	fill_line(w, 0, ha);
	put_text(w, 0, c_mrn, w_mrn, "MRN", ha, 0);
	put_text(w, 0, c_name, w_name, "Name", ha, 0);
	put_text(w, 0, c_day, w_day, "Day", ha, 0);
	put_text(w, 0, c_type, w_type, "Type", ha, 0);
	if (wide) {
		put_text(w, 0, c_age, w_age, "Age", ha, 0);
		put_text(w, 0, c_diag, w_diag, "Diagnosis", ha, 0);
	}
	put_text(w, 0, c_alert, w_alert, "Alerts", ha, 0);
	for (int i = 0; i < st->n && i < st->page; i++) {
		const struct browse_patient *p = &st->rows[i];
		int y = 1 + i;
		int sel = i == st->cur;
		attr_t ra = sel ? tui_attr(R_SELECTED) : A_NORMAL;
		fill_line(w, y, ra);
		put_text(w, y, c_mrn, w_mrn, p->mrn, ra, 0);
		char name[300];
		snprintf(name, sizeof name, "%s, %s", p->family_name, p->given_name);
		put_text(w, y, c_name, w_name, name, ra, 0);
		char d[16];
		fmt_day_n(p->day0, a->today, d, sizeof d);
		put_text(w, y, c_day, w_day, d, ra, 0);
		put_text(w, y, c_type, w_type, wide && strlen(p->type) <= (size_t)w_type ? p->type : short_type(p->type), ra, 0);
		if (wide) {
			if (p->birth != EF_NO_DAY)
				put_fmt(w, y, c_age, w_age, ra, "%d", ef_age_years(p->birth, a->today));
			put_text(w, y, c_diag, w_diag, p->diagnosis, ra, 0);
		}
		if (p->care[0]) { /* not in this clinic's care: said plainly */
			const char *c = strcmp(p->care, "deceased") == 0 ? "DECEASED"
					: strcmp(p->care, "transferred") == 0 ? "transfer" : "lost f/u";
			put_text(w, y, c_alert, w_alert, c, sel ? ra | A_BOLD : tui_attr(R_DIM), 0);
		} else if (p->alerts_open > 0) {
			enum role r = p->alerts_worst == 0 ? R_CRITICAL : p->alerts_worst == 1 ? R_WARNING : R_INFO;
			const char *sv = p->alerts_worst == 0 ? "crit" : p->alerts_worst == 1 ? "warn" : "info";
			put_fmt(w, y, c_alert, w_alert, sel ? ra | A_BOLD : tui_attr(r), "%d %s", p->alerts_open, sv);
		}
	}
	if (st->n == 0)
		put_text(w, 2, 2, cols - 4,
			 st->filter[0] ? "No patient matches the search. Esc clears it."
				       : "No patients yet. Load some with: engraft import patients FILE.csv",
			 tui_attr(R_DIM), 0);
	/* search line */
	int y = h - 1;
	fill_line(w, y, A_NORMAL);
	if (s->mode == MODE_SEARCH) {
		int x = put_text(w, y, 0, cols, "Search: ", tui_attr(R_SEARCH), 0);
		x += put_text(w, y, x, cols - x - 1, st->filter, A_BOLD, 0);
		put_text(w, y, x, 1, "_", A_BLINK | A_BOLD, 0);
		put_text(w, y, x + 2, cols - x - 2, "(MRN, family or given name; Enter keeps, Esc clears)", tui_attr(R_DIM),
			 0);
	} else if (st->filter[0]) {
		put_fmt(w, y, 0, cols, tui_attr(R_SEARCH), "Filter: %s   (/ to change)", st->filter);
	} else if (st->more || st->have_top) {
		put_fmt(w, y, 0, cols, tui_attr(R_DIM), "%lld patients, by name", (long long)st->total);
	}
}

static enum action list_key(struct app *a, struct screen *s, int key, enum cmd cmd)
{
	struct list_st *st = s->st;
	switch (cmd) {
	case CMD_UP:
		if (st->cur > 0) {
			st->cur--;
			return ACTION_REDRAW;
		}
		st->nav = NAV_PREV_ROW;
		return ACTION_RELOAD;
	case CMD_DOWN:
		if (st->cur + 1 < st->n) {
			st->cur++;
			return ACTION_REDRAW;
		}
		if (!st->more)
			return ACTION_NONE;
		st->nav = NAV_NEXT_ROW;
		return ACTION_RELOAD;
	case CMD_PAGE_DOWN:
		st->nav = NAV_NEXT_PAGE;
		return ACTION_RELOAD;
	case CMD_PAGE_UP:
		st->nav = NAV_PREV_PAGE;
		return ACTION_RELOAD;
	case CMD_HOME:
		st->nav = NAV_FIRST;
		return ACTION_RELOAD;
	case CMD_END:
		st->nav = NAV_LAST;
		return ACTION_RELOAD;
	case CMD_FILTER:
		st->care = (enum browse_care)(((int)st->care + 1) % 3);
		st->nav = NAV_FIRST;
		return ACTION_RELOAD;
	case CMD_SEARCH:
		snprintf(st->before_search, sizeof st->before_search, "%s", st->filter);
		s->mode = MODE_SEARCH;
		s->text_input = 1;
		return ACTION_REDRAW;
	case CMD_SEARCH_KEEP:
		s->mode = MODE_NORMAL;
		s->text_input = 0;
		st->before_search[0] = '\0';
		if (st->n == 0 && st->filter[0])
			tui_msg(a, MSG_NO_MATCH, st->filter);
		return ACTION_REDRAW;
	case CMD_SEARCH_CLEAR:
		s->mode = MODE_NORMAL;
		s->text_input = 0;
		st->filter[0] = st->before_search[0] = '\0';
		st->nav = NAV_FIRST;
		return ACTION_RELOAD;
	case CMD_CLEAR_FILTERS: /* Esc: a filtered list first shows every patient again */
		if (!st->filter[0] && st->care == BROWSE_ALL)
			return ACTION_PASS; /* q/Esc: quit */
		st->filter[0] = st->before_search[0] = '\0';
		st->care = BROWSE_ALL;
		st->nav = NAV_FIRST;
		return ACTION_RELOAD;
	case CMD_OPEN:
		if (st->n == 0) {
			tui_msg(a, MSG_NO_SELECTION);
			return ACTION_NONE;
		}
		memset(&a->req, 0, sizeof a->req);
		a->req.ops = &chart_ops;
		a->req.patient_id = st->rows[st->cur].id;
		return ACTION_PUSH;
	case CMD_NEW_PATIENT:
		memset(&a->req, 0, sizeof a->req);
		a->req.ops = &patientform_ops;
		return ACTION_PUSH;
	default:
		break;
	}
	if (s->mode == MODE_SEARCH) {
		/* other keys are not global while typing */
		if (tui_filter_key(st->filter, sizeof st->filter, key) != 1)
			return ACTION_NONE;
		st->nav = NAV_FIRST;
		return ACTION_RELOAD;
	}
	return ACTION_PASS;
}

const struct screen_ops list_ops = {
	.name = "Patients",
	.about = "Every patient, by name. Type / and part of an MRN, a family name or a given name "
		 "(\"smith j\" also works) to narrow the list as you type; Enter keeps the filter, "
		 "Esc clears it. Enter on a patient opens the chart. Day is days since the latest "
		 "transplant (day +N); Alerts counts open alerts, coloured by the worst severity, or says "
		 "DECEASED, transfer or lost f/u for a patient no longer in this clinic's care. c shows "
		 "every patient, those in care, or the deceased, in turn.",
	.open = list_open,
	.load = list_load,
	.draw = list_draw,
	.key = list_key,
	.close = list_close,
	.help = keys,
};
