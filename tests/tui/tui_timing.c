/* tui_timing.c - how fast the patient list opens and follows a search on a
 * large clinic, for the benchmark (goal: < 50 ms each on 10,000 patients).
 *
 * usage: tui-timing [PATIENTS [BUDGET_MS]]
 * Builds a database with the fixture plus PATIENTS synthetic patients
 * (default 10000), starts the TUI at 80x24 on a pseudo-terminal with
 * ENGRAFT_TUI_TIMING pointing at a file, types a search one key at a time,
 * pages through the list, and prints what the TUI measured:
 *   first_draw_ms N          tui_open to the first list drawn
 *   search_key_ms max N      slowest keystroke to redraw while searching
 *   page_key_ms max N        slowest PgDn/End to redraw
 * and checks that each key's line names the screen on top after it (Enter
 * on the list: Chart; t on the chart: Trend; q: Chart).
 * Exits 1 when a maximum exceeds BUDGET_MS (default 250: generous, so a
 * loaded or sanitized build passes; the benchmark compares with 50).
 * The real binary writes the same lines: ENGRAFT_TUI_TIMING=FILE engraft. */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 10000;
	double budget = argc > 2 ? atof(argv[2]) : 250;
	char tf[] = "/tmp/engraft-timing-XXXXXX";
	int fd = mkstemp(tf);
	if (fd < 0)
		return 2;
	close(fd);
	setenv("ENGRAFT_TUI_TIMING", tf, 1);
	struct th *t = th_start_ex(24, 80, n, 0);
	if (!t)
		return 2;
	const char *typed = "Kbq";
	for (const char *p = "/"; *p; p++)
		th_type(t, (char[]){*p, 0});
	for (const char *p = typed; *p; p++)
		th_type(t, (char[]){*p, 0});
	th_key(t, KEY_BACKSPACE);
	th_key(t, KEY_BACKSPACE);
	th_esc(t);
	/* the worst case: a filter nothing matches (every row examined) */
	for (const char *p = "/qqq"; *p; p++)
		th_type(t, (char[]){*p, 0});
	th_esc(t);
	for (int i = 0; i < 5; i++)
		th_key(t, KEY_NPAGE);
	th_key(t, KEY_END);
	th_key(t, KEY_HOME);
	/* a key that opens a screen names it: Enter on the list -> Chart,
	 * t on the chart -> Trend, q -> Chart again */
	th_enter(t);
	th_type(t, "t");
	th_type(t, "q");
	th_free(t);
	unsetenv("ENGRAFT_TUI_TIMING");

	FILE *f = fopen(tf, "r");
	if (!f)
		return 2;
	char line[256];
	double first = -1, search_max = 0, page_max = 0;
	int nsearch = 0, npage = 0, opened = 0, unnamed = 0;
	static const char *const opens[][2] = {{"Patients", "Chart"}, {"Chart", "Trend"}, {"Trend", "Chart"}};
	while (fgets(line, sizeof line, f)) {
		char screen[64], mode[64], after[64];
		double ms;
		if (sscanf(line, "first_draw_ms %63s %lf", screen, &ms) == 2)
			first = ms;
		else if (sscanf(line, "key_ms %63s %63s %lf", screen, mode, &ms) == 3) {
			/* each key line ends with the screen on top after it */
			after[0] = '\0';
			if (sscanf(line, "key_ms %63s %63s %lf %63s", screen, mode, &ms, after) != 4)
				unnamed++;
			else if (opened < 3 && strcmp(screen, opens[opened][0]) == 0 && strcmp(after, opens[opened][1]) == 0)
				opened++;
			if (strcmp(mode, "search") == 0) {
				nsearch++;
				if (ms > search_max)
					search_max = ms;
			} else if (strcmp(screen, "Patients") == 0 && strcmp(after, "Patients") == 0) {
				npage++;
				if (ms > page_max)
					page_max = ms;
			}
		}
	}
	fclose(f);
	unlink(tf);
	printf("patients %ld\nfirst_draw_ms %.2f\nsearch_key_ms max %.2f (%d keys)\npage_key_ms max %.2f (%d keys)\n",
	       n + 6, first, search_max, nsearch, page_max, npage);
	if (first < 0 || nsearch < 8) {
		printf("FAIL: timings missing\n");
		return 1;
	}
	if (unnamed || opened < 3) {
		printf("FAIL: %d key lines without the screen after them; %d of the 3 screens opened and named\n", unnamed,
		       opened);
		return 1;
	}
	int bad = first > budget || search_max > budget || page_max > budget;
	if (bad)
		printf("FAIL: over the %.0f ms budget\n", budget);
	return bad;
}
