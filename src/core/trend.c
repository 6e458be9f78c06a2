/* trend.c - the arithmetic of a trend plot (trend.h). */
#include "engraft/trend.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "engraft/labref.h"

static const enum ef_test first_tests[] = {EF_T_ANC, EF_T_PLT, EF_T_ALC, EF_T_WBC, EF_T_HGB, EF_T_CD4, EF_T_IGG};
#define N_FIRST (sizeof first_tests / sizeof first_tests[0])

size_t ef_trend_tests(const struct ef_timeline *tl, ef_day from, enum ef_test *out)
{
	unsigned char seen[EF_T_COUNT] = {0};
	size_t n = 0;
	for (size_t i = 0; i < N_FIRST; i++) {
		out[n++] = first_tests[i];
		seen[first_tests[i]] = 1;
	}
	unsigned char has[EF_T_COUNT] = {0};
	for (size_t i = 0; i < tl->n_labs; i++)
		if ((unsigned)tl->labs[i].test < EF_T_COUNT && (from == EF_NO_DAY || tl->labs[i].day >= from))
			has[tl->labs[i].test] = 1;
	for (int t = 0; t < EF_T_COUNT; t++)
		if (has[t] && !seen[t])
			out[n++] = (enum ef_test)t;
	return n;
}

static size_t add_threshold(struct ef_trend_threshold *out, size_t n, size_t max, double v, enum ef_thr_kind k,
			    const char *label)
{
	for (size_t i = 0; i < n; i++) {
		if (out[i].value == v) {
			size_t len = strlen(out[i].label);
			snprintf(out[i].label + len, sizeof out[i].label - len, ", %s", label);
			return n;
		}
	}
	if (n == max)
		return n;
	/* keep them lowest first */
	size_t at = n;
	while (at > 0 && out[at - 1].value > v) {
		out[at] = out[at - 1];
		at--;
	}
	out[at].value = v;
	out[at].kind = k;
	snprintf(out[at].label, sizeof out[at].label, "%s", label);
	return n + 1;
}

size_t ef_trend_thresholds(const struct ef_reference *ref, const struct ef_transplant *tp, enum ef_test t,
			   struct ef_trend_threshold *out, size_t max)
{
	size_t n = 0;
	if (!ref)
		return 0;
	/* no engraftment line after a cellular therapy: nothing engrafts */
	const int engrafts = !tp || ef_hct_type_engrafts(tp->type);
	if (t == EF_T_ANC && engrafts && ref->have[EF_P_ANC_THRESHOLD])
		n = add_threshold(out, n, max, ef_ref_num(ref, EF_P_ANC_THRESHOLD), EF_THR_ENGRAFTMENT, "engraftment");
	if (t == EF_T_PLT && engrafts && ref->have[EF_P_PLT_THRESHOLD])
		n = add_threshold(out, n, max, ef_ref_num(ref, EF_P_PLT_THRESHOLD), EF_THR_ENGRAFTMENT, "engraftment");
	if (t == EF_T_IGG && ref->have[EF_P_IGG_LOW])
		n = add_threshold(out, n, max, ef_ref_num(ref, EF_P_IGG_LOW), EF_THR_IGG_LOW, "IgG low");
	for (size_t i = 0; i < ref->n_milestones; i++) {
		const struct ef_milestone *m = &ref->milestones[i];
		if (m->test != t || (tp && !(m->types & (1u << tp->type))))
			continue;
		n = add_threshold(out, n, max, m->threshold, EF_THR_MILESTONE, m->id);
	}
	return n;
}

void ef_trend_axis(double vmax, int rows, struct ef_trend_axis *out)
{
	memset(out, 0, sizeof *out);
	int most = rows / 2;
	if (most < 1)
		most = 1;
	if (most > EF_TREND_MAX_TICKS - 1)
		most = EF_TREND_MAX_TICKS - 1;
	if (!(vmax > 0) || !isfinite(vmax))
		vmax = 1;
	static const double mant[] = {1, 2, 2.5, 5};
	double p = pow(10, floor(log10(vmax / most)) - 1);
	double step = 0;
	for (int k = 0; k < 40 && step == 0; k++, p *= 10) {
		for (size_t j = 0; j < 4; j++) {
			double s = mant[j] * p;
			if (ceil(vmax / s - 1e-9) <= most) {
				step = s;
				break;
			}
		}
	}
	if (step == 0)
		step = vmax;
	int steps = (int)ceil(vmax / step - 1e-9);
	if (steps < 1)
		steps = 1;
	out->lo = 0;
	out->step = step;
	out->hi = steps * step;
	out->n_ticks = steps + 1;
	for (int i = 0; i <= steps; i++)
		out->ticks[i] = i * step;
}

void ef_trend_axis_log(double vmin, double vmax, int rows, struct ef_trend_axis *out)
{
	memset(out, 0, sizeof *out);
	out->log = 1;
	if (!(vmax > 0) || !isfinite(vmax))
		vmax = 1;
	if (!(vmin > 0) || !isfinite(vmin) || vmin > vmax)
		vmin = vmax;
	int top = (int)ceil(log10(vmax) - 1e-9), bottom = (int)floor(log10(vmin) + 1e-9);
	if (bottom >= top)
		bottom = top - 1;
	if (bottom < top - EF_TREND_LOG_DECADES)
		bottom = top - EF_TREND_LOG_DECADES;
	out->lo = pow(10, bottom);
	out->hi = pow(10, top);
	out->step = 10;
	int decades = top - bottom;
	/* 1, 2, 5 per decade when each tick gets two rows, else decades only */
	int fine = decades * 3 + 1 <= rows / 2 && decades * 3 + 1 <= EF_TREND_MAX_TICKS;
	for (int d = bottom; d <= top && out->n_ticks < EF_TREND_MAX_TICKS; d++) {
		double p = pow(10, d);
		out->ticks[out->n_ticks++] = p;
		if (fine && d < top) {
			out->ticks[out->n_ticks++] = 2 * p;
			out->ticks[out->n_ticks++] = 5 * p;
		}
	}
}

int ef_trend_level(const struct ef_trend_axis *ax, double v, int levels)
{
	if (levels <= 1 || !(ax->hi > ax->lo))
		return 0;
	double f;
	if (ax->log) {
		if (!(v > ax->lo))
			return 0;
		f = (log10(v) - log10(ax->lo)) / (log10(ax->hi) - log10(ax->lo));
	} else {
		f = (v - ax->lo) / (ax->hi - ax->lo);
	}
	if (!(f > 0))
		return 0;
	if (f >= 1)
		return levels - 1;
	return (int)floor(f * (levels - 1) + 0.5);
}

int ef_trend_row(const struct ef_trend_axis *ax, double v, int rows)
{
	int level = ef_trend_level(ax, v, rows * 4);
	return rows - 1 - level / 4;
}

int ef_trend_pos(ef_day first, ef_day last, ef_day d, int n)
{
	if (n <= 1 || last <= first || d <= first)
		return 0;
	if (d >= last)
		return n - 1;
	return (int)floor((double)(d - first) / (double)(last - first) * (n - 1) + 0.5);
}

size_t ef_trend_xticks(ef_day first, ef_day last, int cols, int min_gap, int *days, size_t max)
{
	static const int steps[] = {1, 2, 5, 7, 10, 14, 20, 28, 30, 50, 60, 90, 100, 180, 365, 730, 1825, 3650};
	int span = last > first ? (int)(last - first) : 0;
	if (max == 0)
		return 0;
	if (span == 0 || cols <= 1) {
		days[0] = 0;
		return 1;
	}
	if (min_gap < 1)
		min_gap = 1;
	int step = 0;
	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		/* cells between two labels of this step */
		double gap = (double)steps[i] / span * (cols - 1);
		if (gap >= min_gap) {
			step = steps[i];
			break;
		}
	}
	if (step == 0) {
		days[0] = 0;
		return 1;
	}
	size_t n = 0;
	for (int d = 0; d <= span && n < max; d += step)
		days[n++] = d;
	return n;
}

static const unsigned char dot_bit[2][4] = {{0x01, 0x02, 0x04, 0x40}, {0x08, 0x10, 0x20, 0x80}};

static void set_dot(unsigned char *dots, int rows, int cols, int x, int y)
{
	/* x in 0 .. 2 cols - 1, y in 0 .. 4 rows - 1 from the top */
	if (x < 0 || y < 0 || x >= 2 * cols || y >= 4 * rows)
		return;
	dots[(y / 4) * cols + x / 2] |= dot_bit[x % 2][y % 4];
}

void ef_trend_plot(const struct ef_trend_axis *ax, ef_day first, ef_day last, const struct ef_trend_point *p,
		   size_t n, int rows, int cols, unsigned char *dots, char *mark)
{
	if (rows <= 0 || cols <= 0)
		return;
	memset(dots, 0, (size_t)rows * (size_t)cols);
	memset(mark, 0, (size_t)rows * (size_t)cols);
	int px = 0, py = 0;
	for (size_t i = 0; i < n; i++) {
		int x = ef_trend_pos(first, last, p[i].day, 2 * cols);
		int y = 4 * rows - 1 - ef_trend_level(ax, p[i].value, 4 * rows);
		if (i > 0) { /* Bresenham from the previous point */
			int dx = x > px ? x - px : px - x, sx = px < x ? 1 : -1;
			int dy = -(y > py ? y - py : py - y), sy = py < y ? 1 : -1;
			int e = dx + dy, cx = px, cy = py;
			for (;;) {
				set_dot(dots, rows, cols, cx, cy);
				if (cx == x && cy == y)
					break;
				int e2 = 2 * e;
				if (e2 >= dy) {
					e += dy;
					cx += sx;
				}
				if (e2 <= dx) {
					e += dx;
					cy += sy;
				}
			}
		}
		set_dot(dots, rows, cols, x, y);
		char *m = &mark[(y / 4) * cols + x / 2];
		char want = p[i].qual == EF_Q_LT ? '<' : p[i].qual == EF_Q_GT ? '>' : 'o';
		if (*m != '<' && *m != '>')
			*m = want;
		px = x;
		py = y;
	}
}

void ef_trend_below(const struct ef_trend_threshold *thr, size_t n, enum ef_qual q, double v, char *out,
		    size_t size)
{
	size_t len = 0;
	out[0] = '\0';
	for (size_t i = 0; i < n && len < size; i++) {
		if (ef_qual_ge(q, v, thr[i].value) != 0)
			continue;
		char num[40];
		ef_decimal_format(thr[i].value, num, sizeof num);
		int w = snprintf(out + len, size - len, "%sbelow %s %s", len ? "; " : "", thr[i].label, num);
		if (w < 0)
			break;
		len += (size_t)w;
	}
}
