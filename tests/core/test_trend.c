/* Trend arithmetic (trend.h) and immune milestone status (milestones.h):
 * table-driven, with docs/clinical-rules.md s.18 case 32 for the
 * milestones and the shipped reference for the thresholds. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engraft/milestones.h"
#include "engraft/trend.h"
#include "helpers.h"

static ef_day DAY0;

static void points(struct ef_timeline *tl, enum ef_test t, const char *spec)
{
	char buf[512];
	snprintf(buf, sizeof buf, "%s", spec);
	for (char *tok = strtok(buf, " "); tok; tok = strtok(NULL, " ")) {
		char *colon = strchr(tok, ':');
		*colon = '\0';
		tl_lab(tl, DAY0 + atoi(tok), t, colon + 1);
	}
}

static void base(struct ef_timeline *tl, enum ef_hct_type type)
{
	DAY0 = D("2025-01-15");
	tl_patient(tl, "1980-05-05");
	tl_transplant(tl, "2025-01-15", type, EF_GRAFT_PERIPHERAL_BLOOD);
}

/* ---- milestones ------------------------------------------------------------ */

static void case32(struct ef_timeline *tl) /* CD4 150 on D+190, no later value */
{
	base(tl, EF_HCT_ALLOGENEIC);
	points(tl, EF_T_CD4, "100:80 190:150");
}

static void case32_recovers(struct ef_timeline *tl)
{
	case32(tl);
	points(tl, EF_T_CD4, "205:250");
}

static void cd4_none(struct ef_timeline *tl) /* only a value before the window */
{
	base(tl, EF_HCT_ALLOGENEIC);
	points(tl, EF_T_CD4, "100:80");
}

static void cd4_below_qualified(struct ef_timeline *tl) /* <300: may or may not be >= 200 */
{
	base(tl, EF_HCT_ALLOGENEIC);
	points(tl, EF_T_CD4, "180:<300");
}

static void cd4_above_qualified(struct ef_timeline *tl)
{
	base(tl, EF_HCT_ALLOGENEIC);
	points(tl, EF_T_CD4, "180:>250");
}

static void cd4_two_on_a_day(struct ef_timeline *tl) /* the day counts as its minimum */
{
	base(tl, EF_HCT_ALLOGENEIC);
	points(tl, EF_T_CD4, "180:250 180:190");
}

static void cd4_after_window(struct ef_timeline *tl) /* a value after the window does not count */
{
	base(tl, EF_HCT_ALLOGENEIC);
	points(tl, EF_T_CD4, "230:400");
}

static const struct mcase {
	const char *name;
	void (*setup)(struct ef_timeline *);
	int as_of;               /* day after day 0 */
	const char *id;
	enum ef_ms_state state;
	int open;
	int day;                 /* deciding result's day +N; -1: none */
	double value;
	int undecidable;
} mcases[] = {
	{"c32 IR-CD4-180 missed", case32, 200, "IR-CD4-180", EF_MS_MISSED, 1, 190, 150, 0},
	{"c32 IR-CD4-365 pending", case32, 200, "IR-CD4-365", EF_MS_PENDING, 0, -1, 0, 0},
	{"c32 later value meets it", case32_recovers, 206, "IR-CD4-180", EF_MS_MET, 1, 205, 250, 0},
	{"c32 the later value not yet known", case32_recovers, 204, "IR-CD4-180", EF_MS_MISSED, 1, 190, 150, 0},
	{"c32 IR-CD4-365 no result", case32, 396, "IR-CD4-365", EF_MS_MISSED, 1, -1, 0, 0},
	{"window open, no result", cd4_none, 210, "IR-CD4-180", EF_MS_PENDING, 1, -1, 0, 0},
	{"window not open", cd4_none, 149, "IR-CD4-180", EF_MS_PENDING, 0, -1, 0, 0},
	{"window closed, no result", cd4_none, 211, "IR-CD4-180", EF_MS_MISSED, 1, -1, 0, 0},
	{"<300 is undecidable", cd4_below_qualified, 200, "IR-CD4-180", EF_MS_MISSED, 1, 180, 300, 1},
	{">250 meets >= 200", cd4_above_qualified, 200, "IR-CD4-180", EF_MS_MET, 1, 180, 250, 0},
	{"minimum of a day", cd4_two_on_a_day, 200, "IR-CD4-180", EF_MS_MISSED, 1, 180, 190, 0},
	{"after the window", cd4_after_window, 240, "IR-CD4-180", EF_MS_MISSED, 1, -1, 0, 0},
};

static const struct ef_milestone *milestone(const struct ef_reference *ref, const char *id)
{
	for (size_t i = 0; i < ref->n_milestones; i++)
		if (strcmp(ref->milestones[i].id, id) == 0)
			return &ref->milestones[i];
	ck_abort_msg("no milestone %s", id);
	return NULL;
}

START_TEST(milestone_status)
{
	const struct mcase *c = &mcases[_i];
	struct ef_reference ref;
	struct ef_timeline tl;
	struct ef_err err;
	struct ef_ms_status ms;
	test_reference(&ref);
	ef_timeline_init(&tl);
	c->setup(&tl);
	ck_assert_int_eq(ef_milestone_eval(&tl, &tl.transplants[0], milestone(&ref, c->id), DAY0 + c->as_of, &ms, &err),
			 EF_OK);
	ck_assert_msg(ms.state == c->state, "%s: state %s, want %s", c->name, ef_ms_state_str(ms.state),
		      ef_ms_state_str(c->state));
	ck_assert_msg(ms.open == c->open, "%s: open %d", c->name, ms.open);
	if (c->day < 0) {
		ck_assert_msg(ms.day == EF_NO_DAY, "%s: a deciding day where none", c->name);
	} else {
		ck_assert_msg(ms.day == DAY0 + c->day, "%s: day +%d", c->name, (int)(ms.day - DAY0));
		ck_assert_msg(ms.value == c->value, "%s: value %g", c->name, ms.value);
	}
	ck_assert_int_eq(ms.undecidable, c->undecidable);
	ck_assert_int_eq(ms.lo, DAY0 + milestone(&ref, c->id)->window_start);
	ck_assert_int_eq(ms.hi, DAY0 + milestone(&ref, c->id)->window_end);
	ef_timeline_free(&tl);
	ef_reference_free(&ref);
}
END_TEST

/* A site that keeps a milestone for autologous transplants: an allogeneic
 * patient's is not applicable, and has no threshold on the plot. */
START_TEST(milestone_of_another_transplant_type)
{
	struct ef_reference ref;
	struct ef_timeline tl;
	struct ef_err err;
	struct ef_ms_status ms;
	const struct ref_override ov = {"milestones.csv", "id", "IR-CD4-180", NULL, NULL, "transplant_types",
					"autologous"};
	ck_assert_int_eq(test_reference_load(&ref, &ov, 1, &err), EF_OK);
	ef_timeline_init(&tl);
	case32(&tl);
	ck_assert_int_eq(ef_milestone_eval(&tl, &tl.transplants[0], milestone(&ref, "IR-CD4-180"), DAY0 + 200, &ms,
					   &err),
			 EF_OK);
	ck_assert_int_eq(ms.state, EF_MS_NOT_APPLICABLE);
	struct ef_trend_threshold thr[EF_TREND_MAX_THRESHOLDS];
	size_t n = ef_trend_thresholds(&ref, &tl.transplants[0], EF_T_CD4, thr, EF_TREND_MAX_THRESHOLDS);
	ck_assert_int_eq(n, 1);
	ck_assert_str_eq(thr[0].label, "IR-CD4-365");
	ef_timeline_free(&tl);
	ef_reference_free(&ref);
}
END_TEST

/* ---- thresholds ---------------------------------------------------------------- */

static const struct tcase_thr {
	enum ef_test test;
	size_t n;
	double value;            /* the first one */
	const char *label;
	enum ef_thr_kind kind;
} tcases[] = {
	{EF_T_ANC, 1, 0.5, "engraftment", EF_THR_ENGRAFTMENT},
	{EF_T_PLT, 1, 20, "engraftment", EF_THR_ENGRAFTMENT},
	{EF_T_IGG, 1, 400, "IgG low", EF_THR_IGG_LOW},
	{EF_T_CD4, 1, 200, "IR-CD4-180, IR-CD4-365", EF_THR_MILESTONE}, /* same value: one line */
	{EF_T_HGB, 0, 0, NULL, 0},
	{EF_T_ALC, 0, 0, NULL, 0},
};

START_TEST(thresholds_from_the_reference)
{
	const struct tcase_thr *c = &tcases[_i];
	struct ef_reference ref;
	struct ef_timeline tl;
	test_reference(&ref);
	ef_timeline_init(&tl);
	base(&tl, EF_HCT_ALLOGENEIC);
	struct ef_trend_threshold thr[EF_TREND_MAX_THRESHOLDS];
	size_t n = ef_trend_thresholds(&ref, &tl.transplants[0], c->test, thr, EF_TREND_MAX_THRESHOLDS);
	ck_assert_int_eq(n, c->n);
	if (n) {
		ck_assert(thr[0].value == c->value);
		ck_assert_str_eq(thr[0].label, c->label);
		ck_assert_int_eq(thr[0].kind, c->kind);
	}
	ck_assert_int_eq(ef_trend_thresholds(NULL, NULL, c->test, thr, EF_TREND_MAX_THRESHOLDS), 0);
	ef_timeline_free(&tl);
	ef_reference_free(&ref);
}
END_TEST

/* The lines follow the reference data: an edited threshold moves them. */
START_TEST(thresholds_follow_edited_reference)
{
	struct ef_reference ref;
	struct ef_err err;
	const struct ref_override ov[] = {
		{"parameters.csv", "key", "anc_threshold", NULL, NULL, "value", "1.0"},
		{"parameters.csv", "key", "igg_low", NULL, NULL, "value", "300"},
		{"milestones.csv", "id", "IR-CD4-365", NULL, NULL, "threshold", "350"},
	};
	ck_assert_int_eq(test_reference_load(&ref, ov, 3, &err), EF_OK);
	struct ef_trend_threshold thr[EF_TREND_MAX_THRESHOLDS];
	ck_assert_int_eq(ef_trend_thresholds(&ref, NULL, EF_T_ANC, thr, 8), 1);
	ck_assert(thr[0].value == 1.0);
	ck_assert_int_eq(ef_trend_thresholds(&ref, NULL, EF_T_IGG, thr, 8), 1);
	ck_assert(thr[0].value == 300);
	ck_assert_int_eq(ef_trend_thresholds(&ref, NULL, EF_T_CD4, thr, 8), 2); /* lowest first */
	ck_assert(thr[0].value == 200 && thr[1].value == 350);
	ck_assert_str_eq(thr[1].label, "IR-CD4-365");
	ef_reference_free(&ref);
}
END_TEST

START_TEST(below_names_each_threshold_crossed)
{
	const struct ef_trend_threshold thr[] = {{200, EF_THR_MILESTONE, "IR-CD4-180"}, {0.5, EF_THR_ENGRAFTMENT, "engraftment"}};
	char out[200];
	ef_trend_below(thr + 1, 1, EF_Q_EQ, 0.3, out, sizeof out);
	ck_assert_str_eq(out, "below engraftment 0.5");
	ef_trend_below(thr + 1, 1, EF_Q_LT, 0.1, out, sizeof out);
	ck_assert_str_eq(out, "below engraftment 0.5");
	ef_trend_below(thr + 1, 1, EF_Q_LT, 1.0, out, sizeof out); /* <1.0 against 0.5: unknown */
	ck_assert_str_eq(out, "");
	ef_trend_below(thr + 1, 1, EF_Q_EQ, 0.5, out, sizeof out); /* at the threshold is not below */
	ck_assert_str_eq(out, "");
	ef_trend_below(thr, 2, EF_Q_EQ, 0.1, out, sizeof out);
	ck_assert_str_eq(out, "below IR-CD4-180 200; below engraftment 0.5");
}
END_TEST

/* ---- tests cycled ------------------------------------------------------------------ */

START_TEST(tests_cycled_first_then_the_patients_others)
{
	struct ef_timeline tl;
	ef_timeline_init(&tl);
	base(&tl, EF_HCT_ALLOGENEIC);
	points(&tl, EF_T_CREAT, "3:1.1");
	points(&tl, EF_T_CD19, "90:50");
	points(&tl, EF_T_BILI, "-5:0.8"); /* before day 0 only */
	points(&tl, EF_T_ANC, "3:0.1");
	enum ef_test t[EF_T_COUNT];
	size_t n = ef_trend_tests(&tl, DAY0, t);
	const enum ef_test want[] = {EF_T_ANC, EF_T_PLT, EF_T_ALC, EF_T_WBC, EF_T_HGB, EF_T_CD4, EF_T_IGG, EF_T_CD19,
				     EF_T_CREAT};
	ck_assert_int_eq(n, sizeof want / sizeof want[0]);
	for (size_t i = 0; i < n; i++)
		ck_assert_msg(t[i] == want[i], "test %zu: %s", i, ef_test_code(t[i]));
	ck_assert_int_eq(ef_trend_tests(&tl, EF_NO_DAY, t), 10); /* BILI too */
	ef_timeline_free(&tl);
}
END_TEST

/* ---- y axis ------------------------------------------------------------------------- */

static const struct acase {
	double vmax;
	int rows;
	double hi, step;
} acases[] = {
	{1.4, 10, 1.5, 0.5},     /* ANC recovering: 0, 0.5, 1, 1.5 */
	{0.5, 10, 0.5, 0.1},     /* only the threshold */
	{45, 10, 50, 10},        /* PLT */
	{400, 10, 400, 100},     /* IgG low line */
	{1040, 10, 1250, 250},
	{1040, 20, 1200, 200},   /* more rows, finer ticks */
	{7.3, 6, 7.5, 2.5},
	{0, 10, 1, 0.2},         /* no values: 0..1 */
	{200, 2, 200, 200},      /* one step */
};

START_TEST(axis_round_steps)
{
	const struct acase *c = &acases[_i];
	struct ef_trend_axis ax;
	ef_trend_axis(c->vmax, c->rows, &ax);
	ck_assert_msg(fabs(ax.hi - c->hi) < 1e-9 && fabs(ax.step - c->step) < 1e-9, "vmax %g rows %d: hi %g step %g",
		      c->vmax, c->rows, ax.hi, ax.step);
	ck_assert(ax.lo == 0);
	ck_assert_int_eq(ax.n_ticks, (int)floor(ax.hi / ax.step + 0.5) + 1);
	ck_assert(ax.n_ticks - 1 <= (c->rows / 2 > 0 ? c->rows / 2 : 1));
	ck_assert(fabs(ax.ticks[ax.n_ticks - 1] - ax.hi) < 1e-9);
	ck_assert(ax.hi >= c->vmax);
}
END_TEST

START_TEST(levels_rows_and_positions)
{
	struct ef_trend_axis ax;
	ef_trend_axis(1.4, 10, &ax); /* 0..1.5 */
	ck_assert_int_eq(ef_trend_level(&ax, 0, 40), 0);
	ck_assert_int_eq(ef_trend_level(&ax, 1.5, 40), 39);
	ck_assert_int_eq(ef_trend_level(&ax, 99, 40), 39);   /* clamped */
	ck_assert_int_eq(ef_trend_level(&ax, -1, 40), 0);
	ck_assert_int_eq(ef_trend_level(&ax, 0.75, 40), 20); /* 19.5 rounds up */
	ck_assert_int_eq(ef_trend_row(&ax, 1.5, 10), 0);     /* top row */
	ck_assert_int_eq(ef_trend_row(&ax, 0, 10), 9);       /* bottom row */
	ck_assert_int_eq(ef_trend_row(&ax, 0.5, 10), 6);     /* level 13 of 40 */
	ck_assert_int_eq(ef_trend_pos(100, 200, 100, 61), 0);
	ck_assert_int_eq(ef_trend_pos(100, 200, 200, 61), 60);
	ck_assert_int_eq(ef_trend_pos(100, 200, 150, 61), 30);
	ck_assert_int_eq(ef_trend_pos(100, 200, 50, 61), 0);
	ck_assert_int_eq(ef_trend_pos(100, 100, 100, 61), 0);
}
END_TEST

/* The log axis: powers of ten around the values, at most
 * EF_TREND_LOG_DECADES decades, 1-2-5 ticks when the rows allow. */
static const struct lcase {
	double vmin, vmax;
	int rows;
	double lo, hi;
	int n_ticks;
} lcases[] = {
	{0.1, 8.2, 10, 0.1, 10, 3},     /* ANC from <0.1 to 8.2, 80x24: decades only */
	{0.1, 8.2, 20, 0.1, 10, 7},     /* 132x43: 0.1 0.2 0.5 1 2 5 10 */
	{0.5, 0.5, 10, 0.1, 1, 4},      /* one value: a decade below it (1, 2, 5 fit) */
	{1, 1, 10, 0.1, 1, 4},          /* a power of ten is the top */
	{0.001, 400, 10, 0.1, 1000, 5}, /* at most 4 decades: 0.001 sits on the bottom */
	{0, 0, 10, 0.1, 1, 4},          /* nothing: 0.1..1 */
	{20, 250, 10, 10, 1000, 3},     /* PLT */
};

START_TEST(log_axis_decades)
{
	const struct lcase *c = &lcases[_i];
	struct ef_trend_axis ax;
	ef_trend_axis_log(c->vmin, c->vmax, c->rows, &ax);
	ck_assert(ax.log);
	ck_assert_msg(fabs(ax.lo - c->lo) < 1e-12 && fabs(ax.hi - c->hi) < 1e-9 && ax.n_ticks == c->n_ticks,
		      "%g..%g rows %d: lo %g hi %g ticks %d", c->vmin, c->vmax, c->rows, ax.lo, ax.hi, ax.n_ticks);
	ck_assert(fabs(ax.ticks[0] - ax.lo) < 1e-12 && fabs(ax.ticks[ax.n_ticks - 1] - ax.hi) < 1e-9);
	for (int i = 1; i < ax.n_ticks; i++)
		ck_assert(ax.ticks[i] > ax.ticks[i - 1]);
}
END_TEST

START_TEST(log_levels_spread_low_counts)
{
	struct ef_trend_axis lin, lg;
	ef_trend_axis(8.2, 10, &lin);           /* 0..10 */
	ef_trend_axis_log(0.1, 8.2, 10, &lg);  /* 0.1..10 */
	/* ANC 0.3 and the 0.5 threshold share the bottom row of the linear plot
	 * but not of the log plot */
	ck_assert_int_eq(ef_trend_row(&lin, 0.3, 10), ef_trend_row(&lin, 0.5, 10));
	ck_assert_int_ne(ef_trend_row(&lg, 0.3, 10), ef_trend_row(&lg, 0.5, 10));
	ck_assert_int_eq(ef_trend_level(&lg, 0.1, 40), 0);
	ck_assert_int_eq(ef_trend_level(&lg, 1, 40), 20);   /* the middle decade: 19.5 rounds up */
	ck_assert_int_eq(ef_trend_level(&lg, 10, 40), 39);
	ck_assert_int_eq(ef_trend_level(&lg, 0, 40), 0);    /* 0 and below lo: the bottom */
	ck_assert_int_eq(ef_trend_level(&lg, 500, 40), 39); /* clamped */
}
END_TEST

static const struct xcase {
	int span, cols, gap;
	size_t n;
	int step;
} xcases[] = {
	{235, 66, 8, 8, 30},   /* 80 columns, day +235: 0 30 60 ... 210 */
	{235, 118, 8, 12, 20}, /* 132 columns: every 20 days */
	{16, 66, 8, 9, 2},
	{1000, 66, 8, 6, 180},
	{0, 66, 8, 1, 0},
	{3, 66, 8, 4, 1},
};

START_TEST(x_ticks_round_days)
{
	const struct xcase *c = &xcases[_i];
	int days[64];
	size_t n = ef_trend_xticks(1000, 1000 + c->span, c->cols, c->gap, days, 64);
	ck_assert_int_ge(n, 1);
	ck_assert_int_eq(days[0], 0);
	if (c->n == 1) {
		ck_assert_int_eq(n, 1);
		return;
	}
	ck_assert_int_eq(days[1], c->step);
	ck_assert_int_eq(n, c->n);
	ck_assert_int_eq(n, (size_t)(c->span / c->step + 1));
	for (size_t i = 1; i < n; i++) { /* labels never closer than the gap */
		int a = ef_trend_pos(1000, 1000 + c->span, 1000 + days[i - 1], c->cols);
		int b = ef_trend_pos(1000, 1000 + c->span, 1000 + days[i], c->cols);
		ck_assert_int_ge(b - a, c->gap);
	}
}
END_TEST

/* ---- the plot grid ----------------------------------------------------------------- */

START_TEST(plot_points_lines_and_qualifiers)
{
	struct ef_trend_axis ax;
	ef_trend_axis(1.4, 4, &ax); /* 0..2 in 2 steps of 1 */
	ck_assert(ax.hi == 2);
	const struct ef_trend_point p[] = {
		{100, 0.1, EF_Q_LT}, /* <0.1 at 0.1, flagged */
		{110, 2.0, EF_Q_EQ},
	};
	enum { R = 4, C = 6 };
	unsigned char dots[R * C];
	char mark[R * C];
	ef_trend_plot(&ax, 100, 110, p, 2, R, C, dots, mark);
	/* first point: bottom-left cell, flagged '<' */
	ck_assert_int_eq(mark[(R - 1) * C + 0], '<');
	/* last point: top-right cell, a point */
	ck_assert_int_eq(mark[0 * C + C - 1], 'o');
	ck_assert(dots[0 * C + C - 1] & 0x08); /* right column, top dot */
	/* the line between them passes through every row */
	for (int r = 0; r < R; r++) {
		int any = 0;
		for (int c = 0; c < C; c++)
			any |= dots[r * C + c];
		ck_assert_msg(any, "row %d has no dot of the line", r);
	}
	/* nothing marked but the two points */
	int marks = 0;
	for (int i = 0; i < R * C; i++)
		marks += mark[i] != 0;
	ck_assert_int_eq(marks, 2);
	/* no points: a blank grid */
	ef_trend_plot(&ax, 100, 110, p, 0, R, C, dots, mark);
	for (int i = 0; i < R * C; i++)
		ck_assert(dots[i] == 0 && mark[i] == 0);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("trend");
	TCase *tc = tcase_create("trend");
	tcase_add_loop_test(tc, milestone_status, 0, sizeof mcases / sizeof mcases[0]);
	tcase_add_test(tc, milestone_of_another_transplant_type);
	tcase_add_loop_test(tc, thresholds_from_the_reference, 0, sizeof tcases / sizeof tcases[0]);
	tcase_add_test(tc, thresholds_follow_edited_reference);
	tcase_add_test(tc, below_names_each_threshold_crossed);
	tcase_add_test(tc, tests_cycled_first_then_the_patients_others);
	tcase_add_loop_test(tc, axis_round_steps, 0, sizeof acases / sizeof acases[0]);
	tcase_add_test(tc, levels_rows_and_positions);
	tcase_add_loop_test(tc, log_axis_decades, 0, sizeof lcases / sizeof lcases[0]);
	tcase_add_test(tc, log_levels_spread_low_counts);
	tcase_add_loop_test(tc, x_ticks_round_days, 0, sizeof xcases / sizeof xcases[0]);
	tcase_add_test(tc, plot_points_lines_and_qualifiers);
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
