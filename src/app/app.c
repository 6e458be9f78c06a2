/* app.c - the use cases (include/engraft/app.h): a write and the rule
 * re-run it causes, in one transaction. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app_int.h"
#include "engraft/access.h"
#include "engraft/app.h"
#include "engraft/columns.h"
#include "engraft/rules.h"
#include "engraft/text.h"
#include "engraft/timeline.h"

#define NELEM_APP(a) (sizeof(a) / sizeof((a)[0]))

void app_local_now(ef_day *day, int *sec)
{
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	*day = ef_day_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	*sec = tm.tm_hour * 3600 + tm.tm_min * 60 + (tm.tm_sec > 59 ? 59 : tm.tm_sec);
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
		rc = app_rules_keep(s, ref, &tl, as_of, as_of, &f, counts, err);
	if (rc == EF_OK)
		rc = app_keep_forecasts(s, ref, &tl, as_of, as_of, err);
	ef_findings_free(&f);
	ef_timeline_free(&tl);
	return rc;
}

/* ---- who is acting ---- */

int app_sign_on(struct store *s, struct store_staff *me, struct ef_err *err)
{
	int found = 0;
	const char *login = store_user(s);
	int rc = ef_login_problem(login) ? EF_OK : store_staff_get(s, login, me, &found, err);
	if (rc)
		return rc;
	if (!found)
		return ef_errf(err, EF_DENIED,
			       "not permitted: the login '%s' is not on this database's staff list; an admin adds it "
			       "with: engraft staff add %s --role ROLE --name \"Full Name\" (nothing was changed)",
			       login, login);
	if (!me->active)
		return ef_errf(err, EF_DENIED,
			       "not permitted: the login '%s' (%s) is disabled on this database's staff list; an admin "
			       "can enable it again with: engraft staff enable %s", login, me->name, login);
	return EF_OK;
}

int app_permit(const struct store_staff *me, enum ef_action a, struct ef_err *err)
{
	if (!me)
		return ef_errf(err, EF_DENIED, "not permitted: nobody is signed on");
	if (me->active && ef_role_may(me->role, a))
		return EF_OK;
	char who[64];
	ef_action_roles(a, who, sizeof who);
	return ef_errf(err, EF_DENIED, "not permitted: %s may not %s (%s may)", ef_role_name(me->role),
		       ef_action_name(a), who);
}

enum ef_action app_kind_action(enum store_kind kind)
{
	switch (kind) {
	case STORE_K_PATIENTS:
	case STORE_K_TRANSPLANTS:
	case STORE_K_STATUS:
	case STORE_K_FOLLOWUPS:
		return EF_ACT_PATIENTS;
	case STORE_K_LABS:
		return EF_ACT_LABS;
	case STORE_K_TRANSFUSIONS:
	case STORE_K_VACCINATIONS:
	case STORE_K_IVIG:
		return EF_ACT_NURSING;
	default:
		return EF_ACT_TREATMENT;
	}
}

/* ---- a put followed by the patient's rules ---- */

typedef int (*put_fn)(struct store *s, const void *rec, enum store_put *res, struct ef_err *err);

/* What a save is: the put, the record, and the signature it carries
 * (meaning NULL: none) on a row of `kind`. */
struct save_tx {
	const struct app_env *e;
	put_fn put;
	const void *rec;
	int64_t patient_id;
	enum store_kind kind;
	const char *meaning;
	ef_day on; /* the record's date (EF_NO_DAY: not checked) */
	struct app_saved *out;
	int death; /* the record says the patient died on `on` */
};

/* Nothing is dated after the patient's date of death. */
static int not_after_death(struct store *s, int64_t patient_id, ef_day on, struct ef_err *err)
{
	ef_day death;
	int rc = on == EF_NO_DAY ? EF_OK : store_patient_death(s, patient_id, &death, err);
	if (rc || on == EF_NO_DAY || death == EF_NO_DAY || on <= death)
		return rc;
	char d[11], o[11];
	ef_date_format(death, d);
	ef_date_format(on, o);
	return ef_errf(err, EF_INVALID, "%s is after the patient's date of death %s (nothing saved)", o, d);
}

/* A date of death is not before any valid record of the patient. */
static int not_before_records(struct store *s, int64_t patient_id, ef_day death, struct ef_err *err)
{
	ef_day last;
	char what[32], d[11], l[11];
	int rc = store_patient_latest_record(s, patient_id, &last, what, err);
	if (rc || last == EF_NO_DAY || last <= death)
		return rc;
	ef_date_format(death, d);
	ef_date_format(last, l);
	return ef_errf(err, EF_INVALID,
		       "death on %s is before the patient's %s of %s: correct the date or mark that record entered "
		       "in error (nothing saved)",
		       d, what, l);
}

static int save_body(struct store *s, void *ctx, struct ef_err *err)
{
	struct save_tx *t = ctx;
	int rc = not_after_death(s, t->patient_id, t->on, err);
	if (rc || (t->death && (rc = not_before_records(s, t->patient_id, t->on, err))))
		return rc;
	rc = t->put(s, t->rec, &t->out->put, err);
	if (rc || t->out->put == STORE_UNCHANGED)
		return rc;
	if (t->meaning &&
	    (rc = store_sign(s, t->e->me, t->patient_id, (int)t->kind, store_last_put_id(s), t->meaning, err)))
		return rc;
	return app_rules_apply(s, t->e->ref, t->patient_id, t->e->today, &t->out->alerts, err);
}

/* Check the permission and run the save in one transaction. */
static int save_run(struct save_tx *t, struct ef_err *err)
{
	*t->out = (struct app_saved){0};
	int rc = app_permit(t->e->me, app_kind_action(t->kind), err);
	if (!rc && (rc = store_tx(t->e->s, save_body, t, err)))
		*t->out = (struct app_saved){0};
	return rc;
}

static int save(const struct app_env *e, put_fn put, const void *rec, int64_t patient_id, enum store_kind kind,
		const char *meaning, ef_day on, struct app_saved *out, struct ef_err *err)
{
	*out = (struct app_saved){0};
	struct save_tx t = {e, put, rec, patient_id, kind, meaning, on, out, 0};
	return save_run(&t, err);
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

/* A record's date text as a day (EF_NO_DAY: none or not a date; the put's
 * own checks refuse it). */
static ef_day text_day(const char *s)
{
	ef_day d;
	return s && !ef_date_parse(s, strlen(s), &d) ? d : EF_NO_DAY;
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
	return save(e, put_lab, &c, r->patient_id, STORE_K_LABS, NULL, r->day, out, err);
}

int app_record_dose(const struct app_env *e, const struct store_vaccination_rec *r, struct app_saved *out,
		    struct ef_err *err)
{
	struct store_vaccination_rec c = *r;
	VALID_UNLESS_GIVEN(c);
	if ((!c.given_by || !*c.given_by) && e->me)
		c.given_by = e->me->login;
	const int administered = c.source_given && c.source && strcmp(c.source, "administered") == 0;
	return save(e, put_dose, &c, r->patient_id, STORE_K_VACCINATIONS, administered ? "administered" : NULL,
		    text_day(c.given_on), out, err);
}

int app_assess_gvhd_acute(const struct app_env *e, const struct store_gvhd_acute_rec *r, struct app_saved *out,
			  struct ef_err *err)
{
	struct store_gvhd_acute_rec c = *r;
	VALID_UNLESS_GIVEN(c);
	return save(e, put_acute, &c, r->patient_id, STORE_K_GVHD_ACUTE, "assessed", text_day(c.assessed_on), out, err);
}

int app_assess_gvhd_chronic(const struct app_env *e, const struct store_gvhd_chronic_rec *r,
			    struct app_saved *out, struct ef_err *err)
{
	struct store_gvhd_chronic_rec c = *r;
	VALID_UNLESS_GIVEN(c);
	return save(e, put_chronic, &c, r->patient_id, STORE_K_GVHD_CHRONIC, "assessed", text_day(c.assessed_on), out,
		    err);
}

static int put_status(struct store *s, const void *rec, enum store_put *res, struct ef_err *err)
{
	return store_put_status(s, rec, 0, res, err);
}

int app_record_status(const struct app_env *e, const struct store_status_rec *r, struct app_saved *out,
		      struct ef_err *err)
{
	struct store_status_rec c = *r;
	VALID_UNLESS_GIVEN(c);
	ef_day on = text_day(c.recorded_on);
	enum ef_status_kind k;
	size_t nl = c.note ? strlen(c.note) : 0;
	const char *why;
	*out = (struct app_saved){0};
	if (on == EF_NO_DAY)
		return ef_errf(err, EF_INVALID, "status: the date is not a real date (YYYY-MM-DD)");
	if (on > e->today)
		return ef_errf(err, EF_INVALID, "status: the date is in the future");
	if (!c.status || ef_status_kind_parse(c.status, strlen(c.status), &k))
		return ef_errf(err, EF_INVALID, "status: not one of %s", ef_vocab_words(EF_V_STATUS));
	if (nl > STORE_STATUS_NOTE_MAX)
		return ef_errf(err, EF_INVALID, "status: the note is too long (%zu bytes, at most %d)", nl,
			       STORE_STATUS_NOTE_MAX);
	if (nl && (why = ef_text_problem(c.note, nl, 1)))
		return ef_errf(err, EF_INVALID, "status: the note %s", why);
	struct save_tx t = {e, put_status, &c, r->patient_id, STORE_K_STATUS, NULL, on, out, k == EF_ST_DECEASED};
	return save_run(&t, err);
}

/* ---- one record of any kind, as a form enters it ---- */

struct enter_tx {
	const struct app_env *e;
	int now_sec;
	enum store_kind kind;
	unsigned flags;
	const char *const *cells;
	size_t n;
	ef_diag_fn diag;
	void *diag_ctx;
	struct app_saved *out;
	int64_t patient_id;
};

/* The column a refusal by natural key is said of: the key's first column
 * after the patient's MRN (a patient: the MRN). */
static const char *key_column(enum store_kind kind)
{
	const struct store_kind_desc *k = &store_kinds[kind];
	for (size_t i = 0; i < k->ncol; i++)
		if (k->col[i].csv && (k->col[i].flags & SC_KEY) && !(k->col[i].flags & SC_PATIENT))
			return k->col[i].name;
	return "mrn";
}

static int enter_refuse(const struct enter_tx *t, const char *why, struct ef_err *err)
{
	char msg[300];
	snprintf(msg, sizeof msg, "%s: %s", key_column(t->kind), why);
	if (t->diag)
		t->diag(t->diag_ctx, msg);
	return ef_errf(err, EF_INVALID, "%s; nothing saved", msg);
}

static int enter_body(struct store *s, void *ctx, struct ef_err *err)
{
	struct enter_tx *t = ctx;
	struct ef_import_opts opts = {.today = t->e->today, .now_sec = t->now_sec, .max_errors = 50, .diag = t->diag,
				      .diag_ctx = t->diag_ctx};
	struct ef_enter_result res;
	int rc = ef_enter_row(s, t->kind, t->cells, t->n, &opts, &res, err);
	if (rc)
		return rc;
	const char *what = store_kinds[t->kind].what;
	char why[200];
	if ((t->flags & APP_ENTER_NEW) && res.put == STORE_UPDATED) {
		if (t->kind == STORE_K_PATIENTS) /* fits a form's field at 80 columns */
			snprintf(why, sizeof why, "already registered, with other details");
		else
			snprintf(why, sizeof why, "this %s is already recorded (same patient and %s) with other values",
				 what, key_column(t->kind));
		return enter_refuse(t, why, err);
	}
	if ((t->flags & APP_ENTER_EXISTING) && res.put == STORE_INSERTED) {
		snprintf(why, sizeof why, "no such %s is recorded", what);
		return enter_refuse(t, why, err);
	}
	t->out->put = res.put;
	t->patient_id = res.patient_id;
	if (res.put == STORE_UNCHANGED)
		return EF_OK;
	return app_rules_apply(s, t->e->ref, res.patient_id, t->e->today, &t->out->alerts, err);
}

int app_enter_record(const struct app_env *e, int now_sec, enum store_kind kind, unsigned flags,
		     const char *const *cells, size_t n, ef_diag_fn diag, void *diag_ctx, struct app_saved *out,
		     int64_t *patient_id, struct ef_err *err)
{
	*out = (struct app_saved){0};
	if (patient_id)
		*patient_id = 0;
	if ((unsigned)kind >= STORE_K_COUNT)
		return ef_errf(err, EF_USAGE, "unknown record kind");
	int rc = app_permit(e->me, app_kind_action(kind), err);
	if (rc)
		return rc;
	/* A record entered one at a time is valid (VALID_UNLESS_GIVEN): an
	 * absent entered_in_error cell is given empty. */
	size_t ncol;
	const char *const *cols = ef_kind_columns(kind, &ncol);
	const char *padded[32];
	if (n + 1 == ncol && ncol <= NELEM_APP(padded) && strcmp(cols[ncol - 1], "entered_in_error") == 0) {
		for (size_t i = 0; i < n; i++)
			padded[i] = cells[i];
		padded[n] = "";
		cells = padded;
		n = ncol;
	}
	struct enter_tx t = {e, now_sec, kind, flags, cells, n, diag, diag_ctx, out, 0};
	rc = store_tx(e->s, enter_body, &t, err);
	if (rc) {
		*out = (struct app_saved){0};
		return rc;
	}
	if (patient_id)
		*patient_id = t.patient_id;
	return EF_OK;
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
	int rc = app_permit(e->me, EF_ACT_CHECK, err);
	if (rc)
		return rc;
	struct check_tx t = {e, patient_id, counts};
	return store_tx(e->s, check_body, &t, err);
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

struct ack_tx {
	const struct app_env *e;
	int64_t alert_id;
	ef_day on, until;
	const char *reason;
};

/* The alert's rule decides who may acknowledge it (access.h). */
static int ack_body(struct store *s, void *ctx, struct ef_err *err)
{
	const struct ack_tx *t = ctx;
	struct store_alert a;
	int found, rc;
	enum ef_rule rule;
	if ((rc = store_alert_get(s, t->alert_id, &a, &found, err)))
		return rc;
	if (!found)
		return ef_errf(err, EF_INVALID, "no alert %lld", (long long)t->alert_id);
	if (ef_rule_parse(a.rule, &rule))
		return ef_errf(err, EF_DB, "alert %lld has an unknown rule", (long long)t->alert_id);
	if ((rc = app_permit(t->e->me, ef_ack_action(rule), err)) ||
	    (rc = store_alert_ack(s, t->alert_id, t->on, t->reason, t->until, err)))
		return rc;
	return store_sign(s, t->e->me, a.patient_id, STORE_SIGN_ALERT, t->alert_id, "acknowledged", err);
}

int app_ack_alert(const struct app_env *e, int64_t alert_id, ef_day on, const char *reason, ef_day until,
		  struct ef_err *err)
{
	if (!e->me)
		return app_permit(NULL, EF_ACT_READ, err);
	const char *why = app_reason_problem(reason);
	if (why)
		return ef_errf(err, EF_USAGE, "%s", why);
	if (on > e->today)
		return ef_errf(err, EF_USAGE, "an acknowledgement is never dated after today");
	if (until != EF_NO_DAY && until < on)
		return ef_errf(err, EF_USAGE, "the until date is before the acknowledgement date");
	struct ack_tx t = {e, alert_id, on, until, reason};
	return store_tx(e->s, ack_body, &t, err);
}

struct acks_tx {
	const struct app_env *e;
	const int64_t *ids;
	size_t n;
	ef_day on, until;
	const char *reason;
};

static int acks_body(struct store *s, void *ctx, struct ef_err *err)
{
	const struct acks_tx *t = ctx;
	int64_t patient = 0;
	for (size_t i = 0; i < t->n; i++) {
		struct store_alert a;
		int found, rc;
		if ((rc = store_alert_get(s, t->ids[i], &a, &found, err)))
			return rc;
		if (!found)
			return ef_errf(err, EF_INVALID, "no alert %lld", (long long)t->ids[i]);
		if (i && a.patient_id != patient)
			return ef_errf(err, EF_INVALID, "alert %lld is another patient's: one reason is for one patient's "
					       "alerts", (long long)t->ids[i]);
		patient = a.patient_id;
		struct ack_tx one = {t->e, t->ids[i], t->on, t->until, t->reason};
		if ((rc = ack_body(s, &one, err)))
			return rc;
	}
	return EF_OK;
}

int app_ack_alerts(const struct app_env *e, const int64_t *alert_ids, size_t n, ef_day on, const char *reason,
		   ef_day until, struct ef_err *err)
{
	if (!e->me)
		return app_permit(NULL, EF_ACT_READ, err);
	if (n == 0)
		return ef_errf(err, EF_USAGE, "no alert to acknowledge");
	const char *why = app_reason_problem(reason);
	if (why)
		return ef_errf(err, EF_USAGE, "%s", why);
	if (on > e->today)
		return ef_errf(err, EF_USAGE, "an acknowledgement is never dated after today");
	if (until != EF_NO_DAY && until < on)
		return ef_errf(err, EF_USAGE, "the until date is before the acknowledgement date");
	struct acks_tx t = {e, alert_ids, n, on, until, reason};
	return store_tx(e->s, acks_body, &t, err);
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
	if (rc || (rc = store_sign(s, t->e->me, t->patient_id, (int)t->kind, t->id, "entered in error", err)))
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
	int rc = app_permit(e->me, app_kind_action(kind), err);
	if (rc)
		return rc;
	struct mark_tx t = {e, patient_id, id, kind, reason, out};
	rc = store_tx(e->s, mark_body, &t, err);
	if (rc)
		*out = (struct app_saved){0};
	return rc;
}

/* ---- import a file ---- */

int app_file_name_ok(const char *name, struct ef_err *err)
{
	if (ef_text_problem(name, strlen(name), 0) || strlen(name) > 1000)
		return ef_errf(err, EF_USAGE, "import: the file name '%.200s' has control characters or is over 1000 "
					      "bytes; rename the file (or use - and standard input)", name);
	return EF_OK;
}

int app_import_file(const struct app_env *e, int now_sec, enum store_kind kind, FILE *in, const char *name,
		    ef_diag_fn diag, void *diag_ctx, struct ef_import_result *res, struct ef_err *err)
{
	int rc = app_file_name_ok(name, err);
	if (rc || (rc = app_permit(e->me, app_kind_action(kind), err)))
		return rc;
	struct ef_import_opts opts = {.today = e->today, .now_sec = now_sec, .max_errors = 50, .diag = diag,
				      .diag_ctx = diag_ctx, .before_commit = app_refresh_hook, .before_commit_ctx = (void *)e};
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

/* ---- the demo cohort ---- */

int app_demo(const struct app_env *e, const struct ef_demo_opts *o, struct ef_demo_counts *out, struct ef_err *err)
{
	int rc = app_permit(e->me, EF_ACT_DEMO, err);
	struct ef_demo_opts with = *o; /* the site's follow-up calendar */
	if (!with.ref)
		with.ref = e->ref;
	if (rc == EF_OK)
		rc = ef_demo_generate(e->s, &with, out, err);
	/* the worklists read the kept forecasts: the cohort's, as of today */
	return rc ? rc : store_tx(e->s, app_refresh_hook, (void *)e, err);
}

/* ---- reference data ---- */

/* The forecasts refreshed with the reference rows now in the store (not
 * e->ref, read before they were replaced). */
static int refresh_with_new_rows(struct store *s, void *ctx, struct ef_err *err)
{
	const struct app_env *e = ctx;
	return app_forecasts_refresh_in(s, NULL, e->today, e->today, err);
}

int app_load_assets(const struct app_env *e, const char *dir, struct ef_err *err)
{
	int rc = app_permit(e->me, EF_ACT_REFERENCE, err);
	if (rc == EF_OK)
		rc = ef_load_assets(e->s, dir, err);
	/* every kept forecast came from the old rows: the worklists' ones again
	 * now (the findings wait for the next check), so that no nurse's first
	 * worklist of the day computes the whole clinic's */
	return rc ? rc : store_tx(e->s, refresh_with_new_rows, (void *)e, err);
}

/* ---- staff ---- */

struct staff_tx {
	const char *login;
	const struct store_staff *add; /* add this row, or: */
	int role, active;              /* -1: unchanged */
};

/* Removing the last active admin would leave a database no one can
 * manage: refused. */
static int keeps_an_admin(struct store *s, const struct staff_tx *t, struct ef_err *err)
{
	struct store_staff cur;
	int found;
	long admins;
	int rc = store_staff_get(s, t->login, &cur, &found, err);
	if (rc || !found || cur.role != EF_ROLE_ADMIN || !cur.active)
		return rc;
	const int leaves = t->active == 0 || (t->role >= 0 && t->role != EF_ROLE_ADMIN);
	if (!leaves)
		return EF_OK;
	if ((rc = store_staff_active_admins(s, &admins, err)))
		return rc;
	if (admins <= 1)
		return ef_errf(err, EF_INVALID,
			       "'%s' is the last active admin: add another admin first (nothing was changed)",
			       t->login);
	return EF_OK;
}

static int staff_body(struct store *s, void *ctx, struct ef_err *err)
{
	const struct staff_tx *t = ctx;
	if (t->add)
		return store_staff_add(s, t->add, err);
	int rc = keeps_an_admin(s, t, err);
	if (rc == EF_OK && t->role >= 0)
		rc = store_staff_set_role(s, t->login, (enum ef_role)t->role, err);
	if (rc == EF_OK && t->active >= 0)
		rc = store_staff_set_active(s, t->login, t->active, err);
	return rc;
}

static int staff_change(const struct app_env *e, struct staff_tx *t, struct ef_err *err)
{
	int rc = app_permit(e->me, EF_ACT_STAFF, err);
	if (rc)
		return rc;
	const char *why = ef_login_problem(t->login);
	if (why)
		return ef_errf(err, EF_USAGE, "'%s': %s", t->login, why);
	return store_tx(e->s, staff_body, t, err);
}

/* A printed name or title: text without control characters, 1 to max bytes. */
static int staff_text(const char *what, const char *v, size_t max, struct ef_err *err)
{
	size_t n = strlen(v);
	if (n == 0 || !v[strspn(v, " ")])
		return ef_errf(err, EF_USAGE, "the %s is empty", what);
	if (n > max)
		return ef_errf(err, EF_USAGE, "the %s is too long (%zu bytes, at most %zu)", what, n, max);
	if (ef_text_problem(v, n, 0))
		return ef_errf(err, EF_USAGE, "the %s has control characters or is not UTF-8 text", what);
	return EF_OK;
}

int app_staff_add(const struct app_env *e, const char *login, enum ef_role role, const char *name,
		  const char *title, struct ef_err *err)
{
	struct store_staff row = {.role = role, .active = 1};
	int rc;
	if ((rc = app_permit(e->me, EF_ACT_STAFF, err)))
		return rc;
	if ((unsigned)role >= EF_ROLE_COUNT)
		return ef_errf(err, EF_USAGE, "unknown role");
	if ((rc = staff_text("name", name ? name : "", STORE_STAFF_NAME_MAX, err)) ||
	    (title && *title && (rc = staff_text("title", title, STORE_STAFF_TITLE_MAX, err))))
		return rc;
	const char *why = ef_login_problem(login);
	if (why)
		return ef_errf(err, EF_USAGE, "'%s': %s", login, why);
	if (!store_login_exists(login))
		return ef_errf(err, EF_INVALID,
			       "there is no login '%s' on this machine: create the account first (adduser %s), then "
			       "add it", login, login);
	snprintf(row.login, sizeof row.login, "%s", login);
	snprintf(row.name, sizeof row.name, "%s", name);
	snprintf(row.title, sizeof row.title, "%s", title ? title : "");
	struct staff_tx t = {login, &row, -1, -1};
	return staff_change(e, &t, err);
}

int app_staff_set_role(const struct app_env *e, const char *login, enum ef_role role, struct ef_err *err)
{
	if ((unsigned)role >= EF_ROLE_COUNT)
		return ef_errf(err, EF_USAGE, "unknown role");
	struct staff_tx t = {login, NULL, (int)role, -1};
	return staff_change(e, &t, err);
}

int app_staff_set_active(const struct app_env *e, const char *login, int active, struct ef_err *err)
{
	struct staff_tx t = {login, NULL, -1, active != 0};
	return staff_change(e, &t, err);
}
