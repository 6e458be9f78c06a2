/* said.h - the problems of an interchange file (HL7, FHIR), told at the end
 * in the order of the file whichever check found them (src/csv only). */
#ifndef ENGRAFT_CSV_SAID_H
#define ENGRAFT_CSV_SAID_H

#include <stdarg.h>
#include <stddef.h>

#include "engraft/csvio.h"

#define SAID_MAX 10000 /* problems kept to be told (the first max_errors are) */

struct said_list {
	long problems;           /* every problem said, kept or not */
	struct said {
		long pos, seq;   /* where in the file (a line, an entry); the order said */
		char *msg;
	} *v;
	size_t n, cap;
};

/* Count a problem at pos and keep its message to be told (when opts has a
 * diag; at most SAID_MAX, and out of memory only counts it). */
void said_add(struct said_list *l, const struct ef_import_opts *opts, long pos, const char *fmt, va_list ap)
#if defined(__GNUC__)
	__attribute__((format(printf, 4, 0)))
#endif
	;
/* Tell the kept problems by position, then in the order said, at most
 * max_errors (50 by default), and free them. */
void said_tell(struct said_list *l, const struct ef_import_opts *opts);

#endif
