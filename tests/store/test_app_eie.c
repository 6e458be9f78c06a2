/* test_app_eie.c - the use cases of rows entered in error (src/app):
 * marking a record and re-running the patient's rules in one transaction,
 * the reason's validation, and a record saved again through a form being
 * valid again. */
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

int main(void)
{
	Suite *s = suite_create("app-eie");
	TCase *tc = tcase_create("app-eie");
	tcase_add_test(tc, mark_resolves_the_alert_and_a_form_save_makes_it_valid_again);
	suite_add_tcase(s, tc);
	return tu_run_suite(s);
}
