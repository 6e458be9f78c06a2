#!/usr/bin/env bash
# End-to-end test of the triage screens (issue 14): the real binary in tmux
# at a fixed size on the screen-test fixture, driven by keys: the clinic's
# alerts filtered by name and severity, one patient's alerts marked and
# acknowledged with one reason, Esc clearing the filter before going back;
# the worklist filtered by f and /, the blocked reason in full; j/k move.
# Then the database is checked through `engraft export`. Skips (77)
# without tmux.
# usage: triage_tmux.sh ENGRAFT_BINARY DATA_DIR COLS ROWS
set -u
ENGRAFT=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
DATA=$2
COLS=$3
ROWS=$4
. "$(dirname "$0")/lib.sh"
e2e_setup triage
DB=$T/e2e.db

for k in patients transplants labs gvhd-acute immunosuppression ivig vaccinations; do
	"$ENGRAFT" --db "$DB" import "$k" "$DATA/$k.csv" >/dev/null || { echo "FAIL: import $k"; exit 1; }
done
"$ENGRAFT" --db "$DB" check >/dev/null || { echo "FAIL: check"; exit 1; }
# MRN002's open alerts today (the fixture is dated; today decides how many)
N2=$("$ENGRAFT" --db "$DB" export alerts --mrn MRN002 | grep -c ',open,')

TM new-session -d -s e2e -x "$COLS" -y "$ROWS" \
	"LANG=C.UTF-8 LC_ALL=C.UTF-8 ESCDELAY=25 '$ENGRAFT' --db '$DB'; echo \$? >'$T/exit'; sleep 60"

expect "list" "Patients: 6"
keys a
expect "alerts" "Alerts: clinic"
expect "grouped" "Müller, Jürgen  MRN MRN004"
expect "counts" "(1 critical"

# the filter as you type, by name
keys / s m i t h e r s
expect "search line" "Search: smithers_"
expect "one patient" "Smithers, Anna  MRN MRN002  $N2 alerts"
expect_not "others hidden" "MRN MRN004"
keys Enter
expect "kept" 'Filter: "smithers"'
keys s
expect "severity" 'Filter: "smithers" severity critical'
expect "none critical" "No alert matches the filters. Esc clears them."
keys s s s
expect "every severity" "Smithers, Anna  MRN MRN002"

# show the alerts, move with j/k, mark them all, one reason
keys Right
keys j j k
expect "detail" "Selected alert"
expect "detail text" "MRN002 Smithers, Anna:"
keys Left
expect "patient row" "Selected patient"
keys Space
expect "marked" "$N2 marked"
keys A
expect "ack form" "Acknowledge $N2 alerts of MRN MRN002"
keys e 2 e Space t r i a g e
keys F2
expect "acked" "Acknowledged $N2 alerts of MRN MRN002."

# Esc clears the filter first, then goes back
keys Escape
expect "filter cleared" "Alerts: clinic"
expect_not "no filter line" "Filter:"
expect "others again" "MRN MRN004"
keys Escape
expect "back to the list" "Patients: 6"

# the worklist: d, /, the blocked reason in full
keys v
expect "worklist" "Vaccinations: clinic"
expect "headers" "MRN and name"
keys d
expect "d: this week" "Filter: due within 7 days"
keys d d
expect "d: blocked" "Filter: blocked"
expect "blocked section" "Blocked ("
keys d
keys / m r n 0 0 1 Space m m r
keys Enter
expect "one row" "MRN001 Smith, John"
expect "blocked reason in full" "blocked: on immunosuppression (tacrolimus"
expect "blocked reason, its end" "since 2024-01-07)"
keys Escape
expect_not "worklist filter cleared" "Filter:"
keys Escape
expect "list again" "Patients: 6"
keys q
for i in $(seq 1 50); do [ -s "$T/exit" ] && break; sleep 0.1; done
if [ "$(cat "$T/exit" 2>/dev/null)" = 0 ]; then
	pass=$((pass + 1))
else
	fail=$((fail + 1))
	echo "FAIL: quit: exit status '$(cat "$T/exit" 2>/dev/null)'"
fi

# the database: every alert of MRN002 acknowledged with the one reason
got=$("$ENGRAFT" --db "$DB" export alerts --mrn MRN002 | grep -c ',acknowledged,.*,e2e triage,')
if [ "$got" = "$N2" ] && [ "$N2" -gt 1 ]; then
	pass=$((pass + 1))
else
	fail=$((fail + 1))
	echo "FAIL: $got of $N2 alerts of MRN002 acknowledged with the reason"
fi

echo "$pass passed, $fail failed (${COLS}x${ROWS})"
[ "$fail" -eq 0 ]
