/* tui_int.h - shared by the files of src/tui only (the only curses code).
 *
 * Shape (docs/architecture.md): every screen is a struct screen_ops in its own file.
 * Keys are looked up in the screen's key table (then the global one) and
 * turned into a command; the screen's key handler returns an enum action
 * and never touches the database or the terminal. The main loop (tui.c)
 * alone loads, saves, pushes, pops and draws. The key bar and the `?` help
 * are generated from the same tables the dispatcher uses. */
#ifndef ENGRAFT_TUI_INT_H
#define ENGRAFT_TUI_INT_H

#include <curses.h>
#include <form.h>
#include <panel.h>
#include <stdint.h>
#include <stdio.h>

#include "engraft/app.h"
#include "engraft/date.h"
#include "engraft/error.h"
#include "engraft/reference.h"
#include "engraft/rules.h"
#include "engraft/store.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* ---- keys ---------------------------------------------------------------
 * A key is a Unicode character (its code point) or a curses function key
 * with the KF flag set (so that characters >= KEY_MIN never collide). */
#define KF 0x40000000
#define K(code) ((code) | KF)
#define CTRL(c) ((c) & 0x1f)
#define KEY_ESCAPE 27

enum cmd {
	CMD_NONE = 0,
	CMD_UP, CMD_DOWN, CMD_PAGE_UP, CMD_PAGE_DOWN, CMD_HOME, CMD_END,
	CMD_OPEN, CMD_SEARCH, CMD_SEARCH_KEEP, CMD_SEARCH_CLEAR,
	CMD_LAB, CMD_GVHD, CMD_VACCINES, CMD_RECORD, CMD_ALERTS, CMD_ACK, CMD_HISTORY,
	CMD_SCOPE, CMD_PATIENTS, CMD_HELP, CMD_BACK, CMD_QUIT,
	CMD_NEXT_FIELD, CMD_PREV_FIELD, CMD_SAVE, CMD_CHOICE_NEXT, CMD_CHOICE_PREV, CMD_KIND,
	CMD_MARK_ERROR, CMD_AUDIT, CMD_STATUS, CMD_FILTER,
	CMD_DISCARD_DRAFT,
	CMD_MARK, CMD_SEVERITY, CMD_RULE, CMD_EXPAND, CMD_COLLAPSE, CMD_CLEAR_FILTERS,
	CMD_NEW_PATIENT, CMD_TRANSPLANT, CMD_IS, CMD_IVIG, CMD_TRANSFUSION,
	CMD_TREND, CMD_TEST_NEXT, CMD_TEST_PREV, CMD_LOG_SCALE,
	CMD_FOLLOWUP, CMD_DONE,
};

struct keybind {
	int keys[4];         /* 0-terminated unless all 4 are used */
	const char *name;    /* how help and the key bar spell it: "Enter", "q/Esc" */
	enum cmd cmd;
	const char *label;   /* key bar label; NULL: help only */
	const char *help;    /* one line in `?` help */
	unsigned modes;      /* bit (1u << mode) where it applies; 0 = every mode */
};
#define KEYS_END {{0}, NULL, CMD_NONE, NULL, NULL, 0}

/* ---- actions: what a key handler asks the main loop to do ---- */
enum action {
	ACTION_PASS = -1,  /* not mine: try the global keys */
	ACTION_NONE = 0,
	ACTION_REDRAW,     /* state changed: draw again */
	ACTION_RELOAD,     /* call ops->load (database), then draw */
	ACTION_PUSH,       /* open app->req on top */
	ACTION_POP,        /* close this screen (asks first when it has unsaved input) */
	ACTION_SAVE,       /* call ops->save (database) */
	ACTION_CONFIRM,    /* ask app->question (y/n), then ops->confirmed */
	ACTION_REPLACE,    /* close this screen and open app->req in its place (a save's answer) */
};

/* ---- colours and attributes by role (theme.c, one place) ---- */
enum role {
	R_NORMAL = 0, R_TITLE, R_BAR_KEY, R_BAR_LABEL, R_STATUS, R_STATUS_OK, R_STATUS_ERROR,
	R_HEADER, R_SELECTED, R_CRITICAL, R_WARNING, R_INFO, R_GOOD, R_DIM, R_FIELD, R_FIELD_CURRENT,
	R_INVALID, R_DUE, R_OVERDUE, R_BLOCKED, R_UPCOMING, R_LOW, R_SEARCH, R_SECTION, R_POPUP,
	R_COUNT
};
void theme_init(int mono);
attr_t tui_attr(enum role r);
/* The role of an alert severity (critical, warning, info). */
enum role tui_severity_role(enum ef_severity s);
/* The attribute of a GVHD grade's class (core: ef_agvhd_class): severe is
 * critical, present a warning, none `none_attr`. */
attr_t gvhd_attr(enum ef_gvhd_class c, attr_t none_attr);

/* ---- status messages (tui.c, one table) ---- */
enum msg {
	MSG_NONE = 0,
	MSG_HELLO,
	MSG_DB_ERROR,
	MSG_FORM_INVALID,
	MSG_LAB_SAVED,
	MSG_LAB_REPLACED,
	MSG_LAB_UNCHANGED,
	MSG_GVHD_SAVED,
	MSG_GVHD_UNCHANGED,
	MSG_DOSE_SAVED,
	MSG_DOSE_UNCHANGED,
	MSG_ACKED,
	MSG_RULES_RERUN,
	MSG_RULES_UNAVAILABLE,
	MSG_NO_SELECTION,
	MSG_NEEDS_PATIENT,
	MSG_NOT_AVAILABLE,
	MSG_NO_MATCH,
	MSG_CANCELLED,
	MSG_DISCARDED,
	MSG_MARKED,
	MSG_ALREADY_MARKED,
	MSG_DRAFT_DISCARDED,
	MSG_NO_DRAFT,
	MSG_DRAFTS_WAITING,
	MSG_NOT_PERMITTED,
	MSG_STATUS_SAVED,
	MSG_STATUS_UNCHANGED,
	MSG_ACKED_MANY,
	MSG_TRIAGE,
	MSG_RECORD_SAVED,
	MSG_RECORD_UNCHANGED,
	MSG_COUNT
};

/* ---- screens ---- */
struct app;
struct screen;

struct request {
	const struct screen_ops *ops;
	int64_t patient_id;      /* 0: clinic-wide */
	int arg;                 /* screen-specific */
	int64_t id;              /* the record or alert the screen is about */
	char text[64];           /* screen-specific (vaccine code, ...) */
	char what[200];          /* screen-specific (the record to mark, ...) */
};

struct screen_ops {
	const char *name;        /* title bar and help heading */
	const char *about;       /* help paragraph */
	/* Allocate state and load (the loop calls these; they may read the
	 * database). open returns an ef_status. */
	int (*open)(struct app *a, struct screen *s, const struct request *rq);
	int (*load)(struct app *a, struct screen *s);
	void (*draw)(struct app *a, struct screen *s, WINDOW *w);
	enum action (*key)(struct app *a, struct screen *s, int key, enum cmd cmd);
	enum action (*save)(struct app *a, struct screen *s);             /* may be NULL */
	enum action (*confirmed)(struct app *a, struct screen *s, int yes); /* may be NULL */
	int (*dirty)(const struct screen *s);                                 /* may be NULL */
	void (*layout)(struct app *a, struct screen *s, WINDOW *w);         /* may be NULL */
	void (*close)(struct app *a, struct screen *s);
	const struct keybind *help; /* the screen's key table */
	int overlay;             /* draw the screen below first (pop-up forms) */
	/* Fill the form from a draft (drafts.c) after open; NULL: fform_restore
	 * of the form (the state begins with its struct fform). Returns 0, or
	 * -1 when the draft does not fit the form (it is then discarded). */
	int (*restore)(struct app *a, struct screen *s, const struct app_draft *d);
};

/* A form screen's draft (drafts.c): what its open says the form is for,
 * so that an automatic sign-off can keep what was typed and the next open
 * for the same login, form, patient and context can offer it. */
struct screen_draft {
	const char *form;        /* stable name (app.h app_draft_key); NULL: keeps no draft */
	const char *what;        /* the sign-off message's words: "lab form" */
	int64_t patient_id;
	char context[64];
	char mrn[64];
	int offered;             /* opened filled from a draft (it is still in the database) */
	char note[200];          /* "Draft kept at HH:MM on ...", shown while offered */
};

struct screen {
	const struct screen_ops *ops;
	void *st;                /* the screen's own state */
	int mode;                /* selects key table entries (keybind.modes) */
	int64_t patient_id;      /* context patient, 0: none */
	int cursor_visible;      /* forms show the cursor */
	int text_input;          /* printable keys are text: no global keys on the bar */
	WINDOW *input;           /* window keys are read from (a form's), NULL: body */
	char title[400];         /* context for the title bar ("DOE, Jane  MRN 1234") */
	struct request rq;       /* what opened it (Ctrl-D re-opens a form without its draft) */
	struct screen_draft draft;
	int unfit;               /* its layout did not fit the body (a form): the loop says the
				    terminal is too small and takes only quit and resize */
};

#define MAX_DEPTH 12

struct app {
	struct store *s;
	ef_day today;
	struct store_staff me;   /* the signed-on login (app_sign_on); its role decides the keys */
	SCREEN *term;
	WINDOW *title, *body, *status, *bar;
	PANEL *p_title, *p_body, *p_status, *p_bar;
	struct screen stack[MAX_DEPTH];
	int depth;
	struct request req;      /* filled by a key handler before ACTION_PUSH */
	char question[256];      /* filled before ACTION_CONFIRM */
	int asking;              /* 0, ASK_SCREEN (the top screen asked), ASK_DISCARD */
	int unwind;              /* popping towards this depth (p, Ctrl-C): -1 none */
	char msg[512];
	enum role msg_role;
	int msg_rows;            /* rows the message took when drawn (2: the key bar's too) */
	int quit;
	int utf8;
	int too_small;
	struct ef_reference ref; /* clinical reference data, loaded on first use */
	int have_ref;
	FILE *timing;            /* ENGRAFT_TUI_TIMING */
	double t_start;
	int first_drawn;
	/* automatic logoff (tui.c): the site's idle time, the monotonic clock
	 * of the last key, and a test's shift of that clock (tui_drive.h) */
	int idle_minutes;
	double idle_ms, last_key_ms, clock_shift_ms;
	char farewell[1024];     /* printed after the terminal is restored */
	int failed_reads;        /* reads in a row that failed early: the terminal is gone */
	int farewell_status;     /* the exit status that goes with it */
	struct ef_err err;
};
enum { ASK_SCREEN = 1, ASK_DISCARD = 2 };

/* Screens */
extern const struct screen_ops list_ops, chart_ops, labform_ops, gvhdform_ops, vaccines_ops, doseform_ops,
	alerts_ops, ackform_ops, help_ops, eieform_ops, history_ops, statusform_ops, trend_ops;
extern const struct screen_ops patientform_ops, transplantform_ops, isform_ops, ivigform_ops, transfusionform_ops;
extern const struct screen_ops followups_ops, followupform_ops;

/* Text wrapped to width from (top + *y - scroll, x) on, *y counting lines
 * (help.c); and the scrolling keys of a text screen (Up, Down, PgUp, PgDn,
 * Home, End, q/Esc) over `lines` lines. */
void tui_wrap(WINDOW *w, int *y, int top, int scroll, int x, int width, const char *text, attr_t at);
enum action tui_scroll_key(struct app *a, int *scroll, int lines, enum cmd cmd);

/* Whether the signed-on login's role may use a command's key (access.h):
 * the key bar and help show only those; another key says why not. The
 * use case checks again (an acknowledgement by the alert's rule, an
 * entered-in-error mark by the record's kind). */
int tui_may(const struct app *a, enum cmd c);

/* Status line: message from the table (printf-style arguments). */
void tui_msg(struct app *a, enum msg m, ...);
/* Status line: a database or other error as text. */
void tui_msg_err(struct app *a, const struct ef_err *e);

/* ---- drawing helpers (draw.c) ---- */
/* Write UTF-8 text at (y, x) using at most `width` columns; pad with blanks
 * to width when pad. Returns the columns used. Invalid bytes show as '?'. */
int put_text(WINDOW *w, int y, int x, int width, const char *s, attr_t attr, int pad);
/* printf into put_text. */
int put_fmt(WINDOW *w, int y, int x, int width, attr_t attr, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 6, 7)))
#endif
	;
/* Columns taken by a UTF-8 string. */
int text_width(const char *s);
void fill_line(WINDOW *w, int y, attr_t attr);
/* A sparkline `width` characters wide over a fixed window of days into
 * out: value v[i] of day[i] (oldest first) falls in the character of its
 * day among first..last (the latest of a character wins), scaled from 0
 * to the largest value; a character without a value is a blank. Block
 * characters in a UTF-8 locale, ASCII otherwise. */
void sparkline(const double *v, const ef_day *day, int n, ef_day first, ef_day last, int width, int utf8, char *out,
	       size_t size);
/* Find the command bound to key in table for mode (CMD_NONE if none). */
enum cmd keys_lookup(const struct keybind *t, int mode, int key);
/* Move the selection *cur of a list of n rows for Up/Down/PgUp/PgDn/Home/
 * End (page rows per page); 1 when cmd was one of those, 0 otherwise. */
int cursor_move(enum cmd cmd, int *cur, size_t n, int page);
/* A section rule "── Title ──────" across the width. */
void draw_rule(WINDOW *w, int y, const char *title, int utf8);
/* A list of n rows in sections: before each run of rows of one section a
 * rule "Name (count)"; on lines top..bottom-1, scrolled (*scroll, in lines)
 * so that row cur shows. sec(ctx, v) is row v's section (an index of
 * names); row(ctx, v, y, sel) draws row v on line y. */
void draw_sections(WINDOW *w, int top, int bottom, size_t n, int cur, int *scroll, const char *const *names, int utf8,
		   int (*sec)(const void *ctx, size_t v), void (*row)(void *ctx, size_t v, int y, int sel), void *ctx);
/* A patient as the title bar names them: "Family, Given  MRN X". */
void fmt_patient(const struct ef_patient *p, char *out, size_t size);
/* day number as "+N" or "-N" relative to day 0, or "-" */
void fmt_day_n(ef_day day0, ef_day on, char *out, size_t size);

/* ---- forms (forms.c): a small layer over the form library ---- */
enum fkind { F_TEXT = 0, F_CHOICE, F_DIGIT };

#define FORM_MAX_FIELDS 12

struct fspec {
	const char *label;
	int width;
	enum fkind kind;
	const char *hint;        /* shown at the right when the field is current */
	int max;                 /* > width: the field scrolls up to max characters */
};

struct fform {
	FORM *form;
	FIELD *fields[FORM_MAX_FIELDS + 1];
	int n;
	const struct fspec *spec;
	WINDOW *win, *sub;       /* the form's window (over the body) and the fields' sub-window */
	PANEL *panel;
	int y0, label_w;         /* first row; label column width */
	char err[FORM_MAX_FIELDS][160];  /* the field's problem, shown in place */
	char note[FORM_MAX_FIELDS][160]; /* live note at the right (test name, ...) */
	enum role note_role[FORM_MAX_FIELDS]; /* its colour; R_NORMAL (0) = dim */
	const char *const *choices[FORM_MAX_FIELDS];
	int choice[FORM_MAX_FIELDS];
	int dirty;
	int posted;
};

int fform_init(struct fform *f, const struct fspec *spec, int n);
void fform_free(struct fform *f);
/* (Re)attach to the body window after open or a resize. */
void fform_layout(struct fform *f, WINDOW *w, int y0);
/* Labels, in-place errors and hints; leaves the cursor in the current field. */
void fform_draw(struct fform *f, int utf8);
/* A key for the form: editing, Tab/Shift-Tab, choices. Returns 1 if the
 * form used it (the value may have changed), 0 if not. */
int fform_key(struct fform *f, int key, enum cmd cmd);
/* Trimmed text of field i. */
const char *fform_get(struct fform *f, int i, char *buf, size_t size);
void fform_set(struct fform *f, int i, const char *text);
void fform_set_choices(struct fform *f, int i, const char *const *choices, int selected);
int fform_current(const struct fform *f);
void fform_focus(struct fform *f, int i);
void fform_sync(struct fform *f);
extern const struct keybind form_keys[];

/* Shared by the form screens (acknowledge, record dose, lab, GVHD), whose
 * state struct begins with its struct fform. */
/* F2/Ctrl-S saves, Esc leaves, other keys edit; leaving a field sets
 * shown[field] (its problem is explained from then on). */
enum action fform_screen_key(struct fform *f, int *shown, int key, enum cmd cmd);
/* Allocate a form screen's zeroed state of `size` bytes as s->st for the
 * patient of rq, with the cursor shown and text input on; NULL (a->err
 * set) when out of memory. */
void *fform_screen_open(struct app *a, struct screen *s, const struct request *rq, size_t size);
/* Lay the form out in w from row y0; its window takes the input. */
void fform_screen_layout_at(struct screen *s, WINDOW *w, int y0);
/* The same from row 2 (under a heading line), as a screen's layout. */
void fform_screen_layout(struct app *a, struct screen *s, WINDOW *w);
/* Free the form and the state. */
void fform_screen_close(struct app *a, struct screen *s);
/* Unsaved input? */
int fform_screen_dirty(const struct screen *s);
/* When the form could not be posted (window too small), say so in body
 * and return 1. */
int fform_too_small(const struct fform *f, WINDOW *body, const char *what);

/* Every field from a draft's values, a choice field by its entry's text;
 * -1 (and nothing changed) when they do not fit the form. */
int fform_restore(struct fform *f, const struct app_draft *d);

/* ---- drafts (drafts.c): what an automatic sign-off keeps ---- */
/* A form's open says what the form is for (context may be NULL). */
void tui_draft_slot(struct screen *s, const char *form, const char *what, int64_t patient_id, const char *mrn,
		    const char *context);
/* After open: fill the form from the login's draft, if there is one. */
void tui_draft_offer(struct app *a, struct screen *s);
/* While the form shows a draft: the line that says so, at the bottom of
 * the form's window (after the screen's draw; the cursor stays). */
void tui_draft_draw(struct app *a, struct screen *s);
/* After a save (the screen's save or confirmed returned ACTION_POP): the
 * draft it was opened from is no longer needed. */
void tui_draft_saved(struct app *a, struct screen *s);
/* Ctrl-D: delete the top form's draft; 1 when there was one (the caller
 * re-opens the form empty). */
int tui_draft_discard(struct app *a, struct screen *s);
/* At the sign-off: keep every form of the stack with input as a draft and
 * say what was kept in `said` ("the unsaved lab form for MRN X was kept as
 * a draft", "nothing was unsaved"). Returns EF_OK, or the status of a
 * draft that could not be kept (said says which and why). */
int tui_drafts_keep(struct app *a, char *said, size_t size);

/* ---- writes go through the use cases (src/app, rerun.c) ---- */
/* The use cases' environment for this session; EF_DB with a->err filled
 * when the reference data cannot be loaded. */
int tui_env(struct app *a, struct app_env *e);
/* Seconds since local midnight of the session's today that have passed:
 * a time later than this today is in the future. */
int tui_now_sec(const struct app *a);
/* A sentence for the status line: how a save changed the patient's alerts. */
void tui_alerts_summary(const struct app_saved *saved, char *summary, size_t size);
/* The reference data (thresholds, schedules) of the database, or NULL with
 * a->err filled. */
const struct ef_reference *tui_reference(struct app *a);

/* ---- words that name a colour (theme.c) ---- */
/* Text as it reads under the theme: unchanged with colours; under NO_COLOR
 * (or a terminal without colours) its colour phrases ("explained in red")
 * say "highlighted" instead, from one table in theme.c. Returns text or
 * buf. Apply it to fixed text (message formats, help), never to what a
 * user typed. */
const char *tui_colour_words(const char *text, char *buf, size_t size);

#endif
