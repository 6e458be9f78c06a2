/* test_browse.c - the patient list's search (browse.c, schema 020): a word
 * is a prefix of the MRN, the family or the given name without ASCII case;
 * two words are a family and a given name prefix in either order. The
 * indexed path (P_CAND) must list exactly the patients a plain comparison
 * of every patient finds, in name order, forward and backward, and count
 * them. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "../testutil.h"
#include "engraft/browse.h"

#define N_PAT 14
static const char *const pats[N_PAT][3] = {
	{"A100", "Zarate", "Ana"},     {"a101", "zarco", "Bruno"},   {"B200", "Smith", "Zara"},
	{"ZAR9", "Able", "Carl"},      {"C300", "Smythe", "Sam"},    {"C301", "O'Brien", "Sean"},
	{"C302", "M\xc3\xbcller", "J\xc3\xbcrgen"}, {"C303", "Mueller", "Jurgen"}, {"D400", "Zzyzx", "Zed"},
	{"D401", "Smith", "Anna"},     {"D402", "smith", "anna"},    {"E500", "Per%cent", "Under_score"},
	{"E501", "Perxcent", "Underxscore"}, {"E502", "[bracket", "{brace"},
};

static char *dir;
static struct store *db;

static void setup(void)
{
	struct ef_err err;
	dir = tu_tmpdir();
	db = tu_open(dir, "b.db");
	char csv[4096] = "mrn,family_name,given_name,birth_date\n";
	for (int i = 0; i < N_PAT; i++) {
		size_t l = strlen(csv);
		snprintf(csv + l, sizeof csv - l, "%s,%s,%s,1970-01-01\n", pats[i][0], pats[i][1], pats[i][2]);
	}
	ck_assert_int_eq(tu_import(db, STORE_K_PATIENTS, csv, 20000, NULL, NULL, &err), EF_OK);
}

static void teardown(void)
{
	store_close(db);
	tu_rmdir(dir);
}

static int fold(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int prefix(const char *w, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (!s[i] || fold((unsigned char)w[i]) != fold((unsigned char)s[i]))
			return 0;
	return 1;
}

/* The plain rule, patient by patient. */
static int matches(const char *filter, int i)
{
	const char *w[2];
	size_t n[2];
	int k = 0;
	for (const char *f = filter; *f && k < 2;) {
		while (*f == ' ' || *f == ',')
			f++;
		if (!*f)
			break;
		w[k] = f;
		while (*f && *f != ' ' && *f != ',')
			f++;
		n[k] = (size_t)(f - w[k]);
		k++;
	}
	if (k == 0)
		return 1;
	if (k == 1)
		return prefix(w[0], n[0], pats[i][0]) || prefix(w[0], n[0], pats[i][1]) ||
		       prefix(w[0], n[0], pats[i][2]);
	return (prefix(w[0], n[0], pats[i][1]) && prefix(w[1], n[1], pats[i][2])) ||
	       (prefix(w[0], n[0], pats[i][2]) && prefix(w[1], n[1], pats[i][1]));
}

static const char *const filters[] = {
	"z", "Z", "zar", "ZAR", "a10", "A1", "smi", "SMITH", "sm", "smith anna", "anna smith", "anna, smith",
	"o'b", "m\xc3\xbc", "M\xc3\xbc", "mu", "per%", "per%c", "under_", "[b", "{", "zz", "zzz",
	"q", "s", "smith z", "%", "_", "\\",
};

START_TEST(search_lists_exactly_the_matching_patients)
{
	struct ef_err err;
	for (size_t f = 0; f < sizeof filters / sizeof filters[0]; f++) {
		int want = 0;
		for (int i = 0; i < N_PAT; i++)
			want += matches(filters[f], i);
		int64_t count = -1;
		ck_assert_int_eq(browse_patient_count(db, filters[f], BROWSE_ALL, 20000, &count, &err), EF_OK);
		ck_assert_msg(count == want, "'%s': count %lld, want %d", filters[f], (long long)count, want);
		struct browse_patient rows[N_PAT + 1];
		int n = 0;
		ck_assert_int_eq(browse_patients(db, filters[f], BROWSE_ALL, 20000, BROWSE_FROM, NULL, rows, N_PAT, &n,
						 &err), EF_OK);
		ck_assert_msg(n == want, "'%s': listed %d, want %d", filters[f], n, want);
		for (int r = 0; r < n; r++) {
			int i = 0;
			while (i < N_PAT && strcmp(pats[i][0], rows[r].mrn) != 0)
				i++;
			ck_assert_msg(i < N_PAT && matches(filters[f], i), "'%s': %s listed", filters[f], rows[r].mrn);
			if (r) { /* name order */
				int c = strcmp(rows[r - 1].family_name, rows[r].family_name);
				if (!c)
					c = strcmp(rows[r - 1].given_name, rows[r].given_name);
				if (!c)
					c = strcmp(rows[r - 1].mrn, rows[r].mrn);
				ck_assert_msg(c < 0, "'%s': out of order at %s", filters[f], rows[r].mrn);
			}
		}
		/* one row at a time, forward by key and backward from the end */
		struct browse_patient one[2];
		int m = 0;
		for (int r = 0; r < n; r++) {
			struct browse_key k;
			browse_key_of(&rows[r], &k);
			ck_assert_int_eq(browse_patients(db, filters[f], BROWSE_ALL, 20000, BROWSE_AFTER, &k, one, 1, &m,
							 &err), EF_OK);
			ck_assert_int_eq(m, r + 1 < n);
			if (m)
				ck_assert_str_eq(one[0].mrn, rows[r + 1].mrn);
			ck_assert_int_eq(browse_patients(db, filters[f], BROWSE_ALL, 20000, BROWSE_BEFORE, &k, one, 1, &m,
							 &err), EF_OK);
			ck_assert_int_eq(m, r > 0);
			if (m)
				ck_assert_str_eq(one[0].mrn, rows[r - 1].mrn);
		}
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("browse");
	TCase *tc = tcase_create("browse");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, search_lists_exactly_the_matching_patients);
	suite_add_tcase(s, tc);
	return tu_run_suite(s);
}
