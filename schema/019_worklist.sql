-- 019_worklist: the clinic worklists read pages of the kept forecasts by
-- keyset (issue 15; include/engraft/worklist.h, src/store/worklist.c).
-- Each section is read in the order (status, due_on, patient_id, ord); the
-- indexes also hold the codes the typed filter reads (the vaccine series;
-- the follow-up item and time point), so that counting a filtered section
-- reads the index only. They replace the indexes of 017 (their prefix).
-- worklist_counts: how many kept rows each list has of each status, kept
-- by the triggers below as src/store/kept.c replaces a patient's rows, so
-- that the rules of an unfiltered worklist need not count 600,000 rows.
-- Derived data: no audit, recounted whenever this runs again. Depends on
-- 017 only.

CREATE INDEX IF NOT EXISTS vaccine_forecasts_worklist
  ON vaccine_forecasts (status, due_on, patient_id, ord, series);
DROP INDEX IF EXISTS vaccine_forecasts_status;
CREATE INDEX IF NOT EXISTS followup_forecasts_worklist
  ON followup_forecasts (status, due_on, patient_id, ord, item, time_point);
DROP INDEX IF EXISTS followup_forecasts_status;

CREATE TABLE IF NOT EXISTS worklist_counts (
  list   TEXT NOT NULL CHECK (list = 'vaccines' OR list = 'followups'),
  status TEXT NOT NULL CHECK (length(status) BETWEEN 1 AND 10),
  n      INTEGER NOT NULL CHECK (n >= 0),
  PRIMARY KEY (list, status)
) STRICT, WITHOUT ROWID;
DELETE FROM worklist_counts;
INSERT INTO worklist_counts (list, status, n)
  SELECT 'vaccines', status, count(*) FROM vaccine_forecasts GROUP BY status;
INSERT INTO worklist_counts (list, status, n)
  SELECT 'followups', status, count(*) FROM followup_forecasts GROUP BY status;

DROP TRIGGER IF EXISTS worklist_vaccines_insert;
CREATE TRIGGER worklist_vaccines_insert AFTER INSERT ON vaccine_forecasts
BEGIN
  INSERT INTO worklist_counts (list, status, n) VALUES ('vaccines', NEW.status, 1)
    ON CONFLICT (list, status) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER IF EXISTS worklist_vaccines_delete;
CREATE TRIGGER worklist_vaccines_delete AFTER DELETE ON vaccine_forecasts
BEGIN
  UPDATE worklist_counts SET n = n - 1 WHERE list = 'vaccines' AND status = OLD.status;
END;
DROP TRIGGER IF EXISTS worklist_vaccines_update;
CREATE TRIGGER worklist_vaccines_update AFTER UPDATE OF status ON vaccine_forecasts
BEGIN
  UPDATE worklist_counts SET n = n - 1 WHERE list = 'vaccines' AND status = OLD.status;
  INSERT INTO worklist_counts (list, status, n) VALUES ('vaccines', NEW.status, 1)
    ON CONFLICT (list, status) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER IF EXISTS worklist_followups_insert;
CREATE TRIGGER worklist_followups_insert AFTER INSERT ON followup_forecasts
BEGIN
  INSERT INTO worklist_counts (list, status, n) VALUES ('followups', NEW.status, 1)
    ON CONFLICT (list, status) DO UPDATE SET n = n + 1;
END;
DROP TRIGGER IF EXISTS worklist_followups_delete;
CREATE TRIGGER worklist_followups_delete AFTER DELETE ON followup_forecasts
BEGIN
  UPDATE worklist_counts SET n = n - 1 WHERE list = 'followups' AND status = OLD.status;
END;
DROP TRIGGER IF EXISTS worklist_followups_update;
CREATE TRIGGER worklist_followups_update AFTER UPDATE OF status ON followup_forecasts
BEGIN
  UPDATE worklist_counts SET n = n - 1 WHERE list = 'followups' AND status = OLD.status;
  INSERT INTO worklist_counts (list, status, n) VALUES ('followups', NEW.status, 1)
    ON CONFLICT (list, status) DO UPDATE SET n = n + 1;
END;

PRAGMA user_version = 19;
