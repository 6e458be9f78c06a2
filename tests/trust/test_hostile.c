/* A catalogue of hostile inputs: each is rejected with a clear message
 * (EF_INVALID = exit 3) leaving the database byte-for-byte as it was, or
 * stored exactly and exported neutralised. Never a crash. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engraft/date.h"
#include "helpers.h"

static char diag[8192];

static void on_diag(void *ctx, const char *msg)
{
	(void)ctx;
	size_t n = strlen(diag);
	snprintf(diag + n, sizeof diag - n, "%s\n", msg);
}

/* Import len bytes; the message (err + diagnostics) in diag. */
static int import_bytes(struct store *s, const char *kind, const char *buf, size_t len, struct ef_import_result *res)
{
	enum store_kind k;
	ck_assert_int_eq(ef_kind_parse(kind, &k), 0);
	FILE *f = len ? fmemopen((void *)buf, len, "r") : fopen("/dev/null", "r");
	ck_assert_ptr_nonnull(f);
	struct ef_import_opts o = {.today = ef_day_from_ymd(2026, 6, 1), .max_errors = 50, .diag = on_diag};
	struct ef_err e = {{0}};
	diag[0] = '\0';
	int rc = ef_import(s, k, f, "in.csv", &o, res, &e);
	fclose(f);
	size_t n = strlen(diag);
	snprintf(diag + n, sizeof diag - n, "%s\n", e.msg);
	return rc;
}

struct buf {
	char *p;
	size_t n, cap;
};

static void put(struct buf *b, const void *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		b->cap = (b->n + n + 1) * 2;
		b->p = realloc(b->p, b->cap);
		ck_assert_ptr_nonnull(b->p);
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}
#define PUTS(b, s) put(b, s, strlen(s))

#define PHDR "mrn,family_name,given_name,birth_date,sex,diagnosis\n"
#define LHDR "mrn,collected_on,test,value,unit\n"

/* Inputs that must be rejected. gen builds the bytes. */
static void g_empty(struct buf *b) { (void)b; }
static void g_binary(struct buf *b)
{
	srand(7);
	for (int i = 0; i < 100000; i++) {
		unsigned char c = (unsigned char)rand();
		put(b, &c, 1);
	}
}
static void g_huge_line(struct buf *b)
{
	PUTS(b, PHDR "M1,");
	char chunk[65536];
	memset(chunk, 'x', sizeof chunk);
	for (int i = 0; i < 1600; i++) /* 100 MiB */
		put(b, chunk, sizeof chunk);
	PUTS(b, ",Given,1980-01-01,F,\n");
}
static void g_huge_line_commas(struct buf *b)
{
	PUTS(b, PHDR);
	char chunk[65536];
	memset(chunk, ',', sizeof chunk);
	for (int i = 0; i < 1600; i++)
		put(b, chunk, sizeof chunk);
	PUTS(b, "\n");
}
static void g_nul(struct buf *b) { put(b, PHDR "M1,Do\0e,Jane,1980-01-01,F,\n", sizeof PHDR "M1,Do\0e,Jane,1980-01-01,F,\n" - 1); }
static void g_nul_header(struct buf *b) { put(b, "mrn\0,family_name\nM1,x\n", 22); }
static void g_bad_utf8(struct buf *b) { PUTS(b, PHDR "M1,D\xff\xfe,Jane,1980-01-01,F,\n"); }
static void g_overlong_utf8(struct buf *b) { PUTS(b, PHDR "M1,\xc0\xaf,Jane,1980-01-01,F,\n"); }
static void g_surrogate(struct buf *b) { PUTS(b, PHDR "M1,\xed\xa0\x80,Jane,1980-01-01,F,\n"); }
static void g_truncated_utf8(struct buf *b) { PUTS(b, PHDR "M1,Doe\xe2\x82,Jane,1980-01-01,F,\n"); }
static void g_semicolons(struct buf *b) { PUTS(b, "mrn;family_name;given_name;birth_date\nM1;Doe;Jane;1980-01-01\n"); }
static void g_dup_cols(struct buf *b) { PUTS(b, "mrn,family_name,given_name,birth_date,mrn\nM1,Doe,Jane,1980-01-01,M2\n"); }
static void g_10000_cols_row(struct buf *b)
{
	PUTS(b, PHDR "M1,Doe,Jane,1980-01-01,F,");
	for (int i = 0; i < 10000; i++)
		PUTS(b, ",x");
	PUTS(b, "\n");
}
static void g_10000_cols_header(struct buf *b)
{
	PUTS(b, "mrn");
	for (int i = 0; i < 10000; i++)
		PUTS(b, ",c");
	PUTS(b, "\nM1\n");
}
static void g_feb30(struct buf *b) { PUTS(b, PHDR "M1,Doe,Jane,2026-02-30,F,\n"); }
static void g_year0(struct buf *b) { PUTS(b, PHDR "M1,Doe,Jane,0000-01-01,F,\n"); }
static void g_future(struct buf *b) { PUTS(b, PHDR "M1,Doe,Jane,2099-01-01,F,\n"); }
static void g_bad_time(struct buf *b) { PUTS(b, LHDR "P1,2025-01-01T25:00,ANC,1,10^9/L\n"); }
static void g_1e999(struct buf *b) { PUTS(b, LHDR "P1,2025-01-01,ANC,1e999,10^9/L\n"); }
static void g_nan(struct buf *b) { PUTS(b, LHDR "P1,2025-01-01,ANC,nan,10^9/L\n"); }
static void g_inf(struct buf *b) { PUTS(b, LHDR "P1,2025-01-01,ANC,inf,10^9/L\n"); }
static void g_neg0(struct buf *b) { PUTS(b, LHDR "P1,2025-01-01,ANC,-0,10^9/L\n"); }
static void g_hex(struct buf *b) { PUTS(b, LHDR "P1,2025-01-01,ANC,0x10,10^9/L\n"); }
static void g_comma_decimal(struct buf *b) { PUTS(b, LHDR "P1,2025-01-01,ANC,\"1,5\",10^9/L\n"); }
static void g_huge_number(struct buf *b)
{
	PUTS(b, LHDR "P1,2025-01-01,ANC,");
	for (int i = 0; i < 47; i++)
		PUTS(b, "9");
	PUTS(b, ",10^9/L\n");
}
static void g_wrong_unit(struct buf *b) { PUTS(b, LHDR "P1,2025-01-01,IGG,5,10^9/L\n"); }
static void g_unknown_mrn(struct buf *b) { PUTS(b, LHDR "NOPE,2025-01-01,ANC,1,10^9/L\n"); }
static void g_unterminated(struct buf *b) { PUTS(b, PHDR "M1,\"Doe,Jane,1980-01-01,F,\n"); }
static void g_stray_quote(struct buf *b) { PUTS(b, PHDR "M1,Do\"e,Jane,1980-01-01,F,\n"); }
static void g_control(struct buf *b) { PUTS(b, PHDR "M1,Doe\x07,Jane,1980-01-01,F,\n"); }
static void g_c1_control(struct buf *b) { PUTS(b, PHDR "M1,Doe\xc2\x85,Jane,1980-01-01,F,\n"); }
static void g_long_mrn(struct buf *b)
{
	PUTS(b, PHDR);
	for (int i = 0; i < 64; i++)
		PUTS(b, "M");
	PUTS(b, ",Doe,Jane,1980-01-01,F,\n");
}
static void g_short_row(struct buf *b) { PUTS(b, PHDR "M1,Doe,Jane\n"); }
static void g_one_bad_of_many(struct buf *b)
{
	PUTS(b, PHDR);
	char line[128];
	for (int i = 0; i < 5000; i++) {
		snprintf(line, sizeof line, "H%d,Doe,Jane,%s,F,\n", i, i == 4321 ? "1980-02-30" : "1980-01-01");
		PUTS(b, line);
	}
}
static void g_many_bad(struct buf *b)
{
	PUTS(b, PHDR);
	for (int i = 0; i < 100000; i++)
		PUTS(b, "X,Doe,Jane,notadate,F,\n");
}
static void g_sql_in_mrn(struct buf *b) { PUTS(b, PHDR "1' OR '1'='1,Doe,Jane,1980-01-01,F,\n"); }
static void g_tab_in_name(struct buf *b) { PUTS(b, PHDR "M1,\"\t=1+1\",Jane,1980-01-01,F,\n"); }
static void g_bad_sex(struct buf *b) { PUTS(b, PHDR "M1,Doe,Jane,1980-01-01,female,\n"); }
static void g_stage_range(struct buf *b)
{
	PUTS(b, "mrn,assessed_on,skin,liver,upper_gi,lower_gi\nP1,2025-02-01,5,0,2,0\n");
}
static void g_neg_count(struct buf *b) { PUTS(b, "mrn,given_on,dose_g\nP1,2025-03-01,-5\n"); }
static void g_stop_before_start(struct buf *b)
{
	PUTS(b, "mrn,drug,started_on,stopped_on\nP1,tacrolimus,2025-02-01,2025-01-01\n");
}
static void g_before_birth(struct buf *b) { PUTS(b, "mrn,given_on,product\nP1,1970-01-01,platelets\n"); }

static const struct {
	const char *name, *kind;
	void (*gen)(struct buf *);
	const char *want; /* in the message */
} rejects[] = {
	{"empty file", "patients", g_empty, "empty file"},
	{"binary garbage", "patients", g_binary, "in.csv:"},
	{"100 MB line", "patients", g_huge_line, "field longer than"},
	{"100 MB line of commas", "patients", g_huge_line_commas, "more than 1024 columns"},
	{"NUL byte in a cell", "patients", g_nul, "NUL"},
	{"NUL byte in the header", "patients", g_nul_header, "header"},
	{"invalid UTF-8", "patients", g_bad_utf8, "not valid UTF-8"},
	{"overlong UTF-8", "patients", g_overlong_utf8, "not valid UTF-8"},
	{"UTF-16 surrogate", "patients", g_surrogate, "not valid UTF-8"},
	{"truncated UTF-8", "patients", g_truncated_utf8, "not valid UTF-8"},
	{"semicolons", "patients", g_semicolons, "unknown column"},
	{"duplicate columns", "patients", g_dup_cols, "duplicate column"},
	{"10,000-column row", "patients", g_10000_cols_row, "more than 1024 columns"},
	{"10,000-column header", "patients", g_10000_cols_header, "more than 1024 columns"},
	{"2026-02-30", "patients", g_feb30, "not a real date"},
	{"0000-01-01", "patients", g_year0, "not a real date"},
	{"future birth date", "patients", g_future, "in the future"},
	{"25 o'clock", "labs", g_bad_time, "not a real date"},
	{"1e999", "labs", g_1e999, "value"},
	{"nan", "labs", g_nan, "value"},
	{"inf", "labs", g_inf, "value"},
	{"-0", "labs", g_neg0, "value"},
	{"0x10", "labs", g_hex, "value"},
	{"1,5", "labs", g_comma_decimal, "value"},
	{"47-digit value", "labs", g_huge_number, "too long"},
	{"unit of another test", "labs", g_wrong_unit, "is not a unit for IGG"},
	{"unknown MRN", "labs", g_unknown_mrn, "unknown MRN"},
	{"unterminated quote", "patients", g_unterminated, "malformed CSV"},
	{"stray quote", "patients", g_stray_quote, "malformed CSV"},
	{"BEL in a name", "patients", g_control, "control character"},
	{"C1 control in a name", "patients", g_c1_control, "control character"},
	{"64-byte MRN", "patients", g_long_mrn, "too long"},
	{"short row", "patients", g_short_row, "fields, but the header has"},
	{"one bad row among 5000", "patients", g_one_bad_of_many, "in.csv:4323: birth_date"},
	{"100,000 bad rows", "patients", g_many_bad, "more than 50 bad rows"},
	{"SQL in an MRN", "patients", g_sql_in_mrn, "printable ASCII without spaces"},
	{"TAB in a name", "patients", g_tab_in_name, "control character"},
	{"sex 'female'", "patients", g_bad_sex, "'female' is not one of F, M, X"},
	{"stage out of range", "gvhd-acute", g_stage_range, "stage/score"},
	{"negative dose", "ivig", g_neg_count, "dose_g"},
	{"stop before start", "immunosuppression", g_stop_before_start, "before started_on"},
	{"before birth", "transfusions", g_before_birth, "before the birth date"},
};

START_TEST(hostile_input_is_rejected_and_changes_nothing)
{
	char name[64];
	snprintf(name, sizeof name, "reject%d.db", _i);
	const char *db = th_path(name);
	struct store *s = th_open(db);
	th_load_fixture(s);
	char before[65], after[65];
	th_db_digest(db, before);
	struct buf b = {0};
	rejects[_i].gen(&b);
	struct ef_import_result res;
	int rc = import_bytes(s, rejects[_i].kind, b.p ? b.p : "", b.n, &res);
	free(b.p);
	ck_assert_msg(rc == EF_INVALID, "%s: status %d: %s", rejects[_i].name, rc, diag);
	ck_assert_msg(strstr(diag, rejects[_i].want), "%s: want '%s' in:\n%.2000s", rejects[_i].name, rejects[_i].want,
		      diag);
	ck_assert_msg(strncmp(diag, "in.csv", 6) == 0, "%s: message does not name the file: %.200s", rejects[_i].name,
		      diag);
	ck_assert_int_eq(res.inserted + res.updated + res.unchanged, 0);
	th_db_digest(db, after);
	ck_assert_msg(strcmp(before, after) == 0, "%s: the database changed", rejects[_i].name);
	ck_assert_msg(th_verify(s, NULL, NULL) == 0, "%s", th_msgs);
	store_close(s);
}
END_TEST

/* Hostile text that is valid data: stored exactly, exported neutralised
 * (a spreadsheet never runs it), and the export imports back unchanged. */
static const struct {
	const char *family, *given, *diagnosis; /* as stored */
	const char *exported;                   /* the export's data line */
} stored[] = {
	{"=cmd|' /C calc'!A0", "Eve", NULL, "Z1,'=cmd|' /C calc'!A0,Eve,1980-01-01,F,\n"},
	{"Robert'); DROP TABLE patients;--", "Bobby", NULL, "Z1,Robert'); DROP TABLE patients;--,Bobby,1980-01-01,F,\n"},
	{"+1+1", "@SUM(A1)", NULL, "Z1,'+1+1,'@SUM(A1),1980-01-01,F,\n"},
	{"-2+3", "Ann", "=HYPERLINK(\"http://x\")", "Z1,'-2+3,Ann,1980-01-01,F,\"'=HYPERLINK(\"\"http://x\"\")\"\n"},
	{"O'Brien", "'quoted'", "\t=1", "Z1,O'Brien,''quoted',1980-01-01,F,\"'\t=1\"\n"},
	{"Ünïcödé 山田", "Zoë", "line1\nline2", "Z1,Ünïcödé 山田,Zoë,1980-01-01,F,\"line1\nline2\"\n"},
	{"-42", "0", NULL, "Z1,-42,0,1980-01-01,F,\n"},
};

static int write_capture(void *ctx, const char *const *v, size_t n, struct ef_err *err)
{
	(void)ctx;
	(void)v;
	(void)n;
	(void)err;
	return 0;
}

START_TEST(hostile_text_is_stored_exactly_and_exported_neutralised)
{
	(void)write_capture;
	char name[64];
	snprintf(name, sizeof name, "stored%d.db", _i);
	const char *db = th_path(name);
	struct store *s = th_open(db);
	/* write the CSV the way a spreadsheet would quote it */
	struct buf b = {0};
	PUTS(&b, PHDR "Z1,\"");
	for (const char *p = stored[_i].family; *p; p++)
		put(&b, *p == '"' ? "\"\"" : p, *p == '"' ? 2 : 1);
	PUTS(&b, "\",\"");
	for (const char *p = stored[_i].given; *p; p++)
		put(&b, *p == '"' ? "\"\"" : p, *p == '"' ? 2 : 1);
	PUTS(&b, "\",1980-01-01,F,\"");
	for (const char *p = stored[_i].diagnosis ? stored[_i].diagnosis : ""; *p; p++)
		put(&b, *p == '"' ? "\"\"" : p, *p == '"' ? 2 : 1);
	PUTS(&b, "\"\n");
	struct ef_import_result res;
	/* a leading ' in the file is the export's guard: only given_name "'quoted'"
	 * starts with one, and the importer strips one ' before ' = + - @ TAB CR */
	int rc = import_bytes(s, "patients", b.p, b.n, &res);
	free(b.p);
	ck_assert_msg(rc == 0, "%s", diag);
	ck_assert_int_eq(res.inserted, 1);
	struct ef_patient p;
	struct ef_err e;
	int64_t id;
	ck_assert_int_eq(store_patient_id(s, "Z1", 2, &id, NULL, &e), 0);
	ck_assert_int_eq(store_patient_get(s, id, &p, &e), 0);
	ck_assert_str_eq(p.family_name, stored[_i].family);
	if (stored[_i].given[0] != '\'')
		ck_assert_str_eq(p.given_name, stored[_i].given);
	ck_assert_str_eq(p.diagnosis, stored[_i].diagnosis ? stored[_i].diagnosis : "");
	/* export */
	char *out = NULL;
	size_t outlen = 0;
	FILE *f = open_memstream(&out, &outlen);
	ck_assert_int_eq(ef_export_kind(s, STORE_K_PATIENTS, EF_NO_DAY, NULL, f, &e), 0);
	fclose(f);
	const char *line = strchr(out, '\n') + 1;
	if (stored[_i].given[0] != '\'')
		ck_assert_str_eq(line, stored[_i].exported);
	/* the export imports back unchanged */
	rc = import_bytes(s, "patients", out, outlen, &res);
	ck_assert_msg(rc == 0, "%s", diag);
	ck_assert_int_eq(res.unchanged, 1);
	free(out);
	ck_assert_msg(th_verify(s, NULL, NULL) == 0, "%s", th_msgs);
	store_close(s);
}
END_TEST

/* Through the binary: exit 3, "engraft: FILE:LINE: ..." on stderr. */
START_TEST(cli_rejects_with_exit_3_and_file_line)
{
	const char *db = th_path("cli.db");
	const char *f = th_path("nul.csv");
	FILE *fp = fopen(f, "wb");
	fwrite(PHDR "M1,Do\0e,Jane,1980-01-01,F,\n", 1, sizeof PHDR "M1,Do\0e,Jane,1980-01-01,F,\n" - 1, fp);
	fclose(fp);
	ck_assert_int_eq(th_run(db, (const char *[]){"import", "patients", f, NULL}), 3);
	char want[700];
	snprintf(want, sizeof want, "engraft: %s:2: family_name: contains a NUL byte", f);
	ck_assert_str_eq(th_first_line(th_path("run.err")), strcat(want, "\n"));
	const char *g = th_path("semi.csv");
	th_write_file(g, "mrn;family_name;given_name;birth_date\nM1;Doe;Jane;1980-01-01\n");
	ck_assert_int_eq(th_run(db, (const char *[]){"import", "patients", g, NULL}), 3);
	ck_assert_ptr_nonnull(strstr(th_first_line(th_path("run.err")), ":1: header"));
	ck_assert_int_eq(th_run(db, (const char *[]){"import", "patients", "/dev/null", NULL}), 3);
	ck_assert_int_eq(th_run(db, (const char *[]){"import", "patients", th_path("missing.csv"), NULL}), 3);
	ck_assert_int_eq(th_run(db, (const char *[]){"audit", "verify", NULL}), 0);
}
END_TEST

START_TEST(header_only_imports_nothing)
{
	struct store *s = th_open(th_path("hdr.db"));
	struct ef_import_result res;
	ck_assert_int_eq(import_bytes(s, "patients", PHDR, strlen(PHDR), &res), 0);
	ck_assert_int_eq(res.rows, 0);
	ck_assert_int_eq(res.inserted, 0);
	int64_t n;
	struct ef_err e;
	ck_assert_int_eq(store_patient_count(s, &n, &e), 0);
	ck_assert_int_eq(n, 0);
	ck_assert_msg(th_verify(s, NULL, NULL) == 0, "%s", th_msgs);
	store_close(s);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("hostile");
	TCase *tc = tcase_create("hostile");
	tcase_set_timeout(tc, 300);
	tcase_add_loop_test(tc, hostile_input_is_rejected_and_changes_nothing, 0, sizeof rejects / sizeof rejects[0]);
	tcase_add_loop_test(tc, hostile_text_is_stored_exactly_and_exported_neutralised, 0,
			    sizeof stored / sizeof stored[0]);
	tcase_add_test(tc, cli_rejects_with_exit_3_and_file_line);
	tcase_add_test(tc, header_only_imports_nothing);
	suite_add_tcase(s, tc);
	SRunner *sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	int failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
