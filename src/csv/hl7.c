/* hl7.c - HL7 v2 delimited text: segments, fields, repetitions,
 * components, subcomponents, escapes (hl7.h). Pure: no I/O. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engraft/hl7.h"

const struct ef_hl7_enc ef_hl7_default_enc = {'|', '^', '~', '\\', '&'};

static int is_id_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* A header segment: its fourth byte defines the field separator and MSH-2
 * the others (MSH, and the batch headers FHS and BHS). */
static int is_header(const char *id)
{
	return strcmp(id, "MSH") == 0 || strcmp(id, "FHS") == 0 || strcmp(id, "BHS") == 0;
}

static int enc_char_ok(char c)
{
	unsigned char u = (unsigned char)c;
	return u > 0x20 && u < 0x7f && !is_id_char(c) && !(c >= 'a' && c <= 'z');
}

/* The encoding characters of a header segment s[0..n). */
static int header_enc(const char *s, size_t n, struct ef_hl7_enc *enc, const char **why)
{
	if (n < 8) {
		*why = "too short for a header segment (MSH|^~\\&...)";
		return -1;
	}
	char f = s[3];
	size_t k = 4;
	while (k < n && s[k] != f)
		k++;
	size_t m = k - 4;
	if (m != 4 && m != 5) {
		*why = "MSH-2 must hold 4 encoding characters (component, repetition, escape, subcomponent)";
		return -1;
	}
	char c[6] = {f, s[4], s[5], s[6], s[7], m == 5 ? s[8] : '\0'};
	for (size_t i = 0; i <= m; i++) {
		if (!enc_char_ok(c[i])) {
			*why = "an encoding character (MSH-1, MSH-2) is a letter, a digit, a blank or a control character";
			return -1;
		}
		for (size_t j = 0; j < i; j++)
			if (c[i] == c[j]) {
				*why = "the encoding characters (MSH-1, MSH-2) are not all different";
				return -1;
			}
	}
	*enc = (struct ef_hl7_enc){f, c[1], c[2], c[3], c[4]};
	return 0;
}

int ef_hl7_split(const char *buf, size_t len, const char *name, struct ef_hl7_seg **segs, size_t *n,
		 struct ef_err *err)
{
	*segs = NULL;
	*n = 0;
	size_t cap = 0, pos = 0;
	long line = 1;
	int have_enc = 0;
	struct ef_hl7_enc enc = ef_hl7_default_enc;
	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) /* a UTF-8 byte order mark */
		pos = 3;
	if (memchr(buf, '\0', len)) {
		long l = 1;
		for (const char *q = buf; *q; q++)
			l += *q == '\n' || (*q == '\r' && q[1] != '\n');
		return ef_errf(err, EF_INVALID, "%s:%ld: contains a NUL byte (not HL7 v2 text)", name, l);
	}
	while (pos < len) {
		size_t start = pos, end = pos;
		while (end < len && buf[end] != '\r' && buf[end] != '\n')
			end++;
		long at = line;
		if (end < len) {
			pos = end + 1;
			if (buf[end] == '\r' && pos < len && buf[pos] == '\n')
				pos++;
			line++;
		} else {
			pos = end;
		}
		const char *s = buf + start;
		size_t sl = end - start;
		if (sl == 0)
			continue;
		const char *why = NULL;
		struct ef_hl7_seg g = {.p = s, .len = sl, .line = at};
		if (sl < 3 || !is_id_char(s[0]) || !is_id_char(s[1]) || !is_id_char(s[2])) {
			free(*segs);
			*segs = NULL;
			*n = 0;
			return ef_errf(err, EF_INVALID, "%s:%ld: not an HL7 segment (a segment starts with a three-letter id "
							"such as MSH, PID, OBX)", name, at);
		}
		memcpy(g.id, s, 3);
		g.id[3] = '\0';
		if (is_header(g.id)) {
			if (header_enc(s, sl, &enc, &why)) {
				free(*segs);
				*segs = NULL;
				*n = 0;
				return ef_errf(err, EF_INVALID, "%s:%ld: %s: %s", name, at, g.id, why);
			}
			have_enc = 1;
		} else if (!have_enc) {
			free(*segs);
			*segs = NULL;
			*n = 0;
			return ef_errf(err, EF_INVALID, "%s:%ld: segment %s comes before any MSH (a message starts with MSH)",
				       name, at, g.id);
		} else if (sl > 3 && s[3] != enc.field) {
			free(*segs);
			*segs = NULL;
			*n = 0;
			return ef_errf(err, EF_INVALID, "%s:%ld: segment %s: its id is not followed by the field separator "
							"'%c' of MSH-1", name, at, g.id, enc.field);
		}
		g.enc = enc;
		if (*n == cap) {
			size_t nc = cap ? cap * 2 : 64;
			struct ef_hl7_seg *ns = realloc(*segs, nc * sizeof *ns);
			if (!ns) {
				free(*segs);
				*segs = NULL;
				*n = 0;
				return ef_errf(err, EF_DB, "out of memory");
			}
			*segs = ns;
			cap = nc;
		}
		(*segs)[(*n)++] = g;
	}
	return EF_OK;
}

int ef_hl7_is(const struct ef_hl7_seg *s, const char *id)
{
	return strcmp(s->id, id) == 0;
}

/* Part k (0-based) of p[0..n) cut at sep; absent: length 0. */
static void nth(const char *p, size_t n, char sep, int k, const char **op, size_t *on)
{
	size_t i = 0;
	for (int part = 0; part < k; part++) {
		while (i < n && p[i] != sep)
			i++;
		if (i >= n) {
			*op = p + n;
			*on = 0;
			return;
		}
		i++;
	}
	size_t j = i;
	while (j < n && p[j] != sep)
		j++;
	*op = p + i;
	*on = j - i;
}

/* The whole field; *whole set for MSH-1 and MSH-2, never cut further. */
static void field_span(const struct ef_hl7_seg *s, int field, const char **p, size_t *n, int *whole)
{
	*whole = 0;
	*p = s->p + s->len;
	*n = 0;
	if (field < 1)
		return;
	int idx = field;
	if (is_header(s->id)) {
		if (field == 1) {
			*p = s->p + 3;
			*n = 1;
			*whole = 1;
			return;
		}
		idx = field - 1;
		if (field == 2)
			*whole = 1;
	}
	nth(s->p, s->len, s->enc.field, idx, p, n);
}

void ef_hl7_get(const struct ef_hl7_seg *s, int field, int rep, int comp, int sub, const char **p, size_t *n)
{
	int whole;
	field_span(s, field, p, n, &whole);
	if (whole) {
		if (rep > 0 || comp > 1 || sub > 1)
			*p += *n, *n = 0;
		return;
	}
	if (rep < 0 || comp < 0 || sub < 0) {
		*p += *n, *n = 0;
		return;
	}
	nth(*p, *n, s->enc.rep, rep, p, n);
	if (comp > 0)
		nth(*p, *n, s->enc.comp, comp - 1, p, n);
	if (comp > 0 && sub > 0)
		nth(*p, *n, s->enc.sub, sub - 1, p, n);
}

int ef_hl7_reps(const struct ef_hl7_seg *s, int field)
{
	const char *p;
	size_t n;
	int whole;
	field_span(s, field, &p, &n, &whole);
	if (n == 0)
		return 0;
	if (whole)
		return 1;
	int k = 1;
	for (size_t i = 0; i < n; i++)
		k += p[i] == s->enc.rep;
	return k;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int ef_hl7_unescape(const struct ef_hl7_enc *enc, const char *p, size_t n, char *out, size_t *outlen,
		    const char **why)
{
	size_t o = 0, i = 0;
	while (i < n) {
		char c = p[i];
		if (c != enc->esc) {
			out[o++] = c;
			i++;
			continue;
		}
		size_t j = i + 1;
		while (j < n && p[j] != enc->esc)
			j++;
		if (j >= n) {
			*why = "an escape sequence is not closed (write the escape character itself as \\E\\)";
			return -1;
		}
		const char *q = p + i + 1;
		size_t m = j - i - 1;
		if (m == 1 && strchr("FSTRE", q[0])) {
			out[o++] = q[0] == 'F' ? enc->field : q[0] == 'S' ? enc->comp : q[0] == 'T' ? enc->sub
				 : q[0] == 'R' ? enc->rep : enc->esc;
		} else if (m >= 3 && q[0] == 'X' && (m - 1) % 2 == 0) {
			for (size_t k = 1; k < m; k += 2) {
				int h = hexval(q[k]), l = hexval(q[k + 1]);
				if (h < 0 || l < 0) {
					*why = "a \\X..\\ escape holds a character that is not a hexadecimal digit";
					return -1;
				}
				if (h == 0 && l == 0) {
					*why = "a \\X..\\ escape holds a NUL byte (00)";
					return -1;
				}
				out[o++] = (char)(h * 16 + l);
			}
		} else if (m == 3 && memcmp(q, ".br", 3) == 0) {
			out[o++] = '\n';
		} else if (m >= 1 && q[0] == 'X') {
			*why = "a \\X..\\ escape needs an even number of hexadecimal digits";
			return -1;
		} else {
			*why = "unsupported escape sequence (engraft reads \\F\\ \\S\\ \\T\\ \\R\\ \\E\\ \\Xhh\\ and \\.br\\ "
			       "only)";
			return -1;
		}
		i = j + 1;
	}
	out[o] = '\0';
	*outlen = o;
	return 0;
}

int ef_hl7_text(const struct ef_hl7_seg *s, int field, int rep, int comp, int sub, char *out, size_t cap,
		const char **why)
{
	const char *p;
	size_t n;
	ef_hl7_get(s, field, rep, comp, sub, &p, &n);
	if (n == 2 && p[0] == '"' && p[1] == '"')
		n = 0; /* HL7's explicit null */
	int whole;
	const char *fp;
	size_t fn;
	field_span(s, field, &fp, &fn, &whole);
	if (whole) { /* MSH-1, MSH-2: the characters themselves */
		if (n + 1 > cap) {
			*why = "too long";
			return -1;
		}
		memcpy(out, p, n);
		out[n] = '\0';
		return 0;
	}
	if (cap == 0) {
		*why = "too long";
		return -1;
	}
	/* decoding never lengthens: decode into a scratch copy when it might
	 * not fit, so a value is refused, never cut */
	if (n + 1 <= cap) {
		size_t ol;
		return ef_hl7_unescape(&s->enc, p, n, out, &ol, why);
	}
	char *tmp = malloc(n + 1);
	if (!tmp) {
		*why = "out of memory";
		return -1;
	}
	size_t ol;
	int rc = ef_hl7_unescape(&s->enc, p, n, tmp, &ol, why);
	if (rc == 0 && ol + 1 > cap) {
		*why = "too long";
		rc = -1;
	}
	if (rc == 0)
		memcpy(out, tmp, ol + 1);
	free(tmp);
	return rc;
}

size_t ef_hl7_escape(const struct ef_hl7_enc *enc, const char *in, char *out, size_t cap)
{
	size_t o = 0;
#define PUT(ch)                      \
	do {                         \
		if (o + 1 < cap)     \
			out[o] = (ch); \
		o++;                 \
	} while (0)
	for (const char *p = in; *p; p++) {
		char c = *p, letter = 0;
		if (c == enc->field)
			letter = 'F';
		else if (c == enc->comp)
			letter = 'S';
		else if (c == enc->sub)
			letter = 'T';
		else if (c == enc->rep)
			letter = 'R';
		else if (c == enc->esc)
			letter = 'E';
		if (letter) {
			PUT(enc->esc);
			PUT(letter);
			PUT(enc->esc);
		} else if (c == '\r' || c == '\n') {
			if (c == '\r' && p[1] == '\n')
				p++;
			PUT(enc->esc);
			PUT('.');
			PUT('b');
			PUT('r');
			PUT(enc->esc);
		} else {
			PUT(c);
		}
	}
#undef PUT
	if (cap) {
		if (o < cap)
			out[o] = '\0';
		else
			out[cap - 1] = '\0';
	}
	return o;
}
