/* staff.h - the staff list and signatures in the database (schema/008_staff.sql).
 * Who may do what is core's table (access.h); this keeps who is who. */
#ifndef ENGRAFT_STAFF_H
#define ENGRAFT_STAFF_H

#include <stdint.h>

#include "engraft/access.h"
#include "engraft/error.h"
#include "engraft/store.h"

#define STORE_LOGIN_MAX 32
#define STORE_STAFF_NAME_MAX 127
#define STORE_STAFF_TITLE_MAX 63

struct store_staff {
	char login[STORE_LOGIN_MAX + 1];
	char name[STORE_STAFF_NAME_MAX + 1];
	char title[STORE_STAFF_TITLE_MAX + 1]; /* "" when none */
	enum ef_role role;
	int active;
	char added_at[32], added_by[STORE_LOGIN_MAX + 1];
};

/* Whether the machine has a user account named login (getpwnam). */
int store_login_exists(const char *login);

/* The row of `login`: *found 0 when it is not on the list. */
int store_staff_get(struct store *s, const char *login, struct store_staff *out, int *found, struct ef_err *err);
/* Add a login (inside the caller's transaction); EF_INVALID when it is on
 * the list already. added_at/added_by are the store's time and user. */
int store_staff_add(struct store *s, const struct store_staff *st, struct ef_err *err);
/* Change a listed login's role or active flag; EF_INVALID when unlisted. */
int store_staff_set_role(struct store *s, const char *login, enum ef_role role, struct ef_err *err);
int store_staff_set_active(struct store *s, const char *login, int active, struct ef_err *err);
/* The number of active admins (the last one cannot be removed). */
int store_staff_active_admins(struct store *s, long *n, struct ef_err *err);

typedef int (*store_staff_fn)(void *ctx, const struct store_staff *st, struct ef_err *err);
/* Every row, by login. */
int store_staff_each(struct store *s, store_staff_fn fn, void *ctx, struct ef_err *err);

/* What a signature is on: a record of a kind (enum store_kind) or an alert. */
#define STORE_SIGN_ALERT STORE_K_COUNT

/* An electronic signature (inside the caller's transaction): `who` signs
 * row `row_key` of a record kind (enum store_kind, not patients or
 * transplants) or of the alerts (STORE_SIGN_ALERT) with a meaning
 * ("acknowledged", "administered", "assessed", "entered in error"), at the
 * current UTC time. patient_id 0: none. */
int store_sign(struct store *s, const struct store_staff *who, int64_t patient_id, int what, int64_t row_key,
	       const char *meaning, struct ef_err *err);

#endif
