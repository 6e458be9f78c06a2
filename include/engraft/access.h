/* access.h - who may do what (docs/architecture.md s.8, man page PERMISSIONS).
 *
 * Identity is the operating system login; the staff list in the database
 * gives each login one role. The table of roles and actions is here, pure
 * data, so it is tested without a database and printed in the man page. A
 * login that is not on the list, or is disabled, may do nothing at all. */
#ifndef ENGRAFT_ACCESS_H
#define ENGRAFT_ACCESS_H

#include "engraft/rules.h"

enum ef_role {
	EF_ROLE_ADMIN = 0,
	EF_ROLE_CLINICIAN,
	EF_ROLE_NURSE,
	EF_ROLE_CLERK,
	EF_ROLE_AUDITOR,
	EF_ROLE_COUNT
};

/* The actions a role is allowed or refused (one row of the table each). */
enum ef_action {
	EF_ACT_READ = 0,        /* look: export, alerts, due, audit verify/log, the TUI's lists */
	EF_ACT_PATIENTS,        /* register patients, record transplants */
	EF_ACT_LABS,            /* lab results */
	EF_ACT_NURSING,         /* vaccinations, transfusions, IVIG */
	EF_ACT_TREATMENT,       /* GVHD assessments, immunosuppression */
	EF_ACT_ACK_NURSING,     /* acknowledge vaccine and lab-monitoring alerts */
	EF_ACT_ACK_CLINICAL,    /* acknowledge every other alert */
	EF_ACT_CHECK,           /* run the rules over the clinic */
	EF_ACT_STAFF,           /* add, disable, change the role of staff */
	EF_ACT_REFERENCE,       /* load a site's reference data (init --assets) */
	EF_ACT_DEMO,            /* fill the synthetic demo cohort */
	EF_ACT_BACKUP,          /* copy the whole database */
	EF_ACT_COUNT
};

/* The printed names: "admin" ... and "record vaccinations, transfusions and
 * IVIG" ... ("" when out of range). */
const char *ef_role_name(enum ef_role r);
const char *ef_action_name(enum ef_action a);
/* 0 and *out set when s names a role ("nurse"), else -1. */
int ef_role_parse(const char *s, enum ef_role *out);

/* Whether role r may do a. */
int ef_role_may(enum ef_role r, enum ef_action a);

/* The action that acknowledging an alert of this rule needs: the nursing
 * ones for VACCINE_DUE, VACCINE_OVERDUE and LAB_MONITORING_OVERDUE, the
 * clinical one for the others (a contraindicated live dose, graft and
 * immune findings, GVHD are a clinician's decision). */
enum ef_action ef_ack_action(enum ef_rule rule);

/* The roles that may do a, as text ("admin, clinician or nurse"). */
void ef_action_roles(enum ef_action a, char *buf, size_t size);

/* A staff login as the database keeps it: 1 to 32 bytes of letters,
 * digits, '.', '_', '-' (not first), the portable Unix user name. NULL when
 * valid, else why not. */
const char *ef_login_problem(const char *login);

#endif
