/* cmd_staff.c - `engraft staff`: who may use this database, in which role
 * (man page, PERMISSIONS). Changes go through app (admin only, audited). */
#include <stdio.h>
#include <string.h>

#include "cli_int.h"
#include "engraft/text.h"

static int print_row(void *ctx, const struct store_staff *st, struct ef_err *err)
{
	(void)err;
	long *n = ctx;
	char name[4 * 128 + 4], title[4 * 64 + 4];
	if ((*n)++ == 0)
		printf("%-16s %-9s %-8s %-20s %-30s %s\n", "LOGIN", "ROLE", "STATUS", "ADDED", "NAME", "TITLE");
	printf("%-16s %-9s %-8s %-20s %-30s %s\n", st->login, ef_role_name(st->role), st->active ? "active" : "disabled",
	       st->added_at, ef_text_escape(st->name, name, sizeof name), ef_text_escape(st->title, title, sizeof title));
	return EF_OK;
}

static int parse_role(const char *s, enum ef_role *r)
{
	if (ef_role_parse(s, r) == 0)
		return EF_OK;
	return cli_fail(EF_USAGE, "staff: unknown role '%s' (admin, clinician, nurse, clerk or auditor)", s);
}

int cmd_staff(struct cli *c, int argc, char **argv)
{
	const char *role_s = NULL, *name = NULL, *title = NULL;
	const struct cli_opt opts[] = {{"role", 1, &role_s}, {"name", 1, &name}, {"title", 1, &title}, {0, 0, 0}};
	const char *pos[3];
	int npos;
	int rc = cli_parse(cli_command(cmd_staff), argc, argv, opts, pos, 1, 3, &npos);
	if (rc)
		return rc;
	const char *verb = pos[0];
	struct ef_err err = {{0}};
	enum ef_role role = EF_ROLE_AUDITOR;
	const int is_list = strcmp(verb, "list") == 0, is_add = strcmp(verb, "add") == 0,
		  is_role = strcmp(verb, "role") == 0, is_disable = strcmp(verb, "disable") == 0,
		  is_enable = strcmp(verb, "enable") == 0;
	if (!is_list && !is_add && !is_role && !is_disable && !is_enable)
		return cli_fail(EF_USAGE, "staff: unknown action '%s' (list, add, role, disable or enable)", verb);
	const int want = is_list ? 1 : is_role ? 3 : 2;
	if (npos != want)
		return cli_fail(EF_USAGE, "staff %s: %s (see engraft staff --help)", verb,
				is_list ? "takes no other argument" : is_role ? "needs LOGIN and ROLE" : "needs one LOGIN");
	if ((role_s || name || title) && !is_add)
		return cli_fail(EF_USAGE, "staff %s: --role, --name and --title belong to staff add", verb);
	if (is_add) {
		if (!role_s || !name)
			return cli_fail(EF_USAGE, "staff add: --role ROLE and --name \"Full Name\" are required");
		if ((rc = parse_role(role_s, &role)))
			return rc;
	}
	if (is_role && (rc = parse_role(pos[2], &role)))
		return rc;
	if ((rc = cli_open(c, &err)))
		return cli_fail_err(rc, &err);
	if (is_list) {
		long n = 0;
		if ((rc = store_staff_each(c->store, print_row, &n, &err)))
			return cli_fail_err(rc, &err);
		return EF_OK;
	}
	struct app_env env = cli_env(c, NULL);
	const char *login = pos[1];
	if (is_add)
		rc = app_staff_add(&env, login, role, name, title, &err);
	else if (is_role)
		rc = app_staff_set_role(&env, login, role, &err);
	else
		rc = app_staff_set_active(&env, login, is_enable, &err);
	if (rc)
		return cli_fail_err(rc, &err);
	if (is_add || is_role)
		printf("%s is %s\n", login, ef_role_name(role));
	else
		printf("%s is %s\n", login, is_enable ? "enabled" : "disabled");
	return EF_OK;
}
