/* screen_assert.h - assertions on the screen for the Check screen tests
 * (harness.h reads the screen back). */
#ifndef ENGRAFT_TUI_SCREEN_ASSERT_H
#define ENGRAFT_TUI_SCREEN_ASSERT_H

#include <check.h>

#include "harness.h"

#define ASSERT_SCREEN(t, text)                                                     \
	do {                                                                           \
		if (th_find(t, text) < 0) {                                                \
			th_dump(t);                                                            \
			ck_abort_msg("screen does not show \"%s\"", text);                   \
		}                                                                          \
	} while (0)
#define ASSERT_NOT_SCREEN(t, text)                                                 \
	do {                                                                           \
		if (th_find(t, text) >= 0) {                                               \
			th_dump(t);                                                            \
			ck_abort_msg("screen shows \"%s\" but should not", text);            \
		}                                                                          \
	} while (0)

/* Open the chart of the patient the search finds first. */
static inline void open_chart(struct th *t, const char *search)
{
	th_type(t, "/");
	th_type(t, search);
	th_enter(t); /* keep the filter */
	th_enter(t); /* open */
	ASSERT_SCREEN(t, "Chart:");
}

#endif
