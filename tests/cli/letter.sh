#!/usr/bin/env bash
# engraft letter MRN [-o FILE] [--as-of DATE] [--clinic TEXT] (issue 14):
# the letter's exact text for a patient of the screen-test fixture with
# doses due, blocked and coming up; the same patient right after the
# transplant (nothing due); a patient without a transplant; an unknown MRN
# and a patient not in care (exit 3, nothing written); -o written whole.
# usage: letter.sh ENGRAFT_BINARY TUI_DATA_DIR
set -u
ENGRAFT=$1
DATA=$2
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/lib.sh"
umask 077

DB="$T/engraft.db"
E() { "$ENGRAFT" --db "$DB" "$@"; }
for k in patients transplants labs gvhd-acute immunosuppression ivig vaccinations; do
	E import "$k" "$DATA/$k.csv" >/dev/null || { fail=$((fail + 1)); echo "FAIL: import $k"; }
done

# --- doses due, not possible yet (why, in plain words), coming up ------------
check "letter" 0 E letter MRN002 --as-of 2024-09-01 --clinic "Transplant clinic, phone 555 0100"
cat >"$T/want" <<'TXT'
Transplant clinic, phone 555 0100
Your vaccinations after your transplant                       2024-09-01

Patient:        Anna Smithers
MRN:            MRN002
Date of birth:  1985-07-02
Transplant:     2024-06-01

Dear Anna Smithers,

after a stem cell transplant the vaccinations you had before no longer
protect you, and you need them again. This letter lists them as of
2024-09-01.

Due now or overdue
  * COVID-19, dose 1 (COVID19:1): due since 2024-09-01.
  * pneumococcal conjugate, dose 1 (PCV:1): due since 2024-09-01.

Not possible yet
  * pneumococcal polysaccharide, dose 1 (PPSV23:1): not before
    2025-06-01, because dose 3 of pneumococcal conjugate must be given
    first.
  * measles, mumps, rubella (live), dose 1 (MMR:1): not before
    2026-06-01, because less than 24 months have passed since your
    transplant on 2024-06-01.
  * varicella (chickenpox, live), dose 1 (VAR:1): not before 2026-06-01,
    because less than 24 months have passed since your transplant on
    2024-06-01.

Next appointments (doses coming due until 2025-03-01)
  * influenza (flu), dose 1 (FLU:1): from 2024-12-01.
  * hepatitis A, dose 1 (HEPA:1): from 2024-12-01.
  * hepatitis B, dose 1 (HEPB:1): from 2024-12-01.
  * Haemophilus influenzae type b, dose 1 (HIB:1): from 2024-12-01.
  * polio, inactivated, dose 1 (IPV:1): from 2024-12-01.
  * meningococcal ACWY, dose 1 (MENACWY:1): from 2024-12-01.
  * shingles (recombinant zoster), dose 1 (RZV:1): from 2024-12-01.
  * tetanus, diphtheria, pertussis, dose 1 (TDAP:1): from 2024-12-01.

Please bring this letter and your vaccination record to your next visit.
If you have a fever, an infection or new medicines on the day, tell the
nurse before the vaccination.
TXT
same "letter text" "$T/want" "$T/out"
equals "nothing on stderr" "" "$(cat "$T/err")"
long=$(awk 'length($0) > 72' "$T/out")
equals "no line longer than 72 columns" "" "$long"

# --- the same patient the day after the transplant: nothing due yet ----------
check "letter, nothing due" 0 E letter MRN002 --as-of 2024-06-02
cat >"$T/want" <<'TXT'
Your vaccinations after your transplant                       2024-06-02

Patient:        Anna Smithers
MRN:            MRN002
Date of birth:  1985-07-02
Transplant:     2024-06-01

Dear Anna Smithers,

after a stem cell transplant the vaccinations you had before no longer
protect you, and you need them again. This letter lists them as of
2024-06-02.

Due now or overdue
  None.

Not possible yet
  * pneumococcal polysaccharide, dose 1 (PPSV23:1): not before
    2025-06-01, because dose 3 of pneumococcal conjugate must be given
    first.
  * measles, mumps, rubella (live), dose 1 (MMR:1): not before
    2026-06-01, because less than 24 months have passed since your
    transplant on 2024-06-01.
  * varicella (chickenpox, live), dose 1 (VAR:1): not before 2026-06-01,
    because less than 24 months have passed since your transplant on
    2024-06-01.

Next appointments (doses coming due until 2024-12-02)
  * COVID-19, dose 1 (COVID19:1): from 2024-09-01.
  * pneumococcal conjugate, dose 1 (PCV:1): from 2024-09-01.
  * influenza (flu), dose 1 (FLU:1): from 2024-12-01.
  * hepatitis A, dose 1 (HEPA:1): from 2024-12-01.
  * hepatitis B, dose 1 (HEPB:1): from 2024-12-01.
  * Haemophilus influenzae type b, dose 1 (HIB:1): from 2024-12-01.
  * polio, inactivated, dose 1 (IPV:1): from 2024-12-01.
  * meningococcal ACWY, dose 1 (MENACWY:1): from 2024-12-01.
  * shingles (recombinant zoster), dose 1 (RZV:1): from 2024-12-01.
  * tetanus, diphtheria, pertussis, dose 1 (TDAP:1): from 2024-12-01.

Please bring this letter and your vaccination record to your next visit.
If you have a fever, an infection or new medicines on the day, tell the
nurse before the vaccination.
TXT
same "letter text, nothing due" "$T/want" "$T/out"

# --- no transplant: nothing scheduled, and it says why -------------------------
check "letter, no transplant" 0 E letter MRN006 --as-of 2024-09-01
cat >"$T/want" <<'TXT'
Your vaccinations after your transplant                       2024-09-01

Patient:        Wei Zhang
MRN:            MRN006
Date of birth:  1979-09-09
Transplant:     none recorded

Dear Wei Zhang,

after a stem cell transplant the vaccinations you had before no longer
protect you, and you need them again. This letter lists them as of
2024-09-01.

No transplant is recorded for you at this clinic, so no vaccination is
scheduled yet.

Due now or overdue
  None.

Not possible yet
  None.

Next appointments (doses coming due until 2025-03-01)
  None in this time.

Please bring this letter and your vaccination record to your next visit.
If you have a fever, an infection or new medicines on the day, tell the
nurse before the vaccination.
TXT
same "letter text, no transplant" "$T/want" "$T/out"

# --- names as they are (UTF-8) ---------------------------------------------------
check "letter, UTF-8 name" 0 E letter MRN004 --as-of 2024-09-01
contains "UTF-8 name kept" "$T/out" "Patient:        Jürgen Müller"
contains "live vaccine blocked, in words" "$T/out" "less than 24 months have passed since your"

# --- -o: the same text, written whole, 0600; never onto the database ----------
E letter MRN002 --as-of 2024-09-01 >"$T/stdout.txt"
echo "an older letter" >"$T/letter.txt"
check "letter -o" 0 E letter MRN002 --as-of 2024-09-01 -o "$T/letter.txt"
equals "-o: nothing on stdout" "" "$(cat "$T/out")"
same "-o: the letter replaces the file whole" "$T/stdout.txt" "$T/letter.txt"
equals "-o: mode 0600" "600" "$(stat -c %a "$T/letter.txt")"
check "letter -o onto the database" 2 E letter MRN002 -o "$DB"
contains "-o onto the database: said" "$T/err" "database"

# --- refused: nothing written ---------------------------------------------------
check "unknown MRN" 3 E letter NOPE -o "$T/nope.txt"
contains "unknown MRN: said" "$T/err" "engraft: letter: no patient with MRN 'NOPE'"
equals "unknown MRN: nothing on stdout" "" "$(cat "$T/out")"
[ ! -e "$T/nope.txt" ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: unknown MRN: -o file written"; }
printf 'mrn,recorded_on,status\nMRN003,2024-08-01,deceased\n' >"$T/status.csv"
E import status "$T/status.csv" >/dev/null || { fail=$((fail + 1)); echo "FAIL: import status"; }
check "deceased patient" 3 E letter MRN003 --as-of 2024-09-01
contains "deceased: said" "$T/err" "not in this clinic's care (deceased): no letter"
equals "deceased: nothing on stdout" "" "$(cat "$T/out")"
check "as-of after today" 2 E letter MRN002 --as-of 2999-01-01
check "clinic with a control character" 2 E letter MRN002 --clinic "$(printf 'clinic\033[31m')"
check "no MRN" 2 E letter
check "letter --help" 0 E letter --help
contains "help names -o" "$T/out" "-o, --output FILE"

finish
