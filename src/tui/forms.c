/* forms.c - a thin layer over the form library for the entry screens.
 *
 * One field per row: label, field, then (to the right) the field's error
 * in place, or its hint while it is current. Each form lives in its own
 * window and panel over the screen body, so the fields keep their contents
 * while the rest of the screen is redrawn. Choice fields are not editable:
 * Left/Right (or Space) step through the list and a letter jumps to the
 * next entry starting with it. No field types: the screens validate with
 * the importer's functions and explain problems in place. */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

#include "tui_int.h"

#define LABEL_X 2

int fform_init(struct fform *f, const struct fspec *spec, int n)
{
	memset(f, 0, sizeof *f);
	if (n > FORM_MAX_FIELDS)
		return -1;
	f->spec = spec;
	f->n = n;
	for (int i = 0; i < n; i++) {
		int w = text_width(spec[i].label);
		if (w > f->label_w)
			f->label_w = w;
	}
	for (int i = 0; i < n; i++) {
		FIELD *fl = new_field(1, spec[i].width, i, LABEL_X + f->label_w + 2, 0, 0);
		if (!fl)
			return -1;
		field_opts_off(fl, O_AUTOSKIP);
		field_opts_on(fl, O_BLANK);
		if (spec[i].kind == F_CHOICE)
			field_opts_off(fl, O_EDIT | O_BLANK);
		if (spec[i].max > spec[i].width) {
			field_opts_off(fl, O_STATIC);
			set_max_field(fl, spec[i].max);
		}
		set_field_back(fl, tui_attr(R_FIELD));
		f->fields[i] = fl;
	}
	f->fields[n] = NULL;
	f->form = new_form(f->fields);
	return f->form ? 0 : -1;
}

static void detach(struct fform *f)
{
	if (f->posted) {
		unpost_form(f->form);
		f->posted = 0;
	}
	if (f->panel) {
		del_panel(f->panel);
		f->panel = NULL;
	}
	if (f->sub) {
		delwin(f->sub);
		f->sub = NULL;
	}
	if (f->win) {
		delwin(f->win);
		f->win = NULL;
	}
}

void fform_free(struct fform *f)
{
	detach(f);
	if (f->form)
		free_form(f->form);
	for (int i = 0; i < f->n; i++)
		if (f->fields[i])
			free_field(f->fields[i]);
	memset(f, 0, sizeof *f);
}

void fform_layout(struct fform *f, WINDOW *body, int y0)
{
	detach(f);
	if (!body)
		return;
	int h = getmaxy(body), w = getmaxx(body);
	f->y0 = y0;
	if (y0 + f->n > h)
		return; /* too small: the screen says so */
	for (int i = 0; i < f->n; i++)
		if (LABEL_X + f->label_w + 2 + f->spec[i].width > w)
			return;
	f->win = newwin(h, w, getbegy(body), getbegx(body));
	if (!f->win)
		return;
	keypad(f->win, TRUE);
	f->panel = new_panel(f->win);
	f->sub = derwin(f->win, f->n, w, y0, 0);
	if (f->panel && f->sub) {
		set_form_win(f->form, f->win);
		set_form_sub(f->form, f->sub);
		if (post_form(f->form) == E_OK)
			f->posted = 1;
	}
	if (!f->posted)
		detach(f); /* no window left over the screen: it says it is too small */
}

void fform_sync(struct fform *f)
{
	if (f->posted)
		form_driver(f->form, REQ_VALIDATION);
}

const char *fform_get(struct fform *f, int i, char *buf, size_t size)
{
	fform_sync(f);
	const char *b = field_buffer(f->fields[i], 0);
	if (!b)
		b = "";
	while (*b == ' ')
		b++;
	size_t n = strlen(b);
	while (n > 0 && b[n - 1] == ' ')
		n--;
	if (n >= size) {
		/* Never cut silently: the field is in error (the caller's
		 * validation counts it) and the copy ends on a whole character. */
		snprintf(f->err[i], sizeof f->err[0], "too long: at most %zu bytes", size - 1);
		n = size - 1;
		while (n > 0 && ((unsigned char)b[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(buf, b, n);
	buf[n] = '\0';
	return buf;
}

void fform_set(struct fform *f, int i, const char *text)
{
	set_field_buffer(f->fields[i], 0, text);
}

void fform_set_choices(struct fform *f, int i, const char *const *choices, int selected)
{
	f->choices[i] = choices;
	f->choice[i] = selected;
	fform_set(f, i, choices && choices[0] ? choices[selected] : "");
}

/* The entry of choice field i with that text, or -1 (0 for a text field). */
static int choice_of(const struct fform *f, int i, const char *text)
{
	if (f->spec[i].kind != F_CHOICE)
		return 0;
	for (int k = 0; f->choices[i] && f->choices[i][k]; k++)
		if (strcmp(f->choices[i][k], text) == 0)
			return k;
	return -1;
}

int fform_restore(struct fform *f, const struct app_draft *d)
{
	if (d->n != f->n)
		return -1;
	for (int i = 0; i < f->n; i++) /* all or nothing: check every value first */
		if (choice_of(f, i, d->field[i]) < 0)
			return -1;
	for (int i = 0; i < f->n; i++) {
		if (f->spec[i].kind == F_CHOICE)
			f->choice[i] = choice_of(f, i, d->field[i]);
		fform_set(f, i, d->field[i]);
	}
	return 0;
}

int fform_current(const struct fform *f)
{
	FIELD *c = current_field(f->form);
	for (int i = 0; i < f->n; i++)
		if (f->fields[i] == c)
			return i;
	return 0;
}

void fform_focus(struct fform *f, int i)
{
	if (i >= 0 && i < f->n)
		set_current_field(f->form, f->fields[i]);
}

static int n_choices(const char *const *c)
{
	int n = 0;
	while (c && c[n])
		n++;
	return n;
}

static int choice_step(struct fform *f, int i, int step)
{
	int n = n_choices(f->choices[i]);
	if (n == 0)
		return 0;
	f->choice[i] = (f->choice[i] + step + n) % n;
	fform_set(f, i, f->choices[i][f->choice[i]]);
	f->dirty = 1;
	return 1;
}

static int choice_letter(struct fform *f, int i, int key)
{
	int n = n_choices(f->choices[i]);
	if (n == 0 || key >= 0x80)
		return 0;
	int want = towlower((wint_t)key);
	for (int k = 1; k <= n; k++) {
		int j = (f->choice[i] + k) % n;
		if (towlower((wint_t)(unsigned char)f->choices[i][j][0]) == (wint_t)want) {
			f->choice[i] = j;
			fform_set(f, i, f->choices[i][j]);
			f->dirty = 1;
			return 1;
		}
	}
	return 1; /* swallowed: no entry starts with it */
}

int fform_key(struct fform *f, int key, enum cmd cmd)
{
	if (!f->posted)
		return 0;
	int i = fform_current(f);
	int choice = f->spec[i].kind == F_CHOICE;
	switch (cmd) {
	case CMD_NEXT_FIELD:
	case CMD_DOWN:
	case CMD_OPEN:
		form_driver(f->form, REQ_NEXT_FIELD);
		return 1;
	case CMD_PREV_FIELD:
	case CMD_UP:
		form_driver(f->form, REQ_PREV_FIELD);
		return 1;
	case CMD_CHOICE_NEXT:
		if (choice)
			return choice_step(f, i, +1);
		form_driver(f->form, REQ_NEXT_CHAR);
		return 1;
	case CMD_CHOICE_PREV:
		if (choice)
			return choice_step(f, i, -1);
		form_driver(f->form, REQ_PREV_CHAR);
		return 1;
	case CMD_HOME:
		form_driver(f->form, REQ_BEG_FIELD);
		return 1;
	case CMD_END:
		form_driver(f->form, REQ_END_FIELD);
		return 1;
	default:
		break;
	}
	if (key == K(KEY_BACKSPACE) || key == 127 || key == CTRL('h')) {
		if (choice)
			return 1; /* a list has nothing to delete: never a silent change of choice */
		form_driver(f->form, REQ_DEL_PREV);
		f->dirty = 1;
		return 1;
	}
	if (key == K(KEY_DC)) {
		if (!choice) {
			form_driver(f->form, REQ_DEL_CHAR);
			f->dirty = 1;
		}
		return 1;
	}
	if (key == CTRL('u')) {
		if (!choice) {
			form_driver(f->form, REQ_CLR_FIELD);
			f->dirty = 1;
		}
		return 1;
	}
	if (key & KF || key < 0x20 || key == 0x7f)
		return 0;
	/* A list changes only on Left/Right, Space or the first character of
	 * an entry: other keys typed as text meant for another field (a date's
	 * digits and '-', Backspace) are swallowed, never a step through the
	 * list (they once turned a preselected COVID19 into FLU). */
	if (choice) {
		if (key == ' ')
			return choice_step(f, i, +1);
		return choice_letter(f, i, key);
	}
	/* One key does one thing: a digit field takes the key in place of
	 * what it held and the cursor stays (Tab moves on); it once skipped
	 * to the next field by itself, so a second key meant for this field
	 * changed the next one. */
	if (f->spec[i].kind == F_DIGIT)
		form_driver(f->form, REQ_CLR_FIELD);
	if (key < 0x80)
		form_driver(f->form, key);
	else
		form_driver_w(f->form, OK, (wchar_t)key);
	if (f->spec[i].kind == F_DIGIT)
		form_driver(f->form, REQ_BEG_FIELD);
	f->dirty = 1;
	return 1;
}

void fform_draw(struct fform *f, int utf8)
{
	if (!f->posted)
		return;
	int cur = fform_current(f);
	int w = getmaxx(f->win);
	for (int i = 0; i < f->n; i++) {
		int y = f->y0 + i;
		int fx = LABEL_X + f->label_w + 2;
		int rx = fx + f->spec[i].width + 2;
		attr_t la = i == cur ? A_BOLD : A_NORMAL;
		put_text(f->win, y, 0, 2, i == cur ? (utf8 ? "\u25b8 " : "> ") : "  ", la, 1);
		put_text(f->win, y, LABEL_X, f->label_w + 1, f->spec[i].label, la, 1);
		put_text(f->win, y, fx - 1, 1, " ", A_NORMAL, 1);
		set_field_back(f->fields[i], tui_attr(i == cur ? R_FIELD_CURRENT : R_FIELD));
		put_text(f->win, y, rx - 2, 2, "  ", A_NORMAL, 1);
		if (rx >= w)
			continue;
		if (f->err[i][0]) {
			put_text(f->win, y, rx, w - rx, f->err[i], tui_attr(R_INVALID), 1);
		} else if (f->note[i][0]) {
			put_text(f->win, y, rx, w - rx, f->note[i], tui_attr(f->note_role[i] ? f->note_role[i] : R_DIM), 1);
		} else if (i == cur && f->spec[i].hint) {
			put_text(f->win, y, rx, w - rx, f->spec[i].hint, tui_attr(R_DIM), 1);
		} else {
			put_text(f->win, y, rx, w - rx, "", A_NORMAL, 1);
		}
	}
	/* the current field's problem in full (the right-hand column may be
	 * too narrow), or else the first one shown */
	int y = f->y0 + f->n;
	const char *why = f->err[cur][0] ? f->err[cur] : NULL;
	int which = cur;
	for (int i = 0; !why && i < f->n; i++)
		if (f->err[i][0]) {
			why = f->err[i];
			which = i;
		}
	if (y < getmaxy(f->win)) {
		put_text(f->win, y, 0, w, "", A_NORMAL, 1);
		if (why)
			put_fmt(f->win, y, LABEL_X, w - LABEL_X, tui_attr(R_INVALID), "%s: %s", f->spec[which].label, why);
	}
	pos_form_cursor(f->form);
}

/* The keys of every entry form (the screens share one table). */
const struct keybind form_keys[] = {
	{{'\t', K(KEY_DOWN), '\n', '\r'}, "Tab", CMD_NEXT_FIELD, "Next", "next field (also Down, Enter)", 0},
	{{K(KEY_BTAB), K(KEY_UP)}, "S-Tab", CMD_PREV_FIELD, "Prev", "previous field (Shift-Tab, also Up)", 0},
	{{0}, "Left/Right", CMD_NONE, "Choose", "choose from the list (also Space, or type the first letter)", 0},
	{{K(KEY_RIGHT)}, "Right", CMD_CHOICE_NEXT, NULL, "next choice / next character", 0},
	{{K(KEY_LEFT)}, "Left", CMD_CHOICE_PREV, NULL, "previous choice / previous character", 0},
	{{K(KEY_HOME)}, "Home", CMD_HOME, NULL, "start of the field", 0},
	{{K(KEY_END)}, "End", CMD_END, NULL, "end of the field", 0},
	{{K(KEY_F(2)), CTRL('s')}, "F2/^S", CMD_SAVE, "Save", "save (F2 or Ctrl-S); nothing is saved while a field is wrong", 0},
	{{KEY_ESCAPE}, "Esc", CMD_BACK, "Cancel", "leave the form (asks first if anything was typed)", 0},
	{{CTRL('u')}, "Ctrl-U", CMD_NONE, NULL, "clear the field", 0},
	{{CTRL('d')}, "Ctrl-D", CMD_DISCARD_DRAFT, NULL,
	 "discard the draft the form was filled from (kept at an automatic sign-off)", 0},
	{{K(KEY_F(1))}, "F1", CMD_HELP, "Help", "help for this form", 0},
	KEYS_END,
};

enum action fform_screen_key(struct fform *f, int *shown, int key, enum cmd cmd)
{
	if (cmd == CMD_SAVE)
		return ACTION_SAVE;
	if (cmd == CMD_BACK)
		return ACTION_POP;
	int cur = fform_current(f);
	if (!fform_key(f, key, cmd))
		return ACTION_PASS; /* F1, Ctrl-C: the global keys */
	if (fform_current(f) != cur)
		shown[cur] = 1; /* left the field: explain its problem, if any */
	return ACTION_REDRAW;
}

void *fform_screen_open(struct app *a, struct screen *s, const struct request *rq, size_t size)
{
	void *st = calloc(1, size);
	if (!st) {
		ef_errf(&a->err, EF_DB, "out of memory");
		return NULL;
	}
	s->st = st;
	s->patient_id = rq->patient_id;
	s->cursor_visible = 1;
	s->text_input = 1;
	return st;
}

void fform_screen_layout_at(struct screen *s, WINDOW *w, int y0)
{
	struct fform *f = s->st; /* the first member of every form state */
	fform_layout(f, w, y0);
	s->input = f->posted ? f->win : NULL;
	s->unfit = w && !f->posted; /* tui.c says the terminal is too small */
}

void fform_screen_layout(struct app *a, struct screen *s, WINDOW *w)
{
	(void)a;
	fform_screen_layout_at(s, w, 2);
}

void fform_screen_close(struct app *a, struct screen *s)
{
	(void)a;
	struct fform *f = s->st; /* the first member of every form state */
	if (f)
		fform_free(f);
	free(s->st);
	s->st = NULL;
}

int fform_screen_dirty(const struct screen *s)
{
	const struct fform *f = s->st;
	return f && f->dirty;
}

int fform_too_small(const struct fform *f, WINDOW *body, const char *what)
{
	if (f->posted)
		return 0;
	put_fmt(body, 1, 1, getmaxx(body) - 1, tui_attr(R_INVALID), "Window too small for %s: make it at least 80x24.",
		what);
	return 1;
}
