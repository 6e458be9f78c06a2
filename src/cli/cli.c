/* cli.c - global options, command dispatch, shared option parsing. */
#include "engraft/cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli_int.h"
#include "engraft/csvio.h"
#include "engraft/tui.h"

#ifndef ENGRAFT_VERSION
#define ENGRAFT_VERSION "0.1.0"
#endif

int cli_fail(int status, const char *fmt, ...)
{
	va_list ap;
	fputs("engraft: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return status;
}

int cli_fail_err(int status, const struct ef_err *err)
{
	return cli_fail(status, "%s", err->msg);
}

int cli_open(struct cli *c, struct ef_err *err)
{
	char path[4096];
	if (c->store)
		return EF_OK;
	int rc = store_default_path(c->db_opt, path, sizeof path, err);
	if (rc)
		return rc;
	if ((rc = store_open(path, 0, &c->store, err)))
		return rc;
	if (c->user)
		store_set_user(c->store, c->user);
	if ((rc = ef_ensure_assets(c->store, err))) {
		store_close(c->store);
		c->store = NULL;
		return rc;
	}
	return EF_OK;
}

int cli_date(const char *opt, const char *value, ef_day today, ef_day *out)
{
	if (strcmp(value, "today") == 0) {
		*out = today;
		return EF_OK;
	}
	if (ef_date_parse(value, strlen(value), out))
		return cli_fail(EF_USAGE, "--%s: '%s' is not a date (YYYY-MM-DD)", opt, value);
	return EF_OK;
}

int cli_uint(const char *opt, const char *value, long max, long *out)
{
	char *end;
	if (!value[0] || value[0] == '-' || value[0] == '+')
		return cli_fail(EF_USAGE, "--%s: '%s' is not a whole number", opt, value);
	errno = 0;
	long v = strtol(value, &end, 10);
	if (*end || errno || v > max)
		return cli_fail(EF_USAGE, "--%s: '%s' is not a whole number from 0 to %ld", opt, value, max);
	*out = v;
	return EF_OK;
}

const struct command *cli_command(int (*run)(struct cli *, int, char **))
{
	const struct command *c = ef_commands;
	while (c->name && c->run != run)
		c++;
	return c;
}

void cli_print_command_help(FILE *out, const struct command *cmd)
{
	fprintf(out, "usage: engraft [--db PATH] [--user NAME] %s%s%s\n\n%s\n", cmd->name, cmd->usage[0] ? " " : "",
		cmd->usage, cmd->summary);
	if (cmd->help)
		fprintf(out, "\n%s", cmd->help);
	fprintf(out, "\nExit status: 0 ok, 2 usage error, 3 invalid input (nothing written), "
		     "4 database problem, 5 audit chain broken.\n");
}

int cli_parse(const struct command *cmd, int argc, char **argv, const struct cli_opt *opts, const char **pos,
	      int min_pos, int max_pos, int *npos)
{
	struct option lo[24];
	int n = 0;
	for (; opts && opts[n].name && n < 21; n++) {
		lo[n].name = opts[n].name;
		lo[n].has_arg = opts[n].has_arg ? required_argument : no_argument;
		lo[n].flag = NULL;
		lo[n].val = 1000 + n;
	}
	lo[n++] = (struct option){"help", no_argument, NULL, 'h'};
	lo[n] = (struct option){0, 0, 0, 0};
	*npos = 0;
	optind = 0;
	opterr = 0;
	int ch;
	while ((ch = getopt_long(argc, argv, ":ho:", lo, NULL)) != -1) {
		if (ch == 'h') {
			cli_print_command_help(stdout, cmd);
			return -1;
		}
		if (ch == 'o') { /* -o is short for --output where a command has it */
			int k;
			for (k = 0; opts && opts[k].name; k++)
				if (strcmp(opts[k].name, "output") == 0)
					break;
			if (!opts || !opts[k].name)
				return cli_fail(EF_USAGE, "%s: unknown option -o (see engraft %s --help)", cmd->name,
						cmd->name);
			*opts[k].value = optarg;
			continue;
		}
		if (ch == ':')
			return cli_fail(EF_USAGE, "%s: option %s needs a value", cmd->name, argv[optind - 1]);
		if (ch == '?')
			return cli_fail(EF_USAGE, "%s: unknown option %s (see engraft %s --help)", cmd->name,
					argv[optind - 1], cmd->name);
		const struct cli_opt *o = &opts[ch - 1000];
		*o->value = o->has_arg ? optarg : "1";
	}
	for (int i = optind; i < argc; i++) {
		if (*npos >= max_pos)
			return cli_fail(EF_USAGE, "%s: unexpected argument '%s' (see engraft %s --help)", cmd->name,
					argv[i], cmd->name);
		pos[(*npos)++] = argv[i];
	}
	if (*npos < min_pos)
		return cli_fail(EF_USAGE, "%s: missing argument%s: %s (see engraft %s --help)", cmd->name,
				min_pos - *npos > 1 ? "s" : "", cmd->usage, cmd->name);
	return EF_OK;
}

static void usage(FILE *out)
{
	fprintf(out,
		"usage: engraft [--db PATH] [--user NAME] [COMMAND [ARGS]]\n\n"
		"Follow-up tracker for patients after a haematopoietic cell transplant.\n"
		"Without a command, opens the terminal interface.\n\n"
		"Options:\n"
		"  --db PATH     database file (default: $ENGRAFT_DB, else\n"
		"                $XDG_DATA_HOME/engraft/engraft.db or ~/.local/share/engraft/engraft.db)\n"
		"  --user NAME   name recorded in the audit trail (default: login name)\n"
		"  --help        this help; COMMAND --help for a command's\n"
		"  --version     print the version\n\n"
		"Commands:\n");
	for (const struct command *c = ef_commands; c->name; c++)
		fprintf(out, "  %-10s %s\n", c->name, c->summary);
	fprintf(out, "\nExit status: 0 ok, 2 usage error, 3 invalid input (nothing written),\n"
		     "4 database problem, 5 audit chain broken.\n");
}

static ef_day local_today(void)
{
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	return ef_day_from_ymd(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

int ef_cli_main(int argc, char **argv)
{
	struct cli c = {0};
	struct ef_err err = {{0}};
	int i = 1;
	c.today = local_today();
	for (; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			return EF_OK;
		}
		if (strcmp(a, "--version") == 0) {
			printf("engraft %s\n", ENGRAFT_VERSION);
			return EF_OK;
		}
		if (strcmp(a, "--db") == 0 || strcmp(a, "--user") == 0) {
			if (i + 1 >= argc || !argv[i + 1][0])
				return cli_fail(EF_USAGE, "%s needs a value", a);
			*(a[2] == 'd' ? &c.db_opt : &c.user) = argv[++i];
			continue;
		}
		if (strncmp(a, "--db=", 5) == 0) {
			c.db_opt = a + 5;
			continue;
		}
		if (strncmp(a, "--user=", 7) == 0) {
			c.user = a + 7;
			continue;
		}
		if (a[0] == '-')
			return cli_fail(EF_USAGE, "unknown option %s (see engraft --help)", a);
		break;
	}
	int rc;
	if (i == argc) {
		if ((rc = cli_open(&c, &err)))
			return cli_fail_err(rc, &err);
		rc = ef_tui_run(c.store, c.today, &err);
		store_close(c.store);
		if (rc)
			return cli_fail_err(rc, &err);
		return EF_OK;
	}
	for (const struct command *cmd = ef_commands; cmd->name; cmd++) {
		if (strcmp(cmd->name, argv[i]) == 0) {
			rc = cmd->run(&c, argc - i, argv + i);
			if (c.store)
				store_close(c.store);
			return rc < 0 ? EF_OK : rc;
		}
	}
	return cli_fail(EF_USAGE, "unknown command '%s' (see engraft --help)", argv[i]);
}
