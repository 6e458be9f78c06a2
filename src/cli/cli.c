/* cli.c - global options, command dispatch, shared option parsing. */
#include "engraft/cli.h"

#include <errno.h>
#include <getopt.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli_int.h"
#include "engraft/app.h"
#include "engraft/csvio.h"
#include "engraft/outfile.h"
#include "engraft/text.h"

#ifndef ENGRAFT_VERSION
#define ENGRAFT_VERSION "0.1.0"
#endif

/* Every message may quote what a user typed or a file held: its
 * non-printable bytes are shown escaped, never sent to the terminal. */
void cli_print_msg(const char *msg)
{
	char shown[4 * 2048 + 4];
	fprintf(stderr, "engraft: %s\n", ef_text_escape(msg, shown, sizeof shown));
}

int cli_fail(int status, const char *fmt, ...)
{
	char msg[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	cli_print_msg(msg);
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
	if ((rc = app_sign_on(c->store, &c->me, err)) || (rc = app_permit(&c->me, c->need, err)) ||
	    (rc = ef_ensure_assets(c->store, err))) {
		store_close(c->store);
		c->store = NULL;
		return rc;
	}
	return EF_OK;
}

struct app_env cli_env(struct cli *c, const struct ef_reference *ref)
{
	return (struct app_env){c->store, ref, c->today, c->store ? &c->me : NULL};
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
	cli_print_command_help_more(out, cmd, NULL);
}

void cli_print_command_help_more(FILE *out, const struct command *cmd, void (*more)(FILE *out))
{
	fprintf(out, "usage: engraft [--db PATH] %s%s%s\n\n%s\n", cmd->name, cmd->usage[0] ? " " : "",
		cmd->usage, cmd->summary);
	if (cmd->help)
		fprintf(out, "\n%s", cmd->help);
	if (more)
		more(out);
	fprintf(out, "\nExit status: 0 ok, 2 usage error, 3 invalid input (nothing written),\n"
		     "4 database problem, 5 audit chain broken, 6 not permitted.\n");
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
		"usage: engraft [--db PATH] [COMMAND [ARGS]]\n\n"
		"Follow-up tracker for patients after a haematopoietic cell transplant.\n"
		"Without a command, opens the terminal interface.\n\n"
		"Options:\n"
		"  --db PATH     database file (default: $ENGRAFT_DB, else\n"
		"                $XDG_DATA_HOME/engraft/engraft.db or ~/.local/share/engraft/engraft.db)\n"
		"  --help        this help; COMMAND --help for a command's\n"
		"  --version     print the version\n\n"
		"Commands:\n");
	for (const struct command *c = ef_commands; c->name; c++)
		fprintf(out, "  %-10s %s\n", c->name, c->summary);
	fprintf(out, "\nYou act as the login you are signed in as; the database's staff list gives it\n"
		     "a role (engraft staff list; man engraft, PERMISSIONS).\n"
		     "\nExit status: 0 ok, 2 usage error, 3 invalid input (nothing written),\n"
		     "4 database problem, 5 audit chain broken, 6 not permitted.\n");
}

/* The login this process runs as, for messages (never for identity: the
 * store reads it itself). */
static const char *whoami(void)
{
	static char name[64];
	struct passwd *pw = getpwuid(geteuid());
	snprintf(name, sizeof name, "%s", pw && pw->pw_name ? pw->pw_name : "unknown");
	return name;
}

/* SIGINT, SIGTERM, SIGHUP during a command: remove the temporary files
 * that hold a partial export or backup, then die of the signal as usual
 * (an open transaction is rolled back by SQLite's journal). */
static void on_fatal_signal(int sig)
{
	store_tmp_cleanup();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void install_cleanup_handlers(void)
{
	static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
		struct sigaction sa = {0};
		sa.sa_handler = on_fatal_signal;
		sigemptyset(&sa.sa_mask);
		struct sigaction old;
		if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
			continue; /* nohup and friends: stay ignored */
		sigaction(sigs[i], &sa, NULL);
	}
}

int ef_cli_main(int argc, char **argv, ef_face_fn tui)
{
	struct cli c = {0};
	struct ef_err err = {{0}};
	int i = 1;
	app_local_now(&c.today, &c.now_sec);
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
		if (strcmp(a, "--db") == 0) {
			if (i + 1 >= argc || !argv[i + 1][0])
				return cli_fail(EF_USAGE, "%s needs a value", a);
			c.db_opt = argv[++i];
			continue;
		}
		if (strncmp(a, "--db=", 5) == 0) {
			c.db_opt = a + 5;
			continue;
		}
		if (strcmp(a, "--user") == 0 || strncmp(a, "--user=", 7) == 0)
			return cli_fail(EF_USAGE, "--user is not accepted: engraft records the login you are signed in "
						  "as (%s), and no one can act under another name; sign in as that "
						  "person, or ask an admin to add your login (engraft staff add)",
					whoami());

		if (a[0] == '-')
			return cli_fail(EF_USAGE, "unknown option %s (see engraft --help)", a);
		break;
	}
	int rc;
	if (i == argc) { /* no command: the terminal interface (main.c) */
		c.need = EF_ACT_READ;
		if ((rc = cli_open(&c, &err)))
			return cli_fail_err(rc, &err);
		if (tui) {
			rc = tui(c.store, c.today, &err); /* signs the same login on again */
			store_close(c.store);
			return rc ? cli_fail_err(rc, &err) : EF_OK;
		}
		store_close(c.store);
		return cli_fail(EF_USAGE, "no command given (see engraft --help)");
	}
	for (const struct command *cmd = ef_commands; cmd->name; cmd++) {
		if (strcmp(cmd->name, argv[i]) == 0) {
			install_cleanup_handlers();
			c.need = cmd->need;
			rc = cmd->run(&c, argc - i, argv + i);
			if (c.store)
				store_close(c.store);
			return rc < 0 ? EF_OK : rc;
		}
	}
	return cli_fail(EF_USAGE, "unknown command '%s' (see engraft --help)", argv[i]);
}
