-- 004_alerts: one alert per (patient, rule, subject), kept for its whole life
-- under a stable alert_id (design.md "Rules and alerts"), and the history of
-- what happened to it. `check` opens, keeps, reopens and resolves alerts
-- (core/alertstate.c decides); `ack` acknowledges them.

CREATE TABLE alerts (
  alert_id        INTEGER PRIMARY KEY,
  patient_id      INTEGER NOT NULL REFERENCES patients(id),
  rule            TEXT NOT NULL CHECK (rule IN ('NEUTROPHIL_ENGRAFTMENT_MISSED', 'PLATELET_ENGRAFTMENT_DELAYED',
                  'SECONDARY_GRAFT_FAILURE', 'IMMUNE_MILESTONE_MISSED', 'IGG_LOW', 'LAB_MONITORING_OVERDUE',
                  'VACCINE_DUE', 'VACCINE_OVERDUE', 'LIVE_VACCINE_CONTRAINDICATED', 'GVHD_SEVERE')),
  subject         TEXT NOT NULL CHECK (length(subject) BETWEEN 1 AND 31),
  severity        TEXT NOT NULL CHECK (severity IN ('critical', 'warning', 'info')),
  status          TEXT NOT NULL CHECK (status IN ('open', 'acknowledged', 'resolved')),
  raised_on       TEXT NOT NULL CHECK (date(raised_on) IS raised_on),     -- last opened or reopened
  due_on          TEXT CHECK (due_on IS NULL OR date(due_on) IS due_on),
  resolved_on     TEXT CHECK (resolved_on IS NULL OR date(resolved_on) IS resolved_on),
  acknowledged_by TEXT CHECK (acknowledged_by IS NULL OR length(acknowledged_by) BETWEEN 1 AND 127),
  acknowledged_on TEXT CHECK (acknowledged_on IS NULL OR date(acknowledged_on) IS acknowledged_on),
  reason          TEXT CHECK (reason IS NULL OR length(reason) BETWEEN 1 AND 1000),
  until           TEXT CHECK (until IS NULL OR date(until) IS until),
  message         TEXT NOT NULL CHECK (length(message) BETWEEN 1 AND 1000),
  UNIQUE (patient_id, rule, subject),
  CHECK (status <> 'acknowledged' OR (acknowledged_by IS NOT NULL AND acknowledged_on IS NOT NULL
                                      AND reason IS NOT NULL)),
  CHECK (status <> 'resolved' OR resolved_on IS NOT NULL)
) STRICT;

CREATE INDEX alerts_status ON alerts (status, patient_id);

CREATE TABLE alert_history (
  id        INTEGER PRIMARY KEY,
  alert_id  INTEGER NOT NULL REFERENCES alerts(alert_id),
  on_day    TEXT NOT NULL CHECK (date(on_day) IS on_day),   -- as-of date of the check, or the ack date
  at        TEXT NOT NULL,                                  -- UTC, YYYY-MM-DDTHH:MM:SSZ
  user      TEXT NOT NULL,
  event     TEXT NOT NULL CHECK (event IN ('opened', 'reopened', 'resolved', 'acknowledged')),
  status    TEXT NOT NULL CHECK (status IN ('open', 'acknowledged', 'resolved')),
  message   TEXT,
  reason    TEXT,
  until     TEXT CHECK (until IS NULL OR date(until) IS until)
) STRICT;

CREATE INDEX alert_history_alert ON alert_history (alert_id, id);

PRAGMA user_version = 4;
