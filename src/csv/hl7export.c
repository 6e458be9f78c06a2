/* hl7export.c - `export vxu`: one VXU^V04 message (MSH, PID, ORC, RXA, RXR)
 * per dose given here, for the immunization registry (interop.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engraft/hl7.h"
#include "engraft/interop.h"
#include "engraft/text.h"

/* The doses of the vaccinations export, in its column order. */
enum { V_MRN, V_VACCINE, V_GIVEN_ON, V_LOT, V_SITE, V_GIVEN_BY, V_SOURCE, V_OVERRIDE, V_EIE, V_NCOL };

struct dose {
	char *v[V_NCOL];
};

struct collect {
	struct dose *d;
	size_t n, cap;
	ef_day since;
	long problems;
	ef_diag_fn diag;
	void *diag_ctx;
};

static int is_cvx(const char *s)
{
	return s && *s && strspn(s, "0123456789") == strlen(s);
}

static int collect_row(void *ctx, const char *const *values, size_t n, struct ef_err *err)
{
	struct collect *c = ctx;
	if (n < V_NCOL)
		return ef_errf(err, EF_DB, "export vxu: the vaccinations export has %zu columns, not %d", n, V_NCOL);
	if (!values[V_SOURCE] || strcmp(values[V_SOURCE], "administered") != 0)
		return EF_OK; /* historical doses are not ours to report */
	ef_day on;
	if (!values[V_GIVEN_ON] || ef_date_parse(values[V_GIVEN_ON], strlen(values[V_GIVEN_ON]), &on))
		return ef_errf(err, EF_DB, "export vxu: a dose without a valid given_on");
	if (c->since != EF_NO_DAY && on < c->since)
		return EF_OK;
	int eie = values[V_EIE] && values[V_EIE][0];
	if (!is_cvx(values[V_VACCINE])) {
		/* a dose recorded by series code cannot be reported (the registry
		 * needs the product's CVX code); one entered in error was never
		 * sent, so there is nothing to withdraw */
		if (eie)
			return EF_OK;
		char msg[512], m[128], v[64];
		ef_text_escape(values[V_MRN] ? values[V_MRN] : "", m, sizeof m);
		ef_text_escape(values[V_VACCINE] ? values[V_VACCINE] : "", v, sizeof v);
		snprintf(msg, sizeof msg,
			 "export vxu: %s: the dose of %s given %s is recorded by series code, and the registry needs the "
			 "product's CVX code (record the dose again by its CVX code and mark this one entered in error)",
			 m, v, values[V_GIVEN_ON]);
		c->problems++;
		if (c->diag)
			c->diag(c->diag_ctx, msg);
		return EF_OK;
	}
	if (c->n == c->cap) {
		size_t nc = c->cap ? c->cap * 2 : 64;
		struct dose *d = realloc(c->d, nc * sizeof *d);
		if (!d)
			return ef_errf(err, EF_DB, "out of memory");
		c->d = d;
		c->cap = nc;
	}
	struct dose *d = &c->d[c->n];
	memset(d, 0, sizeof *d);
	for (int i = 0; i < V_NCOL; i++)
		if (values[i] && !(d->v[i] = strdup(values[i]))) {
			for (int k = 0; k < i; k++)
				free(d->v[k]);
			return ef_errf(err, EF_DB, "out of memory");
		}
	c->n++;
	return EF_OK;
}

/* Write text escaped for HL7 (the default encoding characters). */
static void put(FILE *out, const char *s)
{
	if (!s || !*s)
		return;
	char buf[1024];
	size_t need = ef_hl7_escape(&ef_hl7_default_enc, s, buf, sizeof buf);
	if (need < sizeof buf) {
		fputs(buf, out);
		return;
	}
	char *big = malloc(need + 1);
	if (!big) {
		fputs(buf, out); /* unreachable in practice: stored texts are short */
		return;
	}
	ef_hl7_escape(&ef_hl7_default_enc, s, big, need + 1);
	fputs(big, out);
	free(big);
}

/* YYYY-MM-DD as YYYYMMDD */
static void put_date(FILE *out, const char *iso)
{
	if (iso && strlen(iso) >= 10)
		fprintf(out, "%.4s%.2s%.2s", iso, iso + 5, iso + 8);
}

/* An HL7 table 0163 body site code (LD, RA, LVL...) or free text. */
static int is_site_code(const char *s)
{
	size_t n = strlen(s);
	return n >= 2 && n <= 3 && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") == n;
}

int ef_export_vxu(struct store *s, ef_day since, const char *mrn, const char *stamp, FILE *out, long *messages,
		  ef_diag_fn diag, void *diag_ctx, struct ef_err *err)
{
	*messages = 0;
	struct collect c = {.since = since, .diag = diag, .diag_ctx = diag_ctx};
	int rc = store_export_rows(s, STORE_K_VACCINATIONS, EF_NO_DAY, mrn, collect_row, &c, err);
	if (rc == EF_OK && c.problems)
		rc = ef_errf(err, EF_INVALID, "export vxu: %ld dose%s cannot be reported; nothing written", c.problems,
			     c.problems == 1 ? "" : "s");
	struct ef_patient p = {0};
	for (size_t i = 0; i < c.n && rc == EF_OK; i++) {
		const struct dose *d = &c.d[i];
		if (i == 0 || strcmp(d->v[V_MRN], c.d[i - 1].v[V_MRN]) != 0) {
			int64_t id;
			if ((rc = store_patient_id(s, d->v[V_MRN], strlen(d->v[V_MRN]), &id, NULL, err)))
				break;
			if (!id || (rc = store_patient_get(s, id, &p, err))) {
				rc = rc ? rc : ef_errf(err, EF_DB, "export vxu: patient %s vanished", d->v[V_MRN]);
				break;
			}
		}
		int eie = d->v[V_EIE] && d->v[V_EIE][0];
		/* MSH: engraft, the time of the export, a control id unique in it */
		fprintf(out, "MSH|^~\\&|ENGRAFT||||%s||VXU^V04^VXU_V04|EF%s-%zu|P|2.5.1|||ER|AL|||||Z22^CDCPHINVS\r",
			stamp, stamp, i + 1);
		fputs("PID|1||", out);
		put(out, p.mrn);
		fputs("^^^ENGRAFT^MR||", out);
		put(out, p.family_name);
		fputc('^', out);
		put(out, p.given_name);
		fputs("^^^^^L||", out);
		char b[11];
		ef_date_format(p.birth, b);
		put_date(out, b);
		fprintf(out, "|%s\r", p.sex == EF_SEX_F ? "F" : p.sex == EF_SEX_M ? "M" : p.sex == EF_SEX_X ? "O" : "U");
		/* ORC-3: the dose's own identifier (its natural key) */
		fputs("ORC|RE||", out);
		put(out, d->v[V_MRN]);
		fputc('-', out);
		put(out, d->v[V_VACCINE]);
		fputc('-', out);
		put_date(out, d->v[V_GIVEN_ON]);
		fputs("^ENGRAFT\r", out);
		fputs("RXA|0|1|", out);
		put_date(out, d->v[V_GIVEN_ON]);
		fputc('|', out);
		put_date(out, d->v[V_GIVEN_ON]);
		fputc('|', out);
		put(out, d->v[V_VACCINE]);
		fputs("^^CVX|999|||00^New immunization record^NIP001|", out);
		if (d->v[V_GIVEN_BY] && d->v[V_GIVEN_BY][0]) {
			fputc('^', out);
			put(out, d->v[V_GIVEN_BY]);
		}
		fputs("|||||", out); /* RXA-11 to RXA-14 empty; RXA-15 the lot */
		put(out, d->v[V_LOT]);
		fprintf(out, "|||||CP|%s\r", eie ? "D" : "A");
		fputs("RXR||", out);
		if (d->v[V_SITE] && is_site_code(d->v[V_SITE])) {
			put(out, d->v[V_SITE]);
			fputs("^^HL70163", out);
		} else if (d->v[V_SITE]) {
			fputc('^', out);
			put(out, d->v[V_SITE]);
		}
		fputc('\r', out);
		(*messages)++;
	}
	for (size_t i = 0; i < c.n; i++)
		for (int k = 0; k < V_NCOL; k++)
			free(c.d[i].v[k]);
	free(c.d);
	if (rc == EF_OK && ferror(out))
		rc = ef_errf(err, EF_DB, "export vxu: write failed");
	return rc;
}
