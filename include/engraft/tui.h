/* tui.h - the terminal interface (ncursesw). */
#ifndef ENGRAFT_TUI_H
#define ENGRAFT_TUI_H

#include "engraft/date.h"
#include "engraft/error.h"
#include "engraft/store.h"

/* Run the TUI on the terminal until the user quits. Returns an exit status. */
int ef_tui_run(struct store *s, ef_day today, struct ef_err *err);

#endif
