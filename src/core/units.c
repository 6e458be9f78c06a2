/* units.c - lab test codes, accepted units and conversion to canonical units.
 * Conversion factors are physical definitions (1 x10^9/L = 1000 cells/uL,
 * 1 g/L = 100 mg/dL, bilirubin 17.1 umol/L per mg/dL, creatinine 88.4),
 * docs/clinical-rules.md s.2, which also lists the accepted spellings. */
#include "engraft/units.h"

#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

struct unit_conv {
	const char *unit;
	double mul, div; /* canonical = value * mul / div */
};

#define U_END {NULL, 0, 0}

static const struct unit_conv count_units[] = {
	{"10*9/L", 1, 1}, {"10^9/L", 1, 1}, {"x10^9/L", 1, 1}, {"x10*9/L", 1, 1},
	{"10*3/uL", 1, 1}, {"10^3/uL", 1, 1}, {"x10^3/uL", 1, 1}, {"x10*3/uL", 1, 1},
	{"K/uL", 1, 1}, {"/uL", 1, 1000}, {"cells/uL", 1, 1000}, {"{cells}/uL", 1, 1000},
	{"/mm3", 1, 1000}, {"cells/mm3", 1, 1000}, U_END};
static const struct unit_conv cell_units[] = {
	{"cells/uL", 1, 1}, {"/uL", 1, 1}, {"{cells}/uL", 1, 1}, {"/mm3", 1, 1}, {"cells/mm3", 1, 1},
	{"10*9/L", 1000, 1}, {"10^9/L", 1000, 1}, {"x10^9/L", 1000, 1}, {"x10*9/L", 1000, 1},
	{"10*3/uL", 1000, 1}, {"10^3/uL", 1000, 1}, {"x10^3/uL", 1000, 1}, {"K/uL", 1000, 1}, U_END};
static const struct unit_conv ig_units[] = {{"mg/dL", 1, 1}, {"g/L", 100, 1}, U_END};
static const struct unit_conv hgb_units[] = {{"g/dL", 1, 1}, {"g/L", 1, 10}, U_END};
static const struct unit_conv bili_units[] = {{"mg/dL", 1, 1}, {"umol/L", 1, 17.1}, U_END};
static const struct unit_conv creat_units[] = {{"mg/dL", 1, 1}, {"umol/L", 1, 88.4}, U_END};

static const struct {
	const char *code;
	const char *name;
	const struct unit_conv *units;
} tests[EF_T_COUNT] = {
	[EF_T_ANC] = {"ANC", "neutrophils, absolute", count_units},
	[EF_T_ALC] = {"ALC", "lymphocytes, absolute", count_units},
	[EF_T_WBC] = {"WBC", "white cells", count_units},
	[EF_T_HGB] = {"HGB", "haemoglobin", hgb_units},
	[EF_T_PLT] = {"PLT", "platelets", count_units},
	[EF_T_CD3] = {"CD3", "CD3 T cells", cell_units},
	[EF_T_CD4] = {"CD4", "CD4 T cells", cell_units},
	[EF_T_CD8] = {"CD8", "CD8 T cells", cell_units},
	[EF_T_CD19] = {"CD19", "CD19 B cells", cell_units},
	[EF_T_NK] = {"NK", "NK cells", cell_units},
	[EF_T_IGG] = {"IGG", "immunoglobulin G", ig_units},
	[EF_T_IGA] = {"IGA", "immunoglobulin A", ig_units},
	[EF_T_IGM] = {"IGM", "immunoglobulin M", ig_units},
	[EF_T_BILI] = {"BILI", "bilirubin, total", bili_units},
	[EF_T_CREAT] = {"CREAT", "creatinine", creat_units},
};

const char *ef_test_code(enum ef_test t)
{
	return (unsigned)t < EF_T_COUNT ? tests[t].code : "";
}

const char *ef_test_name(enum ef_test t)
{
	return (unsigned)t < EF_T_COUNT ? tests[t].name : "";
}

const char *ef_test_canonical_unit(enum ef_test t)
{
	return (unsigned)t < EF_T_COUNT ? tests[t].units[0].unit : "";
}

int ef_test_parse(const char *s, size_t len, enum ef_test *out)
{
	for (int i = 0; i < EF_T_COUNT; i++) {
		if (strlen(tests[i].code) == len && memcmp(tests[i].code, s, len) == 0) {
			*out = (enum ef_test)i;
			return 0;
		}
	}
	return -1;
}

const char *const *ef_test_units(enum ef_test t)
{
	/* Built once per test from the conversion tables; small and static. */
	static const char *lists[EF_T_COUNT][20];
	if ((unsigned)t >= EF_T_COUNT)
		return NULL;
	if (!lists[t][0]) {
		int n = 0;
		for (const struct unit_conv *u = tests[t].units; u->unit && n < 19; u++)
			lists[t][n++] = u->unit;
		lists[t][n] = NULL;
	}
	return lists[t];
}

/* Compare a unit as written with a table spelling: ASCII case-insensitive,
 * and the micro sign (U+00B5) or Greek mu (U+03BC) read as 'u'. */
static int unit_eq(const char *s, size_t n, const char *want)
{
	size_t i = 0;
	for (; *want; want++) {
		if (i >= n)
			return 0;
		unsigned char c = (unsigned char)s[i];
		if (*want == 'u' && i + 1 < n &&
		    ((c == 0xC2 && (unsigned char)s[i + 1] == 0xB5) ||
		     (c == 0xCE && (unsigned char)s[i + 1] == 0xBC))) {
			i += 2;
			continue;
		}
		char a = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
		char b = (char)(*want >= 'A' && *want <= 'Z' ? *want + 32 : *want);
		if (a != b)
			return 0;
		i++;
	}
	return i == n;
}

int ef_unit_convert(enum ef_test t, const char *unit, size_t unit_len, double v, double *canonical)
{
	if ((unsigned)t >= EF_T_COUNT)
		return -1;
	for (const struct unit_conv *u = tests[t].units; u->unit; u++) {
		if (unit_eq(unit, unit_len, u->unit)) {
			/* Round to 1e-6 so that 500 /uL is exactly 0.5 and
			 * 34.2 umol/L is exactly 2.0 mg/dL at a threshold. */
			*canonical = round(v * u->mul / u->div * 1e6) / 1e6;
			return 0;
		}
	}
	return -1;
}

int ef_decimal_parse(const char *s, size_t len, double *v)
{
	char buf[48];
	size_t i = 0, intd = 0, fracd = 0;
	if (len == 0 || len >= sizeof buf)
		return -1;
	while (i < len && s[i] >= '0' && s[i] <= '9')
		i++, intd++;
	if (i < len && s[i] == '.') {
		i++;
		while (i < len && s[i] >= '0' && s[i] <= '9')
			i++, fracd++;
		if (fracd == 0)
			return -1;
	}
	if (i != len || intd == 0)
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	/* strtod reads the decimal point of LC_NUMERIC: under a decimal-comma
	 * locale "0.45" would stop at the '.' and give 0. Convert in the C
	 * locale, whatever the process's locale is. */
	static locale_t c_numeric;
	if (!c_numeric)
		c_numeric = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
	if (!c_numeric)
		return -1; /* out of memory: refuse rather than guess */
	locale_t prev = uselocale(c_numeric);
	double d = strtod(buf, NULL);
	uselocale(prev);
	if (!isfinite(d))
		return -1;
	*v = d;
	return 0;
}

int ef_value_parse(const char *s, size_t len, enum ef_qual *q, double *v, const char **why)
{
	const char *dummy;
	if (!why)
		why = &dummy;
	*q = EF_Q_EQ;
	if (len == 0) {
		*why = "empty value";
		return -1;
	}
	if (s[0] == '<' || s[0] == '>') {
		*q = s[0] == '<' ? EF_Q_LT : EF_Q_GT;
		s++, len--;
		while (len && s[0] == ' ') /* "< 0.1" as some analysers print it */
			s++, len--;
		if (len && s[0] == '=') {
			*why = "qualifier must be '<' or '>'";
			return -1;
		}
	}
	if (len && s[0] == '-') {
		*why = "negative value";
		return -1;
	}
	if (len >= 47) {
		*why = "value too long";
		return -1;
	}
	if (ef_decimal_parse(s, len, v)) {
		*why = "not a decimal number (digits with an optional '.', optionally after '<' or '>')";
		return -1;
	}
	return 0;
}

int ef_qual_ge(enum ef_qual q, double v, double thr)
{
	switch (q) {
	case EF_Q_EQ:
		return v >= thr;
	case EF_Q_LT: /* true value < v */
		return v <= thr ? 0 : -1;
	case EF_Q_GT: /* true value > v */
		return v >= thr ? 1 : -1;
	}
	return -1;
}
