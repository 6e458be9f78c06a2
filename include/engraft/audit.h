/* audit.h - the audit trail (man page, AUDIT TRAIL; schema/005_audit.sql).
 *
 * Triggers log every change of a clinical row; the hash chain is computed
 * in C by the SQL function ef_audit_hash() that store_open() registers
 * (with ef_user(), the store's --user). Entry N's hash is
 *
 *   SHA-256("engraft-audit-v1;" F(prev) F(seq) F(at) F(user) F(action)
 *           F(table) F(row_key) F(before) F(after))
 *
 * where prev is entry N-1's hash in hex (64 zeros for entry 1), and F(x) is
 * "<bytes of x in decimal>:<x>;" for a value (integers as decimal text) or
 * "-;" for NULL. Anyone can recompute it from `export audit`. */
#ifndef ENGRAFT_AUDIT_H
#define ENGRAFT_AUDIT_H

#include <stdint.h>

#include "engraft/error.h"
#include "engraft/store.h"

/* The one audit entry of an import, covering a digest of every row it
 * inserted; store_import_end() calls it (inside the import's transaction). */
int store_audit_import(struct store *s, int64_t import_id, struct ef_err *err);

struct store_audit_summary {
	int64_t entries;        /* entries in the log (up to the first break) */
	int64_t head_seq;       /* last entry verified */
	char head_hash[65];
	int64_t rows;           /* clinical rows checked */
	int64_t imports;        /* import digests checked */
	long problems;          /* 0: the log and the record agree */
};

/* Called once per problem found (up to a cap), message without prefix. */
typedef void (*store_audit_diag_fn)(void *ctx, const char *msg);

/* Verify, in one read snapshot: every trigger is one engraft created; the
 * chain from entry 1 (seq contiguous, each hash recomputed); the head
 * (audit_head) is the last entry, so a cut tail shows; expect_head
 * ("SEQ:HASH" recorded earlier, e.g. from a previous verify, or NULL) is
 * in the log; every import's digest matches the rows it inserted; and every
 * clinical row equals the last state the log recorded for it (none changed,
 * added or deleted outside engraft). EF_OK, EF_AUDIT (err = first problem)
 * or EF_DB / EF_USAGE (bad expect_head). */
int store_audit_verify(struct store *s, const char *expect_head, store_audit_diag_fn diag, void *ctx,
		       struct store_audit_summary *sum, struct ef_err *err);

/* The log in seq order: seq, at, user, action, table, row_key, before,
 * after, hash (export kind `audit`, docs/formats.md s.8). */
int store_audit_rows(struct store *s, store_row_fn fn, void *ctx, struct ef_err *err);

/* ---- audit review (engraft audit log; the chart's H) ---- */

/* Which entries: by login (NULL: all), by patient (MRN, NULL: all; the
 * entries about that patient's rows: an import is one entry per file and
 * has no patient), by UTC date of the entry (EF_NO_DAY: open). */
struct store_audit_filter {
	const char *login, *mrn;
	ef_day since, until;
};

/* One entry as a person reads it: when, who (and the staff list's name for
 * that login, "" if none), what, on which record, and the change: for an
 * update the fields that differ ("value: \"0.4\" -> \"0.5\"; ..."), for
 * an insert, baseline or import the fields it set, for a delete the fields
 * it removed. Text is as stored: escape it before it reaches a terminal. */
struct store_audit_event {
	int64_t seq;
	const char *at, *login, *name, *action, *table, *mrn, *change;
	int64_t row_key;
};
typedef int (*store_audit_event_fn)(void *ctx, const struct store_audit_event *e, struct ef_err *err);

/* The matching entries, oldest first. EF_INVALID: no patient has that MRN. */
int store_audit_log(struct store *s, const struct store_audit_filter *f, store_audit_event_fn fn, void *ctx,
		    struct ef_err *err);

#endif
