/* fhir.c - `export fhir`: the record as a FHIR R4 Bundle (fhir.h), built
 * with jansson and written in one piece (nothing hand-written as JSON). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "engraft/fhir.h"
#include "engraft/gvhd.h"
#include "engraft/refstore.h"
#include "engraft/sha256.h"
#include "engraft/units.h"

/* ---- identifiers ---- */

/* A UUID (version 5 layout) from SHA-256 of "engraft:KIND:KEY": the same
 * record always gives the same id. */
static void uuid_of(const char *kind, const char *key, char out[37])
{
	struct ef_sha256 h;
	unsigned char d[EF_SHA256_LEN];
	ef_sha256_init(&h);
	ef_sha256_update(&h, "engraft:", 8);
	ef_sha256_update(&h, kind, strlen(kind));
	ef_sha256_update(&h, ":", 1);
	ef_sha256_update(&h, key, strlen(key));
	ef_sha256_final(&h, d);
	d[6] = (unsigned char)((d[6] & 0x0f) | 0x50);
	d[8] = (unsigned char)((d[8] & 0x3f) | 0x80);
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;
	for (int i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hex[d[i] >> 4];
		out[o++] = hex[d[i] & 15];
	}
	out[o] = '\0';
}

/* ---- the bundle being built ---- */

struct fx {
	struct store *s;
	json_t *entries;
	struct ef_reference loinc;
	struct ef_fhir_counts *n;
	int failed; /* out of memory */
};

static json_t *S(const char *s)
{
	return json_string(s ? s : "");
}

/* Add resource r (its resourceType set) with an id from kind and key. */
static void add(struct fx *f, json_t *r, const char *kind, const char *key)
{
	char id[37], url[64];
	uuid_of(kind, key, id);
	snprintf(url, sizeof url, "urn:uuid:%s", id);
	if (!r || json_object_set_new(r, "id", S(id)) ||
	    json_array_append_new(f->entries, json_pack("{s:s, s:o}", "fullUrl", url, "resource", r))) {
		f->failed = 1;
	}
}

static json_t *patient_ref(const char *mrn)
{
	char id[37], url[64];
	uuid_of("Patient", mrn, id);
	snprintf(url, sizeof url, "urn:uuid:%s", id);
	return json_pack("{s:s}", "reference", url);
}

static json_t *coding(const char *system, const char *code, const char *display)
{
	json_t *c = json_pack("{s:s, s:s}", "system", system, "code", code);
	if (c && display && *display)
		json_object_set_new(c, "display", S(display));
	return c;
}

/* ---- Patient ---- */

static int on_patient(void *ctx, const char *const *v, size_t n, struct ef_err *err)
{
	struct fx *f = ctx;
	(void)n;
	(void)err;
	/* mrn, family_name, given_name, birth_date, sex, diagnosis */
	const char *sex = v[4] ? v[4] : "";
	const char *gender = strcmp(sex, "F") == 0 ? "female" : strcmp(sex, "M") == 0 ? "male"
			   : strcmp(sex, "X") == 0 ? "other" : "unknown";
	json_t *r = json_pack(
		"{s:s, s:[{s:s, s:{s:[o]}, s:s}], s:[{s:s, s:s, s:[s]}], s:s, s:s}", "resourceType", "Patient",
		"identifier", "use", "usual", "type", "coding",
		coding("http://terminology.hl7.org/CodeSystem/v2-0203", "MR", "Medical record number"), "value", v[0],
		"name", "use", "official", "family", v[1], "given", v[2], "gender", gender, "birthDate", v[3]);
	add(f, r, "Patient", v[0]);
	f->n->patients++;
	return EF_OK;
}

/* ---- Observation ---- */

/* The offset from UTC of local time day+secs, as +hh:mm; -1 when unknown. */
static int local_offset(ef_day day, int secs, char out[8])
{
	char d[11];
	ef_date_format(day, d);
	struct tm tm = {0};
	tm.tm_year = atoi(d) - 1900;
	tm.tm_mon = atoi(d + 5) - 1;
	tm.tm_mday = atoi(d + 8);
	tm.tm_hour = secs / 3600;
	tm.tm_min = secs / 60 % 60;
	tm.tm_sec = secs % 60;
	tm.tm_isdst = -1;
	time_t t = mktime(&tm);
	if (t == (time_t)-1)
		return -1;
	/* the same clock reading as if it were UTC, minus the instant */
	long long as_utc = (long long)day * 86400 + secs;
	long long off = as_utc - (long long)t;
	if (off % 60 || off > 18 * 3600 || off < -18 * 3600)
		return -1;
	long long a = off < 0 ? -off : off;
	snprintf(out, 8, "%c%02lld:%02lld", off < 0 ? '-' : '+', a / 3600, a / 60 % 60);
	return 0;
}

/* UCUM codes among the units engraft accepts, as written. */
static const char *const ucum_units[] = {"10*9/L", "10*3/uL", "/uL", "/mm3", "g/L", "g/dL", "mg/dL", "umol/L", NULL};

static int is_ucum(const char *u)
{
	for (const char *const *p = ucum_units; *p; p++)
		if (strcmp(*p, u) == 0)
			return 1;
	return 0;
}

static int on_lab(void *ctx, const char *const *v, size_t n, struct ef_err *err)
{
	struct fx *f = ctx;
	(void)n;
	/* mrn, collected_on, test, value, unit, entered_in_error */
	enum ef_test t;
	enum ef_qual q;
	double num, canon;
	const char *why = NULL;
	ef_day day;
	int secs;
	if (ef_test_parse(v[2], strlen(v[2]), &t) || ef_value_parse(v[3], strlen(v[3]), &q, &num, &why) ||
	    ef_unit_convert(t, v[4], strlen(v[4]), num, &canon) ||
	    ef_datetime_parse(v[1], strlen(v[1]), &day, &secs))
		return ef_errf(err, EF_DB, "export fhir: the lab result of %s on %s no longer reads back", v[0], v[1]);
	int eie = v[5] && v[5][0];
	char when[40];
	if (secs < 0) {
		snprintf(when, sizeof when, "%s", v[1]);
	} else {
		char off[8];
		if (local_offset(day, secs, off))
			return ef_errf(err, EF_DB, "export fhir: no UTC offset for local time %s", v[1]);
		snprintf(when, sizeof when, "%.10sT%02d:%02d:%02d%s", v[1], secs / 3600, secs / 60 % 60, secs % 60, off);
	}
	/* the code: the test's first LOINC code of loinc.csv, and its name */
	json_t *codings = json_array();
	for (size_t i = 0; i < f->loinc.n_loinc; i++)
		if (f->loinc.loinc[i].test == t) {
			json_array_append_new(codings, coding("http://loinc.org", f->loinc.loinc[i].loinc, NULL));
			break;
		}
	/* the value as given when its unit is UCUM, else converted */
	const char *unit = v[4];
	double val = num;
	if (!is_ucum(unit)) {
		unit = ef_test_canonical_unit(t);
		val = canon;
		if (strcmp(unit, "cells/uL") == 0)
			unit = "{cells}/uL";
	}
	json_t *qty = json_pack("{s:f, s:s, s:s, s:s}", "value", val, "unit", unit, "system",
				"http://unitsofmeasure.org", "code", unit);
	if (qty && q != EF_Q_EQ)
		json_object_set_new(qty, "comparator", S(q == EF_Q_LT ? "<" : ">"));
	json_t *code = json_pack("{s:s}", "text", v[2]);
	if (code && json_array_size(codings)) /* FHIR has no empty arrays */
		json_object_set(code, "coding", codings);
	json_decref(codings);
	json_t *r = json_pack(
		"{s:s, s:s, s:[{s:[o]}], s:o, s:o, s:s, s:o}", "resourceType", "Observation", "status",
		eie ? "entered-in-error" : "final", "category", "coding",
		coding("http://terminology.hl7.org/CodeSystem/observation-category", "laboratory", "Laboratory"), "code",
		code, "subject", patient_ref(v[0]), "effectiveDateTime", when, "valueQuantity", qty);
	char key[256];
	snprintf(key, sizeof key, "%s|%s|%s", v[0], v[1], v[2]);
	add(f, r, "Observation", key);
	f->n->observations++;
	return EF_OK;
}

/* ---- Immunization ---- */

static int on_dose(void *ctx, const char *const *v, size_t n, struct ef_err *err)
{
	struct fx *f = ctx;
	(void)n;
	(void)err;
	/* mrn, vaccine, given_on, lot, site, given_by, source, override_reason, entered_in_error */
	int eie = v[8] && v[8][0];
	int cvx = strspn(v[1], "0123456789") == strlen(v[1]);
	json_t *code = cvx ? json_pack("{s:[o]}", "coding", coding("http://hl7.org/fhir/sid/cvx", v[1], NULL))
			   : json_pack("{s:s}", "text", v[1]);
	int primary = v[6] && strcmp(v[6], "administered") == 0;
	json_t *r = json_pack("{s:s, s:s, s:o, s:o, s:s, s:b}", "resourceType", "Immunization", "status",
			      eie ? "entered-in-error" : "completed", "vaccineCode", code, "patient", patient_ref(v[0]),
			      "occurrenceDateTime", v[2], "primarySource", primary);
	if (r && v[3] && v[3][0])
		json_object_set_new(r, "lotNumber", S(v[3]));
	if (r && v[4] && v[4][0]) {
		size_t sl = strlen(v[4]);
		json_t *site = (sl >= 2 && sl <= 3 && strspn(v[4], "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == sl)
				       ? json_pack("{s:[o], s:s}", "coding",
						   coding("http://terminology.hl7.org/CodeSystem/v3-ActSite", v[4], NULL),
						   "text", v[4])
				       : json_pack("{s:s}", "text", v[4]);
		json_object_set_new(r, "site", site);
	}
	if (r && v[5] && v[5][0])
		json_object_set_new(r, "performer", json_pack("[{s:{s:s}}]", "actor", "display", v[5]));
	char key[256];
	snprintf(key, sizeof key, "%s|%s|%s", v[0], v[1], v[2]);
	add(f, r, "Immunization", key);
	f->n->immunizations++;
	return EF_OK;
}

/* ---- Condition ---- */

static void condition(struct fx *f, const char *const *v, const char *kind, const char *what, const char *grade,
		      int eie)
{
	char stage[64];
	snprintf(stage, sizeof stage, "%s", grade);
	json_t *r = json_pack(
		"{s:s, s:{s:[o]}, s:{s:s}, s:o, s:s, s:[{s:{s:s}}]}", "resourceType", "Condition", "verificationStatus",
		"coding",
		coding("http://terminology.hl7.org/CodeSystem/condition-ver-status", eie ? "entered-in-error" : "confirmed",
		       NULL),
		"code", "text", what, "subject", patient_ref(v[0]), "recordedDate", v[1], "stage", "summary", "text", stage);
	char key[256];
	snprintf(key, sizeof key, "%s|%s|%s", kind, v[0], v[1]);
	add(f, r, "Condition", key);
	f->n->conditions++;
}

static int digit(const char *s)
{
	return s && s[0] >= '0' && s[0] <= '9' ? s[0] - '0' : 0;
}

static int on_acute(void *ctx, const char *const *v, size_t n, struct ef_err *err)
{
	(void)n;
	(void)err;
	/* mrn, assessed_on, skin, liver, upper_gi, lower_gi, entered_in_error */
	enum ef_agvhd_grade g = ef_agvhd_grade(digit(v[2]), digit(v[3]), digit(v[4]), digit(v[5]));
	if (g == EF_AGVHD_0)
		return EF_OK;
	char grade[32];
	snprintf(grade, sizeof grade, "grade %s (MAGIC)", ef_agvhd_grade_str(g));
	condition(ctx, v, "acute", "acute graft-versus-host disease", grade, v[6] && v[6][0]);
	return EF_OK;
}

static int on_chronic(void *ctx, const char *const *v, size_t n, struct ef_err *err)
{
	(void)n;
	(void)err;
	/* mrn, assessed_on, skin, mouth, eyes, gi, liver, lungs, joints, genital, entered_in_error */
	int sc[8];
	for (int i = 0; i < 8; i++)
		sc[i] = digit(v[2 + i]);
	enum ef_cgvhd_severity sev = ef_cgvhd_severity(sc, 5);
	if (sev == EF_CGVHD_NONE)
		return EF_OK;
	char grade[32];
	snprintf(grade, sizeof grade, "%s (NIH 2014)", ef_cgvhd_severity_str(sev));
	condition(ctx, v, "chronic", "chronic graft-versus-host disease", grade, v[10] && v[10][0]);
	return EF_OK;
}

int ef_export_fhir(struct store *s, const char *mrn, FILE *out, struct ef_fhir_counts *n, struct ef_err *err)
{
	memset(n, 0, sizeof *n);
	struct fx f = {.s = s, .entries = json_array(), .n = n};
	ef_reference_init(&f.loinc);
	int rc = f.entries ? store_reference_load_kind(s, EF_REF_LOINC, &f.loinc, err) : ef_errf(err, EF_DB, "out of memory");
	if (!rc)
		rc = store_export_rows(s, STORE_K_PATIENTS, EF_NO_DAY, mrn, on_patient, &f, err);
	if (!rc)
		rc = store_export_rows(s, STORE_K_LABS, EF_NO_DAY, mrn, on_lab, &f, err);
	if (!rc)
		rc = store_export_rows(s, STORE_K_VACCINATIONS, EF_NO_DAY, mrn, on_dose, &f, err);
	if (!rc)
		rc = store_export_rows(s, STORE_K_GVHD_ACUTE, EF_NO_DAY, mrn, on_acute, &f, err);
	if (!rc)
		rc = store_export_rows(s, STORE_K_GVHD_CHRONIC, EF_NO_DAY, mrn, on_chronic, &f, err);
	if (!rc && f.failed)
		rc = ef_errf(err, EF_DB, "export fhir: out of memory");
	if (!rc) {
		json_t *b = json_pack("{s:s, s:s, s:o}", "resourceType", "Bundle", "type", "collection", "entry", f.entries);
		f.entries = NULL;
		if (!b || json_dumpf(b, out, JSON_INDENT(1) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15)) ||
		    fputc('\n', out) == EOF)
			rc = ef_errf(err, EF_DB, "export fhir: the bundle could not be written");
		json_decref(b);
	}
	json_decref(f.entries);
	ef_reference_free(&f.loinc);
	return rc;
}
