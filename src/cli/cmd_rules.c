/* cmd_rules.c - `check`, `alerts`, `due`, `ack` (man page, COMMANDS):
 * the rules of src/core over every patient's timeline, and the alerts kept
 * in the database. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_int.h"
#include "engraft/alertstore.h"
#include "engraft/app.h"
#include "engraft/refstore.h"
#include "engraft/rules.h"
#include "engraft/text.h"
#include "engraft/followup.h"
#include "engraft/vaccines.h"

int cli_reference(struct cli *c, struct ef_reference *ref, struct ef_err *err)
{
	int rc = cli_open(c, err);
	if (rc)
		return rc;
	return store_reference_load(c->store, ref, err);
}

/* ---- check --------------------------------------------------------------- */

int cmd_check(struct cli *c, int argc, char **argv)
{
	const char *as_of_s = NULL, *mrn = NULL, *all = NULL;
	const struct cli_opt opts[] = {{"as-of", 1, &as_of_s}, {"mrn", 1, &mrn}, {"all", 0, &all}, {0, 0, 0}};
	const char *pos[1];
	int npos;
	int rc = cli_parse(cli_command(cmd_check), argc, argv, opts, pos, 0, 0, &npos);
	if (rc)
		return rc;
	ef_day as_of = c->today;
	if (as_of_s && (rc = cli_date("as-of", as_of_s, c->today, &as_of)))
		return rc;
	struct ef_err err = {{0}};
	if (as_of > c->today) /* refused before the database is even opened */
		return cli_fail(EF_USAGE, "check: --as-of %s is after today: alert state is never dated in the "
					  "future (export, alerts and due may preview a later date)", as_of_s);
	struct ef_reference ref;
	if ((rc = cli_reference(c, &ref, &err)))
		return cli_fail_err(rc, &err);
	struct app_env env = cli_env(c, &ref);
	struct ef_check_counts counts = {0};
	rc = app_check_clinic(&env, as_of, mrn, all != NULL, &counts, &err);
	ef_reference_free(&ref);
	if (rc)
		return cli_fail_err(rc, &err);
	printf("opened %ld, kept %ld, reopened %ld, resolved %ld\n", counts.opened, counts.kept, counts.reopened,
	       counts.resolved);
	/* the counts line is what scripts read; this one is for people */
	fprintf(stderr, "evaluated %ld of %ld patient%s%s\n", counts.evaluated, counts.patients, counts.patients == 1 ? "" : "s",
	       counts.evaluated < counts.patients ? " (the others: no new record and no change due since their last check)"
						  : "");
	return EF_OK;
}

/* ---- alerts --------------------------------------------------------------- */

struct list_ctx {
	long n;
};

static int print_alert(void *ctx, const struct store_alert *a, struct ef_err *err)
{
	struct list_ctx *l = ctx;
	(void)err;
	if (l->n++ == 0)
		printf("%-6s %-12s %-8s %-12s %-29s %-12s %-10s %s\n", "ID", "MRN", "SEVERITY", "STATUS", "RULE",
		       "SUBJECT", "DUE", "MESSAGE");
	char msg[sizeof a->message * 4 + 4];
	printf("%-6lld %-12s %-8s %-12s %-29s %-12s %-10s %s\n", (long long)a->alert_id, a->mrn,
	       ef_severity_str(a->severity), ef_alert_status_str(a->status), a->rule, a->subject, a->due_on[0] ? a->due_on : "-",
	       ef_text_escape(a->message, msg, sizeof msg));
	return EF_OK;
}

int cmd_alerts(struct cli *c, int argc, char **argv)
{
	const char *as_of_s = NULL, *all = NULL;
	const struct cli_opt opts[] = {{"as-of", 1, &as_of_s}, {"all", 0, &all}, {0, 0, 0}};
	const char *pos[1];
	int npos;
	int rc = cli_parse(cli_command(cmd_alerts), argc, argv, opts, pos, 0, 0, &npos);
	if (rc)
		return rc;
	ef_day as_of = c->today;
	if (as_of_s && (rc = cli_date("as-of", as_of_s, c->today, &as_of)))
		return rc;
	struct ef_err err = {{0}};
	if ((rc = cli_open(c, &err)))
		return cli_fail_err(rc, &err);
	struct list_ctx l = {0};
	int flags = STORE_ALERTS_BY_SEVERITY | (all ? STORE_ALERTS_ALL : 0);
	if ((rc = store_alerts_each(c->store, as_of, NULL, flags, print_alert, &l, &err)))
		return cli_fail_err(rc, &err);
	if (l.n == 0)
		printf(all ? "no alerts\n" : "no open alerts\n");
	return EF_OK;
}

/* ---- due ------------------------------------------------------------------- */

struct due_ctx {
	ef_day as_of;
	long within; /* -1: no upcoming entries */
	const char *item; /* followup: NULL for every item */
	long n;
};

static int listed(const struct due_ctx *d, int upcoming, ef_day due_on)
{
	return !upcoming || (d->within >= 0 && due_on <= d->as_of + d->within);
}

/* Copy at most `width` UTF-8 characters of s (never half a character) and
 * pad with spaces to `width` characters. */
static void fit(char *out, size_t size, const char *s, size_t width)
{
	size_t chars = 0, o = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p && o + 5 < size;) {
		size_t n = *p < 0x80 ? 1 : (*p >> 5) == 6 ? 2 : (*p >> 4) == 14 ? 3 : 4;
		if (chars == width)
			break;
		for (size_t i = 0; i < n && p[i]; i++)
			out[o++] = (char)p[i];
		p += n;
		chars++;
	}
	while (chars++ < width && o + 1 < size)
		out[o++] = ' ';
	out[o] = '\0';
}

static void name_of(const struct store_kept_patient *p, char name[128])
{
	char full[260];
	snprintf(full, sizeof full, "%s, %s", p->family_name, p->given_name);
	fit(name, 128, full, 24);
}

static int due_one(void *ctx, const struct store_kept_patient *p, const struct ef_due *e, struct ef_err *err)
{
	struct due_ctx *d = ctx;
	(void)err;
	if (!listed(d, e->status == EF_DUE_UPCOMING, e->due_on))
		return EF_OK;
	char name[128], due[11];
	name_of(p, name);
	ef_date_format(e->due_on, due);
	if (d->n++ == 0)
		printf("%-12s %-24s %-8s %4s  %-10s %-8s %s\n", "MRN", "NAME", "VACCINE", "DOSE", "DUE", "STATUS",
		       "REASON");
	printf("%-12s %s %-8s %4d  %-10s %-8s %s\n", p->mrn, name, e->series, e->dose, due[0] ? due : "-",
	       ef_due_status_str(e->status), e->reason);
	return EF_OK;
}

/* Options of `due` and `followup`; the reference data in ref. */
static int due_args(struct cli *c, int (*cmd)(struct cli *, int, char **), int argc, char **argv,
		    struct due_ctx *d, struct ef_reference *ref)
{
	const char *as_of_s = NULL, *within_s = NULL;
	*d = (struct due_ctx){.within = -1, .as_of = c->today};
	const struct cli_opt due_opts[] = {{"as-of", 1, &as_of_s}, {"within", 1, &within_s}, {0, 0, 0}};
	const struct cli_opt fu_opts[] = {{"as-of", 1, &as_of_s}, {"within", 1, &within_s}, {"item", 1, &d->item},
					  {0, 0, 0}};
	const char *pos[1];
	int npos;
	int rc = cli_parse(cli_command(cmd), argc, argv, cmd == cmd_due ? due_opts : fu_opts, pos, 0, 0, &npos);
	if (rc)
		return rc;
	if (as_of_s && (rc = cli_date("as-of", as_of_s, c->today, &d->as_of)))
		return rc;
	if (within_s && (rc = cli_uint("within", within_s, 36500, &d->within)))
		return rc;
	struct ef_err err = {{0}};
	if ((rc = cli_reference(c, ref, &err)))
		return cli_fail_err(rc, &err);
	return EF_OK;
}

int cmd_due(struct cli *c, int argc, char **argv)
{
	struct due_ctx d;
	struct ef_reference ref;
	int rc = due_args(c, cmd_due, argc, argv, &d, &ref);
	if (rc)
		return rc;
	struct ef_err err = {{0}};
	struct app_env env = cli_env(c, &ref);
	rc = app_each_due(&env, d.as_of, NULL, due_one, &d, &err);
	ef_reference_free(&ref);
	if (rc)
		return cli_fail_err(rc, &err);
	if (d.n == 0)
		printf("nothing due\n");
	return EF_OK;
}

/* ---- followup: the follow-up worklist ------------------------------------------- */

static int followup_one(void *ctx, const struct store_kept_patient *p, const struct ef_fu_entry *e,
			struct ef_err *err)
{
	struct due_ctx *d = ctx;
	(void)err;
	if (e->status == EF_FU_DONE || (d->item && strcmp(d->item, e->item) != 0) ||
	    !listed(d, e->status == EF_FU_UPCOMING, e->due_on))
		return EF_OK;
	char name[128], due[11];
	name_of(p, name);
	ef_date_format(e->due_on, due);
	if (d->n++ == 0)
		printf("%-12s %-24s %-12s %-5s %-10s %-8s %s\n", "MRN", "NAME", "ITEM", "POINT", "DUE", "STATUS",
		       "REASON");
	printf("%-12s %s %-12s %-5s %-10s %-8s %s\n", p->mrn, name, e->item, e->time_point, due,
	       ef_fu_status_str(e->status), e->reason);
	return EF_OK;
}

int cmd_followup(struct cli *c, int argc, char **argv)
{
	struct due_ctx d;
	struct ef_reference ref;
	int rc = due_args(c, cmd_followup, argc, argv, &d, &ref);
	if (rc)
		return rc;
	if (d.item && !ef_item_known(&ref, d.item)) {
		ef_reference_free(&ref);
		return cli_fail(EF_USAGE, "followup: --item: '%s' is not an item of screening.csv or registry_forms.csv",
				d.item);
	}
	struct ef_err err = {{0}};
	struct app_env env = cli_env(c, &ref);
	rc = app_each_followup(&env, d.as_of, NULL, followup_one, &d, &err);
	ef_reference_free(&ref);
	if (rc)
		return cli_fail_err(rc, &err);
	if (d.n == 0)
		printf("nothing due\n");
	return EF_OK;
}

/* ---- ack --------------------------------------------------------------------- */

int cmd_ack(struct cli *c, int argc, char **argv)
{
	const char *reason = NULL, *until_s = NULL, *as_of_s = NULL;
	const struct cli_opt opts[] = {{"reason", 1, &reason}, {"until", 1, &until_s}, {"as-of", 1, &as_of_s},
				       {0, 0, 0}};
	const char *pos[1];
	int npos;
	int rc = cli_parse(cli_command(cmd_ack), argc, argv, opts, pos, 1, 1, &npos);
	if (rc)
		return rc;
	char *end;
	long long id = strtoll(pos[0], &end, 10);
	if (!pos[0][0] || *end || id <= 0)
		return cli_fail(EF_USAGE, "ack: ALERT_ID '%s' is not an alert number", pos[0]);
	if (!reason)
		return cli_fail(EF_USAGE, "ack: --reason TEXT is required");
	const char *why = app_reason_problem(reason);
	if (why)
		return cli_fail(EF_USAGE, "ack: --reason: %s", why);
	ef_day until = EF_NO_DAY, on = c->today;
	if (as_of_s && (rc = cli_date("as-of", as_of_s, c->today, &on)))
		return rc;
	if (until_s && (rc = cli_date("until", until_s, c->today, &until)))
		return rc;
	if (on > c->today)
		return cli_fail(EF_USAGE, "ack: --as-of %s is after today: an acknowledgement is never dated in the "
					  "future", as_of_s);
	/* An --until before the acknowledgement date is almost surely a typo;
	 * an --until in the past relative to today is allowed (records entered
	 * late, scenario replays with check --as-of). */
	if (until != EF_NO_DAY && until < on)
		return cli_fail(EF_USAGE, "ack: --until %s is before the acknowledgement date", until_s);
	struct ef_err err = {{0}};
	if ((rc = cli_open(c, &err)))
		return cli_fail_err(rc, &err);
	struct app_env env = cli_env(c, NULL);
	if ((rc = app_ack_alert(&env, id, on, reason, until, &err)))
		return cli_fail_err(rc, &err);
	if (until != EF_NO_DAY)
		printf("alert %lld acknowledged until %s\n", id, until_s);
	else
		printf("alert %lld acknowledged\n", id);
	return EF_OK;
}
