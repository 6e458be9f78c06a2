#!/usr/bin/env bash
# Vital and follow-up status (CSV kind status, schema 012; issue 18), end to
# end through the binary on the CSV fixtures: the kind's round trip and
# checks.
# usage: status.sh ENGRAFT_BINARY DATA_DIR
set -u
ENGRAFT=$1
DATA=$2
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/lib.sh"

DB="$T/engraft.db"
E() { "$ENGRAFT" --db "$DB" "$@"; }

for k in patients transplants labs transfusions vaccinations gvhd-acute gvhd-chronic immunosuppression ivig; do
	E import "$k" "$DATA/$k.csv" >/dev/null || { fail=$((fail + 1)); echo "FAIL: import $k"; }
done

# --- the kind: import, export, import again ---------------------------------
cat >"$T/status.csv" <<'CSV'
mrn,recorded_on,status,note,entered_in_error
T001,2025-06-01,alive,seen in clinic,
T001,2025-08-01,relapse,"marrow 2025-07-30:
12% blasts",
T002,2025-05-02,transferred,moved to her daughter's city,
T002,2025-05-01,alive,,
T002,2025-04-01,lost_to_followup,,wrong patient
CSV
check "import status" 0 E import status "$T/status.csv"
contains "five rows inserted" "$T/out" "5 inserted, 0 updated, 0 unchanged"
check "export status" 0 E export status
cp "$T/out" "$T/export.csv"
cat >"$T/want.csv" <<'CSV'
mrn,recorded_on,status,note,entered_in_error
T001,2025-06-01,alive,seen in clinic,
T001,2025-08-01,relapse,"marrow 2025-07-30:
12% blasts",
T002,2025-04-01,lost_to_followup,,wrong patient
T002,2025-05-01,alive,,
T002,2025-05-02,transferred,moved to her daughter's city,
CSV
tr -d '\r' <"$T/export.csv" >"$T/export-lf.csv"
same "export in key order, note and mark kept" "$T/want.csv" "$T/export-lf.csv"
check "re-import the export" 0 E import status "$T/export.csv"
contains "re-import changes nothing" "$T/out" "0 inserted, 0 updated, 5 unchanged"
check "export as of a date" 0 E export status --as-of 2025-05-01 --mrn T002
lacks "as-of leaves later rows out" "$T/out" "transferred"
contains "as-of keeps earlier rows" "$T/out" "T002,2025-05-01,alive"

# --- checks of each cell ------------------------------------------------------
printf 'mrn,recorded_on,status\nT001,2025-06-02,dead\n' >"$T/bad-word.csv"
check "unknown status word" 3 E import status "$T/bad-word.csv"
contains "status words listed" "$T/err" "alive, relapse, deceased, transferred, lost_to_followup, returned"
printf 'mrn,recorded_on,status\nT001,2099-01-01,alive\n' >"$T/future.csv"
check "future date" 3 E import status "$T/future.csv"
contains "future named" "$T/err" "in the future"
printf 'mrn,recorded_on,status\nT003,2010-12-30,alive\n' >"$T/before-birth.csv"
check "before birth" 3 E import status "$T/before-birth.csv"
contains "birth named" "$T/err" "before the birth date"
{ printf 'mrn,recorded_on,status,note\nT001,2025-06-03,alive,'; head -c 501 /dev/zero | tr '\0' x; printf '\n'; } >"$T/long.csv"
check "note too long" 3 E import status "$T/long.csv"
contains "limit named" "$T/err" "at most 500"
printf 'mrn,recorded_on,status\nNOPE,2025-06-03,alive\n' >"$T/mrn.csv"
check "unknown MRN" 3 E import status "$T/mrn.csv"
check "audit verify after status imports" 0 E audit verify

# --- export followup-status at several as-of dates ------------------------------
# T001: contact 06-01, relapse 08-01; T002: lost (entered in error, ignored)
# 04-01, alive 05-01, transferred 05-02, returned 2025-09-01; T004: deceased.
printf 'mrn,recorded_on,status\nT002,2025-09-01,returned\nT004,2025-02-10,deceased\n' >"$T/more.csv"
check "import more status rows" 0 E import status "$T/more.csv"
fs() { # fs AS_OF: the export as of AS_OF, without the header
	E export followup-status --as-of "$1" | tr -d '\r' | tail -n +2
}
E export followup-status --as-of 2025-01-01 | head -1 | tr -d '\r' >"$T/h"
equals "followup-status header" "mrn,vital_status,deceased_on,last_contact_on,in_care,relapse_on" "$(cat "$T/h")"
equals "as of 2025-01-01" "T001,alive,,,yes,
T002,alive,,,yes,
T003,alive,,,yes,
T004,alive,,2024-12-01,yes," "$(fs 2025-01-01)"
equals "as of 2025-05-01: the IVIG of 04-20 is the last contact" "T001,alive,,2025-04-20,yes,
T002,alive,,2025-05-01,yes,
T003,alive,,,yes,
T004,deceased,2025-02-10,2025-02-10,no," "$(fs 2025-05-01)"
equals "as of 2025-08-15: relapse, transferred" "T001,alive,,2025-08-01,yes,2025-08-01
T002,alive,,2025-08-01,no,
T003,alive,,,yes,
T004,deceased,2025-02-10,2025-02-10,no," "$(fs 2025-08-15)"
equals "as of 2025-09-01: returned" "T002,alive,,2025-09-01,yes," "$(E export followup-status --as-of 2025-09-01 --mrn T002 | tr -d '\r' | tail -n +2)"

# --- effects (a second database) ---------------------------------------------------
DB="$T/effects.db"
for k in patients transplants labs transfusions vaccinations gvhd-acute gvhd-chronic immunosuppression ivig; do
	E import "$k" "$DATA/$k.csv" >/dev/null || { fail=$((fail + 1)); echo "FAIL: import $k (effects)"; }
done
check "check before" 0 E check --as-of 2025-10-01
check "alerts before" 0 E alerts --as-of 2025-10-01
contains "T004 has open alerts" "$T/out" "T004"
check "due before" 0 E due --as-of 2025-10-01
contains "T004 on the worklist" "$T/out" "T004"

# deceased: every open alert resolves with the reason, none comes back
printf 'mrn,recorded_on,status,note\nT004,2025-09-15,deceased,at home\n' >"$T/dead.csv"
check "record the death" 0 E import status "$T/dead.csv"
check "check after the death" 0 E check --as-of 2025-10-01
grep -Eq 'opened 0, .*resolved [1-9]' "$T/out" && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: nothing resolved: $(cat "$T/out")"; }
check "audit log" 0 E audit log
contains "resolution records the reason" "$T/out" 'reason="deceased on 2025-09-15"'
for d in 2025-11-01 2026-01-15; do
	check "check $d" 0 E check --as-of $d
	# (other patients' follow-up time points fall overdue as the months pass:
	# FOLLOWUP_OVERDUE may open alerts for them, none for the deceased)
	E export alerts --as-of $d | grep '^[0-9]*,T004,' | grep -v ',resolved,' >"$T/t4o" || true
	equals "nothing opened or reopened for the deceased $d" "" "$(cat "$T/t4o")"
	contains "nothing reopened $d" "$T/out" "reopened 0"
	check "alerts $d" 0 E alerts --as-of $d
	lacks "no open alert for the deceased $d" "$T/out" "T004"
	check "due $d" 0 E due --as-of $d
	lacks "the deceased is off the worklist $d" "$T/out" "T004"
	check "export due $d" 0 E export due --as-of $d
	lacks "the deceased is off export due $d" "$T/out" "T004"
done
E export alerts --as-of 2026-01-15 | grep '^[0-9]*,T004,' | grep -v ',resolved,' >"$T/t4" || true
equals "every alert of the deceased is resolved" "" "$(cat "$T/t4")"

# nothing may be dated after the date of death
printf 'mrn,collected_on,test,value,unit\nT004,2025-09-16,ANC,1.0,10^9/L\n' >"$T/late-lab.csv"
check "a lab after death" 3 E import labs "$T/late-lab.csv"
contains "the date of death named" "$T/err" "2025-09-16 is after the patient's date of death 2025-09-15"
printf 'mrn,vaccine,given_on\nT004,FLU,2025-10-01\n' >"$T/late-dose.csv"
check "a dose after death" 3 E import vaccinations "$T/late-dose.csv"
contains "dose: the date of death named" "$T/err" "after the patient's date of death 2025-09-15"
printf 'mrn,recorded_on,status\nT004,2025-12-01,alive\n' >"$T/late-status.csv"
check "a contact after death" 3 E import status "$T/late-status.csv"
printf 'mrn,collected_on,test,value,unit\nT004,2025-09-15,ANC,1.0,10^9/L\n' >"$T/same-day.csv"
check "a lab on the day of death" 0 E import labs "$T/same-day.csv"
printf 'mrn,collected_on,test,value,unit,entered_in_error\nT004,2025-09-20,ANC,1.0,10^9/L,wrong patient\n' >"$T/eie.csv"
check "a row entered in error may be later" 0 E import labs "$T/eie.csv"
printf 'mrn,recorded_on,status\nT003,2025-06-01,deceased\nT003,2025-06-02,alive\n' >"$T/same-file.csv"
check "death and a later contact in one file" 3 E import status "$T/same-file.csv"
contains "same file: the date of death named" "$T/err" "after the patient's date of death 2025-06-01"

# a date of death before a record of the patient contradicts it: refused,
# naming the record; the record marked entered in error no longer counts
printf 'mrn,recorded_on,status\nT001,2025-07-01,deceased\n' >"$T/early-death.csv"
check "a death before the patient's latest record" 3 E import status "$T/early-death.csv"
contains "the later record named" "$T/err" "death on 2025-07-01 is before the patient's GVHD assessment of 2025-09-01"
contains "what to do said" "$T/err" "correct the date or mark that record entered in error"
check "export after the refused death" 0 E export followup-status
contains "T001 still alive" "$T/out" "T001,alive,"
printf 'mrn,recorded_on,status,entered_in_error\nT001,2025-06-30,deceased,wrong patient\n' >"$T/eie-death.csv"
check "an early death entered in error is not a death" 0 E import status "$T/eie-death.csv"

# transferred, then returned: alerts resolve with the reason, then reopen
printf 'mrn,recorded_on,status\nT001,2025-10-05,transferred\n' >"$T/tr.csv"
check "record a transfer" 0 E import status "$T/tr.csv"
check "check after the transfer" 0 E check --as-of 2025-10-10
check "audit log T001" 0 E audit log
contains "transfer reason" "$T/out" 'reason="transferred on 2025-10-05"'
check "due after the transfer" 0 E due --as-of 2025-10-10
lacks "transferred: off the worklist" "$T/out" "T001"
check "check again while transferred" 0 E check --as-of 2025-10-15
contains "transferred: nothing reopened" "$T/out" "reopened 0"
printf 'mrn,recorded_on,status\nT001,2025-10-20,returned\n' >"$T/ret.csv"
check "record the return" 0 E import status "$T/ret.csv"
check "check after the return" 0 E check --as-of 2025-10-25
grep -Eq 'reopened [1-9]' "$T/out" && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: nothing reopened after return: $(cat "$T/out")"; }
check "due after the return" 0 E due --as-of 2025-10-25
contains "returned: back on the worklist" "$T/out" "T001"

# lost to follow-up
printf 'mrn,recorded_on,status\nT002,2025-10-01,lost_to_followup\n' >"$T/lost.csv"
check "record lost to follow-up" 0 E import status "$T/lost.csv"
check "check after loss" 0 E check --as-of 2025-10-25
check "audit log T002" 0 E audit log
contains "lost reason" "$T/out" 'reason="lost to follow-up on 2025-10-01"'
check "alerts after loss" 0 E alerts --as-of 2025-10-25
lacks "lost: no open alerts" "$T/out" "T002"
check "audit verify at the end" 0 E audit verify

finish
