/* interop.c - the use cases of the interchange formats (interop.h): one
 * file, one transaction, with the permission of every kind it writes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engraft/app.h"
#include "engraft/fhir.h"
#include "engraft/interop.h"
#include "engraft/text.h"

struct hl7_tx {
	const char *buf, *name, *sha;
	size_t len;
	const struct ef_import_opts *opts;
	struct ef_hl7_result *res;
};

static int hl7_body(struct store *s, void *ctx, struct ef_err *err)
{
	struct hl7_tx *t = ctx;
	return ef_hl7_import(s, t->buf, t->len, t->name, t->sha, t->opts, t->res, err);
}

int app_import_hl7(const struct app_env *e, int now_sec, FILE *in, const char *name, ef_diag_fn diag,
		   void *diag_ctx, struct ef_hl7_result *res, struct ef_err *err)
{
	memset(res, 0, sizeof *res);
	if (ef_text_problem(name, strlen(name), 0) || strlen(name) > 1000)
		return ef_errf(err, EF_USAGE, "import: the file name '%.200s' has control characters or is over 1000 "
					      "bytes; rename the file (or use - and standard input)", name);
	/* nobody reads a clinical file they may not import */
	int rc = app_permit(e->me, EF_ACT_READ, err);
	if (rc)
		return rc;
	char *buf, sha[65];
	size_t len;
	if ((rc = ef_interop_read(in, name, &buf, &len, sha, err)))
		return rc;
	unsigned kinds;
	rc = ef_hl7_kinds(buf, len, name, &kinds, err);
	for (int k = 0; k < STORE_K_COUNT && !rc; k++)
		if (kinds & (1u << k))
			rc = app_permit(e->me, app_kind_action((enum store_kind)k), err);
	if (!rc) {
		struct ef_import_opts opts = {.today = e->today, .now_sec = now_sec, .max_errors = 50, .diag = diag,
					      .diag_ctx = diag_ctx};
		struct hl7_tx t = {buf, name, sha, len, &opts, res};
		rc = store_tx(e->s, hl7_body, &t, err);
	}
	free(buf);
	return rc;
}

struct fhir_tx {
	const char *buf, *name, *sha;
	size_t len;
	const struct ef_import_opts *opts;
	struct ef_fhir_result *res;
};

static int fhir_body(struct store *s, void *ctx, struct ef_err *err)
{
	struct fhir_tx *t = ctx;
	return ef_fhir_import(s, t->buf, t->len, t->name, t->sha, t->opts, t->res, err);
}

int app_import_fhir(const struct app_env *e, int now_sec, FILE *in, const char *name, ef_diag_fn diag,
		    void *diag_ctx, struct ef_fhir_result *res, struct ef_err *err)
{
	memset(res, 0, sizeof *res);
	if (ef_text_problem(name, strlen(name), 0) || strlen(name) > 1000)
		return ef_errf(err, EF_USAGE, "import: the file name '%.200s' has control characters or is over 1000 "
					      "bytes; rename the file (or use - and standard input)", name);
	int rc = app_permit(e->me, EF_ACT_READ, err);
	if (rc)
		return rc;
	char *buf, sha[65];
	size_t len;
	if ((rc = ef_interop_read(in, name, &buf, &len, sha, err)))
		return rc;
	unsigned kinds;
	rc = ef_fhir_kinds(buf, len, name, &kinds, err);
	for (int k = 0; k < STORE_K_COUNT && !rc; k++)
		if (kinds & (1u << k))
			rc = app_permit(e->me, app_kind_action((enum store_kind)k), err);
	if (!rc) {
		struct ef_import_opts opts = {.today = e->today, .now_sec = now_sec, .max_errors = 50, .diag = diag,
					      .diag_ctx = diag_ctx};
		struct fhir_tx t = {buf, name, sha, len, &opts, res};
		rc = store_tx(e->s, fhir_body, &t, err);
	}
	free(buf);
	return rc;
}
