#!/bin/sh
# run.sh - engraft at clinic scale (issue 7), in one run on the same data.
#
# Builds a release tree, makes 1k- and 10k-patient demo databases and times
# engraft against the sqlite3 shell doing the same work, printing each ratio
# with its goal. Needs meson, ninja, a C compiler, the libraries, sqlite3
# (the shell) and tmux: on Debian it installs what is missing first
# (.ci/deps test), so on a fresh machine it is one command.
#   tests/bench/run.sh            full run (about a minute on 2 cores, and the build)
#   BENCH_PATIENTS=10000 | 100000 instead: the goals of issue 15 (tests/bench/scale.sh):
#                    every TUI screen's first draw and keys, the TUI's peak RSS,
#                    check, export due and alerts against the sqlite3 shell, and
#                    demo; 10000 makes the 10k cohort (a few minutes), 100000
#                    the 10k and the 100k cohorts, both columns (about 15 minutes)
#   BENCH_DIR=/path  keep the databases and files there (default: a temp dir)
#   BENCH_BUILD=DIR  use (and build) this meson tree instead of build-release
#   BENCH_RUNS=N     timed runs per measurement (best and median kept; default 3)
# Last (not with BENCH_PATIENTS), tests/bench/multi.sh: twenty TUI sessions
# saving at once (needs root).
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BENCH_BUILD:-$ROOT/build-release}
RUNS=${BENCH_RUNS:-3}
AS_OF=2025-06-30
SEED=1
if [ -x "$(command -v dpkg-query)" ] && [ -f "$ROOT/.ci/deps" ]; then
	bash "$ROOT/.ci/deps" test || { echo "run.sh: could not install what it needs (see above)" >&2; exit 2; }
fi
command -v sqlite3 >/dev/null || { echo "run.sh: needs the sqlite3 shell (apt-get install sqlite3)" >&2; exit 2; }

if [ ! -f "$BUILD/build.ninja" ]; then
	meson setup --buildtype=release "$BUILD" "$ROOT" >/dev/null
fi
ninja -C "$BUILD" engraft tests/bench/benchrun tests/bench/recheck >/dev/null
E=$BUILD/engraft
BR=$BUILD/tests/bench/benchrun
RC=$BUILD/tests/bench/recheck
if [ -n "${BENCH_DIR:-}" ]; then
	W=$BENCH_DIR
	mkdir -p "$W"
else
	W=$(mktemp -d "${TMPDIR:-/tmp}/engraft-bench.XXXXXX")
	trap 'rm -rf "$W"' EXIT INT TERM
fi

# ---- helpers -------------------------------------------------------------
# t LABEL benchrun-args... : run, keep "best median rss" in $W/r.LABEL
t() {
	label=$1
	shift
	"$BR" "$@" >"$W/r.$label" || { echo "run.sh: $label failed" >&2; exit 1; }
}
# pair LABEL_A LABEL_B 'ARGS_A' 'ARGS_B': the two measured in turns (A B A B
# ...), RUNS times each, so that load from other processes hits both alike;
# keeps the best time (and peak RSS) of each.
pair() {
	la=$1 lb=$2 aa=$3 ab=$4
	rm -f "$W/r.$la" "$W/r.$lb"
	i=0
	while [ $i -lt "$RUNS" ]; do
		for side in a b; do
			if [ $side = a ]; then l=$la args=$aa; else l=$lb args=$ab; fi
			eval "set -- $args"
			"$BR" -n 1 "$@" >"$W/r.one" || { echo "run.sh: $l failed" >&2; exit 1; }
			if [ -f "$W/r.$l" ]; then
				awk 'NR == FNR { b = $1; r = $3; next } { if ($1 < b) b = $1; if ($3 > r) r = $3; print b, b, r }' \
					"$W/r.$l" "$W/r.one" >"$W/r.tmp" && mv "$W/r.tmp" "$W/r.$l"
			else
				mv "$W/r.one" "$W/r.$l"
			fi
		done
		i=$((i + 1))
	done
}
best() { cut -d' ' -f1 "$W/r.$1"; }
med() { cut -d' ' -f2 "$W/r.$1"; }
rss() { cut -d' ' -f3 "$W/r.$1"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
secs() { awk -v a="$1" 'BEGIN { if (a >= 1000) printf "%.2f s", a / 1000; else printf "%.1f ms", a }'; }
# verdict VALUE OP LIMIT -> PASS/FAIL
verdict() { awk -v v="$1" -v l="$3" -v op="$2" 'BEGIN { ok = (op == "<=" ? v <= l : v < l); print (ok ? "PASS" : "FAIL") }'; }
row() { printf '%-44s %12s %12s %10s %8s %s\n' "$@"; }
sql_count() { sqlite3 "$1" "$2"; }

LABS_SQL="SELECT p.mrn, l.collected_on, l.test, l.value, l.unit, l.entered_in_error FROM patients p JOIN lab_results l ON l.patient_id = p.id ORDER BY p.mrn, l.collected_on, l.test"
HAVE_CHECK=0
"$E" check --help >/dev/null 2>&1 && HAVE_CHECK=1
# The TUI writes timings to $ENGRAFT_TUI_TIMING (src/tui/tui.c); it is driven
# in a tmux pane of 80x24.
HAVE_TUI=0
if grep -q ENGRAFT_TUI_TIMING "$E" 2>/dev/null && command -v tmux >/dev/null; then HAVE_TUI=1; fi

echo "engraft benchmark: $(git -C "$ROOT" describe --always --dirty 2>/dev/null || echo '?'), $(grep -m1 buildtype "$BUILD/meson-info/intro-buildoptions.json" >/dev/null 2>&1 && echo release || echo release), $(nproc) CPUs, sqlite3 $(sqlite3 --version | cut -d' ' -f1), $RUNS runs each (best of)"

if [ -n "${BENCH_PATIENTS:-}" ]; then
	. "$ROOT/tests/bench/scale.sh"
	exit 0
fi

# ---- cohorts ---------------------------------------------------------------
for n in 1000 10000; do
	rm -f "$W/c$n.db" "$W/c$n.db-wal" "$W/c$n.db-shm"
	t "demo$n" -n 1 -- "$E" --db "$W/c$n.db" demo --patients $n --seed $SEED --as-of $AS_OF
	labs=$(sql_count "$W/c$n.db" "SELECT count(*) FROM lab_results")
	echo "$labs" >"$W/labs$n"
done
L1=$(cat "$W/labs1000")
L10=$(cat "$W/labs10000")
GROW=$(ratio "$L10" "$L1")

for n in 1000 10000; do
	db=$W/c$n.db
	# export labs vs the sqlite3 shell writing the same rows as CSV
	pair "exp$n" "sqlcsv$n" "-- '$E' --db '$db' export labs" "-- sqlite3 -csv -header '$db' \"\$LABS_SQL\""
	# (the whole lab table read by the shell is the baseline for check: below)
	if [ "$HAVE_CHECK" = 1 ]; then
		cp "$db" "$W/chk$n.db"
		t "check1st$n" -n 1 -- "$E" --db "$W/chk$n.db" check --as-of $AS_OF
		pair "check$n" "sqlall$n" "-- '$E' --db '$W/chk$n.db' check --as-of $AS_OF" "-- sqlite3 '$db' 'SELECT * FROM lab_results'"
	fi
done
"$E" --db "$W/c10000.db" export labs -o "$W/exp.csv"
sqlite3 -csv -header "$W/c10000.db" "$LABS_SQL" >"$W/sql.csv"
SAME_EXPORT=$(cmp -s "$W/exp.csv" "$W/sql.csv" && echo "identical output" || echo "OUTPUT DIFFERS")

# ---- import of 1M lab rows ---------------------------------------------------
head -n 1000001 "$W/exp.csv" >"$W/labs1m.csv"
"$E" --db "$W/c10000.db" export patients -o "$W/patients.csv"
rm -f "$W/base.db"*
"$E" --db "$W/base.db" import patients "$W/patients.csv" >/dev/null
# a checkpointed, single-file copy to start every run from
sqlite3 "$W/base.db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
FRESH="rm -f $W/imp.db $W/imp.db-wal $W/imp.db-shm && cp $W/base.db $W/imp.db"
KEYED="rm -f $W/s.db* && sqlite3 $W/s.db 'PRAGMA journal_mode=WAL; CREATE TABLE t (mrn TEXT, collected_on TEXT, test TEXT, value TEXT, unit TEXT, entered_in_error TEXT, UNIQUE (mrn, collected_on, test));' >/dev/null"
PLAIN="rm -f $W/s.db* && sqlite3 $W/s.db 'PRAGMA journal_mode=WAL; CREATE TABLE t (mrn TEXT, collected_on TEXT, test TEXT, value TEXT, unit TEXT, entered_in_error TEXT);' >/dev/null"
pair imp sqlimp "-b '$FRESH' -- '$E' --db '$W/imp.db' import labs '$W/labs1m.csv'" \
	"-b \"$KEYED\" -- sqlite3 '$W/s.db' '.import --csv --skip 1 $W/labs1m.csv t'"
t reimp -n "$RUNS" -- "$E" --db "$W/imp.db" import labs "$W/labs1m.csv"
t sqlimpplain -n "$RUNS" -b "$PLAIN" -- sqlite3 "$W/s.db" ".import --csv --skip 1 $W/labs1m.csv t"
# growth: the 1k cohort's labs (all of them) imported the same way
"$E" --db "$W/c1000.db" export labs -o "$W/labs1k.csv"
"$E" --db "$W/c1000.db" export patients -o "$W/patients1k.csv"
rm -f "$W/base1k.db"*
"$E" --db "$W/base1k.db" import patients "$W/patients1k.csv" >/dev/null
sqlite3 "$W/base1k.db" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
t imp1k -n "$RUNS" -b "rm -f $W/imp1k.db* && cp $W/base1k.db $W/imp1k.db" -- "$E" --db "$W/imp1k.db" import labs "$W/labs1k.csv"
IMPROWS=$(($(wc -l <"$W/labs1m.csv") - 1))
IMP1KROWS=$(($(wc -l <"$W/labs1k.csv") - 1))

# ---- one patient after one new lab value ---------------------------------------
if [ "$HAVE_CHECK" = 1 ]; then
	# a living patient (the demo records deaths, and nothing is dated after
	# one): the first from patient number $2 on without a 'deceased' status
	alive() { sqlite3 "$1" "SELECT mrn FROM patients p WHERE mrn >= '$2' AND NOT EXISTS (SELECT 1 FROM status s WHERE s.patient_id = p.id AND s.status = 'deceased') ORDER BY mrn LIMIT 1"; }
	MRN=$(alive "$W/chk10000.db" DEMO004321)
	MRN1K=$(alive "$W/chk1000.db" DEMO000432)
	printf 'mrn,collected_on,test,value,unit\n%s,%s,ANC,1.23,10*9/L\n' "$MRN" "$AS_OF" >"$W/one.csv"
	"$E" --db "$W/chk10000.db" import labs "$W/one.csv" >/dev/null
	t recheck -n 20 -- "$E" --db "$W/chk10000.db" check --as-of $AS_OF --mrn $MRN
	"$RC" "$W/chk10000.db" $MRN $AS_OF 50 >"$W/r.inproc"
	t version -n 20 -- "$E" --version
	cp "$W/chk1000.db" "$W/chk1000b.db"
	printf 'mrn,collected_on,test,value,unit\n%s,%s,ANC,1.23,10*9/L\n' "$MRN1K" "$AS_OF" >"$W/one1k.csv"
	"$E" --db "$W/chk1000b.db" import labs "$W/one1k.csv" >/dev/null
	t recheck1k -n 20 -- "$E" --db "$W/chk1000b.db" check --as-of $AS_OF --mrn "$MRN1K"
	"$RC" "$W/chk1000b.db" "$MRN1K" $AS_OF 50 >"$W/r.inproc1k"
fi

# ---- TUI ---------------------------------------------------------------------
# tui_run N: open the list on cohort N, type "/Zar" (a search, one redraw per
# key), Esc, q. Leaves "first_ms search_max_ms search_median_ms rss_kb" in $W/tui$N.
wait_for() { i=0; while ! eval "$1" 2>/dev/null; do i=$((i + 1)); [ $i -gt 200 ] && return 1; sleep 0.05; done; }
tui_run() {
	n=$1
	tf=$W/tuitime$n
	rm -f "$tf" "$W/tuirss$n" "$W/tuidone$n"
	sess=engraft-bench-$$-$n
	tmux new-session -d -s "$sess" -x 80 -y 24 \
		"ENGRAFT_TUI_TIMING='$tf' ESCDELAY=25 '$BR' -n 1 -i - -o - -R '$W/tuirss$n' -- '$E' --db '$W/c$n.db'; touch '$W/tuidone$n'"
	ok=1
	wait_for "grep -q first_draw_ms '$tf'" || ok=0
	sleep 0.3
	for k in / Z a r; do
		tmux send-keys -t "$sess" -l "$k" 2>/dev/null || true
		sleep 0.3
	done
	tmux send-keys -t "$sess" Escape 2>/dev/null || true
	sleep 0.3
	tmux send-keys -t "$sess" q 2>/dev/null || true
	wait_for "[ -e '$W/tuidone$n' ]" || ok=0
	tmux kill-session -t "$sess" 2>/dev/null || true
	if [ $ok = 1 ] && [ -s "$W/tuirss$n" ]; then
		first=$(awk '$1 == "first_draw_ms" { print $3; exit }' "$tf")
		smax=$(awk '$1 == "key_ms" && $3 == "search" { if ($4 > m) m = $4 } END { print m + 0 }' "$tf")
		smed=$(awk '$1 == "key_ms" && $3 == "search" { v[n++] = $4 } END { if (!n) { print 0; exit } for (i = 0; i < n; i++) for (j = i + 1; j < n; j++) if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t } print v[int(n / 2)] }' "$tf")
		echo "$first $smax $smed $(cut -d' ' -f3 "$W/tuirss$n")" >"$W/tui$n"
	else
		echo "? ? ? ?" >"$W/tui$n"
	fi
}
# tui_screens N: on the checked cohort N (alerts exist), open the clinic
# alerts (a), then the clinic vaccination worklist (v), then quit. Leaves
# "alerts_ms worklist_ms rss_kb open_alerts" in $W/tuiscr$N.
tui_screens() {
	n=$1
	tf=$W/tuiscrtime$n
	rm -f "$tf" "$W/tuiscrrss$n" "$W/tuiscrdone$n"
	cp "$W/chk$n.db" "$W/tuiscr$n.db"
	sess=engraft-bench-scr-$$-$n
	tmux new-session -d -s "$sess" -x 80 -y 24 \
		"ENGRAFT_TUI_TIMING='$tf' ESCDELAY=25 '$BR' -n 1 -i - -o - -R '$W/tuiscrrss$n' -- '$E' --db '$W/tuiscr$n.db'; touch '$W/tuiscrdone$n'"
	ok=1
	wait_for "grep -q first_draw_ms '$tf'" || ok=0
	sleep 0.3
	tmux send-keys -t "$sess" a 2>/dev/null || true
	wait_for "grep -q 'key_ms Patients' '$tf'" || ok=0
	sleep 0.3
	tmux send-keys -t "$sess" v 2>/dev/null || true
	wait_for "grep -q 'key_ms Alerts' '$tf'" || ok=0
	sleep 0.3
	for k in q q q; do
		tmux send-keys -t "$sess" $k 2>/dev/null || true
		sleep 0.3
	done
	wait_for "[ -e '$W/tuiscrdone$n' ]" || ok=0
	tmux kill-session -t "$sess" 2>/dev/null || true
	if [ $ok = 1 ] && [ -s "$W/tuiscrrss$n" ]; then
		al=$(awk '$1 == "key_ms" && $2 == "Patients" { print $4; exit }' "$tf")
		wl=$(awk '$1 == "key_ms" && $2 == "Alerts" { print $4; exit }' "$tf")
		echo "$al $wl $(cut -d' ' -f3 "$W/tuiscrrss$n") $(sql_count "$W/chk$n.db" "SELECT count(*) FROM alerts WHERE status = 'open'")" >"$W/tuiscr$n"
	else
		echo "? ? ? ?" >"$W/tuiscr$n"
	fi
}
if [ "$HAVE_TUI" = 1 ]; then
	for n in 1000 10000; do
		tui_run $n
		if [ "$HAVE_CHECK" = 1 ]; then tui_screens $n; fi
	done
fi

# ---- report ------------------------------------------------------------------
echo
echo "cohorts (demo --seed $SEED --as-of $AS_OF): 1k = $L1 lab rows, 10k = $L10 lab rows ($(ratio "$L10" "$L1")x)"
echo
row "measure (best of $RUNS; compared pairs in turns)" "1k" "10k" "10k/1k" "ratio" "goal"
row "--------------------------------------------" "------------" "------------" "----------" "--------" "----"
row "demo (write the cohort)" "$(secs "$(best demo1000)")" "$(secs "$(best demo10000)")" "$(ratio "$(best demo10000)" "$(best demo1000)")x" "" "10k < 20 s: $(verdict "$(best demo10000)" "<" 20000)"
for pair in "exp:engraft export labs" "sqlcsv:  sqlite3 -csv (same query, same rows)"; do
	k=${pair%%:*}
	row "${pair#*:}" "$(secs "$(best ${k}1000)")" "$(secs "$(best ${k}10000)")" "$(ratio "$(best ${k}10000)" "$(best ${k}1000)")x" "" ""
done
R=$(ratio "$(best exp10000)" "$(best sqlcsv10000)")
row "  export labs / sqlite3 -csv" "$(ratio "$(best exp1000)" "$(best sqlcsv1000)")x" "${R}x" "" "${R}x" "<= 1.0x: $(verdict "$R" "<=" 1.0) ($SAME_EXPORT)"
row "engraft import labs (1M rows, validated)" "" "$(secs "$(best imp)")" "" "" ""
row "  sqlite3 .import, UNIQUE(mrn,collected_on,test)" "" "$(secs "$(best sqlimp)")" "" "" ""
row "  sqlite3 .import, no key" "" "$(secs "$(best sqlimpplain)")" "" "" ""
R=$(ratio "$(best imp)" "$(best sqlimp)")
row "  import / .import with key" "" "" "" "${R}x" "<= 1.5x: $(verdict "$R" "<=" 1.5)"
R2=$(ratio "$(best imp)" "$(best sqlimpplain)")
row "  import / .import without key" "" "" "" "${R2}x" "(info)"
row "  re-import of the same file (all unchanged)" "" "$(secs "$(best reimp)")" "" "$(ratio "$(best reimp)" "$(best sqlimp)")x" "(info, vs keyed .import)"
row "  import growth: $IMP1KROWS rows -> $IMPROWS rows" "$(secs "$(best imp1k)")" "$(secs "$(best imp)")" "$(ratio "$(best imp)" "$(best imp1k)")x" "" "linear: rows x$(ratio "$IMPROWS" "$IMP1KROWS")"
if [ "$HAVE_CHECK" = 1 ]; then
	row "engraft check, whole cohort (alerts exist)" "$(secs "$(best check1000)")" "$(secs "$(best check10000)")" "$(ratio "$(best check10000)" "$(best check1000)")x" "" ""
	row "  first check (opens every alert)" "$(secs "$(best check1st1000)")" "$(secs "$(best check1st10000)")" "$(ratio "$(best check1st10000)" "$(best check1st1000)")x" "" ""
	row "  sqlite3 'SELECT * FROM lab_results'" "$(secs "$(best sqlall1000)")" "$(secs "$(best sqlall10000)")" "$(ratio "$(best sqlall10000)" "$(best sqlall1000)")x" "" ""
	R=$(ratio "$(best check10000)" "$(best sqlall10000)")
	row "  check / SELECT *" "$(ratio "$(best check1000)" "$(best sqlall1000)")x" "${R}x" "" "${R}x" "<= 3x: $(verdict "$R" "<=" 3)"
	R1=$(ratio "$(best check1st10000)" "$(best sqlall10000)")
	row "  first check / SELECT *" "$(ratio "$(best check1st1000)" "$(best sqlall1000)")x" "${R1}x" "" "${R1}x" "(info)"
	row "re-check one patient after one new lab" "$(secs "$(med inproc1k)")" "$(secs "$(med inproc)")" "$(ratio "$(med inproc)" "$(med inproc1k)")x" "" "< 5 ms: $(verdict "$(med inproc)" "<" 5) (median; open+check+close in process)"
	row "  as a process: engraft check --mrn (median)" "$(secs "$(med recheck1k)")" "$(secs "$(med recheck)")" "" "" "(info: includes exec and dynamic linking,"
	row "  as a process: engraft --version (median)" "" "$(secs "$(med version)")" "" "" " which alone costs this much)"
else
	row "engraft check" "-" "-" "" "" "not measured: 'engraft check' is not in this build"
	row "re-check one patient after one new lab" "-" "-" "" "" "not measured: 'engraft check' is not in this build"
fi
if [ "$HAVE_TUI" = 1 ]; then
	f1=$(cut -d' ' -f1 "$W/tui1000"); f10=$(cut -d' ' -f1 "$W/tui10000")
	s1=$(cut -d' ' -f2 "$W/tui1000"); s10=$(cut -d' ' -f2 "$W/tui10000")
	m1=$(cut -d' ' -f3 "$W/tui1000"); m10=$(cut -d' ' -f3 "$W/tui10000")
	row "TUI: first patient list drawn" "$(secs "$f1")" "$(secs "$f10")" "$(ratio "$f10" "$f1")x" "" "< 50 ms: $(verdict "$f10" "<" 50)"
	row "TUI: search keystroke to redraw (worst of 3)" "$(secs "$s1")" "$(secs "$s10")" "$(ratio "$s10" "$s1")x" "" "< 50 ms: $(verdict "$s10" "<" 50)"
	row "  (median keystroke)" "$(secs "$m1")" "$(secs "$m10")" "" "" ""
	row "TUI: peak RSS" "$(cut -d' ' -f4 "$W/tui1000") kB" "$(cut -d' ' -f4 "$W/tui10000") kB" "" "" ""
	if [ "$HAVE_CHECK" = 1 ]; then
		a1=$(cut -d' ' -f1 "$W/tuiscr1000"); a10=$(cut -d' ' -f1 "$W/tuiscr10000")
		v1=$(cut -d' ' -f2 "$W/tuiscr1000"); v10=$(cut -d' ' -f2 "$W/tuiscr10000")
		row "TUI: open the clinic alerts ($(cut -d' ' -f4 "$W/tuiscr1000") / $(cut -d' ' -f4 "$W/tuiscr10000") open)" "$(secs "$a1")" "$(secs "$a10")" "$(ratio "$a10" "$a1")x" "" "(info)"
		row "TUI: open the clinic vaccination worklist" "$(secs "$v1")" "$(secs "$v10")" "$(ratio "$v10" "$v1")x" "" "(info: forecasts every patient)"
		row "  peak RSS with both open" "$(cut -d' ' -f3 "$W/tuiscr1000") kB" "$(cut -d' ' -f3 "$W/tuiscr10000") kB" "" "" ""
	fi
else
	row "TUI: first list / search redraw" "-" "-" "" "" "not measured: this build has no ENGRAFT_TUI_TIMING (or no tmux)"
fi
row "peak RSS: demo / export / import (10k)" "" "$(rss demo10000)/$(rss exp10000)/$(rss imp) kB" "" "" ""

# ---- many terminals at once (issue 12 item 8; needs root) ------------------------
BENCH_BUILD=$BUILD "$ROOT/tests/bench/multi.sh"
