/* drafts.c - what the automatic sign-off keeps of the open forms, and how
 * a form is offered its draft the next time (docs/formats.md, drafts).
 *
 * A form screen's open calls tui_draft_slot to say what the form is for
 * (its stable name, patient and context); the main loop (tui.c) does the
 * rest through the use cases of src/app: tui_draft_offer after open,
 * tui_draft_saved after a save, tui_draft_discard on Ctrl-D, and
 * tui_drafts_keep when it signs the login off. Every form state begins
 * with its struct fform, so the field values are read generically. */
#include <stdlib.h>
#include <string.h>

#include "engraft/text.h"
#include "tui_int.h"

void tui_draft_slot(struct screen *s, const char *form, const char *what, int64_t patient_id, const char *mrn,
		    const char *context)
{
	struct screen_draft *d = &s->draft;
	memset(d, 0, sizeof *d);
	d->form = form;
	d->what = what;
	d->patient_id = patient_id;
	snprintf(d->mrn, sizeof d->mrn, "%s", mrn ? mrn : "");
	snprintf(d->context, sizeof d->context, "%s", context ? context : "");
}

static struct app_draft_key key_of(const struct screen *s)
{
	return (struct app_draft_key){s->draft.form, s->draft.patient_id, s->draft.context};
}

static struct app_env env_of(struct app *a)
{
	/* drafts need no reference data */
	return (struct app_env){a->s, a->have_ref ? &a->ref : NULL, a->today};
}

void tui_draft_offer(struct app *a, struct screen *s)
{
	if (!s->draft.form || s->draft.patient_id < 1)
		return;
	struct app_env e = env_of(a);
	struct app_draft_key k = key_of(s);
	struct app_draft d;
	int found = 0;
	struct ef_err err = {{0}};
	if (app_draft_take(&e, &k, &d, &found, &err)) {
		tui_msg_err(a, &err); /* the form opens empty; the draft stays */
		return;
	}
	if (!found)
		return;
	struct fform *f = s->st;
	int rc = s->ops->restore ? s->ops->restore(a, s, &d) : fform_restore(f, &d);
	if (rc) {
		/* the form has changed since: the draft cannot be shown, so it
		 * is not kept either (quietly, like a draft of a missing patient) */
		app_draft_free(&d);
		app_draft_discard(&e, &k, &err);
		return;
	}
	f = s->st; /* restore may have rebuilt the form */
	f->dirty = 0; /* what is on the form is safe in the draft until it changes */
	s->draft.offered = 1;
	snprintf(s->draft.note, sizeof s->draft.note,
		 "Draft kept at %s on %s after automatic sign-off: F2 saves, Ctrl-D discards the draft", d.kept_at,
		 d.kept_on);
	app_draft_free(&d);
	if (s->ops->load && s->ops->load(a, s)) /* what depends on the fields (the dose form's gate) */
		tui_msg_err(a, &a->err);
}

void tui_draft_draw(struct app *a, struct screen *s)
{
	(void)a;
	if (!s->draft.form || !s->draft.offered || !s->st)
		return;
	const struct fform *f = s->st;
	if (!f->posted)
		return;
	WINDOW *w = f->win;
	int cy, cx;
	getyx(w, cy, cx);
	int cols = getmaxx(w) - 2, rows = getmaxy(w);
	/* on the last rows of the form's window: at 80 columns the keys go on
	 * a second line, after the colon */
	const char *p = s->draft.note;
	const char *line[4];
	int len[4], n = 0;
	while (*p && n < 4 && cols > 10) {
		int k = (int)strlen(p);
		const char *colon = strstr(p, ": ");
		if (k > cols && colon && colon - p + 1 <= cols) {
			k = (int)(colon - p) + 1; /* the keys on a line of their own */
		} else if (k > cols) {
			k = cols;
			while (k > 0 && p[k] != ' ')
				k--;
			if (k == 0)
				k = cols;
		}
		line[n] = p;
		len[n++] = k;
		p += k;
		while (*p == ' ')
			p++;
	}
	for (int i = 0; i < n && rows - n + i > f->y0 + f->n; i++)
		put_fmt(w, rows - n + i, 1, cols, tui_attr(R_WARNING), "%.*s", len[i], line[i]);
	wmove(w, cy, cx);
}

void tui_draft_saved(struct app *a, struct screen *s)
{
	if (!s->draft.form || !s->draft.offered)
		return;
	struct app_env e = env_of(a);
	struct app_draft_key k = key_of(s);
	struct ef_err err = {{0}};
	if (app_draft_discard(&e, &k, &err)) {
		struct ef_err said;
		ef_errf(&said, EF_DB, "Saved; but its draft could not be discarded (Ctrl-D on the form does it): %s",
			err.msg);
		tui_msg_err(a, &said);
		return;
	}
	s->draft.offered = 0;
}

int tui_draft_discard(struct app *a, struct screen *s)
{
	if (!s->draft.form || !s->draft.offered) {
		tui_msg(a, MSG_NO_DRAFT);
		return 0;
	}
	struct app_env e = env_of(a);
	struct app_draft_key k = key_of(s);
	if (app_draft_discard(&e, &k, &a->err)) {
		tui_msg_err(a, &a->err);
		return 0;
	}
	s->draft.offered = 0;
	tui_msg(a, MSG_DRAFT_DISCARDED);
	return 1;
}

/* Every field of the form into a draft: EF_OK, or why not (err). */
static int keep_one(struct app *a, struct screen *s, struct ef_err *err)
{
	struct fform *f = s->st;
	char *vals[FORM_MAX_FIELDS] = {0};
	int rc = EF_OK;
	for (int i = 0; i < f->n && rc == EF_OK; i++) {
		int w = f->spec[i].max > f->spec[i].width ? f->spec[i].max : f->spec[i].width;
		size_t size = 4 * (size_t)w + 1; /* UTF-8: up to 4 bytes a character */
		if (!(vals[i] = malloc(size)))
			rc = ef_errf(err, EF_DB, "out of memory");
		else
			fform_get(f, i, vals[i], size);
	}
	if (rc == EF_OK) {
		struct app_env e = env_of(a);
		struct app_draft_key k = key_of(s);
		rc = app_draft_save(&e, &k, (const char *const *)vals, f->n, err);
	}
	for (int i = 0; i < f->n; i++)
		free(vals[i]);
	return rc;
}

int tui_drafts_keep(struct app *a, char *said, size_t size)
{
	int status = EF_OK;
	size_t len = 0;
	said[0] = '\0';
	for (int d = a->depth - 1; d >= 0; d--) {
		struct screen *s = &a->stack[d];
		if (!s->draft.form || !s->st || !(s->draft.offered || (s->ops->dirty && s->ops->dirty(s))))
			continue;
		char mrn[sizeof s->draft.mrn * 4 + 8];
		ef_text_escape(s->draft.mrn, mrn, sizeof mrn);
		struct ef_err err = {{0}};
		int rc = keep_one(a, s, &err);
		int n;
		if (rc == EF_OK) {
			n = snprintf(said + len, size - len, "%sthe unsaved %s for MRN %s was kept as a draft",
				     len ? "; " : "", s->draft.what, mrn);
		} else {
			status = rc;
			n = snprintf(said + len, size - len, "%sthe unsaved %s for MRN %s could NOT be kept as a draft: %s",
				     len ? "; " : "", s->draft.what, mrn, err.msg);
		}
		if (n < 0 || (size_t)n >= size - len)
			break;
		len += (size_t)n;
	}
	if (!len)
		snprintf(said, size, "nothing was unsaved");
	return status;
}
