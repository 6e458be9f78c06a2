/* cmd_import.c - `engraft import KIND FILE`. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli_int.h"
#include "engraft/app.h"
#include "engraft/csvio.h"

static void print_diag(void *ctx, const char *msg)
{
	(void)ctx;
	cli_print_msg(msg);
}

int cmd_import(struct cli *c, int argc, char **argv)
{
	const char *pos[2];
	int npos;
	int rc = cli_parse(cli_command(cmd_import), argc, argv, NULL, pos, 2, 2, &npos);
	if (rc)
		return rc;
	enum store_kind kind;
	if (ef_kind_parse(pos[0], &kind))
		return cli_fail(EF_USAGE, "import: unknown KIND '%s' (see engraft import --help)", pos[0]);
	FILE *in = stdin;
	const char *name = pos[1];
	if (strcmp(pos[1], "-") == 0) {
		name = "-";
	} else {
		struct stat st;
		if (stat(pos[1], &st) == 0 && S_ISDIR(st.st_mode))
			return cli_fail(EF_INVALID, "%s: is a directory", pos[1]);
		in = fopen(pos[1], "rb");
		if (!in)
			return cli_fail(EF_INVALID, "%s: %s", pos[1], strerror(errno));
	}
	struct ef_err err = {{0}};
	if ((rc = cli_open(c, &err))) {
		if (in != stdin)
			fclose(in);
		return cli_fail_err(rc, &err);
	}
	struct app_env env = cli_env(c, NULL);
	struct ef_import_result res;
	rc = app_import_file(&env, c->now_sec, kind, in, name, print_diag, NULL, &res, &err);
	if (in != stdin)
		fclose(in);
	if (rc)
		return cli_fail_err(rc, &err);
	printf("%s: %ld row%s: %ld inserted, %ld updated, %ld unchanged\n", name, res.rows, res.rows == 1 ? "" : "s",
	       res.inserted, res.updated, res.unchanged);
	return EF_OK;
}
