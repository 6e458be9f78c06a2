#!/usr/bin/env bash
# The worked cases of docs/clinical-rules.md s.18 through the real binary:
# each case is a patient imported as CSV; the answers are read back with
# `export engraftment|gvhd|due|alerts` and `check`. D0 = 2025-01-15 unless a
# case says otherwise (D+12 = 2025-01-27, D+28 = 2025-02-12, ...).
# usage: reference_cases.sh ENGRAFT_BINARY
set -u
ENGRAFT=$1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/lib.sh"
E() { "$ENGRAFT" --db "$T/ref.db" "$@"; }
imp() { # imp KIND <<CSV
	cat >"$T/in.csv"
	E import "$1" "$T/in.csv" >"$T/imp.out" 2>&1 || { fail=$((fail + 1)); echo "FAIL: import $1:"; cat "$T/imp.out"; }
}
row() { # row KIND MRN AS_OF: the export's data rows for one patient
	E export "$1" --mrn "$2" --as-of "$3" | tail -n +2
}
alert() { # alert MRN RULE SUBJECT: "severity,status" of that alert, or "none"
	local a
	a=$(E export alerts | awk -F, -v m="$1" -v r="$2" -v s="$3" '$2==m && $3==r && $4==s {print $5 "," $6}')
	echo "${a:-none}"
}

imp patients <<'CSV'
mrn,family_name,given_name,birth_date
C01,Case,One,1970-01-01
C02,Case,Two,1970-01-01
C03,Case,Three,1970-01-01
C04,Case,Four,1970-01-01
C05,Case,Five,1970-01-01
C05U,Case,Five-cord,1970-01-01
C06,Case,Six,1970-01-01
C06B,Case,Six-broken,1970-01-01
C07,Case,Seven,1970-01-01
C08,Case,Eight,1970-01-01
C09,Case,Nine,1970-01-01
C11,Case,Eleven,1970-01-01
C12,Case,Twelve,1970-01-01
C13,Case,Thirteen,1970-01-01
C24,Case,Twentyfour,1970-01-01
C24G,Case,Twentyfour-cGVHD,1970-01-01
C26,Case,Twentysix,1970-01-01
C27,Case,Twentyseven,1970-01-01
C29,Case,Twentynine,1970-01-01
C30,Case,Thirty,1970-01-01
C31,Case,Thirtyone,1970-01-01
C32,Case,Thirtytwo,1970-01-01
CSV
imp transplants <<'CSV'
mrn,transplant_date,type,graft_source,donor
C01,2025-01-15,allogeneic,peripheral_blood,unrelated
C02,2025-01-15,allogeneic,peripheral_blood,unrelated
C03,2025-01-15,allogeneic,peripheral_blood,unrelated
C04,2025-01-15,allogeneic,peripheral_blood,unrelated
C05,2025-01-15,allogeneic,peripheral_blood,unrelated
C05U,2025-01-15,allogeneic,cord_blood,unrelated
C06,2025-01-15,allogeneic,peripheral_blood,unrelated
C06B,2025-01-15,allogeneic,peripheral_blood,unrelated
C07,2025-01-15,allogeneic,peripheral_blood,unrelated
C08,2025-01-15,allogeneic,peripheral_blood,unrelated
C09,2025-01-15,allogeneic,peripheral_blood,unrelated
C11,2025-01-15,allogeneic,peripheral_blood,unrelated
C12,2025-01-15,allogeneic,peripheral_blood,unrelated
C13,2025-01-15,allogeneic,peripheral_blood,unrelated
C24,2025-01-15,allogeneic,peripheral_blood,unrelated
C24G,2025-01-15,allogeneic,peripheral_blood,unrelated
C26,2023-01-10,allogeneic,peripheral_blood,unrelated
C27,2023-01-10,allogeneic,peripheral_blood,unrelated
C29,2024-01-10,allogeneic,peripheral_blood,unrelated
C29,2024-09-01,allogeneic,peripheral_blood,unrelated
C30,2024-08-31,allogeneic,peripheral_blood,unrelated
C31,2025-01-15,allogeneic,peripheral_blood,unrelated
C32,2025-01-15,allogeneic,peripheral_blood,unrelated
CSV
imp labs <<'CSV'
mrn,collected_on,test,value,unit
C01,2025-01-20,ANC,0.02,10*9/L
C01,2025-01-27,ANC,0.6,10*9/L
C01,2025-01-28,ANC,0.4,10*9/L
C01,2025-01-29,ANC,0.7,10*9/L
C01,2025-01-30,ANC,0.9,10*9/L
C01,2025-01-31,ANC,1.2,10*9/L
C02,2025-01-18,ANC,0.05,10*9/L
C02,2025-01-26,ANC,0.6,10*9/L
C02,2025-01-29,ANC,0.8,10*9/L
C02,2025-02-02,ANC,1.1,10*9/L
C03,2025-01-19,ANC,0.03,10*9/L
C03,2025-01-27T08:00,ANC,0.6,10*9/L
C03,2025-01-27T18:00,ANC,0.7,10*9/L
C03,2025-01-28,ANC,0.8,10*9/L
C04,2025-01-14,ANC,1.5,10*9/L
C04,2025-01-15,ANC,0.9,10*9/L
C04,2025-01-16,ANC,0.7,10*9/L
C04,2025-01-17,ANC,0.6,10*9/L
C04,2025-01-19,ANC,0.2,10*9/L
C04,2025-01-21,ANC,0.01,10*9/L
C04,2025-01-28,ANC,0.55,10*9/L
C04,2025-01-29,ANC,0.6,10*9/L
C04,2025-01-30,ANC,0.9,10*9/L
C05,2025-01-20,ANC,0.05,10*9/L
C05,2025-01-27,ANC,0.1,10*9/L
C05,2025-02-05,ANC,0.2,10*9/L
C05,2025-02-12,ANC,0.3,10*9/L
C05U,2025-01-20,ANC,0.05,10*9/L
C05U,2025-01-27,ANC,0.1,10*9/L
C05U,2025-02-05,ANC,0.2,10*9/L
C05U,2025-02-12,ANC,0.3,10*9/L
C06,2025-02-08,ANC,0.2,10*9/L
C06,2025-02-11,ANC,0.6,10*9/L
C06,2025-02-12,ANC,0.7,10*9/L
C06B,2025-02-08,ANC,0.2,10*9/L
C06B,2025-02-11,ANC,0.6,10*9/L
C06B,2025-02-12,ANC,0.7,10*9/L
C06B,2025-02-13,ANC,0.3,10*9/L
C07,2025-01-20,ANC,0.05,10*9/L
C07,2025-01-29,ANC,0.7,10*9/L
C07,2025-01-30,ANC,0.9,10*9/L
C07,2025-01-31,ANC,1.2,10*9/L
C07,2025-03-16,ANC,0.4,10*9/L
C07,2025-03-17,ANC,0.3,10*9/L
C07,2025-03-18,ANC,0.2,10*9/L
C08,2025-01-31,PLT,30,10*9/L
C08,2025-02-02,PLT,35,10*9/L
C08,2025-02-05,PLT,40,10*9/L
C08,2025-02-06,PLT,45,10*9/L
C08,2025-02-07,PLT,50,10*9/L
C08,2025-02-08,PLT,60,10*9/L
C08,2025-02-09,PLT,70,10*9/L
C09,2025-01-20,PLT,150,10*9/L
C09,2025-01-27,PLT,160,10*9/L
C09,2025-02-03,PLT,170,10*9/L
C11,2025-01-20,ANC,0.05,10*9/L
C11,2025-01-27,ANC,0.6,10*9/L
C11,2025-01-28,ANC,0.7,10*9/L
C11,2025-01-29,ANC,<0.1,10*9/L
C11,2025-01-30,ANC,0.8,10*9/L
C12,2025-01-20,ANC,0.05,10*9/L
C12,2025-01-27,ANC,0.6,10*9/L
C12,2025-01-28,ANC,<1.0,10*9/L
C12,2025-01-29,ANC,0.7,10*9/L
C12,2025-01-30,ANC,0.8,10*9/L
C12,2025-01-31,ANC,0.9,10*9/L
C31,2025-05-01,IGG,350,mg/dL
C32,2025-07-24,CD4,150,cells/uL
CSV
imp transfusions <<'CSV'
mrn,given_on,product
C08,2025-01-22,platelets
C08,2025-01-29,platelets
CSV

eng() { row engraftment "$1" "$2"; }
# case 1: D+12 run broken by D+13; engraftment D+14
equals "case 1" "C01,2025-01-15,2025-01-29,14,,,engrafted" "$(eng C01 2025-03-01)"
# case 2: non-daily values count
equals "case 2" "C02,2025-01-15,2025-01-26,11,,,engrafted" "$(eng C02 2025-03-01)"
# case 3: two draws on one day are one day; pending, then D+12 once D+14 arrives
equals "case 3 pending" "C03,2025-01-15,,,,,pending" "$(eng C03 2025-01-28)"
printf 'mrn,collected_on,test,value,unit\nC03,2025-01-29,ANC,0.9,10*9/L\n' | E import labs - >/dev/null
equals "case 3 engrafted" "C03,2025-01-15,2025-01-27,12,,,engrafted" "$(eng C03 2025-01-29)"
# case 4: values before the nadir are ignored
equals "case 4" "C04,2025-01-15,2025-01-28,13,,,engrafted" "$(eng C04 2025-03-01)"
# case 5: PBSC, no ANC >= 0.5 by D+28, evaluated D+29 -> alert; cord blood waits for D+42
E check --as-of 2025-02-13 --mrn C05 >/dev/null
equals "case 5 PBSC alert" "critical,open" "$(alert C05 NEUTROPHIL_ENGRAFTMENT_MISSED 2025-01-15)"
equals "case 5 PBSC status" "C05,2025-01-15,,,,,graft_failure" "$(eng C05 2025-02-13)"
E check --as-of 2025-02-13 --mrn C05U >/dev/null
equals "case 5 cord no alert at D+29" "none" "$(alert C05U NEUTROPHIL_ENGRAFTMENT_MISSED 2025-01-15)"
E check --as-of 2025-02-27 --mrn C05U >/dev/null
equals "case 5 cord alert after D+42" "critical,open" "$(alert C05U NEUTROPHIL_ENGRAFTMENT_MISSED 2025-01-15)"
# case 6: a pending run at D+28 waits; completes -> D+27, breaks -> alert
E check --as-of 2025-02-12 --mrn C06 >/dev/null
equals "case 6 no alert at D+28" "none" "$(alert C06 NEUTROPHIL_ENGRAFTMENT_MISSED 2025-01-15)"
printf 'mrn,collected_on,test,value,unit\nC06,2025-02-13,ANC,0.9,10*9/L\n' | E import labs - >/dev/null
E check --as-of 2025-02-13 --mrn C06 >/dev/null
equals "case 6 completes" "C06,2025-01-15,2025-02-11,27,,,engrafted" "$(eng C06 2025-02-13)"
equals "case 6 completes, no alert" "none" "$(alert C06 NEUTROPHIL_ENGRAFTMENT_MISSED 2025-01-15)"
E check --as-of 2025-02-13 --mrn C06B >/dev/null
equals "case 6 breaks -> alert" "critical,open" "$(alert C06B NEUTROPHIL_ENGRAFTMENT_MISSED 2025-01-15)"
# case 7: engrafted D+14, then 3 values < 0.5 -> secondary graft failure flagged
equals "case 7 engrafted" "C07,2025-01-15,2025-01-29,14,,,engrafted" "$(eng C07 2025-03-18)"
E check --as-of 2025-03-18 --mrn C07 >/dev/null
equals "case 7 secondary graft failure" "critical,open" "$(alert C07 SECONDARY_GRAFT_FAILURE 2025-01-15)"
# case 8: D+16 and D+18 within 7 days of the D+14 transfusion; >= 20 engraftment D+21
equals "case 8 platelets" "C08,2025-01-15,,,2025-02-05,21,pending" "$(eng C08 2025-03-01)"
# case 9: platelets never < 20 and no transfusion: no delayed-platelet alert
E check --as-of 2025-03-20 --mrn C09 >/dev/null
equals "case 9 not applicable" "none" "$(alert C09 PLATELET_ENGRAFTMENT_DELAYED 2025-01-15)"
# case 11: "<0.1" breaks the run that started D+12
equals "case 11" "C11,2025-01-15,,,,,pending" "$(eng C11 2025-01-30)"
# case 12: "<1.0" is undecidable: breaks the run; the next run engrafts D+14
equals "case 12" "C12,2025-01-15,2025-01-29,14,,,engrafted" "$(eng C12 2025-02-01)"

# cases 13-23: GVHD grade and severity are computed on import
imp gvhd-acute <<'CSV'
mrn,assessed_on,skin,liver,upper_gi,lower_gi
C13,2025-02-01,4,0,0,1
C13,2025-02-02,0,1,0,0
C13,2025-02-03,0,0,1,0
C13,2025-02-04,2,0,0,0
C13,2025-02-05,3,0,0,0
C13,2025-02-06,0,0,0,4
C13,2025-02-07,2,1,0,2
CSV
imp gvhd-chronic <<'CSV'
mrn,assessed_on,skin,mouth,eyes,gi,liver,lungs,joints,genital
C13,2025-06-01,1,1,0,0,0,0,0,0
C13,2025-06-02,1,1,1,0,0,0,0,0
C13,2025-06-03,0,0,0,0,0,1,0,0
C13,2025-06-04,0,0,0,0,0,2,0,0
C13,2025-06-05,0,0,0,0,0,0,3,0
C13,2025-06-06,0,0,2,0,0,0,0,0
CSV
E export gvhd --mrn C13 >"$T/gvhd.csv"
for want in "2025-02-01,acute,IV" "2025-02-02,acute,II" "2025-02-03,acute,II" "2025-02-04,acute,I" \
	"2025-02-05,acute,II" "2025-02-06,acute,IV" "2025-02-07,acute,III" "2025-06-01,chronic,mild" \
	"2025-06-02,chronic,moderate" "2025-06-03,chronic,moderate" "2025-06-04,chronic,severe" \
	"2025-06-05,chronic,severe" "2025-06-06,chronic,moderate"; do
	contains "gvhd $want" "$T/gvhd.csv" "C13,$want"
done

due() { E export due --mrn "$1" --as-of "$2" | awk -F, -v v="$3" '$2==v {print $2 "," $3 "," $4 "," $5}'; }
# case 24: PCV dose 2 from +28 days, dose 3 from +28 days, dose 4 at M12 (PPSV23 without cGVHD)
printf 'mrn,vaccine,given_on\nC24,PCV,2025-04-15\nC24G,PCV,2025-04-15\n' | E import vaccinations - >/dev/null
equals "case 24 PCV:2" "PCV,2,2025-05-13,upcoming" "$(due C24 2025-04-20 PCV)"
printf 'mrn,vaccine,given_on\nC24,PCV,2025-05-13\nC24,PCV,2025-06-10\nC24G,PCV,2025-05-13\nC24G,PCV,2025-06-10\n' |
	E import vaccinations - >/dev/null
equals "case 24 PCV:3 date" "PCV,3,2025-06-10" "$(due C24 2025-05-20 PCV | cut -d, -f1-3)"
equals "case 24 PPSV23 without cGVHD" "PPSV23,1,2026-01-15,upcoming" "$(due C24 2025-12-01 PPSV23)"
equals "case 24 no PCV:4 without cGVHD" "" "$(due C24 2025-12-01 PCV)"
printf 'mrn,assessed_on,skin,mouth,eyes,gi,liver,lungs,joints,genital\nC24G,2025-07-01,1,0,0,0,0,0,0,0\n' |
	E import gvhd-chronic - >/dev/null
equals "case 24 PCV:4 with cGVHD" "PCV,4,2026-01-15,upcoming" "$(due C24G 2025-12-01 PCV)"
equals "case 24 no PPSV23 with cGVHD" "" "$(due C24G 2025-12-01 PPSV23)"
# case 25: influenza from M6
equals "case 25 FLU" "FLU,1,2025-07-15,upcoming" "$(due C01 2025-03-01 FLU)"
# case 26: live gate, only 10 months off immunosuppression on 2025-03-01: earliest 2025-05-01
printf 'mrn,drug,started_on,stopped_on\nC26,tacrolimus,2023-01-07,2024-05-01\nC27,tacrolimus,2023-01-07,2024-05-01\n' |
	E import immunosuppression - >/dev/null
printf 'mrn,given_on\nC26,2024-06-15\nC27,2024-06-15\n' | E import ivig - >/dev/null
equals "case 26 MMR blocked until 2025-05-01" "MMR,1,2025-05-01,blocked" "$(due C26 2025-03-01 MMR)"
E export due --mrn C26 --as-of 2025-03-01 >"$T/due.csv"
contains "case 26 reason" "$T/due.csv" "< 12 months"
equals "case 26 open on 2025-05-01" "MMR,1,2025-05-01,due" "$(due C26 2025-05-01 MMR)"
# case 27: active chronic GVHD blocks regardless of dates (no date allows it)
printf 'mrn,assessed_on,skin,mouth,eyes,gi,liver,lungs,joints,genital\nC27,2025-06-01,1,1,0,0,0,0,0,0\n' |
	E import gvhd-chronic - >/dev/null
equals "case 27 blocked, no date" "MMR,1,,blocked" "$(due C27 2025-06-02 MMR)"
# case 29: a second transplant restarts the schedule; the earlier dose does not count
printf 'mrn,vaccine,given_on\nC29,PCV,2024-05-01\n' | E import vaccinations - >/dev/null
equals "case 29" "PCV,1,2024-12-01,upcoming" "$(due C29 2024-10-01 PCV)"
# case 30: D0 2024-08-31 + 6 months, end-of-month clamp (shipped default)
equals "case 30 clamp" "FLU,1,2025-02-28,upcoming" "$(due C30 2024-12-01 FLU)"
# case 31: IgG 350 11 days after IVIG is confounded; 350 later with no IVIG raises IGG_LOW
printf 'mrn,given_on\nC31,2025-04-20\n' | E import ivig - >/dev/null
E check --as-of 2025-05-02 --mrn C31 >/dev/null
equals "case 31 confounded" "none" "$(alert C31 IGG_LOW IGG)"
printf 'mrn,collected_on,test,value,unit\nC31,2025-06-15,IGG,350,mg/dL\n' | E import labs - >/dev/null
E check --as-of 2025-06-16 --mrn C31 >/dev/null
equals "case 31 raised" "warning,open" "$(alert C31 IGG_LOW IGG)"
# case 32: CD4 150 at D+190 -> IR-CD4-180 raised; IR-CD4-365 pending
E check --as-of 2025-07-25 --mrn C32 >/dev/null
equals "case 32 IR-CD4-180" "warning,open" "$(alert C32 IMMUNE_MILESTONE_MISSED IR-CD4-180)"
equals "case 32 IR-CD4-365 pending" "none" "$(alert C32 IMMUNE_MILESTONE_MISSED IR-CD4-365)"

finish
