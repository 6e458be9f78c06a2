/* kinds.h - internal table of CSV kinds (src/csv only): each kind's CSV
 * columns, from its one description in the store (engraft/columns.h,
 * expanded by kinds.c). */
#ifndef ENGRAFT_CSV_KINDS_H
#define ENGRAFT_CSV_KINDS_H

#include <stddef.h>

#include "engraft/store.h"

struct col_desc {
	const char *name;
	unsigned char required;  /* an empty cell is an error */
	unsigned char multiline; /* free text: TAB, CR and LF allowed */
	unsigned short max;      /* bytes; longer is an error, never cut */
	unsigned char key;       /* part of the natural key */
};

struct kind_desc {
	const char *name;
	const char *const *cols;    /* the names, in export order (also in desc) */
	const unsigned char *req;   /* the required flags (also in desc) */
	const struct col_desc *desc;
	size_t ncol;
};

extern const struct kind_desc ef_kinds[STORE_K_COUNT];

/* The natural key's columns, comma-separated ("mrn,collected_on,test"). */
void ef_kind_key(enum store_kind k, char *out, size_t size);

#endif
