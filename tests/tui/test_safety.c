/* test_safety.c - screen tests of the TUI when a write fails: a save and
 * the rule re-run it causes are one transaction; a failure rolls back on
 * every path, releases the database lock and leaves the next save working. */
#include <check.h>
#include <curses.h>
#include <locale.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engraft/app.h"
#include "engraft/store.h"
#include "harness.h"
#include "screen_assert.h"


/* Run SQL on the test database through a second connection (another
 * terminal, or a DBA in the sqlite3 shell). */
static void sql(struct th *t, const char *q)
{
	sqlite3 *db;
	ck_assert_int_eq(sqlite3_open(th_db_path(t), &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	char *msg = NULL;
	int rc = sqlite3_exec(db, q, NULL, NULL, &msg);
	ck_assert_msg(rc == SQLITE_OK, "%s: %s", q, msg ? msg : "?");
	sqlite3_close(db);
}

/* Another connection can take the write lock at once: nothing is left
 * holding it. */
static int lock_free(struct th *t)
{
	sqlite3 *db;
	ck_assert_int_eq(sqlite3_open(th_db_path(t), &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 0);
	int rc = sqlite3_exec(db, "BEGIN IMMEDIATE; ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(db);
	return rc == SQLITE_OK;
}

START_TEST(failed_dose_save_rolls_back_and_next_save_works)
{
	struct th *t = th_start(24, 80, 0);
	ck_assert(t != NULL);
	sql(t, "CREATE TRIGGER test_abort BEFORE INSERT ON vaccinations "
	       "BEGIN SELECT RAISE(ABORT, 'simulated insert failure'); END");
	open_chart(t, "okafor");
	th_type(t, "v");
	th_type(t, "r");
	ASSERT_SCREEN(t, "Record a vaccine dose given to Okafor, Chidi");
	th_type(t, "h");
	th_type(t, "\t\tLOT-77\tright deltoid");
	th_key(t, KEY_F(2));
	ASSERT_SCREEN(t, "simulated insert failure");
	ASSERT_SCREEN(t, "Record a vaccine dose"); /* still in the form, input kept */
	ck_assert_msg(lock_free(t), "the failed save left the database locked");
	ck_assert_int_eq(th_export_count(t, STORE_K_VACCINATIONS, "MRN005", "HIB,2024-09-01"), 0);
	sql(t, "DROP TRIGGER test_abort");
	th_key(t, KEY_F(2)); /* the same form, saved again */
	ASSERT_SCREEN(t, "Recorded HIB given on 2024-09-01");
	ck_assert_int_eq(th_export_count(t, STORE_K_VACCINATIONS, "MRN005", "MRN005,HIB,2024-09-01,LOT-77"), 1);
	ck_assert(lock_free(t));
	th_free(t);
}
END_TEST

/* The rule re-run fails after the lab row was written: the lab is not
 * saved either (one transaction), and the lock is released. */
START_TEST(failed_rule_rerun_undoes_the_lab_save)
{
	struct th *t = th_start(24, 80, 0);
	ck_assert(t != NULL);
	sql(t, "CREATE TRIGGER test_abort BEFORE UPDATE ON alerts "
	       "BEGIN SELECT RAISE(ABORT, 'simulated alert failure'); END");
	open_chart(t, "mü");
	th_type(t, "l\025");
	th_type(t, "2024-02-22");
	th_type(t, "\t\t0.7");
	th_key(t, KEY_F(2)); /* would resolve MRN004's graft-failure alert */
	ASSERT_SCREEN(t, "simulated alert failure");
	ck_assert_msg(lock_free(t), "the failed save left the database locked");
	ck_assert_int_eq(th_export_count(t, STORE_K_LABS, "MRN004", "2024-02-22,ANC"), 0);
	sql(t, "DROP TRIGGER test_abort");
	th_key(t, KEY_F(2));
	ASSERT_SCREEN(t, "Alerts: 0 opened, 0 reopened, 1 resolved.");
	ck_assert_int_eq(th_export_count(t, STORE_K_LABS, "MRN004", "2024-02-22,ANC,0.7"), 1);
	th_free(t);
}
END_TEST

/* One number from the database, through a second connection. */
static double sql_double(struct th *t, const char *q)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	ck_assert_int_eq(sqlite3_open(th_db_path(t), &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(db, q, -1, &st, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	double v = sqlite3_column_double(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

/* The decimal-comma locale the tests use (.ci/deps makes it with localedef
 * when the system has none); CI must have it, elsewhere the test says so. */
#define COMMA_LOCALE "de_DE.UTF-8"
static int have_comma_locale(void)
{
	if (setlocale(LC_ALL, COMMA_LOCALE)) {
		setlocale(LC_ALL, "C.UTF-8");
		return 1;
	}
	ck_assert_msg(!getenv("CI"), "CI has no %s locale (.ci/deps makes it)", COMMA_LOCALE);
	fprintf(stderr, "SKIP: no %s locale here (make it with localedef -i de_DE -f UTF-8 %s)\n", COMMA_LOCALE,
		COMMA_LOCALE);
	return 0;
}

/* Under a decimal-comma locale a typed 0.45 is 0.45 (it was stored as 0),
 * and the reference thresholds loaded by this process are right (they
 * were 0, so rules silently stopped). */
START_TEST(decimal_comma_locale_reads_numbers_with_a_point)
{
	if (!have_comma_locale())
		return;
	setenv("TH_LOCALE", COMMA_LOCALE, 1);
	struct th *t = th_start(24, 80, 0);
	unsetenv("TH_LOCALE");
	ck_assert(t != NULL);
	ck_assert(sql_double(t, "SELECT value FROM parameters WHERE key = 'anc_threshold'") == 0.5);
	ck_assert(sql_double(t, "SELECT count(*) FROM milestones WHERE threshold = 0") == 0);
	open_chart(t, "mü");
	th_type(t, "l\025");
	th_type(t, "2024-02-22");
	th_type(t, "\t\t0.45");
	th_key(t, KEY_F(2));
	ASSERT_SCREEN(t, "0.45");
	ck_assert(sql_double(t, "SELECT canonical FROM lab_results WHERE collected_on = '2024-02-22' AND test = 'ANC'") ==
		  0.45);
	th_type(t, "l\025");
	th_type(t, "2024-02-23");
	th_type(t, "\t\t1.5");
	th_key(t, KEY_F(2));
	ck_assert(sql_double(t, "SELECT canonical FROM lab_results WHERE collected_on = '2024-02-23' AND test = 'ANC'") ==
		  1.5);
	ASSERT_SCREEN(t, "1.5");
	th_free(t);
	setlocale(LC_ALL, "C.UTF-8");
}
END_TEST

/* A reason of 600 two-byte characters (1200 bytes) does not fit the
 * 1000-byte limit: an error in place, never a reason cut short. */
START_TEST(long_input_is_an_error_not_cut)
{
	struct th *t = th_start(24, 80, 0);
	ck_assert(t != NULL);
	th_type(t, "a");
	ASSERT_SCREEN(t, "Alerts: clinic");
	th_key(t, KEY_RIGHT); /* the first patient's alerts */
	th_key(t, KEY_DOWN);
	th_type(t, "A");
	ASSERT_SCREEN(t, "Acknowledge alert #");
	char text[1300] = "";
	for (int i = 0; i < 600; i++)
		strcat(text, "\xc3\xa9"); /* é */
	th_type(t, text);
	th_key(t, KEY_F(2));
	ASSERT_SCREEN(t, "too long");
	ASSERT_SCREEN(t, "Acknowledge alert #"); /* not saved */
	ck_assert(sql_double(t, "SELECT count(*) FROM alerts WHERE status = 'acknowledged'") == 0);
	th_free(t);
}
END_TEST

/* Down scrolls a long chart into its records; Home brings the top back
 * (engraftment, GVHD) with nothing selected, End selects the oldest record
 * (a nurse at 80x24 had no way back but Up, one line at a time). */
START_TEST(chart_home_and_end)
{
	struct th *t = th_start(24, 80, 0);
	ck_assert(t != NULL);
	open_chart(t, "smith, j");
	ASSERT_SCREEN(t, "Engraftment");
	th_key(t, KEY_END);
	ck_assert_int_lt(th_find(t, "Engraftment"), 0); /* scrolled to the oldest record */
	th_type(t, "x");
	ASSERT_SCREEN(t, "Mark a record entered in error");
	th_esc(t);
	th_key(t, KEY_HOME);
	ASSERT_SCREEN(t, "Engraftment");
	th_type(t, "x");
	ASSERT_SCREEN(t, "Nothing selected.");
	th_free(t);
}
END_TEST

/* The role decides the keys: a nurse sees no GVHD key and is told why when
 * she presses it; an auditor enters nothing. (daemon and bin are accounts
 * every Debian system has; the test plays them with store_set_user.) */
START_TEST(the_role_decides_the_keys)
{
	struct th *t = th_start(24, 80, 0);
	ck_assert(t != NULL);
	th_stop(t);
	struct store_staff admin;
	struct ef_err err;
	ck_assert_int_eq(app_sign_on(th_store(t), &admin, &err), EF_OK);
	struct app_env env = {th_store(t), NULL, th_today(), &admin};
	ck_assert_msg(app_staff_add(&env, "daemon", EF_ROLE_NURSE, "Dee Nurse", "RN", &err) == EF_OK, "%s", err.msg);
	ck_assert_msg(app_staff_add(&env, "bin", EF_ROLE_AUDITOR, "Aud Itor", NULL, &err) == EF_OK, "%s", err.msg);

	store_set_user(th_store(t), "daemon");
	ck_assert_int_eq(th_restart(t, 24, 80), 0);
	ASSERT_SCREEN(t, "daemon (nurse)");
	open_chart(t, "okafor");
	ASSERT_SCREEN(t, "l Lab");
	ck_assert_msg(th_find(t, "GVHD ") < 0 || th_find(t, "g GVHD") < 0, "the nurse's bar offers GVHD");
	th_type(t, "g");
	ASSERT_SCREEN(t, "Not permitted: nurse may not record GVHD or immunosuppression.");
	th_type(t, "?");
	ck_assert_msg(th_find(t, "enter a GVHD assessment") < 0, "the nurse's help lists the GVHD key");
	ASSERT_SCREEN(t, "enter a lab result");
	th_stop(t);

	store_set_user(th_store(t), "bin");
	ck_assert_int_eq(th_restart(t, 24, 80), 0);
	ASSERT_SCREEN(t, "bin (auditor)");
	open_chart(t, "okafor");
	ck_assert_msg(th_find(t, "l Lab") < 0, "the auditor's bar offers Lab");
	th_type(t, "l");
	ASSERT_SCREEN(t, "Not permitted: auditor may not enter lab results.");
	ck_assert_int_eq(th_export_count(t, STORE_K_LABS, NULL, NULL) > 0, 1); /* reading works */
	th_free(t);
}
END_TEST

/* H on the chart: the record's audit trail, newest first, with the login,
 * the change and the signature of an administered dose. */
START_TEST(history_shows_who_changed_what)
{
	struct th *t = th_start(24, 80, 0);
	ck_assert(t != NULL);
	open_chart(t, "okafor");
	th_type(t, "H");
	ASSERT_SCREEN(t, "History: Okafor, Chidi");
	ASSERT_SCREEN(t, "Audit trail of this record:");
	th_esc(t);
	th_type(t, "v");
	th_type(t, "r");
	th_type(t, "h");
	th_type(t, "\t\tLOT-77\tright deltoid");
	th_key(t, KEY_F(2));
	ASSERT_SCREEN(t, "Recorded HIB given on 2024-09-01");
	th_esc(t);
	th_type(t, "H");
	ASSERT_SCREEN(t, "History: Okafor, Chidi");
	ASSERT_SCREEN(t, "insert signatures");
	ASSERT_SCREEN(t, "meaning=\"administered\"");
	ASSERT_SCREEN(t, "insert vaccinations");
	ASSERT_SCREEN(t, "lot=\"LOT-77\"");
	th_free(t);
}
END_TEST

/* A terminal that goes away without a hangup signal (reads fail at once)
 * ends the session instead of spinning, and keeps the open form as a
 * draft. */
START_TEST(a_lost_terminal_ends_the_session_and_keeps_the_form)
{
	struct th *t = th_start(24, 80, 0);
	ck_assert(t != NULL);
	open_chart(t, "okafor");
	th_type(t, "l\025");
	th_type(t, "2024-08-30");
	th_type(t, "\t\t0.9");
	ck_assert_msg(th_hangup(t), "the TUI did not end when its terminal went away");
	int status;
	const char *bye = th_farewell(t, &status);
	ck_assert_msg(strstr(bye, "the terminal went away") && strstr(bye, "draft"), "%s", bye);
	ck_assert_int_eq(status, 0);
	th_stop(t);
	ck_assert_int_eq(th_restart(t, 24, 80), 0);
	open_chart(t, "okafor");
	th_type(t, "l");
	ASSERT_SCREEN(t, "Draft kept at");
	ASSERT_SCREEN(t, "0.9");
	th_free(t);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("tui-safety");
	TCase *tc = tcase_create("failed writes");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, failed_dose_save_rolls_back_and_next_save_works);
	tcase_add_test(tc, failed_rule_rerun_undoes_the_lab_save);
	tcase_add_test(tc, decimal_comma_locale_reads_numbers_with_a_point);
	tcase_add_test(tc, long_input_is_an_error_not_cut);
	tcase_add_test(tc, chart_home_and_end);
	tcase_add_test(tc, the_role_decides_the_keys);
	tcase_add_test(tc, history_shows_who_changed_what);
	tcase_add_test(tc, a_lost_terminal_ends_the_session_and_keeps_the_form);
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
