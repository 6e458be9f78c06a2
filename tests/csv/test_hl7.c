/* HL7 v2 reader (hl7.h): segments and their lines under the three line
 * endings, encoding characters from MSH-1/MSH-2, fields, repetitions,
 * components, subcomponents, every escape, and each malformed input.
 * loinc.csv (reference kind loinc): check digits, refused rows, the
 * shipped codes, a database from before it. import hl7 (interop.h): every
 * error path of the mapping names its line and field and writes nothing;
 * the role's permission for each kind the file writes. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "../testutil.h"
#include "engraft/app.h"
#include "engraft/audit.h"
#include "engraft/fhir.h"
#include "engraft/hl7.h"
#include "engraft/interop.h"
#include "engraft/refstore.h"

static struct ef_hl7_seg *segs;
static size_t nseg;

static int split(const char *text, struct ef_err *err)
{
	free(segs);
	segs = NULL;
	return ef_hl7_split(text, strlen(text), "m.hl7", &segs, &nseg, err);
}

static void teardown(void)
{
	free(segs);
	segs = NULL;
	nseg = 0;
}

/* the decoded value of segment i's SEG-f[r].c.s */
static const char *val(size_t i, int f, int r, int c, int s)
{
	static char out[1024];
	const char *why = NULL;
	ck_assert_uint_lt(i, nseg);
	ck_assert_msg(ef_hl7_text(&segs[i], f, r, c, s, out, sizeof out, &why) == 0, "decode: %s", why);
	return out;
}

#define MSG(eol)                                                                                            \
	"MSH|^~\\&|LAB|HOSP|ENGRAFT|CLINIC|20260105083000||ORU^R01^ORU_R01|MSG0001|P|2.5.1" eol                \
	"PID|1||12345^^^HOSP^PI~T001^^^HOSP^MR||Testperson^Alpha" eol                                          \
	"OBX|1|NM|751-8^Neutrophils^LN||1.2|10*9/L^^UCUM|||||F|||20260104" eol

static const char *const endings[] = {"\r", "\n", "\r\n"};

START_TEST(three_line_endings_same_segments_and_lines)
{
	char text[1024];
	struct ef_err err;
	const char *e = endings[_i];
	snprintf(text, sizeof text,
		 "MSH|^~\\&|LAB|HOSP|ENGRAFT|CLINIC|20260105083000||ORU^R01^ORU_R01|MSG0001|P|2.5.1%s"
		 "PID|1||12345^^^HOSP^PI~T001^^^HOSP^MR||Testperson^Alpha%s%s"
		 "OBX|1|NM|751-8^Neutrophils^LN||1.2|10*9/L^^UCUM|||||F|||20260104%s",
		 e, e, e, e);
	ck_assert_int_eq(split(text, &err), EF_OK);
	ck_assert_uint_eq(nseg, 3);
	ck_assert_str_eq(segs[0].id, "MSH");
	ck_assert_str_eq(segs[1].id, "PID");
	ck_assert_str_eq(segs[2].id, "OBX");
	ck_assert_int_eq(segs[0].line, 1);
	ck_assert_int_eq(segs[1].line, 2);
	ck_assert_int_eq(segs[2].line, 4); /* after an empty line */
	ck_assert_str_eq(val(2, 5, 0, 0, 0), "1.2");
	ck_assert_str_eq(val(2, 14, 0, 0, 0), "20260104");
	ck_assert_uint_eq(segs[2].len, strlen("OBX|1|NM|751-8^Neutrophils^LN||1.2|10*9/L^^UCUM|||||F|||20260104"));
}
END_TEST

START_TEST(no_final_terminator_and_byte_order_mark)
{
	struct ef_err err;
	ck_assert_int_eq(split("\xEF\xBB\xBFMSH|^~\\&|A\rPID|1", &err), EF_OK);
	ck_assert_uint_eq(nseg, 2);
	ck_assert_str_eq(val(1, 1, 0, 0, 0), "1");
}
END_TEST

START_TEST(msh_fields_counted_as_hl7_counts_them)
{
	struct ef_err err;
	ck_assert_int_eq(split(MSG("\r"), &err), EF_OK);
	ck_assert_str_eq(val(0, 1, 0, 0, 0), "|");
	ck_assert_str_eq(val(0, 2, 0, 0, 0), "^~\\&");
	ck_assert_str_eq(val(0, 3, 0, 0, 0), "LAB");
	ck_assert_str_eq(val(0, 9, 0, 1, 0), "ORU");
	ck_assert_str_eq(val(0, 9, 0, 2, 0), "R01");
	ck_assert_str_eq(val(0, 9, 0, 0, 0), "ORU^R01^ORU_R01");
	ck_assert_str_eq(val(0, 12, 0, 0, 0), "2.5.1");
	ck_assert_str_eq(val(0, 40, 0, 0, 0), "");
	ck_assert_int_eq(ef_hl7_reps(&segs[0], 2), 1);
}
END_TEST

START_TEST(repetitions_components_subcomponents)
{
	struct ef_err err;
	ck_assert_int_eq(split("MSH|^~\\&\rPID|1||A1^^^H&1.2.3&ISO^PI~B2^^^H^MR~||X\r", &err), EF_OK);
	ck_assert_int_eq(ef_hl7_reps(&segs[1], 3), 3);
	ck_assert_int_eq(ef_hl7_reps(&segs[1], 4), 0);
	ck_assert_int_eq(ef_hl7_reps(&segs[1], 1), 1);
	ck_assert_str_eq(val(1, 3, 0, 1, 0), "A1");
	ck_assert_str_eq(val(1, 3, 0, 4, 0), "H&1.2.3&ISO");
	ck_assert_str_eq(val(1, 3, 0, 4, 1), "H");
	ck_assert_str_eq(val(1, 3, 0, 4, 2), "1.2.3");
	ck_assert_str_eq(val(1, 3, 0, 4, 3), "ISO");
	ck_assert_str_eq(val(1, 3, 0, 4, 4), "");
	ck_assert_str_eq(val(1, 3, 0, 5, 0), "PI");
	ck_assert_str_eq(val(1, 3, 1, 1, 0), "B2");
	ck_assert_str_eq(val(1, 3, 1, 5, 0), "MR");
	ck_assert_str_eq(val(1, 3, 2, 1, 0), "");
	ck_assert_str_eq(val(1, 3, 3, 1, 0), "");
	ck_assert_str_eq(val(1, 5, 0, 0, 0), "X");
	ck_assert_str_eq(val(1, 5, 0, 2, 0), "");
}
END_TEST

START_TEST(other_encoding_characters_from_msh)
{
	struct ef_err err;
	ck_assert_int_eq(split("MSH#*@!%#A\nOBX#1#SN#751-8*x*LN##<*0.1@>*5#a!F!b%c\n", &err), EF_OK);
	ck_assert_int_eq(segs[1].enc.field, '#');
	ck_assert_str_eq(val(0, 1, 0, 0, 0), "#");
	ck_assert_str_eq(val(0, 2, 0, 0, 0), "*@!%");
	ck_assert_str_eq(val(1, 3, 0, 1, 0), "751-8");
	ck_assert_str_eq(val(1, 5, 0, 1, 0), "<");
	ck_assert_str_eq(val(1, 5, 0, 2, 0), "0.1");
	ck_assert_str_eq(val(1, 5, 1, 2, 0), "5");
	/* escape is '!': !F! is the field separator '#'; subcomponent '%' */
	ck_assert_str_eq(val(1, 6, 0, 1, 0), "a#b%c");
	ck_assert_str_eq(val(1, 6, 0, 1, 2), "c");
}
END_TEST

static const struct {
	const char *raw, *want;
} escapes[] = {
	{"a\\F\\b", "a|b"},
	{"10\\S\\9/L", "10^9/L"},
	{"x\\T\\y", "x&y"},
	{"x\\R\\y", "x~y"},
	{"C:\\E\\dir", "C:\\dir"},
	{"\\X41\\\\X4243\\", "ABC"},
	{"\\XC3A9\\t\\Xc3A9\\", "\xc3\xa9t\xc3\xa9"},
	{"line 1\\.br\\line 2", "line 1\nline 2"},
	{"", ""},
	{"plain", "plain"},
};

START_TEST(escape_sequences_decode)
{
	char out[64];
	size_t n;
	const char *why = NULL;
	const char *raw = escapes[_i].raw;
	ck_assert_msg(ef_hl7_unescape(&ef_hl7_default_enc, raw, strlen(raw), out, &n, &why) == 0, "%s: %s", raw, why);
	ck_assert_str_eq(out, escapes[_i].want);
	ck_assert_uint_eq(n, strlen(escapes[_i].want));
	/* and the writer's escape decodes back to the same text */
	char enc[256], back[256];
	size_t need = ef_hl7_escape(&ef_hl7_default_enc, escapes[_i].want, enc, sizeof enc);
	ck_assert_uint_lt(need, sizeof enc);
	ck_assert_int_eq(ef_hl7_unescape(&ef_hl7_default_enc, enc, strlen(enc), back, &n, &why), 0);
	ck_assert_str_eq(back, escapes[_i].want);
	ck_assert_ptr_null(memchr(enc, '|', strlen(enc)));
	ck_assert_ptr_null(memchr(enc, '^', strlen(enc)));
	ck_assert_ptr_null(memchr(enc, '\n', strlen(enc)));
}
END_TEST

static const struct {
	const char *raw, *why_has;
} bad_escapes[] = {
	{"a\\Fb", "not closed"},
	{"\\", "not closed"},
	{"\\\\", "unsupported"},
	{"\\H\\bold\\N\\", "unsupported"},
	{"\\.sp2\\", "unsupported"},
	{"\\Zabc\\", "unsupported"},
	{"\\C2842\\", "unsupported"},
	{"\\X4\\", "even number"},
	{"\\X\\", "even number"},
	{"\\X4G\\", "hexadecimal"},
	{"\\X00\\", "NUL"},
};

START_TEST(bad_escapes_are_refused)
{
	char out[64];
	size_t n;
	const char *why = NULL;
	const char *raw = bad_escapes[_i].raw;
	ck_assert_int_eq(ef_hl7_unescape(&ef_hl7_default_enc, raw, strlen(raw), out, &n, &why), -1);
	ck_assert_ptr_nonnull(why);
	ck_assert_msg(strstr(why, bad_escapes[_i].why_has), "%s: %s", raw, why);
}
END_TEST

START_TEST(explicit_null_reads_empty_and_too_long_is_refused)
{
	struct ef_err err;
	ck_assert_int_eq(split("MSH|^~\\&\rOBX|1|\"\"|abcdefgh\r", &err), EF_OK);
	ck_assert_str_eq(val(1, 2, 0, 0, 0), "");
	char small[8];
	const char *why = NULL;
	ck_assert_int_eq(ef_hl7_text(&segs[1], 3, 0, 0, 0, small, sizeof small, &why), -1);
	ck_assert_str_eq(why, "too long");
	char fits[9];
	ck_assert_int_eq(ef_hl7_text(&segs[1], 3, 0, 0, 0, fits, sizeof fits, &why), 0);
	ck_assert_str_eq(fits, "abcdefgh");
	/* escaped text longer than the room but short once decoded */
	ck_assert_int_eq(split("MSH|^~\\&\rOBX|1|a\\F\\b\\F\\c\r", &err), EF_OK);
	ck_assert_int_eq(ef_hl7_text(&segs[1], 2, 0, 0, 0, small, 6, &why), 0);
	ck_assert_str_eq(small, "a|b|c");
}
END_TEST

START_TEST(escape_writer_reports_what_it_needs)
{
	char out[4];
	size_t need = ef_hl7_escape(&ef_hl7_default_enc, "a|b", out, sizeof out);
	ck_assert_uint_eq(need, 5);
	ck_assert_uint_eq(ef_hl7_escape(&ef_hl7_default_enc, "x\r\ny", out, 0), 7);
}
END_TEST

static const struct {
	const char *text, *msg;
} malformed[] = {
	{"PID|1||T001\r", "m.hl7:1: segment PID comes before any MSH"},
	{"\nMSH|^~\\&\npid|1\n", "m.hl7:3: not an HL7 segment"},
	{"MSH|^~\\&\rOB\r", "m.hl7:2: not an HL7 segment"},
	{"MSH|^~\\&\r\nOBX^1\r\n", "m.hl7:2: segment OBX: its id is not followed by the field separator '|'"},
	{"MSH|^~\r", "m.hl7:1: MSH: too short"},
	{"MSH|^~\\|x\r", "m.hl7:1: MSH: MSH-2 must hold 4"},
	{"MSH|^^\\&\r", "m.hl7:1: MSH: the encoding characters (MSH-1, MSH-2) are not all different"},
	{"MSH|^~\\&|\rPID|1\rMSH|^A\\&\r", "m.hl7:3: MSH: an encoding character"},
	{"MSH| ~\\&\r", "m.hl7:1: MSH: an encoding character"},
	{"MSH|^~\\&\rPID|\xc3\xa9\r\x0b", "m.hl7:3: not an HL7 segment"},
};

START_TEST(malformed_input_names_the_line)
{
	struct ef_err err = {{0}};
	ck_assert_int_eq(split(malformed[_i].text, &err), EF_INVALID);
	ck_assert_msg(strncmp(err.msg, malformed[_i].msg, strlen(malformed[_i].msg)) == 0, "got '%s'", err.msg);
	ck_assert_ptr_null(segs);
	ck_assert_uint_eq(nseg, 0);
}
END_TEST

START_TEST(nul_byte_is_refused_with_its_line)
{
	struct ef_err err = {{0}};
	const char text[] = "MSH|^~\\&\r\nPID|1\r\nOBX|a\0b\r\n";
	ck_assert_int_eq(ef_hl7_split(text, sizeof text - 1, "m.hl7", &segs, &nseg, &err), EF_INVALID);
	ck_assert_str_eq(err.msg, "m.hl7:3: contains a NUL byte (not HL7 v2 text)");
}
END_TEST

START_TEST(empty_file_has_no_segments)
{
	struct ef_err err;
	ck_assert_int_eq(split("", &err), EF_OK);
	ck_assert_uint_eq(nseg, 0);
	ck_assert_int_eq(split("\r\n\r\n\n", &err), EF_OK);
	ck_assert_uint_eq(nseg, 0);
}
END_TEST

START_TEST(several_messages_each_with_its_own_encoding)
{
	struct ef_err err;
	ck_assert_int_eq(split("MSH|^~\\&|A\rPID|1||X^^^^MR\rMSH#^~\\&#B\rPID#1##Y^^^^MR\r", &err), EF_OK);
	ck_assert_uint_eq(nseg, 4);
	ck_assert_str_eq(val(1, 3, 0, 1, 0), "X");
	ck_assert_str_eq(val(2, 3, 0, 0, 0), "B");
	ck_assert_str_eq(val(3, 3, 0, 1, 0), "Y");
	ck_assert_int_eq(segs[3].line, 4);
}
END_TEST


/* ---- loinc.csv ---- */

static const struct {
	const char *code;
	int valid;
} loinc_codes[] = {
	{"751-8", 1},   {"26499-4", 1}, {"777-3", 1},  {"26515-7", 1}, {"731-0", 1},   {"26474-7", 1},
	{"6690-2", 1},  {"718-7", 1},   {"24467-3", 1}, {"2465-3", 1}, {"2160-0", 1},  {"1975-2", 1},
	{"2472-9", 1},  {"9728-7", 1},  {"2472-0", 0}, {"751-7", 0},   {"7518", 0},    {"-8", 0},
	{"751-", 0},    {"751-88", 0},  {"a751-8", 0}, {"12345678-9", 0}, {"", 0},     {"751-8 ", 0},
};

START_TEST(loinc_check_digit)
{
	ck_assert_msg(ef_loinc_valid(loinc_codes[_i].code) == loinc_codes[_i].valid, "%s", loinc_codes[_i].code);
}
END_TEST

static const struct {
	const char *loinc, *test, *msg;
} bad_loinc_rows[] = {
	{"751-7", "ANC", "loinc: '751-7' is not a LOINC code"},
	{"", "ANC", "loinc: '' is not a LOINC code"},
	{"751-8", "NEUT", "test: unknown test 'NEUT'"},
	{"751-8", "ANC", "loinc: 751-8 given twice"},
};

START_TEST(loinc_rows_refused)
{
	struct ef_reference ref;
	struct ef_err err = {{0}};
	ef_reference_init(&ref);
	const char *first[] = {"751-8", "ANC", ""};
	ck_assert_int_eq(ef_reference_add_row(&ref, EF_REF_LOINC, first, &err), EF_OK);
	const char *row[] = {bad_loinc_rows[_i].loinc, bad_loinc_rows[_i].test, "note"};
	ck_assert_int_eq(ef_reference_add_row(&ref, EF_REF_LOINC, row, &err), EF_INVALID);
	ck_assert_msg(strstr(err.msg, bad_loinc_rows[_i].msg), "got '%s'", err.msg);
	ck_assert_uint_eq(ref.n_loinc, 1);
	ef_reference_free(&ref);
}
END_TEST

static char *dir;
static struct store *db;
static ef_day TODAY;

static void db_setup(void)
{
	struct ef_err err;
	ck_assert_int_eq(ef_date_parse("2026-01-01", 10, &TODAY), 0);
	dir = tu_tmpdir();
	db = tu_open(dir, "t.db");
	ck_assert_int_eq(tu_import(db, STORE_K_PATIENTS,
				   "mrn,family_name,given_name,birth_date\nT001,Testperson,Alpha,1970-05-01\n"
				   "T002,Zed,Umit,1980-02-29\n",
				   TODAY, NULL, NULL, &err), EF_OK);
}

static void db_teardown(void)
{
	store_close(db);
	db = NULL;
	tu_rmdir(dir);
}

START_TEST(shipped_loinc_codes_map_the_issue_list)
{
	static const struct {
		const char *code, *test;
	} want[] = {
		{"751-8", "ANC"},  {"26499-4", "ANC"}, {"777-3", "PLT"},  {"26515-7", "PLT"}, {"731-0", "ALC"},
		{"26474-7", "ALC"}, {"6690-2", "WBC"}, {"718-7", "HGB"},  {"24467-3", "CD4"}, {"2465-3", "IGG"},
		{"2160-0", "CREAT"}, {"1975-2", "BILI"}, {"2458-8", "IGA"}, {"2472-9", "IGM"}, {"9728-7", "NK"},
	};
	struct ef_reference ref;
	struct ef_err err;
	ck_assert_int_eq(store_reference_load_kind(db, EF_REF_LOINC, &ref, &err), EF_OK);
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		enum ef_test t;
		ck_assert_msg(ef_reference_loinc_test(&ref, want[i].code, &t) == 0, "%s", want[i].code);
		ck_assert_str_eq(ef_test_code(t), want[i].test);
	}
	enum ef_test t;
	ck_assert_int_eq(ef_reference_loinc_test(&ref, "2345-7", &t), -1);
	/* every test engraft knows has a code */
	for (int k = 0; k < EF_T_COUNT; k++) {
		int found = 0;
		for (size_t i = 0; i < ref.n_loinc; i++)
			found |= ref.loinc[i].test == (enum ef_test)k;
		ck_assert_msg(found, "no LOINC code for %s", ef_test_code((enum ef_test)k));
	}
	ef_reference_free(&ref);
}
END_TEST

static void sql(const char *stmt)
{
	char path[4200];
	sqlite3 *h;
	snprintf(path, sizeof path, "%s/t.db", dir);
	ck_assert_int_eq(sqlite3_open(path, &h), SQLITE_OK);
	ck_assert_msg(sqlite3_exec(h, stmt, NULL, NULL, NULL) == SQLITE_OK, "%s: %s", stmt, sqlite3_errmsg(h));
	sqlite3_close(h);
}

/* A database of schema 013 migrates to 014 (and on) and gets the shipped codes, and
 * its audit trail still verifies. */
START_TEST(database_before_014_gets_the_codes)
{
	struct ef_err err;
	int64_t n;
	store_close(db);
	/* 015 runs again after 014: what it made goes too */
	sql("DROP TABLE loinc_codes; DROP TABLE followups; DROP TABLE screening; DROP TABLE registry_forms; "
	    "DELETE FROM parameters WHERE key IN ('followup_grace_days', 'registry_track'); PRAGMA user_version = 13");
	db = tu_open(dir, "t.db");
	ck_assert_int_eq(store_schema_version(db), store_schema_latest());
	ck_assert_int_eq(store_reference_count(db, EF_REF_LOINC, &n, &err), EF_OK);
	ck_assert_int_ge(n, 15);
	struct store_audit_summary sum;
	ck_assert_msg(store_audit_verify(db, NULL, NULL, NULL, &sum, &err) == EF_OK, "%s", err.msg);
}
END_TEST

/* ---- import hl7: each error path ---- */

static struct tu_diag diag;

static int import_text(const char *text, struct ef_hl7_result *res)
{
	struct ef_err err = {{0}};
	struct ef_import_opts o = {.today = TODAY, .now_sec = 12 * 3600, .max_errors = 50, .diag = tu_diag_fn,
				   .diag_ctx = &diag};
	memset(&diag, 0, sizeof diag);
	ck_assert_int_eq(store_begin(db, &err), EF_OK);
	int rc = ef_hl7_import(db, text, strlen(text), "m.hl7", "0000000000000000000000000000000000000000000000000000000000000000", &o,
			       res, &err);
	if (rc == EF_OK)
		ck_assert_msg(store_commit(db, &err) == EF_OK, "%s", err.msg);
	else
		store_rollback(db);
	return rc;
}

#define ORU "MSH|^~\\&|L|L|E|B|20250302||ORU^R01|1|P|2.5.1\rPID|1||T001^^^H^MR\r"
#define VXU "MSH|^~\\&|E|B|I|S|20250514||VXU^V04|1|P|2.5.1\rPID|1||T001^^^H^MR\r"

static const struct {
	const char *text, *msg;
} bad_messages[] = {
	{ORU "OBX|1||751-8^A^LN||1|10*9/L|||||F|||20250301\r", "m.hl7:3: OBX-2: required value is empty"},
	{ORU "OBX|1|CE|751-8^A^LN||1|10*9/L|||||F|||20250301\r", "m.hl7:3: OBX-2: value type 'CE' is not imported"},
	{ORU "OBX|1|SN|751-8^A^LN||^1^-^5|10*9/L|||||F|||20250301\r", "m.hl7:3: OBX-5: a range or ratio (1-5)"},
	{ORU "OBX|1|SN|751-8^A^LN||<=^5|10*9/L|||||F|||20250301\r", "m.hl7:3: OBX-5: comparator '<=' cannot be kept"},
	{ORU "OBX|1|NM|751-8^A^LN||1^2|10*9/L|||||F|||20250301\r", "m.hl7:3: OBX-5: a numeric (NM) value has components"},
	{ORU "OBX|1|NM|751-8^A^LN||1~2|10*9/L|||||F|||20250301\r", "m.hl7:3: OBX-5: several values (repetitions)"},
	{ORU "OBX|1|NM|751-8^A^LN||1,5|10*9/L|||||F|||20250301\r", "m.hl7:3: OBX-5: '1,5': not a decimal number"},
	{ORU "OBX|1|NM|751-8^A^LN||1|10*9/L|||||R|||20250301\r", "m.hl7:3: OBX-11: result status 'R' is not imported"},
	{ORU "OBX|1|NM|751-8^A^LN||1|10*9/L|||||\r", "m.hl7:3: OBX-11: required value is empty"},
	{ORU "OBX|1|NM|123^Local^L||1|10*9/L|||||F|||20250301\r", "m.hl7:3: OBX-3: '123' is not coded in LOINC"},
	{ORU "OBX|1|NM|751-8^A^LN||1||||||F|||20250301\r", "m.hl7:3: OBX-6: required value is empty"},
	{ORU "OBX|1|NM|751-8^A^LN||1|10*9/L|||||F|||202503\r", "m.hl7:3: OBX-14: '202503' is not a date to the day"},
	{ORU "OBX|1|NM|751-8^A^LN||1|10*9/L|||||F|||2025030108\r", "m.hl7:3: OBX-14: '2025030108' gives the hour"},
	{ORU "OBX|1|NM|751-8^A^LN||1|10*9/L|||||F|||2025-03-01\r", "m.hl7:3: OBX-14: '2025-03-01' is not an HL7 date"},
	{ORU "OBX|1|NM|751-8^A^LN||1|10*9/L|||||F\r", "m.hl7:3: OBX-14: no time of collection (neither OBX-14 nor OBR-7)"},
	{ORU "OBR|1|||x|||2025030\rOBX|1|NM|751-8^A^LN||1|10*9/L|||||F\r", "m.hl7:3: OBR-7: '2025030' is not an HL7 date"},
	{ORU "OBX|1|NM|751-8^A^LN||1|10*9/L|||||F|||19600101\r", "m.hl7:3: OBX-14: 1960-01-01 is before the birth date"},
	{"MSH|^~\\&|L|L|E|B|1||ORU^R01|1|P|2.5.1\rOBX|1|NM|751-8^A^LN||1|10*9/L|||||F|||20250301\r",
	 "m.hl7:2: OBX: no PID before it in its message"},
	{"MSH|^~\\&|L|L|E|B|1||ORU^R01|1|P|2.5.1\rPID|1||~X^^^H^PI\rOBX|1|NM|751-8^A^LN||1|10*9/L|||||F|||20250301\r",
	 "m.hl7:2: PID-3: no patient identifier"},
	{"MSH|^~\\&|L|L|E|B|1||ACK^R01|1|P|2.5.1\r", "m.hl7:1: MSH-9: message type 'ACK^R01' is not imported"},
	{VXU "RXA|0|1|20250415|20250415|133^PCV13^L|0.5|||01\r", "m.hl7:3: RXA-5: '133' is not coded in CVX"},
	{VXU "RXA|0|1|20250415|20250415|FLU^Flu^CVX|0.5|||01\r", "m.hl7:3: RXA-5: 'FLU' is not a CVX code (digits)"},
	{VXU "RXA|0|1|20250415|20250415|999999^X^CVX|0.5|||01\r", "m.hl7:3: RXA-5: '999999' is neither a vaccine series"},
	{VXU "RXA|0|1|20250415|20250415|^^CVX|0.5|||01\r", "m.hl7:3: RXA-5: required value is empty"},
	{VXU "RXA|0|1||20250415|133^PCV13^CVX|0.5|||01\r", "m.hl7:3: RXA-3: required value is empty"},
	{VXU "RXA|0|1|20250415|20250415|133^PCV13^CVX|0.5|||99\r", "m.hl7:3: RXA-9: '99' is not an information source"},
	{VXU "RXA|0|1|20250415|20250415|133^PCV13^CVX|0.5|||01|||||||||||XX\r", "m.hl7:3: RXA-20: completion status 'XX'"},
	{VXU "RXA|0|1|20250415|20250415|133^PCV13^CVX|0.5|||01||||||||||||Z\r", "m.hl7:3: RXA-21: action code 'Z'"},
	{VXU "RXA|0|1|20250415|20250415|133^PCV13^CVX|0.5|||01||||||L1~L2\r", "m.hl7:3: RXA-15: several lot numbers"},
	{VXU "RXA|0|1|20250415|20250415|133^PCV13^CVX|0.5|||00||||||L1\r", "m.hl7:3: RXR-2: required for an administered dose"},
	{VXU "RXA|0|1|20250415|20250415|133^PCV13^CVX|0.5|||00\rRXR|C28161^IM^NCIT|LD^Left Deltoid^HL70163\r",
	 "m.hl7:3: RXA-15: required for an administered dose"},
	{VXU "RXA|0|1|20990415|20990415|133^PCV13^CVX|0.5|||01\r", "m.hl7:3: RXA-3: 2099-04-15 is in the future"},
	{"MSH|^~\\&|E|B|I|S|1||VXU^V04|1|P|2.5.1\rRXA|0|1|20250415|20250415|133^PCV13^CVX|0.5|||01\r",
	 "m.hl7:2: RXA: no PID before it in its message"},
};

START_TEST(each_error_names_line_and_field_and_writes_nothing)
{
	struct ef_hl7_result res;
	char *before = tu_export(db, STORE_K_LABS, EF_NO_DAY, NULL);
	char *vbefore = tu_export(db, STORE_K_VACCINATIONS, EF_NO_DAY, NULL);
	ck_assert_int_eq(import_text(bad_messages[_i].text, &res), EF_INVALID);
	ck_assert_msg(strstr(diag.text, bad_messages[_i].msg), "want '%s', got '%s'", bad_messages[_i].msg, diag.text);
	char *after = tu_export(db, STORE_K_LABS, EF_NO_DAY, NULL);
	char *vafter = tu_export(db, STORE_K_VACCINATIONS, EF_NO_DAY, NULL);
	ck_assert_str_eq(before, after);
	ck_assert_str_eq(vbefore, vafter);
	free(before);
	free(after);
	free(vbefore);
	free(vafter);
}
END_TEST

START_TEST(alternate_loinc_coding_and_explicit_comparators)
{
	struct ef_hl7_result res;
	ck_assert_int_eq(import_text(ORU "OBX|1|NM|X1^Local ANC^L^751-8^ANC^LN||1.5|10*9/L|||||F|||20250301\r"
					 "OBX|2|SN|777-3^PLT^LN||=^40|10*9/L|||||F|||20250301\r"
					 "OBX|3|SN|731-0^ALC^LN||>^3.5|10*9/L|||||F|||20250301\r",
				     &res),
			 EF_OK);
	ck_assert_int_eq(res.r.inserted, 3);
	char *e = tu_export(db, STORE_K_LABS, EF_NO_DAY, NULL);
	ck_assert_ptr_nonnull(strstr(e, "T001,2025-03-01,ANC,1.5,10*9/L,"));
	ck_assert_ptr_nonnull(strstr(e, "T001,2025-03-01,PLT,40,10*9/L,"));
	ck_assert_ptr_nonnull(strstr(e, "T001,2025-03-01,ALC,>3.5,10*9/L,"));
	free(e);
}
END_TEST

START_TEST(every_problem_of_a_file_is_reported)
{
	struct ef_hl7_result res;
	ck_assert_int_eq(import_text(ORU "OBX|1|NM|2345-7^GLU^LN||1|mg/dL|||||F|||20250301\r"
					 "OBX|2|NM|751-8^A^LN||1|mmol/L|||||F|||20250301\r"
					 "PID|1||NOPE^^^H^MR\r"
					 "OBX|3|NM|751-8^A^LN||1|10*9/L|||||F|||20250301\r",
				     &res),
			 EF_INVALID);
	ck_assert_int_eq(diag.n, 3);
	ck_assert_ptr_nonnull(strstr(diag.text, "m.hl7:3: OBX-3: LOINC 2345-7 is not in loinc.csv"));
	ck_assert_ptr_nonnull(strstr(diag.text, "m.hl7:4: OBX-6: 'mmol/L' is not a unit for ANC"));
	ck_assert_ptr_nonnull(strstr(diag.text, "m.hl7:5: PID-3: unknown MRN 'NOPE'"));
	/* told in the order of the file, whichever check found them */
	ck_assert(strstr(diag.text, "m.hl7:3:") < strstr(diag.text, "m.hl7:4:"));
	ck_assert(strstr(diag.text, "m.hl7:4:") < strstr(diag.text, "m.hl7:5:"));
}
END_TEST

/* ---- permissions: the action of every kind the file writes ---- */

static int import_fhir_as(enum ef_role role, const char *text)
{
	struct ef_err err = {{0}};
	struct ef_reference ref;
	ck_assert_int_eq(store_reference_load(db, &ref, &err), EF_OK);
	struct store_staff me = {.role = role, .active = 1};
	strcpy(me.login, "someone");
	struct app_env env = {db, &ref, TODAY, &me};
	FILE *in = fmemopen((void *)text, strlen(text), "r");
	struct ef_fhir_result res;
	memset(&diag, 0, sizeof diag);
	int rc = app_import_fhir(&env, 12 * 3600, in, "b.json", tu_diag_fn, &diag, &res, &err);
	fclose(in);
	ef_reference_free(&ref);
	return rc;
}

#define FHIR_PAT "{\"fullUrl\": \"urn:uuid:p\", \"resource\": {\"resourceType\": \"Patient\", \"identifier\": [{\"value\": \"T001\"}]}}"
#define FHIR_OBS "{\"resource\": {\"resourceType\": \"Observation\", \"status\": \"final\", \"code\": {\"coding\": [{\"system\": \"http://loinc.org\", \"code\": \"751-8\"}]}, \"subject\": {\"reference\": \"urn:uuid:p\"}, \"effectiveDateTime\": \"2025-03-01\", \"valueQuantity\": {\"value\": 1.5, \"code\": \"10*9/L\"}}}"
#define FHIR_IMM "{\"resource\": {\"resourceType\": \"Immunization\", \"status\": \"completed\", \"vaccineCode\": {\"coding\": [{\"system\": \"http://hl7.org/fhir/sid/cvx\", \"code\": \"140\"}]}, \"patient\": {\"reference\": \"urn:uuid:p\"}, \"occurrenceDateTime\": \"2025-03-01\"}}"

START_TEST(import_fhir_needs_the_action_of_each_kind)
{
	const char *obs = "{\"resourceType\": \"Bundle\", \"type\": \"collection\", \"entry\": [" FHIR_PAT ", " FHIR_OBS "]}";
	const char *both = "{\"resourceType\": \"Bundle\", \"type\": \"collection\", \"entry\": [" FHIR_PAT ", " FHIR_OBS
			   ", " FHIR_IMM "]}";
	char *before = tu_export(db, STORE_K_LABS, EF_NO_DAY, NULL);
	ck_assert_int_eq(import_fhir_as(EF_ROLE_CLERK, both), EF_DENIED);
	ck_assert_int_eq(import_fhir_as(EF_ROLE_AUDITOR, obs), EF_DENIED);
	char *after = tu_export(db, STORE_K_LABS, EF_NO_DAY, NULL);
	ck_assert_str_eq(before, after);
	ck_assert_int_eq(import_fhir_as(EF_ROLE_CLERK, obs), EF_OK);
	ck_assert_int_eq(import_fhir_as(EF_ROLE_NURSE, both), EF_OK);
	char *e = tu_export(db, STORE_K_LABS, EF_NO_DAY, NULL);
	ck_assert_ptr_nonnull(strstr(e, "T001,2025-03-01,ANC,1.5,10*9/L,"));
	free(before);
	free(after);
	free(e);
}
END_TEST

static int import_as(enum ef_role role, const char *text)
{
	struct ef_err err = {{0}};
	struct ef_reference ref;
	ck_assert_int_eq(store_reference_load(db, &ref, &err), EF_OK);
	struct store_staff me = {.role = role, .active = 1};
	strcpy(me.login, "someone");
	struct app_env env = {db, &ref, TODAY, &me};
	FILE *in = fmemopen((void *)text, strlen(text), "r");
	struct ef_hl7_result res;
	memset(&diag, 0, sizeof diag);
	int rc = app_import_hl7(&env, 12 * 3600, in, "m.hl7", tu_diag_fn, &diag, &res, &err);
	fclose(in);
	ef_reference_free(&ref);
	return rc;
}

#define ORU_OK ORU "OBX|1|NM|751-8^A^LN||1|10*9/L|||||F|||20250301\r"
#define VXU_OK VXU "RXA|0|1|20250415|20250415|133^PCV13^CVX|0.5|||01\r"

START_TEST(import_needs_the_action_of_each_kind)
{
	char both[1024];
	snprintf(both, sizeof both, "%s%s", ORU_OK, VXU_OK);
	char *before = tu_export(db, STORE_K_LABS, EF_NO_DAY, NULL);
	ck_assert_int_eq(import_as(EF_ROLE_CLERK, VXU_OK), EF_DENIED);  /* clerks enter labs, not doses */
	ck_assert_int_eq(import_as(EF_ROLE_CLERK, both), EF_DENIED);
	ck_assert_int_eq(import_as(EF_ROLE_AUDITOR, ORU_OK), EF_DENIED);
	char *after = tu_export(db, STORE_K_LABS, EF_NO_DAY, NULL);
	ck_assert_str_eq(before, after);
	ck_assert_int_eq(import_as(EF_ROLE_CLERK, ORU_OK), EF_OK);
	ck_assert_int_eq(import_as(EF_ROLE_NURSE, both), EF_OK);
	free(before);
	free(after);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("hl7");
	TCase *t = tcase_create("tokenizer");
	tcase_add_checked_fixture(t, NULL, teardown);
	tcase_add_loop_test(t, three_line_endings_same_segments_and_lines, 0, 3);
	tcase_add_test(t, no_final_terminator_and_byte_order_mark);
	tcase_add_test(t, msh_fields_counted_as_hl7_counts_them);
	tcase_add_test(t, repetitions_components_subcomponents);
	tcase_add_test(t, other_encoding_characters_from_msh);
	tcase_add_loop_test(t, escape_sequences_decode, 0, (int)(sizeof escapes / sizeof escapes[0]));
	tcase_add_loop_test(t, bad_escapes_are_refused, 0, (int)(sizeof bad_escapes / sizeof bad_escapes[0]));
	tcase_add_test(t, explicit_null_reads_empty_and_too_long_is_refused);
	tcase_add_test(t, escape_writer_reports_what_it_needs);
	tcase_add_loop_test(t, malformed_input_names_the_line, 0, (int)(sizeof malformed / sizeof malformed[0]));
	tcase_add_test(t, nul_byte_is_refused_with_its_line);
	tcase_add_test(t, empty_file_has_no_segments);
	tcase_add_test(t, several_messages_each_with_its_own_encoding);
	suite_add_tcase(s, t);

	TCase *l = tcase_create("loinc");
	tcase_add_loop_test(l, loinc_check_digit, 0, (int)(sizeof loinc_codes / sizeof loinc_codes[0]));
	tcase_add_loop_test(l, loinc_rows_refused, 0, (int)(sizeof bad_loinc_rows / sizeof bad_loinc_rows[0]));
	suite_add_tcase(s, l);

	TCase *d = tcase_create("import");
	tcase_set_timeout(d, 60);
	tcase_add_checked_fixture(d, db_setup, db_teardown);
	tcase_add_test(d, shipped_loinc_codes_map_the_issue_list);
	tcase_add_test(d, database_before_014_gets_the_codes);
	tcase_add_loop_test(d, each_error_names_line_and_field_and_writes_nothing, 0,
			    (int)(sizeof bad_messages / sizeof bad_messages[0]));
	tcase_add_test(d, alternate_loinc_coding_and_explicit_comparators);
	tcase_add_test(d, every_problem_of_a_file_is_reported);
	tcase_add_test(d, import_needs_the_action_of_each_kind);
	tcase_add_test(d, import_fhir_needs_the_action_of_each_kind);
	suite_add_tcase(s, d);
	return s;
}

int main(void)
{
	SRunner *r = srunner_create(suite());
	srunner_run_all(r, CK_NORMAL);
	int failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
