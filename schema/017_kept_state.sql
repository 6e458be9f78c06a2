-- 017_kept_state: what `check` and the worklists keep between runs, so that
-- a registry of 100,000 patients is never re-evaluated whole to draw a
-- screen or answer `check` (issue 15; docs/architecture.md "Kept state").
--
-- patient_checks: one row per patient (made by a trigger on patients).
--   rules_on / rules_until: the patient's rules were last evaluated and
--     applied to its alerts as of rules_on, and (with no new record) would
--     give the same findings on every day before rules_until (NULL: on
--     every later day). NULL rules_on: not evaluated since its data changed.
--   forecast_on / forecast_until: the same for the kept vaccine forecast
--     and follow-up calendar (vaccine_forecasts, followup_forecasts).
-- The triggers below (which write nothing when the row is stale already: a
-- demo or an import writes a patient's records one after the other) clear
-- rules_on for any change to any of the patient's
-- records, and forecast_on too for the records the forecasts read (lab
-- results and transfusions do not enter them). A change to the reference
-- data clears every row (src/store/reference.c). The rows are derived data,
-- recomputed from the records at any time: not audited, not exported.
-- Every statement may run again over its own result (IF NOT EXISTS, OR
-- IGNORE, a trigger dropped before it is made; a trigger is kept word for
-- word as written here, which `audit verify` compares): the migration tests
-- of earlier schemas set user_version back.

CREATE TABLE IF NOT EXISTS patient_checks (
  patient_id     INTEGER PRIMARY KEY REFERENCES patients(id),
  rules_on       TEXT CHECK (rules_on IS NULL OR length(rules_on) = 10),
  rules_until    TEXT CHECK (rules_until IS NULL OR length(rules_until) = 10),
  forecast_on    TEXT CHECK (forecast_on IS NULL OR length(forecast_on) = 10),
  forecast_until TEXT CHECK (forecast_until IS NULL OR length(forecast_until) = 10)
) STRICT;
INSERT OR IGNORE INTO patient_checks (patient_id) SELECT id FROM patients;

-- The next dose of every incomplete series (ef_vaccines_forecast), in the
-- forecaster's order (ord), as of patient_checks.forecast_on.
CREATE TABLE IF NOT EXISTS vaccine_forecasts (
  patient_id INTEGER NOT NULL REFERENCES patients(id),
  ord        INTEGER NOT NULL CHECK (ord >= 0),
  series     TEXT NOT NULL CHECK (length(series) BETWEEN 1 AND 31),
  dose       INTEGER NOT NULL CHECK (dose >= 1),
  live       INTEGER NOT NULL CHECK (live = 0 OR live = 1),
  status     TEXT NOT NULL CHECK (status = 'due' OR status = 'overdue' OR status = 'upcoming' OR status = 'blocked'),
  due_on     TEXT CHECK (due_on IS NULL OR length(due_on) = 10),
  reason     TEXT NOT NULL CHECK (length(reason) <= 1000),
  PRIMARY KEY (patient_id, ord)
) STRICT, WITHOUT ROWID;
-- the clinic worklist pages by status and date
CREATE INDEX IF NOT EXISTS vaccine_forecasts_status ON vaccine_forecasts (status, due_on, patient_id, ord);

-- Every entry of the follow-up calendar (ef_followup_calendar), in its order.
CREATE TABLE IF NOT EXISTS followup_forecasts (
  patient_id INTEGER NOT NULL REFERENCES patients(id),
  ord        INTEGER NOT NULL CHECK (ord >= 0),
  item       TEXT NOT NULL CHECK (length(item) BETWEEN 1 AND 23),
  time_point TEXT NOT NULL CHECK (length(time_point) BETWEEN 2 AND 11),
  status     TEXT NOT NULL CHECK (status = 'due' OR status = 'overdue' OR status = 'upcoming' OR status = 'done'),
  due_on     TEXT NOT NULL CHECK (length(due_on) = 10),
  done_on    TEXT CHECK (done_on IS NULL OR length(done_on) = 10),
  registry   INTEGER NOT NULL CHECK (registry = 0 OR registry = 1),
  reason     TEXT NOT NULL CHECK (length(reason) <= 200),
  PRIMARY KEY (patient_id, ord)
) STRICT, WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS followup_forecasts_status ON followup_forecasts (status, due_on, patient_id, ord);

DROP TRIGGER IF EXISTS kept_patients_insert;
CREATE TRIGGER kept_patients_insert AFTER INSERT ON patients
BEGIN
  INSERT OR IGNORE INTO patient_checks (patient_id) VALUES (NEW.id);
END;
DROP TRIGGER IF EXISTS kept_patients_update;
CREATE TRIGGER kept_patients_update AFTER UPDATE ON patients
BEGIN
  UPDATE patient_checks SET rules_on = NULL, forecast_on = NULL WHERE patient_id = NEW.id;
END;

-- Records the forecasts do not read: the rules only. A lab result inserted
-- is marked by the store itself (src/store/records.c, once per patient per
-- transaction): a trigger on the 22 million rows of a registry's demo or a
-- million-row import cost 14% of the import.
DROP TRIGGER IF EXISTS kept_lab_results_insert;
DROP TRIGGER IF EXISTS kept_lab_results_update;
CREATE TRIGGER kept_lab_results_update AFTER UPDATE ON lab_results
BEGIN
  UPDATE patient_checks SET rules_on = NULL WHERE patient_id IN (OLD.patient_id, NEW.patient_id) AND rules_on IS NOT NULL;
END;
DROP TRIGGER IF EXISTS kept_lab_results_delete;
CREATE TRIGGER kept_lab_results_delete AFTER DELETE ON lab_results
BEGIN
  UPDATE patient_checks SET rules_on = NULL WHERE patient_id = OLD.patient_id AND rules_on IS NOT NULL;
END;
DROP TRIGGER IF EXISTS kept_transfusions_insert;
CREATE TRIGGER kept_transfusions_insert AFTER INSERT ON transfusions
BEGIN
  UPDATE patient_checks SET rules_on = NULL WHERE patient_id = NEW.patient_id AND rules_on IS NOT NULL;
END;
DROP TRIGGER IF EXISTS kept_transfusions_update;
CREATE TRIGGER kept_transfusions_update AFTER UPDATE ON transfusions
BEGIN
  UPDATE patient_checks SET rules_on = NULL WHERE patient_id IN (OLD.patient_id, NEW.patient_id) AND rules_on IS NOT NULL;
END;
DROP TRIGGER IF EXISTS kept_transfusions_delete;
CREATE TRIGGER kept_transfusions_delete AFTER DELETE ON transfusions
BEGIN
  UPDATE patient_checks SET rules_on = NULL WHERE patient_id = OLD.patient_id AND rules_on IS NOT NULL;
END;

-- Records the forecasts read too.
DROP TRIGGER IF EXISTS kept_transplants_insert;
CREATE TRIGGER kept_transplants_insert AFTER INSERT ON transplants
BEGIN
  UPDATE patient_checks SET rules_on = NULL, forecast_on = NULL WHERE patient_id = NEW.patient_id
    AND (rules_on IS NOT NULL OR forecast_on IS NOT NULL);
END;
DROP TRIGGER IF EXISTS kept_transplants_update;
CREATE TRIGGER kept_transplants_update AFTER UPDATE ON transplants
BEGIN
  UPDATE patient_checks SET rules_on = NULL, forecast_on = NULL WHERE patient_id IN (OLD.patient_id, NEW.patient_id)
    AND (rules_on IS NOT NULL OR forecast_on IS NOT NULL);
END;
DROP TRIGGER IF EXISTS kept_transplants_delete;
CREATE TRIGGER kept_transplants_delete AFTER DELETE ON transplants
BEGIN
  UPDATE patient_checks SET rules_on = NULL, forecast_on = NULL WHERE patient_id = OLD.patient_id
    AND (rules_on IS NOT NULL OR forecast_on IS NOT NULL);
END;
DROP TRIGGER IF EXISTS kept_vaccinations_insert;
CREATE TRIGGER kept_vaccinations_insert AFTER INSERT ON vaccinations
BEGIN
  UPDATE patient_checks SET rules_on = NULL, forecast_on = NULL WHERE patient_id = NEW.patient_id
    AND (rules_on IS NOT NULL OR forecast_on IS NOT NULL);
END;
DROP TRIGGER IF EXISTS kept_vaccinations_update;
CREATE TRIGGER kept_vaccinations_update AFTER UPDATE ON vaccinations
BEGIN
  UPDATE patient_checks SET rules_on = NULL, forecast_on = NULL WHERE patient_id IN (OLD.patient_id, NEW.patient_id)
    AND (rules_on IS NOT NULL OR forecast_on IS NOT NULL);
END;
DROP TRIGGER IF EXISTS kept_vaccinations_delete;
CREATE TRIGGER kept_vaccinations_delete AFTER DELETE ON vaccinations
BEGIN
  UPDATE patient_checks SET rules_on = NULL, forecast_on = NULL WHERE patient_id = OLD.patient_id
    AND (rules_on IS NOT NULL OR forecast_on IS NOT NULL);
END;
DROP TRIGGER IF EXISTS kept_gvhd_acute_insert;
CREATE TRIGGER kept_gvhd_acute_insert AFTER INSERT ON gvhd_acute
BEGIN
  UPDATE patient_checks SET rules_on = NULL, forecast_on = NULL WHERE patient_id = NEW.patient_id
    AND (rules_on IS NOT NULL OR forecast_on IS NOT NULL);
END;
DROP TRIGGER IF EXISTS kept_gvhd_acute_update;
CREATE TRIGGER kept_gvhd_acute_update AFTER UPDATE ON gvhd_acute
BEGIN
  UPDATE patient_checks SET rules_on = NULL, forecast_on = NULL WHERE patient_id IN (OLD.patient_id, NEW.patient_id)
    AND (rules_on IS NOT NULL OR forecast_on IS NOT NULL);
END;
DROP TRIGGER IF EXISTS kept_gvhd_acute_delete;
CREATE TRIGGER kept_gvhd_acute_delete AFTER DELETE ON gvhd_acute
BEGIN
  UPDATE patient_checks SET rules_on = NULL, forecast_on = NULL WHERE patient_id = OLD.patient_id
    AND (rules_on IS NOT NULL OR forecast_on IS NOT NULL);
END;
DROP TRIGGER IF EXISTS kept_gvhd_chronic_insert;
CREATE TRIGGER kept_gvhd_chronic_insert AFTER INSERT ON gvhd_chronic
BEGIN
  UPDATE patient_checks SET rules_on = NULL, forecast_on = NULL WHERE patient_id = NEW.patient_id
    AND (rules_on IS NOT NULL OR forecast_on IS NOT NULL);
END;
DROP TRIGGER IF EXISTS kept_gvhd_chronic_update;
CREATE TRIGGER kept_gvhd_chronic_update AFTER UPDATE ON gvhd_chronic
BEGIN
  UPDATE patient_checks SET rules_on = NULL, forecast_on = NULL WHERE patient_id IN (OLD.patient_id, NEW.patient_id)
    AND (rules_on IS NOT NULL OR forecast_on IS NOT NULL);
END;
DROP TRIGGER IF EXISTS kept_gvhd_chronic_delete;
CREATE TRIGGER kept_gvhd_chronic_delete AFTER DELETE ON gvhd_chronic
BEGIN
  UPDATE patient_checks SET rules_on = NULL, forecast_on = NULL WHERE patient_id = OLD.patient_id
    AND (rules_on IS NOT NULL OR forecast_on IS NOT NULL);
END;
DROP TRIGGER IF EXISTS kept_immunosuppression_insert;
CREATE TRIGGER kept_immunosuppression_insert AFTER INSERT ON immunosuppression
BEGIN
  UPDATE patient_checks SET rules_on = NULL, forecast_on = NULL WHERE patient_id = NEW.patient_id
    AND (rules_on IS NOT NULL OR forecast_on IS NOT NULL);
END;
DROP TRIGGER IF EXISTS kept_immunosuppression_update;
CREATE TRIGGER kept_immunosuppression_update AFTER UPDATE ON immunosuppression
BEGIN
  UPDATE patient_checks SET rules_on = NULL, forecast_on = NULL WHERE patient_id IN (OLD.patient_id, NEW.patient_id)
    AND (rules_on IS NOT NULL OR forecast_on IS NOT NULL);
END;
DROP TRIGGER IF EXISTS kept_immunosuppression_delete;
CREATE TRIGGER kept_immunosuppression_delete AFTER DELETE ON immunosuppression
BEGIN
  UPDATE patient_checks SET rules_on = NULL, forecast_on = NULL WHERE patient_id = OLD.patient_id
    AND (rules_on IS NOT NULL OR forecast_on IS NOT NULL);
END;
DROP TRIGGER IF EXISTS kept_ivig_insert;
CREATE TRIGGER kept_ivig_insert AFTER INSERT ON ivig
BEGIN
  UPDATE patient_checks SET rules_on = NULL, forecast_on = NULL WHERE patient_id = NEW.patient_id
    AND (rules_on IS NOT NULL OR forecast_on IS NOT NULL);
END;
DROP TRIGGER IF EXISTS kept_ivig_update;
CREATE TRIGGER kept_ivig_update AFTER UPDATE ON ivig
BEGIN
  UPDATE patient_checks SET rules_on = NULL, forecast_on = NULL WHERE patient_id IN (OLD.patient_id, NEW.patient_id)
    AND (rules_on IS NOT NULL OR forecast_on IS NOT NULL);
END;
DROP TRIGGER IF EXISTS kept_ivig_delete;
CREATE TRIGGER kept_ivig_delete AFTER DELETE ON ivig
BEGIN
  UPDATE patient_checks SET rules_on = NULL, forecast_on = NULL WHERE patient_id = OLD.patient_id
    AND (rules_on IS NOT NULL OR forecast_on IS NOT NULL);
END;
DROP TRIGGER IF EXISTS kept_status_insert;
CREATE TRIGGER kept_status_insert AFTER INSERT ON status
BEGIN
  UPDATE patient_checks SET rules_on = NULL, forecast_on = NULL WHERE patient_id = NEW.patient_id
    AND (rules_on IS NOT NULL OR forecast_on IS NOT NULL);
END;
DROP TRIGGER IF EXISTS kept_status_update;
CREATE TRIGGER kept_status_update AFTER UPDATE ON status
BEGIN
  UPDATE patient_checks SET rules_on = NULL, forecast_on = NULL WHERE patient_id IN (OLD.patient_id, NEW.patient_id)
    AND (rules_on IS NOT NULL OR forecast_on IS NOT NULL);
END;
DROP TRIGGER IF EXISTS kept_status_delete;
CREATE TRIGGER kept_status_delete AFTER DELETE ON status
BEGIN
  UPDATE patient_checks SET rules_on = NULL, forecast_on = NULL WHERE patient_id = OLD.patient_id
    AND (rules_on IS NOT NULL OR forecast_on IS NOT NULL);
END;
DROP TRIGGER IF EXISTS kept_followups_insert;
CREATE TRIGGER kept_followups_insert AFTER INSERT ON followups
BEGIN
  UPDATE patient_checks SET rules_on = NULL, forecast_on = NULL WHERE patient_id = NEW.patient_id
    AND (rules_on IS NOT NULL OR forecast_on IS NOT NULL);
END;
DROP TRIGGER IF EXISTS kept_followups_update;
CREATE TRIGGER kept_followups_update AFTER UPDATE ON followups
BEGIN
  UPDATE patient_checks SET rules_on = NULL, forecast_on = NULL WHERE patient_id IN (OLD.patient_id, NEW.patient_id)
    AND (rules_on IS NOT NULL OR forecast_on IS NOT NULL);
END;
DROP TRIGGER IF EXISTS kept_followups_delete;
CREATE TRIGGER kept_followups_delete AFTER DELETE ON followups
BEGIN
  UPDATE patient_checks SET rules_on = NULL, forecast_on = NULL WHERE patient_id = OLD.patient_id
    AND (rules_on IS NOT NULL OR forecast_on IS NOT NULL);
END;

-- An acknowledgement "until" a day lapses the day after, when the alert
-- reopens if it still holds: the next check must look at the patient again.
DROP TRIGGER IF EXISTS kept_alerts_acknowledged;
CREATE TRIGGER kept_alerts_acknowledged AFTER UPDATE OF status, until ON alerts
WHEN NEW.status = 'acknowledged'
BEGIN
  UPDATE patient_checks SET rules_on = NULL WHERE patient_id = NEW.patient_id;
END;

PRAGMA user_version = 17;
