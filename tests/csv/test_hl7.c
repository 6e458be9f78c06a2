/* HL7 v2 reader (hl7.h): segments and their lines under the three line
 * endings, encoding characters from MSH-1/MSH-2, fields, repetitions,
 * components, subcomponents, every escape, and each malformed input. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engraft/hl7.h"

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
