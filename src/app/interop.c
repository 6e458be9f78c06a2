/* interop.c - the use cases of the interchange formats (interop.h): one
 * file, one transaction, with the permission of every kind it writes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app_int.h"
#include "engraft/app.h"
#include "engraft/fhir.h"
#include "engraft/interop.h"

/* One interchange format: which kinds a file writes, and its import
 * inside a transaction (res is the format's own result). */
struct format {
	int (*kinds)(const char *buf, size_t len, const char *name, unsigned *kinds, struct ef_err *err);
	int (*import)(struct store *s, const char *buf, size_t len, const char *name, const char *sha,
		      const struct ef_import_opts *opts, void *res, struct ef_err *err);
};

struct import_tx {
	const struct app_env *e;
	const struct format *f;
	const char *buf, *name, *sha;
	size_t len;
	const struct ef_import_opts *opts;
	void *res;
};

static int import_body(struct store *s, void *ctx, struct ef_err *err)
{
	struct import_tx *t = ctx;
	int rc = t->f->import(s, t->buf, t->len, t->name, t->sha, t->opts, t->res, err);
	return rc ? rc : app_refresh_hook(s, (void *)t->e, err);
}

/* Read the whole file, check that e->me may write every kind it holds,
 * then import it in one transaction. */
static int import_file(const struct app_env *e, const struct format *f, int now_sec, FILE *in, const char *name,
		       ef_diag_fn diag, void *diag_ctx, void *res, struct ef_err *err)
{
	int rc = app_file_name_ok(name, err);
	/* nobody reads a clinical file they may not import */
	if (rc || (rc = app_permit(e->me, EF_ACT_READ, err)))
		return rc;
	char *buf, sha[65];
	size_t len;
	if ((rc = ef_interop_read(in, name, &buf, &len, sha, err)))
		return rc;
	unsigned kinds;
	rc = f->kinds(buf, len, name, &kinds, err);
	for (int k = 0; k < STORE_K_COUNT && !rc; k++)
		if (kinds & (1u << k))
			rc = app_permit(e->me, app_kind_action((enum store_kind)k), err);
	if (!rc) {
		struct ef_import_opts opts = {.today = e->today, .now_sec = now_sec, .max_errors = 50, .diag = diag,
					      .diag_ctx = diag_ctx};
		struct import_tx t = {e, f, buf, name, sha, len, &opts, res};
		rc = store_tx(e->s, import_body, &t, err);
	}
	free(buf);
	return rc;
}

static int hl7_import(struct store *s, const char *buf, size_t len, const char *name, const char *sha,
		      const struct ef_import_opts *opts, void *res, struct ef_err *err)
{
	return ef_hl7_import(s, buf, len, name, sha, opts, res, err);
}

static int fhir_import(struct store *s, const char *buf, size_t len, const char *name, const char *sha,
		       const struct ef_import_opts *opts, void *res, struct ef_err *err)
{
	return ef_fhir_import(s, buf, len, name, sha, opts, res, err);
}

int app_import_hl7(const struct app_env *e, int now_sec, FILE *in, const char *name, ef_diag_fn diag,
		   void *diag_ctx, struct ef_hl7_result *res, struct ef_err *err)
{
	static const struct format hl7 = {ef_hl7_kinds, hl7_import};
	memset(res, 0, sizeof *res);
	return import_file(e, &hl7, now_sec, in, name, diag, diag_ctx, res, err);
}

int app_import_fhir(const struct app_env *e, int now_sec, FILE *in, const char *name, ef_diag_fn diag,
		    void *diag_ctx, struct ef_fhir_result *res, struct ef_err *err)
{
	static const struct format fhir = {ef_fhir_kinds, fhir_import};
	memset(res, 0, sizeof *res);
	return import_file(e, &fhir, now_sec, in, name, diag, diag_ctx, res, err);
}
