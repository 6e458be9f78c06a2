#!/usr/bin/env bash
# `engraft import [KIND] --help`: every kind's columns with their formats,
# generated from the one description of each kind; the man page's CSV KINDS
# lists the same lines (compared here, so the two cannot drift apart), and
# every column the export writes has a described format.
# usage: importhelp.sh ENGRAFT_BINARY MAN_PAGE
set -u
ENGRAFT=$1
MAN=$2
umask 077
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/lib.sh"
E() { "$ENGRAFT" --db "$T/db/engraft.db" "$@"; }

check "import --help" 0 E import --help
cp "$T/out" "$T/import-help"
contains "import --help: the usage" "$T/import-help" "usage: engraft [--db PATH] import KIND FILE"
contains "import --help: the kinds" "$T/import-help" "Kinds and their columns"
check "import -h" 0 E import -h
same "import -h is --help" "$T/out" "$T/import-help"
KINDS=$(sed -n '/^Kinds and their columns/,/^$/s/^  \([a-z-]*\)$/\1/p' "$T/import-help")
equals "import --help lists every kind" \
	"patients transplants labs transfusions vaccinations gvhd-acute gvhd-chronic immunosuppression ivig status followups" \
	"$(echo $KINDS)"

: >"$T/help-columns"
for k in $KINDS; do
	check "import $k --help" 0 E import "$k" --help
	cp "$T/out" "$T/help-$k"
	contains "import $k --help: usage" "$T/help-$k" "usage: engraft [--db PATH] import KIND FILE"
	contains "import $k --help: its columns" "$T/help-$k" "Columns of $k (natural key: "
	lacks "import $k --help: every format described" "$T/help-$k" "format not described"
	# every column an export of the kind writes, with required or optional
	check "export $k (header)" 0 E export "$k"
	for col in $(head -1 "$T/out" | tr ',' ' '); do
		grep -qE "^  $col \((required|optional)(, key)?\)$" "$T/help-$k" && pass=$((pass + 1)) ||
			{ fail=$((fail + 1)); echo "FAIL: import $k --help: no column $col"; }
	done
	# the natural key in the heading is the key columns marked below
	key=$(sed -n "s/^Columns of $k (natural key: \(.*\)):$/\1/p" "$T/help-$k")
	marked=$(sed -n 's/^  \([a-z_]*\) ([a-z]*, key)$/\1/p' "$T/help-$k" | paste -sd, | sed 's/,/, /g')
	equals "import $k --help: natural key" "$key" "$marked"
	awk -v k="$k" 'length > 72 { print "FAIL: import " k " --help: wider than 72: " $0; bad = 1 } END { exit bad }' \
		"$T/help-$k" && pass=$((pass + 1)) || fail=$((fail + 1))
	sed -n '/^Columns of /,/^$/p' "$T/help-$k" | sed '/^$/d' >>"$T/help-columns"
done

# formats: one example of each sort
contains "patients: mrn format" "$T/help-patients" "printable ASCII without spaces; at most 63 bytes"
contains "patients: sex words" "$T/help-patients" "one of: F, M, X (empty: unknown)"
contains "patients: birth date" "$T/help-patients" "date YYYY-MM-DD, not in the future"
contains "transplants: type words" "$T/help-transplants" "one of: autologous, allogeneic, syngeneic, cellular_therapy"
contains "labs: test codes" "$T/help-labs" "a test code: ANC, ALC, WBC"
contains "labs: key" "$T/help-labs" "Columns of labs (natural key: mrn, collected_on, test):"
contains "gvhd-acute: upper_gi 0-1" "$T/help-gvhd-acute" "MAGIC stage, one digit 0-1"
contains "gvhd-acute: skin 0-4" "$T/help-gvhd-acute" "MAGIC stage, one digit 0-4"
contains "gvhd-chronic: scores 0-3" "$T/help-gvhd-chronic" "NIH organ score, one digit 0-3"
contains "status: words" "$T/help-status" "one of: alive, relapse, deceased, transferred"
contains "immunosuppression: optional stop" "$T/help-immunosuppression" "  stopped_on (optional)"

# help comes first, whatever else is on the line; a bad KIND is a usage error
check "import labs - --help" 0 E import labs - --help
same "import labs - --help is the labs help" "$T/out" "$T/help-labs"
check "import --help labs" 0 E import --help labs
same "import --help labs is the labs help" "$T/out" "$T/help-labs"
check "import nosuch --help" 2 E import nosuch --help
contains "import nosuch --help: says why" "$T/err" "unknown KIND 'nosuch'"

# the man page lists the same lines (its .nf blocks under "Columns of each kind")
sed -n '/^\.SS "Columns of each kind"$/,/^\.S[HS] /p' "$MAN" |
	awk '/^\.nf$/ { on = 1; next } /^\.fi$/ { on = 0; next } on' |
	sed 's/\\-/-/g; s/\\e/\\/g' >"$T/man-columns"
[ -s "$T/man-columns" ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: no column lists in $MAN"; }
same "the man page's columns are import KIND --help's" "$T/man-columns" "$T/help-columns"

finish
