/* harness.c - the screen-test harness (harness.h).
 *
 * The TUI runs in this process on newterm() over the slave side of a
 * pseudo-terminal (posix_openpt) of a fixed size. Keys are written to the
 * master side exactly as a terminal sends them (terminfo sequences for
 * function keys), we wait until the slave has them, then one tui_step()
 * handles them all and redraws. A thread drains what curses writes so the
 * pty never fills. The screen is read back from curscr (what curses
 * believes the terminal shows). Resizing sets the pty's window size and
 * raises SIGWINCH, as the kernel would for the controlling terminal. */
#include "harness.h"

#include <errno.h>
#include <fcntl.h>
#include <locale.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <wchar.h>

#include <curses.h>

#include "engraft/alertstore.h"
#include "engraft/csvio.h"
#include "engraft/refstore.h"
#include "engraft/rules.h"
#include "tui_drive.h"

#ifndef TUI_DATA_DIR
#error "TUI_DATA_DIR must point at tests/data/tui"
#endif

struct th {
	char dir[256];
	char db[300];
	struct store *s;
	int master, slave;
	FILE *in, *out;
	pthread_t drain;
	int draining;
	struct app *app;
	int quit;
	char line[4096];
	char farewell[1024];
	int status;
};

ef_day th_today(void)
{
	return ef_day_from_ymd(TH_TODAY_Y, TH_TODAY_M, TH_TODAY_D);
}

static void *drain_main(void *arg)
{
	struct th *t = arg;
	char buf[4096];
	for (;;) {
		ssize_t n = read(t->master, buf, sizeof buf);
		if (n > 0)
			continue;
		if (n < 0 && errno == EINTR)
			continue;
		break; /* EIO once the slave side is closed */
	}
	return NULL;
}

static int load_fixture(struct th *t)
{
	static const char *const kinds[] = {"patients", "transplants", "labs", "gvhd-acute",
					    "immunosuppression", "ivig", "vaccinations"};
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
		char path[512];
		snprintf(path, sizeof path, "%s/%s.csv", TUI_DATA_DIR, kinds[i]);
		FILE *f = fopen(path, "rb");
		if (!f) {
			fprintf(stderr, "harness: %s: %s\n", path, strerror(errno));
			return -1;
		}
		enum store_kind k;
		ef_kind_parse(kinds[i], &k);
		struct ef_import_opts o = {.today = th_today(), .max_errors = 5};
		struct ef_import_result r;
		struct ef_err e = {{0}};
		int rc = ef_import(t->s, k, f, path, &o, &r, &e);
		fclose(f);
		if (rc) {
			fprintf(stderr, "harness: import %s: %s\n", path, e.msg);
			return -1;
		}
	}
	return 0;
}

static int add_patients(struct th *t, long n)
{
	struct ef_err e = {{0}};
	if (store_begin(t->s, &e))
		return -1;
	for (long i = 0; i < n; i++) {
		char mrn[32], fam[64], given[32], tdate[11];
		snprintf(mrn, sizeof mrn, "X%06ld", i);
		/* names spread over the alphabet, several patients per name */
		snprintf(fam, sizeof fam, "%c%c%cname%04ld", 'A' + (int)(i * 7 % 25), 'a' + (int)(i * 3 % 26),
			 'a' + (int)(i % 26), i / 3);
		snprintf(given, sizeof given, "G%ld", i % 97);
		struct store_patient_rec p = {mrn, fam, given, "1970-01-01", "F", "AML"};
		int64_t id;
		enum store_put res;
		if (store_put_patient(t->s, &p, 0, &id, &res, &e))
			goto fail;
		ef_date_format(th_today() - 30 - (ef_day)(i % 900), tdate);
		struct store_transplant_rec tr = {id, tdate, "allogeneic", "peripheral_blood", "unrelated", NULL};
		if (store_put_transplant(t->s, &tr, 0, &res, &e))
			goto fail;
	}
	return store_commit(t->s, &e) ? -1 : 0;
fail:
	fprintf(stderr, "harness: add patients: %s\n", e.msg);
	store_rollback(t->s);
	return -1;
}

struct check_ctx {
	struct store *s;
	struct ef_reference ref;
	struct ef_findings f;
	struct ef_check_counts counts;
};

static int check_one(void *ctx, const struct ef_timeline *tl, struct ef_err *err)
{
	struct check_ctx *c = ctx;
	int rc = ef_rules_evaluate(tl, &c->ref, th_today(), &c->f, err);
	return rc ? rc : store_alerts_apply(c->s, tl->patient.id, th_today(), &c->f, &c->counts, err);
}

/* What `engraft check` does, as of the fixture's today. */
static int run_check(struct th *t)
{
	struct check_ctx c = {.s = t->s};
	struct ef_err e = {{0}};
	if (store_reference_load(t->s, &c.ref, &e)) {
		fprintf(stderr, "harness: reference: %s\n", e.msg);
		return -1;
	}
	ef_findings_init(&c.f);
	int rc = store_begin(t->s, &e);
	if (rc == EF_OK) {
		rc = store_each_timeline(t->s, th_today(), NULL, check_one, &c, &e);
		if (rc == EF_OK)
			rc = store_commit(t->s, &e);
		else
			store_rollback(t->s);
	}
	ef_findings_free(&c.f);
	ef_reference_free(&c.ref);
	if (rc)
		fprintf(stderr, "harness: check: %s\n", e.msg);
	return rc ? -1 : 0;
}

int th_restart(struct th *t, int rows, int cols)
{
	unsetenv("LINES");
	unsetenv("COLUMNS");
	setenv("TERM", "xterm-256color", 1);
	setlocale(LC_ALL, getenv("TH_LOCALE") ? getenv("TH_LOCALE") : "C.UTF-8");
	t->master = posix_openpt(O_RDWR | O_NOCTTY);
	if (t->master < 0 || grantpt(t->master) || unlockpt(t->master)) {
		perror("harness: posix_openpt");
		return -1;
	}
	const char *name = ptsname(t->master);
	t->slave = name ? open(name, O_RDWR | O_NOCTTY) : -1;
	if (t->slave < 0) {
		perror("harness: open slave");
		return -1;
	}
	struct winsize ws = {.ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols};
	ioctl(t->master, TIOCSWINSZ, &ws);
	t->in = fdopen(t->slave, "r");
	t->out = fdopen(dup(t->slave), "w");
	if (!t->in || !t->out)
		return -1;
	if (pthread_create(&t->drain, NULL, drain_main, t) == 0)
		t->draining = 1;
	t->quit = 0;
	t->farewell[0] = '\0';
	t->status = 0;
	struct ef_err e = {{0}};
	if (tui_open(&t->app, t->s, th_today(), "xterm-256color", t->out, t->in, &e)) {
		fprintf(stderr, "harness: tui_open: %s\n", e.msg);
		return -1;
	}
	return 0;
}

struct th *th_start(int rows, int cols, long extra_patients)
{
	return th_start_ex(rows, cols, extra_patients, 1);
}

struct th *th_start_ex(int rows, int cols, long extra_patients, int check)
{
	struct th *t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	t->master = t->slave = -1;
	snprintf(t->dir, sizeof t->dir, "/tmp/engraft-tui-XXXXXX");
	if (!mkdtemp(t->dir)) {
		perror("harness: mkdtemp");
		free(t);
		return NULL;
	}
	snprintf(t->db, sizeof t->db, "%s/t.db", t->dir);
	/* TH_LOCALE: run the whole test (database creation, reference data,
	 * fixture, TUI) under another locale, e.g. a decimal-comma one. */
	if (getenv("TH_LOCALE") && !setlocale(LC_ALL, getenv("TH_LOCALE"))) {
		fprintf(stderr, "harness: locale %s is not available\n", getenv("TH_LOCALE"));
		th_free(t);
		return NULL;
	}
	struct ef_err e = {{0}};
	if (store_open(t->db, 0, &t->s, &e) || ef_ensure_assets(t->s, &e)) {
		fprintf(stderr, "harness: open: %s\n", e.msg);
		th_free(t);
		return NULL;
	}
	if (load_fixture(t) || (extra_patients > 0 && add_patients(t, extra_patients)) || (check && run_check(t)) ||
	    th_restart(t, rows, cols)) {
		th_free(t);
		return NULL;
	}
	return t;
}

void th_stop(struct th *t)
{
	if (t->app) {
		tui_close(t->app);
		t->app = NULL;
	}
	if (t->out)
		fclose(t->out);
	if (t->in)
		fclose(t->in); /* closes the slave: the drain thread sees EIO */
	t->in = t->out = NULL;
	t->slave = -1;
	if (t->draining) {
		close(t->master); /* in case the read still blocks */
		pthread_join(t->drain, NULL);
		t->draining = 0;
	} else if (t->master >= 0) {
		close(t->master);
	}
	t->master = -1;
}

void th_free(struct th *t)
{
	if (!t)
		return;
	th_stop(t);
	if (t->s)
		store_close(t->s);
	char p[400];
	const char *suffix[] = {"", "-wal", "-shm"};
	for (int i = 0; i < 3; i++) {
		snprintf(p, sizeof p, "%s%s", t->db, suffix[i]);
		unlink(p);
	}
	rmdir(t->dir);
	free(t);
}

/* Wait until the slave side has n bytes to read (the pty moves data from
 * master to slave asynchronously). */
static void wait_input(struct th *t, int n)
{
	for (int i = 0; i < 2000; i++) {
		int avail = 0;
		if (ioctl(t->slave, FIONREAD, &avail) == 0 && avail >= n)
			return;
		struct timespec ts = {0, 1000000};
		nanosleep(&ts, NULL);
	}
}

/* One tui_step; notes what the TUI said when it ends. */
static void step(struct th *t, int wait_ms)
{
	if (t->quit || !tui_step(t->app, wait_ms))
		return;
	t->quit = 1;
	snprintf(t->farewell, sizeof t->farewell, "%s", tui_farewell(t->app, &t->status));
}

void th_idle(struct th *t, double minutes)
{
	if (t->quit || !t->app)
		return;
	tui_clock_advance(t->app, minutes * 60000.0);
	step(t, 0);
}

int th_hangup(struct th *t)
{
	/* The TUI's input now ends at once, as a terminal's does when it is
	 * gone (the output side stays, so the harness can be stopped as usual). */
	int fd = open("/dev/null", O_RDONLY);
	if (fd < 0 || dup2(fd, fileno(t->in)) < 0)
		return 0;
	close(fd);
	for (int i = 0; i < 100 && !t->quit; i++)
		step(t, 200);
	return t->quit;
}

const char *th_farewell(struct th *t, int *status)
{
	if (status)
		*status = t->status;
	return t->farewell;
}

static void send_bytes(struct th *t, const char *b, size_t n)
{
	if (t->quit || !t->app)
		return;
	size_t off = 0;
	while (off < n) {
		ssize_t w = write(t->master, b + off, n - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		off += (size_t)w;
	}
	wait_input(t, (int)n);
	/* handle everything that arrived; an Esc waits ESCDELAY inside curses */
	step(t, 1000);
	for (int i = 0; i < 50 && !t->quit; i++) {
		int avail = 0;
		if (ioctl(t->slave, FIONREAD, &avail) || avail == 0)
			break;
		step(t, 100);
	}
}

void th_type(struct th *t, const char *text)
{
	send_bytes(t, text, strlen(text));
}

void th_key(struct th *t, int k)
{
	char *seq = keybound(k, 0);
	if (!seq) {
		fprintf(stderr, "harness: no terminal sequence for key %d\n", k);
		return;
	}
	send_bytes(t, seq, strlen(seq));
	free(seq);
}

void th_esc(struct th *t)
{
	send_bytes(t, "\033", 1);
}

void th_enter(struct th *t)
{
	send_bytes(t, "\r", 1);
}

void th_resize(struct th *t, int rows, int cols)
{
	struct winsize ws = {.ws_row = (unsigned short)rows, .ws_col = (unsigned short)cols};
	ioctl(t->master, TIOCSWINSZ, &ws);
	raise(SIGWINCH); /* the kernel signals only the controlling terminal's processes */
	step(t, 1000);
}

int th_rows(struct th *t)
{
	(void)t;
	return LINES;
}

int th_cols(struct th *t)
{
	(void)t;
	return COLS;
}

const char *th_line(struct th *t, int y)
{
	wchar_t wbuf[1024];
	t->line[0] = '\0';
	if (y < 0 || y >= LINES)
		return t->line;
	int n = COLS < 1023 ? COLS : 1023;
	if (mvwinnwstr(curscr, y, 0, wbuf, n) == ERR)
		return t->line;
	wbuf[n] = L'\0';
	size_t len = wcstombs(t->line, wbuf, sizeof t->line - 1);
	if (len == (size_t)-1)
		len = 0;
	t->line[len] = '\0';
	while (len > 0 && t->line[len - 1] == ' ')
		t->line[--len] = '\0';
	return t->line;
}

int th_find(struct th *t, const char *text)
{
	for (int y = 0; y < LINES; y++)
		if (strstr(th_line(t, y), text))
			return y;
	return -1;
}

unsigned long th_attr(struct th *t, int y, int x)
{
	(void)t;
	cchar_t cc;
	if (mvwin_wch(curscr, y, x, &cc) == ERR)
		return 0;
	wchar_t wch[CCHARW_MAX + 1];
	attr_t at;
	short pair;
	getcchar(&cc, wch, &at, &pair, NULL);
	return (unsigned long)(at & ~A_COLOR) | (unsigned long)COLOR_PAIR(pair);
}

int th_quit(struct th *t)
{
	return t->quit;
}

void th_dump(struct th *t)
{
	fprintf(stderr, "---- screen %dx%d ----\n", COLS, LINES);
	for (int y = 0; y < LINES; y++)
		fprintf(stderr, "%2d|%s\n", y, th_line(t, y));
	fprintf(stderr, "----\n");
}

struct store *th_store(struct th *t)
{
	return t->s;
}

const char *th_db_path(struct th *t)
{
	return t->db;
}

struct count_ctx {
	const char *needle;
	int n;
};

static int count_row(void *ctx, const char *const *v, size_t n, struct ef_err *err)
{
	(void)err;
	struct count_ctx *c = ctx;
	char line[2048] = "";
	size_t len = 0;
	for (size_t i = 0; i < n; i++) {
		int w = snprintf(line + len, sizeof line - len, "%s%s", i ? "," : "", v[i] ? v[i] : "");
		if (w < 0 || (size_t)w >= sizeof line - len)
			break;
		len += (size_t)w;
	}
	if (!c->needle || strstr(line, c->needle))
		c->n++;
	return 0;
}

int th_export_count(struct th *t, int kind, const char *mrn, const char *needle)
{
	struct count_ctx c = {needle, 0};
	struct ef_err e = {{0}};
	if (store_export_rows(t->s, (enum store_kind)kind, EF_NO_DAY, mrn, count_row, &c, &e)) {
		fprintf(stderr, "harness: export: %s\n", e.msg);
		return -1;
	}
	return c.n;
}
