/* backup.c - `engraft backup FILE`: SQLite online backup to a temporary
 * file, checked, then linked into place without ever replacing a file. */
#include "store_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "engraft/backup.h"
#include "engraft/outfile.h"

static void nap_ms(int ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
	nanosleep(&ts, NULL);
}

static int fsync_path(const char *path, int dir)
{
	int fd = open(path, (dir ? O_RDONLY : O_RDWR) | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int r = fsync(fd);
	close(fd);
	return r;
}

static int copy_to(struct store *s, const char *tmp, struct ef_err *err)
{
	sqlite3 *dst = NULL;
	int rc = EF_OK;
	if (sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW, NULL) != SQLITE_OK) {
		rc = ef_errf(err, EF_DB, "backup: cannot open %s: %s", tmp, dst ? sqlite3_errmsg(dst) : "out of memory");
		sqlite3_close_v2(dst);
		return rc;
	}
	sqlite3_busy_timeout(dst, 10000);
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", s->db, "main");
	if (!b) {
		rc = ef_errf(err, EF_DB, "backup: %s", sqlite3_errmsg(dst));
		sqlite3_close_v2(dst);
		return rc;
	}
	/* All pages in one step: one read snapshot of the source (WAL readers
	 * do not block writers). Busy/locked: retry for up to 10 s. */
	int r, waited = 0;
	while ((r = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || r == SQLITE_LOCKED) {
		if (waited >= 10000)
			break;
		nap_ms(50);
		waited += 50;
	}
	sqlite3_backup_finish(b);
	if (r != SQLITE_DONE) {
		rc = ef_errf(err, EF_DB, "backup: copy failed: %s",
			     r == SQLITE_BUSY || r == SQLITE_LOCKED ? "database is busy" : sqlite3_errstr(r));
		sqlite3_close_v2(dst);
		return rc;
	}
	/* One self-contained file; then the structural check. */
	char *msg = NULL;
	if (sqlite3_exec(dst, "PRAGMA journal_mode = DELETE", NULL, NULL, &msg) != SQLITE_OK) {
		rc = ef_errf(err, EF_DB, "backup: %s", msg ? msg : sqlite3_errmsg(dst));
		sqlite3_free(msg);
		sqlite3_close_v2(dst);
		return rc;
	}
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(dst, "PRAGMA integrity_check", -1, &st, NULL) != SQLITE_OK) {
		rc = ef_errf(err, EF_DB, "backup: integrity check: %s", sqlite3_errmsg(dst));
	} else {
		int first = 1;
		while ((r = sqlite3_step(st)) == SQLITE_ROW) {
			const char *t = (const char *)sqlite3_column_text(st, 0);
			if (first && (!t || strcmp(t, "ok") != 0))
				rc = ef_errf(err, EF_DB, "backup: the copy fails PRAGMA integrity_check: %s", t ? t : "?");
			first = 0;
		}
		if (r != SQLITE_DONE && !rc)
			rc = ef_errf(err, EF_DB, "backup: integrity check: %s", sqlite3_errmsg(dst));
	}
	sqlite3_finalize(st);
	if (sqlite3_close(dst) != SQLITE_OK && !rc)
		rc = ef_errf(err, EF_DB, "backup: cannot close the copy");
	return rc;
}

int store_backup(struct store *s, const char *dest, struct store_audit_summary *sum, struct ef_err *err)
{
	struct stat st;
	memset(sum, 0, sizeof *sum);
	if (!dest || !*dest)
		return ef_errf(err, EF_USAGE, "backup: empty file name");
	int rc = store_output_allowed(s, dest, "backup", err);
	if (rc)
		return rc;
	if (lstat(dest, &st) == 0)
		return ef_errf(err, EF_USAGE, "backup: %s exists; a backup never overwrites a file "
					      "(remove it or choose another name)", dest);
	if (errno != ENOENT)
		return ef_errf(err, EF_DB, "backup: %s: %s", dest, strerror(errno));
	size_t n = strlen(dest);
	char *tmp = malloc(n + 16);
	if (!tmp)
		return ef_errf(err, EF_DB, "out of memory");
	snprintf(tmp, n + 16, "%s.tmp-XXXXXX", dest);
	char journal[4096 + 32];
	/* A signal before the copy is in place removes it (and the journal
	 * SQLite may keep beside it): no stray copy of patient data. */
	int fd = store_tmp_create(tmp, err); /* mode 0600 */
	if (fd < 0) {
		rc = fd == -2 ? EF_DB : ef_errf(err, EF_DB, "backup: cannot create %s: %s%s", tmp, strerror(errno),
						ef_io_hint(errno));
		free(tmp);
		return rc;
	}
	close(fd);
	snprintf(journal, sizeof journal, "%s-journal", tmp);
	if ((rc = store_tmp_track(journal, err))) {
		unlink(tmp);
		store_tmp_untrack(tmp);
		free(tmp);
		return rc;
	}
	rc = copy_to(s, tmp, err);
	if (!rc && fsync_path(tmp, 0) != 0)
		rc = ef_errf(err, EF_DB, "backup: cannot sync %s: %s", tmp, strerror(errno));
	if (!rc && link(tmp, dest) != 0) {
		if (errno == EEXIST)
			rc = ef_errf(err, EF_USAGE, "backup: %s appeared meanwhile; not overwritten", dest);
		else
			rc = ef_errf(err, EF_DB, "backup: cannot create %s: %s", dest, strerror(errno));
	}
	unlink(journal);
	unlink(tmp);
	store_tmp_untrack(journal);
	store_tmp_untrack(tmp);
	free(tmp);
	if (rc)
		return rc;
	/* Make the new name durable: sync the directory. */
	char *dir = strdup(dest);
	if (dir) {
		char *slash = strrchr(dir, '/');
		if (slash == dir)
			slash[1] = '\0';
		else if (slash)
			*slash = '\0';
		fsync_path(slash ? dir : ".", 1);
		free(dir);
	}
	/* The copy must open as an engraft database and its trail must verify. */
	struct store *copy = NULL;
	if ((rc = store_open(dest, STORE_READONLY | STORE_ANY_DIR, &copy, err)))
		return rc;
	rc = store_audit_verify(copy, NULL, NULL, NULL, sum, err);
	store_close(copy);
	return rc;
}
