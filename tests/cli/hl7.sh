#!/usr/bin/env bash
# engraft import hl7 through the real binary, on the realistic messages of
# tests/data/hl7 (README.md there says where their shape comes from):
# ORU^R01 results and VXU^V04 doses land as the CSV kinds' rows, a second
# import changes nothing, one import audit entry per file with its SHA-256,
# every error names FILE:LINE: SEG-N and rejects the whole file (exit 3),
# under a decimal-comma locale too.
# usage: hl7.sh ENGRAFT_BINARY DATA_DIR
set -u
ENGRAFT=$1
DATA=$2
umask 077
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/lib.sh"
H=$DATA/hl7
DB="$T/db/engraft.db"
E() { "$ENGRAFT" --db "$DB" "$@"; }

check "import patients" 0 E import patients "$DATA/patients.csv"

# ORU^R01: CR line ends, SN <^0.1, OBR-7 for OBX without OBX-14, P skipped,
# C after F in the same file: the corrected value is the one kept
check "import hl7 ORU" 0 E import hl7 "$H/oru_cbc.hl7"
contains "ORU counts" "$T/out" \
	"oru_cbc.hl7: 2 messages, 7 records: 7 inserted, 0 updated, 0 unchanged; 1 skipped (OBX-11 P/I/X, RXA-20 RE/NA), 2 replaced by a later one"
check "export labs" 0 E export labs
cp "$T/out" "$T/labs1"
cat >"$T/want" <<'CSV'
mrn,collected_on,test,value,unit,entered_in_error
T001,2025-03-01T07:30,ALC,<0.1,10*3/uL,
T001,2025-03-01T07:30,ANC,0.7,10*3/uL,
T001,2025-03-01T07:30,HGB,8.4,g/dL,
T001,2025-03-01T07:30,PLT,18,10*3/uL,
T001,2025-03-01T07:30,WBC,1.9,10*3/uL,
T001,2025-03-14T08:15:00,CD4,180,/uL,
T001,2025-03-14T08:15:00,IGG,3.9,g/L,
CSV
same "ORU rows" "$T/want" "$T/labs1"

# the same file again changes nothing (and is one more import entry)
check "import hl7 ORU again" 0 E import hl7 "$H/oru_cbc.hl7"
contains "ORU again: unchanged" "$T/out" "7 records: 0 inserted, 0 updated, 7 unchanged"
E export labs >"$T/labs2"
same "ORU again: same rows" "$T/labs1" "$T/labs2"

# one audit entry per file: kind hl7, its name and SHA-256
SHA=$(sha256sum "$H/oru_cbc.hl7" | cut -d' ' -f1)
check "export audit" 0 E export audit
equals "one import entry per file, with the file's SHA-256" 2 "$(grep -c "\"\"kind\"\":\"\"hl7\"\",\"\"file_name\"\":\"\"$H/oru_cbc.hl7\"\",\"\"file_sha256\"\":\"\"$SHA\"\"" "$T/out")"
check "audit verify" 0 E audit verify

# other encoding characters and CRLF, from standard input; a unit escaped
check "import hl7 CRLF from stdin" 0 sh -c "'$ENGRAFT' --db '$DB' import hl7 - <'$H/oru_crlf.hl7'"
contains "CRLF counts" "$T/out" "-: 1 message, 2 records: 2 inserted"
E export labs --mrn T002 >"$T/t002"
contains "CRLF: ANC with the escaped unit" "$T/t002" "T002,2025-03-20T07:30:00,ANC,0.3,10*9/L,"
contains "CRLF: PLT" "$T/t002" "T002,2025-03-20T07:30:00,PLT,25,K/uL,"

# W marks a result entered in error
printf 'MSH|^~\\&|LIS|LAB|ENGRAFT|BMT|20250302||ORU^R01|X1|P|2.5.1\rPID|1||T001^^^H^MR\rOBX|1|NM|751-8^ANC^LN||0.7|10*3/uL|||||W|||202503010730\r' >"$T/w.hl7"
check "import hl7 W" 0 E import hl7 "$T/w.hl7"
contains "W: an update" "$T/out" "1 record: 0 inserted, 1 updated, 0 unchanged"
E export labs >"$T/labs3"
contains "W: entered in error" "$T/labs3" "T001,2025-03-01T07:30,ANC,0.7,10*3/uL,wrong result (HL7 OBX-11 W)"

# VXU^V04: an administered dose (lot, site, given by), a historical one,
# a refused one skipped, the OBX about the dose read past
check "import hl7 VXU" 0 E import hl7 "$H/vxu_doses.hl7"
contains "VXU counts" "$T/out" "2 messages, 2 records: 2 inserted, 0 updated, 0 unchanged; 1 skipped"
E export vaccinations >"$T/vx1"
contains "VXU: administered PCV13" "$T/vx1" "T001,133,2025-04-15,AB123,LD,Day Nurse,administered,,"
contains "VXU: historical influenza" "$T/vx1" "T001,150,2024-10-15,,,,historical,,"
lacks "VXU: refused dose not recorded" "$T/vx1" "T003"
check "import hl7 VXU again" 0 E import hl7 "$H/vxu_doses.hl7"
contains "VXU again: unchanged" "$T/out" "2 records: 0 inserted, 0 updated, 2 unchanged"
check "import hl7 RXA-21 D" 0 E import hl7 "$H/vxu_delete.hl7"
E export vaccinations >"$T/vx2"
contains "RXA-21 D: entered in error" "$T/vx2" "T001,133,2025-04-15,AB123,LD,Day Nurse,administered,,deleted by the sender (HL7 RXA-21 D)"

# every error names its line and field; nothing is imported
E export labs >"$T/before"
E export vaccinations >>"$T/before"
check "import hl7 bad" 3 E import hl7 "$H/oru_bad.hl7"
B=$H/oru_bad.hl7
contains "unknown MRN" "$T/err" "engraft: $B:2: PID-3: unknown MRN 'NOSUCH' (import the patient first)"
contains "unmapped LOINC" "$T/err" "engraft: $B:7: OBX-3: LOINC 2345-7 is not in loinc.csv"
contains "blank OBX-3" "$T/err" "engraft: $B:8: OBX-3: required value is empty"
contains "bad date" "$T/err" "engraft: $B:9: OBX-14: '2025-02-30' is not a real date"
contains "bad unit" "$T/err" "engraft: $B:10: OBX-6: 'mmol/L' is not a unit for PLT"
contains "value type" "$T/err" "engraft: $B:11: OBX-2: value type 'ST' is not imported"
contains "summary" "$T/err" "engraft: $B: 6 problems; nothing imported"
equals "problems told in the order of the file" "2 7 8 9 10 11" "$(grep -o 'oru_bad.hl7:[0-9]*:' "$T/err" | cut -d: -f2 | paste -sd' ')"
E export labs >"$T/after"
E export vaccinations >>"$T/after"
same "bad file: nothing imported" "$T/before" "$T/after"

# a good message and a bad one in one file: all or nothing
{ cat "$H/oru_crlf.hl7"; printf 'MSH|^~\\&|LIS|LAB|E|B|20250302||ORU^R01|X2|P|2.5.1\rPID|1||T003^^^H^MR\rOBX|1|NM|718-7^HGB^LN||99|g/dL|||||F|||20250301\r'; } >"$T/mixed.hl7"
E export labs >"$T/before"
check "one bad record rejects the file" 3 E import hl7 "$T/mixed.hl7"
contains "implausible value named" "$T/err" "mixed.hl7:8: OBX-5: 99 g/dL is outside the plausible range for HGB"
E export labs >"$T/after"
same "mixed file: nothing imported" "$T/before" "$T/after"

# the future, a message type engraft does not read, malformed text
printf 'MSH|^~\\&|L|L|E|B|20250302||ORU^R01|X3|P|2.5.1\nPID|1||T001^^^H^MR\nOBX|1|NM|751-8^ANC^LN||1.0|10*9/L|||||F|||29990101\n' >"$T/future.hl7"
check "future collection refused" 3 E import hl7 "$T/future.hl7"
contains "future: line and field" "$T/err" "future.hl7:3: OBX-14: 2999-01-01 is in the future"
printf 'MSH|^~\\&|ADT|H|E|B|20250302||ADT^A01|X4|P|2.5.1\nPID|1||T001^^^H^MR\n' >"$T/adt.hl7"
check "ADT refused" 3 E import hl7 "$T/adt.hl7"
contains "ADT: MSH-9" "$T/err" "adt.hl7:1: MSH-9: message type 'ADT^A01' is not imported (ORU^R01 lab results, VXU^V04 immunizations)"
printf 'PID|1||T001\n' >"$T/nomsh.hl7"
check "no MSH refused" 3 E import hl7 "$T/nomsh.hl7"
contains "no MSH: line" "$T/err" "nomsh.hl7:1: segment PID comes before any MSH"
printf 'MSH|^~\\&|L|L|E|B|20250302||ORU^R01|X5|P|2.5.1\rPID|1||T001^^^H^MR\rOBX|1|NM|751-8^ANC^LN||1.0|10\\Q\\9/L|||||F|||20250301\r' >"$T/esc.hl7"
check "bad escape refused" 3 E import hl7 "$T/esc.hl7"
contains "bad escape: line and field" "$T/err" "esc.hl7:3: OBX-6: unsupported escape sequence"
: >"$T/empty.hl7"
check "empty file refused" 3 E import hl7 "$T/empty.hl7"
contains "empty: says so" "$T/err" "empty.hl7:1: empty file: no HL7 message (MSH)"
check "missing file" 3 E import hl7 "$T/nosuch.hl7"

# numbers never depend on the locale
if locale -a 2>/dev/null | grep -qi '^de_DE\.utf-\?8$'; then
	rm -rf "$T/db"
	E import patients "$DATA/patients.csv" >/dev/null
	check "de_DE: import hl7" 0 env LC_ALL=de_DE.UTF-8 "$ENGRAFT" --db "$DB" import hl7 "$H/oru_cbc.hl7"
	E export labs >"$T/labs-de"
	same "de_DE: same rows" "$T/want" "$T/labs-de"
fi

# the help names the mapping
check "import hl7 --help" 0 E import hl7 --help
contains "help: the mapping" "$T/out" "OBX-11  F stored, C corrects, W entered in error, P I X skipped"
finish
