/* helpers.h - test support: the shipped reference from ef_assets[] (with
 * optional cell overrides) and a small timeline builder. */
#ifndef ENGRAFT_TEST_HELPERS_H
#define ENGRAFT_TEST_HELPERS_H

#include <stddef.h>

#include "engraft/date.h"
#include "engraft/error.h"
#include "engraft/reference.h"
#include "engraft/timeline.h"

/* Replace column set_col with set_val in every row of `file` whose
 * match_col equals match_val (and match2_col equals match2_val if given). */
struct ref_override {
	const char *file;
	const char *match_col, *match_val;
	const char *match2_col, *match2_val;
	const char *set_col, *set_val;
};

/* Load every asset file of ef_assets[] (all kinds, then finish). Returns
 * EF_OK or the first error (err->msg prefixed with "FILE:LINE: "). */
int test_reference_load(struct ef_reference *ref, const struct ref_override *ov, size_t nov,
			struct ef_err *err);

/* The shipped reference; aborts the test on failure. Free with
 * ef_reference_free. */
void test_reference(struct ef_reference *ref);

/* "YYYY-MM-DD" -> ef_day (aborts on a bad date); NULL or "" -> EF_NO_DAY. */
ef_day D(const char *iso);

/* Timeline builder (arrays grow with realloc; free with ef_timeline_free). */
void tl_patient(struct ef_timeline *tl, const char *birth);
void tl_transplant(struct ef_timeline *tl, const char *day0, enum ef_hct_type type, enum ef_graft graft);
/* value as on a lab report: "0.6", "<0.1", ">1000" (canonical unit). */
void tl_lab(struct ef_timeline *tl, ef_day day, enum ef_test test, const char *value);
void tl_lab_at(struct ef_timeline *tl, ef_day day, int secs, enum ef_test test, const char *value);
void tl_transfusion(struct ef_timeline *tl, ef_day day, enum ef_product product);
void tl_dose(struct ef_timeline *tl, ef_day day, const char *series, int live);
void tl_is(struct ef_timeline *tl, const char *drug, ef_day start, ef_day stop);
void tl_ivig(struct ef_timeline *tl, ef_day day);
void tl_acute(struct ef_timeline *tl, ef_day day, int skin, int liver, int ugi, int lgi);
/* scores: skin mouth eyes gi liver lungs joints genital */
void tl_chronic(struct ef_timeline *tl, ef_day day, const int scores[8]);

#endif
