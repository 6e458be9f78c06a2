/* browse.h - read queries behind the terminal screens (patient list pages,
 * search, small lookups). SQL lives in src/store/browse.c only.
 *
 * The patient list pages with keyset queries on (family_name, given_name,
 * mrn) - the order of the patients_name index - never OFFSET, so any page
 * costs what the first one does. A filter is matched as a prefix, ASCII
 * case-insensitively: one word matches the MRN, the family name or the
 * given name; two words ("smith j", "smith, j", "jane smi") match family +
 * given name in either order. */
#ifndef ENGRAFT_BROWSE_H
#define ENGRAFT_BROWSE_H

#include <stdint.h>

#include "engraft/date.h"
#include "engraft/error.h"
#include "engraft/store.h"

/* Position in the list order. */
struct browse_key {
	char family_name[128];
	char given_name[128];
	char mrn[64];
};

struct browse_patient {
	int64_t id;
	char mrn[64];
	char family_name[128];
	char given_name[128];
	ef_day birth;         /* EF_NO_DAY if unreadable */
	char diagnosis[128];
	ef_day day0;          /* latest transplant on or before `today`, EF_NO_DAY if none */
	char type[24];        /* its type ("allogeneic", "cellular_therapy"), "" if none */
	int alerts_open;      /* alerts with status open */
	int alerts_worst;     /* worst open severity: 0 critical, 1 warning, 2 info; -1 none */
	char care[20];        /* "" in care on `today`; "deceased", "transferred", "lost_to_followup" */
};

/* Which patients a list shows: every one, those in this clinic's care, the
 * deceased (engraft/vital.h, as of `today`). */
enum browse_care { BROWSE_ALL = 0, BROWSE_IN_CARE, BROWSE_DECEASED };

enum browse_dir {
	BROWSE_FROM = 0, /* rows >= key (key NULL: from the first row), ascending */
	BROWSE_AFTER,    /* rows > key, ascending */
	BROWSE_BEFORE,   /* rows < key (key NULL: up to the last row), returned ascending */
};

void browse_key_of(const struct browse_patient *p, struct browse_key *k);

/* Up to max rows in list order; *n receives how many. filter NULL or "" =
 * every patient. */
int browse_patients(struct store *s, const char *filter, enum browse_care care, ef_day today, enum browse_dir dir,
		    const struct browse_key *key, struct browse_patient *out, int max, int *n,
		    struct ef_err *err);

/* How many patients match the filter. */
int browse_patient_count(struct store *s, const char *filter, enum browse_care care, ef_day today, int64_t *n,
			 struct ef_err *err);

/* An existing lab result with this natural key: *found 0/1, value and unit
 * as stored. */
int browse_lab_existing(struct store *s, int64_t patient_id, const char *collected_on, const char *test,
			char value[48], char unit[32], int *found, struct ef_err *err);

/* One of a patient's records on the chart: a lab result, a transfusion, a
 * vaccination, a GVHD assessment, an immunosuppression course or an IVIG
 * dose, rows entered in error included (with their reason). */
struct browse_record {
	enum store_kind kind;   /* STORE_K_LABS, _TRANSFUSIONS, _VACCINATIONS, _GVHD_*, _IMMUNOSUPPRESSION, _IVIG */
	int64_t id;
	char on[20];            /* the row's date as stored (a lab's may carry a time) */
	char what[160];         /* "ANC <0.1 10^9/L", "MMR lot M1, administered", "acute GVHD grade III" */
	char eie[STORE_EIE_MAX + 1]; /* the entered-in-error reason, "" = valid */
};
#define BROWSE_RECORDS_MAX 500

/* The patient's records, newest first, at most max (*n receives how many;
 * *more is set when there were more). */
int browse_records(struct store *s, int64_t patient_id, struct browse_record *out, int max, int *n, int *more,
		   struct ef_err *err);

#endif
