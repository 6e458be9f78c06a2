/* outfile.h - writing files that hold patient data (exports, backups)
 * without ever harming the database or leaving half a file behind.
 *
 * - A target that is the open database or one of its -wal, -shm or
 *   -journal files, by name or by inode (through symlinks and hard
 *   links), is refused: EF_USAGE naming it, nothing touched.
 * - A regular file is written to a temporary file (0600) in the same
 *   directory and renamed into place only when complete, so an
 *   interrupted write never leaves a half file; a symlink is never
 *   followed. Anything that is not a regular file (a terminal, a pipe,
 *   /dev/null) is written directly and never chmod'ed.
 * - Temporary files are tracked so that a signal handler can remove them
 *   (store_tmp_cleanup is async-signal-safe): the CLI installs handlers
 *   for SIGINT, SIGTERM and SIGHUP. */
#ifndef ENGRAFT_OUTFILE_H
#define ENGRAFT_OUTFILE_H

#include <stdio.h>

#include "engraft/error.h"
#include "engraft/store.h"

/* EF_USAGE when `path` is the database of s or one of its sidecar files
 * ("what" names the command in the message). */
int store_output_allowed(struct store *s, const char *path, const char *what, struct ef_err *err);

/* Track / stop tracking a temporary file (a copy of the path is kept; at
 * most a few at once: EF_DB when full). */
int store_tmp_track(const char *path, struct ef_err *err);
void store_tmp_untrack(const char *path);
/* mkstemp(template_path) and track the file, with SIGINT, SIGTERM and
 * SIGHUP held off in between. The descriptor, or -1 (errno set) or -2
 * (err filled: too many temporary files). */
int store_tmp_create(char *template_path, struct ef_err *err);
/* Unlink every tracked file. Safe in a signal handler. */
void store_tmp_cleanup(void);

struct store_outfile {
	FILE *f;           /* write here */
	const char *what;  /* the command, for messages */
	char dest[4096];
	char tmp[4096];    /* "" when writing directly */
};

/* Open dest for writing (see above). EF_USAGE: the database; EF_INVALID:
 * a symlink or a directory; EF_DB: the
 * file system said no (the message names the cause: no space, read-only,
 * permission). */
int store_outfile_open(struct store *s, const char *dest, const char *what, struct store_outfile *o,
		       struct ef_err *err);
/* Flush, sync and rename into place. On failure the temporary file is
 * removed and dest is as it was. Always closes. */
int store_outfile_commit(struct store_outfile *o, struct ef_err *err);
/* Close and remove the temporary file; dest is as it was. */
void store_outfile_abort(struct store_outfile *o);

#endif
