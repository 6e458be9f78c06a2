/* kept.c - the kept state (keptstore.h, schema 017) from the application's
 * side: every write's transaction refreshes the forecasts it made stale,
 * and `check` evaluates only the patients whose kept findings or forecasts
 * do not hold on its day (all of them with --all). */
#include <stdlib.h>
#include <string.h>

#include "app_int.h"
#include "engraft/keptstore.h"
#include "engraft/refstore.h"
#include "engraft/rules.h"

/* Loading patients one by one beats one pass over every table while fewer
 * than 1 in PER_PATIENT_BELOW are to be read. */
#define PER_PATIENT_BELOW 8

/* Until when something computed as of as_of from a timeline loaded as of
 * it holds: a timeline of a day before today leaves out the records dated
 * after it, so its result holds for that day only. */
static ef_day kept_until(ef_day as_of, ef_day today, ef_day next_change)
{
	return as_of < today ? as_of + 1 : next_change;
}

int app_keep_forecasts(struct store *s, const struct ef_reference *ref, const struct ef_timeline *tl, ef_day as_of,
		       ef_day today, struct ef_err *err)
{
	struct ef_due_list due;
	struct ef_fu_list fu;
	ef_due_list_init(&due);
	ef_fu_list_init(&fu);
	int rc = ef_vaccines_forecast(tl, ref, as_of, &due, err);
	if (rc == EF_OK)
		rc = ef_followup_calendar(tl, ref, as_of, &fu, err);
	if (rc == EF_OK) {
		due.next_change = kept_until(as_of, today, due.next_change);
		fu.next_change = kept_until(as_of, today, fu.next_change);
		rc = store_forecasts_put(s, tl->patient.id, as_of, &due, &fu, err);
	}
	ef_fu_list_free(&fu);
	ef_due_list_free(&due);
	return rc;
}

int app_rules_keep(struct store *s, const struct ef_reference *ref, const struct ef_timeline *tl, ef_day as_of,
		   ef_day today, struct ef_findings *f, struct ef_check_counts *counts, struct ef_err *err)
{
	int rc = ef_rules_evaluate(tl, ref, as_of, f, err);
	if (rc == EF_OK)
		rc = store_alerts_apply(s, tl->patient.id, as_of, f, counts, err);
	if (rc == EF_OK)
		rc = store_rules_kept(s, tl->patient.id, as_of, kept_until(as_of, today, f->next_change), err);
	return rc;
}

/* ---- the patients to look at: two ascending id lists, merged ------------------- */

struct stale {
	int64_t *rules, *forecasts; /* ascending ids */
	size_t n_rules, n_forecasts;
	size_t i, j;                /* merge positions */
	int64_t total;
};

static void stale_free(struct stale *st)
{
	free(st->rules);
	free(st->forecasts);
	memset(st, 0, sizeof *st);
}

/* What patient id needs: bit 1 its rules, bit 2 its forecasts (0: neither);
 * the merge moves past it. Called with ascending ids. */
static unsigned stale_need(struct stale *st, int64_t id)
{
	unsigned need = 0;
	while (st->i < st->n_rules && st->rules[st->i] < id)
		st->i++;
	while (st->j < st->n_forecasts && st->forecasts[st->j] < id)
		st->j++;
	if (st->i < st->n_rules && st->rules[st->i] == id) {
		need |= 1u;
		st->i++;
	}
	if (st->j < st->n_forecasts && st->forecasts[st->j] == id) {
		need |= 2u;
		st->j++;
	}
	return need;
}

/* Both lists hold only `id`: a check of one patient (--mrn) looks at it. */
static int stale_one(struct stale *st, int64_t id, struct ef_err *err)
{
	st->rules = malloc(sizeof *st->rules);
	st->forecasts = malloc(sizeof *st->forecasts);
	if (!st->rules || !st->forecasts)
		return ef_errf(err, EF_DB, "out of memory");
	st->rules[0] = st->forecasts[0] = id;
	st->n_rules = st->n_forecasts = 1;
	st->total = 1;
	return EF_OK;
}

/* The next id of either list after the merge positions, or 0 when done. */
static int64_t stale_next(struct stale *st)
{
	int64_t a = st->i < st->n_rules ? st->rules[st->i] : 0;
	int64_t b = st->j < st->n_forecasts ? st->forecasts[st->j] : 0;
	return !a ? b : !b ? a : a < b ? a : b;
}

static size_t stale_count(const struct stale *st)
{
	size_t n = 0, i = 0, j = 0;
	while (i < st->n_rules || j < st->n_forecasts) {
		int64_t a = i < st->n_rules ? st->rules[i] : INT64_MAX;
		int64_t b = j < st->n_forecasts ? st->forecasts[j] : INT64_MAX;
		i += a <= b;
		j += b <= a;
		n++;
	}
	return n;
}

/* ---- one pass ------------------------------------------------------------------- */

struct pass {
	struct store *s;
	const struct ef_reference *ref;
	ef_day as_of, today;
	struct stale st;
	struct ef_findings f;
	struct ef_check_counts *counts; /* NULL: forecasts only */
};

static int pass_one(void *ctx, const struct ef_timeline *tl, struct ef_err *err)
{
	struct pass *p = ctx;
	unsigned need = stale_need(&p->st, tl->patient.id);
	int rc = EF_OK;
	if ((need & 1u) && p->counts) {
		rc = app_rules_keep(p->s, p->ref, tl, p->as_of, p->today, &p->f, p->counts, err);
		p->counts->evaluated++;
	}
	if (rc == EF_OK && (need & 2u))
		rc = app_keep_forecasts(p->s, p->ref, tl, p->as_of, p->today, err);
	return rc;
}

static int pass_run(struct pass *p, const char *mrn, struct ef_err *err)
{
	size_t n = stale_count(&p->st);
	/* the forecasts need no lab results, most of the data */
	unsigned parts = p->st.n_rules && p->counts ? STORE_TL_ALL : STORE_TL_VACCINES | STORE_TL_FOLLOWUPS;
	if (n == 0)
		return EF_OK;
	if ((int64_t)n * PER_PATIENT_BELOW >= p->st.total)
		return store_each_timeline_parts(p->s, p->as_of, mrn, parts, pass_one, p, err);
	struct ef_timeline tl;
	ef_timeline_init(&tl);
	int rc = EF_OK;
	for (int64_t id; rc == EF_OK && (id = stale_next(&p->st)) != 0;) {
		rc = store_load_timeline_parts(p->s, id, p->as_of, parts, &tl, err);
		if (rc == EF_OK)
			rc = pass_one(p, &tl, err);
	}
	ef_timeline_free(&tl);
	return rc;
}

int app_forecasts_refresh_in(struct store *s, const struct ef_reference *ref, ef_day on, ef_day today,
			     struct ef_err *err)
{
	struct pass p = {s, ref, on, today, {0}, {0}, NULL};
	struct ef_reference own;
	int rc = store_forecasts_stale(s, on, &p.st.forecasts, &p.st.n_forecasts, &p.st.total, err);
	if (rc == EF_OK && p.st.n_forecasts && !ref) {
		if ((rc = store_reference_load(s, &own, err)) == EF_OK)
			p.ref = &own;
	}
	if (rc == EF_OK)
		rc = pass_run(&p, NULL, err);
	if (p.ref && p.ref != ref)
		ef_reference_free(&own);
	stale_free(&p.st);
	return rc;
}

int app_refresh_hook(struct store *s, void *ctx, struct ef_err *err)
{
	const struct app_env *e = ctx;
	return app_forecasts_refresh_in(s, e->ref, e->today, e->today, err);
}

int app_forecasts_refresh(const struct app_env *e, struct ef_err *err)
{
	int rc = app_permit(e->me, EF_ACT_READ, err);
	return rc ? rc : store_tx(e->s, app_refresh_hook, (void *)e, err);
}

/* ---- check ------------------------------------------------------------------------- */

struct clinic_tx {
	const struct app_env *e;
	ef_day as_of;
	const char *mrn;
	int all;
	struct ef_check_counts *counts;
};

static int clinic_body(struct store *s, void *ctx, struct ef_err *err)
{
	struct clinic_tx *t = ctx;
	struct pass p = {s, t->e->ref, t->as_of, t->e->today, {0}, {0}, t->counts};
	ef_findings_init(&p.f);
	int rc = EF_OK;
	if (t->mrn) { /* asked for by name: looked at whatever its kept state */
		int64_t id = 0;
		ef_day birth;
		if ((rc = store_patient_id(s, t->mrn, strlen(t->mrn), &id, &birth, err)))
			return rc;
		if (!id)
			return ef_errf(err, EF_INVALID, "no patient with MRN '%s'", t->mrn);
		rc = stale_one(&p.st, id, err);
		if (t->as_of != t->e->today)
			p.st.n_forecasts = 0;
	} else {
		/* --all: everything evaluated again; the forecasts too when this
		 * check keeps them (today), else they stay today's */
		if (t->all)
			rc = t->as_of == t->e->today ? store_kept_invalidate(s, err) : store_kept_invalidate_rules(s, err);
		if (rc == EF_OK)
			rc = store_rules_stale(s, t->as_of, &p.st.rules, &p.st.n_rules, &p.st.total, err);
		/* the worklists read today's forecasts: a check of an earlier day
		 * leaves them be */
		if (rc == EF_OK && t->as_of == t->e->today)
			rc = store_forecasts_stale(s, t->as_of, &p.st.forecasts, &p.st.n_forecasts,
						   &p.st.total, err);
	}
	if (rc == EF_OK)
		rc = pass_run(&p, t->mrn, err);
	t->counts->patients = p.st.total;
	/* An alert of a patient not looked at holds as it was: kept. Every
	 * open or acknowledged alert after a check was opened, reopened or
	 * kept by it. */
	int64_t live = 0;
	if (rc == EF_OK && (rc = store_alerts_live(s, t->mrn, &live, err)) == EF_OK)
		t->counts->kept = (long)live - t->counts->opened - t->counts->reopened;
	ef_findings_free(&p.f);
	stale_free(&p.st);
	return rc;
}

int app_check_clinic(const struct app_env *e, ef_day as_of, const char *mrn, int all, struct ef_check_counts *counts,
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
	int rc = app_permit(e->me, EF_ACT_CHECK, err);
	if (rc)
		return rc;
	struct clinic_tx t = {e, as_of, mrn, all, counts};
	return store_tx(e->s, clinic_body, &t, err);
}

/* ---- reading the forecasts: kept, or computed for the patients whose kept
 * ones do not hold ------------------------------------------------------------ */

struct each {
	const struct app_env *e;
	ef_day as_of;
	app_due_fn due_fn;
	app_fu_fn fu_fn;
	void *ctx;
	struct ef_timeline tl;
	struct ef_due_list due;
	struct ef_fu_list fu;
};

/* A patient whose kept list does not hold: its timeline as of the day. */
static int load_for(struct each *x, const struct store_kept_patient *p, unsigned parts, struct ef_err *err)
{
	return store_load_timeline_parts(x->e->s, p->id, x->as_of, parts, &x->tl, err);
}

static int due_entry(void *ctx, const struct store_kept_patient *p, const struct ef_due *d, struct ef_err *err)
{
	struct each *x = ctx;
	if (d || p->kept)
		return d ? x->due_fn(x->ctx, p, d, err) : EF_OK;
	int rc = load_for(x, p, STORE_TL_VACCINES, err);
	if (rc == EF_OK)
		rc = ef_vaccines_forecast(&x->tl, x->e->ref, x->as_of, &x->due, err);
	for (size_t i = 0; rc == EF_OK && i < x->due.n; i++)
		rc = x->due_fn(x->ctx, p, &x->due.v[i], err);
	return rc;
}

static int fu_entry(void *ctx, const struct store_kept_patient *p, const struct ef_fu_entry *f, struct ef_err *err)
{
	struct each *x = ctx;
	if (f || p->kept)
		return f ? x->fu_fn(x->ctx, p, f, err) : EF_OK;
	int rc = load_for(x, p, STORE_TL_FOLLOWUPS, err);
	if (rc == EF_OK)
		rc = ef_followup_calendar(&x->tl, x->e->ref, x->as_of, &x->fu, err);
	for (size_t i = 0; rc == EF_OK && i < x->fu.n; i++)
		rc = x->fu_fn(x->ctx, p, &x->fu.v[i], err);
	return rc;
}

static int each_run(struct each *x, const char *mrn, struct ef_err *err)
{
	int rc = app_permit(x->e->me, EF_ACT_READ, err);
	if (rc)
		return rc;
	if (!x->e->ref)
		return ef_errf(err, EF_USAGE, "the forecasts need the reference data");
	ef_timeline_init(&x->tl);
	ef_due_list_init(&x->due);
	ef_fu_list_init(&x->fu);
	rc = x->due_fn ? store_each_kept_due(x->e->s, x->as_of, mrn, due_entry, x, err)
		       : store_each_kept_followup(x->e->s, x->as_of, mrn, fu_entry, x, err);
	ef_fu_list_free(&x->fu);
	ef_due_list_free(&x->due);
	ef_timeline_free(&x->tl);
	return rc;
}

int app_each_due(const struct app_env *e, ef_day as_of, const char *mrn, app_due_fn fn, void *ctx,
		 struct ef_err *err)
{
	struct each x = {.e = e, .as_of = as_of, .due_fn = fn, .ctx = ctx};
	return each_run(&x, mrn, err);
}

int app_each_followup(const struct app_env *e, ef_day as_of, const char *mrn, app_fu_fn fn, void *ctx,
		      struct ef_err *err)
{
	struct each x = {.e = e, .as_of = as_of, .fu_fn = fn, .ctx = ctx};
	return each_run(&x, mrn, err);
}
