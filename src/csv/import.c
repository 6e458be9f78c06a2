/* import.c - validate CSV rows and load them in one transaction.
 *
 * Every cell is checked before anything is bound: UTF-8, no control
 * characters (free text may hold TAB/CR/LF), lengths, real calendar dates not
 * after today nor before the birth date, codes from the contract, stages in
 * range, lab units known for the test (converted to canonical, qualifier
 * kept). Every bad row is reported with its line and column; any bad row
 * rejects the whole file (rollback).
 *
 * entered_in_error (schema 006; the last, optional column of the clinical
 * kinds): the cell is the row's value, empty = valid, so a later file can
 * mark or clear a row (an update, audited); a file without the column
 * leaves existing rows' marks alone. Vaccinations: `source` administered or
 * historical (empty or no column = historical); an administered dose needs
 * lot and site, and a live one given while the live-vaccine gate was closed
 * needs override_reason. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engraft/columns.h"
#include "engraft/csvio.h"
#include "engraft/csvread.h"
#include "engraft/followup.h"
#include "engraft/gvhd.h"
#include "engraft/labref.h"
#include "engraft/refstore.h"
#include "engraft/text.h"
#include "engraft/units.h"
#include "kinds.h"

#define MAX_COLS 16

/* ---- MRN -> patient cache (open addressing) ---- */
struct pat_entry {
	char *mrn;
	int64_t id;
	ef_day birth;
	ef_day death; /* the date of death (EF_NO_DAY: none) */
};

struct pat_cache {
	struct pat_entry *e;
	size_t cap, n;
};

static uint64_t hash_str(const char *s, size_t n)
{
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
	return h;
}

static struct pat_entry *cache_find(struct pat_cache *c, const char *mrn, size_t n, int insert)
{
	if (insert && (c->n + 1) * 2 > c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 1024;
		struct pat_entry *e = calloc(cap, sizeof *e);
		if (!e)
			return NULL;
		for (size_t i = 0; i < c->cap; i++) {
			if (!c->e[i].mrn)
				continue;
			size_t j = hash_str(c->e[i].mrn, strlen(c->e[i].mrn)) & (cap - 1);
			while (e[j].mrn)
				j = (j + 1) & (cap - 1);
			e[j] = c->e[i];
		}
		free(c->e);
		c->e = e;
		c->cap = cap;
	}
	if (!c->cap)
		return NULL;
	size_t j = hash_str(mrn, n) & (c->cap - 1);
	while (c->e[j].mrn) {
		if (strlen(c->e[j].mrn) == n && memcmp(c->e[j].mrn, mrn, n) == 0)
			return &c->e[j];
		j = (j + 1) & (c->cap - 1);
	}
	if (!insert)
		return NULL;
	c->e[j].mrn = strndup(mrn, n);
	if (!c->e[j].mrn)
		return NULL;
	c->n++;
	return &c->e[j];
}

static void cache_free(struct pat_cache *c)
{
	for (size_t i = 0; i < c->cap; i++)
		free(c->e[i].mrn);
	free(c->e);
}

/* ---- import state ---- */
struct imp {
	struct store *s;
	enum store_kind kind;
	const char *name;
	const struct ef_import_opts *opts;
	struct ef_import_result *res;
	int idx[MAX_COLS];
	int have_header;
	size_t header_cols;
	int fatal;              /* database error: stop */
	struct ef_err *err;
	struct pat_cache pats;
	struct ef_reference ref; /* for the live-vaccine gate, loaded when first needed */
	int have_ref;
	/* lab results are written in batches: the rows queued, with their lines */
	struct store_lab_batch labs;
	long lab_line[STORE_LAB_BATCH];
	struct ef_reference labref; /* the site's lab_tests limits, read once */
	/* per row */
	const struct ef_csv_row *row;
	int row_bad;
	char cell[MAX_COLS][1024]; /* copies of the cells, formula escape removed */
	char key[128];             /* the natural key's columns, for messages */
	ef_day death;              /* the row's patient's date of death (EF_NO_DAY: none) */
	int eie_col;               /* the kind's entered_in_error column (-1: none) */
	/* one record entered (ef_enter_row): cells as typed, messages without
	 * a file and line, the outcome of its put */
	int one_row;
	int64_t pid;               /* the row's patient (a patient row: its id once put) */
	enum store_put put;
	long problems;             /* every problem reported (a row may have several) */
};

static void report(struct imp *im, const char *col, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;

static void vreport_at(struct imp *im, long line, const char *col, const char *fmt, va_list ap)
{
	int max = im->opts->max_errors > 0 ? im->opts->max_errors : 50;
	if (im->res->errors > max || !im->opts->diag)
		return;
	char why[512], msg[1024];
	vsnprintf(why, sizeof why, fmt, ap);
	if (im->one_row)
		snprintf(msg, sizeof msg, "%s: %s", col, why);
	else
		snprintf(msg, sizeof msg, "%s:%ld: %s: %s", im->name, line, col, why);
	im->opts->diag(im->opts->diag_ctx, msg);
}

/* A problem with the current row (counted once per row). */
static void report(struct imp *im, const char *col, const char *fmt, ...)
{
	if (!im->row_bad)
		im->res->errors++;
	im->row_bad = 1;
	im->problems++;
	va_list ap;
	va_start(ap, fmt);
	vreport_at(im, im->row->line, col, fmt, ap);
	va_end(ap);
}

/* A problem found with an earlier row of the file (a queued lab result). */
static void report_at(struct imp *im, long line, const char *col, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 4, 5)))
#endif
	;

static void report_at(struct imp *im, long line, const char *col, const char *fmt, ...)
{
	im->res->errors++;
	va_list ap;
	va_start(ap, fmt);
	vreport_at(im, line, col, fmt, ap);
	va_end(ap);
}

/* Column i of the kind: the cell copied into im->cell[i] (formula escape
 * "'=" etc. written by export removed); NULL if the column is absent/empty
 * and optional. Reports and returns NULL for an empty required cell. */
static const char *cell(struct imp *im, int i)
{
	const struct col_desc *c = &ef_kinds[im->kind].desc[i];
	size_t n;
	const char *v = ef_csv_get(im->row, im->idx[i], &n);
	if (!im->one_row && n >= 2 && v[0] == '\'' && strchr("=+-@\t\r'", v[1]))
		v++, n--;
	if (n == 0) {
		if (c->required)
			report(im, c->name, "required value is empty");
		return NULL;
	}
	const char *p = ef_text_problem(v, n, c->multiline);
	if (p) {
		report(im, c->name, "%s", p);
		return NULL;
	}
	if (n > c->max) {
		report(im, c->name, "too long (%zu bytes, at most %u)", n, (unsigned)c->max);
		return NULL;
	}
	memcpy(im->cell[i], v, n);
	im->cell[i][n] = '\0';
	return im->cell[i];
}

/* Is column i absent or its cell empty? */
static int cell_empty(struct imp *im, int i)
{
	size_t n;
	ef_csv_get(im->row, im->idx[i], &n);
	return n == 0;
}

/* The entered_in_error column (index i): the reason (free text on one line,
 * at most STORE_EIE_MAX bytes) or NULL (valid); *given: the file has it. */
static const char *eie_cell(struct imp *im, int i, int *given)
{
	*given = im->idx[i] >= 0;
	return cell(im, i);
}

static int mrn_ok(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7f)
			return 0;
	return 1;
}

/* Nothing is dated after the patient's date of death, unless the row is
 * marked entered in error (the record of a mistake: an export of it
 * imports again). Reports and returns -1 when `on` is later. */
static int after_death(struct imp *im, const char *col, const char *text, ef_day on)
{
	size_t n = 0;
	if (im->death == EF_NO_DAY || on == EF_NO_DAY || on <= im->death)
		return 0;
	if (im->eie_col >= 0)
		ef_csv_get(im->row, im->idx[im->eie_col], &n);
	if (n)
		return 0;
	char d[11];
	ef_date_format(im->death, d);
	report(im, col, "%s is after the patient's date of death %s", text, d);
	return -1;
}

/* A date column: real, not after today, not before `not_before` (if set),
 * not after the patient's date of death. */
static int date_cell(struct imp *im, int i, ef_day not_before, ef_day *out, const char **text)
{
	const char *col = ef_kinds[im->kind].cols[i];
	const char *v = cell(im, i);
	*text = v;
	if (!v)
		return -1;
	if (ef_date_parse(v, strlen(v), out)) {
		report(im, col, "'%s' is not a real date (YYYY-MM-DD)", v);
		return -1;
	}
	if (*out > im->opts->today) {
		char t[11];
		ef_date_format(im->opts->today, t);
		report(im, col, "%s is in the future (today is %s)", v, t);
		return -1;
	}
	if (not_before != EF_NO_DAY && *out < not_before) {
		char b[11];
		ef_date_format(not_before, b);
		report(im, col, "%s is before the birth date %s", v, b);
		return -1;
	}
	return after_death(im, col, v, *out);
}

/* Resolve the MRN column (index 0 in every child kind) to a patient. */
static int patient_cell(struct imp *im, int64_t *pid, ef_day *birth)
{
	const char *mrn = cell(im, 0);
	if (!mrn)
		return -1;
	size_t n = strlen(mrn);
	struct pat_entry *e = cache_find(&im->pats, mrn, n, 0);
	if (!e) {
		int64_t id;
		ef_day b, dd;
		int rc = store_patient_dates(im->s, mrn, n, &id, &b, &dd, im->err);
		if (rc) {
			im->fatal = rc;
			return -1;
		}
		if (!id) {
			report(im, "mrn", "unknown MRN '%s' (import the patient first)", mrn);
			return -1;
		}
		e = cache_find(&im->pats, mrn, n, 1);
		if (!e) {
			im->fatal = ef_errf(im->err, EF_DB, "out of memory");
			return -1;
		}
		e->id = id;
		e->birth = b;
		e->death = dd;
	}
	*pid = e->id;
	*birth = e->birth;
	im->death = e->death;
	im->pid = e->id;
	return 0;
}

static int int_cell(struct imp *im, int i, int lo, int hi, int *out)
{
	const char *col = ef_kinds[im->kind].cols[i];
	const char *v = cell(im, i);
	if (!v)
		return -1;
	if (!(v[0] >= '0' && v[0] <= '9' && v[1] == '\0') || v[0] - '0' < lo || v[0] - '0' > hi) {
		report(im, col, "'%s' is not a stage/score from %d to %d", v, lo, hi);
		return -1;
	}
	*out = v[0] - '0';
	return 0;
}

/* A column holding a word of core's vocabulary v: 0 with *out its value,
 * -1 when empty (optional) or not a word (reported with every word). */
static int vocab_cell(struct imp *im, int i, enum ef_vocab v, int *out)
{
	const char *w = cell(im, i);
	if (!w)
		return -1;
	if (ef_vocab_parse(v, w, strlen(w), out)) {
		const struct col_desc *c = &ef_kinds[im->kind].desc[i];
		report(im, c->name, "'%s' is not one of %s%s", w, ef_vocab_words(v), c->required ? "" : " (or empty)");
		return -1;
	}
	return 0;
}

/* The outcome of one row's put, for the row on `line`. */
static void count_at(struct imp *im, long line, enum store_put r, const char *key_cols)
{
	im->put = r;
	switch (r) {
	case STORE_INSERTED:
		im->res->inserted++;
		break;
	case STORE_UPDATED:
		im->res->updated++;
		break;
	case STORE_UNCHANGED:
		im->res->unchanged++;
		break;
	case STORE_CONFLICT:
		report_at(im, line, key_cols, "same key as an earlier row of this file, with different values");
		break;
	}
}

/* rc and *r come from one put call; r is read only after it returned. */
static void count(struct imp *im, int rc, const enum store_put *r, const char *key_cols)
{
	if (rc) {
		im->fatal = rc;
		return;
	}
	count_at(im, im->row->line, *r, key_cols);
}

/* Write the queued lab results and count each on its own line. */
static void flush_labs(struct imp *im)
{
	enum store_put res[STORE_LAB_BATCH];
	int n = im->labs.n;
	int rc = store_lab_batch_flush(im->s, &im->labs, im->res->import_id, res, im->err);
	if (rc) {
		im->fatal = rc;
		return;
	}
	for (int k = 0; k < n; k++)
		count_at(im, im->lab_line[k], res[k], im->key);
}

/* ---- one function per kind: validate, then put ---- */

static void row_patient(struct imp *im)
{
	struct store_patient_rec r = {0};
	ef_day birth;
	r.mrn = cell(im, 0);
	if (r.mrn && !mrn_ok(r.mrn))
		report(im, "mrn", "must be printable ASCII without spaces");
	r.family_name = cell(im, 1);
	r.given_name = cell(im, 2);
	date_cell(im, 3, EF_NO_DAY, &birth, &r.birth_date);
	int sx;
	if (vocab_cell(im, 4, EF_V_SEX, &sx) == 0)
		r.sex = im->cell[4];
	r.diagnosis = cell(im, 5);
	if (im->row_bad)
		return;
	enum store_put res;
	int64_t id;
	count(im, store_put_patient(im->s, &r, im->res->import_id, &id, &res, im->err), &res, im->key);
	if (im->fatal)
		return;
	im->pid = id;
	/* Keep the cache in step: a later row of this file may be a child. */
	struct pat_entry *e = cache_find(&im->pats, r.mrn, strlen(r.mrn), 1);
	if (e) {
		if (e->id != id) /* a new entry: its death unknown, none for a new patient */
			e->death = EF_NO_DAY;
		e->id = id;
		e->birth = birth;
	}
}

static void row_transplant(struct imp *im)
{
	struct store_transplant_rec r = {0};
	ef_day birth, d;
	int t = -1, g, dn = -1, cd;
	if (patient_cell(im, &r.patient_id, &birth) == 0)
		date_cell(im, 1, birth, &d, &r.transplant_date);
	else
		date_cell(im, 1, EF_NO_DAY, &d, &r.transplant_date);
	if (vocab_cell(im, 2, EF_V_HCT_TYPE, &t) == 0)
		r.type = im->cell[2];
	if (vocab_cell(im, 3, EF_V_GRAFT, &g) == 0)
		r.graft_source = im->cell[3];
	if (vocab_cell(im, 4, EF_V_DONOR, &dn) == 0)
		r.donor = im->cell[4];
	if (vocab_cell(im, 5, EF_V_CONDITIONING, &cd) == 0)
		r.conditioning = im->cell[5];
	if (!im->row_bad && r.donor && t == EF_HCT_AUTOLOGOUS && dn != EF_DONOR_SELF)
		report(im, "donor", "an autologous transplant's donor is 'self'");
	if (im->row_bad || im->fatal)
		return;
	enum store_put res;
	count(im, store_put_transplant(im->s, &r, im->res->import_id, &res, im->err), &res, im->key);
}

static void row_lab(struct imp *im)
{
	struct store_lab_rec r = {0};
	ef_day birth = EF_NO_DAY;
	enum ef_test t;
	enum ef_qual q = EF_Q_EQ;
	double v = 0;
	int have_pat = patient_cell(im, &r.patient_id, &birth) == 0;
	r.collected_on = cell(im, 1);
	if (r.collected_on) {
		int secs;
		if (ef_datetime_parse(r.collected_on, strlen(r.collected_on), &r.day, &secs))
			report(im, "collected_on", "'%s' is not a real date (YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS])",
			       r.collected_on);
		else if (ef_after_now(r.day, secs, im->opts->today, im->opts->now_sec)) {
			char now[11];
			ef_date_format(im->opts->today, now);
			report(im, "collected_on", "%s is in the future (now is %sT%02d:%02d)", r.collected_on, now,
			       im->opts->now_sec / 3600, im->opts->now_sec / 60 % 60);
		}
		else if (have_pat && birth != EF_NO_DAY && r.day < birth)
			report(im, "collected_on", "%s is before the birth date", r.collected_on);
		else if (have_pat)
			after_death(im, "collected_on", r.collected_on, r.day);
	}
	r.test = cell(im, 2);
	int have_test = r.test && ef_test_parse(r.test, strlen(r.test), &t) == 0;
	if (r.test && !have_test)
		report(im, "test", "'%s' is not a known test (ANC, ALC, WBC, HGB, PLT, CD3, CD4, CD8, CD19, NK, "
			       "IGG, IGA, IGM, BILI, CREAT)", r.test);
	r.value = cell(im, 3);
	const char *why = NULL;
	int have_value = r.value && ef_value_parse(r.value, strlen(r.value), &q, &v, &why) == 0;
	if (r.value && !have_value)
		report(im, "value", "'%s': %s", r.value, why);
	r.unit = cell(im, 4);
	int have_canonical = 0;
	if (r.unit && have_test && ef_unit_convert(t, r.unit, strlen(r.unit), v, &r.canonical)) {
		char list[256] = "";
		for (const char *const *u = ef_test_units(t); *u; u++) {
			if (list[0])
				strncat(list, ", ", sizeof list - strlen(list) - 1);
			strncat(list, *u, sizeof list - strlen(list) - 1);
		}
		report(im, "unit", "'%s' is not a unit for %s (use %s)", r.unit, r.test, list);
	} else if (r.unit && have_test) {
		have_canonical = 1;
	}
	r.entered_in_error = eie_cell(im, 5, &r.eie_given);
	/* A row marked entered in error is kept as the record of a mistake and
	 * ignored by every computation: it need not be plausible (an export
	 * of it imports again). */
	if (have_canonical && have_value && !r.entered_in_error) {
		char lim[256];
		if (ef_lab_plausible(&im->labref, t, q, r.canonical, lim, sizeof lim))
			report(im, "value", "%s", lim);
	}
	if (im->row_bad || im->fatal)
		return;
	r.qualifier = q == EF_Q_LT ? '<' : q == EF_Q_GT ? '>' : '=';
	im->lab_line[im->labs.n] = im->row->line;
	int full = store_lab_batch_add(&im->labs, &r);
	if (full < 0)
		im->fatal = ef_errf(im->err, EF_DB, "%s:%ld: lab result too long to queue", im->name, im->row->line);
	else if (full)
		flush_labs(im);
}

static void row_transfusion(struct imp *im)
{
	struct store_transfusion_rec r = {0};
	ef_day birth = EF_NO_DAY, d;
	int p;
	patient_cell(im, &r.patient_id, &birth);
	date_cell(im, 1, birth, &d, &r.given_on);
	if (vocab_cell(im, 2, EF_V_PRODUCT, &p) == 0)
		r.product = im->cell[2];
	r.entered_in_error = eie_cell(im, 3, &r.eie_given);
	if (im->row_bad || im->fatal)
		return;
	enum store_put res;
	count(im, store_put_transfusion(im->s, &r, im->res->import_id, &res, im->err), &res, im->key);
}

/* An administered dose of a live vaccine while the live-vaccine gate is
 * closed (on its date, for the latest transplant on or before it) is refused
 * unless it carries override_reason: reports it, listing every failed
 * condition, and returns 1. A dose recorded as administered before is not
 * checked again (re-importing an export changes nothing). */
static int live_gate_closed(struct imp *im, const struct store_vaccination_rec *r, ef_day on)
{
	int found, administered, live, rc;
	struct ef_live_gate g;
	if ((rc = store_vaccination_source(im->s, r->patient_id, r->vaccine, r->given_on, &found, &administered,
					   im->err)))
		goto fail;
	if (found && administered)
		return 0;
	if (!im->have_ref) {
		if ((rc = store_reference_load(im->s, &im->ref, im->err)))
			goto fail;
		im->have_ref = 1;
	}
	if ((rc = store_live_gate(im->s, &im->ref, r->patient_id, r->vaccine, on, &live, &g, im->err)))
		goto fail;
	if (!live || g.open)
		return 0;
	report(im, "override_reason",
	       "%s is a live vaccine and the live-vaccine gate was closed on %s: %s (an administered dose needs "
	       "override_reason to be recorded)", r->vaccine, r->given_on, g.reason);
	return 1;
fail:
	im->fatal = rc;
	return 1;
}

static void row_vaccination(struct imp *im)
{
	struct store_vaccination_rec r = {0};
	ef_day birth = EF_NO_DAY, d;
	patient_cell(im, &r.patient_id, &birth);
	r.vaccine = cell(im, 1);
	if (r.vaccine) {
		int known = 0;
		int rc = store_vaccine_known(im->s, r.vaccine, strlen(r.vaccine), &known, im->err);
		if (rc) {
			im->fatal = rc;
			return;
		}
		if (!known)
			report(im, "vaccine", "'%s' is neither a vaccine series code (FLU, PCV, PPSV23, TDAP, HIB, "
					      "HEPB, HEPA, IPV, MENACWY, MENB, HPV, RZV, COVID19, MMR, VAR) nor a known "
					      "CVX code", r.vaccine);
	}
	date_cell(im, 2, birth, &d, &r.given_on);
	r.lot = cell(im, 3);
	r.site = cell(im, 4);
	r.given_by = cell(im, 5);
	r.source_given = im->idx[6] >= 0;
	r.source = cell(im, 6);
	int administered = 0;
	if (r.source && strcmp(r.source, "administered") == 0)
		administered = 1;
	else if (r.source && strcmp(r.source, "historical") != 0)
		report(im, "source", "'%s' is not one of administered, historical (or empty: historical)", r.source);
	if (administered && cell_empty(im, 3))
		report(im, "lot", "required for an administered dose");
	if (administered && cell_empty(im, 4))
		report(im, "site", "required for an administered dose");
	r.override_reason = cell(im, 7);
	if (r.override_reason && !administered)
		report(im, "override_reason", "only an administered dose has an override reason");
	r.entered_in_error = eie_cell(im, 8, &r.eie_given);
	if (im->row_bad || im->fatal)
		return;
	/* A file without the source column keeps a recorded dose's source: an
	 * administered one still needs its lot and site. */
	if (!r.source_given && (cell_empty(im, 3) || cell_empty(im, 4))) {
		int found = 0, was_administered = 0;
		int rc = store_vaccination_source(im->s, r.patient_id, r.vaccine, r.given_on, &found, &was_administered,
						  im->err);
		if (rc) {
			im->fatal = rc;
			return;
		}
		if (found && was_administered) {
			report(im, cell_empty(im, 3) ? "lot" : "site",
			       "required: this dose is recorded as administered (given here)");
			return;
		}
	}
	if (administered && !r.entered_in_error && !r.override_reason && live_gate_closed(im, &r, d))
		return;
	enum store_put res;
	count(im, store_put_vaccination(im->s, &r, im->res->import_id, &res, im->err), &res, im->key);
}

static void row_acute(struct imp *im)
{
	struct store_gvhd_acute_rec r = {0};
	ef_day birth = EF_NO_DAY, d;
	patient_cell(im, &r.patient_id, &birth);
	date_cell(im, 1, birth, &d, &r.assessed_on);
	int_cell(im, 2, 0, EF_AGVHD_MAX_STAGE, &r.skin);
	int_cell(im, 3, 0, EF_AGVHD_MAX_STAGE, &r.liver);
	int_cell(im, 4, 0, EF_AGVHD_MAX_UPPER_GI, &r.upper_gi);
	int_cell(im, 5, 0, EF_AGVHD_MAX_STAGE, &r.lower_gi);
	r.entered_in_error = eie_cell(im, 6, &r.eie_given);
	if (im->row_bad || im->fatal)
		return;
	r.grade = ef_agvhd_grade_str(ef_agvhd_grade(r.skin, r.liver, r.upper_gi, r.lower_gi));
	enum store_put res;
	count(im, store_put_gvhd_acute(im->s, &r, im->res->import_id, &res, im->err), &res, im->key);
}

static void row_chronic(struct imp *im)
{
	struct store_gvhd_chronic_rec r = {0};
	ef_day birth = EF_NO_DAY, d;
	patient_cell(im, &r.patient_id, &birth);
	date_cell(im, 1, birth, &d, &r.assessed_on);
	int *const score[8] = {&r.skin, &r.mouth, &r.eyes, &r.gi, &r.liver, &r.lungs, &r.joints, &r.genital};
	for (int i = 0; i < 8; i++)
		int_cell(im, 2 + i, 0, EF_CGVHD_MAX_SCORE, score[i]);
	r.entered_in_error = eie_cell(im, 10, &r.eie_given);
	if (im->row_bad || im->fatal)
		return;
	const int s[8] = {r.skin, r.mouth, r.eyes, r.gi, r.liver, r.lungs, r.joints, r.genital};
	r.severity = ef_cgvhd_severity_str(ef_cgvhd_severity(s, 5));
	enum store_put res;
	count(im, store_put_gvhd_chronic(im->s, &r, im->res->import_id, &res, im->err), &res, im->key);
}

static void row_is(struct imp *im)
{
	struct store_is_rec r = {0};
	ef_day birth = EF_NO_DAY, start = EF_NO_DAY, stop;
	patient_cell(im, &r.patient_id, &birth);
	r.drug = cell(im, 1);
	date_cell(im, 2, birth, &start, &r.started_on);
	if (im->idx[3] >= 0 && ef_csv_get(im->row, im->idx[3], NULL)[0]) {
		if (date_cell(im, 3, birth, &stop, &r.stopped_on) == 0 && start != EF_NO_DAY && stop < start)
			report(im, "stopped_on", "%s is before started_on %s", r.stopped_on, r.started_on);
	}
	r.entered_in_error = eie_cell(im, 4, &r.eie_given);
	if (im->row_bad || im->fatal)
		return;
	enum store_put res;
	count(im, store_put_is(im->s, &r, im->res->import_id, &res, im->err), &res, im->key);
}

static void row_ivig(struct imp *im)
{
	struct store_ivig_rec r = {0};
	ef_day birth = EF_NO_DAY, d;
	patient_cell(im, &r.patient_id, &birth);
	date_cell(im, 1, birth, &d, &r.given_on);
	r.dose_g = cell(im, 2);
	double g;
	if (r.dose_g && (ef_decimal_parse(r.dose_g, strlen(r.dose_g), &g) || g <= 0))
		report(im, "dose_g", "'%s' is not a positive number of grams", r.dose_g);
	r.entered_in_error = eie_cell(im, 3, &r.eie_given);
	if (im->row_bad || im->fatal)
		return;
	enum store_put res;
	count(im, store_put_ivig(im->s, &r, im->res->import_id, &res, im->err), &res, im->key);
}

static void row_status(struct imp *im)
{
	struct store_status_rec r = {0};
	ef_day birth = EF_NO_DAY, d;
	int st;
	patient_cell(im, &r.patient_id, &birth);
	date_cell(im, 1, birth, &d, &r.recorded_on);
	if (vocab_cell(im, 2, EF_V_STATUS, &st) == 0)
		r.status = im->cell[2];
	r.note = cell(im, 3);
	r.entered_in_error = eie_cell(im, 4, &r.eie_given);
	if (im->row_bad || im->fatal)
		return;
	if (st == EF_ST_DECEASED && !r.entered_in_error) {
		/* a date of death before a record of the patient contradicts it */
		ef_day last;
		char what[32], ld[11];
		if (store_patient_latest_record(im->s, r.patient_id, &last, what, im->err)) {
			im->fatal = EF_DB;
			return;
		}
		if (last != EF_NO_DAY && last > d) {
			ef_date_format(last, ld);
			report(im, "recorded_on",
			       "death on %s is before the patient's %s of %s: correct the date or mark that record "
			       "entered in error",
			       r.recorded_on, what, ld);
			return;
		}
	}
	enum store_put res;
	count(im, store_put_status(im->s, &r, im->res->import_id, &res, im->err), &res, im->key);
	/* a later row of this file for the patient is checked against it */
	struct pat_entry *e = cache_find(&im->pats, im->cell[0], strlen(im->cell[0]), 0);
	if (!im->fatal && e && st == EF_ST_DECEASED && !r.entered_in_error && (e->death == EF_NO_DAY || d < e->death))
		e->death = d;
}

/* A follow-up time point done: item and time point of the site's calendar
 * (screening.csv, registry_forms.csv), done_on not in the future and not
 * before the patient's first transplant (day 0). */
static void row_followup(struct imp *im)
{
	struct store_followup_rec r = {0};
	ef_day birth = EF_NO_DAY, d;
	patient_cell(im, &r.patient_id, &birth);
	r.item = cell(im, 1);
	r.time_point = cell(im, 2);
	int dated = date_cell(im, 3, birth, &d, &r.done_on) == 0;
	r.note = cell(im, 4);
	r.entered_in_error = eie_cell(im, 5, &r.eie_given);
	if (im->fatal)
		return;
	if (r.item && r.time_point) {
		if (!im->have_ref) {
			int rc = store_reference_load(im->s, &im->ref, im->err);
			if (rc) {
				im->fatal = rc;
				return;
			}
			im->have_ref = 1;
		}
		int known = ef_followup_point_known(&im->ref, r.item, r.time_point);
		if (known < 0)
			report(im, "item", "unknown item '%s' (not in screening.csv or registry_forms.csv)", r.item);
		else if (known == 0)
			report(im, "time_point", "'%s' is not a time point of %s", r.time_point, r.item);
	}
	if (dated && r.patient_id) {
		int found;
		int rc = store_transplant_by(im->s, r.patient_id, r.done_on, &found, im->err);
		if (rc) {
			im->fatal = rc;
			return;
		}
		if (!found)
			report(im, "done_on", "%s is before day 0 (the patient has no transplant on or before it)",
			       r.done_on);
	}
	if (im->row_bad || im->fatal)
		return;
	enum store_put res;
	count(im, store_put_followup(im->s, &r, im->res->import_id, &res, im->err), &res, im->key);
}

static void (*const row_fns[STORE_K_COUNT])(struct imp *) = {
	[STORE_K_PATIENTS] = row_patient,
	[STORE_K_TRANSPLANTS] = row_transplant,
	[STORE_K_LABS] = row_lab,
	[STORE_K_TRANSFUSIONS] = row_transfusion,
	[STORE_K_VACCINATIONS] = row_vaccination,
	[STORE_K_GVHD_ACUTE] = row_acute,
	[STORE_K_GVHD_CHRONIC] = row_chronic,
	[STORE_K_IMMUNOSUPPRESSION] = row_is,
	[STORE_K_IVIG] = row_ivig,
	[STORE_K_STATUS] = row_status,
	[STORE_K_FOLLOWUPS] = row_followup,
};

static int on_row(void *ctx, const struct ef_csv_row *row, struct ef_err *err)
{
	struct imp *im = ctx;
	const struct kind_desc *k = &ef_kinds[im->kind];
	if (!im->have_header) {
		im->have_header = 1;
		im->header_cols = row->n;
		return ef_csv_map_header(row, im->name, k->cols, k->req, k->ncol, im->idx, err);
	}
	/* A blank line (one empty field) is not a record. */
	if (row->n == 1 && row->len[0] == 0)
		return EF_OK;
	im->row = row;
	im->row_bad = 0;
	im->death = EF_NO_DAY;
	im->res->rows++;
	if (row->n != im->header_cols) {
		report(im, "row", "%zu fields, but the header has %zu columns", row->n, im->header_cols);
		return EF_OK;
	}
	row_fns[im->kind](im);
	if (im->fatal)
		return im->fatal;
	int max = im->opts->max_errors > 0 ? im->opts->max_errors : 50;
	if (im->res->errors > max)
		return ef_errf(err, EF_INVALID, "%s:%ld: more than %d bad rows; stopped reading (nothing imported)",
			       im->name, row->line, max);
	return EF_OK;
}

/* What every row of the kind needs: the key named in messages, the
 * entered_in_error column, and the check that the cells fit the copies. */
static int imp_prepare(struct imp *im)
{
	enum store_kind kind = im->kind;
	ef_kind_key(kind, im->key, sizeof im->key);
	im->death = EF_NO_DAY;
	im->eie_col = -1;
	for (size_t i = 0; i < ef_kinds[kind].ncol; i++)
		if (strcmp(ef_kinds[kind].cols[i], "entered_in_error") == 0)
			im->eie_col = (int)i;
	for (size_t i = 0; i < ef_kinds[kind].ncol; i++) /* the description fits the copies: never cut */
		if (ef_kinds[kind].desc[i].max >= sizeof im->cell[0] || ef_kinds[kind].ncol > MAX_COLS)
			return ef_errf(im->err, EF_DB, "internal: column %s of %s is longer than the import can hold",
				       ef_kinds[kind].desc[i].name, ef_kinds[kind].name);
	return EF_OK;
}

int ef_import(struct store *s, enum store_kind kind, FILE *in, const char *name, const struct ef_import_opts *opts,
	      struct ef_import_result *res, struct ef_err *err)
{
	if ((unsigned)kind >= STORE_K_COUNT)
		return ef_errf(err, EF_USAGE, "unknown import kind");
	memset(res, 0, sizeof *res);
	struct imp im = {.s = s, .kind = kind, .name = name, .opts = opts, .res = res, .err = err};
	int rc = imp_prepare(&im);
	if (rc)
		return rc;
	rc = store_begin(s, err);
	if (rc)
		return rc;
	if (kind == STORE_K_LABS && (rc = store_reference_load_kind(s, EF_REF_LAB_TESTS, &im.labref, err))) {
		store_rollback(s);
		return rc;
	}
	if ((rc = store_import_begin(s, ef_kind_name(kind), name, &res->import_id, err)))
		goto fail;
	struct ef_sha256 sha;
	ef_sha256_init(&sha);
	rc = ef_csv_read_stream_sha256(in, name, on_row, &im, &sha, err);
	if (rc)
		goto fail;
	flush_labs(&im); /* the last lab results of the file */
	if ((rc = im.fatal))
		goto fail;
	if (!im.have_header) {
		rc = ef_errf(err, EF_INVALID, "%s:1: empty file: no header row", name);
		goto fail;
	}
	if (res->errors) {
		rc = ef_errf(err, EF_INVALID, "%s: %ld bad row%s; nothing imported", name, res->errors,
			     res->errors == 1 ? "" : "s");
		goto fail;
	}
	/* The audit trail: one entry for the file (its SHA-256 as read, and a
	 * digest of the rows it inserted), in this same transaction. */
	unsigned char digest[EF_SHA256_LEN];
	char file_sha[EF_SHA256_HEX];
	ef_sha256_final(&sha, digest);
	ef_sha256_hex(digest, file_sha);
	if ((rc = store_import_end(s, res->import_id, file_sha, res->inserted, res->updated, res->unchanged, err)))
		goto fail;
	if (opts->before_commit && (rc = opts->before_commit(s, opts->before_commit_ctx, err)))
		goto fail;
	rc = store_commit(s, err);
	cache_free(&im.pats);
	if (im.have_ref)
		ef_reference_free(&im.ref);
	ef_reference_free(&im.labref);
	return rc;
fail:
	store_rollback(s);
	cache_free(&im.pats);
	if (im.have_ref)
		ef_reference_free(&im.ref);
	ef_reference_free(&im.labref);
	res->inserted = res->updated = res->unchanged = 0;
	return rc;
}

/* ---- one record, as a form enters it ---- */

const char *const *ef_kind_columns(enum store_kind k, size_t *n)
{
	if ((unsigned)k >= STORE_K_COUNT) {
		*n = 0;
		return NULL;
	}
	*n = ef_kinds[k].ncol;
	return ef_kinds[k].cols;
}

int ef_enter_row(struct store *s, enum store_kind kind, const char *const *cells, size_t n,
		 const struct ef_import_opts *opts, struct ef_enter_result *out, struct ef_err *err)
{
	memset(out, 0, sizeof *out);
	if ((unsigned)kind >= STORE_K_COUNT)
		return ef_errf(err, EF_USAGE, "unknown record kind");
	if (n == 0 || n > ef_kinds[kind].ncol)
		return ef_errf(err, EF_USAGE, "a %s has 1 to %zu cells, not %zu", ef_kind_name(kind), ef_kinds[kind].ncol,
			       n);
	struct ef_import_result res = {.import_id = opts->import_id};
	struct imp im = {.s = s, .kind = kind, .name = ef_kind_name(kind), .opts = opts, .res = &res, .err = err,
			 .one_row = 1};
	int rc = imp_prepare(&im);
	if (rc)
		return rc;
	/* the cells as one row of a file whose header is the kind's first n
	 * columns: the rest are absent, as in a file without them */
	const char *field[MAX_COLS];
	size_t len[MAX_COLS];
	for (size_t i = 0; i < ef_kinds[kind].ncol; i++) {
		im.idx[i] = i < n ? (int)i : -1;
		if (i < n) {
			field[i] = cells[i] ? cells[i] : "";
			len[i] = strlen(field[i]);
		}
	}
	struct ef_csv_row row = {n, field, len, 1};
	im.row = &row;
	im.header_cols = n;
	im.have_header = 1;
	if (kind == STORE_K_LABS && (rc = store_reference_load_kind(s, EF_REF_LAB_TESTS, &im.labref, err)))
		return rc;
	res.rows = 1;
	row_fns[kind](&im);
	if (!im.fatal && kind == STORE_K_LABS && im.labs.n)
		flush_labs(&im);
	rc = im.fatal;
	if (!rc && res.errors)
		rc = ef_errf(err, EF_INVALID, "%s: %ld problem%s; nothing saved", store_kinds[kind].what, im.problems,
			     im.problems == 1 ? "" : "s");
	out->errors = im.problems;
	if (!rc) {
		out->put = im.put;
		out->patient_id = im.pid;
	}
	cache_free(&im.pats);
	if (im.have_ref)
		ef_reference_free(&im.ref);
	ef_reference_free(&im.labref);
	return rc;
}
