#!/usr/bin/env bash
# End-to-end test of the follow-up worklist (issue 16): the real binary in
# tmux at a fixed size on the screen-test fixture, driven by keys: f opens
# the clinic's worklist, / narrows it to one patient's CIBMTR forms, r
# records the day-100 form done with a note (F2), the chart shows the plan
# in one line and f there opens the patient's plan; c and d are the list's
# and the vaccination worklist's filters. Then the database is checked
# through `engraft export`. Skips (77) without tmux.
# usage: followup_tmux.sh ENGRAFT_BINARY DATA_DIR COLS ROWS
set -u
ENGRAFT=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
DATA=$2
COLS=$3
ROWS=$4
command -v tmux >/dev/null 2>&1 || { echo "tmux not installed: skipped"; exit 77; }
umask 077
T=$(mktemp -d)
SOCK="engraft-followup-$$"
TM() { tmux -L "$SOCK" -f /dev/null "$@"; }
cleanup() { TM kill-server >/dev/null 2>&1; rm -rf "$T"; }
trap cleanup EXIT
DB=$T/e2e.db
pass=0 fail=0
TODAY=$(date +%Y-%m-%d)

for k in patients transplants labs gvhd-acute immunosuppression ivig vaccinations; do
	"$ENGRAFT" --db "$DB" import "$k" "$DATA/$k.csv" >/dev/null || { echo "FAIL: import $k"; exit 1; }
done

# The screen once it has stopped changing (two equal reads in a row).
screen() {
	local prev="" cur i
	for i in $(seq 1 100); do
		cur=$(TM capture-pane -p -t e2e 2>/dev/null)
		if [ -n "$cur" ] && [ "$cur" = "$prev" ]; then
			printf '%s\n' "$cur" >"$T/screen"
			return 0
		fi
		prev=$cur
		sleep 0.1
	done
	printf '%s\n' "$cur" >"$T/screen"
}
expect() { # expect NAME TEXT: the settled screen shows TEXT
	screen
	if grep -qF -- "$2" "$T/screen"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: $1: screen does not show '$2'"
		sed 's/^/  | /' "$T/screen"
	fi
}
expect_not() { # expect_not NAME TEXT
	screen
	if grep -qF -- "$2" "$T/screen"; then
		fail=$((fail + 1))
		echo "FAIL: $1: screen shows '$2'"
		sed 's/^/  | /' "$T/screen"
	else
		pass=$((pass + 1))
	fi
}
keys() { TM send-keys -t e2e "$@"; sleep 0.15; }

TM new-session -d -s e2e -x "$COLS" -y "$ROWS" \
	"LANG=C.UTF-8 LC_ALL=C.UTF-8 ESCDELAY=25 '$ENGRAFT' --db '$DB'; echo \$? >'$T/exit'; sleep 60"

expect "list" "Patients: 6"
expect "list bar: c for care" "c Care"
keys c
expect "c: in care" "in care"
keys Escape
keys f
expect "worklist" "Follow-up: clinic"
expect "headers" "MRN and name"
expect "overdue section" "Overdue ("
keys / m r n 0 0 1 Space c i b m t r Space d 1 0 0
keys Enter
expect "one row" 'Filter: "mrn001 cibmtr d100"'
expect "MRN001 D100" "MRN001 Smith, John"
expect "selected in full" "CIBMTR D100 overdue, due 2024-04-19"
keys r
expect "form" "Follow-up done for Smith, John (MRN MRN001)"
expect "today" "$TODAY"
keys Tab
keys f o r m Space 2 1 0 0 Space s e n t
keys F2
expect "saved" "Saved CIBMTR D100 done on $TODAY."
expect "gone from the worklist" "Nothing matches the filters."
keys Escape
keys / m r n 0 0 1 Space m 6
keys Enter
keys Enter
expect "chart" "Smith, John  MRN MRN001"
expect "chart: the plan in one line" "(f: plan)"
keys f
expect "the patient's plan" "Follow-up: Smith, John"
keys End
expect "done section" "Done since the transplant (1)"
expect "done on today" "$TODAY"
keys q q q
expect "the list again" "Patients: 6"
keys v
expect "vaccination worklist" "Vaccinations: clinic"
keys d
expect "d: this week" "Filter: due within 7 days"
keys Escape Escape
expect "back to the list" "Patients: 6"
keys q
for i in $(seq 1 50); do [ -s "$T/exit" ] && break; sleep 0.1; done
if [ "$(cat "$T/exit" 2>/dev/null)" = 0 ]; then
	pass=$((pass + 1))
else
	fail=$((fail + 1))
	echo "FAIL: quit: exit status '$(cat "$T/exit" 2>/dev/null)'"
fi

# the database: the row, and the calendar without it
got=$("$ENGRAFT" --db "$DB" export followups --mrn MRN001 | tr -d '\r')
if printf '%s\n' "$got" | grep -qxF "MRN001,CIBMTR,D100,$TODAY,form 2100 sent,"; then
	pass=$((pass + 1))
else
	fail=$((fail + 1))
	echo "FAIL: export followups: $got"
fi
if "$ENGRAFT" --db "$DB" export followup --mrn MRN001 | grep -q ',CIBMTR,D100,'; then
	fail=$((fail + 1))
	echo "FAIL: export followup still lists MRN001's D100"
else
	pass=$((pass + 1))
fi

echo "$pass passed, $fail failed (${COLS}x${ROWS})"
[ "$fail" -eq 0 ]
