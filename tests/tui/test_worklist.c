/* test_worklist.c - the clinic worklists read by pages (issue 15;
 * src/tui/wlpage.c over src/store/worklist.c) on the fixture and 60
 * synthetic patients (several pages of rows): PgDn, End and Home walk the
 * whole list in its order, the rows on the screen are always consecutive
 * rows of it and the selected row is among them; the typed filter and `d`
 * hold across page boundaries; the section rules count the whole list;
 * recording a dose keeps the selection on the same patient and series, or
 * on the row after. The expected list is read here through the store's
 * pages (tested against the kept forecasts by store-worklist). */
#include <check.h>
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engraft/worklist.h"
#include "harness.h"
#include "screen_assert.h"

#define EXTRA 60
#define ROWS 24
#define COLS 80

struct want {
	char (*id)[128]; /* "MRN CODE:N" (vaccines) or "MRN ITEM TP" (follow-ups) */
	size_t n;
	int64_t counts[STORE_WL_SECTIONS];
};

static void id_of(enum store_wl_kind kind, const struct store_wl_row *r, char *out, size_t size)
{
	if (kind == STORE_WL_VACCINES)
		snprintf(out, size, "%.40s %.40s:%d", r->mrn, r->code, r->dose);
	else
		snprintf(out, size, "%.40s %.40s %.40s", r->mrn, r->code, r->time_point);
}

/* The whole list as the store pages it. */
static struct want want_list(struct th *t, enum store_wl_kind kind, const char *filter, unsigned sections)
{
	struct ef_err err;
	struct want w = {NULL, 0, {0}};
	struct store_wl_filter *f = NULL;
	ck_assert_int_eq(store_wl_filter_new(th_store(t), kind, th_today(), filter, NULL, &f, &err), EF_OK);
	struct store_wl_query q = {kind, th_today(), sections, f};
	ck_assert_int_eq(store_wl_counts(th_store(t), &q, w.counts, &err), EF_OK);
	struct store_wl_row *r = malloc(16 * sizeof *r);
	ck_assert_ptr_nonnull(r);
	struct store_wl_key k;
	size_t n, cap = 0;
	int first = 1;
	do {
		ck_assert_int_eq(store_wl_page(th_store(t), &q, first ? NULL : &k, 0, r, 16, &n, &err), EF_OK);
		for (size_t i = 0; i < n; i++) {
			if (w.n == cap) {
				cap = cap ? 2 * cap : 64;
				w.id = realloc(w.id, cap * sizeof *w.id);
				ck_assert_ptr_nonnull(w.id);
			}
			id_of(kind, &r[i], w.id[w.n++], sizeof w.id[0]);
		}
		if (n)
			k = r[n - 1].key;
		first = 0;
	} while (n == 16);
	free(r);
	store_wl_filter_free(f);
	return w;
}

static long find_id(const struct want *w, const char *id)
{
	for (size_t i = 0; i < w->n; i++)
		if (strcmp(w->id[i], id) == 0)
			return (long)i;
	return -1;
}

/* The id of a list row on screen line y ("" when not a row). */
static void screen_id(struct th *t, enum store_wl_kind kind, int y, char *out, size_t size)
{
	const char *l = th_line(t, y);
	out[0] = '\0';
	char mrn[32];
	if (strncmp(l, " X0", 3) != 0 && strncmp(l, " MRN0", 5) != 0)
		return;
	if (sscanf(l, " %31s", mrn) != 1 || strlen(l) < 45)
		return;
	char a[16] = "", b[16] = "";
	if (kind == STORE_WL_VACCINES) {
		sscanf(l + 30, "%15s", a);
		snprintf(out, size, "%s %s", mrn, a);
	} else {
		sscanf(l + 26, "%15s", a);
		sscanf(l + 39, "%15s", b);
		snprintf(out, size, "%s %s %s", mrn, a, b);
	}
}

/* The selected row's id, from the "Selected" lines. */
static void selected_id(struct th *t, enum store_wl_kind kind, char *out, size_t size)
{
	out[0] = '\0';
	int d = th_find(t, "── Selected");
	ck_assert_int_gt(d, 0);
	const char *l = th_line(t, d + 1);
	char mrn[32], a[32], b[32];
	const char *c = strstr(l, ": ");
	ck_assert_msg(c && sscanf(l, " %31s", mrn) == 1, "selected: %s", l);
	if (kind == STORE_WL_VACCINES) {
		int dose;
		ck_assert_msg(sscanf(c + 2, "%31s dose %d", a, &dose) == 2, "selected: %s", l);
		snprintf(out, size, "%s %s:%d", mrn, a, dose);
	} else {
		ck_assert_msg(sscanf(c + 2, "%31s %31s", a, b) == 2, "selected: %s", l);
		snprintf(out, size, "%s %s %s", mrn, a, b);
	}
}

/* The rows on the screen are consecutive rows of the list, the selected
 * one among them; returns the selected row's place in the list. */
static long check_screen(struct th *t, enum store_wl_kind kind, const struct want *w)
{
	char sel[128], id[128];
	selected_id(t, kind, sel, sizeof sel);
	long at = find_id(w, sel);
	if (at < 0)
		th_dump(t);
	ck_assert_msg(at >= 0, "selected row %s not in the list", sel);
	long prev = -1;
	int seen_sel = 0, rows = 0;
	int d = th_find(t, "── Selected");
	for (int y = 2; y < d; y++) {
		screen_id(t, kind, y, id, sizeof id);
		if (!id[0])
			continue;
		long i = find_id(w, id);
		if (i < 0 || (prev >= 0 && i != prev + 1))
			th_dump(t);
		ck_assert_msg(i >= 0, "row %s on the screen is not in the list", id);
		ck_assert_msg(prev < 0 || i == prev + 1, "row %s (%ld) after row %ld: not the next", id, i, prev);
		prev = i;
		seen_sel |= i == at;
		rows++;
	}
	ck_assert_msg(seen_sel, "the selected row %s is not on the screen", sel);
	ck_assert_int_gt(rows, 3);
	return at;
}

static struct th *start(void)
{
	struct th *t = th_start(ROWS, COLS, EXTRA);
	ck_assert_msg(t != NULL, "harness did not start");
	return t;
}

#define VAC_ALL ((1u << STORE_WL_OVERDUE) | (1u << STORE_WL_DUE) | (1u << STORE_WL_SOON) | (1u << STORE_WL_BLOCKED))
#define FU_ALL ((1u << STORE_WL_OVERDUE) | (1u << STORE_WL_DUE) | (1u << STORE_WL_SOON))

START_TEST(vaccination_worklist_pages_through_the_whole_list)
{
	struct th *t = start();
	th_type(t, "v");
	ASSERT_SCREEN(t, "Vaccinations: clinic");
	struct want w = want_list(t, STORE_WL_VACCINES, NULL, VAC_ALL);
	ck_assert_uint_gt(w.n, 60); /* several screens */
	char rule[64];
	snprintf(rule, sizeof rule, "Overdue (%lld)", (long long)w.counts[STORE_WL_OVERDUE]);
	ASSERT_SCREEN(t, rule); /* the whole section's count */
	ck_assert_int_eq(check_screen(t, STORE_WL_VACCINES, &w), 0);
	long last = 0;
	for (int i = 0; i < 40; i++) {
		th_key(t, KEY_NPAGE);
		long at = check_screen(t, STORE_WL_VACCINES, &w);
		ck_assert_msg(at > last || at == (long)w.n - 1, "PgDn went from %ld to %ld", last, at);
		last = at;
		if (at == (long)w.n - 1)
			break;
	}
	ck_assert_int_eq(last, (long)w.n - 1); /* PgDn reaches the end */
	th_key(t, KEY_PPAGE);
	ck_assert_int_lt(check_screen(t, STORE_WL_VACCINES, &w), last);
	th_type(t, "k");
	th_type(t, "j");
	th_key(t, KEY_HOME);
	ck_assert_int_eq(check_screen(t, STORE_WL_VACCINES, &w), 0);
	th_key(t, KEY_END);
	ck_assert_int_eq(check_screen(t, STORE_WL_VACCINES, &w), (long)w.n - 1);
	/* the last section's rule, with the whole section's count, above */
	snprintf(rule, sizeof rule, "Blocked (%lld)", (long long)w.counts[STORE_WL_BLOCKED]);
	for (int i = 0; i < 40 && th_find(t, rule) < 0; i++) {
		th_key(t, KEY_PPAGE);
		check_screen(t, STORE_WL_VACCINES, &w);
	}
	ASSERT_SCREEN(t, rule);
	th_key(t, KEY_END);
	/* Up from the end, one row at a time, across a page boundary */
	for (int i = 0; i < 45; i++)
		th_key(t, KEY_UP);
	ck_assert_int_eq(check_screen(t, STORE_WL_VACCINES, &w), (long)w.n - 46);
	th_key(t, KEY_HOME);
	for (int i = 0; i < 45; i++)
		th_type(t, "j");
	ck_assert_int_eq(check_screen(t, STORE_WL_VACCINES, &w), 45);
	free(w.id);
	th_free(t);
}
END_TEST

START_TEST(vaccination_filters_hold_across_pages)
{
	struct th *t = start();
	th_type(t, "v");
	ASSERT_SCREEN(t, "Vaccinations: clinic");
	th_key(t, KEY_NPAGE);
	th_key(t, KEY_NPAGE);
	th_type(t, "/x0000");
	ASSERT_SCREEN(t, "Search: x0000");
	struct want w = want_list(t, STORE_WL_VACCINES, "x0000", VAC_ALL);
	ck_assert_uint_gt(w.n, 30); /* more than a screen */
	check_screen(t, STORE_WL_VACCINES, &w);
	th_enter(t);
	ASSERT_SCREEN(t, "Filter: \"x0000\"");
	long last = -1;
	for (int i = 0; i < 40 && last < (long)w.n - 1; i++) {
		th_key(t, KEY_NPAGE);
		long at = check_screen(t, STORE_WL_VACCINES, &w);
		ck_assert_int_gt(at, last);
		last = at;
	}
	ck_assert_int_eq(last, (long)w.n - 1);
	for (size_t i = 0; i < w.n; i++)
		ck_assert_msg(strncmp(w.id[i], "X0000", 5) == 0, "filtered row %s", w.id[i]);
	/* d: due within 7 days, overdue, blocked, with the typed filter */
	const char *names[] = {"due within 7 days", "overdue", "blocked"};
	const unsigned sets[] = {(1u << STORE_WL_DUE) | (1u << STORE_WL_SOON), 1u << STORE_WL_OVERDUE,
				 1u << STORE_WL_BLOCKED};
	for (int d = 0; d < 3; d++) {
		th_type(t, "d");
		char f[80];
		snprintf(f, sizeof f, "Filter: \"x0000\" %s", names[d]);
		ASSERT_SCREEN(t, f);
		struct want wd = want_list(t, STORE_WL_VACCINES, "x0000", sets[d]);
		if (wd.n) {
			th_key(t, KEY_END);
			ck_assert_int_eq(check_screen(t, STORE_WL_VACCINES, &wd), (long)wd.n - 1);
			th_key(t, KEY_HOME);
			ck_assert_int_eq(check_screen(t, STORE_WL_VACCINES, &wd), 0);
		} else {
			ASSERT_SCREEN(t, "No dose matches the filters");
		}
		free(wd.id);
	}
	th_type(t, "d"); /* every dose again */
	ASSERT_SCREEN(t, "Filter: \"x0000\"");
	ASSERT_NOT_SCREEN(t, "blocked   (Esc");
	th_esc(t); /* clears the filters: the whole list, the selection kept */
	ASSERT_NOT_SCREEN(t, "Filter:");
	struct want all = want_list(t, STORE_WL_VACCINES, NULL, VAC_ALL);
	check_screen(t, STORE_WL_VACCINES, &all);
	char rule[64];
	snprintf(rule, sizeof rule, "(%lld)", (long long)all.counts[STORE_WL_OVERDUE]);
	th_key(t, KEY_HOME);
	ASSERT_SCREEN(t, rule);
	free(all.id);
	free(w.id);
	th_free(t);
}
END_TEST

/* r on a row a few pages down: back on the list, the selection is on the
 * patient's next dose of the series if listed, else on the row that came
 * after the recorded one. */
START_TEST(recording_a_dose_keeps_the_selection)
{
	struct th *t = start();
	th_type(t, "v");
	ASSERT_SCREEN(t, "Vaccinations: clinic");
	th_key(t, KEY_NPAGE);
	th_key(t, KEY_NPAGE);
	th_key(t, KEY_NPAGE);
	struct want before = want_list(t, STORE_WL_VACCINES, NULL, VAC_ALL);
	long at = check_screen(t, STORE_WL_VACCINES, &before);
	ck_assert_int_gt(at, 20);
	char sel[128], mrn[32], series[32];
	selected_id(t, STORE_WL_VACCINES, sel, sizeof sel);
	ck_assert_int_eq(sscanf(sel, "%31s %31[^:]", mrn, series), 2);
	th_type(t, "r");
	ASSERT_SCREEN(t, "Record a vaccine dose given to");
	th_type(t, "\t\tLOT-9\tleft deltoid");
	th_key(t, KEY_F(2));
	ASSERT_SCREEN(t, "Recorded ");
	ASSERT_SCREEN(t, "Vaccinations: clinic");
	struct want after = want_list(t, STORE_WL_VACCINES, NULL, VAC_ALL);
	ck_assert_msg(find_id(&after, sel) < 0, "the recorded dose %s is still listed", sel);
	/* where the selection must be */
	char expect[128] = "";
	char prefix[80];
	snprintf(prefix, sizeof prefix, "%s %s:", mrn, series);
	for (size_t i = 0; i < after.n && !expect[0]; i++)
		if (strncmp(after.id[i], prefix, strlen(prefix)) == 0)
			snprintf(expect, sizeof expect, "%s", after.id[i]);
	for (size_t i = (size_t)at + 1; i < before.n && !expect[0]; i++)
		if (find_id(&after, before.id[i]) >= 0)
			snprintf(expect, sizeof expect, "%s", before.id[i]);
	check_screen(t, STORE_WL_VACCINES, &after);
	char now[128];
	selected_id(t, STORE_WL_VACCINES, now, sizeof now);
	ck_assert_msg(strcmp(now, expect) == 0, "selected %s after recording %s, expected %s", now, sel, expect);
	free(before.id);
	free(after.id);
	th_free(t);
}
END_TEST

/* Doe's overdue PCV dose (due 2023-06-01) recorded as given on
 * 2024-06-25: her next PCV dose is overdue too, later in the section than
 * the rows that followed; the selection follows the same patient and
 * series there (not the place where the recorded row was). */
START_TEST(the_selection_follows_the_same_patient_and_series)
{
	struct th *t = start();
	th_type(t, "v");
	ASSERT_SCREEN(t, "Vaccinations: clinic");
	th_type(t, "/pcv\ndd"); /* the overdue PCV doses */
	ASSERT_SCREEN(t, "Filter: \"pcv\" overdue");
	struct want before = want_list(t, STORE_WL_VACCINES, "pcv", 1u << STORE_WL_OVERDUE);
	long at = find_id(&before, "MRN003 PCV:1");
	ck_assert_int_ge(at, 0);
	ck_assert_int_lt(at + 2, (long)before.n); /* rows after it */
	th_key(t, KEY_HOME);
	for (long i = 0; i < at; i++)
		th_type(t, "j");
	ck_assert_int_eq(check_screen(t, STORE_WL_VACCINES, &before), at);
	th_type(t, "r");
	ASSERT_SCREEN(t, "Record a vaccine dose given to Doe, Jane");
	th_type(t, "\t\0252024-06-25\tLOT-5\tleft deltoid");
	th_key(t, KEY_F(2));
	ASSERT_SCREEN(t, "Recorded PCV given on 2024-06-25");
	struct want after = want_list(t, STORE_WL_VACCINES, "pcv", 1u << STORE_WL_OVERDUE);
	long moved = find_id(&after, "MRN003 PCV:2");
	ck_assert_msg(moved >= 0, "MRN003 PCV:2 is not overdue");
	long fallback = find_id(&after, before.id[at + 1]);
	ck_assert_msg(moved > fallback, "PCV:2 (%ld) is not after the row that followed dose 1 (%ld)", moved, fallback);
	ck_assert_int_eq(check_screen(t, STORE_WL_VACCINES, &after), moved);
	free(before.id);
	free(after.id);
	th_free(t);
}
END_TEST

START_TEST(followup_worklist_pages_and_filters)
{
	struct th *t = start();
	th_type(t, "f");
	ASSERT_SCREEN(t, "Follow-up: clinic");
	struct want w = want_list(t, STORE_WL_FOLLOWUPS, NULL, FU_ALL);
	ck_assert_uint_gt(w.n, 40);
	char rule[64];
	snprintf(rule, sizeof rule, "Overdue (%lld)", (long long)w.counts[STORE_WL_OVERDUE]);
	ASSERT_SCREEN(t, rule);
	ck_assert_int_eq(check_screen(t, STORE_WL_FOLLOWUPS, &w), 0);
	long last = 0;
	for (int i = 0; i < 40 && last < (long)w.n - 1; i++) {
		th_key(t, KEY_NPAGE);
		long at = check_screen(t, STORE_WL_FOLLOWUPS, &w);
		ck_assert_int_gt(at, last);
		last = at;
	}
	ck_assert_int_eq(last, (long)w.n - 1);
	th_key(t, KEY_HOME);
	ck_assert_int_eq(check_screen(t, STORE_WL_FOLLOWUPS, &w), 0);
	th_key(t, KEY_END);
	ck_assert_int_eq(check_screen(t, STORE_WL_FOLLOWUPS, &w), (long)w.n - 1);
	/* a filter of a patient word and a code word, across pages */
	th_type(t, "/x00 cibmtr\n");
	ASSERT_SCREEN(t, "Filter: \"x00 cibmtr\"");
	struct want wf = want_list(t, STORE_WL_FOLLOWUPS, "x00 cibmtr", FU_ALL);
	ck_assert_uint_gt(wf.n, 16);
	th_key(t, KEY_HOME);
	ck_assert_int_eq(check_screen(t, STORE_WL_FOLLOWUPS, &wf), 0);
	th_key(t, KEY_NPAGE);
	th_key(t, KEY_NPAGE);
	check_screen(t, STORE_WL_FOLLOWUPS, &wf);
	th_key(t, KEY_END);
	ck_assert_int_eq(check_screen(t, STORE_WL_FOLLOWUPS, &wf), (long)wf.n - 1);
	for (size_t i = 0; i < wf.n; i++)
		ck_assert_msg(strstr(wf.id[i], "CIBMTR") && strncmp(wf.id[i], "X00", 3) == 0, "row %s", wf.id[i]);
	th_type(t, "d"); /* overdue */
	ASSERT_SCREEN(t, "Filter: \"x00 cibmtr\" overdue");
	struct want wo = want_list(t, STORE_WL_FOLLOWUPS, "x00 cibmtr", 1u << STORE_WL_OVERDUE);
	if (wo.n)
		ck_assert_int_eq(check_screen(t, STORE_WL_FOLLOWUPS, &wo), 0);
	free(wo.id);
	free(wf.id);
	free(w.id);
	th_free(t);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("worklist");
	TCase *tc = tcase_create("worklist");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, vaccination_worklist_pages_through_the_whole_list);
	tcase_add_test(tc, vaccination_filters_hold_across_pages);
	tcase_add_test(tc, recording_a_dose_keeps_the_selection);
	tcase_add_test(tc, the_selection_follows_the_same_patient_and_series);
	tcase_add_test(tc, followup_worklist_pages_and_filters);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
