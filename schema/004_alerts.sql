-- 004_alerts: one alert per (patient, rule, subject), kept for its whole life
-- under a stable alert_id (docs/clinical-rules.md s.14.2), and the history of
-- what happened to it. `check` opens, keeps, reopens and resolves alerts
-- (core/alertstate.c decides); `ack` acknowledges them. A first `check` of a
-- large cohort writes many rows at once, so (as for lab_results) the CHECKs
-- are equality chains and length tests, not IN lists or date() calls; dates
-- are written by the program from ef_day values.

CREATE TABLE alerts (
  alert_id        INTEGER PRIMARY KEY,
  patient_id      INTEGER NOT NULL REFERENCES patients(id),
  rule            TEXT NOT NULL,
  subject         TEXT NOT NULL,
  severity        TEXT NOT NULL,
  status          TEXT NOT NULL,           -- open, acknowledged, resolved
  raised_on       TEXT NOT NULL,           -- as-of date it was last opened or reopened
  due_on          TEXT,
  resolved_on     TEXT,
  acknowledged_by TEXT,
  acknowledged_on TEXT,
  reason          TEXT,
  until           TEXT,                    -- acknowledged through this date (NULL: no limit)
  message         TEXT NOT NULL,
  UNIQUE (patient_id, rule, subject),
  CHECK ((rule = 'NEUTROPHIL_ENGRAFTMENT_MISSED' OR rule = 'PLATELET_ENGRAFTMENT_DELAYED'
      OR rule = 'SECONDARY_GRAFT_FAILURE' OR rule = 'IMMUNE_MILESTONE_MISSED' OR rule = 'IGG_LOW'
      OR rule = 'LAB_MONITORING_OVERDUE' OR rule = 'VACCINE_DUE' OR rule = 'VACCINE_OVERDUE'
      OR rule = 'LIVE_VACCINE_CONTRAINDICATED' OR rule = 'GVHD_SEVERE')
    AND length(subject) BETWEEN 1 AND 31
    AND (severity = 'critical' OR severity = 'warning' OR severity = 'info')
    AND (status = 'open' OR status = 'acknowledged' OR status = 'resolved')
    AND length(raised_on) = 10
    AND (due_on IS NULL OR length(due_on) = 10)
    AND (resolved_on IS NULL OR length(resolved_on) = 10)
    AND (acknowledged_by IS NULL OR length(acknowledged_by) BETWEEN 1 AND 127)
    AND (acknowledged_on IS NULL OR length(acknowledged_on) = 10)
    AND (reason IS NULL OR length(reason) BETWEEN 1 AND 1000)
    AND (until IS NULL OR length(until) = 10)
    AND length(message) BETWEEN 1 AND 1000
    AND (status <> 'acknowledged' OR (acknowledged_by IS NOT NULL AND acknowledged_on IS NOT NULL
                                      AND reason IS NOT NULL))
    AND (status <> 'resolved' OR resolved_on IS NOT NULL))
) STRICT;

CREATE INDEX alerts_status ON alerts (status, patient_id);

CREATE TABLE alert_history (
  id        INTEGER PRIMARY KEY,
  alert_id  INTEGER NOT NULL REFERENCES alerts(alert_id),
  on_day    TEXT NOT NULL,                 -- as-of date of the check, or the ack date
  at        TEXT NOT NULL,                 -- UTC, YYYY-MM-DDTHH:MM:SSZ
  user      TEXT NOT NULL,
  event     TEXT NOT NULL,                 -- opened, reopened, resolved, acknowledged
  status    TEXT NOT NULL,                 -- the alert's status after the event
  message   TEXT,
  reason    TEXT,
  until     TEXT,
  CHECK (length(on_day) = 10
    AND (event = 'opened' OR event = 'reopened' OR event = 'resolved' OR event = 'acknowledged')
    AND (status = 'open' OR status = 'acknowledged' OR status = 'resolved')
    AND (until IS NULL OR length(until) = 10))
) STRICT;

CREATE INDEX alert_history_alert ON alert_history (alert_id, id);

PRAGMA user_version = 4;
