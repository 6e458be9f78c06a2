/* backup.h - an online, consistent copy of the database. */
#ifndef ENGRAFT_BACKUP_H
#define ENGRAFT_BACKUP_H

#include "engraft/audit.h"
#include "engraft/error.h"
#include "engraft/store.h"

/* Copy the open database to `dest` with SQLite's online backup API (one
 * read snapshot: other processes keep writing meanwhile). The copy is
 * written to a temporary file (mode 0600) beside dest, switched to a
 * rollback journal so it is one self-contained file, checked with
 * PRAGMA integrity_check (a failure removes it: EF_DB), fsync'ed, and only
 * then linked to dest, which must not exist (EF_USAGE: a backup never
 * overwrites). Then the copy's audit trail is verified (summary in *sum):
 * EF_AUDIT if it is broken (the copy is kept: it is a faithful copy of a
 * database whose trail was already broken). */
int store_backup(struct store *s, const char *dest, struct store_audit_summary *sum, struct ef_err *err);

#endif
