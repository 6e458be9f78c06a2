/* tui_drive.h - run the terminal interface step by step on any terminal
 * (newterm): ef_tui_run uses it on the real terminal, the screen tests on a
 * pseudo-terminal. */
#ifndef ENGRAFT_TUI_DRIVE_H
#define ENGRAFT_TUI_DRIVE_H

#include <stdio.h>

#include "engraft/date.h"
#include "engraft/error.h"
#include "engraft/store.h"

struct app;

/* Start on the terminal `term` (NULL: $TERM) writing to out and reading
 * from in, and draw the patient list. The caller has called setlocale. */
int tui_open(struct app **out, struct store *s, ef_day today, const char *term, FILE *outf, FILE *inf,
	     struct ef_err *err);
/* Wait up to wait_ms (-1: for ever) for a key, handle it and every key
 * already typed after it, then draw. Returns 1 once the user has quit. */
int tui_step(struct app *a, int wait_ms);
void tui_close(struct app *a);

/* Automatic logoff: how long a caller may wait for a key before the
 * session's idle time is over (ms, >= 0); tui_step(a, that) signs off
 * when no key came. */
int tui_idle_wait_ms(const struct app *a);
/* After tui_step returned 1: the sentence to print once the terminal is
 * restored ("" when the user quit; "signed off after 15 minutes without a
 * key; ..." after an automatic sign-off) and the exit status. */
const char *tui_farewell(const struct app *a, int *status);
/* Test hook: move the idle clock forward by ms (the idle time passes
 * without waiting for it). */
void tui_clock_advance(struct app *a, double ms);

#endif
