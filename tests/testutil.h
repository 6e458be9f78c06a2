/* testutil.h - helpers for the store/csv Check suites: temporary databases,
 * importing from a string, exporting to a string. Header-only. */
#ifndef ENGRAFT_TESTUTIL_H
#define ENGRAFT_TESTUTIL_H

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "engraft/csvio.h"
#include "engraft/store.h"

/* A fresh directory under $TMPDIR for one test; removed by tu_rmdir. */
static inline char *tu_tmpdir(void)
{
	const char *base = getenv("TMPDIR");
	char *p = malloc(4096);
	snprintf(p, 4096, "%s/engraft-test-XXXXXX", base && *base ? base : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(p));
	return p;
}

static inline void tu_rmdir(char *dir)
{
	char cmd[4200];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
	free(dir);
}

static inline struct store *tu_open(const char *dir, const char *name)
{
	char path[4200];
	struct ef_err err;
	struct store *s = NULL;
	snprintf(path, sizeof path, "%s/%s", dir, name);
	int rc = store_open(path, 0, &s, &err);
	ck_assert_msg(rc == EF_OK, "open %s: %s", path, err.msg);
	rc = ef_ensure_assets(s, &err);
	ck_assert_msg(rc == EF_OK, "assets: %s", err.msg);
	return s;
}

/* Diagnostics collected from an import. */
struct tu_diag {
	char text[16384];
	int n;
};

static inline void tu_diag_fn(void *ctx, const char *msg)
{
	struct tu_diag *d = ctx;
	d->n++;
	strncat(d->text, msg, sizeof d->text - strlen(d->text) - 2);
	strcat(d->text, "\n");
}

/* Import CSV text; returns the status; diag (may be NULL) gets the lines. */
static inline int tu_import(struct store *s, enum store_kind kind, const char *csv, ef_day today,
			    struct ef_import_result *res, struct tu_diag *diag, struct ef_err *err)
{
	FILE *in = fmemopen((void *)csv, strlen(csv), "r");
	ck_assert_ptr_nonnull(in);
	struct ef_import_opts o = {.today = today, .max_errors = 50, .diag = diag ? tu_diag_fn : NULL,
				   .diag_ctx = diag};
	struct ef_import_result r;
	int rc = ef_import(s, kind, in, "test.csv", &o, res ? res : &r, err);
	fclose(in);
	return rc;
}

/* Export a kind into a malloc'd string. */
static inline char *tu_export(struct store *s, enum store_kind kind, ef_day as_of, const char *mrn)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	struct ef_err err;
	ck_assert_ptr_nonnull(out);
	int rc = ef_export_kind(s, kind, as_of, mrn, out, &err);
	fclose(out);
	ck_assert_msg(rc == EF_OK, "export: %s", err.msg);
	return buf;
}

static inline char *tu_read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	ck_assert_msg(f != NULL, "open %s", path);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = malloc((size_t)n + 1);
	ck_assert_int_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static inline int tu_run_suite(Suite *s)
{
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

#endif
