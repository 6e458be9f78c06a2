/* export.c - rows of the import kinds, in the CSV column order of docs/formats.md,
 * ordered by natural key: the SELECT follows from the kind's description
 * (engraft/columns.h, kinds.c). ?1 = as-of date text (NULL: no limit),
 * ?2 = MRN (NULL: all), ?3 = as-of day number (labs). */
#include "store_int.h"

#include <string.h>

int store_export_rows(struct store *s, enum store_kind kind, ef_day as_of, const char *mrn, store_row_fn fn,
		      void *ctx, struct ef_err *err)
{
	if ((unsigned)kind >= STORE_K_COUNT)
		return ef_errf(err, EF_USAGE, "unknown export kind");
	const struct store_kind_sql *q = store_kind_sql(kind, err);
	if (!q)
		return EF_DB;
	sqlite3_stmt *st = store_stmt(s, q->export_rows, err);
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
