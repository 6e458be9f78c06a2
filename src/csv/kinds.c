/* kinds.c - the CSV side of each record kind (docs/formats.md s.4): its
 * header, required cells, multi-line cells, limits in bytes and natural key,
 * taken at compile time from the COL lines of the kind's one description in
 * the store (engraft/columns.h; the DB lines are the store's own). The
 * header check, the export header, the import's cell limits and the key
 * named in its messages all follow from it. Adding a column: its line
 * there, its validation in the kind's row_* function of import.c, and a
 * migration (docs/architecture.md). */
#include <stdio.h>
#include <string.h>

#include "engraft/columns.h"
#include "engraft/csvio.h"
#include "kinds.h"

#define DESC(n, p, f, x) {(n), ((f) & SC_REQ) != 0, ((f) & SC_MULTI) != 0, (x), ((f) & SC_KEY) != 0},
#define NAME(n, p, f, x) (n),
#define REQ(n, p, f, x) ((f) & SC_REQ) != 0,
#define NONE(n, p, f)
#define TABLES(ID, name, table, what) \
	static const struct col_desc ID##_desc[] = {STORE_COLUMNS_##ID(DESC, NONE)}; \
	static const char *const ID##_cols[] = {STORE_COLUMNS_##ID(NAME, NONE)}; \
	static const unsigned char ID##_req[] = {STORE_COLUMNS_##ID(REQ, NONE)};
STORE_KINDS(TABLES)

#define KIND(ID, name, table, what) \
	[STORE_K_##ID] = {(name), ID##_cols, ID##_req, ID##_desc, sizeof ID##_cols / sizeof ID##_cols[0]},
const struct kind_desc ef_kinds[STORE_K_COUNT] = {STORE_KINDS(KIND)};

const char *ef_kind_name(enum store_kind k)
{
	return (unsigned)k < STORE_K_COUNT ? ef_kinds[k].name : "";
}

int ef_kind_parse(const char *name, enum store_kind *out)
{
	for (int i = 0; i < STORE_K_COUNT; i++)
		if (strcmp(ef_kinds[i].name, name) == 0) {
			*out = (enum store_kind)i;
			return 0;
		}
	return -1;
}

void ef_kind_key(enum store_kind k, char *out, size_t size)
{
	size_t o = 0;
	out[0] = '\0';
	for (size_t i = 0; (unsigned)k < STORE_K_COUNT && i < ef_kinds[k].ncol; i++) {
		const struct col_desc *c = &ef_kinds[k].desc[i];
		if (!c->key)
			continue;
		int w = snprintf(out + o, size - o, "%s%s", o ? "," : "", c->name);
		if (w < 0 || (size_t)w >= size - o)
			break;
		o += (size_t)w;
	}
}
