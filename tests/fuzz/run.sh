#!/usr/bin/env bash
# Build the libFuzzer targets with clang (-fsanitize=fuzzer,address,undefined)
# and run each for a while from the seed corpus.
#   run.sh SOURCE_ROOT BUILD_ROOT SECONDS_PER_TARGET [TARGET...]
# Exit 77 (meson: skipped) when clang with libFuzzer is not available.
# Long local runs:  tests/fuzz/run.sh . build 600 import
# New inputs go to BUILD_ROOT/fuzz/corpus-TARGET (the seed corpus in the
# tree is never written); crashes to BUILD_ROOT/fuzz/crash-*.
set -eu
SRC=$(cd "$1" && pwd)
BUILD=$(cd "$2" && pwd)
SECS=$3
shift 3
TARGETS=${*:-parsers csvread import hl7 interop}
CC=${FUZZ_CC:-clang}
OUT="$BUILD/fuzz"
mkdir -p "$OUT"

if ! command -v "$CC" >/dev/null 2>&1; then
	echo "fuzz: $CC not found; skipped (apt-get install clang)"
	exit 77
fi
echo 'int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { (void)d; (void)n; return 0; }' >"$OUT/probe.c"
if ! "$CC" -fsanitize=fuzzer "$OUT/probe.c" -o "$OUT/probe" >/dev/null 2>&1; then
	echo "fuzz: $CC has no libFuzzer; skipped"
	exit 77
fi
for g in migrations.c assets.c; do
	if [ ! -f "$BUILD/$g" ]; then
		echo "fuzz: $BUILD/$g missing (build the project first)" >&2
		exit 1
	fi
done

FLAGS=(-std=c11 -D_POSIX_C_SOURCE=200809L -g -O1 -fno-omit-frame-pointer
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -I"$SRC/include" -I"$SRC/src/store")
LIBS=(-lsqlite3 -lcsv -ljansson -lm)
CORE=("$SRC"/src/core/*.c)
ALL=("${CORE[@]}" "$SRC"/src/store/*.c "$SRC"/src/csv/*.c "$BUILD/migrations.c" "$BUILD/assets.c")

# The library is compiled once per target set (object files in $OUT/obj).
mkdir -p "$OUT/obj"
objs=()
# An object is stale when its source or any header is newer than it.
newest_h=$(ls -t "$SRC"/include/engraft/*.h "$SRC"/src/*/*.h | head -n 1)
for f in "${ALL[@]}"; do
	o="$OUT/obj/$(echo "$f" | tr '/' '_').o"
	if [ ! -f "$o" ] || [ "$f" -nt "$o" ] || [ "$newest_h" -nt "$o" ]; then
		"$CC" "${FLAGS[@]}" -fsanitize=fuzzer-no-link -c "$f" -o "$o"
	fi
	objs+=("$o")
done

status=0
for t in $TARGETS; do
	"$CC" "${FLAGS[@]}" "$SRC/tests/fuzz/fuzz_$t.c" "${objs[@]}" "${LIBS[@]}" -o "$OUT/fuzz_$t"
	corpus="$OUT/corpus-$t"
	mkdir -p "$corpus"
	export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
	export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
	# -fork would be faster on many cores; this machine has two.
	if ! (cd "$OUT" && TMPDIR=${FUZZ_TMPDIR:-$( [ -d /dev/shm ] && [ -w /dev/shm ] && echo /dev/shm || echo "${TMPDIR:-/tmp}")} ./"fuzz_$t" -max_total_time="$SECS" -timeout=20 -rss_limit_mb=4096 \
		-max_len=1048576 -print_final_stats=1 -artifact_prefix="$OUT/crash-$t-" \
		"$corpus" "$SRC/tests/fuzz/corpus/$t" 2>"$OUT/fuzz_$t.log"); then
		echo "fuzz: $t FAILED (see $OUT/fuzz_$t.log):"
		grep -E "ERROR|SUMMARY|==[0-9]+==" "$OUT/fuzz_$t.log" | head -20
		status=1
	fi
	execs=$(grep -E '^stat::number_of_executed_units' "$OUT/fuzz_$t.log" | awk '{print $2}')
	echo "fuzz: $t: ${SECS} s, ${execs:-?} executions, corpus $(ls "$corpus" | wc -l) new inputs"
done
exit $status
