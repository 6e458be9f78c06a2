#!/usr/bin/env bash
# Lab plausibility through the real binary: implausible values are refused
# with the site's limits (exit 3, nothing imported); a bad lab_tests.csv
# changes nothing; a site's limits apply; labs still round-trip.
# usage: labs.sh ENGRAFT_BINARY DATA_DIR ASSETS_DIR
set -u
ENGRAFT=$1
DATA=$2
ASSETS=$3
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/lib.sh"

DB="$T/engraft.db"
E() { "$ENGRAFT" --db "$DB" "$@"; }

E import patients "$DATA/patients.csv" >/dev/null || { fail=$((fail + 1)); echo "FAIL: import patients"; }
E import labs "$DATA/labs.csv" >/dev/null || { fail=$((fail + 1)); echo "FAIL: import labs"; }
E export labs >"$T/labs.before.csv"

bad() { # bad NAME VALUE_ROW WANT
	printf 'mrn,collected_on,test,value,unit\n%s\n' "$2" >"$T/bad.csv"
	check "$1" 3 E import labs "$T/bad.csv"
	contains "$1 message" "$T/err" "$3"
}
bad "ALC 99999" "T001,2025-03-01,ALC,99999,10*9/L" \
	"bad.csv:2: value: 99999 10*9/L is outside the plausible range for ALC (0 to 1000 10*9/L); check the value and unit"
bad "IGG 10^20 written out" "T001,2025-03-01,IGG,100000000000000000000,mg/dL" \
	"value: 100000000000000000000 mg/dL is outside the plausible range for IGG (0 to 20000 mg/dL)"
bad "IGG 1e20" "T001,2025-03-01,IGG,1e20,mg/dL" "value: '1e20': not a decimal number"
bad "ANC <0" "T001,2025-03-01,ANC,<0,10*9/L" "bad.csv:2: value: <0 cannot be a result (ANC cannot be below 0)"
bad "ANC in /uL beyond the limit" "T001,2025-03-01,ANC,2000000,/uL" \
	"value: 2000 10*9/L is outside the plausible range for ANC (0 to 1000 10*9/L)"
E export labs >"$T/labs.after.csv"
same "nothing imported" "$T/labs.before.csv" "$T/labs.after.csv"

# a bad lab_tests.csv (ref_low above ref_high) is exit 3 and changes nothing
mkdir -p "$T/site"
cp "$ASSETS"/*.csv "$T/site/"
sed -i 's/^HGB,0,30,12.0,17.5,/HGB,0,30,17.5,12.0,/' "$T/site/lab_tests.csv"
grep -q '^HGB,0,30,17.5,12.0,' "$T/site/lab_tests.csv" || { fail=$((fail + 1)); echo "FAIL: the HGB edit did not apply"; }
check "bad lab_tests.csv" 3 E init --assets "$T/site"
contains "bad lab_tests message" "$T/err" "lab_tests.csv:5: ref_low: HGB 17.5 is above ref_high 12.0 (g/dL)"
printf 'mrn,collected_on,test,value,unit\nT001,2025-03-01,ALC,2000,10*9/L\n' >"$T/alc.csv"
check "old limits kept" 3 E import labs "$T/alc.csv"
contains "old limits kept message" "$T/err" "(0 to 1000 10*9/L)"
printf 'test,plausible_min,plausible_max,ref_low,ref_high,critical_low,critical_high,source\nANC,0,1000,1.8,7.7,0.5,,site\nANC,0,900,,,,,site\n' >"$T/site/lab_tests.csv"
check "test given twice" 3 E init --assets "$T/site"
contains "twice message" "$T/err" "lab_tests.csv:3: test: ANC given twice"

# a site's file: ALC with a wider range; a test left out has no limits
printf 'test,plausible_min,plausible_max,ref_low,ref_high,critical_low,critical_high,source\nALC,0,5000,1.0,4.8,,,"site: a CLL clinic"\n' \
	>"$T/site/lab_tests.csv"
check "site lab_tests.csv" 0 E init --assets "$T/site"
check "ALC 2000 with the site's limits" 0 E import labs "$T/alc.csv"
printf 'mrn,collected_on,test,value,unit\nT001,2025-03-02,IGG,50000,mg/dL\n' >"$T/igg.csv"
check "IGG without a row has no limit" 0 E import labs "$T/igg.csv"
printf 'mrn,collected_on,test,value,unit\nT001,2025-03-03,ANC,<0,10*9/L\n' >"$T/zero.csv"
check "ANC <0 refused without a row" 3 E import labs "$T/zero.csv"
contains "ANC <0 message" "$T/err" "<0 cannot be a result (ANC cannot be below 0)"

# a row marked entered in error is the record of a mistake: it need not be
# plausible, it is kept and exported, and its export imports again
printf 'mrn,collected_on,test,value,unit,entered_in_error\nT001,2025-03-04,ALC,99999,10*9/L,typo: 0.99\n' >"$T/eie.csv"
check "implausible value refused while valid" 3 E import labs "$(sed 's/,typo: 0.99$/,/' "$T/eie.csv" >"$T/eie-valid.csv"; echo "$T/eie-valid.csv")"
check "implausible value kept when marked in error" 0 E import labs "$T/eie.csv"
E export labs --mrn T001 >"$T/eie-export.csv"
contains "marked row exported" "$T/eie-export.csv" "T001,2025-03-04,ALC,99999,10*9/L,typo: 0.99"
check "its export imports again" 0 E import labs "$T/eie-export.csv"
contains "nothing changed" "$T/out" "0 inserted, 0 updated"

# labs export -> import into a fresh database -> export is byte-for-byte stable
"$ENGRAFT" --db "$T/copy.db" import patients "$DATA/patients.csv" >/dev/null
check "re-import exported labs" 0 "$ENGRAFT" --db "$T/copy.db" import labs "$T/labs.before.csv"
"$ENGRAFT" --db "$T/copy.db" export labs >"$T/labs.copy.csv"
same "labs round trip" "$T/labs.before.csv" "$T/labs.copy.csv"

finish
