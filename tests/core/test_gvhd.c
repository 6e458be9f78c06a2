/* GVHD: MAGIC acute grade and NIH 2014 chronic severity, one row per
 * example of docs/clinical-rules.md s.8, s.9 and s.18 cases 13-23. */
#include <check.h>
#include <stdlib.h>

#include "engraft/gvhd.h"

static const struct {
	int skin, liver, ugi, lgi;
	const char *grade;
} acute_cases[] = {
	/* MAGIC stage combinations, one per grade rule (docs/clinical-rules.md s.8) */
	{0, 0, 0, 0, "0"},   {1, 0, 0, 0, "I"},   {2, 0, 0, 0, "I"},   {3, 0, 0, 0, "II"},
	{0, 1, 0, 0, "II"},  {0, 0, 1, 0, "II"},  {2, 0, 1, 0, "II"},  {1, 0, 0, 1, "II"},
	{3, 0, 0, 1, "II"},  {1, 2, 0, 0, "III"}, {0, 0, 0, 3, "III"}, {3, 3, 1, 3, "III"},
	{4, 0, 0, 1, "IV"},  {0, 4, 0, 0, "IV"},  {0, 0, 0, 4, "IV"},  {4, 0, 0, 0, "IV"},
	{2, 1, 1, 2, "III"},
	/* s.18 case 18: LGI 2, liver 1, skin 2 */
	{2, 1, 0, 2, "III"},
	/* s.18 case 19: child LGI 2 -> III; adult LGI 1 -> II */
	{0, 0, 0, 2, "III"}, {0, 0, 0, 1, "II"},
	/* upper GI alone can never exceed II */
	{0, 0, 1, 1, "II"},  {3, 0, 1, 0, "II"},
};

START_TEST(magic_grade)
{
	enum ef_agvhd_grade g = ef_agvhd_grade(acute_cases[_i].skin, acute_cases[_i].liver,
					       acute_cases[_i].ugi, acute_cases[_i].lgi);
	ck_assert_str_eq(ef_agvhd_grade_str(g), acute_cases[_i].grade);
}
END_TEST

static const struct {
	int s[8]; /* skin mouth eyes gi liver lungs joints genital */
	const char *severity;
} chronic_cases[] = {
	{{0, 0, 0, 0, 0, 0, 0, 0}, "none"},
	{{1, 1, 0, 0, 0, 0, 0, 0}, "mild"},     /* case 21 */
	{{1, 1, 1, 0, 0, 0, 0, 0}, "moderate"}, /* case 22 */
	{{0, 0, 0, 0, 0, 1, 0, 0}, "moderate"}, /* case 23: lung 1 */
	{{0, 0, 0, 0, 0, 2, 0, 0}, "severe"},   /* lung 2 */
	{{0, 0, 0, 0, 0, 3, 0, 0}, "severe"},
	{{0, 0, 0, 0, 0, 0, 3, 0}, "severe"},   /* joints 3 */
	{{0, 0, 2, 0, 0, 0, 0, 0}, "moderate"}, /* eyes 2 */
	{{2, 0, 0, 0, 0, 0, 0, 0}, "moderate"}, /* skin 2 */
	{{0, 0, 0, 0, 1, 1, 0, 0}, "moderate"}, /* liver 1 + lung 1 */
	{{1, 0, 0, 0, 0, 0, 0, 0}, "mild"},
	{{0, 0, 0, 0, 0, 0, 0, 1}, "mild"},
	{{1, 1, 1, 1, 1, 0, 1, 1}, "moderate"},
	{{3, 0, 0, 0, 0, 0, 0, 0}, "severe"},
};

START_TEST(nih_severity)
{
	enum ef_cgvhd_severity sev = ef_cgvhd_severity(chronic_cases[_i].s, 5);
	ck_assert_str_eq(ef_cgvhd_severity_str(sev), chronic_cases[_i].severity);
	const int *s = chronic_cases[_i].s;
	struct ef_gvhd_chronic c = {.skin = s[0], .mouth = s[1], .eyes = s[2], .gi = s[3],
				    .liver = s[4], .lungs = s[5], .joints = s[6], .genital = s[7]};
	ck_assert_int_eq(ef_cgvhd_severity_of(&c), sev);
}
END_TEST

START_TEST(names_roundtrip)
{
	for (int g = 0; g <= EF_AGVHD_IV; g++) {
		enum ef_agvhd_grade back;
		ck_assert_int_eq(ef_agvhd_grade_parse(ef_agvhd_grade_str((enum ef_agvhd_grade)g), &back), 0);
		ck_assert_int_eq(back, g);
	}
	for (int v = 0; v <= EF_CGVHD_SEVERE; v++) {
		enum ef_cgvhd_severity back;
		ck_assert_int_eq(ef_cgvhd_severity_parse(ef_cgvhd_severity_str((enum ef_cgvhd_severity)v), &back), 0);
		ck_assert_int_eq(back, v);
	}
	enum ef_agvhd_grade g;
	ck_assert_int_eq(ef_agvhd_grade_parse("V", &g), -1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("gvhd");
	TCase *tc = tcase_create("gvhd");
	tcase_add_loop_test(tc, magic_grade, 0, sizeof acute_cases / sizeof acute_cases[0]);
	tcase_add_loop_test(tc, nih_severity, 0, sizeof chronic_cases / sizeof chronic_cases[0]);
	tcase_add_test(tc, names_roundtrip);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
