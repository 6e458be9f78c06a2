/* access.c - the permission table (include/engraft/access.h). */
#include "engraft/access.h"

#include <stdio.h>
#include <string.h>

static const char *const role_names[EF_ROLE_COUNT] = {"admin", "clinician", "nurse", "clerk", "auditor"};

#define R(r) (1u << (r))
#define ALL (R(EF_ROLE_ADMIN) | R(EF_ROLE_CLINICIAN) | R(EF_ROLE_NURSE) | R(EF_ROLE_CLERK) | R(EF_ROLE_AUDITOR))
#define AD R(EF_ROLE_ADMIN)
#define CL R(EF_ROLE_CLINICIAN)
#define NU R(EF_ROLE_NURSE)
#define CK R(EF_ROLE_CLERK)

/* One row per action: its name and the roles that may do it. */
static const struct {
	const char *name;
	unsigned roles;
} actions[EF_ACT_COUNT] = {
	[EF_ACT_READ] = {"read the record", ALL},
	[EF_ACT_PATIENTS] = {"register patients and transplants", AD | CL | CK},
	[EF_ACT_LABS] = {"enter lab results", AD | CL | NU | CK},
	[EF_ACT_NURSING] = {"record doses, transfusions and IVIG", AD | CL | NU},
	[EF_ACT_TREATMENT] = {"record GVHD or immunosuppression", AD | CL},
	[EF_ACT_ACK_NURSING] = {"acknowledge vaccine and monitoring alerts", AD | CL | NU},
	[EF_ACT_ACK_CLINICAL] = {"acknowledge clinical alerts", AD | CL},
	[EF_ACT_CHECK] = {"run the rules (check)", AD | CL | NU},
	[EF_ACT_STAFF] = {"manage staff", AD},
	[EF_ACT_REFERENCE] = {"load reference data (init --assets)", AD},
	[EF_ACT_DEMO] = {"fill the demo cohort", AD},
	[EF_ACT_BACKUP] = {"back up the database", AD},
};

const char *ef_role_name(enum ef_role r)
{
	return (unsigned)r < EF_ROLE_COUNT ? role_names[r] : "";
}

const char *ef_action_name(enum ef_action a)
{
	return (unsigned)a < EF_ACT_COUNT ? actions[a].name : "";
}

int ef_role_parse(const char *s, enum ef_role *out)
{
	for (int i = 0; s && i < EF_ROLE_COUNT; i++)
		if (strcmp(s, role_names[i]) == 0) {
			*out = (enum ef_role)i;
			return 0;
		}
	return -1;
}

int ef_role_may(enum ef_role r, enum ef_action a)
{
	return (unsigned)r < EF_ROLE_COUNT && (unsigned)a < EF_ACT_COUNT && (actions[a].roles & R(r)) != 0;
}

enum ef_action ef_ack_action(enum ef_rule rule)
{
	switch (rule) {
	case EF_RULE_VACCINE_DUE:
	case EF_RULE_VACCINE_OVERDUE:
	case EF_RULE_LAB_MONITORING_OVERDUE:
	case EF_RULE_FOLLOWUP_OVERDUE:
		return EF_ACT_ACK_NURSING;
	default:
		return EF_ACT_ACK_CLINICAL;
	}
}

void ef_action_roles(enum ef_action a, char *buf, size_t size)
{
	size_t o = 0;
	int n = 0, total = 0;
	buf[0] = '\0';
	for (int r = 0; r < EF_ROLE_COUNT; r++)
		total += ef_role_may((enum ef_role)r, a);
	for (int r = 0; r < EF_ROLE_COUNT && o < size; r++) {
		if (!ef_role_may((enum ef_role)r, a))
			continue;
		n++;
		const char *sep = n == 1 ? "" : n == total ? " or " : ", ";
		int w = snprintf(buf + o, size - o, "%s%s", sep, role_names[r]);
		if (w < 0)
			break;
		o += (size_t)w;
	}
}

const char *ef_login_problem(const char *login)
{
	size_t n = login ? strlen(login) : 0;
	if (n == 0)
		return "a login is required";
	if (n > 32)
		return "a login is at most 32 bytes";
	if (login[0] == '-')
		return "a login does not start with '-'";
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)login[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
		      c == '_' || c == '-'))
			return "a login has only letters, digits, '.', '_' and '-'";
	}
	return NULL;
}
