#!/usr/bin/env bash
# An accountable clinic (man page, PERMISSIONS): real Unix logins share one
# database made by `init --group`; every role against every command family;
# a login off the list or disabled gets exit 6 for everything; a refused
# command leaves the database byte-identical; signatures and the trail name
# the login. Needs root (useradd, setpriv); skips (77) elsewhere. The logins
# and the group it makes are removed at the end.
# usage: access.sh ENGRAFT_BINARY DATA_DIR
set -u
if [ "$(id -u)" -ne 0 ] || ! command -v useradd >/dev/null || ! command -v setpriv >/dev/null; then
	echo "not root (or no useradd/setpriv): skipped"
	exit 77
fi
T=$(mktemp -d)
chmod 711 "$T"
G=efclinic$$
ROLES="clinician nurse clerk auditor"
USERS=""
cleanup() {
	for u in $USERS; do userdel "$u" 2>/dev/null; done
	groupdel "$G" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
. "$(dirname "$0")/lib.sh"
groupadd "$G" || exit 1
for r in $ROLES out off; do
	u=ef${r:0:5}$$
	useradd -M -N -g "$G" -s /usr/sbin/nologin -c "Test ${r^}" "$u" || exit 1
	USERS="$USERS $u"
	eval "U_$r=$u"
done
# the binary and the data where every login can read them
mkdir -m 755 "$T/bin" "$T/data"
cp "$1" "$T/bin/engraft"
chmod 755 "$T/bin/engraft"
cp "$2"/*.csv "$T/data/"
chmod 644 "$T/data"/*.csv
ENGRAFT=$T/bin/engraft
DB=$T/clinic/engraft.db
AS() { local u=$1; shift; setpriv --reuid="$u" --regid="$G" --init-groups env HOME=/nonexistent "$@"; }
E() { "$ENGRAFT" --db "$DB" "$@"; }

# the shared database, made by root under a restrictive umask
check "init --group" 0 sh -c "umask 077; '$ENGRAFT' --db '$DB' init --group $G"
contains "init names the first admin" "$T/out" "you are admin 'root'"
[ "$(stat -c %a:%G "$T/clinic")" = "2770:$G" ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: directory mode $(stat -c %a:%G "$T/clinic")"; }
[ "$(stat -c %a:%G "$DB")" = "660:$G" ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: database mode $(stat -c %a:%G "$DB")"; }
for r in $ROLES off; do
	eval "u=\$U_$r"
	role=$r
	[ "$r" = off ] && role=nurse
	check "staff add $r" 0 E staff add "$u" --role "$role" --name "Test ${r^}" --title "T$r"
done
check "staff disable" 0 E staff disable "$U_off"
check "staff add: no such account" 3 E staff add nosuchlogin$$ --role nurse --name "No One"
check "staff add: bad role" 2 E staff add "$U_out" --role doctor --name "X"
check "last admin cannot leave" 3 E staff disable root
contains "last admin: says why" "$T/err" "last active admin"
for k in patients transplants labs transfusions vaccinations gvhd-acute gvhd-chronic immunosuppression ivig; do
	check "root imports $k" 0 E import "$k" "$T/data/$k.csv"
done
check "check" 0 E check
VAX=$(E alerts | awk '$5 == "VACCINE_OVERDUE" {print $1; exit}')
GVHD=$(E alerts | awk '$5 == "GVHD_SEVERE" {print $1; exit}')

# a refused command changes nothing: the file, after every connection closed
denied() { # denied NAME LOGIN CMD...: exit 6, database byte-identical, says not permitted
	local name=$1 u=$2
	shift 2
	cp "$DB" "$T/before.db"
	check "$name" 6 AS "$u" "$ENGRAFT" --db "$DB" "$@"
	contains "$name: says so" "$T/err" "not permitted"
	cmp -s "$DB" "$T/before.db" && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: $name: the database changed"; }
}
allowed() { # allowed NAME LOGIN CMD...
	local name=$1 u=$2
	shift 2
	check "$name" 0 AS "$u" "$ENGRAFT" --db "$DB" "$@"
}

# not on the list, and disabled: nothing at all, reads and the TUI included
for who in out off; do
	eval "u=\$U_$who"
	for cmd in "alerts" "due" "export patients" "audit verify" "staff list" "check" "import labs $T/data/labs.csv"; do
		# shellcheck disable=SC2086
		denied "$who: $cmd" "$u" $cmd
	done
	denied "$who: the terminal interface" "$u"
done
contains "disabled: says disabled" "$T/err" "is disabled"

# every role against every command family (the man page's table)
#            admin clinician nurse clerk auditor
matrix() { # matrix NAME EXPECT(5 letters y/-) CMD...
	local name=$1 want=$2 i=0
	shift 2
	for r in admin $ROLES; do
		local u=root
		[ "$r" != admin ] && eval "u=\$U_$r"
		if [ "${want:$i:1}" = y ]; then allowed "$r: $name" "$u" "$@"; else denied "$r: $name" "$u" "$@"; fi
		i=$((i + 1))
	done
}
matrix "alerts" yyyyy alerts
matrix "due" yyyyy due
matrix "export" yyyyy export labs
matrix "audit verify" yyyyy audit verify
matrix "staff list" yyyyy staff list
matrix "import patients" yy-y- import patients "$T/data/patients.csv"
matrix "import transplants" yy-y- import transplants "$T/data/transplants.csv"
matrix "import labs" yyyy- import labs "$T/data/labs.csv"
matrix "import vaccinations" yyy-- import vaccinations "$T/data/vaccinations.csv"
matrix "import transfusions" yyy-- import transfusions "$T/data/transfusions.csv"
matrix "import ivig" yyy-- import ivig "$T/data/ivig.csv"
matrix "import gvhd-acute" yy--- import gvhd-acute "$T/data/gvhd-acute.csv"
matrix "import immunosuppression" yy--- import immunosuppression "$T/data/immunosuppression.csv"
matrix "check" yyy-- check
matrix "init --assets" y---- init --assets "$(dirname "$0")/../../assets"
matrix "demo" y---- demo --patients 1 --as-of 2026-01-01
matrix "backup" y---- backup "$T/clinic/copy-\$\$.db"
matrix "staff role" y---- staff role "$U_clerk" clerk

# acknowledging: the alert's rule decides
denied "clerk: ack a vaccine alert" "$U_clerk" ack "$VAX" --reason "booked"
allowed "nurse: ack a vaccine alert" "$U_nurse" ack "$VAX" --reason "booked for Monday"
denied "nurse: ack a GVHD alert" "$U_nurse" ack "$GVHD" --reason "seen"
contains "nurse: names who may" "$T/err" "admin or clinician may"
allowed "clinician: ack a GVHD alert" "$U_clinician" ack "$GVHD" --reason "steroids started"

# the trail: the nurse's acknowledgement is hers, signed with her printed name
E export audit >"$T/audit.csv"
contains "ack recorded as the nurse" "$T/audit.csv" "\"\"acknowledged_by\"\":\"\"$U_nurse\"\""
contains "signature: login, name, meaning" "$T/audit.csv" "\"\"login\"\":\"\"$U_nurse\"\",\"\"name\"\":\"\"Test Nurse\"\",\"\"title\"\":\"\"Tnurse\"\",\"\"meaning\"\":\"\"acknowledged\"\""
grep -q ",$U_clinician,import," "$T/audit.csv" && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: the clinician's import is not hers in the trail"; }
check "the trail verifies" 0 E audit verify

# a role changed behind engraft's back (the sqlite3 shell) breaks the trail
if command -v sqlite3 >/dev/null; then
	cp "$DB" "$T/shell.db"
	check "the shell cannot change a role (its audit trigger)" 1 sqlite3 "$T/shell.db" "UPDATE staff SET role = 'admin' WHERE login = '$U_clerk'"
	sqlite3 "$T/shell.db" "DROP TRIGGER audit_staff_update; UPDATE staff SET role = 'admin' WHERE login = '$U_clerk'"
	check "staff edited in the shell" 5 "$ENGRAFT" --db "$T/shell.db" audit verify
	cat "$T/out" >>"$T/err"
	contains "names the staff row" "$T/err" "staff row"
	rm -f "$T/shell.db"
fi

# modes: files made later keep the group and 0660 whatever the umask
rm -f "$T/clinic/"engraft.db-wal "$T/clinic/"engraft.db-shm
check "nurse under umask 077" 0 AS "$U_nurse" sh -c "umask 077; '$ENGRAFT' --db '$DB' alerts >/dev/null"
[ "$(stat -c %a:%G "$DB")" = "660:$G" ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: database mode after use $(stat -c %a:%G "$DB")"; }
# a database others may read is refused, with the fix
chmod o+r "$DB"
check "readable by others" 4 E alerts
contains "names the fix" "$T/err" "chmod o-rwx"
chmod o-r "$DB"
# --user is gone
check "--user refused" 2 E --user "$U_clinician" alerts

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
