/* audit_cols.h - the columns of each audited clinical table, in the order
 * an import's row digest reads them (src/store only). The importer feeds
 * them from the values it bound (lab results, records.c digest_lab) or reads
 * the row back by id (the other kinds), and `audit verify` reads the same
 * columns from the table (audit.c); both sides feed each value through one
 * function, so they agree on every value's spelling. */
#ifndef ENGRAFT_AUDIT_COLS_H
#define ENGRAFT_AUDIT_COLS_H

#define AUDIT_COLS_PATIENTS "id, mrn, family_name, given_name, birth_date, sex, diagnosis, import_id"
#define AUDIT_COLS_TRANSPLANTS \
	"id, patient_id, transplant_date, type, graft_source, donor, conditioning, import_id"
#define AUDIT_COLS_LAB_RESULTS \
	"id, patient_id, collected_on, collected_day, test, value, qualifier, canonical, unit, import_id"
#define AUDIT_COLS_TRANSFUSIONS "id, patient_id, given_on, product, import_id"
#define AUDIT_COLS_VACCINATIONS "id, patient_id, vaccine, given_on, lot, site, given_by, import_id"
#define AUDIT_COLS_GVHD_ACUTE "id, patient_id, assessed_on, skin, liver, upper_gi, lower_gi, grade, import_id"
#define AUDIT_COLS_GVHD_CHRONIC \
	"id, patient_id, assessed_on, skin, mouth, eyes, gi, liver, lungs, joints, genital, severity, import_id"
#define AUDIT_COLS_IMMUNOSUPPRESSION "id, patient_id, drug, started_on, stopped_on, import_id"
#define AUDIT_COLS_IVIG "id, patient_id, given_on, dose_g, import_id"

#endif
