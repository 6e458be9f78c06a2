# scale.sh - the registry-scale goals of issue 15, sourced by run.sh when
# BENCH_PATIENTS is set (run.sh has built the tree and defined $E, $BR, $W,
# $RUNS, $AS_OF, $SEED and the helpers t, pair, best, ratio, secs, verdict).
#
#   BENCH_PATIENTS=10000   the 10k cohort only (the 100k column says "not run")
#   BENCH_PATIENTS=100000  the 10k and the 100k cohorts, both columns (about
#                          15 minutes on 2 cores, most of it the 100k cohort)
#
# Per cohort: demo (timed), a first `check --as-of` on a copy (the checked
# cohort), `check --all` when this build has it, the warm check against one
# `sqlite3 DB 'SELECT * FROM lab_results'` (in turns), `export due` and the
# `alerts` table against `sqlite3 -csv` writing as many rows, then one TUI
# session in a tmux pane of 80x24 on the checked cohort that opens every
# screen, one key at a time, each key's redraw read from ENGRAFT_TUI_TIMING
# (src/tui/tui.c: "key_ms SCREEN MODE MS AFTER"), and its peak RSS.
# Runs per measurement at 100k: at most 2 (BENCH_RUNS for the 10k cohort).

case $BENCH_PATIENTS in
10000) SIZES="10000" ;;
100000) SIZES="10000 100000" ;;
*)
	echo "run.sh: BENCH_PATIENTS must be 10000 or 100000 (got '$BENCH_PATIENTS')" >&2
	exit 2
	;;
esac
HAVE_ALL=0
"$E" check --help 2>&1 | grep -q -- --all && HAVE_ALL=1
# how long one key may take before the session is given up (seconds)
KEY_WAIT=${BENCH_KEY_WAIT:-300}

table_exists() { [ "$(sqlite3 "$1" "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '$2'")" = 1 ]; }

# ---- the TUI session -------------------------------------------------------------
# tkey N NAME EXPECT TMUX-ARGS...: send one key, wait for its timing line,
# append "NAME MS AFTER EXPECT" to $W/keys$N ("? ? ? EXPECT" once the session
# is dead or the key timed out: the keys after it are not sent).
tkey() {
	n=$1 name=$2 expect=$3
	shift 3
	if [ "$dead" = 1 ]; then
		echo "$name ? ? $expect" >>"$W/keys$n"
		return
	fi
	before=$(wc -l <"$tf")
	tmux send-keys -t "$sess" "$@" 2>/dev/null || true
	i=0
	while [ "$(wc -l <"$tf")" -le "$before" ]; do
		i=$((i + 1))
		if [ $i -gt $((KEY_WAIT * 20)) ] || [ -e "$W/tuidone$n" ]; then
			dead=1
			echo "$name ? ? $expect" >>"$W/keys$n"
			return
		fi
		sleep 0.05
	done
	sed -n "$((before + 1))p" "$tf" | awk -v k="$name" -v x="$expect" '{ print k, $4, ($5 == "" ? "?" : $5), x }' >>"$W/keys$n"
	sleep 0.15
}
tui_all() {
	n=$1
	tf=$W/tuitiming$n
	sess=engraft-bench-all-$$-$n
	dead=0
	rm -f "$tf" "$W/keys$n" "$W/tuirss$n" "$W/tuidone$n"
	: >"$tf"
	tmux new-session -d -s "$sess" -x 80 -y 24 \
		"ENGRAFT_TUI_TIMING='$tf' ESCDELAY=25 '$BR' -n 1 -i - -o - -R '$W/tuirss$n' -- '$E' --db '$W/chk$n.db'; touch '$W/tuidone$n'"
	i=0
	while ! grep -q first_draw_ms "$tf" 2>/dev/null; do
		i=$((i + 1))
		if [ $i -gt $((KEY_WAIT * 20)) ]; then dead=1; break; fi
		sleep 0.05
	done
	awk '$1 == "first_draw_ms" { print "first", $3, "Patients", "Patients"; exit }' "$tf" >"$W/keys$n"
	sleep 0.3
	# the list: a search, one redraw per key; Enter keeps it; Enter opens the chart
	tkey $n list/ Patients /
	for c in Z a r; do tkey $n search Patients -l $c; done
	tkey $n keep Patients Enter
	tkey $n chart Chart Enter
	tkey $n trend Trend t
	tkey $n trendkey Trend Right
	tkey $n back-chart Chart q
	tkey $n pworklist Vaccinations v
	tkey $n back-chart Chart q
	tkey $n back-list Patients q
	# the clinic alerts
	tkey $n alerts Alerts a
	tkey $n alerts-j Alerts j
	tkey $n alerts-pgdn Alerts NPage
	tkey $n alerts-end Alerts End
	tkey $n alerts-home Alerts Home
	tkey $n alerts-search Alerts /
	for c in Z a r; do tkey $n alerts-search Alerts -l $c; done
	tkey $n alerts-esc Alerts Escape
	tkey $n back-list Patients q
	# the clinic vaccination worklist
	tkey $n cworklist Vaccinations v
	tkey $n cworklist-j Vaccinations j
	tkey $n cworklist-pgdn Vaccinations NPage
	tkey $n cworklist-end Vaccinations End
	tkey $n cworklist-search Vaccinations /
	for c in Z a r; do tkey $n cworklist-search Vaccinations -l $c; done
	tkey $n cworklist-esc Vaccinations Escape
	tkey $n back-list Patients q
	tmux send-keys -t "$sess" q 2>/dev/null || true
	i=0
	while [ ! -e "$W/tuidone$n" ] && [ $i -lt 600 ]; do i=$((i + 1)); sleep 0.05; done
	tmux kill-session -t "$sess" 2>/dev/null || true
	[ -s "$W/tuirss$n" ] || echo "? ? ?" >"$W/tuirss$n"
}
# kms N NAME: the worst time of the keys called NAME ("?" if one is missing
# or reached another screen than expected; "-" when the cohort was not run)
kms() {
	[ -f "$W/keys$1" ] || { echo "-"; return; }
	awk -v k="$2" '$1 == k { n++; if ($2 == "?" || $3 != $4) bad = 1; else if ($2 > m) m = $2 }
		END { if (!n || bad) print "?"; else print m }' "$W/keys$1"
}

# ---- the cohorts ---------------------------------------------------------------
LABS_SQL_N="SELECT p.mrn, l.collected_on, l.test, l.value, l.unit FROM lab_results l JOIN patients p ON p.id = l.patient_id"
RUNS_ASKED=$RUNS
for n in $SIZES; do
	RUNS=$RUNS_ASKED
	[ "$n" -gt 10000 ] && [ "$RUNS" -gt 2 ] && RUNS=2
	db=$W/c$n.db
	rm -f "$db" "$db-wal" "$db-shm" "$W/chk$n.db"*
	echo "  $n patients: demo" >&2
	t "demo$n" -n 1 -- "$E" --db "$db" demo --patients "$n" --seed "$SEED" --as-of "$AS_OF"
	sqlite3 "$db" "SELECT count(*) FROM lab_results" >"$W/labs$n"
	sqlite3 "$db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
	cp "$db" "$W/chk$n.db"
	echo "  $n patients: check" >&2
	t "check1st$n" -n 1 -- "$E" --db "$W/chk$n.db" check --as-of "$AS_OF"
	if [ "$HAVE_ALL" = 1 ]; then
		t "checkall$n" -n 1 -- "$E" --db "$W/chk$n.db" check --all --as-of "$AS_OF"
	fi
	pair "check$n" "sqlall$n" "-- '$E' --db '$W/chk$n.db' check --as-of $AS_OF" \
		"-- sqlite3 '$W/chk$n.db' 'SELECT * FROM lab_results'"
	echo "  $n patients: export due, alerts" >&2
	# export due against the kept forecasts (schema 017) when this build has
	# them, else against as many lab rows; for today, the day the kept
	# forecasts are for (the worklists' day: demo refreshed them; another
	# --as-of is computed from the records, as any date may be)
	"$E" --db "$W/chk$n.db" export due -o "$W/due$n.csv"
	due=$(($(wc -l <"$W/due$n.csv") - 1))
	if table_exists "$W/chk$n.db" vaccine_forecasts; then
		DUE_SQL="SELECT p.mrn, f.series, f.dose, f.status, f.due_on, f.reason FROM vaccine_forecasts f JOIN patients p ON p.id = f.patient_id ORDER BY p.mrn, f.series"
		echo "vaccine_forecasts" >"$W/duesql$n"
	else
		DUE_SQL="$LABS_SQL_N LIMIT $due"
		echo "lab rows, no vaccine_forecasts" >"$W/duesql$n"
	fi
	echo "$due" >"$W/duerows$n"
	pair "due$n" "sqldue$n" "-- '$E' --db '$W/chk$n.db' export due" \
		"-- sqlite3 -csv -header '$W/chk$n.db' \"\$DUE_SQL\""
	al=$(($("$E" --db "$W/chk$n.db" alerts --as-of "$AS_OF" | wc -l) - 1))
	echo "$al" >"$W/alertrows$n"
	ALERTS_SQL="SELECT a.alert_id, p.mrn, a.severity, a.status, a.rule, a.subject, a.due_on, a.message FROM alerts a JOIN patients p ON p.id = a.patient_id WHERE a.status = 'open' ORDER BY a.due_on, a.alert_id LIMIT $al"
	pair "alerts$n" "sqlalerts$n" "-- '$E' --db '$W/chk$n.db' alerts --as-of $AS_OF" \
		"-- sqlite3 -csv -header '$W/chk$n.db' \"\$ALERTS_SQL\""
	sqlite3 "$W/chk$n.db" "SELECT count(*) FROM alerts WHERE status = 'open'" >"$W/open$n"
	if [ "$HAVE_TUI" = 1 ]; then
		echo "  $n patients: TUI" >&2
		tui_all $n
	fi
done
RUNS=$RUNS_ASKED

# ---- report ------------------------------------------------------------------------
# v N LABEL: a result for cohort N, "-" when not run
v() { if [ -f "$W/r.$2$1" ]; then best "$2$1"; else echo "-"; fi; }
num() { case $1 in '' | '-' | '?') return 1 ;; esac; }
fmt_ms() { if num "$1"; then secs "$1"; else echo "$1"; fi; }
fmt_x() { if num "$1"; then echo "${1}x"; else echo "$1"; fi; }
# judge VALUE OP LIMIT: "PASS"/"FAIL", "not run" or "not measured"
judge() { case $1 in '-') echo "not run" ;; '?' | '') echo "not measured" ;; *) verdict "$1" "$2" "$3" ;; esac; }
rat() {
	if num "$1" && num "$2"; then ratio "$1" "$2"
	elif [ "$1" = - ] || [ "$2" = - ]; then echo "-"
	else echo "?"; fi
}
row5() { printf '%-50s %10s %10s  %-20s %s\n' "$@"; }
have() { case " $SIZES " in *" $1 "*) return 0 ;; esac; return 1; }
col() { if have "$1"; then "$2" "$1" "$3"; else echo "-"; fi; }

echo
echo "issue 15 goals (BENCH_PATIENTS=$BENCH_PATIENTS; demo --seed $SEED --as-of $AS_OF; best of $RUNS, of at most 2 at 100k)"
for n in $SIZES; do
	echo "  ${n} patients: $(cat "$W/labs$n") lab rows, $(cat "$W/open$n") open alerts, $(cat "$W/duerows$n") rows of export due"
done
echo
row5 "measure" "10k" "100k" "goal 10k" "goal 100k"
row5 "--------------------------------------------------" "----------" "----------" "--------------------" "--------------------"
# TUI: every first draw and every key (< 50 ms at 10k, < 100 ms at 100k)
for spec in "first:TUI patient list, first draw" "search:TUI search keystroke (worst of Z a r)" \
	"chart:TUI chart open (Enter on a patient)" "trend:TUI trend open (t on the chart)" \
	"trendkey:TUI trend key (Right)" "pworklist:TUI patient worklist (v on a chart)" \
	"alerts:TUI clinic alerts open (a)" "alerts-j:  alerts key j" "alerts-pgdn:  alerts key PgDn" \
	"alerts-end:  alerts key End" "alerts-home:  alerts key Home" "alerts-search:  alerts / and letters (worst)" \
	"cworklist:TUI clinic worklist open (v from the list)" "cworklist-j:  worklist key j" \
	"cworklist-pgdn:  worklist key PgDn" "cworklist-end:  worklist key End" \
	"cworklist-search:  worklist / and letters (worst)" \
	"back-chart:TUI back to the chart (q on trend, worklist)" \
	"back-list:TUI back to the list (q on chart, alerts, worklist)"; do
	k=${spec%%:*}
	a=$(col 10000 kms "$k")
	b=$(col 100000 kms "$k")
	if [ "$HAVE_TUI" != 1 ]; then a="?" b="?"; fi
	row5 "${spec#*:}" "$(fmt_ms "$a")" "$(fmt_ms "$b")" "< 50 ms: $(judge "$a" "<" 50)" "< 100 ms: $(judge "$b" "<" 100)"
done
rss_mb() { if [ -f "$W/tuirss$1" ] && num "$(cut -d' ' -f3 "$W/tuirss$1")"; then awk -v k="$(cut -d' ' -f3 "$W/tuirss$1")" 'BEGIN { printf "%.1f", k / 1024 }'; elif have "$1"; then echo "?"; else echo "-"; fi; }
a=$(rss_mb 10000)
b=$(rss_mb 100000)
row5 "TUI peak RSS, every screen above opened (MB)" "$a" "$b" "< 32 MB: $(judge "$a" "<" 32)" "< 64 MB: $(judge "$b" "<" 64)"
# check
a=$(rat "$(v 10000 check)" "$(v 10000 sqlall)")
b=$(rat "$(v 100000 check)" "$(v 100000 sqlall)")
row5 "check warm / sqlite3 'SELECT * FROM lab_results'" "$(fmt_x "$a")" "$(fmt_x "$b")" "<= 1.0x: $(judge "$a" "<=" 1.0)" "<= 1.5x: $(judge "$b" "<=" 1.5)"
row5 "  check warm (second check --as-of)" "$(fmt_ms "$(v 10000 check)")" "$(fmt_ms "$(v 100000 check)")" "" ""
row5 "  sqlite3 'SELECT * FROM lab_results'" "$(fmt_ms "$(v 10000 sqlall)")" "$(fmt_ms "$(v 100000 sqlall)")" "" ""
row5 "  first check (opens every alert)" "$(fmt_ms "$(v 10000 check1st)")" "$(fmt_ms "$(v 100000 check1st)")" "(info)" "(info)"
if [ "$HAVE_ALL" = 1 ]; then
	row5 "  check --all" "$(fmt_ms "$(v 10000 checkall)")" "$(fmt_ms "$(v 100000 checkall)")" "(info)" "(info)"
else
	row5 "  check --all" "-" "-" "(info) not in this build" ""
fi
# export due, alerts
for spec in "due:sqldue:export due" "alerts:sqlalerts:alerts (the table)"; do
	k=${spec%%:*}
	rest=${spec#*:}
	s=${rest%%:*}
	a=$(rat "$(v 10000 "$k")" "$(v 10000 "$s")")
	b=$(rat "$(v 100000 "$k")" "$(v 100000 "$s")")
	row5 "${rest#*:} / sqlite3 -csv, as many rows" "$(fmt_x "$a")" "$(fmt_x "$b")" "<= 2x: $(judge "$a" "<=" 2)" "<= 2x: $(judge "$b" "<=" 2)"
	row5 "  engraft ${rest#*:}" "$(fmt_ms "$(v 10000 "$k")")" "$(fmt_ms "$(v 100000 "$k")")" "" ""
	row5 "  sqlite3 -csv" "$(fmt_ms "$(v 10000 "$s")")" "$(fmt_ms "$(v 100000 "$s")")" "" ""
done
for n in $SIZES; do
	echo "  (export due at $n compared with: $(cat "$W/duesql$n"))"
done
a=$(v 100000 demo)
row5 "demo --patients N (write the cohort)" "$(fmt_ms "$(v 10000 demo)")" "$(fmt_ms "$a")" "" "< 2 min: $(judge "$a" "<" 120000)"
cpu() { if [ -f "$W/r.demo$1" ] && num "$(cut -d' ' -f4 "$W/r.demo$1")"; then secs "$(cut -d' ' -f4 "$W/r.demo$1")"; else echo "-"; fi; }
row5 "  its CPU time, user + system" "$(cpu 10000)" "$(cpu 100000)" "(the wall time also" "waits for a CPU)"
row5 "  peak RSS of demo (MB)" "$(have 10000 && awk -v k="$(rss demo10000)" 'BEGIN { printf "%.1f", k / 1024 }')" \
	"$(have 100000 && awk -v k="$(rss demo100000)" 'BEGIN { printf "%.1f", k / 1024 }' || echo -)" "" ""
