/* units.h - lab tests, units, values with qualifiers.
 *
 * Lab values keep their original text and unit; the core sees the
 * canonical value (docs/clinical-rules.md s.2: test codes and accepted units). */
#ifndef ENGRAFT_UNITS_H
#define ENGRAFT_UNITS_H

#include <stddef.h>

enum ef_test {
	EF_T_ANC, EF_T_ALC, EF_T_WBC, EF_T_HGB, EF_T_PLT,
	EF_T_CD3, EF_T_CD4, EF_T_CD8, EF_T_CD19, EF_T_NK,
	EF_T_IGG, EF_T_IGA, EF_T_IGM, EF_T_BILI, EF_T_CREAT,
	EF_T_COUNT
};

/* Qualifier of a value: "<0.1" is below 0.1, never equal to it. */
enum ef_qual { EF_Q_EQ = 0, EF_Q_LT = 1, EF_Q_GT = 2 };

const char *ef_test_code(enum ef_test t);          /* "ANC" */
const char *ef_test_name(enum ef_test t);          /* "neutrophils (absolute)" */
const char *ef_test_canonical_unit(enum ef_test t);/* "10*9/L" */
/* Parse a test code (exact, case-sensitive as in the contract). */
int ef_test_parse(const char *s, size_t len, enum ef_test *out);

/* Accepted units for a test, NULL-terminated, canonical first. */
const char *const *ef_test_units(enum ef_test t);

/* Convert value v given in `unit` to the test's canonical unit.
 * Returns 0, or -1 if the unit is not known for this test. */
int ef_unit_convert(enum ef_test t, const char *unit, size_t unit_len,
		    double v, double *canonical);

/* Parse a lab value: optional '<' or '>', then a plain non-negative decimal
 * number (digits, optional '.' and digits). No sign, exponent, hex, inf or
 * nan. Returns 0 or -1; on failure *why (if not NULL) says what was wrong. */
int ef_value_parse(const char *s, size_t len, enum ef_qual *q, double *v,
		   const char **why);

/* Parse a plain non-negative decimal (as above but no qualifier). */
int ef_decimal_parse(const char *s, size_t len, double *v);

/* Compare a qualified value with threshold: 1 if certainly >= thr,
 * 0 if certainly < thr, -1 if the qualifier leaves it undecided. */
int ef_qual_ge(enum ef_qual q, double v, double thr);

#endif
