#!/usr/bin/env bash
# The command-line paths under valgrind (memcheck): init, import of every
# kind (and a rejected file), export of every kind and of the audit log,
# audit verify (clean and broken), backup. Any error or leak fails.
# usage: valgrind.sh ENGRAFT_BINARY [SANITIZE SOURCE_ROOT]
# valgrind cannot run a sanitizer build: then a plain engraft is built from
# SOURCE_ROOT in a temporary directory first. Exit 77 (skipped): no valgrind.
set -u
ENGRAFT=$1
if ! command -v valgrind >/dev/null 2>&1; then
	echo "valgrind not installed: skipped"
	exit 77
fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
if [ -n "${2:-}" ] && [ "${2:-}" != none ]; then
	echo "sanitizer build ($2): building a plain engraft for valgrind"
	if ! meson setup "$T/plain" "$3" >"$T/setup.log" 2>&1 || ! ninja -C "$T/plain" engraft >>"$T/setup.log" 2>&1; then
		tail -20 "$T/setup.log"
		echo "could not build a plain engraft"
		exit 1
	fi
	ENGRAFT="$T/plain/engraft"
fi
DB="$T/v.db"
pass=0 fail=0
VG=(valgrind --quiet --leak-check=full --show-leak-kinds=definite,indirect,possible
	--errors-for-leak-kinds=definite,indirect,possible --error-exitcode=99 --track-fds=no)

run() { # run NAME WANT_STATUS ARGS...
	local name=$1 want=$2
	shift 2
	"${VG[@]}" --log-file="$T/vg.log" "$ENGRAFT" --db "$DB" "$@" >"$T/out" 2>"$T/err"
	local got=$?
	if [ "$got" -eq "$want" ] && [ ! -s "$T/vg.log" ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: $name: exit $got (want $want)"
		head -30 "$T/vg.log"
		head -5 "$T/err"
	fi
}

cat >"$T/patients.csv" <<'CSV'
mrn,family_name,given_name,birth_date,sex,diagnosis
P1,Doe,Jane,1980-01-02,F,AML
P2,"=cmd|' /C calc'!A0",Rick,1975-05-06,M,
CSV
cat >"$T/transplants.csv" <<'CSV'
mrn,transplant_date,type,graft_source,donor,conditioning
P1,2025-01-10,allogeneic,peripheral_blood,unrelated,myeloablative
CSV
cat >"$T/labs.csv" <<'CSV'
mrn,collected_on,test,value,unit
P1,2025-01-12,ANC,0.1,10^9/L
P1,2025-01-20T08:30,ANC,<0.5,10*9/L
P2,2025-02-10,IGG,5.2,g/L
CSV
cat >"$T/transfusions.csv" <<'CSV'
mrn,given_on,product
P1,2025-01-15,platelets
CSV
cat >"$T/vaccinations.csv" <<'CSV'
mrn,vaccine,given_on,lot,site,given_by
P1,PCV,2025-05-01,L1,left deltoid,Nurse A
CSV
cat >"$T/gvhd-acute.csv" <<'CSV'
mrn,assessed_on,skin,liver,upper_gi,lower_gi
P1,2025-02-01,2,0,1,0
CSV
cat >"$T/gvhd-chronic.csv" <<'CSV'
mrn,assessed_on,skin,mouth,eyes,gi,liver,lungs,joints,genital
P1,2025-08-01,1,1,0,0,0,0,0,0
CSV
cat >"$T/immunosuppression.csv" <<'CSV'
mrn,drug,started_on,stopped_on
P1,tacrolimus,2025-01-08,2025-06-01
CSV
cat >"$T/ivig.csv" <<'CSV'
mrn,given_on,dose_g
P1,2025-03-01,30
CSV
printf 'mrn,collected_on,test,value,unit\nP1,2025-01-30,ANC,abc,10^9/L\nNOPE,2025-01-31,ANC,1,10^9/L\n' >"$T/bad.csv"

KINDS="patients transplants labs transfusions vaccinations gvhd-acute gvhd-chronic immunosuppression ivig"
run "init" 0 init
for k in $KINDS; do run "import $k" 0 import "$k" "$T/$k.csv"; done
run "re-import (unchanged)" 0 import labs "$T/labs.csv"
run "import rejected" 3 import labs "$T/bad.csv"
run "import from stdin" 0 import ivig - <"$T/ivig.csv"
for k in $KINDS audit; do run "export $k" 0 export "$k" -o "$T/out-$k.csv"; done
run "export unknown kind" 2 export nope
run "audit verify" 0 audit verify
run "backup" 0 backup "$T/backup.db"
run "backup refuses to overwrite" 2 backup "$T/backup.db"
sqlite3 "$DB" "DROP TRIGGER audit_log_no_update; UPDATE audit_log SET user = 'x' WHERE seq = 1" 2>/dev/null ||
	python3 - "$DB" <<'PY' 2>/dev/null
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.executescript("DROP TRIGGER audit_log_no_update; UPDATE audit_log SET user = 'x' WHERE seq = 1;")
PY
run "audit verify (broken)" 5 audit verify
run "help" 0 --help

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
