-- 008_staff: the staff list (who may use this database, in which role) and
-- electronic signatures (docs/formats.md s.9, man page PERMISSIONS).
--
-- Identity is the operating system login (getpwuid(geteuid())); no option
-- can claim another name. staff gives each login its printed name, title and
-- one role; a login that is not listed, or whose row has active = 0, may not
-- use the database at all (exit 6). The first admin is the login that
-- creates the database, or that migrates an older one to this schema: the
-- store adds it right after this migration when the list is empty (before
-- schema 008 anyone who could write the file could do everything, so that
-- login already could).
--
-- signatures: a signed act - an acknowledgement, an administered dose, a
-- GVHD assessment, a row marked entered in error - with the login, the
-- printed name and title as they were at the time, the meaning and the UTC
-- time, in the same transaction as the act. Rows are never updated or
-- deleted.
--
-- Both tables are in the audit trail like clinical rows.

CREATE TABLE staff (
  id        INTEGER PRIMARY KEY,
  login     TEXT    NOT NULL UNIQUE CHECK (length(login) BETWEEN 1 AND 32 AND login NOT GLOB '*[^A-Za-z0-9._-]*'
                                       AND login NOT GLOB '-*'),
  name      TEXT    NOT NULL CHECK (length(CAST(name AS BLOB)) BETWEEN 1 AND 127),
  title     TEXT    CHECK (title IS NULL OR length(CAST(title AS BLOB)) BETWEEN 1 AND 63),
  role      TEXT    NOT NULL CHECK (role IN ('admin', 'clinician', 'nurse', 'clerk', 'auditor')),
  active    INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
  added_at  TEXT    NOT NULL,
  added_by  TEXT    NOT NULL
) STRICT;

CREATE TABLE signatures (
  id         INTEGER PRIMARY KEY,
  patient_id INTEGER REFERENCES patients (id),
  tbl        TEXT    NOT NULL CHECK (tbl IN ('alerts', 'vaccinations', 'gvhd_acute', 'gvhd_chronic', 'lab_results',
                                             'transfusions', 'immunosuppression', 'ivig')),
  row_key    INTEGER NOT NULL,
  login      TEXT    NOT NULL,
  name       TEXT    NOT NULL,
  title      TEXT,
  meaning    TEXT    NOT NULL CHECK (meaning IN ('acknowledged', 'administered', 'assessed', 'entered in error')),
  signed_at  TEXT    NOT NULL
) STRICT;
CREATE INDEX signatures_row ON signatures (tbl, row_key);
CREATE INDEX signatures_patient ON signatures (patient_id);

CREATE TRIGGER signatures_no_update BEFORE UPDATE ON signatures
BEGIN
  SELECT RAISE(ABORT, 'signatures are never changed');
END;
CREATE TRIGGER signatures_no_delete BEFORE DELETE ON signatures
BEGIN
  SELECT RAISE(ABORT, 'signatures are never deleted');
END;

-- staff
CREATE TRIGGER audit_staff_insert AFTER INSERT ON staff
BEGIN
  INSERT INTO audit_log (at, user, action, tbl, row_key, before, after)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'insert', 'staff', NEW.id, NULL,
    json_object('id', NEW.id, 'login', NEW.login, 'name', NEW.name, 'title', NEW.title, 'role', NEW.role, 'active', NEW.active, 'added_at', NEW.added_at, 'added_by', NEW.added_by));
END;
CREATE TRIGGER audit_staff_update AFTER UPDATE ON staff
BEGIN
  INSERT INTO audit_log (at, user, action, tbl, row_key, before, after)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'update', 'staff', NEW.id,
    json_object('id', OLD.id, 'login', OLD.login, 'name', OLD.name, 'title', OLD.title, 'role', OLD.role, 'active', OLD.active, 'added_at', OLD.added_at, 'added_by', OLD.added_by),
    json_object('id', NEW.id, 'login', NEW.login, 'name', NEW.name, 'title', NEW.title, 'role', NEW.role, 'active', NEW.active, 'added_at', NEW.added_at, 'added_by', NEW.added_by));
END;
CREATE TRIGGER audit_staff_delete AFTER DELETE ON staff
BEGIN
  INSERT INTO audit_log (at, user, action, tbl, row_key, before, after)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'delete', 'staff', OLD.id,
    json_object('id', OLD.id, 'login', OLD.login, 'name', OLD.name, 'title', OLD.title, 'role', OLD.role, 'active', OLD.active, 'added_at', OLD.added_at, 'added_by', OLD.added_by),
    NULL);
END;

-- signatures (the update and delete guards above fire first; these log
-- what would get past them, like every audited table)
CREATE TRIGGER audit_signatures_insert AFTER INSERT ON signatures
BEGIN
  INSERT INTO audit_log (at, user, action, tbl, row_key, before, after)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'insert', 'signatures', NEW.id, NULL,
    json_object('id', NEW.id, 'patient_id', NEW.patient_id, 'tbl', NEW.tbl, 'row_key', NEW.row_key, 'login', NEW.login, 'name', NEW.name, 'title', NEW.title, 'meaning', NEW.meaning, 'signed_at', NEW.signed_at));
END;
CREATE TRIGGER audit_signatures_update AFTER UPDATE ON signatures
BEGIN
  INSERT INTO audit_log (at, user, action, tbl, row_key, before, after)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'update', 'signatures', NEW.id,
    json_object('id', OLD.id, 'patient_id', OLD.patient_id, 'tbl', OLD.tbl, 'row_key', OLD.row_key, 'login', OLD.login, 'name', OLD.name, 'title', OLD.title, 'meaning', OLD.meaning, 'signed_at', OLD.signed_at),
    json_object('id', NEW.id, 'patient_id', NEW.patient_id, 'tbl', NEW.tbl, 'row_key', NEW.row_key, 'login', NEW.login, 'name', NEW.name, 'title', NEW.title, 'meaning', NEW.meaning, 'signed_at', NEW.signed_at));
END;
CREATE TRIGGER audit_signatures_delete AFTER DELETE ON signatures
BEGIN
  INSERT INTO audit_log (at, user, action, tbl, row_key, before, after)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'delete', 'signatures', OLD.id,
    json_object('id', OLD.id, 'patient_id', OLD.patient_id, 'tbl', OLD.tbl, 'row_key', OLD.row_key, 'login', OLD.login, 'name', OLD.name, 'title', OLD.title, 'meaning', OLD.meaning, 'signed_at', OLD.signed_at),
    NULL);
END;

PRAGMA user_version = 8;
