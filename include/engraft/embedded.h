/* embedded.h - files compiled into the binary: schema migrations and the
 * default assets (generated at build time by src/tools/embed.c). */
#ifndef ENGRAFT_EMBEDDED_H
#define ENGRAFT_EMBEDDED_H

#include <stddef.h>

struct ef_blob {
	const char *name; /* base name, e.g. "001_init.sql" */
	const char *data; /* NUL-terminated contents */
	size_t len;
};

/* Both arrays end with an entry whose name is NULL; sorted by name. */
extern const struct ef_blob ef_migrations[];
extern const struct ef_blob ef_assets[];

#endif
