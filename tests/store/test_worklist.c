/* test_worklist.c - the clinic worklists by keyset pages over the kept
 * forecasts (src/store/worklist.c, schema 019): on a demo cohort, for each
 * list, each `d` set of sections and several typed filters, the pages read
 * forward and concatenated are the whole list in order, the pages read
 * backward are it reversed, the counts are its sections' sizes, and a page
 * read from just before a row begins with that row. The expected list is
 * made here from the kept forecasts read whole (store_each_kept_due /
 * _followup), filtered and sorted independently. A dose recorded for a
 * patient moves its rows. */
#include <check.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../testutil.h"
#include "engraft/app.h"
#include "engraft/demo.h"
#include "engraft/keptstore.h"
#include "engraft/refstore.h"
#include "engraft/worklist.h"

#define AS_OF_S "2025-06-30"
#define TODAY_S "2025-07-15"
#define PATIENTS 300

static ef_day day(const char *s)
{
	ef_day d;
	ck_assert_int_eq(ef_date_parse(s, strlen(s), &d), 0);
	return d;
}

struct fx {
	char *dir;
	struct store *s;
	struct ef_reference ref;
	struct store_staff me;
	struct app_env env;
};

static void fx_open(struct fx *f)
{
	struct ef_err err;
	f->dir = tu_tmpdir();
	f->s = tu_open(f->dir, "wl.db");
	ck_assert_int_eq(store_reference_load(f->s, &f->ref, &err), EF_OK);
	ck_assert_int_eq(app_sign_on(f->s, &f->me, &err), EF_OK);
	struct ef_demo_opts o = {PATIENTS, 7, day(AS_OF_S), &f->ref};
	struct ef_demo_counts c;
	ck_assert_msg(ef_demo_generate(f->s, &o, &c, &err) == EF_OK, "demo: %s", err.msg);
	f->env = (struct app_env){f->s, &f->ref, day(TODAY_S), &f->me};
	ck_assert_msg(app_forecasts_refresh(&f->env, &err) == EF_OK, "refresh: %s", err.msg);
}

static void fx_close(struct fx *f)
{
	ef_reference_free(&f->ref);
	store_close(f->s);
	tu_rmdir(f->dir);
}

/* ---- the expected list, made without the worklist's queries ---- */

struct xrow {
	struct store_wl_key k;
	char mrn[64], name[300], code[32], tp[16];
};

struct xlist {
	struct xrow *v;
	size_t n, cap;
	int64_t last_pid, ord;
	enum store_wl_kind kind;
	ef_day today;
	const char *filter;
	unsigned sections;
};

static int low(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

static int has(const char *text, const char *w, size_t n)
{
	for (const char *t = text; *t; t++) {
		size_t i = 0;
		while (i < n && t[i] && low((unsigned char)t[i]) == low((unsigned char)w[i]))
			i++;
		if (i == n)
			return 1;
	}
	return 0;
}

static int passes(const char *filter, const char *const *texts, size_t nt)
{
	for (const char *p = filter ? filter : "";;) {
		while (*p == ' ')
			p++;
		if (!*p)
			return 1;
		size_t n = strcspn(p, " ");
		int found = 0;
		for (size_t i = 0; i < nt; i++)
			found |= has(texts[i], p, n);
		if (!found)
			return 0;
		p += n;
	}
}

static int xcmp(const void *x, const void *y)
{
	const struct store_wl_key *a = &((const struct xrow *)x)->k, *b = &((const struct xrow *)y)->k;
	if (a->sec != b->sec)
		return a->sec - b->sec;
	if (a->seg != b->seg)
		return a->seg - b->seg;
	int c = strcmp(a->due, b->due);
	if (c)
		return c;
	if (a->patient_id != b->patient_id)
		return a->patient_id < b->patient_id ? -1 : 1;
	return a->ord < b->ord ? -1 : a->ord > b->ord;
}

static void x_add(struct xlist *l, const struct store_kept_patient *p, int sec, ef_day due, const char *code,
		  const char *tp)
{
	struct xrow r;
	memset(&r, 0, sizeof r);
	r.k.sec = sec;
	r.k.seg = due != EF_NO_DAY;
	if (due != EF_NO_DAY)
		ef_date_format(due, r.k.due);
	r.k.patient_id = p->id;
	r.k.ord = l->ord;
	snprintf(r.mrn, sizeof r.mrn, "%s", p->mrn);
	snprintf(r.name, sizeof r.name, "%s, %s", p->family_name, p->given_name);
	snprintf(r.code, sizeof r.code, "%s", code);
	snprintf(r.tp, sizeof r.tp, "%s", tp);
	const char *texts[] = {r.mrn, r.name, r.code, r.tp};
	if (!(l->sections & (1u << sec)) || !passes(l->filter, texts, 4))
		return;
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 256;
		l->v = realloc(l->v, l->cap * sizeof *l->v);
		ck_assert_ptr_nonnull(l->v);
	}
	l->v[l->n++] = r;
}

static void x_next(struct xlist *l, int64_t pid)
{
	if (pid != l->last_pid) {
		l->last_pid = pid;
		l->ord = 0;
	} else {
		l->ord++;
	}
}

static int x_due(void *ctx, const struct store_kept_patient *p, const struct ef_due *d, struct ef_err *err)
{
	(void)err;
	struct xlist *l = ctx;
	ck_assert_msg(p->kept, "patient %s: kept forecast stale after the refresh", p->mrn);
	if (!d)
		return EF_OK;
	x_next(l, p->id);
	int sec = d->status == EF_DUE_OVERDUE ? STORE_WL_OVERDUE : d->status == EF_DUE_DUE ? STORE_WL_DUE
		  : d->status == EF_DUE_BLOCKED ? STORE_WL_BLOCKED : -1;
	if (sec < 0 && d->due_on != EF_NO_DAY && d->due_on <= l->today + STORE_WL_VACCINE_SOON_DAYS)
		sec = STORE_WL_SOON;
	if (sec >= 0)
		x_add(l, p, sec, d->due_on, d->series, "");
	return EF_OK;
}

static int x_fu(void *ctx, const struct store_kept_patient *p, const struct ef_fu_entry *e, struct ef_err *err)
{
	(void)err;
	struct xlist *l = ctx;
	ck_assert_msg(p->kept, "patient %s: kept calendar stale after the refresh", p->mrn);
	if (!e)
		return EF_OK;
	x_next(l, p->id);
	int sec = e->status == EF_FU_OVERDUE ? STORE_WL_OVERDUE : e->status == EF_FU_DUE ? STORE_WL_DUE : -1;
	if (e->status == EF_FU_UPCOMING && e->due_on <= l->today + STORE_WL_FOLLOWUP_SOON_DAYS)
		sec = STORE_WL_SOON;
	if (sec >= 0)
		x_add(l, p, sec, e->due_on, e->item, e->time_point);
	return EF_OK;
}

static struct xlist expected(struct fx *f, enum store_wl_kind kind, const char *filter, unsigned sections)
{
	struct xlist l = {NULL, 0, 0, -1, 0, kind, f->env.today, filter, sections};
	struct ef_err err;
	int rc = kind == STORE_WL_VACCINES ? store_each_kept_due(f->s, f->env.today, NULL, x_due, &l, &err)
					   : store_each_kept_followup(f->s, f->env.today, NULL, x_fu, &l, &err);
	ck_assert_msg(rc == EF_OK, "kept: %s", err.msg);
	if (l.n)
		qsort(l.v, l.n, sizeof *l.v, xcmp);
	return l;
}

/* ---- the pages against it ---- */

static void same_row(const struct xrow *x, const struct store_wl_row *r, const char *what, size_t i)
{
	ck_assert_msg(xcmp(x, &(struct xrow){.k = r->key}) == 0 && strcmp(x->mrn, r->mrn) == 0 &&
			      strcmp(x->code, r->code) == 0 && strcmp(x->name, r->name) == 0,
		      "%s row %zu: expected %s %s sec %d %s, read %s %s sec %d %s", what, i, x->mrn, x->code, x->k.sec,
		      x->k.due, r->mrn, r->code, r->key.sec, r->key.due);
	if (x->tp[0])
		ck_assert_str_eq(x->tp, r->time_point);
}

/* Every check of one list, compiled filter and set of sections; returns
 * the rows. */
static size_t check_with(struct fx *f, enum store_wl_kind kind, const char *text, unsigned sections,
			 const struct store_wl_filter *flt)
{
	struct ef_err err;
	struct xlist x = expected(f, kind, text, sections);
	struct store_wl_query q = {kind, f->env.today, sections, flt};
	/* counts */
	int64_t c[STORE_WL_SECTIONS], want[STORE_WL_SECTIONS] = {0};
	ck_assert_int_eq(store_wl_counts(f->s, &q, c, &err), EF_OK);
	for (size_t i = 0; i < x.n; i++)
		want[x.v[i].k.sec]++;
	for (int s = 0; s < STORE_WL_SECTIONS; s++)
		ck_assert_msg(c[s] == want[s], "'%s' %x: section %d counted %lld, has %lld", text ? text : "", sections, s,
			      (long long)c[s], (long long)want[s]);
	/* counted up to a cap through the indexes: at least the cap, said as -cap
	 * (a listed filter counts its keys exactly) */
	struct store_wl_query qc = q;
	qc.count_cap = 5;
	ck_assert_int_eq(store_wl_counts(f->s, &qc, c, &err), EF_OK);
	for (int s = 0; s < STORE_WL_SECTIONS; s++) {
		int64_t w = flt && !store_wl_filter_listed(flt) && want[s] >= 5 ? -5 : want[s];
		ck_assert_msg(c[s] == w, "'%s' %x: section %d counted up to 5: %lld, expected %lld", text ? text : "",
			      sections, s, (long long)c[s], (long long)w);
	}
	/* forward, 7 at a time */
	enum { PG = 7 };
	struct store_wl_row *pg = malloc(PG * sizeof *pg);
	ck_assert_ptr_nonnull(pg);
	size_t at = 0, n;
	struct store_wl_key k;
	int first = 1;
	for (;;) {
		ck_assert_int_eq(store_wl_page(f->s, &q, first ? NULL : &k, 0, pg, PG, &n, &err), EF_OK);
		for (size_t i = 0; i < n; i++, at++) {
			ck_assert_msg(at < x.n, "'%s': more rows forward than %zu", text ? text : "", x.n);
			same_row(&x.v[at], &pg[i], "forward", at);
		}
		if (n < PG)
			break;
		k = pg[n - 1].key;
		first = 0;
	}
	ck_assert_msg(at == x.n, "'%s' %x: %zu rows forward, expected %zu", text ? text : "", sections, at, x.n);
	/* backward, 7 at a time, nearest first */
	first = 1;
	at = x.n;
	for (;;) {
		ck_assert_int_eq(store_wl_page(f->s, &q, first ? NULL : &k, 1, pg, PG, &n, &err), EF_OK);
		for (size_t i = 0; i < n; i++) {
			ck_assert_msg(at > 0, "'%s': more rows backward", text ? text : "");
			at--;
			same_row(&x.v[at], &pg[i], "backward", at);
		}
		if (n < PG)
			break;
		k = pg[n - 1].key;
		first = 0;
	}
	ck_assert_msg(at == 0, "'%s': backward stopped at %zu", text ? text : "", at);
	/* from just before a row: that row first */
	for (size_t i = 0; i < x.n; i += 1 + x.n / 5) {
		k = x.v[i].k;
		store_wl_key_before(&k);
		ck_assert_int_eq(store_wl_page(f->s, &q, &k, 0, pg, 1, &n, &err), EF_OK);
		ck_assert_int_eq(n, 1);
		same_row(&x.v[i], &pg[0], "from before", i);
	}
	free(pg);
	free(x.v);
	return x.n;
}

static size_t check_list(struct fx *f, enum store_wl_kind kind, const char *text, unsigned sections, int *listed)
{
	struct ef_err err;
	struct store_wl_filter *flt = NULL;
	ck_assert_int_eq(store_wl_filter_new(f->s, kind, f->env.today, text, NULL, &flt, &err), EF_OK);
	if (listed)
		*listed = store_wl_filter_listed(flt);
	size_t n = check_with(f, kind, text, sections, flt);
	store_wl_filter_free(flt);
	return n;
}

#define ALL_VAC ((1u << STORE_WL_OVERDUE) | (1u << STORE_WL_DUE) | (1u << STORE_WL_SOON) | (1u << STORE_WL_BLOCKED))
#define ALL_FU ((1u << STORE_WL_OVERDUE) | (1u << STORE_WL_DUE) | (1u << STORE_WL_SOON))

/* A name fragment of one patient who has rows: few patients share it. */
static void a_fragment(struct fx *f, enum store_wl_kind kind, char *out, size_t size)
{
	struct xlist x = expected(f, kind, NULL, kind == STORE_WL_VACCINES ? ALL_VAC : ALL_FU);
	ck_assert_uint_gt(x.n, 0);
	const char *name = x.v[x.n / 2].name;
	snprintf(out, size, "%.5s", name);
	free(x.v);
}

START_TEST(vaccine_pages_are_the_whole_list_in_order)
{
	struct fx f;
	fx_open(&f);
	char frag[16];
	a_fragment(&f, STORE_WL_VACCINES, frag, sizeof frag);
	const unsigned sets[] = {ALL_VAC, (1u << STORE_WL_DUE) | (1u << STORE_WL_SOON), 1u << STORE_WL_OVERDUE,
				 1u << STORE_WL_BLOCKED};
	const char *filters[] = {NULL, "", "a", frag, "mmr", "demo0001 var", "DEMO00015", "%", "_", "zzzz", "mm r"};
	int listed_seen = 0, scanned_seen = 0;
	for (size_t si = 0; si < sizeof sets / sizeof sets[0]; si++)
		for (size_t fi = 0; fi < sizeof filters / sizeof filters[0]; fi++) {
			int listed = 0;
			size_t n = check_list(&f, STORE_WL_VACCINES, filters[fi], sets[si], &listed);
			if (si == 0 && fi == 0)
				ck_assert_uint_gt(n, 40); /* several pages */
			if (filters[fi] && filters[fi][0]) {
				listed_seen |= listed;
				scanned_seen |= !listed;
			}
		}
	ck_assert_msg(listed_seen && scanned_seen, "both ways of filtering: listed %d scanned %d", listed_seen,
		      scanned_seen);
	fx_close(&f);
}
END_TEST

START_TEST(followup_pages_are_the_whole_list_in_order)
{
	struct fx f;
	fx_open(&f);
	char frag[16];
	a_fragment(&f, STORE_WL_FOLLOWUPS, frag, sizeof frag);
	const unsigned sets[] = {ALL_FU, 1u << STORE_WL_OVERDUE, 1u << STORE_WL_DUE, 1u << STORE_WL_SOON};
	const char *filters[] = {NULL, "a", frag, "cibmtr", "m12", "demo0002 y1", "DEMO00015 dental", "%", "zzzz"};
	for (size_t si = 0; si < sizeof sets / sizeof sets[0]; si++)
		for (size_t fi = 0; fi < sizeof filters / sizeof filters[0]; fi++) {
			size_t n = check_list(&f, STORE_WL_FOLLOWUPS, filters[fi], sets[si], NULL);
			if (si == 0 && fi == 0)
				ck_assert_uint_gt(n, 40);
		}
	fx_close(&f);
}
END_TEST

/* Typing on: each filter made from the one before (only its rows looked
 * at again) lists what a filter made afresh lists. */
START_TEST(typing_on_narrows_the_rows_before)
{
	struct fx f;
	fx_open(&f);
	struct ef_err err;
	for (int kind = 0; kind < 2; kind++) {
		char frag[16];
		a_fragment(&f, (enum store_wl_kind)kind, frag, sizeof frag);
		char chain[6][40];
		snprintf(chain[0], sizeof chain[0], "%.2s", frag);
		snprintf(chain[1], sizeof chain[1], "%.3s", frag);
		snprintf(chain[2], sizeof chain[2], "%.5s", frag);
		snprintf(chain[3], sizeof chain[3], "%.5s %s", frag, kind ? "c" : "m");
		snprintf(chain[4], sizeof chain[4], "%.5s %s", frag, kind ? "cibmtr" : "mmr");
		snprintf(chain[5], sizeof chain[5], "%.4s", frag); /* wider again: made afresh */
		unsigned all = kind ? ALL_FU : ALL_VAC;
		struct store_wl_filter *prev = NULL;
		int refined = 0;
		for (int i = 0; i < 6; i++) {
			struct store_wl_filter *flt = NULL;
			ck_assert_int_eq(store_wl_filter_new(f.s, (enum store_wl_kind)kind, f.env.today, chain[i], prev, &flt,
							     &err), EF_OK);
			refined += prev && store_wl_filter_listed(prev) && store_wl_filter_listed(flt);
			check_with(&f, (enum store_wl_kind)kind, chain[i], all, flt);
			check_with(&f, (enum store_wl_kind)kind, chain[i], 1u << STORE_WL_OVERDUE, flt);
			store_wl_filter_free(prev);
			prev = flt;
		}
		store_wl_filter_free(prev);
		ck_assert_int_gt(refined, 1);
	}
	fx_close(&f);
}
END_TEST

/* A database of schema 017 with kept forecasts (no 018 needed) migrates:
 * the worklist indexes replace 017's and the counts are those of its rows. */
START_TEST(schema_019_applies_over_017)
{
	struct fx f;
	fx_open(&f);
	store_close(f.s);
	char path[4096];
	snprintf(path, sizeof path, "%s/wl.db", f.dir);
	sqlite3 *h;
	ck_assert_int_eq(sqlite3_open(path, &h), SQLITE_OK);
	const char *back =
		"DROP TRIGGER worklist_vaccines_insert; DROP TRIGGER worklist_vaccines_delete; "
		"DROP TRIGGER worklist_vaccines_update; DROP TRIGGER worklist_followups_insert; "
		"DROP TRIGGER worklist_followups_delete; DROP TRIGGER worklist_followups_update; DROP TABLE worklist_counts; "
		"DROP INDEX vaccine_forecasts_worklist; DROP INDEX followup_forecasts_worklist; "
		"CREATE INDEX vaccine_forecasts_status ON vaccine_forecasts (status, due_on, patient_id, ord); "
		"CREATE INDEX followup_forecasts_status ON followup_forecasts (status, due_on, patient_id, ord); "
		"DELETE FROM vaccine_forecasts WHERE patient_id = 1; PRAGMA user_version = 17";
	ck_assert_msg(sqlite3_exec(h, back, NULL, NULL, NULL) == SQLITE_OK, "%s", sqlite3_errmsg(h));
	sqlite3_close(h);
	f.s = tu_open(f.dir, "wl.db"); /* migrates */
	ck_assert_int_eq(store_schema_version(f.s), store_schema_latest());
	check_list(&f, STORE_WL_VACCINES, NULL, ALL_VAC, NULL);
	check_list(&f, STORE_WL_FOLLOWUPS, NULL, ALL_FU, NULL);
	ck_assert_int_eq(sqlite3_open(path, &h), SQLITE_OK);
	sqlite3_stmt *st;
	ck_assert_int_eq(sqlite3_prepare_v2(h, "SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND name IN "
					       "('vaccine_forecasts_worklist', 'followup_forecasts_worklist', "
					       "'vaccine_forecasts_status', 'followup_forecasts_status')",
					    -1, &st, NULL),
			 SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	ck_assert_int_eq(sqlite3_column_int(st, 0), 2);
	sqlite3_finalize(st);
	sqlite3_close(h);
	fx_close(&f);
}
END_TEST

/* A dose recorded: the patient's row of that series leaves its place (the
 * next dose, if listed, is elsewhere) and the list is again the kept one. */
START_TEST(a_recorded_dose_moves_the_patients_rows)
{
	struct fx f;
	fx_open(&f);
	struct ef_err err;
	struct store_wl_query q = {STORE_WL_VACCINES, f.env.today, 1u << STORE_WL_OVERDUE, NULL};
	struct store_wl_row r;
	size_t n;
	ck_assert_int_eq(store_wl_page(f.s, &q, NULL, 0, &r, 1, &n, &err), EF_OK);
	ck_assert_int_eq(n, 1);
	struct store_wl_key was = r.key;
	char series[128];
	snprintf(series, sizeof series, "%s", r.code);
	int found = 0;
	struct store_wl_key k;
	ck_assert_int_eq(store_wl_find(f.s, &q, was.patient_id, series, &k, &found, &err), EF_OK);
	ck_assert(found);
	ck_assert_int_eq(k.ord, was.ord);
	int64_t before[STORE_WL_SECTIONS];
	ck_assert_int_eq(store_wl_counts(f.s, &q, before, &err), EF_OK);
	struct store_vaccination_rec v = {was.patient_id, series, TODAY_S, "LOT-1", "left deltoid", NULL};
	v.source = "administered";
	v.source_given = 1;
	struct app_saved saved;
	ck_assert_msg(app_record_dose(&f.env, &v, &saved, &err) == EF_OK, "record: %s", err.msg);
	/* the first overdue row is no longer that dose */
	ck_assert_int_eq(store_wl_page(f.s, &q, NULL, 0, &r, 1, &n, &err), EF_OK);
	ck_assert(n == 0 || r.key.patient_id != was.patient_id || strcmp(r.code, series) != 0);
	int64_t after[STORE_WL_SECTIONS];
	ck_assert_int_eq(store_wl_counts(f.s, &q, after, &err), EF_OK);
	ck_assert_int_lt(after[STORE_WL_OVERDUE], before[STORE_WL_OVERDUE]);
	/* the same series of the patient, if overdue still, is a later dose */
	ck_assert_int_eq(store_wl_find(f.s, &q, was.patient_id, series, &k, &found, &err), EF_OK);
	if (found)
		ck_assert_int_ne(strcmp(k.due, was.due), 0);
	check_list(&f, STORE_WL_VACCINES, NULL, ALL_VAC, NULL);
	fx_close(&f);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("worklist");
	TCase *tc = tcase_create("pages");
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, vaccine_pages_are_the_whole_list_in_order);
	tcase_add_test(tc, followup_pages_are_the_whole_list_in_order);
	tcase_add_test(tc, typing_on_narrows_the_rows_before);
	tcase_add_test(tc, a_recorded_dose_moves_the_patients_rows);
	tcase_add_test(tc, schema_019_applies_over_017);
	suite_add_tcase(s, tc);
	return tu_run_suite(s);
}
