/* test_cart.c - screen tests of the transplant type cellular_therapy
 * (CAR-T; issue 16 item 7, docs/clinical-rules.md s.20): the transplant
 * form offers it (the choice list is the core's vocabulary), the chart says
 * engraftment is not applicable instead of pending, the trend draws no
 * engraftment threshold and says why, and the patient list shows the type
 * in its column (CAR-T). At 80x24 and 132x43. The fixture's today is
 * 2024-09-01; MRN006 Zhang, Wei has no transplant. */
#include <check.h>
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engraft/csvio.h"
#include "engraft/store.h"
#include "harness.h"
#include "screen_assert.h"

static const int sizes[][2] = {{24, 80}, {43, 132}};
#define N_SIZES ((int)(sizeof sizes / sizeof sizes[0]))

static struct th *start_size(int i)
{
	struct th *t = th_start(sizes[i][0], sizes[i][1], 0);
	ck_assert_msg(t != NULL, "harness did not start");
	return t;
}

static void import_csv(struct th *t, const char *kind, const char *csv)
{
	enum store_kind k;
	ck_assert_int_eq(ef_kind_parse(kind, &k), 0);
	FILE *f = fmemopen((void *)csv, strlen(csv), "r");
	ck_assert(f != NULL);
	struct ef_import_opts o = {.today = th_today(), .max_errors = 5};
	struct ef_import_result r;
	struct ef_err e = {{0}};
	int rc = ef_import(th_store(t), k, f, kind, &o, &r, &e);
	fclose(f);
	ck_assert_msg(rc == EF_OK, "import %s: %s", kind, e.msg);
}

/* Page down the chart until text shows (at most 8 pages); its row. */
static int chart_find(struct th *t, const char *text)
{
	for (int i = 0; i < 8; i++) {
		int y = th_find(t, text);
		if (y >= 0)
			return y;
		th_key(t, KEY_NPAGE);
	}
	th_dump(t);
	ck_abort_msg("chart does not show \"%s\"", text);
	return -1;
}

/* T on the chart: the fourth type is cellular_therapy; saved, the chart
 * says engraftment is not applicable, and the list shows CAR-T. */
START_TEST(transplant_form_records_a_car_t_infusion)
{
	struct th *t = start_size(_i);
	open_chart(t, "zhang");
	th_type(t, "T");
	ASSERT_SCREEN(t, "New transplant for Zhang, Wei");
	th_type(t, "\025" "2024-08-20\t");
	for (int k = 0; k < 4; k++)
		th_key(t, KEY_RIGHT); /* autologous, allogeneic, syngeneic, cellular_therapy */
	ASSERT_SCREEN(t, "cellular_therapy");
	th_type(t, "\t");
	th_key(t, KEY_RIGHT);
	th_key(t, KEY_RIGHT); /* peripheral_blood */
	th_type(t, "\ts\t");  /* donor self */
	th_key(t, KEY_F(2));
	ASSERT_SCREEN(t, "Saved transplant of 2024-08-20.");
	ASSERT_SCREEN(t, "Chart: Zhang, Wei");
	ck_assert_int_eq(th_export_count(t, STORE_K_TRANSPLANTS, "MRN006",
					 "MRN006,2024-08-20,cellular_therapy,peripheral_blood,self,"),
			 1);
	ASSERT_SCREEN(t, "Cell therapy 2024-08-20  cellular_therapy, PBSC, donor self");
	ck_assert_msg(strstr(th_line(t, chart_find(t, "Engraftment ")), "Engraftment    not applicable (cellular therapy)"),
		      "engraftment line: %s", th_line(t, chart_find(t, "Engraftment ")));
	ASSERT_NOT_SCREEN(t, "ANC pending");
	th_type(t, "q");
	ASSERT_SCREEN(t, "Patients");
	int y = th_find(t, "MRN006");
	ck_assert_msg(y >= 0 && strstr(th_line(t, y), "CAR-T"), "list type column: %s", y >= 0 ? th_line(t, y) : "");
	th_free(t);
}
END_TEST

/* t on a CAR-T patient's chart: ANC since the infusion, no engraftment
 * line, and the legend says why. */
START_TEST(trend_says_engraftment_not_applicable)
{
	struct th *t = start_size(_i);
	import_csv(t, "transplants", "mrn,transplant_date,type,graft_source,donor\n"
				     "MRN006,2024-06-01,cellular_therapy,peripheral_blood,self\n");
	import_csv(t, "labs", "mrn,collected_on,test,value,unit\n"
			      "MRN006,2024-06-05,ANC,0.2,10*9/L\nMRN006,2024-06-20,ANC,0.4,10*9/L\n"
			      "MRN006,2024-07-20,ANC,1.1,10*9/L\n");
	open_chart(t, "zhang");
	th_type(t, "t");
	ASSERT_SCREEN(t, "Trend: ANC  Zhang, Wei  MRN MRN006");
	ASSERT_SCREEN(t, "engraftment: not applicable (cellular therapy)");
	ASSERT_NOT_SCREEN(t, "0.5 engraftment");
	ASSERT_NOT_SCREEN(t, "E engrafted");
	th_free(t);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("tui-cellular-therapy");
	TCase *tc = tcase_create("cart");
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, transplant_form_records_a_car_t_infusion, 0, N_SIZES);
	tcase_add_loop_test(tc, trend_says_engraftment_not_applicable, 0, N_SIZES);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
