/* timeline.c - load patients' timelines for the core, as of a date.
 *
 * store_each_timeline streams every table once, ordered by patient id, and
 * merges them (one pass, no per-patient queries); store_load_timeline runs
 * the per-patient variants. ?1 = as-of date text, ?2 = as-of day number,
 * ?3 = patient id (per-patient variants only).
 *
 * Status rows (schema 012) are always loaded: whether the patient is in
 * this clinic's care (engraft/vital.h) decides every finding.
 *
 * Rows entered in error (entered_in_error set, schema 006) are left out of
 * every timeline: every computation (engraftment, GVHD, vaccine forecast and
 * live gate, rules, milestones, IgG/IVIG) reads its rows from here. */
#include "store_int.h"

#include <stdlib.h>
#include <stdio.h>
#include <string.h>

struct caps {
	size_t transplants, labs, transfusions, doses, acute, chronic, is, ivig, status, followups;
};

static int grow(void **arr, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return 0;
	size_t n = *cap ? *cap * 2 : 16;
	while (n < need)
		n *= 2;
	void *p = realloc(*arr, n * elem);
	if (!p)
		return -1;
	*arr = p;
	*cap = n;
	return 0;
}

#define PUSH(tl, caps, field, nfield, capfield)                                                    \
	(grow((void **)&(tl)->field, &(caps)->capfield, (tl)->nfield + 1, sizeof *(tl)->field) ? NULL \
											       : &(tl)->field[(tl)->nfield++])

ef_day store_col_day(sqlite3_stmt *st, int col)
{
	const char *s = (const char *)sqlite3_column_text(st, col);
	ef_day d;
	if (!s || ef_date_parse(s, strlen(s), &d))
		return EF_NO_DAY;
	return d;
}

void store_bind_day(sqlite3_stmt *st, int i, ef_day d)
{
	char buf[11];
	if (d == EF_NO_DAY || d == EF_DAY_NEVER) {
		sqlite3_bind_null(st, i);
		return;
	}
	ef_date_format(d, buf);
	sqlite3_bind_text(st, i, buf, -1, SQLITE_TRANSIENT);
}

static void col_copy(char *dst, size_t size, sqlite3_stmt *st, int col)
{
	const char *v = (const char *)sqlite3_column_text(st, col);
	snprintf(dst, size, "%s", v ? v : "");
}

/* A column holding a word of core's vocabulary v: its value, or `absent`
 * when NULL or not a word (the schema's CHECKs allow only words). */
static int vocab_col(sqlite3_stmt *st, int col, enum ef_vocab v, int absent)
{
	const char *s = (const char *)sqlite3_column_text(st, col);
	int out;
	return s && ef_vocab_parse(v, s, strlen(s), &out) == 0 ? out : absent;
}

/* Append one row (columns from 1; column 0 is patient_id) to tl. */
typedef int (*append_fn)(struct ef_timeline *tl, struct caps *c, sqlite3_stmt *st);

static int add_transplant(struct ef_timeline *tl, struct caps *c, sqlite3_stmt *st)
{
	struct ef_transplant *t = PUSH(tl, c, transplants, n_transplants, transplants);
	if (!t)
		return -1;
	memset(t, 0, sizeof *t);
	t->id = sqlite3_column_int64(st, 1);
	t->day0 = store_col_day(st, 2);
	t->type = (enum ef_hct_type)vocab_col(st, 3, EF_V_HCT_TYPE, 0);
	t->graft = (enum ef_graft)vocab_col(st, 4, EF_V_GRAFT, 0);
	t->donor = (enum ef_donor)vocab_col(st, 5, EF_V_DONOR, EF_DONOR_UNKNOWN);
	t->conditioning = (enum ef_conditioning)vocab_col(st, 6, EF_V_CONDITIONING, EF_COND_UNKNOWN);
	return 0;
}

static int add_lab(struct ef_timeline *tl, struct caps *c, sqlite3_stmt *st)
{
	const char *test = (const char *)sqlite3_column_text(st, 4);
	enum ef_test t;
	if (!test || ef_test_parse(test, strlen(test), &t))
		return 0; /* not a test the core knows: skip */
	struct ef_lab *l = PUSH(tl, c, labs, n_labs, labs);
	if (!l)
		return -1;
	l->id = sqlite3_column_int64(st, 1);
	l->day = sqlite3_column_int(st, 2);
	const char *on = (const char *)sqlite3_column_text(st, 3);
	ef_day d;
	if (!on || ef_datetime_parse(on, strlen(on), &d, &l->secs))
		l->secs = -1;
	l->test = t;
	const char *q = (const char *)sqlite3_column_text(st, 5);
	l->qual = q && q[0] == '<' ? EF_Q_LT : q && q[0] == '>' ? EF_Q_GT : EF_Q_EQ;
	l->value = sqlite3_column_double(st, 6);
	return 0;
}

static int add_transfusion(struct ef_timeline *tl, struct caps *c, sqlite3_stmt *st)
{
	struct ef_transfusion *t = PUSH(tl, c, transfusions, n_transfusions, transfusions);
	if (!t)
		return -1;
	t->id = sqlite3_column_int64(st, 1);
	t->day = store_col_day(st, 2);
	t->product = (enum ef_product)vocab_col(st, 3, EF_V_PRODUCT, EF_PROD_RED_CELLS);
	return 0;
}

static int add_dose(struct ef_timeline *tl, struct caps *c, sqlite3_stmt *st)
{
	struct ef_dose *d = PUSH(tl, c, doses, n_doses, doses);
	if (!d)
		return -1;
	d->vaccination_id = sqlite3_column_int64(st, 1);
	d->day = store_col_day(st, 2);
	col_copy(d->vaccine, sizeof d->vaccine, st, 3);
	col_copy(d->series, sizeof d->series, st, 4);
	d->live = sqlite3_column_int(st, 5);
	col_copy(d->override_reason, sizeof d->override_reason, st, 6);
	return 0;
}

static int add_acute(struct ef_timeline *tl, struct caps *c, sqlite3_stmt *st)
{
	struct ef_gvhd_acute *a = PUSH(tl, c, acute, n_acute, acute);
	if (!a)
		return -1;
	a->id = sqlite3_column_int64(st, 1);
	a->day = store_col_day(st, 2);
	a->skin = sqlite3_column_int(st, 3);
	a->liver = sqlite3_column_int(st, 4);
	a->upper_gi = sqlite3_column_int(st, 5);
	a->lower_gi = sqlite3_column_int(st, 6);
	return 0;
}

static int add_chronic(struct ef_timeline *tl, struct caps *c, sqlite3_stmt *st)
{
	struct ef_gvhd_chronic *g = PUSH(tl, c, chronic, n_chronic, chronic);
	if (!g)
		return -1;
	g->id = sqlite3_column_int64(st, 1);
	g->day = store_col_day(st, 2);
	g->skin = sqlite3_column_int(st, 3);
	g->mouth = sqlite3_column_int(st, 4);
	g->eyes = sqlite3_column_int(st, 5);
	g->gi = sqlite3_column_int(st, 6);
	g->liver = sqlite3_column_int(st, 7);
	g->lungs = sqlite3_column_int(st, 8);
	g->joints = sqlite3_column_int(st, 9);
	g->genital = sqlite3_column_int(st, 10);
	return 0;
}

static int add_is(struct ef_timeline *tl, struct caps *c, sqlite3_stmt *st)
{
	struct ef_immunosuppression *i = PUSH(tl, c, is, n_is, is);
	if (!i)
		return -1;
	i->id = sqlite3_column_int64(st, 1);
	col_copy(i->drug, sizeof i->drug, st, 2);
	i->start = store_col_day(st, 3);
	i->stop = store_col_day(st, 4); /* EF_NO_DAY when NULL or stopped after as-of */
	return 0;
}

static int add_ivig(struct ef_timeline *tl, struct caps *c, sqlite3_stmt *st)
{
	struct ef_ivig *v = PUSH(tl, c, ivig, n_ivig, ivig);
	if (!v)
		return -1;
	v->id = sqlite3_column_int64(st, 1);
	v->day = store_col_day(st, 2);
	v->dose_g = sqlite3_column_type(st, 3) == SQLITE_NULL ? -1 : sqlite3_column_double(st, 3);
	return 0;
}

static int add_status(struct ef_timeline *tl, struct caps *c, sqlite3_stmt *st)
{
	struct ef_status_row *r = PUSH(tl, c, status, n_status, status);
	if (!r)
		return -1;
	r->id = sqlite3_column_int64(st, 1);
	r->day = store_col_day(st, 2);
	r->kind = (enum ef_status_kind)vocab_col(st, 3, EF_V_STATUS, EF_ST_ALIVE);
	return 0;
}

static int add_followup(struct ef_timeline *tl, struct caps *c, sqlite3_stmt *st)
{
	struct ef_followup_done *r = PUSH(tl, c, followups, n_followups, followups);
	if (!r)
		return -1;
	r->id = sqlite3_column_int64(st, 1);
	col_copy(r->item, sizeof r->item, st, 2);
	col_copy(r->time_point, sizeof r->time_point, st, 3);
	r->day = store_col_day(st, 4);
	return 0;
}

struct table_loader {
	const char *all, *one;
	append_fn add;
	unsigned part; /* enum store_tl_part; 0 = always */
};

#define T_TRANSPLANTS                                                                             \
	"SELECT patient_id, id, transplant_date, type, graft_source, donor, conditioning FROM transplants " \
	"WHERE transplant_date <= ?1"
#define T_LABS                                                                                    \
	"SELECT patient_id, id, collected_day, collected_on, test, qualifier, canonical FROM lab_results " \
	"WHERE collected_day <= ?2 AND entered_in_error IS NULL"
#define T_TRANSFUSIONS                                                                            \
	"SELECT patient_id, id, given_on, product FROM transfusions WHERE given_on <= ?1 "              \
	"AND entered_in_error IS NULL"
#define T_DOSES                                                                                   \
	"SELECT v.patient_id, v.id, v.given_on, v.vaccine, c.series, c.live, v.override_reason "         \
	"FROM vaccinations v JOIN vaccine_codes c ON c.code = v.vaccine "                               \
	"WHERE v.given_on <= ?1 AND v.entered_in_error IS NULL"
#define T_ACUTE                                                                                   \
	"SELECT patient_id, id, assessed_on, skin, liver, upper_gi, lower_gi FROM gvhd_acute "          \
	"WHERE assessed_on <= ?1 AND entered_in_error IS NULL"
#define T_CHRONIC                                                                                 \
	"SELECT patient_id, id, assessed_on, skin, mouth, eyes, gi, liver, lungs, joints, genital "     \
	"FROM gvhd_chronic WHERE assessed_on <= ?1 AND entered_in_error IS NULL"
#define T_IS                                                                                      \
	"SELECT patient_id, id, drug, started_on, CASE WHEN stopped_on > ?1 THEN NULL ELSE stopped_on END " \
	"FROM immunosuppression WHERE started_on <= ?1 AND entered_in_error IS NULL"
#define T_STATUS                                                                                  \
	"SELECT patient_id, id, recorded_on, status FROM status WHERE recorded_on <= ?1 "                \
	"AND entered_in_error IS NULL"
#define T_FOLLOWUPS                                                                               \
	"SELECT patient_id, id, item, time_point, done_on FROM followups WHERE done_on <= ?1 "          \
	"AND entered_in_error IS NULL"
#define T_IVIG "SELECT patient_id, id, given_on, dose_g FROM ivig WHERE given_on <= ?1 AND entered_in_error IS NULL"

static const struct table_loader loaders[] = {
	{T_TRANSPLANTS " ORDER BY patient_id, transplant_date",
	 T_TRANSPLANTS " AND patient_id = ?3 ORDER BY transplant_date", add_transplant, 0},
	{T_LABS " ORDER BY patient_id, collected_on, test",
	 T_LABS " AND patient_id = ?3 ORDER BY collected_on, test", add_lab, STORE_TL_LABS},
	{T_TRANSFUSIONS " ORDER BY patient_id, given_on", T_TRANSFUSIONS " AND patient_id = ?3 ORDER BY given_on",
	 add_transfusion, STORE_TL_TRANSFUSIONS},
	{T_DOSES " ORDER BY v.patient_id, v.given_on, c.series",
	 T_DOSES " AND v.patient_id = ?3 ORDER BY v.given_on, c.series", add_dose, STORE_TL_DOSES},
	{T_ACUTE " ORDER BY patient_id, assessed_on", T_ACUTE " AND patient_id = ?3 ORDER BY assessed_on",
	 add_acute, STORE_TL_GVHD},
	{T_CHRONIC " ORDER BY patient_id, assessed_on", T_CHRONIC " AND patient_id = ?3 ORDER BY assessed_on",
	 add_chronic, STORE_TL_GVHD},
	{T_IS " ORDER BY patient_id, started_on", T_IS " AND patient_id = ?3 ORDER BY started_on", add_is, STORE_TL_IS},
	{T_IVIG " ORDER BY patient_id, given_on", T_IVIG " AND patient_id = ?3 ORDER BY given_on", add_ivig, STORE_TL_IVIG},
	/* always: whether the patient is in care decides every finding */
	{T_STATUS " ORDER BY patient_id, recorded_on", T_STATUS " AND patient_id = ?3 ORDER BY recorded_on", add_status,
	 0},
	{T_FOLLOWUPS " ORDER BY patient_id, done_on, item, time_point",
	 T_FOLLOWUPS " AND patient_id = ?3 ORDER BY done_on, item, time_point", add_followup, STORE_TL_FOLLOWUPS},
};
#define N_LOADERS (sizeof loaders / sizeof loaders[0])

static int wanted(const struct table_loader *l, unsigned parts)
{
	return l->part == 0 || (l->part & parts) != 0;
}


static void clear_counts(struct ef_timeline *tl)
{
	tl->n_transplants = tl->n_labs = tl->n_transfusions = tl->n_doses = 0;
	tl->n_acute = tl->n_chronic = tl->n_is = tl->n_ivig = tl->n_status = tl->n_followups = 0;
}

static void fill_patient(struct ef_patient *p, sqlite3_stmt *st)
{
	memset(p, 0, sizeof *p);
	p->id = sqlite3_column_int64(st, 0);
	col_copy(p->mrn, sizeof p->mrn, st, 1);
	col_copy(p->family_name, sizeof p->family_name, st, 2);
	col_copy(p->given_name, sizeof p->given_name, st, 3);
	p->birth = store_col_day(st, 4);
	p->sex = (enum ef_sex)vocab_col(st, 5, EF_V_SEX, EF_SEX_UNKNOWN);
	col_copy(p->diagnosis, sizeof p->diagnosis, st, 6);
}

static void bind_asof(sqlite3_stmt *st, ef_day as_of, const char *asof_text)
{
	sqlite3_bind_text(st, 1, asof_text, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 2, as_of);
}

/* One patient: the per-patient queries (index on patient_id first), not a
 * stream of every table. Same rows, same order. */
static int one_timeline(struct store *s, ef_day as_of, const char *mrn, unsigned parts, store_timeline_fn fn,
			void *ctx, struct ef_err *err)
{
	int64_t id = 0;
	int rc = store_patient_id(s, mrn, strlen(mrn), &id, NULL, err);
	if (rc || id == 0)
		return rc;
	struct ef_timeline tl;
	ef_timeline_init(&tl);
	rc = store_load_timeline_parts(s, id, as_of, parts, &tl, err);
	if (rc == EF_OK)
		rc = fn(ctx, &tl, err);
	ef_timeline_free(&tl);
	return rc;
}

int store_each_timeline(struct store *s, ef_day as_of, const char *mrn, store_timeline_fn fn, void *ctx,
			struct ef_err *err)
{
	return store_each_timeline_parts(s, as_of, mrn, STORE_TL_ALL, fn, ctx, err);
}

int store_each_timeline_parts(struct store *s, ef_day as_of, const char *mrn, unsigned parts, store_timeline_fn fn,
			      void *ctx, struct ef_err *err)
{
	if (mrn)
		return one_timeline(s, as_of, mrn, parts, fn, ctx, err);
	static const char psql[] = "SELECT id, mrn, family_name, given_name, birth_date, sex, diagnosis "
				   "FROM patients WHERE (?1 IS NULL OR mrn = ?1) ORDER BY id";
	char asof_text[11];
	ef_date_format(as_of, asof_text);
	sqlite3_stmt *cur[N_LOADERS] = {0};
	int has[N_LOADERS] = {0};
	int rc = EF_OK;
	struct ef_timeline tl;
	struct caps caps = {0};
	ef_timeline_init(&tl);

	/* Separate connections' statements could interleave; these are distinct
	 * cached statements stepped in lockstep inside one read transaction. */
	for (size_t i = 0; i < N_LOADERS; i++) {
		if (!wanted(&loaders[i], parts))
			continue;
		cur[i] = store_stmt(s, loaders[i].all, err);
		if (!cur[i])
			return EF_DB;
	}
	sqlite3_stmt *pst = store_stmt(s, psql, err);
	if (!pst)
		return EF_DB;
	/* store_stmt resets statements: bind after fetching all of them. */
	store_bind_opt(pst, 1, mrn);
	for (size_t i = 0; i < N_LOADERS; i++) {
		if (!cur[i])
			continue;
		bind_asof(cur[i], as_of, asof_text);
		int r = sqlite3_step(cur[i]);
		if (r != SQLITE_ROW && r != SQLITE_DONE) {
			rc = store_dberr(s, err, "load timelines");
			goto out;
		}
		has[i] = r == SQLITE_ROW;
	}
	int r;
	while ((r = sqlite3_step(pst)) == SQLITE_ROW) {
		clear_counts(&tl);
		fill_patient(&tl.patient, pst);
		const int64_t pid = tl.patient.id;
		for (size_t i = 0; i < N_LOADERS; i++) {
			while (has[i] && sqlite3_column_int64(cur[i], 0) <= pid) {
				if (sqlite3_column_int64(cur[i], 0) == pid && loaders[i].add(&tl, &caps, cur[i])) {
					rc = ef_errf(err, EF_DB, "out of memory loading timelines");
					goto out;
				}
				int sr = sqlite3_step(cur[i]);
				if (sr != SQLITE_ROW && sr != SQLITE_DONE) {
					rc = store_dberr(s, err, "load timelines");
					goto out;
				}
				has[i] = sr == SQLITE_ROW;
			}
		}
		if ((rc = fn(ctx, &tl, err)))
			goto out;
	}
	if (r != SQLITE_DONE)
		rc = store_dberr(s, err, "load patients");
out:
	for (size_t i = 0; i < N_LOADERS; i++)
		if (cur[i])
			sqlite3_reset(cur[i]);
	sqlite3_reset(pst);
	ef_timeline_free(&tl);
	return rc;
}

int store_load_timeline(struct store *s, int64_t patient_id, ef_day as_of, struct ef_timeline *tl,
			struct ef_err *err)
{
	return store_load_timeline_parts(s, patient_id, as_of, STORE_TL_ALL, tl, err);
}

int store_load_timeline_parts(struct store *s, int64_t patient_id, ef_day as_of, unsigned parts,
			      struct ef_timeline *tl, struct ef_err *err)
{
	static const char psql[] = "SELECT id, mrn, family_name, given_name, birth_date, sex, diagnosis "
				   "FROM patients WHERE id = ?1";
	char asof_text[11];
	struct caps caps = {0};
	ef_date_format(as_of, asof_text);
	ef_timeline_free(tl);
	sqlite3_stmt *pst = store_stmt(s, psql, err);
	if (!pst)
		return EF_DB;
	sqlite3_bind_int64(pst, 1, patient_id);
	int r = sqlite3_step(pst);
	if (r != SQLITE_ROW) {
		int rc = r == SQLITE_DONE ? ef_errf(err, EF_INVALID, "no patient with id %lld", (long long)patient_id)
					  : store_dberr(s, err, "load patient");
		sqlite3_reset(pst);
		return rc;
	}
	fill_patient(&tl->patient, pst);
	sqlite3_reset(pst);
	for (size_t i = 0; i < N_LOADERS; i++) {
		if (!wanted(&loaders[i], parts))
			continue;
		sqlite3_stmt *st = store_stmt(s, loaders[i].one, err);
		if (!st)
			return EF_DB;
		bind_asof(st, as_of, asof_text);
		sqlite3_bind_int64(st, 3, patient_id);
		while ((r = sqlite3_step(st)) == SQLITE_ROW) {
			if (loaders[i].add(tl, &caps, st)) {
				sqlite3_reset(st);
				return ef_errf(err, EF_DB, "out of memory loading timeline");
			}
		}
		if (r != SQLITE_DONE) {
			int rc = store_dberr(s, err, "load timeline");
			sqlite3_reset(st);
			return rc;
		}
		sqlite3_reset(st);
	}
	return EF_OK;
}
