#include "helpers.h"

#include <check.h>
#include <sqlite3.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engraft/date.h"
#include "engraft/sha256.h"

char th_msgs[16384];

const char *th_tmpdir(void)
{
	static char dir[512];
	const char *t = getenv("TMPDIR");
	snprintf(dir, sizeof dir, "%s/engraft-trust-XXXXXX", t && *t ? t : "/tmp");
	umask(077); /* a database and its directory are private (store_open refuses others' access) */
	ck_assert_ptr_nonnull(mkdtemp(dir));
	return dir;
}

static char **paths;
static size_t n_paths;

static void free_paths(void)
{
	for (size_t i = 0; i < n_paths; i++)
		free(paths[i]);
	free(paths);
}

const char *th_path(const char *name)
{
	static char dir[512];
	if (!dir[0]) {
		snprintf(dir, sizeof dir, "%s", th_tmpdir());
		atexit(free_paths);
	}
	char *p = malloc(strlen(dir) + strlen(name) + 2);
	char **n = realloc(paths, (n_paths + 1) * sizeof *n);
	ck_assert_ptr_nonnull(p);
	ck_assert_ptr_nonnull(n);
	sprintf(p, "%s/%s", dir, name);
	paths = n;
	paths[n_paths++] = p;
	return p;
}

struct store *th_open(const char *path)
{
	struct store *s = NULL;
	struct ef_err e = {{0}};
	int rc = store_open(path, 0, &s, &e);
	ck_assert_msg(rc == 0, "open %s: %s", path, e.msg);
	ck_assert_int_eq(ef_ensure_assets(s, &e), 0);
	return s;
}

int th_import(struct store *s, const char *kind, const char *csv, struct ef_import_result *res)
{
	struct ef_import_result r;
	enum store_kind k;
	ck_assert_int_eq(ef_kind_parse(kind, &k), 0);
	FILE *f = fmemopen((void *)csv, strlen(csv), "r");
	ck_assert_ptr_nonnull(f);
	struct ef_import_opts o = {.today = ef_day_from_ymd(2030, 1, 1), .max_errors = 50};
	struct ef_err e = {{0}};
	int rc = ef_import(s, k, f, "test.csv", &o, res ? res : &r, &e);
	fclose(f);
	return rc;
}

int th_raw(const char *path, const char *sql)
{
	sqlite3 *db;
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 5000);
	int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
	sqlite3_close(db);
	return rc;
}

static void collect(void *ctx, const char *msg)
{
	(void)ctx;
	size_t n = strlen(th_msgs);
	snprintf(th_msgs + n, sizeof th_msgs - n, "%s\n", msg);
}

int th_verify(struct store *s, const char *head, struct store_audit_summary *sum)
{
	struct store_audit_summary x;
	struct ef_err e = {{0}};
	th_msgs[0] = '\0';
	return store_audit_verify(s, head, collect, NULL, sum ? sum : &x, &e);
}

void th_db_digest(const char *path, char out[65])
{
	sqlite3 *db;
	ck_assert_int_eq(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	struct ef_sha256 h;
	ef_sha256_init(&h);
	sqlite3_stmt *tables;
	ck_assert_int_eq(sqlite3_prepare_v2(db, "SELECT name, sql FROM sqlite_schema ORDER BY name", -1, &tables, NULL),
			 SQLITE_OK);
	while (sqlite3_step(tables) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(tables, 0);
		const char *sql = (const char *)sqlite3_column_text(tables, 1);
		ef_sha256_update(&h, name, strlen(name) + 1);
		if (sql)
			ef_sha256_update(&h, sql, strlen(sql) + 1);
		if (!sql || strncmp(sql, "CREATE TABLE", 12) != 0)
			continue;
		char q[512];
		snprintf(q, sizeof q, "SELECT * FROM \"%s\" ORDER BY rowid", name);
		sqlite3_stmt *st;
		if (sqlite3_prepare_v2(db, q, -1, &st, NULL) != SQLITE_OK) {
			/* WITHOUT ROWID tables */
			snprintf(q, sizeof q, "SELECT * FROM \"%s\" ORDER BY 1, 2", name);
			ck_assert_int_eq(sqlite3_prepare_v2(db, q, -1, &st, NULL), SQLITE_OK);
		}
		while (sqlite3_step(st) == SQLITE_ROW) {
			for (int i = 0; i < sqlite3_column_count(st); i++) {
				const unsigned char *v = sqlite3_column_text(st, i);
				int n = sqlite3_column_bytes(st, i);
				char tag = (char)('0' + sqlite3_column_type(st, i));
				ef_sha256_update(&h, &tag, 1);
				if (v)
					ef_sha256_update(&h, v, (size_t)n);
				ef_sha256_update(&h, "\x1f", 1);
			}
			ef_sha256_update(&h, "\x1e", 1);
		}
		sqlite3_finalize(st);
	}
	sqlite3_finalize(tables);
	sqlite3_close(db);
	unsigned char d[32];
	ef_sha256_final(&h, d);
	ef_sha256_hex(d, out);
}

const char *const th_fixture[][2] = {
	{"patients", "mrn,family_name,given_name,birth_date,sex,diagnosis\n"
		     "P1,Doe,Jane,1980-01-02,F,AML\nP2,Roe,Rick,1975-05-06,M,\nP3,Poe,Pat,1990-03-04,,MDS\n"},
	{"transplants", "mrn,transplant_date,type,graft_source,donor,conditioning\n"
			"P1,2025-01-10,allogeneic,peripheral_blood,unrelated,myeloablative\n"
			"P2,2025-02-01,autologous,peripheral_blood,self,\n"},
	{"labs", "mrn,collected_on,test,value,unit\nP1,2025-01-12,ANC,0.1,10^9/L\nP1,2025-01-20T08:30,ANC,<0.5,10*9/L\n"
		 "P1,2025-01-21,PLT,15,K/uL\nP2,2025-02-10,IGG,5.2,g/L\nP2,2025-02-11,BILI,20,umol/L\n"},
	{"transfusions", "mrn,given_on,product\nP1,2025-01-15,platelets\nP1,2025-01-16,red_cells\n"},
	{"vaccinations", "mrn,vaccine,given_on,lot,site,given_by\nP1,PCV,2025-05-01,L1,left deltoid,Nurse A\n"
			 "P2,FLU,2025-09-01,,,\n"},
	{"gvhd-acute", "mrn,assessed_on,skin,liver,upper_gi,lower_gi\nP1,2025-02-01,2,0,1,0\n"},
	{"gvhd-chronic", "mrn,assessed_on,skin,mouth,eyes,gi,liver,lungs,joints,genital\nP1,2025-08-01,1,1,0,0,0,0,0,0\n"},
	{"immunosuppression", "mrn,drug,started_on,stopped_on\nP1,tacrolimus,2025-01-08,\nP2,prednisone,2025-02-02,2025-03-01\n"},
	{"ivig", "mrn,given_on,dose_g\nP1,2025-03-01,30\nP2,2025-03-02,\n"},
};
const size_t th_fixture_n = sizeof th_fixture / sizeof th_fixture[0];

void th_load_fixture(struct store *s)
{
	for (size_t i = 0; i < th_fixture_n; i++) {
		int rc = th_import(s, th_fixture[i][0], th_fixture[i][1], NULL);
		ck_assert_msg(rc == 0, "fixture %s: %d", th_fixture[i][0], rc);
	}
}

const char *th_bin(void)
{
	const char *b = getenv("ENGRAFT_BIN");
	ck_assert_msg(b && *b, "ENGRAFT_BIN not set");
	return b;
}

int th_spawn(const char *db, const char *out, const char *errf, const char *const *args)
{
	const char *b = th_bin();
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int o = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		int e = open(errf, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (o < 0 || e < 0)
			_exit(127);
		dup2(o, 1);
		dup2(e, 2);
		const char *argv[24] = {b};
		int n = 1;
		if (db) {
			argv[n++] = "--db";
			argv[n++] = db;
		}
		for (int i = 0; args[i] && n < 23; i++)
			argv[n++] = args[i];
		argv[n] = NULL;
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	return pid;
}

int th_wait(int pid, int *signaled)
{
	int st;
	while (waitpid(pid, &st, 0) < 0)
		ck_assert_int_eq(errno, EINTR);
	*signaled = WIFSIGNALED(st);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -WTERMSIG(st);
}

int th_run(const char *db, const char *const *args)
{
	int sig;
	int pid = th_spawn(db, th_path("run.out"), th_path("run.err"), args);
	return th_wait(pid, &sig);
}

void th_write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

const char *th_first_line(const char *path)
{
	static char line[2048];
	line[0] = '\0';
	FILE *f = fopen(path, "r");
	if (!f)
		return line;
	if (!fgets(line, sizeof line, f))
		line[0] = '\0';
	fclose(f);
	return line;
}
