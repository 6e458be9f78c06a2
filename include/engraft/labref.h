/* labref.h - a lab result against the site's lab-test limits
 * (lab_tests.csv, reference.h): plausible or refused, and its flag.
 *
 * Pure functions of the reference, the test, the qualifier and the value in
 * the test's canonical unit (units.h). The importer, the lab form, the
 * chart (and a trend) all call these, so they can never disagree.
 *
 * Qualified values are judged by what they certainly are: "<x" (the true
 * value is below x) is low only when x <= ref_low and critical only when
 * x <= critical_low, and is never high; ">x" is high only when x >= ref_high
 * and critical only when x >= critical_high, and is never low. A
 * qualified value that may or may not be beyond a limit gets no flag.
 * Plausibility the same way: "<x" is impossible when x <= 0 or x <= plausible_min
 * ("<0": nothing is below 0), ">x" when x >= plausible_max. */
#ifndef ENGRAFT_LABREF_H
#define ENGRAFT_LABREF_H

#include <stddef.h>

#include "engraft/reference.h"
#include "engraft/units.h"

enum ef_lab_flag {
	EF_FLAG_NONE = 0,      /* within the reference interval, or no limit says otherwise */
	EF_FLAG_LOW,           /* below ref_low */
	EF_FLAG_HIGH,          /* above ref_high */
	EF_FLAG_CRITICAL_LOW,  /* below critical_low */
	EF_FLAG_CRITICAL_HIGH, /* above critical_high */
};

/* HL7 v2 abnormal-flag style codes: "", "L", "H", "LL", "HH". */
const char *ef_lab_flag_code(enum ef_lab_flag f);
/* "", "low", "high", "critical low", "critical high". */
const char *ef_lab_flag_name(enum ef_lab_flag f);
static inline int ef_lab_flag_critical(enum ef_lab_flag f)
{
	return f == EF_FLAG_CRITICAL_LOW || f == EF_FLAG_CRITICAL_HIGH;
}

/* The limits of test t, or NULL when ref is NULL or the site's file has no
 * row for t. */
const struct ef_lab_limits *ef_lab_limits_of(const struct ef_reference *ref, enum ef_test t);

/* 0 when the value can be a real result; -1 when not, with the reason and
 * the limits in why (if not NULL), e.g. "99999 10*9/L is outside the
 * plausible range for ALC (0 to 1000 10*9/L); check the value and unit".
 * ref may be NULL (then only "<0" is refused). */
int ef_lab_plausible(const struct ef_reference *ref, enum ef_test t, enum ef_qual q, double canonical,
		     char *why, size_t size);

/* The flag of a plausible value (see above); EF_FLAG_NONE without limits. */
enum ef_lab_flag ef_lab_flag_of(const struct ef_reference *ref, enum ef_test t, enum ef_qual q,
				double canonical);

/* Describe a flag with the limit it crosses, e.g. "critical low (below 0.5
 * 10*9/L)"; "" for EF_FLAG_NONE. */
void ef_lab_flag_describe(const struct ef_reference *ref, enum ef_test t, enum ef_lab_flag f, char *out,
			  size_t size);

/* A non-negative decimal as plain digits, without exponent and whatever
 * the locale: up to 6 decimals, trailing zeros dropped (0.5, 99999,
 * 100000000000000000000). */
void ef_decimal_format(double v, char *out, size_t size);

#endif
