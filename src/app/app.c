/* app.c - the use cases (include/engraft/app.h): a write and the rule
 * re-run it causes, in one transaction. */
#include <stdio.h>
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
