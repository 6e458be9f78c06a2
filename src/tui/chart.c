/* chart.c - one patient's chart: who, which transplant and day +N,
 * engraftment, GVHD, immunosuppression and IVIG, latest counts with a trend
 * sparkline, open alerts. Read from the patient's timeline as of today
 * (which leaves rows entered in error out), then the patient's records (lab
 * results, doses, GVHD assessments), newest first, rows entered in error
 * included, dimmed, with their reason. Down/Up select a record; x marks the
 * selected one entered in error (the reason form below, eieform_ops). */
#include <stdlib.h>
#include <string.h>

#include "engraft/alertstore.h"
#include "engraft/browse.h"
#include "engraft/followup.h"
#include "engraft/engraftment.h"
#include "engraft/gvhd.h"
#include "engraft/labref.h"
#include "engraft/milestones.h"
#include "engraft/timeline.h"
#include "engraft/units.h"
#include "engraft/vital.h"
#include "tui_int.h"

/* The sparkline's fixed window: the last SPARK_DAYS days up to today (at
 * most SPARK_N values in it: the latest). The whole series is the trend
 * screen's (t). */
#define SPARK_DAYS 60
#define SPARK_N 64

struct count_row {
	enum ef_test test;
	int n;                   /* values since day 0 (or ever, without a transplant) */
	const struct ef_lab *latest;
	double trend[SPARK_N];
	ef_day trend_day[SPARK_N];
	int n_trend;
};

struct chart_st {
	struct ef_timeline tl;
	const struct ef_transplant *tp;
	int tp_index;            /* 1-based: which transplant this is */
	struct count_row counts[EF_T_COUNT];
	int n_counts;
	int scroll;
	int lines;               /* lines the last draw needed */
	struct engraft_view {
		int have;
		struct ef_engraftment e;
	} eng;
	struct store_alert *alerts;
	size_t n_alerts, cap_alerts;
	const struct ef_reference *ref; /* NULL when it could not be loaded */
	struct browse_record *recs; /* the records list, newest first */
	int n_recs, more_recs;
	int cur;                 /* selected record, -1: none */
	int follow;              /* the selection moved: keep it in view */
	int rec_line0;           /* virtual line of the first record (last draw) */
	/* the follow-up calendar (followup.h): counts and the next time point */
	struct followup_view {
		int have, overdue, due;
		char next[48];       /* "CIBMTR Y1 2026-01-15" ("" none) */
	} fu;
};

static const struct keybind keys[] = {
	{{'l'}, "l", CMD_LAB, "Lab", "enter a lab result for this patient", 0},
	{{'t'}, "t", CMD_TREND, "Trend",
	 "trend of one count: the series since day 0, thresholds, treatments", 0},
	{{'g'}, "g", CMD_GVHD, "GVHD", "enter a GVHD assessment (acute or chronic)", 0},
	{{'s'}, "s", CMD_STATUS, "Status",
	 "record a vital or follow-up status: alive (a contact), relapse, deceased, transferred, lost, returned", 0},
	{{'x'}, "x", CMD_MARK_ERROR, "Error",
	 "mark the selected record (lab result, dose, GVHD assessment) entered in error: reason required", 0},
	{{'H'}, "H", CMD_AUDIT, "History", "the audit trail of this patient's record: who changed what, before -> after", 0},
	{{'T'}, "T", CMD_TRANSPLANT, NULL, "record a transplant (date, type, graft source, donor, conditioning)", 0},
	{{'i'}, "i", CMD_IS, NULL, "immunosuppression: start a course, or stop an ongoing one", 0},
	{{'I'}, "I", CMD_IVIG, NULL, "record an IVIG dose (date, grams)", 0},
	{{'b'}, "b", CMD_TRANSFUSION, NULL, "record a transfusion (date, product)", 0},
	{{K(KEY_UP), 'k'}, "Up", CMD_UP, NULL, "select the previous record (at the top: scroll up)", 0},
	{{K(KEY_DOWN), 'j'}, "Down", CMD_DOWN, NULL, "select the next record (the list under the results)", 0},
	{{K(KEY_PPAGE)}, "PgUp", CMD_PAGE_UP, NULL, "scroll a page up", 0},
	{{K(KEY_NPAGE), ' '}, "PgDn", CMD_PAGE_DOWN, NULL, "scroll a page down", 0},
	{{K(KEY_HOME)}, "Home", CMD_HOME, NULL, "back to the top of the chart (no record selected)", 0},
	{{K(KEY_END)}, "End", CMD_END, NULL, "select the oldest record", 0},
	KEYS_END,
};

/* Order of the counts table: what a transplant clinic looks at first. */
static const enum ef_test order[] = {EF_T_ANC, EF_T_PLT, EF_T_WBC, EF_T_HGB, EF_T_ALC, EF_T_CD4, EF_T_CD3,
				     EF_T_CD8, EF_T_CD19, EF_T_NK, EF_T_IGG, EF_T_IGA, EF_T_IGM, EF_T_BILI,
				     EF_T_CREAT};

static int lab_before(const struct ef_lab *x, const struct ef_lab *y)
{
	if (x->day != y->day)
		return x->day < y->day;
	return x->secs < y->secs;
}

static void build_counts(struct chart_st *st, ef_day today)
{
	ef_day from = st->tp ? st->tp->day0 : EF_NO_DAY;
	st->n_counts = 0;
	for (size_t k = 0; k < NELEM(order); k++) {
		struct count_row r;
		memset(&r, 0, sizeof r);
		r.test = order[k];
		/* the store sorts labs by collection; keep the last SPARK_N of
		 * the window */
		for (size_t i = 0; i < st->tl.n_labs; i++) {
			const struct ef_lab *l = &st->tl.labs[i];
			if (l->test != r.test || (from != EF_NO_DAY && l->day < from))
				continue;
			r.n++;
			if (!r.latest || !lab_before(l, r.latest))
				r.latest = l;
			if (l->day <= today - SPARK_DAYS || l->day > today)
				continue;
			if (r.n_trend == SPARK_N) {
				memmove(r.trend, r.trend + 1, (SPARK_N - 1) * sizeof r.trend[0]);
				memmove(r.trend_day, r.trend_day + 1, (SPARK_N - 1) * sizeof r.trend_day[0]);
				r.n_trend--;
			}
			r.trend_day[r.n_trend] = l->day;
			r.trend[r.n_trend++] = l->value;
		}
		if (r.n)
			st->counts[st->n_counts++] = r;
	}
}

static int add_alert(void *ctx, const struct store_alert *al, struct ef_err *err)
{
	struct chart_st *st = ctx;
	if (st->n_alerts == st->cap_alerts) {
		size_t cap = st->cap_alerts ? st->cap_alerts * 2 : 8;
		struct store_alert *p = realloc(st->alerts, cap * sizeof *p);
		if (!p)
			return ef_errf(err, EF_DB, "out of memory");
		st->alerts = p;
		st->cap_alerts = cap;
	}
	st->alerts[st->n_alerts++] = *al;
	return EF_OK;
}

static int chart_load(struct app *a, struct screen *s)
{
	struct chart_st *st = s->st;
	int rc = store_load_timeline(a->s, s->patient_id, a->today, &st->tl, &a->err);
	if (rc)
		return rc;
	st->n_alerts = 0;
	if ((rc = store_alerts_each(a->s, a->today, st->tl.patient.mrn, STORE_ALERTS_BY_SEVERITY, add_alert, st,
				    &a->err)))
		return rc;
	st->tp = ef_current_transplant(&st->tl, a->today);
	st->ref = tui_reference(a);
	st->eng.have = 0;
	if (st->tp && st->ref &&
	    ef_engraftment_eval(&st->tl, st->tp, st->ref, a->today, &st->eng.e, &a->err) == EF_OK)
		st->eng.have = 1;
	st->tp_index = 0;
	for (size_t i = 0; i < st->tl.n_transplants; i++)
		if (st->tp && st->tl.transplants[i].day0 <= st->tp->day0)
			st->tp_index++;
	build_counts(st, a->today);
	st->fu.have = 0;
	if (st->ref) {
		struct ef_fu_list l;
		ef_fu_list_init(&l);
		if (ef_followup_calendar(&st->tl, st->ref, a->today, &l, &a->err) == EF_OK && l.day0 != EF_NO_DAY) {
			const struct ef_fu_entry *next = NULL;
			st->fu.have = 1;
			st->fu.overdue = st->fu.due = 0;
			for (size_t i = 0; i < l.n; i++) {
				st->fu.overdue += l.v[i].status == EF_FU_OVERDUE;
				st->fu.due += l.v[i].status == EF_FU_DUE;
				if (l.v[i].status == EF_FU_UPCOMING && (!next || l.v[i].due_on < next->due_on))
					next = &l.v[i];
			}
			st->fu.next[0] = '\0';
			if (next) {
				char d[11];
				ef_date_format(next->due_on, d);
				snprintf(st->fu.next, sizeof st->fu.next, "%.23s %.11s %s", next->item, next->time_point, d);
			}
		}
		ef_fu_list_free(&l);
	}
	if (!st->recs && !(st->recs = calloc(BROWSE_RECORDS_MAX, sizeof *st->recs)))
		return ef_errf(&a->err, EF_DB, "out of memory");
	if ((rc = browse_records(a->s, s->patient_id, st->recs, BROWSE_RECORDS_MAX, &st->n_recs, &st->more_recs,
				 &a->err)))
		return rc;
	if (st->cur >= st->n_recs)
		st->cur = st->n_recs - 1;
	fmt_patient(&st->tl.patient, s->title, sizeof s->title);
	return EF_OK;
}

static int chart_open(struct app *a, struct screen *s, const struct request *rq)
{
	struct chart_st *st = calloc(1, sizeof *st);
	if (!st)
		return ef_errf(&a->err, EF_DB, "out of memory");
	ef_timeline_init(&st->tl);
	st->cur = -1;
	s->st = st;
	s->patient_id = rq->patient_id;
	return chart_load(a, s);
}

static void chart_close(struct app *a, struct screen *s)
{
	(void)a;
	struct chart_st *st = s->st;
	if (st) {
		ef_timeline_free(&st->tl);
		free(st->alerts);
		free(st->recs);
	}
	free(st);
	s->st = NULL;
}

/* Draw helper: line `y` of the scrollable part. */
struct pen {
	WINDOW *w;
	int y;       /* next virtual line */
	int top;     /* first screen row of the scrollable part */
	int scroll;
};

static int row_of(struct pen *p)
{
	int r = p->top + p->y - p->scroll;
	p->y++;
	if (r < p->top || r >= getmaxy(p->w))
		return -1;
	return r;
}

static void fmt_value(const struct ef_lab *l, char *out, size_t size)
{
	const char *q = l->qual == EF_Q_LT ? "<" : l->qual == EF_Q_GT ? ">" : "";
	snprintf(out, size, "%s%g", q, l->value);
}

static void draw_header(struct app *a, struct chart_st *st, WINDOW *w)
{
	const struct ef_patient *p = &st->tl.patient;
	int cols = getmaxx(w);
	char birth[11];
	ef_date_format(p->birth, birth);
	int x = put_fmt(w, 0, 1, cols - 1, A_BOLD, "%s, %s", p->family_name, p->given_name);
	x += put_fmt(w, 0, 1 + x, cols - 1 - x, A_NORMAL, "   MRN %s   %s%s%d y (born %s)", p->mrn,
		     ef_sex_str(p->sex), p->sex != EF_SEX_UNKNOWN ? ", " : "",
		     p->birth != EF_NO_DAY ? ef_age_years(p->birth, a->today) : 0, birth);
	if (p->diagnosis[0])
		put_fmt(w, 1, 1, cols - 1, A_NORMAL, "Diagnosis: %s", p->diagnosis);
	else
		put_text(w, 1, 1, cols - 1, "Diagnosis: not recorded", tui_attr(R_DIM), 0);
	if (!st->tp) {
		put_text(w, 2, 1, cols - 1, "No transplant recorded on or before today.", tui_attr(R_WARNING), 0);
		return;
	}
	char d0[11], dn[16];
	ef_date_format(st->tp->day0, d0);
	fmt_day_n(st->tp->day0, a->today, dn, sizeof dn);
	x = put_fmt(w, 2, 1, cols - 1, A_BOLD, "Day %s", dn);
	/* a cellular therapy (CAR-T) is no HCT: say what day 0 is */
	const char *what = ef_hct_type_engrafts(st->tp->type) ? "HCT" : "Cell therapy";
	char ord[64] = "";
	if (st->tl.n_transplants > 1)
		snprintf(ord, sizeof ord, " (%d of %zu)", st->tp_index, st->tl.n_transplants);
	static const char *const graft[] = {"bone marrow", "PBSC", "cord blood"};
	static const char *const cond[] = {"", ", MAC", ", RIC", ", NMA"};
	const char *donor = ef_donor_str(st->tp->donor);
	put_fmt(w, 2, 1 + x, cols - 1 - x, A_NORMAL, "   %s %s%s  %s, %s%s%s%s", what, d0, ord, ef_hct_type_str(st->tp->type),
		(unsigned)st->tp->graft < 3 ? graft[st->tp->graft] : "", donor[0] ? ", donor " : "", donor,
		(unsigned)st->tp->conditioning < 4 ? cond[st->tp->conditioning] : "");
}

static void draw_status_lines(struct app *a, struct chart_st *st, struct pen *pn)
{
	WINDOW *w = pn->w;
	int cols = getmaxx(w), r;
	char d[11], dn[16];
	/* vital and follow-up status (vital.h): shown when it is news */
	struct ef_vital v;
	ef_vital_status(&st->tl, a->today, &v);
	if ((!v.in_care || v.relapse_on != EF_NO_DAY) && (r = row_of(pn)) >= 0) {
		put_text(w, r, 1, 14, "Status", A_BOLD, 0);
		int x = 16;
		if (v.deceased) {
			ef_date_format(v.deceased_on, d);
			x += put_fmt(w, r, x, cols - x, tui_attr(R_CRITICAL), "DECEASED %s", d);
		} else if (!v.in_care) {
			char why[64];
			x += put_fmt(w, r, x, cols - x, tui_attr(R_WARNING), "%s: not in care",
				     ef_vital_reason(&v, why, sizeof why));
		}
		if (v.relapse_on != EF_NO_DAY) {
			ef_date_format(v.relapse_on, d);
			x += put_text(w, r, x, cols - x, x > 16 ? "; " : "", A_NORMAL, 0);
			/* the advice is for patients in care; after a death or a
			 * transfer the date alone says it (and fits 80 columns) */
			put_fmt(w, r, x, cols - x, tui_attr(R_WARNING),
				v.in_care ? "relapse on %s: review the vaccination plan" : "relapse %s", d);
		}
	}
	/* engraftment: computed by the clinical core (engraftment.h) */
	if ((r = row_of(pn)) >= 0) {
		put_text(w, r, 1, 14, "Engraftment", A_BOLD, 0);
		int x = 16;
		if (!st->tp) {
			put_text(w, r, x, cols - x, "no transplant", tui_attr(R_DIM), 0);
		} else if (!st->eng.have) {
			put_text(w, r, x, cols - x, "not evaluated (reference data missing)", tui_attr(R_WARNING), 0);
		} else if (st->eng.e.not_engraftable) {
			put_text(w, r, x, cols - x, "not applicable (cellular therapy)", A_NORMAL, 0);
		} else {
			const struct ef_engraftment *e = &st->eng.e;
			const ef_day d0 = st->tp->day0;
			switch (e->status) {
			case EF_ENGRAFT_ENGRAFTED:
				ef_date_format(e->anc.date, d);
				fmt_day_n(d0, e->anc.date, dn, sizeof dn);
				x += put_fmt(w, r, x, cols - x, tui_attr(R_GOOD), "ANC engrafted day %s (%s)", dn, d);
				break;
			case EF_ENGRAFT_GRAFT_FAILURE:
				fmt_day_n(d0, e->anc_deadline, dn, sizeof dn);
				x += put_fmt(w, r, x, cols - x, tui_attr(R_CRITICAL), "ANC graft failure (none by day %s)", dn);
				break;
			case EF_ENGRAFT_NOT_APPLICABLE:
				x += put_text(w, r, x, cols - x, "ANC not applicable (never below threshold)", A_NORMAL, 0);
				break;
			default:
				fmt_day_n(d0, e->anc_deadline, dn, sizeof dn);
				x += put_fmt(w, r, x, cols - x, tui_attr(R_WARNING), "ANC pending (deadline day %s)", dn);
				break;
			}
			if (e->secondary_failure != EF_NO_DAY) {
				ef_date_format(e->secondary_failure, d);
				x += put_fmt(w, r, x, cols - x, tui_attr(R_CRITICAL), ", secondary failure from %s", d);
			}
			x += put_text(w, r, x, cols - x, "; ", A_NORMAL, 0);
			switch (e->plt_status) {
			case EF_PLT_ENGRAFTED:
				fmt_day_n(d0, e->plt.date, dn, sizeof dn);
				put_fmt(w, r, x, cols - x, tui_attr(R_GOOD), "PLT engrafted day %s", dn);
				break;
			case EF_PLT_DELAYED:
				put_text(w, r, x, cols - x, "PLT delayed", tui_attr(R_WARNING), 0);
				break;
			case EF_PLT_NOT_APPLICABLE:
				put_text(w, r, x, cols - x, "PLT not applicable", A_NORMAL, 0);
				break;
			default:
				put_text(w, r, x, cols - x, "PLT pending", A_NORMAL, 0);
				break;
			}
		}
	}
	/* GVHD */
	if ((r = row_of(pn)) >= 0) {
		put_text(w, r, 1, 14, "GVHD", A_BOLD, 0);
		int x = 16;
		const struct ef_gvhd_acute *ac = ef_latest_acute(&st->tl, EF_NO_DAY);
		const struct ef_gvhd_chronic *ch = ef_latest_chronic(&st->tl, EF_NO_DAY);
		if (!ac && !ch)
			put_text(w, r, x, cols - x, "no assessment recorded", tui_attr(R_DIM), 0);
		if (ac) {
			enum ef_agvhd_grade g = ef_agvhd_grade_of(ac);
			ef_date_format(ac->day, d);
			fmt_day_n(st->tp ? st->tp->day0 : EF_NO_DAY, ac->day, dn, sizeof dn);
			x += put_fmt(w, r, x, cols - x, gvhd_attr(st->ref ? ef_agvhd_class(st->ref, g) : EF_GVHD_PRESENT, A_NORMAL),
				     "acute grade %s", ef_agvhd_grade_str(g));
			x += put_fmt(w, r, x, cols - x, A_NORMAL, " (%s, day %s)   ", d, dn);
		}
		if (ch) {
			enum ef_cgvhd_severity sv = ef_cgvhd_severity_of(ch);
			ef_date_format(ch->day, d);
			x += put_fmt(w, r, x, cols - x, gvhd_attr(st->ref ? ef_cgvhd_class(st->ref, sv) : EF_GVHD_PRESENT, A_NORMAL),
				     "chronic %s", ef_cgvhd_severity_str(sv));
			put_fmt(w, r, x, cols - x, A_NORMAL, " (%s)", d);
		}
	}
	/* immunosuppression */
	if ((r = row_of(pn)) >= 0) {
		put_text(w, r, 1, 14, "Immunosupp.", A_BOLD, 0);
		int x = 16, ongoing = 0;
		const struct ef_immunosuppression *last = NULL;
		for (size_t i = 0; i < st->tl.n_is; i++) {
			const struct ef_immunosuppression *c = &st->tl.is[i];
			if (c->stop == EF_NO_DAY) {
				ef_date_format(c->start, d);
				x += put_fmt(w, r, x, cols - x, A_NORMAL, "%s%s since %s", ongoing ? ", " : "", c->drug, d);
				ongoing++;
			} else if (!last || c->stop > last->stop) {
				last = c;
			}
		}
		if (!ongoing && last) {
			ef_date_format(last->stop, d);
			put_fmt(w, r, x, cols - x, A_NORMAL, "none ongoing; %s stopped %s", last->drug, d);
		} else if (!ongoing) {
			put_text(w, r, x, cols - x, "none recorded", tui_attr(R_DIM), 0);
		}
	}
	/* IVIG and vaccinations */
	if ((r = row_of(pn)) >= 0) {
		put_text(w, r, 1, 14, "IVIG", A_BOLD, 0);
		int x = 16;
		const struct ef_ivig *iv = NULL;
		for (size_t i = 0; i < st->tl.n_ivig; i++)
			if (!iv || st->tl.ivig[i].day >= iv->day)
				iv = &st->tl.ivig[i];
		if (iv) {
			ef_date_format(iv->day, d);
			x += put_fmt(w, r, x, cols - x, A_NORMAL, "last %s", d);
			if (iv->dose_g > 0)
				x += put_fmt(w, r, x, cols - x, A_NORMAL, " (%g g)", iv->dose_g);
			x += put_fmt(w, r, x, cols - x, A_NORMAL, ", %zu dose%s   ", st->tl.n_ivig, st->tl.n_ivig == 1 ? "" : "s");
		} else {
			x += put_text(w, r, x, cols - x, "none recorded   ", tui_attr(R_DIM), 0);
		}
		size_t since = 0;
		for (size_t i = 0; i < st->tl.n_doses; i++)
			if (st->tp && st->tl.doses[i].day >= st->tp->day0)
				since++;
		(void)a;
		put_fmt(w, r, x, cols - x, A_NORMAL, "Vaccine doses since day 0: %zu (v: worklist)", since);
	}
	/* the follow-up plan: screening and registry forms (f: the plan) */
	if (st->fu.have && (r = row_of(pn)) >= 0) {
		put_text(w, r, 1, 14, "Follow-up", A_BOLD, 0);
		int x = 16;
		if (st->fu.overdue)
			x += put_fmt(w, r, x, cols - x, tui_attr(R_OVERDUE), "%d overdue", st->fu.overdue);
		if (st->fu.due)
			x += put_fmt(w, r, x, cols - x, tui_attr(R_DUE), "%s%d due", st->fu.overdue ? ", " : "", st->fu.due);
		if (!st->fu.overdue && !st->fu.due)
			x += put_text(w, r, x, cols - x, "nothing due", tui_attr(R_DIM), 0);
		if (st->fu.next[0])
			x += put_fmt(w, r, x, cols - x, A_NORMAL, "; next %s", st->fu.next);
		put_text(w, r, x, cols - x, " (f: plan)", tui_attr(R_DIM), 0);
	}
}

/* The result's flag against the site's lab-test limits (labref.h): L, H,
 * or LL / HH beyond a critical limit, coloured by role; the code itself
 * says it where there is no colour (NO_COLOR). */
static void draw_flag(WINDOW *w, int r, int x, const struct chart_st *st, const struct ef_lab *l)
{
	enum ef_lab_flag f = ef_lab_flag_of(st->ref, l->test, l->qual, l->value);
	if (f == EF_FLAG_NONE)
		return;
	put_text(w, r, x, 4, ef_lab_flag_code(f), tui_attr(ef_lab_flag_critical(f) ? R_CRITICAL : R_LOW), 0);
}

static void draw_alerts(struct app *a, struct chart_st *st, struct pen *pn)
{
	WINDOW *w = pn->w;
	int cols = getmaxx(w), r;
	char t[64];
	snprintf(t, sizeof t, "Open alerts (%zu)", st->n_alerts);
	if ((r = row_of(pn)) >= 0)
		draw_rule(w, r, t, a->utf8);
	if (st->n_alerts == 0 && (r = row_of(pn)) >= 0)
		put_text(w, r, 2, cols - 2, "None.", tui_attr(R_DIM), 0);
	const size_t show = st->n_alerts > 4 ? 3 : st->n_alerts;
	for (size_t i = 0; i < show; i++) {
		const struct store_alert *al = &st->alerts[i];
		if ((r = row_of(pn)) < 0)
			continue;
		put_text(w, r, 1, 9, ef_severity_str(al->severity), tui_attr(tui_severity_role(al->severity)), 0);
		int x = 10 + put_fmt(w, r, 10, cols - 10, A_BOLD, "%s %s", al->rule, al->subject);
		put_fmt(w, r, x, cols - x, A_NORMAL, "  %s", al->message);
	}
	if (show < st->n_alerts && (r = row_of(pn)) >= 0)
		put_fmt(w, r, 2, cols - 2, tui_attr(R_DIM), "... and %zu more: press a for this patient's alerts",
			st->n_alerts - show);
}

static void draw_counts(struct app *a, struct chart_st *st, struct pen *pn)
{
	WINDOW *w = pn->w;
	int cols = getmaxx(w), r;
	if ((r = row_of(pn)) >= 0)
		draw_rule(w, r, st->tp ? "Latest results since day 0" : "Latest results", a->utf8);
	if (st->n_counts == 0) {
		if ((r = row_of(pn)) >= 0)
			put_text(w, r, 2, cols - 2, "No results yet. Press l to enter one.", tui_attr(R_DIM), 0);
		return;
	}
	const int c_test = 1, c_val = 7, c_unit = 17, c_date = 27, c_day = 44, c_n = 51, c_flag = 55, c_trend = 60;
	if ((r = row_of(pn)) >= 0) {
		attr_t ha = tui_attr(R_HEADER);
		fill_line(w, r, ha);
		put_text(w, r, c_test, 6, "Test", ha, 0);
		put_text(w, r, c_val, 9, "Value", ha, 0);
		put_text(w, r, c_unit, 9, "Unit", ha, 0);
		put_text(w, r, c_date, 16, "Collected", ha, 0);
		put_text(w, r, c_day, 6, "Day", ha, 0);
		put_text(w, r, c_n, 4, "N", ha, 0);
		put_text(w, r, c_flag, 4, "Flag", ha, 0);
		put_fmt(w, r, c_trend, cols - c_trend, ha, "Trend %d d (t)", SPARK_DAYS);
	}
	for (int i = 0; i < st->n_counts; i++) {
		const struct count_row *c = &st->counts[i];
		if ((r = row_of(pn)) < 0)
			continue;
		char v[48], d[11], dn[16], spark[256 * 3 + 1];
		fmt_value(c->latest, v, sizeof v);
		ef_date_format(c->latest->day, d);
		fmt_day_n(st->tp ? st->tp->day0 : EF_NO_DAY, c->latest->day, dn, sizeof dn);
		put_text(w, r, c_test, 6, ef_test_code(c->test), A_BOLD, 0);
		put_text(w, r, c_val, 9, v, A_NORMAL, 0);
		put_text(w, r, c_unit, 9, ef_test_canonical_unit(c->test), tui_attr(R_DIM), 0);
		if (c->latest->secs >= 0)
			put_fmt(w, r, c_date, 16, A_NORMAL, "%s %02d:%02d", d, c->latest->secs / 3600, c->latest->secs / 60 % 60);
		else
			put_text(w, r, c_date, 16, d, A_NORMAL, 0);
		put_text(w, r, c_day, 6, dn, A_NORMAL, 0);
		put_fmt(w, r, c_n, 4, A_NORMAL, "%d", c->n);
		draw_flag(w, r, c_flag, st, c->latest);
		if (c->n_trend == 0) {
			put_fmt(w, r, c_trend, cols - c_trend, tui_attr(R_DIM), "none in %d d", SPARK_DAYS);
			continue;
		}
		sparkline(c->trend, c->trend_day, c->n_trend, a->today - (SPARK_DAYS - 1), a->today, cols - c_trend - 1,
			  a->utf8, spark, sizeof spark);
		put_text(w, r, c_trend, cols - c_trend, spark, tui_attr(R_INFO), 0);
	}
}

/* Each immune milestone of milestones.csv that applies to the transplant:
 * met (the result that met it), pending (due by the window's last day) or
 * missed (since when, and the last value), as the rule decides
 * (milestones.h: IMMUNE_MILESTONE_MISSED asks the same function). */
static void draw_milestones(struct app *a, struct chart_st *st, struct pen *pn)
{
	WINDOW *w = pn->w;
	int cols = getmaxx(w), r;
	if (!st->tp || !st->ref || st->ref->n_milestones == 0)
		return;
	if ((r = row_of(pn)) >= 0)
		draw_rule(w, r, "Immune milestones", a->utf8);
	const ef_day d0 = st->tp->day0;
	int shown = 0;
	for (size_t i = 0; i < st->ref->n_milestones; i++) {
		const struct ef_milestone *m = &st->ref->milestones[i];
		struct ef_ms_status ms;
		struct ef_err err;
		if (ef_milestone_eval(&st->tl, st->tp, m, a->today, &ms, &err) != EF_OK) {
			if ((r = row_of(pn)) >= 0)
				put_text(w, r, 2, cols - 2, err.msg, tui_attr(R_STATUS_ERROR), 0);
			continue;
		}
		if (ms.state == EF_MS_NOT_APPLICABLE)
			continue;
		shown++;
		if ((r = row_of(pn)) < 0)
			continue;
		char thr[40], val[48], d[11], dn[16];
		ef_decimal_format(m->threshold, thr, sizeof thr);
		int x = 1 + put_text(w, r, 1, 12, m->id, A_BOLD, 0);
		x = x < 13 ? 13 : x + 1;
		x += put_fmt(w, r, x, cols - x, A_NORMAL, "%s %s %s %s  ", ef_test_code(m->test), ef_cmp_str(m->cmp), thr,
			     ef_test_canonical_unit(m->test));
		if (ms.day != EF_NO_DAY) {
			char num[40];
			ef_decimal_format(ms.value, num, sizeof num);
			snprintf(val, sizeof val, "%s%s", ms.qual == EF_Q_LT ? "<" : ms.qual == EF_Q_GT ? ">" : "", num);
			ef_date_format(ms.day, d);
			fmt_day_n(d0, ms.day, dn, sizeof dn);
		}
		switch (ms.state) {
		case EF_MS_MET:
			put_fmt(w, r, x, cols - x, tui_attr(R_GOOD), "met: %s on day %s (%s)", val, dn, d);
			break;
		case EF_MS_MISSED:
			if (ms.day == EF_NO_DAY) {
				/* missed since the window's last day: the window says it */
				put_fmt(w, r, x, cols - x, tui_attr(R_WARNING), "missed: no result in day +%d..+%d",
					m->window_start, m->window_end);
			} else {
				put_fmt(w, r, x, cols - x, tui_attr(R_WARNING), "missed since day %s: last %s%s (%s)", dn, val,
					ms.undecidable ? ", undecidable" : "", d);
			}
			break;
		default:
			fmt_day_n(d0, ms.hi, dn, sizeof dn);
			if (ms.open)
				put_fmt(w, r, x, cols - x, A_NORMAL, "pending: due by day %s", dn);
			else
				put_fmt(w, r, x, cols - x, tui_attr(R_DIM), "pending: due by day %s (from day +%d)", dn,
					m->window_start);
			break;
		}
	}
	if (!shown && (r = row_of(pn)) >= 0)
		put_text(w, r, 2, cols - 2, "None for this transplant type.", tui_attr(R_DIM), 0);
}

static const char *product_label(enum ef_product p)
{
	static const char *const names[] = {"platelets", "red cells", "plasma", "granulocytes"};
	return (unsigned)p < EF_PROD_COUNT ? names[p] : "";
}

/* Immunosuppression courses, IVIG doses and transfusions (the timeline:
 * rows entered in error are left out), newest first. */
static void draw_treatments(struct app *a, struct chart_st *st, struct pen *pn)
{
	WINDOW *w = pn->w;
	int cols = getmaxx(w), r;
	const ef_day d0 = st->tp ? st->tp->day0 : EF_NO_DAY;
	char t[64], d[11], e[11], dn[16];
	snprintf(t, sizeof t, "Immunosuppression (%zu)", st->tl.n_is);
	if ((r = row_of(pn)) >= 0)
		draw_rule(w, r, t, a->utf8);
	if (st->tl.n_is == 0 && (r = row_of(pn)) >= 0)
		put_text(w, r, 2, cols - 2, "None recorded.", tui_attr(R_DIM), 0);
	for (size_t k = st->tl.n_is; k-- > 0;) {
		const struct ef_immunosuppression *c = &st->tl.is[k];
		if ((r = row_of(pn)) < 0)
			continue;
		ef_date_format(c->start, d);
		fmt_day_n(d0, c->start, dn, sizeof dn);
		int x = 1 + put_text(w, r, 1, 20, c->drug, A_BOLD, 0);
		x = x < 22 ? 22 : x + 1;
		x += put_fmt(w, r, x, cols - x, A_NORMAL, "started %s (day %s)", d, dn);
		if (c->stop == EF_NO_DAY) {
			put_text(w, r, x, cols - x, ", ongoing", tui_attr(R_WARNING), 0);
		} else {
			ef_date_format(c->stop, e);
			fmt_day_n(d0, c->stop, dn, sizeof dn);
			put_fmt(w, r, x, cols - x, A_NORMAL, ", stopped %s (day %s)", e, dn);
		}
	}
	snprintf(t, sizeof t, "IVIG (%zu)", st->tl.n_ivig);
	if ((r = row_of(pn)) >= 0)
		draw_rule(w, r, t, a->utf8);
	if (st->tl.n_ivig == 0 && (r = row_of(pn)) >= 0)
		put_text(w, r, 2, cols - 2, "None recorded.", tui_attr(R_DIM), 0);
	for (size_t k = st->tl.n_ivig; k-- > 0;) {
		const struct ef_ivig *iv = &st->tl.ivig[k];
		if ((r = row_of(pn)) < 0)
			continue;
		ef_date_format(iv->day, d);
		fmt_day_n(d0, iv->day, dn, sizeof dn);
		int x = 1 + put_fmt(w, r, 1, cols - 1, A_NORMAL, "%s  day %-6s", d, dn);
		if (iv->dose_g >= 0) {
			char g[40];
			ef_decimal_format(iv->dose_g, g, sizeof g);
			put_fmt(w, r, x, cols - x, A_NORMAL, "%s g", g);
		} else {
			put_text(w, r, x, cols - x, "dose not recorded", tui_attr(R_DIM), 0);
		}
	}
	snprintf(t, sizeof t, "Transfusions (%zu)", st->tl.n_transfusions);
	if ((r = row_of(pn)) >= 0)
		draw_rule(w, r, t, a->utf8);
	if (st->tl.n_transfusions == 0 && (r = row_of(pn)) >= 0)
		put_text(w, r, 2, cols - 2, "None recorded.", tui_attr(R_DIM), 0);
	for (size_t k = st->tl.n_transfusions; k-- > 0;) {
		const struct ef_transfusion *tf = &st->tl.transfusions[k];
		if ((r = row_of(pn)) < 0)
			continue;
		ef_date_format(tf->day, d);
		fmt_day_n(d0, tf->day, dn, sizeof dn);
		put_fmt(w, r, 1, cols - 1, A_NORMAL, "%s  day %-6s%s", d, dn, product_label(tf->product));
	}
}

static const char *kind_label(enum store_kind k)
{
	switch (k) {
	case STORE_K_LABS:
		return "lab";
	case STORE_K_VACCINATIONS:
		return "dose";
	case STORE_K_TRANSFUSIONS:
		return "blood";
	case STORE_K_IMMUNOSUPPRESSION:
		return "IS";
	case STORE_K_IVIG:
		return "IVIG";
	default:
		return "GVHD";
	}
}

/* The patient's records; one entered in error is dimmed and says why. */
static void draw_records(struct app *a, struct chart_st *st, struct pen *pn)
{
	WINDOW *w = pn->w;
	int cols = getmaxx(w), r;
	char t[96];
	snprintf(t, sizeof t, "Records (%d%s, newest first; x: entered in error)", st->n_recs,
		 st->more_recs ? "+" : "");
	if ((r = row_of(pn)) >= 0)
		draw_rule(w, r, t, a->utf8);
	st->rec_line0 = pn->y;
	if (st->n_recs == 0 && (r = row_of(pn)) >= 0)
		put_text(w, r, 2, cols - 2, "None.", tui_attr(R_DIM), 0);
	/* the date column: wide enough for a time with seconds (never cut) */
	int onw = 16;
	for (int i = 0; i < st->n_recs; i++)
		if (text_width(st->recs[i].on) > onw)
			onw = text_width(st->recs[i].on);
	for (int i = 0; i < st->n_recs; i++) {
		const struct browse_record *b = &st->recs[i];
		if ((r = row_of(pn)) < 0)
			continue;
		int sel = i == st->cur;
		attr_t ra = sel ? tui_attr(R_SELECTED) : b->eie[0] ? A_DIM : A_NORMAL;
		fill_line(w, r, sel ? ra : A_NORMAL);
		int x = 1 + put_text(w, r, 1, onw, b->on, ra, 0);
		x = x < onw + 2 ? onw + 2 : x;
		x += put_fmt(w, r, x, cols - x, ra, "%-5s%s", kind_label(b->kind), b->what);
		if (b->eie[0])
			put_fmt(w, r, x, cols - x, ra | (sel ? 0 : tui_attr(R_DIM)), "  [error: %s]", b->eie);
	}
}

static void chart_draw_once(struct app *a, struct chart_st *st, WINDOW *w)
{
	draw_header(a, st, w);
	struct pen pn = {w, 0, 3, st->scroll};
	draw_status_lines(a, st, &pn);
	draw_alerts(a, st, &pn);
	draw_counts(a, st, &pn);
	draw_milestones(a, st, &pn);
	draw_treatments(a, st, &pn);
	draw_records(a, st, &pn);
	st->lines = pn.y;
}

static void chart_draw(struct app *a, struct screen *s, WINDOW *w)
{
	struct chart_st *st = s->st;
	chart_draw_once(a, st, w);
	/* after a resize (or a reload with fewer lines) the old scroll may
	 * be past the end: a chart that now fits shows from the top */
	int max = st->lines - (getmaxy(w) - 3);
	if (max < 0)
		max = 0;
	if (st->scroll > max) {
		st->scroll = max;
		werase(w);
		chart_draw_once(a, st, w);
	}
	if (!st->follow || st->cur < 0)
		return;
	/* keep the selected record in view: scroll, then draw again */
	st->follow = 0;
	int avail = getmaxy(w) - 3, line = st->rec_line0 + st->cur, scroll = st->scroll;
	if (avail < 1)
		return;
	if (line < scroll)
		scroll = line;
	else if (line >= scroll + avail)
		scroll = line - avail + 1;
	if (scroll != st->scroll) {
		st->scroll = scroll;
		werase(w);
		chart_draw_once(a, st, w);
	}
}

static enum action chart_key(struct app *a, struct screen *s, int key, enum cmd cmd)
{
	(void)key;
	struct chart_st *st = s->st;
	int page = getmaxy(a->body) - 4;
	if (page < 1)
		page = 1;
	int max = st->lines - page;
	if (max < 0)
		max = 0;
	switch (cmd) {
	case CMD_TREND:
		memset(&a->req, 0, sizeof a->req);
		a->req.ops = &trend_ops;
		a->req.patient_id = s->patient_id;
		return ACTION_PUSH;
	case CMD_AUDIT:
		memset(&a->req, 0, sizeof a->req);
		a->req.ops = &history_ops;
		a->req.patient_id = s->patient_id;
		return ACTION_PUSH;
	case CMD_LAB:
	case CMD_GVHD:
	case CMD_STATUS:
		memset(&a->req, 0, sizeof a->req);
		a->req.ops = cmd == CMD_LAB ? &labform_ops : cmd == CMD_GVHD ? &gvhdform_ops : &statusform_ops;
		a->req.patient_id = s->patient_id;
		return ACTION_PUSH;
	case CMD_TRANSPLANT:
	case CMD_IS:
	case CMD_IVIG:
	case CMD_TRANSFUSION:
		memset(&a->req, 0, sizeof a->req);
		a->req.ops = cmd == CMD_TRANSPLANT ? &transplantform_ops : cmd == CMD_IS ? &isform_ops
			   : cmd == CMD_IVIG ? &ivigform_ops : &transfusionform_ops;
		a->req.patient_id = s->patient_id;
		return ACTION_PUSH;
	case CMD_UP:
		if (st->cur > 0) {
			st->cur--;
			st->follow = 1;
			return ACTION_REDRAW;
		}
		st->cur = -1;
		st->scroll = st->scroll > 0 ? st->scroll - 1 : 0;
		return ACTION_REDRAW;
	case CMD_DOWN:
		if (st->cur + 1 < st->n_recs) {
			st->cur++;
			st->follow = 1;
			return ACTION_REDRAW;
		}
		st->scroll = st->scroll < max ? st->scroll + 1 : max;
		return ACTION_REDRAW;
	case CMD_MARK_ERROR: {
		if (st->cur < 0 || st->cur >= st->n_recs) {
			tui_msg(a, MSG_NO_SELECTION);
			return ACTION_NONE;
		}
		const struct browse_record *b = &st->recs[st->cur];
		if (b->eie[0]) {
			tui_msg(a, MSG_ALREADY_MARKED, b->eie);
			return ACTION_NONE;
		}
		memset(&a->req, 0, sizeof a->req);
		a->req.ops = &eieform_ops;
		a->req.patient_id = s->patient_id;
		a->req.arg = (int)b->kind;
		a->req.id = b->id;
		snprintf(a->req.what, sizeof a->req.what, "%s %s %s", kind_label(b->kind), b->what, b->on);
		return ACTION_PUSH;
	}
	case CMD_PAGE_UP:
		st->scroll = st->scroll > page ? st->scroll - page : 0;
		return ACTION_REDRAW;
	case CMD_PAGE_DOWN:
		st->scroll = st->scroll + page < max ? st->scroll + page : max;
		return ACTION_REDRAW;
	case CMD_HOME:
		st->cur = -1;
		st->scroll = 0;
		return ACTION_REDRAW;
	case CMD_END:
		if (st->n_recs > 0) {
			st->cur = st->n_recs - 1;
			st->follow = 1;
		} else {
			st->scroll = max;
		}
		return ACTION_REDRAW;
	default:
		return ACTION_PASS;
	}
}

const struct screen_ops chart_ops = {
	.name = "Chart",
	.about = "One patient as of today: day +N since the latest transplant, engraftment, GVHD, "
		 "the latest result of each test since day 0 with its flag (L/H, LL/HH beyond a critical "
		 "limit: the site's lab_tests.csv) and a sparkline of the last 60 days (blank: no value; t "
		 "shows a count's whole series), the immune milestones (met, pending, missed), "
		 "immunosuppression, IVIG, transfusions and open alerts. l enters a lab result, g a GVHD "
		 "assessment, s a vital or follow-up status (deceased, transferred or lost: no alerts, no "
		 "worklist; a relapse: review the vaccination plan); v and a show this patient's vaccinations "
		 "and alerts. Then the records (labs, doses, GVHD assessments), newest first: Down/Up select "
		 "one, x marks it entered in error (reason required): it stays, dimmed, and counts for "
		 "nothing; the rules re-run at once.",
	.open = chart_open,
	.load = chart_load,
	.draw = chart_draw,
	.key = chart_key,
	.close = chart_close,
	.help = keys,
};

/* ---- mark a record entered in error ---- */

enum { E_REASON = 0, E_N };

static const struct fspec eie_spec[E_N] = {
	[E_REASON] = {"Reason", 40, F_TEXT, "required, e.g. wrong patient", STORE_EIE_MAX},
};

struct eie_st {
	struct fform f;
	int shown[E_N];
	enum store_kind kind;
	int64_t id;
	char what[200];
	char reason[4 * STORE_EIE_MAX + 1];
};

static int eie_validate(struct eie_st *st)
{
	struct fform *f = &st->f;
	f->err[E_REASON][0] = '\0';
	fform_get(f, E_REASON, st->reason, sizeof st->reason);
	if (!st->reason[0])
		snprintf(f->err[E_REASON], sizeof f->err[0], "required: why it was entered in error");
	else if (strlen(st->reason) > STORE_EIE_MAX)
		snprintf(f->err[E_REASON], sizeof f->err[0], "too long (%zu bytes, at most %d)", strlen(st->reason),
			 STORE_EIE_MAX);
	int bad = f->err[E_REASON][0] != '\0';
	if (!st->shown[E_REASON])
		f->err[E_REASON][0] = '\0';
	return bad;
}

static int eie_open(struct app *a, struct screen *s, const struct request *rq)
{
	struct eie_st *st = fform_screen_open(a, s, rq, sizeof *st);
	if (!st)
		return EF_DB;
	st->kind = (enum store_kind)rq->arg;
	st->id = rq->id;
	snprintf(st->what, sizeof st->what, "%s", rq->what);
	if (fform_init(&st->f, eie_spec, E_N))
		return ef_errf(&a->err, EF_DB, "cannot build the form");
	struct ef_patient p;
	int rc = store_patient_get(a->s, rq->patient_id, &p, &a->err);
	if (rc)
		return rc;
	fmt_patient(&p, s->title, sizeof s->title);
	char record[48];
	snprintf(record, sizeof record, "%d:%lld", (int)st->kind, (long long)st->id);
	tui_draft_slot(s, "entered-in-error", "entered-in-error form", rq->patient_id, p.mrn, record);
	return EF_OK;
}

static void eie_layout(struct app *a, struct screen *s, WINDOW *w)
{
	(void)a;
	fform_screen_layout_at(s, w, 4);
}

static void eie_draw(struct app *a, struct screen *s, WINDOW *body)
{
	struct eie_st *st = s->st;
	struct fform *f = &st->f;
	if (fform_too_small(f, body, "this form"))
		return;
	int cols = getmaxx(f->win);
	eie_validate(st);
	put_text(f->win, 0, 1, cols - 1, "Mark a record entered in error (it stays, and counts for nothing)", A_BOLD, 0);
	put_text(f->win, 1, 1, cols - 1, st->what, A_NORMAL, 0);
	fform_draw(f, a->utf8);
}

static enum action eie_save(struct app *a, struct screen *s)
{
	struct eie_st *st = s->st;
	st->shown[E_REASON] = 1;
	if (eie_validate(st)) {
		tui_msg(a, MSG_FORM_INVALID, 1, "");
		return ACTION_REDRAW;
	}
	struct app_env env;
	struct app_saved saved;
	if (tui_env(a, &env) ||
	    app_mark_entered_in_error(&env, s->patient_id, st->kind, st->id, st->reason, &saved, &a->err)) {
		tui_msg_err(a, &a->err);
		return ACTION_REDRAW;
	}
	char rules[200];
	tui_alerts_summary(&saved, rules, sizeof rules);
	st->f.dirty = 0;
	tui_msg(a, MSG_MARKED, st->what, rules);
	return ACTION_POP;
}

static enum action eie_key(struct app *a, struct screen *s, int key, enum cmd cmd)
{
	(void)a;
	struct eie_st *st = s->st;
	return fform_screen_key(&st->f, st->shown, key, cmd);
}

const struct screen_ops eieform_ops = {
	.name = "Entered in error",
	.about = "Mark the selected record (a lab result, a dose, a GVHD assessment) entered in error: "
		 "say why (required, up to 200 bytes). The record is kept, shown dimmed with the reason "
		 "on the chart and exported with it; engraftment, GVHD, the vaccine forecast and every "
		 "rule ignore it, and the patient's rules re-run at once. F2 or Ctrl-S saves; Esc "
		 "leaves without marking.",
	.open = eie_open,
	.draw = eie_draw,
	.key = eie_key,
	.save = eie_save,
	.dirty = fform_screen_dirty,
	.layout = eie_layout,
	.close = fform_screen_close,
	.help = form_keys,
};
