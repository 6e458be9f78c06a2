/* browse.c - read queries for the terminal screens (browse.h).
 *
 * Patient pages: keyset on (family_name, given_name, mrn), the order of the
 * patients_name index, so a page costs the same wherever it is. Filter
 * parameters: ?1 first word as a LIKE prefix pattern (NULL: no filter),
 * ?2 second word (NULL: one word); ?3 today (YYYY-MM-DD); ?4..?6 the key;
 * ?7 the limit; ?8 the care filter (P_CARE). */
#include "store_int.h"

#include <stdio.h>
#include <string.h>

#include "engraft/browse.h"

#define P_COLS                                                                                     \
	"SELECT p.id, p.mrn, p.family_name, p.given_name, "                                            \
	"(SELECT t.transplant_date FROM transplants t WHERE t.patient_id = p.id "                      \
	" AND t.transplant_date <= ?3 ORDER BY t.transplant_date DESC LIMIT 1), "                      \
	"(SELECT t.type FROM transplants t WHERE t.patient_id = p.id "                                 \
	" AND t.transplant_date <= ?3 ORDER BY t.transplant_date DESC LIMIT 1), "                      \
	"p.birth_date, p.diagnosis, "                                                                   \
	"(SELECT count(*) FROM alerts a WHERE a.status = 'open' AND a.patient_id = p.id), "            \
	"(SELECT min(CASE a.severity WHEN 'critical' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END) "       \
	" FROM alerts a WHERE a.status = 'open' AND a.patient_id = p.id), "                           \
	P_CARE " "                                                                                      \
	"FROM patients p "
/* Why the patient is not in care on ?3 (NULL: in care): 'deceased', or the
 * latest of transferred / lost_to_followup / returned when it is not
 * returned (on one day returned wins). The same rule as ef_vital_status
 * (engraft/vital.h), written in SQL so a page of the list can be filtered
 * by it (?8: NULL every patient, 'in_care', 'deceased'). */
#define P_CARE                                                                                     \
	"(CASE WHEN EXISTS (SELECT 1 FROM status x WHERE x.patient_id = p.id AND x.status = 'deceased' " \
	" AND x.recorded_on <= ?3 AND x.entered_in_error IS NULL) THEN 'deceased' ELSE "               \
	" (SELECT nullif(x.status, 'returned') FROM status x WHERE x.patient_id = p.id "                \
	"  AND x.status IN ('transferred', 'lost_to_followup', 'returned') AND x.recorded_on <= ?3 "    \
	"  AND x.entered_in_error IS NULL ORDER BY x.recorded_on DESC, x.status = 'returned' DESC LIMIT 1) END)"
#define P_FILTER                                                                                   \
	"(?1 IS NULL OR (?2 IS NULL AND (p.mrn LIKE ?1 ESCAPE '\\' OR p.family_name LIKE ?1 ESCAPE '\\' " \
	" OR p.given_name LIKE ?1 ESCAPE '\\')) "                                                       \
	" OR (?2 IS NOT NULL AND ((p.family_name LIKE ?1 ESCAPE '\\' AND p.given_name LIKE ?2 ESCAPE '\\') " \
	" OR (p.given_name LIKE ?1 ESCAPE '\\' AND p.family_name LIKE ?2 ESCAPE '\\')))) "               \
	"AND (?8 IS NULL OR (?8 = 'in_care' AND " P_CARE " IS NULL) OR (?8 = 'deceased' AND " P_CARE     \
	" = 'deceased'))"
/* With a filter: the patients whose MRN, family or given name starts with
 * the first word (?9 folded to lower case, ?10 the first string after every
 * such prefix) come from the NOCASE indexes of schema 020, a few rows
 * instead of a walk through the whole name index; P_FILTER still decides. */
#define P_CAND                                                                                     \
	" AND p.id IN (SELECT id FROM patients WHERE mrn >= ?9 COLLATE NOCASE AND mrn < ?10 COLLATE NOCASE " \
	"UNION ALL SELECT id FROM patients WHERE family_name >= ?9 COLLATE NOCASE "                        \
	" AND family_name < ?10 COLLATE NOCASE "                                                          \
	"UNION ALL SELECT id FROM patients WHERE given_name >= ?9 COLLATE NOCASE "                         \
	" AND given_name < ?10 COLLATE NOCASE)"
#define P_ASC " ORDER BY p.family_name, p.given_name, p.mrn LIMIT ?7"
#define P_DESC " ORDER BY p.family_name DESC, p.given_name DESC, p.mrn DESC LIMIT ?7"

static const char sql_first[] = P_COLS "WHERE " P_FILTER P_ASC;
static const char sql_last[] = P_COLS "WHERE " P_FILTER P_DESC;
static const char sql_from[] =
	P_COLS "WHERE " P_FILTER " AND (p.family_name, p.given_name, p.mrn) >= (?4, ?5, ?6)" P_ASC;
static const char sql_after[] =
	P_COLS "WHERE " P_FILTER " AND (p.family_name, p.given_name, p.mrn) > (?4, ?5, ?6)" P_ASC;
static const char sql_before[] =
	P_COLS "WHERE " P_FILTER " AND (p.family_name, p.given_name, p.mrn) < (?4, ?5, ?6)" P_DESC;
static const char sql_count[] = "SELECT count(*) FROM patients p WHERE " P_FILTER;
/* the same with P_CAND */
static const char sqlc_first[] = P_COLS "WHERE " P_FILTER P_CAND P_ASC;
static const char sqlc_last[] = P_COLS "WHERE " P_FILTER P_CAND P_DESC;
static const char sqlc_from[] =
	P_COLS "WHERE " P_FILTER P_CAND " AND (p.family_name, p.given_name, p.mrn) >= (?4, ?5, ?6)" P_ASC;
static const char sqlc_after[] =
	P_COLS "WHERE " P_FILTER P_CAND " AND (p.family_name, p.given_name, p.mrn) > (?4, ?5, ?6)" P_ASC;
static const char sqlc_before[] =
	P_COLS "WHERE " P_FILTER P_CAND " AND (p.family_name, p.given_name, p.mrn) < (?4, ?5, ?6)" P_DESC;
static const char sqlc_count[] = "SELECT count(*) FROM patients p WHERE " P_FILTER P_CAND;

/* Split the filter into at most two words and turn each into a LIKE prefix
 * pattern (\ escapes % _ and \). */
struct filter {
	char w[2][200];
	int n;
	char lo[200], hi[200]; /* P_CAND's range of the first word ("": none) */
};

static void parse_filter(const char *f, struct filter *out)
{
	out->n = 0;
	if (!f)
		return;
	while (*f && out->n < 2) {
		while (*f == ' ' || *f == ',' || *f == '\t')
			f++;
		if (!*f)
			break;
		char *w = out->w[out->n];
		size_t k = 0;
		while (*f && *f != ' ' && *f != ',' && *f != '\t') {
			if (k + 3 < sizeof out->w[0]) {
				if (*f == '%' || *f == '_' || *f == '\\')
					w[k++] = '\\';
				w[k++] = *f;
			}
			f++;
		}
		w[k++] = '%';
		w[k] = '\0';
		out->n++;
	}
	/* the first word as typed, ASCII folded as NOCASE and LIKE fold it */
	out->lo[0] = out->hi[0] = '\0';
	if (out->n) {
		size_t k = 0;
		for (const char *c = out->w[0]; *c && c[1]; c++) { /* up to the '%' */
			if (*c == '\\')
				c++;
			out->lo[k++] = (*c >= 'A' && *c <= 'Z') ? (char)(*c - 'A' + 'a') : *c;
		}
		out->lo[k] = '\0';
		memcpy(out->hi, out->lo, k + 1);
		if (k == 0 || (unsigned char)out->hi[k - 1] == 0xff)
			out->lo[0] = out->hi[0] = '\0'; /* no range: the plain walk */
		else
			out->hi[k - 1] = (char)((unsigned char)out->hi[k - 1] + 1);
	}
}

static void bind_filter(sqlite3_stmt *st, const struct filter *f, enum browse_care care, ef_day today)
{
	static const char *const care_word[] = {NULL, "in_care", "deceased"};
	char t[11];
	ef_date_format(today, t);
	sqlite3_bind_text(st, 3, t, -1, SQLITE_TRANSIENT);
	if ((unsigned)care < 3 && care_word[care])
		sqlite3_bind_text(st, 8, care_word[care], -1, SQLITE_STATIC);
	if (f->n >= 1)
		sqlite3_bind_text(st, 1, f->w[0], -1, SQLITE_TRANSIENT);
	if (f->n >= 2)
		sqlite3_bind_text(st, 2, f->w[1], -1, SQLITE_TRANSIENT);
	if (f->lo[0]) {
		sqlite3_bind_text(st, 9, f->lo, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 10, f->hi, -1, SQLITE_TRANSIENT);
	}
}

static void copy_col(char *dst, size_t size, sqlite3_stmt *st, int col)
{
	const char *v = (const char *)sqlite3_column_text(st, col);
	snprintf(dst, size, "%s", v ? v : "");
}

void browse_key_of(const struct browse_patient *p, struct browse_key *k)
{
	snprintf(k->family_name, sizeof k->family_name, "%s", p->family_name);
	snprintf(k->given_name, sizeof k->given_name, "%s", p->given_name);
	snprintf(k->mrn, sizeof k->mrn, "%s", p->mrn);
}

int browse_patients(struct store *s, const char *filter, enum browse_care care, ef_day today, enum browse_dir dir,
		    const struct browse_key *key, struct browse_patient *out, int max, int *n, struct ef_err *err)
{
	const char *sql;
	*n = 0;
	if (max <= 0)
		return EF_OK;
	struct filter f;
	parse_filter(filter, &f);
	const int c = f.lo[0] != '\0';
	if (!key)
		sql = dir == BROWSE_BEFORE ? (c ? sqlc_last : sql_last) : (c ? sqlc_first : sql_first);
	else if (dir == BROWSE_FROM)
		sql = c ? sqlc_from : sql_from;
	else
		sql = dir == BROWSE_AFTER ? (c ? sqlc_after : sql_after) : (c ? sqlc_before : sql_before);
	sqlite3_stmt *st = store_stmt(s, sql, err);
	if (!st)
		return EF_DB;
	bind_filter(st, &f, care, today);
	if (key) {
		sqlite3_bind_text(st, 4, key->family_name, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, key->given_name, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 6, key->mrn, -1, SQLITE_STATIC);
	}
	sqlite3_bind_int(st, 7, max);
	int r;
	while ((r = sqlite3_step(st)) == SQLITE_ROW && *n < max) {
		struct browse_patient *p = &out[*n];
		memset(p, 0, sizeof *p);
		p->id = sqlite3_column_int64(st, 0);
		copy_col(p->mrn, sizeof p->mrn, st, 1);
		copy_col(p->family_name, sizeof p->family_name, st, 2);
		copy_col(p->given_name, sizeof p->given_name, st, 3);
		const char *d0 = (const char *)sqlite3_column_text(st, 4);
		if (!d0 || ef_date_parse(d0, strlen(d0), &p->day0))
			p->day0 = EF_NO_DAY;
		copy_col(p->type, sizeof p->type, st, 5);
		const char *b = (const char *)sqlite3_column_text(st, 6);
		if (!b || ef_date_parse(b, strlen(b), &p->birth))
			p->birth = EF_NO_DAY;
		copy_col(p->diagnosis, sizeof p->diagnosis, st, 7);
		p->alerts_open = sqlite3_column_int(st, 8);
		p->alerts_worst = sqlite3_column_type(st, 9) == SQLITE_NULL ? -1 : sqlite3_column_int(st, 9);
		copy_col(p->care, sizeof p->care, st, 10);
		(*n)++;
	}
	if (r != SQLITE_ROW && r != SQLITE_DONE) {
		int rc = store_dberr(s, err, "list patients");
		sqlite3_reset(st);
		*n = 0;
		return rc;
	}
	sqlite3_reset(st);
	if (dir == BROWSE_BEFORE) { /* fetched descending: turn round */
		for (int i = 0, j = *n - 1; i < j; i++, j--) {
			struct browse_patient tmp = out[i];
			out[i] = out[j];
			out[j] = tmp;
		}
	}
	return EF_OK;
}

int browse_patient_count(struct store *s, const char *filter, enum browse_care care, ef_day today, int64_t *n,
			 struct ef_err *err)
{
	struct filter f;
	parse_filter(filter, &f);
	sqlite3_stmt *st = store_stmt(s, f.lo[0] ? sqlc_count : sql_count, err);
	if (!st)
		return EF_DB;
	bind_filter(st, &f, care, today);
	int r = sqlite3_step(st);
	if (r != SQLITE_ROW) {
		int rc = store_dberr(s, err, "count patients");
		sqlite3_reset(st);
		return rc;
	}
	*n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return EF_OK;
}

int browse_lab_existing(struct store *s, int64_t patient_id, const char *collected_on, const char *test,
			char value[48], char unit[32], int *found, struct ef_err *err)
{
	static const char sql[] =
		"SELECT value, unit FROM lab_results WHERE patient_id = ?1 AND collected_on = ?2 AND test = ?3";
	sqlite3_stmt *st = store_stmt(s, sql, err);
	if (!st)
		return EF_DB;
	sqlite3_bind_int64(st, 1, patient_id);
	store_bind_text(st, 2, collected_on);
	store_bind_text(st, 3, test);
	int r = sqlite3_step(st);
	*found = 0;
	value[0] = unit[0] = '\0';
	if (r == SQLITE_ROW) {
		*found = 1;
		copy_col(value, 48, st, 0);
		copy_col(unit, 32, st, 1);
	} else if (r != SQLITE_DONE) {
		int rc = store_dberr(s, err, "look up lab result");
		sqlite3_reset(st);
		return rc;
	}
	sqlite3_reset(st);
	return EF_OK;
}

int browse_records(struct store *s, int64_t patient_id, struct browse_record *out, int max, int *n, int *more,
		   struct ef_err *err)
{
	static const char sql[] =
		"SELECT k, id, d, what, eie FROM ("
		"SELECT 2 AS k, id, collected_on AS d, test || ' ' || value || ' ' || unit AS what, "
		"entered_in_error AS eie FROM lab_results WHERE patient_id = ?1 "
		"UNION ALL SELECT 4, id, given_on, vaccine || coalesce(' lot ' || lot, '') || ', ' || source, "
		"entered_in_error FROM vaccinations WHERE patient_id = ?1 "
		"UNION ALL SELECT 5, id, assessed_on, 'acute GVHD grade ' || grade, entered_in_error FROM gvhd_acute "
		"WHERE patient_id = ?1 "
		"UNION ALL SELECT 6, id, assessed_on, 'chronic GVHD ' || severity, entered_in_error FROM gvhd_chronic "
		"WHERE patient_id = ?1 "
		"UNION ALL SELECT 3, id, given_on, product, entered_in_error FROM transfusions "
		"WHERE patient_id = ?1 "
		"UNION ALL SELECT 7, id, started_on, drug || ' started' || coalesce(', stopped ' || stopped_on, ''), "
		"entered_in_error FROM immunosuppression WHERE patient_id = ?1 "
		"UNION ALL SELECT 8, id, given_on, dose_g || ' g', entered_in_error FROM ivig "
		"WHERE patient_id = ?1) ORDER BY d DESC, k, what LIMIT ?2";
	_Static_assert(STORE_K_LABS == 2 && STORE_K_TRANSFUSIONS == 3 && STORE_K_VACCINATIONS == 4 &&
			       STORE_K_GVHD_ACUTE == 5 && STORE_K_GVHD_CHRONIC == 6 && STORE_K_IMMUNOSUPPRESSION == 7 &&
			       STORE_K_IVIG == 8,
		       "browse_records' kind numbers");
	sqlite3_stmt *st = store_stmt(s, sql, err);
	if (!st)
		return EF_DB;
	sqlite3_bind_int64(st, 1, patient_id);
	sqlite3_bind_int(st, 2, max + 1);
	*n = 0;
	*more = 0;
	int r;
	while ((r = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == max) {
			*more = 1;
			continue;
		}
		struct browse_record *b = &out[(*n)++];
		b->kind = (enum store_kind)sqlite3_column_int(st, 0);
		b->id = sqlite3_column_int64(st, 1);
		copy_col(b->on, sizeof b->on, st, 2);
		copy_col(b->what, sizeof b->what, st, 3);
		copy_col(b->eie, sizeof b->eie, st, 4);
	}
	if (r != SQLITE_DONE) {
		int rc = store_dberr(s, err, "read the patient's records");
		sqlite3_reset(st);
		return rc;
	}
	sqlite3_reset(st);
	return EF_OK;
}

int store_mark_entered_in_error(struct store *s, enum store_kind kind, int64_t id, int64_t patient_id,
				const char *reason, struct ef_err *err)
{
	static const char *const sql[STORE_K_COUNT] = {
		[STORE_K_LABS] = "UPDATE lab_results SET entered_in_error = ?3 WHERE id = ?1 AND patient_id = ?2",
		[STORE_K_TRANSFUSIONS] = "UPDATE transfusions SET entered_in_error = ?3 WHERE id = ?1 AND patient_id = ?2",
		[STORE_K_VACCINATIONS] = "UPDATE vaccinations SET entered_in_error = ?3 WHERE id = ?1 AND patient_id = ?2",
		[STORE_K_GVHD_ACUTE] = "UPDATE gvhd_acute SET entered_in_error = ?3 WHERE id = ?1 AND patient_id = ?2",
		[STORE_K_GVHD_CHRONIC] = "UPDATE gvhd_chronic SET entered_in_error = ?3 WHERE id = ?1 AND patient_id = ?2",
		[STORE_K_IMMUNOSUPPRESSION] =
			"UPDATE immunosuppression SET entered_in_error = ?3 WHERE id = ?1 AND patient_id = ?2",
		[STORE_K_IVIG] = "UPDATE ivig SET entered_in_error = ?3 WHERE id = ?1 AND patient_id = ?2",
	};
	size_t len = reason ? strlen(reason) : 0;
	if (len == 0)
		return ef_errf(err, EF_INVALID, "entered in error: a reason is required");
	if (len > STORE_EIE_MAX)
		return ef_errf(err, EF_INVALID, "entered in error: the reason is too long (%zu bytes, at most %d)", len,
			       STORE_EIE_MAX);
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)reason[i] < 0x20 || reason[i] == 0x7f)
			return ef_errf(err, EF_INVALID, "entered in error: the reason contains a control character");
	if ((unsigned)kind >= STORE_K_COUNT || !sql[kind])
		return ef_errf(err, EF_INVALID, "entered in error: not a kind of record that can be marked");
	sqlite3_stmt *st = store_stmt(s, sql[kind], err);
	if (!st)
		return EF_DB;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, patient_id);
	store_bind_text(st, 3, reason);
	int rc = store_exec_stmt(s, st, err, "mark entered in error");
	if (rc)
		return rc;
	if (sqlite3_changes(s->db) != 1)
		return ef_errf(err, EF_INVALID, "entered in error: the patient has no such record");
	return EF_OK;
}
