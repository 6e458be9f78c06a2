/* cmd_audit.c - `engraft audit verify [--head SEQ:HASH]`, `audit log` and `export audit`. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli_int.h"
#include "engraft/audit.h"
#include "engraft/csvio.h"
#include "engraft/text.h"

static void print_problem(void *ctx, const char *msg)
{
	(void)ctx;
	fprintf(stderr, "engraft: %s\n", msg);
}

/* One entry: a line for when, who, what and which record, and an indented
 * line for the change. Everything stored is escaped before it is shown. */
static int print_event(void *ctx, const struct store_audit_event *e, struct ef_err *err)
{
	(void)err;
	long *n = ctx;
	static char who[4 * 300], change[4 * 8192], mrn[4 * 64 + 4];
	char at[32];
	snprintf(at, sizeof at, "%.10s %.8s", e->at, strlen(e->at) > 11 ? e->at + 11 : "");
	char whob[300];
	snprintf(whob, sizeof whob, e->name[0] ? "%s (%s)" : "%s", e->login, e->name);
	ef_text_escape(whob, who, sizeof who);
	ef_text_escape(e->mrn, mrn, sizeof mrn);
	ef_text_escape(e->change, change, sizeof change);
	if ((*n)++ == 0)
		printf("%-6s %-19s %-28s %-8s %s\n", "SEQ", "WHEN (UTC)", "LOGIN (NAME)", "ACTION", "RECORD");
	printf("%-6" PRId64 " %-19s %-28s %-8s %s %" PRId64 "%s%s\n", e->seq, at, who, e->action, e->table, e->row_key,
	       mrn[0] ? "  MRN " : "", mrn);
	if (change[0])
		printf("       %s\n", change);
	return EF_OK;
}

static int audit_log(struct cli *c, const char *login, const char *mrn, const char *since_s, const char *until_s)
{
	struct store_audit_filter f = {login, mrn, EF_NO_DAY, EF_NO_DAY};
	int rc;
	if ((since_s && (rc = cli_date("since", since_s, c->today, &f.since))) ||
	    (until_s && (rc = cli_date("until", until_s, c->today, &f.until))))
		return rc;
	if (f.since != EF_NO_DAY && f.until != EF_NO_DAY && f.until < f.since)
		return cli_fail(EF_USAGE, "audit log: --until %s is before --since %s", until_s, since_s);
	struct ef_err err = {{0}};
	if ((rc = cli_open(c, &err)))
		return cli_fail_err(rc, &err);
	long n = 0;
	if ((rc = store_audit_log(c->store, &f, print_event, &n, &err)))
		return cli_fail_err(rc, &err);
	if (n == 0)
		printf("no entries\n");
	return EF_OK;
}

int cmd_audit(struct cli *c, int argc, char **argv)
{
	const char *head = NULL, *login = NULL, *mrn = NULL, *since = NULL, *until = NULL;
	const struct cli_opt opts[] = {{"head", 1, &head}, {"login", 1, &login}, {"mrn", 1, &mrn},
				       {"since", 1, &since}, {"until", 1, &until}, {0, 0, 0}};
	const char *pos[1];
	int npos;
	int rc = cli_parse(cli_command(cmd_audit), argc, argv, opts, pos, 1, 1, &npos);
	if (rc)
		return rc;
	const int is_log = strcmp(pos[0], "log") == 0;
	if (!is_log && strcmp(pos[0], "verify") != 0)
		return cli_fail(EF_USAGE, "audit: unknown action '%s' (verify or log; see engraft audit --help)", pos[0]);
	if (is_log && head)
		return cli_fail(EF_USAGE, "audit log: --head belongs to audit verify");
	if (!is_log && (login || mrn || since || until))
		return cli_fail(EF_USAGE, "audit verify: --login, --mrn, --since and --until belong to audit log");
	if (is_log)
		return audit_log(c, login, mrn, since, until);
	struct ef_err err = {{0}};
	if ((rc = cli_open(c, &err)))
		return cli_fail_err(rc, &err);
	struct store_audit_summary sum;
	rc = store_audit_verify(c->store, head, print_problem, NULL, &sum, &err);
	if (rc == EF_AUDIT) {
		fprintf(stderr, "engraft: audit verify: %ld problem%s; the first: %s\n", sum.problems,
			sum.problems == 1 ? "" : "s", err.msg);
		return EF_AUDIT;
	}
	if (rc)
		return cli_fail_err(rc, &err);
	printf("audit: ok: %" PRId64 " entries, %" PRId64 " rows, %" PRId64 " imports checked\n"
	       "head %" PRId64 ":%s\n",
	       sum.entries, sum.rows, sum.imports, sum.head_seq, sum.head_hash);
	return EF_OK;
}

static int write_row(void *ctx, const char *const *values, size_t n, struct ef_err *err)
{
	struct ef_csv_writer *w = ctx;
	ef_csv_write_row(w, values, n);
	return w->failed ? ef_csv_writer_errf(w, err) : EF_OK;
}

int export_audit(struct cli *c, ef_day as_of, const char *mrn, FILE *out, struct ef_err *err)
{
	(void)as_of; /* the whole log, always: an auditor checks it from entry 1 */
	(void)mrn;
	static const char *const cols[] = {"seq", "at", "user", "action", "table", "row_key", "before", "after", "hash"};
	struct ef_csv_writer w;
	if (ef_csv_writer_init(&w, out))
		return ef_errf(err, EF_DB, "out of memory");
	ef_csv_write_row(&w, cols, 9);
	int rc = store_audit_rows(c->store, write_row, &w, err);
	if (ef_csv_writer_finish(&w) && !rc)
		rc = ef_csv_writer_errf(&w, err);
	return rc;
}
