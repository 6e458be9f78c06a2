/* Process-level trust tests through the real binary ($ENGRAFT_BIN):
 *  - an import killed with SIGKILL at random moments leaves the database
 *    exactly as before (ENGRAFT_KILL_RUNS runs, default 25);
 *  - several engraft processes importing and checking at once on one
 *    database: every write lands, nobody sees "database is locked";
 *  - a writer blocked past the busy timeout gets a clear exit 4. */
#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "helpers.h"

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void nap(double s)
{
	struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static void gen_patients(const char *path, const char *prefix, int n)
{
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "mrn,family_name,given_name,birth_date,sex,diagnosis\n");
	for (int i = 0; i < n; i++)
		fprintf(f, "%s%05d,Fam%d,Giv%d,19%02d-%02d-%02d,F,AML\n", prefix, i, i, i, 50 + i % 50, 1 + i % 12,
			1 + i % 28);
	ck_assert_int_eq(fclose(f), 0);
}

/* n labs per patient, days offset by `day0` so files do not overlap. */
static void gen_labs(const char *path, const char *prefix, int patients, int per, int day0)
{
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "mrn,collected_on,test,value,unit\n");
	for (int i = 0; i < patients; i++)
		for (int d = day0; d < day0 + per; d++)
			fprintf(f, "%s%05d,20%02d-%02d-%02d,ANC,%d.%d,10^9/L\n", prefix, i, 10 + d / 336,
				1 + (d / 28) % 12, 1 + d % 28, (i + d) % 9, d % 10);
	ck_assert_int_eq(fclose(f), 0);
}

static int64_t count_rows(const char *db, const char *table)
{
	sqlite3 *h;
	ck_assert_int_eq(sqlite3_open_v2(db, &h, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	char q[128];
	snprintf(q, sizeof q, "SELECT count(*) FROM %s", table);
	sqlite3_stmt *st;
	ck_assert_int_eq(sqlite3_prepare_v2(h, q, -1, &st, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	int64_t n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(h);
	return n;
}

static int integrity_ok(const char *db)
{
	sqlite3 *h;
	ck_assert_int_eq(sqlite3_open_v2(db, &h, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
	sqlite3_stmt *st;
	ck_assert_int_eq(sqlite3_prepare_v2(h, "PRAGMA integrity_check", -1, &st, NULL), SQLITE_OK);
	int ok = sqlite3_step(st) == SQLITE_ROW && strcmp((const char *)sqlite3_column_text(st, 0), "ok") == 0;
	sqlite3_finalize(st);
	sqlite3_close(h);
	return ok;
}

static void copy_file(const char *from, const char *to)
{
	FILE *a = fopen(from, "rb"), *b = fopen(to, "wb");
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(b);
	char buf[65536];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, a)) > 0)
		ck_assert_uint_eq(fwrite(buf, 1, n, b), n);
	fclose(a);
	ck_assert_int_eq(fclose(b), 0);
	chmod(to, 0600);
}

static void restore(const char *pristine, const char *db)
{
	char p[700];
	snprintf(p, sizeof p, "%s-wal", db);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", db);
	unlink(p);
	copy_file(pristine, db);
}

START_TEST(kill_9_during_import_changes_nothing)
{
	const char *db = th_path("kill.db"), *pristine = th_path("kill.pristine");
	const char *pats = th_path("kp.csv"), *labs = th_path("kl.csv"), *small = th_path("ks.csv");
	gen_patients(pats, "K", 2000);
	gen_labs(small, "K", 2000, 2, 0);
	gen_labs(labs, "K", 2000, 150, 2); /* 300,000 rows, all new */
	ck_assert_int_eq(th_run(db, (const char *[]){"import", "patients", pats, NULL}), 0);
	ck_assert_int_eq(th_run(db, (const char *[]){"import", "labs", small, NULL}), 0);
	copy_file(db, pristine); /* engraft closed: the WAL was checkpointed */
	char before[65];
	th_db_digest(db, before);
	const int64_t labs_before = count_rows(db, "lab_results");
	const int64_t imports_before = count_rows(db, "imports");
	/* How long does the whole import take? */
	double t0 = now_s();
	ck_assert_int_eq(th_run(db, (const char *[]){"import", "labs", labs, NULL}), 0);
	const double full = now_s() - t0;
	ck_assert_int_eq(count_rows(db, "lab_results"), labs_before + 300000);
	const char *e = getenv("ENGRAFT_KILL_RUNS");
	const int runs = e && atoi(e) > 0 ? atoi(e) : 25;
	unsigned seed = (unsigned)time(NULL);
	const char *se = getenv("ENGRAFT_KILL_SEED");
	if (se)
		seed = (unsigned)strtoul(se, NULL, 10);
	srand(seed);
	int killed = 0, killed_after_commit = 0, finished = 0;
	for (int i = 0; i < runs; i++) {
		restore(pristine, db);
		double delay = full * 1.05 * (double)rand() / RAND_MAX;
		pid_t pid = th_spawn(db, th_path("k.out"), th_path("k.err"), (const char *[]){"import", "labs", labs, NULL});
		nap(delay);
		kill(pid, SIGKILL);
		int sig;
		int st = th_wait(pid, &sig);
		ck_assert_msg(integrity_ok(db), "run %d (seed %u, delay %.3f s): integrity_check failed", i, seed, delay);
		if (sig) {
			/* Killed: the database is exactly as before, or (killed after
			 * the commit, before the process ended) holds the whole file. */
			char after[65];
			th_db_digest(db, after);
			if (strcmp(before, after) == 0) {
				killed++;
			} else {
				ck_assert_msg(count_rows(db, "lab_results") == labs_before + 300000 &&
						      count_rows(db, "imports") == imports_before + 1,
					      "run %d (seed %u, killed after %.3f s of %.3f): partial write", i, seed, delay,
					      full);
				killed_after_commit++;
			}
		} else {
			ck_assert_int_eq(st, 0);
			finished++;
			ck_assert_int_eq(count_rows(db, "lab_results"), labs_before + 300000);
		}
		ck_assert_msg(th_run(db, (const char *[]){"audit", "verify", NULL}) == 0, "run %d (seed %u, delay %.3f): "
			      "audit verify failed", i, seed, delay);
	}
	fprintf(stderr, "kill -9: %d runs (seed %u, import %.2f s): %d killed mid-import (database unchanged), "
			"%d killed after commit (whole file in), %d finished; 0 partial writes\n",
		runs, seed, full, killed, killed_after_commit, finished);
}
END_TEST

/* K importers (each its own patients, then several lab files) and two
 * checkers (audit verify, export) at once, on a database none of them has
 * created yet. */
START_TEST(concurrent_writers_lose_nothing)
{
	enum { KMAX = 16, FILES = 4, PATS = 300, PER = 20 };
	const char *ke = getenv("ENGRAFT_CONC_WRITERS");
	const int K = ke && atoi(ke) > 0 && atoi(ke) <= KMAX ? atoi(ke) : 4;
	const char *db = th_path("conc/db/engraft.db");
	static char pf[KMAX][600], lf[KMAX][FILES][600];
	for (int k = 0; k < K; k++) {
		char prefix[16];
		snprintf(prefix, sizeof prefix, "C%d", k % 100);
		snprintf(pf[k], sizeof pf[k], "%s", th_path("x"));
		snprintf(pf[k] + strlen(pf[k]) - 1, 32, "cp%d.csv", k);
		gen_patients(pf[k], prefix, PATS);
		for (int f = 0; f < FILES; f++) {
			snprintf(lf[k][f], sizeof lf[k][f], "%s", th_path("x"));
			snprintf(lf[k][f] + strlen(lf[k][f]) - 1, 32, "cl%d_%d.csv", k, f);
			gen_labs(lf[k][f], prefix, PATS, PER, f * PER);
		}
	}
	/* Each importer is a shell-less chain: one process per file, in order. */
	pid_t imp[KMAX];
	for (int k = 0; k < K; k++) {
		imp[k] = fork();
		ck_assert_int_ge(imp[k], 0);
		if (imp[k] == 0) {
			char out[64], er[64];
			int bad = 0;
			for (int f = -1; f < FILES; f++) {
				snprintf(out, sizeof out, "ci%d_%d.out", k, f);
				snprintf(er, sizeof er, "ci%d_%d.err", k, f);
				const char *args[] = {"import", f < 0 ? "patients" : "labs", f < 0 ? pf[k] : lf[k][f], NULL};
				int sig;
				pid_t p = th_spawn(db, th_path(out), th_path(er), args);
				if (th_wait(p, &sig) != 0)
					bad = 1;
			}
			_exit(bad);
		}
	}
	/* Checkers run until the importers are done. */
	int checks = 0, check_fail = 0;
	const char *verify[] = {"audit", "verify", NULL};
	const char *export[] = {"export", "labs", "-o", th_path("conc.csv"), NULL};
	int done = 0, imp_status[KMAX];
	while (done < K) {
		int sig;
		pid_t a = th_spawn(db, th_path("cv.out"), th_path("cv.err"), verify);
		pid_t b = th_spawn(db, th_path("ce.out"), th_path("ce.err"), export);
		int ra = th_wait(a, &sig), rb = th_wait(b, &sig);
		checks += 2;
		if (ra || rb) {
			check_fail++;
			FILE *f = fopen(th_path(ra ? "cv.err" : "ce.err"), "r");
			char line[512] = "";
			if (f) {
				if (!fgets(line, sizeof line, f))
					line[0] = '\0';
				fclose(f);
			}
			ck_abort_msg("a checker failed (verify %d, export %d): %s", ra, rb, line);
		}
		for (int k = 0; k < K; k++) {
			if (imp[k] <= 0)
				continue;
			int st;
			pid_t r = waitpid(imp[k], &st, WNOHANG);
			if (r == imp[k]) {
				imp_status[k] = WIFEXITED(st) ? WEXITSTATUS(st) : 99;
				imp[k] = 0;
				done++;
			}
		}
	}
	for (int k = 0; k < K; k++) {
		if (imp_status[k] != 0) {
			char said[512] = "";
			for (int f = -1; f < FILES && !said[0]; f++) {
				char er[64];
				snprintf(er, sizeof er, "ci%d_%d.err", k, f);
				FILE *fp = fopen(th_path(er), "r");
				if (fp) {
					if (!fgets(said, sizeof said, fp))
						said[0] = '\0';
					fclose(fp);
				}
			}
			ck_abort_msg("importer %d failed: %s", k, said);
		}
		for (int f = -1; f < FILES; f++) {
			char er[64], line[512];
			snprintf(er, sizeof er, "ci%d_%d.err", k, f);
			FILE *fp = fopen(th_path(er), "r");
			ck_assert_ptr_nonnull(fp);
			ck_assert_msg(!fgets(line, sizeof line, fp), "importer %d file %d said: %s", k, f, line);
			fclose(fp);
		}
	}
	ck_assert_int_eq(count_rows(db, "patients"), K * PATS);
	ck_assert_int_eq(count_rows(db, "lab_results"), K * FILES * PATS * PER);
	ck_assert_int_eq(count_rows(db, "imports"), K * (FILES + 1));
	ck_assert_int_eq(th_run(db, verify), 0);
	fprintf(stderr, "concurrency: %d importers x %d files, %d checker runs: %d patients, %d lab rows, 0 lost\n", K,
		FILES + 1, checks, K * PATS, K * FILES * PATS * PER);
}
END_TEST

/* Another process holds the write lock longer than the busy timeout (10 s):
 * the import waits, then fails cleanly with exit 4, writing nothing. */
START_TEST(locked_past_timeout_is_exit_4)
{
	const char *db = th_path("busy.db"), *pats = th_path("bp.csv");
	th_write_file(pats, "mrn,family_name,given_name,birth_date\nB1,Busy,Bee,1980-01-01\n");
	ck_assert_int_eq(th_run(db, (const char *[]){"init", NULL}), 0);
	sqlite3 *h;
	ck_assert_int_eq(sqlite3_open(db, &h), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(h, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
	double t0 = now_s();
	int sig;
	pid_t p = th_spawn(db, th_path("b.out"), th_path("b.err"), (const char *[]){"import", "patients", pats, NULL});
	int st = th_wait(p, &sig);
	double waited = now_s() - t0;
	sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_close(h);
	ck_assert_int_eq(st, 4);
	ck_assert_msg(waited >= 9.5, "gave up after %.1f s", waited);
	FILE *f = fopen(th_path("b.err"), "r");
	char line[512] = "";
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(fgets(line, sizeof line, f));
	fclose(f);
	ck_assert_msg(strstr(line, "database is busy") && strstr(line, "gave up after 10 s"), "%s", line);
	ck_assert_int_eq(count_rows(db, "patients"), 0);
}
END_TEST

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	Suite *s = suite_create("procs");
	TCase *tc = tcase_create("procs");
	tcase_set_timeout(tc, 1800);
	tcase_add_test(tc, kill_9_during_import_changes_nothing);
	tcase_add_test(tc, concurrent_writers_lose_nothing);
	tcase_add_test(tc, locked_past_timeout_is_exit_4);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
