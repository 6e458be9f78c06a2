/* engraftment.c - neutrophil/platelet engraftment and graft failure
 * (see engraftment.h for the exact rules). */
#include "engraft/engraftment.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* ---- shared helpers ---------------------------------------------------- */

static int rank(int ge)
{
	return ge == 0 ? 0 : ge < 0 ? 1 : 2;
}

static int cmp_dayval(const void *a, const void *b)
{
	const struct ef_dayval *x = a, *y = b;
	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	if (rank(x->ge) != rank(y->ge))
		return rank(x->ge) < rank(y->ge) ? -1 : 1;
	return x->value < y->value ? -1 : x->value > y->value ? 1 : 0;
}

int ef_day_series(const struct ef_timeline *tl, enum ef_test test, ef_day lo, ef_day hi, double threshold,
		  struct ef_dayval **out, size_t *n, struct ef_err *err)
{
	size_t cnt = 0;
	*out = NULL;
	*n = 0;
	for (size_t i = 0; i < tl->n_labs; i++)
		if (tl->labs[i].test == test && tl->labs[i].day >= lo && tl->labs[i].day <= hi)
			cnt++;
	if (cnt == 0)
		return EF_OK;
	struct ef_dayval *v = malloc(cnt * sizeof *v);
	if (!v)
		return ef_errf(err, EF_DB, "out of memory");
	size_t k = 0;
	for (size_t i = 0; i < tl->n_labs; i++) {
		const struct ef_lab *l = &tl->labs[i];
		if (l->test != test || l->day < lo || l->day > hi)
			continue;
		v[k].day = l->day;
		v[k].qual = l->qual;
		v[k].value = l->value;
		v[k].ge = ef_qual_ge(l->qual, l->value, threshold);
		k++;
	}
	qsort(v, cnt, sizeof *v, cmp_dayval);
	/* Sorted by day, then worst first: keep the first of each day. */
	size_t m = 0;
	for (size_t i = 0; i < cnt; i++)
		if (m == 0 || v[m - 1].day != v[i].day)
			v[m++] = v[i];
	*out = v;
	*n = m;
	return EF_OK;
}

ef_day ef_transplant_last_day(const struct ef_timeline *tl, const struct ef_transplant *tp, ef_day as_of)
{
	ef_day last = as_of;
	for (size_t i = 0; i < tl->n_transplants; i++) {
		ef_day d = tl->transplants[i].day0;
		if (d > tp->day0 && d - 1 < last)
			last = d - 1;
	}
	return last;
}

void ef_format_value(char *buf, size_t size, enum ef_qual q, double v)
{
	snprintf(buf, size, "%s%g", q == EF_Q_LT ? "<" : q == EF_Q_GT ? ">" : "", v);
}

/* ---- runs -------------------------------------------------------------- */

static void recovery_init(struct ef_recovery *r, double threshold)
{
	memset(r, 0, sizeof *r);
	r->threshold = threshold;
	r->start = r->date = r->run_from = r->first_unknown = EF_NO_DAY;
}

/* Scan days[] (ok[i]: 1 qualifies, 0 does not, -1 undecidable) from r->start
 * for the first run of run_len qualifying days. Returns the index of the
 * day that completed the run, or n. */
static size_t scan_run(const struct ef_dayval *days, const int *ok, size_t n, int run_len,
		       struct ef_recovery *r)
{
	r->run_len = 0;
	r->run_from = EF_NO_DAY;
	if (r->start == EF_NO_DAY)
		return n;
	for (size_t i = 0; i < n; i++) {
		if (days[i].day < r->start)
			continue;
		if (ok[i] == 1) {
			if (r->run_len++ == 0)
				r->run_from = days[i].day;
			if (r->run_len == run_len) {
				r->date = r->run_from;
				r->run_len = 0;
				r->run_from = EF_NO_DAY;
				return i;
			}
			continue;
		}
		if (ok[i] < 0 && r->n_unknown++ == 0)
			r->first_unknown = days[i].day;
		r->run_len = 0;
		r->run_from = EF_NO_DAY;
	}
	return n;
}

/* Past the deadline without a date, counting started in time and no run
 * that started in time is still open (docs/clinical-rules.md s.4.1). */
static int missed(const struct ef_recovery *r, ef_day deadline, ef_day as_of)
{
	if (as_of <= deadline || r->date != EF_NO_DAY || r->start == EF_NO_DAY || r->start > deadline)
		return 0;
	return !(r->run_len > 0 && r->run_from <= deadline);
}

/* ---- neutrophils ------------------------------------------------------- */

static ef_day secondary_failure(const struct ef_dayval *d, size_t n, size_t from, int sgf_run, int anc_run)
{
	ef_day failed = EF_NO_DAY, first = EF_NO_DAY;
	int run = 0;
	for (size_t i = from; i < n; i++) {
		int hit = failed == EF_NO_DAY ? d[i].ge == 0 : d[i].ge == 1;
		if (!hit) {
			run = 0;
			continue;
		}
		if (run++ == 0)
			first = d[i].day;
		if (failed == EF_NO_DAY && run == sgf_run) {
			failed = first;
			run = 0;
		} else if (failed != EF_NO_DAY && run == anc_run) {
			failed = EF_NO_DAY; /* recovered */
			run = 0;
		}
	}
	return failed;
}

static ef_day gf_deadline(const struct ef_reference *ref, const struct ef_transplant *tp)
{
	enum ef_param p = tp->graft == EF_GRAFT_CORD_BLOOD        ? EF_P_GF_DAY_CORD_BLOOD
			  : tp->graft == EF_GRAFT_PERIPHERAL_BLOOD ? EF_P_GF_DAY_PERIPHERAL_BLOOD
								   : EF_P_GF_DAY_BONE_MARROW;
	return tp->day0 + ef_ref_int(ref, p);
}

static int eval_anc(const struct ef_timeline *tl, const struct ef_transplant *tp,
		    const struct ef_reference *ref, ef_day as_of, ef_day last, struct ef_engraftment *out,
		    struct ef_err *err)
{
	struct ef_dayval *d;
	size_t n;
	int rc = ef_day_series(tl, EF_T_ANC, tp->day0, last, ef_ref_num(ref, EF_P_ANC_THRESHOLD), &d, &n, err);
	if (rc)
		return rc;
	int *ok = malloc((n ? n : 1) * sizeof *ok);
	if (!ok) {
		free(d);
		return ef_errf(err, EF_DB, "out of memory");
	}
	struct ef_recovery *r = &out->anc;
	r->n_days = (int)n;
	for (size_t i = 0; i < n; i++) {
		ok[i] = d[i].ge;
		if (r->start == EF_NO_DAY && d[i].ge == 0)
			r->start = d[i].day;
	}
	int anc_run = ef_ref_int(ref, EF_P_ANC_RUN);
	size_t done = scan_run(d, ok, n, anc_run, r);
	out->anc_deadline = gf_deadline(ref, tp);
	if (r->date != EF_NO_DAY)
		out->secondary_failure =
			secondary_failure(d, n, done + 1, ef_ref_int(ref, EF_P_SGF_RUN), anc_run);
	if (n == 0)
		out->status = EF_ENGRAFT_PENDING;
	else if (r->start == EF_NO_DAY)
		out->status = EF_ENGRAFT_NOT_APPLICABLE;
	else if (r->date != EF_NO_DAY)
		out->status = EF_ENGRAFT_ENGRAFTED;
	else if (missed(r, out->anc_deadline, as_of))
		out->status = EF_ENGRAFT_GRAFT_FAILURE;
	else {
		out->status = EF_ENGRAFT_PENDING;
		if (missed(r, out->anc_deadline, out->anc_deadline + 1)) /* missed from the day after it */
			ef_until(&out->next_change, as_of, out->anc_deadline + 1);
	}
	free(ok);
	free(d);
	return EF_OK;
}

/* ---- platelets --------------------------------------------------------- */

/* Latest platelet transfusion on or before day, or EF_NO_DAY. */
static ef_day last_platelets(const struct ef_timeline *tl, ef_day day)
{
	ef_day best = EF_NO_DAY;
	for (size_t i = 0; i < tl->n_transfusions; i++) {
		const struct ef_transfusion *t = &tl->transfusions[i];
		if (t->product == EF_PROD_PLATELETS && t->day <= day && (best == EF_NO_DAY || t->day > best))
			best = t->day;
	}
	return best;
}

static ef_day first_platelets(const struct ef_timeline *tl, ef_day lo, ef_day hi)
{
	ef_day best = EF_NO_DAY;
	for (size_t i = 0; i < tl->n_transfusions; i++) {
		const struct ef_transfusion *t = &tl->transfusions[i];
		if (t->product == EF_PROD_PLATELETS && t->day >= lo && t->day <= hi &&
		    (best == EF_NO_DAY || t->day < best))
			best = t->day;
	}
	return best;
}

static int eval_plt_threshold(const struct ef_timeline *tl, const struct ef_transplant *tp,
			      const struct ef_reference *ref, ef_day last, double thr, struct ef_recovery *r,
			      struct ef_err *err)
{
	struct ef_dayval *d;
	size_t n;
	recovery_init(r, thr);
	int rc = ef_day_series(tl, EF_T_PLT, tp->day0, last, thr, &d, &n, err);
	if (rc)
		return rc;
	int *ok = malloc((n ? n : 1) * sizeof *ok);
	if (!ok) {
		free(d);
		return ef_errf(err, EF_DB, "out of memory");
	}
	int washout = ef_ref_int(ref, EF_P_PLT_TRANSFUSION_FREE);
	r->n_days = (int)n;
	r->start = first_platelets(tl, tp->day0, last);
	for (size_t i = 0; i < n; i++) {
		ef_day tx = last_platelets(tl, d[i].day);
		int free_of_tx = tx == EF_NO_DAY || d[i].day - tx >= washout;
		ok[i] = free_of_tx ? d[i].ge : 0;
		if (d[i].ge == 0 && (r->start == EF_NO_DAY || d[i].day < r->start))
			r->start = d[i].day;
	}
	scan_run(d, ok, n, ef_ref_int(ref, EF_P_PLT_RUN), r);
	free(ok);
	free(d);
	return EF_OK;
}

static int eval_plt(const struct ef_timeline *tl, const struct ef_transplant *tp,
		    const struct ef_reference *ref, ef_day as_of, ef_day last, struct ef_engraftment *out,
		    struct ef_err *err)
{
	int rc = eval_plt_threshold(tl, tp, ref, last, ef_ref_num(ref, EF_P_PLT_THRESHOLD), &out->plt, err);
	if (rc)
		return rc;
	rc = eval_plt_threshold(tl, tp, ref, last, ef_ref_num(ref, EF_P_PLT_THRESHOLD_HIGH), &out->plt_high,
				err);
	if (rc)
		return rc;
	const struct ef_recovery *r = &out->plt;
	out->plt_deadline = tp->day0 + ef_ref_int(ref, EF_P_PLT_DELAYED_DAY);
	if (r->start == EF_NO_DAY)
		out->plt_status = r->n_days == 0 ? EF_PLT_PENDING : EF_PLT_NOT_APPLICABLE;
	else if (r->date != EF_NO_DAY)
		out->plt_status = EF_PLT_ENGRAFTED;
	else if (missed(r, out->plt_deadline, as_of))
		out->plt_status = EF_PLT_DELAYED;
	else {
		out->plt_status = EF_PLT_PENDING;
		if (missed(r, out->plt_deadline, out->plt_deadline + 1)) /* missed from the day after it */
			ef_until(&out->next_change, as_of, out->plt_deadline + 1);
	}
	return EF_OK;
}

/* ---- entry point ------------------------------------------------------- */

int ef_engraftment_eval(const struct ef_timeline *tl, const struct ef_transplant *tp,
			const struct ef_reference *ref, ef_day as_of, struct ef_engraftment *out,
			struct ef_err *err)
{
	memset(out, 0, sizeof *out);
	out->day0 = tp->day0;
	out->secondary_failure = EF_NO_DAY;
	out->next_change = EF_DAY_NEVER;
	recovery_init(&out->anc, ef_ref_num(ref, EF_P_ANC_THRESHOLD));
	recovery_init(&out->plt, ef_ref_num(ref, EF_P_PLT_THRESHOLD));
	recovery_init(&out->plt_high, ef_ref_num(ref, EF_P_PLT_THRESHOLD_HIGH));
	if (!ef_hct_type_engrafts(tp->type)) {
		/* a cellular therapy (CAR-T): no stem cells, nothing engrafts; no
		 * deadline, so no graft-failure or delay finding either */
		out->status = EF_ENGRAFT_NOT_APPLICABLE;
		out->plt_status = EF_PLT_NOT_APPLICABLE;
		out->anc_deadline = out->plt_deadline = EF_NO_DAY;
		out->not_engraftable = 1;
		return EF_OK;
	}
	ef_day last = ef_transplant_last_day(tl, tp, as_of);
	int rc = eval_anc(tl, tp, ref, as_of, last, out, err);
	if (rc)
		return rc;
	return eval_plt(tl, tp, ref, as_of, last, out, err);
}

const char *ef_engraft_status_str(enum ef_engraft_status s)
{
	switch (s) {
	case EF_ENGRAFT_PENDING:
		return "pending";
	case EF_ENGRAFT_ENGRAFTED:
		return "engrafted";
	case EF_ENGRAFT_GRAFT_FAILURE:
		return "graft_failure";
	case EF_ENGRAFT_NOT_APPLICABLE:
		return "not_applicable";
	}
	return "";
}

const char *ef_plt_status_str(enum ef_plt_status s)
{
	switch (s) {
	case EF_PLT_PENDING:
		return "pending";
	case EF_PLT_ENGRAFTED:
		return "engrafted";
	case EF_PLT_DELAYED:
		return "delayed";
	case EF_PLT_NOT_APPLICABLE:
		return "not_applicable";
	}
	return "";
}
