/* placeholder until the TUI lands */
#include <curses.h>
int ef_tui_placeholder(void);
int ef_tui_placeholder(void) { return 0; }
