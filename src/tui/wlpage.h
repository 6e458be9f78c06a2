/* wlpage.h - a clinic worklist's window of rows (the vaccination and the
 * follow-up worklists): what the screen shows plus a page either side,
 * read by keyset pages from the kept forecasts (engraft/worklist.h), never
 * the whole list. The window moves with the selection. */
#ifndef ENGRAFT_TUI_WLPAGE_H
#define ENGRAFT_TUI_WLPAGE_H

#include "engraft/worklist.h"
#include "tui_int.h"

struct wlpage {
	struct store_wl_query q;
	struct store_wl_filter *filter; /* compiled from the typed text (q.filter) */
	struct store_wl_row *rows;      /* the window, in list order */
	size_t n;
	size_t page;                    /* rows per page read (at least a screen) */
	int cur;                        /* the selected row (index into rows) */
	int scroll;                     /* draw_sections' first line */
	int at_start, at_end;           /* the window holds the first / last row of the list */
	int prev_sec;                   /* the section of the row before the window, -1: none */
	int64_t counts[STORE_WL_SECTIONS]; /* of the sections shown; -N: at least N (store_wl_counts) */
	int64_t total;                  /* sum of counts (at least) */
	int64_t all_counts[STORE_WL_SECTIONS]; /* every section, through the filter counted_text */
	char counted_text[256];
	int counted;
	int64_t base_counts[STORE_WL_SECTIONS]; /* every section without a filter */
	int have_base;
	struct store_wl_row *buf;       /* a page being read */
};

/* draw_sections (tui_int.h) for rows that may begin inside a section:
 * prev_sec is the section of the row before row 0 (-1: none), and counts
 * (not NULL) the rows of each section in the whole list, shown in its
 * rule (-N: at least N, shown "N+"). */
void draw_sections_ex(WINDOW *w, int top, int bottom, size_t n, int cur, int *scroll, const char *const *names,
		      int utf8, int (*sec)(const void *ctx, size_t v), void (*row)(void *ctx, size_t v, int y, int sel),
		      void *ctx, int prev_sec, const int64_t *counts);

/* The list for kind and today with every row of `sections`; page: rows per
 * page (a screen's height). */
int wlpage_init(struct wlpage *p, enum store_wl_kind kind, ef_day today, unsigned sections, size_t page,
		struct ef_err *err);
void wlpage_free(struct wlpage *p);
/* The typed filter (text: its words) and the sections shown; counts again
 * when the words changed or `fresh` (the kept rows may have changed). The
 * window is not read: call a wlpage_home/end/around next. */
int wlpage_set(struct wlpage *p, struct store *s, const char *text, unsigned sections, int fresh,
	       struct ef_err *err);
/* The window at the list's first row, its last row, or at the row of key k
 * (or the first after it; the last row if none). */
int wlpage_home(struct wlpage *p, struct store *s, struct ef_err *err);
int wlpage_end(struct wlpage *p, struct store *s, struct ef_err *err);
int wlpage_around(struct wlpage *p, struct store *s, const struct store_wl_key *k, struct ef_err *err);
/* A movement key (Up/Down/PgUp/PgDn/Home/End; screen: rows of a screen
 * page): 1 if it was one (the window read as needed), 0 if not, -1 on a
 * database error (err filled). */
int wlpage_move(struct wlpage *p, struct store *s, enum cmd cmd, int screen, struct ef_err *err);
/* The selected row (NULL when the window is empty). */
const struct store_wl_row *wlpage_sel(const struct wlpage *p);

#endif
