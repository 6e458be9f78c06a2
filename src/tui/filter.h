/* filter.h - the typed filter of a list screen (alerts, worklist): editing
 * it key by key and matching rows against it, in memory. src/tui only. */
#ifndef ENGRAFT_TUI_FILTER_H
#define ENGRAFT_TUI_FILTER_H

#include <stddef.h>

/* A key typed while the filter is edited: Backspace drops one UTF-8
 * character, Ctrl-U empties it, a printable character is appended (when it
 * fits: never cut). 1 when the filter changed, 0 when the key was an
 * editing key that changed nothing (or did not fit), -1 when it is not an
 * editing key. */
int tui_filter_key(char *filter, size_t size, int key);

/* Whether every blank-separated word of `filter` occurs in one of the n
 * texts (ASCII letters without regard to case; other bytes as they are).
 * An empty filter matches everything. */
int tui_filter_match(const char *filter, const char *const *texts, size_t n);

#endif
