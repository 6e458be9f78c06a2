/* fhir.h - the record as a FHIR R4 Bundle (JSON through jansson), for
 * registries and EHRs (docs/formats.md "FHIR R4"). */
#ifndef ENGRAFT_FHIR_H
#define ENGRAFT_FHIR_H

#include <stdio.h>

#include "engraft/csvio.h"
#include "engraft/error.h"
#include "engraft/store.h"

struct ef_fhir_counts {
	long patients, observations, immunizations, conditions;
};

/* `export fhir`: one Bundle (type collection) of every patient (or the one
 * with mrn) with:
 *   Patient        identifier (type MR) = the MRN, name, gender, birthDate
 *   Observation    per lab result: status final (entered-in-error when
 *                  marked), category laboratory, code = the test's first
 *                  LOINC code of loinc.csv (and the test as text),
 *                  effectiveDateTime (a time gets seconds and the local
 *                  offset from UTC of that moment), valueQuantity (the value
 *                  as given when its unit is a UCUM code, else the canonical
 *                  value and unit), comparator for < and >
 *   Immunization   per dose: status completed (entered-in-error), vaccineCode
 *                  (CVX coding; a series code as text), occurrenceDateTime,
 *                  primarySource (false for historical), lotNumber, site,
 *                  performer
 *   Condition      per acute GVHD assessment of grade I or more and chronic
 *                  one mild or worse: code (text), stage with the grade,
 *                  recordedDate, verificationStatus confirmed or
 *                  entered-in-error
 * Each resource's id (and fullUrl urn:uuid:...) is derived from its kind and
 * natural key, so the same record gives the same bundle. Numbers never
 * depend on the locale. */
int ef_export_fhir(struct store *s, const char *mrn, FILE *out, struct ef_fhir_counts *n, struct ef_err *err);

/* `import fhir`: the Observations and Immunizations of a FHIR R4 Bundle
 * (JSON), for patients already registered (a Patient of the bundle gives
 * the MRN: its identifier of type MR, else its first; references by fullUrl
 * or Patient/id). Each becomes a row of labs or vaccinations, checked by
 * the CSV importer's own checks (csvio.h ef_enter_row):
 *   Observation  status final, amended, corrected (valid), entered-in-error
 *                (marked); registered, preliminary, cancelled, unknown
 *                skipped. code: a LOINC coding that loinc.csv maps (an
 *                Observation without one, vital signs, surveys, tests engraft
 *                does not follow, is not followed: counted); then
 *                effectiveDateTime (an instant with its offset becomes the
 *                local clock time), valueQuantity value, comparator < >,
 *                code (else unit) are required and checked.
 *   Immunization status completed (valid), entered-in-error (marked),
 *                not-done skipped; vaccineCode a CVX coding,
 *                occurrenceDateTime, lotNumber, site (v3-ActSite code, else
 *                text), performer[0].actor.display; primarySource true with
 *                a lot and a site is administered, anything else historical
 *                (engraft's administered dose needs both).
 * Problems go to opts->diag as "NAME: entry[N] Type.element: reason" (JSON
 * has no line per value; a file that is not JSON: "NAME:LINE: ..."); any
 * problem: EF_INVALID (the caller rolls back). One import record (kind fhir)
 * and audit entry with sha_hex, inside the caller's transaction. */
struct ef_fhir_result {
	struct ef_import_result r;
	long patients;      /* Patients of the bundle with an identifier */
	long skipped;       /* statuses not imported */
	long not_followed;  /* Observations without a LOINC code of loinc.csv */
	long other;         /* other resources, read past */
};
int ef_fhir_kinds(const char *buf, size_t len, const char *name, unsigned *kinds, struct ef_err *err);
int ef_fhir_import(struct store *s, const char *buf, size_t len, const char *name, const char *sha_hex,
		   const struct ef_import_opts *opts, struct ef_fhir_result *res, struct ef_err *err);

#endif
