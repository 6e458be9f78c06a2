/* multi.c - many terminals at once (issue 12 item 8).
 *
 * Twenty Unix logins, made here and removed at the end, each run the
 * terminal interface in a process of its own on a pseudo-terminal of its
 * own, against one database shared by `engraft init --group`. For
 * ENGRAFT_MULTI_SECONDS (60) each session opens its patient's chart and, in
 * turn, enters a lab result (l, the fields, Ctrl-S) and records an
 * administered dose from the vaccination list (v, r, lot and site, Ctrl-S),
 * while root imports a lab file and runs `engraft check` in a loop. Each
 * session times every save, from the key sent to the status line saying
 * saved, and writes what it saved and how long it took to a file of its
 * own.
 *
 * Then: every session exited 0 and its status line never said "busy",
 * "locked" or anything but saved; no import or check failed; the database
 * holds exactly the rows the sessions saw saved (no write lost, none
 * extra); every one of those rows was inserted in the audit trail by its
 * session's login and touched by nobody else; each dose's given_by and
 * signature are that login; `engraft audit verify` passes.
 *
 * usage: test-trust-multi DATA_DIR [--bench]
 *   DATA_DIR  tests/data (the small cohort imported first)
 *   --bench   also print one line of figures for tests/bench/multi.sh
 * Environment:
 *   ENGRAFT_BIN              the engraft binary (init, staff, import, check, audit)
 *   ENGRAFT_MULTI_SECONDS    how long the sessions save (60)
 *   ENGRAFT_MULTI_SESSIONS   how many sessions (20)
 *   ENGRAFT_MULTI_THINK_MS   a session's pause after each save, +-50% (500)
 * Needs root and useradd/groupadd/userdel; exit 77 otherwise. A guardian
 * process removes the logins, the group and the directory when this
 * program ends, however it ends. */
#define _GNU_SOURCE /* setresuid */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <locale.h>
#include <pwd.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#include <curses.h>
#include <sqlite3.h>

#include "engraft/app.h"
#include "engraft/csvio.h"
#include "engraft/date.h"
#include "engraft/store.h"
#include "tui_drive.h"

extern char **environ;

#define MAX_SESSIONS 64
#define ROWS 24
#define COLS_ 80

static char dir[256];       /* private directory: the clinic, the files */
static char db[320];        /* dir/clinic/engraft.db */
static char group[32];
static int n_sessions = 20;
static const char *engraft_bin;

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void sleep_ms(double ms)
{
	if (ms <= 0)
		return;
	struct timespec ts = {(time_t)(ms / 1000), (long)((ms - (double)(long)(ms / 1000) * 1000) * 1e6)};
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static long env_long(const char *name, long def, long min, long max)
{
	const char *v = getenv(name);
	if (!v || !*v)
		return def;
	char *end;
	long n = strtol(v, &end, 10);
	if (*end || n < min || n > max) {
		fprintf(stderr, "multi: %s=%s: want %ld to %ld\n", name, v, min, max);
		exit(2);
	}
	return n;
}

static long tag; /* this run's number in the names it makes: the pid of main */

static void login_of(int i, char *out, size_t size)
{
	snprintf(out, size, "efm%ldn%02d", tag, i);
}

/* Run argv (a program on PATH or a path), output appended to log (NULL:
 * /dev/null); the exit status, or -1 when it could not run or died. */
static int run(const char *log, const char *const *argv)
{
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	const char *to = log ? log : "/dev/null";
	posix_spawn_file_actions_addopen(&fa, 1, to, O_WRONLY | O_CREAT | O_APPEND, 0600);
	posix_spawn_file_actions_adddup2(&fa, 1, 2);
	pid_t pid;
	int rc = posix_spawnp(&pid, argv[0], &fa, NULL, (char *const *)argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc)
		return -1;
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* `engraft --db DB ARGS...` (NULL-terminated), output to log. */
static int engraft(const char *log, ...)
{
	const char *argv[32] = {engraft_bin, "--db", db};
	int n = 3;
	va_list ap;
	va_start(ap, log);
	const char *a;
	while ((a = va_arg(ap, const char *)) && n < 31)
		argv[n++] = a;
	va_end(ap);
	argv[n] = NULL;
	return run(log, argv);
}

static int on_path(const char *prog)
{
	const char *path = getenv("PATH");
	char buf[4096];
	snprintf(buf, sizeof buf, "%s:/usr/sbin:/sbin", path ? path : "/usr/bin:/bin");
	for (char *save, *d = strtok_r(buf, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
		char p[4200];
		snprintf(p, sizeof p, "%s/%s", d, prog);
		if (access(p, X_OK) == 0)
			return 1;
	}
	return 0;
}

/* ---- the guardian: removes what this test made, however it ends ---- */

static void remove_all(void)
{
	for (int i = 0; i < n_sessions; i++) {
		char login[32];
		login_of(i, login, sizeof login);
		if (getpwnam(login)) {
			const char *del[] = {"userdel", login, NULL};
			run(NULL, del);
		}
	}
	if (getgrnam(group)) {
		const char *del[] = {"groupdel", group, NULL};
		run(NULL, del);
	}
	const char *rm[] = {"rm", "-rf", dir, NULL};
	run(NULL, rm);
}

/* A process in a session of its own, deaf to the signals that end a test,
 * waits for the pipe to close (this program and its sessions have ended,
 * or were killed), then removes the logins, the group and the directory. */
static pid_t start_guardian(int *fd)
{
	int p[2];
	if (pipe(p)) {
		perror("multi: pipe");
		exit(1);
	}
	pid_t g = fork();
	if (g < 0) {
		perror("multi: fork");
		exit(1);
	}
	if (g == 0) {
		close(p[1]);
		setsid();
		signal(SIGINT, SIG_IGN);
		signal(SIGTERM, SIG_IGN);
		signal(SIGHUP, SIG_IGN);
		char c;
		while (read(p[0], &c, 1) < 0 && errno == EINTR)
			;
		remove_all();
		_exit(0);
	}
	close(p[0]);
	fcntl(p[1], F_SETFD, FD_CLOEXEC); /* engraft commands do not hold it; the sessions do */
	*fd = p[1];
	return g;
}

/* ---- one session: a login at its terminal ---- */

struct term {
	int master, slave;
	FILE *in, *out;
	struct app *a;
	char failed[512]; /* why the session stopped, "" while it goes on */
};

static void fail(struct term *t, const char *fmt, ...)
{
	if (t->failed[0])
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(t->failed, sizeof t->failed, fmt, ap);
	va_end(ap);
}

/* Row y of what curses believes the terminal shows (UTF-8). */
static const char *screen_row(int y)
{
	static char text[4 * COLS_ + 1];
	wchar_t w[COLS_ + 1];
	text[0] = '\0';
	if (mvwinnwstr(curscr, y, 0, w, COLS < COLS_ ? COLS : COLS_) == ERR)
		return text;
	w[COLS_] = L'\0';
	size_t n = wcstombs(text, w, sizeof text - 1);
	text[n == (size_t)-1 ? 0 : n] = '\0';
	return text;
}

static int screen_has(const char *needle)
{
	for (int y = 0; y < LINES; y++)
		if (strstr(screen_row(y), needle))
			return 1;
	return 0;
}

static int unread(int fd)
{
	int n = 0;
	return ioctl(fd, FIONREAD, &n) == 0 ? n : 0;
}

/* What a user must never read on the status line while saving. */
static const char *const alarming[] = {"busy", "locked", "rror", "ermitted", "Not saved", "cannot", "failed", NULL};

/* Type `keys` as the terminal sends them, let the TUI handle all of them
 * (the pty delivers them to the slave side a moment later), throw away
 * what it drew, and look at the status line. */
static void type(struct term *t, const char *keys)
{
	if (t->failed[0])
		return;
	size_t n = strlen(keys), off = 0;
	while (off < n) {
		ssize_t w = write(t->master, keys + off, n - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			fail(t, "cannot type on the terminal: %s", strerror(errno));
			return;
		}
		off += (size_t)w;
	}
	for (int i = 0; i < 5000 && unread(t->slave) < (int)n; i++)
		sleep_ms(0.2);
	char sink[16384];
	for (int wait = 1000; unread(t->slave) > 0; wait = 100) {
		if (tui_step(t->a, wait)) {
			fail(t, "the terminal interface quit");
			return;
		}
		while (read(t->master, sink, sizeof sink) > 0)
			;
	}
	const char *status = screen_row(LINES - 2);
	for (int i = 0; alarming[i]; i++)
		if (strstr(status, alarming[i]))
			fail(t, "status line after \"%s\": %s", keys, status);
}

static void expect(struct term *t, const char *what, const char *after)
{
	if (!t->failed[0] && !screen_has(what))
		fail(t, "no \"%s\" on the screen after %s (status: %s)", what, after, screen_row(LINES - 2));
}

/* Ctrl-S on a filled form: the time from the key sent to the status line
 * saying `want`, in ms (-1: it did not). */
static double save(struct term *t, const char *want)
{
	double t0 = now_ms();
	type(t, "\023");
	double ms = now_ms() - t0;
	const char *status = screen_row(LINES - 2);
	if (!t->failed[0] && !strstr(status, want))
		fail(t, "after Ctrl-S the status line says \"%s\", not \"%s\"", status, want);
	return t->failed[0] ? -1 : ms;
}

static int term_open(struct term *t, struct store *s, ef_day today, struct ef_err *e)
{
	t->master = posix_openpt(O_RDWR | O_NOCTTY);
	if (t->master < 0 || grantpt(t->master) || unlockpt(t->master) || !ptsname(t->master))
		return ef_errf(e, EF_DB, "posix_openpt: %s", strerror(errno));
	if ((t->slave = open(ptsname(t->master), O_RDWR | O_NOCTTY)) < 0)
		return ef_errf(e, EF_DB, "open %s: %s", ptsname(t->master), strerror(errno));
	fcntl(t->master, F_SETFL, fcntl(t->master, F_GETFL) | O_NONBLOCK);
	struct winsize ws = {.ws_row = ROWS, .ws_col = COLS_};
	ioctl(t->master, TIOCSWINSZ, &ws);
	t->in = fdopen(t->slave, "r");
	t->out = fdopen(dup(t->slave), "w");
	if (!t->in || !t->out)
		return ef_errf(e, EF_DB, "fdopen: %s", strerror(errno));
	return tui_open(&t->a, s, today, "xterm-256color", t->out, t->in, e);
}

static void term_close(struct term *t)
{
	if (t->a)
		tui_close(t->a);
	if (t->out)
		fclose(t->out);
	if (t->in)
		fclose(t->in);
	if (t->master >= 0)
		close(t->master);
}

/* The doses a session gives in turn: inactivated vaccines (the live-vaccine
 * gate needs no override), each the only one of the list starting with its
 * letter. */
static const struct {
	const char *key, *code;
} doses[] = {{"f", "FLU"}, {"t", "TDAP"}, {"i", "IPV"}, {"c", "COVID19"}};

/* At a session's exit, before LeakSanitizer's check (exit handlers run
 * last registered first): root again, to read the suppressions file. */
static void regain_root(void)
{
	if (seteuid(0) != 0)
		fprintf(stderr, "multi: seteuid(0) at exit: %s\n", strerror(errno));
}

/* Session i: sign on as its login, open its patient, save until the
 * deadline. Each save is a line of `res`: "lab MRN COLLECTED_ON TEST VALUE
 * MS" or "dose MRN VACCINE GIVEN_ON MS"; the last line is "ok" or "failed
 * WHY". Returns the exit status. */
static int session(int i, FILE *res, double deadline, long think_ms)
{
	char login[32], mrn[16], family[16];
	login_of(i, login, sizeof login);
	snprintf(mrn, sizeof mrn, "M%03d", i);
	snprintf(family, sizeof family, "Multi%c%c", 'a' + i / 26, 'a' + i % 26);
	struct term t = {.master = -1, .slave = -1};
	struct store *s = NULL;
	struct ef_err e = {{0}};
	struct passwd *pw = getpwnam(login);
	/* The session is the login (real and effective user); root stays the
	 * saved user only so that LeakSanitizer's check at exit, which reads
	 * its suppressions file from the source tree (a private clone the
	 * login may not read), can run as root again (regain_root). */
	if (!pw || initgroups(login, pw->pw_gid) || setgid(pw->pw_gid) || setresuid(pw->pw_uid, pw->pw_uid, 0) ||
	    atexit(regain_root)) {
		fprintf(res, "failed cannot become %s: %s\n", login, strerror(errno));
		return 1;
	}
	prctl(PR_SET_DUMPABLE, 1); /* LeakSanitizer reads its own process */
	setenv("TERM", "xterm-256color", 1);
	setenv("ESCDELAY", "25", 1);
	unsetenv("LINES");
	unsetenv("COLUMNS");
	setlocale(LC_ALL, "C.UTF-8");
	ef_day today;
	int sec;
	app_local_now(&today, &sec);
	if (store_open(db, 0, &s, &e) || ef_ensure_assets(s, &e) || term_open(&t, s, today, &e)) {
		fail(&t, "%s", e.msg);
		goto out;
	}
	type(&t, "/");
	type(&t, family);
	type(&t, "\r");
	type(&t, "\r");
	expect(&t, "Chart:", "opening the patient");
	unsigned seed = (unsigned)i * 7919u + 17u;
	for (int k = 0; !t.failed[0] && now_ms() < deadline && k < 900; k++) {
		/* a lab result: ANC, a quarter of an hour apart, going back from yesterday */
		char on[32], day[11], value[16], keys[96];
		ef_date_format(today - 1 - k / 96, day);
		snprintf(on, sizeof on, "%sT%02d:%02d", day, (k % 96) / 4, (k % 4) * 15);
		snprintf(value, sizeof value, "%d.%d", 1 + k % 5, k % 10);
		type(&t, "l");
		expect(&t, "New lab result", "l");
		snprintf(keys, sizeof keys, "\025%s\t\t%s", on, value);
		type(&t, keys);
		char want[96];
		snprintf(want, sizeof want, "Saved ANC %s 10*9/L on %s.", value, on);
		double ms = save(&t, want);
		if (ms < 0)
			break;
		fprintf(res, "lab %s %s ANC %s %.3f\n", mrn, on, value, ms);
		sleep_ms((double)think_ms * (0.5 + (double)(rand_r(&seed) % 1000) / 1000.0));
		if (now_ms() >= deadline)
			break;
		/* a dose, a day apart, going back from yesterday */
		const char *key = doses[k % 4].key, *code = doses[k % 4].code;
		ef_date_format(today - 1 - k, day);
		type(&t, "v");
		expect(&t, "Vaccinations:", "v");
		type(&t, "r");
		expect(&t, "Record a vaccine dose given to", "r");
		type(&t, key);
		if (!t.failed[0] && !screen_has(code))
			fail(&t, "the vaccine list did not turn to %s", code);
		snprintf(keys, sizeof keys, "\t\025%s\tL%s-%d\tleft deltoid", day, login, k);
		type(&t, keys);
		snprintf(want, sizeof want, "Recorded %s given on %s.", code, day);
		if ((ms = save(&t, want)) < 0)
			break;
		fprintf(res, "dose %s %s %s %.3f\n", mrn, code, day, ms);
		type(&t, "\033"); /* back to the chart */
		expect(&t, "Chart:", "Esc on the vaccination list");
		sleep_ms((double)think_ms * (0.5 + (double)(rand_r(&seed) % 1000) / 1000.0));
	}
out:
	if (t.failed[0]) {
		fprintf(res, "failed %s\n", t.failed);
		fprintf(stderr, "multi: session %s: %s\n", login, t.failed);
	} else {
		fprintf(res, "ok\n");
	}
	term_close(&t);
	store_close(s);
	return t.failed[0] ? 1 : 0;
}

/* ---- the parent: the clinic, the sessions, the checks ---- */

static int problems;

static void problem(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "FAIL: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	problems++;
}

static const char *first_line(const char *path)
{
	static char line[1024];
	line[0] = '\0';
	FILE *f = fopen(path, "r");
	if (f) {
		if (!fgets(line, sizeof line, f))
			line[0] = '\0';
		fclose(f);
	}
	line[strcspn(line, "\n")] = '\0';
	return line;
}

static char setup_log[400];

/* A setup command must succeed: else its output, and stop. */
static void setup_step(const char *what, int rc)
{
	if (rc == 0)
		return;
	fprintf(stderr, "multi: setup: %s: exit %d; output of the setup:\n", what, rc);
	FILE *f = fopen(setup_log, "r");
	char buf[4096];
	size_t n;
	while (f && (n = fread(buf, 1, sizeof buf, f)) > 0)
		fwrite(buf, 1, n, stderr);
	if (f)
		fclose(f);
	exit(1);
}

/* The sessions' patients, one each, transplanted 1000 days ago. */
static void write_patients(ef_day today)
{
	char path[400], tdate[11];
	ef_date_format(today - 1000, tdate);
	FILE *p = fopen((snprintf(path, sizeof path, "%s/mpatients.csv", dir), path), "w");
	FILE *t = fopen((snprintf(path, sizeof path, "%s/mtransplants.csv", dir), path), "w");
	if (!p || !t) {
		fprintf(stderr, "multi: cannot write the patients\n");
		exit(1);
	}
	fprintf(p, "mrn,family_name,given_name,birth_date,sex,diagnosis\n");
	fprintf(t, "mrn,transplant_date,type,graft_source,donor,conditioning\n");
	for (int i = 0; i < n_sessions; i++) {
		fprintf(p, "M%03d,Multi%c%c,Session,1970-01-01,F,AML\n", i, 'a' + i / 26, 'a' + i % 26);
		fprintf(t, "M%03d,%s,allogeneic,peripheral_blood,unrelated,\n", i, tdate);
	}
	fclose(p);
	fclose(t);
}

/* Round r of root's imports: a new ANC for each cohort patient, a minute
 * apart from the last round's. */
static void write_import(const char *path, ef_day today, int r)
{
	static const char *const mrns[] = {"T001", "T003", "T004"};
	FILE *f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "multi: cannot write %s\n", path);
		exit(1);
	}
	char day[11];
	ef_date_format(today - 2 - r / 1440, day);
	fprintf(f, "mrn,collected_on,test,value,unit\n");
	for (size_t m = 0; m < sizeof mrns / sizeof mrns[0]; m++)
		fprintf(f, "%s,%sT%02d:%02d,ANC,%d.%d,10*9/L\n", mrns[m], day, (r % 1440) / 60, r % 60, 1 + r % 3, r % 10);
	fclose(f);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double pct(const double *v, size_t n, double p)
{
	if (!n)
		return 0;
	size_t k = (size_t)(p * (double)(n - 1) + 0.5);
	return v[k < n ? k : n - 1];
}

/* The one integer a query with up to two text parameters gives (-1 on error). */
static long long sql_count(sqlite3 *c, const char *sql, const char *a1, const char *a2, const char *a3,
			   const char *a4)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(c, sql, -1, &st, NULL) != SQLITE_OK) {
		problem("SQL %s: %s", sql, sqlite3_errmsg(c));
		return -1;
	}
	const char *args[] = {a1, a2, a3, a4};
	for (int i = 0; i < 4; i++)
		if (args[i])
			sqlite3_bind_text(st, i + 1, args[i], -1, SQLITE_STATIC);
	long long n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
	sqlite3_finalize(st);
	return n;
}

/* Save latencies, in ms; sorted once all are in. */
struct series {
	double *ms;
	size_t n, cap;
};

static void series_add(struct series *v, double ms)
{
	if (v->n == v->cap) {
		v->cap = v->cap ? v->cap * 2 : 1024;
		if (!(v->ms = realloc(v->ms, v->cap * sizeof *v->ms)))
			exit(1);
	}
	v->ms[v->n++] = ms;
}

static void series_sort(struct series *v)
{
	if (v->n)
		qsort(v->ms, v->n, sizeof *v->ms, cmp_double);
}

struct tally {
	struct series all, lab, dose;
};

/* Read session i's file; check each row it saved is in the database once,
 * and that the patient has no other row. */
static void check_session(sqlite3 *c, int i, const char *path, struct tally *tl)
{
	char login[32], mrn[16];
	login_of(i, login, sizeof login);
	snprintf(mrn, sizeof mrn, "M%03d", i);
	FILE *f = fopen(path, "r");
	if (!f) {
		problem("session %s left no results", login);
		return;
	}
	char line[1024];
	long labs = 0, doses_ = 0;
	int ended = 0;
	struct series *kind = NULL;
	while (fgets(line, sizeof line, f)) {
		char a[64], b[64], x[64], y[64];
		double ms;
		line[strcspn(line, "\n")] = '\0';
		if (sscanf(line, "lab %*s %63s %63s %63s %lf", a, b, x, &ms) == 4) {
			if (sql_count(c,
				      "SELECT count(*) FROM lab_results l JOIN patients p ON p.id = l.patient_id "
				      "WHERE p.mrn = ?1 AND l.collected_on = ?2 AND l.test = ?3 AND l.value = ?4",
				      mrn, a, b, x) != 1)
				problem("%s saved lab %s %s %s, the database does not have it once", login, a, b, x);
			labs++;
			kind = &tl->lab;
		} else if (sscanf(line, "dose %*s %63s %63s %lf", a, y, &ms) == 3) {
			if (sql_count(c,
				      "SELECT count(*) FROM vaccinations v JOIN patients p ON p.id = v.patient_id "
				      "WHERE p.mrn = ?1 AND v.vaccine = ?2 AND v.given_on = ?3 AND v.source = 'administered'",
				      mrn, a, y, NULL) != 1)
				problem("%s recorded %s on %s, the database does not have it once", login, a, y);
			doses_++;
			kind = &tl->dose;
		} else if (strcmp(line, "ok") == 0) {
			ended = 1;
			continue;
		} else {
			problem("session %s: %s", login, line);
			ended = 1;
			continue;
		}
		if (kind)
			series_add(kind, ms);
		series_add(&tl->all, ms);
	}
	fclose(f);
	if (!ended)
		problem("session %s ended without saying so", login);
	if (labs + doses_ == 0)
		problem("session %s saved nothing", login);
	/* nothing more than what the session saw saved */
	long long in_db = sql_count(c, "SELECT count(*) FROM lab_results l JOIN patients p ON p.id = l.patient_id "
				       "WHERE p.mrn = ?1", mrn, NULL, NULL, NULL);
	if (in_db != labs)
		problem("%s: %lld lab rows in the database, the session saved %ld", mrn, in_db, labs);
	in_db = sql_count(c, "SELECT count(*) FROM vaccinations v JOIN patients p ON p.id = v.patient_id "
			     "WHERE p.mrn = ?1", mrn, NULL, NULL, NULL);
	if (in_db != doses_)
		problem("%s: %lld doses in the database, the session recorded %ld", mrn, in_db, doses_);
	/* each row inserted by its login and touched by nobody else */
	static const char *const tables[] = {"lab_results", "vaccinations"};
	for (int k = 0; k < 2; k++) {
		char sql[600];
		snprintf(sql, sizeof sql,
			 "SELECT count(*) FROM %s r JOIN patients p ON p.id = r.patient_id WHERE p.mrn = ?1 AND NOT EXISTS "
			 "(SELECT 1 FROM audit_log a WHERE a.tbl = '%s' AND a.row_key = r.id AND a.action = 'insert' "
			 "AND a.user = ?2)", tables[k], tables[k]);
		long long n = sql_count(c, sql, mrn, login, NULL, NULL);
		if (n != 0)
			problem("%s: %lld %s rows whose insert the trail does not give to %s", mrn, n, tables[k], login);
		snprintf(sql, sizeof sql,
			 "SELECT count(*) FROM audit_log a JOIN %s r ON a.tbl = '%s' AND a.row_key = r.id "
			 "JOIN patients p ON p.id = r.patient_id WHERE p.mrn = ?1 AND a.user <> ?2", tables[k], tables[k]);
		if ((n = sql_count(c, sql, mrn, login, NULL, NULL)) != 0)
			problem("%s: %lld trail entries on its %s by another login than %s", mrn, n, tables[k], login);
	}
	long long n = sql_count(c,
				"SELECT count(*) FROM vaccinations v JOIN patients p ON p.id = v.patient_id WHERE p.mrn = ?1 "
				"AND (v.given_by IS NOT ?2 OR NOT EXISTS (SELECT 1 FROM signatures s WHERE s.tbl = "
				"'vaccinations' AND s.row_key = v.id AND s.login = ?2 AND s.meaning = 'administered'))",
				mrn, login, NULL, NULL);
	if (n != 0)
		problem("%s: %lld doses not given by, or not signed by, %s", mrn, n, login);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s DATA_DIR [--bench]\n", argv[0]);
		return 2;
	}
	const char *data = argv[1];
	int bench = argc > 2 && strcmp(argv[2], "--bench") == 0;
	if (geteuid() != 0 || !on_path("useradd") || !on_path("groupadd") || !on_path("userdel")) {
		printf("multi: needs root and useradd/groupadd/userdel (it makes %s logins): skipped\n", "twenty");
		return 77;
	}
	engraft_bin = getenv("ENGRAFT_BIN");
	if (!engraft_bin || !*engraft_bin) {
		fprintf(stderr, "multi: ENGRAFT_BIN is not set\n");
		return 2;
	}
	long seconds = env_long("ENGRAFT_MULTI_SECONDS", 60, 1, 3600);
	n_sessions = (int)env_long("ENGRAFT_MULTI_SESSIONS", 20, 1, MAX_SESSIONS);
	long think_ms = env_long("ENGRAFT_MULTI_THINK_MS", 500, 0, 60000);
	const char *tmp = getenv("TMPDIR");
	snprintf(dir, sizeof dir, "%s/engraft-multi-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir) || chmod(dir, 0711)) {
		perror("multi: mkdtemp");
		return 1;
	}
	snprintf(db, sizeof db, "%s/clinic/engraft.db", dir);
	tag = (long)getpid() % 100000;
	snprintf(group, sizeof group, "efmulti%ld", tag);
	int guard_fd;
	pid_t guardian = start_guardian(&guard_fd);
	const char *log = setup_log;
	snprintf(setup_log, sizeof setup_log, "%s/setup.log", dir);

	/* the clinic: a group, a login per session, the shared database */
	const char *gadd[] = {"groupadd", group, NULL};
	setup_step("groupadd", run(log, gadd));
	for (int i = 0; i < n_sessions; i++) {
		char login[32], name[64];
		login_of(i, login, sizeof login);
		snprintf(name, sizeof name, "Multi Session %02d", i);
		const char *uadd[] = {"useradd", "-M", "-N", "-g", group, "-s", "/usr/sbin/nologin", "-c", name, login, NULL};
		setup_step("useradd", run(log, uadd));
	}
	mode_t old = umask(077);
	setup_step("init --group", engraft(log, "init", "--group", group, NULL));
	umask(old);
	for (int i = 0; i < n_sessions; i++) {
		char login[32], name[64];
		login_of(i, login, sizeof login);
		snprintf(name, sizeof name, "Multi Session %02d", i);
		setup_step("staff add", engraft(log, "staff", "add", login, "--role", i % 2 ? "clinician" : "nurse",
						"--name", name, NULL));
	}
	ef_day today;
	int sec;
	app_local_now(&today, &sec);
	static const char *const kinds[] = {"patients", "transplants", "labs", "transfusions", "vaccinations",
					    "gvhd-acute", "gvhd-chronic", "immunosuppression", "ivig"};
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
		char path[4200];
		snprintf(path, sizeof path, "%s/%s.csv", data, kinds[k]);
		setup_step(kinds[k], engraft(log, "import", kinds[k], path, NULL));
	}
	write_patients(today);
	char mp[400], mt[400];
	snprintf(mp, sizeof mp, "%s/mpatients.csv", dir);
	snprintf(mt, sizeof mt, "%s/mtransplants.csv", dir);
	setup_step("import the sessions' patients", engraft(log, "import", "patients", mp, NULL));
	setup_step("import their transplants", engraft(log, "import", "transplants", mt, NULL));
	setup_step("check", engraft(log, "check", NULL));

	pid_t pids[MAX_SESSIONS];
	double deadline = now_ms() + (double)seconds * 1000;
	fflush(NULL);
	for (int i = 0; i < n_sessions; i++) {
		char path[400];
		snprintf(path, sizeof path, "%s/session%02d.txt", dir, i);
		FILE *res = fopen(path, "w");
		if (!res) {
			problem("cannot write %s", path);
			break;
		}
		pids[i] = fork();
		if (pids[i] == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			alarm((unsigned)seconds + 240);
			int rc = session(i, res, deadline, think_ms);
			fclose(res);
			exit(rc);
		}
		fclose(res);
		if (pids[i] < 0) {
			problem("fork: %s", strerror(errno));
			n_sessions = i;
			break;
		}
	}

	/* meanwhile root: an import and a check, again and again */
	char imp[400], out[400];
	snprintf(imp, sizeof imp, "%s/round.csv", dir);
	snprintf(out, sizeof out, "%s/round.log", dir);
	int rounds = 0, checks = 0;
	double imp_worst = 0, chk_worst = 0;
	while (now_ms() < deadline) {
		write_import(imp, today, rounds);
		unlink(out);
		double t0 = now_ms();
		int rc = engraft(out, "import", "labs", imp, NULL);
		double t1 = now_ms();
		if (rc != 0)
			problem("import round %d: exit %d: %s", rounds, rc, first_line(out));
		rounds++;
		unlink(out);
		rc = engraft(out, "check", NULL);
		if (rc != 0)
			problem("check %d: exit %d: %s", checks, rc, first_line(out));
		checks++;
		double t2 = now_ms();
		if (t1 - t0 > imp_worst)
			imp_worst = t1 - t0;
		if (t2 - t1 > chk_worst)
			chk_worst = t2 - t1;
	}
	for (int i = 0; i < n_sessions; i++) {
		int st;
		while (waitpid(pids[i], &st, 0) < 0 && errno == EINTR)
			;
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
			problem("session %d ended with %s %d", i, WIFEXITED(st) ? "exit" : "signal",
				WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
	}

	/* what the database says */
	unlink(out);
	int rc = engraft(out, "audit", "verify", NULL);
	if (rc != 0)
		problem("audit verify: exit %d: %s", rc, first_line(out));
	sqlite3 *c = NULL;
	struct tally tl = {0};
	if (sqlite3_open_v2(db, &c, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		problem("open %s: %s", db, c ? sqlite3_errmsg(c) : "?");
	} else {
		for (int i = 0; i < n_sessions; i++) {
			char path[400];
			snprintf(path, sizeof path, "%s/session%02d.txt", dir, i);
			check_session(c, i, path, &tl);
		}
		/* root's imports: three new rows a round, none lost either */
		char first[11];
		ef_date_format(today - 2 - rounds / 1440, first);
		long long imported = sql_count(c, "SELECT count(*) FROM lab_results l JOIN patients p ON "
						  "p.id = l.patient_id WHERE p.mrn IN ('T001', 'T003', 'T004') AND "
						  "l.collected_on >= ?1", first, NULL, NULL, NULL);
		if (imported != 3LL * rounds)
			problem("%lld rows from root's %d imports, not %d", imported, rounds, 3 * rounds);
	}
	sqlite3_close(c);
	series_sort(&tl.all);
	series_sort(&tl.lab);
	series_sort(&tl.dose);
	double p50 = pct(tl.all.ms, tl.all.n, 0.50), p99 = pct(tl.all.ms, tl.all.n, 0.99);
	double max = pct(tl.all.ms, tl.all.n, 1);
	printf("multi: %d sessions for %ld s (think %ld ms): %zu labs and %zu doses saved; save latency p50 %.1f ms, "
	       "p99 %.1f ms, max %.1f ms (labs %.1f / %.1f, doses %.1f / %.1f); root meanwhile: %d imports (worst "
	       "%.0f ms), %d checks (worst %.0f ms); %d problems\n",
	       n_sessions, seconds, think_ms, tl.lab.n, tl.dose.n, p50, p99, max, pct(tl.lab.ms, tl.lab.n, 0.5),
	       pct(tl.lab.ms, tl.lab.n, 0.99), pct(tl.dose.ms, tl.dose.n, 0.5), pct(tl.dose.ms, tl.dose.n, 0.99), rounds,
	       imp_worst, checks, chk_worst, problems);
	if (bench)
		printf("bench sessions=%d seconds=%ld think_ms=%ld saves=%zu p50_ms=%.3f p99_ms=%.3f max_ms=%.3f "
		       "lab_p50_ms=%.3f lab_p99_ms=%.3f dose_p50_ms=%.3f dose_p99_ms=%.3f imports=%d checks=%d problems=%d\n",
		       n_sessions, seconds, think_ms, tl.all.n, p50, p99, max, pct(tl.lab.ms, tl.lab.n, 0.5),
		       pct(tl.lab.ms, tl.lab.n, 0.99), pct(tl.dose.ms, tl.dose.n, 0.5), pct(tl.dose.ms, tl.dose.n, 0.99),
		       rounds, checks, problems);
	free(tl.all.ms);
	free(tl.lab.ms);
	free(tl.dose.ms);
	fflush(NULL);
	/* the guardian removes the logins, the group and the directory now */
	close(guard_fd);
	while (waitpid(guardian, NULL, 0) < 0 && errno == EINTR)
		;
	return problems ? 1 : 0;
}
