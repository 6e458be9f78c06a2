/* Lab units: every accepted spelling converts to the canonical unit
 * (docs/clinical-rules.md s.2, s.18 cases 10 and 20). */
#include <check.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "engraft/units.h"

static const struct {
	const char *test, *unit, *value;
	double want; /* canonical; < 0 means the unit is rejected */
} conv_cases[] = {
	{"ANC", "10*9/L", "0.6", 0.6},      {"ANC", "10^9/L", "0.6", 0.6},
	{"ANC", "x10^9/L", "0.6", 0.6},     {"ANC", "10*3/uL", "0.6", 0.6},
	{"ANC", "K/uL", "0.6", 0.6},        {"ANC", "/uL", "600", 0.6},
	{"ANC", "cells/uL", "600", 0.6},    {"ANC", "x10^3/uL", "0.6", 0.6},
	{"ANC", "cells/uL", "500", 0.5},    {"ANC", "cells/\xc2\xb5L", "500", 0.5},
	{"PLT", "10*9/L", "20", 20},        {"PLT", "/uL", "20000", 20},
	{"WBC", "K/uL", "1.0", 1.0},        {"ALC", "cells/uL", "1200", 1.2},
	{"CD4", "cells/uL", "150", 150},    {"CD4", "/uL", "200", 200},
	{"CD4", "10*9/L", "0.15", 150},     {"CD19", "cells/uL", "5", 5},
	{"IGG", "mg/dL", "350", 350},       {"IGG", "g/L", "4", 400},
	{"IGA", "g/L", "0.5", 50},          {"HGB", "g/dL", "9.5", 9.5},
	{"HGB", "g/L", "95", 9.5},          {"BILI", "mg/dL", "3.0", 3.0},
	{"BILI", "umol/L", "51", 2.982456}, {"BILI", "umol/L", "34.2", 2.0},
	{"CREAT", "umol/L", "88.4", 1.0},   {"CREAT", "mg/dL", "0.9", 0.9},
	{"ANC", "mg/dL", "1", -1},          {"IGG", "cells/uL", "1", -1},
	{"ANC", "", "1", -1},               {"ANC", "10*9/ L", "1", -1},
	{"HGB", "mmol/L", "1", -1},         {"BILI", "g/L", "1", -1},
	{"ANC", "mg/dl", "1", -1},          {"IGG", "MG/DL", "350", 350},
};

START_TEST(conversion_table)
{
	enum ef_test t;
	enum ef_qual q;
	double v, c = -99;
	const char *tc = conv_cases[_i].test;
	ck_assert_int_eq(ef_test_parse(tc, strlen(tc), &t), 0);
	ck_assert_int_eq(ef_value_parse(conv_cases[_i].value, strlen(conv_cases[_i].value), &q, &v, NULL), 0);
	int rc = ef_unit_convert(t, conv_cases[_i].unit, strlen(conv_cases[_i].unit), v, &c);
	if (conv_cases[_i].want < 0) {
		ck_assert_msg(rc == -1, "%s %s should be rejected", tc, conv_cases[_i].unit);
	} else {
		ck_assert_msg(rc == 0, "%s %s should be accepted", tc, conv_cases[_i].unit);
		ck_assert_msg(fabs(c - conv_cases[_i].want) < 1e-6, "%s %s %s -> %g", tc,
			      conv_cases[_i].unit, conv_cases[_i].value, c);
	}
}
END_TEST

START_TEST(threshold_exact_after_conversion)
{
	double c;
	ck_assert_int_eq(ef_unit_convert(EF_T_ANC, "/uL", 3, 500, &c), 0);
	ck_assert(c >= 0.5);
	ck_assert_int_eq(ef_unit_convert(EF_T_BILI, "umol/L", 6, 34.2, &c), 0);
	ck_assert(c >= 2.0);
}
END_TEST

static const struct {
	const char *in;
	int ok;
	enum ef_qual q;
	double v;
} value_cases[] = {
	{"0.6", 1, EF_Q_EQ, 0.6}, {"<0.1", 1, EF_Q_LT, 0.1}, {">1000", 1, EF_Q_GT, 1000},
	{"0", 1, EF_Q_EQ, 0},     {"12", 1, EF_Q_EQ, 12},    {"0.55", 1, EF_Q_EQ, 0.55},
	{"-0", 0, 0, 0},          {"-1", 0, 0, 0},           {"1e999", 0, 0, 0},
	{"1e3", 0, 0, 0},         {"nan", 0, 0, 0},          {"inf", 0, 0, 0},
	{"0x10", 0, 0, 0},        {"", 0, 0, 0},             {"<", 0, 0, 0},
	{"<=0.5", 0, 0, 0},       {".5", 0, 0, 0},           {"5.", 0, 0, 0},
	{"1,5", 0, 0, 0},         {" 1", 0, 0, 0},           {"1 ", 0, 0, 0},
	{"+1", 0, 0, 0},          {"< 0.1", 1, EF_Q_LT, 0.1}, {"<", 0, 0, 0},          {"<<1", 0, 0, 0},          {"1.2.3", 0, 0, 0},
	{"99999999999999999999999999999999999999999999999", 0, 0, 0},
};

START_TEST(value_table)
{
	enum ef_qual q;
	double v;
	const char *why = NULL;
	int ok = ef_value_parse(value_cases[_i].in, strlen(value_cases[_i].in), &q, &v, &why) == 0;
	ck_assert_msg(ok == value_cases[_i].ok, "'%s' want %d", value_cases[_i].in, value_cases[_i].ok);
	if (ok) {
		ck_assert_int_eq(q, value_cases[_i].q);
		ck_assert(fabs(v - value_cases[_i].v) < 1e-12);
	} else {
		ck_assert_ptr_nonnull(why);
	}
}
END_TEST

START_TEST(qualified_comparison)
{
	/* docs/clinical-rules.md s.2: <0.1 is below 0.5; <1.0 vs 0.5 unknown. */
	ck_assert_int_eq(ef_qual_ge(EF_Q_LT, 0.1, 0.5), 0);
	ck_assert_int_eq(ef_qual_ge(EF_Q_LT, 0.5, 0.5), 0);
	ck_assert_int_eq(ef_qual_ge(EF_Q_LT, 1.0, 0.5), -1);
	ck_assert_int_eq(ef_qual_ge(EF_Q_GT, 1000, 0.5), 1);
	ck_assert_int_eq(ef_qual_ge(EF_Q_GT, 0.1, 0.5), -1);
	ck_assert_int_eq(ef_qual_ge(EF_Q_EQ, 0.5, 0.5), 1);
	ck_assert_int_eq(ef_qual_ge(EF_Q_EQ, 0.49, 0.5), 0);
}
END_TEST

START_TEST(test_codes)
{
	enum ef_test t;
	for (int i = 0; i < EF_T_COUNT; i++) {
		const char *c = ef_test_code((enum ef_test)i);
		ck_assert_int_eq(ef_test_parse(c, strlen(c), &t), 0);
		ck_assert_int_eq(t, i);
		const char *const *u = ef_test_units(t);
		ck_assert_str_eq(u[0], ef_test_canonical_unit(t));
	}
	ck_assert_int_eq(ef_test_parse("anc", 3, &t), -1);
	ck_assert_int_eq(ef_test_parse("CMV", 3, &t), -1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("units");
	TCase *tc = tcase_create("units");
	tcase_add_loop_test(tc, conversion_table, 0, sizeof conv_cases / sizeof conv_cases[0]);
	tcase_add_test(tc, threshold_exact_after_conversion);
	tcase_add_loop_test(tc, value_table, 0, sizeof value_cases / sizeof value_cases[0]);
	tcase_add_test(tc, qualified_comparison);
	tcase_add_test(tc, test_codes);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
