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
PRAGMA user_version = 15;
