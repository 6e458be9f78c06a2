/* test_followup.c - screen tests of the follow-up worklist (issue 16):
 * f opens it from any screen (clinic-wide from the patient list, the
 * patient's plan from a chart), / narrows it (the CIBMTR forms of the
 * month), r records a time point done through the followups form (the
 * importer's checks, next to the field), and the roles that may not record
 * patients' data do not see r. The fixture (tests/data/tui) as of
 * 2024-09-01: MRN001 allogeneic 2024-01-10 (CIBMTR D100 2024-04-19 and M6
 * 2024-07-10 overdue), MRN002 allogeneic 2024-06-01 (D100 2024-09-09,
 * coming due), MRN004 autologous 2024-02-15 (M6 2024-08-15 due). */
#include <check.h>
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engraft/access.h"
#include "engraft/staff.h"
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

/* The row showing both texts, -1 if none. */
static int row_with(struct th *t, const char *a, const char *b)
{
	for (int y = 0; y < th_rows(t); y++)
		if (strstr(th_line(t, y), a) && strstr(th_line(t, y), b))
			return y;
	return -1;
}

START_TEST(f_opens_the_clinic_worklist_grouped_by_status)
{
	struct th *t = start_size(_i);
	th_type(t, "f");
	ASSERT_SCREEN(t, "Follow-up: clinic");
	ASSERT_SCREEN(t, "MRN and name");
	ASSERT_SCREEN(t, "Overdue (28)");
	ck_assert_msg(row_with(t, "MRN005 Okafor, Chidi", "2022-08-18") > 0, "the oldest first: MRN005's D100");
	th_type(t, "/mrn00 cibmtr\n"); /* the registry forms of the clinic */
	ASSERT_SCREEN(t, "Filter: \"mrn00 cibmtr\"");
	ck_assert_msg(row_with(t, "MRN001 Smith, John", "2024-04-19") > 0, "MRN001's D100 is listed");
	ASSERT_SCREEN(t, "Due now (1)");
	ASSERT_SCREEN(t, "Coming due within 31 days (1)");
	int y = row_with(t, "MRN004", "2024-08-15");
	ck_assert_msg(y > 0 && strstr(th_line(t, y), "CIBMTR") && strstr(th_line(t, y), "M6"), "MRN004 M6 due");
	y = row_with(t, "MRN002", "2024-09-09");
	ck_assert_msg(y > 0 && strstr(th_line(t, y), "D100"), "MRN002 D100 coming due");
	ASSERT_NOT_SCREEN(t, "screening:");
	th_esc(t); /* the filter first */
	ASSERT_NOT_SCREEN(t, "Filter:");
	ASSERT_SCREEN(t, "Follow-up: clinic");
	th_type(t, "d"); /* d: the overdue, due now, coming due, every row */
	ASSERT_SCREEN(t, "Filter: overdue");
	ASSERT_SCREEN(t, "Overdue (28)");
	ASSERT_NOT_SCREEN(t, "Due now (");
	th_type(t, "d");
	ASSERT_SCREEN(t, "Filter: due now");
	ASSERT_SCREEN(t, "Due now (1)");
	ASSERT_NOT_SCREEN(t, "Overdue (");
	th_type(t, "d");
	ASSERT_SCREEN(t, "Filter: coming due within 31 days");
	ASSERT_SCREEN(t, "Coming due within 31 days (1)");
	th_type(t, "d");
	ASSERT_NOT_SCREEN(t, "Filter:");
	th_type(t, "dd");
	th_esc(t); /* d's filter is cleared by Esc too */
	ASSERT_NOT_SCREEN(t, "Filter:");
	th_key(t, KEY_HOME);
	ASSERT_SCREEN(t, "Overdue (28)");
	th_esc(t); /* then back */
	ASSERT_SCREEN(t, "Patients: 6");
	th_free(t);
}
END_TEST

/* r on a row: the form has the row's item and time point and today; F2
 * saves through the use case; the row leaves the worklist and the
 * patient's plan lists it as done. */
START_TEST(r_records_a_time_point_done)
{
	struct th *t = start_size(_i);
	th_type(t, "f");
	th_type(t, "/mrn001 cibmtr d100\n");
	ASSERT_SCREEN(t, "Overdue (1)");
	th_type(t, "r");
	ASSERT_SCREEN(t, "Follow-up done for Smith, John (MRN MRN001)");
	ASSERT_SCREEN(t, "CIBMTR");
	ASSERT_SCREEN(t, "D100");
	ASSERT_SCREEN(t, "2024-09-01");
	th_type(t, "\t"); /* the note */
	th_type(t, "form 2100 submitted");
	th_key(t, KEY_F(2));
	ASSERT_SCREEN(t, "Saved CIBMTR D100 done on 2024-09-01.");
	ASSERT_SCREEN(t, "Follow-up: clinic");
	ASSERT_SCREEN(t, "Nothing matches the filters.");
	ck_assert_int_eq(th_export_count(t, STORE_K_FOLLOWUPS, "MRN001", "MRN001,CIBMTR,D100,2024-09-01,form 2100 submitted"),
			 1);
	th_type(t, "/\025mrn001 m6\n");
	ck_assert_msg(row_with(t, "MRN001 Smith, John", "2024-07-10") > 0, "MRN001's M6 is still overdue");
	th_enter(t); /* the chart of the selected row's patient */
	ASSERT_SCREEN(t, "1 overdue; next EYE M12 2025-01-10 (f: plan)"); /* the plan in one line */
	th_type(t, "f"); /* that patient's plan */
	ASSERT_SCREEN(t, "Follow-up: Smith, John");
	ASSERT_SCREEN(t, "Done since the transplant (1)");
	ck_assert_msg(row_with(t, "D100", "2024-09-01") > 0, "done on 2024-09-01");
	ASSERT_NOT_SCREEN(t, "MRN and name"); /* one patient: no name column */
	th_free(t);
}
END_TEST

/* The importer's checks, next to the field: a date in the future or
 * before day 0, and a time point that is not one of the item's. */
START_TEST(the_form_refuses_what_an_import_refuses)
{
	struct th *t = start_size(0);
	th_type(t, "f");
	th_type(t, "/mrn001 cibmtr m6\n");
	th_type(t, "r");
	ASSERT_SCREEN(t, "Follow-up done for Smith, John");
	th_key(t, KEY_BTAB); /* back to the time point */
	th_type(t, "\025M7\t\0252023-12-01");
	th_key(t, KEY_F(2));
	ASSERT_SCREEN(t, "'M7' is not a time point of CIBMTR");
	ASSERT_SCREEN(t, "before day 0");
	ck_assert_int_eq(th_export_count(t, STORE_K_FOLLOWUPS, "MRN001", NULL), 0);
	th_free(t);
}
END_TEST

/* Roles: recording a time point done is for those who record patients
 * (admin, clinician, clerk); a nurse sees the worklist without r. */
START_TEST(a_nurse_sees_the_worklist_without_done)
{
	struct th *t = start_size(0);
	th_stop(t);
	struct store_staff st = {.role = EF_ROLE_NURSE, .active = 1};
	snprintf(st.login, sizeof st.login, "nurse1");
	snprintf(st.name, sizeof st.name, "Test nurse1");
	struct ef_err err;
	ck_assert_int_eq(store_begin(th_store(t), &err), EF_OK);
	ck_assert_msg(store_staff_add(th_store(t), &st, &err) == EF_OK, "%s", err.msg);
	ck_assert_int_eq(store_commit(th_store(t), &err), EF_OK);
	store_set_user(th_store(t), "nurse1");
	ck_assert_int_eq(th_restart(t, 24, 80), 0);
	th_type(t, "f");
	ASSERT_SCREEN(t, "Follow-up: clinic");
	ck_assert_msg(!strstr(th_line(t, 23), "Done"), "nurse's bar: %s", th_line(t, 23));
	th_type(t, "r");
	ASSERT_SCREEN(t, "Not permitted: nurse may not");
	th_free(t);
}
END_TEST

/* The keys f replaced: c filters the patient list by care, d the
 * vaccination worklist by due status; `?` lists f. */
START_TEST(c_and_d_took_over_from_f)
{
	struct th *t = start_size(0);
	th_type(t, "c");
	ASSERT_SCREEN(t, "in care");
	th_esc(t);
	th_type(t, "v");
	th_type(t, "d");
	ASSERT_SCREEN(t, "Filter: due within 7 days");
	th_type(t, "?");
	ASSERT_SCREEN(t, "d shows every dose");
	th_key(t, KEY_NPAGE); /* the keys of every screen, further down */
	th_key(t, KEY_NPAGE);
	ASSERT_SCREEN(t, "follow-up worklist");
	th_free(t);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("followup");
	TCase *tc = tcase_create("followup");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, f_opens_the_clinic_worklist_grouped_by_status, 0, N_SIZES);
	tcase_add_loop_test(tc, r_records_a_time_point_done, 0, N_SIZES);
	tcase_add_test(tc, the_form_refuses_what_an_import_refuses);
	tcase_add_test(tc, a_nurse_sees_the_worklist_without_done);
	tcase_add_test(tc, c_and_d_took_over_from_f);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
