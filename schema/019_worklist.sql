-- 019_worklist: the clinic worklists read pages of the kept forecasts by
-- keyset (issue 15; include/engraft/worklist.h, src/store/worklist.c).
-- Each section is read in the order (status, due_on, patient_id, ord); the
-- indexes also hold the codes the typed filter reads (the vaccine series;
-- the follow-up item and time point), so that counting a filtered section
-- reads the index only. They replace the indexes of 017 (their prefix).
-- Derived data: no audit, nothing else changes. Depends on 017 only.

CREATE INDEX IF NOT EXISTS vaccine_forecasts_worklist
  ON vaccine_forecasts (status, due_on, patient_id, ord, series);
DROP INDEX IF EXISTS vaccine_forecasts_status;
CREATE INDEX IF NOT EXISTS followup_forecasts_worklist
  ON followup_forecasts (status, due_on, patient_id, ord, item, time_point);
DROP INDEX IF EXISTS followup_forecasts_status;

PRAGMA user_version = 19;
