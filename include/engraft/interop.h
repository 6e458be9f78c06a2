/* interop.h - the interchange formats (docs/formats.md "HL7 v2"): lab
 * results and doses read from HL7 v2 files, mapped to rows of the CSV kinds
 * labs and vaccinations and checked by the CSV importer's own checks
 * (csvio.h ef_enter_row), so a value is refused or accepted the same way
 * whichever way it came in.
 *
 * ORU^R01: each OBX is a lab result: PID-3 (the identifier of type MR, else
 * the first) the MRN; OBX-3 a LOINC code (OBX-3.3 or OBX-3.6 "LN") that
 * loinc.csv maps to a test; OBX-2 NM (OBX-5 a number) or SN (OBX-5
 * comparator^number: "<^0.1" is <0.1; = or empty: none; <= >= ranges and
 * ratios are refused); OBX-6 the unit (its identifier, else its text);
 * OBX-14 the time of collection, else OBR-7; OBX-11 F stored, C stored
 * (corrects the row of the same patient, time and test), W stored marked
 * entered in error, P I X skipped and counted, any other refused.
 * VXU^V04: each RXA is a dose: RXA-3 the date; RXA-5 a CVX code (RXA-5.3 or
 * RXA-5.6 "CVX") that must be in cvx.csv; RXA-9 00 administered, other
 * codes historical (empty: historical); RXA-10 given_by; RXA-15 the lot;
 * the RXR after it: RXR-2 the site (its identifier, else its text); RXA-20
 * RE, NA not doses (skipped and counted), CP PA or empty a dose; RXA-21 D
 * the dose entered in error (A, U or empty: valid). RXA-17 (manufacturer)
 * is not kept: the vaccinations kind has no place for it.
 * Every other segment (ORC, OBR apart from OBR-7, PV1, NTE, OBX in a VXU,
 * SPM...) is read past. Other message types are refused.
 *
 * A date/time is YYYYMMDD[HHMM[SS[.S...]]][+/-ZZZZ]: the fraction of a
 * second and the offset from UTC are dropped (the clock time is kept as
 * written, as for a CSV), a time with the hour alone or a date without its
 * day is refused. Within one file, a later result (or dose) with the same
 * natural key replaces an earlier one: a correction sent after the final
 * result. */
#ifndef ENGRAFT_INTEROP_H
#define ENGRAFT_INTEROP_H

#include <stdio.h>

#include "engraft/csvio.h"
#include "engraft/error.h"
#include "engraft/store.h"

/* The largest file the imports read (bytes). */
#define EF_INTEROP_MAX_FILE (256u << 20)

/* Read a whole stream into *buf (malloc'd, NUL-terminated; free it), with
 * its SHA-256 in hex. EF_INVALID when it is larger than
 * EF_INTEROP_MAX_FILE or cannot be read. */
int ef_interop_read(FILE *in, const char *name, char **buf, size_t *len, char sha_hex[65], struct ef_err *err);

struct ef_hl7_result {
	struct ef_import_result r; /* rows: results and doses entered */
	long messages;
	long skipped;              /* OBX-11 P, I, X and RXA-20 RE, NA */
	long replaced;             /* replaced by a later one of the same key in the file */
};

/* The kinds an HL7 file writes (bits 1u << STORE_K_LABS and 1u <<
 * STORE_K_VACCINATIONS), from its messages' MSH-9, for the permission
 * check before anything is read further; EF_INVALID as ef_hl7_split, or
 * for a message type that is not imported. */
int ef_hl7_kinds(const char *buf, size_t len, const char *name, unsigned *kinds, struct ef_err *err);

/* Import the HL7 v2 file buf[0..len) named `name` (sha_hex: its SHA-256)
 * inside the caller's transaction: one import record with one audit entry,
 * every record checked (opts: today, now, diag, max_errors), each problem
 * to opts->diag as "NAME:LINE: SEG-N: reason". EF_INVALID with a summary
 * when anything is wrong (the caller rolls back: nothing is written). */
int ef_hl7_import(struct store *s, const char *buf, size_t len, const char *name, const char *sha_hex,
		  const struct ef_import_opts *opts, struct ef_hl7_result *res, struct ef_err *err);

/* `export vxu`: one VXU^V04 message (MSH, PID, ORC, RXA, RXR; segments
 * ending in CR, the encoding characters |^~\& and every text escaped) per
 * dose given here (source administered) on or after `since` (EF_NO_DAY:
 * all), of one patient (mrn) or all; historical doses are not reported
 * again. A dose marked entered in error is sent with RXA-21 D, the others
 * with A. stamp (YYYYMMDDHHMMSS, local) is MSH-7 and the stem of each
 * MSH-10 (EF<stamp>-N). RXA-6 is 999 (amount not recorded). A dose
 * recorded by series code instead of a CVX code cannot be reported: each
 * goes to diag and the result is EF_INVALID with nothing written (one
 * entered in error was never sent and is left out). *messages: how many. */
int ef_export_vxu(struct store *s, ef_day since, const char *mrn, const char *stamp, FILE *out, long *messages,
		  ef_diag_fn diag, void *diag_ctx, struct ef_err *err);

#endif
