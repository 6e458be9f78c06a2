#include "engraft/error.h"

#include <errno.h>

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

const char *ef_io_hint(int e)
{
	switch (e) {
	case ENOSPC:
#ifdef EDQUOT
	case EDQUOT:
#endif
		return " (the disk is full: free space, or write elsewhere)";
	case EROFS:
		return " (the file system is read-only)";
	case EACCES:
	case EPERM:
		return " (no permission to write there: check the owner and mode of the file and its directory)";
	case EIO:
		return " (an input/output error: the disk may be failing)";
	default:
		return "";
	}
}
