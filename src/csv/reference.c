/* reference.c - load the reference CSV files of assets/ (parameters,
 * vaccine_schedule, milestones, monitoring, lab_tests, loinc) into the database,
 * validating every row with the core's parser first (see refstore.h),
 * cvx.csv included. */
#include <stdio.h>
#include <string.h>

#include "engraft/csvread.h"
#include "engraft/embedded.h"
#include "engraft/refstore.h"

#define MAX_COLS 16

struct ref_ctx {
	struct store *s;
	struct ef_reference *scratch; /* validates rows and the whole set */
	enum ef_ref_kind kind;
	const struct ef_ref_kind_info *info;
	const char *name;
	int header;
	int idx[MAX_COLS];
};

static int map_header(struct ref_ctx *c, const struct ef_csv_row *row, struct ef_err *err)
{
	const char *cols[MAX_COLS];
	unsigned char req[MAX_COLS];
	for (size_t i = 0; i < c->info->ncolumns && i < MAX_COLS; i++) {
		cols[i] = c->info->columns[i].name;
		req[i] = (unsigned char)c->info->columns[i].required;
	}
	return ef_csv_map_header(row, c->name, cols, req, c->info->ncolumns, c->idx, err);
}

static int ref_row(void *ctx, const struct ef_csv_row *row, struct ef_err *err)
{
	struct ref_ctx *c = ctx;
	if (!c->header) {
		c->header = 1;
		return map_header(c, row, err);
	}
	if (row->n == 1 && row->len[0] == 0)
		return EF_OK; /* blank line */
	const char *values[MAX_COLS];
	for (size_t i = 0; i < c->info->ncolumns && i < MAX_COLS; i++) {
		size_t len;
		values[i] = ef_csv_get(row, c->idx[i], &len);
		if (strlen(values[i]) != len)
			return ef_errf(err, EF_INVALID, "%s:%ld: %s: contains a NUL byte", c->name, row->line,
				       c->info->columns[i].name);
	}
	int rc = ef_reference_add_row(c->scratch, c->kind, values, err);
	if (rc == EF_OK)
		rc = store_reference_add(c->s, c->kind, values, err);
	if (rc) {
		char msg[sizeof err->msg];
		snprintf(msg, sizeof msg, "%s", err->msg);
		return ef_errf(err, rc, "%s:%ld: %s", c->name, row->line, msg);
	}
	return EF_OK;
}

static int read_file(struct ref_ctx *c, const char *dir, struct ef_err *err)
{
	if (dir) {
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", dir, c->info->file);
		FILE *f = fopen(path, "rb");
		if (!f)
			return ef_errf(err, EF_INVALID, "cannot read %s", path);
		c->name = path;
		int rc = ef_csv_read_stream(f, path, ref_row, c, err);
		fclose(f);
		c->name = c->info->file;
		return rc;
	}
	for (const struct ef_blob *b = ef_assets; b->name; b++)
		if (strcmp(b->name, c->info->file) == 0)
			return ef_csv_read_mem(b->data, b->len, b->name, ref_row, c, err);
	return ef_errf(err, EF_DB, "asset %s is not built in", c->info->file);
}

/* The schedule's live flags agree with engraft's series table, which the
 * doses recorded by series code take theirs from: a site's schedule cannot
 * make MMR a non-live vaccine (or a series unknown to the database). */
static int check_series_table(struct store *s, const struct ef_reference *ref, struct ef_err *err)
{
	for (size_t i = 0; i < ref->n_rules; i++) {
		const struct ef_vaccine_rule *r = &ref->rules[i];
		int live, found;
		int rc = store_series_live(s, r->series, &live, &found, err);
		if (rc)
			return rc;
		if (!found)
			return ef_errf(err, EF_INVALID, "vaccine_schedule: series %s is not in engraft's series table",
				       r->series);
		if (live != r->live)
			return ef_errf(err, EF_INVALID,
				       "vaccine_schedule: %s dose %d has live %d, but %s is %s",
				       r->series, r->dose, r->live, r->series, live ? "a live vaccine" : "not a live vaccine");
	}
	return EF_OK;
}

/* Replace one kind's rows with the file (validated into scratch). */
static int load_kind(struct store *s, struct ef_reference *scratch, enum ef_ref_kind kind, const char *dir,
		     struct ef_err *err)
{
	struct ref_ctx c = {.s = s, .scratch = scratch, .kind = kind};
	c.info = ef_reference_kind(c.kind);
	c.name = c.info->file;
	int rc = store_reference_clear(s, c.kind, err);
	if (rc == EF_OK)
		rc = read_file(&c, dir, err);
	if (rc == EF_OK && !c.header)
		rc = ef_errf(err, EF_INVALID, "%s: empty file (a header row is required)", c.info->file);
	return rc;
}

int ef_load_reference(struct store *s, const char *dir, struct ef_err *err)
{
	struct ef_reference scratch;
	int rc = EF_OK;
	ef_reference_init(&scratch);
	for (int k = 0; k < EF_REF_KIND_COUNT && rc == EF_OK; k++)
		rc = load_kind(s, &scratch, (enum ef_ref_kind)k, dir, err);
	if (rc == EF_OK)
		rc = ef_reference_finish(&scratch, err);
	if (rc == EF_OK)
		rc = check_series_table(s, &scratch, err);
	if (rc == EF_OK) /* who changed which row, before and after */
		rc = store_reference_log(s, 0, err);
	ef_reference_free(&scratch);
	return rc;
}

/* A database from before a reference kind existed (lab_tests, schema 007;
 * loinc, schema 014)
 * has its other tables filled: that kind alone gets the defaults. The kind
 * requires at least one row (ef_reference_finish), so an empty table is
 * never a site's choice. */
static int ensure_kind(struct store *s, enum ef_ref_kind kind, struct ef_err *err)
{
	int64_t n = 0;
	int rc = store_reference_count(s, kind, &n, err);
	if (rc || n)
		return rc;
	struct ef_reference scratch;
	ef_reference_init(&scratch);
	if ((rc = store_begin(s, err)) == EF_OK) {
		/* again inside the write lock: another process may have loaded them */
		rc = store_reference_count(s, kind, &n, err);
		if (rc == EF_OK && n == 0 && (rc = load_kind(s, &scratch, kind, NULL, err)) == EF_OK)
			rc = store_reference_log(s, 0, err);
		if (rc == EF_OK)
			rc = store_commit(s, err);
		else
			store_rollback(s);
	}
	ef_reference_free(&scratch);
	return rc;
}

int ef_ensure_reference(struct store *s, struct ef_err *err)
{
	int64_t n = 0;
	int rc = store_reference_count(s, EF_REF_PARAMETERS, &n, err);
	if (rc)
		return rc;
	if (n) {
		/* kinds added after the parameters: lab_tests (007), loinc (014),
		 * screening and registry_forms (015) */
		static const enum ef_ref_kind later[] = {EF_REF_LAB_TESTS, EF_REF_LOINC, EF_REF_SCREENING,
							 EF_REF_REGISTRY_FORMS};
		for (size_t i = 0; i < sizeof later / sizeof later[0] && rc == EF_OK; i++)
			rc = ensure_kind(s, later[i], err);
		return rc;
	}
	if ((rc = store_begin(s, err)))
		return rc;
	if ((rc = ef_load_reference(s, NULL, err))) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s, err);
}
