/* cmd_init.c - `engraft init`: create/migrate; optionally load site assets. */
#include <stdio.h>

#include "cli_int.h"
#include "engraft/csvio.h"

int cmd_init(struct cli *c, int argc, char **argv)
{
	const char *assets = NULL;
	const struct cli_opt opts[] = {{"assets", 1, &assets}, {0, 0, 0}};
	const char *pos[1];
	int npos;
	int rc = cli_parse(cli_command(cmd_init), argc, argv, opts, pos, 0, 0, &npos);
	if (rc)
		return rc;
	struct ef_err err = {{0}};
	if ((rc = cli_open(c, &err)))
		return cli_fail_err(rc, &err);
	if (assets && (rc = ef_load_assets(c->store, assets, &err)))
		return cli_fail_err(rc, &err);
	printf("%s: schema version %d%s\n", store_path(c->store), store_schema_version(c->store),
	       assets ? ", site reference data loaded" : "");
	return EF_OK;
}
