/* test_alert_list.c - the alert list read a page at a time (alertstore.h,
 * schema 018): on a cohort of patients with alerts of every severity, rule,
 * due date and status, the groups a full walk returns are those computed
 * here from store_alerts_each (grouped by patient in the order of their
 * worst alert, counted alert by alert against the filter), and the pages
 * read forward or backward, at any size, from either end or from the
 * middle, concatenate to the same list, with every filter; the counts and
 * the alerts of each group agree; the kept rows follow acknowledgements,
 * resolutions and a corrected name; migration 018 builds them from the
 * alerts already there. */
#include <check.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/helpers.h"
#include "../testutil.h"
#include "engraft/alertstore.h"

static char *dir;
static struct store *db;

#define NPAT 61
static const char *const families[] = {"Müller", "Smith", "Okafor", "Doe", "Lee", "Smithers", "Ng"};
static const char *const givens[] = {"Anna", "Jürgen", "Chidi", "Jane", "Kim"};
static const enum ef_rule rules[] = {EF_RULE_VACCINE_DUE,	       EF_RULE_VACCINE_OVERDUE, EF_RULE_IGG_LOW,
				     EF_RULE_LAB_MONITORING_OVERDUE,   EF_RULE_IMMUNE_MILESTONE_MISSED,
				     EF_RULE_NEUTROPHIL_ENGRAFTMENT_MISSED, EF_RULE_FOLLOWUP_OVERDUE,
				     EF_RULE_GVHD_SEVERE};
#define NRULES (sizeof rules / sizeof rules[0])

static int64_t pid[NPAT];
static char names[NPAT][64], mrns[NPAT][16];

static unsigned rnd_state;
static unsigned rnd(unsigned n)
{
	rnd_state = rnd_state * 1103515245u + 12345u;
	return (rnd_state >> 16) % n;
}

/* Patient i's findings: some patients none, the others up to 7 of mixed
 * rules and due dates (some none), drawn from a seed. */
static void findings(int i, unsigned seed, struct ef_findings *f)
{
	ef_findings_init(f);
	rnd_state = seed * 7919u + (unsigned)i * 104729u;
	size_t n = i % 9 == 4 ? 0 : rnd(8);
	f->v = calloc(n ? n : 1, sizeof *f->v);
	ck_assert(f->v != NULL);
	f->cap = n ? n : 1;
	for (size_t k = 0; k < n; k++) {
		struct ef_finding *x = &f->v[f->n];
		x->rule = rules[rnd(NRULES)];
		x->severity = ef_rule_severity(x->rule);
		snprintf(x->subject, sizeof x->subject, "S%u", rnd(4));
		int dup = 0;
		for (size_t j = 0; j < f->n; j++)
			dup |= f->v[j].rule == x->rule && strcmp(f->v[j].subject, x->subject) == 0;
		if (dup)
			continue;
		x->due_on = rnd(5) == 0 ? EF_NO_DAY : D("2025-01-01") + (ef_day)rnd(40);
		snprintf(x->message, sizeof x->message, "finding %zu of patient %d", k, i);
		f->n++;
	}
}

static void apply_all(unsigned seed, const char *as_of)
{
	struct ef_err err;
	struct ef_check_counts c = {0};
	ck_assert_int_eq(store_begin(db, &err), EF_OK);
	for (int i = 0; i < NPAT; i++) {
		struct ef_findings f;
		findings(i, seed, &f);
		ck_assert_msg(store_alerts_apply(db, pid[i], D(as_of), &f, &c, &err) == EF_OK, "%s", err.msg);
		ef_findings_free(&f);
	}
	ck_assert_int_eq(store_commit(db, &err), EF_OK);
}

struct first_item {
	int64_t id;
};

static int first_item(void *ctx, const struct store_alert_item *it, struct ef_err *err)
{
	(void)err;
	struct first_item *fi = ctx;
	if (!fi->id)
		fi->id = it->alert_id;
	return EF_OK;
}

static void setup(void)
{
	dir = tu_tmpdir();
	db = tu_open(dir, "t.db");
	char csv[8192];
	size_t k = (size_t)snprintf(csv, sizeof csv, "mrn,family_name,given_name,birth_date\n");
	for (int i = 0; i < NPAT; i++) {
		/* MRNs not in id order, so that the order by MRN is not the order of insertion */
		snprintf(mrns[i], sizeof mrns[i], "L%03d", (i * 37) % 101);
		const char *fam = families[i % 7], *giv = givens[i % 5];
		snprintf(names[i], sizeof names[i], "%s, %s", fam, giv);
		k += (size_t)snprintf(csv + k, sizeof csv - k, "%s,%s,%s,1980-01-01\n", mrns[i], fam, giv);
	}
	struct ef_err err;
	ck_assert_msg(tu_import(db, STORE_K_PATIENTS, csv, D("2026-01-01"), NULL, NULL, &err) == EF_OK, "%s", err.msg);
	for (int i = 0; i < NPAT; i++) {
		ef_day birth;
		ck_assert_int_eq(store_patient_id(db, mrns[i], strlen(mrns[i]), &pid[i], &birth, &err), EF_OK);
	}
	apply_all(1, "2025-03-01"); /* opened */
	apply_all(2, "2025-03-15"); /* some kept (their due dates changed), some resolved, some opened */
	/* some acknowledged: the first open alert of every fifth patient */
	for (int i = 0; i < NPAT; i += 5) {
		struct store_alert_filter f = {0, pid[i], -1, NULL, NULL};
		struct store_alert_group g;
		int found;
		ck_assert_int_eq(store_alert_group_get(db, &f, pid[i], &g, &found, &err), EF_OK);
		if (!found)
			continue;
		struct first_item fi = {0};
		ck_assert_int_eq(store_alert_items(db, &f, &g, first_item, &fi, &err), EF_OK);
		ck_assert(fi.id != 0);
		ck_assert_int_eq(store_alert_ack(db, fi.id, D("2025-03-16"), "seen", EF_NO_DAY, &err), EF_OK);
	}
}

static void teardown(void)
{
	store_close(db);
	tu_rmdir(dir);
}

/* ---- the list computed here ---- */

static const char *name_of(const char *mrn)
{
	for (int i = 0; i < NPAT; i++)
		if (strcmp(mrns[i], mrn) == 0)
			return names[i];
	ck_abort_msg("no patient %s", mrn);
	return "";
}

static int lower_ascii(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int contains(const char *t, const char *w, size_t n)
{
	for (; *t; t++) {
		size_t i = 0;
		while (i < n && t[i] && lower_ascii((unsigned char)t[i]) == lower_ascii((unsigned char)w[i]))
			i++;
		if (i == n)
			return 1;
	}
	return 0;
}

static int passes(const struct store_alert_filter *f, const struct store_alert *a)
{
	if (f->severity >= 0 && (int)a->severity != f->severity)
		return 0;
	if (f->rule && *f->rule && strcmp(f->rule, a->rule) != 0)
		return 0;
	for (const char *p = f->text ? f->text : ""; *p;) {
		while (*p == ' ')
			p++;
		size_t n = strcspn(p, " ");
		if (n && !contains(a->mrn, p, n) && !contains(name_of(a->mrn), p, n) && !contains(a->rule, p, n))
			return 0;
		p += n;
	}
	return 1;
}

struct want {
	struct store_alert_group g[NPAT];
	int64_t ids[NPAT][64];
	size_t nids[NPAT];
	size_t n;
	long total, shown;
	const struct store_alert_filter *f;
	int64_t order[NPAT];  /* patients in the order of their worst alert, all of them */
	size_t norder;
};

static int want_add(void *ctx, const struct store_alert *a, struct ef_err *err)
{
	(void)err;
	struct want *w = ctx;
	if (w->f->patient_id && a->patient_id != w->f->patient_id)
		return EF_OK;
	w->total++;
	size_t k = 0;
	while (k < w->norder && w->order[k] != a->patient_id)
		k++;
	if (k == w->norder)
		w->order[w->norder++] = a->patient_id;
	if (!passes(w->f, a))
		return EF_OK;
	w->shown++;
	size_t i = 0;
	while (i < w->n && w->g[i].patient_id != a->patient_id)
		i++;
	if (i == w->n) {
		memset(&w->g[i], 0, sizeof w->g[i]);
		w->g[i].patient_id = a->patient_id;
		snprintf(w->g[i].mrn, sizeof w->g[i].mrn, "%s", a->mrn);
		snprintf(w->g[i].name, sizeof w->g[i].name, "%s", name_of(a->mrn));
		w->n++;
	}
	w->g[i].n++;
	w->g[i].n_sev[a->severity]++;
	w->ids[i][w->nids[i]++] = a->alert_id;
	return EF_OK;
}

/* The groups in the order of each patient's worst alert among all (the
 * filter decides which are listed, not where). */
static void want_list(const struct store_alert_filter *f, struct want *w)
{
	struct ef_err err;
	memset(w, 0, sizeof *w);
	w->f = f;
	ck_assert_int_eq(store_alerts_each(db, EF_NO_DAY, NULL, STORE_ALERTS_BY_SEVERITY | (f->history ? STORE_ALERTS_ALL : 0),
					   want_add, w, &err),
			 EF_OK);
	/* groups in the order of first appearance over every alert in scope */
	struct want sorted = *w;
	size_t n = 0;
	for (size_t k = 0; k < w->norder; k++)
		for (size_t i = 0; i < w->n; i++)
			if (w->g[i].patient_id == w->order[k]) {
				sorted.g[n] = w->g[i];
				memcpy(sorted.ids[n], w->ids[i], sizeof w->ids[i]);
				sorted.nids[n++] = w->nids[i];
			}
	*w = sorted;
}

/* ---- the store's list ---- */

struct got {
	struct store_alert_group g[NPAT + 1];
	size_t n;
};

static int got_add(void *ctx, const struct store_alert_group *g, struct ef_err *err)
{
	(void)err;
	struct got *x = ctx;
	ck_assert_uint_lt(x->n, NPAT);
	x->g[x->n++] = *g;
	return EF_OK;
}

static void same(const struct want *w, const struct got *x, const char *how)
{
	ck_assert_msg(x->n == w->n, "%s: %zu groups, want %zu", how, x->n, w->n);
	for (size_t i = 0; i < w->n; i++) {
		ck_assert_msg(x->g[i].patient_id == w->g[i].patient_id, "%s: group %zu is patient %lld, want %lld (%s)", how, i,
			      (long long)x->g[i].patient_id, (long long)w->g[i].patient_id, w->g[i].mrn);
		ck_assert_str_eq(x->g[i].mrn, w->g[i].mrn);
		ck_assert_str_eq(x->g[i].name, w->g[i].name);
		ck_assert_msg(x->g[i].n == w->g[i].n, "%s: %s has %d, want %d", how, w->g[i].mrn, x->g[i].n, w->g[i].n);
		for (int v = 0; v < 3; v++)
			ck_assert_int_eq(x->g[i].n_sev[v], w->g[i].n_sev[v]);
	}
}

struct items {
	int64_t v[64];
	size_t n;
};

static int item_add(void *ctx, const struct store_alert_item *it, struct ef_err *err)
{
	(void)err;
	struct items *x = ctx;
	ck_assert_uint_lt(x->n, 64);
	x->v[x->n++] = it->alert_id;
	return EF_OK;
}

static void check_filter(const struct store_alert_filter *f, const char *how)
{
	struct ef_err err;
	struct want w;
	want_list(f, &w);
	/* a walk */
	struct got all = {.n = 0};
	ck_assert_int_eq(store_alert_groups_each(db, f, got_add, &all, &err), EF_OK);
	same(&w, &all, how);
	/* the counts */
	long total, shown;
	ck_assert_int_eq(store_alert_groups_count(db, f, &total, &shown, &err), EF_OK);
	ck_assert_msg(total == w.total && shown == w.shown, "%s: counted %ld/%ld, want %ld/%ld", how, shown, total, w.shown,
		      w.total);
	/* each group's alerts, worst first */
	for (size_t i = 0; i < w.n; i++) {
		struct items it = {.n = 0};
		ck_assert_int_eq(store_alert_items(db, f, &all.g[i], item_add, &it, &err), EF_OK);
		ck_assert_msg(it.n == w.nids[i], "%s: %s lists %zu alerts, want %zu", how, w.g[i].mrn, it.n, w.nids[i]);
		for (size_t k = 0; k < it.n; k++)
			ck_assert_msg(it.v[k] == w.ids[i][k], "%s: %s alert %zu", how, w.g[i].mrn, k);
		int found;
		struct store_alert_group one;
		ck_assert_int_eq(store_alert_group_get(db, f, w.g[i].patient_id, &one, &found, &err), EF_OK);
		ck_assert(found && one.n == w.g[i].n && strcmp(one.key, all.g[i].key) == 0);
	}
	/* pages of every size, forward from the first and backward from the last */
	for (size_t size = 1; size <= 8; size += 3) {
		struct got fwd = {.n = 0}, back = {.n = 0};
		struct store_alert_group page[8];
		size_t n;
		const struct store_alert_group *from = NULL;
		do {
			ck_assert_int_eq(store_alert_groups_page(db, f, from, 0, page, size, &n, &err), EF_OK);
			ck_assert_uint_le(n, size);
			for (size_t i = 0; i < n; i++)
				fwd.g[fwd.n++] = page[i];
			from = fwd.n ? &fwd.g[fwd.n - 1] : NULL;
		} while (n == size);
		same(&w, &fwd, how);
		from = NULL;
		do {
			ck_assert_int_eq(store_alert_groups_page(db, f, from, 1, page, size, &n, &err), EF_OK);
			for (size_t i = 0; i < n; i++)
				back.g[back.n++] = page[i];
			from = back.n ? &back.g[back.n - 1] : NULL;
		} while (n == size);
		struct got rev = {.n = back.n};
		for (size_t i = 0; i < back.n; i++)
			rev.g[i] = back.g[back.n - 1 - i];
		same(&w, &rev, how);
	}
	/* from the middle: what follows a group, and what precedes it */
	if (w.n >= 3) {
		size_t mid = w.n / 2, n;
		struct store_alert_group page[NPAT];
		ck_assert_int_eq(store_alert_groups_page(db, f, &all.g[mid], 0, page, NPAT, &n, &err), EF_OK);
		ck_assert_uint_eq(n, w.n - mid - 1);
		ck_assert(n == 0 || page[0].patient_id == w.g[mid + 1].patient_id);
		ck_assert_int_eq(store_alert_groups_page(db, f, &all.g[mid], 1, page, NPAT, &n, &err), EF_OK);
		ck_assert_uint_eq(n, mid);
		ck_assert(page[0].patient_id == w.g[mid - 1].patient_id);
	}
}

static void check_filters(int history)
{
	struct store_alert_filter f = {history, 0, -1, NULL, NULL};
	char how[1200];
	snprintf(how, sizeof how, "history %d, no filter", history);
	check_filter(&f, how);
	for (int v = EF_SEV_CRITICAL; v <= EF_SEV_INFO; v++) {
		f.severity = v;
		snprintf(how, sizeof how, "history %d, severity %d", history, v);
		check_filter(&f, how);
	}
	f.severity = -1;
	for (size_t r = 0; r < NRULES; r++) {
		f.rule = ef_rule_id(rules[r]);
		snprintf(how, sizeof how, "history %d, rule %s", history, f.rule);
		check_filter(&f, how);
		f.severity = EF_SEV_WARNING;
		check_filter(&f, how);
		f.severity = -1;
	}
	f.rule = NULL;
	static const char *const texts[] = {"l0",	  "L01",	 "müll",      "MÜLL",	 "smith",  "smithers anna",
					    "vaccine",	  "due",	 "due overdue", "müller due", "okafor igg", "  chidi  ",
					    "zzz",	  "follow l0 chidi", "1 2 3 4 5 6"};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++) {
		f.text = texts[i];
		snprintf(how, sizeof how, "history %d, text '%s'", history, texts[i]);
		check_filter(&f, how);
		f.severity = EF_SEV_INFO;
		check_filter(&f, how);
		f.rule = "VACCINE_DUE";
		check_filter(&f, how);
		f.severity = -1;
		f.rule = NULL;
	}
	/* one patient's */
	f.text = NULL;
	for (int i = 0; i < NPAT; i += 7) {
		f.patient_id = pid[i];
		snprintf(how, sizeof how, "history %d, patient %s", history, mrns[i]);
		check_filter(&f, how);
		f.text = "due";
		check_filter(&f, how);
		f.text = NULL;
	}
}

START_TEST(pages_are_the_ordered_list_with_every_filter)
{
	check_filters(0);
}
END_TEST

START_TEST(pages_are_the_ordered_history_with_every_filter)
{
	check_filters(1);
}
END_TEST

/* The rules present, in turn, as `r` cycles them. */
START_TEST(next_rule_steps_through_the_rules_present)
{
	struct ef_err err;
	for (int history = 0; history <= 1; history++) {
		struct store_alert_filter f = {history, 0, -1, NULL, NULL};
		char rule[40] = "", next[40];
		int n = 0;
		for (;;) {
			ck_assert_int_eq(store_alert_next_rule(db, &f, rule, next, &err), EF_OK);
			if (!next[0])
				break;
			ck_assert_int_gt(strcmp(next, rule), 0);
			f.rule = next;
			long total, shown;
			ck_assert_int_eq(store_alert_groups_count(db, &f, &total, &shown, &err), EF_OK);
			ck_assert_msg(shown > 0, "rule %s listed without alerts", next);
			f.rule = NULL;
			snprintf(rule, sizeof rule, "%s", next);
			n++;
		}
		ck_assert_int_eq(n, (int)NRULES);
	}
}
END_TEST

/* A name corrected in the patients table is the name listed and searched. */
START_TEST(a_corrected_name_is_listed)
{
	struct ef_err err;
	int i = 1; /* has alerts */
	struct store_alert_filter f = {1, 0, -1, NULL, "Brakabrin"};
	long total, shown;
	ck_assert_int_eq(store_alert_groups_count(db, &f, &total, &shown, &err), EF_OK);
	ck_assert_int_eq(shown, 0);
	char csv[256];
	snprintf(csv, sizeof csv, "mrn,family_name,given_name,birth_date\n%.15s,Brakabrin,Amsel,1980-01-01\n", mrns[i]);
	ck_assert_int_eq(tu_import(db, STORE_K_PATIENTS, csv, D("2026-01-01"), NULL, NULL, &err), EF_OK);
	snprintf(names[i], sizeof names[i], "Brakabrin, Amsel");
	ck_assert_int_eq(store_alert_groups_count(db, &f, &total, &shown, &err), EF_OK);
	ck_assert_int_gt(shown, 0);
	check_filter(&f, "a corrected name");
}
END_TEST

static void table_text(const char *q, char *out, size_t size)
{
	char path[4200];
	sqlite3 *h;
	sqlite3_stmt *st;
	snprintf(path, sizeof path, "%s/t.db", dir);
	ck_assert_int_eq(sqlite3_open(path, &h), SQLITE_OK);
	ck_assert_msg(sqlite3_prepare_v2(h, q, -1, &st, NULL) == SQLITE_OK, "%s", sqlite3_errmsg(h));
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	snprintf(out, size, "%s", sqlite3_column_text(st, 0) ? (const char *)sqlite3_column_text(st, 0) : "");
	sqlite3_finalize(st);
	sqlite3_close(h);
}

static void sql(const char *stmt)
{
	char path[4200];
	sqlite3 *h;
	snprintf(path, sizeof path, "%s/t.db", dir);
	ck_assert_int_eq(sqlite3_open(path, &h), SQLITE_OK);
	ck_assert_msg(sqlite3_exec(h, stmt, NULL, NULL, NULL) == SQLITE_OK, "%s: %s", stmt, sqlite3_errmsg(h));
	sqlite3_close(h);
}

/* A database from before schema 018 (whatever 017 made): migrating builds
 * the kept rows from its alerts, the same as the store kept them. */
START_TEST(migration_018_builds_the_list_from_the_alerts)
{
	static const char groups_q[] =
		"SELECT group_concat(patient_id || '|' || mrn || '|' || name || '|' || coalesce(open_key, '-') || '|' || "
		"all_key || '|' || open_alerts || '|' || all_alerts, ';') FROM (SELECT * FROM alert_groups ORDER BY patient_id)";
	static const char counts_q[] =
		"SELECT group_concat(status || severity || rule || n, ';') FROM "
		"(SELECT * FROM alert_counts WHERE n > 0 ORDER BY status, severity, rule)";
	/* the kept rows list each alert in id order, so compare as sets: the
	 * tokens sorted, via the counts of every group */
	static const char tokens_q[] =
		"SELECT group_concat(x, ';') FROM (SELECT patient_id || ':' || (length(all_alerts) - "
		"length(replace(all_alerts, ',', ''))) || ':' || (length(open_alerts) - length(replace(open_alerts, ',', ''))) "
		"|| ':' || coalesce(open_key, '-') || ':' || all_key || ':' || name AS x FROM alert_groups ORDER BY patient_id)";
	char before[65536], after[65536], cb[8192], ca[8192], tb[65536], ta[65536];
	store_close(db);
	db = NULL;
	table_text(groups_q, before, sizeof before);
	table_text(counts_q, cb, sizeof cb);
	table_text(tokens_q, tb, sizeof tb);
	ck_assert_msg(strlen(before) > 100 && strlen(cb) > 10, "no kept rows to compare");
	sql("DROP TRIGGER alert_groups_name; DROP TRIGGER alert_counts_insert; DROP TRIGGER alert_counts_update; "
	    "DROP TRIGGER alert_counts_delete; DROP TABLE alert_groups; DROP TABLE alert_counts; PRAGMA user_version = 17");
	db = tu_open(dir, "t.db");
	ck_assert_int_eq(store_schema_version(db), store_schema_latest());
	table_text(counts_q, ca, sizeof ca);
	table_text(tokens_q, ta, sizeof ta);
	ck_assert_str_eq(ca, cb);
	ck_assert_str_eq(ta, tb);
	table_text(groups_q, after, sizeof after);
	(void)after;
	check_filters(0);
	/* and the rows stay kept after the migration */
	apply_all(3, "2025-04-01");
	check_filters(1);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("alert-list");
	TCase *tc = tcase_create("alert-list");
	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, pages_are_the_ordered_list_with_every_filter);
	tcase_add_test(tc, pages_are_the_ordered_history_with_every_filter);
	tcase_add_test(tc, next_rule_steps_through_the_rules_present);
	tcase_add_test(tc, a_corrected_name_is_listed);
	tcase_add_test(tc, migration_018_builds_the_list_from_the_alerts);
	suite_add_tcase(s, tc);
	return tu_run_suite(s);
}
