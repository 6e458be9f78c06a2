/* cmd_demo.c - `engraft demo [--patients N] [--seed S] [--as-of DATE]`. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_int.h"
#include "engraft/demo.h"
#include "engraft/csvio.h"

int cmd_demo(struct cli *c, int argc, char **argv)
{
	const char *n_s = NULL, *seed_s = NULL, *as_of_s = NULL;
	const struct cli_opt opts[] = {
		{"patients", 1, &n_s}, {"seed", 1, &seed_s}, {"as-of", 1, &as_of_s}, {0, 0, 0}};
	const char *pos[1];
	int npos;
	int rc = cli_parse(cli_command(cmd_demo), argc, argv, opts, pos, 0, 0, &npos);
	if (rc)
		return rc;
	struct ef_demo_opts o = {.patients = 200, .seed = 1, .as_of = c->today};
	if (n_s) {
		char *end;
		errno = 0;
		long v = n_s[0] >= '0' && n_s[0] <= '9' ? strtol(n_s, &end, 10) : -1;
		if (v < 1 || v > EF_DEMO_MAX_PATIENTS || errno || *end)
			return cli_fail(EF_USAGE, "demo: --patients: '%s' is not a whole number from 1 to %ld", n_s,
					EF_DEMO_MAX_PATIENTS);
		o.patients = v;
	}
	if (seed_s) {
		long v;
		if ((rc = cli_uint("seed", seed_s, 0x7fffffffffffffffL, &v)))
			return rc;
		o.seed = (uint64_t)v;
	}
	if (as_of_s && (rc = cli_date("as-of", as_of_s, c->today, &o.as_of)))
		return rc;
	if (o.as_of > c->today)
		return cli_fail(EF_USAGE, "demo: --as-of %s is in the future (a record holds no future events)",
				as_of_s);
	if (o.as_of < ef_day_from_ymd(1900, 1, 1))
		return cli_fail(EF_USAGE, "demo: --as-of %s is before 1900", as_of_s);
	struct ef_err err = {{0}};
	if ((rc = cli_open(c, &err)))
		return cli_fail_err(rc, &err);
	struct ef_demo_counts n;
	struct ef_reference ref; /* the follow-up calendar: the demo records most time points done */
	if ((rc = cli_reference(c, &ref, &err)))
		return cli_fail_err(rc, &err);
	struct app_env env = cli_env(c, &ref);
	rc = app_demo(&env, &o, &n, &err);
	ef_reference_free(&ref);
	if (rc)
		return cli_fail_err(rc, &err);
	char asof[11];
	ef_date_format(o.as_of, asof);
	printf("%s: demo seed %llu as of %s:", store_path(c->store), (unsigned long long)o.seed, asof);
	for (int k = 0; k < STORE_K_COUNT; k++)
		printf("%s %ld %s", k ? "," : "", n.rows[k], ef_kind_name((enum store_kind)k));
	printf(" (%ld inserted, %ld updated, %ld unchanged)\n", n.inserted, n.updated, n.unchanged);
	return EF_OK;
}
