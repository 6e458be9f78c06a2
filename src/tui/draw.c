/* draw.c - text, lines and sparklines for the screens. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "engraft/trend.h"
#include "tui_int.h"
#include "wlpage.h"

/* Decode one UTF-8 character; returns bytes used (1 for an invalid byte,
 * *cp = '?'). */
static int utf8_next(const char *s, wchar_t *cp)
{
	mbstate_t ps;
	memset(&ps, 0, sizeof ps);
	wchar_t wc;
	size_t n = mbrtowc(&wc, s, MB_CUR_MAX, &ps);
	if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
		*cp = L'?';
		return 1;
	}
	*cp = wc;
	return (int)n;
}

static int wc_cols(wchar_t wc)
{
	if (wc < 0x20 || wc == 0x7f)
		return -1;
	int w = wcwidth(wc);
	return w;
}

int text_width(const char *s)
{
	int cols = 0;
	while (s && *s) {
		wchar_t wc;
		s += utf8_next(s, &wc);
		int w = wc_cols(wc);
		cols += w < 0 ? 1 : w;
	}
	return cols;
}

int put_text(WINDOW *w, int y, int x, int width, const char *s, attr_t attr, int pad)
{
	int maxx = getmaxx(w);
	if (y < 0 || y >= getmaxy(w) || x >= maxx)
		return 0;
	if (width < 0 || x + width > maxx)
		width = maxx - x;
	int used = 0;
	wmove(w, y, x);
	while (s && *s && used < width) {
		wchar_t wc;
		s += utf8_next(s, &wc);
		int cw = wc_cols(wc);
		if (cw < 0) { /* control character: show as ? */
			wc = L'?';
			cw = 1;
		}
		if (cw == 0)
			continue; /* combining marks: skip rather than risk misplacement */
		if (used + cw > width)
			break;
		cchar_t cc;
		wchar_t str[2] = {wc, 0};
		setcchar(&cc, str, attr, PAIR_NUMBER(attr), NULL);
		wadd_wch(w, &cc);
		used += cw;
	}
	if (pad) {
		while (used < width) {
			cchar_t cc;
			wchar_t str[2] = {L' ', 0};
			setcchar(&cc, str, attr, PAIR_NUMBER(attr), NULL);
			/* writing the bottom-right cell would scroll: use ins */
			if (y == getmaxy(w) - 1 && x + used == maxx - 1)
				wins_wch(w, &cc);
			else
				wadd_wch(w, &cc);
			used++;
		}
	}
	return used;
}

int put_fmt(WINDOW *w, int y, int x, int width, attr_t attr, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return put_text(w, y, x, width, buf, attr, 0);
}

void fill_line(WINDOW *w, int y, attr_t attr)
{
	put_text(w, y, 0, getmaxx(w), "", attr, 1);
}

void sparkline(const double *v, const ef_day *day, int n, ef_day first, ef_day last, int width, int utf8, char *out,
	       size_t size)
{
	static const char *const blocks[] = {"\u2581", "\u2582", "\u2583", "\u2584",
					     "\u2585", "\u2586", "\u2587", "\u2588"};
	static const char ascii[] = "_.-~=*^#";
	out[0] = '\0';
	if (width <= 0 || size == 0)
		return;
	if (width > 256)
		width = 256;
	double cell[256];
	unsigned char has[256] = {0};
	double hi = 0;
	for (int i = 0; i < n; i++) {
		if (day[i] < first || day[i] > last)
			continue;
		int c = ef_trend_pos(first, last, day[i], width);
		cell[c] = v[i]; /* oldest first: the latest of the character wins */
		has[c] = 1;
		if (v[i] > hi)
			hi = v[i];
	}
	size_t len = 0;
	for (int c = 0; c < width; c++) {
		char one[2] = {' ', 0};
		const char *g = one;
		if (has[c]) {
			int lvl = hi > 0 ? (int)(cell[c] / hi * 7.0 + 0.5) : 0;
			lvl = lvl < 0 ? 0 : lvl > 7 ? 7 : lvl;
			one[0] = ascii[lvl];
			g = utf8 ? blocks[lvl] : one;
		}
		size_t cl = strlen(g);
		if (len + cl + 1 > size)
			break;
		memcpy(out + len, g, cl);
		len += cl;
	}
	out[len] = '\0';
}

enum cmd keys_lookup(const struct keybind *t, int mode, int key)
{
	for (; t && t->name; t++) {
		if (t->modes && !(t->modes & (1u << mode)))
			continue;
		for (int i = 0; i < 4 && t->keys[i]; i++)
			if (t->keys[i] == key)
				return t->cmd;
	}
	return CMD_NONE;
}

void fmt_patient(const struct ef_patient *p, char *out, size_t size)
{
	snprintf(out, size, "%s, %s  MRN %s", p->family_name, p->given_name, p->mrn);
}

int cursor_move(enum cmd cmd, int *cur, size_t n, int page)
{
	int last = n ? (int)n - 1 : 0;
	if (page < 1)
		page = 1;
	switch (cmd) {
	case CMD_UP:
		if (*cur > 0)
			(*cur)--;
		return 1;
	case CMD_DOWN:
		if (*cur < last)
			(*cur)++;
		return 1;
	case CMD_PAGE_UP:
		*cur = *cur > page ? *cur - page : 0;
		return 1;
	case CMD_PAGE_DOWN:
		*cur = *cur + page < last ? *cur + page : last;
		return 1;
	case CMD_HOME:
		*cur = 0;
		return 1;
	case CMD_END:
		*cur = last;
		return 1;
	default:
		return 0;
	}
}

void draw_rule(WINDOW *w, int y, const char *title, int utf8)
{
	int width = getmaxx(w);
	const char *dash = utf8 ? "\u2500" : "-";
	attr_t a = tui_attr(R_SECTION);
	int x = 0;
	x += put_text(w, y, x, width - x, dash, a, 0);
	x += put_text(w, y, x, width - x, dash, a, 0);
	x += put_fmt(w, y, x, width - x, a, " %s ", title);
	while (x < width) {
		int u = put_text(w, y, x, width - x, dash, a, 0);
		x += u ? u : 1;
	}
}

void fmt_day_n(ef_day day0, ef_day on, char *out, size_t size)
{
	if (day0 == EF_NO_DAY || on == EF_NO_DAY)
		snprintf(out, size, "-");
	else
		snprintf(out, size, "%+d", (int)(on - day0));
}

void draw_sections_ex(WINDOW *w, int top, int bottom, size_t n, int cur, int *scroll, const char *const *names,
		      int utf8, int (*sec)(const void *ctx, size_t v), void (*row)(void *ctx, size_t v, int y, int sel),
		      void *ctx, int prev_sec, const int64_t *counts)
{
	int avail = bottom - top > 0 ? bottom - top : 1;
	/* a section's rule before its first row (the rows may begin inside a
	 * section: prev_sec is the section of the row before them) */
#define STARTS(v) ((v) == 0 ? sec(ctx, 0) != prev_sec : sec(ctx, v) != sec(ctx, (v) - 1))
	/* the line of the current row, kept on screen */
	int line = 0, cur_line = 0;
	for (size_t v = 0; v < n; v++) {
		if (STARTS(v))
			line++;
		if ((int)v == cur)
			cur_line = line;
		line++;
	}
	if (cur_line < *scroll)
		*scroll = cur_line > 0 ? cur_line - 1 : 0;
	if (cur_line >= *scroll + avail)
		*scroll = cur_line - avail + 1;
	if (*scroll < 0)
		*scroll = 0;
	line = 0;
	for (size_t v = 0; v < n; v++) {
		int s = sec(ctx, v);
		if (STARTS(v)) {
			int64_t cnt = 0;
			if (counts)
				cnt = counts[s];
			else
				for (size_t k = v; k < n && sec(ctx, k) == s; k++)
					cnt++;
			int sy = top + line - *scroll;
			if (sy >= top && sy < bottom) {
				char t[80];
				if (cnt < 0) /* at least -cnt (a count that stopped there) */
					snprintf(t, sizeof t, "%s (%lld+)", names[s], -(long long)cnt);
				else
					snprintf(t, sizeof t, "%s (%lld)", names[s], (long long)cnt);
				draw_rule(w, sy, t, utf8);
			}
			line++;
		}
		int ry = top + line - *scroll;
		line++;
		if (ry >= top && ry < bottom)
			row(ctx, v, ry, (int)v == cur);
	}
#undef STARTS
}

void draw_sections(WINDOW *w, int top, int bottom, size_t n, int cur, int *scroll, const char *const *names, int utf8,
		   int (*sec)(const void *ctx, size_t v), void (*row)(void *ctx, size_t v, int y, int sel), void *ctx)
{
	draw_sections_ex(w, top, bottom, n, cur, scroll, names, utf8, sec, row, ctx, -1, NULL);
}
