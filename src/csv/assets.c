/* assets.c - the reference CSV files of assets/ in the database: the
 * copies compiled into the program, or a site's edited files
 * (src/csv/reference.c reads and validates them). */
#include "engraft/csvio.h"
#include "engraft/refstore.h"

int ef_load_assets(struct store *s, const char *dir, struct ef_err *err)
{
	int rc = store_begin(s, err);
	if (rc)
		return rc;
	if ((rc = ef_load_reference(s, dir, err))) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s, err);
}

int ef_ensure_assets(struct store *s, struct ef_err *err)
{
	return ef_ensure_reference(s, err);
}
