/* demo.h - the synthetic cohort behind `engraft demo` (src/app/demo.c; the
 * CLI reaches it through app_demo, which checks the login may).
 *
 * Deterministic: the rows depend only on (seed, as_of, patient number), so
 * the same seed and as-of give identical rows, and a bigger cohort starts
 * with the same patients as a smaller one. No real people: MRNs DEMO000001,
 * invented names. Every event is dated on or before as_of and on or after
 * the birth date. Rows go through the store's put functions (lab results
 * through its lab batch, 64 to a statement, as import writes them), one
 * transaction (and one import record, kind "demo") per batch of patients.
 * A run over an earlier one with other values (another seed or as-of)
 * logs a lab result's update when its batch is written, so after updates
 * of other kinds made meanwhile (the same audit entries as row by row,
 * in another order). */
#ifndef ENGRAFT_DEMO_H
#define ENGRAFT_DEMO_H

#include <stdint.h>

#include "engraft/date.h"
#include "engraft/error.h"
#include "engraft/reference.h"
#include "engraft/store.h"

#define EF_DEMO_MAX_PATIENTS 1000000L
#define EF_DEMO_BATCH 500

struct ef_demo_opts {
	long patients;  /* 1 .. EF_DEMO_MAX_PATIENTS */
	uint64_t seed;
	ef_day as_of;   /* nothing is dated after it */
	const struct ef_reference *ref; /* the site's follow-up calendar: most time
					 * points due are recorded done; NULL: none are */
};

struct ef_demo_counts {
	long rows[STORE_K_COUNT]; /* rows written per kind */
	long inserted, updated, unchanged;
};

int ef_demo_generate(struct store *s, const struct ef_demo_opts *o, struct ef_demo_counts *out,
		     struct ef_err *err);

#endif
