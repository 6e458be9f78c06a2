/* staff.c - the staff list and signatures (include/engraft/staff.h,
 * schema/008_staff.sql). */
#include "store_int.h"

#include <pwd.h>
#include <stdio.h>
#include <string.h>

#include "engraft/staff.h"

#define STAFF_COLS "login, name, title, role, active, added_at, added_by"

/* A text column into a buffer of `size`: a value that does not fit is an
 * error (the CHECK constraints keep them shorter), never cut. */
static int col_copy(sqlite3_stmt *st, int col, char *dst, size_t size, struct ef_err *err)
{
	const char *v = (const char *)sqlite3_column_text(st, col);
	size_t n = v ? (size_t)sqlite3_column_bytes(st, col) : 0;
	if (n >= size)
		return ef_errf(err, EF_DB, "staff: a value of %zu bytes in column %d is longer than engraft allows", n,
			       col);
	memcpy(dst, v ? v : "", n);
	dst[n] = '\0';
	return EF_OK;
}

static int read_row(sqlite3_stmt *st, struct store_staff *o, struct ef_err *err)
{
	int rc;
	memset(o, 0, sizeof *o);
	if ((rc = col_copy(st, 0, o->login, sizeof o->login, err)) ||
	    (rc = col_copy(st, 1, o->name, sizeof o->name, err)) ||
	    (rc = col_copy(st, 2, o->title, sizeof o->title, err)) ||
	    (rc = col_copy(st, 5, o->added_at, sizeof o->added_at, err)) ||
	    (rc = col_copy(st, 6, o->added_by, sizeof o->added_by, err)))
		return rc;
	const char *role = (const char *)sqlite3_column_text(st, 3);
	if (ef_role_parse(role, &o->role))
		return ef_errf(err, EF_DB, "staff: login '%s' has an unknown role", o->login);
	o->active = sqlite3_column_int(st, 4) != 0;
	return EF_OK;
}

int store_login_exists(const char *login)
{
	return getpwnam(login) != NULL;
}

int store_staff_get(struct store *s, const char *login, struct store_staff *out, int *found, struct ef_err *err)
{
	static const char sql[] = "SELECT " STAFF_COLS " FROM staff WHERE login = ?1";
	*found = 0;
	sqlite3_stmt *st = store_stmt(s, sql, err);
	if (!st)
		return EF_DB;
	store_bind_text(st, 1, login);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*found = 1;
		rc = read_row(st, out, err);
	} else {
		rc = rc == SQLITE_DONE ? EF_OK : store_dberr(s, err, "read the staff list");
	}
	sqlite3_reset(st);
	return rc;
}

int store_staff_add(struct store *s, const struct store_staff *p, struct ef_err *err)
{
	static const char sql[] =
		"INSERT INTO staff (login, name, title, role, active, added_at, added_by) "
		"VALUES (?1, ?2, ?3, ?4, ?5, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?6) ON CONFLICT (login) DO NOTHING";
	sqlite3_stmt *st = store_stmt(s, sql, err);
	if (!st)
		return EF_DB;
	store_bind_text(st, 1, p->login);
	store_bind_text(st, 2, p->name);
	store_bind_opt(st, 3, p->title);
	store_bind_text(st, 4, ef_role_name(p->role));
	sqlite3_bind_int(st, 5, p->active != 0);
	store_bind_text(st, 6, store_user(s));
	int rc = store_exec_stmt(s, st, err, "add to the staff list");
	if (rc)
		return rc;
	if (sqlite3_changes(s->db) == 0)
		return ef_errf(err, EF_INVALID, "'%s' is on the staff list already (staff role or staff disable change it)",
			       p->login);
	return EF_OK;
}

static int update_one(struct store *s, const char *sql, const char *login, const char *text, int num,
		      struct ef_err *err)
{
	sqlite3_stmt *st = store_stmt(s, sql, err);
	if (!st)
		return EF_DB;
	store_bind_text(st, 1, login);
	if (text)
		store_bind_text(st, 2, text);
	else
		sqlite3_bind_int(st, 2, num);
	int rc = store_exec_stmt(s, st, err, "change the staff list");
	if (rc)
		return rc;
	if (sqlite3_changes(s->db) == 0)
		return ef_errf(err, EF_INVALID, "'%s' is not on the staff list (see engraft staff list)", login);
	return EF_OK;
}

int store_staff_set_role(struct store *s, const char *login, enum ef_role role, struct ef_err *err)
{
	return update_one(s, "UPDATE staff SET role = ?2 WHERE login = ?1", login, ef_role_name(role), 0, err);
}

int store_staff_set_active(struct store *s, const char *login, int active, struct ef_err *err)
{
	return update_one(s, "UPDATE staff SET active = ?2 WHERE login = ?1", login, NULL, active != 0, err);
}

int store_staff_active_admins(struct store *s, long *n, struct ef_err *err)
{
	static const char sql[] = "SELECT count(*) FROM staff WHERE role = 'admin' AND active = 1";
	sqlite3_stmt *st = store_stmt(s, sql, err);
	if (!st)
		return EF_DB;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*n = (long)sqlite3_column_int64(st, 0);
		rc = EF_OK;
	} else {
		rc = store_dberr(s, err, "count admins");
	}
	sqlite3_reset(st);
	return rc;
}

int store_staff_each(struct store *s, store_staff_fn fn, void *ctx, struct ef_err *err)
{
	static const char sql[] = "SELECT " STAFF_COLS " FROM staff ORDER BY login";
	sqlite3_stmt *st = store_stmt(s, sql, err);
	if (!st)
		return EF_DB;
	int rc;
	struct store_staff row;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((rc = read_row(st, &row, err)) || (rc = fn(ctx, &row, err))) {
			sqlite3_reset(st);
			return rc;
		}
	}
	rc = rc == SQLITE_DONE ? EF_OK : store_dberr(s, err, "read the staff list");
	sqlite3_reset(st);
	return rc;
}

int store_sign(struct store *s, const struct store_staff *who, int64_t patient_id, int what, int64_t row_key,
	       const char *meaning, struct ef_err *err)
{
	static const char *const tables[STORE_K_COUNT + 1] = {
		[STORE_K_LABS] = "lab_results",
		[STORE_K_TRANSFUSIONS] = "transfusions",
		[STORE_K_VACCINATIONS] = "vaccinations",
		[STORE_K_GVHD_ACUTE] = "gvhd_acute",
		[STORE_K_GVHD_CHRONIC] = "gvhd_chronic",
		[STORE_K_IMMUNOSUPPRESSION] = "immunosuppression",
		[STORE_K_IVIG] = "ivig",
		[STORE_SIGN_ALERT] = "alerts",
	};
	const char *tbl = what >= 0 && what <= STORE_K_COUNT ? tables[what] : NULL;
	if (!tbl || !who)
		return ef_errf(err, EF_DB, "sign: nothing to sign (kind %d)", what);
	static const char sql[] =
		"INSERT INTO signatures (patient_id, tbl, row_key, login, name, title, meaning, signed_at) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))";
	sqlite3_stmt *st = store_stmt(s, sql, err);
	if (!st)
		return EF_DB;
	if (patient_id > 0)
		sqlite3_bind_int64(st, 1, patient_id);
	else
		sqlite3_bind_null(st, 1);
	store_bind_text(st, 2, tbl);
	sqlite3_bind_int64(st, 3, row_key);
	store_bind_text(st, 4, who->login);
	store_bind_text(st, 5, who->name);
	store_bind_opt(st, 6, who->title);
	store_bind_text(st, 7, meaning);
	return store_exec_stmt(s, st, err, "sign");
}

/* Right after migration 008 (store.c): an empty list gets the login that
 * created or migrated the database as its first admin. */
int store_staff_bootstrap(struct store *s, const char *display_name, struct ef_err *err)
{
	static const char count_sql[] = "SELECT count(*) FROM staff";
	sqlite3_stmt *st = store_stmt(s, count_sql, err);
	if (!st)
		return EF_DB;
	int rc = sqlite3_step(st);
	long n = rc == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : -1;
	sqlite3_reset(st);
	if (n < 0)
		return store_dberr(s, err, "read the staff list");
	if (n > 0)
		return EF_OK;
	const char *why = ef_login_problem(store_user(s));
	if (why)
		return ef_errf(err, EF_DENIED,
			       "the login '%s' cannot be this database's first admin: %s", store_user(s), why);
	struct store_staff me = {.role = EF_ROLE_ADMIN, .active = 1};
	snprintf(me.login, sizeof me.login, "%s", store_user(s));
	snprintf(me.name, sizeof me.name, "%s", display_name && *display_name ? display_name : me.login);
	return store_staff_add(s, &me, err);
}
