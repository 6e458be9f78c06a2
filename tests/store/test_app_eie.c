/* test_app_eie.c - the use cases of rows entered in error (src/app):
 * marking a record and re-running the patient's rules in one transaction,
 * the reason's validation, and a record saved again through a form being
 * valid again. Also the status use case on the same fixture (issue 18):
 * app_record_status resolves alerts, refuses bad input, and every single
 * save dated after the date of death is refused, as is a date of death
 * before a record. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "../testutil.h"
#include "engraft/app.h"
#include "engraft/csvio.h"
#include "engraft/refstore.h"

#define TODAY_S "2025-10-01"

static ef_day day(const char *s)
{
	ef_day d;
	ck_assert_int_eq(ef_date_parse(s, strlen(s), &d), 0);
	return d;
}

struct fx {
	char *dir;
	struct store *s;
	struct ef_reference ref;
	struct app_env env;
	struct store_staff me;
	int64_t pid, other;
};

static void fx_open(struct fx *f)
{
	struct ef_err err;
	f->dir = tu_tmpdir();
	f->s = tu_open(f->dir, "app.db");
	ck_assert_int_eq(tu_import(f->s, STORE_K_PATIENTS,
				   "mrn,family_name,given_name,birth_date\nA1,Able,Ann,1970-01-01\nB2,Baker,Bo,1971-01-01\n",
				   day(TODAY_S), NULL, NULL, &err), EF_OK);
	ck_assert_int_eq(tu_import(f->s, STORE_K_TRANSPLANTS,
				   "mrn,transplant_date,type,graft_source\nA1,2025-01-15,allogeneic,peripheral_blood\n",
				   day(TODAY_S), NULL, NULL, &err), EF_OK);
	ck_assert_int_eq(tu_import(f->s, STORE_K_LABS,
				   "mrn,collected_on,test,value,unit\nA1,2025-07-14,IGG,350,mg/dL\n", day(TODAY_S),
				   NULL, NULL, &err), EF_OK);
	ck_assert_int_eq(store_reference_load(f->s, &f->ref, &err), EF_OK);
	ck_assert_int_eq(app_sign_on(f->s, &f->me, &err), EF_OK); /* the creator is the first admin */
	f->env = (struct app_env){f->s, &f->ref, day(TODAY_S), &f->me};
	ck_assert_int_eq(store_patient_id(f->s, "A1", 2, &f->pid, NULL, &err), EF_OK);
	ck_assert_int_eq(store_patient_id(f->s, "B2", 2, &f->other, NULL, &err), EF_OK);
}

static void fx_close(struct fx *f)
{
	ef_reference_free(&f->ref);
	store_close(f->s);
	tu_rmdir(f->dir);
}

static int64_t igg_id(struct fx *f)
{
	char *out = tu_export(f->s, STORE_K_LABS, EF_NO_DAY, "A1");
	ck_assert_ptr_nonnull(strstr(out, "A1,2025-07-14,IGG"));
	free(out);
	return 1; /* the only lab row */
}

START_TEST(mark_resolves_the_alert_and_a_form_save_makes_it_valid_again)
{
	struct fx f;
	fx_open(&f);
	struct ef_err err;
	struct ef_check_counts c = {0};
	ck_assert_int_eq(app_check_patient(&f.env, f.pid, &c, &err), EF_OK);
	ck_assert_int_ge(c.opened, 1); /* IGG_LOW among them */
	struct app_saved saved;
	/* the reason is validated, nothing written */
	ck_assert_int_eq(app_mark_entered_in_error(&f.env, f.pid, STORE_K_LABS, igg_id(&f), "  ", &saved, &err), EF_USAGE);
	char long_reason[202];
	memset(long_reason, 'x', 201);
	long_reason[201] = '\0';
	ck_assert_int_eq(app_mark_entered_in_error(&f.env, f.pid, STORE_K_LABS, 1, long_reason, &saved, &err), EF_USAGE);
	ck_assert_ptr_nonnull(strstr(err.msg, "201 bytes"));
	ck_assert_int_eq(app_mark_entered_in_error(&f.env, f.pid, STORE_K_LABS, 1, "bad\033[2Jreason", &saved, &err),
			 EF_USAGE);
	/* another patient's record id: refused */
	ck_assert_int_eq(app_mark_entered_in_error(&f.env, f.other, STORE_K_LABS, 1, "wrong patient", &saved, &err),
			 EF_INVALID);
	char *out = tu_export(f.s, STORE_K_LABS, EF_NO_DAY, NULL);
	ck_assert_str_eq(out, "mrn,collected_on,test,value,unit,entered_in_error\nA1,2025-07-14,IGG,350,mg/dL,\n");
	free(out);
	/* marked: the row stays, the alert resolves in the same transaction */
	ck_assert_int_eq(app_mark_entered_in_error(&f.env, f.pid, STORE_K_LABS, 1, "sample swap", &saved, &err), EF_OK);
	ck_assert_int_eq(saved.alerts.resolved, 1);
	out = tu_export(f.s, STORE_K_LABS, EF_NO_DAY, NULL);
	ck_assert_ptr_nonnull(strstr(out, "A1,2025-07-14,IGG,350,mg/dL,sample swap\n"));
	free(out);
	/* the same result entered again through a form is valid again */
	struct store_lab_rec r = {.patient_id = f.pid, .collected_on = "2025-07-14", .day = day("2025-07-14"),
				  .test = "IGG", .value = "350", .qualifier = '=', .canonical = 350, .unit = "mg/dL"};
	ck_assert_int_eq(app_save_lab(&f.env, &r, &saved, &err), EF_OK);
	ck_assert_int_eq(saved.put, STORE_UPDATED);
	ck_assert_int_eq(saved.alerts.reopened, 1);
	out = tu_export(f.s, STORE_K_LABS, EF_NO_DAY, NULL);
	ck_assert_ptr_nonnull(strstr(out, "A1,2025-07-14,IGG,350,mg/dL,\n"));
	free(out);
	fx_close(&f);
}
END_TEST

START_TEST(status_resolves_alerts_and_refuses_later_records)
{
	struct fx f;
	fx_open(&f);
	struct ef_err err;
	struct ef_check_counts c = {0};
	ck_assert_int_eq(app_check_patient(&f.env, f.pid, &c, &err), EF_OK);
	ck_assert_int_ge(c.opened, 1);
	struct app_saved saved;
	struct store_status_rec st = {.patient_id = f.pid, .recorded_on = "2025-09-01", .status = "dead"};
	ck_assert_int_eq(app_record_status(&f.env, &st, &saved, &err), EF_INVALID);
	ck_assert_ptr_nonnull(strstr(err.msg, "lost_to_followup"));
	st.status = "deceased";
	st.recorded_on = "2025-10-02"; /* after today */
	ck_assert_int_eq(app_record_status(&f.env, &st, &saved, &err), EF_INVALID);
	st.recorded_on = "2025-09-01";
	st.note = "bad\033[2Jnote";
	ck_assert_int_eq(app_record_status(&f.env, &st, &saved, &err), EF_INVALID);
	st.note = "at home,\nfamily present";
	/* a date of death before the IgG of 2025-07-14 contradicts it */
	st.recorded_on = "2025-07-13";
	ck_assert_int_eq(app_record_status(&f.env, &st, &saved, &err), EF_INVALID);
	ck_assert_str_eq(err.msg, "death on 2025-07-13 is before the patient's lab result IGG of 2025-07-14: correct the "
				  "date or mark that record entered in error (nothing saved)");
	st.recorded_on = "2025-09-01";
	ck_assert_int_eq(app_record_status(&f.env, &st, &saved, &err), EF_OK);
	ck_assert_int_eq(saved.put, STORE_INSERTED);
	ck_assert_int_eq(saved.alerts.resolved, c.opened); /* every open alert, in the same transaction */
	ck_assert_int_eq(saved.alerts.opened + saved.alerts.kept, 0);
	/* a lab, a dose, an assessment dated after death: refused, nothing saved */
	struct store_lab_rec r = {.patient_id = f.pid, .collected_on = "2025-09-02", .day = day("2025-09-02"),
				  .test = "IGG", .value = "350", .qualifier = '=', .canonical = 350, .unit = "mg/dL"};
	ck_assert_int_eq(app_save_lab(&f.env, &r, &saved, &err), EF_INVALID);
	ck_assert_str_eq(err.msg, "2025-09-02 is after the patient's date of death 2025-09-01 (nothing saved)");
	struct store_vaccination_rec v = {.patient_id = f.pid, .vaccine = "FLU", .given_on = "2025-09-30"};
	ck_assert_int_eq(app_record_dose(&f.env, &v, &saved, &err), EF_INVALID);
	struct store_gvhd_acute_rec a = {.patient_id = f.pid, .assessed_on = "2025-09-05", .grade = "0"};
	ck_assert_int_eq(app_assess_gvhd_acute(&f.env, &a, &saved, &err), EF_INVALID);
	struct store_status_rec later = {.patient_id = f.pid, .recorded_on = "2025-09-20", .status = "alive"};
	ck_assert_int_eq(app_record_status(&f.env, &later, &saved, &err), EF_INVALID);
	char *out = tu_export(f.s, STORE_K_LABS, EF_NO_DAY, "A1");
	ck_assert_ptr_null(strstr(out, "2025-09-02"));
	free(out);
	/* on the day of death: accepted; the check keeps every alert resolved */
	r.collected_on = "2025-09-01";
	r.day = day("2025-09-01");
	ck_assert_int_eq(app_save_lab(&f.env, &r, &saved, &err), EF_OK);
	ck_assert_int_eq(saved.alerts.opened + saved.alerts.reopened, 0);
	memset(&c, 0, sizeof c);
	ck_assert_int_eq(app_check_patient(&f.env, f.pid, &c, &err), EF_OK);
	ck_assert_int_eq(c.opened + c.reopened + c.kept, 0);
	/* another patient is not affected */
	r.patient_id = f.other;
	r.collected_on = "2025-09-02";
	r.day = day("2025-09-02");
	ck_assert_int_eq(app_save_lab(&f.env, &r, &saved, &err), EF_OK);
	fx_close(&f);
}
END_TEST

START_TEST(returned_reopens_alerts)
{
	struct fx f;
	fx_open(&f);
	struct ef_err err;
	struct ef_check_counts c = {0};
	ck_assert_int_eq(app_check_patient(&f.env, f.pid, &c, &err), EF_OK);
	struct app_saved saved;
	struct store_status_rec st = {.patient_id = f.pid, .recorded_on = "2025-08-01", .status = "transferred"};
	ck_assert_int_eq(app_record_status(&f.env, &st, &saved, &err), EF_OK);
	ck_assert_int_eq(saved.alerts.resolved, c.opened);
	st.recorded_on = "2025-09-01";
	st.status = "returned";
	ck_assert_int_eq(app_record_status(&f.env, &st, &saved, &err), EF_OK);
	ck_assert_int_eq(saved.alerts.reopened, c.opened);
	fx_close(&f);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("app-eie");
	TCase *tc = tcase_create("app-eie");
	tcase_add_test(tc, mark_resolves_the_alert_and_a_form_save_makes_it_valid_again);
	tcase_add_test(tc, status_resolves_alerts_and_refuses_later_records);
	tcase_add_test(tc, returned_reopens_alerts);
	suite_add_tcase(s, tc);
	return tu_run_suite(s);
}
