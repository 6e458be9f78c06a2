#!/usr/bin/env bash
# The follow-up calendar (issue 16), end to end through the binary on the
# CSV fixtures: the kind followups (round trip and checks of each cell),
# export followup and the followup worklist.
# Fixtures: T001 allogeneic 2024-01-10 and 2025-01-15 (day 0 of the
# sequence: the second), T002 allogeneic cord blood 2025-03-01, T003 no
# transplant, T004 autologous 2024-06-30.
# usage: followup.sh ENGRAFT_BINARY DATA_DIR
set -u
ENGRAFT=$1
DATA=$2
umask 077
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/lib.sh"

DB="$T/engraft.db"
E() { "$ENGRAFT" --db "$DB" "$@"; }

for k in patients transplants labs transfusions vaccinations gvhd-acute gvhd-chronic immunosuppression ivig; do
	E import "$k" "$DATA/$k.csv" >/dev/null || { fail=$((fail + 1)); echo "FAIL: import $k"; }
done

# --- the kind: import, export, import again ---------------------------------
cat >"$T/fu.csv" <<'CSV'
mrn,item,time_point,done_on,note,entered_in_error
T001,CIBMTR,D100,2025-04-28,"form 2100 submitted
by the data manager",
T001,DENTAL,M12,2026-01-20,,
T004,CIBMTR,M6,2025-01-05,,
T004,CIBMTR,D100,2024-10-10,,wrong form
CSV
check "import followups" 0 E import followups "$T/fu.csv"
contains "four rows inserted" "$T/out" "4 inserted, 0 updated, 0 unchanged"
check "export followups" 0 E export followups
cp "$T/out" "$T/export.csv"
cat >"$T/want.csv" <<'CSV'
mrn,item,time_point,done_on,note,entered_in_error
T001,CIBMTR,D100,2025-04-28,"form 2100 submitted
by the data manager",
T001,DENTAL,M12,2026-01-20,,
T004,CIBMTR,D100,2024-10-10,,wrong form
T004,CIBMTR,M6,2025-01-05,,
CSV
tr -d '\r' <"$T/export.csv" >"$T/export-lf.csv"
same "export in key order, note and mark kept" "$T/want.csv" "$T/export-lf.csv"
check "re-import the export" 0 E import followups "$T/export.csv"
contains "re-import changes nothing" "$T/out" "0 inserted, 0 updated, 4 unchanged"
check "export as of a date" 0 E export followups --as-of 2025-12-31 --mrn T001
lacks "as-of leaves later rows out" "$T/out" "DENTAL"
contains "as-of keeps earlier rows" "$T/out" "T001,CIBMTR,D100,2025-04-28"
printf 'mrn,item,time_point,done_on,note\nT001,DENTAL,M12,2026-01-21,\n' >"$T/upd.csv"
check "the natural key updates the date" 0 E import followups "$T/upd.csv"
contains "one row updated" "$T/out" "0 inserted, 1 updated, 0 unchanged"

# --- checks of each cell ------------------------------------------------------
bad() { # bad NAME ROW MESSAGE: the row alone is refused, naming MESSAGE
	printf 'mrn,item,time_point,done_on\n%s\n' "$2" >"$T/bad.csv"
	check "$1" 3 E import followups "$T/bad.csv"
	contains "$1: message" "$T/err" "$3"
}
bad "unknown item" "T001,PODIATRY,M12,2025-06-01" "item: unknown item 'PODIATRY'"
bad "time point not of the item" "T001,DENTAL,M18,2025-06-01" "time_point: 'M18' is not a time point of DENTAL"
bad "registry time point" "T001,CIBMTR,M18,2025-06-01" "'M18' is not a time point of CIBMTR"
bad "a once-only item has one time point" "T001,EYE,M24,2025-06-01" "'M24' is not a time point of EYE"
bad "future date" "T001,CIBMTR,M6,2099-01-01" "in the future"
bad "not a date" "T001,CIBMTR,M6,2025-02-30" "not a real date"
bad "before day 0" "T002,CIBMTR,D100,2025-02-28" "done_on: 2025-02-28 is before day 0"
bad "no transplant" "T003,CIBMTR,D100,2025-02-28" "before day 0"
bad "unknown MRN" "NOPE,CIBMTR,D100,2025-06-01" "unknown MRN"
bad "empty time point" "T001,CIBMTR,,2025-06-01" "time_point: required value is empty"
check "nothing of the bad files was written" 0 E export followups
equals "still four rows" 4 "$(tr -d '\r' <"$T/out" | grep -c '^T00')"
check "audit verify after followups imports" 0 E audit verify

# --- export followup -------------------------------------------------------------
# Done: T001 CIBMTR D100 (2025-04-28), DENTAL M12 (2026-01-21); T004 CIBMTR M6;
# T004's D100 row is entered in error (not done).
fe() { # fe ARGS...: export followup without the header, LF line ends
	E export followup "$@" | tr -d '\r' | tail -n +2
}
check "export followup" 0 E export followup --as-of 2026-02-01
equals "export followup header" "mrn,item,time_point,due_on,status,reason" "$(tr -d '\r' <"$T/out" | head -1)"
equals "T001: the second transplant is day 0; done rows left out" \
	"T001,EYE,M12,2026-01-15,due,screening: eye examination
T001,DENTAL,M24,2027-01-15,upcoming,screening: dental assessment
T001,CIBMTR,M6,2025-07-15,overdue,CIBMTR follow-up form (crf track)
T001,CIBMTR,Y1,2026-01-15,due,CIBMTR follow-up form (crf track)
T001,CIBMTR,Y2,2027-01-15,upcoming,CIBMTR follow-up form (crf track)" \
	"$(fe --as-of 2026-02-01 --mrn T001 | grep -E ',(EYE|DENTAL|CIBMTR),')"
equals "T004: an entered-in-error row is not done" \
	"T004,CIBMTR,D100,2024-10-08,overdue,CIBMTR follow-up form (crf track)
T004,CIBMTR,Y1,2025-06-30,overdue,CIBMTR follow-up form (crf track)
T004,CIBMTR,Y2,2026-06-30,upcoming,CIBMTR follow-up form (crf track)" \
	"$(fe --as-of 2026-02-01 --mrn T004 | grep ',CIBMTR,')"
equals "T003 (no transplant) has none" "" "$(fe --as-of 2026-02-01 --mrn T003)"
equals "before day 0 + 100: only upcoming" "T002,CIBMTR,D100,2025-06-09,upcoming,CIBMTR follow-up form (crf track)" \
	"$(fe --as-of 2025-04-01 --mrn T002 | grep ',CIBMTR,')"
equals "30 days after D100: due" "T002,CIBMTR,D100,2025-06-09,due,CIBMTR follow-up form (crf track)" \
	"$(fe --as-of 2025-07-09 --mrn T002 | grep ',CIBMTR,D100')"
equals "31 days after D100: overdue" "T002,CIBMTR,D100,2025-06-09,overdue,CIBMTR follow-up form (crf track)" \
	"$(fe --as-of 2025-07-10 --mrn T002 | grep ',CIBMTR,D100')"

# --- the worklist ----------------------------------------------------------------------
check "followup worklist" 0 E followup --as-of 2026-02-01
contains "worklist header" "$T/out" "MRN          NAME                     ITEM         POINT DUE        STATUS   REASON"
contains "worklist row" "$T/out" "T001         Testperson, Alpha        CIBMTR       Y1    2026-01-15 due      CIBMTR follow-up form"
lacks "no upcoming without --within" "$T/out" "upcoming"
lacks "done rows are not listed" "$T/out" "Alpha        DENTAL       M12"
check "followup --within 60" 0 E followup --as-of 2026-02-01 --within 60
contains "upcoming within 60 days" "$T/out" "T002         Zed, Jr, Ümit            CIBMTR       Y1    2026-03-01 upcoming"
lacks "not beyond 60 days" "$T/out" "2027-01-15"
check "followup --item CIBMTR" 0 E followup --as-of 2026-02-01 --item CIBMTR
lacks "only the registry forms" "$T/out" "screening"
contains "registry forms listed" "$T/out" "T004         =HYPERLINK(\"x\"), Formula CIBMTR       D100"
check "followup --item unknown" 2 E followup --item PODIATRY
contains "unknown item named" "$T/err" "'PODIATRY' is not an item"
check "followup as of before any transplant" 0 E followup --as-of 2020-01-01
contains "nothing due" "$T/out" "nothing due"

# --- the rule FOLLOWUP_OVERDUE and its alert life cycle (T002, D0 2025-03-01) ----
al() { # al AS_OF: T002's CIBMTR:D100 alert as "status,raised_on"
	E export alerts --as-of "$1" | tr -d '\r' | awk -F, '$2 == "T002" && $3 == "FOLLOWUP_OVERDUE" && $4 == "CIBMTR:D100" { print $6 "," $7 }'
}
check "check on the day D100 is 30 days past" 0 E check --as-of 2025-07-09 --mrn T002
equals "not yet overdue: no alert" "" "$(al 2025-07-09)"
check "check a day later" 0 E check --as-of 2025-07-10 --mrn T002
equals "overdue: the alert opens" "open,2025-07-10" "$(al 2025-07-10)"
check "alerts list it" 0 E alerts --as-of 2025-07-10
contains "alerts: rule and subject" "$T/out" "FOLLOWUP_OVERDUE"
contains "alerts: message" "$T/out" "CIBMTR D100 overdue: due since 2025-06-09"
check "check again" 0 E check --as-of 2025-07-11 --mrn T002
contains "kept, not duplicated" "$T/out" "opened 0, kept"
equals "still one alert" "open,2025-07-10" "$(al 2025-07-11)"
printf 'mrn,item,time_point,done_on\nT002,CIBMTR,D100,2025-07-15\n' >"$T/d100.csv"
check "record the form done" 0 E import followups "$T/d100.csv"
check "check after it is done" 0 E check --as-of 2025-07-16 --mrn T002
equals "done: the alert resolves" "resolved,2025-07-10" "$(al 2025-07-16)"
printf 'mrn,item,time_point,done_on,entered_in_error\nT002,CIBMTR,D100,2025-07-15,another patient\n' >"$T/d100e.csv"
check "mark the row entered in error" 0 E import followups "$T/d100e.csv"
check "check after the mark" 0 E check --as-of 2025-07-17 --mrn T002
equals "not done after all: the same alert reopens" "open,2025-07-17" "$(al 2025-07-17)"
printf 'graft_source,type,mrn,transplant_date\nperipheral_blood,allogeneic,T002,2025-07-18\n' >"$T/tx2.csv"
check "a second allogeneic transplant" 0 E import transplants "$T/tx2.csv"
check "check after the new transplant" 0 E check --as-of 2025-07-20 --mrn T002
equals "no longer applicable: the alert resolves" "resolved,2025-07-17" "$(al 2025-07-20)"
check "audit verify after the life cycle" 0 E audit verify

# a patient out of care leaves the worklist
printf 'mrn,recorded_on,status\nT004,2026-01-20,transferred\n' >"$T/tr.csv"
check "record a transfer" 0 E import status "$T/tr.csv"
check "worklist after the transfer" 0 E followup --as-of 2026-02-01
lacks "the transferred patient is off the worklist" "$T/out" "T004"
equals "and off export followup" "" "$(fe --as-of 2026-02-01 --mrn T004)"

finish
