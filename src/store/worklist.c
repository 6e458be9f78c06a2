/* worklist.c - the clinic worklists by pages over the kept forecasts
 * (worklist.h). Each section is read in its index order (schema 019:
 * status, due_on, patient_id, ord, and the codes the filter reads), one
 * segment at a time: the rows without a date (due_on IS NULL sorts first),
 * then the dated ones up to the section's last day. A page continues from
 * a key with a row-value comparison, so every read is an index range of at
 * most the rows asked for (and the rows the filter drops on the way). The
 * typed filter is compiled once against the patients (each patient's
 * matched words as a bit mask); a row then passes when its patient's words
 * and its codes together hold every word (ef_wl_keep, bound as a pointer). */
#include "store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engraft/worklist.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

#define WL_MAX_WORDS 64 /* a filter of 128 bytes has at most 64 words */
#define WL_PTR "engraft_wl_filter"

struct wl_pmask {
	int64_t id;
	uint64_t mask;
};

/* List mode: the keys of every row the filter lets through, in list
 * order (when they are few: a word no code can hold narrows the rows to
 * the patients that have it). */
struct wl_lkey {
	struct store_wl_key k;
	char c1[32], c2[16];     /* its codes (refine) */
};

struct store_wl_filter {
	enum store_wl_kind kind;
	ef_day today;
	char *text;              /* the words, each NUL-terminated */
	const char *word[WL_MAX_WORDS];
	size_t len[WL_MAX_WORDS];
	size_t nw;
	uint64_t full;
	struct wl_pmask *p;      /* the patients with a word, ascending id */
	size_t np;
	int listed;              /* list mode: keys holds every row that passes */
	struct wl_lkey *keys;
	size_t nkeys;
};

/* List mode only while the patients that can match are at most this many
 * (one indexed read each). */
#define WL_LIST_PATIENTS 8000

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* Whether the n bytes of word occur in text, ASCII case ignored (the
 * TUI's filter.c contains()). */
static int contains(const char *text, const char *word, size_t n)
{
	for (const char *t = text; t && *t; t++) {
		size_t i = 0;
		while (i < n && t[i] && lower((unsigned char)t[i]) == lower((unsigned char)word[i]))
			i++;
		if (i == n)
			return 1;
	}
	return 0;
}

static uint64_t mask_of(const struct store_wl_filter *f, const char *text)
{
	uint64_t m = 0;
	for (size_t i = 0; i < f->nw; i++)
		if (contains(text, f->word[i], f->len[i]))
			m |= (uint64_t)1 << i;
	return m;
}

void store_wl_filter_free(struct store_wl_filter *f)
{
	if (!f)
		return;
	free(f->text);
	free(f->p);
	free(f->keys);
	free(f);
}

int store_wl_filter_listed(const struct store_wl_filter *f)
{
	return f && f->listed;
}

static const char *col_str(sqlite3_stmt *st, int col)
{
	const char *v = (const char *)sqlite3_column_text(st, col);
	return v ? v : "";
}

static int list_build(struct store *s, struct store_wl_filter *f, struct ef_err *err);
static int refine(struct store *s, struct store_wl_filter *f, const struct store_wl_filter *prev, struct ef_err *err);

/* Every row through f passes prev too: each word of prev is part of a
 * word of f (typing on). */
static int narrower(const struct store_wl_filter *f, const struct store_wl_filter *prev)
{
	for (size_t i = 0; i < prev->nw; i++) {
		int in = 0;
		for (size_t j = 0; j < f->nw && !in; j++)
			in = f->len[j] >= prev->len[i] && contains(f->word[j], prev->word[i], prev->len[i]);
		if (!in)
			return 0;
	}
	return 1;
}

int store_wl_filter_new(struct store *s, enum store_wl_kind kind, ef_day today, const char *text,
			const struct store_wl_filter *prev, struct store_wl_filter **out, struct ef_err *err)
{
	static const char sql[] = "SELECT id, mrn, family_name, given_name FROM patients ORDER BY id";
	*out = NULL;
	struct store_wl_filter *f = calloc(1, sizeof *f);
	if (!f || !(f->text = strdup(text ? text : ""))) {
		free(f);
		return ef_errf(err, EF_DB, "out of memory");
	}
	f->kind = kind;
	f->today = today;
	for (char *p = f->text;;) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		if (f->nw == WL_MAX_WORDS) {
			store_wl_filter_free(f);
			return ef_errf(err, EF_INVALID, "the filter has more than %d words", WL_MAX_WORDS);
		}
		size_t n = strcspn(p, " ");
		f->word[f->nw] = p;
		f->len[f->nw++] = n;
		p += n;
		if (*p)
			*p++ = '\0';
	}
	if (!f->nw) {
		store_wl_filter_free(f);
		return EF_OK;
	}
	f->full = f->nw == 64 ? ~(uint64_t)0 : ((uint64_t)1 << f->nw) - 1;
	if (prev && prev->listed && prev->kind == kind && prev->today == today && narrower(f, prev)) {
		int rc = refine(s, f, prev, err);
		if (rc) {
			store_wl_filter_free(f);
			return rc;
		}
		*out = f;
		return EF_OK;
	}
	sqlite3_stmt *st = store_stmt(s, sql, err);
	if (!st) {
		store_wl_filter_free(f);
		return EF_DB;
	}
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		char name[600];
		snprintf(name, sizeof name, "%s, %s", col_str(st, 2), col_str(st, 3));
		uint64_t m = mask_of(f, col_str(st, 1)) | mask_of(f, name);
		if (strlen(col_str(st, 2)) + strlen(col_str(st, 3)) + 2 >= sizeof name) /* never cut: look at each part */
			m |= mask_of(f, col_str(st, 2)) | mask_of(f, col_str(st, 3));
		if (!m)
			continue;
		if (f->np == cap) {
			size_t nc = cap ? cap * 2 : 256;
			struct wl_pmask *p = realloc(f->p, nc * sizeof *p);
			if (!p) {
				sqlite3_reset(st);
				store_wl_filter_free(f);
				return ef_errf(err, EF_DB, "out of memory");
			}
			f->p = p;
			cap = nc;
		}
		f->p[f->np].id = sqlite3_column_int64(st, 0);
		f->p[f->np++].mask = m;
	}
	rc = rc == SQLITE_DONE ? EF_OK : store_dberr(s, err, "read the patients for the filter");
	sqlite3_reset(st);
	if (rc == EF_OK)
		rc = list_build(s, f, err);
	if (rc) {
		store_wl_filter_free(f);
		return rc;
	}
	*out = f;
	return EF_OK;
}

/* ef_wl_keep(filter, patient_id, code, code2): the row's patient words and
 * codes hold every word of the filter. */
static void fn_keep(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	(void)argc;
	const struct store_wl_filter *f = sqlite3_value_pointer(argv[0], WL_PTR);
	if (!f) {
		sqlite3_result_int(cx, 1);
		return;
	}
	int64_t id = sqlite3_value_int64(argv[1]);
	uint64_t m = 0;
	size_t lo = 0, hi = f->np;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (f->p[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < f->np && f->p[lo].id == id)
		m = f->p[lo].mask;
	if (m != f->full) {
		const char *c1 = (const char *)sqlite3_value_text(argv[2]);
		const char *c2 = (const char *)sqlite3_value_text(argv[3]);
		for (size_t i = 0; i < f->nw; i++)
			if (!(m & ((uint64_t)1 << i)) && !contains(c1, f->word[i], f->len[i]) &&
			    !contains(c2, f->word[i], f->len[i])) {
				sqlite3_result_int(cx, 0);
				return;
			}
	}
	sqlite3_result_int(cx, 1);
}

int store_wl_register(struct store *s, struct ef_err *err)
{
	if (sqlite3_create_function_v2(s->db, "ef_wl_keep", 4, SQLITE_UTF8 | SQLITE_INNOCUOUS, NULL, fn_keep, NULL, NULL,
				       NULL) != SQLITE_OK)
		return store_dberr(s, err, "register the worklist function");
	return EF_OK;
}

/* ---- the queries ---------------------------------------------------------------------------- */

/* ?1 status, ?2 patient id, ?3 ord, ?4 limit, ?5 filter (pointer), ?6 filtered, ?7 date, ?8 last day. */
#define VAC_SELECT "SELECT f.patient_id, f.ord, f.due_on, f.series, '', f.dose, NULL, f.reason, p.mrn, p.family_name, " \
		   "p.given_name FROM vaccine_forecasts f CROSS JOIN patients p WHERE p.id = f.patient_id "
#define VAC_COLS_ONE VAC_SELECT "AND p.id = ?1 "
#define FU_SELECT "SELECT f.patient_id, f.ord, f.due_on, f.item, f.time_point, 0, f.done_on, f.reason, p.mrn, " \
		  "p.family_name, p.given_name FROM followup_forecasts f CROSS JOIN patients p WHERE p.id = f.patient_id "
#define FU_COLS_ONE FU_SELECT "AND p.id = ?1 "
#define VAC_COLS "SELECT f.patient_id, f.ord, f.due_on, f.series, '', f.dose, NULL, f.reason, p.mrn, p.family_name, " \
		 "p.given_name FROM vaccine_forecasts f CROSS JOIN patients p WHERE p.id = f.patient_id AND f.status = ?1 "
#define VAC_KEEP "AND (?6 = 0 OR ef_wl_keep(?5, f.patient_id, f.series, NULL)) "
#define FU_COLS "SELECT f.patient_id, f.ord, f.due_on, f.item, f.time_point, 0, f.done_on, f.reason, p.mrn, " \
		"p.family_name, p.given_name FROM followup_forecasts f CROSS JOIN patients p WHERE p.id = f.patient_id " \
		"AND f.status = ?1 "
#define FU_KEEP "AND (?6 = 0 OR ef_wl_keep(?5, f.patient_id, f.item, f.time_point)) "
#define NULL_FWD "AND f.due_on IS NULL AND (f.patient_id, f.ord) > (?2, ?3) "
#define NULL_BACK "AND f.due_on IS NULL AND (f.patient_id, f.ord) < (?2, ?3) "
#define DATE_FWD "AND (f.due_on, f.patient_id, f.ord) > (?7, ?2, ?3) AND f.due_on <= ?8 "
#define DATE_BACK "AND (f.due_on, f.patient_id, f.ord) < (?7, ?2, ?3) AND f.due_on > '' AND f.due_on <= ?8 "
#define ORDER_NULL_FWD "ORDER BY f.patient_id, f.ord LIMIT ?4"
#define ORDER_NULL_BACK "ORDER BY f.patient_id DESC, f.ord DESC LIMIT ?4"
#define ORDER_DATE_FWD "ORDER BY f.due_on, f.patient_id, f.ord LIMIT ?4"
#define ORDER_DATE_BACK "ORDER BY f.due_on DESC, f.patient_id DESC, f.ord DESC LIMIT ?4"

/* [kind][seg][backward] */
static const char *const page_sql[2][2][2] = {
	{{VAC_COLS NULL_FWD VAC_KEEP ORDER_NULL_FWD, VAC_COLS NULL_BACK VAC_KEEP ORDER_NULL_BACK},
	 {VAC_COLS DATE_FWD VAC_KEEP ORDER_DATE_FWD, VAC_COLS DATE_BACK VAC_KEEP ORDER_DATE_BACK}},
	{{FU_COLS NULL_FWD FU_KEEP ORDER_NULL_FWD, FU_COLS NULL_BACK FU_KEEP ORDER_NULL_BACK},
	 {FU_COLS DATE_FWD FU_KEEP ORDER_DATE_FWD, FU_COLS DATE_BACK FU_KEEP ORDER_DATE_BACK}},
};

/* ?1 status, ?2 filter, ?3 filtered, ?4 last day, ?5 at most; [kind][seg] */
static const char *const count_sql[2][2] = {
	{"SELECT count(*) FROM (SELECT 1 FROM vaccine_forecasts f WHERE f.status = ?1 AND f.due_on IS NULL "
	 "AND (?3 = 0 OR ef_wl_keep(?2, f.patient_id, f.series, NULL)) AND ?4 IS NOT NULL LIMIT ?5)",
	 "SELECT count(*) FROM (SELECT 1 FROM vaccine_forecasts f WHERE f.status = ?1 AND f.due_on > '' "
	 "AND f.due_on <= ?4 AND (?3 = 0 OR ef_wl_keep(?2, f.patient_id, f.series, NULL)) LIMIT ?5)"},
	{"SELECT count(*) FROM (SELECT 1 FROM followup_forecasts f WHERE f.status = ?1 AND f.due_on IS NULL "
	 "AND (?3 = 0 OR ef_wl_keep(?2, f.patient_id, f.item, f.time_point)) AND ?4 IS NOT NULL LIMIT ?5)",
	 "SELECT count(*) FROM (SELECT 1 FROM followup_forecasts f WHERE f.status = ?1 AND f.due_on > '' "
	 "AND f.due_on <= ?4 AND (?3 = 0 OR ef_wl_keep(?2, f.patient_id, f.item, f.time_point)) LIMIT ?5)"},
};

/* A section of a kind: its status, whether it has rows without a date,
 * how many days after today its last row may be due (-1: any day). */
struct wl_section {
	const char *status;
	int undated;
	int soon_days;
};

static const struct wl_section sections[2][STORE_WL_SECTIONS] = {
	{{"overdue", 1, -1}, {"due", 1, -1}, {"upcoming", 0, STORE_WL_VACCINE_SOON_DAYS}, {"blocked", 1, -1}},
	{{"overdue", 1, -1}, {"due", 1, -1}, {"upcoming", 0, STORE_WL_FOLLOWUP_SOON_DAYS}, {NULL, 0, 0}},
};

#define LAST_DAY "~" /* after every date */

/* ---- list mode ------------------------------------------------------------------------------ */

static int key_cmp(const struct store_wl_key *a, const struct store_wl_key *b)
{
	if (a->sec != b->sec)
		return a->sec < b->sec ? -1 : 1;
	if (a->seg != b->seg)
		return a->seg < b->seg ? -1 : 1;
	int c = strcmp(a->due, b->due);
	if (c)
		return c < 0 ? -1 : 1;
	if (a->patient_id != b->patient_id)
		return a->patient_id < b->patient_id ? -1 : 1;
	return a->ord < b->ord ? -1 : a->ord > b->ord;
}

static int lkey_cmp(const void *x, const void *y)
{
	return key_cmp(&((const struct wl_lkey *)x)->k, &((const struct wl_lkey *)y)->k);
}

/* A follow-up time point is a letter D, M or Y and a number (D100, M12,
 * Y5): every word that can be part of one may match a row's code. */
static int may_be_point(const char *w, size_t n)
{
	size_t i = 0;
	if (n && strchr("dmyDMY", w[0]))
		i = 1;
	for (; i < n; i++)
		if (w[i] < '0' || w[i] > '9')
			return 0;
	return 1;
}

/* The words some code of the kind may hold (a row's code can then match
 * it instead of its patient): every series of the vaccine schedule, every
 * follow-up item and registry time point. */
static int code_words(struct store *s, const struct store_wl_filter *f, uint64_t *cw, struct ef_err *err)
{
	static const char *const sql[2] = {
		"SELECT code FROM vaccine_series",
		"SELECT item FROM screening UNION SELECT item FROM registry_forms UNION SELECT time_point FROM registry_forms",
	};
	*cw = 0;
	if (f->kind == STORE_WL_FOLLOWUPS)
		for (size_t i = 0; i < f->nw; i++)
			if (may_be_point(f->word[i], f->len[i]))
				*cw |= (uint64_t)1 << i;
	sqlite3_stmt *st = store_stmt(s, sql[f->kind], err);
	if (!st)
		return EF_DB;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		*cw |= mask_of(f, col_str(st, 0));
	rc = rc == SQLITE_DONE ? EF_OK : store_dberr(s, err, "read the codes for the filter");
	sqlite3_reset(st);
	return rc;
}

/* The section of a kept row on today (-1: none), by its status and date. */
static int section_of(enum store_wl_kind kind, ef_day today, const char *status, const char *due)
{
	for (int sec = 0; sec < STORE_WL_SECTIONS; sec++) {
		const struct wl_section *x = &sections[kind][sec];
		if (!x->status || strcmp(x->status, status) != 0)
			continue;
		if (x->soon_days >= 0) {
			char last[11];
			ef_date_format(today + x->soon_days, last);
			if (!due[0] || strcmp(due, last) > 0)
				return -1;
		}
		return sec;
	}
	return -1;
}

/* When a word no code holds narrows the rows to few patients: every row
 * of theirs that passes, as keys in list order. */
static int list_build(struct store *s, struct store_wl_filter *f, struct ef_err *err)
{
	static const char *const sql[2] = {
		"SELECT ord, status, ifnull(due_on, ''), series, NULL FROM vaccine_forecasts WHERE patient_id = ?1",
		"SELECT ord, status, due_on, item, time_point FROM followup_forecasts WHERE patient_id = ?1",
	};
	uint64_t cw;
	int rc = code_words(s, f, &cw, err);
	if (rc)
		return rc;
	uint64_t need = f->full & ~cw; /* words only a patient can hold */
	if (!need)
		return EF_OK;
	size_t cand = 0;
	for (size_t i = 0; i < f->np; i++)
		if ((f->p[i].mask & need) == need)
			cand++;
	if (cand > WL_LIST_PATIENTS)
		return EF_OK;
	size_t cap = 0;
	for (size_t i = 0; i < f->np; i++) {
		const struct wl_pmask *pm = &f->p[i];
		if ((pm->mask & need) != need)
			continue;
		sqlite3_stmt *st = store_stmt(s, sql[f->kind], err);
		if (!st)
			return EF_DB;
		sqlite3_bind_int64(st, 1, pm->id);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			const char *due = col_str(st, 2);
			int sec = section_of(f->kind, f->today, col_str(st, 1), due);
			if (sec < 0 || strlen(due) >= sizeof f->keys[0].k.due)
				continue;
			const char *c1 = (const char *)sqlite3_column_text(st, 3);
			const char *c2 = (const char *)sqlite3_column_text(st, 4);
			int keep = 1;
			for (size_t w = 0; w < f->nw && keep; w++)
				if (!(pm->mask & ((uint64_t)1 << w)) && !contains(c1, f->word[w], f->len[w]) &&
				    !contains(c2, f->word[w], f->len[w]))
					keep = 0;
			if (!keep)
				continue;
			if (f->nkeys == cap) {
				size_t nc = cap ? cap * 2 : 256;
				struct wl_lkey *k = realloc(f->keys, nc * sizeof *k);
				if (!k) {
					sqlite3_reset(st);
					return ef_errf(err, EF_DB, "out of memory");
				}
				f->keys = k;
				cap = nc;
			}
			struct wl_lkey *lk = &f->keys[f->nkeys++];
			snprintf(lk->c1, sizeof lk->c1, "%s", c1 ? c1 : "");
			snprintf(lk->c2, sizeof lk->c2, "%s", c2 ? c2 : "");
			if ((c1 && strlen(c1) >= sizeof lk->c1) || (c2 && strlen(c2) >= sizeof lk->c2))
				return ef_errf(err, EF_DB, "a kept code is longer than the worklist holds");
			struct store_wl_key *k = &lk->k;
			k->sec = sec;
			k->seg = due[0] != '\0';
			memcpy(k->due, due, strlen(due) + 1);
			k->patient_id = pm->id;
			k->ord = sqlite3_column_int64(st, 0);
		}
		rc = rc == SQLITE_DONE ? EF_OK : store_dberr(s, err, "read the worklist of a patient");
		sqlite3_reset(st);
		if (rc)
			return rc;
	}
	if (f->nkeys)
		qsort(f->keys, f->nkeys, sizeof *f->keys, lkey_cmp);
	f->listed = 1;
	return EF_OK;
}

static int pid_cmp(const void *x, const void *y)
{
	int64_t a = ((const struct wl_pmask *)x)->id, b = ((const struct wl_pmask *)y)->id;
	return a < b ? -1 : a > b;
}

/* A narrower filter than prev (typing on): its rows are among prev's, in
 * the same order; only prev's patients are read again. */
static int refine(struct store *s, struct store_wl_filter *f, const struct store_wl_filter *prev, struct ef_err *err)
{
	static const char sql[] = "SELECT mrn, family_name, given_name FROM patients WHERE id = ?1";
	if (!prev->nkeys) {
		f->listed = 1;
		return EF_OK;
	}
	if (!(f->keys = malloc(prev->nkeys * sizeof *f->keys)) || !(f->p = malloc(prev->nkeys * sizeof *f->p)))
		return ef_errf(err, EF_DB, "out of memory");
	/* the patients of prev's rows (ascending, once each), their words again */
	for (size_t i = 0; i < prev->nkeys; i++)
		f->p[i].id = prev->keys[i].k.patient_id;
	qsort(f->p, prev->nkeys, sizeof *f->p, pid_cmp);
	size_t np = 0;
	for (size_t i = 0; i < prev->nkeys; i++)
		if (!np || f->p[np - 1].id != f->p[i].id)
			f->p[np++].id = f->p[i].id;
	for (size_t i = 0; i < np; i++) {
		sqlite3_stmt *st = store_stmt(s, sql, err);
		if (!st)
			return EF_DB;
		int64_t id = f->p[i].id;
		sqlite3_bind_int64(st, 1, id);
		int rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			char name[600];
			snprintf(name, sizeof name, "%s, %s", col_str(st, 1), col_str(st, 2));
			uint64_t m = mask_of(f, col_str(st, 0)) | mask_of(f, name);
			if (strlen(col_str(st, 1)) + strlen(col_str(st, 2)) + 2 >= sizeof name)
				m |= mask_of(f, col_str(st, 1)) | mask_of(f, col_str(st, 2));
			f->p[f->np].id = id;
			f->p[f->np++].mask = m;
			rc = EF_OK;
		} else {
			rc = rc == SQLITE_DONE ? EF_OK : store_dberr(s, err, "read a patient for the filter");
		}
		sqlite3_reset(st);
		if (rc)
			return rc;
	}
	for (size_t i = 0; i < prev->nkeys; i++) {
		const struct wl_lkey *k = &prev->keys[i];
		uint64_t m = 0;
		size_t lo = 0, hi = f->np;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (f->p[mid].id < k->k.patient_id)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < f->np && f->p[lo].id == k->k.patient_id)
			m = f->p[lo].mask;
		int keep = 1;
		for (size_t w = 0; w < f->nw && keep; w++)
			if (!(m & ((uint64_t)1 << w)) && !contains(k->c1, f->word[w], f->len[w]) &&
			    !contains(k->c2, f->word[w], f->len[w]))
				keep = 0;
		if (keep)
			f->keys[f->nkeys++] = *k;
	}
	f->listed = 1;
	return EF_OK;
}

static int shown(const struct store_wl_query *q, int sec)
{
	return sec >= 0 && sec < STORE_WL_SECTIONS && sections[q->kind][sec].status && (q->sections & (1u << sec));
}

static void last_day(const struct store_wl_query *q, int sec, char out[11])
{
	int d = sections[q->kind][sec].soon_days;
	if (d < 0)
		snprintf(out, 11, "%s", LAST_DAY);
	else
		ef_date_format(q->today + d, out);
}

static void bind_filter(sqlite3_stmt *st, int ptr, int flag, const struct store_wl_query *q)
{
	if (q->filter)
		sqlite3_bind_pointer(st, ptr, (void *)q->filter, WL_PTR, NULL);
	else
		sqlite3_bind_null(st, ptr);
	sqlite3_bind_int(st, flag, q->filter != NULL);
}

static int filter_fits(const struct store_wl_query *q, struct ef_err *err)
{
	if (q->kind != STORE_WL_VACCINES && q->kind != STORE_WL_FOLLOWUPS)
		return ef_errf(err, EF_INVALID, "no such worklist");
	if (q->filter && (q->filter->kind != q->kind || q->filter->today != q->today))
		return ef_errf(err, EF_INVALID, "the worklist filter was made for another list");
	return EF_OK;
}

int store_wl_counts(struct store *s, const struct store_wl_query *q, int64_t counts[STORE_WL_SECTIONS],
		    struct ef_err *err)
{
	int frc = filter_fits(q, err);
	if (frc)
		return frc;
	if (q->filter && q->filter->listed) {
		for (int sec = 0; sec < STORE_WL_SECTIONS; sec++)
			counts[sec] = 0;
		for (size_t i = 0; i < q->filter->nkeys; i++)
			if (shown(q, q->filter->keys[i].k.sec))
				counts[q->filter->keys[i].k.sec]++;
		return EF_OK;
	}
	static const char kept_sql[] = "SELECT n FROM worklist_counts WHERE list = ?1 AND status = ?2";
	for (int sec = 0; sec < STORE_WL_SECTIONS; sec++) {
		counts[sec] = 0;
		if (!shown(q, sec))
			continue;
		if (!q->filter && sections[q->kind][sec].soon_days < 0) { /* every row of the status: kept count */
			sqlite3_stmt *st = store_stmt(s, kept_sql, err);
			if (!st)
				return EF_DB;
			store_bind_text(st, 1, q->kind == STORE_WL_VACCINES ? "vaccines" : "followups");
			store_bind_text(st, 2, sections[q->kind][sec].status);
			int rc = sqlite3_step(st);
			if (rc == SQLITE_ROW)
				counts[sec] = sqlite3_column_int64(st, 0);
			rc = rc == SQLITE_ROW || rc == SQLITE_DONE ? EF_OK : store_dberr(s, err, "read the worklist counts");
			sqlite3_reset(st);
			if (rc)
				return rc;
			continue;
		}
		char last[11];
		last_day(q, sec, last);
		int64_t cap = q->filter && q->count_cap > 0 ? q->count_cap : INT64_MAX;
		for (int seg = sections[q->kind][sec].undated ? 0 : 1; seg < 2; seg++) {
			sqlite3_stmt *st = store_stmt(s, count_sql[q->kind][seg], err);
			if (!st)
				return EF_DB;
			store_bind_text(st, 1, sections[q->kind][sec].status);
			bind_filter(st, 2, 3, q);
			sqlite3_bind_text(st, 4, last, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int64(st, 5, cap - counts[sec]);
			int rc = sqlite3_step(st) == SQLITE_ROW ? EF_OK : store_dberr(s, err, "count the worklist");
			if (rc == EF_OK)
				counts[sec] += sqlite3_column_int64(st, 0);
			sqlite3_reset(st);
			if (rc)
				return rc;
			if (counts[sec] >= cap) { /* at least this many: said as -cap */
				counts[sec] = -cap;
				break;
			}
		}
	}
	return EF_OK;
}

/* Copy a column that must fit (never cut). */
static int col_fit(char *dst, size_t size, sqlite3_stmt *st, int col, struct ef_err *err)
{
	const char *v = col_str(st, col);
	size_t n = strlen(v);
	if (n >= size)
		return ef_errf(err, EF_DB, "a worklist value is longer than %zu bytes", size - 1);
	memcpy(dst, v, n + 1);
	return EF_OK;
}

static int read_row(sqlite3_stmt *st, int sec, int seg, struct store_wl_row *r, struct ef_err *err)
{
	memset(r, 0, sizeof *r);
	r->key.sec = sec;
	r->key.seg = seg;
	r->key.patient_id = sqlite3_column_int64(st, 0);
	r->key.ord = sqlite3_column_int64(st, 1);
	int rc = col_fit(r->key.due, sizeof r->key.due, st, 2, err);
	if (rc == EF_OK)
		rc = col_fit(r->code, sizeof r->code, st, 3, err);
	if (rc == EF_OK)
		rc = col_fit(r->time_point, sizeof r->time_point, st, 4, err);
	if (rc == EF_OK)
		rc = col_fit(r->reason, sizeof r->reason, st, 7, err);
	if (rc == EF_OK)
		rc = col_fit(r->mrn, sizeof r->mrn, st, 8, err);
	if (rc)
		return rc;
	const char *fam = col_str(st, 9), *giv = col_str(st, 10);
	if (strlen(fam) + strlen(giv) + 3 > sizeof r->name)
		return ef_errf(err, EF_DB, "a patient's name is longer than %zu bytes", sizeof r->name - 3);
	snprintf(r->name, sizeof r->name, "%s, %s", fam, giv);
	r->dose = sqlite3_column_int(st, 5);
	r->due_on = store_col_day(st, 2);
	r->done_on = store_col_day(st, 6);
	return EF_OK;
}

/* Rows of one segment after (or before) the key (due, pid, ord). */
static int page_seg(struct store *s, const struct store_wl_query *q, int sec, int seg, int backward, const char *due,
		    int64_t pid, int64_t ord, struct store_wl_row *out, size_t max, size_t *n, struct ef_err *err)
{
	sqlite3_stmt *st = store_stmt(s, page_sql[q->kind][seg][backward != 0], err);
	if (!st)
		return EF_DB;
	char last[11];
	last_day(q, sec, last);
	store_bind_text(st, 1, sections[q->kind][sec].status);
	sqlite3_bind_int64(st, 2, pid);
	sqlite3_bind_int64(st, 3, ord);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)(max - *n));
	bind_filter(st, 5, 6, q);
	if (seg) {
		sqlite3_bind_text(st, 7, due, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 8, last, -1, SQLITE_TRANSIENT);
	}
	int rc = SQLITE_DONE;
	while (*n < max && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((rc = read_row(st, sec, seg, &out[*n], err))) {
			sqlite3_reset(st);
			return rc;
		}
		(*n)++;
	}
	rc = *n >= max || rc == SQLITE_DONE ? EF_OK : store_dberr(s, err, "read the worklist");
	sqlite3_reset(st);
	return rc;
}

/* One row by its key (list mode); *got 0 when it is gone. */
static int fetch_one(struct store *s, const struct store_wl_query *q, const struct store_wl_key *k,
		     struct store_wl_row *out, int *got, struct ef_err *err)
{
	static const char *const sql[2] = {
		VAC_COLS_ONE "AND f.patient_id = ?2 AND f.ord = ?3",
		FU_COLS_ONE "AND f.patient_id = ?2 AND f.ord = ?3",
	};
	*got = 0;
	sqlite3_stmt *st = store_stmt(s, sql[q->kind], err);
	if (!st)
		return EF_DB;
	sqlite3_bind_int64(st, 1, k->patient_id);
	sqlite3_bind_int64(st, 2, k->patient_id);
	sqlite3_bind_int64(st, 3, k->ord);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		rc = read_row(st, k->sec, k->seg, out, err);
		*got = rc == EF_OK;
	} else {
		rc = rc == SQLITE_DONE ? EF_OK : store_dberr(s, err, "read a worklist row");
	}
	sqlite3_reset(st);
	return rc;
}

static int list_page(struct store *s, const struct store_wl_query *q, const struct store_wl_key *from, int backward,
		     struct store_wl_row *out, size_t max, size_t *n, struct ef_err *err)
{
	const struct store_wl_filter *f = q->filter;
	/* the first key after `from` (forward) or at or after it (backward) */
	size_t lo = 0, hi = f->nkeys;
	while (from && lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = key_cmp(&f->keys[mid].k, from);
		if (c < 0 || (c == 0 && !backward))
			lo = mid + 1;
		else
			hi = mid;
	}
	size_t i = from ? lo : backward ? f->nkeys : 0;
	while (*n < max && (backward ? i > 0 : i < f->nkeys)) {
		const struct store_wl_key *k = &f->keys[backward ? --i : i++].k;
		if (!shown(q, k->sec))
			continue;
		int got = 0;
		int rc = fetch_one(s, q, k, &out[*n], &got, err);
		if (rc)
			return rc;
		*n += (size_t)got;
	}
	return EF_OK;
}

int store_wl_page(struct store *s, const struct store_wl_query *q, const struct store_wl_key *from, int backward,
		  struct store_wl_row *out, size_t max, size_t *n, struct ef_err *err)
{
	*n = 0;
	int frc = filter_fits(q, err);
	if (frc)
		return frc;
	if (q->filter && q->filter->listed)
		return list_page(s, q, from, backward, out, max, n, err);
	int step = backward ? -1 : 1;
	int sec = from ? from->sec : backward ? STORE_WL_SECTIONS - 1 : 0;
	for (; sec >= 0 && sec < STORE_WL_SECTIONS && *n < max; sec += step) {
		if (!shown(q, sec))
			continue;
		int here = from && from->sec == sec;
		int seg = here ? from->seg : backward ? 1 : 0;
		for (; seg >= 0 && seg <= 1 && *n < max; seg += step) {
			if (seg == 0 && !sections[q->kind][sec].undated)
				continue;
			/* backward from the section's end: from its last day, so that
			 * the index range ends there (not at the status's last row) */
			char last[11];
			last_day(q, sec, last);
			const char *due = backward ? last : "";
			int64_t pid = backward ? INT64_MAX : -1, ord = backward ? INT64_MAX : -1;
			if (here && seg == from->seg) {
				due = from->due;
				pid = from->patient_id;
				ord = from->ord;
			}
			int rc = page_seg(s, q, sec, seg, backward, due, pid, ord, out, max, n, err);
			if (rc)
				return rc;
		}
	}
	return EF_OK;
}

void store_wl_key_before(struct store_wl_key *k)
{
	k->ord--; /* ord >= 0: no row lies between (patient, ord - 1) and (patient, ord) */
}

int store_wl_find(struct store *s, const struct store_wl_query *q, int64_t patient_id, const char *code,
		  struct store_wl_key *k, int *found, struct ef_err *err)
{
	static const char *const sql[2] = {
		"SELECT status, due_on, ord FROM vaccine_forecasts WHERE patient_id = ?1 AND series = ?2 ORDER BY ord",
		"SELECT status, due_on, ord FROM followup_forecasts WHERE patient_id = ?1 AND item = ?2 "
		"AND status <> 'done' ORDER BY due_on, ord",
	};
	*found = 0;
	if (q->kind != STORE_WL_VACCINES && q->kind != STORE_WL_FOLLOWUPS)
		return ef_errf(err, EF_INVALID, "no such worklist");
	sqlite3_stmt *st = store_stmt(s, sql[q->kind], err);
	if (!st)
		return EF_DB;
	sqlite3_bind_int64(st, 1, patient_id);
	store_bind_text(st, 2, code);
	struct store_wl_key cand[16];
	size_t nc = 0;
	int rc = SQLITE_DONE;
	while (nc < NELEM(cand) && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *status = col_str(st, 0), *due = col_str(st, 1);
		for (int sec = 0; sec < STORE_WL_SECTIONS; sec++)
			if (sections[q->kind][sec].status && strcmp(sections[q->kind][sec].status, status) == 0 &&
			    strlen(due) < sizeof cand[0].due) {
				struct store_wl_key *c = &cand[nc++];
				c->sec = sec;
				c->seg = due[0] != '\0';
				snprintf(c->due, sizeof c->due, "%s", due);
				c->patient_id = patient_id;
				c->ord = sqlite3_column_int64(st, 2);
				break;
			}
	}
	rc = nc == NELEM(cand) || rc == SQLITE_DONE ? EF_OK : store_dberr(s, err, "find a worklist row");
	sqlite3_reset(st);
	/* the first of them the worklist shows: read forward from just before it */
	for (size_t i = 0; rc == EF_OK && i < nc && !*found; i++) {
		struct store_wl_key b = cand[i];
		store_wl_key_before(&b);
		struct store_wl_row *r = malloc(sizeof *r);
		if (!r)
			return ef_errf(err, EF_DB, "out of memory");
		size_t n = 0;
		rc = store_wl_page(s, q, &b, 0, r, 1, &n, err);
		if (rc == EF_OK && n == 1 && r->key.patient_id == patient_id && r->key.ord == cand[i].ord &&
		    r->key.sec == cand[i].sec) {
			*k = r->key;
			*found = 1;
		}
		free(r);
	}
	return rc;
}
