/* kinds.h - internal table of CSV kinds (src/csv only). */
#ifndef ENGRAFT_CSV_KINDS_H
#define ENGRAFT_CSV_KINDS_H

#include <stddef.h>

#include "engraft/store.h"

struct kind_desc {
	const char *name;
	const char *const *cols;
	const unsigned char *req;
	size_t ncol;
};

extern const struct kind_desc ef_kinds[STORE_K_COUNT];

#endif
