/* help.c - `?`: what the screen below is for and every key it takes,
 * generated from its key table and the global one (the same tables the
 * dispatcher and the key bar use). */
#include <stdlib.h>
#include <string.h>

#include "tui_int.h"

const struct keybind *tui_global_keys(void);

struct help_st {
	int scroll;
	int lines;
};

static const struct keybind keys[] = {
	{{K(KEY_UP), 'k'}, "Up", CMD_UP, NULL, "scroll up", 0},
	{{K(KEY_DOWN), 'j'}, "Down", CMD_DOWN, NULL, "scroll down", 0},
	{{K(KEY_NPAGE), ' '}, "PgDn", CMD_PAGE_DOWN, NULL, "scroll a page down", 0},
	{{K(KEY_PPAGE)}, "PgUp", CMD_PAGE_UP, NULL, "scroll a page up", 0},
	{{'q', KEY_ESCAPE, '?'}, "q/Esc", CMD_BACK, "Close", "close the help", 0},
	KEYS_END,
};

/* The screen the help is about: the one under it on the stack. (At open
 * the help is not on the stack yet: the screen under it is then the top,
 * not the one under the top, which once named the chart over the alerts'
 * help.) */
static struct screen *under(struct app *a, const struct screen *s)
{
	return s > a->stack && s < a->stack + MAX_DEPTH ? (struct screen *)(s - 1) : NULL;
}

static int help_open(struct app *a, struct screen *s, const struct request *rq)
{
	(void)rq;
	struct screen *b = under(a, s);
	s->st = calloc(1, sizeof(struct help_st));
	if (!s->st)
		return ef_errf(&a->err, EF_DB, "out of memory");
	if (b) {
		snprintf(s->title, sizeof s->title, "%s", b->ops->name);
		s->patient_id = b->patient_id;
	}
	return EF_OK;
}

static void help_close(struct app *a, struct screen *s)
{
	(void)a;
	free(s->st);
	s->st = NULL;
}

void tui_wrap(WINDOW *w, int *y, int top, int scroll, int x, int width, const char *text, attr_t at)
{
	char line[512];
	const char *p = text;
	while (*p) {
		int n = 0, last_space = -1, cols = 0;
		while (p[n] && cols < width && n < (int)sizeof line - 1) {
			if (p[n] == ' ')
				last_space = n;
			if (((unsigned char)p[n] & 0xC0) != 0x80)
				cols++;
			n++;
		}
		if (p[n] && last_space > 0)
			n = last_space;
		memcpy(line, p, (size_t)n);
		line[n] = '\0';
		int r = top + *y - scroll;
		if (r >= top && r < getmaxy(w))
			put_text(w, r, x, width, line, at, 0);
		(*y)++;
		p += n;
		while (*p == ' ')
			p++;
	}
}

static void list_keys(const struct app *a, WINDOW *w, int *y, int top, int scroll, const struct keybind *t)
{
	for (const struct keybind *b = t; b && b->name; b++) {
		if (!b->help || !tui_may(a, b->cmd))
			continue;
		int r = top + *y - scroll;
		if (r >= top && r < getmaxy(w)) {
			put_text(w, r, 2, 12, b->name, tui_attr(R_BAR_KEY), 0);
			char words[512];
			put_text(w, r, 15, getmaxx(w) - 15, tui_colour_words(b->help, words, sizeof words), A_NORMAL, 0);
		}
		(*y)++;
	}
}

static void help_draw(struct app *a, struct screen *s, WINDOW *w)
{
	struct help_st *st = s->st;
	struct screen *b = under(a, s);
	int cols = getmaxx(w);
	int y = 0;
	if (!b)
		return;
	put_fmt(w, 0, 1, cols - 1, A_BOLD, "Help: %s", b->ops->name);
	int top = 2;
	char about[2048];
	tui_wrap(w, &y, top, st->scroll, 2, cols - 4,
		 tui_colour_words(b->ops->about ? b->ops->about : "", about, sizeof about), A_NORMAL);
	y++;
	int r = top + y - st->scroll;
	if (r >= top && r < getmaxy(w))
		draw_rule(w, r, "Keys on this screen", a->utf8);
	y++;
	list_keys(a, w, &y, top, st->scroll, b->ops->help);
	if (!b->text_input || b->ops->help == form_keys) {
		if (!b->text_input) {
			y++;
			r = top + y - st->scroll;
			if (r >= top && r < getmaxy(w))
				draw_rule(w, r, "Keys everywhere", a->utf8);
			y++;
			list_keys(a, w, &y, top, st->scroll, tui_global_keys());
		}
	}
	st->lines = y;
	int h = getmaxy(w);
	if (top + y - st->scroll > h)
		put_text(w, h - 1, cols - 24, 24, a->utf8 ? "  \u2193 more (Down, PgDn)" : "  more below (Down)",
			 tui_attr(R_SEARCH), 1);
}

enum action tui_scroll_key(struct app *a, int *scroll, int lines, enum cmd cmd)
{
	int page = getmaxy(a->body) - 2;
	switch (cmd) {
	case CMD_UP:
		if (*scroll > 0)
			(*scroll)--;
		return ACTION_REDRAW;
	case CMD_DOWN:
		if (*scroll < lines - page)
			(*scroll)++;
		return ACTION_REDRAW;
	case CMD_PAGE_DOWN:
		*scroll += page;
		if (*scroll > lines - page)
			*scroll = lines - page > 0 ? lines - page : 0;
		return ACTION_REDRAW;
	case CMD_PAGE_UP:
		*scroll = *scroll > page ? *scroll - page : 0;
		return ACTION_REDRAW;
	case CMD_HOME:
		*scroll = 0;
		return ACTION_REDRAW;
	case CMD_END:
		*scroll = lines - page > 0 ? lines - page : 0;
		return ACTION_REDRAW;
	case CMD_BACK:
		return ACTION_POP;
	default:
		return ACTION_PASS;
	}
}

static enum action help_key(struct app *a, struct screen *s, int key, enum cmd cmd)
{
	(void)key;
	struct help_st *st = s->st;
	return tui_scroll_key(a, &st->scroll, st->lines, cmd);
}

const struct screen_ops help_ops = {
	.name = "Help",
	.about = "This help. q, Esc or ? closes it.",
	.open = help_open,
	.draw = help_draw,
	.key = help_key,
	.close = help_close,
	.help = keys,
};
