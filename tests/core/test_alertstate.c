/* Alert life cycle (docs/clinical-rules.md s.14.2): every transition. */
#include <check.h>
#include <stdlib.h>

#include "engraft/alertstate.h"
#include "helpers.h"

static const struct {
	const char *name;
	enum ef_alert_status cur;
	const char *until; /* acknowledged until (NULL: no limit) */
	int holds;
	const char *as_of;
	enum ef_alert_status want;
	enum ef_alert_event event;
} cases[] = {
	{"new finding opens", EF_ALERT_NONE, NULL, 1, "2025-03-01", EF_ALERT_OPEN, EF_EV_OPENED},
	{"no finding, no alert", EF_ALERT_NONE, NULL, 0, "2025-03-01", EF_ALERT_NONE, EF_EV_UNCHANGED},
	{"open and holding is kept", EF_ALERT_OPEN, NULL, 1, "2025-03-01", EF_ALERT_OPEN, EF_EV_KEPT},
	{"open stops holding: resolved", EF_ALERT_OPEN, NULL, 0, "2025-03-01", EF_ALERT_RESOLVED, EF_EV_RESOLVED},
	{"ack before until is kept", EF_ALERT_ACKNOWLEDGED, "2025-03-10", 1, "2025-03-01", EF_ALERT_ACKNOWLEDGED,
	 EF_EV_KEPT},
	{"ack through the until day", EF_ALERT_ACKNOWLEDGED, "2025-03-10", 1, "2025-03-10", EF_ALERT_ACKNOWLEDGED,
	 EF_EV_KEPT},
	{"ack reopens the day after until", EF_ALERT_ACKNOWLEDGED, "2025-03-10", 1, "2025-03-11", EF_ALERT_OPEN,
	 EF_EV_REOPENED},
	{"ack without until stays", EF_ALERT_ACKNOWLEDGED, NULL, 1, "2030-01-01", EF_ALERT_ACKNOWLEDGED, EF_EV_KEPT},
	{"ack stops holding: resolved", EF_ALERT_ACKNOWLEDGED, "2025-03-10", 0, "2025-03-01", EF_ALERT_RESOLVED,
	 EF_EV_RESOLVED},
	{"ack past until, no longer holding: resolved", EF_ALERT_ACKNOWLEDGED, "2025-03-10", 0, "2025-03-20",
	 EF_ALERT_RESOLVED, EF_EV_RESOLVED},
	{"resolved returns: reopened", EF_ALERT_RESOLVED, NULL, 1, "2025-03-01", EF_ALERT_OPEN, EF_EV_REOPENED},
	{"resolved stays resolved", EF_ALERT_RESOLVED, NULL, 0, "2025-03-01", EF_ALERT_RESOLVED, EF_EV_UNCHANGED},
};

START_TEST(transition_table)
{
	struct ef_alert_state cur = {cases[_i].cur, D(cases[_i].until)}, next;
	enum ef_alert_event ev = ef_alert_transition(&cur, cases[_i].holds, D(cases[_i].as_of), &next);
	ck_assert_msg(ev == cases[_i].event, "%s: event %s", cases[_i].name, ef_alert_event_str(ev));
	ck_assert_msg(next.status == cases[_i].want, "%s: status %s", cases[_i].name,
		      ef_alert_status_str(next.status));
	if (next.status == EF_ALERT_ACKNOWLEDGED)
		ck_assert_int_eq(next.until, cur.until);
	else
		ck_assert_int_eq(next.until, EF_NO_DAY);
}
END_TEST

START_TEST(null_current_is_none)
{
	struct ef_alert_state next;
	ck_assert_int_eq(ef_alert_transition(NULL, 1, D("2025-03-01"), &next), EF_EV_OPENED);
	ck_assert_int_eq(next.status, EF_ALERT_OPEN);
	ck_assert_int_eq(ef_alert_transition(NULL, 0, D("2025-03-01"), &next), EF_EV_UNCHANGED);
	ck_assert_int_eq(next.status, EF_ALERT_NONE);
}
END_TEST

/* A life: opened, acknowledged until a date, reopened, resolved, reopened. */
START_TEST(life_cycle)
{
	struct ef_alert_state s = {EF_ALERT_NONE, EF_NO_DAY}, n;
	ck_assert_int_eq(ef_alert_transition(&s, 1, D("2025-03-01"), &n), EF_EV_OPENED);
	s = n;
	ck_assert_int_eq(ef_alert_transition(&s, 1, D("2025-03-02"), &n), EF_EV_KEPT);
	s.status = EF_ALERT_ACKNOWLEDGED; /* `ack --until 2025-03-05` */
	s.until = D("2025-03-05");
	ck_assert_int_eq(ef_alert_transition(&s, 1, D("2025-03-05"), &n), EF_EV_KEPT);
	s = n;
	ck_assert_int_eq(s.status, EF_ALERT_ACKNOWLEDGED);
	ck_assert_int_eq(ef_alert_transition(&s, 1, D("2025-03-06"), &n), EF_EV_REOPENED);
	s = n;
	ck_assert_int_eq(s.status, EF_ALERT_OPEN);
	ck_assert_int_eq(ef_alert_transition(&s, 0, D("2025-03-07"), &n), EF_EV_RESOLVED);
	s = n;
	ck_assert_int_eq(ef_alert_transition(&s, 0, D("2025-03-08"), &n), EF_EV_UNCHANGED);
	ck_assert_int_eq(ef_alert_transition(&s, 1, D("2025-03-09"), &n), EF_EV_REOPENED);
	ck_assert_int_eq(n.status, EF_ALERT_OPEN);
}
END_TEST

START_TEST(names)
{
	enum ef_alert_status s;
	ck_assert_str_eq(ef_alert_status_str(EF_ALERT_ACKNOWLEDGED), "acknowledged");
	ck_assert_int_eq(ef_alert_status_parse("resolved", &s), 0);
	ck_assert_int_eq(s, EF_ALERT_RESOLVED);
	ck_assert_int_eq(ef_alert_status_parse("", &s), -1);
	ck_assert_int_eq(ef_alert_status_parse("closed", &s), -1);
	ck_assert_str_eq(ef_alert_event_str(EF_EV_REOPENED), "reopened");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("alertstate");
	TCase *tc = tcase_create("alertstate");
	tcase_add_loop_test(tc, transition_table, 0, sizeof cases / sizeof cases[0]);
	tcase_add_test(tc, null_current_is_none);
	tcase_add_test(tc, life_cycle);
	tcase_add_test(tc, names);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
