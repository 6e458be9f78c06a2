/* csvread.h - streaming RFC 4180 reader over libcsv, with line numbers.
 *
 * Feeds a file (or memory) through libcsv in strict mode and calls `fn`
 * once per record with its fields and the physical line the record starts
 * on. A UTF-8 BOM is skipped; CRLF, quoted commas and quoted newlines work.
 * Fields are NUL-terminated copies owned by the reader (valid during fn). */
#ifndef ENGRAFT_CSVREAD_H
#define ENGRAFT_CSVREAD_H

#include <stddef.h>
#include <stdio.h>

#include "engraft/error.h"
#include "engraft/sha256.h"

struct ef_csv_row {
	size_t n;                 /* number of fields */
	const char *const *field; /* field[i], NUL-terminated */
	const size_t *len;        /* len[i] bytes (fields may contain NUL bytes) */
	long line;                /* 1-based physical line where the record starts */
};

/* Return EF_OK to go on, anything else stops the read and is returned. */
typedef int (*ef_csv_row_fn)(void *ctx, const struct ef_csv_row *row, struct ef_err *err);

/* name is used in error messages ("FILE:LINE: ..."). Errors: EF_INVALID for
 * malformed CSV (unbalanced quotes, a line over the limit), EF_DB never. */
int ef_csv_read_stream(FILE *in, const char *name, ef_csv_row_fn fn, void *ctx, struct ef_err *err);
/* The same, also hashing every byte read into sha (which the caller has
 * initialised): after EF_OK the whole input went through it. */
int ef_csv_read_stream_sha256(FILE *in, const char *name, ef_csv_row_fn fn, void *ctx, struct ef_sha256 *sha,
			      struct ef_err *err);
int ef_csv_read_mem(const char *buf, size_t len, const char *name, ef_csv_row_fn fn, void *ctx,
		    struct ef_err *err);

/* Header matching (names compared ASCII case-insensitively): columns[i] are the wanted names, required[i] nonzero if
 * the column must be present. Fills index[i] with the header position or -1.
 * An unknown, duplicate or missing required column is an error naming it
 * (EF_INVALID, message "NAME:LINE: ..."). */
int ef_csv_map_header(const struct ef_csv_row *hdr, const char *name, const char *const *columns,
		      const unsigned char *required, size_t ncolumns, int *index, struct ef_err *err);

/* Field i of row by header index (-1 or past the end gives ""), and its length. */
const char *ef_csv_get(const struct ef_csv_row *row, int index, size_t *len);

#endif
