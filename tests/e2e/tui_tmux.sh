#!/usr/bin/env bash
# End-to-end test of the terminal interface: the real binary in tmux at a
# fixed size on a small database, driven by keys as a user would type them:
# search a patient, open the chart, enter a lab value, record a vaccine
# dose, acknowledge an alert, resize, quit. Then the database is checked
# through `engraft export`. Skips (77) without tmux.
# With a LOCALE (e.g. de_DE.UTF-8, a decimal comma) the TUI runs under it
# and a decimal value is entered too: numbers must not depend on it.
# usage: tui_tmux.sh ENGRAFT_BINARY DATA_DIR COLS ROWS [LOCALE]
set -u
ENGRAFT=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
DATA=$2
COLS=$3
ROWS=$4
LOC=${5:-C.UTF-8}
. "$(dirname "$0")/lib.sh"
e2e_setup e2e "$LOC"
DB=$T/e2e.db
TODAY=$(date +%F)

for k in patients transplants labs gvhd-acute immunosuppression ivig vaccinations; do
	"$ENGRAFT" --db "$DB" import "$k" "$DATA/$k.csv" >/dev/null || { echo "FAIL: import $k"; exit 1; }
done
"$ENGRAFT" --db "$DB" check >/dev/null || { echo "FAIL: check"; exit 1; }

ME=$(id -un)
TM new-session -d -s e2e -x "$COLS" -y "$ROWS" \
	"LANG=$LOC LC_ALL=$LOC ESCDELAY=25 '$ENGRAFT' --db '$DB'; echo \$? >'$T/exit'; sleep 60"

expect "list" "Patients: 6"
expect "list row" "Smithers, Anna"

# search and open the chart
keys / s m i t h Space j
expect "search" "1 matching"
keys Enter
keys Enter
expect "chart" "Chart: Smith, John"
expect "chart counts" "PLT"

# a lab value: PLT 77 today
keys l
expect "lab form" "New lab result for Smith, John"
keys Tab Right Right Right Right Tab
keys 7 7
keys F2
expect "lab saved" "Saved PLT 77 10*9/L on $TODAY"
expect "back on chart" "Chart: Smith, John"

# a decimal value under the locale: ANC 0.45 is 0.45, not 0
if [ "$LOC" != C.UTF-8 ]; then
	keys l Tab Tab 0 . 4 5
	keys F2
	expect "decimal saved" "Saved ANC 0.45 10*9/L on $TODAY"
	if command -v sqlite3 >/dev/null; then
		got=$(sqlite3 "$DB" "SELECT canonical FROM lab_results WHERE test = 'ANC' AND collected_on = '$TODAY'")
		[ "$got" = 0.45 ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: ANC canonical under $LOC: '$got'"; }
	fi
fi

# a bad value is refused in place
keys l Tab Tab x
keys C-s
expect "lab refused" "Not saved"
keys Escape
expect "discard question" "Discard the unsaved Lab result? (y/n)"
keys y
expect "discarded" "Chart: Smith, John"

# record a vaccine dose from the patient's worklist
keys v
expect "worklist" "Vaccinations: Smith, John"
keys r
expect "dose form" "Record a vaccine dose"
keys h
keys Tab Tab L O T - E 2 E Tab d e l t o i d
keys F2
expect "dose saved" "Recorded HIB given on $TODAY"

# acknowledge this patient's first alert
keys a
expect "alerts" "Alerts: MRN MRN001"
keys A
expect "ack form" "Acknowledge alert #"
keys F2
expect "reason required" "required: why"
keys e 2 e Space r e v i e w
keys F2
expect "acked" "Acknowledged"

# help and resize
keys '?'
expect "help" "Help: Alerts"
keys q
TM resize-window -t e2e -x 100 -y 30
screen
lines=$(wc -l <"$T/screen")
last=$(tail -n 1 "$T/screen")
if [ "$lines" -eq 30 ] && printf '%s' "$last" | grep -q "Help"; then
	pass=$((pass + 1))
else
	fail=$((fail + 1))
	echo "FAIL: resize: $lines lines, last: $last"
fi
TM resize-window -t e2e -x "$COLS" -y "$ROWS"

# back out to the list and quit
keys Escape
keys Escape
keys Escape
expect "list again" "Patients:"
keys q
for i in $(seq 1 50); do [ -s "$T/exit" ] && break; sleep 0.1; done
if [ "$(cat "$T/exit" 2>/dev/null)" = 0 ]; then
	pass=$((pass + 1))
else
	fail=$((fail + 1))
	echo "FAIL: quit: exit status '$(cat "$T/exit" 2>/dev/null)'"
	screen
	sed 's/^/  | /' "$T/screen"
fi

# the database, through export
db_has() { # db_has NAME KIND TEXT
	if "$ENGRAFT" --db "$DB" export "$2" | grep -qF -- "$3"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: $1: export $2 lacks '$3'"
	fi
}
db_lacks() {
	if "$ENGRAFT" --db "$DB" export "$2" | grep -qF -- "$3"; then
		fail=$((fail + 1))
		echo "FAIL: $1: export $2 has '$3'"
	else
		pass=$((pass + 1))
	fi
}
db_has "lab in db" labs "MRN001,$TODAY,PLT,77,10*9/L"
db_lacks "refused lab not in db" labs "MRN001,$TODAY,ALC"
db_has "dose in db" vaccinations "MRN001,HIB,$TODAY,LOT-E2E,deltoid,$ME,administered,"
db_has "ack in db" alerts ",acknowledged,"
db_has "ack reason in db" alerts ",$ME,$TODAY,e2e review,"

echo "$pass passed, $fail failed (${COLS}x${ROWS}, $LOC)"
[ "$fail" -eq 0 ]
