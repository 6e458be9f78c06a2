/* trend.c - one count of one patient over time (t on the chart): the whole
 * series since day 0 plotted in braille cells (ASCII without UTF-8), a y
 * axis from 0 in the test's canonical unit, an x axis in days after day 0,
 * the reference thresholds that matter for the test drawn across
 * (engraftment, IgG low, immune milestones: engraft/trend.h), transfusions,
 * IVIG and the engraftment day marked under the time axis, and below the
 * values as a scrollable table, newest first, as they were entered.
 * Left/Right and Tab/Shift-Tab cycle the tests. Everything is computed by
 * the core (trend.h, engraftment.h, labref.h); this file only draws. */
#include <stdlib.h>
#include <string.h>

#include "engraft/browse.h"
#include "engraft/engraftment.h"
#include "engraft/labref.h"
#include "engraft/timeline.h"
#include "engraft/trend.h"
#include "engraft/units.h"
#include "tui_int.h"

#define PLOT_MAX_ROWS 24
#define PLOT_MAX_COLS 256

struct trend_row {
	const struct ef_lab *lab;
	const char *entered;     /* "<0.1 10^9/L" as entered; NULL: not among the records read */
};

struct trend_st {
	struct ef_timeline tl;
	const struct ef_transplant *tp;
	const struct ef_reference *ref;
	struct ef_engraftment eng;
	int have_eng;
	struct browse_record *recs;
	int n_recs, more_recs;
	enum ef_test tests[EF_T_COUNT];
	size_t n_tests;
	enum ef_test test;
	ef_day first, last;       /* the x axis */
	struct trend_row *rows;   /* the series of `test`, oldest first */
	int n_rows;
	struct ef_trend_point *pts;
	struct ef_trend_threshold thr[EF_TREND_MAX_THRESHOLDS];
	size_t n_thr;
	int scroll;               /* table: first row shown (newest first) */
	int table_rows;           /* rows the last draw had for the table */
	int log;                  /* L: a logarithmic y axis (low counts spread out) */
};

static const struct keybind keys[] = {
	{{K(KEY_RIGHT), '\t'}, "Right/Tab", CMD_TEST_NEXT, "Next test",
	 "the next test: ANC, PLT, ALC, WBC, HGB, CD4, IGG, then the patient's other tests", 0},
	{{K(KEY_LEFT), K(KEY_BTAB)}, "Left/S-Tab", CMD_TEST_PREV, "Prev", "the previous test", 0},
	{{'L'}, "L", CMD_LOG_SCALE, "Log",
	 "a logarithmic y axis (powers of ten) or back to linear from 0: low counts near a threshold spread out", 0},
	{{K(KEY_UP), 'k'}, "Up", CMD_UP, NULL, "scroll the table of values up (newer)", 0},
	{{K(KEY_DOWN), 'j'}, "Down", CMD_DOWN, NULL, "scroll the table of values down (older)", 0},
	{{K(KEY_PPAGE)}, "PgUp", CMD_PAGE_UP, NULL, "a page of values up", 0},
	{{K(KEY_NPAGE), ' '}, "PgDn", CMD_PAGE_DOWN, NULL, "a page of values down", 0},
	{{K(KEY_HOME)}, "Home", CMD_HOME, NULL, "the newest value", 0},
	{{K(KEY_END)}, "End", CMD_END, NULL, "the oldest value", 0},
	KEYS_END,
};

static int lab_cmp(const void *x, const void *y)
{
	const struct trend_row *a = x, *b = y;
	if (a->lab->day != b->lab->day)
		return a->lab->day < b->lab->day ? -1 : 1;
	return (a->lab->secs > b->lab->secs) - (a->lab->secs < b->lab->secs);
}

/* The series of st->test, its axis days and thresholds (no database). */
static int build_series(struct app *a, struct trend_st *st)
{
	free(st->rows);
	free(st->pts);
	st->rows = NULL;
	st->pts = NULL;
	st->n_rows = 0;
	st->scroll = 0;
	ef_day from = st->tp ? st->tp->day0 : EF_NO_DAY;
	size_t n = 0;
	for (size_t i = 0; i < st->tl.n_labs; i++) {
		const struct ef_lab *l = &st->tl.labs[i];
		if (l->test == st->test && (from == EF_NO_DAY || l->day >= from) && l->day <= a->today)
			n++;
	}
	if (n) {
		st->rows = calloc(n, sizeof *st->rows);
		st->pts = calloc(n, sizeof *st->pts);
		if (!st->rows || !st->pts)
			return ef_errf(&a->err, EF_DB, "out of memory");
	}
	for (size_t i = 0; i < st->tl.n_labs; i++) {
		const struct ef_lab *l = &st->tl.labs[i];
		if (l->test != st->test || (from != EF_NO_DAY && l->day < from) || l->day > a->today)
			continue;
		struct trend_row *r = &st->rows[st->n_rows++];
		r->lab = l;
		/* the value and unit as entered: the records list has them */
		for (int k = 0; k < st->n_recs; k++) {
			const struct browse_record *b = &st->recs[k];
			if (b->kind == STORE_K_LABS && b->id == l->id) {
				const char *sp = strchr(b->what, ' ');
				r->entered = sp ? sp + 1 : b->what;
				break;
			}
		}
	}
	if (st->n_rows > 1)
		qsort(st->rows, (size_t)st->n_rows, sizeof *st->rows, lab_cmp);
	for (int i = 0; i < st->n_rows; i++) {
		st->pts[i].day = st->rows[i].lab->day;
		st->pts[i].value = st->rows[i].lab->value;
		st->pts[i].qual = st->rows[i].lab->qual;
	}
	st->first = st->tp ? st->tp->day0 : st->n_rows ? st->rows[0].lab->day : a->today;
	st->last = a->today > st->first ? a->today : st->first + 1;
	st->n_thr = ef_trend_thresholds(st->ref, st->tp, st->test, st->thr, EF_TREND_MAX_THRESHOLDS);
	return EF_OK;
}

static void set_title(struct trend_st *st, struct screen *s)
{
	char who[300];
	fmt_patient(&st->tl.patient, who, sizeof who);
	snprintf(s->title, sizeof s->title, "%s  %s", ef_test_code(st->test), who);
}

static int trend_load(struct app *a, struct screen *s)
{
	struct trend_st *st = s->st;
	int rc = store_load_timeline(a->s, s->patient_id, a->today, &st->tl, &a->err);
	if (rc)
		return rc;
	st->tp = ef_current_transplant(&st->tl, a->today);
	st->ref = tui_reference(a);
	st->have_eng = 0;
	if (st->tp && st->ref &&
	    ef_engraftment_eval(&st->tl, st->tp, st->ref, a->today, &st->eng, &a->err) == EF_OK)
		st->have_eng = 1;
	if (!st->recs && !(st->recs = calloc(BROWSE_RECORDS_MAX, sizeof *st->recs)))
		return ef_errf(&a->err, EF_DB, "out of memory");
	if ((rc = browse_records(a->s, s->patient_id, st->recs, BROWSE_RECORDS_MAX, &st->n_recs, &st->more_recs,
				 &a->err)))
		return rc;
	st->n_tests = ef_trend_tests(&st->tl, st->tp ? st->tp->day0 : EF_NO_DAY, st->tests);
	int scroll = st->scroll;
	if ((rc = build_series(a, st)))
		return rc;
	st->scroll = scroll < st->n_rows ? scroll : 0;
	set_title(st, s);
	return EF_OK;
}

static int trend_open(struct app *a, struct screen *s, const struct request *rq)
{
	struct trend_st *st = calloc(1, sizeof *st);
	if (!st)
		return ef_errf(&a->err, EF_DB, "out of memory");
	ef_timeline_init(&st->tl);
	s->st = st;
	s->patient_id = rq->patient_id;
	st->test = rq->arg > 0 && rq->arg <= EF_T_COUNT ? (enum ef_test)(rq->arg - 1) : EF_T_ANC;
	return trend_load(a, s);
}

static void trend_close(struct app *a, struct screen *s)
{
	(void)a;
	struct trend_st *st = s->st;
	if (st) {
		ef_timeline_free(&st->tl);
		free(st->recs);
		free(st->rows);
		free(st->pts);
	}
	free(st);
	s->st = NULL;
}

/* ---- drawing ---- */

static void put_glyph(WINDOW *w, int y, int x, const char *utf8, char ascii, int is_utf8, attr_t at)
{
	char one[2] = {ascii, 0};
	put_text(w, y, x, 1, is_utf8 ? utf8 : one, at, 0);
}

/* A braille cell: U+2800 + dots, as UTF-8. */
static void braille(unsigned char dots, char out[4])
{
	unsigned cp = 0x2800u + dots;
	out[0] = (char)(0xE0 | (cp >> 12));
	out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[2] = (char)(0x80 | (cp & 0x3F));
	out[3] = '\0';
}

static const char *short_kind(enum ef_thr_kind k)
{
	switch (k) {
	case EF_THR_ENGRAFTMENT:
		return "engraft.";
	case EF_THR_IGG_LOW:
		return "IgG low";
	default:
		return "milestone";
	}
}

/* The tests to cycle, the current one highlighted; then what it is. */
static void draw_heading(struct app *a, struct trend_st *st, WINDOW *w)
{
	int cols = getmaxx(w), x = 1;
	for (size_t i = 0; i < st->n_tests; i++) {
		const char *code = ef_test_code(st->tests[i]);
		attr_t at = st->tests[i] == st->test ? tui_attr(R_SELECTED) : tui_attr(R_DIM);
		if (x + text_width(code) + 2 > cols)
			break;
		x += put_fmt(w, 0, x, cols - x, at, " %s ", code);
		x += put_text(w, 0, x, cols - x, " ", A_NORMAL, 0);
	}
	char d0[11];
	x = 1;
	x += put_fmt(w, 1, x, cols - x, A_BOLD, "%s", ef_test_name(st->test));
	x += put_fmt(w, 1, x, cols - x, A_NORMAL, " in %s%s: %d result%s", ef_test_canonical_unit(st->test),
		     st->log ? " (log)" : "", st->n_rows, st->n_rows == 1 ? "" : "s");
	if (st->tp) {
		ef_date_format(st->tp->day0, d0);
		put_fmt(w, 1, x, cols - x, A_NORMAL, " since day 0 (%s)", d0);
	} else {
		ef_date_format(st->first, d0);
		put_fmt(w, 1, x, cols - x, tui_attr(R_WARNING), "; no transplant: days after %s", d0);
	}
	(void)a;
}

struct layout {
	int top, ph, pw;          /* plot: first row, rows, columns */
	int x0;                   /* first plot column (after the y axis) */
	int margin;               /* columns right of the plot for threshold labels */
};

static void plot_layout(struct trend_st *st, WINDOW *w, struct ef_trend_axis *ax, struct layout *lo)
{
	int rows = getmaxy(w), cols = getmaxx(w);
	/* 2 heading rows, the plot, axis, day labels, events, legend, table header */
	const int fixed = 7;
	lo->top = 2;
	if (rows >= 30)
		lo->ph = (rows - fixed) / 2;
	else
		lo->ph = rows - fixed - 4;
	if (lo->ph > 20)
		lo->ph = 20;
	if (lo->ph < 3)
		lo->ph = 3;
	double vmax = 0, vmin = 0; /* vmin: the smallest positive value */
	for (int i = 0; i < st->n_rows + (int)st->n_thr; i++) {
		double v = i < st->n_rows ? st->pts[i].value : st->thr[i - st->n_rows].value;
		if (v > vmax)
			vmax = v;
		if (v > 0 && (vmin == 0 || v < vmin))
			vmin = v;
	}
	if (st->log)
		ef_trend_axis_log(vmin, vmax, lo->ph, ax);
	else
		ef_trend_axis(vmax, lo->ph, ax);
	int yw = 1;
	for (int i = 0; i < ax->n_ticks; i++) {
		char num[40];
		ef_decimal_format(ax->ticks[i], num, sizeof num);
		if ((int)strlen(num) > yw)
			yw = (int)strlen(num);
	}
	lo->x0 = yw + 2;
	lo->margin = cols >= 120 ? 28 : 17;
	lo->pw = cols - lo->x0 - lo->margin;
	if (lo->pw > PLOT_MAX_COLS)
		lo->pw = PLOT_MAX_COLS;
	if (lo->pw < 4)
		lo->pw = 4;
}

/* The cell column of a day on the plot (as ef_trend_plot puts it). */
static int col_of(const struct trend_st *st, const struct layout *lo, ef_day d)
{
	return ef_trend_pos(st->first, st->last, d, 2 * lo->pw) / 2;
}

static void draw_plot(struct app *a, struct trend_st *st, WINDOW *w, const struct ef_trend_axis *ax,
		      const struct layout *lo)
{
	int cols = getmaxx(w);
	static unsigned char dots[PLOT_MAX_ROWS * PLOT_MAX_COLS];
	static char mark[PLOT_MAX_ROWS * PLOT_MAX_COLS];
	int ph = lo->ph > PLOT_MAX_ROWS ? PLOT_MAX_ROWS : lo->ph, pw = lo->pw;
	ef_trend_plot(ax, st->first, st->last, st->pts, (size_t)st->n_rows, ph, pw, dots, mark);
	/* which row each threshold is on */
	int thr_row[EF_TREND_MAX_THRESHOLDS];
	for (size_t i = 0; i < st->n_thr; i++)
		thr_row[i] = ef_trend_row(ax, st->thr[i].value, ph);
	/* y axis: tick labels right-aligned, the axis line */
	for (int r = 0; r < ph; r++)
		put_glyph(w, lo->top + r, lo->x0 - 1, "\u2502", '|', a->utf8, tui_attr(R_DIM));
	for (int i = 0; i < ax->n_ticks; i++) {
		char num[40];
		ef_decimal_format(ax->ticks[i], num, sizeof num);
		int r = ef_trend_row(ax, ax->ticks[i], ph);
		int len = (int)strlen(num);
		put_text(w, lo->top + r, lo->x0 - 2 - len, len, num, A_NORMAL, 0);
		put_glyph(w, lo->top + r, lo->x0 - 1, "\u2524", '+', a->utf8, tui_attr(R_DIM));
	}
	/* the plot */
	for (int r = 0; r < ph; r++) {
		int on_thr = -1;
		for (size_t i = 0; i < st->n_thr; i++)
			if (thr_row[i] == r)
				on_thr = (int)i;
		for (int c = 0; c < pw; c++) {
			int y = lo->top + r, x = lo->x0 + c;
			char m = mark[r * pw + c];
			unsigned char d = dots[r * pw + c];
			if (m == '<' || m == '>') {
				put_glyph(w, y, x, m == '<' ? "\u25bc" : "\u25b2", m == '<' ? 'v' : '^', a->utf8,
					  tui_attr(R_LOW) | A_BOLD);
			} else if (m == 'o') {
				put_glyph(w, y, x, "\u2022", 'o', a->utf8, tui_attr(R_INFO) | A_BOLD);
			} else if (d) {
				char b[4];
				braille(d, b);
				put_glyph(w, y, x, b, '.', a->utf8, tui_attr(R_INFO));
			} else if (on_thr >= 0) {
				put_glyph(w, y, x, "\u2500", '-', a->utf8, tui_attr(R_WARNING));
			}
		}
		/* the threshold's value and name at the right */
		if (on_thr >= 0) {
			const struct ef_trend_threshold *t = &st->thr[on_thr];
			char num[40], label[160];
			ef_decimal_format(t->value, num, sizeof num);
			snprintf(label, sizeof label, "%s %s", num, t->label);
			if (text_width(label) > lo->margin - 1)
				snprintf(label, sizeof label, "%s %s", num, short_kind(t->kind));
			put_text(w, lo->top + r, lo->x0 + pw + 1, cols - (lo->x0 + pw + 1), label, tui_attr(R_WARNING), 0);
		}
	}
	/* x axis: the line with a tick at each label, then the labels */
	int ay = lo->top + ph;
	put_glyph(w, ay, lo->x0 - 1, "\u2514", '+', a->utf8, tui_attr(R_DIM));
	for (int c = 0; c < pw; c++)
		put_glyph(w, ay, lo->x0 + c, "\u2500", '-', a->utf8, tui_attr(R_DIM));
	int days[64];
	size_t nd = ef_trend_xticks(st->first, st->last, pw, 8, days, 64);
	int next_free = 0;
	put_text(w, ay, lo->x0 + pw + 1, cols - (lo->x0 + pw + 1), st->tp ? "day +N" : "days", tui_attr(R_DIM), 0);
	for (size_t i = 0; i < nd; i++) {
		int c = col_of(st, lo, st->first + days[i]);
		put_glyph(w, ay, lo->x0 + c, "\u252c", '+', a->utf8, tui_attr(R_DIM));
		char lab[16];
		snprintf(lab, sizeof lab, "%+d", days[i]);
		int len = (int)strlen(lab);
		if (c < next_free || lo->x0 + c + len > cols)
			continue;
		put_text(w, ay + 1, lo->x0 + c, len, lab, A_NORMAL, 0);
		next_free = c + len + 1;
	}
}

/* Transfusions (T), IVIG (I) and the engraftment day of this count (E)
 * under the time axis, and what the marks mean. */
static void draw_events(struct app *a, struct trend_st *st, WINDOW *w, const struct layout *lo)
{
	int cols = getmaxx(w), y = lo->top + lo->ph + 2;
	static char ev[PLOT_MAX_COLS];
	memset(ev, 0, sizeof ev);
	int n_t = 0, n_i = 0;
	for (size_t i = 0; i < st->tl.n_transfusions; i++) {
		ef_day d = st->tl.transfusions[i].day;
		if (d < st->first || d > st->last)
			continue;
		int c = col_of(st, lo, d);
		ev[c] = ev[c] && ev[c] != 'T' ? '*' : 'T';
		n_t++;
	}
	for (size_t i = 0; i < st->tl.n_ivig; i++) {
		ef_day d = st->tl.ivig[i].day;
		if (d < st->first || d > st->last)
			continue;
		int c = col_of(st, lo, d);
		ev[c] = ev[c] && ev[c] != 'I' ? '*' : 'I';
		n_i++;
	}
	ef_day eng = EF_NO_DAY;
	if (st->have_eng && st->test == EF_T_ANC && st->eng.status == EF_ENGRAFT_ENGRAFTED)
		eng = st->eng.anc.date;
	else if (st->have_eng && st->test == EF_T_PLT && st->eng.plt_status == EF_PLT_ENGRAFTED)
		eng = st->eng.plt.date;
	/* the engraftment day on the axis line itself (events share the row) */
	if (eng != EF_NO_DAY && eng >= st->first && eng <= st->last)
		put_text(w, y - 2, lo->x0 + col_of(st, lo, eng), 1, "E", tui_attr(R_GOOD) | A_BOLD, 0);
	for (int c = 0; c < lo->pw; c++) {
		if (!ev[c])
			continue;
		char g[2] = {ev[c], 0};
		put_text(w, y, lo->x0 + c, 1, g, tui_attr(R_INFO) | A_BOLD, 0);
	}
	/* the legend */
	int x = 1;
	y++;
	if (eng != EF_NO_DAY) {
		char dn[16];
		fmt_day_n(st->first, eng, dn, sizeof dn);
		x += put_fmt(w, y, x, cols - x, tui_attr(R_GOOD), "E engrafted %s", dn);
		x += put_text(w, y, x, cols - x, "  ", A_NORMAL, 0);
	}
	if (st->have_eng && st->eng.not_engraftable && (st->test == EF_T_ANC || st->test == EF_T_PLT)) {
		x += put_text(w, y, x, cols - x, "engraftment: not applicable (cellular therapy)", A_NORMAL, 0);
		x += put_text(w, y, x, cols - x, "  ", A_NORMAL, 0);
	}
	x += put_fmt(w, y, x, cols - x, A_NORMAL, "T transfusions %d  I IVIG %d", n_t, n_i);
	x += put_text(w, y, x, cols - x, "  ", A_NORMAL, 0);
	x += put_text(w, y, x, cols - x, a->utf8 ? "\u2022" : "o", tui_attr(R_INFO) | A_BOLD, 0);
	x += put_text(w, y, x, cols - x, " result  ", A_NORMAL, 0);
	x += put_text(w, y, x, cols - x, a->utf8 ? "\u25bc" : "v", tui_attr(R_LOW) | A_BOLD, 0);
	x += put_text(w, y, x, cols - x, " <value  ", A_NORMAL, 0);
	if (st->n_thr) {
		x += put_text(w, y, x, cols - x, a->utf8 ? "\u2500" : "-", tui_attr(R_WARNING), 0);
		put_text(w, y, x, cols - x, " threshold", A_NORMAL, 0);
	}
}

static void draw_table(struct app *a, struct trend_st *st, WINDOW *w, int y0)
{
	int rows = getmaxy(w), cols = getmaxx(w);
	const int c_date = 1, c_day = 19, c_val = 27, c_flag = 51;
	st->table_rows = rows - y0 - 1;
	if (st->table_rows < 0)
		st->table_rows = 0;
	if (y0 >= rows)
		return;
	attr_t ha = tui_attr(R_HEADER);
	fill_line(w, y0, ha);
	put_text(w, y0, c_date, 17, "Collected", ha, 0);
	put_text(w, y0, c_day, 7, "Day", ha, 0);
	put_text(w, y0, c_val, 23, "Value as entered", ha, 0);
	int x = c_flag + put_text(w, y0, c_flag, cols - c_flag, "Flag", ha, 0);
	if (st->n_rows > st->table_rows && st->table_rows > 0) {
		int last = st->scroll + st->table_rows;
		put_fmt(w, y0, x, cols - x, ha, "  %d-%d of %d, newest first", st->scroll + 1,
			last < st->n_rows ? last : st->n_rows, st->n_rows);
	}
	if (st->n_rows == 0 && y0 + 1 < rows) {
		put_fmt(w, y0 + 1, 2, cols - 2, tui_attr(R_DIM), "No %s results%s. Left/Right: another test.",
			ef_test_code(st->test), st->tp ? " since day 0" : "");
		return;
	}
	for (int k = 0; k < st->table_rows; k++) {
		int i = st->n_rows - 1 - (st->scroll + k); /* newest first */
		if (i < 0)
			break;
		const struct ef_lab *l = st->rows[i].lab;
		int y = y0 + 1 + k;
		char d[11], dn[16], v[64], num[40];
		ef_date_format(l->day, d);
		if (l->secs >= 0)
			put_fmt(w, y, c_date, 17, A_NORMAL, "%s %02d:%02d", d, l->secs / 3600, l->secs / 60 % 60);
		else
			put_text(w, y, c_date, 17, d, A_NORMAL, 0);
		fmt_day_n(st->first, l->day, dn, sizeof dn);
		put_text(w, y, c_day, 7, dn, A_NORMAL, 0);
		if (st->rows[i].entered) {
			put_text(w, y, c_val, c_flag - c_val - 1, st->rows[i].entered, A_NORMAL, 0);
		} else {
			ef_decimal_format(l->value, num, sizeof num);
			snprintf(v, sizeof v, "%s%s %s", l->qual == EF_Q_LT ? "<" : l->qual == EF_Q_GT ? ">" : "", num,
				 ef_test_canonical_unit(l->test));
			put_text(w, y, c_val, c_flag - c_val - 1, v, A_NORMAL, 0);
		}
		/* a value longer than its column says so instead of vanishing */
		if (st->rows[i].entered && text_width(st->rows[i].entered) > c_flag - c_val - 1)
			put_text(w, y, c_flag - 2, 1, "~", tui_attr(R_WARNING), 0);
		enum ef_lab_flag f = ef_lab_flag_of(st->ref, l->test, l->qual, l->value);
		int fx = c_flag;
		if (f != EF_FLAG_NONE)
			fx += put_text(w, y, fx, 3, ef_lab_flag_code(f),
				       tui_attr(ef_lab_flag_critical(f) ? R_CRITICAL : R_LOW), 0) + 1;
		char below[200];
		ef_trend_below(st->thr, st->n_thr, l->qual, l->value, below, sizeof below);
		if (text_width(below) > cols - fx) { /* the kinds of threshold instead of their names */
			struct ef_trend_threshold brief[EF_TREND_MAX_THRESHOLDS];
			for (size_t t = 0; t < st->n_thr; t++) {
				brief[t] = st->thr[t];
				snprintf(brief[t].label, sizeof brief[t].label, "%s",
					 st->thr[t].kind == EF_THR_MILESTONE ? "milestone" : st->thr[t].label);
			}
			ef_trend_below(brief, st->n_thr, l->qual, l->value, below, sizeof below);
		}
		put_text(w, y, fx, cols - fx, below, tui_attr(R_WARNING), 0);
	}
	(void)a;
}

static void trend_draw(struct app *a, struct screen *s, WINDOW *w)
{
	struct trend_st *st = s->st;
	struct ef_trend_axis ax;
	struct layout lo;
	draw_heading(a, st, w);
	plot_layout(st, w, &ax, &lo);
	draw_plot(a, st, w, &ax, &lo);
	draw_events(a, st, w, &lo);
	draw_table(a, st, w, lo.top + lo.ph + 4);
}

static enum action trend_key(struct app *a, struct screen *s, int key, enum cmd cmd)
{
	(void)key;
	struct trend_st *st = s->st;
	int page = st->table_rows > 0 ? st->table_rows : 1;
	int max = st->n_rows - page > 0 ? st->n_rows - page : 0;
	switch (cmd) {
	case CMD_TEST_NEXT:
	case CMD_TEST_PREV: {
		size_t at = 0;
		for (size_t i = 0; i < st->n_tests; i++)
			if (st->tests[i] == st->test)
				at = i;
		if (st->n_tests == 0)
			return ACTION_NONE;
		at = cmd == CMD_TEST_NEXT ? (at + 1) % st->n_tests : (at + st->n_tests - 1) % st->n_tests;
		st->test = st->tests[at];
		if (build_series(a, st)) {
			tui_msg_err(a, &a->err);
			return ACTION_REDRAW;
		}
		set_title(st, s);
		return ACTION_REDRAW;
	}
	case CMD_LOG_SCALE:
		st->log = !st->log;
		return ACTION_REDRAW;
	case CMD_UP:
		st->scroll = st->scroll > 0 ? st->scroll - 1 : 0;
		return ACTION_REDRAW;
	case CMD_DOWN:
		st->scroll = st->scroll < max ? st->scroll + 1 : max;
		return ACTION_REDRAW;
	case CMD_PAGE_UP:
		st->scroll = st->scroll > page ? st->scroll - page : 0;
		return ACTION_REDRAW;
	case CMD_PAGE_DOWN:
		st->scroll = st->scroll + page < max ? st->scroll + page : max;
		return ACTION_REDRAW;
	case CMD_HOME:
		st->scroll = 0;
		return ACTION_REDRAW;
	case CMD_END:
		st->scroll = max;
		return ACTION_REDRAW;
	default:
		return ACTION_PASS;
	}
}

const struct screen_ops trend_ops = {
	.name = "Trend",
	.about = "One count of this patient over time (t on the chart). The whole series since day 0 of "
		 "the latest transplant, plotted in braille dots (a UTF-8 terminal) or ASCII: a dot (o) is a "
		 "result, the line joins them, a down triangle (v) is a value reported as below a limit "
		 "(\"<0.1\" is plotted at 0.1), an up triangle (^) one above. The y axis is in the test's "
		 "canonical unit from 0; the x axis in days after day 0. Horizontal lines are the thresholds "
		 "of the site's reference data that matter for the test, labelled at the right: neutrophil "
		 "and platelet engraftment (parameters.csv), IgG low, the immune milestones of "
		 "milestones.csv. E on the axis is this count's engraftment day; under it, T a transfusion, I an "
		 "IVIG dose (* both in one column). Below, every value, newest first, as it was entered "
		 "with its unit, its flag (L, H, LL, HH from lab_tests.csv) and the thresholds it is below; "
		 "Up/Down/PgUp/PgDn scroll it. Results entered in error are left out. Left/Right or "
		 "Tab/Shift-Tab: ANC, PLT, ALC, WBC, HGB, CD4, IGG, then the patient's other tests.",
	.open = trend_open,
	.load = trend_load,
	.draw = trend_draw,
	.key = trend_key,
	.close = trend_close,
	.help = keys,
};
