/* kinds.c - names and columns of the CSV kinds (docs/formats.md s.4). */
#include <string.h>

#include "engraft/csvio.h"
#include "kinds.h"

static const char *const patients_cols[] = {"mrn", "family_name", "given_name", "birth_date", "sex", "diagnosis"};
static const unsigned char patients_req[] = {1, 1, 1, 1, 0, 0};
static const char *const transplants_cols[] = {"mrn", "transplant_date", "type", "graft_source", "donor",
					       "conditioning"};
static const unsigned char transplants_req[] = {1, 1, 1, 1, 0, 0};
/* entered_in_error (schema 006) is the last column of every kind that has
 * it; optional: a file without it imports as before (import.c). */
static const char *const labs_cols[] = {"mrn", "collected_on", "test", "value", "unit", "entered_in_error"};
static const unsigned char labs_req[] = {1, 1, 1, 1, 1, 0};
static const char *const transfusions_cols[] = {"mrn", "given_on", "product", "entered_in_error"};
static const unsigned char transfusions_req[] = {1, 1, 1, 0};
static const char *const vaccinations_cols[] = {"mrn",	 "vaccine", "given_on",	       "lot",		  "site",
						"given_by", "source",	"override_reason", "entered_in_error"};
static const unsigned char vaccinations_req[] = {1, 1, 1, 0, 0, 0, 0, 0, 0};
static const char *const acute_cols[] = {"mrn", "assessed_on", "skin", "liver", "upper_gi", "lower_gi",
					 "entered_in_error"};
static const unsigned char acute_req[] = {1, 1, 1, 1, 1, 1, 0};
static const char *const chronic_cols[] = {"mrn", "assessed_on", "skin",   "mouth",	"eyes",		   "gi",
					   "liver", "lungs",	   "joints", "genital", "entered_in_error"};
static const unsigned char chronic_req[] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0};
static const char *const is_cols[] = {"mrn", "drug", "started_on", "stopped_on", "entered_in_error"};
static const unsigned char is_req[] = {1, 1, 1, 0, 0};
static const char *const ivig_cols[] = {"mrn", "given_on", "dose_g", "entered_in_error"};
static const unsigned char ivig_req[] = {1, 1, 0, 0};

#define K(name, cols, req) {name, cols, req, sizeof cols / sizeof cols[0]}
const struct kind_desc ef_kinds[STORE_K_COUNT] = {
	[STORE_K_PATIENTS] = K("patients", patients_cols, patients_req),
	[STORE_K_TRANSPLANTS] = K("transplants", transplants_cols, transplants_req),
	[STORE_K_LABS] = K("labs", labs_cols, labs_req),
	[STORE_K_TRANSFUSIONS] = K("transfusions", transfusions_cols, transfusions_req),
	[STORE_K_VACCINATIONS] = K("vaccinations", vaccinations_cols, vaccinations_req),
	[STORE_K_GVHD_ACUTE] = K("gvhd-acute", acute_cols, acute_req),
	[STORE_K_GVHD_CHRONIC] = K("gvhd-chronic", chronic_cols, chronic_req),
	[STORE_K_IMMUNOSUPPRESSION] = K("immunosuppression", is_cols, is_req),
	[STORE_K_IVIG] = K("ivig", ivig_cols, ivig_req),
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
