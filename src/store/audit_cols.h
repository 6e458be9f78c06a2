/* audit_cols.h - NOT used by the store any more: the digest columns of
 * each audited record table (current and before migration 006) follow from
 * the kind's description in engraft/columns.h (built by src/store/kinds.c),
 * and tests/store/test_kinds.c checks that description against the schema.
 * This copy remains only for tests/trust/test_audit.c
 * (digest_columns_are_every_column_in_order), an independent check of the
 * order the man page documents; remove the two together. */
#ifndef ENGRAFT_AUDIT_COLS_H
#define ENGRAFT_AUDIT_COLS_H

/* Digest versions 2 and 3 (imports before schema 006) cover the columns up
 * to import_id (the *_V3 lists); version 4 adds the columns of migration 006
 * after it. The current lists are the V3 ones with those appended, so an
 * older import's digest reads the first columns of the current list. */

#define AUDIT_COLS_PATIENTS "id, mrn, family_name, given_name, birth_date, sex, diagnosis, import_id"
#define AUDIT_COLS_TRANSPLANTS \
	"id, patient_id, transplant_date, type, graft_source, donor, conditioning, import_id"
#define AUDIT_COLS_LAB_RESULTS_V3 \
	"id, patient_id, collected_on, collected_day, test, value, qualifier, canonical, unit, import_id"
#define AUDIT_COLS_TRANSFUSIONS_V3 "id, patient_id, given_on, product, import_id"
#define AUDIT_COLS_VACCINATIONS_V3 "id, patient_id, vaccine, given_on, lot, site, given_by, import_id"
#define AUDIT_COLS_GVHD_ACUTE_V3 "id, patient_id, assessed_on, skin, liver, upper_gi, lower_gi, grade, import_id"
#define AUDIT_COLS_GVHD_CHRONIC_V3 \
	"id, patient_id, assessed_on, skin, mouth, eyes, gi, liver, lungs, joints, genital, severity, import_id"
#define AUDIT_COLS_IMMUNOSUPPRESSION_V3 "id, patient_id, drug, started_on, stopped_on, import_id"
#define AUDIT_COLS_IVIG_V3 "id, patient_id, given_on, dose_g, import_id"
#define AUDIT_COLS_PATIENTS_V3 AUDIT_COLS_PATIENTS
#define AUDIT_COLS_TRANSPLANTS_V3 AUDIT_COLS_TRANSPLANTS
#define AUDIT_COLS_LAB_RESULTS AUDIT_COLS_LAB_RESULTS_V3 ", entered_in_error"
#define AUDIT_COLS_TRANSFUSIONS AUDIT_COLS_TRANSFUSIONS_V3 ", entered_in_error"
#define AUDIT_COLS_VACCINATIONS AUDIT_COLS_VACCINATIONS_V3 ", source, override_reason, entered_in_error"
#define AUDIT_COLS_GVHD_ACUTE AUDIT_COLS_GVHD_ACUTE_V3 ", entered_in_error"
#define AUDIT_COLS_GVHD_CHRONIC AUDIT_COLS_GVHD_CHRONIC_V3 ", entered_in_error"
#define AUDIT_COLS_IMMUNOSUPPRESSION AUDIT_COLS_IMMUNOSUPPRESSION_V3 ", entered_in_error"
#define AUDIT_COLS_IVIG AUDIT_COLS_IVIG_V3 ", entered_in_error"

#endif
