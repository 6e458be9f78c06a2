#!/usr/bin/env bash
# End-to-end: register a patient and a transplant through the real binary
# in tmux (issue 14, item 3), as a clerk at the front desk would: n on the
# patient list, the six fields, a bad birth date refused in place, F2; the
# new chart opens; T, the transplant's date, type and graft source, F2. Then
# the CLI's exports must hold exactly those rows. Skips (77) without tmux.
# usage: newpatient_tmux.sh ENGRAFT_BINARY COLS ROWS
set -u
ENGRAFT=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
COLS=$2
ROWS=$3
. "$(dirname "$0")/lib.sh"
SESSION=np
e2e_setup np
DB=$T/np.db
TODAY=$(date +%F)
"$ENGRAFT" --db "$DB" init >/dev/null || { echo "FAIL: init"; exit 1; }

TM new-session -d -s np -x "$COLS" -y "$ROWS" \
	"LANG=C.UTF-8 LC_ALL=C.UTF-8 ESCDELAY=25 '$ENGRAFT' --db '$DB'; echo \$? >'$T/exit'; sleep 60"

expect "empty list" "Patients: 0"
expect "n on the bar" "n New"
keys n
expect "form" "Register a new patient"
keys E 2 E - 1 Tab
keys -l "Lefèvre"
keys Tab
keys -l "Zoé"
keys Tab 1 9 9 0 - 0 2 - 3 0 Tab Right Right Tab A M L
keys F2
expect "bad birth date in place" "'1990-02-30' is not a real date (YYYY-MM-DD)"
expect "not saved" "Not saved: 1 field to correct"
keys C-u 1 9 9 0 - 0 2 - 2 8
keys F2
expect "chart opened" "Chart: Lefèvre, Zoé  MRN E2E-1"
expect "saved" "Saved patient MRN E2E-1."

keys T
expect "transplant form" "New transplant for Lefèvre, Zoé (MRN E2E-1)"
keys C-u 2 0 9 9 - 0 1 - 0 1
keys F2
expect "future refused" "2099-01-01 is in the future"
keys C-u
keys -l "$TODAY"
keys Tab Right Right Tab Right Right Right Tab u
keys F2
expect "transplant saved" "Saved transplant of $TODAY."
expect "day 0 on the chart" "Day +0"

keys q
expect "list" "Patients: 1"
keys q
for i in $(seq 1 50); do [ -s "$T/exit" ] && break; sleep 0.1; done
if [ "$(cat "$T/exit" 2>/dev/null)" = 0 ]; then
	pass=$((pass + 1))
else
	fail=$((fail + 1))
	echo "FAIL: quit: exit status '$(cat "$T/exit" 2>/dev/null)'"
fi

# the database, through the CLI
want_export() { # want_export KIND EXPECTED-CSV
	local got
	got=$("$ENGRAFT" --db "$DB" export "$1")
	if [ "$got" = "$2" ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: export $1:"
		printf '%s\n' "$got" | sed 's/^/  | /'
	fi
}
want_export patients "mrn,family_name,given_name,birth_date,sex,diagnosis
E2E-1,Lefèvre,Zoé,1990-02-28,M,AML"
want_export transplants "mrn,transplant_date,type,graft_source,donor,conditioning
E2E-1,$TODAY,allogeneic,cord_blood,unrelated,"

echo "$pass passed, $fail failed (${COLS}x${ROWS})"
[ "$fail" -eq 0 ]
