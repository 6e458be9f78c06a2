/* cmd_letter.c - `engraft letter MRN [-o FILE] [--as-of DATE] [--clinic TEXT]`:
 * a plain-text letter to the patient, for printing: who it is for, the
 * doses due now or overdue, the doses that cannot be given yet and why, in
 * plain words, and the next appointments (doses coming due within six
 * months). The doses are the vaccine forecast that `due`, `export due` and
 * the worklist show (ef_vaccines_forecast): no second scheduler. Lines are
 * wrapped at 72 columns; names are printed as they are (UTF-8), with any
 * control character escaped. -o writes the file atomically, as export does. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli_int.h"
#include "engraft/outfile.h"
#include "engraft/refstore.h"
#include "engraft/text.h"
#include "engraft/timeline.h"
#include "engraft/vaccines.h"
#include "engraft/vital.h"

#define LETTER_WIDTH 72
#define LETTER_MONTHS 6 /* the next appointments: doses coming due within this many months */

/* The series codes (docs/formats.md) in words a patient reads. */
static const struct {
	const char *code, *name;
} vaccine_names[] = {
	{"FLU", "influenza (flu)"},
	{"PCV", "pneumococcal conjugate"},
	{"PPSV23", "pneumococcal polysaccharide"},
	{"TDAP", "tetanus, diphtheria, pertussis"},
	{"HIB", "Haemophilus influenzae type b"},
	{"HEPB", "hepatitis B"},
	{"HEPA", "hepatitis A"},
	{"VAR", "varicella (chickenpox, live)"},
	{"IPV", "polio, inactivated"},
	{"MENACWY", "meningococcal ACWY"},
	{"MENB", "meningococcal B"},
	{"HPV", "human papillomavirus"},
	{"RZV", "shingles (recombinant zoster)"},
	{"COVID19", "COVID-19"},
	{"MMR", "measles, mumps, rubella (live)"},
};

static const char *vaccine_name(const char *code)
{
	for (size_t i = 0; i < sizeof vaccine_names / sizeof vaccine_names[0]; i++)
		if (strcmp(vaccine_names[i].code, code) == 0)
			return vaccine_names[i].name;
	return code;
}

/* ---- text wrapped at 72 columns ---- */

/* Columns of UTF-8 text (one a character). */
static size_t columns(const char *s, size_t n)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i++)
		c += ((unsigned char)s[i] & 0xC0) != 0x80;
	return c;
}

/* Write text wrapped at LETTER_WIDTH: the first line after `first`
 * (e.g. "  * "), the next ones indented by as many columns. A word longer
 * than a line is written whole on its own line (never cut). */
static void wrap(FILE *out, const char *first, const char *text)
{
	size_t indent = columns(first, strlen(first));
	size_t col = indent;
	fputs(first, out);
	int at_start = 1;
	const char *p = text;
	while (*p) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		size_t n = strcspn(p, " ");
		size_t w = columns(p, n);
		if (!at_start && col + 1 + w > LETTER_WIDTH) {
			fprintf(out, "\n%*s", (int)indent, "");
			col = indent;
			at_start = 1;
		}
		if (!at_start) {
			fputc(' ', out);
			col++;
		}
		fwrite(p, 1, n, out);
		col += w;
		at_start = 0;
		p += n;
	}
	fputc('\n', out);
}

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static void wrapf(FILE *out, const char *first, const char *fmt, ...)
{
	char text[4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof text, fmt, ap);
	va_end(ap);
	wrap(out, first, text);
}

/* ---- why a dose cannot be given yet, in plain words ---- */

/* One condition of the forecaster's reason (vaccines.c: the live-vaccine
 * gate and the prerequisites) in words; anything else as it is. */
static void plain_condition(const char *c, char *out, size_t size)
{
	char d[16], what[128];
	int months, dose;
	if (sscanf(c, "transplant %10s < %d months", d, &months) == 2)
		snprintf(out, size, "less than %d months have passed since your transplant on %s", months, d);
	else if (strncmp(c, "on immunosuppression (", 22) == 0)
		snprintf(out, size, "you are taking medicine that lowers the immune system (%s", c + 22);
	else if (sscanf(c, "immunosuppression stopped %10s < %d months", d, &months) == 2)
		snprintf(out, size, "your medicine that lowers the immune system stopped on %s, less than %d months ago", d,
			 months);
	else if (sscanf(c, "IVIG %10s < %d months", d, &months) == 2)
		snprintf(out, size, "you were given immunoglobulin (IVIG) on %s, less than %d months ago", d, months);
	else if (strncmp(c, "active acute GVHD (", 19) == 0)
		snprintf(out, size, "you have active acute graft-versus-host disease (GVHD, %s", c + 19);
	else if (strncmp(c, "active chronic GVHD (", 21) == 0)
		snprintf(out, size, "you have active chronic graft-versus-host disease (GVHD, %s", c + 21);
	else if (sscanf(c, "needs %127[^:]:%d first", what, &dose) == 2)
		snprintf(out, size, "dose %d of %s must be given first", dose, vaccine_name(what));
	else
		snprintf(out, size, "%s", c);
}

static void plain_reason(const char *reason, char *out, size_t size)
{
	size_t k = 0;
	out[0] = '\0';
	const char *p = reason;
	while (*p && k + 1 < size) {
		size_t n = strcspn(p, ";");
		char cond[EF_REASON_LEN], words[EF_REASON_LEN + 200];
		snprintf(cond, sizeof cond, "%.*s", (int)n, p);
		plain_condition(cond, words, sizeof words);
		k += (size_t)snprintf(out + k, size - k, "%s%s", k ? "; " : "", words);
		p += n;
		while (*p == ';' || *p == ' ')
			p++;
	}
}

/* ---- the letter ---- */

struct letter {
	const struct ef_reference *ref;
	ef_day as_of;
	const char *clinic;      /* NULL: no clinic line */
	FILE *out;
	struct ef_due_list l;
	int found;
	int out_of_care;         /* the patient is not in this clinic's care */
	char why[64];
};

static int cmp_due(const void *a, const void *b)
{
	const struct ef_due *x = a, *y = b;
	if (x->due_on != y->due_on)
		return x->due_on == EF_NO_DAY ? 1 : y->due_on == EF_NO_DAY ? -1 : x->due_on < y->due_on ? -1 : 1;
	return strcmp(x->series, y->series);
}

static int write_letter(void *ctx, const struct ef_timeline *tl, struct ef_err *err)
{
	struct letter *L = ctx;
	L->found = 1;
	struct ef_vital v;
	ef_vital_status(tl, L->as_of, &v);
	if (!v.in_care) {
		L->out_of_care = 1;
		snprintf(L->why, sizeof L->why, "%s", v.deceased ? "deceased" : "transferred or lost to follow-up");
		return EF_OK;
	}
	int rc = ef_vaccines_forecast(tl, L->ref, L->as_of, &L->l, err);
	if (rc)
		return rc;
	if (L->l.n > 1)
		qsort(L->l.v, L->l.n, sizeof L->l.v[0], cmp_due);
	FILE *out = L->out;
	char family[4 * sizeof tl->patient.family_name], given[4 * sizeof tl->patient.given_name],
		mrn[4 * sizeof tl->patient.mrn], clinic[1024];
	ef_text_escape(tl->patient.family_name, family, sizeof family);
	ef_text_escape(tl->patient.given_name, given, sizeof given);
	ef_text_escape(tl->patient.mrn, mrn, sizeof mrn);
	char today[11], birth[11], until[11];
	ef_date_format(L->as_of, today);
	ef_date_format(tl->patient.birth, birth);
	ef_day horizon = ef_ref_add_months(L->ref, L->as_of, LETTER_MONTHS);
	ef_date_format(horizon, until);
	const struct ef_transplant *tp = ef_current_transplant(tl, L->as_of);

	if (L->clinic) {
		ef_text_escape(L->clinic, clinic, sizeof clinic);
		wrap(out, "", clinic);
	}
	const char *title = "Your vaccinations after your transplant";
	fprintf(out, "%s%*s\n\n", title, (int)(LETTER_WIDTH - strlen(title)), today);
	wrapf(out, "Patient:        ", "%s %s", given, family);
	wrapf(out, "MRN:            ", "%s", mrn);
	fprintf(out, "Date of birth:  %s\n", birth[0] ? birth : "not recorded");
	if (tp) {
		char d0[11];
		ef_date_format(tp->day0, d0);
		fprintf(out, "Transplant:     %s\n", d0);
	} else {
		fprintf(out, "Transplant:     none recorded\n");
	}
	fputc('\n', out);
	wrapf(out, "", "Dear %s %s,", given, family);
	fputc('\n', out);
	wrapf(out, "",
	      "after a stem cell transplant the vaccinations you had before no longer protect you, and you need them "
	      "again. This letter lists them as of %s.",
	      today);
	if (!tp) {
		fputc('\n', out);
		wrap(out, "", "No transplant is recorded for you at this clinic, so no vaccination is scheduled yet.");
	}

	fprintf(out, "\nDue now or overdue\n");
	int n = 0;
	for (size_t i = 0; i < L->l.n; i++) {
		const struct ef_due *e = &L->l.v[i];
		if (e->status != EF_DUE_DUE && e->status != EF_DUE_OVERDUE)
			continue;
		char d[11];
		ef_date_format(e->due_on, d);
		wrapf(out, "  * ", "%s, dose %d (%s:%d): due since %s%s.", vaccine_name(e->series), e->dose, e->series,
		      e->dose, d, e->status == EF_DUE_OVERDUE ? ", overdue" : "");
		n++;
	}
	if (!n)
		fprintf(out, "  None.\n");

	fprintf(out, "\nNot possible yet\n");
	n = 0;
	for (size_t i = 0; i < L->l.n; i++) {
		const struct ef_due *e = &L->l.v[i];
		if (e->status != EF_DUE_BLOCKED)
			continue;
		char d[11], why[2 * EF_REASON_LEN + 400];
		ef_date_format(e->due_on, d);
		plain_reason(e->reason, why, sizeof why);
		if (e->due_on != EF_NO_DAY)
			wrapf(out, "  * ", "%s, dose %d (%s:%d): not before %s, because %s.", vaccine_name(e->series),
			      e->dose, e->series, e->dose, d, why);
		else
			wrapf(out, "  * ", "%s, dose %d (%s:%d): not yet, because %s.", vaccine_name(e->series), e->dose,
			      e->series, e->dose, why);
		n++;
	}
	if (!n)
		fprintf(out, "  None.\n");

	fprintf(out, "\nNext appointments (doses coming due until %s)\n", until);
	n = 0;
	for (size_t i = 0; i < L->l.n; i++) {
		const struct ef_due *e = &L->l.v[i];
		if (e->status != EF_DUE_UPCOMING || e->due_on == EF_NO_DAY || e->due_on > horizon)
			continue;
		char d[11];
		ef_date_format(e->due_on, d);
		wrapf(out, "  * ", "%s, dose %d (%s:%d): from %s.", vaccine_name(e->series), e->dose, e->series,
		      e->dose, d);
		n++;
	}
	if (!n)
		fprintf(out, "  None in this time.\n");
	fputc('\n', out);
	wrap(out, "",
	     "Please bring this letter and your vaccination record to your next visit. If you have a fever, an "
	     "infection or new medicines on the day, tell the nurse before the vaccination.");
	return EF_OK;
}

int cmd_letter(struct cli *c, int argc, char **argv)
{
	const char *output = NULL, *as_of_s = NULL, *clinic = NULL;
	const struct cli_opt opts[] = {{"output", 1, &output}, {"as-of", 1, &as_of_s}, {"clinic", 1, &clinic}, {0, 0, 0}};
	const char *pos[1];
	int npos;
	int rc = cli_parse(cli_command(cmd_letter), argc, argv, opts, pos, 1, 1, &npos);
	if (rc)
		return rc;
	ef_day as_of = c->today;
	if (as_of_s && (rc = cli_date("as-of", as_of_s, c->today, &as_of)))
		return rc;
	if (as_of > c->today)
		return cli_fail(EF_USAGE, "letter: --as-of %s is after today", as_of_s);
	if (clinic && ef_text_problem(clinic, strlen(clinic), 0))
		return cli_fail(EF_USAGE, "letter: --clinic: %s", ef_text_problem(clinic, strlen(clinic), 0));
	struct ef_err err = {{0}};
	struct ef_reference ref;
	if ((rc = cli_reference(c, &ref, &err)))
		return cli_fail_err(rc, &err);
	/* the patient first: an unknown MRN touches no file */
	int64_t id = 0;
	ef_day birth;
	if ((rc = store_patient_id(c->store, pos[0], strlen(pos[0]), &id, &birth, &err))) {
		ef_reference_free(&ref);
		return cli_fail_err(rc, &err);
	}
	if (!id) {
		ef_reference_free(&ref);
		return cli_fail(EF_INVALID, "letter: no patient with MRN '%s'", pos[0]);
	}
	/* written to memory first: a patient out of care gets no letter and
	 * no file */
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	if (!mem) {
		ef_reference_free(&ref);
		return cli_fail(EF_DB, "out of memory");
	}
	struct letter L = {&ref, as_of, clinic, mem, {0}, 0, 0, ""};
	ef_due_list_init(&L.l);
	rc = store_each_timeline_parts(c->store, as_of, pos[0], STORE_TL_VACCINES, write_letter, &L, &err);
	ef_due_list_free(&L.l);
	ef_reference_free(&ref);
	if (fclose(mem) != 0 && !rc)
		rc = ef_errf(&err, EF_DB, "out of memory");
	if (rc == EF_OK && !L.found)
		rc = ef_errf(&err, EF_INVALID, "letter: no patient with MRN '%s'", pos[0]);
	if (rc == EF_OK && L.out_of_care)
		rc = ef_errf(&err, EF_INVALID, "letter: the patient with MRN '%s' is not in this clinic's care (%s): no letter",
			     pos[0], L.why);
	if (rc) {
		free(buf);
		return cli_fail_err(rc, &err);
	}
	FILE *out = stdout;
	struct store_outfile of = {0};
	if (output && strcmp(output, "-") != 0) {
		if ((rc = store_outfile_open(c->store, output, "letter", &of, &err))) {
			free(buf);
			return cli_fail_err(rc, &err);
		}
		out = of.f;
	}
	if (len && fwrite(buf, 1, len, out) != len)
		rc = ef_errf(&err, EF_DB, "cannot write the letter: %s", strerror(errno));
	free(buf);
	if (out != stdout) {
		if (rc)
			store_outfile_abort(&of);
		else
			rc = store_outfile_commit(&of, &err);
	} else if (fflush(stdout) != 0 && !rc) {
		rc = ef_errf(&err, EF_DB, "standard output: %s", strerror(errno));
	}
	return rc ? cli_fail_err(rc, &err) : EF_OK;
}
