/* kinds.c - the one description of each CSV kind (docs/formats.md s.4).
 *
 * Each column is written once, as C(name, required, multiline, max, key):
 * its name, whether an empty cell is an error, whether it is multi-line
 * free text (TAB, CR, LF allowed), its limit in bytes (longer is an error,
 * never cut) and whether it is part of the natural key. The header check,
 * the export header, the import's cell limits and the key named in its
 * messages all follow from these lists; the lab result limits are the
 * store's STORE_LAB_*_MAX, which size its buffers. Adding a column: its line here, its
 * validation in the kind's row_* function of import.c, and a migration with
 * the store's SQL (docs/architecture.md). */
#include <stdio.h>
#include <string.h>

#include "engraft/csvio.h"
#include "kinds.h"

#define EIE STORE_EIE_MAX /* entered_in_error and override_reason (schema 006) */

#define PATIENTS_COLUMNS(C) \
	C("mrn", 1, 0, 63, 1) \
	C("family_name", 1, 0, 127, 0) \
	C("given_name", 1, 0, 127, 0) \
	C("birth_date", 1, 0, 10, 0) \
	C("sex", 0, 0, 32, 0) \
	C("diagnosis", 0, 1, 127, 0)
#define TRANSPLANTS_COLUMNS(C) \
	C("mrn", 1, 0, 63, 1) \
	C("transplant_date", 1, 0, 10, 1) \
	C("type", 1, 0, 32, 0) \
	C("graft_source", 1, 0, 32, 0) \
	C("donor", 0, 0, 32, 0) \
	C("conditioning", 0, 0, 32, 0)
#define LABS_COLUMNS(C) \
	C("mrn", 1, 0, 63, 1) \
	C("collected_on", 1, 0, STORE_LAB_COLLECTED_ON_MAX, 1) \
	C("test", 1, 0, STORE_LAB_TEST_MAX, 1) \
	C("value", 1, 0, STORE_LAB_VALUE_MAX, 0) \
	C("unit", 1, 0, STORE_LAB_UNIT_MAX, 0) \
	C("entered_in_error", 0, 0, EIE, 0)
#define TRANSFUSIONS_COLUMNS(C) \
	C("mrn", 1, 0, 63, 1) \
	C("given_on", 1, 0, 10, 1) \
	C("product", 1, 0, 32, 1) \
	C("entered_in_error", 0, 0, EIE, 0)
#define VACCINATIONS_COLUMNS(C) \
	C("mrn", 1, 0, 63, 1) \
	C("vaccine", 1, 0, 15, 1) \
	C("given_on", 1, 0, 10, 1) \
	C("lot", 0, 0, 63, 0) \
	C("site", 0, 1, 63, 0) \
	C("given_by", 0, 1, 127, 0) \
	C("source", 0, 0, 32, 0) \
	C("override_reason", 0, 0, EIE, 0) \
	C("entered_in_error", 0, 0, EIE, 0)
#define ACUTE_COLUMNS(C) \
	C("mrn", 1, 0, 63, 1) \
	C("assessed_on", 1, 0, 10, 1) \
	C("skin", 1, 0, 8, 0) \
	C("liver", 1, 0, 8, 0) \
	C("upper_gi", 1, 0, 8, 0) \
	C("lower_gi", 1, 0, 8, 0) \
	C("entered_in_error", 0, 0, EIE, 0)
#define CHRONIC_COLUMNS(C) \
	C("mrn", 1, 0, 63, 1) \
	C("assessed_on", 1, 0, 10, 1) \
	C("skin", 1, 0, 8, 0) \
	C("mouth", 1, 0, 8, 0) \
	C("eyes", 1, 0, 8, 0) \
	C("gi", 1, 0, 8, 0) \
	C("liver", 1, 0, 8, 0) \
	C("lungs", 1, 0, 8, 0) \
	C("joints", 1, 0, 8, 0) \
	C("genital", 1, 0, 8, 0) \
	C("entered_in_error", 0, 0, EIE, 0)
#define IS_COLUMNS(C) \
	C("mrn", 1, 0, 63, 1) \
	C("drug", 1, 0, 63, 1) \
	C("started_on", 1, 0, 10, 1) \
	C("stopped_on", 0, 0, 10, 0) \
	C("entered_in_error", 0, 0, EIE, 0)
#define IVIG_COLUMNS(C) \
	C("mrn", 1, 0, 63, 1) \
	C("given_on", 1, 0, 10, 1) \
	C("dose_g", 0, 0, 31, 0) \
	C("entered_in_error", 0, 0, EIE, 0)

#define DESC(n, r, m, x, k) {n, r, m, x, k},
#define NAME(n, r, m, x, k) n,
#define REQ(n, r, m, x, k) r,
#define TABLES(s, LIST)                                                                                    \
	static const struct col_desc s##_desc[] = {LIST(DESC)};                                         \
	static const char *const s##_cols[] = {LIST(NAME)};                                               \
	static const unsigned char s##_req[] = {LIST(REQ)};
TABLES(patients, PATIENTS_COLUMNS)
TABLES(transplants, TRANSPLANTS_COLUMNS)
TABLES(labs, LABS_COLUMNS)
TABLES(transfusions, TRANSFUSIONS_COLUMNS)
TABLES(vaccinations, VACCINATIONS_COLUMNS)
TABLES(acute, ACUTE_COLUMNS)
TABLES(chronic, CHRONIC_COLUMNS)
TABLES(is, IS_COLUMNS)
TABLES(ivig, IVIG_COLUMNS)

#define KIND(name, s) {name, s##_cols, s##_req, s##_desc, sizeof s##_cols / sizeof s##_cols[0]}
const struct kind_desc ef_kinds[STORE_K_COUNT] = {
	[STORE_K_PATIENTS] = KIND("patients", patients),
	[STORE_K_TRANSPLANTS] = KIND("transplants", transplants),
	[STORE_K_LABS] = KIND("labs", labs),
	[STORE_K_TRANSFUSIONS] = KIND("transfusions", transfusions),
	[STORE_K_VACCINATIONS] = KIND("vaccinations", vaccinations),
	[STORE_K_GVHD_ACUTE] = KIND("gvhd-acute", acute),
	[STORE_K_GVHD_CHRONIC] = KIND("gvhd-chronic", chronic),
	[STORE_K_IMMUNOSUPPRESSION] = KIND("immunosuppression", is),
	[STORE_K_IVIG] = KIND("ivig", ivig),
};

const char *ef_kind_name(enum store_kind k)
{
	return (unsigned)k < STORE_K_COUNT ? ef_kinds[k].name : "";
}

int ef_kind_parse(const char *name, enum store_kind *out)
{
	for (int i = 0; i < STORE_K_COUNT; i++)
		if (strcmp(ef_kinds[i].name, name) == 0) {
			*out = (enum store_kind)i;
			return 0;
		}
	return -1;
}

void ef_kind_key(enum store_kind k, char *out, size_t size)
{
	size_t o = 0;
	out[0] = '\0';
	for (size_t i = 0; (unsigned)k < STORE_K_COUNT && i < ef_kinds[k].ncol; i++) {
		const struct col_desc *c = &ef_kinds[k].desc[i];
		if (!c->key)
			continue;
		int w = snprintf(out + o, size - o, "%s%s", o ? "," : "", c->name);
		if (w < 0 || (size_t)w >= size - o)
			break;
		o += (size_t)w;
	}
}
