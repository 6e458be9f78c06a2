/* labref.c - plausibility and flags of a lab result (see labref.h). The
 * limits are the site's (assets/lab_tests.csv); no number lives here. */
#include "engraft/labref.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char *const codes[] = {"", "L", "H", "LL", "HH"};
static const char *const names[] = {"", "low", "high", "critical low", "critical high"};

const char *ef_lab_flag_code(enum ef_lab_flag f)
{
	return (unsigned)f <= EF_FLAG_CRITICAL_HIGH ? codes[f] : "";
}

const char *ef_lab_flag_name(enum ef_lab_flag f)
{
	return (unsigned)f <= EF_FLAG_CRITICAL_HIGH ? names[f] : "";
}

const struct ef_lab_limits *ef_lab_limits_of(const struct ef_reference *ref, enum ef_test t)
{
	if (!ref || (unsigned)t >= EF_T_COUNT || !ref->lab[t].present)
		return NULL;
	return &ref->lab[t];
}

void ef_decimal_format(double v, char *out, size_t size)
{
	if (!size)
		return;
	if (!isfinite(v) || v < 0) {
		snprintf(out, size, "?");
		return;
	}
	if (v >= 1e15) { /* no decimals at this size; %.0f has no decimal point */
		snprintf(out, size, "%.0f", v);
		return;
	}
	long long micro = llround(v * 1e6);
	long long whole = micro / 1000000, frac = micro % 1000000;
	if (!frac) {
		snprintf(out, size, "%lld", whole);
		return;
	}
	int digits = 6;
	while (frac % 10 == 0)
		frac /= 10, digits--;
	snprintf(out, size, "%lld.%0*lld", whole, digits, frac);
}

static void range_text(const struct ef_lab_limits *l, enum ef_test t, char *out, size_t size)
{
	char lo[32], hi[32];
	const char *unit = ef_test_canonical_unit(t);
	if (l->have[EF_LIM_PLAUSIBLE_MIN])
		ef_decimal_format(l->v[EF_LIM_PLAUSIBLE_MIN], lo, sizeof lo);
	if (l->have[EF_LIM_PLAUSIBLE_MAX])
		ef_decimal_format(l->v[EF_LIM_PLAUSIBLE_MAX], hi, sizeof hi);
	if (l->have[EF_LIM_PLAUSIBLE_MIN] && l->have[EF_LIM_PLAUSIBLE_MAX])
		snprintf(out, size, "%s to %s %s", lo, hi, unit);
	else if (l->have[EF_LIM_PLAUSIBLE_MIN])
		snprintf(out, size, "at least %s %s", lo, unit);
	else
		snprintf(out, size, "at most %s %s", hi, unit);
}

int ef_lab_plausible(const struct ef_reference *ref, enum ef_test t, enum ef_qual q, double canonical,
		     char *why, size_t size)
{
	char dummy[1];
	if (!why) {
		why = dummy;
		size = sizeof dummy;
	}
	const char *code = ef_test_code(t), *unit = ef_test_canonical_unit(t);
	const struct ef_lab_limits *l = ef_lab_limits_of(ref, t);
	char val[40], range[96];
	if (q == EF_Q_LT && canonical <= 0) {
		snprintf(why, size, "<0 cannot be a result (%s cannot be below 0)", code);
		return -1;
	}
	if (!l)
		return 0;
	const int have_min = l->have[EF_LIM_PLAUSIBLE_MIN], have_max = l->have[EF_LIM_PLAUSIBLE_MAX];
	const double min = l->v[EF_LIM_PLAUSIBLE_MIN], max = l->v[EF_LIM_PLAUSIBLE_MAX];
	int bad;
	switch (q) {
	case EF_Q_LT: /* true value < canonical */
		bad = have_min && canonical <= min;
		break;
	case EF_Q_GT: /* true value > canonical */
		bad = have_max && canonical >= max;
		break;
	default:
		bad = (have_min && canonical < min) || (have_max && canonical > max);
		break;
	}
	if (!bad)
		return 0; /* the common case: no formatting */
	ef_decimal_format(canonical, val, sizeof val);
	range_text(l, t, range, sizeof range);
	snprintf(why, size, "%s%s %s is outside the plausible range for %s (%s); check the value and unit",
		 q == EF_Q_LT ? "<" : q == EF_Q_GT ? ">" : "", val, unit, code, range);
	return -1;
}

/* Is the true value certainly below lim / above lim? */
static int below(enum ef_qual q, double v, double lim)
{
	return q == EF_Q_GT ? 0 : q == EF_Q_LT ? v <= lim : v < lim;
}

static int above(enum ef_qual q, double v, double lim)
{
	return q == EF_Q_LT ? 0 : q == EF_Q_GT ? v >= lim : v > lim;
}

enum ef_lab_flag ef_lab_flag_of(const struct ef_reference *ref, enum ef_test t, enum ef_qual q, double canonical)
{
	const struct ef_lab_limits *l = ef_lab_limits_of(ref, t);
	if (!l)
		return EF_FLAG_NONE;
	if (l->have[EF_LIM_CRITICAL_LOW] && below(q, canonical, l->v[EF_LIM_CRITICAL_LOW]))
		return EF_FLAG_CRITICAL_LOW;
	if (l->have[EF_LIM_CRITICAL_HIGH] && above(q, canonical, l->v[EF_LIM_CRITICAL_HIGH]))
		return EF_FLAG_CRITICAL_HIGH;
	if (l->have[EF_LIM_REF_LOW] && below(q, canonical, l->v[EF_LIM_REF_LOW]))
		return EF_FLAG_LOW;
	if (l->have[EF_LIM_REF_HIGH] && above(q, canonical, l->v[EF_LIM_REF_HIGH]))
		return EF_FLAG_HIGH;
	return EF_FLAG_NONE;
}

void ef_lab_flag_describe(const struct ef_reference *ref, enum ef_test t, enum ef_lab_flag f, char *out,
			  size_t size)
{
	const struct ef_lab_limits *l = ef_lab_limits_of(ref, t);
	enum ef_lab_limit lim;
	switch (f) {
	case EF_FLAG_LOW:
		lim = EF_LIM_REF_LOW;
		break;
	case EF_FLAG_HIGH:
		lim = EF_LIM_REF_HIGH;
		break;
	case EF_FLAG_CRITICAL_LOW:
		lim = EF_LIM_CRITICAL_LOW;
		break;
	case EF_FLAG_CRITICAL_HIGH:
		lim = EF_LIM_CRITICAL_HIGH;
		break;
	default:
		if (size)
			out[0] = '\0';
		return;
	}
	if (!l || !l->have[lim]) {
		snprintf(out, size, "%s", ef_lab_flag_name(f));
		return;
	}
	char v[32];
	ef_decimal_format(l->v[lim], v, sizeof v);
	const int low = f == EF_FLAG_LOW || f == EF_FLAG_CRITICAL_LOW;
	snprintf(out, size, "%s (%s %s %s)", ef_lab_flag_name(f), low ? "below" : "above", v,
		 ef_test_canonical_unit(t));
}
