/* test_triage.c - screen tests of the triage of alerts and of the
 * vaccination worklist (issue 14): filters (`/`, severity, rule, due this
 * week / overdue / blocked), alerts grouped by patient, the selection
 * after an acknowledgement, one reason for several alerts of one patient,
 * the selected row in full at 80 columns, j/k, and Esc clearing a list's
 * filters before it goes back. The fixture (tests/data/tui) as of
 * 2024-09-01 has 100 open alerts (72 before FOLLOWUP_OVERDUE, issue 16: 28
 * of them): MRN004 17 (1 critical, 9 warning, 7 info), then MRN005, MRN003,
 * MRN001 and MRN002 7 (5 warning, 2 info). */
#include <check.h>
#include <curses.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engraft/access.h"
#include "engraft/alertstore.h"
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

/* One number from the database, through a second connection. */
static long long sql_count(struct th *t, const char *q)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	ck_assert_int_eq(sqlite3_open(th_db_path(t), &db), SQLITE_OK);
	ck_assert_msg(sqlite3_prepare_v2(db, q, -1, &st, NULL) == SQLITE_OK, "%s: %s", q, sqlite3_errmsg(db));
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	long long v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

/* The lines from row `from` to the status line, joined by blanks (trailing
 * blanks cut, leading ones too): the wrapped text of a detail pane. */
static void joined(struct th *t, int from, char *out, size_t size)
{
	out[0] = '\0';
	for (int y = from; y < th_rows(t) - 2; y++) {
		const char *l = th_line(t, y);
		while (*l == ' ')
			l++;
		size_t k = strlen(out);
		snprintf(out + k, size - k, "%s%s", k ? " " : "", l);
	}
}

/* Whether an alert row of `rule` is listed (not only named in the detail). */
static int alert_listed(struct th *t, const char *rule)
{
	for (int y = 2; y < th_rows(t) - 2; y++) {
		const char *l = th_line(t, y);
		size_t n = strlen(l);
		if (strstr(l, rule) && n > 5 && strcmp(l + n - 5, " open") == 0)
			return 1;
	}
	return 0;
}

/* The row of the selected alert's detail (its rule line), asserted. */
static int detail_row(struct th *t)
{
	int d = th_find(t, "Selected alert");
	if (d < 0) {
		th_dump(t);
		ck_abort_msg("no detail lines");
	}
	return d;
}

static void open_alerts(struct th *t)
{
	th_type(t, "a");
	ASSERT_SCREEN(t, "Alerts: clinic, 100 open");
}

/* ---- alerts ---- */

START_TEST(alerts_are_grouped_by_patient_with_counts_and_expand)
{
	struct th *t = start_size(_i);
	open_alerts(t);
	const char *first = th_line(t, 2);
	ck_assert_msg(strstr(first, "Müller, Jürgen  MRN MRN004  17 alerts (1 critical, 9 warning, 7 info)"), "row: %s",
		      first);
	int y2 = th_find(t, "Smithers, Anna  MRN MRN002  7 alerts (5 warning, 2 info)");
	ck_assert_int_gt(y2, th_find(t, "MRN MRN001")); /* worst first: MRN002's worst is due last */
	ck_assert(!alert_listed(t, "NEUTROPHIL_ENGRAFTMENT_MISSED")); /* collapsed: the counts only */
	ASSERT_SCREEN(t, "Selected patient");
	th_key(t, KEY_RIGHT); /* Right shows the patient's alerts */
	ck_assert_msg(strstr(th_line(t, 3), "critical") && strstr(th_line(t, 3), "NEUTROPHIL_ENGRAFTMENT_MISSED"),
		      "first alert: %s", th_line(t, 3));
	ck_assert_msg(strstr(th_line(t, 4), "VACCINE_OVERDUE"), "second alert: %s", th_line(t, 4));
	th_key(t, KEY_DOWN);
	th_key(t, KEY_LEFT); /* Left on an alert hides them, back on the patient's row */
	ck_assert(!alert_listed(t, "NEUTROPHIL_ENGRAFTMENT_MISSED"));
	ASSERT_SCREEN(t, "Selected patient");
	ASSERT_SCREEN(t, "Müller, Jürgen, MRN MRN004: NEUTROPHIL_ENGRAFTMENT_MISSED 2024-02-15"); /* what they have */
	th_enter(t); /* Enter on a patient's row: show, and again: hide */
	ck_assert(alert_listed(t, "NEUTROPHIL_ENGRAFTMENT_MISSED"));
	th_enter(t);
	ck_assert(!alert_listed(t, "NEUTROPHIL_ENGRAFTMENT_MISSED"));
	th_free(t);
}
END_TEST

/* j and k move, as everywhere; k no longer acknowledges (A does). */
START_TEST(j_and_k_move_on_the_alert_list)
{
	struct th *t = start_size(0);
	open_alerts(t);
	th_key(t, KEY_RIGHT);
	th_type(t, "j");
	int d = detail_row(t);
	ck_assert_msg(strstr(th_line(t, d + 1), "no ANC >= 0.5"), "after j: %s", th_line(t, d + 1));
	th_type(t, "j");
	ck_assert_msg(strstr(th_line(t, d + 1), "COVID19 dose 1 overdue"), "after j j: %s", th_line(t, d + 1));
	th_type(t, "k");
	ASSERT_NOT_SCREEN(t, "Acknowledge alert #");
	ck_assert_msg(strstr(th_line(t, d + 1), "no ANC >= 0.5"), "after k: %s", th_line(t, d + 1));
	th_type(t, "A");
	ASSERT_SCREEN(t, "Acknowledge alert #");
	ASSERT_SCREEN(t, "NEUTROPHIL_ENGRAFTMENT_MISSED");
	th_free(t);
}
END_TEST

/* `/` narrows the list as you type: by MRN, name (also two words) or rule. */
START_TEST(slash_filters_alerts_by_mrn_name_or_rule)
{
	struct th *t = start_size(_i);
	open_alerts(t);
	th_type(t, "/müll");
	ASSERT_SCREEN(t, "Search: müll_");
	ASSERT_SCREEN(t, "100 open, 17 shown");
	ASSERT_SCREEN(t, "MRN MRN004");
	ASSERT_NOT_SCREEN(t, "MRN MRN005");
	th_type(t, "\025mrn002");
	ASSERT_SCREEN(t, "100 open, 7 shown");
	ASSERT_SCREEN(t, "Smithers, Anna");
	th_type(t, "\025igg_low");
	ASSERT_SCREEN(t, "100 open, 1 shown");
	ASSERT_SCREEN(t, "Smith, John  MRN MRN001  1 alert (1 warning)");
	th_type(t, "\025okafor immune"); /* name and rule */
	ASSERT_SCREEN(t, "100 open, 2 shown");
	th_enter(t); /* keeps the filter */
	ASSERT_SCREEN(t, "Filter: \"okafor immune\"");
	th_key(t, KEY_RIGHT);
	ASSERT_SCREEN(t, "IR-CD4-180");
	ASSERT_SCREEN(t, "IR-CD4-365");
	th_type(t, "/zzz");
	ASSERT_SCREEN(t, "No alert matches the filters. Esc clears them.");
	th_free(t);
}
END_TEST

/* s cycles the severities, r the rules present; both add to `/`. */
START_TEST(severity_and_rule_keys_filter_alerts)
{
	struct th *t = start_size(_i);
	open_alerts(t);
	th_type(t, "s");
	ASSERT_SCREEN(t, "Filter: severity critical");
	ASSERT_SCREEN(t, "Müller, Jürgen  MRN MRN004  1 alert (1 critical)");
	ASSERT_NOT_SCREEN(t, "MRN MRN005");
	th_type(t, "s");
	ASSERT_SCREEN(t, "Filter: severity warning");
	ASSERT_SCREEN(t, "100 open, 90 shown");
	th_type(t, "s");
	ASSERT_SCREEN(t, "Filter: severity info");
	ASSERT_SCREEN(t, "MRN MRN004  7 alerts (7 info)");
	ASSERT_SCREEN(t, "MRN MRN002  2 alerts (2 info)");
	ASSERT_NOT_SCREEN(t, "MRN MRN001");
	th_type(t, "s"); /* every severity again */
	ASSERT_SCREEN(t, "Alerts: clinic, 100 open");
	ASSERT_NOT_SCREEN(t, "shown");
	th_type(t, "r"); /* the first rule by name */
	ASSERT_SCREEN(t, "Filter: rule FOLLOWUP_OVERDUE");
	ASSERT_SCREEN(t, "100 open, 28 shown");
	th_type(t, "r");
	ASSERT_SCREEN(t, "Filter: rule IGG_LOW");
	ASSERT_SCREEN(t, "100 open, 1 shown");
	th_type(t, "r");
	ASSERT_SCREEN(t, "Filter: rule IMMUNE_MILESTONE_MISSED");
	th_type(t, "s");
	ASSERT_SCREEN(t, "Filter: severity critical rule IMMUNE_MILESTONE_MISSED");
	ASSERT_SCREEN(t, "No alert matches the filters.");
	th_free(t);
}
END_TEST

/* After an acknowledgement the selection is on the alert that followed
 * the acknowledged one, not on the first line. */
START_TEST(selection_stays_in_place_after_an_ack)
{
	struct th *t = start_size(_i);
	open_alerts(t);
	th_key(t, KEY_END); /* MRN002, the last patient */
	th_key(t, KEY_RIGHT);
	th_key(t, KEY_DOWN);
	th_key(t, KEY_DOWN); /* BILI, CREAT */
	int d = detail_row(t);
	ck_assert_msg(strstr(th_line(t, d + 1), "MRN002 Smithers, Anna: CREAT due"), "selected: %s", th_line(t, d + 1));
	th_type(t, "A");
	th_type(t, "creatinine drawn at the outside lab");
	th_key(t, KEY_F(2));
	ASSERT_SCREEN(t, "Acknowledged LAB_MONITORING_OVERDUE CREAT.");
	ASSERT_SCREEN(t, "Alerts: clinic, 99 open");
	d = detail_row(t);
	ck_assert_msg(strstr(th_line(t, d + 1), "MRN002 Smithers, Anna: PLT due"), "selection after the ack: %s",
		      th_line(t, d + 1));
	th_free(t);
}
END_TEST

/* Space on a patient's row marks all their alerts; A acknowledges every
 * marked alert with one reason, all in one transaction, each audited and
 * signed. Marks are for one patient. */
START_TEST(one_reason_acknowledges_the_marked_alerts_of_one_patient)
{
	struct th *t = start_size(_i);
	open_alerts(t);
	th_key(t, KEY_DOWN); /* MRN005 */
	th_key(t, KEY_RIGHT);
	th_key(t, KEY_DOWN);
	th_type(t, " "); /* mark one of MRN005's alerts */
	ASSERT_SCREEN(t, "1 marked");
	th_key(t, KEY_END);
	th_type(t, " "); /* another patient: refused */
	ASSERT_SCREEN(t, "One reason is for one patient's alerts: MRN MRN005 has alerts marked");
	th_key(t, KEY_HOME);
	th_key(t, KEY_DOWN);
	th_key(t, KEY_DOWN);
	th_type(t, "m"); /* m unmarks it */
	ASSERT_NOT_SCREEN(t, "marked");
	th_key(t, KEY_END);
	th_type(t, " "); /* every alert of MRN002 */
	ASSERT_SCREEN(t, "MRN MRN002  7 alerts (5 warning, 2 info)  7 marked");
	th_type(t, "A");
	ASSERT_SCREEN(t, "Acknowledge 7 alerts of MRN MRN002");
	ASSERT_SCREEN(t, "LAB_MONITORING_OVERDUE BILI");
	ASSERT_SCREEN(t, "VACCINE_DUE PCV:1");
	th_key(t, KEY_F(2));
	ASSERT_SCREEN(t, "required: why");
	th_type(t, "reviewed at the transplant MDT");
	th_key(t, KEY_F(2));
	ASSERT_SCREEN(t, "Acknowledged 7 alerts of MRN MRN002.");
	ASSERT_SCREEN(t, "Alerts: clinic, 93 open");
	ASSERT_NOT_SCREEN(t, "Smithers, Anna"); /* no open alert left */
	ck_assert_int_eq(sql_count(t, "SELECT count(*) FROM alerts a JOIN patients p ON p.id = a.patient_id "
				      "WHERE p.mrn = 'MRN002' AND a.status = 'acknowledged' "
				      "AND a.reason = 'reviewed at the transplant MDT'"),
			 7);
	ck_assert_int_eq(sql_count(t, "SELECT count(*) FROM alert_history WHERE event = 'acknowledged'"), 7);
	ck_assert_int_eq(sql_count(t, "SELECT count(*) FROM audit_log WHERE tbl = 'alerts' AND action = 'update' "
				      "AND after LIKE '%reviewed at the transplant MDT%'"),
			 7);
	ck_assert_int_eq(sql_count(t, "SELECT count(*) FROM signatures WHERE tbl = 'alerts' AND meaning = 'acknowledged'"),
			 7);
	th_free(t);
}
END_TEST

/* The TUI again, signed on as `login` with `role` (added to the staff). */
static void as_role(struct th *t, const char *login, enum ef_role role)
{
	th_stop(t);
	struct store_staff st = {.role = role, .active = 1};
	snprintf(st.login, sizeof st.login, "%s", login);
	snprintf(st.name, sizeof st.name, "Test %s", login);
	struct ef_err err;
	ck_assert_int_eq(store_begin(th_store(t), &err), EF_OK);
	ck_assert_msg(store_staff_add(th_store(t), &st, &err) == EF_OK, "%s", err.msg);
	ck_assert_int_eq(store_commit(th_store(t), &err), EF_OK);
	store_set_user(th_store(t), login);
	ck_assert_int_eq(th_restart(t, 24, 80), 0);
}

/* Roles: an auditor sees neither Mark nor Ack; a nurse may mark, but one
 * alert of a rule she may not acknowledge refuses the whole set. */
START_TEST(roles_decide_who_marks_and_acknowledges)
{
	struct th *t = start_size(0);
	as_role(t, "audit1", EF_ROLE_AUDITOR);
	open_alerts(t);
	const char *bar = th_line(t, 23);
	ck_assert_msg(!strstr(bar, "Mark") && !strstr(bar, "Ack") && strstr(bar, "Search"), "auditor's bar: %s", bar);
	th_type(t, " ");
	ASSERT_SCREEN(t, "Not permitted: auditor may not");
	ASSERT_NOT_SCREEN(t, "marked");
	as_role(t, "nurse1", EF_ROLE_NURSE);
	open_alerts(t);
	ck_assert_msg(strstr(th_line(t, 23), "Mark") && strstr(th_line(t, 23), "Ack"), "nurse's bar: %s", th_line(t, 23));
	th_type(t, " A"); /* MRN004: a graft failure among vaccine and lab alerts */
	ASSERT_SCREEN(t, "Acknowledge 17 alerts of MRN MRN004");
	th_type(t, "seen");
	th_key(t, KEY_F(2));
	ASSERT_SCREEN(t, "not permitted");
	ck_assert_int_eq(sql_count(t, "SELECT count(*) FROM alerts WHERE status = 'acknowledged'"), 0);
	th_esc(t);
	th_type(t, "y");
	ASSERT_SCREEN(t, "17 marked"); /* still marked: nothing was acknowledged */
	th_type(t, " "); /* Space on the patient's row again: unmarked */
	ASSERT_NOT_SCREEN(t, "marked");
	th_key(t, KEY_DOWN); /* MRN005: vaccine, monitoring and milestone alerts */
	th_type(t, " ");
	th_type(t, "A");
	ASSERT_SCREEN(t, "Acknowledge 34 alerts of MRN MRN005");
	th_type(t, "seen");
	th_key(t, KEY_F(2));
	ASSERT_SCREEN(t, "not permitted"); /* the milestones are the clinician's */
	th_esc(t);
	th_type(t, "y");
	th_type(t, "s"); /* marks on rows the filter hides are dropped */
	ASSERT_SCREEN(t, "Filter: severity critical");
	th_esc(t);
	th_key(t, KEY_DOWN);
	th_key(t, KEY_RIGHT);
	th_type(t, "r"); /* FOLLOWUP_OVERDUE */
	th_type(t, "r"); /* IGG_LOW */
	th_type(t, "r"); /* IMMUNE_MILESTONE_MISSED */
	th_type(t, "r"); /* LAB_MONITORING_OVERDUE */
	ASSERT_SCREEN(t, "Filter: rule LAB_MONITORING_OVERDUE");
	th_key(t, KEY_HOME);
	th_key(t, KEY_DOWN);
	th_type(t, " A");
	ASSERT_SCREEN(t, "Acknowledge 5 alerts of MRN MRN005");
	th_type(t, "drawn today");
	th_key(t, KEY_F(2));
	ASSERT_SCREEN(t, "Acknowledged 5 alerts of MRN MRN005.");
	ck_assert_int_eq(sql_count(t, "SELECT count(*) FROM signatures WHERE login = 'nurse1'"), 5);
	th_free(t);
}
END_TEST

/* The reason typed for several marked alerts is kept at an automatic
 * sign-off, and offered again for the same alerts. */
START_TEST(the_reason_for_marked_alerts_is_kept_as_a_draft)
{
	struct th *t = start_size(0);
	open_alerts(t);
	th_key(t, KEY_END);
	th_type(t, " A");
	ASSERT_SCREEN(t, "Acknowledge 7 alerts of MRN MRN002");
	th_type(t, "reviewed at the MDT");
	th_idle(t, 15);
	ck_assert(th_quit(t));
	ck_assert_str_eq(th_farewell(t, NULL), "signed off after 15 minutes without a key; the unsaved acknowledgement "
					       "form for MRN MRN002 was kept as a draft");
	th_stop(t);
	ck_assert_int_eq(th_restart(t, 24, 80), 0);
	open_alerts(t);
	th_key(t, KEY_END);
	th_type(t, " A");
	ASSERT_SCREEN(t, "Draft kept at ");
	ASSERT_SCREEN(t, "reviewed at the MDT");
	th_key(t, KEY_F(2));
	ASSERT_SCREEN(t, "Acknowledged 7 alerts of MRN MRN002.");
	th_free(t);
}
END_TEST

/* One acknowledgement that cannot be written: none of them is. */
START_TEST(marked_alerts_are_acknowledged_all_or_none)
{
	struct th *t = start_size(0);
	sqlite3 *db;
	ck_assert_int_eq(sqlite3_open(th_db_path(t), &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db,
				      "CREATE TRIGGER test_abort BEFORE UPDATE ON alerts WHEN NEW.subject = 'PCV:1' "
				      "BEGIN SELECT RAISE(ABORT, 'simulated failure'); END",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(db);
	open_alerts(t);
	th_key(t, KEY_END);
	th_type(t, " A");
	th_type(t, "reviewed");
	th_key(t, KEY_F(2));
	ASSERT_SCREEN(t, "simulated failure");
	ASSERT_SCREEN(t, "Acknowledge 7 alerts of MRN MRN002"); /* the form stays */
	ck_assert_int_eq(sql_count(t, "SELECT count(*) FROM alerts WHERE status = 'acknowledged'"), 0);
	ck_assert_int_eq(sql_count(t, "SELECT count(*) FROM signatures"), 0);
	th_free(t);
}
END_TEST

/* The use case behind A: the login's role decides for each alert (a nurse
 * may acknowledge the vaccine and monitoring alerts, not a graft failure),
 * one patient's alerts only, and a refusal writes none of them. */
START_TEST(acknowledging_several_alerts_checks_each_and_one_patient)
{
	struct th *t = start_size(0);
	int64_t vax = sql_count(t, "SELECT alert_id FROM alerts a JOIN patients p ON p.id = a.patient_id "
				   "WHERE p.mrn = 'MRN004' AND a.subject = 'PCV:1'");
	int64_t anc = sql_count(t, "SELECT alert_id FROM alerts a JOIN patients p ON p.id = a.patient_id "
				   "WHERE p.mrn = 'MRN004' AND a.rule = 'NEUTROPHIL_ENGRAFTMENT_MISSED'");
	int64_t other = sql_count(t, "SELECT alert_id FROM alerts a JOIN patients p ON p.id = a.patient_id "
				     "WHERE p.mrn = 'MRN002' AND a.subject = 'PCV:1'");
	struct store_staff nurse = {.login = "nurse1", .name = "Test Nurse", .role = EF_ROLE_NURSE, .active = 1};
	struct app_env env = {th_store(t), NULL, th_today(), &nurse};
	struct ef_err e = {{0}};
	int64_t both[] = {vax, anc};
	ck_assert_int_eq(app_ack_alerts(&env, both, 2, th_today(), "reviewed", EF_NO_DAY, &e), EF_DENIED);
	ck_assert_msg(strstr(e.msg, "not permitted"), "%s", e.msg);
	int64_t two_patients[] = {vax, other};
	ck_assert_int_eq(app_ack_alerts(&env, two_patients, 2, th_today(), "reviewed", EF_NO_DAY, &e), EF_INVALID);
	ck_assert_msg(strstr(e.msg, "another patient's"), "%s", e.msg);
	ck_assert_int_eq(app_ack_alerts(&env, both, 2, th_today(), "", EF_NO_DAY, &e), EF_USAGE);
	ck_assert_int_eq(sql_count(t, "SELECT count(*) FROM alerts WHERE status = 'acknowledged'"), 0);
	th_free(t);
}
END_TEST

/* The selected alert's text, and an acknowledgement's reason, are wrapped
 * whole in the lines at the bottom at 80 columns. */
START_TEST(detail_lines_show_the_whole_alert_at_80_columns)
{
	struct th *t = start_size(0);
	open_alerts(t);
	th_type(t, "/okafor immune\n");
	th_key(t, KEY_RIGHT);
	th_key(t, KEY_DOWN); /* IR-CD4-180 */
	int d = detail_row(t);
	char text[4096];
	joined(t, d + 1, text, sizeof text);
	ck_assert_msg(strstr(text, "MRN005 Okafor, Chidi: no CD4 result in day +150..+210 (2022-10-07..2022-12-06); "
				   "CD4 >= 200 cells/uL around day +180 raised 2024-09-01"),
		      "detail: %s", text);
	const char *reason = "CD4 drawn at the referring hospital on 2022-11-30, 240 cells/uL, result faxed and "
			     "filed; no repeat needed";
	th_type(t, "A");
	th_type(t, reason);
	th_key(t, KEY_F(2));
	ASSERT_SCREEN(t, "Acknowledged IMMUNE_MILESTONE_MISSED IR-CD4-180.");
	th_type(t, "h"); /* the history: the acknowledged alert and its reason */
	ASSERT_SCREEN(t, "in the history");
	th_key(t, KEY_HOME);
	th_key(t, KEY_DOWN);
	d = detail_row(t);
	joined(t, d + 1, text, sizeof text);
	ck_assert_msg(strstr(text, "acknowledged 2024-09-01 by ") && strstr(text, reason), "detail: %s", text);
	for (int y = d + 1; y < th_rows(t) - 2; y++)
		ck_assert_msg(strlen(th_line(t, y)) <= 80, "line %d too wide", y);
	th_free(t);
}
END_TEST

/* ---- the alert list over many pages (issue 15: read by keyset) ---- */

#define PAGER_N 150 /* patients beyond the fixture, 2 open alerts each */

/* PAGER_N patients P000.. ("Pager, N000"), each with a warning due
 * 2025-01-01 + i and an info alert: after the fixture's five patients, in
 * their order. The TUI is restarted on the same database. */
static void pager_cohort(struct th *t, int size)
{
	th_stop(t);
	struct store *s = th_store(t);
	struct ef_err e = {{0}};
	ck_assert_int_eq(store_begin(s, &e), EF_OK);
	for (int i = 0; i < PAGER_N; i++) {
		char mrn[16], given[16];
		snprintf(mrn, sizeof mrn, "P%03d", i);
		snprintf(given, sizeof given, "N%03d", i);
		struct store_patient_rec p = {mrn, "Pager", given, "1970-01-01", "F", "AML"};
		int64_t id;
		enum store_put res;
		ck_assert_msg(store_put_patient(s, &p, 0, &id, &res, &e) == EF_OK, "%s", e.msg);
		struct ef_findings f;
		ef_findings_init(&f);
		f.v = calloc(2, sizeof *f.v);
		ck_assert(f.v != NULL);
		f.n = f.cap = 2;
		f.v[0].rule = EF_RULE_LAB_MONITORING_OVERDUE;
		f.v[0].severity = ef_rule_severity(f.v[0].rule);
		snprintf(f.v[0].subject, sizeof f.v[0].subject, "CBC");
		ef_date_parse("2025-01-01", 10, &f.v[0].due_on);
		f.v[0].due_on += i;
		snprintf(f.v[0].message, sizeof f.v[0].message, "CBC of %s due", mrn);
		f.v[1].rule = EF_RULE_VACCINE_DUE;
		f.v[1].severity = ef_rule_severity(f.v[1].rule);
		snprintf(f.v[1].subject, sizeof f.v[1].subject, "PCV:1");
		f.v[1].due_on = f.v[0].due_on;
		snprintf(f.v[1].message, sizeof f.v[1].message, "PCV dose 1 of %s due", mrn);
		struct ef_check_counts c = {0};
		ck_assert_msg(store_alerts_apply(s, id, th_today(), &f, &c, &e) == EF_OK, "%s", e.msg);
		ef_findings_free(&f);
	}
	ck_assert_int_eq(store_commit(s, &e), EF_OK);
	ck_assert_int_eq(th_restart(t, sizes[size][0], sizes[size][1]), 0);
}

/* The patient the detail lines name ("Selected patient"). */
static void selected_patient_is(struct th *t, const char *who)
{
	int d = th_find(t, "Selected patient");
	if (d < 0) {
		th_dump(t);
		ck_abort_msg("no patient selected, want %s", who);
	}
	const char *l = th_line(t, d + 1);
	while (*l == ' ')
		l++;
	ck_assert_msg(strncmp(l, who, strlen(who)) == 0 && l[strlen(who)] == ',', "selected: %s, want %s", l, who);
}

static void keys_n(struct th *t, int key, int n)
{
	for (int i = 0; i < n; i++)
		th_key(t, key);
}

/* j/k, PgDn/PgUp, End and Home across far more patients than a page: each
 * line is the patient at its place in the whole list. */
START_TEST(paging_moves_across_the_whole_list)
{
	struct th *t = start_size(_i);
	pager_cohort(t, _i);
	th_type(t, "a");
	ASSERT_SCREEN(t, "Alerts: clinic, 400 open"); /* 100 + 2 x 150 */
	selected_patient_is(t, "Müller, Jürgen");
	keys_n(t, KEY_DOWN, 5 + 120); /* the fixture's five, then P000.. */
	selected_patient_is(t, "Pager, N120");
	keys_n(t, KEY_UP, 97);
	selected_patient_is(t, "Pager, N023");
	th_key(t, KEY_END);
	selected_patient_is(t, "Pager, N149");
	ASSERT_SCREEN(t, "Pager, N149  MRN P149  2 alerts (1 warning, 1 info)");
	keys_n(t, KEY_UP, 140);
	selected_patient_is(t, "Pager, N009");
	th_key(t, KEY_HOME);
	selected_patient_is(t, "Müller, Jürgen");
	ck_assert_msg(strstr(th_line(t, 2), "Müller, Jürgen"), "first line: %s", th_line(t, 2));
	/* PgDn until the end, PgUp back to the top */
	for (int i = 0; i < 40; i++)
		th_key(t, KEY_NPAGE);
	selected_patient_is(t, "Pager, N149");
	for (int i = 0; i < 40; i++)
		th_key(t, KEY_PPAGE);
	selected_patient_is(t, "Müller, Jürgen");
	/* one PgDn moves by a page less one line: the same patient as as many Downs */
	th_key(t, KEY_NPAGE);
	int d = th_find(t, "Selected patient");
	char after_pgdn[256];
	snprintf(after_pgdn, sizeof after_pgdn, "%s", th_line(t, d + 1));
	th_key(t, KEY_HOME);
	int page = 0;
	while (page < 100 && strcmp(th_line(t, th_find(t, "Selected patient") + 1), after_pgdn) != 0) {
		th_key(t, KEY_DOWN);
		page++;
	}
	ck_assert_int_gt(page, 5);
	ck_assert_int_lt(page, 100);
	th_free(t);
}
END_TEST

/* A filter over many pages: counted over the whole list, End and Home
 * within it; expanding a patient far down shows their alerts. */
START_TEST(paging_with_a_filter)
{
	struct th *t = start_size(_i);
	pager_cohort(t, _i);
	th_type(t, "a");
	th_type(t, "/pager");
	ASSERT_SCREEN(t, "400 open, 300 shown");
	th_enter(t);
	selected_patient_is(t, "Pager, N000");
	th_key(t, KEY_END);
	selected_patient_is(t, "Pager, N149");
	th_key(t, KEY_RIGHT);
	ASSERT_SCREEN(t, "LAB_MONITORING_OVERDUE");
	ASSERT_SCREEN(t, "PCV:1");
	th_key(t, KEY_HOME);
	selected_patient_is(t, "Pager, N000");
	th_type(t, "/ n14"); /* N140..N149 */
	ASSERT_SCREEN(t, "400 open, 20 shown");
	th_enter(t);
	th_key(t, KEY_END);
	th_key(t, KEY_UP); /* N149 is expanded: its two alerts, then its row */
	th_key(t, KEY_UP);
	selected_patient_is(t, "Pager, N149");
	th_esc(t);
	th_type(t, "s"); /* critical: MRN004 only */
	ASSERT_SCREEN(t, "400 open, 1 shown");
	th_type(t, "ss"); /* info: the fixture's and every pager patient's */
	ASSERT_SCREEN(t, "Filter: severity info");
	th_key(t, KEY_END); /* N149 is expanded: its info alert, then its row */
	th_key(t, KEY_UP);
	selected_patient_is(t, "Pager, N149");
	ASSERT_SCREEN(t, "MRN P149  1 alert (1 info)");
	th_free(t);
}
END_TEST

/* Marks stay on their alerts while the list pages away and back; an
 * acknowledgement that empties a patient far down keeps the selection in
 * place: the next patient, not the top. */
START_TEST(marks_and_acks_across_pages)
{
	struct th *t = start_size(_i);
	pager_cohort(t, _i);
	th_type(t, "a");
	th_type(t, " "); /* every alert of MRN004, on the first page */
	ASSERT_SCREEN(t, "17 marked");
	th_key(t, KEY_END);
	th_type(t, " ");
	ASSERT_SCREEN(t, "One reason is for one patient's alerts: MRN MRN004 has alerts marked");
	th_key(t, KEY_HOME);
	ASSERT_SCREEN(t, "17 marked");
	th_type(t, " "); /* unmarked */
	ASSERT_NOT_SCREEN(t, "marked");
	keys_n(t, KEY_DOWN, 5 + 80);
	selected_patient_is(t, "Pager, N080");
	th_key(t, KEY_RIGHT);
	th_key(t, KEY_DOWN);
	th_type(t, " "); /* one alert of P080 */
	keys_n(t, KEY_DOWN, 60); /* far away, and back */
	keys_n(t, KEY_UP, 60);
	th_key(t, KEY_UP);
	th_key(t, KEY_UP);
	selected_patient_is(t, "Pager, N080");
	ASSERT_SCREEN(t, "Pager, N080  MRN P080  2 alerts (1 warning, 1 info)  1 marked");
	th_type(t, " "); /* both */
	ASSERT_SCREEN(t, "2 marked");
	th_type(t, "A");
	ASSERT_SCREEN(t, "Acknowledge 2 alerts of MRN P080");
	th_type(t, "reviewed");
	th_key(t, KEY_F(2));
	ASSERT_SCREEN(t, "Acknowledged 2 alerts of MRN P080.");
	ASSERT_SCREEN(t, "Alerts: clinic, 398 open");
	ASSERT_NOT_SCREEN(t, "MRN P080  "); /* no row (the message names it) */
	ASSERT_NOT_SCREEN(t, "marked");
	selected_patient_is(t, "Pager, N081"); /* the patient after, where P080 was */
	ck_assert_int_eq(sql_count(t, "SELECT count(*) FROM alerts a JOIN patients p ON p.id = a.patient_id "
				      "WHERE p.mrn = 'P080' AND a.status = 'acknowledged'"),
			 2);
	th_free(t);
}
END_TEST

/* ---- the vaccination worklist ---- */

START_TEST(worklist_has_column_headers_and_slash_filters)
{
	struct th *t = start_size(_i);
	th_type(t, "v");
	ASSERT_SCREEN(t, "Vaccinations: clinic");
	const char *h = th_line(t, 1);
	ck_assert_msg(strstr(h, "MRN and name") && strstr(h, "Dose") && strstr(h, "Due/given"), "header: %s", h);
	th_type(t, "/mmr");
	ASSERT_SCREEN(t, "MMR:1");
	ASSERT_NOT_SCREEN(t, "COVID19:1");
	ASSERT_NOT_SCREEN(t, "VAR:1");
	th_type(t, "\025okafor");
	ASSERT_SCREEN(t, "MRN005 Okafor, Chidi");
	ASSERT_NOT_SCREEN(t, "MRN001 Smith");
	th_type(t, "\025mrn001 var");
	ASSERT_SCREEN(t, "MRN001 Smith, John");
	ASSERT_SCREEN(t, "VAR:1");
	ASSERT_NOT_SCREEN(t, "MMR:1");
	th_enter(t);
	ASSERT_SCREEN(t, "Filter: \"mrn001 var\"");
	th_type(t, "/zzz");
	ASSERT_SCREEN(t, "No dose matches the filters. Esc clears them.");
	th_free(t);
}
END_TEST

/* d (f until issue 16 made f the follow-up worklist): due within 7 days, overdue, blocked, every dose again. */
START_TEST(worklist_d_shows_due_this_week_overdue_or_blocked)
{
	struct th *t = start_size(_i);
	th_type(t, "v");
	ASSERT_SCREEN(t, "Overdue (");
	th_type(t, "f"); /* f is the follow-up worklist now, from any screen */
	ASSERT_SCREEN(t, "Follow-up: clinic");
	th_type(t, "q");
	ASSERT_SCREEN(t, "Vaccinations: clinic");
	th_type(t, "d");
	ASSERT_SCREEN(t, "Filter: due within 7 days");
	ASSERT_SCREEN(t, "Due now (");
	ASSERT_NOT_SCREEN(t, "Overdue (");
	ASSERT_NOT_SCREEN(t, "Blocked (");
	th_type(t, "d");
	ASSERT_SCREEN(t, "Filter: overdue");
	ASSERT_SCREEN(t, "Overdue (");
	ASSERT_NOT_SCREEN(t, "Due now (");
	th_type(t, "d");
	ASSERT_SCREEN(t, "Filter: blocked");
	ASSERT_SCREEN(t, "Blocked (");
	ASSERT_NOT_SCREEN(t, "Overdue (");
	th_type(t, "d"); /* every dose again, the selection where it was */
	ASSERT_SCREEN(t, "Blocked (");
	ASSERT_NOT_SCREEN(t, "Filter:");
	th_key(t, KEY_HOME);
	ASSERT_SCREEN(t, "Overdue (");
	th_free(t);
}
END_TEST

/* The full blocked reason of the selected row is readable at 80 columns. */
START_TEST(worklist_shows_the_whole_blocked_reason_at_80_columns)
{
	struct th *t = start_size(0);
	th_type(t, "v");
	th_type(t, "/mrn001 mmr\n");
	ASSERT_SCREEN(t, "MMR:1");
	int d = th_find(t, "Selected");
	ck_assert_int_gt(d, 0);
	char text[4096];
	joined(t, d + 1, text, sizeof text);
	ck_assert_msg(strstr(text, "MRN001 Smith, John: MMR dose 1, blocked: transplant 2024-01-10 < 24 months; on "
				   "immunosuppression (tacrolimus since 2024-01-07); IVIG 2024-03-01 < 8 months"),
		      "detail: %s", text);
	th_free(t);
}
END_TEST

/* ---- Esc clears a list's filter first; only an unfiltered list goes back ---- */

START_TEST(esc_clears_the_patient_list_filter_before_quitting)
{
	struct th *t = start_size(0);
	th_type(t, "/smi\n");
	ASSERT_SCREEN(t, "Filter: smi");
	th_esc(t); /* quit, before */
	ck_assert(!th_quit(t));
	ASSERT_SCREEN(t, "Patients: 6");
	ASSERT_SCREEN(t, "Doe, Jane");
	th_type(t, "c"); /* in care: a filter too */
	ASSERT_SCREEN(t, "in care");
	th_esc(t);
	ck_assert(!th_quit(t));
	ASSERT_SCREEN(t, "Patients: 6 ");
	th_esc(t);
	ck_assert(th_quit(t));
	th_free(t);
}
END_TEST

START_TEST(esc_clears_the_alert_filters_before_going_back)
{
	struct th *t = start_size(0);
	open_alerts(t);
	th_type(t, "/okafor\n");
	th_type(t, "s");
	ASSERT_SCREEN(t, "Filter: \"okafor\" severity critical");
	th_esc(t);
	ASSERT_SCREEN(t, "Alerts: clinic, 100 open");
	ASSERT_NOT_SCREEN(t, "shown");
	ASSERT_SCREEN(t, "MRN MRN005");
	th_esc(t);
	ASSERT_SCREEN(t, "Patients: 6");
	th_free(t);
}
END_TEST

START_TEST(esc_clears_the_worklist_filters_before_going_back)
{
	struct th *t = start_size(0);
	th_type(t, "v");
	th_type(t, "/okafor\nd");
	ASSERT_SCREEN(t, "Filter: \"okafor\" due within 7 days");
	th_esc(t);
	ASSERT_SCREEN(t, "Vaccinations: clinic");
	ASSERT_NOT_SCREEN(t, "Filter:");
	ASSERT_SCREEN(t, "MRN003 Doe, Jane");
	th_esc(t);
	ASSERT_SCREEN(t, "Patients: 6");
	th_free(t);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("triage");
	TCase *tc = tcase_create("triage");
	tcase_set_timeout(tc, 180);
	tcase_add_loop_test(tc, alerts_are_grouped_by_patient_with_counts_and_expand, 0, N_SIZES);
	tcase_add_test(tc, j_and_k_move_on_the_alert_list);
	tcase_add_loop_test(tc, slash_filters_alerts_by_mrn_name_or_rule, 0, N_SIZES);
	tcase_add_loop_test(tc, severity_and_rule_keys_filter_alerts, 0, N_SIZES);
	tcase_add_loop_test(tc, selection_stays_in_place_after_an_ack, 0, N_SIZES);
	tcase_add_loop_test(tc, one_reason_acknowledges_the_marked_alerts_of_one_patient, 0, N_SIZES);
	tcase_add_test(tc, marked_alerts_are_acknowledged_all_or_none);
	tcase_add_test(tc, acknowledging_several_alerts_checks_each_and_one_patient);
	tcase_add_test(tc, the_reason_for_marked_alerts_is_kept_as_a_draft);
	tcase_add_test(tc, roles_decide_who_marks_and_acknowledges);
	tcase_add_test(tc, detail_lines_show_the_whole_alert_at_80_columns);
	tcase_add_loop_test(tc, paging_moves_across_the_whole_list, 0, N_SIZES);
	tcase_add_loop_test(tc, paging_with_a_filter, 0, N_SIZES);
	tcase_add_loop_test(tc, marks_and_acks_across_pages, 0, N_SIZES);
	tcase_add_loop_test(tc, worklist_has_column_headers_and_slash_filters, 0, N_SIZES);
	tcase_add_loop_test(tc, worklist_d_shows_due_this_week_overdue_or_blocked, 0, N_SIZES);
	tcase_add_test(tc, worklist_shows_the_whole_blocked_reason_at_80_columns);
	tcase_add_test(tc, esc_clears_the_patient_list_filter_before_quitting);
	tcase_add_test(tc, esc_clears_the_alert_filters_before_going_back);
	tcase_add_test(tc, esc_clears_the_worklist_filters_before_going_back);
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
