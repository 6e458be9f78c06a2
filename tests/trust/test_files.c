/* File safety and backup: modes 0700/0600 (database, -wal, -shm, backups),
 * refusing paths that are not a regular SQLite file, corrupt databases give
 * exit 4 (never a crash), and `backup` makes a checked copy while others
 * write, without ever overwriting a file. */
#include <check.h>
#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "engraft/backup.h"
#include "helpers.h"

/* The k-th of distinct draw times, all in 2014-2024. */
static const char *when(int k)
{
	static char buf[32];
	int day = k % 3360, minute = k / 3360;
	snprintf(buf, sizeof buf, "20%02d-%02d-%02dT%02d:%02d", 14 + day / 336, 1 + (day / 28) % 12, 1 + day % 28,
		 (minute / 60) % 24, minute % 60);
	return buf;
}

static mode_t mode_of(const char *path)
{
	struct stat st;
	ck_assert_msg(stat(path, &st) == 0, "stat %s", path);
	return st.st_mode & 07777;
}

static const char *with(const char *path, const char *suffix)
{
	static char buf[4][700];
	static int i;
	i = (i + 1) % 4;
	snprintf(buf[i], sizeof buf[i], "%s%s", path, suffix);
	return buf[i];
}

START_TEST(database_wal_shm_and_directories_are_private)
{
	mode_t old = umask(0);
	const char *path = th_path("a/b/engraft.db");
	struct store *s = th_open(path);
	th_load_fixture(s); /* writes: -wal and -shm exist while open */
	ck_assert_int_eq(mode_of(th_path("a")), 0700);
	ck_assert_int_eq(mode_of(th_path("a/b")), 0700);
	ck_assert_int_eq(mode_of(path), 0600);
	ck_assert_int_eq(mode_of(with(path, "-wal")), 0600);
	ck_assert_int_eq(mode_of(with(path, "-shm")), 0600);
	store_close(s);
	umask(old);
}
END_TEST

static int open_status(const char *path, char *msg, size_t n)
{
	struct store *s = NULL;
	struct ef_err e = {{0}};
	int rc = store_open(path, 0, &s, &e);
	snprintf(msg, n, "%s", e.msg);
	store_close(s);
	return rc;
}

START_TEST(refuses_what_is_not_a_regular_sqlite_file)
{
	char msg[1100];
	/* a directory */
	const char *dir = th_path("adir");
	ck_assert_int_eq(mkdir(dir, 0700), 0);
	ck_assert_int_eq(open_status(dir, msg, sizeof msg), EF_DB);
	ck_assert_ptr_nonnull(strstr(msg, "not a regular file"));
	/* a FIFO: refused at once, never opened (which would block) */
	const char *fifo = th_path("afifo");
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	alarm(10);
	ck_assert_int_eq(open_status(fifo, msg, sizeof msg), EF_DB);
	alarm(0);
	ck_assert_ptr_nonnull(strstr(msg, "not a regular file"));
	/* a symlink, even to a good database: refused (no redirection) */
	const char *real = th_path("real.db"), *link = th_path("link.db");
	store_close(th_open(real));
	ck_assert_int_eq(symlink(real, link), 0);
	ck_assert_int_eq(open_status(link, msg, sizeof msg), EF_DB);
	ck_assert_ptr_nonnull(strstr(msg, "not a regular file"));
	/* a text file, and a file too short to be a database */
	const char *text = th_path("notes.txt");
	th_write_file(text, "mrn,family_name\nthis is not a database at all, just text\n");
	ck_assert_int_eq(open_status(text, msg, sizeof msg), EF_DB);
	ck_assert_ptr_nonnull(strstr(msg, "not an SQLite database"));
	const char *shortf = th_path("short.db");
	th_write_file(shortf, "SQLite");
	ck_assert_int_eq(open_status(shortf, msg, sizeof msg), EF_DB);
	/* nothing was changed or created beside them */
	ck_assert_int_ne(access(with(text, "-wal"), F_OK), 0);
	/* the same through the command line: exit 4 and a message */
	ck_assert_int_eq(th_run(text, (const char *[]){"export", "patients", NULL}), 4);
	ck_assert_ptr_nonnull(strstr(th_first_line(th_path("run.err")), "engraft: "));
	ck_assert_int_eq(th_run(dir, (const char *[]){"init", NULL}), 4);
	ck_assert_int_eq(th_run(fifo, (const char *[]){"init", NULL}), 4);
	/* a -wal planted as a symlink to another file: refused, the file untouched */
	const char *victim = th_path("victim.txt");
	th_write_file(victim, "precious\n");
	ck_assert_int_eq(symlink(victim, with(real, "-wal")), 0);
	ck_assert_int_eq(th_run(real, (const char *[]){"import", "patients", "-", NULL}), 4);
	ck_assert_str_eq(th_first_line(victim), "precious\n");
}
END_TEST

/* Overwrite pages of a database with garbage: every command ends with exit
 * 0 (pages it did not need), 4 (with a message) or 5, never a signal. */
static const struct {
	const char *what;
	long page;      /* 1-based; 0: the middle */
	int len;        /* bytes to overwrite */
} corruptions[] = {
	{"header page", 1, 100},
	{"page 2", 2, 4096},
	{"middle page", 0, 4096},
	{"three middle pages", 0, 3 * 4096},
	{"last page", -1, 4096},
	{"one byte in the middle", 0, 1},
};

START_TEST(corrupt_database_gives_exit_4_never_a_crash)
{
	char name[64];
	snprintf(name, sizeof name, "corrupt%d.db", _i);
	const char *db = th_path(name);
	struct store *s = th_open(db);
	th_load_fixture(s);
	/* enough rows for many pages */
	char *big = malloc(1 << 20);
	ck_assert_ptr_nonnull(big);
	int n = sprintf(big, "mrn,collected_on,test,value,unit\n");
	for (int i = 0; i < 8000; i++)
		n += sprintf(big + n, "P%d,%s,WBC,%d.%d,10^9/L\n", 1 + i % 3, when(i / 3), i % 20, i % 10);
	ck_assert_int_eq(th_import(s, "labs", big, NULL), 0);
	free(big);
	store_close(s);
	struct stat st;
	ck_assert_int_eq(stat(db, &st), 0);
	const long pages = st.st_size / 4096;
	ck_assert_int_gt(pages, 10);
	long page = corruptions[_i].page == 0 ? pages / 2 : corruptions[_i].page < 0 ? pages : corruptions[_i].page;
	int fd = open(db, O_WRONLY);
	ck_assert_int_ge(fd, 0);
	unsigned char junk[3 * 4096];
	srand(42 + (unsigned)_i);
	for (size_t i = 0; i < sizeof junk; i++)
		junk[i] = (unsigned char)rand();
	off_t off = (off_t)(page - 1) * 4096 + (corruptions[_i].len == 1 ? 2000 : 0);
	if (page == 1)
		off = 0;
	ck_assert_int_eq(pwrite(fd, junk, (size_t)corruptions[_i].len, off), corruptions[_i].len);
	close(fd);
	static const char *const cmds[][4] = {
		{"export", "labs", NULL}, {"export", "patients", NULL}, {"audit", "verify", NULL}, {"export", "audit", NULL},
		{"import", "labs", NULL},  /* filled below */
	};
	const char *labs = th_path("one-lab.csv");
	th_write_file(labs, "mrn,collected_on,test,value,unit\nP1,2026-01-01,ANC,1.0,10^9/L\n");
	int bad = 0;
	for (size_t c = 0; c < sizeof cmds / sizeof cmds[0]; c++) {
		const char *args[5] = {cmds[c][0], cmds[c][1], cmds[c][2], NULL, NULL};
		if (strcmp(args[0], "import") == 0)
			args[2] = labs;
		int rc = th_run(db, args);
		const char *line = th_first_line(th_path("run.err"));
		ck_assert_msg(rc == 0 || rc == 4 || rc == 5, "%s: %s %s: exit %d: %s", corruptions[_i].what, args[0],
			      args[1], rc, line);
		if (rc == 4)
			ck_assert_msg(strncmp(line, "engraft: ", 9) == 0 && strlen(line) > 12, "%s: no message",
				      corruptions[_i].what);
		bad += rc != 0;
	}
	/* Something noticed (except a byte that fell in free space). */
	if (corruptions[_i].len > 1)
		ck_assert_msg(bad > 0, "%s: no command noticed", corruptions[_i].what);
}
END_TEST

START_TEST(backup_is_private_checked_and_identical)
{
	mode_t old = umask(0);
	const char *db = th_path("src.db"), *copy = th_path("backups/copy.db");
	ck_assert_int_eq(mkdir(th_path("backups"), 0755), 0);
	struct store *s = th_open(db);
	th_load_fixture(s);
	struct store_audit_summary sum;
	struct ef_err e = {{0}};
	ck_assert_msg(store_backup(s, copy, &sum, &e) == 0, "%s", e.msg);
	umask(old);
	ck_assert_int_eq(mode_of(copy), 0600);
	ck_assert_int_eq(sum.entries, 10 + 9); /* a new database (first admin, 9 reference tables), 9 imports */
	ck_assert_int_eq(sum.problems, 0);
	/* same content, one self-contained file, no temporary left behind */
	char a[65], b[65];
	th_db_digest(db, a);
	th_db_digest(copy, b);
	ck_assert_str_eq(a, b);
	ck_assert_int_ne(access(with(copy, "-wal"), F_OK), 0);
	ck_assert_int_eq(th_run(NULL, (const char *[]){"--db", copy, "audit", "verify", NULL}), 0);
	char cmd[800];
	snprintf(cmd, sizeof cmd, "ls %s | grep -c tmp", th_path("backups"));
	FILE *p = popen(cmd, "r");
	char cnt[16] = "";
	ck_assert_ptr_nonnull(fgets(cnt, sizeof cnt, p));
	pclose(p);
	ck_assert_str_eq(cnt, "0\n");
	store_close(s);
}
END_TEST

START_TEST(backup_never_overwrites)
{
	const char *db = th_path("src2.db"), *old = th_path("old-backup.db");
	th_write_file(old, "precious\n");
	struct store *s = th_open(db);
	th_load_fixture(s);
	struct store_audit_summary sum;
	struct ef_err e = {{0}};
	ck_assert_int_eq(store_backup(s, old, &sum, &e), EF_USAGE);
	ck_assert_ptr_nonnull(strstr(e.msg, "exists"));
	ck_assert_str_eq(th_first_line(old), "precious\n");
	ck_assert_int_eq(store_backup(s, db, &sum, &e), EF_USAGE); /* onto itself */
	ck_assert_int_eq(store_backup(s, th_path("no/such/dir/x.db"), &sum, &e), EF_DB);
	store_close(s);
	/* the command: exit 2, and the file is untouched */
	ck_assert_int_eq(th_run(db, (const char *[]){"backup", old, NULL}), 2);
	ck_assert_str_eq(th_first_line(old), "precious\n");
	ck_assert_int_eq(th_run(db, (const char *[]){"backup", th_path("cli-copy.db"), NULL}), 0);
	ck_assert_ptr_nonnull(strstr(th_first_line(th_path("run.out")), "integrity ok, audit ok"));
}
END_TEST

/* A backup taken while another process imports is a consistent snapshot:
 * before or after the import, never between; it verifies. */
START_TEST(backup_while_another_process_writes)
{
	const char *db = th_path("busy-src.db"), *labs = th_path("busy-labs.csv");
	struct store *s = th_open(db);
	th_load_fixture(s);
	FILE *f = fopen(labs, "w");
	fprintf(f, "mrn,collected_on,test,value,unit\n");
	for (int i = 0; i < 150000; i++)
		fprintf(f, "P%d,%s,WBC,%d.%d,10^9/L\n", 1 + i % 3, when(i / 3), i % 20, i % 10);
	fclose(f);
	th_write_file(th_path("none.csv"), "mrn,family_name,given_name,birth_date\n");
	int ok = 0;
	for (int round = 0; round < 6; round++) {
		int pid = th_spawn(db, th_path("w.out"), th_path("w.err"),
				   (const char *[]){"import", round % 2 ? "patients" : "labs",
						    round % 2 ? th_path("none.csv") : labs, NULL});
		struct timespec ts = {0, 100000000L * (round + 1)};
		nanosleep(&ts, NULL);
		char name[64];
		snprintf(name, sizeof name, "snap%d.db", round);
		struct store_audit_summary sum;
		struct ef_err e = {{0}};
		int rc = store_backup(s, th_path(name), &sum, &e);
		int sig;
		int st = th_wait(pid, &sig);
		ck_assert_msg(rc == 0, "round %d: %s", round, e.msg);
		ck_assert_int_eq(sum.problems, 0);
		ck_assert_msg(st == 0, "round %d: import: %s", round, th_first_line(th_path("w.err")));
		sqlite3 *h;
		ck_assert_int_eq(sqlite3_open_v2(th_path(name), &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
		sqlite3_stmt *q;
		ck_assert_int_eq(sqlite3_prepare_v2(h, "SELECT count(*) FROM lab_results", -1, &q, NULL), SQLITE_OK);
		ck_assert_int_eq(sqlite3_step(q), SQLITE_ROW);
		long n = (long)sqlite3_column_int64(q, 0);
		sqlite3_finalize(q);
		sqlite3_close(h);
		ck_assert_msg(n == 5 || n == 5 + 150000, "round %d: snapshot has %ld lab rows", round, n);
		ok++;
	}
	ck_assert_int_eq(ok, 6);
	store_close(s);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("files");
	TCase *tc = tcase_create("files");
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, database_wal_shm_and_directories_are_private);
	tcase_add_test(tc, refuses_what_is_not_a_regular_sqlite_file);
	tcase_add_loop_test(tc, corrupt_database_gives_exit_4_never_a_crash, 0,
			    sizeof corruptions / sizeof corruptions[0]);
	tcase_add_test(tc, backup_is_private_checked_and_identical);
	tcase_add_test(tc, backup_never_overwrites);
	tcase_add_test(tc, backup_while_another_process_writes);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
