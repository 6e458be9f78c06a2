/* theme.c - colours and attributes by role, allocated in one place.
 * With NO_COLOR set (any non-empty value) or a terminal without colours,
 * roles fall back to bold, reverse, underline and dim. */
#include <string.h>

#include "tui_int.h"

struct role_def {
	short fg, bg;   /* -1: terminal default */
	attr_t color_attr;
	attr_t mono;
};

static const struct role_def roles[R_COUNT] = {
	[R_NORMAL] = {-1, -1, A_NORMAL, A_NORMAL},
	[R_TITLE] = {COLOR_WHITE, COLOR_BLUE, A_BOLD, A_REVERSE | A_BOLD},
	[R_BAR_KEY] = {COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE | A_BOLD},
	[R_BAR_LABEL] = {-1, -1, A_NORMAL, A_NORMAL},
	[R_STATUS] = {-1, -1, A_NORMAL, A_NORMAL},
	[R_STATUS_OK] = {COLOR_GREEN, -1, A_BOLD, A_BOLD},
	[R_STATUS_ERROR] = {COLOR_WHITE, COLOR_RED, A_BOLD, A_BOLD | A_REVERSE},
	[R_HEADER] = {COLOR_BLACK, COLOR_GREEN, A_NORMAL, A_UNDERLINE | A_BOLD},
	[R_SELECTED] = {COLOR_BLACK, COLOR_CYAN, A_NORMAL, A_REVERSE},
	[R_CRITICAL] = {COLOR_RED, -1, A_BOLD, A_BOLD | A_UNDERLINE},
	[R_WARNING] = {COLOR_YELLOW, -1, A_BOLD, A_BOLD},
	[R_INFO] = {COLOR_CYAN, -1, A_NORMAL, A_NORMAL},
	[R_GOOD] = {COLOR_GREEN, -1, A_NORMAL, A_NORMAL},
	[R_DIM] = {-1, -1, A_DIM, A_DIM},
	[R_FIELD] = {-1, -1, A_UNDERLINE, A_UNDERLINE},
	[R_FIELD_CURRENT] = {COLOR_BLACK, COLOR_WHITE, A_NORMAL, A_REVERSE},
	[R_INVALID] = {COLOR_RED, -1, A_BOLD, A_BOLD},
	[R_DUE] = {COLOR_GREEN, -1, A_BOLD, A_BOLD},
	[R_OVERDUE] = {COLOR_RED, -1, A_BOLD, A_BOLD | A_UNDERLINE},
	[R_BLOCKED] = {COLOR_MAGENTA, -1, A_NORMAL, A_DIM},
	[R_UPCOMING] = {-1, -1, A_NORMAL, A_NORMAL},
	[R_LOW] = {COLOR_YELLOW, -1, A_BOLD, A_BOLD},
	[R_SEARCH] = {COLOR_YELLOW, -1, A_BOLD, A_BOLD},
	[R_SECTION] = {COLOR_CYAN, -1, A_BOLD, A_BOLD},
	[R_POPUP] = {-1, -1, A_NORMAL, A_NORMAL},
};

static attr_t attrs[R_COUNT];
static int mono_mode = 1;

void theme_init(int mono)
{
	mono_mode = mono || !has_colors();
	if (!mono_mode && start_color() != OK)
		mono_mode = 1;
	if (!mono_mode)
		use_default_colors();
	for (int r = 0; r < R_COUNT; r++) {
		const struct role_def *d = &roles[r];
		if (mono_mode) {
			attrs[r] = d->mono;
			continue;
		}
		if (d->fg == -1 && d->bg == -1) {
			attrs[r] = d->color_attr;
			continue;
		}
		short pair = (short)(r + 1);
		if (pair >= COLOR_PAIRS || init_pair(pair, d->fg, d->bg) != OK) {
			attrs[r] = d->mono;
			continue;
		}
		attrs[r] = COLOR_PAIR(pair) | d->color_attr;
	}
}

enum role tui_severity_role(enum ef_severity s)
{
	switch (s) {
	case EF_SEV_CRITICAL:
		return R_CRITICAL;
	case EF_SEV_WARNING:
		return R_WARNING;
	case EF_SEV_INFO:
		break;
	}
	return R_INFO;
}

attr_t gvhd_attr(enum ef_gvhd_class c, attr_t none_attr)
{
	switch (c) {
	case EF_GVHD_SEVERE:
		return tui_attr(R_CRITICAL);
	case EF_GVHD_PRESENT:
		return tui_attr(R_WARNING);
	case EF_GVHD_NONE:
		break;
	}
	return none_attr;
}

attr_t tui_attr(enum role r)
{
	return (unsigned)r < R_COUNT ? attrs[r] : A_NORMAL;
}


/* What fixed text says about colours, and what it says instead without
 * them (NO_COLOR: roles are bold, underline, reverse). Longest first. */
static const struct {
	const char *colour, *mono;
} colour_words[] = {
	{"explained in red", "explained and highlighted"},
	{"marked in red", "highlighted"},
	{"shown in red", "highlighted"},
	{"in red", "highlighted"},
	{"coloured by", "marked by"},
};

const char *tui_colour_words(const char *text, char *buf, size_t size)
{
	if (!mono_mode || !text || size == 0)
		return text;
	size_t o = 0;
	const char *p = text;
	while (*p && o + 1 < size) {
		size_t i;
		for (i = 0; i < NELEM(colour_words); i++)
			if (strncmp(p, colour_words[i].colour, strlen(colour_words[i].colour)) == 0)
				break;
		if (i < NELEM(colour_words)) {
			size_t n = strlen(colour_words[i].mono);
			if (o + n + 1 > size)
				return text; /* never cut: the original words rather than half of them */
			memcpy(buf + o, colour_words[i].mono, n);
			o += n;
			p += strlen(colour_words[i].colour);
			continue;
		}
		buf[o++] = *p++;
	}
	if (*p)
		return text;
	buf[o] = '\0';
	return buf;
}
