/* next_change over the demo cohort (issue 15; docs/architecture.md, "When
 * findings can change"): for every demo patient, walk from the demo's
 * as-of over WALK_DAYS days, jumping to the next_change of the findings,
 * the vaccine forecast and the follow-up calendar each time, and check that
 * every day in between gives the same output as the day jumped from.
 * Every day is evaluated (about 0.4 ms under ASan), so the cohort is kept
 * to 80 patients: 40,000 patient-days. */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../testutil.h"
#include "engraft/app.h"
#include "engraft/followup.h"
#include "engraft/refstore.h"
#include "engraft/rules.h"
#include "engraft/vaccines.h"

#define AS_OF_S "2025-06-01"
#define PATIENTS 80
#define WALK_DAYS 500

struct sb {
	char *s;
	size_t n, cap;
};

#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void put(struct sb *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	ck_assert_int_ge(len, 0);
	if (b->n + (size_t)len + 1 > b->cap) {
		size_t nc = (b->n + (size_t)len + 1) * 2;
		char *p = realloc(b->s, nc);
		ck_assert_ptr_nonnull(p);
		b->s = p;
		b->cap = nc;
	}
	va_start(ap, fmt);
	vsnprintf(b->s + b->n, b->cap - b->n, fmt, ap);
	va_end(ap);
	b->n += (size_t)len;
}

/* Findings, forecast and follow-up calendar as of as_of as text
 * (malloc'ed); *nc = the earliest of their next_change, *fnc = the
 * findings' alone. */
static char *everything(const struct ef_timeline *tl, const struct ef_reference *ref, ef_day as_of, ef_day *nc,
			ef_day *fnc)
{
	struct sb b = {0};
	struct ef_err err;
	struct ef_findings f;
	struct ef_due_list v;
	struct ef_fu_list u;
	ef_findings_init(&f);
	ef_due_list_init(&v);
	ef_fu_list_init(&u);
	ck_assert_int_eq(ef_rules_evaluate(tl, ref, as_of, &f, &err), EF_OK);
	ck_assert_int_eq(ef_vaccines_forecast(tl, ref, as_of, &v, &err), EF_OK);
	ck_assert_int_eq(ef_followup_calendar(tl, ref, as_of, &u, &err), EF_OK);
	put(&b, "resolve_reason=%s\n", f.resolve_reason);
	for (size_t i = 0; i < f.n; i++)
		put(&b, "%s|%s|%s|%d|%s\n", ef_rule_id(f.v[i].rule), ef_severity_str(f.v[i].severity), f.v[i].subject,
		    (int)f.v[i].due_on, f.v[i].message);
	for (size_t i = 0; i < v.n; i++)
		put(&b, "%s|%d|%d|%s|%d|%s\n", v.v[i].series, v.v[i].dose, v.v[i].live,
		    ef_due_status_str(v.v[i].status), (int)v.v[i].due_on, v.v[i].reason);
	put(&b, "day0=%d\n", (int)u.day0);
	for (size_t i = 0; i < u.n; i++)
		put(&b, "%s|%s|%d|%s|%d|%d|%s\n", u.v[i].item, u.v[i].time_point, (int)u.v[i].due_on,
		    ef_fu_status_str(u.v[i].status), (int)u.v[i].done_on, u.v[i].registry, u.v[i].reason);
	*nc = *fnc = f.next_change;
	ef_until(nc, as_of, v.next_change);
	ef_until(nc, as_of, u.next_change);
	ck_assert_msg(*nc > as_of, "next_change %d not after %d", (int)*nc, (int)as_of);
	ef_findings_free(&f);
	ef_due_list_free(&v);
	ef_fu_list_free(&u);
	return b.s;
}

struct walk {
	const struct ef_reference *ref;
	ef_day from;
	long patients, jumps, days, next_day, changed_on_it;
	long findings_next_day; /* days the findings' own next_change was the next day */
};

static int walk_patient(void *ctx, const struct ef_timeline *tl, struct ef_err *err)
{
	(void)err;
	struct walk *w = ctx;
	ef_day end = w->from + WALK_DAYS, d = w->from, nc, fnc;
	char *at = everything(tl, w->ref, d, &nc, &fnc);
	w->findings_next_day += fnc == d + 1;
	w->patients++;
	while (d < end) {
		ef_day stop = nc < end ? nc : end;
		w->jumps++;
		w->next_day += nc == d + 1;
		for (ef_day e = d + 1; e < stop; e++) {
			ef_day other;
			char *o = everything(tl, w->ref, e, &other, &fnc);
			w->findings_next_day += fnc == e + 1;
			if (strcmp(o, at) != 0) {
				char d_s[11], e_s[11], nc_s[11];
				ef_date_format(d, d_s);
				ef_date_format(e, e_s);
				ef_date_format(nc, nc_s);
				fprintf(stderr, "before:\n%s\nafter:\n%s", at, o); /* too long for a Check message */
				ck_abort_msg("%s as of %s: next_change %s, but it changed on %s", tl->patient.mrn, d_s,
					     nc_s, e_s);
			}
			free(o);
		}
		w->days += stop - d;
		if (stop == end)
			break;
		ef_day next_nc;
		char *then = everything(tl, w->ref, stop, &next_nc, &fnc);
		w->findings_next_day += fnc == stop + 1;
		w->changed_on_it += strcmp(then, at) != 0;
		free(at);
		at = then;
		d = stop;
		nc = next_nc;
	}
	free(at);
	return EF_OK;
}

START_TEST(demo_cohort_never_changes_before_next_change)
{
	struct ef_err err;
	char *dir = tu_tmpdir();
	struct store *s = tu_open(dir, "horizon.db");
	struct ef_reference ref;
	struct store_staff me;
	ef_day as_of;
	ck_assert_int_eq(ef_date_parse(AS_OF_S, strlen(AS_OF_S), &as_of), 0);
	ck_assert_int_eq(store_reference_load(s, &ref, &err), EF_OK);
	ck_assert_int_eq(app_sign_on(s, &me, &err), EF_OK); /* the creator is the first admin */
	struct app_env env = {s, &ref, as_of, &me};
	struct ef_demo_opts o = {.patients = PATIENTS, .seed = 15, .as_of = as_of, .ref = &ref};
	struct ef_demo_counts counts;
	ck_assert_msg(app_demo(&env, &o, &counts, &err) == EF_OK, "demo: %s", err.msg);
	struct walk w = {.ref = &ref, .from = as_of};
	ck_assert_msg(store_each_timeline(s, as_of + WALK_DAYS, NULL, walk_patient, &w, &err) == EF_OK, "%s", err.msg);
	ck_assert_int_eq(w.patients, PATIENTS);
	ck_assert_int_eq(w.days, (long)PATIENTS * WALK_DAYS);
	printf("%ld patients over %d days: %ld jumps (%.1f days each), next_change = as_of + 1 on %ld; the output "
	       "changed on %ld of the days jumped to; the findings' own next_change was the next day on %ld of %ld "
	       "days\n",
	       w.patients, WALK_DAYS, w.jumps, (double)w.days / (double)w.jumps, w.next_day, w.changed_on_it,
	       w.findings_next_day, w.days);
	fflush(stdout);
	ef_reference_free(&ref);
	store_close(s);
	tu_rmdir(dir);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("app-horizon");
	TCase *tc = tcase_create("demo");
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, demo_cohort_never_changes_before_next_change);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
