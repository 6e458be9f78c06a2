/* audit.c - SQL functions of the audit trail, the import entry, verify and
 * the export of the log. The triggers are in schema/005_audit.sql (and
 * re-created by later migrations); the JSON of a row there must be exactly
 * audit_tables[].json below (with NEW./OLD. for t.), which for the record
 * kinds follows from their descriptions (engraft/columns.h):
 * tests/store/test_kinds.c checks every table of a new database. */
#include "store_int.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engraft/audit.h"
#include "engraft/columns.h"
#include "engraft/embedded.h"
#include "engraft/sha256.h"

#define ZERO_HASH "0000000000000000000000000000000000000000000000000000000000000000"
#define MAX_DIAG 20

/* The audited tables, in digest order: name, key column, whether rows carry
 * an import_id (imports are logged by digest), the JSON of a row `t`. The
 * record kinds' tables come first, in enum store_kind order, with their SQL
 * from the kinds' descriptions (engraft/columns.h; filled by tables_ready);
 * the alerts' tables are written here. */
static struct audit_table {
	const char *name;
	const char *key;
	int has_import;
	const char *json;
	const char *cols; /* digest columns of an imported row (NULL: never imported) */
	/* Tables migration 006 gave columns: the row JSON of the 005 triggers,
	 * which entries written before 006 hold, and the condition under which
	 * the row still has the values 006 gave it (then such an entry is its
	 * state); the digest columns of imports before it (versions 2, 3). */
	const char *json_v3, *dflt, *cols_v3;
	const char *readback; /* the digest columns of row ?1 */
	int ncols, ncols_v3;
} audit_tables[STORE_K_COUNT + 4] = {
	[STORE_K_COUNT] = {"alerts", "alert_id", 0,
	 "json_object('alert_id', t.alert_id, 'patient_id', t.patient_id, 'rule', t.rule, 'subject', t.subject, 'severity', t.severity, 'status', t.status, 'raised_on', t.raised_on, 'due_on', t.due_on, 'resolved_on', t.resolved_on, 'acknowledged_by', t.acknowledged_by, 'acknowledged_on', t.acknowledged_on, 'reason', t.reason, 'until', t.until, 'message', t.message)"},
	[STORE_K_COUNT + 1] = {"alert_history", "id", 0,
	 "json_object('id', t.id, 'alert_id', t.alert_id, 'on_day', t.on_day, 'at', t.at, 'user', t.user, 'event', t.event, 'status', t.status, 'message', t.message, 'reason', t.reason, 'until', t.until)"},
	/* schema 008 */
	[STORE_K_COUNT + 2] = {"staff", "id", 0,
	 "json_object('id', t.id, 'login', t.login, 'name', t.name, 'title', t.title, 'role', t.role, 'active', t.active, 'added_at', t.added_at, 'added_by', t.added_by)"},
	[STORE_K_COUNT + 3] = {"signatures", "id", 0,
	 "json_object('id', t.id, 'patient_id', t.patient_id, 'tbl', t.tbl, 'row_key', t.row_key, 'login', t.login, 'name', t.name, 'title', t.title, 'meaning', t.meaning, 'signed_at', t.signed_at)"},
};
#define N_TABLES (sizeof audit_tables / sizeof audit_tables[0])

/* Fill the record kinds' entries of audit_tables (once). */
static int tables_ready(struct ef_err *err)
{
	static int ready;
	for (int k = 0; !ready && k < STORE_K_COUNT; k++) {
		const struct store_kind_sql *q = store_kind_sql((enum store_kind)k, err);
		if (!q)
			return EF_DB;
		audit_tables[k] = (struct audit_table){
			store_kinds[k].table, "id", 1, q->json, q->cols, q->json_v3, q->v3_state,
			q->v3_state ? q->cols_v3 : NULL, q->readback, q->ncols, q->ncols_v3,
		};
	}
	ready = 1;
	return EF_OK;
}

int store_audit_table_json(size_t i, const char **name, const char **json, struct ef_err *err)
{
	int rc = tables_ready(err);
	if (rc)
		return rc;
	if (i >= N_TABLES)
		return -1;
	*name = audit_tables[i].name;
	*json = audit_tables[i].json;
	return EF_OK;
}

/* ---- hashing ---- */

/* Field encodings are gathered in a buffer and hashed one buffer at a time
 * (one update per imported row, not three per field); the digest of the
 * concatenation is the same. sink_done hashes what is left. */
struct sink {
	struct ef_sha256 *h;
	size_t n;
	unsigned char b[256];
};

static void sink_put(struct sink *k, const void *p, size_t n)
{
	if (k->n + n > sizeof k->b) {
		ef_sha256_update(k->h, k->b, k->n);
		k->n = 0;
		if (n > sizeof k->b) {
			ef_sha256_update(k->h, p, n);
			return;
		}
	}
	memcpy(k->b + k->n, p, n);
	k->n += n;
}

static void sink_done(struct sink *k)
{
	if (k->n)
		ef_sha256_update(k->h, k->b, k->n);
	k->n = 0;
}

/* A field: "<len>:<bytes>;", or "-;" for NULL (v == NULL). */
static void feed(struct sink *k, const void *v, size_t n)
{
	char len[32];
	if (!v) {
		sink_put(k, "-;", 2);
		return;
	}
	/* "%zu:" by hand: this runs for every field of every imported row */
	int i = (int)sizeof len;
	len[--i] = ':';
	size_t m = n;
	do
		len[--i] = (char)('0' + m % 10);
	while ((m /= 10) != 0);
	sink_put(k, len + i, sizeof len - (size_t)i);
	sink_put(k, v, n);
	sink_put(k, ";", 1);
}

/* An integer as decimal text, fed like a field. */
static void feed_int(struct sink *k, long long v)
{
	char buf[32];
	int i = (int)sizeof buf;
	unsigned long long m = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
	do
		buf[--i] = (char)('0' + m % 10);
	while ((m /= 10) != 0);
	if (v < 0)
		buf[--i] = '-';
	feed(k, buf + i, sizeof buf - (size_t)i);
}

/* vals[0] = previous hash, then seq, at, user, action, tbl, row_key, before, after. */
static void entry_hash(const unsigned char *const vals[9], const int lens[9], char out[EF_SHA256_HEX])
{
	struct ef_sha256 h;
	unsigned char d[EF_SHA256_LEN];
	struct sink k = {.h = &h};
	ef_sha256_init(&h);
	sink_put(&k, "engraft-audit-v1;", 17);
	for (int i = 0; i < 9; i++)
		feed(&k, vals[i], vals[i] ? (size_t)lens[i] : 0);
	sink_done(&k);
	ef_sha256_final(&h, d);
	ef_sha256_hex(d, out);
}

static void fn_audit_hash(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	const unsigned char *vals[9];
	int lens[9];
	if (argc != 9) {
		sqlite3_result_error(cx, "ef_audit_hash: 9 arguments", -1);
		return;
	}
	for (int i = 0; i < 9; i++) {
		if (sqlite3_value_type(argv[i]) == SQLITE_NULL) {
			vals[i] = NULL;
			lens[i] = 0;
			continue;
		}
		vals[i] = sqlite3_value_text(argv[i]);
		lens[i] = sqlite3_value_bytes(argv[i]);
		if (!vals[i]) {
			sqlite3_result_error_nomem(cx);
			return;
		}
	}
	char hex[EF_SHA256_HEX];
	entry_hash(vals, lens, hex);
	sqlite3_result_text(cx, hex, 64, SQLITE_TRANSIENT);
}

static void fn_user(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	(void)argc;
	(void)argv;
	const struct store *s = sqlite3_user_data(cx);
	sqlite3_result_text(cx, s->user, -1, SQLITE_TRANSIENT);
}

int store_audit_register(struct store *s, struct ef_err *err)
{
	if (sqlite3_create_function_v2(s->db, "ef_audit_hash", 9, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
				       NULL, fn_audit_hash, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_create_function_v2(s->db, "ef_user", 0, SQLITE_UTF8 | SQLITE_INNOCUOUS, s, fn_user, NULL, NULL,
				       NULL) != SQLITE_OK)
		return store_dberr(s, err, "register audit functions");
	return EF_OK;
}

/* ---- small helpers ---- */

static int prep(struct store *s, const char *sql, sqlite3_stmt **st, struct ef_err *err)
{
	if (sqlite3_prepare_v2(s->db, sql, -1, st, NULL) != SQLITE_OK) {
		*st = NULL;
		return store_dberr(s, err, "audit");
	}
	return EF_OK;
}

/* "t.a, t.b" (before = 0) or "json_extract(f.before, '$.a'), ..." (before = 1)
 * from a digest column list "a, b". */
static void col_list(char *out, size_t size, const char *cols, int before)
{
	size_t o = 0;
	out[0] = '\0';
	while (*cols) {
		while (*cols == ' ' || *cols == ',')
			cols++;
		size_t n = strcspn(cols, ", ");
		if (!n)
			break;
		int k = before ? snprintf(out + o, size - o, "%sjson_extract(f.before, '$.%.*s')", o ? ", " : "",
					  (int)n, cols)
			       : snprintf(out + o, size - o, "%st.%.*s", o ? ", " : "", (int)n, cols);
		if (k < 0 || (size_t)k >= size - o)
			break;
		o += (size_t)k;
		cols += n;
	}
}

/* Per-table SQL from a template: @T table, @J row JSON (alias t), @K key
 * column, @I the row's import_id (NULL for tables without one), @C the
 * digest columns of t, @B the same from the JSON f.before, @O the row JSON
 * before migration 006 (NULL if the same) and @D whether t still has the
 * values 006 gave its new columns (0 if none). */
static char *table_sql(const char *fmt, const struct audit_table *t)
{
	char ccols[1024], bcols[2048];
	col_list(ccols, sizeof ccols, t->cols ? t->cols : "", 0);
	col_list(bcols, sizeof bcols, t->cols ? t->cols : "", 1);
	if (!ccols[0]) /* a table rows are never imported into: one NULL column */
		strcpy(ccols, "NULL"), strcpy(bcols, "NULL");
	const char *jold = t->json_v3 ? t->json_v3 : "NULL", *dflt = t->dflt ? t->dflt : "0";
	size_t n = strlen(fmt) + 4 * (strlen(t->name) + strlen(t->json) + strlen(t->key) + 16) + strlen(ccols) +
		   strlen(bcols) + 2 * (strlen(jold) + strlen(dflt)) + 1;
	char *q = malloc(n);
	if (!q)
		return NULL;
	/* The templates use each placeholder in order: expand by hand (no %n$). */
	char *o = q;
	for (const char *p = fmt; *p; p++) {
		if (p[0] == '@' && p[1] && strchr("TJKICBOD", p[1])) {
			const char *v = p[1] == 'T' ? t->name : p[1] == 'J' ? t->json : p[1] == 'K' ? t->key
				      : p[1] == 'C' ? ccols : p[1] == 'B' ? bcols : p[1] == 'O' ? jold : p[1] == 'D' ? dflt
				      : t->has_import ? "t.import_id" : "NULL";
			size_t k = strlen(v);
			memcpy(o, v, k);
			o += k;
			p++;
			continue;
		}
		*o++ = *p;
	}
	*o = '\0';
	return q;
}

/* ---- the import entry ---- */

int store_audit_import_begin(struct store *s, struct ef_err *err)
{
	static const char sql[] = "SELECT coalesce(max(row_key), 0) FROM audit_log WHERE tbl = ?1";
	_Static_assert(N_TABLES <= sizeof s->audit_maxlogged / sizeof s->audit_maxlogged[0],
		       "audit_maxlogged too small");
	if (tables_ready(err))
		return EF_DB;
	for (size_t i = 0; i < N_TABLES; i++) {
		if (!audit_tables[i].has_import)
			continue;
		sqlite3_stmt *st = store_stmt(s, sql, err);
		if (!st)
			return EF_DB;
		sqlite3_bind_text(st, 1, audit_tables[i].name, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_ROW) {
			int rc = store_dberr(s, err, "audit the import");
			sqlite3_reset(st);
			return rc;
		}
		s->audit_maxlogged[i] = sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
	}
	for (size_t i = 0; i < N_TABLES; i++) {
		ef_sha256_init(&s->audit_digest[i]);
		s->audit_count[i] = 0;
	}
	s->audit_digest_on = 1;
	return EF_OK;
}

/* The digest of an import's rows has had three encodings; the import's log
 * entry names its own ('rows_digest_v', absent in version 2):
 *   2: a REAL that is not whole as sqlite3 "%!.15g" text;
 *   3: a REAL that is not whole as its 8 IEEE-754 bytes (big-endian): exact,
 *      and formatting a double per row was 5% of a million-row import;
 *   4: as 3, with the columns of migration 006 (engraft/columns.h) after
 *      import_id, and "engraft-import-v4;" as the prefix.
 * Everything else is the same in all. */
#define DIGEST_V_OLD 2
#define DIGEST_V 4

/* One value as SQLite renders it, length-prefixed; numbers in one spelling
 * whatever their storage class (a whole REAL such as IgG 520.0 is stored as
 * an INTEGER and read back as REAL). */
static void feed_value(struct sink *h, const struct audit_val *v, int version)
{
	char num[64];
	switch (v->type) {
	case SQLITE_INTEGER:
		feed_int(h, v->i);
		break;
	case SQLITE_FLOAT:
		if (v->d == floor(v->d) && fabs(v->d) < 9e15) {
			feed_int(h, (long long)v->d);
		} else if (version >= 3) {
			uint64_t bits;
			unsigned char be[8];
			memcpy(&bits, &v->d, sizeof bits);
			for (int k = 0; k < 8; k++)
				be[k] = (unsigned char)(bits >> (56 - 8 * k));
			feed(h, be, sizeof be);
		} else {
			sqlite3_snprintf(sizeof num, num, "%!.15g", v->d);
			feed(h, num, strlen(num));
		}
		break;
	case SQLITE_NULL:
		feed(h, NULL, 0);
		break;
	default:
		feed(h, v->s, v->n);
		break;
	}
}

/* Digest input for one imported row: each digest column as
 * SQLite renders it (column i of st from `first`), length-prefixed. */
static void digest_cols(struct ef_sha256 *hash, sqlite3_stmt *st, int first, int n, int version)
{
	struct sink h = {.h = hash};
	for (int i = first; i < first + n; i++) {
		struct audit_val v = {.type = sqlite3_column_type(st, i)};
		if (v.type == SQLITE_INTEGER)
			v.i = sqlite3_column_int64(st, i);
		else if (v.type == SQLITE_FLOAT)
			v.d = sqlite3_column_double(st, i);
		else if (v.type != SQLITE_NULL) {
			v.type = SQLITE_TEXT;
			v.s = (const char *)sqlite3_column_text(st, i);
			v.n = (size_t)sqlite3_column_bytes(st, i);
		}
		feed_value(&h, &v, version);
	}
	sink_done(&h);
}

/* An import's digest: per audited table with rows, in table order, the
 * table, its row count and the SHA-256 of its rows (ascending id, each as
 * digest_cols feeds it). Per-table streams let an import insert into several
 * tables in any interleaving (engraft demo) and verify read table by table. */
static void digest_combine(struct ef_sha256 *per_table, const int64_t *count, int version,
			   char hex[EF_SHA256_HEX], int64_t *covered)
{
	struct ef_sha256 h;
	unsigned char d[EF_SHA256_LEN];
	char th[EF_SHA256_HEX], n[32];
	ef_sha256_init(&h);
	ef_sha256_update(&h, version >= 4 ? "engraft-import-v4;" : version >= 3 ? "engraft-import-v3;" : "engraft-import-v2;",
			 18);
	*covered = 0;
	for (size_t i = 0; i < N_TABLES; i++) {
		if (!count[i])
			continue;
		ef_sha256_final(&per_table[i], d);
		ef_sha256_hex(d, th);
		snprintf(n, sizeof n, "%lld", (long long)count[i]);
		struct sink k = {.h = &h};
		feed(&k, audit_tables[i].name, strlen(audit_tables[i].name));
		feed(&k, n, strlen(n));
		feed(&k, th, 64);
		sink_done(&k);
		*covered += count[i];
	}
	ef_sha256_final(&h, d);
	ef_sha256_hex(d, hex);
}

/* An imported row whose id the log has seen before (a row deleted and its
 * id reused) gets its own 'insert' entry, exactly as the insert trigger
 * writes one for a row entered without an import, so that its history reads
 * on. Rare: the statement is prepared on the spot. Returns -1 (not digested)
 * or an error status. */
static int log_reused(struct store *s, const struct audit_table *t, int64_t id, struct ef_err *err)
{
	char *q = table_sql("INSERT INTO audit_log (at, user, action, tbl, row_key, before, after) "
			    "SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'insert', '@T', t.@K, NULL, @J "
			    "FROM @T t WHERE t.@K = ?1",
			    t);
	sqlite3_stmt *st = NULL;
	if (!q)
		return ef_errf(err, EF_DB, "out of memory");
	int rc = prep(s, q, &st, err);
	free(q);
	if (rc)
		return rc;
	sqlite3_bind_int64(st, 1, id);
	rc = sqlite3_step(st) == SQLITE_DONE ? -1 : store_dberr(s, err, "audit the import");
	sqlite3_finalize(st);
	return rc;
}

/* The audited table an imported row of `table` feeds, or -1 when the row
 * must not be digested (no import running; or its id was logged before, a
 * row deleted and its id reused: then the insert trigger logged it itself). */
static int digest_slot(struct store *s, const char *table, int64_t id, size_t *slot, struct ef_err *err)
{
	static const char exists_sql[] = "SELECT 1 FROM audit_log WHERE tbl = ?1 AND row_key = ?2 LIMIT 1";
	if (!s->audit_digest_on)
		return -1;
	size_t i = 0;
	while (i < N_TABLES && strcmp(audit_tables[i].name, table) != 0)
		i++;
	if (i == N_TABLES || !audit_tables[i].readback)
		return ef_errf(err, EF_DB, "audit: %s is not an audited table", table);
	if (id <= s->audit_maxlogged[i]) {
		sqlite3_stmt *q = store_stmt(s, exists_sql, err);
		if (!q)
			return EF_DB;
		sqlite3_bind_text(q, 1, table, -1, SQLITE_STATIC);
		sqlite3_bind_int64(q, 2, id);
		int r = sqlite3_step(q);
		sqlite3_reset(q);
		if (r == SQLITE_ROW)
			return log_reused(s, &audit_tables[i], id, err);
		if (r != SQLITE_DONE)
			return store_dberr(s, err, "audit the import");
	}
	*slot = i;
	return EF_OK;
}

int store_audit_digest_vals(struct store *s, const char *table, const struct audit_val *v, int n,
			    struct ef_err *err)
{
	size_t i;
	int rc = digest_slot(s, table, v[0].i, &i, err);
	if (rc)
		return rc < 0 ? EF_OK : rc;
	if (n != audit_tables[i].ncols)
		return ef_errf(err, EF_DB, "audit: %d values for %s, which has %d digest columns", n, table,
			       audit_tables[i].ncols);
	struct sink h = {.h = &s->audit_digest[i]};
	for (int k = 0; k < n; k++)
		feed_value(&h, &v[k], DIGEST_V);
	sink_done(&h);
	s->audit_count[i]++;
	return EF_OK;
}

int store_audit_digest_row(struct store *s, const char *table, int64_t id, struct ef_err *err)
{
	size_t i;
	int rc = digest_slot(s, table, id, &i, err);
	if (rc)
		return rc < 0 ? EF_OK : rc;
	sqlite3_stmt *st = store_stmt(s, audit_tables[i].readback, err);
	if (!st)
		return EF_DB;
	sqlite3_bind_int64(st, 1, id);
	int r = sqlite3_step(st);
	if (r != SQLITE_ROW) {
		rc = r == SQLITE_DONE ? ef_errf(err, EF_DB, "audit the import: %s row %lld vanished", table,
						(long long)id)
				      : store_dberr(s, err, "audit the import");
		sqlite3_reset(st);
		return rc;
	}
	digest_cols(&s->audit_digest[i], st, 0, audit_tables[i].ncols, DIGEST_V);
	sqlite3_reset(st);
	s->audit_count[i]++;
	return EF_OK;
}

int store_audit_import(struct store *s, int64_t import_id, struct ef_err *err)
{
	int rc;
	char hex[EF_SHA256_HEX];
	int64_t covered;
	if (!s->audit_digest_on)
		return ef_errf(err, EF_DB, "audit the import: the import was not begun");
	digest_combine(s->audit_digest, s->audit_count, DIGEST_V, hex, &covered);
	s->audit_digest_on = 0;
	static const char sql[] =
		"INSERT INTO audit_log (at, user, action, tbl, row_key, before, after) "
		"SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'import', 'imports', id, NULL, "
		"json_object('import_id', id, 'kind', kind, 'file_name', file_name, 'file_sha256', file_sha256, "
		"'rows_inserted', rows_inserted, 'rows_updated', rows_updated, 'rows_unchanged', rows_unchanged, "
		"'rows_covered', ?2, 'rows_digest', ?3, 'rows_digest_v', ?4) FROM imports WHERE id = ?1";
	sqlite3_stmt *st = store_stmt(s, sql, err);
	if (!st)
		return EF_DB;
	sqlite3_bind_int64(st, 1, import_id);
	sqlite3_bind_int64(st, 2, covered);
	sqlite3_bind_text(st, 3, hex, 64, SQLITE_TRANSIENT);
	sqlite3_bind_int(st, 4, DIGEST_V);
	if ((rc = store_exec_stmt(s, st, err, "audit the import")))
		return rc;
	if (sqlite3_changes(s->db) != 1)
		return ef_errf(err, EF_DB, "audit the import: no import %" PRId64, import_id);
	return EF_OK;
}

/* ---- verify ---- */

struct imp_digest {
	int64_t id;
	int64_t covered_want, covered;
	int version; /* of the digest's encoding */
	char want[EF_SHA256_HEX];
	char file[128];
	struct ef_sha256 h[16]; /* per audited table, as the import fed them */
	int64_t n[16];
};

struct verify {
	struct store *s;
	store_audit_diag_fn diag;
	void *ctx;
	struct store_audit_summary *sum;
	struct ef_err *err;
	struct imp_digest *imps;
	size_t n_imps;
};

static void problem(struct verify *v, const char *fmt, ...)
#if defined(__GNUC__)
	__attribute__((format(printf, 2, 3)))
#endif
	;

static void problem(struct verify *v, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (v->sum->problems == 0)
		ef_errf(v->err, EF_AUDIT, "%s", msg);
	v->sum->problems++;
	if (v->diag && v->sum->problems <= MAX_DIAG)
		v->diag(v->ctx, msg);
	else if (v->diag && v->sum->problems == MAX_DIAG + 1)
		v->diag(v->ctx, "(more problems not shown)");
}

static int in_migrations(const char *sql)
{
	for (const struct ef_blob *m = ef_migrations; m->name; m++)
		if (strstr(m->data, sql))
			return 1;
	return 0;
}

/* Every trigger must be one the migrations create, word for word, and the
 * audit triggers must all be there. */
static int check_triggers(struct verify *v)
{
	sqlite3_stmt *st;
	int rc = prep(v->s, "SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' ORDER BY name", &st, v->err);
	if (rc)
		return rc;
	int r;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		const char *sql = (const char *)sqlite3_column_text(st, 1);
		if (!sql || !in_migrations(sql))
			problem(v, "trigger %s is not one engraft created (the schema was changed outside engraft)",
				name ? name : "?");
	}
	if (r != SQLITE_DONE)
		rc = store_dberr(v->s, v->err, "audit verify");
	sqlite3_finalize(st);
	if (rc)
		return rc;
	if ((rc = prep(v->s, "SELECT 1 FROM sqlite_schema WHERE type = 'trigger' AND name = ?1", &st, v->err)))
		return rc;
	static const char *const fixed[] = {"audit_log_seal", "audit_log_no_update", "audit_log_no_delete"};
	static const char *const ops[] = {"insert", "update", "delete"};
	for (size_t i = 0; i < 3 + 3 * N_TABLES && !rc; i++) {
		char name[128];
		if (i < 3)
			snprintf(name, sizeof name, "%s", fixed[i]);
		else
			snprintf(name, sizeof name, "audit_%s_%s", audit_tables[(i - 3) / 3].name, ops[(i - 3) % 3]);
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
		r = sqlite3_step(st);
		if (r == SQLITE_DONE)
			problem(v, "trigger %s is missing (dropped outside engraft): changes since then are not logged",
				name);
		else if (r != SQLITE_ROW)
			rc = store_dberr(v->s, v->err, "audit verify");
	}
	sqlite3_finalize(st);
	return rc;
}

static int parse_head(const char *s, int64_t *seq, char hash[EF_SHA256_HEX])
{
	char *end;
	if (!s || !(*s >= '0' && *s <= '9'))
		return -1;
	long long n = strtoll(s, &end, 10);
	if (*end != ':' || n <= 0 || strlen(end + 1) != 64)
		return -1;
	for (int i = 0; i < 64; i++) {
		char c = end[1 + i];
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
			return -1;
		hash[i] = c;
	}
	hash[64] = '\0';
	*seq = n;
	return 0;
}

/* Walk the chain; stop at the first broken link. Sets *chain_ok. */
static int check_chain(struct verify *v, const char *expect_head, int *chain_ok)
{
	int64_t want_seq = 0;
	char want_hash[EF_SHA256_HEX] = "";
	int expect_found = 0;
	if (expect_head && parse_head(expect_head, &want_seq, want_hash))
		return ef_errf(v->err, EF_USAGE, "--head: '%s' is not SEQ:HASH (as printed by audit verify)",
			       expect_head);
	sqlite3_stmt *st;
	int rc = prep(v->s,
		      "SELECT seq, at, user, action, tbl, row_key, before, after, hash FROM audit_log ORDER BY seq",
		      &st, v->err);
	if (rc)
		return rc;
	char prev[EF_SHA256_HEX] = ZERO_HASH;
	int64_t expect = 1;
	int r;
	*chain_ok = 1;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t seq = sqlite3_column_int64(st, 0);
		const unsigned char *vals[9];
		int lens[9];
		vals[0] = (const unsigned char *)prev;
		lens[0] = 64;
		for (int i = 0; i < 8; i++) {
			if (sqlite3_column_type(st, i) == SQLITE_NULL) {
				vals[i + 1] = NULL;
				lens[i + 1] = 0;
			} else {
				vals[i + 1] = sqlite3_column_text(st, i);
				lens[i + 1] = sqlite3_column_bytes(st, i);
			}
		}
		const char *stored = (const char *)sqlite3_column_text(st, 8);
		if (seq != expect) {
			if (seq > expect)
				problem(v, "audit log: entries %" PRId64 " to %" PRId64 " are missing (removed)", expect,
					seq - 1);
			else
				problem(v, "audit log: entry %" PRId64 " is out of order", seq);
			*chain_ok = 0;
			break;
		}
		char hex[EF_SHA256_HEX];
		entry_hash(vals, lens, hex);
		if (!stored || strcmp(stored, hex) != 0) {
			problem(v,
				"audit log: entry %" PRId64 " does not match its hash (it, or the entry before it, was "
				"edited, removed or reordered)",
				seq);
			*chain_ok = 0;
			break;
		}
		memcpy(prev, hex, sizeof prev);
		if (expect_head && seq == want_seq) {
			expect_found = 1;
			if (strcmp(hex, want_hash) != 0)
				problem(v, "audit log: entry %" PRId64 " has hash %s, not the %s recorded: the log was "
					   "rewritten", seq, hex, want_hash);
		}
		v->sum->entries++;
		v->sum->head_seq = seq;
		memcpy(v->sum->head_hash, hex, sizeof prev);
		expect++;
	}
	if (r != SQLITE_DONE && r != SQLITE_ROW)
		rc = store_dberr(v->s, v->err, "audit verify");
	sqlite3_finalize(st);
	if (rc)
		return rc;
	if (expect_head && *chain_ok && !expect_found)
		problem(v, "audit log: has no entry %" PRId64 " (recorded head): entries were cut from the end",
			want_seq);
	if (!*chain_ok)
		return EF_OK;
	/* The head must be the last entry. */
	if ((rc = prep(v->s, "SELECT seq, hash FROM audit_head WHERE id = 1", &st, v->err)))
		return rc;
	r = sqlite3_step(st);
	if (r == SQLITE_ROW) {
		int64_t hseq = sqlite3_column_int64(st, 0);
		const char *hhash = (const char *)sqlite3_column_text(st, 1);
		if (hseq > v->sum->head_seq)
			problem(v, "audit log: ends at entry %" PRId64 " but its head says %" PRId64
				   ": entries were cut from the end", v->sum->head_seq, hseq);
		else if (hseq < v->sum->head_seq || !hhash || strcmp(hhash, v->sum->head_hash) != 0)
			problem(v, "audit log: its head (entry %" PRId64 ") does not match the last entry %" PRId64,
				hseq, v->sum->head_seq);
	} else if (r == SQLITE_DONE) {
		problem(v, "audit log: its head is missing");
	} else {
		rc = store_dberr(v->s, v->err, "audit verify");
	}
	sqlite3_finalize(st);
	return rc;
}

static int cmp_imp(const void *a, const void *b)
{
	const struct imp_digest *x = a, *y = b;
	return x->id < y->id ? -1 : x->id > y->id;
}

static struct imp_digest *find_imp(struct verify *v, int64_t id)
{
	struct imp_digest key = {.id = id};
	return bsearch(&key, v->imps, v->n_imps, sizeof key, cmp_imp);
}

static int load_imports(struct verify *v)
{
	sqlite3_stmt *st;
	int rc = prep(v->s,
		      "SELECT row_key, json_extract(after, '$.rows_digest'), json_extract(after, '$.rows_covered'), "
		      "json_extract(after, '$.file_name'), json_extract(after, '$.rows_digest_v') "
		      "FROM audit_log WHERE action = 'import' ORDER BY row_key",
		      &st, v->err);
	if (rc)
		return rc;
	size_t cap = 0;
	int r;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		if (v->n_imps == cap) {
			cap = cap ? cap * 2 : 64;
			struct imp_digest *n = realloc(v->imps, cap * sizeof *n);
			if (!n) {
				sqlite3_finalize(st);
				return ef_errf(v->err, EF_DB, "out of memory");
			}
			v->imps = n;
		}
		struct imp_digest *d = &v->imps[v->n_imps++];
		memset(d, 0, sizeof *d);
		d->id = sqlite3_column_int64(st, 0);
		const char *w = (const char *)sqlite3_column_text(st, 1);
		snprintf(d->want, sizeof d->want, "%s", w ? w : "");
		d->covered_want = sqlite3_column_int64(st, 2);
		const char *f = (const char *)sqlite3_column_text(st, 3);
		snprintf(d->file, sizeof d->file, "%s", f ? f : "");
		d->version = sqlite3_column_type(st, 4) == SQLITE_NULL ? DIGEST_V_OLD : sqlite3_column_int(st, 4);
		for (size_t t = 0; t < N_TABLES; t++) {
			ef_sha256_init(&d->h[t]);
			d->n[t] = 0;
		}
	}
	if (r != SQLITE_DONE)
		rc = store_dberr(v->s, v->err, "audit verify");
	sqlite3_finalize(st);
	return rc;
}

/* Rows whose last logged state differs from the row, or that are gone. */
static const char changed_fmt[] =
	"SELECT t.@K, l.action FROM @T t JOIN audit_log l ON l.tbl = '@T' AND l.row_key = t.@K "
	"AND l.seq = (SELECT max(m.seq) FROM audit_log m WHERE m.tbl = '@T' AND m.row_key = t.@K) "
	"WHERE l.action = 'delete' OR (l.after IS NOT @J AND NOT (@D AND l.after IS @O))";
static const char gone_fmt[] =
	"SELECT l.row_key FROM audit_log l WHERE l.tbl = '@T' AND l.action <> 'delete' "
	"AND l.seq = (SELECT max(m.seq) FROM audit_log m WHERE m.tbl = '@T' AND m.row_key = l.row_key) "
	"AND NOT EXISTS (SELECT 1 FROM @T x WHERE x.@K = l.row_key)";
/* Rows not logged one by one, in the state their import left them: rows with
 * no entry as they are now, and rows whose first entry is an update or a
 * delete as that entry's `before`. */
static const char origin_fmt[] =
	"SELECT * FROM ("
	"SELECT @I AS import_id, t.@K AS id, @C FROM @T t "
	"WHERE NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.tbl = '@T' AND a.row_key = t.@K) "
	"UNION ALL "
	"SELECT json_extract(f.before, '$.import_id'), f.row_key, @B FROM audit_log f "
	"WHERE f.tbl = '@T' AND f.action IN ('update', 'delete') "
	"AND f.seq = (SELECT min(m.seq) FROM audit_log m WHERE m.tbl = '@T' AND m.row_key = f.row_key)"
	") ORDER BY id";

static int run_table_query(struct verify *v, const char *fmt, const struct audit_table *t, sqlite3_stmt **st)
{
	char *q = table_sql(fmt, t);
	if (!q)
		return ef_errf(v->err, EF_DB, "out of memory");
	int rc = prep(v->s, q, st, v->err);
	free(q);
	return rc;
}

static int check_table(struct verify *v, const struct audit_table *t)
{
	sqlite3_stmt *st;
	int rc, r;
	if ((rc = run_table_query(v, changed_fmt, t, &st)))
		return rc;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		const char *act = (const char *)sqlite3_column_text(st, 1);
		if (act && strcmp(act, "delete") == 0)
			problem(v, "%s row %" PRId64 ": the audit log records it as deleted, but it exists "
				   "(re-inserted outside engraft)", t->name, (int64_t)sqlite3_column_int64(st, 0));
		else
			problem(v, "%s row %" PRId64 ": differs from the last state in the audit log (changed "
				   "outside engraft)", t->name, (int64_t)sqlite3_column_int64(st, 0));
	}
	if (r != SQLITE_DONE)
		rc = store_dberr(v->s, v->err, "audit verify");
	sqlite3_finalize(st);
	if (rc || (rc = run_table_query(v, gone_fmt, t, &st)))
		return rc;
	while ((r = sqlite3_step(st)) == SQLITE_ROW)
		problem(v, "%s row %" PRId64 ": in the audit log but missing (deleted outside engraft)", t->name,
			(int64_t)sqlite3_column_int64(st, 0));
	if (r != SQLITE_DONE)
		rc = store_dberr(v->s, v->err, "audit verify");
	sqlite3_finalize(st);
	if (rc || (rc = run_table_query(v, origin_fmt, t, &st)))
		return rc;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 1);
		struct imp_digest *d = NULL;
		if (sqlite3_column_type(st, 0) != SQLITE_NULL)
			d = find_imp(v, sqlite3_column_int64(st, 0));
		if (!d) {
			problem(v, "%s row %" PRId64 ": not in the audit log (added outside engraft)", t->name, id);
			continue;
		}
		size_t ti = (size_t)(t - audit_tables);
		digest_cols(&d->h[ti], st, 2, d->version >= 4 || !t->cols_v3 ? t->ncols : t->ncols_v3, d->version);
		d->n[ti]++;
		d->covered++;
	}
	if (r != SQLITE_DONE)
		rc = store_dberr(v->s, v->err, "audit verify");
	sqlite3_finalize(st);
	if (rc)
		return rc;
	char *q = table_sql("SELECT count(*) FROM @T", t);
	if (!q)
		return ef_errf(v->err, EF_DB, "out of memory");
	rc = prep(v->s, q, &st, v->err);
	free(q);
	if (rc)
		return rc;
	if (sqlite3_step(st) == SQLITE_ROW)
		v->sum->rows += sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return EF_OK;
}

/* Every import record has its audit entry, and says what the entry says. */
static int check_import_rows(struct verify *v)
{
	sqlite3_stmt *st;
	int rc = prep(v->s,
		      "SELECT i.id, a.seq FROM imports i LEFT JOIN audit_log a ON a.tbl = 'imports' AND a.row_key = i.id "
		      "AND a.action IN ('import', 'baseline') WHERE a.seq IS NULL OR (a.action = 'import' AND ("
		      "json_extract(a.after, '$.kind') IS NOT i.kind OR json_extract(a.after, '$.file_name') IS NOT i.file_name "
		      "OR json_extract(a.after, '$.file_sha256') IS NOT i.file_sha256 "
		      "OR json_extract(a.after, '$.rows_inserted') IS NOT i.rows_inserted "
		      "OR json_extract(a.after, '$.rows_updated') IS NOT i.rows_updated "
		      "OR json_extract(a.after, '$.rows_unchanged') IS NOT i.rows_unchanged)) ORDER BY i.id",
		      &st, v->err);
	if (rc)
		return rc;
	int r;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		if (sqlite3_column_type(st, 1) == SQLITE_NULL)
			problem(v, "import %" PRId64 ": not in the audit log (added outside engraft, or its entry "
				   "was cut from the log)", (int64_t)sqlite3_column_int64(st, 0));
		else
			problem(v, "import %" PRId64 ": its record differs from its audit entry (changed outside "
				   "engraft)", (int64_t)sqlite3_column_int64(st, 0));
	}
	if (r != SQLITE_DONE)
		rc = store_dberr(v->s, v->err, "audit verify");
	sqlite3_finalize(st);
	return rc;
}

int store_audit_verify(struct store *s, const char *expect_head, store_audit_diag_fn diag, void *ctx,
		       struct store_audit_summary *sum, struct ef_err *err)
{
	memset(sum, 0, sizeof *sum);
	snprintf(sum->head_hash, sizeof sum->head_hash, "%s", ZERO_HASH);
	struct verify v = {.s = s, .diag = diag, .ctx = ctx, .sum = sum, .err = err};
	int rc = tables_ready(err);
	if (rc)
		return rc;
	/* One read snapshot: writers go on, we see one consistent state. */
	rc = sqlite3_exec(s->db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK ? EF_OK
									: store_dberr(s, err, "audit verify");
	if (rc)
		return rc;
	int chain_ok = 0;
	if ((rc = check_triggers(&v)) || (rc = check_chain(&v, expect_head, &chain_ok)))
		goto out;
	if ((rc = load_imports(&v)))
		goto out;
	for (size_t i = 0; i < N_TABLES && !rc; i++)
		rc = check_table(&v, &audit_tables[i]);
	if (!rc)
		rc = check_import_rows(&v);
	if (rc)
		goto out;
	for (size_t i = 0; i < v.n_imps; i++) {
		struct imp_digest *d = &v.imps[i];
		char hex[EF_SHA256_HEX];
		int64_t covered;
		if (d->version < DIGEST_V_OLD || d->version > DIGEST_V) {
			problem(&v, "import %" PRId64 " (%s): its digest is of an unknown version %d", d->id, d->file,
				d->version);
			sum->imports++;
			continue;
		}
		digest_combine(d->h, d->n, d->version, hex, &covered);
		if (strcmp(hex, d->want) != 0 || d->covered != d->covered_want)
			problem(&v,
				"import %" PRId64 " (%s): the %" PRId64 " rows it inserted no longer match its digest "
				"(%" PRId64 " found): rows were changed, added or deleted outside engraft",
				d->id, d->file, d->covered_want, d->covered);
		sum->imports++;
	}
out:
	free(v.imps);
	sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL);
	if (rc)
		return rc;
	return sum->problems ? EF_AUDIT : EF_OK;
}

/* ---- export ---- */

int store_audit_rows(struct store *s, store_row_fn fn, void *ctx, struct ef_err *err)
{
	static const char sql[] =
		"SELECT seq, at, user, action, tbl, row_key, before, after, hash FROM audit_log ORDER BY seq";
	sqlite3_stmt *st = store_stmt(s, sql, err);
	if (!st)
		return EF_DB;
	const char *vals[9];
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (int i = 0; i < 9; i++)
			vals[i] = (const char *)sqlite3_column_text(st, i);
		int r = fn(ctx, vals, 9, err);
		if (r) {
			sqlite3_reset(st);
			return r;
		}
	}
	if (rc != SQLITE_DONE) {
		rc = store_dberr(s, err, "export audit");
		sqlite3_reset(st);
		return rc;
	}
	sqlite3_reset(st);
	return EF_OK;
}
