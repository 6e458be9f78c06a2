/* tui.c - entry point of the terminal interface (screens land here next). */
#include <curses.h>

#include "engraft/tui.h"

int ef_tui_run(struct store *s, ef_day today, struct ef_err *err)
{
	(void)s;
	(void)today;
	return ef_errf(err, EF_USAGE, "the terminal interface is not built yet; use the commands (engraft --help)");
}
