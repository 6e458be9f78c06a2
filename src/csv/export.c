/* export.c - CSV writing: minimal quoting, spreadsheet-formula guard,
 * buffered output. Export of an import kind writes exactly the import
 * columns, so export -> import -> export is byte-for-byte stable. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engraft/csvio.h"
#include "kinds.h"

#define WBUF (1u << 16)

int ef_csv_writer_init(struct ef_csv_writer *w, FILE *out)
{
	memset(w, 0, sizeof *w);
	w->out = out;
	w->buf = malloc(WBUF);
	w->cap = WBUF;
	return w->buf ? 0 : -1;
}

static void fail(struct ef_csv_writer *w, int e)
{
	if (!w->failed)
		w->errnum = e;
	w->failed = 1;
}

int ef_csv_writer_errf(const struct ef_csv_writer *w, struct ef_err *err)
{
	if (!w->errnum)
		return ef_errf(err, EF_DB, "cannot write the export: output error");
	return ef_errf(err, EF_DB, "cannot write the export: %s%s", strerror(w->errnum), ef_io_hint(w->errnum));
}

static void flush(struct ef_csv_writer *w)
{
	if (w->len && fwrite(w->buf, 1, w->len, w->out) != w->len)
		fail(w, errno);
	w->len = 0;
}

static void put(struct ef_csv_writer *w, const char *s, size_t n)
{
	if (!w->buf) {
		w->failed = 1;
		return;
	}
	while (n) {
		if (w->len == w->cap)
			flush(w);
		size_t k = w->cap - w->len < n ? w->cap - w->len : n;
		memcpy(w->buf + w->len, s, k);
		w->len += k;
		s += k;
		n -= k;
	}
}

static void putc_(struct ef_csv_writer *w, char c)
{
	if (w->len == w->cap)
		flush(w);
	if (w->buf)
		w->buf[w->len++] = c;
}

/* A plain number: [-+]digits[.digits][e[-+]digits]. */
static int is_number(const char *s, size_t n)
{
	size_t i = 0, d = 0;
	if (i < n && (s[i] == '-' || s[i] == '+'))
		i++;
	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++, d++;
	if (i < n && s[i] == '.') {
		i++;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++, d++;
	}
	if (!d)
		return 0;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		size_t e = 0;
		i++;
		if (i < n && (s[i] == '-' || s[i] == '+'))
			i++;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++, e++;
		if (!e)
			return 0;
	}
	return i == n;
}

/* Bytes that force quoting anywhere in a cell. */
static const unsigned char needs_quote[256] = {[','] = 1, ['"'] = 1, ['\r'] = 1, ['\n'] = 1};

void ef_csv_write_row(struct ef_csv_writer *w, const char *const *cells, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			putc_(w, ',');
		const char *c = cells[i];
		if (!c || !*c)
			continue;
		/* one pass: length, and whether a byte forces quoting */
		size_t len = 0;
		unsigned char special = 0;
		while (c[len])
			special |= needs_quote[(unsigned char)c[len++]];
		int guard = strchr("=+-@\t\r", c[0]) && !is_number(c, len);
		int quote = special || c[0] == ' ' || c[0] == '\t' || c[len - 1] == ' ' || c[len - 1] == '\t';
		/* A cell that itself starts with ' gets one more, so that import
		 * (which strips one ' before = + - @ TAB CR or ') gives it back. */
		if (c[0] == '\'')
			guard = 1;
		if (!quote && !guard) {
			if (w->buf && w->cap - w->len >= len) {
				memcpy(w->buf + w->len, c, len);
				w->len += len;
			} else {
				put(w, c, len);
			}
			continue;
		}
		if (quote)
			putc_(w, '"');
		if (guard)
			putc_(w, '\'');
		if (quote) {
			for (const char *p = c; *p; p++) {
				if (*p == '"')
					putc_(w, '"');
				putc_(w, *p);
			}
			putc_(w, '"');
		} else {
			put(w, c, len);
		}
	}
	putc_(w, '\n');
}

int ef_csv_writer_finish(struct ef_csv_writer *w)
{
	flush(w);
	if (fflush(w->out) != 0)
		fail(w, errno);
	free(w->buf);
	w->buf = NULL;
	return w->failed ? -1 : 0;
}

static int write_row(void *ctx, const char *const *values, size_t n, struct ef_err *err)
{
	struct ef_csv_writer *w = ctx;
	(void)err;
	ef_csv_write_row(w, values, n);
	return w->failed ? ef_csv_writer_errf(w, err) : EF_OK;
}

int ef_export_kind(struct store *s, enum store_kind kind, ef_day as_of, const char *mrn, FILE *out,
		   struct ef_err *err)
{
	struct ef_csv_writer w;
	if ((unsigned)kind >= STORE_K_COUNT)
		return ef_errf(err, EF_USAGE, "unknown export kind");
	if (ef_csv_writer_init(&w, out))
		return ef_errf(err, EF_DB, "out of memory");
	ef_csv_write_row(&w, ef_kinds[kind].cols, ef_kinds[kind].ncol);
	int rc = store_export_rows(s, kind, as_of, mrn, write_row, &w, err);
	if (ef_csv_writer_finish(&w) && !rc)
		rc = ef_csv_writer_errf(&w, err);
	return rc;
}
