/* Lab plausibility and flags against the shipped lab_tests.csv: the
 * observed bad entries are refused with the limits in the message, and a
 * qualified value is flagged only by what it certainly is. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "engraft/labref.h"
#include "helpers.h"

static struct ef_reference ref;

static void setup(void)
{
	test_reference(&ref);
}

static void teardown(void)
{
	ef_reference_free(&ref);
}

/* value as on a lab report, in the canonical unit */
static void parse(const char *s, enum ef_qual *q, double *v)
{
	ck_assert_msg(ef_value_parse(s, strlen(s), q, v, NULL) == 0, "%s", s);
}

static const struct {
	enum ef_test test;
	const char *value;
	const char *want; /* NULL: plausible; else the whole message */
} plausible_cases[] = {
	{EF_T_ALC, "99999", "99999 10*9/L is outside the plausible range for ALC (0 to 1000 10*9/L); check the value and unit"},
	{EF_T_IGG, "100000000000000000000",
	 "100000000000000000000 mg/dL is outside the plausible range for IGG (0 to 20000 mg/dL); check the value and unit"},
	{EF_T_ANC, "<0", "<0 cannot be a result (ANC cannot be below 0)"},
	{EF_T_CD4, "<0.0", "<0 cannot be a result (CD4 cannot be below 0)"},
	{EF_T_HGB, "30.1", "30.1 g/dL is outside the plausible range for HGB (0 to 30 g/dL); check the value and unit"},
	{EF_T_PLT, ">5000", ">5000 10*9/L is outside the plausible range for PLT (0 to 5000 10*9/L); check the value and unit"},
	/* the limits themselves and real extremes are accepted */
	{EF_T_HGB, "30", NULL},
	{EF_T_WBC, "950", NULL},
	{EF_T_PLT, ">4999", NULL},
	{EF_T_PLT, "0", NULL},
	{EF_T_ANC, "<0.1", NULL},
	{EF_T_ANC, "0", NULL},
	{EF_T_IGG, "12000", NULL},
	{EF_T_CD4, "350", NULL},
};

START_TEST(plausible_range)
{
	enum ef_qual q;
	double v;
	char why[256] = "";
	parse(plausible_cases[_i].value, &q, &v);
	int rc = ef_lab_plausible(&ref, plausible_cases[_i].test, q, v, why, sizeof why);
	if (!plausible_cases[_i].want) {
		ck_assert_msg(rc == 0, "%s refused: %s", plausible_cases[_i].value, why);
	} else {
		ck_assert_int_eq(rc, -1);
		ck_assert_str_eq(why, plausible_cases[_i].want);
	}
}
END_TEST

static const struct {
	enum ef_test test;
	const char *value;
	enum ef_lab_flag want;
} flag_cases[] = {
	/* ANC: critical < 0.5 (CIBMTR), reference 1.8-7.7 */
	{EF_T_ANC, "0.4", EF_FLAG_CRITICAL_LOW},
	{EF_T_ANC, "0.5", EF_FLAG_LOW},          /* at the critical limit is not beyond it */
	{EF_T_ANC, "1.8", EF_FLAG_NONE},         /* the interval includes its limits */
	{EF_T_ANC, "7.7", EF_FLAG_NONE},
	{EF_T_ANC, "7.8", EF_FLAG_HIGH},
	{EF_T_ANC, "900", EF_FLAG_HIGH},         /* no critical high for ANC */
	{EF_T_ANC, "<0.1", EF_FLAG_CRITICAL_LOW}, /* certainly below 0.5 */
	{EF_T_ANC, "<0.5", EF_FLAG_CRITICAL_LOW}, /* below 0.5 is critical */
	{EF_T_ANC, "<1.0", EF_FLAG_LOW},         /* certainly below 1.8, maybe not below 0.5 */
	{EF_T_ANC, "<1.8", EF_FLAG_LOW},
	{EF_T_ANC, "<2.0", EF_FLAG_NONE},        /* may be 1.9: undecided, no flag */
	{EF_T_ANC, ">0.1", EF_FLAG_NONE},        /* a '>' value is never low */
	{EF_T_ANC, ">7.7", EF_FLAG_HIGH},
	{EF_T_ANC, ">7.0", EF_FLAG_NONE},
	/* PLT: critical < 20 (CIBMTR) and > 1000, reference 150-400 */
	{EF_T_PLT, "19", EF_FLAG_CRITICAL_LOW},
	{EF_T_PLT, "20", EF_FLAG_LOW},
	{EF_T_PLT, "1001", EF_FLAG_CRITICAL_HIGH},
	{EF_T_PLT, ">1000", EF_FLAG_CRITICAL_HIGH},
	{EF_T_PLT, ">999", EF_FLAG_HIGH},
	{EF_T_PLT, "<1001", EF_FLAG_NONE},       /* a '<' value is never high */
	/* HGB: critical < 7 and > 20 */
	{EF_T_HGB, "6.9", EF_FLAG_CRITICAL_LOW},
	{EF_T_HGB, "14", EF_FLAG_NONE},
	{EF_T_HGB, "21", EF_FLAG_CRITICAL_HIGH},
	/* IgG: critical < 400 mg/dL ([R19]), reference 700-1600 */
	{EF_T_IGG, "399", EF_FLAG_CRITICAL_LOW},
	{EF_T_IGG, "650", EF_FLAG_LOW},
	/* CD4: no critical limits at all */
	{EF_T_CD4, "10", EF_FLAG_LOW},
	{EF_T_CD4, "5000", EF_FLAG_HIGH},
	/* BILI: no reference low */
	{EF_T_BILI, "0", EF_FLAG_NONE},
	{EF_T_BILI, "16", EF_FLAG_CRITICAL_HIGH},
};

START_TEST(flag_of_value)
{
	enum ef_qual q;
	double v;
	parse(flag_cases[_i].value, &q, &v);
	enum ef_lab_flag f = ef_lab_flag_of(&ref, flag_cases[_i].test, q, v);
	ck_assert_msg(f == flag_cases[_i].want, "%s %s: %s, want %s", ef_test_code(flag_cases[_i].test),
		      flag_cases[_i].value, ef_lab_flag_name(f), ef_lab_flag_name(flag_cases[_i].want));
}
END_TEST

/* A test the site's file leaves out has no limits: no flag, no refusal
 * except "<0", which nothing can be. */
START_TEST(test_without_row_has_no_limits)
{
	char why[128];
	ref.lab[EF_T_ALC].present = 0;
	ck_assert_int_eq(ef_lab_plausible(&ref, EF_T_ALC, EF_Q_EQ, 99999, why, sizeof why), 0);
	ck_assert_int_eq(ef_lab_flag_of(&ref, EF_T_ALC, EF_Q_EQ, 0.01), EF_FLAG_NONE);
	ck_assert_int_eq(ef_lab_plausible(NULL, EF_T_ALC, EF_Q_EQ, 99999, why, sizeof why), 0);
	ck_assert_int_eq(ef_lab_plausible(NULL, EF_T_ALC, EF_Q_LT, 0, why, sizeof why), -1);
	ck_assert_str_eq(why, "<0 cannot be a result (ALC cannot be below 0)");
	ck_assert_int_eq(ef_lab_flag_of(NULL, EF_T_ANC, EF_Q_EQ, 0.01), EF_FLAG_NONE);
}
END_TEST

/* Only the limits a row sets apply: an open-ended plausible range. */
START_TEST(open_ended_limits)
{
	struct ef_reference r;
	struct ef_err err;
	char why[160];
	ef_reference_init(&r);
	const char *row[] = {"CREAT", "", "40", "", "", "", "", "site"};
	ck_assert_int_eq(ef_reference_add_row(&r, EF_REF_LAB_TESTS, row, &err), EF_OK);
	ck_assert_int_eq(ef_lab_plausible(&r, EF_T_CREAT, EF_Q_EQ, 41, why, sizeof why), -1);
	ck_assert_str_eq(why, "41 mg/dL is outside the plausible range for CREAT (at most 40 mg/dL); check the value and unit");
	ck_assert_int_eq(ef_lab_flag_of(&r, EF_T_CREAT, EF_Q_EQ, 39), EF_FLAG_NONE);
	ef_reference_free(&r);
}
END_TEST

START_TEST(flag_codes_and_descriptions)
{
	char d[80];
	ck_assert_str_eq(ef_lab_flag_code(EF_FLAG_NONE), "");
	ck_assert_str_eq(ef_lab_flag_code(EF_FLAG_LOW), "L");
	ck_assert_str_eq(ef_lab_flag_code(EF_FLAG_HIGH), "H");
	ck_assert_str_eq(ef_lab_flag_code(EF_FLAG_CRITICAL_LOW), "LL");
	ck_assert_str_eq(ef_lab_flag_code(EF_FLAG_CRITICAL_HIGH), "HH");
	ck_assert(ef_lab_flag_critical(EF_FLAG_CRITICAL_HIGH) && !ef_lab_flag_critical(EF_FLAG_HIGH));
	ef_lab_flag_describe(&ref, EF_T_ANC, EF_FLAG_CRITICAL_LOW, d, sizeof d);
	ck_assert_str_eq(d, "critical low (below 0.5 10*9/L)");
	ef_lab_flag_describe(&ref, EF_T_HGB, EF_FLAG_HIGH, d, sizeof d);
	ck_assert_str_eq(d, "high (above 17.5 g/dL)");
	ef_lab_flag_describe(&ref, EF_T_HGB, EF_FLAG_NONE, d, sizeof d);
	ck_assert_str_eq(d, "");
}
END_TEST

static const struct {
	double v;
	const char *want;
} fmt_cases[] = {
	{0, "0"}, {0.5, "0.5"}, {99999, "99999"}, {17.5, "17.5"}, {0.000001, "0.000001"},
	{1.23456789, "1.234568"}, {1e20, "100000000000000000000"}, {2.0, "2"},
};

/* Numbers in messages are plain digits, never an exponent or a locale's comma. */
START_TEST(decimal_format)
{
	char b[48];
	ef_decimal_format(fmt_cases[_i].v, b, sizeof b);
	ck_assert_str_eq(b, fmt_cases[_i].want);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("labref");
	TCase *tc = tcase_create("labref");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, plausible_range, 0, sizeof plausible_cases / sizeof plausible_cases[0]);
	tcase_add_loop_test(tc, flag_of_value, 0, sizeof flag_cases / sizeof flag_cases[0]);
	tcase_add_test(tc, test_without_row_has_no_limits);
	tcase_add_test(tc, open_ended_limits);
	tcase_add_test(tc, flag_codes_and_descriptions);
	tcase_add_loop_test(tc, decimal_format, 0, sizeof fmt_cases / sizeof fmt_cases[0]);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
