/* wlpage.c - a clinic worklist's window of rows (wlpage.h). */
#include "wlpage.h"

#include <stdlib.h>
#include <string.h>

#define WINDOW_PAGES 3 /* a page either side of the one shown */
/* A filter read through the indexes counts each section up to this many
 * rows ("10000+"): a word in most rows of a registry would otherwise read
 * every row for its counts on each key typed. */
#define COUNT_CAP 10000

int wlpage_init(struct wlpage *p, enum store_wl_kind kind, ef_day today, unsigned sections, size_t page,
		struct ef_err *err)
{
	memset(p, 0, sizeof *p);
	p->q.kind = kind;
	p->q.today = today;
	p->q.sections = sections;
	p->q.count_cap = COUNT_CAP;
	p->page = page < 8 ? 8 : page;
	p->prev_sec = -1;
	p->rows = calloc(WINDOW_PAGES * p->page + 1, sizeof *p->rows);
	p->buf = calloc(2 * p->page + 1, sizeof *p->buf);
	if (!p->rows || !p->buf) {
		wlpage_free(p);
		return ef_errf(err, EF_DB, "out of memory");
	}
	return EF_OK;
}

void wlpage_free(struct wlpage *p)
{
	store_wl_filter_free(p->filter);
	free(p->rows);
	free(p->buf);
	memset(p, 0, sizeof *p);
}

int wlpage_set(struct wlpage *p, struct store *s, const char *text, unsigned sections, int fresh, struct ef_err *err)
{
	p->q.sections = sections;
	/* the same words on the same rows: the same counts (d shows other
	 * sections of them) */
	if (fresh || !p->counted || strcmp(text, p->counted_text) != 0) {
		struct store_wl_filter *f = NULL;
		int rc = store_wl_filter_new(s, p->q.kind, p->q.today, text, fresh ? NULL : p->filter, &f, err);
		if (rc)
			return rc;
		store_wl_filter_free(p->filter);
		p->filter = f;
		p->q.filter = f;
		struct store_wl_query all = p->q;
		all.sections = ~0u;
		p->counted = 0;
		if (fresh)
			p->have_base = 0;
		if (!f && p->have_base) { /* no words: the counts of the list as opened */
			memcpy(p->all_counts, p->base_counts, sizeof p->all_counts);
		} else {
			if ((rc = store_wl_counts(s, &all, p->all_counts, err)))
				return rc;
			if (!f) {
				memcpy(p->base_counts, p->all_counts, sizeof p->base_counts);
				p->have_base = 1;
			}
		}
		snprintf(p->counted_text, sizeof p->counted_text, "%s", text);
		p->counted = strlen(text) < sizeof p->counted_text;
	}
	p->total = 0;
	for (int i = 0; i < STORE_WL_SECTIONS; i++) {
		p->counts[i] = sections & (1u << i) ? p->all_counts[i] : 0;
		p->total += p->counts[i] < 0 ? -p->counts[i] : p->counts[i];
	}
	return EF_OK;
}

const struct store_wl_row *wlpage_sel(const struct wlpage *p)
{
	return p->n ? &p->rows[p->cur] : NULL;
}

/* The line of row v in the window's layout (draw_sections: a section's
 * rule before its first row). */
static int line_of(const struct wlpage *p, size_t v)
{
	int line = 0;
	for (size_t i = 0; i <= v && i < p->n; i++) {
		int prev = i ? p->rows[i - 1].key.sec : p->prev_sec;
		if (p->rows[i].key.sec != prev)
			line++;
		if (i < v)
			line++;
	}
	return line;
}

/* Keep the selected row where it is on the screen while the window
 * changes around it: call with the line before, after the change. */
static void keep_line(struct wlpage *p, int before)
{
	p->scroll = line_of(p, (size_t)p->cur) - before;
}

static int read_fwd(struct wlpage *p, struct store *s, const struct store_wl_key *from, size_t max, size_t *got,
		    struct ef_err *err)
{
	return store_wl_page(s, &p->q, from, 0, p->buf, max, got, err);
}

int wlpage_home(struct wlpage *p, struct store *s, struct ef_err *err)
{
	size_t got = 0;
	int rc = read_fwd(p, s, NULL, 2 * p->page, &got, err);
	if (rc)
		return rc;
	memcpy(p->rows, p->buf, got * sizeof *p->rows);
	p->n = got;
	p->cur = 0;
	p->scroll = 0;
	p->at_start = 1;
	p->prev_sec = -1;
	p->at_end = got < 2 * p->page;
	return EF_OK;
}

/* Rows before key k (nearest first in buf) into the front of the window:
 * the window then begins with them. wanted rows at most. */
static int prepend(struct wlpage *p, struct store *s, const struct store_wl_key *k, size_t wanted, struct ef_err *err)
{
	size_t got = 0;
	int rc = store_wl_page(s, &p->q, k, 1, p->buf, wanted + 1, &got, err);
	if (rc)
		return rc;
	size_t take = got > wanted ? wanted : got;
	if (got > wanted) {
		p->prev_sec = p->buf[wanted].key.sec;
		p->at_start = 0;
	} else {
		p->prev_sec = -1;
		p->at_start = 1;
	}
	memmove(p->rows + take, p->rows, p->n * sizeof *p->rows);
	for (size_t i = 0; i < take; i++)
		p->rows[take - 1 - i] = p->buf[i];
	p->n += take;
	p->cur += (int)take;
	return EF_OK;
}

int wlpage_end(struct wlpage *p, struct store *s, struct ef_err *err)
{
	p->n = 0;
	p->cur = 0;
	int rc = prepend(p, s, NULL, 2 * p->page, err);
	if (rc)
		return rc;
	p->at_end = 1;
	p->cur = p->n ? (int)p->n - 1 : 0;
	p->scroll = 0; /* the drawing scrolls the last row to the bottom line */
	return EF_OK;
}

int wlpage_around(struct wlpage *p, struct store *s, const struct store_wl_key *k, struct ef_err *err)
{
	if (!k)
		return wlpage_home(p, s, err);
	struct store_wl_key b = *k;
	store_wl_key_before(&b);
	size_t got = 0;
	int rc = read_fwd(p, s, &b, 2 * p->page, &got, err);
	if (rc)
		return rc;
	memcpy(p->rows, p->buf, got * sizeof *p->rows);
	p->n = got;
	p->cur = 0;
	p->at_end = got < 2 * p->page;
	/* before it: a page (the row before k is the last of them) */
	if ((rc = prepend(p, s, got ? &p->rows[0].key : &b, p->page, err)))
		return rc;
	if (!got)
		p->cur = p->n ? (int)p->n - 1 : 0;
	p->scroll = 0;
	keep_line(p, line_of(p, (size_t)p->cur) < 3 ? line_of(p, (size_t)p->cur) : 3);
	return EF_OK;
}

/* Read on past the window's ends while the selection is within a page of
 * one; keep at most WINDOW_PAGES pages. */
static int follow(struct wlpage *p, struct store *s, struct ef_err *err)
{
	size_t max = WINDOW_PAGES * p->page;
	while (!p->at_end && p->n && (size_t)p->cur + p->page >= p->n) {
		int before = line_of(p, (size_t)p->cur) - p->scroll;
		size_t got = 0;
		int rc = read_fwd(p, s, &p->rows[p->n - 1].key, p->page, &got, err);
		if (rc)
			return rc;
		if (got < p->page)
			p->at_end = 1;
		if (p->n + got > max) { /* drop from the front */
			size_t drop = p->n + got - max;
			p->prev_sec = p->rows[drop - 1].key.sec;
			memmove(p->rows, p->rows + drop, (p->n - drop) * sizeof *p->rows);
			p->n -= drop;
			p->cur -= (int)drop;
			p->at_start = 0;
		}
		memcpy(p->rows + p->n, p->buf, got * sizeof *p->rows);
		p->n += got;
		keep_line(p, before);
	}
	while (!p->at_start && p->n && (size_t)p->cur < p->page) {
		int before = line_of(p, (size_t)p->cur) - p->scroll;
		if (p->n + p->page > max) { /* drop from the end */
			p->n = max - p->page;
			p->at_end = 0;
		}
		struct store_wl_key first = p->rows[0].key;
		int rc = prepend(p, s, &first, p->page, err);
		if (rc)
			return rc;
		keep_line(p, before);
	}
	return EF_OK;
}

int wlpage_move(struct wlpage *p, struct store *s, enum cmd cmd, int screen, struct ef_err *err)
{
	int rc;
	switch (cmd) {
	case CMD_HOME:
		return wlpage_home(p, s, err) ? -1 : 1;
	case CMD_END:
		return wlpage_end(p, s, err) ? -1 : 1;
	case CMD_UP:
	case CMD_DOWN:
	case CMD_PAGE_UP:
	case CMD_PAGE_DOWN:
		if (screen > (int)p->page)
			screen = (int)p->page;
		cursor_move(cmd, &p->cur, p->n, screen);
		rc = follow(p, s, err);
		return rc ? -1 : 1;
	default:
		return 0;
	}
}
