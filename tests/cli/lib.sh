# lib.sh - assertions for the shell tests; source it after setting T (a temp dir).
pass=0 fail=0

check() { # check NAME EXPECTED_STATUS CMD...
	local name=$1 want=$2
	shift 2
	"$@" >"$T/out" 2>"$T/err"
	local got=$?
	if [ "$got" -eq "$want" ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: $name: exit $got, want $want"
		sed 's/^/  stdout: /' "$T/out" | head -5
		sed 's/^/  stderr: /' "$T/err" | head -5
	fi
}

contains() { # contains NAME FILE TEXT
	if grep -qF -- "$3" "$2"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: $1: '$3' not in $2:"
		sed 's/^/  /' "$2" | head -10
	fi
}

lacks() { # lacks NAME FILE TEXT
	if grep -qF -- "$3" "$2"; then
		fail=$((fail + 1))
		echo "FAIL: $1: '$3' unexpectedly in $2"
	else
		pass=$((pass + 1))
	fi
}

same() { # same NAME FILE1 FILE2
	if cmp -s "$2" "$3"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: $1: $2 and $3 differ"
		diff "$2" "$3" | head -10
	fi
}

equals() { # equals NAME WANT GOT
	if [ "$2" = "$3" ]; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: $1:"
		echo "  want: $2"
		echo "  got:  $3"
	fi
}

finish() {
	echo "$pass passed, $fail failed"
	[ "$fail" -eq 0 ]
}
