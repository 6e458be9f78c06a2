#!/usr/bin/env bash
# engraft export fhir and import fhir. Export: a FHIR R4 Bundle checked against the R4 structure a
# test can check without a FHIR server (resourceType, required elements,
# codings, references that resolve inside the bundle, no empty elements,
# ids), with the values of the record: LOINC codes of loinc.csv, UCUM
# units, comparators, local time with its UTC offset, entered-in-error,
# primarySource; the same bytes under a decimal-comma locale and twice.
# Import: a Synthea-style bundle (tests/data/fhir), each error with its
# entry and element, nothing written; the round trip export fhir -> import
# fhir into a fresh database reproduces the results and doses.
# usage: fhir.sh ENGRAFT_BINARY DATA_DIR
set -u
ENGRAFT=$1
DATA=$2
umask 077
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/lib.sh"
E() { "$ENGRAFT" --db "$T/db/engraft.db" "$@"; }

for k in patients transplants labs vaccinations gvhd-acute gvhd-chronic; do
	check "import $k" 0 E import "$k" "$DATA/$k.csv"
done
check "import hl7 ORU" 0 E import hl7 "$DATA/hl7/oru_cbc.hl7"
check "import hl7 VXU" 0 E import hl7 "$DATA/hl7/vxu_doses.hl7"
printf 'MSH|^~\\&|L|L|E|B|20250302||ORU^R01|W1|P|2.5.1\rPID|1||T001^^^H^MR\rOBX|1|NM|777-3^PLT^LN||18|10*3/uL|||||W|||202503010730\r' >"$T/w.hl7"
check "import hl7 W" 0 E import hl7 "$T/w.hl7"

check "export fhir" 0 env TZ=Europe/Berlin "$ENGRAFT" --db "$T/db/engraft.db" export fhir -o "$T/bundle.json"
check "export fhir again" 0 env TZ=Europe/Berlin "$ENGRAFT" --db "$T/db/engraft.db" export fhir
same "the same record gives the same bundle" "$T/bundle.json" "$T/out"
if locale -a 2>/dev/null | grep -qi '^de_DE\.utf-\?8$'; then
	check "export fhir de_DE" 0 env TZ=Europe/Berlin LC_ALL=de_DE.UTF-8 "$ENGRAFT" --db "$T/db/engraft.db" export fhir
	same "de_DE: the same bytes" "$T/bundle.json" "$T/out"
fi

cat >"$T/check.py" <<'PY'
import json, re, sys
b = json.load(open(sys.argv[1]))
problems = []
def want(cond, msg):
    if not cond:
        problems.append(msg)
def no_empty(x, path):
    if isinstance(x, dict):
        want(len(x) > 0, path + ": empty object")
        for k, v in x.items():
            no_empty(v, path + "." + k)
    elif isinstance(x, list):
        want(len(x) > 0, path + ": empty array")
        for i, v in enumerate(x):
            no_empty(v, "%s[%d]" % (path, i))
    elif isinstance(x, str):
        want(x.strip() != "", path + ": empty string")
want(b.get("resourceType") == "Bundle", "not a Bundle")
want(b.get("type") == "collection", "Bundle.type is not collection")
no_empty(b, "Bundle")
urls = {}
ids = set()
DATE = r"\d{4}-\d{2}-\d{2}"
DT = DATE + r"(T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2}))?$"
for i, e in enumerate(b["entry"]):
    r = e["resource"]
    want(re.match(r"^[A-Za-z0-9\-.]{1,64}$", r.get("id", "")), "entry %d: bad id" % i)
    want(e.get("fullUrl") == "urn:uuid:" + r["id"], "entry %d: fullUrl is not urn:uuid:id" % i)
    want(r["id"] not in ids, "entry %d: id repeated" % i)
    ids.add(r["id"])
    urls[e["fullUrl"]] = r
def ref(r, field, i):
    u = r.get(field, {}).get("reference")
    want(u in urls and urls[u]["resourceType"] == "Patient", "entry %d: %s does not resolve to a Patient" % (i, field))
    return urls.get(u, {})
loinc = dict(l.split(",")[0:2] for l in open(sys.argv[2]).read().splitlines()[1:])
count = {}
for i, e in enumerate(b["entry"]):
    r = e["resource"]
    t = r["resourceType"]
    count[t] = count.get(t, 0) + 1
    if t == "Patient":
        ident = r["identifier"][0]
        want(ident["type"]["coding"][0]["code"] == "MR", "Patient: identifier type not MR")
        want(r.get("gender") in ("male", "female", "other", "unknown"), "Patient: gender")
        want(re.match(DATE + "$", r.get("birthDate", "")), "Patient: birthDate")
    elif t == "Observation":
        want(r.get("status") in ("final", "entered-in-error"), "Observation %d: status" % i)
        want(r["category"][0]["coding"][0]["code"] == "laboratory", "Observation %d: category" % i)
        c = r["code"]["coding"][0]
        want(c["system"] == "http://loinc.org" and loinc.get(c["code"]) == r["code"]["text"],
             "Observation %d: LOINC %s is not loinc.csv's code of %s" % (i, c["code"], r["code"]["text"]))
        ref(r, "subject", i)
        want(re.match(DT, r.get("effectiveDateTime", "")), "Observation %d: effectiveDateTime %s" % (i, r.get("effectiveDateTime")))
        q = r["valueQuantity"]
        want(isinstance(q["value"], (int, float)), "Observation %d: value is not a number" % i)
        want(q["system"] == "http://unitsofmeasure.org" and q["code"] == q["unit"], "Observation %d: UCUM" % i)
        want(q.get("comparator", "<") in ("<", ">"), "Observation %d: comparator" % i)
    elif t == "Immunization":
        want(r.get("status") in ("completed", "entered-in-error"), "Immunization %d: status" % i)
        vc = r["vaccineCode"]
        want("coding" in vc and vc["coding"][0]["system"] == "http://hl7.org/fhir/sid/cvx" or "text" in vc, "Immunization %d: vaccineCode" % i)
        ref(r, "patient", i)
        want(re.match(DT, r.get("occurrenceDateTime", "")), "Immunization %d: occurrenceDateTime" % i)
        want(isinstance(r.get("primarySource"), bool), "Immunization %d: primarySource" % i)
    elif t == "Condition":
        ref(r, "subject", i)
        want(r["verificationStatus"]["coding"][0]["code"] in ("confirmed", "entered-in-error"), "Condition %d: verificationStatus" % i)
        want("graft-versus-host" in r["code"]["text"], "Condition %d: code" % i)
        want(r["stage"][0]["summary"]["text"], "Condition %d: stage" % i)
    else:
        want(False, "entry %d: unexpected %s" % (i, t))
for p in problems[:20]:
    print("R4: " + p)
print(" ".join("%s=%d" % kv for kv in sorted(count.items())))
sys.exit(1 if problems else 0)
PY
check "the bundle has the R4 structure" 0 python3 "$T/check.py" "$T/bundle.json" "$(dirname "$0")/../../assets/loinc.csv"
P=$(E export patients | tail -n +2 | grep -c '^T')
contains "every patient, lab, dose" "$T/out" "Condition="
L=$(E export labs | tail -n +2 | wc -l)
V=$(E export vaccinations | tail -n +2 | wc -l)
contains "one Observation per lab result" "$T/out" "Observation=$L"
contains "one Immunization per dose" "$T/out" "Immunization=$V"
contains "one Patient per patient" "$T/out" "Patient=$P"

# values: what the checker cannot know
J=$T/bundle.json
py() { python3 -c "import json,sys; b=json.load(open('$J')); R=[e['resource'] for e in b['entry']]; $1"; }
equals "comparator <: ALC <0.1 of T001" "<0.1" "$(py "print(*[r['valueQuantity'].get('comparator','')+str(r['valueQuantity']['value']) for r in R if r['resourceType']=='Observation' and r['code']['text']=='ALC' and r['effectiveDateTime'].startswith('2025-03-01')])")"
equals "local time with its offset (Berlin, winter)" "2025-03-01T07:30:00+01:00" "$(py "print(sorted(set(r['effectiveDateTime'] for r in R if r['resourceType']=='Observation' and r['code']['text']=='WBC'))[0])")"
equals "entered in error (OBX-11 W)" "entered-in-error" "$(py "print(*[r['status'] for r in R if r['resourceType']=='Observation' and r['code']['text']=='PLT' and r['effectiveDateTime'].startswith('2025-03-01T07:30')])")"
equals "a unit that is not UCUM: the canonical value (K/uL)" "True" "$(py "print(all(r['valueQuantity']['code'] in ('10*9/L','10*3/uL','/uL','/mm3','g/L','g/dL','mg/dL','umol/L','{cells}/uL') for r in R if r['resourceType']=='Observation'))")"
equals "administered: primarySource true; historical false" "True False" "$(py "d={r['occurrenceDateTime']+r['vaccineCode'].get('coding',[{'code':r['vaccineCode'].get('text')}])[0]['code']: r['primarySource'] for r in R if r['resourceType']=='Immunization'}; print(d['2025-04-15133'], d['2024-10-15150'])")"
equals "lot and site of the administered dose" "AB123 LD" "$(py "print(*[r['lotNumber']+' '+r['site']['text'] for r in R if r['resourceType']=='Immunization' and r.get('primarySource')])")"

check "export fhir --mrn T002" 0 E export fhir --mrn T002
python3 -c "import json,sys; b=json.load(open('$T/out')); sys.exit(0 if all(e['resource'].get('identifier',[{'value':'T002'}])[0]['value']=='T002' for e in b['entry']) else 1)" &&
	pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: --mrn T002: another patient in the bundle"; }
check "export fhir --mrn unknown" 3 E export fhir --mrn NOSUCH
contains "unknown MRN named" "$T/err" "export fhir: unknown MRN 'NOSUCH'"
check "export fhir --as-of refused" 2 E export fhir --as-of 2025-01-01

# ---- import fhir ----
F=$DATA/fhir
B() { TZ=Europe/Berlin "$ENGRAFT" --db "$T/b/engraft.db" "$@"; }
check "B: patients" 0 B import patients "$DATA/patients.csv"
check "import fhir, Synthea style" 0 B import fhir "$F/synthea_style.json"
contains "Synthea style: counts" "$T/out" \
	"synthea_style.json: 1 patient, 3 records: 3 inserted, 0 updated, 0 unchanged; 2 skipped (status), 1 observations not followed (no LOINC code of loinc.csv), 2 other resources"
B export labs >"$T/b-labs"
contains "an instant with its offset becomes local time" "$T/b-labs" "T001,2025-06-02T16:00:00,HGB,11.2,g/dL,"
contains "an integer value" "$T/b-labs" "T001,2025-06-02T16:00:00,WBC,3,10*3/uL,"
B export vaccinations >"$T/b-vx"
contains "primarySource without lot and site: historical" "$T/b-vx" "T001,140,2025-06-02,,,,historical,,"
check "import fhir again" 0 B import fhir "$F/synthea_style.json"
contains "again: unchanged" "$T/out" "3 records: 0 inserted, 0 updated, 3 unchanged"
check "B: audit verify" 0 B audit verify
B export labs >"$T/before"
check "import fhir, every error" 3 B import fhir "$F/bad.json"
X=$F/bad.json
contains "unknown MRN" "$T/err" "engraft: $X: entry[2] Observation.subject: unknown MRN 'NOSUCH' (import the patient first)"
contains "reference outside the bundle" "$T/err" "entry[3] Observation.subject: 'urn:uuid:nobody' is not a Patient of this bundle"
contains "time without offset" "$T/err" "entry[4] Observation.effectiveDateTime: '2025-03-01T08:00:00' is not a FHIR dateTime"
contains "no valueQuantity" "$T/err" "entry[5] Observation.valueQuantity: required: a number with its unit (LOINC 777-3 is PLT)"
contains "unit refused" "$T/err" "entry[6] Observation.valueQuantity.code: 'mmol/L' is not a unit for PLT"
contains "comparator >=" "$T/err" "entry[7] Observation.valueQuantity.comparator: '>=' cannot be kept"
contains "no CVX coding, text not a series code" "$T/err" "entry[8] Immunization.vaccineCode: 'flu shot' is neither a vaccine series code"
contains "unknown CVX" "$T/err" "entry[9] Immunization.vaccineCode: '99999' is neither a vaccine series code"
contains "future" "$T/err" "entry[9] Immunization.occurrenceDateTime: 2099-03-01 is in the future"
contains "summary" "$T/err" "engraft: $X: 9 problems; nothing imported"
equals "problems told in the order of the entries" "2 3 4 5 6 7 8 9 9" "$(grep -o 'entry\[[0-9]*\]' "$T/err" | tr -dc '0-9\n' | paste -sd' ')"
B export labs >"$T/after"
same "bad bundle: nothing imported" "$T/before" "$T/after"
printf '{"resourceType": "Bundle", "entry": [' >"$T/broken.json"
check "not JSON" 3 B import fhir "$T/broken.json"
contains "not JSON: file and line" "$T/err" "broken.json:1: not JSON"
printf '{"resourceType": "Patient"}' >"$T/patient.json"
check "not a Bundle" 3 B import fhir "$T/patient.json"
contains "not a Bundle: says so" "$T/err" "not a FHIR Bundle with entries (resourceType 'Patient')"

# the round trip: A's bundle into a fresh database C with the same patients
C() { TZ=Europe/Berlin "$ENGRAFT" --db "$T/c/engraft.db" "$@"; }
check "C: patients" 0 C import patients "$DATA/patients.csv"
check "C: import fhir of A's export" 0 C import fhir "$T/bundle.json"
rows() { # the rows of a kind, times with their seconds, values canonical, marks as marked
	python3 -c '
import csv, sys
for row in csv.DictReader(sys.stdin):
    if "collected_on" in row and len(row["collected_on"]) == 16:
        row["collected_on"] += ":00"
    if row.get("entered_in_error"):
        row["entered_in_error"] = "marked"
    if "source" in row and (row["source"] or "historical") == "administered" and not (row["lot"] and row["site"]):
        row["source"] = "historical"
    if "source" in row and not row["source"]:
        row["source"] = "historical"
    row.pop("override_reason", None)
    print(repr(sorted(row.items())))
'
}
E export vaccinations | rows >"$T/a-vx"
C export vaccinations | rows >"$T/c-vx"
same "round trip: the doses" "$T/a-vx" "$T/c-vx"
# every result comes back at its patient, time and test; one recorded in a
# UCUM unit with its value (a number: 2.0 comes back as 2) and unit; one in
# another unit converted to the canonical one (checked above)
E export labs >"$T/a-labs"
C export labs >"$T/c-labs"
check "round trip: the results" 0 python3 - "$T/a-labs" "$T/c-labs" <<'PY'
import csv, sys
UCUM = {"10*9/L", "10*3/uL", "/uL", "/mm3", "g/L", "g/dL", "mg/dL", "umol/L"}
def load(path):
    out = {}
    for r in csv.DictReader(open(path)):
        t = r["collected_on"] + (":00" if len(r["collected_on"]) == 16 else "")
        out[(r["mrn"], t, r["test"])] = r
    return out
a, c = load(sys.argv[1]), load(sys.argv[2])
bad = 0
if set(a) != set(c):
    print("keys differ:", sorted(set(a) ^ set(c))); bad = 1
for k, ra in a.items():
    rc = c.get(k)
    if not rc:
        continue
    if bool(ra["entered_in_error"]) != bool(rc["entered_in_error"]):
        print("mark differs", k); bad = 1
    if ra["unit"] in UCUM:
        num = lambda v: (v[0] if v[0] in "<>" else "", float(v.lstrip("<>")))
        if ra["unit"] != rc["unit"] or num(ra["value"]) != num(rc["value"]):
            print("value differs", k, ra["value"], ra["unit"], rc["value"], rc["unit"]); bad = 1
sys.exit(bad)
PY
check "C: import it again" 0 C import fhir "$T/bundle.json"
contains "C: again unchanged" "$T/out" " 0 inserted, 0 updated,"
# a very small number comes as a plain decimal (JSON may write 5e-05);
# a dateTime with a sign where a digit goes is refused
printf '{"resourceType":"Bundle","entry":[{"fullUrl":"urn:uuid:p","resource":{"resourceType":"Patient","identifier":[{"value":"T003"}]}},{"resource":{"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"2160-0"}]},"subject":{"reference":"urn:uuid:p"},"effectiveDateTime":"2025-03-01","valueQuantity":{"value":5e-05,"code":"mg/dL"}}}]}' >"$T/small.json"
check "a small number" 0 C import fhir "$T/small.json"
C export labs --mrn T003 >"$T/c3"
contains "a small number as a plain decimal" "$T/c3" "T003,2025-03-01,CREAT,0.00005,mg/dL,"
sed 's/"2025-03-01"/"2025-+3-01T10:00:00Z"/' "$T/small.json" >"$T/sign.json"
check "a sign in a dateTime" 3 C import fhir "$T/sign.json"
contains "a sign in a dateTime: named" "$T/err" "entry[1] Observation.effectiveDateTime: '2025-+3-01T10:00:00Z' is not a FHIR dateTime"
finish
