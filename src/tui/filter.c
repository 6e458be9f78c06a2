/* filter.c - the typed filter of the alert list and the worklist (filter.h). */
#include "filter.h"

#include <string.h>

#include "tui_int.h"

int tui_filter_key(char *filter, size_t size, int key)
{
	size_t len = strlen(filter);
	if (key == K(KEY_BACKSPACE) || key == 127 || key == CTRL('h')) {
		if (len == 0)
			return 0;
		do /* one UTF-8 character */
			len--;
		while (len > 0 && ((unsigned char)filter[len] & 0xC0) == 0x80);
		filter[len] = '\0';
		return 1;
	}
	if (key == CTRL('u')) {
		if (!len)
			return 0;
		filter[0] = '\0';
		return 1;
	}
	if ((key & KF) || key < 0x20 || key == 0x7f || key > 0x10FFFF)
		return -1;
	char u[4];
	size_t n;
	unsigned c = (unsigned)key;
	if (c < 0x80) {
		u[0] = (char)c;
		n = 1;
	} else if (c < 0x800) {
		u[0] = (char)(0xC0 | (c >> 6));
		u[1] = (char)(0x80 | (c & 0x3F));
		n = 2;
	} else if (c < 0x10000) {
		u[0] = (char)(0xE0 | (c >> 12));
		u[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		u[2] = (char)(0x80 | (c & 0x3F));
		n = 3;
	} else {
		u[0] = (char)(0xF0 | (c >> 18));
		u[1] = (char)(0x80 | ((c >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((c >> 6) & 0x3F));
		u[3] = (char)(0x80 | (c & 0x3F));
		n = 4;
	}
	if (len + n >= size)
		return 0;
	memcpy(filter + len, u, n);
	filter[len + n] = '\0';
	return 1;
}

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* Whether the n bytes of word occur in text, ASCII case ignored. */
static int contains(const char *text, const char *word, size_t n)
{
	for (const char *t = text; *t; t++) {
		size_t i = 0;
		while (i < n && t[i] && lower((unsigned char)t[i]) == lower((unsigned char)word[i]))
			i++;
		if (i == n)
			return 1;
	}
	return 0;
}

int tui_filter_match(const char *filter, const char *const *texts, size_t n)
{
	const char *p = filter;
	for (;;) {
		while (*p == ' ')
			p++;
		if (!*p)
			return 1;
		size_t len = strcspn(p, " ");
		int found = 0;
		for (size_t i = 0; i < n && !found; i++)
			found = texts[i] && contains(texts[i], p, len);
		if (!found)
			return 0;
		p += len;
	}
}
