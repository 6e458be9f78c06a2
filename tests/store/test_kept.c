/* test_kept.c - the kept state of issue 15 (schema 017) equals a fresh
 * computation. Two copies of a demo cohort live through the same days and
 * the same new records (imports, a dose given, a death, an acknowledgement
 * with an end date, a reference reload); one is checked incrementally, the
 * other with check --all. On every day: the two alert tables and their
 * histories are equal, the check counts are equal, and every patient's
 * kept vaccine forecast and follow-up calendar equal the forecaster's
 * answer from the records of that day. */
#include <check.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "../testutil.h"
#include "engraft/app.h"
#include "engraft/keptstore.h"
#include "engraft/refstore.h"

#define PATIENTS 120

static ef_day day(const char *s)
{
	ef_day d;
	ck_assert_int_eq(ef_date_parse(s, strlen(s), &d), 0);
	return d;
}

struct side {
	struct store *s;
	struct ef_reference ref;
	struct store_staff me;
	struct app_env env;
};

static char *dir;
static struct side inc, full; /* checked incrementally / with --all */

static void side_open(struct side *x, const char *name)
{
	struct ef_err err = {{0}};
	x->s = tu_open(dir, name);
	ck_assert_int_eq(store_reference_load(x->s, &x->ref, &err), EF_OK);
	ck_assert_int_eq(app_sign_on(x->s, &x->me, &err), EF_OK);
	x->env = (struct app_env){x->s, &x->ref, day("2025-06-30"), &x->me};
	struct ef_demo_opts o = {PATIENTS, 7, day("2025-06-30"), NULL};
	struct ef_demo_counts c;
	ck_assert_msg(app_demo(&x->env, &o, &c, &err) == EF_OK, "%s", err.msg);
}

static void side_close(struct side *x)
{
	ef_reference_free(&x->ref);
	store_close(x->s);
}

static void setup(void)
{
	dir = tu_tmpdir();
	side_open(&inc, "inc.db");
	side_open(&full, "full.db");
}

static void teardown(void)
{
	side_close(&inc);
	side_close(&full);
	tu_rmdir(dir);
}

/* The rows of a query as text, one line per row. */
static char *dump(const char *dbfile, const char *sql)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/%s", dir, dbfile);
	sqlite3 *db;
	ck_assert_int_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	sqlite3_stmt *st;
	ck_assert_msg(sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK, "%s", sqlite3_errmsg(db));
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	while (sqlite3_step(st) == SQLITE_ROW) {
		for (int i = 0; i < sqlite3_column_count(st); i++) {
			const char *v = (const char *)sqlite3_column_text(st, i);
			fprintf(out, "%s|", v ? v : "NULL");
		}
		fputc('\n', out);
	}
	fclose(out);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return buf;
}

static void same_alerts(const char *when)
{
	static const char *const q[] = {
		"SELECT p.mrn, rule, subject, severity, status, raised_on, due_on, resolved_on, acknowledged_by, "
		"acknowledged_on, reason, until, message FROM alerts a JOIN patients p ON p.id = a.patient_id "
		"ORDER BY p.mrn, rule, subject",
		"SELECT p.mrn, a.rule, a.subject, h.on_day, h.event, h.status, h.message, h.reason, h.until "
		"FROM alert_history h JOIN alerts a ON a.alert_id = h.alert_id JOIN patients p ON p.id = a.patient_id "
		"ORDER BY p.mrn, a.rule, a.subject, h.id",
	};
	for (size_t i = 0; i < 2; i++) {
		char *a = dump("inc.db", q[i]), *b = dump("full.db", q[i]);
		ck_assert_msg(strlen(a) > 0, "%s: no alerts at all", when);
		ck_assert_msg(strcmp(a, b) == 0, "%s: %s differ between check and check --all", when,
			      i ? "alert histories" : "alerts");
		free(a);
		free(b);
	}
}

/* ---- kept forecasts against the forecaster ---------------------------------- */

struct cmp {
	struct side *x;
	ef_day on;
	int64_t cur;
	size_t k;          /* entries of the current patient seen */
	struct ef_timeline tl;
	struct ef_due_list due;
	struct ef_fu_list fu;
	long entries, patients;
	int need_kept;     /* read from the store: every list must hold */
};

static void fresh(struct cmp *c, const struct store_kept_patient *p, int fu)
{
	struct ef_err err = {{0}};
	ck_assert_msg(p->kept || !c->need_kept, "%s: the kept forecast does not hold after a check of the day",
		      p->mrn);
	if (p->id == c->cur)
		return;
	if (c->cur) /* the previous patient's list was read whole */
		ck_assert_uint_eq(c->k, fu ? c->fu.n : c->due.n);
	c->cur = p->id;
	c->k = 0;
	c->patients++;
	ck_assert_int_eq(store_load_timeline(c->x->s, p->id, c->on, &c->tl, &err), EF_OK);
	if (fu)
		ck_assert_int_eq(ef_followup_calendar(&c->tl, &c->x->ref, c->on, &c->fu, &err), EF_OK);
	else
		ck_assert_int_eq(ef_vaccines_forecast(&c->tl, &c->x->ref, c->on, &c->due, &err), EF_OK);
}

static int cmp_due(void *ctx, const struct store_kept_patient *p, const struct ef_due *d, struct ef_err *err)
{
	struct cmp *c = ctx;
	(void)err;
	fresh(c, p, 0);
	ck_assert_msg(c->k < c->due.n, "%s: more kept doses than forecast", p->mrn);
	const struct ef_due *w = &c->due.v[c->k++];
	ck_assert_str_eq(d->series, w->series);
	ck_assert_int_eq(d->dose, w->dose);
	ck_assert_int_eq(d->live, w->live);
	ck_assert_int_eq(d->status, w->status);
	ck_assert_int_eq(d->due_on, w->due_on);
	ck_assert_str_eq(d->reason, w->reason);
	c->entries++;
	return EF_OK;
}

static int cmp_fu(void *ctx, const struct store_kept_patient *p, const struct ef_fu_entry *f, struct ef_err *err)
{
	struct cmp *c = ctx;
	(void)err;
	fresh(c, p, 1);
	ck_assert_msg(c->k < c->fu.n, "%s: more kept follow-up entries than computed", p->mrn);
	const struct ef_fu_entry *w = &c->fu.v[c->k++];
	ck_assert_str_eq(f->item, w->item);
	ck_assert_str_eq(f->time_point, w->time_point);
	ck_assert_int_eq(f->status, w->status);
	ck_assert_int_eq(f->due_on, w->due_on);
	ck_assert_int_eq(f->done_on, w->done_on);
	ck_assert_int_eq(f->registry, w->registry);
	ck_assert_str_eq(f->reason, w->reason);
	c->entries++;
	return EF_OK;
}

/* The store's kept lists (only those that hold on `on`: fn sees p->kept). */
static int kept_due(void *ctx, const struct store_kept_patient *p, const struct ef_due *d, struct ef_err *err)
{
	struct cmp *c = ctx;
	if (d)
		return cmp_due(ctx, p, d, err);
	ck_assert_msg(p->kept, "%s: no kept forecast that holds", p->mrn);
	fresh(c, p, 0);
	ck_assert_uint_eq(c->due.n, 0);
	return EF_OK;
}

static int kept_fu(void *ctx, const struct store_kept_patient *p, const struct ef_fu_entry *f, struct ef_err *err)
{
	struct cmp *c = ctx;
	if (f)
		return cmp_fu(ctx, p, f, err);
	ck_assert_msg(p->kept, "%s: no kept calendar that holds", p->mrn);
	fresh(c, p, 1);
	ck_assert_uint_eq(c->fu.n, 0);
	return EF_OK;
}

/* need_kept: every kept list must hold on today (after a check of the
 * day), read from the store; else read as the commands read (app_each_due:
 * kept where it holds, computed where not). */
static void kept_equal_fresh(struct side *x, const char *when, int need_kept)
{
	struct ef_err err = {{0}};
	for (int fu = 0; fu < 2; fu++) {
		struct cmp c = {.x = x, .on = x->env.today, .need_kept = need_kept};
		ef_timeline_init(&c.tl);
		ef_due_list_init(&c.due);
		ef_fu_list_init(&c.fu);
		int rc;
		if (need_kept)
			rc = fu ? store_each_kept_followup(x->s, c.on, NULL, kept_fu, &c, &err)
				: store_each_kept_due(x->s, c.on, NULL, kept_due, &c, &err);
		else
			rc = fu ? app_each_followup(&x->env, c.on, NULL, cmp_fu, &c, &err)
				: app_each_due(&x->env, c.on, NULL, cmp_due, &c, &err);
		ck_assert_msg(rc == EF_OK, "%s: %s", when, err.msg);
		if (c.cur)
			ck_assert_uint_eq(c.k, fu ? c.fu.n : c.due.n);
		if (need_kept) /* the commands skip the patients with nothing */
			ck_assert_int_eq(c.patients, PATIENTS);
		ck_assert_msg(c.entries > 0, "%s: nothing forecast at all", when);
		ef_fu_list_free(&c.fu);
		ef_due_list_free(&c.due);
		ef_timeline_free(&c.tl);
	}
}

/* ---- the days ------------------------------------------------------------------ */

static void both_import(const char *when, enum store_kind kind, const char *csv)
{
	struct side *sides[] = {&inc, &full};
	for (int i = 0; i < 2; i++) {
		struct ef_err err = {{0}};
		struct ef_import_result r;
		FILE *in = fmemopen((void *)csv, strlen(csv), "r");
		static struct tu_diag diag;
		memset(&diag, 0, sizeof diag);
		int rc = app_import_file(&sides[i]->env, 0, kind, in, "day.csv", tu_diag_fn, &diag, &r, &err);
		fclose(in);
		ck_assert_msg(rc == EF_OK, "%s: import: %s: %s", when, err.msg, diag.text);
	}
}

static void both_check(const char *when, struct ef_check_counts *ci)
{
	struct ef_err err = {{0}};
	struct ef_check_counts cf = {0};
	*ci = (struct ef_check_counts){0};
	ck_assert_msg(app_check_clinic(&inc.env, inc.env.today, NULL, 0, ci, &err) == EF_OK, "%s: %s", when, err.msg);
	ck_assert_msg(app_check_clinic(&full.env, full.env.today, NULL, 1, &cf, &err) == EF_OK, "%s: %s", when,
		      err.msg);
	ck_assert_int_eq(cf.evaluated, PATIENTS);
	ck_assert_int_eq(ci->patients, PATIENTS);
	ck_assert_msg(ci->opened == cf.opened && ci->kept == cf.kept && ci->reopened == cf.reopened &&
			      ci->resolved == cf.resolved,
		      "%s: counts differ: %ld/%ld/%ld/%ld against --all %ld/%ld/%ld/%ld", when, ci->opened, ci->kept,
		      ci->reopened, ci->resolved, cf.opened, cf.kept, cf.reopened, cf.resolved);
	same_alerts(when);
	kept_equal_fresh(&inc, when, 1);
	kept_equal_fresh(&full, when, 1);
}

static void set_today(const char *d)
{
	inc.env.today = full.env.today = day(d);
}

/* Acknowledge (on both) the first open alert of `rule`, until `until`. */
static void both_ack(const char *rule, const char *until)
{
	char sql[256];
	snprintf(sql, sizeof sql,
		 "SELECT p.mrn || ',' || a.subject FROM alerts a JOIN patients p ON p.id = a.patient_id "
		 "WHERE a.status = 'open' AND a.rule = '%s' ORDER BY p.mrn, a.subject LIMIT 1", rule);
	char *key = dump("inc.db", sql);
	ck_assert_msg(key[0], "no open %s alert to acknowledge", rule);
	*strchr(key, '|') = '\0';
	char *comma = strchr(key, ',');
	*comma = '\0';
	struct side *sides[] = {&inc, &full};
	for (int i = 0; i < 2; i++) {
		snprintf(sql, sizeof sql,
			 "SELECT a.alert_id FROM alerts a JOIN patients p ON p.id = a.patient_id WHERE p.mrn = '%s' "
			 "AND a.rule = '%s' AND a.subject = '%s'", key, rule, comma + 1);
		char *id = dump(i ? "full.db" : "inc.db", sql);
		struct ef_err err = {{0}};
		ck_assert_msg(app_ack_alert(&sides[i]->env, atoll(id), sides[i]->env.today, "seen, will call",
					    day(until), &err) == EF_OK, "ack: %s", err.msg);
		free(id);
	}
	free(key);
}

START_TEST(incremental_check_equals_full_check)
{
	struct ef_check_counts c;
	set_today("2025-06-30");
	both_check("the demo's day", &c);
	both_check("the same day again", &c);
	ck_assert_int_eq(c.evaluated, 0); /* nothing changed, nothing due */
	ck_assert_int_eq(c.opened + c.reopened + c.resolved, 0);

	set_today("2025-07-01");
	both_check("the next day", &c);
	/* only the patients a due date, deadline or window came for */
	ck_assert_int_gt(c.evaluated, 0);
	ck_assert_int_lt(c.evaluated, PATIENTS / 2);

	set_today("2025-07-15");
	both_check("the day of the imports, before them", &c);
	/* records of the day checked already: only their patients are looked
	 * at again (a lab result, a dose: their kept state was marked stale) */
	both_import("new labs", STORE_K_LABS,
		    "mrn,collected_on,test,value,unit\nDEMO000003,2025-07-14,ANC,0.2,10*9/L\n"
		    "DEMO000010,2025-07-15,IGG,310,mg/dL\nDEMO000011,2025-07-10,CD4,40,cells/uL\n");
	both_import("a dose", STORE_K_VACCINATIONS,
		    "mrn,vaccine,given_on,lot,site,given_by\nDEMO000004,PCV,2025-07-15,L1,left deltoid,nurse\n");
	both_check("after the imports", &c);
	ck_assert_int_eq(c.evaluated, 4);

	both_ack("VACCINE_OVERDUE", "2025-08-01");
	set_today("2025-08-01");
	both_check("the last day of an acknowledgement", &c);
	set_today("2025-08-02");
	both_check("the day after it (reopens)", &c);

	set_today("2025-09-30");
	both_import("a death", STORE_K_STATUS, "mrn,recorded_on,status\nDEMO000074,2025-09-29,deceased\n");
	both_check("after a death", &c);

	set_today("2026-01-10");
	both_check("months later", &c);
	struct ef_err err = {{0}};
	struct side *sides[] = {&inc, &full};
	for (int i = 0; i < 2; i++) /* the site reloads its reference data */
		ck_assert_msg(app_load_assets(&sides[i]->env, NULL, &err) == EF_OK, "%s", err.msg);
	both_check("after the reference data were reloaded", &c);
	ck_assert_int_eq(c.evaluated, PATIENTS);

	set_today("2026-06-30");
	both_check("a year on", &c);
	set_today("2027-06-30");
	both_check("two years on (live vaccines)", &c);
}
END_TEST

/* A forecast read on a day its kept one does not hold is computed: the
 * export of an earlier day equals the forecaster's. */
START_TEST(stale_kept_forecasts_are_computed)
{
	struct ef_err err = {{0}};
	set_today("2025-08-15");
	/* kept as of the demo's day (app_demo), read on a later day */
	kept_equal_fresh(&inc, "before any check", 0);
	int64_t *ids, total;
	size_t n;
	ck_assert_int_eq(store_forecasts_stale(inc.s, inc.env.today, &ids, &n, &total, &err), EF_OK);
	ck_assert_int_eq(total, PATIENTS);
	free(ids);
	ck_assert_int_eq(app_forecasts_refresh(&inc.env, &err), EF_OK);
	ck_assert_int_eq(store_forecasts_stale(inc.s, inc.env.today, &ids, &n, &total, &err), EF_OK);
	ck_assert_uint_eq(n, 0);
	free(ids);
	kept_equal_fresh(&inc, "after the refresh", 1);
	/* check --all of an earlier day evaluates every patient's rules but
	 * keeps no forecast of that day: today's stay, and hold */
	struct ef_check_counts c = {0};
	ck_assert_int_eq(app_check_clinic(&inc.env, inc.env.today - 10, NULL, 1, &c, &err), EF_OK);
	ck_assert_int_eq(c.evaluated, PATIENTS);
	ck_assert_int_eq(store_forecasts_stale(inc.s, inc.env.today, &ids, &n, &total, &err), EF_OK);
	ck_assert_uint_eq(n, 0);
	free(ids);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("kept");
	TCase *tc = tcase_create("kept");
	tcase_set_timeout(tc, 600);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, incremental_check_equals_full_check);
	tcase_add_test(tc, stale_kept_forecasts_are_computed);
	suite_add_tcase(s, tc);
	return tu_run_suite(s);
}
