/* cmd_export.c - `engraft export KIND [-o FILE] [--as-of DATE] [--mrn MRN]`. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli_int.h"
#include "engraft/csvio.h"
#include "engraft/outfile.h"

int cmd_export(struct cli *c, int argc, char **argv)
{
	const char *output = NULL, *as_of_s = NULL, *mrn = NULL, *since_s = NULL;
	const struct cli_opt opts[] = {{"output", 1, &output}, {"as-of", 1, &as_of_s}, {"mrn", 1, &mrn},
				       {"since", 1, &since_s}, {0, 0, 0}};
	const char *pos[1];
	int npos;
	int rc = cli_parse(cli_command(cmd_export), argc, argv, opts, pos, 1, 1, &npos);
	if (rc)
		return rc;
	ef_day as_of = EF_NO_DAY;
	if (as_of_s && (rc = cli_date("as-of", as_of_s, c->today, &as_of)))
		return rc;
	int vxu = strcmp(pos[0], "vxu") == 0, fhir = strcmp(pos[0], "fhir") == 0;
	ef_day since = EF_NO_DAY;
	if (since_s && !vxu)
		return cli_fail(EF_USAGE, "export: --since is an option of export vxu only");
	if (vxu && as_of_s)
		return cli_fail(EF_USAGE, "export vxu: --as-of does not apply (--since DATE: doses given on or after it)");
	if (since_s && (rc = cli_date("since", since_s, c->today, &since)))
		return rc;
	enum store_kind kind;
	if (fhir && as_of_s)
		return cli_fail(EF_USAGE, "export fhir: --as-of does not apply (the bundle is the whole record)");
	int is_import_kind = !vxu && !fhir && ef_kind_parse(pos[0], &kind) == 0;
	const struct derived_export *d = ef_derived_exports;
	while (!is_import_kind && d->kind && strcmp(d->kind, pos[0]) != 0)
		d++;
	if (!is_import_kind && !vxu && !fhir && !d->kind) /* before any file is touched */
		return cli_fail(EF_USAGE, "export: unknown KIND '%s' (see engraft export --help)", pos[0]);
	struct ef_err err = {{0}};
	if ((rc = cli_open(c, &err)))
		return cli_fail_err(rc, &err);
	FILE *out = stdout;
	struct store_outfile of = {0};
	if (output && strcmp(output, "-") != 0) {
		if ((rc = store_outfile_open(c->store, output, "export", &of, &err)))
			return cli_fail_err(rc, &err);
		out = of.f;
	}
	if (vxu)
		rc = cli_export_vxu(c, since, mrn, out, &err);
	else if (fhir)
		rc = cli_export_fhir(c, mrn, out, &err);
	else if (is_import_kind)
		rc = ef_export_kind(c->store, kind, as_of, mrn, out, &err);
	else
		rc = d->run(c, as_of == EF_NO_DAY ? c->today : as_of, mrn, out, &err);
	if (out != stdout) {
		if (rc) /* a failed export leaves the target as it was */
			store_outfile_abort(&of);
		else
			rc = store_outfile_commit(&of, &err);
	} else if (fflush(stdout) != 0 && !rc) {
		rc = ef_errf(&err, EF_DB, "standard output: %s", strerror(errno));
	}
	return rc ? cli_fail_err(rc, &err) : EF_OK;
}
