/* export.c - rows of the import kinds, in the CSV column order of docs/formats.md,
 * ordered by natural key. ?1 = as-of date text (NULL: no limit), ?2 = MRN
 * (NULL: all), ?3 = as-of day number (labs). */
#include "store_int.h"

#include <string.h>

static const char *const export_sql[STORE_K_COUNT] = {
	[STORE_K_PATIENTS] =
		"SELECT mrn, family_name, given_name, birth_date, sex, diagnosis FROM patients "
		"WHERE (?2 IS NULL OR mrn = ?2) ORDER BY mrn",
	[STORE_K_TRANSPLANTS] =
		"SELECT p.mrn, t.transplant_date, t.type, t.graft_source, t.donor, t.conditioning "
		"FROM patients p JOIN transplants t ON t.patient_id = p.id "
		"WHERE (?2 IS NULL OR p.mrn = ?2) AND (?1 IS NULL OR t.transplant_date <= ?1) "
		"ORDER BY p.mrn, t.transplant_date",
	[STORE_K_LABS] =
		"SELECT p.mrn, l.collected_on, l.test, l.value, l.unit, l.entered_in_error "
		"FROM patients p JOIN lab_results l ON l.patient_id = p.id "
		"WHERE (?2 IS NULL OR p.mrn = ?2) AND (?3 IS NULL OR l.collected_day <= ?3) "
		"ORDER BY p.mrn, l.collected_on, l.test",
	[STORE_K_TRANSFUSIONS] =
		"SELECT p.mrn, t.given_on, t.product, t.entered_in_error FROM patients p JOIN transfusions t ON t.patient_id = p.id "
		"WHERE (?2 IS NULL OR p.mrn = ?2) AND (?1 IS NULL OR t.given_on <= ?1) "
		"ORDER BY p.mrn, t.given_on, t.product",
	[STORE_K_VACCINATIONS] =
		"SELECT p.mrn, v.vaccine, v.given_on, v.lot, v.site, v.given_by, v.source, v.override_reason, "
		"v.entered_in_error "
		"FROM patients p JOIN vaccinations v ON v.patient_id = p.id "
		"WHERE (?2 IS NULL OR p.mrn = ?2) AND (?1 IS NULL OR v.given_on <= ?1) "
		"ORDER BY p.mrn, v.vaccine, v.given_on",
	[STORE_K_GVHD_ACUTE] =
		"SELECT p.mrn, g.assessed_on, g.skin, g.liver, g.upper_gi, g.lower_gi, g.entered_in_error "
		"FROM patients p JOIN gvhd_acute g ON g.patient_id = p.id "
		"WHERE (?2 IS NULL OR p.mrn = ?2) AND (?1 IS NULL OR g.assessed_on <= ?1) "
		"ORDER BY p.mrn, g.assessed_on",
	[STORE_K_GVHD_CHRONIC] =
		"SELECT p.mrn, g.assessed_on, g.skin, g.mouth, g.eyes, g.gi, g.liver, g.lungs, g.joints, g.genital, "
		"g.entered_in_error "
		"FROM patients p JOIN gvhd_chronic g ON g.patient_id = p.id "
		"WHERE (?2 IS NULL OR p.mrn = ?2) AND (?1 IS NULL OR g.assessed_on <= ?1) "
		"ORDER BY p.mrn, g.assessed_on",
	[STORE_K_IMMUNOSUPPRESSION] =
		"SELECT p.mrn, i.drug, i.started_on, "
		"CASE WHEN ?1 IS NOT NULL AND i.stopped_on > ?1 THEN NULL ELSE i.stopped_on END, i.entered_in_error "
		"FROM patients p JOIN immunosuppression i ON i.patient_id = p.id "
		"WHERE (?2 IS NULL OR p.mrn = ?2) AND (?1 IS NULL OR i.started_on <= ?1) "
		"ORDER BY p.mrn, i.drug, i.started_on",
	[STORE_K_IVIG] =
		"SELECT p.mrn, i.given_on, i.dose_g, i.entered_in_error FROM patients p JOIN ivig i ON i.patient_id = p.id "
		"WHERE (?2 IS NULL OR p.mrn = ?2) AND (?1 IS NULL OR i.given_on <= ?1) "
		"ORDER BY p.mrn, i.given_on",
};

int store_export_rows(struct store *s, enum store_kind kind, ef_day as_of, const char *mrn, store_row_fn fn,
		      void *ctx, struct ef_err *err)
{
	if ((unsigned)kind >= STORE_K_COUNT)
		return ef_errf(err, EF_USAGE, "unknown export kind");
	sqlite3_stmt *st = store_stmt(s, export_sql[kind], err);
	if (!st)
		return EF_DB;
	char asof[11];
	if (as_of != EF_NO_DAY) {
		ef_date_format(as_of, asof);
		sqlite3_bind_text(st, 1, asof, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int(st, 3, as_of);
	}
	store_bind_opt(st, 2, mrn);
	const int ncol = sqlite3_column_count(st);
	const char *vals[16];
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (int i = 0; i < ncol && i < 16; i++)
			vals[i] = (const char *)sqlite3_column_text(st, i);
		int r = fn(ctx, vals, (size_t)ncol, err);
		if (r) {
			sqlite3_reset(st);
			return r;
		}
	}
	if (rc != SQLITE_DONE) {
		rc = store_dberr(s, err, "export");
		sqlite3_reset(st);
		return rc;
	}
	sqlite3_reset(st);
	return EF_OK;
}
