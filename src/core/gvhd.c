/* gvhd.c - MAGIC acute grade and NIH 2014 chronic global severity.
 * The algorithms are the tables of docs/clinical-rules.md s.8 and s.9. */
#include "engraft/gvhd.h"

#include <string.h>

enum ef_agvhd_grade ef_agvhd_grade(int skin, int liver, int upper_gi, int lower_gi)
{
	if (skin == 4 || liver == 4 || lower_gi == 4)
		return EF_AGVHD_IV;
	if (liver == 2 || liver == 3 || lower_gi == 2 || lower_gi == 3)
		return EF_AGVHD_III;
	if (skin == 3 || liver == 1 || upper_gi == 1 || lower_gi == 1)
		return EF_AGVHD_II;
	if (skin == 1 || skin == 2)
		return EF_AGVHD_I;
	return EF_AGVHD_0;
}

enum ef_agvhd_grade ef_agvhd_grade_of(const struct ef_gvhd_acute *a)
{
	return ef_agvhd_grade(a->skin, a->liver, a->upper_gi, a->lower_gi);
}

enum ef_cgvhd_severity ef_cgvhd_severity(const int scores[8], int lungs_index)
{
	int involved = 0, any3 = 0, nonlung2 = 0;
	for (int i = 0; i < 8; i++) {
		if (scores[i] >= 1)
			involved++;
		if (scores[i] == 3)
			any3 = 1;
		if (i != lungs_index && scores[i] == 2)
			nonlung2 = 1;
	}
	int lung = lungs_index >= 0 && lungs_index < 8 ? scores[lungs_index] : 0;
	if (involved == 0)
		return EF_CGVHD_NONE;
	if (any3 || lung >= 2)
		return EF_CGVHD_SEVERE;
	if (nonlung2 || lung == 1 || involved >= 3)
		return EF_CGVHD_MODERATE;
	return EF_CGVHD_MILD;
}

enum ef_cgvhd_severity ef_cgvhd_severity_of(const struct ef_gvhd_chronic *c)
{
	const int s[8] = {c->skin, c->mouth, c->eyes, c->gi, c->liver, c->lungs, c->joints, c->genital};
	return ef_cgvhd_severity(s, 5);
}

static const char *const agrade_s[] = {"0", "I", "II", "III", "IV"};
static const char *const csev_s[] = {"none", "mild", "moderate", "severe"};

const char *ef_agvhd_grade_str(enum ef_agvhd_grade g)
{
	return (unsigned)g <= EF_AGVHD_IV ? agrade_s[g] : "";
}

const char *ef_cgvhd_severity_str(enum ef_cgvhd_severity s)
{
	return (unsigned)s <= EF_CGVHD_SEVERE ? csev_s[s] : "";
}

int ef_agvhd_grade_parse(const char *s, enum ef_agvhd_grade *out)
{
	for (int i = 0; i <= EF_AGVHD_IV; i++)
		if (strcmp(s, agrade_s[i]) == 0) {
			*out = (enum ef_agvhd_grade)i;
			return 0;
		}
	return -1;
}

int ef_cgvhd_severity_parse(const char *s, enum ef_cgvhd_severity *out)
{
	for (int i = 0; i <= EF_CGVHD_SEVERE; i++)
		if (strcmp(s, csev_s[i]) == 0) {
			*out = (enum ef_cgvhd_severity)i;
			return 0;
		}
	return -1;
}
