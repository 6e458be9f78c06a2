/* Vital and follow-up status (vital.h): one row per situation of the issue
 * 18 contract - death, relapse, transfer, loss, return, last contact - each
 * as of a date (later rows ignored). */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "engraft/vital.h"

#define MAXR 6

static const struct {
	const char *name;
	const char *rows[MAXR]; /* "YYYY-MM-DD word" (status rows), "YYYY-MM-DD lab" */
	const char *as_of;
	int deceased;
	const char *deceased_on, *last_contact, *relapse_on;
	int in_care;
	const char *reason;
} cases[] = {
	{"no rows: alive, in care", {0}, "2026-01-01", 0, "", "", "", 1, ""},
	{"contact only", {"2025-06-01 alive"}, "2026-01-01", 0, "", "2025-06-01", "", 1, ""},
	{"lab is the last contact", {"2025-06-01 alive", "2025-07-09 lab"}, "2026-01-01", 0, "", "2025-07-09", "", 1,
	 ""},
	{"deceased", {"2025-06-01 alive", "2026-05-01 deceased"}, "2026-06-01", 1, "2026-05-01", "2026-05-01", "", 0,
	 "deceased on 2026-05-01"},
	{"deceased after as-of is ignored", {"2025-06-01 alive", "2026-05-01 deceased"}, "2026-04-30", 0, "",
	 "2025-06-01", "", 1, ""},
	{"the earliest deceased row is the date of death", {"2026-05-03 deceased", "2026-05-01 deceased"},
	 "2026-06-01", 1, "2026-05-01", "2026-05-03", "", 0, "deceased on 2026-05-01"},
	{"relapse stays in care", {"2025-03-01 relapse", "2025-09-01 relapse", "2025-10-01 alive"}, "2026-01-01", 0,
	 "", "2025-10-01", "2025-09-01", 1, ""},
	{"relapse after as-of is ignored", {"2025-03-01 relapse", "2025-09-01 relapse"}, "2025-08-31", 0, "",
	 "2025-03-01", "2025-03-01", 1, ""},
	{"transferred", {"2026-03-02 transferred"}, "2026-04-01", 0, "", "2026-03-02", "", 0,
	 "transferred on 2026-03-02"},
	{"lost to follow-up", {"2026-01-10 lost_to_followup"}, "2026-04-01", 0, "", "2026-01-10", "", 0,
	 "lost to follow-up on 2026-01-10"},
	{"returned after transfer", {"2026-03-02 transferred", "2026-05-01 returned"}, "2026-06-01", 0, "",
	 "2026-05-01", "", 1, ""},
	{"returned after as-of: still out", {"2026-03-02 transferred", "2026-05-01 returned"}, "2026-04-30", 0, "",
	 "2026-03-02", "", 0, "transferred on 2026-03-02"},
	{"lost again after returning", {"2025-01-01 lost_to_followup", "2025-03-01 returned", "2025-09-01 lost_to_followup"},
	 "2026-01-01", 0, "", "2025-09-01", "", 0, "lost to follow-up on 2025-09-01"},
	{"returned on the day of a transfer wins", {"2026-03-02 returned", "2026-03-02 transferred"}, "2026-04-01", 0,
	 "", "2026-03-02", "", 1, ""},
	{"an alive contact does not end a transfer", {"2026-03-02 transferred", "2026-04-01 alive"}, "2026-05-01", 0,
	 "", "2026-04-01", "", 0, "transferred on 2026-03-02"},
	{"returned does not undo death", {"2026-03-02 deceased", "2026-04-01 returned"}, "2026-05-01", 1, "2026-03-02",
	 "2026-04-01", "", 0, "deceased on 2026-03-02"},
};

static ef_day day(const char *s)
{
	ef_day d;
	if (!s[0])
		return EF_NO_DAY;
	ck_assert_int_eq(ef_date_parse(s, 10, &d), 0);
	return d;
}

static void date_is(int i, ef_day d, const char *want, const char *what)
{
	char got[11];
	ef_date_format(d, got);
	ck_assert_msg(strcmp(got, want) == 0, "%s: %s: got '%s', want '%s'", cases[i].name, what, got, want);
}

START_TEST(vital_status_as_of)
{
	struct ef_status_row st[MAXR];
	struct ef_lab lab[MAXR];
	struct ef_timeline tl;
	ef_timeline_init(&tl);
	tl.status = st;
	tl.labs = lab;
	/* given in reverse: core must not rely on the store's order */
	for (int k = MAXR - 1; k >= 0; k--) {
		const char *r = cases[_i].rows[k];
		if (!r)
			continue;
		if (strcmp(r + 11, "lab") == 0) {
			lab[tl.n_labs++] = (struct ef_lab){.day = day(r), .secs = -1};
			continue;
		}
		enum ef_status_kind kind;
		ck_assert_int_eq(ef_status_kind_parse(r + 11, strlen(r + 11), &kind), 0);
		st[tl.n_status++] = (struct ef_status_row){k + 1, day(r), kind};
	}
	struct ef_vital v;
	ef_vital_status(&tl, day(cases[_i].as_of), &v);
	ck_assert_msg(v.deceased == cases[_i].deceased, "%s: deceased %d", cases[_i].name, v.deceased);
	date_is(_i, v.deceased_on, cases[_i].deceased_on, "deceased_on");
	date_is(_i, v.last_contact, cases[_i].last_contact, "last_contact");
	date_is(_i, v.relapse_on, cases[_i].relapse_on, "relapse_on");
	ck_assert_msg(v.in_care == cases[_i].in_care, "%s: in_care %d", cases[_i].name, v.in_care);
	char why[64];
	ck_assert_str_eq(ef_vital_reason(&v, why, sizeof why), cases[_i].reason);
}
END_TEST

START_TEST(status_words_roundtrip)
{
	for (int k = 0; k < EF_ST_COUNT; k++) {
		enum ef_status_kind back;
		const char *w = ef_status_kind_str((enum ef_status_kind)k);
		ck_assert_int_eq(ef_status_kind_parse(w, strlen(w), &back), 0);
		ck_assert_int_eq(back, k);
	}
	ck_assert_str_eq(ef_vocab_words(EF_V_STATUS), "alive, relapse, deceased, transferred, lost_to_followup, returned");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("vital");
	TCase *tc = tcase_create("vital");
	tcase_add_loop_test(tc, vital_status_as_of, 0, sizeof cases / sizeof cases[0]);
	tcase_add_test(tc, status_words_roundtrip);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
