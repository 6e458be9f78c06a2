/* said.c - the problems of an interchange file, told in file order (said.h). */
#include "said.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void said_add(struct said_list *l, const struct ef_import_opts *opts, long pos, const char *fmt, va_list ap)
{
	l->problems++;
	if (!opts->diag || l->n >= SAID_MAX)
		return;
	if (l->n == l->cap) {
		size_t nc = l->cap ? l->cap * 2 : 32;
		struct said *n = realloc(l->v, nc * sizeof *n);
		if (!n)
			return; /* still counted in problems */
		l->v = n;
		l->cap = nc;
	}
	char msg[1200];
	vsnprintf(msg, sizeof msg, fmt, ap);
	struct said *d = &l->v[l->n];
	if (!(d->msg = strdup(msg)))
		return;
	d->pos = pos;
	d->seq = l->problems;
	l->n++;
}

static int by_pos(const void *x, const void *y)
{
	const struct said *a = x, *b = y;
	if (a->pos != b->pos)
		return a->pos < b->pos ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

void said_tell(struct said_list *l, const struct ef_import_opts *opts)
{
	int max = opts->max_errors > 0 ? opts->max_errors : 50;
	if (l->n)
		qsort(l->v, l->n, sizeof *l->v, by_pos);
	for (size_t i = 0; i < l->n; i++) {
		if ((long)i < max)
			opts->diag(opts->diag_ctx, l->v[i].msg);
		free(l->v[i].msg);
	}
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}
