#!/usr/bin/env bash
# The transplant type cellular_therapy (CAR-T; issue 16 item 7,
# docs/clinical-rules.md s.20), end to end through the binary: import and
# export of the type, engraftment not applicable, the CAR-T vaccine schedule
# (inactivated from 3 months, live from 12), no engraftment alert, no HCT
# follow-up calendar but Form 4100's own; an unknown type is refused
# naming the words.
# usage: cart.sh ENGRAFT_BINARY
set -u
ENGRAFT=$1
umask 077
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/lib.sh"

DB="$T/engraft.db"
E() { "$ENGRAFT" --db "$DB" "$@"; }

cat >"$T/patients.csv" <<'CSV'
mrn,family_name,given_name,birth_date
C001,Cartwright,Ana,1970-03-03
C002,Hale,Ben,1965-07-07
CSV
# C001: CAR-T only; C002: allogeneic HCT, relapse, CAR-T
cat >"$T/transplants.csv" <<'CSV'
mrn,transplant_date,type,graft_source,donor,conditioning
C001,2025-01-15,cellular_therapy,peripheral_blood,self,
C002,2024-03-01,allogeneic,peripheral_blood,unrelated,reduced_intensity
C002,2025-01-15,cellular_therapy,peripheral_blood,self,
CSV
# counts that never recover: a graft failure after an HCT, nothing after CAR-T
cat >"$T/labs.csv" <<'CSV'
mrn,collected_on,test,value,unit
C001,2025-01-20,ANC,0.1,10*9/L
C001,2025-02-05,ANC,0.2,10*9/L
C001,2025-03-01,ANC,0.3,10*9/L
C001,2025-03-10,ANC,0.2,10*9/L
C001,2025-03-20,PLT,9,10*9/L
CSV
check "import patients" 0 E import patients "$T/patients.csv"
check "import transplants" 0 E import transplants "$T/transplants.csv"
contains "three rows" "$T/out" "3 inserted"
check "import labs" 0 E import labs "$T/labs.csv"

check "export transplants" 0 E export transplants
contains "CAR-T exported" "$T/out" "C001,2025-01-15,cellular_therapy,peripheral_blood,self,"
cp "$T/out" "$T/tx-export.csv"
check "re-import unchanged" 0 E import transplants "$T/tx-export.csv"
contains "nothing changes" "$T/out" "0 inserted, 0 updated, 3 unchanged"

check "engraftment" 0 E export engraftment --as-of 2025-04-01 --mrn C001
contains "not applicable" "$T/out" "C001,2025-01-15,,,,,not_applicable"

# at 2 months: inactivated upcoming at 3 months, live blocked to 12 months
check "due 2 months" 0 E export due --as-of 2025-03-15 --mrn C001
contains "FLU upcoming at 3 months" "$T/out" "C001,FLU,1,2025-04-15,upcoming,3 months after transplant"
contains "MMR blocked to 12 months" "$T/out" "C001,MMR,1,2026-01-15,blocked,transplant 2025-01-15 < 12 months"
check "due 12 months" 0 E export due --as-of 2026-01-15 --mrn C001
contains "MMR due at 12 months" "$T/out" "C001,MMR,1,2026-01-15,due,12 months after transplant"
# after an HCT the CAR-T restarts the series; the live gate keeps 24 months after the HCT
check "due HCT then CAR-T" 0 E export due --as-of 2026-01-15 --mrn C002
contains "MMR waits for the HCT's 24 months" "$T/out" "C002,MMR,1,2026-03-01,blocked,transplant 2024-03-01 < 24 months"

check "check" 0 E check --as-of 2025-04-01
check "alerts" 0 E export alerts --as-of 2025-04-01
lacks "no graft failure after CAR-T" "$T/out" "NEUTROPHIL_ENGRAFTMENT_MISSED"
lacks "no platelet delay after CAR-T" "$T/out" "PLATELET_ENGRAFTMENT_DELAYED"

# the HCT follow-up calendar: none for C001, C002's runs from the HCT; the
# CAR-T infusion's own form (CIBMTR-CT, Form 4100) from the infusion
check "followup" 0 E export followup --as-of 2025-04-01
lacks "no HCT form for CAR-T only" "$T/out" "C001,CIBMTR,"
lacks "no screening for CAR-T only" "$T/out" "C001,EYE"
contains "C001 Form 4100 day 100" "$T/out" "C001,CIBMTR-CT,D100,2025-04-25,upcoming"
contains "C002 from the HCT" "$T/out" "C002,CIBMTR,Y1,2025-03-01,overdue"
contains "C002 Form 4100 from the CAR-T" "$T/out" "C002,CIBMTR-CT,D100,2025-04-25,upcoming"
printf 'mrn,item,time_point,done_on\nC001,CIBMTR-CT,D100,2025-04-28\n' >"$T/fu.csv"
check "Form 4100 done" 0 E import followups "$T/fu.csv"
check "followup after" 0 E export followup --as-of 2025-05-01 --mrn C001
contains "D100 done" "$T/out" "C001,CIBMTR-CT,M6,2025-07-15,upcoming"
lacks "D100 no longer listed" "$T/out" "C001,CIBMTR-CT,D100"

printf 'mrn,transplant_date,type,graft_source\nC001,2025-02-01,car_t,peripheral_blood\n' >"$T/bad.csv"
check "unknown type refused" 3 E import transplants "$T/bad.csv"
contains "names the words" "$T/err" "cellular_therapy"

finish
