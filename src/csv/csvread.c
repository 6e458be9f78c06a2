/* csvread.c - strict RFC 4180 reading over libcsv, with physical line numbers.
 *
 * Input is fed to libcsv one physical line at a time (up to and including
 * its '\n'), so the line a record starts on is known exactly even when
 * quoted fields span lines. Limits keep hostile input bounded. */
#include "engraft/csvread.h"

#include <csv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_FIELD (1u << 20)  /* 1 MiB per field */
#define MAX_FIELDS 1024       /* fields per record */

struct reader {
	struct csv_parser p;
	const char *name;
	ef_csv_row_fn fn;
	void *ctx;
	struct ef_err *err;
	int status;         /* first error; stops the read */
	long line;          /* physical line being fed */
	long row_start;     /* line the current record started on */
	char *arena;        /* field bytes, each followed by NUL */
	size_t arena_len, arena_cap;
	size_t *off, *len;  /* per field */
	size_t nf, cap_f;
	const char **ptrs;
	size_t cap_p;
};

static void on_field(void *s, size_t n, void *data)
{
	struct reader *r = data;
	if (r->status)
		return;
	if (n > MAX_FIELD) {
		r->status = ef_errf(r->err, EF_INVALID, "%s:%ld: field longer than %u bytes", r->name, r->row_start,
				    MAX_FIELD);
		return;
	}
	if (r->nf >= MAX_FIELDS) {
		r->status = ef_errf(r->err, EF_INVALID, "%s:%ld: more than %d columns", r->name, r->row_start,
				    MAX_FIELDS);
		return;
	}
	if (r->nf == r->cap_f) {
		size_t cap = r->cap_f ? r->cap_f * 2 : 32;
		size_t *o = realloc(r->off, cap * sizeof *o);
		if (o)
			r->off = o;
		size_t *l = realloc(r->len, cap * sizeof *l);
		if (l)
			r->len = l;
		if (!o || !l) {
			r->status = ef_errf(r->err, EF_DB, "out of memory");
			return;
		}
		r->cap_f = cap;
	}
	if (r->arena_len + n + 1 > r->arena_cap) {
		size_t cap = r->arena_cap ? r->arena_cap : 4096;
		while (cap < r->arena_len + n + 1)
			cap *= 2;
		char *a = realloc(r->arena, cap);
		if (!a) {
			r->status = ef_errf(r->err, EF_DB, "out of memory");
			return;
		}
		r->arena = a;
		r->arena_cap = cap;
	}
	if (n)
		memcpy(r->arena + r->arena_len, s, n);
	r->arena[r->arena_len + n] = '\0';
	r->off[r->nf] = r->arena_len;
	r->len[r->nf] = n;
	r->arena_len += n + 1;
	r->nf++;
}

static void on_row(int c, void *data)
{
	struct reader *r = data;
	(void)c;
	if (r->status) {
		r->nf = 0;
		r->arena_len = 0;
		return;
	}
	if (r->nf > r->cap_p) {
		const char **p = realloc(r->ptrs, r->nf * sizeof *p);
		if (!p) {
			r->status = ef_errf(r->err, EF_DB, "out of memory");
			return;
		}
		r->ptrs = p;
		r->cap_p = r->nf;
	}
	for (size_t i = 0; i < r->nf; i++)
		r->ptrs[i] = r->arena + r->off[i];
	struct ef_csv_row row = {r->nf, r->ptrs, r->len, r->row_start};
	int rc = r->fn(r->ctx, &row, r->err);
	if (rc)
		r->status = rc;
	r->nf = 0;
	r->arena_len = 0;
}

/* Feed one physical line (with its newline, if any). */
static void feed(struct reader *r, const char *s, size_t n)
{
	if (r->status)
		return;
	if (r->p.pstate == 0) /* ROW_NOT_BEGUN: a record may start on this line */
		r->row_start = r->line;
	if (csv_parse(&r->p, s, n, on_field, on_row, r) != n && !r->status)
		r->status = ef_errf(r->err, EF_INVALID, "%s:%ld: malformed CSV: %s", r->name, r->line,
				    csv_error(&r->p) == CSV_EPARSE
					    ? "a quote inside an unquoted field, or text after a closing quote"
					    : csv_strerror(csv_error(&r->p)));
	if (!r->status && r->p.entry_pos > MAX_FIELD)
		r->status = ef_errf(r->err, EF_INVALID, "%s:%ld: field longer than %u bytes", r->name, r->row_start,
				    MAX_FIELD);
}

/* Split a chunk into lines; `first` says whether this is the stream start. */
static void feed_chunk(struct reader *r, const char *buf, size_t n, int first)
{
	if (first && n >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		buf += 3, n -= 3;
	while (n && !r->status) {
		const char *nl = memchr(buf, '\n', n);
		size_t k = nl ? (size_t)(nl - buf) + 1 : n;
		feed(r, buf, k);
		if (nl)
			r->line++;
		buf += k;
		n -= k;
	}
}

static int reader_init(struct reader *r, const char *name, ef_csv_row_fn fn, void *ctx, struct ef_err *err)
{
	memset(r, 0, sizeof *r);
	if (csv_init(&r->p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
		return ef_errf(err, EF_DB, "out of memory");
	r->name = name;
	r->fn = fn;
	r->ctx = ctx;
	r->err = err;
	r->line = 1;
	r->row_start = 1;
	return EF_OK;
}

static int reader_finish(struct reader *r)
{
	if (!r->status && csv_fini(&r->p, on_field, on_row, r) != 0 && !r->status)
		r->status = ef_errf(r->err, EF_INVALID, "%s:%ld: malformed CSV: a quoted field is not closed",
				    r->name, r->row_start);
	csv_free(&r->p);
	free(r->arena);
	free(r->off);
	free(r->len);
	free(r->ptrs);
	return r->status;
}

int ef_csv_read_mem(const char *buf, size_t len, const char *name, ef_csv_row_fn fn, void *ctx, struct ef_err *err)
{
	struct reader r;
	int rc = reader_init(&r, name, fn, ctx, err);
	if (rc)
		return rc;
	feed_chunk(&r, buf, len, 1);
	return reader_finish(&r);
}

int ef_csv_read_stream(FILE *in, const char *name, ef_csv_row_fn fn, void *ctx, struct ef_err *err)
{
	return ef_csv_read_stream_sha256(in, name, fn, ctx, NULL, err);
}

int ef_csv_read_stream_sha256(FILE *in, const char *name, ef_csv_row_fn fn, void *ctx, struct ef_sha256 *sha,
			      struct ef_err *err)
{
	struct reader r;
	int rc = reader_init(&r, name, fn, ctx, err);
	if (rc)
		return rc;
	/* fread fills the buffer unless at end of input, so a BOM is never split. */
	char *buf = malloc(1 << 16);
	if (!buf) {
		r.status = ef_errf(err, EF_DB, "out of memory");
		return reader_finish(&r);
	}
	size_t n;
	int first = 1;
	while (!r.status && (n = fread(buf, 1, 1 << 16, in)) > 0) {
		if (sha)
			ef_sha256_update(sha, buf, n);
		feed_chunk(&r, buf, n, first);
		first = 0;
	}
	free(buf);
	if (ferror(in) && !r.status)
		r.status = ef_errf(err, EF_INVALID, "%s: read error", name);
	return reader_finish(&r);
}

/* Append ", 'name'" (or "'name'") to a bounded list. */
static void list_add(char *list, size_t size, const char *name, size_t n)
{
	size_t len = strlen(list);
	snprintf(list + len, size - len, "%s'%.*s'", len ? ", " : "", (int)(n > 64 ? 64 : n), name);
}

int ef_csv_map_header(const struct ef_csv_row *hdr, const char *name, const char *const *columns,
		      const unsigned char *required, size_t ncolumns, int *index, struct ef_err *err)
{
	char unknown[512] = "", dup[256] = "", missing[512] = "";
	for (size_t i = 0; i < ncolumns; i++)
		index[i] = -1;
	for (size_t h = 0; h < hdr->n; h++) {
		size_t i;
		for (i = 0; i < ncolumns; i++)
			if (strlen(columns[i]) == hdr->len[h] && strncasecmp(columns[i], hdr->field[h], hdr->len[h]) == 0)
				break;
		if (i == ncolumns)
			list_add(unknown, sizeof unknown, hdr->field[h], hdr->len[h]);
		else if (index[i] >= 0)
			list_add(dup, sizeof dup, columns[i], strlen(columns[i]));
		else
			index[i] = (int)h;
	}
	for (size_t i = 0; i < ncolumns; i++)
		if (required[i] && index[i] < 0)
			list_add(missing, sizeof missing, columns[i], strlen(columns[i]));
	if (!unknown[0] && !dup[0] && !missing[0])
		return EF_OK;
	char expected[512] = "";
	for (size_t i = 0; i < ncolumns; i++) {
		size_t len = strlen(expected);
		snprintf(expected + len, sizeof expected - len, "%s%s%s", i ? ", " : "", columns[i],
			 required[i] ? "" : " (optional)");
	}
	char what[1400] = "";
	if (unknown[0])
		snprintf(what, sizeof what, "unknown column %s", unknown);
	if (dup[0])
		snprintf(what + strlen(what), sizeof what - strlen(what), "%sduplicate column %s", what[0] ? "; " : "",
			 dup);
	if (missing[0])
		snprintf(what + strlen(what), sizeof what - strlen(what), "%smissing required column %s",
			 what[0] ? "; " : "", missing);
	return ef_errf(err, EF_INVALID, "%s:%ld: header: %s (expected columns: %s)", name, hdr->line, what, expected);
}

const char *ef_csv_get(const struct ef_csv_row *row, int index, size_t *len)
{
	if (index < 0 || (size_t)index >= row->n) {
		if (len)
			*len = 0;
		return "";
	}
	if (len)
		*len = row->len[index];
	return row->field[index];
}
