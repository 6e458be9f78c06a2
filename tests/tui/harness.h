/* harness.h - drive the TUI in-process on a pseudo-terminal for screen
 * tests: a fixture database, keys written to the pty as a terminal would
 * send them, the screen read back from curses' view of the terminal. */
#ifndef ENGRAFT_TUI_HARNESS_H
#define ENGRAFT_TUI_HARNESS_H

#include <stddef.h>

#include "engraft/date.h"
#include "engraft/store.h"

struct th;

/* The fixture's "today" (all fixture dates are before it). */
#define TH_TODAY_Y 2024
#define TH_TODAY_M 9
#define TH_TODAY_D 1

/* A fresh database in a temporary directory loaded with the CSV fixture
 * tests/data/tui/ (extra_patients synthetic patients added when > 0), and
 * the TUI started on a rows x cols pseudo-terminal. NULL on failure
 * (reason on stderr). */
struct th *th_start(int rows, int cols, long extra_patients);
/* The same, with the rules run (check) or not. */
struct th *th_start_ex(int rows, int cols, long extra_patients, int check);
/* Same database as an earlier th, new terminal (after th_stop). */
void th_stop(struct th *t);          /* ends the TUI, keeps the database */
void th_free(struct th *t);          /* removes the database */
int th_restart(struct th *t, int rows, int cols);

/* Type text (UTF-8) / send one curses key (KEY_F(2), KEY_BTAB, ...) as its
 * terminal sequence, then let the TUI handle everything typed. */
void th_type(struct th *t, const char *text);
void th_key(struct th *t, int curses_key);
void th_esc(struct th *t);
void th_enter(struct th *t);
void th_resize(struct th *t, int rows, int cols);

/* Screen read-back. */
int th_rows(struct th *t);
int th_cols(struct th *t);
const char *th_line(struct th *t, int y);    /* UTF-8, trailing blanks cut */
int th_find(struct th *t, const char *text); /* row containing text, -1 if none */
/* Attributes of the cell at (y, x) (A_REVERSE, A_BOLD, colour pair...). */
unsigned long th_attr(struct th *t, int y, int x);
int th_quit(struct th *t);
/* The terminal goes away without a hangup signal (its input ends at once,
 * as when a window or an ssh connection closes under `su`): steps the TUI
 * until it ends (at most ~20 s); 1 if it did. */
int th_hangup(struct th *t);                   /* the TUI has quit */
/* Let `minutes` pass without a key (the TUI's idle clock moves forward,
 * nobody waits), then let the TUI look at its clock: it signs off when its
 * idle time is over. */
void th_idle(struct th *t, double minutes);
/* What the TUI said as it ended ("" when nothing), and its exit status. */
const char *th_farewell(struct th *t, int *status);
void th_dump(struct th *t);                  /* screen to stderr */

struct store *th_store(struct th *t);
const char *th_db_path(struct th *t);
ef_day th_today(void);
/* Count rows of SQL-free export: rows of kind for an MRN whose CSV line
 * (cells joined by ',') contains `needle` (NULL: every row). */
int th_export_count(struct th *t, int kind, const char *mrn, const char *needle);

#endif
