/* Reference tables and alerts in the database: the assets round-trip
 * through typed tables and the core parser; a site's edited files replace
 * them (all or nothing); alerts open, keep, resolve, reopen (same id) and
 * are acknowledged with history. */
#include <check.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "../core/helpers.h"
#include "../testutil.h"
#include "engraft/alertstore.h"
#include "engraft/embedded.h"
#include "engraft/refstore.h"

static char *dir;
static struct store *db;

static void setup(void)
{
	dir = tu_tmpdir();
	db = tu_open(dir, "t.db");
}

static void teardown(void)
{
	store_close(db);
	tu_rmdir(dir);
}

static void sql(const char *name, const char *stmt)
{
	char path[4200];
	sqlite3 *h;
	snprintf(path, sizeof path, "%s/%s", dir, name);
	ck_assert_int_eq(sqlite3_open(path, &h), SQLITE_OK);
	ck_assert_msg(sqlite3_exec(h, stmt, NULL, NULL, NULL) == SQLITE_OK, "%s: %s", stmt, sqlite3_errmsg(h));
	sqlite3_close(h);
}

/* Every asset kind's table has exactly the CSV header names as columns. */
START_TEST(table_columns_are_csv_headers)
{
	static const char *const tables[EF_REF_KIND_COUNT] = {
		[EF_REF_PARAMETERS] = "parameters", [EF_REF_VACCINE_SCHEDULE] = "vaccine_schedule",
		[EF_REF_MILESTONES] = "milestones", [EF_REF_MONITORING] = "monitoring", [EF_REF_CVX] = "cvx_codes",
		[EF_REF_LAB_TESTS] = "lab_tests", [EF_REF_LOINC] = "loinc_codes", [EF_REF_SCREENING] = "screening",
		[EF_REF_REGISTRY_FORMS] = "registry_forms"};
	char path[4200];
	sqlite3 *h;
	snprintf(path, sizeof path, "%s/t.db", dir);
	ck_assert_int_eq(sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	for (int k = 0; k < EF_REF_KIND_COUNT; k++) {
		const struct ef_ref_kind_info *info = ef_reference_kind((enum ef_ref_kind)k);
		char q[256];
		sqlite3_stmt *st;
		snprintf(q, sizeof q, "SELECT * FROM %s", tables[k]);
		ck_assert_int_eq(sqlite3_prepare_v2(h, q, -1, &st, NULL), SQLITE_OK);
		int n = sqlite3_column_count(st), j = 0;
		for (int i = 0; i < n; i++) {
			const char *name = sqlite3_column_name(st, i);
			if (strcmp(name, "id") == 0 && k != EF_REF_MILESTONES)
				continue; /* row order key */
			ck_assert_msg((size_t)j < info->ncolumns, "%s: extra column %s", tables[k], name);
			ck_assert_str_eq(name, info->columns[j].name);
			j++;
		}
		ck_assert_int_eq(j, (int)info->ncolumns);
		sqlite3_finalize(st);
	}
	sqlite3_close(h);
}
END_TEST

/* What the database gives back is what the asset files say. */
START_TEST(reference_round_trip)
{
	struct ef_reference a, b;
	struct ef_err err;
	test_reference(&a);
	ck_assert_msg(store_reference_load(db, &b, &err) == EF_OK, "%s", err.msg);
	for (int p = 0; p < EF_P_COUNT; p++)
		ck_assert_msg(a.param[p] == b.param[p], "%s", ef_param_key((enum ef_param)p));
	ck_assert_int_eq(a.month_rule, b.month_rule);
	ck_assert_uint_eq(a.n_rules, b.n_rules);
	ck_assert_int_eq(memcmp(a.rules, b.rules, a.n_rules * sizeof *a.rules), 0);
	ck_assert_uint_eq(a.n_milestones, b.n_milestones);
	ck_assert_int_eq(memcmp(a.milestones, b.milestones, a.n_milestones * sizeof *a.milestones), 0);
	ck_assert_uint_eq(a.n_monitors, b.n_monitors);
	ck_assert_int_eq(memcmp(a.monitors, b.monitors, a.n_monitors * sizeof *a.monitors), 0);
	ck_assert_uint_eq(a.n_cvx, b.n_cvx);
	ck_assert_uint_eq(a.n_lab_tests, b.n_lab_tests);
	ck_assert_int_eq(memcmp(a.lab, b.lab, sizeof a.lab), 0);
	ef_reference_free(&a);
	ef_reference_free(&b);
}
END_TEST

/* A database from before schema 003 (CVX loaded, reference tables empty)
 * gets the defaults on first use. */
START_TEST(defaults_loaded_on_first_use)
{
	int64_t n;
	struct ef_err err;
	store_close(db);
	sql("t.db", "DELETE FROM parameters; DELETE FROM vaccine_schedule; DELETE FROM milestones;"
		    "DELETE FROM monitoring");
	db = tu_open(dir, "t.db");
	ck_assert_int_eq(store_reference_count(db, EF_REF_PARAMETERS, &n, &err), EF_OK);
	ck_assert_int_eq(n, EF_P_COUNT);
	ck_assert_int_eq(store_reference_count(db, EF_REF_MILESTONES, &n, &err), EF_OK);
	ck_assert_int_eq(n, 2);
}
END_TEST

/* A database of schema 005 (before lab_tests) migrates and gets the
 * default lab-test limits; its other reference rows stay as they were. */
START_TEST(lab_tests_defaults_after_migration)
{
	int64_t n;
	struct ef_err err;
	struct ef_reference r;
	store_close(db);
	sql("t.db", "DROP TABLE loinc_codes; DROP TABLE followups; DROP TABLE screening; DROP TABLE registry_forms; "
		    "DELETE FROM parameters WHERE key IN ('followup_grace_days', 'registry_track'); DROP TABLE status; DROP TABLE lab_tests; DROP TABLE drafts; DROP TABLE signatures; DROP TABLE staff; "
		    "UPDATE parameters SET value = '1.0' WHERE key = 'anc_threshold';"
		    "PRAGMA user_version = 6"); /* before 007: schema 006 is there */
	db = tu_open(dir, "t.db");
	ck_assert_int_eq(store_schema_version(db), store_schema_latest());
	ck_assert_int_eq(store_reference_count(db, EF_REF_LAB_TESTS, &n, &err), EF_OK);
	ck_assert_int_eq(n, EF_T_COUNT);
	ck_assert_msg(store_reference_load(db, &r, &err) == EF_OK, "%s", err.msg);
	ck_assert(r.param[EF_P_ANC_THRESHOLD] == 1.0); /* the site's value is kept */
	ck_assert(r.lab[EF_T_PLT].present && r.lab[EF_T_PLT].v[EF_LIM_CRITICAL_LOW] == 20);
	ef_reference_free(&r);
}
END_TEST

/* A database from before schema 011 (the automatic logoff) has reference
 * data without idle_logoff_minutes, which the core requires: migrating
 * adds the default row (and the drafts table); the site's rows stay.
 * user_version 8 is before 011 (and 010). */
START_TEST(idle_logoff_default_after_migration)
{
	struct ef_err err;
	struct ef_reference r;
	store_close(db);
	sql("t.db", "DROP TABLE loinc_codes; DROP TABLE followups; DROP TABLE screening; DROP TABLE registry_forms; "
		    "DELETE FROM parameters WHERE key IN ('followup_grace_days', 'registry_track'); DROP TABLE status; DROP TABLE drafts; DELETE FROM parameters WHERE key = 'idle_logoff_minutes';"
		    "UPDATE parameters SET value = '1.0' WHERE key = 'anc_threshold'; PRAGMA user_version = 8");
	db = tu_open(dir, "t.db");
	ck_assert_int_eq(store_schema_version(db), store_schema_latest());
	ck_assert_msg(store_reference_load(db, &r, &err) == EF_OK, "%s", err.msg);
	ck_assert_int_eq(ef_ref_int(&r, EF_P_IDLE_LOGOFF_MINUTES), 15);
	ck_assert(r.param[EF_P_ANC_THRESHOLD] == 1.0);
	ef_reference_free(&r);
}
END_TEST

/* A database from before schema 015 (the follow-up calendar): migrating
 * adds the two parameters, and the first use loads the default screening
 * and registry_forms rows; the site's other rows stay. */
START_TEST(followup_defaults_after_migration)
{
	int64_t n;
	struct ef_err err;
	struct ef_reference r;
	store_close(db);
	sql("t.db", "DROP TABLE followups; DROP TABLE screening; DROP TABLE registry_forms; "
		    "DELETE FROM parameters WHERE key IN ('followup_grace_days', 'registry_track'); "
		    "UPDATE parameters SET value = '1.0' WHERE key = 'anc_threshold'; PRAGMA user_version = 14");
	db = tu_open(dir, "t.db");
	ck_assert_int_eq(store_schema_version(db), store_schema_latest());
	ck_assert_int_eq(store_reference_count(db, EF_REF_SCREENING, &n, &err), EF_OK);
	ck_assert_int_eq(n, 7);
	ck_assert_int_eq(store_reference_count(db, EF_REF_REGISTRY_FORMS, &n, &err), EF_OK);
	ck_assert_int_eq(n, 46); /* CIBMTR 12, CIBMTR-CT 34 (schema 016) */
	ck_assert_msg(store_reference_load(db, &r, &err) == EF_OK, "%s", err.msg);
	ck_assert_int_eq(ef_ref_int(&r, EF_P_FOLLOWUP_GRACE_DAYS), 30);
	ck_assert_int_eq(ef_ref_int(&r, EF_P_REGISTRY_TRACK), EF_TRACK_CRF);
	ck_assert(r.param[EF_P_ANC_THRESHOLD] == 1.0);
	ef_reference_free(&r);
}
END_TEST

static void write_site_dir(const char *sub, const char *param_line)
{
	char path[4200];
	for (const struct ef_blob *b = ef_assets; b->name; b++) {
		if (!strstr(b->name, ".csv"))
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, sub);
		mkdir(path, 0700);
		snprintf(path, sizeof path, "%s/%s/%s", dir, sub, b->name);
		FILE *f = fopen(path, "w");
		ck_assert_ptr_nonnull(f);
		if (strcmp(b->name, "parameters.csv") == 0) {
			/* replace the anc_threshold row */
			const char *p = b->data;
			while (*p) {
				const char *e = strchr(p, '\n');
				size_t len = e ? (size_t)(e - p + 1) : strlen(p);
				if (strncmp(p, "anc_threshold,", 14) == 0)
					fprintf(f, "%s\n", param_line);
				else
					fwrite(p, 1, len, f);
				p += len;
			}
		} else {
			fwrite(b->data, 1, b->len, f);
		}
		fclose(f);
	}
}

START_TEST(site_assets_replace_defaults)
{
	struct ef_reference r;
	struct ef_err err;
	char path[4200];
	write_site_dir("site", "anc_threshold,1.0,10*9/L,SITE: stricter");
	snprintf(path, sizeof path, "%s/site", dir);
	ck_assert_msg(ef_load_assets(db, path, &err) == EF_OK, "%s", err.msg);
	ck_assert_int_eq(store_reference_load(db, &r, &err), EF_OK);
	ck_assert(r.param[EF_P_ANC_THRESHOLD] == 1.0);
	ef_reference_free(&r);
}
END_TEST

START_TEST(bad_site_asset_changes_nothing)
{
	struct ef_reference r;
	struct ef_err err;
	char path[4200], want[4400];
	write_site_dir("bad", "anc_threshold,-0.5,10*9/L,typo");
	snprintf(path, sizeof path, "%s/bad", dir);
	ck_assert_int_eq(ef_load_assets(db, path, &err), EF_INVALID);
	snprintf(want, sizeof want, "%s/parameters.csv:2: value: anc_threshold must be a number > 0, not '-0.5'", path);
	ck_assert_str_eq(err.msg, want);
	ck_assert_int_eq(store_reference_load(db, &r, &err), EF_OK);
	ck_assert(r.param[EF_P_ANC_THRESHOLD] == 0.5);
	ef_reference_free(&r);
}
END_TEST

START_TEST(bad_site_cvx_row_changes_nothing)
{
	struct ef_reference r;
	struct ef_err err;
	char path[4200];
	write_site_dir("badcvx", "anc_threshold,1.0,10*9/L,SITE: stricter");
	snprintf(path, sizeof path, "%s/badcvx/cvx.csv", dir);
	FILE *f = fopen(path, "a");
	ck_assert_ptr_nonnull(f);
	fputs("999,NOPE,0,\"a code for a series that does not exist\"\n", f);
	fclose(f);
	snprintf(path, sizeof path, "%s/badcvx", dir);
	ck_assert_int_eq(ef_load_assets(db, path, &err), EF_INVALID);
	ck_assert_msg(strstr(err.msg, "cvx.csv:") && strstr(err.msg, "NOPE"), "%s", err.msg);
	/* the whole load is rolled back: the good parameter edit did not land */
	ck_assert_int_eq(store_reference_load(db, &r, &err), EF_OK);
	ck_assert(r.param[EF_P_ANC_THRESHOLD] == 0.5);
	ef_reference_free(&r);
}
END_TEST

/* ---- alerts --------------------------------------------------------------- */

static int64_t patient(const char *mrn)
{
	struct ef_err err;
	char csv[256];
	int64_t id;
	ef_day birth;
	snprintf(csv, sizeof csv, "mrn,family_name,given_name,birth_date\n%s,Test,Pat,1980-01-01\n", mrn);
	ck_assert_int_eq(tu_import(db, STORE_K_PATIENTS, csv, D("2026-01-01"), NULL, NULL, &err), EF_OK);
	ck_assert_int_eq(store_patient_id(db, mrn, strlen(mrn), &id, &birth, &err), EF_OK);
	return id;
}

static struct ef_findings one(enum ef_rule rule, const char *subject, const char *message)
{
	struct ef_findings f;
	ef_findings_init(&f);
	f.v = calloc(1, sizeof *f.v);
	f.n = f.cap = 1;
	f.v[0].rule = rule;
	f.v[0].severity = ef_rule_severity(rule);
	snprintf(f.v[0].subject, sizeof f.v[0].subject, "%s", subject);
	f.v[0].due_on = D("2025-02-12");
	snprintf(f.v[0].message, sizeof f.v[0].message, "%s", message);
	return f;
}

static struct ef_check_counts apply(int64_t pid, const char *as_of, const struct ef_findings *f)
{
	struct ef_check_counts c = {0};
	struct ef_err err;
	ck_assert_int_eq(store_begin(db, &err), EF_OK);
	ck_assert_msg(store_alerts_apply(db, pid, D(as_of), f, &c, &err) == EF_OK, "%s", err.msg);
	ck_assert_int_eq(store_commit(db, &err), EF_OK);
	return c;
}

static struct store_alert get(int64_t id)
{
	struct store_alert a;
	struct ef_err err;
	int found;
	ck_assert_int_eq(store_alert_get(db, id, &a, &found, &err), EF_OK);
	ck_assert(found);
	return a;
}

static int history_events(char *out, size_t size)
{
	char path[4200];
	sqlite3 *h;
	sqlite3_stmt *st;
	snprintf(path, sizeof path, "%s/t.db", dir);
	ck_assert_int_eq(sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(h, "SELECT on_day, event, user FROM alert_history ORDER BY id", -1, &st,
					    NULL),
			 SQLITE_OK);
	int n = 0;
	out[0] = '\0';
	while (sqlite3_step(st) == SQLITE_ROW) {
		size_t len = strlen(out);
		snprintf(out + len, size - len, "%s %s %s\n", sqlite3_column_text(st, 0), sqlite3_column_text(st, 1),
			 sqlite3_column_text(st, 2));
		n++;
	}
	sqlite3_finalize(st);
	sqlite3_close(h);
	return n;
}

START_TEST(alert_life_cycle)
{
	struct ef_err err;
	struct ef_check_counts c;
	struct ef_findings none;
	char hist[2048];
	int64_t pid = patient("A1");
	ef_findings_init(&none);
	store_set_user(db, "nurse");
	struct ef_findings f = one(EF_RULE_IGG_LOW, "IGG", "IgG 350 mg/dL on 2025-06-15 < 400");

	c = apply(pid, "2025-07-01", &f);
	ck_assert_int_eq(c.opened, 1);
	struct store_alert a = get(1);
	ck_assert_str_eq(ef_alert_status_str(a.status), "open");
	ck_assert_str_eq(a.raised_on, "2025-07-01");
	ck_assert_str_eq(ef_severity_str(a.severity), "warning");
	ck_assert_str_eq(a.due_on, "2025-02-12");

	/* re-running never duplicates */
	c = apply(pid, "2025-07-02", &f);
	ck_assert_int_eq(c.kept, 1);
	ck_assert_int_eq(c.opened, 0);

	/* acknowledged through 2025-07-10; kept through that day */
	ck_assert_int_eq(store_alert_ack(db, 1, D("2025-07-03"), "IVIG planned", D("2025-07-10"), &err), EF_OK);
	a = get(1);
	ck_assert_str_eq(ef_alert_status_str(a.status), "acknowledged");
	ck_assert_str_eq(a.acknowledged_by, "nurse");
	ck_assert_str_eq(a.acknowledged_on, "2025-07-03");
	ck_assert_str_eq(a.until, "2025-07-10");
	c = apply(pid, "2025-07-10", &f);
	ck_assert_int_eq(c.kept, 1);
	ck_assert_str_eq(ef_alert_status_str(get(1).status), "acknowledged");

	/* from the day after, still true: reopened, same id */
	c = apply(pid, "2025-07-11", &f);
	ck_assert_int_eq(c.reopened, 1);
	a = get(1);
	ck_assert_str_eq(ef_alert_status_str(a.status), "open");
	ck_assert_str_eq(a.raised_on, "2025-07-11");
	ck_assert_str_eq(a.until, "");

	/* the finding stops holding: resolved */
	c = apply(pid, "2025-08-01", &none);
	ck_assert_int_eq(c.resolved, 1);
	a = get(1);
	ck_assert_str_eq(ef_alert_status_str(a.status), "resolved");
	ck_assert_str_eq(a.resolved_on, "2025-08-01");
	c = apply(pid, "2025-08-02", &none);
	ck_assert_int_eq(c.resolved + c.opened + c.kept + c.reopened, 0);

	/* a resolved alert cannot be acknowledged */
	ck_assert_int_eq(store_alert_ack(db, 1, D("2025-08-03"), "x", EF_NO_DAY, &err), EF_INVALID);
	ck_assert_str_eq(err.msg, "alert 1 is resolved (its finding no longer holds)");
	ck_assert_int_eq(store_alert_ack(db, 99, D("2025-08-03"), "x", EF_NO_DAY, &err), EF_INVALID);
	ck_assert_str_eq(err.msg, "no alert 99");

	/* it returns: reopened under the same alert_id */
	c = apply(pid, "2025-09-01", &f);
	ck_assert_int_eq(c.reopened, 1);
	ck_assert_str_eq(ef_alert_status_str(get(1).status), "open");
	ck_assert_str_eq(get(1).resolved_on, "");

	/* acknowledged without until, then resolved */
	ck_assert_int_eq(store_alert_ack(db, 1, D("2025-09-02"), "seen", EF_NO_DAY, &err), EF_OK);
	c = apply(pid, "2030-01-01", &f);
	ck_assert_int_eq(c.kept, 1);
	c = apply(pid, "2030-01-02", &none);
	ck_assert_int_eq(c.resolved, 1);

	ck_assert_int_eq(history_events(hist, sizeof hist), 7);
	ck_assert_str_eq(hist, "2025-07-01 opened nurse\n"
			       "2025-07-03 acknowledged nurse\n"
			       "2025-07-11 reopened nurse\n"
			       "2025-08-01 resolved nurse\n"
			       "2025-09-01 reopened nurse\n"
			       "2025-09-02 acknowledged nurse\n"
			       "2030-01-02 resolved nurse\n");
	ef_findings_free(&f);
}
END_TEST

struct collect {
	char text[4096];
};

static int collect(void *ctx, const struct store_alert *a, struct ef_err *err)
{
	struct collect *c = ctx;
	size_t len = strlen(c->text);
	(void)err;
	snprintf(c->text + len, sizeof c->text - len, "%lld %s %s %s %s\n", (long long)a->alert_id, a->mrn, a->rule,
		 a->subject, ef_alert_status_str(a->status));
	return EF_OK;
}

START_TEST(alert_listing)
{
	struct ef_err err;
	int64_t p1 = patient("B1"), p2 = patient("A2");
	struct ef_findings f1 = one(EF_RULE_IGG_LOW, "IGG", "m"), f2 = one(EF_RULE_GVHD_SEVERE, "2025-03-01", "m");
	apply(p1, "2025-05-01", &f1);
	apply(p2, "2025-06-01", &f2);
	struct collect c = {""};
	ck_assert_int_eq(store_alerts_each(db, EF_NO_DAY, NULL, 0, collect, &c, &err), EF_OK);
	ck_assert_str_eq(c.text, "2 A2 GVHD_SEVERE 2025-03-01 open\n1 B1 IGG_LOW IGG open\n");
	c.text[0] = '\0';
	ck_assert_int_eq(store_alerts_each(db, EF_NO_DAY, NULL, STORE_ALERTS_BY_SEVERITY, collect, &c, &err), EF_OK);
	ck_assert_str_eq(c.text, "2 A2 GVHD_SEVERE 2025-03-01 open\n1 B1 IGG_LOW IGG open\n");
	c.text[0] = '\0';
	ck_assert_int_eq(store_alerts_each(db, D("2025-05-15"), NULL, 0, collect, &c, &err), EF_OK);
	ck_assert_str_eq(c.text, "1 B1 IGG_LOW IGG open\n");
	c.text[0] = '\0';
	ck_assert_int_eq(store_alerts_each(db, EF_NO_DAY, "A2", 0, collect, &c, &err), EF_OK);
	ck_assert_str_eq(c.text, "2 A2 GVHD_SEVERE 2025-03-01 open\n");
	struct ef_findings none;
	ef_findings_init(&none);
	apply(p1, "2025-07-01", &none);
	c.text[0] = '\0';
	ck_assert_int_eq(store_alerts_each(db, EF_NO_DAY, NULL, 0, collect, &c, &err), EF_OK);
	ck_assert_str_eq(c.text, "2 A2 GVHD_SEVERE 2025-03-01 open\n");
	c.text[0] = '\0';
	ck_assert_int_eq(store_alerts_each(db, EF_NO_DAY, NULL, STORE_ALERTS_ALL, collect, &c, &err), EF_OK);
	ck_assert_str_eq(c.text, "2 A2 GVHD_SEVERE 2025-03-01 open\n1 B1 IGG_LOW IGG resolved\n");
	ef_findings_free(&f1);
	ef_findings_free(&f2);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("rules-store");
	TCase *tc = tcase_create("rules-store");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, table_columns_are_csv_headers);
	tcase_add_test(tc, reference_round_trip);
	tcase_add_test(tc, defaults_loaded_on_first_use);
	tcase_add_test(tc, lab_tests_defaults_after_migration);
	tcase_add_test(tc, idle_logoff_default_after_migration);
	tcase_add_test(tc, followup_defaults_after_migration);
	tcase_add_test(tc, site_assets_replace_defaults);
	tcase_add_test(tc, bad_site_asset_changes_nothing);
	tcase_add_test(tc, bad_site_cvx_row_changes_nothing);
	tcase_add_test(tc, alert_life_cycle);
	tcase_add_test(tc, alert_listing);
	suite_add_tcase(s, tc);
	return tu_run_suite(s);
}
