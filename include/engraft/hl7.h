/* hl7.h - HL7 version 2 messages (2.3 to 2.5.1): reading and writing the
 * delimited text, with no knowledge of what a segment means.
 *
 * ef_hl7_split cuts a file of one or many messages into segments. A
 * segment ends at CR, LF or CRLF (HL7 says CR; files that passed through
 * other systems have LF or CRLF); an empty line is no segment. Each
 * segment keeps the line it starts on (CRLF counts as one line break) and
 * the encoding characters of the MSH (or FHS, BHS) above it: MSH-1 is the
 * field separator, MSH-2 the component, repetition, escape and
 * subcomponent characters (a fifth, the 2.7 truncation character, is
 * accepted and not used). A segment before any MSH, a segment id that is
 * not three upper-case letters or digits, and encoding characters that
 * are missing, repeated, letters, digits or line breaks are refused.
 *
 * ef_hl7_get picks a value out of a segment: field (1-based, as HL7 counts:
 * MSH-1 is the field separator itself and MSH-2 the encoding characters,
 * never split), repetition (0-based), component and subcomponent (1-based;
 * 0 = the whole repetition or component). What it returns is the raw text,
 * still escaped; ef_hl7_unescape decodes it:
 *   \F\ \S\ \T\ \R\ \E\   the field, component, subcomponent, repetition
 *                         and escape characters
 *   \Xhh..\               bytes in hex (an even number of digits, no 00)
 *   \.br\                 a line break (LF); the receiving column decides
 *                         whether it may hold one
 * Every other escape (\H\ \N\ highlighting, \Zxx\, \Cxxyy\, \Mxxyyzz\
 * character sets, \.sp\ and other formatting) and an escape without its
 * closing character are refused: engraft never guesses what text meant.
 * A field of exactly "" (two double quotes: HL7's explicit null) reads as
 * empty.
 *
 * Pure functions: no I/O; errors are returned with a reason. */
#ifndef ENGRAFT_HL7_H
#define ENGRAFT_HL7_H

#include <stddef.h>

#include "engraft/error.h"

/* The encoding characters in force for a segment. */
struct ef_hl7_enc {
	char field, comp, rep, esc, sub;
};

struct ef_hl7_seg {
	const char *p;          /* the segment's text, without its terminator */
	size_t len;
	long line;              /* 1-based line of the file it starts on */
	char id[4];             /* "MSH", "PID", "OBX"... */
	struct ef_hl7_enc enc;
};

/* Cut buf into segments: *segs (malloc'd; free it) receives *n segments
 * pointing into buf. EF_INVALID with "NAME:LINE: reason" in err when the
 * text is not HL7 v2 (see above). A NUL byte in buf is refused. */
int ef_hl7_split(const char *buf, size_t len, const char *name, struct ef_hl7_seg **segs, size_t *n,
		 struct ef_err *err);

/* Is s the segment `id` ("PID")? */
int ef_hl7_is(const struct ef_hl7_seg *s, const char *id);

/* The raw (still escaped) text of SEG-field[rep].comp.sub; absent parts
 * give length 0. */
void ef_hl7_get(const struct ef_hl7_seg *s, int field, int rep, int comp, int sub, const char **p, size_t *n);

/* How many repetitions SEG-field has (0 when it is absent or empty). */
int ef_hl7_reps(const struct ef_hl7_seg *s, int field);

/* Decode the escapes of raw text p[0..n) written with enc into out (room
 * for n + 1 bytes: decoding never lengthens), NUL-terminated; *outlen its
 * length. 0, or -1 with *why saying what is wrong. */
int ef_hl7_unescape(const struct ef_hl7_enc *enc, const char *p, size_t n, char *out, size_t *outlen,
		    const char **why);

/* ef_hl7_get then ef_hl7_unescape into out (cap bytes with the NUL): 0, or
 * -1 with *why (a bad escape, or longer than cap - 1 bytes: never cut). */
int ef_hl7_text(const struct ef_hl7_seg *s, int field, int rep, int comp, int sub, char *out, size_t cap,
		const char **why);

/* The default encoding characters, |^~\&, that engraft writes with. */
extern const struct ef_hl7_enc ef_hl7_default_enc;

/* Escape text for a value written with enc: each of the five encoding
 * characters as its escape, a line break (CR, LF or CRLF) as \.br\. out
 * gets at most cap - 1 bytes and a NUL; returns the length the whole
 * escaped text needs (>= cap: it did not fit and out holds nothing
 * useful). */
size_t ef_hl7_escape(const struct ef_hl7_enc *enc, const char *in, char *out, size_t cap);

#endif
