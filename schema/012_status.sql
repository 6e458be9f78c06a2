-- 012_status: vital and follow-up status (docs/formats.md, "status").
--
-- One row per event a clinic records about a patient's course: alive (a
-- contact: seen, phoned, a letter answered), relapse (relapse or
-- progression), deceased, transferred (care moved to another centre),
-- lost_to_followup, returned (back in this clinic's care). The natural key
-- is (patient, recorded_on, status); note is optional free text (TAB, CR
-- and LF allowed, at most 500 bytes); entered_in_error as for the other
-- clinical kinds. What follows from the rows (vital status, date of death,
-- last contact, whether the clinic follows the patient now) is computed by
-- the core (src/core/followup.c), never stored.
--
-- The audit triggers write the row's JSON in the order of the kind's
-- description (include/engraft/columns.h, STORE_COLUMNS_STATUS); an import
-- is logged by its digest, like the other kinds.
-- (Number 012: 011 belongs to another branch; gaps are allowed.)

CREATE TABLE status (
  id               INTEGER PRIMARY KEY,
  patient_id       INTEGER NOT NULL REFERENCES patients(id),
  recorded_on      TEXT NOT NULL CHECK (date(recorded_on) IS recorded_on),
  status           TEXT NOT NULL CHECK (status IN ('alive', 'relapse', 'deceased', 'transferred',
                                                   'lost_to_followup', 'returned')),
  note             TEXT CHECK (note IS NULL OR length(CAST(note AS BLOB)) BETWEEN 1 AND 500),
  import_id        INTEGER REFERENCES imports(id),
  entered_in_error TEXT CHECK (entered_in_error IS NULL OR length(CAST(entered_in_error AS BLOB)) BETWEEN 1 AND 200),
  UNIQUE (patient_id, recorded_on, status)
) STRICT;
CREATE INDEX status_patient ON status (patient_id, recorded_on);

CREATE TRIGGER audit_status_insert AFTER INSERT ON status
WHEN NEW.import_id IS NULL
BEGIN
  INSERT INTO audit_log (at, user, action, tbl, row_key, before, after)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'insert', 'status', NEW.id, NULL,
    json_object('id', NEW.id, 'patient_id', NEW.patient_id, 'recorded_on', NEW.recorded_on, 'status', NEW.status, 'note', NEW.note, 'import_id', NEW.import_id, 'entered_in_error', NEW.entered_in_error));
END;
CREATE TRIGGER audit_status_update AFTER UPDATE ON status
BEGIN
  INSERT INTO audit_log (at, user, action, tbl, row_key, before, after)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'update', 'status', NEW.id,
    json_object('id', OLD.id, 'patient_id', OLD.patient_id, 'recorded_on', OLD.recorded_on, 'status', OLD.status, 'note', OLD.note, 'import_id', OLD.import_id, 'entered_in_error', OLD.entered_in_error),
    json_object('id', NEW.id, 'patient_id', NEW.patient_id, 'recorded_on', NEW.recorded_on, 'status', NEW.status, 'note', NEW.note, 'import_id', NEW.import_id, 'entered_in_error', NEW.entered_in_error));
END;
CREATE TRIGGER audit_status_delete AFTER DELETE ON status
BEGIN
  INSERT INTO audit_log (at, user, action, tbl, row_key, before, after)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'delete', 'status', OLD.id,
    json_object('id', OLD.id, 'patient_id', OLD.patient_id, 'recorded_on', OLD.recorded_on, 'status', OLD.status, 'note', OLD.note, 'import_id', OLD.import_id, 'entered_in_error', OLD.entered_in_error), NULL);
END;
PRAGMA user_version = 12;
