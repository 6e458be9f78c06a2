/* cli_int.h - shared by the command implementations in src/cli. */
#ifndef ENGRAFT_CLI_INT_H
#define ENGRAFT_CLI_INT_H

#include <stdio.h>

#include "engraft/access.h"
#include "engraft/app.h"
#include "engraft/date.h"
#include "engraft/error.h"
#include "engraft/staff.h"
#include "engraft/store.h"

struct cli {
	const char *db_opt;   /* --db as given (NULL: default) */
	ef_day today;         /* local date */
	int now_sec;          /* seconds since local midnight */
	struct store *store;  /* opened by cli_open */
	struct store_staff me; /* the signed-on login (cli_open) */
	enum ef_action need;  /* what the running command needs (its table row) */
};

struct command {
	const char *name;
	const char *usage;    /* "KIND FILE" */
	const char *summary;  /* one line */
	const char *help;     /* options, multi-line, may be NULL */
	int (*run)(struct cli *c, int argc, char **argv);
	/* What cli_open checks the login may do before the command reads or
	 * writes anything (import, ack and staff check more in app). */
	enum ef_action need;
};

extern const struct command ef_commands[];

/* Export kinds computed from the record (docs/formats.md s.8: alerts, due,
 * engraftment, gvhd, audit), listed in commands.c. */
struct derived_export {
	const char *kind;
	int (*run)(struct cli *c, ef_day as_of, const char *mrn, FILE *out, struct ef_err *err);
};
extern const struct derived_export ef_derived_exports[];

/* Open (create, migrate, load default reference data) the database, sign
 * the login on and check it may do c->need: EF_DENIED (exit 6) otherwise,
 * before anything is read or written. */
int cli_open(struct cli *c, struct ef_err *err);

/* The use cases' environment for this command (after cli_open). */
struct app_env cli_env(struct cli *c, const struct ef_reference *ref);

/* Print "engraft: msg" to stderr and return status. */
int cli_fail(int status, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;
int cli_fail_err(int status, const struct ef_err *err);
/* "engraft: msg" on stderr, non-printable bytes escaped. */
void cli_print_msg(const char *msg);

/* Option parsing shared by commands: long options only. */
struct cli_opt {
	const char *name;     /* "as-of" */
	int has_arg;
	const char **value;   /* receives the argument (or "1" for flags) */
};
/* Parses argv[1..]; positional arguments are collected into pos (up to
 * max_pos). --help prints the command's help and returns -1 (exit 0).
 * Usage errors print a message and return EF_USAGE. */
int cli_parse(const struct command *cmd, int argc, char **argv, const struct cli_opt *opts, const char **pos,
	      int min_pos, int max_pos, int *npos);

/* Parse a DATE option value ("YYYY-MM-DD"; "today" allowed). */
int cli_date(const char *opt, const char *value, ef_day today, ef_day *out);
int cli_uint(const char *opt, const char *value, long max, long *out);

void cli_print_command_help(FILE *out, const struct command *cmd);
/* The same with more text before the exit status (import's columns). */
void cli_print_command_help_more(FILE *out, const struct command *cmd, void (*more)(FILE *out));

/* The table entry of the command implemented by `run`. */
const struct command *cli_command(int (*run)(struct cli *, int, char **));

/* Commands */
int cmd_init(struct cli *c, int argc, char **argv);
int cmd_demo(struct cli *c, int argc, char **argv);
int cmd_import(struct cli *c, int argc, char **argv);
int cmd_export(struct cli *c, int argc, char **argv);
int cmd_check(struct cli *c, int argc, char **argv);
int cmd_alerts(struct cli *c, int argc, char **argv);
int cmd_due(struct cli *c, int argc, char **argv);
int cmd_followup(struct cli *c, int argc, char **argv);
int cmd_ack(struct cli *c, int argc, char **argv);
int cmd_letter(struct cli *c, int argc, char **argv);

/* Derived exports (export_derived.c) */
int export_alerts(struct cli *c, ef_day as_of, const char *mrn, FILE *out, struct ef_err *err);
int export_due(struct cli *c, ef_day as_of, const char *mrn, FILE *out, struct ef_err *err);
int export_engraftment(struct cli *c, ef_day as_of, const char *mrn, FILE *out, struct ef_err *err);
int export_gvhd(struct cli *c, ef_day as_of, const char *mrn, FILE *out, struct ef_err *err);
int export_followup_status(struct cli *c, ef_day as_of, const char *mrn, FILE *out, struct ef_err *err);
int export_followup(struct cli *c, ef_day as_of, const char *mrn, FILE *out, struct ef_err *err);

/* Open the database and load the reference data (cmd_rules.c). */
struct ef_reference;
int cli_reference(struct cli *c, struct ef_reference *ref, struct ef_err *err);
int cmd_audit(struct cli *c, int argc, char **argv);
int cmd_backup(struct cli *c, int argc, char **argv);
int cmd_staff(struct cli *c, int argc, char **argv);

/* Derived exports */
int export_audit(struct cli *c, ef_day as_of, const char *mrn, FILE *out, struct ef_err *err);

/* The interchange kinds of import and export (cmd_interop.c). */
int cli_import_hl7(struct cli *c, FILE *in, const char *name);
int cli_import_fhir(struct cli *c, FILE *in, const char *name);
int cli_export_vxu(struct cli *c, ef_day since, const char *mrn, FILE *out, struct ef_err *err);
int cli_export_fhir(struct cli *c, const char *mrn, FILE *out, struct ef_err *err);
void cli_hl7_help(FILE *out);

#endif
