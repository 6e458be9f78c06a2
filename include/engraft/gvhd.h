/* gvhd.h - acute GVHD overall grade (MAGIC, Harris 2016) and chronic GVHD
 * global severity (NIH 2014, Jagasia 2015). docs/clinical-rules.md s.8-9.
 * Pure functions of organ stages/scores; computed on entry, stored with the
 * assessment, never typed by a user. */
#ifndef ENGRAFT_GVHD_H
#define ENGRAFT_GVHD_H

#include "engraft/timeline.h"

enum ef_agvhd_grade { EF_AGVHD_0 = 0, EF_AGVHD_I, EF_AGVHD_II, EF_AGVHD_III, EF_AGVHD_IV };
enum ef_cgvhd_severity { EF_CGVHD_NONE = 0, EF_CGVHD_MILD, EF_CGVHD_MODERATE, EF_CGVHD_SEVERE };

/* Organ stage limits for validation: skin, liver, lower GI 0-4; upper GI 0-1. */
#define EF_AGVHD_MAX_STAGE 4
#define EF_AGVHD_MAX_UPPER_GI 1
#define EF_CGVHD_MAX_SCORE 3

/* Stages must be in range (caller validates); returns the MAGIC grade. */
enum ef_agvhd_grade ef_agvhd_grade(int skin, int liver, int upper_gi, int lower_gi);
enum ef_agvhd_grade ef_agvhd_grade_of(const struct ef_gvhd_acute *a);

/* Scores 0-3 (caller validates); returns the NIH 2014 global severity. */
enum ef_cgvhd_severity ef_cgvhd_severity(const int scores[8], int lungs_index);
enum ef_cgvhd_severity ef_cgvhd_severity_of(const struct ef_gvhd_chronic *c);

const char *ef_agvhd_grade_str(enum ef_agvhd_grade g);     /* "0","I","II","III","IV" */
const char *ef_cgvhd_severity_str(enum ef_cgvhd_severity s); /* "none","mild",... */
int ef_agvhd_grade_parse(const char *s, enum ef_agvhd_grade *out);
int ef_cgvhd_severity_parse(const char *s, enum ef_cgvhd_severity *out);

#endif
