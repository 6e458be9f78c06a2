#!/usr/bin/env bash
# The database in a hostile environment: a directory or file this login
# cannot write, a -shm file of another user, a read-only file system, a
# full disk. Each is exit 4 with a message naming the cause. Needs root (to
# act as another login with setpriv and to mount small file systems);
# skips (77) elsewhere.
# usage: envmsg.sh ENGRAFT_BINARY
set -u
ENGRAFT=$(readlink -f "$1")
if [ "$(id -u)" -ne 0 ] || ! command -v setpriv >/dev/null; then
	echo "not root (or no setpriv): skipped"
	exit 77
fi
T=$(mktemp -d)
chmod 711 "$T" # nobody passes through; nobody lists (a database's directory is private)
MNT=
cleanup() { [ -n "$MNT" ] && umount "$MNT" 2>/dev/null; rm -rf "$T"; }
trap cleanup EXIT
. "$(dirname "$0")/lib.sh"
AS_NOBODY() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }
printf 'mrn,family_name,given_name,birth_date\nZ1,Zed,Ann,1970-01-01\n' >"$T/p.csv"
chmod 644 "$T/p.csv"

# a directory the login cannot write: SQLite cannot make -wal and -shm
mkdir -m 711 "$T/ro"
"$ENGRAFT" --db "$T/ro/c.db" init >/dev/null
chown nobody "$T/ro/c.db"
check "directory not writable" 4 AS_NOBODY "$ENGRAFT" --db "$T/ro/c.db" import patients "$T/p.csv"
contains "names the directory" "$T/err" "the directory $T/ro is not writable for nobody"

# a database file the login may read but not write
mkdir -m 700 "$T/rw"
chown nobody "$T/rw"
AS_NOBODY "$ENGRAFT" --db "$T/rw/c.db" init >/dev/null
chmod 0400 "$T/rw/c.db"
check "read-only database file" 4 AS_NOBODY "$ENGRAFT" --db "$T/rw/c.db" import patients "$T/p.csv"
contains "names the file" "$T/err" "$T/rw/c.db belongs to nobody, mode 0400: nobody cannot write it"
chmod 0600 "$T/rw/c.db"

# a -shm left by another user's engraft
rm -f "$T/rw/c.db-shm" "$T/rw/c.db-wal"
touch "$T/rw/c.db-shm"
chmod 0600 "$T/rw/c.db-shm"
check "foreign -shm" 4 AS_NOBODY "$ENGRAFT" --db "$T/rw/c.db" import patients "$T/p.csv"
contains "names the -shm owner" "$T/err" "$T/rw/c.db-shm belongs to root, mode 0600: nobody cannot write it"
rm -f "$T/rw/c.db-shm"
check "fine again" 0 AS_NOBODY "$ENGRAFT" --db "$T/rw/c.db" import patients "$T/p.csv"

# a read-only file system, and a full one (small tmpfs)
mkdir "$T/mnt"
if mount -t tmpfs -o size=1m,mode=0700 tmpfs "$T/mnt" 2>/dev/null; then
	MNT="$T/mnt"
	"$ENGRAFT" --db "$MNT/c.db" init >/dev/null
	mount -o remount,ro "$MNT"
	check "read-only file system" 4 "$ENGRAFT" --db "$MNT/c.db" import patients "$T/p.csv"
	contains "names the read-only file system" "$T/err" "the file system of $MNT is read-only"
	mount -o remount,rw "$MNT"
	check "full disk" 4 "$ENGRAFT" --db "$MNT/c.db" demo --patients 100
	contains "names the full disk" "$T/err" "is full: free space"
	check "still a database" 0 "$ENGRAFT" --db "$MNT/c.db" audit verify
else
	echo "cannot mount a tmpfs here: read-only and full file systems not tested"
fi
finish
