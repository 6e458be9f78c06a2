/* app.c - the use cases (include/engraft/app.h): a write and the rule
 * re-run it causes, in one transaction. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engraft/app.h"
#include "engraft/rules.h"
#include "engraft/text.h"
#include "engraft/timeline.h"

void app_local_now(ef_day *day, int *sec)
{
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	*day = ef_day_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	*sec = tm.tm_hour * 3600 + tm.tm_min * 60 + (tm.tm_sec > 59 ? 59 : tm.tm_sec);
}

/* One patient's rules over its timeline, applied to its alerts (f is
 * scratch space, reused across patients by `check`). */
static int rules_on(struct store *s, const struct ef_reference *ref, const struct ef_timeline *tl, ef_day as_of,
		    struct ef_findings *f, struct ef_check_counts *counts, struct ef_err *err)
{
	int rc = ef_rules_evaluate(tl, ref, as_of, f, err);
	if (rc)
		return rc;
	return store_alerts_apply(s, tl->patient.id, as_of, f, counts, err);
}

int app_rules_apply(struct store *s, const struct ef_reference *ref, int64_t patient_id, ef_day as_of,
		    struct ef_check_counts *counts, struct ef_err *err)
{
	struct ef_timeline tl;
	struct ef_findings f;
	ef_timeline_init(&tl);
	ef_findings_init(&f);
	int rc = store_load_timeline(s, patient_id, as_of, &tl, err);
	if (rc == EF_OK)
		rc = rules_on(s, ref, &tl, as_of, &f, counts, err);
	ef_findings_free(&f);
	ef_timeline_free(&tl);
	return rc;
}

/* ---- a put followed by the patient's rules ---- */

typedef int (*put_fn)(struct store *s, const void *rec, enum store_put *res, struct ef_err *err);

struct save_tx {
	const struct app_env *e;
	put_fn put;
	const void *rec;
	int64_t patient_id;
	struct app_saved *out;
};

static int save_body(struct store *s, void *ctx, struct ef_err *err)
{
	struct save_tx *t = ctx;
	int rc = t->put(s, t->rec, &t->out->put, err);
	if (rc || t->out->put == STORE_UNCHANGED)
		return rc;
	return app_rules_apply(s, t->e->ref, t->patient_id, t->e->today, &t->out->alerts, err);
}

static int save(const struct app_env *e, put_fn put, const void *rec, int64_t patient_id, struct app_saved *out,
		struct ef_err *err)
{
	*out = (struct app_saved){0};
	struct save_tx t = {e, put, rec, patient_id, out};
	int rc = store_tx(e->s, save_body, &t, err);
	if (rc)
		*out = (struct app_saved){0};
	return rc;
}

/* The store's puts, each with its own record type, behind one signature
 * (single entries: import id 0). */
static int put_lab(struct store *s, const void *rec, enum store_put *res, struct ef_err *err)
{
	return store_put_lab(s, rec, 0, res, err);
}
static int put_dose(struct store *s, const void *rec, enum store_put *res, struct ef_err *err)
{
	return store_put_vaccination(s, rec, 0, res, err);
}
static int put_acute(struct store *s, const void *rec, enum store_put *res, struct ef_err *err)
{
	return store_put_gvhd_acute(s, rec, 0, res, err);
}
static int put_chronic(struct store *s, const void *rec, enum store_put *res, struct ef_err *err)
{
	return store_put_gvhd_chronic(s, rec, 0, res, err);
}

/* A record entered one at a time is valid: saving it over a row of the
 * same key that was marked entered in error clears the mark (an update),
 * unless the caller sets entered_in_error itself (eie_given). */
#define VALID_UNLESS_GIVEN(c)               \
	do {                                \
		if (!(c).eie_given) {       \
			(c).eie_given = 1;  \
			(c).entered_in_error = NULL; \
		}                           \
	} while (0)

int app_save_lab(const struct app_env *e, const struct store_lab_rec *r, struct app_saved *out, struct ef_err *err)
{
	struct store_lab_rec c = *r;
	VALID_UNLESS_GIVEN(c);
	return save(e, put_lab, &c, r->patient_id, out, err);
}

int app_record_dose(const struct app_env *e, const struct store_vaccination_rec *r, struct app_saved *out,
		    struct ef_err *err)
{
	struct store_vaccination_rec c = *r;
	VALID_UNLESS_GIVEN(c);
	return save(e, put_dose, &c, r->patient_id, out, err);
}

int app_assess_gvhd_acute(const struct app_env *e, const struct store_gvhd_acute_rec *r, struct app_saved *out,
			  struct ef_err *err)
{
	struct store_gvhd_acute_rec c = *r;
	VALID_UNLESS_GIVEN(c);
	return save(e, put_acute, &c, r->patient_id, out, err);
}

int app_assess_gvhd_chronic(const struct app_env *e, const struct store_gvhd_chronic_rec *r,
			    struct app_saved *out, struct ef_err *err)
{
	struct store_gvhd_chronic_rec c = *r;
	VALID_UNLESS_GIVEN(c);
	return save(e, put_chronic, &c, r->patient_id, out, err);
}

/* ---- check one patient ---- */

struct check_tx {
	const struct app_env *e;
	int64_t patient_id;
	struct ef_check_counts *counts;
};

static int check_body(struct store *s, void *ctx, struct ef_err *err)
{
	struct check_tx *t = ctx;
	return app_rules_apply(s, t->e->ref, t->patient_id, t->e->today, t->counts, err);
}

int app_check_patient(const struct app_env *e, int64_t patient_id, struct ef_check_counts *counts,
		      struct ef_err *err)
{
	struct check_tx t = {e, patient_id, counts};
	return store_tx(e->s, check_body, &t, err);
}

/* ---- check the clinic ---- */

struct clinic_tx {
	struct store *s;
	const struct ef_reference *ref;
	ef_day as_of;
	const char *mrn;
	struct ef_findings f;
	struct ef_check_counts *counts;
};

static int clinic_one(void *ctx, const struct ef_timeline *tl, struct ef_err *err)
{
	struct clinic_tx *t = ctx;
	return rules_on(t->s, t->ref, tl, t->as_of, &t->f, t->counts, err);
}

static int clinic_body(struct store *s, void *ctx, struct ef_err *err)
{
	struct clinic_tx *t = ctx;
	if (t->mrn) {
		int64_t id = 0;
		ef_day birth;
		int rc = store_patient_id(s, t->mrn, strlen(t->mrn), &id, &birth, err);
		if (rc)
			return rc;
		if (!id)
			return ef_errf(err, EF_INVALID, "no patient with MRN '%s'", t->mrn);
	}
	return store_each_timeline(s, t->as_of, t->mrn, clinic_one, t, err);
}

int app_check_clinic(const struct app_env *e, ef_day as_of, const char *mrn, struct ef_check_counts *counts,
		     struct ef_err *err)
{
	if (as_of > e->today) {
		char a[11], t[11];
		ef_date_format(as_of, a);
		ef_date_format(e->today, t);
		return ef_errf(err, EF_USAGE,
			       "check --as-of %s is after today (%s): alert state is never dated in the future "
			       "(export, alerts and due may preview a later date)", a, t);
	}
	struct clinic_tx t = {e->s, e->ref, as_of, mrn, {0}, counts};
	ef_findings_init(&t.f);
	int rc = store_tx(e->s, clinic_body, &t, err);
	ef_findings_free(&t.f);
	return rc;
}

/* ---- acknowledge ---- */

/* Why a reason (an acknowledgement's, an entered-in-error mark's) of at
 * most max bytes cannot be stored, or NULL. `buf` holds a message that
 * names the limit. */
static const char *reason_problem(const char *reason, size_t max, char buf[96])
{
	if (!reason || !reason[strspn(reason, " \t")])
		return "a reason is required";
	size_t n = strlen(reason);
	if (n > max) {
		snprintf(buf, 96, "the reason is too long (%zu bytes, at most %zu)", n, max);
		return buf;
	}
	const char *p = ef_text_problem(reason, n, 0);
	return p ? (strstr(p, "control") ? "the reason contains a control character (an escape sequence or a "
					   "line break)" : "the reason is not valid UTF-8 text")
		 : NULL;
}

const char *app_reason_problem(const char *reason)
{
	static char buf[96];
	return reason_problem(reason, APP_REASON_MAX, buf);
}

int app_ack_alert(const struct app_env *e, int64_t alert_id, ef_day on, const char *reason, ef_day until,
		  struct ef_err *err)
{
	const char *why = app_reason_problem(reason);
	if (why)
		return ef_errf(err, EF_USAGE, "%s", why);
	if (on > e->today)
		return ef_errf(err, EF_USAGE, "an acknowledgement is never dated after today");
	if (until != EF_NO_DAY && until < on)
		return ef_errf(err, EF_USAGE, "the until date is before the acknowledgement date");
	return store_alert_ack(e->s, alert_id, on, reason, until, err);
}

/* ---- entered in error ---- */

struct mark_tx {
	const struct app_env *e;
	int64_t patient_id, id;
	enum store_kind kind;
	const char *reason;
	struct app_saved *out;
};

static int mark_body(struct store *s, void *ctx, struct ef_err *err)
{
	struct mark_tx *t = ctx;
	int rc = store_mark_entered_in_error(s, t->kind, t->id, t->patient_id, t->reason, err);
	if (rc)
		return rc;
	t->out->put = STORE_UPDATED;
	return app_rules_apply(s, t->e->ref, t->patient_id, t->e->today, &t->out->alerts, err);
}

int app_mark_entered_in_error(const struct app_env *e, int64_t patient_id, enum store_kind kind, int64_t id,
			      const char *reason, struct app_saved *out, struct ef_err *err)
{
	*out = (struct app_saved){0};
	char buf[96];
	const char *why = reason_problem(reason, STORE_EIE_MAX, buf);
	if (why)
		return ef_errf(err, EF_USAGE, "entered in error: %s", why);
	struct mark_tx t = {e, patient_id, id, kind, reason, out};
	int rc = store_tx(e->s, mark_body, &t, err);
	if (rc)
		*out = (struct app_saved){0};
	return rc;
}

/* ---- import a file ---- */

int app_import_file(const struct app_env *e, int now_sec, enum store_kind kind, FILE *in, const char *name,
		    ef_diag_fn diag, void *diag_ctx, struct ef_import_result *res, struct ef_err *err)
{
	/* The file name is kept in the import record and the audit trail. */
	if (ef_text_problem(name, strlen(name), 0) || strlen(name) > 1000)
		return ef_errf(err, EF_USAGE, "import: the file name '%.200s' has control characters or is over 1000 "
					      "bytes; rename the file (or use - and standard input)", name);
	struct ef_import_opts opts = {.today = e->today, .now_sec = now_sec, .max_errors = 50, .diag = diag,
				      .diag_ctx = diag_ctx};
	return ef_import(e->s, kind, in, name, &opts, res, err);
}

/* ---- drafts (automatic sign-off of the terminal interface) ---- */

static struct store_draft_key draft_key(const struct app_env *e, const struct app_draft_key *k)
{
	return (struct store_draft_key){store_user(e->s), k->form, k->patient_id, k->context ? k->context : ""};
}

/* The values one per line, '\' as "\\" and a line break as "\n". */
static char *draft_encode(const char *const *fields, int n)
{
	size_t size = 1;
	for (int i = 0; i < n; i++)
		size += 2 * strlen(fields[i] ? fields[i] : "") + 1;
	char *out = malloc(size), *p = out;
	if (!out)
		return NULL;
	for (int i = 0; i < n; i++) {
		if (i)
			*p++ = '\n';
		for (const char *c = fields[i] ? fields[i] : ""; *c; c++) {
			if (*c == '\\' || *c == '\n') {
				*p++ = '\\';
				*p++ = *c == '\n' ? 'n' : '\\';
			} else {
				*p++ = *c;
			}
		}
	}
	*p = '\0';
	return out;
}

/* Decode text in place into d->field[]; -1 when it is not an encoding
 * (too many fields, a stray backslash). */
static int draft_decode(char *text, struct app_draft *d)
{
	d->n = 0;
	char *w = text;
	d->field[d->n++] = w;
	for (const char *r = text; *r; r++) {
		if (*r == '\n') {
			*w++ = '\0';
			if (d->n == APP_DRAFT_MAX_FIELDS)
				return -1;
			d->field[d->n++] = w;
		} else if (*r == '\\') {
			r++;
			if (*r == 'n')
				*w++ = '\n';
			else if (*r == '\\')
				*w++ = '\\';
			else
				return -1;
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
	return 0;
}

/* saved_at (UTC) as the local date and time of day. */
static void draft_local_time(struct app_draft *d)
{
	snprintf(d->kept_on, sizeof d->kept_on, "%.10s", d->saved_at);
	snprintf(d->kept_at, sizeof d->kept_at, "%.5s", d->saved_at + (strlen(d->saved_at) >= 16 ? 11 : 0));
	ef_day day;
	int h, m, sec;
	if (strlen(d->saved_at) != 20 || ef_date_parse(d->saved_at, 10, &day) ||
	    sscanf(d->saved_at + 11, "%2d:%2d:%2d", &h, &m, &sec) != 3)
		return;
	time_t t = (time_t)day * 86400 + h * 3600 + m * 60 + sec;
	struct tm tm;
	if (!localtime_r(&t, &tm))
		return;
	strftime(d->kept_on, sizeof d->kept_on, "%Y-%m-%d", &tm);
	strftime(d->kept_at, sizeof d->kept_at, "%H:%M", &tm);
}

struct draft_tx {
	struct store_draft_key k;
	const char *fields;
};

static int draft_put_body(struct store *s, void *ctx, struct ef_err *err)
{
	struct draft_tx *t = ctx;
	return store_draft_put(s, &t->k, t->fields, err);
}

static int draft_delete_body(struct store *s, void *ctx, struct ef_err *err)
{
	struct draft_tx *t = ctx;
	return store_draft_delete(s, &t->k, NULL, err);
}

static int draft_tidy_body(struct store *s, void *ctx, struct ef_err *err)
{
	struct draft_tx *t = ctx;
	return store_draft_tidy(s, t->k.login, err);
}

int app_draft_save(const struct app_env *e, const struct app_draft_key *k, const char *const *fields, int n,
		   struct ef_err *err)
{
	if (n < 1 || n > APP_DRAFT_MAX_FIELDS)
		return ef_errf(err, EF_USAGE, "a draft holds 1 to %d fields, not %d", APP_DRAFT_MAX_FIELDS, n);
	for (int i = 0; i < n; i++) {
		const char *f = fields[i] ? fields[i] : "";
		if (ef_text_problem(f, strlen(f), 0))
			return ef_errf(err, EF_USAGE, "a draft's field %d is not text without control characters", i + 1);
	}
	char *text = draft_encode(fields, n);
	if (!text)
		return ef_errf(err, EF_DB, "keep a draft: out of memory");
	struct draft_tx t = {draft_key(e, k), text};
	int rc = store_tx(e->s, draft_put_body, &t, err);
	free(text);
	return rc;
}

void app_draft_free(struct app_draft *d)
{
	free(d->buf);
	memset(d, 0, sizeof *d);
}

int app_draft_take(const struct app_env *e, const struct app_draft_key *k, struct app_draft *out, int *found,
		   struct ef_err *err)
{
	memset(out, 0, sizeof *out);
	*found = 0;
	struct draft_tx t = {draft_key(e, k), NULL};
	int exists = 0, have = 0;
	int rc = store_draft_get(e->s, &t.k, &out->buf, out->saved_at, &exists, &have, err);
	if (rc || !have)
		return rc;
	if (!exists || draft_decode(out->buf, out)) {
		/* its patient is gone (or the row is not a draft): discarded quietly */
		app_draft_free(out);
		return store_tx(e->s, draft_delete_body, &t, err);
	}
	draft_local_time(out);
	*found = 1;
	return EF_OK;
}

int app_draft_discard(const struct app_env *e, const struct app_draft_key *k, struct ef_err *err)
{
	struct draft_tx t = {draft_key(e, k), NULL};
	return store_tx(e->s, draft_delete_body, &t, err);
}

int app_draft_count(const struct app_env *e, int64_t *n, struct ef_err *err)
{
	int64_t orphans = 0;
	int rc = store_draft_count(e->s, store_user(e->s), n, &orphans, err);
	if (rc || !orphans)
		return rc; /* no write (no lock to wait for) unless there is something to tidy */
	struct app_draft_key none = {"", 0, NULL};
	struct draft_tx t = {draft_key(e, &none), NULL};
	return store_tx(e->s, draft_tidy_body, &t, err);
}
