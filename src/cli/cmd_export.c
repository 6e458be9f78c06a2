/* cmd_export.c - `engraft export KIND [-o FILE] [--as-of DATE] [--mrn MRN]`. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli_int.h"
#include "engraft/csvio.h"

int cmd_export(struct cli *c, int argc, char **argv)
{
	const char *output = NULL, *as_of_s = NULL, *mrn = NULL;
	const struct cli_opt opts[] = {{"output", 1, &output}, {"as-of", 1, &as_of_s}, {"mrn", 1, &mrn}, {0, 0, 0}};
	const char *pos[1];
	int npos;
	int rc = cli_parse(cli_command(cmd_export), argc, argv, opts, pos, 1, 1, &npos);
	if (rc)
		return rc;
	ef_day as_of = EF_NO_DAY;
	if (as_of_s && (rc = cli_date("as-of", as_of_s, c->today, &as_of)))
		return rc;
	enum store_kind kind;
	int is_import_kind = ef_kind_parse(pos[0], &kind) == 0;
	struct ef_err err = {{0}};
	if ((rc = cli_open(c, &err)))
		return cli_fail_err(rc, &err);
	FILE *out = stdout;
	if (output && strcmp(output, "-") != 0) {
		/* Exports hold patient data: never through a symlink, and the file
		 * is made private (0600) even when it existed before. */
		int fd = open(output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
		if (fd >= 0 && fchmod(fd, 0600) != 0) {
			close(fd);
			fd = -1;
		}
		if (fd < 0 || !(out = fdopen(fd, "wb"))) {
			if (fd >= 0)
				close(fd);
			return cli_fail(EF_INVALID, "%s: %s", output, strerror(errno));
		}
	}
	if (is_import_kind) {
		rc = ef_export_kind(c->store, kind, as_of, mrn, out, &err);
	} else {
		const struct derived_export *d = ef_derived_exports;
		while (d->kind && strcmp(d->kind, pos[0]) != 0)
			d++;
		if (d->kind)
			rc = d->run(c, as_of == EF_NO_DAY ? c->today : as_of, mrn, out, &err);
		else {
			if (out != stdout)
				fclose(out);
			return cli_fail(EF_USAGE, "export: unknown KIND '%s' (see engraft export --help)", pos[0]);
		}
	}
	if (out != stdout) {
		if (fclose(out) != 0 && !rc)
			rc = ef_errf(&err, EF_DB, "%s: %s", output, strerror(errno));
	} else if (fflush(stdout) != 0 && !rc) {
		rc = ef_errf(&err, EF_DB, "standard output: %s", strerror(errno));
	}
	return rc ? cli_fail_err(rc, &err) : EF_OK;
}
