/* cmd_init.c - `engraft init`: create/migrate; optionally load site assets
 * and make the database a clinic's shared one. */
#include <stdio.h>

#include "cli_int.h"
#include "engraft/csvio.h"

int cmd_init(struct cli *c, int argc, char **argv)
{
	const char *assets = NULL, *group = NULL;
	const struct cli_opt opts[] = {{"assets", 1, &assets}, {"group", 1, &group}, {0, 0, 0}};
	const char *pos[1];
	int npos;
	int rc = cli_parse(cli_command(cmd_init), argc, argv, opts, pos, 0, 0, &npos);
	if (rc)
		return rc;
	struct ef_err err = {{0}};
	if (group) {
		/* Before the database is opened: a new one is then created in
		 * the shared directory, 0660 with its group. */
		char path[4096];
		if ((rc = store_default_path(c->db_opt, path, sizeof path, &err)) ||
		    (rc = store_make_shared(path, group, &err)))
			return cli_fail_err(rc, &err);
	}
	if ((rc = cli_open(c, &err)))
		return cli_fail_err(rc, &err);
	struct app_env env = cli_env(c, NULL);
	if (assets && (rc = app_load_assets(&env, assets, &err)))
		return cli_fail_err(rc, &err);
	printf("%s: schema version %d%s%s%s; you are %s '%s'\n", store_path(c->store), store_schema_version(c->store),
	       assets ? ", site reference data loaded" : "", group ? ", shared with group " : "", group ? group : "",
	       ef_role_name(c->me.role), c->me.login);
	return EF_OK;
}
