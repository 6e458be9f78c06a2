/* labform.c - enter one lab result for the chart's patient.
 *
 * Collected (today by default; a time may follow as YYYY-MM-DDTHH:MM), test
 * from the list of the contract's tests, value with an optional < or >
 * qualifier, unit from the test's accepted units. Checked with the same
 * functions the importer uses (date.h, units.h): a problem is explained
 * next to the field and nothing is saved. Saving is one transaction
 * (store_put_lab); replacing an existing result of the same test and time
 * asks first. Then the patient's rules run again. */
#include <stdlib.h>
#include <string.h>

#include "engraft/browse.h"
#include "engraft/labref.h"
#include "engraft/units.h"
#include "tui_int.h"

enum { F_DATE = 0, F_TEST, F_VALUE, F_UNIT, N_FIELDS };

static const struct fspec spec[N_FIELDS] = {
	[F_DATE] = {"Collected", 19, F_TEXT, "YYYY-MM-DD, or YYYY-MM-DDTHH:MM"},
	[F_TEST] = {"Test", 8, F_CHOICE, NULL},
	[F_VALUE] = {"Value", 12, F_TEXT, "a number; < or > in front if qualified (<0.1)"},
	[F_UNIT] = {"Unit", 10, F_CHOICE, NULL},
};

struct lab_st {
	struct fform f;
	struct ef_patient pat;
	const char *tests[EF_T_COUNT + 1];
	int shown[N_FIELDS];     /* field left once (or save tried): show its error */
	int last_field;
	/* validated values */
	ef_day day;
	enum ef_test test;
	enum ef_qual qual;
	double value, canonical;
	char on[24], val[48], unit[32];
	char prev_value[48], prev_unit[32];
};

static int validate(struct app *a, struct lab_st *st)
{
	struct fform *f = &st->f;
	int bad = 0;
	for (int i = 0; i < N_FIELDS; i++)
		f->err[i][0] = '\0';
	char test[16];
	fform_get(f, F_DATE, st->on, sizeof st->on);
	fform_get(f, F_TEST, test, sizeof test);
	fform_get(f, F_VALUE, st->val, sizeof st->val);
	fform_get(f, F_UNIT, st->unit, sizeof st->unit);
	int secs;
	if (!st->on[0]) {
		snprintf(f->err[F_DATE], sizeof f->err[0], "required: the collection date");
	} else if (ef_datetime_parse(st->on, strlen(st->on), &st->day, &secs)) {
		snprintf(f->err[F_DATE], sizeof f->err[0], "not a real date: YYYY-MM-DD or YYYY-MM-DDTHH:MM");
	} else if (ef_after_now(st->day, secs, a->today, tui_now_sec(a))) {
		char t[11];
		ef_date_format(a->today, t);
		if (st->day > a->today)
			snprintf(f->err[F_DATE], sizeof f->err[0], "in the future (today is %s)", t);
		else
			snprintf(f->err[F_DATE], sizeof f->err[0], "later than now (%02d:%02d)", tui_now_sec(a) / 3600,
				 tui_now_sec(a) / 60 % 60);
	} else if (st->pat.birth != EF_NO_DAY && st->day < st->pat.birth) {
		char b[11];
		ef_date_format(st->pat.birth, b);
		snprintf(f->err[F_DATE], sizeof f->err[0], "before the birth date %s", b);
	}
	int have_test = ef_test_parse(test, strlen(test), &st->test) == 0;
	if (!have_test)
		snprintf(f->err[F_TEST], sizeof f->err[0], "choose a test with Left/Right");
	const char *why = NULL;
	int have_value = 0;
	if (!st->val[0])
		snprintf(f->err[F_VALUE], sizeof f->err[0], "required: the result");
	else if (ef_value_parse(st->val, strlen(st->val), &st->qual, &st->value, &why))
		snprintf(f->err[F_VALUE], sizeof f->err[0], "%s", why ? why : "not a number");
	else
		have_value = 1;
	int have_canonical = 0;
	if (have_test && ef_unit_convert(st->test, st->unit, strlen(st->unit), have_value ? st->value : 0,
					 &st->canonical))
		snprintf(f->err[F_UNIT], sizeof f->err[0], "not a unit for %s", test);
	else
		have_canonical = have_test && have_value;
	/* an impossible value is refused as soon as it is typed, with the
	 * site's limits (lab_tests.csv); the same check as the importer's */
	int refused = have_canonical && ef_lab_plausible(tui_reference(a), st->test, st->qual, st->canonical,
							 f->err[F_VALUE], sizeof f->err[0]);
	for (int i = 0; i < N_FIELDS; i++) {
		if (f->err[i][0]) {
			bad++;
			if (!st->shown[i] && !(i == F_VALUE && refused))
				f->err[i][0] = '\0';
		}
	}
	/* notes: what the choice means, what the value converts to */
	f->note[F_TEST][0] = f->note[F_UNIT][0] = f->note[F_VALUE][0] = '\0';
	f->note_role[F_VALUE] = R_NORMAL;
	if (have_test) {
		snprintf(f->note[F_TEST], sizeof f->note[0], "%s", ef_test_name(st->test));
		const char *canon = ef_test_canonical_unit(st->test);
		if (strcmp(st->unit, canon) != 0 && !f->err[F_UNIT][0])
			snprintf(f->note[F_UNIT], sizeof f->note[0], "stored also as %s", canon);
		char conv[64] = "", flag[96] = "";
		if (have_canonical && strcmp(st->unit, canon) != 0) {
			char c[40];
			ef_decimal_format(st->canonical, c, sizeof c);
			snprintf(conv, sizeof conv, "= %s %s", c, canon);
		}
		/* the flag the result will carry, before it is saved */
		enum ef_lab_flag fl = have_canonical && !refused
					      ? ef_lab_flag_of(tui_reference(a), st->test, st->qual, st->canonical)
					      : EF_FLAG_NONE;
		if (fl != EF_FLAG_NONE) {
			ef_lab_flag_describe(tui_reference(a), st->test, fl, flag, sizeof flag);
			f->note_role[F_VALUE] = ef_lab_flag_critical(fl) ? R_CRITICAL : R_LOW;
		}
		snprintf(f->note[F_VALUE], sizeof f->note[0], "%s%s%s", conv, conv[0] && flag[0] ? ", " : "", flag);
	}
	return bad;
}

static void set_units(struct lab_st *st, enum ef_test t)
{
	fform_set_choices(&st->f, F_UNIT, ef_test_units(t), 0);
}

static int lab_open(struct app *a, struct screen *s, const struct request *rq)
{
	struct lab_st *st = fform_screen_open(a, s, rq, sizeof *st);
	if (!st)
		return EF_DB;
	int rc = store_patient_get(a->s, rq->patient_id, &st->pat, &a->err);
	if (rc)
		return rc;
	if (fform_init(&st->f, spec, N_FIELDS))
		return ef_errf(&a->err, EF_DB, "cannot build the form");
	for (int t = 0; t < EF_T_COUNT; t++)
		st->tests[t] = ef_test_code((enum ef_test)t);
	st->tests[EF_T_COUNT] = NULL;
	char today[11];
	ef_date_format(a->today, today);
	fform_set(&st->f, F_DATE, today);
	fform_set_choices(&st->f, F_TEST, st->tests, 0);
	set_units(st, EF_T_ANC);
	st->f.dirty = 0;
	fmt_patient(&st->pat, s->title, sizeof s->title);
	tui_draft_slot(s, "lab", "lab form", rq->patient_id, st->pat.mrn, NULL);
	return EF_OK;
}

/* A draft's test chooses the unit list before its unit is chosen. */
static int lab_restore(struct app *a, struct screen *s, const struct app_draft *d)
{
	(void)a;
	struct lab_st *st = s->st;
	enum ef_test t;
	if (d->n != N_FIELDS || ef_test_parse(d->field[F_TEST], strlen(d->field[F_TEST]), &t))
		return -1;
	const char *const *units = ef_test_units(t);
	int known = 0;
	for (int i = 0; units && units[i]; i++)
		known |= strcmp(units[i], d->field[F_UNIT]) == 0;
	if (!known)
		return -1; /* nothing changed on the form */
	set_units(st, t);
	return fform_restore(&st->f, d);
}


static void lab_draw(struct app *a, struct screen *s, WINDOW *body)
{
	struct lab_st *st = s->st;
	struct fform *f = &st->f;
	if (fform_too_small(f, body, "the lab form"))
		return;
	WINDOW *w = f->win;
	int cols = getmaxx(w);
	validate(a, st);
	put_fmt(w, 0, 1, cols - 1, A_BOLD, "New lab result for %s, %s (MRN %s)", st->pat.family_name,
		st->pat.given_name, st->pat.mrn);
	int y = f->y0 + N_FIELDS + 2;
	fill_line(w, y, A_NORMAL);
	fill_line(w, y + 1, A_NORMAL);
	put_text(w, y, 2, cols - 2, "Test list:", tui_attr(R_DIM), 0);
	int x = 13;
	for (int t = 0; t < EF_T_COUNT; t++) {
		const char *c = ef_test_code((enum ef_test)t);
		int cw = text_width(c) + 1;
		if (x + cw > cols) {
			y++;
			x = 13;
		}
		x += put_fmt(w, y, x, cols - x, (int)st->test == t ? tui_attr(R_SELECTED) : tui_attr(R_DIM), "%s", c);
		x += put_text(w, y, x, 1, " ", A_NORMAL, 0);
	}
	fform_draw(f, a->utf8);
}

static enum action do_save(struct app *a, struct screen *s)
{
	struct lab_st *st = s->st;
	struct store_lab_rec r = {0};
	r.patient_id = s->patient_id;
	r.collected_on = st->on;
	r.day = st->day;
	r.test = ef_test_code(st->test);
	r.value = st->val;
	r.qualifier = st->qual == EF_Q_LT ? '<' : st->qual == EF_Q_GT ? '>' : '=';
	r.canonical = st->canonical;
	r.unit = st->unit;
	struct app_env env;
	struct app_saved saved;
	if (tui_env(a, &env) || app_save_lab(&env, &r, &saved, &a->err)) {
		tui_msg_err(a, &a->err);
		return ACTION_REDRAW;
	}
	enum store_put res = saved.put;
	if (res == STORE_UNCHANGED) {
		tui_msg(a, MSG_LAB_UNCHANGED, r.test, st->on);
		st->f.dirty = 0;
		return ACTION_POP;
	}
	char rules[200];
	tui_alerts_summary(&saved, rules, sizeof rules);
	if (res == STORE_UPDATED)
		tui_msg(a, MSG_LAB_REPLACED, r.test, st->on, st->prev_value, st->val, st->unit, rules);
	else
		tui_msg(a, MSG_LAB_SAVED, r.test, st->val, st->unit, st->on, rules);
	st->f.dirty = 0;
	return ACTION_POP;
}

static enum action lab_save(struct app *a, struct screen *s)
{
	struct lab_st *st = s->st;
	for (int i = 0; i < N_FIELDS; i++)
		st->shown[i] = 1;
	int bad = validate(a, st);
	if (bad) {
		tui_msg(a, MSG_FORM_INVALID, bad, bad == 1 ? "" : "s");
		for (int i = 0; i < N_FIELDS; i++)
			if (st->f.err[i][0]) {
				fform_focus(&st->f, i);
				break;
			}
		return ACTION_REDRAW;
	}
	int found = 0;
	if (browse_lab_existing(a->s, s->patient_id, st->on, ef_test_code(st->test), st->prev_value, st->prev_unit,
				&found, &a->err)) {
		tui_msg_err(a, &a->err);
		return ACTION_REDRAW;
	}
	if (found && (strcmp(st->prev_value, st->val) != 0 || strcmp(st->prev_unit, st->unit) != 0)) {
		snprintf(a->question, sizeof a->question, "%s on %s is already recorded as %s %s. Replace it with %s %s? (y/n)",
			 ef_test_code(st->test), st->on, st->prev_value, st->prev_unit, st->val, st->unit);
		return ACTION_CONFIRM;
	}
	return do_save(a, s);
}

static enum action lab_confirmed(struct app *a, struct screen *s, int yes)
{
	if (!yes) {
		tui_msg(a, MSG_CANCELLED);
		return ACTION_REDRAW;
	}
	return do_save(a, s);
}

static enum action lab_key(struct app *a, struct screen *s, int key, enum cmd cmd)
{
	(void)a;
	struct lab_st *st = s->st;
	char before[16], after[16];
	fform_get(&st->f, F_TEST, before, sizeof before);
	enum action act = fform_screen_key(&st->f, st->shown, key, cmd);
	if (act != ACTION_REDRAW)
		return act;
	fform_get(&st->f, F_TEST, after, sizeof after);
	enum ef_test t;
	if (strcmp(before, after) != 0 && ef_test_parse(after, strlen(after), &t) == 0)
		set_units(st, t); /* another test: its units */
	return ACTION_REDRAW;
}


const struct screen_ops labform_ops = {
	.name = "Lab result",
	.about = "Enter one lab result. The date is today unless you change it (add THH:MM for a "
		 "time). Choose the test and its unit with Left/Right; the value may start with < or "
		 "> (\"<0.1\" is below 0.1). A value outside the plausible range of the site's "
		 "lab_tests.csv is refused at once, with the limits; a value beyond the reference "
		 "interval or a critical limit shows its flag (low, high, critical) before saving. A "
		 "problem is explained in red next to its field and nothing is saved until it is "
		 "fixed. F2 or Ctrl-S saves; Esc leaves (and asks first if you typed anything). "
		 "After saving, the patient's alerts are re-evaluated.",
	.open = lab_open,
	.draw = lab_draw,
	.key = lab_key,
	.save = lab_save,
	.confirmed = lab_confirmed,
	.dirty = fform_screen_dirty,
	.layout = fform_screen_layout,
	.close = fform_screen_close,
	.help = form_keys,
	.restore = lab_restore,
};
