/* test_idle.c - the automatic logoff (idle_logoff_minutes) and the drafts
 * it keeps: the TUI in-process on a pseudo-terminal (harness.h), its idle
 * clock moved forward through the test hook (no real 15-minute wait). */
#include <check.h>
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "engraft/app.h"
#include "engraft/store.h"
#include "harness.h"
#include "screen_assert.h"

static int64_t patient(struct th *t, const char *mrn)
{
	int64_t id = 0;
	ef_day birth;
	struct ef_err err;
	ck_assert_int_eq(store_patient_id(th_store(t), mrn, strlen(mrn), &id, &birth, &err), EF_OK);
	ck_assert_int_gt(id, 0);
	return id;
}

/* The store user's draft of a form for the patient: field `field` into
 * out; 0 when there is no draft. */
static int draft_field(struct th *t, const char *form, const char *mrn, const char *context, int field, char *out,
		       size_t size)
{
	struct app_env e = {th_store(t), NULL, th_today()};
	struct app_draft_key k = {form, patient(t, mrn), context};
	struct app_draft d;
	int found = 0;
	struct ef_err err;
	ck_assert_msg(app_draft_take(&e, &k, &d, &found, &err) == EF_OK, "%s", err.msg);
	if (found) {
		ck_assert_int_lt(field, d.n);
		snprintf(out, size, "%s", d.field[field]);
	}
	app_draft_free(&d);
	return found;
}

static int64_t drafts(struct th *t)
{
	struct app_env e = {th_store(t), NULL, th_today()};
	int64_t n = -1;
	struct ef_err err;
	ck_assert_msg(app_draft_count(&e, &n, &err) == EF_OK, "%s", err.msg);
	return n;
}

static void open_lab(struct th *t)
{
	open_chart(t, "smith j");
	th_type(t, "l");
	ASSERT_SCREEN(t, "New lab result for Smith, John");
}

/* The lab form's Value line. */
static const char *value_line(struct th *t)
{
	int y = th_find(t, "Value");
	ck_assert_int_ge(y, 0);
	return th_line(t, y);
}

/* A value typed into the lab form survives the sign-off as the login's
 * draft, is offered the next time the same login opens the lab form for
 * the patient, and saving it records the result and deletes the draft. */
START_TEST(idle_logoff_keeps_the_lab_form_as_a_draft_until_saved)
{
	struct th *t = th_start(24, 80, 0);
	ck_assert_ptr_nonnull(t);
	int before = th_export_count(t, STORE_K_LABS, "MRN001", NULL);
	open_lab(t);
	th_type(t, "\t\t0.7"); /* ANC 0.7 */
	th_idle(t, 14.5);
	ck_assert_msg(!th_quit(t), "signed off before the idle time");
	th_type(t, "5"); /* a key starts the idle time again */
	th_idle(t, 14.5);
	ck_assert_msg(!th_quit(t), "a key did not start the idle time again");
	th_idle(t, 0.6);
	ck_assert_msg(th_quit(t), "the TUI did not sign off after 15 minutes");
	int status = -1;
	ck_assert_str_eq(th_farewell(t, &status), "signed off after 15 minutes without a key; the unsaved lab form for "
						  "MRN MRN001 was kept as a draft");
	ck_assert_int_eq(status, 0);
	char v[64] = "";
	ck_assert(draft_field(t, "lab", "MRN001", NULL, 2, v, sizeof v));
	ck_assert_str_eq(v, "0.75");
	ck_assert_int_eq(th_export_count(t, STORE_K_LABS, "MRN001", NULL), before); /* nothing saved */

	th_stop(t);
	ck_assert_int_eq(th_restart(t, 24, 80), 0);
	ASSERT_SCREEN(t, "1 draft kept at an automatic sign-off");
	open_lab(t);
	ck_assert_msg(strstr(value_line(t), "0.75"), "the draft's value is not on the form: %s", value_line(t));
	ASSERT_SCREEN(t, "Draft kept at ");
	ASSERT_SCREEN(t, "after automatic sign-off:");
	ASSERT_SCREEN(t, "F2 saves, Ctrl-D discards the draft"); /* wrapped at 80 columns */
	th_key(t, KEY_F(2));
	ASSERT_SCREEN(t, "Saved ANC 0.75 10*9/L on 2024-09-01");
	ck_assert_int_eq(th_export_count(t, STORE_K_LABS, "MRN001", "MRN001,2024-09-01,ANC,0.75,10*9/L"), 1);
	ck_assert(!draft_field(t, "lab", "MRN001", NULL, 2, v, sizeof v));
	ck_assert_int_eq(drafts(t), 0);
	th_free(t);
}
END_TEST

START_TEST(idle_logoff_without_a_form_keeps_no_draft)
{
	struct th *t = th_start(24, 80, 0);
	ck_assert_ptr_nonnull(t);
	open_chart(t, "smith j");
	th_idle(t, 15);
	ck_assert(th_quit(t));
	int status = -1;
	ck_assert_str_eq(th_farewell(t, &status), "signed off after 15 minutes without a key; nothing was unsaved");
	ck_assert_int_eq(status, 0);
	ck_assert_int_eq(drafts(t), 0);
	/* an untouched form has nothing unsaved either */
	th_stop(t);
	ck_assert_int_eq(th_restart(t, 24, 80), 0);
	open_lab(t);
	th_idle(t, 15);
	ck_assert_str_eq(th_farewell(t, NULL), "signed off after 15 minutes without a key; nothing was unsaved");
	ck_assert_int_eq(drafts(t), 0);
	th_free(t);
}
END_TEST

/* Another login does not see the draft; Esc keeps it; Ctrl-D discards it
 * and the form is empty again. */
START_TEST(a_draft_is_the_logins_own_and_ctrl_d_discards_it)
{
	struct th *t = th_start(24, 80, 0);
	ck_assert_ptr_nonnull(t);
	const char *me = "nurse-a";
	store_set_user(th_store(t), me);
	open_lab(t);
	th_type(t, "\t\t1.9");
	th_idle(t, 15);
	ck_assert(th_quit(t));
	th_stop(t);

	store_set_user(th_store(t), "nurse-b");
	ck_assert_int_eq(th_restart(t, 24, 80), 0);
	ASSERT_NOT_SCREEN(t, "draft");
	open_lab(t);
	ASSERT_NOT_SCREEN(t, "Draft kept");
	ck_assert_msg(!strstr(value_line(t), "1.9"), "another login's draft was offered: %s", value_line(t));
	th_esc(t);
	th_stop(t);

	store_set_user(th_store(t), me);
	ck_assert_int_eq(th_restart(t, 24, 80), 0);
	open_lab(t);
	ck_assert_msg(strstr(value_line(t), "1.9"), "draft not offered: %s", value_line(t));
	th_esc(t); /* leaving keeps the draft, without asking */
	ASSERT_NOT_SCREEN(t, "Discard");
	ASSERT_SCREEN(t, "Chart: Smith, John");
	ck_assert_int_eq(drafts(t), 1);
	th_type(t, "l");
	ck_assert_msg(strstr(value_line(t), "1.9"), "draft not offered again: %s", value_line(t));
	th_type(t, "\004"); /* Ctrl-D */
	ASSERT_SCREEN(t, "Discarded the draft");
	ASSERT_SCREEN(t, "New lab result for Smith, John");
	ck_assert_msg(!strstr(value_line(t), "1.9"), "the form still shows the draft: %s", value_line(t));
	ck_assert_int_eq(drafts(t), 0);
	th_free(t);
}
END_TEST

/* The dose form's draft keeps the chosen vaccine (a choice) and the typed
 * lot (a backslash too). */
START_TEST(dose_form_draft_keeps_the_choice_and_the_text)
{
	struct th *t = th_start(24, 80, 0);
	ck_assert_ptr_nonnull(t);
	open_chart(t, "okafor");
	th_type(t, "v");
	th_type(t, "r");
	ASSERT_SCREEN(t, "Record a vaccine dose given to Okafor, Chidi");
	th_type(t, "h"); /* HIB */
	th_type(t, "\t\tLOT-\\77");
	th_idle(t, 15);
	ck_assert_str_eq(th_farewell(t, NULL), "signed off after 15 minutes without a key; the unsaved dose form for "
					       "MRN MRN005 was kept as a draft");
	th_stop(t);
	ck_assert_int_eq(th_restart(t, 24, 80), 0);
	open_chart(t, "okafor");
	th_type(t, "v");
	th_type(t, "r");
	ASSERT_SCREEN(t, "Draft kept at ");
	ASSERT_SCREEN(t, "Haemophilus");
	ck_assert_msg(strstr(th_line(t, th_find(t, "Lot")), "LOT-\\77"), "lot: %s", th_line(t, th_find(t, "Lot")));
	th_type(t, "\t\t\tright deltoid"); /* the form opens on its first field */
	th_key(t, KEY_F(2));
	ASSERT_SCREEN(t, "Recorded HIB given on 2024-09-01");
	ck_assert_int_eq(th_export_count(t, STORE_K_VACCINATIONS, "MRN005", "MRN005,HIB,2024-09-01,LOT-\\77,right deltoid"),
			 1);
	ck_assert_int_eq(drafts(t), 0);
	th_free(t);
}
END_TEST

/* A GVHD form switched to chronic comes back as chronic, with its scores. */
START_TEST(gvhd_draft_comes_back_with_its_kind)
{
	struct th *t = th_start(24, 80, 0);
	ck_assert_ptr_nonnull(t);
	open_chart(t, "smith j");
	th_type(t, "g");
	ASSERT_SCREEN(t, "GVHD assessment for Smith, John");
	th_type(t, "\t");
	th_key(t, KEY_RIGHT); /* chronic */
	ASSERT_SCREEN(t, "Global severity");
	th_type(t, "\t2");     /* skin 2 */
	th_idle(t, 15);
	ck_assert(th_quit(t));
	th_stop(t);
	ck_assert_int_eq(th_restart(t, 24, 80), 0);
	open_chart(t, "smith j");
	th_type(t, "g");
	ASSERT_SCREEN(t, "Draft kept at ");
	ASSERT_SCREEN(t, "Global severity");
	ASSERT_SCREEN(t, "Genital");
	ck_assert_msg(strstr(th_line(t, th_find(t, "Skin")), "2"), "skin: %s", th_line(t, th_find(t, "Skin")));
	th_free(t);
}
END_TEST

/* Signed off while it asks whether to discard the input: kept all the same. */
START_TEST(idle_logoff_while_asking_to_discard_keeps_the_draft)
{
	struct th *t = th_start(24, 80, 0);
	ck_assert_ptr_nonnull(t);
	open_lab(t);
	th_type(t, "\t\t2.2");
	th_esc(t);
	ASSERT_SCREEN(t, "Discard the unsaved Lab result? (y/n)");
	th_idle(t, 15);
	ck_assert(th_quit(t));
	char v[64] = "";
	ck_assert(draft_field(t, "lab", "MRN001", NULL, 2, v, sizeof v));
	ck_assert_str_eq(v, "2.2");
	th_free(t);
}
END_TEST

/* An acknowledgement's reason is kept for that alert (its context). */
START_TEST(ack_form_draft_belongs_to_its_alert)
{
	struct th *t = th_start(24, 80, 0);
	ck_assert_ptr_nonnull(t);
	th_type(t, "a");
	ASSERT_SCREEN(t, "Alerts: clinic");
	th_type(t, "k");
	ASSERT_SCREEN(t, "Acknowledge alert #");
	th_type(t, "biopsy booked");
	th_idle(t, 15);
	ck_assert_str_eq(th_farewell(t, NULL), "signed off after 15 minutes without a key; the unsaved acknowledgement "
					       "form for MRN MRN004 was kept as a draft");
	th_stop(t);
	ck_assert_int_eq(th_restart(t, 24, 80), 0);
	th_type(t, "a");
	th_key(t, KEY_DOWN); /* another alert: not its draft */
	th_type(t, "k");
	ASSERT_NOT_SCREEN(t, "biopsy booked");
	th_esc(t);
	th_key(t, KEY_UP);
	th_type(t, "k");
	ASSERT_SCREEN(t, "Draft kept at ");
	ASSERT_SCREEN(t, "biopsy booked");
	th_key(t, KEY_F(2));
	ASSERT_SCREEN(t, "Acknowledged NEUTROPHIL_ENGRAFTMENT_MISSED");
	ck_assert_int_eq(drafts(t), 0);
	th_free(t);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("tui-idle");
	TCase *tc = tcase_create("idle");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, idle_logoff_keeps_the_lab_form_as_a_draft_until_saved);
	tcase_add_test(tc, idle_logoff_without_a_form_keeps_no_draft);
	tcase_add_test(tc, a_draft_is_the_logins_own_and_ctrl_d_discards_it);
	tcase_add_test(tc, dose_form_draft_keeps_the_choice_and_the_text);
	tcase_add_test(tc, gvhd_draft_comes_back_with_its_kind);
	tcase_add_test(tc, idle_logoff_while_asking_to_discard_keeps_the_draft);
	tcase_add_test(tc, ack_form_draft_belongs_to_its_alert);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
