/* error.h - status codes and error messages as values.
 *
 * Every fallible function returns an ef_status and fills a struct ef_err.
 * The status doubles as the process exit code (docs/formats.md s.10),
 * so the CLI can return it unchanged. Nothing below main() calls exit(). */
#ifndef ENGRAFT_ERROR_H
#define ENGRAFT_ERROR_H

#include <stddef.h>

enum ef_status {
	EF_OK = 0,
	EF_USAGE = 2,   /* bad command line */
	EF_INVALID = 3, /* invalid input, nothing written */
	EF_DB = 4,      /* cannot open, locked past timeout, schema too new, I/O */
	EF_AUDIT = 5,   /* audit chain broken */
	EF_DENIED = 6,  /* not permitted: the login is not on the staff list, disabled, or acting outside its role */
};

struct ef_err {
	char msg[1024];
};

/* Format msg into e (if not NULL) and return status. */
#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
int ef_errf(struct ef_err *e, int status, const char *fmt, ...);

/* For a failed system call: what a person can do about errno e (" (the
 * disk is full: ...)"), or "" when there is nothing to add. */
const char *ef_io_hint(int e);

#endif
