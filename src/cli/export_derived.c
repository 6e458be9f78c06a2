/* export_derived.c - the computed export kinds of docs/formats.md s.8: alerts, due,
 * engraftment, gvhd, followup-status. Rows are written per patient and ordered by MRN like
 * the import kinds; dates are ISO, empty cells for "none". */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_int.h"
#include "engraft/alertstore.h"
#include "engraft/csvio.h"
#include "engraft/engraftment.h"
#include "engraft/gvhd.h"
#include "engraft/refstore.h"
#include "engraft/followup.h"
#include "engraft/vaccines.h"
#include "engraft/vital.h"

/* ---- per-patient chunks, sorted by MRN before writing ------------------- */

struct chunk {
	char mrn[64];
	char *buf;
	size_t len;
};

struct chunks {
	struct chunk *v;
	size_t n, cap;
};

static int chunks_add(struct chunks *c, const char *mrn, char *buf, size_t len, struct ef_err *err)
{
	if (c->n == c->cap) {
		size_t nc = c->cap ? c->cap * 2 : 64;
		struct chunk *p = realloc(c->v, nc * sizeof *p);
		if (!p) {
			free(buf);
			return ef_errf(err, EF_DB, "out of memory");
		}
		c->v = p;
		c->cap = nc;
	}
	struct chunk *k = &c->v[c->n++];
	snprintf(k->mrn, sizeof k->mrn, "%s", mrn);
	k->buf = buf;
	k->len = len;
	return EF_OK;
}

static int cmp_chunk(const void *a, const void *b)
{
	return strcmp(((const struct chunk *)a)->mrn, ((const struct chunk *)b)->mrn);
}

static int chunks_write(struct chunks *c, FILE *out, struct ef_err *err)
{
	int rc = EF_OK;
	if (c->n > 1)
		qsort(c->v, c->n, sizeof *c->v, cmp_chunk);
	for (size_t i = 0; i < c->n; i++) {
		if (rc == EF_OK && c->v[i].len && fwrite(c->v[i].buf, 1, c->v[i].len, out) != c->v[i].len)
			rc = ef_errf(err, EF_DB, "cannot write the export: %s%s", strerror(errno), ef_io_hint(errno));
		free(c->v[i].buf);
	}
	free(c->v);
	return rc;
}

static int write_header(FILE *out, const char *const *cols, size_t n, struct ef_err *err)
{
	struct ef_csv_writer w;
	if (ef_csv_writer_init(&w, out))
		return ef_errf(err, EF_DB, "out of memory");
	ef_csv_write_row(&w, cols, n);
	return ef_csv_writer_finish(&w) ? ef_csv_writer_errf(&w, err) : EF_OK;
}

/* One patient's rows go to a memory stream through a CSV writer. */
struct patient_out {
	char *buf;
	size_t len;
	FILE *f;
	struct ef_csv_writer w;
};

static int pout_open(struct patient_out *p, struct ef_err *err)
{
	memset(p, 0, sizeof *p);
	p->f = open_memstream(&p->buf, &p->len);
	if (!p->f || ef_csv_writer_init(&p->w, p->f)) {
		if (p->f)
			fclose(p->f);
		free(p->buf);
		return ef_errf(err, EF_DB, "out of memory");
	}
	return EF_OK;
}

static int pout_close(struct patient_out *p, struct chunks *c, const char *mrn, struct ef_err *err)
{
	int bad = ef_csv_writer_finish(&p->w);
	bad |= fclose(p->f);
	if (bad) {
		free(p->buf);
		return ef_errf(err, EF_DB, "out of memory");
	}
	if (p->len == 0) {
		free(p->buf);
		return EF_OK;
	}
	return chunks_add(c, mrn, p->buf, p->len, err);
}

/* Shared driver: header, then fn per timeline into chunks. */
struct derived_ctx {
	const struct ef_reference *ref;
	ef_day as_of;
	struct chunks chunks;
	int (*rows)(struct derived_ctx *d, const struct ef_timeline *tl, struct ef_csv_writer *w, struct ef_err *err);
	unsigned parts; /* enum store_tl_part: what the rows read */
};

static int derived_one(void *ctx, const struct ef_timeline *tl, struct ef_err *err)
{
	struct derived_ctx *d = ctx;
	struct patient_out p;
	int rc = pout_open(&p, err);
	if (rc)
		return rc;
	rc = d->rows(d, tl, &p.w, err);
	int rc2 = pout_close(&p, &d->chunks, tl->patient.mrn, err);
	return rc ? rc : rc2;
}

static int run_derived(struct cli *c, ef_day as_of, const char *mrn, FILE *out, const char *const *cols, size_t n,
		       int need_ref, struct derived_ctx *d, struct ef_err *err)
{
	struct ef_reference ref;
	int rc = EF_OK;
	d->as_of = as_of;
	if (need_ref) {
		if ((rc = store_reference_load(c->store, &ref, err)))
			return rc;
		d->ref = &ref;
	}
	rc = write_header(out, cols, n, err);
	if (rc == EF_OK)
		rc = store_each_timeline_parts(c->store, as_of, mrn, d->parts, derived_one, d, err);
	int rc2 = chunks_write(&d->chunks, out, err);
	if (need_ref)
		ef_reference_free(&ref);
	d->ref = NULL; /* it pointed at this frame */
	return rc ? rc : rc2;
}

static void day_or_empty(ef_day d, char out[11])
{
	ef_date_format(d, out);
}

/* ---- due and followup: the kept forecasts, in MRN order (app_each_due) ----- */

struct kept_out {
	struct ef_csv_writer w;
};

static int due_row(void *ctx, const struct store_kept_patient *p, const struct ef_due *e, struct ef_err *err)
{
	struct kept_out *k = ctx;
	char dose[12], due[11];
	(void)err;
	snprintf(dose, sizeof dose, "%d", e->dose);
	day_or_empty(e->due_on, due);
	const char *row[] = {p->mrn, e->series, dose, due, ef_due_status_str(e->status), e->reason};
	ef_csv_write_row(&k->w, row, 6);
	return EF_OK;
}

static int followup_row(void *ctx, const struct store_kept_patient *p, const struct ef_fu_entry *e,
			struct ef_err *err)
{
	struct kept_out *k = ctx;
	char due[11];
	(void)err;
	if (e->status == EF_FU_DONE)
		return EF_OK;
	day_or_empty(e->due_on, due);
	const char *row[] = {p->mrn, e->item, e->time_point, due, ef_fu_status_str(e->status), e->reason};
	ef_csv_write_row(&k->w, row, 6);
	return EF_OK;
}

static int run_kept(struct cli *c, ef_day as_of, const char *mrn, FILE *out, const char *const *cols, int due,
		    struct ef_err *err)
{
	struct ef_reference ref;
	struct kept_out k;
	int rc = store_reference_load(c->store, &ref, err);
	if (rc)
		return rc;
	if (ef_csv_writer_init(&k.w, out)) {
		ef_reference_free(&ref);
		return ef_errf(err, EF_DB, "out of memory");
	}
	ef_csv_write_row(&k.w, cols, 6);
	struct app_env env = cli_env(c, &ref);
	rc = due ? app_each_due(&env, as_of, mrn, due_row, &k, err)
		 : app_each_followup(&env, as_of, mrn, followup_row, &k, err);
	int bad = ef_csv_writer_finish(&k.w);
	ef_reference_free(&ref);
	if (rc == EF_OK && bad)
		rc = ef_csv_writer_errf(&k.w, err);
	return rc;
}

int export_due(struct cli *c, ef_day as_of, const char *mrn, FILE *out, struct ef_err *err)
{
	static const char *const cols[] = {"mrn", "vaccine", "dose", "due_on", "status", "reason"};
	return run_kept(c, as_of, mrn, out, cols, 1, err);
}

int export_followup(struct cli *c, ef_day as_of, const char *mrn, FILE *out, struct ef_err *err)
{
	static const char *const cols[] = {"mrn", "item", "time_point", "due_on", "status", "reason"};
	return run_kept(c, as_of, mrn, out, cols, 0, err);
}

/* ---- engraftment ----------------------------------------------------------- */

static int cmp_transplant(const void *a, const void *b)
{
	ef_day x = (*(const struct ef_transplant *const *)a)->day0, y = (*(const struct ef_transplant *const *)b)->day0;
	return x < y ? -1 : x > y;
}

static void day_number(ef_day d, ef_day day0, char out[12])
{
	if (d == EF_NO_DAY)
		out[0] = '\0';
	else
		snprintf(out, 12, "%d", (int)(d - day0));
}

static int engraftment_rows(struct derived_ctx *d, const struct ef_timeline *tl, struct ef_csv_writer *w,
			    struct ef_err *err)
{
	const struct ef_transplant **tps = malloc((tl->n_transplants ? tl->n_transplants : 1) * sizeof *tps);
	if (!tps)
		return ef_errf(err, EF_DB, "out of memory");
	size_t n = 0;
	for (size_t i = 0; i < tl->n_transplants; i++)
		if (tl->transplants[i].day0 <= d->as_of)
			tps[n++] = &tl->transplants[i];
	if (n > 1)
		qsort(tps, n, sizeof *tps, cmp_transplant);
	int rc = EF_OK;
	for (size_t i = 0; rc == EF_OK && i < n; i++) {
		struct ef_engraftment e;
		if ((rc = ef_engraftment_eval(tl, tps[i], d->ref, d->as_of, &e, err)))
			break;
		char day0[11], anc[11], plt[11], anc_day[12], plt_day[12];
		ef_date_format(tps[i]->day0, day0);
		day_or_empty(e.anc.date, anc);
		day_or_empty(e.plt.date, plt);
		day_number(e.anc.date, e.day0, anc_day);
		day_number(e.plt.date, e.day0, plt_day);
		const char *row[] = {tl->patient.mrn, day0, anc, anc_day, plt, plt_day, ef_engraft_status_str(e.status)};
		ef_csv_write_row(w, row, 7);
	}
	free(tps);
	return rc;
}

int export_engraftment(struct cli *c, ef_day as_of, const char *mrn, FILE *out, struct ef_err *err)
{
	static const char *const cols[] = {"mrn", "transplant_date", "anc_date", "anc_day", "plt_date", "plt_day",
					   "status"};
	struct derived_ctx d = {.rows = engraftment_rows, .parts = STORE_TL_LABS | STORE_TL_TRANSFUSIONS};
	return run_derived(c, as_of, mrn, out, cols, 7, 1, &d, err);
}

/* ---- gvhd -------------------------------------------------------------------- */

struct grade_row {
	ef_day day;
	int chronic;
	const char *grade;
};

static int cmp_grade_row(const void *a, const void *b)
{
	const struct grade_row *x = a, *y = b;
	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	return x->chronic - y->chronic;
}

static int gvhd_rows(struct derived_ctx *d, const struct ef_timeline *tl, struct ef_csv_writer *w,
		     struct ef_err *err)
{
	size_t n = 0, cap = tl->n_acute + tl->n_chronic;
	struct grade_row *v = malloc((cap ? cap : 1) * sizeof *v);
	if (!v)
		return ef_errf(err, EF_DB, "out of memory");
	for (size_t i = 0; i < tl->n_acute; i++)
		if (tl->acute[i].day <= d->as_of)
			v[n++] = (struct grade_row){tl->acute[i].day, 0, ef_agvhd_grade_str(ef_agvhd_grade_of(&tl->acute[i]))};
	for (size_t i = 0; i < tl->n_chronic; i++)
		if (tl->chronic[i].day <= d->as_of)
			v[n++] = (struct grade_row){tl->chronic[i].day, 1,
						    ef_cgvhd_severity_str(ef_cgvhd_severity_of(&tl->chronic[i]))};
	if (n > 1)
		qsort(v, n, sizeof *v, cmp_grade_row);
	for (size_t i = 0; i < n; i++) {
		char day[11];
		ef_date_format(v[i].day, day);
		const char *row[] = {tl->patient.mrn, day, v[i].chronic ? "chronic" : "acute", v[i].grade};
		ef_csv_write_row(w, row, 4);
	}
	free(v);
	return EF_OK;
}

int export_gvhd(struct cli *c, ef_day as_of, const char *mrn, FILE *out, struct ef_err *err)
{
	static const char *const cols[] = {"mrn", "assessed_on", "kind", "grade"};
	struct derived_ctx d = {.rows = gvhd_rows, .parts = STORE_TL_GVHD};
	return run_derived(c, as_of, mrn, out, cols, 4, 0, &d, err);
}

/* ---- followup-status ------------------------------------------------------- */

static int followup_status_rows(struct derived_ctx *d, const struct ef_timeline *tl, struct ef_csv_writer *w,
				struct ef_err *err)
{
	(void)err;
	struct ef_vital v;
	ef_vital_status(tl, d->as_of, &v);
	char dead[11], contact[11], relapse[11];
	day_or_empty(v.deceased_on, dead);
	day_or_empty(v.last_contact, contact);
	day_or_empty(v.relapse_on, relapse);
	const char *row[] = {tl->patient.mrn, v.deceased ? "deceased" : "alive", dead, contact,
			     v.in_care ? "yes" : "no", relapse};
	ef_csv_write_row(w, row, 6);
	return EF_OK;
}

int export_followup_status(struct cli *c, ef_day as_of, const char *mrn, FILE *out, struct ef_err *err)
{
	static const char *const cols[] = {"mrn",	     "vital_status", "deceased_on",
					   "last_contact_on", "in_care",	     "relapse_on"};
	struct derived_ctx d = {.rows = followup_status_rows, .parts = STORE_TL_ALL};
	return run_derived(c, as_of, mrn, out, cols, 6, 0, &d, err);
}

/* ---- alerts ------------------------------------------------------------------ */

static int alert_row(void *ctx, const struct store_alert *a, struct ef_err *err)
{
	struct ef_csv_writer *w = ctx;
	char id[24];
	(void)err;
	snprintf(id, sizeof id, "%lld", (long long)a->alert_id);
	const char *row[] = {id,         a->mrn,    a->rule,          a->subject,         ef_severity_str(a->severity),
			     ef_alert_status_str(a->status),  a->raised_on, a->due_on,     a->acknowledged_by, a->acknowledged_on,
			     a->reason,  a->until,  a->message};
	ef_csv_write_row(w, row, 13);
	return EF_OK;
}

int export_alerts(struct cli *c, ef_day as_of, const char *mrn, FILE *out, struct ef_err *err)
{
	static const char *const cols[] = {"alert_id",        "mrn",    "rule",  "subject", "severity",
					   "status",          "raised_on", "due_on", "acknowledged_by",
					   "acknowledged_on", "reason", "until", "message"};
	struct ef_csv_writer w;
	if (ef_csv_writer_init(&w, out))
		return ef_errf(err, EF_DB, "out of memory");
	ef_csv_write_row(&w, cols, 13);
	int rc = store_alerts_each(c->store, as_of, mrn, STORE_ALERTS_ALL, alert_row, &w, err);
	if (ef_csv_writer_finish(&w) && rc == EF_OK)
		rc = ef_csv_writer_errf(&w, err);
	return rc;
}
