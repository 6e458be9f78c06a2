#!/bin/sh
# multi.sh - many terminals at once (issue 12 item 8): the save latency of
# twenty TUI sessions (twenty logins, a pseudo-terminal each) entering labs
# and recording doses on one shared database for 60 s while root imports a
# lab file and runs `engraft check` in a loop. Prints p50 and p99 (goal:
# p99 < 100 ms on 2 cores) and whatever the run found wrong (a lost write, a
# row given to the wrong login, "busy" on a status line). It runs
# tests/trust/multi.c from a release build with --bench; it needs root
# (the logins are made and removed) and says so otherwise. run.sh calls it.
#   tests/bench/multi.sh
#   BENCH_BUILD=DIR              the meson tree (default build-release)
#   ENGRAFT_MULTI_SECONDS=N      how long (60); ENGRAFT_MULTI_THINK_MS=N the
#                                pause after each save (500, +-50%)
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BENCH_BUILD:-$ROOT/build-release}
row() { printf '%-44s %20s  %s\n' "$@"; }
if [ "$(id -u)" -ne 0 ]; then
	row "TUI: 20 sessions saving at once" "-" "not measured: needs root (it makes twenty logins)"
	exit 0
fi
if [ ! -f "$BUILD/build.ninja" ]; then
	meson setup --buildtype=release "$BUILD" "$ROOT" >/dev/null
fi
ninja -C "$BUILD" engraft tests/trust/test-trust-multi >/dev/null
LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
set +e
OUT=$(ENGRAFT_BIN="$BUILD/engraft" "$BUILD/tests/trust/test-trust-multi" "$ROOT/tests/data" --bench)
RC=$?
set -e
LINE=$(printf '%s\n' "$OUT" | grep '^bench ' || true)
if [ -z "$LINE" ]; then
	printf '%s\n' "$OUT"
	row "TUI: 20 sessions saving at once" "-" "not measured: the run failed (exit $RC, above)"
	exit 1
fi
get() { printf '%s\n' "$LINE" | tr ' ' '\n' | sed -n "s/^$1=//p"; }
ms() { awk -v a="$1" 'BEGIN { printf "%.1f ms", a }'; }
P99=$(get p99_ms)
VERDICT=$(awk -v v="$P99" 'BEGIN { print (v < 100 ? "PASS" : "FAIL") }')
echo
echo "many terminals at once: $(get sessions) sessions for $(get seconds) s, $(get think_ms) ms (+-50%) between a session's saves; $(nproc) CPUs, load average before $LOAD"
row "measure" "" "goal"
row "--------------------------------------------" "--------------------" "----"
row "TUI save, Ctrl-S to status line: p50" "$(ms "$(get p50_ms)")" "($(get saves) saves)"
row "  p99" "$(ms "$P99")" "< 100 ms: $VERDICT"
row "  lab result: p50 / p99" "$(ms "$(get lab_p50_ms)") / $(ms "$(get lab_p99_ms)")" "(info)"
row "  dose: p50 / p99" "$(ms "$(get dose_p50_ms)") / $(ms "$(get dose_p99_ms)")" "(info)"
row "  worst" "$(ms "$(get max_ms)")" "(info; a writer waits up to 10 s)"
row "  root meanwhile: imports / checks" "$(get imports) / $(get checks)" "(info)"
row "  lost or misattributed rows, busy, errors" "$(get problems)" "0: $([ "$(get problems)" = 0 ] && echo PASS || echo FAIL)"
[ "$RC" -eq 0 ]
