/* cmd_import.c - `engraft import KIND FILE`, and `engraft import [KIND]
 * --help`: each kind's columns with their formats. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "cli_int.h"
#include "engraft/app.h"
#include "engraft/columns.h"
#include "engraft/csvio.h"
#include "engraft/gvhd.h"
#include "engraft/timeline.h"
#include "engraft/units.h"

#ifndef NELEM
#define NELEM(a) (sizeof(a) / sizeof((a)[0]))
#endif

static void print_diag(void *ctx, const char *msg)
{
	(void)ctx;
	cli_print_msg(msg);
}

/* ---- engraft import [KIND] --help: each kind's columns and formats ----
 * The columns, their order, whether a cell is required, the natural key and
 * the limits in bytes come from the one description of each kind
 * (engraft/columns.h); what a cell must look like is this table, the one
 * place it is written for the command line (the man page's CSV KINDS lists
 * the same lines, and tests/cli/importhelp.sh keeps them equal). */
struct col_format {
	const char *kind;  /* NULL: the column of that name in every kind */
	const char *col;   /* NULL: every other column of the kind */
	const char *text;
	int vocab;         /* enum ef_vocab whose words follow the text, or -1 */
	int digit_max;     /* >= 0: one digit from 0 to this follows */
	const char *after; /* after the words or digits */
	int show_max;      /* free text: say the limit in bytes */
};

#define DATE_PAST "date YYYY-MM-DD, not in the future, not before birth, not after death"

static const struct col_format col_formats[] = {
	{"patients", "mrn", "printable ASCII without spaces", -1, -1, NULL, 1},
	{NULL, "mrn", "the MRN of a patient on record", -1, -1, NULL, 0},
	{NULL, "family_name", "text on one line", -1, -1, NULL, 1},
	{NULL, "given_name", "text on one line", -1, -1, NULL, 1},
	{NULL, "birth_date", "date YYYY-MM-DD, not in the future", -1, -1, NULL, 0},
	{NULL, "sex", "one of: ", EF_V_SEX, -1, " (empty: unknown)", 0},
	{NULL, "diagnosis", "free text (TAB and line breaks allowed)", -1, -1, NULL, 1},
	{NULL, "transplant_date", DATE_PAST " (day 0)", -1, -1, NULL, 0},
	{NULL, "type", "one of: ", EF_V_HCT_TYPE, -1, NULL, 0},
	{NULL, "graft_source", "one of: ", EF_V_GRAFT, -1, NULL, 0},
	{NULL, "donor", "one of: ", EF_V_DONOR, -1, " (autologous: self; empty: not recorded)", 0},
	{NULL, "conditioning", "one of: ", EF_V_CONDITIONING, -1, " (empty: not recorded)", 0},
	{NULL, "collected_on",
	 "date YYYY-MM-DD or local date-time YYYY-MM-DDTHH:MM[:SS], not after now, not before birth, not after "
	 "death", -1, -1, NULL, 0},
	{NULL, "test", "a test code: ", -1, -1, NULL, 0}, /* the codes follow (print_format) */
	{NULL, "value", "decimal number with a point (0.5, 12), optionally after < or > (<0.1)", -1, -1, NULL, 1},
	{NULL, "unit", "a unit the test accepts (10*9/L, K/uL, cells/uL, mg/dL, g/L, umol/L...), converted, never "
		       "guessed", -1, -1, NULL, 1},
	{NULL, "given_on", DATE_PAST, -1, -1, NULL, 0},
	{NULL, "product", "one of: ", EF_V_PRODUCT, -1, NULL, 0},
	{NULL, "vaccine", "a series code (FLU, PCV, PPSV23, TDAP, HIB, HEPB, HEPA, IPV, MENACWY, MENB, HPV, RZV, "
			  "COVID19, MMR, VAR) or a CVX code of cvx.csv, kept as written", -1, -1, NULL, 1},
	{NULL, "lot", "text; required when source is administered", -1, -1, NULL, 1},
	{NULL, "site", "text (TAB and line breaks allowed); required when source is administered", -1, -1, NULL, 1},
	{NULL, "given_by", "text (TAB and line breaks allowed)", -1, -1, NULL, 1},
	{NULL, "source", "one of: administered, historical (empty: historical)", -1, -1, NULL, 0},
	{NULL, "override_reason",
	 "why an administered live dose was given while the live-vaccine gate was closed; one line", -1, -1, NULL, 1},
	{NULL, "assessed_on", DATE_PAST, -1, -1, NULL, 0},
	{"gvhd-acute", "upper_gi", "MAGIC stage, one digit ", -1, EF_AGVHD_MAX_UPPER_GI, NULL, 0},
	{"gvhd-acute", NULL, "MAGIC stage, one digit ", -1, EF_AGVHD_MAX_STAGE, NULL, 0},
	{"gvhd-chronic", NULL, "NIH organ score, one digit ", -1, EF_CGVHD_MAX_SCORE, NULL, 0},
	{NULL, "drug", "text: the drug's name (tacrolimus, ciclosporin...)", -1, -1, NULL, 1},
	{NULL, "started_on", DATE_PAST, -1, -1, NULL, 0},
	{NULL, "stopped_on", "date YYYY-MM-DD, not before started_on (empty: ongoing)", -1, -1, NULL, 0},
	{NULL, "dose_g", "positive decimal number of grams (12, 27.5)", -1, -1, NULL, 1},
	{NULL, "recorded_on", DATE_PAST, -1, -1, NULL, 0},
	{NULL, "status", "one of: ", EF_V_STATUS, -1, NULL, 0},
	{NULL, "note", "free text (TAB and line breaks allowed)", -1, -1, NULL, 1},
	{NULL, "item", "a screening item of screening.csv (DENTAL, EYE...) or a registry item of registry_forms.csv "
		       "(CIBMTR, CIBMTR-CT)", -1, -1, NULL, 1},
	{NULL, "time_point", "a time point of the item: M12, M24... (screening), D100, M6, Y1... (registry)", -1, -1,
	 NULL, 1},
	{NULL, "done_on", DATE_PAST ", not before day 0 (the first transplant)", -1, -1, NULL, 0},
	{NULL, "entered_in_error", "why the row was entered in error, one line (empty: valid)", -1, -1, NULL, 1},
};

/* The format of column `col` of `kind`: the kind's own line, then the
 * column's line for every kind, then the kind's line for its other
 * columns; NULL when the table has none (importhelp.sh fails on that). */
static const struct col_format *format_of(const char *kind, const char *col)
{
	for (size_t i = 0; i < NELEM(col_formats); i++)
		if (col_formats[i].kind && col_formats[i].col && strcmp(col_formats[i].kind, kind) == 0 &&
		    strcmp(col_formats[i].col, col) == 0)
			return &col_formats[i];
	for (size_t i = 0; i < NELEM(col_formats); i++)
		if (!col_formats[i].kind && strcmp(col_formats[i].col, col) == 0)
			return &col_formats[i];
	for (size_t i = 0; i < NELEM(col_formats); i++)
		if (col_formats[i].kind && !col_formats[i].col && strcmp(col_formats[i].kind, kind) == 0)
			return &col_formats[i];
	return NULL;
}

static void format_text(const char *kind, const struct store_col *c, char *out, size_t size)
{
	const struct col_format *f = format_of(kind, c->name);
	size_t o = 0;
#define ADD(...)                                                                 \
	do {                                                                     \
		int w_ = snprintf(out + o, size - o, __VA_ARGS__);               \
		if (w_ > 0)                                                      \
			o = (size_t)w_ < size - o ? o + (size_t)w_ : size - 1; \
	} while (0)
	out[0] = '\0';
	if (!f) {
		ADD("(format not described: see the man page)");
		return;
	}
	ADD("%s", f->text);
	if (f->vocab >= 0)
		ADD("%s", ef_vocab_words((enum ef_vocab)f->vocab));
	if (f->digit_max >= 0)
		ADD("0-%d", f->digit_max);
	if (strcmp(c->name, "test") == 0 && strcmp(kind, "labs") == 0)
		for (int t = 0; t < EF_T_COUNT; t++)
			ADD("%s%s", t ? ", " : "", ef_test_code((enum ef_test)t));
	if (f->after)
		ADD("%s", f->after);
	if (f->show_max)
		ADD("; at most %u bytes", (unsigned)c->max);
#undef ADD
}

/* 72 columns: the man page shows the same lines, indented by 7 */
#define HELP_COLS 72

/* text from column x to HELP_COLS, wrapped at blanks, later lines indented to x */
static void print_wrapped(FILE *out, int x, const char *text)
{
	int width = HELP_COLS - x;
	const char *p = text;
	int first = 1;
	while (*p) {
		size_t n = strlen(p);
		if ((int)n > width) {
			n = (size_t)width;
			while (n > 0 && p[n] != ' ')
				n--;
			if (n == 0)
				n = (size_t)width;
		}
		if (!first)
			fprintf(out, "%*s", x, "");
		fprintf(out, "%.*s\n", (int)n, p);
		first = 0;
		p += n;
		while (*p == ' ')
			p++;
	}
	if (first)
		fputc('\n', out);
}

static void print_kind_columns(FILE *out, enum store_kind k)
{
	const struct store_kind_desc *d = &store_kinds[k];
	fprintf(out, "Columns of %s (natural key:", d->name);
	int n = 0;
	for (size_t i = 0; i < d->ncol; i++)
		if (d->col[i].csv && (d->col[i].flags & SC_KEY))
			fprintf(out, "%s %s", n++ ? "," : "", d->col[i].name);
	fprintf(out, "):\n");
	for (size_t i = 0; i < d->ncol; i++) {
		const struct store_col *c = &d->col[i];
		if (!c->csv)
			continue;
		char fmt[512];
		format_text(d->name, c, fmt, sizeof fmt);
		fprintf(out, "  %s (%s%s)\n      ", c->name, (c->flags & SC_REQ) ? "required" : "optional",
			(c->flags & SC_KEY) ? ", key" : "");
		print_wrapped(out, 6, fmt);
	}
}

static const char *help_kind;

static void import_help_more(FILE *out)
{
	enum store_kind k;
	if (help_kind && ef_kind_parse(help_kind, &k) == 0) {
		fputc('\n', out);
		print_kind_columns(out, k);
		return;
	}
	fprintf(out, "\nKinds and their columns (* required; engraft import KIND --help gives\n"
		     "each column's format):\n");
	for (int i = 0; i < STORE_K_COUNT; i++) {
		const struct store_kind_desc *d = &store_kinds[i];
		char line[1024];
		size_t o = 0;
		line[0] = '\0';
		for (size_t c = 0; c < d->ncol; c++)
			if (d->col[c].csv) {
				int w = snprintf(line + o, sizeof line - o, "%s%s%s", o ? ", " : "", d->col[c].name,
						 (d->col[c].flags & SC_REQ) ? "*" : "");
				if (w > 0 && (size_t)w < sizeof line - o)
					o += (size_t)w;
			}
		fprintf(out, "  %s\n      ", d->name);
		print_wrapped(out, 6, line);
	}
}

/* `import [KIND] --help` (-h): the command's help, and the columns of
 * KIND, or of every kind. Returns -1 (exit 0) when it printed the help,
 * EF_USAGE for an unknown KIND, 0 when there is no --help. */
static int import_help(int argc, char **argv)
{
	int help = 0;
	const char *kind = NULL;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			help = 1;
		else if (argv[i][0] != '-' && !kind)
			kind = argv[i];
	}
	if (!help)
		return 0;
	enum store_kind k;
	if (kind && (strcmp(kind, "hl7") == 0 || strcmp(kind, "fhir") == 0)) {
		cli_print_command_help_more(stdout, cli_command(cmd_import), cli_hl7_help);
		return -1;
	}
	if (kind && ef_kind_parse(kind, &k))
		return cli_fail(EF_USAGE, "import: unknown KIND '%s' (see engraft import --help)", kind);
	help_kind = kind;
	cli_print_command_help_more(stdout, cli_command(cmd_import), import_help_more);
	return -1;
}

int cmd_import(struct cli *c, int argc, char **argv)
{
	const char *pos[2];
	int npos;
	int rc = import_help(argc, argv);
	if (rc)
		return rc;
	rc = cli_parse(cli_command(cmd_import), argc, argv, NULL, pos, 2, 2, &npos);
	if (rc)
		return rc;
	enum store_kind kind;
	int hl7 = strcmp(pos[0], "hl7") == 0, fhir = strcmp(pos[0], "fhir") == 0;
	if (!hl7 && !fhir && ef_kind_parse(pos[0], &kind))
		return cli_fail(EF_USAGE, "import: unknown KIND '%s' (see engraft import --help)", pos[0]);
	FILE *in = stdin;
	const char *name = pos[1];
	if (strcmp(pos[1], "-") == 0) {
		name = "-";
	} else {
		struct stat st;
		if (stat(pos[1], &st) == 0 && S_ISDIR(st.st_mode))
			return cli_fail(EF_INVALID, "%s: is a directory", pos[1]);
		in = fopen(pos[1], "rb");
		if (!in)
			return cli_fail(EF_INVALID, "%s: %s", pos[1], strerror(errno));
	}
	if (hl7 || fhir) {
		rc = hl7 ? cli_import_hl7(c, in, name) : cli_import_fhir(c, in, name);
		if (in != stdin)
			fclose(in);
		return rc;
	}
	struct ef_err err = {{0}};
	if ((rc = cli_open(c, &err))) {
		if (in != stdin)
			fclose(in);
		return cli_fail_err(rc, &err);
	}
	struct app_env env = cli_env(c, NULL);
	struct ef_import_result res;
	rc = app_import_file(&env, c->now_sec, kind, in, name, print_diag, NULL, &res, &err);
	if (in != stdin)
		fclose(in);
	if (rc)
		return cli_fail_err(rc, &err);
	printf("%s: %ld row%s: %ld inserted, %ld updated, %ld unchanged\n", name, res.rows, res.rows == 1 ? "" : "s",
	       res.inserted, res.updated, res.unchanged);
	return EF_OK;
}
