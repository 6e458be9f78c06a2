/* timeline.c - enum spellings of the CSV contract, and timeline helpers. */
#include "engraft/timeline.h"

#include <stdlib.h>
#include <string.h>

static const char *const sex_s[] = {"", "F", "M", "X"};
static const char *const hct_s[] = {"autologous", "allogeneic", "syngeneic", "cellular_therapy"};
_Static_assert(sizeof hct_s / sizeof hct_s[0] == EF_HCT_COUNT, "one word per transplant type");
/* a cellular therapy (CAR-T) infuses no stem cells: nothing engrafts */
static const unsigned char hct_engrafts[EF_HCT_COUNT] = {1, 1, 1, 0};
static const char *const graft_s[] = {"bone_marrow", "peripheral_blood", "cord_blood"};
static const char *const donor_s[] = {"", "self", "related", "unrelated", "haploidentical"};
static const char *const cond_s[] = {"", "myeloablative", "reduced_intensity", "nonmyeloablative"};
static const char *const prod_s[] = {"platelets", "red_cells", "plasma", "granulocytes"};
static const char *const status_s[] = {"alive",       "relapse",          "deceased",
				       "transferred", "lost_to_followup", "returned"};
_Static_assert(sizeof status_s / sizeof status_s[0] == EF_ST_COUNT, "one word per status");

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

int ef_hct_type_engrafts(enum ef_hct_type v)
{
	return (unsigned)v < EF_HCT_COUNT && hct_engrafts[v];
}

static int lookup(const char *const *tab, size_t n, const char *s, size_t len)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(tab[i]) == len && memcmp(tab[i], s, len) == 0)
			return (int)i;
	return -1;
}

#define ENUM_FUNCS(type, name, tab)                                          \
	const char *ef_##name##_str(enum type v)                                 \
	{                                                                        \
		return (unsigned)v < NELEM(tab) ? tab[v] : "";                       \
	}                                                                        \
	int ef_##name##_parse(const char *s, size_t n, enum type *out)           \
	{                                                                        \
		int i = lookup(tab, NELEM(tab), s, n);                               \
		if (i < 0)                                                           \
			return -1;                                                       \
		*out = (enum type)i;                                                 \
		return 0;                                                            \
	}

ENUM_FUNCS(ef_sex, sex, sex_s)
ENUM_FUNCS(ef_hct_type, hct_type, hct_s)
ENUM_FUNCS(ef_graft, graft, graft_s)
ENUM_FUNCS(ef_donor, donor, donor_s)
ENUM_FUNCS(ef_conditioning, conditioning, cond_s)
ENUM_FUNCS(ef_product, product, prod_s)
ENUM_FUNCS(ef_status_kind, status_kind, status_s)

static const struct {
	const char *const *tab;
	size_t n;
} vocabs[] = {
	[EF_V_SEX] = {sex_s, NELEM(sex_s)},
	[EF_V_HCT_TYPE] = {hct_s, NELEM(hct_s)},
	[EF_V_GRAFT] = {graft_s, NELEM(graft_s)},
	[EF_V_DONOR] = {donor_s, NELEM(donor_s)},
	[EF_V_CONDITIONING] = {cond_s, NELEM(cond_s)},
	[EF_V_PRODUCT] = {prod_s, NELEM(prod_s)},
	[EF_V_STATUS] = {status_s, NELEM(status_s)},
};

int ef_vocab_parse(enum ef_vocab v, const char *s, size_t n, int *out)
{
	if ((unsigned)v >= NELEM(vocabs) || n == 0)
		return -1;
	int i = lookup(vocabs[v].tab, vocabs[v].n, s, n);
	if (i < 0)
		return -1;
	*out = i;
	return 0;
}

const char *ef_vocab_words(enum ef_vocab v)
{
	static char words[NELEM(vocabs)][128]; /* made from the tables once */
	if ((unsigned)v >= NELEM(vocabs))
		return "";
	if (!words[v][0]) {
		size_t o = 0;
		for (size_t i = 0; i < vocabs[v].n; i++) {
			size_t len = strlen(vocabs[v].tab[i]);
			if (!len || o + len + 3 > sizeof words[v])
				continue;
			if (o)
				memcpy(words[v] + o, ", ", 2), o += 2;
			memcpy(words[v] + o, vocabs[v].tab[i], len);
			o += len;
		}
		words[v][o] = '\0';
	}
	return words[v];
}

void ef_timeline_init(struct ef_timeline *tl)
{
	memset(tl, 0, sizeof *tl);
}

void ef_timeline_free(struct ef_timeline *tl)
{
	free(tl->transplants);
	free(tl->labs);
	free(tl->transfusions);
	free(tl->doses);
	free(tl->acute);
	free(tl->chronic);
	free(tl->is);
	free(tl->ivig);
	free(tl->status);
	free(tl->followups);
	ef_timeline_init(tl);
}

const struct ef_transplant *ef_current_transplant(const struct ef_timeline *tl, ef_day as_of)
{
	const struct ef_transplant *best = NULL;
	for (size_t i = 0; i < tl->n_transplants; i++) {
		const struct ef_transplant *t = &tl->transplants[i];
		if (t->day0 <= as_of && (!best || t->day0 > best->day0))
			best = t;
	}
	return best;
}

ef_day ef_timeline_next_record(const struct ef_timeline *tl, ef_day as_of)
{
	ef_day nc = EF_DAY_NEVER;
	for (size_t i = 0; i < tl->n_transplants; i++)
		ef_until(&nc, as_of, tl->transplants[i].day0);
	for (size_t i = 0; i < tl->n_labs; i++)
		ef_until(&nc, as_of, tl->labs[i].day);
	for (size_t i = 0; i < tl->n_transfusions; i++)
		ef_until(&nc, as_of, tl->transfusions[i].day);
	for (size_t i = 0; i < tl->n_doses; i++)
		ef_until(&nc, as_of, tl->doses[i].day);
	for (size_t i = 0; i < tl->n_acute; i++)
		ef_until(&nc, as_of, tl->acute[i].day);
	for (size_t i = 0; i < tl->n_chronic; i++)
		ef_until(&nc, as_of, tl->chronic[i].day);
	for (size_t i = 0; i < tl->n_is; i++) {
		ef_until(&nc, as_of, tl->is[i].start);
		ef_until(&nc, as_of, tl->is[i].stop);
	}
	for (size_t i = 0; i < tl->n_ivig; i++)
		ef_until(&nc, as_of, tl->ivig[i].day);
	for (size_t i = 0; i < tl->n_status; i++)
		ef_until(&nc, as_of, tl->status[i].day);
	for (size_t i = 0; i < tl->n_followups; i++)
		ef_until(&nc, as_of, tl->followups[i].day);
	return nc;
}
