#!/usr/bin/env bash
# engraft export vxu: one VXU^V04 per dose given here, historical doses not
# reported, entered-in-error ones with RXA-21 D, every text escaped; the
# round trip: export vxu, then import hl7 of it into a fresh database,
# reproduces the doses given here, and importing it again changes nothing.
# usage: vxu.sh ENGRAFT_BINARY DATA_DIR
set -u
ENGRAFT=$1
DATA=$2
umask 077
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/lib.sh"
A() { "$ENGRAFT" --db "$T/a/engraft.db" "$@"; }
B() { "$ENGRAFT" --db "$T/b/engraft.db" "$@"; }

check "A: patients" 0 A import patients "$DATA/patients.csv"
# lot and given_by hold every HL7 encoding character; a site as text, a
# site as a table 0163 code, a line break in a site; a historical dose by
# series code (never reported); an administered dose by series code marked
# entered in error (never sent: left out)
cat >"$T/doses.csv" <<'CSV'
mrn,vaccine,given_on,lot,site,given_by,source,override_reason,entered_in_error
T001,133,2025-04-15,AB|1^2~3&4\5,left deltoid,"Nurse, Day",administered,,
T001,133,2025-05-13,AB124,RA,,administered,,
T001,150,2024-10-15,,,,historical,,
T002,140,2025-10-01,FL-77,"left
upper arm",Ümit's nurse,administered,,
T002,PCV,2025-09-01,L1,LA,,administered,,typed as a series code
T002,PCV,2025-06-01,,,,historical,,
T003,215,2025-08-01,P20-1,LD,,administered,,wrong patient
CSV
check "A: doses" 0 A import vaccinations "$T/doses.csv"

check "export vxu" 0 A export vxu -o "$T/vxu.hl7"
tr '\r' '\n' <"$T/vxu.hl7" >"$T/vxu.txt"
equals "one message per dose given here (4 reportable)" 4 "$(grep -c '^MSH|' "$T/vxu.txt")"
equals "segments end in CR" 0 "$(tr -dc '\n' <"$T/vxu.hl7" | wc -c)"
contains "MSH: VXU^V04 2.5.1" "$T/vxu.txt" "||VXU^V04^VXU_V04|EF"
contains "PID: MRN, name, birth, sex" "$T/vxu.txt" "PID|1||T001^^^ENGRAFT^MR||Testperson^Alpha^^^^^L||19700501|F"
contains "RXA: escaped lot and given_by" "$T/vxu.txt" \
	"RXA|0|1|20250415|20250415|133^^CVX|999|||00^New immunization record^NIP001|^Nurse, Day|||||AB\\F\\1\\S\\2\\R\\3\\T\\4\\E\\5|||||CP|A"
contains "RXR: site as text" "$T/vxu.txt" "RXR||^left deltoid"
contains "RXR: site as a table 0163 code" "$T/vxu.txt" "RXR||RA^^HL70163"
contains "RXR: a line break as \\.br\\" "$T/vxu.txt" "RXR||^left\\.br\\upper arm"
contains "entered in error: RXA-21 D" "$T/vxu.txt" "|215^^CVX|999|||00^New immunization record^NIP001||||||P20-1|||||CP|D"
lacks "historical doses not reported" "$T/vxu.txt" "150^^CVX"
lacks "series code entered in error left out" "$T/vxu.txt" "PCV"

# the round trip into a fresh database
check "B: patients" 0 B import patients "$DATA/patients.csv"
check "B: import hl7 of the export" 0 B import hl7 "$T/vxu.hl7"
contains "B: every message read" "$T/out" "4 messages, 4 records: 4 inserted, 0 updated, 0 unchanged"
# the doses given here, as rows (a CSV reader: a site holds a line break);
# the reason a dose was entered in error does not travel (VXU has RXA-21 D
# only): compared as marked or not
rows() {
	python3 -c '
import csv, sys
r = csv.DictReader(sys.stdin)
for row in r:
    if row["source"] != "administered" or row["vaccine"] == "PCV":
        continue
    row["entered_in_error"] = "marked" if row["entered_in_error"] else ""
    print(repr(sorted(row.items())))
'
}
A export vaccinations | rows >"$T/a.rows"
B export vaccinations | rows >"$T/b.rows"
equals "four doses compared" 4 "$(wc -l <"$T/b.rows")"
same "the doses given here come back as they were" "$T/a.rows" "$T/b.rows"
B export vaccinations --mrn T003 >"$T/b3"
contains "B: the mark's reason says where it came from" "$T/b3" "deleted by the sender (HL7 RXA-21 D)"
check "B: import it again" 0 B import hl7 "$T/vxu.hl7"
contains "B: again unchanged" "$T/out" "4 records: 0 inserted, 0 updated, 4 unchanged"
check "B: audit verify" 0 B audit verify

# --since: doses given on or after the date
check "export vxu --since" 0 A export vxu --since 2025-06-01
equals "--since: two doses" 2 "$(tr '\r' '\n' <"$T/out" | grep -c '^RXA|')"
check "export vxu --mrn" 0 A export vxu --mrn T002
equals "--mrn: one dose" 1 "$(tr '\r' '\n' <"$T/out" | grep -c '^RXA|')"

# a dose given here recorded by series code cannot be reported: refused,
# named, nothing written
printf 'mrn,vaccine,given_on,lot,site,source\nT003,FLU,2025-10-02,F1,LA,administered\n' >"$T/series.csv"
check "A: a dose by series code" 0 A import vaccinations "$T/series.csv"
check "export vxu refuses a series code" 3 A export vxu -o "$T/refused.hl7"
contains "refusal names the dose" "$T/err" "export vxu: T003: the dose of FLU given 2025-10-02 is recorded by series code"
contains "refusal: nothing written" "$T/err" "1 dose cannot be reported; nothing written"
[ ! -e "$T/refused.hl7" ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: refused export left a file"; }

check "--since is vxu's" 2 A export labs --since 2025-01-01
check "--as-of is not vxu's" 2 A export vxu --as-of 2025-01-01
check "export --help names vxu" 0 A export --help
contains "help: vxu" "$T/out" "or vxu (HL7 v2 VXU^V04 messages"
finish
