/* helpers.c - see helpers.h. A tiny RFC 4180 splitter is enough for the
 * shipped assets (quoted fields with "" escapes, LF or CRLF). */
#include "helpers.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engraft/embedded.h"

#define MAXF 32
#define MAXLEN 512

struct rec {
	size_t n;
	char f[MAXF][MAXLEN];
};

/* Read one record from *p; returns 0 at end of data, -1 on error. */
static int next_record(const char **p, struct rec *r)
{
	const char *s = *p;
	if (!*s)
		return 0;
	r->n = 0;
	for (;;) {
		size_t len = 0;
		char *out = r->f[r->n];
		if (r->n >= MAXF)
			return -1;
		if (*s == '"') {
			s++;
			for (;;) {
				if (!*s)
					return -1;
				if (*s == '"' && s[1] == '"') {
					s += 2;
					out[len++] = '"';
				} else if (*s == '"') {
					s++;
					break;
				} else {
					out[len++] = *s++;
				}
				if (len >= MAXLEN - 1)
					return -1;
			}
		} else {
			while (*s && *s != ',' && *s != '\n' && *s != '\r') {
				out[len++] = *s++;
				if (len >= MAXLEN - 1)
					return -1;
			}
		}
		out[len] = '\0';
		r->n++;
		if (*s == ',') {
			s++;
			continue;
		}
		if (*s == '\r')
			s++;
		if (*s == '\n')
			s++;
		*p = s;
		return 1;
	}
}

static int col_index(const struct rec *hdr, const char *name)
{
	for (size_t i = 0; i < hdr->n; i++)
		if (strcmp(hdr->f[i], name) == 0)
			return (int)i;
	return -1;
}

static int load_blob(struct ef_reference *ref, enum ef_ref_kind kind, const struct ef_blob *b,
		     const struct ref_override *ov, size_t nov, struct ef_err *err)
{
	const struct ef_ref_kind_info *info = ef_reference_kind(kind);
	const char *p = b->data;
	static struct rec hdr, row;
	int map[MAXF];
	if (next_record(&p, &hdr) != 1)
		return ef_errf(err, EF_INVALID, "%s: no header", b->name);
	for (size_t c = 0; c < info->ncolumns; c++) {
		map[c] = col_index(&hdr, info->columns[c].name);
		if (map[c] < 0 && info->columns[c].required)
			return ef_errf(err, EF_INVALID, "%s: missing column %s", b->name, info->columns[c].name);
	}
	for (long line = 2;; line++) {
		int r = next_record(&p, &row);
		if (r == 0)
			break;
		if (r < 0)
			return ef_errf(err, EF_INVALID, "%s:%ld: bad CSV", b->name, line);
		for (size_t o = 0; o < nov; o++) {
			if (strcmp(ov[o].file, b->name) != 0)
				continue;
			int m = col_index(&hdr, ov[o].match_col), s = col_index(&hdr, ov[o].set_col);
			int m2 = ov[o].match2_col ? col_index(&hdr, ov[o].match2_col) : -1;
			if (m < 0 || s < 0 || strcmp(row.f[m], ov[o].match_val) != 0)
				continue;
			if (m2 >= 0 && strcmp(row.f[m2], ov[o].match2_val) != 0)
				continue;
			snprintf(row.f[s], MAXLEN, "%s", ov[o].set_val);
		}
		const char *vals[MAXF];
		for (size_t c = 0; c < info->ncolumns; c++)
			vals[c] = map[c] >= 0 && (size_t)map[c] < row.n ? row.f[map[c]] : "";
		int rc = ef_reference_add_row(ref, kind, vals, err);
		if (rc) {
			char msg[sizeof err->msg];
			snprintf(msg, sizeof msg, "%s", err->msg);
			return ef_errf(err, rc, "%s:%ld: %s", b->name, line, msg);
		}
	}
	return EF_OK;
}

int test_reference_load(struct ef_reference *ref, const struct ref_override *ov, size_t nov, struct ef_err *err)
{
	ef_reference_init(ref);
	for (int k = 0; k < EF_REF_KIND_COUNT; k++) {
		const struct ef_ref_kind_info *info = ef_reference_kind((enum ef_ref_kind)k);
		const struct ef_blob *b = ef_assets;
		while (b->name && strcmp(b->name, info->file) != 0)
			b++;
		if (!b->name)
			return ef_errf(err, EF_INVALID, "asset %s not embedded", info->file);
		int rc = load_blob(ref, (enum ef_ref_kind)k, b, ov, nov, err);
		if (rc)
			return rc;
	}
	return ef_reference_finish(ref, err);
}

void test_reference(struct ef_reference *ref)
{
	struct ef_err err;
	int rc = test_reference_load(ref, NULL, 0, &err);
	ck_assert_msg(rc == EF_OK, "shipped reference: %s", err.msg);
}

ef_day D(const char *iso)
{
	ef_day d;
	if (!iso || !*iso)
		return EF_NO_DAY;
	ck_assert_msg(ef_date_parse(iso, strlen(iso), &d) == 0, "bad date %s", iso);
	return d;
}

#define PUSH(arr, n, item)                                                     \
	do {                                                                   \
		void *p_ = realloc((arr), ((n) + 1) * sizeof *(arr));           \
		ck_assert_ptr_nonnull(p_);                                     \
		(arr) = p_;                                                    \
		(arr)[(n)++] = (item);                                         \
	} while (0)

static int64_t next_id = 1;

void tl_patient(struct ef_timeline *tl, const char *birth)
{
	snprintf(tl->patient.mrn, sizeof tl->patient.mrn, "T0001");
	tl->patient.birth = D(birth);
}

void tl_transplant(struct ef_timeline *tl, const char *day0, enum ef_hct_type type, enum ef_graft graft)
{
	struct ef_transplant t = {.id = next_id++, .day0 = D(day0), .type = type, .graft = graft};
	PUSH(tl->transplants, tl->n_transplants, t);
}

void tl_lab_at(struct ef_timeline *tl, ef_day day, int secs, enum ef_test test, const char *value)
{
	struct ef_lab l = {.id = next_id++, .day = day, .secs = secs, .test = test};
	ck_assert_msg(ef_value_parse(value, strlen(value), &l.qual, &l.value, NULL) == 0, "bad value %s", value);
	PUSH(tl->labs, tl->n_labs, l);
}

void tl_lab(struct ef_timeline *tl, ef_day day, enum ef_test test, const char *value)
{
	tl_lab_at(tl, day, -1, test, value);
}

void tl_transfusion(struct ef_timeline *tl, ef_day day, enum ef_product product)
{
	struct ef_transfusion t = {.id = next_id++, .day = day, .product = product};
	PUSH(tl->transfusions, tl->n_transfusions, t);
}

void tl_dose(struct ef_timeline *tl, ef_day day, const char *series, int live)
{
	struct ef_dose d = {.vaccination_id = next_id++, .day = day, .live = live};
	snprintf(d.series, sizeof d.series, "%s", series);
	snprintf(d.vaccine, sizeof d.vaccine, "%s", series);
	PUSH(tl->doses, tl->n_doses, d);
}

void tl_is(struct ef_timeline *tl, const char *drug, ef_day start, ef_day stop)
{
	struct ef_immunosuppression s = {.id = next_id++, .start = start, .stop = stop};
	snprintf(s.drug, sizeof s.drug, "%s", drug);
	PUSH(tl->is, tl->n_is, s);
}

void tl_ivig(struct ef_timeline *tl, ef_day day)
{
	struct ef_ivig v = {.id = next_id++, .day = day, .dose_g = -1};
	PUSH(tl->ivig, tl->n_ivig, v);
}

void tl_acute(struct ef_timeline *tl, ef_day day, int skin, int liver, int ugi, int lgi)
{
	struct ef_gvhd_acute a = {.id = next_id++, .day = day, .skin = skin, .liver = liver,
				  .upper_gi = ugi, .lower_gi = lgi};
	PUSH(tl->acute, tl->n_acute, a);
}

void tl_chronic(struct ef_timeline *tl, ef_day day, const int s[8])
{
	struct ef_gvhd_chronic c = {.id = next_id++, .day = day, .skin = s[0], .mouth = s[1], .eyes = s[2],
				    .gi = s[3], .liver = s[4], .lungs = s[5], .joints = s[6], .genital = s[7]};
	PUSH(tl->chronic, tl->n_chronic, c);
}
