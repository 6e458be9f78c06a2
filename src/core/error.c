#include "engraft/error.h"

#include <stdarg.h>
#include <stdio.h>

int ef_errf(struct ef_err *e, int status, const char *fmt, ...)
{
	if (e) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(e->msg, sizeof e->msg, fmt, ap);
		va_end(ap);
	}
	return status;
}
