#!/usr/bin/env bash
# End-to-end tests of the command line: help, exit codes, error format,
# database location, import/export through the real binary.
# usage: cli.sh ENGRAFT_BINARY DATA_DIR
set -u
ENGRAFT=$1
DATA=$2
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/lib.sh"




DB="$T/db/engraft.db"
E() { "$ENGRAFT" --db "$DB" "$@"; }

# help and version everywhere
check "--help" 0 "$ENGRAFT" --help
contains "--help lists import" "$T/out" "import"
check "--version" 0 "$ENGRAFT" --version
contains "--version" "$T/out" "engraft "
for cmd in $("$ENGRAFT" --help | awk '/^Commands:/{f=1;next} f&&/^  [a-z]/{print $1}'); do
	check "$cmd --help" 0 "$ENGRAFT" "$cmd" --help
	contains "$cmd --help usage" "$T/out" "usage: engraft"
done
check "unknown command" 2 "$ENGRAFT" --db "$DB" frobnicate
contains "unknown command message" "$T/err" "engraft: unknown command 'frobnicate'"
check "unknown option" 2 "$ENGRAFT" --db "$DB" export labs --nope
check "missing argument" 2 "$ENGRAFT" --db "$DB" import labs
check "bad kind" 2 "$ENGRAFT" --db "$DB" import nonsense "$DATA/labs.csv"
check "bad --as-of" 2 "$ENGRAFT" --db "$DB" export labs --as-of 2025-02-30
check "--db without value" 2 "$ENGRAFT" --db

# init: creates 0700 directory and 0600 file; twice is harmless
check "init" 0 E init
check "init again" 0 E init
[ "$(stat -c %a "$T/db")" = 700 ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: dir mode $(stat -c %a "$T/db")"; }
[ "$(stat -c %a "$DB")" = 600 ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: file mode $(stat -c %a "$DB")"; }

# ENGRAFT_DB is used when --db is absent
check "ENGRAFT_DB" 0 env ENGRAFT_DB="$T/env.db" "$ENGRAFT" init
[ -f "$T/env.db" ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: ENGRAFT_DB not used"; }
check "XDG_DATA_HOME" 0 env -u ENGRAFT_DB XDG_DATA_HOME="$T/xdg" "$ENGRAFT" init
[ -f "$T/xdg/engraft/engraft.db" ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: XDG path not used"; }

# import every kind from the fixtures, then again (nothing changes)
for k in patients transplants labs transfusions vaccinations gvhd-acute gvhd-chronic immunosuppression ivig; do
	check "import $k" 0 E import "$k" "$DATA/$k.csv"
	contains "import $k summary" "$T/out" "inserted"
	E export "$k" >"$T/$k.1.csv"
	check "re-import $k" 0 E import "$k" "$DATA/$k.csv"
	contains "re-import $k adds nothing" "$T/out" " 0 inserted, 0 updated"
	E export "$k" >"$T/$k.2.csv"
	same "re-import $k export" "$T/$k.1.csv" "$T/$k.2.csv"
done

# export -> import into a fresh database -> export is byte-for-byte stable
DB2="$T/copy.db"
for k in patients transplants labs transfusions vaccinations gvhd-acute gvhd-chronic immunosuppression ivig; do
	check "import $k export" 0 "$ENGRAFT" --db "$DB2" import "$k" "$T/$k.1.csv"
	"$ENGRAFT" --db "$DB2" export "$k" -o "$T/$k.3.csv"
	same "round trip $k" "$T/$k.1.csv" "$T/$k.3.csv"
	[ "$(stat -c %a "$T/$k.3.csv")" = 600 ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: export mode"; }
done

# -o makes an existing file private and refuses a symlink
touch "$T/old.csv"; chmod 644 "$T/old.csv"
check "export over an existing file" 0 E export patients -o "$T/old.csv"
equals "existing export file made 0600" 600 "$(stat -c %a "$T/old.csv")"
ln -s "$T/old.csv" "$T/link.csv"
check "export through a symlink refused" 3 E export patients -o "$T/link.csv"

# stdin import
printf 'mrn,family_name,given_name,birth_date\nS1,Stdin,Sam,1999-09-09\n' | E import patients - >"$T/out" 2>&1
contains "stdin import" "$T/out" "1 inserted"

# a bad file: every bad row reported as engraft: FILE:LINE: column: reason, exit 3, nothing written
E export labs >"$T/before.csv"
printf 'mrn,collected_on,test,value,unit\nT001,2025-02-01,ANC,1,K/uL\nT001,2025-02-30,ANC,1,K/uL\nT001,2025-02-02,ANC,1,furlongs\n' >"$T/bad.csv"
check "bad import" 3 E import labs "$T/bad.csv"
contains "bad date reported" "$T/err" "engraft: $T/bad.csv:3: collected_on: '2025-02-30' is not a real date"
contains "bad unit reported" "$T/err" "engraft: $T/bad.csv:4: unit: 'furlongs' is not a unit for ANC"
E export labs >"$T/after.csv"
same "bad import wrote nothing" "$T/before.csv" "$T/after.csv"
check "missing file" 3 E import labs "$T/nope.csv"
contains "missing file message" "$T/err" "No such file"

# a newer schema is refused with exit 4 and left untouched
cp "$DB" "$T/newer.db"
if command -v sqlite3 >/dev/null; then
	sqlite3 "$T/newer.db" 'PRAGMA user_version = 999'
	sum=$(sha256sum <"$T/newer.db")
	check "newer schema" 4 "$ENGRAFT" --db "$T/newer.db" export labs
	contains "newer schema message" "$T/err" "newer than this engraft knows"
	[ "$sum" = "$(sha256sum <"$T/newer.db")" ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: newer db changed"; }
fi
# not a database
echo "hello" >"$T/text.db"
check "text file as database" 4 "$ENGRAFT" --db "$T/text.db" init
check "directory as database" 4 "$ENGRAFT" --db "$T" init

finish
