-- 006_entered_in_error: rows entered in error, and administered vs
-- historical vaccinations (docs/formats.md s.6 and "vaccinations" in s.4).
--
-- labs, transfusions, vaccinations, GVHD assessments, immunosuppression and
-- IVIG gain entered_in_error: the reason a row was entered in error (NULL =
-- valid). A marked row is kept, exported and shown on the chart, and every
-- computation (engraftment, GVHD, vaccine forecast and live gate, rules)
-- leaves it out (src/store/timeline.c). The reason is free text of 1 to 200
-- bytes; UTF-8 and the absence of control bytes are checked in C before it is
-- bound.
--
-- vaccinations also gain source: 'administered' (given here: lot and site
-- required) or 'historical' (given elsewhere and recorded later; every row
-- recorded before this migration is historical), and override_reason: why an
-- administered live vaccine was given while the live-vaccine gate was closed.
--
-- The audit triggers of those tables are recreated with the new columns at
-- the end of each row's JSON. Entries written before this migration keep
-- their JSON; `audit verify` accepts a row's pre-006 entry while its new
-- columns still hold the values this migration gave them (src/store/audit.c),
-- so existing rows verify without a new baseline (and the import digests of
-- earlier imports, which cover the pre-006 columns, still match).

ALTER TABLE lab_results ADD COLUMN entered_in_error TEXT
  CHECK (entered_in_error IS NULL OR length(CAST(entered_in_error AS BLOB)) BETWEEN 1 AND 200);
ALTER TABLE transfusions ADD COLUMN entered_in_error TEXT
  CHECK (entered_in_error IS NULL OR length(CAST(entered_in_error AS BLOB)) BETWEEN 1 AND 200);
ALTER TABLE vaccinations ADD COLUMN source TEXT NOT NULL DEFAULT 'historical'
  CHECK (source = 'historical' OR (source = 'administered' AND lot IS NOT NULL AND site IS NOT NULL));
ALTER TABLE vaccinations ADD COLUMN override_reason TEXT
  CHECK (override_reason IS NULL OR length(CAST(override_reason AS BLOB)) BETWEEN 1 AND 200);
ALTER TABLE vaccinations ADD COLUMN entered_in_error TEXT
  CHECK (entered_in_error IS NULL OR length(CAST(entered_in_error AS BLOB)) BETWEEN 1 AND 200);
ALTER TABLE gvhd_acute ADD COLUMN entered_in_error TEXT
  CHECK (entered_in_error IS NULL OR length(CAST(entered_in_error AS BLOB)) BETWEEN 1 AND 200);
ALTER TABLE gvhd_chronic ADD COLUMN entered_in_error TEXT
  CHECK (entered_in_error IS NULL OR length(CAST(entered_in_error AS BLOB)) BETWEEN 1 AND 200);
ALTER TABLE immunosuppression ADD COLUMN entered_in_error TEXT
  CHECK (entered_in_error IS NULL OR length(CAST(entered_in_error AS BLOB)) BETWEEN 1 AND 200);
ALTER TABLE ivig ADD COLUMN entered_in_error TEXT
  CHECK (entered_in_error IS NULL OR length(CAST(entered_in_error AS BLOB)) BETWEEN 1 AND 200);

-- lab_results
DROP TRIGGER audit_lab_results_insert;
DROP TRIGGER audit_lab_results_update;
DROP TRIGGER audit_lab_results_delete;
CREATE TRIGGER audit_lab_results_insert AFTER INSERT ON lab_results
WHEN NEW.import_id IS NULL
BEGIN
  INSERT INTO audit_log (at, user, action, tbl, row_key, before, after)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'insert', 'lab_results', NEW.id, NULL,
    json_object('id', NEW.id, 'patient_id', NEW.patient_id, 'collected_on', NEW.collected_on, 'collected_day', NEW.collected_day, 'test', NEW.test, 'value', NEW.value, 'qualifier', NEW.qualifier, 'canonical', NEW.canonical, 'unit', NEW.unit, 'import_id', NEW.import_id, 'entered_in_error', NEW.entered_in_error));
END;
CREATE TRIGGER audit_lab_results_update AFTER UPDATE ON lab_results
BEGIN
  INSERT INTO audit_log (at, user, action, tbl, row_key, before, after)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'update', 'lab_results', NEW.id,
    json_object('id', OLD.id, 'patient_id', OLD.patient_id, 'collected_on', OLD.collected_on, 'collected_day', OLD.collected_day, 'test', OLD.test, 'value', OLD.value, 'qualifier', OLD.qualifier, 'canonical', OLD.canonical, 'unit', OLD.unit, 'import_id', OLD.import_id, 'entered_in_error', OLD.entered_in_error),
    json_object('id', NEW.id, 'patient_id', NEW.patient_id, 'collected_on', NEW.collected_on, 'collected_day', NEW.collected_day, 'test', NEW.test, 'value', NEW.value, 'qualifier', NEW.qualifier, 'canonical', NEW.canonical, 'unit', NEW.unit, 'import_id', NEW.import_id, 'entered_in_error', NEW.entered_in_error));
END;
CREATE TRIGGER audit_lab_results_delete AFTER DELETE ON lab_results
BEGIN
  INSERT INTO audit_log (at, user, action, tbl, row_key, before, after)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'delete', 'lab_results', OLD.id,
    json_object('id', OLD.id, 'patient_id', OLD.patient_id, 'collected_on', OLD.collected_on, 'collected_day', OLD.collected_day, 'test', OLD.test, 'value', OLD.value, 'qualifier', OLD.qualifier, 'canonical', OLD.canonical, 'unit', OLD.unit, 'import_id', OLD.import_id, 'entered_in_error', OLD.entered_in_error), NULL);
END;

-- transfusions
DROP TRIGGER audit_transfusions_insert;
DROP TRIGGER audit_transfusions_update;
DROP TRIGGER audit_transfusions_delete;
CREATE TRIGGER audit_transfusions_insert AFTER INSERT ON transfusions
WHEN NEW.import_id IS NULL
BEGIN
  INSERT INTO audit_log (at, user, action, tbl, row_key, before, after)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'insert', 'transfusions', NEW.id, NULL,
    json_object('id', NEW.id, 'patient_id', NEW.patient_id, 'given_on', NEW.given_on, 'product', NEW.product, 'import_id', NEW.import_id, 'entered_in_error', NEW.entered_in_error));
END;
CREATE TRIGGER audit_transfusions_update AFTER UPDATE ON transfusions
BEGIN
  INSERT INTO audit_log (at, user, action, tbl, row_key, before, after)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'update', 'transfusions', NEW.id,
    json_object('id', OLD.id, 'patient_id', OLD.patient_id, 'given_on', OLD.given_on, 'product', OLD.product, 'import_id', OLD.import_id, 'entered_in_error', OLD.entered_in_error),
    json_object('id', NEW.id, 'patient_id', NEW.patient_id, 'given_on', NEW.given_on, 'product', NEW.product, 'import_id', NEW.import_id, 'entered_in_error', NEW.entered_in_error));
END;
CREATE TRIGGER audit_transfusions_delete AFTER DELETE ON transfusions
BEGIN
  INSERT INTO audit_log (at, user, action, tbl, row_key, before, after)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'delete', 'transfusions', OLD.id,
    json_object('id', OLD.id, 'patient_id', OLD.patient_id, 'given_on', OLD.given_on, 'product', OLD.product, 'import_id', OLD.import_id, 'entered_in_error', OLD.entered_in_error), NULL);
END;

-- vaccinations
DROP TRIGGER audit_vaccinations_insert;
DROP TRIGGER audit_vaccinations_update;
DROP TRIGGER audit_vaccinations_delete;
CREATE TRIGGER audit_vaccinations_insert AFTER INSERT ON vaccinations
WHEN NEW.import_id IS NULL
BEGIN
  INSERT INTO audit_log (at, user, action, tbl, row_key, before, after)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'insert', 'vaccinations', NEW.id, NULL,
    json_object('id', NEW.id, 'patient_id', NEW.patient_id, 'vaccine', NEW.vaccine, 'given_on', NEW.given_on, 'lot', NEW.lot, 'site', NEW.site, 'given_by', NEW.given_by, 'import_id', NEW.import_id, 'source', NEW.source, 'override_reason', NEW.override_reason, 'entered_in_error', NEW.entered_in_error));
END;
CREATE TRIGGER audit_vaccinations_update AFTER UPDATE ON vaccinations
BEGIN
  INSERT INTO audit_log (at, user, action, tbl, row_key, before, after)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'update', 'vaccinations', NEW.id,
    json_object('id', OLD.id, 'patient_id', OLD.patient_id, 'vaccine', OLD.vaccine, 'given_on', OLD.given_on, 'lot', OLD.lot, 'site', OLD.site, 'given_by', OLD.given_by, 'import_id', OLD.import_id, 'source', OLD.source, 'override_reason', OLD.override_reason, 'entered_in_error', OLD.entered_in_error),
    json_object('id', NEW.id, 'patient_id', NEW.patient_id, 'vaccine', NEW.vaccine, 'given_on', NEW.given_on, 'lot', NEW.lot, 'site', NEW.site, 'given_by', NEW.given_by, 'import_id', NEW.import_id, 'source', NEW.source, 'override_reason', NEW.override_reason, 'entered_in_error', NEW.entered_in_error));
END;
CREATE TRIGGER audit_vaccinations_delete AFTER DELETE ON vaccinations
BEGIN
  INSERT INTO audit_log (at, user, action, tbl, row_key, before, after)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'delete', 'vaccinations', OLD.id,
    json_object('id', OLD.id, 'patient_id', OLD.patient_id, 'vaccine', OLD.vaccine, 'given_on', OLD.given_on, 'lot', OLD.lot, 'site', OLD.site, 'given_by', OLD.given_by, 'import_id', OLD.import_id, 'source', OLD.source, 'override_reason', OLD.override_reason, 'entered_in_error', OLD.entered_in_error), NULL);
END;

-- gvhd_acute
DROP TRIGGER audit_gvhd_acute_insert;
DROP TRIGGER audit_gvhd_acute_update;
DROP TRIGGER audit_gvhd_acute_delete;
CREATE TRIGGER audit_gvhd_acute_insert AFTER INSERT ON gvhd_acute
WHEN NEW.import_id IS NULL
BEGIN
  INSERT INTO audit_log (at, user, action, tbl, row_key, before, after)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'insert', 'gvhd_acute', NEW.id, NULL,
    json_object('id', NEW.id, 'patient_id', NEW.patient_id, 'assessed_on', NEW.assessed_on, 'skin', NEW.skin, 'liver', NEW.liver, 'upper_gi', NEW.upper_gi, 'lower_gi', NEW.lower_gi, 'grade', NEW.grade, 'import_id', NEW.import_id, 'entered_in_error', NEW.entered_in_error));
END;
CREATE TRIGGER audit_gvhd_acute_update AFTER UPDATE ON gvhd_acute
BEGIN
  INSERT INTO audit_log (at, user, action, tbl, row_key, before, after)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'update', 'gvhd_acute', NEW.id,
    json_object('id', OLD.id, 'patient_id', OLD.patient_id, 'assessed_on', OLD.assessed_on, 'skin', OLD.skin, 'liver', OLD.liver, 'upper_gi', OLD.upper_gi, 'lower_gi', OLD.lower_gi, 'grade', OLD.grade, 'import_id', OLD.import_id, 'entered_in_error', OLD.entered_in_error),
    json_object('id', NEW.id, 'patient_id', NEW.patient_id, 'assessed_on', NEW.assessed_on, 'skin', NEW.skin, 'liver', NEW.liver, 'upper_gi', NEW.upper_gi, 'lower_gi', NEW.lower_gi, 'grade', NEW.grade, 'import_id', NEW.import_id, 'entered_in_error', NEW.entered_in_error));
END;
CREATE TRIGGER audit_gvhd_acute_delete AFTER DELETE ON gvhd_acute
BEGIN
  INSERT INTO audit_log (at, user, action, tbl, row_key, before, after)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'delete', 'gvhd_acute', OLD.id,
    json_object('id', OLD.id, 'patient_id', OLD.patient_id, 'assessed_on', OLD.assessed_on, 'skin', OLD.skin, 'liver', OLD.liver, 'upper_gi', OLD.upper_gi, 'lower_gi', OLD.lower_gi, 'grade', OLD.grade, 'import_id', OLD.import_id, 'entered_in_error', OLD.entered_in_error), NULL);
END;

-- gvhd_chronic
DROP TRIGGER audit_gvhd_chronic_insert;
DROP TRIGGER audit_gvhd_chronic_update;
DROP TRIGGER audit_gvhd_chronic_delete;
CREATE TRIGGER audit_gvhd_chronic_insert AFTER INSERT ON gvhd_chronic
WHEN NEW.import_id IS NULL
BEGIN
  INSERT INTO audit_log (at, user, action, tbl, row_key, before, after)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'insert', 'gvhd_chronic', NEW.id, NULL,
    json_object('id', NEW.id, 'patient_id', NEW.patient_id, 'assessed_on', NEW.assessed_on, 'skin', NEW.skin, 'mouth', NEW.mouth, 'eyes', NEW.eyes, 'gi', NEW.gi, 'liver', NEW.liver, 'lungs', NEW.lungs, 'joints', NEW.joints, 'genital', NEW.genital, 'severity', NEW.severity, 'import_id', NEW.import_id, 'entered_in_error', NEW.entered_in_error));
END;
CREATE TRIGGER audit_gvhd_chronic_update AFTER UPDATE ON gvhd_chronic
BEGIN
  INSERT INTO audit_log (at, user, action, tbl, row_key, before, after)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'update', 'gvhd_chronic', NEW.id,
    json_object('id', OLD.id, 'patient_id', OLD.patient_id, 'assessed_on', OLD.assessed_on, 'skin', OLD.skin, 'mouth', OLD.mouth, 'eyes', OLD.eyes, 'gi', OLD.gi, 'liver', OLD.liver, 'lungs', OLD.lungs, 'joints', OLD.joints, 'genital', OLD.genital, 'severity', OLD.severity, 'import_id', OLD.import_id, 'entered_in_error', OLD.entered_in_error),
    json_object('id', NEW.id, 'patient_id', NEW.patient_id, 'assessed_on', NEW.assessed_on, 'skin', NEW.skin, 'mouth', NEW.mouth, 'eyes', NEW.eyes, 'gi', NEW.gi, 'liver', NEW.liver, 'lungs', NEW.lungs, 'joints', NEW.joints, 'genital', NEW.genital, 'severity', NEW.severity, 'import_id', NEW.import_id, 'entered_in_error', NEW.entered_in_error));
END;
CREATE TRIGGER audit_gvhd_chronic_delete AFTER DELETE ON gvhd_chronic
BEGIN
  INSERT INTO audit_log (at, user, action, tbl, row_key, before, after)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'delete', 'gvhd_chronic', OLD.id,
    json_object('id', OLD.id, 'patient_id', OLD.patient_id, 'assessed_on', OLD.assessed_on, 'skin', OLD.skin, 'mouth', OLD.mouth, 'eyes', OLD.eyes, 'gi', OLD.gi, 'liver', OLD.liver, 'lungs', OLD.lungs, 'joints', OLD.joints, 'genital', OLD.genital, 'severity', OLD.severity, 'import_id', OLD.import_id, 'entered_in_error', OLD.entered_in_error), NULL);
END;

-- immunosuppression
DROP TRIGGER audit_immunosuppression_insert;
DROP TRIGGER audit_immunosuppression_update;
DROP TRIGGER audit_immunosuppression_delete;
CREATE TRIGGER audit_immunosuppression_insert AFTER INSERT ON immunosuppression
WHEN NEW.import_id IS NULL
BEGIN
  INSERT INTO audit_log (at, user, action, tbl, row_key, before, after)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'insert', 'immunosuppression', NEW.id, NULL,
    json_object('id', NEW.id, 'patient_id', NEW.patient_id, 'drug', NEW.drug, 'started_on', NEW.started_on, 'stopped_on', NEW.stopped_on, 'import_id', NEW.import_id, 'entered_in_error', NEW.entered_in_error));
END;
CREATE TRIGGER audit_immunosuppression_update AFTER UPDATE ON immunosuppression
BEGIN
  INSERT INTO audit_log (at, user, action, tbl, row_key, before, after)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'update', 'immunosuppression', NEW.id,
    json_object('id', OLD.id, 'patient_id', OLD.patient_id, 'drug', OLD.drug, 'started_on', OLD.started_on, 'stopped_on', OLD.stopped_on, 'import_id', OLD.import_id, 'entered_in_error', OLD.entered_in_error),
    json_object('id', NEW.id, 'patient_id', NEW.patient_id, 'drug', NEW.drug, 'started_on', NEW.started_on, 'stopped_on', NEW.stopped_on, 'import_id', NEW.import_id, 'entered_in_error', NEW.entered_in_error));
END;
CREATE TRIGGER audit_immunosuppression_delete AFTER DELETE ON immunosuppression
BEGIN
  INSERT INTO audit_log (at, user, action, tbl, row_key, before, after)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'delete', 'immunosuppression', OLD.id,
    json_object('id', OLD.id, 'patient_id', OLD.patient_id, 'drug', OLD.drug, 'started_on', OLD.started_on, 'stopped_on', OLD.stopped_on, 'import_id', OLD.import_id, 'entered_in_error', OLD.entered_in_error), NULL);
END;

-- ivig
DROP TRIGGER audit_ivig_insert;
DROP TRIGGER audit_ivig_update;
DROP TRIGGER audit_ivig_delete;
CREATE TRIGGER audit_ivig_insert AFTER INSERT ON ivig
WHEN NEW.import_id IS NULL
BEGIN
  INSERT INTO audit_log (at, user, action, tbl, row_key, before, after)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'insert', 'ivig', NEW.id, NULL,
    json_object('id', NEW.id, 'patient_id', NEW.patient_id, 'given_on', NEW.given_on, 'dose_g', NEW.dose_g, 'import_id', NEW.import_id, 'entered_in_error', NEW.entered_in_error));
END;
CREATE TRIGGER audit_ivig_update AFTER UPDATE ON ivig
BEGIN
  INSERT INTO audit_log (at, user, action, tbl, row_key, before, after)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'update', 'ivig', NEW.id,
    json_object('id', OLD.id, 'patient_id', OLD.patient_id, 'given_on', OLD.given_on, 'dose_g', OLD.dose_g, 'import_id', OLD.import_id, 'entered_in_error', OLD.entered_in_error),
    json_object('id', NEW.id, 'patient_id', NEW.patient_id, 'given_on', NEW.given_on, 'dose_g', NEW.dose_g, 'import_id', NEW.import_id, 'entered_in_error', NEW.entered_in_error));
END;
CREATE TRIGGER audit_ivig_delete AFTER DELETE ON ivig
BEGIN
  INSERT INTO audit_log (at, user, action, tbl, row_key, before, after)
  VALUES (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), ef_user(), 'delete', 'ivig', OLD.id,
    json_object('id', OLD.id, 'patient_id', OLD.patient_id, 'given_on', OLD.given_on, 'dose_g', OLD.dose_g, 'import_id', OLD.import_id, 'entered_in_error', OLD.entered_in_error), NULL);
END;
PRAGMA user_version = 6;
