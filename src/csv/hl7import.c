/* hl7import.c - HL7 v2 ORU^R01 results and VXU^V04 doses into the record
 * (interop.h): every OBX or RXA becomes the cells of one labs or
 * vaccinations row, checked and written by ef_enter_row, the CSV
 * importer's own checks, inside the caller's transaction. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engraft/hl7.h"
#include "engraft/interop.h"
#include "engraft/refstore.h"
#include "engraft/sha256.h"
#include "engraft/units.h"
#include "said.h"

int ef_interop_read(FILE *in, const char *name, char **buf, size_t *len, char sha_hex[65], struct ef_err *err)
{
	size_t cap = 1 << 16, n = 0;
	char *b = malloc(cap + 1);
	if (!b)
		return ef_errf(err, EF_DB, "out of memory");
	for (;;) {
		if (n == cap) {
			if (cap >= EF_INTEROP_MAX_FILE) {
				free(b);
				return ef_errf(err, EF_INVALID, "%s: larger than %u MiB; split it into smaller files", name,
					       EF_INTEROP_MAX_FILE >> 20);
			}
			size_t nc = cap * 2 > EF_INTEROP_MAX_FILE ? EF_INTEROP_MAX_FILE : cap * 2;
			char *nb = realloc(b, nc + 1);
			if (!nb) {
				free(b);
				return ef_errf(err, EF_DB, "out of memory");
			}
			b = nb;
			cap = nc;
		}
		size_t got = fread(b + n, 1, cap - n, in);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(in)) {
		int e = errno;
		free(b);
		return ef_errf(err, EF_INVALID, "%s: cannot read: %s", name, strerror(e));
	}
	if (n == cap && fgetc(in) != EOF) {
		free(b);
		return ef_errf(err, EF_INVALID, "%s: larger than %u MiB; split it into smaller files", name,
			       EF_INTEROP_MAX_FILE >> 20);
	}
	b[n] = '\0';
	ef_sha256_hex_of(b, n, sha_hex);
	*buf = b;
	*len = n;
	return EF_OK;
}

/* ---- the records of a file ---- */

#define LAB_CELLS 6   /* mrn, collected_on, test, value, unit, entered_in_error */
#define DOSE_CELLS 9  /* mrn, vaccine, given_on, lot, site, given_by, source, override_reason, entered_in_error */
#define CELL_MAX 512

struct rec {
	enum store_kind kind;
	long line;                 /* the OBX or RXA */
	long pid_line, date_line, site_line;
	const char *date_field;    /* "OBX-14", "OBR-7", "RXA-3" */
	int replaced;              /* a later record of the file has its key */
	char *buf;                 /* the cells, one after the other */
	const char *cell[DOSE_CELLS];
};

struct hctx {
	struct store *s;
	const char *name;
	const struct ef_import_opts *opts;
	struct ef_hl7_result *res;
	struct ef_err *err;
	struct ef_reference loinc;
	long bad;                  /* records or segments with a problem */
	struct rec *recs;
	size_t n, cap;
	/* while one record is entered: where its columns came from */
	const struct rec *cur;
	/* the record being read, before compact() keeps what it needs */
	char scratch[DOSE_CELLS][CELL_MAX];
	struct said_list said; /* the problems, told in the order of the file at the end */
};


static void say(struct hctx *h, long line, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 3, 4)))
#endif
	;

static void say(struct hctx *h, long line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	said_add(&h->said, h->opts, line, fmt, ap);
	va_end(ap);
}


/* A problem with the segment on `line`, at field `fld` ("OBX-3"). */
#define BAD(h, line, fld, ...) (say((h), (long)(line), "%s:%ld: %s: %s", (h)->name, (long)(line), (fld), fmtbuf(__VA_ARGS__)))

static const char *fmtbuf(const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 1, 2)))
#endif
	;

static const char *fmtbuf(const char *fmt, ...)
{
	static char b[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(b, sizeof b, fmt, ap);
	va_end(ap);
	return b;
}

/* seg-field[rep].comp.sub decoded into out; reports and returns -1 when it
 * cannot be read (a bad escape, too long). */
static int text(struct hctx *h, const struct ef_hl7_seg *g, int f, int rep, int comp, int sub, char *out, size_t cap)
{
	const char *why = NULL;
	if (ef_hl7_text(g, f, rep, comp, sub, out, cap, &why) == 0)
		return 0;
	char fld[16];
	snprintf(fld, sizeof fld, "%s-%d", g->id, f);
	if (strcmp(why, "too long") == 0)
		BAD(h, g->line, fld, "too long (at most %zu bytes)", cap - 1);
	else
		BAD(h, g->line, fld, "%s", why);
	out[0] = '\0';
	return -1;
}

/* An HL7 date/time as engraft writes it: YYYY-MM-DD, or with the time
 * YYYY-MM-DDTHH:MM[:SS] when with_time. Reports and returns -1 when it is
 * not one. */
static int hl7_datetime(struct hctx *h, long line, const char *fld, const char *v, int with_time, char *out,
			size_t cap)
{
	size_t n = strspn(v, "0123456789");
	const char *rest = v + n;
	if (*rest == '.') { /* fraction of a second: only after the seconds */
		if (n != 14 || strspn(rest + 1, "0123456789") < 1)
			goto bad;
		rest += 1 + strspn(rest + 1, "0123456789");
	}
	if ((*rest == '+' || *rest == '-') && strspn(rest + 1, "0123456789") == 4 && rest[5] == '\0')
		rest += 5;
	if (*rest != '\0')
		goto bad;
	if (n == 4 || n == 6) {
		BAD(h, line, fld, "'%s' is not a date to the day (YYYYMMDD)", v);
		return -1;
	}
	if (n == 10) {
		BAD(h, line, fld, "'%s' gives the hour without the minutes (YYYYMMDDHHMM)", v);
		return -1;
	}
	if (n != 8 && n != 12 && n != 14)
		goto bad;
	if (!with_time || n == 8)
		snprintf(out, cap, "%.4s-%.2s-%.2s", v, v + 4, v + 6);
	else if (n == 12)
		snprintf(out, cap, "%.4s-%.2s-%.2sT%.2s:%.2s", v, v + 4, v + 6, v + 8, v + 10);
	else
		snprintf(out, cap, "%.4s-%.2s-%.2sT%.2s:%.2s:%.2s", v, v + 4, v + 6, v + 8, v + 10, v + 12);
	return 0;
bad:
	BAD(h, line, fld, "'%s' is not an HL7 date/time (YYYYMMDD[HHMM[SS]])", v);
	return -1;
}

static struct rec *new_rec(struct hctx *h, enum store_kind kind, long line)
{
	if (h->n == h->cap) {
		size_t nc = h->cap ? h->cap * 2 : 64;
		struct rec *r = realloc(h->recs, nc * sizeof *r);
		if (!r)
			return NULL;
		h->recs = r;
		h->cap = nc;
	}
	struct rec *r = &h->recs[h->n++];
	memset(r, 0, sizeof *r);
	r->kind = kind;
	r->line = line;
	memset(h->scratch, 0, sizeof h->scratch);
	return r;
}

/* Keep the scratch cells of r in one block of their own size (a file of a
 * million results must not cost a million times the largest cell). */
static int compact(struct hctx *h, struct rec *r)
{
	size_t n = r->kind == STORE_K_LABS ? LAB_CELLS : DOSE_CELLS, total = 0;
	for (size_t i = 0; i < n; i++)
		total += strlen(h->scratch[i]) + 1;
	char *b = malloc(total);
	if (!b)
		return -1;
	free(r->buf);
	r->buf = b;
	for (size_t i = 0; i < DOSE_CELLS; i++) {
		if (i >= n) {
			r->cell[i] = "";
			continue;
		}
		size_t l = strlen(h->scratch[i]) + 1;
		memcpy(b, h->scratch[i], l);
		r->cell[i] = b;
		b += l;
	}
	return 0;
}

/* The message being read. */
struct msg {
	enum { M_NONE, M_ORU, M_VXU } type;
	char mrn[CELL_MAX];
	long pid_line;             /* 0: no PID yet */
	char obr7[64];
	long obr7_line;
	struct rec *last_dose;     /* the RXA an RXR belongs to */
};

static int msg_type(struct hctx *h, const struct ef_hl7_seg *g, int *type)
{
	char a[32], b[32];
	if (text(h, g, 9, 0, 1, 0, a, sizeof a) || text(h, g, 9, 0, 2, 0, b, sizeof b))
		return -1;
	if (strcmp(a, "ORU") == 0 && strcmp(b, "R01") == 0)
		*type = M_ORU;
	else if (strcmp(a, "VXU") == 0 && strcmp(b, "V04") == 0)
		*type = M_VXU;
	else {
		BAD(h, g->line, "MSH-9", "message type '%s^%s' is not imported (ORU^R01 lab results, VXU^V04 "
					 "immunizations)", a, b);
		return -1;
	}
	return 0;
}

/* PID-3: the identifier whose type (CX-5) is MR, else the first. */
static void read_pid(struct hctx *h, const struct ef_hl7_seg *g, struct msg *m)
{
	int reps = ef_hl7_reps(g, 3), pick = 0;
	char type[16];
	const char *why;
	for (int r = 0; r < reps; r++)
		if (ef_hl7_text(g, 3, r, 5, 0, type, sizeof type, &why) == 0 && strcmp(type, "MR") == 0) {
			pick = r;
			break;
		}
	m->pid_line = g->line;
	if (text(h, g, 3, pick, 1, 0, m->mrn, sizeof m->mrn))
		h->bad++;
	else if (!m->mrn[0]) {
		BAD(h, g->line, "PID-3", "no patient identifier (the MRN, identifier type MR)");
		h->bad++;
	}
}

/* OBX-3: a LOINC code mapped by loinc.csv to a test; reports otherwise. */
static int obx_test(struct hctx *h, const struct ef_hl7_seg *g, char *test, size_t cap)
{
	char code[64], sys[32], code2[64], sys2[32];
	if (text(h, g, 3, 0, 1, 0, code, sizeof code) || text(h, g, 3, 0, 3, 0, sys, sizeof sys) ||
	    text(h, g, 3, 0, 4, 0, code2, sizeof code2) || text(h, g, 3, 0, 6, 0, sys2, sizeof sys2))
		return -1;
	const char *loinc = NULL;
	if (strcmp(sys, "LN") == 0)
		loinc = code;
	else if (strcmp(sys2, "LN") == 0)
		loinc = code2;
	if (!code[0] && !code2[0]) {
		BAD(h, g->line, "OBX-3", "required value is empty (the LOINC code of the result)");
		return -1;
	}
	if (!loinc) {
		BAD(h, g->line, "OBX-3", "'%s' is not coded in LOINC (OBX-3.3 or OBX-3.6 must be LN)",
		    code[0] ? code : code2);
		return -1;
	}
	enum ef_test t;
	if (ef_reference_loinc_test(&h->loinc, loinc, &t)) {
		BAD(h, g->line, "OBX-3", "LOINC %s is not in loinc.csv (a site adds the codes its laboratory sends: "
					 "engraft init --assets DIR)", loinc);
		return -1;
	}
	snprintf(test, cap, "%s", ef_test_code(t));
	return 0;
}

/* OBX-2 and OBX-5: the value as a labs cell (qualifier and number). */
static int obx_value(struct hctx *h, const struct ef_hl7_seg *g, char *out, size_t cap)
{
	char vt[16];
	if (text(h, g, 2, 0, 0, 0, vt, sizeof vt))
		return -1;
	if (ef_hl7_reps(g, 5) > 1) {
		BAD(h, g->line, "OBX-5", "several values (repetitions); engraft keeps one value per result");
		return -1;
	}
	if (strcmp(vt, "NM") == 0) {
		char v[CELL_MAX];
		if (text(h, g, 5, 0, 0, 0, v, sizeof v))
			return -1;
		if (strchr(v, g->enc.comp)) {
			BAD(h, g->line, "OBX-5", "a numeric (NM) value has components");
			return -1;
		}
		snprintf(out, cap, "%s", v);
		return 0;
	}
	if (strcmp(vt, "SN") == 0) {
		char cmp[8], n1[CELL_MAX - 8], sep[8], n2[64]; /* cmp and n1 always fit out */
		if (text(h, g, 5, 0, 1, 0, cmp, sizeof cmp) || text(h, g, 5, 0, 2, 0, n1, sizeof n1) ||
		    text(h, g, 5, 0, 3, 0, sep, sizeof sep) || text(h, g, 5, 0, 4, 0, n2, sizeof n2))
			return -1;
		if (sep[0] || n2[0]) {
			BAD(h, g->line, "OBX-5", "a range or ratio (%s%s%s) is not one value", n1, sep, n2);
			return -1;
		}
		if (cmp[0] && strcmp(cmp, "<") && strcmp(cmp, ">") && strcmp(cmp, "=")) {
			BAD(h, g->line, "OBX-5", "comparator '%s' cannot be kept (engraft keeps < and >)", cmp);
			return -1;
		}
		snprintf(out, cap, "%s%s", strcmp(cmp, "=") == 0 ? "" : cmp, n1);
		return 0;
	}
	if (!vt[0])
		BAD(h, g->line, "OBX-2", "required value is empty (the value type: NM or SN)");
	else
		BAD(h, g->line, "OBX-2", "value type '%s' is not imported (NM or SN: a number)", vt);
	return -1;
}

static void read_obx(struct hctx *h, const struct ef_hl7_seg *g, struct msg *m)
{
	char status[8];
	if (text(h, g, 11, 0, 0, 0, status, sizeof status)) {
		h->bad++;
		return;
	}
	if (strcmp(status, "P") == 0 || strcmp(status, "I") == 0 || strcmp(status, "X") == 0) {
		h->res->skipped++;
		return;
	}
	int eie = strcmp(status, "W") == 0;
	if (!eie && strcmp(status, "F") && strcmp(status, "C")) {
		if (status[0])
			BAD(h, g->line, "OBX-11", "result status '%s' is not imported (F, C, W stored; P, I, X skipped)",
			    status);
		else
			BAD(h, g->line, "OBX-11", "required value is empty (the result status: F, C, W, P, I or X)");
		h->bad++;
		return;
	}
	if (!m->pid_line) {
		BAD(h, g->line, "OBX", "no PID before it in its message (whose result is it?)");
		h->bad++;
		return;
	}
	struct rec *r = new_rec(h, STORE_K_LABS, g->line);
	if (!r) {
		h->bad++;
		BAD(h, g->line, "OBX", "out of memory");
		return;
	}
	r->pid_line = m->pid_line;
	snprintf(h->scratch[0], CELL_MAX, "%s", m->mrn);
	int bad = 0;
	char when[64];
	if (text(h, g, 14, 0, 1, 0, when, sizeof when)) {
		bad = 1;
	} else if (when[0]) {
		r->date_field = "OBX-14";
		r->date_line = g->line;
		bad |= hl7_datetime(h, g->line, "OBX-14", when, 1, h->scratch[1], CELL_MAX) != 0;
	} else if (m->obr7[0]) {
		r->date_field = "OBR-7";
		r->date_line = m->obr7_line;
		bad |= hl7_datetime(h, m->obr7_line, "OBR-7", m->obr7, 1, h->scratch[1], CELL_MAX) != 0;
	} else {
		BAD(h, g->line, "OBX-14", "no time of collection (neither OBX-14 nor OBR-7)");
		bad = 1;
	}
	bad |= obx_test(h, g, h->scratch[2], CELL_MAX) != 0;
	bad |= obx_value(h, g, h->scratch[3], CELL_MAX) != 0;
	char unit[CELL_MAX];
	if (text(h, g, 6, 0, 1, 0, unit, sizeof unit))
		bad = 1;
	else if (!unit[0] && text(h, g, 6, 0, 2, 0, unit, sizeof unit))
		bad = 1;
	snprintf(h->scratch[4], CELL_MAX, "%s", unit);
	snprintf(h->scratch[5], CELL_MAX, "%s", eie ? "wrong result (HL7 OBX-11 W)" : "");
	if (!bad && compact(h, r)) {
		BAD(h, g->line, "OBX", "out of memory");
		bad = 1;
	}
	if (bad) {
		h->n--;
		h->bad++;
	}
}

/* A coded value (CWE) in the coding system `sys`: its identifier, from the
 * first triplet or the alternate. *found 0: not in that system. */
static int coded(struct hctx *h, const struct ef_hl7_seg *g, int f, const char *sys, char *out, size_t cap,
		 int *found)
{
	char c1[CELL_MAX], s1[32], c2[CELL_MAX], s2[32];
	*found = 0;
	if (text(h, g, f, 0, 1, 0, c1, sizeof c1) || text(h, g, f, 0, 3, 0, s1, sizeof s1) ||
	    text(h, g, f, 0, 4, 0, c2, sizeof c2) || text(h, g, f, 0, 6, 0, s2, sizeof s2))
		return -1;
	if (strcmp(s1, sys) == 0 && c1[0]) {
		snprintf(out, cap, "%s", c1);
		*found = 1;
	} else if (strcmp(s2, sys) == 0 && c2[0]) {
		snprintf(out, cap, "%s", c2);
		*found = 1;
	} else {
		snprintf(out, cap, "%s", c1[0] ? c1 : c2);
	}
	return 0;
}

static void read_rxa(struct hctx *h, const struct ef_hl7_seg *g, struct msg *m)
{
	m->last_dose = NULL;
	char done[8], action[8];
	if (text(h, g, 20, 0, 1, 0, done, sizeof done) || text(h, g, 21, 0, 1, 0, action, sizeof action)) {
		h->bad++;
		return;
	}
	if (strcmp(done, "RE") == 0 || strcmp(done, "NA") == 0) {
		h->res->skipped++;
		return;
	}
	int bad = 0;
	if (done[0] && strcmp(done, "CP") && strcmp(done, "PA")) {
		BAD(h, g->line, "RXA-20", "completion status '%s' is not one of CP, PA (a dose), RE, NA (no dose)", done);
		bad = 1;
	}
	if (action[0] && strcmp(action, "A") && strcmp(action, "U") && strcmp(action, "D")) {
		BAD(h, g->line, "RXA-21", "action code '%s' is not one of A, U, D", action);
		bad = 1;
	}
	if (!m->pid_line) {
		BAD(h, g->line, "RXA", "no PID before it in its message (whose dose is it?)");
		h->bad++;
		return;
	}
	struct rec *r = new_rec(h, STORE_K_VACCINATIONS, g->line);
	if (!r) {
		h->bad++;
		BAD(h, g->line, "RXA", "out of memory");
		return;
	}
	r->pid_line = m->pid_line;
	r->site_line = g->line;
	r->date_field = "RXA-3";
	r->date_line = g->line;
	snprintf(h->scratch[0], CELL_MAX, "%s", m->mrn);
	int found;
	if (coded(h, g, 5, "CVX", h->scratch[1], CELL_MAX, &found)) {
		bad = 1;
	} else if (!h->scratch[1][0]) {
		BAD(h, g->line, "RXA-5", "required value is empty (the vaccine's CVX code)");
		bad = 1;
	} else if (!found) {
		BAD(h, g->line, "RXA-5", "'%s' is not coded in CVX (RXA-5.3 or RXA-5.6 must be CVX)", h->scratch[1]);
		bad = 1;
	} else if (strspn(h->scratch[1], "0123456789") != strlen(h->scratch[1])) {
		BAD(h, g->line, "RXA-5", "'%s' is not a CVX code (digits)", h->scratch[1]);
		bad = 1;
	}
	char when[64];
	if (text(h, g, 3, 0, 1, 0, when, sizeof when))
		bad = 1;
	else if (!when[0]) {
		BAD(h, g->line, "RXA-3", "required value is empty (the date the dose was given)");
		bad = 1;
	} else if (hl7_datetime(h, g->line, "RXA-3", when, 0, h->scratch[2], CELL_MAX)) {
		bad = 1;
	}
	if (ef_hl7_reps(g, 15) > 1) {
		BAD(h, g->line, "RXA-15", "several lot numbers; engraft keeps one per dose");
		bad = 1;
	} else if (text(h, g, 15, 0, 0, 0, h->scratch[3], CELL_MAX)) {
		bad = 1;
	}
	/* RXA-10: the administering provider (XCN: id^family^given) */
	char id[CELL_MAX], fam[CELL_MAX / 2 - 1], giv[CELL_MAX / 2 - 1]; /* "giv fam" always fits */
	if (text(h, g, 10, 0, 1, 0, id, sizeof id) || text(h, g, 10, 0, 2, 0, fam, sizeof fam) ||
	    text(h, g, 10, 0, 3, 0, giv, sizeof giv))
		bad = 1;
	else if (fam[0] || giv[0])
		snprintf(h->scratch[5], CELL_MAX, "%s%s%s", giv, giv[0] && fam[0] ? " " : "", fam);
	else
		snprintf(h->scratch[5], CELL_MAX, "%s", id);
	char src[16];
	if (text(h, g, 9, 0, 1, 0, src, sizeof src))
		bad = 1;
	else if (strcmp(src, "00") == 0)
		snprintf(h->scratch[6], CELL_MAX, "administered");
	else if (!src[0] || (strlen(src) == 2 && src[0] == '0' && src[1] >= '1' && src[1] <= '8'))
		snprintf(h->scratch[6], CELL_MAX, "historical");
	else {
		BAD(h, g->line, "RXA-9", "'%s' is not an information source of NIP001 (00 administered, 01-08 "
					 "historical)", src);
		bad = 1;
	}
	snprintf(h->scratch[8], CELL_MAX, "%s", strcmp(action, "D") == 0 ? "deleted by the sender (HL7 RXA-21 D)" : "");
	if (!bad && compact(h, r)) {
		BAD(h, g->line, "RXA", "out of memory");
		bad = 1;
	}
	if (bad) {
		h->n--;
		h->bad++;
		return;
	}
	m->last_dose = r;
}

/* RXR-2: the site of the RXA before it. */
static void read_rxr(struct hctx *h, const struct ef_hl7_seg *g, struct msg *m)
{
	struct rec *r = m->last_dose;
	if (!r)
		return; /* after a dose that was refused or not given */
	m->last_dose = NULL;
	char site[CELL_MAX];
	int bad = text(h, g, 2, 0, 1, 0, site, sizeof site) || (!site[0] && text(h, g, 2, 0, 2, 0, site, sizeof site));
	if (!bad) { /* the dose's cells again, with the site */
		for (size_t i = 0; i < DOSE_CELLS; i++)
			snprintf(h->scratch[i], CELL_MAX, "%s", r->cell[i]);
		snprintf(h->scratch[4], CELL_MAX, "%s", site);
		if (compact(h, r)) {
			BAD(h, g->line, "RXR", "out of memory");
			bad = 1;
		}
	}
	if (bad) { /* r is the last record (RXR follows its RXA) */
		free(r->buf);
		h->n--;
		h->bad++;
		return;
	}
	r->site_line = g->line;
}

/* ---- entering the records ---- */

/* "column: reason" from ef_enter_row as "NAME:LINE: SEG-N: reason". */
static void enter_diag(void *ctx, const char *msg)
{
	struct hctx *h = ctx;
	const struct rec *r = h->cur;
	size_t n = strcspn(msg, ":");
	const char *why = msg[n] ? msg + n + 1 : msg;
	while (*why == ' ')
		why++;
	char col[64];
	snprintf(col, sizeof col, "%.*s", (int)(n < 63 ? n : 63), msg);
	const char *fld;
	long line = r->line;
	int lab = r->kind == STORE_K_LABS;
	if (strcmp(col, "mrn") == 0)
		fld = "PID-3", line = r->pid_line;
	else if (strcmp(col, "collected_on") == 0 || strcmp(col, "given_on") == 0)
		fld = r->date_field, line = r->date_line;
	else if (strcmp(col, "test") == 0)
		fld = "OBX-3";
	else if (strcmp(col, "value") == 0)
		fld = "OBX-5";
	else if (strcmp(col, "unit") == 0)
		fld = "OBX-6";
	else if (strcmp(col, "vaccine") == 0)
		fld = "RXA-5";
	else if (strcmp(col, "lot") == 0)
		fld = "RXA-15";
	else if (strcmp(col, "site") == 0)
		fld = "RXR-2", line = r->site_line;
	else if (strcmp(col, "given_by") == 0)
		fld = "RXA-10";
	else if (strcmp(col, "source") == 0 || strcmp(col, "override_reason") == 0)
		fld = "RXA-9";
	else if (strcmp(col, "entered_in_error") == 0)
		fld = lab ? "OBX-11" : "RXA-21";
	else
		fld = lab ? "OBX" : "RXA";
	say(h, line, "%s:%ld: %s: %s", h->name, line, fld, why);
}

/* The natural key is the first three cells of both kinds: labs mrn,
 * collected_on, test; doses mrn, vaccine, given_on. Records sorted by key,
 * then by their order in the file. */
static int key_cmp(const struct rec *a, const struct rec *b)
{
	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	for (int i = 0; i < 3; i++) {
		int c = strcmp(a->cell[i], b->cell[i]);
		if (c)
			return c;
	}
	return 0;
}

static int by_key(const void *x, const void *y)
{
	const struct rec *const *a = x, *const *b = y;
	int c = key_cmp(*a, *b);
	return c ? c : *a < *b ? -1 : *a > *b;
}

/* A later record with the key of an earlier one replaces it. */
static int mark_replaced(struct hctx *h)
{
	if (h->n < 2)
		return 0;
	struct rec **v = malloc(h->n * sizeof *v);
	if (!v)
		return -1;
	for (size_t i = 0; i < h->n; i++)
		v[i] = &h->recs[i];
	qsort(v, h->n, sizeof *v, by_key);
	for (size_t i = 0; i + 1 < h->n; i++)
		if (key_cmp(v[i], v[i + 1]) == 0) {
			v[i]->replaced = 1;
			h->res->replaced++;
		}
	free(v);
	return 0;
}

int ef_hl7_kinds(const char *buf, size_t len, const char *name, unsigned *kinds, struct ef_err *err)
{
	struct ef_hl7_seg *segs;
	size_t n;
	*kinds = 0;
	int rc = ef_hl7_split(buf, len, name, &segs, &n, err);
	if (rc)
		return rc;
	for (size_t i = 0; i < n && !rc; i++) {
		if (!ef_hl7_is(&segs[i], "MSH"))
			continue;
		char a[32], b[32];
		const char *why;
		if (ef_hl7_text(&segs[i], 9, 0, 1, 0, a, sizeof a, &why) || ef_hl7_text(&segs[i], 9, 0, 2, 0, b, sizeof b, &why))
			rc = ef_errf(err, EF_INVALID, "%s:%ld: MSH-9: cannot be read", name, segs[i].line);
		else if (strcmp(a, "ORU") == 0 && strcmp(b, "R01") == 0)
			*kinds |= 1u << STORE_K_LABS;
		else if (strcmp(a, "VXU") == 0 && strcmp(b, "V04") == 0)
			*kinds |= 1u << STORE_K_VACCINATIONS;
		else
			rc = ef_errf(err, EF_INVALID, "%s:%ld: MSH-9: message type '%s^%s' is not imported (ORU^R01 lab "
						      "results, VXU^V04 immunizations)", name, segs[i].line, a, b);
	}
	free(segs);
	return rc;
}

int ef_hl7_import(struct store *s, const char *buf, size_t len, const char *name, const char *sha_hex,
		  const struct ef_import_opts *opts, struct ef_hl7_result *res, struct ef_err *err)
{
	memset(res, 0, sizeof *res);
	struct ef_hl7_seg *segs;
	size_t nseg;
	int rc = ef_hl7_split(buf, len, name, &segs, &nseg, err);
	if (rc)
		return rc;
	struct hctx h = {.s = s, .name = name, .opts = opts, .res = res, .err = err};
	ef_reference_init(&h.loinc);
	if ((rc = store_reference_load_kind(s, EF_REF_LOINC, &h.loinc, err)))
		goto out;
	struct msg m = {0};
	for (size_t i = 0; i < nseg; i++) {
		const struct ef_hl7_seg *g = &segs[i];
		if (ef_hl7_is(g, "MSH")) {
			int type;
			memset(&m, 0, sizeof m);
			res->messages++;
			if (msg_type(&h, g, &type)) {
				h.bad++;
				m.type = M_NONE;
				continue;
			}
			m.type = type;
			continue;
		}
		if (m.type == M_NONE)
			continue; /* batch segments, or the rest of a refused message */
		if (ef_hl7_is(g, "PID")) {
			m.last_dose = NULL;
			read_pid(&h, g, &m);
		} else if (m.type == M_ORU && ef_hl7_is(g, "OBR")) {
			m.obr7_line = g->line;
			if (text(&h, g, 7, 0, 1, 0, m.obr7, sizeof m.obr7))
				h.bad++;
		} else if (m.type == M_ORU && ef_hl7_is(g, "OBX")) {
			read_obx(&h, g, &m);
		} else if (m.type == M_VXU && ef_hl7_is(g, "RXA")) {
			read_rxa(&h, g, &m);
		} else if (m.type == M_VXU && ef_hl7_is(g, "RXR")) {
			read_rxr(&h, g, &m);
		}
	}
	if (res->messages == 0 && nseg == 0) {
		rc = ef_errf(err, EF_INVALID, "%s:1: empty file: no HL7 message (MSH)", name);
		goto out;
	}
	/* a later record with the same key replaces an earlier one */
	if (mark_replaced(&h)) {
		rc = ef_errf(err, EF_DB, "out of memory");
		goto out;
	}
	/* one import for the file; every record checked and put in order, so
	 * that every problem is reported (any problem rolls it all back) */
	if ((rc = store_import_begin(s, "hl7", name, &res->r.import_id, err)))
		goto out;
	struct ef_import_opts o = *opts;
	o.diag = enter_diag;
	o.diag_ctx = &h;
	o.import_id = res->r.import_id;
	for (size_t i = 0; i < h.n; i++) {
		const struct rec *r = &h.recs[i];
		if (r->replaced)
			continue;
		const char *cells[DOSE_CELLS];
		size_t nc = r->kind == STORE_K_LABS ? LAB_CELLS : DOSE_CELLS;
		for (size_t k = 0; k < nc; k++)
			cells[k] = r->cell[k];
		h.cur = r;
		struct ef_enter_result er;
		res->r.rows++;
		rc = ef_enter_row(s, r->kind, cells, nc, &o, &er, err);
		if (rc == EF_INVALID) {
			res->r.errors++;
			rc = EF_OK;
			continue;
		}
		if (rc)
			goto out;
		if (er.put == STORE_INSERTED)
			res->r.inserted++;
		else if (er.put == STORE_UPDATED)
			res->r.updated++;
		else
			res->r.unchanged++;
	}
	if (h.bad || res->r.errors) {
		rc = ef_errf(err, EF_INVALID, "%s: %ld problem%s; nothing imported", name, h.said.problems,
			     h.said.problems == 1 ? "" : "s");
		goto out;
	}
	rc = store_import_end(s, res->r.import_id, sha_hex, res->r.inserted, res->r.updated, res->r.unchanged, err);
out:
	if (rc)
		res->r.inserted = res->r.updated = res->r.unchanged = 0;
	said_tell(&h.said, h.opts);
	ef_reference_free(&h.loinc);
	for (size_t i = 0; i < h.n; i++)
		free(h.recs[i].buf);
	free(h.recs);
	free(segs);
	return rc;
}
