/* store.c - open, pragmas, migrations, transactions, statement cache. */
#include "store_int.h"
#include "engraft/worklist.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "engraft/embedded.h"
#include "engraft/refstore.h"
#include "engraft/text.h"

#define BUSY_TIMEOUT_MS 10000
#define STAFF_SCHEMA 8      /* schema/008_staff.sql: the staff list begins */
#define REF_AUDIT_SCHEMA 10 /* schema/010_reference_audit.sql: reference tables enter the trail */

/* The directory part of path ("." when none). */
static void dir_of(const char *path, char *dir, size_t size)
{
	snprintf(dir, size, "%s", path);
	char *slash = strrchr(dir, '/');
	if (!slash)
		snprintf(dir, size, ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
}

/* Why the file system refuses the database at `path`, for a person to
 * act on: a directory or file that is not writable for this login, a -wal
 * or -shm file that belongs to another user, a read-only or full file
 * system. Writes "" when nothing explains it. */
static void diagnose_env(const char *path, char *out, size_t size)
{
	out[0] = '\0';
	struct passwd *me = getpwuid(geteuid());
	char login[64]; /* copied: getpwuid's result is overwritten by the next call */
	snprintf(login, sizeof login, "%s", me && me->pw_name ? me->pw_name : "this login");
	char dir[4096];
	dir_of(path, dir, sizeof dir);
	struct statvfs vfs;
	if (statvfs(dir, &vfs) == 0) {
		if (vfs.f_flag & ST_RDONLY) {
			snprintf(out, size, " (the file system of %s is read-only)", dir);
			return;
		}
		if (vfs.f_bavail == 0 && geteuid() != 0) {
			snprintf(out, size, " (the disk holding %s is full: free space)", dir);
			return;
		}
		if (vfs.f_bfree == 0) {
			snprintf(out, size, " (the disk holding %s is full: free space)", dir);
			return;
		}
	}
	static const char *const sidecar[] = {"", "-wal", "-shm"};
	for (size_t i = 0; i < sizeof sidecar / sizeof sidecar[0]; i++) {
		char f[4096 + 8];
		snprintf(f, sizeof f, "%s%s", path, sidecar[i]);
		struct stat st;
		if (stat(f, &st) != 0 || access(f, R_OK | W_OK) == 0)
			continue;
		struct passwd *owner = getpwuid(st.st_uid);
		char who[64];
		if (owner && owner->pw_name)
			snprintf(who, sizeof who, "%s", owner->pw_name);
		else
			snprintf(who, sizeof who, "uid %ld", (long)st.st_uid);
		snprintf(out, size, " (%s belongs to %s, mode %04o: %s cannot write it%s)", f, who,
			 (unsigned)(st.st_mode & 07777), login,
			 i ? "; its owner's engraft must close, or an admin fixes its group and mode" : "");
		return;
	}
	if (access(dir, W_OK | X_OK) != 0) {
		struct stat st;
		struct passwd *owner = stat(dir, &st) == 0 ? getpwuid(st.st_uid) : NULL;
		snprintf(out, size,
			 " (the directory %s is not writable for %s%s%s: the database needs to create its -wal "
			 "and -shm files there)",
			 dir, login, owner && owner->pw_name ? ", owner " : "", owner && owner->pw_name ? owner->pw_name : "");
	}
}

int store_dberr(struct store *s, struct ef_err *err, const char *what)
{
	int code = s && s->db ? sqlite3_extended_errcode(s->db) : SQLITE_ERROR;
	const char *msg = s && s->db ? sqlite3_errmsg(s->db) : "no connection";
	switch (code & 0xff) {
	case SQLITE_READONLY:
	case SQLITE_CANTOPEN:
	case SQLITE_FULL:
	case SQLITE_IOERR:
	case SQLITE_PERM: {
		char why[10000];
		diagnose_env(s->path, why, sizeof why);
		if ((code & 0xff) == SQLITE_FULL && !why[0])
			snprintf(why, sizeof why, " (the disk is full: free space)");
		return ef_errf(err, EF_DB, "%s: %s%s", what, msg, why);
	}
	default:
		break;
	}
	if ((code & 0xff) == SQLITE_BUSY || (code & 0xff) == SQLITE_LOCKED)
		return ef_errf(err, EF_DB, "%s: database is busy (another engraft is writing); gave up after %d s",
			       what, BUSY_TIMEOUT_MS / 1000);
	if ((code & 0xff) == SQLITE_CONSTRAINT)
		return ef_errf(err, EF_INVALID, "%s: %s", what, msg);
	return ef_errf(err, EF_DB, "%s: %s", what, msg);
}

static sqlite3_stmt *stmt_get(struct store *s, const char *sql, int clear, struct ef_err *err)
{
	for (size_t i = 0; i < s->n_slots; i++) {
		if (s->slots[i].sql == sql) {
			sqlite3_stmt *st = s->slots[i].stmt;
			sqlite3_reset(st);
			if (clear)
				sqlite3_clear_bindings(st);
			return st;
		}
	}
	if (s->n_slots == s->cap_slots) {
		size_t cap = s->cap_slots ? s->cap_slots * 2 : 32;
		struct stmt_slot *n = realloc(s->slots, cap * sizeof *n);
		if (!n) {
			ef_errf(err, EF_DB, "out of memory");
			return NULL;
		}
		s->slots = n;
		s->cap_slots = cap;
	}
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
		store_dberr(s, err, "prepare");
		return NULL;
	}
	s->slots[s->n_slots].sql = sql;
	s->slots[s->n_slots].stmt = st;
	s->n_slots++;
	return st;
}

sqlite3_stmt *store_stmt(struct store *s, const char *sql, struct ef_err *err)
{
	return stmt_get(s, sql, 1, err);
}

sqlite3_stmt *store_stmt_rebind(struct store *s, const char *sql, struct ef_err *err)
{
	return stmt_get(s, sql, 0, err);
}

int store_bind_text(sqlite3_stmt *st, int i, const char *v)
{
	return sqlite3_bind_text(st, i, v ? v : "", -1, SQLITE_STATIC);
}

int store_bind_opt(sqlite3_stmt *st, int i, const char *v)
{
	if (!v || !*v)
		return sqlite3_bind_null(st, i);
	return sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
}

int store_exec_stmt(struct store *s, sqlite3_stmt *st, struct ef_err *err, const char *what)
{
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		;
	if (rc != SQLITE_DONE) {
		int r = store_dberr(s, err, what);
		sqlite3_reset(st);
		return r;
	}
	sqlite3_reset(st);
	return EF_OK;
}

static int exec_sql(struct store *s, const char *sql, struct ef_err *err, const char *what)
{
	char *msg = NULL;
	if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		int code = sqlite3_errcode(s->db) & 0xff;
		int r;
		if (code == SQLITE_BUSY || code == SQLITE_LOCKED || code == SQLITE_READONLY || code == SQLITE_CANTOPEN ||
		    code == SQLITE_FULL || code == SQLITE_IOERR || code == SQLITE_PERM)
			r = store_dberr(s, err, what);
		else
			r = ef_errf(err, EF_DB, "%s: %s", what, msg ? msg : sqlite3_errmsg(s->db));
		sqlite3_free(msg);
		return r;
	}
	return EF_OK;
}

int store_default_path(const char *explicit_path, char *buf, size_t size, struct ef_err *err)
{
	const char *p = explicit_path;
	int n;
	if (!p || !*p)
		p = getenv("ENGRAFT_DB");
	if (p && *p) {
		n = snprintf(buf, size, "%s", p);
	} else {
		const char *xdg = getenv("XDG_DATA_HOME");
		if (xdg && xdg[0] == '/') {
			n = snprintf(buf, size, "%s/engraft/engraft.db", xdg);
		} else {
			const char *home = getenv("HOME");
			if (!home || !*home) {
				struct passwd *pw = getpwuid(getuid());
				home = pw ? pw->pw_dir : NULL;
			}
			if (!home || !*home)
				return ef_errf(err, EF_USAGE, "no database path: set --db, ENGRAFT_DB or HOME");
			n = snprintf(buf, size, "%s/.local/share/engraft/engraft.db", home);
		}
	}
	if (n < 0 || (size_t)n >= size)
		return ef_errf(err, EF_USAGE, "database path too long");
	return EF_OK;
}

/* mkdir -p for the parent directories of path; new directories are 0700. */
static int make_parents(const char *path, struct ef_err *err)
{
	char dir[4096];
	size_t n = strlen(path);
	if (n >= sizeof dir)
		return ef_errf(err, EF_DB, "path too long: %s", path);
	memcpy(dir, path, n + 1);
	char *slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return EF_OK;
	*slash = '\0';
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0700) != 0 && errno != EEXIST)
			return ef_errf(err, EF_DB, "cannot create directory %s: %s", dir, strerror(errno));
		*p = '/';
	}
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return ef_errf(err, EF_DB, "cannot create directory %s: %s", dir, strerror(errno));
	return EF_OK;
}

/* A shared deployment (engraft init --group): the database's directory is
 * setgid and group-writable, so files created in it get its group and are
 * made 0660; elsewhere they are 0600. */
static mode_t create_mode(const char *path)
{
	char dir[4096];
	struct stat d;
	dir_of(path, dir, sizeof dir);
	if (stat(dir, &d) == 0 && (d.st_mode & S_ISGID) && (d.st_mode & S_IRWXG) == S_IRWXG)
		return 0660;
	return 0600;
}

/* Patient data is never readable by other users: a database file with any
 * permission for others, or in a directory that others may list or write,
 * is refused with the command that fixes it. */
static int check_private(const char *path, const struct stat *f, int any_dir, struct ef_err *err)
{
	char dir[4096];
	struct stat d;
	if (f && (f->st_mode & S_IRWXO))
		return ef_errf(err, EF_DB,
			       "%s is open to other users (mode %04o): it holds patient data; run: chmod o-rwx '%s' "
			       "(nothing was read or changed)", path, (unsigned)(f->st_mode & 07777), path);
	dir_of(path, dir, sizeof dir);
	if (!any_dir && stat(dir, &d) == 0 && (d.st_mode & (S_IROTH | S_IWOTH)))
		return ef_errf(err, EF_DB,
			       "the directory %s is open to other users (mode %04o) and holds a database of patient "
			       "data; run: chmod o-rwx '%s', or keep the database in a private directory (engraft init "
			       "--group GROUP makes one for a clinic; nothing was read or changed)",
			       dir, (unsigned)(d.st_mode & 07777), dir);
	return EF_OK;
}

/* Refuse anything that is not a regular file holding an SQLite database
 * (or empty), or that others may read; create a missing file with mode
 * 0600 (0660 in a shared directory), whatever the umask. */
static int check_or_create_file(const char *path, int flags, struct ef_err *err)
{
	struct stat st;
	if (lstat(path, &st) == 0) {
		if (!S_ISREG(st.st_mode))
			return ef_errf(err, EF_DB, "%s: not a regular file", path);
		int rc = check_private(path, &st, flags & STORE_ANY_DIR, err);
		if (rc)
			return rc;
		if (st.st_size > 0) {
			char hdr[16];
			int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
			if (fd < 0)
				return ef_errf(err, EF_DB, "cannot open %s: %s%s", path, strerror(errno), ef_io_hint(errno));
			ssize_t got = read(fd, hdr, sizeof hdr);
			close(fd);
			if (got != (ssize_t)sizeof hdr || memcmp(hdr, "SQLite format 3", 16) != 0)
				return ef_errf(err, EF_DB, "%s: not an SQLite database", path);
		}
		return EF_OK;
	}
	if (errno != ENOENT)
		return ef_errf(err, EF_DB, "cannot open %s: %s%s", path, strerror(errno), ef_io_hint(errno));
	if (flags & STORE_READONLY)
		return ef_errf(err, EF_DB, "%s: no such database", path);
	int rc = make_parents(path, err);
	if (rc || (rc = check_private(path, NULL, flags & STORE_ANY_DIR, err)))
		return rc;
	const mode_t mode = create_mode(path);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
	if (fd < 0 && errno != EEXIST)
		return ef_errf(err, EF_DB, "cannot create %s: %s%s", path, strerror(errno), ef_io_hint(errno));
	if (fd >= 0) {
		int bad = fchmod(fd, mode) != 0; /* the umask may have taken group bits */
		int e = errno;
		close(fd);
		if (bad) {
			unlink(path);
			return ef_errf(err, EF_DB, "cannot set the mode of %s: %s", path, strerror(e));
		}
	}
	return EF_OK;
}

int store_make_shared(const char *path, const char *group, struct ef_err *err)
{
	struct group *g = getgrnam(group);
	if (!g)
		return ef_errf(err, EF_USAGE, "--group %s: no such group (create it with: groupadd %s)", group, group);
	const gid_t gid = g->gr_gid;
	char dir[4096];
	dir_of(path, dir, sizeof dir);
	struct stat d;
	if (stat(dir, &d) != 0) {
		if (errno != ENOENT)
			return ef_errf(err, EF_DB, "cannot use directory %s: %s", dir, strerror(errno));
		int rc = make_parents(dir, err); /* the parents; the directory itself below */
		if (rc)
			return rc;
		if (mkdir(dir, 0700) != 0 && errno != EEXIST)
			return ef_errf(err, EF_DB, "cannot create directory %s: %s%s", dir, strerror(errno),
				       ef_io_hint(errno));
		if (stat(dir, &d) != 0)
			return ef_errf(err, EF_DB, "cannot use directory %s: %s", dir, strerror(errno));
	} else if (!S_ISDIR(d.st_mode)) {
		return ef_errf(err, EF_USAGE, "%s is not a directory", dir);
	}
	const int already = d.st_gid == gid && (d.st_mode & 07777) == 02770;
	if (!already) {
		/* Only a directory for the database alone is changed: making a
		 * shared directory (a home, /tmp) group-owned would be a leak. */
		char base[4096];
		const char *slash = strrchr(path, '/');
		snprintf(base, sizeof base, "%s", slash ? slash + 1 : path);
		DIR *dp = opendir(dir);
		if (!dp)
			return ef_errf(err, EF_DB, "cannot read directory %s: %s", dir, strerror(errno));
		struct dirent *de;
		char other[512] = "";
		size_t bl = strlen(base);
		while ((de = readdir(dp))) {
			const char *n = de->d_name;
			if (strcmp(n, ".") == 0 || strcmp(n, "..") == 0)
				continue;
			if (strncmp(n, base, bl) == 0 && (!n[bl] || strcmp(n + bl, "-wal") == 0 ||
							  strcmp(n + bl, "-shm") == 0 || strcmp(n + bl, "-journal") == 0))
				continue;
			snprintf(other, sizeof other, "%s", n);
			break;
		}
		closedir(dp);
		if (other[0])
			return ef_errf(err, EF_USAGE,
				       "%s holds other files ('%s'): --group makes the database's directory shared "
				       "(setgid 2770) and does so only for a directory of its own; give a path in a new "
				       "directory (for example %s/engraft/%s)", dir, other, dir, base);
		if (chown(dir, (uid_t)-1, gid) != 0 || chmod(dir, 02770) != 0)
			return ef_errf(err, EF_DB, "cannot give %s to group %s with mode 2770: %s%s", dir, group,
				       strerror(errno), errno == EPERM ? " (the directory's owner or root can; is this "
								       "login a member of the group?)" : "");
	}
	/* The database and its companions, if they exist: the group, 0660. */
	static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
	for (size_t i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
		char f[4200];
		snprintf(f, sizeof f, "%s%s", path, suffix[i]);
		struct stat st;
		if (lstat(f, &st) != 0)
			continue;
		if (!S_ISREG(st.st_mode))
			return ef_errf(err, EF_DB, "%s: not a regular file", f);
		if (chown(f, (uid_t)-1, gid) != 0 || chmod(f, 0660) != 0)
			return ef_errf(err, EF_DB, "cannot give %s to group %s with mode 0660: %s", f, group,
				       strerror(errno));
	}
	return EF_OK;
}

/* A migration's number is the NNN of its file name NNN_name.sql: the
 * user_version it must set. Numbers may have gaps (they are reserved per
 * branch, design: team notes), but must increase. */
static int migration_number(const struct ef_blob *m)
{
	return atoi(m->name);
}

int store_schema_latest(void)
{
	int v = 0;
	for (int n = 0; ef_migrations[n].name; n++)
		v = migration_number(&ef_migrations[n]);
	return v;
}

static int read_user_version(struct store *s, int *v, struct ef_err *err)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
		return store_dberr(s, err, "read schema version");
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_finalize(st);
		return store_dberr(s, err, "read schema version");
	}
	*v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return EF_OK;
}

int store_small_cache(struct store *s, struct ef_err *err)
{
	return exec_sql(s, "PRAGMA cache_size = -16384", err, "cache size");
}

int store_schema_version(struct store *s)
{
	int v = -1;
	struct ef_err e;
	if (read_user_version(s, &v, &e))
		return -1;
	return v;
}

static int migrate(struct store *s, struct ef_err *err)
{
	const int latest = store_schema_latest();
	int v, rc;
	if ((rc = read_user_version(s, &v, err)))
		return rc;
	if (v > latest)
		return ef_errf(err, EF_DB,
			       "%s: database schema version %d is newer than this engraft knows (%d); "
			       "use a newer engraft (the file was not changed)",
			       s->path, v, latest);
	if (v == latest)
		return EF_OK;
	if ((rc = store_begin(s, err)))
		return rc;
	/* Re-read inside the write lock: another process may have migrated. */
	if ((rc = read_user_version(s, &v, err)))
		goto fail;
	for (int i = 0; ef_migrations[i].name; i++) {
		const int number = migration_number(&ef_migrations[i]);
		if (number <= v)
			continue;
		char what[128];
		snprintf(what, sizeof what, "migration %s", ef_migrations[i].name);
		if ((rc = exec_sql(s, ef_migrations[i].data, err, what)))
			goto fail;
		int now;
		if ((rc = read_user_version(s, &now, err)))
			goto fail;
		if (now != number) {
			rc = ef_errf(err, EF_DB, "%s does not set user_version to %d", ef_migrations[i].name, number);
			goto fail;
		}
	}
	if (v < STAFF_SCHEMA && latest >= STAFF_SCHEMA && (rc = store_staff_bootstrap(s, s->user_name, err)))
		goto fail;
	/* The reference tables' first state in the trail (010); then whatever a
	 * later migration changed in them (011 adds a parameter), as an update
	 * by the login that migrated. */
	if (v < REF_AUDIT_SCHEMA && latest >= REF_AUDIT_SCHEMA && (rc = store_reference_log(s, 1, err)))
		goto fail;
	if (latest >= REF_AUDIT_SCHEMA && (rc = store_reference_log(s, 0, err)))
		goto fail;
	return store_commit(s, err);
fail:
	store_rollback(s);
	return rc;
}

/* The store's user is the operating system login of the effective uid,
 * never an environment variable or an option (anyone can set those). Its
 * full name is the password file's GECOS name, if it is printable text. */
static void default_user(struct store *s)
{
	struct passwd *pw = getpwuid(geteuid());
	if (pw && pw->pw_name && *pw->pw_name)
		snprintf(s->user, sizeof s->user, "%s", pw->pw_name);
	else
		snprintf(s->user, sizeof s->user, "#%lu", (unsigned long)geteuid()); /* never on the staff list */
	s->user_name[0] = '\0';
	if (pw && pw->pw_gecos) {
		size_t n = strcspn(pw->pw_gecos, ",");
		if (n > 0 && n < sizeof s->user_name && !ef_text_problem(pw->pw_gecos, n, 0)) {
			memcpy(s->user_name, pw->pw_gecos, n);
			s->user_name[n] = '\0';
		}
	}
}

/* While another connection writes. SQLite's own handler (busy_timeout)
 * sleeps longer the longer it has waited, up to 100 ms a try: a writer
 * that has waited a while sleeps through several short commits of others
 * and loses the lock to newcomers. With twenty terminals saving while
 * imports and checks run (tests/trust/multi.c) that made 1 save in 100
 * take half a second. Try again every 1 to 4 ms (spread, so that waiters
 * do not wake in step) for up to BUSY_TIMEOUT_MS of the clock. One wait
 * is one call on one thread: its start is kept per thread. */
static int busy_wait(void *ctx, int count)
{
	static _Thread_local struct timespec since;
	static _Thread_local unsigned spread;
	(void)ctx;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (count == 0) {
		since = now;
		spread ^= (unsigned)now.tv_nsec ^ (unsigned)getpid();
	}
	long waited = (long)(now.tv_sec - since.tv_sec) * 1000 + (now.tv_nsec - since.tv_nsec) / 1000000;
	if (waited >= BUSY_TIMEOUT_MS)
		return 0;
	spread = spread * 1103515245u + 12345u;
	struct timespec nap = {0, 1000000L + (long)((spread >> 16) % 3000u) * 1000L};
	nanosleep(&nap, NULL);
	return 1;
}

/* Before SQLite's first use in the process (sqlite3_config fails harmlessly
 * if SQLite is already initialised):
 *  - no allocation statistics: they take a global mutex around every malloc
 *    and free, and engraft never reads them;
 *  - no initial bulk allocation per page cache: every statement whose CHECK
 *    has an IN list opens a small temporary b-tree per row, and a 20-page
 *    bulk allocated and freed each time made glibc give the memory back and
 *    fault it in again (a fifth of `demo`; page faults 144k -> 18k);
 *  - statement journals in memory up to 4 MiB: once one spilled to a
 *    temporary file it stayed a file for the rest of the transaction, and
 *    every later statement of an import wrote its pages there (2.4M writes
 *    in a 10k-patient demo, a third of its time). A statement that changes
 *    more than 4 MiB of existing pages still spills. */
static void sqlite_setup(void)
{
	static int done;
	if (done)
		return;
	done = 1;
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	sqlite3_config(SQLITE_CONFIG_PAGECACHE, (void *)0, 0, 0);
	sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, 4 << 20);
	sqlite3_initialize();
}

int store_open(const char *path, int flags, struct store **out, struct ef_err *err)
{
	int rc;
	*out = NULL;
	sqlite_setup();
	if (!path || !*path)
		return ef_errf(err, EF_USAGE, "empty database path");
	const int readonly = flags & STORE_READONLY;
	if ((rc = check_or_create_file(path, flags, err)))
		return rc;
	/* In a shared directory every login must be able to write the -wal
	 * and -shm files whoever creates them. SQLite creates them with the
	 * database's mode less the umask and corrects the mode only after the
	 * file exists: a login opening the -shm in between (umask 022: mode
	 * 0640) gets it read-only, and every write of its session fails with
	 * "attempt to write a readonly database". So the process's umask keeps
	 * the group's read and write (and still masks others). */
	if (!readonly && create_mode(path) == 0660) {
		mode_t m = umask(0);
		umask((m & ~(mode_t)0060) | 0007);
	}
	struct store *s = calloc(1, sizeof *s);
	if (!s)
		return ef_errf(err, EF_DB, "out of memory");
	snprintf(s->path, sizeof s->path, "%s", path);
	default_user(s);
	/* One connection per struct store, used by one thread: no mutex. */
	int oflags = (readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE) | SQLITE_OPEN_NOFOLLOW |
		     SQLITE_OPEN_NOMUTEX;
	if (sqlite3_open_v2(path, &s->db, oflags, NULL) != SQLITE_OK) {
		char why[10000];
		diagnose_env(path, why, sizeof why);
		rc = ef_errf(err, EF_DB, "cannot open %s: %s%s", path, s->db ? sqlite3_errmsg(s->db) : "out of memory", why);
		store_close(s);
		return rc;
	}
	sqlite3_extended_result_codes(s->db, 1);
	sqlite3_busy_handler(s->db, busy_wait, NULL);
	if ((rc = store_audit_register(s, err)) || (rc = store_wl_register(s, err)))
		goto fail;
	if ((rc = exec_sql(s, "PRAGMA foreign_keys = ON", err, path)))
		goto fail;
	/* A 64 MiB page cache (allocated only as used): a large import or a
	 * whole-cohort check stays in memory instead of re-reading pages. */
	if ((rc = exec_sql(s, "PRAGMA cache_size = -65536", err, path)))
		goto fail;
	if (!readonly) {
		/* Refuse a newer schema before anything (even WAL mode) touches the file. */
		int v;
		if ((rc = read_user_version(s, &v, err)))
			goto fail;
		if (v > store_schema_latest()) {
			rc = ef_errf(err, EF_DB,
				     "%s: database schema version %d is newer than this engraft knows (%d); "
				     "use a newer engraft (the file was not changed)",
				     path, v, store_schema_latest());
			goto fail;
		}
		if ((rc = exec_sql(s, "PRAGMA journal_mode = WAL", err, path)))
			goto fail;
		if ((rc = exec_sql(s, "PRAGMA synchronous = FULL", err, path)))
			goto fail;
		if ((rc = migrate(s, err)))
			goto fail;
	} else {
		int v;
		if ((rc = read_user_version(s, &v, err)))
			goto fail;
		if (v != store_schema_latest()) {
			rc = ef_errf(err, EF_DB, "%s: schema version %d, this engraft needs %d (open it read-write to migrate)",
				     path, v, store_schema_latest());
			goto fail;
		}
	}
	*out = s;
	return EF_OK;
fail:
	store_close(s);
	return rc;
}

void store_close(struct store *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n_slots; i++)
		sqlite3_finalize(s->slots[i].stmt);
	free(s->slots);
	if (s->db)
		sqlite3_close_v2(s->db);
	free(s);
}

void store_set_user(struct store *s, const char *user)
{
	if (user && *user)
		snprintf(s->user, sizeof s->user, "%s", user);
}

const char *store_user(const struct store *s)
{
	return s->user;
}

int64_t store_last_put_id(const struct store *s)
{
	return s->last_put_id;
}

const char *store_user_name(const struct store *s)
{
	return s->user_name;
}

const char *store_path(const struct store *s)
{
	return s->path;
}

int store_begin(struct store *s, struct ef_err *err)
{
	int rc = exec_sql(s, "BEGIN IMMEDIATE", err, "begin transaction");
	if (rc == EF_OK)
		s->in_tx = 1;
	s->kept_marked = 0;
	return rc;
}

int store_commit(struct store *s, struct ef_err *err)
{
	int rc = exec_sql(s, "COMMIT", err, "commit");
	if (rc == EF_OK)
		s->in_tx = 0;
	else
		store_rollback(s);
	s->kept_marked = 0;
	return rc;
}

void store_rollback(struct store *s)
{
	if (sqlite3_get_autocommit(s->db) == 0)
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	s->in_tx = 0;
	s->kept_marked = 0;
}

int store_tx(struct store *s, store_tx_fn fn, void *ctx, struct ef_err *err)
{
	int rc = store_begin(s, err);
	if (rc)
		return rc;
	rc = fn(s, ctx, err);
	if (rc) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s, err); /* rolls back itself when it fails */
}
