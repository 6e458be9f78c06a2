/* commands.c - the command table: name, usage, summary, help, function.
 * `engraft --help` and each `engraft COMMAND --help` are generated from it. */
#include "cli_int.h"

const struct command ef_commands[] = {
	{"init", "[--assets DIR]", "create the database or migrate it to the current schema (idempotent)",
	 "Options:\n"
	 "  --assets DIR  load the reference tables (cvx.csv, vaccine_schedule.csv,\n"
	 "                milestones.csv, monitoring.csv, parameters.csv) from a site's\n"
	 "                edited copies in DIR instead of the built-in defaults\n",
	 cmd_init},
	{"demo", "[--patients N] [--seed S] [--as-of DATE]",
	 "fill a synthetic, deterministic cohort (no real people); default 200 patients",
	 "Options:\n"
	 "  --patients N  number of patients, 1 to 1000000 (default 200); MRNs DEMO000001...\n"
	 "  --seed S      seed of the generator (default 1); the same seed and --as-of\n"
	 "                give identical rows\n"
	 "  --as-of DATE  the day the record ends (default today); nothing is dated later\n"
	 "Rows are written like an import (one transaction and import record per 500\n"
	 "patients); running it again with the same options changes nothing.\n",
	 cmd_demo},
	{"import", "KIND FILE", "load a CSV file (FILE - for standard input); all rows or none",
	 "KIND is one of: patients, transplants, labs, transfusions, vaccinations,\n"
	 "gvhd-acute, gvhd-chronic, immunosuppression, ivig.\n"
	 "Columns are matched by name, in any order. Every bad row is reported as\n"
	 "FILE:LINE: column: reason, and then nothing is imported (exit 3).\n"
	 "Rows whose natural key exists are updated if their values differ,\n"
	 "so importing the same file again changes nothing.\n",
	 cmd_import},
	{"export", "KIND [-o FILE] [--as-of DATE] [--mrn MRN]", "write a CSV file (standard output by default)",
	 "KIND is an import kind (same columns, so an export imports again).\n"
	 "Options:\n"
	 "  -o, --output FILE  write to FILE instead of standard output\n"
	 "  --as-of DATE       the record as it stood on DATE (later rows left out)\n"
	 "  --mrn MRN          one patient only\n",
	 cmd_export},
	{0, 0, 0, 0, 0},
};

const struct derived_export ef_derived_exports[] = {
	{0, 0},
};
