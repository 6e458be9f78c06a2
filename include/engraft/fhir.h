/* fhir.h - the record as a FHIR R4 Bundle (JSON through jansson), for
 * registries and EHRs (docs/formats.md "FHIR R4"). */
#ifndef ENGRAFT_FHIR_H
#define ENGRAFT_FHIR_H

#include <stdio.h>

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

#endif
