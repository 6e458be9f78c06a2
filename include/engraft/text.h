/* text.h - text that users type: what may be stored, and how it is shown.
 *
 * Every text engraft stores (CSV cells, names, reasons) is valid UTF-8
 * without control characters (C0, DEL, C1); only multi-line note fields
 * may hold TAB, CR and LF. Every message that quotes user input shows
 * non-printable bytes escaped (\xNN), so a stored or typed ESC sequence
 * can never act on the reader's terminal. Pure functions. */
#ifndef ENGRAFT_TEXT_H
#define ENGRAFT_TEXT_H

#include <stddef.h>

/* NULL when s[0..n) may be stored, else what is wrong ("contains a control
 * character", "is not valid UTF-8", "contains a NUL byte"). */
const char *ef_text_problem(const char *s, size_t n, int allow_newlines);

/* Copy s (NUL-terminated) into out, with every byte that is not printable
 * UTF-8 written as \xNN (a backslash as \\). Never cuts silently: when out
 * is too small the copy ends with "..." (out always NUL-terminated).
 * Returns out. */
char *ef_text_escape(const char *s, char *out, size_t size);

#endif
