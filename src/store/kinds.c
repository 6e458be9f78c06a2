/* kinds.c - the record kinds' descriptions (engraft/columns.h) as data, and
 * the SQL text that follows from them, built once at first use into static
 * storage. Only the descriptions' compile-time identifiers go into the
 * text; every value is a bound parameter. */
#include "store_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "engraft/columns.h"

#define S_COL(n, p, f, x) {(n), (p), (f), (x), 1},
#define S_DB(n, p, f) {(n), (p), (f), 0, 0},
#define S_LIST(ID, name, table, what) static const struct store_col cols_##ID[] = {STORE_COLUMNS_##ID(S_COL, S_DB)};
STORE_KINDS(S_LIST)
#define S_KIND(ID, name, table, what) \
	[STORE_K_##ID] = {(name), (table), (what), cols_##ID, sizeof cols_##ID / sizeof cols_##ID[0]},
const struct store_kind_desc store_kinds[STORE_K_COUNT] = {STORE_KINDS(S_KIND)};
#define S_ONE(ID, name, table, what) +1
_Static_assert(0 STORE_KINDS(S_ONE) == STORE_K_COUNT, "one description per enum store_kind");

/* ---- building text in static storage ---- */

/* Every text of every kind, about 18 KB today; engraft is one thread per
 * process, so the build at first use needs no lock. */
static char pool[48 * 1024];
static size_t pool_used;
static int pool_full;

struct text {
	char *s;
	size_t n;
};

static void add(struct text *t, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

static void add(struct text *t, const char *fmt, ...)
{
	if (pool_full)
		return;
	size_t room = sizeof pool - pool_used - t->n;
	va_list ap;
	va_start(ap, fmt);
	int w = vsnprintf(t->s + t->n, room, fmt, ap);
	va_end(ap);
	if (w < 0 || (size_t)w >= room)
		pool_full = 1;
	else
		t->n += (size_t)w;
}

/* A text starts where the last ended; when the pool is full, all start
 * at its last byte, empty (and build fails). */
static struct text begin(void)
{
	if (pool_used >= sizeof pool)
		pool_full = 1;
	struct text t = {pool_full ? pool + sizeof pool - 1 : pool + pool_used, 0};
	t.s[0] = '\0';
	return t;
}

static const char *end(struct text *t)
{
	if (!pool_full)
		pool_used += t->n + 1;
	return t->s;
}

/* The column's name in its table. */
static const char *col_name(const struct store_col *c)
{
	return c->flags & SC_PATIENT ? "patient_id" : c->name;
}

/* Columns of a digest list: every column, or those before migration 006. */
static int in_list(const struct store_col *c, int v3)
{
	return !v3 || !(c->flags & (SC_006 | SC_006_HIST));
}

/* "id, patient_id, ..." */
static const char *digest_cols(const struct store_kind_desc *k, int v3, int *n)
{
	struct text t = begin();
	*n = 0;
	for (size_t i = 0; i < k->ncol; i++)
		if (in_list(&k->col[i], v3))
			add(&t, "%s%s", (*n)++ ? ", " : "", col_name(&k->col[i]));
	return end(&t);
}

/* json_object('id', P.id, ...) with P the row's alias. */
static const char *row_json(const struct store_kind_desc *k, int v3, const char *alias)
{
	struct text t = begin();
	add(&t, "json_object(");
	int n = 0;
	for (size_t i = 0; i < k->ncol; i++)
		if (in_list(&k->col[i], v3))
			add(&t, "%s'%s', %s.%s", n++ ? ", " : "", col_name(&k->col[i]), alias, col_name(&k->col[i]));
	add(&t, ")");
	return end(&t);
}

/* Whether row t still has the values migration 006 gave its new columns;
 * NULL when the kind has none. */
static const char *v3_state(const struct store_kind_desc *k)
{
	struct text t = begin();
	int n = 0;
	for (size_t i = 0; i < k->ncol; i++) {
		const struct store_col *c = &k->col[i];
		if (c->flags & SC_006_HIST)
			add(&t, "%st.%s = 'historical'", n++ ? " AND " : "", c->name);
		else if (c->flags & SC_006)
			add(&t, "%st.%s IS NULL", n++ ? " AND " : "", c->name);
	}
	const char *s = end(&t);
	return n ? s : NULL;
}

/* Rows of the kind in CSV column order, ordered by natural key: ?1 as-of
 * date text, ?2 MRN, ?3 as-of day number (NULL: no limit). */
static const char *export_sql(const struct store_kind_desc *k)
{
	struct text t = begin();
	int joined = 0, n = 0;
	for (size_t i = 0; i < k->ncol; i++)
		joined |= (k->col[i].flags & SC_PATIENT) != 0;
	const char *mrn = joined ? "p.mrn" : "r.mrn";
	add(&t, "SELECT ");
	for (size_t i = 0; i < k->ncol; i++) {
		const struct store_col *c = &k->col[i];
		if (!c->csv)
			continue;
		add(&t, "%s", n++ ? ", " : "");
		if (c->flags & SC_PATIENT)
			add(&t, "%s", mrn);
		else if (c->flags & SC_UNTIL)
			add(&t, "CASE WHEN ?1 IS NOT NULL AND r.%s > ?1 THEN NULL ELSE r.%s END AS %s", c->name, c->name,
			    c->name);
		else
			add(&t, "r.%s", c->name);
	}
	if (joined)
		add(&t, " FROM patients p JOIN %s r ON r.patient_id = p.id", k->table);
	else
		add(&t, " FROM %s r", k->table);
	add(&t, " WHERE (?2 IS NULL OR %s = ?2)", mrn);
	for (size_t i = 0; i < k->ncol; i++) {
		const struct store_col *c = &k->col[i];
		if (c->flags & (SC_ASOF | SC_ASOF_DAY)) {
			int p = c->flags & SC_ASOF ? 1 : 3;
			add(&t, " AND (?%d IS NULL OR r.%s <= ?%d)", p, c->name, p);
		}
	}
	add(&t, " ORDER BY ");
	n = 0;
	for (size_t i = 0; i < k->ncol; i++) {
		const struct store_col *c = &k->col[i];
		if (c->csv && (c->flags & SC_KEY))
			add(&t, "%s%s%s", n++ ? ", " : "", c->flags & SC_PATIENT ? "" : "r.",
			    c->flags & SC_PATIENT ? mrn : c->name);
	}
	return end(&t);
}

/* The columns with a parameter, in parameter order: col[i] of the kind
 * for i = order[0..return) (id has none). */
static size_t by_param(const struct store_kind_desc *k, size_t order[], size_t cap)
{
	size_t n = 0;
	for (int p = 1; p <= 64; p++)
		for (size_t i = 0; i < k->ncol && n < cap; i++)
			if (k->col[i].param == p)
				order[n++] = i;
	return n;
}

/* INSERT of every column but the id, doing nothing on a key conflict: one
 * row with the put's numbered parameters (rows 0), or `rows` rows of
 * anonymous ones, row r's columns in parameter order taking
 * r * ncolumns + 1 .. (records.c insert_batch). */
static const char *insert_sql(const struct store_kind_desc *k, int rows)
{
	struct text t = begin();
	size_t order[32];
	size_t n = by_param(k, order, sizeof order / sizeof order[0]);
	add(&t, "INSERT INTO %s (", k->table);
	for (size_t i = 0; i < n; i++)
		add(&t, "%s%s", i ? ", " : "", col_name(&k->col[order[i]]));
	add(&t, ") VALUES ");
	for (int r = 0; r < (rows ? rows : 1); r++) {
		add(&t, "%s(", r ? "," : "");
		for (size_t i = 0; i < n; i++)
			if (rows)
				add(&t, "%s?", i ? "," : "");
			else
				add(&t, "%s?%d", i ? ", " : "", k->col[order[i]].param);
		add(&t, ")");
	}
	add(&t, " ON CONFLICT (");
	int m = 0;
	for (size_t i = 0; i < k->ncol; i++)
		if (k->col[i].flags & SC_KEY)
			add(&t, "%s%s", m++ ? ", " : "", col_name(&k->col[i]));
	add(&t, ") DO NOTHING");
	return end(&t);
}

/* The parameter that says whether a column is given (0: always). */
static int given(const struct store_col *c)
{
	return c->flags & SC_IF13 ? 13 : c->flags & SC_IF16 ? 16 : 0;
}

/* A column the probe compares and the update sets. */
static int is_value(const struct store_col *c)
{
	return c->param && !(c->flags & (SC_KEY | SC_OF_KEY | SC_IMPORT));
}

/* " AND key = ?N ..." for the key columns (and those computed from it). */
static void add_key(struct text *t, const struct store_kind_desc *k, int of_key)
{
	int n = 0;
	for (size_t i = 0; i < k->ncol; i++) {
		const struct store_col *c = &k->col[i];
		if (c->flags & SC_KEY || (of_key && (c->flags & SC_OF_KEY)))
			add(t, "%s%s = ?%d", n++ ? " AND " : "", col_name(c), c->param);
	}
}

/* The row with the key: its id, import and whether any value differs. */
static const char *probe_sql(const struct store_kind_desc *k)
{
	struct text t = begin();
	int n = 0;
	add(&t, "SELECT id, import_id, (");
	for (size_t i = 0; i < k->ncol; i++) {
		const struct store_col *c = &k->col[i];
		if (!is_value(c) || (c->flags & SC_DERIVED))
			continue;
		add(&t, "%s", n++ ? " OR " : "");
		if (given(c))
			add(&t, "(?%d AND %s IS NOT ?%d)", given(c), c->name, c->param);
		else
			add(&t, "%s IS NOT ?%d", c->name, c->param);
	}
	add(&t, "%s) FROM %s WHERE ", n ? "" : "0", k->table);
	add_key(&t, k, 0);
	return end(&t);
}

/* The row by id (?21) and key: every value, and the import (?20). */
static const char *update_sql(const struct store_kind_desc *k)
{
	struct text t = begin();
	add(&t, "UPDATE %s SET ", k->table);
	for (size_t i = 0; i < k->ncol; i++) {
		const struct store_col *c = &k->col[i];
		if (!is_value(c))
			continue;
		if (given(c))
			add(&t, "%s = CASE WHEN ?%d THEN ?%d ELSE %s END, ", c->name, given(c), c->param, c->name);
		else
			add(&t, "%s = ?%d, ", c->name, c->param);
	}
	add(&t, "import_id = ?20 WHERE id = ?21 AND ");
	add_key(&t, k, 1);
	return end(&t);
}

static struct store_kind_sql kind_sql[STORE_K_COUNT];
static int built; /* 1 built, -1 did not fit */

static void build(void)
{
	for (int i = 0; i < STORE_K_COUNT; i++) {
		const struct store_kind_desc *k = &store_kinds[i];
		struct store_kind_sql *q = &kind_sql[i];
		q->export_rows = export_sql(k);
		q->insert = insert_sql(k, 0);
		if (i == STORE_K_LABS)
			q->batch = insert_sql(k, STORE_LAB_BATCH);
		q->probe = probe_sql(k);
		q->update = update_sql(k);
		q->cols = digest_cols(k, 0, &q->ncols);
		q->cols_v3 = digest_cols(k, 1, &q->ncols_v3);
		q->json = row_json(k, 0, "t");
		q->json_v3 = row_json(k, 1, "t");
		q->v3_state = v3_state(k);
		if (!q->v3_state)
			q->json_v3 = NULL; /* the same as json */
		struct text t = begin();
		add(&t, "SELECT %s FROM %s WHERE id = ?1", q->cols, k->table);
		q->readback = end(&t);
	}
	built = pool_full ? -1 : 1;
}

const struct store_kind_sql *store_kind_sql(enum store_kind k, struct ef_err *err)
{
	if (!built)
		build();
	if (built < 0 || (unsigned)k >= STORE_K_COUNT) {
		ef_errf(err, EF_DB, "internal: no SQL for record kind %d (the descriptions do not fit)", (int)k);
		return NULL;
	}
	return &kind_sql[k];
}
