/* Drafts (schema 009, src/store/drafts.c): what the terminal interface keeps
 * of a form at an automatic sign-off. put inserts or replaces one draft per
 * (login, form, patient, context), get reads it back, delete removes it,
 * tidy drops the drafts whose patient is gone. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "../testutil.h"
#include "engraft/app.h"

static char *dir;
static struct store *db;
static int64_t pid;

static void setup(void)
{
	dir = tu_tmpdir();
	db = tu_open(dir, "d.db");
	struct ef_err err;
	enum store_put r;
	struct store_patient_rec p = {"M1", "Fam", "Giv", "1970-01-01", "F", NULL};
	ck_assert_int_eq(store_begin(db, &err), EF_OK);
	ck_assert_int_eq(store_put_patient(db, &p, 0, &pid, &r, &err), EF_OK);
	ck_assert_int_eq(store_commit(db, &err), EF_OK);
}

static void teardown(void)
{
	store_close(db);
	tu_rmdir(dir);
}

/* The draft of k as text ("" when none); frees what get returned. */
static const char *get(const struct store_draft_key *k, int *exists)
{
	static char out[256];
	char *fields = NULL, at[21];
	int found = -1, ex = -1;
	struct ef_err err;
	ck_assert_msg(store_draft_get(db, k, &fields, at, &ex, &found, &err) == EF_OK, "%s", err.msg);
	out[0] = '\0';
	if (found) {
		ck_assert_ptr_nonnull(fields);
		ck_assert_msg(strlen(at) == 20 && at[10] == 'T' && at[19] == 'Z', "saved_at %s", at);
		snprintf(out, sizeof out, "%s", fields);
	} else {
		ck_assert_ptr_null(fields);
	}
	if (exists)
		*exists = ex;
	free(fields);
	return out;
}

static void put(const struct store_draft_key *k, const char *fields)
{
	struct ef_err err;
	ck_assert_int_eq(store_begin(db, &err), EF_OK);
	ck_assert_msg(store_draft_put(db, k, fields, &err) == EF_OK, "%s", err.msg);
	ck_assert_int_eq(store_commit(db, &err), EF_OK);
}

START_TEST(draft_put_replaces_and_get_reads_it_back)
{
	struct store_draft_key k = {"nurse1", "lab", pid, NULL};
	ck_assert_str_eq(get(&k, NULL), "");
	put(&k, "2024-09-01\nANC\n0.3\n10*9/L");
	int exists = 0;
	ck_assert_str_eq(get(&k, &exists), "2024-09-01\nANC\n0.3\n10*9/L");
	ck_assert_int_eq(exists, 1);
	put(&k, "2024-09-01\nPLT\n12\n10*9/L"); /* a later sign-off replaces it */
	ck_assert_str_eq(get(&k, NULL), "2024-09-01\nPLT\n12\n10*9/L");
	int64_t n, orphans;
	struct ef_err err;
	ck_assert_int_eq(store_draft_count(db, "nurse1", &n, &orphans, &err), EF_OK);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(orphans, 0);
}
END_TEST

START_TEST(draft_is_per_login_form_patient_and_context)
{
	struct store_draft_key k = {"nurse1", "dose", pid, "PCV"};
	put(&k, "PCV");
	struct store_draft_key other_login = {"nurse2", "dose", pid, "PCV"};
	struct store_draft_key other_form = {"nurse1", "lab", pid, "PCV"};
	struct store_draft_key other_context = {"nurse1", "dose", pid, "FLU"};
	struct store_draft_key no_context = {"nurse1", "dose", pid, ""};
	ck_assert_str_eq(get(&other_login, NULL), "");
	ck_assert_str_eq(get(&other_form, NULL), "");
	ck_assert_str_eq(get(&other_context, NULL), "");
	ck_assert_str_eq(get(&no_context, NULL), "");
	put(&other_login, "FLU");
	ck_assert_str_eq(get(&k, NULL), "PCV");
	ck_assert_str_eq(get(&other_login, NULL), "FLU");
}
END_TEST

START_TEST(draft_delete_removes_only_that_draft)
{
	struct store_draft_key k = {"nurse1", "ack", pid, "7"};
	struct store_draft_key k2 = {"nurse1", "ack", pid, "8"};
	put(&k, "reason one");
	put(&k2, "reason two");
	struct ef_err err;
	int deleted = -1;
	ck_assert_int_eq(store_begin(db, &err), EF_OK);
	ck_assert_int_eq(store_draft_delete(db, &k, &deleted, &err), EF_OK);
	ck_assert_int_eq(deleted, 1);
	ck_assert_int_eq(store_draft_delete(db, &k, &deleted, &err), EF_OK); /* none left: nothing happens */
	ck_assert_int_eq(deleted, 0);
	ck_assert_int_eq(store_commit(db, &err), EF_OK);
	ck_assert_str_eq(get(&k, NULL), "");
	ck_assert_str_eq(get(&k2, NULL), "reason two");
}
END_TEST

START_TEST(draft_of_a_missing_patient_is_tidied_away)
{
	struct store_draft_key gone = {"nurse1", "lab", pid + 1000, NULL};
	struct store_draft_key here = {"nurse1", "lab", pid, NULL};
	struct store_draft_key theirs = {"nurse2", "lab", pid + 1000, NULL};
	put(&gone, "x");
	put(&here, "y");
	put(&theirs, "z");
	int exists = -1;
	ck_assert_str_eq(get(&gone, &exists), "x");
	ck_assert_int_eq(exists, 0);
	int64_t n = -1, orphans = -1;
	struct ef_err err;
	ck_assert_int_eq(store_draft_count(db, "nurse1", &n, &orphans, &err), EF_OK);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(orphans, 1);
	ck_assert_int_eq(store_begin(db, &err), EF_OK);
	ck_assert_int_eq(store_draft_tidy(db, "nurse1", &err), EF_OK);
	ck_assert_int_eq(store_commit(db, &err), EF_OK);
	ck_assert_int_eq(store_draft_count(db, "nurse1", &n, &orphans, &err), EF_OK);
	ck_assert_int_eq(n, 1);
	ck_assert_int_eq(orphans, 0);
	ck_assert_str_eq(get(&gone, NULL), "");
	ck_assert_str_eq(get(&here, NULL), "y");
	ck_assert_str_eq(get(&theirs, NULL), "z"); /* another login's drafts are theirs to tidy */
}
END_TEST

START_TEST(draft_refuses_a_bad_key_or_form)
{
	struct ef_err err;
	struct store_draft_key no_login = {"", "lab", pid, NULL};
	struct store_draft_key no_patient = {"nurse1", "lab", 0, NULL};
	struct store_draft_key bad_form = {"nurse1", "chart", pid, NULL};
	ck_assert_int_eq(store_begin(db, &err), EF_OK);
	ck_assert_int_eq(store_draft_put(db, &no_login, "x", &err), EF_USAGE);
	ck_assert_int_eq(store_draft_put(db, &no_patient, "x", &err), EF_USAGE);
	ck_assert_int_eq(store_draft_put(db, &bad_form, "x", &err), EF_INVALID); /* the table's CHECK */
	ck_assert_ptr_nonnull(strstr(err.msg, "keep a draft"));
	store_rollback(db);
}
END_TEST

/* The use cases: the values come back as typed (a backslash, a line
 * break, UTF-8), under the store's user only; a draft whose patient is
 * gone is not offered and is deleted. */
START_TEST(app_draft_round_trip_is_the_logins_own)
{
	struct app_env e = {db, NULL, 0};
	struct ef_err err;
	const char *vals[] = {"2024-09-01", "a\\b\\n", "", "Müller \\"};
	struct app_draft_key k = {"lab", pid, NULL};
	store_set_user(db, "nurse1");
	ck_assert_msg(app_draft_save(&e, &k, vals, 4, &err) == EF_OK, "%s", err.msg);
	struct app_draft d;
	int found = 0;
	ck_assert_int_eq(app_draft_take(&e, &k, &d, &found, &err), EF_OK);
	ck_assert_int_eq(found, 1);
	ck_assert_int_eq(d.n, 4);
	for (int i = 0; i < 4; i++)
		ck_assert_str_eq(d.field[i], vals[i]);
	ck_assert_int_eq((int)strlen(d.kept_on), 10);
	ck_assert_int_eq((int)strlen(d.kept_at), 5);
	app_draft_free(&d);
	store_set_user(db, "nurse2");
	ck_assert_int_eq(app_draft_take(&e, &k, &d, &found, &err), EF_OK);
	ck_assert_int_eq(found, 0);
	const char *bad[] = {"line\nbreak"};
	ck_assert_int_eq(app_draft_save(&e, &k, bad, 1, &err), EF_USAGE);
	store_set_user(db, "nurse1");
	ck_assert_int_eq(app_draft_discard(&e, &k, &err), EF_OK);
	ck_assert_int_eq(app_draft_take(&e, &k, &d, &found, &err), EF_OK);
	ck_assert_int_eq(found, 0);
	/* a draft of a patient that is gone */
	struct app_draft_key gone = {"lab", pid + 1000, NULL};
	ck_assert_int_eq(app_draft_save(&e, &gone, vals, 1, &err), EF_OK);
	ck_assert_int_eq(app_draft_take(&e, &gone, &d, &found, &err), EF_OK);
	ck_assert_int_eq(found, 0);
	struct store_draft_key sk = {"nurse1", "lab", pid + 1000, NULL};
	ck_assert_str_eq(get(&sk, NULL), "");
	/* app_draft_count tidies such drafts away too */
	ck_assert_int_eq(app_draft_save(&e, &gone, vals, 1, &err), EF_OK);
	ck_assert_int_eq(app_draft_save(&e, &k, vals, 1, &err), EF_OK);
	int64_t n = -1;
	ck_assert_int_eq(app_draft_count(&e, &n, &err), EF_OK);
	ck_assert_int_eq(n, 1);
	ck_assert_str_eq(get(&sk, NULL), "");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("store-drafts");
	TCase *tc = tcase_create("drafts");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, draft_put_replaces_and_get_reads_it_back);
	tcase_add_test(tc, draft_is_per_login_form_patient_and_context);
	tcase_add_test(tc, draft_delete_removes_only_that_draft);
	tcase_add_test(tc, draft_of_a_missing_patient_is_tidied_away);
	tcase_add_test(tc, draft_refuses_a_bad_key_or_form);
	tcase_add_test(tc, app_draft_round_trip_is_the_logins_own);
	suite_add_tcase(s, tc);
	SRunner *r = srunner_create(s);
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? 1 : 0;
}
