/* statusform.c - record a vital or follow-up status for the chart's patient
 * (`s` on the chart; the CSV kind status). Date (today by default), status
 * chosen with Left/Right from core's words (alive, relapse, deceased,
 * transferred, lost_to_followup, returned), an optional note. Saved with
 * app_record_status (the role needs the patients power; the rules run
 * again: a deceased, transferred or lost patient's alerts resolve). */
#include <stdlib.h>
#include <string.h>

#include "tui_int.h"

enum { F_DATE = 0, F_STATUS, F_NOTE, N_FIELDS };

static const struct fspec spec[N_FIELDS] = {
	[F_DATE] = {"Date", 10, F_TEXT, "YYYY-MM-DD"},
	[F_STATUS] = {"Status", 16, F_CHOICE, "Left/Right"},
	[F_NOTE] = {"Note", 40, F_TEXT, "optional", STORE_STATUS_NOTE_MAX},
};

static const char *const words[EF_ST_COUNT + 1] = {"alive",	   "relapse",	       "deceased",
						    "transferred", "lost_to_followup", "returned", NULL};
static const char *const meaning[EF_ST_COUNT] = {
	"a contact: seen, phoned, a letter answered", "relapse or progression of the disease",
	"alerts resolve; nothing may be dated later",  "care moved to another centre: off the worklists",
	"stopped coming: off the worklists",	       "back in this clinic's care",
};

struct status_st {
	struct fform f;
	struct ef_patient pat;
	int shown[N_FIELDS];
	char on[16], note[4 * STORE_STATUS_NOTE_MAX + 1];
	enum ef_status_kind kind;
};

static int validate(struct app *a, struct status_st *st)
{
	struct fform *f = &st->f;
	int bad = 0;
	ef_day d;
	char word[24];
	for (int i = 0; i < N_FIELDS; i++)
		f->err[i][0] = f->note[i][0] = '\0';
	fform_get(f, F_DATE, st->on, sizeof st->on);
	fform_get(f, F_STATUS, word, sizeof word);
	fform_get(f, F_NOTE, st->note, sizeof st->note);
	if (!st->on[0])
		snprintf(f->err[F_DATE], sizeof f->err[0], "required: the date");
	else if (ef_date_parse(st->on, strlen(st->on), &d))
		snprintf(f->err[F_DATE], sizeof f->err[0], "not a real date: YYYY-MM-DD");
	else if (d > a->today)
		snprintf(f->err[F_DATE], sizeof f->err[0], "in the future");
	else if (st->pat.birth != EF_NO_DAY && d < st->pat.birth)
		snprintf(f->err[F_DATE], sizeof f->err[0], "before the birth date");
	if (ef_status_kind_parse(word, strlen(word), &st->kind))
		snprintf(f->err[F_STATUS], sizeof f->err[0], "choose a status with Left/Right");
	else
		snprintf(f->note[F_STATUS], sizeof f->note[0], "%s", meaning[st->kind]);
	if (strlen(st->note) > STORE_STATUS_NOTE_MAX)
		snprintf(f->err[F_NOTE], sizeof f->err[0], "too long (%zu bytes, at most %d)", strlen(st->note),
			 STORE_STATUS_NOTE_MAX);
	for (int i = 0; i < N_FIELDS; i++)
		if (f->err[i][0]) {
			bad++;
			if (!st->shown[i])
				f->err[i][0] = '\0';
		}
	return bad;
}

static int status_open(struct app *a, struct screen *s, const struct request *rq)
{
	struct status_st *st = fform_screen_open(a, s, rq, sizeof *st);
	if (!st)
		return EF_DB;
	int rc = store_patient_get(a->s, rq->patient_id, &st->pat, &a->err);
	if (rc)
		return rc;
	if (fform_init(&st->f, spec, N_FIELDS))
		return ef_errf(&a->err, EF_DB, "cannot build the form");
	char today[11];
	ef_date_format(a->today, today);
	fform_set(&st->f, F_DATE, today);
	fform_set_choices(&st->f, F_STATUS, words, 0);
	st->f.dirty = 0;
	fmt_patient(&st->pat, s->title, sizeof s->title);
	return EF_OK;
}

static void status_draw(struct app *a, struct screen *s, WINDOW *body)
{
	struct status_st *st = s->st;
	if (fform_too_small(&st->f, body, "the status form"))
		return;
	validate(a, st);
	put_fmt(st->f.win, 0, 1, getmaxx(st->f.win) - 1, A_BOLD, "Vital or follow-up status of %s, %s (MRN %s)",
		st->pat.family_name, st->pat.given_name, st->pat.mrn);
	fform_draw(&st->f, a->utf8);
}

static enum action status_save(struct app *a, struct screen *s)
{
	struct status_st *st = s->st;
	for (int i = 0; i < N_FIELDS; i++)
		st->shown[i] = 1;
	int bad = validate(a, st);
	if (bad) {
		tui_msg(a, MSG_FORM_INVALID, bad, bad == 1 ? "" : "s");
		return ACTION_REDRAW;
	}
	struct store_status_rec r = {s->patient_id, st->on, words[st->kind], st->note[0] ? st->note : NULL, NULL, 0};
	struct app_env env;
	struct app_saved saved;
	if (tui_env(a, &env) || app_record_status(&env, &r, &saved, &a->err)) {
		tui_msg_err(a, &a->err);
		return ACTION_REDRAW;
	}
	st->f.dirty = 0;
	if (saved.put == STORE_UNCHANGED) {
		tui_msg(a, MSG_STATUS_UNCHANGED, words[st->kind], st->on);
		return ACTION_POP;
	}
	char rules[200];
	tui_alerts_summary(&saved, rules, sizeof rules);
	tui_msg(a, MSG_STATUS_SAVED, words[st->kind], st->on, rules);
	return ACTION_POP;
}

static enum action status_key(struct app *a, struct screen *s, int key, enum cmd cmd)
{
	(void)a;
	struct status_st *st = s->st;
	return fform_screen_key(&st->f, st->shown, key, cmd);
}

const struct screen_ops statusform_ops = {
	.name = "Status",
	.about = "Record a vital or follow-up status: alive (a contact), relapse, deceased, "
		 "transferred (care moved to another centre), lost_to_followup, or returned (back in "
		 "this clinic's care). The date is today unless you change it; choose the status with "
		 "Left/Right; the note is optional. A deceased, transferred or lost patient's alerts "
		 "resolve and they leave the worklists until a later returned; nothing may be dated "
		 "after a death. F2 or Ctrl-S saves; Esc leaves (asks first if you typed anything).",
	.open = status_open,
	.draw = status_draw,
	.key = status_key,
	.save = status_save,
	.dirty = fform_screen_dirty,
	.layout = fform_screen_layout,
	.close = fform_screen_close,
	.help = form_keys,
};
