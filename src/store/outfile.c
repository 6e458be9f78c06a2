/* outfile.c - output files that hold patient data (include/engraft/outfile.h). */
#define _XOPEN_SOURCE 700 /* realpath */
#include "store_int.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engraft/outfile.h"

/* ---- temporary files, removable from a signal handler ---- */

#define TMP_SLOTS 8
static char tmp_paths[TMP_SLOTS][4096 + 16];
static volatile sig_atomic_t tmp_used[TMP_SLOTS];

int store_tmp_track(const char *path, struct ef_err *err)
{
	size_t n = strlen(path);
	if (n >= sizeof tmp_paths[0])
		return ef_errf(err, EF_USAGE, "%s: path too long", path);
	for (int i = 0; i < TMP_SLOTS; i++)
		if (!tmp_used[i]) {
			memcpy(tmp_paths[i], path, n + 1);
			tmp_used[i] = 1;
			return EF_OK;
		}
	return ef_errf(err, EF_DB, "too many temporary files at once");
}

void store_tmp_untrack(const char *path)
{
	for (int i = 0; i < TMP_SLOTS; i++)
		if (tmp_used[i] && strcmp(tmp_paths[i], path) == 0)
			tmp_used[i] = 0;
}

void store_tmp_cleanup(void)
{
	for (int i = 0; i < TMP_SLOTS; i++)
		if (tmp_used[i]) {
			unlink(tmp_paths[i]);
			tmp_used[i] = 0;
		}
}

int store_tmp_create(char *template_path, struct ef_err *err)
{
	/* No signal between the file's creation and its tracking: a handler
	 * that ran in between would leave it behind. */
	sigset_t block, old;
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &old);
	int fd = mkstemp(template_path); /* 0600, O_EXCL: a file of our own */
	int e = errno;
	if (fd >= 0 && store_tmp_track(template_path, err)) {
		close(fd);
		unlink(template_path);
		sigprocmask(SIG_SETMASK, &old, NULL);
		return -2;
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (fd < 0)
		errno = e;
	return fd;
}

/* ---- is this the database? ---- */

/* The canonical name of path: realpath of its directory + its last
 * component (the file itself may not exist yet). 0 or -1. */
static int canonical_name(const char *path, char *out, size_t size)
{
	char dir[4096];
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	if (slash) {
		size_t n = (size_t)(slash - path);
		if (n == 0)
			n = 1; /* "/name" */
		if (n >= sizeof dir)
			return -1;
		memcpy(dir, path, n);
		dir[n] = '\0';
	} else {
		strcpy(dir, ".");
	}
	char real[PATH_MAX];
	if (!realpath(dir, real))
		return -1;
	int w = snprintf(out, size, "%s/%s", strcmp(real, "/") == 0 ? "" : real, base);
	return w < 0 || (size_t)w >= size ? -1 : 0;
}

int store_output_allowed(struct store *s, const char *path, const char *what, struct ef_err *err)
{
	static const char *const sidecar[] = {"", "-wal", "-shm", "-journal"};
	struct stat target;
	int have_target = stat(path, &target) == 0; /* follows symlinks: the file it would reach */
	char want[4096 + 16], got[4096 + 16];
	int have_name = canonical_name(path, want, sizeof want) == 0;
	for (size_t i = 0; i < sizeof sidecar / sizeof sidecar[0]; i++) {
		char db[4096 + 16];
		snprintf(db, sizeof db, "%s%s", s->path, sidecar[i]);
		struct stat st;
		int same = have_target && stat(db, &st) == 0 && st.st_dev == target.st_dev && st.st_ino == target.st_ino;
		if (!same && have_name && canonical_name(db, got, sizeof got) == 0)
			same = strcmp(want, got) == 0;
		if (same)
			return ef_errf(err, EF_USAGE,
				       "%s: %s is the database%s%s%s; it is never overwritten (choose another file name)",
				       what, path, i ? "'s " : "", i ? sidecar[i] : "", i ? " file" : "");
	}
	return EF_OK;
}

/* ---- writing ---- */

/* A message naming what the file system said, for a person to act on. */
static int io_err(struct ef_err *err, const char *what, const char *path, int e)
{
	return ef_errf(err, EF_DB, "%s: %s: %s%s", what, path, strerror(e), ef_io_hint(e));
}

int store_outfile_open(struct store *s, const char *dest, const char *what, struct store_outfile *o,
		       struct ef_err *err)
{
	memset(o, 0, sizeof *o);
	if (!dest || !*dest)
		return ef_errf(err, EF_USAGE, "%s: empty file name", what);
	if (strlen(dest) >= sizeof o->dest - 16)
		return ef_errf(err, EF_USAGE, "%s: file name too long", what);
	int rc = store_output_allowed(s, dest, what, err);
	if (rc)
		return rc;
	strcpy(o->dest, dest);
	o->what = what;
	struct stat st;
	if (lstat(dest, &st) == 0) {
		if (S_ISLNK(st.st_mode))
			return ef_errf(err, EF_INVALID, "%s: %s is a symbolic link; patient data is never written "
						      "through one (name the file itself)", what, dest);
		if (S_ISDIR(st.st_mode))
			return ef_errf(err, EF_INVALID, "%s: %s is a directory", what, dest);
		if (!S_ISREG(st.st_mode)) {
			/* a terminal, a pipe, /dev/null: written as it is, never chmod'ed */
			int fd = open(dest, O_WRONLY | O_CLOEXEC | O_NOFOLLOW);
			if (fd < 0 || !(o->f = fdopen(fd, "wb"))) {
				int e = errno;
				if (fd >= 0)
					close(fd);
				return io_err(err, what, dest, e);
			}
			return EF_OK;
		}
	} else if (errno != ENOENT) {
		return io_err(err, what, dest, errno);
	}
	snprintf(o->tmp, sizeof o->tmp, "%s.tmp-XXXXXX", dest);
	int fd = store_tmp_create(o->tmp, err);
	if (fd < 0) {
		int e = errno;
		o->tmp[0] = '\0';
		return fd == -2 ? EF_DB : io_err(err, what, dest, e);
	}
	if (!(o->f = fdopen(fd, "wb"))) {
		int e = errno;
		close(fd);
		store_outfile_abort(o);
		return io_err(err, what, dest, e);
	}
	return EF_OK;
}

void store_outfile_abort(struct store_outfile *o)
{
	if (o->f)
		fclose(o->f);
	o->f = NULL;
	if (o->tmp[0]) {
		unlink(o->tmp);
		store_tmp_untrack(o->tmp);
		o->tmp[0] = '\0';
	}
}

int store_outfile_commit(struct store_outfile *o, struct ef_err *err)
{
	int e = 0;
	if (fflush(o->f) != 0)
		e = errno;
	if (!e && o->tmp[0] && fsync(fileno(o->f)) != 0)
		e = errno;
	if (fclose(o->f) != 0 && !e)
		e = errno;
	o->f = NULL;
	if (!e && o->tmp[0] && rename(o->tmp, o->dest) != 0)
		e = errno;
	if (e) {
		store_outfile_abort(o);
		return io_err(err, o->what, o->dest, e);
	}
	if (o->tmp[0]) {
		store_tmp_untrack(o->tmp);
		o->tmp[0] = '\0';
	}
	return EF_OK;
}
