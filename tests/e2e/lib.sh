# lib.sh - shared by the end-to-end tests (sourced): the real binary in a
# private tmux server, driven by keys, the settled screen compared with text.
# usage: . "$(dirname "$0")/lib.sh"; e2e_setup NAME [LOCALE]
# Sets T (a private temporary directory, removed at exit), TM (tmux on the
# private socket), pass and fail; SESSION names the tmux session (e2e).
# Skips (exit 77) without tmux or the locale; under CI a missing locale fails.
SESSION=${SESSION:-e2e}

e2e_setup() { # e2e_setup NAME [LOCALE]
	command -v tmux >/dev/null 2>&1 || { echo "tmux not installed: skipped"; exit 77; }
	if [ -n "${2:-}" ] && ! locale -a 2>/dev/null | grep -qix "$(printf '%s' "$2" | sed 's/UTF-8/utf-\\?8/I')"; then
		[ -z "${CI:-}" ] || { echo "FAIL: CI has no $2 locale (.ci/deps makes it)"; exit 1; }
		echo "no $2 locale here: skipped"
		exit 77
	fi
	umask 077
	T=$(mktemp -d)
	SOCK="engraft-$1-$$"
	trap cleanup EXIT
	pass=0 fail=0
}

TM() { tmux -L "$SOCK" -f /dev/null "$@"; }
cleanup() { TM kill-server >/dev/null 2>&1; rm -rf "$T"; }
keys() { TM send-keys -t "$SESSION" "$@"; sleep 0.15; }

# The screen once it has stopped changing (two equal reads in a row).
screen() {
	local prev="" cur i
	for i in $(seq 1 100); do
		cur=$(TM capture-pane -p -t "$SESSION" 2>/dev/null)
		if [ -n "$cur" ] && [ "$cur" = "$prev" ]; then
			printf '%s\n' "$cur" >"$T/screen"
			return 0
		fi
		prev=$cur
		sleep 0.1
	done
	printf '%s\n' "$cur" >"$T/screen"
}

expect() { # expect NAME TEXT: the settled screen shows TEXT
	screen
	if grep -qF -- "$2" "$T/screen"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		echo "FAIL: $1: screen does not show '$2'"
		sed 's/^/  | /' "$T/screen"
	fi
}

expect_not() { # expect_not NAME TEXT: the settled screen does not show TEXT
	screen
	if grep -qF -- "$2" "$T/screen"; then
		fail=$((fail + 1))
		echo "FAIL: $1: screen shows '$2'"
		sed 's/^/  | /' "$T/screen"
	else
		pass=$((pass + 1))
	fi
}
