/* commands.c - the command table: name, usage, summary, help, function.
 * `engraft --help` and each `engraft COMMAND --help` are generated from it. */
#include "cli_int.h"

const struct command ef_commands[] = {
	{"init", "[--assets DIR] [--group GROUP]", "create the database or migrate it to the current schema (idempotent)",
	 "The login that creates the database is its first admin.\n"
	 "Options:\n"
	 "  --assets DIR  load the reference tables (cvx.csv, vaccine_schedule.csv,\n"
	 "                milestones.csv, monitoring.csv, parameters.csv, lab_tests.csv,\n"
	 "                loinc.csv)\n"
	 "                from a site's edited copies in DIR instead of the built-in\n"
	 "                defaults (admin only)\n"
	 "  --group GROUP  a clinic's shared database: its directory becomes setgid\n"
	 "                2770 with GROUP (a directory of its own; created if missing),\n"
	 "                the database and its -wal and -shm files 0660 with GROUP\n",
	 cmd_init, EF_ACT_READ},
	{"demo", "[--patients N] [--seed S] [--as-of DATE]",
	 "fill a synthetic, deterministic cohort (no real people); default 200 patients",
	 "Options:\n"
	 "  --patients N  number of patients, 1 to 1000000 (default 200); MRNs DEMO000001...\n"
	 "  --seed S      seed of the generator (default 1); the same seed and --as-of\n"
	 "                give identical rows\n"
	 "  --as-of DATE  the day the record ends (default today); nothing is dated later\n"
	 "Rows are written like an import (one transaction and import record per 500\n"
	 "patients); running it again with the same options changes nothing.\n",
	 cmd_demo, EF_ACT_DEMO},
	{"import", "KIND FILE", "load a CSV file (FILE - for standard input); all rows or none",
	 "KIND is one of: patients, transplants, labs, transfusions, vaccinations,\n"
	 "gvhd-acute, gvhd-chronic, immunosuppression, ivig, status, followups.\n"
	 "Columns are matched by name, in any order. Every bad row is reported as\n"
	 "FILE:LINE: column: reason, and then nothing is imported (exit 3).\n"
	 "Rows whose natural key exists are updated if their values differ,\n"
	 "so importing the same file again changes nothing.\n"
	 "KIND hl7 reads HL7 v2 lab results (ORU^R01) and immunizations (VXU^V04)\n"
	 "instead of a CSV, KIND fhir the Observations and Immunizations of a FHIR\n"
	 "R4 Bundle (engraft import hl7 --help: both mappings).\n",
	 cmd_import, EF_ACT_READ},
	{"export", "KIND [-o FILE] [--as-of DATE] [--mrn MRN] [--since DATE]",
	 "write a CSV file (standard output by default), or HL7 VXU messages",
	 "KIND is an import kind (same columns, so an export imports again),\n"
	 "or a computed kind: alerts, due, engraftment, gvhd, followup-status,\n"
	 "followup (as of --as-of),\n"
	 "or audit (the audit log: seq, at, user, action, table, row_key, before,\n"
	 "after, hash; always the whole log),\n"
	 "or vxu (HL7 v2 VXU^V04 messages for the immunization registry: one per\n"
	 "dose given here; historical doses are not sent again; a dose entered in\n"
	 "error is sent with RXA-21 D; a dose recorded by series code, not CVX, is\n"
	 "refused, exit 3),\n"
	 "or fhir (a FHIR R4 Bundle of Patient, Observation, Immunization and\n"
	 "Condition resources, JSON; --mrn for one patient).\n"
	 "Options:\n"
	 "  -o, --output FILE  write to FILE instead of standard output\n"
	 "  --as-of DATE       the record as it stood on DATE (later rows left out)\n"
	 "  --mrn MRN          one patient only\n"
	 "  --since DATE       vxu: doses given on or after DATE only\n",
	 cmd_export, EF_ACT_READ},
	{"check", "[--as-of DATE] [--mrn MRN] [--all]", "evaluate all rules; open, keep, reopen or resolve alerts",
	 "Evaluates every rule for every patient (or one) as the record stood on\n"
	 "DATE and prints: opened N, kept N, reopened N, resolved N, then how many\n"
	 "patients it evaluated. A patient whose records did not change since its\n"
	 "last check, and whose findings cannot have changed by DATE (no due date,\n"
	 "deadline or acknowledgement end came), is not evaluated again: its alerts\n"
	 "are kept as they are. The kept forecasts the worklists read are refreshed.\n"
	 "Options:\n"
	 "  --as-of DATE  evaluate as of DATE (default today)\n"
	 "  --mrn MRN     one patient only (always evaluated)\n"
	 "  --all         evaluate every patient again\n",
	 cmd_check, EF_ACT_CHECK},
	{"alerts", "[--as-of DATE] [--all]", "list open alerts as a table (export alerts for CSV)",
	 "Options:\n"
	 "  --as-of DATE  alerts raised on or before DATE (default today)\n"
	 "  --all         also acknowledged and resolved alerts\n",
	 cmd_alerts, EF_ACT_READ},
	{"due", "[--as-of DATE] [--within DAYS]", "vaccination worklist: due, overdue, blocked (with reason)",
	 "Options:\n"
	 "  --as-of DATE   the worklist as of DATE (default today)\n"
	 "  --within DAYS  also doses coming due within DAYS days\n",
	 cmd_due, EF_ACT_READ},
	{"followup", "[--as-of DATE] [--within DAYS] [--item ITEM]",
	 "follow-up worklist: screening and registry forms due, overdue (with reason)",
	 "The follow-up calendar of every patient in care (screening.csv,\n"
	 "registry_forms.csv): time points due or overdue and not done; the same\n"
	 "rows as export followup.\n"
	 "Options:\n"
	 "  --as-of DATE   the worklist as of DATE (default today)\n"
	 "  --within DAYS  also time points coming due within DAYS days\n"
	 "  --item ITEM    only this item (CIBMTR: the registry forms)\n",
	 cmd_followup, EF_ACT_READ},
	{"ack", "ALERT_ID --reason TEXT [--until DATE] [--as-of DATE]",
	 "acknowledge an alert; it comes back after --until if still true",
	 "Options:\n"
	 "  --reason TEXT  why (required; recorded with your name and the date)\n"
	 "  --until DATE   stay acknowledged through DATE; from the day after, the\n"
	 "                 next check reopens it if its finding still holds\n"
	 "  --as-of DATE   the date of the acknowledgement (default today)\n",
	 cmd_ack, EF_ACT_READ},
	{"audit", "verify [--head SEQ:HASH] | log [--login L] [--mrn M] [--since D] [--until D]",
	 "check the audit trail (exit 5 when broken), or read its history",
	 "verify recomputes the hash chain of the audit log from its first entry, checks\n"
	 "that its head is the last entry (a cut tail shows), recomputes every\n"
	 "import's digest of the rows it inserted, and checks that every clinical\n"
	 "row, staff row and signature equals the last state the log recorded for\n"
	 "it. Prints the head as SEQ:HASH: record it somewhere else (a ticket, a\n"
	 "mail, paper) and give it back later with --head to detect a log\n"
	 "rewritten from scratch.\n"
	 "log prints the history, oldest first: time (UTC), login and printed name,\n"
	 "action, record, and the change (before -> after for an update). An\n"
	 "import is one entry for the whole file.\n"
	 "Options:\n"
	 "  --head SEQ:HASH  (verify) the log must contain entry SEQ with this hash\n"
	 "  --login L        (log) entries made by login L\n"
	 "  --mrn M          (log) entries about patient M's record\n"
	 "  --since D        (log) entries on or after date D (UTC)\n"
	 "  --until D        (log) entries on or before date D (UTC)\n",
	 cmd_audit, EF_ACT_READ},
	{"backup", "FILE", "write a consistent copy of the database to FILE (online, while others write)",
	 "The copy is made with SQLite's online backup API, created mode 0600, and\n"
	 "checked before it is put in place (PRAGMA integrity_check, audit verify).\n"
	 "FILE must not exist: a backup never overwrites anything.\n",
	 cmd_backup, EF_ACT_BACKUP},
	{"staff", "list | add LOGIN --role ROLE --name NAME [--title T] | role LOGIN ROLE | disable LOGIN | enable LOGIN",
	 "who may use this database, in which role",
	 "Identity is the operating system login: every command acts as the login\n"
	 "that runs it, which must be on this list and active (exit 6 otherwise).\n"
	 "ROLE is one of:\n"
	 "  admin      everything, including staff, reference data, demo, backup\n"
	 "  clinician  every clinical record and acknowledgement, check\n"
	 "  nurse      labs, vaccinations, transfusions, IVIG; acknowledges vaccine\n"
	 "             and lab-monitoring alerts; check\n"
	 "  clerk      patients, transplants, labs\n"
	 "  auditor    reads only: export, alerts, due, audit verify, audit log\n"
	 "list shows everyone (any role may read it); add, role, disable and enable\n"
	 "are the admin's, and each is in the audit trail. The last active admin\n"
	 "cannot be disabled or given another role.\n"
	 "Options (add):\n"
	 "  --role ROLE    the role\n"
	 "  --name NAME    the printed name shown with signatures (1 to 127 bytes)\n"
	 "  --title T      a title, e.g. \"RN\" or \"MD, attending\" (up to 63 bytes)\n",
	 cmd_staff, EF_ACT_READ},
	{"letter", "MRN [-o FILE] [--as-of DATE] [--clinic TEXT]",
	 "a plain-text letter to the patient: doses due, not possible yet (why), next appointments",
	 "For printing: the patient's name, MRN and date of birth; the doses due now or\n"
	 "overdue (vaccine, dose, due date); the doses that cannot be given yet and why,\n"
	 "in plain words; the doses coming due within 6 months. The same forecast as\n"
	 "due and export due. Lines are wrapped at 72 columns. An unknown MRN, or a\n"
	 "patient not in this clinic's care, is exit 3 and nothing is written.\n"
	 "Options:\n"
	 "  -o, --output FILE  write to FILE (replaced whole, never half written)\n"
	 "  --as-of DATE       the letter as of DATE (default today; not after today)\n"
	 "  --clinic TEXT      a first line naming the clinic (e.g. its name and phone)\n",
	 cmd_letter, EF_ACT_READ},
	{0, 0, 0, 0, 0, 0},
};

const struct derived_export ef_derived_exports[] = {
	{"alerts", export_alerts},
	{"due", export_due},
	{"engraftment", export_engraftment},
	{"gvhd", export_gvhd},
	{"followup-status", export_followup_status},
	{"followup", export_followup},
	{"audit", export_audit},
	{0, 0},
};
