/* test_access.c - the permission table (access.h), written out here as the
 * man page prints it (PERMISSIONS): every role against every action. */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "engraft/access.h"

/* Rows: actions; columns: admin, clinician, nurse, clerk, auditor. */
static const struct {
	enum ef_action act;
	const char *may; /* one letter per role: y may, - may not */
} table[] = {
	{EF_ACT_READ, "yyyyy"},
	{EF_ACT_PATIENTS, "yy-y-"},
	{EF_ACT_LABS, "yyyy-"},
	{EF_ACT_NURSING, "yyy--"},
	{EF_ACT_TREATMENT, "yy---"},
	{EF_ACT_ACK_NURSING, "yyy--"},
	{EF_ACT_ACK_CLINICAL, "yy---"},
	{EF_ACT_CHECK, "yyy--"},
	{EF_ACT_STAFF, "y----"},
	{EF_ACT_REFERENCE, "y----"},
	{EF_ACT_DEMO, "y----"},
	{EF_ACT_BACKUP, "y----"},
};

START_TEST(every_role_against_every_action)
{
	ck_assert_int_eq(sizeof table / sizeof table[0], EF_ACT_COUNT);
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
		for (int r = 0; r < EF_ROLE_COUNT; r++)
			ck_assert_msg(ef_role_may((enum ef_role)r, table[i].act) == (table[i].may[r] == 'y'),
				      "%s: %s", ef_role_name((enum ef_role)r), ef_action_name(table[i].act));
	ck_assert_int_eq(ef_role_may(EF_ROLE_COUNT, EF_ACT_READ), 0); /* out of range: nothing */
	ck_assert_int_eq(ef_role_may(EF_ROLE_ADMIN, EF_ACT_COUNT), 0);
}
END_TEST

START_TEST(acknowledging_follows_the_rule)
{
	static const struct {
		enum ef_rule rule;
		enum ef_action need;
	} acks[] = {
		{EF_RULE_VACCINE_DUE, EF_ACT_ACK_NURSING},
		{EF_RULE_VACCINE_OVERDUE, EF_ACT_ACK_NURSING},
		{EF_RULE_LAB_MONITORING_OVERDUE, EF_ACT_ACK_NURSING},
		{EF_RULE_LIVE_VACCINE_CONTRAINDICATED, EF_ACT_ACK_CLINICAL},
		{EF_RULE_NEUTROPHIL_ENGRAFTMENT_MISSED, EF_ACT_ACK_CLINICAL},
		{EF_RULE_PLATELET_ENGRAFTMENT_DELAYED, EF_ACT_ACK_CLINICAL},
		{EF_RULE_SECONDARY_GRAFT_FAILURE, EF_ACT_ACK_CLINICAL},
		{EF_RULE_IMMUNE_MILESTONE_MISSED, EF_ACT_ACK_CLINICAL},
		{EF_RULE_IGG_LOW, EF_ACT_ACK_CLINICAL},
		{EF_RULE_GVHD_SEVERE, EF_ACT_ACK_CLINICAL},
		{EF_RULE_FOLLOWUP_OVERDUE, EF_ACT_ACK_NURSING},
	};
	ck_assert_int_eq(sizeof acks / sizeof acks[0], EF_RULE_COUNT);
	for (size_t i = 0; i < sizeof acks / sizeof acks[0]; i++)
		ck_assert_msg(ef_ack_action(acks[i].rule) == acks[i].need, "%s", ef_rule_id(acks[i].rule));
}
END_TEST

START_TEST(names_roles_and_logins)
{
	enum ef_role r;
	static const char *const names[] = {"admin", "clinician", "nurse", "clerk", "auditor"};
	for (int i = 0; i < EF_ROLE_COUNT; i++) {
		ck_assert_int_eq(ef_role_parse(names[i], &r), 0);
		ck_assert_int_eq(r, i);
		ck_assert_str_eq(ef_role_name(r), names[i]);
	}
	ck_assert_int_eq(ef_role_parse("Admin", &r), -1);
	ck_assert_int_eq(ef_role_parse("", &r), -1);
	ck_assert_int_eq(ef_role_parse(NULL, &r), -1);
	char buf[64];
	ef_action_roles(EF_ACT_TREATMENT, buf, sizeof buf);
	ck_assert_str_eq(buf, "admin or clinician");
	ef_action_roles(EF_ACT_LABS, buf, sizeof buf);
	ck_assert_str_eq(buf, "admin, clinician, nurse or clerk");
	ef_action_roles(EF_ACT_STAFF, buf, sizeof buf);
	ck_assert_str_eq(buf, "admin");
	static const struct {
		const char *login;
		int ok;
	} logins[] = {
		{"root", 1}, {"n.nurse", 1}, {"dr_who-2", 1}, {"", 0}, {"-rf", 0}, {"a b", 0}, {"x\033[2J", 0},
		{"müller", 0}, {"abcdefghijklmnopqrstuvwxyz012345", 1}, {"abcdefghijklmnopqrstuvwxyz0123456", 0},
		{"#1000", 0},
	};
	for (size_t i = 0; i < sizeof logins / sizeof logins[0]; i++)
		ck_assert_msg((ef_login_problem(logins[i].login) == NULL) == logins[i].ok, "'%s'", logins[i].login);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("access");
	TCase *tc = tcase_create("table");
	tcase_add_test(tc, every_role_against_every_action);
	tcase_add_test(tc, acknowledging_follows_the_rule);
	tcase_add_test(tc, names_roles_and_logins);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
