/* text.c - text users type: what may be stored, how it is shown (text.h). */
#include "engraft/text.h"

#include <stdint.h>
#include <string.h>

/* The multi-byte UTF-8 character at s (at most n bytes): its length, with
 * its code point in *cp, or 0 when it is not valid (overlong, surrogate,
 * beyond U+10FFFF, cut short). */
static size_t utf8_char(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t len;
	if (s[0] >= 0xC2 && s[0] <= 0xDF)
		len = 2, *cp = s[0] & 0x1F;
	else if (s[0] >= 0xE0 && s[0] <= 0xEF)
		len = 3, *cp = s[0] & 0x0F;
	else if (s[0] >= 0xF0 && s[0] <= 0xF4)
		len = 4, *cp = s[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (size_t k = 1; k < len; k++) {
		if ((s[k] & 0xC0) != 0x80)
			return 0;
		*cp = (*cp << 6) | (s[k] & 0x3F);
	}
	if ((len == 3 && (*cp < 0x800 || (*cp >= 0xD800 && *cp <= 0xDFFF))) ||
	    (len == 4 && (*cp < 0x10000 || *cp > 0x10FFFF)))
		return 0;
	return len;
}

static int c1_control(uint32_t cp)
{
	return cp >= 0x80 && cp < 0xA0;
}

/* UTF-8 validity (no overlongs, no surrogates) and control characters. */
const char *ef_text_problem(const char *s, size_t n, int allow_newlines)
{
	const unsigned char *u = (const unsigned char *)s;
	for (size_t i = 0; i < n;) {
		unsigned char c = u[i];
		if (c < 0x80) {
			if (c == 0)
				return "contains a NUL byte";
			if ((c < 0x20 && !(allow_newlines && (c == '\t' || c == '\n' || c == '\r'))) || c == 0x7f)
				return "contains a control character";
			i++;
			continue;
		}
		uint32_t cp;
		size_t len = utf8_char(u + i, n - i, &cp);
		if (!len)
			return "is not valid UTF-8";
		if (c1_control(cp))
			return "contains a control character";
		i += len;
	}
	return NULL;
}

/* Length of the valid, printable UTF-8 character at s, a NUL-terminated
 * string (0: not one). */
static size_t printable_char(const unsigned char *s)
{
	if (s[0] >= 0x20 && s[0] < 0x7f)
		return 1;
	uint32_t cp;
	size_t len = utf8_char(s, strnlen((const char *)s, 4), &cp);
	return len && !c1_control(cp) ? len : 0;
}

char *ef_text_escape(const char *s, char *out, size_t size)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;
	if (size == 0)
		return out;
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		char piece[8];
		size_t n = printable_char(p), plen;
		if (n && *p != '\\') {
			memcpy(piece, p, n);
			plen = n;
		} else if (*p == '\\') {
			piece[0] = piece[1] = '\\';
			plen = 2;
			n = 1;
		} else {
			piece[0] = '\\', piece[1] = 'x', piece[2] = hex[*p >> 4], piece[3] = hex[*p & 15];
			plen = 4;
			n = 1;
		}
		if (o + plen + 4 > size) { /* keep room for "..." and the NUL */
			if (o + 4 <= size)
				memcpy(out + o, "...", 3), o += 3;
			break;
		}
		memcpy(out + o, piece, plen);
		o += plen;
		p += n;
	}
	out[o < size ? o : size - 1] = '\0';
	return out;
}
