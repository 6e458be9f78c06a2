/* next_change (issue 15; docs/architecture.md, "When findings can change"):
 * every evaluation as of a date says the earliest later day on which its
 * result could differ with the same timeline. Table cases, one per source
 * of change, check the exact day (nothing changes before it, something
 * changes on it); a property test walks synthetic timelines day by day and
 * checks that nothing ever changes before the day announced. */
#include <check.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engraft/engraftment.h"
#include "engraft/followup.h"
#include "engraft/milestones.h"
#include "engraft/rules.h"
#include "engraft/vaccines.h"
#include "helpers.h"

/* ---- every output as text ---------------------------------------------- */

struct sb {
	char *s;
	size_t n, cap;
};

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void put(struct sb *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	ck_assert_int_ge(len, 0);
	if (b->n + (size_t)len + 1 > b->cap) {
		size_t nc = (b->n + (size_t)len + 1) * 2;
		char *p = realloc(b->s, nc);
		ck_assert_ptr_nonnull(p);
		b->s = p;
		b->cap = nc;
	}
	va_start(ap, fmt);
	vsnprintf(b->s + b->n, b->cap - b->n, fmt, ap);
	va_end(ap);
	b->n += (size_t)len;
}

enum out { OUT_FINDINGS, OUT_FORECAST, OUT_FOLLOWUP, OUT_PARTS, OUT_N };
static const char *const out_name[OUT_N] = {"findings", "forecast", "follow-up", "engraftment/milestones/gate"};

static void findings(struct sb *b, const struct ef_timeline *tl, const struct ef_reference *ref, ef_day as_of,
		     ef_day *nc)
{
	struct ef_findings f;
	struct ef_err err;
	ef_findings_init(&f);
	ck_assert_int_eq(ef_rules_evaluate(tl, ref, as_of, &f, &err), EF_OK);
	put(b, "resolve_reason=%s\n", f.resolve_reason);
	for (size_t i = 0; i < f.n; i++)
		put(b, "%s|%s|%s|%d|%s\n", ef_rule_id(f.v[i].rule), ef_severity_str(f.v[i].severity), f.v[i].subject,
		    (int)f.v[i].due_on, f.v[i].message);
	*nc = f.next_change;
	ef_findings_free(&f);
}

static void forecast(struct sb *b, const struct ef_timeline *tl, const struct ef_reference *ref, ef_day as_of,
		     ef_day *nc)
{
	struct ef_due_list l;
	struct ef_err err;
	ef_due_list_init(&l);
	ck_assert_int_eq(ef_vaccines_forecast(tl, ref, as_of, &l, &err), EF_OK);
	for (size_t i = 0; i < l.n; i++)
		put(b, "%s|%d|%d|%s|%d|%s\n", l.v[i].series, l.v[i].dose, l.v[i].live,
		    ef_due_status_str(l.v[i].status), (int)l.v[i].due_on, l.v[i].reason);
	*nc = l.next_change;
	ef_due_list_free(&l);
}

static void followup(struct sb *b, const struct ef_timeline *tl, const struct ef_reference *ref, ef_day as_of,
		     ef_day *nc)
{
	struct ef_fu_list l;
	struct ef_err err;
	ef_fu_list_init(&l);
	ck_assert_int_eq(ef_followup_calendar(tl, ref, as_of, &l, &err), EF_OK);
	put(b, "day0=%d\n", (int)l.day0);
	for (size_t i = 0; i < l.n; i++)
		put(b, "%s|%s|%d|%s|%d|%d|%s\n", l.v[i].item, l.v[i].time_point, (int)l.v[i].due_on,
		    ef_fu_status_str(l.v[i].status), (int)l.v[i].done_on, l.v[i].registry, l.v[i].reason);
	*nc = l.next_change;
	ef_fu_list_free(&l);
}

/* Engraftment of every transplant up to as_of, the milestones and the
 * live gate of the current one: their next_change covers the passing of
 * time; records dated later are the caller's (ef_timeline_next_record). */
static void parts(struct sb *b, const struct ef_timeline *tl, const struct ef_reference *ref, ef_day as_of,
		  ef_day *nc)
{
	struct ef_err err;
	*nc = ef_timeline_next_record(tl, as_of);
	for (size_t i = 0; i < tl->n_transplants; i++) {
		const struct ef_transplant *tp = &tl->transplants[i];
		if (tp->day0 > as_of)
			continue;
		struct ef_engraftment e;
		ck_assert_int_eq(ef_engraftment_eval(tl, tp, ref, as_of, &e, &err), EF_OK);
		put(b, "engraftment %d: %s %s sgf=%d\n", (int)tp->day0, ef_engraft_status_str(e.status),
		    ef_plt_status_str(e.plt_status), (int)e.secondary_failure);
		ef_until(nc, as_of, e.next_change);
	}
	const struct ef_transplant *tp = ef_current_transplant(tl, as_of);
	if (!tp)
		return;
	for (size_t i = 0; i < ref->n_milestones; i++) {
		struct ef_ms_status ms;
		ck_assert_int_eq(ef_milestone_eval(tl, tp, &ref->milestones[i], as_of, &ms, &err), EF_OK);
		put(b, "milestone %s: %s open=%d day=%d\n", ref->milestones[i].id, ef_ms_state_str(ms.state), ms.open,
		    (int)ms.day);
		ef_until(nc, as_of, ms.next_change);
	}
	struct ef_live_gate g;
	ef_live_gate_eval(tl, tp, ref, as_of, &g);
	put(b, "gate: %d %d %s\n", g.open, (int)g.date, g.reason);
	ef_until(nc, as_of, g.next_change);
}

/* The output `which` as of as_of (malloc'ed) and its next_change. */
static char *output(enum out which, const struct ef_timeline *tl, const struct ef_reference *ref, ef_day as_of,
		    ef_day *nc)
{
	struct sb b = {0};
	put(&b, "%s", "");
	void (*fn[OUT_N])(struct sb *, const struct ef_timeline *, const struct ef_reference *, ef_day,
			  ef_day *) = {findings, forecast, followup, parts};
	fn[which](&b, tl, ref, as_of, nc);
	ck_assert_msg(*nc > as_of, "%s: next_change %d not after as_of %d", out_name[which], (int)*nc, (int)as_of);
	return b.s;
}

/* ---- the reference, cut down to what a case is about ---------------------- */

enum keep { K_NONE = 0, K_SERIES, K_MONITOR, K_SCREENING, K_MILESTONE };

/* The shipped reference with only the vaccine rows of series `what`
 * (K_SERIES), the monitoring rows of test `what`, the screening item
 * `what` or the milestone `what`; the other tables empty. */
static void reference_keeping(struct ef_reference *ref, enum keep k, const char *what)
{
	test_reference(ref);
	size_t n = 0;
	for (size_t i = 0; i < ref->n_rules; i++)
		if (k == K_SERIES && (strcmp(ref->rules[i].series, what) == 0 ||
				      (strcmp(what, "PPSV23") == 0 && strcmp(ref->rules[i].series, "PCV") == 0)))
			ref->rules[n++] = ref->rules[i];
	ref->n_rules = n;
	n = 0;
	for (size_t i = 0; i < ref->n_monitors; i++)
		if (k == K_MONITOR && strcmp(ef_test_code(ref->monitors[i].test), what) == 0)
			ref->monitors[n++] = ref->monitors[i];
	ref->n_monitors = n;
	n = 0;
	for (size_t i = 0; i < ref->n_screening; i++)
		if (k == K_SCREENING && strcmp(ref->screening[i].item, what) == 0)
			ref->screening[n++] = ref->screening[i];
	ref->n_screening = n;
	ref->n_registry = 0;
	n = 0;
	for (size_t i = 0; i < ref->n_milestones; i++)
		if (k == K_MILESTONE && strcmp(ref->milestones[i].id, what) == 0)
			ref->milestones[n++] = ref->milestones[i];
	ref->n_milestones = n;
}

/* ---- table: one case per source of change ------------------------------------ */

static ef_day DAY0;

static void base(struct ef_timeline *tl)
{
	ef_timeline_init(tl);
	DAY0 = D("2025-01-15");
	tl_patient(tl, "1980-05-05");
	tl_transplant(tl, "2025-01-15", EF_HCT_ALLOGENEIC, EF_GRAFT_PERIPHERAL_BLOOD);
}

static void add_status(struct ef_timeline *tl, ef_day day, enum ef_status_kind kind)
{
	void *p = realloc(tl->status, (tl->n_status + 1) * sizeof *tl->status);
	ck_assert_ptr_nonnull(p);
	tl->status = p;
	tl->status[tl->n_status++] = (struct ef_status_row){(int64_t)tl->n_status + 1, day, kind};
}

static void add_done(struct ef_timeline *tl, const char *item, const char *time_point, ef_day day)
{
	struct ef_followup_done d = {.id = (int64_t)tl->n_followups + 1, .day = day};
	snprintf(d.item, sizeof d.item, "%s", item);
	snprintf(d.time_point, sizeof d.time_point, "%s", time_point);
	void *p = realloc(tl->followups, (tl->n_followups + 1) * sizeof d);
	ck_assert_ptr_nonnull(p);
	tl->followups = p;
	tl->followups[tl->n_followups++] = d;
}

static void severe_gvhd_later(struct ef_timeline *tl)
{
	base(tl);
	tl_acute(tl, DAY0 + 40, 4, 0, 0, 0);
}

static void death_later(struct ef_timeline *tl)
{
	base(tl);
	tl_acute(tl, DAY0 + 10, 4, 0, 0, 0);
	add_status(tl, DAY0 + 50, EF_ST_DECEASED);
}

static void is_until_day400(struct ef_timeline *tl)
{
	base(tl);
	tl_is(tl, "tacrolimus", DAY0, DAY0 + 400);
}

static void ivig_day700(struct ef_timeline *tl)
{
	base(tl);
	tl_ivig(tl, DAY0 + 700);
}

static void acute_day700(struct ef_timeline *tl)
{
	base(tl);
	tl_acute(tl, DAY0 + 700, 1, 0, 0, 0); /* grade I: active for the gate */
}

static void hpv_age_26(struct ef_timeline *tl)
{
	base(tl);
	tl->patient.birth = D("1999-03-01");
}

static void eye_done_later(struct ef_timeline *tl)
{
	base(tl);
	add_done(tl, "EYE", "M12", D("2026-02-01"));
}

static void anc_no_recovery(struct ef_timeline *tl)
{
	base(tl);
	for (int d = 2; d <= 21; d += 5)
		tl_lab(tl, DAY0 + d, EF_T_ANC, "0.1");
}

static void plt_low(struct ef_timeline *tl)
{
	base(tl);
	tl_lab(tl, DAY0 + 5, EF_T_PLT, "10");
	tl_lab(tl, DAY0 + 30, EF_T_PLT, "15");
	tl_lab(tl, DAY0 + 55, EF_T_PLT, "18");
	tl_transfusion(tl, DAY0 + 5, EF_PROD_PLATELETS);
}

static void anc_day3(struct ef_timeline *tl)
{
	base(tl);
	tl_lab(tl, DAY0 + 3, EF_T_ANC, "2.0");
}

static const struct change_case {
	const char *name;
	void (*build)(struct ef_timeline *tl);
	enum keep keep;
	const char *what;
	enum out which;
	int as_of;      /* days after DAY0 */
	const char *as_of_date, *expect_date; /* or dates */
	int expect;     /* days after DAY0 */
} cases[] = {
	{"record: a GVHD assessment dated later", severe_gvhd_later, K_NONE, "", OUT_FINDINGS, 30, 0, 0, 40},
	{"record: a death dated later", death_later, K_NONE, "", OUT_FINDINGS, 20, 0, 0, 50},
	{"record: an immunosuppression stop dated later", is_until_day400, K_SERIES, "MMR", OUT_FORECAST, 300, 0, 0,
	 400},
	{"record: a follow-up done dated later", eye_done_later, K_SCREENING, "EYE", OUT_FOLLOWUP, 0, "2026-01-20",
	 "2026-02-01", 0},
	{"gate: 24 months after the transplant", is_until_day400, K_SERIES, "MMR", OUT_FORECAST, 500, 0, "2027-01-15", 0},
	{"gate: 12 months off immunosuppression", is_until_day400, K_SERIES, "MMR", OUT_FORECAST, 0, "2027-01-20",
	 "2027-02-19", 0},
	{"gate: 8 months after IVIG", ivig_day700, K_SERIES, "MMR", OUT_FORECAST, 0, "2027-02-01", "2027-08-16", 0},
	{"gate: active acute GVHD's window ends", acute_day700, K_SERIES, "MMR", OUT_FORECAST, 747, 0, 0, 801},
	{"gate (evaluated alone)", ivig_day700, K_NONE, "", OUT_PARTS, 0, "2027-02-01", "2027-08-16", 0},
	{"vaccine: due on its date", base, K_SERIES, "FLU", OUT_FORECAST, 100, 0, "2025-07-15", 0},
	{"vaccine: overdue after the grace days", base, K_SERIES, "FLU", OUT_FORECAST, 0, "2025-07-20", "2025-08-13",
	 0},
	{"vaccine: a prerequisite's date starts to move", base, K_SERIES, "PPSV23", OUT_FORECAST, 200, 0,
	 0, 365 - 111},
	{"vaccine: a prerequisite's date moves daily", base, K_SERIES, "PPSV23", OUT_FORECAST, 300, 0, 0, 301},
	{"vaccine: too old from the age limit", hpv_age_26, K_SERIES, "HPV", OUT_FORECAST, 0, "2025-12-01",
	 "2026-03-01", 0},
	{"follow-up: due on its date", base, K_SCREENING, "EYE", OUT_FOLLOWUP, 100, 0, "2026-01-15", 0},
	{"follow-up: overdue after the grace days", base, K_SCREENING, "EYE", OUT_FOLLOWUP, 0, "2026-01-20",
	 "2026-02-15", 0},
	{"follow-up overdue: a finding after the grace days", base, K_SCREENING, "EYE", OUT_FINDINGS, 0,
	 "2026-01-20", "2026-02-15", 0},
	{"engraftment: graft failure after the deadline", anc_no_recovery, K_NONE, "", OUT_PARTS, 21, 0, 0, 29},
	{"engraftment: the finding after the deadline", anc_no_recovery, K_NONE, "", OUT_FINDINGS, 21, 0, 0, 29},
	{"platelets: delayed after the deadline", plt_low, K_NONE, "", OUT_PARTS, 55, 0, 0, 61},
	{"milestone: the window opens", base, K_MILESTONE, "IR-CD4-180", OUT_PARTS, 100, 0, 0, 150},
	{"milestone: the window closes with no result", base, K_MILESTONE, "IR-CD4-180", OUT_PARTS, 160, 0, 0, 211},
	{"milestone finding: only when the window closes", base, K_MILESTONE, "IR-CD4-180", OUT_FINDINGS, 100, 0, 0,
	 211},
	{"monitoring: overdue after the interval", anc_day3, K_MONITOR, "ANC", OUT_FINDINGS, 5, 0, 0, 11},
	{"monitoring: the window ends", anc_day3, K_MONITOR, "ANC", OUT_FINDINGS, 50, 0, 0, 101},
	{"monitoring: the next window's interval", anc_day3, K_MONITOR, "ANC", OUT_FINDINGS, 101, 0, 0, 130},
};

static ef_day case_day(int offset, const char *date)
{
	return date ? D(date) : DAY0 + offset;
}

START_TEST(change_on_the_day_announced)
{
	const struct change_case *k = &cases[_i];
	struct ef_reference ref;
	struct ef_timeline tl;
	reference_keeping(&ref, k->keep, k->what);
	k->build(&tl);
	ef_day as_of = case_day(k->as_of, k->as_of_date), expect = case_day(k->expect, k->expect_date);
	ef_day nc, other;
	char *at = output(k->which, &tl, &ref, as_of, &nc);
	char as_of_s[11], nc_s[11], ex_s[11];
	ef_date_format(as_of, as_of_s);
	ef_date_format(nc, nc_s);
	ef_date_format(expect, ex_s);
	ck_assert_msg(nc == expect, "%s: as of %s next_change %s, expected %s", k->name, as_of_s, nc_s, ex_s);
	for (ef_day d = as_of + 1; d < expect; d++) {
		char *o = output(k->which, &tl, &ref, d, &other);
		ck_assert_msg(strcmp(o, at) == 0, "%s: changed on day %d before %s", k->name, (int)(d - as_of), ex_s);
		free(o);
	}
	char *then = output(k->which, &tl, &ref, expect, &other);
	ck_assert_msg(strcmp(then, at) != 0, "%s: nothing changed on %s:\n%s", k->name, ex_s, at);
	free(then);
	free(at);
	ef_timeline_free(&tl);
	ef_reference_free(&ref);
}
END_TEST

START_TEST(init_says_never)
{
	struct ef_findings f;
	struct ef_due_list l;
	struct ef_fu_list u;
	ef_findings_init(&f);
	ef_due_list_init(&l);
	ef_fu_list_init(&u);
	ck_assert_int_eq(f.next_change, EF_DAY_NEVER);
	ck_assert_int_eq(l.next_change, EF_DAY_NEVER);
	ck_assert_int_eq(u.next_change, EF_DAY_NEVER);
	/* nothing at all: nothing ever changes */
	struct ef_reference ref;
	struct ef_timeline tl;
	test_reference(&ref);
	ef_timeline_init(&tl);
	tl_patient(&tl, "1980-05-05");
	ef_day nc;
	for (int w = 0; w < OUT_N; w++) {
		free(output((enum out)w, &tl, &ref, D("2025-01-01"), &nc));
		ck_assert_int_eq(nc, EF_DAY_NEVER);
	}
	ck_assert_int_eq(ef_timeline_next_record(&tl, D("2025-01-01")), EF_DAY_NEVER);
	ef_timeline_free(&tl);
	ef_reference_free(&ref);
}
END_TEST

/* Every date column counts as a record day. */
START_TEST(next_record_every_column)
{
	ef_day as_of = D("2025-01-01");
	for (int col = 0; col < 11; col++) {
		struct ef_timeline tl;
		ef_timeline_init(&tl);
		ef_day at = as_of + 10 + col, old = as_of - 5;
		/* the same kind dated before as_of does not count */
		switch (col) {
		case 0:
			tl_transplant(&tl, "2024-12-01", EF_HCT_AUTOLOGOUS, EF_GRAFT_BONE_MARROW);
			tl.transplants[0].day0 = at;
			break;
		case 1:
			tl_lab(&tl, old, EF_T_ANC, "1"), tl_lab(&tl, at, EF_T_ANC, "1");
			break;
		case 2:
			tl_transfusion(&tl, old, EF_PROD_PLATELETS), tl_transfusion(&tl, at, EF_PROD_PLATELETS);
			break;
		case 3:
			tl_dose(&tl, old, "FLU", 0), tl_dose(&tl, at, "FLU", 0);
			break;
		case 4:
			tl_acute(&tl, old, 1, 0, 0, 0), tl_acute(&tl, at, 1, 0, 0, 0);
			break;
		case 5: {
			static const int mild[8] = {1, 0, 0, 0, 0, 0, 0, 0};
			tl_chronic(&tl, old, mild), tl_chronic(&tl, at, mild);
			break;
		}
		case 6:
			tl_is(&tl, "tacrolimus", at, EF_NO_DAY);
			break;
		case 7:
			tl_is(&tl, "tacrolimus", old, at);
			break;
		case 8:
			tl_ivig(&tl, old), tl_ivig(&tl, at);
			break;
		case 9:
			add_status(&tl, old, EF_ST_ALIVE), add_status(&tl, at, EF_ST_ALIVE);
			break;
		case 10:
			add_done(&tl, "EYE", "M12", old), add_done(&tl, "EYE", "M12", at);
			break;
		}
		ck_assert_msg(ef_timeline_next_record(&tl, as_of) == at, "column %d", col);
		ck_assert_int_eq(ef_timeline_next_record(&tl, at), EF_DAY_NEVER);
		ef_timeline_free(&tl);
	}
}
END_TEST

/* ---- property: synthetic timelines walked day by day ------------------------------- */

static uint64_t rng_state;

static uint32_t rnd(uint32_t n) /* 0 .. n-1 */
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return n ? (uint32_t)(rng_state % n) : 0;
}

static const char *const SERIES[] = {"PCV", "FLU", "COVID19", "TDAP", "HIB", "IPV", "HEPB",
				     "MENACWY", "HPV", "RZV", "HEPA", "MMR", "VAR", "PPSV23"};
static const char *const ANC_LOW[] = {"0.1", "0.3", "<0.5", "0.2"};
static const char *const ANC_ANY[] = {"0.1", "0.6", "1.5", "3", "<1.0", ">0.5", "0.4"};
static const char *const PLT_ANY[] = {"10", "25", "60", "150", "<20", "18"};

static void synthetic(struct ef_timeline *tl, ef_day start)
{
	ef_timeline_init(tl);
	tl_patient(tl, "2000-01-01");
	/* ages 0-80 at the first transplant, many near the limits (9, 18, 19, 26) */
	static const int near[] = {9, 18, 19, 26, 27};
	int years = rnd(3) ? (int)rnd(80) : near[rnd(5)];
	tl->patient.birth = start - years * 365 - (ef_day)rnd(365);
	int ntp = 1 + (int)rnd(3) - (rnd(8) == 0); /* 0..3 */
	ef_day day0 = start;
	for (int t = 0; t < ntp; t++) {
		tl_transplant(tl, "2000-01-01", (enum ef_hct_type)rnd(EF_HCT_COUNT), (enum ef_graft)rnd(EF_GRAFT_COUNT));
		tl->transplants[tl->n_transplants - 1].day0 = day0;
		/* engraftment: low counts, then recovery or not */
		int recover = (int)rnd(3), days = 20 + (int)rnd(60);
		for (int d = (int)rnd(3); d < days; d += 1 + (int)rnd(4)) {
			const char *anc = d < 10 + recover * 5 || recover == 0 ? ANC_LOW[rnd(4)] : ANC_ANY[rnd(7)];
			tl_lab(tl, day0 + d, EF_T_ANC, anc);
			if (rnd(2))
				tl_lab(tl, day0 + d, EF_T_PLT, PLT_ANY[rnd(6)]);
			if (rnd(6) == 0)
				tl_transfusion(tl, day0 + d, EF_PROD_PLATELETS);
		}
		/* sparse labs later */
		for (ef_day d = day0 + days; d < day0 + 900; d += 10 + (ef_day)rnd(120)) {
			static const enum ef_test later[] = {EF_T_ANC, EF_T_PLT, EF_T_CD4, EF_T_IGG, EF_T_BILI, EF_T_CREAT};
			static const char *const vals[] = {"0.3", "40", "150", "350", "12", "80", "450", "250"};
			tl_lab(tl, d, later[rnd(6)], vals[rnd(8)]);
		}
		/* doses */
		int ndoses = (int)rnd(12);
		for (int k = 0; k < ndoses; k++)
			tl_dose(tl, day0 + 60 + (ef_day)rnd(1000), SERIES[rnd(14)], rnd(10) == 0);
		day0 += 60 + (ef_day)rnd(900);
	}
	int n = (int)rnd(4);
	for (int k = 0; k < n; k++)
		tl_acute(tl, start - 30 + (ef_day)rnd(900), (int)rnd(5), (int)rnd(3), (int)rnd(2), (int)rnd(3));
	n = (int)rnd(3);
	for (int k = 0; k < n; k++) {
		int sc[8] = {0};
		sc[rnd(8)] = (int)rnd(4);
		tl_chronic(tl, start + 80 + (ef_day)rnd(1200), sc);
	}
	n = (int)rnd(3);
	for (int k = 0; k < n; k++) {
		ef_day s = start - 10 + (ef_day)rnd(800);
		tl_is(tl, k ? "prednisone" : "tacrolimus", s, rnd(4) ? s + 20 + (ef_day)rnd(500) : EF_NO_DAY);
	}
	n = (int)rnd(4);
	for (int k = 0; k < n; k++)
		tl_ivig(tl, start + (ef_day)rnd(900));
	if (rnd(4) == 0) {
		static const enum ef_status_kind kinds[] = {EF_ST_ALIVE, EF_ST_RELAPSE, EF_ST_DECEASED,
							    EF_ST_TRANSFERRED, EF_ST_LOST, EF_ST_RETURNED};
		n = 1 + (int)rnd(3);
		for (int k = 0; k < n; k++)
			add_status(tl, start + 100 + (ef_day)rnd(1500), kinds[rnd(6)]);
	}
	static const char *const done[][2] = {{"CIBMTR", "D100"}, {"CIBMTR", "M6"},    {"CIBMTR", "Y1"},
					       {"CIBMTR", "Y2"},   {"DENTAL", "M12"},   {"EYE", "M12"},
					       {"SKIN", "M24"},    {"CIBMTR-CT", "D100"}, {"THYROID", "M12"}};
	n = (int)rnd(6);
	for (int k = 0; k < n; k++) {
		int w = (int)rnd(9);
		add_done(tl, done[w][0], done[w][1], start + 90 + (ef_day)rnd(900));
	}
}

struct walk_stats {
	long days, claims, next_day, next_day_changed, exact, beyond;
};

/* Evaluate `which` on every day of [from, from + len), then check every
 * day's claim: nothing changes from it up to the day before its
 * next_change (as far as the window goes). */
static void walk(const struct ef_timeline *tl, const struct ef_reference *ref, enum out which, ef_day from, int len,
		 struct walk_stats *st, int tl_no)
{
	char **o = calloc((size_t)len + 1, sizeof *o);
	ef_day *nc = calloc((size_t)len + 1, sizeof *nc);
	int *run = calloc((size_t)len + 1, sizeof *run);
	ck_assert(o && nc && run);
	for (int i = 0; i <= len; i++) {
		o[i] = output(which, tl, ref, from + i, &nc[i]);
		run[i] = i && strcmp(o[i], o[i - 1]) == 0 ? run[i - 1] : i;
	}
	for (int i = 0; i < len; i++) {
		ef_day d = from + i;
		st->claims++;
		long last = nc[i] == EF_DAY_NEVER || nc[i] - from > len ? len : (long)(nc[i] - from) - 1;
		if (run[last] != run[i]) {
			int j = i;
			while (run[j] == run[i])
				j++;
			char d_s[11], c_s[11];
			ef_date_format(d, d_s);
			ef_date_format(from + j, c_s);
			fprintf(stderr, "before:\n%s\nafter:\n%s", o[i], o[j]); /* too long for a Check message */
			ck_abort_msg("timeline %d, %s as of %s: next_change %d days later, but it changed on %s", tl_no,
				     out_name[which], d_s, (int)(nc[i] - d), c_s);
		}
		if (nc[i] == d + 1) {
			st->next_day++;
			st->next_day_changed += run[i + 1] != run[i];
		}
		if (nc[i] - from <= len)
			st->exact += run[nc[i] - from] != run[i];
		else
			st->beyond++;
	}
	st->days += len;
	for (int i = 0; i <= len; i++)
		free(o[i]);
	free(o);
	free(nc);
	free(run);
}

START_TEST(never_changes_before_next_change)
{
	struct ef_reference ref;
	test_reference(&ref);
	struct walk_stats st[OUT_N] = {{0}};
	rng_state = 0x9e3779b97f4a7c15ull;
	const int timelines = 60, len = 200;
	ef_day start = D("2024-03-01");
	for (int t = 0; t < timelines; t++) {
		struct ef_timeline tl;
		synthetic(&tl, start + (ef_day)rnd(400));
		ef_day from = start - 20 + (ef_day)rnd(2200);
		for (int w = 0; w < OUT_N; w++)
			walk(&tl, &ref, (enum out)w, from, len, &st[w], t);
		ef_timeline_free(&tl);
	}
	for (int w = 0; w < OUT_N; w++) {
		printf("%-28s %ld as-of days: next_change = as_of + 1 on %ld (%.1f%%; a change the next day on %ld of "
		       "them); next_change in the window %ld, a real change on it %ld (%.1f%%)\n",
		       out_name[w], st[w].claims, st[w].next_day, 100.0 * (double)st[w].next_day / (double)st[w].claims,
		       st[w].next_day_changed, st[w].claims - st[w].beyond, st[w].exact,
		       100.0 * (double)st[w].exact / (double)(st[w].claims - st[w].beyond ? st[w].claims - st[w].beyond : 1));
		fflush(stdout);
		ck_assert_int_gt(st[w].claims, 0);
	}
	/* the findings truly moving daily is rare */
	ck_assert_msg(st[OUT_FINDINGS].next_day * 10 < st[OUT_FINDINGS].claims, "next_change = as_of + 1 on %ld of %ld",
		      st[OUT_FINDINGS].next_day, st[OUT_FINDINGS].claims);
	ef_reference_free(&ref);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("horizon");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 300);
	tcase_add_loop_test(tc, change_on_the_day_announced, 0, (int)(sizeof cases / sizeof cases[0]));
	tcase_add_test(tc, init_says_never);
	tcase_add_test(tc, next_record_every_column);
	tcase_add_test(tc, never_changes_before_next_change);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
