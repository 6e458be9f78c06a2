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
/* th_tmpdir()/name, one directory per process; valid until exit. */
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

/* ---- the real binary ($ENGRAFT_BIN) ---- */
const char *th_bin(void);
/* Start `engraft --db DB ARGS...` (args NULL-terminated) with
 * stdout and stderr to files; db NULL: no --db. */
int th_spawn(const char *db, const char *out, const char *err, const char *const *args);
/* Wait: the exit status, or -signal (and *signaled = 1). */
int th_wait(int pid, int *signaled);
/* Spawn and wait, output to th_path("run.out"/"run.err"). */
int th_run(const char *db, const char *const *args);
void th_write_file(const char *path, const char *text);
/* First line of a file ("" if none), static. */
const char *th_first_line(const char *path);

#endif
