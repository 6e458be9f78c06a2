#!/bin/sh
# demo_test.sh ENGRAFT - `engraft demo` is deterministic, dates nothing after
# --as-of, and its data survives export -> import -> export byte for byte.
set -eu
E=${1:?usage: demo_test.sh path/to/engraft}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM
KINDS="patients transplants labs transfusions vaccinations gvhd-acute gvhd-chronic immunosuppression ivig status"
AS_OF=2024-03-15
fails=0 passes=0
ok() { passes=$((passes + 1)); }
bad() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }

# usage errors: exit 2, nothing written
for n in 0 1000001 -5 abc 10x; do
	set +e; "$E" --db "$T/u.db" demo --patients "$n" >/dev/null 2>"$T/err"; rc=$?; set -e
	[ "$rc" = 2 ] && grep -q 'patients' "$T/err" && ok || bad "--patients $n: exit $rc, want 2"
done
set +e; "$E" --db "$T/u.db" demo --as-of 2999-01-01 >/dev/null 2>&1; rc=$?; set -e
[ "$rc" = 2 ] && ok || bad "--as-of in the future: exit $rc, want 2"
[ ! -e "$T/u.db" ] && ok || bad "a usage error created the database"
"$E" demo --help | grep -q -- '--patients N' && ok || bad "demo --help"

# same seed and as-of: identical exports; another seed: different
"$E" --db "$T/a.db" demo --patients 60 --seed 7 --as-of $AS_OF >"$T/sum.a"
"$E" --db "$T/b.db" demo --patients 60 --seed 7 --as-of $AS_OF >"$T/sum.b"
"$E" --db "$T/c.db" demo --patients 60 --seed 8 --as-of $AS_OF >/dev/null
grep -q ': demo seed 7 as of 2024-03-15: 60 patients,' "$T/sum.a" && ok || bad "summary line: $(cat "$T/sum.a")"
for k in $KINDS; do
	"$E" --db "$T/a.db" export "$k" >"$T/a.$k.csv"
	"$E" --db "$T/b.db" export "$k" >"$T/b.$k.csv"
	"$E" --db "$T/c.db" export "$k" >"$T/c.$k.csv"
	[ "$(wc -l <"$T/a.$k.csv")" -gt 1 ] && ok || bad "$k: no rows"
	cmp -s "$T/a.$k.csv" "$T/b.$k.csv" && ok || bad "$k: same seed gave different rows"
	# nothing dated after as-of: the as-of export is the whole export
	"$E" --db "$T/a.db" export --as-of $AS_OF "$k" | cmp -s - "$T/a.$k.csv" && ok || bad "$k: rows after --as-of"
done
cmp -s "$T/a.labs.csv" "$T/c.labs.csv" && bad "seed 8 gave the same labs as seed 7" || ok
cmp -s "$T/a.patients.csv" "$T/c.patients.csv" && bad "seed 8 gave the same patients" || ok

# a bigger cohort starts with the same patients
"$E" --db "$T/d.db" demo --patients 61 --seed 7 --as-of $AS_OF >/dev/null
"$E" --db "$T/d.db" export labs | grep -v '^DEMO000061,' | cmp -s - "$T/a.labs.csv" && ok || bad "patient rows depend on the cohort size"

# running it again changes nothing
"$E" --db "$T/a.db" demo --patients 60 --seed 7 --as-of $AS_OF >"$T/sum.again"
grep -q '(0 inserted, 0 updated, [1-9][0-9]* unchanged)' "$T/sum.again" && ok || bad "re-run: $(cat "$T/sum.again")"

# believable content
grep -q ',<0.1,\|,<100,' "$T/a.labs.csv" && ok || bad "no '<0.1' ANC values"
grep -q 'T[0-2][0-9]:[0-5][0-9],ANC,' "$T/a.labs.csv" && ok || bad "no same-day timed draws"
grep -q ',cells/uL,$' "$T/a.labs.csv" && grep -q ',K/uL,$' "$T/a.labs.csv" && grep -q ',g/L,$' "$T/a.labs.csv" && ok || bad "units not varied"
grep -q ',platelets,$' "$T/a.transfusions.csv" && ok || bad "no platelet transfusions"
grep -q ',allogeneic,' "$T/a.transplants.csv" && grep -q ',autologous,' "$T/a.transplants.csv" && ok || bad "transplant types"
grep -q '^DEMO000001,' "$T/a.patients.csv" && ok || bad "MRNs are not DEMO000001..."
grep -q ',alive,' "$T/a.status.csv" && ok || bad "no last contacts recorded"
# deaths and relapses at believable rates (a bigger cohort: a few in 60 is noise)
"$E" --db "$T/big.db" demo --patients 1500 --seed 7 --as-of $AS_OF >/dev/null
"$E" --db "$T/big.db" export status >"$T/big.status.csv"
dead=$(grep -c ',deceased,' "$T/big.status.csv" || true)
relapsed=$(grep -c ',relapse,' "$T/big.status.csv" || true)
moved=$(grep -c ',transferred,\|,lost_to_followup,' "$T/big.status.csv" || true)
[ "$dead" -ge 60 ] && [ "$dead" -le 400 ] && ok || bad "deaths in 1500 patients: $dead"
[ "$relapsed" -ge 60 ] && [ "$relapsed" -le 450 ] && ok || bad "relapses in 1500 patients: $relapsed"
[ "$moved" -ge 3 ] && [ "$moved" -le 100 ] && ok || bad "transferred or lost in 1500 patients: $moved"
# nothing dated after a death: every later row would make the export refuse to import
"$E" --db "$T/big.db" export followup-status --as-of $AS_OF | grep -q ',deceased,.*,no,' && ok || bad "no deceased patient out of care"

# export -> import into a fresh database -> export: byte for byte
for k in $KINDS; do
	"$E" --db "$T/r.db" import "$k" "$T/a.$k.csv" >/dev/null || bad "import $k of demo data failed"
done
for k in $KINDS; do
	"$E" --db "$T/r.db" export "$k" | cmp -s - "$T/a.$k.csv" && ok || bad "$k: export -> import -> export differs"
done

echo "demo: $passes passed, $fails failed"
[ "$fails" = 0 ]
