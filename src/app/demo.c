/* demo.c - a deterministic synthetic cohort (no real people).
 *
 * Each patient k draws from its own PRNG stream, seeded from (seed, k), so
 * rows depend only on the seed, the as-of date and k. Values are integers
 * in the unit of the text written (no floating point in the generator), and
 * the canonical value is derived from the text exactly as `import` derives
 * it, so an export re-imports to the same rows.
 *
 * The clinical shape follows docs/clinical-rules.md: nadir days +3..+7,
 * neutrophil engraftment around day +12..+25 (cord +24..+35), platelet
 * transfusions while PLT < 20, slow CD4/CD19 recovery, IgG monthly with
 * IVIG when < 400 mg/dL, MAGIC acute and NIH chronic GVHD in allogeneic
 * transplants, immunosuppression courses, and revaccination from 3-6 months
 * (the shipped schedule, docs/clinical-rules.md s.11) with some late or
 * missing doses. */
#include "engraft/demo.h"

#include <stdio.h>
#include <string.h>

#include "engraft/csvio.h"
#include "engraft/followup.h"
#include "engraft/gvhd.h"
#include "engraft/units.h"

/* ---- PRNG: splitmix64 seeding, xoshiro256** ---- */

struct rng {
	uint64_t s[4];
};

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static void rng_seed(struct rng *r, uint64_t seed, uint64_t stream)
{
	uint64_t x = seed;
	uint64_t mix = splitmix64(&x) ^ (stream * 0xD1B54A32D192ED03ull);
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&mix);
}

static uint64_t rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t rng_next(struct rng *r)
{
	uint64_t *s = r->s;
	const uint64_t out = rotl(s[1] * 5, 7) * 9;
	const uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return out;
}

/* Uniform integer in [lo, hi]. */
static int rnd(struct rng *r, int lo, int hi)
{
	if (hi <= lo)
		return lo;
	uint64_t span = (uint64_t)(hi - lo) + 1;
	return lo + (int)(((rng_next(r) >> 32) * span) >> 32);
}

/* True with probability permille/1000. */
static int chance(struct rng *r, int permille)
{
	return rnd(r, 0, 999) < permille;
}

#define PICK(r, arr) (arr[rnd(r, 0, (int)(sizeof(arr) / sizeof(arr[0])) - 1)])

/* ---- invented names and codes ---- */

static const char *const fam_head[] = {"Zar",  "Vel",  "Quo",  "Thim", "Brak", "Oss", "Lun", "Dre",
				       "Kav",  "Mir",  "Pel",  "Tor",  "Xan",  "Yev", "Grun", "Fal",
				       "Nox",  "Sil",  "Wem",  "Jor",  "Hask", "Ebb", "Cor",  "\xc3\x98st"};
static const char *const fam_mid[] = {"", "a", "e", "i", "o", "u", "ar", "el", "in", "or"};
static const char *const fam_tail[] = {"vek",  "mont", "dash", "quill", "brin", "thorp", "vane",
				       "loft", "sk",   "wyn",  "grave", "dell", "rix",   "holm"};
static const char *const given_names[] = {
	"Avrel", "Brisa",  "Caddoc", "Delmi",  "Eskar", "Fenna", "Gorim",  "Halka", "Ivro",        "Jessa",
	"Korbin", "Liraz", "Mavet",  "Nerys",  "Ondro", "Pella", "Quint",  "Rusa",  "Sevrin",      "Talla",
	"Ulmo",  "Vanya",  "Wyneth", "Xeno",   "Ysolde", "Zorin", "Amsel", "Bexa",  "\xc3\x89loan", "Mir\xc3\xab"};
static const char *const staff[] = {"RN Avrith Quell", "RN Dovan Sel", "RN Ilsa Marrow", "PA Tomas Veig",
				    "RN Priya Oakhollow"};
static const char *const sites_adult[] = {"left deltoid", "right deltoid"};

enum outcome { OUT_ENGRAFT = 0, OUT_PRIMARY_FAIL, OUT_NEVER_DROP };

#define MAX_IVIG 64

/* One transplant episode: day 0 and everything that follows it up to
 * `end` (the as-of date, or the week before the next transplant). */
struct ep {
	ef_day day0, end;
	int last;                /* the latest transplant */
	enum ef_hct_type type;
	enum ef_graft graft;
	enum ef_donor donor;
	enum ef_conditioning cond;
	enum outcome outcome;
	int nadir, E, P;         /* offsets: nadir, neutrophil and platelet engraftment */
	int pnadir;              /* first platelet value < 20 */
	int sec_fail;            /* offset of a secondary graft failure, 0 = none */
	int anc_base, anc_plat;  /* cells/uL */
	int plt_base, plt_plat;  /* 10^9/L */
	int hgb_base, hgb_plat;  /* g/L */
	int alc_plat;            /* cells/uL */
	int cd4_100, cd4_365, cd4_slope, cd19_100, cd19_365, cd8_ratio, nk;
	int igg_base, igg_100, igg_365; /* mg/dL */
	int creat_base;          /* umol/L */
	/* GVHD */
	int a_has, a_peak, a_onset, a_resolve, a_pattern;
	int a_max_grade;         /* computed from the stages written */
	ef_day a_last_active;    /* last acute assessment with grade >= I */
	ef_day a_first_ii;       /* first assessment with grade >= II */
	signed char liver[101];  /* acute liver stage in force on day d */
	int c_has, c_sev, c_onset;
	ef_day c_first;          /* first chronic assessment mild or worse */
	/* immunosuppression */
	ef_day cni_stop;         /* EF_NO_DAY = ongoing or none */
	int has_is, is_ongoing;
	ef_day is_last_stop;
};

struct gen {
	struct store *s;
	struct ef_demo_counts *cnt;
	struct ef_err *err;
	int64_t import_id;
	ef_day as_of;
	struct rng r;
	/* patient */
	int64_t pid;
	ef_day birth;
	int child;
	int units;               /* 0 10*9/L, 1 K/uL, 2 cells/uL with SI chemistry */
	int ig_gl;               /* IgG in g/L */
	int cvx;                 /* records vaccines by CVX code */
	int adherence;           /* 0 on time, 1 late, 2 patchy */
	ef_day ivig[MAX_IVIG];
	int n_ivig;
	struct ep ep;
	const struct ef_reference *ref; /* the follow-up calendar (NULL: no follow-up rows) */
	/* lab results waiting to be written, STORE_LAB_BATCH to a statement as
	 * import writes them (the same rows, ids and digest as one at a time);
	 * nothing the generator reads back includes lab results */
	struct store_lab_batch labs;
};

/* ---- writing rows (with the generator's own sanity checks) ---- */

static int count_put(struct gen *g, enum store_kind k, enum store_put res)
{
	g->cnt->rows[k]++;
	switch (res) {
	case STORE_INSERTED:
		g->cnt->inserted++;
		break;
	case STORE_UPDATED:
		g->cnt->updated++;
		break;
	case STORE_UNCHANGED:
		g->cnt->unchanged++;
		break;
	case STORE_CONFLICT:
		return ef_errf(g->err, EF_DB, "demo: internal error: duplicate %s row", ef_kind_name(k));
	}
	return EF_OK;
}

/* Every event: on or after the birth date, never after as-of. */
static int check_day(struct gen *g, ef_day day, const char *what)
{
	if (day > g->as_of || day < g->birth) {
		char d[11];
		ef_date_format(day, d);
		return ef_errf(g->err, EF_DB, "demo: internal error: %s dated %s is outside the record", what, d);
	}
	return EF_OK;
}

/* Write a scaled integer as decimal text: v / 10^dec, optional qualifier. */
static void fmt_fixed(char *out, size_t size, char qual, long v, int dec)
{
	char q[2] = {qual, 0};
	if (dec == 0)
		snprintf(out, size, "%s%ld", q, v);
	else if (dec == 1)
		snprintf(out, size, "%s%ld.%01ld", q, v / 10, v % 10);
	else
		snprintf(out, size, "%s%ld.%02ld", q, v / 100, v % 100);
}

/* Write the lab results waiting (in the order generated) and count them. */
static int flush_labs(struct gen *g)
{
	enum store_put res[STORE_LAB_BATCH];
	const int n = g->labs.n;
	int rc = store_lab_batch_flush(g->s, &g->labs, g->import_id, res, g->err);
	for (int k = 0; !rc && k < n; k++)
		rc = count_put(g, STORE_K_LABS, res[k]);
	return rc;
}

/* One lab row: the value text and unit as a laboratory would send them; the
 * canonical value is computed from that text the way import computes it. */
static int put_lab(struct gen *g, ef_day day, int minutes, enum ef_test t, const char *value, const char *unit)
{
	int rc = check_day(g, day, "lab result");
	if (rc)
		return rc;
	char on[20];
	ef_date_format(day, on);
	if (minutes >= 0)
		snprintf(on + 10, sizeof on - 10, "T%02d:%02d", minutes / 60 % 24, minutes % 60);
	enum ef_qual q;
	double v, canon;
	if (ef_value_parse(value, strlen(value), &q, &v, NULL) || ef_unit_convert(t, unit, strlen(unit), v, &canon))
		return ef_errf(g->err, EF_DB, "demo: internal error: bad lab value %s %s", value, unit);
	struct store_lab_rec r = {
		.patient_id = g->pid,
		.collected_on = on,
		.day = day,
		.test = ef_test_code(t),
		.value = value,
		.qualifier = q == EF_Q_LT ? '<' : q == EF_Q_GT ? '>' : '=',
		.canonical = canon,
		.unit = unit,
	};
	rc = store_lab_batch_add(&g->labs, &r);
	if (rc < 0)
		return ef_errf(g->err, EF_DB, "demo: internal error: lab row %s %s too long", value, unit);
	return rc ? flush_labs(g) : EF_OK;
}

/* A cell count given in cells/uL (a multiple of 10), written in the
 * patient's laboratory unit; values below 100 may come back as "<0.1". */
static int lab_count(struct gen *g, ef_day day, int minutes, enum ef_test t, int cells, int may_qualify)
{
	char v[32];
	const char *unit;
	int lt = may_qualify && cells < 100 && chance(&g->r, 500);
	if (g->units == 2) {
		unit = "cells/uL";
		if (lt)
			snprintf(v, sizeof v, "<100");
		else
			fmt_fixed(v, sizeof v, 0, cells, 0);
	} else {
		unit = g->units == 1 ? "K/uL" : "10*9/L";
		if (lt)
			snprintf(v, sizeof v, "<0.1");
		else
			fmt_fixed(v, sizeof v, 0, cells / 10, 2);
	}
	return put_lab(g, day, minutes, t, v, unit);
}

static int lab_plt(struct gen *g, ef_day day, int minutes, int plt)
{
	char v[32];
	if (plt < 5 && chance(&g->r, 500))
		snprintf(v, sizeof v, "<5");
	else
		fmt_fixed(v, sizeof v, 0, plt, 0);
	return put_lab(g, day, minutes, EF_T_PLT, v, g->units == 0 ? "10*9/L" : "K/uL");
}

static int lab_hgb(struct gen *g, ef_day day, int gl)
{
	char v[32];
	if (g->units == 2) {
		fmt_fixed(v, sizeof v, 0, gl, 0);
		return put_lab(g, day, -1, EF_T_HGB, v, "g/L");
	}
	fmt_fixed(v, sizeof v, 0, gl, 1); /* g/L = dg/dL */
	return put_lab(g, day, -1, EF_T_HGB, v, "g/dL");
}

static int lab_cells(struct gen *g, ef_day day, enum ef_test t, int cells)
{
	char v[32];
	if (cells < 5) {
		snprintf(v, sizeof v, "<5");
	} else {
		fmt_fixed(v, sizeof v, 0, cells, 0);
	}
	return put_lab(g, day, -1, t, v, "cells/uL");
}

/* Immunoglobulin in mg/dL (a multiple of 10), or g/L for some labs. */
static int lab_ig(struct gen *g, ef_day day, enum ef_test t, int mgdl)
{
	char v[32];
	if (g->ig_gl) {
		fmt_fixed(v, sizeof v, 0, mgdl / 10, 1);
		return put_lab(g, day, -1, t, v, "g/L");
	}
	fmt_fixed(v, sizeof v, 0, mgdl, 0);
	return put_lab(g, day, -1, t, v, "mg/dL");
}

/* Bilirubin in 0.1 mg/dL; creatinine in umol/L. */
static int lab_chem(struct gen *g, ef_day day, int bili10, int creat_umol)
{
	char v[32];
	int rc;
	if (g->units == 2) {
		fmt_fixed(v, sizeof v, 0, (bili10 * 171 + 50) / 100, 0);
		if ((rc = put_lab(g, day, -1, EF_T_BILI, v, "umol/L")))
			return rc;
		fmt_fixed(v, sizeof v, 0, creat_umol, 0);
		return put_lab(g, day, -1, EF_T_CREAT, v, "umol/L");
	}
	fmt_fixed(v, sizeof v, 0, bili10, 1);
	if ((rc = put_lab(g, day, -1, EF_T_BILI, v, "mg/dL")))
		return rc;
	fmt_fixed(v, sizeof v, 0, (creat_umol * 1000 / 884 + 0), 2); /* umol/L -> 0.01 mg/dL */
	return put_lab(g, day, -1, EF_T_CREAT, v, "mg/dL");
}

static int put_transfusion(struct gen *g, ef_day day, const char *product)
{
	int rc = check_day(g, day, "transfusion");
	if (rc)
		return rc;
	char d[11];
	ef_date_format(day, d);
	struct store_transfusion_rec r = {g->pid, d, product};
	enum store_put res;
	if ((rc = store_put_transfusion(g->s, &r, g->import_id, &res, g->err)))
		return rc;
	return count_put(g, STORE_K_TRANSFUSIONS, res);
}

/* A course; stop after the episode's end (or as-of) is still ongoing. */
static int put_is(struct gen *g, const char *drug, ef_day start, ef_day stop)
{
	struct ep *e = &g->ep;
	if (start > e->end)
		return EF_OK;
	if (stop != EF_NO_DAY && stop <= start)
		stop = start + 1;
	if (stop != EF_NO_DAY && stop > e->end)
		stop = e->last ? EF_NO_DAY : e->end;
	int rc = check_day(g, start, "immunosuppression");
	if (rc)
		return rc;
	char a[11], b[11];
	ef_date_format(start, a);
	ef_date_format(stop, b);
	struct store_is_rec r = {g->pid, drug, a, stop == EF_NO_DAY ? NULL : b};
	enum store_put res;
	if ((rc = store_put_is(g->s, &r, g->import_id, &res, g->err)))
		return rc;
	e->has_is = 1;
	if (stop == EF_NO_DAY)
		e->is_ongoing = 1;
	else if (e->is_last_stop == EF_NO_DAY || stop > e->is_last_stop)
		e->is_last_stop = stop;
	return count_put(g, STORE_K_IMMUNOSUPPRESSION, res);
}

static int put_vaccine(struct gen *g, const char *code, ef_day day)
{
	int rc = check_day(g, day, "vaccination");
	if (rc)
		return rc;
	char d[11], lot[16];
	ef_date_format(day, d);
	struct store_vaccination_rec r = {g->pid, code, d, NULL, NULL, NULL};
	if (chance(&g->r, 800)) {
		snprintf(lot, sizeof lot, "%c%c%04d", 'A' + rnd(&g->r, 0, 25), 'A' + rnd(&g->r, 0, 25),
			 rnd(&g->r, 0, 9999));
		r.lot = lot;
	}
	if (chance(&g->r, 700))
		r.site = g->child ? "left thigh" : PICK(&g->r, sites_adult);
	if (chance(&g->r, 600))
		r.given_by = PICK(&g->r, staff);
	enum store_put res;
	if ((rc = store_put_vaccination(g->s, &r, g->import_id, &res, g->err)))
		return rc;
	return count_put(g, STORE_K_VACCINATIONS, res);
}

/* ---- planning an episode ---- */

static void plan_episode(struct gen *g, struct ep *e, int age)
{
	struct rng *r = &g->r;
	/* engraftment kinetics by graft and type */
	switch (e->graft) {
	case EF_GRAFT_CORD_BLOOD:
		e->E = rnd(r, 24, 35);
		break;
	case EF_GRAFT_BONE_MARROW:
		e->E = rnd(r, 16, 25);
		break;
	default:
		e->E = e->type == EF_HCT_AUTOLOGOUS ? rnd(r, 10, 14) : rnd(r, 12, 20);
		break;
	}
	if (e->donor == EF_DONOR_HAPLO)
		e->E += rnd(r, 1, 3);
	e->nadir = rnd(r, 3, 7);
	e->outcome = OUT_ENGRAFT;
	if (e->cond == EF_COND_NONMYELOABLATIVE && chance(r, 300))
		e->outcome = OUT_NEVER_DROP;
	if (e->graft == EF_GRAFT_CORD_BLOOD)
		e->P = e->E + rnd(r, 10, 25);
	else if (e->graft == EF_GRAFT_BONE_MARROW)
		e->P = e->E + rnd(r, 0, 12);
	else
		e->P = e->E + rnd(r, -2, 8);
	e->pnadir = e->nadir + rnd(r, 2, 5);
	if (e->P < e->pnadir + 7)
		e->P = e->pnadir + rnd(r, 7, 10);
	e->sec_fail = 0;
	e->anc_base = rnd(r, 180, 600) * 10;
	e->anc_plat = rnd(r, 150, 500) * 10;
	e->plt_base = rnd(r, 150, 380);
	e->plt_plat = rnd(r, 90, 320);
	e->hgb_base = rnd(r, 100, 150);
	e->hgb_plat = rnd(r, 105, 150);
	e->alc_plat = rnd(r, 50, 180) * 10;
	if (e->type == EF_HCT_AUTOLOGOUS) {
		e->cd4_100 = rnd(r, 120, 320);
		e->cd4_365 = rnd(r, 250, 560);
		e->cd19_100 = rnd(r, 20, 160);
		e->cd19_365 = rnd(r, 150, 500);
		e->igg_100 = rnd(r, 40, 90) * 10;
		e->igg_365 = rnd(r, 60, 120) * 10;
	} else {
		e->cd4_100 = rnd(r, 50, 150);
		e->cd4_365 = chance(r, 300) ? rnd(r, 90, 190) : rnd(r, 200, 400); /* some stay < 200 */
		e->cd19_100 = rnd(r, 0, 40);
		e->cd19_365 = rnd(r, 40, 400);
		e->igg_100 = rnd(r, 25, 75) * 10;
		e->igg_365 = rnd(r, 35, 110) * 10;
	}
	if (age > 60) /* slower thymic recovery in older adults */
		e->cd4_365 = e->cd4_365 * 4 / 5;
	e->cd4_slope = rnd(r, 60, 200);
	e->cd8_ratio = rnd(r, 12, 30);
	e->nk = rnd(r, 100, 400);
	e->igg_base = rnd(r, 70, 140) * 10;
	e->creat_base = age < 12 ? rnd(r, 25, 45) : rnd(r, 55, 100);
	/* GVHD plan: allogeneic only (a syngeneic twin graft has no alloreactivity) */
	e->a_has = e->c_has = 0;
	e->a_max_grade = 0;
	e->a_last_active = e->a_first_ii = e->c_first = EF_NO_DAY;
	memset(e->liver, 0, sizeof e->liver);
	if (e->type == EF_HCT_ALLOGENEIC && e->outcome != OUT_PRIMARY_FAIL) {
		if (chance(r, 450)) {
			int p = rnd(r, 0, 99);
			e->a_has = 1;
			e->a_peak = p < 45 ? 1 : p < 75 ? 2 : p < 92 ? 3 : 4;
			e->a_onset = rnd(r, 18, 60);
			e->a_resolve = e->a_onset + (e->a_peak == 4 ? rnd(r, 40, 90) : rnd(r, 21, 70));
			e->a_pattern = rnd(r, 0, 2);
		}
		if (chance(r, 350)) {
			int p = rnd(r, 0, 99);
			e->c_has = 1;
			e->c_sev = p < 40 ? 1 : p < 80 ? 2 : 3;
			e->c_onset = rnd(r, 101, 400);
		}
	}
	e->cni_stop = EF_NO_DAY;
	e->has_is = e->is_ongoing = 0;
	e->is_last_stop = EF_NO_DAY;
}

static int put_transplant(struct gen *g, const struct ep *e)
{
	int rc = check_day(g, e->day0, "transplant");
	if (rc)
		return rc;
	char d[11];
	ef_date_format(e->day0, d);
	struct store_transplant_rec t = {g->pid,
					 d,
					 ef_hct_type_str(e->type),
					 ef_graft_str(e->graft),
					 ef_donor_str(e->donor),
					 ef_conditioning_str(e->cond)};
	enum store_put res;
	if ((rc = store_put_transplant(g->s, &t, g->import_id, &res, g->err)))
		return rc;
	return count_put(g, STORE_K_TRANSPLANTS, res);
}

/* ---- GVHD ---- */

static void acute_stages(struct rng *r, int level, int pattern, int st[4])
{
	st[0] = st[1] = st[2] = st[3] = 0; /* skin, liver, upper GI, lower GI */
	switch (level) {
	case 0:
		break;
	case 1:
		st[0] = rnd(r, 1, 2);
		break;
	case 2:
		if (pattern == 0) {
			st[0] = 3;
		} else if (pattern == 1) {
			st[0] = rnd(r, 0, 1);
			st[3] = 1;
			st[2] = rnd(r, 0, 1);
		} else {
			st[0] = 1;
			st[1] = 1;
		}
		break;
	case 3:
		if (pattern == 0) {
			st[0] = 3;
			st[3] = 2;
		} else if (pattern == 1) {
			st[3] = rnd(r, 2, 3);
			st[2] = 1;
			st[0] = rnd(r, 0, 2);
		} else {
			st[1] = rnd(r, 2, 3);
			st[0] = rnd(r, 0, 2);
		}
		break;
	default:
		if (pattern == 0) {
			st[0] = 4;
		} else if (pattern == 1) {
			st[3] = 4;
			st[2] = 1;
		} else {
			st[1] = 4;
			st[3] = rnd(r, 0, 2);
		}
		break;
	}
}

static int emit_acute(struct gen *g)
{
	struct ep *e = &g->ep;
	if (e->type != EF_HCT_ALLOGENEIC || e->outcome == OUT_PRIMARY_FAIL)
		return EF_OK;
	int prev_liver = 0, prev_d = 0;
	for (int d = 14 + rnd(&g->r, 0, 3); d <= 100; d += rnd(&g->r, 7, 14)) {
		ef_day day = e->day0 + d;
		if (day > e->end)
			break;
		int level = 0;
		if (e->a_has && d >= e->a_onset) {
			if (d < e->a_onset + 7)
				level = e->a_peak > 1 ? e->a_peak - 1 : 1;
			else if (d < e->a_resolve)
				level = e->a_peak;
			else if (d < e->a_resolve + 14)
				level = 1;
		}
		int st[4];
		acute_stages(&g->r, level, e->a_pattern, st);
		enum ef_agvhd_grade gr = ef_agvhd_grade(st[0], st[1], st[2], st[3]);
		for (int k = prev_d; k < d; k++)
			e->liver[k] = (signed char)prev_liver;
		prev_liver = st[1];
		prev_d = d;
		if ((int)gr > e->a_max_grade)
			e->a_max_grade = (int)gr;
		if (gr >= EF_AGVHD_I)
			e->a_last_active = day;
		if (gr >= EF_AGVHD_II && e->a_first_ii == EF_NO_DAY)
			e->a_first_ii = day;
		int rc = check_day(g, day, "acute GVHD assessment");
		if (rc)
			return rc;
		char ds[11];
		ef_date_format(day, ds);
		struct store_gvhd_acute_rec a = {g->pid, ds, st[0], st[1], st[2], st[3], ef_agvhd_grade_str(gr)};
		enum store_put res;
		if ((rc = store_put_gvhd_acute(g->s, &a, g->import_id, &res, g->err)) ||
		    (rc = count_put(g, STORE_K_GVHD_ACUTE, res)))
			return rc;
	}
	for (int k = prev_d; k <= 100; k++)
		e->liver[k] = (signed char)prev_liver;
	return EF_OK;
}

static void chronic_scores(struct rng *r, int sev, int sc[8])
{
	/* skin, mouth, eyes, gi, liver, lungs, joints, genital */
	memset(sc, 0, 8 * sizeof *sc);
	switch (sev) {
	case 0:
		break;
	case 1:
		sc[rnd(r, 0, 1)] = 1;
		if (chance(r, 400))
			sc[2] = 1;
		break;
	case 2:
		switch (rnd(r, 0, 2)) {
		case 0:
			sc[0] = sc[1] = sc[2] = 1;
			break;
		case 1:
			sc[0] = 2;
			sc[1] = rnd(r, 0, 1);
			break;
		default:
			sc[5] = 1;
			sc[1] = 1;
			break;
		}
		break;
	default:
		switch (rnd(r, 0, 2)) {
		case 0:
			sc[0] = 3;
			sc[1] = rnd(r, 1, 2);
			break;
		case 1:
			sc[5] = 2;
			sc[2] = 1;
			break;
		default:
			sc[6] = 3;
			sc[0] = 2;
			break;
		}
		break;
	}
}

static int put_chronic(struct gen *g, ef_day day, int sev)
{
	int sc[8];
	chronic_scores(&g->r, sev, sc);
	enum ef_cgvhd_severity s = ef_cgvhd_severity(sc, 5);
	if (s >= EF_CGVHD_MILD && g->ep.c_first == EF_NO_DAY)
		g->ep.c_first = day;
	int rc = check_day(g, day, "chronic GVHD assessment");
	if (rc)
		return rc;
	char ds[11];
	ef_date_format(day, ds);
	struct store_gvhd_chronic_rec c = {g->pid, ds,     sc[0], sc[1], sc[2], sc[3], sc[4],
					   sc[5],  sc[6], sc[7], ef_cgvhd_severity_str(s)};
	enum store_put res;
	if ((rc = store_put_gvhd_chronic(g->s, &c, g->import_id, &res, g->err)))
		return rc;
	return count_put(g, STORE_K_GVHD_CHRONIC, res);
}

static int emit_chronic(struct gen *g)
{
	struct ep *e = &g->ep;
	int rc;
	if (e->type != EF_HCT_ALLOGENEIC || e->outcome == OUT_PRIMARY_FAIL)
		return EF_OK;
	if (!e->c_has) {
		/* a screening assessment around day +180 finds none */
		ef_day day = e->day0 + 180 + rnd(&g->r, 0, 20);
		if (chance(&g->r, 500) && day <= e->end)
			return put_chronic(g, day, 0);
		return EF_OK;
	}
	ef_day day = e->day0 + e->c_onset;
	int n = rnd(&g->r, 3, 8);
	for (int i = 0; i < n && day <= e->end; i++) {
		int sev = e->c_sev;
		if (i >= n / 2 + 1) /* improving on treatment */
			sev = sev > 1 ? sev - 1 : (i == n - 1 && chance(&g->r, 400) ? 0 : sev);
		if ((rc = put_chronic(g, day, sev)))
			return rc;
		day += rnd(&g->r, 30, 90);
	}
	return EF_OK;
}

/* ---- immunosuppression ---- */

static int emit_is(struct gen *g)
{
	struct ep *e = &g->ep;
	struct rng *r = &g->r;
	int rc;
	if (e->type != EF_HCT_ALLOGENEIC)
		return EF_OK;
	const ef_day d0 = e->day0;
	ef_day stop = d0 + rnd(r, 120, 300);
	if (e->a_max_grade >= 2)
		stop += rnd(r, 60, 150);
	if (e->c_first != EF_NO_DAY) {
		if (e->c_sev >= 2 && chance(r, 600))
			stop = EF_NO_DAY;
		else if (stop < e->c_first + 60)
			stop = e->c_first + rnd(r, 60, 300);
	}
	e->cni_stop = stop;
	if ((rc = put_is(g, chance(r, 800) ? "tacrolimus" : "cyclosporine", d0 - 3, stop)))
		return rc;
	if (e->donor == EF_DONOR_HAPLO || e->graft == EF_GRAFT_CORD_BLOOD || chance(r, 500))
		rc = put_is(g, "mycophenolate", d0 + rnd(r, 0, 5), d0 + rnd(r, 28, 60));
	else
		rc = put_is(g, "sirolimus", d0 - 3, d0 + rnd(r, 90, 180));
	if (rc)
		return rc;
	if (e->a_first_ii != EF_NO_DAY) {
		ef_day p = e->a_first_ii;
		if ((rc = put_is(g, "prednisone", p, p + rnd(r, 45, 120))))
			return rc;
		if (e->a_max_grade >= 3 && chance(r, 500) &&
		    (rc = put_is(g, "ruxolitinib", p + rnd(r, 7, 21), p + rnd(r, 150, 300))))
			return rc;
	}
	if (e->c_first != EF_NO_DAY && e->c_sev >= 2) {
		ef_day c = e->c_first;
		if ((rc = put_is(g, "prednisone", c, chance(r, 300) ? EF_NO_DAY : c + rnd(r, 180, 540))))
			return rc;
		if (e->c_sev == 3 && chance(r, 500) &&
		    (rc = put_is(g, "ruxolitinib", c + rnd(r, 30, 60), c + rnd(r, 240, 500))))
			return rc;
	}
	return EF_OK;
}

/* ---- laboratory values by day offset ---- */

static int round10(int v)
{
	return v < 0 ? 0 : (v + 5) / 10 * 10;
}

static int jitter(struct rng *r, int v, int pct)
{
	return v * rnd(r, 100 - pct, 100 + pct) / 100;
}

/* Absolute neutrophils, cells/uL, a multiple of 10. Engraftment is the
 * first of three values >= 500 from day E on; before it every value after
 * the nadir is below 500, so the rules find exactly day E. */
static int anc_at(struct gen *g, int d)
{
	struct ep *e = &g->ep;
	struct rng *r = &g->r;
	if (d < 0)
		return round10(jitter(r, e->anc_base, 15));
	if (e->outcome == OUT_NEVER_DROP) {
		if (d < 14)
			return rnd(r, 60, 120) * 10;
		int v = round10(jitter(r, e->anc_plat, 20));
		return v < 600 ? 600 : v;
	}
	if (d < e->nadir) {
		int v = e->anc_base * (e->nadir - d) / (e->nadir + 1);
		return v < 600 ? 600 + rnd(r, 0, 20) * 10 : round10(v);
	}
	if (e->outcome == OUT_PRIMARY_FAIL)
		return chance(r, 850) ? rnd(r, 0, 9) * 10 : rnd(r, 10, 45) * 10;
	if (d < e->E - 3)
		return rnd(r, 0, 9) * 10;
	if (d < e->E) {
		static const int lo[3] = {10, 20, 30}, hi[3] = {25, 40, 49};
		int k = d - (e->E - 3);
		return rnd(r, lo[k], hi[k]) * 10;
	}
	if (e->sec_fail && d >= e->sec_fail && d < e->sec_fail + 10)
		return rnd(r, 15, 45) * 10;
	int t = d - e->E;
	int v = 600 + (e->anc_plat - 600) * (t < 14 ? t : 14) / 14;
	v = round10(jitter(r, v, d > 100 ? 25 : 15));
	return v < 600 ? 600 + rnd(r, 0, 10) * 10 : v;
}

/* Platelets, 10^9/L: below 20 from the platelet nadir until day P. */
static int plt_at(struct gen *g, int d)
{
	struct ep *e = &g->ep;
	struct rng *r = &g->r;
	if (d < 0)
		return jitter(r, e->plt_base, 10);
	if (e->outcome == OUT_NEVER_DROP)
		return d < 14 ? rnd(r, 35, 90) : jitter(r, e->plt_plat, 15);
	if (d < e->pnadir) {
		int v = e->plt_base * (e->pnadir - d) / (e->pnadir + 1);
		return v < 25 ? 25 + rnd(r, 0, 10) : v;
	}
	if (e->outcome == OUT_PRIMARY_FAIL || d < e->P)
		return rnd(r, 3, 19);
	int t = d - e->P;
	int v = jitter(r, 22 + (e->plt_plat - 22) * (t < 30 ? t : 30) / 30, 12);
	return v < 20 ? 20 + rnd(r, 0, 5) : v;
}

static int hgb_at(struct gen *g, int d)
{
	struct ep *e = &g->ep;
	struct rng *r = &g->r;
	if (d < 0)
		return jitter(r, e->hgb_base, 5);
	if (e->outcome == OUT_PRIMARY_FAIL || d < e->E + 14)
		return rnd(r, 72, 98);
	int t = d - (e->E + 14);
	return jitter(r, 90 + (e->hgb_plat - 90) * (t < 60 ? t : 60) / 60, 5);
}

static int alc_at(struct gen *g, int d)
{
	struct ep *e = &g->ep;
	struct rng *r = &g->r;
	if (d < 0)
		return rnd(r, 80, 250) * 10;
	if (e->outcome == OUT_PRIMARY_FAIL || d < e->E)
		return rnd(r, 1, 20) * 10;
	if (d <= 100)
		return round10(jitter(r, 200 + (e->alc_plat - 200) * d / 100, 20));
	return round10(jitter(r, e->alc_plat, 20));
}

/* Linear recovery: v100 at day +100, v365 at day +365, then slope/year. */
static int recovery(int d, int v100, int v365, int slope, int cap)
{
	long v;
	if (d <= 100)
		v = (long)v100 * (d > 0 ? d : 0) / 100;
	else if (d <= 365)
		v = v100 + (long)(v365 - v100) * (d - 100) / 265;
	else
		v = v365 + (long)slope * (d - 365) / 365;
	return (int)(v > cap ? cap : v);
}

static ef_day last_ivig_before(const struct gen *g, ef_day day)
{
	ef_day last = EF_NO_DAY;
	for (int i = 0; i < g->n_ivig; i++)
		if (g->ivig[i] <= day && (last == EF_NO_DAY || g->ivig[i] > last))
			last = g->ivig[i];
	return last;
}

static int igg_at(struct gen *g, int d)
{
	struct ep *e = &g->ep;
	long v;
	if (d < 0)
		v = e->igg_base;
	else if (d <= 100)
		v = e->igg_base + (long)(e->igg_100 - e->igg_base) * d / 100;
	else
		v = recovery(d, e->igg_100, e->igg_365, 120, 1400);
	ef_day iv = last_ivig_before(g, e->day0 + d);
	if (iv != EF_NO_DAY && e->day0 + d - iv < 60)
		v += (60 - (e->day0 + d - iv)) * 6;
	v = round10(jitter(&g->r, (int)v, 8));
	return v < 100 ? 100 : (int)v;
}

static int on_cni(const struct ep *e, int d)
{
	return e->type == EF_HCT_ALLOGENEIC && d >= -3 && (e->cni_stop == EF_NO_DAY || e->day0 + d < e->cni_stop);
}

static int chem(struct gen *g, int d)
{
	struct ep *e = &g->ep;
	struct rng *r = &g->r;
	int stage = d >= 0 && d <= 100 ? e->liver[d] : 0;
	static const int lo[5] = {3, 20, 31, 61, 151}, hi[5] = {12, 30, 60, 150, 250};
	int bili = rnd(r, lo[stage], hi[stage]);
	int creat = e->creat_base + (on_cni(e, d) ? rnd(r, 10, 50) : 0) + rnd(r, -8, 8);
	return lab_chem(g, e->day0 + d, bili, creat);
}

/* One blood count draw: ANC and PLT always, the rest as flagged. */
enum { DRAW_WBC = 1, DRAW_HGB = 2, DRAW_ALC = 4, DRAW_CHEM = 8, DRAW_DOUBLE = 16, DRAW_TRANSFUSE = 32 };

static int draw(struct gen *g, int d, unsigned what)
{
	struct ep *e = &g->ep;
	struct rng *r = &g->r;
	const ef_day day = e->day0 + d;
	int rc;
	int m1 = -1, m2 = -1;
	if (what & DRAW_DOUBLE) {
		m1 = rnd(r, 5 * 60, 8 * 60);
		m2 = rnd(r, 15 * 60, 20 * 60);
	}
	int anc = anc_at(g, d), plt = plt_at(g, d), alc = 0;
	if ((rc = lab_count(g, day, m1, EF_T_ANC, anc, 1)) || (rc = lab_plt(g, day, m1, plt)))
		return rc;
	if (what & DRAW_DOUBLE) {
		/* a second draw the same day, on the same side of 0.5 */
		int anc2 = anc < 500 ? (anc < 100 ? rnd(r, 0, 9) * 10 : anc + rnd(r, -5, 5) * 10)
				     : anc + rnd(r, -10, 10) * 10;
		if (anc < 500 && anc2 >= 500)
			anc2 = 490;
		if (anc >= 500 && anc2 < 500)
			anc2 = 500;
		int plt2 = plt + rnd(r, -3, 3);
		if (plt < 20 && plt2 >= 20)
			plt2 = 19;
		if (plt >= 20 && plt2 < 20)
			plt2 = 20;
		if (plt2 < 1)
			plt2 = 1;
		if ((rc = lab_count(g, day, m2, EF_T_ANC, anc2, 1)) || (rc = lab_plt(g, day, m2, plt2)))
			return rc;
	}
	if (what & (DRAW_ALC | DRAW_WBC))
		alc = alc_at(g, d);
	if ((what & DRAW_ALC) && (rc = lab_count(g, day, -1, EF_T_ALC, alc, 1)))
		return rc;
	if ((what & DRAW_WBC) && (rc = lab_count(g, day, -1, EF_T_WBC, anc + alc + rnd(r, 5, 60) * 10, 1)))
		return rc;
	int hgb = 120;
	if ((what & DRAW_HGB) && (rc = lab_hgb(g, day, hgb = hgb_at(g, d))))
		return rc;
	if ((what & DRAW_CHEM) && (rc = chem(g, d)))
		return rc;
	if (what & DRAW_TRANSFUSE) {
		if (plt < 20 && (e->outcome == OUT_PRIMARY_FAIL || d < e->P) &&
		    chance(r, plt < 10 ? 800 : 300) && (rc = put_transfusion(g, day, "platelets")))
			return rc;
		if ((what & DRAW_HGB) && hgb < 80 && chance(r, 600) && (rc = put_transfusion(g, day, "red_cells")))
			return rc;
	}
	return EF_OK;
}

static int emit_counts(struct gen *g)
{
	struct ep *e = &g->ep;
	struct rng *r = &g->r;
	int rc;
	const int last = e->end - e->day0; /* last offset in this episode */
	if (e->day0 - 7 >= g->birth &&
	    (rc = draw(g, -7, DRAW_WBC | DRAW_HGB | DRAW_ALC | DRAW_CHEM)))
		return rc;
	int daily_to = e->outcome == OUT_NEVER_DROP ? 14 : e->outcome == OUT_PRIMARY_FAIL ? 35 : e->E + 2;
	int d = 0, n = 0;
	for (; d <= daily_to && d <= last; d++, n++) {
		unsigned w = DRAW_TRANSFUSE;
		if (d % 3 == 0)
			w |= DRAW_WBC | DRAW_HGB;
		if (d % 5 == 0)
			w |= DRAW_CHEM;
		if (d >= e->E - 1 && d % 4 == 1)
			w |= DRAW_ALC;
		if (d > 0 && chance(r, 40))
			w |= DRAW_DOUBLE;
		if ((rc = draw(g, d, w)))
			return rc;
	}
	/* 2-3 a week to day +60, then weekly to day +100 */
	for (d += rnd(r, 1, 3); d <= 100 && d <= last; d += d < 60 ? rnd(r, 2, 4) : rnd(r, 6, 8), n++) {
		unsigned w = DRAW_TRANSFUSE;
		if (n % 2 == 0)
			w |= DRAW_WBC | DRAW_HGB;
		if (n % 3 == 0)
			w |= DRAW_ALC;
		if (n % 4 == 0)
			w |= DRAW_CHEM;
		if ((rc = draw(g, d, w)))
			return rc;
	}
	/* every 3-5 weeks to a year, then every 5-12 weeks */
	for (; d <= 365 && d <= last; d += rnd(r, 21, 35), n++) {
		unsigned w = (n % 2 ? DRAW_WBC | DRAW_HGB : DRAW_ALC) | (chance(r, 400) ? DRAW_CHEM : 0);
		if ((rc = draw(g, d, w)))
			return rc;
	}
	for (; d <= last; d += rnd(r, 35, 84), n++) {
		unsigned w = (n % 2 ? DRAW_WBC | DRAW_HGB : DRAW_ALC) | (chance(r, 300) ? DRAW_CHEM : 0);
		if ((rc = draw(g, d, w)))
			return rc;
	}
	return EF_OK;
}

static int emit_immune(struct gen *g)
{
	struct ep *e = &g->ep;
	struct rng *r = &g->r;
	int rc;
	if (e->outcome == OUT_PRIMARY_FAIL)
		return EF_OK;
	static const int allo_days[] = {30, 100, 180, 365, 545, 730, 1095};
	static const int auto_days[] = {100, 180, 365, 730, 1095};
	const int allo = e->type != EF_HCT_AUTOLOGOUS;
	const int *days = allo ? allo_days : auto_days;
	const int nd = allo ? 7 : 5;
	for (int i = 0; i < nd; i++) {
		if ((days[i] == 30 && !chance(r, 400)) || (days[i] == 180 && !allo && !chance(r, 500)))
			continue;
		int d = days[i] + rnd(r, -3, 10);
		ef_day day = e->day0 + d;
		if (day > e->end)
			break;
		int cd4 = jitter(r, recovery(d, e->cd4_100, e->cd4_365, e->cd4_slope, 1200), 10);
		if (d < 100)
			cd4 = cd4 < 5 ? 5 : cd4;
		int cd8 = cd4 * e->cd8_ratio / 10;
		int cd19 = jitter(r, recovery(d, e->cd19_100, e->cd19_365, 150, 900), 15);
		if ((rc = lab_cells(g, day, EF_T_CD3, cd4 + cd8 + rnd(r, 10, 60))) ||
		    (rc = lab_cells(g, day, EF_T_CD4, cd4)) || (rc = lab_cells(g, day, EF_T_CD8, cd8)) ||
		    (rc = lab_cells(g, day, EF_T_CD19, cd19)) || (rc = lab_cells(g, day, EF_T_NK, jitter(r, e->nk, 20))))
			return rc;
		if ((days[i] == 100 || days[i] == 365) &&
		    ((rc = lab_ig(g, day, EF_T_IGA, rnd(r, d < 200 ? 3 : 8, d < 200 ? 15 : 30) * 10)) ||
		     (rc = lab_ig(g, day, EF_T_IGM, rnd(r, d < 200 ? 3 : 5, d < 200 ? 10 : 20) * 10))))
			return rc;
	}
	/* IgG: baseline, monthly to day +365, then every 3 months while low or allogeneic */
	if (e->day0 - 7 >= g->birth && chance(r, 500) && (rc = lab_ig(g, e->day0 - 7, EF_T_IGG, igg_at(g, -7))))
		return rc;
	for (int d = 30 + rnd(r, 0, 5); e->day0 + d <= e->end; d += d < 365 ? rnd(r, 26, 35) : d < 730 ? rnd(r, 85, 100) : rnd(r, 170, 200)) {
		ef_day day = e->day0 + d;
		int v = igg_at(g, d);
		if (d > 730 && v >= 600 && !allo)
			break;
		if ((rc = lab_ig(g, day, EF_T_IGG, v)))
			return rc;
		ef_day last = last_ivig_before(g, day);
		if (v < 400 && (last == EF_NO_DAY || day - last >= 28) && chance(r, 750) && g->n_ivig < MAX_IVIG) {
			ef_day iv = day + rnd(r, 1, 5);
			if (iv <= e->end)
				g->ivig[g->n_ivig++] = iv;
		}
	}
	return EF_OK;
}

static int emit_ivig(struct gen *g, int from)
{
	static const char *const doses[] = {"20", "25", "30", "35", "40", "27.5"};
	for (int i = from; i < g->n_ivig; i++) {
		int rc = check_day(g, g->ivig[i], "IVIG");
		if (rc)
			return rc;
		char d[11];
		ef_date_format(g->ivig[i], d);
		struct store_ivig_rec v = {g->pid, d, chance(&g->r, 900) ? PICK(&g->r, doses) : NULL};
		enum store_put res;
		if ((rc = store_put_ivig(g->s, &v, g->import_id, &res, g->err)) ||
		    (rc = count_put(g, STORE_K_IVIG, res)))
			return rc;
	}
	return EF_OK;
}

/* ---- vaccinations (shipped schedule; some late, some missing) ---- */

static int vdelay(struct gen *g)
{
	switch (g->adherence) {
	case 0:
		return rnd(&g->r, 0, 21);
	case 1:
		return rnd(&g->r, 20, 150);
	default:
		return rnd(&g->r, 0, 90);
	}
}

static int vskip(struct gen *g)
{
	static const int permille[3] = {30, 100, 350};
	return chance(&g->r, permille[g->adherence]);
}

/* A series of n doses from `first`, each gap in [gap_lo, gap_hi] days plus
 * the patient's delay; codes[i] is what dose i is recorded as. Returns the
 * number given; *lastd receives the last date given. */
static int series(struct gen *g, const char *const *codes, int n, ef_day first, int gap_lo, int gap_hi,
		  ef_day *lastd, int *rc)
{
	ef_day day = first + vdelay(g);
	int given = 0;
	*lastd = EF_NO_DAY;
	for (int i = 0; i < n; i++) {
		if (day > g->ep.end || (i > 0 && g->adherence == 2 && chance(&g->r, 150)))
			break;
		if ((*rc = put_vaccine(g, codes[i], day)))
			return given;
		*lastd = day;
		given++;
		day += rnd(&g->r, gap_lo, gap_hi) + (g->adherence == 1 ? rnd(&g->r, 0, 60) : 0);
	}
	return given;
}

static int emit_vaccines(struct gen *g, int age_at_day0)
{
	struct ep *e = &g->ep;
	struct rng *r = &g->r;
	const ef_day d0 = e->day0;
	const int cvx = g->cvx;
	ef_day last, m3 = ef_add_months(d0, 3, EF_MONTHS_CLAMP), m6 = ef_add_months(d0, 6, EF_MONTHS_CLAMP),
		     m12 = ef_add_months(d0, 12, EF_MONTHS_CLAMP);
	int rc = EF_OK, n;
	if (e->outcome == OUT_PRIMARY_FAIL || m3 > e->end)
		return EF_OK;
	/* PCV x3 from 3 months, then PPSV23 at 12 months (PCV dose 4 with chronic GVHD) */
	if (!vskip(g)) {
		const char *pcv = cvx ? PICK(r, ((const char *const[]){"133", "215", "216", "327"})) : "PCV";
		const char *const codes[3] = {pcv, pcv, pcv};
		n = series(g, codes, 3, m3, 28, 42, &last, &rc);
		if (rc)
			return rc;
		if (n == 3) {
			int cg = e->c_first != EF_NO_DAY && e->c_first <= m12;
			ef_day when = (cg ? (m12 > last + 28 ? m12 : last + 28) : (m12 > last + 56 ? m12 : last + 56)) +
				      vdelay(g);
			if (when <= e->end && !vskip(g) &&
			    (rc = put_vaccine(g, cg ? pcv : cvx ? "33" : "PPSV23", when)))
				return rc;
		}
	}
	/* COVID-19 x3 from 3 months */
	if (chance(r, 600)) {
		const char *c = cvx ? "213" : "COVID19";
		const char *const codes[3] = {c, c, c};
		series(g, codes, 3, m3, 28, 42, &last, &rc);
		if (rc)
			return rc;
	}
	if (m6 > e->end)
		return EF_OK;
	/* influenza yearly from 6 months */
	if (chance(r, 850)) {
		for (ef_day day = m6 + vdelay(g); day <= e->end;
		     day = ef_add_months(day, 12, EF_MONTHS_CLAMP) + rnd(r, 0, 40)) {
			if ((rc = put_vaccine(g, cvx ? PICK(r, ((const char *const[]){"150", "158", "197", "185"})) : "FLU",
					      day)))
				return rc;
		}
	}
	/* TDAP, HIB, IPV and HEPB x3 from 6 months, given together */
	{
		ef_day v[3];
		v[0] = m6 + vdelay(g);
		v[1] = v[0] + rnd(r, 28, 60) + (g->adherence == 1 ? rnd(r, 0, 60) : 0);
		v[2] = v[1] + rnd(r, 28, 60) + (g->adherence == 1 ? rnd(r, 0, 60) : 0);
		int skip_t = vskip(g), skip_h = vskip(g), skip_i = vskip(g), skip_b = vskip(g);
		int combo = cvx && g->child && age_at_day0 < 7;
		for (int i = 0; i < 3 && v[i] <= e->end; i++) {
			if (i > 0 && g->adherence == 2 && chance(r, 150))
				break;
			if (combo) {
				if ((rc = put_vaccine(g, "120", v[i]))) /* DTaP-Hib-IPV */
					return rc;
			} else {
				if (!skip_t && (rc = put_vaccine(g, cvx ? (i == 0 ? "115" : "113") : "TDAP", v[i])))
					return rc;
				if (!skip_h && (rc = put_vaccine(g, cvx ? "48" : "HIB", v[i])))
					return rc;
				if (!skip_i && (rc = put_vaccine(g, cvx ? "10" : "IPV", v[i])))
					return rc;
			}
		}
		if (!skip_b) {
			ef_day b[3] = {v[0], v[0] + rnd(r, 28, 45), 0};
			b[2] = b[1] + rnd(r, 56, 150);
			const char *hb = cvx ? (g->child ? "08" : "43") : "HEPB";
			for (int i = 0; i < 3 && b[i] <= e->end; i++)
				if ((rc = put_vaccine(g, hb, b[i])))
					return rc;
		}
	}
	/* MenACWY x2 (some), HPV x3 (age 9-26), RZV x2 (age >= 19), HepA x2 (some) */
	if (chance(r, 400)) {
		const char *m = cvx ? "114" : "MENACWY";
		const char *const codes[2] = {m, m};
		series(g, codes, 2, m6, 56, 90, &last, &rc);
		if (rc)
			return rc;
	}
	int age6 = ef_age_years(g->birth, m6);
	if (age6 >= 9 && age6 <= 26 && !vskip(g)) {
		const char *h = cvx ? "165" : "HPV";
		ef_day day = m6 + vdelay(g);
		ef_day hd[3] = {day, day + rnd(r, 28, 60), 0};
		hd[2] = hd[1] + rnd(r, 84, 120);
		for (int i = 0; i < 3 && hd[i] <= e->end; i++)
			if ((rc = put_vaccine(g, h, hd[i])))
				return rc;
	}
	if (age6 >= 19 && !vskip(g)) {
		const char *z = cvx ? "187" : "RZV";
		const char *const codes[2] = {z, z};
		series(g, codes, 2, e->type == EF_HCT_AUTOLOGOUS ? m3 : m6, 28, 60, &last, &rc);
		if (rc)
			return rc;
	}
	if (chance(r, 250)) {
		const char *a = cvx ? (g->child ? "83" : "52") : "HEPA";
		const char *const codes[2] = {a, a};
		series(g, codes, 2, m6, 183, 240, &last, &rc);
		if (rc)
			return rc;
	}
	/* live vaccines: only after 24 months with the gate open, and rarely */
	if (e->last) {
		ef_day when = ef_add_months(d0, 24, EF_MONTHS_CLAMP);
		if (e->is_last_stop != EF_NO_DAY && ef_add_months(e->is_last_stop, 12, EF_MONTHS_CLAMP) > when)
			when = ef_add_months(e->is_last_stop, 12, EF_MONTHS_CLAMP);
		ef_day iv = last_ivig_before(g, e->end);
		if (iv != EF_NO_DAY && ef_add_months(iv, 8, EF_MONTHS_CLAMP) > when)
			when = ef_add_months(iv, 8, EF_MONTHS_CLAMP);
		when += rnd(r, 14, 120);
		int gate = !e->is_ongoing && e->c_first == EF_NO_DAY &&
			   (e->a_last_active == EF_NO_DAY || e->a_last_active + 100 < when);
		if (gate && when <= e->end && chance(r, 60) && (rc = put_vaccine(g, cvx ? "03" : "MMR", when)))
			return rc;
	}
	return EF_OK;
}

/* ---- patients ---- */

struct weighted {
	int w;
	const char *s;
};

static const char *pick_w(struct rng *r, const struct weighted *t)
{
	int total = 0;
	for (const struct weighted *p = t; p->s; p++)
		total += p->w;
	int x = rnd(r, 0, total - 1);
	for (const struct weighted *p = t; p->s; p++) {
		if (x < p->w)
			return p->s;
		x -= p->w;
	}
	return t->s;
}

static const struct weighted dx_allo[] = {
	{35, "AML"}, {12, "ALL"}, {15, "MDS"}, {6, "myelofibrosis"}, {3, "CML"}, {5, "aplastic anaemia"},
	{10, "non-Hodgkin lymphoma"}, {4, "CLL"}, {0, NULL}};
static const struct weighted dx_allo_child[] = {
	{45, "ALL"}, {25, "AML"}, {10, "aplastic anaemia"}, {8, "sickle cell disease"}, {5, "thalassaemia major"},
	{7, "JMML"}, {0, NULL}};
static const struct weighted dx_auto[] = {
	{55, "multiple myeloma"}, {15, "diffuse large B-cell lymphoma"}, {12, "Hodgkin lymphoma"},
	{8, "mantle cell lymphoma"}, {5, "follicular lymphoma"}, {5, "AL amyloidosis"}, {0, NULL}};
static const struct weighted dx_auto_child[] = {{60, "neuroblastoma"}, {40, "Hodgkin lymphoma"}, {0, NULL}};

static void allo_graft(struct rng *r, struct ep *e, int age, int child)
{
	e->type = EF_HCT_ALLOGENEIC;
	int p = rnd(r, 0, 99);
	if (p < (child ? 25 : 8)) {
		e->graft = EF_GRAFT_CORD_BLOOD;
		e->donor = EF_DONOR_UNRELATED;
	} else {
		e->graft = p < (child ? 55 : 28) ? EF_GRAFT_BONE_MARROW : EF_GRAFT_PERIPHERAL_BLOOD;
		int q = rnd(r, 0, 99);
		e->donor = q < 30 ? EF_DONOR_RELATED : q < 75 ? EF_DONOR_UNRELATED : EF_DONOR_HAPLO;
	}
	int c = rnd(r, 0, 99);
	if (child)
		e->cond = c < 85 ? EF_COND_MYELOABLATIVE : EF_COND_REDUCED_INTENSITY;
	else if (age > 55)
		e->cond = c < 20 ? EF_COND_MYELOABLATIVE : c < 85 ? EF_COND_REDUCED_INTENSITY : EF_COND_NONMYELOABLATIVE;
	else
		e->cond = c < 65 ? EF_COND_MYELOABLATIVE : c < 95 ? EF_COND_REDUCED_INTENSITY : EF_COND_NONMYELOABLATIVE;
}

static void auto_graft(struct rng *r, struct ep *e)
{
	e->type = EF_HCT_AUTOLOGOUS;
	e->graft = chance(r, 970) ? EF_GRAFT_PERIPHERAL_BLOOD : EF_GRAFT_BONE_MARROW;
	e->donor = EF_DONOR_SELF;
	e->cond = EF_COND_MYELOABLATIVE;
}

/* ---- the course after the latest transplant: status rows ---- */

/* Relapse, death, transfer or loss, at believable rates for the transplant
 * type over the time followed (by 3 years: relapse ~25% after allogeneic,
 * ~35% after autologous; deaths ~27% and ~17%, most after a relapse, the
 * rest early non-relapse mortality; a few % transferred or lost, some of
 * the transferred come back). The record of a patient who died, or left
 * without coming back, ends on that day (e->end). */
struct course {
	ef_day relapse, death, moved, back, contact; /* EF_NO_DAY: none */
	int lost;                                   /* moved: lost_to_followup, else transferred */
};

static void plan_course(struct rng *r, struct ep *e, struct course *c)
{
	const int span = e->end - e->day0, autol = e->type == EF_HCT_AUTOLOGOUS;
	c->relapse = c->death = c->moved = c->back = c->contact = EF_NO_DAY;
	c->lost = 0;
	if (span < 30)
		return;
	const int f = span >= 1095 ? 1000 : 300 + 700 * span / 1095; /* share of the 3-year risk reached */
	if (span >= 90 && chance(r, (autol ? 350 : 250) * f / 1000))
		c->relapse = e->day0 + rnd(r, 60, span);
	if (c->relapse != EF_NO_DAY && c->relapse + 30 <= e->end && chance(r, autol ? 450 : 550))
		c->death = rnd(r, c->relapse + 30, e->end);
	else if (c->relapse == EF_NO_DAY && chance(r, (autol ? 50 : 180) * f / 1000))
		c->death = e->day0 + rnd(r, 20, span < 365 ? span : 365);
	if (c->death == EF_NO_DAY && span >= 120 && chance(r, 45)) {
		c->moved = e->day0 + rnd(r, 100, span);
		c->lost = chance(r, 400);
		if (!c->lost && c->moved + 60 <= e->end && chance(r, 200))
			c->back = rnd(r, c->moved + 30, e->end);
		if (c->relapse != EF_NO_DAY && c->relapse > c->moved && c->back == EF_NO_DAY)
			c->relapse = EF_NO_DAY; /* happened elsewhere: this clinic does not know */
	}
	if (c->death != EF_NO_DAY)
		e->end = c->death;
	else if (c->moved != EF_NO_DAY && c->back == EF_NO_DAY)
		e->end = c->moved;
	else /* in care: the last visit, phone call or letter */
		c->contact = e->end - rnd(r, 0, span < 60 ? span : 60);
}

static int put_status(struct gen *g, ef_day day, const char *status)
{
	int rc;
	if (day == EF_NO_DAY || (rc = check_day(g, day, "status")))
		return day == EF_NO_DAY ? EF_OK : rc;
	char d[11];
	ef_date_format(day, d);
	struct store_status_rec r = {g->pid, d, status, NULL, NULL, 0};
	enum store_put res;
	if ((rc = store_put_status(g->s, &r, g->import_id, &res, g->err)))
		return rc;
	return count_put(g, STORE_K_STATUS, res);
}

static int emit_course(struct gen *g, const struct course *c)
{
	int rc;
	if ((rc = put_status(g, c->contact, "alive")) || (rc = put_status(g, c->relapse, "relapse")) ||
	    (rc = put_status(g, c->death, "deceased")) ||
	    (rc = put_status(g, c->moved, c->lost ? "lost_to_followup" : "transferred")))
		return rc;
	return put_status(g, c->back, "returned");
}

static int emit_episode(struct gen *g, int age)
{
	int rc, ivig_from = g->n_ivig;
	struct ep *e = &g->ep;
	if ((rc = put_transplant(g, e)) || (rc = emit_acute(g)) || (rc = emit_chronic(g)) || (rc = emit_is(g)) ||
	    (rc = emit_counts(g)) || (rc = emit_immune(g)) || (rc = emit_ivig(g, ivig_from)))
		return rc;
	return emit_vaccines(g, age);
}

/* ---- the follow-up calendar's time points done ----
 * From the site's calendar (followup.h) of the patient as written so far:
 * most time points due by as-of are done within three weeks of their due
 * date, fewer the less adherent the patient, so a demo clinic has a few
 * overdue forms and screenings, not every one. */
static int emit_followups(struct gen *g)
{
	if (!g->ref)
		return EF_OK;
	struct ef_timeline tl;
	struct ef_fu_list l;
	ef_timeline_init(&tl);
	ef_fu_list_init(&l);
	/* the calendar reads the transplants, the status and the time points
	 * done, not lab results (some are still waiting in g->labs) */
	int rc = store_load_timeline_parts(g->s, g->pid, g->as_of, STORE_TL_FOLLOWUPS, &tl, g->err);
	if (!rc)
		rc = ef_followup_calendar(&tl, g->ref, g->as_of, &l, g->err);
	static const int done_permille[] = {940, 820, 600}; /* by adherence */
	for (size_t i = 0; !rc && i < l.n; i++) {
		const struct ef_fu_entry *x = &l.v[i];
		if (x->status == EF_FU_UPCOMING)
			continue; /* done ones too: a second run draws and writes the same */
		if (!chance(&g->r, done_permille[g->adherence]))
			continue;
		ef_day on = x->due_on + rnd(&g->r, 0, 20);
		if (on > g->as_of)
			continue; /* not yet: it is due now */
		char d[11];
		ef_date_format(on, d);
		struct store_followup_rec r = {g->pid, x->item, x->time_point, d, NULL, NULL, 0};
		enum store_put res;
		if (!(rc = check_day(g, on, "follow-up")) &&
		    !(rc = store_put_followup(g->s, &r, g->import_id, &res, g->err)))
			rc = count_put(g, STORE_K_FOLLOWUPS, res);
	}
	ef_fu_list_free(&l);
	ef_timeline_free(&tl);
	return rc;
}

static int gen_patient(struct gen *g, uint64_t seed, long k)
{
	struct rng *r = &g->r;
	rng_seed(r, seed, (uint64_t)k);
	g->n_ivig = 0;
	g->child = chance(r, 80);
	const int age = g->child ? rnd(r, 1, 17) : 18 + (rnd(r, 0, 57) > rnd(r, 0, 57) ? rnd(r, 20, 57) : rnd(r, 0, 57));
	/* the latest transplant */
	struct ep last;
	memset(&last, 0, sizeof last);
	const char *dx;
	int p = rnd(r, 0, 999);
	int auto_share = g->child ? 120 : age > 70 ? 550 : 330;
	if (p < auto_share) {
		auto_graft(r, &last);
		dx = pick_w(r, g->child ? dx_auto_child : dx_auto);
	} else if (!g->child && p >= 990) {
		last.type = EF_HCT_SYNGENEIC;
		last.graft = EF_GRAFT_PERIPHERAL_BLOOD;
		last.donor = EF_DONOR_RELATED;
		last.cond = EF_COND_MYELOABLATIVE;
		dx = pick_w(r, dx_allo);
	} else {
		allo_graft(r, &last, age, g->child);
		dx = pick_w(r, g->child ? dx_allo_child : dx_allo);
	}
	const int offset = chance(r, 80) ? rnd(r, 0, 60) : rnd(r, 61, 1095);
	last.day0 = g->as_of - offset;
	last.end = g->as_of;
	last.last = 1;
	/* a few second transplants: after primary graft failure, a tandem
	 * autologous, or a relapse */
	struct ep first;
	int has_first = 0, first_fail = 0;
	memset(&first, 0, sizeof first);
	if (chance(r, 30)) {
		has_first = 1;
		int gap;
		if (last.type == EF_HCT_ALLOGENEIC && chance(r, 500)) {
			first = last;
			first_fail = 1;
			gap = rnd(r, 36, 55);
			last.graft = chance(r, 600) ? EF_GRAFT_PERIPHERAL_BLOOD : EF_GRAFT_CORD_BLOOD;
			last.donor = last.graft == EF_GRAFT_CORD_BLOOD ? EF_DONOR_UNRELATED : EF_DONOR_HAPLO;
			last.cond = EF_COND_REDUCED_INTENSITY;
		} else if (last.type == EF_HCT_AUTOLOGOUS) {
			first = last;
			gap = rnd(r, 60, 180);
		} else {
			auto_graft(r, &first);
			if (last.type != EF_HCT_ALLOGENEIC || chance(r, 500))
				first = last;
			gap = rnd(r, 200, 700);
		}
		first.day0 = last.day0 - gap;
		first.end = last.day0 - 8;
		first.last = 0;
	}
	const ef_day first_day0 = has_first ? first.day0 : last.day0;
	g->birth = first_day0 - age * 365 - rnd(r, 0, 364);
	p = rnd(r, 0, 99);
	g->units = p < 65 ? 0 : p < 85 ? 1 : 2;
	g->ig_gl = g->units == 2 || chance(r, 100);
	g->cvx = chance(r, 300);
	p = rnd(r, 0, 99);
	g->adherence = p < 70 ? 0 : p < 92 ? 1 : 2;

	/* the patient row */
	char mrn[32], family[64], bd[11];
	snprintf(mrn, sizeof mrn, "DEMO%06ld", k);
	snprintf(family, sizeof family, "%s%s%s", PICK(r, fam_head), PICK(r, fam_mid), PICK(r, fam_tail));
	ef_date_format(g->birth, bd);
	int sx = rnd(r, 0, 99);
	struct store_patient_rec pr = {mrn, family, PICK(r, given_names), bd,
				       sx < 47 ? "F" : sx < 98 ? "M" : sx < 99 ? "X" : NULL, dx};
	enum store_put res;
	int rc;
	if ((rc = store_put_patient(g->s, &pr, g->import_id, &g->pid, &res, g->err)) ||
	    (rc = count_put(g, STORE_K_PATIENTS, res)))
		return rc;

	if (has_first) {
		g->ep = first;
		plan_episode(g, &g->ep, age);
		if (first_fail)
			g->ep.outcome = OUT_PRIMARY_FAIL;
		if ((rc = emit_episode(g, age)))
			return rc;
	}
	g->ep = last;
	plan_episode(g, &g->ep, age + (has_first ? (last.day0 - first_day0) / 365 : 0));
	if (last.type == EF_HCT_ALLOGENEIC && offset <= 90 && chance(r, 80))
		g->ep.outcome = OUT_PRIMARY_FAIL; /* recent, never recovers */
	else if (last.type == EF_HCT_ALLOGENEIC && g->ep.outcome == OUT_ENGRAFT && offset >= 120 && chance(r, 12))
		g->ep.sec_fail = g->ep.E + rnd(r, 25, 60);
	if (g->ep.outcome == OUT_PRIMARY_FAIL)
		g->ep.a_has = g->ep.c_has = 0;
	struct course c;
	plan_course(r, &g->ep, &c);
	if ((rc = emit_episode(g, age + (int)((last.day0 - first_day0) / 365))) || (rc = emit_course(g, &c)))
		return rc;
	return emit_followups(g);
}

/* One batch of patients as one import, in one transaction. */
struct demo_batch {
	struct gen *g;
	const struct ef_demo_opts *o;
	long first, last;
	const char *label;
};

static int demo_batch(struct store *s, void *ctx, struct ef_err *err)
{
	struct demo_batch *b = ctx;
	struct gen *g = b->g;
	long ins0 = g->cnt->inserted, upd0 = g->cnt->updated, unch0 = g->cnt->unchanged;
	int rc = store_import_begin(s, "demo", b->label, &g->import_id, err);
	g->labs.n = 0;
	for (long k = b->first; rc == EF_OK && k <= b->last; k++)
		rc = gen_patient(g, b->o->seed, k);
	if (rc == EF_OK)
		rc = flush_labs(g);
	if (rc == EF_OK)
		rc = store_import_end(s, g->import_id, NULL, g->cnt->inserted - ins0, g->cnt->updated - upd0,
				      g->cnt->unchanged - unch0, err);
	return rc;
}

int ef_demo_generate(struct store *s, const struct ef_demo_opts *o, struct ef_demo_counts *out,
		     struct ef_err *err)
{
	memset(out, 0, sizeof *out);
	if (o->patients < 1 || o->patients > EF_DEMO_MAX_PATIENTS)
		return ef_errf(err, EF_USAGE, "demo: --patients must be from 1 to %ld", EF_DEMO_MAX_PATIENTS);
	struct gen g = {.s = s, .cnt = out, .err = err, .as_of = o->as_of, .ref = o->ref};
	char asof[11];
	ef_date_format(o->as_of, asof);
	for (long first = 1; first <= o->patients; first += EF_DEMO_BATCH) {
		long lastp = first + EF_DEMO_BATCH - 1 < o->patients ? first + EF_DEMO_BATCH - 1 : o->patients;
		char label[128];
		snprintf(label, sizeof label, "demo --seed %llu --as-of %s patients %ld-%ld",
			 (unsigned long long)o->seed, asof, first, lastp);
		struct demo_batch b = {&g, o, first, lastp, label};
		int rc = store_tx(s, demo_batch, &b, err);
		if (rc)
			return rc;
	}
	return EF_OK;
}
