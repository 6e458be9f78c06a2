/* fhirimport.c - `import fhir`: the Observations and Immunizations of a
 * FHIR R4 Bundle (fhir.h), each as the cells of one labs or vaccinations
 * row, checked and written by ef_enter_row, the CSV importer's own checks,
 * inside the caller's transaction. */
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engraft/fhir.h"
#include "engraft/refstore.h"
#include "engraft/units.h"
#include "said.h"

#define CELL_MAX 512
#define NCELL 9

struct frec {
	enum store_kind kind;
	long entry;              /* index in Bundle.entry */
	const char *type;        /* "Observation", "Immunization" */
	char cell[NCELL][CELL_MAX];
};

struct fctx {
	const char *name;
	const struct ef_import_opts *opts;
	struct ef_fhir_result *res;
	struct ef_reference loinc;
	struct frec *recs;
	size_t n, cap;
	const struct frec *cur;
	json_t *patients;        /* reference ("urn:uuid:..", "Patient/id") -> MRN */
	struct said_list said; /* the problems, told in the order of the file at the end */
};


static void say(struct fctx *f, long entry, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;

static void say(struct fctx *f, long entry, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	said_add(&f->said, f->opts, entry, fmt, ap);
	va_end(ap);
}


#define BAD(f, i, type, elem, ...) \
	say((f), (long)(i), "%s: entry[%ld] %s.%s: %s", (f)->name, (long)(i), (type), (elem), fmtmsg(__VA_ARGS__))

static const char *fmtmsg(const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 1, 2)))
#endif
	;

static const char *fmtmsg(const char *fmt, ...)
{
	static char b[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(b, sizeof b, fmt, ap);
	va_end(ap);
	return b;
}

static const char *str(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* A FHIR dateTime as engraft's local date (with_time: and time): a time
 * with an offset becomes the local clock time of that instant. 0, or -1. */
static int local_datetime(const char *s, int with_time, char *out, size_t cap)
{
	size_t n = strlen(s);
	if (n == 10 && s[4] == '-' && s[7] == '-') {
		snprintf(out, cap, "%s", s);
		return 0;
	}
	int Y, M, D, h, m, sec;
	char rest[16] = "";
	if (n < 19)
		return -1;
	for (int k = 0; k < 19; k++) { /* YYYY-MM-DDThh:mm:ss, digits where digits go */
		char want = k == 4 || k == 7 ? '-' : k == 10 ? 'T' : k == 13 || k == 16 ? ':' : '0';
		if (want == '0' ? !(s[k] >= '0' && s[k] <= '9') : s[k] != want)
			return -1;
	}
	if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%15s", &Y, &M, &D, &h, &m, &sec, rest) < 6)
		return -1;
	const char *z = rest;
	if (*z == '.') /* a fraction of a second */
		z += 1 + strspn(z + 1, "0123456789");
	long off = 0;
	if (*z == 'Z') {
		z++;
	} else if ((*z == '+' || *z == '-') && strlen(z) == 6 && z[3] == ':') {
		off = (z[1] - '0') * 36000L + (z[2] - '0') * 3600L + (z[4] - '0') * 600L + (z[5] - '0') * 60L;
		if (*z == '-')
			off = -off;
		z += 6;
	} else {
		return -1; /* FHIR: a time has its offset */
	}
	if (*z)
		return -1;
	char date[11];
	snprintf(date, sizeof date, "%04d-%02d-%02d", Y, M, D);
	ef_day day;
	if (ef_date_parse(date, 10, &day) || h > 23 || m > 59 || sec > 60)
		return -1;
	time_t t = (time_t)((long long)day * 86400 + h * 3600 + m * 60 + sec - off);
	struct tm lt;
	if (!localtime_r(&t, &lt))
		return -1;
	if (with_time)
		snprintf(out, cap, "%04d-%02d-%02dT%02d:%02d:%02d", lt.tm_year + 1900, lt.tm_mon + 1, lt.tm_mday, lt.tm_hour,
			 lt.tm_min, lt.tm_sec);
	else
		snprintf(out, cap, "%04d-%02d-%02d", lt.tm_year + 1900, lt.tm_mon + 1, lt.tm_mday);
	return 0;
}

/* The code of a CodeableConcept in `system`: NULL when none. */
static const char *code_in(json_t *cc, const char *system)
{
	json_t *codings = json_object_get(cc, "coding");
	size_t i;
	json_t *c;
	json_array_foreach(codings, i, c) {
		const char *sys = str(c, "system"), *code = str(c, "code");
		if (sys && code && strcmp(sys, system) == 0)
			return code;
	}
	return NULL;
}

/* The MRN a reference points at; reports and returns NULL otherwise. */
static const char *mrn_of(struct fctx *f, long i, const char *type, json_t *r, const char *elem)
{
	const char *ref = str(json_object_get(r, elem), "reference");
	const char *mrn = ref ? str(f->patients, ref) : NULL;
	if (!ref)
		BAD(f, i, type, elem, "no reference to the patient");
	else if (!mrn)
		BAD(f, i, type, elem, "'%s' is not a Patient of this bundle with an identifier", ref);
	return mrn;
}

static struct frec *new_rec(struct fctx *f, enum store_kind k, long i, const char *type)
{
	if (f->n == f->cap) {
		size_t nc = f->cap ? f->cap * 2 : 64;
		struct frec *r = realloc(f->recs, nc * sizeof *r);
		if (!r)
			return NULL;
		f->recs = r;
		f->cap = nc;
	}
	struct frec *r = &f->recs[f->n++];
	memset(r, 0, sizeof *r);
	r->kind = k;
	r->entry = i;
	r->type = type;
	return r;
}

static void put(char *cell, const char *v)
{
	snprintf(cell, CELL_MAX, "%s", v ? v : "");
}

static void read_observation(struct fctx *f, long i, json_t *r)
{
	const char *T = "Observation";
	const char *status = str(r, "status");
	if (!status) {
		BAD(f, i, T, "status", "required value is empty");
		return;
	}
	int eie = strcmp(status, "entered-in-error") == 0;
	if (!eie && strcmp(status, "final") && strcmp(status, "amended") && strcmp(status, "corrected")) {
		f->res->skipped++; /* registered, preliminary, cancelled, unknown */
		return;
	}
	/* a result engraft follows: a LOINC code that loinc.csv maps */
	const char *loinc = code_in(json_object_get(r, "code"), "http://loinc.org");
	enum ef_test t;
	if (!loinc || ef_reference_loinc_test(&f->loinc, loinc, &t)) {
		f->res->not_followed++;
		return;
	}
	struct frec *x = new_rec(f, STORE_K_LABS, i, T);
	if (!x) {
		BAD(f, i, T, "resource", "out of memory");
		return;
	}
	int bad = 0;
	const char *mrn = mrn_of(f, i, T, r, "subject");
	bad |= !mrn;
	put(x->cell[0], mrn);
	const char *when = str(r, "effectiveDateTime");
	if (!when) {
		BAD(f, i, T, "effectiveDateTime", "required (the time of collection; a period is not one)");
		bad = 1;
	} else if (local_datetime(when, 1, x->cell[1], CELL_MAX)) {
		BAD(f, i, T, "effectiveDateTime", "'%s' is not a FHIR dateTime (YYYY-MM-DD or with time and offset)", when);
		bad = 1;
	}
	put(x->cell[2], ef_test_code(t));
	json_t *q = json_object_get(r, "valueQuantity");
	json_t *num = json_object_get(q, "value");
	if (!json_is_number(num)) {
		BAD(f, i, T, "valueQuantity", "required: a number with its unit (LOINC %s is %s)", loinc, ef_test_code(t));
		bad = 1;
	} else {
		const char *cmp = str(q, "comparator");
		if (cmp && strcmp(cmp, "<") && strcmp(cmp, ">")) {
			BAD(f, i, T, "valueQuantity.comparator", "'%s' cannot be kept (engraft keeps < and >)", cmp);
			bad = 1;
		}
		/* the number in the C locale, shortest form that reads back */
		char v[64];
		double d = json_number_value(num);
		for (int prec = 1; prec <= 17; prec++) {
			snprintf(v, sizeof v, "%.*g", prec, d);
			if (strchr(v, 'e')) { /* engraft writes plain decimals */
				snprintf(v, sizeof v, "%.*f", prec + 8, d);
				size_t l = strlen(v);
				while (l > 1 && v[l - 1] == '0' && strchr(v, '.'))
					v[--l] = '\0';
				if (l && v[l - 1] == '.')
					v[--l] = '\0';
			}
			for (char *p = v; *p; p++)
				if (*p == ',')
					*p = '.';
			double back;
			if (ef_decimal_parse(v, strlen(v), &back) == 0 && back == d)
				break;
		}
		snprintf(x->cell[3], CELL_MAX, "%s%s", cmp ? cmp : "", v);
	}
	const char *unit = str(q, "code") ? str(q, "code") : str(q, "unit");
	put(x->cell[4], unit);
	put(x->cell[5], eie ? "entered in error (FHIR Observation.status)" : "");
	if (bad) {
		f->n--;
		return;
	}
}

static void read_immunization(struct fctx *f, long i, json_t *r)
{
	const char *T = "Immunization";
	const char *status = str(r, "status");
	if (!status) {
		BAD(f, i, T, "status", "required value is empty");
		return;
	}
	if (strcmp(status, "not-done") == 0) {
		f->res->skipped++;
		return;
	}
	int eie = strcmp(status, "entered-in-error") == 0;
	if (!eie && strcmp(status, "completed")) {
		BAD(f, i, T, "status", "'%s' is not one of completed, entered-in-error, not-done", status);
		return;
	}
	struct frec *x = new_rec(f, STORE_K_VACCINATIONS, i, T);
	if (!x) {
		BAD(f, i, T, "resource", "out of memory");
		return;
	}
	int bad = 0;
	const char *mrn = mrn_of(f, i, T, r, "patient");
	bad |= !mrn;
	put(x->cell[0], mrn);
	/* a CVX coding, else the text: an engraft series code (export fhir
	 * writes a dose recorded by series code so), checked as a CSV cell */
	json_t *vc = json_object_get(r, "vaccineCode");
	const char *cvx = code_in(vc, "http://hl7.org/fhir/sid/cvx");
	if (!cvx)
		cvx = str(vc, "text");
	if (!cvx) {
		BAD(f, i, T, "vaccineCode", "no CVX coding (system http://hl7.org/fhir/sid/cvx) and no text");
		bad = 1;
	}
	put(x->cell[1], cvx);
	const char *when = str(r, "occurrenceDateTime");
	if (!when) {
		BAD(f, i, T, "occurrenceDateTime", "required (the date given)");
		bad = 1;
	} else if (local_datetime(when, 0, x->cell[2], CELL_MAX)) {
		BAD(f, i, T, "occurrenceDateTime", "'%s' is not a FHIR dateTime", when);
		bad = 1;
	}
	const char *lot = str(r, "lotNumber");
	json_t *site = json_object_get(r, "site");
	const char *site_s = code_in(site, "http://terminology.hl7.org/CodeSystem/v3-ActSite");
	if (!site_s)
		site_s = str(site, "text");
	json_t *perf = json_array_get(json_object_get(r, "performer"), 0);
	const char *by = str(json_object_get(perf, "actor"), "display");
	put(x->cell[3], lot);
	put(x->cell[4], site_s);
	put(x->cell[5], by);
	/* given here: the source administered it and the record has what an
	 * administered dose needs (lot and site); else a historical record */
	json_t *ps = json_object_get(r, "primarySource");
	put(x->cell[6], json_is_true(ps) && lot && *lot && site_s && *site_s ? "administered" : "historical");
	put(x->cell[8], eie ? "entered in error (FHIR Immunization.status)" : "");
	if (bad)
		f->n--;
}

/* "column: reason" from ef_enter_row as "NAME: entry[N] Type.element: reason". */
static void enter_diag(void *ctx, const char *msg)
{
	struct fctx *f = ctx;
	const struct frec *r = f->cur;
	size_t n = strcspn(msg, ":");
	const char *why = msg[n] ? msg + n + 1 : msg;
	while (*why == ' ')
		why++;
	static const struct {
		const char *col, *lab, *dose;
	} map[] = {
		{"mrn", "subject", "patient"},
		{"collected_on", "effectiveDateTime", NULL},
		{"test", "code", NULL},
		{"value", "valueQuantity.value", NULL},
		{"unit", "valueQuantity.code", NULL},
		{"vaccine", NULL, "vaccineCode"},
		{"given_on", NULL, "occurrenceDateTime"},
		{"lot", NULL, "lotNumber"},
		{"site", NULL, "site"},
		{"given_by", NULL, "performer"},
		{"source", NULL, "primarySource"},
		{"override_reason", NULL, "primarySource"},
		{"entered_in_error", "status", "status"},
	};
	const char *elem = "resource";
	for (size_t k = 0; k < sizeof map / sizeof map[0]; k++)
		if (strlen(map[k].col) == n && strncmp(msg, map[k].col, n) == 0) {
			const char *e = r->kind == STORE_K_LABS ? map[k].lab : map[k].dose;
			if (e)
				elem = e;
		}
	say(f, r->entry, "%s: entry[%ld] %s.%s: %s", f->name, r->entry, r->type, elem, why);
}

static json_t *load(const char *buf, size_t len, const char *name, struct ef_err *err)
{
	json_error_t je;
	json_t *b = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &je);
	if (!b) {
		ef_errf(err, EF_INVALID, "%s:%d: not JSON: %s", name, je.line, je.text);
		return NULL;
	}
	const char *rt = str(b, "resourceType");
	if (!rt || strcmp(rt, "Bundle") != 0 || !json_is_array(json_object_get(b, "entry"))) {
		ef_errf(err, EF_INVALID, "%s: not a FHIR Bundle with entries (resourceType '%.60s')", name, rt ? rt : "");
		json_decref(b); /* rt lives in b */
		return NULL;
	}
	return b;
}

int ef_fhir_kinds(const char *buf, size_t len, const char *name, unsigned *kinds, struct ef_err *err)
{
	*kinds = 0;
	json_t *b = load(buf, len, name, err);
	if (!b)
		return EF_INVALID;
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(b, "entry"), i, e) {
		const char *rt = str(json_object_get(e, "resource"), "resourceType");
		if (rt && strcmp(rt, "Observation") == 0)
			*kinds |= 1u << STORE_K_LABS;
		else if (rt && strcmp(rt, "Immunization") == 0)
			*kinds |= 1u << STORE_K_VACCINATIONS;
	}
	json_decref(b);
	return EF_OK;
}

/* A Patient's MRN: the identifier of type MR (v2-0203), else the first. */
static const char *patient_mrn(json_t *p)
{
	json_t *ids = json_object_get(p, "identifier"), *id;
	size_t i;
	json_array_foreach(ids, i, id) {
		const char *type = code_in(json_object_get(id, "type"), "http://terminology.hl7.org/CodeSystem/v2-0203");
		if (type && strcmp(type, "MR") == 0 && str(id, "value"))
			return str(id, "value");
	}
	return str(json_array_get(ids, 0), "value");
}

int ef_fhir_import(struct store *s, const char *buf, size_t len, const char *name, const char *sha_hex,
		   const struct ef_import_opts *opts, struct ef_fhir_result *res, struct ef_err *err)
{
	memset(res, 0, sizeof *res);
	json_t *b = load(buf, len, name, err);
	if (!b)
		return EF_INVALID;
	struct fctx f = {.name = name, .opts = opts, .res = res, .patients = json_object()};
	ef_reference_init(&f.loinc);
	int rc = store_reference_load_kind(s, EF_REF_LOINC, &f.loinc, err);
	json_t *entries = json_object_get(b, "entry"), *e;
	size_t i;
	/* the patients first: references may come before them */
	json_array_foreach(entries, i, e) {
		json_t *r = json_object_get(e, "resource");
		const char *rt = str(r, "resourceType");
		if (!rt || strcmp(rt, "Patient") != 0)
			continue;
		const char *mrn = patient_mrn(r);
		if (!mrn)
			continue;
		const char *url = str(e, "fullUrl"), *id = str(r, "id");
		if (url)
			json_object_set_new(f.patients, url, json_string(mrn));
		if (id) {
			char ref[256];
			snprintf(ref, sizeof ref, "Patient/%s", id);
			json_object_set_new(f.patients, ref, json_string(mrn));
		}
		res->patients++;
	}
	json_array_foreach(entries, i, e) {
		json_t *r = json_object_get(e, "resource");
		const char *rt = str(r, "resourceType");
		if (rt && strcmp(rt, "Observation") == 0)
			read_observation(&f, (long)i, r);
		else if (rt && strcmp(rt, "Immunization") == 0)
			read_immunization(&f, (long)i, r);
		else if (rt && strcmp(rt, "Patient") != 0)
			res->other++;
	}
	if (!rc)
		rc = store_import_begin(s, "fhir", name, &res->r.import_id, err);
	struct ef_import_opts o = *opts;
	o.diag = enter_diag;
	o.diag_ctx = &f;
	o.import_id = res->r.import_id;
	for (size_t k = 0; k < f.n && !rc; k++) {
		const struct frec *x = &f.recs[k];
		const char *cells[NCELL];
		size_t nc = x->kind == STORE_K_LABS ? 6 : NCELL;
		for (size_t c = 0; c < nc; c++)
			cells[c] = x->cell[c];
		f.cur = x;
		struct ef_enter_result er;
		res->r.rows++;
		rc = ef_enter_row(s, x->kind, cells, nc, &o, &er, err);
		if (rc == EF_INVALID) {
			res->r.errors++;
			rc = EF_OK;
			continue;
		}
		if (!rc && er.put == STORE_INSERTED)
			res->r.inserted++;
		else if (!rc && er.put == STORE_UPDATED)
			res->r.updated++;
		else if (!rc)
			res->r.unchanged++;
	}
	if (!rc && f.said.problems)
		rc = ef_errf(err, EF_INVALID, "%s: %ld problem%s; nothing imported", name, f.said.problems,
			     f.said.problems == 1 ? "" : "s");
	if (!rc)
		rc = store_import_end(s, res->r.import_id, sha_hex, res->r.inserted, res->r.updated, res->r.unchanged,
				      err);
	if (rc)
		res->r.inserted = res->r.updated = res->r.unchanged = 0;
	said_tell(&f.said, f.opts);
	ef_reference_free(&f.loinc);
	free(f.recs);
	json_decref(f.patients);
	json_decref(b);
	return rc;
}
