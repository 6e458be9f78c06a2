#!/usr/bin/env bash
# Safety at the point of care, through the real binary: output paths never
# harm the database, interrupted writes leave nothing behind, nothing is
# dated after now, numbers do not depend on the locale, and the messages for
# a hostile environment name the cause.
# usage: safety.sh ENGRAFT_BINARY DATA_DIR
set -u
ENGRAFT=$(readlink -f "$1")
DATA=$2
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/lib.sh"

DB="$T/clinic.db"
E() { "$ENGRAFT" --db "$DB" "$@"; }
for k in patients transplants labs transfusions vaccinations gvhd-acute gvhd-chronic immunosuppression ivig; do
	E import "$k" "$DATA/$k.csv" >/dev/null || { fail=$((fail + 1)); echo "FAIL: import $k"; }
done
E export labs >"$T/labs-before.csv"
rows_before=$(wc -l <"$T/labs-before.csv")

# ---- output paths: never the database or its -wal, -shm, -journal ----------
labs_intact() {
	E export labs >"$T/labs-now.csv" 2>/dev/null
	same "$1: database intact" "$T/labs-before.csv" "$T/labs-now.csv"
}
check "export onto the database" 2 E export labs -o "$DB"
contains "names the database" "$T/err" "is the database; it is never overwritten"
labs_intact "export -o DB"
for side in -wal -shm -journal; do
	check "export onto $side" 2 E export labs -o "$DB$side"
	contains "names $side" "$T/err" "is the database's $side"
	check "backup onto $side" 2 E backup "$DB$side"
	[ ! -e "$DB$side" ] || [ "$side" != -journal ] || { fail=$((fail + 1)); echo "FAIL: $side created"; }
done
mkdir -p "$T/sub"
check "export onto the database by another spelling" 2 E export labs -o "$T/sub/../clinic.db"
ln -s "$DB" "$T/link.db"
check "export through a symlink to the database" 2 E export labs -o "$T/link.db"
ln "$DB" "$T/hard.db"
check "export onto a hard link of the database" 2 E export labs -o "$T/hard.db"
contains "hard link refused by inode" "$T/err" "is the database"
(cd "$T" && "$ENGRAFT" --db clinic.db export labs -o ./clinic.db >/dev/null 2>&1)
equals "relative export onto the database" 2 "$?"
labs_intact "after every refused target"

# a regular file: written whole and renamed into place, 0600
echo "old content" >"$T/out.csv"
chmod 0644 "$T/out.csv"
check "export to an existing file" 0 E export labs -o "$T/out.csv"
same "export replaced the file" "$T/labs-before.csv" "$T/out.csv"
equals "export file mode" 600 "$(stat -c %a "$T/out.csv")"
ls "$T"/out.csv.tmp-* >/dev/null 2>&1 && { fail=$((fail + 1)); echo "FAIL: temporary file left"; } || pass=$((pass + 1))
# a device is written as it is and never chmod'ed (as root this mattered)
mode_null=$(stat -c %a /dev/null)
check "export to /dev/null" 0 E export labs -o /dev/null
equals "/dev/null mode untouched" "$mode_null" "$(stat -c %a /dev/null)"
check "unknown kind touches nothing" 2 E export nosuchkind -o "$T/none.csv"
[ ! -e "$T/none.csv" ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: file created for an unknown kind"; }

# the environment: disk full names the cause, exit 4
if [ -w /dev/full ]; then
	check "export to a full disk" 4 E export labs -o /dev/full
	contains "disk full message" "$T/err" "disk is full"
fi

# ---- interrupted writes leave no copy of patient data ---------------------
BIG="$T/big.db"
"$ENGRAFT" --db "$BIG" demo --patients 1500 --seed 3 >/dev/null
# kill the command once its temporary file exists (polling, not sleeping)
interrupt() { # interrupt NAME PATTERN CMD...
	local name=$1 pattern=$2
	shift 2
	"$@" >/dev/null 2>&1 &
	local pid=$! i=0
	while [ $i -lt 2000 ] && ! compgen -G "$pattern" >/dev/null; do
		kill -0 $pid 2>/dev/null || break
		sleep 0.005
		i=$((i + 1))
	done
	kill -TERM $pid 2>/dev/null
	wait $pid
	local rc=$?
	if compgen -G "$pattern" >/dev/null; then
		fail=$((fail + 1))
		echo "FAIL: $name: temporary file left after SIGTERM: $(compgen -G "$pattern")"
	else
		pass=$((pass + 1))
	fi
	echo "$name: exit $rc" >>"$T/interrupts"
}
for i in 1 2 3; do
	rm -f "$T/copy$i.db"
	interrupt "backup interrupted $i" "$T/copy$i.db.tmp-*" "$ENGRAFT" --db "$BIG" backup "$T/copy$i.db"
	rm -f "$T/big-labs$i.csv"
	interrupt "export interrupted $i" "$T/big-labs$i.csv.tmp-*" "$ENGRAFT" --db "$BIG" export labs -o "$T/big-labs$i.csv"
done
grep -q "exit 143" "$T/interrupts" && pass=$((pass + 1)) ||
	{ fail=$((fail + 1)); echo "FAIL: no run was interrupted by SIGTERM:"; cat "$T/interrupts"; }

# ---- time: nothing dated after now -----------------------------------------
soon=$(date -d '+3 minutes' +%FT%H:%M) # later today, or tomorrow near midnight
earlier=$(date -d '-3 minutes' +%FT%H:%M)
printf 'mrn,collected_on,test,value,unit\nT001,%s,ANC,1.2,10*9/L\n' "$soon" >"$T/soon.csv"
check "lab later today" 3 E import labs "$T/soon.csv"
contains "lab later today message" "$T/err" "collected_on: $soon is in the future"
printf 'mrn,collected_on,test,value,unit\nT001,%s,ANC,1.2,10*9/L\n' "$earlier" >"$T/earlier.csv"
check "lab earlier today" 0 E import labs "$T/earlier.csv"

# ---- text hygiene: control bytes are refused where stored, escaped where shown
ESC=$'\033'
raw_esc() { grep -q "$ESC" "$1"; }
no_raw_esc() { # no_raw_esc NAME FILE: the file has no ESC byte, but its escape
	if raw_esc "$2"; then
		fail=$((fail + 1))
		echo "FAIL: $1: a raw ESC byte reached the terminal"
	else
		pass=$((pass + 1))
	fi
	contains "$1: shown escaped" "$2" '\x1b'
}
E check --as-of 2025-10-01 >/dev/null
id=$(E export alerts | sed -n 2p | cut -d, -f1)
check "ack reason with an escape sequence" 2 E ack "$id" --reason "seen${ESC}[2J"
contains "ack reason message" "$T/err" "the reason contains a control character"
check "ack reason with a line break" 2 E ack "$id" --reason "$(printf 'two\nlines')"
check "ack reason over 1000 bytes" 2 E ack "$id" --reason "$(head -c 1001 /dev/zero | tr '\0' x)"
check "ack reason of 1000 bytes" 0 E ack "$id" --reason "$(head -c 1000 /dev/zero | tr '\0' x)"
# identity is the login: --user is refused whatever it holds, and never echoed raw
cp "$DB" "$T/before.db"
check "user option refused" 2 "$ENGRAFT" --db "$DB" --user "x${ESC}[2Jroot" alerts
raw_esc "$T/err" && { fail=$((fail + 1)); echo "FAIL: --user message: a raw ESC byte reached the terminal"; }
contains "user option: names the login" "$T/err" "records the login you are signed in as ($(id -un))"
check "user= option refused" 2 "$ENGRAFT" --db "$DB" --user=nurse import labs /dev/null
cmp -s "$DB" "$T/before.db" && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: --user changed the database"; }
check "mrn with an escape sequence" 3 E check --mrn "T${ESC}[2J"
no_raw_esc "mrn message" "$T/err"
printf 'mrn,collected_on,te\033[2Jst,value,unit\nT001,2025-01-01,ANC,1,10*9/L\n' >"$T/hdr.csv"
check "header with an escape sequence" 3 E import labs "$T/hdr.csv"
no_raw_esc "header message" "$T/err"
printf 'mrn,family_name,given_name,birth_date\nX9,Bad\033[2J,Name,1970-01-01\n' >"$T/cell.csv"
check "cell with an escape sequence" 3 E import patients "$T/cell.csv"
contains "cell message" "$T/err" "family_name: contains a control character"
cp "$T/cell.csv" "$T/evil${ESC}[2J.csv"
check "file name with an escape sequence" 2 E import patients "$T/evil${ESC}[2J.csv"
no_raw_esc "file name message" "$T/err"

# ---- locale: a decimal-comma locale changes no number ----------------------
if locale -a 2>/dev/null | grep -qi '^de_DE\.utf-\?8$'; then
	L="$T/loc.db"
	for lc in C de_DE.UTF-8; do
		rm -f "$L"
		for k in patients transplants labs transfusions vaccinations gvhd-acute gvhd-chronic immunosuppression ivig; do
			LC_ALL=$lc "$ENGRAFT" --db "$L" import "$k" "$DATA/$k.csv" >/dev/null
		done
		LC_ALL=$lc "$ENGRAFT" --db "$L" check --as-of 2025-10-01 >"$T/check-$lc.txt"
		LC_ALL=$lc "$ENGRAFT" --db "$L" export alerts --as-of 2025-10-01 | cut -d, -f2- >"$T/alerts-$lc.csv"
		LC_ALL=$lc "$ENGRAFT" --db "$L" export labs >"$T/labs-$lc.csv"
		LC_ALL=$lc "$ENGRAFT" --db "$L" export engraftment --as-of 2025-10-01 >"$T/eng-$lc.csv"
	done
	same "check under de_DE" "$T/check-C.txt" "$T/check-de_DE.UTF-8.txt"
	same "alerts under de_DE" "$T/alerts-C.csv" "$T/alerts-de_DE.UTF-8.csv"
	same "labs under de_DE" "$T/labs-C.csv" "$T/labs-de_DE.UTF-8.csv"
	same "engraftment under de_DE" "$T/eng-C.csv" "$T/eng-de_DE.UTF-8.csv"
elif [ -n "${CI:-}" ]; then
	fail=$((fail + 1))
	echo "FAIL: CI has no de_DE.UTF-8 locale (.ci/deps makes it)"
else
	echo "SKIP: no de_DE.UTF-8 locale here (localedef -i de_DE -f UTF-8 de_DE.UTF-8)"
fi

finish
