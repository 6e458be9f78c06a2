/* columns.h - the one description of each record kind: the columns of its
 * table, in the table's order (docs/architecture.md, "adding a column").
 *
 * Each kind's list is written once, as lines of two forms:
 *   COL(name, param, flags, max)  a column of the table that is also a CSV
 *                                 column: its CSV name, limit in bytes
 *                                 (longer is an error, never cut);
 *   DB(name, param, flags)        a column of the table only (the row id,
 *                                 values the store computes, import_id).
 * `param` is the ?N the kind's put binds the value to (src/store/records.c;
 * 0: none). The order of the lines is the order an import's row digest and
 * the audit triggers' JSON read the columns (schema/005_audit.sql,
 * schema/006_entered_in_error.sql): never reorder them; a new column goes at
 * the end, after a migration that adds it and re-creates the table's audit
 * triggers with it appended to the JSON.
 *
 * From these lists follow, in src/store/kinds.c, the export SELECT (the
 * COL lines in order), the put's insert, probe and update, the audit digest
 * columns and row JSON (current, and before migration 006), and in
 * src/csv/kinds.c the CSV header, required cells, limits and natural key. */
#ifndef ENGRAFT_COLUMNS_H
#define ENGRAFT_COLUMNS_H

#include "engraft/store.h"

#define SC_KEY 0x0001      /* part of the natural key */
#define SC_REQ 0x0002      /* CSV: an empty cell is an error */
#define SC_MULTI 0x0004    /* CSV: multi-line free text (TAB, CR, LF allowed) */
#define SC_PATIENT 0x0008  /* the table's patient_id; in CSV the patient's mrn */
#define SC_ROWID 0x0010    /* the row id */
#define SC_IMPORT 0x0020   /* import_id: the import that last wrote the row */
#define SC_DERIVED 0x0040  /* computed from other values: updated, never compared */
#define SC_OF_KEY 0x0080   /* computed from the key: inserted and matched, never updated */
#define SC_IF13 0x0100     /* updated and compared only when ?13 (given) is true */
#define SC_IF16 0x0200     /* updated and compared only when ?16 (given) is true */
#define SC_ASOF 0x0400     /* export: rows dated after the as-of date (?1) are left out */
#define SC_ASOF_DAY 0x0800 /* the same, by day number (?3) */
#define SC_UNTIL 0x1000    /* export: an end date after the as-of date is shown empty */
#define SC_006 0x2000      /* added by migration 006 with the default NULL: not in the
			      digests and JSON written before it */
#define SC_006_HIST 0x4000 /* the same with the default 'historical' */

#define SC_EIE (SC_IF13 | SC_006) /* entered_in_error (?12, given ?13) */

#define STORE_COLUMNS_PATIENTS(COL, DB) \
	DB("id", 0, SC_ROWID) \
	COL("mrn", 1, SC_KEY | SC_REQ, 63) \
	COL("family_name", 2, SC_REQ, 127) \
	COL("given_name", 3, SC_REQ, 127) \
	COL("birth_date", 4, SC_REQ, 10) \
	COL("sex", 5, 0, 32) \
	COL("diagnosis", 6, SC_MULTI, 127) \
	DB("import_id", 20, SC_IMPORT)
#define STORE_COLUMNS_TRANSPLANTS(COL, DB) \
	DB("id", 0, SC_ROWID) \
	COL("mrn", 1, SC_PATIENT | SC_KEY | SC_REQ, 63) \
	COL("transplant_date", 2, SC_KEY | SC_REQ | SC_ASOF, 10) \
	COL("type", 3, SC_REQ, 32) \
	COL("graft_source", 4, SC_REQ, 32) \
	COL("donor", 5, 0, 32) \
	COL("conditioning", 6, 0, 32) \
	DB("import_id", 20, SC_IMPORT)
/* qualifier and canonical follow from value and unit, collected_day from
 * collected_on; the limits size the store's lab batch (store.h). */
#define STORE_COLUMNS_LABS(COL, DB) \
	DB("id", 0, SC_ROWID) \
	COL("mrn", 1, SC_PATIENT | SC_KEY | SC_REQ, 63) \
	COL("collected_on", 2, SC_KEY | SC_REQ, STORE_LAB_COLLECTED_ON_MAX) \
	DB("collected_day", 3, SC_OF_KEY | SC_ASOF_DAY) \
	COL("test", 4, SC_KEY | SC_REQ, STORE_LAB_TEST_MAX) \
	COL("value", 5, SC_REQ, STORE_LAB_VALUE_MAX) \
	DB("qualifier", 6, SC_DERIVED) \
	DB("canonical", 7, SC_DERIVED) \
	COL("unit", 8, SC_REQ, STORE_LAB_UNIT_MAX) \
	DB("import_id", 20, SC_IMPORT) \
	COL("entered_in_error", 12, SC_EIE, STORE_EIE_MAX)
#define STORE_COLUMNS_TRANSFUSIONS(COL, DB) \
	DB("id", 0, SC_ROWID) \
	COL("mrn", 1, SC_PATIENT | SC_KEY | SC_REQ, 63) \
	COL("given_on", 2, SC_KEY | SC_REQ | SC_ASOF, 10) \
	COL("product", 3, SC_KEY | SC_REQ, 32) \
	DB("import_id", 20, SC_IMPORT) \
	COL("entered_in_error", 12, SC_EIE, STORE_EIE_MAX)
/* source and override_reason are kept unless given (?16): a file without
 * those columns does not change them. */
#define STORE_COLUMNS_VACCINATIONS(COL, DB) \
	DB("id", 0, SC_ROWID) \
	COL("mrn", 1, SC_PATIENT | SC_KEY | SC_REQ, 63) \
	COL("vaccine", 2, SC_KEY | SC_REQ, 15) \
	COL("given_on", 3, SC_KEY | SC_REQ | SC_ASOF, 10) \
	COL("lot", 4, 0, 63) \
	COL("site", 5, SC_MULTI, 63) \
	COL("given_by", 6, SC_MULTI, 127) \
	DB("import_id", 20, SC_IMPORT) \
	COL("source", 14, SC_IF16 | SC_006_HIST, 32) \
	COL("override_reason", 15, SC_IF16 | SC_006, STORE_EIE_MAX) \
	COL("entered_in_error", 12, SC_EIE, STORE_EIE_MAX)
/* grade and severity are computed by the core from the stages (records.c
 * callers) and stored with them. */
#define STORE_COLUMNS_GVHD_ACUTE(COL, DB) \
	DB("id", 0, SC_ROWID) \
	COL("mrn", 1, SC_PATIENT | SC_KEY | SC_REQ, 63) \
	COL("assessed_on", 2, SC_KEY | SC_REQ | SC_ASOF, 10) \
	COL("skin", 3, SC_REQ, 8) \
	COL("liver", 4, SC_REQ, 8) \
	COL("upper_gi", 5, SC_REQ, 8) \
	COL("lower_gi", 6, SC_REQ, 8) \
	DB("grade", 7, 0) \
	DB("import_id", 20, SC_IMPORT) \
	COL("entered_in_error", 12, SC_EIE, STORE_EIE_MAX)
#define STORE_COLUMNS_GVHD_CHRONIC(COL, DB) \
	DB("id", 0, SC_ROWID) \
	COL("mrn", 1, SC_PATIENT | SC_KEY | SC_REQ, 63) \
	COL("assessed_on", 2, SC_KEY | SC_REQ | SC_ASOF, 10) \
	COL("skin", 3, SC_REQ, 8) \
	COL("mouth", 4, SC_REQ, 8) \
	COL("eyes", 5, SC_REQ, 8) \
	COL("gi", 6, SC_REQ, 8) \
	COL("liver", 7, SC_REQ, 8) \
	COL("lungs", 8, SC_REQ, 8) \
	COL("joints", 9, SC_REQ, 8) \
	COL("genital", 10, SC_REQ, 8) \
	DB("severity", 11, 0) \
	DB("import_id", 20, SC_IMPORT) \
	COL("entered_in_error", 12, SC_EIE, STORE_EIE_MAX)
#define STORE_COLUMNS_IMMUNOSUPPRESSION(COL, DB) \
	DB("id", 0, SC_ROWID) \
	COL("mrn", 1, SC_PATIENT | SC_KEY | SC_REQ, 63) \
	COL("drug", 2, SC_KEY | SC_REQ, 63) \
	COL("started_on", 3, SC_KEY | SC_REQ | SC_ASOF, 10) \
	COL("stopped_on", 4, SC_UNTIL, 10) \
	DB("import_id", 20, SC_IMPORT) \
	COL("entered_in_error", 12, SC_EIE, STORE_EIE_MAX)
#define STORE_COLUMNS_IVIG(COL, DB) \
	DB("id", 0, SC_ROWID) \
	COL("mrn", 1, SC_PATIENT | SC_KEY | SC_REQ, 63) \
	COL("given_on", 2, SC_KEY | SC_REQ | SC_ASOF, 10) \
	COL("dose_g", 3, 0, 31) \
	DB("import_id", 20, SC_IMPORT) \
	COL("entered_in_error", 12, SC_EIE, STORE_EIE_MAX)
/* Vital and follow-up status (schema 012): entered_in_error was part of the
 * table from the start (no SC_006). */
#define STORE_COLUMNS_STATUS(COL, DB) \
	DB("id", 0, SC_ROWID) \
	COL("mrn", 1, SC_PATIENT | SC_KEY | SC_REQ, 63) \
	COL("recorded_on", 2, SC_KEY | SC_REQ | SC_ASOF, 10) \
	COL("status", 3, SC_KEY | SC_REQ, 16) \
	COL("note", 4, SC_MULTI, STORE_STATUS_NOTE_MAX) \
	DB("import_id", 20, SC_IMPORT) \
	COL("entered_in_error", 12, SC_IF13, STORE_EIE_MAX)
/* A follow-up time point done (schema 015): entered_in_error was part of
 * the table from the start (no SC_006). */
#define STORE_COLUMNS_FOLLOWUPS(COL, DB) \
	DB("id", 0, SC_ROWID) \
	COL("mrn", 1, SC_PATIENT | SC_KEY | SC_REQ, 63) \
	COL("item", 2, SC_KEY | SC_REQ, 23) \
	COL("time_point", 3, SC_KEY | SC_REQ, 11) \
	COL("done_on", 4, SC_REQ | SC_ASOF, 10) \
	COL("note", 5, SC_MULTI, STORE_FOLLOWUP_NOTE_MAX) \
	DB("import_id", 20, SC_IMPORT) \
	COL("entered_in_error", 12, SC_IF13, STORE_EIE_MAX)

/* The kinds, in enum store_kind order (also the audit digest's table
 * order): K(ID, CSV name, table, what a row is in messages); the columns
 * are STORE_COLUMNS_<ID>. */
#define STORE_KINDS(K) \
	K(PATIENTS, "patients", "patients", "patient") \
	K(TRANSPLANTS, "transplants", "transplants", "transplant") \
	K(LABS, "labs", "lab_results", "lab result") \
	K(TRANSFUSIONS, "transfusions", "transfusions", "transfusion") \
	K(VACCINATIONS, "vaccinations", "vaccinations", "vaccination") \
	K(GVHD_ACUTE, "gvhd-acute", "gvhd_acute", "acute GVHD assessment") \
	K(GVHD_CHRONIC, "gvhd-chronic", "gvhd_chronic", "chronic GVHD assessment") \
	K(IMMUNOSUPPRESSION, "immunosuppression", "immunosuppression", "immunosuppression course") \
	K(IVIG, "ivig", "ivig", "IVIG dose") \
	K(STATUS, "status", "status", "status") \
	K(FOLLOWUPS, "followups", "followups", "follow-up time point")

/* The same lists as data (src/store/kinds.c). */
struct store_col {
	const char *name; /* the CSV column's name; the table's ("patient_id" if SC_PATIENT) */
	unsigned char param;
	unsigned short flags;
	unsigned short max; /* CSV columns only */
	unsigned char csv;  /* a COL line */
};

struct store_kind_desc {
	const char *name, *table, *what;
	const struct store_col *col;
	size_t ncol;
};

extern const struct store_kind_desc store_kinds[STORE_K_COUNT];

#endif
