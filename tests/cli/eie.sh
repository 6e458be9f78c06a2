#!/usr/bin/env bash
# Rows entered in error and administered vs historical vaccinations
# (schema 006), end to end through the binary on the CSV fixtures.
# usage: eie.sh ENGRAFT_BINARY DATA_DIR
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
AS_OF=2025-10-01
check "check" 0 E check --as-of $AS_OF
check "alerts before" 0 E alerts --as-of $AS_OF
contains "IgG low before" "$T/out" "IgG 350 mg/dL on 2025-07-14 < 400"

# --- entered in error: a lab marked through import --------------------------
printf 'mrn,collected_on,test,value,unit,entered_in_error\nT001,2025-07-14,IGG,3.5,g/L,wrong patient: sample swap\n' >"$T/mark.csv"
check "mark a lab" 0 E import labs "$T/mark.csv"
contains "mark is an update" "$T/out" "0 inserted, 1 updated, 0 unchanged"
check "mark again changes nothing" 0 E import labs "$T/mark.csv"
contains "mark again unchanged" "$T/out" "0 inserted, 0 updated, 1 unchanged"
check "export labs" 0 E export labs
contains "marked row exported with its reason" "$T/out" "T001,2025-07-14,IGG,3.5,g/L,wrong patient: sample swap"
contains "valid rows exported with an empty reason" "$T/out" "T001,2025-01-20,ANC,"
cp "$T/out" "$T/labs-export.csv"
check "re-import the export" 0 E import labs "$T/labs-export.csv"
contains "re-import of the export changes nothing" "$T/out" " 0 updated,"
# the next check resolves the alert the marked row raised
check "check after marking" 0 E check --as-of $AS_OF
grep -Eq 'resolved [1-9]' "$T/out" && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: no alert resolved: $(cat "$T/out")"; }
check "alerts after marking" 0 E alerts --as-of $AS_OF
lacks "marked IgG raises nothing" "$T/out" "IgG 350"
# a file without the column leaves the mark alone
check "old-format file keeps the mark" 0 E import labs "$DATA/labs.csv"
contains "old-format file unchanged" "$T/out" " 0 updated,"
E export labs | grep -qF 'T001,2025-07-14,IGG,3.5,g/L,wrong patient: sample swap' && pass=$((pass + 1)) ||
	{ fail=$((fail + 1)); echo "FAIL: the old-format file cleared the mark"; }
# an empty cell clears it (an update), and the alert comes back
printf 'mrn,collected_on,test,value,unit,entered_in_error\nT001,2025-07-14,IGG,3.5,g/L,\n' >"$T/clear.csv"
check "clear the mark" 0 E import labs "$T/clear.csv"
contains "clear is an update" "$T/out" "0 inserted, 1 updated, 0 unchanged"
check "check after clearing" 0 E check --as-of $AS_OF
contains "alert reopened" "$T/out" "reopened 1"
check "mark again" 0 E import labs "$T/mark.csv"

# a new row that carries a reason is stored marked
printf 'mrn,given_on,product,entered_in_error\nT001,2025-03-03,platelets,duplicate of the 03-04 entry\n' >"$T/tr.csv"
check "new marked row" 0 E import transfusions "$T/tr.csv"
contains "new marked row inserted" "$T/out" "1 inserted"
E export transfusions | grep -qF 'T001,2025-03-03,platelets,duplicate of the 03-04 entry' && pass=$((pass + 1)) ||
	{ fail=$((fail + 1)); echo "FAIL: new marked transfusion not exported with its reason"; }

# a marked GVHD assessment leaves the derived gvhd export and the rules
printf 'mrn,assessed_on,skin,liver,upper_gi,lower_gi,entered_in_error\nT002,2025-04-01,0,0,0,4,entered for T001 by mistake\n' >"$T/gv.csv"
check "derived gvhd before" 0 E export gvhd --as-of $AS_OF
contains "T002 acute assessment listed" "$T/out" "T002,2025-04-01,acute"
check "mark a GVHD assessment" 0 E import gvhd-acute "$T/gv.csv"
check "derived gvhd after" 0 E export gvhd --as-of $AS_OF
lacks "marked assessment not in derived gvhd" "$T/out" "T002,2025-04-01"
check "export gvhd-acute" 0 E export gvhd-acute
contains "marked assessment still exported" "$T/out" "T002,2025-04-01,0,0,0,4,entered for T001 by mistake"

# the reason is validated, never truncated
long=$(printf 'x%.0s' $(seq 201))
printf 'mrn,given_on,dose_g,entered_in_error\nT001,2025-05-01,30,%s\n' "$long" >"$T/long.csv"
check "201-byte reason refused" 3 E import ivig "$T/long.csv"
contains "too long named" "$T/err" "entered_in_error: too long (201 bytes, at most 200)"
printf 'mrn,given_on,dose_g,entered_in_error\nT001,2025-05-01,30,bad\001reason\n' >"$T/ctl.csv"
check "control byte refused" 3 E import ivig "$T/ctl.csv"
contains "control byte named" "$T/err" "entered_in_error: contains a control character"
printf 'mrn,given_on,dose_g,entered_in_error\nT001,2025-05-01,30,%s\n' "${long:1}" >"$T/ok200.csv"
check "200-byte reason accepted" 0 E import ivig "$T/ok200.csv"

# lab results imported in full batches (64 rows a statement) carry their marks
{
	echo "mrn,collected_on,test,value,unit,entered_in_error"
	for i in $(seq 0 149); do
		d=$(date -u -d "2025-03-01 + $i days" +%F)
		if [ $((i % 7)) -eq 0 ]; then r="batch reason $i"; else r=""; fi
		echo "T002,$d,ALC,1.$i,10^9/L,$r"
	done
} >"$T/batch.csv"
check "batch import with marks" 0 E import labs "$T/batch.csv"
contains "batch inserted" "$T/out" "150 inserted"
equals "batch marks exported" 22 "$(E export labs --mrn T002 | grep -c ',batch reason ')"
E export labs --mrn T002 | grep -qF 'T002,2025-03-08,ALC,1.7,10^9/L,batch reason 7' && pass=$((pass + 1)) ||
	{ fail=$((fail + 1)); echo "FAIL: batch row 7 not exported with its reason"; }
check "batch re-import" 0 E import labs "$T/batch.csv"
contains "batch re-import unchanged" "$T/out" "0 inserted, 0 updated, 150 unchanged"

# the audit trail knows the new columns, and verifies
check "audit verify" 0 E audit verify
check "export audit" 0 E export audit
contains "audit has the reason" "$T/out" "wrong patient: sample swap"

# --- vaccinations: administered vs historical --------------------------------
check "export vaccinations" 0 E export vaccinations
contains "vaccination header" "$T/out" "mrn,vaccine,given_on,lot,site,given_by,source,override_reason,entered_in_error"
contains "file without source is historical" "$T/out" "T001,PCV,2025-04-15,AB123,left deltoid,\"Nurse, Day\",historical,,"
printf 'mrn,vaccine,given_on,lot,site,given_by,source\nT001,FLU,2025-09-01,,deltoid,RN,administered\nT001,TDAP,2025-09-01,L1,,RN,administered\nT004,FLU,2025-09-02,,,,\n' >"$T/adm.csv"
check "administered without lot or site" 3 E import vaccinations "$T/adm.csv"
contains "lot named" "$T/err" ":2: lot: required for an administered dose"
contains "site named" "$T/err" ":3: site: required for an administered dose"
lacks "empty source is historical, needs nothing" "$T/err" ":4:"
E export vaccinations | grep -q 'FLU,2025-09-0' && { fail=$((fail + 1)); echo "FAIL: a refused file wrote rows"; } || pass=$((pass + 1))
printf 'mrn,vaccine,given_on,lot,site,source\nT001,MMR,2025-09-01,M1,left arm,administered\n' >"$T/mmr.csv"
check "administered live dose, gate closed" 3 E import vaccinations "$T/mmr.csv"
contains "gate refusal" "$T/err" "override_reason: MMR is a live vaccine and the live-vaccine gate was closed on 2025-09-01"
contains "gate lists the 24 months" "$T/err" "24 months"
contains "gate lists the immunosuppression" "$T/err" "prednisone"
printf 'mrn,vaccine,given_on,lot,site,source,override_reason\nT001,MMR,2025-09-01,M1,left arm,historical,outbreak\n' >"$T/hist-ovr.csv"
check "override on a historical dose" 3 E import vaccinations "$T/hist-ovr.csv"
contains "override only administered" "$T/err" "override_reason: only an administered dose has an override reason"
printf 'mrn,vaccine,given_on,lot,site,source,override_reason\nT001,MMR,2025-09-01,M1,left arm,administered,measles outbreak exposure\n' >"$T/mmr-ovr.csv"
check "administered live dose with override" 0 E import vaccinations "$T/mmr-ovr.csv"
contains "override dose stored" "$T/out" "1 inserted"
check "re-import override dose" 0 E import vaccinations "$T/mmr-ovr.csv"
contains "override dose unchanged" "$T/out" "0 inserted, 0 updated, 1 unchanged"
check "check with override dose" 0 E check --as-of $AS_OF
check "alerts with override dose" 0 E alerts --as-of $AS_OF
contains "live alert raised" "$T/out" "LIVE_VACCINE_CONTRAINDICATED"
contains "live alert names the override" "$T/out" "given with override: measles outbreak exposure"
check "audit verify after override" 0 E audit verify
check "export audit after override" 0 E export audit
contains "audit has the override" "$T/out" "measles outbreak exposure"
# a file without the source column keeps an administered dose administered
printf 'mrn,vaccine,given_on,lot\nT001,MMR,2025-09-01,M1\n' >"$T/old-adm.csv"
check "old-format file drops an administered dose's site" 3 E import vaccinations "$T/old-adm.csv"
contains "site still required" "$T/err" "site: required: this dose is recorded as administered"
printf 'mrn,vaccine,given_on,lot,site\nT001,MMR,2025-09-01,M1,left arm\n' >"$T/old-adm-ok.csv"
check "old-format file with lot and site" 0 E import vaccinations "$T/old-adm-ok.csv"
contains "old-format file leaves it unchanged" "$T/out" "0 inserted, 0 updated, 1 unchanged"
# a historical live dose is a fact: accepted as before, and alerts
printf 'mrn,vaccine,given_on\nT002,VAR,2025-09-03\n' >"$T/var.csv"
check "historical live dose accepted" 0 E import vaccinations "$T/var.csv"
check "check with historical live dose" 0 E check --as-of $AS_OF
check "alerts with historical live dose" 0 E alerts --as-of $AS_OF
contains "historical live dose alerts" "$T/out" "VAR dose 1 (live) given 2025-09-03"
# marking the live dose in error resolves its alert
printf 'mrn,vaccine,given_on,entered_in_error\nT002,VAR,2025-09-03,recorded for the wrong patient\n' >"$T/var-eie.csv"
check "mark the live dose" 0 E import vaccinations "$T/var-eie.csv"
check "check after marking the dose" 0 E check --as-of $AS_OF
check "alerts after marking the dose" 0 E alerts --as-of $AS_OF
lacks "marked live dose raises nothing" "$T/out" "VAR dose 1 (live) given 2025-09-03"
check "final audit verify" 0 E audit verify

finish
