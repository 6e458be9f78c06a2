#!/usr/bin/env bash
# The architecture's contracts, checked by tools rather than by review:
# - only src/tui includes curses; only src/store holds SQL text; src/core
#   includes neither sqlite3.h nor stdio (no I/O); the CLI never includes a
#   TUI header and the TUI and CLI change data only through src/app;
# - cppcheck --enable=warning,portability is clean;
# - the whole tree builds with clang and -Werror (the tests build with gcc).
# usage: contracts.sh SOURCE_ROOT
set -u
SRC=$1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. "$SRC/tests/cli/lib.sh"
cd "$SRC" || exit 1

none() { # none NAME PATTERN DIR...: no file below DIR matches
	local name=$1 pat=$2
	shift 2
	if grep -rnE --include='*.[ch]' --include='*.sql' --include='*.csv' --include='*.sh' "$pat" "$@" >"$T/hits"; then
		fail=$((fail + 1))
		echo "FAIL: $name:"
		sed 's/^/  /' "$T/hits" | head -10
	else
		pass=$((pass + 1))
	fi
}
none "curses outside src/tui" '#include <(n?curses|form|menu|panel)\.h>' src/core src/store src/csv src/app src/cli src/main.c
none "SQLite outside src/store" '#include <sqlite3\.h>' src/core src/csv src/app src/cli src/tui src/main.c
none "SQL text outside src/store" '"(SELECT|INSERT|UPDATE|DELETE|BEGIN|COMMIT|ROLLBACK|CREATE) ' src/core src/csv src/app src/cli src/tui
none "I/O in src/core" "#include <(unistd|fcntl|sys/stat)\\.h>|\\bf(open|read|write|puts|flush)\\(|[^sn]printf\\(|FILE \\*" src/core
none "the CLI includes no TUI header" '#include "(engraft/tui\.h|\.\./tui/)' src/cli
none "transactions only in src/app and src/store" 'store_(begin|commit|rollback)\(' src/cli src/tui
none "no pointer to a document outside the repository" '(design|style)\.md|clinical-reference' src include schema assets/*.csv tests/core tests/store tests/csv tests/tui tests/trust
none "the faces write through src/app" 'store_put_[a-z_]*\(|ef_import\(|store_tx\(' src/cli src/tui
none "identity is the OS login (no one sets another)" 'store_set_user\(' src/core src/csv src/app src/cli src/tui src/main.c
none "staff, signatures and site files through src/app" 'store_staff_(add|set_[a-z]+)\(|store_sign\(|ef_load_assets\(' src/cli src/tui

if command -v cppcheck >/dev/null; then
	if cppcheck --enable=warning,portability --quiet --error-exitcode=1 -I include -D_POSIX_C_SOURCE=200809L \
		--suppress=missingIncludeSystem src 2>"$T/cppcheck"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: cppcheck:"
		sed 's/^/  /' "$T/cppcheck" | head -20
	fi
elif [ -n "${CI:-}" ]; then
	fail=$((fail + 1))
	echo "FAIL: CI has no cppcheck (.ci/deps installs it)"
fi

if command -v clang >/dev/null; then
	if CC=clang meson setup "$T/clang" -Dwerror=true >"$T/clang.log" 2>&1 && ninja -C "$T/clang" >>"$T/clang.log" 2>&1; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: clang -Werror build:"
		grep -E "error|warning" "$T/clang.log" | head -20
	fi
elif [ -n "${CI:-}" ]; then
	fail=$((fail + 1))
	echo "FAIL: CI has no clang (.ci/deps installs it)"
fi
finish
