#!/usr/bin/env bash
# End-to-end test of the trend screen and the chart's panels: the real
# binary in tmux at a fixed size on the screen-test fixture (plus two
# transfusions and a lab value entered through the TUI), driven by keys:
# open a chart, read the milestones and treatments, open the trend (t),
# cycle the tests, scroll the values, resize, go back, quit with status 0.
# With a LOCALE (e.g. de_DE.UTF-8, a decimal comma) the numbers on the
# plot and in the table must still be written with a point. Skips (77)
# without tmux or the locale.
# usage: trend_tmux.sh ENGRAFT_BINARY DATA_DIR COLS ROWS [LOCALE]
set -u
ENGRAFT=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
DATA=$2
COLS=$3
ROWS=$4
LOC=${5:-C.UTF-8}
. "$(dirname "$0")/lib.sh"
e2e_setup trend "$LOC"
DB=$T/trend.db

for k in patients transplants labs gvhd-acute immunosuppression ivig vaccinations; do
	"$ENGRAFT" --db "$DB" import "$k" "$DATA/$k.csv" >/dev/null || { echo "FAIL: import $k"; exit 1; }
done
printf 'mrn,given_on,product\nMRN001,2024-01-13,platelets\nMRN001,2024-01-18,red_cells\n' >"$T/tf.csv"
"$ENGRAFT" --db "$DB" import transfusions "$T/tf.csv" >/dev/null || { echo "FAIL: import transfusions"; exit 1; }
"$ENGRAFT" --db "$DB" check >/dev/null || { echo "FAIL: check"; exit 1; }

# page the chart down until TEXT shows (at most 8 pages)
expect_paging() {
	local i
	for i in $(seq 1 8); do
		screen
		grep -qF -- "$2" "$T/screen" && { pass=$((pass + 1)); return 0; }
		keys NPage
	done
	fail=$((fail + 1))
	echo "FAIL: $1: chart never shows '$2'"
	sed 's/^/  | /' "$T/screen"
}

TM new-session -d -s e2e -x "$COLS" -y "$ROWS" \
	"LANG=$LOC LC_ALL=$LOC ESCDELAY=25 '$ENGRAFT' --db '$DB'; echo \$? >'$T/exit'; sleep 60"

expect "list" "Patients: 6"
keys / s m i t h Space j
expect "search" "1 matching"
keys Enter
keys Enter
expect "chart" "Chart: Smith, John"
expect "sparkline window" "Trend 60 d (t)"
expect "trend key on the bar" "t Trend"

# the panels (the chart is as of the real today: every window has closed)
expect_paging "milestones panel" "Immune milestones"
expect_paging "milestone missed" "IR-CD4-180  CD4 >= 200 cells/uL  missed since day +182: last 150"
expect_paging "immunosuppression" "started 2024-01-07 (day -3), ongoing"
expect_paging "ivig" "2024-03-01  day +51"
expect_paging "transfusions" "Transfusions (2)"
expect_paging "transfusion row" "2024-01-18  day +8    red cells"
keys Home

# the trend
keys t
expect "trend title" "Trend: ANC  Smith, John  MRN MRN001"
expect "threshold" "0.5 engraftment"
expect "engraftment day" "E engrafted +14"
expect "events legend" "T transfusions 2  I IVIG 1"
expect "x axis" "day +N"
expect "table" "1.4 10*9/L"
expect_not "no decimal comma" "1,4 10"
keys Right
expect "PLT" "Trend: PLT  Smith, John"
expect "PLT threshold" "20 engraftment"
keys Tab Tab Tab Tab
expect "CD4" "Trend: CD4  Smith, John"
expect "CD4 below the milestone" "150 cells/uL"
keys Right
expect "IgG" "400 IgG low"
keys BTab BTab BTab BTab BTab BTab
expect "back to ANC" "Trend: ANC  Smith, John"
keys End
expect "oldest value" "2024-01-12"
expect "qualifier kept" "<0.1 10*9/L"

# resize on the trend: laid out again at the other size
if [ "$COLS" -ge 100 ]; then OC=80 OR=24; else OC=132 OR=43; fi
TM resize-window -t e2e -x "$OC" -y "$OR"
expect "trend after resize" "Trend: ANC  Smith, John"
expect "axis after resize" "day +N"
screen
lines=$(wc -l <"$T/screen")
[ "$lines" -eq "$OR" ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: resize: $lines lines"; }
TM resize-window -t e2e -x "$COLS" -y "$ROWS"
expect "trend after resize back" "0.5 engraftment"

# back out and quit
keys q
expect "chart again" "Chart: Smith, John"
keys q
expect "list again" "Patients:"
keys q
for i in $(seq 1 50); do [ -s "$T/exit" ] && break; sleep 0.1; done
if [ "$(cat "$T/exit" 2>/dev/null)" = 0 ]; then
	pass=$((pass + 1))
else
	fail=$((fail + 1))
	echo "FAIL: quit: exit status '$(cat "$T/exit" 2>/dev/null)'"
fi

echo "$pass passed, $fail failed (${COLS}x${ROWS}, $LOC)"
[ "$fail" -eq 0 ]
