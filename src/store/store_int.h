/* store_int.h - internals shared by the files of src/store only. */
#ifndef ENGRAFT_STORE_INT_H
#define ENGRAFT_STORE_INT_H

#include <sqlite3.h>

#include "engraft/sha256.h"
#include "engraft/store.h"

struct stmt_slot {
	const char *sql; /* identity: a static string */
	sqlite3_stmt *stmt;
};

struct store {
	sqlite3 *db;
	char path[4096];
	char user[128];
	char user_name[128]; /* the login's full name from the password file ("" if none) */
	int in_tx;
	int64_t last_put_id; /* the row of the last store_put_* (records.c) */
	struct stmt_slot *slots;
	size_t n_slots, cap_slots;
	/* The current import's digest of the rows it inserts (audit.c), fed
	 * row by row from INSERT ... RETURNING; and, per audited table, the
	 * largest row key the log had when it began: a row above it cannot
	 * have been logged on its own by the triggers. */
	struct ef_sha256 audit_digest[16]; /* one per audited table */
	int64_t audit_count[16];
	int64_t audit_maxlogged[16];
	int audit_digest_on;
	/* The patient whose kept rules state a lab result written in this
	 * transaction last made stale (kept.c store_kept_mark_rules): the rows
	 * of an import or the demo come patient by patient. 0: none. */
	int64_t kept_marked;
};

/* A lab result of the patient was inserted or changed: its kept findings
 * no longer hold (schema 017 leaves lab inserts to this, for speed). */
int store_kept_mark_rules(struct store *s, int64_t patient_id, struct ef_err *err);

/* A cached prepared statement for a static SQL string, reset and with its
 * bindings cleared; NULL on error (err filled, EF_DB). */
sqlite3_stmt *store_stmt(struct store *s, const char *sql, struct ef_err *err);
/* The same without clearing the bindings, for hot paths that bind every
 * parameter of the statement on every use (records.c put). */
sqlite3_stmt *store_stmt_rebind(struct store *s, const char *sql, struct ef_err *err);

/* Fill err from the connection's last error: "what: sqlite message". */
int store_dberr(struct store *s, struct ef_err *err, const char *what);

/* Bind helpers: NULL or "" text binds NULL (opt) ; text binds as is. */
int store_bind_text(sqlite3_stmt *st, int i, const char *v);
int store_bind_opt(sqlite3_stmt *st, int i, const char *v);
/* A date column as a day; EF_NO_DAY when NULL or not a date (timeline.c). */
ef_day store_col_day(sqlite3_stmt *st, int col);
/* Bind a day as its date text; EF_NO_DAY ("no date") and EF_DAY_NEVER
 * ("never") bind NULL (timeline.c). */
void store_bind_day(sqlite3_stmt *st, int i, ef_day d);

/* Run a statement that returns no rows (or whose rows are ignored). */
int store_exec_stmt(struct store *s, sqlite3_stmt *st, struct ef_err *err, const char *what);

/* For audit verify: report each reference table that differs from its
 * last entry in the trail (reference.c; refstore.h store_reference_log). */
int store_reference_verify(struct store *s, void (*problem)(void *ctx, const char *msg), void *ctx,
			   struct ef_err *err);

/* After migration 008: an empty staff list gets the store's user as its
 * first admin (staff.c). */
int store_staff_bootstrap(struct store *s, const char *display_name, struct ef_err *err);

/* Register the SQL functions the audit triggers call: ef_user() and
 * ef_audit_hash() (audit.c). Called by store_open before migrations. */
int store_audit_register(struct store *s, struct ef_err *err);
/* At the start of an import (store_import_begin): note each audited table's
 * largest row id, so the import's digest reads only the rows above it. */
int store_audit_import_begin(struct store *s, struct ef_err *err);
/* One row an import inserted (its id): read back its digest columns (the
 * kind's description, engraft/columns.h) and feed the import's digest. */
int store_audit_digest_row(struct store *s, const char *table, int64_t id, struct ef_err *err);
/* The same from the values just inserted (v[0] is the id, then every
 * digest column in order, as stored): no read-back. */
struct audit_val {
	int type; /* SQLITE_INTEGER, SQLITE_FLOAT, SQLITE_TEXT or SQLITE_NULL */
	long long i;
	double d;
	const char *s;
	size_t n;
};
int store_audit_digest_vals(struct store *s, const char *table, const struct audit_val *v, int n,
			    struct ef_err *err);

/* The SQL text of a record kind, built from its description
 * (engraft/columns.h) once, at first use (kinds.c); NULL (err filled, EF_DB)
 * if the texts do not fit their static storage. The strings never move:
 * they identify cached statements (store_stmt). */
struct store_kind_sql {
	const char *export_rows;	  /* store_export_rows: ?1 as-of date, ?2 MRN, ?3 as-of day */
	const char *insert, *probe, *update; /* records.c put */
	const char *batch;		  /* lab results: STORE_LAB_BATCH rows (insert_batch) */
	const char *cols, *cols_v3;	  /* digest columns "id, ..." (v3: before migration 006) */
	int ncols, ncols_v3;
	const char *json, *json_v3;	  /* the row JSON of the audit triggers, row alias t (v3:
					     before migration 006; NULL if the same) */
	const char *v3_state;		  /* row t still has the values 006 gave (NULL: no such columns) */
	const char *readback;		  /* the digest columns of row ?1 */
};
const struct store_kind_sql *store_kind_sql(enum store_kind k, struct ef_err *err);

/* Audited table i, in digest order (0 .. while EF_OK): its name and row JSON
 * with alias t, as the triggers must write it (the tests compare). -1 past
 * the last. */
int store_audit_table_json(size_t i, const char **name, const char **json, struct ef_err *err);

#endif
