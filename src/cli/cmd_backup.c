/* cmd_backup.c - `engraft backup FILE`. */
#include <inttypes.h>
#include <stdio.h>

#include "cli_int.h"
#include "engraft/backup.h"

int cmd_backup(struct cli *c, int argc, char **argv)
{
	const char *pos[1];
	int npos;
	int rc = cli_parse(cli_command(cmd_backup), argc, argv, NULL, pos, 1, 1, &npos);
	if (rc)
		return rc;
	struct ef_err err = {{0}};
	if ((rc = cli_open(c, &err)))
		return cli_fail_err(rc, &err);
	struct store_audit_summary sum;
	rc = store_backup(c->store, pos[0], &sum, &err);
	if (rc == EF_AUDIT)
		return cli_fail(rc, "backup: %s written, but its audit trail does not verify: %s", pos[0], err.msg);
	if (rc)
		return cli_fail_err(rc, &err);
	printf("%s: integrity ok, audit ok (%" PRId64 " entries, head %" PRId64 ":%s)\n", pos[0], sum.entries,
	       sum.head_seq, sum.head_hash);
	return EF_OK;
}
