-- 021_kept_indexes: which patients' kept state does not hold on a day
-- (src/store/kept.c) is read from these indexes, not from a scan of every
-- patient: opening a worklist of a 100,000-patient registry where nothing
-- is stale reads no row. (Issue 15.)
CREATE INDEX IF NOT EXISTS patient_checks_rules_on ON patient_checks (rules_on);
CREATE INDEX IF NOT EXISTS patient_checks_rules_until ON patient_checks (rules_until);
CREATE INDEX IF NOT EXISTS patient_checks_forecast_on ON patient_checks (forecast_on);
CREATE INDEX IF NOT EXISTS patient_checks_forecast_until ON patient_checks (forecast_until);

PRAGMA user_version = 21;
