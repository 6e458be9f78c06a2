/* CSV import/export: every rejection path (line, column, reason; database
 * untouched), the accepted edge cases (CRLF, BOM, quotes, non-ASCII, any
 * column order), natural-key re-import, updates, and round trips. */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "../testutil.h"
#include "engraft/timeline.h"

#ifndef TEST_DATA
#error "TEST_DATA must point at tests/data"
#endif

static const char *const kinds_in_order[] = {"patients", "transplants", "labs", "transfusions", "vaccinations",
					     "gvhd-acute", "gvhd-chronic", "immunosuppression", "ivig"};
#define NKINDS 9

static ef_day day(const char *s)
{
	ef_day d;
	ck_assert_int_eq(ef_date_parse(s, strlen(s), &d), 0);
	return d;
}

static ef_day TODAY;
static char *dir;
static struct store *db;

static void setup(void)
{
	TODAY = day("2026-01-01");
	dir = tu_tmpdir();
	db = tu_open(dir, "t.db");
	struct ef_err err;
	ck_assert_int_eq(tu_import(db, STORE_K_PATIENTS,
				   "mrn,family_name,given_name,birth_date\nT001,Testperson,Alpha,1970-05-01\n", TODAY,
				   NULL, NULL, &err),
			 EF_OK);
}

static void teardown(void)
{
	store_close(db);
	tu_rmdir(dir);
}

/* Every kind's export, concatenated: "the database as a reader sees it". */
static char *snapshot(struct store *s)
{
	size_t cap = 1, len = 0;
	char *all = calloc(1, 1);
	for (int k = 0; k < STORE_K_COUNT; k++) {
		char *e = tu_export(s, (enum store_kind)k, EF_NO_DAY, NULL);
		size_t n = strlen(e);
		all = realloc(all, cap + n);
		memcpy(all + len, e, n + 1);
		len += n;
		cap += n;
		free(e);
	}
	return all;
}

static const struct {
	const char *kind, *csv, *want;
} reject_cases[] = {
	{"patients", "mrn,family_name,given_name\nX,a,b\n", "test.csv:1: header: missing required column 'birth_date'"},
	{"patients", "mrn,family_name,given_name,birth_date,height\n", "test.csv:1: header: unknown column 'height'"},
	{"patients", "mrn,family_name,mrn,given_name,birth_date\n", "duplicate column 'mrn'"},
	{"patients", "mrn;family_name;given_name;birth_date\nX;a;b;1970-01-01\n", "unknown column 'mrn;family_name"},
	{"patients", "mrn,family_name,given_name,birth_date\nX,a,b,2026-02-30\n", "test.csv:2: birth_date: '2026-02-30' is not a real date"},
	{"patients", "mrn,family_name,given_name,birth_date\nX,a,b,0000-01-01\n", "birth_date: '0000-01-01' is not a real date"},
	{"patients", "mrn,family_name,given_name,birth_date\nX,a,b,2027-01-01\n", "birth_date: 2027-01-01 is in the future"},
	{"patients", "mrn,family_name,given_name,birth_date,sex\nX,a,b,1970-01-01,Q\n", "sex: 'Q' is not one of F, M, X"},
	{"patients", "mrn,family_name,given_name,birth_date\nX,,b,1970-01-01\n", "family_name: required value is empty"},
	{"patients", "mrn,family_name,given_name,birth_date\nX,\xff\xfe,b,1970-01-01\n", "family_name: is not valid UTF-8"},
	{"patients", "mrn,family_name,given_name,birth_date\nX,\xc0\xaf,b,1970-01-01\n", "family_name: is not valid UTF-8"},
	{"patients", "mrn,family_name,given_name,birth_date\nX,a\x1b[31m,b,1970-01-01\n", "family_name: contains a control character"},
	{"patients", "mrn,family_name,given_name,birth_date\nX Y,a,b,1970-01-01\n", "mrn: must be printable ASCII"},
	{"patients", "mrn,family_name,given_name,birth_date\nX,a,b,1970-01-01,extra\n", "test.csv:2: row: 5 fields, but the header has 4 columns"},
	{"patients", "mrn,family_name,given_name,birth_date\nX,\"a\"b,c,1970-01-01\n", "test.csv:2: malformed CSV"},
	{"patients", "mrn,family_name,given_name,birth_date\nX,\"unclosed,c,1970-01-01\n", "malformed CSV: a quoted field is not closed"},
	{"patients", "", "empty file: no header row"},
	{"transplants", "mrn,transplant_date,type,graft_source\nT999,2025-01-15,allogeneic,bone_marrow\n", "test.csv:2: mrn: unknown MRN 'T999'"},
	{"transplants", "mrn,transplant_date,type,graft_source\nT001,1960-01-15,allogeneic,bone_marrow\n", "transplant_date: 1960-01-15 is before the birth date 1970-05-01"},
	{"transplants", "mrn,transplant_date,type,graft_source\nT001,2025-01-15,allo,bone_marrow\n", "type: 'allo' is not one of autologous, allogeneic, syngeneic"},
	{"transplants", "mrn,transplant_date,type,graft_source\nT001,2025-01-15,allogeneic,marrow\n", "graft_source: 'marrow' is not one of"},
	{"transplants", "mrn,transplant_date,type,graft_source,donor\nT001,2025-01-15,autologous,peripheral_blood,related\n", "donor: an autologous transplant's donor is 'self'"},
	{"transplants", "mrn,transplant_date,type,graft_source,conditioning\nT001,2025-01-15,allogeneic,bone_marrow,full\n", "conditioning: 'full' is not one of"},
	{"labs", "mrn,collected_on,test,value,unit\nT001,2025-01-20,ANC,0.5,mg/dL\n", "unit: 'mg/dL' is not a unit for ANC"},
	{"labs", "mrn,collected_on,test,value,unit\nT001,2025-01-20,ANC,1e999,K/uL\n", "value: '1e999': not a decimal number"},
	{"labs", "mrn,collected_on,test,value,unit\nT001,2025-01-20,ANC,nan,K/uL\n", "value: 'nan'"},
	{"labs", "mrn,collected_on,test,value,unit\nT001,2025-01-20,ANC,0x10,K/uL\n", "value: '0x10'"},
	{"labs", "mrn,collected_on,test,value,unit\nT001,2025-01-20,ANC,-0,K/uL\n", "value: '-0': negative value"},
	{"labs", "mrn,collected_on,test,value,unit\nT001,2025-01-20,ANC,<=0.5,K/uL\n", "qualifier must be '<' or '>'"},
	{"labs", "mrn,collected_on,test,value,unit\nT001,2025-01-20,CMV,10,K/uL\n", "test: 'CMV' is not a known test"},
	/* outside the site's plausible range (assets/lab_tests.csv), limits named */
	{"labs", "mrn,collected_on,test,value,unit\nT001,2025-01-20,ALC,99999,10*9/L\n", "test.csv:2: value: 99999 10*9/L is outside the plausible range for ALC (0 to 1000 10*9/L); check the value and unit"},
	{"labs", "mrn,collected_on,test,value,unit\nT001,2025-01-20,IGG,100000000000000000000,mg/dL\n", "test.csv:2: value: 100000000000000000000 mg/dL is outside the plausible range for IGG (0 to 20000 mg/dL)"},
	{"labs", "mrn,collected_on,test,value,unit\nT001,2025-01-20,IGG,1e20,mg/dL\n", "value: '1e20': not a decimal number"},
	{"labs", "mrn,collected_on,test,value,unit\nT001,2025-01-20,ANC,<0,10*9/L\n", "test.csv:2: value: <0 cannot be a result (ANC cannot be below 0)"},
	{"labs", "mrn,collected_on,test,value,unit\nT001,2025-01-20,ANC,99999000,/uL\n", "value: 99999 10*9/L is outside the plausible range for ANC (0 to 1000 10*9/L)"},
	{"labs", "mrn,collected_on,test,value,unit\nT001,2025-01-20,HGB,>300,g/L\n", "value: >30 g/dL is outside the plausible range for HGB (0 to 30 g/dL)"},
	{"labs", "mrn,collected_on,test,value,unit\nT001,2025-01-27T25:00,ANC,1,K/uL\n", "collected_on: '2025-01-27T25:00' is not a real date"},
	{"labs", "mrn,collected_on,test,value,unit\nT001,2026-01-02,ANC,1,K/uL\n", "collected_on: 2026-01-02 is in the future"},
	{"labs", "mrn,collected_on,test,value,unit\nT001,1969-01-02,ANC,1,K/uL\n", "is before the birth date"},
	{"labs", "mrn,collected_on,test,value,unit\nT001,2025-01-20,ANC,1,K/uL\nT001,2025-01-20,ANC,2,K/uL\n", "test.csv:3: mrn,collected_on,test: same key as an earlier row of this file, with different values"},
	{"transfusions", "mrn,given_on,product\nT001,2025-01-20,blood\n", "product: 'blood' is not one of platelets, red_cells, plasma, granulocytes"},
	{"vaccinations", "mrn,vaccine,given_on\nT001,XYZ,2025-05-01\n", "vaccine: 'XYZ' is neither a vaccine series code"},
	{"vaccinations", "mrn,vaccine,given_on\nT001,99999,2025-05-01\n", "vaccine: '99999' is neither"},
	{"gvhd-acute", "mrn,assessed_on,skin,liver,upper_gi,lower_gi\nT001,2025-02-01,0,0,2,0\n", "upper_gi: '2' is not a stage/score from 0 to 1"},
	{"gvhd-acute", "mrn,assessed_on,skin,liver,upper_gi,lower_gi\nT001,2025-02-01,5,0,0,0\n", "skin: '5' is not a stage/score from 0 to 4"},
	{"gvhd-acute", "mrn,assessed_on,skin,liver,upper_gi,lower_gi\nT001,2025-02-01,1.0,0,0,0\n", "skin: '1.0' is not a stage/score"},
	{"gvhd-acute", "mrn,assessed_on,skin,liver,upper_gi\nT001,2025-02-01,1,0,0\n", "missing required column 'lower_gi'"},
	{"gvhd-chronic", "mrn,assessed_on,skin,mouth,eyes,gi,liver,lungs,joints,genital\nT001,2025-06-01,0,0,0,0,0,4,0,0\n", "lungs: '4' is not a stage/score from 0 to 3"},
	{"gvhd-chronic", "mrn,assessed_on,skin,mouth,eyes,gi,liver,lungs,joints,genital\nT001,2025-06-01,0,0,0,0,0,-1,0,0\n", "lungs: '-1'"},
	{"immunosuppression", "mrn,drug,started_on,stopped_on\nT001,tacrolimus,2025-03-01,2025-02-01\n", "stopped_on: 2025-02-01 is before started_on 2025-03-01"},
	{"immunosuppression", "mrn,drug,started_on,stopped_on\nT001,tacrolimus,2025-03-01,2026-05-01\n", "stopped_on: 2026-05-01 is in the future"},
	{"immunosuppression", "mrn,drug,started_on\nT001,,2025-03-01\n", "drug: required value is empty"},
	{"ivig", "mrn,given_on,dose_g\nT001,2025-04-20,-30\n", "dose_g: '-30' is not a positive number"},
	{"ivig", "mrn,given_on,dose_g\nT001,2025-04-20,0\n", "dose_g: '0' is not a positive number"},
	{"ivig", "mrn,given_on,dose_g\nT001,2025-04-20,abc\n", "dose_g: 'abc'"},
};

START_TEST(rejects_bad_input_and_changes_nothing)
{
	enum store_kind k;
	ck_assert_int_eq(ef_kind_parse(reject_cases[_i].kind, &k), 0);
	char *before = snapshot(db);
	struct tu_diag d = {{0}};
	struct ef_err err = {{0}};
	struct ef_import_result res;
	int rc = tu_import(db, k, reject_cases[_i].csv, TODAY, &res, &d, &err);
	ck_assert_int_eq(rc, EF_INVALID);
	ck_assert_msg(strstr(d.text, reject_cases[_i].want) || strstr(err.msg, reject_cases[_i].want),
		      "case %d: want '%s'\n got diag: %s\n err: %s", _i, reject_cases[_i].want, d.text, err.msg);
	char *after = snapshot(db);
	ck_assert_str_eq(before, after);
	free(before);
	free(after);
}
END_TEST

START_TEST(every_bad_row_is_reported_with_its_line)
{
	const char *csv = "mrn,collected_on,test,value,unit\n"
			  "T001,2025-01-20,ANC,0.5,K/uL\n"
			  "T001,2025-01-21,ANC,abc,K/uL\n"
			  "T001,2025-01-22,XXX,1,K/uL\n"
			  "T001,2025-01-23,ANC,1,K/uL\n"
			  "T002,2025-01-24,ANC,1,mg/dL\n";
	struct tu_diag d = {{0}};
	struct ef_err err;
	struct ef_import_result res;
	ck_assert_int_eq(tu_import(db, STORE_K_LABS, csv, TODAY, &res, &d, &err), EF_INVALID);
	ck_assert_int_eq(res.errors, 3);
	ck_assert_ptr_nonnull(strstr(d.text, "test.csv:3: value:"));
	ck_assert_ptr_nonnull(strstr(d.text, "test.csv:4: test:"));
	ck_assert_ptr_nonnull(strstr(d.text, "test.csv:6: mrn: unknown MRN 'T002'"));
	ck_assert_ptr_null(strstr(d.text, "test.csv:2:"));
	ck_assert_ptr_nonnull(strstr(err.msg, "3 bad rows; nothing imported"));
	char *labs = tu_export(db, STORE_K_LABS, EF_NO_DAY, NULL);
	ck_assert_str_eq(labs, "mrn,collected_on,test,value,unit,entered_in_error\n");
	free(labs);
}
END_TEST

START_TEST(error_reports_are_capped)
{
	size_t cap = 64 + 200 * 40;
	char *csv = malloc(cap);
	strcpy(csv, "mrn,collected_on,test,value,unit\n");
	for (int i = 0; i < 200; i++)
		strcat(csv, "T001,2025-01-20,ANC,bad,K/uL\n");
	struct tu_diag d = {{0}};
	struct ef_err err;
	struct ef_import_result res;
	ck_assert_int_eq(tu_import(db, STORE_K_LABS, csv, TODAY, &res, &d, &err), EF_INVALID);
	ck_assert_int_eq(d.n, 50);
	ck_assert_ptr_nonnull(strstr(err.msg, "more than 50 bad rows"));
	free(csv);
}
END_TEST

START_TEST(line_numbers_count_physical_lines)
{
	/* BOM, CRLF, a quoted field spanning two lines, a blank line. */
	const char *csv = "\xef\xbb\xbfmrn,family_name,given_name,birth_date,diagnosis\r\n"
			  "P1,A,B,1970-01-01,\"two\r\nlines\"\r\n"
			  "\r\n"
			  "P2,A,B,1970-13-01,x\r\n";
	struct tu_diag d = {{0}};
	struct ef_err err;
	ck_assert_int_eq(tu_import(db, STORE_K_PATIENTS, csv, TODAY, NULL, &d, &err), EF_INVALID);
	ck_assert_msg(strstr(d.text, "test.csv:5: birth_date:") != NULL, "%s", d.text);
}
END_TEST

START_TEST(accepts_crlf_bom_quotes_and_unicode)
{
	const char *csv = "\xef\xbb\xbf"
			  "Given_Name,diagnosis,MRN,birth_date,family_name\r\n"
			  "Zoë,\"AML, FLT3+\nsecond line\",P1,1990-02-28,Østergård\r\n"
			  "\"Jean \"\"JJ\"\"\",,P2,1985-12-31,\"O'Brien, Jr\"\r\n";
	struct ef_err err;
	struct ef_import_result res;
	ck_assert_int_eq(tu_import(db, STORE_K_PATIENTS, csv, TODAY, &res, NULL, &err), EF_OK);
	ck_assert_int_eq(res.inserted, 2);
	char *out = tu_export(db, STORE_K_PATIENTS, EF_NO_DAY, NULL);
	ck_assert_str_eq(out, "mrn,family_name,given_name,birth_date,sex,diagnosis\n"
			      "P1,Østergård,Zoë,1990-02-28,,\"AML, FLT3+\nsecond line\"\n"
			      "P2,\"O'Brien, Jr\",\"Jean \"\"JJ\"\"\",1985-12-31,,\n"
			      "T001,Testperson,Alpha,1970-05-01,,\n");
	free(out);
}
END_TEST

START_TEST(header_only_imports_nothing)
{
	struct ef_err err;
	struct ef_import_result res;
	ck_assert_int_eq(tu_import(db, STORE_K_LABS, "mrn,collected_on,test,value,unit\n", TODAY, &res, NULL, &err),
			 EF_OK);
	ck_assert_int_eq(res.rows, 0);
}
END_TEST

START_TEST(reimport_changes_nothing_and_updates_are_counted)
{
	const char *csv = "mrn,collected_on,test,value,unit\n"
			  "T001,2025-01-20,ANC,<0.1,K/uL\n"
			  "T001,2025-01-21T08:00,ANC,600,cells/uL\n"
			  "T001,2025-01-21T18:00,ANC,0.7,10^9/L\n";
	struct ef_err err;
	struct ef_import_result res;
	ck_assert_int_eq(tu_import(db, STORE_K_LABS, csv, TODAY, &res, NULL, &err), EF_OK);
	ck_assert_int_eq(res.inserted, 3);
	char *first = snapshot(db);
	ck_assert_int_eq(tu_import(db, STORE_K_LABS, csv, TODAY, &res, NULL, &err), EF_OK);
	ck_assert_int_eq(res.inserted, 0);
	ck_assert_int_eq(res.unchanged, 3);
	char *second = snapshot(db);
	ck_assert_str_eq(first, second);
	/* A corrected value is an update of the same row. */
	ck_assert_int_eq(tu_import(db, STORE_K_LABS,
				   "mrn,collected_on,test,value,unit\nT001,2025-01-20,ANC,0.2,K/uL\n", TODAY, &res,
				   NULL, &err),
			 EF_OK);
	ck_assert_int_eq(res.updated, 1);
	char *labs = tu_export(db, STORE_K_LABS, EF_NO_DAY, NULL);
	ck_assert_ptr_nonnull(strstr(labs, "T001,2025-01-20,ANC,0.2,K/uL,\n"));
	free(labs);
	free(first);
	free(second);
}
END_TEST

/* Lab results are written STORE_LAB_BATCH at a time (store_lab_batch): a
 * file of a few batches counts and reports every row as a row-by-row import
 * did, on the row's own line, wherever in a batch it falls. Line L has key
 * L unless it repeats the key of line dup[L]. */
#define B STORE_LAB_BATCH
static char *lab_file(int rows, const int *dup_line, const int *dup_of, const char *const *dup_value, int ndup,
		      int bad_line)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	fputs("mrn,collected_on,test,value,unit\n", f);
	for (int line = 2; line < rows + 2; line++) {
		int k = line;
		const char *v = "1.5";
		for (int i = 0; i < ndup; i++)
			if (dup_line[i] == line)
				k = dup_of[i], v = dup_value[i];
		if (line == bad_line)
			v = "abc";
		fprintf(f, "T001,2025-01-%02dT%02d:%02d,%s,%s,K/uL\n", 1 + k / 100 % 28, k / 10 % 10, k % 10 * 5,
			k % 2 ? "ANC" : "PLT", v);
	}
	fclose(f);
	return buf;
}

START_TEST(lab_batches_count_and_report_each_row)
{
	struct ef_err err;
	struct ef_import_result res;
	struct tu_diag d = {{0}};
	/* line 20 repeats line 12 (one batch), line B+10 repeats line B-5 (the
	 * batch before), with other values; line 2B+5 is bad */
	const int lines[] = {20, B + 10}, of[] = {12, B - 5};
	const char *const other[] = {"2.5", "3.5"}, *const same[] = {"1.5", "1.5"};
	char want[3][128];
	snprintf(want[0], sizeof want[0], "test.csv:20: mrn,collected_on,test: same key as an earlier row");
	snprintf(want[1], sizeof want[1], "test.csv:%d: mrn,collected_on,test: same key as an earlier row", B + 10);
	snprintf(want[2], sizeof want[2], "test.csv:%d: value: 'abc'", 2 * B + 5);
	char *csv = lab_file(3 * B + 10, lines, of, other, 2, 2 * B + 5);
	ck_assert_int_eq(tu_import(db, STORE_K_LABS, csv, TODAY, &res, &d, &err), EF_INVALID);
	ck_assert_int_eq(res.errors, 3);
	for (int i = 0; i < 3; i++)
		ck_assert_msg(strstr(d.text, want[i]), "want %s in:\n%s", want[i], d.text);
	free(csv);
	char *labs = tu_export(db, STORE_K_LABS, EF_NO_DAY, NULL);
	ck_assert_str_eq(labs, "mrn,collected_on,test,value,unit,entered_in_error\n");
	free(labs);
	/* the same repeats with the same values are unchanged rows */
	csv = lab_file(3 * B + 10, lines, of, same, 2, 0);
	ck_assert_msg(tu_import(db, STORE_K_LABS, csv, TODAY, &res, NULL, &err) == EF_OK, "%s", err.msg);
	ck_assert_int_eq(res.inserted, 3 * B + 8);
	ck_assert_int_eq(res.unchanged, 2);
	ck_assert_int_eq(tu_import(db, STORE_K_LABS, csv, TODAY, &res, NULL, &err), EF_OK);
	ck_assert_int_eq(res.unchanged, 3 * B + 10);
	free(csv);
	/* line B+20 (second batch) with a new value for its own key: an update;
	 * lines 20 and B+10 now have keys of their own: new */
	const int upd_line[] = {B + 20}, upd_of[] = {B + 20};
	const char *const upd_val[] = {"9.5"};
	csv = lab_file(3 * B + 10, upd_line, upd_of, upd_val, 1, 0);
	ck_assert_int_eq(tu_import(db, STORE_K_LABS, csv, TODAY, &res, NULL, &err), EF_OK);
	ck_assert_int_eq(res.updated, 1);
	ck_assert_int_eq(res.inserted, 2);
	ck_assert_int_eq(res.unchanged, 3 * B + 7);
	free(csv);
}
END_TEST
#undef B

START_TEST(values_keep_unit_and_qualifier_and_core_sees_canonical)
{
	const char *csv = "mrn,collected_on,test,value,unit\n"
			  "T001,2025-01-20,ANC,<0.1,K/uL\n"
			  "T001,2025-01-21,ANC,600,cells/uL\n"
			  "T001,2025-01-22,IGG,3.5,g/L\n"
			  "T001,2025-01-22,BILI,51,umol/L\n";
	struct ef_err err;
	ck_assert_int_eq(tu_import(db, STORE_K_LABS, csv, TODAY, NULL, NULL, &err), EF_OK);
	int64_t pid;
	ef_day birth;
	ck_assert_int_eq(store_patient_id(db, "T001", 4, &pid, &birth, &err), EF_OK);
	ck_assert_int_eq(birth, day("1970-05-01"));
	struct ef_timeline tl;
	ef_timeline_init(&tl);
	ck_assert_int_eq(store_load_timeline(db, pid, TODAY, &tl, &err), EF_OK);
	ck_assert_int_eq(tl.n_labs, 4);
	int seen = 0;
	for (size_t i = 0; i < tl.n_labs; i++) {
		const struct ef_lab *l = &tl.labs[i];
		if (l->test == EF_T_ANC && l->day == day("2025-01-20")) {
			ck_assert_int_eq(l->qual, EF_Q_LT);
			ck_assert(l->value == 0.1);
			seen++;
		} else if (l->test == EF_T_ANC) {
			ck_assert(l->value == 0.6);
			seen++;
		} else if (l->test == EF_T_IGG) {
			ck_assert(l->value == 350);
			seen++;
		} else if (l->test == EF_T_BILI) {
			ck_assert(l->value > 2.98 && l->value < 2.99);
			seen++;
		}
	}
	ck_assert_int_eq(seen, 4);
	/* as-of hides later rows */
	ck_assert_int_eq(store_load_timeline(db, pid, day("2025-01-20"), &tl, &err), EF_OK);
	ck_assert_int_eq(tl.n_labs, 1);
	ef_timeline_free(&tl);
}
END_TEST

START_TEST(formula_cells_are_neutralised_and_round_trip)
{
	const char *csv = "mrn,family_name,given_name,birth_date,diagnosis\n"
			  "F1,=cmd|' /C calc'!A0,+x,1970-01-01,@SUM(A1)\n"
			  "F2,'t Hooft,-5,1970-01-01,-\n";
	struct ef_err err;
	ck_assert_int_eq(tu_import(db, STORE_K_PATIENTS, csv, TODAY, NULL, NULL, &err), EF_OK);
	char *out = tu_export(db, STORE_K_PATIENTS, EF_NO_DAY, "F1");
	ck_assert_str_eq(out, "mrn,family_name,given_name,birth_date,sex,diagnosis\n"
			      "F1,'=cmd|' /C calc'!A0,'+x,1970-01-01,,'@SUM(A1)\n");
	free(out);
	out = tu_export(db, STORE_K_PATIENTS, EF_NO_DAY, "F2");
	ck_assert_str_eq(out, "mrn,family_name,given_name,birth_date,sex,diagnosis\n"
			      "F2,''t Hooft,-5,1970-01-01,,'-\n");
	/* the neutralised export imports back to the same values */
	char *all = tu_export(db, STORE_K_PATIENTS, EF_NO_DAY, NULL);
	struct store *db2 = tu_open(dir, "copy.db");
	ck_assert_int_eq(tu_import(db2, STORE_K_PATIENTS, all, TODAY, NULL, NULL, &err), EF_OK);
	char *again = tu_export(db2, STORE_K_PATIENTS, EF_NO_DAY, NULL);
	ck_assert_str_eq(all, again);
	store_close(db2);
	free(out);
	free(all);
	free(again);
}
END_TEST

START_TEST(every_kind_round_trips_byte_for_byte)
{
	struct ef_err err;
	char path[4096];
	/* Load the fixtures (tests/data/KIND.csv) in dependency order. */
	struct store *a = tu_open(dir, "a.db");
	for (int i = 0; i < NKINDS; i++) {
		enum store_kind k;
		ck_assert_int_eq(ef_kind_parse(kinds_in_order[i], &k), 0);
		snprintf(path, sizeof path, "%s/%s.csv", TEST_DATA, kinds_in_order[i]);
		char *csv = tu_read_file(path);
		struct tu_diag d = {{0}};
		int rc = tu_import(a, k, csv, TODAY, NULL, &d, &err);
		ck_assert_msg(rc == EF_OK, "%s: %s %s", path, err.msg, d.text);
		free(csv);
	}
	/* export -> import into a fresh database -> export: identical; and a
	 * second import of the same export adds nothing. */
	struct store *b = tu_open(dir, "b.db");
	for (int i = 0; i < NKINDS; i++) {
		enum store_kind k;
		ef_kind_parse(kinds_in_order[i], &k);
		char *ea = tu_export(a, k, EF_NO_DAY, NULL);
		struct ef_import_result res;
		ck_assert_int_eq(tu_import(b, k, ea, TODAY, &res, NULL, &err), EF_OK);
		ck_assert_int_gt(res.inserted, 0);
		ck_assert_int_eq(tu_import(b, k, ea, TODAY, &res, NULL, &err), EF_OK);
		ck_assert_int_eq(res.inserted, 0);
		ck_assert_int_eq(res.updated, 0);
		char *eb = tu_export(b, k, EF_NO_DAY, NULL);
		ck_assert_msg(strcmp(ea, eb) == 0, "%s differs:\n%s\n---\n%s", kinds_in_order[i], ea, eb);
		free(ea);
		free(eb);
	}
	store_close(a);
	store_close(b);
}
END_TEST

START_TEST(export_filters_by_as_of_and_mrn)
{
	const char *csv = "mrn,drug,started_on,stopped_on\n"
			  "T001,tacrolimus,2025-01-12,2025-06-30\n"
			  "T001,prednisone,2025-08-01,\n";
	struct ef_err err;
	ck_assert_int_eq(tu_import(db, STORE_K_IMMUNOSUPPRESSION, csv, TODAY, NULL, NULL, &err), EF_OK);
	char *out = tu_export(db, STORE_K_IMMUNOSUPPRESSION, day("2025-03-01"), NULL);
	/* on 2025-03-01 tacrolimus was ongoing and prednisone not started */
	ck_assert_str_eq(out, "mrn,drug,started_on,stopped_on,entered_in_error\nT001,tacrolimus,2025-01-12,,\n");
	free(out);
	out = tu_export(db, STORE_K_IMMUNOSUPPRESSION, EF_NO_DAY, "NOPE");
	ck_assert_str_eq(out, "mrn,drug,started_on,stopped_on,entered_in_error\n");
	free(out);
}
END_TEST

START_TEST(cvx_codes_count_toward_their_series)
{
	const char *csv = "mrn,vaccine,given_on\nT001,110,2025-07-15\nT001,MMR,2025-08-01\n";
	struct ef_err err;
	ck_assert_int_eq(tu_import(db, STORE_K_VACCINATIONS, csv, TODAY, NULL, NULL, &err), EF_OK);
	int64_t pid;
	ck_assert_int_eq(store_patient_id(db, "T001", 4, &pid, NULL, &err), EF_OK);
	struct ef_timeline tl;
	ef_timeline_init(&tl);
	ck_assert_int_eq(store_load_timeline(db, pid, TODAY, &tl, &err), EF_OK);
	/* 110 = DTaP-HepB-IPV: one dose each of HEPB, IPV, TDAP; MMR is live */
	ck_assert_int_eq(tl.n_doses, 4);
	int hepb = 0, ipv = 0, tdap = 0, mmr = 0;
	for (size_t i = 0; i < tl.n_doses; i++) {
		hepb += strcmp(tl.doses[i].series, "HEPB") == 0;
		ipv += strcmp(tl.doses[i].series, "IPV") == 0;
		tdap += strcmp(tl.doses[i].series, "TDAP") == 0;
		if (strcmp(tl.doses[i].series, "MMR") == 0) {
			mmr++;
			ck_assert_int_eq(tl.doses[i].live, 1);
		}
	}
	ck_assert_int_eq(hepb + ipv + tdap + mmr, 4);
	ck_assert_int_eq(mmr, 1);
	ef_timeline_free(&tl);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("csv-import");
	TCase *tc = tcase_create("import");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, rejects_bad_input_and_changes_nothing, 0, sizeof reject_cases / sizeof reject_cases[0]);
	tcase_add_test(tc, every_bad_row_is_reported_with_its_line);
	tcase_add_test(tc, error_reports_are_capped);
	tcase_add_test(tc, line_numbers_count_physical_lines);
	tcase_add_test(tc, accepts_crlf_bom_quotes_and_unicode);
	tcase_add_test(tc, header_only_imports_nothing);
	tcase_add_test(tc, reimport_changes_nothing_and_updates_are_counted);
	tcase_add_test(tc, lab_batches_count_and_report_each_row);
	tcase_add_test(tc, values_keep_unit_and_qualifier_and_core_sees_canonical);
	tcase_add_test(tc, formula_cells_are_neutralised_and_round_trip);
	tcase_add_test(tc, every_kind_round_trips_byte_for_byte);
	tcase_add_test(tc, export_filters_by_as_of_and_mrn);
	tcase_add_test(tc, cvx_codes_count_toward_their_series);
	suite_add_tcase(s, tc);
	return tu_run_suite(s);
}
