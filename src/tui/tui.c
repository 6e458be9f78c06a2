/* tui.c - the terminal interface: terminal set-up, the screen stack, the one
 * main loop that reads keys, dispatches them through the key tables, and
 * alone loads, saves and draws. KEY_RESIZE is handled here and nowhere
 * else. Layout: title bar, screen body, status line, key bar.
 *
 * ENGRAFT_TUI_TIMING=FILE appends timings (milliseconds) for benchmarks:
 *   first_draw_ms SCREEN N        start of ef_tui_run to the first list drawn
 *   key_ms SCREEN MODE N AFTER    a key read to the screen redrawn
 * (SCREEN: the screen the key went to; MODE is "search" while typing a
 * patient search; AFTER: the screen on top once drawn, e.g. Chart after
 * Enter on the list, so the line of a key that opens a screen times its
 * load and first draw). Screen names have '_' for a space ("-": none).
 * The keys themselves are not written: they may be a name or a value.
 *
 * Automatic logoff (HIPAA 45 CFR 164.312(a)(2)(iii)): after the site's
 * idle_logoff_minutes without a key (CLOCK_MONOTONIC; a test shifts that
 * clock through tui_clock_advance), the session signs off: every open form
 * with input is kept as the login's draft (drafts.c), the terminal is
 * restored and a sentence on standard error says what was kept. */
#include <langinfo.h>
#include <locale.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "engraft/tui.h"
#include "tui_drive.h"
#include "tui_int.h"

#define MIN_COLS 50
#define MIN_LINES 12

/* ---- the status-message table ---- */
static const struct {
	enum role role;
	const char *fmt;
} messages[MSG_COUNT] = {
	[MSG_NONE] = {R_STATUS, ""},
	[MSG_HELLO] = {R_STATUS, "%lld patients.  / search  Enter open  ? help  q quit"},
	[MSG_DB_ERROR] = {R_STATUS_ERROR, "%s"},
	[MSG_FORM_INVALID] = {R_STATUS_ERROR, "Not saved: %d field%s to correct (explained in red)"},
	[MSG_LAB_SAVED] = {R_STATUS_OK, "Saved %s %s %s on %s.%s"},
	[MSG_LAB_REPLACED] = {R_STATUS_OK, "Replaced %s on %s (was %s): now %s %s.%s"},
	[MSG_LAB_UNCHANGED] = {R_STATUS, "%s on %s was already recorded with this value; nothing changed."},
	[MSG_GVHD_SAVED] = {R_STATUS_OK, "Saved %s GVHD assessment of %s: %s.%s"},
	[MSG_GVHD_UNCHANGED] = {R_STATUS, "The %s GVHD assessment of %s was already recorded; nothing changed."},
	[MSG_STATUS_SAVED] = {R_STATUS_OK, "Saved status %s on %s.%s"},
	[MSG_STATUS_UNCHANGED] = {R_STATUS, "Status %s on %s was already recorded; nothing changed."},
	[MSG_DOSE_SAVED] = {R_STATUS_OK, "Recorded %s given on %s.%s"},
	[MSG_DOSE_UNCHANGED] = {R_STATUS, "%s on %s was already recorded; nothing changed."},
	[MSG_ACKED] = {R_STATUS_OK, "Acknowledged %s %s%s."},
	[MSG_RULES_RERUN] = {R_STATUS_OK, "%s"},
	[MSG_RULES_UNAVAILABLE] = {R_STATUS, "%s"},
	[MSG_NO_SELECTION] = {R_STATUS, "Nothing selected."},
	[MSG_NEEDS_PATIENT] = {R_STATUS, "Open a patient's chart first (Enter on the patient list)."},
	[MSG_NOT_AVAILABLE] = {R_STATUS_ERROR, "%s is not available in this build yet."},
	[MSG_NO_MATCH] = {R_STATUS, "No patient matches \"%s\"."},
	[MSG_CANCELLED] = {R_STATUS, "Cancelled; nothing was discarded."},
	[MSG_DISCARDED] = {R_STATUS, "Discarded the unsaved %s."},
	[MSG_MARKED] = {R_STATUS_OK, "Marked %s entered in error.%s"},
	[MSG_ALREADY_MARKED] = {R_STATUS, "Already entered in error: %s"},
	[MSG_DRAFT_DISCARDED] = {R_STATUS, "Discarded the draft; the form is empty again."},
	[MSG_NO_DRAFT] = {R_STATUS, "This form was not filled from a draft; Esc leaves it."},
	[MSG_DRAFTS_WAITING] = {R_WARNING, "%lld draft%s kept at an automatic sign-off: open the form again.  ? help"},
	[MSG_NOT_PERMITTED] = {R_STATUS_ERROR, "Not permitted: %s may not %s."},
	[MSG_ACKED_MANY] = {R_STATUS_OK, "Acknowledged %d alerts of MRN %s%s."},
	[MSG_TRIAGE] = {R_STATUS, "%s"},
	[MSG_RECORD_SAVED] = {R_STATUS_OK, "Saved %s.%s"},
	[MSG_RECORD_UNCHANGED] = {R_STATUS, "%s was already recorded; nothing changed."},
};

void tui_msg(struct app *a, enum msg m, ...)
{
	if ((unsigned)m >= MSG_COUNT)
		return;
	char words[512]; /* the format's colour words as the theme has them */
	const char *fmt = tui_colour_words(messages[m].fmt, words, sizeof words);
	va_list ap;
	va_start(ap, m);
	vsnprintf(a->msg, sizeof a->msg, fmt, ap);
	va_end(ap);
	a->msg_role = messages[m].role;
}

void tui_msg_err(struct app *a, const struct ef_err *e)
{
	tui_msg(a, MSG_DB_ERROR, e->msg[0] ? e->msg : "database error");
}

/* ---- global keys (after the screen's own table) ---- */
static const struct keybind global_keys[] = {
	{{'?', K(KEY_F(1))}, "?", CMD_HELP, "Help", "help for this screen (its keys)", 0},
	{{'p'}, "p", CMD_PATIENTS, "Patients", "patient list", 0},
	{{'v'}, "v", CMD_VACCINES, "Vaccines", "vaccination worklist (from a chart: that patient's doses)", 0},
	{{'f'}, "f", CMD_FOLLOWUP, "Follow",
	 "follow-up worklist: screening and registry forms (from a chart: that patient's plan)", 0},
	{{'a'}, "a", CMD_ALERTS, "Alerts", "alerts (from a chart: that patient's alerts)", 0},
	{{'q', KEY_ESCAPE}, "q/Esc", CMD_BACK, "Back", "back; on the patient list, quit", 0},
	{{CTRL('c')}, "Ctrl-C", CMD_QUIT, NULL, "quit engraft (asks first about unsaved input)", 0},
	KEYS_END,
};

const struct keybind *tui_global_keys(void);
const struct keybind *tui_global_keys(void)
{
	return global_keys;
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1000.0 + (double)ts.tv_nsec / 1e6;
}

/* The clock of the idle time: monotonic, shifted by a test. */
static double idle_clock(const struct app *a)
{
	return now_ms() + a->clock_shift_ms;
}

void tui_clock_advance(struct app *a, double ms)
{
	a->clock_shift_ms += ms;
}

int tui_idle_wait_ms(const struct app *a)
{
	double left = a->last_key_ms + a->idle_ms - idle_clock(a);
	if (left <= 0)
		return 0;
	return left > 3600000.0 ? 3600000 : (int)left + 1;
}

#define TOP(a) (&(a)->stack[(a)->depth - 1])

/* ---- layout ---- */
static void place_windows(struct app *a)
{
	int lines = LINES, cols = COLS;
	a->too_small = lines < MIN_LINES || cols < MIN_COLS;
	if (lines < 4)
		lines = 4;
	if (cols < 10)
		cols = 10;
	if (!a->title) {
		a->title = newwin(1, cols, 0, 0);
		a->body = newwin(lines - 3, cols, 1, 0);
		a->status = newwin(1, cols, lines - 2, 0);
		a->bar = newwin(1, cols, lines - 1, 0);
		a->p_title = new_panel(a->title);
		a->p_status = new_panel(a->status);
		a->p_bar = new_panel(a->bar);
		a->p_body = new_panel(a->body);
		keypad(a->body, TRUE);
		return;
	}
	wresize(a->title, 1, cols);
	wresize(a->body, lines - 3, cols);
	wresize(a->status, 1, cols);
	wresize(a->bar, 1, cols);
	move_panel(a->p_title, 0, 0);
	move_panel(a->p_body, 1, 0);
	move_panel(a->p_status, lines - 2, 0);
	move_panel(a->p_bar, lines - 1, 0);
}

/* Below the minimum size no form is laid out (its window would cover the
 * message that says so); it keeps its fields and is laid out again when
 * the terminal grows. */
static void lay_out_top(struct app *a)
{
	if (!a->depth)
		return;
	struct screen *t = TOP(a);
	t->input = NULL;
	t->unfit = 0;
	if (t->ops->layout)
		t->ops->layout(a, t, a->too_small ? NULL : a->body);
}

/* Too small for the top screen: below the program's minimum, or a screen
 * whose layout did not fit the body (a form: s->unfit). Then the screen
 * says so and only quit and resize work (handle_key). */
static int top_too_small(const struct app *a)
{
	if (a->too_small)
		return 1;
	return a->depth && a->stack[a->depth - 1].unfit;
}

static void hide_top(struct app *a)
{
	if (!a->depth)
		return;
	struct screen *t = TOP(a);
	if (t->ops->layout)
		t->ops->layout(a, t, NULL);
	t->input = NULL;
}

/* ---- the stack ---- */
static void push(struct app *a, const struct request *rq)
{
	if (a->depth >= MAX_DEPTH || !rq->ops)
		return;
	struct request r = *rq;
	/* say so before a load that may take a moment (the clinic worklist) */
	werase(a->status);
	put_text(a->status, 0, 0, getmaxx(a->status), "Loading...", tui_attr(R_DIM), 0);
	wnoutrefresh(a->status);
	doupdate();
	hide_top(a);
	struct screen *s = &a->stack[a->depth];
	memset(s, 0, sizeof *s);
	s->ops = r.ops;
	s->patient_id = r.patient_id;
	s->rq = r;
	struct ef_err e = {{0}};
	int rc = s->ops->open(a, s, &r);
	if (rc) {
		if (s->ops->close)
			s->ops->close(a, s);
		memset(s, 0, sizeof *s);
		lay_out_top(a);
		tui_msg_err(a, &a->err);
		(void)e;
		return;
	}
	tui_draft_offer(a, s);
	a->depth++;
	lay_out_top(a);
}

/* Close the top screen and take it off the stack. */
static void close_top(struct app *a)
{
	struct screen *s = TOP(a);
	if (s->ops->layout)
		s->ops->layout(a, s, NULL);
	if (s->ops->close)
		s->ops->close(a, s);
	memset(s, 0, sizeof *s);
	a->depth--;
}

/* Ctrl-D on a form filled from a draft: the draft is gone, the form opens
 * again as new (its open fills the defaults). */
static void reopen_top(struct app *a)
{
	struct request r = TOP(a)->rq;
	close_top(a);
	push(a, &r); /* the status line keeps what tui_draft_discard said */
}

static void pop_now(struct app *a)
{
	close_top(a);
	if (a->depth == 0) {
		a->quit = 1;
		return;
	}
	struct screen *t = TOP(a);
	lay_out_top(a);
	if (a->unwind >= 0 && a->depth > a->unwind)
		return; /* passing through: only the last screen revealed reloads */
	if (t->ops->load && t->ops->load(a, t))
		tui_msg_err(a, &a->err);
}

static int top_dirty(struct app *a)
{
	struct screen *s = TOP(a);
	return s->ops->dirty && s->ops->dirty(s);
}

/* Pop towards a->unwind, asking before throwing away unsaved input. */
static void unwind(struct app *a)
{
	while (a->unwind >= 0 && a->depth > a->unwind) {
		if (top_dirty(a)) {
			snprintf(a->question, sizeof a->question, "Discard the unsaved %s? (y/n)", TOP(a)->ops->name);
			a->asking = ASK_DISCARD;
			return;
		}
		pop_now(a);
	}
	a->unwind = -1;
}

static void apply(struct app *a, enum action act);

static enum action context_push(struct app *a, const struct screen_ops *ops)
{
	struct screen *t = TOP(a);
	if (t->ops == ops && !t->text_input)
		return ACTION_NONE;
	memset(&a->req, 0, sizeof a->req);
	a->req.ops = ops;
	a->req.patient_id = t->patient_id;
	return ACTION_PUSH;
}

static enum action global_action(struct app *a, enum cmd c)
{
	switch (c) {
	case CMD_HELP:
		memset(&a->req, 0, sizeof a->req);
		a->req.ops = &help_ops;
		return ACTION_PUSH;
	case CMD_PATIENTS:
		a->unwind = 1;
		unwind(a);
		return ACTION_NONE;
	case CMD_VACCINES:
		return context_push(a, &vaccines_ops);
	case CMD_FOLLOWUP:
		return context_push(a, &followups_ops);
	case CMD_ALERTS:
		return context_push(a, &alerts_ops);
	case CMD_BACK:
		return ACTION_POP;
	case CMD_QUIT:
		a->unwind = 0;
		unwind(a);
		return ACTION_NONE;
	default:
		return ACTION_NONE;
	}
}

static void apply(struct app *a, enum action act)
{
	if (!a->depth)
		return;
	struct screen *t = TOP(a);
	switch (act) {
	case ACTION_PASS:
	case ACTION_NONE:
	case ACTION_REDRAW:
		break;
	case ACTION_RELOAD:
		if (t->ops->load && t->ops->load(a, t))
			tui_msg_err(a, &a->err);
		break;
	case ACTION_PUSH:
		push(a, &a->req);
		break;
	case ACTION_POP:
		a->unwind = a->depth - 1;
		unwind(a);
		break;
	case ACTION_SAVE:
		if (t->ops->save) {
			enum action next = t->ops->save(a, t);
			if (next == ACTION_POP || next == ACTION_REPLACE) /* saved */
				tui_draft_saved(a, t);
			if (next != ACTION_SAVE)
				apply(a, next);
		}
		break;
	case ACTION_CONFIRM:
		a->asking = ASK_SCREEN;
		break;
	case ACTION_REPLACE: {
		struct request r = a->req;
		close_top(a);
		push(a, &r);
		break;
	}
	}
}

static void answer(struct app *a, int key)
{
	int yes = key == 'y' || key == 'Y';
	int kind = a->asking;
	a->asking = 0;
	a->question[0] = '\0';
	if (kind == ASK_DISCARD) {
		if (yes) {
			tui_msg(a, MSG_DISCARDED, TOP(a)->ops->name);
			pop_now(a);
			unwind(a);
		} else {
			a->unwind = -1;
			tui_msg(a, MSG_CANCELLED);
		}
		return;
	}
	struct screen *t = TOP(a);
	if (t->ops->confirmed) {
		enum action next = t->ops->confirmed(a, t, yes);
		if (next == ACTION_POP) /* saved (the lab form's replace) */
			tui_draft_saved(a, t);
		apply(a, next);
	}
}

static void on_resize(struct app *a)
{
	hide_top(a);
	place_windows(a);
	lay_out_top(a);
	if (a->depth) {
		struct screen *t = TOP(a);
		if (t->ops->load && t->ops->load(a, t))
			tui_msg_err(a, &a->err);
	}
	clearok(curscr, TRUE);
}

/* The action (access.h) a command's key needs; -1: reading, which every
 * signed-on login may. */
static int cmd_action(enum cmd c)
{
	switch (c) {
	case CMD_LAB:
		return EF_ACT_LABS;
	case CMD_GVHD:
		return EF_ACT_TREATMENT;
	case CMD_STATUS:
		return EF_ACT_PATIENTS;
	case CMD_RECORD:
		return EF_ACT_NURSING;
	case CMD_ACK:
	case CMD_MARK: /* marks are for an acknowledgement */
		return EF_ACT_ACK_NURSING; /* the alert's rule may need more (app_ack_alert) */
	case CMD_MARK_ERROR:
		return EF_ACT_LABS; /* the record's kind may need more (app_mark_entered_in_error) */
	case CMD_NEW_PATIENT:
	case CMD_TRANSPLANT:
	case CMD_DONE: /* a follow-up time point done: kind followups */
		return EF_ACT_PATIENTS;
	case CMD_IS:
		return EF_ACT_TREATMENT;
	case CMD_IVIG:
	case CMD_TRANSFUSION:
		return EF_ACT_NURSING;
	default:
		return -1;
	}
}

int tui_may(const struct app *a, enum cmd c)
{
	int act = cmd_action(c);
	return act < 0 || ef_role_may(a->me.role, (enum ef_action)act);
}

static void handle_key(struct app *a, int key)
{
	if (key == K(KEY_RESIZE)) {
		on_resize(a);
		return;
	}
	if (!a->depth)
		return;
	if (a->asking) {
		answer(a, key);
		return;
	}
	a->msg[0] = '\0';
	struct screen *t = TOP(a);
	if (top_too_small(a)) { /* only leaving works: q, Esc, Ctrl-C (asks first about input) */
		enum cmd g = keys_lookup(global_keys, 0, key);
		if (g == CMD_BACK || g == CMD_QUIT) {
			a->unwind = 0;
			unwind(a);
		}
		return;
	}
	enum cmd c = keys_lookup(t->ops->help, t->mode, key);
	if (c == CMD_DISCARD_DRAFT) {
		if (tui_draft_discard(a, t))
			reopen_top(a);
		return;
	}
	if (!tui_may(a, c)) {
		tui_msg(a, MSG_NOT_PERMITTED, ef_role_name(a->me.role), ef_action_name((enum ef_action)cmd_action(c)));
		return;
	}
	enum action act = t->ops->key(a, t, key, c);
	if (act == ACTION_PASS)
		act = global_action(a, keys_lookup(global_keys, 0, key));
	apply(a, act);
}

/* ---- drawing ---- */
static void draw_title(struct app *a)
{
	WINDOW *w = a->title;
	attr_t at = tui_attr(R_TITLE);
	fill_line(w, 0, at);
	char today[11];
	ef_date_format(a->today, today);
	struct screen *t = TOP(a);
	int x = put_fmt(w, 0, 0, COLS, at, " engraft %s %s", a->utf8 ? "\u2502" : "|", t->ops->name);
	if (t->title[0])
		x += put_fmt(w, 0, x, COLS - x, at, ": %s", t->title);
	char right[200];
	snprintf(right, sizeof right, "%s (%s)  %s ", a->me.login, ef_role_name(a->me.role), today);
	int rw = text_width(right);
	if (x + rw + 1 < COLS)
		put_text(w, 0, COLS - rw, rw, right, at, 0);
}

static void draw_bar(struct app *a)
{
	WINDOW *w = a->bar;
	struct screen *t = TOP(a);
	if (a->asking || a->msg_rows == 2)
		return; /* draw_question, or a long message, has the row */
	werase(w);
	fill_line(w, 0, tui_attr(R_BAR_LABEL));
	int x = 0, cols = getmaxx(w);
	const struct keybind *tabs[2] = {t->ops->help, t->text_input ? NULL : global_keys};
	int used_cmds[64] = {0};
	int nused = 0;
	for (int k = 0; k < 2; k++) {
		for (const struct keybind *b = tabs[k]; b && b->name; b++) {
			if (!b->label || (b->modes && !(b->modes & (1u << t->mode))) || !tui_may(a, b->cmd))
				continue;
			int dup = 0;
			for (int i = 0; i < nused; i++)
				if (used_cmds[i] == (int)b->cmd)
					dup = 1;
			if (k == 1 && ((b->cmd == CMD_PATIENTS && a->depth == 1) ||
				       (b->cmd == CMD_ALERTS && t->ops == &alerts_ops) ||
				       (b->cmd == CMD_VACCINES && t->ops == &vaccines_ops) ||
				       (b->cmd == CMD_FOLLOWUP && t->ops == &followups_ops)))
				dup = 1; /* already there */
			if (k == 1 && keys_lookup(t->ops->help, t->mode, b->keys[0]) != CMD_NONE)
				dup = 1; /* the screen uses this key for something else */
			if (dup)
				continue;
			if (nused < 64)
				used_cmds[nused++] = (int)b->cmd;
			const char *label = b->label;
			if (b->cmd == CMD_BACK && a->depth == 1 && k == 1)
				label = "Quit";
			int need = text_width(b->name) + text_width(label) + 2;
			if (x + need > cols)
				return;
			x += put_text(w, 0, x, cols - x, b->name, tui_attr(R_BAR_KEY), 0);
			x += put_fmt(w, 0, x, cols - x, tui_attr(R_BAR_LABEL), " %s ", label);
		}
	}
}

/* The bytes of s, from its start, that fit in cols columns, cut after a
 * whole word (at a blank) when the whole does not fit; at least one
 * character. */
static size_t fit_words(const char *s, int cols)
{
	char buf[sizeof ((struct app *)0)->msg];
	size_t n = strlen(s), best = 0;
	if (text_width(s) <= cols || n >= sizeof buf)
		return n < sizeof buf ? n : 0;
	for (size_t i = 1; i <= n; i++) {
		if (s[i] != ' ' && s[i] != '\0')
			continue;
		memcpy(buf, s, i);
		buf[i] = '\0';
		if (text_width(buf) > cols)
			break;
		best = i;
	}
	if (!best) /* one word wider than the row: cut it at a character */
		for (size_t i = 1; i <= n; i++) {
			if (((unsigned char)s[i] & 0xC0) == 0x80)
				continue;
			memcpy(buf, s, i);
			buf[i] = '\0';
			if (text_width(buf) > cols)
				break;
			best = i;
		}
	return best;
}

/* Text on the status line, continued on the key bar's row under it when it
 * is longer than one row. Its end (a question's "(y/n)", an error's
 * "(nothing saved)") is always shown: text longer than two rows loses words
 * in its middle, marked with an ellipsis. Returns the rows used. */
static int draw_two_rows(struct app *a, const char *q, attr_t at)
{
	WINDOW *st = a->status, *bar = a->bar;
	int cols = getmaxx(st);
	werase(st);
	fill_line(st, 0, at);
	if (text_width(q) <= cols) {
		put_text(st, 0, 0, cols, q, at, 0);
		return 1;
	}
	werase(bar);
	char line[sizeof a->msg];
	size_t n = fit_words(q, cols);
	memcpy(line, q, n);
	line[n] = '\0';
	put_text(st, 0, 0, cols, line, at, 0);
	const char *rest = q + n;
	while (*rest == ' ')
		rest++;
	fill_line(bar, 0, at);
	if (text_width(rest) <= cols) {
		put_text(bar, 0, 0, cols, rest, at, 0);
		return 2;
	}
	/* the end of the text, after an ellipsis */
	const char *dots = a->utf8 ? "\u2026" : "...";
	int room = cols - text_width(dots);
	const char *tail = rest;
	while (*tail && text_width(tail) > room) {
		tail++;
		while (((unsigned char)*tail & 0xC0) == 0x80)
			tail++;
	}
	int x = put_text(bar, 0, 0, cols, dots, at, 0);
	put_text(bar, 0, x, cols - x, tail, at, 0);
	return 2;
}

/* A y/n question (the keys of the screen do nothing while it asks): on one
 * row, the key bar says what y and n do. */
static void draw_question(struct app *a)
{
	WINDOW *bar = a->bar;
	int cols = getmaxx(bar);
	if (draw_two_rows(a, a->question, tui_attr(R_STATUS_ERROR)) == 1) {
		werase(bar);
		fill_line(bar, 0, tui_attr(R_BAR_LABEL));
		int x = put_text(bar, 0, 0, cols, "y", tui_attr(R_BAR_KEY), 0);
		x += put_text(bar, 0, x, cols - x, " Yes ", tui_attr(R_BAR_LABEL), 0);
		x += put_text(bar, 0, x, cols - x, "n", tui_attr(R_BAR_KEY), 0);
		put_text(bar, 0, x, cols - x, " No (or any other key)", tui_attr(R_BAR_LABEL), 0);
	}
}

/* The status line: a question, or the message; a message longer than the
 * row takes the key bar's row too until the next key (never cut). */
static void draw_status(struct app *a)
{
	WINDOW *w = a->status;
	a->msg_rows = 0;
	if (a->asking) {
		draw_question(a);
		return;
	}
	werase(w);
	if (!a->msg[0])
		return;
	if (text_width(a->msg) <= getmaxx(w)) {
		put_text(w, 0, 0, getmaxx(w), a->msg, tui_attr(a->msg_role), 0);
		a->msg_rows = 1;
	} else {
		a->msg_rows = draw_two_rows(a, a->msg, tui_attr(a->msg_role));
	}
}

static void render(struct app *a)
{
	if (!a->depth)
		return;
	struct screen *t = TOP(a);
	werase(a->body);
	if (top_too_small(a)) {
		werase(a->title);
		werase(a->status);
		werase(a->bar);
		char says[512];
		int y = 0, w = getmaxx(a->body);
		if (a->too_small)
			snprintf(says, sizeof says, "Terminal too small (%dx%d): engraft needs at least %dx%d.", COLS,
				 LINES, MIN_COLS, MIN_LINES);
		else
			snprintf(says, sizeof says, "Terminal too small (%dx%d) for the %s form.", COLS, LINES,
				 t->ops->name);
		tui_wrap(a->body, &y, 0, 0, 0, w, says, A_BOLD);
		tui_wrap(a->body, &y, 0, 0, 0, w,
			 "Make the window larger; keys do nothing until then, except q, Esc or Ctrl-C: quit "
			 "(asking first about unsaved input).",
			 A_NORMAL);
		if (a->asking) {
			y++;
			tui_wrap(a->body, &y, 0, 0, 0, w, a->question, tui_attr(R_STATUS_ERROR));
		}
		update_panels();
		curs_set(0);
		doupdate();
		return;
	}
	draw_title(a);
	if (t->ops->overlay && a->depth >= 2) {
		struct screen *b = &a->stack[a->depth - 2];
		b->ops->draw(a, b, a->body);
	}
	t->ops->draw(a, t, a->body);
	tui_draft_draw(a, t);
	draw_status(a);
	draw_bar(a);
	update_panels();
	curs_set(t->cursor_visible && !a->asking ? 1 : 0);
	doupdate();
}

static int read_key(struct app *a, int ms)
{
	WINDOW *w = a->body;
	if (a->depth && TOP(a)->input)
		w = TOP(a)->input;
	wtimeout(w, ms);
	wint_t wc;
	int r = wget_wch(w, &wc);
	if (r == ERR)
		return -1;
	if (r == KEY_CODE_YES)
		return K((int)wc);
	return (int)wc;
}

/* A screen's name as one word for the timing file ('_' for a space). */
static void timing_name(const struct app *a, char *out, size_t size)
{
	const char *n = a->depth ? TOP(a)->ops->name : "-";
	size_t i = 0;
	for (; n[i] && i + 1 < size; i++)
		out[i] = n[i] == ' ' ? '_' : n[i];
	out[i] = '\0';
}

static const char *mode_name(const struct screen *s)
{
	if (s->ops == &list_ops && s->mode == 1)
		return "search";
	return "normal";
}

/* No key for the idle time: keep the forms' input as drafts and end the
 * session; ef_tui_run prints a->farewell once the terminal is restored. */
static void sign_off(struct app *a)
{
	char kept[sizeof a->farewell - 100];
	a->farewell_status = tui_drafts_keep(a, kept, sizeof kept);
	snprintf(a->farewell, sizeof a->farewell, "signed off after %d minute%s without a key; %s", a->idle_minutes,
		 a->idle_minutes == 1 ? "" : "s", kept);
	a->quit = 1;
}

const char *tui_farewell(const struct app *a, int *status)
{
	*status = a->farewell_status;
	return a->farewell;
}

/* The terminal is gone (its window closed, the ssh connection dropped and
 * no hangup signal reached us): reads fail at once instead of waiting. Keep
 * the forms' input as drafts, as at an automatic sign-off, and end. */
#define LOST_AFTER 20 /* reads in a row that failed well before their time */
static void terminal_lost(struct app *a)
{
	char kept[sizeof a->farewell - 100];
	a->farewell_status = tui_drafts_keep(a, kept, sizeof kept);
	snprintf(a->farewell, sizeof a->farewell, "the terminal went away; %s", kept);
	a->quit = 1;
}

int tui_step(struct app *a, int wait_ms)
{
	if (a->quit)
		return 1;
	const double asked = now_ms();
	int key = read_key(a, wait_ms);
	if (key < 0) {
		/* a read that gave up in less than half its time (or a read
		 * that was to wait for ever) did not time out: nothing to read */
		const double took = now_ms() - asked;
		if (wait_ms != 0 && (wait_ms < 0 || took < wait_ms / 2.0))
			a->failed_reads++;
		else
			a->failed_reads = 0;
		if (a->failed_reads >= LOST_AFTER)
			terminal_lost(a);
		else if (a->idle_ms > 0 && idle_clock(a) - a->last_key_ms >= a->idle_ms)
			sign_off(a);
		return a->quit;
	}
	a->failed_reads = 0;
	if (key != K(KEY_RESIZE)) /* a window manager's resize is nobody at the keyboard */
		a->last_key_ms = idle_clock(a);
	double t0 = now_ms();
	char screen[64];
	timing_name(a, screen, sizeof screen);
	const char *mode = a->depth ? mode_name(TOP(a)) : "normal";
	handle_key(a, key);
	while (!a->quit && (key = read_key(a, 0)) >= 0) {
		if (key != K(KEY_RESIZE))
			a->last_key_ms = idle_clock(a);
		handle_key(a, key);
	}
	if (a->quit)
		return 1;
	render(a);
	if (a->timing) {
		char after[64];
		timing_name(a, after, sizeof after);
		fprintf(a->timing, "key_ms %s %s %.3f %s\n", screen, mode, now_ms() - t0, after);
		fflush(a->timing);
	}
	return 0;
}

int tui_open(struct app **out, struct store *s, ef_day today, const char *term, FILE *outf, FILE *inf,
	     struct ef_err *err)
{
	*out = NULL;
	/* The caller chose the user's locale for text (LC_CTYPE: UTF-8 names,
	 * wide characters); numbers are read and written the same under every
	 * locale, so a decimal comma never turns 0.45 into 0. */
	setlocale(LC_NUMERIC, "C");
	struct app *a = calloc(1, sizeof *a);
	if (!a)
		return ef_errf(err, EF_DB, "out of memory");
	/* Who is at this terminal: a login not on the staff list, or
	 * disabled, never sees a screen (exit 6, the message says why). */
	int rc = app_sign_on(s, &a->me, err);
	if (rc) {
		free(a);
		return rc;
	}
	a->t_start = now_ms();
	a->s = s;
	a->today = today;
	a->unwind = -1;
	const char *tf = getenv("ENGRAFT_TUI_TIMING");
	if (tf && *tf)
		a->timing = fopen(tf, "a");
	if (!getenv("ESCDELAY"))
		set_escdelay(25);
	a->term = newterm(term, outf, inf);
	if (!a->term) {
		const char *t = term ? term : getenv("TERM");
		free(a);
		return ef_errf(err, EF_USAGE, "cannot start the terminal interface (TERM=%s)", t ? t : "unset");
	}
	set_term(a->term);
	raw(); /* Ctrl-C, Ctrl-S reach us: Ctrl-C asks before losing input, Ctrl-S saves */
	noecho();
	const char *cs = nl_langinfo(CODESET);
	a->utf8 = cs && (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0);
	const char *nc = getenv("NO_COLOR");
	theme_init(nc && *nc);
	place_windows(a);
	memset(&a->req, 0, sizeof a->req);
	a->req.ops = &list_ops;
	push(a, &a->req);
	if (!a->depth) {
		*err = a->err;
		tui_close(a);
		return err->msg[0] ? EF_DB : ef_errf(err, EF_DB, "cannot open the patient list");
	}
	render(a);
	if (a->timing) {
		fprintf(a->timing, "first_draw_ms %s %.3f\n", list_ops.name, now_ms() - a->t_start);
		fflush(a->timing);
	}
	/* the site's idle time: without it the session could not sign off */
	const struct ef_reference *ref = tui_reference(a);
	if (!ref) {
		*err = a->err;
		tui_close(a);
		return EF_DB;
	}
	a->idle_minutes = ef_ref_int(ref, EF_P_IDLE_LOGOFF_MINUTES);
	a->idle_ms = a->idle_minutes * 60000.0;
	a->last_key_ms = idle_clock(a);
	int64_t drafts = 0;
	struct app_env e = {a->s, ref, a->today};
	if (app_draft_count(&e, &drafts, &a->err) == EF_OK && drafts > 0) {
		tui_msg(a, MSG_DRAFTS_WAITING, (long long)drafts, drafts == 1 ? "" : "s");
		render(a);
	}
	*out = a;
	return EF_OK;
}

void tui_close(struct app *a)
{
	if (!a)
		return;
	while (a->depth > 0) {
		struct screen *s = TOP(a);
		if (s->ops->layout)
			s->ops->layout(a, s, NULL);
		if (s->ops->close)
			s->ops->close(a, s);
		a->depth--;
	}
	if (a->term) {
		PANEL *ps[] = {a->p_title, a->p_body, a->p_status, a->p_bar};
		for (size_t i = 0; i < NELEM(ps); i++)
			if (ps[i])
				del_panel(ps[i]);
		WINDOW *ws[] = {a->title, a->body, a->status, a->bar};
		for (size_t i = 0; i < NELEM(ws); i++)
			if (ws[i])
				delwin(ws[i]);
		endwin();
		delscreen(a->term);
	}
	if (a->timing)
		fclose(a->timing);
	if (a->have_ref)
		ef_reference_free(&a->ref);
	free(a);
}

int ef_tui_run(struct store *s, ef_day today, struct ef_err *err)
{
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return ef_errf(err, EF_USAGE, "the terminal interface needs a terminal; see engraft --help for the commands");
	setlocale(LC_ALL, "");
	struct app *a;
	/* every screen reads pages by index (issue 15) */
	int rc = store_small_cache(s, err);
	if (rc == EF_OK)
		rc = tui_open(&a, s, today, NULL, stdout, stdin, err);
	if (rc)
		return rc;
	while (!tui_step(a, tui_idle_wait_ms(a)))
		;
	int status;
	char bye[sizeof a->farewell];
	snprintf(bye, sizeof bye, "%s", tui_farewell(a, &status));
	tui_close(a);
	if (status)
		return ef_errf(err, status, "%s", bye);
	if (bye[0])
		fprintf(stderr, "engraft: %s\n", bye);
	return EF_OK;
}
