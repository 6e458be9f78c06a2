/* rules.h - the rule engine: (patient timeline, reference, as_of) -> findings
 * (docs/clinical-rules.md s.14). Pure; the store turns findings into alerts
 * with alertstate.h, one alert per (patient, rule, subject).
 *
 * Rules, subjects and when they hold (records dated after as_of ignored;
 * "day 0" is the current transplant, the latest on or before as_of; without
 * one only GVHD_SEVERE is evaluated):
 *
 * NEUTROPHIL_ENGRAFTMENT_MISSED  transplant date   critical
 *     engraftment status graft_failure (engraftment.h); due_on = deadline.
 * PLATELET_ENGRAFTMENT_DELAYED   transplant date   warning
 *     platelet status delayed; due_on = day0 + platelet_delayed_day.
 * SECONDARY_GRAFT_FAILURE        transplant date   critical
 *     an unrecovered run of low ANC after engraftment; due_on = its first day.
 * IMMUNE_MILESTONE_MISSED        milestone id      warning
 *     per milestones.csv (reference.h): the latest result in the window does
 *     not meet the milestone, or the window closed with no result;
 *     due_on = that result's day, or the window's last day.
 * IGG_LOW                        IGG               warning
 *     the latest IgG since day 0 is not certainly >= igg_low and was not drawn
 *     0..ivig_confounding_days after an IVIG; due_on = its day.
 * LAB_MONITORING_OVERDUE         test code         warning
 *     per monitoring.csv; due_on = the day the next result was due.
 * VACCINE_DUE / VACCINE_OVERDUE  CODE:N            info / warning
 *     forecast status due / overdue (vaccines.h); due_on = the due date.
 * LIVE_VACCINE_CONTRAINDICATED   CODE:N            critical
 *     a dose of a live series (or a live product) given since day 0 while the
 *     live-vaccine gate failed on its date; due_on = the day it was given.
 * GVHD_SEVERE                    assessed_on       critical
 *     the latest acute assessment has grade >= gvhd_severe_acute_min_grade,
 *     or the latest chronic one severity >= gvhd_severe_chronic_min_severity
 *     (any date, also before day 0); both on one day give one finding.
 * FOLLOWUP_OVERDUE               ITEM:TIME_POINT   warning
 *     a time point of the follow-up calendar (followup.h) is overdue: more
 *     than followup_grace_days past its due date and not done; due_on = the
 *     due date. It resolves when the time point is done, or when it no
 *     longer applies (a new transplant restarts the sequence, the patient
 *     leaves care, the site's files drop the item). */
#ifndef ENGRAFT_RULES_H
#define ENGRAFT_RULES_H

#include <stddef.h>

#include "engraft/date.h"
#include "engraft/error.h"
#include "engraft/gvhd.h"
#include "engraft/reference.h"
#include "engraft/timeline.h"

enum ef_rule {
	EF_RULE_NEUTROPHIL_ENGRAFTMENT_MISSED = 0,
	EF_RULE_PLATELET_ENGRAFTMENT_DELAYED,
	EF_RULE_SECONDARY_GRAFT_FAILURE,
	EF_RULE_IMMUNE_MILESTONE_MISSED,
	EF_RULE_IGG_LOW,
	EF_RULE_LAB_MONITORING_OVERDUE,
	EF_RULE_VACCINE_DUE,
	EF_RULE_VACCINE_OVERDUE,
	EF_RULE_LIVE_VACCINE_CONTRAINDICATED,
	EF_RULE_GVHD_SEVERE,
	EF_RULE_FOLLOWUP_OVERDUE,
	EF_RULE_COUNT
};

enum ef_severity { EF_SEV_CRITICAL = 0, EF_SEV_WARNING, EF_SEV_INFO };

#define EF_SUBJECT_LEN 32
#define EF_MESSAGE_LEN 640

struct ef_finding {
	enum ef_rule rule;
	enum ef_severity severity;
	char subject[EF_SUBJECT_LEN];
	ef_day due_on;                /* EF_NO_DAY: none */
	char message[EF_MESSAGE_LEN];
};

struct ef_findings {
	struct ef_finding *v;
	size_t n, cap;
	/* Why every open alert of the patient resolves ("" when the findings
	 * decide alone): the patient is not in this clinic's care as of the
	 * date (engraft/vital.h: "deceased on DATE", "transferred on DATE",
	 * "lost to follow-up on DATE"), so there are no findings. Recorded in
	 * the alert history with each resolution. */
	char resolve_reason[64];
	/* The earliest day after as_of on which evaluating the same timeline
	 * could give a different result (any finding added or removed, any
	 * field: rule, subject, severity, due_on, message; resolve_reason);
	 * EF_DAY_NEVER if none. Only what findings show counts: a blocked
	 * dose's moving due date or an upcoming time point turning due do
	 * not (the forecast's and the calendar's own next_change do).
	 * Never later than the true next change, as_of + 1 only when the
	 * result moves daily (docs/architecture.md, "When findings can
	 * change"). */
	ef_day next_change;
};

void ef_findings_init(struct ef_findings *f);
void ef_findings_free(struct ef_findings *f);

/* Evaluate every rule for one patient. out is cleared first; findings come
 * sorted by rule then subject, at most one per (rule, subject). A patient
 * not in care as of the date (deceased, transferred, lost to follow-up) has
 * none, and out->resolve_reason says why.
 * EF_DB only when out of memory. */
int ef_rules_evaluate(const struct ef_timeline *tl, const struct ef_reference *ref, ef_day as_of,
		      struct ef_findings *out, struct ef_err *err);

/* The latest GVHD assessment of a kind on or before as_of (EF_NO_DAY: the
 * latest of all), NULL when there is none. The rules and every screen use
 * these, so "latest" means one thing. */
const struct ef_gvhd_acute *ef_latest_acute(const struct ef_timeline *tl, ef_day as_of);
const struct ef_gvhd_chronic *ef_latest_chronic(const struct ef_timeline *tl, ef_day as_of);

/* How a screen shows a GVHD grade or severity: none (grade 0, none),
 * present (grade I or more, mild or more) or severe by the site's
 * parameters (gvhd_severe_acute_min_grade, gvhd_severe_chronic_min_severity),
 * the same test GVHD_SEVERE applies. */
enum ef_gvhd_class { EF_GVHD_NONE = 0, EF_GVHD_PRESENT, EF_GVHD_SEVERE };
enum ef_gvhd_class ef_agvhd_class(const struct ef_reference *ref, enum ef_agvhd_grade g);
enum ef_gvhd_class ef_cgvhd_class(const struct ef_reference *ref, enum ef_cgvhd_severity s);

/* "NEUTROPHIL_ENGRAFTMENT_MISSED", ... and back (0 / -1). */
const char *ef_rule_id(enum ef_rule r);
int ef_rule_parse(const char *s, enum ef_rule *out);
/* The fixed severity of a rule (docs/clinical-rules.md s.14.1). */
enum ef_severity ef_rule_severity(enum ef_rule r);
/* "critical", "warning", "info" and back (0 / -1). */
const char *ef_severity_str(enum ef_severity s);
int ef_severity_parse(const char *s, enum ef_severity *out);

#endif
