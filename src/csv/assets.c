/* assets.c - load the reference CSV files (assets/) into the database:
 * the copies compiled into the program, or a site's edited files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engraft/csvio.h"
#include "engraft/csvread.h"
#include "engraft/embedded.h"
#include "engraft/refstore.h"

struct cvx_ctx {
	struct store *s;
	const char *name;
	int header;
	int idx[4];
};

static int cvx_row(void *ctx, const struct ef_csv_row *row, struct ef_err *err)
{
	static const char *const cols[] = {"cvx", "series", "live", "description"};
	static const unsigned char req[] = {1, 1, 1, 1};
	struct cvx_ctx *c = ctx;
	if (!c->header) {
		c->header = 1;
		return ef_csv_map_header(row, c->name, cols, req, 4, c->idx, err);
	}
	if (row->n == 1 && row->len[0] == 0)
		return EF_OK;
	const char *cvx = ef_csv_get(row, c->idx[0], NULL);
	const char *series = ef_csv_get(row, c->idx[1], NULL);
	const char *live = ef_csv_get(row, c->idx[2], NULL);
	const char *desc = ef_csv_get(row, c->idx[3], NULL);
	if (strcmp(live, "0") != 0 && strcmp(live, "1") != 0)
		return ef_errf(err, EF_INVALID, "%s:%ld: live: '%s' is not 0 or 1", c->name, row->line, live);
	int rc = store_cvx_add(c->s, cvx, series, live[0] == '1', desc, err);
	if (rc)
		return ef_errf(err, EF_INVALID, "%s:%ld: %s", c->name, row->line, err->msg);
	return EF_OK;
}

static const struct ef_blob *embedded(const char *name)
{
	for (const struct ef_blob *b = ef_assets; b->name; b++)
		if (strcmp(b->name, name) == 0)
			return b;
	return NULL;
}

/* Read one asset: from dir/name if dir is set, else the embedded copy. */
static int read_asset(const char *dir, const char *name, ef_csv_row_fn fn, void *ctx, struct ef_err *err)
{
	if (dir) {
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", dir, name);
		FILE *f = fopen(path, "rb");
		if (!f)
			return ef_errf(err, EF_INVALID, "cannot read %s", path);
		int rc = ef_csv_read_stream(f, path, fn, ctx, err);
		fclose(f);
		return rc;
	}
	const struct ef_blob *b = embedded(name);
	if (!b)
		return ef_errf(err, EF_DB, "asset %s is not built in", name);
	return ef_csv_read_mem(b->data, b->len, name, fn, ctx, err);
}

int ef_load_assets(struct store *s, const char *dir, struct ef_err *err)
{
	int rc = store_begin(s, err);
	if (rc)
		return rc;
	struct cvx_ctx c = {.s = s, .name = "cvx.csv"};
	if ((rc = store_cvx_replace_begin(s, err)) || (rc = read_asset(dir, "cvx.csv", cvx_row, &c, err)) ||
	    (rc = ef_load_reference(s, dir, err))) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s, err);
}

int ef_ensure_assets(struct store *s, struct ef_err *err)
{
	int64_t n = 0;
	int rc = store_cvx_count(s, &n, err);
	if (rc)
		return rc;
	return n ? ef_ensure_reference(s, err) : ef_load_assets(s, NULL, err);
}
