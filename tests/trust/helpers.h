/* helpers.h - shared by the trust tests: temporary databases, imports from
 * strings, raw SQL as an attacker with the sqlite3 shell would run it. */
#ifndef ENGRAFT_TEST_TRUST_HELPERS_H
#define ENGRAFT_TEST_TRUST_HELPERS_H

#include <stddef.h>

#include "engraft/audit.h"
#include "engraft/csvio.h"
#include "engraft/store.h"

/* A fresh directory under $TMPDIR (or /tmp); returns its path (static). */
const char *th_tmpdir(void);
/* th_tmpdir()/name (one directory per process) in a static ring of 256
 * buffers: keep a path no longer than 255 later calls. */
const char *th_path(const char *name);

struct store *th_open(const char *path);
/* Import CSV text; returns the status; res may be NULL. */
int th_import(struct store *s, const char *kind, const char *csv, struct ef_import_result *res);
/* Run SQL on a plain SQLite connection (no engraft functions): returns the
 * sqlite result code. */
int th_raw(const char *path, const char *sql);
/* Verify and collect every problem message, joined by '\n', in th_msgs. */
int th_verify(struct store *s, const char *head, struct store_audit_summary *sum);
extern char th_msgs[16384];
/* SHA-256 hex of every table's content (all rows, all columns, by rowid). */
void th_db_digest(const char *path, char out[65]);
/* A patients + all-kinds fixture. */
extern const char *const th_fixture[][2];
extern const size_t th_fixture_n;
void th_load_fixture(struct store *s);

#endif
