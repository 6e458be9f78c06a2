/* csvio.h - CSV import and export of the clinical record (docs/formats.md
 * s.2-7). Import validates every value and is all-or-nothing. */
#ifndef ENGRAFT_CSVIO_H
#define ENGRAFT_CSVIO_H

#include <stdint.h>
#include <stdio.h>

#include "engraft/date.h"
#include "engraft/error.h"
#include "engraft/store.h"

/* The import kinds' names as on the command line ("gvhd-acute", ...). */
const char *ef_kind_name(enum store_kind k);
int ef_kind_parse(const char *name, enum store_kind *out);

/* Called once per problem found (message without the "engraft: " prefix,
 * "FILE:LINE: column: reason"). */
typedef void (*ef_diag_fn)(void *ctx, const char *msg);

struct ef_import_opts {
	ef_day today;        /* events after today are rejected */
	int now_sec;         /* seconds since local midnight now: a lab time
				later today is rejected too */
	int max_errors;      /* stop reporting after this many (default 50) */
	ef_diag_fn diag;     /* may be NULL */
	void *diag_ctx;
	int64_t import_id;   /* ef_enter_row: the rows belong to this import
				(store_import_begin; 0: a single entry) */
	/* ef_import: called after the last row, before the commit, in the
	 * import's transaction (the application refreshes what the rows
	 * made stale); NULL: none. An error rolls the import back. */
	int (*before_commit)(struct store *s, void *ctx, struct ef_err *err);
	void *before_commit_ctx;
};

struct ef_import_result {
	int64_t import_id;
	long rows, inserted, updated, unchanged;
	long errors;         /* rows rejected (the file was not imported) */
};

/* Import one CSV stream of `kind` in one transaction. Lab values are checked
 * against the site's lab_tests limits in the database (read once per file;
 * labref.h). On any bad row the
 * transaction is rolled back, every problem goes to opts->diag, and the
 * result is EF_INVALID with a summary in err. */
int ef_import(struct store *s, enum store_kind kind, FILE *in, const char *name,
	      const struct ef_import_opts *opts, struct ef_import_result *res, struct ef_err *err);

/* ---- one record, as a form enters it ---- */

/* The kind's CSV columns in order (the order ef_enter_row takes its
 * cells in); *n receives how many. */
const char *const *ef_kind_columns(enum store_kind k, size_t *n);

struct ef_enter_result {
	int64_t patient_id;  /* the record's patient (a new patient: its id) */
	enum store_put put;  /* inserted, updated or unchanged */
	long errors;         /* problems reported (0 when it was written) */
};

/* Validate and write ONE record of `kind`, with every check and message of
 * ef_import, inside a transaction the caller holds (the use case's
 * store_tx; this neither begins nor commits). cells[i] is the cell of the
 * kind's column i (ef_kind_columns; NULL or "" is empty); n may be fewer
 * than the kind's columns: the others are absent, as in a file without
 * them. A cell is taken as typed (no formula escape is removed). Each
 * problem goes to opts->diag as "COLUMN: reason", the import's message
 * without its "FILE:LINE: ", and then the result is EF_INVALID with
 * nothing written (every check comes before the put); EF_DB when the
 * database failed (the caller rolls back). Single entries carry no import
 * id: the audit trail records the row itself; the records of an
 * interchange file (interop.h) carry opts->import_id, the file's import. */
int ef_enter_row(struct store *s, enum store_kind kind, const char *const *cells, size_t n,
		 const struct ef_import_opts *opts, struct ef_enter_result *out, struct ef_err *err);

/* ---- writing CSV ---- */

struct ef_csv_writer {
	FILE *out;
	char *buf;
	size_t len, cap;
	int failed;
	int errnum;          /* errno of the first failed write (0: unknown) */
};

int ef_csv_writer_init(struct ef_csv_writer *w, FILE *out);
/* One record: n cells (NULL = empty). Cells are quoted when they need it
 * (comma, quote, CR, LF, leading/trailing blank), and a cell starting with
 * = + - @ TAB or CR that is not a number gets a leading ' so a spreadsheet
 * never runs it. */
void ef_csv_write_row(struct ef_csv_writer *w, const char *const *cells, size_t n);
/* EF_DB with a message naming why the output failed (disk full...). */
int ef_csv_writer_errf(const struct ef_csv_writer *w, struct ef_err *err);
/* Flush and free the buffer: 0, or -1 when any write failed. */
int ef_csv_writer_finish(struct ef_csv_writer *w);

/* Export an import kind: header then rows (same columns as import). */
int ef_export_kind(struct store *s, enum store_kind kind, ef_day as_of, const char *mrn, FILE *out,
		   struct ef_err *err);

/* Load the reference CSV files (parameters, vaccine_schedule, milestones,
 * monitoring, cvx, lab_tests) into the database in one transaction: the embedded
 * defaults, or the files in dir (NULL: defaults). Nothing changes if any
 * row is invalid. */
int ef_load_assets(struct store *s, const char *dir, struct ef_err *err);
/* Load the defaults only if the reference tables are empty (first use). */
int ef_ensure_assets(struct store *s, struct ef_err *err);

#endif
