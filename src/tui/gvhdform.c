/* gvhdform.c - a GVHD assessment: acute (MAGIC organ stages) or chronic (NIH
 * organ scores). The overall grade / global severity is computed by gvhd.h
 * and shown live as the stages change; it is stored with the assessment,
 * never typed. Saved with store_put_gvhd_acute / store_put_gvhd_chronic. */
#include <stdlib.h>
#include <string.h>

#include "engraft/gvhd.h"
#include "tui_int.h"

enum { F_DATE = 0, F_KIND = 1, F_FIRST = 2 };
enum { ACUTE = 0, CHRONIC = 1 };

static const struct fspec acute_spec[] = {
	{"Assessed", 10, F_TEXT, "YYYY-MM-DD"},
	{"Kind", 8, F_CHOICE, "Left/Right: acute (MAGIC) or chronic (NIH)"},
	{"Skin", 1, F_DIGIT, "stage 0-4"},
	{"Liver", 1, F_DIGIT, "stage 0-4"},
	{"Upper GI", 1, F_DIGIT, "stage 0-1"},
	{"Lower GI", 1, F_DIGIT, "stage 0-4"},
};
static const int acute_max[] = {EF_AGVHD_MAX_STAGE, EF_AGVHD_MAX_STAGE, EF_AGVHD_MAX_UPPER_GI, EF_AGVHD_MAX_STAGE};

static const struct fspec chronic_spec[] = {
	{"Assessed", 10, F_TEXT, "YYYY-MM-DD"},
	{"Kind", 8, F_CHOICE, "Left/Right: acute (MAGIC) or chronic (NIH)"},
	{"Skin", 1, F_DIGIT, "score 0-3"},
	{"Mouth", 1, F_DIGIT, "score 0-3"},
	{"Eyes", 1, F_DIGIT, "score 0-3"},
	{"GI tract", 1, F_DIGIT, "score 0-3"},
	{"Liver", 1, F_DIGIT, "score 0-3"},
	{"Lungs", 1, F_DIGIT, "score 0-3 (lung score weighs more)"},
	{"Joints", 1, F_DIGIT, "score 0-3"},
	{"Genital", 1, F_DIGIT, "score 0-3"},
};
#define N_ACUTE ((int)NELEM(acute_spec))
#define N_CHRONIC ((int)NELEM(chronic_spec))
#define LUNGS_INDEX 5

static const char *const kinds[] = {"acute", "chronic", NULL};

struct gvhd_st {
	struct fform f;
	int kind;
	struct ef_patient pat;
	WINDOW *body;
	int shown[FORM_MAX_FIELDS];
	int dirty;               /* across kind switches */
	/* validated */
	char on[16];
	ef_day day;
	int v[8];
	int valid;
};

static int build(struct gvhd_st *st, int kind, const char *date)
{
	fform_free(&st->f);
	st->kind = kind;
	if (fform_init(&st->f, kind == ACUTE ? acute_spec : chronic_spec, kind == ACUTE ? N_ACUTE : N_CHRONIC))
		return -1;
	fform_set(&st->f, F_DATE, date);
	fform_set_choices(&st->f, F_KIND, kinds, kind);
	for (int i = F_FIRST; i < st->f.n; i++)
		fform_set(&st->f, i, "0");
	memset(st->shown, 0, sizeof st->shown);
	return 0;
}

/* Check every field; errors of fields not yet left stay hidden. Returns the
 * number of problems; st->valid when the grade can be computed. */
static int validate(struct app *a, struct gvhd_st *st)
{
	struct fform *f = &st->f;
	int bad = 0, stages_ok = 1;
	for (int i = 0; i < f->n; i++)
		f->err[i][0] = '\0';
	fform_get(f, F_DATE, st->on, sizeof st->on);
	if (!st->on[0])
		snprintf(f->err[F_DATE], sizeof f->err[0], "required: the assessment date");
	else if (ef_date_parse(st->on, strlen(st->on), &st->day))
		snprintf(f->err[F_DATE], sizeof f->err[0], "not a real date (YYYY-MM-DD)");
	else if (st->day > a->today)
		snprintf(f->err[F_DATE], sizeof f->err[0], "in the future");
	else if (st->pat.birth != EF_NO_DAY && st->day < st->pat.birth)
		snprintf(f->err[F_DATE], sizeof f->err[0], "before the birth date");
	for (int i = F_FIRST; i < f->n; i++) {
		char b[8];
		fform_get(f, i, b, sizeof b);
		int max = st->kind == ACUTE ? acute_max[i - F_FIRST] : EF_CGVHD_MAX_SCORE;
		if (b[0] >= '0' && b[0] <= '9' && b[1] == '\0' && b[0] - '0' <= max) {
			st->v[i - F_FIRST] = b[0] - '0';
		} else {
			snprintf(f->err[i], sizeof f->err[0], "'%s' is not a %s from 0 to %d", b,
				 st->kind == ACUTE ? "stage" : "score", max);
			stages_ok = 0;
		}
	}
	for (int i = 0; i < f->n; i++) {
		if (f->err[i][0]) {
			bad++;
			if (!st->shown[i] && i < F_FIRST)
				f->err[i][0] = '\0';
		}
	}
	st->valid = stages_ok;
	return bad;
}

static const char *computed(struct gvhd_st *st)
{
	if (!st->valid)
		return NULL;
	if (st->kind == ACUTE)
		return ef_agvhd_grade_str(ef_agvhd_grade(st->v[0], st->v[1], st->v[2], st->v[3]));
	return ef_cgvhd_severity_str(ef_cgvhd_severity(st->v, LUNGS_INDEX));
}

static int gvhd_open(struct app *a, struct screen *s, const struct request *rq)
{
	struct gvhd_st *st = fform_screen_open(a, s, rq, sizeof *st);
	if (!st)
		return EF_DB;
	int rc = store_patient_get(a->s, rq->patient_id, &st->pat, &a->err);
	if (rc)
		return rc;
	if (!tui_reference(a)) /* the site's severe grades colour the result; loaded here, not in draw */
		return EF_DB;
	char today[11];
	ef_date_format(a->today, today);
	if (build(st, rq->arg == CHRONIC ? CHRONIC : ACUTE, today))
		return ef_errf(&a->err, EF_DB, "cannot build the form");
	fmt_patient(&st->pat, s->title, sizeof s->title);
	tui_draft_slot(s, rq->arg == CHRONIC ? "gvhd-chronic" : "gvhd-acute", "GVHD form", rq->patient_id,
		       st->pat.mrn, NULL);
	return EF_OK;
}

/* A draft of the other kind (switched on the form) rebuilds the form first. */
static int gvhd_restore(struct app *a, struct screen *s, const struct app_draft *d)
{
	(void)a;
	struct gvhd_st *st = s->st;
	if (d->n <= F_KIND)
		return -1;
	int kind = strcmp(d->field[F_KIND], kinds[CHRONIC]) == 0 ? CHRONIC : ACUTE;
	if (d->n != (kind == CHRONIC ? N_CHRONIC : N_ACUTE))
		return -1; /* nothing changed on the form */
	if (kind != st->kind && build(st, kind, d->field[F_DATE]))
		return -1;
	return fform_restore(&st->f, d);
}

static void gvhd_layout(struct app *a, struct screen *s, WINDOW *w)
{
	(void)a;
	struct gvhd_st *st = s->st;
	st->body = w;
	fform_screen_layout_at(s, w, 2);
}


static void gvhd_draw(struct app *a, struct screen *s, WINDOW *body)
{
	struct gvhd_st *st = s->st;
	struct fform *f = &st->f;
	if (fform_too_small(f, body, "the GVHD form"))
		return;
	WINDOW *w = f->win;
	int cols = getmaxx(w);
	validate(a, st);
	put_fmt(w, 0, 1, cols - 1, A_BOLD, "GVHD assessment for %s, %s (MRN %s)", st->pat.family_name,
		st->pat.given_name, st->pat.mrn);
	int y = f->y0 + f->n + 2;
	fill_line(w, y, A_NORMAL);
	fill_line(w, y + 1, A_NORMAL);
	const char *g = computed(st);
	int x = put_text(w, y, 2, cols - 2,
			 st->kind == ACUTE ? "Overall grade (MAGIC): " : "Global severity (NIH 2014): ", A_BOLD, 0);
	if (g) {
		const struct ef_reference *ref = a->have_ref ? &a->ref : NULL;
		enum ef_gvhd_class c = EF_GVHD_PRESENT; /* no reference data: never shown as none */
		if (ref && st->kind == ACUTE)
			c = ef_agvhd_class(ref, ef_agvhd_grade(st->v[0], st->v[1], st->v[2], st->v[3]));
		else if (ref)
			c = ef_cgvhd_class(ref, ef_cgvhd_severity(st->v, LUNGS_INDEX));
		put_text(w, y, 2 + x, cols - 2 - x, g, gvhd_attr(c, tui_attr(R_GOOD)) | A_BOLD, 0);
	} else {
		char words[64];
		put_text(w, y, 2 + x, cols - 2 - x,
			 tui_colour_words("? (fix the stages marked in red)", words, sizeof words), tui_attr(R_INVALID), 0);
	}
	put_text(w, y + 1, 2, cols - 2, "Computed from the stages as you type; stored with the assessment.",
		 tui_attr(R_DIM), 0);
	fform_draw(f, a->utf8);
}

static enum action gvhd_save(struct app *a, struct screen *s)
{
	struct gvhd_st *st = s->st;
	for (int i = 0; i < st->f.n; i++)
		st->shown[i] = 1;
	int bad = validate(a, st);
	if (bad) {
		tui_msg(a, MSG_FORM_INVALID, bad, bad == 1 ? "" : "s");
		for (int i = 0; i < st->f.n; i++)
			if (st->f.err[i][0]) {
				fform_focus(&st->f, i);
				break;
			}
		return ACTION_REDRAW;
	}
	const char *g = computed(st);
	struct app_env env;
	struct app_saved saved;
	int rc = tui_env(a, &env);
	if (rc == EF_OK && st->kind == ACUTE) {
		struct store_gvhd_acute_rec r = {s->patient_id, st->on, st->v[0], st->v[1], st->v[2], st->v[3], g};
		rc = app_assess_gvhd_acute(&env, &r, &saved, &a->err);
	} else if (rc == EF_OK) {
		struct store_gvhd_chronic_rec r = {s->patient_id, st->on, st->v[0], st->v[1], st->v[2], st->v[3],
						   st->v[4], st->v[5], st->v[6], st->v[7], g};
		rc = app_assess_gvhd_chronic(&env, &r, &saved, &a->err);
	}
	if (rc) {
		tui_msg_err(a, &a->err);
		return ACTION_REDRAW;
	}
	enum store_put res = saved.put;
	st->dirty = st->f.dirty = 0;
	if (res == STORE_UNCHANGED) {
		tui_msg(a, MSG_GVHD_UNCHANGED, kinds[st->kind], st->on);
		return ACTION_POP;
	}
	char rules[200];
	tui_alerts_summary(&saved, rules, sizeof rules);
	char what[96];
	snprintf(what, sizeof what, st->kind == ACUTE ? "grade %s%s" : "%s%s", g,
		 res == STORE_UPDATED ? " (replaced that day's earlier assessment)" : "");
	tui_msg(a, MSG_GVHD_SAVED, kinds[st->kind], st->on, what, rules);
	return ACTION_POP;
}

static enum action gvhd_key(struct app *a, struct screen *s, int key, enum cmd cmd)
{
	struct gvhd_st *st = s->st;
	if (cmd == CMD_SAVE)
		return ACTION_SAVE;
	if (cmd == CMD_BACK)
		return ACTION_POP;
	int cur = fform_current(&st->f);
	if (!fform_key(&st->f, key, cmd))
		return ACTION_PASS; /* F1, Ctrl-C: the global keys */
	if (st->f.dirty)
		st->dirty = 1;
	if (st->f.choice[F_KIND] != st->kind) { /* switched acute <-> chronic */
		char date[16];
		fform_get(&st->f, F_DATE, date, sizeof date);
		int kind = st->f.choice[F_KIND];
		fform_layout(&st->f, NULL, 0);
		if (build(st, kind, date)) {
			tui_msg(a, MSG_DB_ERROR, "cannot build the form");
			return ACTION_POP;
		}
		fform_screen_layout_at(s, st->body, 2);
		fform_focus(&st->f, F_KIND);
		st->dirty = 1;
		return ACTION_REDRAW;
	}
	if (fform_current(&st->f) != cur)
		st->shown[cur] = 1;
	return ACTION_REDRAW;
}

static int gvhd_dirty(const struct screen *s)
{
	const struct gvhd_st *st = s->st;
	return st && (st->dirty || st->f.dirty);
}

const struct screen_ops gvhdform_ops = {
	.name = "GVHD assessment",
	.about = "Record a GVHD assessment. Choose acute (MAGIC organ stages: skin, liver, lower GI "
		 "0-4, upper GI 0-1) or chronic (NIH organ scores 0-3) with Left/Right on Kind. Type "
		 "one digit per organ: a digit replaces the organ's stage and the cursor stays; Tab "
		 "(or Down, Enter) moves to the next organ. The overall grade or global "
		 "severity below is computed as you type and stored with the assessment. F2 or "
		 "Ctrl-S saves; Esc leaves (asks first if you changed anything).",
	.open = gvhd_open,
	.draw = gvhd_draw,
	.key = gvhd_key,
	.save = gvhd_save,
	.dirty = gvhd_dirty,
	.layout = gvhd_layout,
	.close = fform_screen_close,
	.help = form_keys,
	.restore = gvhd_restore,
};
