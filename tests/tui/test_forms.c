/* test_forms.c - screen tests of the record forms (issue 14, item 3): `n`
 * on the patient list registers a patient and opens the new chart; `T`,
 * `i`, `I` and `b` on the chart record a transplant, start or stop an
 * immunosuppression course, an IVIG dose and a transfusion. Every value is
 * checked by the importer (app_enter_record): its problems show next to
 * their fields and nothing is saved; a future date is refused; Esc with
 * input asks; the keys follow the role (a clerk registers, a nurse gives
 * IVIG); a chart form's input survives an automatic sign-off as a draft.
 * The fixture's today is 2024-09-01 (harness.h). */
#include <check.h>
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engraft/app.h"
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

/* The line of the form that holds a field's label. */
static const char *field_line(struct th *t, const char *label)
{
	int y = th_find(t, label);
	ck_assert_msg(y >= 0, "no field %s", label);
	return th_line(t, y);
}

#define ASSERT_FIELD_SAYS(t, label, text)                                                              \
	do {                                                                                           \
		char l_[512];                                                                          \
		snprintf(l_, sizeof l_, "%s", field_line(t, label));                                   \
		if (!strstr(l_, text)) {                                                               \
			th_dump(t);                                                                    \
			ck_abort_msg("field %s does not say \"%s\": %s", label, text, l_);             \
		}                                                                                      \
	} while (0)

/* Sign on again as a new staff login of that role (harness's database). */
static void restart_as(struct th *t, const char *login, enum ef_role role, int rows, int cols)
{
	th_stop(t);
	struct store_staff st = {.role = role, .active = 1};
	snprintf(st.login, sizeof st.login, "%s", login);
	snprintf(st.name, sizeof st.name, "Staff %s", login);
	struct ef_err err;
	ck_assert_int_eq(store_begin(th_store(t), &err), EF_OK);
	ck_assert_msg(store_staff_add(th_store(t), &st, &err) == EF_OK, "%s", err.msg);
	ck_assert_int_eq(store_commit(th_store(t), &err), EF_OK);
	store_set_user(th_store(t), login);
	ck_assert_int_eq(th_restart(t, rows, cols), 0);
}

/* ---- n: a new patient ---- */

START_TEST(new_patient_is_registered_and_its_chart_opens)
{
	struct th *t = start_size(_i);
	const char *bar = th_line(t, sizes[_i][0] - 1);
	ck_assert_msg(strstr(bar, "n New"), "the list's bar does not offer n: %s", bar);
	th_type(t, "n");
	ASSERT_SCREEN(t, "Register a new patient");
	/* the fields in the order of the issue */
	int y[6];
	const char *labels[6] = {"MRN", "Family name", "Given name", "Birth date", "Sex", "Diagnosis"};
	for (int i = 0; i < 6; i++) {
		y[i] = th_find(t, labels[i]);
		ck_assert_int_ge(y[i], 0);
		if (i)
			ck_assert_int_eq(y[i], y[i - 1] + 1);
	}
	th_type(t, "X100\tNouveau\tZoé\t1990-02-28\t");
	th_key(t, KEY_RIGHT); /* F */
	th_type(t, "\tAML");
	th_key(t, KEY_F(2));
	ASSERT_SCREEN(t, "Chart: Nouveau, Zoé  MRN X100");
	ASSERT_SCREEN(t, "Saved patient MRN X100. Alerts unchanged.");
	ck_assert_int_eq(th_export_count(t, STORE_K_PATIENTS, "X100", "X100,Nouveau,Zoé,1990-02-28,F,AML"), 1);
	/* back goes to the list, which has the patient */
	th_type(t, "q");
	ASSERT_SCREEN(t, "Patients: 7");
	th_free(t);
}
END_TEST

START_TEST(new_patient_problems_show_in_place_and_nothing_is_saved)
{
	struct th *t = start_size(_i);
	th_type(t, "n");
	th_type(t, "X 1\t\tZoé\t1990-02-30");
	th_key(t, KEY_F(2));
	ASSERT_SCREEN(t, "Not saved: 3 fields to correct");
	ASSERT_FIELD_SAYS(t, "MRN", "must be printable ASCII without spaces");
	ASSERT_FIELD_SAYS(t, "Family name", "required value is empty");
	ASSERT_FIELD_SAYS(t, "Birth date", "'1990-02-30' is not a real date (YYYY-MM-DD)");
	ASSERT_SCREEN(t, "Register a new patient"); /* still on the form */
	ck_assert_int_eq(th_export_count(t, STORE_K_PATIENTS, NULL, "Zoé"), 0);
	/* a birth date in the future (the form went to the first problem) */
	th_type(t, "\025X1\tNouveau\t\t\025" "2030-01-01");
	th_key(t, KEY_F(2));
	ASSERT_FIELD_SAYS(t, "Birth date", "2030-01-01 is in the future (today is 2024-09-01)");
	/* an MRN already registered with another name: never overwritten */
	th_key(t, KEY_BTAB);
	th_key(t, KEY_BTAB);
	th_key(t, KEY_BTAB);
	th_type(t, "\025MRN001\tNouveau\t\t\0251990-01-01");
	th_key(t, KEY_F(2));
	ASSERT_FIELD_SAYS(t, "MRN", "already registered, with other details");
	ASSERT_NOT_SCREEN(t, "Family name  Nouveau  required"); /* fixed fields lose their problem */
	ck_assert_int_eq(th_export_count(t, STORE_K_PATIENTS, "MRN001", "MRN001,Smith,John,"), 1);
	ck_assert_int_eq(th_export_count(t, STORE_K_PATIENTS, NULL, "Nouveau"), 0);
	th_free(t);
}
END_TEST

/* ---- T: a transplant ---- */

START_TEST(transplant_form_saves_and_refuses_a_future_date)
{
	struct th *t = start_size(_i);
	open_chart(t, "zhang"); /* no transplant yet */
	th_type(t, "T");
	ASSERT_SCREEN(t, "New transplant for Zhang, Wei");
	ASSERT_FIELD_SAYS(t, "Date", "2024-09-01"); /* today */
	th_type(t, "\025" "2024-09-02");
	th_key(t, KEY_F(2));
	ASSERT_FIELD_SAYS(t, "Date", "2024-09-02 is in the future (today is 2024-09-01)");
	/* nothing chosen: the importer's words */
	ASSERT_FIELD_SAYS(t, "Type", "required value is empty");
	ASSERT_FIELD_SAYS(t, "Graft source", "required value is empty");
	ck_assert_int_eq(th_export_count(t, STORE_K_TRANSPLANTS, "MRN006", NULL), 0);
	th_type(t, "\025" "2024-08-20\t");
	th_key(t, KEY_RIGHT);
	th_key(t, KEY_RIGHT); /* allogeneic */
	th_type(t, "\t");
	th_key(t, KEY_RIGHT); /* bone_marrow */
	th_type(t, "\ta"); /* no donor starts with a: the letter is swallowed, the donor stays empty */
	th_type(t, "\t");
	th_key(t, KEY_F(2));
	ASSERT_SCREEN(t, "Saved transplant of 2024-08-20.");
	ASSERT_SCREEN(t, "Chart: Zhang, Wei");
	ck_assert_int_eq(th_export_count(t, STORE_K_TRANSPLANTS, "MRN006", "MRN006,2024-08-20,allogeneic,bone_marrow,"),
			 1);
	th_free(t);
}
END_TEST

/* An autologous transplant from a related donor: the importer's rule. */
START_TEST(transplant_form_says_the_importers_cross_check)
{
	struct th *t = start_size(0);
	open_chart(t, "zhang");
	th_type(t, "T\025" "2024-08-20\t");
	th_key(t, KEY_RIGHT); /* autologous */
	th_type(t, "\t");
	th_key(t, KEY_RIGHT);
	th_type(t, "\tr"); /* related */
	th_key(t, KEY_F(2));
	ASSERT_FIELD_SAYS(t, "Donor", "an autologous transplant's donor is 'self'");
	ck_assert_int_eq(th_export_count(t, STORE_K_TRANSPLANTS, "MRN006", NULL), 0);
	th_free(t);
}
END_TEST

/* ---- i: immunosuppression ---- */

START_TEST(is_form_stops_the_ongoing_course_in_place)
{
	struct th *t = start_size(_i);
	open_chart(t, "smith j"); /* tacrolimus since 2024-01-07, ongoing */
	th_type(t, "i");
	ASSERT_SCREEN(t, "Immunosuppression for Smith, John");
	ASSERT_FIELD_SAYS(t, "Course", "start a new course");
	th_key(t, KEY_RIGHT);
	ASSERT_FIELD_SAYS(t, "Course", "stop tacrolimus (since 2024-01-07)");
	ASSERT_FIELD_SAYS(t, "Drug", "tacrolimus");
	ASSERT_FIELD_SAYS(t, "Stopped on", "2024-09-01");
	th_key(t, KEY_F(2));
	ASSERT_SCREEN(t, "Saved tacrolimus stopped on 2024-09-01.");
	/* the same row, updated: one tacrolimus course */
	ck_assert_int_eq(th_export_count(t, STORE_K_IMMUNOSUPPRESSION, "MRN001", "tacrolimus"), 1);
	ck_assert_int_eq(th_export_count(t, STORE_K_IMMUNOSUPPRESSION, "MRN001", "MRN001,tacrolimus,2024-01-07,2024-09-01"),
			 1);
	/* no ongoing course is offered any more */
	th_type(t, "i");
	th_key(t, KEY_RIGHT);
	ASSERT_FIELD_SAYS(t, "Course", "start a new course");
	th_free(t);
}
END_TEST

START_TEST(is_form_starts_a_course_and_checks_the_stop_date)
{
	struct th *t = start_size(0);
	open_chart(t, "smith j");
	th_type(t, "i\tsirolimus\t\025" "2024-08-01\t2024-07-01");
	th_key(t, KEY_F(2));
	ASSERT_FIELD_SAYS(t, "Stopped on", "2024-07-01 is before started_on 2024-08-01");
	ck_assert_int_eq(th_export_count(t, STORE_K_IMMUNOSUPPRESSION, "MRN001", "sirolimus"), 0);
	th_type(t, "\025");
	th_key(t, KEY_F(2));
	ASSERT_SCREEN(t, "Saved sirolimus started on 2024-08-01.");
	ck_assert_int_eq(th_export_count(t, STORE_K_IMMUNOSUPPRESSION, "MRN001", "MRN001,sirolimus,2024-08-01,,"), 1);
	th_free(t);
}
END_TEST

/* ---- I and b: IVIG and transfusion ---- */

START_TEST(ivig_and_transfusion_forms)
{
	struct th *t = start_size(_i);
	open_chart(t, "smith j");
	th_type(t, "I\t2,5");
	th_key(t, KEY_F(2));
	ASSERT_FIELD_SAYS(t, "Dose (g)", "'2,5' is not a positive number of grams");
	ck_assert_int_eq(th_export_count(t, STORE_K_IVIG, "MRN001", "2024-09-01"), 0);
	th_type(t, "\025" "25");
	th_key(t, KEY_F(2));
	ASSERT_SCREEN(t, "Saved IVIG 25 g on 2024-09-01.");
	ck_assert_int_eq(th_export_count(t, STORE_K_IVIG, "MRN001", "MRN001,2024-09-01,25,"), 1);
	th_type(t, "b");
	ASSERT_SCREEN(t, "New transfusion for Smith, John");
	th_key(t, KEY_F(2));
	ASSERT_FIELD_SAYS(t, "Product", "required value is empty");
	ck_assert_int_eq(th_export_count(t, STORE_K_TRANSFUSIONS, "MRN001", NULL), 0);
	th_key(t, KEY_BTAB); /* the form went to the problem: back to the date */
	th_type(t, "\025" "1960-01-01\t");
	th_key(t, KEY_RIGHT); /* platelets */
	th_key(t, KEY_F(2));
	ASSERT_FIELD_SAYS(t, "Given on", "1960-01-01 is before the birth date 1970-03-15");
	th_type(t, "\025" "2024-08-31"); /* the form went to the problem */
	th_key(t, KEY_F(2));
	ASSERT_SCREEN(t, "Saved platelets transfusion on 2024-08-31.");
	ck_assert_int_eq(th_export_count(t, STORE_K_TRANSFUSIONS, "MRN001", "MRN001,2024-08-31,platelets,"), 1);
	th_free(t);
}
END_TEST

/* ---- leaving, roles, drafts ---- */

START_TEST(esc_with_input_asks_first)
{
	struct th *t = start_size(0);
	open_chart(t, "smith j");
	th_type(t, "I\t30");
	th_esc(t);
	ASSERT_SCREEN(t, "Discard the unsaved IVIG? (y/n)");
	th_type(t, "n");
	ASSERT_SCREEN(t, "New IVIG dose for Smith, John");
	th_esc(t);
	th_type(t, "y");
	ASSERT_SCREEN(t, "Chart: Smith, John");
	ck_assert_int_eq(th_export_count(t, STORE_K_IVIG, "MRN001", "2024-09-01"), 0);
	/* an untouched form leaves at once */
	th_type(t, "b");
	th_esc(t);
	ASSERT_SCREEN(t, "Chart: Smith, John");
	ASSERT_NOT_SCREEN(t, "Discard");
	th_free(t);
}
END_TEST

START_TEST(a_clerk_registers_a_nurse_gives_ivig)
{
	struct th *t = start_size(0);
	restart_as(t, "clerk1", EF_ROLE_CLERK, 43, 132);
	ck_assert_msg(strstr(th_line(t, 42), "n New"), "a clerk's bar lacks n: %s", th_line(t, 42));
	open_chart(t, "smith j");
	th_type(t, "I");
	ASSERT_SCREEN(t, "Not permitted: clerk may not record doses, transfusions and IVIG.");
	th_type(t, "T");
	ASSERT_SCREEN(t, "New transplant for Smith, John");
	th_esc(t);
	th_type(t, "?");
	ASSERT_SCREEN(t, "record a transplant");
	ASSERT_NOT_SCREEN(t, "record an IVIG dose");
	th_free(t);

	t = start_size(0);
	restart_as(t, "nurse1", EF_ROLE_NURSE, 24, 80);
	ck_assert_msg(!strstr(th_line(t, 23), "n New"), "a nurse's bar offers n: %s", th_line(t, 23));
	th_type(t, "n");
	ASSERT_SCREEN(t, "Not permitted: nurse may not register patients and transplants.");
	open_chart(t, "smith j");
	th_type(t, "T");
	ASSERT_SCREEN(t, "Not permitted: nurse may not register patients and transplants.");
	th_type(t, "i");
	ASSERT_SCREEN(t, "Not permitted: nurse may not record GVHD or immunosuppression.");
	th_type(t, "I\t10");
	th_key(t, KEY_F(2));
	ASSERT_SCREEN(t, "Saved IVIG 10 g on 2024-09-01.");
	ck_assert_int_eq(th_export_count(t, STORE_K_IVIG, "MRN001", "MRN001,2024-09-01,10,"), 1);
	th_free(t);
}
END_TEST

START_TEST(a_chart_form_is_kept_as_a_draft_at_sign_off)
{
	struct th *t = start_size(0);
	open_chart(t, "smith j");
	th_type(t, "b\025" "2024-08-30\t");
	th_key(t, KEY_RIGHT);
	th_key(t, KEY_RIGHT); /* red_cells */
	th_idle(t, 15);
	ck_assert(th_quit(t));
	int status = -1;
	ck_assert_str_eq(th_farewell(t, &status), "signed off after 15 minutes without a key; the unsaved transfusion "
						  "form for MRN MRN001 was kept as a draft");
	ck_assert_int_eq(status, 0);
	th_stop(t);
	ck_assert_int_eq(th_restart(t, 24, 80), 0);
	open_chart(t, "smith j");
	th_type(t, "b");
	ASSERT_FIELD_SAYS(t, "Given on", "2024-08-30");
	ASSERT_FIELD_SAYS(t, "Product", "red_cells");
	ASSERT_SCREEN(t, "Draft kept at ");
	th_key(t, KEY_F(2));
	ASSERT_SCREEN(t, "Saved red_cells transfusion on 2024-08-30.");
	ck_assert_int_eq(th_export_count(t, STORE_K_TRANSFUSIONS, "MRN001", "MRN001,2024-08-30,red_cells,"), 1);
	th_free(t);
}
END_TEST

/* A draft needs a patient: the new-patient form's input cannot be kept,
 * and the sign-off says so instead of "nothing was unsaved". */
START_TEST(the_new_patient_form_says_it_was_not_kept)
{
	struct th *t = start_size(0);
	th_type(t, "nX200");
	th_idle(t, 15);
	ck_assert(th_quit(t));
	int status = -1;
	const char *bye = th_farewell(t, &status);
	ck_assert_msg(strstr(bye, "new-patient form") && strstr(bye, "could NOT be kept"), "%s", bye);
	th_free(t);
}
END_TEST

/* A resize while a form is open keeps what was typed; then it saves. */
START_TEST(a_form_keeps_its_input_through_a_resize)
{
	struct th *t = start_size(0);
	open_chart(t, "zhang");
	th_type(t, "T\025" "2024-08-20\t");
	th_key(t, KEY_RIGHT);
	th_key(t, KEY_RIGHT); /* allogeneic */
	th_resize(t, 43, 132);
	ASSERT_FIELD_SAYS(t, "Date", "2024-08-20");
	ASSERT_FIELD_SAYS(t, "Type", "allogeneic");
	th_resize(t, 24, 80);
	ASSERT_FIELD_SAYS(t, "Date", "2024-08-20");
	th_type(t, "\t");
	th_key(t, KEY_LEFT); /* cord_blood */
	th_key(t, KEY_F(2));
	ASSERT_SCREEN(t, "Saved transplant of 2024-08-20.");
	ck_assert_int_eq(th_export_count(t, STORE_K_TRANSPLANTS, "MRN006", "MRN006,2024-08-20,allogeneic,cord_blood,,"), 1);
	th_free(t);
}
END_TEST

/* Without UTF-8 the forms draw in ASCII and take the same input. */
START_TEST(forms_work_in_a_non_utf8_locale)
{
	setenv("TH_LOCALE", "C", 1);
	struct th *t = start_size(0);
	unsetenv("TH_LOCALE");
	th_type(t, "nA7\tLee\tKim\t1980-01-01");
	ASSERT_SCREEN(t, "> Birth date");
	th_key(t, KEY_F(2));
	ASSERT_SCREEN(t, "Saved patient MRN A7.");
	ck_assert_int_eq(th_export_count(t, STORE_K_PATIENTS, "A7", "A7,Lee,Kim,1980-01-01,,"), 1);
	th_free(t);
}
END_TEST

static Suite *forms_suite(void)
{
	Suite *s = suite_create("tui-forms");
	TCase *tc = tcase_create("forms");
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, new_patient_is_registered_and_its_chart_opens, 0, N_SIZES);
	tcase_add_loop_test(tc, new_patient_problems_show_in_place_and_nothing_is_saved, 0, N_SIZES);
	tcase_add_loop_test(tc, transplant_form_saves_and_refuses_a_future_date, 0, N_SIZES);
	tcase_add_test(tc, transplant_form_says_the_importers_cross_check);
	tcase_add_loop_test(tc, is_form_stops_the_ongoing_course_in_place, 0, N_SIZES);
	tcase_add_test(tc, is_form_starts_a_course_and_checks_the_stop_date);
	tcase_add_loop_test(tc, ivig_and_transfusion_forms, 0, N_SIZES);
	tcase_add_test(tc, esc_with_input_asks_first);
	tcase_add_test(tc, a_clerk_registers_a_nurse_gives_ivig);
	tcase_add_test(tc, a_chart_form_is_kept_as_a_draft_at_sign_off);
	tcase_add_test(tc, the_new_patient_form_says_it_was_not_kept);
	tcase_add_test(tc, a_form_keeps_its_input_through_a_resize);
	tcase_add_test(tc, forms_work_in_a_non_utf8_locale);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(forms_suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
