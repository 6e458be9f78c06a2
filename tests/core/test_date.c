/* Dates: parsing, formatting, leap years, month arithmetic (both rules). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "engraft/date.h"

static ef_day D(const char *s)
{
	ef_day d;
	ck_assert_msg(ef_date_parse(s, strlen(s), &d) == 0, "parse %s", s);
	return d;
}

static const char *F(ef_day d)
{
	static char buf[4][11];
	static int i;
	i = (i + 1) % 4;
	ef_date_format(d, buf[i]);
	return buf[i];
}

START_TEST(epoch_and_roundtrip)
{
	ck_assert_int_eq(D("1970-01-01"), 0);
	ck_assert_int_eq(D("1970-01-02"), 1);
	ck_assert_int_eq(D("1969-12-31"), -1);
	ck_assert_int_eq(D("2000-03-01") - D("2000-02-28"), 2); /* 2000 is leap */
	ck_assert_int_eq(D("1900-03-01") - D("1900-02-28"), 1); /* 1900 is not */
	for (ef_day d = D("0001-01-01"); d < D("9999-12-31"); d += 97) {
		ef_day back;
		const char *s = F(d);
		ck_assert_int_eq(ef_date_parse(s, 10, &back), 0);
		ck_assert_int_eq(back, d);
	}
}
END_TEST

static const struct {
	const char *in;
	int ok;
} parse_cases[] = {
	{"2024-02-29", 1}, {"2023-02-29", 0}, {"2026-02-30", 0}, {"0000-01-01", 0},
	{"2025-13-01", 0}, {"2025-00-10", 0}, {"2025-04-31", 0}, {"2025-4-01", 0},
	{"2025/04/01", 0}, {"20250401", 0},   {"2025-04-01 ", 0}, {"", 0},
	{"9999-12-31", 1}, {"0001-01-01", 1}, {"2000-02-29", 1}, {"1900-02-29", 0},
	{"2025-1a-01", 0}, {"-025-01-01", 0},
};

START_TEST(parse_table)
{
	ef_day d;
	int got = ef_date_parse(parse_cases[_i].in, strlen(parse_cases[_i].in), &d) == 0;
	ck_assert_msg(got == parse_cases[_i].ok, "%s: want %d", parse_cases[_i].in, parse_cases[_i].ok);
}
END_TEST

static const struct {
	const char *in;
	int ok, secs;
} dt_cases[] = {
	{"2025-01-27", 1, -1},        {"2025-01-27T08:00", 1, 8 * 3600},
	{"2025-01-27T18:00:30", 1, 18 * 3600 + 30}, {"2025-01-27T24:00", 0, 0},
	{"2025-01-27 08:00", 0, 0},   {"2025-01-27T08:60", 0, 0},
	{"2025-01-27T08:00:", 0, 0},  {"2025-02-30T08:00", 0, 0},
};

START_TEST(datetime_table)
{
	ef_day d;
	int secs = -2;
	int got = ef_datetime_parse(dt_cases[_i].in, strlen(dt_cases[_i].in), &d, &secs) == 0;
	ck_assert_msg(got == dt_cases[_i].ok, "%s", dt_cases[_i].in);
	if (got)
		ck_assert_int_eq(secs, dt_cases[_i].secs);
}
END_TEST

/* docs/clinical-rules.md s.18 case 30 and s.1 (Jan 31 + 1 month). */
static const struct {
	const char *from;
	int months;
	const char *clamp, *next_first;
} month_cases[] = {
	{"2024-08-31", 6, "2025-02-28", "2025-03-01"},
	{"2024-01-31", 1, "2024-02-29", "2024-03-01"},
	{"2023-01-31", 1, "2023-02-28", "2023-03-01"},
	{"2025-01-15", 3, "2025-04-15", "2025-04-15"},
	{"2025-01-15", 12, "2026-01-15", "2026-01-15"},
	{"2024-02-29", 12, "2025-02-28", "2025-03-01"},
	{"2024-02-29", 48, "2028-02-29", "2028-02-29"},
	{"2025-03-31", -1, "2025-02-28", "2025-03-01"},
	{"2025-12-31", 2, "2026-02-28", "2026-03-01"},
	{"2023-01-10", 24, "2025-01-10", "2025-01-10"},
	{"2025-10-31", 1, "2025-11-30", "2025-12-01"},
};

START_TEST(add_months_table)
{
	ef_day d = D(month_cases[_i].from);
	ck_assert_str_eq(F(ef_add_months(d, month_cases[_i].months, EF_MONTHS_CLAMP)), month_cases[_i].clamp);
	ck_assert_str_eq(F(ef_add_months(d, month_cases[_i].months, EF_MONTHS_NEXT_FIRST)),
			 month_cases[_i].next_first);
}
END_TEST

START_TEST(day_plus_n)
{
	/* s.18 date key: D0 2025-01-15 */
	ef_day d0 = D("2025-01-15");
	ck_assert_str_eq(F(d0 + 12), "2025-01-27");
	ck_assert_str_eq(F(d0 + 28), "2025-02-12");
	ck_assert_str_eq(F(d0 + 42), "2025-02-26");
	ck_assert_str_eq(F(d0 + 60), "2025-03-16");
	ck_assert_str_eq(F(d0 + 100), "2025-04-25");
	ck_assert_str_eq(F(d0 + 180), "2025-07-14");
	ck_assert_str_eq(F(d0 + 365), "2026-01-15");
	ck_assert_str_eq(F(EF_NO_DAY), "");
}
END_TEST

START_TEST(months_between_and_age)
{
	ck_assert_int_eq(ef_months_between(D("2025-01-31"), D("2025-02-28")), 1);
	ck_assert_int_eq(ef_months_between(D("2025-01-15"), D("2025-04-14")), 2);
	ck_assert_int_eq(ef_months_between(D("2025-01-15"), D("2025-04-15")), 3);
	ck_assert_int_eq(ef_months_between(D("2025-04-15"), D("2025-01-15")), -3);
	ck_assert_int_eq(ef_age_years(D("2000-02-29"), D("2019-02-28")), 18);
	ck_assert_int_eq(ef_age_years(D("2000-02-29"), D("2019-03-01")), 19);
	ck_assert_int_eq(ef_age_years(D("1990-06-15"), D("2025-06-15")), 35);
	ck_assert_int_eq(ef_age_years(D("1990-06-15"), D("2025-06-14")), 34);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("date");
	TCase *tc = tcase_create("date");
	tcase_add_test(tc, epoch_and_roundtrip);
	tcase_add_loop_test(tc, parse_table, 0, sizeof parse_cases / sizeof parse_cases[0]);
	tcase_add_loop_test(tc, datetime_table, 0, sizeof dt_cases / sizeof dt_cases[0]);
	tcase_add_loop_test(tc, add_months_table, 0, sizeof month_cases / sizeof month_cases[0]);
	tcase_add_test(tc, day_plus_n);
	tcase_add_test(tc, months_between_and_age);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
