-- 005_audit: the audit trail (man page, AUDIT TRAIL; docs/formats.md s.8).
--
-- audit_log is an append-only, hash-chained log. Every insert, update and
-- delete of a clinical row is written by the triggers below: who (ef_user(),
-- the store's --user), when (UTC), what (action, table, row id) and the row
-- before/after as JSON. The hash of entry N is SHA-256, computed in C by
-- ef_audit_hash() (src/store/audit.c), over the hash of entry N-1 and every
-- field of entry N; audit_head keeps the last seq and hash, so cutting the
-- tail of the log shows. Both functions exist only inside engraft: a
-- sqlite3 shell cannot write clinical rows while these triggers are in place.
--
-- A CSV import is one entry (action 'import', tbl 'imports', row_key = the
-- import id) whose JSON holds the file's SHA-256 and a digest of every row the
-- import inserted (in the table order of src/store/audit.c, by id); those rows
-- carry the import's id and are not logged one by one (the insert triggers
-- skip rows with an import_id; one whose id was logged before, a row deleted
-- and its id reused, the store logs itself). Updates and
-- deletes are always logged one by one.
--
-- The alerts of migration 004 and their history are logged one by one (every
-- state change of an alert is an update of its row).
--
-- Rows that exist when this migration runs are logged once as 'baseline'.
-- `engraft audit verify` checks the chain, the head, the import digests,
-- that every clinical row equals the last state the log recorded for it, and
-- that every trigger is one engraft created. Adding a table to the trail is a
-- later migration with the three triggers of its table (and a baseline of its
-- rows) plus one line in audit.c's table list.

CREATE TABLE audit_log (
  seq     INTEGER PRIMARY KEY,
  at      TEXT    NOT NULL,                 -- UTC, YYYY-MM-DDTHH:MM:SS.SSSZ
  user    TEXT    NOT NULL,
  action  TEXT    NOT NULL CHECK (action IN ('baseline', 'insert', 'update', 'delete', 'import')),
  tbl     TEXT    NOT NULL,
  row_key INTEGER NOT NULL,
  before  TEXT,                             -- JSON of the row before (update, delete)
  after   TEXT,                             -- JSON of the row after (baseline, insert, update, import)
  hash    TEXT    CHECK (hash IS NULL OR length(hash) = 64)  -- NULL only inside the sealing trigger
) STRICT;
CREATE INDEX audit_log_row ON audit_log (tbl, row_key, seq);

CREATE TABLE audit_head (
  id   INTEGER PRIMARY KEY CHECK (id = 1),
  seq  INTEGER NOT NULL,
  hash TEXT    NOT NULL CHECK (length(hash) = 64)
) STRICT;
INSERT INTO audit_head (id, seq, hash)
  VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- Seal every new entry: it must come right after the head; its hash chains
-- on the head's; the head moves to it.
CREATE TRIGGER audit_log_seal AFTER INSERT ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit log: entries are appended in order')
    WHERE NEW.seq IS NOT (SELECT seq + 1 FROM audit_head WHERE id = 1);
  UPDATE audit_log SET hash = ef_audit_hash((SELECT hash FROM audit_head WHERE id = 1), NEW.seq, NEW.at,
      NEW.user, NEW.action, NEW.tbl, NEW.row_key, NEW.before, NEW.after)
    WHERE seq = NEW.seq;
  UPDATE audit_head SET seq = NEW.seq, hash = (SELECT hash FROM audit_log WHERE seq = NEW.seq) WHERE id = 1;
END;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log WHEN OLD.hash IS NOT NULL
BEGIN
  SELECT RAISE(ABORT, 'audit log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
  SELECT RAISE(ABORT, 'audit log is append-only');
END;

-- patients
CREATE TRIGGER audit_patients_insert AFTER INSERT ON patients
WHEN NEW.import_id IS NULL
BEGIN
  INSERT INTO audit_log (at, user, action, tbl, row_key, before, after)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'insert', 'patients', NEW.id, NULL,
    json_object('id', NEW.id, 'mrn', NEW.mrn, 'family_name', NEW.family_name, 'given_name', NEW.given_name, 'birth_date', NEW.birth_date, 'sex', NEW.sex, 'diagnosis', NEW.diagnosis, 'import_id', NEW.import_id));
END;
CREATE TRIGGER audit_patients_update AFTER UPDATE ON patients
BEGIN
  INSERT INTO audit_log (at, user, action, tbl, row_key, before, after)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'update', 'patients', NEW.id,
    json_object('id', OLD.id, 'mrn', OLD.mrn, 'family_name', OLD.family_name, 'given_name', OLD.given_name, 'birth_date', OLD.birth_date, 'sex', OLD.sex, 'diagnosis', OLD.diagnosis, 'import_id', OLD.import_id),
    json_object('id', NEW.id, 'mrn', NEW.mrn, 'family_name', NEW.family_name, 'given_name', NEW.given_name, 'birth_date', NEW.birth_date, 'sex', NEW.sex, 'diagnosis', NEW.diagnosis, 'import_id', NEW.import_id));
END;
CREATE TRIGGER audit_patients_delete AFTER DELETE ON patients
BEGIN
  INSERT INTO audit_log (at, user, action, tbl, row_key, before, after)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'delete', 'patients', OLD.id,
    json_object('id', OLD.id, 'mrn', OLD.mrn, 'family_name', OLD.family_name, 'given_name', OLD.given_name, 'birth_date', OLD.birth_date, 'sex', OLD.sex, 'diagnosis', OLD.diagnosis, 'import_id', OLD.import_id), NULL);
END;

-- transplants
CREATE TRIGGER audit_transplants_insert AFTER INSERT ON transplants
WHEN NEW.import_id IS NULL
BEGIN
  INSERT INTO audit_log (at, user, action, tbl, row_key, before, after)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'insert', 'transplants', NEW.id, NULL,
    json_object('id', NEW.id, 'patient_id', NEW.patient_id, 'transplant_date', NEW.transplant_date, 'type', NEW.type, 'graft_source', NEW.graft_source, 'donor', NEW.donor, 'conditioning', NEW.conditioning, 'import_id', NEW.import_id));
END;
CREATE TRIGGER audit_transplants_update AFTER UPDATE ON transplants
BEGIN
  INSERT INTO audit_log (at, user, action, tbl, row_key, before, after)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'update', 'transplants', NEW.id,
    json_object('id', OLD.id, 'patient_id', OLD.patient_id, 'transplant_date', OLD.transplant_date, 'type', OLD.type, 'graft_source', OLD.graft_source, 'donor', OLD.donor, 'conditioning', OLD.conditioning, 'import_id', OLD.import_id),
    json_object('id', NEW.id, 'patient_id', NEW.patient_id, 'transplant_date', NEW.transplant_date, 'type', NEW.type, 'graft_source', NEW.graft_source, 'donor', NEW.donor, 'conditioning', NEW.conditioning, 'import_id', NEW.import_id));
END;
CREATE TRIGGER audit_transplants_delete AFTER DELETE ON transplants
BEGIN
  INSERT INTO audit_log (at, user, action, tbl, row_key, before, after)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'delete', 'transplants', OLD.id,
    json_object('id', OLD.id, 'patient_id', OLD.patient_id, 'transplant_date', OLD.transplant_date, 'type', OLD.type, 'graft_source', OLD.graft_source, 'donor', OLD.donor, 'conditioning', OLD.conditioning, 'import_id', OLD.import_id), NULL);
END;

-- lab_results
CREATE TRIGGER audit_lab_results_insert AFTER INSERT ON lab_results
WHEN NEW.import_id IS NULL
BEGIN
  INSERT INTO audit_log (at, user, action, tbl, row_key, before, after)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'insert', 'lab_results', NEW.id, NULL,
    json_object('id', NEW.id, 'patient_id', NEW.patient_id, 'collected_on', NEW.collected_on, 'collected_day', NEW.collected_day, 'test', NEW.test, 'value', NEW.value, 'qualifier', NEW.qualifier, 'canonical', NEW.canonical, 'unit', NEW.unit, 'import_id', NEW.import_id));
END;
CREATE TRIGGER audit_lab_results_update AFTER UPDATE ON lab_results
BEGIN
  INSERT INTO audit_log (at, user, action, tbl, row_key, before, after)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'update', 'lab_results', NEW.id,
    json_object('id', OLD.id, 'patient_id', OLD.patient_id, 'collected_on', OLD.collected_on, 'collected_day', OLD.collected_day, 'test', OLD.test, 'value', OLD.value, 'qualifier', OLD.qualifier, 'canonical', OLD.canonical, 'unit', OLD.unit, 'import_id', OLD.import_id),
    json_object('id', NEW.id, 'patient_id', NEW.patient_id, 'collected_on', NEW.collected_on, 'collected_day', NEW.collected_day, 'test', NEW.test, 'value', NEW.value, 'qualifier', NEW.qualifier, 'canonical', NEW.canonical, 'unit', NEW.unit, 'import_id', NEW.import_id));
END;
CREATE TRIGGER audit_lab_results_delete AFTER DELETE ON lab_results
BEGIN
  INSERT INTO audit_log (at, user, action, tbl, row_key, before, after)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'delete', 'lab_results', OLD.id,
    json_object('id', OLD.id, 'patient_id', OLD.patient_id, 'collected_on', OLD.collected_on, 'collected_day', OLD.collected_day, 'test', OLD.test, 'value', OLD.value, 'qualifier', OLD.qualifier, 'canonical', OLD.canonical, 'unit', OLD.unit, 'import_id', OLD.import_id), NULL);
END;

-- transfusions
CREATE TRIGGER audit_transfusions_insert AFTER INSERT ON transfusions
WHEN NEW.import_id IS NULL
BEGIN
  INSERT INTO audit_log (at, user, action, tbl, row_key, before, after)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'insert', 'transfusions', NEW.id, NULL,
    json_object('id', NEW.id, 'patient_id', NEW.patient_id, 'given_on', NEW.given_on, 'product', NEW.product, 'import_id', NEW.import_id));
END;
CREATE TRIGGER audit_transfusions_update AFTER UPDATE ON transfusions
BEGIN
  INSERT INTO audit_log (at, user, action, tbl, row_key, before, after)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'update', 'transfusions', NEW.id,
    json_object('id', OLD.id, 'patient_id', OLD.patient_id, 'given_on', OLD.given_on, 'product', OLD.product, 'import_id', OLD.import_id),
    json_object('id', NEW.id, 'patient_id', NEW.patient_id, 'given_on', NEW.given_on, 'product', NEW.product, 'import_id', NEW.import_id));
END;
CREATE TRIGGER audit_transfusions_delete AFTER DELETE ON transfusions
BEGIN
  INSERT INTO audit_log (at, user, action, tbl, row_key, before, after)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'delete', 'transfusions', OLD.id,
    json_object('id', OLD.id, 'patient_id', OLD.patient_id, 'given_on', OLD.given_on, 'product', OLD.product, 'import_id', OLD.import_id), NULL);
END;

-- vaccinations
CREATE TRIGGER audit_vaccinations_insert AFTER INSERT ON vaccinations
WHEN NEW.import_id IS NULL
BEGIN
  INSERT INTO audit_log (at, user, action, tbl, row_key, before, after)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'insert', 'vaccinations', NEW.id, NULL,
    json_object('id', NEW.id, 'patient_id', NEW.patient_id, 'vaccine', NEW.vaccine, 'given_on', NEW.given_on, 'lot', NEW.lot, 'site', NEW.site, 'given_by', NEW.given_by, 'import_id', NEW.import_id));
END;
CREATE TRIGGER audit_vaccinations_update AFTER UPDATE ON vaccinations
BEGIN
  INSERT INTO audit_log (at, user, action, tbl, row_key, before, after)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'update', 'vaccinations', NEW.id,
    json_object('id', OLD.id, 'patient_id', OLD.patient_id, 'vaccine', OLD.vaccine, 'given_on', OLD.given_on, 'lot', OLD.lot, 'site', OLD.site, 'given_by', OLD.given_by, 'import_id', OLD.import_id),
    json_object('id', NEW.id, 'patient_id', NEW.patient_id, 'vaccine', NEW.vaccine, 'given_on', NEW.given_on, 'lot', NEW.lot, 'site', NEW.site, 'given_by', NEW.given_by, 'import_id', NEW.import_id));
END;
CREATE TRIGGER audit_vaccinations_delete AFTER DELETE ON vaccinations
BEGIN
  INSERT INTO audit_log (at, user, action, tbl, row_key, before, after)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'delete', 'vaccinations', OLD.id,
    json_object('id', OLD.id, 'patient_id', OLD.patient_id, 'vaccine', OLD.vaccine, 'given_on', OLD.given_on, 'lot', OLD.lot, 'site', OLD.site, 'given_by', OLD.given_by, 'import_id', OLD.import_id), NULL);
END;

-- gvhd_acute
CREATE TRIGGER audit_gvhd_acute_insert AFTER INSERT ON gvhd_acute
WHEN NEW.import_id IS NULL
BEGIN
  INSERT INTO audit_log (at, user, action, tbl, row_key, before, after)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'insert', 'gvhd_acute', NEW.id, NULL,
    json_object('id', NEW.id, 'patient_id', NEW.patient_id, 'assessed_on', NEW.assessed_on, 'skin', NEW.skin, 'liver', NEW.liver, 'upper_gi', NEW.upper_gi, 'lower_gi', NEW.lower_gi, 'grade', NEW.grade, 'import_id', NEW.import_id));
END;
CREATE TRIGGER audit_gvhd_acute_update AFTER UPDATE ON gvhd_acute
BEGIN
  INSERT INTO audit_log (at, user, action, tbl, row_key, before, after)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'update', 'gvhd_acute', NEW.id,
    json_object('id', OLD.id, 'patient_id', OLD.patient_id, 'assessed_on', OLD.assessed_on, 'skin', OLD.skin, 'liver', OLD.liver, 'upper_gi', OLD.upper_gi, 'lower_gi', OLD.lower_gi, 'grade', OLD.grade, 'import_id', OLD.import_id),
    json_object('id', NEW.id, 'patient_id', NEW.patient_id, 'assessed_on', NEW.assessed_on, 'skin', NEW.skin, 'liver', NEW.liver, 'upper_gi', NEW.upper_gi, 'lower_gi', NEW.lower_gi, 'grade', NEW.grade, 'import_id', NEW.import_id));
END;
CREATE TRIGGER audit_gvhd_acute_delete AFTER DELETE ON gvhd_acute
BEGIN
  INSERT INTO audit_log (at, user, action, tbl, row_key, before, after)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'delete', 'gvhd_acute', OLD.id,
    json_object('id', OLD.id, 'patient_id', OLD.patient_id, 'assessed_on', OLD.assessed_on, 'skin', OLD.skin, 'liver', OLD.liver, 'upper_gi', OLD.upper_gi, 'lower_gi', OLD.lower_gi, 'grade', OLD.grade, 'import_id', OLD.import_id), NULL);
END;

-- gvhd_chronic
CREATE TRIGGER audit_gvhd_chronic_insert AFTER INSERT ON gvhd_chronic
WHEN NEW.import_id IS NULL
BEGIN
  INSERT INTO audit_log (at, user, action, tbl, row_key, before, after)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'insert', 'gvhd_chronic', NEW.id, NULL,
    json_object('id', NEW.id, 'patient_id', NEW.patient_id, 'assessed_on', NEW.assessed_on, 'skin', NEW.skin, 'mouth', NEW.mouth, 'eyes', NEW.eyes, 'gi', NEW.gi, 'liver', NEW.liver, 'lungs', NEW.lungs, 'joints', NEW.joints, 'genital', NEW.genital, 'severity', NEW.severity, 'import_id', NEW.import_id));
END;
CREATE TRIGGER audit_gvhd_chronic_update AFTER UPDATE ON gvhd_chronic
BEGIN
  INSERT INTO audit_log (at, user, action, tbl, row_key, before, after)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'update', 'gvhd_chronic', NEW.id,
    json_object('id', OLD.id, 'patient_id', OLD.patient_id, 'assessed_on', OLD.assessed_on, 'skin', OLD.skin, 'mouth', OLD.mouth, 'eyes', OLD.eyes, 'gi', OLD.gi, 'liver', OLD.liver, 'lungs', OLD.lungs, 'joints', OLD.joints, 'genital', OLD.genital, 'severity', OLD.severity, 'import_id', OLD.import_id),
    json_object('id', NEW.id, 'patient_id', NEW.patient_id, 'assessed_on', NEW.assessed_on, 'skin', NEW.skin, 'mouth', NEW.mouth, 'eyes', NEW.eyes, 'gi', NEW.gi, 'liver', NEW.liver, 'lungs', NEW.lungs, 'joints', NEW.joints, 'genital', NEW.genital, 'severity', NEW.severity, 'import_id', NEW.import_id));
END;
CREATE TRIGGER audit_gvhd_chronic_delete AFTER DELETE ON gvhd_chronic
BEGIN
  INSERT INTO audit_log (at, user, action, tbl, row_key, before, after)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'delete', 'gvhd_chronic', OLD.id,
    json_object('id', OLD.id, 'patient_id', OLD.patient_id, 'assessed_on', OLD.assessed_on, 'skin', OLD.skin, 'mouth', OLD.mouth, 'eyes', OLD.eyes, 'gi', OLD.gi, 'liver', OLD.liver, 'lungs', OLD.lungs, 'joints', OLD.joints, 'genital', OLD.genital, 'severity', OLD.severity, 'import_id', OLD.import_id), NULL);
END;

-- immunosuppression
CREATE TRIGGER audit_immunosuppression_insert AFTER INSERT ON immunosuppression
WHEN NEW.import_id IS NULL
BEGIN
  INSERT INTO audit_log (at, user, action, tbl, row_key, before, after)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'insert', 'immunosuppression', NEW.id, NULL,
    json_object('id', NEW.id, 'patient_id', NEW.patient_id, 'drug', NEW.drug, 'started_on', NEW.started_on, 'stopped_on', NEW.stopped_on, 'import_id', NEW.import_id));
END;
CREATE TRIGGER audit_immunosuppression_update AFTER UPDATE ON immunosuppression
BEGIN
  INSERT INTO audit_log (at, user, action, tbl, row_key, before, after)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'update', 'immunosuppression', NEW.id,
    json_object('id', OLD.id, 'patient_id', OLD.patient_id, 'drug', OLD.drug, 'started_on', OLD.started_on, 'stopped_on', OLD.stopped_on, 'import_id', OLD.import_id),
    json_object('id', NEW.id, 'patient_id', NEW.patient_id, 'drug', NEW.drug, 'started_on', NEW.started_on, 'stopped_on', NEW.stopped_on, 'import_id', NEW.import_id));
END;
CREATE TRIGGER audit_immunosuppression_delete AFTER DELETE ON immunosuppression
BEGIN
  INSERT INTO audit_log (at, user, action, tbl, row_key, before, after)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'delete', 'immunosuppression', OLD.id,
    json_object('id', OLD.id, 'patient_id', OLD.patient_id, 'drug', OLD.drug, 'started_on', OLD.started_on, 'stopped_on', OLD.stopped_on, 'import_id', OLD.import_id), NULL);
END;

-- ivig
CREATE TRIGGER audit_ivig_insert AFTER INSERT ON ivig
WHEN NEW.import_id IS NULL
BEGIN
  INSERT INTO audit_log (at, user, action, tbl, row_key, before, after)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'insert', 'ivig', NEW.id, NULL,
    json_object('id', NEW.id, 'patient_id', NEW.patient_id, 'given_on', NEW.given_on, 'dose_g', NEW.dose_g, 'import_id', NEW.import_id));
END;
CREATE TRIGGER audit_ivig_update AFTER UPDATE ON ivig
BEGIN
  INSERT INTO audit_log (at, user, action, tbl, row_key, before, after)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'update', 'ivig', NEW.id,
    json_object('id', OLD.id, 'patient_id', OLD.patient_id, 'given_on', OLD.given_on, 'dose_g', OLD.dose_g, 'import_id', OLD.import_id),
    json_object('id', NEW.id, 'patient_id', NEW.patient_id, 'given_on', NEW.given_on, 'dose_g', NEW.dose_g, 'import_id', NEW.import_id));
END;
CREATE TRIGGER audit_ivig_delete AFTER DELETE ON ivig
BEGIN
  INSERT INTO audit_log (at, user, action, tbl, row_key, before, after)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'delete', 'ivig', OLD.id,
    json_object('id', OLD.id, 'patient_id', OLD.patient_id, 'given_on', OLD.given_on, 'dose_g', OLD.dose_g, 'import_id', OLD.import_id), NULL);
END;
-- alerts (no import_id: every change is logged one by one)
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

-- alert_history (no import_id: every change is logged one by one)
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

-- The rows already there when the trail begins (imports first).
INSERT INTO audit_log (at, user, action, tbl, row_key, before, after)
  SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'baseline', 'imports', id, NULL,
    json_object('import_id', id, 'at', at, 'user', user, 'kind', kind, 'file_name', file_name,
      'file_sha256', file_sha256, 'rows_inserted', rows_inserted, 'rows_updated', rows_updated,
      'rows_unchanged', rows_unchanged)
  FROM imports ORDER BY id;
INSERT INTO audit_log (at, user, action, tbl, row_key, before, after)
  SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'baseline', 'patients', id, NULL,
    json_object('id', id, 'mrn', mrn, 'family_name', family_name, 'given_name', given_name, 'birth_date', birth_date, 'sex', sex, 'diagnosis', diagnosis, 'import_id', import_id)
  FROM patients ORDER BY id;
INSERT INTO audit_log (at, user, action, tbl, row_key, before, after)
  SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'baseline', 'transplants', id, NULL,
    json_object('id', id, 'patient_id', patient_id, 'transplant_date', transplant_date, 'type', type, 'graft_source', graft_source, 'donor', donor, 'conditioning', conditioning, 'import_id', import_id)
  FROM transplants ORDER BY id;
INSERT INTO audit_log (at, user, action, tbl, row_key, before, after)
  SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'baseline', 'lab_results', id, NULL,
    json_object('id', id, 'patient_id', patient_id, 'collected_on', collected_on, 'collected_day', collected_day, 'test', test, 'value', value, 'qualifier', qualifier, 'canonical', canonical, 'unit', unit, 'import_id', import_id)
  FROM lab_results ORDER BY id;
INSERT INTO audit_log (at, user, action, tbl, row_key, before, after)
  SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'baseline', 'transfusions', id, NULL,
    json_object('id', id, 'patient_id', patient_id, 'given_on', given_on, 'product', product, 'import_id', import_id)
  FROM transfusions ORDER BY id;
INSERT INTO audit_log (at, user, action, tbl, row_key, before, after)
  SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'baseline', 'vaccinations', id, NULL,
    json_object('id', id, 'patient_id', patient_id, 'vaccine', vaccine, 'given_on', given_on, 'lot', lot, 'site', site, 'given_by', given_by, 'import_id', import_id)
  FROM vaccinations ORDER BY id;
INSERT INTO audit_log (at, user, action, tbl, row_key, before, after)
  SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'baseline', 'gvhd_acute', id, NULL,
    json_object('id', id, 'patient_id', patient_id, 'assessed_on', assessed_on, 'skin', skin, 'liver', liver, 'upper_gi', upper_gi, 'lower_gi', lower_gi, 'grade', grade, 'import_id', import_id)
  FROM gvhd_acute ORDER BY id;
INSERT INTO audit_log (at, user, action, tbl, row_key, before, after)
  SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'baseline', 'gvhd_chronic', id, NULL,
    json_object('id', id, 'patient_id', patient_id, 'assessed_on', assessed_on, 'skin', skin, 'mouth', mouth, 'eyes', eyes, 'gi', gi, 'liver', liver, 'lungs', lungs, 'joints', joints, 'genital', genital, 'severity', severity, 'import_id', import_id)
  FROM gvhd_chronic ORDER BY id;
INSERT INTO audit_log (at, user, action, tbl, row_key, before, after)
  SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'baseline', 'immunosuppression', id, NULL,
    json_object('id', id, 'patient_id', patient_id, 'drug', drug, 'started_on', started_on, 'stopped_on', stopped_on, 'import_id', import_id)
  FROM immunosuppression ORDER BY id;
INSERT INTO audit_log (at, user, action, tbl, row_key, before, after)
  SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'baseline', 'ivig', id, NULL,
    json_object('id', id, 'patient_id', patient_id, 'given_on', given_on, 'dose_g', dose_g, 'import_id', import_id)
  FROM ivig ORDER BY id;
INSERT INTO audit_log (at, user, action, tbl, row_key, before, after)
  SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'baseline', 'alerts', alert_id, NULL,
    json_object('alert_id', alert_id, 'patient_id', patient_id, 'rule', rule, 'subject', subject, 'severity', severity, 'status', status, 'raised_on', raised_on, 'due_on', due_on, 'resolved_on', resolved_on, 'acknowledged_by', acknowledged_by, 'acknowledged_on', acknowledged_on, 'reason', reason, 'until', until, 'message', message)
  FROM alerts ORDER BY alert_id;
INSERT INTO audit_log (at, user, action, tbl, row_key, before, after)
  SELECT strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'baseline', 'alert_history', id, NULL,
    json_object('id', id, 'alert_id', alert_id, 'on_day', on_day, 'at', at, 'user', user, 'event', event, 'status', status, 'message', message, 'reason', reason, 'until', until)
  FROM alert_history ORDER BY id;

PRAGMA user_version = 5;
