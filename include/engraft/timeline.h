/* timeline.h - one patient's clinical record, as the core sees it.
 *
 * The store fills a timeline (dates as ef_day, lab values canonical); the
 * core computes from it. No SQL or curses types appear here. Arrays are
 * owned by the timeline (ef_timeline_free) and sorted by the store by
 * date ascending, but core functions must not rely on that: they sort or
 * scan as needed, and must accept unsorted input. */
#ifndef ENGRAFT_TIMELINE_H
#define ENGRAFT_TIMELINE_H

#include <stddef.h>
#include <stdint.h>

#include "engraft/date.h"
#include "engraft/units.h"

enum ef_sex { EF_SEX_UNKNOWN = 0, EF_SEX_F, EF_SEX_M, EF_SEX_X };
/* EF_HCT_CELLULAR_THERAPY: CAR-T and other cellular therapies (issue 16
 * item 7; docs/clinical-rules.md s.20): a day 0 for the vaccine series, but
 * no engraftment (ef_hct_type_engrafts) and no restart of the HCT follow-up
 * sequence (followup.h). */
enum ef_hct_type { EF_HCT_AUTOLOGOUS = 0, EF_HCT_ALLOGENEIC, EF_HCT_SYNGENEIC, EF_HCT_CELLULAR_THERAPY, EF_HCT_COUNT };
enum ef_graft { EF_GRAFT_BONE_MARROW = 0, EF_GRAFT_PERIPHERAL_BLOOD, EF_GRAFT_CORD_BLOOD, EF_GRAFT_COUNT };
enum ef_donor { EF_DONOR_UNKNOWN = 0, EF_DONOR_SELF, EF_DONOR_RELATED, EF_DONOR_UNRELATED, EF_DONOR_HAPLO, EF_DONOR_COUNT };
enum ef_conditioning { EF_COND_UNKNOWN = 0, EF_COND_MYELOABLATIVE, EF_COND_REDUCED_INTENSITY, EF_COND_NONMYELOABLATIVE, EF_COND_COUNT };
enum ef_product { EF_PROD_PLATELETS = 0, EF_PROD_RED_CELLS, EF_PROD_PLASMA, EF_PROD_GRANULOCYTES, EF_PROD_COUNT };
/* A vital or follow-up status row (CSV kind status, schema 012). */
enum ef_status_kind {
	EF_ST_ALIVE = 0,
	EF_ST_RELAPSE,
	EF_ST_DECEASED,
	EF_ST_TRANSFERRED,
	EF_ST_LOST,
	EF_ST_RETURNED,
	EF_ST_COUNT
};

/* Names as written in CSV (docs/formats.md s.4). Parse returns 0 or -1. */
const char *ef_sex_str(enum ef_sex v);             /* "F", "M", "X", "" */
const char *ef_hct_type_str(enum ef_hct_type v);   /* "autologous", ..., "cellular_therapy" */
/* 1 when neutrophil/platelet engraftment applies to the type (a transplant
 * of stem cells), 0 for cellular_therapy: engraftment.h says not_applicable. */
int ef_hct_type_engrafts(enum ef_hct_type v);
const char *ef_graft_str(enum ef_graft v);         /* "bone_marrow", ... */
const char *ef_donor_str(enum ef_donor v);         /* "" for unknown */
const char *ef_conditioning_str(enum ef_conditioning v);
const char *ef_product_str(enum ef_product v);
const char *ef_status_kind_str(enum ef_status_kind v); /* "alive", ..., "lost_to_followup", "returned" */
int ef_sex_parse(const char *s, size_t n, enum ef_sex *out);
int ef_hct_type_parse(const char *s, size_t n, enum ef_hct_type *out);
int ef_graft_parse(const char *s, size_t n, enum ef_graft *out);
int ef_donor_parse(const char *s, size_t n, enum ef_donor *out);
int ef_conditioning_parse(const char *s, size_t n, enum ef_conditioning *out);
int ef_product_parse(const char *s, size_t n, enum ef_product *out);
int ef_status_kind_parse(const char *s, size_t n, enum ef_status_kind *out);

/* The same vocabularies by number, for code that handles several alike
 * (the store's readers, the importer): words and their order live here
 * only. An empty word (unknown sex, donor, conditioning) is not offered. */
enum ef_vocab { EF_V_SEX, EF_V_HCT_TYPE, EF_V_GRAFT, EF_V_DONOR, EF_V_CONDITIONING, EF_V_PRODUCT, EF_V_STATUS };
/* *out = the enum value of the word; 0, or -1 when it is not one. */
int ef_vocab_parse(enum ef_vocab v, const char *s, size_t n, int *out);
/* "autologous, allogeneic, syngeneic": the words, in order, for messages. */
const char *ef_vocab_words(enum ef_vocab v);

struct ef_patient {
	int64_t id;
	char mrn[64];
	char family_name[128];
	char given_name[128];
	ef_day birth;
	enum ef_sex sex;
	char diagnosis[128];
};

struct ef_transplant {
	int64_t id;
	ef_day day0;
	enum ef_hct_type type;
	enum ef_graft graft;
	enum ef_donor donor;
	enum ef_conditioning conditioning;
};

struct ef_lab {
	int64_t id;
	ef_day day;        /* calendar date of collection */
	int secs;          /* seconds since midnight, -1 if no time given */
	enum ef_test test;
	enum ef_qual qual;
	double value;      /* canonical unit (ef_test_canonical_unit) */
};

struct ef_transfusion {
	int64_t id;
	ef_day day;
	enum ef_product product;
};

/* One recorded vaccination. A CVX code may count toward several series
 * (combination vaccines); the store expands it through the cvx table into
 * one ef_dose per series, sharing vaccination_id. */
struct ef_dose {
	int64_t vaccination_id;
	ef_day day;
	char series[16];   /* series code: PCV, FLU, MMR, ... */
	char vaccine[16];  /* as recorded: series code or CVX code */
	int live;          /* the product given was a live vaccine */
	/* why it was given while the live-vaccine gate was closed ("" if no
	 * override was recorded: schema 006 vaccinations.override_reason) */
	char override_reason[201];
};

struct ef_gvhd_acute {
	int64_t id;
	ef_day day;
	int skin, liver, upper_gi, lower_gi; /* MAGIC stages */
};

struct ef_gvhd_chronic {
	int64_t id;
	ef_day day;
	int skin, mouth, eyes, gi, liver, lungs, joints, genital; /* NIH 0-3 */
};

struct ef_immunosuppression {
	int64_t id;
	char drug[64];
	ef_day start;
	ef_day stop;       /* EF_NO_DAY: ongoing */
};

struct ef_ivig {
	int64_t id;
	ef_day day;
	double dose_g;     /* < 0 when not recorded */
};

/* One vital or follow-up status row (CSV kind status). */
struct ef_status_row {
	int64_t id;
	ef_day day;
	enum ef_status_kind kind;
};

/* A follow-up time point done (CSV kind followups, schema 015). */
struct ef_followup_done {
	int64_t id;
	char item[24];
	char time_point[12];
	ef_day day;
};

struct ef_timeline {
	struct ef_patient patient;
	struct ef_transplant *transplants; size_t n_transplants;
	struct ef_lab *labs;               size_t n_labs;
	struct ef_transfusion *transfusions; size_t n_transfusions;
	struct ef_dose *doses;             size_t n_doses;
	struct ef_gvhd_acute *acute;       size_t n_acute;
	struct ef_gvhd_chronic *chronic;   size_t n_chronic;
	struct ef_immunosuppression *is;   size_t n_is;
	struct ef_ivig *ivig;              size_t n_ivig;
	struct ef_status_row *status;      size_t n_status;
	struct ef_followup_done *followups; size_t n_followups;
};

void ef_timeline_init(struct ef_timeline *tl);
/* Empty every array (keeping capacity is the caller's business: this frees). */
void ef_timeline_free(struct ef_timeline *tl);

/* The transplant that is day 0 on as_of: the latest with day0 <= as_of,
 * or NULL if none. */
const struct ef_transplant *ef_current_transplant(const struct ef_timeline *tl, ef_day as_of);

/* The earliest day after as_of of any record in the timeline (any date
 * column: transplants, labs, transfusions, doses, GVHD assessments,
 * immunosuppression starts and stops, IVIG, status rows, follow-ups done),
 * EF_DAY_NEVER when none: every evaluation as of a date ignores what is
 * dated later, so its result can change on that day. */
ef_day ef_timeline_next_record(const struct ef_timeline *tl, ef_day as_of);

#endif
