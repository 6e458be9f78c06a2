/* libFuzzer target: CSV import into a real (temporary) database through
 * ef_import, every kind. The first byte picks the kind; the rest is the file.
 * Oracles: a rejected import changes nothing (same audit head, same import
 * count); an accepted one leaves an audit trail that verifies. The database
 * is recreated every 2000 accepted imports. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engraft/audit.h"
#include "engraft/csvio.h"
#include "engraft/date.h"
#include "store_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static char dir[480], path[512];
static struct store *s;
static int accepted;

static const char seed_patients[] = "mrn,family_name,given_name,birth_date,sex,diagnosis\n"
				    "P1,Doe,Jane,1980-01-02,F,AML\nP2,Roe,Rick,1975-05-06,M,ALL\n";

static void import_mem(const char *buf, size_t n, enum store_kind k, int *rc, struct ef_import_result *res)
{
	FILE *f = n ? fmemopen((void *)buf, n, "r") : fopen("/dev/null", "r");
	if (!f)
		abort();
	struct ef_import_opts o = {.today = ef_day_from_ymd(2026, 1, 1), .max_errors = 50};
	struct ef_err e;
	*rc = ef_import(s, k, f, "fuzz.csv", &o, res, &e);
	fclose(f);
}

static void fresh_db(void)
{
	struct ef_err e;
	if (s)
		store_close(s);
	char p[600];
	unlink(path);
	snprintf(p, sizeof p, "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", path);
	unlink(p);
	if (store_open(path, 0, &s, &e) || ef_ensure_assets(s, &e)) {
		fprintf(stderr, "fuzz_import: %s\n", e.msg);
		abort();
	}
	/* speed only: no fsync per commit while fuzzing */
	sqlite3_exec(s->db, "PRAGMA synchronous = OFF", NULL, NULL, NULL);
	int rc;
	struct ef_import_result res;
	import_mem(seed_patients, sizeof seed_patients - 1, STORE_K_PATIENTS, &rc, &res);
	if (rc)
		abort();
	accepted = 0;
}

static void cleanup(void)
{
	store_close(s);
	s = NULL;
	unlink(path);
	rmdir(dir);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	const char *t = getenv("TMPDIR");
	/* a private directory: engraft refuses a database others may list */
	snprintf(dir, sizeof dir, "%s/engraft-fuzz-XXXXXX", t && *t ? t : "/tmp");
	if (!mkdtemp(dir))
		abort();
	snprintf(path, sizeof path, "%s/fuzz.db", dir);
	fresh_db();
	atexit(cleanup);
	return 0;
}

/* A cheap fingerprint of the database: audit head, row counts. */
static void fingerprint(char *out, size_t n)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db,
			       "SELECT (SELECT seq || ':' || hash FROM audit_head) || '/' || (SELECT count(*) FROM imports) "
			       "|| '/' || (SELECT count(*) FROM patients) || '/' || (SELECT count(*) FROM lab_results) "
			       "|| '/' || (SELECT total_changes())",
			       -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW)
		abort();
	snprintf(out, n, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	enum store_kind k = (enum store_kind)(data[0] % STORE_K_COUNT);
	char before[256], after[256];
	fingerprint(before, sizeof before);
	int64_t head_before = 0;
	sscanf(before, "%" SCNd64, &head_before);
	int rc;
	struct ef_import_result res;
	import_mem((const char *)data + 1, size - 1, k, &rc, &res);
	if (rc != 0) {
		if (rc != EF_INVALID && rc != EF_USAGE) {
			fprintf(stderr, "fuzz_import: unexpected status %d\n", rc);
			abort();
		}
		fingerprint(after, sizeof after);
		/* total_changes counts rolled-back rows too: compare the rest */
		*strrchr(before, '/') = '\0';
		*strrchr(after, '/') = '\0';
		if (strcmp(before, after) != 0) {
			fprintf(stderr, "fuzz_import: a rejected file changed %s -> %s\n", before, after);
			abort();
		}
		return 0;
	}
	struct store_audit_summary sum;
	struct ef_err e;
	if (store_audit_verify(s, NULL, NULL, NULL, &sum, &e) != 0) {
		fprintf(stderr, "fuzz_import: audit verify after an accepted import: %s\n", e.msg);
		abort();
	}
	if (sum.head_seq != head_before + 1 + res.updated)
		abort(); /* one entry per import, one per updated row */
	if (++accepted >= 2000)
		fresh_db();
	return 0;
}
