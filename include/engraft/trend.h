/* trend.h - the arithmetic of a count's trend plot (the TUI's trend screen
 * draws it; nothing here draws): which tests a patient's trend cycles
 * through, which reference thresholds are drawn across the plot for a
 * test, the y axis (from 0 to a round number, with round ticks), the x
 * ticks in days after day 0, and the series scaled onto a grid of
 * character cells of 2 x 4 dots (Unicode braille; the screen turns the
 * dots into ASCII when the locale is not UTF-8).
 *
 * Thresholds come from the reference data only (reference.h): engraftment
 * anc_threshold for ANC and plt_threshold for PLT, igg_low for IGG, and
 * every milestone row of milestones.csv for the test that applies to the
 * transplant's type. Pure: no I/O, no locale. */
#ifndef ENGRAFT_TREND_H
#define ENGRAFT_TREND_H

#include <stddef.h>

#include "engraft/date.h"
#include "engraft/reference.h"
#include "engraft/timeline.h"
#include "engraft/units.h"

/* The tests a trend cycles through: ANC, PLT, ALC, WBC, HGB, CD4, IGG
 * always, then every other test the patient has a result of (on or after
 * `from`; EF_NO_DAY: any date), in test order. out has EF_T_COUNT room;
 * returns how many. */
size_t ef_trend_tests(const struct ef_timeline *tl, ef_day from, enum ef_test *out);

enum ef_thr_kind { EF_THR_ENGRAFTMENT = 0, EF_THR_IGG_LOW, EF_THR_MILESTONE };

struct ef_trend_threshold {
	double value;            /* canonical unit of the test */
	enum ef_thr_kind kind;
	char label[96];          /* "engraftment", "IgG low", "IR-CD4-180, IR-CD4-365" */
};

#define EF_TREND_MAX_THRESHOLDS 8

/* The thresholds drawn across the plot of test t, at most max, lowest
 * first; thresholds of the same value share one entry (their labels
 * joined). tp NULL: milestones of every transplant type. ref NULL: none. */
size_t ef_trend_thresholds(const struct ef_reference *ref, const struct ef_transplant *tp, enum ef_test t,
			   struct ef_trend_threshold *out, size_t max);

#define EF_TREND_MAX_TICKS 12

struct ef_trend_axis {
	int log;                 /* logarithmic (ef_trend_axis_log), else linear from 0 */
	double lo, hi;           /* linear: lo is 0 (counts are never negative) */
	double step;             /* between ticks: 1, 2, 2.5 or 5 times a power of ten */
	int n_ticks;
	double ticks[EF_TREND_MAX_TICKS]; /* lo, lo + step, ... hi */
};

/* The y axis of a plot `rows` cells high covering 0..vmax (the largest
 * value and threshold): hi is the first multiple of a round step >= vmax
 * with at most rows / 2 steps (at least 1, at most EF_TREND_MAX_TICKS - 1).
 * vmax <= 0 gives 0..1. */
void ef_trend_axis(double vmax, int rows, struct ef_trend_axis *out);

/* A logarithmic y axis for a plot `rows` cells high covering vmin..vmax
 * (the smallest positive and the largest value or threshold): lo and hi
 * are powers of ten (lo <= vmin, hi >= vmax, at least one decade, at most
 * EF_TREND_LOG_DECADES below hi: smaller values sit on the bottom row), the
 * ticks each power of ten and, when rows allow two rows per tick, 2 and 5
 * times it. Low counts (an ANC of 0.3 against 0.5) stay readable beside a
 * recovered 8. vmax <= 0 gives 0.1..1. */
#define EF_TREND_LOG_DECADES 4
void ef_trend_axis_log(double vmin, double vmax, int rows, struct ef_trend_axis *out);
/* The level of v among `levels` levels (0 = bottom = ax->lo, levels - 1 =
 * ax->hi), rounded, clamped. */
int ef_trend_level(const struct ef_trend_axis *ax, double v, int levels);
/* The cell row (0 = top) of v on a plot of `rows` rows of 4 dots: the row
 * where a point of value v is drawn. */
int ef_trend_row(const struct ef_trend_axis *ax, double v, int rows);

/* The position of day d among n positions spread over first..last
 * (rounded, clamped; first == last puts everything at 0). */
int ef_trend_pos(ef_day first, ef_day last, ef_day d, int n);

/* Days after `first` to label on an x axis `cols` cells wide showing
 * first..last, labels at least min_gap cells apart: multiples of a round
 * day step (1, 2, 5, 7, 10, 14, 20, 28, 30, 50, 60, 90, 100, 180, 365,
 * 730, ...), 0 included. Returns how many (at most max). */
size_t ef_trend_xticks(ef_day first, ef_day last, int cols, int min_gap, int *days, size_t max);

struct ef_trend_point {
	ef_day day;
	double value;            /* canonical; a qualified value at its number */
	enum ef_qual qual;
};

/* Scale points (ascending by day) onto rows x cols cells. dots[r * cols + c]
 * receives the cell's braille dots (bit k = Unicode braille dot k + 1:
 * 0x01 0x08 / 0x02 0x10 / 0x04 0x20 / 0x40 0x80 from the top), a point and
 * the straight line to the next one; mark[r * cols + c] is 'o' where a
 * point is, '<' or '>' where a qualified value is ('<' wins over 'o'),
 * 0 elsewhere. Both arrays (rows * cols) are cleared first. */
void ef_trend_plot(const struct ef_trend_axis *ax, ef_day first, ef_day last, const struct ef_trend_point *p,
		   size_t n, int rows, int cols, unsigned char *dots, char *mark);

/* The words the trend's table gives a value beside its L/H flag: each
 * threshold it is certainly below, "below engraftment 0.5; below IR-CD4-180
 * 200" (numbers as ef_decimal_format writes them), "" when none. */
void ef_trend_below(const struct ef_trend_threshold *thr, size_t n, enum ef_qual q, double v, char *out,
		    size_t size);

#endif
