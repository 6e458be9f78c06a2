/* libFuzzer target: the interchange imports into a real (temporary)
 * database: ef_hl7_import (HL7 v2 ORU^R01 and VXU^V04) when the first byte is
 * even, ef_fhir_import (a FHIR R4 Bundle) when odd; the rest is the file.
 * Oracles: a rejected file changes nothing (same audit head, same import
 * count, same rows); an accepted one leaves an audit trail that verifies.
 * The database is recreated every 2000 accepted imports. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engraft/audit.h"
#include "engraft/csvio.h"
#include "engraft/date.h"
#include "engraft/fhir.h"
#include "engraft/interop.h"
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
		fprintf(stderr, "fuzz_interop: %s\n", e.msg);
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
			       "|| '/' || (SELECT count(*) FROM vaccinations) "
			       "|| '/' || (SELECT total_changes())",
			       -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_step(st) != SQLITE_ROW)
		abort();
	snprintf(out, n, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
}

/* One file through the import, in its own transaction as the use case
 * holds it (src/app/interop.c). */
static int interop(const char *buf, size_t n, int fhir, long *updated)
{
	struct ef_import_opts o = {.today = ef_day_from_ymd(2026, 1, 1), .now_sec = 12 * 3600, .max_errors = 50};
	struct ef_err e;
	if (store_begin(s, &e))
		abort();
	int rc;
	if (fhir) {
		struct ef_fhir_result r;
		rc = ef_fhir_import(s, buf, n, "fuzz.json", NULL, &o, &r, &e);
		*updated = r.r.updated;
	} else {
		struct ef_hl7_result r;
		rc = ef_hl7_import(s, buf, n, "fuzz.hl7", NULL, &o, &r, &e);
		*updated = r.r.updated;
	}
	if (rc == EF_OK)
		rc = store_commit(s, &e);
	else
		store_rollback(s);
	return rc;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	int fhir = data[0] & 1;
	char before[256], after[256];
	fingerprint(before, sizeof before);
	int64_t head_before = 0;
	sscanf(before, "%" SCNd64, &head_before);
	long updated = 0;
	int rc = interop((const char *)data + 1, size - 1, fhir, &updated);
	if (rc != 0) {
		if (rc != EF_INVALID && rc != EF_USAGE) {
			fprintf(stderr, "fuzz_interop: unexpected status %d\n", rc);
			abort();
		}
		fingerprint(after, sizeof after);
		*strrchr(before, '/') = '\0';
		*strrchr(after, '/') = '\0';
		if (strcmp(before, after) != 0) {
			fprintf(stderr, "fuzz_interop: a rejected file changed %s -> %s\n", before, after);
			abort();
		}
		return 0;
	}
	struct store_audit_summary sum;
	struct ef_err e;
	if (store_audit_verify(s, NULL, NULL, NULL, &sum, &e) != 0) {
		fprintf(stderr, "fuzz_interop: audit verify after an accepted import: %s\n", e.msg);
		abort();
	}
	if (sum.head_seq != head_before + 1 + updated)
		abort(); /* one entry per import, one per updated row */
	if (++accepted >= 2000)
		fresh_db();
	return 0;
}
