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

#endif
