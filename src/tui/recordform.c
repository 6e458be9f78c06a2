/* recordform.c - every record kind entered in the terminal (issue 14): one
 * generic form screen driven by a small table per form (its fields, labels,
 * widths, hints and choices, and the CSV column each field fills):
 *
 *   n on the patient list   new patient   (patients)
 *   T on the chart          transplant    (transplants)
 *   i on the chart          immunosuppression: start a course, or stop an
 *                           ongoing one (its row is updated, same key)
 *   I on the chart          IVIG dose     (ivig)
 *   b on the chart          transfusion   (transfusions)
 *   r on the follow-up list a follow-up time point done (followups), the
 *                           item and time point filled from the row
 *
 * There is no validator here: F2 hands the fields, as the cells of one CSV
 * row, to app_enter_record, which checks them with the importer's own
 * functions inside its transaction. Each problem comes back as "COLUMN:
 * reason" and is shown next to the field that fills that column; nothing
 * is saved while any remains. Choices are the words the importer accepts
 * (core's vocabularies). A new patient's chart opens after the save. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engraft/text.h"
#include "tui_int.h"

#define RF_TODAY 1u    /* a date field that starts as today */
#define RF_MAX 8
#define RF_COURSES 32

/* One field: what it looks like, and the kind's column it fills (-1:
 * none, the immunosuppression form's course). vocab: the choices are the
 * words of core's vocabulary vocab - 1 (0: not a vocabulary), after an
 * empty first entry: a required choice is made, never preselected (the
 * importer refuses it empty), an optional one may stay empty. */
struct rf_field {
	struct fspec spec;
	int col;
	int vocab;
	unsigned flags;
};

struct rf_def {
	enum store_kind kind;
	const char *draft, *what; /* draft form name and words (app.h app_draft_key); NULL: no draft */
	const char *heading;      /* "New transplant" (then "for NAME (MRN X)" on a chart) */
	int n;
	struct rf_field f[RF_MAX];
};

#define VOC(v) ((int)(v) + 1)

enum { RF_PATIENT, RF_TRANSPLANT, RF_IS, RF_IVIG, RF_TRANSFUSION, RF_FOLLOWUP };

static const struct rf_def defs[] = {
	[RF_PATIENT] = {STORE_K_PATIENTS, "patient", "new-patient form", "Register a new patient", 6, {
		{{"MRN", 20, F_TEXT, "medical record number, no spaces", 63}, 0, 0, 0},
		{{"Family name", 30, F_TEXT, "required", 127}, 1, 0, 0},
		{{"Given name", 30, F_TEXT, "required", 127}, 2, 0, 0},
		{{"Birth date", 10, F_TEXT, "YYYY-MM-DD", 0}, 3, 0, 0},
		{{"Sex", 8, F_CHOICE, "Left/Right; empty = unknown", 0}, 4, VOC(EF_V_SEX), 0},
		{{"Diagnosis", 40, F_TEXT, "optional", 127}, 5, 0, 0},
	}},
	[RF_TRANSPLANT] = {STORE_K_TRANSPLANTS, "transplant", "transplant form", "New transplant", 5, {
		{{"Date", 10, F_TEXT, "YYYY-MM-DD: day 0", 0}, 1, 0, RF_TODAY},
		{{"Type", 16, F_CHOICE, "Left/Right (required)", 0}, 2, VOC(EF_V_HCT_TYPE), 0},
		{{"Graft source", 16, F_CHOICE, "Left/Right (required)", 0}, 3, VOC(EF_V_GRAFT), 0},
		{{"Donor", 16, F_CHOICE, "Left/Right; empty = not recorded", 0}, 4, VOC(EF_V_DONOR), 0},
		{{"Conditioning", 17, F_CHOICE, "Left/Right; empty = not recorded", 0}, 5, VOC(EF_V_CONDITIONING), 0},
	}},
	[RF_IS] = {STORE_K_IMMUNOSUPPRESSION, "immunosuppression", "immunosuppression form", "Immunosuppression", 4, {
		{{"Course", 36, F_CHOICE, "Left/Right: or stop one", 0}, -1, 0, 0},
		{{"Drug", 30, F_TEXT, "tacrolimus, cyclosporine, ...", 63}, 1, 0, 0},
		{{"Started on", 10, F_TEXT, "YYYY-MM-DD", 0}, 2, 0, RF_TODAY},
		{{"Stopped on", 10, F_TEXT, "YYYY-MM-DD; empty = ongoing", 0}, 3, 0, 0},
	}},
	[RF_IVIG] = {STORE_K_IVIG, "ivig", "IVIG form", "New IVIG dose", 2, {
		{{"Given on", 10, F_TEXT, "YYYY-MM-DD", 0}, 1, 0, RF_TODAY},
		{{"Dose (g)", 8, F_TEXT, "grams, optional (25 or 0.5)", 31}, 2, 0, 0},
	}},
	[RF_TRANSFUSION] = {STORE_K_TRANSFUSIONS, "transfusion", "transfusion form", "New transfusion", 2, {
		{{"Given on", 10, F_TEXT, "YYYY-MM-DD", 0}, 1, 0, RF_TODAY},
		{{"Product", 14, F_CHOICE, "Left/Right (required)", 0}, 2, VOC(EF_V_PRODUCT), 0},
	}},
	[RF_FOLLOWUP] = {STORE_K_FOLLOWUPS, "followup", "follow-up form", "Follow-up done", 4, {
		{{"Item", 12, F_TEXT, "CIBMTR, DENTAL, ... (from the worklist)", 23}, 1, 0, 0},
		{{"Time point", 6, F_TEXT, "D100, M6, Y1, M12 ...", 11}, 2, 0, 0},
		{{"Done on", 10, F_TEXT, "YYYY-MM-DD", 0}, 3, 0, RF_TODAY},
		{{"Note", 40, F_TEXT, "optional, e.g. form submitted", STORE_FOLLOWUP_NOTE_MAX}, 4, 0, 0},
	}},
};

/* An ongoing immunosuppression course (the i form stops one). */
struct rf_course {
	char drug[64];
	char started[11];
};

struct rf_st {
	struct fform f;           /* first: the shared form helpers use it */
	const struct rf_def *def;
	struct fspec spec[RF_MAX];
	struct ef_patient pat;    /* the chart's patient (not the new-patient form) */
	/* choices: the vocabulary's words split, an empty entry first when optional */
	char words[RF_MAX][160];
	const char *choices[RF_MAX][12];  /* "" first, then the words */
	/* the i form's courses: choice 0 is a new course */
	struct rf_course course[RF_COURSES];
	int n_course;
	char course_label[RF_COURSES + 1][96];
	const char *course_choices[RF_COURSES + 2];
	int shown[RF_MAX];
	char other[400];          /* problems no field shows (said on the status line) */
	int n_problems;
};

static const struct rf_def *def_of(const struct screen_ops *ops);

/* The words of a vocabulary ("a, b, c") as a NULL-terminated list, after
 * an empty entry. */
static void split_words(struct rf_st *st, int i, enum ef_vocab v)
{
	snprintf(st->words[i], sizeof st->words[i], "%s", ef_vocab_words(v));
	int k = 0;
	st->choices[i][k++] = "";
	for (char *p = st->words[i]; *p && k < 11;) {
		st->choices[i][k++] = p;
		char *comma = strstr(p, ", ");
		if (!comma)
			break;
		*comma = '\0';
		p = comma + 2;
	}
	st->choices[i][k] = NULL;
}

static void set_today(struct app *a, struct rf_st *st, int i)
{
	char today[11];
	ef_date_format(a->today, today);
	fform_set(&st->f, i, today);
}

/* The i form: a course chosen fills its drug and start, and today as the
 * stop; a new course empties them again. */
static void course_chosen(struct app *a, struct rf_st *st)
{
	int c = st->f.choice[0];
	if (c > 0 && c <= st->n_course) {
		fform_set(&st->f, 1, st->course[c - 1].drug);
		fform_set(&st->f, 2, st->course[c - 1].started);
		set_today(a, st, 3);
	} else {
		fform_set(&st->f, 1, "");
		set_today(a, st, 2);
		fform_set(&st->f, 3, "");
	}
	for (int i = 0; i < st->f.n; i++)
		st->f.err[i][0] = '\0';
}

static int load_courses(struct app *a, struct rf_st *st, int64_t patient_id)
{
	struct ef_timeline tl;
	ef_timeline_init(&tl);
	int rc = store_load_timeline(a->s, patient_id, a->today, &tl, &a->err);
	if (rc == EF_OK)
		for (size_t i = 0; i < tl.n_is && st->n_course < RF_COURSES; i++) {
			if (tl.is[i].stop != EF_NO_DAY && tl.is[i].stop <= a->today)
				continue; /* stopped */
			struct rf_course *c = &st->course[st->n_course++];
			snprintf(c->drug, sizeof c->drug, "%s", tl.is[i].drug);
			ef_date_format(tl.is[i].start, c->started);
		}
	ef_timeline_free(&tl);
	snprintf(st->course_label[0], sizeof st->course_label[0], "start a new course");
	st->course_choices[0] = st->course_label[0];
	for (int i = 0; i < st->n_course; i++) {
		char drug[64 * 4 + 1];
		ef_text_escape(st->course[i].drug, drug, sizeof drug);
		snprintf(st->course_label[i + 1], sizeof st->course_label[0], "stop %.60s (since %s)", drug,
			 st->course[i].started);
		st->course_choices[i + 1] = st->course_label[i + 1];
	}
	st->course_choices[st->n_course + 1] = NULL;
	return rc;
}

static int rf_open(struct app *a, struct screen *s, const struct request *rq)
{
	const struct rf_def *d = def_of(s->ops);
	struct rf_st *st = fform_screen_open(a, s, rq, sizeof *st);
	if (!st)
		return EF_DB;
	st->def = d;
	if (d->kind != STORE_K_PATIENTS) {
		int rc = store_patient_get(a->s, rq->patient_id, &st->pat, &a->err);
		if (rc)
			return rc;
	}
	if (d->kind == STORE_K_IMMUNOSUPPRESSION && load_courses(a, st, rq->patient_id))
		return EF_DB;
	for (int i = 0; i < d->n; i++)
		st->spec[i] = d->f[i].spec;
	if (fform_init(&st->f, st->spec, d->n))
		return ef_errf(&a->err, EF_DB, "cannot build the form");
	for (int i = 0; i < d->n; i++) {
		const struct rf_field *fd = &d->f[i];
		if (fd->vocab) {
			split_words(st, i, (enum ef_vocab)(fd->vocab - 1));
			fform_set_choices(&st->f, i, st->choices[i], 0);
		}
		if (fd->flags & RF_TODAY)
			set_today(a, st, i);
	}
	if (d->kind == STORE_K_IMMUNOSUPPRESSION)
		fform_set_choices(&st->f, 0, st->course_choices, 0);
	char item[64] = "", tp[64] = "";
	if (d->kind == STORE_K_FOLLOWUPS && sscanf(rq->text, "%63s %63s", item, tp) == 2) {
		fform_set(&st->f, 0, item); /* the worklist's row */
		fform_set(&st->f, 1, tp);
		fform_focus(&st->f, 2);
	}
	st->f.dirty = 0;
	if (d->kind != STORE_K_PATIENTS)
		fmt_patient(&st->pat, s->title, sizeof s->title);
	/* A draft belongs to a patient (schema 011): the new-patient form's
	 * slot has none, so a sign-off says it could not be kept rather than
	 * letting it go unsaid. */
	tui_draft_slot(s, d->draft, d->what, rq->patient_id, d->kind == STORE_K_PATIENTS ? "(none yet)" : st->pat.mrn,
		       d->kind == STORE_K_FOLLOWUPS && item[0] ? rq->text : NULL);
	return EF_OK;
}

static void rf_draw(struct app *a, struct screen *s, WINDOW *body)
{
	struct rf_st *st = s->st;
	if (fform_too_small(&st->f, body, "this form"))
		return;
	WINDOW *w = st->f.win;
	int cols = getmaxx(w);
	if (st->def->kind == STORE_K_PATIENTS)
		put_fmt(w, 0, 1, cols - 1, A_BOLD, "%s", st->def->heading);
	else
		put_fmt(w, 0, 1, cols - 1, A_BOLD, "%s for %s, %s (MRN %s)", st->def->heading, st->pat.family_name,
			st->pat.given_name, st->pat.mrn);
	int y = st->f.y0 + st->f.n + 2;
	if (y < getmaxy(w)) {
		fill_line(w, y, A_NORMAL);
		put_text(w, y, 2, cols - 2, "F2 checks each field as an import does; nothing is saved while one is wrong.",
			 tui_attr(R_DIM), 0);
	}
	fform_draw(&st->f, a->utf8);
}

/* A problem from the use case, "COLUMN: reason", next to the field that
 * fills the column (else kept for the status line). */
static void on_problem(void *ctx, const char *msg)
{
	struct rf_st *st = ctx;
	size_t ncol;
	const char *const *cols = ef_kind_columns(st->def->kind, &ncol);
	const char *colon = strstr(msg, ": ");
	st->n_problems++;
	for (int i = 0; colon && i < st->def->n; i++) {
		int c = st->def->f[i].col;
		if (c < 0 || (size_t)c >= ncol || strlen(cols[c]) != (size_t)(colon - msg) ||
		    strncmp(cols[c], msg, (size_t)(colon - msg)) != 0)
			continue;
		if (!st->f.err[i][0])
			snprintf(st->f.err[i], sizeof st->f.err[i], "%s", colon + 2);
		return;
	}
	/* the i form's course: its drug or start belong to the course */
	if (!st->other[0])
		snprintf(st->other, sizeof st->other, "%s", msg);
}

/* What was saved, for the status line ("transplant of 2024-09-01"). */
static void saved_words(struct rf_st *st, char cells[][512], int stopping, char *out, size_t size)
{
	char a0[256], a1[256];
	switch (st->def->kind) {
	case STORE_K_PATIENTS:
		ef_text_escape(cells[0], a0, sizeof a0);
		snprintf(out, size, "patient MRN %s", a0);
		break;
	case STORE_K_TRANSPLANTS:
		snprintf(out, size, "transplant of %s", cells[1]);
		break;
	case STORE_K_IMMUNOSUPPRESSION:
		ef_text_escape(cells[1], a1, sizeof a1);
		if (stopping)
			snprintf(out, size, "%s stopped on %s", a1, cells[3]);
		else
			snprintf(out, size, "%s started on %s%s%s", a1, cells[2], cells[3][0] ? ", stopped on " : "",
				 cells[3]);
		break;
	case STORE_K_IVIG:
		snprintf(out, size, "IVIG%s%s%s on %s", cells[2][0] ? " " : "", cells[2], cells[2][0] ? " g" : "",
			 cells[1]);
		break;
	case STORE_K_TRANSFUSIONS:
		snprintf(out, size, "%s transfusion on %s", cells[2], cells[1]);
		break;
	case STORE_K_FOLLOWUPS:
		ef_text_escape(cells[1], a0, sizeof a0);
		ef_text_escape(cells[2], a1, sizeof a1);
		snprintf(out, size, "%s %s done on %s", a0, a1, cells[3]);
		break;
	default:
		snprintf(out, size, "the record");
	}
}

static enum action rf_save(struct app *a, struct screen *s)
{
	struct rf_st *st = s->st;
	const struct rf_def *d = st->def;
	char cells[RF_MAX][512];
	const char *cell[RF_MAX];
	size_t n = 0;
	memset(cells, 0, sizeof cells);
	for (int i = 0; i < d->n; i++)
		st->f.err[i][0] = '\0';
	st->other[0] = '\0';
	st->n_problems = 0;
	int bad = 0;
	if (d->kind != STORE_K_PATIENTS) {
		snprintf(cells[0], sizeof cells[0], "%s", st->pat.mrn);
		n = 1;
	}
	for (int i = 0; i < d->n; i++) {
		int c = d->f[i].col;
		if (c < 0)
			continue;
		fform_get(&st->f, i, cells[c], sizeof cells[c]);
		if (st->f.err[i][0]) /* longer than a cell can hold: never cut */
			bad++;
		if ((size_t)c + 1 > n)
			n = (size_t)c + 1;
	}
	/* the i form: stopping a course stops that course, by its key */
	int course = d->kind == STORE_K_IMMUNOSUPPRESSION ? st->f.choice[0] : 0;
	unsigned mode = APP_ENTER_NEW;
	if (course > 0 && course <= st->n_course) {
		const struct rf_course *c = &st->course[course - 1];
		mode = APP_ENTER_EXISTING;
		if (strcmp(cells[1], c->drug) != 0) {
			snprintf(st->f.err[1], sizeof st->f.err[1], "the chosen course is %.60s: choose \"start a new course\" "
				 "for another drug", c->drug);
			bad++;
		}
		if (strcmp(cells[2], c->started) != 0) {
			snprintf(st->f.err[2], sizeof st->f.err[2], "the chosen course started on %s", c->started);
			bad++;
		}
		if (!cells[3][0]) {
			snprintf(st->f.err[3], sizeof st->f.err[3], "required: the date the course stopped");
			bad++;
		}
	}
	if (bad) {
		tui_msg(a, MSG_FORM_INVALID, bad, bad == 1 ? "" : "s");
		return ACTION_REDRAW;
	}
	for (size_t i = 0; i < n; i++)
		cell[i] = cells[i];
	struct app_env env;
	struct app_saved saved;
	int64_t pid = 0;
	if (tui_env(a, &env)) {
		tui_msg_err(a, &a->err);
		return ACTION_REDRAW;
	}
	int rc = app_enter_record(&env, tui_now_sec(a), d->kind, mode, cell, n, on_problem, st, &saved, &pid, &a->err);
	if (rc == EF_INVALID && st->n_problems) {
		int fields = 0;
		for (int i = 0; i < d->n; i++)
			if (st->f.err[i][0]) {
				fields++;
				st->shown[i] = 1;
			}
		for (int i = 0; i < d->n; i++)
			if (st->f.err[i][0]) {
				fform_focus(&st->f, i);
				break;
			}
		if (st->other[0]) {
			char esc[sizeof st->other * 4];
			ef_text_escape(st->other, esc, sizeof esc);
			struct ef_err e;
			ef_errf(&e, EF_INVALID, "Not saved: %s", esc);
			tui_msg_err(a, &e);
		} else {
			tui_msg(a, MSG_FORM_INVALID, fields, fields == 1 ? "" : "s");
		}
		return ACTION_REDRAW;
	}
	if (rc) {
		tui_msg_err(a, &a->err);
		return ACTION_REDRAW;
	}
	st->f.dirty = 0;
	char what[600];
	saved_words(st, cells, mode == APP_ENTER_EXISTING, what, sizeof what);
	if (saved.put == STORE_UNCHANGED)
		tui_msg(a, MSG_RECORD_UNCHANGED, what);
	else {
		char rules[200];
		tui_alerts_summary(&saved, rules, sizeof rules);
		tui_msg(a, MSG_RECORD_SAVED, what, rules);
	}
	if (d->kind == STORE_K_PATIENTS && pid > 0) {
		/* the new patient's chart, in place of the form */
		memset(&a->req, 0, sizeof a->req);
		a->req.ops = &chart_ops;
		a->req.patient_id = pid;
		return ACTION_REPLACE;
	}
	return ACTION_POP;
}

static enum action rf_key(struct app *a, struct screen *s, int key, enum cmd cmd)
{
	struct rf_st *st = s->st;
	int cur = fform_current(&st->f);
	char before[512], after[512];
	fform_get(&st->f, cur, before, sizeof before);
	int choice = st->f.choice[cur];
	enum action act = fform_screen_key(&st->f, st->shown, key, cmd);
	if (act != ACTION_REDRAW)
		return act;
	fform_get(&st->f, cur, after, sizeof after);
	if (strcmp(before, after) != 0)
		st->f.err[cur][0] = '\0'; /* changed: its problem is checked again at the next save */
	if (st->def->kind == STORE_K_IMMUNOSUPPRESSION && cur == 0 && st->f.choice[0] != choice)
		course_chosen(a, st);
	return ACTION_REDRAW;
}

#define RF_OPS(var, title, text)              \
	const struct screen_ops var = {           \
		.name = title,                    \
		.about = text,                    \
		.open = rf_open,                  \
		.draw = rf_draw,                  \
		.key = rf_key,                    \
		.save = rf_save,                  \
		.dirty = fform_screen_dirty,      \
		.layout = fform_screen_layout,    \
		.close = fform_screen_close,      \
		.help = form_keys,                \
	};

#define RF_COMMON                                                                                              \
	" Each value is checked as `engraft import` checks it, when you save: a problem is explained next to its " \
	"field and nothing is saved until every field is right. F2 or Ctrl-S saves; Esc leaves (and asks first "   \
	"if you typed anything)."

RF_OPS(patientform_ops, "New patient",
       "Register a patient: MRN, family and given name, birth date (YYYY-MM-DD), sex (F, M, X, or empty: "
       "unknown) and diagnosis (optional). An MRN that is already registered with other details is refused, "
       "never overwritten. After the save the new patient's chart opens." RF_COMMON)
RF_OPS(transplantform_ops, "Transplant",
       "Record a transplant: its date (day 0; today unless you change it), type, graft source, and donor and "
       "conditioning (optional), chosen with Left/Right from the words an import accepts. An autologous "
       "transplant's donor is self. The patient's rules run again." RF_COMMON)
RF_OPS(isform_ops, "Immunosuppression",
       "Start an immunosuppression course (drug, start date; a stop date if it is already over), or choose an "
       "ongoing course in Course with Left/Right and give the date it stopped: that course's row is updated, "
       "not a new one added. The live-vaccine gate counts from the last stop." RF_COMMON)
RF_OPS(ivigform_ops, "IVIG",
       "Record an IVIG dose: the date it was given (today unless you change it) and the dose in grams "
       "(optional). A low IgG drawn soon after IVIG raises no alert, and live vaccines wait after the last "
       "dose (the site's parameters)." RF_COMMON)
RF_OPS(followupform_ops, "Follow-up done",
       "Record a follow-up time point done: a screening examination or a registry form submitted. Item and "
       "time point come from the worklist's row (CIBMTR D100, DENTAL M12, ...); the date it was done (today "
       "unless you change it; not before day 0) and a note (optional). The FOLLOWUP_OVERDUE alert of that time "
       "point resolves." RF_COMMON)
RF_OPS(transfusionform_ops, "Transfusion",
       "Record a transfusion: the date it was given (today unless you change it) and the product, chosen with "
       "Left/Right. Platelet engraftment counts only platelet counts taken long enough after the last platelet "
       "transfusion." RF_COMMON)

static const struct rf_def *def_of(const struct screen_ops *ops)
{
	if (ops == &patientform_ops)
		return &defs[RF_PATIENT];
	if (ops == &transplantform_ops)
		return &defs[RF_TRANSPLANT];
	if (ops == &isform_ops)
		return &defs[RF_IS];
	if (ops == &ivigform_ops)
		return &defs[RF_IVIG];
	if (ops == &followupform_ops)
		return &defs[RF_FOLLOWUP];
	return &defs[RF_TRANSFUSION];
}
