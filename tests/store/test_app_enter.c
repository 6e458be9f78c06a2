/* test_app_enter.c - one record entered as a form enters it (issue 14):
 * ef_enter_row validates with the importer's own checks and says the same
 * thing about the same bad value (its message is the import's without
 * "FILE:LINE: "), writes nothing while any problem remains, and
 * app_enter_record puts the row and re-runs the patient's rules in one
 * transaction, refuses an overwrite of a recorded key (APP_ENTER_NEW) and
 * stops only a recorded course (APP_ENTER_EXISTING), by role. */
#include <check.h>
#include <sqlite3.h>
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
	int64_t pid;
};

static void fx_open(struct fx *f)
{
	struct ef_err err;
	f->dir = tu_tmpdir();
	f->s = tu_open(f->dir, "app.db");
	ck_assert_int_eq(tu_import(f->s, STORE_K_PATIENTS,
				   "mrn,family_name,given_name,birth_date\nA1,Able,Ann,1970-01-01\n", day(TODAY_S), NULL,
				   NULL, &err), EF_OK);
	ck_assert_int_eq(tu_import(f->s, STORE_K_TRANSPLANTS,
				   "mrn,transplant_date,type,graft_source\nA1,2025-01-15,allogeneic,peripheral_blood\n",
				   day(TODAY_S), NULL, NULL, &err), EF_OK);
	ck_assert_int_eq(tu_import(f->s, STORE_K_LABS, "mrn,collected_on,test,value,unit\nA1,2025-07-14,IGG,350,mg/dL\n",
				   day(TODAY_S), NULL, NULL, &err), EF_OK);
	ck_assert_int_eq(tu_import(f->s, STORE_K_IMMUNOSUPPRESSION,
				   "mrn,drug,started_on,stopped_on\nA1,tacrolimus,2025-01-12,\n", day(TODAY_S), NULL, NULL,
				   &err), EF_OK);
	ck_assert_int_eq(store_reference_load(f->s, &f->ref, &err), EF_OK);
	ck_assert_int_eq(app_sign_on(f->s, &f->me, &err), EF_OK); /* the creator is the first admin */
	f->env = (struct app_env){f->s, &f->ref, day(TODAY_S), &f->me};
	ck_assert_int_eq(store_patient_id(f->s, "A1", 2, &f->pid, NULL, &err), EF_OK);
}

static void fx_close(struct fx *f)
{
	ef_reference_free(&f->ref);
	store_close(f->s);
	tu_rmdir(f->dir);
}

/* Every kind's export, concatenated, and the audit log's length. */
static char *snapshot(struct store *s)
{
	size_t len = 0;
	char *all = calloc(1, 1);
	for (int k = 0; k < STORE_K_COUNT; k++) {
		char *e = tu_export(s, (enum store_kind)k, EF_NO_DAY, NULL);
		size_t n = strlen(e);
		all = realloc(all, len + n + 1);
		memcpy(all + len, e, n + 1);
		len += n;
		free(e);
	}
	return all;
}

/* The same bad row, as a one-line file and as cells. The import's message
 * for it is "test.csv:2: " + the entry's. */
static const struct {
	enum store_kind kind;
	const char *header, *row;
	const char *cells[8];
	size_t n;
	const char *want; /* in the entry's message */
} bad_cases[] = {
	{STORE_K_PATIENTS, "mrn,family_name,given_name,birth_date,sex,diagnosis", "N1,Nu,Nina,1980-02-30,F,AML",
	 {"N1", "Nu", "Nina", "1980-02-30", "F", "AML"}, 6, "birth_date: '1980-02-30' is not a real date (YYYY-MM-DD)"},
	{STORE_K_PATIENTS, "mrn,family_name,given_name,birth_date,sex,diagnosis", "N1,Nu,Nina,2026-01-01,,",
	 {"N1", "Nu", "Nina", "2026-01-01", "", ""}, 6, "birth_date: 2026-01-01 is in the future (today is 2025-10-01)"},
	{STORE_K_PATIENTS, "mrn,family_name,given_name,birth_date,sex,diagnosis", "N1,,Nina,1980-01-01,Q,",
	 {"N1", "", "Nina", "1980-01-01", "Q", ""}, 6, "family_name: required value is empty"},
	{STORE_K_PATIENTS, "mrn,family_name,given_name,birth_date,sex,diagnosis", "N1,Nu,Nina,1980-01-01,Q,",
	 {"N1", "Nu", "Nina", "1980-01-01", "Q", ""}, 6, "sex: 'Q' is not one of F, M, X (or empty)"},
	{STORE_K_PATIENTS, "mrn,family_name,given_name,birth_date,sex,diagnosis", "N 1,Nu,Nina,1980-01-01,,",
	 {"N 1", "Nu", "Nina", "1980-01-01", "", ""}, 6, "mrn: must be printable ASCII without spaces"},
	{STORE_K_TRANSPLANTS, "mrn,transplant_date,type,graft_source,donor,conditioning",
	 "A1,2025-09-01,allo,bone_marrow,,", {"A1", "2025-09-01", "allo", "bone_marrow", "", ""}, 6,
	 "type: 'allo' is not one of autologous, allogeneic, syngeneic"},
	{STORE_K_TRANSPLANTS, "mrn,transplant_date,type,graft_source,donor,conditioning",
	 "A1,2025-09-01,autologous,bone_marrow,related,", {"A1", "2025-09-01", "autologous", "bone_marrow", "related", ""},
	 6, "donor: an autologous transplant's donor is 'self'"},
	{STORE_K_TRANSPLANTS, "mrn,transplant_date,type,graft_source,donor,conditioning",
	 "Z9,2025-09-01,allogeneic,bone_marrow,,", {"Z9", "2025-09-01", "allogeneic", "bone_marrow", "", ""}, 6,
	 "mrn: unknown MRN 'Z9' (import the patient first)"},
	{STORE_K_TRANSFUSIONS, "mrn,given_on,product", "A1,2025-09-01,blood", {"A1", "2025-09-01", "blood"}, 3,
	 "product: 'blood' is not one of platelets, red_cells, plasma, granulocytes"},
	{STORE_K_TRANSFUSIONS, "mrn,given_on,product", "A1,1960-01-01,platelets", {"A1", "1960-01-01", "platelets"}, 3,
	 "given_on: 1960-01-01 is before the birth date 1970-01-01"},
	{STORE_K_IVIG, "mrn,given_on,dose_g", "A1,2025-09-01,-5", {"A1", "2025-09-01", "-5"}, 3,
	 "dose_g: '-5' is not a positive number of grams"},
	{STORE_K_IVIG, "mrn,given_on,dose_g", "A1,2025-09-01,\"2,5\"", {"A1", "2025-09-01", "2,5"}, 3,
	 "dose_g: '2,5' is not a positive number of grams"},
	{STORE_K_IMMUNOSUPPRESSION, "mrn,drug,started_on,stopped_on", "A1,tacrolimus,2025-01-12,2025-01-01",
	 {"A1", "tacrolimus", "2025-01-12", "2025-01-01"}, 4, "stopped_on: 2025-01-01 is before started_on 2025-01-12"},
	{STORE_K_IMMUNOSUPPRESSION, "mrn,drug,started_on,stopped_on", "A1,,2025-01-12,", {"A1", "", "2025-01-12", ""}, 4,
	 "drug: required value is empty"},
};

static void collect(void *ctx, const char *msg)
{
	tu_diag_fn(ctx, msg);
}

START_TEST(entry_says_what_import_says_and_writes_nothing)
{
	struct fx f;
	fx_open(&f);
	struct ef_err err;
	char *before = snapshot(f.s);
	/* the import of the same row, as a file */
	char csv[512];
	snprintf(csv, sizeof csv, "%s\n%s\n", bad_cases[_i].header, bad_cases[_i].row);
	struct tu_diag imp = {{0}, 0};
	ck_assert_int_eq(tu_import(f.s, bad_cases[_i].kind, csv, day(TODAY_S), NULL, &imp, &err), EF_INVALID);
	/* the same row entered */
	struct tu_diag ent = {{0}, 0};
	struct app_saved saved;
	int64_t pid = -1;
	ck_assert_int_eq(app_enter_record(&f.env, 0, bad_cases[_i].kind, 0, bad_cases[_i].cells, bad_cases[_i].n, collect,
					  &ent, &saved, &pid, &err),
			 EF_INVALID);
	ck_assert_msg(strstr(ent.text, bad_cases[_i].want) != NULL, "entry said: %s", ent.text);
	ck_assert_msg(strstr(err.msg, "nothing saved") != NULL, "err: %s", err.msg);
	ck_assert_int_eq(ent.n, imp.n);
	/* line by line: the import's message is "test.csv:2: " + the entry's */
	char *e = ent.text, *i = imp.text;
	for (int k = 0; k < ent.n; k++) {
		char *en = strchr(e, '\n'), *in = strchr(i, '\n');
		*en = *in = '\0';
		ck_assert_msg(strncmp(i, "test.csv:2: ", 12) == 0 && strcmp(i + 12, e) == 0, "import: %s\nentry: %s", i, e);
		e = en + 1;
		i = in + 1;
	}
	ck_assert_int_eq((int)pid, 0);
	ck_assert_int_eq(saved.put, 0);
	char *after = snapshot(f.s);
	ck_assert_str_eq(after, before);
	free(before);
	free(after);
	fx_close(&f);
}
END_TEST

/* A new patient, then a transplant: written, audited, the rules re-run. */
START_TEST(entry_writes_a_patient_and_a_transplant)
{
	struct fx f;
	fx_open(&f);
	struct ef_err err;
	struct app_saved saved;
	int64_t pid = 0;
	const char *p[] = {"N1", "Nu", "Nina", "1980-02-28", "F", "AML"};
	ck_assert_msg(app_enter_record(&f.env, 0, STORE_K_PATIENTS, APP_ENTER_NEW, p, 6, NULL, NULL, &saved, &pid, &err) ==
			      EF_OK, "%s", err.msg);
	ck_assert_int_eq(saved.put, STORE_INSERTED);
	ck_assert_int_gt(pid, 0);
	char *out = tu_export(f.s, STORE_K_PATIENTS, EF_NO_DAY, "N1");
	ck_assert_ptr_nonnull(strstr(out, "N1,Nu,Nina,1980-02-28,F,AML"));
	free(out);
	const char *t[] = {"N1", "2025-09-20", "allogeneic", "cord_blood", "unrelated", ""};
	int64_t tpid = 0;
	ck_assert_msg(app_enter_record(&f.env, 0, STORE_K_TRANSPLANTS, APP_ENTER_NEW, t, 6, NULL, NULL, &saved, &tpid,
				       &err) == EF_OK, "%s", err.msg);
	ck_assert_int_eq(tpid, pid);
	out = tu_export(f.s, STORE_K_TRANSPLANTS, EF_NO_DAY, "N1");
	ck_assert_ptr_nonnull(strstr(out, "N1,2025-09-20,allogeneic,cord_blood,unrelated,"));
	free(out);
	/* the same patient again: unchanged, no error */
	ck_assert_int_eq(app_enter_record(&f.env, 0, STORE_K_PATIENTS, APP_ENTER_NEW, p, 6, NULL, NULL, &saved, NULL, &err),
			 EF_OK);
	ck_assert_int_eq(saved.put, STORE_UNCHANGED);
	/* the MRN with another name: never overwritten */
	const char *q[] = {"N1", "Other", "Olga", "1980-02-28", "F", "AML"};
	struct tu_diag d = {{0}, 0};
	ck_assert_int_eq(app_enter_record(&f.env, 0, STORE_K_PATIENTS, APP_ENTER_NEW, q, 6, collect, &d, &saved, NULL, &err),
			 EF_INVALID);
	ck_assert_msg(strstr(d.text, "mrn: already registered, with other details"), "%s", d.text);
	out = tu_export(f.s, STORE_K_PATIENTS, EF_NO_DAY, "N1");
	ck_assert_ptr_nonnull(strstr(out, "N1,Nu,Nina,"));
	free(out);
	/* a transplant on a recorded date with another type: refused */
	const char *t2[] = {"N1", "2025-09-20", "syngeneic", "cord_blood", "", ""};
	d.text[0] = '\0';
	ck_assert_int_eq(app_enter_record(&f.env, 0, STORE_K_TRANSPLANTS, APP_ENTER_NEW, t2, 6, collect, &d, &saved, NULL,
					  &err), EF_INVALID);
	ck_assert_msg(strstr(d.text, "transplant_date: this transplant is already recorded"), "%s", d.text);
	fx_close(&f);
}
END_TEST

/* The IgG of 2025-07-14 is low; an IVIG dose 13 days before it explains
 * it: entering the dose resolves IGG_LOW in the same transaction. */
START_TEST(entry_reruns_the_rules)
{
	struct fx f;
	fx_open(&f);
	struct ef_err err;
	struct ef_check_counts c = {0};
	ck_assert_int_eq(app_check_patient(&f.env, f.pid, &c, &err), EF_OK);
	ck_assert_int_ge(c.opened, 1);
	const char *iv[] = {"A1", "2025-07-01", "30"};
	struct app_saved saved;
	ck_assert_msg(app_enter_record(&f.env, 0, STORE_K_IVIG, APP_ENTER_NEW, iv, 3, NULL, NULL, &saved, NULL, &err) ==
			      EF_OK, "%s", err.msg);
	ck_assert_int_eq(saved.put, STORE_INSERTED);
	ck_assert_int_ge(saved.alerts.resolved, 1);
	char *out = tu_export(f.s, STORE_K_IVIG, EF_NO_DAY, "A1");
	ck_assert_ptr_nonnull(strstr(out, "A1,2025-07-01,30,"));
	free(out);
	fx_close(&f);
}
END_TEST

/* SQL through a second connection (a DBA in the sqlite3 shell). */
static void sql(struct fx *f, const char *q)
{
	char path[4200];
	sqlite3 *h;
	snprintf(path, sizeof path, "%s/app.db", f->dir);
	ck_assert_int_eq(sqlite3_open(path, &h), SQLITE_OK);
	sqlite3_busy_timeout(h, 5000);
	ck_assert_msg(sqlite3_exec(h, q, NULL, NULL, NULL) == SQLITE_OK, "%s: %s", q, sqlite3_errmsg(h));
	sqlite3_close(h);
}

/* The record and the alerts it changes land together or not at all: when
 * the rules' write fails, the IVIG dose is not kept either. */
START_TEST(entry_and_its_rules_roll_back_together)
{
	struct fx f;
	fx_open(&f);
	struct ef_err err;
	struct ef_check_counts c = {0};
	ck_assert_int_eq(app_check_patient(&f.env, f.pid, &c, &err), EF_OK);
	sql(&f, "CREATE TRIGGER test_abort BEFORE UPDATE ON alerts BEGIN SELECT RAISE(ABORT, 'test: alerts locked'); END");
	const char *iv[] = {"A1", "2025-07-01", "30"};
	struct app_saved saved;
	ck_assert_int_ne(app_enter_record(&f.env, 0, STORE_K_IVIG, APP_ENTER_NEW, iv, 3, NULL, NULL, &saved, NULL, &err),
			 EF_OK);
	ck_assert_msg(strstr(err.msg, "test: alerts locked") != NULL, "%s", err.msg);
	ck_assert_int_eq(saved.put, 0);
	char *out = tu_export(f.s, STORE_K_IVIG, EF_NO_DAY, "A1");
	ck_assert_ptr_null(strstr(out, "2025-07-01"));
	free(out);
	sql(&f, "DROP TRIGGER test_abort"); /* and the write lock was released */
	ck_assert_int_eq(app_enter_record(&f.env, 0, STORE_K_IVIG, APP_ENTER_NEW, iv, 3, NULL, NULL, &saved, NULL, &err),
			 EF_OK);
	fx_close(&f);
}
END_TEST

/* Stopping a course updates its row (same natural key); a course that is
 * not recorded cannot be stopped. */
START_TEST(entry_stops_the_recorded_course)
{
	struct fx f;
	fx_open(&f);
	struct ef_err err;
	struct app_saved saved;
	const char *stop[] = {"A1", "tacrolimus", "2025-01-12", "2025-09-30"};
	ck_assert_msg(app_enter_record(&f.env, 0, STORE_K_IMMUNOSUPPRESSION, APP_ENTER_EXISTING, stop, 4, NULL, NULL,
				       &saved, NULL, &err) == EF_OK, "%s", err.msg);
	ck_assert_int_eq(saved.put, STORE_UPDATED);
	char *out = tu_export(f.s, STORE_K_IMMUNOSUPPRESSION, EF_NO_DAY, "A1");
	ck_assert_str_eq(out, "mrn,drug,started_on,stopped_on,entered_in_error\nA1,tacrolimus,2025-01-12,2025-09-30,\n");
	free(out);
	const char *none[] = {"A1", "sirolimus", "2025-01-12", "2025-09-30"};
	struct tu_diag d = {{0}, 0};
	ck_assert_int_eq(app_enter_record(&f.env, 0, STORE_K_IMMUNOSUPPRESSION, APP_ENTER_EXISTING, none, 4, collect, &d,
					  &saved, NULL, &err), EF_INVALID);
	ck_assert_msg(strstr(d.text, "drug: no such immunosuppression course is recorded"), "%s", d.text);
	out = tu_export(f.s, STORE_K_IMMUNOSUPPRESSION, EF_NO_DAY, "A1");
	ck_assert_ptr_null(strstr(out, "sirolimus"));
	free(out);
	fx_close(&f);
}
END_TEST

/* The kind decides the power: a clerk registers patients, a nurse gives
 * IVIG, neither may record the other's. */
START_TEST(entry_needs_the_kind_s_permission)
{
	struct fx f;
	fx_open(&f);
	struct ef_err err;
	struct app_saved saved;
	struct store_staff nurse = {.role = EF_ROLE_NURSE, .active = 1}, clerk = {.role = EF_ROLE_CLERK, .active = 1};
	snprintf(nurse.login, sizeof nurse.login, "nurse1");
	snprintf(clerk.login, sizeof clerk.login, "clerk1");
	struct app_env en = f.env, ec = f.env;
	en.me = &nurse;
	ec.me = &clerk;
	const char *p[] = {"N2", "Nu", "Ned", "1980-01-01", "", ""};
	const char *iv[] = {"A1", "2025-09-01", ""};
	ck_assert_int_eq(app_enter_record(&en, 0, STORE_K_PATIENTS, APP_ENTER_NEW, p, 6, NULL, NULL, &saved, NULL, &err),
			 EF_DENIED);
	ck_assert_int_eq(app_enter_record(&ec, 0, STORE_K_IVIG, APP_ENTER_NEW, iv, 3, NULL, NULL, &saved, NULL, &err),
			 EF_DENIED);
	ck_assert_int_eq(app_enter_record(&ec, 0, STORE_K_PATIENTS, APP_ENTER_NEW, p, 6, NULL, NULL, &saved, NULL, &err),
			 EF_OK);
	ck_assert_int_eq(app_enter_record(&en, 0, STORE_K_IVIG, APP_ENTER_NEW, iv, 3, NULL, NULL, &saved, NULL, &err),
			 EF_OK);
	const char *is[] = {"A1", "sirolimus", "2025-09-01", ""};
	ck_assert_int_eq(app_enter_record(&en, 0, STORE_K_IMMUNOSUPPRESSION, APP_ENTER_NEW, is, 4, NULL, NULL, &saved, NULL,
					  &err), EF_DENIED);
	fx_close(&f);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("app-enter");
	TCase *tc = tcase_create("enter");
	tcase_add_loop_test(tc, entry_says_what_import_says_and_writes_nothing, 0,
			    (int)(sizeof bad_cases / sizeof bad_cases[0]));
	tcase_add_test(tc, entry_writes_a_patient_and_a_transplant);
	tcase_add_test(tc, entry_reruns_the_rules);
	tcase_add_test(tc, entry_and_its_rules_roll_back_together);
	tcase_add_test(tc, entry_stops_the_recorded_course);
	tcase_add_test(tc, entry_needs_the_kind_s_permission);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return tu_run_suite(suite());
}
