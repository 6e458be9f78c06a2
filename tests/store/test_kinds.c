/* Store: the one description of each record kind (engraft/columns.h) and
 * the schema cannot drift apart. On a fresh database: the audit triggers
 * write exactly the row JSON audit verify expects (generated from the
 * description for the record kinds), migration 005's triggers the JSON
 * entries before 006 hold; the digest columns are every column of the table
 * in order; the export SELECT has the CSV header's columns in its order. */
#include <check.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "../testutil.h"
#include "engraft/columns.h"
#include "engraft/embedded.h"
#include "kinds.h"
#include "store_int.h"

static char *dir;
static struct store *s;

static void setup(void)
{
	dir = tu_tmpdir();
	s = tu_open(dir, "kinds.db");
}

static void teardown(void)
{
	store_close(s);
	tu_rmdir(dir);
}

/* json with every ", t." (and the first "t.") as ", ROW." */
static void with_row(const char *json, const char *row, char *out, size_t size)
{
	size_t o = 0;
	for (const char *p = json; *p && o + 8 < size; p++) {
		if (p[0] == 't' && p[1] == '.' && p > json && p[-1] == ' ') {
			o += (size_t)snprintf(out + o, size - o, "%s.", row);
			p++;
			continue;
		}
		out[o++] = *p;
	}
	ck_assert_int_lt(o + 8, size);
	out[o] = '\0';
}

/* The json_object(...) calls of sql in order, balanced parentheses, each
 * followed by "\n" in out. */
static void json_calls(const char *sql, char *out, size_t size)
{
	size_t o = 0;
	out[0] = '\0';
	for (const char *p = strstr(sql, "json_object("); p; p = strstr(p, "json_object(")) {
		int depth = 0;
		const char *e = p;
		for (; *e; e++) {
			if (*e == '(')
				depth++;
			else if (*e == ')' && --depth == 0)
				break;
		}
		ck_assert_int_eq(depth, 0);
		size_t n = (size_t)(e + 1 - p);
		ck_assert_int_lt(o + n + 1, size);
		memcpy(out + o, p, n);
		o += n;
		out[o++] = '\n';
		out[o] = '\0';
		p = e + 1;
	}
}

static const struct store_kind_sql *sql_of(int k)
{
	struct ef_err err;
	const struct store_kind_sql *q = store_kind_sql((enum store_kind)k, &err);
	ck_assert_msg(q != NULL, "%s", err.msg);
	return q;
}

static char *trigger_sql(const char *name)
{
	sqlite3_stmt *st;
	ck_assert_int_eq(sqlite3_prepare_v2(s->db, "SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = ?1",
					    -1, &st, NULL),
			 SQLITE_OK);
	sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
	ck_assert_msg(sqlite3_step(st) == SQLITE_ROW, "trigger %s is missing", name);
	char *sql = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	ck_assert_ptr_nonnull(sql);
	return sql;
}

START_TEST(audit_triggers_write_the_json_verify_expects)
{
	static const struct {
		const char *op;
		const char *rows[2];
	} ops[] = {{"insert", {"NEW"}}, {"update", {"OLD", "NEW"}}, {"delete", {"OLD"}}};
	const char *name, *json;
	struct ef_err err;
	size_t i = 0;
	for (; store_audit_table_json(i, &name, &json, &err) == EF_OK; i++) {
		for (size_t o = 0; o < 3; o++) {
			char tname[128], want[8192], got[8192], one[4096];
			snprintf(tname, sizeof tname, "audit_%s_%s", name, ops[o].op);
			want[0] = '\0';
			for (int r = 0; r < 2 && ops[o].rows[r]; r++) {
				with_row(json, ops[o].rows[r], one, sizeof one);
				strcat(want, one);
				strcat(want, "\n");
			}
			char *sql = trigger_sql(tname);
			json_calls(sql, got, sizeof got);
			ck_assert_msg(strcmp(got, want) == 0, "%s writes\n%s\nbut audit verify expects\n%s", tname, got, want);
			free(sql);
		}
	}
	ck_assert_uint_eq(i, STORE_K_COUNT + 4); /* the kinds' tables, alerts, alert_history, staff, signatures */
}
END_TEST

/* The kinds whose tables existed before migration 006 (status came with
 * schema 012 and followups with 015, entered_in_error and all: they have no
 * earlier era; they are the last kinds). */
#define KINDS_BEFORE_006 STORE_K_STATUS

/* Entries written before migration 006 hold the JSON of the 005 triggers:
 * json_v3 (or json, for tables 006 left alone) must be that, word for word. */
START_TEST(json_before_006_is_migration_005s)
{
	const char *m005 = NULL;
	for (const struct ef_blob *m = ef_migrations; m->name; m++)
		if (strcmp(m->name, "005_audit.sql") == 0)
			m005 = m->data;
	ck_assert_ptr_nonnull(m005);
	for (int k = 0; k < KINDS_BEFORE_006; k++) {
		const struct store_kind_sql *q = sql_of(k);
		char want[4096];
		with_row(q->json_v3 ? q->json_v3 : q->json, "NEW", want, sizeof want);
		ck_assert_msg(strstr(m005, want) != NULL, "005_audit.sql has no %s", want);
		with_row(q->json_v3 ? q->json_v3 : q->json, "OLD", want, sizeof want);
		ck_assert_msg(strstr(m005, want) != NULL, "005_audit.sql has no %s", want);
	}
}
END_TEST

static void column_names(const char *table, char *out, size_t size)
{
	sqlite3_stmt *st;
	ck_assert_int_eq(sqlite3_prepare_v2(s->db,
					    "SELECT group_concat(name, ', ') FROM (SELECT name FROM "
					    "pragma_table_info(?1) ORDER BY cid)",
					    -1, &st, NULL),
			 SQLITE_OK);
	sqlite3_bind_text(st, 1, table, -1, SQLITE_TRANSIENT);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	snprintf(out, size, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
}

/* The digest reads every column of the table in table order (the man page
 * says so); before 006, those up to import_id. */
START_TEST(digest_columns_are_the_tables_columns_in_order)
{
	for (int k = 0; k < STORE_K_COUNT; k++) {
		const struct store_kind_sql *q = sql_of(k);
		char got[1024];
		column_names(store_kinds[k].table, got, sizeof got);
		ck_assert_str_eq(q->cols, got);
		ck_assert_int_eq(strncmp(q->cols, q->cols_v3, strlen(q->cols_v3)), 0);
		if (k >= KINDS_BEFORE_006)
			continue; /* no era before 006: cols_v3 is every column */
		const char *end = q->cols_v3 + strlen(q->cols_v3) - strlen("import_id");
		ck_assert_str_eq(end, "import_id");
	}
}
END_TEST

/* An export is read back by import: its SELECT has the CSV header's
 * columns, in the header's order. */
START_TEST(export_columns_are_the_csv_header)
{
	for (int k = 0; k < STORE_K_COUNT; k++) {
		const struct store_kind_sql *q = sql_of(k);
		sqlite3_stmt *st;
		ck_assert_int_eq(sqlite3_prepare_v2(s->db, q->export_rows, -1, &st, NULL), SQLITE_OK);
		ck_assert_int_eq(sqlite3_column_count(st), (int)ef_kinds[k].ncol);
		for (int i = 0; i < sqlite3_column_count(st); i++)
			ck_assert_str_eq(sqlite3_column_name(st, i), ef_kinds[k].cols[i]);
		sqlite3_finalize(st);
	}
}
END_TEST

/* The put's statements prepare against the schema (every column exists, the
 * conflict target is a unique key); so does the lab batch. */
START_TEST(put_statements_prepare)
{
	for (int k = 0; k < STORE_K_COUNT; k++) {
		const struct store_kind_sql *q = sql_of(k);
		const char *const sql[] = {q->insert, q->probe, q->update, q->readback};
		for (size_t i = 0; i < 4; i++) {
			sqlite3_stmt *st;
			ck_assert_msg(sqlite3_prepare_v2(s->db, sql[i], -1, &st, NULL) == SQLITE_OK, "%s: %s", sql[i],
				      sqlite3_errmsg(s->db));
			sqlite3_finalize(st);
		}
	}
	/* The lab batch: STORE_LAB_BATCH rows of the ten columns insert_batch binds. */
	const struct store_kind_sql *q = sql_of(STORE_K_LABS);
	sqlite3_stmt *st;
	ck_assert_int_eq(sqlite3_prepare_v2(s->db, q->batch, -1, &st, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_bind_parameter_count(st), 10 * STORE_LAB_BATCH);
	sqlite3_finalize(st);
}
END_TEST

int main(void)
{
	Suite *su = suite_create("kinds");
	TCase *tc = tcase_create("description");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, audit_triggers_write_the_json_verify_expects);
	tcase_add_test(tc, json_before_006_is_migration_005s);
	tcase_add_test(tc, digest_columns_are_the_tables_columns_in_order);
	tcase_add_test(tc, export_columns_are_the_csv_header);
	tcase_add_test(tc, put_statements_prepare);
	suite_add_tcase(su, tc);
	return tu_run_suite(su);
}
