#!/usr/bin/env bash
# End-to-end tests of check, alerts, due, ack and the derived exports
# through the real binary, on the CSV fixtures.
# usage: rules.sh ENGRAFT_BINARY DATA_DIR ASSETS_DIR
set -u
ENGRAFT=$1
DATA=$2
ASSETS=$3
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. "$(dirname "$0")/lib.sh"




DB="$T/engraft.db"
E() { "$ENGRAFT" --db "$DB" "$@"; }
ME=$(id -un)

for k in patients transplants labs transfusions vaccinations gvhd-acute gvhd-chronic immunosuppression ivig; do
	E import "$k" "$DATA/$k.csv" >/dev/null || { fail=$((fail + 1)); echo "FAIL: import $k"; }
done

# check: counts, then nothing new on a second run
check "check" 0 E check --as-of 2025-10-01
contains "check counts" "$T/out" "opened "
grep -Eq '^opened [1-9][0-9]*, kept 0, reopened 0, resolved 0$' "$T/out" && pass=$((pass + 1)) ||
	{ fail=$((fail + 1)); echo "FAIL: first check: $(cat "$T/out")"; }
opened=$(sed -E 's/^opened ([0-9]+),.*/\1/' "$T/out")
check "check again" 0 E check --as-of 2025-10-01
contains "check again keeps" "$T/out" "opened 0, kept $opened, reopened 0, resolved 0"

# alerts: the worked-case-style findings of the fixtures (docs/clinical-rules.md s.18)
check "alerts" 0 E alerts --as-of 2025-10-01
contains "graft failure" "$T/out" "NEUTROPHIL_ENGRAFTMENT_MISSED 2025-01-15"
contains "graft failure message" "$T/out" "no ANC >= 0.5 x10^9/L by day +28 (2025-02-12)"
contains "CD4 milestone" "$T/out" "IR-CD4-180"
contains "IgG low" "$T/out" "IgG 350 mg/dL on 2025-07-14 < 400"
contains "GVHD severe" "$T/out" "GVHD_SEVERE"
head -2 "$T/out" | grep -q critical && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: critical first"; }

# export alerts: every column, one row per alert
check "export alerts" 0 E export alerts
contains "alerts header" "$T/out" "alert_id,mrn,rule,subject,severity,status,raised_on,due_on,acknowledged_by,acknowledged_on,reason,until,message"
[ "$(($(wc -l <"$T/out") - 1))" -eq "$opened" ] && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: export alerts rows"; }
id=$(grep ',IGG_LOW,IGG,' "$T/out" | cut -d, -f1)

# ack: usage errors, unknown id, then a real one, replayed on the day of
# the check above (--as-of) until the next day; the checks below run on
# later days, all in the past: alert state is never dated after today
check "ack without reason" 2 E ack "$id"
check "ack bad id" 2 E ack abc --reason x
check "ack unknown id" 3 E ack 99999 --reason x
contains "ack unknown message" "$T/err" "engraft: no alert 99999"
check "ack past until" 2 E ack "$id" --reason x --until 2000-01-01
tomorrow=2025-10-02
later=2025-10-05
check "ack" 0 E ack "$id" --reason "IVIG ordered" --as-of 2025-10-01 --until "$tomorrow"
contains "ack message" "$T/out" "alert $id acknowledged until $tomorrow"
E export alerts >"$T/alerts.csv"
contains "ack recorded" "$T/alerts.csv" ",acknowledged,"
contains "ack by user" "$T/alerts.csv" ",$ME,"
contains "ack reason" "$T/alerts.csv" ",IVIG ordered,$tomorrow,"
check "alerts hides acknowledged" 0 E alerts --as-of 2025-10-01
lacks "acknowledged not listed" "$T/out" "IGG_LOW"
check "alerts --all" 0 E alerts --as-of 2025-10-01 --all
contains "alerts --all lists it" "$T/out" "acknowledged"
check "check through until" 0 E check --as-of "$tomorrow"
E export alerts >"$T/alerts.csv"
grep "^$id," "$T/alerts.csv" | grep -q ",acknowledged," && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: still acknowledged"; }
check "check after until" 0 E check --as-of "$later"
contains "reopened" "$T/out" "reopened 1,"
E export alerts --as-of "$later" >"$T/alerts.csv"
grep "^$id," "$T/alerts.csv" | grep -q ",IGG_LOW,IGG,warning,open,$later," && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: reopened with same id"; grep "^$id," "$T/alerts.csv"; }

# a finding that stops holding resolves its alert
printf 'mrn,collected_on,test,value,unit\nT001,2025-10-02,IGG,5.2,g/L\n' >"$T/igg.csv"
E import labs "$T/igg.csv" >/dev/null
check "check resolves" 0 E check --as-of "$later"
contains "resolved 1" "$T/out" "resolved 1"
E export alerts --as-of "$later" >"$T/alerts.csv"
grep "^$id," "$T/alerts.csv" | grep -q ",resolved," && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: resolved"; }
check "ack resolved" 3 E ack "$id" --reason x

# a replay in the past: ack --as-of D --until U, then check around U
nid=$(E export alerts | grep ',NEUTROPHIL_ENGRAFTMENT_MISSED,2025-01-15,' | cut -d, -f1)
check "ack --as-of" 0 E ack "$nid" --reason "review booked" --as-of 2025-03-01 --until 2025-03-10
check "ack until before as-of" 2 E ack "$nid" --reason x --as-of 2025-03-01 --until 2025-02-01
check "check within until" 0 E check --as-of 2025-03-05 --mrn T001
E export alerts >"$T/alerts.csv"
grep "^$nid," "$T/alerts.csv" | grep ",acknowledged," | grep -q ",$ME,2025-03-01,review booked,2025-03-10," && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: replay ack"; grep "^$nid," "$T/alerts.csv"; }
check "check after until (replay)" 0 E check --as-of 2025-03-11 --mrn T001
E export alerts >"$T/alerts.csv"
grep "^$nid," "$T/alerts.csv" | grep -q ",critical,open,2025-03-11," && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: replay reopen"; grep "^$nid," "$T/alerts.csv"; }

# nothing is dated after today: check --as-of a later day is a usage
# error and writes nothing; the read-only views may preview it
future=$(date -d '+1 day' +%F)
E export alerts >"$T/before.csv"
cp "$DB" "$T/before.db"
check "check in the future" 2 E check --as-of "$future"
contains "future check message" "$T/err" "is after today: alert state is never dated in the future"
cmp -s "$DB" "$T/before.db" && pass=$((pass + 1)) || { fail=$((fail + 1)); echo "FAIL: future check changed the database"; }
check "future check --mrn" 2 E check --as-of "$future" --mrn T001
check "alerts preview the future" 0 E alerts --as-of "$future"
check "due previews the future" 0 E due --as-of "$future"
check "export previews the future" 0 E export alerts --as-of "$future"
check "ack dated in the future" 2 E ack "$nid" --reason x --as-of "$future"
check "demo in the future" 2 E demo --patients 1 --as-of "$future"

# --mrn: one patient; unknown MRN is invalid input
check "check --mrn" 0 E check --as-of "$later" --mrn T002
check "check unknown mrn" 3 E check --mrn NOPE
contains "unknown mrn message" "$T/err" "engraft: no patient with MRN 'NOPE'"

# due: worklist, --within adds upcoming doses
check "due" 0 E due --as-of 2025-10-01
contains "due header" "$T/out" "MRN          NAME                     VACCINE  DOSE  DUE        STATUS   REASON"
contains "due overdue" "$T/out" "overdue  28 days after dose 2 on 2025-05-13"
contains "due blocked reason" "$T/out" "blocked  transplant 2025-01-15 < 24 months; on immunosuppression (prednisone since 2025-02-10)"
lacks "no upcoming without --within" "$T/out" "upcoming"
check "due --within" 0 E due --as-of 2025-10-01 --within 90
contains "upcoming with --within" "$T/out" "upcoming"
check "due bad --within" 2 E due --within -3

# derived exports
check "export due" 0 E export due --as-of 2025-10-01 --mrn T001
contains "due columns" "$T/out" "mrn,vaccine,dose,due_on,status,reason"
contains "due PCV:3" "$T/out" "T001,PCV,3,2025-06-10,overdue,28 days after dose 2 on 2025-05-13"
contains "due MMR blocked, no date" "$T/out" "T001,MMR,1,,blocked,"
check "export engraftment" 0 E export engraftment --as-of 2025-10-01
contains "engraftment columns" "$T/out" "mrn,transplant_date,anc_date,anc_day,plt_date,plt_day,status"
contains "engraftment T001" "$T/out" "T001,2025-01-15,,,,,graft_failure"
contains "engraftment T002" "$T/out" "T002,2025-03-01,,,,,not_applicable"
check "export gvhd" 0 E export gvhd
contains "gvhd columns" "$T/out" "mrn,assessed_on,kind,grade"
contains "gvhd acute" "$T/out" "T001,2025-02-10,acute,III"
contains "gvhd chronic" "$T/out" "T002,2025-08-01,chronic,severe"
check "export gvhd as of" 0 E export gvhd --as-of 2025-03-01
lacks "gvhd as of" "$T/out" "2025-08-01"

# a site's reference data: a stricter ANC threshold; a bad file changes nothing
mkdir -p "$T/site"
cp "$ASSETS"/*.csv "$T/site/"
sed -i 's/^primary_graft_failure_day_peripheral_blood,28,/primary_graft_failure_day_peripheral_blood,1000,/' "$T/site/parameters.csv"
check "init --assets" 0 E init --assets "$T/site"
check "check with site data" 0 E check --as-of "$later"
E export alerts --as-of "$later" >"$T/alerts.csv"
grep ',NEUTROPHIL_ENGRAFTMENT_MISSED,2025-01-15,' "$T/alerts.csv" | grep -q ',resolved,' && pass=$((pass + 1)) ||
	{ fail=$((fail + 1)); echo "FAIL: site deadline day 1000 should resolve the graft-failure alert"; }
sed -i 's/^anc_threshold,0.5,/anc_threshold,zero,/' "$T/site/parameters.csv"
check "bad site assets" 3 E init --assets "$T/site"
contains "bad asset message" "$T/err" "parameters.csv:2: value: anc_threshold must be a number > 0, not 'zero'"
check "old data kept" 0 E check --as-of "$later"
contains "old data kept counts" "$T/out" "opened 0"
# the live flags the live-vaccine gate depends on cannot be edited away
cp "$ASSETS"/*.csv "$T/site/"
sed -i 's/^\(MMR,[12],[a-z_;]*,[^"]*\),1,,0,/\1,0,,0,/' "$T/site/vaccine_schedule.csv"
grep -q '^MMR,1,autologous;allogeneic;syngeneic,24,,,,,,,,0,' "$T/site/vaccine_schedule.csv" || { fail=$((fail + 1)); echo "FAIL: the MMR edit did not apply"; }
check "MMR made non-live" 3 E init --assets "$T/site"
contains "MMR live message" "$T/err" "vaccine_schedule: MMR dose 1 has live 0, but MMR is a live vaccine"
cp "$ASSETS"/vaccine_schedule.csv "$T/site/"
sed -i 's/^03,MMR,1,/03,MMR,0,/' "$T/site/cvx.csv"
check "MMR CVX made non-live" 3 E init --assets "$T/site"
contains "CVX live message" "$T/err" "cvx: 03 counts toward MMR, a live series, so it must be live"
check "still the old data" 0 E check --as-of "$later"
contains "still old counts" "$T/out" "opened 0"

finish
