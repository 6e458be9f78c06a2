-- 020_patient_search: the patient list's search (issue 15). A word typed
-- after `/` is a prefix of the MRN, the family or the given name, compared
-- without ASCII case (as LIKE compares). With these three indexes the
-- patients it can match are read as three ranges (src/store/browse.c
-- P_CAND) instead of a walk through all 100,000 names of a registry.
CREATE INDEX IF NOT EXISTS patients_mrn_nocase ON patients (mrn COLLATE NOCASE);
CREATE INDEX IF NOT EXISTS patients_family_nocase ON patients (family_name COLLATE NOCASE);
CREATE INDEX IF NOT EXISTS patients_given_nocase ON patients (given_name COLLATE NOCASE);

PRAGMA user_version = 20;
