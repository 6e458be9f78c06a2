-- 015_followup: the survivorship follow-up calendar (issue 16;
-- docs/formats.md "screening.csv", "registry_forms.csv", "followups").
--
-- 1. screening and registry_forms: the site-editable reference files
--    assets/screening.csv (late-effects screening items) and
--    assets/registry_forms.csv (a registry's follow-up forms: CIBMTR 2100 /
--    2450 time points). Column names are the CSV header names;
--    include/engraft/reference.h documents them; the core checks every row
--    before it is written and when it is read back (the CHECKs only keep
--    hand edits from storing nonsense). Rows are loaded by engraft on first
--    use after this migration (the compiled-in defaults) or by
--    init --assets, and enter the audit trail like the other reference
--    tables (010).
-- 2. The site parameters followup_grace_days and registry_track, for a
--    database that already has its parameters (as 011 did): a new database
--    gets them with the compiled-in defaults on first use.
-- 3. followups: a time point of the calendar done (CSV kind followups:
--    mrn, item, time_point, done_on, note, entered_in_error). Natural key
--    (patient, item, time_point). Audit triggers in the order of the kind's
--    description (include/engraft/columns.h, STORE_COLUMNS_FOLLOWUPS).
-- 4. The alerts table accepts the rule FOLLOWUP_OVERDUE (below).
-- 5. drafts accepts the follow-up form's (below).
-- (Number 015: 014 belongs to another branch; gaps are allowed.)

CREATE TABLE screening (
  item             TEXT    NOT NULL UNIQUE CHECK (length(item) BETWEEN 1 AND 23),
  name             TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 63),
  first_due_months INTEGER NOT NULL CHECK (first_due_months >= 1),
  interval_months  INTEGER CHECK (interval_months IS NULL OR interval_months >= 1),
  applies_to       TEXT    NOT NULL CHECK (length(applies_to) BETWEEN 1 AND 63),
  min_age_years    INTEGER CHECK (min_age_years IS NULL OR min_age_years >= 0),
  source           TEXT    NOT NULL CHECK (length(source) >= 1)
) STRICT;

CREATE TABLE registry_forms (
  id               INTEGER PRIMARY KEY,
  item             TEXT    NOT NULL CHECK (length(item) BETWEEN 1 AND 23),
  track            TEXT    NOT NULL CHECK (track IN ('crf', 'ted')),
  transplant_types TEXT    CHECK (transplant_types IS NULL OR length(transplant_types) BETWEEN 1 AND 63),
  time_point       TEXT    NOT NULL CHECK (length(time_point) BETWEEN 2 AND 11),
  offset_days      INTEGER CHECK (offset_days IS NULL OR offset_days >= 1),
  offset_months    INTEGER CHECK (offset_months IS NULL OR offset_months >= 1),
  repeat_months    INTEGER CHECK (repeat_months IS NULL OR repeat_months >= 1),
  source           TEXT    NOT NULL CHECK (length(source) >= 1)
) STRICT;

INSERT INTO parameters (key, value, unit, source)
SELECT 'followup_grace_days', '30', 'days',
       'SITE DEFAULT: a follow-up time point (screening or registry form) is overdue when as-of > due_on + 30 '
       || 'days (issue 16; no guideline fixes a grace period)'
WHERE EXISTS (SELECT 1 FROM parameters)
  AND NOT EXISTS (SELECT 1 FROM parameters WHERE key = 'followup_grace_days');
INSERT INTO parameters (key, value, unit, source)
SELECT 'registry_track', 'crf', 'track',
       'SITE DEFAULT: the CIBMTR follow-up track whose time points registry_forms.csv lists: crf (Form 2100, '
       || 'comprehensive report forms) or ted (Form 2450, Post-TED); the form selection algorithm assigns a '
       || 'centre''s track'
WHERE EXISTS (SELECT 1 FROM parameters)
  AND NOT EXISTS (SELECT 1 FROM parameters WHERE key = 'registry_track');

CREATE TABLE followups (
  id               INTEGER PRIMARY KEY,
  patient_id       INTEGER NOT NULL REFERENCES patients(id),
  item             TEXT NOT NULL CHECK (length(item) BETWEEN 1 AND 23),
  time_point       TEXT NOT NULL CHECK (length(time_point) BETWEEN 2 AND 11),
  done_on          TEXT NOT NULL CHECK (date(done_on) IS done_on),
  note             TEXT CHECK (note IS NULL OR length(CAST(note AS BLOB)) BETWEEN 1 AND 500),
  import_id        INTEGER REFERENCES imports(id),
  entered_in_error TEXT CHECK (entered_in_error IS NULL OR length(CAST(entered_in_error AS BLOB)) BETWEEN 1 AND 200),
  UNIQUE (patient_id, item, time_point)
) STRICT;
CREATE INDEX followups_patient ON followups (patient_id, done_on);

CREATE TRIGGER audit_followups_insert AFTER INSERT ON followups
WHEN NEW.import_id IS NULL
BEGIN
  INSERT INTO audit_log (at, user, action, tbl, row_key, before, after)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'insert', 'followups', NEW.id, NULL,
    json_object('id', NEW.id, 'patient_id', NEW.patient_id, 'item', NEW.item, 'time_point', NEW.time_point, 'done_on', NEW.done_on, 'note', NEW.note, 'import_id', NEW.import_id, 'entered_in_error', NEW.entered_in_error));
END;
CREATE TRIGGER audit_followups_update AFTER UPDATE ON followups
BEGIN
  INSERT INTO audit_log (at, user, action, tbl, row_key, before, after)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'update', 'followups', NEW.id,
    json_object('id', OLD.id, 'patient_id', OLD.patient_id, 'item', OLD.item, 'time_point', OLD.time_point, 'done_on', OLD.done_on, 'note', OLD.note, 'import_id', OLD.import_id, 'entered_in_error', OLD.entered_in_error),
    json_object('id', NEW.id, 'patient_id', NEW.patient_id, 'item', NEW.item, 'time_point', NEW.time_point, 'done_on', NEW.done_on, 'note', NEW.note, 'import_id', NEW.import_id, 'entered_in_error', NEW.entered_in_error));
END;
CREATE TRIGGER audit_followups_delete AFTER DELETE ON followups
BEGIN
  INSERT INTO audit_log (at, user, action, tbl, row_key, before, after)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'delete', 'followups', OLD.id,
    json_object('id', OLD.id, 'patient_id', OLD.patient_id, 'item', OLD.item, 'time_point', OLD.time_point, 'done_on', OLD.done_on, 'note', OLD.note, 'import_id', OLD.import_id, 'entered_in_error', OLD.entered_in_error), NULL);
END;
-- 4. The rule FOLLOWUP_OVERDUE (docs/clinical-rules.md s.19): the alerts
--    table's CHECK lists the rule identifiers (004), so alerts and
--    alert_history (which references it) are rebuilt with the same rows,
--    ids, indexes and audit triggers (those of 005, unchanged). Copying the
--    rows fires no trigger and DROP TABLE's implicit delete fires none, so
--    the audit trail is untouched and still matches every row. alert_history
--    is dropped before alerts, so no foreign key ever points at a dropped
--    table; renaming alerts_new rewrites alert_history_new's reference.
CREATE TABLE alerts_new (
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
      OR rule = 'LIVE_VACCINE_CONTRAINDICATED' OR rule = 'GVHD_SEVERE'
      OR rule = 'FOLLOWUP_OVERDUE')
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
INSERT INTO alerts_new SELECT * FROM alerts;
CREATE TABLE alert_history_new (
  id        INTEGER PRIMARY KEY,
  alert_id  INTEGER NOT NULL REFERENCES alerts_new(alert_id),
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
INSERT INTO alert_history_new SELECT * FROM alert_history;
DROP TABLE alert_history;
DROP TABLE alerts;
ALTER TABLE alerts_new RENAME TO alerts;
ALTER TABLE alert_history_new RENAME TO alert_history;
CREATE INDEX alerts_status ON alerts (status, patient_id);
CREATE INDEX alert_history_alert ON alert_history (alert_id, id);
CREATE TRIGGER audit_alerts_insert AFTER INSERT ON alerts
BEGIN
  INSERT INTO audit_log (at, user, action, tbl, row_key, before, after)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'insert', 'alerts', NEW.alert_id, NULL,
    json_object('alert_id', NEW.alert_id, 'patient_id', NEW.patient_id, 'rule', NEW.rule, 'subject', NEW.subject, 'severity', NEW.severity, 'status', NEW.status, 'raised_on', NEW.raised_on, 'due_on', NEW.due_on, 'resolved_on', NEW.resolved_on, 'acknowledged_by', NEW.acknowledged_by, 'acknowledged_on', NEW.acknowledged_on, 'reason', NEW.reason, 'until', NEW.until, 'message', NEW.message));
END;
CREATE TRIGGER audit_alerts_update AFTER UPDATE ON alerts
BEGIN
  INSERT INTO audit_log (at, user, action, tbl, row_key, before, after)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'update', 'alerts', NEW.alert_id,
    json_object('alert_id', OLD.alert_id, 'patient_id', OLD.patient_id, 'rule', OLD.rule, 'subject', OLD.subject, 'severity', OLD.severity, 'status', OLD.status, 'raised_on', OLD.raised_on, 'due_on', OLD.due_on, 'resolved_on', OLD.resolved_on, 'acknowledged_by', OLD.acknowledged_by, 'acknowledged_on', OLD.acknowledged_on, 'reason', OLD.reason, 'until', OLD.until, 'message', OLD.message),
    json_object('alert_id', NEW.alert_id, 'patient_id', NEW.patient_id, 'rule', NEW.rule, 'subject', NEW.subject, 'severity', NEW.severity, 'status', NEW.status, 'raised_on', NEW.raised_on, 'due_on', NEW.due_on, 'resolved_on', NEW.resolved_on, 'acknowledged_by', NEW.acknowledged_by, 'acknowledged_on', NEW.acknowledged_on, 'reason', NEW.reason, 'until', NEW.until, 'message', NEW.message));
END;
CREATE TRIGGER audit_alerts_delete AFTER DELETE ON alerts
BEGIN
  INSERT INTO audit_log (at, user, action, tbl, row_key, before, after)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'delete', 'alerts', OLD.alert_id,
    json_object('alert_id', OLD.alert_id, 'patient_id', OLD.patient_id, 'rule', OLD.rule, 'subject', OLD.subject, 'severity', OLD.severity, 'status', OLD.status, 'raised_on', OLD.raised_on, 'due_on', OLD.due_on, 'resolved_on', OLD.resolved_on, 'acknowledged_by', OLD.acknowledged_by, 'acknowledged_on', OLD.acknowledged_on, 'reason', OLD.reason, 'until', OLD.until, 'message', OLD.message), NULL);
END;

CREATE TRIGGER audit_alert_history_insert AFTER INSERT ON alert_history
BEGIN
  INSERT INTO audit_log (at, user, action, tbl, row_key, before, after)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'insert', 'alert_history', NEW.id, NULL,
    json_object('id', NEW.id, 'alert_id', NEW.alert_id, 'on_day', NEW.on_day, 'at', NEW.at, 'user', NEW.user, 'event', NEW.event, 'status', NEW.status, 'message', NEW.message, 'reason', NEW.reason, 'until', NEW.until));
END;
CREATE TRIGGER audit_alert_history_update AFTER UPDATE ON alert_history
BEGIN
  INSERT INTO audit_log (at, user, action, tbl, row_key, before, after)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'update', 'alert_history', NEW.id,
    json_object('id', OLD.id, 'alert_id', OLD.alert_id, 'on_day', OLD.on_day, 'at', OLD.at, 'user', OLD.user, 'event', OLD.event, 'status', OLD.status, 'message', OLD.message, 'reason', OLD.reason, 'until', OLD.until),
    json_object('id', NEW.id, 'alert_id', NEW.alert_id, 'on_day', NEW.on_day, 'at', NEW.at, 'user', NEW.user, 'event', NEW.event, 'status', NEW.status, 'message', NEW.message, 'reason', NEW.reason, 'until', NEW.until));
END;
CREATE TRIGGER audit_alert_history_delete AFTER DELETE ON alert_history
BEGIN
  INSERT INTO audit_log (at, user, action, tbl, row_key, before, after)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'delete', 'alert_history', OLD.id,
    json_object('id', OLD.id, 'alert_id', OLD.alert_id, 'on_day', OLD.on_day, 'at', OLD.at, 'user', OLD.user, 'event', OLD.event, 'status', OLD.status, 'message', OLD.message, 'reason', OLD.reason, 'until', OLD.until), NULL);
END;

-- 5. drafts: the terminal's follow-up form (followups) is kept at an
--    automatic sign-off like the other record forms (011, 013); SQLite
--    cannot change a CHECK, so the table is made again with 'followup'
--    added and its rows copied as they are. Drafts are not audited.
CREATE TABLE drafts_015 (
  id         INTEGER PRIMARY KEY,
  login      TEXT    NOT NULL CHECK (length(login) BETWEEN 1 AND 127),
  form       TEXT    NOT NULL CHECK (form IN ('lab', 'dose', 'gvhd-acute', 'gvhd-chronic', 'ack',
                                              'entered-in-error', 'transplant', 'immunosuppression', 'ivig',
                                              'transfusion', 'followup')),
  patient_id INTEGER NOT NULL CHECK (patient_id >= 1),
  context    TEXT    NOT NULL DEFAULT '' CHECK (length(context) <= 63),
  fields     TEXT    NOT NULL CHECK (length(fields) <= 65536),
  saved_at   TEXT    NOT NULL CHECK (saved_at GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]Z'),
  UNIQUE (login, form, patient_id, context)
) STRICT;
INSERT INTO drafts_015 (id, login, form, patient_id, context, fields, saved_at)
SELECT id, login, form, patient_id, context, fields, saved_at FROM drafts;
DROP TABLE drafts;
ALTER TABLE drafts_015 RENAME TO drafts;

PRAGMA user_version = 15;
