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

finish
