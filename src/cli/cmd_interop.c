/* cmd_interop.c - the interchange kinds of `import`: `engraft import hl7
 * FILE` (HL7 v2 ORU^R01 lab results and VXU^V04 immunizations), and what
 * `import hl7 --help` says about the mapping (interop.h). */
#include <stdio.h>
#include <string.h>

#include "cli_int.h"
#include "engraft/app.h"
#include "engraft/fhir.h"
#include "engraft/interop.h"

static void print_diag(void *ctx, const char *msg)
{
	(void)ctx;
	cli_print_msg(msg);
}

int cli_import_hl7(struct cli *c, FILE *in, const char *name)
{
	struct ef_err err = {{0}};
	int rc = cli_open(c, &err);
	if (rc)
		return cli_fail_err(rc, &err);
	struct app_env env = cli_env(c, NULL);
	struct ef_hl7_result res;
	rc = app_import_hl7(&env, c->now_sec, in, name, print_diag, NULL, &res, &err);
	if (rc)
		return cli_fail_err(rc, &err);
	printf("%s: %ld message%s, %ld record%s: %ld inserted, %ld updated, %ld unchanged; %ld skipped "
	       "(OBX-11 P/I/X, RXA-20 RE/NA), %ld replaced by a later one\n",
	       name, res.messages, res.messages == 1 ? "" : "s", res.r.rows, res.r.rows == 1 ? "" : "s",
	       res.r.inserted, res.r.updated, res.r.unchanged, res.skipped, res.replaced);
	return EF_OK;
}

int cli_import_fhir(struct cli *c, FILE *in, const char *name)
{
	struct ef_err err = {{0}};
	int rc = cli_open(c, &err);
	if (rc)
		return cli_fail_err(rc, &err);
	struct app_env env = cli_env(c, NULL);
	struct ef_fhir_result res;
	rc = app_import_fhir(&env, c->now_sec, in, name, print_diag, NULL, &res, &err);
	if (rc)
		return cli_fail_err(rc, &err);
	printf("%s: %ld patient%s, %ld record%s: %ld inserted, %ld updated, %ld unchanged; %ld skipped (status), "
	       "%ld observations not followed (no LOINC code of loinc.csv), %ld other resources\n",
	       name, res.patients, res.patients == 1 ? "" : "s", res.r.rows, res.r.rows == 1 ? "" : "s", res.r.inserted,
	       res.r.updated, res.r.unchanged, res.skipped, res.not_followed, res.other);
	return EF_OK;
}

int cli_export_vxu(struct cli *c, ef_day since, const char *mrn, FILE *out, struct ef_err *err)
{
	/* MSH-7: now, local time, as the clock says it (cli.c) */
	char day[11], stamp[40];
	int sec = c->now_sec >= 0 ? c->now_sec % 86400 : 0;
	ef_date_format(c->today, day);
	snprintf(stamp, sizeof stamp, "%.4s%.2s%.2s%02d%02d%02d", day, day + 5, day + 8, sec / 3600,
		 sec / 60 % 60, sec % 60);
	long n;
	return ef_export_vxu(c->store, since, mrn, stamp, out, &n, print_diag, NULL, err);
}

int cli_export_fhir(struct cli *c, const char *mrn, FILE *out, struct ef_err *err)
{
	struct ef_fhir_counts n;
	if (mrn) { /* one patient who is not there is a mistake, not an empty bundle */
		int64_t id;
		int rc = store_patient_id(c->store, mrn, strlen(mrn), &id, NULL, err);
		if (rc)
			return rc;
		if (!id)
			return ef_errf(err, EF_INVALID, "export fhir: unknown MRN '%s'", mrn);
	}
	return ef_export_fhir(c->store, mrn, out, &n, err);
}

void cli_hl7_help(FILE *out)
{
	fputs("\nimport hl7 FILE: HL7 v2 (2.3 to 2.5.1) messages, segments ending in CR, LF\n"
	      "or CRLF; encoding characters from MSH-1 and MSH-2; escapes \\F\\ \\S\\ \\T\\\n"
	      "\\R\\ \\E\\ \\Xhh\\ \\.br\\ (others refused). Each record is checked as a row\n"
	      "of labs or vaccinations would be; a problem is FILE:LINE: SEG-N: reason.\n"
	      "ORU^R01, one lab result per OBX:\n"
	      "  PID-3   the MRN (the identifier of type MR, else the first)\n"
	      "  OBX-2   NM, or SN (<^0.1 is <0.1; ranges and <= >= refused)\n"
	      "  OBX-3   a LOINC code that loinc.csv maps to a test\n"
	      "  OBX-5   the value; OBX-6 its unit (converted, never guessed)\n"
	      "  OBX-14  collected (else OBR-7): YYYYMMDD[HHMM[SS]], offset dropped\n"
	      "  OBX-11  F stored, C corrects, W entered in error, P I X skipped\n"
	      "VXU^V04, one dose per RXA:\n"
	      "  RXA-3   the date given; RXA-5 a CVX code of cvx.csv\n"
	      "  RXA-9   00 administered, 01-08 historical; RXA-15 the lot\n"
	      "  RXR-2   the site; RXA-10 given_by; RXA-17 (manufacturer) not kept\n"
	      "  RXA-20  RE, NA: no dose (skipped); RXA-21 D: entered in error\n"
	      "Importing the same file again changes nothing; one import record and\n"
	      "audit entry per file, with its SHA-256.\n"
	      "\nimport fhir FILE: the Observations and Immunizations of a FHIR R4\n"
	      "Bundle (JSON) for registered patients (Patient.identifier of type MR):\n"
	      "  Observation   LOINC code of loinc.csv (others not followed), status\n"
	      "                final/amended/corrected, entered-in-error marks,\n"
	      "                preliminary etc. skipped; effectiveDateTime to local\n"
	      "                time; valueQuantity value, comparator, code (UCUM)\n"
	      "  Immunization  CVX vaccineCode, occurrenceDateTime, lotNumber, site;\n"
	      "                primarySource with lot and site: administered, else\n"
	      "                historical; not-done skipped\n"
	      "Problems are FILE: entry[N] Type.element: reason.\n",
	      out);
}
